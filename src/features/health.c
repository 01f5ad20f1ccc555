/* health.c: GET /healthz: is the server up and does the store answer? */
#include "health.h"

#include <time.h>

#include "../app.h"

/* The store is asked at most once a second: a monitor polling hard should
 * not cost every request a WAL read lock. */
void health_check(struct req *r)
{
	long long one = 0;
	long long now = (long long)time(NULL);
	if (r->app && r->app->health_ok_at == now) {
		req_json(r, 200, json_pack("{s:s, s:s}", "status", "ok", "db", "ok"));
		return;
	}
	sqlite3 *c = r->app ? db_reader(&r->app->db) : NULL;
	if (!c || db_int(c, &one, "SELECT count(*) FROM meta", "") != SQLITE_ROW) {
		req_json(r, 503, json_pack("{s:s, s:s}", "status", "degraded", "db", "unavailable"));
		return;
	}
	r->app->health_ok_at = now;
	req_json(r, 200, json_pack("{s:s, s:s}", "status", "ok", "db", "ok"));
}
