/* journal.c: the private journal (SPEC §4; seed 000 "Talk openly"). An
 * entry is sealed under its author's own data key: nobody else can read it,
 * not the partner, not a therapist, not the operator, and the server cannot
 * either without the author's session. Optional prompts help start. "Share"
 * makes a copy sealed under the couple key for both to read; the private
 * original stays private. Asking for someone else's entry is answered 404,
 * exactly like an entry that does not exist. */
#include "records.h"
#include "records_int.h"

#include <string.h>

#include "../app.h"
#include "../db/db.h"
#include "../http/jsonin.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"

static const char *const PROMPTS[] = {
	"how", "How did it happen?",
	"missing", "What was missing?",
	"afraid", "What am I afraid of now?",
	"need", "What do I need right now?",
	"hard_today", "What was hard today, and what helped?",
	"hope", "What do I still hope for?",
	NULL,
};

static const char *prompt_text(const char *key)
{
	for (size_t i = 0; key && PROMPTS[i]; i += 2)
		if (!strcmp(PROMPTS[i], key))
			return PROMPTS[i + 1];
	return NULL;
}

/* Only the author's own entries: the rule is this WHERE clause. */
#define ENTRY_COLS "SELECT e.id, e.prompt, e.text, e.created_at, s.id FROM journal_entry e" \
	" LEFT JOIN journal_share s ON s.source_id = e.id WHERE e.couple_id = ?1 AND e.author_id = ?2"

static json_t *entry_json(struct req *r, sqlite3_stmt *st)
{
	long long id = sqlite3_column_int64(st, 0);
	const char *prompt = (const char *)sqlite3_column_text(st, 1);
	return json_pack("{s:I, s:o, s:o, s:o, s:I, s:b}", "id", (json_int_t)id, "prompt", rec_jstr(prompt),
			 "prompt_text", rec_jstr(prompt_text(prompt)), "text",
			 rec_jstr(rec_open(r, r->me->sess->data_key, "journal", id, "text", st, 2)), "created_at",
			 (json_int_t)sqlite3_column_int64(st, 3), "shared", sqlite3_column_type(st, 4) != SQLITE_NULL);
}

static json_t *entry_find(struct req *r, long long id)
{
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, ENTRY_COLS " AND e.id = ?3", "iii", r->me->couple_id, r->me->user_id, id)
			     : NULL;
	json_t *j = st && sqlite3_step(st) == SQLITE_ROW ? entry_json(r, st) : NULL;
	sqlite3_finalize(st);
	return j;
}

static json_t *entry_items(struct req *r, int *rc)
{
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, ENTRY_COLS " ORDER BY e.created_at DESC, e.id DESC", "ii", r->me->couple_id,
					  r->me->user_id) : NULL;
	if (!st) {
		*rc = c ? sqlite3_extended_errcode(c) : SQLITE_CANTOPEN;
		return NULL;
	}
	json_t *a = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(a, entry_json(r, st));
	sqlite3_finalize(st);
	*rc = SQLITE_OK;
	return a;
}

#define SHARE_COLS "SELECT id, author_id, prompt, text, written_at, shared_at FROM journal_share WHERE couple_id = ?1"

static json_t *share_json(struct req *r, sqlite3_stmt *st, const unsigned char *ck)
{
	long long id = sqlite3_column_int64(st, 0), author = sqlite3_column_int64(st, 1);
	const char *prompt = (const char *)sqlite3_column_text(st, 2);
	return json_pack("{s:I, s:I, s:b, s:o, s:o, s:o, s:I, s:I}", "id", (json_int_t)id, "author_id",
			 (json_int_t)author, "mine", author == r->me->user_id, "prompt", rec_jstr(prompt),
			 "prompt_text", rec_jstr(prompt_text(prompt)), "text",
			 rec_jstr(rec_open(r, ck, "journal_share", id, "text", st, 3)), "written_at",
			 (json_int_t)sqlite3_column_int64(st, 4), "shared_at", (json_int_t)sqlite3_column_int64(st, 5));
}

