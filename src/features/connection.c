/* connection.c: connection time: time together that is
 * not about the betrayal (a talk, a date, a walk, something else), with the
 * minutes and an optional note, at /together. Either partner records it;
 * both see it. connection.c owns the connection_time table. The
 * note is sealed under the couple key as "connection:<id>:note", the
 * minutes and kind as "connection:<id>:facts"; only who and the day are
 * plain. */
#include "connection.h"
#include "rituals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../auth/auth.h"
#include "../auth/vault.h"
#include "../base/utf8.h"
#include "../db/db.h"
#include "../http/input.h"
#include "../http/jsonin.h"
#include "../ui/words.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"

static const char *const KINDS[] = {
	"talk", "A talk",
	"date", "A date",
	"walk", "A walk",
	"other", "Something else",
	NULL,
};

/* How long and what kind, sealed under the couple key as
 * "connection:<id>:facts": the minutes and the kind's place in KINDS. The
 * plain columns (of a moment from before sealing) are emptied. */
static int facts_store(sqlite3 *w, const unsigned char *key, long long id, int minutes, const char *kind)
{
	int v[2] = { minutes, 0 };
	for (int i = 0; KINDS[2 * i]; i++)
		if (kind && !strcmp(KINDS[2 * i], kind))
			v[1] = i;
	struct buf sc = BUF_INIT;
	int rc = vault_seal_ints(key, "connection", id, "facts", v, 2, &sc) < 0
		 ? SQLITE_TOOBIG
		 : db_run(w, "UPDATE connection_time SET facts = ?2, minutes = NULL, kind = NULL WHERE id = ?1",
			  "iB", id, &sc);
	buf_release(&sc);
	return rc;
}

int connection_insert(sqlite3 *w, const unsigned char *couple_key, long long couple_id,
		      long long author_id, long day, int minutes, const char *kind,
		      const char *note, time_t now, long long *id)
{
	char d[11];
	date_format(day, d);
	int rc = db_run(w, "INSERT INTO connection_time(couple_id, author_id, day, created_at)"
			   " VALUES(?1, ?2, ?3, ?4)", "iiti", couple_id, author_id, d, (long long)now);
	if (rc != SQLITE_OK)
		return rc;
	*id = sqlite3_last_insert_rowid(w);
	rc = facts_store(w, couple_key, *id, minutes, kind);
	if (rc != SQLITE_OK)
		return rc;
	if (!note || !*note)
		return SQLITE_OK;
	return vault_store_row(w, "UPDATE connection_time SET note = ?2 WHERE id = ?1", couple_key,
			       "connection", *id, "note", note);
}

/* One row of the list's query; the facts and the note opened with the
 * couple key (without it: minutes 0, kind and note NULL). */
static void connection_row(sqlite3_stmt *st, void *row, struct arena *a, const void *couple_key)
{
	struct connection_time *x = row;
	x->id = sqlite3_column_int64(st, 0);
	snprintf(x->day, sizeof(x->day), "%s", (const char *)sqlite3_column_text(st, 1));
	int v[2];
	if (sqlite3_column_type(st, 7) == SQLITE_NULL) {
		/* a moment from before sealing, until connection_seal_plain */
		x->minutes = sqlite3_column_int(st, 2);
		x->kind = arena_strdup(a, (const char *)sqlite3_column_text(st, 3));
	} else if (vault_open_ints(couple_key, "connection", x->id, "facts", sqlite3_column_blob(st, 7),
				   (size_t)sqlite3_column_bytes(st, 7), v, 2) == 0 &&
		   v[1] >= 0 && v[1] < (int)(sizeof(KINDS) / sizeof(KINDS[0]) / 2)) {
		x->minutes = v[0];
		x->kind = KINDS[2 * v[1]];
	}
	x->note = vault_open_col(a, couple_key, "connection", x->id, "note", st, 4);
	x->mine = sqlite3_column_int(st, 5) != 0;
	x->created_at = (time_t)sqlite3_column_int64(st, 6);
}

/* Who sees time together: both partners of its couple, whoever noted it.
 * The one query every reader of the table goes through. */
int connection_list(struct req *r, const struct viewer *v, long from, long to,
		    struct connection_time **out, size_t *n)
{
	char f[11], t[11];
	int rc;
	date_format(from, f);
	date_format(to, t);
	*out = db_rows(db_reader(&r->app->db), &r->arena, sizeof(**out), n, &rc, connection_row,
		       v->couple_key,
		       "SELECT id, day, minutes, kind, note, author_id = ?2, created_at, facts FROM connection_time"
		       " WHERE couple_id = ?1 AND day BETWEEN ?3 AND ?4 ORDER BY day DESC, id DESC",
		       "iitt", v->couple_id, v->user_id, f, t);
	return rc;
}

