/* test_tzdiff.c: troth's own zone reader against the C library's, instant
 * by instant: for several zones (both hemispheres, half-hour offsets, zones
 * that dropped DST), every few hours from 1990 to 2045 (past the end of the
 * transition tables, where the POSIX rule takes over), the UTC offset and
 * the local day must agree with localtime_r under the same TZ. Also checks
 * wall-clock to instant across DST gaps and overlaps. Single-threaded, so
 * setting TZ here is safe. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/caltime.h"

static const char *const zones[] = {
	"America/New_York", "Europe/London", "Europe/Berlin", "Australia/Sydney",
	"Pacific/Auckland", "Asia/Kolkata", "America/Sao_Paulo", "Australia/Lord_Howe",
	"Asia/Tokyo", "America/St_Johns", "Africa/Casablanca", "UTC",
};

static void offsets_match_the_c_library(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(zones) / sizeof(*zones); i++) {
		const struct tz *z = tz_get(zones[i]);
		assert_non_null(z);
		setenv("TZ", zones[i], 1);
		tzset();
		long checked = 0;
		for (time_t t = 631152000; t < 2398291200; t += 3 * 3600 + 17) {
			struct tm tm;
			localtime_r(&t, &tm);
			long mine = tz_offset(z, t);
			if (mine != tm.tm_gmtoff)
				fail_msg("%s at %lld: %ld, libc %ld", zones[i], (long long)t, mine, (long)tm.tm_gmtoff);
			long day = tz_day(z, t);
			if (day != days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday))
				fail_msg("%s at %lld: day differs", zones[i], (long long)t);
			checked++;
		}
		assert_true(checked > 100000);
	}
	unsetenv("TZ");
	tzset();
}

static void wall_clock_times_across_dst(void **state)
{
	(void)state;
	const struct tz *ny = tz_get("America/New_York");
	char out[21];
	/* 2026-03-08 02:30 does not exist in New York: read as 03:30 EDT */
	instant_format(tz_instant(ny, days_from_civil(2026, 3, 8), 2 * 3600 + 1800), out);
	assert_string_equal(out, "2026-03-08T07:30:00Z");
	/* 2026-11-01 01:30 happens twice: the earlier (EDT) is chosen */
	instant_format(tz_instant(ny, days_from_civil(2026, 11, 1), 3600 + 1800), out);
	assert_string_equal(out, "2026-11-01T05:30:00Z");
	/* an ordinary evening */
	const struct tz *syd = tz_get("Australia/Sydney");
	instant_format(tz_instant(syd, days_from_civil(2031, 1, 15), 20 * 3600), out);
	assert_string_equal(out, "2031-01-15T09:00:00Z");
	assert_null(tz_get("Mars/Olympus"));
	assert_null(tz_get("../etc/passwd"));
	assert_null(tz_get("/etc/passwd"));
	tz_free_all();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(offsets_match_the_c_library),
		cmocka_unit_test(wall_clock_times_across_dst),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
