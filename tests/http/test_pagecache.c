/* test_pagecache.c: the answers kept per session (http/pagecache.h). A
 * kept page or API read follows every new record at once, the two partners
 * never get each other's, and logging out or ending a session drops what
 * was kept for it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiclient.h"
#include "browser.h"
#include "base/caltime.h"
#include "http/pagecache.h"

static void checkin(const char *tok, long weeks_ago, int conn)
{
	char wk[9];
	struct isoweek w;
	isoweek_of(couple_today() - 7 * weeks_ago, &w);
	isoweek_format(&w, wk);
	json_t *j;
	int st = api(&T, "POST", "/api/v1/checkins", tok, &j,
		     "{s:s, s:i, s:{s:i, s:i, s:i, s:i, s:i, s:i}}", "week", wk, "connection", conn,
		     "dimensions", "reliability", conn, "emotional_safety", conn, "honesty", conn,
		     "consistency", conn, "respect", conn, "transparency", conn);
	if (st != 201)
		fail_msg("check-in for %s: %d", wk, st);
	json_decref(j);
}

/* The first check-in of the viewer's list, as the API answers it. */
static json_t *first_checkin(const char *tok)
{
	json_t *j;
	assert_int_equal(api(&T, "GET", "/api/v1/checkins", tok, &j, NULL), 200);
	json_t *c = json_incref(json_array_get(json_object_get(j, "checkins"), 0));
	json_decref(j);
	return c;
}

static void a_kept_answer_follows_each_new_record(void **state)
{
	(void)state;
	assert_int_equal(api_count(&T, "/api/v1/checkins", F.a, "checkins"), 0);
	assert_true(pagecache_count() >= 1);
	assert_int_equal(api_count(&T, "/api/v1/checkins", F.a, "checkins"), 0);
	checkin(F.a, 1, 6);
	assert_int_equal(api_count(&T, "/api/v1/checkins", F.a, "checkins"), 1);
	checkin(F.a, 2, 7);
	assert_int_equal(api_count(&T, "/api/v1/checkins", F.a, "checkins"), 2);

	/* the pages too: the history shows the new week's score at once */
	struct browser ba = { 0 };
	b_login(&T, &ba, "ana");
	b_page_lacks(&T, &ba, "/checkins/history", "<td>9<span");
	b_page_lacks(&T, &ba, "/checkins/history", "<td>9<span");
	checkin(F.a, 3, 9);
	b_page_has(&T, &ba, "/checkins/history", 200, "<td>9<span", NULL);
}

static void partners_never_get_each_others(void **state)
{
	(void)state;
	checkin(F.a, 1, 6);
	for (int i = 0; i < 2; i++) {
		json_t *mine = first_checkin(F.a), *theirs = first_checkin(F.b);
		assert_string_equal(json_string_value(json_object_get(mine, "author")), "me");
		assert_int_equal(json_integer_value(json_object_get(mine, "connection")), 6);
		/* ben has not done that week: he sees that it exists, not what it says */
		assert_string_equal(json_string_value(json_object_get(theirs, "author")), "partner");
		assert_null(json_object_get(theirs, "connection"));
		json_decref(mine);
		json_decref(theirs);
	}
}

static void logging_out_drops_what_was_kept(void **state)
{
	(void)state;
	pagecache_forget();
	assert_int_equal(api_count(&T, "/api/v1/checkins", F.a, "checkins"), 0);
	assert_int_equal(api_count(&T, "/api/v1/checkins", F.b, "checkins"), 0);
	assert_int_equal(pagecache_count(), 2);
	assert_int_equal(api(&T, "DELETE", "/api/v1/sessions/current", F.a, NULL, NULL), 204);
	/* ana's answer is gone, ben's stays */
	assert_int_equal(pagecache_count(), 1);
	assert_int_equal(api(&T, "GET", "/api/v1/checkins", F.a, NULL, NULL), 401);

	/* ending one's other sessions drops what they kept too */
	char tok[128];
	api_login_as(&T, "ben", TEST_PASSWORD, tok, sizeof(tok));
	assert_int_equal(api_count(&T, "/api/v1/checkins", F.b, "checkins"), 0);
	assert_int_equal(api_count(&T, "/api/v1/checkins", tok, "checkins"), 0);
	assert_int_equal(pagecache_count(), 2);
	assert_int_equal(api(&T, "POST", "/api/v1/sessions/end-others", tok, NULL, NULL), 200);
	assert_int_equal(pagecache_count(), 1);
	assert_int_equal(api(&T, "GET", "/api/v1/checkins", F.b, NULL, NULL), 401);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_kept_answer_follows_each_new_record, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(partners_never_get_each_others, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(logging_out_drops_what_was_kept, couple_setup, couple_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
