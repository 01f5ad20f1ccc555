/* connection.h: time together, at /together (connection.c): a talk, a
 * date, a walk or something else, with the minutes and an optional note.
 * connection.c owns the connection_time table: every reader and writer of
 * it is there. */
#ifndef TROTH_FEATURE_CONNECTION_H
#define TROTH_FEATURE_CONNECTION_H

#include <jansson.h>

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <sqlite3.h>

#include "../auth/auth.h"
#include "../http/req.h"

/* One moment together as a viewer sees it. */
struct connection_time {
	long long id;
	char day[11];
	int minutes;
	const char *kind;   /* "talk", "date", "walk" or "other"; NULL (and minutes 0) without the couple key */
	const char *note;   /* NULL when there is none or it does not open */
	bool mine;
	time_t created_at;
};

/* Stores one moment (inside a write transaction), the note sealed under
 * couple_key. kind: "talk", "date", "walk" or "other"; note may be NULL.
 * Returns SQLITE_OK or an error. */
int connection_insert(sqlite3 *w, const unsigned char *couple_key, long long couple_id,
		      long long author_id, long day, int minutes, const char *kind,
		      const char *note, time_t now, long long *id);

/* The moments viewer v may see (both partners' of v's couple) of days
 * from..to, newest first; notes opened with v->couple_key. *out is arena
 * memory. Returns SQLITE_OK or an error. */
int connection_list(struct req *r, const struct viewer *v, long from, long to,
		    struct connection_time **out, size_t *n);

/* API (docs/api.md, "Connection time") */
route_handler connection_api_create, connection_api_list;
/* Pages: GET and POST /together */
route_handler connection_page, connection_post;

/* The export: every moment of time together v may see, as a JSON array (texts opened),
 * or NULL after answering a storage error. */
json_t *connection_export(struct req *r, const struct viewer *v);

/* Seals the minutes and kinds of v's couple's moments from before they
 * were sealed under v's couple key and empties the plain columns; for the
 * home page, while the keys are open. Returns SQLITE_OK (also when there
 * is no key or nothing to seal) or an error. */
int connection_seal_plain(struct req *r, const struct viewer *v);

/* What parting and closing an account run on this room's tables. */
extern const struct room_sql connection_sql;

#endif
