/* record_setting.c: the couple-wide record settings (see
 * record_setting.h). Every statement on record_setting is here. The
 * no-contact verification is sealed under the couple key, bound to the
 * couple ("no_contact:<couple>:verified"). */
#include "record_setting.h"

#include <string.h>

#include "../app.h"
#include "../auth/vault.h"
#include "../base/caltime.h"
#include "../db/db.h"

int record_settings_read(struct req *r, const struct viewer *v, struct record_settings *t)
{
	memset(t, 0, sizeof(*t));
	t->notice_days = 30;
	sqlite3 *c = db_reader(&r->app->db);
	/* both partners see the couple's row */
	sqlite3_stmt *st = c ? db_prepare(c, "SELECT full_disclosure_on, disclosure_by, nc_since, nc_verified, nc_by,"
					     " notice_days FROM record_setting WHERE couple_id = ?1", "i", v->couple_id)
			     : NULL;
	if (!st)
		return c ? sqlite3_extended_errcode(c) : SQLITE_CANTOPEN;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_NULL)
			t->full_on = arena_strdup(&r->arena, (const char *)sqlite3_column_text(st, 0));
		t->full_by = sqlite3_column_int64(st, 1);
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			t->nc_since = arena_strdup(&r->arena, (const char *)sqlite3_column_text(st, 2));
		t->nc_verified = vault_open_text(&r->arena, v->couple_key, "no_contact", v->couple_id, "verified",
						 sqlite3_column_blob(st, 3), (size_t)sqlite3_column_bytes(st, 3));
		t->nc_by = sqlite3_column_int64(st, 4);
		t->notice_days = (long)sqlite3_column_int64(st, 5);
	}
	db_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int record_setting_store(sqlite3 *w, void *arg)
{
	struct record_setting_new *t = arg;
	char d[11];
	date_format(t->day, d);
	int rc = db_run(w, "INSERT INTO record_setting(couple_id, updated_at) VALUES(?1, ?2)"
			   " ON CONFLICT(couple_id) DO NOTHING", "ii", t->couple_id, t->now);
	if (rc != SQLITE_OK)
		return rc;
	if (!t->nocontact)
		return db_run(w, "UPDATE record_setting SET full_disclosure_on = ?1, disclosure_by = ?2, updated_at = ?3"
				 " WHERE couple_id = ?4", "tiii", d, t->user_id, t->now, t->couple_id);
	struct buf verified = BUF_INIT;
	rc = vault_seal_row(t->couple_key, "no_contact", t->couple_id, "verified", t->verified, &verified) < 0
	     ? SQLITE_TOOBIG
	     : db_run(w, "UPDATE record_setting SET nc_since = ?1, nc_by = ?2, updated_at = ?3, nc_verified = ?4"
			 " WHERE couple_id = ?5", "tiiBi", d, t->user_id, t->now, &verified, t->couple_id);
	buf_release(&verified);
	return rc;
}

int record_notice_store(sqlite3 *w, void *arg)
{
	struct record_notice *n = arg;
	return db_run(w, "INSERT INTO record_setting(couple_id, notice_days, updated_at) VALUES(?1, ?2, ?3)"
			 " ON CONFLICT(couple_id) DO UPDATE SET notice_days = ?2, updated_at = ?3", "iii",
		      n->couple_id, n->days, n->now);
}

/* What parting and closing an account run on this room's tables (db/db.h). */
const struct room_sql record_setting_sql = {
	.shared = "SELECT 'no_contact', couple_id, 'verified', nc_verified, nc_by, updated_at FROM "
		"record_setting WHERE couple_id = ?1; ",
	.clear = "DELETE FROM record_setting WHERE couple_id = ?1; ",
};
