/* test_demo_scenarios.c: `troth demo --scenario` (the insights). Each
 * scenario is made on a fresh database through demo_create_scenario, then
 * Sam (hurt) and Alex (accountable) log in with the demo passwords and read
 * GET /api/v1/insights. Each scenario must show the findings it is for and
 * none it is not; the safety finding reaches only Sam, who answered the
 * safety check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "apiclient.h"
#include "auth/throttle.h"
#include "features/demo.h"

static const char *login(struct thttp *t, const struct demo_account *a, char tok[80])
{
	return api_login_as(t, a->username, a->password, tok, 80);
}

/* The kinds of the findings, for a failure message. */
static const char *kinds_of(json_t *ins, char *out, size_t n)
{
	size_t i, len = 0;
	json_t *f;
	out[0] = '\0';
	json_array_foreach(json_object_get(ins, "findings"), i, f)
		if (len < n)
			len += (size_t)snprintf(out + len, n - len, " %s:%s", json_string_value(json_object_get(f, "kind")),
						json_string_value(json_object_get(f, "severity")));
	return out;
}

/* The findings of kind `kind` the viewer gets ("kind:severity" counts only
 * those of that severity, "kind~words" only those whose title or detail
 * holds the words); *audience gets the last one's. */
static int count_kind(json_t *ins, const char *kind, const char **audience)
{
	int n = 0;
	size_t i;
	json_t *f;
	const char *colon = strchr(kind, ':'), *tilde = strchr(kind, '~');
	size_t klen = colon ? (size_t)(colon - kind) : tilde ? (size_t)(tilde - kind) : strlen(kind);
	json_array_foreach(json_object_get(ins, "findings"), i, f) {
		const char *k = json_string_value(json_object_get(f, "kind"));
		if (strlen(k) == klen && !strncmp(k, kind, klen) &&
		    (!colon || !strcmp(json_string_value(json_object_get(f, "severity")), colon + 1)) &&
		    (!tilde || strstr(json_string_value(json_object_get(f, "title")), tilde + 1) ||
		     strstr(json_string_value(json_object_get(f, "detail")), tilde + 1))) {
			n++;
			if (audience)
				*audience = json_string_value(json_object_get(f, "audience"));
		}
	}
	return n;
}

struct expect {
	const char *present[14];  /* for both partners */
	const char *absent[14];   /* for both partners */
	const char *mine[2][6];   /* and for Sam [0], Alex [1] alone: must show ... */
	const char *not_mine[2][6]; /* ... and must not */
	int months_min, months_max; /* months since the discovery */
};

/* Opens a fresh store in t holding scenario sc and logs Sam and Alex in,
 * their tokens into sam and alex. */
static void open_scenario(struct thttp *t, int sc, char sam[80], char alex[80])
{
	char msg[256];
	thttp_open(t);
	throttle_reset();
	assert_int_equal(demo_create_scenario(&t->app.db, sc, msg, sizeof(msg)), DEMO_CREATED);
	login(t, &demo_accounts[1], sam);
	login(t, &demo_accounts[2], alex);
}

