/* account_pages.c: the pages for accounts and couples: welcome, log in,
 * sign up (with the recovery code), the couple (create, invite, join),
 * settings (password, sessions, recovery code) and the operator's page.
 * Server-rendered; every form works without JavaScript. */
#include "account.h"
#include "counsel.h"
#include "parting.h"
#include "home.h"

#include <string.h>
#include <time.h>

#include "../app.h"
#include "../auth/password.h"
#include "../auth/throttle.h"
#include "../http/defer.h"
#include "../ui/forms.h"
#include "../ui/zones.h"
#include "couple_zone.h"
#include "../ui/html.h"
#include "../ui/page.h"

static const char *const ROLES[] = {
	"hurt", "I was hurt: my partner broke my trust",
	"accountable", "I broke my partner's trust",
	"both", "Both: we each broke the other's trust",
	NULL,
};

/* Parses the form of a public POST (login, sign-up) once. */
static int form_once(struct req *r)
{
	if (r->form.n)
		return 0;
	return req_form_body(r);
}

static const char *field(struct req *r, const char *name)
{
	const char *v = kv_get(&r->form, name);
	return v && *v ? v : NULL;
}

/* ---- welcome and log in ---- */

static void login_form(struct req *r, const char *username, const char *message)
{
	page_begin(r, "Log in");
	if (message)
		ui_notice(r, "attention", message);
	ui_form_begin(r, "/login");
	ui_input(r, "Username", "username", "text", username, "username", NULL, 1);
	ui_input(r, "Password", "password", "password", NULL, "current-password", NULL, 1);
	ui_form_end(r, "Log in");
	html(&r->out, "<p>New here? <a href=\"/signup\">Make an account</a>.</p>\n");
	page_end(r);
}

void page_login(struct req *r)
{
	if (r->me) {
		req_redirect(r, "/");
		return;
	}
	login_form(r, NULL, NULL);
}

void page_login_post(struct req *r)
{
	char token[SESSION_TOKEN_CHARS + 1];
	if (form_once(r) < 0)
		return;
	const char *u = field(r, "username"), *p = field(r, "password");
	if (!u || !p || strlen(u) > 64 || strlen(p) > 256) {
		r->status = 400;
		login_form(r, u, "Please fill in your username and password.");
		return;
	}
	struct session *s = account_login(r, u, p, false, token);
	if (!s) {
		if (r->defer_fn || r->wait_ms || r->status == 429 || r->status >= 500)
			return; /* deferred, waiting its turn, or answered */
		buf_reset(&r->out);
		r->status = 401;
		login_form(r, u, "That username and password do not match.");
		return;
	}
	session_put(s);
	auth_set_cookie(r, token);
	sodium_memzero(token, sizeof(token));
	req_redirect(r, "/");
}

void page_logout_post(struct req *r)
{
	session_end(r->me->sess);
	auth_set_cookie(r, NULL);
	/* the service worker goes with the session: no reminders reach a
	 * phone someone has logged out of */
	req_header(r, "Clear-Site-Data", "\"storage\"");
	req_redirect(r, "/");
}

/* ---- sign up ---- */

static void signup_form(struct req *r, const char *invite, const char *message, const char *bad_field)
{
	page_begin(r, "Make an account");
	if (message)
		ui_notice(r, "attention", message);
	html(&r->out, "<p>Each of you makes your own account, on your own phone.</p>\n");
	ui_form_begin(r, "/signup");
	ui_input(r, "Username", "username", "text", field(r, "username"), "username",
		 "3 to 32 lowercase letters, digits, dots, dashes or underscores.", 1);
	ui_input(r, "Your name, as your partner will see it", "display_name", "text",
		 field(r, "display_name"), "nickname", NULL, 1);
	ui_input(r, "Password", "password", "password", NULL, "new-password",
		 "At least 12 characters. A few words you will remember works well.", 1);
	ui_input(r, "Invite code", "invite_code", "text", invite, "off",
		 "From your partner, or from whoever runs this server. Not needed for the very first account.", 0);
	ui_radios(r, "If your partner invited you, which is true for you?", "role", ROLES, field(r, "role"));
	ui_form_end(r, "Make my account");
	html(&r->out, "<p>Already have one? <a href=\"/login\">Log in</a>.</p>\n");
	(void)bad_field;
	page_end(r);
}

