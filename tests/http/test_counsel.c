/* test_counsel.c: the counsellor through the real routes: a counsellor's
 * account (with an operator's code or a couple's invitation), consent
 * (both partners needed, either ends it at once, a new invitation opens
 * nothing from before), the care key's wraps, what the counsellor sees
 * (only what each partner shares, never a private canary), the pages
 * without JavaScript, and the authorization matrix with the counsellor
 * (with access, after withdrawal, another couple's counsellor). */
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
#include "db/db.h"
#include "auth/throttle.h"
#include "features/demo.h"

/* A new signup code from the operator, into code. */
static void operator_code(char code[64])
{
	json_t *j;
	assert_int_equal(api(&T, "POST", "/api/v1/signup-codes", F.op, &j, NULL), 201);
	snprintf(code, 64, "%s", json_string_value(json_object_get(j, "invite_code")));
	json_decref(j);
}

/* A counsellor's account for user with code; returns the status. */
static int therapist_signup(const char *user, const char *code)
{
	json_t *j;
	int st = api(&T, "POST", "/api/v1/therapist/accounts", NULL, &j, "{s:s, s:s, s:s, s:s}", "username", user,
		     "password", TEST_PASSWORD, "display_name", user, "invite_code", code);
	if (st == 201)
		assert_string_equal(json_string_value(json_object_get(json_object_get(j, "user"), "kind")), "therapist");
	json_decref(j);
	return st;
}

/* A partner's invitation code (POST /api/v1/counsellor/invite), into code. */
static void invite(const char *tok, char code[64])
{
	json_t *j;
	assert_int_equal(api(&T, "POST", "/api/v1/counsellor/invite", tok, &j, NULL), 201);
	snprintf(code, 64, "%s", json_string_value(json_object_get(j, "invite_code")));
	json_decref(j);
}

/* The counsellor joins with code; returns the status. */
static int join(const char *tok, const char *code)
{
	json_t *j;
	int st = api(&T, "POST", "/api/v1/therapist/join", tok, &j, "{s:s}", "invite_code", code);
	json_decref(j);
	return st;
}

/* The id of the newest link on the counsellor's list, and its status. */
static long long newest_couple(const char *tok, char status[16])
{
	json_t *j = api_get(&T, "/api/v1/therapist/couples", tok);
	json_t *c = json_array_get(json_object_get(j, "couples"), 0);
	assert_non_null(c);
	long long id = json_integer_value(json_object_get(c, "id"));
	snprintf(status, 16, "%s", json_string_value(json_object_get(c, "status")));
	json_decref(j);
	return id;
}

/* GET path as b answers 303 to location. */
static void http_redirects_as(struct browser *b, const char *path, const char *location)
{
	struct req r;
	b_do(&T, b, &r, "GET", path, NULL);
	assert_int_equal(r.status, 303);
	const char *l = kv_get(&r.resp_headers, "Location");
	assert_non_null(l);
	assert_string_equal(l, location);
	req_release(&r);
}

/* Logs a counsellor in through the login form: their home is their list. */
static void t_login(struct browser *b, const char *user)
{
	struct req r;
	char form[256];
	memset(b, 0, sizeof(*b));
	snprintf(form, sizeof(form), "username=%s&password=correct+horse+battery", user);
	b_do(&T, b, &r, "POST", "/login", form);
	assert_int_equal(r.status, 303);
	req_release(&r);
	http_redirects_as(b, "/", "/therapist");
	free(b_get(&T, b, "/therapist", 200));
}

static int call(const char *method, const char *path, const char *tok)
{
	json_t *j;
	int st = api(&T, method, path, tok, &j, NULL);
	json_decref(j);
	return st;
}

/* The partner's counsellor status ("invited", "waiting", "active"; "" for none). */
static const char *status_of(const char *tok)
{
	static char s[16];
	json_t *j = api_get(&T, "/api/v1/counsellor", tok);
	json_t *c = json_object_get(j, "counsellor");
	snprintf(s, sizeof(s), "%s", json_is_object(c) ? json_string_value(json_object_get(c, "status")) : "");
	json_decref(j);
	return s;
}

/* Counsellor "tess" with access to ana and ben: returns her token and the
 * link's id in *id. */
static const char *tess_with_access(long long *id)
{
	char code[64], st[16];
	operator_code(code);
	assert_int_equal(therapist_signup("tess", code), 201);
	const char *t = api_login(&T, "tess", 8);
	invite(F.a, code);
	assert_int_equal(join(t, code), 200);
	assert_int_equal(call("POST", "/api/v1/counsellor/agree", F.a), 200);
	assert_int_equal(call("POST", "/api/v1/counsellor/agree", F.b), 200);
	*id = newest_couple(t, st);
	assert_string_equal(st, "active");
	return t;
}

static void access_needs_both_and_ends_when_either_stops(void **state)
{
	(void)state;
	char code[64], path[64], st[16];
	operator_code(code);
	assert_int_equal(therapist_signup("tess", code), 201);
	const char *t = api_login(&T, "tess", 8);
	/* nobody invited yet: the counsellor has no couple */
	assert_int_equal(api_count(&T, "/api/v1/therapist/couples", t, "couples"), 0);
	assert_string_equal(status_of(F.a), "");
	invite(F.a, code);
	assert_string_equal(status_of(F.b), "invited");
	/* saying yes before the counsellor has used the code is refused */
	json_t *j;
	api_error(api(&T, "POST", "/api/v1/counsellor/agree", F.b, &j, NULL), j, 409, "counsellor_not_joined", NULL);
	assert_int_equal(join(t, code), 200);
	long long id = newest_couple(t, st);
	assert_string_equal(st, "waiting");
	snprintf(path, sizeof(path), "/api/v1/therapist/couples/%lld", id);
	assert_int_equal(call("GET", path, t), 404);
	/* one yes is not enough */
	assert_int_equal(call("POST", "/api/v1/counsellor/agree", F.a), 200);
	assert_string_equal(status_of(F.a), "waiting");
	assert_int_equal(call("GET", path, t), 404);
	assert_int_equal(store_count("SELECT count(*) FROM counsel_key"), 1);
	assert_int_equal(store_count("SELECT count(*) FROM counsel_link WHERE pending_key IS NOT NULL"), 1);
	/* both: access, and the care key is wrapped for each partner and the counsellor */
	assert_int_equal(call("POST", "/api/v1/counsellor/agree", F.b), 200);
	assert_string_equal(status_of(F.a), "active");
	assert_int_equal(call("GET", path, t), 200);
	assert_int_equal(store_count("SELECT count(*) FROM counsel_key"), 3);
	assert_int_equal(store_count("SELECT count(*) FROM counsel_link WHERE pending_key IS NOT NULL"), 0);
	j = api_get(&T, path, t);
	json_t *partners = json_object_get(json_object_get(j, "couple"), "partners");
	assert_int_equal(json_array_size(partners), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(partners, 0), "name")), "ana");
	assert_string_equal(json_string_value(json_object_get(json_array_get(partners, 1), "name")), "ben");
	json_decref(j);
	/* ben stops: the very next request is 404, and the counsellor learns only "ended" */
	assert_int_equal(call("POST", "/api/v1/counsellor/withdraw", F.b), 200);
	assert_int_equal(call("GET", path, t), 404);
	assert_string_equal(status_of(F.a), "");
	j = api_get(&T, "/api/v1/therapist/couples", t);
	json_t *c = json_array_get(json_object_get(j, "couples"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "status")), "ended");
	assert_int_equal(json_object_size(c), 2); /* id and status: no names, no who */
	json_decref(j);
	assert_int_equal(store_count("SELECT count(*) FROM counsel_key"), 0);
	assert_int_equal(store_count("SELECT count(*) FROM counsel_copy"), 0);
	/* a new invitation is a new link with a new key; the old one stays closed */
	invite(F.b, code);
	assert_int_equal(join(t, code), 200);
	assert_int_equal(call("POST", "/api/v1/counsellor/agree", F.a), 200);
	assert_int_equal(call("POST", "/api/v1/counsellor/agree", F.b), 200);
	long long id2 = newest_couple(t, st);
	assert_true(id2 != id);
	assert_string_equal(st, "active");
	assert_int_equal(call("GET", path, t), 404);
	snprintf(path, sizeof(path), "/api/v1/therapist/couples/%lld", id2);
	assert_int_equal(call("GET", path, t), 200);
	/* a code works once */
	assert_int_equal(join(t, code), 404);
}

