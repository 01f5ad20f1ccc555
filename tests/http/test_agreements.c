/* test_agreements.c: agreements are proposed by one partner and accepted
 * only by the other; the version in force stays until a newer one is
 * accepted; every version is kept with who and when; review dates reach
 * both homes; the pages work without JavaScript; who may reach what. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apiclient.h"
#include "base/caltime.h"
#include "browser.h"
#include "ui/words.h"


static long long create(const char *tok, const char *topic, const char *text)
{
	json_t *j;
	assert_int_equal(api(&T, "POST", "/api/v1/agreements", tok, &j, "{s:s, s:s}", "topic", topic, "text", text), 201);
	long long id = json_integer_value(json_object_get(json_object_get(j, "agreement"), "id"));
	json_decref(j);
	return id;
}

/* The agreement id as a freshly fetched object (decref it). */
static json_t *fetch(const char *tok, long long id)
{
	json_t *j;
	assert_int_equal(api(&T, "GET", "/api/v1/agreements", tok, &j, NULL), 200);
	json_t *arr = json_object_get(j, "agreements"), *found = NULL;
	for (size_t i = 0; i < json_array_size(arr); i++)
		if (json_integer_value(json_object_get(json_array_get(arr, i), "id")) == id)
			found = json_incref(json_array_get(arr, i));
	json_decref(j);
	assert_non_null(found);
	return found;
}

static const char *in_force_text(json_t *a)
{
	json_t *f = json_object_get(a, "in_force");
	return json_is_null(f) ? NULL : json_string_value(json_object_get(f, "text"));
}

static void only_the_other_partner_accepts(void **state)
{
	(void)state;
	json_t *j;
	assert_int_equal(api(&T, "POST", "/api/v1/agreements", F.a, &j, "{s:s, s:s}", "topic", "friendships",
			     "text", "No evenings alone with Sam."), 201);
	json_t *a = json_object_get(j, "agreement");
	long long id = json_integer_value(json_object_get(a, "id"));
	assert_true(json_is_null(json_object_get(a, "in_force")));
	json_t *v1 = json_array_get(json_object_get(a, "versions"), 0);
	assert_int_equal(json_integer_value(json_object_get(v1, "version")), 1);
	assert_string_equal(json_string_value(json_object_get(v1, "status")), "proposed");
	assert_string_equal(json_string_value(json_object_get(a, "title")), "Friendships");
	json_decref(j);

	char path[128];
	snprintf(path, sizeof(path), "/api/v1/agreements/%lld/versions/1/accept", id);
	api_error(api(&T, "POST", path, F.a, &j, NULL), j, 403, "not_allowed", NULL);
	assert_int_equal(api(&T, "POST", path, F.d, &j, NULL), 404);
	json_decref(j);
	assert_null(in_force_text(a = fetch(F.a, id)));
	json_decref(a);
	assert_int_equal(api(&T, "POST", path, F.b, &j, NULL), 200);
	a = json_object_get(j, "agreement");
	assert_string_equal(in_force_text(a), "No evenings alone with Sam.");
	v1 = json_array_get(json_object_get(a, "versions"), 0);
	assert_string_equal(json_string_value(json_object_get(v1, "status")), "in_force");
	assert_true(api_instant(v1, "accepted_at") >= api_instant(v1, "proposed_at"));
	json_decref(j);
	/* accepting twice: refused */
	api_error(api(&T, "POST", path, F.b, &j, NULL), j, 409, "not_latest", NULL);
}

