/* harddate.c: hard dates (see harddate.h): the discovery
 * day, dates tied to the betrayal, holidays and anniversaries, one-off or
 * yearly. Upcoming ones (within the couple's notice days, 30 unless they
 * change it) are announced on the home page with the plan for date
 * triggers, so the couple can prepare; hard_dates_upcoming is the query
 * the calendar feed uses. Labels are shared, sealed under the couple key.
 * This file owns the hard_date table; both partners see every hard date
 * (VISIBLE below). */
#include "harddate.h"
#include "trigger.h"
#include "record_setting.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../auth/auth.h"
#include "../auth/vault.h"
#include "../base/caltime.h"
#include "../db/db.h"
#include "../http/input.h"
#include "../http/jsonin.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"
#include "../ui/words.h"

/* Who sees a hard date: both partners of its couple (and the couple's
 * calendar feed, which shows no label). The only place the rule is
 * written: ?1 is the couple, ?2 an id or NULL for all. */
#define VISIBLE " FROM hard_date WHERE couple_id = ?1 AND (?2 IS NULL OR id = ?2) "

struct occ {
	long long id;
	long day;
	bool yearly;
};

static int occ_cmp(const void *a, const void *b)
{
	const struct occ *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int hard_dates_upcoming(sqlite3 *c, long long couple_id, long from_day, long to_day,
			hard_date_fn fn, void *arg)
{
	struct occ *v = NULL;
	size_t n = 0, cap = 0;
	int rc = SQLITE_OK;
	if (to_day < from_day)
		return SQLITE_OK;
	sqlite3_stmt *st = db_prepare(c, "SELECT id, day, yearly" VISIBLE, "iI", couple_id, DB_NULL);
	if (!st)
		return sqlite3_extended_errcode(c);
	struct civil cf, ct;
	civil_from_days(from_day, &cf);
	civil_from_days(to_day, &ct);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long day;
		struct civil d;
		if (date_parse((const char *)sqlite3_column_text(st, 1), &day) < 0)
			continue;
		bool yearly = sqlite3_column_int(st, 2);
		civil_from_days(day, &d);
		for (int y = yearly ? cf.y : 0; y <= (yearly ? ct.y : 0); y++) {
			long occ = day;
			if (yearly) {
				if (y < d.y)
					continue;
				occ = days_from_civil(y, d.m, d.m == 2 && d.d == 29 && !leap(y) ? 28 : d.d);
			}
			if (occ < from_day || occ > to_day)
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				v = xrealloc(v, cap * sizeof(*v));
			}
			v[n++] = (struct occ){ sqlite3_column_int64(st, 0), occ, yearly };
		}
	}
	db_done(st);
	if (rc != SQLITE_DONE) {
		free(v);
		return rc;
	}
	if (n)
		qsort(v, n, sizeof(*v), occ_cmp);
	for (size_t i = 0; i < n; i++)
		if (fn(arg, v[i].id, v[i].day, v[i].yearly))
			break;
	free(v);
	return SQLITE_OK;
}

/* ---- reading ---- */

struct hd_list {
	struct req *r;
	const struct viewer *v;
	long today;
	json_t *items;
};

static const char *iso(struct req *r, long day)
{
	char d[11];
	date_format(day, d);
	return arena_strdup(&r->arena, d);
}

static json_t *jtext(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* The hard date id as v sees it, with its next day (next < 0: none). */
static json_t *hd_json(struct req *r, const struct viewer *v, long long id, long today, long next)
{
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, "SELECT id, day, yearly, label, author_id, created_at" VISIBLE, "iI",
					  v->couple_id, id) : NULL;
	json_t *j = NULL;
	if (st && sqlite3_step(st) == SQLITE_ROW) {
		j = json_pack("{s:I, s:s, s:o, s:b, s:I}", "id", (json_int_t)id, "date",
			      (const char *)sqlite3_column_text(st, 1), "label",
			      jtext(vault_open_text(&r->arena, v->couple_key, "hard_date", id, "label",
					    sqlite3_column_blob(st, 3), (size_t)sqlite3_column_bytes(st, 3))), "yearly",
			      sqlite3_column_int(st, 2), "author_id", (json_int_t)sqlite3_column_int64(st, 4));
		if (next >= 0) {
			json_object_set_new(j, "next", json_string(iso(r, next)));
			json_object_set_new(j, "days_until", json_integer(next - today));
		}
	}
	db_done(st);
	return j;
}

