/* charts.c: the SVG charts and their tables (see charts.h). Text goes out
 * only through html() / html_esc (escaped); markup with numbers only goes
 * through buf_addf with constant formats. */
#include "charts.h"

#include <stdio.h>
#include <string.h>

#include "../base/caltime.h"
#include "../ui/html.h"

/* The canvas is a phone's width, so on a phone the charts show at about
 * their own size and every label reads at 13 px; wider screens show them
 * at most this wide (the page's CSS). The trust timeline alone grows with
 * the years it spans and scrolls sideways (timeline_width). */
#define W 360
#define X0 34.0
#define X1 340.0
#define FONT 13

static const char *const STROKE[2] = { "#2f6f8f", "#9a5b22" };
static const char *const LIGHT[2] = { "#a9c9d9", "#e0c3a3" };
static const char *const DASH[2] = { "none", "6 4" };
static const char *const MONTHS[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* The horizontal extent the chart being drawn uses, [gx0, gx1]: set by
 * svg_begin_w from the canvas width (per thread: charts are drawn on
 * several threads at once). */
static _Thread_local double gx0 = X0, gx1 = X1;

static void month_label(long day, char out[16])
{
	struct civil c;
	civil_from_days(day, &c);
	snprintf(out, 16, "%s %d", MONTHS[c.m - 1], c.y);
}

static void svg_begin_w(struct buf *out, int w, int h, const char *title, const char *desc)
{
	buf_addf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
		      "role=\"img\" aria-labelledby=\"chart-title chart-desc\" "
		      "font-family=\"system-ui, sans-serif\" font-size=\"%d\">\n", w, h, w, h, FONT);
	gx0 = X0;
	gx1 = w - (W - X1);
	html(out, "<title id=\"chart-title\">%s</title>\n<desc id=\"chart-desc\">%s</desc>\n", title, desc);
	buf_addf(out, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", w, h);
}

static void svg_begin(struct buf *out, int h, const char *title, const char *desc)
{
	svg_begin_w(out, W, h, title, desc);
}

/* About how wide a label of n characters is at FONT px. */
static double label_width(const char *s)
{
	return 0.6 * FONT * (double)strlen(s);
}

static void svg_text(struct buf *out, double x, double y, const char *anchor, const char *fill, const char *s)
{
	char xs[24], ys[24];
	snprintf(xs, sizeof(xs), "%.1f", x);
	snprintf(ys, sizeof(ys), "%.1f", y);
	html(out, "<text x=\"%s\" y=\"%s\" text-anchor=\"%s\" fill=\"%s\">%s</text>\n", xs, ys, anchor, fill, s);
}

static void svg_empty(struct buf *out, int h, const char *msg)
{
	svg_text(out, (gx0 + gx1) / 2, h / 2.0, "middle", "#555555", msg);
	buf_adds(out, "</svg>\n");
}

/* the day range of all points; false when there are none */
static bool day_range(const struct chart_series *s, size_t ns, long *lo, long *hi)
{
	bool any = false;
	for (size_t i = 0; i < ns; i++)
		for (size_t k = 0; k < s[i].n; k++) {
			long d = s[i].p[k].day;
			if (!any || d < *lo)
				*lo = d;
			if (!any || d > *hi)
				*hi = d;
			any = true;
		}
	return any;
}


static double xof(long d, long lo, long hi)
{
	return hi > lo ? gx0 + (gx1 - gx0) * (double)(d - lo) / (double)(hi - lo) : (gx0 + gx1) / 2;
}

/* The time axis: the first and last month at the ends, and between them
 * the start of each year where there is room: labels thin out rather than
 * overlap. */
static void time_axis(struct buf *out, long lo, long hi, double y)
{
	char a[16], b[16];
	month_label(lo, a);
	month_label(hi, b);
	buf_addf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#777777\"/>\n", gx0, y, gx1, y);
	svg_text(out, gx0, y + 18, "start", "#333333", a);
	if (hi <= lo)
		return;
	double prev_end = gx0 + label_width(a) + 8, last_start = gx1 - label_width(b) - 8;
	svg_text(out, gx1, y + 18, "end", "#333333", b);
	struct civil c;
	civil_from_days(lo, &c);
	for (int year = c.y + 1;; year++) {
		long d = days_from_civil(year, 1, 1);
		if (d >= hi)
			break;
		char t[16];
		snprintf(t, sizeof(t), "%d", year);
		double x = xof(d, lo, hi), half = label_width(t) / 2;
		if (x - half < prev_end || x + half > last_start)
			continue;
		buf_addf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#777777\"/>\n", x, y, x, y + 4);
		svg_text(out, x, y + 18, "middle", "#333333", t);
		prev_end = x + half + 8;
	}
}

/* one series as a line with markers, values 1..10 in the band [top, bottom] */
static void score_line(struct buf *out, const struct chart_series *s, int idx, long lo, long hi, double top,
		       double bottom)
{
	if (!s->n)
		return;
	buf_addf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"%s\" points=\"",
		 STROKE[idx], DASH[idx]);
	for (size_t k = 0; k < s->n; k++)
		buf_addf(out, "%s%.1f,%.1f", k ? " " : "", xof(s->p[k].day, lo, hi),
			 bottom - (s->p[k].value - 1) / 9.0 * (bottom - top));
	buf_adds(out, "\"/>\n");
	for (size_t k = 0; k < s->n; k++) {
		double x = xof(s->p[k].day, lo, hi), y = bottom - (s->p[k].value - 1) / 9.0 * (bottom - top);
		if (idx == 0)
			buf_addf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", x, y, STROKE[idx]);
		else
			buf_addf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"6\" height=\"6\" fill=\"%s\"/>\n", x - 3, y - 3,
				 STROKE[idx]);
	}
}