static void check(int sc, const struct expect *e)
{
	struct thttp t;
	char tok_sam[80], tok_alex[80], all[1200];
	open_scenario(&t, sc, tok_sam, tok_alex);
	const char *tok[2] = { tok_sam, tok_alex };
	for (int who = 0; who < 2; who++) {
		json_t *ins;
		assert_int_equal(api(&t, "GET", "/api/v1/insights", tok[who], &ins, NULL), 200);
		for (int k = 0; e->present[k]; k++)
			if (count_kind(ins, e->present[k], NULL) == 0)
				fail_msg("scenario %d, %s: no %s finding (has:%s)", sc, who ? "Alex" : "Sam", e->present[k],
					 kinds_of(ins, all, sizeof(all)));
		for (int k = 0; e->absent[k]; k++)
			if (count_kind(ins, e->absent[k], NULL) != 0)
				fail_msg("scenario %d, %s: a %s finding it should not have (has:%s)", sc,
					 who ? "Alex" : "Sam", e->absent[k], kinds_of(ins, all, sizeof(all)));
		for (int k = 0; e->mine[who][k]; k++)
			if (count_kind(ins, e->mine[who][k], NULL) == 0)
				fail_msg("scenario %d, %s: no %s finding (has:%s)", sc, who ? "Alex" : "Sam", e->mine[who][k],
					 kinds_of(ins, all, sizeof(all)));
		for (int k = 0; e->not_mine[who][k]; k++)
			if (count_kind(ins, e->not_mine[who][k], NULL) != 0)
				fail_msg("scenario %d, %s: a %s finding it should not have (has:%s)", sc,
					 who ? "Alex" : "Sam", e->not_mine[who][k], kinds_of(ins, all, sizeof(all)));
		/* the safety finding: Sam's alone, in the unsafe scenario only */
		const char *aud = NULL;
		int safety = count_kind(ins, "safety", &aud);
		if (sc == DEMO_UNSAFE && who == 0) {
			assert_int_equal(safety, 1);
			assert_string_equal(aud, "me");
		} else {
			assert_int_equal(safety, 0);
		}
		/* 18 months of records (the recovering story covers about 11) */
		json_int_t months = json_integer_value(json_object_get(ins, "months_since_discovery"));
		assert_in_range(months, e->months_min, e->months_max);
		json_decref(ins);
	}
	thttp_close(&t);
}

static void recovering_shows_progress(void **state)
{
	(void)state;
	static const struct expect e = {
		{ "trend", "triggers", "small_win", "timeline_position", NULL },
		{ "promises_broken", "worse_than_start", "no_improvement", "new_disclosure", "no_contact_breach",
		  "rug_sweeping", "transparency_stopped_early", "counselling_suggested", NULL },
		.months_min = 10, .months_max = 11,
	};
	check(DEMO_RECOVERING, &e);
}

static void stalled_shows_the_signs(void **state)
{
	(void)state;
	static const struct expect e = {
		{ "trend", "triggers", "follow_through", "promises_broken", "counselling_suggested", "worse_than_start",
		  "no_improvement", "timeline_position", NULL },
		{ "small_win", "new_disclosure", "no_contact_breach", "rug_sweeping", "transparency_stopped_early", NULL },
		.months_min = 17, .months_max = 18,
	};
	check(DEMO_STALLED, &e);
}

static void unsafe_shows_red_flags(void **state)
{
	(void)state;
	static const struct expect e = {
		{ "new_disclosure", "no_contact_breach", "promises_broken", "counselling_suggested", "timeline_position",
		  NULL },
		{ "small_win", "rug_sweeping", "transparency_stopped_early", NULL },
		.months_min = 17, .months_max = 18,
	};
	check(DEMO_UNSAFE, &e);
}

/* Healing: the talks about the betrayal go on, less often, while Sam's
 * scores rise. Nothing here is rug-sweeping, and nothing sends them away. */
static void healing_is_not_quiet(void **state)
{
	(void)state;
	static const struct expect e = {
		{ "trend:celebrate", "triggers:celebrate", "follow_through", "small_win", "timeline_position", NULL },
		{ "rug_sweeping", "counselling_suggested", "promises_broken", "worse_than_start", "no_improvement",
		  "new_disclosure", "no_contact_breach", "transparency_stopped_early", "trend:attention", NULL },
		/* the rise is Sam's, read from each side */
		.mine = { { "trend~Your connection score is rising", NULL },
			  { "trend~Your partner's connection score is rising", NULL } },
		.months_min = 9, .months_max = 10,
	};
	check(DEMO_HEALING, &e);
}

/* Rug-sweeping: the same surface, but the talks stopped three months ago
 * while Sam's connection stays low. Quiet is not celebrated. */
static void rug_sweeping_is_named(void **state)
{
	(void)state;
	static const struct expect e = {
		{ "rug_sweeping", "trend:attention", "counselling_suggested", "timeline_position", "follow_through", NULL },
		{ "triggers:celebrate", "worse_than_start", "no_improvement", "promises_broken", "new_disclosure",
		  "no_contact_breach", "transparency_stopped_early", NULL },
		/* Sam's connection stays low: named for Sam as theirs, for Alex as the partner's */
		.mine = { { "trend~Your connection score is low and not moving", "rug_sweeping~your connection", NULL },
			  { "trend~Your partner's connection score is low and not moving",
			    "rug_sweeping~your partner's connection", NULL } },
		.not_mine = { { "trend~Your connection score is rising", NULL },
			      { "trend~Your partner's connection score is rising", NULL } },
		.months_min = 9, .months_max = 10,
	};
	check(DEMO_RUG_SWEEPING, &e);
}

