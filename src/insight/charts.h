/* charts.h: the "How are we doing" charts as server-rendered SVG (no
 * library, no script), each a complete standalone document with <title>
 * and <desc>, and the same numbers as an HTML table for the page. Every
 * label goes through the HTML writer's escaping; numbers are formatted
 * here. Lines are told apart by dash and marker as well as colour. */
#ifndef TROTH_CHARTS_H
#define TROTH_CHARTS_H

#include <stdbool.h>
#include <stddef.h>

#include "../base/buf.h"
#include "insight.h"

struct chart_point {
	long day;            /* days since 1970-01-01 (a week's Monday for check-ins) */
	double value;
};

struct chart_series {
	const char *label;   /* "You", "Your partner" */
	const struct chart_point *p;
	size_t n;            /* ascending by day */
};

/* One trust dimension: the mean over four weeks ending three months ago
 * ("then") and ending this week ("now"), per partner (0 you, 1 partner);
 * 0 where there is no check-in. */
struct chart_dim {
	const char *label;
	double then[2], now[2];
};

/* A trust-timeline event: a day of the relationship marked high (+1) or low (-1) trust. */
struct chart_event {
	long day;
	int trust;
};

/* Connection (1..10) over time, one line per series. */
void chart_connection_svg(struct buf *out, const struct chart_series *s, size_t ns);
void chart_connection_table(struct buf *out, const struct chart_series *s, size_t ns);

/* The six dimensions, three months ago against now. who[0], who[1] name the partners. */
void chart_dimensions_svg(struct buf *out, const char *const who[2], const struct chart_dim *d, size_t n);
void chart_dimensions_table(struct buf *out, const char *const who[2], const struct chart_dim *d, size_t n);

/* Triggers per month, bar height the count, shade the mean intensity. */
void chart_triggers_svg(struct buf *out, const struct ins_month *m, size_t n);
void chart_triggers_table(struct buf *out, const struct ins_month *m, size_t n);

/* The trust timeline: events of the whole relationship above (high) and
 * below (low) one time axis, the discovery day marked (INS_NONE for none),
 * and the check-in connection lines after it. */
void chart_timeline_svg(struct buf *out, const struct chart_event *e, size_t ne, long discovery,
			const struct chart_series *s, size_t ns);
void chart_timeline_table(struct buf *out, const struct chart_event *e, size_t ne, long discovery);

/* The daily check-in's two numbers (0..10) for days from..to: closeness
 * (close[0] you, close[1] the partner) in one panel and safety (safe[]) in
 * another, one line per partner, over a day axis; each series ascending
 * by day, at most one point a day. The table lists the days newest first. */
void chart_daily_svg(struct buf *out, const struct chart_series close[2], const struct chart_series safe[2],
		     long from, long to);
void chart_daily_table(struct buf *out, const struct chart_series close[2], const struct chart_series safe[2],
		       long from, long to);

#endif