static void a_couples_invitation_makes_a_counsellors_account(void **state)
{
	(void)state;
	char code[64], st[16];
	invite(F.a, code);
	/* a partner's invitation to the couple is not a counsellor's code */
	json_t *j;
	api_error(api(&T, "POST", "/api/v1/therapist/accounts", NULL, &j, "{s:s, s:s, s:s, s:s}", "username", "tia",
		      "password", TEST_PASSWORD, "display_name", "Tia", "invite_code", "AAAA-BBBB-CCCC-DDDD"),
		  j, 404, "invalid_invite", "invite_code");
	api_error(api(&T, "POST", "/api/v1/therapist/accounts", NULL, &j, "{s:s, s:s, s:s, s:s, s:s}", "username",
		      "tia", "password", TEST_PASSWORD, "display_name", "Tia", "invite_code", code, "role", "hurt"),
		  j, 400, "unknown_field", "role");
	assert_int_equal(therapist_signup("tia", code), 201);
	const char *t = api_login(&T, "tia", 8);
	newest_couple(t, st);
	assert_string_equal(st, "waiting");
	assert_string_equal(status_of(F.b), "waiting");
	/* the code is used up */
	assert_int_equal(therapist_signup("tib", code), 404);
	/* a counsellor joins no couple and has no couple's records */
	api_error(api(&T, "POST", "/api/v1/couple", t, &j, "{s:s, s:s}", "role", "hurt", "timezone", "UTC"), j, 409,
		  "counsellor_account", NULL);
	api_error(api(&T, "GET", "/api/v1/checkins", t, &j, NULL), j, 409, "no_couple", NULL);
	/* and a partner has no counsellor's list */
	assert_int_equal(call("GET", "/api/v1/therapist/couples", F.a), 404);
	assert_int_equal(join(F.a, code), 404);
	/* a new code while a counsellor is there is refused */
	api_error(api(&T, "POST", "/api/v1/counsellor/invite", F.a, &j, NULL), j, 409, "counsellor_present", NULL);
}

static void post(const char *tok, const char *path, json_t *body, int want)
{
	char *s = json_dumps(body, JSON_COMPACT);
	json_t *j;
	json_decref(body);
	int st = api_raw(&T, "POST", path, tok, &j, s);
	if (st != want)
		fail_msg("POST %s: %d, want %d (%s)", path, st, want, err_code(j) ? err_code(j) : "");
	json_decref(j);
	free(s);
}

static void put(const char *tok, const char *path, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT);
	json_t *j;
	json_decref(body);
	int st = api_raw(&T, "PUT", path, tok, &j, s);
	if (st != 200)
		fail_msg("PUT %s: %d (%s)", path, st, err_code(j) ? err_code(j) : "");
	json_decref(j);
	free(s);
}

static void checkin(const char *tok, const char *week, int connection, const char *need)
{
	json_t *b = json_pack("{s:i, s:{s:i, s:i, s:i, s:i, s:i, s:i}, s:s}", "connection", connection, "dimensions",
			      "reliability", 5, "emotional_safety", 5, "honesty", 5, "consistency", 5, "respect", 5,
			      "transparency", 5, "need", need);
	if (week)
		json_object_set_new(b, "week", json_string(week));
	post(tok, "/api/v1/checkins", b, 201);
}

static void trigger(const char *tok, const char *what, const char *visibility, int intensity)
{
	char day[11], at[32];
	couple_day(-3, day);
	snprintf(at, sizeof(at), "%sT10:00:00Z", day);
	post(tok, "/api/v1/triggers", json_pack("{s:s, s:s, s:i, s:s, s:s}", "at", at, "kind", "place", "intensity",
					       intensity, "what", what, "visibility", visibility), 201);
}

/* Every kind of record from both partners: what may be shared, and a
 * private canary of every kind that never may. */
static void write_records(void)
{
	char week[9], day[11];
	struct isoweek w;
	isoweek_of(couple_today() - 14, &w);
	isoweek_format(&w, week);
	json_t *j;
	post(F.a, "/api/v1/journal", json_pack("{s:s}", "text", "canary A journal"), 201);
	checkin(F.a, NULL, 3, "canary A hidden check-in");
	checkin(F.a, week, 7, "canary A check-in need");
	trigger(F.a, "canary A private moment", "private", 9);
	trigger(F.a, "A shared moment", "shared", 6);
	trigger(F.b, "B shared moment", "shared", 4);
	couple_day(5, day);
	post(F.a, "/api/v1/promises", json_pack("{s:s, s:s}", "text", "A promise to call", "due", day), 201);
	couple_day(-2, day);
	post(F.a, "/api/v1/wins", json_pack("{s:s, s:s}", "day", day, "text", "A small win"), 201);
	post(F.b, "/api/v1/wins", json_pack("{s:s, s:s}", "day", day, "text", "B small win"), 201);
	post(F.a, "/api/v1/agreements", json_pack("{s:s, s:s}", "topic", "friendships", "text", "Our agreement text"), 201);
	post(F.a, "/api/v1/vulnerabilities", json_pack("{s:s, s:s}", "kind", "hope", "text", "canary A sharing"), 201);
	post(F.a, "/api/v1/appreciations", json_pack("{s:s}", "text", "canary A appreciation"), 201);
	couple_day(-4, day);
	post(F.b, "/api/v1/disclosures", json_pack("{s:s, s:s}", "on", day, "summary", "canary B disclosure"), 201);
	assert_int_equal(api(&T, "PUT", "/api/v1/readiness", F.a, &j, "{s:{s:s, s:s}}", "survive", "love", "yes", "sorry",
			     "unsure"), 200);
	json_decref(j);
	assert_int_equal(api(&T, "PUT", "/api/v1/safety", F.a, &j, "{s:{s:b, s:b, s:b, s:b}}", "answers", "physical", 0,
			     "emotional", 1, "verbal", 0, "afraid", 1), 200);
	json_decref(j);
	assert_int_equal(api(&T, "PUT", "/api/v1/safety", F.b, &j, "{s:{s:b, s:b, s:b, s:b}}", "answers", "physical", 0,
			     "emotional", 0, "verbal", 0, "afraid", 0), 200);
	json_decref(j);
}

