/* promise.c: promises and follow-through (see promise.h). Either
 * partner (usually the accountable one) makes a promise to the other, with
 * a due date. Only the partner it was made to records the outcome, kept or
 * broken, with a note: the one who made it cannot mark their own promise
 * kept. Open promises past their due day show on both home pages. Shared,
 * sealed under the couple key. This file owns the promise table and the
 * rule of who sees a promise (VISIBLE below). */
#include "promise.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../auth/account.h"
#include "../app.h"
#include "../auth/vault.h"
#include "../base/caltime.h"
#include "../db/db.h"
#include "../http/input.h"
#include "../http/jsonin.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"
#include "../ui/words.h"

/* Who sees a promise: both partners of its couple. The only place the rule
 * is written; every reader selects through visible(). ?1 is the couple, ?2
 * the viewer (a partner sees them all), ?3 an id or NULL, ?4 0 for all or 1
 * for the open ones due by ?5 ("YYYY-MM-DD"). */
#define VISIBLE " FROM promise WHERE couple_id = ?1 AND (?3 IS NULL OR id = ?3)" \
	" AND (?4 = 0 OR (kept IS NULL AND due <= ?5)) "

enum { Q_NUMBERS, Q_LIST };

static sqlite3_stmt *visible(sqlite3 *c, const struct viewer *v, int q, long long id, bool only_due,
			     const char *today)
{
	static const char *const SQL[] = {
		[Q_NUMBERS] = "SELECT due, coalesce(kept, -1)" VISIBLE "ORDER BY due",
		[Q_LIST] = "SELECT id, author_id, made_to, due, text, kept, note, outcome_at, created_at" VISIBLE
			   "ORDER BY kept IS NOT NULL, due, id",
	};
	return c ? db_prepare(c, SQL[q], "iiIit", v->couple_id, v->user_id, id, (long long)only_due, today) : NULL;
}

static bool outcome_fill(struct req *r, void *item, long day, sqlite3_stmt *st)
{
	(void)r;
	*(struct promise_outcome *)item = (struct promise_outcome){ day, sqlite3_column_int(st, 1) };
	return true;
}

int promise_outcomes(struct req *r, const struct viewer *v, struct promise_outcome **out, size_t *n)
{
	static const char memo;
	void *rows;
	if (req_memo_get(r, &memo, v, &rows, n)) {
		*out = rows;
		return SQLITE_OK;
	}
	sqlite3 *c = db_reader(&r->app->db);
	int rc = req_day_rows(r, c, visible(c, v, Q_NUMBERS, DB_NULL, false, NULL), sizeof(**out), outcome_fill, &rows, n);
	*out = rows;
	if (rc == SQLITE_OK)
		req_memo_put(r, &memo, v, rows, *n);
	return rc;
}

static const char *open_col(struct req *r, const unsigned char *key, long long id, const char *field,
			    sqlite3_stmt *st, int col)
{
	return vault_open_text(&r->arena, key, "promise", id, field, sqlite3_column_blob(st, col),
			       (size_t)sqlite3_column_bytes(st, col));
}

