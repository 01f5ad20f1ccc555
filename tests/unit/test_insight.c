/* test_insight.c: the insight engine over synthetic trajectories. For each
 * finding, a record history that must produce it and one that must not,
 * with the boundaries of its thresholds on both sides. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/caltime.h"
#include "insight/insight.h"

#define MAXN 4000
static struct ins_checkin C[MAXN];
static struct ins_trigger TR[MAXN];
static struct ins_promise P[MAXN];
static struct ins_note N[MAXN];
static struct ins_vulnerability V[MAXN];
static struct ins_plan PL[16];
static struct insight_input in;
static struct insight_findings out;
static long TODAY;  /* a Monday */

static long D(const char *s)
{
	long d = 0;
	if (date_parse(s, &d) != 0)
		fail_msg("bad test date %s", s);
	return d;
}

static void reset(void)
{
	memset(&in, 0, sizeof(in));
	TODAY = D("2026-11-23");
	in.today = TODAY;
	in.discovery_day = in.full_disclosure_day = in.first_activity_day = in.roadmap_last_day = INS_NONE;
	in.hurt = INS_HURT_ME;
	/* a roadmap in use, so the roadmap sign stays quiet unless a test wants it */
	in.roadmap_last_day = TODAY - 3;
	in.checkins = C;
	in.triggers = TR;
	in.promises = P;
	in.notes = N;
	in.vulns = V;
	in.plans = PL;
}

/* One check-in. Kept sorted by the tests writing weeks in order. */
static void checkin(int who, long week, int conn, int dims, int listened)
{
	assert_true(in.n_checkins < MAXN);
	struct ins_checkin *c = &C[in.n_checkins++];
	c->week = week;
	c->who = who;
	c->connection = conn;
	for (int i = 0; i < INS_NDIM; i++)
		c->dim[i] = dims;
	c->listened_to = listened;
}

/* weeks of check-ins ending this week, connection moving linearly from a to
 * b, dimensions equal to connection unless dims > 0. */
static void weekly(int who, int weeks, int a, int b, int dims)
{
	for (int k = 0; k < weeks; k++) {
		int conn = weeks > 1 ? a + (b - a) * k / (weeks - 1) : a;
		checkin(who, TODAY - 7L * (weeks - 1 - k), conn, dims > 0 ? dims : conn, 4);
	}
}

/* Both partners' check-ins, interleaved so the array stays sorted by week. */
static void weekly_both(int weeks, int a, int b)
{
	for (int k = 0; k < weeks; k++) {
		int conn = weeks > 1 ? a + (b - a) * k / (weeks - 1) : a;
		checkin(INS_ME, TODAY - 7L * (weeks - 1 - k), conn, conn, 4);
		checkin(INS_PARTNER, TODAY - 7L * (weeks - 1 - k), conn, conn, 4);
	}
}

static void trigger(long day, int intensity)
{
	TR[in.n_triggers++] = (struct ins_trigger){ day, intensity, false };
}

static void promise(long due, int kept)
{
	P[in.n_promises++] = (struct ins_promise){ due, kept };
}

static void note(long day, int kind)
{
	N[in.n_notes++] = (struct ins_note){ day, kind, 0 };
}

/* Computes the findings, and checks on every input of every test that the
 * home page's shorter question (is there a concern?) answers as they do. */
static int run(void)
{
	int n = insight_compute(&in, &out);
	bool concern = false;
	for (int i = 0; i < out.n; i++)
		concern = concern || out.f[i].severity >= INS_CONCERN;
	assert_int_equal(insight_needs_help(&in), concern);
	return n;
}

static int count(const char *kind)
{
	int k = 0;
	for (int i = 0; i < out.n; i++)
		k += !strcmp(out.f[i].kind, kind);
	return k;
}

static const struct ins_finding *find(const char *kind, const char *title_part)
{
	for (int i = 0; i < out.n; i++)
		if (!strcmp(out.f[i].kind, kind) && (!title_part || strstr(out.f[i].title, title_part)))
			return &out.f[i];
	return NULL;
}

/* The finding, failing the test when it is absent. */
static const struct ins_finding *must(const char *kind, const char *title_part)
{
	const struct ins_finding *f = find(kind, title_part);
	if (!f)
		fail_msg("no %s finding with \"%s\"", kind, title_part ? title_part : "");
	return f ? f : &out.f[0];
}

static double because_of(const struct ins_finding *f, const char *metric)
{
	for (int i = 0; i < f->n_because; i++)
		if (!strcmp(f->because[i].metric, metric))
			return f->because[i].value;
	fail_msg("finding %s has no because %s", f->kind, metric);
	return -1;
}

/* ------------------------------------------------------------------ */

static void empty_records_give_nothing(void **state)
{
	(void)state;
	reset();
	assert_int_equal(run(), 0);
	assert_int_equal(out.months_since_discovery, -1);
	assert_int_equal(out.n_months, 0);
}

