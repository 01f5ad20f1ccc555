/* test_records.c: the records through the real routes: the plan
 * shown with a trigger, private and shared triggers, hard dates across
 * year ends and leap days, disclosures that count as setbacks, no contact,
 * who may record a promise's outcome, wins, setbacks and the timeline, the
 * private journal (404 for everyone else), the authorization matrix, a
 * canary proving journal text never reaches the disk or the log in
 * plaintext, a second one proving the same of scores, kinds and prompts,
 * and the pages as a browser without JavaScript uses them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <strings.h>
#include <unistd.h>

#include <sodium.h>

#include "apiclient.h"
#include "browser.h"
#include "auth/session.h"
#include "base/caltime.h"
#include "base/log.h"
#include "features/harddate.h"
#include "features/notes.h"
#include "features/promise.h"
#include "features/record_setting.h"
#include "features/trigger.h"


static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static long long num(json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

/* Asserts a 400 with code and field. */
#define BAD(st, j, code, field) api_error(st, j, 400, code, field)

/* token accepts the open proposal of plan (a plan as JSON); asserts 200. */
static void accept_plan(const char *token, json_t *plan)
{
	char path[96];
	json_t *j;
	snprintf(path, sizeof(path), "/api/v1/trigger-plans/%lld/versions/%lld/accept", num(plan, "id"),
		 num(json_object_get(plan, "proposal"), "version"));
	assert_int_equal(api(&T, "POST", path, token, &j, NULL), 200);
	assert_string_equal(str(json_object_get(j, "plan"), "status"), "in_force");
	json_decref(j);
}

/* ---- triggers ---- */

static void logging_a_trigger_shows_the_matching_plan(void **state)
{
	(void)state;
	json_t *j;
	assert_int_equal(api(&T, "POST", "/api/v1/trigger-plans", F.a, &j, "{s:s, s:s, s:s}", "kind", "place",
			     "needs", "Hold my hand and stay", "response", "Ben stays close and answers every question"), 201);
	long long plan_id = num(json_object_get(j, "plan"), "id");
	/* proposed, not in force until Ben accepts it */
	assert_string_equal(str(json_object_get(j, "plan"), "status"), "proposed");
	assert_true(json_is_null(json_object_get(json_object_get(j, "plan"), "needs")));
	assert_string_equal(str(json_object_get(json_object_get(j, "plan"), "proposal"), "needs"), "Hold my hand and stay");
	accept_plan(F.b, json_object_get(j, "plan"));
	json_decref(j);
	/* one plan per kind */
	api_error(api(&T, "POST", "/api/v1/trigger-plans", F.b, &j, "{s:s, s:s, s:s}", "kind", "place",
		      "needs", "x", "response", "y"), j, 409, "plan_exists", NULL);

	assert_int_equal(api(&T, "POST", "/api/v1/triggers", F.a, &j, "{s:s, s:s, s:i, s:s, s:s, s:b}", "at",
			     "2025-06-01T18:30:00Z", "kind", "place", "intensity", 7, "what", "We drove past the hotel",
			     "handled", "We stopped and talked", "plan_helped", 1), 201);
	json_t *t = json_object_get(j, "trigger"), *p = json_object_get(j, "plan");
	assert_string_equal(str(t, "kind"), "place");
	assert_int_equal(num(t, "intensity"), 7);
	assert_string_equal(str(t, "what"), "We drove past the hotel");
	assert_string_equal(str(t, "visibility"), "shared");
	assert_string_equal(str(t, "day"), "2025-06-01");
	assert_true(json_is_true(json_object_get(t, "plan_helped")));
	assert_int_equal(num(p, "id"), plan_id);
	assert_string_equal(str(p, "response"), "Ben stays close and answers every question");
	json_decref(j);

	/* a kind without a plan: plan null */
	assert_int_equal(api(&T, "POST", "/api/v1/triggers", F.a, &j, "{s:s, s:s, s:i, s:s}", "at",
			     "2025-06-02T23:30:00Z", "kind", "name", "intensity", 4, "what", "Heard the name"), 201);
	assert_true(json_is_null(json_object_get(j, "plan")));
	/* the day is the couple's: 23:30 UTC in summer is already the 3rd in London */
	assert_string_equal(str(json_object_get(j, "trigger"), "day"), "2025-06-03");
	json_decref(j);

	/* B changes the plan; D cannot touch it */
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/trigger-plans/%lld", plan_id);
	assert_int_equal(api(&T, "PUT", path, F.b, &j, "{s:s, s:s}", "needs", "Stay with me", "response", "I stay"), 200);
	/* the plan in force stays until Ana accepts the change */
	assert_string_equal(str(json_object_get(j, "plan"), "needs"), "Hold my hand and stay");
	accept_plan(F.a, json_object_get(j, "plan"));
	json_decref(j);
	assert_int_equal(api(&T, "PUT", path, F.d, &j, "{s:s, s:s}", "needs", "x", "response", "y"), 404);
	json_decref(j);
	assert_int_equal(api_count(&T, "/api/v1/trigger-plans", F.d, "plans"), 0);
	assert_int_equal(api(&T, "GET", "/api/v1/trigger-plans", F.a, &j, NULL), 200);
	assert_int_equal(json_array_size(json_object_get(j, "plans")), 1);
	assert_string_equal(str(json_array_get(json_object_get(j, "plans"), 0), "needs"), "Stay with me");
	json_decref(j);
}

static void trigger_input_is_checked(void **state)
{
	(void)state;
	json_t *j;
	char *big = text_of_length('a', 4001);
	BAD(api(&T, "POST", "/api/v1/triggers", F.a, &j, "{s:s, s:s, s:i, s:s, s:i}", "at", "2025-06-01T10:00:00Z",
		"kind", "place", "intensity", 5, "what", "x", "mood", 1), j, "unknown_field", "mood");
	BAD(api(&T, "POST", "/api/v1/triggers", F.a, &j, "{s:s, s:s, s:i, s:s}", "at", "2025-06-01T10:00:00Z",
		"kind", "place", "intensity", 11, "what", "x"), j, "invalid_field", "intensity");
	BAD(api(&T, "POST", "/api/v1/triggers", F.a, &j, "{s:s, s:s, s:i, s:s}", "at", "2025-06-01T10:00:00Z",
		"kind", "place", "intensity", 0, "what", "x"), j, "invalid_field", "intensity");
	BAD(api(&T, "POST", "/api/v1/triggers", F.a, &j, "{s:s, s:s, s:s, s:s}", "at", "2025-06-01T10:00:00Z",
		"kind", "place", "intensity", "5", "what", "x"), j, "invalid_field", "intensity");
	BAD(api(&T, "POST", "/api/v1/triggers", F.a, &j, "{s:s, s:s, s:i, s:s}", "at", "yesterday",
		"kind", "place", "intensity", 5, "what", "x"), j, "invalid_field", "at");
	BAD(api(&T, "POST", "/api/v1/triggers", F.a, &j, "{s:s, s:s, s:i, s:s}", "at", "2999-01-01T10:00:00Z",
		"kind", "place", "intensity", 5, "what", "x"), j, "invalid_field", "at");
	BAD(api(&T, "POST", "/api/v1/triggers", F.a, &j, "{s:s, s:s, s:i, s:s}", "at", "2025-06-01T10:00:00Z",
		"kind", "smell", "intensity", 5, "what", "x"), j, "invalid_field", "kind");
	BAD(api(&T, "POST", "/api/v1/triggers", F.a, &j, "{s:s, s:s, s:i, s:s}", "at", "2025-06-01T10:00:00Z",
		"kind", "place", "intensity", 5, "what", big), j, "too_long", "what");
	BAD(api(&T, "POST", "/api/v1/triggers", F.a, &j, "{s:s, s:s, s:i, s:s, s:s}", "at", "2025-06-01T10:00:00Z",
		"kind", "place", "intensity", 5, "what", "x", "visibility", "public"), j, "invalid_field", "visibility");
	BAD(api(&T, "POST", "/api/v1/triggers", F.a, &j, "{s:s, s:s, s:i, s:s, s:s}", "at", "2025-06-01T10:00:00Z",
		"kind", "place", "intensity", 5, "what", "x", "plan_helped", "yes"), j, "invalid_field", "plan_helped");
	BAD(api(&T, "POST", "/api/v1/triggers", F.a, &j, "{s:s, s:s, s:i}", "at", "2025-06-01T10:00:00Z",
		"kind", "place", "intensity", 5), j, "missing_field", "what");
	BAD(api(&T, "GET", "/api/v1/triggers?from=2025-13-01", F.a, &j, NULL), j, "invalid_field", "from");
	BAD(api(&T, "POST", "/api/v1/trigger-plans", F.a, &j, "{s:s, s:s, s:s}", "kind", "x", "needs", "a",
		"response", "b"), j, "invalid_field", "kind");
	BAD(api(&T, "POST", "/api/v1/trigger-plans", F.a, &j, "{s:s, s:s, s:s}", "kind", "place", "needs", big,
		"response", "b"), j, "too_long", "needs");
	/* exactly 4,000 characters is fine */
	big[4000] = '\0';
	assert_int_equal(api(&T, "POST", "/api/v1/triggers", F.a, &j, "{s:s, s:s, s:i, s:s}", "at",
			     "2025-06-01T10:00:00Z", "kind", "place", "intensity", 5, "what", big), 201);
	json_decref(j);
	free(big);
	/* nothing from the refused ones was stored */
	assert_int_equal(api_count(&T, "/api/v1/triggers", F.a, "triggers"), 1);
}

