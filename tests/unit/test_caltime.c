/* test_caltime.c: the calendar math the rituals are dated by: civil days,
 * ISO weeks across year ends (week 53 included), strict parsing, and time
 * zones through their daylight-saving changes in both hemispheres, zones with
 * half-hour offsets and none at all, and years past the last listed
 * transition (the zone's POSIX rule). Expected values were worked out
 * independently (Python's zoneinfo over the same tzdata). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/caltime.h"

static long D(const char *s)
{
	long d = 0;
	if (date_parse(s, &d) != 0)
		fail_msg("test date %s does not parse", s);
	return d;
}

static const struct tz *Z(const char *name)
{
	const struct tz *z = tz_get(name);
	if (!z)
		fail_msg("zone %s is not available", name);
	return z;
}

static void civil_days_round_trip(void **state)
{
	(void)state;
	assert_int_equal(days_from_civil(1970, 1, 1), 0);
	assert_int_equal(days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(days_from_civil(1900, 1, 1), -25567);
	assert_int_equal(days_from_civil(2999, 12, 31), 376199);
	assert_int_equal(weekday_of(0), 4);                  /* 1970-01-01 was a Thursday */
	assert_int_equal(weekday_of(D("2026-11-23")), 1);    /* a Monday */
	assert_int_equal(weekday_of(D("1969-12-28")), 7);    /* a Sunday, before the epoch */
	/* every day from 1900 to 2999: consecutive, weekdays cycling */
	struct civil prev = { 1899, 12, 31 };
	int wd = weekday_of(days_from_civil(1900, 1, 1));
	for (long d = days_from_civil(1900, 1, 1); d <= days_from_civil(2999, 12, 31); d++) {
		struct civil c;
		civil_from_days(d, &c);
		if (days_from_civil(c.y, c.m, c.d) != d)
			fail_msg("day %ld does not round-trip", d);
		bool next = (c.y == prev.y && c.m == prev.m && c.d == prev.d + 1) ||
			    (c.y == prev.y && c.m == prev.m + 1 && c.d == 1 &&
			     prev.d == days_in_month(prev.y, prev.m)) ||
			    (c.y == prev.y + 1 && c.m == 1 && c.d == 1 && prev.m == 12 && prev.d == 31);
		if (!next)
			fail_msg("%d-%d-%d does not follow %d-%d-%d", c.y, c.m, c.d, prev.y, prev.m, prev.d);
		if (weekday_of(d) != wd)
			fail_msg("weekday of %ld: %d, want %d", d, weekday_of(d), wd);
		wd = wd % 7 + 1;
		prev = c;
	}
	assert_int_equal(days_in_month(2024, 2), 29);
	assert_int_equal(days_in_month(2023, 2), 28);
	assert_int_equal(days_in_month(1900, 2), 28);
	assert_int_equal(days_in_month(2000, 2), 29);
	assert_int_equal(days_in_month(2026, 4), 30);
	assert_int_equal(days_in_month(2026, 12), 31);
}