static void legend(struct buf *out, const struct chart_series *s, size_t ns, double y)
{
	for (size_t i = 0; i < ns && i < 2; i++) {
		double x = gx0 + 160.0 * (double)i;
		buf_addf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\" "
			      "stroke-dasharray=\"%s\"/>\n", x, y - 4, x + 24, y - 4, STROKE[i], DASH[i]);
		svg_text(out, x + 30, y, "start", "#333333", s[i].label);
	}
}

static void score_grid(struct buf *out, double top, double bottom)
{
	for (int v = 1; v <= 10; v += 3) {
		double y = bottom - (v - 1) / 9.0 * (bottom - top);
		char t[4];
		snprintf(t, sizeof(t), "%d", v);
		buf_addf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e3e3e3\"/>\n", X0, y, X1, y);
		svg_text(out, X0 - 8, y + 4, "end", "#555555", t);
	}
}

void chart_connection_svg(struct buf *out, const struct chart_series *s, size_t ns)
{
	const int h = 270;
	svg_begin(out, h, "Connection over time",
		  "Each partner's weekly connection score, from 1 to 10, one line each. The same numbers are in "
		  "the table beside the chart.");
	long lo = 0, hi = 0;
	if (!day_range(s, ns, &lo, &hi)) {
		svg_empty(out, h, "No check-ins yet.");
		return;
	}
	legend(out, s, ns, 18);
	score_grid(out, 36, 226);
	for (size_t i = 0; i < ns && i < 2; i++)
		score_line(out, &s[i], (int)i, lo, hi, 36, 226);
	time_axis(out, lo, hi, 236);
	buf_adds(out, "</svg>\n");
}

/* "17 Sep 2011": a day in a table, in the charts' short words. */
static void day_words(long day, char out[24])
{
	struct civil c;
	civil_from_days(day, &c);
	snprintf(out, 24, "%d %s %d", c.d, MONTHS[c.m - 1], c.y);
}

/* A week's row header: the week of its Monday, "Week of 10 Aug 2026". */
static void week_cell(struct buf *out, long day)
{
	struct isoweek w;
	char t[24];
	isoweek_of(day, &w);
	day_words(isoweek_monday(&w), t);
	html(out, "<th scope=\"row\">Week of %s</th>", t);
}

