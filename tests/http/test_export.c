/* test_export.c: "Your data". Each partner's export holds every record
 * they may see and none they may not: canary texts of every kind, written
 * by A, by B and by D (another couple), are looked for kind by kind in the
 * export of each. The export needs the password again (403 reauth_failed)
 * and a login (401); the page offers both downloads without JavaScript.
 *
 *     test_export --dump a|b   writes that partner's export to stdout (for
 *                              the schema check, tests/export/schema.py)
 */
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
#include "browser.h"
#include "base/caltime.h"
#include "ui/words.h"

static long long num(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* A check-in of week (NULL: this week) with text in "need". */
static void checkin(const char *tok, const char *week, const char *text)
{
	json_t *j;
	int st = week ? api(&T, "POST", "/api/v1/checkins", tok, &j,
			    "{s:s, s:i, s:{s:i, s:i, s:i, s:i, s:i, s:i}, s:s}", "week", week, "connection", 6,
			    "dimensions", "reliability", 6, "emotional_safety", 6, "honesty", 6, "consistency", 6,
			    "respect", 6, "transparency", 6, "need", text)
		      : api(&T, "POST", "/api/v1/checkins", tok, &j,
			    "{s:i, s:{s:i, s:i, s:i, s:i, s:i, s:i}, s:s}", "connection", 6, "dimensions",
			    "reliability", 6, "emotional_safety", 6, "honesty", 6, "consistency", 6, "respect", 6,
			    "transparency", 6, "need", text);
	if (st != 201)
		fail_msg("check-in %s: %d", text, st);
	json_decref(j);
}

static void post(const char *tok, const char *path, json_t *body, int want, json_t **out)
{
	char *s = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	int st = api_raw(&T, "POST", path, tok, out, s);
	if (st != want)
		fail_msg("POST %s: %d, want %d", path, st, want);
	free(s);
}

static void journal(const char *tok, const char *text, bool share)
{
	json_t *j;
	char path[80];
	post(tok, "/api/v1/journal", json_pack("{s:s}", "text", text), 201, &j);
	snprintf(path, sizeof(path), "/api/v1/journal/%lld/share", num(json_object_get(j, "entry"), "id"));
	json_decref(j);
	if (share) {
		post(tok, path, json_object(), 201, &j);
		json_decref(j);
	}
}

static void trigger(const char *tok, const char *what, const char *visibility)
{
	char day[11], at[32];
	json_t *j;
	couple_day(-3, day);
	snprintf(at, sizeof(at), "%sT10:00:00Z", day);
	post(tok, "/api/v1/triggers", json_pack("{s:s, s:s, s:i, s:s, s:s}", "at", at, "kind", "place", "intensity", 5,
					       "what", what, "visibility", visibility), 201, &j);
	json_decref(j);
}

static void note(const char *tok, const char *path, const char *date_field, const char *text_field, const char *text)
{
	char day[11];
	json_t *j;
	couple_day(-2, day);
	post(tok, path, json_pack("{s:s, s:s}", date_field, day, text_field, text), 201, &j);
	json_decref(j);
}

static void put(const char *tok, const char *path, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	int st = api_raw(&T, "PUT", path, tok, NULL, s);
	if (st != 200)
		fail_msg("PUT %s: %d", path, st);
	free(s);
}

/* tok's daily check-in of today + delta with word. */
static void daily(const char *tok, long delta, const char *word)
{
	char d[11];
	json_t *j;
	couple_day(delta, d);
	post(tok, "/api/v1/daily-checkins", json_pack("{s:i, s:i, s:s, s:s}", "close", 6, "safe", 7, "word", word, "day", d), 201,
	     &j);
	json_decref(j);
}

/* A transparency plan of tok with commitments, agreed by partner (NULL:
 * nobody yet, so it is not on), and a report of tok's with where. */
static void canary_plan(const char *tok, const char *partner, const char *commitments, const char *where)
{
	char ends[11], from[21], until[21], path[80];
	json_t *j;
	couple_day(30, ends);
	instant_format(time(NULL) + 3600, from);
	instant_format(time(NULL) + 7200, until);
	post(tok, "/api/v1/transparency", json_pack("{s:s, s:[s, s], s:s, s:s}", "password", TEST_PASSWORD, "shares",
						    "plans", "whereabouts", "ends_on", ends, "commitments", commitments),
	     201, &j);
	snprintf(path, sizeof(path), "/api/v1/transparency/%lld/agree", num(json_object_get(j, "plan"), "id"));
	json_decref(j);
	if (!partner)
		return;
	post(partner, path, json_object(), 200, &j);
	json_decref(j);
	post(tok, "/api/v1/whereabouts", json_pack("{s:s, s:s, s:s, s:s}", "where", where, "with", "a friend", "from",
						   from, "until", until), 201, &j);
	json_decref(j);
}

/* The couple's records: canaries of every kind. A's this-week check-in is
 * open to B only once B answers too (B does not), B's of two weeks ago is
 * open to A (its reveal time has passed). */
static void write_canaries(void)
{
	char week[9];
	struct isoweek w;
	json_t *j;
	isoweek_of(couple_today() - 14, &w);
	isoweek_format(&w, week);

	journal(F.a, "canary A journal private", false);
	journal(F.a, "canary A journal shared", true);
	journal(F.b, "canary B journal private", false);
	journal(F.d, "canary D journal private", true);
	checkin(F.a, NULL, "canary A checkin this week");
	checkin(F.b, week, "canary B checkin revealed");
	checkin(F.d, NULL, "canary D checkin");
	post(F.b, "/api/v1/appreciations", json_pack("{s:s}", "text", "canary B appreciation"), 201, &j);
	json_decref(j);
	post(F.a, "/api/v1/vulnerabilities", json_pack("{s:s, s:s}", "kind", "hope", "text", "canary A sharing"), 201, &j);
	json_decref(j);
	char today[11];
	couple_day(0, today);
	post(F.b, "/api/v1/connections", json_pack("{s:s, s:i, s:s, s:s}", "day", today, "minutes", 30, "kind", "walk",
						  "note", "canary B together"), 201, &j);
	json_decref(j);
	trigger(F.a, "canary A trigger shared", "shared");
	trigger(F.b, "canary B trigger private", "private");
	post(F.a, "/api/v1/agreements", json_pack("{s:s, s:s}", "topic", "friendships", "text", "canary A agreement"),
	     201, &j);
	json_decref(j);
	note(F.b, "/api/v1/wins", "day", "text", "canary B win");
	couple_day(-400, today);
	post(F.a, "/api/v1/timeline", json_pack("{s:s, s:s, s:s}", "date", today, "title", "canary A timeline", "trust",
						"high"), 201, &j);
	json_decref(j);
	couple_day(5, today);
	post(F.b, "/api/v1/promises", json_pack("{s:s, s:s}", "text", "canary B promise", "due", today), 201, &j);
	json_decref(j);
	post(F.a, "/api/v1/hard-dates", json_pack("{s:s, s:s, s:b}", "date", today, "label", "canary A hard date",
						 "yearly", 0), 201, &j);
	json_decref(j);
	post(F.b, "/api/v1/trigger-plans", json_pack("{s:s, s:s, s:s}", "kind", "place", "needs", "canary B plan",
						    "response", "a calm walk"), 201, &j);
	json_decref(j);
	post(F.d, "/api/v1/appreciations", json_pack("{s:s}", "text", "canary D appreciation"), 201, &j);
	json_decref(j);
	note(F.a, "/api/v1/setbacks", "day", "text", "canary A setback");
	put(F.a, "/api/v1/vision", json_pack("{s:s}", "text", "canary A vision"));
	put(F.b, "/api/v1/safety", json_pack("{s:{s:b, s:b, s:b, s:b}}", "answers", "physical", 0, "emotional", 0,
					     "verbal", 0, "afraid", 0));
	/* readiness: A's answers private, B's shared (seen on B's page only:
	 * the export holds the person's own answers) */
	put(F.a, "/api/v1/readiness", json_pack("{s:{s:s}, s:b}", "survive", "love", "unsure", "shared", 0));
	put(F.b, "/api/v1/readiness", json_pack("{s:{s:s}, s:b}", "survive", "love", "not_yet", "shared", 1));
	/* a transparency plan B offers and A agrees to, with a report of B's
	 * that A may read while it is on; D's plan with a report of its own */
	canary_plan(F.b, F.a, "canary B commitments", "canary B whereabouts");
	canary_plan(F.d, NULL, "canary D commitments", "canary D whereabouts");
	post(F.a, "/api/v1/recovery-criteria", json_pack("{s:s, s:s}", "kind", "statement", "text", "canary A criterion"),
	     201, &j);
	json_decref(j);
	post(F.d, "/api/v1/recovery-criteria", json_pack("{s:s, s:s}", "kind", "statement", "text", "canary D criterion"),
	     201, &j);
	json_decref(j);
	/* roadmap notes are their author's alone; the status is both partners' */
	put(F.a, "/api/v1/roadmap/steps/1", json_pack("{s:s, s:s}", "status", "in_progress", "note", "canary A roadmap note"));
	put(F.b, "/api/v1/roadmap/steps/2", json_pack("{s:s, s:s}", "status", "done", "note", "canary B roadmap note"));
	/* daily check-ins: A's of today is closed to B (B has not checked in
	 * today); B's of three days ago is open to A (its day has passed) */
	daily(F.a, 0, "canary A daily today");
	daily(F.b, -3, "canary B daily revealed");
	daily(F.d, 0, "canary D daily");
	/* the no-contact commitment: a couple's setting, both partners' */
	couple_day(-20, today);
	put(F.a, "/api/v1/no-contact", json_pack("{s:s, s:s}", "since", today, "verified", "canary A no contact"));
	put(F.d, "/api/v1/no-contact", json_pack("{s:s, s:s}", "since", today, "verified", "canary D no contact"));
}

/* The export of tok (password right), or fails. */
static json_t *export_of(const char *tok)
{
	json_t *j;
	post(tok, "/api/v1/export", json_pack("{s:s}", "password", TEST_PASSWORD), 200, &j);
	return j;
}

/* Whether text appears in records[kind] of doc (kind NULL: anywhere). */
static bool holds(json_t *doc, const char *kind, const char *text)
{
	json_t *x = kind ? json_object_get(json_object_get(doc, "records"), kind) : doc;
	char *s = x ? json_dumps(x, JSON_ENCODE_ANY) : NULL;
	bool found = s && strstr(s, text);
	free(s);
	return found;
}

/* Every canary, the kind it belongs to, and who of A, B, D may see it. */
static const struct cell {
	const char *text, *kind;
	bool seen[3];
} CELLS[] = {
	/*                                                               A      B      D */
	{ "canary A journal private", "journal",                      { true,  false, false } },
	{ "canary A journal shared", "journal_shared",                { true,  true,  false } },
	{ "canary B journal private", "journal",                      { false, true,  false } },
	{ "canary D journal private", "journal",                      { false, false, true } },
	{ "canary A checkin this week", "checkins",                   { true,  false, false } },
	{ "canary B checkin revealed", "checkins",                    { true,  true,  false } },
	{ "canary D checkin", "checkins",                             { false, false, true } },
	{ "canary B appreciation", "appreciations",                   { true,  true,  false } },
	{ "canary A sharing", "sharing",                              { true,  true,  false } },
	{ "canary B together", "time_together",                       { true,  true,  false } },
	{ "canary A trigger shared", "triggers",                      { true,  true,  false } },
	{ "canary B trigger private", "triggers",                     { false, true,  false } },
	{ "canary A agreement", "agreements",                         { true,  true,  false } },
	{ "canary B win", "wins",                                     { true,  true,  false } },
	{ "canary A setback", "setbacks",                             { true,  true,  false } },
	{ "canary A vision", "visions",                               { true,  false, false } },
	{ "canary A timeline", "timeline",                            { true,  true,  false } },
	{ "canary B promise", "promises",                             { true,  true,  false } },
	{ "canary A hard date", "hard_dates",                         { true,  true,  false } },
	{ "canary B plan", "trigger_plans",                           { true,  true,  false } },
	{ "canary D appreciation", "appreciations",                   { false, false, true } },
	{ "canary B commitments", "transparency_plans",               { true,  true,  false } },
	{ "canary B whereabouts", "transparency_reports",             { true,  true,  false } },
	{ "canary D commitments", "transparency_plans",               { false, false, true } },
	{ "canary A criterion", "recovery_criteria",                  { true,  true,  false } },
	{ "canary D criterion", "recovery_criteria",                  { false, false, true } },
	{ "canary A roadmap note", "roadmap",                         { true,  false, false } },
	{ "canary B roadmap note", "roadmap",                         { false, true,  false } },
	{ "canary A daily today", "daily_checkins",                   { true,  false, false } },
	{ "canary B daily revealed", "daily_checkins",                { true,  true,  false } },
	{ "canary D daily", "daily_checkins",                         { false, false, true } },
	{ "canary A no contact", "truth",                             { true,  true,  false } },
	{ "canary D no contact", "truth",                             { false, false, true } },
};

/* The answer to factor in doc's timeline_factors, "whose:answer", or NULL
 * when it holds none (into out). */
static const char *factor_in(json_t *doc, const char *factor, char out[64])
{
	json_t *a = json_object_get(json_object_get(doc, "records"), "timeline_factors"), *x;
	size_t i;
	json_array_foreach(a, i, x)
		if (!strcmp(json_string_value(json_object_get(x, "factor")), factor)) {
			snprintf(out, 64, "%s:%s", json_string_value(json_object_get(x, "whose")),
				 json_string_value(json_object_get(x, "answer")));
			return out;
		}
	return NULL;
}

/* What shapes the timeline: the couple's answers in both exports, each
 * one's own answers only in their own. */
static void the_timeline_factors_go_with_whoever_may_see_them(void **state)
{
	(void)state;
	put(F.a, "/api/v1/insights/factors", json_pack("{s:s, s:s}", "severity", "long", "before", "strained"));
	put(F.b, "/api/v1/insights/factors", json_pack("{s:s}", "commitment", "unsure"));
	json_t *docs[3] = { export_of(F.a), export_of(F.b), export_of(F.d) };
	char got[64];
	assert_string_equal(factor_in(docs[0], "severity", got), "ours:long");
	assert_string_equal(factor_in(docs[1], "severity", got), "ours:long");
	assert_string_equal(factor_in(docs[0], "before", got), "mine:strained");
	assert_null(factor_in(docs[1], "before", got));
	assert_string_equal(factor_in(docs[1], "commitment", got), "mine:unsure");
	assert_null(factor_in(docs[0], "commitment", got));
	assert_int_equal(json_array_size(json_object_get(json_object_get(docs[2], "records"), "timeline_factors")), 0);
	for (int i = 0; i < 3; i++)
		json_decref(docs[i]);
}

static void matrix(json_t *docs[3])
{
	static const char *const WHO[] = { "A", "B", "D" };
	for (size_t c = 0; c < sizeof(CELLS) / sizeof(*CELLS); c++)
		for (int v = 0; v < 3; v++) {
			bool in_kind = holds(docs[v], CELLS[c].kind, CELLS[c].text);
			bool anywhere = holds(docs[v], NULL, CELLS[c].text);
			if (CELLS[c].seen[v] ? !in_kind : anywhere)
				fail_msg("%s in %s's export: %s, want %s", CELLS[c].text, WHO[v],
					 anywhere ? "present" : "absent", CELLS[c].seen[v] ? "present" : "absent");
		}
}

static void each_partner_exports_what_they_may_see_and_nothing_else(void **state)
{
	(void)state;
	write_canaries();
	json_t *docs[3] = { export_of(F.a), export_of(F.b), export_of(F.d) };
	matrix(docs);

	/* the document: what it is, who it is for */
	assert_string_equal(json_string_value(json_object_get(docs[0], "format")), "troth-export");
	assert_int_equal(num(docs[0], "version"), 2);
	assert_string_equal(json_string_value(json_object_get(json_object_get(docs[0], "person"), "username")), "ana");
	assert_string_equal(json_string_value(json_object_get(json_object_get(docs[1], "person"), "username")), "ben");
	/* field by field: the private entry is A's own, the shared copy says whose */
	json_t *rec = json_object_get(docs[0], "records");
	json_t *mine = json_array_get(json_object_get(rec, "journal"), 0);
	assert_int_equal(json_array_size(json_object_get(rec, "journal")), 2);
	assert_non_null(strstr(json_string_value(json_object_get(mine, "text")), "canary A journal"));
	json_t *shared = json_array_get(json_object_get(json_object_get(docs[1], "records"), "journal_shared"), 0);
	assert_string_equal(json_string_value(json_object_get(shared, "text")), "canary A journal shared");
	assert_false(json_is_true(json_object_get(shared, "mine")));
	/* B sees one check-in of A's? none: A's week is still closed to B */
	json_t *bc = json_object_get(json_object_get(docs[1], "records"), "checkins");
	assert_int_equal(json_array_size(bc), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(bc, 0), "author")), "me");
	/* the safety check: B's own in B's export, never in A's */
	assert_int_equal(json_array_size(json_object_get(json_object_get(docs[1], "records"), "safety_check")), 1);
	assert_int_equal(json_array_size(json_object_get(rec, "safety_check")), 0);
	/* the agreement carries its versions */
	json_t *ag = json_array_get(json_object_get(rec, "agreements"), 0);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(ag, "versions"), 0), "text")),
			    "canary A agreement");
	/* readiness: each one's own answers, never the partner's, shared or not */
	for (int i = 0; i < 2; i++) {
		json_t *rd = json_object_get(json_object_get(docs[i], "records"), "readiness");
		assert_int_equal(json_array_size(rd), 1);
		assert_string_equal(json_string_value(json_object_get(
					    json_object_get(json_array_get(rd, 0), "survive"), "love")),
				    i == 0 ? "unsure" : "not_yet");
	}
	/* the roadmap: B's step is in A's export with B's status, not B's note */
	json_t *steps = json_object_get(rec, "roadmap");
	assert_int_equal(json_array_size(steps), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(steps, 1), "partner")), "done");
	assert_true(json_is_null(json_object_get(json_array_get(steps, 1), "note")));
	/* B's report, in A's export, says it is the partner's */
	json_t *rep = json_array_get(json_object_get(rec, "transparency_reports"), 0);
	assert_string_equal(json_string_value(json_object_get(rep, "author")), "partner");
	/* A's copy read B's reports while B's plan is on: B sees that A looked */
	json_t *plans = api_get(&T, "/api/v1/transparency", F.b);
	assert_int_equal(num(json_array_get(json_object_get(plans, "plans"), 0), "views"), 1);
	json_decref(plans);
	/* the daily check-ins: A's own and B's revealed one, with their numbers */
	json_t *dl = json_object_get(rec, "daily_checkins");
	assert_int_equal(json_array_size(dl), 2);
	assert_int_equal(num(json_array_get(dl, 0), "safe"), 7);
	assert_int_equal(json_array_size(json_object_get(json_object_get(docs[1], "records"), "daily_checkins")), 1);
	for (int i = 0; i < 3; i++)
		json_decref(docs[i]);

	/* once B writes a vision too, each sees the other's */
	put(F.b, "/api/v1/vision", json_pack("{s:s}", "text", "canary B vision"));
	docs[0] = export_of(F.a);
	docs[1] = export_of(F.b);
	assert_true(holds(docs[0], "visions", "canary B vision"));
	assert_true(holds(docs[1], "visions", "canary A vision"));
	json_decref(docs[0]);
	json_decref(docs[1]);
}