static void the_version_in_force_stays_until_a_new_one_is_accepted(void **state)
{
	(void)state;
	json_t *j, *a;
	char path[128];
	long long id = create(F.a, "checkin_frequency", "Every Sunday evening.");
	snprintf(path, sizeof(path), "/api/v1/agreements/%lld/versions/1/accept", id);
	assert_int_equal(api(&T, "POST", path, F.b, NULL, NULL), 200);

	/* B proposes a change: version 1 stays in force */
	snprintf(path, sizeof(path), "/api/v1/agreements/%lld/versions", id);
	assert_int_equal(api(&T, "POST", path, F.b, &j, "{s:s}", "text", "Every other Sunday."), 201);
	json_decref(j);
	a = fetch(F.a, id);
	assert_string_equal(in_force_text(a), "Every Sunday evening.");
	json_decref(a);
	/* and a newer one replaces the open proposal; only the newest can be accepted */
	assert_int_equal(api(&T, "POST", path, F.a, &j, "{s:s}", "text", "Sundays, and Wednesdays when it is hard."), 201);
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/agreements/%lld/versions/2/accept", id);
	assert_int_equal(api(&T, "POST", path, F.a, &j, NULL), 409);
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/agreements/%lld/versions/3/accept", id);
	assert_int_equal(api(&T, "POST", path, F.a, &j, NULL), 403);
	json_decref(j);
	a = fetch(F.b, id);
	assert_string_equal(in_force_text(a), "Every Sunday evening.");
	json_decref(a);
	assert_int_equal(api(&T, "POST", path, F.b, NULL, NULL), 200);
	a = fetch(F.b, id);
	assert_string_equal(in_force_text(a), "Sundays, and Wednesdays when it is hard.");
	json_t *vs = json_object_get(a, "versions");
	assert_int_equal(json_array_size(vs), 3);
	const char *want[] = { "superseded", "replaced", "in_force" };
	json_t *who;
	for (int i = 0; i < 3; i++)
		assert_string_equal(json_string_value(json_object_get(json_array_get(vs, (size_t)i), "status")), want[i]);
	who = json_array_get(vs, 1);
	assert_string_equal(json_string_value(json_object_get(who, "text")), "Every other Sunday.");
	assert_true(json_is_null(json_object_get(who, "accepted_by")));
	/* who proposed and who accepted each kept version */
	long long b_id = json_integer_value(json_object_get(who, "proposed_by"));
	long long a_id = json_integer_value(json_object_get(json_array_get(vs, 2), "proposed_by"));
	assert_true(a_id != b_id);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(vs, 2), "accepted_by")), b_id);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(vs, 0), "accepted_by")), b_id);
	json_decref(a);
}

static void custom_titles_review_dates_and_bad_input(void **state)
{
	(void)state;
	json_t *j;
	char past[11], soon[11];
	couple_day(2, soon);
	couple_day(-3, past);
	assert_int_equal(api(&T, "POST", "/api/v1/agreements", F.a, &j, "{s:s, s:s, s:s}", "topic", "Money we spend",
			     "text", "We tell each other about anything over 100.", "review_on", soon), 201);
	json_t *a = json_object_get(j, "agreement");
	assert_string_equal(json_string_value(json_object_get(a, "topic")), "custom");
	assert_string_equal(json_string_value(json_object_get(a, "title")), "Money we spend");
	assert_string_equal(json_string_value(json_object_get(a, "review_on")), soon);
	json_decref(j);
	/* the review date brings it to both homes */
	struct browser ba, bb;
	b_login(&T, &ba, "ana");
	b_login(&T, &bb, "ben");
	char *home = b_get(&T, &ba, "/", 200);
	assert_non_null(strstr(home, "One agreement is due for a review together"));
	free(home);
	b_page_has(&T, &bb, "/", 200, "One agreement is due for a review together",
		   "ana proposed a text for an agreement: <strong>Money we spend</strong>", NULL);
	b_page_lacks(&T, &ba, "/", "proposed a text for an agreement");

	api_error(api(&T, "POST", "/api/v1/agreements", F.a, &j, "{s:s, s:s, s:s}", "topic", "boundaries",
		      "text", "x", "review_on", past), j, 400, NULL, "review_on");
	api_error(api(&T, "POST", "/api/v1/agreements", F.a, &j, "{s:s, s:s, s:s}", "topic", "boundaries",
		      "text", "x", "review_on", "2026-02-30"), j, 400, NULL, "review_on");
	api_error(api(&T, "POST", "/api/v1/agreements", F.a, &j, "{s:s}", "topic", "boundaries"), j, 400, NULL, "text");
	api_error(api(&T, "POST", "/api/v1/agreements", F.a, &j, "{s:s, s:s, s:b}", "topic", "boundaries",
		      "text", "x", "urgent", 1), j, 400, "unknown_field", NULL);
	char *big = text_of_length('x', 4001);
	api_error(api(&T, "POST", "/api/v1/agreements", F.a, &j, "{s:s, s:s}", "topic", "boundaries", "text", big), j,
		  400, "too_long", NULL);
	free(big);
	/* texts are sealed */
	assert_int_equal(store_count("SELECT count(*) FROM agreement_version WHERE instr(text, CAST('100' AS BLOB)) > 0"),
			 0);
}