static json_t *share_items(struct req *r, const unsigned char *ck, long long only_id, int *rc)
{
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, SHARE_COLS " AND (?2 = 0 OR id = ?2) ORDER BY shared_at DESC, id DESC",
					  "ii", r->me->couple_id, only_id) : NULL;
	if (!st) {
		*rc = c ? sqlite3_extended_errcode(c) : SQLITE_CANTOPEN;
		return NULL;
	}
	json_t *a = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(a, share_json(r, st, ck));
	sqlite3_finalize(st);
	*rc = SQLITE_OK;
	return a;
}

struct journal_write {
	long long couple_id, user_id, id, share_id;
	const char *prompt, *text;
	const unsigned char *dk, *ck;
	int refused;   /* share: 404 not the author's, 409 shared already */
};

static int entry_write_fn(sqlite3 *w, void *arg)
{
	struct journal_write *j = arg;
	int rc = db_run(w, "INSERT INTO journal_entry(couple_id, author_id, prompt, created_at) VALUES(?1, ?2, ?3, ?4)",
			"iiti", j->couple_id, j->user_id, j->prompt, (long long)time(NULL));
	if (rc != SQLITE_OK)
		return rc;
	j->id = sqlite3_last_insert_rowid(w);
	return rec_store_text(w, "UPDATE journal_entry SET text = ?1 WHERE id = ?2", j->dk, "journal", j->id, "text",
			      j->text);
}

/* Copies the author's entry j->id, opened with j->text already. */
static int share_write_fn(sqlite3 *w, void *arg)
{
	struct journal_write *j = arg;
	long long shared = 0;
	int rc = db_int(w, &shared, "SELECT count(*) FROM journal_share WHERE source_id = ?1", "i", j->id);
	if (rc != SQLITE_ROW)
		return rc;
	if (shared) {
		j->refused = 409;
		return SQLITE_CONSTRAINT;
	}
	rc = db_run(w, "INSERT INTO journal_share(couple_id, author_id, source_id, prompt, written_at, shared_at)"
		       " SELECT couple_id, author_id, id, prompt, created_at, ?1 FROM journal_entry"
		       " WHERE id = ?2 AND couple_id = ?3 AND author_id = ?4", "iiii", (long long)time(NULL), j->id,
		    j->couple_id, j->user_id);
	if (rc != SQLITE_OK)
		return rc;
	if (!sqlite3_changes(w)) {
		j->refused = 404;
		return SQLITE_NOTFOUND;
	}
	j->share_id = sqlite3_last_insert_rowid(w);
	return rec_store_text(w, "UPDATE journal_share SET text = ?1 WHERE id = ?2", j->ck, "journal_share",
			      j->share_id, "text", j->text);
}

/* Shares the viewer's entry id. Returns 0 (*share_id set), 404 or 409 for
 * a refusal, or -1 after answering a storage error. */
static int share_entry(struct req *r, long long id, const unsigned char *ck, long long *share_id)
{
	json_t *e = entry_find(r, id);
	if (!e)
		return 404;
	if (json_is_true(json_object_get(e, "shared"))) {
		json_decref(e);
		return 409;
	}
	struct journal_write j = { r->me->couple_id, r->me->user_id, id, 0, NULL,
				   arena_strdup(&r->arena, json_string_value(json_object_get(e, "text")) ?
						json_string_value(json_object_get(e, "text")) : ""),
				   r->me->sess->data_key, ck, 0 };
	json_decref(e);
	int rc = rec_write(r, share_write_fn, &j);
	if (j.refused)
		return j.refused;
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return -1;
	}
	*share_id = j.share_id;
	return 0;
}

/* ---- API ---- */

static const char *const JOURNAL_FIELDS[] = { "text", "prompt", NULL };

void api_journal_create(struct req *r)
{
	struct journal_write j = { .couple_id = r->me->couple_id, .user_id = r->me->user_id };
	if (jin_only(r, r->json, JOURNAL_FIELDS) < 0 || jin_str(r, r->json, "text", true, REC_TEXT_MAX, &j.text) < 0 ||
	    jin_str(r, r->json, "prompt", false, 32, &j.prompt) < 0)
		return;
	if (j.prompt && !prompt_text(j.prompt)) {
		req_error(r, 400, "invalid_field", "prompt must be one of how, missing, afraid, need, hard_today, hope.",
			  "prompt");
		return;
	}
	if (!(j.ck = rec_keys(r)))
		return;
	j.dk = r->me->sess->data_key;
	int rc = rec_write(r, entry_write_fn, &j);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	json_t *e = entry_find(r, j.id);
	req_json(r, 201, json_pack("{s:o}", "entry", e ? e : json_null()));
}

