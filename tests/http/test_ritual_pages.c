/* test_ritual_pages.c: the ritual pages as a phone browser without
 * JavaScript uses them: the check-in form (labelled radio scales), an error
 * that keeps what was typed, the reveal seen from both sides, editing until
 * revealed, past weeks side by side, appreciation, sharing with only an
 * "I heard you" button, time together, the schedule and the calendar link,
 * the home page's "what is due", escaping of everything a partner
 * writes, and every reader's view for a partner and for another couple. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "apiclient.h"
#include "browser.h"
#include "base/caltime.h"


static struct browser A, B, D, OP;

/* The couple in New York, each partner and the operator logged in. */
static int setup(void **state)
{
	(void)state;
	couple_open("America/New_York");
	b_login(&T, &A, "ana");
	b_login(&T, &B, "ben");
	b_login(&T, &D, "dan");
	b_login(&T, &OP, "opr");
	return 0;
}

static const char *location(struct req *r)
{
	return thttp_header(r, "Location");
}

static const char *ALL_SCORES =
	"connection=7&reliability=6&emotional_safety=5&honesty=6&consistency=4&respect=8&transparency=3";

static void checking_in_and_the_reveal_through_pages(void **state)
{
	(void)state;
	struct req r;
	char wk[9], want[64], form[1024];
	struct isoweek w;
	isoweek_of(tz_day(tz_get("America/New_York"), time(NULL)), &w);
	isoweek_format(&w, wk);

	/* the form: labelled radio scales, optional signs with a skip, texts */
	b_page_has(&T, &A, "/checkins", 200, "<fieldset class=\"scale\" id=\"s-connection\"><legend>",
		 "<label><input type=\"radio\" name=\"connection\" value=\"10\"> 10</label>",
		 "name=\"transparency\" value=\"1\" required", "Emotional safety",
		 "<input type=\"radio\" name=\"warm_moments\" value=\"\" checked> Skip",
		 "<label for=\"f-need\">What you need next week</label>",
		 "aria-label=\"Rituals\"", NULL);

	/* without the CSRF token: refused */
	assert_int_equal(b_do(&T, &A, &r, "POST", "/checkins", "connection=7"), 403);
	req_release(&r);

	/* a missing answer: the form again, with what was typed kept */
	snprintf(form, sizeof(form), "week=%s&connection=7&reliability=6&emotional_safety=5&consistency=4&"
				     "respect=8&transparency=3&increased=Kept+words&listened_to=4", wk);
	assert_int_equal(b_submit(&T, &A, &r, "/checkins", form), 400);
	assert_holds(r.out.s, "Please choose a number for Honesty.", "name=\"connection\" value=\"7\" checked",
		     "name=\"listened_to\" value=\"4\" checked", ">Kept words</textarea>", NULL);
	req_release(&r);

	/* the whole check-in: saved, back to the week */
	snprintf(form, sizeof(form), "week=%s&%s&increased=%%3Cb%%3EYou+held+my+hand%%3C%%2Fb%%3E&need=A+walk", wk,
		 ALL_SCORES);
	assert_int_equal(b_submit(&T, &A, &r, "/checkins", form), 303);
	snprintf(want, sizeof(want), "/checkins?week=%s&saved=1", wk);
	assert_string_equal(location(&r), want);
	req_release(&r);
	b_page_has(&T, &A, "/checkins", 200, "Your answers are in.", "Save my changes",
		 "&lt;b&gt;You held my hand&lt;/b&gt;</textarea>", NULL);

	/* B: told A is waiting, shown nothing of A's answers */
	b_page_has(&T, &B, "/checkins", 200, "ana has checked in for this week. Their answers open once you add yours.",
		 NULL);
	b_page_lacks(&T, &B, "/checkins", "held my hand");
	b_page_lacks(&T, &B, "/checkins/history", "held my hand");
	b_page_has(&T, &B, "/", 200, "id=\"due-checkin\"", "ana has checked in and is waiting for yours.", NULL);

	/* A changes it while it is hidden */
	snprintf(form, sizeof(form), "week=%s&%s&increased=%%3Cb%%3EYou+held+my+hand%%3C%%2Fb%%3E&need=A+long+walk",
		 wk, ALL_SCORES);
	assert_int_equal(b_submit(&T, &A, &r, "/checkins", form), 303);
	req_release(&r);

	/* B checks in: both see both, side by side */
	snprintf(form, sizeof(form), "week=%s&connection=5&reliability=5&emotional_safety=5&honesty=5&"
				     "consistency=5&respect=5&transparency=5&safer_talking=3&decreased=Tuesday+night", wk);
	assert_int_equal(b_submit(&T, &B, &r, "/checkins", form), 303);
	req_release(&r);
	b_page_has(&T, &B, "/checkins", 200, "<table class=\"side-by-side\">", "&lt;b&gt;You held my hand&lt;/b&gt;",
		 "A long walk", "Tuesday night", NULL);
	b_page_lacks(&T, &B, "/checkins", "<b>You held");
	b_page_has(&T, &A, "/checkins", 200, "Tuesday night", "<th scope=\"col\">ben</th>", NULL);
	b_page_has(&T, &A, "/", 200, "You have both checked in this week.", NULL);

	/* revealed: no more changes */
	assert_int_equal(b_submit(&T, &A, &r, "/checkins", form), 409);
	assert_non_null(strstr(r.out.s, "can see this check-in now"));
	req_release(&r);
	b_page_has(&T, &A, "/checkins", 200, "A long walk", NULL);

	/* past weeks, side by side */
	b_page_has(&T, &A, "/checkins/history", 200, "Past weeks", "A long walk", "Tuesday night",
		   "These are your first weeks of check-ins.", NULL);
	/* no way back into weeks with nothing in them */
	b_page_lacks(&T, &A, "/checkins/history", "Earlier weeks");
	b_page_has(&T, &A, "/checkins?week=2026-W99", 404, NULL);
	b_page_has(&T, &A, "/checkins?week=soon", 404, NULL);

	/* the other couple sees an empty history that says what it is for */
	b_page_has(&T, &D, "/checkins/history", 200, "Your weekly check-ins gather here", NULL);
	b_page_lacks(&T, &D, "/checkins/history", "A long walk");
	/* no couple, no rituals: to the couple page; nobody: to log in */
	b_page_has(&T, &OP, "/checkins", 303, NULL);
	struct browser anon = { "", "" };
	b_page_has(&T, &anon, "/checkins", 303, NULL);
	b_page_has(&T, &anon, "/appreciations", 303, NULL);
}

