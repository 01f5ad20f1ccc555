/* test_daily.c: the daily check-in through the real routes: the reveal
 * rule (by answering, and the day after the day), what is checked in a
 * body and a form, the page and the home card without JavaScript, the
 * insights' daily series, and the authorization matrix (viewer x resource
 * x action, every cell asserted); and the weekly check-in of a couple made
 * this week, which has no "last week" to ask about; and what needs the
 * partner on the home page ("For you now": a promise due, a share to hear,
 * an agreement's text and a transparency plan waiting for an answer). */
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
#include "base/arena.h"
#include "base/caltime.h"
#include "ui/words.h"

/* Posts a daily check-in as token for `ago` days back (0: today, sent
 * without a day). Returns the status. */
static int check_in(const char *token, long ago, int close, int safe, const char *word)
{
	json_t *j;
	char d[11];
	couple_day(-ago, d);
	int st = ago ? api(&T, "POST", "/api/v1/daily-checkins", token, &j, "{s:i, s:i, s:s?, s:s}", "close", close,
			   "safe", safe, "word", word, "day", d)
		     : api(&T, "POST", "/api/v1/daily-checkins", token, &j, "{s:i, s:i, s:s?}", "close", close,
			   "safe", safe, "word", word);
	json_decref(j);
	return st;
}

/* The check-in of `ago` days back by author ("me" or "partner") in what
 * token may list, or NULL (a new reference: decref it). */
static json_t *find(const char *token, long ago, const char *author)
{
	json_t *j, *out = NULL;
	char d[11], from[11], path[96];
	couple_day(-ago, d);
	couple_day(-13, from);
	snprintf(path, sizeof(path), "/api/v1/daily-checkins?from=%s", from);
	assert_int_equal(api(&T, "GET", path, token, &j, NULL), 200);
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(j, "daily_checkins"), i, x)
		if (!strcmp(json_string_value(json_object_get(x, "day")), d) &&
		    !strcmp(json_string_value(json_object_get(x, "author")), author))
			out = json_incref(x);
	json_decref(j);
	return out;
}

static void todays_answers_stay_hidden_until_the_partner_answers(void **state)
{
	(void)state;
	assert_int_equal(check_in(F.a, 0, 3, 4, "a quiet day"), 201);
	json_t *x = find(F.b, 0, "partner");
	assert_non_null(x);
	assert_false(json_is_true(json_object_get(x, "revealed")));
	assert_null(json_object_get(x, "close"));
	assert_null(json_object_get(x, "safe"));
	assert_null(json_object_get(x, "word"));
	json_decref(x);
	/* the author sees her own, not yet open to him */
	x = find(F.a, 0, "me");
	assert_non_null(x);
	assert_int_equal(json_integer_value(json_object_get(x, "close")), 3);
	assert_string_equal(json_string_value(json_object_get(x, "word")), "a quiet day");
	assert_false(json_is_true(json_object_get(x, "revealed")));
	json_decref(x);
	/* once he answers, each sees the other's */
	assert_int_equal(check_in(F.b, 0, 8, 9, NULL), 201);
	x = find(F.b, 0, "partner");
	assert_true(json_is_true(json_object_get(x, "revealed")));
	assert_int_equal(json_integer_value(json_object_get(x, "close")), 3);
	assert_int_equal(json_integer_value(json_object_get(x, "safe")), 4);
	assert_string_equal(json_string_value(json_object_get(x, "word")), "a quiet day");
	json_decref(x);
	x = find(F.a, 0, "partner");
	assert_int_equal(json_integer_value(json_object_get(x, "close")), 8);
	assert_true(json_is_null(json_object_get(x, "word")));
	json_decref(x);
	/* another day is its own: yesterday's answer of hers stays hidden */
	assert_int_equal(check_in(F.a, 1, 5, 5, NULL), 201);
	x = find(F.b, 1, "partner");
	assert_false(json_is_true(json_object_get(x, "revealed")));
	assert_null(json_object_get(x, "close"));
	json_decref(x);
}

