/* promise.c: promises and follow-through (SPEC §4, seed 001 step 8). Either
 * partner (usually the accountable one) makes a promise to the other, with
 * a due date. Only the partner it was made to records the outcome, kept or
 * broken, with a note: the one who made it cannot mark their own promise
 * kept. Open promises past their due day show on both home pages. Shared,
 * sealed under the couple key. */
#include "records.h"
#include "records_int.h"
#include "promise.h"

#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../auth/auth.h"
#include "../base/caltime.h"
#include "../db/db.h"
#include "../http/jsonin.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"

#define PROMISE_COLS "SELECT id, author_id, made_to, due, text, kept, note, outcome_at, created_at FROM promise"

static json_t *promise_json(struct req *r, sqlite3_stmt *st, const unsigned char *ck, const char *today)
{
	long long id = sqlite3_column_int64(st, 0), author = sqlite3_column_int64(st, 1);
	long long to = sqlite3_column_int64(st, 2);
	const char *due = (const char *)sqlite3_column_text(st, 3);
	bool open = sqlite3_column_type(st, 5) == SQLITE_NULL;
	return json_pack("{s:I, s:I, s:I, s:b, s:s, s:o, s:o, s:o, s:o, s:b, s:b, s:I}", "id", (json_int_t)id,
			 "author_id", (json_int_t)author, "made_to", (json_int_t)to, "mine", author == r->me->user_id,
			 "due", due, "text", rec_jstr(rec_open(r, ck, "promise", id, "text", st, 4)), "kept",
			 open ? json_null() : json_boolean(sqlite3_column_int(st, 5)), "note",
			 rec_jstr(rec_open(r, ck, "promise", id, "note", st, 6)), "outcome_at",
			 sqlite3_column_type(st, 7) == SQLITE_NULL ? json_null() : json_integer(sqlite3_column_int64(st, 7)),
			 "overdue", open && strcmp(due, today) < 0, "can_record_outcome", open && to == r->me->user_id,
			 "created_at", (json_int_t)sqlite3_column_int64(st, 8));
}

static json_t *promise_find(struct req *r, long long id, const unsigned char *ck)
{
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, PROMISE_COLS " WHERE couple_id = ?1 AND id = ?2", "ii", r->me->couple_id,
					  id) : NULL;
	json_t *j = st && sqlite3_step(st) == SQLITE_ROW ? promise_json(r, st, ck, rec_date(r, rec_today(r))) : NULL;
	sqlite3_finalize(st);
	return j;
}

/* The couple's promises (open ones first, by due day) as a JSON array, or
 * NULL with *rc. only_due: open ones due today or earlier. */
static json_t *promise_items(struct req *r, const unsigned char *ck, bool only_due, int *rc)
{
	const char *today = rec_date(r, rec_today(r));
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, PROMISE_COLS " WHERE couple_id = ?1 AND (?2 = 0 OR (kept IS NULL AND due <= ?3))"
					     " ORDER BY kept IS NOT NULL, due, id", "iit", r->me->couple_id,
					  (long long)only_due, today) : NULL;
	if (!st) {
		*rc = c ? sqlite3_extended_errcode(c) : SQLITE_CANTOPEN;
		return NULL;
	}
	json_t *a = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(a, promise_json(r, st, ck, today));
	sqlite3_finalize(st);
	*rc = SQLITE_OK;
	return a;
}

struct promise_write {
	long long couple_id, user_id, id, made_to;
	long due;
	const char *text, *note;
	bool kept;
	int outcome;      /* out of the outcome write: 0 ok, 404, 403, 409 */
	const unsigned char *ck;
};

