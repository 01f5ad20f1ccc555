/* account.c: accounts, couples and invites; see account.h. */
#include "account.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/arena.h"
#include "../base/caltime.h"
#include "../base/utf8.h"
#include "password.h"

static const char CROCKFORD[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

const char *acct_check_username(const char *u)
{
	size_t n = u ? strlen(u) : 0;
	if (n < 3 || n > 32)
		return "A username has 3 to 32 characters.";
	for (size_t i = 0; i < n; i++) {
		char c = u[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
			return "A username uses only lowercase letters, digits, dots, dashes and underscores.";
	}
	return NULL;
}

const char *acct_check_display_name(const char *d)
{
	size_t n = d ? strlen(d) : 0;
	if (!n)
		return "Please give a name your partner will see.";
	if (!utf8_valid_text(d, n) || strpbrk(d, "\r\n\t"))
		return "That name has characters we cannot store.";
	if (utf8_count(d, n) > 64)
		return "A name has at most 64 characters.";
	return NULL;
}

const char *acct_check_role(const char *role)
{
	if (role && (!strcmp(role, "hurt") || !strcmp(role, "accountable") || !strcmp(role, "both")))
		return NULL;
	return "Choose one: hurt, accountable, or both.";
}

const char *acct_check_timezone(const char *tz)
{
	if (!tz_get(tz))
		return "We do not know that time zone. Try one such as Europe/London or America/New_York.";
	return NULL;
}

void invite_code_new(char out[INVITE_CODE_SIZE])
{
	unsigned char raw[INVITE_SYMBOLS];
	size_t j = 0;
	randombytes_buf(raw, sizeof(raw));
	for (size_t i = 0; i < INVITE_SYMBOLS; i++) {
		if (i && i % 4 == 0)
			out[j++] = '-';
		out[j++] = CROCKFORD[raw[i] & 31];
	}
	out[j] = '\0';
}

int invite_code_normalise(const char *in, char out[INVITE_SYMBOLS + 1])
{
	size_t j = 0;
	for (const char *p = in; p && *p; p++) {
		char c = (char)toupper((unsigned char)*p);
		if (c == ' ' || c == '-' || c == '\t')
			continue;
		if (c == 'O')
			c = '0';
		if (c == 'I' || c == 'L')
			c = '1';
		if (!strchr(CROCKFORD, c) || j == INVITE_SYMBOLS)
			return -1;
		out[j++] = c;
	}
	out[j] = '\0';
	return j == INVITE_SYMBOLS ? 0 : -1;
}

/* The stored form of a code: a hash, so the table never holds a usable code. */
static void code_hash(const char *norm, unsigned char out[32])
{
	crypto_generichash(out, 32, (const unsigned char *)norm, strlen(norm),
			   (const unsigned char *)"troth invite id", 15);
}

/* The key that seals a couple key inside a partner invite. 80 random bits
 * make an offline search of a stolen database impractical even with a fast
 * KDF; the invite row (and this sealed copy) is wiped when used. */
static void code_kek(const char *norm, unsigned char out[32])
{
	crypto_generichash(out, 32, (const unsigned char *)norm, strlen(norm),
			   (const unsigned char *)"troth invite key", 16);
}

/* Seals key under the NFC form of password (as password_hash hashes it). */
static int wrap_nfc(const unsigned char *key, const char *password, struct buf *out)
{
	char *nfc = password_nfc(password);
	int rc = vault_wrap_password(key, nfc ? nfc : password, out);
	password_nfc_free(nfc);
	return rc;
}

/* Opens a password blob with the NFC form of password, then, when that
 * differs, with the bytes as typed (blobs sealed before passwords were
 * normalised). Returns 1 (NFC), 2 (raw bytes) or 0 (neither). */
static int unwrap_either(const void *blob, size_t n, const char *password, unsigned char key[VAULT_KEY_BYTES])
{
	char *nfc = password_nfc(password);
	int m = 0;
	if (nfc && vault_unwrap_password(blob, n, nfc, key) == 0)
		m = 1;
	else if (vault_unwrap_password(blob, n, password, key) == 0)
		m = nfc ? 2 : 1;
	password_nfc_free(nfc);
	return m;
}

void signup_job_run(void *arg)
{
	struct signup_job *j = arg;
	j->failed = 1;
	buf_init(&j->key_pw, 0);
	buf_init(&j->key_recovery, 0);
	if (password_hash(j->password, j->pw_hash) < 0)
		return;
	vault_new_key(j->data_key);
	vault_recovery_code(j->recovery);
	if (wrap_nfc(j->data_key, j->password, &j->key_pw) < 0 ||
	    vault_wrap_recovery(j->data_key, j->recovery, &j->key_recovery) < 0)
		return;
	j->failed = 0;
}

void signup_job_wipe(struct signup_job *j)
{
	sodium_memzero(j->data_key, sizeof(j->data_key));
	sodium_memzero(j->recovery, sizeof(j->recovery));
	buf_release(&j->key_pw);
	buf_release(&j->key_recovery);
}

void login_job_run(void *arg)
{
	struct login_job *j = arg;
	buf_init(&j->new_key_pw, 0);
	if (!j->pw_hash) {
		/* Unknown user: spend the same time so the answer does not tell. */
		char dummy[crypto_pwhash_STRBYTES];
		password_hash(j->password, dummy);
		j->ok = false;
		return;
	}
	/* One argon2id run per login. key_pw is always sealed under the
	 * current password (a password change seals it again, an operator's
	 * reset clears it), and opening it authenticates the password (the
	 * AEAD tag), so when there is one, opening it is the password check
	 * and needs no second run over pw_hash. Without one (after a reset)
	 * the hash is checked. */
	int m, k = 0;
	if (j->key_pw)
		m = k = unwrap_either(j->key_pw, j->key_pw_len, j->password, j->data_key);
	else
		m = password_check(j->pw_hash, j->password);
	j->ok = m != 0;
	j->have_key = k != 0;
	if (!j->ok)
		return;
	/* Stored before passwords were normalised: store it again in NFC. */
	bool raw = m == 2;
	if ((raw || password_needs_rehash(j->pw_hash)) && password_hash(j->password, j->new_hash) == 0) {
		j->rehashed = true;
		if (j->have_key && (raw || vault_password_needs_rewrap(j->key_pw, j->key_pw_len)))
			wrap_nfc(j->data_key, j->password, &j->new_key_pw);
	}
}

void login_job_wipe(struct login_job *j)
{
	sodium_memzero(j->data_key, sizeof(j->data_key));
	buf_release(&j->new_key_pw);
}

int acct_load_login(sqlite3 *c, struct arena *a, const char *username, long long *user_id,
		    const char **pw_hash, const void **key_pw, size_t *key_pw_len)
{
	sqlite3_stmt *st = db_prepare(c, "SELECT id, pw_hash, key_pw FROM user"
					 " WHERE username = ?1 AND disabled = 0", "t", username);
	if (!st)
		return sqlite3_extended_errcode(c);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*user_id = sqlite3_column_int64(st, 0);
		*pw_hash = arena_strdup(a, (const char *)sqlite3_column_text(st, 1));
		int n = sqlite3_column_bytes(st, 2);
		const void *b = sqlite3_column_blob(st, 2);
		*key_pw = b ? arena_strndup(a, b, (size_t)n) : NULL;
		*key_pw_len = (size_t)n;
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = 1;
	}
	db_done(st);
	return rc;
}

int acct_store_rehash(struct db *db, long long user_id, const struct login_job *j)
{
	sqlite3 *w = db_write_begin(db);
	int rc = db_run(w, "UPDATE user SET pw_hash = ?2 WHERE id = ?1", "it", user_id, j->new_hash);
	if (rc == SQLITE_OK && j->new_key_pw.len)
		rc = db_run(w, "UPDATE user SET key_pw = ?2 WHERE id = ?1", "ib", user_id,
			    j->new_key_pw.s, j->new_key_pw.len);
	int end = db_write_end(db, rc == SQLITE_OK);
	return rc == SQLITE_OK ? end : rc;
}

/* Inserts a partner invite for couple_id sealing couple_key. Writer held. */
static int insert_partner_invite(sqlite3 *w, long long couple_id, long long created_by,
				 const unsigned char *couple_key, char code[INVITE_CODE_SIZE])
{
	char norm[INVITE_SYMBOLS + 1];
	unsigned char h[32], kek[32];
	struct buf sealed = BUF_INIT;
	time_t now = time(NULL);
	invite_code_new(code);
	invite_code_normalise(code, norm);
	code_hash(norm, h);
	code_kek(norm, kek);
	vault_wrap_key(kek, couple_key, &sealed);
	sodium_memzero(kek, sizeof(kek));
	int rc = db_run(w, "DELETE FROM invite WHERE couple_id = ?1 AND used_at IS NULL", "i", couple_id);
	if (rc == SQLITE_OK)
		rc = db_run(w, "INSERT INTO invite(code_hash, kind, couple_id, couple_key, created_by,"
			       " created_at, expires_at) VALUES(?1, 'partner', ?2, ?3, ?4, ?5, ?6)",
			    "bibiii", h, sizeof(h), couple_id, sealed.s, sealed.len, created_by,
			    (long long)now, (long long)now + INVITE_DAYS * 86400);
	buf_release(&sealed);
	return rc;
}

struct invite_row {
	long long id, couple_id;
	int partner;               /* 1 partner invite, 0 signup code */
	unsigned char couple_key[VAULT_KEY_BYTES];
	int have_key;
};

/* Looks up a live (unused, unexpired) invite. Returns 0 found, 1 none, or
 * an SQLite error. Opens the sealed couple key of a partner invite. */
static int find_invite(sqlite3 *c, const char *code, struct invite_row *out)
{
	char norm[INVITE_SYMBOLS + 1];
	unsigned char h[32], kek[32];
	memset(out, 0, sizeof(*out));
	if (!code || invite_code_normalise(code, norm) < 0)
		return 1;
	code_hash(norm, h);
	sqlite3_stmt *st = db_prepare(c, "SELECT id, kind, couple_id, couple_key FROM invite"
					 " WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2",
				      "bi", h, sizeof(h), (long long)time(NULL));
	if (!st)
		return sqlite3_extended_errcode(c);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->partner = !strcmp((const char *)sqlite3_column_text(st, 1), "partner");
		out->couple_id = sqlite3_column_int64(st, 2);
		if (out->partner) {
			code_kek(norm, kek);
			out->have_key = vault_unwrap_key(kek, sqlite3_column_blob(st, 3),
							 (size_t)sqlite3_column_bytes(st, 3),
							 out->couple_key) == 0;
			sodium_memzero(kek, sizeof(kek));
		}
		rc = (!out->partner || out->have_key) ? 0 : 1;
	} else if (rc == SQLITE_DONE) {
		rc = 1;
	}
	db_done(st);
	return rc;
}

