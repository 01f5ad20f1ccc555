/* agreement.c: written relationship agreements (see agreement.h).
 *
 * agreement holds the topic (one of TOPICS, or "custom" with a title sealed
 * under the couple key) and the review date; agreement_version holds each
 * proposed text, sealed under the couple key and bound to
 * "agreement:<id>:v<n>:text". Only the latest version can be accepted, and
 * only by the partner who did not propose it. */
#include "agreement.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../db/db.h"
#include "../app.h"
#include "../auth/auth.h"
#include "../auth/vault.h"
#include "../base/caltime.h"
#include "../http/input.h"
#include "../http/jsonin.h"
#include "../ui/consent.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"
#include "../ui/words.h"

static const char *const TOPICS[] = {
	"boundaries", "Boundaries: what is fine now, and what is not",
	"transparency", "What openness means for us",
	"friendships", "Friendships",
	"attraction", "Attraction to other people",
	"struggling", "What we do when one of us is struggling",
	"checkin_frequency", "How often we check in",
	"dealbreakers", "Dealbreakers",
	"social_media", "Social media and the people around us",
	NULL,
};

/* A version's text is sealed as field "v<n>:text" of "agreement:<id>". */
static void text_field(char out[32], long long v)
{
	snprintf(out, 32, "v%lld:text", v);
}

/* Who sees an agreement: both partners of its couple, and no one else.
 * Every read below goes through this condition (?1 the viewer's couple). */
#define AG_VISIBLE " couple_id = ?1"

/* One agreement as JSON (NULL with *rc set after a storage error). */
static json_t *agreement_json(struct req *r, const struct viewer *vw, sqlite3 *c, long long id,
			      const char *topic, const char *title, const char *review_on, int *rc)
{
	sqlite3_stmt *st = db_prepare(c, "SELECT version, text, proposed_by, proposed_at, accepted_by, accepted_at,"
					 " declined_by, declined_at, decline_word FROM agreement_version WHERE" AG_VISIBLE " AND agreement_id = ?2"
					 " ORDER BY version", "ii", vw->couple_id, id);
	if (!st) {
		*rc = sqlite3_extended_errcode(c);
		return NULL;
	}
	json_t *versions = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		long long v = sqlite3_column_int64(st, 0);
		char field[32];
		text_field(field, v);
		const char *text = vault_open_text(&r->arena, vw->couple_key, "agreement", id, field,
						   sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1));
		bool accepted = sqlite3_column_type(st, 4) != SQLITE_NULL;
		bool declined = sqlite3_column_type(st, 7) != SQLITE_NULL;
		char wfield[32];
		snprintf(wfield, sizeof(wfield), "v%lld:word", v);
		const char *word = vault_open_text(&r->arena, vw->couple_key, "agreement", id, wfield,
						   sqlite3_column_blob(st, 8), (size_t)sqlite3_column_bytes(st, 8));
		json_array_append_new(versions, json_pack("{s:I, s:s?, s:I, s:b, s:o, s:o, s:o, s:o, s:o, s:s?}",
			"version", (json_int_t)v, "text", text, "proposed_by", (json_int_t)sqlite3_column_int64(st, 2),
			"proposed_by_me", sqlite3_column_int64(st, 2) == vw->user_id,
			"proposed_at", json_instant(sqlite3_column_int64(st, 3)),
			"accepted_by", accepted ? json_integer(sqlite3_column_int64(st, 4)) : json_null(),
			"accepted_at", json_instant_if(accepted, sqlite3_column_int64(st, 5)),
			"declined_by", declined ? json_integer(sqlite3_column_int64(st, 6)) : json_null(),
			"declined_at", json_instant_if(declined, sqlite3_column_int64(st, 7)),
			"word", word));
	}
	db_done(st);
	json_t *force = json_null();
	long long in_force = consent_mark_status(versions);
	size_t i;
	json_t *ver;
	json_array_foreach(versions, i, ver) {
		long long v = json_integer_value(json_object_get(ver, "version"));
		if (v == in_force) {
			json_decref(force);
			force = json_pack("{s:I, s:O}", "version", (json_int_t)v, "text", json_object_get(ver, "text"));
		}
	}
	return json_pack("{s:I, s:s, s:s?, s:s?, s:o, s:o}", "id", (json_int_t)id, "topic", topic, "title", title,
			 "review_on", review_on, "in_force", force, "versions", versions);
}

