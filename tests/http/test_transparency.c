/* test_transparency.c: the transparency plan. It starts only with its
 * creator's password; it ends at most 90 days away; it shares only what its
 * creator reports (the partner cannot report into it, and nothing of the
 * partner's is shared by it); either partner can stop it; every time the
 * partner reads the reports is logged and shown to the creator; the pages
 * work without JavaScript; who may reach what. */
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
#include "base/arena.h"
#include "base/caltime.h"
#include "browser.h"
#include "ui/words.h"


/* Today + n in the couple's zone, as YYYY-MM-DD (one of four buffers). */
static const char *day(long n)
{
	static char bufs[4][11];
	static int k;
	char *out = bufs[k++ % 4];
	couple_day(n, out);
	return out;
}

static const char *instant(long long from_now)
{
	static char bufs[4][21];
	static int k;
	char *out = bufs[k++ % 4];
	instant_format(time(NULL) + from_now, out);
	return out;
}

/* A plan offered by tok sharing plans and whereabouts for 30 days; returns
 * its id. */
static long long offer_plan(const char *tok)
{
	json_t *j;
	assert_int_equal(api(&T, "POST", "/api/v1/transparency", tok, &j, "{s:s, s:[s, s], s:s}", "password",
			     TEST_PASSWORD, "shares", "plans", "whereabouts", "ends_on", day(30)), 201);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "plan"), "status")), "proposed");
	long long id = json_integer_value(json_object_get(json_object_get(j, "plan"), "id"));
	json_decref(j);
	assert_true(id > 0);
	return id;
}

/* partner agrees to plan id; asserts it is on. */
static void agree(const char *partner, long long id)
{
	json_t *j;
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/transparency/%lld/agree", id);
	assert_int_equal(api(&T, "POST", path, partner, &j, NULL), 200);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "plan"), "status")), "active");
	json_decref(j);
}

/* A plan by tok (F.a or F.b) that the other partner agreed to; returns its id. */
static long long make_plan(const char *tok)
{
	long long id = offer_plan(tok);
	agree(tok == F.a ? F.b : F.a, id);
	return id;
}

static int report(const char *tok, const char *where, json_t **out)
{
	return api(&T, "POST", "/api/v1/whereabouts", tok, out, "{s:s, s:s, s:s, s:s}", "where", where, "with",
		   "Jo and Kim", "from", instant(3600), "until", instant(3 * 3600));
}

static void a_plan_starts_only_with_the_password(void **state)
{
	(void)state;
	json_t *j;
	api_error(api(&T, "POST", "/api/v1/transparency", F.b, &j, "{s:s, s:[s], s:s}", "password",
		      "not my password at all", "shares", "plans", "ends_on", day(30)), j, 403, "reauth_failed",
		      "password");
	api_error(api(&T, "POST", "/api/v1/transparency", F.b, &j, "{s:[s], s:s}", "shares", "plans", "ends_on",
		      day(30)), j, 400, NULL, "password");
	assert_int_equal(api_count(&T, "/api/v1/transparency", F.b, "plans"), 0);

	assert_int_equal(api(&T, "POST", "/api/v1/transparency", F.b, &j,
			     "{s:s, s:[s, s, s], s:s, s:s, s:[{s:s, s:s}, {s:s, s:s}], s:s}", "password", TEST_PASSWORD,
			     "shares", "plans", "whereabouts", "message_history", "ends_on", day(60), "review_on", day(28),
			     "taper", "until", day(14), "reports", "daily", "until", day(42), "reports", "weekly",
			     "commitments", "My phone stays on the kitchen table in the evenings."), 201);
	json_t *p = json_object_get(j, "plan");
	assert_string_equal(json_string_value(json_object_get(p, "status")), "proposed");
	assert_string_equal(json_string_value(json_object_get(p, "reports_now")), "daily");
	agree(F.a, json_integer_value(json_object_get(p, "id")));
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/transparency", F.b, &j, NULL), 200);
	p = json_array_get(json_object_get(j, "plans"), 0);
	assert_string_equal(json_string_value(json_object_get(p, "status")), "active");
	assert_true(json_is_true(json_object_get(p, "mine")));
	assert_string_equal(json_string_value(json_object_get(p, "ends_on")), day(60));
	assert_string_equal(json_string_value(json_object_get(p, "review_on")), day(28));
	assert_string_equal(json_string_value(json_object_get(p, "reports_now")), "daily");
	assert_int_equal(json_array_size(json_object_get(p, "shares")), 3);
	assert_string_equal(json_string_value(json_object_get(p, "commitments")),
			    "My phone stays on the kitchen table in the evenings.");
	json_decref(j);
	/* the partner sees the plan and its words, but not as theirs */
	assert_int_equal(api(&T, "GET", "/api/v1/transparency", F.a, &j, NULL), 200);
	p = json_array_get(json_object_get(j, "plans"), 0);
	assert_false(json_is_true(json_object_get(p, "mine")));
	assert_string_equal(json_string_value(json_object_get(p, "commitments")),
			    "My phone stays on the kitchen table in the evenings.");
	json_decref(j);
	/* the words are sealed */
	assert_int_equal(store_count("SELECT count(*) FROM transparency_plan WHERE instr(note, CAST('kitchen' AS BLOB)) > 0"),
			 0);
}

