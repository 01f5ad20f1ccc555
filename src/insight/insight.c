/* insight.c: the findings of "is it working?" (see insight.h). Each rule is
 * a small function from the input to zero or more findings; every number it
 * uses comes from insight_thresholds, and every finding carries the figures
 * that produced it. The words are troth's own: about the records, never a
 * verdict about a person. */
#include "insight.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../base/caltime.h"

const struct insight_thresholds insight_thresholds = {
	.trend_min_points = 4,        /* fewer check-ins than this say little about a direction */
	.trend_slope_notable = 0.1,   /* 0.1 a week = about 1.2 points over 12 weeks */
	.trend_window_weeks = 12,     /* the slope looks back 12 weeks */
	.mean_window_weeks = 4,       /* the rolling mean covers 4 weeks */
	.major_trigger = 7,           /* intensity 7 or more is a major trigger */
	.triggers_lessening = 0.75,   /* a quarter fewer than the three months before */
	.follow_window_days = 90,     /* promises of the last 90 days */
	.follow_min_promises = 3,     /* a rate of one or two promises means little */
	.follow_celebrate = 0.9,      /* nine in ten kept */
	.broken_pattern_count = 3,    /* three broken promises in the window ... */
	.broken_pattern_share = 1.0 / 3.0, /* ... and a third of the outcomes: a pattern, not one miss */
	.win_checkin_streak = 4,      /* both partners checking in four weeks running */
	.win_connection_rise = 2.0,   /* connection up two points ... */
	.win_connection_weeks = 8,    /* ... over eight weeks */
	.setback_repeat_count = 3,    /* three setbacks ... */
	.setback_repeat_days = 56,    /* ... in eight weeks: the same fight again and again [000] */
	.unheard_score = 2,           /* "listened to" 1 or 2 of 5 ... */
	.unheard_weeks = 3,           /* ... three weeks running */
	.unheard_vulns = 2,           /* two vulnerabilities ... */
	.unheard_vuln_days = 7,       /* ... still not marked heard after a week */
	.trust_stall_weeks = 12,      /* trust not rebuilding over twelve weeks */
	.trust_stall_low = 5.0,       /* ... while it stays at 5 or below */
	.triggers_persist_months = 6, /* triggers not lessening after six months */
	.roadmap_stall_days = 56,     /* no roadmap progress for eight weeks */
	.worse_after_months = 6,      /* "worse six months in than initially" [001] */
	.worse_margin = 0.5,          /* lower by half a point or more, not noise */
	.no_improve_weeks = 52,       /* "1-2 years of genuine work" [001]: from one year */
	.rituals_kept_share = 0.75,   /* genuine work: both checked in three weeks of four */
	.improve_min = 1.0,           /* a rise of less than a point is no improvement */
	.rug_days = 56,               /* nothing about the betrayal for eight weeks */
	.rug_low = 4.0,               /* ... while the hurt partner's connection is 4 or below */
	.plan_early_share = 0.5,      /* stopped before half of its planned length ... */
	.plan_early_days = 30,        /* ... and at least a month before its end */
	.red_flag_days = 180,         /* red flags of the last six months are reported */
	.need_trend_days = 21,        /* four weekly check-ins span three weeks at least */
	.need_counselling_days = 42,  /* six weeks of records before suggesting outside help */
	.need_persist_days = 120,     /* "lessening or not" compares two spans of three months: the earlier needs a month of records */
	.need_alarm_days = 56,        /* the first eight weeks move a lot: a fall is told calmly */
	.persist_min_triggers = 3,    /* one or two triggers in three months are no pattern */
	.steady_ok = 6.0,             /* steady at 6 or more is good news */
	.low_score = 4.0,             /* a mean of 4 or below is low */
	.timeline_low = 24,           /* "2-5 years before trust feels truly restored" [001] */
	.timeline_high = 60,
	/* what each factor adds when it weighs heavier, in months (low end, high end);
	 * a lighter answer takes off half as much */
	.shift_low = { 6, 6, 3, 6, 3, 6 },
	.shift_high = { 12, 12, 6, 12, 6, 12 },
	.timeline_min = 12,           /* a year is the least we ever say */
	.timeline_max = 96,           /* eight years is the most */
	.steady_share = 0.75,         /* both checked in three weeks of four, and kept three in four */
	.unsteady_share = 0.5,        /* below half: the changed behaviour is not steady yet */
};
#define T insight_thresholds

const char *const insight_dim_names[INS_NDIM] = {
	"reliability", "emotional_safety", "honesty", "consistency", "respect", "transparency",
};
static const char *const DIM_WORDS[INS_NDIM] = {
	"reliability", "emotional safety", "honesty", "consistency", "respect", "transparency",
};

const char *insight_severity_name(int severity)
{
	static const char *const names[] = { "info", "celebrate", "attention", "concern", "safety" };
	return severity >= 0 && severity <= INS_SAFETY ? names[severity] : "info";
}

/* ------------------------------------------------------------ series math */

static double value_of(const struct ins_checkin *c, int dim)
{
	if (dim == INS_CONN)
		return c->connection;
	if (dim == INS_TRUST) {
		int s = 0;
		for (int i = 0; i < INS_NDIM; i++)
			s += c->dim[i];
		return s / (double)INS_NDIM;
	}
	return c->dim[dim];
}

double insight_mean(const struct insight_input *in, int who, int dim, long week, int weeks, int *n)
{
	long from = week - 7L * (weeks - 1);
	double sum = 0;
	int k = 0;
	for (size_t i = 0; i < in->n_checkins; i++) {
		const struct ins_checkin *c = &in->checkins[i];
		if (c->who == who && c->week >= from && c->week <= week) {
			sum += value_of(c, dim);
			k++;
		}
	}
	if (n)
		*n = k;
	return k ? sum / k : 0;
}

double insight_slope(const struct insight_input *in, int who, int dim, long week, int weeks, int *n)
{
	long from = week - 7L * (weeks - 1);
	double sx = 0, sy = 0, sxx = 0, sxy = 0;
	int k = 0;
	for (size_t i = 0; i < in->n_checkins; i++) {
		const struct ins_checkin *c = &in->checkins[i];
		if (c->who != who || c->week < from || c->week > week)
			continue;
		double x = (double)(c->week - from) / 7.0, y = value_of(c, dim);
		sx += x, sy += y, sxx += x * x, sxy += x * y;
		k++;
	}
	if (n)
		*n = k;
	double den = k * sxx - sx * sx;
	if (k < 2 || den == 0)
		return 0;
	return (k * sxy - sx * sy) / den;
}

static long monday_of(long day)
{
	return day - (weekday_of(day) - 1);
}

static bool has_checkin(const struct insight_input *in, int who, long week)
{
	for (size_t i = 0; i < in->n_checkins; i++)
		if (in->checkins[i].who == who && in->checkins[i].week == week)
			return true;
	return false;
}

static long first_week(const struct insight_input *in, int who)
{
	for (size_t i = 0; i < in->n_checkins; i++)
		if (in->checkins[i].who == who)
			return in->checkins[i].week;
	return INS_NONE;
}

