/* test_insights.c: "How are we doing" through the real routes. Records real
 * data and sees each finding appear for the right partner: above all, a
 * safety finding reaches only the partner who answered the safety check,
 * and nothing of it changes what the other partner gets. Also: a private
 * trigger counts only for its author, an unrevealed check-in stays out of
 * the partner's series, the charts are well-formed SVG (parsed by Python's
 * XML parser), the language coach with offsets in code points and its
 * switch, the authorization matrix, and the pages as a browser without
 * JavaScript uses them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "apiclient.h"
#include "browser.h"
#include "base/caltime.h"


/* Whole months from day a to day b, as the insights count them: one more
 * each time the day of the month comes round again (1 November to
 * 1 December is one; 2 November to 1 December is none yet). */
static int whole_months(long a, long b)
{
	struct civil x, y;
	civil_from_days(a, &x);
	civil_from_days(b, &y);
	return (y.y - x.y) * 12 + (y.m - x.m) - (y.d < x.d ? 1 : 0);
}

static void week_str(long weeks_ago, char out[9])
{
	struct isoweek w;
	isoweek_of(couple_today() - 7 * weeks_ago, &w);
	isoweek_format(&w, out);
}

static void checkin(const char *tok, long weeks_ago, int conn, int listened)
{
	char wk[9];
	week_str(weeks_ago, wk);
	json_t *j;
	int st = api(&T, "POST", "/api/v1/checkins", tok, &j,
		     "{s:s, s:i, s:{s:i, s:i, s:i, s:i, s:i, s:i}, s:{s:i}}", "week", wk, "connection", conn,
		     "dimensions", "reliability", conn, "emotional_safety", conn, "honesty", conn, "consistency", conn,
		     "respect", conn, "transparency", conn, "signs", "listened_to", listened);
	if (st != 201)
		fail_msg("check-in for %s: %d %s", wk, st, json_dumps(j, 0));
	json_decref(j);
}

/* The findings of kind (audience in *aud when found); NULL when absent. */
static json_t *finding(json_t *ins, const char *kind, const char *title_part)
{
	json_t *f;
	size_t i;
	json_array_foreach(json_object_get(ins, "findings"), i, f) {
		if (!strcmp(json_string_value(json_object_get(f, "kind")), kind) &&
		    (!title_part || strstr(json_string_value(json_object_get(f, "title")), title_part)))
			return f;
	}
	return NULL;
}

static json_t *insights(const char *tok)
{
	json_t *j;
	assert_int_equal(api(&T, "GET", "/api/v1/insights", tok, &j, NULL), 200);
	return j;
}

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* ------------------------------------------------------------------ */

static void safety_finding_reaches_only_the_one_who_answered(void **state)
{
	(void)state;
	checkin(F.a, 3, 5, 3);
	checkin(F.b, 3, 7, 4);
	json_t *before = insights(F.b);
	char *b_before = json_dumps(before, JSON_SORT_KEYS);
	json_decref(before);

	json_t *j;
	assert_int_equal(api(&T, "PUT", "/api/v1/safety", F.a, &j, "{s:{s:b, s:b, s:b, s:b}}", "answers", "physical", 0,
			     "emotional", 1, "verbal", 0, "afraid", 1), 200);
	json_decref(j);

	json_t *a = insights(F.a);
	json_t *f = finding(a, "safety", NULL);
	assert_non_null(f);
	assert_string_equal(str(f, "severity"), "safety");
	assert_string_equal(str(f, "audience"), "me");
	assert_string_equal(str(f, "link"), "/safety");
	assert_string_equal(str(json_array_get(json_object_get(a, "findings"), 0), "kind"), "safety");
	json_decref(a);

	/* the partner's answer is byte for byte what it was */
	json_t *after = insights(F.b);
	assert_null(finding(after, "safety", NULL));
	char *b_after = json_dumps(after, JSON_SORT_KEYS);
	assert_string_equal(b_before, b_after);
	json_decref(after);
	free(b_before);
	free(b_after);

	/* nor does the partner's page show it */
	struct browser bb = { 0 };
	b_login(&T, &bb, "ben");
	char *page = b_get(&T, &bb, "/insights", 200);
	assert_holds_none(page, "Your safety comes first", "notice-safety", NULL);
	free(page);
	struct browser ba = { 0 };
	b_login(&T, &ba, "ana");
	b_page_has(&T, &ba, "/insights", 200, "Your safety comes first", "Only you can see this.", "href=\"/safety\"",
		   NULL);

	/* a check without danger: no finding */
	assert_int_equal(api(&T, "PUT", "/api/v1/safety", F.a, &j, "{s:{s:b, s:b, s:b, s:b}}", "answers", "physical", 0,
			     "emotional", 0, "verbal", 0, "afraid", 0), 200);
	json_decref(j);
	a = insights(F.a);
	assert_null(finding(a, "safety", NULL));
	json_decref(a);
}

