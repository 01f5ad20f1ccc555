/* record_setting.h: the couple-wide settings of the records, one row per
 * couple (record_setting.c owns the record_setting table): the day the
 * full disclosure was complete and the no-contact commitment (truth.c),
 * and how many days ahead hard dates are shown (harddate.c). Both
 * partners see the whole row. */
#ifndef TROTH_FEATURE_RECORD_SETTING_H
#define TROTH_FEATURE_RECORD_SETTING_H

#include <sqlite3.h>
#include <stdbool.h>

#include "../auth/auth.h"
#include "../http/req.h"

/* The couple-wide settings as v sees them (both partners see them all). */
struct record_settings {
	const char *full_on;       /* "YYYY-MM-DD" of the full disclosure, or NULL */
	long long full_by;
	const char *nc_since;      /* no contact since, or NULL */
	const char *nc_verified;   /* how it was verified, NULL when none or locked */
	long long nc_by;
	long notice_days;          /* hard dates shown this many days ahead (30 unless set) */
};
/* Reads v's couple's settings into t (strings in the arena). Returns
 * SQLITE_OK (defaults when there is no row) or an error. */
int record_settings_read(struct req *r, const struct viewer *v, struct record_settings *t);

/* A change to store with record_setting_store: the full-disclosure day, or (when
 * nocontact) the no-contact commitment with how it was verified. */
struct record_setting_new {
	long long couple_id, user_id;
	long day;
	bool nocontact;
	const char *verified;      /* sealed under couple_key; NULL stores none */
	const unsigned char *couple_key;
	long long now;
};
/* Stores t (a struct record_setting_new *) with the writer w: for db_write, or
 * inside another write. Returns SQLITE_OK or an error. */
int record_setting_store(sqlite3 *w, void *t);

/* How many days ahead hard dates are shown, for record_notice_store. */
struct record_notice {
	long long couple_id, days, now;
};
/* Stores n (a struct record_notice *) with the writer w. */
int record_notice_store(sqlite3 *w, void *n);

/* What parting and closing an account run on this room's tables. */
extern const struct room_sql record_setting_sql;

#endif
