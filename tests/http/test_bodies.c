/* test_bodies.c: hostile request bodies through the test-only record route
 * (built with -Dtest_routes=true): bad JSON, duplicate keys, invalid UTF-8,
 * wrong content type, oversize bodies, and a full disk answered with 503
 * and nothing half-written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "apiclient.h"
#include "harness_http.h"

static const char *const JSONH[] = { "Content-Type", "application/json", NULL };

static void post(struct req *r, const char *const *h, const char *body, size_t len)
{
	thttp_do(&T, r, "POST", "/api/v1/_test/records", h, body, len);
}

static void assert_error(struct req *r, int status, const char *code)
{
	char want[128];
	assert_int_equal(r->status, status);
	snprintf(want, sizeof(want), "{\"error\":{\"code\":\"%s\"", code);
	assert_memory_equal(r->out.s, want, strlen(want));
	req_release(r);
}

/* Fails the test unless GET /api/v1/_test/records answers exactly want. */
static void assert_records(const char *want)
{
	struct req r;
	thttp_do(&T, &r, "GET", "/api/v1/_test/records", NULL, NULL, 0);
	assert_string_equal(r.out.s, want);
	req_release(&r);
}

static void good_body_is_stored(void **state)
{
	(void)state;
	struct req r;
	post(&r, JSONH, "{\"n\": 7}", 0);
	assert_int_equal(r.status, 201);
	assert_string_equal(r.out.s, "{\"n\":7}");
	req_release(&r);
	post(&r, JSONH, "{\"n\": 7}", 0);
	assert_error(&r, 409, "exists");
	assert_records("{\"ns\":[7]}");
}

static void bad_bodies_get_clear_4xx(void **state)
{
	(void)state;
	struct req r;
	static const struct {
		const char *body, *code;
	} bad[] = {
		{ "{\"n\": 1", "invalid_json" },
		{ "{\"n\": 1, \"n\": 2}", "invalid_json" },
		{ "{\"n\": \"caf\xC3\"}", "invalid_json" },
		{ "[1,2]", "invalid_json" },
		{ "{\"n\": \"seven\"}", "invalid_field" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		post(&r, JSONH, bad[i].body, 0);
		assert_error(&r, 400, bad[i].code);
	}
	post(&r, NULL, "{\"n\": 1}", 0);
	assert_error(&r, 415, "unsupported_media_type");
	static char big[REQ_BODY_MAX + 2];
	memset(big, ' ', sizeof(big) - 1);
	post(&r, JSONH, big, sizeof(big) - 1);
	assert_error(&r, 413, "body_too_large");
	assert_records("{\"ns\":[]}");
}

static void full_disk_is_503_and_nothing_half_written(void **state)
{
	(void)state;
	struct req r;
	long long pages = 0;
	char body[64];
	/* Cap the file at its current size: the next growth fails with
	 * SQLITE_FULL, as on a full disk. */
	sqlite3_exec(T.app.db.writer, "CREATE TABLE IF NOT EXISTS harness_record(n INTEGER PRIMARY KEY, at INTEGER NOT NULL)", NULL, NULL, NULL);
	db_int(T.app.db.writer, &pages, "PRAGMA page_count", "");
	char pragma[64];
	snprintf(pragma, sizeof(pragma), "PRAGMA max_page_count=%lld", pages);
	sqlite3_exec(T.app.db.writer, pragma, NULL, NULL, NULL);
	int ok = 0, full = 0;
	for (int i = 0; i < 5000 && !full; i++) {
		snprintf(body, sizeof(body), "{\"n\": %d}", i);
		post(&r, JSONH, body, 0);
		if (r.status == 201)
			ok++;
		else if (r.status == 503)
			full = 1;
		assert_true(r.status == 201 || r.status == 503);
		if (full)
			assert_non_null(strstr(r.out.s, "\"storage_unavailable\""));
		req_release(&r);
	}
	assert_true(full);
	long long n = -1;
	assert_int_equal(db_int(db_reader(&T.app.db), &n, "SELECT count(*) FROM harness_record", ""), SQLITE_ROW);
	assert_int_equal(n, ok);
	/* while writes fail, /healthz says the store cannot take them */
	thttp_do(&T, &r, "GET", "/healthz", NULL, NULL, 0);
	assert_int_equal(r.status, 503);
	assert_non_null(strstr(r.out.s, "not writable"));
	req_release(&r);
	/* room again: the next write works and the store is healthy again */
	sqlite3_exec(T.app.db.writer, "PRAGMA max_page_count=1000000", NULL, NULL, NULL);
	post(&r, JSONH, "{\"n\": 99999}", 0);
	assert_int_equal(r.status, 201);
	req_release(&r);
	assert_int_equal(http_status(&T, "GET", "/healthz"), 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(good_body_is_stored, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(bad_bodies_get_clear_4xx, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(full_disk_is_503_and_nothing_half_written, store_setup, store_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