static void who_may_reach_agreements(void **state)
{
	(void)state;
	long long id = create(F.a, "dealbreakers", "Any contact with the other person.");
	char versions[96], accept[128];
	snprintf(versions, sizeof(versions), "/api/v1/agreements/%lld/versions", id);
	snprintf(accept, sizeof(accept), "/api/v1/agreements/%lld/versions/2/accept", id);
	const char *viewers[] = { NULL, F.a, F.b, F.d, F.op };
	const char *names[] = { "anonymous", "A", "B", "D", "operator" };
	int want_list[] = { 401, 200, 200, 200, 409 };
	int want_version[] = { 401, 201, 201, 404, 409 };
	int want_accept_by_b[] = { 401, 403, 409, 404, 409 }; /* B proposed v2... see below */
	for (int v = 0; v < 5; v++) {
		int st = api(&T, "GET", "/api/v1/agreements", viewers[v], NULL, NULL);
		if (st != want_list[v])
			fail_msg("GET agreements as %s: %d", names[v], st);
	}
	/* D's list never shows A and B's agreement */
	assert_int_equal(api_count(&T, "/api/v1/agreements", F.d, "agreements"), 0);
	for (int v = 0; v < 5; v++) {
		if (v == 1)
			continue;
		int st = api(&T, "POST", versions, viewers[v], NULL, "{s:s}", "text", "v");
		if (st != want_version[v])
			fail_msg("propose as %s: %d", names[v], st);
	}
	/* version 2 is B's: A may accept, B may not, D and the operator cannot see it */
	(void)want_accept_by_b;
	int want_accept[] = { 401, 200, 403, 404, 409 };
	for (int v = 4; v >= 0; v--) {
		if (v == 1)
			continue;
		int st = api(&T, "POST", accept, viewers[v], NULL, NULL);
		if (st != want_accept[v])
			fail_msg("accept as %s: %d", names[v], st);
	}
	assert_int_equal(api(&T, "POST", accept, F.a, NULL, NULL), want_accept[1]);
	assert_int_equal(api(&T, "POST", "/api/v1/agreements/999/versions/1/accept", F.a, NULL, NULL), 404);
	assert_int_equal(api(&T, "POST", "/api/v1/agreements/abc/versions", F.a, NULL, "{s:s}", "text", "v"), 404);
}