static bool is_hurt(const struct insight_input *in, int who)
{
	return in->hurt == INS_HURT_BOTH || (in->hurt == INS_HURT_ME && who == INS_ME) ||
	       (in->hurt == INS_HURT_PARTNER && who == INS_PARTNER);
}

static int count_triggers(const struct insight_input *in, long from, long to, int min_int, bool *priv)
{
	int k = 0;
	for (size_t i = 0; i < in->n_triggers; i++) {
		const struct ins_trigger *t = &in->triggers[i];
		if (t->day >= from && t->day <= to && t->intensity >= min_int) {
			k++;
			if (priv && t->private_mine)
				*priv = true;
		}
	}
	return k;
}

static int count_notes(const struct insight_input *in, int kind, long from, long to)
{
	int k = 0;
	for (size_t i = 0; i < in->n_notes; i++)
		if (in->notes[i].kind == kind && in->notes[i].day >= from && in->notes[i].day <= to)
			k++;
	return k;
}

static int months_between(long from, long to)
{
	struct civil a, b;
	civil_from_days(from, &a);
	civil_from_days(to, &b);
	int m = (b.y - a.y) * 12 + (b.m - a.m) - (b.d < a.d ? 1 : 0);
	return m < 0 ? 0 : m;
}

/* ------------------------------------------------------------ building */