static json_t *jtext(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *promise_json(struct req *r, const struct viewer *v, sqlite3_stmt *st, const void *day)
{
	const char *today = day;
	long long id = sqlite3_column_int64(st, 0), author = sqlite3_column_int64(st, 1);
	long long to = sqlite3_column_int64(st, 2);
	const char *due = (const char *)sqlite3_column_text(st, 3);
	bool open = sqlite3_column_type(st, 5) == SQLITE_NULL;
	return json_pack("{s:I, s:I, s:I, s:b, s:s, s:o, s:o, s:o, s:o, s:b, s:b, s:o}", "id", (json_int_t)id,
			 "author_id", (json_int_t)author, "made_to", (json_int_t)to, "mine", author == v->user_id,
			 "due", due, "text", jtext(open_col(r, v->couple_key, id, "text", st, 4)), "kept",
			 open ? json_null() : json_boolean(sqlite3_column_int(st, 5)), "note",
			 jtext(open_col(r, v->couple_key, id, "note", st, 6)), "outcome_at",
			 json_instant_if(sqlite3_column_type(st, 7) != SQLITE_NULL, sqlite3_column_int64(st, 7)),
			 "overdue", open && strcmp(due, today) < 0, "can_record_outcome", open && to == v->user_id,
			 "created_at", json_instant(sqlite3_column_int64(st, 8)));
}

/* The promises v may see (open ones first, by due day; one when id is not
 * DB_NULL; only open ones due by today when only_due) as a JSON array, or
 * NULL with *rc. */
static json_t *promise_items(struct req *r, const struct viewer *v, long long id, bool only_due, int *rc)
{
	char today[11];
	date_format(viewer_today(r), today);
	sqlite3 *c = db_reader(&r->app->db);
	return req_rows(r, v, c, visible(c, v, Q_LIST, id, only_due, today), promise_json, today, rc);
}

static json_t *promise_find(struct req *r, const struct viewer *v, long long id)
{
	int rc;
	json_t *a = promise_items(r, v, id, false, &rc);
	json_t *j = json_incref(json_array_get(a, 0));
	json_decref(a);
	return j;
}

int promise_store(sqlite3 *w, void *arg)
{
	struct promise_new *p = arg;
	char d[11];
	long long made_to = 0;
	int rc = acct_partner(w, p->couple_id, p->author_id, &made_to, NULL);
	if (rc == SQLITE_NOTFOUND)
		p->no_partner = true;
	if (rc != SQLITE_OK)
		return rc;
	date_format(p->due, d);
	rc = db_run(w, "INSERT INTO promise(couple_id, author_id, made_to, due, created_at) VALUES(?1, ?2, ?3, ?4, ?5)",
		    "iiiti", p->couple_id, p->author_id, made_to, d, p->created_at);
	if (rc != SQLITE_OK)
		return rc;
	p->id = sqlite3_last_insert_rowid(w);
	return vault_store_row(w, "UPDATE promise SET text = ?2 WHERE id = ?1", p->couple_key, "promise", p->id, "text",
				 p->text);
}

int promise_outcome_store(sqlite3 *w, void *arg)
{
	struct promise_verdict *p = arg;
	sqlite3_stmt *st = db_prepare(w, "SELECT made_to, kept IS NOT NULL FROM promise WHERE couple_id = ?1 AND id = ?2",
				      "ii", p->couple_id, p->id);
	if (!st)
		return sqlite3_extended_errcode(w);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		p->refused = sqlite3_column_int64(st, 0) != p->user_id ? 403 : sqlite3_column_int(st, 1) ? 409 : 0;
	else
		p->refused = step == SQLITE_DONE ? 404 : 0;
	db_done(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return sqlite3_extended_errcode(w);
	if (p->refused)
		return SQLITE_NOTFOUND;
	struct buf note = BUF_INIT;
	int rc = vault_seal_row(p->couple_key, "promise", p->id, "note", p->note, &note) < 0
		 ? SQLITE_TOOBIG
		 : db_run(w, "UPDATE promise SET kept = ?1, outcome_at = ?2, note = ?3 WHERE id = ?4", "iiBi",
			  (long long)p->kept, p->at, &note, p->id);
	buf_release(&note);
	return rc;
}

static void not_found(struct req *r)
{
	req_error(r, 404, "not_found", "There is nothing at this address.", NULL);
}

static const char NOT_THEIRS[] = "Only the partner this promise was made to can say whether it was kept.";
static const char ALREADY[] = "The outcome of this promise is already recorded.";

/* Stores p for the viewer of r: 0; -1 with e set when there is no partner
 * to promise to yet (saying no_partner); -2 after answering (keys locked,
 * storage). */
static int promise_add(struct req *r, struct promise_new *p, struct input_err *e, const char *no_partner)
{
	if (!auth_author(r, &p->couple_id, &p->author_id, &p->created_at))
		return -2;
	p->couple_key = r->me->couple_key;
	int rc = db_write(&r->app->db, promise_store, p);
	if (p->no_partner)
		return input_fail(e, 409, "no_partner", NULL, no_partner);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return -2;
	}
	return 0;
}

/* Records v for the viewer of r: 0; -1 with e set when it is refused (404
 * no such promise, 403 not theirs to say, 409 said already); -2 after
 * answering (keys locked, storage). */
static int verdict_add(struct req *r, struct promise_verdict *v, struct input_err *e)
{
	if (!auth_author(r, &v->couple_id, &v->user_id, &v->at))
		return -2;
	v->couple_key = r->me->couple_key;
	int rc = db_write(&r->app->db, promise_outcome_store, v);
	if (v->refused == 404)
		return input_fail(e, 404, "not_found", NULL, "There is nothing at this address.");
	if (v->refused)
		return input_fail(e, v->refused, v->refused == 403 ? "not_allowed" : "already_recorded", NULL,
				  v->refused == 403 ? NOT_THEIRS : ALREADY);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return -2;
	}
	return 0;
}