static void a_new_disclosure_shows_for_both(void **state)
{
	(void)state;
	char full[11], later[11], same[11];
	couple_day(-30, full);
	couple_day(-2, later);
	couple_day(-30, same);
	json_t *j;
	assert_int_equal(api(&T, "PUT", "/api/v1/disclosure", F.b, &j, "{s:s}", "full_disclosure_on", full), 200);
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/disclosures", F.b, &j, "{s:s, s:s}", "on", same, "summary", "All of it"), 201);
	json_decref(j);
	json_t *a = insights(F.a);
	assert_null(finding(a, "new_disclosure", NULL));
	/* the first disclosure stands in for the discovery day */
	assert_string_equal(str(a, "discovery_on"), full);
	assert_int_equal(json_integer_value(json_object_get(a, "months_since_discovery")), whole_months(couple_today() - 30, couple_today()));
	assert_non_null(finding(a, "timeline_position", NULL));
	json_decref(a);

	assert_int_equal(api(&T, "POST", "/api/v1/disclosures", F.b, &j, "{s:s, s:s}", "on", later, "summary", "One more thing"), 201);
	json_decref(j);
	const char *toks[] = { F.a, F.b };
	for (int i = 0; i < 2; i++) {
		json_t *ins = insights(toks[i]);
		json_t *f = finding(ins, "new_disclosure", NULL);
		assert_non_null(f);
		assert_string_equal(str(f, "severity"), "concern");
		assert_string_equal(str(f, "audience"), "both");
		json_t *b0 = json_array_get(json_object_get(f, "because"), 0);
		assert_string_equal(str(b0, "metric"), "disclosures_after_full");
		assert_true(json_real_value(json_object_get(b0, "value")) == 1.0);
		json_decref(ins);
	}
	/* another couple sees none of it */
	json_t *d = insights(F.d);
	assert_int_equal(json_array_size(json_object_get(d, "findings")), 0);
	assert_true(json_is_null(json_object_get(d, "discovery_on")));
	json_decref(d);

	/* a breach, for both */
	assert_int_equal(api(&T, "POST", "/api/v1/no-contact/breaches", F.a, &j, "{s:s, s:s}", "on", later, "what", "A message"), 201);
	json_decref(j);
	json_t *b = insights(F.b);
	assert_non_null(finding(b, "no_contact_breach", NULL));
	json_decref(b);
}

