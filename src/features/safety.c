/* safety.c: the private safety check (see safety.h).
 *
 * One row per user in safety_screen, holding one sealed blob (the answers,
 * the result and when) padded to a fixed size, bound to "safety:<user>".
 * Nothing here reads or writes anything keyed by the couple, so no partner
 * query can ever meet it; the home section reads only the viewer's own row. */
#include "safety.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../app.h"
#include "../auth/auth.h"
#include "../auth/vault.h"
#include "../http/jsonin.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"
#include "featkit.h"
#include "resources.h"

#define SAFETY_PAD 512

struct question {
	const char *key, *text;
	bool required;  /* in the API */
	bool danger;    /* a yes points to abuse or fear */
};

static const struct question QUESTIONS[] = {
	{ "physical", "Has your partner ever pushed, hit, choked or otherwise hurt your body?", true, true },
	{ "emotional", "Does your partner often put you down, humiliate you, or make you doubt your own mind?", true, true },
	{ "verbal", "Does your partner shout at you, call you names or swear at you to frighten you?", true, true },
	{ "afraid", "Are you ever afraid of your partner, or of what they might do?", true, true },
	{ "controlled", "Does your partner control your money, your phone, or who you may see?", false, true },
	{ "threatened", "Has your partner threatened to hurt you, themselves, children or pets, or to take the children?", false, true },
	{ "monitored", "Could someone else be reading this phone or this account?", false, false },
};
#define NQ (sizeof(QUESTIONS) / sizeof(QUESTIONS[0]))

static const char MSG_CONCERN[] =
	"What you told us points to a relationship where you may not be safe. You deserve to be "
	"safe. Where there is abuse or fear, working on things as a couple is not the advice: "
	"couples exercises can make things more dangerous. Support for you on your own comes "
	"first. The people below know how to help, and talking to them is free and confidential.";
static const char MSG_DEVICE[] =
	"A phone or account that someone else can use or check is not a safe place for this. "
	"If you can, use a device only you can reach, and clear this browser's history afterwards. "
	"The Leave quickly button at the top of every page takes you away at once.";
static const char MSG_NONE[] =
	"Thank you for taking a moment for yourself. Nothing you told us points to danger right "
	"now. If that changes, you can come back to this check at any time, or go straight to "
	"help and safety.";

static const char *ad_of(struct req *r)
{
	return arena_printf(&r->arena, "safety:%lld", r->me->user_id);
}

struct screen {
	bool answered;
	bool a[NQ];
	long long at;
};

static bool concern_of(const struct screen *s)
{
	for (size_t i = 0; i < NQ; i++)
		if (s->a[i] && QUESTIONS[i].danger)
			return true;
	return false;
}

static bool device_of(const struct screen *s)
{
	for (size_t i = 0; i < NQ; i++)
		if (s->a[i] && !strcmp(QUESTIONS[i].key, "monitored"))
			return true;
	return false;
}

/* Reads the viewer's own answers. Returns 0 (s->answered false when none,
 * or when they cannot be opened), or -1 after answering a storage error. */
static int load(struct req *r, struct screen *s, bool answer_errors)
{
	memset(s, 0, sizeof(*s));
	if (!r->me->sess->data_key)
		return 0;
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, "SELECT sealed FROM safety_screen WHERE user_id = ?1", "i",
					  r->me->user_id) : NULL;
	if (!st) {
		if (answer_errors)
			fk_db_error(r, c);
		return -1;
	}
	const char *plain = NULL;
	if (sqlite3_step(st) == SQLITE_ROW)
		plain = fk_open_col(r, r->me->sess->data_key, ad_of(r), st, 0);
	sqlite3_finalize(st);
	json_t *j = plain ? json_loads(plain, 0, NULL) : NULL;
	if (j) {
		json_t *ans = json_object_get(j, "answers");
		s->answered = true;
		for (size_t i = 0; i < NQ; i++)
			s->a[i] = json_is_true(json_object_get(ans, QUESTIONS[i].key));
		s->at = json_integer_value(json_object_get(j, "at"));
		json_decref(j);
	}
	return 0;
}