/* Everything the counsellor gets: the API view and the page, as one text. */
static char *therapist_sees(const char *tok, long long id, struct browser *b)
{
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/therapist/couples/%lld", id);
	json_t *j = api_get(&T, path, tok);
	char *api_text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	snprintf(path, sizeof(path), "/therapist/couples/%lld", id);
	char *page = b_get(&T, b, path, 200);
	char *list = b_get(&T, b, "/therapist", 200);
	size_t n = strlen(api_text) + strlen(page) + strlen(list) + 3;
	char *all = malloc(n);
	snprintf(all, n, "%s\n%s\n%s", api_text, page, list);
	free(api_text);
	free(page);
	free(list);
	return all;
}

/* The shared items of kind of partner i (0: ana, 1: ben) in the view. */
static json_t *shared_of(const char *tok, long long id, int i, const char *kind)
{
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/therapist/couples/%lld", id);
	json_t *j = api_get(&T, path, tok);
	json_t *p = json_array_get(json_object_get(json_object_get(j, "couple"), "partners"), (size_t)i);
	json_t *list = json_object_get(json_object_get(p, "shared"), kind);
	json_t *out = list ? json_deep_copy(list) : NULL;
	json_decref(j);
	return out;
}

/* How many hard moments the report counts for partner i in its period. */
static long long report_trigger_count(const char *tok, const char *path, int i)
{
	json_t *j = api_get(&T, path, tok);
	json_t *p = json_array_get(json_object_get(json_object_get(j, "report"), "partners"), (size_t)i);
	json_t *c = json_object_get(json_object_get(p, "triggers"), "count");
	assert_true(json_is_integer(c));
	long long n = json_integer_value(c);
	json_decref(j);
	return n;
}

/* The counsellor's copies as stored: the sum of their row ids and their
 * count, which a rewrite of any copy changes (it deletes and inserts). */
static long long copy_fingerprint(void)
{
	long long sum = 0, n = 0;
	sqlite3 *c = db_reader(&T.app.db);
	assert_int_equal(db_int(c, &sum, "SELECT coalesce(sum(id), 0) FROM counsel_copy", ""), SQLITE_ROW);
	assert_int_equal(db_int(c, &n, "SELECT count(*) FROM counsel_copy", ""), SQLITE_ROW);
	assert_true(n > 0);
	return sum * 1000 + n;
}

/* A week the partner's check-in reveals reaches the counsellor on the
 * first partner's next visit, though nothing of theirs changed. */
static void a_week_the_partner_reveals_reaches_the_counsellor(void **state)
{
	(void)state;
	long long id;
	const char *t = tess_with_access(&id);
	write_records();
	put(F.a, "/api/v1/counsellor/sharing", json_pack("{s:[s]}", "kinds", "checkin_scores"));
	struct browser ba;
	b_login(&T, &ba, "ana");
	free(b_get(&T, &ba, "/", 200));
	free(b_get(&T, &ba, "/", 200));
	json_t *scores = shared_of(t, id, 0, "checkin_scores");
	assert_int_equal(json_array_size(scores), 1);
	json_decref(scores);
	/* ben does this week's check-in: ana's week is revealed to them both */
	checkin(F.b, NULL, 5, "B this week");
	free(b_get(&T, &ba, "/", 200));
	scores = shared_of(t, id, 0, "checkin_scores");
	assert_int_equal(json_array_size(scores), 2);
	json_decref(scores);
}

