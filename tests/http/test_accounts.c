/* test_accounts.c: accounts, sessions, couples and the vault through the
 * real routes: sign-up rules, login and logout, invites, CSRF and Origin,
 * throttling, password change and recovery, and the authorization matrix
 * (viewer x resource x action, every cell asserted). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth/account.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "harness_http.h"

static struct thttp T;

static int setup(void **state)
{
	(void)state;
	thttp_open(&T);
	throttle_reset();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	thttp_close(&T);
	return 0;
}

/* One API call; returns the status and the parsed body (caller decrefs). */
static int api(const char *method, const char *path, const char *token, json_t **out,
	       const char *fmt, ...)
{
	struct req r;
	char auth[128], body[4096] = "";
	const char *h[8];
	int n = 0;
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		json_t *j = json_vpack_ex(NULL, 0, fmt, ap);
		va_end(ap);
		char *s = json_dumps(j, JSON_COMPACT);
		snprintf(body, sizeof(body), "%s", s);
		free(s);
		json_decref(j);
		h[n++] = "Content-Type";
		h[n++] = "application/json";
	}
	if (token) {
		snprintf(auth, sizeof(auth), "Bearer %s", token);
		h[n++] = "Authorization";
		h[n++] = auth;
	}
	h[n] = NULL;
	thttp_do(&T, &r, method, path, h, fmt ? body : NULL, 0);
	int status = r.status;
	if (out)
		*out = r.out.len ? json_loads(r.out.s, 0, NULL) : json_null();
	req_release(&r);
	return status;
}

static const char *err_code(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "code"));
}

#define PW "correct horse battery"

static void signup(const char *user, const char *invite, const char *role)
{
	json_t *j;
	int st = invite ? api("POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s, s:s, s:s*}",
			      "username", user, "password", PW, "display_name", user,
			      "invite_code", invite, "role", role)
			: api("POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s}", "username", user,
			      "password", PW, "display_name", user);
	if (st != 201)
		fail_msg("signup %s: %d %s", user, st, err_code(j));
	json_decref(j);
}

/* Logs in; returns a token (static storage per slot). */
static const char *login(const char *user, int slot)
{
	static char tokens[8][64];
	json_t *j;
	int st = api("POST", "/api/v1/sessions", NULL, &j, "{s:s, s:s}", "username", user, "password", PW);
	if (st != 201)
		fail_msg("login %s: %d", user, st);
	snprintf(tokens[slot], sizeof(tokens[slot]), "%s", json_string_value(json_object_get(j, "token")));
	json_decref(j);
	return tokens[slot];
}

static const char *create_couple(const char *token, const char *role, char code[64])
{
	json_t *j;
	assert_int_equal(api("POST", "/api/v1/couple", token, &j, "{s:s, s:s}", "role", role,
			     "timezone", "Europe/London"), 201);
	snprintf(code, 64, "%s", json_string_value(json_object_get(j, "invite_code")));
	json_decref(j);
	return code;
}

static void first_account_is_operator_then_invites_are_needed(void **state)
{
	(void)state;
	json_t *j;
	assert_int_equal(api("POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s}", "username", "ana",
			     "password", PW, "display_name", "Ana"), 201);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "user"), "username")), "ana");
	const char *rc = json_string_value(json_object_get(j, "recovery_code"));
	assert_non_null(rc);
	assert_int_equal(strlen(rc), VAULT_RECOVERY_CODE_SIZE - 1);
	json_decref(j);

	const char *t = login("ana", 0);
	assert_int_equal(api("GET", "/api/v1/me", t, &j, NULL), 200);
	assert_true(json_is_true(json_object_get(j, "operator")));
	assert_true(json_is_null(json_object_get(j, "couple")));
	json_decref(j);

	assert_int_equal(api("POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s}", "username", "ben",
			     "password", PW, "display_name", "Ben"), 403);
	assert_string_equal(err_code(j), "invite_required");
	json_decref(j);
	assert_int_equal(api("POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s, s:s}", "username", "ben",
			     "password", PW, "display_name", "Ben", "invite_code", "AAAA-BBBB-CCCC-DDDD"), 404);
	assert_string_equal(err_code(j), "invalid_invite");
	json_decref(j);

	/* an operator's signup code works once */
	assert_int_equal(api("POST", "/api/v1/signup-codes", t, &j, NULL), 201);
	char code[64];
	snprintf(code, sizeof(code), "%s", json_string_value(json_object_get(j, "invite_code")));
	json_decref(j);
	signup("ben", code, NULL);
	assert_int_equal(api("POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s, s:s}", "username", "cat",
			     "password", PW, "display_name", "Cat", "invite_code", code), 404);
	json_decref(j);
}

