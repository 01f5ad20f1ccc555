/* account.h: accounts, couples and invites in the store, and the slow
 * password work that runs off the serving threads. Shared by the JSON API
 * (features/account_api.c), the pages (features/account_pages.c) and the
 * CLI (troth user, troth invite, troth demo). Every statement is bound;
 * every couple query is keyed by the couple id. */
#ifndef TROTH_ACCOUNT_H
#define TROTH_ACCOUNT_H

#include <sodium.h>
#include <stdbool.h>

#include "../base/buf.h"
#include "../db/db.h"
#include "vault.h"

struct arena;

#define INVITE_SYMBOLS 16          /* 80 bits, shown as XXXX-XXXX-XXXX-XXXX */
#define INVITE_CODE_SIZE 20
#define INVITE_DAYS 7

/* Input checks: NULL when fine, else a short message for the person. */
const char *acct_check_username(const char *u);
const char *acct_check_display_name(const char *d);
const char *acct_check_role(const char *role);
const char *acct_check_timezone(const char *tz);

/* Error outcomes of the flows below, each with a stable API code. */
enum acct_err {
	ACCT_OK = 0,
	ACCT_INVITE_REQUIRED,   /* 403 invite_required */
	ACCT_USERNAME_TAKEN,    /* 409 username_taken */
	ACCT_INVALID_INVITE,    /* 404 invalid_invite */
	ACCT_ALREADY_IN_COUPLE, /* 409 already_in_couple */
	ACCT_COUPLE_FULL,       /* 409 couple_full */
	ACCT_NOT_IN_COUPLE,     /* 409 no_couple */
	ACCT_LOCKED,            /* 409 keys_locked: session has no data key */
	ACCT_THERAPIST,         /* 409 counsellor_account: a counsellor joins no couple */
	ACCT_DB,                /* storage failure: see *rc */
};

/* The slow part of a sign-up: hash the password, make the data key, seal it
 * under the password and a new recovery code. Runs on a worker. */
struct signup_job {
	const char *password;
	int failed;
	char pw_hash[crypto_pwhash_STRBYTES];
	unsigned char data_key[VAULT_KEY_BYTES];
	struct buf key_pw, key_recovery;
	char recovery[VAULT_RECOVERY_CODE_SIZE];
};
void signup_job_run(void *arg);
void signup_job_wipe(struct signup_job *j);

/* The slow part of a login: verify, open the data key, rehash when the
 * limits rose. Runs on a worker. pw_hash/key_pw are read before. */
struct login_job {
	const char *password;
	const char *pw_hash;        /* NULL: unknown user (a dummy hash still runs) */
	const void *key_pw;
	size_t key_pw_len;
	bool ok;                    /* password right */
	bool have_key;              /* data_key opened */
	bool rehashed;              /* new_hash / new_key_pw to store */
	char new_hash[crypto_pwhash_STRBYTES];
	struct buf new_key_pw;
	unsigned char data_key[VAULT_KEY_BYTES];
};
void login_job_run(void *arg);
void login_job_wipe(struct login_job *j);

/* A user's login material, read with the reader connection. Returns 0 (and
 * fills the fields, allocated in the arena), 1 when there is no such
 * (enabled) user, or an SQLite error. */
struct arena;
int acct_load_login(sqlite3 *c, struct arena *a, const char *username, long long *user_id,
		    const char **pw_hash, const void **key_pw, size_t *key_pw_len);

/* Creates the user from a finished signup_job. The first user on an empty
 * database becomes the operator; after that an invite code is needed: a
 * signup code, or a partner's invite (then, with a role, the user joins
 * that couple at once). Returns ACCT_OK with *user_id and *couple_key_out
 * (valid when *joined), or an error; *rc holds the SQLite code for ACCT_DB. */
