/* checkin.c: the weekly check-in (see checkin.h): its store, the reveal rule
 * (in SQL), the API and the pages (this week's check-in, past weeks side by
 * side). Texts are sealed under the couple key as "checkin:<id>:<field>",
 * and the numbers together as "checkin:<id>:scores" (numbers_of's order). */
#include "checkin.h"
#include "rituals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../auth/account.h"
#include "../auth/auth.h"
#include "../auth/vault.h"
#include "../base/utf8.h"
#include "../db/db.h"
#include "../http/input.h"
#include "../http/jsonin.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"
#include "../ui/words.h"

const char *const checkin_dim_names[CHECKIN_DIMS] = {
	"reliability", "emotional_safety", "honesty", "consistency", "respect", "transparency",
};
const char *const checkin_sign_names[CHECKIN_SIGNS] = { "safer_talking", "listened_to", "warm_moments" };
const char *const checkin_text_names[CHECKIN_TEXTS] = { "increased", "decreased", "need" };

/* What the pages call them. */
static const char *const DIM_LABELS[CHECKIN_DIMS] = {
	"Reliability", "Emotional safety", "Honesty", "Consistency", "Respect", "Transparency",
};
static const char *const DIM_HINTS[CHECKIN_DIMS] = {
	"What was said would happen, happened.",
	"It felt safe enough to be open.",
	"What I was told felt true.",
	"Words and actions matched.",
	"I felt my interests were kept at heart.",
	"Life felt open to me, not hidden.",
};
static const char *const SIGN_LABELS[CHECKIN_SIGNS] = {
	"I feel safer talking",
	"I feel listened to",
	"Small moments feel warm again",
};
static const char *const TEXT_LABELS[CHECKIN_TEXTS] = {
	"Something this week that increased your trust",
	"Something that decreased it",
	"What you need next week",
};

time_t checkin_reveal_at(const struct tz *z, const struct isoweek *w)
{
	long thursday_after = isoweek_monday(w) + 10;
	return z ? tz_instant(z, thursday_after, 0) : (time_t)thursday_after * 86400;
}

/* A check-in's numbers in the order they are sealed: connection, the six
 * dimensions, the three signs (0: not given). */
#define CHECKIN_NUMBERS (1 + CHECKIN_DIMS + CHECKIN_SIGNS)

static void numbers_of(const struct checkin_answers *a, int v[CHECKIN_NUMBERS])
{
	v[0] = a->connection;
	memcpy(v + 1, a->dims, sizeof(a->dims));
	memcpy(v + 1 + CHECKIN_DIMS, a->signs, sizeof(a->signs));
}

/* Opens check-in id's sealed numbers into a; false when they do not open. */
static bool numbers_open(const unsigned char *key, long long id, const void *blob, size_t n,
			 struct checkin_answers *a)
{
	int v[CHECKIN_NUMBERS];
	if (vault_open_ints(key, "checkin", id, "scores", blob, n, v, CHECKIN_NUMBERS) < 0)
		return false;
	a->connection = v[0];
	memcpy(a->dims, v + 1, sizeof(a->dims));
	memcpy(a->signs, v + 1 + CHECKIN_DIMS, sizeof(a->signs));
	sodium_memzero(v, sizeof(v));
	return true;
}

/* Seals the numbers and the three texts of check-in id and writes them;
 * the plain score columns (of a check-in from before sealing) are
 * emptied. */
static int checkin_write_answers(sqlite3 *w, const unsigned char *key, long long id,
				 const struct checkin_answers *a, time_t now)
{
	struct buf t[CHECKIN_TEXTS] = { BUF_INIT, BUF_INIT, BUF_INIT }, sc = BUF_INIT;
	int v[CHECKIN_NUMBERS];
	int rc = SQLITE_OK;
	numbers_of(a, v);
	if (vault_seal_ints(key, "checkin", id, "scores", v, CHECKIN_NUMBERS, &sc) < 0)
		rc = SQLITE_TOOBIG;
	sodium_memzero(v, sizeof(v));
	for (int i = 0; i < CHECKIN_TEXTS; i++)
		if (vault_seal_row(key, "checkin", id, checkin_text_names[i], a->texts[i], &t[i]) < 0)
			rc = SQLITE_TOOBIG;
	if (rc == SQLITE_OK)
		rc = db_run(w,
			"UPDATE checkin SET connection = NULL, reliability = NULL, emotional_safety = NULL,"
			" honesty = NULL, consistency = NULL, respect = NULL, transparency = NULL,"
			" safer_talking = NULL, listened_to = NULL, warm_moments = NULL, scores = ?2,"
			" increased = ?3, decreased = ?4, need = ?5, updated_at = ?6 WHERE id = ?1",
			"iBBBBi", id, &sc, &t[0], &t[1], &t[2], (long long)now);
	for (int i = 0; i < CHECKIN_TEXTS; i++)
		buf_release(&t[i]);
	buf_release(&sc);
	return rc;
}

int checkin_insert(sqlite3 *w, const unsigned char *couple_key, long long couple_id,
		   long long author_id, const struct isoweek *week, time_t reveal_at,
		   const struct checkin_answers *a, time_t now, long long *id)
{
	char wk[9];
	isoweek_format(week, wk);
	int rc = db_run(w,
		"INSERT INTO checkin(couple_id, author_id, week, reveal_at, created_at, updated_at)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?5)",
		"iitii", couple_id, author_id, wk, (long long)reveal_at, (long long)now);
	if (rc != SQLITE_OK)
		return rc;
	*id = sqlite3_last_insert_rowid(w);
	return checkin_write_answers(w, couple_key, *id, a, now);
}

/* The weekly check-ins a viewer may know of, through the reveal rule
 * (CHECKIN_REVEAL_SQL, checkin.h); the answers (s) are joined only for
 * mine or a revealed one. */
