/* account_api.c: the JSON API for accounts, sessions and couples. The slow
 * steps (password hashing) are deferred to the worker pool; the handler is
 * then called again with r->defer_done and finishes. */
#include "account.h"

#include <string.h>
#include <time.h>

#include "../app.h"
#include "../auth/password.h"
#include "../auth/throttle.h"
#include "../http/defer.h"
#include "../http/jsonin.h"

const char *account_session_label(struct req *r)
{
	const char *ua = kv_geti(&r->headers, "User-Agent");
	const char *browser = "A browser", *os = NULL;
	if (!ua)
		return "A browser";
	if (strstr(ua, "Firefox/"))
		browser = "Firefox";
	else if (strstr(ua, "Edg/"))
		browser = "Edge";
	else if (strstr(ua, "Chrome/") || strstr(ua, "Chromium/"))
		browser = "Chrome";
	else if (strstr(ua, "Safari/"))
		browser = "Safari";
	if (strstr(ua, "Android"))
		os = "Android";
	else if (strstr(ua, "iPhone") || strstr(ua, "iPad"))
		os = "iPhone";
	else if (strstr(ua, "Windows"))
		os = "Windows";
	else if (strstr(ua, "Mac OS"))
		os = "a Mac";
	else if (strstr(ua, "Linux"))
		os = "Linux";
	return os ? arena_printf(&r->arena, "%s on %s", browser, os) : browser;
}

json_t *account_user_json(const struct viewer *v)
{
	return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)v->user_id, "username", v->username,
			 "display_name", v->display_name);
}

json_t *account_couple_json(struct req *r)
{
	const struct viewer *v = r->me;
	if (!v || !v->couple_id)
		return json_null();
	json_t *partner = json_null();
	sqlite3 *c = db_reader(&r->app->db);
	const char *name, *role;
	if (c && acct_partner_named(c, v->couple_id, v->user_id, &r->arena, &name, &role) == SQLITE_OK)
		partner = json_pack("{s:s, s:s}", "display_name", name, "role", role);
	return json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)v->couple_id, "my_role", v->role,
			 "timezone", v->timezone, "partner", partner);
}

void account_error(struct req *r, enum acct_err e, int rc)
{
	switch (e) {
	case ACCT_OK:
		break;
	case ACCT_INVITE_REQUIRED:
		req_error(r, 403, "invite_required",
			  "Joining this server needs an invite code. Ask your partner or whoever runs it.",
			  "invite_code");
		break;
	case ACCT_USERNAME_TAKEN:
		req_error(r, 409, "username_taken", "That username is taken. Please choose another.", "username");
		break;
	case ACCT_INVALID_INVITE:
		req_error(r, 404, "invalid_invite",
			  "That invite code does not work. It may be used, expired or mistyped.", "invite_code");
		break;
	case ACCT_ALREADY_IN_COUPLE:
		req_error(r, 409, "already_in_couple", "You are already in a couple.", NULL);
		break;
	case ACCT_COUPLE_FULL:
		req_error(r, 409, "couple_full", "Your partner has joined already.", NULL);
		break;
	case ACCT_NOT_IN_COUPLE:
		req_error(r, 409, "no_couple", "You are not in a couple.", NULL);
		break;
	case ACCT_LOCKED:
		req_error(r, 409, "keys_locked",
			  "Your private notes are locked. Enter your recovery code in settings first.", NULL);
		break;
	case ACCT_THERAPIST:
		req_error(r, 409, "counsellor_account",
			  "This is a counsellor's account. It works with couples and joins none.", NULL);
		break;
	case ACCT_DB:
		req_db_error(r, rc);
		break;
	}
}

/* Answers 429 with Retry-After: the calm refusal of a throttled attempt. */
static void too_many(struct req *r, int wait)
{
	req_header(r, "Retry-After", arena_printf(&r->arena, "%d", wait));
	req_error(r, 429, "too_many_attempts", "Too many tries. Please wait a little and try again.", NULL);
}