static void each_partner_decides_what_the_counsellor_sees(void **state)
{
	(void)state;
	long long id;
	const char *t = tess_with_access(&id);
	struct browser tb;
	t_login(&tb, "tess");
	write_records();
	/* nothing shared yet: nothing there */
	char *all = therapist_sees(t, id, &tb);
	assert_holds_none(all, "canary", "A shared moment", "A promise", "A small win", "Our agreement", NULL);
	free(all);
	/* ana shares every kind; ben only the hard moments he shared with ana */
	put(F.a, "/api/v1/counsellor/sharing", json_pack("{s:[s,s,s,s,s,s]}", "kinds", "checkin_scores", "daily_checkins",
							 "triggers", "promises", "wins_setbacks", "agreements"));
	put(F.b, "/api/v1/counsellor/sharing", json_pack("{s:[s]}", "kinds", "triggers"));
	all = therapist_sees(t, id, &tb);
	assert_holds(all, "A shared moment", "B shared moment", "A promise to call", "A small win", "Our agreement text",
		     NULL);
	assert_holds_none(all, "canary", "B small win", NULL);
	free(all);
	/* the check-in scores: the revealed week only, never the hidden one */
	json_t *scores = shared_of(t, id, 0, "checkin_scores");
	assert_int_equal(json_array_size(scores), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(scores, 0), "connection")), 7);
	json_decref(scores);
	json_t *moments = shared_of(t, id, 0, "triggers");
	assert_int_equal(json_array_size(moments), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(moments, 0), "intensity")), 6);
	json_decref(moments);
	/* a record written later reaches the counsellor on their next request,
	 * with no page of the partner's visited in between */
	char day[11];
	couple_day(-1, day);
	post(F.a, "/api/v1/setbacks", json_pack("{s:s, s:s}", "day", day, "text", "A hard day"), 201);
	all = therapist_sees(t, id, &tb);
	assert_holds(all, "A hard day", NULL);
	free(all);
	char rpath0[96];
	snprintf(rpath0, sizeof(rpath0), "/api/v1/therapist/couples/%lld/report", id);
	long long before = report_trigger_count(t, rpath0, 1);
	trigger(F.b, "B second shared moment", "shared", 5);
	assert_int_equal(report_trigger_count(t, rpath0, 1), before + 1);
	/* a write that changes nothing shared rewrites no copy */
	long long copies = copy_fingerprint();
	post(F.a, "/api/v1/journal", json_pack("{s:s}", "text", "canary A second journal"), 201);
	trigger(F.b, "canary B private moment", "private", 3);
	assert_int_equal(copy_fingerprint(), copies);
	/* a single journal entry, marked for the counsellor: a copy of it alone */
	json_t *e;
	assert_int_equal(api(&T, "POST", "/api/v1/journal", F.a, &e, "{s:s}", "text", "A letter for our counsellor"), 201);
	long long entry = json_integer_value(json_object_get(json_object_get(e, "entry"), "id"));
	json_decref(e);
	assert_int_equal(api(&T, "POST", "/api/v1/counsellor/items", F.b, &e, "{s:s, s:I}", "kind", "journal", "id",
			     (json_int_t)entry), 404); /* not ben's to send */
	json_decref(e);
	assert_int_equal(api(&T, "POST", "/api/v1/counsellor/items", F.a, &e, "{s:s, s:I}", "kind", "journal", "id",
			     (json_int_t)entry), 201);
	json_decref(e);
	all = therapist_sees(t, id, &tb);
	assert_holds(all, "A letter for our counsellor", NULL);
	assert_holds_none(all, "canary", NULL);
	free(all);
	json_t *items = shared_of(t, id, 0, "item_journal");
	assert_int_equal(json_array_size(items), 1);
	json_decref(items);
	{
		char rpath[96];
		snprintf(rpath, sizeof(rpath), "/api/v1/therapist/couples/%lld/report", id);
		json_t *rj = api_get(&T, rpath, t);
		json_t *fy = json_object_get(json_object_get(json_array_get(json_object_get(json_object_get(rj, "report"),
											      "partners"), 0), "for_you"), "items");
		assert_int_equal(json_array_size(fy), 1);
		assert_string_equal(json_string_value(json_object_get(json_array_get(fy, 0), "text")),
				    "A letter for our counsellor");
		json_decref(rj);
		snprintf(rpath, sizeof(rpath), "/therapist/couples/%lld/report", id);
		b_page_has(&T, &tb, rpath, 200, "For you", "A letter for our counsellor", NULL);
		b_page_lacks(&T, &tb, rpath, "canary");
	}
	/* ana stops sharing: her copies go; ben's stay (and the single item she sent) */
	put(F.a, "/api/v1/counsellor/sharing", json_pack("{s:[]}", "kinds"));
	all = therapist_sees(t, id, &tb);
	assert_holds_none(all, "canary", "A shared moment", "A promise", "A small win", "Our agreement", "A hard day", NULL);
	assert_holds(all, "B shared moment", "A letter for our counsellor", NULL);
	free(all);
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/counsellor/items/journal/%lld", entry);
	assert_int_equal(call("DELETE", path, F.a), 200);
	assert_int_equal(call("DELETE", path, F.a), 404);
	all = therapist_sees(t, id, &tb);
	assert_holds_none(all, "A letter for our counsellor", NULL);
	free(all);
	/* a kind we do not know, a list that is not one */
	json_t *j;
	api_error(api(&T, "PUT", "/api/v1/counsellor/sharing", F.a, &j, "{s:[s]}", "kinds", "journal"), j, 400,
		  "invalid_field", "kinds.0");
	api_error(api(&T, "PUT", "/api/v1/counsellor/sharing", F.a, &j, "{s:s}", "kinds", "triggers"), j, 400,
		  "invalid_field", "kinds");
	api_error(api(&T, "PUT", "/api/v1/counsellor/sharing", F.a, &j, "{s:[], s:b}", "kinds", "x", 1), j, 400,
		  "unknown_field", "x");
}

/* The finding of kind in the report's findings list named list ("items"
 * or the "not_read" items), or NULL. */
static json_t *finding_in(json_t *report, const char *list, const char *kind)
{
	json_t *f = json_object_get(json_object_get(report, "report"), "findings");
	json_t *items = !strcmp(list, "items") ? json_object_get(f, "items")
					       : json_object_get(json_object_get(f, "not_read"), "items");
	size_t i;
	json_t *x;
	json_array_foreach(items, i, x)
		if (!strcmp(json_string_value(json_object_get(x, "kind")), kind))
			return x;
	return NULL;
}

static void the_report_holds_the_findings_the_shares_allow(void **state)
{
	(void)state;
	long long id;
	const char *t = tess_with_access(&id);
	struct browser tb;
	t_login(&tb, "tess");
	write_records();
	/* ana offers a plan for sixty days, ben agrees, ana stops it the same day */
	char ends[11], path[96], rpath[96], page[96];
	couple_day(60, ends);
	json_t *j;
	assert_int_equal(api(&T, "POST", "/api/v1/transparency", F.a, &j, "{s:s, s:[s], s:s}", "password", TEST_PASSWORD,
			     "shares", "plans", "ends_on", ends), 201);
	long long plan = json_integer_value(json_object_get(json_object_get(j, "plan"), "id"));
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/transparency/%lld/agree", plan);
	assert_int_equal(call("POST", path, F.b), 200);
	snprintf(path, sizeof(path), "/api/v1/transparency/%lld/stop", plan);
	assert_int_equal(call("POST", path, F.a), 200);
	snprintf(rpath, sizeof(rpath), "/api/v1/therapist/couples/%lld/report", id);
	snprintf(page, sizeof(page), "/therapist/couples/%lld/report", id);
	/* only ana shares transparency plans: the red flag cannot be read, and the report says so */
	put(F.a, "/api/v1/counsellor/sharing", json_pack("{s:[s,s]}", "kinds", "transparency", "promises"));
	j = api_get(&T, rpath, t);
	assert_null(finding_in(j, "items", "transparency_stopped_early"));
	json_t *nr = finding_in(j, "not_read", "transparency_stopped_early");
	assert_non_null(nr);
	assert_non_null(strstr(json_string_value(json_object_get(nr, "because")), "Transparency plans"));
	assert_non_null(finding_in(j, "not_read", "counselling_suggested")); /* it reads what is never shared */
	json_decref(j);
	b_page_has(&T, &tb, page, 200, "Could not be read, because something they read is not shared",
		   "A transparency plan was stopped early", NULL);
	/* both share them: the finding is there, with its figures and its source */
	put(F.b, "/api/v1/counsellor/sharing", json_pack("{s:[s]}", "kinds", "transparency"));
	j = api_get(&T, rpath, t);
	json_t *f = finding_in(j, "items", "transparency_stopped_early");
	assert_non_null(f);
	assert_null(finding_in(j, "not_read", "transparency_stopped_early"));
	assert_non_null(strstr(json_string_value(json_object_get(f, "source")), "Transparency plans"));
	json_t *kept = json_array_get(json_object_get(f, "figures"), 0);
	assert_string_equal(json_string_value(json_object_get(kept, "metric")), "plan_days_kept");
	assert_true(json_number_value(json_object_get(kept, "value")) == 0);
	char *text = json_dumps(j, JSON_COMPACT);
	assert_holds_none(text, "canary", NULL);
	free(text);
	json_decref(j);
	b_page_has(&T, &tb, page, 200, "Findings the shares allow", "A transparency plan was stopped early",
		   "plan days kept 0.0", NULL);
	b_page_lacks(&T, &tb, page, "canary");
	/* ana stops sharing them: the finding goes with her copies */
	put(F.a, "/api/v1/counsellor/sharing", json_pack("{s:[s]}", "kinds", "promises"));
	j = api_get(&T, rpath, t);
	assert_null(finding_in(j, "items", "transparency_stopped_early"));
	assert_non_null(finding_in(j, "not_read", "transparency_stopped_early"));
	json_decref(j);
}