void page_signup(struct req *r)
{
	const char *invite = kv_get(&r->query, "invite");
	if (r->me) {
		req_redirect(r, invite ? arena_printf(&r->arena, "/couple?invite=%s", invite) : "/");
		return;
	}
	signup_form(r, invite, NULL, NULL);
}

static void recovery_code_page(struct req *r, const char *code, const char *next)
{
	page_begin(r, "Your recovery code");
	html(&r->out,
	     "<p>This code is the only way back into your private notes if you ever forget your "
	     "password. Nobody else can open them: not your partner, and not whoever runs this server.</p>\n"
	     "<p class=\"code\" id=\"recovery-code\">%s</p>\n"
	     "<p>Write it down and keep it somewhere safe and private. We will not show it again.</p>\n"
	     "<form method=\"get\" action=\"%s\"><p class=\"field\"><label>"
	     "<input type=\"checkbox\" name=\"saved\" value=\"1\" required> "
	     "I have written it down somewhere safe</label></p>"
	     "<button type=\"submit\">Continue</button></form>\n",
	     code, next);
	page_end(r);
}

void page_signup_post(struct req *r)
{
	const char *msg;
	if (form_once(r) < 0)
		return;
	const char *u = field(r, "username"), *d = field(r, "display_name"), *p = field(r, "password");
	const char *invite = field(r, "invite_code"), *role = field(r, "role");
	if ((msg = acct_check_username(u)) || (msg = acct_check_display_name(d)) ||
	    (msg = password_check_policy(p ? p : "", p ? strlen(p) : 0)) ||
	    (role && (msg = acct_check_role(role)))) {
		r->status = 400;
		signup_form(r, invite, msg, NULL);
		return;
	}
	long long uid = 0;
	bool joined = false;
	unsigned char ck[VAULT_KEY_BYTES];
	int rc = SQLITE_OK;
	enum acct_err e;
	struct signup_job *job = NULL;
	if (!r->defer_done) {
		/* Cheap answers first, so a guess costs no hashing. */
		int wait = 0;
		e = account_signup_check(r, u, invite, &wait, &rc);
		if (e == ACCT_OK && wait) {
			req_header(r, "Retry-After", arena_printf(&r->arena, "%d", wait));
			r->status = 429;
			signup_form(r, invite, "Too many tries. Please wait a little and try again.", NULL);
			return;
		}
		if (e == ACCT_OK) {
			job = arena_alloc(&r->arena, sizeof(*job));
			job->password = p;
			req_defer(r, signup_job_run, job);
			return;
		}
	} else {
		job = r->defer_arg;
		e = job->failed ? ACCT_DB : acct_signup(&r->app->db, u, d, invite, role, job, &uid, &joined, ck, &rc);
		if (e == ACCT_INVALID_INVITE)
			throttle_fail(arena_printf(&r->arena, "invite:%s", r->client_addr), throttle_now());
	}
	if (e != ACCT_OK) {
		if (job)
			signup_job_wipe(job);
		if (e == ACCT_DB) {
			req_db_error(r, rc);
			return;
		}
		r->status = e == ACCT_USERNAME_TAKEN ? 409 : e == ACCT_INVALID_INVITE ? 404 : 403;
		signup_form(r, invite,
			    e == ACCT_USERNAME_TAKEN ? "That username is taken. Please choose another."
			    : e == ACCT_INVALID_INVITE ? "That invite code does not work. It may be used, expired or mistyped."
			    : "Joining this server needs an invite code. Ask your partner or whoever runs it.",
			    NULL);
		return;
	}
	char token[SESSION_TOKEN_CHARS + 1];
	struct session *s = session_create(uid, job->data_key, joined ? ck : NULL, false,
					   account_session_label(r), token);
	session_put(s);
	auth_set_cookie(r, token);
	sodium_memzero(token, sizeof(token));
	sodium_memzero(ck, sizeof(ck));
	/* a partner invite without a role: join on the couple page */
	const char *next = invite && !joined ? arena_printf(&r->arena, "/couple?invite=%s", invite) : "/";
	recovery_code_page(r, job->recovery, next);
	signup_job_wipe(job);
}