static void iso_weeks_across_year_ends(void **state)
{
	(void)state;
	static const struct { const char *day; int year, week; } cases[] = {
		{ "2020-12-31", 2020, 53 }, /* Thursday of week 53 */
		{ "2021-01-01", 2020, 53 }, /* new year's day still in the old year's week */
		{ "2021-01-03", 2020, 53 },
		{ "2021-01-04", 2021, 1 },
		{ "2024-12-29", 2024, 52 },
		{ "2024-12-30", 2025, 1 },  /* December, yet week 1 of next year */
		{ "2024-12-31", 2025, 1 },
		{ "2025-12-29", 2026, 1 },
		{ "2026-01-01", 2026, 1 },
		{ "2026-12-28", 2026, 53 },
		{ "2026-12-31", 2026, 53 },
		{ "2027-01-01", 2026, 53 },
		{ "2027-01-03", 2026, 53 },
		{ "2027-01-04", 2027, 1 },
		{ "2008-12-29", 2009, 1 },
		{ "2010-01-03", 2009, 53 },
		{ "2005-01-01", 2004, 53 },
		{ "2005-01-02", 2004, 53 },
		{ "2005-01-03", 2005, 1 },
		{ "2026-11-23", 2026, 48 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct isoweek w;
		isoweek_of(D(cases[i].day), &w);
		if (w.year != cases[i].year || w.week != cases[i].week)
			fail_msg("%s: %d-W%02d, want %d-W%02d", cases[i].day, w.year, w.week,
				 cases[i].year, cases[i].week);
	}
	static const struct { int year, weeks; } years[] = {
		{ 1998, 53 }, { 2004, 53 }, { 2009, 53 }, { 2015, 53 }, { 2020, 53 }, { 2021, 52 },
		{ 2024, 52 }, { 2025, 52 }, { 2026, 53 }, { 2027, 52 }, { 2032, 53 }, { 2037, 53 },
	};
	for (size_t i = 0; i < sizeof(years) / sizeof(*years); i++)
		if (isoweeks_in_year(years[i].year) != years[i].weeks)
			fail_msg("%d has %d ISO weeks, want %d", years[i].year,
				 isoweeks_in_year(years[i].year), years[i].weeks);

	struct isoweek w = { 2026, 1 };
	assert_int_equal(isoweek_monday(&w), D("2025-12-29"));
	w = (struct isoweek){ 2020, 53 };
	assert_int_equal(isoweek_monday(&w), D("2020-12-28"));
	w = (struct isoweek){ 2026, 53 };
	assert_int_equal(isoweek_monday(&w), D("2026-12-28"));
	w = (struct isoweek){ 2021, 1 };
	assert_int_equal(isoweek_monday(&w), D("2021-01-04"));

	/* every week of 1990..2040: a Monday, its seven days in it, and the
	 * weeks follow each other with no gap or overlap */
	long expect_monday = isoweek_monday(&(struct isoweek){ 1990, 1 });
	for (int y = 1990; y <= 2040; y++) {
		for (int n = 1; n <= isoweeks_in_year(y); n++) {
			struct isoweek k = { y, n }, got;
			long m = isoweek_monday(&k);
			if (m != expect_monday || weekday_of(m) != 1)
				fail_msg("%d-W%02d starts on %ld, want the Monday %ld", y, n, m, expect_monday);
			for (int d = 0; d < 7; d++) {
				isoweek_of(m + d, &got);
				if (isoweek_cmp(&got, &k) != 0)
					fail_msg("day %d of %d-W%02d is in %d-W%02d", d, y, n, got.year, got.week);
			}
			expect_monday = m + 7;
		}
	}
}

static void iso_week_text_is_strict(void **state)
{
	(void)state;
	struct isoweek w;
	char out[9];
	assert_int_equal(isoweek_parse("2026-W53", &w), 0);
	assert_int_equal(w.year, 2026);
	assert_int_equal(w.week, 53);
	assert_int_equal(isoweek_parse("2020-W53", &w), 0);
	assert_int_equal(isoweek_parse("2026-W01", &w), 0);
	assert_int_equal(w.week, 1);
	static const char *bad[] = {
		"2025-W53", /* 2025 has 52 weeks */
		"2026-W54", "2026-W00", "2026-W1", "2026W01", "2026-w01", "2026-W01x", " 2026-W01",
		"2026-W-1", "26-W01", "2026-01", "", "2026-W+1", "２０２６-W01",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (isoweek_parse(bad[i], &w) == 0)
			fail_msg("\"%s\" parsed as a week", bad[i]);
	isoweek_format(&(struct isoweek){ 2026, 5 }, out);
	assert_string_equal(out, "2026-W05");
	isoweek_format(&(struct isoweek){ 2020, 53 }, out);
	assert_string_equal(out, "2020-W53");

	struct isoweek a = { 2026, 53 }, b = { 2027, 1 }, c = { 2026, 52 };
	assert_true(isoweek_cmp(&a, &b) < 0);
	assert_true(isoweek_cmp(&b, &a) > 0);
	assert_true(isoweek_cmp(&c, &a) < 0);
	assert_int_equal(isoweek_cmp(&a, &a), 0);
}

static void times_of_day_are_strict(void **state)
{
	(void)state;
	char out[6];
	assert_int_equal(hm_parse("00:00"), 0);
	assert_int_equal(hm_parse("08:30"), 510);
	assert_int_equal(hm_parse("23:59"), 1439);
	static const char *bad[] = { "24:00", "12:60", "8:30", "08:3", "08-30", "08:30 ", " 8:30", "0a:30", "", "08:30:00" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (hm_parse(bad[i]) >= 0)
			fail_msg("\"%s\" parsed as a time of day", bad[i]);
	assert_int_equal(hm_parse(NULL), -1);
	hm_format(510, out);
	assert_string_equal(out, "08:30");
	hm_format(1439, out);
	assert_string_equal(out, "23:59");
	hm_format(1440 + 75, out);
	assert_string_equal(out, "01:15");
	hm_format(-60, out);
	assert_string_equal(out, "23:00");
}

static void dates_and_instants_are_strict(void **state)
{
	(void)state;
	long d;
	char out[11], inst[21];
	time_t t;
	assert_int_equal(date_parse("2024-02-29", &d), 0);
	assert_int_equal(d, days_from_civil(2024, 2, 29));
	assert_int_equal(date_parse("1900-01-01", &d), 0);
	assert_int_equal(date_parse("2999-12-31", &d), 0);
	static const char *bad[] = {
		"2023-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-1-01", "2026-01-1",
		"1899-12-31", "3000-01-01", "2026-01-01T00:00", "2026/01/01", "", "20260101",
		"2026-01-01 ",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (date_parse(bad[i], &d) == 0)
			fail_msg("\"%s\" parsed as a date", bad[i]);
	date_format(days_from_civil(2026, 3, 8), out);
	assert_string_equal(out, "2026-03-08");
	date_format(-25567, out);
	assert_string_equal(out, "1900-01-01");

	assert_int_equal(instant_parse("2026-03-08T07:00:00Z", &t), 0);
	assert_int_equal(t, 1772953200);
	assert_int_equal(instant_parse("2026-03-08T07:00Z", &t), 0);
	assert_int_equal(t, 1772953200);
	assert_int_equal(instant_parse("2026-03-08T02:00:00-05:00", &t), 0);
	assert_int_equal(t, 1772953200);
	assert_int_equal(instant_parse("2026-03-08T12:30:00+05:30", &t), 0);
	assert_int_equal(t, 1772953200);
	assert_int_equal(instant_parse("1969-12-31T23:59:59Z", &t), 0);
	assert_int_equal(t, -1);
	static const char *badi[] = {
		"2026-03-08T07:00:00", "2026-03-08 07:00:00Z", "2026-03-08T24:00:00Z",
		"2026-03-08T07:60:00Z", "2026-02-30T07:00:00Z", "2026-03-08T07:00:00+5:00", "",
		"2026-03-08T07:00:00Zjunk",
	};
	for (size_t i = 0; i < sizeof(badi) / sizeof(*badi); i++)
		if (instant_parse(badi[i], &t) == 0)
			fail_msg("\"%s\" parsed as an instant", badi[i]);
	instant_format(1772953200, inst);
	assert_string_equal(inst, "2026-03-08T07:00:00Z");
	instant_format(-1, inst);
	assert_string_equal(inst, "1969-12-31T23:59:59Z");
}

/* Offsets a minute before and at each transition of 2026 (and 2040 for New
 * York, which comes from the zone's POSIX rule, past its listed changes). */
static void offsets_change_at_the_right_instant(void **state)
{
	(void)state;
	static const struct { const char *zone; time_t at; long before, after; } cases[] = {
		{ "Europe/London", 1774746000, 0, 3600 },         /* 2026-03-29 01:00 UTC */
		{ "Europe/London", 1792890000, 3600, 0 },         /* 2026-10-25 01:00 UTC */
		{ "Europe/Berlin", 1774746000, 3600, 7200 },
		{ "Europe/Berlin", 1792890000, 7200, 3600 },
		{ "America/New_York", 1772953200, -18000, -14400 }, /* 2026-03-08 07:00 UTC */
		{ "America/New_York", 1793512800, -14400, -18000 }, /* 2026-11-01 06:00 UTC */
		{ "America/New_York", 2215062000, -18000, -14400 }, /* 2040-03-11 */
		{ "America/New_York", 2235621600, -14400, -18000 }, /* 2040-11-04 */
		{ "Australia/Sydney", 1775318400, 39600, 36000 },   /* summer time ends in April */
		{ "Australia/Sydney", 1791043200, 36000, 39600 },   /* and starts in October */
		{ "Australia/Lord_Howe", 1775314800, 39600, 37800 }, /* a half-hour change */
		{ "Australia/Lord_Howe", 1791041400, 37800, 39600 },
		{ "Asia/Kolkata", 1774746000, 19800, 19800 },       /* no daylight saving */
		{ "America/Sao_Paulo", 1792890000, -10800, -10800 }, /* none since 2019 */
		{ "UTC", 1792890000, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const struct tz *z = Z(cases[i].zone);
		long b = tz_offset(z, cases[i].at - 60), a = tz_offset(z, cases[i].at),
		     a2 = tz_offset(z, cases[i].at + 86400);
		if (b != cases[i].before || a != cases[i].after || a2 != cases[i].after)
			fail_msg("%s at %lld: %ld then %ld, want %ld then %ld", cases[i].zone,
				 (long long)cases[i].at, b, a, cases[i].before, cases[i].after);
	}
}

static void wall_clock_times_in_gaps_and_overlaps(void **state)
{
	(void)state;
	static const struct { const char *zone, *day; int sec; time_t want; } cases[] = {
		/* ordinary times */
		{ "Europe/London", "2026-07-01", 19 * 3600, 1782928800 },  /* 18:00 UTC */
		{ "America/New_York", "2026-01-15", 19 * 3600, 1768521600 }, /* 00:00 UTC next day */
		/* spring-forward gaps: read with the offset before the gap */
		{ "Europe/London", "2026-03-29", 3600 + 1800, 1774747800 },    /* 01:30 -> 02:30 BST */
		{ "America/New_York", "2026-03-08", 2 * 3600 + 1800, 1772955000 }, /* 02:30 -> 03:30 EDT */
		{ "Australia/Sydney", "2026-10-04", 2 * 3600 + 1800, 1791045000 },
		/* fall-back overlaps: the earlier instant */
		{ "Europe/London", "2026-10-25", 3600 + 1800, 1792888200 },    /* 01:30 BST */
		{ "America/New_York", "2026-11-01", 3600 + 1800, 1793511000 },  /* 01:30 EDT */
		{ "Australia/Sydney", "2026-04-05", 2 * 3600 + 1800, 1775316600 }, /* 02:30 AEDT */
		/* a half-hour zone */
		{ "Asia/Kolkata", "2026-03-29", 0, 1774722600 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		time_t got = tz_instant(Z(cases[i].zone), D(cases[i].day), cases[i].sec);
		if (got != cases[i].want)
			fail_msg("%s %s +%ds: %lld, want %lld", cases[i].zone, cases[i].day, cases[i].sec,
				 (long long)got, (long long)cases[i].want);
	}
	/* the days of the changes are 23 and 25 hours long */
	const struct tz *ny = Z("America/New_York"), *lon = Z("Europe/London"), *syd = Z("Australia/Sydney");
	long d = D("2026-03-08");
	assert_int_equal(tz_instant(ny, d + 1, 0) - tz_instant(ny, d, 0), 23 * 3600);
	d = D("2026-11-01");
	assert_int_equal(tz_instant(ny, d + 1, 0) - tz_instant(ny, d, 0), 25 * 3600);
	d = D("2026-03-29");
	assert_int_equal(tz_instant(lon, d + 1, 0) - tz_instant(lon, d, 0), 23 * 3600);
	d = D("2026-04-05");
	assert_int_equal(tz_instant(syd, d + 1, 0) - tz_instant(syd, d, 0), 25 * 3600);
	/* a weekly 19:00 stays at 19:00 local through the changes */
	for (long day = D("2026-01-04"); day < D("2027-01-04"); day += 7) {
		time_t t = tz_instant(ny, day, 19 * 3600);
		if (t + tz_offset(ny, t) != day * 86400 + 19 * 3600)
			fail_msg("Sunday %ld at 19:00 New York is off", day);
	}
}

static void local_days_and_weeks_follow_the_zone(void **state)
{
	(void)state;
	static const char *zones[] = { "Europe/London", "America/New_York", "Australia/Sydney",
				       "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Kiritimati",
				       "Pacific/Pago_Pago", "UTC" };
	/* noon of every day of 2026 and 2040 is that day; midnight is too */
	for (size_t i = 0; i < sizeof(zones) / sizeof(*zones); i++) {
		const struct tz *z = Z(zones[i]);
		for (int y = 2026; y <= 2040; y += 14)
			for (long day = days_from_civil(y, 1, 1); day < days_from_civil(y + 1, 1, 1); day++) {
				if (tz_day(z, tz_instant(z, day, 12 * 3600)) != day ||
				    tz_day(z, tz_instant(z, day, 0)) != day ||
				    tz_day(z, tz_instant(z, day, 0) - 1) != day - 1)
					fail_msg("%s: day %ld is not where it should be", zones[i], day);
			}
	}
	/* 2026-03-29 23:30 UTC is already the 30th in London (BST) */
	assert_int_equal(tz_day(Z("Europe/London"), 1774827000), D("2026-03-30"));
	assert_int_equal(tz_day(Z("UTC"), 1774827000), D("2026-03-29"));
	/* 2026-12-31 10:00 UTC: new year in Kiritimati (+14), the 30th in Pago Pago (-11) */
	assert_int_equal(tz_day(Z("Pacific/Kiritimati"), 1798711200), D("2027-01-01"));
	assert_int_equal(tz_day(Z("Pacific/Pago_Pago"), 1798711200), D("2026-12-30"));

	/* the same instant is in different ISO weeks in different zones:
	 * Sunday 2027-01-03 23:30 UTC is Monday in Berlin, week 1 of 2027 */
	struct isoweek w;
	isoweek_of(tz_day(Z("UTC"), 1799019000), &w);
	assert_int_equal(w.year, 2026);
	assert_int_equal(w.week, 53);
	isoweek_of(tz_day(Z("Europe/Berlin"), 1799019000), &w);
	assert_int_equal(w.year, 2027);
	assert_int_equal(w.week, 1);
	isoweek_of(tz_day(Z("America/New_York"), 1799019000), &w);
	assert_int_equal(w.year, 2026);
	assert_int_equal(w.week, 53);
}

static void zone_names_are_checked(void **state)
{
	(void)state;
	static const char *bad[] = {
		"", "Not/AZone", "../../../../etc/passwd", "/etc/localtime", "Europe/../../etc/passwd",
		"Europe/London/..", "Europe//London", "europe/london\n", "Europe/London\x01",
		".", "..", "Europe/", "zone.tab", "tzdata.zi",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (tz_get(bad[i]))
			fail_msg("\"%s\" was taken for a zone", bad[i]);
	const struct tz *a = Z("Europe/London"), *b = Z("Europe/London");
	assert_ptr_equal(a, b); /* loaded once */
	assert_non_null(Z("Etc/UTC"));
}

static void zone_rules_are_read(void **state)
{
	(void)state;
	struct tz_rule r;
	/* "EST5EDT,M3.2.0,M11.1.0": second Sunday of March to first of November */
	assert_true(tz_rule(Z("America/New_York"), &r));
	assert_true(r.dst);
	assert_int_equal(r.std_off, -5 * 3600);
	assert_int_equal(r.dst_off, -4 * 3600);
	assert_int_equal(r.start.kind, 'M');
	assert_int_equal(r.start.m, 3);
	assert_int_equal(r.start.w, 2);
	assert_int_equal(r.start.d, 0);
	assert_int_equal(r.start.time, 7200);
	assert_int_equal(r.end.m, 11);
	assert_int_equal(r.end.w, 1);
	/* "CET-1CEST,M3.5.0,M10.5.0/3": the last Sunday, ending at 03:00 */
	assert_true(tz_rule(Z("Europe/Berlin"), &r));
	assert_int_equal(r.end.w, 5);
	assert_int_equal(r.end.time, 3 * 3600);
	/* "IST-2IDT,M3.4.4/26,M10.5.0": a time past midnight */
	assert_true(tz_rule(Z("Asia/Jerusalem"), &r));
	assert_int_equal(r.start.d, 4);
	assert_int_equal(r.start.time, 26 * 3600);
	/* no daylight saving */
	assert_true(tz_rule(Z("Asia/Kolkata"), &r));
	assert_false(r.dst);
	assert_int_equal(r.std_off, 5 * 3600 + 1800);
	/* the rule alone agrees with the zone where the rule is in force, and
	 * not where an older rule was (New York changed its rule in 2007) */
	time_t t;
	assert_int_equal(instant_parse("2031-11-03T12:00:00Z", &t), 0); /* after the change */
	assert_int_equal(tz_rule_offset(Z("America/New_York"), t), -5 * 3600);
	assert_int_equal(tz_offset(Z("America/New_York"), t), -5 * 3600);
	assert_int_equal(instant_parse("2031-11-01T12:00:00Z", &t), 0); /* before it */
	assert_int_equal(tz_rule_offset(Z("America/New_York"), t), -4 * 3600);
	assert_int_equal(instant_parse("2005-11-03T12:00:00Z", &t), 0); /* then standard time */
	assert_int_equal(tz_offset(Z("America/New_York"), t), -5 * 3600);
	assert_int_equal(tz_rule_offset(Z("America/New_York"), t), -4 * 3600);
}

static int teardown(void **state)
{
	(void)state;
	tz_free_all();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(civil_days_round_trip),
		cmocka_unit_test(iso_weeks_across_year_ends),
		cmocka_unit_test(iso_week_text_is_strict),
		cmocka_unit_test(times_of_day_are_strict),
		cmocka_unit_test(dates_and_instants_are_strict),
		cmocka_unit_test(offsets_change_at_the_right_instant),
		cmocka_unit_test(wall_clock_times_in_gaps_and_overlaps),
		cmocka_unit_test(local_days_and_weeks_follow_the_zone),
		cmocka_unit_test(zone_names_are_checked),
		cmocka_unit_test(zone_rules_are_read),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