static void private_triggers_are_the_authors_alone(void **state)
{
	(void)state;
	json_t *j;
	assert_int_equal(api(&T, "POST", "/api/v1/triggers", F.a, &j, "{s:s, s:s, s:i, s:s, s:s}", "at",
			     "2025-03-01T10:00:00Z", "kind", "media", "intensity", 6, "what", "A film scene",
			     "visibility", "private"), 201);
	assert_string_equal(str(json_object_get(j, "trigger"), "visibility"), "private");
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/triggers", F.a, &j, "{s:s, s:s, s:i, s:s}", "at",
			     "2025-04-01T10:00:00Z", "kind", "date", "intensity", 3, "what", "Her birthday"), 201);
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/triggers", F.a, &j, NULL), 200);
	assert_int_equal(json_array_size(json_object_get(j, "triggers")), 2);
	assert_string_equal(str(json_array_get(json_object_get(j, "triggers"), 0), "what"), "A film scene");
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/triggers", F.b, &j, NULL), 200);
	assert_int_equal(json_array_size(json_object_get(j, "triggers")), 1);
	assert_string_equal(str(json_array_get(json_object_get(j, "triggers"), 0), "what"), "Her birthday");
	assert_false(json_is_true(json_object_get(json_array_get(json_object_get(j, "triggers"), 0), "mine")));
	json_decref(j);
	assert_int_equal(api_count(&T, "/api/v1/triggers", F.d, "triggers"), 0);
	/* the date range is in days, inclusive */
	assert_int_equal(api_count(&T, "/api/v1/triggers?from=2025-03-15&to=2025-04-01", F.a, "triggers"), 1);
}

/* ---- hard dates ---- */

struct seen {
	long days[16];
	int n;
};

static int collect(void *arg, long long id, long day, bool yearly)
{
	struct seen *s = arg;
	(void)id;
	(void)yearly;
	if (s->n < 16)
		s->days[s->n++] = day;
	return 0;
}

static long D(const char *s)
{
	long d;
	assert_int_equal(date_parse(s, &d), 0);
	return d;
}

static void hard_dates_cross_year_ends_and_leap_days(void **state)
{
	(void)state;
	json_t *j;
	struct { const char *date, *label; int yearly; } hd[] = {
		{ "2020-01-05", "The day we found out", 1 },
		{ "2020-12-28", "Her birthday", 1 },
		{ "2024-02-29", "The trip", 1 },
		{ "2027-01-10", "The court date", 0 },
		{ "2027-06-01", "Moving day", 0 },
	};
	for (size_t i = 0; i < sizeof(hd) / sizeof(*hd); i++) {
		assert_int_equal(api(&T, "POST", "/api/v1/hard-dates", F.a, &j, "{s:s, s:s, s:b}", "date", hd[i].date,
				     "label", hd[i].label, "yearly", hd[i].yearly), 201);
		assert_string_equal(str(json_object_get(j, "hard_date"), "label"), hd[i].label);
		json_decref(j);
	}
	long long cid = api_couple_id(&T, F.a);
	sqlite3 *c = db_reader(&T.app.db);
	struct seen s = { { 0 }, 0 };
	/* from before Christmas into the new year */
	assert_int_equal(hard_dates_upcoming(c, cid, D("2026-12-20"), D("2027-01-19"), collect, &s), SQLITE_OK);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.days[0], D("2026-12-28"));
	assert_int_equal(s.days[1], D("2027-01-05"));
	assert_int_equal(s.days[2], D("2027-01-10"));
	/* 29 February falls on the 28th in a common year, on the 29th in a leap year */
	s.n = 0;
	assert_int_equal(hard_dates_upcoming(c, cid, D("2027-02-01"), D("2027-03-31"), collect, &s), SQLITE_OK);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.days[0], D("2027-02-28"));
	s.n = 0;
	assert_int_equal(hard_dates_upcoming(c, cid, D("2028-02-01"), D("2028-03-31"), collect, &s), SQLITE_OK);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.days[0], D("2028-02-29"));
	/* a yearly date does not appear before it first happened */
	s.n = 0;
	assert_int_equal(hard_dates_upcoming(c, cid, D("2019-01-01"), D("2019-12-31"), collect, &s), SQLITE_OK);
	assert_int_equal(s.n, 0);
	/* a window over two year ends sees a yearly date twice */
	s.n = 0;
	assert_int_equal(hard_dates_upcoming(c, cid, D("2025-01-01"), D("2026-01-31"), collect, &s), SQLITE_OK);
	int fives = 0;
	for (int i = 0; i < s.n; i++)
		fives += s.days[i] == D("2025-01-05") || s.days[i] == D("2026-01-05");
	assert_int_equal(fives, 2);
	/* another couple's window is empty */
	s.n = 0;
	assert_int_equal(hard_dates_upcoming(c, api_couple_id(&T, F.d), D("2020-01-01"), D("2030-01-01"), collect, &s),
			 SQLITE_OK);
	assert_int_equal(s.n, 0);
}

static void upcoming_hard_dates_are_announced_with_the_plan(void **state)
{
	(void)state;
	json_t *j;
	char soon[11], later[11];
	couple_day(3, soon);
	couple_day(40, later);
	assert_int_equal(api(&T, "POST", "/api/v1/hard-dates", F.b, &j, "{s:s, s:s, s:b}", "date", soon, "label",
			     "The anniversary of the first lie", "yearly", 0), 201);
	assert_int_equal(num(json_object_get(j, "hard_date"), "days_until"), 3);
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/hard-dates", F.b, &j, "{s:s, s:s}", "date", later, "label",
			     "A long way off"), 201);
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/hard-dates?upcoming_days=5", F.a, &j, NULL), 200);
	assert_int_equal(json_array_size(json_object_get(j, "hard_dates")), 1);
	assert_string_equal(str(json_array_get(json_object_get(j, "hard_dates"), 0), "next"), soon);
	assert_int_equal(num(j, "notice_days"), 30);
	json_decref(j);
	assert_int_equal(api_count(&T, "/api/v1/hard-dates?upcoming_days=2", F.a, "hard_dates"), 0);
	assert_int_equal(api_count(&T, "/api/v1/hard-dates", F.a, "hard_dates"), 2);
	assert_int_equal(api_count(&T, "/api/v1/hard-dates", F.d, "hard_dates"), 0);
	BAD(api(&T, "GET", "/api/v1/hard-dates?upcoming_days=many", F.a, &j, NULL), j, "invalid_field", "upcoming_days");
	BAD(api(&T, "POST", "/api/v1/hard-dates", F.a, &j, "{s:s, s:s}", "date", "2026-02-30", "label", "x"), j,
	    "invalid_field", "date");
	BAD(api(&T, "POST", "/api/v1/hard-dates", F.a, &j, "{s:s, s:s, s:s}", "date", "2026-02-01", "label", "x",
		"yearly", "yes"), j, "invalid_field", "yearly");
	BAD(api(&T, "PUT", "/api/v1/hard-dates/notice", F.a, &j, "{s:i}", "days", 0), j, "invalid_field", "days");
	assert_int_equal(api(&T, "PUT", "/api/v1/hard-dates/notice", F.a, &j, "{s:i}", "days", 60), 200);
	json_decref(j);
	j = api_get(&T, "/api/v1/hard-dates", F.b);
	assert_int_equal(num(j, "notice_days"), 60);
	json_decref(j);
}

/* ---- disclosures, no contact ---- */

static void later_disclosures_count_as_setbacks(void **state)
{
	(void)state;
	json_t *j;
	assert_int_equal(api(&T, "POST", "/api/v1/disclosures", F.b, &j, "{s:s, s:s}", "on", "2025-01-05",
			     "summary", "The first part"), 201);
	assert_false(json_is_true(json_object_get(json_object_get(j, "disclosure"), "counts_as_setback")));
	json_decref(j);
	BAD(api(&T, "PUT", "/api/v1/disclosure", F.b, &j, "{s:s}", "full_disclosure_on", "2999-01-01"), j,
	    "invalid_field", "full_disclosure_on");
	BAD(api(&T, "PUT", "/api/v1/disclosure", F.b, &j, "{s:s}", "full_on", "2025-01-10"), j, "unknown_field", "full_on");
	assert_int_equal(api(&T, "PUT", "/api/v1/disclosure", F.b, &j, "{s:s}", "full_disclosure_on", "2025-01-10"), 200);
	assert_string_equal(str(j, "full_disclosure_on"), "2025-01-10");
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/disclosures", F.b, &j, "{s:s, s:s}", "on", "2025-03-02",
			     "summary", "There were messages after all"), 201);
	assert_true(json_is_true(json_object_get(json_object_get(j, "disclosure"), "counts_as_setback")));
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/setbacks", F.a, &j, "{s:s, s:s, s:s}", "day", "2025-02-01",
			     "text", "A bad week", "helped", "A walk together"), 201);
	assert_string_equal(str(json_object_get(j, "setback"), "helped"), "A walk together");
	json_decref(j);

	assert_int_equal(api(&T, "GET", "/api/v1/disclosures", F.a, &j, NULL), 200);
	assert_string_equal(str(j, "full_disclosure_on"), "2025-01-10");
	json_t *d = json_object_get(j, "disclosures");
	assert_int_equal(json_array_size(d), 2);
	assert_false(json_is_true(json_object_get(json_array_get(d, 0), "counts_as_setback")));
	assert_true(json_is_true(json_object_get(json_array_get(d, 1), "counts_as_setback")));
	json_decref(j);
	/* the setbacks list has the setback and the late disclosure, by day */
	assert_int_equal(api(&T, "GET", "/api/v1/setbacks", F.b, &j, NULL), 200);
	json_t *s = json_object_get(j, "setbacks");
	assert_int_equal(json_array_size(s), 2);
	assert_string_equal(str(json_array_get(s, 0), "source"), "setback");
	assert_string_equal(str(json_array_get(s, 1), "source"), "disclosure");
	assert_string_equal(str(json_array_get(s, 1), "text"), "There were messages after all");
	json_decref(j);
	j = api_get(&T, "/api/v1/disclosures", F.d);
	assert_int_equal(json_array_size(json_object_get(j, "disclosures")), 0);
	assert_true(json_is_null(json_object_get(j, "full_disclosure_on")));
	json_decref(j);
}