enum acct_err account_signup_check(struct req *r, const char *username, const char *invite, int *wait,
				   int *rc)
{
	long long users = 0, taken = 0;
	const char *tkey = arena_printf(&r->arena, "invite:%s", r->client_addr);
	sqlite3 *c = db_reader(&r->app->db);
	*wait = 0;
	*rc = SQLITE_OK;
	if (!c || (*rc = acct_count_users(c, &username, 1, &users, &taken)) != SQLITE_OK) {
		if (!c)
			*rc = SQLITE_CANTOPEN;
		return ACCT_DB;
	}
	if (users > 0) {
		if (!invite)
			return ACCT_INVITE_REQUIRED;
		if ((*wait = throttle_wait(tkey, &THROTTLE_INVITE, throttle_now())))
			return ACCT_OK;
		int f = acct_invite_usable(c, invite);
		if (f == 1) {
			throttle_fail(tkey, throttle_now());
			return ACCT_INVALID_INVITE;
		}
		if (f) {
			*rc = f;
			return ACCT_DB;
		}
	}
	return taken ? ACCT_USERNAME_TAKEN : ACCT_OK;
}

static const char *const SIGNUP_FIELDS[] = { "username", "password", "display_name",
					     "invite_code", "role", NULL };

/* Checks the sign-up fields; answers and returns -1 when one is wrong. */
static int signup_fields(struct req *r, const char **username, const char **password,
			 const char **display, const char **invite, const char **role)
{
	json_t *b = r->json;
	const char *msg;
	if (jin_only(r, b, SIGNUP_FIELDS) < 0 || jin_str(r, b, "username", true, 32, username) < 0 ||
	    jin_str(r, b, "password", true, 128, password) < 0 ||
	    jin_str(r, b, "display_name", true, 64, display) < 0 ||
	    jin_str(r, b, "invite_code", false, 64, invite) < 0 || jin_str(r, b, "role", false, 16, role) < 0)
		return -1;
	if ((msg = acct_check_username(*username))) {
		req_error(r, 400, "invalid_field", msg, "username");
		return -1;
	}
	if ((msg = password_check_policy(*password, strlen(*password)))) {
		req_error(r, 400, "weak_password", msg, "password");
		return -1;
	}
	if ((msg = acct_check_display_name(*display))) {
		req_error(r, 400, "invalid_field", msg, "display_name");
		return -1;
	}
	if (*role && (msg = acct_check_role(*role))) {
		req_error(r, 400, "invalid_field", msg, "role");
		return -1;
	}
	return 0;
}

void api_account_create(struct req *r)
{
	const char *username, *password, *display, *invite, *role;
	if (signup_fields(r, &username, &password, &display, &invite, &role) < 0)
		return;
	if (!r->defer_done) {
		/* Cheap answers first, so a guess costs no hashing. */
		int wait = 0, rc = SQLITE_OK;
		enum acct_err e = account_signup_check(r, username, invite, &wait, &rc);
		if (e != ACCT_OK) {
			account_error(r, e, rc);
			return;
		}
		if (wait) {
			too_many(r, wait);
			return;
		}
		struct signup_job *job = arena_alloc(&r->arena, sizeof(*job));
		job->password = password;
		req_defer(r, signup_job_run, job);
		return;
	}
	struct signup_job *job = r->defer_arg;
	long long user_id = 0;
	bool joined = false;
	unsigned char ck[VAULT_KEY_BYTES];
	int rc = SQLITE_OK;
	if (job->failed) {
		signup_job_wipe(job);
		req_error(r, 503, "busy", "We could not finish that just now. Please try again.", NULL);
		return;
	}
	enum acct_err e = acct_signup(&r->app->db, username, display, invite, role, job, &user_id,
				      &joined, ck, &rc);
	if (e == ACCT_INVALID_INVITE)
		throttle_fail(arena_printf(&r->arena, "invite:%s", r->client_addr), throttle_now());
	if (e != ACCT_OK) {
		signup_job_wipe(job);
		account_error(r, e, rc);
		return;
	}
	json_t *user = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)user_id, "username", username,
				 "display_name", display);
	json_t *body = json_pack("{s:o, s:s}", "user", user, "recovery_code", job->recovery);
	sodium_memzero(ck, sizeof(ck));
	signup_job_wipe(job);
	req_json(r, 201, body);
}

