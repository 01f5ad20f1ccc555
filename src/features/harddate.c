/* harddate.c: hard dates (SPEC §4, seed 001 steps 9 and 17): the discovery
 * day, dates tied to the betrayal, holidays and anniversaries, one-off or
 * yearly. Upcoming ones (within the couple's notice days, 30 unless they
 * change it) are announced on the home page with the plan for date
 * triggers, so the couple can prepare; hard_dates_upcoming is the query
 * the calendar feed uses. Labels are shared, sealed under the couple key. */
#include "records.h"
#include "records_int.h"
#include "trigger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../base/caltime.h"
#include "../db/db.h"
#include "../http/jsonin.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"

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
	sqlite3_stmt *st = db_prepare(c, "SELECT id, day, yearly FROM hard_date WHERE couple_id = ?1", "i",
				      couple_id);
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
	sqlite3_finalize(st);
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
	const unsigned char *ck;
	long today;
	json_t *items;
};

static json_t *hd_json(struct req *r, const unsigned char *ck, long long id, long today, long next)
{
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, "SELECT id, day, yearly, label, author_id, created_at FROM hard_date"
					     " WHERE couple_id = ?1 AND id = ?2", "ii", r->me->couple_id, id) : NULL;
	json_t *j = NULL;
	if (st && sqlite3_step(st) == SQLITE_ROW) {
		j = json_pack("{s:I, s:s, s:o, s:b, s:I}", "id", (json_int_t)id, "date",
			      (const char *)sqlite3_column_text(st, 1), "label",
			      rec_jstr(rec_open(r, ck, "hard_date", id, "label", st, 3)), "yearly",
			      sqlite3_column_int(st, 2), "author_id", (json_int_t)sqlite3_column_int64(st, 4));
		if (next >= 0) {
			json_object_set_new(j, "next", json_string(rec_date(r, next)));
			json_object_set_new(j, "days_until", json_integer(next - today));
		}
	}
	sqlite3_finalize(st);
	return j;
}

