/* trigger.c: triggers and the trigger plans agreed for them (see
 * trigger.h). A trigger is logged with when, what kind, how intense, what
 * happened, how it was handled and whether the plan helped; the plan the
 * couple agreed for that kind of trigger is shown at once, in the page and
 * in the API response. This file owns trigger_event and trigger_plan, and
 * the one rule of who sees a trigger (VISIBLE below). */
#include "trigger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../auth/vault.h"
#include "../base/caltime.h"
#include "../db/db.h"
#include "../http/input.h"
#include "../http/jsonin.h"
#include "../ui/consent.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"
#include "../ui/words.h"

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

static json_t *jtext(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* Seals two texts of row id (NULL seals nothing and stores NULL) and stores
 * them with update ("UPDATE t SET a = ?1, b = ?2 WHERE id = ?3"). */
static int seal_two(sqlite3 *w, const char *update, const unsigned char *key, const char *kind,
		    long long id, const char *f1, const char *t1, const char *f2, const char *t2)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	int rc = vault_seal_row(key, kind, id, f1, t1, &a) < 0 || vault_seal_row(key, kind, id, f2, t2, &b) < 0
		 ? SQLITE_TOOBIG : db_run(w, update, "BBi", &a, &b, id);
	buf_release(&a);
	buf_release(&b);
	return rc;
}

/* ---- a trigger's facts: sealed like its texts ---- */

/* What a trigger was, beyond who and when: its kind, how intense, whether
 * the plan helped (-1 not said) and the plan in force then (0: none). They
 * are sealed together, as JSON, under the trigger's key (the couple key, or
 * the author's data key when private) as "trigger:<id>:facts", so a copy
 * of the database does not say what kind of moment it was or how hard. */
struct facts {
	const char *kind; /* NULL: not known (no key, or it did not open) */
	int intensity;
	int plan_helped;
	long long plan_id;
};

/* Seals f as trigger id's facts under key and stores them, emptying the
 * plain columns (of a trigger from before sealing). */
static int facts_store(sqlite3 *w, const unsigned char *key, long long id, const struct facts *f)
{
	json_t *j = json_pack("{s:s, s:i, s:o, s:o}", "kind", f->kind, "intensity", f->intensity, "plan_helped",
			      f->plan_helped >= 0 ? json_boolean(f->plan_helped) : json_null(), "plan_id",
			      f->plan_id ? json_integer(f->plan_id) : json_null());
	char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (!text)
		return SQLITE_NOMEM;
	int rc = vault_store_row(w, "UPDATE trigger_event SET facts = ?2, kind = NULL, intensity = NULL,"
				    " plan_helped = NULL, plan_id = NULL WHERE id = ?1", key, "trigger", id, "facts", text);
	sodium_memzero(text, strlen(text));
	free(text);
	return rc;
}

/* The facts of the current row of a FULL query (see visible()), opened
 * with the viewer's key for it; kind NULL when they do not open. */
static struct facts facts_of(struct req *r, const struct viewer *v, sqlite3_stmt *st)
{
	struct facts f = { NULL, 0, -1, 0 };
	long long id = sqlite3_column_int64(st, 0);
	const unsigned char *key = sqlite3_column_int(st, 6) ? v->data_key : v->couple_key;
	if (sqlite3_column_type(st, 11) == SQLITE_NULL) {
		/* a trigger from before sealing, until trigger_seal_plain */
		f.kind = arena_strdup(&r->arena, (const char *)sqlite3_column_text(st, 4));
		f.intensity = sqlite3_column_int(st, 5);
		f.plan_helped = sqlite3_column_type(st, 9) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 9);
		f.plan_id = sqlite3_column_int64(st, 10);
		return f;
	}
	struct buf b = BUF_INIT;
	json_t *j = key && vault_open_row(key, "trigger", id, "facts", sqlite3_column_blob(st, 11),
					  (size_t)sqlite3_column_bytes(st, 11), &b) == 0
		    ? json_loads(b.s, 0, NULL) : NULL;
	if (b.s)
		sodium_memzero(b.s, b.len);
	buf_release(&b);
	const char *kind = json_string_value(json_object_get(j, "kind"));
	json_int_t in = json_integer_value(json_object_get(j, "intensity"));
	if (kind && words_label(KINDS, kind) && in >= 1 && in <= 10) {
		json_t *h = json_object_get(j, "plan_helped");
		f.kind = arena_strdup(&r->arena, kind);
		f.intensity = (int)in;
		f.plan_helped = json_is_boolean(h) ? json_is_true(h) : -1;
		f.plan_id = json_integer_value(json_object_get(j, "plan_id"));
	}
	json_decref(j);
	return f;
}

/* ---- plans: shared by the couple ---- */

/* A plan is in force once the other partner accepted a version of it
 * (trigger_plan then holds its texts); the versions and their answers are
 * read and written by the plan-consent functions at the end of this file. */
static json_t *plan_versions(struct req *r, const struct viewer *v, long long plan);
static int plan_version_insert(sqlite3 *w, struct trigger_plan_new *p);

#define PLAN_COLS "SELECT id, kind, needs, response, author_id, updated_by, updated_at FROM trigger_plan" \
	" WHERE couple_id = ?1"

static const char *open_col(struct req *r, const unsigned char *key, const char *kind, long long id,
			    const char *field, sqlite3_stmt *st, int col)
{
	return vault_open_text(&r->arena, key, kind, id, field, sqlite3_column_blob(st, col),
			       (size_t)sqlite3_column_bytes(st, col));
}

static json_t *plan_json(struct req *r, const struct viewer *v, sqlite3_stmt *st)
{
	long long id = sqlite3_column_int64(st, 0);
	json_t *versions = plan_versions(r, v, id);
	json_t *proposal = consent_proposal(versions);
	return json_pack("{s:I, s:s, s:s, s:O, s:o, s:o, s:o, s:I, s:I, s:o}", "id", (json_int_t)id, "kind",
			 (const char *)sqlite3_column_text(st, 1), "status",
			 sqlite3_column_type(st, 2) != SQLITE_NULL ? "in_force" : "proposed",
			 "proposal", proposal ? proposal : json_null(), "versions", versions, "needs",
			 jtext(open_col(r, v->couple_key, "trigger_plan", id, "needs", st, 2)), "response",
			 jtext(open_col(r, v->couple_key, "trigger_plan", id, "response", st, 3)), "author_id",
			 (json_int_t)sqlite3_column_int64(st, 4), "updated_by",
			 (json_int_t)sqlite3_column_int64(st, 5), "updated_at",
			 json_instant(sqlite3_column_int64(st, 6)));
}