static void no_contact_and_breaches_are_seen_by_both(void **state)
{
	(void)state;
	assert_true(api_null_at(&T, "/api/v1/no-contact", F.a, "no_contact"));
	json_t *j;
	assert_int_equal(api(&T, "PUT", "/api/v1/no-contact", F.b, &j, "{s:s, s:s}", "since", "2025-02-01", "verified",
			     "Blocked everywhere, together, that evening"), 200);
	assert_string_equal(str(json_object_get(j, "no_contact"), "since"), "2025-02-01");
	json_decref(j);
	BAD(api(&T, "PUT", "/api/v1/no-contact", F.b, &j, "{s:s}", "since", "2025-02-01"), j, "missing_field", "verified");
	assert_int_equal(api(&T, "POST", "/api/v1/no-contact/breaches", F.a, &j, "{s:s, s:s}", "on", "2025-05-05",
			     "what", "A message arrived; Ben showed me at once"), 201);
	json_decref(j);
	BAD(api(&T, "POST", "/api/v1/no-contact/breaches", F.a, &j, "{s:s, s:s}", "on", "5 May", "what", "x"), j,
	    "invalid_field", "on");
	assert_int_equal(api(&T, "GET", "/api/v1/no-contact", F.b, &j, NULL), 200);
	assert_string_equal(str(json_object_get(j, "no_contact"), "verified"), "Blocked everywhere, together, that evening");
	assert_true(num(json_object_get(j, "no_contact"), "days") > 290);
	assert_int_equal(json_array_size(json_object_get(j, "breaches")), 1);
	assert_string_equal(str(json_array_get(json_object_get(j, "breaches"), 0), "what"),
			    "A message arrived; Ben showed me at once");
	json_decref(j);
	j = api_get(&T, "/api/v1/no-contact", F.d);
	assert_true(json_is_null(json_object_get(j, "no_contact")));
	assert_int_equal(json_array_size(json_object_get(j, "breaches")), 0);
	json_decref(j);
}

/* ---- promises ---- */

static void only_the_partner_promised_to_records_the_outcome(void **state)
{
	(void)state;
	json_t *j;
	assert_int_equal(api(&T, "POST", "/api/v1/promises", F.b, &j, "{s:s, s:s}", "text", "Home by six on Fridays",
			     "due", "2025-05-02"), 201);
	json_t *p = json_object_get(j, "promise");
	long long id = num(p, "id");
	assert_true(json_is_null(json_object_get(p, "kept")));
	assert_true(json_is_true(json_object_get(p, "overdue")));
	assert_false(json_is_true(json_object_get(p, "can_record_outcome")));
	json_decref(j);
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/promises/%lld/outcome", id);
	api_error(api(&T, "POST", path, F.b, &j, "{s:b}", "kept", 1), j, 403, "not_allowed", NULL);
	assert_int_equal(api(&T, "POST", path, F.d, &j, "{s:b}", "kept", 1), 404);
	json_decref(j);
	BAD(api(&T, "POST", path, F.a, &j, "{s:s}", "kept", "yes"), j, "invalid_field", "kept");
	assert_int_equal(api(&T, "POST", path, F.a, &j, "{s:b, s:s}", "kept", 0, "note", "Late twice, but called"), 200);
	p = json_object_get(j, "promise");
	assert_true(json_is_false(json_object_get(p, "kept")));
	assert_string_equal(str(p, "note"), "Late twice, but called");
	assert_false(json_is_true(json_object_get(p, "overdue")));
	json_decref(j);
	api_error(api(&T, "POST", path, F.a, &j, "{s:b}", "kept", 1), j, 409, "already_recorded", NULL);
	assert_int_equal(api(&T, "POST", "/api/v1/promises/999999/outcome", F.a, &j, "{s:b}", "kept", 1), 404);
	json_decref(j);
	/* dan's partner has not joined: nobody to promise to */
	api_error(api(&T, "POST", "/api/v1/promises", F.d, &j, "{s:s, s:s}", "text", "x", "due", "2026-01-01"), j, 409,
		  "no_partner", NULL);
	BAD(api(&T, "POST", "/api/v1/promises", F.b, &j, "{s:s, s:s}", "text", "x", "due", "soon"), j, "invalid_field", "due");
	assert_int_equal(api_count(&T, "/api/v1/promises", F.a, "promises"), 1);
}

static void overdue_promises_show_on_both_homes(void **state)
{
	(void)state;
	json_t *j;
	struct browser a, b, d;
	char yesterday[11], next_week[11];
	couple_day(-1, yesterday);
	couple_day(7, next_week);
	assert_int_equal(api(&T, "POST", "/api/v1/promises", F.b, &j, "{s:s, s:s}", "text", "Call the counsellor",
			     "due", yesterday), 201);
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/promises", F.a, &j, "{s:s, s:s}", "text", "Plan our Sunday walk",
			     "due", next_week), 201);
	json_decref(j);
	/* a hard date within the notice days, with the plan for date triggers */
	char soon[11];
	couple_day(3, soon);
	assert_int_equal(api(&T, "POST", "/api/v1/hard-dates", F.a, &j, "{s:s, s:s, s:b}", "date", soon, "label",
			     "The day we found out", "yearly", 1), 201);
	json_decref(j);
	b_login_couple(&T, &a, &b);
	b_login(&T, &d, "dan");
	b_page_has(&T, &b, "/", 200, "The day we found out", NULL);
	b_page_has(&T, &b, "/", 200, "agree a plan for hard dates", NULL);
	assert_int_equal(api(&T, "POST", "/api/v1/trigger-plans", F.a, &j, "{s:s, s:s, s:s}", "kind", "date",
			     "needs", "A quiet day together", "response", "Ben keeps the day free"), 201);
	accept_plan(F.b, json_object_get(j, "plan"));
	json_decref(j);
	b_page_has(&T, &a, "/", 200, "Ben keeps the day free", NULL);
	b_page_lacks(&T, &d, "/", "The day we found out");
	b_page_has(&T, &a, "/", 200, "Call the counsellor", NULL);
	b_page_has(&T, &b, "/", 200, "Call the counsellor", NULL);
	b_page_lacks(&T, &a, "/", "Plan our Sunday walk"); /* not due yet */
	b_page_lacks(&T, &d, "/", "Call the counsellor");
	b_page_has(&T, &a, "/promises", 200, "Plan our Sunday walk", NULL);
}

/* ---- wins, setbacks, timeline ---- */

static void wins_setbacks_and_the_timeline(void **state)
{
	(void)state;
	json_t *j;
	char tomorrow[11];
	couple_day(1, tomorrow);
	assert_int_equal(api(&T, "POST", "/api/v1/wins", F.b, &j, "{s:s, s:s, s:s}", "day", "2025-04-04", "text",
			     "A week without a major trigger", "helped", "Our Sunday walks"), 201);
	assert_string_equal(str(json_object_get(j, "win"), "text"), "A week without a major trigger");
	json_decref(j);
	BAD(api(&T, "POST", "/api/v1/wins", F.b, &j, "{s:s, s:s}", "day", tomorrow, "text", "x"), j, "invalid_field", "day");
	BAD(api(&T, "POST", "/api/v1/wins", F.b, &j, "{s:s, s:s, s:s}", "day", "2025-04-04", "text", "x", "note", "y"),
	    j, "unknown_field", "note");
	BAD(api(&T, "POST", "/api/v1/setbacks", F.b, &j, "{s:s}", "day", "2025-04-04"), j, "missing_field", "text");
	assert_int_equal(api(&T, "GET", "/api/v1/wins", F.a, &j, NULL), 200);
	assert_int_equal(json_array_size(json_object_get(j, "wins")), 1);
	assert_string_equal(str(json_array_get(json_object_get(j, "wins"), 0), "helped"), "Our Sunday walks");
	json_decref(j);
	assert_int_equal(api_count(&T, "/api/v1/wins", F.d, "wins"), 0);

	/* the timeline: the whole relationship, in date order whatever the order of entry */
	assert_int_equal(api(&T, "POST", "/api/v1/timeline", F.a, &j, "{s:s, s:s, s:s}", "date", "2019-08-01",
			     "title", "The affair came out", "trust", "low"), 201);
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/timeline", F.b, &j, "{s:s, s:s, s:s, s:s}", "date", "2010-05-20",
			     "title", "Our wedding", "trust", "high", "note", "Everyone we loved was there"), 201);
	json_decref(j);
	BAD(api(&T, "POST", "/api/v1/timeline", F.b, &j, "{s:s, s:s, s:s}", "date", "2011-01-01", "title", "x",
		"trust", "medium"), j, "invalid_field", "trust");
	BAD(api(&T, "POST", "/api/v1/timeline", F.b, &j, "{s:s, s:s}", "date", "2011-01-01", "title", "x"), j,
	    "missing_field", "trust");
	assert_int_equal(api(&T, "GET", "/api/v1/timeline", F.a, &j, NULL), 200);
	json_t *ev = json_object_get(j, "events");
	assert_int_equal(json_array_size(ev), 2);
	assert_string_equal(str(json_array_get(ev, 0), "title"), "Our wedding");
	assert_string_equal(str(json_array_get(ev, 0), "trust"), "high");
	assert_string_equal(str(json_array_get(ev, 0), "note"), "Everyone we loved was there");
	assert_string_equal(str(json_array_get(ev, 1), "trust"), "low");
	json_decref(j);
}