static void trend_rising_steady_and_too_few(void **state)
{
	(void)state;
	reset();
	weekly(INS_PARTNER, 12, 3, 9, 5);  /* partner's connection rising, dimensions steady */
	run();
	const struct ins_finding *f = find("trend", "Your partner's connection");
	assert_non_null(f);
	assert_int_equal(f->severity, INS_CELEBRATE);
	assert_int_equal(f->audience, INS_BOTH);
	assert_true(because_of(f, "connection_slope_12w") > 0.4);
	assert_true(because_of(f, "connection_mean_4w") >= 7.5);
	assert_int_equal(because_of(f, "checkins_12w"), 12);
	assert_null(find("trend", "Your connection"));      /* no check-ins of mine */
	assert_null(find("trend", "trust scores"));         /* steady dimensions are no finding */

	reset();
	weekly(INS_ME, 12, 6, 6, 0);
	run();
	f = find("trend", "Your connection");
	assert_non_null(f);
	assert_int_equal(f->severity, INS_INFO);
	assert_non_null(strstr(f->title, "steady"));

	reset();
	weekly(INS_ME, 12, 8, 3, 0);  /* falling: every dimension with it */
	run();
	assert_int_equal(find("trend", "Your connection")->severity, INS_ATTENTION);
	f = find("trend", "Your trust scores are falling: reliability, emotional safety, honesty");
	assert_non_null(f);
	assert_int_equal(f->severity, INS_ATTENTION);
	assert_int_equal(f->n_because, 6);
	assert_true(because_of(f, "transparency") < -0.4);
	assert_int_equal(count("trend"), 2);

	reset();
	weekly(INS_ME, 3, 3, 9, 0);  /* three points: below trend_min_points */
	run();
	assert_int_equal(count("trend"), 0);
	reset();
	weekly(INS_ME, 4, 3, 9, 0);  /* four: enough */
	run();
	assert_int_equal(count("trend"), 2);
	assert_non_null(find("trend", "Your trust scores are rising"));

	reset();
	for (int k = 0; k < 12; k++) {  /* honesty up, respect down: both named */
		checkin(INS_PARTNER, TODAY - 7L * (11 - k), 5, 5, 4);
		C[in.n_checkins - 1].dim[2] = 2 + k / 2;
		C[in.n_checkins - 1].dim[4] = 8 - k / 2;
	}
	run();
	f = must("trend", "Your partner's trust scores have moved");
	assert_non_null(strstr(f->detail, "rising: honesty; falling: respect"));
	assert_int_equal(f->n_because, 2);
}

static void trend_ignores_old_checkins(void **state)
{
	(void)state;
	reset();
	for (int k = 0; k < 10; k++)
		checkin(INS_ME, TODAY - 7L * (30 - k), 5, 5, 4);  /* all older than 12 weeks */
	run();
	assert_int_equal(count("trend"), 0);
}

static void triggers_lessening_and_not(void **state)
{
	(void)state;
	reset();
	for (int k = 0; k < 4; k++)
		trigger(TODAY - 170 + k * 10, 8);  /* previous three months: 4 */
	for (int k = 0; k < 3; k++)
		trigger(TODAY - 60 + k * 10, 4);   /* last three months: 3 = 0.75 x 4, the boundary */
	run();
	const struct ins_finding *f = find("triggers", NULL);
	assert_non_null(f);
	assert_int_equal(f->severity, INS_CELEBRATE);
	assert_int_equal(because_of(f, "triggers_3m"), 3);
	assert_int_equal(because_of(f, "triggers_prev_3m"), 4);
	assert_int_equal(because_of(f, "trigger_intensity_mean_3m"), 4);

	trigger(TODAY - 1, 4);  /* 4 of 4: not lessening */
	run();
	f = find("triggers", NULL);
	assert_int_equal(f->severity, INS_INFO);
	assert_int_equal(f->audience, INS_BOTH);

	TR[in.n_triggers - 1].private_mine = true;  /* my own private trigger counted: for me only */
	run();
	assert_int_equal(find("triggers", NULL)->audience, INS_ONLY_ME);

	reset();
	trigger(TODAY - 400, 9);  /* long ago only */
	run();
	assert_int_equal(count("triggers"), 0);
}

static void follow_through_rates(void **state)
{
	(void)state;
	reset();
	promise(TODAY - 5, 1);
	promise(TODAY - 6, 1);
	promise(TODAY + 3, -1);
	run();
	assert_int_equal(count("follow_through"), 0);  /* two outcomes: too few */

	promise(TODAY - 90, 1);  /* the window's first day: counts */
	run();
	const struct ins_finding *f = find("follow_through", NULL);
	assert_non_null(f);
	assert_int_equal(f->severity, INS_CELEBRATE);
	assert_int_equal(because_of(f, "promises_kept"), 3);

	reset();
	for (int k = 0; k < 9; k++)
		promise(TODAY - 10 - k, 1);
	promise(TODAY - 21, 0);  /* 9 of 10 = 0.9: still worth celebrating */
	run();
	f = find("follow_through", NULL);
	assert_int_equal(f->severity, INS_CELEBRATE);
	assert_int_equal(because_of(f, "weeks_consistent"), 3);
	promise(TODAY - 30, 0);  /* 9 of 11 */
	run();
	assert_int_equal(find("follow_through", NULL)->severity, INS_INFO);
	assert_int_equal(count("promises_broken"), 0);  /* two misses are no pattern */
}