/* Shared by the API and the login page: after a successful login job,
 * opens the couple key and creates the session. Returns the session (one
 * reference held) or NULL after answering. */
static struct session *finish_login(struct req *r, long long user_id, struct login_job *job,
				    bool bearer, char token[SESSION_TOKEN_CHARS + 1])
{
	unsigned char ck[VAULT_KEY_BYTES];
	int have_ck = 0;
	if (job->rehashed)
		acct_store_rehash(&r->app->db, user_id, job); /* best effort: the old hash still works */
	if (job->have_key) {
		sqlite3 *c = db_reader(&r->app->db);
		have_ck = c && acct_couple_key(c, user_id, job->data_key, ck) == 0;
	}
	struct session *s = session_create(user_id, job->have_key ? job->data_key : NULL,
					   have_ck ? ck : NULL, bearer,
					   bearer ? "API token" : account_session_label(r), token);
	sodium_memzero(ck, sizeof(ck));
	return s;
}

/* A login whose address or account has as many checks running as it may
 * waits its turn: it looks again as soon as any login's check ends (the
 * waiting are woken), or after LOGIN_WAIT_STEP_MS at the latest, for up
 * to LOGIN_WAIT_MAX_MS in all; then it is refused with 429. A place that
 * frees goes to the login that has waited longest (throttle_begin_turn). */
#define LOGIN_WAIT_STEP_MS 500
#define LOGIN_WAIT_MAX_MS 10000

struct session *account_login(struct req *r, const char *username, const char *password,
			      bool bearer, char token[SESSION_TOKEN_CHARS + 1])
{
	const char *acct_key = arena_printf(&r->arena, "acct:%s", username);
	const char *ip_key = arena_printf(&r->arena, "ip:%s", r->client_addr);
	time_t now = throttle_now();
	if (!r->defer_done) {
		/* Reserve the attempt on the address, then on the account, before
		 * the slow check: it counts from now, not when it fails. */
		if (!r->turn)
			r->turn = throttle_ticket();
		/* The account first: a login its account holds back waits in the
		 * account's line only, so it never holds a place of the address's
		 * line that another account's login could use. */
		int wait = throttle_begin_turn(acct_key, &THROTTLE_ACCOUNT, now, r->turn);
		if (wait)
			throttle_leave(ip_key, r->turn, now);
		else if ((wait = throttle_begin_turn(ip_key, &THROTTLE_ADDRESS, now, r->turn)))
			throttle_settle(acct_key, true, now);
		if (wait == THROTTLE_BUSY && r->waited_ms < LOGIN_WAIT_MAX_MS) {
			/* As many checks as may run for this address or account are
			 * running: the login waits its turn, held without CPU, rather
			 * than being refused and sent again at once. */
			req_wait(r, LOGIN_WAIT_STEP_MS);
			return NULL;
		}
		if (wait) {
			/* refused: out of both lines (going ahead left them) */
			throttle_leave(ip_key, r->turn, now);
			throttle_leave(acct_key, r->turn, now);
			too_many(r, wait == THROTTLE_BUSY ? 1 : wait);
			return NULL;
		}
		struct login_job *job = arena_alloc(&r->arena, sizeof(*job));
		long long uid = 0;
		sqlite3 *c = db_reader(&r->app->db);
		int rc = c ? acct_load_login(c, &r->arena, username, &uid, &job->pw_hash, &job->key_pw,
					     &job->key_pw_len) : SQLITE_CANTOPEN;
		if (rc != 0 && rc != 1) {
			throttle_settle(acct_key, true, now);
			throttle_settle(ip_key, true, now);
			defer_timer_wake_all(r->app->timer);
			req_db_error(r, rc);
			return NULL;
		}
		job->password = password;
		req_defer(r, login_job_run, job);
		return NULL;
	}
	struct login_job *job = r->defer_arg;
	long long uid = 0;
	const char *h;
	const void *k;
	size_t kl;
	sqlite3 *c = db_reader(&r->app->db);
	bool ok = job->ok && c && acct_load_login(c, &r->arena, username, &uid, &h, &k, &kl) == 0;
	throttle_settle(acct_key, ok, now);
	throttle_settle(ip_key, ok, now);
	defer_timer_wake_all(r->app->timer); /* the logins waiting for this check's place */
	if (!ok) {
		login_job_wipe(job);
		req_error(r, 401, "bad_credentials", "That username and password do not match.", NULL);
		return NULL;
	}
	throttle_clear(acct_key);
	struct session *s = finish_login(r, uid, job, bearer, token);
	login_job_wipe(job);
	return s;
}