/* ---- the journal ---- */

static void journal_entries_are_the_authors_alone(void **state)
{
	(void)state;
	json_t *j;
	char path[64], share[80];
	assert_int_equal(api(&T, "POST", "/api/v1/journal", F.a, &j, "{s:s, s:s}", "text", "I am afraid it happens again",
			     "prompt", "afraid"), 201);
	json_t *e = json_object_get(j, "entry");
	long long id = num(e, "id");
	assert_string_equal(str(e, "prompt_text"), "What am I afraid of now?");
	assert_false(json_is_true(json_object_get(e, "shared")));
	json_decref(j);
	BAD(api(&T, "POST", "/api/v1/journal", F.a, &j, "{s:s, s:s}", "text", "x", "prompt", "whatever"), j,
	    "invalid_field", "prompt");
	snprintf(path, sizeof(path), "/api/v1/journal/%lld", id);
	snprintf(share, sizeof(share), "/api/v1/journal/%lld/share", id);

	/* the partner and the other couple: 404, the same as an entry that does not exist */
	json_t *missing;
	assert_int_equal(api(&T, "GET", "/api/v1/journal/999999", F.b, &missing, NULL), 404);
	assert_int_equal(api(&T, "GET", path, F.b, &j, NULL), 404);
	char *x = json_dumps(j, JSON_SORT_KEYS), *y = json_dumps(missing, JSON_SORT_KEYS);
	assert_string_equal(x, y);
	free(x);
	free(y);
	json_decref(j);
	json_decref(missing);
	assert_int_equal(api(&T, "GET", path, F.d, NULL, NULL), 404);
	assert_int_equal(api(&T, "POST", share, F.b, NULL, NULL), 404);
	assert_int_equal(api(&T, "POST", share, F.d, NULL, NULL), 404);
	assert_int_equal(api(&T, "GET", "/api/v1/journal", F.b, &j, NULL), 200);
	assert_int_equal(json_array_size(json_object_get(j, "entries")), 0);
	assert_true(json_array_size(json_object_get(j, "prompts")) >= 3);
	json_decref(j);

	assert_int_equal(api(&T, "GET", path, F.a, &j, NULL), 200);
	assert_string_equal(str(json_object_get(j, "entry"), "text"), "I am afraid it happens again");
	json_decref(j);
	/* sharing makes a copy for both; the original stays A's alone */
	assert_int_equal(api(&T, "POST", share, F.a, &j, NULL), 201);
	assert_string_equal(str(json_object_get(j, "shared"), "text"), "I am afraid it happens again");
	json_decref(j);
	api_error(api(&T, "POST", share, F.a, &j, NULL), j, 409, "already_shared", NULL);
	assert_int_equal(api(&T, "GET", "/api/v1/journal/shared", F.b, &j, NULL), 200);
	assert_int_equal(json_array_size(json_object_get(j, "shared")), 1);
	assert_string_equal(str(json_array_get(json_object_get(j, "shared"), 0), "text"), "I am afraid it happens again");
	assert_string_equal(str(json_array_get(json_object_get(j, "shared"), 0), "prompt"), "afraid");
	json_decref(j);
	assert_int_equal(api(&T, "GET", path, F.b, NULL, NULL), 404);
	assert_int_equal(api_count(&T, "/api/v1/journal/shared", F.d, "shared"), 0);
	assert_int_equal(api(&T, "GET", "/api/v1/journal", F.a, &j, NULL), 200);
	assert_true(json_is_true(json_object_get(json_array_get(json_object_get(j, "entries"), 0), "shared")));
	json_decref(j);
}

/* ---- the authorization matrix ---- */

/* POSTs a raw JSON body as tok; asserts 201 and returns obj.id. */
static long long created_id(const char *path, const char *tok, const char *obj, const char *body)
{
	json_t *j;
	int st = api_raw(&T, "POST", path, tok, &j, body);
	if (st != 201)
		fail_msg("POST %s: %d", path, st);
	long long id = num(json_object_get(j, obj), "id");
	json_decref(j);
	return id;
}

static size_t list_len(const char *path, const char *tok, const char *key)
{
	json_t *j;
	assert_int_equal(api(&T, "GET", path, tok, &j, NULL), 200);
	size_t n = json_array_size(json_object_get(j, key));
	json_decref(j);
	return n;
}

/* ---- the readers behind insights and recovery ---- */

/* The viewer behind token tok: its user, couple and the session's keys
 * (its numbers are sealed like texts); *s holds the session until
 * session_put. */
static struct viewer viewer_of(const char *tok, struct session **s)
{
	json_t *j;
	assert_int_equal(api(&T, "GET", "/api/v1/me", tok, &j, NULL), 200);
	*s = session_find(tok);
	assert_non_null(*s);
	struct viewer v = { .user_id = num(json_object_get(j, "user"), "id"),
			    .couple_id = num(json_object_get(j, "couple"), "id"),
			    .data_key = (*s)->data_key, .couple_key = (*s)->couple_key };
	json_decref(j);
	return v;
}

/* The number readers (no texts, for insights and recovery) follow the same
 * rules as the lists: after the records of authorization_matrix, each
 * partner sees the shared records and their own private triggers, another
 * couple sees nothing. They read only the viewer they are given. */
static void number_readers_see_what_the_lists_show(void)
{
	assert_int_equal(api(&T, "PUT", "/api/v1/disclosure", F.b, NULL, "{s:s}", "full_disclosure_on", "2025-01-02"), 200);
	const char *toks[] = { F.a, F.b, F.d };
	const size_t want_triggers[] = { 2, 1, 0 }, want_mine[] = { 1, 0, 0 }, want_promises[] = { 1, 1, 0 },
		     want_notes[] = { 5, 5, 0 };
	for (int i = 0; i < 3; i++) {
		struct session *sess;
		struct viewer v = viewer_of(toks[i], &sess);
		struct req r;
		req_init(&r, &T.app, "GET", "/");
		struct trigger_day *td;
		struct promise_outcome *po;
		struct note_day *nd;
		struct record_settings rs;
		size_t n, mine = 0;
		assert_int_equal(trigger_days(&r, &v, &td, &n), SQLITE_OK);
		if (n != want_triggers[i])
			fail_msg("viewer %d sees %zu triggers, want %zu", i, n, want_triggers[i]);
		for (size_t k = 0; k < n; k++) {
			mine += td[k].private_mine;
			assert_true(k == 0 || td[k - 1].day <= td[k].day);
		}
		assert_int_equal(mine, want_mine[i]);
		assert_int_equal(promise_outcomes(&r, &v, &po, &n), SQLITE_OK);
		assert_int_equal(n, want_promises[i]);
		if (n) {
			assert_int_equal(po[0].due, D("2025-01-01"));
			assert_int_equal(po[0].kept, 1); /* A said it was kept */
		}
		assert_int_equal(note_days(&r, &v, &nd, &n), SQLITE_OK);
		assert_int_equal(n, want_notes[i]);
		for (size_t k = 0; k < n; k++)
			if (!strcmp(nd[k].kind, "timeline"))
				assert_int_equal(nd[k].trust, 1);
		assert_int_equal(record_settings_read(&r, &v, &rs), SQLITE_OK);
		if (i < 2)
			assert_string_equal(rs.full_on, "2025-01-02");
		else
			assert_null(rs.full_on);
		assert_int_equal(rs.notice_days, 30);
		req_release(&r);
		session_put(sess);
	}
}