static void promises_broken_is_a_pattern(void **state)
{
	(void)state;
	reset();
	for (int k = 0; k < 6; k++)
		promise(TODAY - 10 - k, 1);
	for (int k = 0; k < 3; k++)
		promise(TODAY - 20 - k, 0);  /* 3 of 9 = one third: the boundary */
	run();
	const struct ins_finding *f = find("promises_broken", NULL);
	assert_non_null(f);
	assert_int_equal(f->severity, INS_CONCERN);
	assert_string_equal(f->link, "/guidance/counselling");
	assert_int_equal(because_of(f, "promises_broken"), 3);

	promise(TODAY - 11, 1);  /* 3 of 10: below a third */
	run();
	assert_int_equal(count("promises_broken"), 0);

	reset();
	promise(TODAY - 1, 0);
	promise(TODAY - 2, 0);
	promise(TODAY - 200, 0);  /* outside the window */
	promise(TODAY - 3, 1);
	run();
	assert_int_equal(count("promises_broken"), 0);
}

static void small_win_week_without_major_trigger(void **state)
{
	(void)state;
	reset();
	trigger(TODAY - 20, 8);  /* a major one three weeks ago */
	trigger(TODAY - 4, 6);   /* last week: only a 6, below major */
	run();
	const struct ins_finding *f = find("small_win", "major trigger");
	assert_non_null(f);
	assert_int_equal(f->severity, INS_CELEBRATE);

	trigger(TODAY - 3, 7);  /* a 7 last week: major */
	run();
	assert_null(find("small_win", "major trigger"));

	reset();
	trigger(TODAY - 4, 3);  /* never a major one: nothing to mark */
	run();
	assert_null(find("small_win", "major trigger"));
}

static void small_win_checkin_streak(void **state)
{
	(void)state;
	reset();
	weekly_both(3, 5, 5);
	run();
	assert_null(find("small_win", "checked in"));
	reset();
	weekly_both(4, 5, 5);
	run();
	const struct ins_finding *f = find("small_win", "checked in 4 weeks");
	assert_non_null(f);
	assert_int_equal(because_of(f, "weeks_both_checked_in"), 4);

	reset();
	weekly(INS_ME, 6, 5, 5, 0);  /* only one partner */
	run();
	assert_null(find("small_win", "checked in"));
}

static void small_win_connection_up_two(void **state)
{
	(void)state;
	reset();
	for (int k = 0; k < 12; k++)
		checkin(INS_PARTNER, TODAY - 7L * (11 - k), k < 4 ? 4 : 6, 5, 4);  /* 4 -> 6: +2 */
	run();
	const struct ins_finding *f = find("small_win", "connection is up");
	assert_non_null(f);
	assert_non_null(strstr(f->title, "Your partner's"));
	assert_int_equal(because_of(f, "connection_mean_4w_8w_ago"), 4);

	C[3].connection = 5;  /* earlier mean 4.25: a rise of 1.75, below two */
	run();
	assert_null(find("small_win", "connection is up"));
}

static void timeline_position_by_months(void **state)
{
	(void)state;
	reset();
	in.discovery_day = D("2026-03-24");
	run();
	assert_int_equal(out.months_since_discovery, 7);
	const struct ins_finding *f = find("timeline_position", "7 months");
	assert_non_null(f);
	assert_int_equal(f->severity, INS_INFO);
	assert_non_null(strstr(f->detail, "significantly better"));
	assert_non_null(strstr(f->detail, "two to five years"));

	in.discovery_day = D("2026-05-24");  /* 5 months and 30 days: still 5 */
	run();
	assert_int_equal(out.months_since_discovery, 5);
	assert_non_null(strstr(find("timeline_position", NULL)->detail, "early months"));

	in.discovery_day = D("2023-11-23");
	run();
	assert_int_equal(out.months_since_discovery, 36);
	assert_non_null(strstr(find("timeline_position", NULL)->detail, "within the span"));

	in.discovery_day = TODAY + 5;  /* a future day is no discovery */
	run();
	assert_int_equal(out.months_since_discovery, -1);
	assert_int_equal(count("timeline_position"), 0);
}

static void counselling_repeated_setbacks(void **state)
{
	(void)state;
	reset();
	note(TODAY - 55, INS_NOTE_SETBACK);
	note(TODAY - 20, INS_NOTE_SETBACK);
	run();
	assert_int_equal(count("counselling_suggested"), 0);
	note(TODAY - 2, INS_NOTE_SETBACK);
	run();
	const struct ins_finding *f = find("counselling_suggested", NULL);
	assert_non_null(f);
	assert_int_equal(f->severity, INS_ATTENTION);
	assert_string_equal(f->link, "/guidance/counselling");
	assert_int_equal(because_of(f, "setbacks"), 3);
	assert_non_null(strstr(f->detail, "the same hard moments coming back."));
	assert_null(strstr(f->detail, "listened"));
	N[0].day = TODAY - 56;  /* just outside eight weeks */
	run();
	assert_int_equal(count("counselling_suggested"), 0);
}

