/* routes.c: the one route table of troth. Each row: method, pattern,
 * handler, flags (checked centrally in http_dispatch before the handler). */
#include "http/router.h"
#include "http/static.h"
#include "features/account.h"
#include "features/checkin.h"
#include "features/harness.h"
#include "features/health.h"
#include "features/home.h"
#include "features/quickexit.h"
#include "features/more.h"
#include "features/records.h"
#include "features/resources.h"
#include "features/rituals.h"
#include "features/roadmap.h"
#include "features/safety.h"
#include "features/readiness.h"
#include "features/agreement.h"
#include "features/insights.h"
#include "features/transparency.h"
#include "features/vision.h"
#include "features/recovery.h"
#include "features/guidance.h"

const struct route troth_routes[] = {
	{ "GET", "/", home_page, 0 },
	{ "GET", "/healthz", health_check, 0 },
	{ "GET", "/safety", resources_page, 0 },
	{ "GET", "/static/:name", static_serve, 0 },
	{ "GET", "/favicon.ico", static_favicon, 0 },
	{ "GET", "/leave", quickexit_page, 0 }, /* features/quickexit.c */
	{ "GET", "/more", more_page, R_LOGIN }, /* features/more.c */
	{ "GET", "/api/v1/openapi.json", static_openapi, 0 }, /* http/static.c: docs/openapi.yaml */

	/* accounts, sessions, couples: pages */
	{ "GET", "/login", page_login, 0 },
	{ "POST", "/login", page_login_post, 0 },
	{ "POST", "/logout", page_logout_post, R_LOGIN | R_CSRF },
	{ "GET", "/signup", page_signup, 0 },
	{ "POST", "/signup", page_signup_post, 0 },
	{ "GET", "/couple", page_couple, R_LOGIN },
	{ "POST", "/couple/create", page_couple_create_post, R_LOGIN | R_CSRF },
	{ "POST", "/couple/join", page_couple_join_post, R_LOGIN | R_CSRF },
	{ "POST", "/couple/invite", page_couple_invite_post, R_COUPLE | R_CSRF },
	{ "GET", "/settings", page_settings, R_LOGIN },
	{ "POST", "/settings/password", page_password_post, R_LOGIN | R_CSRF },
	{ "POST", "/settings/recovery-code", page_recovery_post, R_LOGIN | R_CSRF },
	{ "POST", "/settings/recover", page_recover_post, R_LOGIN | R_CSRF },
	{ "POST", "/settings/sessions/end", page_sessions_end_post, R_LOGIN | R_CSRF },
	{ "GET", "/operator", page_operator, R_OPERATOR },
	{ "POST", "/operator/codes", page_operator_code_post, R_OPERATOR | R_CSRF },

	/* accounts, sessions, couples: API */
	{ "POST", "/api/v1/accounts", api_account_create, R_JSON },
	{ "POST", "/api/v1/sessions", api_session_create, R_JSON },
	{ "GET", "/api/v1/sessions", api_sessions_list, R_LOGIN },
	{ "DELETE", "/api/v1/sessions/current", api_session_delete_current, R_LOGIN },
	{ "POST", "/api/v1/sessions/end-others", api_sessions_end_others, R_LOGIN },
	{ "DELETE", "/api/v1/sessions/:id", api_session_delete, R_LOGIN },
	{ "GET", "/api/v1/me", api_me, R_LOGIN },
	{ "PUT", "/api/v1/me/password", api_me_password, R_LOGIN | R_JSON },
	{ "POST", "/api/v1/me/recovery-code", api_me_recovery_code, R_LOGIN },
	{ "POST", "/api/v1/me/recover", api_me_recover, R_LOGIN | R_JSON },
	{ "POST", "/api/v1/couple", api_couple_create, R_LOGIN | R_JSON },
	{ "POST", "/api/v1/couple/join", api_couple_join, R_LOGIN | R_JSON },
	{ "POST", "/api/v1/couple/invite", api_couple_invite, R_COUPLE },
	{ "POST", "/api/v1/couple/leave", api_couple_leave, R_COUPLE },
	{ "POST", "/api/v1/signup-codes", api_signup_codes, R_OPERATOR },

	/* rituals (issue 4): check-ins, appreciation, vulnerability, connection,
	 * schedule, calendar feed */
	{ "GET", "/checkins", page_checkins, R_COUPLE },
	{ "POST", "/checkins", page_checkins_post, R_COUPLE | R_CSRF },
	{ "GET", "/checkins/history", page_checkins_history, R_COUPLE },
	{ "GET", "/appreciations", page_appreciations, R_COUPLE },
	{ "POST", "/appreciations", page_appreciations_post, R_COUPLE | R_CSRF },
	{ "GET", "/sharing", page_sharing, R_COUPLE },
	{ "POST", "/sharing", page_sharing_post, R_COUPLE | R_CSRF },
	{ "POST", "/sharing/:id/heard", page_sharing_heard_post, R_COUPLE | R_CSRF },
	{ "GET", "/together", page_together, R_COUPLE },
	{ "POST", "/together", page_together_post, R_COUPLE | R_CSRF },
	{ "GET", "/rituals", page_rituals, R_COUPLE },
	{ "POST", "/rituals", page_rituals_post, R_COUPLE | R_CSRF },
	{ "POST", "/rituals/calendar", page_calendar_post, R_COUPLE | R_CSRF },
	{ "POST", "/rituals/calendar/delete", page_calendar_delete_post, R_COUPLE | R_CSRF },
	{ "GET", "/calendar/:token", calendar_feed_serve, 0 },
	{ "POST", "/api/v1/checkins", api_checkins_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/checkins", api_checkins_list, R_COUPLE },
	{ "PUT", "/api/v1/checkins/:week", api_checkins_edit, R_COUPLE | R_JSON },
	{ "POST", "/api/v1/appreciations", api_appreciations_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/appreciations", api_appreciations_list, R_COUPLE },
	{ "POST", "/api/v1/vulnerabilities", api_vulnerabilities_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/vulnerabilities", api_vulnerabilities_list, R_COUPLE },
	{ "POST", "/api/v1/vulnerabilities/:id/heard", api_vulnerability_heard, R_COUPLE },
	{ "POST", "/api/v1/connections", api_connections_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/connections", api_connections_list, R_COUPLE },
	{ "GET", "/api/v1/rituals", api_rituals_get, R_COUPLE },
	{ "PUT", "/api/v1/rituals", api_rituals_put, R_COUPLE | R_JSON },
	{ "POST", "/api/v1/calendar-feed", api_calendar_feed_create, R_COUPLE },
	{ "DELETE", "/api/v1/calendar-feed", api_calendar_feed_delete, R_COUPLE },

	/* records (issue 5): triggers and plans, hard dates, disclosures, no
	 * contact, promises, wins and setbacks, timeline, journal */
	{ "GET", "/records", records_page, R_COUPLE },
	{ "GET", "/triggers", trigger_page, R_COUPLE },
	{ "POST", "/triggers", trigger_post, R_COUPLE | R_CSRF },
	{ "GET", "/triggers/plans", trigger_plans_page, R_COUPLE },
	{ "POST", "/triggers/plans", trigger_plans_post, R_COUPLE | R_CSRF },
	{ "GET", "/hard-dates", hard_dates_page, R_COUPLE },
	{ "POST", "/hard-dates", hard_dates_post, R_COUPLE | R_CSRF },
	{ "POST", "/hard-dates/notice", hard_dates_notice_post, R_COUPLE | R_CSRF },
	{ "GET", "/disclosures", disclosure_page, R_COUPLE },
	{ "POST", "/disclosures", disclosure_post, R_COUPLE | R_CSRF },
	{ "POST", "/disclosures/full", disclosure_date_post, R_COUPLE | R_CSRF },
	{ "GET", "/no-contact", nocontact_page, R_COUPLE },
	{ "POST", "/no-contact", nocontact_post, R_COUPLE | R_CSRF },
	{ "POST", "/no-contact/breaches", nocontact_breach_post, R_COUPLE | R_CSRF },
	{ "GET", "/promises", promise_page, R_COUPLE },
	{ "POST", "/promises", promise_post, R_COUPLE | R_CSRF },
	{ "POST", "/promises/:id/outcome", promise_outcome_post, R_COUPLE | R_CSRF },
	{ "GET", "/wins", wins_page, R_COUPLE },
	{ "POST", "/wins", wins_post, R_COUPLE | R_CSRF },
	{ "GET", "/setbacks", setbacks_page, R_COUPLE },
	{ "POST", "/setbacks", setbacks_post, R_COUPLE | R_CSRF },
	{ "GET", "/timeline", timeline_page, R_COUPLE },
	{ "POST", "/timeline", timeline_post, R_COUPLE | R_CSRF },
	{ "GET", "/journal", journal_page, R_COUPLE },
	{ "POST", "/journal", journal_post, R_COUPLE | R_CSRF },
	{ "POST", "/journal/:id/share", journal_share_post, R_COUPLE | R_CSRF },
	{ "POST", "/api/v1/triggers", api_triggers_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/triggers", api_triggers_list, R_COUPLE },
	{ "POST", "/api/v1/trigger-plans", api_trigger_plans_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/trigger-plans", api_trigger_plans_list, R_COUPLE },
	{ "PUT", "/api/v1/trigger-plans/:id", api_trigger_plans_update, R_COUPLE | R_JSON },
	{ "POST", "/api/v1/hard-dates", api_hard_dates_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/hard-dates", api_hard_dates_list, R_COUPLE },
	{ "PUT", "/api/v1/hard-dates/notice", api_hard_dates_notice, R_COUPLE | R_JSON },
	{ "PUT", "/api/v1/disclosure", api_disclosure_set, R_COUPLE | R_JSON },
	{ "POST", "/api/v1/disclosures", api_disclosures_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/disclosures", api_disclosures_list, R_COUPLE },
	{ "PUT", "/api/v1/no-contact", api_nocontact_set, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/no-contact", api_nocontact_get, R_COUPLE },
	{ "POST", "/api/v1/no-contact/breaches", api_nocontact_breach, R_COUPLE | R_JSON },
	{ "POST", "/api/v1/promises", api_promises_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/promises", api_promises_list, R_COUPLE },
	{ "POST", "/api/v1/promises/:id/outcome", api_promise_outcome, R_COUPLE | R_JSON },
	{ "POST", "/api/v1/wins", api_wins_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/wins", api_wins_list, R_COUPLE },
	{ "POST", "/api/v1/setbacks", api_setbacks_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/setbacks", api_setbacks_list, R_COUPLE },
	{ "POST", "/api/v1/timeline", api_timeline_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/timeline", api_timeline_list, R_COUPLE },
	{ "POST", "/api/v1/journal", api_journal_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/journal", api_journal_list, R_COUPLE },
	{ "GET", "/api/v1/journal/shared", api_journal_shared_list, R_COUPLE },
	{ "GET", "/api/v1/journal/:id", api_journal_get, R_COUPLE },
	{ "POST", "/api/v1/journal/:id/share", api_journal_share, R_COUPLE },

	/* roadmap, readiness, safety, agreements, transparency, vision, recovery
	 * criteria, guidance (issue 6) */
	{ "GET", "/roadmap", page_roadmap, R_COUPLE },
	{ "GET", "/roadmap/steps/:number", page_roadmap_step, R_COUPLE },
	{ "POST", "/roadmap/steps/:number", page_roadmap_step_post, R_COUPLE | R_CSRF },
	{ "GET", "/api/v1/roadmap", api_roadmap_get, R_COUPLE },
	{ "PUT", "/api/v1/roadmap/steps/:number", api_roadmap_step_put, R_COUPLE | R_JSON },
	{ "GET", "/safety/check", page_safety_check, R_LOGIN },
	{ "POST", "/safety/check", page_safety_check_post, R_LOGIN | R_CSRF },
	{ "POST", "/safety/check/forget", page_safety_forget_post, R_LOGIN | R_CSRF },
	{ "GET", "/api/v1/safety", api_safety_get, R_LOGIN },
	{ "PUT", "/api/v1/safety", api_safety_put, R_LOGIN | R_JSON },
	{ "DELETE", "/api/v1/safety", api_safety_delete, R_LOGIN },
	{ "GET", "/readiness", page_readiness, R_COUPLE },
	{ "POST", "/readiness", page_readiness_post, R_COUPLE | R_CSRF },
	{ "GET", "/api/v1/readiness", api_readiness_get, R_COUPLE },
	{ "PUT", "/api/v1/readiness", api_readiness_put, R_COUPLE | R_JSON },
	{ "GET", "/agreements", page_agreements, R_COUPLE },
	{ "POST", "/agreements", page_agreement_create_post, R_COUPLE | R_CSRF },
	{ "POST", "/agreements/:id/versions", page_agreement_version_post, R_COUPLE | R_CSRF },
	{ "POST", "/agreements/:id/versions/:v/accept", page_agreement_accept_post, R_COUPLE | R_CSRF },
	{ "GET", "/api/v1/agreements", api_agreements_list, R_COUPLE },
	{ "POST", "/api/v1/agreements", api_agreement_create, R_COUPLE | R_JSON },
	{ "POST", "/api/v1/agreements/:id/versions", api_agreement_version_create, R_COUPLE | R_JSON },
	{ "POST", "/api/v1/agreements/:id/versions/:v/accept", api_agreement_version_accept, R_COUPLE },
	{ "GET", "/transparency", page_transparency, R_COUPLE },
	{ "POST", "/transparency", page_transparency_create_post, R_COUPLE | R_CSRF },
	{ "POST", "/transparency/reports", page_transparency_report_post, R_COUPLE | R_CSRF },
	{ "POST", "/transparency/:id/stop", page_transparency_stop_post, R_COUPLE | R_CSRF },
	{ "GET", "/api/v1/transparency", api_transparency_list, R_COUPLE },
	{ "POST", "/api/v1/transparency", api_transparency_create, R_COUPLE | R_JSON },
	{ "POST", "/api/v1/transparency/:id/stop", api_transparency_stop, R_COUPLE },
	{ "GET", "/api/v1/transparency/:id/views", api_transparency_views, R_COUPLE },
	{ "POST", "/api/v1/whereabouts", api_whereabouts_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/whereabouts", api_whereabouts_list, R_COUPLE },
	{ "GET", "/vision", page_vision, R_COUPLE },
	{ "POST", "/vision", page_vision_post, R_COUPLE | R_CSRF },
	{ "POST", "/vision/items", page_vision_item_post, R_COUPLE | R_CSRF },
	{ "POST", "/vision/items/:id", page_vision_item_update_post, R_COUPLE | R_CSRF },
	{ "GET", "/api/v1/vision", api_vision_get, R_COUPLE },
	{ "PUT", "/api/v1/vision", api_vision_put, R_COUPLE | R_JSON },
	{ "POST", "/api/v1/vision/items", api_vision_item_create, R_COUPLE | R_JSON },
	{ "PUT", "/api/v1/vision/items/:id", api_vision_item_update, R_COUPLE | R_JSON },
	{ "GET", "/recovery", page_recovery_criteria, R_COUPLE },
	{ "POST", "/recovery", page_recovery_criteria_post, R_COUPLE | R_CSRF },
	{ "POST", "/recovery/:id/tick", page_recovery_criteria_tick_post, R_COUPLE | R_CSRF },
	{ "GET", "/api/v1/recovery-criteria", api_recovery_list, R_COUPLE },
	{ "POST", "/api/v1/recovery-criteria", api_recovery_create, R_COUPLE | R_JSON },
	{ "PUT", "/api/v1/recovery-criteria/:id/tick", api_recovery_tick, R_COUPLE | R_JSON },
	{ "GET", "/guidance/counselling", page_guidance_counselling, 0 },
	{ "GET", "/guidance/children", page_guidance_children, 0 },
	{ "GET", "/guidance/walking-away", page_guidance_walking_away, 0 },

	/* insights (issue 7) */
	{ "GET", "/insights", page_insights, R_COUPLE },
	{ "POST", "/insights/discovery", page_insights_discovery_post, R_COUPLE | R_CSRF },
	{ "GET", "/charts/:name", page_chart, R_COUPLE },
	{ "GET", "/api/v1/insights", api_insights_get, R_COUPLE },
	{ "PUT", "/api/v1/insights/discovery", api_insights_discovery_put, R_COUPLE | R_JSON },
	{ "POST", "/api/v1/coach", api_coach_post, R_LOGIN | R_JSON },
	{ "GET", "/api/v1/coach/settings", api_coach_settings_get, R_LOGIN },
	{ "PUT", "/api/v1/coach/settings", api_coach_settings_put, R_LOGIN | R_JSON },
	{ "GET", "/coach", page_coach, R_LOGIN },
	{ "POST", "/coach", page_coach_post, R_LOGIN | R_CSRF },
	{ "POST", "/coach/settings", page_coach_settings_post, R_LOGIN | R_CSRF },

#ifdef TROTH_TEST_ROUTES
	{ "POST", "/api/v1/_test/records", harness_write, R_JSON | R_TEST },
	{ "GET", "/api/v1/_test/records", harness_list, R_TEST },
#endif
};

const size_t troth_routes_len = sizeof(troth_routes) / sizeof(troth_routes[0]);
