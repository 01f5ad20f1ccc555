/* trigger.c: triggers and the trigger plans agreed for them (SPEC §4,
 * seed 001 step 9). A trigger is logged with when, what kind, how intense,
 * what happened, how it was handled and whether the plan helped; the plan
 * the couple agreed for that kind of trigger is shown at once, in the page
 * and in the API response. A trigger is shared (sealed under the couple
 * key) or private (sealed under its author's key, seen by nobody else);
 * plans are always shared. */
#include "records.h"
#include "records_int.h"
#include "trigger.h"

#include <stdio.h>
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

static const char *const KINDS[] = {
	"date", "A date or a time of day",
	"place", "A place",
	"situation", "A situation",
	"name", "A name, or seeing that person",
	"media", "A film, song, book or post",
	"behaviour", "A behaviour that feels like back then",
	"other", "Something else",
	NULL,
};

static const char *kind_label(const char *kind)
{
	for (size_t i = 0; KINDS[i]; i += 2)
		if (kind && !strcmp(KINDS[i], kind))
			return KINDS[i + 1];
	return NULL;
}

/* ---- plans ---- */

#define PLAN_COLS "SELECT id, kind, needs, response, author_id, updated_by, updated_at FROM trigger_plan"

static json_t *plan_json(struct req *r, sqlite3_stmt *st, const unsigned char *ck)
{
	long long id = sqlite3_column_int64(st, 0);
	return json_pack("{s:I, s:s, s:o, s:o, s:I, s:I, s:I}", "id", (json_int_t)id, "kind",
			 (const char *)sqlite3_column_text(st, 1), "needs",
			 rec_jstr(rec_open(r, ck, "trigger_plan", id, "needs", st, 2)), "response",
			 rec_jstr(rec_open(r, ck, "trigger_plan", id, "response", st, 3)), "author_id",
			 (json_int_t)sqlite3_column_int64(st, 4), "updated_by",
			 (json_int_t)sqlite3_column_int64(st, 5), "updated_at",
			 (json_int_t)sqlite3_column_int64(st, 6));
}

/* The couple's plan with this id (or for this kind when id is 0), as JSON,
 * or JSON null. */
static json_t *plan_find(struct req *r, long long id, const char *kind, const unsigned char *ck)
{
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = !c ? NULL : id
		? db_prepare(c, PLAN_COLS " WHERE couple_id = ?1 AND id = ?2", "ii", r->me->couple_id, id)
		: db_prepare(c, PLAN_COLS " WHERE couple_id = ?1 AND kind = ?2", "it", r->me->couple_id, kind);
	json_t *j = st && sqlite3_step(st) == SQLITE_ROW ? plan_json(r, st, ck) : json_null();
	sqlite3_finalize(st);
	return j;
}

struct plan_write {
	long long couple_id, user_id, id;
	const char *kind, *needs, *response;
	const unsigned char *ck;
	bool exists;  /* out: a plan for the kind was there (create) */
	bool missing; /* out: no such plan (update) */
	bool upsert;  /* pages: create or replace by kind */
};

