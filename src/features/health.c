/* health.c: GET /healthz: is the server up and does the store answer? */
#include "health.h"

#include "../app.h"

void health_check(struct req *r)
{
	long long one = 0;
	sqlite3 *c = r->app ? db_reader(&r->app->db) : NULL;
	if (!c || db_int(c, &one, "SELECT count(*) FROM meta", "") != SQLITE_ROW) {
		req_json(r, 503, json_pack("{s:s, s:s}", "status", "degraded", "db", "unavailable"));
		return;
	}
	req_json(r, 200, json_pack("{s:s, s:s}", "status", "ok", "db", "ok"));
}