static struct ins_finding *add(struct insight_findings *out, const char *kind, int severity,
			       const char *suggestion)
{
	if (out->n >= INS_MAX_FINDINGS)
		return NULL;
	struct ins_finding *f = &out->f[out->n++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->severity = severity;
	f->audience = INS_BOTH;
	f->suggestion = suggestion;
	return f;
}

/* A finding that points to the counselling guidance. */
static struct ins_finding *add_counselling(struct insight_findings *out, const char *kind, int severity,
					   const char *suggestion)
{
	struct ins_finding *f = add(out, kind, severity, suggestion);
	if (f)
		f->link = "/guidance/counselling";
	return f;
}

static void because(struct ins_finding *f, const char *metric, double value, const char *window, ...)
	__attribute__((format(printf, 4, 5)));
static void because(struct ins_finding *f, const char *metric, double value, const char *window, ...)
{
	if (!f || f->n_because >= INS_MAX_BECAUSE)
		return;
	struct ins_because *b = &f->because[f->n_because++];
	b->metric = metric;
	b->value = (double)(long long)(value * 100 + (value >= 0 ? 0.5 : -0.5)) / 100;
	va_list ap;
	va_start(ap, window);
	vsnprintf(b->window, sizeof(b->window), window, ap);
	va_end(ap);
}

#define SETF(f, field, ...) snprintf((f)->field, sizeof((f)->field), __VA_ARGS__)

/* The words of the reason just added: the records and the window, as a
 * person would say them. */
static void said(struct ins_finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void said(struct ins_finding *f, const char *fmt, ...)
{
	if (!f || !f->n_because)
		return;
	struct ins_because *b = &f->because[f->n_because - 1];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b->says, sizeof(b->says), fmt, ap);
	va_end(ap);
}

static const char *whose(int who, bool cap)
{
	if (who == INS_ME)
		return cap ? "Your" : "your";
	return cap ? "Your partner's" : "your partner's";
}

/* "you" or "your partner", as the one who did something */
static const char *who_did(int who, bool cap)
{
	if (who == INS_ME)
		return cap ? "You" : "you";
	return cap ? "Your partner" : "your partner";
}

static const char *plural(int n)
{
	return n == 1 ? "" : "s";
}

/* One partner's scores of dim over the weeks [from, to], oldest first, as
 * "3, 4, 3 and 2" into out (at most 12 of the latest). Returns how many. */
static int scores_words(const struct insight_input *in, int who, int dim, long from, long to, char *out, size_t n)
{
	double v[12];
	int k = 0;
	for (size_t i = 0; i < in->n_checkins; i++) {
		const struct ins_checkin *c = &in->checkins[i];
		if (c->who != who || c->week < from || c->week > to)
			continue;
		if (k == 12) { /* keep the latest twelve */
			memmove(v, v + 1, sizeof(v) - sizeof(v[0]));
			k--;
		}
		v[k++] = value_of(c, dim);
	}
	size_t len = 0;
	out[0] = '\0';
	for (int i = 0; i < k && len < n; i++)
		len += (size_t)snprintf(out + len, n - len, "%s%g", i == 0 ? "" : i == k - 1 ? " and " : ", ",
					(double)(long long)(v[i] * 10 + 0.5) / 10);
	return k;
}

/* "In the last 4 weeks you rated connection 3, 4, 3 and 2." */
static void said_scores(struct ins_finding *f, const struct insight_input *in, int who, int dim, long week, int weeks,
			const char *when)
{
	char list[96];
	int k = scores_words(in, who, dim, week - 7L * (weeks - 1), week, list, sizeof(list));
	const char *what = dim == INS_CONN ? "connection" : dim == INS_TRUST ? "trust" : DIM_WORDS[dim];
	if (k)
		said(f, "%s %s rated %s %s.", when, who_did(who, false), what, list);
	else
		said(f, "%s %s did not check in.", when, who_did(who, false));
}

/* Days of records: from the couple's first record (their start, a
 * check-in, a trigger or a note about now) to today. */
static long history_days(const struct insight_input *in)
{
	long first = in->first_activity_day;
	if (in->n_checkins && (first == INS_NONE || in->checkins[0].week < first))
		first = in->checkins[0].week;
	if (in->n_triggers && (first == INS_NONE || in->triggers[0].day < first))
		first = in->triggers[0].day;
	for (size_t i = 0; i < in->n_notes; i++)
		if (in->notes[i].kind != INS_NOTE_TIMELINE && (first == INS_NONE || in->notes[i].day < first))
			first = in->notes[i].day;
	return first == INS_NONE || first > in->today ? 0 : in->today - first;
}

/* ------------------------------------------------------------ the rules */

static void rule_trend(const struct insight_input *in, struct insight_findings *out, long week)
{
	long hist = out->history_days;
	if (hist < T.need_trend_days)
		return;
	bool early = hist < T.need_alarm_days;
	for (int who = INS_ME; who <= INS_PARTNER; who++) {
		/* connection: always, when there is enough to say */
		int n12 = 0, n4 = 0;
		double slope = insight_slope(in, who, INS_CONN, week, T.trend_window_weeks, &n12);
		double mean = insight_mean(in, who, INS_CONN, week, T.mean_window_weeks, &n4);
		if (n12 < T.trend_min_points || n4 == 0)
			continue;
		bool up = slope >= T.trend_slope_notable, down = slope <= -T.trend_slope_notable;
		bool low = mean <= T.low_score, good = mean >= T.steady_ok;
		int sev;
		const char *sugg, *how;
		if (up) {
			sev = INS_CELEBRATE;
			how = low ? "rising, from low" : "rising";
			sugg = low ? "It is moving the right way, and it is still low. Notice together what helped, and go gently."
				   : "Notice together what has helped, and keep doing it.";
		} else if (down) {
			sev = early ? INS_INFO : INS_ATTENTION;
			how = "falling";
			sugg = early ? "The first weeks move up and down a lot. At a check-in, ask gently what changed."
				     : "A check-in is a good place to ask what has changed, gently.";
		} else if (low) {
			sev = early ? INS_INFO : INS_ATTENTION;
			how = "low and not moving";
			sugg = early ? "Low weeks are common at the start. Say how it is at your next check-in, and listen."
				     : "Weeks this low deserve to be said out loud. At your next check-in, ask what would help, and listen.";
		} else if (good) {
			sev = INS_INFO;
			how = "steady";
			sugg = "Steady is worth something too. Keep checking in.";
		} else {
			sev = INS_INFO;
			how = "holding in the middle";
			sugg = "Keep checking in. Naming one small thing that would help can move it.";
		}
		struct ins_finding *f = add(out, "trend", sev, sugg);
		if (!f)
			return;
		f->needs_days = T.need_trend_days;
		SETF(f, title, "%s connection score is %s", whose(who, true), how);
		SETF(f, detail, "Over the last %d weeks it averaged %.1f out of 10, and across %d weeks it moved about %+.1f points.",
		     T.mean_window_weeks, mean, T.trend_window_weeks, slope * (T.trend_window_weeks - 1));
		char when[32];
		snprintf(when, sizeof(when), "In the last %d weeks", T.mean_window_weeks);
		because(f, "connection_mean_4w", mean, "last %d weeks", T.mean_window_weeks);
		said_scores(f, in, who, INS_CONN, week, T.mean_window_weeks, when);
		because(f, "connection_slope_12w", slope, "last %d weeks", T.trend_window_weeks);
		said(f, "Across the last %d weeks, %s check-ins moved about %.1f points %s.", T.trend_window_weeks,
		     whose(who, false), slope < 0 ? -slope * (T.trend_window_weeks - 1) : slope * (T.trend_window_weeks - 1),
		     slope < 0 ? "down" : "up");
		because(f, "checkins_12w", n12, "last %d weeks", T.trend_window_weeks);
		said(f, "%s checked in %d of the last %d weeks.", who_did(who, true), n12, T.trend_window_weeks);

		/* the six dimensions: one finding naming those that moved */
		char rising[160] = "", falling[160] = "";
		double slopes[INS_NDIM];
		int nup = 0, ndown = 0;
		for (int dim = 0; dim < INS_NDIM; dim++) {
			slopes[dim] = insight_slope(in, who, dim, week, T.trend_window_weeks, NULL);
			char *list = slopes[dim] >= T.trend_slope_notable ? rising
				     : slopes[dim] <= -T.trend_slope_notable ? falling : NULL;
			if (!list)
				continue;
			int *k = list == rising ? &nup : &ndown;
			size_t len = strlen(list);
			snprintf(list + len, 160 - len, "%s%s", (*k)++ ? ", " : "", DIM_WORDS[dim]);
		}
		if (!nup && !ndown)
			continue;
		f = add(out, "trend", ndown && !early ? INS_ATTENTION : ndown ? INS_INFO : INS_CELEBRATE,
			ndown ? "Talk about the one that slipped first, kindly: what would help it back up?"
			      : "Name one thing behind this, and thank each other for it.");
		if (!f)
			return;
		f->needs_days = T.need_trend_days;
		if (nup && ndown)
			SETF(f, title, "%s trust scores have moved", whose(who, true));
		else
			SETF(f, title, "%s trust scores are %s: %s", whose(who, true), nup ? "rising" : "falling",
			     nup ? rising : falling);
		SETF(f, detail, "Over the last %d weeks, rising: %s; falling: %s.", T.trend_window_weeks,
		     nup ? rising : "none", ndown ? falling : "none");
		for (int dim = 0; dim < INS_NDIM; dim++)
			if (slopes[dim] >= T.trend_slope_notable || slopes[dim] <= -T.trend_slope_notable) {
				because(f, insight_dim_names[dim], slopes[dim], "slope, last %d weeks", T.trend_window_weeks);
				char list[96];
				scores_words(in, who, dim, week - 7L * (T.trend_window_weeks - 1), week, list, sizeof(list));
				said(f, "In the last %d weeks %s rated %s %s.", T.trend_window_weeks, who_did(who, false),
				     DIM_WORDS[dim], list);
			}
	}
}

/* Triggers of the last three months against the three before. */
static void trigger_windows(const struct insight_input *in, int *recent, int *prev, bool *priv)
{
	*recent = count_triggers(in, in->today - 90, in->today, 1, priv);
	*prev = count_triggers(in, in->today - 181, in->today - 91, 1, priv);
}

static void rule_triggers(const struct insight_input *in, struct insight_findings *out)
{
	int recent, prev;
	bool priv = false;
	trigger_windows(in, &recent, &prev, &priv);
	if (recent + prev == 0)
		return;
	double sum = 0;
	for (size_t i = 0; i < in->n_triggers; i++)
		if (in->triggers[i].day >= in->today - 90 && in->triggers[i].day <= in->today)
			sum += in->triggers[i].intensity;
	double mean = recent ? sum / recent : 0;
	/* before there are two spans to compare, only say what there is */
	bool early = out->history_days < T.need_persist_days;
	bool lessening = !early && prev > 0 && recent <= prev * T.triggers_lessening;
	/* none recorded while a hurt partner's connection stays low is quiet,
	 * not healing: nothing to celebrate (rug_sweeping says why) */
	bool quiet_low = false;
	for (int who = INS_ME; who <= INS_PARTNER; who++) {
		int n;
		double c = insight_mean(in, who, INS_CONN, monday_of(in->today), T.mean_window_weeks, &n);
		quiet_low |= is_hurt(in, who) && n >= 2 && c <= T.rug_low;
	}
	if (recent == 0 && quiet_low)
		lessening = false;
	struct ins_finding *f = add(out, "triggers", lessening ? INS_CELEBRATE : INS_INFO,
				    lessening ? "Triggers lessen slowly and may never vanish. The plans you made are part of why."
				    : early ? "In the first months triggers come often; that is expected. A trigger plan agreed in advance makes each one easier."
					    : "Triggers take a long time to fade. A trigger plan agreed in advance makes each one easier.");
	if (!f)
		return;
	f->audience = priv ? INS_ONLY_ME : INS_BOTH;
	if (early) {
		SETF(f, title, "Triggers in the first months");
		SETF(f, detail, "%d recorded in the last three months (average strength %.1f of 10). It is too soon to "
				"say whether they are lessening.", recent, mean);
	} else {
		SETF(f, title, lessening ? "Triggers are coming less often" : recent > prev ? "Triggers have come more often lately"
			       : recent == 0 ? "No triggers recorded lately" : "Triggers are about as frequent as before");
		SETF(f, detail, "%d in the last three months (average intensity %.1f), against %d in the three months before.",
		     recent, mean, prev);
	}
	because(f, "triggers_3m", recent, "last 90 days");
	said(f, "%d trigger%s %s recorded in the last 3 months.", recent, plural(recent), recent == 1 ? "was" : "were");
	because(f, "triggers_prev_3m", prev, "91-181 days ago");
	said(f, "%d %s recorded in the 3 months before that.", prev, prev == 1 ? "was" : "were");
	because(f, "trigger_intensity_mean_3m", mean, "last 90 days");
	if (recent)
		said(f, "In the last 3 months their strength averaged %.1f out of 10.", mean);
	else
		said(f, "None came in the last 3 months.");
}

static void promise_counts(const struct insight_input *in, int *kept, int *broken, long *last_broken)
{
	*kept = *broken = 0;
	*last_broken = INS_NONE;
	for (size_t i = 0; i < in->n_promises; i++) {
		const struct ins_promise *p = &in->promises[i];
		if (p->kept == 0 && p->due <= in->today && p->due > *last_broken)
			*last_broken = p->due;
		if (p->due < in->today - T.follow_window_days || p->due > in->today || p->kept < 0)
			continue;
		if (p->kept)
			(*kept)++;
		else
			(*broken)++;
	}
}

static void rule_promises(const struct insight_input *in, struct insight_findings *out)
{
	int kept, broken;
	long last_broken;
	promise_counts(in, &kept, &broken, &last_broken);
	int n = kept + broken;
	if (n < T.follow_min_promises)
		return;
	double rate = (double)kept / n;
	long since = INS_NONE;
	for (size_t i = 0; i < in->n_promises; i++)
		if (in->promises[i].kept >= 0 && (since == INS_NONE || in->promises[i].due < since))
			since = in->promises[i].due;
	if (last_broken != INS_NONE)
		since = last_broken;
	int weeks = since == INS_NONE ? 0 : (int)((in->today - since) / 7);
	struct ins_finding *f = add(out, "follow_through", rate >= T.follow_celebrate ? INS_CELEBRATE : INS_INFO,
				    rate < T.unsteady_share
				    ? "Fewer, smaller promises that can be kept every time are how trust comes back."
				    : "Small promises kept, week after week, are how trust comes back.");
	if (f) {
		f->needs_days = 0;
		SETF(f, title, "%d of %d promises kept in the last %d days", kept, n, T.follow_window_days);
		if (last_broken == INS_NONE)
			SETF(f, detail, "No promise has been broken since the first one was due, %d week%s ago.", weeks,
			     plural(weeks));
		else if (weeks == 0)
			SETF(f, detail, "A promise was not kept this week.");
		else
			SETF(f, detail, "%d week%s since the last promise that was not kept.", weeks, plural(weeks));
		because(f, "promises_kept_share", rate, "last %d days", T.follow_window_days);
		said(f, "%d of the %d promises due in the last %d days were kept.", kept, n, T.follow_window_days);
		because(f, "promises_kept", kept, "last %d days", T.follow_window_days);
		said(f, "%d kept, %d not kept.", kept, broken);
		because(f, "weeks_consistent", weeks, "since the last broken promise");
		if (last_broken == INS_NONE)
			said(f, "None has been broken in %d week%s.", weeks, plural(weeks));
		else
			said(f, "The last one not kept was due %d week%s ago.", weeks, plural(weeks));
	}
	if (broken >= T.broken_pattern_count && (double)broken / n >= T.broken_pattern_share) {
		f = add_counselling(out, "promises_broken", INS_CONCERN,
			"Fewer, smaller promises that can be kept may help, and a counsellor can help you both look at why.");
		if (!f)
			return;
		SETF(f, title, "Several promises were not kept");
		SETF(f, detail, "%d of the %d promises due in the last %d days were not kept. One miss happens; "
				"a pattern like this makes trust hard to rebuild.", broken, n, T.follow_window_days);
		because(f, "promises_broken", broken, "last %d days", T.follow_window_days);
		said(f, "%d promise%s due in the last %d days %s not kept.", broken, plural(broken), T.follow_window_days,
		     broken == 1 ? "was" : "were");
		because(f, "promises_broken_share", (double)broken / n, "last %d days", T.follow_window_days);
		said(f, "That is %d in every 10 promises due.", (int)((double)broken / n * 10 + 0.5));
	}
}

static void rule_small_wins(const struct insight_input *in, struct insight_findings *out, long week)
{
	/* a week without a major trigger, after weeks that had them */
	long last_mon = week - 7, last_sun = week - 1;
	bool priv = false;
	int major_before = count_triggers(in, last_mon - 56, last_mon - 1, T.major_trigger, &priv);
	if (major_before > 0 && count_triggers(in, last_mon, last_sun, T.major_trigger, NULL) == 0) {
		struct ins_finding *f = add(out, "small_win", INS_CELEBRATE, "Say it out loud to each other: last week was a good one.");
		if (f) {
			f->audience = priv ? INS_ONLY_ME : INS_BOTH;
			SETF(f, title, "A week without a major trigger");
			SETF(f, detail, "Last week had no trigger of intensity %d or more; the eight weeks before had %d.",
			     T.major_trigger, major_before);
			because(f, "major_triggers_last_week", 0, "last week");
			said(f, "No trigger of strength %d or more was recorded last week.", T.major_trigger);
			because(f, "major_triggers_8w_before", major_before, "8 weeks before");
			said(f, "The 8 weeks before had %d.", major_before);
		}
	}
	/* both checking in, weeks running (this week or last one counts as the latest) */
	long w = has_checkin(in, INS_ME, week) && has_checkin(in, INS_PARTNER, week) ? week : week - 7;
	int streak = 0;
	while (streak < 520 && has_checkin(in, INS_ME, w) && has_checkin(in, INS_PARTNER, w))
		streak++, w -= 7;
	if (streak >= T.win_checkin_streak) {
		struct ins_finding *f = add(out, "small_win", INS_CELEBRATE, "Showing up every week is the work. It counts.");
		if (f) {
			f->needs_days = 7L * (T.win_checkin_streak - 1);
			SETF(f, title, "You have both checked in %d weeks running", streak);
			SETF(f, detail, "Each of the last %d weeks has a check-in from each of you.", streak);
			because(f, "weeks_both_checked_in", streak, "up to this week");
			said(f, "You and your partner each checked in every week for the last %d weeks.", streak);
		}
	}
	/* connection up two points over eight weeks */
	for (int who = INS_ME; who <= INS_PARTNER; who++) {
		int n1, n0;
		double now = insight_mean(in, who, INS_CONN, week, T.mean_window_weeks, &n1);
		double then = insight_mean(in, who, INS_CONN, week - 7L * T.win_connection_weeks, T.mean_window_weeks, &n0);
		if (n1 && n0 && now - then >= T.win_connection_rise) {
			struct ins_finding *f = add(out, "small_win", INS_CELEBRATE, "Notice together what has been different.");
			if (!f)
				return;
			f->needs_days = 7L * (T.win_connection_weeks + T.mean_window_weeks - 1);
			SETF(f, title, "%s connection is up %.1f points", whose(who, true), now - then);
			SETF(f, detail, "From an average of %.1f eight weeks ago to %.1f over the last four weeks.", then, now);
			because(f, "connection_mean_4w", now, "last 4 weeks");
			said_scores(f, in, who, INS_CONN, week, T.mean_window_weeks, "In the last 4 weeks");
			because(f, "connection_mean_4w_8w_ago", then, "8 weeks earlier");
			said_scores(f, in, who, INS_CONN, week - 7L * T.win_connection_weeks, T.mean_window_weeks,
				    "In the 4 weeks before that, 8 weeks ago,");
		}
	}
}

/* "2 years", "2½ years", "18 months" */
static const char *span_words(int months, char out[24])
{
	if (months < 24)
		snprintf(out, 24, "%d months", months);
	else if (months % 12 >= 6)
		snprintf(out, 24, "%d½ years", months / 12);
	else
		snprintf(out, 24, "%d years", months / 12);
	return out;
}

/* The six factors and what each did to the typical range: a weight
 * (lighter, heavier, or not known) with its words for the reasons. */
enum { F_SEVERITY, F_REPEATED, F_BEFORE, F_COMMITMENT, F_HELP, F_CONSISTENCY, F_N };
static const char *const FACTOR_METRIC[F_N] = {
	"factor_severity", "factor_first_or_repeated", "factor_before", "factor_commitment", "factor_help",
	"factor_consistency",
};
static const char *const FACTOR_SAYS[F_N][3] = {
	{ "You have not said yet how long the betrayal went on or how deep it ran.",
	  "You said the betrayal was brief or a one-off: that tends to shorten the road.",
	  "You said the betrayal went on a long time or ran deep: that tends to lengthen the road." },
	{ "You have not said yet whether this was the first time.",
	  "You said this was the first time: nothing to add for that.",
	  "You said it had happened before: trust usually takes longer the second time." },
	{ "You have not said yet how things were between you before.",
	  "You said things were mostly good before: a good base helps.",
	  "You said things were already strained before: there is more to rebuild." },
	{ "You have not said yet how committed you feel to the work.",
	  "You said you are fully in: that is what the work needs.",
	  "You said you are not sure yet: that is honest, and it tends to slow things." },
	{ "No counselling step has been started on the roadmap yet: outside help tends to shorten the road.",
	  "A counselling step is under way on the roadmap: help is on its way.",
	  "A counsellor is part of your work: that tends to shorten the road." },
	{ "There are not enough check-ins and promises yet to see how steady things are.",
	  "Check-ins and promises have been steady: steady change is what rebuilds trust.",
	  "Check-ins and promises have not been steady yet: trust returns with steady change." },
};

static void rule_timeline(const struct insight_input *in, struct insight_findings *out, long week)
{
	if (in->discovery_day == INS_NONE || in->discovery_day > in->today)
		return;
	int m = out->months_since_discovery;

	/* consistency, from the records: weeks both checked in and promises kept */
	int both = 0;
	for (long w = week - 77; w <= week; w += 7)
		both += has_checkin(in, INS_ME, w) && has_checkin(in, INS_PARTNER, w);
	int kept, broken;
	long lb;
	promise_counts(in, &kept, &broken, &lb);
	double ck_share = both / 12.0, kept_share = kept + broken ? (double)kept / (kept + broken) : -1;
	int consistency = INS_W_UNSAID;
	int any = 0;  /* check-ins of either partner in the 12 weeks: without any, nothing to see */
	for (size_t i = 0; i < in->n_checkins; i++)
		any += in->checkins[i].week >= week - 77 && in->checkins[i].week <= week;
	if (out->history_days >= T.need_alarm_days && (any || kept + broken)) {
		bool steady = ck_share >= T.steady_share && (kept_share < 0 || kept_share >= T.steady_share);
		bool unsteady = ck_share < T.unsteady_share || (kept_share >= 0 && kept_share < T.unsteady_share);
		consistency = unsteady ? INS_W_HEAVIER : steady ? INS_W_LIGHTER : INS_W_UNSAID;
	}
	/* help: a counsellor with access, or a counselling step on the roadmap */
	int help = in->factors.counsellor || in->factors.help_step == 2 ? 2 : in->factors.help_step == 1 ? 1 : 0;
	/* help weighs heavier only once its absence means something: after the first months */
	int help_weight = help == 2 ? INS_W_LIGHTER : help == 0 && m >= 3 ? INS_W_HEAVIER : INS_W_UNSAID;
	int weight[F_N] = { in->factors.severity, in->factors.repeated, in->factors.before, in->factors.commitment,
			    help_weight, consistency };
	/* a first betrayal is the usual case: it takes nothing off */
	int lo = T.timeline_low, hi = T.timeline_high;
	int shift[F_N];
	for (int i = 0; i < F_N; i++) {
		int w = weight[i] >= INS_W_UNSAID && weight[i] <= INS_W_HEAVIER ? weight[i] : INS_W_UNSAID;
		weight[i] = w;
		int dl = w == INS_W_HEAVIER ? T.shift_low[i] : w == INS_W_LIGHTER && i != F_REPEATED ? -T.shift_low[i] / 2 : 0;
		int dh = w == INS_W_HEAVIER ? T.shift_high[i] : w == INS_W_LIGHTER && i != F_REPEATED ? -T.shift_high[i] / 2 : 0;
		lo += dl, hi += dh;
		shift[i] = dh;
	}
	if (lo < T.timeline_min)
		lo = T.timeline_min;
	if (hi > T.timeline_max)
		hi = T.timeline_max;
	if (hi < lo + 12)
		hi = lo + 12;
	out->expected_low = lo, out->expected_high = hi;

	char a[24], b[24];
	span_words(lo, a);
	span_words(hi, b);
	char where[280];
	if (m < 6)
		snprintf(where, sizeof(where), "These are early months. Most couples need at least six to twelve months "
					       "before things feel significantly better. Not being over it yet is normal.");
	else if (m < 12)
		snprintf(where, sizeof(where), "You are in the span where many couples begin to feel significantly better.");
	else if (m < lo)
		snprintf(where, sizeof(where), "The first year is behind you. There is still time before trust is likely "
					       "to feel restored, and no need to rush.");
	else if (m <= hi)
		snprintf(where, sizeof(where), "You are within the span in which trust often comes to feel restored.");
	else
		snprintf(where, sizeof(where), "You are past the span in which trust usually comes back. If it still feels "
					       "far away, a counsellor can help you both decide what comes next.");
	int heavier = 0, moved_by = 0;
	for (int i = 0; i < F_N; i++)
		heavier += weight[i] == INS_W_HEAVIER, moved_by += shift[i];
	const char *moved = moved_by > 0 ? "longer than" : moved_by < 0 ? "shorter than" : "about";
	struct ins_finding *f = add(out, "timeline_position", INS_INFO,
				    heavier ? "The things that lengthen the road are named below. Some of them, like help and "
					      "steady check-ins, are yours to change."
					    : "The pace depends on how severe and long the betrayal was, whether it was the first, "
					      "how things were before, both partners' commitment, professional help, and steady "
					      "changed behaviour.");
	if (!f)
		return;
	SETF(f, title, "%d month%s since the discovery", m, plural(m));
	SETF(f, detail, "Trust often takes two to five years to feel restored. Weighing what you told us and what your "
			"records show, expect %s to %s for you, %s the usual. %s", a, b,
	     !strcmp(moved, "about") ? "about the same as" : moved, where);
	because(f, "months_since_discovery", m, "since the discovery day");
	static const char *const MONTHS[12] = { "January", "February", "March", "April", "May", "June", "July",
						"August", "September", "October", "November", "December" };
	struct civil dc;
	civil_from_days(in->discovery_day, &dc);
	said(f, "The discovery was %d month%s ago, on %d %s %d.", m, plural(m), dc.d, MONTHS[(dc.m - 1) % 12], dc.y);
	for (int i = 0; i < F_N; i++) {
		because(f, FACTOR_METRIC[i], shift[i], "%s", i == F_HELP || i == F_CONSISTENCY ? "from the records" : "your answers");
		char extra[96] = "";
		if (i == F_CONSISTENCY && consistency != INS_W_UNSAID) {
			if (kept_share >= 0)
				snprintf(extra, sizeof(extra), " In the last 12 weeks you both checked in %d weeks, and %d of "
							       "%d promises were kept.", both, kept, kept + broken);
			else
				snprintf(extra, sizeof(extra), " In the last 12 weeks you both checked in %d weeks.", both);
		}
		const char *s = FACTOR_SAYS[i][weight[i] == INS_W_LIGHTER ? 1 : weight[i] == INS_W_HEAVIER ? 2 : 0];
		if (i == F_HELP)
			s = FACTOR_SAYS[i][help];
		said(f, "%s%s", s, extra);
	}
	int later = in->full_disclosure_day == INS_NONE ? 0
			: count_notes(in, INS_NOTE_DISCLOSURE, in->full_disclosure_day + 1, in->today);
	if (later) {
		because(f, "disclosures_after_full", later, "since the full disclosure");
		said(f, "%d new disclosure%s came after the full disclosure; each one restarts some of the pain.", later,
		     plural(later));
	}
}

static void rule_counselling(const struct insight_input *in, struct insight_findings *out, long week)
{
	/* early days: one hard week is no reason to send anyone away */
	long hist = out->history_days;
	if (hist < T.need_counselling_days)
		return;
	struct ins_finding *f = NULL;
	char signs[400] = "";
#define NOTE(words) snprintf(signs + strlen(signs), sizeof(signs) - strlen(signs), "%s%s", signs[0] ? "; " : "", words)
#define SIGN() (f ? f : (f = add_counselling(out, "counselling_suggested", INS_ATTENTION, \
	"A counsellor who specialises in betrayal recovery can help with exactly this. Going is a sign you take healing seriously.")))
	int setbacks = count_notes(in, INS_NOTE_SETBACK, in->today - T.setback_repeat_days + 1, in->today);
	if (setbacks >= T.setback_repeat_count && NOTE("the same hard moments coming back")) {
		because(SIGN(), "setbacks", setbacks, "last %d days", T.setback_repeat_days);
		said(f, "%d setbacks were recorded in the last %d weeks.", setbacks, T.setback_repeat_days / 7);
	}
	for (int who = INS_ME; who <= INS_PARTNER; who++) {
		/* the latest weeks of this partner's check-ins, running, all low */
		long w = has_checkin(in, who, week) ? week : week - 7;
		int low = 0, vals[8];
		for (int k = 0; k < T.unheard_weeks && k < 8; k++, w -= 7) {
			int lowk = 0;
			for (size_t i = 0; i < in->n_checkins; i++) {
				const struct ins_checkin *c = &in->checkins[i];
				if (c->who == who && c->week == w && c->listened_to > 0 && c->listened_to <= T.unheard_score)
					lowk = c->listened_to;
			}
			if (!lowk)
				break;
			vals[low++] = lowk;
		}
		if (low >= T.unheard_weeks && NOTE(who == INS_ME ? "you have not felt listened to" : "your partner has not felt listened to")) {
			because(SIGN(), who == INS_ME ? "listened_to_low_weeks_me" : "listened_to_low_weeks_partner",
				low, "last %d weeks", T.unheard_weeks);
			char list[48] = "";
			size_t len = 0;
			for (int k = low - 1; k >= 0 && len < sizeof(list); k--)
				len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%d", k == low - 1 ? "" : k == 0 ? " and " : ", ", vals[k]);
			said(f, "In the last %d weeks %s rated feeling listened to %s out of 5.", low, who_did(who, false), list);
		}
	}
	int unheard = 0;
	for (size_t i = 0; i < in->n_vulns; i++)
		if (!in->vulns[i].heard && in->vulns[i].day < in->today - T.unheard_vuln_days)
			unheard++;
	if (unheard >= T.unheard_vulns && NOTE("things shared have gone unheard")) {
		because(SIGN(), "vulnerabilities_unheard", unheard, "older than %d days", T.unheard_vuln_days);
		said(f, "%d things shared more than a week ago are not yet marked as heard.", unheard);
	}
	for (int who = INS_ME; who <= INS_PARTNER; who++) {
		if (!is_hurt(in, who))
			continue;
		int n;
		double slope = insight_slope(in, who, INS_TRUST, week, T.trust_stall_weeks, &n);
		double mean = insight_mean(in, who, INS_TRUST, week, T.trust_stall_weeks, NULL);
		if (n >= T.trust_stall_weeks * 2 / 3 && slope <= 0 && mean <= T.trust_stall_low &&
		    NOTE("trust is not rebuilding")) {
			because(SIGN(), "trust_slope_12w", slope, "last %d weeks", T.trust_stall_weeks);
			said(f, "Over the last %d weeks %s trust scores averaged %.1f out of 10 and did not rise.",
			     T.trust_stall_weeks, whose(who, false), mean);
		}
	}
	if (out->months_since_discovery >= T.triggers_persist_months && hist >= T.need_persist_days) {
		int recent, prev;
		trigger_windows(in, &recent, &prev, NULL);
		if (recent >= T.persist_min_triggers && recent >= prev && NOTE("the pain keeps resurfacing")) {
			because(SIGN(), "triggers_3m", recent, "last 90 days, %d before", prev);
			said(f, "%d triggers were recorded in the last 3 months, and %d in the 3 months before.", recent, prev);
		}
	}
	if (in->first_activity_day != INS_NONE && in->first_activity_day <= in->today - T.roadmap_stall_days &&
	    (in->roadmap_last_day == INS_NONE || in->roadmap_last_day <= in->today - T.roadmap_stall_days) &&
	    NOTE("the next step is hard to find")) {
		long days = in->today - (in->roadmap_last_day == INS_NONE ? in->first_activity_day : in->roadmap_last_day);
		because(SIGN(), "days_without_roadmap_progress", (double)days, "since the last step update");
		said(f, in->roadmap_last_day == INS_NONE ? "No roadmap step has been started in the %ld weeks since you began."
							 : "No roadmap step has moved in %ld weeks.", days / 7);
	}
