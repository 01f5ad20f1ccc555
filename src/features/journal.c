/* journal.c: the private journal. An
 * entry is sealed under its author's own data key: nobody else can read it,
 * not the partner, not a therapist, not the operator, and the server cannot
 * either without the author's session. Optional prompts help start. "Share"
 * makes a copy sealed under the couple key for both to read; the private
 * original stays private. Asking for someone else's entry is answered 404,
 * exactly like an entry that does not exist. This file owns journal_entry
 * and journal_share and the two rules of who sees them (below). */
#include "journal.h"

#include <limits.h>
#include <string.h>

#include "../app.h"
#include "../auth/auth.h"
#include "../auth/vault.h"
#include "../base/caltime.h"
#include "../db/db.h"
#include "../http/input.h"
#include "../http/jsonin.h"
#include "counsel.h"
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

static json_t *jtext(const char *s)
{
	return s ? json_string(s) : json_null();
}

static const char *open_col(struct req *r, const unsigned char *key, const char *kind, long long id,
			    sqlite3_stmt *st, int col)
{
	return vault_open_text(&r->arena, key, kind, id, "text", sqlite3_column_blob(st, col),
			       (size_t)sqlite3_column_bytes(st, col));
}

/* Who sees an entry: its author alone. The only place the rule is written:
 * ?1 is the couple, ?2 the viewer, ?3 an id or NULL for all. The id is
 * asked as a range (one id, or all of them) so that SQLite looks the one
 * entry up in the index instead of reading all of the author's: the entry
 * a write answers with would otherwise cost more the longer the journal. */
#define ENTRY_VISIBLE "SELECT e.id, e.prompt, e.text, e.created_at, s.id, e.prompt_sealed FROM journal_entry e" \
	" LEFT JOIN journal_share s ON s.source_id = e.id WHERE e.couple_id = ?1 AND e.author_id = ?2" \
	" AND e.id >= coalesce(?3, 0) AND e.id <= coalesce(?3, 9223372036854775807)" \
	" ORDER BY e.created_at DESC, e.id DESC"

/* The prompt chosen for an entry or a shared copy is sealed like its text,
 * as "<kind>:<id>:prompt", under the same key: a prompt key (how, afraid,
 * ...) or NO_PROMPT, so every row holds one blob of one size whether a
 * prompt was chosen or not. */
static const char NO_PROMPT[] = "none";

/* Seals prompt (NULL: none) as row id's prompt with update (?1 the id, ?2
 * the blob). */
static int prompt_store(sqlite3 *w, const char *update, const unsigned char *key, const char *kind, long long id,
			const char *prompt)
{
	return vault_store_row(w, update, key, kind, id, "prompt", prompt && *prompt ? prompt : NO_PROMPT);
}

/* The prompt key of the current row: the plain column plain of a row from
 * before sealing (until journal_seal_plain), else the sealed column sealed
 * opened with key; NULL for none, or when it does not open. */
static const char *prompt_col(struct req *r, const unsigned char *key, const char *kind, long long id,
			      sqlite3_stmt *st, int plain, int sealed)
{
	const char *p = sqlite3_column_type(st, plain) != SQLITE_NULL
			? arena_strdup(&r->arena, (const char *)sqlite3_column_text(st, plain))
			: vault_open_col(&r->arena, key, kind, id, "prompt", st, sealed);
	return p && prompt_text(p) ? p : NULL;
}

static json_t *entry_json(struct req *r, const struct viewer *v, sqlite3_stmt *st, const void *arg)
{
	(void)arg;
	long long id = sqlite3_column_int64(st, 0);
	const char *prompt = prompt_col(r, v->data_key, "journal", id, st, 1, 5);
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:b}", "id", (json_int_t)id, "prompt", jtext(prompt),
			 "prompt_text", jtext(prompt_text(prompt)), "text",
			 jtext(open_col(r, v->data_key, "journal", id, st, 2)), "created_at",
			 json_instant(sqlite3_column_int64(st, 3)), "shared", sqlite3_column_type(st, 4) != SQLITE_NULL);
}