static const char SEEN[] =
	"SELECT k.id, k.period, k.mine, k.revealed, k.reveal_at, k.created_at, k.updated_at,"
	" s.connection, s.reliability, s.emotional_safety, s.honesty, s.consistency, s.respect,"
	" s.transparency, s.safer_talking, s.listened_to, s.warm_moments, s.increased, s.decreased, s.need,"
	" s.scores"
	" FROM (" CHECKIN_REVEAL_SQL("checkin", "week") ") k"
	" LEFT JOIN checkin s ON s.id = k.id AND (k.mine OR k.revealed)"
	" ORDER BY k.period, k.mine DESC, k.id";

/* What seen_row opens: the numbers with key, and the texts too when
 * texts (NULL key: neither, the answers read 0 and NULL). */
struct seen_keys {
	const unsigned char *key;
	bool texts;
};

/* One row of SEEN, opened as ctx (a struct seen_keys) says. */
static void seen_row(sqlite3_stmt *st, void *row, struct arena *a, const void *ctx)
{
	const struct seen_keys *k = ctx;
	const unsigned char *key = k->texts ? k->key : NULL;
	struct checkin_row *x = row;
	long long id = x->id = sqlite3_column_int64(st, 0);
	snprintf(x->week, sizeof(x->week), "%s", (const char *)sqlite3_column_text(st, 1));
	x->mine = sqlite3_column_int(st, 2) != 0;
	x->revealed = sqlite3_column_int(st, 3) != 0;
	x->visible = x->mine || x->revealed;
	x->reveal_at = (time_t)sqlite3_column_int64(st, 4);
	x->created_at = (time_t)sqlite3_column_int64(st, 5);
	x->updated_at = (time_t)sqlite3_column_int64(st, 6);
	if (!x->visible)
		return;
	if (sqlite3_column_type(st, 20) != SQLITE_NULL) {
		if (!numbers_open(k->key, id, sqlite3_column_blob(st, 20), (size_t)sqlite3_column_bytes(st, 20),
				  &x->a))
			memset(&x->a, 0, sizeof(x->a)); /* connection 0: the numbers are not known */
	} else {
		/* a check-in from before sealing, until checkin_seal_plain */
		x->a.connection = sqlite3_column_int(st, 7);
		for (int i = 0; i < CHECKIN_DIMS; i++)
			x->a.dims[i] = sqlite3_column_int(st, 8 + i);
		for (int i = 0; i < CHECKIN_SIGNS; i++)
			x->a.signs[i] = sqlite3_column_int(st, 14 + i); /* NULL reads 0 */
	}
	for (int i = 0; i < CHECKIN_TEXTS; i++)
		x->a.texts[i] = vault_open_col(a, key, "checkin", id, checkin_text_names[i], st, 17 + i);
}

/* Runs SEEN on connection c (NULL: SQLITE_CANTOPEN) for viewer v at
 * instant now over weeks wf..wt ("YYYY-Www"); numbers and texts opened with
 * key, texts only when texts (NULL key: the answers read 0 and NULL). Rows
 * in arena a. */
static int seen_as(sqlite3 *c, struct arena *a, const struct viewer *v, const unsigned char *key, bool texts,
		   time_t now, const char *wf, const char *wt, struct checkin_row **rows, size_t *n)
{
	int rc;
	const struct seen_keys k = { key, texts };
	*rows = db_rows(c, a, sizeof(**rows), n, &rc, seen_row, &k, SEEN, "iiitt", v->couple_id,
			v->user_id, (long long)now, wf, wt);
	return rc;
}

static int seen(sqlite3 *c, struct arena *a, const struct viewer *v, const unsigned char *key,
		time_t now, const char *wf, const char *wt, struct checkin_row **rows, size_t *n)
{
	return seen_as(c, a, v, key, true, now, wf, wt, rows, n);
}

int checkin_list(struct req *r, const struct viewer *v, const struct isoweek *from,
		 const struct isoweek *to, struct checkin_row **rows, size_t *n)
{
	char wf[9], wt[9];
	isoweek_format(from, wf);
	isoweek_format(to, wt);
	return seen(db_reader(&r->app->db), &r->arena, v, v->couple_key, r->now, wf, wt, rows, n);
}

int checkin_scores(struct req *r, const struct viewer *v, struct checkin_score **out, size_t *n)
{
	static const char memo;
	struct checkin_row *rows;
	size_t k, cap = 0;
	void *kept;
	if (req_memo_get(r, &memo, v, &kept, n)) {
		*out = kept;
		return SQLITE_OK;
	}
	*out = NULL;
	*n = 0;
	int rc = seen_as(db_reader(&r->app->db), &r->arena, v, v->couple_key, false, r->now, "0000-W01",
			 "9999-W53", &rows, &k);
	if (rc != SQLITE_OK)
		return rc;
	for (size_t i = 0; i < k; i++) {
		struct isoweek w;
		if (!rows[i].visible || !rows[i].a.connection || isoweek_parse(rows[i].week, &w) < 0)
			continue;
		*out = arena_grow(&r->arena, *out, *n, &cap, sizeof(**out));
		struct checkin_score *s = &(*out)[(*n)++];
		s->week = isoweek_monday(&w);
		s->mine = rows[i].mine;
		s->connection = rows[i].a.connection;
		memcpy(s->dims, rows[i].a.dims, sizeof(s->dims));
		memcpy(s->signs, rows[i].a.signs, sizeof(s->signs));
	}
	req_memo_put(r, &memo, v, *out, *n);
	return SQLITE_OK;
}

/* Whether I have a check-in for week w, and whether my partner has (its
 * answers may still be hidden from me). */
static int week_state(struct req *r, const struct isoweek *w, bool *mine, bool *partner)
{
	struct checkin_row *rows;
	size_t n;
	*mine = *partner = false;
	int rc = checkin_list(r, r->me, w, w, &rows, &n);
	for (size_t i = 0; rc == SQLITE_OK && i < n; i++) {
		if (rows[i].mine)
			*mine = true;
		else
			*partner = true;
	}
	return rc;
}

/* ---- JSON ---- */

