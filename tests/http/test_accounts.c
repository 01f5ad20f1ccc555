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
#include <time.h>

#include "app.h"
#include "auth/account.h"
#include "auth/password.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "apiclient.h"
#include "harness_http.h"

static const char *create_couple(const char *token, const char *role, char code[64])
{
	json_t *j;
	assert_int_equal(api(&T, "POST", "/api/v1/couple", token, &j, "{s:s, s:s}", "role", role,
			     "timezone", "Europe/London"), 201);
	snprintf(code, 64, "%s", json_string_value(json_object_get(j, "invite_code")));
	json_decref(j);
	return code;
}

static void first_account_is_operator_then_invites_are_needed(void **state)
{
	(void)state;
	json_t *j;
	assert_int_equal(api(&T, "POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s}", "username", "ana",
			     "password", TEST_PASSWORD, "display_name", "Ana"), 201);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "user"), "username")), "ana");
	const char *rc = json_string_value(json_object_get(j, "recovery_code"));
	assert_non_null(rc);
	assert_int_equal(strlen(rc), VAULT_RECOVERY_CODE_SIZE - 1);
	json_decref(j);

	const char *t = api_login(&T, "ana", 0);
	assert_int_equal(api(&T, "GET", "/api/v1/me", t, &j, NULL), 200);
	assert_true(json_is_true(json_object_get(j, "operator")));
	assert_true(json_is_null(json_object_get(j, "couple")));
	json_decref(j);

	api_error(api(&T, "POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s}", "username", "ben",
		      "password", TEST_PASSWORD, "display_name", "Ben"), j, 403, "invite_required", NULL);
	api_error(api(&T, "POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s, s:s}", "username", "ben",
		      "password", TEST_PASSWORD, "display_name", "Ben", "invite_code", "AAAA-BBBB-CCCC-DDDD"), j,
		      404, "invalid_invite", NULL);

	/* an operator's signup code works once */
	assert_int_equal(api(&T, "POST", "/api/v1/signup-codes", t, &j, NULL), 201);
	char code[64];
	snprintf(code, sizeof(code), "%s", json_string_value(json_object_get(j, "invite_code")));
	json_decref(j);
	api_signup(&T, "ben", code, NULL);
	assert_int_equal(api(&T, "POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s, s:s}", "username", "cat",
			     "password", TEST_PASSWORD, "display_name", "Cat", "invite_code", code), 404);
	json_decref(j);
}

static void bad_signups_name_the_field(void **state)
{
	(void)state;
	json_t *j;
	api_signup(&T, "ana", NULL, NULL);
	struct { const char *user, *pw, *name, *field, *code; } cases[] = {
		{ "A!", TEST_PASSWORD, "x", "username", "invalid_field" },
		{ "ab", TEST_PASSWORD, "x", "username", "invalid_field" },
		{ "ok_name", "short", "x", "password", "weak_password" },
		{ "ok_name", "qwerty123456", "x", "password", "weak_password" },
		{ "ok_name", TEST_PASSWORD, "", "display_name", "missing_field" },
		{ "ok_name", TEST_PASSWORD, "12345678901234567890123456789012345678901234567890123456789012345", "display_name", "too_long" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		int st = api(&T, "POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s, s:s}", "username", cases[i].user,
			     "password", cases[i].pw, "display_name", cases[i].name, "invite_code", "X");
		assert_int_equal(st, 400);
		assert_string_equal(err_code(j), cases[i].code);
		assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")),
				    cases[i].field);
		json_decref(j);
	}
	api_error(api(&T, "POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s, s:i}", "username", "ok_name",
		      "password", TEST_PASSWORD, "display_name", "x", "extra", 1), j, 400, "unknown_field",
		      NULL);
	assert_int_equal(api(&T, "POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s}", "username", "ana",
			     "password", TEST_PASSWORD, "display_name", "x"), 403); /* invite first, then name */
	json_decref(j);
}

