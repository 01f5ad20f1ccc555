/* schedule.h: the couple's ritual schedule, the store of the table
 * ritual_schedule: when the weekly check-in, the daily appreciation, the
 * sharing and the time together happen, how long before each a reminder
 * rings, and when a hard date's reminder rings the day before. Both
 * partners share it and either may change it. The schedule page and its API
 * are in rituals.c; the calendar feed (calfeed.c) reads it. */
#ifndef TROTH_FEATURE_SCHEDULE_H
#define TROTH_FEATURE_SCHEDULE_H

#include <time.h>

#include <sqlite3.h>

#include "../auth/auth.h"
#include "../base/caltime.h"
#include "../http/req.h"

struct ritual_schedule {
	int checkin_weekday;        /* 1 Monday .. 7 Sunday */
	int checkin_minute;         /* minutes after local midnight */
	int appreciation_minute;
	int vulnerability_weekday;
	int vulnerability_minute;
	int connection_weekday;     /* 0: no fixed time together */
	int connection_minute;
	int reminder_minutes;       /* alarm this long before each event */
	int hard_date_reminder_minute; /* a hard date's alarm: this local time
					* (minutes after midnight) the day before */
	time_t updated_at;          /* 0: never set (the defaults) */
};

/* Loads the couple's schedule into *s (the defaults when none is set).
 * Returns SQLITE_OK or an error. */
int ritual_schedule_load(sqlite3 *c, long long couple_id, struct ritual_schedule *s);
/* The schedule of viewer v's couple (both partners share it; the defaults
 * when none is set). Returns SQLITE_OK or an error. */
int ritual_schedule_read(struct req *r, const struct viewer *v, struct ritual_schedule *s);
/* Writes the schedule (inside a write transaction). */
int ritual_schedule_store(sqlite3 *w, long long couple_id, long long user_id,
			  const struct ritual_schedule *s, time_t now);
/* "monday".."sunday" for 1..7, NULL otherwise. */
const char *rituals_weekday_name(int wd);

/* What parting and closing an account run on this room's tables. */
extern const struct room_sql schedule_sql;

#endif