/* The id in {"<key>": {"id"}} of a 201 to POST path as tok with body. */
static long long created_id(const char *tok, const char *path, const char *key, json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	json_t *j;
	assert_int_equal(api_raw(&T, "POST", path, tok, &j, text), 201);
	free(text);
	long long id = json_integer_value(json_object_get(json_object_get(j, key), "id"));
	json_decref(j);
	return id;
}

static void an_item_is_sent_to_the_counsellor_from_its_own_page(void **state)
{
	(void)state;
	struct browser a, b;
	b_login_couple(&T, &a, &b);
	char day[11], form[128], loc[256];
	couple_day(-3, day);
	long long entry = created_id(F.a, "/api/v1/journal", "entry", json_pack("{s:s}", "text", "A page for the counsellor"));
	created_id(F.a, "/api/v1/vulnerabilities", "vulnerability", json_pack("{s:s, s:s}", "kind", "hope", "text", "A hope of mine"));
	long long note = created_id(F.a, "/api/v1/timeline", "event",
				    json_pack("{s:s, s:s, s:s}", "date", day, "title", "The day we talked", "trust", "high"));
	const char *pages[] = { "/journal", "/sharing", "/timeline" };
	/* no counsellor yet: no button anywhere */
	for (int i = 0; i < 3; i++)
		b_page_lacks(&T, &a, pages[i], "our counsellor</button>");
	long long id;
	const char *t = tess_with_access(&id);
	/* with access: on each of ana's items, and none on ben's pages, where nothing is his */
	for (int i = 0; i < 3; i++) {
		b_page_has(&T, &a, pages[i], 200, "Send a copy to our counsellor</button>", NULL);
		b_page_lacks(&T, &b, pages[i], "our counsellor</button>");
	}
	/* a plain form post, with the CSRF token, and back to the journal */
	snprintf(form, sizeof(form), "kind=journal&id=%lld&send=yes&back=%%2Fjournal", entry);
	assert_int_equal(b_post(&T, &a, "/counsellor/items", form, NULL, loc), 303);
	assert_string_equal(loc, "/journal");
	b_page_has(&T, &a, "/journal", 200, "Take back the counsellor", NULL);
	json_t *items = shared_of(t, id, 0, "item_journal");
	assert_int_equal(json_array_size(items), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "text")), "A page for the counsellor");
	json_decref(items);
	snprintf(form, sizeof(form), "kind=note&id=%lld&send=yes&back=%%2Ftimeline", note);
	assert_int_equal(b_post(&T, &a, "/counsellor/items", form, NULL, loc), 303);
	assert_string_equal(loc, "/timeline");
	items = shared_of(t, id, 0, "item_note");
	assert_int_equal(json_array_size(items), 1);
	json_decref(items);
	/* without the CSRF token it is refused */
	struct req r;
	snprintf(form, sizeof(form), "kind=journal&id=%lld&send=no", entry);
	assert_int_equal(b_do(&T, &a, &r, "POST", "/counsellor/items", form), 403);
	req_release(&r);
	/* taken back from the same page; another address to come back to is not followed */
	snprintf(form, sizeof(form), "kind=journal&id=%lld&send=no&back=https%%3A%%2F%%2Fexample.com", entry);
	assert_int_equal(b_post(&T, &a, "/counsellor/items", form, NULL, loc), 303);
	assert_string_equal(loc, "/counsellor?done=sharing");
	items = shared_of(t, id, 0, "item_journal");
	assert_int_equal(json_array_size(items), 0);
	json_decref(items);
	b_page_has(&T, &a, "/journal", 200, "Send a copy to our counsellor</button>", NULL);
	/* access ends: the buttons go */
	assert_int_equal(call("POST", "/api/v1/counsellor/withdraw", F.b), 200);
	for (int i = 0; i < 3; i++)
		b_page_lacks(&T, &a, pages[i], "our counsellor</button>");
}

static void a_safety_result_goes_only_when_its_owner_sends_it(void **state)
{
	(void)state;
	long long id;
	const char *t = tess_with_access(&id);
	struct browser bb, tb;
	b_login(&T, &bb, "ben");
	t_login(&tb, "tess");
	write_records();
	put(F.b, "/api/v1/counsellor/sharing", json_pack("{s:[s]}", "kinds", "triggers"));
	/* a visit that changes nothing rewrites no copy; a new shared moment is copied */
	long long copies = store_count("SELECT count(*) FROM counsel_copy WHERE kind = 'triggers'");
	assert_true(copies > 0);
	unsigned long commits = db_commits();
	json_decref(api_get(&T, "/api/v1/counsellor", F.b));
	assert_int_equal(db_commits(), commits);
	trigger(F.b, "B another shared moment", "shared", 3);
	json_decref(api_get(&T, "/api/v1/counsellor", F.b));
	assert_int_equal(store_count("SELECT count(*) FROM counsel_copy WHERE kind = 'triggers'"), copies + 1);
	/* what ben gets, before ana sends anything */
	json_t *j = api_get(&T, "/api/v1/counsellor", F.b);
	char *before = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	char *page_before = b_get(&T, &bb, "/counsellor", 200);
	assert_null(shared_of(t, id, 0, "safety"));
	char *all = therapist_sees(t, id, &tb);
	assert_holds_none(all, "concern", NULL);
	free(all);
	/* ana sends her result: the counsellor has it (the result, not the answers) */
	assert_int_equal(call("POST", "/api/v1/counsellor/safety", F.a), 200);
	json_t *s = shared_of(t, id, 0, "safety");
	assert_int_equal(json_array_size(s), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(s, 0), "result")), "concern");
	assert_null(json_object_get(json_array_get(s, 0), "answers"));
	json_decref(s);
	assert_null(shared_of(t, id, 1, "safety"));
	/* ben's answers are the same, byte for byte */
	j = api_get(&T, "/api/v1/counsellor", F.b);
	char *after = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	assert_string_equal(before, after);
	char *page_after = b_get(&T, &bb, "/counsellor", 200);
	/* the page carries a fresh CSRF token each time only if the session changes: compare as is */
	assert_string_equal(page_before, page_after);
	free(after);
	free(page_after);
	/* resharing does not drop it; taking it back does */
	put(F.a, "/api/v1/counsellor/sharing", json_pack("{s:[s]}", "kinds", "promises"));
	s = shared_of(t, id, 0, "safety");
	assert_int_equal(json_array_size(s), 1);
	json_decref(s);
	assert_int_equal(call("DELETE", "/api/v1/counsellor/safety", F.a), 200);
	assert_null(shared_of(t, id, 0, "safety"));
	j = api_get(&T, "/api/v1/counsellor", F.b);
	after = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	assert_string_equal(before, after);
	free(before);
	free(after);
	free(page_before);
	/* without an open access there is nothing to send */
	assert_int_equal(call("POST", "/api/v1/counsellor/withdraw", F.b), 200);
	api_error(api(&T, "POST", "/api/v1/counsellor/safety", F.a, &j, NULL), j, 409, "nothing_to_send", NULL);
}

