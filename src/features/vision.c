/* vision.c: future visioning (see vision.h).
 *
 * Each vision is sealed under the couple key as "vision:<couple>:<user>"
 * (the partner will read it once revealed) and kept from the partner in
 * SQL until both have written: the partner's row is selected only when the
 * viewer's own exists. Items are shared from the start (they are made only
 * after the reveal), sealed as "vision_item:<id>:text". */
#include "vision.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../db/db.h"
#include "../app.h"
#include "../auth/auth.h"
#include "../auth/vault.h"
#include "../http/input.h"
#include "../http/jsonin.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"

#define VISION_MAX 4000
#define ITEM_MAX 500

static const char *const MARKS[] = {
	"aligned", "We see this the same way",
	"different", "We see this differently",
	NULL,
};

/* A vision is sealed as field "<user>" of record "vision:<couple>". */
static void vision_field(char out[24], long long user)
{
	snprintf(out, 24, "%lld", user);
}

static bool mark_ok(const char *m)
{
	return m && (!strcmp(m, "aligned") || !strcmp(m, "different"));
}

/* Who sees a vision: its author, and the partner only once both have
 * written (the viewer's own row exists). Items are made after that, so
 * they are both partners' from the start. ?1 the couple, ?2 the viewer. */
static const char VISIBLE[] =
	"SELECT user_id, text, written_at FROM vision WHERE couple_id = ?1"
	" AND (user_id = ?2 OR EXISTS (SELECT 1 FROM vision m WHERE m.couple_id = ?1 AND m.user_id = ?2))";

/* {"mine","partner","partner_has_written","revealed","items"} as v may see
 * them; NULL after answering. */
static json_t *load_vision(struct req *r, const struct viewer *vw)
{
	const unsigned char *ck = vw->couple_key;
	long long partner_wrote = 0;
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, VISIBLE, "ii", vw->couple_id, vw->user_id) : NULL;
	if (!st || db_int(c, &partner_wrote, "SELECT count(*) FROM vision WHERE couple_id = ?1 AND user_id <> ?2", "ii",
			  vw->couple_id, vw->user_id) != SQLITE_ROW) {
		db_done(st);
		req_db_error(r, c ? sqlite3_extended_errcode(c) : SQLITE_CANTOPEN);
		return NULL;
	}
	json_t *mine = json_null(), *partner = json_null();
	while (sqlite3_step(st) == SQLITE_ROW) {
		long long uid = sqlite3_column_int64(st, 0);
		char field[24];
		vision_field(field, uid);
		json_t *v = json_pack("{s:s?, s:o}", "text",
				      vault_open_text(&r->arena, ck, "vision", vw->couple_id, field,
						      sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1)),
				      "written_at", json_instant(sqlite3_column_int64(st, 2)));
		if (uid == vw->user_id) {
			json_decref(mine);
			mine = v;
		} else {
			json_decref(partner);
			partner = v;
		}
	}
	db_done(st);
	bool revealed = !json_is_null(mine) && !json_is_null(partner);
	json_t *items = json_array();
	st = revealed ? db_prepare(c, "SELECT id, text, mark, goal, created_by, created_at FROM vision_item"
				      " WHERE couple_id = ?1 ORDER BY goal DESC, id", "i", vw->couple_id) : NULL;
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		json_array_append_new(items, json_pack("{s:I, s:s?, s:s, s:b, s:I, s:o}", "id", (json_int_t)id,
			"text", vault_open_text(&r->arena, ck, "vision_item", id, "text", sqlite3_column_blob(st, 1),
						(size_t)sqlite3_column_bytes(st, 1)),
			"mark", (const char *)sqlite3_column_text(st, 2),
			"goal", sqlite3_column_int(st, 3), "created_by", (json_int_t)sqlite3_column_int64(st, 4),
			"created_at", json_instant(sqlite3_column_int64(st, 5))));
	}
	db_done(st);
	return json_pack("{s:o, s:o, s:b, s:b, s:o}", "mine", mine, "partner", partner, "partner_has_written",
			 partner_wrote > 0, "revealed", revealed, "items", items);
}

int vision_store_text(sqlite3 *w, const unsigned char *couple_key, long long couple_id,
		      long long user_id, const char *text, long long at)
{
	struct buf s = BUF_INIT;
	char field[24];
	vision_field(field, user_id);
	int rc = vault_seal_row(couple_key, "vision", couple_id, field, text, &s) < 0 ? SQLITE_ERROR
		 : db_run(w, "INSERT INTO vision(couple_id, user_id, text, written_at) VALUES(?1, ?2, ?3, ?4)"
			     " ON CONFLICT(couple_id, user_id) DO UPDATE SET text = excluded.text, written_at = excluded.written_at",
			  "iiBi", couple_id, user_id, &s, at);
	buf_release(&s);
	return rc;
}