#undef SIGN
#undef NOTE
	if (!f)
		return;
	f->needs_days = T.need_counselling_days;
	SETF(f, title, "A counsellor could help right now");
	SETF(f, detail, "Your records show signs that couples often do better with outside help: %s.", signs);
}

/* The red flags counted from the records of the red-flag window: each is
 * a counselling finding worded from its count. */
struct red_flag {
	const char *kind, *suggestion, *title, *metric;
	const char *noun;  /* what was recorded, one of them */
	const char *where; /* more about when, ending ", ", or "" */
	const char *why;
};
static const struct red_flag NEW_DISCLOSURE = {
	"new_disclosure",
	"New information after a full disclosure is a setback. Talking it through with a counsellor can help you both.",
	"Something new came out after the full disclosure", "disclosures_after_full", "new disclosure",
	"after the full-disclosure date, ", "Healing needs the whole truth; each new piece restarts some of the pain.",
};
static const struct red_flag NO_CONTACT_BREACH = {
	"no_contact_breach",
	"Contact that is disclosed is better than contact that is hidden. A counsellor can help you decide what now.",
	"Contact happened despite the no-contact commitment", "no_contact_breaches", "contact", "",
	"Ongoing contact is one of the signs that recovery is not working.",
};

static void red_flag(struct insight_findings *out, const struct red_flag *k, int n)
{
	struct ins_finding *f = n ? add_counselling(out, k->kind, INS_CONCERN, k->suggestion) : NULL;
	if (!f)
		return;
	SETF(f, title, "%s", k->title);
	SETF(f, detail, "%d %s%s recorded %sin the last %d days. %s", n, k->noun, n == 1 ? " was" : "s were", k->where,
	     T.red_flag_days, k->why);
	because(f, k->metric, n, "last %d days", T.red_flag_days);
	said(f, "%d %s%s recorded %sin the last %d months.", n, k->noun, n == 1 ? " was" : "s were", k->where,
	     T.red_flag_days / 30);
}