static void a_day_opens_the_day_after_it_whatever_happens(void **state)
{
	(void)state;
	/* two days back: the day after it has ended, so it is open */
	assert_int_equal(check_in(F.a, 2, 6, 7, "long day"), 201);
	json_t *x = find(F.b, 2, "partner");
	assert_non_null(x);
	assert_true(json_is_true(json_object_get(x, "revealed")));
	assert_int_equal(json_integer_value(json_object_get(x, "safe")), 7);
	assert_string_equal(json_string_value(json_object_get(x, "word")), "long day");
	json_decref(x);
	/* yesterday's is still hidden: tomorrow it opens */
	assert_int_equal(check_in(F.a, 1, 6, 7, NULL), 201);
	x = find(F.b, 1, "partner");
	assert_false(json_is_true(json_object_get(x, "revealed")));
	json_decref(x);
}

static void bodies_are_checked_field_by_field(void **state)
{
	(void)state;
	json_t *j;
	char tomorrow[11];
	couple_day(1, tomorrow);
	assert_int_equal(api(&T, "POST", "/api/v1/daily-checkins", F.a, &j, "{s:i, s:i}", "close", 11, "safe", 5), 400);
	assert_string_equal(err_code(j), "invalid_field");
	assert_string_equal(err_field(j), "close");
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/daily-checkins", F.a, &j, "{s:i, s:i}", "close", 5, "safe", -1), 400);
	assert_string_equal(err_field(j), "safe");
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/daily-checkins", F.a, &j, "{s:i}", "close", 5), 400);
	assert_string_equal(err_code(j), "missing_field");
	assert_string_equal(err_field(j), "safe");
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/daily-checkins", F.a, &j, "{s:i, s:i, s:i}", "close", 5, "safe", 5,
			     "mood", 3), 400);
	assert_string_equal(err_code(j), "unknown_field");
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/daily-checkins", F.a, &j, "{s:i, s:i, s:s}", "close", 5, "safe", 5,
			     "day", tomorrow), 400);
	assert_string_equal(err_field(j), "day");
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/daily-checkins", F.a, &j, "{s:i, s:i, s:s}", "close", 5, "safe", 5,
			     "day", "yesterday"), 400);
	assert_string_equal(err_field(j), "day");
	json_decref(j);
	char *longword = malloc(4002);
	memset(longword, 'a', 4001);
	longword[4001] = 0;
	assert_int_equal(api(&T, "POST", "/api/v1/daily-checkins", F.a, &j, "{s:i, s:i, s:s}", "close", 5, "safe", 5,
			     "word", longword), 400);
	assert_string_equal(err_code(j), "too_long");
	json_decref(j);
	free(longword);
	/* 0 is an answer, and one a day */
	assert_int_equal(check_in(F.a, 0, 0, 0, NULL), 201);
	assert_int_equal(api(&T, "POST", "/api/v1/daily-checkins", F.a, &j, "{s:i, s:i}", "close", 5, "safe", 5), 409);
	assert_string_equal(err_code(j), "already_checked_in");
	json_decref(j);
	json_t *x = find(F.a, 0, "me");
	assert_int_equal(json_integer_value(json_object_get(x, "close")), 0);
	json_decref(x);
}

static void the_page_and_the_home_card_work_without_javascript(void **state)
{
	(void)state;
	struct browser A, B;
	b_login(&T, &A, "ana");
	b_login(&T, &B, "ben");
	/* one tap from home */
	b_page_has(&T, &A, "/", 200, "id=\"due-daily\"", "href=\"/daily\"", NULL);
	b_page_has(&T, &A, "/daily", 200, "<fieldset class=\"scale\" id=\"s-close\">", "value=\"0\"",
		   "value=\"10\"", "Save today", NULL);
	/* a mistake keeps what was written */
	char *body = NULL;
	assert_int_equal(b_post(&T, &A, "/daily", "close=12&safe=5&word=held+my+hand", &body, NULL), 400);
	assert_non_null(strstr(body, "Please choose how close you felt"));
	assert_non_null(strstr(body, "held my hand"));
	free(body);
	char loc[256];
	assert_int_equal(b_post(&T, &A, "/daily", "close=7&safe=6&word=held+my+hand", NULL, loc), 303);
	assert_non_null(strstr(loc, "/daily?saved=1"));
	b_page_has(&T, &A, "/daily", 200, "close 7, safe 6", "held my hand", NULL);
	assert_int_equal(b_post(&T, &A, "/daily", "close=7&safe=6", NULL, NULL), 409);
	/* ben sees that she answered, not what */
	b_page_has(&T, &B, "/", 200, "id=\"due-daily\"", "ana has checked in today.", NULL);
	b_page_has(&T, &B, "/daily", 200, "hidden for now", NULL);
	b_page_lacks(&T, &B, "/daily", "held my hand");
	assert_int_equal(b_post(&T, &B, "/daily", "close=5&safe=9", NULL, NULL), 303);
	b_page_has(&T, &B, "/daily", 200, "close 7, safe 6", "held my hand", "close 5, safe 9", NULL);
	b_page_has(&T, &A, "/", 200, "You have both checked in today.", NULL);
	/* dan's couple sees none of it */
	struct browser D;
	b_login(&T, &D, "dan");
	b_page_lacks(&T, &D, "/daily", "held my hand");
	b_page_lacks(&T, &D, "/daily", "close 7");
}