static int hd_collect(void *arg, long long id, long day, bool yearly)
{
	struct hd_list *l = arg;
	(void)yearly;
	json_t *j = hd_json(l->r, l->ck, id, l->today, day);
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
static json_t *hd_items(struct req *r, const unsigned char *ck, long upcoming_days, int *rc)
{
	struct hd_list l = { r, ck, rec_today(r), json_array() };
	sqlite3 *c = db_reader(&r->app->db);
	*rc = SQLITE_CANTOPEN;
	if (!c)
		goto fail;
	if (upcoming_days >= 0) {
		if ((*rc = hard_dates_upcoming(c, r->me->couple_id, l.today, l.today + upcoming_days, hd_collect, &l)))
			goto fail;
		return l.items;
	}
	sqlite3_stmt *st = db_prepare(c, "SELECT id, day, yearly FROM hard_date WHERE couple_id = ?1 ORDER BY"
					 " substr(day, 6), day, id", "i", r->me->couple_id);
	if (!st) {
		*rc = sqlite3_extended_errcode(c);
		goto fail;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		long next = next_of((const char *)sqlite3_column_text(st, 1), sqlite3_column_int(st, 2), l.today);
		json_t *j = hd_json(r, ck, id, l.today, next);
		if (j && next < 0) {
			json_object_set_new(j, "next", json_null());
			json_object_set_new(j, "days_until", json_null());
		}
		if (j)
			json_array_append_new(l.items, j);
	}
	sqlite3_finalize(st);
	*rc = SQLITE_OK;
	return l.items;
fail:
	json_decref(l.items);
	return NULL;
}

/* ---- writing ---- */

struct hd_write {
	long long couple_id, user_id, id;
	long day;
	bool yearly;
	const char *label;
	const unsigned char *ck;
};

static int hd_write_fn(sqlite3 *w, void *arg)
{
	struct hd_write *h = arg;
	char d[11];
	date_format(h->day, d);
	int rc = db_run(w, "INSERT INTO hard_date(couple_id, author_id, day, yearly, created_at)"
			   " VALUES(?1, ?2, ?3, ?4, ?5)", "iitii", h->couple_id, h->user_id, d, (long long)h->yearly,
			(long long)time(NULL));
	if (rc != SQLITE_OK)
		return rc;
	h->id = sqlite3_last_insert_rowid(w);
	return rec_store_text(w, "UPDATE hard_date SET label = ?1 WHERE id = ?2", h->ck, "hard_date", h->id, "label",
			      h->label);
}

struct notice_write {
	long long couple_id, days;
};

static int notice_write_fn(sqlite3 *w, void *arg)
{
	struct notice_write *n = arg;
	return db_run(w, "INSERT INTO record_setting(couple_id, notice_days, updated_at) VALUES(?1, ?2, ?3)"
			 " ON CONFLICT(couple_id) DO UPDATE SET notice_days = ?2, updated_at = ?3", "iii",
		      n->couple_id, n->days, (long long)time(NULL));
}

static const char *const HD_FIELDS[] = { "date", "label", "yearly", NULL };

void api_hard_dates_create(struct req *r)
{
	struct hd_write h = { r->me->couple_id, r->me->user_id, 0, 0, false, NULL, NULL };
	struct rec_err e = { 0 };
	const char *date;
	json_t *b = r->json;
	if (jin_only(r, b, HD_FIELDS) < 0 || jin_str(r, b, "date", true, 10, &date) < 0 ||
	    jin_str(r, b, "label", true, REC_TITLE_MAX, &h.label) < 0 || jin_bool(r, b, "yearly", false, &h.yearly) < 0)
		return;
	if (rec_day(r, date, "date", false, &h.day, &e) < 0) {
		rec_api_error(r, &e);
		return;
	}
	if (!(h.ck = rec_keys(r)))
		return;
	int rc = rec_write(r, hd_write_fn, &h);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	long next = next_of(date, h.yearly, rec_today(r));
	json_t *j = hd_json(r, h.ck, h.id, rec_today(r), next);
	if (j && next < 0) {
		json_object_set_new(j, "next", json_null());
		json_object_set_new(j, "days_until", json_null());
	}
	req_json(r, 201, json_pack("{s:o}", "hard_date", j ? j : json_null()));
}

void api_hard_dates_list(struct req *r)
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
	const unsigned char *ck = rec_keys(r);
	if (!ck)
		return;
	json_t *items = hd_items(r, ck, days, &rc);
	if (!items) {
		req_db_error(r, rc);
		return;
	}
	req_json(r, 200, json_pack("{s:o, s:I}", "hard_dates", items, "notice_days", (json_int_t)rec_notice_days(r)));
}

static const char *const NOTICE_FIELDS[] = { "days", NULL };

void api_hard_dates_notice(struct req *r)
{
	struct notice_write n = { r->me->couple_id, 30 };
	if (jin_only(r, r->json, NOTICE_FIELDS) < 0 || jin_int(r, r->json, "days", true, 1, 365, &n.days) < 0)
		return;
	int rc = rec_write(r, notice_write_fn, &n);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_json(r, 200, json_pack("{s:I}", "notice_days", (json_int_t)n.days));
}

/* ---- pages ---- */

static void hd_card(struct req *r, json_t *j)
{
	json_t *du = json_object_get(j, "days_until");
	html(&r->out, "<li class=\"card\"><p><strong>%s</strong></p><p>%s%s",
	     json_string_value(json_object_get(j, "label")) ? json_string_value(json_object_get(j, "label")) : "",
	     rec_human_day(r, json_string_value(json_object_get(j, "date"))),
	     json_is_true(json_object_get(j, "yearly")) ? ", every year" : "");
	if (json_is_integer(du)) {
		long long n = json_integer_value(du);
		if (n == 0)
			html(&r->out, ". It is today.");
		else if (n == 1)
			html(&r->out, ". Tomorrow.");
		else
			html(&r->out, ". Next: %s, in %lld days.", rec_human_day(r, json_string_value(json_object_get(j,
			     "next"))), n);
	}
	html_unsafe_raw(&r->out, "</p></li>\n");
}