static void propose_and_accept_through_the_pages(void **state)
{
	(void)state;
	struct browser a, b;
	char loc[256], *body;
	b_login(&T, &a, "ana");
	b_login(&T, &b, "ben");
	b_page_has(&T, &a, "/agreements", 200, "it is in force once the other accepts it", NULL);
	b_post_has(&T, &a, "/agreements", "topic=&text=kept+words", 400, "Please choose a topic",
		   ">kept words</textarea>", NULL);
	assert_int_equal(b_post(&T, &a, "/agreements", "topic=attraction&text=We+say+so+when+it+happens.", NULL, loc), 303);
	b_page_has_lacks(&T, &a, "/agreements", "Waiting for your partner.", "Accept this version");
	body = b_get(&T, &b, "/agreements", 200);
	assert_non_null(strstr(body, "Your partner proposed (version 1)"));
	char action[96];
	b_form_action(body, "/agreements/", action, sizeof(action));
	free(body);
	assert_non_null(strstr(action, "/versions/1/accept"));
	b_post_has(&T, &a, action, "", 403, NULL);
	assert_int_equal(b_post(&T, &b, action, "", NULL, loc), 303);
	b_page_has(&T, &a, "/agreements", 200,
		   "In force (version 1)</p><blockquote>We say so when it happens.</blockquote>", NULL);
}

/* ---- declining, and the history ---- */

static const char *vstr(json_t *a, size_t i, const char *key)
{
	return json_string_value(json_object_get(json_array_get(json_object_get(a, "versions"), i), key));
}

static void a_proposal_can_be_declined_with_a_word(void **state)
{
	(void)state;
	json_t *j, *a;
	char path[128];
	long long id = create(F.a, "social_media", "We unfollow the people from back then.");
	snprintf(path, sizeof(path), "/api/v1/agreements/%lld/versions/1/decline", id);
	assert_int_equal(api(&T, "POST", path, F.b, &j, "{s:s}", "word", "Can we talk about it first?"), 200);
	a = json_object_get(j, "agreement");
	assert_string_equal(vstr(a, 0, "status"), "declined");
	assert_string_equal(vstr(a, 0, "word"), "Can we talk about it first?");
	assert_true(json_is_null(json_object_get(a, "in_force")));
	json_decref(j);
	/* the proposer sees it, calmly worded, with the word */
	struct browser ba, bb;
	b_login(&T, &ba, "ana");
	b_login(&T, &bb, "ben");
	b_page_has(&T, &ba, "/agreements", 200, "ben has not taken on your last proposal for now. That is all right",
		   "In their words: Can we talk about it first?", NULL);
	b_page_has(&T, &bb, "/agreements", 200, "You said not yet to the last proposal.", NULL);
	b_page_lacks(&T, &ba, "/", "for you to read");
	/* the word is sealed */
	sqlite3 *c = db_reader(&T.app.db);
	sqlite3_stmt *st = db_prepare(c, "SELECT count(*) FROM agreement_version WHERE instr(decline_word, CAST('talk' AS BLOB)) > 0", "");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	sqlite3_finalize(st);
	/* answered: neither accepted nor declined again */
	assert_int_equal(api(&T, "POST", path, F.b, &j, NULL), 409);
	assert_string_equal(err_code(j), "not_latest");
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/agreements/%lld/versions/1/accept", id);
	assert_int_equal(api(&T, "POST", path, F.b, &j, NULL), 409);
	json_decref(j);

	/* a new text, accepted: every earlier version is shown with who and when */
	snprintf(path, sizeof(path), "/api/v1/agreements/%lld/versions", id);
	assert_int_equal(api(&T, "POST", path, F.a, &j, "{s:s}", "text", "We unfollow them, and talk when one of us sees something."), 201);
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/agreements/%lld/versions/2/accept", id);
	assert_int_equal(api(&T, "POST", path, F.b, &j, NULL), 200);
	a = json_object_get(j, "agreement");
	assert_string_equal(vstr(a, 0, "status"), "declined");
	assert_string_equal(vstr(a, 1, "status"), "in_force");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(a, "versions"), 1), "accepted_by")),
			 api_user_id(&T, F.b));
	json_decref(j);
	char *body = b_get(&T, &ba, "/agreements", 200);
	const char *hist = strstr(body, "Earlier versions");
	assert_non_null(hist);
	/* the day each answer was given, read from the version's instant */
	struct arena ar = ARENA_INIT;
	const char *today = words_day(&ar, couple_today());
	assert_non_null(strstr(hist, arena_printf(&ar, "Version 1, proposed by you on %s", today)));
	assert_non_null(strstr(hist, arena_printf(&ar, "; ben said not yet on %s", today)));
	arena_release(&ar);
	assert_non_null(strstr(hist, "We unfollow the people from back then."));
	assert_non_null(strstr(hist, "In their words: Can we talk about it first?"));
	assert_null(strstr(body, "has not taken on your last proposal"));
	free(body);
	body = b_get(&T, &bb, "/agreements", 200);
	assert_non_null(strstr(body, "Version 1, proposed by ana on "));
	assert_non_null(strstr(body, "; you said not yet on "));
	assert_non_null(strstr(body, "In your words: Can we talk about it first?"));
	free(body);
}