/* The couple's plan with this id (or for this kind when id is 0), as JSON,
 * or JSON null. */
static json_t *plan_find(struct req *r, const struct viewer *v, long long id, const char *kind)
{
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = !c ? NULL : id
		? db_prepare(c, PLAN_COLS " AND id = ?2", "ii", v->couple_id, id)
		: db_prepare(c, PLAN_COLS " AND kind = ?2", "it", v->couple_id, kind);
	json_t *j = st && sqlite3_step(st) == SQLITE_ROW ? plan_json(r, v, st) : json_null();
	db_done(st);
	return j;
}

json_t *trigger_plan_for(struct req *r, const struct viewer *v, const char *kind)
{
	json_t *p = plan_find(r, v, 0, kind);
	if (json_is_object(p) && strcmp(json_string_value(json_object_get(p, "status")), "in_force")) {
		json_decref(p);
		return json_null();
	}
	return p;
}

int trigger_plan_store(sqlite3 *w, void *arg)
{
	struct trigger_plan_new *p = arg;
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
		rc = SQLITE_OK;
	} else {
		rc = db_run(w, "INSERT INTO trigger_plan(couple_id, kind, author_id, updated_by, created_at, updated_at)"
			       " VALUES(?1, ?2, ?3, ?3, ?4, ?4)", "itii", p->couple_id, p->kind, p->user_id, p->now);
		p->id = sqlite3_last_insert_rowid(w);
	}
	/* the texts wait in a version until the other partner accepts them */
	if (rc == SQLITE_OK)
		rc = plan_version_insert(w, p);
	return rc;
}

static const char *const PLAN_FIELDS[] = { "kind", "needs", "response", NULL };
static const char *const PLAN_UPDATE_FIELDS[] = { "needs", "response", NULL };

/* Stores p for the viewer of r and answers with the plan (status), or an
 * error. */
static void plan_api_store(struct req *r, struct trigger_plan_new *p, int status)
{
	if (!(p->couple_key = auth_keys(r)))
		return;
	p->couple_id = r->me->couple_id;
	p->user_id = r->me->user_id;
	p->now = (long long)r->now;
	int rc = db_write(&r->app->db, trigger_plan_store, p);
	if (p->exists)
		req_error(r, 409, "plan_exists", "You already have a plan for this kind of trigger. Change that one.",
			  "kind");
	else if (p->missing)
		req_error(r, 404, "not_found", "There is nothing at this address.", NULL);
	else if (rc != SQLITE_OK)
		req_db_error(r, rc);
	else
		req_json(r, status, json_pack("{s:o}", "plan", plan_find(r, r->me, p->id, NULL)));
}

void trigger_plans_api_create(struct req *r)
{
	struct trigger_plan_new p = { 0 };
	json_t *b = r->json;
	if (jin_only(r, b, PLAN_FIELDS) < 0 || jin_str(r, b, "kind", true, 16, &p.kind) < 0 ||
	    jin_str(r, b, "needs", true, INPUT_TEXT_MAX, &p.needs) < 0 ||
	    jin_str(r, b, "response", true, INPUT_TEXT_MAX, &p.response) < 0)
		return;
	if (!words_label(KINDS, p.kind)) {
		req_error(r, 400, "invalid_field", "kind must be one of date, place, situation, name, media, "
			  "behaviour, other.", "kind");
		return;
	}
	plan_api_store(r, &p, 201);
}

void trigger_plans_api_update(struct req *r)
{
	struct trigger_plan_new p = { 0 };
	json_t *b = r->json;
	if ((p.id = req_param_id(r, "id", LLONG_MAX)) <= 0) {
		req_error(r, 404, "not_found", "There is nothing at this address.", NULL);
		return;
	}
	if (jin_only(r, b, PLAN_UPDATE_FIELDS) < 0 ||
	    jin_str(r, b, "needs", true, INPUT_TEXT_MAX, &p.needs) < 0 ||
	    jin_str(r, b, "response", true, INPUT_TEXT_MAX, &p.response) < 0)
		return;
	plan_api_store(r, &p, 200);
}

void trigger_plans_api_list(struct req *r)
{
	if (!auth_keys(r))
		return;
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, PLAN_COLS " ORDER BY id", "i", r->me->couple_id) : NULL;
	if (!st) {
		req_db_error(r, c ? sqlite3_extended_errcode(c) : SQLITE_CANTOPEN);
		return;
	}
	json_t *a = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(a, plan_json(r, r->me, st));
	db_done(st);
	req_json(r, 200, json_pack("{s:o}", "plans", a));
}

/* ---- triggers ---- */

int trigger_store(sqlite3 *w, void *arg)
{
	struct trigger_new *t = arg;
	char day[11];
	long long plan = 0;
	int rc = db_int(w, &plan, "SELECT id FROM trigger_plan WHERE couple_id = ?1 AND kind = ?2"
				  " AND needs IS NOT NULL", "it", t->couple_id, t->kind);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return rc;
	t->plan_id = rc == SQLITE_ROW ? plan : 0;
	date_format(t->day, day);
	rc = db_run(w,
		"INSERT INTO trigger_event(couple_id, author_id, at, day, private, created_at)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6)", "iiitii", t->couple_id, t->author_id, t->at, day,
		(long long)t->private_, t->created_at);
	if (rc != SQLITE_OK)
		return rc;
	t->id = sqlite3_last_insert_rowid(w);
	const struct facts f = { t->kind, (int)t->intensity, t->plan_helped, t->plan_id };
	rc = facts_store(w, t->key, t->id, &f);
	if (rc != SQLITE_OK)
		return rc;
	return seal_two(w, "UPDATE trigger_event SET what = ?1, handled = ?2 WHERE id = ?3", t->key, "trigger",
			t->id, "what", t->what, "handled", t->handled);
}

/* Who sees a trigger: the couple's shared ones, and the viewer's own
 * private ones. This is the only place the rule is written; every reader
 * below selects through visible(). ?1 is the couple, ?2 the viewer; ?3 an
 * id, ?4 and ?5 a first and last day ("YYYY-MM-DD"), each NULL for any. */
#define VISIBLE " FROM trigger_event WHERE couple_id = ?1 AND (private = 0 OR author_id = ?2)" \
	" AND (?3 IS NULL OR id = ?3) AND (?4 IS NULL OR day >= ?4) AND (?5 IS NULL OR day <= ?5) "

enum { Q_NUMBERS, Q_ONE, Q_RANGE, Q_RECENT, Q_WAITING };

/* The visible triggers of v for query q (the columns and order are this
 * file's constants, never data). */