static int plan_write_fn(sqlite3 *w, void *arg)
{
	struct plan_write *p = arg;
	time_t now = time(NULL);
	long long existing = 0;
	int rc;
	if (p->id) {
		rc = db_int(w, &existing, "SELECT id FROM trigger_plan WHERE couple_id = ?1 AND id = ?2", "ii",
			    p->couple_id, p->id);
		if (rc == SQLITE_DONE) {
			p->missing = true;
			return SQLITE_NOTFOUND;
		}
	} else {
		rc = db_int(w, &existing, "SELECT id FROM trigger_plan WHERE couple_id = ?1 AND kind = ?2", "it",
			    p->couple_id, p->kind);
		if (rc == SQLITE_ROW && !p->upsert) {
			p->exists = true;
			return SQLITE_CONSTRAINT;
		}
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return rc;
	if (rc == SQLITE_ROW) {
		p->id = existing;
		rc = db_run(w, "UPDATE trigger_plan SET updated_by = ?1, updated_at = ?2 WHERE id = ?3", "iii",
			    p->user_id, (long long)now, p->id);
	} else {
		rc = db_run(w, "INSERT INTO trigger_plan(couple_id, kind, author_id, updated_by, created_at, updated_at)"
			       " VALUES(?1, ?2, ?3, ?3, ?4, ?4)", "itii", p->couple_id, p->kind, p->user_id,
			    (long long)now);
		p->id = sqlite3_last_insert_rowid(w);
	}
	if (rc == SQLITE_OK)
		rc = rec_store_text(w, "UPDATE trigger_plan SET needs = ?1 WHERE id = ?2", p->ck, "trigger_plan",
				    p->id, "needs", p->needs);
	if (rc == SQLITE_OK)
		rc = rec_store_text(w, "UPDATE trigger_plan SET response = ?1 WHERE id = ?2", p->ck,
				    "trigger_plan", p->id, "response", p->response);
	return rc;
}

static const char *const PLAN_FIELDS[] = { "kind", "needs", "response", NULL };
static const char *const PLAN_UPDATE_FIELDS[] = { "needs", "response", NULL };

void api_trigger_plans_create(struct req *r)
{
	struct plan_write p = { 0 };
	json_t *b = r->json;
	if (jin_only(r, b, PLAN_FIELDS) < 0 || jin_str(r, b, "kind", true, 16, &p.kind) < 0 ||
	    jin_str(r, b, "needs", true, REC_TEXT_MAX, &p.needs) < 0 ||
	    jin_str(r, b, "response", true, REC_TEXT_MAX, &p.response) < 0)
		return;
	if (!kind_label(p.kind)) {
		req_error(r, 400, "invalid_field", "kind must be one of date, place, situation, name, media, "
			  "behaviour, other.", "kind");
		return;
	}
	if (!(p.ck = rec_keys(r)))
		return;
	p.couple_id = r->me->couple_id;
	p.user_id = r->me->user_id;
	int rc = rec_write(r, plan_write_fn, &p);
	if (p.exists) {
		req_error(r, 409, "plan_exists", "You already have a plan for this kind of trigger. Change that one.",
			  "kind");
		return;
	}
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_json(r, 201, json_pack("{s:o}", "plan", plan_find(r, p.id, NULL, p.ck)));
}

void api_trigger_plans_update(struct req *r)
{
	struct plan_write p = { 0 };
	json_t *b = r->json;
	if ((p.id = rec_param_id(r)) <= 0) {
		rec_not_found(r);
		return;
	}
	if (jin_only(r, b, PLAN_UPDATE_FIELDS) < 0 || jin_str(r, b, "needs", true, REC_TEXT_MAX, &p.needs) < 0 ||
	    jin_str(r, b, "response", true, REC_TEXT_MAX, &p.response) < 0)
		return;
	if (!(p.ck = rec_keys(r)))
		return;
	p.couple_id = r->me->couple_id;
	p.user_id = r->me->user_id;
	int rc = rec_write(r, plan_write_fn, &p);
	if (p.missing) {
		rec_not_found(r);
		return;
	}
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_json(r, 200, json_pack("{s:o}", "plan", plan_find(r, p.id, NULL, p.ck)));
}

void api_trigger_plans_list(struct req *r)
{
	const unsigned char *ck = rec_keys(r);
	if (!ck)
		return;
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, PLAN_COLS " WHERE couple_id = ?1 ORDER BY id", "i", r->me->couple_id)
			     : NULL;
	if (!st) {
		req_db_error(r, c ? sqlite3_extended_errcode(c) : SQLITE_CANTOPEN);
		return;
	}
	json_t *a = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(a, plan_json(r, st, ck));
	sqlite3_finalize(st);
	req_json(r, 200, json_pack("{s:o}", "plans", a));
}

/* ---- triggers ---- */

struct trig_in {
	time_t at;
	long day;
	const char *kind, *what, *handled;
	long long intensity;
	int plan_helped; /* -1 not said */
	bool private_;
};

struct trig_write {
	const struct trig_in *in;
	long long couple_id, user_id, id, plan_id;
	const unsigned char *key;
};

