/* promise.h: promises and follow-through (promise.c owns the promise
 * table). Either partner makes a promise to the other, with a due day;
 * only the partner it was made to records the outcome. Promises are shared
 * by the couple, sealed under the couple key. Every reader takes the viewer
 * and returns only what that viewer may see. */
#ifndef TROTH_FEATURE_PROMISE_H
#define TROTH_FEATURE_PROMISE_H

#include <jansson.h>

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "../auth/auth.h"
#include "../http/req.h"

/* ---- store ---- */

/* A promise to store with promise_store, made by author_id to the other
 * partner of the couple. */
struct promise_new {
	long long couple_id, author_id;
	long due;                  /* days since 1970-01-01 */
	const char *text;
	const unsigned char *couple_key;
	long long created_at;
	long long id;              /* out: the new row */
	bool no_partner;           /* out: nobody to promise to yet (SQLITE_NOTFOUND) */
};
/* Stores p (a struct promise_new *) with the writer w: for db_write, or
 * inside another write. Returns SQLITE_OK or an error. */
int promise_store(sqlite3 *w, void *p);

/* An outcome to record with promise_outcome_store, by user_id (who must be
 * the partner the promise was made to). */
struct promise_verdict {
	long long couple_id, user_id, id;
	bool kept;
	const char *note;          /* may be NULL */
	const unsigned char *couple_key;
	long long at;
	int refused;               /* out: 404 no such promise, 403 not theirs to say, 409 already said */
};
/* Records v (a struct promise_verdict *) with the writer w. Returns
 * SQLITE_OK, SQLITE_NOTFOUND with v->refused set, or an error. */
int promise_outcome_store(sqlite3 *w, void *v);

/* ---- readers (only what the viewer may see) ---- */

/* A promise as numbers: its due day and outcome. */
struct promise_outcome {
	long due;
	int kept;                  /* 1 kept, 0 broken, -1 no outcome yet */
};
/* The promises v may see, by due day, into arena memory (*out, *n).
 * Returns SQLITE_OK or an error. */
int promise_outcomes(struct req *r, const struct viewer *v, struct promise_outcome **out, size_t *n);

/* ---- the home card, pages and API ---- */

/* Open promises due today or earlier, for the home page, but those made
 * to me (promise_for_you shows them); nothing when none is due or the
 * notes are locked. */
route_handler promise_home;
/* The home page's "For you now" item: the open promises made to me that
 * are due today or were due earlier, each with the form to say how it went
 * (registered in home.c's for_you[]; the other promises due stay in
 * promise_home). */
route_handler promise_for_you;
route_handler promise_page;            /* GET /promises */
route_handler promise_post;            /* POST /promises */
route_handler promise_outcome_post;    /* POST /promises/:id/outcome */
route_handler promise_api_create;      /* POST /api/v1/promises */
route_handler promise_api_list;        /* GET /api/v1/promises */
route_handler promise_api_outcome;     /* POST /api/v1/promises/:id/outcome */

/* The export: every promise v may see, as a JSON array (texts opened),
 * or NULL after answering a storage error. */
json_t *promise_export(struct req *r, const struct viewer *v);

/* What parting and closing an account run on this room's tables. */
/* For reminders, without a person's keys: *n is how many promises made to
 * user_id in couple_id fall due on day and have no outcome yet. Returns
 * SQLITE_ROW or an error. */
int promise_due_unanswered(sqlite3 *c, long long couple_id, long long user_id, long day, long long *n);

extern const struct room_sql promise_sql;

/* What a counsellor may see of promises (features/counsel.c): those v
 * made, as {id, day (due), promise, outcome: "open" | "kept" | "broken"};
 * NULL on a storage error. */
json_t *promise_counsel(struct req *r, const struct viewer *v);

#endif
