/* recovery.h: what "recovered" means for us. The couple writes down the
 * criteria they will know recovery by: either measured from troth's
 * records (connection in the weekly check-ins, major triggers a month,
 * promises kept) or a statement in their own words that each of them ticks
 * when it is true for them. Each criterion shows its progress. */
#ifndef TROTH_RECOVERY_H
#define TROTH_RECOVERY_H

#include <sqlite3.h>

#include "../http/req.h"

route_handler recovery_api_list;   /* GET  /api/v1/recovery-criteria */
route_handler recovery_api_create; /* POST /api/v1/recovery-criteria */
route_handler recovery_api_tick;   /* PUT  /api/v1/recovery-criteria/:id/tick */

route_handler recovery_page;      /* GET  /recovery */
route_handler recovery_post;      /* POST /recovery */
route_handler recovery_tick_post; /* POST /recovery/:id/tick */

/* Home: how many of the couple's criteria are met, when there are any. */
route_handler recovery_home;

/* Stores a criterion of couple_id inside the write transaction of w: kind
 * "statement" (text, sealed under couple_key; target and weeks ignored) or
 * "connection", "triggers", "promises" (target and weeks, checked by the
 * caller; text may be NULL). Sets *id. Returns SQLITE_OK or an error. */
int recovery_criterion_insert(sqlite3 *w, const unsigned char *couple_key, long long couple_id,
			      long long author, const char *kind, const char *text, long long target,
			      long long weeks, long long at, long long *id);
/* Ticks a statement for user_id (once; a second tick changes nothing).
 * Returns SQLITE_OK or an error. */
int recovery_tick_insert(sqlite3 *w, long long couple_id, long long criterion_id, long long user_id,
			 long long at);

struct viewer;
/* The couple's criteria with their progress, as GET
 * /api/v1/recovery-criteria gives them, for the export; NULL after
 * answering. */
json_t *recovery_export(struct req *r, const struct viewer *v);

/* What parting and closing an account run on this room's tables. */
extern const struct room_sql recovery_sql;

#endif