static int trig_write_fn(sqlite3 *w, void *arg)
{
	struct trig_write *t = arg;
	const struct trig_in *in = t->in;
	char day[11];
	long long plan = 0;
	int rc = db_int(w, &plan, "SELECT id FROM trigger_plan WHERE couple_id = ?1 AND kind = ?2", "it",
			t->couple_id, in->kind);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return rc;
	t->plan_id = rc == SQLITE_ROW ? plan : 0;
	date_format(in->day, day);
	sqlite3_stmt *st = db_prepare(w,
		"INSERT INTO trigger_event(couple_id, author_id, at, day, kind, intensity, private, plan_helped,"
		" plan_id, created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", "iiittiiIIi", t->couple_id,
		t->user_id, (long long)in->at, day, in->kind, in->intensity, (long long)in->private_,
		in->plan_helped >= 0 ? (long long)in->plan_helped : DB_NULL, t->plan_id ? t->plan_id : DB_NULL,
		(long long)time(NULL));
	if (!st)
		return sqlite3_extended_errcode(w);
	rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : sqlite3_extended_errcode(w);
	sqlite3_finalize(st);
	if (rc != SQLITE_OK)
		return rc;
	t->id = sqlite3_last_insert_rowid(w);
	rc = rec_store_text(w, "UPDATE trigger_event SET what = ?1 WHERE id = ?2", t->key, "trigger", t->id,
			    "what", in->what);
	if (rc == SQLITE_OK)
		rc = rec_store_text(w, "UPDATE trigger_event SET handled = ?1 WHERE id = ?2", t->key, "trigger",
				    t->id, "handled", in->handled);
	return rc;
}

/* Stores a checked trigger; returns the SQLite code, *id and *plan_id. */
static int trig_store(struct req *r, const struct trig_in *in, const unsigned char *ck, long long *id,
		      long long *plan_id)
{
	struct trig_write t = { in, r->me->couple_id, r->me->user_id, 0, 0,
				in->private_ ? r->me->sess->data_key : ck };
	int rc = rec_write(r, trig_write_fn, &t);
	*id = t.id;
	*plan_id = t.plan_id;
	return rc;
}

/* Every trigger the viewer may see: shared ones of the couple, and their
 * own private ones. The visibility rule is this WHERE clause. */
#define TRIG_COLS "SELECT id, author_id, at, day, kind, intensity, private, what, handled, plan_helped," \
	" plan_id FROM trigger_event WHERE couple_id = ?1 AND (private = 0 OR author_id = ?2)"

static json_t *trig_json(struct req *r, sqlite3_stmt *st, const unsigned char *ck)
{
	long long id = sqlite3_column_int64(st, 0), author = sqlite3_column_int64(st, 1);
	bool priv = sqlite3_column_int(st, 6);
	const unsigned char *key = priv ? r->me->sess->data_key : ck;
	char at[21];
	instant_format((time_t)sqlite3_column_int64(st, 2), at);
	json_t *helped = sqlite3_column_type(st, 9) == SQLITE_NULL ? json_null()
			 : json_boolean(sqlite3_column_int(st, 9));
	json_t *plan = sqlite3_column_type(st, 10) == SQLITE_NULL ? json_null()
		       : json_integer(sqlite3_column_int64(st, 10));
	return json_pack("{s:I, s:I, s:b, s:s, s:s, s:s, s:I, s:s, s:o, s:o, s:o, s:o}", "id", (json_int_t)id,
			 "author_id", (json_int_t)author, "mine", author == r->me->user_id, "at", at, "day",
			 (const char *)sqlite3_column_text(st, 3), "kind", (const char *)sqlite3_column_text(st, 4),
			 "intensity", (json_int_t)sqlite3_column_int64(st, 5), "visibility",
			 priv ? "private" : "shared", "what", rec_jstr(rec_open(r, key, "trigger", id, "what", st, 7)),
			 "handled", rec_jstr(rec_open(r, key, "trigger", id, "handled", st, 8)), "plan_helped",
			 helped, "plan_id", plan);
}

static json_t *trig_find(struct req *r, long long id, const unsigned char *ck)
{
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, TRIG_COLS " AND id = ?3", "iii", r->me->couple_id, r->me->user_id, id)
			     : NULL;
	json_t *j = st && sqlite3_step(st) == SQLITE_ROW ? trig_json(r, st, ck) : NULL;
	sqlite3_finalize(st);
	return j;
}

static int check_kind(const char *kind, struct rec_err *e)
{
	if (!kind)
		return rec_fail(e, 400, "missing_field", "kind", "Please choose what kind of trigger it was.");
	if (!kind_label(kind))
		return rec_fail(e, 400, "invalid_field", "kind",
				"kind must be one of date, place, situation, name, media, behaviour, other.");
	return 0;
}

