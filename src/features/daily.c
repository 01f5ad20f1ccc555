/* daily.c: the daily check-in (see daily.h): its store, its readers
 * through the weekly check-in's reveal rule, the API, the page and the home
 * card. The word is sealed under the couple key as "daily:<id>:word" and the
 * two numbers as "daily:<id>:scores" (close, safe); only who, the day and
 * when are plain. */
#include "daily.h"
#include "checkin.h"
#include "rituals.h"

#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../auth/vault.h"
#include "../base/utf8.h"
#include "../db/db.h"
#include "../http/input.h"
#include "../http/jsonin.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"
#include "../ui/words.h"

time_t daily_reveal_at(const struct tz *z, long day)
{
	return z ? tz_instant(z, day + 2, 0) : (time_t)(day + 2) * 86400;
}

/* Seals check-in id's two numbers under key and empties the plain ones
 * (of a check-in from before sealing). */
static int store_scores(sqlite3 *w, const unsigned char *key, long long id, int close, int safe)
{
	const int v[2] = { close, safe };
	struct buf sc = BUF_INIT;
	int rc = vault_seal_ints(key, "daily", id, "scores", v, 2, &sc) < 0
		 ? SQLITE_TOOBIG
		 : db_run(w, "UPDATE daily_checkin SET scores = ?2, close = NULL, safe = NULL WHERE id = ?1",
			  "iB", id, &sc);
	buf_release(&sc);
	return rc;
}

int daily_insert(sqlite3 *w, const unsigned char *couple_key, long long couple_id,
		 long long author_id, long day, time_t reveal_at, int close, int safe,
		 const char *word, time_t now, long long *id)
{
	char d[11];
	date_format(day, d);
	int rc = db_int(w, id, "INSERT INTO daily_checkin(couple_id, author_id, day, reveal_at,"
			       " created_at, updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?5) RETURNING id",
			"iitii", couple_id, author_id, d, (long long)reveal_at, (long long)now);
	if (rc != SQLITE_ROW)
		return rc;
	rc = store_scores(w, couple_key, *id, close, safe);
	return rc != SQLITE_OK ? rc : vault_store_row(w, "UPDATE daily_checkin SET word = ?2 WHERE id = ?1",
						       couple_key, "daily", *id, "word", word);
}

int daily_update(sqlite3 *w, const unsigned char *couple_key, long long couple_id, long long author_id,
		 long day, int close, int safe, const char *word, time_t now)
{
	char d[11];
	date_format(day, d);
	long long id;
	int rc = db_int(w, &id, "UPDATE daily_checkin SET updated_at = ?4"
				" WHERE couple_id = ?1 AND author_id = ?2 AND day = ?3 RETURNING id",
			"iiti", couple_id, author_id, d, (long long)now);
	if (rc == SQLITE_DONE)
		return SQLITE_NOTFOUND;
	if (rc != SQLITE_ROW)
		return rc;
	rc = store_scores(w, couple_key, id, close, safe);
	return rc != SQLITE_OK ? rc : vault_store_row(w, "UPDATE daily_checkin SET word = ?2 WHERE id = ?1",
						       couple_key, "daily", id, "word", word);
}

/* The daily check-ins a viewer may know of, through the reveal rule
 * (CHECKIN_REVEAL_SQL, checkin.h); the answers (s) are joined only for
 * mine or a revealed one. */
static const char SEEN[] =
	"SELECT k.id, k.period, k.mine, k.revealed, k.reveal_at, k.created_at, s.close, s.safe, s.word,"
	" s.scores"
	" FROM (" CHECKIN_REVEAL_SQL("daily_checkin", "day") ") k"
	" LEFT JOIN daily_checkin s ON s.id = k.id AND (k.mine OR k.revealed)"
	" ORDER BY k.period, k.mine DESC, k.id";

/* Runs SEEN on connection c (the reader, or the writer inside a write):
 * the numbers opened with v's couple key, the words with key. */