/* Today's answers can change until the day ends, on the page and through
 * the API; an earlier day's cannot, whichever way it is asked. */
static void todays_answers_can_change_that_day_only(void **state)
{
	(void)state;
	struct browser A, B;
	b_login(&T, &A, "ana");
	b_login(&T, &B, "ben");
	char today[11], yesterday[11], form[160], path[80], loc[256];
	couple_day(0, today);
	couple_day(-1, yesterday);
	assert_int_equal(check_in(F.a, 1, 2, 2, "long day"), 201);
	assert_int_equal(check_in(F.a, 0, 3, 4, "tired"), 201);
	/* the page offers the change, filled with today's answers */
	char *body = b_get(&T, &A, "/daily", 200);
	assert_holds(body, "Change today's answers", "name=\"change\" value=\"1\"", ">tired</textarea>", NULL);
	assert_holds(body, "name=\"close\" value=\"3\" checked", "name=\"safe\" value=\"4\" checked", NULL);
	free(body);
	snprintf(form, sizeof(form), "change=1&day=%s&close=8&safe=9&word=a+good+talk", today);
	assert_int_equal(b_post(&T, &A, "/daily", form, NULL, loc), 303);
	assert_non_null(strstr(loc, "/daily?changed=1"));
	b_page_has(&T, &A, "/daily?changed=1", 200, "Changed. Thank you.", "close 8, safe 9", "a good talk", NULL);
	b_page_lacks(&T, &A, "/daily", "close 3, safe 4");
	/* a form left open since yesterday changes nothing */
	snprintf(form, sizeof(form), "change=1&day=%s&close=10&safe=10", yesterday);
	assert_int_equal(b_post(&T, &A, "/daily", form, &body, NULL), 409);
	assert_non_null(strstr(body, "only be added or changed on the day itself"));
	free(body);
	json_t *x = find(F.a, 1, "me");
	assert_non_null(x);
	assert_int_equal(json_integer_value(json_object_get(x, "close")), 2);
	assert_string_equal(json_string_value(json_object_get(x, "word")), "long day");
	json_decref(x);
	x = find(F.a, 0, "me");
	assert_int_equal(json_integer_value(json_object_get(x, "close")), 8);
	json_decref(x);
	/* the API: today's changes, yesterday's is refused */
	json_t *j;
	snprintf(path, sizeof(path), "/api/v1/daily-checkins/%s", yesterday);
	api_error(api(&T, "PUT", path, F.a, &j, "{s:i, s:i}", "close", 9, "safe", 9), j, 409, "not_today", "day");
	snprintf(path, sizeof(path), "/api/v1/daily-checkins/%s", today);
	assert_int_equal(api(&T, "PUT", path, F.a, &j, "{s:i, s:i}", "close", 6, "safe", 5), 200);
	json_t *d = json_object_get(j, "daily_checkin");
	assert_int_equal(json_integer_value(json_object_get(d, "close")), 6);
	assert_int_equal(json_integer_value(json_object_get(d, "safe")), 5);
	assert_true(json_is_null(json_object_get(d, "word"))); /* the whole answer is replaced */
	assert_string_equal(json_string_value(json_object_get(d, "day")), today);
	json_decref(j);
	api_error(api(&T, "PUT", path, F.a, &j, "{s:i, s:i}", "close", 11, "safe", 5), j, 400, NULL, "close");
	api_error(api(&T, "PUT", path, F.a, &j, "{s:i, s:i, s:s}", "close", 1, "safe", 5, "day", today), j, 400,
		  "unknown_field", NULL);
	api_error(api(&T, "PUT", "/api/v1/daily-checkins/2026-02-30", F.a, &j, "{s:i, s:i}", "close", 1, "safe", 1),
		  j, 404, "not_found", NULL);
	api_error(api(&T, "PUT", "/api/v1/daily-checkins/today", F.a, &j, "{s:i, s:i}", "close", 1, "safe", 1),
		  j, 404, "not_found", NULL);
	/* ben has none today to change */
	api_error(api(&T, "PUT", path, F.b, &j, "{s:i, s:i}", "close", 1, "safe", 1), j, 404, "not_found", NULL);
	/* once he answers, he sees her changed answers, not the first ones */
	assert_int_equal(check_in(F.b, 0, 5, 5, NULL), 201);
	x = find(F.b, 0, "partner");
	assert_non_null(x);
	assert_int_equal(json_integer_value(json_object_get(x, "close")), 6);
	json_decref(x);
	b_page_has(&T, &B, "/daily", 200, "close 6, safe 5", NULL);
	b_page_lacks(&T, &B, "/daily", "tired");
}

