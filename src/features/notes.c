/* notes.c: dated shared notes, one engine for five record kinds: small
 * wins and setbacks, each with the day, what happened and what helped; the
 * trust timeline (events of the whole relationship marked high or low
 * trust); and, for truth.c, disclosures and no-contact breaches. Either partner
 * adds, both see; the texts are sealed under the couple key. Disclosures
 * made after the full-disclosure date count as setbacks, so the setbacks
 * list (API and page) includes them. This file owns record_note; both
 * partners see every note of their couple (VISIBLE below). */
#include "notes.h"
#include "record_setting.h"

#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../auth/vault.h"
#include "../base/caltime.h"
#include "../db/db.h"
#include "../http/jsonin.h"
#include "counsel.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"
#include "../ui/words.h"

const struct note_kind NOTE_WIN = {
	"win", "day", "text", "helped", INPUT_TEXT_MAX, false, true, "wins", "win",
	"/wins", "Small wins",
	"Healing is slow and easy to miss. A week without a major trigger, a hard talk that went well, "
	"a moment that felt like the old days: note them here. They are proof that things are moving.",
	"No wins written down yet. The next good moment, however small, belongs here.",
	"Our wins", "Note a win",
	"The day", "What happened", "What helped (optional)", "Keep it",
};

const struct note_kind NOTE_SETBACK = {
	"setback", "day", "text", "helped", INPUT_TEXT_MAX, false, true, "setbacks", "setback",
	"/setbacks", "Setbacks",
	"Recovery is not a straight line. A hard day is part of the road, not a sign that it is not "
	"working. Noting what happened and what helped makes the next one a little easier.",
	"No setbacks written down. If one comes, it belongs here too, without blame.",
	"Setbacks so far", "Note a setback",
	"The day", "What happened", "What helped (optional)", "Keep it",
};

const struct note_kind NOTE_TIMELINE = {
	"timeline", "date", "title", "note", INPUT_TITLE_MAX, true, false, "events", "event",
	"/timeline", "Our trust timeline",
	"Your whole story together, before and after: the times trust was high and the times it was low. "
	"Talking about what made each one can show you patterns, and progress.",
	"The timeline is empty. You might start with the day you met.",
	"Our story", "Add a moment",
	"When", "What happened, in a few words", "What made it so (optional)", "Add it",
};

const struct note_kind NOTE_DISCLOSURE = {
	"disclosure", "on", "summary", NULL, INPUT_TEXT_MAX, false, true, "disclosures", "disclosure",
	"/disclosures", "Disclosures",
	NULL, "Nothing has been added since.", "Added since", "Add something that came to light",
	"The day it came out", "What came to light", NULL, "Add it",
};

const struct note_kind NOTE_BREACH = {
	"breach", "on", "what", NULL, INPUT_TEXT_MAX, false, true, "breaches", "breach",
	"/no-contact/breaches", "No contact",
	NULL, "No contact has been recorded.", "Contact since", "Record contact",
	"The day", "What happened", NULL, "Record it",
};

int note_store(sqlite3 *w, void *arg)
{
	struct note_new *n = arg;
	const struct note_kind *k = n->k;
	char d[11];
	date_format(n->day, d);
	int rc = db_run(w, "INSERT INTO record_note(couple_id, author_id, kind, day, trust, created_at)"
			   " VALUES(?1, ?2, ?3, ?4, ?5, ?6)", "iittti", n->couple_id,
			n->author_id, k->kind, d, n->trust, n->created_at);
	if (rc != SQLITE_OK)
		return rc;
	n->id = sqlite3_last_insert_rowid(w);
	struct buf text = BUF_INIT, extra = BUF_INIT;
	rc = vault_seal_row(n->couple_key, k->kind, n->id, k->text_field, n->text, &text) < 0 ||
	     (k->extra_field && vault_seal_row(n->couple_key, k->kind, n->id, k->extra_field, n->extra, &extra) < 0)
	     ? SQLITE_TOOBIG
	     : db_run(w, "UPDATE record_note SET text = ?1, extra = ?2 WHERE id = ?3", "BBi", &text, &extra, n->id);
	buf_release(&text);
	buf_release(&extra);
	return rc;
}

/* Who sees a note: both partners of its couple. The only place the rule
 * is written; every reader selects through visible(). ?1 is the couple, ?2
 * a kind or NULL for all, ?3 an id or NULL. */
#define VISIBLE " FROM record_note WHERE couple_id = ?1 AND (?2 IS NULL OR kind = ?2) AND (?3 IS NULL OR id = ?3) "

enum { Q_NUMBERS, Q_OLDEST, Q_NEWEST };