static void sign_up_tells_nothing_about_usernames_without_an_invite(void **state)
{
	(void)state;
	json_t *j, *k;
	struct req r;
	api_signup(&T, "ana", NULL, NULL);
	/* a taken name and a free one, with a made-up invite: the same answer */
	assert_int_equal(api(&T, "POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s, s:s}", "username", "ana",
			     "password", TEST_PASSWORD, "display_name", "x", "invite_code", "AAAA-BBBB-CCCC-DDDD"), 404);
	assert_int_equal(api(&T, "POST", "/api/v1/accounts", NULL, &k, "{s:s, s:s, s:s, s:s}", "username", "not_taken",
			     "password", TEST_PASSWORD, "display_name", "x", "invite_code", "AAAA-BBBB-CCCC-DDDD"), 404);
	assert_string_equal(err_code(j), "invalid_invite");
	char *a = json_dumps(j, 0), *b = json_dumps(k, 0);
	assert_string_equal(a, b);
	free(a);
	free(b);
	json_decref(j);
	json_decref(k);
	/* the sign-up page too */
	const char *h[] = { "Content-Type", "application/x-www-form-urlencoded", NULL };
	thttp_do(&T, &r, "POST", "/signup", h,
		 "username=ana&display_name=x&password=correct+horse+battery&invite_code=AAAA-BBBB-CCCC-DDDD", 0);
	assert_int_equal(r.status, 404);
	assert_null(strstr(r.out.s, "taken"));
	req_release(&r);
	/* with a real invite the name is checked, and the invite is not spent */
	const char *t = api_login(&T, "ana", 0);
	assert_int_equal(api(&T, "POST", "/api/v1/signup-codes", t, &j, NULL), 201);
	char code[64];
	snprintf(code, sizeof(code), "%s", json_string_value(json_object_get(j, "invite_code")));
	json_decref(j);
	api_error(api(&T, "POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s, s:s}", "username", "ana",
		      "password", TEST_PASSWORD, "display_name", "x", "invite_code", code), j, 409,
		      "username_taken", NULL);
	api_signup(&T, "ben", code, NULL);
}

static void easy_passwords_are_refused_with_the_reason(void **state)
{
	(void)state;
	json_t *j;
	const char *weak[] = { "password1234", "123456789012", "correct horse battery staple" };
	for (size_t i = 0; i < sizeof(weak) / sizeof(*weak); i++) {
		assert_int_equal(api(&T, "POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s}", "username", "ana",
				     "password", weak[i], "display_name", "Ana"), 400);
		assert_string_equal(err_code(j), "weak_password");
		json_t *e = json_object_get(j, "error");
		assert_string_equal(json_string_value(json_object_get(e, "field")), "password");
		const char *msg = json_string_value(json_object_get(e, "message"));
		assert_holds(msg, "easy to guess", "A few unrelated words work well.", NULL);
		json_decref(j);
	}
	/* a strong passphrase is welcome, and a weak new one is refused too */
	assert_int_equal(api(&T, "POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s}", "username", "ana",
			     "password", "lanterns over the quiet harbour", "display_name", "Ana"), 201);
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/sessions", NULL, &j, "{s:s, s:s}", "username", "ana", "password",
			     "lanterns over the quiet harbour"), 201);
	char tok[64];
	snprintf(tok, sizeof(tok), "%s", json_string_value(json_object_get(j, "token")));
	json_decref(j);
	assert_int_equal(api(&T, "PUT", "/api/v1/me/password", tok, &j, "{s:s, s:s}", "current_password",
			     "lanterns over the quiet harbour", "new_password", "123456789012"), 400);
	assert_string_equal(err_code(j), "weak_password");
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(j, "error"), "message")),
			       "common pattern"));
	json_decref(j);
}

/* "café au lait soir" with é composed (NFC, as most keyboards send it) and
 * as e + a combining accent (NFD, as some phones and pastes do). */
#define PW_NFC "caf\xc3\xa9 au lait soir"
#define PW_NFD "cafe\xcc\x81 au lait soir"

static bool keys_unlocked_after_login(const char *user, const char *pw)
{
	json_t *j;
	if (api(&T, "POST", "/api/v1/sessions", NULL, &j, "{s:s, s:s}", "username", user, "password", pw) != 201) {
		json_decref(j);
		return false;
	}
	char tok[64];
	snprintf(tok, sizeof(tok), "%s", json_string_value(json_object_get(j, "token")));
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/me", tok, &j, NULL), 200);
	bool unlocked = json_is_true(json_object_get(j, "keys_unlocked"));
	json_decref(j);
	return unlocked;
}