static int use_invite(sqlite3 *w, long long invite_id, long long user_id)
{
	return db_run(w, "UPDATE invite SET used_at = ?2, used_by = ?3, couple_key = NULL WHERE id = ?1",
		      "iii", invite_id, (long long)time(NULL), user_id);
}

static long long member_count(sqlite3 *c, long long couple_id)
{
	long long n = 0;
	db_int(c, &n, "SELECT count(*) FROM member WHERE couple_id = ?1", "i", couple_id);
	return n;
}

int acct_invite_usable(sqlite3 *c, const char *code)
{
	struct invite_row inv;
	int f = find_invite(c, code, &inv);
	if (f == 0 && inv.partner && member_count(c, inv.couple_id) >= 2)
		f = 1;
	sodium_memzero(&inv, sizeof(inv));
	return f;
}

static int insert_member(sqlite3 *w, long long couple_id, long long user_id, const char *role,
			 const unsigned char *data_key, const unsigned char *couple_key)
{
	struct buf sealed = BUF_INIT;
	vault_wrap_key(data_key, couple_key, &sealed);
	int rc = db_run(w, "INSERT INTO member(couple_id, user_id, role, couple_key, joined_at)"
			   " VALUES(?1, ?2, ?3, ?4, ?5)",
			"iitbi", couple_id, user_id, role, sealed.s, sealed.len, (long long)time(NULL));
	buf_release(&sealed);
	return rc;
}