/* Seals and stores the viewer's answers. Returns SQLITE_OK or an error. */
static int store(struct req *r, const struct screen *s)
{
	json_t *ans = json_object();
	for (size_t i = 0; i < NQ; i++)
		json_object_set_new(ans, QUESTIONS[i].key, json_boolean(s->a[i]));
	json_t *j = json_pack("{s:o, s:I}", "answers", ans, "at", (json_int_t)s->at);
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	/* padded, so the stored size says nothing about the answers */
	char padded[SAFETY_PAD + 1];
	size_t n = strlen(text);
	memset(padded, ' ', SAFETY_PAD);
	memcpy(padded, text, n < SAFETY_PAD ? n : SAFETY_PAD);
	padded[SAFETY_PAD] = '\0';
	sodium_memzero(text, n);
	free(text);
	struct buf sealed;
	buf_init(&sealed, SAFETY_PAD + 64);
	if (fk_seal(r->me->sess->data_key, ad_of(r), padded, &sealed) < 0) {
		buf_release(&sealed);
		return SQLITE_ERROR;
	}
	sodium_memzero(padded, sizeof(padded));
	sqlite3 *w = db_write_begin(&r->app->db);
	int rc = db_run(w, "INSERT INTO safety_screen(user_id, sealed) VALUES(?1, ?2)"
			   " ON CONFLICT(user_id) DO UPDATE SET sealed = excluded.sealed",
			"ib", r->me->user_id, sealed.s, sealed.len);
	int erc = db_write_end(&r->app->db, rc == SQLITE_OK);
	buf_release(&sealed);
	return rc != SQLITE_OK ? rc : erc;
}

static json_t *resources_json(void)
{
	json_t *arr = json_array();
	int n = resources_count();
	for (int i = 0; i < n; i++) {
		const struct resource *e = resources_get((size_t)i);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "country", e->country,
						     "name", e->name, "phone", e->phone, "tel", e->tel, "text", e->text,
						     "url", e->url, "note", e->note));
	}
	return arr;
}

static json_t *screen_json(const struct screen *s)
{
	if (!s->answered)
		return json_pack("{s:b}", "answered", 0);
	json_t *ans = json_object();
	for (size_t i = 0; i < NQ; i++)
		json_object_set_new(ans, QUESTIONS[i].key, json_boolean(s->a[i]));
	bool concern = concern_of(s), device = device_of(s);
	return json_pack("{s:b, s:o, s:s, s:b, s:s, s:o, s:I}", "answered", 1, "answers", ans,
			 "result", concern ? "concern" : "no_concern", "device_warning", device,
			 "message", concern ? MSG_CONCERN : device ? MSG_DEVICE : MSG_NONE,
			 "resources", concern || device ? resources_json() : json_array(),
			 "answered_at", (json_int_t)s->at);
}

/* ---- API ---- */

void api_safety_put(struct req *r)
{
	static const char *const fields[] = { "answers", NULL };
	const char *names[NQ + 1];
	struct screen s = { .answered = true, .at = (long long)time(NULL) };
	if (jin_only(r, r->json, fields) < 0)
		return;
	json_t *ans = json_object_get(r->json, "answers");
	if (!json_is_object(ans)) {
		req_error(r, 400, ans ? "invalid_field" : "missing_field", "answers is an object of true/false answers.",
			  "answers");
		return;
	}
	for (size_t i = 0; i < NQ; i++)
		names[i] = QUESTIONS[i].key;
	names[NQ] = NULL;
	if (jin_only(r, ans, names) < 0)
		return;
	for (size_t i = 0; i < NQ; i++)
		if (jin_bool(r, ans, QUESTIONS[i].key, QUESTIONS[i].required, &s.a[i]) < 0)
			return;
	if (!fk_data_key(r))
		return;
	int rc = store(r, &s);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_json(r, 200, screen_json(&s));
}

void api_safety_get(struct req *r)
{
	struct screen s;
	if (!fk_data_key(r) || load(r, &s, true) < 0)
		return;
	req_json(r, 200, screen_json(&s));
}

void api_safety_delete(struct req *r)
{
	sqlite3 *w = db_write_begin(&r->app->db);
	int rc = db_run(w, "DELETE FROM safety_screen WHERE user_id = ?1", "i", r->me->user_id);
	int erc = db_write_end(&r->app->db, rc == SQLITE_OK);
	if (rc != SQLITE_OK || erc != SQLITE_OK) {
		req_db_error(r, rc != SQLITE_OK ? rc : erc);
		return;
	}
	r->status = 204;
	r->content_type = "application/json; charset=utf-8";
}

/* ---- pages ---- */

static void resource_cards(struct req *r)
{
	int n = resources_count();
	html_unsafe_raw(&r->out, "<ul class=\"cards\">\n");
	for (int i = 0; i < n; i++) {
		const struct resource *e = resources_get((size_t)i);
		html(&r->out, "<li class=\"card\"><h3>%s</h3><p class=\"hint\">%s</p>\n", e->name, e->country);
		if (*e->tel)
			html(&r->out, "<p class=\"call\"><a href=\"tel:%s\">%s</a></p>\n", e->tel, e->phone);
		if (*e->text)
			html(&r->out, "<p>%s</p>\n", e->text);
		if (*e->note)
			html(&r->out, "<p>%s</p>\n", e->note);
		if (*e->url)
			html(&r->out, "<p><a href=\"%s\" rel=\"noreferrer\">%s</a></p>\n", e->url, e->url);
		html_unsafe_raw(&r->out, "</li>\n");
	}
	html_unsafe_raw(&r->out, "</ul>\n");
}

