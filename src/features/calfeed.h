/* calfeed.h: the calendar feed (calfeed.c), a secret iCalendar URL per
 * user showing the couple's ritual schedule with neutral titles. calfeed.c
 * owns the calendar_feed table: every reader and writer of it is there.
 * Its pages are under /rituals/calendar; the feed itself is at
 * /calendar/:token. */
#ifndef TROTH_FEATURE_CALFEED_H
#define TROTH_FEATURE_CALFEED_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "../base/buf.h"
#include "../http/req.h"
#include "schedule.h"

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
/* API (docs/api.md, "The calendar feed") */
route_handler calfeed_api_create, calfeed_api_delete;
/* GET /calendar/:token — the feed itself, without a login. */
route_handler calfeed_page;
/* The size of a feed's secret token, with its NUL. */
#define CALFEED_TOKEN_SIZE 44
/* Makes (or replaces) the viewer's feed and writes its secret token (shown
 * once; only its hash is kept). Returns SQLITE_OK or an error. */
int calfeed_make(struct req *r, char token[CALFEED_TOKEN_SIZE]);
/* Turns the viewer's feed off. Returns SQLITE_OK or an error. */
int calfeed_stop(struct req *r);
/* The feed's absolute URL for token, on the configured public URL (arena). */
const char *calfeed_url(struct req *r, const char *token);
/* True when the user has a live feed. */
bool calfeed_active(struct req *r);

/* What parting and closing an account run on this room's tables. */
extern const struct room_sql calfeed_sql;

#endif