/* The agreements v may see (or one, when only > 0), newest first, with
 * their versions and texts opened. NULL with *rc set after a storage
 * error. */
static json_t *agreements_read(struct req *r, const struct viewer *v, long long only, int *rc)
{
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, "SELECT id, topic, title, review_on FROM agreement"
					     " WHERE" AG_VISIBLE " AND (?2 = 0 OR id = ?2) ORDER BY id DESC",
					  "ii", v->couple_id, only) : NULL;
	if (!st) {
		*rc = c ? sqlite3_extended_errcode(c) : SQLITE_CANTOPEN;
		return NULL;
	}
	json_t *arr = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		const char *topic = (const char *)sqlite3_column_text(st, 1);
		const char *title = !strcmp(topic, "custom")
				    ? vault_open_text(&r->arena, v->couple_key, "agreement", id, "title",
						      sqlite3_column_blob(st, 2), (size_t)sqlite3_column_bytes(st, 2))
				    : words_label(TOPICS, topic);
		json_t *a = agreement_json(r, v, c, id, topic, title, (const char *)sqlite3_column_text(st, 3), rc);
		if (!a) {
			db_done(st);
			json_decref(arr);
			return NULL;
		}
		json_array_append_new(arr, a);
	}
	db_done(st);
	return arr;
}

/* agreements_read, answering a storage error (then NULL). */
static json_t *load_agreements(struct req *r, const struct viewer *v, long long only)
{
	int rc;
	json_t *arr = agreements_read(r, v, only, &rc);
	if (!arr)
		req_db_error(r, rc);
	return arr;
}

/* Checks a review date: a real date, today or later. */
static const char *review_problem(struct req *r, const char *review_on)
{
	long d;
	if (!review_on)
		return NULL;
	if (date_parse(review_on, &d) < 0)
		return "review_on is a date like 2026-09-30.";
	if (d < viewer_today(r))
		return "review_on is today or a later day.";
	return NULL;
}

enum { AG_OK = 0, AG_NOT_FOUND, AG_NOT_ALLOWED, AG_NOT_LATEST, AG_DB };

/* How the API answers an outcome other than AG_OK; any other is AG_DB. */
static const struct req_refusal REFUSALS[] = {
	{ AG_NOT_FOUND, 404, "not_found", "There is no such agreement.", NULL },
	{ AG_NOT_ALLOWED, 403, "not_allowed", "Your partner accepts what you propose; you cannot accept your own proposal.", NULL },
	{ AG_NOT_LATEST, 409, "not_latest", "Only the newest proposal, not yet answered, can be accepted or declined.", NULL },
	{ 0 },
};

/* Adds version v of agreement id, proposed by author at `at`. */
static int insert_version(sqlite3 *w, const unsigned char *couple_key, long long couple_id,
			  long long id, long long v, const char *text, long long author, long long at)
{
	struct buf s = BUF_INIT;
	char field[32];
	text_field(field, v);
	int rc = vault_seal_row(couple_key, "agreement", id, field, text, &s) < 0
		 ? SQLITE_ERROR
		 : db_run(w, "INSERT INTO agreement_version(agreement_id, couple_id, version, text, proposed_by,"
			     " proposed_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)", "iiiBii", id, couple_id, v, &s,
			  author, at);
	buf_release(&s);
	return rc;
}