enum acct_err acct_signup(struct db *db, const char *username, const char *display_name,
			  const char *invite_code, const char *role, const struct signup_job *job,
			  long long *user_id, bool *joined, unsigned char couple_key_out[VAULT_KEY_BYTES],
			  int *rc);

/* Whether code is a live invite a new account could use now (a signup
 * code, or a partner invite whose couple has room). Returns 0 when it is,
 * 1 when not (unknown, used, expired, malformed, full), or an SQLite error.
 * Cheap: no password hashing. */
int acct_invite_usable(sqlite3 *c, const char *code);

/* Opens the user's couple key with the data key. Returns 0 (and fills key),
 * 1 when not in a couple, -1 when it cannot be opened or read. */
int acct_couple_key(sqlite3 *c, long long user_id, const unsigned char *data_key,
		    unsigned char key[VAULT_KEY_BYTES]);

/* Stores a login's rehash (new password hash and sealed key). */
int acct_store_rehash(struct db *db, long long user_id, const struct login_job *j);

/* Creates a couple for user_id with a fresh couple key, sealed under the
 * user's data key, and a partner invite. Writes the code into invite_out. */
enum acct_err acct_couple_create(struct db *db, long long user_id, const char *role,
				 const char *tz_name, const unsigned char *data_key,
				 unsigned char couple_key_out[VAULT_KEY_BYTES],
				 char invite_out[INVITE_CODE_SIZE], long long *couple_id, int *rc);

/* Joins the couple of a partner invite. */
enum acct_err acct_couple_join(struct db *db, long long user_id, const char *code,
			       const char *role, const unsigned char *data_key,
			       unsigned char couple_key_out[VAULT_KEY_BYTES], long long *couple_id,
			       int *rc);

/* A new partner invite for the couple (older unused ones die). */
enum acct_err acct_couple_invite(struct db *db, long long user_id, const unsigned char *couple_key,
				 char invite_out[INVITE_CODE_SIZE], int *rc);


/* A signup code from the operator (no couple). */
int acct_signup_code(struct db *db, long long created_by, char invite_out[INVITE_CODE_SIZE]);

/* Password change: the slow part (verify old, seal key under new, hash). */
struct password_job {
	const char *old_password, *new_password;
	const char *pw_hash;
	const void *key_pw;
	size_t key_pw_len;
	const unsigned char *session_key;  /* fallback when key_pw is NULL */
	bool ok;
	char new_hash[crypto_pwhash_STRBYTES];
	struct buf new_key_pw;
};
void password_job_run(void *arg);
void password_job_wipe(struct password_job *j);
int acct_store_password(struct db *db, long long user_id, const struct password_job *j);

/* The current password typed again, checked against the stored hash
 * (slow: runs on a worker). ok is true when it matches. */
struct password_check_job {
	const char *pw_hash, *password;
	bool ok;
};
void password_check_run(void *arg);

/* Replaces the recovery code: seals the data key under a new one. */
int acct_new_recovery(struct db *db, long long user_id, const unsigned char *data_key,
		      char code_out[VAULT_RECOVERY_CODE_SIZE]);

/* After an operator reset: opens the data key with the recovery code and
 * seals it under the current password (slow: runs on a worker). */
struct recover_job {
	const char *code, *password;
	const char *pw_hash;       /* the password must be the account's current one */
	const void *key_recovery;
	size_t key_recovery_len;
	bool ok;
	unsigned char data_key[VAULT_KEY_BYTES];
	struct buf new_key_pw;
};
void recover_job_run(void *arg);
void recover_job_wipe(struct recover_job *j);
int acct_store_recovered(struct db *db, long long user_id, const struct recover_job *j);

/* Operator reset: a new password hash; the sealed key under the old
 * password is dropped (the operator cannot recover it; the user's recovery
 * code can). Slow. Returns 0, 1 for no such user, or an SQLite error. */
int acct_operator_reset(struct db *db, const char *username, const char *new_password);