/* Ends a write that read an invite: wipes the invite's couple key, then
 * commits only when *rc is SQLITE_OK and err is ACCT_OK. Otherwise it rolls
 * back and returns ACCT_DB for a database error in *rc, or err. */
static enum acct_err end_invite_write(struct db *db, struct invite_row *inv, enum acct_err err, int *rc)
{
	sodium_memzero(inv, sizeof(*inv));
	if (*rc != SQLITE_OK || err != ACCT_OK) {
		db_write_end(db, false);
		return *rc != SQLITE_OK ? ACCT_DB : err;
	}
	*rc = db_write_end(db, true);
	return *rc == SQLITE_OK ? ACCT_OK : ACCT_DB;
}

enum acct_err acct_signup(struct db *db, const char *username, const char *display_name,
			  const char *invite_code, const char *role, const struct signup_job *job,
			  long long *user_id, bool *joined, unsigned char couple_key_out[VAULT_KEY_BYTES],
			  int *rc)
{
	struct invite_row inv;
	long long users = 0, taken = 0;
	enum acct_err err = ACCT_OK;
	*joined = false;
	*rc = SQLITE_OK;
	sqlite3 *w = db_write_begin(db);
	if ((*rc = db_int(w, &users, "SELECT count(*) FROM user", "")) != SQLITE_ROW)
		goto out;
	if ((*rc = db_int(w, &taken, "SELECT count(*) FROM user WHERE username = ?1", "t", username)) != SQLITE_ROW)
		goto out;
	*rc = SQLITE_OK;
	memset(&inv, 0, sizeof(inv));
	/* The invite first: without a valid one, nothing says whether a
	 * username exists. */
	if (users > 0) {
		if (!invite_code || !*invite_code) {
			err = ACCT_INVITE_REQUIRED;
			goto out;
		}
		int f = find_invite(w, invite_code, &inv);
		if (f == 1) {
			err = ACCT_INVALID_INVITE;
			goto out;
		} else if (f) {
			*rc = f;
			goto out;
		}
		if (inv.partner && member_count(w, inv.couple_id) >= 2) {
			err = ACCT_INVALID_INVITE;
			goto out;
		}
	}
	if (taken) {
		err = ACCT_USERNAME_TAKEN;
		goto out;
	}
	*rc = db_run(w, "INSERT INTO user(username, display_name, pw_hash, key_pw, key_recovery,"
			" is_operator, created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		     "tttbbii", username, display_name, job->pw_hash, job->key_pw.s, job->key_pw.len,
		     job->key_recovery.s, job->key_recovery.len, (long long)(users == 0),
		     (long long)time(NULL));
	if (*rc != SQLITE_OK)
		goto out;
	*user_id = sqlite3_last_insert_rowid(w);
	/* A partner invite used without a role stays open: the new user joins
	 * with it later, choosing their role then. */
	if (users > 0 && (!inv.partner || role)) {
		if ((*rc = use_invite(w, inv.id, *user_id)) != SQLITE_OK)
			goto out;
		if (inv.partner) {
			*rc = insert_member(w, inv.couple_id, *user_id, role, job->data_key, inv.couple_key);
			if (*rc != SQLITE_OK)
				goto out;
			memcpy(couple_key_out, inv.couple_key, VAULT_KEY_BYTES);
			*joined = true;
		}
	}
out:
	return end_invite_write(db, &inv, err, rc);
}

int acct_couple_key(sqlite3 *c, long long user_id, const unsigned char *data_key,
		    unsigned char key[VAULT_KEY_BYTES])
{
	sqlite3_stmt *st = db_prepare(c, "SELECT couple_key FROM member WHERE user_id = ?1", "i", user_id);
	int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
	int out = -1;
	if (rc == SQLITE_DONE)
		out = 1;
	else if (rc == SQLITE_ROW && data_key &&
		 vault_unwrap_key(data_key, sqlite3_column_blob(st, 0),
				  (size_t)sqlite3_column_bytes(st, 0), key) == 0)
		out = 0;
	db_done(st);
	return out;
}