static const char *reauth_key(struct req *r)
{
	return arena_printf(&r->arena, "reauth:%lld", r->me->user_id);
}

int account_reauth_begin(struct req *r)
{
	int wait = throttle_begin(reauth_key(r), &THROTTLE_REAUTH, throttle_now());
	if (wait) {
		too_many(r, wait == THROTTLE_BUSY ? 1 : wait);
		return -1;
	}
	return 0;
}

void account_reauth_settle(struct req *r, bool ok)
{
	throttle_settle(reauth_key(r), ok, throttle_now());
	if (ok)
		throttle_clear(reauth_key(r));
}

/* Begins a re-check of the viewer's password (account_reauth_begin) and
 * loads what it is checked against: the password hash and the key sealed
 * under it, in the arena. -1 once answered (429, or a storage error, which
 * does not count against them). */
static int reauth_load(struct req *r, const char **pw_hash, const void **key_pw, size_t *key_pw_len)
{
	if (account_reauth_begin(r) < 0)
		return -1;
	long long uid;
	sqlite3 *c = db_reader(&r->app->db);
	int rc = c ? acct_load_login(c, &r->arena, r->me->username, &uid, pw_hash, key_pw, key_pw_len)
		   : SQLITE_CANTOPEN;
	if (rc) {
		account_reauth_settle(r, true);
		req_db_error(r, rc == 1 ? SQLITE_ERROR : rc);
		return -1;
	}
	return 0;
}

/* Reads a body of just fields: the first, of at most max characters, and
 * the password, both required; -1 once answered (400). */
static int json_with_password(struct req *r, const char *const fields[3], size_t max, const char **first,
			      const char **password)
{
	return jin_only(r, r->json, fields) < 0 || jin_str(r, r->json, fields[0], true, max, first) < 0 ||
	       jin_str(r, r->json, "password", true, 256, password) < 0 ? -1 : 0;
}

void api_session_create(struct req *r)
{
	static const char *const fields[] = { "username", "password", NULL };
	const char *username, *password;
	char token[SESSION_TOKEN_CHARS + 1];
	if (json_with_password(r, fields, 64, &username, &password) < 0)
		return;
	struct session *s = account_login(r, username, password, true, token);
	if (!s)
		return;
	struct viewer v = { .user_id = s->user_id };
	sqlite3 *c = db_reader(&r->app->db);
	json_t *user = NULL;
	if (c && acct_user_names(c, s->user_id, &r->arena, &v.username, &v.display_name) == SQLITE_OK)
		user = account_user_json(&v);
	session_put(s);
	if (!user) {
		req_db_error(r, SQLITE_ERROR);
		return;
	}
	req_json(r, 201, json_pack("{s:s, s:o}", "token", token, "user", user));
	sodium_memzero(token, sizeof(token));
}