static void bad_signups_name_the_field(void **state)
{
	(void)state;
	json_t *j;
	signup("ana", NULL, NULL);
	struct { const char *user, *pw, *name, *field, *code; } cases[] = {
		{ "A!", PW, "x", "username", "invalid_field" },
		{ "ab", PW, "x", "username", "invalid_field" },
		{ "ok_name", "short", "x", "password", "weak_password" },
		{ "ok_name", "qwerty123456", "x", "password", "weak_password" },
		{ "ok_name", PW, "", "display_name", "missing_field" },
		{ "ok_name", PW, "12345678901234567890123456789012345678901234567890123456789012345", "display_name", "too_long" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		int st = api("POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s, s:s}", "username", cases[i].user,
			     "password", cases[i].pw, "display_name", cases[i].name, "invite_code", "X");
		assert_int_equal(st, 400);
		assert_string_equal(err_code(j), cases[i].code);
		assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")),
				    cases[i].field);
		json_decref(j);
	}
	assert_int_equal(api("POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s, s:i}", "username", "ok_name",
			     "password", PW, "display_name", "x", "extra", 1), 400);
	assert_string_equal(err_code(j), "unknown_field");
	json_decref(j);
	assert_int_equal(api("POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s}", "username", "ana",
			     "password", PW, "display_name", "x"), 403); /* invite first, then name */
	json_decref(j);
}

static void login_logout_and_bad_credentials(void **state)
{
	(void)state;
	json_t *j, *k;
	signup("ana", NULL, NULL);
	assert_int_equal(api("POST", "/api/v1/sessions", NULL, &j, "{s:s, s:s}", "username", "ana",
			     "password", "wrong password here"), 401);
	assert_int_equal(api("POST", "/api/v1/sessions", NULL, &k, "{s:s, s:s}", "username", "nobody",
			     "password", "wrong password here"), 401);
	/* unknown user and wrong password are indistinguishable */
	char *a = json_dumps(j, 0), *b = json_dumps(k, 0);
	assert_string_equal(a, b);
	free(a);
	free(b);
	json_decref(j);
	json_decref(k);

	const char *t = login("ana", 0);
	assert_int_equal(strlen(t), SESSION_TOKEN_CHARS);
	assert_int_equal(api("GET", "/api/v1/me", t, &j, NULL), 200);
	assert_true(json_is_true(json_object_get(j, "keys_unlocked")));
	json_decref(j);
	assert_int_equal(api("DELETE", "/api/v1/sessions/current", t, NULL, NULL), 204);
	assert_int_equal(api("GET", "/api/v1/me", t, &j, NULL), 401);
	assert_string_equal(err_code(j), "unauthenticated");
	json_decref(j);
	assert_int_equal(api("GET", "/api/v1/me", "not-a-token", NULL, NULL), 401);
}