/* Who sees a shared copy: both partners of the couple. ?1 is the couple,
 * ?2 the viewer (a partner sees them all), ?3 an id or NULL for all. */
#define SHARE_VISIBLE "SELECT id, author_id, prompt, text, written_at, shared_at, prompt_sealed FROM journal_share" \
	" WHERE couple_id = ?1 AND (?3 IS NULL OR id = ?3) ORDER BY shared_at DESC, id DESC"

static json_t *share_json(struct req *r, const struct viewer *v, sqlite3_stmt *st, const void *arg)
{
	(void)arg;
	long long id = sqlite3_column_int64(st, 0), author = sqlite3_column_int64(st, 1);
	const char *prompt = prompt_col(r, v->couple_key, "journal_share", id, st, 2, 6);
	return json_pack("{s:I, s:I, s:b, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)id, "author_id",
			 (json_int_t)author, "mine", author == v->user_id, "prompt", jtext(prompt),
			 "prompt_text", jtext(prompt_text(prompt)), "text",
			 jtext(open_col(r, v->couple_key, "journal_share", id, st, 3)), "written_at",
			 json_instant(sqlite3_column_int64(st, 4)), "shared_at", json_instant(sqlite3_column_int64(st, 5)));
}

/* The rows of sql (ENTRY_VISIBLE or SHARE_VISIBLE) v sees, one when id is
 * not DB_NULL, as a JSON array, or NULL with *rc. */
static json_t *journal_items(struct req *r, const struct viewer *v, const char *sql,
			     json_t *(*row)(struct req *, const struct viewer *, sqlite3_stmt *, const void *),
			     long long id, int *rc)
{
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, sql, "iiI", v->couple_id, v->user_id, id) : NULL;
	return req_rows(r, v, c, st, row, NULL, rc);
}

static json_t *entry_items(struct req *r, const struct viewer *v, int *rc)
{
	return journal_items(r, v, ENTRY_VISIBLE, entry_json, DB_NULL, rc);
}

static json_t *share_items(struct req *r, const struct viewer *v, long long id, int *rc)
{
	return journal_items(r, v, SHARE_VISIBLE, share_json, id, rc);
}

/* The first of a list (a reference), or NULL. */
static json_t *first(json_t *a)
{
	json_t *j = json_incref(json_array_get(a, 0));
	json_decref(a);
	return j;
}

static json_t *entry_find(struct req *r, const struct viewer *v, long long id)
{
	int rc;
	return first(journal_items(r, v, ENTRY_VISIBLE, entry_json, id, &rc));
}

int journal_store(sqlite3 *w, void *arg)
{
	struct journal_new *j = arg;
	int rc = db_run(w, "INSERT INTO journal_entry(couple_id, author_id, created_at) VALUES(?1, ?2, ?3)",
			"iii", j->couple_id, j->author_id, j->created_at);
	if (rc != SQLITE_OK)
		return rc;
	j->id = sqlite3_last_insert_rowid(w);
	rc = prompt_store(w, "UPDATE journal_entry SET prompt_sealed = ?2 WHERE id = ?1", j->data_key, "journal", j->id,
			  j->prompt);
	if (rc != SQLITE_OK)
		return rc;
	return vault_store_row(w, "UPDATE journal_entry SET text = ?2 WHERE id = ?1", j->data_key, "journal", j->id,
				 "text", j->text);
}