static void checkins_give_trends_wins_and_revealed_series(void **state)
{
	(void)state;
	for (int k = 4; k >= 1; k--) {
		checkin(F.a, k, 3 + (4 - k), 4);
		checkin(F.b, k, 7, 4);
	}
	checkin(F.b, 0, 9, 4);  /* this week: not revealed to ana until she checks in */

	json_t *a = insights(F.a);
	json_t *win = finding(a, "small_win", "checked in 4 weeks");
	assert_non_null(win);
	assert_string_equal(str(win, "audience"), "both");
	json_t *tr = finding(a, "trend", "Your connection");
	assert_non_null(tr);
	assert_string_equal(str(tr, "severity"), "celebrate");
	json_t *conn = json_object_get(json_object_get(a, "series"), "connection");
	assert_int_equal(json_array_size(json_object_get(conn, "me")), 4);
	assert_int_equal(json_array_size(json_object_get(conn, "partner")), 4);  /* ben's week 0 is hidden */
	json_t *last = json_array_get(json_object_get(conn, "me"), 3);
	char wk[9];
	week_str(1, wk);
	assert_string_equal(str(last, "week"), wk);
	assert_true(json_real_value(json_object_get(last, "value")) == 6.0);
	json_decref(a);

	json_t *b = insights(F.b);
	conn = json_object_get(json_object_get(b, "series"), "connection");
	assert_int_equal(json_array_size(json_object_get(conn, "me")), 5);
	assert_int_equal(json_array_size(json_object_get(conn, "partner")), 4);
	assert_non_null(finding(b, "trend", "Your partner's connection"));
	json_t *dims = json_object_get(json_object_get(b, "series"), "dimensions");
	assert_int_equal(json_array_size(json_object_get(json_object_get(dims, "honesty"), "partner")), 4);
	json_decref(b);

	checkin(F.a, 0, 8, 4);  /* now both answered this week: revealed */
	a = insights(F.a);
	conn = json_object_get(json_object_get(a, "series"), "connection");
	assert_int_equal(json_array_size(json_object_get(conn, "partner")), 5);
	json_decref(a);
}

static void a_private_trigger_counts_only_for_its_author(void **state)
{
	(void)state;
	char at[11];
	couple_day(-3, at);
	char instant[40];
	snprintf(instant, sizeof(instant), "%sT12:00:00Z", at);
	json_t *j;
	assert_int_equal(api(&T, "POST", "/api/v1/triggers", F.a, &j, "{s:s, s:s, s:i, s:s, s:s}", "at", instant, "kind",
			     "place", "intensity", 8, "what", "The hotel", "visibility", "private"), 201);
	json_decref(j);
	json_t *a = insights(F.a);
	json_t *f = finding(a, "triggers", NULL);
	assert_non_null(f);
	assert_string_equal(str(f, "audience"), "me");
	json_t *months = json_object_get(json_object_get(a, "series"), "triggers");
	assert_true(json_array_size(months) >= 1);
	json_decref(a);
	json_t *b = insights(F.b);
	assert_null(finding(b, "triggers", NULL));
	assert_int_equal(json_array_size(json_object_get(json_object_get(b, "series"), "triggers")), 0);
	json_decref(b);

	assert_int_equal(api(&T, "POST", "/api/v1/triggers", F.a, &j, "{s:s, s:s, s:i, s:s}", "at", instant, "kind",
			     "name", "intensity", 4, "what", "A name"), 201);
	json_decref(j);
	b = insights(F.b);
	f = finding(b, "triggers", NULL);
	assert_non_null(f);
	assert_string_equal(str(f, "audience"), "both");
	json_decref(b);
}

/* Writes body to a file and parses it with Python's XML parser; returns its exit status. */
static int xml_parse(const char *body)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/chart.svg", T.dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(body, fp);
	fclose(fp);
	char cmd[512];
	snprintf(cmd, sizeof(cmd),
		 "/usr/bin/python3 -c 'import sys, xml.dom.minidom as m; d = m.parse(sys.argv[1]); "
		 "r = d.documentElement; sys.exit(0 if r.tagName == \"svg\" and r.getElementsByTagName(\"title\") "
		 "and r.getElementsByTagName(\"desc\") else 3)' %s", path);
	return system(cmd);
}

/* The number of points in one partner's connection series. */
static size_t connection_points(const char *tok, const char *who)
{
	json_t *j = insights(tok);
	size_t n = json_array_size(json_object_get(json_object_get(json_object_get(j, "series"), "connection"), who));
	json_decref(j);
	return n;
}

/* How many lines the connection chart draws for the browser b. */
static int connection_lines(struct browser *b)
{
	char *svg = b_get(&T, b, "/charts/connection.svg", 200);
	int n = 0;
	for (const char *p = svg; (p = strstr(p, "<polyline")); p++)
		n++;
	free(svg);
	return n;
}

/* The page, its charts and the API answer what was just written, by
 * either partner, though they share one computation while nothing is. */