static int seen(sqlite3 *c, struct arena *a, const struct viewer *v, const unsigned char *key, time_t now,
		long from, long to, struct daily_row **rows, size_t *n)
{
	char f[11], t[11];
	date_format(from, f);
	date_format(to, t);
	*rows = NULL;
	*n = 0;
	sqlite3_stmt *st = db_prepare(c, SEEN, "iiitt", v->couple_id, v->user_id, (long long)now, f, t);
	if (!st)
		return sqlite3_extended_errcode(c);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long day;
		if (date_parse((const char *)sqlite3_column_text(st, 1), &day) < 0)
			continue;
		*rows = arena_grow(a, *rows, *n, &cap, sizeof(**rows));
		struct daily_row *x = &(*rows)[(*n)++];
		memset(x, 0, sizeof(*x));
		x->id = sqlite3_column_int64(st, 0);
		x->day = day;
		x->mine = sqlite3_column_int(st, 2) != 0;
		x->revealed = sqlite3_column_int(st, 3) != 0;
		x->visible = x->mine || x->revealed;
		x->reveal_at = (time_t)sqlite3_column_int64(st, 4);
		x->created_at = (time_t)sqlite3_column_int64(st, 5);
		if (!x->visible)
			continue;
		if (sqlite3_column_type(st, 9) != SQLITE_NULL) {
			int sc[2];
			bool ok = vault_open_ints(v->couple_key, "daily", x->id, "scores", sqlite3_column_blob(st, 9),
						  (size_t)sqlite3_column_bytes(st, 9), sc, 2) == 0;
			x->close = ok ? sc[0] : -1;
			x->safe = ok ? sc[1] : -1;
		} else {
			/* a check-in from before sealing, until daily_seal_plain */
			x->close = sqlite3_column_int(st, 6);
			x->safe = sqlite3_column_int(st, 7);
		}
		x->word = vault_open_text(a, key, "daily", x->id, "word", sqlite3_column_blob(st, 8),
					  (size_t)sqlite3_column_bytes(st, 8));
	}
	db_done(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int daily_list(struct req *r, const struct viewer *v, const unsigned char *key, long from, long to,
	       struct daily_row **rows, size_t *n)
{
	sqlite3 *c = db_reader(&r->app->db);
	if (!c) {
		*rows = NULL;
		*n = 0;
		return SQLITE_CANTOPEN;
	}
	return seen(c, &r->arena, v, key, r->now, from, to, rows, n);
}

/* Mine and my partner's check-in of day (either NULL). */
static int day_pair(struct req *r, long day, const struct daily_row **me, const struct daily_row **them)
{
	struct daily_row *rows;
	size_t n;
	*me = *them = NULL;
	int rc = daily_list(r, r->me, r->me->couple_key, day, day, &rows, &n);
	for (size_t i = 0; rc == SQLITE_OK && i < n; i++) {
		if (rows[i].mine)
			*me = &rows[i];
		else
			*them = &rows[i];
	}
	return rc;
}

/* ---- saving ---- */

struct save {
	struct req *r;
	const unsigned char *key;
	long day;
	int close, safe;
	const char *word;
	long long id;
	bool change;         /* change my check-in of s->day, which must exist */
};

static int save_tx(sqlite3 *w, void *arg)
{
	struct save *s = arg;
	const struct viewer *v = s->r->me;
	if (s->change)
		return daily_update(w, s->key, v->couple_id, v->user_id, s->day, s->close, s->safe, s->word,
				    s->r->now);
	return daily_insert(w, s->key, v->couple_id, v->user_id, s->day, daily_reveal_at(v->tz, s->day),
			    s->close, s->safe, s->word, s->r->now, &s->id);
}

/* Stores my check-in of s->day, or changes it (s->change). Returns
 * SQLITE_OK; SQLITE_CONSTRAINT when adding one that is there already;
 * SQLITE_NOTFOUND when changing one that is not; or an error. */
static int daily_save(struct save *s)
{
	return db_write(&s->r->app->db, save_tx, s);
}

/* ---- API ---- */

static json_t *daily_json(const struct daily_row *x)
{
	char d[11], ra[21], ca[21];
	date_format(x->day, d);
	instant_format(x->reveal_at, ra);
	if (!x->visible)
		return json_pack("{s:s, s:s, s:b, s:s}", "day", d, "author", "partner", "revealed", 0,
				 "reveals_at", ra);
	instant_format(x->created_at, ca);
	return json_pack("{s:s, s:s, s:b, s:i, s:i, s:o, s:s, s:s}", "day", d, "author",
			 x->mine ? "me" : "partner", "revealed", x->revealed, "close", x->close, "safe", x->safe,
			 "word", x->word ? json_string(x->word) : json_null(), "created_at", ca, "reveals_at", ra);
}

static const char *const FIELDS[] = { "close", "safe", "word", "day", NULL };

void daily_api_create(struct req *r)
{
	long long close, safe;
	const char *word;
	long day = viewer_today(r);
	if (jin_only(r, r->json, FIELDS) < 0 || jin_int(r, r->json, "close", true, 0, DAILY_MAX, &close) < 0 ||
	    jin_int(r, r->json, "safe", true, 0, DAILY_MAX, &safe) < 0 ||
	    jin_str(r, r->json, "word", false, INPUT_TEXT_MAX, &word) < 0 ||
	    jin_day(r, r->json, "day", false, day, &day) < 0)
		return;
	const unsigned char *key = auth_couple_key(r);
	if (!key)
		return;
	struct save s = { r, key, day, (int)close, (int)safe, word, 0, false };
	int res = req_saved_once(r, daily_save(&s));
	if (res > 0)
		req_error(r, 409, "already_checked_in", "You have checked in for that day already.", "day");
	if (res)
		return;
	const struct daily_row *me, *them;
	int rc = day_pair(r, day, &me, &them);
	if (rc != SQLITE_OK || !me) {
		req_db_error(r, rc == SQLITE_OK ? SQLITE_NOTFOUND : rc);
		return;
	}
	req_json(r, 201, json_pack("{s:o}", "daily_checkin", daily_json(me)));
}

void daily_api_change(struct req *r)
{
	static const char *const fields[] = { "close", "safe", "word", NULL };
	long long close, safe;
	const char *word, *path = kv_get(&r->params, "day");
	long day;
	if (!path || strlen(path) != 10 || date_parse(path, &day) < 0) {
		req_error(r, 404, "not_found", "There is no check-in of yours for that day.", NULL);
		return;
	}
	if (jin_only(r, r->json, fields) < 0 || jin_int(r, r->json, "close", true, 0, DAILY_MAX, &close) < 0 ||
	    jin_int(r, r->json, "safe", true, 0, DAILY_MAX, &safe) < 0 ||
	    jin_str(r, r->json, "word", false, INPUT_TEXT_MAX, &word) < 0)
		return;
	if (day != viewer_today(r)) {
		req_error(r, 409, "not_today", "Only today's check-in can change, on the day itself.", "day");
		return;
	}
	const unsigned char *key = auth_couple_key(r);
	if (!key)
		return;
	struct save s = { r, key, day, (int)close, (int)safe, word, 0, true };
	int rc = daily_save(&s);
	if (rc == SQLITE_NOTFOUND) {
		req_error(r, 404, "not_found", "There is no check-in of yours for that day.", NULL);
		return;
	}
	if (!req_db_ok(r, rc))
		return;
	const struct daily_row *me, *them;
	rc = day_pair(r, day, &me, &them);
	if (rc != SQLITE_OK || !me) {
		req_db_error(r, rc == SQLITE_OK ? SQLITE_NOTFOUND : rc);
		return;
	}
	req_json(r, 200, json_pack("{s:o}", "daily_checkin", daily_json(me)));
}

void daily_api_list(struct req *r)
{
	long from, to;
	struct daily_row *rows;
	size_t n;
	struct input_err e;
	if (input_day_range(r, viewer_today(r), 14, &from, &to, &e) < 0) {
		input_answer(r, &e);
		return;
	}
	const unsigned char *key = auth_couple_key(r);
	if (!key)
		return;
	int rc = daily_list(r, r->me, key, from, to, &rows, &n);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, daily_json(&rows[i]));
	req_json(r, 200, json_pack("{s:o}", "daily_checkins", a));
}