static void a_password_typed_in_another_unicode_form_logs_in(void **state)
{
	(void)state;
	json_t *j;
	assert_int_equal(api(&T, "POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s}", "username", "ana",
			     "password", PW_NFC, "display_name", "Ana"), 201);
	json_decref(j);
	assert_true(keys_unlocked_after_login("ana", PW_NFD));
	assert_true(keys_unlocked_after_login("ana", PW_NFC));
	assert_int_equal(api(&T, "POST", "/api/v1/sessions", NULL, &j, "{s:s, s:s}", "username", "ana",
			     "password", "cafe au lait soir"), 401);
	json_decref(j);

	/* An account stored before passwords were normalised: hash and sealed
	 * key over the raw NFD bytes. The raw form still opens it, once, and it
	 * is stored again in NFC, so the NFC form works from then on. */
	char hash[crypto_pwhash_STRBYTES];
	unsigned char key[VAULT_KEY_BYTES];
	struct buf sealed = BUF_INIT;
	vault_new_key(key);
	assert_int_equal(crypto_pwhash_str_alg(hash, PW_NFD, strlen(PW_NFD), PASSWORD_OPSLIMIT, PASSWORD_MEMLIMIT,
					       crypto_pwhash_ALG_ARGON2ID13), 0);
	assert_int_equal(vault_wrap_password(key, PW_NFD, &sealed), 0);
	sqlite3 *w = db_write_begin(&T.app.db);
	assert_int_equal(db_run(w, "UPDATE user SET pw_hash = ?2, key_pw = ?3 WHERE username = ?1", "ttb", "ana",
				hash, sealed.s, sealed.len), SQLITE_OK);
	assert_int_equal(db_write_end(&T.app.db, true), SQLITE_OK);
	buf_release(&sealed);
	assert_false(keys_unlocked_after_login("ana", PW_NFC)); /* the NFC bytes were never stored */
	assert_true(keys_unlocked_after_login("ana", PW_NFD));  /* the raw bytes: stored again in NFC */
	assert_true(keys_unlocked_after_login("ana", PW_NFC));
	sqlite3 *c = db_reader(&T.app.db);
	sqlite3_stmt *st = db_prepare(c, "SELECT pw_hash FROM user WHERE username = ?1", "t", "ana");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(password_check((const char *)sqlite3_column_text(st, 0), PW_NFC), 1);
	sqlite3_finalize(st);
}

static void login_logout_and_bad_credentials(void **state)
{
	(void)state;
	json_t *j, *k;
	api_signup(&T, "ana", NULL, NULL);
	assert_int_equal(api(&T, "POST", "/api/v1/sessions", NULL, &j, "{s:s, s:s}", "username", "ana",
			     "password", "wrong password here"), 401);
	assert_int_equal(api(&T, "POST", "/api/v1/sessions", NULL, &k, "{s:s, s:s}", "username", "nobody",
			     "password", "wrong password here"), 401);
	/* unknown user and wrong password are indistinguishable */
	char *a = json_dumps(j, 0), *b = json_dumps(k, 0);
	assert_string_equal(a, b);
	free(a);
	free(b);
	json_decref(j);
	json_decref(k);

	const char *t = api_login(&T, "ana", 0);
	assert_int_equal(strlen(t), SESSION_TOKEN_CHARS);
	assert_int_equal(api(&T, "GET", "/api/v1/me", t, &j, NULL), 200);
	assert_true(json_is_true(json_object_get(j, "keys_unlocked")));
	json_decref(j);
	assert_int_equal(api(&T, "DELETE", "/api/v1/sessions/current", t, NULL, NULL), 204);
	api_error(api(&T, "GET", "/api/v1/me", t, &j, NULL), j, 401, "unauthenticated", NULL);
	assert_int_equal(api(&T, "GET", "/api/v1/me", "not-a-token", NULL, NULL), 401);
}