static void appreciation_sharing_and_time_together_through_pages(void **state)
{
	(void)state;
	struct req r;
	char path[96];

	/* appreciation: empty is refused calmly, then shared and seen at once */
	b_page_has(&T, &A, "/appreciations", 200, "Today I appreciate about ben", NULL);
	assert_int_equal(b_submit(&T, &A, &r, "/appreciations", "text="), 400);
	assert_non_null(strstr(r.out.s, "Please write one thing you appreciate."));
	req_release(&r);
	assert_int_equal(b_submit(&T, &A, &r, "/appreciations", "text=The+way+you+%3Cem%3Elaughed%3C%2Fem%3E"), 303);
	assert_string_equal(location(&r), "/appreciations?saved=1");
	req_release(&r);
	b_page_has(&T, &A, "/appreciations", 200, "You have shared today's appreciation.", NULL);
	b_page_has(&T, &B, "/appreciations", 200, "The way you &lt;em&gt;laughed&lt;/em&gt;", NULL);
	b_page_has(&T, &B, "/", 200, "ana wrote one for you today.", NULL);
	assert_int_equal(b_submit(&T, &A, &r, "/appreciations", "text=Again"), 409);
	req_release(&r);

	/* sharing: B can only say they heard it */
	assert_int_equal(b_submit(&T, &A, &r, "/sharing", "kind=fear&text=I+am+afraid+of+December."), 303);
	req_release(&r);
	b_page_has(&T, &B, "/", 200, "id=\"due-sharing\"", "ana shared something with you.", NULL);
	assert_int_equal(b_do(&T, &B, &r, "GET", "/sharing", NULL), 200);
	const char *card = strstr(r.out.s, "I am afraid of December.");
	assert_non_null(card);
	b_form_action(r.out.s, "/sharing/", path, sizeof(path));
	assert_non_null(strstr(path, "/heard"));
	assert_non_null(strstr(r.out.s, "I heard you</button>"));
	/* one textarea on the page: B's own share form, no reply box */
	const char *t1 = strstr(r.out.s, "<textarea");
	assert_non_null(t1);
	assert_null(strstr(t1 + 1, "<textarea"));
	assert_non_null(strstr(t1, "name=\"text\""));
	assert_true(t1 > strstr(r.out.s, "<h2>Share something</h2>"));
	req_release(&r);
	assert_int_equal(b_submit(&T, &A, &r, path, ""), 403); /* not one's own */
	req_release(&r);
	assert_int_equal(b_submit(&T, &D, &r, path, ""), 404); /* not another couple's */
	req_release(&r);
	assert_int_equal(b_submit(&T, &B, &r, path, ""), 303);
	req_release(&r);
	b_page_has(&T, &A, "/sharing", 200, "ben heard this on", NULL);
	b_page_lacks(&T, &B, "/", "id=\"due-sharing\"");
	b_page_lacks(&T, &D, "/sharing", "December");
	assert_int_equal(b_submit(&T, &A, &r, "/sharing", "kind=rage&text=x"), 400);
	assert_non_null(strstr(r.out.s, ">x</textarea>"));
	req_release(&r);

	/* time together */
	assert_int_equal(b_submit(&T, &A, &r, "/together", "day=2026-01-05&minutes=0&kind=walk&note=Kept+note"), 400);
	assert_holds(r.out.s, "Minutes can be from 1 to 1440.", ">Kept note</textarea>", NULL);
	req_release(&r);
	char form[256], d[11];
	date_format(tz_day(tz_get("America/New_York"), time(NULL)), d);
	snprintf(form, sizeof(form), "day=%s&minutes=50&kind=date&note=Pizza", d);
	assert_int_equal(b_submit(&T, &A, &r, "/together", form), 303);
	req_release(&r);
	b_page_has(&T, &B, "/together", 200, "50 minutes together", "Pizza", "A date", NULL);
	b_page_has(&T, &D, "/together", 200, "Nothing yet.", NULL);
}