/* ---- the page ---- */

/* One partner's day in a table cell. */
static void day_cell(struct req *r, const struct daily_row *x)
{
	if (!x)
		html_unsafe_raw(&r->out, "<td>–</td>");
	else if (!x->visible)
		html_unsafe_raw(&r->out, "<td class=\"hidden-answer\">hidden for now</td>");
	else if (x->word)
		html(&r->out, "<td>close %d, safe %d<br><span class=\"said\">%s</span></td>", x->close, x->safe, x->word);
	else
		html(&r->out, "<td>close %d, safe %d</td>", x->close, x->safe);
}

/* The last two weeks, newest day first: mine beside my partner's. */
static void days_table(struct req *r, const struct daily_row *rows, size_t n)
{
	const char *partner = r->me->partner_name ? r->me->partner_name : "Your partner";
	html(&r->out, "<h2>The last two weeks</h2>\n<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"The last two weeks\"><table class=\"side-by-side\" id=\"daily-days\">"
		      "<thead><tr><th scope=\"col\">Day</th><th scope=\"col\">You</th><th scope=\"col\">%s</th></tr>"
		      "</thead><tbody>\n", partner);
	for (size_t i = n; i > 0;) {
		const struct daily_row *me = NULL, *them = NULL;
		long day = rows[i - 1].day;
		while (i > 0 && rows[i - 1].day == day) {
			if (rows[i - 1].mine)
				me = &rows[i - 1];
			else
				them = &rows[i - 1];
			i--;
		}
		html(&r->out, "<tr><th scope=\"row\">%s</th>", words_day_short(&r->arena, day));
		day_cell(r, me);
		day_cell(r, them);
		html_unsafe_raw(&r->out, "</tr>\n");
	}
	html_unsafe_raw(&r->out, "</tbody></table></div>\n");
}