static int promise_write_fn(sqlite3 *w, void *arg)
{
	struct promise_write *p = arg;
	char d[11];
	int rc = db_int(w, &p->made_to, "SELECT user_id FROM member WHERE couple_id = ?1 AND user_id <> ?2", "ii",
			p->couple_id, p->user_id);
	if (rc == SQLITE_DONE) {
		p->outcome = 409;
		return SQLITE_NOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return rc;
	date_format(p->due, d);
	rc = db_run(w, "INSERT INTO promise(couple_id, author_id, made_to, due, created_at) VALUES(?1, ?2, ?3, ?4, ?5)",
		    "iiiti", p->couple_id, p->user_id, p->made_to, d, (long long)time(NULL));
	if (rc != SQLITE_OK)
		return rc;
	p->id = sqlite3_last_insert_rowid(w);
	return rec_store_text(w, "UPDATE promise SET text = ?1 WHERE id = ?2", p->ck, "promise", p->id, "text", p->text);
}

static int outcome_write_fn(sqlite3 *w, void *arg)
{
	struct promise_write *p = arg;
	sqlite3_stmt *st = db_prepare(w, "SELECT made_to, kept IS NOT NULL FROM promise WHERE couple_id = ?1 AND id = ?2",
				      "ii", p->couple_id, p->id);
	if (!st)
		return sqlite3_extended_errcode(w);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		p->outcome = sqlite3_column_int64(st, 0) != p->user_id ? 403 : sqlite3_column_int(st, 1) ? 409 : 0;
	else
		p->outcome = step == SQLITE_DONE ? 404 : 0;
	sqlite3_finalize(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return sqlite3_extended_errcode(w);
	if (p->outcome)
		return SQLITE_NOTFOUND;
	int rc = db_run(w, "UPDATE promise SET kept = ?1, outcome_at = ?2 WHERE id = ?3", "iii", (long long)p->kept,
			(long long)time(NULL), p->id);
	if (rc == SQLITE_OK)
		rc = rec_store_text(w, "UPDATE promise SET note = ?1 WHERE id = ?2", p->ck, "promise", p->id, "note",
				    p->note);
	return rc;
}

/* Answers an outcome refusal (API) — 0 when there was none. */
static int outcome_refused(struct req *r, int outcome)
{
	switch (outcome) {
	case 404:
		rec_not_found(r);
		return -1;
	case 403:
		req_error(r, 403, "not_allowed", "Only the partner this promise was made to can say whether it was kept.",
			  NULL);
		return -1;
	case 409:
		req_error(r, 409, "already_recorded", "The outcome of this promise is already recorded.", NULL);
		return -1;
	}
	return 0;
}

static const char *const PROMISE_FIELDS[] = { "text", "due", NULL };
static const char *const OUTCOME_FIELDS[] = { "kept", "note", NULL };

void api_promises_create(struct req *r)
{
	struct promise_write p = { .couple_id = r->me->couple_id, .user_id = r->me->user_id };
	struct rec_err e = { 0 };
	const char *due;
	if (jin_only(r, r->json, PROMISE_FIELDS) < 0 || jin_str(r, r->json, "text", true, REC_TEXT_MAX, &p.text) < 0 ||
	    jin_str(r, r->json, "due", true, 10, &due) < 0)
		return;
	if (rec_day(r, due, "due", false, &p.due, &e) < 0) {
		rec_api_error(r, &e);
		return;
	}
	if (!(p.ck = rec_keys(r)))
		return;
	int rc = rec_write(r, promise_write_fn, &p);
	if (p.outcome == 409) {
		req_error(r, 409, "no_partner", "A promise is made to your partner, who has not joined yet.", NULL);
		return;
	}
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	json_t *j = promise_find(r, p.id, p.ck);
	req_json(r, 201, json_pack("{s:o}", "promise", j ? j : json_null()));
}

void api_promise_outcome(struct req *r)
{
	struct promise_write p = { .couple_id = r->me->couple_id, .user_id = r->me->user_id };
	if ((p.id = rec_param_id(r)) <= 0) {
		rec_not_found(r);
		return;
	}
	if (jin_only(r, r->json, OUTCOME_FIELDS) < 0 || jin_bool(r, r->json, "kept", true, &p.kept) < 0 ||
	    jin_str(r, r->json, "note", false, REC_TEXT_MAX, &p.note) < 0)
		return;
	if (!(p.ck = rec_keys(r)))
		return;
	int rc = rec_write(r, outcome_write_fn, &p);
	if (outcome_refused(r, p.outcome) < 0)
		return;
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	json_t *j = promise_find(r, p.id, p.ck);
	req_json(r, 200, json_pack("{s:o}", "promise", j ? j : json_null()));
}

void api_promises_list(struct req *r)
{
	int rc;
	const unsigned char *ck = rec_keys(r);
	if (!ck)
		return;
	json_t *a = promise_items(r, ck, false, &rc);
	if (!a) {
		req_db_error(r, rc);
		return;
	}
	req_json(r, 200, json_pack("{s:o}", "promises", a));
}

/* ---- pages ---- */

static void promise_card(struct req *r, json_t *j, bool with_form)
{
	json_t *kept = json_object_get(j, "kept");
	bool overdue = json_is_true(json_object_get(j, "overdue"));
	const char *text = json_string_value(json_object_get(j, "text"));
	html(&r->out, "<li class=\"card\" id=\"promise-%lld\"><p class=\"prewrap\"><strong>%s</strong></p><p>%s, due %s%s.",
	     (long long)json_integer_value(json_object_get(j, "id")), text ? text : "",
	     json_is_true(json_object_get(j, "mine")) ? "Your promise" : "Your partner's promise to you",
	     rec_human_day(r, json_string_value(json_object_get(j, "due"))), overdue ? " (the day has passed)" : "");
	if (json_is_boolean(kept))
		html(&r->out, " %s", json_is_true(kept) ? "Kept." : "Not kept.");
	html_unsafe_raw(&r->out, "</p>");
	if (json_string_value(json_object_get(j, "note")))
		html(&r->out, "<p class=\"prewrap\">%s</p>", json_string_value(json_object_get(j, "note")));
	if (with_form && json_is_true(json_object_get(j, "can_record_outcome"))) {
		long long id = json_integer_value(json_object_get(j, "id"));
		static const char *const KEPT[] = { "yes", "It was kept", "no", "It was not kept", NULL };
		ui_form_begin(r, arena_printf(&r->arena, "/promises/%lld/outcome", id));
		ui_radios(r, "Was it kept?", "kept", KEPT, NULL);
		rec_textarea(r, "A note (optional)", arena_printf(&r->arena, "note-%lld", id), NULL, NULL, false);
		ui_form_end(r, "Save");
	}
	html_unsafe_raw(&r->out, "</li>\n");
}

static void promise_render(struct req *r, const struct rec_err *e)
{
	int rc;
	const unsigned char *ck = rec_keys(r);
	if (!ck)
		return;
	json_t *items = promise_items(r, ck, false, &rc);
	if (!items) {
		req_db_error(r, rc);
		return;
	}
	page_begin(r, "Promises");
	rec_page_notice(r, e);
	html(&r->out, "<p>Trust comes back through actions kept over time, the small ones too. A promise has a "
		      "day it is due; the partner it was made to says whether it was kept.</p>\n<h2>Make a promise</h2>\n");
	ui_form_begin(r, "/promises");
	rec_textarea(r, "What I promise", "text", rec_field(r, "text"), NULL, true);
	ui_input(r, "By when", "due", "date", rec_field(r, "due") ? rec_field(r, "due") : rec_date(r, rec_today(r)),
		 "off", NULL, 1);
	ui_form_end(r, "Promise it");
	html(&r->out, "<h2>Our promises</h2>\n");
	if (!json_array_size(items)) {
		html(&r->out, "<p>No promises yet. Small, clear ones are a good start: a call at a set time, "
			      "home when you said.</p>\n");
	} else {
		size_t i;
		json_t *j;
		html(&r->out, "<ul class=\"cards\">\n");
		json_array_foreach(items, i, j)
			promise_card(r, j, true);
		html(&r->out, "</ul>\n");
	}
	json_decref(items);
	html(&r->out, "<p><a href=\"/records\">All records</a></p>\n");
	page_end(r);
}

void promise_page(struct req *r)
{
	promise_render(r, NULL);
}

void promise_post(struct req *r)
{
	struct promise_write p = { .couple_id = r->me->couple_id, .user_id = r->me->user_id };
	struct rec_err e = { 0 };
	if (rec_text(rec_field(r, "text"), "text", true, REC_TEXT_MAX, &p.text, &e) < 0 ||
	    rec_day(r, rec_field(r, "due"), "due", false, &p.due, &e) < 0) {
		promise_render(r, &e);
		return;
	}
	if (!(p.ck = rec_keys(r)))
		return;
	int rc = rec_write(r, promise_write_fn, &p);
	if (p.outcome == 409) {
		rec_fail(&e, 409, "no_partner", NULL, "A promise is made to your partner. Invite them first.");
		promise_render(r, &e);
		return;
	}
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_redirect(r, "/promises");
}

void promise_outcome_post(struct req *r)
{
	struct promise_write p = { .couple_id = r->me->couple_id, .user_id = r->me->user_id };
	struct rec_err e = { 0 };
	const char *kept = rec_field(r, "kept");
	if ((p.id = rec_param_id(r)) <= 0) {
		rec_not_found(r);
		return;
	}
	if (!kept || (strcmp(kept, "yes") && strcmp(kept, "no"))) {
		rec_fail(&e, 400, "invalid_field", "kept", "Please choose whether the promise was kept.");
		promise_render(r, &e);
		return;
	}
	if (rec_text(rec_field(r, arena_printf(&r->arena, "note-%lld", p.id)), "note", false, REC_TEXT_MAX, &p.note,
		     &e) < 0) {
		promise_render(r, &e);
		return;
	}
	p.kept = !strcmp(kept, "yes");
	if (!(p.ck = rec_keys(r)))
		return;
	int rc = rec_write(r, outcome_write_fn, &p);
	if (p.outcome == 404) {
		rec_not_found(r);
		return;
	}
	if (p.outcome) {
		rec_fail(&e, p.outcome, p.outcome == 403 ? "not_allowed" : "already_recorded", NULL,
			 p.outcome == 403 ? "Only the partner this promise was made to can say whether it was kept."
					  : "The outcome of this promise is already recorded.");
		promise_render(r, &e);
		return;
	}
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_redirect(r, "/promises");
}

void promise_home(struct req *r, const unsigned char *ck)
{
	int rc;
	json_t *items = promise_items(r, ck, true, &rc);
	if (items && json_array_size(items)) {
		size_t i;
		json_t *j;
		html(&r->out, "<section class=\"home-records\"><h2>Promises due</h2>\n<ul class=\"cards\">\n");
		json_array_foreach(items, i, j)
			promise_card(r, j, false);
		html(&r->out, "</ul>\n<p><a href=\"/promises\">Say how it went</a></p></section>\n");
	}
	json_decref(items);
}

int promise_outcomes(struct req *r, const struct viewer *v, struct promise_outcome **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, "SELECT due, coalesce(kept, -1) FROM promise WHERE couple_id = ?1"
					     " ORDER BY due, id", "i", v->couple_id) : NULL;
	if (!st)
		return c ? sqlite3_extended_errcode(c) : SQLITE_CANTOPEN;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long due;
		if (date_parse((const char *)sqlite3_column_text(st, 0), &due) < 0)
			continue;
		*out = arena_grow(&r->arena, *out, *n, &cap, sizeof(**out));
		(*out)[(*n)++] = (struct promise_outcome){ due, sqlite3_column_int(st, 1) };
	}
	db_done(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}