void chart_connection_table(struct buf *out, const struct chart_series *s, size_t ns)
{
	html_unsafe_raw(out, "<table class=\"chart-data\"><caption>Connection by week</caption><thead><tr><th scope=\"col\">Week</th>");
	for (size_t i = 0; i < ns && i < 2; i++)
		html(out, "<th scope=\"col\">%s</th>", s[i].label);
	html_unsafe_raw(out, "</tr></thead><tbody>\n");
	size_t idx[2] = { 0, 0 };
	for (;;) {
		/* the next week present in any series */
		long next = -1;
		bool any = false;
		for (size_t i = 0; i < ns && i < 2; i++)
			if (idx[i] < s[i].n && (!any || s[i].p[idx[i]].day < next))
				next = s[i].p[idx[i]].day, any = true;
		if (!any)
			break;
		buf_adds(out, "<tr>");
		week_cell(out, next);
		for (size_t i = 0; i < ns && i < 2; i++) {
			if (idx[i] < s[i].n && s[i].p[idx[i]].day == next)
				buf_addf(out, "<td>%.0f</td>", s[i].p[idx[i]++].value);
			else
				buf_adds(out, "<td>–</td>");
		}
		buf_adds(out, "</tr>\n");
	}
	html_unsafe_raw(out, "</tbody></table>\n");
}

void chart_dimensions_svg(struct buf *out, const char *const who[2], const struct chart_dim *d, size_t n)
{
	const double group = 62, top = 50, bx0 = 8, bx1 = W - 44;
	int h = (int)(top + group * (double)n + 10);
	svg_begin(out, h, "Trust dimensions, three months ago and now",
		  "For each of the six trust dimensions, each partner's average score over four weeks three "
		  "months ago (light bar) and over the last four weeks (dark bar), on a scale of 1 to 10.");
	/* the legend on two rows, one per partner, so long names fit */
	for (int p = 0; p < 2; p++) {
		double y = 8 + 18.0 * p;
		char t[64];
		buf_addf(out, "<rect x=\"8\" y=\"%.1f\" width=\"12\" height=\"11\" fill=\"%s\"/>\n", y, LIGHT[p]);
		buf_addf(out, "<rect x=\"22\" y=\"%.1f\" width=\"12\" height=\"11\" fill=\"%s\"/>\n", y, STROKE[p]);
		snprintf(t, sizeof(t), "%s: then, now", who[p]);
		svg_text(out, 40, y + 10, "start", "#333333", t);
	}
	/* each dimension: its name above its four bars */
	for (size_t i = 0; i < n; i++) {
		double y = top + group * (double)i;
		svg_text(out, bx0, y + 11, "start", "#222222", d[i].label);
		for (int p = 0; p < 2; p++)
			for (int k = 0; k < 2; k++) {
				double v = k ? d[i].now[p] : d[i].then[p];
				double by = y + 16 + (p * 2 + k) * 11.0;
				if (v <= 0) {
					buf_addf(out, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#666666\" font-size=\"12\">no check-ins</text>\n",
						 bx0 + 4, by + 9);
					continue;
				}
				buf_addf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"9\" fill=\"%s\"/>\n", bx0, by,
					 (bx1 - bx0) * v / 10.0, k ? STROKE[p] : LIGHT[p]);
				buf_addf(out, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#333333\" font-size=\"12\">%.1f</text>\n",
					 bx0 + (bx1 - bx0) * v / 10.0 + 4, by + 9, v);
			}
	}
	buf_adds(out, "</svg>\n");
}

static void cell_score(struct buf *out, double v)
{
	if (v > 0)
		buf_addf(out, "<td>%.1f</td>", v);
	else
		buf_adds(out, "<td>–</td>");
}