int vision_item_insert(sqlite3 *w, const unsigned char *couple_key, long long couple_id,
		       long long author, const char *text, const char *mark, bool goal, long long at,
		       long long *id_out)
{
	*id_out = 0;
	int rc = db_run(w, "INSERT INTO vision_item(couple_id, text, mark, goal, created_by, created_at)"
			   " VALUES(?1, X'', ?2, ?3, ?4, ?5)", "itiii", couple_id, mark,
			(long long)(goal && !strcmp(mark, "aligned")), author, at);
	if (rc != SQLITE_OK)
		return rc;
	long long id = sqlite3_last_insert_rowid(w);
	struct buf s = BUF_INIT;
	rc = vault_seal_row(couple_key, "vision_item", id, "text", text, &s) < 0 ? SQLITE_ERROR
	     : db_run(w, "UPDATE vision_item SET text = ?2 WHERE id = ?1", "iB", id, &s);
	buf_release(&s);
	if (rc == SQLITE_OK)
		*id_out = id;
	return rc;
}

enum { VI_OK = 0, VI_NOT_FOUND, VI_NOT_REVEALED, VI_NOT_ALIGNED, VI_DB };

/* How the API answers an outcome other than VI_OK; any other is VI_DB. */
static const struct req_refusal REFUSALS[] = {
	{ VI_NOT_FOUND, 404, "not_found", "There is no such item.", NULL },
	{ VI_NOT_REVEALED, 409, "not_revealed", "You compare your visions once both of you have written one.", NULL },
	{ VI_NOT_ALIGNED, 409, "not_aligned", "A shared goal is something you both see the same way.", "goal" },
	{ 0 },
};

/* What a write from a request needs, and what came of it. */
struct vi_job {
	const struct viewer *v;
	const char *text, *mark;
	long long id, at;
	int goal;
	int out;
};

/* Runs a job that may end in an outcome other than VI_OK (then rolled
 * back); *rcp gets the SQLite code for VI_DB. */
static int run_outcome(struct req *r, int (*fn)(sqlite3 *, void *), struct vi_job *j, int *rcp)
{
	return db_write_outcome(&r->app->db, fn, j, &j->out, VI_DB, rcp);
}

static int store_run(sqlite3 *w, void *arg)
{
	struct vi_job *j = arg;
	return vision_store_text(w, j->v->couple_key, j->v->couple_id, j->v->user_id, j->text, j->at);
}

static int vision_store(struct req *r, const char *text)
{
	struct vi_job j = { .v = r->me, .text = text, .at = (long long)r->now };
	return db_write(&r->app->db, store_run, &j);
}

static int item_create_run(sqlite3 *w, void *arg)
{
	struct vi_job *j = arg;
	long long n = 0;
	int rc = db_int(w, &n, "SELECT count(*) FROM vision WHERE couple_id = ?1", "i", j->v->couple_id);
	if (rc != SQLITE_ROW)
		return rc;
	if (n < 2) {
		j->out = VI_NOT_REVEALED;
		return SQLITE_DONE;
	}
	return vision_item_insert(w, j->v->couple_key, j->v->couple_id, j->v->user_id, j->text, j->mark, false,
				  j->at, &j->id);
}

static int item_create(struct req *r, const char *text, const char *mark, long long *id_out, int *rcp)
{
	struct vi_job j = { .v = r->me, .text = text, .mark = mark, .at = (long long)r->now };
	int out = run_outcome(r, item_create_run, &j, rcp);
	*id_out = j.id;
	return out;
}

static int item_update_run(sqlite3 *w, void *arg)
{
	struct vi_job *j = arg;
	sqlite3_stmt *st = db_prepare(w, "SELECT mark, goal FROM vision_item WHERE id = ?1 AND couple_id = ?2", "ii",
				      j->id, j->v->couple_id);
	if (!st)
		return sqlite3_extended_errcode(w);
	int rc = sqlite3_step(st);
	char cur[16] = "";
	int cur_goal = 0;
	if (rc == SQLITE_ROW) {
		snprintf(cur, sizeof(cur), "%s", (const char *)sqlite3_column_text(st, 0));
		cur_goal = sqlite3_column_int(st, 1);
	}
	db_done(st);
	if (rc == SQLITE_DONE)
		j->out = VI_NOT_FOUND;
	if (rc != SQLITE_ROW)
		return rc;
	const char *m = j->mark ? j->mark : cur;
	int g = j->goal >= 0 ? j->goal : cur_goal;
	if (!strcmp(m, "different") && j->goal == 1) {
		j->out = VI_NOT_ALIGNED;
		return SQLITE_DONE;
	}
	return db_run(w, "UPDATE vision_item SET mark = ?3, goal = ?4 WHERE id = ?1 AND couple_id = ?2", "iiti",
		      j->id, j->v->couple_id, m, (long long)(strcmp(m, "aligned") ? 0 : g));
}

