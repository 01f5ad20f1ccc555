/* insights.h: "How are we doing": the findings of the
 * insight engine over the couple's own records, the charts, the couple's
 * discovery day the timeline counts from, and the language coach with its
 * per-user switch. */
#ifndef TROTH_INSIGHTS_H
#define TROTH_INSIGHTS_H

#include <sqlite3.h>
#include <time.h>

#include "../http/req.h"

/* GET /api/v1/insights: findings and series for the viewer (R_COUPLE). */
route_handler api_insights_get;
/* PUT /api/v1/insights/discovery {"discovery_on": "YYYY-MM-DD"|null}. */
route_handler api_insights_discovery_put;
/* GET, PUT /api/v1/insights/factors {"severity": "brief"|"long"|null,
 * "repeated": "first"|"repeated"|null, "before": "good"|"strained"|null,
 * "commitment": "committed"|"unsure"|null}: the answers the timeline
 * weighs (the first two the couple's, the last two the viewer's own). */
route_handler api_insights_factors_get, api_insights_factors_put;
/* GET /insights: the page; POST /insights/discovery and
 * POST /insights/factors: its forms. */
route_handler page_insights, page_insights_discovery_post, page_insights_factors_post;
/* GET /charts/:name — name is connection.svg, dimensions.svg, triggers.svg
 * or timeline.svg; image/svg+xml (R_COUPLE). */
route_handler page_chart;

/* POST /api/v1/coach {"text"} → {"enabled", "notes":[…]} (R_LOGIN). */
route_handler api_coach_post;
/* GET, PUT /api/v1/coach/settings {"enabled": bool}. */
route_handler api_coach_settings_get, api_coach_settings_put;
/* GET /coach, POST /coach (check a text), POST /coach/settings (switch). */
route_handler page_coach, page_coach_post, page_coach_settings_post;

/* Home: a quiet link to the insights, with a calm line when a finding
 * needs attention. */
route_handler insights_home;

/* Frees the insights kept for the page and its charts (at stop). */
void insights_forget(void);

/* Writes the couple's discovery day ("YYYY-MM-DD", NULL clears it), inside
 * a write transaction. Returns SQLITE_OK or an error. */
int insights_discovery_write(sqlite3 *w, long long couple_id, const char *day, long long by, time_t now);

/* Writes one answer of user_id to a timeline factor ("severity",
 * "repeated", "before", "commitment"; answer one of its two words, NULL
 * clears it), inside a write transaction, sealed under couple_key for the
 * couple's two factors and under the author's data_key for their own. A couple's factor (the first two)
 * keeps one answer for both partners. Returns SQLITE_OK, SQLITE_CONSTRAINT
 * for an unknown factor or answer, or an error. */
/* The export's "timeline_factors": the answers the viewer may see (the
 * couple's, and their own), with the question and the answer in words;
 * NULL after answering an error. */
json_t *insights_factors_export(struct req *r, const struct viewer *v);
int insights_factor_write(sqlite3 *w, const unsigned char *couple_key, const unsigned char *data_key,
			  long long couple_id, long long user_id, const char *factor, const char *answer, time_t now);

/* What parting and closing an account run on this room's tables. */
extern const struct room_sql insights_sql;

#endif