static void the_end_is_at_most_ninety_days_away(void **state)
{
	(void)state;
	json_t *j;
	static const struct { long ends; int want; } cases[] = { { 91, 400 }, { 0, 400 }, { -3, 400 }, { 365, 400 }, { 90, 201 } };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int st = api(&T, "POST", "/api/v1/transparency", F.b, &j, "{s:s, s:[s], s:s}", "password", TEST_PASSWORD,
			     "shares", "whereabouts", "ends_on", day(cases[i].ends));
		if (st != cases[i].want)
			fail_msg("ends_on today%+ld: %d", cases[i].ends, st);
		if (st == 400)
			assert_string_equal(err_field(j), "ends_on");
		json_decref(j);
	}
	/* other bad input: each named */
	struct { const char *field; int st; } bad[7];
	bad[0].st = api(&T, "POST", "/api/v1/transparency", F.b, &j, "{s:s, s:[s], s:s, s:s}", "password", TEST_PASSWORD,
			"shares", "plans", "ends_on", day(20), "review_on", day(21));
	bad[0].field = "review_on";
	json_decref(j);
	bad[1].st = api(&T, "POST", "/api/v1/transparency", F.b, &j, "{s:s, s:[s], s:s}", "password", TEST_PASSWORD,
			"shares", "location", "ends_on", day(20));
	bad[1].field = err_field(j) && !strcmp(err_field(j), "shares.0") ? "shares.0" : "?";
	json_decref(j);
	bad[2].st = api(&T, "POST", "/api/v1/transparency", F.b, &j, "{s:s, s:[s], s:s, s:[{s:s, s:s}]}", "password",
			TEST_PASSWORD, "shares", "plans", "ends_on", day(20), "taper", "until", day(25), "reports", "daily");
	bad[2].field = err_field(j) && !strcmp(err_field(j), "taper.0.until") ? "taper.0.until" : "?";
	json_decref(j);
	bad[3].st = api(&T, "POST", "/api/v1/transparency", F.b, &j, "{s:s, s:[s], s:s, s:s}", "password", TEST_PASSWORD,
			"shares", "plans", "ends_on", "2026-02-30", "subject", "ana");
	bad[3].field = err_code(j) && !strcmp(err_code(j), "unknown_field") ? "unknown" : "?";
	json_decref(j);
	bad[4].st = api(&T, "POST", "/api/v1/transparency", F.b, &j, "{s:s, s:[], s:s}", "password", TEST_PASSWORD,
			"shares", "ends_on", day(20));
	bad[4].field = err_field(j) && !strcmp(err_field(j), "shares") ? "shares" : "?";
	json_decref(j);
	bad[5].st = api(&T, "POST", "/api/v1/transparency", F.b, &j, "{s:s, s:[s, s], s:s}", "password", TEST_PASSWORD,
			"shares", "plans", "plans", "ends_on", day(20));
	bad[5].field = err_field(j) && !strcmp(err_field(j), "shares.1") ? "shares.1" : "?";
	json_decref(j);
	/* a taper step is named by its place in the list, and the key at fault */
	bad[6].st = api(&T, "POST", "/api/v1/transparency", F.b, &j, "{s:s, s:[s], s:s, s:[{s:s, s:s}, {s:s, s:s}]}",
			"password", TEST_PASSWORD, "shares", "plans", "ends_on", day(20), "taper", "until", day(5),
			"reports", "daily", "until", day(10), "reports", "hourly");
	bad[6].field = err_field(j) && !strcmp(err_field(j), "taper.1.reports") ? "taper.1.reports" : "?";
	json_decref(j);
	const char *want[] = { "review_on", "shares.0", "taper.0.until", "unknown", "shares", "shares.1", "taper.1.reports" };
	for (int i = 0; i < 7; i++) {
		if (bad[i].st != 400)
			fail_msg("bad input %d: %d", i, bad[i].st);
		assert_string_equal(bad[i].field, want[i]);
	}
}

