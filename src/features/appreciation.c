/* appreciation.c: the daily appreciation: each day,
 * each partner writes one specific thing they appreciate about the other.
 * Visible to the partner at once. The text is sealed under the couple key
 * as "appreciation:<id>:text"; the day is plain. */
#include "appreciation.h"
#include "rituals.h"

#include <stdio.h>
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

int appreciation_insert(sqlite3 *w, const unsigned char *couple_key, long long couple_id,
			long long author_id, long day, const char *text, time_t now, long long *id)
{
	char d[11];
	date_format(day, d);
	int rc = db_int(w, id, "INSERT INTO appreciation(couple_id, author_id, day, text, created_at)"
			   " VALUES(?1, ?2, ?3, x'', ?4) RETURNING id", "iiti", couple_id, author_id, d, (long long)now);
	return rc != SQLITE_ROW ? rc : vault_store_row(w, "UPDATE appreciation SET text = ?2 WHERE id = ?1", couple_key,
			       "appreciation", *id, "text", text);
}

/* One row of the list's query; the text opened with the couple key. */
static void appreciation_row(sqlite3_stmt *st, void *row, struct arena *a, const void *couple_key)
{
	struct appreciation *x = row;
	x->id = sqlite3_column_int64(st, 0);
	snprintf(x->day, sizeof(x->day), "%s", (const char *)sqlite3_column_text(st, 1));
	x->mine = sqlite3_column_int(st, 2) != 0;
	x->text = vault_open_col(a, couple_key, "appreciation", x->id, "text", st, 3);
	x->created_at = (time_t)sqlite3_column_int64(st, 4);
}

/* Who sees an appreciation: both partners of its couple, at once. The one
 * query every reader of the table goes through. */
int appreciation_list(struct req *r, const struct viewer *v, long from, long to,
		      struct appreciation **out, size_t *n)
{
	char f[11], t[11];
	int rc;
	date_format(from, f);
	date_format(to, t);
	*out = db_rows(db_reader(&r->app->db), &r->arena, sizeof(**out), n, &rc, appreciation_row,
		       v->couple_key,
		       "SELECT id, day, author_id = ?2, text, created_at FROM appreciation"
		       " WHERE couple_id = ?1 AND day BETWEEN ?3 AND ?4"
		       " ORDER BY day DESC, author_id = ?2 DESC, id",
		       "iitt", v->couple_id, v->user_id, f, t);
	return rc;
}

static json_t *appreciation_json(const void *item)
{
	const struct appreciation *x = item;
	char at[21];
	instant_format(x->created_at, at);
	return json_pack("{s:I, s:s, s:s, s:s?, s:s}", "id", (json_int_t)x->id, "day", x->day,
			 "author", x->mine ? "me" : "partner", "text", x->text, "created_at", at);
}

struct save {
	struct req *r;
	const unsigned char *key;
	long day;
	const char *text;
	long long id;
};

static int save_tx(sqlite3 *w, void *arg)
{
	struct save *s = arg;
	return appreciation_insert(w, s->key, s->r->me->couple_id, s->r->me->user_id, s->day, s->text,
				   s->r->now, &s->id);
}

/* Stores day's appreciation of mine. Returns SQLITE_OK, SQLITE_CONSTRAINT
 * when there is one for that day, or an error. */
static int appreciation_save(struct req *r, const unsigned char *key, long day, const char *text,
			     long long *id)
{
	struct save s = { r, key, day, text, 0 };
	int rc = db_write(&r->app->db, save_tx, &s);
	*id = s.id;
	return rc;
}

static const char *const FIELDS[] = { "text", "day", NULL };

void appreciation_api_create(struct req *r)
{
	const char *text;
	long day = viewer_today(r);
	long long id;
	if (jin_only(r, r->json, FIELDS) < 0 || jin_str(r, r->json, "text", true, INPUT_TEXT_MAX, &text) < 0 ||
	    jin_day(r, r->json, "day", false, day, &day) < 0)
		return;
	const unsigned char *key = auth_couple_key(r);
	if (!key)
		return;
	int res = req_saved_once(r, appreciation_save(r, key, day, text, &id));
	if (res > 0)
		req_error(r, 409, "already_appreciated",
			  "You have written your appreciation for that day already.", "day");
	if (res)
		return;
	struct appreciation x = { .id = id, .mine = true, .text = text, .created_at = r->now };
	date_format(day, x.day);
	req_json(r, 201, json_pack("{s:o}", "appreciation", appreciation_json(&x)));
}

/* The appreciations v may see of days from..to as a JSON array, or NULL
 * after answering a storage error. */
static json_t *appreciation_items(struct req *r, const struct viewer *v, long from, long to)
{
	struct appreciation *list;
	size_t n;
	if (!req_db_ok(r, appreciation_list(r, v, from, to, &list, &n)))
		return NULL;
	return req_json_items_of(list, n, sizeof(*list), appreciation_json);
}

void appreciation_api_list(struct req *r)
{
	auth_day_list(r, 30, "appreciations", appreciation_items);
}

/* ---- the page ---- */

