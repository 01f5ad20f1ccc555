/* calfeed_dump.c: prints the calendar feed of a fixed ritual schedule in a
 * given zone, for test_calfeed.py to read with a real iCalendar parser.
 *
 *   calfeed_dump ZONE [noconn] [reminder MINUTES]
 *
 * The schedule: check-in Sunday 19:00, appreciation 21:00, sharing
 * Wednesday 20:00, time together Saturday 11:00 ("noconn": none), a
 * reminder 10 minutes before; the feed made 2026-01-10T12:00:00Z. */
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
		.reminder_minutes = 10, .updated_at = 0,
	};
	struct buf out = BUF_INIT;
	time_t created, now;
	if (argc < 2) {
		fprintf(stderr, "usage: calfeed_dump ZONE [noconn] [reminder MINUTES]\n");
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "noconn"))
			s.connection_weekday = 0;
		else if (!strcmp(argv[i], "reminder") && i + 1 < argc)
			s.reminder_minutes = atoi(argv[++i]);
	}
	if (instant_parse("2026-01-10T12:00:00Z", &created) < 0 ||
	    instant_parse("2026-11-23T12:00:00Z", &now) < 0)
		return 1;
	calfeed_write(&out, &s, argv[1], 41, 7, created, now, NULL, 0);
	fwrite(out.s, 1, out.len, stdout);
	buf_release(&out);
	tz_free_all();
	return 0;
}