static void a_plan_shares_only_its_creators_reports(void **state)
{
	(void)state;
	json_t *j;
	/* nobody reports without a plan of their own */
	assert_int_equal(report(F.b, "The gym", &j), 409);
	assert_string_equal(err_code(j), "no_active_plan");
	json_decref(j);
	make_plan(F.b);
	/* B's plan does not let A report into it, nor share anything of A's */
	assert_int_equal(report(F.a, "Mum's house", &j), 409);
	assert_string_equal(err_code(j), "no_active_plan");
	json_decref(j);
	assert_int_equal(report(F.b, "Dinner at the Italian place", &j), 201);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "report"), "where")), "Dinner at the Italian place");
	json_decref(j);

	assert_int_equal(api(&T, "GET", "/api/v1/whereabouts", F.a, &j, NULL), 200);
	json_t *theirs = json_object_get(j, "partner");
	assert_int_equal(json_array_size(theirs), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(theirs, 0), "where")), "Dinner at the Italian place");
	assert_string_equal(json_string_value(json_object_get(json_array_get(theirs, 0), "with")), "Jo and Kim");
	assert_int_equal(json_array_size(json_object_get(j, "mine")), 0);
	assert_true(json_is_true(json_object_get(j, "logged")));
	json_decref(j);
	/* the creator reads their own: not a view, and nothing of A's comes back */
	assert_int_equal(api(&T, "GET", "/api/v1/whereabouts", F.b, &j, NULL), 200);
	assert_int_equal(json_array_size(json_object_get(j, "partner")), 0);
	assert_int_equal(json_array_size(json_object_get(j, "mine")), 1);
	assert_false(json_is_true(json_object_get(j, "logged")));
	json_decref(j);
	/* another couple sees nothing */
	assert_int_equal(api(&T, "GET", "/api/v1/whereabouts", F.d, &j, NULL), 200);
	assert_int_equal(json_array_size(json_object_get(j, "partner")), 0);
	assert_int_equal(json_array_size(json_object_get(j, "mine")), 0);
	json_decref(j);
	/* places are sealed */
	assert_int_equal(store_count("SELECT count(*) FROM transparency_report WHERE instr(place, CAST('Italian' AS BLOB)) > 0"
					 " OR instr(company, CAST('Kim' AS BLOB)) > 0"), 0);
	/* bad reports */
	api_error(api(&T, "POST", "/api/v1/whereabouts", F.b, &j, "{s:s, s:s, s:s}", "where", "x", "from",
		      instant(7200), "until", instant(3600)), j, 400, NULL, "until");
	api_error(api(&T, "POST", "/api/v1/whereabouts", F.b, &j, "{s:s, s:s, s:s, s:f}", "where", "x", "from",
		      instant(0), "until", instant(60), "lat", 51.5), j, 400, "unknown_field", NULL);
	api_error(api(&T, "POST", "/api/v1/whereabouts", F.b, &j, "{s:s, s:s, s:s}", "where", "x", "from",
		      "tomorrow", "until", instant(60)), j, 400, NULL, "from");
}

