/* safety.c: the private safety check (see safety.h).
 *
 * One row per user in safety_screen, from sign-up (the schema's trigger),
 * holding one sealed blob (the answers, the result and when) padded to a
 * fixed size, bound to "safety:<user>". Until someone answers, and after
 * they forget their answers, the row holds random bytes of the same size
 * (SAFETY_BLOB), which no key opens: read as "no check yet". So whether a
 * row exists, or how big it is, says nothing.
 * Nothing here reads or writes anything keyed by the couple, so no partner
 * query can ever meet it; the home section reads only the viewer's own row. */
#include "safety.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/caltime.h"
#include "../db/db.h"
#include "../app.h"
#include "../auth/auth.h"
#include "../auth/vault.h"
#include "../http/jsonin.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"
#include "resources.h"

#define SAFETY_PAD 512
/* The size of a sealed answer, and of the random bytes the schema puts in
 * a new user's row (migrate.c writes it as 552). */
#define SAFETY_BLOB (SAFETY_PAD + VAULT_SEAL_OVERHEAD)

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

/* The associated data of a user's sealed answers: "safety:<user>" (one
 * row per user, not per record, so not vault_seal_row's format). */
static void ad_of(long long user_id, char ad[32])
{
	snprintf(ad, 32, "safety:%lld", user_id);
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

/* The one visibility rule of a safety check: a viewer reads their own row
 * and no other, under their own data key. */
static const char MINE[] = "SELECT sealed FROM safety_screen WHERE user_id = ?1";

/* Reads the viewer's own answers. Returns 0 (s->answered false when none,
 * or when they cannot be opened), or -1 after answering a storage error
 * (when answer_errors). */
static int load(struct req *r, const struct viewer *v, struct screen *s, bool answer_errors)
{
	static const char memo;
	void *kept;
	size_t one;
	memset(s, 0, sizeof(*s));
	if (!v->data_key)
		return 0;
	if (req_memo_get(r, &memo, v, &kept, &one)) {
		*s = *(const struct screen *)kept;
		return 0;
	}
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, MINE, "i", v->user_id) : NULL;
	if (!st) {
		if (answer_errors)
			req_db_error(r, c ? sqlite3_extended_errcode(c) : SQLITE_CANTOPEN);
		return -1;
	}
	struct buf b = BUF_INIT;
	char ad[32];
	ad_of(v->user_id, ad);
	bool opened = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL &&
		      vault_open(v->data_key, ad, sqlite3_column_blob(st, 0),
				 (size_t)sqlite3_column_bytes(st, 0), &b) == 0;
	db_done(st);
	json_t *j = opened ? json_loads(b.s, 0, NULL) : NULL;
	if (b.s)
		sodium_memzero(b.s, b.len);
	buf_release(&b);
	if (j) {
		json_t *ans = json_object_get(j, "answers");
		s->answered = true;
		for (size_t i = 0; i < NQ; i++)
			s->a[i] = json_is_true(json_object_get(ans, QUESTIONS[i].key));
		s->at = json_integer_value(json_object_get(j, "at"));
		json_decref(j);
	}
	struct screen *k = arena_alloc(&r->arena, sizeof(*k));
	*k = *s;
	req_memo_put(r, &memo, v, k, 1);
	return 0;
}

/* Seals answers (a[i] for QUESTIONS[i]) and when into user_id's row. */
static int store(sqlite3 *w, const unsigned char *data_key, long long user_id, const bool a[NQ],
		 long long at)
{
	json_t *ans = json_object();
	for (size_t i = 0; i < NQ; i++)
		json_object_set_new(ans, QUESTIONS[i].key, json_boolean(a[i]));
	json_t *j = json_pack("{s:o, s:I}", "answers", ans, "at", (json_int_t)at);
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	/* padded, so the stored size says nothing about the answers */
	char padded[SAFETY_PAD + 1], ad[32];
	size_t n = strlen(text);
	memset(padded, ' ', SAFETY_PAD);
	memcpy(padded, text, n < SAFETY_PAD ? n : SAFETY_PAD);
	padded[SAFETY_PAD] = '\0';
	sodium_memzero(text, n);
	free(text);
	struct buf sealed;
	buf_init(&sealed, SAFETY_PAD + 64);
	ad_of(user_id, ad);
	int rc = vault_seal(data_key, ad, padded, SAFETY_PAD, &sealed) < 0
		 ? SQLITE_ERROR
		 : db_run(w, "INSERT INTO safety_screen(user_id, sealed) VALUES(?1, ?2)"
			     " ON CONFLICT(user_id) DO UPDATE SET sealed = excluded.sealed",
			  "ib", user_id, sealed.s, sealed.len);
	sodium_memzero(padded, sizeof(padded));
	buf_release(&sealed);
	return rc;
}