static int check_visibility(const char *v, bool *priv, struct rec_err *e)
{
	*priv = false;
	if (!v || !strcmp(v, "shared"))
		return 0;
	if (!strcmp(v, "private")) {
		*priv = true;
		return 0;
	}
	return rec_fail(e, 400, "invalid_field", "visibility", "visibility must be private or shared.");
}

static const char *const TRIG_FIELDS[] = { "at", "kind", "intensity", "what", "handled", "plan_helped",
					   "visibility", NULL };

void api_triggers_create(struct req *r)
{
	struct trig_in in = { .plan_helped = -1 };
	struct rec_err e = { 0 };
	const char *at, *vis;
	bool helped;
	json_t *b = r->json;
	if (jin_only(r, b, TRIG_FIELDS) < 0 || jin_str(r, b, "at", true, 40, &at) < 0 ||
	    jin_str(r, b, "kind", true, 16, &in.kind) < 0 ||
	    jin_int(r, b, "intensity", true, 1, 10, &in.intensity) < 0 ||
	    jin_str(r, b, "what", true, REC_TEXT_MAX, &in.what) < 0 ||
	    jin_str(r, b, "handled", false, REC_TEXT_MAX, &in.handled) < 0 ||
	    jin_str(r, b, "visibility", false, 16, &vis) < 0)
		return;
	int hp = jin_bool(r, b, "plan_helped", false, &helped);
	if (hp < 0)
		return;
	if (hp == 1)
		in.plan_helped = helped;
	if (instant_parse(at, &in.at) < 0) {
		req_error(r, 400, "invalid_field", "at must be a time like 2026-03-01T14:30:00Z.", "at");
		return;
	}
	if (in.at > time(NULL) + 300) {
		req_error(r, 400, "invalid_field", "at cannot be in the future.", "at");
		return;
	}
	if (check_kind(in.kind, &e) < 0 || check_visibility(vis, &in.private_, &e) < 0) {
		rec_api_error(r, &e);
		return;
	}
	in.day = tz_day(rec_tz(r), in.at);
	const unsigned char *ck = rec_keys(r);
	if (!ck)
		return;
	long long id, plan_id;
	int rc = trig_store(r, &in, ck, &id, &plan_id);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	json_t *t = trig_find(r, id, ck);
	req_json(r, 201, json_pack("{s:o, s:o}", "trigger", t ? t : json_null(), "plan",
				   plan_id ? plan_find(r, plan_id, NULL, ck) : json_null()));
}

void api_triggers_list(struct req *r)
{
	struct rec_err e = { 0 };
	const char *from = kv_get(&r->query, "from"), *to = kv_get(&r->query, "to");
	long d;
	if ((from && rec_day(r, from, "from", false, &d, &e) < 0) || (to && rec_day(r, to, "to", false, &d, &e) < 0)) {
		rec_api_error(r, &e);
		return;
	}
	const unsigned char *ck = rec_keys(r);
	if (!ck)
		return;
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, TRIG_COLS " AND (?3 IS NULL OR day >= ?3) AND (?4 IS NULL OR day <= ?4)"
					     " ORDER BY at, id", "iitt", r->me->couple_id, r->me->user_id, from, to)
			     : NULL;
	if (!st) {
		req_db_error(r, c ? sqlite3_extended_errcode(c) : SQLITE_CANTOPEN);
		return;
	}
	json_t *a = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(a, trig_json(r, st, ck));
	sqlite3_finalize(st);
	req_json(r, 200, json_pack("{s:o}", "triggers", a));
}

/* ---- pages ---- */

static void plan_block(struct req *r, json_t *plan, const char *kind)
{
	if (!json_is_object(plan)) {
		html(&r->out, "<div class=\"notice notice-info info\"><p>You have no plan yet for %s. "
			      "When you both feel calm, <a href=\"/triggers/plans#plan-%s\">agree on one together</a>: "
			      "it helps the next time.</p></div>\n",
		     kind_label(kind) ? kind_label(kind) : "this", kind ? kind : "other");
		return;
	}
	html(&r->out, "<div class=\"notice notice-info info plan\" id=\"plan\"><h2>Your plan for this</h2>\n"
		      "<h3>What is needed in this moment</h3><p class=\"prewrap\">%s</p>\n"
		      "<h3>What the partner does</h3><p class=\"prewrap\">%s</p></div>\n",
	     json_string_value(json_object_get(plan, "needs")) ? json_string_value(json_object_get(plan, "needs")) : "",
	     json_string_value(json_object_get(plan, "response")) ? json_string_value(json_object_get(plan, "response")) : "");
}