static void every_look_is_logged_and_shown_to_the_creator(void **state)
{
	(void)state;
	json_t *j;
	long long id = make_plan(F.b), a_id = api_user_id(&T, F.a);
	char views[96];
	snprintf(views, sizeof(views), "/api/v1/transparency/%lld/views", id);
	assert_int_equal(api(&T, "GET", views, F.b, &j, NULL), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "count")), 0);
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/whereabouts", F.a, NULL, NULL), 200);
	assert_int_equal(api(&T, "GET", "/api/v1/whereabouts", F.a, NULL, NULL), 200);
	struct browser a, b;
	b_login(&T, &a, "ana");
	b_login(&T, &b, "ben");
	char *body = b_get(&T, &a, "/transparency", 200);
	assert_non_null(strstr(body, "As you both agreed, your partner can see when you read this page."));
	free(body);
	/* B's own reads are not views */
	assert_int_equal(api(&T, "GET", "/api/v1/whereabouts", F.b, NULL, NULL), 200);
	free(b_get(&T, &b, "/transparency", 200));

	assert_int_equal(api(&T, "GET", views, F.b, &j, NULL), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "count")), 3);
	json_t *v0 = json_array_get(json_object_get(j, "views"), 0);
	assert_int_equal(json_integer_value(json_object_get(v0, "viewer_id")), a_id);
	assert_true(llabs(api_instant(v0, "at") - (long long)time(NULL)) < 60);
	json_decref(j);
	/* the indicator and the log, on the creator's home and plan page */
	b_page_has(&T, &b, "/", 200, "Your transparency plan is on",
		   "As you agreed, your partner has read your updates 3 times.", NULL);
	b_page_has(&T, &b, "/transparency", 200, "Your plan is on",
		   "Your partner has read your updates 3 times, as you both agreed.",
		   "When your partner read your updates", NULL);
	/* the partner's home names the plan but reading it is the plan page */
	b_page_has_lacks(&T, &a, "/", "Your partner shares their plans with you until", "Your transparency plan is on");
	assert_int_equal(api(&T, "GET", views, F.b, &j, NULL), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "count")), 3);
	json_decref(j);
}

static void either_partner_stops_it_at_once(void **state)
{
	(void)state;
	json_t *j;
	char path[96];
	long long id = make_plan(F.b), a_id = api_user_id(&T, F.a);
	assert_int_equal(report(F.b, "Football", NULL), 201);
	snprintf(path, sizeof(path), "/api/v1/transparency/%lld/stop", id);
	assert_int_equal(api(&T, "POST", path, F.d, &j, NULL), 404);
	json_decref(j);
	/* the partner stops it */
	assert_int_equal(api(&T, "POST", path, F.a, &j, NULL), 200);
	json_t *p = json_object_get(j, "plan");
	assert_string_equal(json_string_value(json_object_get(p, "status")), "stopped");
	assert_int_equal(json_integer_value(json_object_get(p, "stopped_by")), a_id);
	json_decref(j);
	/* at once: nothing more is shared, nothing more can be reported, no view logged */
	assert_int_equal(api(&T, "GET", "/api/v1/whereabouts", F.a, &j, NULL), 200);
	assert_int_equal(json_array_size(json_object_get(j, "partner")), 0);
	assert_false(json_is_true(json_object_get(j, "logged")));
	json_decref(j);
	assert_int_equal(report(F.b, "Football", &j), 409);
	json_decref(j);
	/* stopping again changes nothing */
	assert_int_equal(api(&T, "POST", path, F.b, &j, NULL), 200);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "plan"), "stopped_by")), a_id);
	json_decref(j);

	/* the creator stops their own; a renewal replaces the one in force */
	long long second = make_plan(F.b);
	long long third = make_plan(F.b);
	assert_int_equal(api(&T, "GET", "/api/v1/transparency", F.a, &j, NULL), 200);
	json_t *plans = json_object_get(j, "plans");
	assert_int_equal(json_array_size(plans), 3);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(plans, 1), "id")), second);
	assert_string_equal(json_string_value(json_object_get(json_array_get(plans, 1), "status")), "renewed");
	assert_string_equal(json_string_value(json_object_get(json_array_get(plans, 0), "status")), "active");
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/transparency/%lld/stop", third);
	assert_int_equal(api(&T, "POST", path, F.b, &j, NULL), 200);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "plan"), "status")), "stopped");
	json_decref(j);
	assert_int_equal(report(F.b, "Football", NULL), 409);
}

