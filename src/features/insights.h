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
/* GET /insights: the page; POST /insights/discovery: the form. */
route_handler page_insights, page_insights_discovery_post;
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

/* What parting and closing an account run on this room's tables. */
extern const struct room_sql insights_sql;

#endif