int agreement_insert(sqlite3 *w, const unsigned char *couple_key, long long couple_id,
		     long long author, const char *topic, const char *text, const char *review_on,
		     long long at, long long *id_out)
{
	bool custom = !words_label(TOPICS, topic);
	*id_out = 0;
	int rc = db_run(w, "INSERT INTO agreement(couple_id, topic, review_on, created_by, created_at)"
			   " VALUES(?1, ?2, ?3, ?4, ?5)", "ittii", couple_id, custom ? "custom" : topic,
			review_on, author, at);
	if (rc != SQLITE_OK)
		return rc;
	long long id = sqlite3_last_insert_rowid(w);
	if (custom) {
		struct buf t = BUF_INIT;
		rc = vault_seal_row(couple_key, "agreement", id, "title", topic, &t) < 0
		     ? SQLITE_ERROR
		     : db_run(w, "UPDATE agreement SET title = ?2 WHERE id = ?1", "iB", id, &t);
		buf_release(&t);
	}
	if (rc == SQLITE_OK)
		rc = insert_version(w, couple_key, couple_id, id, 1, text, author, at);
	if (rc == SQLITE_OK)
		*id_out = id;
	return rc;
}

int agreement_accept_version(sqlite3 *w, long long couple_id, long long id, long long version,
			     long long by, long long at)
{
	return db_run(w, "UPDATE agreement_version SET accepted_by = ?4, accepted_at = ?5"
			 " WHERE agreement_id = ?1 AND version = ?2 AND couple_id = ?3", "iiiii", id, version,
		      couple_id, by, at);
}

int agreement_decline_version(sqlite3 *w, const unsigned char *couple_key, long long couple_id, long long id,
			      long long version, long long by, const char *word, long long at)
{
	struct buf s = BUF_INIT;
	char field[32];
	snprintf(field, sizeof(field), "v%lld:word", version);
	int rc = word && vault_seal_row(couple_key, "agreement", id, field, word, &s) < 0
		 ? SQLITE_ERROR
		 : db_run(w, "UPDATE agreement_version SET declined_by = ?4, declined_at = ?5, decline_word = ?6"
			     " WHERE agreement_id = ?1 AND version = ?2 AND couple_id = ?3", "iiiiiB", id, version,
			  couple_id, by, at, word ? &s : NULL);
	buf_release(&s);
	return rc;
}

/* What a write from a request needs, and what came of it. */
struct ag_job {
	const struct viewer *v;
	long long id, version, at;
	const char *topic, *text, *review_on;
	int out;
};

static int create_run(sqlite3 *w, void *arg)
{
	struct ag_job *j = arg;
	return agreement_insert(w, j->v->couple_key, j->v->couple_id, j->v->user_id, j->topic, j->text,
				j->review_on, j->at, &j->id);
}

/* Creates an agreement with version 1. */
static int create(struct req *r, const char *topic, const char *text, const char *review_on, long long *id_out)
{
	struct ag_job j = { .v = r->me, .at = (long long)r->now, .topic = topic, .text = text,
			    .review_on = review_on };
	int rc = db_write(&r->app->db, create_run, &j);
	*id_out = j.id;
	return rc;
}

static int propose_run(sqlite3 *w, void *arg)
{
	struct ag_job *j = arg;
	long long latest = 0, exists = 0;
	int rc = db_int(w, &exists, "SELECT count(*) FROM agreement WHERE id = ?1 AND couple_id = ?2", "ii", j->id,
			j->v->couple_id);
	if (rc == SQLITE_ROW && !exists) {
		j->out = AG_NOT_FOUND;
		return SQLITE_DONE;
	}
	if (rc == SQLITE_ROW)
		rc = db_int(w, &latest, "SELECT max(version) FROM agreement_version WHERE agreement_id = ?1"
					" AND couple_id = ?2", "ii", j->id, j->v->couple_id);
	if (rc != SQLITE_ROW)
		return rc;
	rc = insert_version(w, j->v->couple_key, j->v->couple_id, j->id, latest + 1, j->text, j->v->user_id, j->at);
	if (rc == SQLITE_OK && j->review_on)
		rc = db_run(w, "UPDATE agreement SET review_on = ?2 WHERE id = ?1", "it", j->id, j->review_on);
	return rc;
}