static sqlite3_stmt *visible(sqlite3 *c, const struct viewer *v, int q, long long id, const char *from,
			     const char *to)
{
#define FULL "SELECT id, author_id, at, day, kind, intensity, private, what, handled, plan_helped, plan_id," \
	" facts"
	static const char *const SQL[] = {
		[Q_NUMBERS] = FULL VISIBLE "ORDER BY day, id",
		[Q_ONE] = FULL VISIBLE,
		[Q_RANGE] = FULL VISIBLE "ORDER BY at, id",
		[Q_RECENT] = FULL VISIBLE "ORDER BY at DESC, id DESC LIMIT 30",
		/* the partner's shared triggers since ?4 that wait for the viewer */
		[Q_WAITING] = FULL VISIBLE "AND author_id <> ?2 AND private = 0 AND partner_seen_at IS NULL"
			      " ORDER BY at DESC, id DESC LIMIT 3",
	};
#undef FULL
	return c ? db_prepare(c, SQL[q], "iiItt", v->couple_id, v->user_id, id, from, to) : NULL;
}

int trigger_days(struct req *r, const struct viewer *v, struct trigger_day **out, size_t *n)
{
	static const char memo;
	void *kept;
	if (req_memo_get(r, &memo, v, &kept, n)) {
		*out = kept;
		return SQLITE_OK;
	}
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = visible(c, v, Q_NUMBERS, DB_NULL, NULL, NULL);
	size_t cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	if (!st)
		return c ? sqlite3_extended_errcode(c) : SQLITE_CANTOPEN;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long day;
		struct facts f = facts_of(r, v, st);
		if (!f.kind || date_parse((const char *)sqlite3_column_text(st, 3), &day) < 0)
			continue; /* not known to this viewer now (no key) */
		*out = arena_grow(&r->arena, *out, *n, &cap, sizeof(**out));
		(*out)[(*n)++] = (struct trigger_day){ day, f.intensity, sqlite3_column_int(st, 6) != 0 };
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		return rc;
	req_memo_put(r, &memo, v, *out, *n);
	return SQLITE_OK;
}

static json_t *trig_json(struct req *r, const struct viewer *v, sqlite3_stmt *st, const void *arg)
{
	(void)arg;
	long long id = sqlite3_column_int64(st, 0), author = sqlite3_column_int64(st, 1);
	bool priv = sqlite3_column_int(st, 6);
	const unsigned char *key = priv ? v->data_key : v->couple_key;
	char at[21];
	instant_format((time_t)sqlite3_column_int64(st, 2), at);
	struct facts f = facts_of(r, v, st);
	json_t *helped = f.plan_helped < 0 ? json_null() : json_boolean(f.plan_helped);
	json_t *plan = f.plan_id ? json_integer(f.plan_id) : json_null();
	return json_pack("{s:I, s:I, s:b, s:s, s:s, s:o, s:o, s:s, s:o, s:o, s:o, s:o}", "id", (json_int_t)id,
			 "author_id", (json_int_t)author, "mine", author == v->user_id, "at", at, "day",
			 (const char *)sqlite3_column_text(st, 3), "kind", jtext(f.kind),
			 "intensity", f.kind ? json_integer(f.intensity) : json_null(), "visibility",
			 priv ? "private" : "shared", "what", jtext(open_col(r, key, "trigger", id, "what", st, 7)),
			 "handled", jtext(open_col(r, key, "trigger", id, "handled", st, 8)), "plan_helped",
			 helped, "plan_id", plan);
}

/* The visible triggers of v for query q as a JSON array (texts opened), or
 * NULL with *rc after a storage error. */
static json_t *trig_items(struct req *r, const struct viewer *v, int q, long long id, const char *from,
			  const char *to, int *rc)
{
	sqlite3 *c = db_reader(&r->app->db);
	return req_rows(r, v, c, visible(c, v, q, id, from, to), trig_json, NULL, rc);
}

/* The visible trigger id of v as JSON, or NULL. */
static json_t *trig_find(struct req *r, const struct viewer *v, long long id)
{
	int rc;
	json_t *a = trig_items(r, v, Q_ONE, id, NULL, NULL, &rc);
	json_t *t = json_incref(json_array_get(a, 0));
	json_decref(a);
	return t;
}

static int check_kind(const char *kind, struct input_err *e)
{
	if (!kind)
		return input_fail(e, 400, "missing_field", "kind", "Please choose what kind of trigger it was.");
	if (!words_label(KINDS, kind))
		return input_fail(e, 400, "invalid_field", "kind",
				  "kind must be one of date, place, situation, name, media, behaviour, other.");
	return 0;
}

static int check_visibility(const char *v, bool *priv, struct input_err *e)
{
	*priv = false;
	if (!v || !strcmp(v, "shared"))
		return 0;
	if (!strcmp(v, "private")) {
		*priv = true;
		return 0;
	}
	return input_fail(e, 400, "invalid_field", "visibility", "visibility must be private or shared.");
}

/* Stores a checked trigger t for the viewer of r: 0 with t->id and
 * t->plan_id, or -1 after answering (keys locked, storage). */
static int trig_store(struct req *r, struct trigger_new *t)
{
	if (!auth_author(r, &t->couple_id, &t->author_id, &t->created_at))
		return -1;
	t->key = t->private_ ? r->me->data_key : r->me->couple_key;
	return req_write(r, trigger_store, t);
}

static const char *const TRIG_FIELDS[] = { "at", "kind", "intensity", "what", "handled", "plan_helped",
					   "visibility", NULL };

void trigger_api_create(struct req *r)
{
	struct trigger_new in = { .plan_helped = -1 };
	struct input_err e = { 0 };
	const char *at, *vis;
	bool helped;
	time_t when;
	json_t *b = r->json;
	if (jin_only(r, b, TRIG_FIELDS) < 0 || jin_str(r, b, "at", true, 40, &at) < 0 ||
	    jin_str(r, b, "kind", true, 16, &in.kind) < 0 ||
	    jin_int(r, b, "intensity", true, 1, 10, &in.intensity) < 0 ||
	    jin_str(r, b, "what", true, INPUT_TEXT_MAX, &in.what) < 0 ||
	    jin_str(r, b, "handled", false, INPUT_TEXT_MAX, &in.handled) < 0 ||
	    jin_str(r, b, "visibility", false, 16, &vis) < 0)
		return;
	int hp = jin_bool(r, b, "plan_helped", false, &helped);
	if (hp < 0)
		return;
	if (hp == 1)
		in.plan_helped = helped;
	if (instant_parse(at, &when) < 0) {
		req_error(r, 400, "invalid_field", "at must be a time like 2026-03-01T14:30:00Z.", "at");
		return;
	}
	if (when > r->now + 300) {
		req_error(r, 400, "invalid_field", "at cannot be in the future.", "at");
		return;
	}
	if (check_kind(in.kind, &e) < 0 || check_visibility(vis, &in.private_, &e) < 0) {
		input_answer(r, &e);
		return;
	}
	in.at = (long long)when;
	in.day = viewer_day_of(r, in.at);
	if (trig_store(r, &in) < 0)
		return;
	json_t *t = trig_find(r, r->me, in.id);
	req_json(r, 201, json_pack("{s:o, s:o}", "trigger", t ? t : json_null(), "plan",
				   in.plan_id ? plan_find(r, r->me, in.plan_id, NULL) : json_null()));
}