/* Answers an API call after promise_add or verdict_add gave res: the
 * refusal in e (-1), nothing more (-2), or status with promise id (0). */
static void answer_promise(struct req *r, int res, struct input_err *e, int status, long long id)
{
	if (res == -1)
		input_answer(r, e);
	if (res < 0)
		return;
	json_t *j = promise_find(r, r->me, id);
	req_json(r, status, json_pack("{s:o}", "promise", j ? j : json_null()));
}

static const char *const PROMISE_FIELDS[] = { "text", "due", NULL };
static const char *const OUTCOME_FIELDS[] = { "kept", "note", NULL };

void promise_api_create(struct req *r)
{
	struct promise_new p = { 0 };
	struct input_err e = { 0 };
	const char *due;
	if (jin_only(r, r->json, PROMISE_FIELDS) < 0 ||
	    jin_str(r, r->json, "text", true, INPUT_TEXT_MAX, &p.text) < 0 ||
	    jin_str(r, r->json, "due", true, 10, &due) < 0)
		return;
	if (input_day(due, "due", INPUT_ANY_DAY, &p.due, &e) < 0) {
		input_answer(r, &e);
		return;
	}
	int res = promise_add(r, &p, &e, "A promise is made to your partner, who has not joined yet.");
	answer_promise(r, res, &e, 201, p.id);
}

void promise_api_outcome(struct req *r)
{
	struct promise_verdict p = { 0 };
	struct input_err e = { 0 };
	if ((p.id = req_param_id(r, "id", LLONG_MAX)) <= 0) {
		not_found(r);
		return;
	}
	if (jin_only(r, r->json, OUTCOME_FIELDS) < 0 || jin_bool(r, r->json, "kept", true, &p.kept) < 0 ||
	    jin_str(r, r->json, "note", false, INPUT_TEXT_MAX, &p.note) < 0)
		return;
	int res = verdict_add(r, &p, &e);
	answer_promise(r, res, &e, 200, p.id);
}

void promise_api_list(struct req *r)
{
	int rc;
	if (!auth_keys(r))
		return;
	json_t *a = promise_items(r, r->me, DB_NULL, false, &rc);
	req_json_items(r, "promises", a, rc);
}

/* ---- pages ---- */

/* The form that says how promise id went. */
static void outcome_form(struct req *r, long long id)
{
	static const char *const KEPT[] = { "yes", "It was kept", "no", "It was not kept", NULL };
	ui_form_begin(r, arena_printf(&r->arena, "/promises/%lld/outcome", id));
	ui_radios(r, "Was it kept?", "kept", KEPT, NULL);
	ui_textarea(r, "A note (optional)", arena_printf(&r->arena, "note-%lld", id), NULL, NULL, 0);
	ui_form_end(r, "Save");
}

/* A promise as a card; with_form adds the outcome form when the viewer
 * may say how it went. */
static void promise_card(struct req *r, json_t *j, bool with_form)
{
	json_t *kept = json_object_get(j, "kept");
	bool overdue = json_is_true(json_object_get(j, "overdue"));
	const char *text = json_string_value(json_object_get(j, "text"));
	html(&r->out, "<li class=\"card\" id=\"promise-%lld\"><p class=\"prewrap\"><strong>%s</strong></p><p>%s, due %s%s.",
	     (long long)json_integer_value(json_object_get(j, "id")), text ? text : "",
	     json_is_true(json_object_get(j, "mine")) ? "Your promise" : "Your partner's promise to you",
	     words_iso_day(&r->arena, json_string_value(json_object_get(j, "due"))), overdue ? " (the day has passed)" : "");
	if (json_is_boolean(kept))
		html(&r->out, " %s", json_is_true(kept) ? "Kept." : "Not kept.");
	html_unsafe_raw(&r->out, "</p>");
	if (json_string_value(json_object_get(j, "note")))
		html(&r->out, "<p class=\"prewrap\">%s</p>", json_string_value(json_object_get(j, "note")));
	if (with_form && json_is_true(json_object_get(j, "can_record_outcome")))
		outcome_form(r, json_integer_value(json_object_get(j, "id")));
	html_unsafe_raw(&r->out, "</li>\n");
}