static void couple_invite_join_and_single_use(void **state)
{
	(void)state;
	json_t *j;
	char code[64], code2[64];
	signup("ana", NULL, NULL);
	const char *ta = login("ana", 0);
	assert_int_equal(api("POST", "/api/v1/couple", ta, &j, "{s:s, s:s}", "role", "hurt", "timezone",
			     "Mars/Olympus"), 400);
	json_decref(j);
	assert_int_equal(api("POST", "/api/v1/couple", ta, &j, "{s:s, s:s}", "role", "victim", "timezone",
			     "Europe/London"), 400);
	json_decref(j);
	create_couple(ta, "hurt", code);
	assert_int_equal(api("POST", "/api/v1/couple", ta, &j, "{s:s, s:s}", "role", "hurt", "timezone",
			     "Europe/London"), 409);
	assert_string_equal(err_code(j), "already_in_couple");
	json_decref(j);
	/* a new invite kills the old one */
	assert_int_equal(api("POST", "/api/v1/couple/invite", ta, &j, NULL), 201);
	snprintf(code2, sizeof(code2), "%s", json_string_value(json_object_get(j, "invite_code")));
	json_decref(j);
	assert_int_equal(api("POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s, s:s, s:s}", "username", "ben",
			     "password", PW, "display_name", "Ben", "invite_code", code, "role", "accountable"), 404);
	json_decref(j);
	/* typed in lower case with spaces it still works */
	char typed[64];
	size_t k = 0;
	for (const char *p = code2; *p; p++)
		typed[k++] = *p == '-' ? ' ' : (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	typed[k] = '\0';
	signup("ben", typed, "accountable");
	const char *tb = login("ben", 1);
	assert_int_equal(api("GET", "/api/v1/me", tb, &j, NULL), 200);
	json_t *c = json_object_get(j, "couple");
	assert_string_equal(json_string_value(json_object_get(c, "my_role")), "accountable");
	assert_string_equal(json_string_value(json_object_get(c, "timezone")), "Europe/London");
	assert_string_equal(json_string_value(json_object_get(json_object_get(c, "partner"), "display_name")), "ana");
	assert_string_equal(json_string_value(json_object_get(json_object_get(c, "partner"), "role")), "hurt");
	json_decref(j);
	assert_int_equal(api("GET", "/api/v1/me", ta, &j, NULL), 200);
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(j, "couple"),
		"partner"), "display_name")), "ben");
	json_decref(j);
	/* the code is used: nobody else joins; a full couple gets no new invite */
	assert_int_equal(api("POST", "/api/v1/couple/invite", ta, &j, NULL), 409);
	assert_string_equal(err_code(j), "couple_full");
	json_decref(j);
}

static void joining_with_an_existing_account(void **state)
{
	(void)state;
	json_t *j;
	char code[64], scode[64];
	signup("ana", NULL, NULL);
	const char *ta = login("ana", 0);
	assert_int_equal(api("POST", "/api/v1/signup-codes", ta, &j, NULL), 201);
	snprintf(scode, sizeof(scode), "%s", json_string_value(json_object_get(j, "invite_code")));
	json_decref(j);
	signup("ben", scode, NULL);
	create_couple(ta, "both", code);
	const char *tb = login("ben", 1);
	assert_int_equal(api("POST", "/api/v1/couple/join", tb, &j, "{s:s, s:s}", "invite_code", "ZZZZ-ZZZZ-ZZZZ-ZZZZ",
			     "role", "both"), 404);
	assert_string_equal(err_code(j), "invalid_invite");
	json_decref(j);
	assert_int_equal(api("POST", "/api/v1/couple/join", tb, &j, "{s:s, s:s}", "invite_code", code,
			     "role", "both"), 200);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "couple"), "my_role")), "both");
	json_decref(j);
	assert_int_equal(api("POST", "/api/v1/couple/join", tb, &j, "{s:s, s:s}", "invite_code", code,
			     "role", "both"), 409);
	json_decref(j);
	/* leaving ends the membership */
	assert_int_equal(api("POST", "/api/v1/couple/leave", tb, &j, NULL), 200);
	json_decref(j);
	assert_int_equal(api("GET", "/api/v1/me", tb, &j, NULL), 200);
	assert_true(json_is_null(json_object_get(j, "couple")));
	json_decref(j);
}