/* ---- home ---- */

void account_home(struct req *r)
{
	const struct viewer *v = r->me;
	if (v->kind == VIEWER_THERAPIST) {
		req_redirect(r, "/therapist");
		return;
	}
	counsel_sync(r, v); /* best effort: the counsellor's copies follow the partner's records */
	page_begin(r, NULL);
	html(&r->out, "<h1>Hello, %s</h1>\n", v->display_name);
	if (!v->sess->data_key)
		ui_notice(r, "attention", "Your private notes are locked after a password reset. "
					  "Enter your recovery code in settings to open them.");
	if (!v->couple_id) {
		parting_home_notice(r);
		html(&r->out, "<p>troth works with two of you. Start your couple, or join your partner "
			      "with the code they gave you.</p>\n<p><a class=\"button\" href=\"/couple\">"
			      "Start or join a couple</a></p>\n");
	} else {
		json_t *c = account_couple_json(r);
		json_t *partner = json_object_get(c, "partner");
		if (json_is_object(partner))
			html(&r->out, "<p class=\"couple\">You and <strong>%s</strong> are on this together.</p>\n",
			     json_string_value(json_object_get(partner, "display_name")));
		else
			html(&r->out, "<p>Your partner has not joined yet. <a href=\"/couple\">Invite them</a> "
				      "when you both feel ready.</p>\n");
		json_decref(c);
		home_sections_render(r);
	}
	/* a partner in a couple finds everything, logging out too, through
	 * the tab bar and More */
	if (!v->couple_id) {
		html_unsafe_raw(&r->out, "<nav class=\"menu\" aria-label=\"Account\"><a href=\"/couple\">Our couple</a> "
					 "<a href=\"/settings\">Settings</a>");
		if (v->is_operator)
			html_unsafe_raw(&r->out, " <a href=\"/operator\">Server</a>");
		html_unsafe_raw(&r->out, "</nav>\n");
		ui_form_begin(r, "/logout");
		ui_form_end(r, "Log out");
	}
	page_end(r);
}

/* ---- the couple ---- */

static void invite_block(struct req *r, const char *code)
{
	/* the link starts with the configured public URL, never the Host header */
	const char *link = app_url(&r->arena, &r->app->cfg, arena_printf(&r->arena, "/signup?invite=%s", code));
	html(&r->out, "<p>Give your partner this code. It works once, for seven days.</p>\n"
		      "<p class=\"code\" id=\"invite-code\">%s</p>\n", code);
	html(&r->out, "<p>Or send them this link: <span class=\"code-link\">%s</span></p>\n", link);
}

void page_couple(struct req *r)
{
	const struct viewer *v = r->me;
	const char *invite = kv_get(&r->query, "invite");
	page_begin(r, "Our couple");
	if (v->couple_id) {
		json_t *c = account_couple_json(r);
		json_t *partner = json_object_get(c, "partner");
		if (json_is_object(partner)) {
			html(&r->out, "<p>You and <strong>%s</strong> are in this couple.</p>\n",
			     json_string_value(json_object_get(partner, "display_name")));
			html(&r->out, "<p>If you have decided to go separate ways, you can "
				      "<a href=\"/couple/part\">end your couple here</a>.</p>\n");
		} else {
			html(&r->out, "<p>Your partner has not joined yet.</p>\n");
			ui_form_begin(r, "/couple/invite");
			ui_form_end(r, "Make a new invite code");
		}
		json_decref(c);
		couple_zone_form(r);
		page_end(r);
		return;
	}
	html(&r->out, "<h2>Join your partner</h2>\n");
	ui_form_begin(r, "/couple/join");
	ui_input(r, "Invite code", "invite_code", "text", invite, "off", "The code your partner gave you.", 1);
	ui_radios(r, "Which is true for you?", "role", ROLES, NULL);
	ui_form_end(r, "Join");
	html(&r->out, "<h2>Or start a couple</h2>\n");
	ui_form_begin(r, "/couple/create");
	ui_radios(r, "Which is true for you?", "role", ROLES, NULL);
	ui_zone_select(r, "Your time zone", "timezone", NULL,
		       "Days and weeks are counted in this zone. You can change it later.", true);
	ui_form_end(r, "Start our couple");
	page_end(r);
}