static json_t *together_json(const void *item)
{
	const struct connection_time *x = item;
	char at[21];
	instant_format(x->created_at, at);
	return json_pack("{s:I, s:s, s:i, s:s?, s:s?, s:s, s:s}", "id", (json_int_t)x->id, "day", x->day,
			 "minutes", x->minutes, "kind", x->kind, "note", x->note, "author",
			 x->mine ? "me" : "partner", "created_at", at);
}

struct save {
	struct req *r;
	const unsigned char *key;
	long day;
	int minutes;
	const char *kind, *note;
	long long id;
};

static int save_tx(sqlite3 *w, void *arg)
{
	struct save *s = arg;
	return connection_insert(w, s->key, s->r->me->couple_id, s->r->me->user_id, s->day, s->minutes,
				 s->kind, s->note, s->r->now, &s->id);
}

/* Stores a moment of mine (checked already), or answers why not: the keys
 * are locked (409) or the storage failed. Returns 0, or -1 after
 * answering. */
static int together_save(struct req *r, long day, int minutes, const char *kind, const char *note,
			 long long *id)
{
	struct save s = { r, auth_couple_key(r), day, minutes, kind, note, 0 };
	if (!s.key)
		return -1;
	if (!req_db_ok(r, db_write(&r->app->db, save_tx, &s)))
		return -1;
	*id = s.id;
	return 0;
}

/* ---- API ---- */

static const char *const FIELDS[] = { "day", "minutes", "kind", "note", NULL };

void connection_api_create(struct req *r)
{
	const char *kind, *note;
	long long minutes, id;
	long day;
	if (jin_only(r, r->json, FIELDS) < 0 || jin_day(r, r->json, "day", true, viewer_today(r), &day) < 0)
		return;
	if (jin_int(r, r->json, "minutes", true, 1, 1440, &minutes) < 0 ||
	    jin_str(r, r->json, "kind", true, 16, &kind) < 0)
		return;
	if (!words_label(KINDS, kind)) {
		req_error(r, 400, "invalid_field", "kind must be talk, date, walk or other.", "kind");
		return;
	}
	if (jin_str(r, r->json, "note", false, INPUT_TEXT_MAX, &note) < 0)
		return;
	if (together_save(r, day, (int)minutes, kind, note, &id) < 0)
		return;
	struct connection_time x = { .id = id, .minutes = (int)minutes, .kind = kind, .note = note,
				     .mine = true, .created_at = r->now };
	date_format(day, x.day);
	req_json(r, 201, json_pack("{s:o}", "connection", together_json(&x)));
}

/* The moments v may see of days from..to as a JSON array, or NULL after
 * answering a storage error. */
static json_t *connection_items(struct req *r, const struct viewer *v, long from, long to)
{
	struct connection_time *list;
	size_t n;
	if (!req_db_ok(r, connection_list(r, v, from, to, &list, &n)))
		return NULL;
	return req_json_items_of(list, n, sizeof(*list), together_json);
}

void connection_api_list(struct req *r)
{
	auth_day_list(r, 30, "connections", connection_items);
}

/* ---- the page ---- */

struct together_form {
	const char *day, *minutes, *kind, *note;
};

static void show_page(struct req *r, const char *notice, const char *nkind, const struct together_form *kept)
{
	struct connection_time *list;
	size_t n;
	long today = viewer_today(r);
	char d[11];
	const char *partner = r->me->partner_name;
	const unsigned char *key = auth_couple_key(r);
	if (!key)
		return;
	if (!req_db_ok(r, connection_list(r, r->me, today - 27, today, &list, &n)))
		return;
	date_format(today, d);
	page_begin(r, "Time together");
	ui_menu(r, "Rituals", rituals_menu, "/together");
	if (notice)
		ui_notice(r, nkind, notice);
	html(&r->out, "<p>Time for the two of you that is not about what happened: a talk about "
		      "anything else, a date, a walk. It helps the relationship be about more than the "
		      "hurt.</p>\n");
	ui_form_begin(r, "/together");
	ui_input(r, "Day", "day", "date", kept && kept->day ? kept->day : d, "off", NULL, 1);
	ui_input(r, "Minutes", "minutes", "number", kept ? kept->minutes : NULL, "off", NULL, 1);
	ui_radios(r, "What was it?", "kind", KINDS, kept && kept->kind ? kept->kind : "talk");
	ui_textarea(r, "A note (optional)", "note", kept ? kept->note : NULL,
		    "A line to remember it by.", UI_COACH);
	ui_form_end(r, "Save it");

	html(&r->out, "<h2>The last four weeks</h2>\n");
	if (!n) {
		html(&r->out, "<p>Nothing yet. Even twenty minutes of a walk together counts.</p>\n");
		page_end(r);
		return;
	}
	long total = 0;
	for (size_t i = 0; i < n; i++)
		total += list[i].minutes;
	html(&r->out, "<p>%ld minutes together in %zu moments.</p>\n<ul class=\"cards\">\n", total, n);
	for (size_t i = 0; i < n; i++) {
		long day;
		date_parse(list[i].day, &day);
		html(&r->out, "<li class=\"card\"><p class=\"meta\">%s · %s · %d minutes</p>",
		     words_day_short(&r->arena, day),
		     list[i].kind ? words_label(KINDS, list[i].kind) : "Time together", list[i].minutes);
		if (list[i].note)
			html(&r->out, "<p class=\"said\">%s</p>", list[i].note);
		html(&r->out, "<p class=\"hint\">Noted by %s</p></li>\n",
		     list[i].mine ? "you" : partner ? partner : "your partner");
	}
	html(&r->out, "</ul>\n");
	page_end(r);
}

