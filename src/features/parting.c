/* parting.c: parting ways as a couple and closing an account (see
 * parting.h): the one transaction that ends a couple, its pages and its API.
 * What each person keeps is keepsake.c's; the accounts are auth/account.c's. */
#include "parting.h"
#include "account.h"
#include "keepsake.h"
#include "readiness.h"

#include <string.h>

#include <sodium.h>

#include "../app.h"
#include "../auth/auth.h"
#include "../base/caltime.h"
#include "../db/db.h"
#include "../http/jsonin.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"
#include "../ui/words.h"

#define PASSWORD_MAX 256

/* Not in a couple, as a transaction's answer. */
#define NO_COUPLE SQLITE_NOTFOUND
/* Closing the account of the server's last operator, as a transaction's
 * answer: refused, so the server is never left with nobody to run it. */
#define LAST_OPERATOR SQLITE_PERM

static const char LAST_OPERATOR_WORDS[] =
	"You look after this server, and nobody else does yet. Before you close your account, "
	"make another account an operator: troth user make-operator USERNAME, on the server.";

struct ending {
	long long who;       /* the person ending the couple or closing */
	bool closing;        /* closing the account, not only the couple */
	bool leave_copy;     /* closing: the partner keeps what they wrote together */
	const unsigned char *data_key; /* theirs, NULL while locked */
	long long now;
	char today[11];
	/* filled in: the couple and its members */
	long long couple_id;
	struct acct_member m[2];
	size_t n;
};

/* Ends e->who's couple, and closes their account when e->closing. */
static int end_couple(sqlite3 *w, void *arg)
{
	struct ending *e = arg;
	bool last = false;
	int rc = e->closing ? acct_is_last_operator(w, e->who, &last) : SQLITE_OK;
	if (rc == SQLITE_OK && last)
		return LAST_OPERATOR;
	if (rc == SQLITE_OK)
		rc = acct_couple_members(w, e->who, &e->couple_id, e->m, &e->n);
	if (rc != SQLITE_OK)
		return rc;
	if (!e->couple_id && !e->closing)
		return NO_COUPLE;
	for (size_t i = 0; rc == SQLITE_OK && i < e->n; i++) {
		long long uid = e->m[i].user_id;
		if (uid == e->who && e->closing)
			continue;
		long long skip = e->closing && !e->leave_copy ? e->who : 0;
		rc = keepsake_keep(w, e->couple_id, uid, e->m[i].couple_key, e->m[i].couple_key_len, skip, e->now,
				   e->today);
		if (rc == SQLITE_OK)
			rc = keepsake_notice_store(w, uid, e->closing ? "closed" : "parted", e->now);
	}
	if (rc == SQLITE_OK && e->couple_id)
		rc = keepsake_clear_couple(w, e->couple_id);
	if (rc == SQLITE_OK && e->couple_id)
		rc = acct_couple_end(w, e->couple_id);
	if (rc == SQLITE_OK && !e->closing && e->data_key)
		rc = keepsake_settle(w, e->who, e->data_key);
	if (rc == SQLITE_OK && e->closing)
		rc = keepsake_forget_user(w, e->who);
	if (rc == SQLITE_OK && e->closing)
		rc = acct_forget_user(w, e->who);
	return rc;
}

/* Runs end_couple for the viewer; afterwards no live session holds the
 * couple key, and a closed account has no session left. Returns SQLITE_OK,
 * NO_COUPLE or a storage error. */
static int end_for_viewer(struct req *r, bool closing, bool leave_copy)
{
	struct ending e = { .who = r->me->user_id, .closing = closing, .leave_copy = leave_copy,
			    .data_key = r->me->sess->data_key, .now = (long long)r->now };
	date_format(viewer_today(r), e.today);
	int rc = db_write(&r->app->db, end_couple, &e);
	if (rc == SQLITE_OK) {
		for (size_t i = 0; i < e.n; i++)
			session_set_couple_key(e.m[i].user_id, NULL);
		r->me->couple_id = 0;
		r->me->partner_id = 0;
		r->me->couple_key = NULL;
		if (closing) {
			session_end_user(e.who, 0);
			db_checkpoint(&r->app->db);
		}
	}
	sodium_memzero(e.m, sizeof(e.m));
	return rc;
}

