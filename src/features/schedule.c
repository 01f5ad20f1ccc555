/* schedule.c: the store of the ritual schedule (see schedule.h). */
#include "schedule.h"

#include "../db/db.h"
#include "../app.h"

static const struct ritual_schedule DEFAULT_SCHEDULE = {
	.checkin_weekday = 7, .checkin_minute = 19 * 60,
	.appreciation_minute = 21 * 60,
	.vulnerability_weekday = 3, .vulnerability_minute = 20 * 60,
	.connection_weekday = 6, .connection_minute = 11 * 60,
	.reminder_minutes = 10, .hard_date_reminder_minute = 18 * 60, .updated_at = 0,
};

static const char *const WEEKDAY_NAMES[] = { "monday", "tuesday", "wednesday", "thursday",
					     "friday", "saturday", "sunday" };

const char *rituals_weekday_name(int wd)
{
	return wd >= 1 && wd <= 7 ? WEEKDAY_NAMES[wd - 1] : NULL;
}

static void schedule_row(sqlite3_stmt *st, void *x)
{
	struct ritual_schedule *s = x;
	s->checkin_weekday = sqlite3_column_int(st, 0);
	s->checkin_minute = sqlite3_column_int(st, 1);
	s->appreciation_minute = sqlite3_column_int(st, 2);
	s->vulnerability_weekday = sqlite3_column_int(st, 3);
	s->vulnerability_minute = sqlite3_column_int(st, 4);
	s->connection_weekday = sqlite3_column_type(st, 5) == SQLITE_NULL ? 0 : sqlite3_column_int(st, 5);
	s->connection_minute = sqlite3_column_int(st, 6);
	s->reminder_minutes = sqlite3_column_int(st, 7);
	s->updated_at = (time_t)sqlite3_column_int64(st, 8);
	s->hard_date_reminder_minute = sqlite3_column_int(st, 9);
}

int ritual_schedule_load(sqlite3 *c, long long couple_id, struct ritual_schedule *s)
{
	*s = DEFAULT_SCHEDULE;
	return db_one(c, schedule_row, s,
		      "SELECT checkin_weekday, checkin_minute, appreciation_minute, vulnerability_weekday,"
		      " vulnerability_minute, connection_weekday, connection_minute, reminder_minutes, updated_at,"
		      " hard_date_reminder_minute FROM ritual_schedule WHERE couple_id = ?1", "i", couple_id);
}


int ritual_schedule_store(sqlite3 *w, long long couple_id, long long user_id,
			  const struct ritual_schedule *s, time_t now)
{
	const char *sql =
		"INSERT INTO ritual_schedule(couple_id, checkin_weekday, checkin_minute,"
		" appreciation_minute, vulnerability_weekday, vulnerability_minute, connection_weekday,"
		" connection_minute, reminder_minutes, updated_at, updated_by, hard_date_reminder_minute)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
		" ON CONFLICT(couple_id) DO UPDATE SET checkin_weekday = ?2, checkin_minute = ?3,"
		" appreciation_minute = ?4, vulnerability_weekday = ?5, vulnerability_minute = ?6,"
		" connection_weekday = ?7, connection_minute = ?8, reminder_minutes = ?9,"
		" updated_at = ?10, updated_by = ?11, hard_date_reminder_minute = ?12";
	if (s->connection_weekday)
		return db_run(w, sql, "iiiiiiiiiiii", couple_id, (long long)s->checkin_weekday,
			      (long long)s->checkin_minute, (long long)s->appreciation_minute,
			      (long long)s->vulnerability_weekday, (long long)s->vulnerability_minute,
			      (long long)s->connection_weekday, (long long)s->connection_minute,
			      (long long)s->reminder_minutes, (long long)now, user_id,
			      (long long)s->hard_date_reminder_minute);
	return db_run(w, sql, "iiiiiinii" "iii", couple_id, (long long)s->checkin_weekday,
		      (long long)s->checkin_minute, (long long)s->appreciation_minute,
		      (long long)s->vulnerability_weekday, (long long)s->vulnerability_minute,
		      (long long)s->connection_minute, (long long)s->reminder_minutes, (long long)now,
		      user_id, (long long)s->hard_date_reminder_minute);
}


int ritual_schedule_read(struct req *r, const struct viewer *v, struct ritual_schedule *s)
{
	sqlite3 *c = db_reader(&r->app->db);
	if (!c) {
		*s = DEFAULT_SCHEDULE;
		return SQLITE_CANTOPEN;
	}
	return ritual_schedule_load(c, v->couple_id, s);
}

/* What parting and closing an account run on this room's tables (db/db.h). */
const struct room_sql schedule_sql = {
	.clear = "DELETE FROM ritual_schedule WHERE couple_id = ?1; ",
};