/* Invite code helpers. */
void invite_code_new(char out[INVITE_CODE_SIZE]);
/* Canonical form (16 symbols) of a typed code; -1 when malformed. */
int invite_code_normalise(const char *in, char out[INVITE_SYMBOLS + 1]);

/* When couple couple_id began (seconds since 1970) into *created_at, read
 * on connection c. Returns SQLITE_OK, SQLITE_NOTFOUND or an error. */
int acct_couple_since(sqlite3 *c, long long couple_id, long long *created_at);

/* ---- a couple that ends, an account that closes (features/parting.c) ---- */

/* A member of a couple: who, and the couple key as wrapped for them. */
struct acct_member {
	long long user_id;
	unsigned char couple_key[VAULT_KEYWRAP_BLOB_BYTES];
	size_t couple_key_len;
};
/* The couple of user_id into *couple_id (0: none) and its members (at most
 * two) into out, *n of them. Returns SQLITE_OK or an error. */
int acct_couple_members(sqlite3 *c, long long user_id, long long *couple_id, struct acct_member out[2],
			size_t *n);
/* Ends couple_id: its invites, its members (every wrap of its key) and the
 * couple itself go. Its records must be gone first. Returns SQLITE_OK or an
 * error. */
int acct_couple_end(sqlite3 *w, long long couple_id);
/* Deletes user_id's account row, the invites they made or used and, for a
 * counsellor, their key pair; the person must be in no couple and hold
 * nothing else. Returns SQLITE_OK or
 * an error. */
int acct_forget_user(sqlite3 *w, long long user_id);
/* Whether user_id is the server's last operator while others still use it:
 * an operator, with no other operator who can log in, and other accounts.
 * Closing such an account would leave nobody to look after the server.
 * Returns SQLITE_OK with *last set, or an error. */
int acct_is_last_operator(sqlite3 *c, long long user_id, bool *last);
/* Makes the account `username` an operator. Returns SQLITE_OK, 1 when there
 * is no such account, or an error. */
int acct_make_operator(struct db *db, const char *username);

/* The couple's time zone becomes tz (checked first with
 * acct_check_timezone): days and weeks are counted in it from the next
 * request on. Either partner may change it. Returns SQLITE_OK or an
 * error. */
int acct_couple_set_timezone(struct db *db, long long couple_id, const char *tz);

/* The account's names, copied into the arena: SQLITE_OK, SQLITE_NOTFOUND,
 * or an error. */
int acct_user_names(sqlite3 *c, long long user_id, struct arena *a, const char **username,
		    const char **display_name);
/* The partner of user_id in couple_id: display name and role copied into
 * the arena. SQLITE_OK, SQLITE_NOTFOUND while none has joined, or an error. */
int acct_partner_named(sqlite3 *c, long long couple_id, long long user_id, struct arena *a,
		       const char **display_name, const char **role);
/* Whether user_id can log in and is in couple_id: SQLITE_OK with the
 * couple's time zone copied into the arena, SQLITE_NOTFOUND, or an error. */
int acct_active_member(sqlite3 *c, long long user_id, long long couple_id, struct arena *a, const char **tz);
/* The couple's time zone, copied into the arena: SQLITE_OK,
 * SQLITE_NOTFOUND, or an error. */
int acct_couple_timezone(sqlite3 *c, long long couple_id, struct arena *a, const char **tz);
/* What a recovery opens with: the data key sealed under the recovery code
 * (its bytes and length) and the password hash, copied into the arena.
 * SQLITE_OK, SQLITE_NOTFOUND, or an error. */
int acct_recovery_material(sqlite3 *c, long long user_id, struct arena *a, const void **key_recovery,
			   size_t *key_recovery_len, const char **pw_hash);
/* Every account, oldest first, for the operator: a statement whose rows are
 * id, username, display_name, is_operator, disabled, in a couple (0/1).
 * Step it, then db_done it. NULL on error (the error is c's). */