static void couple_invite_join_and_single_use(void **state)
{
	(void)state;
	json_t *j;
	char code[64], code2[64];
	api_signup(&T, "ana", NULL, NULL);
	const char *ta = api_login(&T, "ana", 0);
	assert_int_equal(api(&T, "POST", "/api/v1/couple", ta, &j, "{s:s, s:s}", "role", "hurt", "timezone",
			     "Mars/Olympus"), 400);
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/couple", ta, &j, "{s:s, s:s}", "role", "victim", "timezone",
			     "Europe/London"), 400);
	json_decref(j);
	create_couple(ta, "hurt", code);
	api_error(api(&T, "POST", "/api/v1/couple", ta, &j, "{s:s, s:s}", "role", "hurt", "timezone",
		      "Europe/London"), j, 409, "already_in_couple", NULL);
	/* a new invite kills the old one */
	assert_int_equal(api(&T, "POST", "/api/v1/couple/invite", ta, &j, NULL), 201);
	snprintf(code2, sizeof(code2), "%s", json_string_value(json_object_get(j, "invite_code")));
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s, s:s, s:s}", "username", "ben",
			     "password", TEST_PASSWORD, "display_name", "Ben", "invite_code", code, "role", "accountable"), 404);
	json_decref(j);
	/* typed in lower case with spaces it still works */
	char typed[64];
	size_t k = 0;
	for (const char *p = code2; *p; p++)
		typed[k++] = *p == '-' ? ' ' : (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
	typed[k] = '\0';
	api_signup(&T, "ben", typed, "accountable");
	const char *tb = api_login(&T, "ben", 1);
	assert_int_equal(api(&T, "GET", "/api/v1/me", tb, &j, NULL), 200);
	json_t *c = json_object_get(j, "couple");
	assert_string_equal(json_string_value(json_object_get(c, "my_role")), "accountable");
	assert_string_equal(json_string_value(json_object_get(c, "timezone")), "Europe/London");
	assert_string_equal(json_string_value(json_object_get(json_object_get(c, "partner"), "display_name")), "ana");
	assert_string_equal(json_string_value(json_object_get(json_object_get(c, "partner"), "role")), "hurt");
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/me", ta, &j, NULL), 200);
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(j, "couple"),
		"partner"), "display_name")), "ben");
	json_decref(j);
	/* the code is used: nobody else joins; a full couple gets no new invite */
	api_error(api(&T, "POST", "/api/v1/couple/invite", ta, &j, NULL), j, 409, "couple_full", NULL);
}

static void joining_with_an_existing_account(void **state)
{
	(void)state;
	json_t *j;
	char code[64], scode[64];
	api_signup(&T, "ana", NULL, NULL);
	const char *ta = api_login(&T, "ana", 0);
	assert_int_equal(api(&T, "POST", "/api/v1/signup-codes", ta, &j, NULL), 201);
	snprintf(scode, sizeof(scode), "%s", json_string_value(json_object_get(j, "invite_code")));
	json_decref(j);
	api_signup(&T, "ben", scode, NULL);
	create_couple(ta, "both", code);
	const char *tb = api_login(&T, "ben", 1);
	api_error(api(&T, "POST", "/api/v1/couple/join", tb, &j, "{s:s, s:s}", "invite_code", "ZZZZ-ZZZZ-ZZZZ-ZZZZ",
		      "role", "both"), j, 404, "invalid_invite", NULL);
	assert_int_equal(api(&T, "POST", "/api/v1/couple/join", tb, &j, "{s:s, s:s}", "invite_code", code,
			     "role", "both"), 200);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "couple"), "my_role")), "both");
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/couple/join", tb, &j, "{s:s, s:s}", "invite_code", code,
			     "role", "both"), 409);
	json_decref(j);
	/* leaving ends the membership */
	assert_int_equal(api(&T, "POST", "/api/v1/couple/leave", tb, &j, "{s:s}", "password", TEST_PASSWORD), 200);
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/me", tb, &j, NULL), 200);
	assert_true(json_is_null(json_object_get(j, "couple")));
	json_decref(j);
}