void chart_dimensions_table(struct buf *out, const char *const who[2], const struct chart_dim *d, size_t n)
{
	html_unsafe_raw(out, "<table class=\"chart-data\"><caption>Trust dimensions, four-week averages</caption>"
			     "<thead><tr><th scope=\"col\">Dimension</th>");
	for (int p = 0; p < 2; p++)
		html(out, "<th scope=\"col\">%s, three months ago</th><th scope=\"col\">%s, now</th>", who[p], who[p]);
	html_unsafe_raw(out, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < n; i++) {
		html(out, "<tr><th scope=\"row\">%s</th>", d[i].label);
		for (int p = 0; p < 2; p++) {
			cell_score(out, d[i].then[p]);
			cell_score(out, d[i].now[p]);
		}
		buf_adds(out, "</tr>\n");
	}
	html_unsafe_raw(out, "</tbody></table>\n");
}

#define MAX_BARS 36

void chart_triggers_svg(struct buf *out, const struct ins_month *m, size_t n)
{
	const int h = 250;
	const double top = 30, bottom = 210;
	svg_begin(out, h, "Triggers per month",
		  "How many triggers were recorded each month (bar height) and how intense they were on average "
		  "(darker is more intense), for up to the last three years.");
	if (!n) {
		svg_empty(out, h, "No triggers recorded.");
		return;
	}
	if (n > MAX_BARS)
		m += n - MAX_BARS, n = MAX_BARS;
	int max = 1;
	for (size_t i = 0; i < n; i++)
		if (m[i].count > max)
			max = m[i].count;
	char t[48];
	snprintf(t, sizeof(t), "%d", max);
	svg_text(out, X0 - 8, top + 4, "end", "#555555", t);
	svg_text(out, X0 - 8, bottom + 4, "end", "#555555", "0");
	buf_addf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e3e3e3\"/>\n", X0, top, X1, top);
	double bw = (X1 - X0) / (double)n;
	for (size_t i = 0; i < n; i++) {
		double bh = (bottom - top) * m[i].count / max, x = X0 + bw * (double)i;
		if (m[i].count) {
			buf_addf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#8a3f5f\" "
				      "fill-opacity=\"%.2f\">", x + bw * 0.1, bottom - bh, bw * 0.8, bh,
				 0.25 + 0.075 * m[i].mean_intensity);
			snprintf(t, sizeof(t), "%s %d: %d, intensity %.1f", MONTHS[m[i].month - 1], m[i].year, m[i].count,
				 m[i].mean_intensity);
			html(out, "<title>%s</title></rect>\n", t);
		}
	}
	/* month labels: the first and the last, and Januaries where there is
	 * room between them */
	char first[16], last[16];
	snprintf(first, sizeof(first), "%s %d", MONTHS[m[0].month - 1], m[0].year);
	snprintf(last, sizeof(last), "%s %d", MONTHS[m[n - 1].month - 1], m[n - 1].year);
	svg_text(out, X0, bottom + 18, "start", "#333333", first);
	double prev_end = X0 + label_width(first) + 8, last_start = X1 - label_width(last) - 8;
	if (n > 1)
		svg_text(out, X1, bottom + 18, "end", "#333333", last);
	for (size_t i = 1; i + 1 < n; i++) {
		if (m[i].month != 1)
			continue;
		snprintf(t, sizeof(t), "%d", m[i].year);
		double x = X0 + bw * ((double)i + 0.5), half = label_width(t) / 2;
		if (x - half < prev_end || x + half > last_start)
			continue;
		svg_text(out, x, bottom + 18, "middle", "#333333", t);
		prev_end = x + half + 8;
	}
	buf_addf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#777777\"/>\n", X0, bottom, X1, bottom);
	buf_adds(out, "</svg>\n");
}

