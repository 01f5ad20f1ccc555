/* daily.h: the daily check-in (daily.c): once a day each partner says how
 * close and how safe the day felt, 0 to 10 each, with an optional word
 * sealed under the couple key; they can change it that day, not later. daily.c owns the daily_checkin table: every
 * reader and writer of it is there.
 *
 * The reveal rule is the weekly check-in's (CHECKIN_REVEAL_SQL, checkin.h),
 * a day at a time: my partner's check-in of a day stays hidden from me until
 * I have checked in for that day myself, or until the day after it ends
 * (00:00 two days later, in the couple's zone). */
#ifndef TROTH_FEATURE_DAILY_H
#define TROTH_FEATURE_DAILY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <sqlite3.h>

#include "../auth/auth.h"
#include "../base/caltime.h"
#include "../db/db.h"
#include "../http/req.h"

#define DAILY_MAX 10

/* One daily check-in as a viewer may see it. */
struct daily_row {
	long long id;
	long day;            /* days since 1970-01-01 */
	bool mine;
	bool revealed;       /* mine: my partner can see it; theirs: I can see it */
	bool visible;        /* mine, or revealed: close, safe and word are set */
	int close, safe;     /* 0..10; -1 when they could not be opened (no couple key) */
	const char *word;    /* NULL: no word, no key, or it did not open */
	time_t created_at, reveal_at;
};

/* The instant day's check-ins open to the other partner whatever
 * happens: 00:00 two days later, in zone z. */
time_t daily_reveal_at(const struct tz *z, long day);

/* Stores my check-in for day (inside a write transaction), the word (NULL
 * or "" for none) sealed under couple_key. Returns SQLITE_OK,
 * SQLITE_CONSTRAINT when the author has one for that day, or an error. */
int daily_insert(sqlite3 *w, const unsigned char *couple_key, long long couple_id,
		 long long author_id, long day, time_t reveal_at, int close, int safe,
		 const char *word, time_t now, long long *id);

/* Changes author_id's check-in of day (inside a write transaction): the two
 * numbers and the word (NULL or "": none), sealed under couple_key as
 * daily_insert seals them, its day and reveal left as they were. Returns SQLITE_OK, SQLITE_NOTFOUND when there is none, or an error.
 * The callers allow it only for today. */
int daily_update(sqlite3 *w, const unsigned char *couple_key, long long couple_id, long long author_id,
		 long day, int close, int safe, const char *word, time_t now);

/* The daily check-ins of days from..to (inclusive) that viewer v may know
 * of, oldest day first, mine before my partner's in a day; the answers of
 * a hidden one are not read at all. The numbers are opened with v's couple
 * key, the words with key (NULL: left NULL). *rows is arena memory. Returns SQLITE_OK or an error. */
int daily_list(struct req *r, const struct viewer *v, const unsigned char *key, long from, long to,
	       struct daily_row **rows, size_t *n);

/* API (docs/api.md, "Daily check-in") */
route_handler daily_api_create, daily_api_list;
/* PUT /api/v1/daily-checkins/:day: changes my check-in of that day, which
 * must be today. */
route_handler daily_api_change;
/* Pages: GET and POST /daily */
route_handler daily_page, daily_post;
/* The home page's card: today's check-in, one tap away (registered in
 * home_sections[]). */
route_handler daily_home_card;

/* Every daily check-in v may see (theirs, and the partner's once
 * revealed), oldest day first, as the list API gives them; for the
 * export. NULL after answering. */
json_t *daily_export(struct req *r, const struct viewer *v);

/* Hands w->fn (see keepsake.h) the word of each daily check-in of
 * w->couple_id that w->viewer may see at now, by the reveal rule: their
 * own, and the partner's once revealed. Returns SQLITE_OK or the first
 * error. */
int daily_each_seen(struct sealed_walk *w, long long now);

/* Seals the numbers of v's couple's daily check-ins from before they were
 * sealed under v's couple key and empties the plain columns; for the home
 * page, while the keys are open. Returns SQLITE_OK (also when there is no
 * key or nothing to seal) or an error. */
int daily_seal_plain(struct req *r, const struct viewer *v);

/* What parting and closing an account run on this room's tables. */
extern const struct room_sql daily_sql;

/* What a counsellor may see of v's daily check-ins (features/counsel.c):
 * v's own, revealed to the partner, as {id, day, close, safe, word}; NULL
 * on a storage error. */
json_t *daily_counsel(struct req *r, const struct viewer *v);

#endif