static void couple_error(struct req *r, enum acct_err e, int rc, const char *msg)
{
	if (e == ACCT_DB) {
		req_db_error(r, rc);
		return;
	}
	r->status = e == ACCT_INVALID_INVITE ? 404 : e == ACCT_OK ? 400 : 409;
	page_begin(r, "Our couple");
	ui_notice(r, "attention", msg ? msg
		  : e == ACCT_INVALID_INVITE ? "That invite code does not work. It may be used, expired or mistyped."
		  : e == ACCT_ALREADY_IN_COUPLE ? "You are already in a couple."
		  : e == ACCT_COUPLE_FULL ? "Your partner has joined already."
		  : e == ACCT_LOCKED ? "Your private notes are locked. Enter your recovery code in settings first."
		  : "That did not work.");
	html(&r->out, "<p><a href=\"/couple\">Back</a></p>\n");
	page_end(r);
}

/* After creating or joining a couple: on success the session keeps the
 * couple key (ck is wiped) and true; else the error page and false. */
static bool couple_entered(struct req *r, enum acct_err e, int rc, unsigned char ck[VAULT_KEY_BYTES])
{
	if (e != ACCT_OK) {
		couple_error(r, e, rc, NULL);
		return false;
	}
	session_set_couple_key(r->me->user_id, ck);
	sodium_memzero(ck, VAULT_KEY_BYTES);
	return true;
}

void page_couple_create_post(struct req *r)
{
	const char *role = field(r, "role"), *tz = field(r, "timezone"), *msg;
	unsigned char ck[VAULT_KEY_BYTES];
	char code[INVITE_CODE_SIZE];
	long long cid = 0;
	int rc = SQLITE_OK;
	if ((msg = acct_check_role(role)) || (msg = acct_check_timezone(tz))) {
		couple_error(r, ACCT_OK, 0, msg);
		return;
	}
	enum acct_err e = acct_couple_create(&r->app->db, r->me->user_id, role, tz, r->me->sess->data_key,
					     ck, code, &cid, &rc);
	if (!couple_entered(r, e, rc, ck))
		return;
	page_begin(r, "Your couple is ready");
	invite_block(r, code);
	html(&r->out, "<p><a href=\"/\">Go to the start page</a></p>\n");
	page_end(r);
}

void page_couple_join_post(struct req *r)
{
	const char *role = field(r, "role"), *code = field(r, "invite_code"), *msg;
	const char *tkey = arena_printf(&r->arena, "invite:%s", r->client_addr);
	unsigned char ck[VAULT_KEY_BYTES];
	long long cid = 0;
	int rc = SQLITE_OK;
	if ((msg = acct_check_role(role))) {
		couple_error(r, ACCT_OK, 0, msg);
		return;
	}
	int wait = throttle_wait(tkey, &THROTTLE_INVITE, throttle_now());
	if (wait) {
		req_header(r, "Retry-After", arena_printf(&r->arena, "%d", wait));
		couple_error(r, ACCT_OK, 0, "Too many tries. Please wait a little and try again.");
		r->status = 429;
		return;
	}
	enum acct_err e = acct_couple_join(&r->app->db, r->me->user_id, code, role, r->me->sess->data_key,
					   ck, &cid, &rc);
	if (e == ACCT_INVALID_INVITE)
		throttle_fail(tkey, throttle_now());
	if (!couple_entered(r, e, rc, ck))
		return;
	req_redirect(r, "/");
}

