/* appreciation.h: the daily appreciation (appreciation.c): each day, each
 * partner writes one specific thing they appreciate about the other,
 * visible to the partner at once. appreciation.c owns the appreciation
 * table: every reader and writer of it is there. */
#ifndef TROTH_FEATURE_APPRECIATION_H
#define TROTH_FEATURE_APPRECIATION_H

#include <jansson.h>

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <sqlite3.h>

#include "../auth/auth.h"
#include "../http/req.h"

/* One appreciation as a viewer sees it. */
struct appreciation {
	long long id;
	char day[11];
	bool mine;
	const char *text;   /* NULL when there is no text or it does not open */
	time_t created_at;
};

/* Stores one appreciation (inside a write transaction), its text sealed
 * under couple_key. Returns SQLITE_OK, SQLITE_CONSTRAINT when the author
 * has one for that day already, or an error. */
int appreciation_insert(sqlite3 *w, const unsigned char *couple_key, long long couple_id,
			long long author_id, long day, const char *text, time_t now, long long *id);

/* The appreciations viewer v may see (both partners' of v's couple) of
 * days from..to, newest day first, mine first within a day; texts opened
 * with v->couple_key. *out is arena memory. Returns SQLITE_OK or an
 * error. */
int appreciation_list(struct req *r, const struct viewer *v, long from, long to,
		      struct appreciation **out, size_t *n);

/* API (docs/api.md, "Daily appreciation") */
route_handler appreciation_api_create, appreciation_api_list;
/* Pages: GET and POST /appreciations */
route_handler appreciation_page, appreciation_post;
/* The home page's card: today's appreciation, mine and my partner's
 * (registered in home_sections[]). */
route_handler appreciation_home_card;

/* The export: every appreciation v may see, as a JSON array (texts opened),
 * or NULL after answering a storage error. */
json_t *appreciation_export(struct req *r, const struct viewer *v);

/* What parting and closing an account run on this room's tables. */
/* For reminders, without a person's keys: *n is 1 when user_id has written
 * the appreciation of day in couple_id, else 0. Returns SQLITE_ROW or an
 * error. */
int appreciation_written_on(sqlite3 *c, long long couple_id, long long user_id, long day, long long *n);

extern const struct room_sql appreciation_sql;

#endif