static void cookie_sessions_need_csrf_and_same_origin(void **state)
{
	(void)state;
	struct req r;
	char cookie[128];
	api_signup(&T, "ana", NULL, NULL);
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
	api_signup(&T, "ana", NULL, NULL);
	int st = 0, tries = 0;
	while (tries < 12) {
		st = api(&T, "POST", "/api/v1/sessions", NULL, &j, "{s:s, s:s}", "username", "ana", "password", "not the password");
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

/* A burst of wrong passwords for one account, all in flight together from
 * many addresses (as a stranger with many machines would send them): each
 * request is dispatched before any deferred check has run. At most two
 * checks of the account run at once; the others wait their turn
 * (req_wait), and once the failures pass the free ones every further
 * attempt is a calm 429 with Retry-After. Returns how many checks reached
 * the password hash. */
static int wrong_password_burst(const char *user, int n, int first_addr)
{
	struct req *rs = calloc((size_t)n, sizeof(*rs));
	char (*addr)[32] = calloc((size_t)n, sizeof(*addr));
	char body[128];
	const char *h[] = { "Content-Type", "application/json", NULL };
	int started = 0, checked = 0;
	snprintf(body, sizeof(body), "{\"username\":\"%s\",\"password\":\"not the password at all\"}", user);
	for (int i = 0; i < n; i++) {
		snprintf(addr[i], sizeof(addr[i]), "10.0.%d.%d", (first_addr + i) / 250, (first_addr + i) % 250 + 1);
		T.client_addr = addr[i];
		thttp_begin(&T, &rs[i], "POST", "/api/v1/sessions", h, body, 0);
		if (rs[i].defer_fn) {
			started++;
		} else if (!rs[i].wait_ms) {
			assert_int_equal(rs[i].status, 429);
			assert_non_null(strstr(rs[i].out.s, "too_many_attempts"));
		}
	}
	assert_true(started <= 2); /* only a couple of checks in flight per account */
	for (int i = 0; i < n; i++) {
		T.client_addr = addr[i];
		thttp_end(&T, &rs[i]);
		if (rs[i].status == 401) {
			checked++;
		} else {
			assert_int_equal(rs[i].status, 429);
			assert_non_null(thttp_header(&rs[i], "Retry-After"));
		}
		req_release(&rs[i]);
	}
	T.client_addr = NULL;
	free(rs);
	free(addr);
	return checked;
}

/* Logs in with the right password from the owner's own address, waiting
 * out each Retry-After on the throttle's clock. Returns the seconds waited. */
static int owner_login_waits(const char *user)
{
	int waited = 0;
	T.client_addr = "192.168.1.20";
	for (int tries = 0; tries < 5; tries++) {
		struct req r;
		char body[128];
		const char *h[] = { "Content-Type", "application/json", NULL };
		snprintf(body, sizeof(body), "{\"username\":\"%s\",\"password\":\"%s\"}", user, TEST_PASSWORD);
		thttp_do(&T, &r, "POST", "/api/v1/sessions", h, body, 0);
		int st = r.status;
		int ra = st == 429 ? atoi(thttp_header(&r, "Retry-After")) : 0;
		req_release(&r);
		if (st == 201) {
			T.client_addr = NULL;
			return waited;
		}
		assert_int_equal(st, 429);
		assert_true(ra >= 1 && ra <= 60);
		waited += ra;
		throttle_advance(ra);
	}
	fail_msg("the owner could not log in after waiting %d s", waited);
	return -1;
}

static void a_burst_of_wrong_passwords_cannot_lock_the_owner_out(void **state)
{
	(void)state;
	api_signup(&T, "ana", NULL, NULL);
	/* two bursts of 60 concurrent guesses, a little apart */
	time_t t0 = time(NULL);
	int checked = wrong_password_burst("ana", 60, 0);
	/* the waiting ones are checked until the free failures are used; then
	 * each step is at least a second, so a second that passed during the
	 * burst (a slow machine) lets at most one more through */
	int spent = (int)(time(NULL) - t0);
	assert_true(checked >= THROTTLE_ACCOUNT.free_failures + 1);
	assert_true(checked <= THROTTLE_ACCOUNT.free_failures + 1 + spent);
	throttle_advance(5);
	t0 = time(NULL);
	checked += wrong_password_burst("ana", 60, 60);
	spent += (int)(time(NULL) - t0);
	assert_true(checked <= THROTTLE_ACCOUNT.free_failures + 3 + spent);
	/* the owner's right password waits at most one short step */
	int waited = owner_login_waits("ana");
	assert_true(waited <= 60);

	/* a longer stream of failures, each step waited out: still only slowed */
	for (int round = 0; round < 6; round++) {
		wrong_password_burst("ana", 10, 200 + round * 10);
		throttle_advance(31);
	}
	wrong_password_burst("ana", 10, 600);
	waited = owner_login_waits("ana");
	assert_true(waited <= 60);
}

static void the_re_entered_password_is_throttled(void **state)
{
	(void)state;
	json_t *j;
	api_signup(&T, "ana", NULL, NULL);
	const char *t = api_login(&T, "ana", 0);
	int checked = 0, refused = 0;
	for (int i = 0; i < 30; i++) {
		int st = api(&T, "PUT", "/api/v1/me/password", t, &j, "{s:s, s:s}", "current_password",
			     "wrong one here", "new_password", "a new long passphrase");
		if (st == 403) {
			assert_string_equal(err_code(j), "reauth_failed");
			checked++;
		} else {
			assert_int_equal(st, 429);
			assert_string_equal(err_code(j), "too_many_attempts");
			refused++;
		}
		json_decref(j);
	}
	assert_true(checked >= 5);
	assert_true(checked <= 10); /* 5 free, then 1 s, 2 s, 4 s ... apart */
	assert_int_equal(checked + refused, 30);
	/* the same count covers the settings page's form */
	struct req r;
	char cookie[128], form[256];
	char token[SESSION_TOKEN_CHARS + 1];
	struct session *s = session_create(1, NULL, NULL, false, "test", token);
	snprintf(cookie, sizeof(cookie), "troth=%s", token);
	snprintf(form, sizeof(form), "csrf=%s&current_password=wrong+one+here&new_password=a+new+long+passphrase",
		 s->csrf);
	const char *h[] = { "Cookie", cookie, "Content-Type", "application/x-www-form-urlencoded", NULL };
	thttp_do(&T, &r, "POST", "/settings/password", h, form, 0);
	assert_int_equal(r.status, 429);
	assert_non_null(thttp_header(&r, "Retry-After"));
	req_release(&r);
	session_put(s);
	/* after the wait, the right password works */
	throttle_advance(61);
	assert_int_equal(api(&T, "PUT", "/api/v1/me/password", t, &j, "{s:s, s:s}", "current_password", TEST_PASSWORD,
			     "new_password", "a new long passphrase"), 200);
	json_decref(j);
}

static void a_new_recovery_code_needs_the_current_password(void **state)
{
	(void)state;
	json_t *j;
	struct req r;
	api_signup(&T, "ana", NULL, NULL);
	const char *t = api_login(&T, "ana", 0);
	/* no body, an empty body, a wrong password: refused, nothing minted */
	assert_int_equal(api(&T, "POST", "/api/v1/me/recovery-code", t, &j, NULL), 403);
	assert_string_equal(err_code(j), "reauth_failed");
	assert_null(json_object_get(j, "recovery_code"));
	json_decref(j);
	api_error(api(&T, "POST", "/api/v1/me/recovery-code", t, &j, "{}"), j, 403, "reauth_failed", NULL);
	assert_int_equal(api(&T, "POST", "/api/v1/me/recovery-code", t, &j, "{s:s}", "password", "not my password"), 403);
	assert_string_equal(err_code(j), "reauth_failed");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")), "password");
	json_decref(j);
	api_error(api(&T, "POST", "/api/v1/me/recovery-code", t, &j, "{s:s}", "secret", TEST_PASSWORD), j, 400,
		  "unknown_field", NULL);
	/* the right one */
	assert_int_equal(api(&T, "POST", "/api/v1/me/recovery-code", t, &j, "{s:s}", "password", TEST_PASSWORD), 201);
	const char *code = json_string_value(json_object_get(j, "recovery_code"));
	assert_non_null(code);
	assert_int_equal(strlen(code), VAULT_RECOVERY_CODE_SIZE - 1);
	json_decref(j);

	/* the settings page asks for it too */
	char cookie[128], form[256];
	char token[SESSION_TOKEN_CHARS + 1];
	struct session *s = session_create(1, (const unsigned char *)"0123456789abcdef0123456789abcdef",
					   NULL, false, "test", token);
	snprintf(cookie, sizeof(cookie), "troth=%s", token);
	const char *h[] = { "Cookie", cookie, "Content-Type", "application/x-www-form-urlencoded", NULL };
	thttp_do(&T, &r, "GET", "/settings", h, NULL, 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.out.s, "action=\"/settings/recovery-code\""));
	assert_non_null(strstr(strstr(r.out.s, "action=\"/settings/recovery-code\""), "name=\"password\""));
	req_release(&r);
	snprintf(form, sizeof(form), "csrf=%s", s->csrf);
	thttp_do(&T, &r, "POST", "/settings/recovery-code", h, form, 0);
	assert_int_equal(r.status, 403);
	assert_null(strstr(r.out.s, "id=\"recovery-code\""));
	req_release(&r);
	snprintf(form, sizeof(form), "csrf=%s&password=not+my+password", s->csrf);
	thttp_do(&T, &r, "POST", "/settings/recovery-code", h, form, 0);
	assert_int_equal(r.status, 403);
	assert_null(strstr(r.out.s, "id=\"recovery-code\""));
	req_release(&r);
	snprintf(form, sizeof(form), "csrf=%s&password=correct+horse+battery", s->csrf);
	thttp_do(&T, &r, "POST", "/settings/recovery-code", h, form, 0);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.out.s, "id=\"recovery-code\""));
	req_release(&r);
	session_put(s);
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
static const struct throttle_rule ANY_FAILURE = { 0, 1, 3600, 0 };