/* "YYYY-MM-DDTHH:MM" (what a datetime-local input sends) in the couple's
 * zone; returns 0 with *at and *day, or -1. */
static int parse_local(struct req *r, const char *s, time_t *at, long *day)
{
	char d[11];
	int hh, mm;
	if (!s || strlen(s) < 16 || s[10] != 'T' || s[13] != ':')
		return -1;
	memcpy(d, s, 10);
	d[10] = '\0';
	if (date_parse(d, day) < 0 || s[11] < '0' || s[11] > '9' || s[12] < '0' || s[12] > '9' ||
	    s[14] < '0' || s[14] > '9' || s[15] < '0' || s[15] > '9')
		return -1;
	if (s[16] && !(s[16] == ':' && strlen(s) == 19))
		return -1;
	hh = (s[11] - '0') * 10 + (s[12] - '0');
	mm = (s[14] - '0') * 10 + (s[15] - '0');
	if (hh > 23 || mm > 59)
		return -1;
	*at = tz_instant(rec_tz(r), *day, hh * 3600 + mm * 60);
	return 0;
}

static void trigger_form_page(struct req *r, const struct rec_err *e, long long logged)
{
	const unsigned char *ck = rec_keys(r);
	if (!ck)
		return;
	page_begin(r, "Triggers");
	rec_page_notice(r, e);
	if (logged > 0) {
		json_t *t = trig_find(r, logged, ck);
		if (t) {
			json_t *pid = json_object_get(t, "plan_id");
			json_t *plan = json_is_integer(pid) ? plan_find(r, json_integer_value(pid), NULL, ck)
							    : json_null();
			html(&r->out, "<p class=\"notice notice-celebrate celebrate\" role=\"status\">It is written down. "
				      "Be gentle with yourselves now.</p>\n");
			plan_block(r, plan, json_string_value(json_object_get(t, "kind")));
			json_decref(plan);
			json_decref(t);
		}
	}
	html(&r->out, "<p>A trigger brings the pain back as if it were happening now. Noting them helps you "
		      "see them lessen over time, and shows you the plan you agreed for moments like this.</p>\n"
		      "<p><a href=\"/triggers/plans\">Our trigger plans</a></p>\n<h2>Log a trigger</h2>\n");
	ui_form_begin(r, "/triggers");
	const char *at = rec_field(r, "at");
	char now[17];
	if (!at) {
		time_t t = time(NULL);
		const struct tz *z = rec_tz(r);
		long day = tz_day(z, t);
		long secs = (long)((t + tz_offset(z, t)) % 86400);
		if (secs < 0)
			secs += 86400;
		char d[11];
		date_format(day, d);
		snprintf(now, sizeof(now), "%sT%02ld:%02ld", d, secs / 3600, secs / 60 % 60);
		at = now;
	}
	ui_input(r, "When", "at", "datetime-local", at, "off", NULL, 1);
	ui_radios(r, "What kind of trigger", "kind", KINDS, rec_field(r, "kind"));
	html(&r->out, "<fieldset class=\"choices scale\"><legend>How strong was it?</legend>\n");
	const char *inten = rec_field(r, "intensity");
	for (int i = 1; i <= 10; i++) {
		char v[3];
		snprintf(v, sizeof(v), "%d", i);
		html(&r->out, "<label><input type=\"radio\" name=\"intensity\" value=\"%d\"%s required> %d</label>\n",
		     i, inten && !strcmp(inten, v) ? " checked" : "", i);
	}
	html(&r->out, "<p class=\"scale-ends\"><span>1: a passing sting</span><span>10: overwhelming</span></p>"
		      "</fieldset>\n");
	rec_textarea(r, "What happened", "what", rec_field(r, "what"), NULL, true);
	rec_textarea(r, "How it was handled (optional)", "handled", rec_field(r, "handled"), NULL, false);
	static const char *const HELPED[] = { "yes", "Yes", "no", "No", "", "Not sure yet, or there was no plan",
					      NULL };
	ui_radios(r, "Did the plan help?", "plan_helped", HELPED, rec_field(r, "plan_helped") ?
		  rec_field(r, "plan_helped") : "");
	static const char *const VIS[] = { "shared", "Shared with my partner", "private", "Only me", NULL };
	ui_radios(r, "Who can see this", "visibility", VIS, rec_field(r, "visibility") ?
		  rec_field(r, "visibility") : "shared");
	ui_form_end(r, "Log it");

	html(&r->out, "<h2>Recent triggers</h2>\n");
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, TRIG_COLS " ORDER BY at DESC, id DESC LIMIT 30", "ii",
					  r->me->couple_id, r->me->user_id) : NULL;
	int n = 0;
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		json_t *t = trig_json(r, st, ck);
		if (!n++)
			html(&r->out, "<ul class=\"cards\">\n");
		html(&r->out, "<li class=\"card\"><p><strong>%s</strong> · %s · strength %lld of 10%s</p>"
			      "<p class=\"prewrap\">%s</p>",
		     rec_human_day(r, json_string_value(json_object_get(t, "day"))),
		     kind_label(json_string_value(json_object_get(t, "kind"))),
		     (long long)json_integer_value(json_object_get(t, "intensity")),
		     json_is_true(json_object_get(t, "mine")) ? (strcmp(json_string_value(json_object_get(t,
			     "visibility")), "private") ? " · you, shared" : " · only you") : " · your partner",
		     json_string_value(json_object_get(t, "what")) ? json_string_value(json_object_get(t, "what")) : "");
		if (json_string_value(json_object_get(t, "handled")))
			html(&r->out, "<p class=\"prewrap\">Handled: %s</p>",
			     json_string_value(json_object_get(t, "handled")));
		if (json_is_boolean(json_object_get(t, "plan_helped")))
			html(&r->out, "<p>The plan %s.</p>", json_is_true(json_object_get(t, "plan_helped"))
			     ? "helped" : "did not help this time");
		html_unsafe_raw(&r->out, "</li>\n");
		json_decref(t);
	}
	sqlite3_finalize(st);
	if (n)
		html(&r->out, "</ul>\n");
	else
		html(&r->out, "<p>Nothing logged yet. When a moment hits, note it here: over weeks and months "
			      "you will see whether they come less often.</p>\n");
	html(&r->out, "<p><a href=\"/records\">All records</a></p>\n");
	page_end(r);
}