static void who_may_reach_plans(void **state)
{
	(void)state;
	long long id = make_plan(F.b);
	char stop[96], views[96];
	snprintf(stop, sizeof(stop), "/api/v1/transparency/%lld/stop", id);
	snprintf(views, sizeof(views), "/api/v1/transparency/%lld/views", id);
	const char *viewers[] = { NULL, F.a, F.b, F.d, F.op };
	const char *names[] = { "anonymous", "A", "B", "D", "operator" };
	struct {
		const char *method, *path;
		int want[5];
	} cells[] = {
		{ "GET", "/api/v1/transparency", { 401, 200, 200, 200, 409 } },
		{ "GET", "/api/v1/whereabouts", { 401, 200, 200, 200, 409 } },
		{ "GET", views, { 401, 200, 200, 404, 409 } },
		{ "POST", "/api/v1/whereabouts", { 401, 409, 201, 409, 409 } },
		{ "POST", "/api/v1/transparency", { 401, 403, 403, 403, 409 } },
		{ "GET", "/transparency", { 303, 200, 200, 200, 303 } },
		{ "POST", stop, { 401, 200, 200, 404, 409 } },
	};
	for (size_t c = 0; c < sizeof(cells) / sizeof(cells[0]); c++) {
		for (int v = 0; v < 5; v++) {
			int st;
			if (!strncmp(cells[c].path, "/api/", 5) && !strcmp(cells[c].method, "POST") &&
			    !strcmp(cells[c].path, "/api/v1/whereabouts"))
				st = report(viewers[v], "Work", NULL);
			else if (!strcmp(cells[c].path, "/api/v1/transparency") && !strcmp(cells[c].method, "POST"))
				st = api(&T, "POST", cells[c].path, viewers[v], NULL, "{s:s, s:[s], s:s}", "password", "wrong password!",
					 "shares", "plans", "ends_on", day(10));
			else if (cells[c].path[1] != 'a') {
				struct browser b;
				struct req r;
				if (v == 1 || v == 2 || v == 3)
					b_login(&T, &b, v == 1 ? "ana" : v == 2 ? "ben" : "dan");
				else if (v == 4)
					b_login(&T, &b, "opr");
				else
					memset(&b, 0, sizeof(b));
				b_do(&T, &b, &r, "GET", cells[c].path, NULL);
				st = r.status;
				req_release(&r);
			} else {
				st = api(&T, cells[c].method, cells[c].path, viewers[v], NULL, NULL);
			}
			if (st != cells[c].want[v])
				fail_msg("%s %s as %s: %d, want %d", cells[c].method, cells[c].path, names[v], st, cells[c].want[v]);
		}
	}
	assert_int_equal(api(&T, "GET", "/api/v1/transparency/999/views", F.a, NULL, NULL), 404);
	assert_int_equal(api(&T, "POST", "/api/v1/transparency/x/stop", F.a, NULL, NULL), 404);
}

static void the_plan_through_the_pages(void **state)
{
	(void)state;
	struct browser a, b;
	char loc[256], *body, form[512];
	b_login(&T, &a, "ana");
	b_login(&T, &b, "ben");
	body = b_get(&T, &b, "/transparency", 200);
	assert_holds(body, "Only what I type is shared", "Start my plan", NULL);
	assert_null(strstr(body, "Your plan is on"));
	free(body);
	/* a wrong password: calm, the input kept, the password not */
	snprintf(form, sizeof(form), "shares=plans&shares=whereabouts&commitments=Phone+open&ends_on=%s&daily_until=%s"
				     "&password=wrong+password+here", day(45), day(10));
	assert_int_equal(b_post(&T, &b, "/transparency", form, &body, NULL), 403);
	assert_holds(body, "That password was not right", "value=\"plans\" checked", ">Phone open</textarea>", NULL);
	assert_non_null(strstr(body, day(45)));
	assert_null(strstr(body, "wrong password here"));
	free(body);
	snprintf(form, sizeof(form), "shares=plans&ends_on=%s&password=x", day(120));
	b_post_has(&T, &b, "/transparency", form, 400, "at most 90 days away", NULL);
	snprintf(form, sizeof(form), "shares=plans&shares=whereabouts&commitments=Phone+open&ends_on=%s&daily_until=%s"
				     "&password=correct+horse+battery", day(45), day(10));
	assert_int_equal(b_post(&T, &b, "/transparency", form, NULL, loc), 303);
	/* offered: it waits for Ana */
	body = b_get(&T, &b, "/transparency", 200);
	assert_non_null(strstr(body, "Waiting for your partner. It starts once they agree to these terms"));
	assert_null(strstr(body, "Your plan is on"));
	free(body);
	b_page_has(&T, &a, "/", 200, "ben offers a transparency plan, until", "It starts only if you agree to its terms", NULL);
	body = b_get(&T, &a, "/transparency", 200);
	assert_non_null(strstr(body, "Your partner offers a plan"));
	char agree_path[96];
	b_form_action(body, "/transparency/", agree_path, sizeof(agree_path));
	free(body);
	assert_non_null(strstr(agree_path, "/agree"));
	assert_int_equal(b_post(&T, &b, agree_path, "", &body, NULL), 403);
	free(body);
	assert_int_equal(b_post(&T, &a, agree_path, "", NULL, loc), 303);
	b_page_lacks(&T, &a, "/", "offers a transparency plan");
	b_page_has(&T, &b, "/transparency", 200, "Your plan is on", "For now: a report every day until", "Renew my plan",
		   NULL);
	/* a report through the form, in the couple's clock */
	snprintf(form, sizeof(form), "where=Book+club&with=Sue&from=%sT19:00&until=%sT21:30", day(1), day(1));
	assert_int_equal(b_post(&T, &b, "/transparency/reports", form, NULL, loc), 303);
	b_post_has(&T, &a, "/transparency/reports", form, 409, NULL);
	body = b_get(&T, &a, "/transparency", 200);
	/* the day in words, once: the times of a report within one day */
	char want[128];
	long tomorrow;
	assert_int_equal(date_parse(day(1), &tomorrow), 0);
	struct arena ar = ARENA_INIT;
	snprintf(want, sizeof(want), "%s, 19:00 – 21:30: Book club, with Sue", words_day(&ar, tomorrow));
	arena_release(&ar);
	assert_non_null(strstr(body, want));
	char action[96];
	b_form_action(body, "/transparency/", action, sizeof(action));
	free(body);
	/* the partner stops it from the page */
	assert_int_equal(b_post(&T, &a, action, "", NULL, loc), 303);
	b_page_has_lacks(&T, &b, "/transparency", "stopped early", "Your plan is on");
	b_page_lacks(&T, &b, "/", "Your transparency plan is on");
}