static int hd_collect(void *arg, long long id, long day, bool yearly)
{
	struct hd_list *l = arg;
	(void)yearly;
	json_t *j = hd_json(l->r, l->v, id, l->today, day);
	if (j)
		json_array_append_new(l->items, j);
	return 0;
}

/* The next occurrence on or after today of each hard date (null when a
 * one-off date has passed), for the full list. */
static long next_of(const char *iso, bool yearly, long today)
{
	long day;
	struct civil d, t;
	if (date_parse(iso, &day) < 0)
		return -1;
	if (day >= today)
		return day;
	if (!yearly)
		return -1;
	civil_from_days(day, &d);
	civil_from_days(today, &t);
	for (int y = t.y; y <= t.y + 1; y++) {
		long occ = days_from_civil(y, d.m, d.m == 2 && d.d == 29 && !leap(y) ? 28 : d.d);
		if (occ >= today)
			return occ;
	}
	return -1;
}

/* All hard dates (upcoming_days < 0) or those falling within the next
 * upcoming_days days, as a JSON array; NULL after a storage error. */
static json_t *hd_items(struct req *r, const struct viewer *v, long upcoming_days, int *rc)
{
	struct hd_list l = { r, v, viewer_today(r), json_array() };
	sqlite3 *c = db_reader(&r->app->db);
	*rc = SQLITE_CANTOPEN;
	if (!c)
		goto fail;
	if (upcoming_days >= 0) {
		if ((*rc = hard_dates_upcoming(c, v->couple_id, l.today, l.today + upcoming_days, hd_collect, &l)))
			goto fail;
		return l.items;
	}
	sqlite3_stmt *st = db_prepare(c, "SELECT id, day, yearly" VISIBLE "ORDER BY substr(day, 6), day, id", "iI",
				      v->couple_id, DB_NULL);
	if (!st) {
		*rc = sqlite3_extended_errcode(c);
		goto fail;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		long next = next_of((const char *)sqlite3_column_text(st, 1), sqlite3_column_int(st, 2), l.today);
		json_t *j = hd_json(r, v, id, l.today, next);
		if (j && next < 0) {
			json_object_set_new(j, "next", json_null());
			json_object_set_new(j, "days_until", json_null());
		}
		if (j)
			json_array_append_new(l.items, j);
	}
	db_done(st);
	*rc = SQLITE_OK;
	return l.items;
fail:
	json_decref(l.items);
	return NULL;
}

/* ---- writing ---- */

int hard_date_store(sqlite3 *w, void *arg)
{
	struct hard_date_new *h = arg;
	char d[11];
	date_format(h->day, d);
	int rc = db_run(w, "INSERT INTO hard_date(couple_id, author_id, day, yearly, created_at)"
			   " VALUES(?1, ?2, ?3, ?4, ?5)", "iitii", h->couple_id, h->author_id, d, (long long)h->yearly,
			h->created_at);
	if (rc != SQLITE_OK)
		return rc;
	h->id = sqlite3_last_insert_rowid(w);
	return vault_store_row(w, "UPDATE hard_date SET label = ?2 WHERE id = ?1", h->couple_key, "hard_date", h->id,
				 "label", h->label);
}

/* Stores h for the viewer of r: 0, or -1 after answering (keys locked,
 * storage). */
static int hd_add(struct req *r, struct hard_date_new *h)
{
	if (!auth_author(r, &h->couple_id, &h->author_id, &h->created_at))
		return -1;
	h->couple_key = r->me->couple_key;
	return req_write(r, hard_date_store, h);
}

/* How many days ahead the viewer's couple sees hard dates (30 unless set). */
static long notice_days(struct req *r)
{
	struct record_settings t;
	return record_settings_read(r, r->me, &t) == SQLITE_OK ? t.notice_days : 30;
}

static const char *const HD_FIELDS[] = { "date", "label", "yearly", NULL };

void harddate_api_create(struct req *r)
{
	struct hard_date_new h = { 0 };
	struct input_err e = { 0 };
	const char *date;
	json_t *b = r->json;
	if (jin_only(r, b, HD_FIELDS) < 0 || jin_str(r, b, "date", true, 10, &date) < 0 ||
	    jin_str(r, b, "label", true, INPUT_TITLE_MAX, &h.label) < 0 || jin_bool(r, b, "yearly", false, &h.yearly) < 0)
		return;
	if (input_day(date, "date", INPUT_ANY_DAY, &h.day, &e) < 0) {
		input_answer(r, &e);
		return;
	}
	if (hd_add(r, &h) < 0)
		return;
	long next = next_of(date, h.yearly, viewer_today(r));
	json_t *j = hd_json(r, r->me, h.id, viewer_today(r), next);
	if (j && next < 0) {
		json_object_set_new(j, "next", json_null());
		json_object_set_new(j, "days_until", json_null());
	}
	req_json(r, 201, json_pack("{s:o}", "hard_date", j ? j : json_null()));
}