static void the_schedule_and_the_calendar_link_through_pages(void **state)
{
	(void)state;
	struct req r;
	b_page_has(&T, &A, "/rituals", 200, "<select id=\"f-checkin_weekday\" name=\"checkin_weekday\">",
		 "<option value=\"sunday\" selected>Sunday</option>", "Make my calendar link",
		 "name=\"hard_date_reminder_time\"", "value=\"18:00\"", NULL);
	assert_int_equal(b_submit(&T, &A, &r, "/rituals", "checkin_weekday=friday&checkin_time=07%3A30&appreciation_time=21%3A00"
					      "&vulnerability_weekday=wednesday&vulnerability_time=20%3A00"
					      "&connection_weekday=&connection_time=11%3A00&reminder_minutes=15"
					      "&hard_date_reminder_time=06%3A45"), 303);
	req_release(&r);
	b_page_has(&T, &B, "/rituals", 200, "<option value=\"friday\" selected>Friday</option>", "value=\"07:30\"",
		 "<option value=\"\" selected>No fixed day</option>", "value=\"06:45\"", NULL);
	b_page_lacks(&T, &B, "/rituals", "value=\"18:00\"");
	assert_int_equal(b_submit(&T, &A, &r, "/rituals", "checkin_weekday=friday&checkin_time=07%3A30&appreciation_time=21%3A00"
					      "&vulnerability_weekday=wednesday&vulnerability_time=20%3A00"
					      "&connection_weekday=&connection_time=11%3A00&reminder_minutes=15"
					      "&hard_date_reminder_time=6pm"), 400);
	req_release(&r);
	assert_int_equal(b_submit(&T, &A, &r, "/rituals", "checkin_weekday=friday&checkin_time=7pm&appreciation_time=21%3A00"
					      "&vulnerability_weekday=wednesday&vulnerability_time=20%3A00"
					      "&connection_weekday=&connection_time=11%3A00&reminder_minutes=15"), 400);
	req_release(&r);

	/* the calendar link is shown once, works without a login, then stops */
	assert_int_equal(b_submit(&T, &A, &r, "/rituals/calendar", ""), 200);
	const char *u = strstr(r.out.s, "id=\"calendar-url\">");
	assert_non_null(u);
	const char *p = strstr(u, "/calendar/");
	assert_non_null(p);
	char feed[128];
	snprintf(feed, sizeof(feed), "%.*s", (int)strcspn(p, "<"), p);
	assert_non_null(strstr(r.out.s, "Make a new link"));
	req_release(&r);
	struct browser anon = { "", "" };
	b_page_has(&T, &anon, feed, 200, "SUMMARY:Check-in", "BYDAY=FR", NULL);
	b_page_has(&T, &A, "/rituals", 200, "Your calendar link is on.", NULL);
	b_page_lacks(&T, &A, "/rituals", feed); /* never shown again */
	assert_int_equal(b_submit(&T, &A, &r, "/rituals/calendar/delete", ""), 303);
	req_release(&r);
	b_page_has(&T, &anon, feed, 404, NULL);
	b_page_has(&T, &A, "/rituals?feed=off", 200, "Your calendar link is off.", "Make my calendar link", NULL);
}

