/* readiness.h: "can this survive?" and the prerequisites for one's role,
 * private to each partner unless they choose to share their answers. */
#ifndef TROTH_READINESS_H
#define TROTH_READINESS_H

#include <stdbool.h>

#include <sqlite3.h>

#include "../http/req.h"

/* GET /api/v1/readiness → {"mine": {...}|null, "partner": {...}|null};
 * PUT /api/v1/readiness {"survive"?, "prerequisites"?, "shared"?} → 200. */
route_handler readiness_api_get, readiness_api_put;
/* GET /readiness, POST /readiness */
route_handler readiness_page, readiness_post;

/* Stores user_id's answers (a JSON text) inside the write transaction of w:
 * sealed under their data_key, and when shared a copy under couple_key
 * (not shared: the copy is removed). Returns SQLITE_OK or an error. */
int readiness_store(sqlite3 *w, const unsigned char *data_key, const unsigned char *couple_key,
		    long long couple_id, long long user_id, const char *answers, bool shared,
		    long long at);

struct viewer;
/* The viewer's own answers as GET /api/v1/readiness gives "mine", as a
 * list of one (none yet: empty), for the export; NULL after answering. */
json_t *readiness_export(struct req *r, const struct viewer *v);

/* A stored answers text (the JSON the room seals) in words, one question
 * and its answer a line, in arena memory; a text that is not answers
 * comes back as it is. */
const char *readiness_words(struct arena *a, const char *answers);

/* What parting and closing an account run on this room's tables. */
extern const struct room_sql readiness_sql;

#endif