int safety_store_answers(sqlite3 *w, const unsigned char *data_key, long long user_id,
			 const char *const *yes, long long at)
{
	bool a[NQ] = { false };
	for (size_t i = 0; i < NQ; i++)
		for (size_t k = 0; yes && yes[k]; k++)
			if (!strcmp(yes[k], QUESTIONS[i].key))
				a[i] = true;
	return store(w, data_key, user_id, a, at);
}

struct store_job {
	const struct viewer *v;
	const struct screen *s;
};

static int store_job_run(sqlite3 *w, void *arg)
{
	const struct store_job *j = arg;
	return store(w, j->v->data_key, j->v->user_id, j->s->a, j->s->at);
}

static int forget_run(sqlite3 *w, void *arg)
{
	const struct viewer *v = arg;
	unsigned char noise[SAFETY_BLOB];
	randombytes_buf(noise, sizeof(noise));
	return db_run(w, "INSERT INTO safety_screen(user_id, sealed) VALUES(?1, ?2)"
			 " ON CONFLICT(user_id) DO UPDATE SET sealed = excluded.sealed", "ib", v->user_id, noise,
		      sizeof(noise));
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
	return json_pack("{s:b, s:o, s:s, s:b, s:s, s:o, s:o}", "answered", 1, "answers", ans,
			 "result", concern ? "concern" : "no_concern", "device_warning", device,
			 "message", concern ? MSG_CONCERN : device ? MSG_DEVICE : MSG_NONE,
			 "resources", concern || device ? resources_json() : json_array(),
			 "answered_at", json_instant(s->at));
}

/* ---- API ---- */

void safety_api_put(struct req *r)
{
	static const char *const fields[] = { "answers", NULL };
	const char *names[NQ + 1];
	struct screen s = { .answered = true, .at = (long long)r->now };
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
	if (jin_only_in(r, ans, "answers", names) < 0)
		return;
	for (size_t i = 0; i < NQ; i++)
		if (jin_bool(r, ans, arena_printf(&r->arena, "answers.%s", QUESTIONS[i].key), QUESTIONS[i].required,
			     &s.a[i]) < 0)
			return;
	if (!auth_data_key(r))
		return;
	int rc = db_write(&r->app->db, store_job_run, &(struct store_job){ r->me, &s });
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_json(r, 200, screen_json(&s));
}

void safety_api_get(struct req *r)
{
	struct screen s;
	if (!auth_data_key(r) || load(r, r->me, &s, true) < 0)
		return;
	req_json(r, 200, screen_json(&s));
}