static void result_block(struct req *r, const struct screen *s)
{
	bool concern = concern_of(s), device = device_of(s);
	if (concern) {
		html(&r->out, "<section class=\"notice notice-safety\" id=\"safety-result\"><h2>Your safety comes first</h2>"
			      "<p>%s</p>", MSG_CONCERN);
		if (device)
			html(&r->out, "<p>%s</p>", MSG_DEVICE);
		html_unsafe_raw(&r->out, "</section>\n");
		resource_cards(r);
	} else if (device) {
		html(&r->out, "<section class=\"notice notice-safety\" id=\"safety-result\"><p>%s</p></section>\n", MSG_DEVICE);
		resource_cards(r);
	} else {
		html(&r->out, "<section class=\"notice notice-info\" id=\"safety-result\"><p>%s</p></section>\n", MSG_NONE);
	}
}

static const char *const YES_NO[] = { "yes", "Yes", "no", "No", NULL };

static void check_page(struct req *r, const struct screen *s, const char *notice)
{
	page_begin(r, "A private safety check");
	if (notice)
		ui_notice(r, "attention", notice);
	if (s && s->answered)
		result_block(r, s);
	html_unsafe_raw(&r->out,
		"<p>These questions are for you alone. Your answers are locked with your own key: your "
		"partner cannot see them, is not told you answered, and nothing on their side changes. "
		"Not even whoever runs this server can read them.</p>\n");
	ui_form_begin(r, "/safety/check");
	for (size_t i = 0; i < NQ; i++) {
		const char *checked = s && s->answered ? (s->a[i] ? "yes" : "no") : fk_form(r, QUESTIONS[i].key);
		ui_radios(r, QUESTIONS[i].text, QUESTIONS[i].key, YES_NO, checked);
	}
	ui_form_end(r, "See what this means for me");
	if (s && s->answered) {
		html_unsafe_raw(&r->out, "<p>You can remove your answers whenever you like.</p>\n");
		ui_form_begin(r, "/safety/check/forget");
		ui_form_end(r, "Forget my answers");
	}
	html_unsafe_raw(&r->out, "<p><a href=\"/safety\">Help and safety</a></p>\n");
	page_end(r);
}

void page_safety_check(struct req *r)
{
	struct screen s;
	if (!r->me->sess->data_key) {
		check_page(r, NULL, "Your private notes are locked after a password reset. Enter your recovery "
				    "code in settings first; until then your answers cannot be kept.");
		return;
	}
	if (load(r, &s, true) < 0)
		return;
	check_page(r, &s, NULL);
}

void page_safety_check_post(struct req *r)
{
	struct screen s = { .answered = true, .at = (long long)time(NULL) };
	for (size_t i = 0; i < NQ; i++) {
		const char *v = fk_form(r, QUESTIONS[i].key);
		if (!v || (strcmp(v, "yes") && strcmp(v, "no"))) {
			r->status = 400;
			check_page(r, NULL, "Please answer each question with yes or no. If you are not sure, "
					    "choose yes.");
			return;
		}
		s.a[i] = !strcmp(v, "yes");
	}
	if (!r->me->sess->data_key) {
		r->status = 409;
		check_page(r, NULL, "Your private notes are locked. Enter your recovery code in settings first.");
		return;
	}
	int rc = store(r, &s);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_redirect(r, "/safety/check#safety-result");
}

void page_safety_forget_post(struct req *r)
{
	sqlite3 *w = db_write_begin(&r->app->db);
	int rc = db_run(w, "DELETE FROM safety_screen WHERE user_id = ?1", "i", r->me->user_id);
	int erc = db_write_end(&r->app->db, rc == SQLITE_OK);
	if (rc != SQLITE_OK || erc != SQLITE_OK) {
		req_db_error(r, rc != SQLITE_OK ? rc : erc);
		return;
	}
	req_redirect(r, "/safety/check");
}

bool safety_viewer_concern(struct req *r)
{
	struct screen s;
	return load(r, &s, false) == 0 && s.answered && concern_of(&s);
}

void safety_home(struct req *r)
{
	struct screen s;
	if (load(r, &s, false) < 0 || !s.answered || !(concern_of(&s) || device_of(&s))) {
		html_unsafe_raw(&r->out, "<p class=\"hint\"><a href=\"/safety/check\">A private safety check</a>: "
					 "a few questions only you will see.</p>\n");
		return;
	}
	html(&r->out, "<section class=\"notice notice-safety\"><h2>Your safety comes first</h2><p>%s</p>"
		      "<p><a href=\"/safety/check#safety-result\">Who can help</a></p></section>\n",
	     concern_of(&s) ? MSG_CONCERN : MSG_DEVICE);
}
