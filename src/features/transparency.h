/* transparency.h: the transparency plan. A partner chooses, with their
 * password, to share for a while only what they themselves report: their
 * plans and whereabouts (typed by them, never located) and written
 * commitments (message history kept, an agreed device arrangement). A plan
 * ends on a date at most 90 days away, may taper (daily reports, then
 * weekly, ...), and either partner can stop it at once. Every time the
 * partner reads the reports it is logged, and the creator sees the log. */
#ifndef TROTH_TRANSPARENCY_H
#define TROTH_TRANSPARENCY_H

#include <stdbool.h>
#include <stddef.h>

#include <sqlite3.h>

#include "../http/req.h"
#include "../db/db.h"

/* The longest a plan may run: its end date is at most this many days after
 * the day it is made (renewal is a new plan, made with the password). */
#define TRANSPARENCY_MAX_DAYS 90

route_handler transparency_api_list;   /* GET  /api/v1/transparency */
route_handler transparency_api_create; /* POST /api/v1/transparency (deferred) */
route_handler transparency_api_stop;   /* POST /api/v1/transparency/:id/stop */
route_handler transparency_api_views;  /* GET  /api/v1/transparency/:id/views */
route_handler transparency_api_whereabouts_create;  /* POST /api/v1/whereabouts */
route_handler transparency_api_whereabouts_list;    /* GET  /api/v1/whereabouts (logged) */

route_handler transparency_page;             /* GET  /transparency */
route_handler transparency_post; /* POST /transparency (deferred) */
route_handler transparency_stop_post;   /* POST /transparency/:id/stop */
route_handler transparency_report_post; /* POST /transparency/reports */
/* POST /api/v1/transparency/:id/agree, POST /api/v1/transparency/:id/decline
 * (optional {"word"}), POST /transparency/:id/agree and .../decline
 * (optional field word): the partner, not the creator, answers an offered
 * plan; it is on from its agreement until it ends or either stops it. */
route_handler transparency_api_agree, transparency_api_decline;
route_handler transparency_agree_post, transparency_decline_post;

/* Home: the persistent indicator of the viewer's own active plan (with how
 * many times the partner looked), the partner's active plan, reviews due. */
route_handler transparency_home;
/* The home page's "For you now" item: the newest plan my partner offers
 * that waits for my answer, with a link to it (read through this room's
 * reader; registered in home.c's for_you[]). */
route_handler transparency_for_you;

/* Stores a plan offered by creator inside the write transaction of w
 * (it is on only once the partner agrees: transparency_plan_agree): shares a
 * comma list ("plans,whereabouts"), days "YYYY-MM-DD" (review_on may be
 * NULL), taper a JSON list of {"until","reports"} or NULL, note the
 * written commitments (NULL: none; sealed under couple_key). Does not end
 * an earlier plan. Sets *id. Returns SQLITE_OK or an error. */
int transparency_plan_insert(sqlite3 *w, const unsigned char *couple_key, long long couple_id,
			     long long creator, const char *shares, const char *starts_on,
			     const char *ends_on, const char *review_on, const char *taper,
			     const char *note, long long at, long long *id);
/* Marks plan id agreed by `by` at `at`, starting on `on` ("YYYY-MM-DD")
 * unless it starts later; no checks (the request checks who may, and ends
 * the creator's earlier plan). Returns SQLITE_OK or an error. */
int transparency_plan_agree(sqlite3 *w, long long couple_id, long long id, long long by, const char *on,
			    long long at);
/* Marks plan id not taken on by `by` at `at`, with an optional word (NULL:
 * none; sealed under couple_key). Returns SQLITE_OK or an error. */
int transparency_plan_decline(sqlite3 *w, const unsigned char *couple_key, long long couple_id, long long id,
			      long long by, const char *word, long long at);
/* Stores a report of author under plan_id (where required, with may be
 * NULL; both sealed under couple_key), from..until in seconds since 1970.
 * Sets *id. Returns SQLITE_OK or an error. */
int transparency_report_insert(sqlite3 *w, const unsigned char *couple_key, long long couple_id,
			       long long plan_id, long long author, const char *where, const char *with,
			       long long from, long long until, long long at, long long *id);
/* Logs that viewer read the reports of plan_id at `at`. Returns SQLITE_OK
 * or an error. */
int transparency_view_insert(sqlite3 *w, long long couple_id, long long plan_id, long long viewer,
			     long long at);

struct viewer;
/* A plan as the insights see it: days only, no words. */
struct transparency_span {
	long starts, ends;          /* days since 1970 */
	long long stopped_at;       /* seconds since 1970, 0 while not stopped */
	bool stopped_by_creator;
};
/* Every plan v may see (both partners' plans of v's couple), oldest first,
 * into arena memory *out. Returns SQLITE_OK or an error. */
int transparency_plan_spans(struct req *r, const struct viewer *v, struct transparency_span **out,
			    size_t *n);

/* Hands w->fn (see keepsake.h) each whereabouts text of w->couple_id that w->viewer
 * may see on day today ("YYYY-MM-DD"): their own reports, and their
 * partner's while the plan is active. Returns SQLITE_OK or the first error. */
int transparency_each_seen(struct sealed_walk *w, const char *today);

/* The plans v may see, as GET /api/v1/transparency gives them, for the
 * export; NULL after answering. */
json_t *transparency_export(struct req *r, const struct viewer *v);
/* The reports v may see, as GET /api/v1/whereabouts gives them, each with
 * "author" ("me" or "partner"): their own, and the partner's while the
 * plan is active (that read is logged for the partner, like the page's).
 * NULL after answering. */
json_t *transparency_reports_export(struct req *r, const struct viewer *v);

/* What parting and closing an account run on this room's tables. */
extern const struct room_sql transparency_sql;

/* What a counsellor may see of transparency plans (features/counsel.c):
 * those v offered, as {id, day (offered), shares, starts_on, ends_on,
 * status}, never the commitments or a report; NULL on a storage error. */
json_t *transparency_counsel(struct req *r, const struct viewer *v);

#endif