void page_couple_invite_post(struct req *r)
{
	char code[INVITE_CODE_SIZE];
	int rc = SQLITE_OK;
	enum acct_err e = acct_couple_invite(&r->app->db, r->me->user_id, r->me->sess->couple_key, code, &rc);
	if (e != ACCT_OK) {
		couple_error(r, e, rc, NULL);
		return;
	}
	page_begin(r, "A new invite code");
	html(&r->out, "<p>Any earlier code no longer works.</p>\n");
	invite_block(r, code);
	html(&r->out, "<p><a href=\"/\">Go to the start page</a></p>\n");
	page_end(r);
}

/* ---- settings ---- */

static void settings_page(struct req *r, const char *notice_kind, const char *notice)
{
	struct session list[64];
	size_t n = session_list(r->me->user_id, list, 64);
	page_begin(r, "Settings");
	if (notice)
		ui_notice(r, notice_kind, notice);
	html(&r->out, "<h2>Password</h2>\n");
	ui_form_begin(r, "/settings/password");
	ui_input(r, "Current password", "current_password", "password", NULL, "current-password", NULL, 1);
	ui_input(r, "New password", "new_password", "password", NULL, "new-password",
		 "At least 12 characters.", 1);
	ui_form_end(r, "Change my password");
	html(&r->out, "<p>Changing it logs you out everywhere else.</p>\n");

	html(&r->out, "<h2>Where you are logged in</h2>\n<ul class=\"sessions\">\n");
	for (size_t i = 0; i < n; i++) {
		html(&r->out, "<li>%s%s ", list[i].label, list[i].id == r->me->sess->id ? " (this one)" : "");
		if (list[i].id != r->me->sess->id) {
			ui_form_begin(r, "/settings/sessions/end");
			html(&r->out, "<input type=\"hidden\" name=\"id\" value=\"%lld\">", list[i].id);
			ui_form_end(r, "Log it out");
		}
		html(&r->out, "</li>\n");
	}
	html(&r->out, "</ul>\n");
	if (n > 1) {
		ui_form_begin(r, "/settings/sessions/end");
		html(&r->out, "<input type=\"hidden\" name=\"id\" value=\"others\">");
		ui_form_end(r, "Log out everywhere else");
	}

	html(&r->out, "<h2>Recovery code</h2>\n");
	if (r->me->sess->data_key) {
		html(&r->out, "<p>If you lost your recovery code, make a new one. The old one stops working.</p>\n");
		ui_form_begin(r, "/settings/recovery-code");
		ui_input(r, "Your current password", "password", "password", NULL, "current-password", NULL, 1);
		ui_form_end(r, "Make a new recovery code");
	} else {
		html(&r->out, "<p>Your private notes are locked after a password reset. Your recovery code "
			      "opens them again.</p>\n");
		ui_form_begin(r, "/settings/recover");
		ui_input(r, "Recovery code", "recovery_code", "text", NULL, "off", NULL, 1);
		ui_input(r, "Your current password", "password", "password", NULL, "current-password", NULL, 1);
		ui_form_end(r, "Open my notes");
	}
	if (r->me->couple_id)
		html(&r->out, "<h2>Reminders</h2>\n<p><a href=\"/settings/reminders\">Reminders on this phone</a>: "
			      "only when something is still to do, in words that say nothing.</p>\n");
	html(&r->out, "<h2>Your data</h2>\n<p><a href=\"/settings/data\">Your data</a>: take a copy of your words, "
		      "or close your account.</p>\n");
	page_end(r);
}

/* The end of a password re-check (done as the account_* checks answer):
 * false while it waits, after a storage error, or when the password was
 * wrong (the settings page again with wrong, 403); true when it passed. */
static bool password_passed(struct req *r, int done, const char *wrong)
{
	if (r->defer_done && done == 0) {
		r->status = 403;
		settings_page(r, "attention", wrong);
	}
	return r->defer_done && done > 0;
}

void page_settings(struct req *r)
{
	settings_page(r, NULL, NULL);
}

