/* test_safety.c: the private safety check. Above all: it leaves no trace
 * the partner can see. Every response the partner can fetch (the API and
 * the pages) is byte-identical before and after the other answers. Also:
 * the result and resources are shown only to the one who answered, the
 * answers are sealed, and the page works without JavaScript. */
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


/* Every GET the partner can make that could show anything of the couple. */
static const char *const PARTNER_API[] = {
	"/api/v1/me", "/api/v1/roadmap", "/api/v1/safety", "/api/v1/readiness", "/api/v1/agreements",
	"/api/v1/transparency", "/api/v1/whereabouts", "/api/v1/vision", "/api/v1/recovery-criteria",
	NULL,
};
static const char *const PARTNER_PAGES[] = {
	"/", "/roadmap", "/roadmap/steps/1", "/safety/check", "/readiness", "/agreements", "/transparency",
	"/vision", "/recovery", "/safety", NULL,
};

/* Concatenates status and body of every partner-visible response. */
static char *snapshot(const char *token, struct browser *b)
{
	struct buf all;
	buf_init(&all, 65536);
	for (size_t i = 0; PARTNER_API[i]; i++) {
		struct req r;
		char auth[128];
		snprintf(auth, sizeof(auth), "Bearer %s", token);
		const char *h[] = { "Authorization", auth, NULL };
		thttp_do(&T, &r, "GET", PARTNER_API[i], h, NULL, 0);
		buf_addf(&all, "== %s %d\n", PARTNER_API[i], r.status);
		buf_add(&all, r.out.s, r.out.len);
		req_release(&r);
	}
	for (size_t i = 0; PARTNER_PAGES[i]; i++) {
		struct req r;
		b_do(&T, b, &r, "GET", PARTNER_PAGES[i], NULL);
		buf_addf(&all, "== %s %d\n", PARTNER_PAGES[i], r.status);
		buf_add(&all, r.out.s, r.out.len);
		req_release(&r);
	}
	return buf_detach(&all, NULL);
}

static void answering_leaves_no_trace_the_partner_can_see(void **state)
{
	(void)state;
	struct browser b;
	b_login(&T, &b, "ben");
	char *before = snapshot(F.b, &b);
	assert_holds(before, "== /api/v1/me 200", "== / 200", NULL);

	json_t *j;
	assert_int_equal(api(&T, "PUT", "/api/v1/safety", F.a, &j, "{s:{s:b, s:b, s:b, s:b, s:b}}", "answers",
			     "physical", 0, "emotional", 1, "verbal", 1, "afraid", 1, "monitored", 1), 200);
	assert_string_equal(json_string_value(json_object_get(j, "result")), "concern");
	json_decref(j);
	struct browser a;
	b_login(&T, &a, "ana");
	free(b_get(&T, &a, "/", 200));
	free(b_get(&T, &a, "/safety/check", 200));

	char *after = snapshot(F.b, &b);
	if (strcmp(before, after)) {
		size_t k = 0;
		while (before[k] == after[k])
			k++;
		fail_msg("the partner's responses changed at byte %zu: ...%.80s", k, after + (k > 40 ? k - 40 : 0));
	}
	free(before);
	free(after);
}