void trigger_page(struct req *r)
{
	const char *logged = kv_get(&r->query, "logged");
	trigger_form_page(r, NULL, logged ? strtoll(logged, NULL, 10) : 0);
}

void trigger_post(struct req *r)
{
	struct trig_in in = { .plan_helped = -1 };
	struct rec_err e = { 0 };
	const char *in_s = rec_field(r, "intensity"), *helped = rec_field(r, "plan_helped");
	char *end = NULL;
	if (parse_local(r, rec_field(r, "at"), &in.at, &in.day) < 0)
		rec_fail(&e, 400, "invalid_field", "at", "Please give the day and time it happened.");
	else if (in.at > time(NULL) + 300)
		rec_fail(&e, 400, "invalid_field", "at", "That time has not come yet. Please check the day and time.");
	else if (check_kind(rec_field(r, "kind"), &e) < 0)
		;
	else if (!in_s || (in.intensity = strtoll(in_s, &end, 10)) < 1 || in.intensity > 10 || *end)
		rec_fail(&e, 400, "invalid_field", "intensity", "Please choose how strong it was, from 1 to 10.");
	else if (rec_text(rec_field(r, "what"), "what", true, REC_TEXT_MAX, &in.what, &e) < 0 ||
		 rec_text(rec_field(r, "handled"), "handled", false, REC_TEXT_MAX, &in.handled, &e) < 0 ||
		 check_visibility(rec_field(r, "visibility"), &in.private_, &e) < 0)
		;
	else if (helped && strcmp(helped, "yes") && strcmp(helped, "no"))
		rec_fail(&e, 400, "invalid_field", "plan_helped", "Please choose yes, no or not sure.");
	if (e.status) {
		trigger_form_page(r, &e, 0);
		return;
	}
	in.kind = rec_field(r, "kind");
	in.plan_helped = helped ? !strcmp(helped, "yes") : -1;
	const unsigned char *ck = rec_keys(r);
	if (!ck)
		return;
	long long id, plan_id;
	int rc = trig_store(r, &in, ck, &id, &plan_id);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_redirect(r, arena_printf(&r->arena, "/triggers?logged=%lld#plan", id));
}