/* How many entries of the insights' daily series, as token sees it, are
 * by who ("me" or "partner") with closeness close. */
static int daily_series(const char *token, const char *who, int close)
{
	json_t *j;
	int k = 0;
	assert_int_equal(api(&T, "GET", "/api/v1/insights", token, &j, NULL), 200);
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(json_object_get(j, "series"), "daily"), i, x)
		if (!strcmp(json_string_value(json_object_get(x, "who")), who) &&
		    json_integer_value(json_object_get(x, "close")) == close)
			k++;
	json_decref(j);
	return k;
}

static void the_insights_read_the_days_by_the_same_rule(void **state)
{
	(void)state;
	struct browser A, B;
	b_login(&T, &A, "ana");
	b_login(&T, &B, "ben");
	b_page_has(&T, &A, "/insights", 200, "Day by day", "href=\"/daily\"", NULL);
	assert_int_equal(check_in(F.a, 0, 9, 2, NULL), 201);
	assert_int_equal(check_in(F.a, 1, 7, 4, NULL), 201);
	assert_int_equal(daily_series(F.a, "me", 9), 1);
	/* hidden from ben until he answers, in the insights too */
	assert_int_equal(daily_series(F.b, "partner", 9), 0);
	b_page_has(&T, &A, "/insights", 200, "You, over the last two weeks: close 8.0 and safe 3.0 out of 10 on "
		   "average (2 days).", NULL);
	b_page_lacks(&T, &B, "/insights", "ana, over the last two weeks");
	assert_int_equal(check_in(F.b, 0, 5, 5, NULL), 201);
	assert_int_equal(daily_series(F.b, "partner", 9), 1);
	assert_int_equal(daily_series(F.b, "partner", 7), 0);
	b_page_has(&T, &B, "/insights", 200, "ana, over the last two weeks: close 9.0 and safe 2.0 out of 10 on "
		   "average (1 day).", "You, over the last two weeks: close 5.0", NULL);
}

/* The daily chart and its table show what the viewer may see, by the
 * same rule: ana's days for her, ben's only once he is revealed to her. */
static void the_daily_chart_shows_what_the_viewer_may_see(void **state)
{
	(void)state;
	struct browser A, B;
	b_login(&T, &A, "ana");
	b_login(&T, &B, "ben");
	assert_int_equal(check_in(F.a, 3, 1, 9, NULL), 201);
	assert_int_equal(check_in(F.a, 0, 9, 2, NULL), 201);
	assert_int_equal(check_in(F.b, 0, 4, 6, NULL), 201); /* both today: revealed */
	assert_int_equal(check_in(F.b, 1, 7, 7, NULL), 201); /* yesterday: hidden from ana until tomorrow */
	char day3[11], row[160];
	couple_day(-3, day3);
	long d3;
	assert_int_equal(date_parse(day3, &d3), 0);
	struct civil c;
	civil_from_days(d3, &c);
	static const char *const M[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	char *page = b_get(&T, &A, "/insights", 200);
	assert_holds(page, "<img src=\"/charts/daily.svg\"", "How close and how safe, by day", NULL);
	snprintf(row, sizeof(row), "<tr><th scope=\"row\">%d %s</th><td>1</td><td>9</td><td>–</td><td>–</td></tr>", c.d,
		 M[c.m - 1]);
	assert_non_null(strstr(page, row));
	assert_non_null(strstr(page, "<td>9</td><td>2</td><td>4</td><td>6</td></tr>")); /* today, both */
	assert_null(strstr(page, "<td>7</td><td>7</td>")); /* ben's hidden day */
	free(page);
	struct req r;
	b_do(&T, &A, &r, "GET", "/charts/daily.svg", NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.content_type, "image/svg+xml"));
	assert_holds(r.out.s, ">How close</text>", ">How safe</text>", "<polyline", NULL);
	req_release(&r);
	/* ben sees his hidden day (it is his) and ana's revealed ones */
	page = b_get(&T, &B, "/insights", 200);
	assert_non_null(strstr(page, "<td>7</td><td>7</td>"));
	assert_non_null(strstr(page, "<td>4</td><td>6</td><td>9</td><td>2</td></tr>"));
	free(page);
}