static bool failure_counted_for(const char *addr)
{
	char key[64];
	snprintf(key, sizeof(key), "ip:%s", addr);
	return throttle_wait(key, &ANY_FAILURE, throttle_now()) > 0;
}

/* X-Forwarded-For and X-Forwarded-Proto are believed only from a trusted
 * proxy: anyone else could write them to dodge the per-address throttle
 * or to change the cookie. */
static void forwarded_headers_only_from_a_trusted_proxy(void **state)
{
	(void)state;
	char cookie[256];
	api_signup(&T, "ana", NULL, NULL);

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
	assert_int_equal(api(&T, "POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s}", "username", "ana",
			     "password", TEST_PASSWORD, "display_name", "Ana"), 201);
	char recovery[64];
	snprintf(recovery, sizeof(recovery), "%s", json_string_value(json_object_get(j, "recovery_code")));
	json_decref(j);
	const char *t = api_login(&T, "ana", 0);
	const char *t2 = api_login(&T, "ana", 1);
	create_couple(t, "hurt", code);

	api_error(api(&T, "PUT", "/api/v1/me/password", t, &j, "{s:s, s:s}", "current_password", "wrong one here",
		      "new_password", "a new long passphrase"), j, 403, "reauth_failed", NULL);
	assert_int_equal(api(&T, "PUT", "/api/v1/me/password", t, &j, "{s:s, s:s}", "current_password", TEST_PASSWORD,
			     "new_password", "a new long passphrase"), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "sessions_ended")), 1);
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/me", t2, NULL, NULL), 401); /* the other session ended */
	assert_int_equal(api(&T, "POST", "/api/v1/sessions", NULL, &j, "{s:s, s:s}", "username", "ana", "password", TEST_PASSWORD), 401);
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/sessions", NULL, &j, "{s:s, s:s}", "username", "ana",
			     "password", "a new long passphrase"), 201);
	char tok[64];
	snprintf(tok, sizeof(tok), "%s", json_string_value(json_object_get(j, "token")));
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/me", tok, &j, NULL), 200);
	assert_true(json_is_true(json_object_get(j, "keys_unlocked")));
	json_decref(j);

	/* the operator resets the password: the keys stay sealed... */
	assert_int_equal(acct_operator_reset(&T.app.db, "ana", "operator chose this"), 0);
	assert_int_equal(api(&T, "POST", "/api/v1/sessions", NULL, &j, "{s:s, s:s}", "username", "ana",
			     "password", "operator chose this"), 201);
	snprintf(tok, sizeof(tok), "%s", json_string_value(json_object_get(j, "token")));
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/me", tok, &j, NULL), 200);
	assert_true(json_is_false(json_object_get(j, "keys_unlocked")));
	json_decref(j);
	/* ...until the user's own recovery code opens them */
	assert_int_equal(api(&T, "POST", "/api/v1/me/recover", tok, &j, "{s:s, s:s}", "recovery_code",
			     "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA", "password", "operator chose this"), 403);
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/me/recover", tok, &j, "{s:s, s:s}", "recovery_code", recovery,
			     "password", "operator chose this"), 200);
	snprintf(tok, sizeof(tok), "%s", json_string_value(json_object_get(j, "token")));
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/me", tok, &j, NULL), 200);
	assert_true(json_is_true(json_object_get(j, "keys_unlocked")));
	json_decref(j);
	/* and the couple key came back with them: a new invite can be sealed */
	assert_int_equal(api(&T, "POST", "/api/v1/couple/invite", tok, &j, NULL), 201);
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/sessions", NULL, &j, "{s:s, s:s}", "username", "ana",
			     "password", "operator chose this"), 201);
	json_decref(j);
}