static void hd_page(struct req *r, const struct rec_err *e)
{
	const unsigned char *ck = rec_keys(r);
	int rc;
	if (!ck)
		return;
	json_t *items = hd_items(r, ck, -1, &rc);
	if (!items) {
		req_db_error(r, rc);
		return;
	}
	page_begin(r, "Hard dates");
	rec_page_notice(r, e);
	html(&r->out, "<p>Some days bring the pain back: the day it came out, dates tied to what happened, "
		      "holidays and anniversaries. Noting them lets you see them coming and plan the day "
		      "together. They appear on your start page ahead of time.</p>\n");
	if (!json_array_size(items)) {
		html(&r->out, "<p>No hard dates yet.</p>\n");
	} else {
		html(&r->out, "<ul class=\"cards\">\n");
		size_t i;
		json_t *j;
		json_array_foreach(items, i, j)
			hd_card(r, j);
		html(&r->out, "</ul>\n");
	}
	json_decref(items);
	html(&r->out, "<h2>Add a hard date</h2>\n");
	ui_form_begin(r, "/hard-dates");
	ui_input(r, "The day", "date", "date", rec_field(r, "date"), "off", NULL, 1);
	ui_input(r, "What it is", "label", "text", rec_field(r, "label"), "off",
		 "A few words, for example: the day we found out.", 1);
	static const char *const YEARLY[] = { "1", "Every year", "0", "Only this once", NULL };
	ui_radios(r, "Does it come back?", "yearly", YEARLY, rec_field(r, "yearly") ? rec_field(r, "yearly") : "1");
	ui_form_end(r, "Add it");
	html(&r->out, "<h2>How far ahead</h2>\n");
	ui_form_begin(r, "/hard-dates/notice");
	ui_input(r, "Show hard dates this many days ahead", "days", "number",
		 rec_field(r, "days") ? rec_field(r, "days") : arena_printf(&r->arena, "%ld", rec_notice_days(r)),
		 "off", "From 1 to 365.", 1);
	ui_form_end(r, "Save");
	html(&r->out, "<p><a href=\"/records\">All records</a></p>\n");
	page_end(r);
}

void hard_dates_page(struct req *r)
{
	hd_page(r, NULL);
}

void hard_dates_post(struct req *r)
{
	struct hd_write h = { r->me->couple_id, r->me->user_id, 0, 0, false, NULL, NULL };
	struct rec_err e = { 0 };
	const char *y = rec_field(r, "yearly");
	if (rec_day(r, rec_field(r, "date"), "date", false, &h.day, &e) < 0 ||
	    rec_text(rec_field(r, "label"), "label", true, REC_TITLE_MAX, &h.label, &e) < 0) {
		hd_page(r, &e);
		return;
	}
	if (y && strcmp(y, "0") && strcmp(y, "1")) {
		rec_fail(&e, 400, "invalid_field", "yearly", "Please choose every year or only once.");
		hd_page(r, &e);
		return;
	}
	h.yearly = !y || !strcmp(y, "1");
	if (!(h.ck = rec_keys(r)))
		return;
	int rc = rec_write(r, hd_write_fn, &h);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_redirect(r, "/hard-dates");
}

void hard_dates_notice_post(struct req *r)
{
	struct notice_write n = { r->me->couple_id, 0 };
	struct rec_err e = { 0 };
	const char *s = rec_field(r, "days");
	char *end = NULL;
	if (!s || (n.days = strtoll(s, &end, 10)) < 1 || n.days > 365 || *end) {
		rec_fail(&e, 400, "invalid_field", "days", "Please give a number of days from 1 to 365.");
		hd_page(r, &e);
		return;
	}
	int rc = rec_write(r, notice_write_fn, &n);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_redirect(r, "/hard-dates");
}

void harddate_home(struct req *r, const unsigned char *ck)
{
	int rc;
	json_t *items = hd_items(r, ck, rec_notice_days(r), &rc);
	if (!items || !json_array_size(items)) {
		json_decref(items);
		return;
	}
	html(&r->out, "<section class=\"home-records\"><h2>Hard dates ahead</h2>\n<ul class=\"cards\">\n");
	size_t i;
	json_t *j;
	json_array_foreach(items, i, j)
		hd_card(r, j);
	html(&r->out, "</ul>\n");
	json_t *plan = trigger_plan_for(r, r->me, "date");
	if (json_is_object(plan))
		html(&r->out, "<div class=\"notice notice-info info\"><p>To prepare, your plan for hard dates:</p>"
			      "<p class=\"prewrap\"><strong>What is needed:</strong> %s</p>"
			      "<p class=\"prewrap\"><strong>What the partner does:</strong> %s</p></div>\n",
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