void api_journal_list(struct req *r)
{
	int rc;
	if (!rec_keys(r))
		return;
	json_t *a = entry_items(r, &rc);
	if (!a) {
		req_db_error(r, rc);
		return;
	}
	json_t *prompts = json_array();
	for (size_t i = 0; PROMPTS[i]; i += 2)
		json_array_append_new(prompts, json_pack("{s:s, s:s}", "key", PROMPTS[i], "text", PROMPTS[i + 1]));
	req_json(r, 200, json_pack("{s:o, s:o}", "entries", a, "prompts", prompts));
}

void api_journal_get(struct req *r)
{
	long long id = rec_param_id(r);
	if (!rec_keys(r))
		return;
	json_t *e = id > 0 ? entry_find(r, id) : NULL;
	if (!e) {
		rec_not_found(r);
		return;
	}
	req_json(r, 200, json_pack("{s:o}", "entry", e));
}

void api_journal_share(struct req *r)
{
	long long id = rec_param_id(r), share_id = 0;
	const unsigned char *ck = rec_keys(r);
	int rc;
	if (!ck)
		return;
	int res = id > 0 ? share_entry(r, id, ck, &share_id) : 404;
	if (res == 404) {
		rec_not_found(r);
		return;
	}
	if (res == 409) {
		req_error(r, 409, "already_shared", "You have shared this entry already.", NULL);
		return;
	}
	if (res < 0)
		return;
	json_t *a = share_items(r, ck, share_id, &rc);
	if (!a) {
		req_db_error(r, rc);
		return;
	}
	json_t *s = json_incref(json_array_get(a, 0));
	json_decref(a);
	req_json(r, 201, json_pack("{s:o}", "shared", s ? s : json_null()));
}

void api_journal_shared_list(struct req *r)
{
	int rc;
	const unsigned char *ck = rec_keys(r);
	if (!ck)
		return;
	json_t *a = share_items(r, ck, 0, &rc);
	if (!a) {
		req_db_error(r, rc);
		return;
	}
	req_json(r, 200, json_pack("{s:o}", "shared", a));
}

/* ---- pages ---- */