/* Both broke trust: each is a hurt partner, so the signs about the hurt
 * partner's course read for either; here Alex's scores slid. */
static void both_broke_reads_each_as_hurt(void **state)
{
	(void)state;
	static const struct expect e = {
		{ "worse_than_start", "counselling_suggested", "trend", "triggers", "follow_through", "small_win",
		  "timeline_position~longer than the usual", NULL },
		{ "rug_sweeping", "new_disclosure", "no_contact_breach", "promises_broken", "no_improvement",
		  "transparency_stopped_early", NULL },
		/* the slide is Alex's: Sam reads it as the partner's, Alex as their own */
		.mine = { { "worse_than_start~your partner's connection", NULL },
			  { "worse_than_start~your connection", NULL } },
		.not_mine = { { "worse_than_start~your connection", NULL },
			      { "worse_than_start~your partner's connection", NULL } },
		.months_min = 11, .months_max = 11,
	};
	check(DEMO_BOTH_BROKE, &e);
}

/* Help in the timeline comes from the records: the stalled couple never
 * moved a roadmap step, but their counsellor Robin has access, and that
 * counts as help. */
static void a_counsellor_with_access_counts_as_help(void **state)
{
	(void)state;
	struct thttp t;
	char sam[80], alex[80];
	json_t *ins;
	open_scenario(&t, DEMO_STALLED, sam, alex);
	assert_int_equal(api(&t, "GET", "/api/v1/insights", sam, &ins, NULL), 200);
	size_t i, k;
	json_t *f, *b;
	bool seen = false;
	json_array_foreach(json_object_get(ins, "findings"), i, f) {
		if (strcmp(json_string_value(json_object_get(f, "kind")), "timeline_position"))
			continue;
		json_array_foreach(json_object_get(f, "because"), k, b) {
			if (strcmp(json_string_value(json_object_get(b, "metric")), "factor_help"))
				continue;
			assert_true(json_real_value(json_object_get(b, "value")) < 0);
			assert_non_null(strstr(json_string_value(json_object_get(b, "says")), "A counsellor is part of your work"));
			seen = true;
		}
	}
	assert_true(seen);
	json_decref(ins);
	thttp_close(&t);
}

/* The element of array arr whose key holds the string value, or NULL. */
static json_t *find(json_t *arr, const char *key, const char *value)
{
	size_t i;
	json_t *x;
	json_array_foreach(arr, i, x)
		if (json_string_value(json_object_get(x, key)) && !strcmp(json_string_value(json_object_get(x, key)), value))
			return x;
	return NULL;
}