void page_password_post(struct req *r)
{
	const char *old = field(r, "current_password"), *new_pw = field(r, "new_password"), *msg;
	if (!old || strlen(old) > 256) {
		r->status = 400;
		settings_page(r, "attention", "Please give your current password.");
		return;
	}
	if ((msg = password_check_policy(new_pw ? new_pw : "", new_pw ? strlen(new_pw) : 0))) {
		r->status = 400;
		settings_page(r, "attention", msg);
		return;
	}
	int ended = 0;
	if (!password_passed(r, account_change_password(r, old, new_pw, &ended),
			     "Your current password was not right."))
		return;
	settings_page(r, "celebrate", "Your password is changed. You are logged out everywhere else.");
}

void page_recovery_post(struct req *r)
{
	const char *password = field(r, "password");
	char code[VAULT_RECOVERY_CODE_SIZE];
	if (!r->me->sess->data_key) {
		r->status = 409;
		settings_page(r, "attention", "Open your notes with your recovery code first.");
		return;
	}
	if (!password || strlen(password) > 256) {
		r->status = 403;
		settings_page(r, "attention", "A new recovery code needs your current password.");
		return;
	}
	if (!password_passed(r, account_new_recovery(r, password, code),
			     "Your current password was not right. Your recovery code is unchanged."))
		return;
	recovery_code_page(r, code, "/settings");
	sodium_memzero(code, sizeof(code));
}

void page_recover_post(struct req *r)
{
	const char *code = field(r, "recovery_code"), *password = field(r, "password");
	if (!code || !password || strlen(code) > 80 || strlen(password) > 256) {
		r->status = 400;
		settings_page(r, "attention", "Please give your recovery code and your current password.");
		return;
	}
	char token[SESSION_TOKEN_CHARS + 1];
	bool passed = password_passed(r, account_recover(r, code, password, token),
				      "That recovery code or password did not work. Please check and try again.");
	sodium_memzero(token, sizeof(token));
	if (passed)
		req_redirect(r, "/settings");
}

void page_sessions_end_post(struct req *r)
{
	const char *id = field(r, "id");
	if (id && !strcmp(id, "others")) {
		session_end_user(r->me->user_id, r->me->sess->id);
	} else if (id) {
		char *end;
		long long n = strtoll(id, &end, 10);
		if (*end || session_end_id(r->me->user_id, n) < 0) {
			r->status = 404;
			settings_page(r, "attention", "That session has already ended.");
			return;
		}
	}
	req_redirect(r, "/settings");
}

/* ---- the operator ---- */

static void operator_page(struct req *r, const char *code)
{
	sqlite3 *c = db_reader(&r->app->db);
	page_begin(r, "This server");
	html(&r->out, "<p>You run this server. You see accounts, never what anyone writes.</p>\n");
	if (code) {
		html(&r->out, "<p>A new signup code (one person, seven days):</p><p class=\"code\" id=\"signup-code\">%s</p>\n",
		     code);
	}
	ui_form_begin(r, "/operator/codes");
	ui_form_end(r, "Make a signup code");
	html(&r->out, "<h2>Accounts</h2>\n<table><thead><tr><th scope=\"col\">Username</th>"
		      "<th scope=\"col\">Name</th><th scope=\"col\">In a couple</th><th scope=\"col\">State</th>"
		      "</tr></thead><tbody>\n");
	sqlite3_stmt *st = c ? acct_users_list(c) : NULL;
	while (st && sqlite3_step(st) == SQLITE_ROW)
		html(&r->out, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
		     (const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 2),
		     sqlite3_column_int(st, 5) ? "yes" : "no",
		     sqlite3_column_int(st, 4) ? "disabled" : sqlite3_column_int(st, 3) ? "operator" : "active");
	db_done(st);
	html(&r->out, "</tbody></table>\n<p>To disable an account or reset a password, use "
		      "<code>troth user</code> on the server.</p>\n");
	page_end(r);
}

void page_operator(struct req *r)
{
	operator_page(r, NULL);
}

void page_operator_code_post(struct req *r)
{
	char code[INVITE_CODE_SIZE];
	if (!req_db_ok(r, acct_signup_code(&r->app->db, r->me->user_id, code)))
		return;
	operator_page(r, code);
}