/* The two scales and the word, filled with close, safe and word (-1, NULL:
 * nothing chosen), and the hidden day the answers are for (today). */
static void answer_fields(struct req *r, int close, int safe, const char *word)
{
	const char *who = viewer_partner_word(r, false);
	char today[11];
	date_format(viewer_today(r), today);
	html(&r->out, "<input type=\"hidden\" name=\"day\" value=\"%s\">\n", today);
	ui_scale_from(r, "close", arena_printf(&r->arena, "How close did you feel to %s today?", who),
		      NULL, 0, DAILY_MAX, close, false, "far apart", "very close");
	ui_scale_from(r, "safe", "How safe did today feel?", NULL, 0, DAILY_MAX, safe, false,
		      "not safe", "completely safe");
	html_unsafe_raw(&r->out, "<details class=\"words\"");
	if (word && *word)
		html_unsafe_raw(&r->out, " open");
	html_unsafe_raw(&r->out, "><summary>A word about today (optional)</summary>\n");
	ui_textarea(r, "A word about today", "word", word, NULL, UI_COACH);
	html_unsafe_raw(&r->out, "</details>\n");
}

/* The page; close, safe and word (-1, NULL: none) keep what the person
 * sent when it could not be saved; changing says it came from the form
 * that changes today's answers. */
static void show_page(struct req *r, const char *notice, const char *kind, int close, int safe,
		      const char *word, bool changing)
{
	struct daily_row *rows;
	size_t n;
	long today = viewer_today(r);
	const char *who = viewer_partner_word(r, false), *Who = viewer_partner_word(r, true);
	const unsigned char *key = auth_couple_key(r);
	if (!key)
		return;
	int rc = daily_list(r, r->me, key, today - 13, today, &rows, &n);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	const struct daily_row *me = NULL, *them = NULL;
	for (size_t i = 0; i < n; i++)
		if (rows[i].day == today)
			*(rows[i].mine ? &me : &them) = &rows[i];
	page_begin(r, "Today's check-in");
	ui_menu(r, "Rituals", rituals_menu, "/daily");
	if (notice)
		ui_notice(r, kind, notice);
	if (!me) {
		if (them)
			ui_notice(r, "info", arena_printf(&r->arena, "%s has checked in today. Their answers "
				  "open once you add yours.", Who));
		html(&r->out, "<p>Two numbers for today, from 0 to 10. %s sees them once they have added "
			      "theirs, or the day after tomorrow.</p>\n", Who);
		ui_form_begin(r, "/daily");
		answer_fields(r, close, safe, word);
		ui_form_end(r, "Save today's check-in");
	} else {
		if (them && them->visible)
			html(&r->out, "<p>You have both checked in today. Take in %s's answers before you talk "
				      "about them.</p>\n", who);
		else
			html(&r->out, "<p>Your answers for today are in. %s's open when they add theirs.</p>\n", Who);
		/* today's answers can change until the day ends; the form opens
		 * with them, or with what was sent when it could not be saved */
		html(&r->out, "<details class=\"change-today\" id=\"change-today\"%s><summary>Change today's "
			      "answers</summary>\n<p class=\"hint\">You can change them until the day ends.</p>\n",
		     changing ? " open" : "");
		ui_form_begin(r, "/daily");
		html_unsafe_raw(&r->out, "<input type=\"hidden\" name=\"change\" value=\"1\">\n");
		answer_fields(r, changing ? close : me->close, changing ? safe : me->safe, changing ? word : me->word);
		ui_form_end(r, "Save the change");
		html_unsafe_raw(&r->out, "</details>\n");
	}
	days_table(r, rows, n);
	page_end(r);
}

