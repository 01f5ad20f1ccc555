/* safety.h: the private safety check. Questions about physical, emotional
 * and verbal abuse, fear, control, threats and a watched device. The
 * answers and the result belong to the one who answers: sealed under their
 * own data key, shown only to them, and leaving nothing the partner can see
 * (no notification, no change in any page or API response of theirs). */
#ifndef TROTH_SAFETY_H
#define TROTH_SAFETY_H

#include <jansson.h>

#include <stdbool.h>

#include <sqlite3.h>

#include "../http/req.h"

/* PUT /api/v1/safety, GET /api/v1/safety, DELETE /api/v1/safety */
route_handler safety_api_put, safety_api_get, safety_api_delete;
/* GET /safety/check, POST /safety/check, POST /safety/check/forget */
route_handler safety_check_page, safety_check_post, safety_forget_post;

/* Stores user_id's answers inside the write transaction of w, sealed under
 * their own data_key: the questions named in yes (a NULL-ended list of
 * question keys such as "afraid") answered yes, all others no; at is when
 * (seconds since 1970). For the demo and tests. Returns SQLITE_OK or an
 * error. */
int safety_store_answers(sqlite3 *w, const unsigned char *data_key, long long user_id,
			 const char *const *yes, long long at);
/* Home: for the viewer only, the safety notice when their answers point to
 * danger, else a quiet link to the check. */
route_handler safety_home;

/* True when the viewer's own safety check (never the partner's) points to
 * danger: what the insights' safety finding is made from. One list of
 * danger answers, here. */
bool safety_viewer_concern(struct req *r);

/* The export: v's own safety check (never the partner's), as a JSON
 * array of none or one, or NULL after answering a storage error. */
json_t *safety_export(struct req *r, const struct viewer *v);

/* What parting and closing an account run on this room's tables. */
extern const struct room_sql safety_sql;

struct viewer;
/* What v alone may send a counsellor of their own safety check
 * (features/counsel.c, only when v asks): [{id, day, result,
 * device_warning}], [] when not answered; NULL on a storage error. */
json_t *safety_counsel(struct req *r, const struct viewer *v);

#endif