void connection_page(struct req *r)
{
	show_page(r, kv_get(&r->query, "saved") ? "Saved." : NULL, "celebrate", NULL);
}

void connection_post(struct req *r)
{
	struct together_form f = { kv_get(&r->form, "day"), kv_get(&r->form, "minutes"),
				   kv_get(&r->form, "kind"), kv_get(&r->form, "note") };
	long day, today = viewer_today(r);
	long long lid;
	const char *problem = NULL, *note = NULL;
	struct input_err e;
	char *end = NULL;
	long minutes = f.minutes && *f.minutes ? strtol(f.minutes, &end, 10) : 0;
	if (!f.day || date_parse(f.day, &day) < 0)
		problem = "Please give the day as YYYY-MM-DD.";
	else if (day > today)
		problem = "That day has not come yet.";
	else if (!f.minutes || !*f.minutes || *end || minutes < 1 || minutes > 1440)
		problem = "Minutes can be from 1 to 1440.";
	else if (!f.kind || !words_label(KINDS, f.kind))
		problem = "Please choose what it was.";
	else if (input_text(f.note, "note", false, INPUT_TEXT_MAX, &note, &e) < 0)
		problem = e.msg;
	if (problem) {
		struct together_form kept = { utf8_keepable(f.day), utf8_keepable(f.minutes),
					      f.kind && words_label(KINDS, f.kind) ? f.kind : NULL, utf8_keepable(f.note) };
		r->status = 400;
		show_page(r, problem, "attention", &kept);
		return;
	}
	if (together_save(r, day, (int)minutes, f.kind, note, &lid) < 0)
		return;
	req_redirect(r, "/together?saved=1");
}

/* ---- the export ---- */

json_t *connection_export(struct req *r, const struct viewer *v)
{
	return connection_items(r, v, 0, DAYS_LAST);
}

/* What parting and closing an account run on this room's tables (db/db.h). */
/* ---- sealing moments from before sealing ---- */

struct plain_moment {
	long long id;
	int minutes;
	const char *kind;
};

static void plain_row(sqlite3_stmt *st, void *row, struct arena *a, const void *ctx)
{
	(void)ctx;
	struct plain_moment *x = row;
	x->id = sqlite3_column_int64(st, 0);
	x->minutes = sqlite3_column_int(st, 1);
	x->kind = arena_strdup(a, (const char *)sqlite3_column_text(st, 2));
}

static int seal_plain_run(sqlite3 *w, void *arg)
{
	const struct seal_plain_job *j = arg;
	size_t n = 0;
	int rc;
	struct plain_moment *rows = db_rows(w, j->a, sizeof(*rows), &n, &rc, plain_row, NULL,
					    "SELECT id, minutes, kind FROM connection_time WHERE couple_id = ?1"
					    " AND facts IS NULL AND minutes IS NOT NULL", "i", j->v->couple_id);
	for (size_t i = 0; rc == SQLITE_OK && i < n; i++)
		rc = facts_store(w, j->v->couple_key, rows[i].id, rows[i].minutes, rows[i].kind);
	return rc;
}

int connection_seal_plain(struct req *r, const struct viewer *v)
{
	return viewer_seal_plain(r, v,
				 "SELECT EXISTS(SELECT 1 FROM connection_time WHERE couple_id = ?1"
				 " AND facts IS NULL AND minutes IS NOT NULL)",
				 seal_plain_run);
}

const struct room_sql connection_sql = {
	.shared = "SELECT 'connection', id, 'note', note, author_id, created_at FROM "
		"connection_time WHERE couple_id = ?1; ",
	.clear = "DELETE FROM connection_time WHERE couple_id = ?1; ",
};