/* The weekly check-in of a couple made this week asks about these first
 * days, and offers no "last week" before there was one. */
static void a_new_couple_is_not_asked_about_last_week(void **state)
{
	(void)state;
	struct browser A, B;
	b_login(&T, &A, "ana");
	b_login(&T, &B, "ben");
	b_page_has(&T, &A, "/checkins", 200, "Trust in these first days", "Rate how each felt in these first days", NULL);
	b_page_lacks(&T, &A, "/checkins", "last week");
	b_page_lacks(&T, &A, "/checkins", "Last week");
	b_page_lacks(&T, &A, "/checkins", "this week, from 1");
	/* once one of them has a week behind them, it is "this week" again,
	 * and a missed week can be added */
	char lw[9];
	struct isoweek now, last;
	isoweek_of(couple_today(), &now);
	isoweek_of(isoweek_monday(&now) - 7, &last);
	isoweek_format(&last, lw);
	json_t *j;
	assert_int_equal(api(&T, "POST", "/api/v1/checkins", F.a, &j, "{s:s, s:i, s:{s:i, s:i, s:i, s:i, s:i, s:i}}",
			     "week", lw, "connection", 6, "dimensions", "reliability", 6, "emotional_safety", 6,
			     "honesty", 6, "consistency", 6, "respect", 6, "transparency", 6), 201);
	json_decref(j);
	b_page_has(&T, &B, "/checkins", 200, "Trust this week", "Missed last week?", NULL);
	b_page_lacks(&T, &B, "/checkins", "these first days");
}

/* The part of the home page under "For you now", or NULL (malloc'd). */
static char *for_you(struct browser *b)
{
	char *home = b_get(&T, b, "/", 200);
	char *start = strstr(home, "id=\"for-you\"");
	char *out = NULL;
	if (start) {
		char *end = strstr(start, "</section>");
		assert_non_null(end);
		out = strndup(start, (size_t)(end - start));
	}
	free(home);
	return out;
}

/* A promise made to her that is due today, and a share of his waiting to be
 * heard, show at the top of her home until she has done each; not on his,
 * not on another couple's. */
static void what_needs_the_partner_waits_at_the_top(void **state)
{
	(void)state;
	struct browser A, B, D;
	b_login(&T, &A, "ana");
	b_login(&T, &B, "ben");
	b_login(&T, &D, "dan");
	char *top = for_you(&A);
	assert_null(top);
	json_t *j;
	char today[11], tomorrow[11], path[96];
	couple_day(0, today);
	couple_day(1, tomorrow);
	assert_int_equal(api(&T, "POST", "/api/v1/promises", F.b, &j, "{s:s, s:s}", "text", "Call at six", "due", today), 201);
	long long pid = json_integer_value(json_object_get(json_object_get(j, "promise"), "id"));
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/promises", F.b, &j, "{s:s, s:s}", "text", "Not yet due", "due", tomorrow), 201);
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/vulnerabilities", F.b, &j, "{s:s}", "text", "I fear losing you."), 201);
	long long vid = json_integer_value(json_object_get(json_object_get(j, "vulnerability"), "id"));
	json_decref(j);
	top = for_you(&A);
	assert_non_null(top);
	assert_non_null(strstr(top, "Call at six"));
	assert_null(strstr(top, "Not yet due"));
	snprintf(path, sizeof(path), "action=\"/promises/%lld/outcome\"", pid);
	assert_non_null(strstr(top, path));
	assert_non_null(strstr(top, "ben shared something with you."));
	assert_non_null(strstr(top, "I fear losing you."));
	snprintf(path, sizeof(path), "action=\"/sharing/%lld/heard\"", vid);
	assert_non_null(strstr(top, path));
	free(top);
	/* not for him, who made them; not for another couple */
	top = for_you(&B);
	assert_null(top);
	top = for_you(&D);
	assert_null(top);
	b_page_lacks(&T, &D, "/", "Call at six");
	/* heard: the share leaves the top, the promise stays */
	snprintf(path, sizeof(path), "/sharing/%lld/heard", vid);
	assert_int_equal(b_post(&T, &A, path, "", NULL, NULL), 303);
	top = for_you(&A);
	assert_non_null(top);
	assert_null(strstr(top, "I fear losing you."));
	assert_non_null(strstr(top, "Call at six"));
	free(top);
	/* said how it went: nothing waits any more */
	snprintf(path, sizeof(path), "/promises/%lld/outcome", pid);
	char form[64];
	snprintf(form, sizeof(form), "kept=yes&note-%lld=Thank+you", pid);
	assert_int_equal(b_post(&T, &A, path, form, NULL, NULL), 303);
	top = for_you(&A);
	assert_null(top);
}