static void the_insights_follow_each_new_record(void **state)
{
	(void)state;
	struct browser ba = { 0 };
	b_login(&T, &ba, "ana");
	assert_int_equal(connection_points(F.a, "me"), 0);
	assert_int_equal(connection_lines(&ba), 0);

	checkin(F.a, 1, 6, 3);
	assert_int_equal(connection_points(F.a, "me"), 1);
	assert_int_equal(connection_lines(&ba), 1);
	checkin(F.a, 2, 7, 3);
	assert_int_equal(connection_points(F.a, "me"), 2);

	/* the partner's check-in for a week ana has done opens to her at once */
	assert_int_equal(connection_points(F.a, "partner"), 0);
	b_page_lacks(&T, &ba, "/insights", "<td>8</td>");
	checkin(F.b, 1, 8, 3);
	assert_int_equal(connection_points(F.a, "partner"), 1);
	assert_int_equal(connection_lines(&ba), 2);
	b_page_has(&T, &ba, "/insights", 200, "<td>8</td>", NULL);
}

static void charts_are_well_formed_svg(void **state)
{
	(void)state;
	static const char *const names[] = { "connection", "dimensions", "triggers", "timeline", "daily" };
	struct browser ba = { 0 };
	b_login(&T, &ba, "ana");
	/* empty first, then with data (a label with markup characters on the timeline) */
	for (int round = 0; round < 2; round++) {
		if (round == 1) {
			for (int k = 20; k >= 0; k--) {
				checkin(F.a, k, 1 + k % 10, 3);
				checkin(F.b, k, 10 - k % 10, 3);
			}
			json_t *j;
			char d[11], instant[40];
			couple_day(-40, d);
			snprintf(instant, sizeof(instant), "%sT09:00:00Z", d);
			assert_int_equal(api(&T, "POST", "/api/v1/triggers", F.a, &j, "{s:s, s:s, s:i, s:s}", "at", instant,
					     "kind", "media", "intensity", 9, "what", "<script>&"), 201);
			json_decref(j);
			couple_day(-900, d);
			assert_int_equal(api(&T, "POST", "/api/v1/timeline", F.a, &j, "{s:s, s:s, s:s}", "date", d, "trust", "high",
					     "title", "Our <first> & best trip"), 201);
			json_decref(j);
			couple_day(-100, d);
			assert_int_equal(api(&T, "PUT", "/api/v1/insights/discovery", F.a, &j, "{s:s}", "discovery_on", d), 200);
			json_decref(j);
		}
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			char path[64];
			snprintf(path, sizeof(path), "/charts/%s.svg", names[i]);
			struct req r;
			b_do(&T, &ba, &r, "GET", path, NULL);
			assert_int_equal(r.status, 200);
			assert_non_null(strstr(r.content_type, "image/svg+xml"));
			if (xml_parse(r.out.s) != 0)
				fail_msg("%s is not well-formed SVG:\n%s", path, r.out.s);
			assert_null(strstr(r.out.s, "<script"));
			req_release(&r);
		}
	}
	struct req r;
	b_do(&T, &ba, &r, "GET", "/charts/other.svg", NULL);
	assert_int_equal(r.status, 404);
	req_release(&r);
	b_do(&T, &ba, &r, "GET", "/charts/timeline.svg", NULL);
	assert_non_null(strstr(r.out.s, "Discovery"));
	req_release(&r);
}