static void counselling_unheard(void **state)
{
	(void)state;
	reset();
	checkin(INS_PARTNER, TODAY - 21, 5, 5, 4);
	checkin(INS_PARTNER, TODAY - 14, 5, 5, 2);
	checkin(INS_PARTNER, TODAY - 7, 5, 5, 1);
	checkin(INS_PARTNER, TODAY, 5, 5, 2);
	run();
	/* three weeks into using troth: too soon to send anyone to a counsellor */
	assert_int_equal(count("counselling_suggested"), 0);
	in.first_activity_day = TODAY - 60;
	run();
	const struct ins_finding *f = find("counselling_suggested", NULL);
	assert_non_null(f);
	assert_int_equal(because_of(f, "listened_to_low_weeks_partner"), 3);
	assert_non_null(strstr(f->detail, "your partner has not felt listened to"));
	assert_string_equal(f->because[0].says, "In the last 3 weeks your partner rated feeling listened to 2, 1 and 2 out of 5.");

	C[1].listened_to = 3;  /* only two weeks low */
	run();
	assert_int_equal(count("counselling_suggested"), 0);

	reset();
	in.first_activity_day = TODAY - 60;
	V[0] = (struct ins_vulnerability){ TODAY - 8, false };
	V[1] = (struct ins_vulnerability){ TODAY - 30, false };
	V[2] = (struct ins_vulnerability){ TODAY - 30, true };
	in.n_vulns = 3;
	run();
	assert_int_equal(because_of(find("counselling_suggested", NULL), "vulnerabilities_unheard"), 2);
	V[0].day = TODAY - 7;  /* a week old: still time to hear it */
	run();
	assert_int_equal(count("counselling_suggested"), 0);
}

static void counselling_trust_triggers_roadmap(void **state)
{
	(void)state;
	reset();
	weekly(INS_ME, 12, 5, 5, 4);  /* the hurt partner's trust flat at 4 */
	run();
	assert_non_null(find("counselling_suggested", NULL));
	assert_true(because_of(find("counselling_suggested", NULL), "trust_slope_12w") <= 0);
	reset();
	weekly(INS_ME, 12, 5, 5, 6);  /* flat at 6: above the low mark */
	run();
	assert_int_equal(count("counselling_suggested"), 0);
	reset();
	in.hurt = INS_HURT_PARTNER;   /* the accountable partner's low trust is not this sign */
	weekly(INS_ME, 12, 5, 5, 4);
	run();
	assert_int_equal(count("counselling_suggested"), 0);

	reset();
	in.discovery_day = TODAY - 300;
	trigger(TODAY - 150, 5);
	trigger(TODAY - 120, 5);
	trigger(TODAY - 50, 5);
	trigger(TODAY - 30, 5);
	run();
	assert_int_equal(count("counselling_suggested"), 0);  /* two in three months: no pattern */
	trigger(TODAY - 10, 5);
	run();
	assert_int_equal(because_of(find("counselling_suggested", NULL), "triggers_3m"), 3);
	in.discovery_day = TODAY - 150;  /* under six months: too early to expect less */
	run();
	assert_int_equal(count("counselling_suggested"), 0);

	reset();
	in.first_activity_day = TODAY - 100;
	in.roadmap_last_day = TODAY - 56;
	run();
	assert_int_equal(because_of(find("counselling_suggested", NULL), "days_without_roadmap_progress"), 56);
	in.roadmap_last_day = TODAY - 55;
	run();
	assert_int_equal(count("counselling_suggested"), 0);
	in.roadmap_last_day = INS_NONE;  /* never started, in use for 100 days */
	run();
	assert_non_null(find("counselling_suggested", NULL));
	in.first_activity_day = TODAY - 30;  /* new here */
	run();
	assert_int_equal(count("counselling_suggested"), 0);
}

static void new_disclosure_after_full(void **state)
{
	(void)state;
	reset();
	in.full_disclosure_day = TODAY - 100;
	note(TODAY - 100, INS_NOTE_DISCLOSURE);  /* the full disclosure itself */
	run();
	assert_int_equal(count("new_disclosure"), 0);
	note(TODAY - 99, INS_NOTE_DISCLOSURE);
	run();
	const struct ins_finding *f = find("new_disclosure", NULL);
	assert_non_null(f);
	assert_int_equal(f->severity, INS_CONCERN);
	assert_int_equal(because_of(f, "disclosures_after_full"), 1);

	reset();
	note(TODAY - 5, INS_NOTE_DISCLOSURE);  /* no full-disclosure date: nothing to compare */
	run();
	assert_int_equal(count("new_disclosure"), 0);
}