void api_session_delete_current(struct req *r)
{
	session_end(r->me->sess);
	r->status = 204;
	r->content_type = "application/json; charset=utf-8";
}

void api_sessions_list(struct req *r)
{
	struct session list[64];
	size_t n = session_list(r->me->user_id, list, 64);
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:I, s:s, s:b, s:o, s:o, s:b}",
			"id", (json_int_t)list[i].id, "label", list[i].label, "api", list[i].bearer,
			"created_at", json_instant(list[i].created), "last_seen", json_instant(list[i].last_seen),
			"current", list[i].id == r->me->sess->id));
	req_json(r, 200, json_pack("{s:o}", "sessions", arr));
}

void api_session_delete(struct req *r)
{
	char *end;
	long long id = strtoll(kv_get(&r->params, "id"), &end, 10);
	if (*end || session_end_id(r->me->user_id, id) < 0) {
		req_error(r, 404, "not_found", "There is no such session.", NULL);
		return;
	}
	r->status = 204;
	r->content_type = "application/json; charset=utf-8";
}

void api_sessions_end_others(struct req *r)
{
	int n = session_end_user(r->me->user_id, r->me->sess->id);
	req_json(r, 200, json_pack("{s:i}", "ended", n));
}

void api_me(struct req *r)
{
	req_json(r, 200, json_pack("{s:o, s:o, s:b, s:b}", "user", account_user_json(r->me),
				   "couple", account_couple_json(r), "operator", r->me->is_operator,
				   "keys_unlocked", r->me->sess->data_key != NULL));
}

int account_change_password(struct req *r, const char *old, const char *new_pw, int *ended)
{
	if (!r->defer_done) {
		struct password_job *job = arena_alloc(&r->arena, sizeof(*job));
		if (reauth_load(r, &job->pw_hash, &job->key_pw, &job->key_pw_len) < 0)
			return -1;
		job->old_password = old;
		job->new_password = new_pw;
		job->session_key = r->me->sess->data_key;
		req_defer(r, password_job_run, job);
		return 0;
	}
	struct password_job *job = r->defer_arg;
	account_reauth_settle(r, job->ok);
	if (!job->ok) {
		password_job_wipe(job);
		return 0;
	}
	int rc = acct_store_password(&r->app->db, r->me->user_id, job);
	password_job_wipe(job);
	if (!req_db_ok(r, rc))
		return -1;
	*ended = session_end_user(r->me->user_id, r->me->sess->id);
	return 1;
}

void api_me_password(struct req *r)
{
	static const char *const fields[] = { "current_password", "new_password", NULL };
	const char *old, *new_pw, *msg;
	int ended = 0;
	if (jin_only(r, r->json, fields) < 0 ||
	    jin_str(r, r->json, "current_password", true, 256, &old) < 0 ||
	    jin_str(r, r->json, "new_password", true, 128, &new_pw) < 0)
		return;
	if ((msg = password_check_policy(new_pw, strlen(new_pw)))) {
		req_error(r, 400, "weak_password", msg, "new_password");
		return;
	}
	int done = account_change_password(r, old, new_pw, &ended);
	if (!r->defer_done || done < 0)
		return;
	if (done == 0)
		req_error(r, 403, "reauth_failed", "Your current password was not right.", "current_password");
	else
		req_json(r, 200, json_pack("{s:i}", "sessions_ended", ended));
}

int account_check_password(struct req *r, const char *password)
{
	if (!r->defer_done) {
		struct password_check_job *job = arena_alloc(&r->arena, sizeof(*job));
		const void *key_pw;
		size_t key_pw_len;
		if (reauth_load(r, &job->pw_hash, &key_pw, &key_pw_len) < 0)
			return -1;
		job->password = password;
		job->ok = false;
		req_defer(r, password_check_run, job);
		return 0;
	}
	struct password_check_job *job = r->defer_arg;
	account_reauth_settle(r, job->ok);
	return job->ok ? 1 : 0;
}