/* Runs a job that may end in an outcome other than AG_OK (then rolled
 * back); *rcp gets the SQLite code for AG_DB. */
static int run_outcome(struct req *r, int (*fn)(sqlite3 *, void *), struct ag_job *j, int *rcp)
{
	j->out = AG_OK;
	int rc = db_write(&r->app->db, fn, j);
	*rcp = rc;
	if (j->out != AG_OK)
		return j->out;
	return rc == SQLITE_OK ? AG_OK : AG_DB;
}

/* Proposes a new version; *rcp gets the SQLite code for AG_DB. */
static int propose(struct req *r, long long id, const char *text, const char *review_on, int *rcp)
{
	struct ag_job j = { .v = r->me, .id = id, .at = (long long)r->now, .text = text, .review_on = review_on };
	return run_outcome(r, propose_run, &j, rcp);
}

static int accept_run(sqlite3 *w, void *arg)
{
	struct ag_job *j = arg;
	sqlite3_stmt *st = db_prepare(w, "SELECT proposed_by, accepted_by IS NOT NULL OR declined_at IS NOT NULL,"
					 " (SELECT max(version) FROM agreement_version WHERE agreement_id = ?1)"
					 " FROM agreement_version WHERE agreement_id = ?1 AND version = ?2 AND couple_id = ?3",
				      "iii", j->id, j->version, j->v->couple_id);
	if (!st)
		return sqlite3_extended_errcode(w);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		j->out = AG_NOT_FOUND;
	else if (rc == SQLITE_ROW && sqlite3_column_int64(st, 0) == j->v->user_id)
		j->out = AG_NOT_ALLOWED;
	else if (rc == SQLITE_ROW && (sqlite3_column_int(st, 1) || sqlite3_column_int64(st, 2) != j->version))
		j->out = AG_NOT_LATEST;
	db_done(st);
	if (j->out != AG_OK)
		return SQLITE_DONE;
	if (rc != SQLITE_ROW)
		return rc;
	if (j->text)
		return agreement_decline_version(w, j->v->couple_key, j->v->couple_id, j->id, j->version,
						 j->v->user_id, *j->text ? j->text : NULL, j->at);
	return agreement_accept_version(w, j->v->couple_id, j->id, j->version, j->v->user_id, j->at);
}

static int accept(struct req *r, long long id, long long v, int *rcp)
{
	struct ag_job j = { .v = r->me, .id = id, .version = v, .at = (long long)r->now };
	return run_outcome(r, accept_run, &j, rcp);
}

/* Declines version v with an optional word (the same checks as accept). */
static int decline(struct req *r, long long id, long long v, const char *word, int *rcp)
{
	struct ag_job j = { .v = r->me, .id = id, .version = v, .at = (long long)r->now, .text = word ? word : "" };
	return run_outcome(r, accept_run, &j, rcp);
}

/* Answers 200/201 with one agreement. */
static void answer_one(struct req *r, int status, long long id)
{
	auth_json_one(r, status, "agreement", load_agreements, id);
}

/* ---- API ---- */

void agreement_api_list(struct req *r)
{
	auth_json_list(r, "agreements", load_agreements);
}

/* Reads a body of fields: the topic (when topic is not NULL), the text and
 * an optional review day from today on; then the couple key. Returns 0, or
 * -1 after answering. */
static int read_body(struct req *r, const char *const *fields, const char **topic, const char **text,
		     const char **review_on)
{
	const char *why;
	if (jin_only(r, r->json, fields) < 0 || (topic && jin_str(r, r->json, "topic", true, 100, topic) < 0) ||
	    jin_str(r, r->json, "text", true, INPUT_TEXT_MAX, text) < 0 ||
	    jin_str(r, r->json, "review_on", false, 10, review_on) < 0)
		return -1;
	if ((why = review_problem(r, *review_on))) {
		req_error(r, 400, "invalid_field", why, "review_on");
		return -1;
	}
	return auth_couple_key(r) ? 0 : -1;
}