/* Whether user_id cannot start or join a couple now: they are in one
 * already (*err becomes ACCT_ALREADY_IN_COUPLE, *rc SQLITE_OK), or the
 * database failed (*err becomes ACCT_DB, the error in *rc). */
static bool already_paired(sqlite3 *w, long long user_id, enum acct_err *err, int *rc)
{
	long long in = 0, therapist = 0;
	*rc = db_int(w, &therapist, "SELECT count(*) FROM user WHERE id = ?1 AND kind = 'therapist'", "i",
		     user_id);
	if (*rc == SQLITE_ROW && therapist) {
		*rc = SQLITE_OK;
		*err = ACCT_THERAPIST;
		return true;
	}
	*rc = db_int(w, &in, "SELECT count(*) FROM member WHERE user_id = ?1", "i", user_id);
	if (*rc != SQLITE_ROW) {
		*err = ACCT_DB;
		return true;
	}
	*rc = SQLITE_OK;
	if (in)
		*err = ACCT_ALREADY_IN_COUPLE;
	return in != 0;
}

enum acct_err acct_couple_create(struct db *db, long long user_id, const char *role,
				 const char *tz_name, const unsigned char *data_key,
				 unsigned char couple_key_out[VAULT_KEY_BYTES],
				 char invite_out[INVITE_CODE_SIZE], long long *couple_id, int *rc)
{
	enum acct_err err = ACCT_OK;
	if (!data_key)
		return ACCT_LOCKED;
	sqlite3 *w = db_write_begin(db);
	if (already_paired(w, user_id, &err, rc)) {
		db_write_end(db, false);
		return err;
	}
	vault_new_key(couple_key_out);
	*rc = db_run(w, "INSERT INTO couple(timezone, created_at) VALUES(?1, ?2)", "ti", tz_name,
		     (long long)time(NULL));
	if (*rc != SQLITE_OK)
		goto fail;
	*couple_id = sqlite3_last_insert_rowid(w);
	if ((*rc = insert_member(w, *couple_id, user_id, role, data_key, couple_key_out)) != SQLITE_OK ||
	    (*rc = insert_partner_invite(w, *couple_id, user_id, couple_key_out, invite_out)) != SQLITE_OK)
		goto fail;
	*rc = db_write_end(db, true);
	return *rc == SQLITE_OK ? ACCT_OK : ACCT_DB;
fail:
	db_write_end(db, false);
	return ACCT_DB;
}

enum acct_err acct_couple_join(struct db *db, long long user_id, const char *code,
			       const char *role, const unsigned char *data_key,
			       unsigned char couple_key_out[VAULT_KEY_BYTES], long long *couple_id,
			       int *rc)
{
	struct invite_row inv;
	enum acct_err err = ACCT_OK;
	if (!data_key)
		return ACCT_LOCKED;
	sqlite3 *w = db_write_begin(db);
	if (already_paired(w, user_id, &err, rc))
		goto out;
	int f = find_invite(w, code, &inv);
	if (f == 1 || (f == 0 && (!inv.partner || member_count(w, inv.couple_id) >= 2))) {
		err = ACCT_INVALID_INVITE;
		goto out;
	} else if (f) {
		*rc = f;
		goto out;
	}
	if ((*rc = insert_member(w, inv.couple_id, user_id, role, data_key, inv.couple_key)) != SQLITE_OK ||
	    (*rc = use_invite(w, inv.id, user_id)) != SQLITE_OK)
		goto out;
	memcpy(couple_key_out, inv.couple_key, VAULT_KEY_BYTES);
	*couple_id = inv.couple_id;
out:
	return end_invite_write(db, &inv, err, rc);
}

enum acct_err acct_couple_invite(struct db *db, long long user_id, const unsigned char *couple_key,
				 char invite_out[INVITE_CODE_SIZE], int *rc)
{
	long long couple_id = 0;
	if (!couple_key)
		return ACCT_LOCKED;
	sqlite3 *w = db_write_begin(db);
	*rc = db_int(w, &couple_id, "SELECT couple_id FROM member WHERE user_id = ?1", "i", user_id);
	if (*rc == SQLITE_DONE) {
		db_write_end(db, false);
		*rc = SQLITE_OK;
		return ACCT_NOT_IN_COUPLE;
	}
	if (*rc != SQLITE_ROW)
		goto fail;
	if (member_count(w, couple_id) >= 2) {
		db_write_end(db, false);
		*rc = SQLITE_OK;
		return ACCT_COUPLE_FULL;
	}
	if ((*rc = insert_partner_invite(w, couple_id, user_id, couple_key, invite_out)) != SQLITE_OK)
		goto fail;
	*rc = db_write_end(db, true);
	return *rc == SQLITE_OK ? ACCT_OK : ACCT_DB;
fail:
	db_write_end(db, false);
	return ACCT_DB;
}

