/* routes.c: the one route table of troth. Each row: method, pattern,
 * handler, flags (checked centrally in http_dispatch before the handler). */
#include "http/router.h"
#include "http/static.h"
#include "features/harness.h"
#include "features/health.h"
#include "features/home.h"
#include "features/resources.h"

const struct route troth_routes[] = {
	{ "GET", "/", home_page, 0 },
	{ "GET", "/healthz", health_check, 0 },
	{ "GET", "/safety", resources_page, 0 },
	{ "GET", "/static/:name", static_serve, 0 },
#ifdef TROTH_TEST_ROUTES
	{ "POST", "/api/v1/_test/records", harness_write, R_JSON | R_TEST },
	{ "GET", "/api/v1/_test/records", harness_list, R_TEST },
#endif
};

const size_t troth_routes_len = sizeof(troth_routes) / sizeof(troth_routes[0]);