static void cookie_sessions_need_csrf_and_same_origin(void **state)
{
	(void)state;
	struct req r;
	char cookie[128];
	signup("ana", NULL, NULL);
	/* a browser session: made directly, as the login page would */
	char token[SESSION_TOKEN_CHARS + 1];
	struct session *s = session_create(1, NULL, NULL, false, "test", token);
	snprintf(cookie, sizeof(cookie), "troth=%s", token);
	const char *h1[] = { "Cookie", cookie, NULL };
	thttp_do(&T, &r, "GET", "/api/v1/me", h1, NULL, 0);
	assert_int_equal(r.status, 200);
	req_release(&r);
	/* the cookie is not a bearer token, and a bearer token is not a cookie */
	char bearer[128];
	snprintf(bearer, sizeof(bearer), "Bearer %s", token);
	const char *h2[] = { "Authorization", bearer, NULL };
	thttp_do(&T, &r, "GET", "/api/v1/me", h2, NULL, 0);
	assert_int_equal(r.status, 401);
	req_release(&r);
	/* changing state without the CSRF token: refused */
	const char *h3[] = { "Cookie", cookie, NULL };
	thttp_do(&T, &r, "POST", "/api/v1/signup-codes", h3, NULL, 0);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(r.out.s, "csrf_failed"));
	req_release(&r);
	const char *h4[] = { "Cookie", cookie, "X-CSRF-Token", s->csrf, NULL };
	thttp_do(&T, &r, "POST", "/api/v1/signup-codes", h4, NULL, 0);
	assert_int_equal(r.status, 201);
	req_release(&r);
	/* from another site: refused whatever it carries */
	const char *h5[] = { "Cookie", cookie, "X-CSRF-Token", s->csrf, "Origin", "https://evil.example",
			     "Host", "127.0.0.1:8080", NULL };
	thttp_do(&T, &r, "POST", "/api/v1/signup-codes", h5, NULL, 0);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(r.out.s, "cross_origin"));
	req_release(&r);
	const char *h6[] = { "Cookie", cookie, "X-CSRF-Token", s->csrf, "Origin", "http://127.0.0.1:8080",
			     "Host", "127.0.0.1:8080", NULL };
	thttp_do(&T, &r, "POST", "/api/v1/signup-codes", h6, NULL, 0);
	assert_int_equal(r.status, 201);
	req_release(&r);
	/* browsers name the site in Sec-Fetch-Site; our own pages send
	 * Origin: null (no-referrer), which is not refused on its own */
	const char *h7[] = { "Cookie", cookie, "X-CSRF-Token", s->csrf, "Origin", "null",
			     "Sec-Fetch-Site", "cross-site", NULL };
	thttp_do(&T, &r, "POST", "/api/v1/signup-codes", h7, NULL, 0);
	assert_int_equal(r.status, 403);
	req_release(&r);
	const char *h8[] = { "Cookie", cookie, "X-CSRF-Token", s->csrf, "Origin", "null",
			     "Sec-Fetch-Site", "same-origin", NULL };
	thttp_do(&T, &r, "POST", "/api/v1/signup-codes", h8, NULL, 0);
	assert_int_equal(r.status, 201);
	req_release(&r);
	session_put(s);
}

static void repeated_failures_are_throttled_not_locked_forever(void **state)
{
	(void)state;
	json_t *j;
	signup("ana", NULL, NULL);
	int st = 0, tries = 0;
	while (tries < 12) {
		st = api("POST", "/api/v1/sessions", NULL, &j, "{s:s, s:s}", "username", "ana", "password", "not the password");
		tries++;
		if (st == 429) {
			assert_string_equal(err_code(j), "too_many_attempts");
			json_decref(j);
			break;
		}
		assert_int_equal(st, 401);
		json_decref(j);
	}
	assert_int_equal(st, 429);
	assert_true(tries >= 6);
	/* the delay is short and grows: it is not a lockout */
	assert_true(throttle_wait("acct:ana", &THROTTLE_ACCOUNT, time(NULL)) <= 60);
	assert_int_equal(throttle_wait("acct:ana", &THROTTLE_ACCOUNT, time(NULL) + 61), 0);
}