sqlite3_stmt *acct_users_list(sqlite3 *c);
/* The row a live session's viewer is made from, stepped onto it: username,
 * display_name, is_operator, disabled, couple_id, role, the couple's
 * timezone, the partner's user_id and display_name, kind. NULL when there
 * is no such account or on error; db_done it. */
sqlite3_stmt *acct_viewer_row(sqlite3 *c, long long user_id);
/* Disables (or enables) the account `username`: SQLITE_OK, 1 when there is
 * no such account, or an error. */
int acct_set_disabled(struct db *db, const char *username, bool disabled);

/* How many accounts there are (*all) and how many of them have one of the
 * n names (*named), read on c. Returns SQLITE_OK or an error. */
int acct_count_users(sqlite3 *c, const char *const *names, size_t n, long long *all, long long *named);

/* The other member of couple_id than user_id, read on c: their id into
 * *partner_id and their role into role (16 bytes), either may be NULL.
 * Returns SQLITE_OK, SQLITE_NOTFOUND when there is no partner (yet), or an
 * error. */
int acct_partner(sqlite3 *c, long long couple_id, long long user_id, long long *partner_id, char *role);

/* ---- the counsellor's account ----
 * A counsellor (user.kind 'therapist') joins no couple. They hold an X25519
 * key pair: the public key plain, the secret key wrapped under their data
 * key (vault_wrap_key), so only their own session opens what a couple
 * sealed to them. */

/* The hash an invite code is stored by (normalised first), into out.
 * Returns 0, or -1 when the code is malformed. */
int acct_code_hash(const char *code, unsigned char out[32]);

/* Creates a counsellor's account from a finished signup_job, with a fresh
 * key pair. code is an operator's signup code, or a couple's invitation
 * that redeem recognises: redeem(w, code, 0, arg) checks it (0 usable, 1
 * not, else an SQLite error); redeem(w, code, user_id, arg) uses it for the
 * new account, in the same transaction. Returns ACCT_OK with *user_id,
 * ACCT_INVALID_INVITE, ACCT_USERNAME_TAKEN, or ACCT_DB with *rc. */
enum acct_err acct_signup_therapist(struct db *db, const char *username, const char *display_name,
				    const char *code, const struct signup_job *job,
				    int (*redeem)(sqlite3 *w, const char *code, long long user_id, void *arg),
				    void *arg, long long *user_id, int *rc);

/* Counsellor user_id's public key into pk and, when sk is not NULL, their
 * secret key opened with data_key into sk (VAULT_BOX_SECRET_BYTES). Returns
 * SQLITE_OK, SQLITE_NOTFOUND when user_id is no counsellor, SQLITE_AUTH when
 * the secret key does not open, or an error. */
int acct_therapist_keys(sqlite3 *c, long long user_id, const unsigned char *data_key,
			unsigned char pk[VAULT_BOX_PUBLIC_BYTES], unsigned char *sk);

/* A member of a couple as others may name them. */
struct acct_person {
	long long user_id;
	const char *name;   /* display name (arena) */
	const char *role;   /* "hurt" | "accountable" | "both" (arena) */
};
/* The members of couple_id (at most two, by user id) into out, *n of them,
 * strings in arena a. Returns SQLITE_OK or an error. */
int acct_couple_people(sqlite3 *c, struct arena *a, long long couple_id, struct acct_person out[2], size_t *n);
/* user_id's display name into *name (arena a). Returns SQLITE_OK,
 * SQLITE_NOTFOUND or an error. */
int acct_display_name(sqlite3 *c, struct arena *a, long long user_id, const char **name);
/* The couple of user_id (an account that is not disabled) into *couple_id
 * and its time zone's name into zone (size bytes), read on c. Returns
 * SQLITE_OK, SQLITE_NOTFOUND when the person is in no couple, or an
 * error. */
int acct_member_zone(sqlite3 *c, long long user_id, long long *couple_id, char *zone, size_t size);

#endif