/* The authorization matrix: every viewer against every account resource. */
static void authorization_matrix(void **state)
{
	(void)state;
	json_t *j;
	char code[64], scode[64];
	api_signup(&T, "opr", NULL, NULL);                      /* operator, no couple */
	const char *top = api_login(&T, "opr", 0);
	assert_int_equal(api(&T, "POST", "/api/v1/signup-codes", top, &j, NULL), 201);
	snprintf(scode, sizeof(scode), "%s", json_string_value(json_object_get(j, "invite_code")));
	json_decref(j);
	api_signup(&T, "ana", scode, NULL);
	const char *ta = api_login(&T, "ana", 1);
	create_couple(ta, "hurt", code);
	api_signup(&T, "ben", code, "accountable");
	const char *tb = api_login(&T, "ben", 2);
	assert_int_equal(api(&T, "POST", "/api/v1/signup-codes", top, &j, NULL), 201);
	snprintf(scode, sizeof(scode), "%s", json_string_value(json_object_get(j, "invite_code")));
	json_decref(j);
	api_signup(&T, "dan", scode, NULL);                      /* another couple */
	const char *td = api_login(&T, "dan", 3);
	create_couple(td, "both", code);

	/* A's session id, for "ending someone else's session" */
	assert_int_equal(api(&T, "GET", "/api/v1/sessions", ta, &j, NULL), 200);
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
			int st = api(&T, cells[c].method, cells[c].path, viewers[v], NULL, NULL);
			if (st != cells[c].want[v])
				fail_msg("%s %s as %s: got %d, want %d", cells[c].method, cells[c].path, names[v],
					 st, cells[c].want[v]);
		}
	}
	/* what each sees of the couple: only their own */
	assert_int_equal(api(&T, "GET", "/api/v1/me", td, &j, NULL), 200);
	assert_true(json_is_null(json_object_get(json_object_get(j, "couple"), "partner")));
	json_decref(j);
	assert_int_equal(api(&T, "DELETE", a_sess, ta, NULL, NULL), 204);
	assert_int_equal(api(&T, "GET", "/api/v1/me", ta, NULL, NULL), 401);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(first_account_is_operator_then_invites_are_needed, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(bad_signups_name_the_field, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(sign_up_tells_nothing_about_usernames_without_an_invite, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(easy_passwords_are_refused_with_the_reason, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(a_password_typed_in_another_unicode_form_logs_in, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(login_logout_and_bad_credentials, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(couple_invite_join_and_single_use, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(joining_with_an_existing_account, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(cookie_sessions_need_csrf_and_same_origin, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(repeated_failures_are_throttled_not_locked_forever, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(a_burst_of_wrong_passwords_cannot_lock_the_owner_out, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(the_re_entered_password_is_throttled, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(a_new_recovery_code_needs_the_current_password, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(password_change_and_recovery_keep_the_keys, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(authorization_matrix, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(forwarded_headers_only_from_a_trusted_proxy, store_setup, store_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