void agreement_api_create(struct req *r)
{
	static const char *const fields[] = { "topic", "text", "review_on", NULL };
	const char *topic, *text, *review_on;
	long long id;
	if (read_body(r, fields, &topic, &text, &review_on) < 0)
		return;
	int rc = create(r, topic, text, review_on, &id);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	answer_one(r, 201, id);
}

void agreement_api_version_create(struct req *r)
{
	static const char *const fields[] = { "text", "review_on", NULL };
	const char *text, *review_on;
	long long id = req_param_id(r, "id", (1LL << 53));
	int rc;
	if (id < 0) {
		req_refuse(r, REFUSALS, AG_NOT_FOUND);
		return;
	}
	if (read_body(r, fields, NULL, &text, &review_on) < 0)
		return;
	int out = propose(r, id, text, review_on, &rc);
	if (out != AG_OK) {
		req_refuse_or_db(r, REFUSALS, out, rc);
		return;
	}
	answer_one(r, 201, id);
}

/* The partner's answer to a version, accept (yes) or decline, through the
 * API and the pages (at the end of this file). */
static void api_answer(struct req *r, bool yes);
static void page_answer(struct req *r, bool yes);

void agreement_api_version_accept(struct req *r)
{
	api_answer(r, true);
}

/* ---- pages ---- */

/* An earlier version's text, for consent_history. */
static void version_text(struct req *r, json_t *ver, void *arg)
{
	(void)arg;
	const char *text = json_string_value(json_object_get(ver, "text"));
	html(&r->out, "<blockquote>%s</blockquote>\n", text ? text : "");
}

static void agreements_page(struct req *r, const char *notice_kind, const char *notice)
{
	json_t *arr = r->me->couple_key ? load_agreements(r, r->me, 0) : json_array();
	if (!arr)
		return;
	page_begin(r, "Our agreements");
	if (notice)
		ui_notice(r, notice_kind, notice);
	if (!r->me->couple_key)
		ui_notice(r, "attention", auth_locked_text);
	if (!json_array_size(arr))
		html_unsafe_raw(&r->out, "<p>Agreements put into words what each of you can count on now. One of "
					 "you proposes a text; it is in force once the other accepts it. You can change "
					 "it later the same way.</p>\n");
	size_t i;
	json_t *a;
	json_array_foreach(arr, i, a) {
		long long id = json_integer_value(json_object_get(a, "id"));
		json_t *force = json_object_get(a, "in_force");
		json_t *vs = json_object_get(a, "versions");
		json_t *last = json_array_get(vs, json_array_size(vs) - 1);
		html(&r->out, "<section class=\"agreement\" id=\"agreement-%lld\"><h2>%s</h2>\n", id,
		     json_string_value(json_object_get(a, "title")) ? json_string_value(json_object_get(a, "title")) : "");
		if (json_is_object(force))
			html(&r->out, "<p class=\"hint\">In force (version %lld)</p><blockquote>%s</blockquote>\n",
			     (long long)json_integer_value(json_object_get(force, "version")),
			     json_string_value(json_object_get(force, "text")) ? json_string_value(json_object_get(force, "text")) : "");
		else
			html_unsafe_raw(&r->out, "<p class=\"hint\">Not in force yet.</p>\n");
		if (!strcmp(json_string_value(json_object_get(last, "status")), "proposed")) {
			long long v = json_integer_value(json_object_get(last, "version"));
			bool mine = json_is_true(json_object_get(last, "proposed_by_me"));
			html(&r->out, "<p class=\"hint\">%s (version %lld):</p><blockquote>%s</blockquote>\n",
			     mine ? "You proposed" : "Your partner proposed", v,
			     json_string_value(json_object_get(last, "text")) ? json_string_value(json_object_get(last, "text")) : "");
			consent_answer_forms(r, last, arena_printf(&r->arena, "/agreements/%lld/versions/%lld", id, v),
					     arena_printf(&r->arena, "agreement-%lld", id), "Accept this version");
		}
		consent_declined_note(r, last);
		consent_history(r, vs, version_text, NULL);
		if (json_string_value(json_object_get(a, "review_on")))
			html(&r->out, "<p class=\"hint\">Review on %s.</p>\n",
			     words_iso_day(&r->arena, json_string_value(json_object_get(a, "review_on"))));
		html(&r->out, "<details><summary>Propose a change</summary>\n");
		ui_form_begin(r, arena_printf(&r->arena, "/agreements/%lld/versions", id));
		html(&r->out, "<p class=\"field\"><label for=\"f-text-%lld\">The new text</label>"
			      "<textarea id=\"f-text-%lld\" name=\"text\" rows=\"4\" required data-coach></textarea></p>\n", id, id);
		ui_form_end(r, "Propose");
		html(&r->out, "</details><p class=\"hint\">%zu version%s kept.</p></section>\n", json_array_size(vs),
		     json_array_size(vs) == 1 ? "" : "s");
	}
	json_decref(arr);
	html_unsafe_raw(&r->out, "<h2>A new agreement</h2>\n");
	ui_form_begin(r, "/agreements");
	ui_radios(r, "What is it about?", "topic", TOPICS, req_form_field(r, "topic"));
	ui_input(r, "Or your own title", "title", "text", req_form_field(r, "title"), "off", "Leave empty when you chose a topic above.", 0);
	html(&r->out, "<p class=\"field\"><label for=\"f-text\">What you propose</label>"
		      "<textarea id=\"f-text\" name=\"text\" rows=\"5\" data-coach>%s</textarea></p>\n",
	     req_form_field(r, "text") ? req_form_field(r, "text") : "");
	ui_input(r, "Review on (optional)", "review_on", "date", req_form_field(r, "review_on"), "off",
		 "A day to look at it again together.", 0);
	ui_form_end(r, "Propose");
	page_end(r);
}