void chart_triggers_table(struct buf *out, const struct ins_month *m, size_t n)
{
	if (n > MAX_BARS)
		m += n - MAX_BARS, n = MAX_BARS;
	html_unsafe_raw(out, "<table class=\"chart-data\"><caption>Triggers by month</caption><thead><tr>"
			     "<th scope=\"col\">Month</th><th scope=\"col\">Triggers</th>"
			     "<th scope=\"col\">Average intensity</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < n; i++) {
		html(out, "<tr><th scope=\"row\">%s %d</th><td>%d</td>", MONTHS[m[i].month - 1], m[i].year, m[i].count);
		if (m[i].count)
			buf_addf(out, "<td>%.1f</td></tr>\n", m[i].mean_intensity);
		else
			buf_adds(out, "<td>–</td></tr>\n");
	}
	html_unsafe_raw(out, "</tbody></table>\n");
}

void chart_timeline_svg(struct buf *out, const struct chart_event *e, size_t ne, long discovery,
			const struct chart_series *s, size_t ns)
{
	const int h = 410;
	const double axis = 130, ctop = 236, cbottom = 346;
	long lo = 0, hi = 0;
	bool any = false;
	for (size_t i = 0; i < ne; i++) {
		if (!any || e[i].day < lo)
			lo = e[i].day;
		if (!any || e[i].day > hi)
			hi = e[i].day;
		any = true;
	}
	if (discovery != INS_NONE) {
		if (!any || discovery < lo)
			lo = discovery;
		if (!any || discovery > hi)
			hi = discovery;
		any = true;
	}
	/* the check-ins after the discovery, drawn below on their own axis */
	struct chart_series after[2] = { { NULL, NULL, 0 }, { NULL, NULL, 0 } };
	size_t na = ns < 2 ? ns : 2;
	for (size_t i = 0; i < na; i++) {
		after[i] = s[i];
		while (discovery != INS_NONE && after[i].n && after[i].p[0].day < discovery)
			after[i].p++, after[i].n--;
	}
	long clo = 0, chi = 0;
	bool anyc = day_range(after, na, &clo, &chi);
	/* the connection panel starts on the discovery day itself */
	if (anyc && discovery != INS_NONE && discovery < clo)
		clo = discovery;
	/* a long story gets room: about 110 px a year, scrolled sideways on a
	 * phone, so the years do not crowd into one line */
	int w = W;
	if (any && hi - lo > 3 * 365)
		w = (int)(X0 + (W - X1) + 110.0 * (double)(hi - lo) / 365.25);
	if (w > 4000)
		w = 4000;
	svg_begin_w(out, w, h, "Our trust timeline",
		    "Moments of the whole relationship on one time line: high-trust moments above the line, "
		    "low-trust moments below it, the discovery day marked, and below that each partner's weekly "
		    "connection score since the discovery.");
	if (!any && !anyc) {
		svg_empty(out, h, "No moments marked yet.");
		return;
	}
	svg_text(out, X0, 20, "start", "#3a6b45", "High trust");
	svg_text(out, X0, axis + 64, "start", "#8a3f3f", "Low trust");
	if (any)
		time_axis(out, lo, hi, axis);
	else
		svg_text(out, (gx0 + gx1) / 2, axis - 8, "middle", "#555555", "No moments marked yet.");
	for (size_t i = 0; i < ne; i++) {
		double x = xof(e[i].day, lo, hi), y = e[i].trust > 0 ? axis - 60 : axis + 40;
		buf_addf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#bbbbbb\"/>\n", x, axis, x, y);
		if (e[i].trust > 0)
			buf_addf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"#3a6b45\"/>\n", x, y);
		else
			buf_addf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"11\" height=\"11\" fill=\"#8a3f3f\"/>\n", x - 5.5, y - 5.5);
	}
	if (discovery != INS_NONE && any) {
		double x = xof(discovery, lo, hi);
		buf_addf(out, "<line x1=\"%.1f\" y1=\"30\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333333\" stroke-dasharray=\"2 3\"/>\n",
			 x, x, axis + 20);
		svg_text(out, x > gx1 - 90 ? x - 4 : x + 4, 40, x > gx1 - 90 ? "end" : "start", "#333333", "Discovery");
	}
	svg_text(out, (double)(w - W) + X0, ctop - 12, "start", "#333333",
		 discovery != INS_NONE ? "Connection since the discovery (1 to 10)" : "Connection (1 to 10)");
	if (!anyc) {
		svg_text(out, (gx0 + gx1) / 2, (ctop + cbottom) / 2, "middle", "#555555", "No check-ins yet.");
		buf_adds(out, "</svg>\n");
		return;
	}
	/* the connection panel is a phone's width at the right end, under the
	 * discovery and the present (the page shows a long timeline scrolled
	 * to its end) */
	double off = (double)(w - W);
	gx0 = off + X0;
	gx1 = off + X1;
	char t[16];
	for (int v = 1; v <= 10; v += 9) {
		snprintf(t, sizeof(t), "%d", v);
		svg_text(out, gx0 - 8, cbottom - (v - 1) / 9.0 * (cbottom - ctop) + 4, "end", "#555555", t);
	}
	for (size_t i = 0; i < na; i++)
		score_line(out, &after[i], (int)i, clo, chi, ctop, cbottom);
	time_axis(out, clo, chi, cbottom + 6);
	legend(out, s, ns, 396);
	buf_adds(out, "</svg>\n");
}

