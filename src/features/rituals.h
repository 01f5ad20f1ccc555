/* rituals.h: the couple's repeated rituals (SPEC §3): daily appreciation,
 * vulnerability sharing, connection time, the ritual schedule and its
 * calendar feed, the home page's "what is due", and the helpers the ritual
 * files share. The weekly check-in has its own header (checkin.h).
 *
 * Every free text is sealed under the couple key with the record's identity
 * as associated data ("appreciation:<id>:text", "vulnerability:<id>:text",
 * "connection:<id>:note"); scores, days, kinds and minutes are plain columns
 * so insights can compute on them. */
#ifndef TROTH_FEATURE_RITUALS_H
#define TROTH_FEATURE_RITUALS_H

#include <stdbool.h>
#include <time.h>

#include <sqlite3.h>

#include "../auth/vault.h"
#include "../base/caltime.h"
#include "../http/req.h"

/* The longest free text a ritual takes, in characters (400 too_long over). */
#define RITUAL_TEXT_MAX 4000

/* ---- shared helpers (rituals.c) ---- */

/* The couple's zone (UTC when the name is unknown). */
const struct tz *rituals_tz(const struct req *r);
/* Today, in the couple's zone, as days since 1970-01-01. */
long rituals_today(const struct req *r);
/* This ISO week in the couple's zone. */
void rituals_this_week(const struct req *r, struct isoweek *w);
/* The partner's user id and display name (arena), or 0 and NULL while the
 * partner has not joined. */
long long rituals_partner(struct req *r, const char **name);
/* The couple key, or NULL after answering 409 keys_locked (a JSON error
 * under /api/, a calm page elsewhere). */
const unsigned char *rituals_couple_key(struct req *r);
/* Seals text (NULL or "" seals nothing: *out stays empty and 0 is
 * returned) under key with ad. Returns 0 or -1. */
int rituals_seal(const unsigned char *key, const char *ad, const char *text, struct buf *out);
/* Opens a sealed column value into an arena string; NULL blob gives "".
 * Returns NULL when it does not open (a tampered or misplaced blob, or no
 * key). */
const char *rituals_open(struct req *r, const unsigned char *key, const char *ad,
			 const void *blob, size_t n);
/* Checks free text from a form: valid text, at most RITUAL_TEXT_MAX
 * characters. Returns NULL when fine, else a sentence for the person. */
const char *rituals_text_problem(const char *s);
/* For endpoints that take no body: none, or an empty JSON object. Returns
 * 0, or -1 after answering (400 unknown_field for any field). */
int rituals_no_body(struct req *r);
/* s when it is valid text to show back in a form, else NULL. */
const char *rituals_keepable(const char *s);
/* Reads ?name=YYYY-MM-DD (or def when absent). Returns 0, or -1 after
 * answering 400 invalid_field. */
int rituals_query_day(struct req *r, const char *name, long def, long *out);
/* "Monday 23 November" for a day (arena). */
const char *rituals_day_label(struct req *r, long day);
/* "23–29 November" for the days of an ISO week (arena). */
const char *rituals_week_label(struct req *r, const struct isoweek *w);
/* The menu between the ritual pages, for ui_menu (path, label pairs). */
extern const char *const rituals_menu[];
/* A labelled textarea with a hint (both may be NULL but the label). */
void rituals_textarea(struct req *r, const char *label, const char *name, const char *value,
		      const char *hint, bool required);
/* The page shown when a form's answer is an error: status, the notice. */
void rituals_page_error(struct req *r, int status, const char *text);

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
	time_t updated_at;          /* 0: never set (the defaults) */
};

/* Loads the couple's schedule into *s (the defaults when none is set).
 * Returns SQLITE_OK or an error. */
int ritual_schedule_load(sqlite3 *c, long long couple_id, struct ritual_schedule *s);
/* Writes the schedule (inside a write transaction). */
int ritual_schedule_store(sqlite3 *w, long long couple_id, long long user_id,
			  const struct ritual_schedule *s, time_t now);
/* "monday".."sunday" for 1..7. */
const char *rituals_weekday_name(int wd);

void api_rituals_get(struct req *r);
void api_rituals_put(struct req *r);
void page_rituals(struct req *r);
void page_rituals_post(struct req *r);
/* The schedule page showing a calendar link just made (shown only once). */
void rituals_page_with_feed(struct req *r, const char *url);

/* The home page's "Today" block, registered in home_sections[] around the
 * ritual cards (checkin_home_card, appreciation_home_card,
 * vulnerability_home_card): its heading and list, then its end and the menu. */
void rituals_due_begin(struct req *r);
void rituals_due_end(struct req *r);

/* ---- the calendar feed (calfeed.c) ---- */

/* Writes the iCalendar (RFC 5545) text of the couple's rituals for one
 * user into out: recurring events with alarms and neutral titles, times in
 * the zone's TZID (with a VTIMEZONE built from the zone's changes) or in
 * UTC when the zone cannot be read. now is DTSTAMP. */
/* hard_days: days of the couple's hard dates in the coming year, written as
 * all-day events titled "Reminder" (never their label), with an alarm the
 * day before. */
void calfeed_write(struct buf *out, const struct ritual_schedule *s, const char *zone_name,
		   long long couple_id, long long user_id, time_t created, time_t now,
		   const long *hard_days, size_t n_hard);
void api_calendar_feed_create(struct req *r);
void api_calendar_feed_delete(struct req *r);
/* GET /calendar/:token — the feed itself, without a login. */
void calendar_feed_serve(struct req *r);
void page_calendar_post(struct req *r);
void page_calendar_delete_post(struct req *r);
/* True when the user has a live feed. */
bool calfeed_active(struct req *r);

/* ---- the demo couple's rituals (rituals_demo.c) ---- */

struct demo_ctx;
/* A few months of rituals for the demo couple. Returns 0 or an SQLite
 * error. */
int rituals_demo(struct demo_ctx *ctx);

#endif
