/* health.h: the health check for load balancers and monitoring. */
#ifndef TROTH_HEALTH_H
#define TROTH_HEALTH_H

#include "../http/req.h"

/* GET /healthz → 200 {"status":"ok","db":"ok"}, or 503 when the store
 * cannot answer a query. */
route_handler health_check;

#endif