void daily_page(struct req *r)
{
	const char *notice = kv_get(&r->query, "saved") ? "Saved. Thank you."
			     : kv_get(&r->query, "changed") ? "Changed. Thank you." : NULL;
	show_page(r, notice, "celebrate", -1, -1, NULL, false);
}

/* A number 0..DAILY_MAX from the form, or -1. */
static int form_number(struct req *r, const char *name)
{
	const char *v = kv_get(&r->form, name);
	if (!v || !*v || strlen(v) > 2)
		return -1;
	char *end;
	long n = strtol(v, &end, 10);
	return *end || v[0] < '0' || v[0] > '9' || n > DAILY_MAX ? -1 : (int)n;
}

void daily_post(struct req *r)
{
	struct input_err e;
	const char *raw = kv_get(&r->form, "word"), *word = NULL, *for_day = kv_get(&r->form, "day");
	bool change = kv_get(&r->form, "change") != NULL;
	int close = form_number(r, "close"), safe = form_number(r, "safe");
	long today = viewer_today(r), day;
	const char *problem = close < 0 ? "Please choose how close you felt, from 0 to 10."
			      : safe < 0 ? "Please choose how safe today felt, from 0 to 10." : NULL;
	if (input_text(raw, "word", false, INPUT_TEXT_MAX, &word, &e) < 0) {
		word = utf8_keepable(raw); /* kept in the form, never lost */
		if (!problem)
			problem = e.msg;
	}
	/* a form opened on an earlier day (the page left open past midnight)
	 * answers for that day, which can no longer be added to or changed */
	if (for_day && (strlen(for_day) != 10 || date_parse(for_day, &day) < 0 || day != today)) {
		r->status = 409;
		show_page(r, "That form was for an earlier day, and a day's check-in can only be added or changed "
			     "on the day itself. Here is today's.", "info", -1, -1, NULL, false);
		return;
	}
	if (problem) {
		r->status = 400;
		show_page(r, problem, "attention", close, safe, word, change);
		return;
	}
	const unsigned char *key = auth_couple_key(r);
	if (!key)
		return;
	struct save s = { r, key, today, close, safe, word, 0, change };
	int rc = daily_save(&s);
	if (change && rc == SQLITE_NOTFOUND) { /* nothing to change yet: it is today's first */
		s.change = false;
		rc = daily_save(&s);
	}
	int res = req_saved_once(r, rc);
	if (res > 0)
		show_page(r, "You have checked in today already. You can change your answers below until the day ends.",
			  "info", -1, -1, NULL, false);
	else if (res == 0)
		req_redirect(r, change ? "/daily?changed=1" : "/daily?saved=1");
}

/* ---- home ---- */

void daily_home_card(struct req *r)
{
	const struct daily_row *me, *them;
	const char *Who = viewer_partner_word(r, true);
	html_unsafe_raw(&r->out, "<li class=\"card\" id=\"due-daily\">");
	if (day_pair(r, viewer_today(r), &me, &them) != SQLITE_OK) {
		ui_notice(r, "attention", "Today's check-in could not be read just now. Please try again in a moment.");
		html_unsafe_raw(&r->out, "</li>\n");
		return;
	}
	if (!me) {
		html_unsafe_raw(&r->out, "<p>How close and how safe did today feel?");
		if (them)
			html(&r->out, " %s has checked in today.", Who);
		html_unsafe_raw(&r->out, "</p>");
		html_unsafe_raw(&r->out, "<p><a class=\"button\" href=\"/daily\">Check in for today</a></p>");
	} else if (them && them->visible) {
		html_unsafe_raw(&r->out, "<p>You have both checked in today. <a href=\"/daily\">See today "
					 "side by side</a></p>");
	} else {
		html_unsafe_raw(&r->out, "<p>Done for today. <a href=\"/daily\">See or change it</a></p>");
	}
	html_unsafe_raw(&r->out, "</li>\n");
}

