/* agreement.h: the couple's written agreements, versioned. A partner
 * proposes a text; only the other partner can accept it; a version is in
 * force from its acceptance until a newer version is accepted. Every
 * version is kept with who proposed and accepted it, and when. */
#ifndef TROTH_AGREEMENT_H
#define TROTH_AGREEMENT_H

#include <jansson.h>

#include <sqlite3.h>

#include "../http/req.h"

/* GET /api/v1/agreements, POST /api/v1/agreements,
 * POST /api/v1/agreements/:id/versions, POST .../versions/:v/accept */
route_handler agreement_api_list, agreement_api_create, agreement_api_version_create,
	agreement_api_version_accept;
/* GET /agreements, POST /agreements, POST /agreements/:id/versions,
 * POST /agreements/:id/versions/:v/accept */
route_handler agreement_page, agreement_post, agreement_version_post, agreement_accept_post;

/* Stores a new agreement of couple_id inside the write transaction of w,
 * with version 1 (text) proposed by author at `at`: topic is one of the
 * topics, or any other words as a custom title (sealed). Texts are sealed
 * under couple_key. Sets *id. Returns SQLITE_OK or an error. */
int agreement_insert(sqlite3 *w, const unsigned char *couple_key, long long couple_id,
		     long long author, const char *topic, const char *text, const char *review_on,
		     long long at, long long *id);
/* Adds version v (the next one) of agreement id, its text sealed under
 * couple_key, proposed by author at `at`. Returns SQLITE_OK or an error. */
int agreement_propose_version(sqlite3 *w, const unsigned char *couple_key, long long couple_id,
			      long long id, long long v, const char *text, long long author, long long at);
/* Marks version of agreement id accepted by `by` at `at` (no checks: the
 * pages and the API check who may accept first). Returns SQLITE_OK or an
 * error. */
int agreement_accept_version(sqlite3 *w, long long couple_id, long long id, long long version,
			     long long by, long long at);
/* Marks version of agreement id declined by `by` at `at`, with an
 * optional word (NULL: none; sealed under couple_key). No checks, like
 * agreement_accept_version. Returns SQLITE_OK or an error. */
int agreement_decline_version(sqlite3 *w, const unsigned char *couple_key, long long couple_id, long long id,
			      long long version, long long by, const char *word, long long at);
/* POST /api/v1/agreements/:id/versions/:v/decline (optional {"word"}),
 * POST /agreements/:id/versions/:v/decline (optional field word): the
 * partner who did not propose the newest version says not yet. */
route_handler agreement_api_version_decline, agreement_decline_post;
/* Home: the agreements due for a review together. */
route_handler agreement_home;
/* The home page's "For you now" item: each agreement whose newest text my
 * partner proposed and I have not answered, with a link to answer it
 * (read through this room's reader; registered in home.c's for_you[]). */
route_handler agreement_for_you;

/* The export: every agreement, with every version v may see, as a JSON array (texts opened),
 * or NULL after answering a storage error. */
json_t *agreement_export(struct req *r, const struct viewer *v);

/* What parting and closing an account run on this room's tables. */
/* For reminders, without a person's keys: *n is how many agreements'
 * latest versions wait for user_id's answer in couple_id (proposed by the
 * partner, neither accepted nor declined). Returns SQLITE_ROW or an
 * error. */
int agreement_waiting(sqlite3 *c, long long couple_id, long long user_id, long long *n);

extern const struct room_sql agreement_sql;

/* What a counsellor may see of agreements (features/counsel.c): the
 * couple's, as {id, day (last change), title, in_force, proposed (a text
 * waiting for a yes, or null), status, versions}; NULL on a storage error. */
json_t *agreement_counsel(struct req *r, const struct viewer *v);

#endif