static void no_contact_breach_recent(void **state)
{
	(void)state;
	reset();
	note(TODAY - 181, INS_NOTE_BREACH);
	run();
	assert_int_equal(count("no_contact_breach"), 0);
	note(TODAY - 180, INS_NOTE_BREACH);
	run();
	const struct ins_finding *f = find("no_contact_breach", NULL);
	assert_non_null(f);
	assert_int_equal(f->severity, INS_CONCERN);
	assert_int_equal(because_of(f, "no_contact_breaches"), 1);
}

/* The hurt partner ("me") starting at conn0/trust0 for four weeks, then
 * `months` later at conn1/trust1 for four weeks. */
static void course(int weeks, int conn0, int trust0, int conn1, int trust1)
{
	for (int k = 0; k < weeks; k++) {
		bool start = k < 4, end = k >= weeks - 4;
		int c = start ? conn0 : end ? conn1 : (conn0 + conn1) / 2;
		int t = start ? trust0 : end ? trust1 : (trust0 + trust1) / 2;
		checkin(INS_ME, TODAY - 7L * (weeks - 1 - k), c, t, 4);
		checkin(INS_PARTNER, TODAY - 7L * (weeks - 1 - k), 7, 7, 4);
	}
}

static void worse_than_start(void **state)
{
	(void)state;
	reset();
	course(30, 6, 6, 5, 5);  /* seven months: a point lower on both */
	run();
	const struct ins_finding *f = find("worse_than_start", NULL);
	assert_non_null(f);
	assert_int_equal(f->severity, INS_CONCERN);
	assert_int_equal(because_of(f, "connection_mean_first_month"), 6);
	assert_int_equal(because_of(f, "trust_mean_4w"), 5);

	reset();
	course(30, 6, 6, 5, 6);  /* trust held */
	run();
	assert_int_equal(count("worse_than_start"), 0);
	reset();
	course(20, 6, 6, 4, 4);  /* under six months */
	run();
	assert_int_equal(count("worse_than_start"), 0);
	reset();
	in.hurt = INS_HURT_PARTNER;  /* the partner's scores are steady at 7 */
	course(30, 6, 6, 4, 4);
	run();
	assert_int_equal(count("worse_than_start"), 0);
	in.hurt = INS_HURT_BOTH;
	run();
	assert_int_equal(count("worse_than_start"), 1);
}

static void no_improvement_after_a_year(void **state)
{
	(void)state;
	reset();
	weekly_both(56, 5, 5);
	run();
	const struct ins_finding *f = find("no_improvement", NULL);
	assert_non_null(f);
	assert_int_equal(f->severity, INS_CONCERN);
	assert_int_equal(because_of(f, "weeks_both_checked_in"), 52);

	reset();
	weekly_both(56, 5, 7);  /* two points better */
	run();
	assert_int_equal(count("no_improvement"), 0);
	reset();
	weekly_both(40, 5, 5);  /* under a year */
	run();
	assert_int_equal(count("no_improvement"), 0);
	reset();
	for (int k = 0; k < 56; k++) {  /* only every other week: no steady work to judge */
		checkin(INS_ME, TODAY - 7L * (55 - k), 5, 5, 4);
		if (k % 2)
			checkin(INS_PARTNER, TODAY - 7L * (55 - k), 5, 5, 4);
	}
	run();
	assert_int_equal(count("no_improvement"), 0);
}

static void rug_sweeping(void **state)
{
	(void)state;
	reset();
	in.first_activity_day = TODAY - 80;
	weekly(INS_ME, 10, 3, 3, 5);
	run();
	const struct ins_finding *f = find("rug_sweeping", NULL);
	assert_non_null(f);
	assert_int_equal(f->severity, INS_ATTENTION);
	assert_int_equal(because_of(f, "connection_mean_4w"), 3);

	/* triggers stopped being recorded: quiet while low is nothing to celebrate */
	for (int k = 0; k < 3; k++)
		trigger(TODAY - 150 + 10 * k, 6);
	run();
	assert_int_equal(count("rug_sweeping"), 1);
	f = must("triggers", "No triggers recorded lately");
	assert_int_equal(f->severity, INS_INFO);
	for (int k = 0; k < 10; k++)
		C[k].connection = 7;  /* the same quiet with connection good: fewer triggers, and healing */
	run();
	assert_int_equal(count("rug_sweeping"), 0);
	assert_int_equal(must("triggers", "less often")->severity, INS_CELEBRATE);
	reset();
	in.first_activity_day = TODAY - 80;
	weekly(INS_ME, 10, 3, 3, 5);

	trigger(TODAY - 55, 3);  /* a trigger recorded inside eight weeks */
	run();
	assert_int_equal(count("rug_sweeping"), 0);
	TR[0].day = TODAY - 56;  /* just outside */
	run();
	assert_int_equal(count("rug_sweeping"), 1);
	note(TODAY - 10, INS_NOTE_SETBACK);
	run();
	assert_int_equal(count("rug_sweeping"), 0);

	reset();
	in.first_activity_day = TODAY - 80;
	weekly(INS_ME, 10, 5, 5, 5);  /* scores not low */
	run();
	assert_int_equal(count("rug_sweeping"), 0);
}