void agreement_page(struct req *r)
{
	agreements_page(r, "celebrate", kv_get(&r->query, "saved") ? "Saved." : NULL);
}

void agreement_post(struct req *r)
{
	const char *topic = req_form_field(r, "title") ? req_form_field(r, "title") : req_form_field(r, "topic");
	const char *text = req_form_field(r, "text"), *review_on = req_form_field(r, "review_on"), *why = NULL;
	long long id;
	struct input_err e;
	if (!topic || !text)
		why = "Please choose a topic (or write a title) and write what you propose.";
	else if (input_text(topic, "title", true, 100, &topic, &e) < 0 ||
		 input_text(text, "text", true, INPUT_TEXT_MAX, &text, &e) < 0)
		why = "The title can be up to 100 characters and the text up to 4,000.";
	else if ((why = review_problem(r, review_on)))
		why = "Please give the review date as a day from today on, like 2026-09-30.";
	else if (!r->me->couple_key)
		why = auth_locked_text;
	if (why) {
		r->status = 400;
		agreements_page(r, "attention", why);
		return;
	}
	int rc = create(r, topic, text, review_on, &id);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_redirect(r, arena_printf(&r->arena, "/agreements?saved=1#agreement-%lld", id));
}

void agreement_version_post(struct req *r)
{
	long long id = req_param_id(r, "id", (1LL << 53));
	const char *text = req_form_field(r, "text");
	struct input_err e;
	int rc;
	if (id < 0) {
		req_error(r, 404, "not_found", "There is no such agreement.", NULL);
		return;
	}
	if (input_text(text, "text", true, INPUT_TEXT_MAX, &text, &e) < 0 || !r->me->couple_key) {
		r->status = 400;
		agreements_page(r, "attention", "Please write the new text (up to 4,000 characters).");
		return;
	}
	int out = propose(r, id, text, NULL, &rc);
	req_refuse_or_redirect(r, REFUSALS, out, rc, arena_printf(&r->arena, "/agreements?saved=1#agreement-%lld", id));
}

void agreement_accept_post(struct req *r)
{
	page_answer(r, true);
}

