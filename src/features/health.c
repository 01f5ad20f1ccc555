/* health.c: GET /healthz: is the server up, does the store answer, and
 * can it still take writes? */
#include "health.h"

#include <time.h>

#include "../app.h"

/* The store is asked at most once a second: a monitor polling hard should
 * not cost every request a WAL read lock. */
void health_check(struct req *r)
{
	long long one = 0;
	long long now = (long long)time(NULL);
	/* a store that cannot take writes is not healthy, whatever reads say */
	if (r->app && db_health(&r->app->db) != SQLITE_OK) {
		req_json(r, 503, json_pack("{s:s, s:s}", "status", "degraded", "db", "not writable"));
		return;
	}
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