/* ---- the demo couple and their counsellor's report ---- */

static const char *demo_login(struct thttp *t, const struct demo_account *a, char tok[80])
{
	return api_login_as(t, a->username, a->password, tok, 80);
}

static json_t *get_on(struct thttp *t, const char *path, const char *tok)
{
	json_t *j;
	int st = api(t, "GET", path, tok, &j, NULL);
	if (st != 200)
		fail_msg("GET %s: %d", path, st);
	return j;
}

static bool within(const char *day, const char *from, const char *to)
{
	return day && strcmp(day, from) >= 0 && strcmp(day, to) <= 0;
}

static double round1(double x)
{
	return (double)(long long)(x * 10.0 + 0.5) / 10.0;
}

/* The report's figures for partner i against that partner's own records,
 * read through their own API. */
static void figures_match(struct thttp *t, const char *tok, json_t *rep, json_t *p, int *checked)
{
	const char *since = json_string_value(json_object_get(rep, "since"));
	const char *until = json_string_value(json_object_get(rep, "until"));
	/* weekly check-ins: the last eight of their own revealed ones */
	json_t *j = get_on(t, "/api/v1/checkins?from=2020-W01", tok);
	double conn[200], trust[200];
	size_t n = 0, i;
	json_t *c;
	json_array_foreach(json_object_get(j, "checkins"), i, c) {
		if (strcmp(json_string_value(json_object_get(c, "author")), "me") || !json_is_true(json_object_get(c, "revealed")))
			continue;
		json_t *d = json_object_get(c, "dimensions");
		conn[n] = (double)json_integer_value(json_object_get(c, "connection"));
		trust[n] = round1((double)(json_integer_value(json_object_get(d, "reliability")) +
					  json_integer_value(json_object_get(d, "emotional_safety")) +
					  json_integer_value(json_object_get(d, "honesty")) +
					  json_integer_value(json_object_get(d, "consistency")) +
					  json_integer_value(json_object_get(d, "respect")) +
					  json_integer_value(json_object_get(d, "transparency"))) / 6.0);
		n++;
	}
	json_decref(j);
	json_t *weeks = json_object_get(json_object_get(p, "checkins"), "weeks");
	size_t shown = n < 8 ? n : 8;
	assert_int_equal(json_array_size(weeks), shown);
	for (i = 0; i < shown; i++) {
		json_t *w = json_array_get(weeks, i);
		assert_true(json_number_value(json_object_get(w, "connection")) == conn[n - shown + i]);
		assert_true(json_number_value(json_object_get(w, "trust")) == trust[n - shown + i]);
	}
	*checked += (int)shown;
	/* hard moments they shared: how many in the period, and their mean intensity */
	j = get_on(t, "/api/v1/triggers", tok);
	int tn = 0, used = 0;
	double sum = 0;
	json_array_foreach(json_object_get(j, "triggers"), i, c) {
		if (!json_is_true(json_object_get(c, "mine")) ||
		    strcmp(json_string_value(json_object_get(c, "visibility")), "shared") ||
		    !within(json_string_value(json_object_get(c, "day")), since, until))
			continue;
		tn++;
		sum += (double)json_integer_value(json_object_get(c, "intensity"));
		used += !json_is_null(json_object_get(c, "plan_id"));
	}
	json_decref(j);
	json_t *tr = json_object_get(p, "triggers");
	assert_int_equal(json_integer_value(json_object_get(tr, "count")), tn);
	assert_int_equal(json_integer_value(json_object_get(tr, "plans_used")), used);
	if (tn)
		assert_true(json_number_value(json_object_get(tr, "mean_intensity")) == round1(sum / tn));
	*checked += tn;
	/* promises they made, due in the period: kept and not kept */
	j = get_on(t, "/api/v1/promises", tok);
	int due = 0, kept = 0, broken = 0;
	json_array_foreach(json_object_get(j, "promises"), i, c) {
		if (!json_is_true(json_object_get(c, "mine")) || !within(json_string_value(json_object_get(c, "due")), since, until))
			continue;
		due++;
		kept += json_is_true(json_object_get(c, "kept"));
		broken += json_is_false(json_object_get(c, "kept"));
	}
	json_decref(j);
	json_t *pr = json_object_get(p, "promises");
	assert_int_equal(json_integer_value(json_object_get(pr, "due")), due);
	assert_int_equal(json_integer_value(json_object_get(pr, "kept")), kept);
	assert_int_equal(json_integer_value(json_object_get(pr, "broken")), broken);
	*checked += due;
	/* wins and setbacks they noted in the period */
	const char *paths[] = { "/api/v1/wins", "/api/v1/setbacks" }, *keys[] = { "wins", "setbacks" };
	for (int k = 0; k < 2; k++) {
		j = get_on(t, paths[k], tok);
		int count = 0;
		json_array_foreach(json_object_get(j, keys[k]), i, c)
			count += json_is_true(json_object_get(c, "mine")) &&
				 within(json_string_value(json_object_get(c, "day")), since, until);
		json_decref(j);
		assert_int_equal(json_integer_value(json_object_get(json_object_get(p, "wins_setbacks"), keys[k])), count);
		*checked += count;
	}
}