static void transparency_stopped_early(void **state)
{
	(void)state;
	reset();
	PL[0] = (struct ins_plan){ TODAY - 40, TODAY + 50, TODAY - 20, true };  /* 20 of 90 days */
	in.n_plans = 1;
	run();
	const struct ins_finding *f = find("transparency_stopped_early", NULL);
	assert_non_null(f);
	assert_int_equal(because_of(f, "plan_days_kept"), 20);
	PL[0].stopped_by_creator = false;  /* stopped by the other partner */
	run();
	assert_int_equal(count("transparency_stopped_early"), 0);
	PL[0] = (struct ins_plan){ TODAY - 60, TODAY + 30, TODAY - 15, true };  /* 45 of 90: half */
	run();
	assert_int_equal(count("transparency_stopped_early"), 0);
	PL[0] = (struct ins_plan){ TODAY - 60, TODAY + 30, INS_NONE, false };  /* running */
	run();
	assert_int_equal(count("transparency_stopped_early"), 0);
}

static void safety_only_from_the_viewers_own_check(void **state)
{
	(void)state;
	reset();
	note(TODAY - 1, INS_NOTE_BREACH);
	run();
	assert_int_equal(count("safety"), 0);
	in.my_safety_concern = true;
	run();
	assert_int_equal(count("safety"), 1);
	assert_string_equal(out.f[0].kind, "safety");  /* first of all */
	assert_int_equal(out.f[0].severity, INS_SAFETY);
	assert_int_equal(out.f[0].audience, INS_ONLY_ME);
	assert_string_equal(out.f[0].link, "/safety");
	assert_string_equal(out.f[1].kind, "no_contact_breach");
	assert_string_equal(insight_severity_name(out.f[0].severity), "safety");
}

static void trigger_months_series(void **state)
{
	(void)state;
	reset();
	trigger(D("2026-09-02"), 8);
	trigger(D("2026-09-30"), 4);
	trigger(D("2026-11-01"), 5);
	run();
	assert_int_equal(out.n_months, 3);
	assert_int_equal(out.months[0].year, 2026);
	assert_int_equal(out.months[0].month, 9);
	assert_int_equal(out.months[0].count, 2);
	assert_true(out.months[0].mean_intensity == 6.0);
	assert_int_equal(out.months[1].count, 0);
	assert_int_equal(out.months[2].month, 11);
	assert_int_equal(out.months[2].count, 1);

	reset();
	trigger(TODAY - 365 * 30, 5);  /* thirty years back: capped */
	run();
	assert_int_equal(out.n_months, INS_MAX_MONTHS);
	assert_int_equal(out.months[INS_MAX_MONTHS - 1].month, 11);
}

static void findings_never_overflow(void **state)
{
	(void)state;
	reset();
	in.hurt = INS_HURT_BOTH;
	in.discovery_day = TODAY - 800;
	in.full_disclosure_day = TODAY - 700;
	in.first_activity_day = TODAY - 800;
	in.roadmap_last_day = INS_NONE;
	in.my_safety_concern = true;
	for (int k = 0; k < 110; k++) {
		int c = k % 2 ? 2 : 9;
		checkin(INS_ME, TODAY - 7L * (109 - k), c, 10 - c, 1);
		checkin(INS_PARTNER, TODAY - 7L * (109 - k), 10 - c, c, 1);
	}
	for (int k = 0; k < 700; k++)
		trigger(TODAY - 699 + k, k % 10 + 1);
	for (int k = 0; k < 50; k++) {
		note(TODAY - 50 + k, k % 5);
		promise(TODAY - k, k % 2);
	}
	run();
	assert_true(out.n > 10);
	assert_true(out.n <= INS_MAX_FINDINGS);
	for (int i = 0; i < out.n; i++) {
		assert_true(out.f[i].title[0] && out.f[i].detail[0] && out.f[i].suggestion);
		assert_true(out.f[i].n_because >= 1);
		/* every reason is said in words, never as a metric's name */
		for (int k = 0; k < out.f[i].n_because; k++) {
			const char *w = out.f[i].because[k].says;
			if (!w[0] || strchr(w, '_') || w[strlen(w) - 1] != '.')
				fail_msg("%s: reason %s reads \"%s\"", out.f[i].kind, out.f[i].because[k].metric, w);
		}
		if (i)
			assert_true(out.f[i - 1].severity >= out.f[i].severity);
	}
}

/* The stage of the couple: a new couple's first hard week is no reason to
 * send them to a counsellor, and no early trigger count reads as a trend. */