/* mark NULL keeps it; goal -1 keeps it. A goal must be aligned; marking an
 * item different ends its goal. */
static int item_update(struct req *r, long long id, const char *mark, int goal, int *rcp)
{
	struct vi_job j = { .v = r->me, .id = id, .mark = mark, .goal = goal };
	return run_outcome(r, item_update_run, &j, rcp);
}

/* The item id from a freshly loaded vision (a new reference), or NULL. */
static json_t *item_json(json_t *v, long long id)
{
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(v, "items"), i, it)
		if (json_integer_value(json_object_get(it, "id")) == id)
			return json_incref(it);
	return NULL;
}

static void answer_item(struct req *r, int status, long long id)
{
	json_t *v = load_vision(r, r->me);
	if (!v)
		return;
	json_t *it = item_json(v, id);
	json_decref(v);
	req_json(r, status, json_pack("{s:o}", "item", it ? it : json_null()));
}

/* ---- API ---- */

void vision_api_get(struct req *r)
{
	if (!auth_couple_key(r))
		return;
	json_t *v = load_vision(r, r->me);
	if (v)
		req_json(r, 200, v);
}

void vision_api_put(struct req *r)
{
	static const char *const fields[] = { "text", NULL };
	const char *text;
	if (jin_only(r, r->json, fields) < 0 || jin_str(r, r->json, "text", true, VISION_MAX, &text) < 0 ||
	    !auth_couple_key(r))
		return;
	int rc = vision_store(r, text);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	vision_api_get(r);
}

void vision_api_item_create(struct req *r)
{
	static const char *const fields[] = { "text", "mark", NULL };
	const char *text, *mark;
	long long id = 0;
	int rc;
	if (jin_only(r, r->json, fields) < 0 || jin_str(r, r->json, "text", true, ITEM_MAX, &text) < 0 ||
	    jin_str(r, r->json, "mark", true, 16, &mark) < 0)
		return;
	if (!mark_ok(mark)) {
		req_error(r, 400, "invalid_field", "mark is aligned or different.", "mark");
		return;
	}
	if (!auth_couple_key(r))
		return;
	int out = item_create(r, text, mark, &id, &rc);
	if (out != VI_OK)
		req_refuse_or_db(r, REFUSALS, out, rc);
	else
		answer_item(r, 201, id);
}

void vision_api_item_update(struct req *r)
{
	static const char *const fields[] = { "mark", "goal", NULL };
	const char *mark;
	bool goal = false;
	int rc, has_goal;
	long long id = req_param_id(r, "id", 1LL << 53);
	if (id < 0) {
		req_refuse(r, REFUSALS, VI_NOT_FOUND);
		return;
	}
	if (jin_only(r, r->json, fields) < 0 || jin_str(r, r->json, "mark", false, 16, &mark) < 0 ||
	    (has_goal = jin_bool(r, r->json, "goal", false, &goal)) < 0)
		return;
	if (mark && !mark_ok(mark)) {
		req_error(r, 400, "invalid_field", "mark is aligned or different.", "mark");
		return;
	}
	if (!auth_couple_key(r))
		return;
	int out = item_update(r, id, mark, has_goal ? goal : -1, &rc);
	if (out != VI_OK)
		req_refuse_or_db(r, REFUSALS, out, rc);
	else
		answer_item(r, 200, id);
}

/* ---- pages ---- */

static void text_block(struct req *r, const char *heading, json_t *v)
{
	const char *t = json_string_value(json_object_get(v, "text"));
	html(&r->out, "<section class=\"vision-text\"><h2>%s</h2><blockquote>%s</blockquote></section>\n", heading,
	     t ? t : "");
}