void agreement_home(struct req *r)
{
	char soon[11];
	date_format(viewer_today(r) + 7, soon);
	long long review = 0;
	sqlite3 *c = db_reader(&r->app->db);
	if (!c || db_int(c, &review, "SELECT count(*) FROM agreement WHERE" AG_VISIBLE " AND review_on <= ?2", "it",
			 r->me->couple_id, soon) != SQLITE_ROW || !review)
		return;
	html(&r->out, "<section class=\"home-agreements\"><h2>Agreements</h2>\n<p>%s due for a review together. "
		      "<a href=\"/agreements\">Look at them</a></p></section>\n",
	     review == 1 ? "One agreement is" : arena_printf(&r->arena, "%lld agreements are", review));
}

void agreement_for_you(struct req *r)
{
	int rc;
	json_t *arr = agreements_read(r, r->me, 0, &rc);
	if (!arr) {
		html_unsafe_raw(&r->out, "<div class=\"for-you-item\" id=\"for-you-agreements\">");
		ui_notice(r, "attention", "Your agreements could not be read just now. Please try again in a moment.");
		html_unsafe_raw(&r->out, "</div>\n");
		return;
	}
	size_t i;
	json_t *a;
	bool first = true;
	json_array_foreach(arr, i, a) {
		json_t *vs = json_object_get(a, "versions");
		json_t *last = json_array_get(vs, json_array_size(vs) - 1);
		const char *status = json_string_value(json_object_get(last, "status"));
		if (!status || strcmp(status, "proposed") || json_is_true(json_object_get(last, "proposed_by_me")))
			continue;
		long long id = json_integer_value(json_object_get(a, "id"));
		const char *title = json_string_value(json_object_get(a, "title"));
		html_unsafe_raw(&r->out, "<div class=\"for-you-item\"");
		if (first)
			html_unsafe_raw(&r->out, " id=\"for-you-agreements\"");
		first = false;
		html(&r->out, "><p>%s proposed %s for an agreement", viewer_partner_word(r, true),
		     json_integer_value(json_object_get(last, "version")) > 1 ? "a change" : "a text");
		if (title) /* a title of their own does not open while the notes are locked */
			html(&r->out, ": <strong>%s</strong>", title);
		html(&r->out, ". <a href=\"/agreements#agreement-%lld\">Read it and answer</a></p></div>\n", id);
	}
	json_decref(arr);
}

/* ---- declining a proposal ---- */

static void api_answer(struct req *r, bool yes)
{
	long long id = req_param_id(r, "id", (1LL << 53)), v = req_param_id(r, "v", 1000000);
	const char *word = NULL;
	int rc;
	if (id < 0 || v < 0) {
		req_refuse(r, REFUSALS, AG_NOT_FOUND);
		return;
	}
	if ((!yes && consent_json_word(r, &word) < 0) || !auth_couple_key(r))
		return;
	int out = yes ? accept(r, id, v, &rc) : decline(r, id, v, word, &rc);
	if (out != AG_OK) {
		req_refuse_or_db(r, REFUSALS, out, rc);
		return;
	}
	answer_one(r, 200, id);
}

void agreement_api_version_decline(struct req *r)
{
	api_answer(r, false);
}

static void page_answer(struct req *r, bool yes)
{
	long long id = req_param_id(r, "id", (1LL << 53)), v = req_param_id(r, "v", 1000000);
	const char *word = NULL;
	int rc;
	if (id < 0 || v < 0 || !r->me->couple_key) {
		req_error(r, 404, "not_found", "There is no such agreement.", NULL);
		return;
	}
	if (!yes && consent_form_word(r, &word) < 0) {
		r->status = 400;
		agreements_page(r, "attention", "Your word can be up to 1,000 characters.");
		return;
	}
	int out = yes ? accept(r, id, v, &rc) : decline(r, id, v, word, &rc);
	if (out == AG_NOT_ALLOWED || out == AG_NOT_LATEST) {
		r->status = out == AG_NOT_ALLOWED ? 403 : 409;
		agreements_page(r, "attention", out == AG_NOT_ALLOWED ? "Your partner answers what you propose."
							       : "That proposal has already been answered or replaced.");
		return;
	}
	req_refuse_or_redirect(r, REFUSALS, out, rc, arena_printf(&r->arena, "/agreements?saved=1#agreement-%lld", id));
}