/* The password of a JSON body into *pw. 0, or -1 after answering 400. */
static int json_password(struct req *r, const char *const *fields, const char **pw)
{
	return jin_only(r, r->json, fields) < 0 || jin_str(r, r->json, "password", true, PASSWORD_MAX, pw) < 0
	       ? -1 : 0;
}

/* After a password check: 1 to go on; 0 when the handler is done (deferred,
 * answered, or the password was wrong: then 403 reauth_failed). */
static int api_password_ok(struct req *r, const char *pw)
{
	int done = account_check_password(r, pw);
	if (!r->defer_done || done < 0)
		return 0;
	if (done == 0) {
		req_error(r, 403, "reauth_failed", "Your password was not right.", "password");
		return 0;
	}
	return 1;
}

void parting_api_part(struct req *r)
{
	static const char *const fields[] = { "password", NULL };
	const char *pw;
	if (json_password(r, fields, &pw) < 0 || !api_password_ok(r, pw))
		return;
	int rc = end_for_viewer(r, false, false);
	if (rc == NO_COUPLE) {
		account_error(r, ACCT_NOT_IN_COUPLE, 0);
		return;
	}
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_json(r, 200, json_pack("{s:n, s:s}", "couple", "ended", "parted"));
}

void parting_api_close(struct req *r)
{
	static const char *const fields[] = { "password", "leave_copy_for_partner", NULL };
	const char *pw;
	json_t *copy = json_object_get(r->json, "leave_copy_for_partner");
	if (json_password(r, fields, &pw) < 0)
		return;
	if (copy && !json_is_boolean(copy)) {
		req_error(r, 400, "invalid_field", "Say true or false.", "leave_copy_for_partner");
		return;
	}
	if (!api_password_ok(r, pw))
		return;
	int rc = end_for_viewer(r, true, json_is_true(copy));
	if (rc == LAST_OPERATOR) {
		req_error(r, 409, "last_operator", LAST_OPERATOR_WORDS, NULL);
		return;
	}
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	r->status = 204;
}

/* "Your time together in troth has ended" and its kin, by how it ended. */
static const char *ended_words(const char *how)
{
	return !strcmp(how, "closed")
	       ? "Your partner has closed their troth account, so your couple here has ended. "
		 "What you wrote is still yours."
	       : "Your time together in troth has ended. What you wrote, and what you shared, "
		 "is kept for you alone, from your time together.";
}

static const char *when_words(struct req *r, long long at)
{
	return words_day(&r->arena, viewer_day_of(r, at));
}

/* What the keepsake readers show: the viewer's keepsakes, how many still
 * wait for their keys, and how the couple ended (how is NULL until then). */
struct keepsakes_view {
	struct keepsake *k;
	long n, waiting;
	const char *how;
	long long at;
};

/* Reads the viewer's keepsakes_view; false once an error is answered. */
static bool keepsakes_read(struct req *r, struct keepsakes_view *v)
{
	v->n = keepsake_list(r, &v->k, &v->waiting);
	if (v->n < 0)
		return false;
	/* readiness answers are kept as the room stored them: said in words */
	for (long i = 0; i < v->n; i++)
		if (!strcmp(v->k[i].kind, "readiness"))
			v->k[i].text = readiness_words(&r->arena, v->k[i].text);
	v->at = 0;
	v->how = keepsake_notice(r, &v->at);
	return true;
}