static void journal_render(struct req *r, const struct rec_err *e, const char *notice)
{
	int rc;
	const unsigned char *ck = rec_keys(r);
	if (!ck)
		return;
	json_t *mine = entry_items(r, &rc), *shared = mine ? share_items(r, ck, 0, &rc) : NULL;
	if (!shared) {
		json_decref(mine);
		req_db_error(r, rc);
		return;
	}
	page_begin(r, "My journal");
	rec_page_notice(r, e);
	if (notice)
		html(&r->out, "<p class=\"notice notice-celebrate celebrate\" role=\"status\">%s</p>\n", notice);
	html(&r->out, "<p>This is yours alone. Your partner cannot read it, nor can anyone who runs this server: "
		      "it is locked with your own key. If you want your partner to read an entry, you can share a "
		      "copy; the original stays private.</p>\n<h2>Write</h2>\n");
	ui_form_begin(r, "/journal");
	static const char *const NONE[] = { "", "No prompt, just write", NULL };
	const char *p = rec_field(r, "prompt");
	html(&r->out, "<fieldset class=\"choices\"><legend>A prompt, if it helps</legend>\n");
	html(&r->out, "<label><input type=\"radio\" name=\"prompt\" value=\"\"%s> %s</label>\n", p ? "" : " checked",
	     NONE[1]);
	for (size_t i = 0; PROMPTS[i]; i += 2)
		html(&r->out, "<label><input type=\"radio\" name=\"prompt\" value=\"%s\"%s> %s</label>\n", PROMPTS[i],
		     p && !strcmp(p, PROMPTS[i]) ? " checked" : "", PROMPTS[i + 1]);
	html(&r->out, "</fieldset>\n");
	rec_textarea(r, "Your words", "text", rec_field(r, "text"), "You do not have to have all the answers.", true);
	ui_form_end(r, "Keep it");

	html(&r->out, "<h2>My entries</h2>\n");
	if (!json_array_size(mine)) {
		html(&r->out, "<p>Nothing written yet. Silence builds distance; words, even private ones, "
			      "help you find your way.</p>\n");
	} else {
		size_t i;
		json_t *j;
		html(&r->out, "<ul class=\"cards\">\n");
		json_array_foreach(mine, i, j) {
			const char *pt = json_string_value(json_object_get(j, "prompt_text"));
			const char *text = json_string_value(json_object_get(j, "text"));
			html(&r->out, "<li class=\"card\">");
			if (pt)
				html(&r->out, "<p><strong>%s</strong></p>", pt);
			html(&r->out, "<p class=\"prewrap\">%s</p>", text ? text : "");
			if (json_is_true(json_object_get(j, "shared"))) {
				html(&r->out, "<p class=\"hint\">A copy is shared with your partner.</p>");
			} else {
				ui_form_begin(r, arena_printf(&r->arena, "/journal/%lld/share",
							      (long long)json_integer_value(json_object_get(j, "id"))));
				html(&r->out, "<button type=\"submit\" class=\"secondary\">Share a copy with my partner</button>"
					      "</form>\n");
			}
			html_unsafe_raw(&r->out, "</li>\n");
		}
		html(&r->out, "</ul>\n");
	}
	html(&r->out, "<h2>Shared with each other</h2>\n");
	if (!json_array_size(shared)) {
		html(&r->out, "<p>Nothing shared yet. Sharing is always a choice.</p>\n");
	} else {
		size_t i;
		json_t *j;
		html(&r->out, "<ul class=\"cards\">\n");
		json_array_foreach(shared, i, j) {
			const char *pt = json_string_value(json_object_get(j, "prompt_text"));
			const char *text = json_string_value(json_object_get(j, "text"));
			html(&r->out, "<li class=\"card\"><p class=\"hint\">From %s</p>",
			     json_is_true(json_object_get(j, "mine")) ? "you" : "your partner");
			if (pt)
				html(&r->out, "<p><strong>%s</strong></p>", pt);
			html(&r->out, "<p class=\"prewrap\">%s</p></li>\n", text ? text : "");
		}
		html(&r->out, "</ul>\n");
	}
	json_decref(mine);
	json_decref(shared);
	html(&r->out, "<p><a href=\"/records\">All records</a></p>\n");
	page_end(r);
}

void journal_page(struct req *r)
{
	const char *done = kv_get(&r->query, "done");
	journal_render(r, NULL, done && !strcmp(done, "shared") ? "A copy is shared with your partner."
				: done && !strcmp(done, "kept") ? "Kept, for your eyes only." : NULL);
}

void journal_post(struct req *r)
{
	struct journal_write j = { .couple_id = r->me->couple_id, .user_id = r->me->user_id };
	struct rec_err e = { 0 };
	j.prompt = rec_field(r, "prompt");
	if (rec_text(rec_field(r, "text"), "text", true, REC_TEXT_MAX, &j.text, &e) < 0 ||
	    (j.prompt && !prompt_text(j.prompt) &&
	     rec_fail(&e, 400, "invalid_field", "prompt", "Please choose one of the prompts, or none.") < 0)) {
		journal_render(r, &e, NULL);
		return;
	}
	if (!(j.ck = rec_keys(r)))
		return;
	j.dk = r->me->sess->data_key;
	int rc = rec_write(r, entry_write_fn, &j);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_redirect(r, "/journal?done=kept");
}

void journal_share_post(struct req *r)
{
	long long id = rec_param_id(r), share_id = 0;
	const unsigned char *ck = rec_keys(r);
	if (!ck)
		return;
	int res = id > 0 ? share_entry(r, id, ck, &share_id) : 404;
	if (res == 404) {
		rec_not_found(r);
		return;
	}
	if (res < 0)
		return;
	req_redirect(r, "/journal?done=shared");
}