static void a_plan_starts_only_when_the_partner_agrees(void **state)
{
	(void)state;
	json_t *j;
	char path[96];
	long long id = offer_plan(F.b);
	/* an offer shares nothing and logs nothing */
	assert_int_equal(report(F.b, "Football", &j), 409);
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/whereabouts", F.a, &j, NULL), 200);
	assert_false(json_is_true(json_object_get(j, "logged")));
	json_decref(j);
	/* who may answer: anonymous 401, the creator 403, another couple 404, the operator 409 */
	snprintf(path, sizeof(path), "/api/v1/transparency/%lld/decline", id);
	const char *viewers[] = { NULL, F.b, F.d, F.op };
	const int want[] = { 401, 403, 404, 409 };
	for (int v = 0; v < 4; v++)
		assert_int_equal(api_raw(&T, "POST", path, viewers[v], NULL, NULL), want[v]);
	assert_int_equal(api(&T, "POST", path, F.a, &j, "{s:s}", "word", "Not like this, not yet."), 200);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "plan"), "status")), "declined");
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/transparency/%lld/agree", id);
	assert_int_equal(api(&T, "POST", path, F.a, &j, NULL), 409);
	assert_string_equal(err_code(j), "not_open");
	json_decref(j);
	struct browser b;
	b_login(&T, &b, "ben");
	b_page_has(&T, &b, "/transparency", 200, "has not taken on the plan you offered, for now",
		   "In their words: Not like this, not yet.", "not taken on", NULL);
	/* a renewal offer leaves the plan that is on until it is agreed */
	long long on = make_plan(F.b);
	long long renewal = offer_plan(F.b);
	assert_int_equal(api(&T, "GET", "/api/v1/transparency", F.a, &j, NULL), 200);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "plans"), 1), "status")), "active");
	json_decref(j);
	agree(F.a, renewal);
	assert_int_equal(api(&T, "GET", "/api/v1/transparency", F.a, &j, NULL), 200);
	json_t *old = json_array_get(json_object_get(j, "plans"), 1);
	assert_int_equal(json_integer_value(json_object_get(old, "id")), on);
	assert_string_equal(json_string_value(json_object_get(old, "status")), "renewed");
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_plan_starts_only_with_the_password, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(the_end_is_at_most_ninety_days_away, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(a_plan_shares_only_its_creators_reports, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(every_look_is_logged_and_shown_to_the_creator, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(either_partner_stops_it_at_once, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(who_may_reach_plans, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(the_plan_through_the_pages, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(a_plan_starts_only_when_the_partner_agrees, couple_setup, couple_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