/* The export column of the authorization matrix: who may ask, and how. */
static void the_export_needs_a_login_and_the_password(void **state)
{
	(void)state;
	json_t *j;
	const char *const paths[] = { "/api/v1/export", "/api/v1/export.html" };
	for (int i = 0; i < 2; i++) {
		assert_int_equal(api(&T, "POST", paths[i], NULL, &j, "{s:s}", "password", TEST_PASSWORD), 401);
		json_decref(j);
		assert_int_equal(api(&T, "POST", paths[i], F.a, &j, "{s:s}", "password", "not the password"), 403);
		assert_string_equal(err_code(j), "reauth_failed");
		assert_string_equal(err_field(j), "password");
		json_decref(j);
		assert_int_equal(api(&T, "POST", paths[i], F.a, &j, NULL), 415);
		json_decref(j);
		assert_int_equal(api(&T, "POST", paths[i], F.a, &j, "{s:s, s:s}", "password", TEST_PASSWORD, "as", "x"),
				 400);
		assert_string_equal(err_code(j), "unknown_field");
		json_decref(j);
		/* a password never travels in a URL: there is no GET */
		assert_int_equal(api(&T, "GET", paths[i], F.a, &j, NULL), 405);
		json_decref(j);
	}
	/* the operator, with no couple, gets a copy of their own with no records of a couple */
	assert_int_equal(api(&T, "POST", "/api/v1/export", F.op, &j, "{s:s}", "password", TEST_PASSWORD), 200);
	assert_true(json_is_null(json_object_get(j, "couple")));
	assert_int_equal(json_array_size(json_object_get(json_object_get(j, "records"), "journal")), 0);
	json_decref(j);
	/* wrong passwords are throttled like logins */
	int st = 0;
	for (int i = 0; i < 12 && st != 429; i++) {
		st = api(&T, "POST", "/api/v1/export", F.b, &j, "{s:s}", "password", "still not it");
		json_decref(j);
	}
	assert_int_equal(st, 429);
	assert_int_equal(api(&T, "POST", "/api/v1/export", F.b, &j, "{s:s}", "password", TEST_PASSWORD), 429);
	json_decref(j);
}