static void authorization_matrix(void **state)
{
	(void)state;
	/* one of each record in A and B's couple, private and shared */
	long long plan = created_id("/api/v1/trigger-plans", F.a, "plan",
				    "{\"kind\":\"date\",\"needs\":\"n\",\"response\":\"r\"}");
	created_id("/api/v1/triggers", F.a, "trigger", "{\"at\":\"2025-01-01T10:00:00Z\",\"kind\":\"date\","
		   "\"intensity\":5,\"what\":\"private one\",\"visibility\":\"private\"}");
	created_id("/api/v1/triggers", F.a, "trigger", "{\"at\":\"2025-01-02T10:00:00Z\",\"kind\":\"date\","
		   "\"intensity\":5,\"what\":\"shared one\",\"visibility\":\"shared\"}");
	created_id("/api/v1/hard-dates", F.a, "hard_date", "{\"date\":\"2025-01-01\",\"label\":\"l\"}");
	created_id("/api/v1/disclosures", F.b, "disclosure", "{\"on\":\"2025-01-01\",\"summary\":\"s\"}");
	created_id("/api/v1/no-contact/breaches", F.b, "breach", "{\"on\":\"2025-01-01\",\"what\":\"w\"}");
	long long promise = created_id("/api/v1/promises", F.b, "promise", "{\"text\":\"t\",\"due\":\"2025-01-01\"}");
	created_id("/api/v1/wins", F.a, "win", "{\"day\":\"2025-01-01\",\"text\":\"w\"}");
	created_id("/api/v1/setbacks", F.a, "setback", "{\"day\":\"2025-01-01\",\"text\":\"s\"}");
	created_id("/api/v1/timeline", F.a, "event", "{\"date\":\"2025-01-01\",\"title\":\"t\",\"trust\":\"high\"}");
	long long entry = created_id("/api/v1/journal", F.a, "entry", "{\"text\":\"mine alone\"}");

	char plan_path[64], outcome_path[64], entry_path[64], share_path[64];
	snprintf(plan_path, sizeof(plan_path), "/api/v1/trigger-plans/%lld", plan);
	snprintf(outcome_path, sizeof(outcome_path), "/api/v1/promises/%lld/outcome", promise);
	snprintf(entry_path, sizeof(entry_path), "/api/v1/journal/%lld", entry);
	snprintf(share_path, sizeof(share_path), "/api/v1/journal/%lld/share", entry);

	const char *viewers[] = { NULL, F.a, F.b, F.d, F.op };
	const char *names[] = { "anonymous", "partner A", "partner B", "other couple", "operator" };
	struct cell {
		const char *method, *path, *body;
		int want[5];
	} cells[] = {
		/*                                                              anon  A    B    D    op */
		{ "GET", "/api/v1/triggers", NULL,                              { 401, 200, 200, 200, 409 } },
		{ "GET", "/api/v1/trigger-plans", NULL,                         { 401, 200, 200, 200, 409 } },
		{ "PUT", plan_path, "{\"needs\":\"n2\",\"response\":\"r2\"}",   { 401, 200, 200, 404, 409 } },
		{ "GET", "/api/v1/hard-dates", NULL,                            { 401, 200, 200, 200, 409 } },
		{ "GET", "/api/v1/disclosures", NULL,                           { 401, 200, 200, 200, 409 } },
		{ "GET", "/api/v1/no-contact", NULL,                            { 401, 200, 200, 200, 409 } },
		{ "GET", "/api/v1/promises", NULL,                              { 401, 200, 200, 200, 409 } },
		{ "GET", "/api/v1/wins", NULL,                                  { 401, 200, 200, 200, 409 } },
		{ "GET", "/api/v1/setbacks", NULL,                              { 401, 200, 200, 200, 409 } },
		{ "GET", "/api/v1/timeline", NULL,                              { 401, 200, 200, 200, 409 } },
		{ "GET", "/api/v1/journal", NULL,                               { 401, 200, 200, 200, 409 } },
		{ "GET", "/api/v1/journal/shared", NULL,                        { 401, 200, 200, 200, 409 } },
		{ "GET", entry_path, NULL,                                      { 401, 200, 404, 404, 409 } },
		/* the outcome: B made the promise, A it was made to (A last: it records once) */
		{ "POST", outcome_path, "{\"kept\":true}",                      { 401, 200, 403, 404, 409 } },
		/* sharing: only the author (A last: it shares once) */
		{ "POST", share_path, NULL,                                     { 401, 201, 404, 404, 409 } },
	};
	for (size_t c = 0; c < sizeof(cells) / sizeof(*cells); c++) {
		for (int v = 4; v >= 0; v--) {
			int st = api_raw(&T, cells[c].method, cells[c].path, viewers[v], NULL, cells[c].body);
			if (st != cells[c].want[v])
				fail_msg("%s %s as %s: got %d, want %d", cells[c].method, cells[c].path, names[v], st,
					 cells[c].want[v]);
		}
	}
	/* what each sees: every list holds A and B's records for them, nothing for D */
	struct { const char *path, *key; size_t a, b, d; } seen[] = {
		{ "/api/v1/triggers", "triggers", 2, 1, 0 },       /* the private trigger is A's alone */
		{ "/api/v1/trigger-plans", "plans", 1, 1, 0 },
		{ "/api/v1/hard-dates", "hard_dates", 1, 1, 0 },
		{ "/api/v1/disclosures", "disclosures", 1, 1, 0 },
		{ "/api/v1/no-contact", "breaches", 1, 1, 0 },
		{ "/api/v1/promises", "promises", 1, 1, 0 },
		{ "/api/v1/wins", "wins", 1, 1, 0 },
		{ "/api/v1/setbacks", "setbacks", 1, 1, 0 },
		{ "/api/v1/timeline", "events", 1, 1, 0 },
		{ "/api/v1/journal", "entries", 1, 0, 0 },         /* the journal is A's alone */
		{ "/api/v1/journal/shared", "shared", 1, 1, 0 },   /* the shared copy is both's */
	};
	for (size_t i = 0; i < sizeof(seen) / sizeof(*seen); i++) {
		size_t n[3] = { list_len(seen[i].path, F.a, seen[i].key), list_len(seen[i].path, F.b, seen[i].key),
				list_len(seen[i].path, F.d, seen[i].key) };
		if (n[0] != seen[i].a || n[1] != seen[i].b || n[2] != seen[i].d)
			fail_msg("%s: A sees %zu (want %zu), B %zu (want %zu), D %zu (want %zu)", seen[i].path, n[0],
				 seen[i].a, n[1], seen[i].b, n[2], seen[i].d);
	}
	number_readers_see_what_the_lists_show();
}

/* ---- the canary ---- */

/* True when needle's bytes appear anywhere in the file. */
static bool file_contains(const char *path, const char *needle)
{
	return file_has_bytes(path, needle, strlen(needle));
}

/* One API request as the server runs it, including its log line (server.c
 * logs method, route pattern and status after every request). */
static int logged_api(const char *method, const char *path, const char *tok, const char *body, json_t **out)
{
	struct req r;
	char auth[128];
	const char *h[] = { "Authorization", auth, "Content-Type", "application/json", NULL };
	snprintf(auth, sizeof(auth), "Bearer %s", tok);
	if (!body)
		h[2] = NULL;
	thttp_do(&T, &r, method, path, h, body, 0);
	log_request(r.method, r.route ? r.route : "-", r.status, 0);
	int st = r.status;
	if (out)
		*out = json_loads(r.out.s, 0, NULL);
	req_release(&r);
	return st;
}

static void journal_text_never_reaches_disk_or_log_in_plaintext(void **state)
{
	(void)state;
	json_t *j;
	unsigned char rnd[16];
	char hex[33], canary[64], logpath[160];
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
	snprintf(canary, sizeof(canary), "canary-%s", hex);

	/* the server's log goes to a file for the length of the test */
	snprintf(logpath, sizeof(logpath), "%s/log.txt", T.dir);
	fflush(stderr);
	int saved = dup(2), fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, 2);
	close(fd);
	log_set_requests(1);

	char body[256], path[64];
	snprintf(body, sizeof(body), "{\"text\":\"%s\",\"prompt\":\"how\"}", canary);
	assert_int_equal(logged_api("POST", "/api/v1/journal", F.a, body, &j), 201);
	snprintf(path, sizeof(path), "/api/v1/journal/%lld", num(json_object_get(j, "entry"), "id"));
	json_decref(j);
	/* a refused request carrying the canary (a bad field) must not log it either */
	snprintf(body, sizeof(body), "{\"text\":\"%s\",\"prompt\":\"%s\"}", canary, canary);
	assert_int_equal(logged_api("POST", "/api/v1/journal", F.a, body, &j), 400);
	json_decref(j);
	snprintf(body, sizeof(body), "{\"%s\":1}", canary);
	assert_int_equal(logged_api("POST", "/api/v1/journal", F.a, body, &j), 400);
	json_decref(j);
	assert_int_equal(logged_api("GET", path, F.a, NULL, &j), 200);
	assert_string_equal(str(json_object_get(j, "entry"), "text"), canary); /* it is there, and A can read it */
	json_decref(j);
	assert_int_equal(logged_api("GET", path, F.b, NULL, NULL), 404);
	/* sharing it makes a copy under the couple key: still never plaintext */
	snprintf(body, sizeof(body), "%s/share", path);
	assert_int_equal(logged_api("POST", body, F.a, NULL, NULL), 201);

	log_set_requests(0);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);

	const char *suffix[] = { "", "-wal", "-shm" };
	char file[160];
	bool scanned_wal = false;
	for (size_t i = 0; i < 3; i++) {
		snprintf(file, sizeof(file), "%s%s", T.path, suffix[i]);
		if (access(file, F_OK) == 0 && i == 1)
			scanned_wal = true;
		if (file_contains(file, canary))
			fail_msg("the canary is in plaintext in %s", file);
	}
	assert_true(scanned_wal);
	assert_false(file_contains(logpath, canary));
	/* the scan itself works: plain facts (a username, a route) are found */
	snprintf(file, sizeof(file), "%s-wal", T.path);
	assert_true(file_contains(T.path, "ana") || file_contains(file, "ana"));
	assert_true(file_contains(logpath, "/api/v1/journal"));
	unlink(logpath);
}

/* The numbers of one check-in, in column order, as SQLite would keep them
 * plainly: one byte each (none is 0 or 1, which SQLite stores without a
 * byte), so a plain row holds these ten bytes side by side. */
static const unsigned char SCORES[] = { 7, 3, 9, 2, 8, 4, 6, 5, 2, 4 };