static void the_demo_counsellor_reports_what_the_records_say(void **state)
{
	(void)state;
	struct thttp t;
	char msg[256], sam[80], alex[80], robin[80], path[96];
	thttp_open(&t);
	throttle_reset();
	assert_int_equal(demo_create(&t.app.db, msg, sizeof(msg)), DEMO_CREATED);
	/* Robin reads the report before Sam or Alex has logged in: the demo
	 * wrote the copies of what both share */
	demo_login(&t, &demo_therapist, robin);
	json_t *j = get_on(&t, "/api/v1/therapist/couples", robin);
	json_t *couple = json_array_get(json_object_get(j, "couples"), 0);
	long long id = json_integer_value(json_object_get(couple, "id"));
	assert_string_equal(json_string_value(json_object_get(couple, "status")), "active");
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/therapist/couples/%lld/report", id);
	j = get_on(&t, path, robin);
	json_t *rep = json_object_get(j, "report");
	demo_login(&t, &demo_accounts[1], sam);
	demo_login(&t, &demo_accounts[2], alex);
	json_t *cs = get_on(&t, "/api/v1/counsellor", sam);
	assert_string_equal(json_string_value(json_object_get(json_object_get(cs, "counsellor"), "status")), "active");
	assert_string_equal(json_string_value(json_object_get(json_object_get(cs, "counsellor"), "name")), "Robin Hale");
	json_decref(cs);
	/* the period starts at the last session day the demo recorded, 14 days back */
	assert_int_equal(json_array_size(json_object_get(rep, "sessions")), 3);
	assert_string_equal(json_string_value(json_object_get(rep, "since")),
			    json_string_value(json_array_get(json_object_get(rep, "sessions"), 0)));
	/* it ends today on the couple's own clock, not the server's: under the
	 * fixed clocks the couple's day and UTC's day differ */
	char today[11];
	date_format(tz_day(tz_get(DEMO_TIMEZONE), time(NULL)), today);
	assert_string_equal(json_string_value(json_object_get(rep, "until")), today);
	json_t *partners = json_object_get(rep, "partners");
	assert_int_equal(json_array_size(partners), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(partners, 0), "name")), "Sam");
	int checked = 0;
	figures_match(&t, sam, rep, json_array_get(partners, 0), &checked);
	figures_match(&t, alex, rep, json_array_get(partners, 1), &checked);
	assert_true(checked >= 10); /* the demo has records to count */
	/* every line says where it comes from */
	json_t *p;
	size_t i;
	json_array_foreach(partners, i, p) {
		const char *parts[] = { "checkins", "triggers", "promises", "wins_setbacks", "agreements", "roadmap" };
		for (size_t k = 0; k < 6; k++)
			assert_non_null(json_string_value(json_object_get(json_object_get(p, parts[k]), "source")));
	}
	json_decref(j);
	/* between sessions: the demo's suggestion waits on both homes until each is done with it */
	j = get_on(&t, "/api/v1/counsellor/suggestions", sam);
	json_t *sug = json_array_get(json_object_get(j, "suggestions"), 0);
	assert_non_null(sug);
	assert_string_equal(json_string_value(json_object_get(sug, "kind")), "time_together");
	long long sid = json_integer_value(json_object_get(sug, "id"));
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/counsellor/suggestions/%lld/dismiss", sid);
	j = NULL;
	assert_int_equal(api(&t, "POST", path, sam, &j, NULL), 200);
	json_decref(j);
	assert_int_equal(api_count(&t, "/api/v1/counsellor/suggestions", sam, "suggestions"), 0);
	assert_int_equal(api_count(&t, "/api/v1/counsellor/suggestions", alex, "suggestions"), 1);
	thttp_close(&t);
}

static void a_suggestion_reaches_both_homes_and_goes_with_access(void **state)
{
	(void)state;
	long long id;
	char path[96];
	const char *t = tess_with_access(&id);
	struct browser a, b;
	b_login_couple(&T, &a, &b);
	snprintf(path, sizeof(path), "/api/v1/therapist/couples/%lld/suggestions", id);
	json_t *j;
	api_error(api(&T, "POST", path, t, &j, "{s:s}", "kind", "step"), j, 400, "invalid_field", "step");
	api_error(api(&T, "POST", path, t, &j, "{s:s}", "kind", "nap"), j, 400, "invalid_field", "kind");
	api_error(api(&T, "POST", path, F.a, &j, "{s:s}", "kind", "vulnerability"), j, 404, "not_found", NULL);
	assert_int_equal(api(&T, "POST", path, t, &j, "{s:s, s:i, s:s}", "kind", "step", "step", 6, "note",
			     "Try the letter exercise together."), 201);
	json_decref(j);
	b_page_has(&T, &a, "/", 200, "From your counsellor", "Try the letter exercise together.", "/roadmap/steps/6", NULL);
	b_page_has(&T, &b, "/", 200, "From your counsellor", "Try the letter exercise together.", NULL);
	/* the note is sealed: not in the store as plain text */
	char wal[160];
	snprintf(wal, sizeof(wal), "%s-wal", T.path);
	assert_false(file_has_bytes(T.path, "letter exercise", 15) || file_has_bytes(wal, "letter exercise", 15));
	/* a session day from either side */
	snprintf(path, sizeof(path), "/api/v1/therapist/couples/%lld/sessions", id);
	char day[11];
	couple_day(-3, day);
	assert_int_equal(api(&T, "POST", path, t, &j, "{s:s}", "day", day), 201);
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/counsellor/sessions", F.b, &j, "{s:s}", "day", day), 201);
	json_decref(j);
	api_error(api(&T, "POST", "/api/v1/counsellor/sessions", F.b, &j, "{s:s}", "day", "someday"), j, 400,
		  "invalid_field", "day");
	snprintf(path, sizeof(path), "/api/v1/therapist/couples/%lld/report", id);
	j = api_get(&T, path, t);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "report"), "since")), day);
	json_decref(j);
	/* withdrawal: the suggestion and the session days go with the access */
	assert_int_equal(call("POST", "/api/v1/counsellor/withdraw", F.a), 200);
	b_page_lacks(&T, &b, "/", "From your counsellor");
	assert_int_equal(store_count("SELECT count(*) FROM counsel_suggestion"), 0);
	assert_int_equal(store_count("SELECT count(*) FROM counsel_session"), 0);
	assert_int_equal(call("GET", path, t), 404);
}

