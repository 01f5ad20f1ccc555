/* test_charts.c: charts a phone can read. Every chart is drawn on a canvas
 * of a phone's width, so at 390 px its text shows at its own size: no text
 * smaller than 12 px; the time labels thin out instead of overlapping; a
 * long trust timeline gets room for its years; the connection panel under
 * it starts on the discovery day. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/caltime.h"
#include "insight/charts.h"

/* The viewBox width of an SVG. */
static int view_width(const char *svg)
{
	const char *v = strstr(svg, "viewBox=\"0 0 ");
	assert_non_null(v);
	return atoi(v + 13);
}

/* The smallest font-size in an SVG. */
static int smallest_font(const char *svg)
{
	int min = 1000;
	for (const char *p = svg; (p = strstr(p, "font-size=\"")); p += 11) {
		int f = atoi(p + 11);
		if (f < min)
			min = f;
	}
	return min;
}

/* The x and text of each <text> on the row at y (as written), in order. */
static size_t texts_at(const char *svg, const char *y, double *xs, char (*words)[32], size_t max)
{
	size_t n = 0;
	char want[32];
	snprintf(want, sizeof(want), "y=\"%s\"", y);
	for (const char *p = svg; (p = strstr(p, "<text x=\"")) && n < max; p++) {
		const char *end = strstr(p, "</text>");
		const char *yy = strstr(p, want);
		if (!yy || yy > end)
			continue;
		xs[n] = atof(p + 9);
		const char *gt = strchr(p, '>');
		snprintf(words[n], 32, "%.*s", (int)(end - gt - 1), gt + 1);
		n++;
	}
	return n;
}