static void rule_red_flags(const struct insight_input *in, struct insight_findings *out)
{
	long from = in->today - T.red_flag_days;
	if (in->full_disclosure_day != INS_NONE) {
		long start = in->full_disclosure_day + 1 > from ? in->full_disclosure_day + 1 : from;
		red_flag(out, &NEW_DISCLOSURE, count_notes(in, INS_NOTE_DISCLOSURE, start, in->today));
	}
	red_flag(out, &NO_CONTACT_BREACH, count_notes(in, INS_NOTE_BREACH, from, in->today));
	for (size_t i = 0; i < in->n_plans; i++) {
		const struct ins_plan *p = &in->plans[i];
		if (p->stopped == INS_NONE || !p->stopped_by_creator || p->stopped < from)
			continue;
		double len = (double)(p->ends - p->starts);
		if (p->stopped - p->starts >= len * T.plan_early_share || p->ends - p->stopped < T.plan_early_days)
			continue;
		struct ins_finding *f = add(out, "transparency_stopped_early", INS_ATTENTION,
					    "Transparency is meant to taper as trust returns, agreed together. Talk about a gentler taper instead.");
		if (!f)
			return;
		SETF(f, title, "A transparency plan was stopped early");
		SETF(f, detail, "The one who made the plan stopped it %ld days in, %ld days before its agreed end.",
		     p->stopped - p->starts, p->ends - p->stopped);
		because(f, "plan_days_kept", (double)(p->stopped - p->starts), "of %ld planned", p->ends - p->starts);
		said(f, "The plan was kept %ld of its %ld planned days.", p->stopped - p->starts, p->ends - p->starts);
		because(f, "plan_days_left", (double)(p->ends - p->stopped), "at stopping");
		said(f, "It had %ld days left when it was stopped.", p->ends - p->stopped);
		break;
	}
}