int journal_share_store(sqlite3 *w, void *arg)
{
	struct journal_share_new *j = arg;
	long long shared = 0;
	int rc = db_int(w, &shared, "SELECT count(*) FROM journal_share WHERE source_id = ?1", "i", j->id);
	if (rc != SQLITE_ROW)
		return rc;
	if (shared) {
		j->refused = 409;
		return SQLITE_CONSTRAINT;
	}
	rc = db_run(w, "INSERT INTO journal_share(couple_id, author_id, source_id, written_at, shared_at)"
		       " SELECT couple_id, author_id, id, created_at, ?1 FROM journal_entry"
		       " WHERE id = ?2 AND couple_id = ?3 AND author_id = ?4", "iiii", j->at, j->id,
		    j->couple_id, j->author_id);
	if (rc != SQLITE_OK)
		return rc;
	if (!sqlite3_changes(w)) {
		j->refused = 404;
		return SQLITE_NOTFOUND;
	}
	j->share_id = sqlite3_last_insert_rowid(w);
	rc = prompt_store(w, "UPDATE journal_share SET prompt_sealed = ?2 WHERE id = ?1", j->couple_key, "journal_share",
			  j->share_id, j->prompt);
	if (rc != SQLITE_OK)
		return rc;
	return vault_store_row(w, "UPDATE journal_share SET text = ?2 WHERE id = ?1", j->couple_key, "journal_share",
				 j->share_id, "text", j->text);
}

static void not_found(struct req *r)
{
	req_error(r, 404, "not_found", "There is nothing at this address.", NULL);
}

/* Stores j for the viewer of r: 0, or -1 after answering (keys locked,
 * storage). */
static int entry_add(struct req *r, struct journal_new *j)
{
	if (!auth_author(r, &j->couple_id, &j->author_id, &j->created_at))
		return -1;
	j->data_key = r->me->data_key;
	return req_write(r, journal_store, j);
}

/* Shares the viewer's entry id. Returns 0 (*share_id set), 404 or 409 for
 * a refusal, or -1 after answering a storage error. */
static int share_entry(struct req *r, long long id, long long *share_id)
{
	json_t *e = entry_find(r, r->me, id);
	if (!e)
		return 404;
	if (json_is_true(json_object_get(e, "shared"))) {
		json_decref(e);
		return 409;
	}
	const char *text = json_string_value(json_object_get(e, "text"));
	const char *prompt = json_string_value(json_object_get(e, "prompt"));
	struct journal_share_new j = { r->me->couple_id, r->me->user_id, id, arena_strdup(&r->arena, text ? text : ""),
				       r->me->couple_key, (long long)r->now, 0, 0,
				       prompt ? arena_strdup(&r->arena, prompt) : NULL };
	json_decref(e);
	int rc = db_write(&r->app->db, journal_share_store, &j);
	if (j.refused)
		return j.refused;
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return -1;
	}
	*share_id = j.share_id;
	return 0;
}

/* Shares the viewer's entry named by the route's id: 0 (*share_id set),
 * 409 when it is shared already, or -1 after answering (keys locked, no
 * such entry, storage). */
static int share_asked(struct req *r, long long *share_id)
{
	long long id = req_param_id(r, "id", LLONG_MAX);
	if (!auth_keys(r))
		return -1;
	int res = id > 0 ? share_entry(r, id, share_id) : 404;
	if (res == 404) {
		not_found(r);
		return -1;
	}
	return res;
}

/* ---- API ---- */

static const char *const JOURNAL_FIELDS[] = { "text", "prompt", NULL };

void journal_api_create(struct req *r)
{
	struct journal_new j = { 0 };
	if (jin_only(r, r->json, JOURNAL_FIELDS) < 0 || jin_str(r, r->json, "text", true, INPUT_TEXT_MAX, &j.text) < 0 ||
	    jin_str(r, r->json, "prompt", false, 32, &j.prompt) < 0)
		return;
	if (j.prompt && !prompt_text(j.prompt)) {
		req_error(r, 400, "invalid_field", "prompt must be one of how, missing, afraid, need, hard_today, hope.",
			  "prompt");
		return;
	}
	if (entry_add(r, &j) < 0)
		return;
	json_t *e = entry_find(r, r->me, j.id);
	req_json(r, 201, json_pack("{s:o}", "entry", e ? e : json_null()));
}