static void new_couple_first_week_stays_calm(void **state)
{
	(void)state;
	reset();
	in.first_activity_day = TODAY - 5;   /* joined troth five days ago ... */
	in.discovery_day = TODAY - 250;      /* ... eight months after the discovery */
	in.roadmap_last_day = INS_NONE;
	trigger(TODAY - 2, 9);
	checkin(INS_ME, TODAY, 2, 2, 1);
	run();
	assert_int_equal(count("counselling_suggested"), 0);
	assert_int_equal(count("trend"), 0);
	const struct ins_finding *f = must("triggers", "first months");
	assert_int_equal(f->severity, INS_INFO);
	assert_null(strstr(f->detail, "more often"));
	assert_string_equal(f->because[0].says, "1 trigger was recorded in the last 3 months.");
	must("timeline_position", "8 months");

	/* the same record after six weeks of records: help is worth naming */
	reset();
	in.first_activity_day = TODAY - 60;
	for (int k = 0; k < 3; k++)
		note(TODAY - 40 + 15 * k, INS_NOTE_SETBACK);
	run();
	assert_int_equal(count("counselling_suggested"), 1);
	assert_int_equal(must("counselling_suggested", NULL)->needs_days, 42);
}

/* Words fit the figures: a low steady score gets no comfort, and a fall
 * in the first weeks is told calmly. */
static void words_fit_the_scores(void **state)
{
	(void)state;
	reset();
	weekly(INS_ME, 12, 3, 3, 5);
	run();
	const struct ins_finding *f = must("trend", "Your connection");
	assert_non_null(strstr(f->title, "low"));
	assert_null(strstr(f->suggestion, "Steady is worth"));
	assert_int_equal(f->severity, INS_ATTENTION);

	reset();
	weekly(INS_ME, 12, 7, 7, 5);  /* steady and good: that is worth saying */
	run();
	f = must("trend", "Your connection");
	assert_non_null(strstr(f->suggestion, "Steady is worth"));
	assert_int_equal(f->severity, INS_INFO);

	reset();
	weekly(INS_ME, 4, 3, 3, 5);   /* low, four weeks in: said gently */
	run();
	f = must("trend", "Your connection");
	assert_int_equal(f->severity, INS_INFO);
	assert_null(strstr(f->suggestion, "Steady is worth"));
	assert_non_null(strstr(f->suggestion, "at the start"));

	reset();
	weekly(INS_ME, 5, 8, 3, 0);   /* falling in the first five weeks: no alarm */
	run();
	f = must("trend", "Your connection score is falling");
	assert_int_equal(f->severity, INS_INFO);
	assert_int_equal(must("trend", "Your trust scores are falling")->severity, INS_INFO);
	reset();
	weekly(INS_ME, 12, 8, 3, 0);  /* falling over twelve weeks: worth attention */
	run();
	assert_int_equal(must("trend", "Your connection score is falling")->severity, INS_ATTENTION);

	reset();
	weekly(INS_ME, 12, 1, 4, 0);  /* rising, and still low: no celebration of where it is */
	run();
	f = must("trend", "Your connection score is rising");
	assert_non_null(strstr(f->title, "from low"));
	assert_non_null(strstr(f->suggestion, "still low"));
}

/* "Why am I seeing this?" names the records and the window. */
static void reasons_name_the_records(void **state)
{
	(void)state;
	reset();
	checkin(INS_ME, TODAY - 21, 3, 3, 4);
	checkin(INS_ME, TODAY - 14, 4, 4, 4);
	checkin(INS_ME, TODAY - 7, 3, 3, 4);
	checkin(INS_ME, TODAY, 2, 2, 4);
	run();
	const struct ins_finding *f = must("trend", "Your connection");
	assert_string_equal(f->because[0].metric, "connection_mean_4w");
	assert_string_equal(f->because[0].says, "In the last 4 weeks you rated connection 3, 4, 3 and 2.");
	assert_string_equal(f->because[2].says, "You checked in 4 of the last 12 weeks.");

	reset();
	promise(TODAY - 30, 1);
	promise(TODAY - 20, 0);
	promise(TODAY - 6, 1);
	run();
	f = must("follow_through", NULL);
	assert_string_equal(f->because[0].says, "2 of the 3 promises due in the last 90 days were kept.");
	assert_string_equal(f->because[2].says, "The last one not kept was due 2 weeks ago.");

	reset();
	in.first_activity_day = TODAY - 80;
	weekly(INS_PARTNER, 10, 3, 3, 5);
	in.hurt = INS_HURT_PARTNER;
	run();
	f = must("rug_sweeping", NULL);
	assert_string_equal(f->because[0].says, "No trigger, setback, disclosure or contact was recorded in the last 8 weeks.");
	assert_string_equal(f->because[1].says, "In the last 4 weeks your partner rated connection 3, 3, 3 and 3.");
}

static long timeline_high(void)
{
	run();
	must("timeline_position", NULL);
	return out.expected_high;
}

/* The typical timeline, weighed by what the couple said and what the
 * records show, with a reason for each factor. */