/* A failed API login, sent as if through a proxy with the given
 * X-Forwarded-For (or none); returns the status. */
static int failed_login_via(const char *xff, const char *user)
{
	struct req r;
	char body[160];
	snprintf(body, sizeof(body), "{\"username\":\"%s\",\"password\":\"not the password\"}", user);
	const char *h[] = { "Content-Type", "application/json", "X-Forwarded-For", xff, NULL };
	if (!xff)
		h[2] = NULL;
	thttp_do(&T, &r, "POST", "/api/v1/sessions", h, body, 0);
	int st = r.status;
	req_release(&r);
	return st;
}

/* The Set-Cookie of a good login through the page, with the given
 * X-Forwarded-Proto; copied into out. */
static void page_login_cookie(const char *proto, char *out, size_t cap)
{
	struct req r;
	const char *h[] = { "Content-Type", "application/x-www-form-urlencoded",
			    "X-Forwarded-Proto", proto, NULL };
	thttp_do(&T, &r, "POST", "/login", h, "username=ana&password=correct+horse+battery", 0);
	assert_int_equal(r.status, 303);
	const char *sc = thttp_header(&r, "Set-Cookie");
	assert_non_null(sc);
	snprintf(out, cap, "%s", sc);
	req_release(&r);
}

/* A rule under which a single failure already counts: throttle_wait with
 * it is more than 0 exactly when key has a failure on record. */
static const struct throttle_rule ANY_FAILURE = { 0, 1 };

static bool failure_counted_for(const char *addr)
{
	char key[64];
	snprintf(key, sizeof(key), "ip:%s", addr);
	return throttle_wait(key, &ANY_FAILURE, time(NULL)) > 0;
}

/* X-Forwarded-For and X-Forwarded-Proto are believed only from a trusted
 * proxy: anyone else could write them to dodge the per-address throttle
 * or to change the cookie. */
static void forwarded_headers_only_from_a_trusted_proxy(void **state)
{
	(void)state;
	char cookie[256];
	signup("ana", NULL, NULL);

	/* no trusted proxy: a made-up X-Forwarded-Proto changes nothing */
	page_login_cookie("https", cookie, sizeof(cookie));
	assert_memory_equal(cookie, "troth=", 6);
	assert_null(strstr(cookie, "Secure"));
	/* nor does a made-up X-Forwarded-For: the failure counts against the
	 * peer */
	assert_int_equal(failed_login_via("203.0.113.1", "nobody1"), 401);
	assert_true(failure_counted_for("127.0.0.1"));
	assert_false(failure_counted_for("203.0.113.1"));

	/* 127.0.0.1 trusted: the client is the right-most entry that is not a
	 * trusted proxy; what the client itself wrote further left is ignored */
	throttle_reset();
	assert_int_equal(app_add_trusted_proxy(&T.app.cfg, "127.0.0.1"), 0);
	assert_int_equal(app_add_trusted_proxy(&T.app.cfg, "10.0.0.2"), 0);
	assert_int_equal(failed_login_via("198.51.100.9, 203.0.113.7", "nobody1"), 401);
	assert_true(failure_counted_for("203.0.113.7"));
	assert_false(failure_counted_for("198.51.100.9"));
	assert_false(failure_counted_for("127.0.0.1"));
	/* through two proxies */
	assert_int_equal(failed_login_via("198.51.100.10, 203.0.113.8,10.0.0.2", "nobody2"), 401);
	assert_true(failure_counted_for("203.0.113.8"));
	assert_false(failure_counted_for("10.0.0.2"));
	assert_false(failure_counted_for("198.51.100.10"));
	/* an entry that is no address leaves the proxy as the client */
	assert_int_equal(failed_login_via("203.0.113.9, <script>", "nobody3"), 401);
	assert_false(failure_counted_for("203.0.113.9"));
	assert_true(failure_counted_for("127.0.0.1"));
	/* the proxy says the client came over HTTPS: the TLS cookie */
	throttle_reset();
	page_login_cookie("https", cookie, sizeof(cookie));
	assert_memory_equal(cookie, "__Host-troth=", 13);
	assert_non_null(strstr(cookie, "; Secure"));
	page_login_cookie("http", cookie, sizeof(cookie));
	assert_memory_equal(cookie, "troth=", 6);
}