int acct_signup_code(struct db *db, long long created_by, char invite_out[INVITE_CODE_SIZE])
{
	char norm[INVITE_SYMBOLS + 1];
	unsigned char h[32];
	time_t now = time(NULL);
	invite_code_new(invite_out);
	invite_code_normalise(invite_out, norm);
	code_hash(norm, h);
	sqlite3 *w = db_write_begin(db);
	/* created_by is NULL for a code made on the command line */
	int rc = db_run(w, "INSERT INTO invite(code_hash, kind, created_by, created_at, expires_at)"
			   " VALUES(?1, 'signup', nullif(?2, 0), ?3, ?4)",
			"biii", h, sizeof(h), created_by, (long long)now,
			(long long)now + INVITE_DAYS * 86400);
	int end = db_write_end(db, rc == SQLITE_OK);
	return rc == SQLITE_OK ? end : rc;
}

void password_job_run(void *arg)
{
	struct password_job *j = arg;
	unsigned char key[VAULT_KEY_BYTES];
	buf_init(&j->new_key_pw, 0);
	j->ok = false;
	if (password_verify(j->pw_hash, j->old_password) < 0)
		return;
	if (j->key_pw) {
		if (!unwrap_either(j->key_pw, j->key_pw_len, j->old_password, key))
			return;
	} else if (j->session_key) {
		memcpy(key, j->session_key, VAULT_KEY_BYTES);
	} else {
		return;
	}
	if (password_hash(j->new_password, j->new_hash) == 0 &&
	    wrap_nfc(key, j->new_password, &j->new_key_pw) == 0)
		j->ok = true;
	sodium_memzero(key, sizeof(key));
}

void password_job_wipe(struct password_job *j)
{
	buf_release(&j->new_key_pw);
}

int acct_store_password(struct db *db, long long user_id, const struct password_job *j)
{
	sqlite3 *w = db_write_begin(db);
	int rc = db_run(w, "UPDATE user SET pw_hash = ?2, key_pw = ?3 WHERE id = ?1", "itb", user_id,
			j->new_hash, j->new_key_pw.s, j->new_key_pw.len);
	int end = db_write_end(db, rc == SQLITE_OK);
	return rc == SQLITE_OK ? end : rc;
}

void password_check_run(void *arg)
{
	struct password_check_job *j = arg;
	j->ok = j->pw_hash && password_verify(j->pw_hash, j->password) == 0;
}

int acct_new_recovery(struct db *db, long long user_id, const unsigned char *data_key,
		      char code_out[VAULT_RECOVERY_CODE_SIZE])
{
	struct buf sealed = BUF_INIT;
	vault_recovery_code(code_out);
	vault_wrap_recovery(data_key, code_out, &sealed);
	sqlite3 *w = db_write_begin(db);
	int rc = db_run(w, "UPDATE user SET key_recovery = ?2 WHERE id = ?1", "ib", user_id, sealed.s,
			sealed.len);
	int end = db_write_end(db, rc == SQLITE_OK);
	buf_release(&sealed);
	return rc == SQLITE_OK ? end : rc;
}

void recover_job_run(void *arg)
{
	struct recover_job *j = arg;
	buf_init(&j->new_key_pw, 0);
	j->ok = password_verify(j->pw_hash, j->password) == 0 &&
		vault_unwrap_recovery(j->key_recovery, j->key_recovery_len, j->code, j->data_key) == 0 &&
		wrap_nfc(j->data_key, j->password, &j->new_key_pw) == 0;
}

void recover_job_wipe(struct recover_job *j)
{
	sodium_memzero(j->data_key, sizeof(j->data_key));
	buf_release(&j->new_key_pw);
}

int acct_store_recovered(struct db *db, long long user_id, const struct recover_job *j)
{
	sqlite3 *w = db_write_begin(db);
	int rc = db_run(w, "UPDATE user SET key_pw = ?2 WHERE id = ?1", "ib", user_id,
			j->new_key_pw.s, j->new_key_pw.len);
	int end = db_write_end(db, rc == SQLITE_OK);
	return rc == SQLITE_OK ? end : rc;
}

int acct_operator_reset(struct db *db, const char *username, const char *new_password)
{
	char hash[crypto_pwhash_STRBYTES];
	if (password_hash(new_password, hash) < 0)
		return SQLITE_NOMEM;
	sqlite3 *w = db_write_begin(db);
	int rc = db_run(w, "UPDATE user SET pw_hash = ?2, key_pw = NULL WHERE username = ?1", "tt",
			username, hash);
	int changed = rc == SQLITE_OK ? sqlite3_changes(w) : 0;
	int end = db_write_end(db, rc == SQLITE_OK);
	if (rc != SQLITE_OK)
		return rc;
	if (end != SQLITE_OK)
		return end;
	return changed ? 0 : 1;
}

int acct_couple_since(sqlite3 *c, long long couple_id, long long *created_at)
{
	*created_at = 0;
	int rc = db_int(c, created_at, "SELECT created_at FROM couple WHERE id = ?1", "i", couple_id);
	return rc == SQLITE_ROW ? SQLITE_OK : rc == SQLITE_DONE ? SQLITE_NOTFOUND : rc;
}