void trigger_api_list(struct req *r)
{
	struct input_err e = { 0 };
	const char *from = kv_get(&r->query, "from"), *to = kv_get(&r->query, "to");
	long d;
	if ((from && input_day(from, "from", INPUT_ANY_DAY, &d, &e) < 0) ||
	    (to && input_day(to, "to", INPUT_ANY_DAY, &d, &e) < 0)) {
		input_answer(r, &e);
		return;
	}
	if (!auth_keys(r))
		return;
	int rc;
	json_t *a = trig_items(r, r->me, Q_RANGE, DB_NULL, from, to, &rc);
	if (!a) {
		req_db_error(r, rc);
		return;
	}
	req_json(r, 200, json_pack("{s:o}", "triggers", a));
}

/* ---- pages ---- */

static void plan_block(struct req *r, json_t *plan, const char *kind)
{
	if (!json_is_object(plan)) {
		html(&r->out, "<div class=\"notice notice-info info\"><p>You have no plan yet for %s. "
			      "When you both feel calm, <a href=\"/triggers/plans#plan-%s\">agree on one together</a>: "
			      "it helps the next time.</p></div>\n",
		     words_label(KINDS, kind) ? words_label(KINDS, kind) : "this", kind ? kind : "other");
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
	*at = tz_instant(r->me->tz, *day, hh * 3600 + mm * 60);
	return 0;
}

static void trigger_form_page(struct req *r, const struct input_err *e, long long logged)
{
	if (!auth_keys(r))
		return;
	page_begin(r, "Triggers");
	ui_input_notice(r, e);
	if (logged > 0) {
		json_t *t = trig_find(r, r->me, logged);
		if (t) {
			json_t *pid = json_object_get(t, "plan_id");
			json_t *plan = json_is_integer(pid) ? plan_find(r, r->me, json_integer_value(pid), NULL)
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
	const char *at = req_form_field(r, "at");
	char now[17];
	if (!at) {
		time_t t = r->now;
		const struct tz *z = r->me->tz;
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
	ui_radios(r, "What kind of trigger", "kind", KINDS, req_form_field(r, "kind"));
	html(&r->out, "<fieldset class=\"choices scale\"><legend>How strong was it?</legend>\n");
	const char *inten = req_form_field(r, "intensity");
	for (int i = 1; i <= 10; i++) {
		char v[3];
		snprintf(v, sizeof(v), "%d", i);
		html(&r->out, "<label><input type=\"radio\" name=\"intensity\" value=\"%d\"%s required> %d</label>\n",
		     i, inten && !strcmp(inten, v) ? " checked" : "", i);
	}
	html(&r->out, "<p class=\"scale-ends\"><span>1: a passing sting</span><span>10: overwhelming</span></p>"
		      "</fieldset>\n");
	ui_textarea(r, "What happened", "what", req_form_field(r, "what"), NULL, UI_REQUIRED);
	ui_textarea(r, "How it was handled (optional)", "handled", req_form_field(r, "handled"), NULL, 0);
	static const char *const HELPED[] = { "yes", "Yes", "no", "No", "", "Not sure yet, or there was no plan",
					      NULL };
	ui_radios(r, "Did the plan help?", "plan_helped", HELPED, req_form_field(r, "plan_helped") ?
		  req_form_field(r, "plan_helped") : "");
	static const char *const VIS[] = { "shared", "Shared with my partner", "private", "Only me", NULL };
	ui_radios(r, "Who can see this", "visibility", VIS, req_form_field(r, "visibility") ?
		  req_form_field(r, "visibility") : "shared");
	ui_form_end(r, "Log it");

	html(&r->out, "<h2>Recent triggers</h2>\n");
	int rc;
	json_t *recent = trig_items(r, r->me, Q_RECENT, DB_NULL, NULL, NULL, &rc);
	size_t n = 0, i;
	json_t *t;
	json_array_foreach(recent, i, t) {
		if (!json_is_string(json_object_get(t, "kind")))
			continue; /* its facts do not open with the keys at hand */
		if (!n++)
			html(&r->out, "<ul class=\"cards\">\n");
		html(&r->out, "<li class=\"card\"><p><strong>%s</strong> · %s · strength %lld of 10%s</p>"
			      "<p class=\"prewrap\">%s</p>",
		     words_iso_day(&r->arena, json_string_value(json_object_get(t, "day"))),
		     words_label(KINDS, json_string_value(json_object_get(t, "kind"))),
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
	}
	json_decref(recent);
	if (n)
		html(&r->out, "</ul>\n");
	else
		html(&r->out, "<p>Nothing logged yet. When a moment hits, note it here: over weeks and months "
			      "you will see whether they come less often.</p>\n");
	page_end_link(r, "/records", "All records");
}

void trigger_page(struct req *r)
{
	const char *logged = kv_get(&r->query, "logged");
	trigger_form_page(r, NULL, logged ? strtoll(logged, NULL, 10) : 0);
}

void trigger_post(struct req *r)
{
	struct trigger_new in = { .plan_helped = -1 };
	struct input_err e = { 0 };
	const char *in_s = req_form_field(r, "intensity"), *helped = req_form_field(r, "plan_helped");
	char *end = NULL;
	time_t when = 0;
	if (parse_local(r, req_form_field(r, "at"), &when, &in.day) < 0)
		input_fail(&e, 400, "invalid_field", "at", "Please give the day and time it happened.");
	else if (when > r->now + 300)
		input_fail(&e, 400, "invalid_field", "at", "That time has not come yet. Please check the day and time.");
	else if (check_kind(req_form_field(r, "kind"), &e) < 0)
		;
	else if (!in_s || (in.intensity = strtoll(in_s, &end, 10)) < 1 || in.intensity > 10 || *end)
		input_fail(&e, 400, "invalid_field", "intensity", "Please choose how strong it was, from 1 to 10.");
	else if (input_text(req_form_field(r, "what"), "what", true, INPUT_TEXT_MAX, &in.what, &e) < 0 ||
		 input_text(req_form_field(r, "handled"), "handled", false, INPUT_TEXT_MAX, &in.handled, &e) < 0 ||
		 check_visibility(req_form_field(r, "visibility"), &in.private_, &e) < 0)
		;
	else if (helped && strcmp(helped, "yes") && strcmp(helped, "no"))
		input_fail(&e, 400, "invalid_field", "plan_helped", "Please choose yes, no or not sure.");
	if (e.status) {
		trigger_form_page(r, &e, 0);
		return;
	}
	in.at = (long long)when;
	in.kind = req_form_field(r, "kind");
	in.plan_helped = helped ? !strcmp(helped, "yes") : -1;
	if (trig_store(r, &in) < 0)
		return;
	req_redirect(r, arena_printf(&r->arena, "/triggers?logged=%lld#plan", in.id));
}

static void plan_consent_block(struct req *r, json_t *p);

static void plans_page(struct req *r, const struct input_err *e, const char *bad_kind)
{
	if (!auth_keys(r))
		return;
	page_begin(r, "Our trigger plans");
	ui_input_notice(r, e);
	html(&r->out, "<p>Agree, on a calm day, what helps when a trigger comes: what the hurt partner needs in "
		      "that moment, and what the other partner does. One of you proposes a plan; it is in force "
		      "once the other accepts it. When a trigger is logged, its plan is shown at once.</p>\n");
	if (kv_get(&r->query, "saved"))
		ui_notice(r, "celebrate", "Saved.");
	for (size_t i = 0; KINDS[i]; i += 2) {
		json_t *p = plan_find(r, r->me, 0, KINDS[i]);
		json_t *proposal = json_object_get(p, "proposal");
		bool kept = bad_kind && !strcmp(bad_kind, KINDS[i]);
		json_t *shown = json_is_object(proposal) ? proposal : p;
		const char *needs = kept ? req_form_field(r, "needs") : json_string_value(json_object_get(shown, "needs"));
		const char *resp = kept ? req_form_field(r, "response") : json_string_value(json_object_get(shown, "response"));
		html(&r->out, "<section class=\"card\" id=\"plan-%s\"><h2>%s</h2>\n", KINDS[i], KINDS[i + 1]);
		if (!json_is_object(p))
			html(&r->out, "<p>No plan yet.</p>\n");
		else
			plan_consent_block(r, p);
		ui_form_begin(r, "/triggers/plans");
		html(&r->out, "<input type=\"hidden\" name=\"kind\" value=\"%s\">\n", KINDS[i]);
		ui_textarea(r, "What is needed in that moment", arena_printf(&r->arena, "needs-%s", KINDS[i]), needs,
			     NULL, UI_REQUIRED);
		ui_textarea(r, "What the partner does", arena_printf(&r->arena, "response-%s", KINDS[i]), resp,
			     NULL, UI_REQUIRED);
		ui_form_end(r, json_is_object(p) ? "Propose these changes" : "Propose this plan");
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
	struct trigger_plan_new p = { 0 };
	struct input_err e = { 0 };
	p.kind = req_form_field(r, "kind");
	if (check_kind(p.kind, &e) < 0) {
		plans_page(r, &e, NULL);
		return;
	}
	/* the kept values are read back under the plain names */
	const char *needs = req_form_field(r, arena_printf(&r->arena, "needs-%s", p.kind));
	const char *resp = req_form_field(r, arena_printf(&r->arena, "response-%s", p.kind));
	kv_add(&r->arena, &r->form, "needs", needs ? needs : "");
	kv_add(&r->arena, &r->form, "response", resp ? resp : "");
	if (input_text(needs, "needs", true, INPUT_TEXT_MAX, &p.needs, &e) < 0 ||
	    input_text(resp, "response", true, INPUT_TEXT_MAX, &p.response, &e) < 0) {
		plans_page(r, &e, p.kind);
		return;
	}
	if (!(p.couple_key = auth_keys(r)))
		return;
	p.couple_id = r->me->couple_id;
	p.user_id = r->me->user_id;
	p.now = (long long)r->now;
	p.upsert = true;
	int rc = db_write(&r->app->db, trigger_plan_store, &p);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_redirect(r, arena_printf(&r->arena, "/triggers/plans?saved=1#plan-%s", p.kind));
}

/* ---- what waits for the partner ---- */

static bool plans_waiting_card(struct req *r, bool open);

void trigger_partner_card(struct req *r)
{
	const struct viewer *v = r->me;
	if (!v->partner_id || !v->couple_key)
		return;
	char since[11];
	date_format(viewer_today(r) - 14, since);
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = visible(c, v, Q_WAITING, DB_NULL, since, NULL);
	if (!st)
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		const char *kind = facts_of(r, v, st).kind;
		if (!kind)
			continue;
		json_t *plan = trigger_plan_for(r, v, kind);
		const char *response = json_string_value(json_object_get(plan, "response"));
		if (response && *response) {
			html(&r->out, "<p>%s logged a hard moment on %s (%s). The plan you agreed says what you do:</p>"
				      "<p class=\"prewrap\"><strong>%s</strong></p>\n",
			     v->partner_name, words_iso_day(&r->arena, (const char *)sqlite3_column_text(st, 3)),
			     words_label(KINDS, kind), response);
			ui_form_begin(r, arena_printf(&r->arena, "/triggers/%lld/seen", id));
			ui_form_end(r, "I have seen it");
		}
		json_decref(plan);
	}
	db_done(st);
	plans_waiting_card(r, true);
}

struct seen {
	const struct viewer *v;
	long long id;
	time_t now;
	int changed;
};

static int seen_run(sqlite3 *w, void *arg)
{
	struct seen *s = arg;
	int rc = db_run(w, "UPDATE trigger_event SET partner_seen_at = ?4 WHERE id = ?1 AND couple_id = ?2"
			   " AND author_id <> ?3 AND private = 0 AND partner_seen_at IS NULL",
			"iiii", s->id, s->v->couple_id, s->v->user_id, (long long)s->now);
	s->changed = sqlite3_changes(w);
	return rc;
}

void trigger_seen_post(struct req *r)
{
	struct seen s = { r->me, req_param_id(r, "id", INT64_MAX), r->now, 0 };
	if (s.id < 0) {
		req_error(r, 404, "not_found", "There is nothing at this address.", NULL);
		return;
	}
	if (req_write(r, seen_run, &s) == 0)
		req_redirect(r, "/");
}

/* ---- plan consent: trigger_plan_version ---- */

/* A version's sealed field: "v<n>:<name>" of "trigger_plan:<id>". */
static const char *version_field(struct arena *a, long long v, const char *name)
{
	return arena_printf(a, "v%lld:%s", v, name);
}

/* Adds the next version of plan p->id with p's texts, proposed by
 * p->user_id; sets p->version. */
static int plan_version_insert(sqlite3 *w, struct trigger_plan_new *p)
{
	long long latest = 0;
	int rc = db_int(w, &latest, "SELECT coalesce(max(version), 0) FROM trigger_plan_version"
				    " WHERE plan_id = ?1 AND couple_id = ?2", "ii", p->id, p->couple_id);
	if (rc != SQLITE_ROW)
		return rc;
	p->version = latest + 1;
	struct buf a = BUF_INIT, b = BUF_INIT;
	char fa[32], fb[32];
	snprintf(fa, sizeof(fa), "v%lld:needs", p->version);
	snprintf(fb, sizeof(fb), "v%lld:response", p->version);
	rc = vault_seal_row(p->couple_key, "trigger_plan", p->id, fa, p->needs, &a) < 0 ||
	     vault_seal_row(p->couple_key, "trigger_plan", p->id, fb, p->response, &b) < 0
	     ? SQLITE_TOOBIG
	     : db_run(w, "INSERT INTO trigger_plan_version(plan_id, couple_id, version, needs, response, proposed_by,"
			 " proposed_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)", "iiiBBii", p->id, p->couple_id, p->version,
		      &a, &b, p->user_id, p->now);
	buf_release(&a);
	buf_release(&b);
	return rc;
}

/* Every version of plan (one of v's couple), oldest first, with texts
 * opened and each version's status (see consent.h). Both partners see
 * every version of their couple's plans; nobody else sees any. */
static json_t *plan_versions(struct req *r, const struct viewer *v, long long plan)
{
	json_t *out = json_array();
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, "SELECT version, needs, response, proposed_by, proposed_at, answer,"
					     " answered_by, answered_at, word FROM trigger_plan_version"
					     " WHERE couple_id = ?1 AND plan_id = ?2 ORDER BY version", "ii",
					  v->couple_id, plan) : NULL;
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		long long n = sqlite3_column_int64(st, 0), by = sqlite3_column_int64(st, 3);
		const char *answer = (const char *)sqlite3_column_text(st, 5);
		bool yes = answer && !strcmp(answer, "accepted"), no = answer && !strcmp(answer, "declined");
		json_t *who = json_integer(sqlite3_column_int64(st, 6)), *when = json_instant(sqlite3_column_int64(st, 7));
		json_array_append_new(out, json_pack("{s:I, s:o, s:o, s:I, s:b, s:o, s:O, s:O, s:O, s:O, s:o}",
			"version", (json_int_t)n,
			"needs", jtext(open_col(r, v->couple_key, "trigger_plan", plan, version_field(&r->arena, n, "needs"), st, 1)),
			"response", jtext(open_col(r, v->couple_key, "trigger_plan", plan,
						   version_field(&r->arena, n, "response"), st, 2)),
			"proposed_by", (json_int_t)by, "proposed_by_me", by == v->user_id,
			"proposed_at", json_instant(sqlite3_column_int64(st, 4)),
			"accepted_by", yes ? who : json_null(), "accepted_at", yes ? when : json_null(),
			"declined_by", no ? who : json_null(), "declined_at", no ? when : json_null(),
			"word", jtext(open_col(r, v->couple_key, "trigger_plan", plan, version_field(&r->arena, n, "word"), st, 8))));
		json_decref(who);
		json_decref(when);
	}
	db_done(st);
	consent_mark_status(out);
	return out;
}

int trigger_plan_answer(sqlite3 *w, void *arg)
{
	struct trigger_plan_answer *a = arg;
	sqlite3_stmt *st = db_prepare(w, "SELECT proposed_by, answer IS NOT NULL, needs, response,"
					 " (SELECT max(version) FROM trigger_plan_version WHERE plan_id = ?1 AND couple_id = ?3)"
					 " FROM trigger_plan_version WHERE plan_id = ?1 AND version = ?2 AND couple_id = ?3",
				      "iii", a->id, a->version, a->couple_id);
	if (!st)
		return sqlite3_extended_errcode(w);
	int rc = sqlite3_step(st);
	struct buf needs = BUF_INIT, resp = BUF_INIT;
	char fn[32], fr[32];
	snprintf(fn, sizeof(fn), "v%lld:needs", a->version);
	snprintf(fr, sizeof(fr), "v%lld:response", a->version);
	if (rc == SQLITE_DONE)
		a->out = TRIGGER_PLAN_MISSING;
	else if (rc == SQLITE_ROW && sqlite3_column_int64(st, 0) == a->user_id)
		a->out = TRIGGER_PLAN_OWN;
	else if (rc == SQLITE_ROW && (sqlite3_column_int(st, 1) || sqlite3_column_int64(st, 4) != a->version))
		a->out = TRIGGER_PLAN_ANSWERED;
	else if (rc == SQLITE_ROW && a->accept &&
		 (vault_open_row(a->couple_key, "trigger_plan", a->id, fn, sqlite3_column_blob(st, 2),
				 (size_t)sqlite3_column_bytes(st, 2), &needs) < 0 ||
		  vault_open_row(a->couple_key, "trigger_plan", a->id, fr, sqlite3_column_blob(st, 3),
				 (size_t)sqlite3_column_bytes(st, 3), &resp) < 0))
		rc = SQLITE_CORRUPT;
	db_done(st);
	if (a->out || rc != SQLITE_ROW) {
		buf_release(&needs);
		buf_release(&resp);
		return a->out ? SQLITE_DONE : rc;
	}
	if (a->accept) {
		/* the accepted texts become the plan in force */
		rc = seal_two(w, "UPDATE trigger_plan SET needs = ?1, response = ?2 WHERE id = ?3", a->couple_key,
			      "trigger_plan", a->id, "needs", needs.s, "response", resp.s);
		if (rc == SQLITE_OK)
			rc = db_run(w, "UPDATE trigger_plan SET updated_by = ?2, updated_at = ?3 WHERE id = ?1", "iii",
				    a->id, a->user_id, a->now);
		if (rc == SQLITE_OK)
			rc = db_run(w, "UPDATE trigger_plan_version SET answer = 'accepted', answered_by = ?3,"
				       " answered_at = ?4 WHERE plan_id = ?1 AND version = ?2", "iiii", a->id, a->version,
				    a->user_id, a->now);
	} else {
		struct buf word = BUF_INIT;
		char fw[32];
		snprintf(fw, sizeof(fw), "v%lld:word", a->version);
		rc = vault_seal_row(a->couple_key, "trigger_plan", a->id, fw, a->word, &word) < 0
		     ? SQLITE_TOOBIG
		     : db_run(w, "UPDATE trigger_plan_version SET answer = 'declined', answered_by = ?3, answered_at = ?4,"
				 " word = ?5 WHERE plan_id = ?1 AND version = ?2", "iiiiB", a->id, a->version, a->user_id,
			      a->now, &word);
		buf_release(&word);
	}
	buf_release(&needs);
	buf_release(&resp);
	return rc;
}

/* Answers plan id's version v for the viewer of r (word: the decline's,
 * or NULL); returns the outcome, or -1 after answering a storage error. */
static int plan_answer(struct req *r, long long id, long long v, bool accept, const char *word)
{
	struct trigger_plan_answer a = { .couple_id = r->me->couple_id, .user_id = r->me->user_id,
					 .couple_key = r->me->couple_key, .id = id, .version = v, .accept = accept,
					 .word = word, .now = (long long)r->now };
	int rc = db_write(&r->app->db, trigger_plan_answer, &a);
	if (!a.out && rc != SQLITE_OK) {
		req_db_error(r, rc);
		return -1;
	}
	return a.out;
}

/* The plan in force and the open proposal of plan p, with the forms to
 * answer it, the note about a decline, and the earlier versions. */
static void plan_version_texts(struct req *r, json_t *ver, void *arg)
{
	(void)arg;
	const char *needs = json_string_value(json_object_get(ver, "needs"));
	const char *resp = json_string_value(json_object_get(ver, "response"));
	html(&r->out, "<p class=\"prewrap\">Needed: %s</p><p class=\"prewrap\">The partner does: %s</p>\n",
	     needs ? needs : "", resp ? resp : "");
}

static void plan_consent_block(struct req *r, json_t *p)
{
	json_t *versions = json_object_get(p, "versions"), *proposal = json_object_get(p, "proposal");
	long long id = json_integer_value(json_object_get(p, "id"));
	if (!strcmp(json_string_value(json_object_get(p, "status")), "in_force")) {
		html_unsafe_raw(&r->out, "<h3>In force</h3>\n");
		plan_version_texts(r, p, NULL);
	} else {
		html_unsafe_raw(&r->out, "<p>Not in force yet.</p>\n");
	}
	if (json_is_object(proposal)) {
		long long v = json_integer_value(json_object_get(proposal, "version"));
		html(&r->out, "<h3>%s</h3>\n", json_is_true(json_object_get(proposal, "proposed_by_me"))
		     ? "You proposed" : "Your partner proposed");
		plan_version_texts(r, proposal, NULL);
		consent_answer_forms(r, proposal, arena_printf(&r->arena, "/triggers/plans/%lld/versions/%lld", id, v),
				     arena_printf(&r->arena, "plan-%lld", id), "Accept this plan");
	}
	consent_declined_note(r, json_array_get(versions, json_array_size(versions) - 1));
	consent_history(r, versions, plan_version_texts, NULL);
}

/* Adds to the "For you now" card (home.c opens it) each plan the
 * partner proposed that waits for the viewer; returns whether it is open. */
static bool plans_waiting_card(struct req *r, bool open)
{
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, "SELECT p.kind FROM trigger_plan p JOIN trigger_plan_version v"
					     " ON v.plan_id = p.id AND v.couple_id = ?1 WHERE p.couple_id = ?1"
					     " AND v.answer IS NULL AND v.proposed_by <> ?2 AND v.version ="
					     " (SELECT max(version) FROM trigger_plan_version WHERE plan_id = p.id)"
					     " ORDER BY p.id", "ii", r->me->couple_id, r->me->user_id) : NULL;
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(st, 0);
		open = true;
		html(&r->out, "<p>%s proposed a trigger plan for %s. It is waiting for you. "
			      "<a href=\"/triggers/plans#plan-%s\">Read it</a></p>\n",
		     viewer_partner_word(r, true), words_label(KINDS, kind), kind);
	}
	db_done(st);
	return open;
}

/* How the API answers the outcome of an answer other than
 * TRIGGER_PLAN_ANSWER_OK. */
static const struct req_refusal PLAN_REFUSALS[] = {
	{ TRIGGER_PLAN_MISSING, 404, "not_found", "There is nothing at this address.", NULL },
	{ TRIGGER_PLAN_OWN, 403, "not_allowed", "Your partner answers what you propose; you cannot accept your own proposal.", NULL },
	{ TRIGGER_PLAN_ANSWERED, 409, "not_latest", "Only the newest proposal, not yet answered, can be accepted or declined.", NULL },
	{ 0 },
};

static void plan_api_answer(struct req *r, bool accept)
{
	long long id = req_param_id(r, "id", LLONG_MAX), v = req_param_id(r, "v", 1000000);
	const char *word = NULL;
	if (id < 0 || v < 0) {
		req_refuse(r, PLAN_REFUSALS, TRIGGER_PLAN_MISSING);
		return;
	}
	if ((accept ? req_no_body(r) : consent_json_word(r, &word)) < 0 || !auth_keys(r))
		return;
	int out = plan_answer(r, id, v, accept, word);
	if (out < 0 || req_refuse(r, PLAN_REFUSALS, out))
		return;
	req_json(r, 200, json_pack("{s:o}", "plan", plan_find(r, r->me, id, NULL)));
}

void trigger_plans_api_accept(struct req *r)
{
	plan_api_answer(r, true);
}

void trigger_plans_api_decline(struct req *r)
{
	plan_api_answer(r, false);
}

static void plan_answer_post(struct req *r, bool accept)
{
	long long id = req_param_id(r, "id", LLONG_MAX), v = req_param_id(r, "v", 1000000);
	const char *word = NULL;
	struct input_err e = { 0 };
	if (id < 0 || v < 0) {
		req_error(r, 404, "not_found", "There is nothing at this address.", NULL);
		return;
	}
	if (!accept && consent_form_word(r, &word) < 0) {
		input_fail(&e, 400, "too_long", "word", "Your word can be up to 1,000 characters.");
		plans_page(r, &e, NULL);
		return;
	}
	if (!auth_keys(r))
		return;
	int out = plan_answer(r, id, v, accept, word);
	if (out == TRIGGER_PLAN_MISSING) {
		req_error(r, 404, "not_found", "There is nothing at this address.", NULL);
	} else if (out == TRIGGER_PLAN_OWN || out == TRIGGER_PLAN_ANSWERED) {
		input_fail(&e, out == TRIGGER_PLAN_OWN ? 403 : 409, "not_allowed", "word",
			   out == TRIGGER_PLAN_OWN ? "Your partner answers what you propose."
						   : "That proposal has already been answered or replaced.");
		plans_page(r, &e, NULL);
	} else if (out == 0) {
		req_redirect(r, "/triggers/plans?saved=1");
	}
}

void trigger_plans_accept_post(struct req *r)
{
	plan_answer_post(r, true);
}

void trigger_plans_decline_post(struct req *r)
{
	plan_answer_post(r, false);
}

/* ---- the export ---- */

json_t *trigger_export(struct req *r, const struct viewer *v)
{
	int rc;
	json_t *a = trig_items(r, v, Q_RANGE, DB_NULL, NULL, NULL, &rc);
	if (!a)
		req_db_error(r, rc);
	return a;
}

json_t *trigger_plan_export(struct req *r, const struct viewer *v)
{
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, PLAN_COLS " ORDER BY id", "i", v->couple_id) : NULL;
	if (!st) {
		req_db_error(r, c ? sqlite3_extended_errcode(c) : SQLITE_CANTOPEN);
		return NULL;
	}
	json_t *a = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(a, plan_json(r, v, st));
	db_done(st);
	return a;
}

