/* safety.h: the private safety check. Questions about physical, emotional
 * and verbal abuse, fear, control, threats and a watched device. The
 * answers and the result belong to the one who answers: sealed under their
 * own data key, shown only to them, and leaving nothing the partner can see
 * (no notification, no change in any page or API response of theirs). */
#ifndef TROTH_SAFETY_H
#define TROTH_SAFETY_H

#include <stdbool.h>

#include "../http/req.h"

/* PUT /api/v1/safety, GET /api/v1/safety, DELETE /api/v1/safety */
void api_safety_put(struct req *r);
void api_safety_get(struct req *r);
void api_safety_delete(struct req *r);
/* GET /safety/check, POST /safety/check, POST /safety/check/forget */
void page_safety_check(struct req *r);
void page_safety_check_post(struct req *r);
void page_safety_forget_post(struct req *r);
/* Home: for the viewer only, the safety notice when their answers point to
 * danger, else a quiet link to the check. */
void safety_home(struct req *r);

/* True when the viewer's own safety check (never the partner's) points to
 * danger: what the insights' safety finding is made from. One list of
 * danger answers, here. */
bool safety_viewer_concern(struct req *r);

#endif
