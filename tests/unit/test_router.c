/* test_router.c: pattern matching, parameters, 404 against 405. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "http/router.h"

static void noop(struct req *r)
{
	(void)r;
}

static const struct route table[] = {
	{ "GET", "/", noop, 0 },
	{ "GET", "/checkins", noop, 0 },
	{ "POST", "/checkins", noop, 0 },
	{ "PUT", "/api/v1/checkins/:week", noop, 0 },
	{ "POST", "/api/v1/agreements/:id/versions/:v/accept", noop, 0 },
};
#define N (sizeof(table) / sizeof(table[0]))

static void patterns_match_exactly(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct kvlist p = { 0 };
	assert_true(route_path_match("/", "/", &a, &p));
	assert_true(route_path_match("/checkins", "/checkins", &a, &p));
	assert_false(route_path_match("/checkins", "/checkins/", &a, &p));
	assert_false(route_path_match("/checkins", "/checkin", &a, &p));
	assert_false(route_path_match("/checkins", "/checkinsx", &a, &p));
	assert_false(route_path_match("/a/:id", "/a/", &a, &p));
	assert_false(route_path_match("/a/:id", "/a", &a, &p));
	assert_false(route_path_match("/a/:id", "/a/1/2", &a, &p));
	assert_false(route_path_match("/", "", &a, &p));
	assert_int_equal(p.n, 0);
	arena_release(&a);
}

static void params_are_captured_and_decoded(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct kvlist p = { 0 };
	assert_true(route_path_match("/api/v1/agreements/:id/versions/:v/accept",
				     "/api/v1/agreements/17/versions/3/accept", &a, &p));
	assert_string_equal(kv_get(&p, "id"), "17");
	assert_string_equal(kv_get(&p, "v"), "3");
	struct kvlist q = { 0 };
	assert_true(route_path_match("/x/:name", "/x/caf%C3%A9", &a, &q));
	assert_string_equal(kv_get(&q, "name"), "caf\xC3\xA9");
	struct kvlist bad = { 0 };
	assert_false(route_path_match("/x/:name", "/x/%FF", &a, &bad));
	arena_release(&a);
}

static void lookup_tells_404_from_405(void **state)
{
	(void)state;
	struct req r;
	const struct route *rt = NULL;
	struct buf allow = BUF_INIT;

	req_init(&r, NULL, "GET", "/checkins");
	assert_int_equal(route_find(table, N, &r, &rt, &allow), ROUTE_FOUND);
	assert_ptr_equal(rt, &table[1]);
	req_release(&r);

	req_init(&r, NULL, "HEAD", "/checkins");
	assert_int_equal(route_find(table, N, &r, &rt, &allow), ROUTE_FOUND);
	req_release(&r);

	req_init(&r, NULL, "DELETE", "/checkins");
	assert_int_equal(route_find(table, N, &r, &rt, &allow), ROUTE_BAD_METHOD);
	assert_string_equal(allow.s, "GET, HEAD, POST");
	req_release(&r);

	buf_reset(&allow);
	req_init(&r, NULL, "GET", "/api/v1/checkins/2026-W05");
	assert_int_equal(route_find(table, N, &r, &rt, &allow), ROUTE_BAD_METHOD);
	assert_string_equal(allow.s, "PUT");
	req_release(&r);

	req_init(&r, NULL, "PUT", "/api/v1/checkins/2026-W05");
	assert_int_equal(route_find(table, N, &r, &rt, &allow), ROUTE_FOUND);
	assert_string_equal(kv_get(&r.params, "week"), "2026-W05");
	req_release(&r);

	/* a parameter that does not decode is no match, never a missing param */
	req_init(&r, NULL, "PUT", "/api/v1/checkins/%zz");
	assert_int_equal(route_find(table, N, &r, &rt, &allow), ROUTE_NOT_FOUND);
	assert_int_equal(r.params.n, 0);
	req_release(&r);

	req_init(&r, NULL, "GET", "/nothing/here");
	assert_int_equal(route_find(table, N, &r, &rt, &allow), ROUTE_NOT_FOUND);
	req_release(&r);
	buf_release(&allow);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(patterns_match_exactly),
		cmocka_unit_test(params_are_captured_and_decoded),
		cmocka_unit_test(lookup_tells_404_from_405),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
