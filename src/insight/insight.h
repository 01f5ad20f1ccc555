/* insight.h: "is it working?" — pure analysis of one couple's records, seen
 * from one viewer. No I/O, no SQL, no allocation: the caller fills arrays of
 * plain records (scores, days, kinds; never free text) and gets findings,
 * each with the data that produced it. Every finding is about the records,
 * never a verdict about a person.
 *
 * Days are days since 1970-01-01 in the couple's zone (caltime.h); a week
 * is the day of its Monday. "me" is the viewer, "partner" the other one.
 * The thresholds the findings use are one named table (insight_thresholds). */
#ifndef TROTH_INSIGHT_H
#define TROTH_INSIGHT_H

#include <stdbool.h>
#include <stddef.h>

#define INS_NDIM 6            /* reliability, emotional safety, honesty, consistency, respect, transparency */
#define INS_MAX_FINDINGS 48
#define INS_MAX_BECAUSE 10
#define INS_MAX_MONTHS 240    /* trigger months kept for the series (20 years) */
#define INS_NONE (-1L)        /* a day that is not known */
#define INS_CONN (-1)         /* "dim" meaning the connection score */
#define INS_TRUST INS_NDIM    /* "dim" meaning the mean of the six dimensions */

enum ins_who { INS_ME = 0, INS_PARTNER = 1 };

/* Which of the two the betrayal hurt (the role "hurt"); "both" counts each. */
enum ins_hurt { INS_HURT_UNKNOWN = 0, INS_HURT_ME, INS_HURT_PARTNER, INS_HURT_BOTH };

enum ins_severity { INS_INFO = 0, INS_CELEBRATE, INS_ATTENTION, INS_CONCERN, INS_SAFETY };
enum ins_audience { INS_BOTH = 0, INS_ONLY_ME };

enum ins_note_kind { INS_NOTE_WIN = 0, INS_NOTE_SETBACK, INS_NOTE_DISCLOSURE, INS_NOTE_BREACH, INS_NOTE_TIMELINE };

/* One weekly check-in. listened_to is 1..5 or 0 when not answered. */
struct ins_checkin {
	long week;                 /* the Monday */
	int who;                   /* enum ins_who */
	int connection;            /* 1..10 */
	int dim[INS_NDIM];         /* 1..10 each */
	int listened_to;
};

struct ins_trigger {
	long day;
	int intensity;             /* 1..10 */
	bool private_mine;         /* the viewer's own private trigger */
};

struct ins_promise {
	long due;
	int kept;                  /* 1 kept, 0 broken, -1 no outcome yet */
};

struct ins_note {
	long day;
	int kind;                  /* enum ins_note_kind */
	int trust;                 /* timeline: +1 high, -1 low, 0 none */
};

struct ins_vulnerability {
	long day;                  /* shared on */
	bool heard;
};

struct ins_plan {
	long starts, ends;         /* days */
	long stopped;              /* day it was stopped, or INS_NONE */
	bool stopped_by_creator;
};

/* One daily check-in: how close and how safe the day felt. */
struct ins_daily {
	long day;
	int who;                   /* enum ins_who */
	int close, safe;           /* 0..10 each */
};

/* What moves the typical timeline. The answers come from the couple (the
 * betrayal's weight and whether it was the first are the couple's, shared;
 * the relationship before and commitment are the viewer's own answers,
 * never the partner's); help is read from the records. */
enum ins_weight { INS_W_UNSAID = 0, INS_W_LIGHTER, INS_W_HEAVIER };
struct ins_factors {
	int severity;              /* enum ins_weight: a short or one-off betrayal (lighter), long or deep (heavier) */
	int repeated;              /* lighter: the first time; heavier: it had happened before */
	int before;                /* the viewer's view: lighter, mostly good before; heavier, already strained */
	int commitment;            /* the viewer's own: lighter, fully in; heavier, not sure yet */
	int help_step;             /* a roadmap step about counselling: 0 none, 1 under way, 2 done (either partner) */
	bool counsellor;           /* a counsellor the couple invited has access now */
};

struct insight_input {
	long today;
	long discovery_day;        /* the hard date marking discovery, or INS_NONE */
	long full_disclosure_day;  /* or INS_NONE */
	long first_activity_day;   /* earliest record of the couple, or INS_NONE */
	long roadmap_last_day;     /* last roadmap progress by either, or INS_NONE */
	int hurt;                  /* enum ins_hurt */
	bool my_safety_concern;    /* the viewer's OWN safety check points to danger;
				      never the partner's answers */
	const struct ins_checkin *checkins; size_t n_checkins;   /* by week, ascending */
	const struct ins_trigger *triggers; size_t n_triggers;   /* by day, ascending */
	const struct ins_promise *promises; size_t n_promises;
	const struct ins_note *notes; size_t n_notes;
	const struct ins_vulnerability *vulns; size_t n_vulns;
	const struct ins_plan *plans; size_t n_plans;
	const struct ins_daily *daily; size_t n_daily;           /* by day, ascending */
	struct ins_factors factors;
};

struct ins_because {
	const char *metric;        /* a stable name, e.g. "connection_mean_4w" */
	double value;
	char window[32];           /* e.g. "last 4 weeks", "2026-05..2026-10" */
	char says[200];            /* the same in a person's words: the records and the window */
};

struct ins_finding {
	const char *kind;          /* trend, triggers, follow_through, small_win, ... */
	int severity;              /* enum ins_severity */
	int audience;              /* enum ins_audience */
	char title[128];
	char detail[640];
	const char *suggestion;
	const char *link;          /* a page with help ("/guidance/counselling", "/safety"), or NULL */
	int needs_days;            /* the history (days of records) this finding needs before it speaks */
	struct ins_because because[INS_MAX_BECAUSE];
	int n_because;
};