static void every_chart_is_phone_wide_with_readable_text(void **state)
{
	(void)state;
	long d0 = days_from_civil(2023, 1, 2);
	struct chart_point a[120], b[120];
	for (int i = 0; i < 120; i++) {
		a[i] = (struct chart_point){ d0 + 7 * i, 3 + i % 7 };
		b[i] = (struct chart_point){ d0 + 7 * i, 4 + i % 5 };
	}
	struct chart_series s[2] = { { "You", a, 120 }, { "Alexandra", b, 120 } };
	struct chart_dim dims[6];
	for (int i = 0; i < 6; i++)
		dims[i] = (struct chart_dim){ "Emotional safety", { 2.5, 5 }, { 7.25, 8 } };
	struct ins_month m[36];
	for (int i = 0; i < 36; i++)
		m[i] = (struct ins_month){ 2023 + (i + 10) / 12, (i + 10) % 12 + 1, i % 4, 4.5 };
	const char *who[2] = { "You", "Alexandra" };
	struct buf out = BUF_INIT;
	for (int c = 0; c < 3; c++) {
		buf_reset(&out);
		if (c == 0)
			chart_connection_svg(&out, s, 2);
		else if (c == 1)
			chart_dimensions_svg(&out, who, dims, 6);
		else
			chart_triggers_svg(&out, m, 36);
		assert_int_equal(view_width(out.s), 360);
		assert_true(smallest_font(out.s) >= 12);
	}
	buf_release(&out);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void a_long_timeline_has_room_and_its_labels_do_not_overlap(void **state)
{
	(void)state;
	long start = days_from_civil(2011, 9, 1), discovery = days_from_civil(2026, 1, 10);
	struct chart_event e[] = { { start, 1 }, { days_from_civil(2015, 6, 1), 1 },
				   { days_from_civil(2019, 3, 1), -1 }, { discovery, -1 } };
	struct chart_point a[10], b[10];
	for (int i = 0; i < 10; i++) {
		a[i] = (struct chart_point){ discovery + 200 + 7 * i, 4 };
		b[i] = (struct chart_point){ discovery + 200 + 7 * i, 5 };
	}
	struct chart_series s[2] = { { "You", a, 10 }, { "Alexandra", b, 10 } };
	struct buf out = BUF_INIT;
	chart_timeline_svg(&out, e, 4, discovery, s, 2);
	int w = view_width(out.s);
	assert_true(w >= 14 * 100); /* about 110 px a year for 14 years */
	assert_true(smallest_font(out.s) >= 12);
	/* the time axis labels (y 148 = the axis at 130 + 18) keep apart */
	double xs[64];
	char words[64][32];
	size_t n = texts_at(out.s, "148.0", xs, words, 64);
	assert_true(n >= 10); /* the ends and most years */
	qsort(xs, n, sizeof(xs[0]), cmp_double);
	for (size_t i = 0; i + 1 < n; i++)
		assert_true(xs[i + 1] - xs[i] >= 0.6 * 13 * 4 + 8); /* a year's width and a gap */
	/* the connection panel's axis starts on the discovery day's month */
	n = texts_at(out.s, "370.0", xs, words, 64);
	assert_true(n >= 2);
	assert_string_equal(words[0], "Jan 2026");
	buf_release(&out);
}

/* The daily chart: four weeks on a phone's width, text at 13 px, the day
 * labels apart, a missing day a gap in the table, never a made-up value. */
static void the_daily_chart_reads_on_a_phone_and_its_table_has_the_days(void **state)
{
	(void)state;
	long to = days_from_civil(2026, 3, 1), from = to - 27; /* across the end of February */
	struct chart_point c0[28], s0[28], c1[2], s1[2];
	size_t n0 = 0;
	for (long d = from; d <= to; d++)
		if (d != to - 3) { /* a day without an answer */
			c0[n0] = (struct chart_point){ d, (double)((d - from) % 11) };
			s0[n0++] = (struct chart_point){ d, 10 - (double)((d - from) % 11) };
		}
	c1[0] = (struct chart_point){ to - 1, 0 };
	s1[0] = (struct chart_point){ to - 1, 10 };
	c1[1] = (struct chart_point){ to, 7 };
	s1[1] = (struct chart_point){ to, 2 };
	struct chart_series close[2] = { { "You", c0, n0 }, { "Your partner", c1, 2 } };
	struct chart_series safe[2] = { { "You", s0, n0 }, { "Your partner", s1, 2 } };
	struct buf out = BUF_INIT;
	chart_daily_svg(&out, close, safe, from, to);
	assert_int_equal(view_width(out.s), 360);
	assert_true(smallest_font(out.s) >= 12);
	assert_non_null(strstr(out.s, ">How close</text>"));
	assert_non_null(strstr(out.s, ">How safe</text>"));
	/* the day axis (y 280 = the axis at 262 + 18): first and last day at
	 * the ends, Mondays between where they fit, none overlapping */
	double xs[16];
	char words[16][32];
	size_t n = texts_at(out.s, "280.0", xs, words, 16);
	assert_true(n >= 3);
	assert_string_equal(words[0], "2 Feb");
	assert_string_equal(words[1], "1 Mar");
	qsort(xs, n, sizeof(xs[0]), cmp_double);
	for (size_t i = 0; i + 1 < n; i++)
		assert_true(xs[i + 1] - xs[i] >= 0.6 * 13 * 6 / 2 + 8);
	/* the table: newest day first, "–" where one of them did not answer */
	buf_reset(&out);
	chart_daily_table(&out, close, safe, from, to);
	const char *first = strstr(out.s, "<tr><th scope=\"row\">1 Mar</th>");
	const char *second = strstr(out.s, "<tr><th scope=\"row\">28 Feb</th>");
	assert_non_null(first);
	assert_non_null(second);
	assert_true(first < second);
	assert_non_null(strstr(out.s, "<tr><th scope=\"row\">1 Mar</th><td>5</td><td>5</td><td>7</td><td>2</td></tr>"));
	assert_non_null(strstr(out.s, "<tr><th scope=\"row\">28 Feb</th><td>4</td><td>6</td><td>0</td><td>10</td></tr>"));
	assert_non_null(strstr(out.s, "<tr><th scope=\"row\">27 Feb</th><td>3</td><td>7</td><td>–</td><td>–</td></tr>"));
	assert_null(strstr(out.s, "26 Feb")); /* nobody answered that day */
	assert_non_null(strstr(out.s, "<th scope=\"col\">Your partner: safe</th>"));
	/* nothing at all: a calm line, no lines */
	struct chart_series none[2] = { { "You", c0, 0 }, { "Your partner", c1, 0 } };
	buf_reset(&out);
	chart_daily_svg(&out, none, none, from, to);
	assert_non_null(strstr(out.s, "No daily check-ins in these weeks."));
	assert_null(strstr(out.s, "<polyline"));
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_chart_is_phone_wide_with_readable_text),
		cmocka_unit_test(a_long_timeline_has_room_and_its_labels_do_not_overlap),
		cmocka_unit_test(the_daily_chart_reads_on_a_phone_and_its_table_has_the_days),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