static void password_change_and_recovery_keep_the_keys(void **state)
{
	(void)state;
	json_t *j;
	char code[64];
	assert_int_equal(api("POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s}", "username", "ana",
			     "password", PW, "display_name", "Ana"), 201);
	char recovery[64];
	snprintf(recovery, sizeof(recovery), "%s", json_string_value(json_object_get(j, "recovery_code")));
	json_decref(j);
	const char *t = login("ana", 0);
	const char *t2 = login("ana", 1);
	create_couple(t, "hurt", code);

	assert_int_equal(api("PUT", "/api/v1/me/password", t, &j, "{s:s, s:s}", "current_password", "wrong one here",
			     "new_password", "a new long passphrase"), 403);
	assert_string_equal(err_code(j), "reauth_failed");
	json_decref(j);
	assert_int_equal(api("PUT", "/api/v1/me/password", t, &j, "{s:s, s:s}", "current_password", PW,
			     "new_password", "a new long passphrase"), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "sessions_ended")), 1);
	json_decref(j);
	assert_int_equal(api("GET", "/api/v1/me", t2, NULL, NULL), 401); /* the other session ended */
	assert_int_equal(api("POST", "/api/v1/sessions", NULL, &j, "{s:s, s:s}", "username", "ana", "password", PW), 401);
	json_decref(j);
	assert_int_equal(api("POST", "/api/v1/sessions", NULL, &j, "{s:s, s:s}", "username", "ana",
			     "password", "a new long passphrase"), 201);
	char tok[64];
	snprintf(tok, sizeof(tok), "%s", json_string_value(json_object_get(j, "token")));
	json_decref(j);
	assert_int_equal(api("GET", "/api/v1/me", tok, &j, NULL), 200);
	assert_true(json_is_true(json_object_get(j, "keys_unlocked")));
	json_decref(j);

	/* the operator resets the password: the keys stay sealed... */
	assert_int_equal(acct_operator_reset(&T.app.db, "ana", "operator chose this"), 0);
	assert_int_equal(api("POST", "/api/v1/sessions", NULL, &j, "{s:s, s:s}", "username", "ana",
			     "password", "operator chose this"), 201);
	snprintf(tok, sizeof(tok), "%s", json_string_value(json_object_get(j, "token")));
	json_decref(j);
	assert_int_equal(api("GET", "/api/v1/me", tok, &j, NULL), 200);
	assert_true(json_is_false(json_object_get(j, "keys_unlocked")));
	json_decref(j);
	/* ...until the user's own recovery code opens them */
	assert_int_equal(api("POST", "/api/v1/me/recover", tok, &j, "{s:s, s:s}", "recovery_code",
			     "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA", "password", "operator chose this"), 403);
	json_decref(j);
	assert_int_equal(api("POST", "/api/v1/me/recover", tok, &j, "{s:s, s:s}", "recovery_code", recovery,
			     "password", "operator chose this"), 200);
	snprintf(tok, sizeof(tok), "%s", json_string_value(json_object_get(j, "token")));
	json_decref(j);
	assert_int_equal(api("GET", "/api/v1/me", tok, &j, NULL), 200);
	assert_true(json_is_true(json_object_get(j, "keys_unlocked")));
	json_decref(j);
	/* and the couple key came back with them: a new invite can be sealed */
	assert_int_equal(api("POST", "/api/v1/couple/invite", tok, &j, NULL), 201);
	json_decref(j);
	assert_int_equal(api("POST", "/api/v1/sessions", NULL, &j, "{s:s, s:s}", "username", "ana",
			     "password", "operator chose this"), 201);
	json_decref(j);
}