/* ---- the export and the keepsakes ---- */

json_t *daily_export(struct req *r, const struct viewer *v)
{
	struct daily_row *rows;
	size_t n;
	long first = 0, last = 0;
	date_parse("1900-01-01", &first);
	date_parse("2999-12-31", &last);
	int rc = daily_list(r, v, v->couple_key, first, last, &rows, &n);
	if (!req_db_ok(r, rc))
		return NULL;
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		if (rows[i].visible)
			json_array_append_new(a, daily_json(&rows[i]));
	return a;
}

/* The words of the daily check-ins a viewer may see, through the reveal
 * rule: (id, word, author, created_at). */
static const char SEEN_WORDS[] =
	"SELECT s.id, s.word, s.author_id, s.created_at"
	" FROM (" CHECKIN_REVEAL_SQL("daily_checkin", "day") ") k"
	" JOIN daily_checkin s ON s.id = k.id AND (k.mine OR k.revealed)"
	" WHERE s.word IS NOT NULL";

static int seen_word(struct sealed_walk *w, sqlite3_stmt *st)
{
	struct sealed_text t = { "daily", sqlite3_column_int64(st, 0), "word", sqlite3_column_blob(st, 1),
				 (size_t)sqlite3_column_bytes(st, 1), sqlite3_column_int64(st, 2),
				 sqlite3_column_int64(st, 3), false };
	return t.n ? w->fn(w->arg, &t) : SQLITE_OK;
}

int daily_each_seen(struct sealed_walk *w, long long now)
{
	return sealed_walk_rows(w, db_prepare(w->c, SEEN_WORDS, "iiitt", w->couple_id, w->viewer, now, "0000-01-01",
					      "9999-12-31"), seen_word);
}

/* The couple's daily check-ins whose numbers are still plain. */
struct plain_daily {
	long long id;
	int close, safe;
};

static void plain_row(sqlite3_stmt *st, void *row, struct arena *a, const void *ctx)
{
	(void)a;
	(void)ctx;
	struct plain_daily *x = row;
	*x = (struct plain_daily){ sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1), sqlite3_column_int(st, 2) };
}

static int seal_plain_run(sqlite3 *w, void *arg)
{
	const struct seal_plain_job *j = arg;
	size_t n = 0;
	int rc;
	struct plain_daily *rows = db_rows(w, j->a, sizeof(*rows), &n, &rc, plain_row, NULL,
					   "SELECT id, close, safe FROM daily_checkin WHERE couple_id = ?1"
					   " AND scores IS NULL AND close IS NOT NULL", "i", j->v->couple_id);
	for (size_t i = 0; rc == SQLITE_OK && i < n; i++)
		rc = store_scores(w, j->v->couple_key, rows[i].id, rows[i].close, rows[i].safe);
	if (rows)
		sodium_memzero(rows, n * sizeof(*rows));
	return rc;
}

int daily_seal_plain(struct req *r, const struct viewer *v)
{
	return viewer_seal_plain(r, v,
				 "SELECT EXISTS(SELECT 1 FROM daily_checkin WHERE couple_id = ?1"
				 " AND scores IS NULL AND close IS NOT NULL)",
				 seal_plain_run);
}

/* What parting and closing an account run on this room's tables (db/db.h). */
const struct room_sql daily_sql = {
	.clear = "DELETE FROM daily_checkin WHERE couple_id = ?1; ",
};

/* ---- what a counsellor may see ---- */

/* v's own daily check-ins once revealed to the partner (never one still
 * hidden): the day, closeness, safety and the word. */
json_t *daily_counsel(struct req *r, const struct viewer *v)
{
	struct daily_row *rows;
	size_t n;
	if (daily_list(r, v, v->couple_key, 0, viewer_today(r), &rows, &n) != SQLITE_OK)
		return NULL;
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		char day[11];
		if (!rows[i].mine || !rows[i].revealed)
			continue;
		date_format(rows[i].day, day);
		json_array_append_new(a, json_pack("{s:I, s:s, s:i, s:i, s:s?}", "id", (json_int_t)rows[i].id, "day",
						   day, "close", rows[i].close, "safe", rows[i].safe, "word",
						   rows[i].word));
	}
	return a;
}