static void the_result_and_resources_are_shown_only_to_the_one_who_answered(void **state)
{
	(void)state;
	json_t *j;
	assert_int_equal(api(&T, "GET", "/api/v1/safety", F.a, &j, NULL), 200);
	assert_false(json_is_true(json_object_get(j, "answered")));
	json_decref(j);

	assert_int_equal(api(&T, "PUT", "/api/v1/safety", F.a, &j, "{s:{s:b, s:b, s:b, s:b}}", "answers",
			     "physical", 1, "emotional", 0, "verbal", 0, "afraid", 0), 200);
	assert_string_equal(json_string_value(json_object_get(j, "result")), "concern");
	assert_non_null(strstr(json_string_value(json_object_get(j, "message")), "couples exercises"));
	char *dump = json_dumps(json_object_get(j, "resources"), 0);
	assert_non_null(strstr(dump, "1-800-799-7233"));
	free(dump);
	json_decref(j);

	assert_int_equal(api(&T, "GET", "/api/v1/safety", F.a, &j, NULL), 200);
	assert_true(json_is_true(json_object_get(json_object_get(j, "answers"), "physical")));
	assert_string_equal(json_string_value(json_object_get(j, "result")), "concern");
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/safety", F.b, &j, NULL), 200);
	assert_false(json_is_true(json_object_get(j, "answered")));
	assert_null(json_object_get(j, "answers"));
	json_decref(j);

	/* the home page of the one who answered points to help; the other's does not */
	struct browser a, b;
	b_login_couple(&T, &a, &b);
	char *home = b_get(&T, &a, "/", 200);
	assert_non_null(strstr(home, "Your safety comes first"));
	/* it opens the page: before the day's exercises, which are optional */
	assert_non_null(strstr(home, "id=\"due-h\""));
	assert_true(strstr(home, "Your safety comes first") < strstr(home, "id=\"due-h\""));
	assert_non_null(strstr(home, "id=\"optional-note\""));
	free(home);
	home = b_get(&T, &b, "/", 200);
	assert_holds_none(home, "Your safety comes first", "optional-note", NULL);
	free(home);

	/* no concern: no resources; a watched device alone: the device warning */
	assert_int_equal(api(&T, "PUT", "/api/v1/safety", F.a, &j, "{s:{s:b, s:b, s:b, s:b}}", "answers",
			     "physical", 0, "emotional", 0, "verbal", 0, "afraid", 0), 200);
	assert_string_equal(json_string_value(json_object_get(j, "result")), "no_concern");
	assert_int_equal(json_array_size(json_object_get(j, "resources")), 0);
	assert_false(json_is_true(json_object_get(j, "device_warning")));
	json_decref(j);
	assert_int_equal(api(&T, "PUT", "/api/v1/safety", F.a, &j, "{s:{s:b, s:b, s:b, s:b, s:b}}", "answers",
			     "physical", 0, "emotional", 0, "verbal", 0, "afraid", 0, "monitored", 1), 200);
	assert_string_equal(json_string_value(json_object_get(j, "result")), "no_concern");
	assert_true(json_is_true(json_object_get(j, "device_warning")));
	assert_true(json_array_size(json_object_get(j, "resources")) > 0);
	json_decref(j);

	/* forgetting removes the answers */
	assert_int_equal(api(&T, "DELETE", "/api/v1/safety", F.a, NULL, NULL), 204);
	assert_int_equal(api(&T, "GET", "/api/v1/safety", F.a, &j, NULL), 200);
	assert_false(json_is_true(json_object_get(j, "answered")));
	json_decref(j);
}

static void answers_are_sealed_and_all_the_same_size(void **state)
{
	(void)state;
	assert_int_equal(api(&T, "PUT", "/api/v1/safety", F.a, NULL, "{s:{s:b, s:b, s:b, s:b}}", "answers",
			     "physical", 1, "emotional", 1, "verbal", 1, "afraid", 1), 200);
	assert_int_equal(api(&T, "PUT", "/api/v1/safety", F.b, NULL, "{s:{s:b, s:b, s:b, s:b, s:b, s:b, s:b}}",
			     "answers", "physical", 0, "emotional", 0, "verbal", 0, "afraid", 0, "controlled", 0,
			     "threatened", 0, "monitored", 0), 200);
	sqlite3 *c = db_reader(&T.app.db);
	sqlite3_stmt *st = db_prepare(c, "SELECT count(*), count(DISTINCT length(sealed)),"
					 " sum(instr(sealed, CAST('physical' AS BLOB)))"
					 " + sum(instr(sealed, CAST('true' AS BLOB))) FROM safety_screen", "");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	long long users = 0;
	assert_int_equal(db_int(c, &users, "SELECT count(*) FROM user", ""), SQLITE_ROW);
	assert_true(users > 2);
	assert_int_equal(sqlite3_column_int(st, 0), users); /* everyone has a row, answered or not */
	assert_int_equal(sqlite3_column_int(st, 1), 1);
	assert_int_equal(sqlite3_column_int(st, 2), 0);
	sqlite3_finalize(st);
}

/* The size of user's safety row, -1 when there is none. */
static long long screen_size(long long user)
{
	long long n = -1;
	int rc = db_int(db_reader(&T.app.db), &n, "SELECT length(sealed) FROM safety_screen WHERE user_id = ?1", "i",
			user);
	return rc == SQLITE_ROW ? n : -1;
}

/* A copy of the database cannot tell who took the check: a row of one
 * size exists for everyone from sign-up, holds the answers once given, and
 * the same size again once they are forgotten; the check then reads as not
 * taken. */
static void the_row_says_nothing_of_whether_the_check_was_taken(void **state)
{
	(void)state;
	json_t *j;
	assert_int_equal(api(&T, "GET", "/api/v1/me", F.d, &j, NULL), 200);
	long long d = json_integer_value(json_object_get(json_object_get(j, "user"), "id"));
	json_decref(j);
	long long before = screen_size(d);
	assert_true(before > 0);
	assert_int_equal(api(&T, "GET", "/api/v1/safety", F.d, &j, NULL), 200);
	assert_false(json_is_true(json_object_get(j, "answered")));
	json_decref(j);
	assert_int_equal(api(&T, "PUT", "/api/v1/safety", F.d, NULL, "{s:{s:b, s:b, s:b, s:b}}", "answers",
			     "physical", 0, "emotional", 0, "verbal", 0, "afraid", 1), 200);
	assert_int_equal(screen_size(d), before);
	assert_int_equal(api(&T, "GET", "/api/v1/safety", F.d, &j, NULL), 200);
	assert_true(json_is_true(json_object_get(j, "answered")));
	json_decref(j);
	assert_int_equal(api(&T, "DELETE", "/api/v1/safety", F.d, NULL, NULL), 204);
	assert_int_equal(screen_size(d), before);
	assert_int_equal(api(&T, "GET", "/api/v1/safety", F.d, &j, NULL), 200);
	assert_false(json_is_true(json_object_get(j, "answered")));
	json_decref(j);
}

