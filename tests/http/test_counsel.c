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

#include "apiclient.h"
#include "browser.h"
#include "base/caltime.h"

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
	/* a record written later reaches the counsellor at the partner's next visit */
	char day[11];
	couple_day(-1, day);
	post(F.a, "/api/v1/setbacks", json_pack("{s:s, s:s}", "day", day, "text", "A hard day"), 201);
	assert_int_equal(call("GET", "/api/v1/counsellor", F.a), 200);
	all = therapist_sees(t, id, &tb);
	assert_holds(all, "A hard day", NULL);
	free(all);
	/* ana stops sharing: her copies go; ben's stay */
	put(F.a, "/api/v1/counsellor/sharing", json_pack("{s:[]}", "kinds"));
	all = therapist_sees(t, id, &tb);
	assert_holds_none(all, "canary", "A shared moment", "A promise", "A small win", "Our agreement", "A hard day", NULL);
	assert_holds(all, "B shared moment", NULL);
	free(all);
	/* a kind we do not know, a list that is not one */
	json_t *j;
	api_error(api(&T, "PUT", "/api/v1/counsellor/sharing", F.a, &j, "{s:[s]}", "kinds", "journal"), j, 400,
		  "invalid_field", "kinds");
	api_error(api(&T, "PUT", "/api/v1/counsellor/sharing", F.a, &j, "{s:s}", "kinds", "triggers"), j, 400,
		  "invalid_field", "kinds");
	api_error(api(&T, "PUT", "/api/v1/counsellor/sharing", F.a, &j, "{s:[], s:b}", "kinds", "x", 1), j, 400,
		  "unknown_field", "x");
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
		cmocka_unit_test_setup_teardown(a_safety_result_goes_only_when_its_owner_sends_it, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(authorization_matrix, couple_setup, couple_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