/* An agreement's text and a transparency plan that ben proposed wait at
 * the top of ana's home, each with its link, until she answers; not on
 * his, not on another couple's. A change he proposes later waits again. */
static void proposals_wait_at_the_top_until_answered(void **state)
{
	(void)state;
	struct browser A, B, D;
	b_login(&T, &A, "ana");
	b_login(&T, &B, "ben");
	b_login(&T, &D, "dan");
	json_t *j;
	char path[96], ends[11];
	assert_int_equal(api(&T, "POST", "/api/v1/agreements", F.b, &j, "{s:s, s:s}", "topic", "Money & <us>",
			     "text", "We tell each other about anything over 100."), 201);
	long long ag = json_integer_value(json_object_get(json_object_get(j, "agreement"), "id"));
	json_decref(j);
	couple_day(30, ends);
	assert_int_equal(api(&T, "POST", "/api/v1/transparency", F.b, &j, "{s:s, s:[s], s:s}", "password",
			     TEST_PASSWORD, "shares", "plans", "ends_on", ends), 201);
	long long plan = json_integer_value(json_object_get(json_object_get(j, "plan"), "id"));
	json_decref(j);
	long ends_day;
	assert_int_equal(date_parse(ends, &ends_day), 0);
	char *top = for_you(&A);
	assert_non_null(top);
	/* the title through the escaping writer, the link to answer it */
	assert_non_null(strstr(top, "ben proposed a text for an agreement: <strong>Money &amp; &lt;us&gt;</strong>."));
	snprintf(path, sizeof(path), "href=\"/agreements#agreement-%lld\"", ag);
	assert_non_null(strstr(top, path));
	/* the plan's end in words, and the link to its offer */
	struct arena ar = ARENA_INIT;
	char want[160];
	snprintf(want, sizeof(want), "ben offers a transparency plan, until %s.", words_day(&ar, ends_day));
	arena_release(&ar);
	assert_non_null(strstr(top, want));
	snprintf(path, sizeof(path), "href=\"/transparency#plan-%lld\"", plan);
	assert_non_null(strstr(top, path));
	free(top);
	/* the links lead to the forms that answer them */
	snprintf(path, sizeof(path), "action=\"/agreements/%lld/versions/1/accept\"", ag);
	b_page_has(&T, &A, "/agreements", 200, path, NULL);
	snprintf(path, sizeof(path), "id=\"plan-%lld\"", plan);
	b_page_has(&T, &A, "/transparency", 200, path, "I agree to these terms", NULL);
	/* not for him, who proposed them; not for another couple */
	top = for_you(&B);
	assert_null(top);
	top = for_you(&D);
	assert_null(top);
	/* answered: each leaves the top */
	snprintf(path, sizeof(path), "/api/v1/agreements/%lld/versions/1/accept", ag);
	assert_int_equal(api(&T, "POST", path, F.a, &j, NULL), 200);
	json_decref(j);
	top = for_you(&A);
	assert_non_null(top);
	assert_null(strstr(top, "for an agreement"));
	assert_non_null(strstr(top, "offers a transparency plan"));
	free(top);
	snprintf(path, sizeof(path), "/api/v1/transparency/%lld/decline", plan);
	assert_int_equal(api(&T, "POST", path, F.a, &j, "{s:s}", "word", "Let us talk first."), 200);
	json_decref(j);
	top = for_you(&A);
	assert_null(top);
	/* a change he proposes waits for her again; hers does not wait for her */
	snprintf(path, sizeof(path), "/api/v1/agreements/%lld/versions", ag);
	assert_int_equal(api(&T, "POST", path, F.b, &j, "{s:s}", "text", "Anything over 200."), 201);
	json_decref(j);
	top = for_you(&A);
	assert_non_null(top);
	assert_non_null(strstr(top, "ben proposed a change for an agreement"));
	free(top);
	assert_int_equal(api(&T, "POST", "/api/v1/agreements", F.a, &j, "{s:s, s:s}", "topic", "friendships",
			     "text", "Evenings at home for now."), 201);
	json_decref(j);
	top = for_you(&A);
	assert_non_null(top);
	assert_null(strstr(top, "Friendships"));
	free(top);
	top = for_you(&B);
	assert_non_null(top);
	assert_non_null(strstr(top, "ana proposed a text for an agreement: <strong>Friendships</strong>."));
	free(top);
}