static void bad_answers_are_refused_by_field(void **state)
{
	(void)state;
	json_t *j;
	api_error(api(&T, "PUT", "/api/v1/safety", F.a, &j, "{s:{s:b, s:b, s:b}}", "answers",
		      "emotional", 0, "verbal", 0, "afraid", 0), j, 400, "missing_field", "physical");
	api_error(api(&T, "PUT", "/api/v1/safety", F.a, &j, "{s:{s:b, s:b, s:b, s:b, s:b}}", "answers",
		      "physical", 0, "emotional", 0, "verbal", 0, "afraid", 0, "sad", 1), j, 400,
		      "unknown_field", NULL);
	api_error(api(&T, "PUT", "/api/v1/safety", F.a, &j, "{s:{s:i, s:b, s:b, s:b}}", "answers",
		      "physical", 1, "emotional", 0, "verbal", 0, "afraid", 0), j, 400, "invalid_field",
		      "physical");
	api_error(api(&T, "PUT", "/api/v1/safety", F.a, &j, "{s:s}", "answers", "no"), j, 400, NULL, "answers");
	api_error(api(&T, "PUT", "/api/v1/safety", F.a, &j, "{s:{}, s:i}", "answers", "x", 1), j, 400, "unknown_field",
		  NULL);
	/* nothing was stored */
	assert_int_equal(api(&T, "GET", "/api/v1/safety", F.a, &j, NULL), 200);
	assert_false(json_is_true(json_object_get(j, "answered")));
	json_decref(j);
}

static void who_may_use_the_check(void **state)
{
	(void)state;
	const char *viewers[] = { NULL, F.a, F.b, F.d, F.op };
	int want_get[] = { 401, 200, 200, 200, 200 };
	int want_put[] = { 401, 200, 200, 200, 200 };
	int want_del[] = { 401, 204, 204, 204, 204 };
	for (int v = 0; v < 5; v++) {
		assert_int_equal(api(&T, "GET", "/api/v1/safety", viewers[v], NULL, NULL), want_get[v]);
		assert_int_equal(api(&T, "PUT", "/api/v1/safety", viewers[v], NULL, "{s:{s:b, s:b, s:b, s:b}}", "answers",
				     "physical", 0, "emotional", 0, "verbal", 0, "afraid", 1), want_put[v]);
		assert_int_equal(api(&T, "DELETE", "/api/v1/safety", viewers[v], NULL, NULL), want_del[v]);
	}
}

static void the_check_page_works_without_javascript(void **state)
{
	(void)state;
	struct browser a;
	char loc[256], *body;
	b_login(&T, &a, "ana");
	body = b_get(&T, &a, "/safety/check", 200);
	assert_holds(body, "<legend>Are you ever afraid of your partner", "name=\"afraid\" value=\"yes\"", NULL);
	assert_null(strstr(body, "id=\"safety-result\""));
	free(body);
	b_post_has(&T, &a, "/safety/check", "physical=no&emotional=no", 400, "Please answer each question",
		   "name=\"physical\" value=\"no\" checked", NULL);
	assert_int_equal(b_post(&T, &a, "/safety/check",
				"physical=no&emotional=no&verbal=yes&afraid=no&controlled=no&threatened=no&monitored=no",
				NULL, loc), 303);
	body = b_get(&T, &a, "/safety/check", 200);
	assert_holds(body, "id=\"safety-result\"", "href=\"tel:18007997233\"", NULL);
	/* what to do, and one button to erase: the answers are not on screen */
	assert_holds_none(body, "value=\"yes\" checked", "name=\"verbal\"", NULL);
	assert_non_null(strstr(body, "Erase my answers"));
	free(body);
	/* answering again starts from empty questions */
	b_page_has_lacks(&T, &a, "/safety/check?again=1", "name=\"verbal\" value=\"yes\"", " checked");
	assert_int_equal(b_post(&T, &a, "/safety/check/forget", "", NULL, loc), 303);
	b_page_lacks(&T, &a, "/safety/check", "id=\"safety-result\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(answering_leaves_no_trace_the_partner_can_see, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(the_result_and_resources_are_shown_only_to_the_one_who_answered, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(answers_are_sealed_and_all_the_same_size, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(the_row_says_nothing_of_whether_the_check_was_taken, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(bad_answers_are_refused_by_field, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(who_may_use_the_check, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(the_check_page_works_without_javascript, couple_setup, couple_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
