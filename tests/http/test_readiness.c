/* test_readiness.c: the "can this survive?" check and the prerequisites for
 * one's role: private unless shared, the questions of one's own role only,
 * unmet prerequisites explained, the page without JavaScript. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiclient.h"
#include "browser.h"

/* Whether tok's GET /api/v1/readiness shows no partner's answers; fails the
 * test unless it answers 200. */
static bool partner_hidden_from(const char *tok)
{
	return api_null_at(&T, "/api/v1/readiness", tok, "partner");
}

static void answers_are_private_until_shared(void **state)
{
	(void)state;
	assert_true(api_null_at(&T, "/api/v1/readiness", F.a, "mine"));
	json_t *j;
	assert_int_equal(api(&T, "PUT", "/api/v1/readiness", F.a, &j, "{s:{s:s, s:s}, s:{s:s, s:s}}",
			     "survive", "love", "yes", "sorry", "unsure",
			     "prerequisites", "want", "yes", "forgiveness", "not_yet"), 200);
	json_t *unmet = json_object_get(json_object_get(j, "mine"), "unmet");
	assert_int_equal(json_array_size(unmet), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(unmet, 0), "key")), "forgiveness");
	assert_non_null(json_string_value(json_object_get(json_array_get(unmet, 0), "meaning")));
	json_decref(j);
	assert_true(partner_hidden_from(F.b));

	/* shared: the partner sees the answers */
	assert_int_equal(api(&T, "PUT", "/api/v1/readiness", F.a, NULL, "{s:b}", "shared", 1), 200);
	assert_int_equal(api(&T, "GET", "/api/v1/readiness", F.b, &j, NULL), 200);
	json_t *p = json_object_get(j, "partner");
	assert_string_equal(json_string_value(json_object_get(json_object_get(p, "survive"), "sorry")), "unsure");
	assert_string_equal(json_string_value(json_object_get(json_object_get(p, "prerequisites"), "want")), "yes");
	json_decref(j);
	/* the other couple never does */
	assert_true(partner_hidden_from(F.d));
	/* no longer shared: gone from the partner's view, kept for the author */
	assert_int_equal(api(&T, "PUT", "/api/v1/readiness", F.a, NULL, "{s:b}", "shared", 0), 200);
	assert_true(partner_hidden_from(F.b));
	assert_int_equal(api(&T, "GET", "/api/v1/readiness", F.a, &j, NULL), 200);
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(j, "mine"), "survive"),
							       "love")), "yes");
	json_decref(j);
}

static void only_the_questions_of_ones_role(void **state)
{
	(void)state;
	json_t *j;
	/* ana is the hurt partner: the accountable partner's list is not hers */
	api_error(api(&T, "PUT", "/api/v1/readiness", F.a, &j, "{s:{s:s}}", "prerequisites", "remorse", "yes"), j, 400,
		  "unknown_field", "remorse");
	assert_int_equal(api(&T, "PUT", "/api/v1/readiness", F.b, NULL, "{s:{s:s}}", "prerequisites", "remorse", "yes"), 200);
	assert_int_equal(api(&T, "PUT", "/api/v1/readiness", F.b, &j, "{s:{s:s}}", "survive", "sorry", "yes"), 400);
	json_decref(j);
	/* dan holds both roles: both lists */
	assert_int_equal(api(&T, "PUT", "/api/v1/readiness", F.d, NULL, "{s:{s:s, s:s}}", "prerequisites", "remorse",
			     "yes", "want", "not_yet"), 200);
	api_error(api(&T, "PUT", "/api/v1/readiness", F.a, &j, "{s:{s:s}}", "survive", "love", "maybe"), j, 400,
		  "invalid_field", "love");
	api_error(api(&T, "PUT", "/api/v1/readiness", F.a, &j, "{s:i}", "mood", 1), j, 400, "unknown_field", NULL);
	api_error(api(&T, "PUT", "/api/v1/readiness", F.a, &j, "{s:s}", "survive", "yes"), j, 400, NULL, "survive");
	const char *viewers[] = { NULL, F.a, F.b, F.d, F.op };
	int want[] = { 401, 200, 200, 200, 409 };
	for (int v = 0; v < 5; v++)
		assert_int_equal(api(&T, "GET", "/api/v1/readiness", viewers[v], NULL, NULL), want[v]);
}

/* The size of the sealed answers says nothing: one answer and every
 * answer, shared or not, are stored at one size, and still read back. */
static void answers_are_stored_at_one_size(void **state)
{
	(void)state;
	json_t *j;
	assert_int_equal(api(&T, "PUT", "/api/v1/readiness", F.a, NULL, "{s:{s:s}}", "survive", "love", "yes"), 200);
	assert_int_equal(api(&T, "PUT", "/api/v1/readiness", F.b, NULL,
			     "{s:{s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s, s:s}, s:b}", "survive", "love", "not_yet",
			     "want_rebuild", "unsure", "partner_rebuild", "not_yet", "prerequisites", "responsibility",
			     "not_yet", "remorse", "unsure", "transparency", "not_yet", "change", "unsure", "timeline",
			     "not_yet", "shared", 1), 200);
	long long sizes = 0, n = 0;
	sqlite3 *c = db_reader(&T.app.db);
	assert_int_equal(db_int(c, &n, "SELECT count(*) FROM readiness", ""), SQLITE_ROW);
	assert_int_equal(n, 2);
	assert_int_equal(db_int(c, &sizes, "SELECT count(DISTINCT length(answers)) FROM readiness", ""), SQLITE_ROW);
	assert_int_equal(sizes, 1);
	assert_int_equal(db_int(c, &sizes, "SELECT (SELECT length(answers) FROM readiness LIMIT 1) ="
				  " (SELECT length(shared) FROM readiness WHERE shared IS NOT NULL)", ""), SQLITE_ROW);
	assert_int_equal(sizes, 1);
	assert_int_equal(api(&T, "GET", "/api/v1/readiness", F.a, &j, NULL), 200);
	json_t *p = json_object_get(j, "partner");
	assert_string_equal(json_string_value(json_object_get(json_object_get(p, "prerequisites"), "remorse")), "unsure");
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(j, "mine"), "survive"),
							      "love")), "yes");
	json_decref(j);
}

static void the_page_works_without_javascript(void **state)
{
	(void)state;
	struct browser a, b;
	char loc[256];
	b_login_couple(&T, &a, &b);
	b_page_has_lacks(&T, &a, "/readiness", "<legend>Do I still love my partner?</legend>",
			 "not only that I was found out");
	b_post_has(&T, &a, "/readiness", "s_love=perhaps", 400, "Please choose again", NULL);
	assert_int_equal(b_post(&T, &a, "/readiness", "s_love=yes&p_needs=not_yet&shared=1", NULL, loc), 303);
	b_page_has(&T, &a, "/readiness?saved=1", 200, "name=\"s_love\" value=\"yes\" checked",
		   "a sign you need more support", NULL);
	b_page_has(&T, &b, "/readiness", 200, "What your partner shared", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(answers_are_private_until_shared, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(only_the_questions_of_ones_role, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(answers_are_stored_at_one_size, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(the_page_works_without_javascript, couple_setup, couple_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