static void the_readable_copy_is_one_file_in_date_order(void **state)
{
	(void)state;
	write_canaries();
	struct req r;
	const char *hdr[] = { "Authorization", NULL, "Content-Type", "application/json", NULL };
	char auth[128], body[128];
	snprintf(auth, sizeof(auth), "Bearer %s", F.b);
	hdr[1] = auth;
	snprintf(body, sizeof(body), "{\"password\":\"%s\"}", TEST_PASSWORD);
	thttp_do(&T, &r, "POST", "/api/v1/export.html", hdr, body, strlen(body));
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.content_type, "text/html"));
	assert_non_null(strstr(thttp_header(&r, "Content-Disposition"), "attachment"));
	char *html = strndup(r.out.s, r.out.len);
	req_release(&r);
	/* B's words and the shared ones; nothing private of A's or D's; and
	 * self-contained: no script, no link to anything outside */
	static const char *const PRESENT[] = { "canary B journal private", "canary A journal shared",
					       "canary A agreement", "How connected we felt", "canary B roadmap note",
					       "canary B commitments", "canary B whereabouts", "canary B daily revealed",
					       "canary A criterion", "Do I still love my partner? Not yet",
					       "How close and how safe each day felt", "close 6, safe 7 of 10" };
	static const char *const ABSENT[] = { "canary A journal private", "canary A checkin this week", "canary D",
					      "canary A roadmap note", "canary A daily today", "unsure",
					      "<script", "src=", "<link", "http" };
	for (size_t i = 0; i < sizeof(PRESENT) / sizeof(*PRESENT); i++)
		if (!strstr(html, PRESENT[i]))
			fail_msg("the copy lacks %s", PRESENT[i]);
	for (size_t i = 0; i < sizeof(ABSENT) / sizeof(*ABSENT); i++)
		if (strstr(html, ABSENT[i]))
			fail_msg("the copy holds %s", ABSENT[i]);
	/* instants said as days on the couple's clock, not as data */
	struct arena ar = ARENA_INIT;
	assert_non_null(strstr(html, arena_printf(&ar, "made %s, ", words_day(&ar, couple_today()))));
	assert_null(strstr(html, "Z</dd>"));
	arena_release(&ar);
	/* in date order: the check-in of two weeks ago comes before this week's win */
	char *old = strstr(html, "canary B checkin revealed"), *recent = strstr(html, "canary B win");
	assert_non_null(old);
	assert_non_null(recent);
	assert_true(old < recent);
	free(html);
}