static void coach_notes_in_code_points(void **state)
{
	(void)state;
	json_t *j;
	assert_int_equal(api(&T, "POST", "/api/v1/coach", F.b, &j, "{s:s}", "text", "Ça va? You never listen. I was drunk."), 200);
	json_t *notes = json_object_get(j, "notes");
	assert_true(json_is_true(json_object_get(j, "enabled")));
	assert_int_equal(json_array_size(notes), 2);
	json_t *n0 = json_array_get(notes, 0), *n1 = json_array_get(notes, 1);
	assert_string_equal(str(n0, "kind"), "accusation");
	assert_int_equal(json_integer_value(json_object_get(n0, "start")), 7);
	assert_int_equal(json_integer_value(json_object_get(n0, "end")), 16);
	assert_non_null(strstr(str(n0, "suggestion"), "I feel"));
	assert_string_equal(str(n0, "match"), "words");
	assert_string_equal(str(n1, "kind"), "excuse");
	json_decref(j);

	assert_int_equal(api(&T, "POST", "/api/v1/coach", F.b, &j, "{s:s}", "text", "I loved our walk today."), 200);
	assert_int_equal(json_array_size(json_object_get(j, "notes")), 0);
	json_decref(j);

	/* switched off: nothing is checked; the other partner's coach stays on */
	assert_int_equal(api(&T, "PUT", "/api/v1/coach/settings", F.b, &j, "{s:b}", "enabled", 0), 200);
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/coach", F.b, &j, "{s:s}", "text", "You never listen."), 200);
	assert_true(json_is_false(json_object_get(j, "enabled")));
	assert_int_equal(json_array_size(json_object_get(j, "notes")), 0);
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/coach/settings", F.a, &j, NULL), 200);
	assert_true(json_is_true(json_object_get(j, "enabled")));
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/coach", F.a, &j, "{s:s}", "text", "You never listen."), 200);
	assert_int_equal(json_array_size(json_object_get(j, "notes")), 1);
	json_decref(j);

	/* hostile input */
	api_error(api(&T, "POST", "/api/v1/coach", F.a, &j, "{s:s, s:i}", "text", "x", "extra", 1), j, 400,
		  "unknown_field", NULL);
	api_error(api(&T, "POST", "/api/v1/coach", F.a, &j, "{s:i}", "text", 5), j, 400, NULL, "text");
	char *big = text_of_length('a', 4001);
	api_error(api(&T, "POST", "/api/v1/coach", F.a, &j, "{s:s}", "text", big), j, 400, "too_long", NULL);
	free(big);
	api_error(api(&T, "PUT", "/api/v1/coach/settings", F.a, &j, "{s:s}", "enabled", "yes"), j, 400, NULL,
		  "enabled");
	api_error(api(&T, "PUT", "/api/v1/insights/discovery", F.a, &j, "{s:s}", "discovery_on", "2026-02-30"), j, 400,
		  NULL, "discovery_on");
	char future[11];
	couple_day(2, future);
	assert_int_equal(api(&T, "PUT", "/api/v1/insights/discovery", F.a, &j, "{s:s}", "discovery_on", future), 400);
	json_decref(j);
	assert_int_equal(api(&T, "PUT", "/api/v1/insights/discovery", F.a, &j, "{s:n}", "discovery_on"), 200);
	json_decref(j);
}

static void authorization_matrix(void **state)
{
	(void)state;
	struct { const char *method, *path, *body; int want[5]; /* anonymous, A, B, D, operator */ } cells[] = {
		{ "GET", "/api/v1/insights", NULL, { 401, 200, 200, 200, 409 } },
		{ "PUT", "/api/v1/insights/discovery", "{\"discovery_on\":null}", { 401, 200, 200, 200, 409 } },
		{ "GET", "/api/v1/insights/factors", NULL, { 401, 200, 200, 200, 409 } },
		{ "PUT", "/api/v1/insights/factors", "{\"severity\":null}", { 401, 200, 200, 200, 409 } },
		{ "POST", "/api/v1/coach", "{\"text\":\"hello\"}", { 401, 200, 200, 200, 200 } },
		{ "GET", "/api/v1/coach/settings", NULL, { 401, 200, 200, 200, 200 } },
		{ "PUT", "/api/v1/coach/settings", "{\"enabled\":true}", { 401, 200, 200, 200, 200 } },
	};
	const char *toks[5] = { NULL, F.a, F.b, F.d, F.op };
	for (size_t c = 0; c < sizeof(cells) / sizeof(cells[0]); c++)
		for (int v = 0; v < 5; v++) {
			json_t *j;
			int st = api_raw(&T, cells[c].method, cells[c].path, toks[v], &j, cells[c].body);
			if (st != cells[c].want[v])
				fail_msg("%s %s as viewer %d: %d, want %d", cells[c].method, cells[c].path, v, st, cells[c].want[v]);
			json_decref(j);
		}
	/* pages and charts: anonymous is sent to log in, the operator has no couple */
	static const char *const pages[] = { "/insights", "/charts/connection.svg", "/coach" };
	for (int i = 0; i < 3; i++) {
		struct browser anon = { 0 };
		struct req r;
		b_do(&T, &anon, &r, "GET", pages[i], NULL);
		assert_true(r.status == 303 || r.status == 401);
		assert_null(strstr(r.out.s, "<svg"));
		req_release(&r);
	}
}