int account_new_recovery(struct req *r, const char *password, char code[VAULT_RECOVERY_CODE_SIZE])
{
	int done = account_check_password(r, password);
	if (!r->defer_done || done <= 0)
		return done;
	int rc = acct_new_recovery(&r->app->db, r->me->user_id, r->me->sess->data_key, code);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return -1;
	}
	return 1;
}

void api_me_recovery_code(struct req *r)
{
	static const char *const fields[] = { "password", NULL };
	const char *password = NULL;
	char code[VAULT_RECOVERY_CODE_SIZE];
	if (!r->me->sess->data_key) {
		account_error(r, ACCT_LOCKED, 0);
		return;
	}
	if (r->body_len) {
		json_t *b = req_json_body(r);
		if (!b || jin_only(r, b, fields) < 0 || jin_str(r, b, "password", false, 256, &password) < 0)
			return;
	}
	if (!password) {
		req_error(r, 403, "reauth_failed", "A new recovery code needs your current password.", "password");
		return;
	}
	int done = account_new_recovery(r, password, code);
	if (!r->defer_done || done < 0)
		return;
	if (done == 0) {
		req_error(r, 403, "reauth_failed", "Your current password was not right.", "password");
		return;
	}
	req_json(r, 201, json_pack("{s:s}", "recovery_code", code));
	sodium_memzero(code, sizeof(code));
}

int account_recover(struct req *r, const char *code, const char *password,
		    char token[SESSION_TOKEN_CHARS + 1])
{
	if (!r->defer_done) {
		if (account_reauth_begin(r) < 0)
			return -1;
		struct recover_job *job = arena_alloc(&r->arena, sizeof(*job));
		sqlite3 *c = db_reader(&r->app->db);
		int rc = c ? acct_recovery_material(c, r->me->user_id, &r->arena, &job->key_recovery,
						    &job->key_recovery_len, &job->pw_hash)
			   : SQLITE_CANTOPEN;
		if (rc != SQLITE_OK) {
			account_reauth_settle(r, true);
			req_db_error(r, rc);
			return -1;
		}
		job->code = code;
		job->password = password;
		req_defer(r, recover_job_run, job);
		return 0;
	}
	struct recover_job *job = r->defer_arg;
	account_reauth_settle(r, job->ok);
	if (!job->ok) {
		recover_job_wipe(job);
		return 0;
	}
	if (!req_db_ok(r, acct_store_recovered(&r->app->db, r->me->user_id, job))) {
		recover_job_wipe(job);
		return -1;
	}
	unsigned char ck[VAULT_KEY_BYTES];
	sqlite3 *c = db_reader(&r->app->db);
	int have = c && acct_couple_key(c, r->me->user_id, job->data_key, ck) == 0;
	session_end_user(r->me->user_id, 0);
	struct session *s = session_create(r->me->user_id, job->data_key, have ? ck : NULL,
					   r->me->sess->bearer, r->me->sess->label, token);
	session_put(s);
	sodium_memzero(ck, sizeof(ck));
	recover_job_wipe(job);
	if (!r->me->sess->bearer)
		auth_set_cookie(r, token);
	return 1;
}

void api_me_recover(struct req *r)
{
	static const char *const fields[] = { "recovery_code", "password", NULL };
	const char *code, *password;
	char token[SESSION_TOKEN_CHARS + 1];
	if (json_with_password(r, fields, 80, &code, &password) < 0)
		return;
	int done = account_recover(r, code, password, token);
	if (!r->defer_done || done < 0)
		return;
	if (done == 0) {
		req_error(r, 403, "recovery_failed",
			  "That recovery code or password did not work. Please check and try again.", "recovery_code");
		return;
	}
	req_json(r, 200, json_pack("{s:b, s:s}", "keys_unlocked", 1, "token", token));
	sodium_memzero(token, sizeof(token));
}