static void show_page(struct req *r, const char *kind, const char *notice)
{
	bool locked = !r->me->couple_key;
	json_t *v = locked ? json_pack("{s:n, s:n, s:b, s:b, s:[]}", "mine", "partner", "partner_has_written", 0,
				       "revealed", 0, "items") : load_vision(r, r->me);
	if (!v)
		return;
	json_t *mine = json_object_get(v, "mine"), *partner = json_object_get(v, "partner");
	bool revealed = json_is_true(json_object_get(v, "revealed"));
	ui_page_begin_notices(r, "Five years from now", kind, notice, locked);
	html_unsafe_raw(&r->out,
		"<p>Picture the two of you five years from now, if things go well. How do your days look, how do "
		"you talk, what do you do together, what has changed? Write it in as much detail as you like.</p>\n"
		"<p>Each of you writes alone. Neither sees the other's until both have written; then both appear "
		"together. After that you can note where you see things the same way and where you differ, and "
		"turn what you share into goals.</p>\n");
	if (revealed) {
		text_block(r, "Yours", mine);
		text_block(r, "Your partner's", partner);
	} else if (!json_is_null(mine)) {
		text_block(r, "Yours", mine);
		html_unsafe_raw(&r->out, "<p class=\"hint\">Your partner's will appear here, next to yours, once they "
					 "have written it.</p>\n");
	} else if (json_is_true(json_object_get(v, "partner_has_written"))) {
		html_unsafe_raw(&r->out, "<p class=\"hint\">Your partner has written theirs. Both appear when you have "
					 "written yours.</p>\n");
	}
	if (!locked) {
		const char *keep = req_form_field(r, "text");
		const char *cur = json_string_value(json_object_get(mine, "text"));
		html(&r->out, "<details%s><summary>%s</summary>\n", json_is_null(mine) ? " open" : "",
		     json_is_null(mine) ? "Write yours" : "Change yours");
		ui_form_begin(r, "/vision");
		html(&r->out, "<p class=\"field\"><label for=\"f-text\">Our relationship five years from now</label>"
			      "<textarea id=\"f-text\" name=\"text\" rows=\"8\">%s</textarea></p>\n",
		     keep ? keep : cur ? cur : "");
		ui_form_end(r, "Save");
		html_unsafe_raw(&r->out, "</details>\n");
	}
	if (revealed) {
		json_t *items = json_object_get(v, "items");
		size_t i;
		json_t *it;
		html_unsafe_raw(&r->out, "<h2>Where we align, and where we differ</h2>\n");
		if (!json_array_size(items))
			html_unsafe_raw(&r->out, "<p class=\"hint\">Nothing noted yet. Read both, then note one thing at a time.</p>\n");
		else
			html_unsafe_raw(&r->out, "<ul class=\"vision-items\">\n");
		json_array_foreach(items, i, it) {
			long long id = json_integer_value(json_object_get(it, "id"));
			bool aligned = !strcmp(json_string_value(json_object_get(it, "mark")), "aligned");
			bool goal = json_is_true(json_object_get(it, "goal"));
			const char *t = json_string_value(json_object_get(it, "text"));
			html(&r->out, "<li id=\"item-%lld\"><strong>%s</strong> %s", id,
			     goal ? "Shared goal:" : aligned ? "Aligned:" : "Different:", t ? t : "");
			ui_form_begin(r, arena_printf(&r->arena, "/vision/items/%lld", id));
			if (aligned && !goal)
				html_unsafe_raw(&r->out, "<input type=\"hidden\" name=\"goal\" value=\"1\">");
			else if (goal)
				html_unsafe_raw(&r->out, "<input type=\"hidden\" name=\"goal\" value=\"0\">");
			else
				html_unsafe_raw(&r->out, "<input type=\"hidden\" name=\"mark\" value=\"aligned\">");
			ui_form_end(r, aligned && !goal ? "Make it a shared goal" : goal ? "No longer a goal"
									  : "We agree on this now");
			html_unsafe_raw(&r->out, "</li>\n");
		}
		if (json_array_size(items))
			html_unsafe_raw(&r->out, "</ul>\n");
		ui_form_begin(r, "/vision/items");
		ui_input(r, "Something you noticed", "item", "text", req_form_field(r, "item"), "off", NULL, 1);
		ui_radios(r, "Do you see it the same way?", "mark", MARKS, req_form_field(r, "mark"));
		ui_form_end(r, "Note it");
	}
	page_end(r);
	json_decref(v);
}

void vision_page(struct req *r)
{
	show_page(r, "celebrate", kv_get(&r->query, "saved") ? "Saved." : NULL);
}

void vision_post(struct req *r)
{
	const char *text = req_form_field(r, "text");
	struct input_err e;
	if (input_text(text, "text", true, VISION_MAX, &text, &e) < 0 || !r->me->couple_key) {
		r->status = 400;
		show_page(r, "attention", "Please write your picture of five years from now (up to 4,000 characters).");
		return;
	}
	int rc = vision_store(r, text);
	if (rc != SQLITE_OK)
		req_db_error(r, rc);
	else
		req_redirect(r, "/vision?saved=1");
}