/* The reason of the finding whose metric is metric, in words. */
static const char *says_of(json_t *f, const char *metric)
{
	size_t i;
	json_t *b;
	json_array_foreach(json_object_get(f, "because"), i, b)
		if (!strcmp(str(b, "metric"), metric))
			return str(b, "says");
	fail_msg("no reason %s", metric);
	return "";
}

static double value_of(json_t *f, const char *metric)
{
	size_t i;
	json_t *b;
	json_array_foreach(json_object_get(f, "because"), i, b)
		if (!strcmp(str(b, "metric"), metric))
			return json_real_value(json_object_get(b, "value"));
	fail_msg("no reason %s", metric);
	return 0;
}

/* The timeline's factors: the couple's two answers seen by both, the own
 * two by their author alone, each moving the expected range with a reason
 * in words; help is read from the roadmap's counselling steps. */
static void timeline_factors_shared_and_own(void **state)
{
	(void)state;
	char d[11];
	json_t *j;
	couple_day(-400, d);
	assert_int_equal(api(&T, "PUT", "/api/v1/insights/discovery", F.a, NULL, "{s:s}", "discovery_on", d), 200);
	json_t *ins = insights(F.a);
	json_int_t plain = json_integer_value(json_object_get(json_object_get(ins, "expected_months"), "high"));
	assert_true(plain > 0);
	assert_true(json_is_null(json_object_get(json_object_get(ins, "factors"), "severity")));
	json_decref(ins);

	assert_int_equal(api(&T, "PUT", "/api/v1/insights/factors", F.a, &j, "{s:s, s:s, s:s}", "severity", "long",
			     "before", "strained", "commitment", "unsure"), 200);
	assert_string_equal(str(json_object_get(j, "factors"), "before"), "strained");
	json_decref(j);

	/* stored sealed: no answer word is in the table */
	assert_int_equal(store_count("SELECT count(*) FROM insight_factor"), 3);
	assert_int_equal(store_count("SELECT count(*) FROM insight_factor WHERE instr(answer, CAST('strained' AS BLOB)) OR"
				     " instr(answer, CAST('unsure' AS BLOB)) OR instr(answer, CAST('long' AS BLOB)) OR typeof(answer) <> 'blob'"), 0);

	/* Ana's timeline weighs all three, and says so */
	ins = insights(F.a);
	assert_true(json_integer_value(json_object_get(json_object_get(ins, "expected_months"), "high")) > plain);
	json_t *f = finding(ins, "timeline_position", NULL);
	assert_non_null(f);
	assert_true(value_of(f, "factor_severity") > 0);
	assert_non_null(strstr(says_of(f, "factor_severity"), "You said the betrayal went on a long time"));
	assert_non_null(strstr(says_of(f, "factor_commitment"), "You said you are not sure yet"));
	assert_non_null(strstr(str(f, "detail"), "longer than the usual"));
	json_decref(ins);

	/* Ben sees the couple's answer, never Ana's own two */
	assert_int_equal(api(&T, "GET", "/api/v1/insights/factors", F.b, &j, NULL), 200);
	assert_string_equal(str(json_object_get(j, "factors"), "severity"), "long");
	assert_true(json_is_null(json_object_get(json_object_get(j, "factors"), "before")));
	assert_true(json_is_null(json_object_get(json_object_get(j, "factors"), "commitment")));
	json_decref(j);
	ins = insights(F.b);
	f = finding(ins, "timeline_position", NULL);
	assert_int_equal(value_of(f, "factor_commitment"), 0);
	assert_string_equal(says_of(f, "factor_before"), "You have not said yet how things were between you before.");
	json_decref(ins);
	/* another couple sees none of it */
	assert_int_equal(api(&T, "GET", "/api/v1/insights/factors", F.d, &j, NULL), 200);
	assert_true(json_is_null(json_object_get(json_object_get(j, "factors"), "severity")));
	json_decref(j);

	/* the couple's answer has one value: Ben's replaces Ana's */
	assert_int_equal(api(&T, "PUT", "/api/v1/insights/factors", F.b, NULL, "{s:s}", "severity", "brief"), 200);
	assert_int_equal(api(&T, "GET", "/api/v1/insights/factors", F.a, &j, NULL), 200);
	assert_string_equal(str(json_object_get(j, "factors"), "severity"), "brief");
	assert_string_equal(str(json_object_get(j, "factors"), "before"), "strained");
	json_decref(j);

	/* help: a counselling step done on the roadmap takes time off */
	ins = insights(F.a);
	assert_true(value_of(finding(ins, "timeline_position", NULL), "factor_help") > 0);
	json_decref(ins);
	assert_int_equal(api(&T, "PUT", "/api/v1/roadmap/steps/7", F.b, &j, "{s:s}", "status", "done"), 200);
	json_decref(j);
	ins = insights(F.a);
	f = finding(ins, "timeline_position", NULL);
	assert_true(value_of(f, "factor_help") < 0);
	assert_non_null(strstr(says_of(f, "factor_help"), "A counsellor is part of your work"));
	json_decref(ins);

	/* hostile bodies */
	api_error(api(&T, "PUT", "/api/v1/insights/factors", F.a, &j, "{s:s}", "severity", "huge"), j, 400, "invalid_field", "severity");
	api_error(api(&T, "PUT", "/api/v1/insights/factors", F.a, &j, "{s:i}", "before", 1), j, 400, "invalid_field", "before");
	api_error(api(&T, "PUT", "/api/v1/insights/factors", F.a, &j, "{s:s}", "mood", "ok"), j, 400, "unknown_field", "mood");
	api_error(api(&T, "PUT", "/api/v1/insights/factors", F.a, &j, "{}"), j, 400, "invalid_field", NULL);

	/* the page's form, without JavaScript; four weeks of Ana's check-ins
	 * give a trend, which says how much history it waits for */
	for (int k = 3; k >= 0; k--)
		checkin(F.a, k, 5, 4);
	struct browser ba = { 0 };
	char loc[256];
	b_login(&T, &ba, "ana");
	b_page_has(&T, &ba, "/insights", 200, "What shapes your timeline", "value=\"strained\" checked", NULL);
	assert_int_equal(b_post(&T, &ba, "/insights/factors", "severity=long&repeated=repeated&before=unsaid&commitment=committed",
				NULL, loc), 303);
	assert_string_equal(loc, "/insights?saved=factors#factors");
	assert_int_equal(api(&T, "GET", "/api/v1/insights/factors", F.a, &j, NULL), 200);
	assert_string_equal(str(json_object_get(j, "factors"), "repeated"), "repeated");
	assert_true(json_is_null(json_object_get(json_object_get(j, "factors"), "before")));
	assert_string_equal(str(json_object_get(j, "factors"), "commitment"), "committed");
	json_decref(j);
	b_page_has(&T, &ba, "/insights?saved=factors", 200, "Your answers are saved.",
		   "This kind of finding waits for 3 weeks of records before it says anything.",
		   "You said it had happened before: trust usually takes longer the second time.", NULL);
	b_post_has(&T, &ba, "/insights/factors", "severity=enormous", 400, "did not look right", NULL);
}

