/* routes.c: the one route table of troth, and the list of rooms. Each
 * route: method, pattern, handler, flags (checked centrally in
 * http_dispatch before the handler). Each room with a couple's rows gives
 * its room_sql (db/db.h) to troth_rooms[] at the end. */
#include "http/router.h"
#include "http/static.h"
#include "features/schedule.h"
#include "features/record_setting.h"
#include "features/account.h"
#include "features/appreciation.h"
#include "features/calfeed.h"
#include "features/couple_zone.h"
#include "features/checkin.h"
#include "features/connection.h"
#include "features/counsel.h"
#include "features/daily.h"
#include "features/harness.h"
#include "features/health.h"
#include "features/home.h"
#include "features/quickexit.h"
#include "features/more.h"
#include "features/records.h"
#include "features/trigger.h"
#include "features/harddate.h"
#include "features/truth.h"
#include "features/notes.h"
#include "features/parting.h"
#include "features/journal.h"
#include "features/promise.h"
#include "features/resources.h"
#include "features/rituals.h"
#include "features/vulnerability.h"
#include "features/roadmap.h"
#include "features/safety.h"
#include "features/readiness.h"
#include "features/agreement.h"
#include "features/insights.h"
#include "features/transparency.h"
#include "features/vision.h"
#include "features/recovery.h"
#include "features/guidance.h"
#include "features/yourdata.h"
#include "features/push.h"