void api_couple_create(struct req *r)
{
	static const char *const fields[] = { "role", "timezone", NULL };
	const char *role, *tz, *msg;
	unsigned char ck[VAULT_KEY_BYTES];
	char code[INVITE_CODE_SIZE];
	long long couple_id = 0;
	int rc = SQLITE_OK;
	if (jin_only(r, r->json, fields) < 0 || jin_str(r, r->json, "role", true, 16, &role) < 0 ||
	    jin_str(r, r->json, "timezone", true, 64, &tz) < 0)
		return;
	if ((msg = acct_check_role(role))) {
		req_error(r, 400, "invalid_field", msg, "role");
		return;
	}
	if ((msg = acct_check_timezone(tz))) {
		req_error(r, 400, "invalid_field", msg, "timezone");
		return;
	}
	enum acct_err e = acct_couple_create(&r->app->db, r->me->user_id, role, tz, r->me->sess->data_key,
					     ck, code, &couple_id, &rc);
	if (e != ACCT_OK) {
		account_error(r, e, rc);
		return;
	}
	session_set_couple_key(r->me->user_id, ck);
	sodium_memzero(ck, sizeof(ck));
	r->me->couple_id = couple_id;
	r->me->role = role;
	r->me->timezone = tz;
	req_json(r, 201, json_pack("{s:o, s:s}", "couple", account_couple_json(r), "invite_code", code));
}

void api_couple_join(struct req *r)
{
	static const char *const fields[] = { "invite_code", "role", NULL };
	const char *code, *role, *msg;
	unsigned char ck[VAULT_KEY_BYTES];
	long long couple_id = 0;
	int rc = SQLITE_OK;
	const char *tkey = arena_printf(&r->arena, "invite:%s", r->client_addr);
	if (jin_only(r, r->json, fields) < 0 || jin_str(r, r->json, "invite_code", true, 64, &code) < 0 ||
	    jin_str(r, r->json, "role", true, 16, &role) < 0)
		return;
	if ((msg = acct_check_role(role))) {
		req_error(r, 400, "invalid_field", msg, "role");
		return;
	}
	int wait = throttle_wait(tkey, &THROTTLE_INVITE, throttle_now());
	if (wait) {
		req_header(r, "Retry-After", arena_printf(&r->arena, "%d", wait));
		req_error(r, 429, "too_many_attempts", "Too many tries. Please wait a little and try again.", NULL);
		return;
	}
	enum acct_err e = acct_couple_join(&r->app->db, r->me->user_id, code, role, r->me->sess->data_key,
					   ck, &couple_id, &rc);
	if (e == ACCT_INVALID_INVITE)
		throttle_fail(tkey, throttle_now());
	if (e != ACCT_OK) {
		account_error(r, e, rc);
		return;
	}
	session_set_couple_key(r->me->user_id, ck);
	sodium_memzero(ck, sizeof(ck));
	/* reload the viewer's couple for the answer */
	sqlite3 *c = db_reader(&r->app->db);
	const char *tz;
	if (c && acct_couple_timezone(c, couple_id, &r->arena, &tz) == SQLITE_OK)
		r->me->timezone = tz;
	r->me->couple_id = couple_id;
	r->me->role = role;
	req_json(r, 200, json_pack("{s:o}", "couple", account_couple_json(r)));
}

void api_couple_invite(struct req *r)
{
	char code[INVITE_CODE_SIZE];
	int rc = SQLITE_OK;
	enum acct_err e = acct_couple_invite(&r->app->db, r->me->user_id, r->me->sess->couple_key, code, &rc);
	if (e != ACCT_OK) {
		account_error(r, e, rc);
		return;
	}
	req_json(r, 201, json_pack("{s:s}", "invite_code", code));
}

void api_signup_codes(struct req *r)
{
	char code[INVITE_CODE_SIZE];
	if (!req_db_ok(r, acct_signup_code(&r->app->db, r->me->user_id, code)))
		return;
	req_json(r, 201, json_pack("{s:s, s:i}", "invite_code", code, "expires_in_days", INVITE_DAYS));
}