void journal_api_list(struct req *r)
{
	int rc;
	if (!auth_keys(r))
		return;
	json_t *a = entry_items(r, r->me, &rc);
	if (!a) {
		req_db_error(r, rc);
		return;
	}
	json_t *prompts = json_array();
	for (size_t i = 0; PROMPTS[i]; i += 2)
		json_array_append_new(prompts, json_pack("{s:s, s:s}", "key", PROMPTS[i], "text", PROMPTS[i + 1]));
	req_json(r, 200, json_pack("{s:o, s:o}", "entries", a, "prompts", prompts));
}

void journal_api_get(struct req *r)
{
	long long id = req_param_id(r, "id", LLONG_MAX);
	if (!auth_keys(r))
		return;
	json_t *e = id > 0 ? entry_find(r, r->me, id) : NULL;
	if (!e) {
		not_found(r);
		return;
	}
	req_json(r, 200, json_pack("{s:o}", "entry", e));
}

void journal_api_share(struct req *r)
{
	long long share_id = 0;
	int rc;
	int res = share_asked(r, &share_id);
	if (res == 409) {
		req_error(r, 409, "already_shared", "You have shared this entry already.", NULL);
		return;
	}
	if (res < 0)
		return;
	json_t *a = share_items(r, r->me, share_id, &rc);
	if (!a) {
		req_db_error(r, rc);
		return;
	}
	json_t *s = first(a);
	req_json(r, 201, json_pack("{s:o}", "shared", s ? s : json_null()));
}

void journal_api_shared_list(struct req *r)
{
	int rc;
	if (!auth_keys(r))
		return;
	json_t *a = share_items(r, r->me, DB_NULL, &rc);
	req_json_items(r, "shared", a, rc);
}

/* ---- pages ---- */

/* The prompt of entry or shared copy j, when it has one, and its text. */
static void entry_words(struct req *r, json_t *j)
{
	const char *pt = json_string_value(json_object_get(j, "prompt_text"));
	const char *text = json_string_value(json_object_get(j, "text"));
	if (pt)
		html(&r->out, "<p><strong>%s</strong></p>", pt);
	html(&r->out, "<p class=\"prewrap\">%s</p>", text ? text : "");
}

static void entry_card(struct req *r, json_t *j)
{
	html(&r->out, "<li class=\"card\">");
	entry_words(r, j);
	if (json_is_true(json_object_get(j, "shared"))) {
		html(&r->out, "<p class=\"hint\">A copy is shared with your partner.</p>");
	} else {
		ui_form_begin(r, arena_printf(&r->arena, "/journal/%lld/share",
					      (long long)json_integer_value(json_object_get(j, "id"))));
		html(&r->out, "<button type=\"submit\" class=\"secondary\">Share a copy with my partner</button>"
			      "</form>\n");
	}
	counsel_item_button(r, "journal", (long long)json_integer_value(json_object_get(j, "id")), "/journal");
	html_unsafe_raw(&r->out, "</li>\n");
}

static void share_card(struct req *r, json_t *j)
{
	html(&r->out, "<li class=\"card\"><p class=\"hint\">From %s</p>",
	     json_is_true(json_object_get(j, "mine")) ? "you" : "your partner");
	entry_words(r, j);
	html_unsafe_raw(&r->out, "</li>\n");
}

