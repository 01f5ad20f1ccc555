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
		cmocka_unit_test_setup_teardown(authorization_matrix, couple_setup, couple_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