static void only_the_other_partner_declines(void **state)
{
	(void)state;
	long long id = create(F.b, "dealbreakers", "No more secrets, of any size.");
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/agreements/%lld/versions/1/decline", id);
	const char *viewers[] = { NULL, F.b, F.d, F.op, F.a };
	const char *names[] = { "anonymous", "B (proposed it)", "D", "operator", "A" };
	const int want[] = { 401, 403, 404, 409, 200 };
	for (int v = 0; v < 5; v++) {
		int st = api_raw(&T, "POST", path, viewers[v], NULL, NULL);
		if (st != want[v])
			fail_msg("decline as %s: %d, want %d", names[v], st, want[v]);
	}
	/* checked input: a word too long, an unknown field, no such version */
	long long id2 = create(F.b, "attraction", "We tell each other.");
	json_t *j;
	char *big = malloc(1002);
	memset(big, 'a', 1001);
	big[1001] = '\0';
	snprintf(path, sizeof(path), "/api/v1/agreements/%lld/versions/1/decline", id2);
	assert_int_equal(api(&T, "POST", path, F.a, &j, "{s:s}", "word", big), 400);
	assert_string_equal(err_code(j), "too_long");
	json_decref(j);
	free(big);
	assert_int_equal(api(&T, "POST", path, F.a, &j, "{s:s}", "reason", "x"), 400);
	assert_string_equal(err_code(j), "unknown_field");
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/agreements/%lld/versions/7/decline", id2);
	assert_int_equal(api(&T, "POST", path, F.a, &j, NULL), 404);
	json_decref(j);
}

static void decline_through_the_pages(void **state)
{
	(void)state;
	struct browser a, b;
	char loc[256], *body;
	b_login(&T, &a, "ana");
	b_login(&T, &b, "ben");
	long long id = create(F.a, "boundaries", "We say where we are.");
	char action[128];
	snprintf(action, sizeof(action), "/agreements/%lld/versions/1/decline", id);
	body = b_get(&T, &b, "/agreements", 200);
	assert_non_null(strstr(body, "Waiting for you."));
	assert_non_null(strstr(body, action));
	free(body);
	assert_int_equal(b_post(&T, &a, action, "word=mine", &body, NULL), 403);
	free(body);
	assert_int_equal(b_post(&T, &b, action, "word=Not+yet%2C+let+us+talk+on+Sunday.", NULL, loc), 303);
	b_page_has(&T, &a, "/agreements", 200, "In their words: Not yet, let us talk on Sunday.", NULL);
	assert_int_equal(b_post(&T, &b, action, "", &body, NULL), 409);
	assert_non_null(strstr(body, "already been answered"));
	free(body);
	/* another couple: 404 */
	struct browser d;
	b_login(&T, &d, "dan");
	assert_int_equal(b_post(&T, &d, action, "", &body, NULL), 404);
	free(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(only_the_other_partner_accepts, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(the_version_in_force_stays_until_a_new_one_is_accepted, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(custom_titles_review_dates_and_bad_input, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(who_may_reach_agreements, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(propose_and_accept_through_the_pages, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(a_proposal_can_be_declined_with_a_word, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(only_the_other_partner_declines, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(decline_through_the_pages, couple_setup, couple_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