static void authorization_matrix(void **state)
{
	(void)state;
	const char *viewers[] = { NULL, F.a, F.b, F.d, F.op };
	const char *names[] = { "anonymous", "partner A", "partner B", "other couple", "operator" };
	char today[11], today_path[64];
	couple_day(0, today);
	snprintf(today_path, sizeof(today_path), "/api/v1/daily-checkins/%s", today);
	struct cell { const char *method, *path, *body; int want[5]; } cells[] = {
		/*                                                                      anon  A    B    D    op */
		{ "POST", "/api/v1/daily-checkins", "{\"close\":4,\"safe\":6,\"word\":\"ours\"}", { 401, 201, 201, 201, 409 } },
		{ "GET", "/api/v1/daily-checkins", NULL,                                { 401, 200, 200, 200, 409 } },
		{ "POST", "/api/v1/daily-checkins", "{\"close\":4,\"safe\":6}",         { 401, 409, 409, 409, 409 } },
		{ "PUT", today_path, "{\"close\":5,\"safe\":7,\"word\":\"ours\"}",      { 401, 200, 200, 200, 409 } },
	};
	for (size_t c = 0; c < sizeof(cells) / sizeof(*cells); c++) {
		for (int v = 0; v < 5; v++) {
			json_t *j;
			int st = api_raw(&T, cells[c].method, cells[c].path, viewers[v], &j, cells[c].body);
			json_decref(j);
			if (st != cells[c].want[v])
				fail_msg("%s %s as %s: got %d, want %d", cells[c].method, cells[c].path, names[v], st,
					 cells[c].want[v]);
		}
	}
	/* what D lists is D's own; A and B see each other's, never D's */
	json_t *x = find(F.d, 0, "partner");
	assert_null(x);
	x = find(F.d, 0, "me");
	assert_non_null(x);
	json_decref(x);
	x = find(F.a, 0, "partner");
	assert_non_null(x);
	assert_string_equal(json_string_value(json_object_get(x, "word")), "ours");
	json_decref(x);
	json_t *j;
	assert_int_equal(api(&T, "GET", "/api/v1/daily-checkins", F.a, &j, NULL), 200);
	assert_int_equal(json_array_size(json_object_get(j, "daily_checkins")), 2);
	json_decref(j);
	/* the page: the operator has no couple to check in for, and is sent on */
	struct browser A;
	b_login(&T, &A, "opr");
	struct req r;
	int st = b_do(&T, &A, &r, "GET", "/daily", NULL);
	req_release(&r);
	assert_int_equal(st, 303);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(todays_answers_stay_hidden_until_the_partner_answers, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(a_day_opens_the_day_after_it_whatever_happens, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(bodies_are_checked_field_by_field, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(the_page_and_the_home_card_work_without_javascript, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(todays_answers_can_change_that_day_only, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(the_insights_read_the_days_by_the_same_rule, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(the_daily_chart_shows_what_the_viewer_may_see, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(a_new_couple_is_not_asked_about_last_week, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(what_needs_the_partner_waits_at_the_top, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(proposals_wait_at_the_top_until_answered, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(authorization_matrix, couple_setup, couple_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
