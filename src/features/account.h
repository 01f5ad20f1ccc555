/* account.h: the account, session and couple endpoints (API) and pages.
 * Shared helpers used by both live here too. */
#ifndef TROTH_FEATURE_ACCOUNT_H
#define TROTH_FEATURE_ACCOUNT_H

#include <jansson.h>

#include "../auth/account.h"
#include "../auth/auth.h"
#include "../http/req.h"

/* API (docs/api.md, "Accounts and couples") */
route_handler api_account_create, api_session_create, api_session_delete_current,
	api_sessions_list, api_session_delete, api_sessions_end_others, api_me, api_me_password,
	api_me_recovery_code, api_me_recover, api_couple_create, api_couple_join, api_couple_invite,
	api_signup_codes;

/* Pages */
route_handler page_login, page_login_post, page_logout_post, page_signup, page_signup_post,
	page_couple, page_couple_create_post, page_couple_join_post, page_couple_invite_post,
	page_settings, page_password_post, page_recovery_post, page_recover_post, page_sessions_end_post,
	page_operator, page_operator_code_post;
/* The home page for a logged-in viewer (home.c calls it). */
route_handler account_home;

/* The cheap checks of a sign-up, before any password hashing, in an order
 * that tells a caller without a valid invite nothing about usernames: an
 * invite is needed (but for the first account), invite guesses from this
 * address are throttled, the invite must be usable, and only then is the
 * username checked. Returns ACCT_OK, or the error to answer: *wait > 0 with
 * ACCT_OK means 429 (wait that many seconds); ACCT_DB leaves the SQLite
 * code in *rc. A wrong invite is counted against the address. */
enum acct_err account_signup_check(struct req *r, const char *username, const char *invite, int *wait,
				   int *rc);

/* Logs in (throttled; the slow check deferred): on the first call it
 * defers and returns NULL with r->defer_fn set, or, while as many checks
 * as may run for the address or account are running, returns NULL with
 * r->wait_ms set (req_wait: it is called again later as a first call); on
 * the second it returns the new session (one reference held) or NULL
 * after answering. */
struct session *account_login(struct req *r, const char *username, const char *password,
			      bool bearer, char token[SESSION_TOKEN_CHARS + 1]);

/* Changes the viewer's password in two calls (the check is slow and
 * deferred): the first defers and returns 0 (or -1 after answering a
 * storage error); the second returns 1 when changed (every other session
 * ended, *ended says how many), 0 when the current password was wrong
 * (nothing answered), -1 after answering a storage error. */
int account_change_password(struct req *r, const char *old, const char *new_pw, int *ended);
/* Makes the viewer a new recovery code once their current password is
 * checked again, in two calls like account_change_password. The session
 * must hold the data key. The first call defers and returns 0 (or -1 after
 * answering 429 or a storage error); the second returns 1 with the new code
 * in code (the old one no longer works), 0 when the password was wrong
 * (nothing answered), -1 after answering a storage error. */
int account_new_recovery(struct req *r, const char *password, char code[VAULT_RECOVERY_CODE_SIZE]);
/* Checks the viewer's current password again (throttled as a
 * re-authentication), in two calls like account_change_password: the first
 * defers and returns 0 (or -1 after answering 429 or a storage error); the
 * second returns 1 when it was right, 0 when not (nothing answered). */
int account_check_password(struct req *r, const char *password);
/* After an operator reset, opens the viewer's data key with the recovery
 * code and seals it under the current password, in two calls like
 * account_change_password. On success (1) every session of the user ended
 * and a new one was made: its token is in token (and, for a browser, in the
 * session cookie). */
int account_recover(struct req *r, const char *code, const char *password,
		    char token[SESSION_TOKEN_CHARS + 1]);

/* Re-authentication (the current password typed again) is throttled per
 * account, shared by every form that asks for it. account_reauth_begin
 * reserves an attempt before the deferred check: 0, or -1 after answering
 * 429 with Retry-After. account_reauth_settle, after the check, says
 * whether the password was right. */
int account_reauth_begin(struct req *r);
void account_reauth_settle(struct req *r, bool ok);

/* A label for a session from its User-Agent ("Firefox on Android"). */
const char *account_session_label(struct req *r);
/* {"id","username","display_name"} of the viewer. */
json_t *account_user_json(const struct viewer *v);
/* The viewer's couple as in GET /api/v1/me, or JSON null. */
json_t *account_couple_json(struct req *r);
/* The API error for an acct_err (rc: the SQLite code for ACCT_DB). */
void account_error(struct req *r, enum acct_err e, int rc);

#endif