static void promise_card_with_form(struct req *r, json_t *j)
{
	promise_card(r, j, true);
}

static void promise_render(struct req *r, const struct input_err *e)
{
	int rc;
	if (!auth_keys(r))
		return;
	json_t *items = promise_items(r, r->me, DB_NULL, false, &rc);
	if (!items) {
		req_db_error(r, rc);
		return;
	}
	ui_form_page_begin(r, "Promises", e,
			   "Trust comes back through actions kept over time, the small ones too. A promise has a "
			   "day it is due; the partner it was made to says whether it was kept.");
	html(&r->out, "<h2>Make a promise</h2>\n");
	ui_form_begin(r, "/promises");
	ui_textarea(r, "What I promise", "text", req_form_field(r, "text"), NULL, UI_REQUIRED);
	char today[11];
	date_format(viewer_today(r), today);
	ui_input(r, "By when", "due", "date", req_form_field(r, "due") ? req_form_field(r, "due") : today,
		 "off", NULL, 1);
	ui_form_end(r, "Promise it");
	html(&r->out, "<h2>Our promises</h2>\n");
	page_cards(r, items, "No promises yet. Small, clear ones are a good start: a call at a set time, home when you said.",
		   promise_card_with_form);
	json_decref(items);
	page_end_link(r, "/records", "All records");
}

void promise_page(struct req *r)
{
	promise_render(r, NULL);
}

void promise_post(struct req *r)
{
	struct promise_new p = { 0 };
	struct input_err e = { 0 };
	int res = -1;
	if (input_text(req_form_field(r, "text"), "text", true, INPUT_TEXT_MAX, &p.text, &e) == 0 &&
	    input_day(req_form_field(r, "due"), "due", INPUT_ANY_DAY, &p.due, &e) == 0)
		res = promise_add(r, &p, &e, "A promise is made to your partner. Invite them first.");
	ui_form_done(r, res, &e, promise_render, "/promises");
}

void promise_outcome_post(struct req *r)
{
	struct promise_verdict p = { 0 };
	struct input_err e = { 0 };
	const char *kept = req_form_field(r, "kept");
	if ((p.id = req_param_id(r, "id", LLONG_MAX)) <= 0) {
		not_found(r);
		return;
	}
	if (!kept || (strcmp(kept, "yes") && strcmp(kept, "no"))) {
		input_fail(&e, 400, "invalid_field", "kept", "Please choose whether the promise was kept.");
		promise_render(r, &e);
		return;
	}
	if (input_text(req_form_field(r, arena_printf(&r->arena, "note-%lld", p.id)), "note", false, INPUT_TEXT_MAX, &p.note,
		     &e) < 0) {
		promise_render(r, &e);
		return;
	}
	p.kept = !strcmp(kept, "yes");
	int res = verdict_add(r, &p, &e);
	if (res == -1 && e.status == 404)
		not_found(r);
	else if (res == -1)
		promise_render(r, &e);
	else if (res == 0)
		req_redirect(r, "/promises");
}

/* How many of the promises in items wait for the viewer to say how it went. */
static size_t for_me(json_t *items)
{
	size_t i, k = 0;
	json_t *j;
	json_array_foreach(items, i, j)
		k += json_is_true(json_object_get(j, "can_record_outcome"));
	return k;
}