void harddate_api_list(struct req *r)
{
	const char *up = kv_get(&r->query, "upcoming_days");
	long days = -1;
	int rc;
	if (up) {
		char *end;
		days = strtol(up, &end, 10);
		if (!*up || *end || days < 0 || days > 366) {
			req_error(r, 400, "invalid_field", "upcoming_days must be a whole number from 0 to 366.",
				  "upcoming_days");
			return;
		}
	}
	if (!auth_keys(r))
		return;
	json_t *items = hd_items(r, r->me, days, &rc);
	if (!items) {
		req_db_error(r, rc);
		return;
	}
	req_json(r, 200, json_pack("{s:o, s:I}", "hard_dates", items, "notice_days", (json_int_t)notice_days(r)));
}

static const char *const NOTICE_FIELDS[] = { "days", NULL };

void harddate_api_notice(struct req *r)
{
	struct record_notice n = { r->me->couple_id, 30, (long long)r->now };
	if (jin_only(r, r->json, NOTICE_FIELDS) < 0 || jin_int(r, r->json, "days", true, 1, 365, &n.days) < 0)
		return;
	if (req_write(r, record_notice_store, &n) == 0)
		req_json(r, 200, json_pack("{s:I}", "notice_days", (json_int_t)n.days));
}

/* ---- pages ---- */

static void hd_card(struct req *r, json_t *j)
{
	json_t *du = json_object_get(j, "days_until");
	const char *date = json_string_value(json_object_get(j, "date"));
	bool yearly = json_is_true(json_object_get(j, "yearly"));
	long day;
	html(&r->out, "<li class=\"card\"><p><strong>%s</strong></p><p>",
	     json_string_value(json_object_get(j, "label")) ? json_string_value(json_object_get(j, "label")) : "");
	/* a yearly date by its day and month, a single one by its whole date */
	if (yearly && date && date_parse(date, &day) == 0)
		html(&r->out, "Each year on %s.", words_day_month(&r->arena, day));
	else
		html(&r->out, "%s.", words_iso_day(&r->arena, date));
	if (json_is_integer(du)) {
		long long n = json_integer_value(du);
		if (n == 0)
			html(&r->out, " It is today.");
		else if (n == 1)
			html(&r->out, " It is tomorrow.");
		else if (yearly)
			html(&r->out, " Next: %s, in %s.", words_iso_day(&r->arena, json_string_value(json_object_get(j,
			     "next"))), words_count(&r->arena, (long)n, "day", "days"));
		else
			html(&r->out, " In %s.", words_count(&r->arena, (long)n, "day", "days"));
	}
	html_unsafe_raw(&r->out, "</p></li>\n");
}

static void hd_page(struct req *r, const struct input_err *e)
{
	int rc;
	if (!auth_keys(r))
		return;
	json_t *items = hd_items(r, r->me, -1, &rc);
	if (!items) {
		req_db_error(r, rc);
		return;
	}
	ui_form_page_begin(r, "Hard dates", e,
			   "Some days bring the pain back: the day it came out, dates tied to what happened, "
			   "holidays and anniversaries. Noting them lets you see them coming and plan the day "
			   "together. They appear on your start page ahead of time.");
	page_cards(r, items, "No hard dates yet.", hd_card);
	json_decref(items);
	html(&r->out, "<h2>Add a hard date</h2>\n");
	ui_form_begin(r, "/hard-dates");
	ui_input(r, "The day", "date", "date", req_form_field(r, "date"), "off", NULL, 1);
	ui_input(r, "What it is", "label", "text", req_form_field(r, "label"), "off",
		 "A few words, for example: the day we found out.", 1);
	static const char *const YEARLY[] = { "1", "Every year", "0", "Only this once", NULL };
	ui_radios(r, "Does it come back?", "yearly", YEARLY, req_form_field(r, "yearly") ? req_form_field(r, "yearly") : "1");
	ui_form_end(r, "Add it");
	html(&r->out, "<h2>How far ahead</h2>\n");
	ui_form_begin(r, "/hard-dates/notice");
	ui_input(r, "Show hard dates this many days ahead", "days", "number",
		 req_form_field(r, "days") ? req_form_field(r, "days") : arena_printf(&r->arena, "%ld", notice_days(r)),
		 "off", "From 1 to 365.", 1);
	ui_form_end(r, "Save");
	page_end_link(r, "/records", "All records");
}