static sqlite3_stmt *visible(sqlite3 *c, const struct viewer *v, int q, const char *kind, long long id)
{
#define COLS "SELECT id, author_id, day, trust, text, extra, created_at"
	static const char *const SQL[] = {
		[Q_NUMBERS] = "SELECT day, kind, coalesce(trust, '')" VISIBLE "ORDER BY day, id",
		[Q_OLDEST] = COLS VISIBLE "ORDER BY day, id",
		[Q_NEWEST] = COLS VISIBLE "ORDER BY day DESC, id DESC",
	};
#undef COLS
	return c ? db_prepare(c, SQL[q], "itI", v->couple_id, kind, id) : NULL;
}

static bool day_fill(struct req *r, void *item, long day, sqlite3_stmt *st)
{
	const char *kind = (const char *)sqlite3_column_text(st, 1);
	const char *trust = (const char *)sqlite3_column_text(st, 2);
	if (!kind)
		return false;
	*(struct note_day *)item = (struct note_day){ day, arena_strdup(&r->arena, kind),
						      !strcmp(trust, "high") ? 1 : !strcmp(trust, "low") ? -1 : 0 };
	return true;
}

int note_days(struct req *r, const struct viewer *v, struct note_day **out, size_t *n)
{
	sqlite3 *c = db_reader(&r->app->db);
	void *rows;
	int rc = req_day_rows(r, c, visible(c, v, Q_NUMBERS, NULL, DB_NULL), sizeof(**out), day_fill, &rows, n);
	*out = rows;
	return rc;
}

static const char *open_col(struct req *r, const struct viewer *v, const struct note_kind *k, long long id,
			    const char *field, sqlite3_stmt *st, int col)
{
	return vault_open_text(&r->arena, v->couple_key, k->kind, id, field, sqlite3_column_blob(st, col),
			       (size_t)sqlite3_column_bytes(st, col));
}

