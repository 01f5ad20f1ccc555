/* harness.c: a small table behind test-only routes for the crash-safety
 * harness (tests/crash). Not compiled into the binary `make demo` runs. */
#include "harness.h"

#include "../app.h"

static const char *const CREATE =
	"CREATE TABLE IF NOT EXISTS harness_record(n INTEGER PRIMARY KEY, at INTEGER NOT NULL)";

void harness_write(struct req *r)
{
	json_t *n = json_object_get(r->json, "n");
	if (!json_is_integer(n) || json_object_size(r->json) != 1) {
		req_error(r, 400, "invalid_field", "n must be a whole number.", "n");
		return;
	}
	sqlite3 *w = db_write_begin(&r->app->db);
	int rc = db_run(w, CREATE, "");
	if (rc == SQLITE_OK)
		rc = db_run(w, "INSERT INTO harness_record(n, at) VALUES(?1, unixepoch())", "i",
			    (long long)json_integer_value(n));
	int end = db_write_end(&r->app->db, rc == SQLITE_OK);
	if (rc == SQLITE_OK)
		rc = end;
	if (rc != SQLITE_OK) {
		if ((rc & 0xff) == SQLITE_CONSTRAINT)
			req_error(r, 409, "exists", "That number is already recorded.", "n");
		else
			req_db_error(r, rc);
		return;
	}
	req_json(r, 201, json_pack("{s:I}", "n", (json_int_t)json_integer_value(n)));
}

void harness_list(struct req *r)
{
	json_t *ns = json_array();
	sqlite3 *c = db_reader(&r->app->db);
	long long exists = 0;
	if (!c || db_int(c, &exists, "SELECT count(*) FROM sqlite_schema WHERE name='harness_record'", "") != SQLITE_ROW) {
		json_decref(ns);
		req_db_error(r, c ? sqlite3_extended_errcode(c) : SQLITE_CANTOPEN);
		return;
	}
	if (exists) {
		sqlite3_stmt *st = db_prepare(c, "SELECT n FROM harness_record ORDER BY n", "");
		int rc = SQLITE_ERROR;
		while (st && (rc = sqlite3_step(st)) == SQLITE_ROW)
			json_array_append_new(ns, json_integer(sqlite3_column_int64(st, 0)));
		db_done(st);
		if (rc != SQLITE_DONE) {
			json_decref(ns);
			req_db_error(r, sqlite3_extended_errcode(c));
			return;
		}
	}
	req_json(r, 200, json_pack("{s:o}", "ns", ns));
}