/* True when the bytes appear in the database, its WAL or the copy. */
static bool store_has(const char *copy, const void *needle, size_t n)
{
	char wal[200];
	snprintf(wal, sizeof(wal), "%s-wal", T.path);
	return file_has_bytes(T.path, needle, n) || file_has_bytes(wal, needle, n) || file_has_bytes(copy, needle, n);
}

/* A copy of the database says who and when, and nothing of what: not a
 * check-in's scores (7,3,9,2,...), not a trigger's kind and intensity, not
 * the journal prompt chosen, not a daily check-in's numbers, not what kind
 * of share a vulnerability share is, nor how long and how time together
 * went, in the
 * database, its WAL or a backup, while the partners still read them all. */
static void numbers_kinds_and_prompts_never_reach_disk_in_plaintext(void **state)
{
	(void)state;
	json_t *j;
	assert_int_equal(api(&T, "POST", "/api/v1/checkins", F.a, &j,
			     "{s:i, s:{s:i, s:i, s:i, s:i, s:i, s:i}, s:{s:i, s:i, s:i}}", "connection", SCORES[0],
			     "dimensions", "reliability", SCORES[1], "emotional_safety", SCORES[2], "honesty", SCORES[3],
			     "consistency", SCORES[4], "respect", SCORES[5], "transparency", SCORES[6], "signs",
			     "safer_talking", SCORES[7], "listened_to", SCORES[8], "warm_moments", SCORES[9]), 201);
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/triggers", F.a, &j, "{s:s, s:s, s:i, s:s, s:s}", "at",
			     "2025-03-07T10:00:00Z", "kind", "situation", "intensity", 9, "what", "w", "visibility",
			     "private"), 201);
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/triggers", F.b, &j, "{s:s, s:s, s:i, s:s, s:s}", "at",
			     "2025-03-08T10:00:00Z", "kind", "media", "intensity", 7, "what", "w", "visibility",
			     "shared"), 201);
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/journal", F.a, &j, "{s:s, s:s}", "text", "t", "prompt", "afraid"), 201);
	long long entry = num(json_object_get(j, "entry"), "id");
	json_decref(j);
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/journal/%lld/share", entry);
	assert_int_equal(api(&T, "POST", path, F.a, NULL, NULL), 201);
	assert_int_equal(api(&T, "POST", "/api/v1/daily-checkins", F.a, &j, "{s:i, s:i}", "close", 7, "safe", 3), 201);
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/vulnerabilities", F.b, &j, "{s:s, s:s}", "kind", "insecurity", "text",
			     "t"), 201);
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/connections", F.b, &j, "{s:s, s:i, s:s}", "day", "2025-03-08", "minutes",
			     93, "kind", "walk"), 201);
	json_decref(j);

	/* they are all there for the partners who may see them */
	assert_int_equal(api(&T, "GET", "/api/v1/checkins", F.a, &j, NULL), 200);
	json_t *c = json_array_get(json_object_get(j, "checkins"), 0);
	assert_int_equal(json_integer_value(json_object_get(c, "connection")), 7);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "dimensions"), "honesty")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "signs"), "warm_moments")), 4);
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/triggers", F.a, &j, NULL), 200);
	size_t i;
	json_t *t;
	int seen = 0;
	json_array_foreach(json_object_get(j, "triggers"), i, t) {
		const char *kind = json_string_value(json_object_get(t, "kind"));
		long long in = json_integer_value(json_object_get(t, "intensity"));
		seen |= (kind && !strcmp(kind, "situation") && in == 9) ? 1 : (kind && !strcmp(kind, "media") && in == 7) ? 2 : 0;
	}
	assert_int_equal(seen, 3);
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/journal", F.a, &j, NULL), 200);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "entries"), 0), "prompt")),
			    "afraid");
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/daily-checkins", F.a, &j, NULL), 200);
	json_t *d = json_array_get(json_object_get(j, "daily_checkins"), 0);
	assert_int_equal(json_integer_value(json_object_get(d, "close")), 7);
	assert_int_equal(json_integer_value(json_object_get(d, "safe")), 3);
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/vulnerabilities", F.a, &j, NULL), 200);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "vulnerabilities"), 0), "kind")),
			    "insecurity");
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/connections?from=2025-03-08&to=2025-03-08", F.a, &j, NULL), 200);
	json_t *m = json_array_get(json_object_get(j, "connections"), 0);
	assert_int_equal(json_integer_value(json_object_get(m, "minutes")), 93);
	assert_string_equal(json_string_value(json_object_get(m, "kind")), "walk");
	json_decref(j);

	char copy[200];
	snprintf(copy, sizeof(copy), "%s/copy.db", T.dir);
	assert_int_equal(thttp_snapshot(&T, copy), 0);
	/* bytes on disk: the scores side by side, a kind with its intensity
	 * after it, the prompt */
	assert_false(store_has(copy, SCORES, sizeof(SCORES)));
	assert_false(store_has(copy, "situation\x09", 10));
	assert_false(store_has(copy, "media\x07", 6));
	assert_false(store_has(copy, "afraid", 6));
	/* what someone who opens the copy with sqlite3 finds: no plain number,
	 * kind or prompt in any row */
	sqlite3 *db;
	assert_int_equal(sqlite3_open_v2(copy, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	static const char *const PLAIN[] = {
		"SELECT count(*) FROM checkin WHERE coalesce(connection, reliability, emotional_safety, honesty,"
		" consistency, respect, transparency, safer_talking, listened_to, warm_moments) IS NOT NULL",
		"SELECT count(*) FROM daily_checkin WHERE coalesce(close, safe) IS NOT NULL",
		"SELECT count(*) FROM trigger_event WHERE coalesce(kind, intensity, plan_helped, plan_id) IS NOT NULL",
		"SELECT count(*) FROM journal_entry WHERE prompt IS NOT NULL",
		"SELECT count(*) FROM journal_share WHERE prompt IS NOT NULL",
		"SELECT count(*) FROM vulnerability WHERE kind IS NOT NULL",
		"SELECT count(*) FROM connection_time WHERE coalesce(minutes, kind) IS NOT NULL",
	};
	for (size_t k = 0; k < sizeof(PLAIN) / sizeof(PLAIN[0]); k++) {
		long long n = -1;
		assert_int_equal(db_int(db, &n, PLAIN[k], ""), SQLITE_ROW);
		if (n)
			fail_msg("%lld plain rows: %s", n, PLAIN[k]);
	}
	/* and the rows are there: who and when */
	long long rows = 0;
	assert_int_equal(db_int(db, &rows, "SELECT (SELECT count(*) FROM checkin) + (SELECT count(*) FROM trigger_event)"
				 " + (SELECT count(*) FROM journal_entry) + (SELECT count(*) FROM daily_checkin)", ""),
			 SQLITE_ROW);
	assert_int_equal(rows, 5);
	/* the scan itself finds such bytes when a row holds them plainly */
	char *err = NULL;
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	assert_int_equal(sqlite3_open(copy, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE probe(a, b, c, d, e, f, g, h, i, j, k TEXT, l);"
				      "INSERT INTO probe VALUES(7, 3, 9, 2, 8, 4, 6, 5, 2, 4, 'situation', 9);", NULL, NULL,
				      &err), SQLITE_OK);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	assert_true(file_has_bytes(copy, SCORES, sizeof(SCORES)));
	assert_true(file_has_bytes(copy, "situation\x09", 10));
	unlink(copy);
}

/* Runs one write on the store with the values bound. */
static void store_run(const char *q, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	sqlite3 *w = db_write_begin(&T.app.db);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(w, q, -1, &st, NULL), SQLITE_OK);
	for (int i = 1; types[i - 1]; i++) {
		if (types[i - 1] == 'i')
			sqlite3_bind_int64(st, i, va_arg(ap, long long));
		else
			sqlite3_bind_text(st, i, va_arg(ap, const char *), -1, SQLITE_TRANSIENT);
	}
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	va_end(ap);
	assert_int_equal(db_write_end(&T.app.db, rc == SQLITE_DONE), SQLITE_OK);
	assert_int_equal(rc, SQLITE_DONE);
}

/* Rows written before numbers, kinds and prompts were sealed (plain
 * columns) read as they were, and the first partner home with the keys
 * seals them: the plain columns are emptied, and the same values read. */