int acct_couple_members(sqlite3 *c, long long user_id, long long *couple_id, struct acct_member out[2],
			size_t *n)
{
	*n = 0;
	*couple_id = 0;
	int rc = db_int(c, couple_id, "SELECT couple_id FROM member WHERE user_id = ?1", "i", user_id);
	if (rc == SQLITE_DONE)
		return SQLITE_OK;
	if (rc != SQLITE_ROW)
		return rc;
	sqlite3_stmt *st = db_prepare(c, "SELECT user_id, couple_key FROM member WHERE couple_id = ?1"
					 " ORDER BY user_id LIMIT 2", "i", *couple_id);
	if (!st)
		return sqlite3_extended_errcode(c);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct acct_member *m = &out[(*n)++];
		size_t len = (size_t)sqlite3_column_bytes(st, 1);
		m->user_id = sqlite3_column_int64(st, 0);
		m->couple_key_len = len < sizeof(m->couple_key) ? len : sizeof(m->couple_key);
		if (m->couple_key_len)
			memcpy(m->couple_key, sqlite3_column_blob(st, 1), m->couple_key_len);
	}
	db_done(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int acct_couple_end(sqlite3 *w, long long couple_id)
{
	int rc = db_run(w, "DELETE FROM invite WHERE couple_id = ?1", "i", couple_id);
	if (rc == SQLITE_OK)
		rc = db_run(w, "DELETE FROM member WHERE couple_id = ?1", "i", couple_id);
	if (rc == SQLITE_OK)
		rc = db_run(w, "DELETE FROM couple WHERE id = ?1", "i", couple_id);
	return rc;
}

int acct_forget_user(sqlite3 *w, long long user_id)
{
	int rc = db_run(w, "DELETE FROM invite WHERE created_by = ?1 OR used_by = ?1", "i", user_id);
	if (rc == SQLITE_OK)
		rc = db_run(w, "DELETE FROM therapist_key WHERE user_id = ?1", "i", user_id);
	if (rc == SQLITE_OK)
		rc = db_run(w, "DELETE FROM user WHERE id = ?1", "i", user_id);
	return rc;
}

int acct_is_last_operator(sqlite3 *c, long long user_id, bool *last)
{
	long long n = 0;
	int rc = db_int(c, &n,
			"SELECT (SELECT is_operator FROM user WHERE id = ?1)"
			" AND NOT EXISTS (SELECT 1 FROM user WHERE id <> ?1 AND is_operator AND NOT disabled)"
			" AND EXISTS (SELECT 1 FROM user WHERE id <> ?1)",
			"i", user_id);
	*last = rc == SQLITE_ROW && n;
	return rc == SQLITE_ROW ? SQLITE_OK : rc;
}

struct named {
	const char *username;
};

static int make_operator(sqlite3 *w, void *arg)
{
	const struct named *a = arg;
	int rc = db_run(w, "UPDATE user SET is_operator = 1 WHERE username = ?1", "t", a->username);
	return rc == SQLITE_OK && sqlite3_changes(w) == 0 ? 1 : rc;
}

int acct_make_operator(struct db *db, const char *username)
{
	struct named a = { username };
	return db_write(db, make_operator, &a);
}

struct zone_change {
	long long couple_id;
	const char *tz;
};

static int set_timezone(sqlite3 *w, void *arg)
{
	const struct zone_change *a = arg;
	return db_run(w, "UPDATE couple SET timezone = ?2 WHERE id = ?1", "it", a->couple_id, a->tz);
}

int acct_couple_set_timezone(struct db *db, long long couple_id, const char *tz)
{
	struct zone_change a = { couple_id, tz };
	return db_write(db, set_timezone, &a);
}

int acct_count_users(sqlite3 *c, const char *const *names, size_t n, long long *all, long long *named)
{
	int rc = db_int(c, all, "SELECT count(*) FROM user", "");
	*named = 0;
	for (size_t i = 0; rc == SQLITE_ROW && i < n; i++) {
		long long one = 0;
		rc = db_int(c, &one, "SELECT count(*) FROM user WHERE username = ?1", "t", names[i]);
		*named += one;
	}
	return rc == SQLITE_ROW ? SQLITE_OK : rc;
}

/* The first row of st's statement with text columns copied into the
 * arena (out[i] is column i, NULL for a NULL); SQLITE_OK, SQLITE_NOTFOUND
 * or an error. Finishes st. */
static int row_texts(sqlite3 *c, sqlite3_stmt *st, struct arena *a, const char **out, int n)
{
	if (!st)
		return sqlite3_extended_errcode(c);
	int rc = sqlite3_step(st);
	for (int i = 0; rc == SQLITE_ROW && i < n; i++)
		out[i] = sqlite3_column_type(st, i) == SQLITE_NULL
			 ? NULL : arena_strdup(a, (const char *)sqlite3_column_text(st, i));
	db_done(st);
	return rc == SQLITE_ROW ? SQLITE_OK : rc == SQLITE_DONE ? SQLITE_NOTFOUND : rc;
}

int acct_user_names(sqlite3 *c, long long user_id, struct arena *a, const char **username,
		    const char **display_name)
{
	const char *v[2];
	int rc = row_texts(c, db_prepare(c, "SELECT username, display_name FROM user WHERE id = ?1", "i", user_id),
			   a, v, 2);
	if (rc == SQLITE_OK) {
		*username = v[0];
		*display_name = v[1];
	}
	return rc;
}

int acct_partner_named(sqlite3 *c, long long couple_id, long long user_id, struct arena *a,
		       const char **display_name, const char **role)
{
	const char *v[2];
	int rc = row_texts(c, db_prepare(c, "SELECT u.display_name, m.role FROM member m JOIN user u ON u.id = m.user_id"
					    " WHERE m.couple_id = ?1 AND m.user_id <> ?2", "ii", couple_id, user_id),
			   a, v, 2);
	if (rc == SQLITE_OK) {
		*display_name = v[0];
		*role = v[1];
	}
	return rc;
}

int acct_active_member(sqlite3 *c, long long user_id, long long couple_id, struct arena *a, const char **tz)
{
	return row_texts(c, db_prepare(c, "SELECT cp.timezone FROM member m JOIN couple cp ON cp.id = m.couple_id"
					  " JOIN user u ON u.id = m.user_id AND u.disabled = 0"
					  " WHERE m.user_id = ?1 AND m.couple_id = ?2", "ii", user_id, couple_id),
			 a, tz, 1);
}

int acct_couple_timezone(sqlite3 *c, long long couple_id, struct arena *a, const char **tz)
{
	return row_texts(c, db_prepare(c, "SELECT timezone FROM couple WHERE id = ?1", "i", couple_id), a, tz, 1);
}

int acct_recovery_material(sqlite3 *c, long long user_id, struct arena *a, const void **key_recovery,
			   size_t *key_recovery_len, const char **pw_hash)
{
	sqlite3_stmt *st = db_prepare(c, "SELECT key_recovery, pw_hash FROM user WHERE id = ?1", "i", user_id);
	if (!st)
		return sqlite3_extended_errcode(c);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*key_recovery_len = (size_t)sqlite3_column_bytes(st, 0);
		*key_recovery = arena_strndup(a, sqlite3_column_blob(st, 0), *key_recovery_len);
		*pw_hash = arena_strdup(a, (const char *)sqlite3_column_text(st, 1));
	}
	db_done(st);
	return rc == SQLITE_ROW ? SQLITE_OK : rc == SQLITE_DONE ? SQLITE_NOTFOUND : rc;
}