void harddate_page(struct req *r)
{
	hd_page(r, NULL);
}

void harddate_post(struct req *r)
{
	struct hard_date_new h = { 0 };
	struct input_err e = { 0 };
	const char *y = req_form_field(r, "yearly");
	if (input_day(req_form_field(r, "date"), "date", INPUT_ANY_DAY, &h.day, &e) < 0 ||
	    input_text(req_form_field(r, "label"), "label", true, INPUT_TITLE_MAX, &h.label, &e) < 0) {
		hd_page(r, &e);
		return;
	}
	if (y && strcmp(y, "0") && strcmp(y, "1")) {
		input_fail(&e, 400, "invalid_field", "yearly", "Please choose every year or only once.");
		hd_page(r, &e);
		return;
	}
	h.yearly = !y || !strcmp(y, "1");
	if (hd_add(r, &h) < 0)
		return;
	req_redirect(r, "/hard-dates");
}

void harddate_notice_post(struct req *r)
{
	struct record_notice n = { r->me->couple_id, 0, (long long)r->now };
	struct input_err e = { 0 };
	const char *s = req_form_field(r, "days");
	char *end = NULL;
	if (!s || (n.days = strtoll(s, &end, 10)) < 1 || n.days > 365 || *end) {
		input_fail(&e, 400, "invalid_field", "days", "Please give a number of days from 1 to 365.");
		hd_page(r, &e);
		return;
	}
	if (req_write(r, record_notice_store, &n) == 0)
		req_redirect(r, "/hard-dates");
}

void harddate_home(struct req *r)
{
	int rc;
	if (!r->me->data_key || !r->me->couple_key)
		return; /* the home page says the notes are locked */
	json_t *items = hd_items(r, r->me, notice_days(r), &rc);
	if (!items || !json_array_size(items)) {
		json_decref(items);
		return;
	}
	html(&r->out, "<section class=\"home-records home-dates\" aria-label=\"Hard dates ahead\">\n");
	/* the nearest one here, in a line, the rest a tap away */
	json_t *j = json_array_get(items, 0);
	json_t *du = json_object_get(j, "days_until");
	long long n = json_is_integer(du) ? json_integer_value(du) : -1;
	html(&r->out, "<p>Hard date ahead: <strong>%s</strong>, %s.</p>\n",
	     json_string_value(json_object_get(j, "label")) ? json_string_value(json_object_get(j, "label")) : "",
	     n == 0 ? "today" : n == 1 ? "tomorrow"
	     : n < 0 ? words_iso_day(&r->arena, json_string_value(json_object_get(j, "date")))
	     : arena_printf(&r->arena, "%s, in %s", words_iso_day(&r->arena, json_string_value(json_object_get(j, "next"))),
			    words_count(&r->arena, (long)n, "day", "days")));
	if (json_array_size(items) > 1)
		html(&r->out, "<p><a href=\"/hard-dates\">%s ahead</a></p>\n",
		     words_count(&r->arena, (long)json_array_size(items) - 1, "more hard date", "more hard dates"));
	json_t *plan = trigger_plan_for(r, r->me, "date");
	if (json_is_object(plan))
		html(&r->out, "<details class=\"notice notice-info info\"><summary>Your plan for hard dates</summary>"
			      "<p class=\"prewrap\"><strong>What is needed:</strong> %s</p>"
			      "<p class=\"prewrap\"><strong>What the partner does:</strong> %s</p></details>\n",
		     json_string_value(json_object_get(plan, "needs")) ? json_string_value(json_object_get(plan, "needs")) : "",
		     json_string_value(json_object_get(plan, "response")) ? json_string_value(json_object_get(plan,
			     "response")) : "");
	else
		html(&r->out, "<p>You could <a href=\"/triggers/plans#plan-date\">agree a plan for hard dates</a> "
			      "before the day comes.</p>\n");
	html(&r->out, "</section>\n");
	json_decref(plan);
	json_decref(items);
}

/* ---- the export ---- */

json_t *harddate_export(struct req *r, const struct viewer *v)
{
	int rc;
	json_t *a = hd_items(r, v, -1, &rc);
	if (!a)
		req_db_error(r, rc);
	return a;
}

/* What parting and closing an account run on this room's tables (db/db.h). */
const struct room_sql harddate_sql = {
	.shared = "SELECT 'hard_date', id, 'label', label, author_id, created_at FROM hard_date "
		"WHERE couple_id = ?1; ",
	.clear = "DELETE FROM hard_date WHERE couple_id = ?1; ",
};