static void journal_render(struct req *r, const struct input_err *e, const char *notice)
{
	int rc;
	if (!auth_keys(r))
		return;
	json_t *mine = entry_items(r, r->me, &rc), *shared = mine ? share_items(r, r->me, DB_NULL, &rc) : NULL;
	if (!shared) {
		json_decref(mine);
		req_db_error(r, rc);
		return;
	}
	page_begin(r, "My journal");
	ui_input_notice(r, e);
	if (notice)
		html(&r->out, "<p class=\"notice notice-celebrate celebrate\" role=\"status\">%s</p>\n", notice);
	html(&r->out, "<p>This is yours alone. Your partner cannot read it, nor can anyone who runs this server: "
		      "it is locked with your own key. If you want your partner to read an entry, you can share a "
		      "copy; the original stays private.</p>\n<h2>Write</h2>\n");
	ui_form_begin(r, "/journal");
	static const char *const NONE[] = { "", "No prompt, just write", NULL };
	const char *p = req_form_field(r, "prompt");
	html(&r->out, "<fieldset class=\"choices\"><legend>A prompt, if it helps</legend>\n");
	html(&r->out, "<label><input type=\"radio\" name=\"prompt\" value=\"\"%s> %s</label>\n", p ? "" : " checked",
	     NONE[1]);
	for (size_t i = 0; PROMPTS[i]; i += 2)
		html(&r->out, "<label><input type=\"radio\" name=\"prompt\" value=\"%s\"%s> %s</label>\n", PROMPTS[i],
		     p && !strcmp(p, PROMPTS[i]) ? " checked" : "", PROMPTS[i + 1]);
	html(&r->out, "</fieldset>\n");
	ui_textarea(r, "Your words", "text", req_form_field(r, "text"), "You do not have to have all the answers.", UI_REQUIRED);
	ui_form_end(r, "Keep it");

	html(&r->out, "<h2>My entries</h2>\n");
	page_cards(r, mine, "Nothing written yet. Silence builds distance; words, even private ones, help you find your way.",
		   entry_card);
	html(&r->out, "<h2>Shared with each other</h2>\n");
	page_cards(r, shared, "Nothing shared yet. Sharing is always a choice.", share_card);
	json_decref(mine);
	json_decref(shared);
	page_end_link(r, "/records", "All records");
}

void journal_page(struct req *r)
{
	const char *done = kv_get(&r->query, "done");
	journal_render(r, NULL, done && !strcmp(done, "shared") ? "A copy is shared with your partner."
				: done && !strcmp(done, "kept") ? "Kept, for your eyes only." : NULL);
}

void journal_post(struct req *r)
{
	struct journal_new j = { 0 };
	struct input_err e = { 0 };
	j.prompt = req_form_field(r, "prompt");
	if (input_text(req_form_field(r, "text"), "text", true, INPUT_TEXT_MAX, &j.text, &e) < 0 ||
	    (j.prompt && !prompt_text(j.prompt) &&
	     input_fail(&e, 400, "invalid_field", "prompt", "Please choose one of the prompts, or none.") < 0)) {
		journal_render(r, &e, NULL);
		return;
	}
	if (entry_add(r, &j) < 0)
		return;
	req_redirect(r, "/journal?done=kept");
}

void journal_share_post(struct req *r)
{
	long long share_id = 0;
	if (share_asked(r, &share_id) >= 0)
		req_redirect(r, "/journal?done=shared");
}

/* ---- the export ---- */

static json_t *answered(struct req *r, json_t *a, const int *rc)
{
	if (!a)
		req_db_error(r, *rc);
	return a;
}

json_t *journal_export(struct req *r, const struct viewer *v)
{
	int rc = SQLITE_OK;
	return answered(r, entry_items(r, v, &rc), &rc);
}

json_t *journal_shared_export(struct req *r, const struct viewer *v)
{
	int rc = SQLITE_OK;
	return answered(r, share_items(r, v, DB_NULL, &rc), &rc);
}

/* What parting and closing an account run on this room's tables (db/db.h). */
/* ---- sealing prompts from before sealing ---- */

/* A row whose prompt is still plain (or was never chosen, NULL). */
struct plain_prompt {
	long long id;
	const char *prompt;
};

static void plain_row(sqlite3_stmt *st, void *row, struct arena *a, const void *ctx)
{
	(void)ctx;
	struct plain_prompt *x = row;
	x->id = sqlite3_column_int64(st, 0);
	x->prompt = sqlite3_column_type(st, 1) == SQLITE_NULL ? NULL
		    : arena_strdup(a, (const char *)sqlite3_column_text(st, 1));
}

