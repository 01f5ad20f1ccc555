/* transparency.h: the transparency plan. A partner chooses, with their
 * password, to share for a while only what they themselves report: their
 * plans and whereabouts (typed by them, never located) and written
 * commitments (message history kept, an agreed device arrangement). A plan
 * ends on a date at most 90 days away, may taper (daily reports, then
 * weekly, ...), and either partner can stop it at once. Every time the
 * partner reads the reports it is logged, and the creator sees the log. */
#ifndef TROTH_TRANSPARENCY_H
#define TROTH_TRANSPARENCY_H

#include "../http/req.h"

/* The longest a plan may run: its end date is at most this many days after
 * the day it is made (renewal is a new plan, made with the password). */
#define TRANSPARENCY_MAX_DAYS 90

void transparency_api_list(struct req *r);   /* GET  /api/v1/transparency */
void transparency_api_create(struct req *r); /* POST /api/v1/transparency (deferred) */
void transparency_api_stop(struct req *r);   /* POST /api/v1/transparency/:id/stop */
void transparency_api_views(struct req *r);  /* GET  /api/v1/transparency/:id/views */
void transparency_api_whereabouts_create(struct req *r);  /* POST /api/v1/whereabouts */
void transparency_api_whereabouts_list(struct req *r);    /* GET  /api/v1/whereabouts (logged) */

void transparency_page(struct req *r);             /* GET  /transparency */
void transparency_post(struct req *r); /* POST /transparency (deferred) */
void transparency_stop_post(struct req *r);   /* POST /transparency/:id/stop */
void transparency_report_post(struct req *r); /* POST /transparency/reports */

/* Home: the persistent indicator of the viewer's own active plan (with how
 * many times the partner looked), the partner's active plan, reviews due. */
void transparency_home(struct req *r);

#endif