const struct route troth_routes[] = {
	{ "GET", "/", home_page, R_KEEP },
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
	{ "POST", "/couple/timezone", couple_zone_post, R_COUPLE | R_CSRF }, /* features/couple_zone.c */
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
	{ "PUT", "/api/v1/couple/timezone", couple_zone_api_put, R_COUPLE | R_JSON },
	{ "POST", "/api/v1/couple/invite", api_couple_invite, R_COUPLE },
	{ "POST", "/api/v1/signup-codes", api_signup_codes, R_OPERATOR },

	/* parting ways and closing an account: features/parting.c */
	{ "GET", "/couple/part", parting_page, R_COUPLE },
	{ "POST", "/couple/part", parting_post, R_COUPLE | R_CSRF },
	{ "GET", "/settings/delete", parting_close_page, R_LOGIN },
	{ "POST", "/settings/delete", parting_close_post, R_LOGIN | R_CSRF },
	{ "GET", "/keepsakes", parting_keepsakes_page, R_LOGIN },
	{ "POST", "/api/v1/couple/part", parting_api_part, R_COUPLE | R_JSON },
	{ "POST", "/api/v1/couple/leave", parting_api_part, R_COUPLE | R_JSON },
	{ "DELETE", "/api/v1/me", parting_api_close, R_LOGIN | R_JSON },
	{ "GET", "/api/v1/keepsakes", parting_api_keepsakes, R_LOGIN },

	/* check-ins: features/checkin.c */
	{ "GET", "/checkins", checkin_page, R_COUPLE },
	{ "POST", "/checkins", checkin_post, R_COUPLE | R_CSRF },
	{ "GET", "/checkins/history", checkin_history_page, R_COUPLE | R_KEEP },
	{ "POST", "/api/v1/checkins", checkin_api_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/checkins", checkin_api_list, R_COUPLE | R_KEEP },
	{ "PUT", "/api/v1/checkins/:week", checkin_api_edit, R_COUPLE | R_JSON },
	/* the daily check-in: features/daily.c */
	{ "GET", "/daily", daily_page, R_COUPLE },
	{ "POST", "/daily", daily_post, R_COUPLE | R_CSRF },
	{ "POST", "/api/v1/daily-checkins", daily_api_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/daily-checkins", daily_api_list, R_COUPLE },
	{ "PUT", "/api/v1/daily-checkins/:day", daily_api_change, R_COUPLE | R_JSON },
	/* daily appreciation: features/appreciation.c */
	{ "GET", "/appreciations", appreciation_page, R_COUPLE },
	{ "POST", "/appreciations", appreciation_post, R_COUPLE | R_CSRF },
	{ "POST", "/api/v1/appreciations", appreciation_api_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/appreciations", appreciation_api_list, R_COUPLE },
	/* vulnerability sharing, at /sharing: features/vulnerability.c */
	{ "GET", "/sharing", vulnerability_page, R_COUPLE },
	{ "POST", "/sharing", vulnerability_post, R_COUPLE | R_CSRF },
	{ "POST", "/sharing/:id/heard", vulnerability_heard_post, R_COUPLE | R_CSRF },
	{ "POST", "/api/v1/vulnerabilities", vulnerability_api_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/vulnerabilities", vulnerability_api_list, R_COUPLE },
	{ "POST", "/api/v1/vulnerabilities/:id/heard", vulnerability_api_heard, R_COUPLE },
	/* time together, at /together and /api/v1/connections: features/connection.c */
	{ "GET", "/together", connection_page, R_COUPLE },
	{ "POST", "/together", connection_post, R_COUPLE | R_CSRF },
	{ "POST", "/api/v1/connections", connection_api_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/connections", connection_api_list, R_COUPLE },
	/* the ritual schedule: features/rituals.c */
	{ "GET", "/rituals", rituals_page, R_COUPLE },
	{ "POST", "/rituals", rituals_post, R_COUPLE | R_CSRF },
	{ "GET", "/api/v1/rituals", rituals_api_get, R_COUPLE },
	{ "PUT", "/api/v1/rituals", rituals_api_put, R_COUPLE | R_JSON },
	/* the calendar feed, /calendar/:token and its link under /rituals/calendar:
	 * features/calfeed.c */
	{ "POST", "/rituals/calendar", rituals_calendar_post, R_COUPLE | R_CSRF },
	{ "POST", "/rituals/calendar/delete", rituals_calendar_delete_post, R_COUPLE | R_CSRF },
	{ "GET", "/calendar/:token", calfeed_page, 0 },
	{ "POST", "/api/v1/calendar-feed", calfeed_api_create, R_COUPLE },
	{ "DELETE", "/api/v1/calendar-feed", calfeed_api_delete, R_COUPLE },

	/* the records hub: features/records.c */
	{ "GET", "/records", records_page, R_COUPLE },

	/* triggers and trigger plans: features/trigger.c */
	{ "GET", "/triggers", trigger_page, R_COUPLE },
	{ "POST", "/triggers", trigger_post, R_COUPLE | R_CSRF },
	{ "POST", "/triggers/:id/seen", trigger_seen_post, R_COUPLE | R_CSRF },
	{ "GET", "/triggers/plans", trigger_plans_page, R_COUPLE },
	{ "POST", "/triggers/plans", trigger_plans_post, R_COUPLE | R_CSRF },
	{ "POST", "/triggers/plans/:id/versions/:v/accept", trigger_plans_accept_post, R_COUPLE | R_CSRF },
	{ "POST", "/triggers/plans/:id/versions/:v/decline", trigger_plans_decline_post, R_COUPLE | R_CSRF },
	{ "POST", "/api/v1/triggers", trigger_api_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/triggers", trigger_api_list, R_COUPLE },
	{ "POST", "/api/v1/trigger-plans", trigger_plans_api_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/trigger-plans", trigger_plans_api_list, R_COUPLE },
	{ "PUT", "/api/v1/trigger-plans/:id", trigger_plans_api_update, R_COUPLE | R_JSON },
	{ "POST", "/api/v1/trigger-plans/:id/versions/:v/accept", trigger_plans_api_accept, R_COUPLE },
	{ "POST", "/api/v1/trigger-plans/:id/versions/:v/decline", trigger_plans_api_decline, R_COUPLE },

	/* hard dates: features/harddate.c */
	{ "GET", "/hard-dates", harddate_page, R_COUPLE },
	{ "POST", "/hard-dates", harddate_post, R_COUPLE | R_CSRF },
	{ "POST", "/hard-dates/notice", harddate_notice_post, R_COUPLE | R_CSRF },
	{ "POST", "/api/v1/hard-dates", harddate_api_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/hard-dates", harddate_api_list, R_COUPLE },
	{ "PUT", "/api/v1/hard-dates/notice", harddate_api_notice, R_COUPLE | R_JSON },

	/* disclosures and no contact: features/truth.c (their dates are record
	 * settings, features/record_setting.c; the lists are notes) */
	{ "GET", "/disclosures", disclosure_page, R_COUPLE },
	{ "POST", "/disclosures", disclosure_post, R_COUPLE | R_CSRF },
	{ "POST", "/disclosures/full", disclosure_date_post, R_COUPLE | R_CSRF },
	{ "GET", "/no-contact", nocontact_page, R_COUPLE },
	{ "POST", "/no-contact", nocontact_post, R_COUPLE | R_CSRF },
	{ "POST", "/no-contact/breaches", nocontact_breach_post, R_COUPLE | R_CSRF },
	{ "PUT", "/api/v1/disclosure", disclosure_api_set, R_COUPLE | R_JSON },
	{ "POST", "/api/v1/disclosures", disclosure_api_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/disclosures", disclosure_api_list, R_COUPLE },
	{ "PUT", "/api/v1/no-contact", nocontact_api_set, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/no-contact", nocontact_api_get, R_COUPLE },
	{ "POST", "/api/v1/no-contact/breaches", nocontact_api_breach, R_COUPLE | R_JSON },

	/* promises: features/promise.c */
	{ "GET", "/promises", promise_page, R_COUPLE },
	{ "POST", "/promises", promise_post, R_COUPLE | R_CSRF },
	{ "POST", "/promises/:id/outcome", promise_outcome_post, R_COUPLE | R_CSRF },
	{ "POST", "/api/v1/promises", promise_api_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/promises", promise_api_list, R_COUPLE },
	{ "POST", "/api/v1/promises/:id/outcome", promise_api_outcome, R_COUPLE | R_JSON },

	/* small wins, setbacks, the trust timeline: features/notes.c */
	{ "GET", "/wins", wins_page, R_COUPLE },
	{ "POST", "/wins", wins_post, R_COUPLE | R_CSRF },
	{ "GET", "/setbacks", setbacks_page, R_COUPLE },
	{ "POST", "/setbacks", setbacks_post, R_COUPLE | R_CSRF },
	{ "GET", "/timeline", timeline_page, R_COUPLE },
	{ "POST", "/timeline", timeline_post, R_COUPLE | R_CSRF },
	{ "POST", "/api/v1/wins", wins_api_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/wins", wins_api_list, R_COUPLE },
	{ "POST", "/api/v1/setbacks", setbacks_api_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/setbacks", setbacks_api_list, R_COUPLE },
	{ "POST", "/api/v1/timeline", timeline_api_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/timeline", timeline_api_list, R_COUPLE },

	/* the private journal: features/journal.c */
	{ "GET", "/journal", journal_page, R_COUPLE },
	{ "POST", "/journal", journal_post, R_COUPLE | R_CSRF },
	{ "POST", "/journal/:id/share", journal_share_post, R_COUPLE | R_CSRF },
	{ "POST", "/api/v1/journal", journal_api_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/journal", journal_api_list, R_COUPLE },
	{ "GET", "/api/v1/journal/shared", journal_api_shared_list, R_COUPLE },
	{ "GET", "/api/v1/journal/:id", journal_api_get, R_COUPLE },
	{ "POST", "/api/v1/journal/:id/share", journal_api_share, R_COUPLE },

	/* the road and each partner's steps: features/roadmap.c */
	{ "GET", "/roadmap", roadmap_page, R_COUPLE },
	{ "GET", "/roadmap/steps/:number", roadmap_step_page, R_COUPLE },
	{ "POST", "/roadmap/steps/:number", roadmap_step_post, R_COUPLE | R_CSRF },
	{ "GET", "/api/v1/roadmap", roadmap_api_get, R_COUPLE },
	{ "PUT", "/api/v1/roadmap/steps/:number", roadmap_api_step_put, R_COUPLE | R_JSON },
	/* the private safety check: features/safety.c (/safety itself, help
	 * and safety, is features/resources.c) */
	{ "GET", "/safety/check", safety_check_page, R_LOGIN },
	{ "POST", "/safety/check", safety_check_post, R_LOGIN | R_CSRF },
	{ "POST", "/safety/check/forget", safety_forget_post, R_LOGIN | R_CSRF },
	{ "GET", "/api/v1/safety", safety_api_get, R_LOGIN },
	{ "PUT", "/api/v1/safety", safety_api_put, R_LOGIN | R_JSON },
	{ "DELETE", "/api/v1/safety", safety_api_delete, R_LOGIN },
	/* readiness: features/readiness.c */
	{ "GET", "/readiness", readiness_page, R_COUPLE },
	{ "POST", "/readiness", readiness_post, R_COUPLE | R_CSRF },
	{ "GET", "/api/v1/readiness", readiness_api_get, R_COUPLE },
	{ "PUT", "/api/v1/readiness", readiness_api_put, R_COUPLE | R_JSON },
	/* agreements and their versions: features/agreement.c */
	{ "GET", "/agreements", agreement_page, R_COUPLE },
	{ "POST", "/agreements", agreement_post, R_COUPLE | R_CSRF },
	{ "POST", "/agreements/:id/versions", agreement_version_post, R_COUPLE | R_CSRF },
	{ "POST", "/agreements/:id/versions/:v/accept", agreement_accept_post, R_COUPLE | R_CSRF },
	{ "POST", "/agreements/:id/versions/:v/decline", agreement_decline_post, R_COUPLE | R_CSRF },
	{ "GET", "/api/v1/agreements", agreement_api_list, R_COUPLE },
	{ "POST", "/api/v1/agreements", agreement_api_create, R_COUPLE | R_JSON },
	{ "POST", "/api/v1/agreements/:id/versions", agreement_api_version_create, R_COUPLE | R_JSON },
	{ "POST", "/api/v1/agreements/:id/versions/:v/accept", agreement_api_version_accept, R_COUPLE },
	{ "POST", "/api/v1/agreements/:id/versions/:v/decline", agreement_api_version_decline, R_COUPLE },
	/* transparency plans, whereabouts reports and who looked:
	 * features/transparency.c */
	{ "GET", "/transparency", transparency_page, R_COUPLE },
	{ "POST", "/transparency", transparency_post, R_COUPLE | R_CSRF },
	{ "POST", "/transparency/reports", transparency_report_post, R_COUPLE | R_CSRF },
	{ "POST", "/transparency/:id/stop", transparency_stop_post, R_COUPLE | R_CSRF },
	{ "POST", "/transparency/:id/agree", transparency_agree_post, R_COUPLE | R_CSRF },
	{ "POST", "/transparency/:id/decline", transparency_decline_post, R_COUPLE | R_CSRF },
	{ "GET", "/api/v1/transparency", transparency_api_list, R_COUPLE },
	{ "POST", "/api/v1/transparency", transparency_api_create, R_COUPLE | R_JSON },
	{ "POST", "/api/v1/transparency/:id/stop", transparency_api_stop, R_COUPLE },
	{ "POST", "/api/v1/transparency/:id/agree", transparency_api_agree, R_COUPLE },
	{ "POST", "/api/v1/transparency/:id/decline", transparency_api_decline, R_COUPLE },
	{ "GET", "/api/v1/transparency/:id/views", transparency_api_views, R_COUPLE },
	{ "POST", "/api/v1/whereabouts", transparency_api_whereabouts_create, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/whereabouts", transparency_api_whereabouts_list, R_COUPLE },
	/* the shared vision and its items: features/vision.c */
	{ "GET", "/vision", vision_page, R_COUPLE },
	{ "POST", "/vision", vision_post, R_COUPLE | R_CSRF },
	{ "POST", "/vision/items", vision_item_post, R_COUPLE | R_CSRF },
	{ "POST", "/vision/items/:id", vision_item_update_post, R_COUPLE | R_CSRF },
	{ "GET", "/api/v1/vision", vision_api_get, R_COUPLE },
	{ "PUT", "/api/v1/vision", vision_api_put, R_COUPLE | R_JSON },
	{ "POST", "/api/v1/vision/items", vision_api_item_create, R_COUPLE | R_JSON },
	{ "PUT", "/api/v1/vision/items/:id", vision_api_item_update, R_COUPLE | R_JSON },
	/* what "recovered" means for us, /recovery: features/recovery.c */
	{ "GET", "/recovery", recovery_page, R_COUPLE },
	{ "POST", "/recovery", recovery_post, R_COUPLE | R_CSRF },
	{ "POST", "/recovery/:id/tick", recovery_tick_post, R_COUPLE | R_CSRF },
	{ "GET", "/api/v1/recovery-criteria", recovery_api_list, R_COUPLE },
	{ "POST", "/api/v1/recovery-criteria", recovery_api_create, R_COUPLE | R_JSON },
	{ "PUT", "/api/v1/recovery-criteria/:id/tick", recovery_api_tick, R_COUPLE | R_JSON },
	/* the counsellor, the partners' side at /counsellor and the
	 * counsellor's at /therapist: features/counsel.c */
	{ "GET", "/counsellor", counsel_page, R_COUPLE },
	{ "POST", "/counsellor/invite", counsel_invite_post, R_COUPLE | R_CSRF },
	{ "POST", "/counsellor/agree", counsel_agree_post, R_COUPLE | R_CSRF },
	{ "POST", "/counsellor/withdraw", counsel_withdraw_post, R_COUPLE | R_CSRF },
	{ "POST", "/counsellor/sharing", counsel_sharing_post, R_COUPLE | R_CSRF },
	{ "POST", "/counsellor/safety", counsel_safety_post, R_COUPLE | R_CSRF },
	{ "POST", "/counsellor/sessions", counsel_session_post, R_COUPLE | R_CSRF },
	{ "POST", "/counsellor/items", counsel_item_post, R_COUPLE | R_CSRF },
	{ "POST", "/counsellor/suggestions/:id/dismiss", counsel_dismiss_post, R_COUPLE | R_CSRF },
	{ "GET", "/api/v1/counsellor", counsel_api_get, R_COUPLE },
	{ "POST", "/api/v1/counsellor/invite", counsel_api_invite, R_COUPLE },
	{ "POST", "/api/v1/counsellor/agree", counsel_api_agree, R_COUPLE },
	{ "POST", "/api/v1/counsellor/withdraw", counsel_api_withdraw, R_COUPLE },
	{ "PUT", "/api/v1/counsellor/sharing", counsel_api_sharing, R_COUPLE | R_JSON },
	{ "POST", "/api/v1/counsellor/safety", counsel_api_safety_send, R_COUPLE },
	{ "DELETE", "/api/v1/counsellor/safety", counsel_api_safety_delete, R_COUPLE },
	{ "POST", "/api/v1/counsellor/sessions", counsel_api_session, R_COUPLE | R_JSON },
	{ "POST", "/api/v1/counsellor/items", counsel_api_item_send, R_COUPLE | R_JSON },
	{ "DELETE", "/api/v1/counsellor/items/:kind/:id", counsel_api_item_delete, R_COUPLE },
	{ "GET", "/api/v1/counsellor/suggestions", counsel_api_suggestions, R_COUPLE },
	{ "POST", "/api/v1/counsellor/suggestions/:id/dismiss", counsel_api_dismiss, R_COUPLE },
	{ "GET", "/therapist/signup", therapist_signup_page, 0 },
	{ "POST", "/therapist/signup", therapist_signup_post, 0 },
	{ "GET", "/therapist", therapist_page, R_LOGIN },
	{ "POST", "/therapist/join", therapist_join_post, R_LOGIN | R_CSRF },
	{ "GET", "/therapist/couples/:id", therapist_couple_page, R_LOGIN },
	{ "GET", "/therapist/couples/:id/report", therapist_report_page, R_LOGIN },
	{ "POST", "/therapist/couples/:id/sessions", therapist_session_post, R_LOGIN | R_CSRF },
	{ "POST", "/therapist/couples/:id/suggestions", therapist_suggest_post, R_LOGIN | R_CSRF },
	{ "POST", "/api/v1/therapist/accounts", therapist_api_signup, R_JSON },
	{ "POST", "/api/v1/therapist/join", therapist_api_join, R_LOGIN | R_JSON },
	{ "GET", "/api/v1/therapist/couples", therapist_api_couples, R_LOGIN },
	{ "GET", "/api/v1/therapist/couples/:id", therapist_api_couple, R_LOGIN },
	{ "GET", "/api/v1/therapist/couples/:id/report", therapist_api_report, R_LOGIN },
	{ "POST", "/api/v1/therapist/couples/:id/sessions", therapist_api_session, R_LOGIN | R_JSON },
	{ "POST", "/api/v1/therapist/couples/:id/suggestions", therapist_api_suggest, R_LOGIN | R_JSON },
	/* guidance pages: features/guidance.c */
	{ "GET", "/guidance/counselling", page_guidance_counselling, 0 },
	{ "GET", "/guidance/children", page_guidance_children, 0 },
	{ "GET", "/guidance/walking-away", page_guidance_walking_away, 0 },

	/* insights and the language coach: features/insights.c */
	{ "GET", "/insights", page_insights, R_COUPLE | R_KEEP },
	{ "POST", "/insights/discovery", page_insights_discovery_post, R_COUPLE | R_CSRF },
	{ "POST", "/insights/factors", page_insights_factors_post, R_COUPLE | R_CSRF },
	{ "GET", "/charts/:name", page_chart, R_COUPLE },
	{ "GET", "/api/v1/insights", api_insights_get, R_COUPLE | R_KEEP },
	{ "PUT", "/api/v1/insights/discovery", api_insights_discovery_put, R_COUPLE | R_JSON },
	{ "GET", "/api/v1/insights/factors", api_insights_factors_get, R_COUPLE },
	{ "PUT", "/api/v1/insights/factors", api_insights_factors_put, R_COUPLE | R_JSON },
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

	/* reminders by Web Push (features/push.c); the service worker that
	 * shows them (http/static.c) */
	{ "GET", "/sw.js", static_worker, 0 },
	{ "GET", "/settings/reminders", push_page, R_COUPLE },
	{ "POST", "/settings/reminders", push_prefs_post, R_COUPLE | R_CSRF },
	{ "POST", "/settings/reminders/remove", push_remove_post, R_COUPLE | R_CSRF },
	{ "POST", "/settings/reminders/app-name", push_app_name_post, R_COUPLE | R_CSRF },
	{ "GET", "/api/v1/push/subscriptions", push_api_list, R_COUPLE },
	{ "POST", "/api/v1/push/subscriptions", push_api_subscribe, R_COUPLE | R_JSON },
	{ "DELETE", "/api/v1/push/subscriptions/:id", push_api_remove, R_COUPLE },
	{ "GET", "/api/v1/push/preferences", push_api_prefs_get, R_COUPLE },
	{ "PUT", "/api/v1/push/preferences", push_api_prefs_put, R_COUPLE | R_JSON },
#ifdef TROTH_TEST_ROUTES
	{ "POST", "/api/v1/_test/push/tick", push_test_tick, R_JSON | R_TEST },
#endif

	/* your data: the export (features/yourdata.c) */
	{ "GET", "/settings/data", yourdata_page, R_LOGIN },
	{ "POST", "/settings/data/export", yourdata_export_post, R_LOGIN | R_CSRF },
	{ "POST", "/api/v1/export", yourdata_api_export, R_LOGIN | R_JSON },
	{ "POST", "/api/v1/export.html", yourdata_api_export_html, R_LOGIN | R_JSON },
};

const size_t troth_routes_len = sizeof(troth_routes) / sizeof(troth_routes[0]);

/* After a partner's write that worked: the counsellor's copies follow what
 * the partner shares (features/counsel.c; nothing is written when nothing
 * shared changed). */
void (*const troth_after_write)(struct req *r) = counsel_after_write;

/* Every room with a couple's rows, for parting and closing an account
 * (features/keepsake.c), in the order their rows are deleted: a room whose
 * rows point at another's comes first. */
const struct room_sql *const troth_rooms[] = {
	&push_sql, &counsel_sql, &transparency_sql, &agreement_sql, &recovery_sql, &vision_sql, &readiness_sql, &roadmap_sql,
	&journal_sql, &promise_sql, &notes_sql, &record_setting_sql, &harddate_sql, &trigger_sql,
	&insights_sql, &calfeed_sql, &schedule_sql, &connection_sql, &vulnerability_sql,
	&appreciation_sql, &daily_sql, &checkin_sql, &safety_sql,
};
const size_t troth_rooms_len = sizeof(troth_rooms) / sizeof(troth_rooms[0]);