static void the_page_offers_both_downloads_without_javascript(void **state)
{
	(void)state;
	struct browser b;
	struct req r;
	write_canaries();
	struct browser anon;
	memset(&anon, 0, sizeof(anon));
	assert_int_equal(b_do(&T, &anon, &r, "GET", "/settings/data", NULL), 303);
	assert_non_null(strstr(thttp_header(&r, "Location"), "/login"));
	req_release(&r);
	b_login(&T, &b, "ana");
	b_page_has(&T, &b, "/settings", 200, "href=\"/settings/data\"", NULL);
	b_page_has(&T, &b, "/more", 200, "href=\"/settings/data\"", NULL);
	b_page_has(&T, &b, "/settings/data", 200, "What the copy holds", "What it does not hold", "name=\"password\"",
		   NULL);
	/* closing and parting: linked exactly when those pages are there */
	static const char *const LINKS[][2] = { { "/settings/delete", "href=\"/settings/delete\"" },
						{ "/couple/part", "href=\"/couple/part\"" } };
	for (int i = 0; i < 2; i++) {
		bool there = b_do(&T, &b, &r, "GET", LINKS[i][0], NULL) != 404;
		req_release(&r);
		if (there)
			b_page_has(&T, &b, "/settings/data", 200, LINKS[i][1], NULL);
		else
			b_page_lacks(&T, &b, "/settings/data", LINKS[i][1]);
	}
	assert_int_equal(b_submit(&T, &b, &r, "/settings/data/export", "format=html&password=wrong+one"), 403);
	assert_non_null(strstr(r.out.s, "That password was not right"));
	req_release(&r);
	assert_int_equal(b_submit(&T, &b, &r, "/settings/data/export", "format=html"), 400);
	req_release(&r);
	assert_int_equal(b_submit(&T, &b, &r, "/settings/data/export", "format=html&password=correct+horse+battery"), 200);
	assert_non_null(strstr(thttp_header(&r, "Content-Disposition"), "attachment; filename=\"troth-"));
	assert_non_null(strstr(r.out.s, "canary A journal private"));
	req_release(&r);
	assert_int_equal(b_submit(&T, &b, &r, "/settings/data/export", "format=json&password=correct+horse+battery"), 200);
	assert_non_null(strstr(thttp_header(&r, "Content-Disposition"), ".json\""));
	assert_non_null(strstr(r.content_type, "application/json"));
	json_t *doc = json_loadb(r.out.s, r.out.len, 0, NULL);
	assert_true(holds(doc, "journal", "canary A journal private"));
	assert_false(holds(doc, NULL, "canary B journal private"));
	json_decref(doc);
	req_release(&r);
}

/* --dump a|b: the export of that partner of the canary couple on stdout. */
static int dump(const char *who)
{
	couple_setup(NULL);
	write_canaries();
	json_t *doc = export_of(!strcmp(who, "b") ? F.b : F.a);
	char *s = json_dumps(doc, JSON_INDENT(1));
	fputs(s, stdout);
	free(s);
	json_decref(doc);
	couple_teardown(NULL);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--dump"))
		return dump(argv[2]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(each_partner_exports_what_they_may_see_and_nothing_else, couple_setup,
						couple_teardown),
		cmocka_unit_test_setup_teardown(the_export_needs_a_login_and_the_password, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(the_timeline_factors_go_with_whoever_may_see_them, couple_setup,
						couple_teardown),
		cmocka_unit_test_setup_teardown(the_readable_copy_is_one_file_in_date_order, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(the_page_offers_both_downloads_without_javascript, couple_setup,
						couple_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