void chart_timeline_table(struct buf *out, const struct chart_event *e, size_t ne, long discovery)
{
	html_unsafe_raw(out, "<table class=\"chart-data\"><caption>Moments on the timeline</caption><thead><tr>"
			     "<th scope=\"col\">Day</th><th scope=\"col\">Trust</th></tr></thead><tbody>\n");
	bool shown = discovery == INS_NONE;
	char d[24];
	for (size_t i = 0; i <= ne; i++) {
		if (!shown && (i == ne || e[i].day >= discovery)) {
			day_words(discovery, d);
			html(out, "<tr><th scope=\"row\">%s</th><td>The discovery</td></tr>\n", d);
			shown = true;
		}
		if (i == ne)
			break;
		day_words(e[i].day, d);
		html(out, "<tr><th scope=\"row\">%s</th><td>%s</td></tr>\n", d, e[i].trust > 0 ? "High" : "Low");
	}
	html_unsafe_raw(out, "</tbody></table>\n");
}

/* ---- the daily check-in: closeness and safety, day by day ---- */

/* "2 Nov" */
static void day_label(long day, char out[16])
{
	struct civil c;
	civil_from_days(day, &c);
	snprintf(out, 16, "%d %s", c.d, MONTHS[c.m - 1]);
}

/* The day axis from..to: the first and the last day at the ends, and each
 * Monday between them where there is room (labels thin out rather than
 * overlap). */
static void day_axis(struct buf *out, long from, long to, double y)
{
	char a[16], b[16];
	day_label(from, a);
	day_label(to, b);
	buf_addf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#777777\"/>\n", gx0, y, gx1, y);
	svg_text(out, gx0, y + 18, "start", "#333333", a);
	if (to <= from)
		return;
	svg_text(out, gx1, y + 18, "end", "#333333", b);
	double prev_end = gx0 + label_width(a) + 8, last_start = gx1 - label_width(b) - 8;
	for (long d = from + 1; d < to; d++) {
		if (((d % 7) + 7) % 7 != 4) /* 1970-01-01 was a Thursday: a Monday is 4 */
			continue;
		char t[16];
		day_label(d, t);
		double x = xof(d, from, to), half = label_width(t) / 2;
		buf_addf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#777777\"/>\n", x, y, x, y + 4);
		if (x - half < prev_end || x + half > last_start)
			continue;
		svg_text(out, x, y + 18, "middle", "#333333", t);
		prev_end = x + half + 8;
	}
}

/* One panel of the daily chart: its title, a 0..10 grid and a line for
 * each partner, from..to across. */