void promise_home(struct req *r)
{
	int rc;
	if (!r->me->data_key || !r->me->couple_key)
		return; /* the home page says the notes are locked */
	json_t *items = promise_items(r, r->me, DB_NULL, true, &rc);
	if (items && json_array_size(items) > for_me(items)) {
		size_t i;
		json_t *j;
		/* each in a line; the partner it was made to says how it went */
		html(&r->out, "<section class=\"home-records\" aria-labelledby=\"promises-due-h\">"
			      "<p class=\"hint\" id=\"promises-due-h\">Promises due</p>\n");
		json_array_foreach(items, i, j) {
			if (json_is_true(json_object_get(j, "can_record_outcome"))) /* those are at the top */
				continue;
			const char *text = json_string_value(json_object_get(j, "text"));
			html(&r->out, "<p><strong class=\"prewrap\">%s</strong>: %s, due %s%s.</p>\n", text ? text : "",
			     json_is_true(json_object_get(j, "mine")) ? "your promise" : "a promise to you",
			     words_iso_day(&r->arena, json_string_value(json_object_get(j, "due"))),
			     json_is_true(json_object_get(j, "overdue")) ? " (the day has passed)" : "");
		}
		html(&r->out, "<p class=\"hint\">%s says how it went. <a href=\"/promises\">All promises</a></p></section>\n",
		     viewer_partner_word(r, true));
	}
	json_decref(items);
}

void promise_for_you(struct req *r)
{
	int rc;
	if (!r->me->data_key || !r->me->couple_key)
		return; /* the home page says the notes are locked */
	json_t *items = promise_items(r, r->me, DB_NULL, true, &rc);
	if (items && for_me(items)) {
		size_t i;
		json_t *j;
		/* each in a line, the form that says how it went one tap away */
		html_unsafe_raw(&r->out, "<div class=\"for-you-item\" id=\"for-you-promises\">");
		json_array_foreach(items, i, j) {
			if (!json_is_true(json_object_get(j, "can_record_outcome")))
				continue;
			const char *text = json_string_value(json_object_get(j, "text"));
			html(&r->out, "<p>%s made you a promise, due %s: <strong class=\"prewrap\">%s</strong></p>\n"
				      "<details><summary>Say how it went</summary>\n", viewer_partner_word(r, true),
			     words_iso_day(&r->arena, json_string_value(json_object_get(j, "due"))), text ? text : "");
			outcome_form(r, json_integer_value(json_object_get(j, "id")));
			html_unsafe_raw(&r->out, "</details>\n");
		}
		html_unsafe_raw(&r->out, "</div>\n");
	}
	json_decref(items);
}

/* ---- the export ---- */

json_t *promise_export(struct req *r, const struct viewer *v)
{
	int rc;
	json_t *a = promise_items(r, v, DB_NULL, false, &rc);
	if (!a)
		req_db_error(r, rc);
	return a;
}

/* What parting and closing an account run on this room's tables (db/db.h). */
const struct room_sql promise_sql = {
	.shared = "SELECT 'promise', id, 'text', text, author_id, created_at FROM promise WHERE "
		"couple_id = ?1; "
		"SELECT 'promise', id, 'note', note, author_id, created_at FROM promise WHERE "
		"couple_id = ?1; ",
	.clear = "DELETE FROM promise WHERE couple_id = ?1; ",
};

/* ---- what a counsellor may see ---- */

/* The promises v made: due day, the promise, and whether it was kept. */
json_t *promise_counsel(struct req *r, const struct viewer *v)
{
	int rc;
	json_t *all = promise_items(r, v, DB_NULL, false, &rc);
	if (!all)
		return NULL;
	json_t *a = json_array();
	size_t i;
	json_t *p;
	json_array_foreach(all, i, p) {
		if (!json_is_true(json_object_get(p, "mine")))
			continue;
		json_t *kept = json_object_get(p, "kept");
		json_array_append_new(a, json_pack("{s:O, s:O, s:O, s:s}", "id", json_object_get(p, "id"), "day",
						   json_object_get(p, "due"), "promise", json_object_get(p, "text"),
						   "outcome", json_is_null(kept) ? "open" : json_is_true(kept) ? "kept" : "broken"));
	}
	json_decref(all);
	return a;
}

/* ---- reminders: whether a record exists, never its text ---- */

int promise_due_unanswered(sqlite3 *c, long long couple_id, long long user_id, long day, long long *n)
{
	char d[11];
	date_format(day, d);
	return db_int(c, n, "SELECT count(*) FROM promise WHERE couple_id = ?1 AND made_to = ?2 AND due = ?3"
			    " AND kept IS NULL", "iit", couple_id, user_id, d);
}
