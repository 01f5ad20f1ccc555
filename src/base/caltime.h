/* caltime.h: calendar dates, ISO weeks and time zones, without touching the
 * process's TZ (which is not thread-safe to change). Calendar things (a
 * day's appreciation, a week's check-in, an anniversary) are dated in the
 * couple's own zone; instants are stored as UTC seconds, calendar days as
 * ISO dates ("2026-11-23") and weeks as ISO weeks ("2026-W48").
 *
 * Days are counted as `long` days since 1970-01-01 (negative before), in
 * the proleptic Gregorian calendar. Zones are read from the system's
 * zoneinfo (TZif files, including the POSIX rule for times after the last
 * listed transition) and cached for the life of the process. */
#ifndef TROTH_CALTIME_H
#define TROTH_CALTIME_H

#include <stdbool.h>
#include <time.h>

struct civil {
	int y, m, d;
};

struct isoweek {
	int year, week;
};

long days_from_civil(int y, int m, int d);
void civil_from_days(long days, struct civil *out);
/* ISO weekday of a day: 1 Monday .. 7 Sunday. */
int weekday_of(long days);
int days_in_month(int y, int m);

/* "YYYY-MM-DD", strictly (a real day, four-digit year 1900..2999).
 * Returns 0 and sets *days, or -1. */
int date_parse(const char *s, long *days);
/* Writes "YYYY-MM-DD" (11 bytes with the NUL). */
void date_format(long days, char out[11]);

void isoweek_of(long days, struct isoweek *out);
/* The Monday of an ISO week, as days. */
long isoweek_monday(const struct isoweek *w);
/* 52 or 53. */
int isoweeks_in_year(int y);
/* "YYYY-Www" (week 01..52 or 53 where the year has it). 0 or -1. */
int isoweek_parse(const char *s, struct isoweek *out);
/* Writes "YYYY-Www" (9 bytes with the NUL). */
void isoweek_format(const struct isoweek *w, char out[9]);
/* Orders two weeks: <0, 0, >0. */
int isoweek_cmp(const struct isoweek *a, const struct isoweek *b);

/* A time of day "HH:MM" (00:00..23:59, what a time input sends), strictly,
 * to minutes after midnight, or -1. */
int hm_parse(const char *s);
/* Writes minutes after midnight (taken modulo a day) as "HH:MM" (6 bytes
 * with the NUL). */
void hm_format(int minutes, char out[6]);

/* "YYYY-MM-DDTHH:MM[:SS](Z|±HH:MM)" to UTC seconds. 0 or -1. */
int instant_parse(const char *s, time_t *out);
/* Writes "YYYY-MM-DDTHH:MM:SSZ" (21 bytes with the NUL). */
void instant_format(time_t t, char out[21]);

struct tz;
/* The zone by IANA name ("Europe/London"), loaded once and cached; NULL when
 * unknown or unreadable. Thread-safe. */
const struct tz *tz_get(const char *name);
/* Seconds east of UTC in zone z at instant t. */
long tz_offset(const struct tz *z, time_t t);
/* The local calendar day (days since 1970-01-01) of instant t in zone z. */
long tz_day(const struct tz *z, time_t t);
/* The instant of local wall-clock time (day, seconds since local midnight)
 * in zone z. In a spring-forward gap the time is read with the offset before
 * the gap (so 02:30 becomes 03:30); in a fall-back overlap the earlier
 * instant is chosen. */
time_t tz_instant(const struct tz *z, long day, int seconds_of_day);
/* A day of the POSIX TZ rule: 'M' the w-th (5: last) weekday d (0 Sunday)
 * of month m, 'J' day n of 1..365 never counting 29 February, 'N' day n of
 * 0..365; time is seconds after that day's local midnight (may be negative
 * or past 24 hours). */
struct tz_rule_date {
	char kind;
	int m, w, d, n;
	long time;
};

/* The rule a zone follows after its listed changes (the TZif footer). */
struct tz_rule {
	long std_off, dst_off;  /* seconds east of UTC */
	bool dst;               /* false: std_off all year, start and end unused */
	struct tz_rule_date start, end; /* DST starts at start (local standard
					 * time), ends at end (local DST) */
};

/* Fills *out with zone z's rule and returns true, or false when the zone
 * has none (its last listed offset then holds for ever). */
bool tz_rule(const struct tz *z, struct tz_rule *out);
/* The offset the rule alone gives at instant t, ignoring the listed
 * changes; tz_offset(z, t) when the zone has no rule. */
long tz_rule_offset(const struct tz *z, time_t t);
/* Frees the cache (clean exit for LeakSanitizer). */
void tz_free_all(void);

/* The last day date_format writes (9999-12-31): "every day" ends here. */
#define DAYS_LAST 2932896L

#endif