static json_t *checkin_json(const struct checkin_row *x)
{
	if (!x->visible)
		return json_pack("{s:s, s:s, s:b}", "week", x->week, "author", "partner", "revealed", 0);
	char ca[21], ua[21], ra[21];
	instant_format(x->created_at, ca);
	instant_format(x->updated_at, ua);
	instant_format(x->reveal_at, ra);
	json_t *dims = json_object(), *signs = json_object();
	for (int i = 0; i < CHECKIN_DIMS; i++)
		json_object_set_new(dims, checkin_dim_names[i], json_integer(x->a.dims[i]));
	for (int i = 0; i < CHECKIN_SIGNS; i++)
		json_object_set_new(signs, checkin_sign_names[i],
				    x->a.signs[i] ? json_integer(x->a.signs[i]) : json_null());
	json_t *o = json_pack("{s:s, s:s, s:b, s:i, s:o, s:o, s:s, s:s, s:s}",
			      "week", x->week, "author", x->mine ? "me" : "partner", "revealed", x->revealed,
			      "connection", x->a.connection, "dimensions", dims, "signs", signs,
			      "created_at", ca, "updated_at", ua, "reveals_at", ra);
	for (int i = 0; i < CHECKIN_TEXTS; i++)
		json_object_set_new(o, checkin_text_names[i],
				    x->a.texts[i] ? json_string(x->a.texts[i]) : json_null());
	if (x->mine)
		json_object_set_new(o, "editable", json_boolean(!x->revealed));
	return o;
}

/* ---- reading answers from JSON ---- */

/* A nested object of small integers (dimensions, signs). Absent: an error
 * when required, else all zero. Returns 0 or -1 after answering. */
static int json_scores(struct req *r, const char *name, const char *const *keys, int nkeys,
		       int max, bool required, int *out)
{
	json_t *o = json_object_get(r->json, name);
	const char *key;
	json_t *v;
	for (int i = 0; i < nkeys; i++)
		out[i] = 0;
	if (!o || json_is_null(o)) {
		if (!required)
			return 0;
		req_error(r, 400, "missing_field", arena_printf(&r->arena, "Please include %s.", name), name);
		return -1;
	}
	if (!json_is_object(o)) {
		req_error(r, 400, "invalid_field", arena_printf(&r->arena, "%s must be an object.", name), name);
		return -1;
	}
	json_object_foreach(o, key, v) {
		int i;
		for (i = 0; i < nkeys && strcmp(keys[i], key); i++)
			;
		if (i == nkeys) {
			const char *f = strlen(key) < 64 && !strpbrk(key, "\"\\") ? key : "?";
			req_error(r, 400, "unknown_field",
				  arena_printf(&r->arena, "We do not know the field \"%s.%s\".", name, f),
				  arena_printf(&r->arena, "%s.%s", name, f));
			return -1;
		}
	}
	for (int i = 0; i < nkeys; i++) {
		const char *field = arena_printf(&r->arena, "%s.%s", name, keys[i]);
		v = json_object_get(o, keys[i]);
		if (!v || json_is_null(v)) {
			if (!required)
				continue;
			req_error(r, 400, "missing_field", arena_printf(&r->arena, "Please include %s.", field), field);
			return -1;
		}
		if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > max) {
			req_error(r, 400, "invalid_field",
				  arena_printf(&r->arena, "%s must be a whole number from 1 to %d.", field, max), field);
			return -1;
		}
		out[i] = (int)json_integer_value(v);
	}
	return 0;
}

static const char *const CREATE_FIELDS[] = { "week", "connection", "dimensions", "signs",
					     "increased", "decreased", "need", NULL };
static const char *const EDIT_FIELDS[] = { "connection", "dimensions", "signs", "increased",
					   "decreased", "need", NULL };

static int json_answers(struct req *r, const char *const *fields, struct checkin_answers *a)
{
	long long conn = 0;
	memset(a, 0, sizeof(*a));
	if (jin_only(r, r->json, fields) < 0 || jin_int(r, r->json, "connection", true, 1, 10, &conn) < 0 ||
	    json_scores(r, "dimensions", checkin_dim_names, CHECKIN_DIMS, 10, true, a->dims) < 0 ||
	    json_scores(r, "signs", checkin_sign_names, CHECKIN_SIGNS, 5, false, a->signs) < 0)
		return -1;
	a->connection = (int)conn;
	for (int i = 0; i < CHECKIN_TEXTS; i++)
		if (jin_str(r, r->json, checkin_text_names[i], false, INPUT_TEXT_MAX, &a->texts[i]) < 0)
			return -1;
	return 0;
}

/* Reads a week ("YYYY-Www") that has begun in the couple's zone. Returns 0,
 * or -1 when it is not a week (*future false) or has not begun (*future
 * true). */
static int week_ok(struct req *r, const char *s, struct isoweek *w, bool *future)
{
	struct isoweek now;
	*future = false;
	if (!s || isoweek_parse(s, w) < 0)
		return -1;
	viewer_week(r, &now);
	if (isoweek_cmp(w, &now) > 0) {
		*future = true;
		return -1;
	}
	return 0;
}

