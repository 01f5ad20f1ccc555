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
void api_insights_get(struct req *r);
/* PUT /api/v1/insights/discovery {"discovery_on": "YYYY-MM-DD"|null}. */
void api_insights_discovery_put(struct req *r);
/* GET /insights: the page; POST /insights/discovery: the form. */
void page_insights(struct req *r);
void page_insights_discovery_post(struct req *r);
/* GET /charts/:name — name is connection.svg, dimensions.svg, triggers.svg
 * or timeline.svg; image/svg+xml (R_COUPLE). */
void page_chart(struct req *r);

/* POST /api/v1/coach {"text"} → {"enabled", "notes":[…]} (R_LOGIN). */
void api_coach_post(struct req *r);
/* GET, PUT /api/v1/coach/settings {"enabled": bool}. */
void api_coach_settings_get(struct req *r);
void api_coach_settings_put(struct req *r);
/* GET /coach, POST /coach (check a text), POST /coach/settings (switch). */
void page_coach(struct req *r);
void page_coach_post(struct req *r);
void page_coach_settings_post(struct req *r);

/* Home: a quiet link to the insights, with a calm line when a finding
 * needs attention. */
void insights_home(struct req *r);

/* Writes the couple's discovery day ("YYYY-MM-DD", NULL clears it), inside
 * a write transaction. Returns SQLITE_OK or an error. */
int insights_discovery_write(sqlite3 *w, long long couple_id, const char *day, long long by, time_t now);

#endif