static void rows_from_before_sealing_are_sealed_at_the_next_visit_home(void **state)
{
	(void)state;
	json_t *j;
	assert_int_equal(api(&T, "GET", "/api/v1/me", F.a, &j, NULL), 200);
	long long a = num(json_object_get(j, "user"), "id"), cid = num(json_object_get(j, "couple"), "id");
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/me", F.b, &j, NULL), 200);
	long long b = num(json_object_get(j, "user"), "id");
	json_decref(j);
	store_run("INSERT INTO checkin(couple_id, author_id, week, reveal_at, connection, reliability, emotional_safety,"
		  " honesty, consistency, respect, transparency, warm_moments, created_at, updated_at)"
		  " VALUES(?1, ?2, '2025-W10', 0, 7, 3, 9, 2, 8, 4, 6, 4, 0, 0)", "ii", cid, a);
	store_run("INSERT INTO trigger_event(couple_id, author_id, at, day, kind, intensity, private, created_at)"
		  " VALUES(?1, ?2, 1741341600, '2025-03-07', 'situation', 9, 1, 0)", "ii", cid, a);
	store_run("INSERT INTO trigger_event(couple_id, author_id, at, day, kind, intensity, private, created_at)"
		  " VALUES(?1, ?2, 1741341600, '2025-03-07', 'media', 7, 0, 0)", "ii", cid, b);
	store_run("INSERT INTO journal_entry(couple_id, author_id, prompt, created_at) VALUES(?1, ?2, 'afraid', 0)", "ii",
		  cid, a);
	store_run("INSERT INTO daily_checkin(couple_id, author_id, day, reveal_at, close, safe, created_at, updated_at)"
		  " VALUES(?1, ?2, '2025-03-07', 0, 7, 3, 0, 0)", "ii", cid, a);
	store_run("INSERT INTO vulnerability(couple_id, author_id, kind, text, created_at) VALUES(?1, ?2, 'hope', x'', 0)",
		  "ii", cid, b);
	store_run("INSERT INTO connection_time(couple_id, author_id, day, minutes, kind, created_at)"
		  " VALUES(?1, ?2, '2025-03-07', 93, 'walk', 0)", "ii", cid, b);

	static const char *const PLAIN =
		"SELECT (SELECT count(*) FROM checkin WHERE connection IS NOT NULL)"
		" + (SELECT count(*) FROM trigger_event WHERE kind IS NOT NULL)"
		" + (SELECT count(*) FROM journal_entry WHERE prompt IS NOT NULL)"
		" + (SELECT count(*) FROM daily_checkin WHERE close IS NOT NULL)"
		" + (SELECT count(*) FROM vulnerability WHERE kind IS NOT NULL)"
		" + (SELECT count(*) FROM connection_time WHERE minutes IS NOT NULL)";
	for (int round = 0; round < 2; round++) {
		long long plain = -1;
		assert_int_equal(db_int(db_reader(&T.app.db), &plain, PLAIN, ""), SQLITE_ROW);
		assert_int_equal(plain, round ? 0 : 7);
		assert_int_equal(api(&T, "GET", "/api/v1/checkins?from=2025-W10&to=2025-W10", F.a, &j, NULL), 200);
		json_t *c = json_array_get(json_object_get(j, "checkins"), 0);
		assert_int_equal(json_integer_value(json_object_get(c, "connection")), 7);
		assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "dimensions"), "honesty")), 2);
		assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "signs"), "warm_moments")), 4);
		json_decref(j);
		assert_int_equal(api(&T, "GET", "/api/v1/triggers", F.a, &j, NULL), 200);
		json_t *t = json_object_get(j, "triggers");
		assert_int_equal(json_array_size(t), 2);
		assert_string_equal(json_string_value(json_object_get(json_array_get(t, 0), "kind")), "situation");
		assert_int_equal(json_integer_value(json_object_get(json_array_get(t, 0), "intensity")), 9);
		assert_string_equal(json_string_value(json_object_get(json_array_get(t, 1), "kind")), "media");
		json_decref(j);
		assert_int_equal(api(&T, "GET", "/api/v1/journal", F.a, &j, NULL), 200);
		assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "entries"), 0),
								      "prompt")), "afraid");
		json_decref(j);
		assert_int_equal(api(&T, "GET", "/api/v1/daily-checkins?from=2025-03-07&to=2025-03-07", F.a, &j, NULL),
				 200);
		json_t *d = json_array_get(json_object_get(j, "daily_checkins"), 0);
		assert_int_equal(json_integer_value(json_object_get(d, "close")), 7);
		assert_int_equal(json_integer_value(json_object_get(d, "safe")), 3);
		json_decref(j);
		assert_int_equal(api(&T, "GET", "/api/v1/vulnerabilities", F.a, &j, NULL), 200);
		assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "vulnerabilities"), 0),
								      "kind")), "hope");
		json_decref(j);
		assert_int_equal(api(&T, "GET", "/api/v1/connections?from=2025-03-07&to=2025-03-07", F.a, &j, NULL), 200);
		json_t *m = json_array_get(json_object_get(j, "connections"), 0);
		assert_int_equal(json_integer_value(json_object_get(m, "minutes")), 93);
		assert_string_equal(json_string_value(json_object_get(m, "kind")), "walk");
		json_decref(j);
		/* B reads the shared trigger only */
		assert_int_equal(api(&T, "GET", "/api/v1/triggers", F.b, &j, NULL), 200);
		assert_int_equal(json_array_size(json_object_get(j, "triggers")), 1);
		json_decref(j);
		if (!round) {
			struct browser ba, bb;
			b_login_couple(&T, &ba, &bb);
			free(b_get(&T, &ba, "/", 200));
		}
	}
}

/* ---- pages ---- */

static void a_trigger_logged_in_the_page_shows_the_plan(void **state)
{
	(void)state;
	struct browser a, b;
	struct req r;
	char form[1024];
	b_login_couple(&T, &a, &b);
	b_page_has(&T, &a, "/records", 200, "href=\"/journal\"", NULL);
	b_page_has(&T, &a, "/triggers", 200, "Nothing logged yet", NULL);

	/* agree a plan for places */
	b_page_has(&T, &b, "/triggers/plans", 200, "No plan yet", NULL);
	snprintf(form, sizeof(form), "csrf=%s&kind=place&needs-place=Hold+my+hand&response-place=I+stay+and+listen", b.csrf);
	b_do(&T, &b, &r, "POST", "/triggers/plans", form);
	assert_int_equal(r.status, 303);
	req_release(&r);
	/* Ana sees it waiting for her, on the home page and the plans page, and accepts it */
	b_page_has(&T, &a, "/", 200, "ben proposed a trigger plan for A place. It is waiting for you.", NULL);
	char *plans = b_get(&T, &a, "/triggers/plans", 200);
	char action[96];
	b_form_action(plans, "/triggers/plans/", action, sizeof(action));
	free(plans);
	assert_non_null(strstr(action, "/versions/1/accept"));
	assert_int_equal(b_post(&T, &b, action, "", NULL, NULL), 403);
	assert_int_equal(b_post(&T, &a, action, "", NULL, NULL), 303);
	b_page_has(&T, &a, "/triggers/plans", 200, "In force", NULL);
	b_page_lacks(&T, &a, "/", "It is waiting for you");

	/* an error keeps what was typed */
	snprintf(form, sizeof(form), "csrf=%s&at=2025-06-01T18%%3A30&kind=place&intensity=12&what=The+hotel+%%3Cagain%%3E"
		 "&visibility=shared", a.csrf);
	b_do(&T, &a, &r, "POST", "/triggers", form);
	assert_int_equal(r.status, 400);
	assert_holds(r.out.s, "from 1 to 10", "The hotel &lt;again&gt;</textarea>", NULL);
	req_release(&r);

	snprintf(form, sizeof(form), "csrf=%s&at=2025-06-01T18%%3A30&kind=place&intensity=7&what=The+hotel+%%3Cagain%%3E"
		 "&handled=&plan_helped=yes&visibility=shared", a.csrf);
	b_do(&T, &a, &r, "POST", "/triggers", form);
	assert_int_equal(r.status, 303);
	const char *loc = thttp_header(&r, "Location");
	assert_non_null(loc);
	char next[128];
	snprintf(next, sizeof(next), "%s", loc);
	req_release(&r);
	b_do(&T, &a, &r, "GET", next, NULL);
	assert_int_equal(r.status, 200);
	assert_holds(r.out.s, "Your plan for this", "Hold my hand", "I stay and listen", "The hotel &lt;again&gt;",
		     NULL);
	assert_null(strstr(r.out.s, "<again>"));
	req_release(&r);
	b_page_has(&T, &b, "/triggers", 200, "The hotel &lt;again&gt;", NULL);

	/* without the CSRF token, refused */
	b_do(&T, &a, &r, "POST", "/triggers", "at=2025-06-01T18%3A30&kind=place&intensity=7&what=x");
	assert_int_equal(r.status, 403);
	req_release(&r);
}