/* The authorization matrix: every viewer against every account resource. */
static void authorization_matrix(void **state)
{
	(void)state;
	json_t *j;
	char code[64], scode[64];
	signup("opr", NULL, NULL);                      /* operator, no couple */
	const char *top = login("opr", 0);
	assert_int_equal(api("POST", "/api/v1/signup-codes", top, &j, NULL), 201);
	snprintf(scode, sizeof(scode), "%s", json_string_value(json_object_get(j, "invite_code")));
	json_decref(j);
	signup("ana", scode, NULL);
	const char *ta = login("ana", 1);
	create_couple(ta, "hurt", code);
	signup("ben", code, "accountable");
	const char *tb = login("ben", 2);
	assert_int_equal(api("POST", "/api/v1/signup-codes", top, &j, NULL), 201);
	snprintf(scode, sizeof(scode), "%s", json_string_value(json_object_get(j, "invite_code")));
	json_decref(j);
	signup("dan", scode, NULL);                      /* another couple */
	const char *td = login("dan", 3);
	create_couple(td, "both", code);

	/* A's session id, for "ending someone else's session" */
	assert_int_equal(api("GET", "/api/v1/sessions", ta, &j, NULL), 200);
	long long a_sid = json_integer_value(json_object_get(json_array_get(json_object_get(j, "sessions"), 0), "id"));
	json_decref(j);
	char a_sess[64];
	snprintf(a_sess, sizeof(a_sess), "/api/v1/sessions/%lld", a_sid);

	const char *viewers[] = { NULL, ta, tb, td, top };
	const char *names[] = { "anonymous", "partner A", "partner B", "other couple", "operator" };
	struct cell { const char *method, *path; int want[5]; } cells[] = {
		/*                                          anon  A    B    D    op */
		{ "GET", "/api/v1/me",                     { 401, 200, 200, 200, 200 } },
		{ "GET", "/api/v1/sessions",               { 401, 200, 200, 200, 200 } },
		{ "POST", "/api/v1/signup-codes",          { 401, 404, 404, 404, 201 } },
		{ "POST", "/api/v1/couple/invite",         { 401, 409, 409, 201, 409 } },
		{ "DELETE", a_sess,                        { 401, 204, 404, 404, 404 } },
	};
	for (size_t c = 0; c < sizeof(cells) / sizeof(*cells); c++) {
		for (int v = 4; v >= 0; v--) {
			if (c == 4 && v == 1)
				continue; /* A ending A's own session is checked last */
			int st = api(cells[c].method, cells[c].path, viewers[v], NULL, NULL);
			if (st != cells[c].want[v])
				fail_msg("%s %s as %s: got %d, want %d", cells[c].method, cells[c].path, names[v],
					 st, cells[c].want[v]);
		}
	}
	/* what each sees of the couple: only their own */
	assert_int_equal(api("GET", "/api/v1/me", td, &j, NULL), 200);
	assert_true(json_is_null(json_object_get(json_object_get(j, "couple"), "partner")));
	json_decref(j);
	assert_int_equal(api("DELETE", a_sess, ta, NULL, NULL), 204);
	assert_int_equal(api("GET", "/api/v1/me", ta, NULL, NULL), 401);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(first_account_is_operator_then_invites_are_needed, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_signups_name_the_field, setup, teardown),
		cmocka_unit_test_setup_teardown(login_logout_and_bad_credentials, setup, teardown),
		cmocka_unit_test_setup_teardown(couple_invite_join_and_single_use, setup, teardown),
		cmocka_unit_test_setup_teardown(joining_with_an_existing_account, setup, teardown),
		cmocka_unit_test_setup_teardown(cookie_sessions_need_csrf_and_same_origin, setup, teardown),
		cmocka_unit_test_setup_teardown(repeated_failures_are_throttled_not_locked_forever, setup, teardown),
		cmocka_unit_test_setup_teardown(forwarded_headers_only_from_a_trusted_proxy, setup, teardown),
		cmocka_unit_test_setup_teardown(password_change_and_recovery_keep_the_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(authorization_matrix, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