static void rule_course(const struct insight_input *in, struct insight_findings *out, long week)
{
	for (int who = INS_ME; who <= INS_PARTNER; who++) {
		if (!is_hurt(in, who))
			continue;
		long first = first_week(in, who);
		if (in->discovery_day != INS_NONE && first != INS_NONE && first < monday_of(in->discovery_day))
			first = INS_NONE;  /* check-ins before the discovery are no "start" */
		if (first == INS_NONE)
			continue;
		const char *who_words = whose(who, false);
		/* worse than at the start */
		if (months_between(first, in->today) >= T.worse_after_months) {
			int n0, n1;
			double c0 = insight_mean(in, who, INS_CONN, first + 21, 4, &n0);
			double t0 = insight_mean(in, who, INS_TRUST, first + 21, 4, NULL);
			double c1 = insight_mean(in, who, INS_CONN, week, T.mean_window_weeks, &n1);
			double t1 = insight_mean(in, who, INS_TRUST, week, T.mean_window_weeks, NULL);
			if (n0 && n1 && c1 <= c0 - T.worse_margin && t1 <= t0 - T.worse_margin) {
				struct ins_finding *f = add_counselling(out, "worse_than_start", INS_CONCERN,
							    "Feeling worse after six months than at the start is a sign to take seriously. Please talk to a counsellor, together or on your own.");
				if (!f)
					return;
				f->needs_days = 30L * T.worse_after_months;
				SETF(f, title, "Things feel harder now than in the first month");
				SETF(f, detail, "In the first month %s connection averaged %.1f and trust %.1f; over the last "
						"four weeks they averaged %.1f and %.1f.", who_words, c0, t0, c1, t1);
				because(f, "connection_mean_first_month", c0, "first 4 weeks");
				said_scores(f, in, who, INS_CONN, first + 21, 4, "In the first 4 weeks");
				because(f, "connection_mean_4w", c1, "last 4 weeks");
				said_scores(f, in, who, INS_CONN, week, T.mean_window_weeks, "In the last 4 weeks");
				because(f, "trust_mean_first_month", t0, "first 4 weeks");
				said(f, "In the first 4 weeks %s trust scores averaged %.1f out of 10.", who_words, t0);
				because(f, "trust_mean_4w", t1, "last 4 weeks");
				said(f, "In the last 4 weeks they averaged %.1f.", t1);
			}
		}
		/* a year of genuine work without improvement */
		if (in->today - first >= 7L * T.no_improve_weeks) {
			int both = 0;
			for (long w = week - 7L * (T.no_improve_weeks - 1); w <= week; w += 7)
				both += has_checkin(in, INS_ME, w) && has_checkin(in, INS_PARTNER, w);
			int n0, n1;
			double c0 = insight_mean(in, who, INS_CONN, first + 77, 12, &n0);
			double c1 = insight_mean(in, who, INS_CONN, week, 12, &n1);
			if (both >= T.no_improve_weeks * T.rituals_kept_share && n0 && n1 && c1 - c0 < T.improve_min) {
				struct ins_finding *f = add_counselling(out, "no_improvement", INS_CONCERN,
							    "After a year or more of real effort, it is fair to ask for help deciding what comes next. "
							    "Parting can be a healthy outcome too.");
				if (!f)
					return;
				f->needs_days = 7L * T.no_improve_weeks;
				SETF(f, title, "A year of steady work, and little has changed");
				SETF(f, detail, "You both checked in %d of the last %d weeks. %s connection averaged %.1f in the "
						"first twelve weeks and %.1f in the last twelve.", both, T.no_improve_weeks,
				     whose(who, true), c0, c1);
				because(f, "weeks_both_checked_in", both, "last %d weeks", T.no_improve_weeks);
				said(f, "You both checked in %d of the last %d weeks.", both, T.no_improve_weeks);
				because(f, "connection_mean_first_12w", c0, "first 12 weeks");
				said(f, "In the first 12 weeks %s connection averaged %.1f out of 10.", who_words, c0);
				because(f, "connection_mean_12w", c1, "last 12 weeks");
				said(f, "In the last 12 weeks it averaged %.1f.", c1);
			}
		}
		/* rug-sweeping: nothing about the betrayal while scores stay low */
		int n;
		double c = insight_mean(in, who, INS_CONN, week, T.mean_window_weeks, &n);
		long from = in->today - T.rug_days + 1;
		int about = count_triggers(in, from, in->today, 1, NULL) +
			    count_notes(in, INS_NOTE_SETBACK, from, in->today) +
			    count_notes(in, INS_NOTE_DISCLOSURE, from, in->today) +
			    count_notes(in, INS_NOTE_BREACH, from, in->today);
		if (n >= 2 && c <= T.rug_low && about == 0 && in->first_activity_day != INS_NONE &&
		    in->first_activity_day <= in->today - T.rug_days) {
			struct ins_finding *f = add(out, "rug_sweeping", INS_ATTENTION,
						    "Quiet is not always healing. Make a calm time to ask how the hurt is now, and listen.");
			if (!f)
				return;
			f->needs_days = T.rug_days;
			SETF(f, title, "Quiet on the surface, low underneath");
			SETF(f, detail, "Nothing about the betrayal has been recorded for %d weeks, while %s connection "
					"has stayed at %.1f. Healing usually means fewer talks about it, not none.",
			     T.rug_days / 7, who_words, c);
			because(f, "records_about_betrayal", 0, "last %d days", T.rug_days);
			said(f, "No trigger, setback, disclosure or contact was recorded in the last %d weeks.", T.rug_days / 7);
			because(f, "connection_mean_4w", c, "last 4 weeks");
			said_scores(f, in, who, INS_CONN, week, T.mean_window_weeks, "In the last 4 weeks");
		}
	}
}