static void daily_panel(struct buf *out, const char *title, const struct chart_series s[2], long from, long to,
			double top, double bottom)
{
	svg_text(out, 8, top - 16, "start", "#222222", title);
	for (int v = 0; v <= 10; v += 5) {
		double y = bottom - v / 10.0 * (bottom - top);
		char t[4];
		snprintf(t, sizeof(t), "%d", v);
		buf_addf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e3e3e3\"/>\n", gx0, y, gx1, y);
		svg_text(out, gx0 - 8, y + 4, "end", "#555555", t);
	}
	for (int i = 0; i < 2; i++) {
		if (!s[i].n)
			continue;
		buf_addf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"%s\" points=\"",
			 STROKE[i], DASH[i]);
		for (size_t k = 0; k < s[i].n; k++)
			buf_addf(out, "%s%.1f,%.1f", k ? " " : "", xof(s[i].p[k].day, from, to),
				 bottom - s[i].p[k].value / 10.0 * (bottom - top));
		buf_adds(out, "\"/>\n");
		for (size_t k = 0; k < s[i].n; k++) {
			double x = xof(s[i].p[k].day, from, to), y = bottom - s[i].p[k].value / 10.0 * (bottom - top);
			if (i == 0)
				buf_addf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", x, y, STROKE[i]);
			else
				buf_addf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"6\" height=\"6\" fill=\"%s\"/>\n", x - 3,
					 y - 3, STROKE[i]);
		}
	}
}

void chart_daily_svg(struct buf *out, const struct chart_series close[2], const struct chart_series safe[2],
		     long from, long to)
{
	const int h = 290;
	svg_begin(out, h, "Day by day",
		  "How close and how safe each day felt, from 0 to 10, in each partner's daily check-in: closeness "
		  "above, safety below, one line each. The same numbers are in the table beside the chart.");
	if (!close[0].n && !close[1].n && !safe[0].n && !safe[1].n) {
		svg_empty(out, h, "No daily check-ins in these weeks.");
		return;
	}
	legend(out, close, 2, 18);
	daily_panel(out, "How close", close, from, to, 62, 136);
	daily_panel(out, "How safe", safe, from, to, 182, 256);
	day_axis(out, from, to, 262);
	buf_adds(out, "</svg>\n");
}

void chart_daily_table(struct buf *out, const struct chart_series close[2], const struct chart_series safe[2],
		       long from, long to)
{
	html_unsafe_raw(out, "<table class=\"chart-data\"><caption>How close and how safe, by day</caption><thead><tr>"
			     "<th scope=\"col\">Day</th>");
	for (int i = 0; i < 2; i++)
		html(out, "<th scope=\"col\">%s: close</th><th scope=\"col\">%s: safe</th>", close[i].label, safe[i].label);
	html_unsafe_raw(out, "</tr></thead><tbody>\n");
	/* newest day first: the series run oldest first, so walk them from their ends */
	size_t left[4] = { 0, 0, 0, 0 };
	const struct chart_series *all[4] = { &close[0], &safe[0], &close[1], &safe[1] };
	for (long day = to; day >= from; day--) {
		double v[4];
		bool any = false;
		for (int k = 0; k < 4; k++) {
			v[k] = -1;
			while (left[k] < all[k]->n && all[k]->p[all[k]->n - 1 - left[k]].day > day)
				left[k]++;
			if (left[k] < all[k]->n && all[k]->p[all[k]->n - 1 - left[k]].day == day)
				v[k] = all[k]->p[all[k]->n - 1 - left[k]].value;
			any |= v[k] >= 0;
		}
		if (!any)
			continue;
		char d[16];
		struct civil c;
		civil_from_days(day, &c);
		snprintf(d, sizeof(d), "%d %s", c.d, MONTHS[c.m - 1]);
		html(out, "<tr><th scope=\"row\">%s</th>", d);
		for (int k = 0; k < 4; k++) {
			if (v[k] >= 0)
				buf_addf(out, "<td>%.0f</td>", v[k]);
			else
				buf_adds(out, "<td>–</td>");
		}
		buf_adds(out, "</tr>\n");
	}
	html_unsafe_raw(out, "</tbody></table>\n");
}
