/* apiclient.h: a small JSON API client over the in-process harness, for
 * feature tests: one call per line, and ready-made couples.
 *
 *     json_t *j;
 *     assert_int_equal(api(&T, "POST", "/api/v1/checkins", tok, &j, "{s:i}", "connection", 7), 201);
 *     json_decref(j);
 */
#ifndef TROTH_TEST_APICLIENT_H
#define TROTH_TEST_APICLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <stdbool.h>

#include "harness_http.h"

#define TEST_PASSWORD "correct horse battery"

/* One API call with an optional Bearer token and a json_pack body (fmt NULL
 * for none). Returns the status; *out (if not NULL) gets the parsed body or
 * JSON null (decref it). */
int api(struct thttp *t, const char *method, const char *path, const char *token, json_t **out,
	const char *fmt, ...);
/* The same with a raw body (sent as application/json). */
int api_raw(struct thttp *t, const char *method, const char *path, const char *token,
	    json_t **out, const char *body);
/* error.code of an error body, or NULL. */
const char *err_code(json_t *j);
/* error.field of an error body, or NULL. */
const char *err_field(json_t *j);

/* Signs up (invite may be NULL for the first user; role may be NULL). Fails
 * the test on anything but 201. Password TEST_PASSWORD. */
void api_signup(struct thttp *t, const char *user, const char *invite, const char *role);
/* Logs in; returns a token kept in static storage slot 0..15. */
const char *api_login(struct thttp *t, const char *user, int slot);
/* Logs user in with password; the token goes to tok (size bytes), which
 * it returns. Fails the test when the login is refused. */
const char *api_login_as(struct thttp *t, const char *user, const char *password, char *tok, size_t size);

/* A whole couple: an operator "opr" (no couple), partners "ana" (hurt) and
 * "ben" (accountable) in one couple in time zone tz, and "dan" (both) in
 * another couple alone. Tokens for each. */
struct couple_fixture {
	const char *op, *a, *b, *d;
};
void api_couples(struct thttp *t, const char *tz, struct couple_fixture *f);

/* The fixture most feature tests share, as cmocka setup and teardown:
 *
 *     cmocka_unit_test_setup_teardown(a_test, couple_setup, couple_teardown)
 *
 * T is the store of the running test and F its couple. */
extern struct thttp T;
extern struct couple_fixture F;

/* The time zone of the couples couple_open made last ("Europe/London"
 * before any). */
extern const char *couple_zone;
/* Today, as days since 1970-01-01, in couple_zone. */
long couple_today(void);
/* couple_today() + delta as "YYYY-MM-DD". */
void couple_day(long delta, char out[11]);
/* The user id (GET /api/v1/me) of the token's user; fails the test on error. */
long long api_user_id(struct thttp *t, const char *token);
/* The couple id of the token's user; fails the test unless there is one. */
long long api_couple_id(struct thttp *t, const char *token);

/* Opens a fresh store in T with no accounts and clears the login throttle.
 * Returns 0 (aborts on failure). */
int store_setup(void **state);
/* Closes T and removes its directory. Returns 0. */
int store_teardown(void **state);
/* A fresh store in T holding the couples of api_couples in time zone tz,
 * tokens in F. The accounts are made once a process and copied for each
 * later test (same zone, same day there, within ten minutes), with new
 * sessions: a test sees the same as if they were made for it. */
void couple_open(const char *tz);
/* couple_open("Europe/London"). Returns 0. */
int couple_setup(void **state);
/* Closes T (the same as store_teardown). Returns 0. */
int couple_teardown(void **state);

/* True when the bytes needle[0..n) appear anywhere in the file at path
 * (false when it cannot be read). For canaries. */
bool file_has_bytes(const char *path, const void *needle, size_t n);
/* Fails the test unless the status st is want and the error body j has
 * the code and the field given (NULL: that one is not checked); frees j. */
void api_check_error(int st, json_t *j, int want, const char *code, const char *field);
/* The call runs first (it sets j), then its answer is checked and freed:
 *
 *     api_error(api(&T, "PUT", path, tok, &j, "{s:i}", "n", 0), j, 400, "invalid_field", "n");
 */
#define api_error(call, j, want, code, field)                       \
	do {                                                        \
		int api_error_st_ = (call);                         \
		api_check_error(api_error_st_, j, want, code, field); \
	} while (0)
/* n times c as a string (malloc'd; free it). */
char *text_of_length(char c, size_t n);
/* The count a "SELECT count(*) ..." query (no parameters) gives on T's
 * store; fails the test unless it gives a row. */
long long store_count(const char *sql);
/* Fails the test unless text holds each of the strings that follow (end
 * the list with NULL). */
void assert_holds(const char *text, ...);
/* Fails the test unless text holds none of the strings that follow (end
 * the list with NULL). */
void assert_holds_none(const char *text, ...);

/* GETs path with token; fails the test unless the status is 200. Returns
 * the size of the array under key in the body (0 when there is none). */
size_t api_count(struct thttp *t, const char *path, const char *token, const char *key);

/* Runs method path on t with no headers and no body; returns the status. */
int http_status(struct thttp *t, const char *method, const char *path);

/* GETs path with token; fails the test unless the status is 200. Returns
 * the body (decref it). */
json_t *api_get(struct thttp *t, const char *path, const char *token);
/* GETs path with token; fails the test unless the status is 200. Whether
 * the body has null (or nothing) under key. */
bool api_null_at(struct thttp *t, const char *path, const char *token, const char *key);
/* The instant under key of o, which must be written as every instant of
 * the API is, RFC 3339 in UTC ("2026-12-02T05:55:33Z"; fails the test
 * otherwise): its seconds since 1970. */
long long api_instant(json_t *o, const char *key);
/* GETs path on t with the headers h (NULL for none, as thttp_do takes
 * them); fails the test unless the answer is a 303 to location. */
void http_redirects(struct thttp *t, const char *path, const char *const *h, const char *location);

#endif