static void plans_page(struct req *r, const struct rec_err *e, const char *bad_kind)
{
	const unsigned char *ck = rec_keys(r);
	if (!ck)
		return;
	page_begin(r, "Our trigger plans");
	rec_page_notice(r, e);
	html(&r->out, "<p>Agree, on a calm day, what helps when a trigger comes: what the hurt partner needs in "
		      "that moment, and what the other partner does. When a trigger is logged, its plan is shown "
		      "at once.</p>\n");
	for (size_t i = 0; KINDS[i]; i += 2) {
		json_t *p = plan_find(r, 0, KINDS[i], ck);
		bool kept = bad_kind && !strcmp(bad_kind, KINDS[i]);
		const char *needs = kept ? rec_field(r, "needs") : json_string_value(json_object_get(p, "needs"));
		const char *resp = kept ? rec_field(r, "response") : json_string_value(json_object_get(p, "response"));
		html(&r->out, "<section class=\"card\" id=\"plan-%s\"><h2>%s</h2>\n", KINDS[i], KINDS[i + 1]);
		if (!json_is_object(p))
			html(&r->out, "<p>No plan yet.</p>\n");
		ui_form_begin(r, "/triggers/plans");
		html(&r->out, "<input type=\"hidden\" name=\"kind\" value=\"%s\">\n", KINDS[i]);
		rec_textarea(r, "What is needed in that moment", arena_printf(&r->arena, "needs-%s", KINDS[i]), needs,
			     NULL, true);
		rec_textarea(r, "What the partner does", arena_printf(&r->arena, "response-%s", KINDS[i]), resp,
			     NULL, true);
		ui_form_end(r, json_is_object(p) ? "Save the changes" : "Save this plan");
		html_unsafe_raw(&r->out, "</section>\n");
		json_decref(p);
	}
	html(&r->out, "<p><a href=\"/triggers\">Back to triggers</a></p>\n");
	page_end(r);
}

void trigger_plans_page(struct req *r)
{
	plans_page(r, NULL, NULL);
}

void trigger_plans_post(struct req *r)
{
	struct plan_write p = { 0 };
	struct rec_err e = { 0 };
	p.kind = rec_field(r, "kind");
	if (check_kind(p.kind, &e) < 0) {
		plans_page(r, &e, NULL);
		return;
	}
	/* the kept values are read back under the plain names */
	const char *needs = rec_field(r, arena_printf(&r->arena, "needs-%s", p.kind));
	const char *resp = rec_field(r, arena_printf(&r->arena, "response-%s", p.kind));
	kv_add(&r->arena, &r->form, "needs", needs ? needs : "");
	kv_add(&r->arena, &r->form, "response", resp ? resp : "");
	if (rec_text(needs, "needs", true, REC_TEXT_MAX, &p.needs, &e) < 0 ||
	    rec_text(resp, "response", true, REC_TEXT_MAX, &p.response, &e) < 0) {
		plans_page(r, &e, p.kind);
		return;
	}
	if (!(p.ck = rec_keys(r)))
		return;
	p.couple_id = r->me->couple_id;
	p.user_id = r->me->user_id;
	p.upsert = true;
	int rc = rec_write(r, plan_write_fn, &p);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_redirect(r, arena_printf(&r->arena, "/triggers/plans#plan-%s", p.kind));
}

json_t *trigger_plan_for(struct req *r, const char *kind, const unsigned char *ck)
{
	return plan_find(r, 0, kind, ck);
}

int trigger_days(struct req *r, const struct viewer *v, struct trigger_day **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, "SELECT day, intensity, private FROM trigger_event WHERE couple_id = ?1"
					     " AND (private = 0 OR author_id = ?2) ORDER BY day, id", "ii",
					  v->couple_id, v->user_id) : NULL;
	if (!st)
		return c ? sqlite3_extended_errcode(c) : SQLITE_CANTOPEN;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long day;
		if (date_parse((const char *)sqlite3_column_text(st, 0), &day) < 0)
			continue;
		*out = arena_grow(&r->arena, *out, *n, &cap, sizeof(**out));
		(*out)[(*n)++] = (struct trigger_day){ day, sqlite3_column_int(st, 1), sqlite3_column_int(st, 2) != 0 };
	}
	db_done(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}
