/* readiness.h: "can this survive?" and the prerequisites for one's role,
 * private to each partner unless they choose to share their answers. */
#ifndef TROTH_READINESS_H
#define TROTH_READINESS_H

#include "../http/req.h"

/* GET /api/v1/readiness → {"mine": {...}|null, "partner": {...}|null};
 * PUT /api/v1/readiness {"survive"?, "prerequisites"?, "shared"?} → 200. */
void readiness_api_get(struct req *r);
void readiness_api_put(struct req *r);
/* GET /readiness, POST /readiness */
void readiness_page(struct req *r);
void readiness_post(struct req *r);

#endif