/* ---- sealing triggers from before sealing ---- */

/* A trigger whose facts are still plain, with whose key they go under. */
struct plain_trigger {
	long long id;
	bool private_;
	struct facts f;
};

static void plain_row(sqlite3_stmt *st, void *row, struct arena *a, const void *ctx)
{
	(void)ctx;
	struct plain_trigger *x = row;
	x->id = sqlite3_column_int64(st, 0);
	x->private_ = sqlite3_column_int(st, 1) != 0;
	x->f.kind = arena_strdup(a, (const char *)sqlite3_column_text(st, 2));
	x->f.intensity = sqlite3_column_int(st, 3);
	x->f.plan_helped = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 4);
	x->f.plan_id = sqlite3_column_int64(st, 5);
}

/* The plain triggers v holds the key to: the couple's shared ones (with
 * the couple key) and v's own private ones (with v's data key). */
#define PLAIN_OF_VIEWER " FROM trigger_event WHERE couple_id = ?1 AND facts IS NULL AND kind IS NOT NULL" \
	" AND ((private = 0 AND ?3) OR (private = 1 AND author_id = ?2 AND ?4))"

static int seal_plain_run(sqlite3 *w, void *arg)
{
	const struct seal_plain_job *j = arg;
	size_t n = 0;
	int rc;
	struct plain_trigger *rows = db_rows(w, j->a, sizeof(*rows), &n, &rc, plain_row, NULL,
		"SELECT id, private, kind, intensity, plan_helped, plan_id" PLAIN_OF_VIEWER, "iiii",
		j->v->couple_id, j->v->user_id, (long long)(j->v->couple_key != NULL),
		(long long)(j->v->data_key != NULL));
	for (size_t i = 0; rc == SQLITE_OK && i < n; i++)
		rc = facts_store(w, rows[i].private_ ? j->v->data_key : j->v->couple_key, rows[i].id, &rows[i].f);
	return rc;
}