/* Reads my check-in of week w as I see it now (after a write). */
static int my_row(struct req *r, const struct isoweek *w, struct checkin_row *out)
{
	struct checkin_row *rows;
	size_t n;
	int rc = checkin_list(r, r->me, w, w, &rows, &n);
	if (rc != SQLITE_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (rows[i].mine) {
			*out = rows[i];
			return SQLITE_OK;
		}
	return SQLITE_NOTFOUND;
}

enum save_result { SAVE_OK, SAVE_EXISTS, SAVE_MISSING, SAVE_REVEALED, SAVE_DB };

/* A create (create) or an edit of my check-in of week w, for db_write. */
struct save {
	struct req *r;
	const unsigned char *key;
	const struct isoweek *w;
	const struct checkin_answers *a;
	bool create;
	enum save_result res;
};

/* Where my check-in stands is read inside the write transaction, through
 * the same reveal rule as every reader. Returns SQLITE_OK after a write,
 * SQLITE_DONE (nothing written, s->res says why) or an error. */
static int save_tx(sqlite3 *w, void *arg)
{
	struct save *s = arg;
	struct req *r = s->r;
	struct checkin_row *rows, *mine = NULL;
	size_t n;
	char wk[9];
	long long id;
	isoweek_format(s->w, wk);
	int rc = seen(w, &r->arena, r->me, NULL, r->now, wk, wk, &rows, &n);
	if (rc != SQLITE_OK)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (rows[i].mine)
			mine = &rows[i];
	s->res = s->create && mine ? SAVE_EXISTS : !s->create && !mine ? SAVE_MISSING
		 : !s->create && mine->revealed ? SAVE_REVEALED : SAVE_OK;
	if (s->res != SAVE_OK)
		return SQLITE_DONE;
	if (s->create)
		return checkin_insert(w, s->key, r->me->couple_id, r->me->user_id, s->w,
				      checkin_reveal_at(r->me->tz, s->w), s->a, r->now, &id);
	return checkin_write_answers(w, s->key, mine->id, s->a, r->now);
}

/* Creates (create) or edits my check-in of week w. */
static enum save_result checkin_save(struct req *r, const unsigned char *key, const struct isoweek *w,
				     const struct checkin_answers *a, bool create, int *rc_out)
{
	struct save s = { r, key, w, a, create, SAVE_DB };
	int rc = db_write(&r->app->db, save_tx, &s);
	if (rc == SQLITE_OK)
		return SAVE_OK;
	if (rc == SQLITE_DONE && s.res != SAVE_OK)
		return s.res;
	*rc_out = rc;
	return (rc & 0xff) == SQLITE_CONSTRAINT && create ? SAVE_EXISTS : SAVE_DB;
}

/* ---- API ---- */

static void answer_row(struct req *r, const struct isoweek *w, int status)
{
	struct checkin_row x;
	if (!req_db_ok(r, my_row(r, w, &x)))
		return;
	req_json(r, status, json_pack("{s:o}", "checkin", checkin_json(&x)));
}

/* Why the API did not save a check-in: status, code, words and field. */
static const struct {
	int status;
	const char *code, *msg, *field;
} NOT_SAVED[] = {
	[SAVE_EXISTS] = { 409, "already_checked_in",
			  "You have checked in for that week already. You can change it until it opens to your partner.",
			  "week" },
	[SAVE_MISSING] = { 404, "not_found", "There is no check-in of yours for that week.", NULL },
	[SAVE_REVEALED] = { 409, "revealed", "Your partner can see this check-in now, so it stays as it is.",
			    NULL },
};

static void answer_not_saved(struct req *r, enum save_result res)
{
	req_error(r, NOT_SAVED[res].status, NOT_SAVED[res].code, NOT_SAVED[res].msg, NOT_SAVED[res].field);
}

/* Saves my answers for week w (create: a new check-in, else an edit) and
 * answers the row (201 for a new one, 200 for an edit) or why not. */
static void api_save(struct req *r, const struct isoweek *w, const struct checkin_answers *a, bool create)
{
	int rc = SQLITE_OK;
	const unsigned char *key = auth_couple_key(r);
	if (!key)
		return;
	enum save_result res = checkin_save(r, key, w, a, create, &rc);
	if (res == SAVE_OK)
		answer_row(r, w, create ? 201 : 200);
	else if (res == SAVE_DB)
		req_db_error(r, rc);
	else
		answer_not_saved(r, res);
}

void checkin_api_create(struct req *r)
{
	struct checkin_answers a;
	struct isoweek w;
	const char *week;
	bool future;
	if (json_answers(r, CREATE_FIELDS, &a) < 0 || jin_str(r, r->json, "week", false, 64, &week) < 0)
		return;
	if (!week) {
		viewer_week(r, &w);
	} else if (week_ok(r, week, &w, &future) < 0) {
		req_error(r, 400, "invalid_field",
			  future ? "That week has not started yet." : "week must be an ISO week, such as 2026-W48.",
			  "week");
		return;
	}
	api_save(r, &w, &a, true);
}

void checkin_api_edit(struct req *r)
{
	struct checkin_answers a;
	struct isoweek w;
	bool future;
	if (week_ok(r, kv_get(&r->params, "week"), &w, &future) < 0) {
		answer_not_saved(r, SAVE_MISSING);
		return;
	}
	if (json_answers(r, EDIT_FIELDS, &a) < 0)
		return;
	api_save(r, &w, &a, false);
}

/* Reads ?name=YYYY-Www, or def. Returns 0, or -1 after answering 400. */
static int query_week(struct req *r, const char *name, const struct isoweek *def, struct isoweek *out)
{
	const char *v = kv_get(&r->query, name);
	if (!v) {
		*out = *def;
		return 0;
	}
	if (isoweek_parse(v, out) < 0) {
		req_error(r, 400, "invalid_field",
			  arena_printf(&r->arena, "%s must be an ISO week, such as 2026-W48.", name), name);
		return -1;
	}
	return 0;
}

static void weeks_back(const struct isoweek *w, int n, struct isoweek *out)
{
	isoweek_of(isoweek_monday(w) - 7L * n, out);
}

void checkin_api_list(struct req *r)
{
	struct isoweek now, from, to, def_from;
	struct checkin_row *rows;
	size_t n;
	viewer_week(r, &now);
	if (query_week(r, "to", &now, &to) < 0)
		return;
	weeks_back(&to, 11, &def_from);
	if (query_week(r, "from", &def_from, &from) < 0)
		return;
	if (isoweek_cmp(&from, &to) > 0) {
		req_error(r, 400, "invalid_field", "from must not be after to.", "from");
		return;
	}
	const unsigned char *key = auth_couple_key(r);
	if (!key)
		return;
	if (!req_db_ok(r, checkin_list(r, r->me, &from, &to, &rows, &n)))
		return;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, checkin_json(&rows[i]));
	req_json(r, 200, json_pack("{s:o}", "checkins", list));
}

/* ---- pages ---- */

