/* apiclient.c: see apiclient.h. */
#include "apiclient.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "auth/session.h"
#include "auth/throttle.h"
#include "base/caltime.h"

struct thttp T;
struct couple_fixture F;
const char *couple_zone = "Europe/London";

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

const char *api_login_as(struct thttp *t, const char *user, const char *password, char *tok, size_t size)
{
	json_t *j;
	int st = api(t, "POST", "/api/v1/sessions", NULL, &j, "{s:s, s:s}", "username", user, "password", password);
	if (st != 201)
		fail_msg("login %s: %d", user, st);
	snprintf(tok, size, "%s", json_string_value(json_object_get(j, "token")));
	json_decref(j);
	return tok;
}

const char *api_login(struct thttp *t, const char *user, int slot)
{
	static char tokens[16][64];
	return api_login_as(t, user, TEST_PASSWORD, tokens[slot], sizeof(tokens[slot]));
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

long couple_today(void)
{
	return tz_day(tz_get(couple_zone), time(NULL));
}

void couple_day(long delta, char out[11])
{
	date_format(couple_today() + delta, out);
}

static long long me_id(struct thttp *t, const char *token, const char *what)
{
	json_t *j;
	if (api(t, "GET", "/api/v1/me", token, &j, NULL) != 200)
		fail_msg("GET /api/v1/me failed");
	long long id = json_integer_value(json_object_get(json_object_get(j, what), "id"));
	json_decref(j);
	return id;
}

long long api_user_id(struct thttp *t, const char *token)
{
	return me_id(t, token, "user");
}

long long api_couple_id(struct thttp *t, const char *token)
{
	long long id = me_id(t, token, "couple");
	if (id <= 0)
		fail_msg("no couple");
	return id;
}

/* The couples of api_couples, made once a process and copied for each test
 * (each signup and login costs a deliberately slow password hash): the
 * store as a file, and what each of the four sessions held. A copy is used
 * only on the couple day it was made in the same zone, within ten minutes,
 * so a test sees the couple as new as a fresh one would be. */
static struct {
	char dir[64], path[128];
	char zone[64];
	long day;
	time_t made;
	long long uid[4];
	unsigned char data_key[4][SESSION_KEY_BYTES], couple_key[4][SESSION_KEY_BYTES];
	bool has_data_key[4], has_couple_key[4];
} tpl;

static void tpl_remove(void)
{
	if (!tpl.path[0])
		return;
	char p[160];
	const char *suffix[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < 4; i++) {
		snprintf(p, sizeof(p), "%s%s", tpl.path, suffix[i]);
		unlink(p);
	}
	rmdir(tpl.dir);
	sodium_memzero(&tpl, sizeof(tpl));
}

static bool tpl_fits(const char *tz)
{
	time_t now = time(NULL);
	return tpl.path[0] && !strcmp(tpl.zone, tz) && tpl.day == tz_day(tz_get(tz), now) &&
	       now >= tpl.made && now - tpl.made < 600;
}

/* Keeps the store and the keys of the four sessions whose tokens are in *f. */
static void tpl_keep(const char *tz, const struct couple_fixture *f)
{
	const char *tok[4] = { f->op, f->a, f->b, f->d };
	tpl_remove();
	snprintf(tpl.dir, sizeof(tpl.dir), "%s", "/tmp/troth-tpl-XXXXXX");
	if (!mkdtemp(tpl.dir)) {
		tpl.dir[0] = '\0';
		return;
	}
	snprintf(tpl.path, sizeof(tpl.path), "%s/t.db", tpl.dir);
	for (int i = 0; i < 4; i++) {
		struct session *s = session_find(tok[i]);
		if (!s) {
			tpl_remove();
			return;
		}
		tpl.uid[i] = s->user_id;
		if ((tpl.has_data_key[i] = s->data_key != NULL))
			memcpy(tpl.data_key[i], s->data_key, SESSION_KEY_BYTES);
		if ((tpl.has_couple_key[i] = s->couple_key != NULL))
			memcpy(tpl.couple_key[i], s->couple_key, SESSION_KEY_BYTES);
		session_put(s);
	}
	if (thttp_snapshot(&T, tpl.path) < 0) {
		tpl_remove();
		return;
	}
	snprintf(tpl.zone, sizeof(tpl.zone), "%s", tz);
	tpl.day = tz_day(tz_get(tz), time(NULL));
	tpl.made = time(NULL);
	static bool registered;
	if (!registered)
		atexit(tpl_remove);
	registered = true;
}

/* Opens T from the kept store and gives each user a new API session
 * holding the keys a login would have unlocked. */
static void tpl_open(struct couple_fixture *f)
{
	static char tokens[4][SESSION_TOKEN_CHARS + 1];
	thttp_open_from(&T, tpl.path);
	throttle_reset();
	for (int i = 0; i < 4; i++) {
		struct session *s = session_create(tpl.uid[i], tpl.has_data_key[i] ? tpl.data_key[i] : NULL,
						   tpl.has_couple_key[i] ? tpl.couple_key[i] : NULL, true,
						   "API token", tokens[i]);
		session_put(s);
	}
	f->op = tokens[0];
	f->a = tokens[1];
	f->b = tokens[2];
	f->d = tokens[3];
}

void couple_open(const char *tz)
{
	couple_zone = tz;
	if (tpl_fits(tz)) {
		tpl_open(&F);
		return;
	}
	store_setup(NULL);
	api_couples(&T, tz, &F);
	tpl_keep(tz, &F);
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

bool file_has_bytes(const char *path, const void *needle, size_t n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	size_t cap = 1 << 16, len = 0, got;
	unsigned char *buf = malloc(cap);
	while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0)
		if ((len += got) == cap)
			buf = realloc(buf, cap *= 2);
	fclose(f);
	bool found = false;
	for (size_t i = 0; buf && !found && i + n <= len; i++)
		found = !memcmp(buf + i, needle, n);
	free(buf);
	return found;
}

void api_check_error(int st, json_t *j, int want, const char *code, const char *field)
{
	const char *c = err_code(j), *f = err_field(j);
	if (st != want || (code && (!c || strcmp(c, code))) || (field && (!f || strcmp(f, field))))
		fail_msg("got %d %s (field %s), want %d %s (field %s)", st, c ? c : "-", f ? f : "-", want,
			 code ? code : "-", field ? field : "-");
	json_decref(j);
}

char *text_of_length(char c, size_t n)
{
	char *s = malloc(n + 1);
	if (!s)
		fail_msg("out of memory");
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

long long store_count(const char *sql)
{
	sqlite3_stmt *st = db_prepare(db_reader(&T.app.db), sql, "");
	if (sqlite3_step(st) != SQLITE_ROW)
		fail_msg("no row from %s", sql);
	long long n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

void assert_holds(const char *text, ...)
{
	va_list ap;
	va_start(ap, text);
	for (const char *s; (s = va_arg(ap, const char *));)
		if (!strstr(text, s))
			fail_msg("\"%s\" is missing", s);
	va_end(ap);
}

void assert_holds_none(const char *text, ...)
{
	va_list ap;
	va_start(ap, text);
	for (const char *s; (s = va_arg(ap, const char *));)
		if (strstr(text, s))
			fail_msg("\"%s\" is there", s);
	va_end(ap);
}

size_t api_count(struct thttp *t, const char *path, const char *token, const char *key)
{
	json_t *j = api_get(t, path, token);
	size_t n = json_array_size(json_object_get(j, key));
	json_decref(j);
	return n;
}

int http_status(struct thttp *t, const char *method, const char *path)
{
	struct req r;
	thttp_do(t, &r, method, path, NULL, NULL, 0);
	int st = r.status;
	req_release(&r);
	return st;
}

json_t *api_get(struct thttp *t, const char *path, const char *token)
{
	json_t *j;
	int st = api(t, "GET", path, token, &j, NULL);
	if (st != 200)
		fail_msg("GET %s: %d, want 200", path, st);
	return j;
}

bool api_null_at(struct thttp *t, const char *path, const char *token, const char *key)
{
	json_t *j = api_get(t, path, token);
	bool null = json_is_null(json_object_get(j, key));
	json_decref(j);
	return null;
}

long long api_instant(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	time_t t;
	if (!s || strlen(s) != 20 || s[10] != 'T' || s[19] != 'Z' || instant_parse(s, &t) < 0)
		fail_msg("%s is not an RFC 3339 instant in UTC: %s", key, s ? s : "(not a string)");
	return (long long)t;
}

void http_redirects(struct thttp *t, const char *path, const char *const *h, const char *location)
{
	struct req r;
	thttp_do(t, &r, "GET", path, h, NULL, 0);
	assert_int_equal(r.status, 303);
	assert_string_equal(thttp_header(&r, "Location"), location);
	req_release(&r);
}