void parting_api_keepsakes(struct req *r)
{
	struct keepsakes_view v;
	if (!keepsakes_read(r, &v))
		return;
	json_t *a = json_array();
	char t[21];
	for (long i = 0; i < v.n; i++) {
		instant_format((time_t)v.k[i].at, t);
		json_array_append_new(a, json_pack("{s:I, s:s, s:b, s:s, s:s?, s:s}", "id", (json_int_t)v.k[i].id,
						   "kind", v.k[i].kind, "mine", v.k[i].mine, "written_at", t, "text",
						   v.k[i].text, "label", "from our time together"));
	}
	json_t *ended = json_null();
	if (v.how) {
		instant_format((time_t)v.at, t);
		ended = json_pack("{s:s, s:s, s:s}", "how", v.how, "ended_at", t, "message", ended_words(v.how));
	}
	req_json(r, 200, json_pack("{s:o, s:i, s:o}", "ended", ended, "waiting", (int)v.waiting, "keepsakes", a));
}

/* ---- pages ---- */

static const char *page_password(struct req *r)
{
	const char *v = kv_get(&r->form, "password");
	return v && *v && strlen(v) <= PASSWORD_MAX ? v : NULL;
}

static void part_form(struct req *r, const char *notice)
{
	page_begin(r, "Part ways");
	if (notice)
		ui_notice(r, "attention", notice);
	html(&r->out, "<p>Sometimes the kindest choice is to go separate ways. That can be a healthy ending too.</p>\n"
		      "<h2>What happens</h2>\n<ul>\n"
		      "<li>Your couple in troth ends, for both of you, as soon as you confirm.</li>\n"
		      "<li>Each of you keeps your own private notes, and a copy of what you shared. "
		      "They are marked \"from our time together\" and only you can open yours.</li>\n"
		      "<li>The key you shared is destroyed. Calendar feeds and any openness plan stop now.</li>\n"
		      "<li>%s will see that your time together here has ended. Nothing else is said.</li>\n"
		      "<li>Afterwards you can take your words with you, close your account, or start again "
		      "with a new invite.</li>\n</ul>\n", viewer_partner_word(r, true));
	ui_form_begin(r, "/couple/part");
	ui_input(r, "Your password", "password", "password", NULL, "current-password",
		 "To be sure it is you.", 1);
	ui_form_end(r, "End our couple");
	html(&r->out, "<p><a href=\"/couple\">Not now, go back</a></p>\n");
	page_end(r);
}

void parting_page(struct req *r)
{
	part_form(r, NULL);
}

/* The password of a page's form, checked again: 1 to go on; 0 when the
 * handler is done (deferred, answered, or wrong: form shown again with a
 * notice). */
static int page_password_ok(struct req *r, void (*form)(struct req *r, const char *notice))
{
	const char *pw = page_password(r);
	if (!pw) {
		r->status = 400;
		form(r, "Please type your password to confirm.");
		return 0;
	}
	int done = account_check_password(r, pw);
	if (!r->defer_done || done < 0)
		return 0;
	if (done == 0) {
		r->status = 403;
		form(r, "That password was not right. Nothing has changed.");
		return 0;
	}
	return 1;
}

void parting_post(struct req *r)
{
	if (!page_password_ok(r, part_form))
		return;
	int rc = end_for_viewer(r, false, false);
	req_redirect_after(r, rc == NO_COUPLE ? SQLITE_OK : rc, "/keepsakes");
}

static void close_form(struct req *r, const char *notice)
{
	static const char *const choices[] = { "no", "No, take everything with me", "yes",
					       "Yes, leave my partner a copy", NULL };
	page_begin(r, "Close my account");
	if (notice)
		ui_notice(r, "attention", notice);
	html(&r->out, "<p>Closing your account erases it for good. It cannot be undone.</p>\n"
		      "<h2>What is erased</h2>\n<ul>\n"
		      "<li>Your private notes, your keys and your recovery code.</li>\n"
		      "<li>Every place you are logged in, your calendar feed and your safety check.</li>\n"
		      "<li>What you kept from an earlier couple.</li>\n</ul>\n");
	if (r->me->couple_id) {
		html(&r->out, "<p>Your couple ends too. %s is told only that your account was closed.</p>\n"
			      "<p>What you wrote together goes with you, unless you leave a copy. A copy stays for "
			      "%s alone, and only they can open it.</p>\n",
		     viewer_partner_word(r, true), viewer_partner_word(r, false));
	}
	html(&r->out, "<p>If you want your words, <a href=\"/settings\">take a copy from Settings</a> first.</p>\n");
	ui_form_begin(r, "/settings/delete");
	if (r->me->couple_id)
		ui_radios(r, "Leave a copy of what you wrote together?", "leave_copy", choices, "no");
	ui_input(r, "Your password", "password", "password", NULL, "current-password", "To be sure it is you.", 1);
	ui_form_end(r, "Close my account");
	html(&r->out, "<p><a href=\"/settings\">Not now, go back</a></p>\n");
	page_end(r);
}