static void show_page(struct req *r, const char *notice, const char *kind, const char *kept)
{
	struct appreciation *list;
	size_t n;
	long today = viewer_today(r);
	const char *partner = r->me->partner_name;
	const char *who = partner ? partner : "your partner";
	const unsigned char *key = auth_couple_key(r);
	if (!key)
		return;
	if (!req_db_ok(r, appreciation_list(r, r->me, today - 13, today, &list, &n)))
		return;
	char d[11];
	date_format(today, d);
	bool done = false;
	for (size_t i = 0; i < n; i++)
		if (list[i].mine && !strcmp(list[i].day, d))
			done = true;
	page_begin(r, "Appreciation");
	ui_menu(r, "Rituals", rituals_menu, "/appreciations");
	if (notice)
		ui_notice(r, kind, notice);
	if (!done) {
		html(&r->out, "<p>Once a day, one thing you appreciate about %s. Small and specific works "
			      "best: a moment, a word, something they did. %s sees it straight away.</p>\n",
		     who, partner ? partner : "Your partner");
		ui_form_begin(r, "/appreciations");
		ui_textarea(r, arena_printf(&r->arena, "Today I appreciate about %s…", who), "text", kept,
			    NULL, UI_REQUIRED | UI_COACH);
		ui_form_end(r, "Share it");
	} else {
		html(&r->out, "<p>You have shared today's appreciation. See you tomorrow.</p>\n");
	}
	html(&r->out, "<h2>The last two weeks</h2>\n");
	if (!n) {
		html(&r->out, "<p>What you both appreciate shows here. On a hard day it helps to see "
			      "what has been going well.</p>\n");
	} else {
		html(&r->out, "<ul class=\"cards\">\n");
		for (size_t i = 0; i < n; i++) {
			long day;
			date_parse(list[i].day, &day);
			html(&r->out, "<li class=\"card\"><p class=\"meta\">%s · %s</p><p class=\"said\">%s</p></li>\n",
			     words_day_short(&r->arena, day), list[i].mine ? "you" : who,
			     list[i].text ? list[i].text : "(this note could not be opened)");
		}
		html(&r->out, "</ul>\n");
	}
	page_end(r);
}

void appreciation_page(struct req *r)
{
	show_page(r, kv_get(&r->query, "saved") ? "Shared. Thank you." : NULL, "celebrate", NULL);
}

void appreciation_post(struct req *r)
{
	const char *raw = kv_get(&r->form, "text"), *text;
	struct input_err e;
	long long id;
	if (input_text(raw, "text", true, INPUT_TEXT_MAX, &text, &e) < 0) {
		r->status = 400;
		show_page(r, !strcmp(e.code, "missing_field") ? "Please write one thing you appreciate."
				  : e.msg, "attention", utf8_keepable(raw));
		return;
	}
	const unsigned char *key = auth_couple_key(r);
	if (!key)
		return;
	int res = req_saved_once(r, appreciation_save(r, key, viewer_today(r), text, &id));
	if (res > 0)
		show_page(r, "You have shared today's appreciation already.", "info", NULL);
	else if (res == 0)
		req_redirect(r, "/appreciations?saved=1");
}

/* ---- home ---- */

void appreciation_home_card(struct req *r)
{
	struct appreciation *list;
	size_t n;
	bool mine = false, theirs = false;
	const char *partner = r->me->partner_name, *who = partner ? partner : "your partner";
	long today = viewer_today(r);
	html_unsafe_raw(&r->out, "<li class=\"card\" id=\"due-appreciation\">");
	if (appreciation_list(r, r->me, today, today, &list, &n) != SQLITE_OK) {
		ui_notice(r, "attention", "Today's appreciation could not be read just now. Please try again in a moment.");
		html_unsafe_raw(&r->out, "</li>\n");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (list[i].mine)
			mine = true;
		else
			theirs = true;
	}
	if (!mine)
		html(&r->out, "<p>Tell %s one thing you appreciate.</p>"
			      "<p><a class=\"button\" href=\"/appreciations\">Write it</a></p>", who);
	else
		html(&r->out, "<p>You have written today's appreciation.</p>");
	if (theirs)
		html(&r->out, "<p>%s wrote one for you today. <a href=\"/appreciations\">Read it</a></p>", who);
	html_unsafe_raw(&r->out, "</li>\n");
}

/* ---- the export ---- */

json_t *appreciation_export(struct req *r, const struct viewer *v)
{
	return appreciation_items(r, v, 0, DAYS_LAST);
}

/* What parting and closing an account run on this room's tables (db/db.h). */
const struct room_sql appreciation_sql = {
	.shared = "SELECT 'appreciation', id, 'text', text, author_id, created_at FROM appreciation "
		"WHERE couple_id = ?1; ",
	.clear = "DELETE FROM appreciation WHERE couple_id = ?1; ",
};

/* ---- reminders: whether a record exists, never its text ---- */

int appreciation_written_on(sqlite3 *c, long long couple_id, long long user_id, long day, long long *n)
{
	char d[11];
	date_format(day, d);
	return db_int(c, n, "SELECT count(*) FROM appreciation WHERE couple_id = ?1 AND author_id = ?2 AND day = ?3",
		      "iit", couple_id, user_id, d);
}