/* Answers a page's item write: back to the page, or the reason it did not
 * happen. */
static void page_outcome(struct req *r, int out, int rc, long long id)
{
	if (out == VI_NOT_REVEALED || out == VI_NOT_ALIGNED) {
		r->status = 409;
		show_page(r, "attention", out == VI_NOT_REVEALED ? "You compare once both of you have written."
								 : "A shared goal is something you both see the same way.");
		return;
	}
	req_refuse_or_redirect(r, REFUSALS, out, rc, arena_printf(&r->arena, "/vision?saved=1#item-%lld", id));
}

void vision_item_post(struct req *r)
{
	const char *text = req_form_field(r, "item"), *mark = req_form_field(r, "mark");
	long long id = 0;
	int rc;
	struct input_err e;
	if (input_text(text, "item", true, ITEM_MAX, &text, &e) < 0 || !mark_ok(mark) || !r->me->couple_key) {
		r->status = 400;
		show_page(r, "attention", "Please write what you noticed (up to 500 characters) and whether you see it the same way.");
		return;
	}
	int out = item_create(r, text, mark, &id, &rc);
	page_outcome(r, out, rc, id);
}

void vision_item_update_post(struct req *r)
{
	long long id = req_param_id(r, "id", 1LL << 53);
	const char *mark = req_form_field(r, "mark"), *goal = req_form_field(r, "goal");
	int rc;
	if (id < 0) {
		req_error(r, 404, "not_found", "There is no such item.", NULL);
		return;
	}
	if ((mark && !mark_ok(mark)) || (goal && strcmp(goal, "0") && strcmp(goal, "1"))) {
		r->status = 400;
		show_page(r, "attention", "That did not work. Please try again.");
		return;
	}
	int out = item_update(r, id, mark, goal ? goal[0] == '1' : -1, &rc);
	page_outcome(r, out, rc, id);
}

void vision_home(struct req *r)
{
	long long mine = 0, theirs = 0, items = 0;
	sqlite3 *c = db_reader(&r->app->db);
	if (!c ||
	    db_int(c, &mine, "SELECT count(*) FROM vision WHERE couple_id = ?1 AND user_id = ?2", "ii", r->me->couple_id,
		   r->me->user_id) != SQLITE_ROW ||
	    db_int(c, &theirs, "SELECT count(*) FROM vision WHERE couple_id = ?1 AND user_id <> ?2", "ii",
		   r->me->couple_id, r->me->user_id) != SQLITE_ROW ||
	    db_int(c, &items, "SELECT count(*) FROM vision_item WHERE couple_id = ?1", "i", r->me->couple_id) != SQLITE_ROW)
		return;
	if (theirs && !mine)
		html_unsafe_raw(&r->out, "<section class=\"home-vision\"><h2>Five years from now</h2><p>Your partner has "
					 "written theirs. When you write yours, both appear together. "
					 "<a href=\"/vision\">Write yours</a></p></section>\n");
	else if (theirs && mine && !items)
		html_unsafe_raw(&r->out, "<section class=\"home-vision\"><h2>Five years from now</h2><p>Both of your "
					 "pictures are there to read side by side. <a href=\"/vision\">Compare them</a>"
					 "</p></section>\n");
}

/* A row of VISIBLE: (user_id, text, written_at). */
static int vision_text(struct sealed_walk *w, sqlite3_stmt *st)
{
	long long uid = sqlite3_column_int64(st, 0);
	char field[24];
	vision_field(field, uid);
	struct sealed_text t = { "vision", w->couple_id, field, sqlite3_column_blob(st, 1),
				 (size_t)sqlite3_column_bytes(st, 1), uid, sqlite3_column_int64(st, 2), false };
	return t.n ? w->fn(w->arg, &t) : SQLITE_OK;
}

int vision_each_seen(struct sealed_walk *w)
{
	return sealed_walk_rows(w, db_prepare(w->c, VISIBLE, "ii", w->couple_id, w->viewer), vision_text);
}

/* ---- the export ---- */

json_t *vision_export(struct req *r, const struct viewer *v)
{
	return load_vision(r, v);
}

/* What parting and closing an account run on this room's tables (db/db.h). */
const struct room_sql vision_sql = {
	.shared = "SELECT 'vision_item', id, 'text', text, created_by, created_at FROM vision_item "
		"WHERE couple_id = ?1; ",
	.clear = "DELETE FROM vision_item WHERE couple_id = ?1; "
		"DELETE FROM vision WHERE couple_id = ?1; ",
};