static json_t *jtext(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *note_json(struct req *r, const struct viewer *v, sqlite3_stmt *st, const void *kind)
{
	const struct note_kind *k = kind;
	long long id = sqlite3_column_int64(st, 0), author = sqlite3_column_int64(st, 1);
	json_t *j = json_pack("{s:I, s:s, s:o, s:I, s:b, s:o}", "id", (json_int_t)id, k->date_field,
			      (const char *)sqlite3_column_text(st, 2), k->text_field,
			      jtext(open_col(r, v, k, id, k->text_field, st, 4)), "author_id",
			      (json_int_t)author, "mine", author == v->user_id, "created_at",
			      json_instant(sqlite3_column_int64(st, 6)));
	if (k->extra_field)
		json_object_set_new(j, k->extra_field, jtext(open_col(r, v, k, id, k->extra_field, st, 5)));
	if (k->trust)
		json_object_set_new(j, "trust", json_string((const char *)sqlite3_column_text(st, 3)));
	return j;
}

/* v's notes of kind k (one when id is not DB_NULL) as a JSON array, or
 * NULL with *rc. */
static json_t *note_rows(struct req *r, const struct viewer *v, const struct note_kind *k, int q, long long id,
			 int *rc)
{
	sqlite3 *c = db_reader(&r->app->db);
	return req_rows(r, v, c, visible(c, v, q, k->kind, id), note_json, k, rc);
}

json_t *note_items(struct req *r, const struct viewer *v, const struct note_kind *k, bool newest_first, int *rc)
{
	return note_rows(r, v, k, newest_first ? Q_NEWEST : Q_OLDEST, DB_NULL, rc);
}

static json_t *note_find(struct req *r, const struct viewer *v, const struct note_kind *k, long long id)
{
	int rc;
	json_t *a = note_rows(r, v, k, Q_OLDEST, id, &rc);
	json_t *j = json_array_size(a) ? json_incref(json_array_get(a, 0)) : json_null();
	json_decref(a);
	return j;
}

/* Stores n for the viewer of r: 0, or -1 after answering (keys locked,
 * storage). */
static int note_add(struct req *r, struct note_new *n)
{
	if (!auth_author(r, &n->couple_id, &n->author_id, &n->created_at))
		return -1;
	n->couple_key = r->me->couple_key;
	return req_write(r, note_store, n);
}

static int check_trust(const char *t, struct input_err *e)
{
	if (!t)
		return input_fail(e, 400, "missing_field", "trust", "Please choose high trust or low trust.");
	if (strcmp(t, "high") && strcmp(t, "low"))
		return input_fail(e, 400, "invalid_field", "trust", "trust must be high or low.");
	return 0;
}

json_t *note_api_store(struct req *r, const struct note_kind *k)
{
	struct note_new n = { .k = k };
	struct input_err e = { 0 };
	const char *fields[5] = { k->date_field, k->text_field, NULL, NULL, NULL };
	const char *date;
	size_t nf = 2;
	if (k->extra_field)
		fields[nf++] = k->extra_field;
	if (k->trust)
		fields[nf++] = "trust";
	json_t *b = r->json;
	if (jin_only(r, b, fields) < 0 || jin_str(r, b, k->date_field, true, 10, &date) < 0 ||
	    jin_str(r, b, k->text_field, true, k->text_max, &n.text) < 0 ||
	    (k->extra_field && jin_str(r, b, k->extra_field, false, INPUT_TEXT_MAX, &n.extra) < 0) ||
	    (k->trust && jin_str(r, b, "trust", true, 8, &n.trust) < 0))
		return NULL;
	if (input_day(date, k->date_field, k->no_future ? viewer_today(r) : INPUT_ANY_DAY, &n.day, &e) < 0 ||
	    (k->trust && check_trust(n.trust, &e) < 0)) {
		input_answer(r, &e);
		return NULL;
	}
	if (note_add(r, &n) < 0)
		return NULL;
	return note_find(r, r->me, k, n.id);
}

void note_api_create(struct req *r, const struct note_kind *k)
{
	json_t *j = note_api_store(r, k);
	if (j)
		req_json(r, 201, json_pack("{s:o}", k->item_key, j));
}

static void note_api_list(struct req *r, const struct note_kind *k)
{
	int rc;
	if (!auth_keys(r))
		return;
	json_t *a = note_items(r, r->me, k, false, &rc);
	req_json_items(r, k->list_key, a, rc);
}

void wins_api_create(struct req *r)
{
	note_api_create(r, &NOTE_WIN);
}

void wins_api_list(struct req *r)
{
	note_api_list(r, &NOTE_WIN);
}

void setbacks_api_create(struct req *r)
{
	note_api_create(r, &NOTE_SETBACK);
}

/* The disclosures after the full-disclosure date, as setbacks. */
static int disclosures_as_setbacks(struct req *r, const struct viewer *v, json_t *into)
{
	struct record_settings t;
	int rc = record_settings_read(r, v, &t);
	const char *full = t.full_on;
	if (rc != SQLITE_OK)
		return rc;
	if (!full)
		return SQLITE_OK;
	json_t *d = note_items(r, v, &NOTE_DISCLOSURE, false, &rc);
	if (!d)
		return rc;
	size_t i;
	json_t *j;
	json_array_foreach(d, i, j) {
		const char *on = json_string_value(json_object_get(j, "on"));
		if (strcmp(on, full) <= 0)
			continue;
		json_array_append_new(into, json_pack("{s:O, s:s, s:O, s:n, s:O, s:O, s:O, s:s}", "id",
			json_object_get(j, "id"), "day", on, "text", json_object_get(j, "summary"), "helped",
			"author_id", json_object_get(j, "author_id"), "mine", json_object_get(j, "mine"),
			"created_at", json_object_get(j, "created_at"), "source", "disclosure"));
	}
	json_decref(d);
	return SQLITE_OK;
}

static int by_day(const void *a, const void *b)
{
	json_t *const *x = a, *const *y = b;
	int c = strcmp(json_string_value(json_object_get(*x, "day")), json_string_value(json_object_get(*y, "day")));
	/* instants in one format, RFC 3339 in UTC: they sort as text */
	return c ? c : strcmp(json_string_value(json_object_get(*x, "created_at")),
			      json_string_value(json_object_get(*y, "created_at")));
}

/* Setbacks and the disclosures that count as setbacks, by day. */
static json_t *setback_items(struct req *r, const struct viewer *v, bool newest_first, int *rc)
{
	json_t *a = note_items(r, v, &NOTE_SETBACK, false, rc);
	if (!a)
		return NULL;
	size_t i;
	json_t *j;
	json_array_foreach(a, i, j)
		json_object_set_new(j, "source", json_string("setback"));
	if ((*rc = disclosures_as_setbacks(r, v, a)) != SQLITE_OK) {
		json_decref(a);
		return NULL;
	}
	size_t n = json_array_size(a);
	json_t **sorted = arena_alloc(&r->arena, (n ? n : 1) * sizeof(*sorted));
	for (i = 0; i < n; i++)
		sorted[i] = json_incref(json_array_get(a, i));
	qsort(sorted, n, sizeof(*sorted), by_day);
	json_array_clear(a);
	for (i = 0; i < n; i++)
		json_array_append_new(a, sorted[newest_first ? n - 1 - i : i]);
	return a;
}

void setbacks_api_list(struct req *r)
{
	int rc;
	if (!auth_keys(r))
		return;
	json_t *a = setback_items(r, r->me, false, &rc);
	req_json_items(r, "setbacks", a, rc);
}

void timeline_api_create(struct req *r)
{
	note_api_create(r, &NOTE_TIMELINE);
}

void timeline_api_list(struct req *r)
{
	note_api_list(r, &NOTE_TIMELINE);
}

/* ---- pages ---- */

void note_cards(struct req *r, const struct note_kind *k, json_t *items)
{
	size_t i;
	json_t *j;
	if (!json_array_size(items)) {
		html(&r->out, "<p class=\"empty\">%s</p>\n", k->empty);
		return;
	}
	html(&r->out, "<ul class=\"cards%s\">\n", k->trust ? " timeline" : "");
	json_array_foreach(items, i, j) {
		const char *trust = json_string_value(json_object_get(j, "trust"));
		const char *text = json_string_value(json_object_get(j, k->text_field));
		const char *extra = k->extra_field ? json_string_value(json_object_get(j, k->extra_field)) : NULL;
		const char *src = json_string_value(json_object_get(j, "source"));
		html(&r->out, "<li class=\"card%s\"><p><strong>%s</strong>%s%s</p><p class=\"prewrap\">%s</p>",
		     trust ? (strcmp(trust, "high") ? " trust-low" : " trust-high") : "",
		     words_iso_day(&r->arena, json_string_value(json_object_get(j, k->date_field))),
		     trust ? (strcmp(trust, "high") ? " · low trust" : " · high trust") : "",
		     src && !strcmp(src, "disclosure") ? " · something that came to light after the full disclosure" : "",
		     text ? text : "");
		if (extra)
			html(&r->out, "<p class=\"prewrap\">%s: %s</p>", k->trust ? "Why" : "What helped", extra);
		html(&r->out, "<p class=\"hint\">Written by %s</p>",
		     json_is_true(json_object_get(j, "mine")) ? "you" : "your partner");
		if (k == &NOTE_TIMELINE && json_is_true(json_object_get(j, "mine")))
			counsel_item_button(r, "note", (long long)json_integer_value(json_object_get(j, "id")), k->path);
		html_unsafe_raw(&r->out, "</li>\n");
	}
	html(&r->out, "</ul>\n");
}

void note_form(struct req *r, const struct note_kind *k)
{
	char today[11];
	date_format(viewer_today(r), today);
	ui_form_begin(r, k->path);
	ui_input(r, k->date_label, k->date_field, "date", req_form_field(r, k->date_field) ? req_form_field(r, k->date_field)
		 : today, "off", NULL, 1);
	if (k->text_max <= INPUT_TITLE_MAX)
		ui_input(r, k->text_label, k->text_field, "text", req_form_field(r, k->text_field), "off", NULL, 1);
	else
		ui_textarea(r, k->text_label, k->text_field, req_form_field(r, k->text_field), NULL, UI_REQUIRED);
	if (k->trust) {
		static const char *const TRUST[] = { "high", "High trust", "low", "Low trust", NULL };
		ui_radios(r, "Trust at that time", "trust", TRUST, req_form_field(r, "trust"));
	}
	if (k->extra_field)
		ui_textarea(r, k->extra_label, k->extra_field, req_form_field(r, k->extra_field), NULL, 0);
	ui_form_end(r, k->button);
}

int note_form_store(struct req *r, const struct note_kind *k, struct input_err *e)
{
	struct note_new n = { .k = k };
	if (input_day(req_form_field(r, k->date_field), k->date_field, k->no_future ? viewer_today(r) : INPUT_ANY_DAY, &n.day, e) < 0 ||
	    input_text(req_form_field(r, k->text_field), k->text_field, true, k->text_max, &n.text, e) < 0 ||
	    (k->trust && check_trust(req_form_field(r, "trust"), e) < 0) ||
	    (k->extra_field && input_text(req_form_field(r, k->extra_field), k->extra_field, false, INPUT_TEXT_MAX,
					&n.extra, e) < 0))
		return -1;
	n.trust = k->trust ? req_form_field(r, "trust") : NULL;
	if (note_add(r, &n) < 0)
		return -2;
	return 0;
}

static void note_page(struct req *r, const struct note_kind *k, const struct input_err *e)
{
	int rc;
	if (!auth_keys(r))
		return;
	json_t *items = k == &NOTE_SETBACK ? setback_items(r, r->me, true, &rc)
			: note_items(r, r->me, k, !k->trust, &rc);
	if (!items) {
		req_db_error(r, rc);
		return;
	}
	ui_form_page_begin(r, k->heading, e, k->intro);
	html(&r->out, "<h2>%s</h2>\n", k->form_heading);
	note_form(r, k);
	html(&r->out, "<h2>%s</h2>\n", k->list_heading);
	note_cards(r, k, items);
	json_decref(items);
	page_end_link(r, "/records", "All records");
}

static void note_post(struct req *r, const struct note_kind *k)
{
	struct input_err e = { 0 };
	int res = note_form_store(r, k, &e);
	if (res == -1)
		note_page(r, k, &e);
	else if (res == 0)
		req_redirect(r, k->path);
}

void wins_page(struct req *r)
{
	note_page(r, &NOTE_WIN, NULL);
}

void wins_post(struct req *r)
{
	note_post(r, &NOTE_WIN);
}

void setbacks_page(struct req *r)
{
	note_page(r, &NOTE_SETBACK, NULL);
}

void setbacks_post(struct req *r)
{
	note_post(r, &NOTE_SETBACK);
}

void timeline_page(struct req *r)
{
	note_page(r, &NOTE_TIMELINE, NULL);
}

void timeline_post(struct req *r)
{
	note_post(r, &NOTE_TIMELINE);
}

/* What parting and closing an account run on this room's tables (db/db.h). */
const struct room_sql notes_sql = {
	.shared = "SELECT kind, id, CASE kind WHEN 'timeline' THEN 'title' WHEN 'disclosure' THEN "
		"'summary' WHEN 'breach' THEN 'what' ELSE 'text' END, text, author_id, created_at "
		"FROM record_note WHERE couple_id = ?1; "
		"SELECT kind, id, CASE kind WHEN 'timeline' THEN 'note' ELSE 'helped' END, extra, "
		"author_id, created_at FROM record_note WHERE couple_id = ?1; ",
	.clear = "DELETE FROM record_note WHERE couple_id = ?1; ",
};

/* ---- what a counsellor may see ---- */

/* v's own small wins and setbacks: day, which, what happened, what helped. */
json_t *notes_counsel(struct req *r, const struct viewer *v)
{
	const struct note_kind *kinds[] = { &NOTE_WIN, &NOTE_SETBACK };
	json_t *a = json_array();
	for (size_t k = 0; k < 2; k++) {
		int rc;
		json_t *all = note_items(r, v, kinds[k], false, &rc);
		if (!all) {
			json_decref(a);
			return NULL;
		}
		size_t i;
		json_t *x;
		json_array_foreach(all, i, x) {
			if (!json_is_true(json_object_get(x, "mine")))
				continue;
			json_array_append_new(a, json_pack("{s:O, s:O, s:s, s:O, s:O}", "id", json_object_get(x, "id"),
							   "day", json_object_get(x, "day"), "which", kinds[k]->kind,
							   "text", json_object_get(x, "text"), "helped",
							   json_object_get(x, "helped")));
		}
		json_decref(all);
	}
	return a;
}

/* A copy of v's own timeline note id, for v to give their counsellor:
 * {id, day, title, trust}; JSON null when v wrote no such note. */
json_t *notes_counsel_item(struct req *r, const struct viewer *v, long long id)
{
	json_t *x = note_find(r, v, &NOTE_TIMELINE, id);
	if (!json_is_object(x) || !json_is_true(json_object_get(x, "mine"))) {
		json_decref(x);
		return json_null();
	}
	json_t *c = json_pack("{s:I, s:O, s:O, s:O}", "id", (json_int_t)id, "day",
			      json_object_get(x, NOTE_TIMELINE.date_field), "title",
			      json_object_get(x, NOTE_TIMELINE.text_field), "trust", json_object_get(x, "trust"));
	json_decref(x);
	return c;
}

/* v's own notes of what they disclosed: day and text. */
json_t *disclosure_counsel(struct req *r, const struct viewer *v)
{
	int rc;
	json_t *all = note_items(r, v, &NOTE_DISCLOSURE, false, &rc);
	if (!all)
		return NULL;
	json_t *a = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(all, i, x) {
		if (!json_is_true(json_object_get(x, "mine")))
			continue;
		json_array_append_new(a, json_pack("{s:O, s:O, s:O}", "id", json_object_get(x, "id"), "day",
						   json_object_get(x, NOTE_DISCLOSURE.date_field), "text",
						   json_object_get(x, NOTE_DISCLOSURE.text_field)));
	}
	json_decref(all);
	return a;
}
