/* routes.c: the one route table of troth. Each row: method, pattern,
 * handler, flags (checked centrally in http_dispatch before the handler). */
#include "http/router.h"
#include "http/static.h"
#include "features/account.h"
#include "features/harness.h"
#include "features/health.h"
#include "features/home.h"
#include "features/resources.h"

const struct route troth_routes[] = {
	{ "GET", "/", home_page, 0 },
	{ "GET", "/healthz", health_check, 0 },
	{ "GET", "/safety", resources_page, 0 },
	{ "GET", "/static/:name", static_serve, 0 },

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

	/* records (issue 5): triggers and plans, hard dates, disclosures, no
	 * contact, promises, wins and setbacks, timeline, journal */

	/* roadmap, readiness, safety, agreements, transparency, vision, recovery
	 * criteria, guidance (issue 6) */

#ifdef TROTH_TEST_ROUTES
	{ "POST", "/api/v1/_test/records", harness_write, R_JSON | R_TEST },
	{ "GET", "/api/v1/_test/records", harness_list, R_TEST },
#endif
};

const size_t troth_routes_len = sizeof(troth_routes) / sizeof(troth_routes[0]);
