/* apiclient.c: see apiclient.h. */
#include "apiclient.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/throttle.h"

struct thttp T;
struct couple_fixture F;

int api_raw(struct thttp *t, const char *method, const char *path, const char *token,
	    json_t **out, const char *body)
{
	struct req r;
	char auth[128];
	const char *h[8];
	int n = 0;
	if (body) {
		h[n++] = "Content-Type";
		h[n++] = "application/json";
	}
	if (token) {
		snprintf(auth, sizeof(auth), "Bearer %s", token);
		h[n++] = "Authorization";
		h[n++] = auth;
	}
	h[n] = NULL;
	thttp_do(t, &r, method, path, h, body, 0);
	int status = r.status;
	if (out)
		*out = r.out.len && r.out.s[0] == '{' ? json_loads(r.out.s, 0, NULL) : json_null();
	req_release(&r);
	return status;
}

int api(struct thttp *t, const char *method, const char *path, const char *token, json_t **out,
	const char *fmt, ...)
{
	char *body = NULL;
	if (fmt) {
		va_list ap;
		json_error_t err;
		va_start(ap, fmt);
		json_t *j = json_vpack_ex(&err, 0, fmt, ap);
		va_end(ap);
		if (!j)
			fail_msg("json_pack: %s", err.text);
		body = json_dumps(j, JSON_COMPACT);
		json_decref(j);
	}
	int st = api_raw(t, method, path, token, out, body);
	free(body);
	return st;
}

const char *err_code(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "code"));
}

const char *err_field(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "field"));
}

void api_signup(struct thttp *t, const char *user, const char *invite, const char *role)
{
	json_t *j;
	int st = api(t, "POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s, s:s*, s:s*}", "username", user,
		     "password", TEST_PASSWORD, "display_name", user, "invite_code", invite, "role", role);
	if (st != 201)
		fail_msg("signup %s: %d %s", user, st, err_code(j) ? err_code(j) : "");
	json_decref(j);
}

const char *api_login(struct thttp *t, const char *user, int slot)
{
	static char tokens[16][64];
	json_t *j;
	int st = api(t, "POST", "/api/v1/sessions", NULL, &j, "{s:s, s:s}", "username", user,
		     "password", TEST_PASSWORD);
	if (st != 201)
		fail_msg("login %s: %d", user, st);
	snprintf(tokens[slot], sizeof(tokens[slot]), "%s", json_string_value(json_object_get(j, "token")));
	json_decref(j);
	return tokens[slot];
}

static void signup_code(struct thttp *t, const char *op, char code[64])
{
	json_t *j;
	if (api(t, "POST", "/api/v1/signup-codes", op, &j, NULL) != 201)
		fail_msg("signup code");
	snprintf(code, 64, "%s", json_string_value(json_object_get(j, "invite_code")));
	json_decref(j);
}

static void new_couple(struct thttp *t, const char *tok, const char *role, const char *tz, char code[64])
{
	json_t *j;
	if (api(t, "POST", "/api/v1/couple", tok, &j, "{s:s, s:s}", "role", role, "timezone", tz) != 201)
		fail_msg("create couple");
	snprintf(code, 64, "%s", json_string_value(json_object_get(j, "invite_code")));
	json_decref(j);
}

void api_couples(struct thttp *t, const char *tz, struct couple_fixture *f)
{
	char code[64];
	api_signup(t, "opr", NULL, NULL);
	f->op = api_login(t, "opr", 12);
	signup_code(t, f->op, code);
	api_signup(t, "ana", code, NULL);
	f->a = api_login(t, "ana", 13);
	new_couple(t, f->a, "hurt", tz, code);
	api_signup(t, "ben", code, "accountable");
	f->b = api_login(t, "ben", 14);
	signup_code(t, f->op, code);
	api_signup(t, "dan", code, NULL);
	f->d = api_login(t, "dan", 15);
	new_couple(t, f->d, "both", tz, code);
}

int store_setup(void **state)
{
	(void)state;
	thttp_open(&T);
	throttle_reset();
	return 0;
}

int store_teardown(void **state)
{
	(void)state;
	thttp_close(&T);
	return 0;
}

void couple_open(const char *tz)
{
	store_setup(NULL);
	api_couples(&T, tz, &F);
}

int couple_setup(void **state)
{
	(void)state;
	couple_open("Europe/London");
	return 0;
}

int couple_teardown(void **state)
{
	return store_teardown(state);
}