void parting_close_page(struct req *r)
{
	close_form(r, NULL);
}

void parting_close_post(struct req *r)
{
	const char *copy = kv_get(&r->form, "leave_copy");
	if (!page_password_ok(r, close_form))
		return;
	int rc = end_for_viewer(r, true, copy && !strcmp(copy, "yes"));
	if (rc == LAST_OPERATOR) {
		r->status = 409;
		close_form(r, LAST_OPERATOR_WORDS);
		return;
	}
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	auth_set_cookie(r, NULL);
	page_begin(r, "Your account is closed");
	html(&r->out, "<p>Everything of yours has been erased. Take good care of yourself.</p>\n"
		      "<p><a href=\"/safety\">Help and support</a> is still here if you need it.</p>\n");
	page_end(r);
}

/* Words for a keepsake's record kind. */
static const char *kind_words(const char *kind)
{
	static const char *const W[][2] = {
		{ "appreciation", "An appreciation" }, { "vulnerability", "Something shared" },
		{ "connection", "Time together" }, { "trigger_plan", "A plan for a hard moment" },
		{ "trigger", "A hard moment" }, { "hard_date", "A hard date" }, { "win", "A win" },
		{ "setback", "A setback" }, { "timeline", "Our timeline" },
		{ "disclosure", "Something that came to light" }, { "breach", "Contact" },
		{ "no_contact", "No contact" }, { "promise", "A promise" }, { "journal", "My journal" },
		{ "journal_share", "A journal page shared" }, { "roadmap", "A note on the road" },
		{ "readiness", "Readiness" }, { "agreement", "An agreement" },
		{ "transparency", "An openness plan" }, { "whereabouts", "Whereabouts" },
		{ "vision", "Five years from now" }, { "vision_item", "Our vision" },
		{ "recovery_criterion", "A goal" }, { "checkin", "A check-in" },
		{ "daily", "A daily check-in" },
	};
	for (size_t i = 0; i < sizeof(W) / sizeof(W[0]); i++)
		if (!strcmp(W[i][0], kind))
			return W[i][1];
	return "A note";
}

void parting_keepsakes_page(struct req *r)
{
	struct keepsakes_view v;
	if (!keepsakes_read(r, &v))
		return;
	page_begin(r, "From our time together");
	if (v.how)
		html(&r->out, "<p>%s</p>\n", ended_words(v.how));
	if (v.waiting)
		ui_notice(r, "attention", auth_locked_text);
	if (!v.n && !v.waiting)
		html(&r->out, "<p>Nothing is kept here.</p>\n");
	html(&r->out, "<ul class=\"keepsakes\">\n");
	for (long i = 0; i < v.n; i++) {
		html(&r->out, "<li><p><strong>%s</strong>, %s, %s.</p>\n<p class=\"prewrap\">%s</p></li>\n", kind_words(v.k[i].kind),
		     v.k[i].mine ? "by you" : "by your partner", when_words(r, v.k[i].at),
		     v.k[i].text ? v.k[i].text : "This one could not be opened.");
	}
	html(&r->out, "</ul>\n<p><a href=\"/\">Home</a></p>\n");
	page_end(r);
}

void parting_home_notice(struct req *r)
{
	/* the couple key kept for this person goes as soon as they are back */
	keepsake_settle_viewer(r);
	long long at = 0;
	const char *how = keepsake_notice(r, &at);
	if (!how)
		return;
	html(&r->out, "<p class=\"ended\">%s</p>\n<p><a href=\"/keepsakes\">From our time together</a></p>\n",
	     ended_words(how));
}