/* A couple new to troth, eight months after the discovery: their first
 * trigger, and a low first check-in, bring no suggestion to see a
 * counsellor and no alarm; what is said fits early days. */
static void a_new_couples_first_week_stays_calm(void **state)
{
	(void)state;
	char d[11], instant[40];
	json_t *j;
	couple_day(-245, d);
	assert_int_equal(api(&T, "PUT", "/api/v1/insights/discovery", F.a, NULL, "{s:s}", "discovery_on", d), 200);
	couple_day(-1, d);
	snprintf(instant, sizeof(instant), "%sT12:00:00Z", d);
	assert_int_equal(api(&T, "POST", "/api/v1/triggers", F.a, &j, "{s:s, s:s, s:i, s:s}", "at", instant, "kind",
			     "place", "intensity", 9, "what", "The hotel"), 201);
	json_decref(j);
	checkin(F.a, 0, 2, 1);
	for (int who = 0; who < 2; who++) {
		json_t *ins = insights(who ? F.b : F.a);
		assert_null(finding(ins, "counselling_suggested", NULL));
		assert_null(finding(ins, "trend", NULL));
		json_t *f = finding(ins, "triggers", "first months");
		assert_non_null(f);
		assert_string_equal(str(f, "severity"), "info");
		assert_non_null(finding(ins, "timeline_position", "8 months"));
		size_t i;
		json_t *x;
		json_array_foreach(json_object_get(ins, "findings"), i, x)
			assert_true(strcmp(str(x, "severity"), "concern") && strcmp(str(x, "severity"), "attention"));
		json_decref(ins);
	}
}