/* Every reader of the ritual records (each page, the home page's cards)
 * shows a viewer only what they may see: partner B sees that A has
 * written, and A's words only where the rule allows; D, of another couple,
 * sees nothing of A's at all. */
static void each_reader_shows_only_what_the_viewer_may_see(void **state)
{
	(void)state;
	struct req r;
	char wk[9], form[1024], d[11];
	struct isoweek w;
	long today = tz_day(tz_get("America/New_York"), time(NULL));
	isoweek_of(today, &w);
	isoweek_format(&w, wk);
	date_format(today, d);

	snprintf(form, sizeof(form), "week=%s&%s&increased=Ana+checkin+words", wk, ALL_SCORES);
	assert_int_equal(b_submit(&T, &A, &r, "/checkins", form), 303);
	req_release(&r);
	assert_int_equal(b_submit(&T, &A, &r, "/appreciations", "text=Ana+appreciation+words"), 303);
	req_release(&r);
	assert_int_equal(b_submit(&T, &A, &r, "/sharing", "kind=hope&text=Ana+sharing+words"), 303);
	req_release(&r);
	snprintf(form, sizeof(form), "day=%s&minutes=30&kind=walk&note=Ana+together+words", d);
	assert_int_equal(b_submit(&T, &A, &r, "/together", form), 303);
	req_release(&r);

	/* B: the check-in stays hidden until B checks in; the rest is shared */
	b_page_has(&T, &B, "/", 200, "ana has checked in and is waiting for yours.", "ana wrote one for you today.",
		 "id=\"due-sharing\"", NULL);
	b_page_lacks(&T, &B, "/checkins", "Ana checkin words");
	b_page_lacks(&T, &B, "/checkins/history", "Ana checkin words");
	b_page_has(&T, &B, "/appreciations", 200, "Ana appreciation words", NULL);
	b_page_has(&T, &B, "/sharing", 200, "Ana sharing words", NULL);
	b_page_has(&T, &B, "/together", 200, "Ana together words", NULL);

	/* A: their own share is not waiting for A */
	b_page_lacks(&T, &A, "/", "id=\"due-sharing\"");
	b_page_has(&T, &A, "/", 200, "You have written today's appreciation.", NULL);

	/* D: nothing of A's, anywhere */
	static const char *const paths[] = { "/", "/checkins", "/checkins/history", "/appreciations", "/sharing",
					     "/together", "/insights" };
	static const char *const words[] = { "Ana checkin words", "Ana appreciation words", "Ana sharing words",
					     "Ana together words", "ana has checked in", "ana wrote one",
					     "id=\"due-sharing\"", ">ana<" };
	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++)
		for (size_t k = 0; k < sizeof(words) / sizeof(*words); k++)
			b_page_lacks(&T, &D, paths[i], words[k]);
	b_page_has(&T, &D, "/", 200, "<strong>This week's check-in</strong> is open.", NULL);
}

/* The menu between the ritual pages marks the page one is on for a screen
 * reader, as markup (not as escaped text inside the link). */
static void the_ritual_menu_marks_the_current_page(void **state)
{
	(void)state;
	static const char *const paths[] = { "/checkins", "/checkins/history", "/appreciations", "/sharing",
					     "/together", "/rituals" };
	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++) {
		char want[96];
		snprintf(want, sizeof(want), "<a href=\"%s\" aria-current=\"page\">", paths[i]);
		b_page_has(&T, &A, paths[i], 200, "<nav class=\"menu\" aria-label=\"Rituals\">", want, NULL);
		b_page_lacks(&T, &A, paths[i], "aria-current=&quot;");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(checking_in_and_the_reveal_through_pages, setup, couple_teardown),
		cmocka_unit_test_setup_teardown(appreciation_sharing_and_time_together_through_pages, setup, couple_teardown),
		cmocka_unit_test_setup_teardown(the_schedule_and_the_calendar_link_through_pages, setup, couple_teardown),
		cmocka_unit_test_setup_teardown(each_reader_shows_only_what_the_viewer_may_see, setup, couple_teardown),
		cmocka_unit_test_setup_teardown(the_ritual_menu_marks_the_current_page, setup, couple_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