sqlite3_stmt *acct_users_list(sqlite3 *c)
{
	return db_prepare(c, "SELECT u.id, u.username, u.display_name, u.is_operator, u.disabled,"
			     "       EXISTS(SELECT 1 FROM member m WHERE m.user_id = u.id)"
			     "  FROM user u ORDER BY u.id", "");
}

sqlite3_stmt *acct_viewer_row(sqlite3 *c, long long user_id)
{
	sqlite3_stmt *st = db_prepare(c,
		"SELECT u.username, u.display_name, u.is_operator, u.disabled,"
		"       m.couple_id, m.role, cp.timezone, p.user_id, pu.display_name, u.kind"
		"  FROM user u LEFT JOIN member m ON m.user_id = u.id"
		"  LEFT JOIN couple cp ON cp.id = m.couple_id"
		"  LEFT JOIN member p ON p.couple_id = m.couple_id AND p.user_id <> u.id"
		"  LEFT JOIN user pu ON pu.id = p.user_id"
		" WHERE u.id = ?1", "i", user_id);
	if (st && sqlite3_step(st) != SQLITE_ROW) {
		db_done(st);
		return NULL;
	}
	return st;
}

struct disabling {
	const char *username;
	bool disabled;
};

static int set_disabled(sqlite3 *w, void *arg)
{
	const struct disabling *d = arg;
	int rc = db_run(w, "UPDATE user SET disabled = ?2 WHERE username = ?1", "ti", d->username,
			(long long)d->disabled);
	return rc == SQLITE_OK && sqlite3_changes(w) == 0 ? 1 : rc;
}

int acct_set_disabled(struct db *db, const char *username, bool disabled)
{
	struct disabling d = { username, disabled };
	return db_write(db, set_disabled, &d);
}

int acct_partner(sqlite3 *c, long long couple_id, long long user_id, long long *partner_id, char *role)
{
	sqlite3_stmt *st = db_prepare(c, "SELECT user_id, role FROM member WHERE couple_id = ?1 AND user_id <> ?2",
				      "ii", couple_id, user_id);
	if (!st)
		return sqlite3_extended_errcode(c);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (partner_id)
			*partner_id = sqlite3_column_int64(st, 0);
		if (role)
			snprintf(role, 16, "%s", (const char *)sqlite3_column_text(st, 1));
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		rc = SQLITE_NOTFOUND;
	}
	db_done(st);
	return rc;
}

/* ---- the counsellor's account ---- */

int acct_code_hash(const char *code, unsigned char out[32])
{
	char norm[INVITE_SYMBOLS + 1];
	if (!code || invite_code_normalise(code, norm) < 0)
		return -1;
	code_hash(norm, out);
	return 0;
}

/* Stores a new key pair for counsellor user_id: the public key plain, the
 * secret key wrapped under their data key. Writer held. */
static int insert_therapist_key(sqlite3 *w, long long user_id, const unsigned char *data_key)
{
	unsigned char pk[VAULT_BOX_PUBLIC_BYTES], sk[VAULT_BOX_SECRET_BYTES];
	struct buf sealed = BUF_INIT;
	vault_box_keypair(pk, sk);
	vault_wrap_key(data_key, sk, &sealed);
	sodium_memzero(sk, sizeof(sk));
	int rc = db_run(w, "INSERT INTO therapist_key(user_id, public_key, secret_key) VALUES(?1, ?2, ?3)",
			"ibb", user_id, pk, sizeof(pk), sealed.s, sealed.len);
	buf_release(&sealed);
	return rc;
}