static void the_pages_work_without_javascript(void **state)
{
	(void)state;
	struct browser ba = { 0 };
	b_login(&T, &ba, "ana");
	char *page = b_get(&T, &ba, "/insights", 200);
	assert_holds(page, "Nothing to show yet", "<img src=\"/charts/connection.svg\"", "<table class=\"chart-data\"",
		     NULL);
	free(page);

	/* a concern: the counselling and help links, and the reasons in a <details> */
	char d[11];
	couple_day(-5, d);
	json_t *j;
	assert_int_equal(api(&T, "POST", "/api/v1/no-contact/breaches", F.a, &j, "{s:s, s:s}", "on", d, "what", "Contact"), 201);
	json_decref(j);
	page = b_get(&T, &ba, "/insights", 200);
	assert_non_null(strstr(page, "<details><summary>Why am I seeing this?</summary>"));
	/* the reasons in plain words, not the API's metric names */
	assert_non_null(strstr(page, "<li>1 contact was recorded in the last 6 months.</li>"));
	assert_null(strstr(page, "no_contact_breaches"));
	assert_holds(page, "href=\"/guidance/counselling\"", "href=\"/safety\"", NULL);
	free(page);

	/* the discovery day: a bad day keeps the input and says so calmly */
	char loc[256];
	b_post_has(&T, &ba, "/insights/discovery", "discovery_on=2026-13-40", 400, "did not look right",
		   "value=\"2026-13-40\"", NULL);
	couple_day(-200, d);
	char form[64];
	snprintf(form, sizeof(form), "discovery_on=%s", d);
	assert_int_equal(b_post(&T, &ba, "/insights/discovery", form, NULL, loc), 303);
	assert_string_equal(loc, "/insights?saved=1");
	json_t *ins = insights(F.b);
	assert_string_equal(str(ins, "discovery_on"), d);
	assert_true(json_integer_value(json_object_get(ins, "months_since_discovery")) >= 6);
	json_decref(ins);

	/* the coach page: notes on the words, then switched off */
	b_post_has(&T, &ba, "/coach", "text=Honestly+you+always+do+this", 200, "<q>you always</q>",
		   "Honestly you always do this</textarea>", NULL);
	b_post_has(&T, &ba, "/coach", "text=I+miss+you", 200, "Nothing stood out", NULL);
	assert_int_equal(b_post(&T, &ba, "/coach/settings", "enabled=0", NULL, loc), 303);
	b_page_has_lacks(&T, &ba, "/coach", "value=\"0\" checked", "Check my words");
	b_post_has(&T, &ba, "/coach/settings", "enabled=maybe", 400, "choose on or off", NULL);

	/* home links here */
	b_page_has(&T, &ba, "/", 200, "href=\"/insights\"", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(safety_finding_reaches_only_the_one_who_answered, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(a_new_disclosure_shows_for_both, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(checkins_give_trends_wins_and_revealed_series, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(a_private_trigger_counts_only_for_its_author, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(the_insights_follow_each_new_record, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(charts_are_well_formed_svg, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(coach_notes_in_code_points, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(timeline_factors_shared_and_own, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(a_new_couples_first_week_stays_calm, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(authorization_matrix, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(the_pages_work_without_javascript, couple_setup, couple_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