static void rule_safety(const struct insight_input *in, struct insight_findings *out)
{
	if (!in->my_safety_concern)
		return;
	struct ins_finding *f = add(out, "safety", INS_SAFETY,
				    "Support for you on your own comes first. The people on the help page know what to do, and talking to them is confidential.");
	if (!f)
		return;
	f->audience = INS_ONLY_ME;
	f->link = "/safety";
	SETF(f, title, "Your safety comes first");
	SETF(f, detail, "Your private safety check points to a relationship where you may not be safe. Where there "
			"is abuse or fear, couples work is not the advice. Only you can see this.");
	because(f, "safety_check", 1, "your own answers");
	said(f, "Your own answers to the safety check, which only you can see.");
}

static void series_months(const struct insight_input *in, struct insight_findings *out)
{
	if (!in->n_triggers)
		return;
	struct civil a, b;
	civil_from_days(in->triggers[0].day < in->today ? in->triggers[0].day : in->today, &a);
	civil_from_days(in->today, &b);
	long first = a.y * 12L + a.m - 1, last = b.y * 12L + b.m - 1;
	if (last - first + 1 > INS_MAX_MONTHS)
		first = last - INS_MAX_MONTHS + 1;
	out->n_months = (int)(last - first + 1);
	double sums[INS_MAX_MONTHS] = { 0 };
	for (int i = 0; i < out->n_months; i++) {
		out->months[i].year = (int)((first + i) / 12);
		out->months[i].month = (int)((first + i) % 12) + 1;
		out->months[i].count = 0;
	}
	for (size_t i = 0; i < in->n_triggers; i++) {
		struct civil c;
		civil_from_days(in->triggers[i].day, &c);
		long k = c.y * 12L + c.m - 1 - first;
		if (k < 0 || k >= out->n_months)
			continue;
		out->months[k].count++;
		sums[k] += in->triggers[i].intensity;
	}
	for (int i = 0; i < out->n_months; i++)
		out->months[i].mean_intensity = out->months[i].count ? sums[i] / out->months[i].count : 0;
}

