/* harddate.h: hard dates (harddate.c owns the hard_date table): days that
 * may hurt, one-off or yearly, announced ahead on the home page and in the
 * calendar feed. Labels are shared, sealed under the couple key. How many
 * days ahead they show is a couple setting kept by truth.c. */
#ifndef TROTH_FEATURE_HARDDATE_H
#define TROTH_FEATURE_HARDDATE_H

#include <jansson.h>

#include <sqlite3.h>
#include <stdbool.h>

#include "../http/req.h"

/* A hard date to store with hard_date_store. */
struct hard_date_new {
	long long couple_id, author_id;
	long day;                  /* days since 1970-01-01 */
	bool yearly;
	const char *label;         /* sealed under couple_key */
	const unsigned char *couple_key;
	long long created_at;
	long long id;              /* out: the new row */
};
/* Stores h (a struct hard_date_new *) with the writer w: for db_write, or
 * inside another write. Returns SQLITE_OK or an error. */
int hard_date_store(sqlite3 *w, void *h);

/* Called once per hard-date occurrence: the record id, the calendar day it
 * falls on (days since 1970-01-01) and whether it repeats yearly. Return 0
 * to go on, anything else to stop early. */
typedef int (*hard_date_fn)(void *arg, long long id, long day, bool yearly);

/* Lists the couple's hard dates that fall on a day in [from_day, to_day]
 * (inclusive), in day order: one-off dates on their day, yearly ones on
 * every anniversary from the first date on (29 February falls on 28
 * February in other years), across year ends. Reads only plain columns, so
 * it needs no key (the calendar feed shows neutral titles). Returns
 * SQLITE_OK, or the SQLite error; a non-zero return of fn stops early with
 * SQLITE_OK. */
int hard_dates_upcoming(sqlite3 *c, long long couple_id, long from_day, long to_day,
			hard_date_fn fn, void *arg);

/* The home-page card: hard dates within the notice days, with the plan for
 * date triggers; nothing when none is near or the notes are locked. */
route_handler harddate_home;

route_handler harddate_page;           /* GET /hard-dates */
route_handler harddate_post;           /* POST /hard-dates */
route_handler harddate_notice_post;    /* POST /hard-dates/notice */
route_handler harddate_api_create;     /* POST /api/v1/hard-dates */
route_handler harddate_api_list;       /* GET /api/v1/hard-dates */
route_handler harddate_api_notice;     /* PUT /api/v1/hard-dates/notice */

/* The export: every hard date v may see, as a JSON array (texts opened),
 * or NULL after answering a storage error. */
json_t *harddate_export(struct req *r, const struct viewer *v);

/* What parting and closing an account run on this room's tables. */
extern const struct room_sql harddate_sql;

#endif
