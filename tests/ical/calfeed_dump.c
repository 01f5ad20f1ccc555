/* calfeed_dump.c: prints the calendar feed of a fixed ritual schedule in a
 * given zone, for test_calfeed.py to read with a real iCalendar parser.
 *
 *   calfeed_dump ZONE [noconn] [reminder MINUTES] [user ID] [created UNIXTIME]
 *                [hard YYYY-MM-DD]... [hardtime HH:MM]
 *
 * The schedule: check-in Sunday 19:00, appreciation 21:00, sharing
 * Wednesday 20:00, time together Saturday 11:00 ("noconn": none), a
 * reminder 10 minutes before; the feed of user 7 (or ID) in couple 41,
 * made 2026-01-10T12:00:00Z (or at UNIXTIME); hard dates (up to 16) with
 * their reminder at 18:00 the day before (or HH:MM). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/caltime.h"
#include "features/calfeed.h"

int main(int argc, char **argv)
{
	struct ritual_schedule s = {
		.checkin_weekday = 7, .checkin_minute = 19 * 60, .appreciation_minute = 21 * 60,
		.vulnerability_weekday = 3, .vulnerability_minute = 20 * 60,
		.connection_weekday = 6, .connection_minute = 11 * 60,
		.reminder_minutes = 10, .hard_date_reminder_minute = 18 * 60, .updated_at = 0,
	};
	struct buf out = BUF_INIT;
	time_t created, now;
	long long user = 7;
	long long created_at = -1;
	long hard[16];
	size_t n_hard = 0;
	if (argc < 2) {
		fprintf(stderr, "usage: calfeed_dump ZONE [noconn] [reminder MINUTES] [user ID]"
				" [created UNIXTIME] [hard YYYY-MM-DD]... [hardtime HH:MM]\n");
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "noconn"))
			s.connection_weekday = 0;
		else if (!strcmp(argv[i], "reminder") && i + 1 < argc)
			s.reminder_minutes = atoi(argv[++i]);
		else if (!strcmp(argv[i], "user") && i + 1 < argc)
			user = atoll(argv[++i]);
		else if (!strcmp(argv[i], "created") && i + 1 < argc)
			created_at = atoll(argv[++i]);
		else if (!strcmp(argv[i], "hard") && i + 1 < argc && n_hard < 16) {
			if (date_parse(argv[++i], &hard[n_hard++]) < 0)
				return 2;
		} else if (!strcmp(argv[i], "hardtime") && i + 1 < argc) {
			const char *t = argv[++i];
			if (strlen(t) != 5 || t[2] != ':')
				return 2;
			s.hard_date_reminder_minute = atoi(t) * 60 + atoi(t + 3);
		}
	}
	if (instant_parse("2026-01-10T12:00:00Z", &created) < 0 ||
	    instant_parse("2026-11-23T12:00:00Z", &now) < 0)
		return 1;
	if (created_at >= 0)
		created = now = (time_t)created_at;
	calfeed_write(&out, &s, argv[1], 41, user, created, now, hard, n_hard);
	fwrite(out.s, 1, out.len, stdout);
	buf_release(&out);
	tz_free_all();
	return 0;
}