static void the_record_pages_work_without_javascript(void **state)
{
	(void)state;
	struct browser a, b;
	struct req r;
	char form[512];
	b_login_couple(&T, &a, &b);
	struct { const char *path, *empty, *post, *fields, *shows; } pages[] = {
		{ "/wins", "No wins written down yet", "/wins", "day=2025-04-04&text=A+good+talk&helped=Patience",
		  "A good talk" },
		{ "/setbacks", "No setbacks written down", "/setbacks", "day=2025-04-05&text=A+hard+evening&helped=",
		  "A hard evening" },
		{ "/timeline", "The timeline is empty", "/timeline", "date=2012-06-01&title=Our+first+home&trust=high&note=",
		  "Our first home" },
		{ "/disclosures", "Nothing has been added since", "/disclosures", "on=2025-02-02&summary=More+messages",
		  "More messages" },
		{ "/no-contact", "No contact has been recorded", "/no-contact/breaches", "on=2025-02-03&what=An+email+came",
		  "An email came" },
		{ "/hard-dates", "No hard dates yet", "/hard-dates", "date=2024-12-24&label=Christmas+Eve&yearly=1",
		  "Christmas Eve" },
		{ "/promises", "No promises yet", "/promises", "text=Text+when+I+leave+work&due=2027-01-01",
		  "Text when I leave work" },
	};
	for (size_t i = 0; i < sizeof(pages) / sizeof(*pages); i++) {
		b_page_has(&T, &a, pages[i].path, 200, pages[i].empty, NULL);
		snprintf(form, sizeof(form), "csrf=%s&%s", a.csrf, pages[i].fields);
		b_do(&T, &a, &r, "POST", pages[i].post, form);
		if (r.status != 303)
			fail_msg("POST %s: %d", pages[i].post, r.status);
		req_release(&r);
		b_page_has(&T, &b, pages[i].path, 200, pages[i].shows, NULL);
	}
	/* a date that is not a date: the form comes back with the words kept */
	snprintf(form, sizeof(form), "csrf=%s&day=2025-02-30&text=Kept+words", a.csrf);
	b_do(&T, &a, &r, "POST", "/wins", form);
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.out.s, "Kept words</textarea>"));
	req_release(&r);

	/* the journal: private until shared */
	b_page_has(&T, &a, "/journal", 200, "Nothing written yet", NULL);
	snprintf(form, sizeof(form), "csrf=%s&prompt=missing&text=What+was+missing+was+time", a.csrf);
	b_do(&T, &a, &r, "POST", "/journal", form);
	assert_int_equal(r.status, 303);
	req_release(&r);
	b_page_has(&T, &a, "/journal", 200, "What was missing was time", NULL);
	b_page_lacks(&T, &b, "/journal", "What was missing was time");
	b_do(&T, &a, &r, "GET", "/journal", NULL);
	char share[64];
	b_form_action(r.out.s, "/journal/", share, sizeof(share));
	req_release(&r);
	snprintf(form, sizeof(form), "csrf=%s", b.csrf);
	b_do(&T, &b, &r, "POST", share, form);
	assert_int_equal(r.status, 404);
	req_release(&r);
	snprintf(form, sizeof(form), "csrf=%s", a.csrf);
	b_do(&T, &a, &r, "POST", share, form);
	assert_int_equal(r.status, 303);
	req_release(&r);
	b_page_has(&T, &b, "/journal", 200, "What was missing was time", NULL);

	/* a promise's outcome: the form is on the partner's page only */
	b_page_lacks(&T, &a, "/promises", "Was it kept?");
	b_page_has(&T, &b, "/promises", 200, "Was it kept?", NULL);
}

/* A hard moment one partner logs and shares reaches the other's home page
 * at the top, with what the agreed plan says they do, until they say they
 * have seen it; never the one who logged it, never a private one. */
static void a_shared_trigger_reaches_the_partner_until_seen(void **state)
{
	(void)state;
	json_t *j;
	char at[21], at2[21];
	instant_format(time(NULL) - 3600, at);
	instant_format(time(NULL) - 1800, at2);
	assert_int_equal(api(&T, "POST", "/api/v1/trigger-plans", F.a, &j, "{s:s, s:s, s:s}", "kind", "place",
			     "needs", "Hold my hand", "response", "Ben stays close and answers every question"), 201);
	accept_plan(F.b, json_object_get(j, "plan"));
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/triggers", F.a, &j, "{s:s, s:s, s:i, s:s, s:s}", "at", at,
			     "kind", "place", "intensity", 6, "what", "Drove past the hotel", "visibility", "shared"), 201);
	long long id = num(json_object_get(j, "trigger"), "id");
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/triggers", F.a, &j, "{s:s, s:s, s:i, s:s, s:s}", "at", at2,
			     "kind", "place", "intensity", 5, "what", "Only mine", "visibility", "private"), 201);
	json_decref(j);
	struct browser a, b;
	b_login_couple(&T, &a, &b);
	char *home = b_get(&T, &b, "/", 200);
	const char *card = strstr(home, "id=\"for-you\"");
	assert_non_null(card);
	/* at the top: before the day's rituals */
	assert_true(card < strstr(home, "id=\"due-h\""));
	assert_holds(card, "ana logged a hard moment", "Ben stays close and answers every question", NULL);
	assert_null(strstr(home, "Only mine"));
	char action[64];
	snprintf(action, sizeof(action), "action=\"/triggers/%lld/seen\"", id);
	assert_non_null(strstr(card, action));
	/* one form only: the private one never shows */
	assert_null(strstr(strstr(card, action) + strlen(action), "/seen\""));
	free(home);
	b_page_lacks(&T, &a, "/", "id=\"for-you\"");
	/* the one who logged it cannot mark it; the partner can, once */
	char path[64];
	snprintf(path, sizeof(path), "/triggers/%lld/seen", id);
	assert_int_equal(b_post(&T, &a, path, "", NULL, NULL), 303);
	b_page_has(&T, &b, "/", 200, "id=\"for-you\"", NULL);
	assert_int_equal(b_post(&T, &b, path, "", NULL, NULL), 303);
	b_page_lacks(&T, &b, "/", "id=\"for-you\"");
	/* another couple's partner cannot touch it */
	struct browser d;
	b_login(&T, &d, "dan");
	assert_int_equal(b_post(&T, &d, path, "", NULL, NULL), 303);
}

/* ---- trigger plans are agreed in advance ---- */

static void a_trigger_plan_is_in_force_only_once_the_other_accepts(void **state)
{
	(void)state;
	json_t *j;
	char path[128];
	assert_int_equal(api(&T, "POST", "/api/v1/trigger-plans", F.a, &j, "{s:s, s:s, s:s}", "kind", "media",
			     "needs", "Turn it off with me", "response", "Ben turns it off and sits with me"), 201);
	long long id = num(json_object_get(j, "plan"), "id");
	json_decref(j);
	/* not in force: a trigger of that kind is matched to no plan */
	assert_int_equal(api(&T, "POST", "/api/v1/triggers", F.a, &j, "{s:s, s:s, s:i, s:s}", "at", "2025-06-01T18:30:00Z",
			     "kind", "media", "intensity", 5, "what", "A song in the shop"), 201);
	assert_true(json_is_null(json_object_get(j, "plan")));
	json_decref(j);
	/* who may answer: anonymous 401, the proposer 403, another couple 404, the operator 409 */
	snprintf(path, sizeof(path), "/api/v1/trigger-plans/%lld/versions/1/decline", id);
	const char *viewers[] = { NULL, F.a, F.d, F.op };
	const int want[] = { 401, 403, 404, 409 };
	for (int v = 0; v < 4; v++) {
		assert_int_equal(api_raw(&T, "POST", path, viewers[v], NULL, NULL), want[v]);
		char acc[128];
		snprintf(acc, sizeof(acc), "/api/v1/trigger-plans/%lld/versions/1/accept", id);
		assert_int_equal(api_raw(&T, "POST", acc, viewers[v], NULL, NULL), want[v]);
	}
	/* Ben says not yet, with a word: sealed, and Ana sees it */
	assert_int_equal(api(&T, "POST", path, F.b, &j, "{s:s}", "word", "Could I also hold your hand?"), 200);
	json_t *v1 = json_array_get(json_object_get(json_object_get(j, "plan"), "versions"), 0);
	assert_string_equal(str(v1, "status"), "declined");
	assert_string_equal(str(v1, "word"), "Could I also hold your hand?");
	assert_string_equal(str(json_object_get(j, "plan"), "status"), "proposed");
	json_decref(j);
	assert_int_equal(api(&T, "POST", path, F.b, &j, NULL), 409);
	json_decref(j);
	sqlite3_stmt *st = db_prepare(db_reader(&T.app.db), "SELECT count(*) FROM trigger_plan_version WHERE"
				      " instr(word, CAST('hand' AS BLOB)) > 0 OR instr(needs, CAST('Turn' AS BLOB)) > 0", "");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	sqlite3_finalize(st);
	struct browser a;
	b_login(&T, &a, "ana");
	b_page_has(&T, &a, "/triggers/plans", 200, "has not taken on your last proposal for now",
		   "In their words: Could I also hold your hand?", NULL);
	/* a second version, accepted: in force, with its history */
	snprintf(path, sizeof(path), "/api/v1/trigger-plans/%lld", id);
	assert_int_equal(api(&T, "PUT", path, F.a, &j, "{s:s, s:s}", "needs", "Turn it off and hold my hand",
			     "response", "Ben turns it off and holds my hand"), 200);
	accept_plan(F.b, json_object_get(j, "plan"));
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/triggers", F.a, &j, "{s:s, s:s, s:i, s:s}", "at", "2025-06-02T18:30:00Z",
			     "kind", "media", "intensity", 4, "what", "The film again"), 201);
	assert_string_equal(str(json_object_get(j, "plan"), "response"), "Ben turns it off and holds my hand");
	json_decref(j);
	b_page_has(&T, &a, "/triggers/plans", 200, "Earlier versions", "Version 1, proposed by you on ", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(logging_a_trigger_shows_the_matching_plan, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(a_shared_trigger_reaches_the_partner_until_seen, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(trigger_input_is_checked, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(private_triggers_are_the_authors_alone, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(hard_dates_cross_year_ends_and_leap_days, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(upcoming_hard_dates_are_announced_with_the_plan, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(later_disclosures_count_as_setbacks, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(no_contact_and_breaches_are_seen_by_both, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(only_the_partner_promised_to_records_the_outcome, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(overdue_promises_show_on_both_homes, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(wins_setbacks_and_the_timeline, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(journal_entries_are_the_authors_alone, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(authorization_matrix, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(a_trigger_plan_is_in_force_only_once_the_other_accepts, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(journal_text_never_reaches_disk_or_log_in_plaintext, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(numbers_kinds_and_prompts_never_reach_disk_in_plaintext, couple_setup,
						couple_teardown),
		cmocka_unit_test_setup_teardown(rows_from_before_sealing_are_sealed_at_the_next_visit_home, couple_setup,
						couple_teardown),
		cmocka_unit_test_setup_teardown(a_trigger_logged_in_the_page_shows_the_plan, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(the_record_pages_work_without_javascript, couple_setup, couple_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