static void checkin_form(struct req *r, const struct isoweek *w, const struct checkin_answers *a,
			 const char *partner, bool editing, bool first_days)
{
	char wk[9];
	isoweek_format(w, wk);
	ui_form_begin(r, "/checkins");
	html(&r->out, "<input type=\"hidden\" name=\"week\" value=\"%s\">\n", wk);
	ui_scale(r, "connection", arena_printf(&r->arena, "How connected do you feel to %s right now?",
					    partner ? partner : "your partner"),
	      NULL, 10, a ? a->connection : 0, false, "not at all", "completely");
	html(&r->out, "<h2>Trust %s</h2>\n<p class=\"hint\">Six parts of trust. Rate how each "
		      "felt %s, from 1 (very low) to 10 (whole).</p>\n", first_days ? "in these first days" : "this week",
	     first_days ? "in these first days" : "this week");
	for (int i = 0; i < CHECKIN_DIMS; i++)
		ui_scale(r, checkin_dim_names[i], DIM_LABELS[i], DIM_HINTS[i], 10, a ? a->dims[i] : 0, false,
		      NULL, NULL);
	html(&r->out, "<h2>Signs of progress</h2>\n<p class=\"hint\">If you like: how true is each "
		      "of these lately, from 1 (not yet) to 5 (clearly)?</p>\n");
	for (int i = 0; i < CHECKIN_SIGNS; i++)
		ui_scale(r, checkin_sign_names[i], SIGN_LABELS[i], NULL, 5, a ? a->signs[i] : 0, true,
		      NULL, NULL);
	html(&r->out, "<h2>In a few words</h2>\n<p class=\"hint\">Optional, and short is fine. "
		      "Say \"I felt\" rather than \"you always\".</p>\n");
	/* each text one tap away, open when it holds words already */
	for (int i = 0; i < CHECKIN_TEXTS; i++) {
		const char *t = a ? a->texts[i] : NULL;
		html_unsafe_raw(&r->out, "<details class=\"words\"");
		if (t && *t)
			html_unsafe_raw(&r->out, " open");
		html(&r->out, "><summary>%s</summary>\n", TEXT_LABELS[i]);
		ui_textarea(r, TEXT_LABELS[i], checkin_text_names[i], t, NULL, UI_COACH);
		html_unsafe_raw(&r->out, "</details>\n");
	}
	ui_form_end(r, editing ? "Save my changes" : "Save my check-in");
}

static void score_cell(struct req *r, const struct checkin_row *x, int v, int max)
{
	if (!x)
		html(&r->out, "<td>–</td>");
	else if (!x->visible)
		html(&r->out, "<td class=\"hidden-answer\">hidden</td>");
	else if (!v)
		html(&r->out, "<td>–</td>");
	else
		html(&r->out, "<td>%d<span class=\"of\"> / %d</span></td>", v, max);
}

/* One partner's words for a question. */
static void said(struct req *r, const struct checkin_row *x, int i, const char *who)
{
	const char *t = !x ? "No check-in." : !x->visible ? "Hidden for now." : x->a.texts[i] ? x->a.texts[i] : "–";
	html(&r->out, "<div><p class=\"who\">%s</p><p class=\"said\">%s</p></div>", who, t);
}

/* One week, side by side: mine and my partner's (either may be NULL). */
static void side_by_side(struct req *r, const struct checkin_row *me, const struct checkin_row *them,
			 const char *partner)
{
	html(&r->out, "<div class=\"table-wrap\"><table class=\"side-by-side\"><thead><tr><th scope=\"col\">"
		      "<span class=\"visually-hidden\">Question</span></th><th scope=\"col\">You</th>"
		      "<th scope=\"col\">%s</th></tr></thead><tbody>\n", partner ? partner : "Your partner");
	html(&r->out, "<tr><th scope=\"row\">Connection</th>");
	score_cell(r, me, me ? me->a.connection : 0, 10);
	score_cell(r, them, them ? them->a.connection : 0, 10);
	html(&r->out, "</tr>\n");
	for (int i = 0; i < CHECKIN_DIMS; i++) {
		html(&r->out, "<tr><th scope=\"row\">%s</th>", DIM_LABELS[i]);
		score_cell(r, me, me ? me->a.dims[i] : 0, 10);
		score_cell(r, them, them ? them->a.dims[i] : 0, 10);
		html(&r->out, "</tr>\n");
	}
	for (int i = 0; i < CHECKIN_SIGNS; i++) {
		html(&r->out, "<tr><th scope=\"row\">%s</th>", SIGN_LABELS[i]);
		score_cell(r, me, me ? me->a.signs[i] : 0, 5);
		score_cell(r, them, them ? them->a.signs[i] : 0, 5);
		html(&r->out, "</tr>\n");
	}
	html(&r->out, "</tbody></table></div>\n");
	/* the words: side by side where there is room, one above the other on
	 * a narrow phone */
	for (int i = 0; i < CHECKIN_TEXTS; i++) {
		html(&r->out, "<h3 class=\"said-q\">%s</h3><div class=\"pair\">", TEXT_LABELS[i]);
		said(r, me, i, "You");
		said(r, them, i, partner ? partner : "Your partner");
		html(&r->out, "</div>\n");
	}
}

/* Whether week w is the couple's first: they began it (the couple was
 * made this week) and nobody has a check-in for the week before, so there
 * is no "last week" to ask about. */
static bool first_week(struct req *r, const struct isoweek *w)
{
	long long since;
	struct isoweek before;
	bool mine = false, theirs = false;
	sqlite3 *c = db_reader(&r->app->db);
	if (!c || acct_couple_since(c, r->me->couple_id, &since) != SQLITE_OK ||
	    viewer_day_of(r, since) < isoweek_monday(w))
		return false;
	weeks_back(w, 1, &before);
	return week_state(r, &before, &mine, &theirs) == SQLITE_OK && !mine && !theirs;
}

/* The check-in page of week w, with an optional notice and the answers to
 * put back in the form (after an error). */