/* find, failing the test unless there is such an element. */
static json_t *found(json_t *arr, const char *key, const char *value)
{
	json_t *x = find(arr, key, value);
	assert_non_null(x);
	return x;
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* The demo's roadmap, agreements, transparency, vision, recovery criteria
 * and safety check are made by each record's own store functions: what
 * they sealed opens for the partners who may read it, and only for them. */
static void the_demo_records_open_for_the_right_partner(void **state)
{
	(void)state;
	struct thttp t;
	char sam[80], alex[80];
	json_t *j, *x;
	open_scenario(&t, DEMO_RECOVERING, sam, alex);

	/* the road: steps 1 to 9 done by both, 10 under way */
	assert_int_equal(api(&t, "GET", "/api/v1/roadmap", alex, &j, NULL), 200);
	json_t *steps = json_object_get(json_array_get(json_object_get(j, "phases"), 0), "steps");
	assert_string_equal(str(json_array_get(steps, 0), "me"), "done");
	assert_string_equal(str(json_array_get(steps, 0), "partner"), "done");
	json_decref(j);

	/* agreements: one in force, one waiting for Sam */
	assert_int_equal(api(&t, "GET", "/api/v1/agreements", sam, &j, NULL), 200);
	assert_int_equal(json_array_size(json_object_get(j, "agreements")), 2);
	x = found(json_object_get(j, "agreements"), "topic", "friendships");
	assert_non_null(strstr(str(json_object_get(x, "in_force"), "text"), "No evenings out alone"));
	x = found(json_object_get(j, "agreements"), "topic", "checkin_frequency");
	json_t *v1 = json_array_get(json_object_get(x, "versions"), 0);
	assert_string_equal(str(v1, "status"), "proposed");
	assert_false(json_is_true(json_object_get(v1, "proposed_by_me")));
	assert_non_null(strstr(str(v1, "text"), "Sunday evenings"));
	json_decref(j);

	/* transparency: Alex's two plans and their words; Sam reads the reports
	 * of the active one only, Alex all of his own */
	assert_int_equal(api(&t, "GET", "/api/v1/transparency", sam, &j, NULL), 200);
	assert_int_equal(json_array_size(json_object_get(j, "plans")), 2);
	x = found(json_object_get(j, "plans"), "status", "active");
	assert_string_equal(str(x, "commitments"), "I keep my messages; I tell Sam my plans for the week on Sundays.");
	json_decref(j);
	assert_int_equal(api(&t, "GET", "/api/v1/whereabouts", sam, &j, NULL), 200);
	assert_int_equal(json_array_size(json_object_get(j, "partner")), 2);
	assert_non_null(find(json_object_get(j, "partner"), "where", "Five-a-side football"));
	assert_null(find(json_object_get(j, "partner"), "where", "Dentist, then the hardware store"));
	assert_int_equal(json_array_size(json_object_get(j, "mine")), 0);
	json_decref(j);
	assert_int_equal(api(&t, "GET", "/api/v1/whereabouts", alex, &j, NULL), 200);
	assert_int_equal(json_array_size(json_object_get(j, "mine")), 4);
	x = found(json_object_get(j, "mine"), "where", "Team dinner at the Thai place on Elm Street");
	assert_string_equal(str(x, "with"), "Priya, Tom and Luis");
	assert_null(json_string_value(json_object_get(find(json_object_get(j, "mine"), "where",
								 "Dentist, then the hardware store"), "with")));
	json_decref(j);

	/* the visions, both revealed, and the three items */
	assert_int_equal(api(&t, "GET", "/api/v1/vision", sam, &j, NULL), 200);
	assert_true(json_is_true(json_object_get(j, "revealed")));
	assert_non_null(strstr(str(json_object_get(j, "mine"), "text"), "Sunday mornings"));
	assert_non_null(strstr(str(json_object_get(j, "partner"), "text"), "before things build up"));
	assert_int_equal(json_array_size(json_object_get(j, "items")), 3);
	assert_non_null(find(json_object_get(j, "items"), "text", "Friends over more often"));
	json_decref(j);

	/* what "recovered" means: the statement Alex ticked, and three measures */
	assert_int_equal(api(&t, "GET", "/api/v1/recovery-criteria", sam, &j, NULL), 200);
	assert_int_equal(json_array_size(json_object_get(j, "criteria")), 4);
	x = found(json_object_get(j, "criteria"), "kind", "statement");
	assert_string_equal(str(x, "text"), "We can talk about what happened without it turning into a fight.");
	assert_true(json_is_true(json_object_get(json_object_get(x, "progress"), "ticked_by_partner")));
	assert_false(json_is_true(json_object_get(json_object_get(x, "progress"), "ticked_by_me")));
	json_decref(j);
	thttp_close(&t);

	/* the unsafe story: Sam's own safety check, which Alex never sees */
	open_scenario(&t, DEMO_UNSAFE, sam, alex);
	assert_int_equal(api(&t, "GET", "/api/v1/safety", sam, &j, NULL), 200);
	assert_true(json_is_true(json_object_get(j, "answered")));
	assert_string_equal(str(j, "result"), "concern");
	assert_true(json_is_true(json_object_get(json_object_get(j, "answers"), "afraid")));
	assert_false(json_is_true(json_object_get(json_object_get(j, "answers"), "physical")));
	json_decref(j);
	assert_int_equal(api(&t, "GET", "/api/v1/safety", alex, &j, NULL), 200);
	assert_false(json_is_true(json_object_get(j, "answered")));
	json_decref(j);
	thttp_close(&t);
}

/* The weekly check-ins of the last twelve weeks (the list's default) the
 * holder of tok sees: *mine their own, *partner the partner's open to them. */
static void checkins_seen(struct thttp *t, const char *tok, size_t *mine, size_t *partner)
{
	json_t *j, *c;
	size_t i;
	*mine = *partner = 0;
	assert_int_equal(api(t, "GET", "/api/v1/checkins", tok, &j, NULL), 200);
	json_array_foreach(json_object_get(j, "checkins"), i, c) {
		if (!strcmp(json_string_value(json_object_get(c, "author")), "me"))
			(*mine)++;
		else if (json_is_true(json_object_get(c, "revealed")) && json_is_integer(json_object_get(c, "connection")))
			(*partner)++;
	}
	json_decref(j);
}

/* A generated store: each couple's partners log in with the one password,
 * see their own and each other's weekly check-ins and their findings,
 * and nothing of another couple's; a second run adds nothing. */
static void generated_couples_are_couples_of_their_own(void **state)
{
	(void)state;
	struct thttp t;
	char sam[80], alex[80], msg[256];
	open_scenario(&t, DEMO_RECOVERING, sam, alex);
	assert_int_equal(demo_generate(&t.app.db, 3, 1, msg, sizeof(msg)), DEMO_CREATED);
	size_t sam_mine, sam_partner;
	checkins_seen(&t, sam, &sam_mine, &sam_partner);
	char tok[3][2][80];
	for (int i = 0; i < 3; i++)
		for (int p = 0; p < 2; p++) {
			char name[16];
			snprintf(name, sizeof(name), "gen%d%c", i + 1, p ? 'b' : 'a');
			struct demo_account a = { name, NULL, DEMO_GENERATED_PASSWORD, NULL };
			login(&t, &a, tok[i][p]);
			size_t mine, partner;
			checkins_seen(&t, tok[i][p], &mine, &partner);
			assert_in_range(mine, 9, 12);    /* twelve weeks, a few missed */
			assert_in_range(partner, 9, 12); /* the partner's, revealed */
			json_t *ins;
			assert_int_equal(api(&t, "GET", "/api/v1/insights", tok[i][p], &ins, NULL), 200);
			assert_true(json_array_size(json_object_get(ins, "findings")) > 0);
			json_decref(ins);
		}
	/* another couple's records stay theirs: Sam sees what Sam saw before */
	size_t after_mine, after_partner;
	checkins_seen(&t, sam, &after_mine, &after_partner);
	assert_int_equal(after_mine, sam_mine);
	assert_int_equal(after_partner, sam_partner);
	assert_int_equal(demo_generate(&t.app.db, 1, 1, msg, sizeof(msg)), DEMO_NOT_EMPTY);
	thttp_close(&t);
}

static void scenario_names(void **state)
{
	(void)state;
	assert_int_equal(demo_scenario_parse("recovering"), DEMO_RECOVERING);
	assert_int_equal(demo_scenario_parse("stalled"), DEMO_STALLED);
	assert_int_equal(demo_scenario_parse("unsafe"), DEMO_UNSAFE);
	assert_int_equal(demo_scenario_parse("healing"), DEMO_HEALING);
	assert_int_equal(demo_scenario_parse("rug_sweeping"), DEMO_RUG_SWEEPING);
	assert_int_equal(demo_scenario_parse("both_broke"), DEMO_BOTH_BROKE);
	assert_int_equal(demo_scenario_parse("Unsafe"), -1);
	assert_int_equal(demo_scenario_parse(""), -1);
	assert_int_equal(demo_scenario_parse(NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scenario_names),
		cmocka_unit_test(recovering_shows_progress),
		cmocka_unit_test(stalled_shows_the_signs),
		cmocka_unit_test(unsafe_shows_red_flags),
		cmocka_unit_test(healing_is_not_quiet),
		cmocka_unit_test(rug_sweeping_is_named),
		cmocka_unit_test(both_broke_reads_each_as_hurt),
		cmocka_unit_test(a_counsellor_with_access_counts_as_help),
		cmocka_unit_test(the_demo_records_open_for_the_right_partner),
		cmocka_unit_test(generated_couples_are_couples_of_their_own),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
