/* rituals.h: the ritual schedule (rituals.c): when the couple's
 * rituals happen and the reminders before them, the menu between the ritual
 * pages and the frame of the home page's "Today". rituals.c owns the
 * ritual_schedule table. Each ritual has its own file and header:
 * checkin.h (the weekly check-in), appreciation.h, vulnerability.h
 * (sharing, at /sharing), connection.h (time together, at /together),
 * calfeed.h (the calendar feed). */
#ifndef TROTH_FEATURE_RITUALS_H
#define TROTH_FEATURE_RITUALS_H

#include <stdbool.h>
#include <time.h>

#include <sqlite3.h>

#include "../base/caltime.h"
#include "../auth/auth.h"
#include "../http/req.h"

/* The menu between the ritual pages, for ui_menu (path, label pairs). */
extern const char *const rituals_menu[];

/* ---- the schedule (rituals.c) ---- */

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
/* "monday".."sunday" for 1..7. */
const char *rituals_weekday_name(int wd);

/* API (docs/api.md, "The schedule") */
void rituals_api_get(struct req *r);
void rituals_api_put(struct req *r);
/* Pages: GET and POST /rituals */
void rituals_page(struct req *r);
void rituals_post(struct req *r);
/* The schedule page showing a calendar link just made (shown only once). */
void rituals_page_with_feed(struct req *r, const char *url);

/* The home page's "Today" block, registered in home_sections[] around the
 * ritual cards (checkin_home_card, appreciation_home_card,
 * vulnerability_home_card): its heading and list, then its end and the menu. */
void rituals_due_begin(struct req *r);
void rituals_due_end(struct req *r);

#endif