static void timeline_weighs_the_factors(void **state)
{
	(void)state;
	reset();
	in.discovery_day = TODAY - 420;  /* 13 months */
	in.first_activity_day = TODAY - 400;
	long plain = timeline_high();
	assert_int_equal(out.expected_low, 27);       /* no answers; no help yet adds time */
	assert_int_equal(plain, 60 + 6);
	const struct ins_finding *f = must("timeline_position", "13 months");
	assert_int_equal(because_of(f, "factor_help"), 6);
	assert_int_equal(because_of(f, "factor_severity"), 0);
	assert_non_null(strstr(f->detail, "expect 2 years to 5½ years"));
	assert_string_equal(f->because[0].says, "The discovery was 13 months ago, on 29 September 2025.");

	in.factors.severity = INS_W_HEAVIER;
	in.factors.repeated = INS_W_HEAVIER;
	long heavy = timeline_high();
	assert_true(heavy > plain);
	f = must("timeline_position", NULL);
	assert_non_null(strstr(f->detail, "longer than the usual"));
	bool said_repeated = false;
	for (int k = 0; k < f->n_because; k++)
		said_repeated |= !strcmp(f->because[k].says, "You said it had happened before: trust usually takes longer the second time.");
	assert_true(said_repeated);

	in.factors.help_step = 2;  /* sessions started: help takes time off */
	assert_true(timeline_high() < heavy);
	in.factors.help_step = 0;
	in.factors.counsellor = true;  /* a counsellor with access counts the same */
	assert_true(timeline_high() < heavy);

	/* steady check-ins and promises kept, light answers: shorter than usual */
	reset();
	in.discovery_day = TODAY - 420;
	in.first_activity_day = TODAY - 400;
	weekly_both(12, 6, 7);
	for (int k = 0; k < 4; k++)
		promise(TODAY - 10 - 14 * k, 1);
	in.factors = (struct ins_factors){ INS_W_LIGHTER, INS_W_LIGHTER, INS_W_LIGHTER, INS_W_LIGHTER, 2, false };
	long light = timeline_high();
	assert_true(light < plain);
	f = must("timeline_position", NULL);
	assert_non_null(strstr(f->detail, "shorter than the usual"));
	assert_true(because_of(f, "factor_consistency") < 0);

	/* check-ins that come and go, promises not kept: longer */
	reset();
	in.discovery_day = TODAY - 420;
	in.first_activity_day = TODAY - 400;
	weekly(INS_ME, 12, 5, 5, 5);
	for (int k = 0; k < 4; k++)
		promise(TODAY - 10 - 14 * k, k == 0);
	run();
	f = must("timeline_position", NULL);
	assert_true(because_of(f, "factor_consistency") > 0);
	assert_true(out.expected_high > plain);
}

static void daily_means_count_only_the_window_and_the_partner(void **state)
{
	(void)state;
	enum { today = 20000 };
	static const struct ins_daily days[] = {
		{ today - 20, INS_ME, 0, 0 },  /* before the window */
		{ today - 13, INS_ME, 4, 6 },
		{ today - 1, INS_ME, 6, 8 },
		{ today, INS_PARTNER, 10, 2 },
	};
	reset();
	in.daily = days;
	in.n_daily = 4;
	int n;
	assert_true(insight_daily_mean(&in, INS_ME, INS_DAILY_CLOSE, today, 14, &n) == 5.0);
	assert_int_equal(n, 2);
	assert_true(insight_daily_mean(&in, INS_ME, INS_DAILY_SAFE, today, 14, &n) == 7.0);
	assert_true(insight_daily_mean(&in, INS_PARTNER, INS_DAILY_SAFE, today, 14, &n) == 2.0);
	assert_int_equal(n, 1);
	assert_true(insight_daily_mean(&in, INS_ME, INS_DAILY_CLOSE, today, 7, &n) == 6.0);
	assert_int_equal(n, 1);
	assert_true(insight_daily_mean(&in, INS_PARTNER, INS_DAILY_CLOSE, today - 1, 14, &n) == 0);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_records_give_nothing),
		cmocka_unit_test(daily_means_count_only_the_window_and_the_partner),
		cmocka_unit_test(trend_rising_steady_and_too_few),
		cmocka_unit_test(trend_ignores_old_checkins),
		cmocka_unit_test(triggers_lessening_and_not),
		cmocka_unit_test(follow_through_rates),
		cmocka_unit_test(promises_broken_is_a_pattern),
		cmocka_unit_test(small_win_week_without_major_trigger),
		cmocka_unit_test(small_win_checkin_streak),
		cmocka_unit_test(small_win_connection_up_two),
		cmocka_unit_test(timeline_position_by_months),
		cmocka_unit_test(counselling_repeated_setbacks),
		cmocka_unit_test(counselling_unheard),
		cmocka_unit_test(counselling_trust_triggers_roadmap),
		cmocka_unit_test(new_disclosure_after_full),
		cmocka_unit_test(no_contact_breach_recent),
		cmocka_unit_test(worse_than_start),
		cmocka_unit_test(no_improvement_after_a_year),
		cmocka_unit_test(rug_sweeping),
		cmocka_unit_test(transparency_stopped_early),
		cmocka_unit_test(safety_only_from_the_viewers_own_check),
		cmocka_unit_test(trigger_months_series),
		cmocka_unit_test(findings_never_overflow),
		cmocka_unit_test(new_couple_first_week_stays_calm),
		cmocka_unit_test(words_fit_the_scores),
		cmocka_unit_test(reasons_name_the_records),
		cmocka_unit_test(timeline_weighs_the_factors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