enum acct_err acct_signup_therapist(struct db *db, const char *username, const char *display_name,
				    const char *code, const struct signup_job *job,
				    int (*redeem)(sqlite3 *w, const char *code, long long user_id, void *arg),
				    void *arg, long long *user_id, int *rc)
{
	struct invite_row inv;
	long long taken = 0;
	enum acct_err err = ACCT_OK;
	*rc = SQLITE_OK;
	memset(&inv, 0, sizeof(inv));
	sqlite3 *w = db_write_begin(db);
	/* The code first: an operator's signup code, or a couple's invitation
	 * to a counsellor (redeem with user_id 0 only checks it). */
	int f = find_invite(w, code, &inv);
	if (f > 1) {
		*rc = f;
		goto out;
	}
	bool signup_code = f == 0 && !inv.partner;
	if (!signup_code) {
		int g = redeem(w, code, 0, arg);
		if (g > 1) {
			*rc = g;
			goto out;
		}
		if (g == 1) {
			err = ACCT_INVALID_INVITE;
			goto out;
		}
	}
	if ((*rc = db_int(w, &taken, "SELECT count(*) FROM user WHERE username = ?1", "t", username)) != SQLITE_ROW)
		goto out;
	*rc = SQLITE_OK;
	if (taken) {
		err = ACCT_USERNAME_TAKEN;
		goto out;
	}
	*rc = db_run(w, "INSERT INTO user(username, display_name, pw_hash, key_pw, key_recovery,"
			" kind, created_at) VALUES(?1, ?2, ?3, ?4, ?5, 'therapist', ?6)",
		     "tttbbi", username, display_name, job->pw_hash, job->key_pw.s, job->key_pw.len,
		     job->key_recovery.s, job->key_recovery.len, (long long)time(NULL));
	if (*rc != SQLITE_OK)
		goto out;
	*user_id = sqlite3_last_insert_rowid(w);
	if ((*rc = insert_therapist_key(w, *user_id, job->data_key)) != SQLITE_OK)
		goto out;
	if (signup_code)
		*rc = use_invite(w, inv.id, *user_id);
	else if ((f = redeem(w, code, *user_id, arg)) != 0)
		*rc = f == 1 ? SQLITE_CONSTRAINT : f;
out:
	return end_invite_write(db, &inv, err, rc);
}

int acct_therapist_keys(sqlite3 *c, long long user_id, const unsigned char *data_key,
			unsigned char pk[VAULT_BOX_PUBLIC_BYTES], unsigned char *sk)
{
	sqlite3_stmt *st = db_prepare(c, "SELECT public_key, secret_key FROM therapist_key"
					 " WHERE user_id = ?1", "i", user_id);
	if (!st)
		return sqlite3_extended_errcode(c);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		rc = SQLITE_NOTFOUND;
		if (sqlite3_column_bytes(st, 0) == VAULT_BOX_PUBLIC_BYTES) {
			memcpy(pk, sqlite3_column_blob(st, 0), VAULT_BOX_PUBLIC_BYTES);
			rc = SQLITE_OK;
			if (sk && vault_unwrap_key(data_key, sqlite3_column_blob(st, 1),
						   (size_t)sqlite3_column_bytes(st, 1), sk) < 0)
				rc = SQLITE_AUTH;
		}
	} else if (rc == SQLITE_DONE) {
		rc = SQLITE_NOTFOUND;
	}
	db_done(st);
	return rc;
}

int acct_couple_people(sqlite3 *c, struct arena *a, long long couple_id, struct acct_person out[2], size_t *n)
{
	*n = 0;
	sqlite3_stmt *st = db_prepare(c, "SELECT m.user_id, u.display_name, m.role FROM member m"
					 " JOIN user u ON u.id = m.user_id WHERE m.couple_id = ?1"
					 " ORDER BY m.user_id LIMIT 2", "i", couple_id);
	if (!st)
		return sqlite3_extended_errcode(c);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct acct_person *p = &out[(*n)++];
		p->user_id = sqlite3_column_int64(st, 0);
		p->name = arena_strdup(a, (const char *)sqlite3_column_text(st, 1));
		p->role = arena_strdup(a, (const char *)sqlite3_column_text(st, 2));
	}
	db_done(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int acct_display_name(sqlite3 *c, struct arena *a, long long user_id, const char **name)
{
	*name = NULL;
	sqlite3_stmt *st = db_prepare(c, "SELECT display_name FROM user WHERE id = ?1", "i", user_id);
	if (!st)
		return sqlite3_extended_errcode(c);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*name = arena_strdup(a, (const char *)sqlite3_column_text(st, 0));
	db_done(st);
	return rc == SQLITE_ROW ? SQLITE_OK : rc == SQLITE_DONE ? SQLITE_NOTFOUND : rc;
}

int acct_member_zone(sqlite3 *c, long long user_id, long long *couple_id, char *zone, size_t size)
{
	sqlite3_stmt *st = db_prepare(c, "SELECT m.couple_id, c.timezone FROM member m JOIN couple c ON c.id = m.couple_id"
				      " JOIN user u ON u.id = m.user_id WHERE m.user_id = ?1 AND u.disabled = 0",
				      "i", user_id);
	if (!st)
		return sqlite3_extended_errcode(c);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*couple_id = sqlite3_column_int64(st, 0);
		snprintf(zone, size, "%s", (const char *)sqlite3_column_text(st, 1));
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		rc = SQLITE_NOTFOUND;
	}
	db_done(st);
	return rc;
}