struct ins_month {
	int year, month;
	int count;
	double mean_intensity;
};

struct insight_findings {
	int months_since_discovery;          /* -1 when the discovery day is unknown */
	int expected_low, expected_high;     /* months to trust restored, weighed by the factors; 0 when unknown */
	long history_days;                   /* days since the couple's first record: what the findings wait for */
	struct ins_finding f[INS_MAX_FINDINGS];
	int n;
	struct ins_month months[INS_MAX_MONTHS]; /* triggers per month, oldest first, gaps as 0 */
	int n_months;
};

/* The thresholds, in one place. Each is commented where it is defined. */
struct insight_thresholds {
	int trend_min_points;          /* check-ins needed for a trend */
	double trend_slope_notable;    /* points per week that count as rising/falling */
	int trend_window_weeks;        /* slope window */
	int mean_window_weeks;         /* rolling mean window */
	int major_trigger;             /* intensity counted as a major trigger */
	double triggers_lessening;     /* last 3 months / previous 3 months at or below this */
	int follow_window_days;        /* promise window */
	int follow_min_promises;       /* promises needed to speak of a rate */
	double follow_celebrate;       /* kept share worth celebrating */
	int broken_pattern_count;      /* broken promises that make a pattern ... */
	double broken_pattern_share;   /* ... when at least this share of outcomes */
	int win_checkin_streak;        /* weeks both partners checked in */
	double win_connection_rise;    /* points of connection up ... */
	int win_connection_weeks;      /* ... over this many weeks */
	int setback_repeat_count;      /* setbacks ... */
	int setback_repeat_days;       /* ... within this many days: the same fight again */
	int unheard_score;             /* "listened to" at or below this ... */
	int unheard_weeks;             /* ... this many weeks running */
	int unheard_vulns;             /* vulnerabilities left unheard ... */
	int unheard_vuln_days;         /* ... for longer than this */
	int trust_stall_weeks;         /* trust not rebuilding over this window */
	double trust_stall_low;        /* ... while the mean is at or below this */
	int triggers_persist_months;   /* after this many months, triggers should lessen */
	int roadmap_stall_days;        /* no roadmap progress for this long */
	int worse_after_months;        /* compare with the start after this long */
	double worse_margin;           /* lower by at least this many points */
	int no_improve_weeks;          /* genuine work this long ... */
	double rituals_kept_share;     /* ... with check-ins this share of weeks ... */
	double improve_min;            /* ... and a rise below this is no improvement */
	int rug_days;                  /* nothing about the betrayal for this long ... */
	double rug_low;                /* ... while the hurt partner's connection is at or below this */
	double plan_early_share;       /* stopped before this share of the plan's length */
	int plan_early_days;           /* ... and at least this many days before its end */
	int red_flag_days;             /* disclosures, breaches, stopped plans this recent */
	/* the history each kind of finding needs before it speaks (days since the first record) */
	int need_trend_days;           /* a direction in the check-ins */
	int need_counselling_days;     /* signs that outside help would be good */
	int need_persist_days;         /* triggers that keep coming: months of records to compare */
	int need_alarm_days;           /* a falling score is told as a concern only after this */
	int persist_min_triggers;      /* triggers in three months that count as "still coming" */
	double steady_ok;              /* a steady connection at or above this is good news; below, it is low */
	double low_score;              /* a mean at or below this is low: no comfort in the words */
	int timeline_low, timeline_high; /* months to trust feeling restored, before the factors */
	int shift_low[6], shift_high[6]; /* months each heavier factor adds (lighter takes half of it off);
					    order: severity, repeated, before, commitment, help, consistency */
	int timeline_min, timeline_max;  /* the weighed range stays within these */
	double steady_share;           /* consistency: both checked in this share of weeks and kept this share */
	double unsteady_share;         /* ... below this share, consistency is heavier */
};
extern const struct insight_thresholds insight_thresholds;

/* The names of the six dimensions, in ins_checkin.dim order ("reliability", ...). */
extern const char *const insight_dim_names[INS_NDIM];

/* Computes every finding for the viewer. `in` must be filled as described
 * above; out is overwritten. Returns the number of findings. Allocates
 * nothing and never fails. */
int insight_compute(const struct insight_input *in, struct insight_findings *out);

/* Whether insight_compute would give a finding of INS_CONCERN or more,
 * found with only the rules that can give one (safety, red flags, the
 * course, counselling and promises, which insight_compute runs first). */
bool insight_needs_help(const struct insight_input *in);

/* "info", "celebrate", "attention", "concern", "safety". */
const char *insight_severity_name(int severity);

/* The mean of one partner's connection (dim INS_CONN), dimension dim
 * (0..5) or trust (INS_TRUST) over the `weeks` weeks up to and including
 * `week`; 0 when there are no check-ins. *n gets the number used. */
double insight_mean(const struct insight_input *in, int who, int dim, long week, int weeks, int *n);

/* The least-squares slope in points per week over the `weeks` weeks ending
 * at `week`; 0 with fewer than two points. */
double insight_slope(const struct insight_input *in, int who, int dim, long week, int weeks, int *n);

enum ins_daily_field { INS_DAILY_CLOSE = 0, INS_DAILY_SAFE };

/* The mean of one partner's daily closeness or safety (enum
 * ins_daily_field) over the `days` days up to and including `day`; 0 when
 * there are none. *n gets the number of days used. */
double insight_daily_mean(const struct insight_input *in, int who, int field, long day, int days, int *n);

#endif