/* The rows from before sealing: v's own entries (?1 the couple, ?2 v), and
 * the couple's shared copies (sealed only when v holds the couple key). */
#define PLAIN_ENTRIES " FROM journal_entry WHERE couple_id = ?1 AND author_id = ?2 AND prompt_sealed IS NULL"
#define PLAIN_SHARES " FROM journal_share WHERE couple_id = ?1 AND prompt_sealed IS NULL"

static int seal_plain_run(sqlite3 *w, void *arg)
{
	const struct seal_plain_job *j = arg;
	const struct viewer *v = j->v;
	static const struct {
		const char *select, *types, *update, *kind;
		bool couple;
	} T[] = {
		{ "SELECT id, prompt" PLAIN_ENTRIES, "ii",
		  "UPDATE journal_entry SET prompt_sealed = ?2, prompt = NULL WHERE id = ?1", "journal", false },
		{ "SELECT id, prompt" PLAIN_SHARES, "i",
		  "UPDATE journal_share SET prompt_sealed = ?2, prompt = NULL WHERE id = ?1", "journal_share", true },
	};
	int rc = SQLITE_OK;
	for (size_t t = 0; rc == SQLITE_OK && t < sizeof(T) / sizeof(T[0]); t++) {
		size_t n = 0;
		if (T[t].couple && !v->couple_key)
			continue;
		struct plain_prompt *rows = db_rows(w, j->a, sizeof(*rows), &n, &rc, plain_row, NULL, T[t].select,
						    T[t].types, v->couple_id, v->user_id);
		for (size_t i = 0; rc == SQLITE_OK && i < n; i++)
			rc = prompt_store(w, T[t].update, T[t].couple ? v->couple_key : v->data_key, T[t].kind, rows[i].id,
					  rows[i].prompt);
	}
	return rc;
}

int journal_seal_plain(struct req *r, const struct viewer *v)
{
	sqlite3 *c = db_reader(&r->app->db);
	long long waiting = 0;
	if (!v->couple_id || !v->data_key)
		return SQLITE_OK;
	int rc = c ? db_int(c, &waiting, "SELECT EXISTS(SELECT 1" PLAIN_ENTRIES ") OR (?3 AND EXISTS(SELECT 1"
			    PLAIN_SHARES "))", "iii", v->couple_id, v->user_id, (long long)(v->couple_key != NULL))
		   : SQLITE_CANTOPEN;
	if (rc != SQLITE_ROW)
		return rc;
	struct seal_plain_job j = { v, &r->arena };
	return waiting ? db_write(&r->app->db, seal_plain_run, &j) : SQLITE_OK;
}

const struct room_sql journal_sql = {
	.shared = "SELECT 'journal_share', id, 'text', text, author_id, shared_at FROM "
		"journal_share WHERE couple_id = ?1; ",
	.own = "SELECT 'journal', id, 'text', text, author_id, created_at FROM journal_entry "
		"WHERE couple_id = ?1 AND author_id = ?2; ",
	.clear = "DELETE FROM journal_share WHERE couple_id = ?1; "
		"DELETE FROM journal_entry WHERE couple_id = ?1; ",
};

/* ---- what a counsellor may see ---- */

/* A copy of v's own entry id, for v to give their counsellor: {id, day,
 * prompt, text}; JSON null when v has no such entry. */
json_t *journal_counsel_item(struct req *r, const struct viewer *v, long long id)
{
	json_t *e = entry_find(r, v, id);
	if (!e)
		return json_null();
	char day[11];
	date_format(viewer_day_of(r, json_integer_value(json_object_get(e, "created_at"))), day);
	json_t *x = json_pack("{s:I, s:s, s:O, s:O}", "id", (json_int_t)id, "day", day, "prompt",
			      json_object_get(e, "prompt_text"), "text", json_object_get(e, "text"));
	json_decref(e);
	return x;
}