/* The rules that can give INS_CONCERN or more, in insight_compute's
 * order, so the findings they give (and the room left after them) are the
 * same whether the rest follow or not. */
static void rules_that_can_concern(const struct insight_input *in, struct insight_findings *out, long week)
{
	rule_safety(in, out);
	rule_red_flags(in, out);
	rule_course(in, out, week);
	rule_counselling(in, out, week);
	rule_promises(in, out);
}

/* What every rule may read of out before the first finding. */
static void findings_start(const struct insight_input *in, struct insight_findings *out)
{
	out->n = 0;
	out->n_months = 0;
	out->expected_low = out->expected_high = 0;
	out->history_days = history_days(in);
	out->months_since_discovery = in->discovery_day == INS_NONE || in->discovery_day > in->today
					      ? -1 : months_between(in->discovery_day, in->today);
}

bool insight_needs_help(const struct insight_input *in)
{
	struct insight_findings out;
	findings_start(in, &out);
	rules_that_can_concern(in, &out, monday_of(in->today));
	for (int i = 0; i < out.n; i++)
		if (out.f[i].severity >= INS_CONCERN)
			return true;
	return false;
}

int insight_compute(const struct insight_input *in, struct insight_findings *out)
{
	findings_start(in, out);
	long week = monday_of(in->today);
	/* safety first, then red flags and concerns, then the rest */
	rules_that_can_concern(in, out, week);
	rule_small_wins(in, out, week);
	rule_triggers(in, out);
	rule_trend(in, out, week);
	rule_timeline(in, out, week);
	series_months(in, out);
	/* most serious first; rules keep their order within a severity */
	for (int i = 1; i < out->n; i++) {
		struct ins_finding tmp = out->f[i];
		int j = i;
		for (; j > 0 && out->f[j - 1].severity < tmp.severity; j--)
			out->f[j] = out->f[j - 1];
		out->f[j] = tmp;
	}
	return out->n;
}

double insight_daily_mean(const struct insight_input *in, int who, int field, long day, int days, int *n)
{
	double sum = 0;
	int k = 0;
	for (size_t i = 0; i < in->n_daily; i++) {
		const struct ins_daily *x = &in->daily[i];
		if (x->who == who && x->day > day - days && x->day <= day) {
			sum += field == INS_DAILY_SAFE ? x->safe : x->close;
			k++;
		}
	}
	if (n)
		*n = k;
	return k ? sum / k : 0;
}