static void week_page(struct req *r, const struct isoweek *w, const char *notice,
			 const char *kind, const struct checkin_answers *kept)
{
	struct checkin_row *rows;
	size_t n;
	struct isoweek now, last;
	const char *partner = r->me->partner_name;
	long long pid = r->me->partner_id;
	const unsigned char *key = r->me->couple_key;
	if (!req_db_ok(r, checkin_list(r, r->me, w, w, &rows, &n)))
		return;
	const struct checkin_row *me = NULL, *them = NULL;
	for (size_t i = 0; i < n; i++) {
		if (rows[i].mine)
			me = &rows[i];
		else
			them = &rows[i];
	}
	viewer_week(r, &now);
	weeks_back(&now, 1, &last);
	const char *who = partner ? partner : "your partner";
	page_begin(r, "Check-in");
	ui_menu(r, "Rituals", rituals_menu, "/checkins");
	html(&r->out, "<p class=\"week\">%s: %s</p>\n",
	     isoweek_cmp(w, &now) == 0 ? "This week" : isoweek_cmp(w, &last) == 0 ? "Last week" : "The week of",
	     words_week(&r->arena, w));
	if (notice)
		ui_notice(r, kind, notice);
	if (!key) {
		ui_notice(r, "attention", "Your notes are locked after a password reset. Enter your "
					  "recovery code in settings to open them.");
		page_end(r);
		return;
	}
	long reveal_day = isoweek_monday(w) + 10;
	if (!me || !me->revealed) {
		if (!me) {
			if (them)
				ui_notice(r, "info", arena_printf(&r->arena, "%s has checked in for this week. "
					  "Their answers open once you add yours.", who));
			html(&r->out, "<p>A minute for this week. %s will see your answers once they have "
				      "added theirs, so neither of you leans on the other's.</p>\n",
			     pid ? partner : "Your partner");
		} else {
			ui_notice(r, "info", arena_printf(&r->arena, "Your answers are in. %s's open when they "
				  "check in for this week, or on %s whatever happens. Until then you can "
				  "change yours.", pid ? partner : "Your partner", words_day_short(&r->arena, reveal_day)));
		}
		checkin_form(r, w, kept ? kept : me ? &me->a : NULL, partner, me != NULL, first_week(r, w));
	} else {
		if (them && them->visible)
			html(&r->out, "<p>Your answers and %s's, side by side. Take them in before you "
				      "talk about them.</p>\n", who);
		else
			html(&r->out, "<p>%s did not check in for this week.</p>\n", pid ? partner : "Your partner");
		html(&r->out, "<h2>Side by side</h2>\n");
		side_by_side(r, me, them, partner);
	}
	/* a missed week can still be added, once there was a week before */
	if (isoweek_cmp(w, &now) == 0 && !first_week(r, w)) {
		bool mine_last = false, theirs_last = false;
		if (week_state(r, &last, &mine_last, &theirs_last) == SQLITE_OK && !mine_last) {
			char lw[9];
			isoweek_format(&last, lw);
			html(&r->out, "<p>Missed last week? <a href=\"/checkins?week=%s\">Check in for last "
				      "week</a>.</p>\n", lw);
		}
	}
	page_end(r);
}

void checkin_page(struct req *r)
{
	struct isoweek w;
	bool future;
	const char *week = kv_get(&r->query, "week");
	if (!week) {
		viewer_week(r, &w);
	} else if (week_ok(r, week, &w, &future) < 0) {
		page_message(r, 404, "No such week", future ? "That week has not started yet."
							     : "That is not a week we know.");
		return;
	}
	week_page(r, &w, kv_get(&r->query, "saved") ? "Saved." : NULL, "celebrate", NULL);
}

/* A score from the form: 0 when absent or "", -1 when not a whole number in
 * 1..max. */
static int form_score(struct req *r, const char *name, int max)
{
	const char *v = kv_get(&r->form, name);
	if (!v || !*v)
		return 0;
	char *end;
	long n = strtol(v, &end, 10);
	return *end || n < 1 || n > max || v[0] == '+' || v[0] == ' ' ? -1 : (int)n;
}