static void parting_and_closing_take_the_counsellor_s_access(void **state)
{
	(void)state;
	long long id;
	json_t *j;
	const char *t = tess_with_access(&id);
	/* the counsellor closes their account: the couple's access goes with it */
	assert_int_equal(api(&T, "DELETE", "/api/v1/me", t, &j, "{s:s}", "password", TEST_PASSWORD), 204);
	json_decref(j);
	assert_string_equal(status_of(F.a), "");
	assert_int_equal(store_count("SELECT count(*) FROM therapist_key"), 0);
	assert_int_equal(store_count("SELECT count(*) FROM counsel_key"), 0);
	/* another counsellor; then the couple parts: every row of the access goes */
	char code[64], st[16];
	operator_code(code);
	assert_int_equal(therapist_signup("otto", code), 201);
	const char *o = api_login(&T, "otto", 9);
	invite(F.a, code);
	assert_int_equal(join(o, code), 200);
	assert_int_equal(call("POST", "/api/v1/counsellor/agree", F.a), 200);
	assert_int_equal(call("POST", "/api/v1/counsellor/agree", F.b), 200);
	id = newest_couple(o, st);
	put(F.a, "/api/v1/counsellor/sharing", json_pack("{s:[s]}", "kinds", "promises"));
	assert_int_equal(api(&T, "POST", "/api/v1/couple/part", F.a, &j, "{s:s}", "password", TEST_PASSWORD), 200);
	json_decref(j);
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/therapist/couples/%lld", id);
	assert_int_equal(call("GET", path, o), 404);
	assert_int_equal(api_count(&T, "/api/v1/therapist/couples", o, "couples"), 0);
	const char *tables[] = { "counsel_link", "counsel_key", "counsel_consent", "counsel_copy", "counsel_share",
				 "counsel_session", "counsel_suggestion" };
	for (size_t i = 0; i < sizeof(tables) / sizeof(*tables); i++) {
		char sql[80];
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tables[i]);
		assert_int_equal(store_count(sql), 0);
	}
}

/* The authorization matrix: anonymous, the partners, another couple, the
 * operator, the counsellor with access, the same counsellor after
 * withdrawal, and another couple's counsellor, against every counsellor
 * resource and every record kind's list and write. */
static void authorization_matrix(void **state)
{
	(void)state;
	long long id;
	char code[64], path[64], st[16];
	const char *t = tess_with_access(&id);
	operator_code(code);
	assert_int_equal(therapist_signup("otto", code), 201);
	const char *o = api_login(&T, "otto", 9);
	invite(F.d, code);
	assert_int_equal(join(o, code), 200);
	newest_couple(o, st);
	assert_string_equal(st, "waiting");
	snprintf(path, sizeof(path), "/api/v1/therapist/couples/%lld", id);
	/* each record kind's list and its write */
	const char *kinds[][3] = {
		{ "/api/v1/checkins", "POST", "/api/v1/checkins" },
		{ "/api/v1/daily-checkins", "POST", "/api/v1/daily-checkins" },
		{ "/api/v1/triggers", "POST", "/api/v1/triggers" },
		{ "/api/v1/trigger-plans", "POST", "/api/v1/trigger-plans" },
		{ "/api/v1/promises", "POST", "/api/v1/promises" },
		{ "/api/v1/wins", "POST", "/api/v1/wins" },
		{ "/api/v1/setbacks", "POST", "/api/v1/setbacks" },
		{ "/api/v1/timeline", "POST", "/api/v1/timeline" },
		{ "/api/v1/agreements", "POST", "/api/v1/agreements" },
		{ "/api/v1/journal", "POST", "/api/v1/journal" },
		{ "/api/v1/journal/shared", "POST", "/api/v1/journal/1/share" },
		{ "/api/v1/readiness", "PUT", "/api/v1/readiness" },
		{ "/api/v1/vulnerabilities", "POST", "/api/v1/vulnerabilities" },
		{ "/api/v1/appreciations", "POST", "/api/v1/appreciations" },
		{ "/api/v1/connections", "POST", "/api/v1/connections" },
		{ "/api/v1/rituals", "PUT", "/api/v1/rituals" },
		{ "/api/v1/hard-dates", "POST", "/api/v1/hard-dates" },
		{ "/api/v1/transparency", "POST", "/api/v1/transparency" },
		{ "/api/v1/whereabouts", "POST", "/api/v1/whereabouts" },
		{ "/api/v1/disclosures", "POST", "/api/v1/disclosures" },
		{ "/api/v1/no-contact", "PUT", "/api/v1/no-contact" },
		{ "/api/v1/vision", "PUT", "/api/v1/vision" },
		{ "/api/v1/roadmap", "PUT", "/api/v1/roadmap/steps/1" },
		{ "/api/v1/insights", "PUT", "/api/v1/insights/discovery" },
		{ "/api/v1/recovery-criteria", "POST", "/api/v1/recovery-criteria" },
	};
	for (int round = 0; round < 2; round++) {
		/* round 0: tess has access; round 1: after ana withdrew */
		const char *viewers[] = { NULL, F.a, F.b, F.d, F.op, t, o };
		const char *names[] = { "anonymous", "ana", "ben", "dan", "operator", "tess", "otto" };
		int tess_couple = round ? 404 : 200;
		struct cell { const char *method, *path; int want[7]; } cells[] = {
			/*                                       anon  ana  ben  dan  op   tess otto */
			{ "GET", path,                         { 401, 404, 404, 404, 404, tess_couple, 404 } },
			{ "GET", "/api/v1/therapist/couples",  { 401, 404, 404, 404, 404, 200, 200 } },
			{ "GET", "/api/v1/therapist/couples/999999", { 401, 404, 404, 404, 404, 404, 404 } },
			{ "GET", "/api/v1/counsellor",         { 401, 200, 200, 200, 409, 409, 409 } },
			{ "PUT", "/api/v1/counsellor/sharing", { 401, 415, 415, 415, 409, 409, 409 } },
		};
		for (size_t c = 0; c < sizeof(cells) / sizeof(*cells); c++)
			for (int v = 0; v < 7; v++) {
				int got = call(cells[c].method, cells[c].path, viewers[v]);
				if (got != cells[c].want[v])
					fail_msg("%s %s as %s (round %d): got %d, want %d", cells[c].method, cells[c].path,
						 names[v], round, got, cells[c].want[v]);
			}
		/* every record kind: a counsellor reads and writes none of the couple's own */
		for (size_t k = 0; k < sizeof(kinds) / sizeof(*kinds); k++) {
			const char *who[] = { t, o };
			for (int v = 0; v < 2; v++) {
				json_t *j;
				api_error(api(&T, "GET", kinds[k][0], who[v], &j, NULL), j, 409, "no_couple", NULL);
				api_error(api_raw(&T, kinds[k][1], kinds[k][2], who[v], &j, "{}"), j, 409, "no_couple", NULL);
			}
		}
		if (!round)
			assert_int_equal(call("POST", "/api/v1/counsellor/withdraw", F.a), 200);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(access_needs_both_and_ends_when_either_stops, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(a_couples_invitation_makes_a_counsellors_account, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(each_partner_decides_what_the_counsellor_sees, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(a_week_the_partner_reveals_reaches_the_counsellor, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(the_report_holds_the_findings_the_shares_allow, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(an_item_is_sent_to_the_counsellor_from_its_own_page, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(a_safety_result_goes_only_when_its_owner_sends_it, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(a_suggestion_reaches_both_homes_and_goes_with_access, couple_setup, couple_teardown),
		cmocka_unit_test(the_demo_counsellor_reports_what_the_records_say),
		cmocka_unit_test_setup_teardown(parting_and_closing_take_the_counsellor_s_access, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(authorization_matrix, couple_setup, couple_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