void agreement_decline_post(struct req *r)
{
	page_answer(r, false);
}

int agreement_propose_version(sqlite3 *w, const unsigned char *couple_key, long long couple_id,
			      long long id, long long v, const char *text, long long author, long long at)
{
	return insert_version(w, couple_key, couple_id, id, v, text, author, at);
}

/* ---- the export ---- */

json_t *agreement_export(struct req *r, const struct viewer *v)
{
	return load_agreements(r, v, 0);
}

/* What parting and closing an account run on this room's tables (db/db.h). */
const struct room_sql agreement_sql = {
	.shared = "SELECT 'agreement', id, 'title', title, created_by, created_at FROM agreement "
		"WHERE couple_id = ?1; "
		"SELECT 'agreement', agreement_id, 'v' || version || ':text', text, proposed_by, "
		"proposed_at FROM agreement_version WHERE couple_id = ?1; ",
	.clear = "DELETE FROM agreement_version WHERE couple_id = ?1; "
		"DELETE FROM agreement WHERE couple_id = ?1; ",
};

/* ---- what a counsellor may see ---- */

/* The couple's agreements as v sees them: the title, the text in force,
 * a newer text waiting for a yes, and when it last changed (the newest
 * proposal or answer). Never a decline's word. */
json_t *agreement_counsel(struct req *r, const struct viewer *v)
{
	json_t *all = load_agreements(r, v, 0);
	if (!all)
		return NULL;
	json_t *a = json_array();
	size_t i;
	json_t *ag;
	json_array_foreach(all, i, ag) {
		long long changed = 0;
		size_t j;
		json_t *ver;
		json_array_foreach(json_object_get(ag, "versions"), j, ver) {
			const char *keys[] = { "proposed_at", "accepted_at", "declined_at" };
			for (size_t k = 0; k < 3; k++) {
				json_t *t = json_object_get(ver, keys[k]);
				if (json_is_integer(t) && json_integer_value(t) > changed)
					changed = json_integer_value(t);
			}
		}
		char day[11];
		date_format(viewer_day_of(r, changed), day);
		json_t *force = json_object_get(ag, "in_force");
		json_t *versions = json_object_get(ag, "versions");
		json_t *newest = json_array_get(versions, json_array_size(versions) ? json_array_size(versions) - 1 : 0);
		bool waiting = newest && (!json_is_object(force) ||
					  json_integer_value(json_object_get(force, "version")) !=
						  json_integer_value(json_object_get(newest, "version")));
		json_array_append_new(a, json_pack("{s:O, s:s, s:O, s:O, s:O, s:s, s:I}", "id", json_object_get(ag, "id"),
						   "day", day, "title", json_object_get(ag, "title"), "in_force",
						   json_is_object(force) ? json_object_get(force, "text") : json_null(),
						   "proposed", waiting ? json_object_get(newest, "text") : json_null(),
						   "status", waiting ? "waiting for a yes" : "in force", "versions",
						   (json_int_t)json_array_size(versions)));
	}
	json_decref(all);
	return a;
}

/* ---- reminders: whether a record exists, never its text ---- */

int agreement_waiting(sqlite3 *c, long long couple_id, long long user_id, long long *n)
{
	return db_int(c, n, "SELECT count(*) FROM agreement_version v WHERE v.couple_id = ?1"
			    " AND v.accepted_by IS NULL AND v.declined_at IS NULL AND v.proposed_by <> ?2 AND v.version ="
			    " (SELECT max(version) FROM agreement_version WHERE agreement_id = v.agreement_id)",
		      "ii", couple_id, user_id);
}