void checkin_post(struct req *r)
{
	struct checkin_answers a;
	struct isoweek w;
	bool future;
	const char *problem = NULL;
	int rc = SQLITE_OK;
	memset(&a, 0, sizeof(a));
	if (week_ok(r, kv_get(&r->form, "week"), &w, &future) < 0) {
		page_message(r, 400, "That did not work", future ? "That week has not started yet." : "That is not a week we know.");
		return;
	}
	a.connection = form_score(r, "connection", 10);
	if (a.connection <= 0)
		problem = "Please choose how connected you feel, from 1 to 10.";
	for (int i = 0; i < CHECKIN_DIMS; i++) {
		a.dims[i] = form_score(r, checkin_dim_names[i], 10);
		if (a.dims[i] <= 0 && !problem)
			problem = arena_printf(&r->arena, "Please choose a number for %s.", DIM_LABELS[i]);
		if (a.dims[i] < 0)
			a.dims[i] = 0;
	}
	if (a.connection < 0)
		a.connection = 0;
	for (int i = 0; i < CHECKIN_SIGNS; i++) {
		a.signs[i] = form_score(r, checkin_sign_names[i], 5);
		if (a.signs[i] < 0) {
			a.signs[i] = 0;
			if (!problem)
				problem = "The signs of progress go from 1 to 5.";
		}
	}
	for (int i = 0; i < CHECKIN_TEXTS; i++) {
		struct input_err e;
		const char *raw = kv_get(&r->form, checkin_text_names[i]);
		if (input_text(raw, checkin_text_names[i], false, INPUT_TEXT_MAX, &a.texts[i], &e) < 0) {
			a.texts[i] = utf8_keepable(raw); /* kept in the form, never lost */
			if (!problem)
				problem = e.msg;
		}
	}
	if (problem) {
		r->status = 400;
		week_page(r, &w, problem, "attention", &a);
		return;
	}
	const unsigned char *key = auth_couple_key(r);
	if (!key)
		return;
	bool mine = false, theirs = false;
	if ((rc = week_state(r, &w, &mine, &theirs)) != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	enum save_result res = checkin_save(r, key, &w, &a, !mine, &rc);
	if (res == SAVE_EXISTS) /* added a moment ago, from another tab: edit it */
		res = checkin_save(r, key, &w, &a, false, &rc);
	char wk[9];
	isoweek_format(&w, wk);
	switch (res) {
	case SAVE_OK:
		req_redirect(r, arena_printf(&r->arena, "/checkins?week=%s&saved=1", wk));
		break;
	case SAVE_REVEALED:
		r->status = 409;
		week_page(r, &w, "Your partner can see this check-in now, so it stays as it is.",
			     "attention", NULL);
		break;
	case SAVE_MISSING:
	case SAVE_EXISTS:
		page_message(r, 409, "That did not work", "That check-in changed in the meantime. Please open it again.");
		break;
	default:
		req_db_error(r, rc);
	}
}

void checkin_history_page(struct req *r)
{
	enum { WEEKS = 8 };
	struct isoweek now, to, from;
	struct checkin_row *rows;
	size_t n;
	const char *partner = r->me->partner_name;
	viewer_week(r, &now);
	const char *v = kv_get(&r->query, "to");
	if (v && (isoweek_parse(v, &to) < 0 || isoweek_cmp(&to, &now) > 0)) {
		page_message(r, 404, "No such week", "That is not a week we know.");
		return;
	}
	if (!v)
		to = now;
	weeks_back(&to, WEEKS - 1, &from);
	if (!req_db_ok(r, checkin_list(r, r->me, &from, &to, &rows, &n)))
		return;
	page_begin(r, "Past weeks");
	ui_menu(r, "Rituals", rituals_menu, "/checkins/history");
	if (!r->me->couple_key)
		ui_notice(r, "attention", "Your notes are locked after a password reset, so only the numbers "
					  "show. Enter your recovery code in settings to open the words.");
	if (!n && !v) {
		html(&r->out, "<p>Your weekly check-ins gather here, week by week, yours beside %s's. "
			      "Over time they show which way things are moving.</p>\n"
			      "<p><a class=\"button\" href=\"/checkins\">Check in for this week</a></p>\n",
		     partner ? partner : "your partner");
		page_end(r);
		return;
	}
	if (!n)
		html(&r->out, "<p>No check-ins in these weeks.</p>\n");
	/* newest first */
	for (size_t i = n; i > 0;) {
		const struct checkin_row *me = NULL, *them = NULL;
		const char *wk = rows[i - 1].week;
		while (i > 0 && !strcmp(rows[i - 1].week, wk)) {
			if (rows[i - 1].mine)
				me = &rows[i - 1];
			else
				them = &rows[i - 1];
			i--;
		}
		struct isoweek w;
		isoweek_parse(wk, &w);
		html(&r->out, "<section class=\"card week-card\" id=\"w-%s\"><h2>%s</h2>\n", wk,
		     words_week(&r->arena, &w));
		if (them && !them->visible)
			html(&r->out, "<p>%s's answers open once you check in for this week. "
				      "<a href=\"/checkins?week=%s\">Check in</a></p>\n",
			     partner ? partner : "Your partner", wk);
		if (!them)
			html(&r->out, "<p class=\"meta\">%s has no check-in for this week.</p>\n",
			     partner ? partner : "Your partner");
		if (!me && !(them && !them->visible))
			html(&r->out, "<p class=\"meta\">You have no check-in for this week. "
				      "<a href=\"/checkins?week=%s\">Add it</a></p>\n", wk);
		side_by_side(r, me, them, partner);
		html(&r->out, "</section>\n");
	}
	/* a way further back only while there is something there */
	struct checkin_score *all;
	size_t nall;
	if (checkin_scores(r, r->me, &all, &nall) == SQLITE_OK && nall && all[0].week < isoweek_monday(&from)) {
		struct isoweek older;
		char ow[9];
		weeks_back(&from, 1, &older);
		isoweek_format(&older, ow);
		html(&r->out, "<p><a href=\"/checkins/history?to=%s\">Earlier weeks</a></p>\n", ow);
	} else if (n || v) {
		html_unsafe_raw(&r->out, "<p class=\"meta\">These are your first weeks of check-ins.</p>\n");
	}
	page_end(r);
}

/* ---- home ---- */

void checkin_home_card(struct req *r)
{
	struct isoweek w;
	bool mine = false, theirs = false;
	const char *partner = r->me->partner_name;
	viewer_week(r, &w);
	if (week_state(r, &w, &mine, &theirs) != SQLITE_OK) {
		html(&r->out, "<li class=\"card\" id=\"due-checkin\">");
		ui_notice(r, "attention", "This week's check-in could not be read just now. Please try again in a moment.");
		html(&r->out, "</li>\n");
		return;
	}
	html(&r->out, "<li class=\"card\" id=\"due-checkin\">");
	if (!mine) {
		html(&r->out, "<p><strong>This week's check-in</strong> is open. It takes about a minute.");
		if (partner && theirs)
			html(&r->out, " %s has checked in and is waiting for yours.", partner);
		html_unsafe_raw(&r->out, "</p>");
		html(&r->out, "<p><a class=\"button\" href=\"/checkins\">Check in</a></p>");
	} else if (partner && !theirs) {
		html(&r->out, "<p>You have checked in this week. <a href=\"/checkins\">Change it</a> until %s "
			      "adds theirs.</p>", partner);
	} else if (partner) {
		html(&r->out, "<p>You have both checked in this week.</p><p><a href=\"/checkins\">See "
			      "this week side by side</a></p>");
	} else {
		html(&r->out, "<p>You have checked in this week.</p><p><a href=\"/checkins\">See your "
			      "check-in</a></p>");
	}
	html(&r->out, "</li>\n");
}

/* A row of SEEN: its texts when it is the viewer's or revealed. */
static int seen_texts(struct sealed_walk *w, sqlite3_stmt *st)
{
	long long id = sqlite3_column_int64(st, 0), author = w->viewer;
	bool mine = sqlite3_column_int(st, 2) != 0;
	if (!mine && (!sqlite3_column_int(st, 3) ||
		      db_int(w->c, &author, "SELECT author_id FROM checkin WHERE id = ?1", "i", id) != SQLITE_ROW))
		return SQLITE_OK;
	int rc = SQLITE_OK;
	for (int i = 0; rc == SQLITE_OK && i < CHECKIN_TEXTS; i++) {
		struct sealed_text t = { "checkin", id, checkin_text_names[i], sqlite3_column_blob(st, 17 + i),
					 (size_t)sqlite3_column_bytes(st, 17 + i), author, sqlite3_column_int64(st, 5),
					 false };
		if (t.n)
			rc = w->fn(w->arg, &t);
	}
	return rc;
}

int checkin_each_seen(struct sealed_walk *w, long long now)
{
	return sealed_walk_rows(w, db_prepare(w->c, SEEN, "iiitt", w->couple_id, w->viewer, now, "0000-W00", "9999-W99"),
				seen_texts);
}

/* ---- the export ---- */

json_t *checkin_export(struct req *r, const struct viewer *v)
{
	struct checkin_row *rows = NULL;
	size_t n = 0;
	sqlite3 *c = db_reader(&r->app->db);
	int rc = c ? seen(c, &r->arena, v, v->couple_key, r->now, "0000-W01", "9999-W53", &rows, &n)
		   : SQLITE_CANTOPEN;
	if (!req_db_ok(r, rc))
		return NULL;
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		if (rows[i].visible)
			json_array_append_new(a, checkin_json(&rows[i]));
	return a;
}

/* ---- sealing check-ins from before sealing ---- */

/* A check-in whose numbers are still plain. */
struct plain_checkin {
	long long id;
	struct checkin_answers a;
};

static void plain_row(sqlite3_stmt *st, void *row, struct arena *a, const void *ctx)
{
	(void)a;
	(void)ctx;
	struct plain_checkin *x = row;
	x->id = sqlite3_column_int64(st, 0);
	x->a.connection = sqlite3_column_int(st, 1);
	for (int i = 0; i < CHECKIN_DIMS; i++)
		x->a.dims[i] = sqlite3_column_int(st, 2 + i);
	for (int i = 0; i < CHECKIN_SIGNS; i++)
		x->a.signs[i] = sqlite3_column_int(st, 8 + i);
}

static int seal_plain_run(sqlite3 *w, void *arg)
{
	const struct seal_plain_job *j = arg;
	size_t n = 0;
	int rc;
	struct plain_checkin *rows = db_rows(w, j->a, sizeof(*rows), &n, &rc, plain_row, NULL,
		"SELECT id, connection, reliability, emotional_safety, honesty, consistency, respect,"
		" transparency, safer_talking, listened_to, warm_moments FROM checkin"
		" WHERE couple_id = ?1 AND scores IS NULL AND connection IS NOT NULL", "i", j->v->couple_id);
	for (size_t i = 0; rc == SQLITE_OK && i < n; i++) {
		struct buf sc = BUF_INIT;
		int v[CHECKIN_NUMBERS];
		numbers_of(&rows[i].a, v);
		rc = vault_seal_ints(j->v->couple_key, "checkin", rows[i].id, "scores", v, CHECKIN_NUMBERS, &sc) < 0
		     ? SQLITE_TOOBIG
		     : db_run(w, "UPDATE checkin SET scores = ?2, connection = NULL, reliability = NULL,"
				 " emotional_safety = NULL, honesty = NULL, consistency = NULL, respect = NULL,"
				 " transparency = NULL, safer_talking = NULL, listened_to = NULL,"
				 " warm_moments = NULL WHERE id = ?1", "iB", rows[i].id, &sc);
		sodium_memzero(v, sizeof(v));
		sodium_memzero(&rows[i].a, sizeof(rows[i].a));
		buf_release(&sc);
	}
	return rc;
}

int checkin_seal_plain(struct req *r, const struct viewer *v)
{
	return viewer_seal_plain(r, v,
				 "SELECT EXISTS(SELECT 1 FROM checkin WHERE couple_id = ?1"
				 " AND scores IS NULL AND connection IS NOT NULL)",
				 seal_plain_run);
}

/* What parting and closing an account run on this room's tables (db/db.h). */
const struct room_sql checkin_sql = {
	.clear = "DELETE FROM checkin WHERE couple_id = ?1; ",
};

/* ---- what a counsellor may see ---- */

/* The scores of v's own check-ins once they are revealed to the partner
 * (never one still hidden), without their texts: week, the Monday it
 * starts, connection and the six trust dimensions. */
json_t *checkin_counsel(struct req *r, const struct viewer *v)
{
	struct checkin_row *rows;
	size_t n;
	if (seen_as(db_reader(&r->app->db), &r->arena, v, v->couple_key, false, r->now, "0000-W01", "9999-W53", &rows,
		    &n) != SQLITE_OK)
		return NULL;
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		struct isoweek w;
		char day[11];
		if (!rows[i].mine || !rows[i].revealed || isoweek_parse(rows[i].week, &w) < 0)
			continue;
		date_format(isoweek_monday(&w), day);
		json_t *x = json_pack("{s:I, s:s, s:s, s:i}", "id", (json_int_t)rows[i].id, "day", day, "week",
				      rows[i].week, "connection", rows[i].a.connection);
		for (int d = 0; d < CHECKIN_DIMS; d++)
			json_object_set_new(x, checkin_dim_names[d], json_integer(rows[i].a.dims[d]));
		json_array_append_new(a, x);
	}
	return a;
}

/* ---- reminders: whether a record exists, never its text ---- */

int checkin_answered_in(sqlite3 *c, long long couple_id, long long user_id, const struct isoweek *w,
			long long *n)
{
	char wk[9];
	isoweek_format(w, wk);
	return db_int(c, n, "SELECT count(*) FROM checkin WHERE couple_id = ?1 AND author_id = ?2 AND week = ?3",
		      "iit", couple_id, user_id, wk);
}
