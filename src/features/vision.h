/* vision.h: future visioning. Each partner writes, on their own, what the
 * relationship looks like five years from now; neither sees the other's
 * until both have written, then both are revealed together. After that the
 * couple notes where they align and where they differ, and turns aligned
 * items into shared goals. */
#ifndef TROTH_VISION_H
#define TROTH_VISION_H

#include <jansson.h>

#include <stdbool.h>

#include <sqlite3.h>

#include "../http/req.h"
#include "../db/db.h"

route_handler vision_api_get;          /* GET  /api/v1/vision */
route_handler vision_api_put;          /* PUT  /api/v1/vision */
route_handler vision_api_item_create;  /* POST /api/v1/vision/items */
route_handler vision_api_item_update;  /* PUT  /api/v1/vision/items/:id */

route_handler vision_page;                  /* GET  /vision */
route_handler vision_post;             /* POST /vision */
route_handler vision_item_post;        /* POST /vision/items */
route_handler vision_item_update_post; /* POST /vision/items/:id */

/* Home: the partner's vision waits for the viewer's; or both are revealed
 * and not yet compared. */
route_handler vision_home;

/* Stores user_id's vision (text, sealed under couple_key) inside the write
 * transaction of w, written at `at`. Returns SQLITE_OK or an error. */
int vision_store_text(sqlite3 *w, const unsigned char *couple_key, long long couple_id,
		      long long user_id, const char *text, long long at);
/* Stores a new item (text sealed under couple_key; mark "aligned" or
 * "different"; goal only for an aligned one) inside the write transaction
 * of w. Sets *id. Returns SQLITE_OK or an error. */
int vision_item_insert(sqlite3 *w, const unsigned char *couple_key, long long couple_id,
		       long long author, const char *text, const char *mark, bool goal, long long at,
		       long long *id);

/* Hands w->fn (see keepsake.h) each vision of w->couple_id that w->viewer may see:
 * their own, and their partner's once both have written. Returns SQLITE_OK
 * or the first error. */
int vision_each_seen(struct sealed_walk *w);
/* The export: v's own vision, the partner's once both have written, and
 * the shared items, as one JSON object (as GET /api/v1/vision), or NULL
 * after answering a storage error. */
json_t *vision_export(struct req *r, const struct viewer *v);

/* What parting and closing an account run on this room's tables. */
extern const struct room_sql vision_sql;

#endif