void safety_api_delete(struct req *r)
{
	int rc = db_write(&r->app->db, forget_run, r->me);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
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

/* The check page. After answering, it shows what to do and one button to
 * erase the answers, never the answers themselves: someone who picks up
 * the phone later sees no "yes" on the screen. The questions come back,
 * unanswered, only when the person asks to answer again. */
static void check_page(struct req *r, const struct screen *s, const char *notice)
{
	bool answered = s && s->answered, again = kv_get(&r->query, "again") != NULL;
	page_begin(r, "A private safety check");
	if (notice)
		ui_notice(r, "attention", notice);
	if (answered)
		result_block(r, s);
	if (answered && !again) {
		html_unsafe_raw(&r->out, "<p>Your answers are kept only for you, locked with your own key. "
					 "You can erase them now: nothing of them stays.</p>\n");
		ui_form_begin(r, "/safety/check/forget");
		ui_form_end(r, "Erase my answers");
		html_unsafe_raw(&r->out, "<p><a href=\"/safety/check?again=1\">Answer the questions again</a></p>\n"
					 "<p><a href=\"/safety\">Help and safety</a></p>\n");
		page_end(r);
		return;
	}
	html_unsafe_raw(&r->out,
		"<p>These questions are for you alone. Your answers are locked with your own key: your "
		"partner cannot see them, is not told you answered, and nothing on their side changes. "
		"Not even whoever runs this server can read them.</p>\n");
	ui_form_begin(r, "/safety/check");
	for (size_t i = 0; i < NQ; i++)
		ui_radios(r, QUESTIONS[i].text, QUESTIONS[i].key, YES_NO, req_form_field(r, QUESTIONS[i].key));
	ui_form_end(r, "See what this means for me");
	if (answered) {
		ui_form_begin(r, "/safety/check/forget");
		ui_form_end(r, "Erase my answers");
	}
	html_unsafe_raw(&r->out, "<p><a href=\"/safety\">Help and safety</a></p>\n");
	page_end(r);
}

void safety_check_page(struct req *r)
{
	struct screen s;
	if (!r->me->data_key) {
		check_page(r, NULL, auth_locked_text);
		return;
	}
	if (load(r, r->me, &s, true) < 0)
		return;
	check_page(r, &s, NULL);
}

void safety_check_post(struct req *r)
{
	struct screen s = { .answered = true, .at = (long long)r->now };
	for (size_t i = 0; i < NQ; i++) {
		const char *v = req_form_field(r, QUESTIONS[i].key);
		if (!v || (strcmp(v, "yes") && strcmp(v, "no"))) {
			r->status = 400;
			check_page(r, NULL, "Please answer each question with yes or no. If you are not sure, "
					    "choose yes.");
			return;
		}
		s.a[i] = !strcmp(v, "yes");
	}
	if (!r->me->data_key) {
		r->status = 409;
		check_page(r, NULL, auth_locked_text);
		return;
	}
	int rc = db_write(&r->app->db, store_job_run, &(struct store_job){ r->me, &s });
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_redirect(r, "/safety/check#safety-result");
}

void safety_forget_post(struct req *r)
{
	req_redirect_after(r, db_write(&r->app->db, forget_run, r->me), "/safety/check");
}

bool safety_viewer_concern(struct req *r)
{
	struct screen s;
	return load(r, r->me, &s, false) == 0 && s.answered && concern_of(&s);
}

void safety_home(struct req *r)
{
	struct screen s;
	if (load(r, r->me, &s, false) < 0 || !s.answered || !(concern_of(&s) || device_of(&s))) {
		html_unsafe_raw(&r->out, "<p class=\"hint\"><a href=\"/safety/check\">A private safety check</a>, "
					 "only for you.</p>\n");
		return;
	}
	html(&r->out, "<section class=\"notice notice-safety\"><h2>Your safety comes first</h2><p>%s</p>"
		      "<p><a href=\"/safety/check#safety-result\">Who can help</a></p></section>\n",
	     concern_of(&s) ? MSG_CONCERN : MSG_DEVICE);
}

/* ---- the export ---- */

json_t *safety_export(struct req *r, const struct viewer *v)
{
	struct screen s;
	if (load(r, v, &s, true) < 0)
		return NULL;
	json_t *a = json_array();
	if (s.answered)
		json_array_append_new(a, screen_json(&s));
	return a;
}

/* What parting and closing an account run on this room's tables (db/db.h). */
const struct room_sql safety_sql = {
	.forget = "DELETE FROM safety_screen WHERE user_id = ?1; ",
};

/* ---- what a counsellor may see ---- */

/* v's own result, for v alone to send (features/counsel.c never reads it
 * otherwise): the day answered, concern or not, the device warning; never
 * the answers themselves. An empty array when v has not answered. */
json_t *safety_counsel(struct req *r, const struct viewer *v)
{
	struct screen s;
	char day[11];
	if (load(r, v, &s, false) < 0)
		return NULL;
	json_t *a = json_array();
	if (!s.answered)
		return a;
	date_format(viewer_day_of(r, s.at), day);
	json_array_append_new(a, json_pack("{s:i, s:s, s:s, s:b}", "id", 1, "day", day, "result",
					   concern_of(&s) ? "concern" : "no_concern", "device_warning", device_of(&s)));
	return a;
}