int trigger_seal_plain(struct req *r, const struct viewer *v)
{
	sqlite3 *c = db_reader(&r->app->db);
	long long waiting = 0;
	if (!v->couple_id || (!v->couple_key && !v->data_key))
		return SQLITE_OK;
	int rc = c ? db_int(c, &waiting, "SELECT EXISTS(SELECT 1" PLAIN_OF_VIEWER ")", "iiii", v->couple_id,
			    v->user_id, (long long)(v->couple_key != NULL), (long long)(v->data_key != NULL))
		   : SQLITE_CANTOPEN;
	if (rc != SQLITE_ROW)
		return rc;
	struct seal_plain_job j = { v, &r->arena };
	return waiting ? db_write(&r->app->db, seal_plain_run, &j) : SQLITE_OK;
}

/* What parting and closing an account run on this room's tables (db/db.h). */
const struct room_sql trigger_sql = {
	.shared = "SELECT 'trigger_plan', id, 'needs', needs, author_id, updated_at FROM "
		"trigger_plan WHERE couple_id = ?1; "
		"SELECT 'trigger_plan', id, 'response', response, author_id, updated_at FROM "
		"trigger_plan WHERE couple_id = ?1; "
		"SELECT 'trigger', id, 'what', what, author_id, at FROM trigger_event WHERE "
		"couple_id = ?1 AND private = 0; "
		"SELECT 'trigger', id, 'handled', handled, author_id, at FROM trigger_event WHERE "
		"couple_id = ?1 AND private = 0; ",
	.own = "SELECT 'trigger', id, 'what', what, author_id, at FROM trigger_event WHERE "
		"couple_id = ?1 AND private = 1 AND author_id = ?2; "
		"SELECT 'trigger', id, 'handled', handled, author_id, at FROM trigger_event WHERE "
		"couple_id = ?1 AND private = 1 AND author_id = ?2; ",
	.clear = "DELETE FROM trigger_event WHERE couple_id = ?1; "
		"DELETE FROM trigger_plan_version WHERE couple_id = ?1; "
		"DELETE FROM trigger_plan WHERE couple_id = ?1; ",
};

/* ---- what a counsellor may see ---- */

/* v's own hard moments that v shared with the partner (never a private
 * one): day, kind, intensity, what happened, whether a plan was used and
 * whether it helped. */
json_t *trigger_counsel(struct req *r, const struct viewer *v)
{
	int rc;
	json_t *all = trig_items(r, v, Q_RANGE, DB_NULL, NULL, NULL, &rc);
	if (!all)
		return NULL;
	json_t *a = json_array();
	size_t i;
	json_t *t;
	json_array_foreach(all, i, t) {
		if (!json_is_true(json_object_get(t, "mine")) ||
		    strcmp(json_string_value(json_object_get(t, "visibility")), "shared"))
			continue;
		json_array_append_new(a, json_pack("{s:O, s:O, s:O, s:O, s:O, s:b, s:O}", "id", json_object_get(t, "id"),
						   "day", json_object_get(t, "day"), "kind", json_object_get(t, "kind"),
						   "intensity", json_object_get(t, "intensity"), "what",
						   json_object_get(t, "what"), "plan_used",
						   !json_is_null(json_object_get(t, "plan_id")), "plan_helped",
						   json_object_get(t, "plan_helped")));
	}
	json_decref(all);
	return a;
}
