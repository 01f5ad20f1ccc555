/* agreement.c: written relationship agreements (see agreement.h).
 *
 * agreement holds the topic (one of TOPICS, or "custom" with a title sealed
 * under the couple key) and the review date; agreement_version holds each
 * proposed text, sealed under the couple key and bound to
 * "agreement:<id>:v<n>:text". Only the latest version can be accepted, and
 * only by the partner who did not propose it. */
#include "agreement.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../app.h"
#include "../auth/auth.h"
#include "../base/caltime.h"
#include "../http/jsonin.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"
#include "featkit.h"

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

static const char *topic_title(const char *key)
{
	for (size_t i = 0; TOPICS[i]; i += 2)
		if (!strcmp(TOPICS[i], key))
			return TOPICS[i + 1];
	return NULL;
}

static const char *ad_text(struct req *r, long long id, long long v)
{
	return arena_printf(&r->arena, "agreement:%lld:v%lld:text", id, v);
}

static const char *ad_title(struct req *r, long long id)
{
	return arena_printf(&r->arena, "agreement:%lld:title", id);
}

/* One agreement as JSON (NULL after answering an error). */
static json_t *agreement_json(struct req *r, sqlite3 *c, long long id, const char *topic,
			      const char *title, const char *review_on)
{
	sqlite3_stmt *st = db_prepare(c, "SELECT version, text, proposed_by, proposed_at, accepted_by, accepted_at"
					 " FROM agreement_version WHERE agreement_id = ?1 AND couple_id = ?2"
					 " ORDER BY version", "ii", id, r->me->couple_id);
	if (!st) {
		fk_db_error(r, c);
		return NULL;
	}
	json_t *versions = json_array();
	long long in_force = 0, latest = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		long long v = sqlite3_column_int64(st, 0);
		const char *text = fk_open_col(r, r->me->sess->couple_key, ad_text(r, id, v), st, 1);
		bool accepted = sqlite3_column_type(st, 4) != SQLITE_NULL;
		if (accepted)
			in_force = v;
		latest = v;
		json_array_append_new(versions, json_pack("{s:I, s:s?, s:I, s:b, s:I, s:o, s:o}",
			"version", (json_int_t)v, "text", text, "proposed_by", (json_int_t)sqlite3_column_int64(st, 2),
			"proposed_by_me", sqlite3_column_int64(st, 2) == r->me->user_id,
			"proposed_at", (json_int_t)sqlite3_column_int64(st, 3),
			"accepted_by", accepted ? json_integer(sqlite3_column_int64(st, 4)) : json_null(),
			"accepted_at", accepted ? json_integer(sqlite3_column_int64(st, 5)) : json_null()));
	}
	sqlite3_finalize(st);
	json_t *force = json_null();
	size_t i;
	json_t *ver;
	json_array_foreach(versions, i, ver) {
		long long v = json_integer_value(json_object_get(ver, "version"));
		bool accepted = !json_is_null(json_object_get(ver, "accepted_by"));
		const char *status = accepted ? (v == in_force ? "in_force" : "superseded")
				   : (v == latest && v > in_force ? "proposed" : "replaced");
		json_object_set_new(ver, "status", json_string(status));
		if (v == in_force) {
			json_decref(force);
			force = json_pack("{s:I, s:O}", "version", (json_int_t)v, "text", json_object_get(ver, "text"));
		}
	}
	return json_pack("{s:I, s:s, s:s?, s:s?, s:o, s:o}", "id", (json_int_t)id, "topic", topic, "title", title,
			 "review_on", review_on, "in_force", force, "versions", versions);
}

/* All the couple's agreements (or one, when only > 0), newest first. NULL
 * after answering. */
static json_t *load_agreements(struct req *r, long long only)
{
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, "SELECT id, topic, title, review_on FROM agreement"
					     " WHERE couple_id = ?1 AND (?2 = 0 OR id = ?2) ORDER BY id DESC",
					  "ii", r->me->couple_id, only) : NULL;
	if (!st) {
		fk_db_error(r, c);
		return NULL;
	}
	json_t *arr = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		const char *topic = (const char *)sqlite3_column_text(st, 1);
		const char *title = !strcmp(topic, "custom")
				    ? fk_open_col(r, r->me->sess->couple_key, ad_title(r, id), st, 2)
				    : topic_title(topic);
		json_t *a = agreement_json(r, c, id, topic, title, (const char *)sqlite3_column_text(st, 3));
		if (!a) {
			sqlite3_finalize(st);
			json_decref(arr);
			return NULL;
		}
		json_array_append_new(arr, a);
	}
	sqlite3_finalize(st);
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
	if (d < fk_today(r))
		return "review_on is today or a later day.";
	return NULL;
}

enum { AG_OK = 0, AG_NOT_FOUND, AG_NOT_ALLOWED, AG_NOT_LATEST, AG_DB };

/* Creates an agreement with version 1. */
static int create(struct req *r, const char *topic, const char *text, const char *review_on, long long *id_out)
{
	const unsigned char *ck = r->me->sess->couple_key;
	bool custom = !topic_title(topic);
	struct buf t, s;
	buf_init(&t, 0);
	buf_init(&s, 0);
	long long now = (long long)time(NULL);
	sqlite3 *w = db_write_begin(&r->app->db);
	int rc = db_run(w, "INSERT INTO agreement(couple_id, topic, review_on, created_by, created_at)"
			   " VALUES(?1, ?2, ?3, ?4, ?5)", "ittii", r->me->couple_id, custom ? "custom" : topic,
			review_on, r->me->user_id, now);
	long long id = sqlite3_last_insert_rowid(w);
	if (rc == SQLITE_OK && custom) {
		rc = fk_seal(ck, ad_title(r, id), topic, &t) < 0 ? SQLITE_ERROR
		     : db_run(w, "UPDATE agreement SET title = ?2 WHERE id = ?1", "ib", id, t.s, t.len);
	}
	if (rc == SQLITE_OK)
		rc = fk_seal(ck, ad_text(r, id, 1), text, &s) < 0 ? SQLITE_ERROR
		     : db_run(w, "INSERT INTO agreement_version(agreement_id, couple_id, version, text, proposed_by,"
				 " proposed_at) VALUES(?1, ?2, 1, ?3, ?4, ?5)", "iibii", id, r->me->couple_id,
			      s.s, s.len, r->me->user_id, now);
	int erc = db_write_end(&r->app->db, rc == SQLITE_OK);
	buf_release(&t);
	buf_release(&s);
	*id_out = id;
	return rc != SQLITE_OK ? rc : erc;
}

/* Proposes a new version; *rcp gets the SQLite code for AG_DB. */
static int propose(struct req *r, long long id, const char *text, const char *review_on, int *rcp)
{
	struct buf s;
	buf_init(&s, 0);
	long long latest = 0, exists = 0;
	int out = AG_OK;
	sqlite3 *w = db_write_begin(&r->app->db);
	int rc = db_int(w, &exists, "SELECT count(*) FROM agreement WHERE id = ?1 AND couple_id = ?2", "ii", id,
			r->me->couple_id);
	if (rc == SQLITE_ROW && !exists)
		out = AG_NOT_FOUND;
	else if (rc == SQLITE_ROW)
		rc = db_int(w, &latest, "SELECT max(version) FROM agreement_version WHERE agreement_id = ?1"
					" AND couple_id = ?2", "ii", id, r->me->couple_id);
	if (out == AG_OK && rc == SQLITE_ROW) {
		rc = fk_seal(r->me->sess->couple_key, ad_text(r, id, latest + 1), text, &s) < 0 ? SQLITE_ERROR
		     : db_run(w, "INSERT INTO agreement_version(agreement_id, couple_id, version, text, proposed_by,"
				 " proposed_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6)", "iiibii", id, r->me->couple_id,
			      latest + 1, s.s, s.len, r->me->user_id, (long long)time(NULL));
		if (rc == SQLITE_OK && review_on)
			rc = db_run(w, "UPDATE agreement SET review_on = ?2 WHERE id = ?1", "it", id, review_on);
		if (rc != SQLITE_OK)
			out = AG_DB;
	} else if (out == AG_OK) {
		out = AG_DB;
	}
	int erc = db_write_end(&r->app->db, out == AG_OK);
	buf_release(&s);
	*rcp = rc == SQLITE_ROW ? SQLITE_OK : rc;
	if (out == AG_OK && erc != SQLITE_OK) {
		*rcp = erc;
		out = AG_DB;
	}
	return out;
}

static int accept(struct req *r, long long id, long long v, int *rcp)
{
	sqlite3 *w = db_write_begin(&r->app->db);
	sqlite3_stmt *st = db_prepare(w, "SELECT proposed_by, accepted_by IS NOT NULL,"
					 " (SELECT max(version) FROM agreement_version WHERE agreement_id = ?1)"
					 " FROM agreement_version WHERE agreement_id = ?1 AND version = ?2 AND couple_id = ?3",
				      "iii", id, v, r->me->couple_id);
	int out = AG_DB, rc = SQLITE_ERROR;
	if (st) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE)
			out = AG_NOT_FOUND;
		else if (rc == SQLITE_ROW && sqlite3_column_int64(st, 0) == r->me->user_id)
			out = AG_NOT_ALLOWED;
		else if (rc == SQLITE_ROW && (sqlite3_column_int(st, 1) || sqlite3_column_int64(st, 2) != v))
			out = AG_NOT_LATEST;
		else if (rc == SQLITE_ROW)
			out = AG_OK;
		sqlite3_finalize(st);
	}
	if (out == AG_OK) {
		rc = db_run(w, "UPDATE agreement_version SET accepted_by = ?4, accepted_at = ?5"
			       " WHERE agreement_id = ?1 AND version = ?2 AND couple_id = ?3", "iiiii", id, v,
			    r->me->couple_id, r->me->user_id, (long long)time(NULL));
		if (rc != SQLITE_OK)
			out = AG_DB;
	}
	int erc = db_write_end(&r->app->db, out == AG_OK);
	*rcp = out == AG_DB ? (rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_ERROR : rc) : SQLITE_OK;
	if (out == AG_OK && erc != SQLITE_OK) {
		*rcp = erc;
		out = AG_DB;
	}
	return out;
}

static void answer_outcome(struct req *r, int out, int rc)
{
	switch (out) {
	case AG_NOT_FOUND:
		req_error(r, 404, "not_found", "There is no such agreement.", NULL);
		break;
	case AG_NOT_ALLOWED:
		req_error(r, 403, "not_allowed", "Your partner accepts what you propose; you cannot accept your own proposal.", NULL);
		break;
	case AG_NOT_LATEST:
		req_error(r, 409, "not_latest", "Only the newest proposal, not yet accepted, can be accepted.", NULL);
		break;
	default:
		req_db_error(r, rc);
	}
}

/* Answers 200/201 with one agreement. */
static void answer_one(struct req *r, int status, long long id)
{
	json_t *arr = load_agreements(r, id);
	if (!arr)
		return;
	json_t *a = json_array_get(arr, 0);
	req_json(r, status, json_pack("{s:O}", "agreement", a));
	json_decref(arr);
}

/* ---- API ---- */

void agreement_api_list(struct req *r)
{
	if (!fk_couple_key(r))
		return;
	json_t *arr = load_agreements(r, 0);
	if (arr)
		req_json(r, 200, json_pack("{s:o}", "agreements", arr));
}

void agreement_api_create(struct req *r)
{
	static const char *const fields[] = { "topic", "text", "review_on", NULL };
	const char *topic, *text, *review_on, *why;
	long long id;
	if (jin_only(r, r->json, fields) < 0 || jin_str(r, r->json, "topic", true, 100, &topic) < 0 ||
	    jin_str(r, r->json, "text", true, 4000, &text) < 0 ||
	    jin_str(r, r->json, "review_on", false, 10, &review_on) < 0)
		return;
	if ((why = review_problem(r, review_on))) {
		req_error(r, 400, "invalid_field", why, "review_on");
		return;
	}
	if (!fk_couple_key(r))
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
	const char *text, *review_on, *why;
	long long id = fk_param_id(r, "id", (1LL << 53));
	int rc;
	if (id < 0) {
		answer_outcome(r, AG_NOT_FOUND, 0);
		return;
	}
	if (jin_only(r, r->json, fields) < 0 || jin_str(r, r->json, "text", true, 4000, &text) < 0 ||
	    jin_str(r, r->json, "review_on", false, 10, &review_on) < 0)
		return;
	if ((why = review_problem(r, review_on))) {
		req_error(r, 400, "invalid_field", why, "review_on");
		return;
	}
	if (!fk_couple_key(r))
		return;
	int out = propose(r, id, text, review_on, &rc);
	if (out != AG_OK) {
		answer_outcome(r, out, rc);
		return;
	}
	answer_one(r, 201, id);
}

void agreement_api_version_accept(struct req *r)
{
	long long id = fk_param_id(r, "id", (1LL << 53)), v = fk_param_id(r, "v", 1000000);
	int rc;
	if (id < 0 || v < 0) {
		answer_outcome(r, AG_NOT_FOUND, 0);
		return;
	}
	if (!fk_couple_key(r))
		return;
	int out = accept(r, id, v, &rc);
	if (out != AG_OK) {
		answer_outcome(r, out, rc);
		return;
	}
	answer_one(r, 200, id);
}

/* ---- pages ---- */

static void agreements_page(struct req *r, const char *notice_kind, const char *notice)
{
	json_t *arr = r->me->sess->couple_key ? load_agreements(r, 0) : json_array();
	if (!arr)
		return;
	page_begin(r, "Our agreements");
	if (notice)
		ui_notice(r, notice_kind, notice);
	if (!r->me->sess->couple_key)
		ui_notice(r, "attention", "Your notes are locked. Enter your recovery code in settings first.");
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
			if (mine) {
				html_unsafe_raw(&r->out, "<p>Waiting for your partner.</p>\n");
			} else {
				ui_form_begin(r, arena_printf(&r->arena, "/agreements/%lld/versions/%lld/accept", id, v));
				ui_form_end(r, "Accept this version");
			}
		}
		if (json_string_value(json_object_get(a, "review_on")))
			html(&r->out, "<p class=\"hint\">Review on %s.</p>\n", json_string_value(json_object_get(a, "review_on")));
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
	ui_radios(r, "What is it about?", "topic", TOPICS, fk_form(r, "topic"));
	ui_input(r, "Or your own title", "title", "text", fk_form(r, "title"), "off", "Leave empty when you chose a topic above.", 0);
	html(&r->out, "<p class=\"field\"><label for=\"f-text\">What you propose</label>"
		      "<textarea id=\"f-text\" name=\"text\" rows=\"5\" data-coach>%s</textarea></p>\n",
	     fk_form(r, "text") ? fk_form(r, "text") : "");
	ui_input(r, "Review on (optional)", "review_on", "date", fk_form(r, "review_on"), "off",
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
	const char *topic = fk_form(r, "title") ? fk_form(r, "title") : fk_form(r, "topic");
	const char *text = fk_form(r, "text"), *review_on = fk_form(r, "review_on"), *why = NULL;
	long long id;
	if (!topic || !text)
		why = "Please choose a topic (or write a title) and write what you propose.";
	else if (!fk_text_ok(topic, 100) || !fk_text_ok(text, 4000))
		why = "The title can be up to 100 characters and the text up to 4,000.";
	else if ((why = review_problem(r, review_on)))
		why = "Please give the review date as a day from today on, like 2026-09-30.";
	else if (!r->me->sess->couple_key)
		why = "Your notes are locked. Enter your recovery code in settings first.";
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
	long long id = fk_param_id(r, "id", (1LL << 53));
	const char *text = fk_form(r, "text");
	int rc;
	if (id < 0) {
		req_error(r, 404, "not_found", "There is no such agreement.", NULL);
		return;
	}
	if (!text || !fk_text_ok(text, 4000) || !r->me->sess->couple_key) {
		r->status = 400;
		agreements_page(r, "attention", "Please write the new text (up to 4,000 characters).");
		return;
	}
	int out = propose(r, id, text, NULL, &rc);
	if (out == AG_NOT_FOUND)
		req_error(r, 404, "not_found", "There is no such agreement.", NULL);
	else if (out != AG_OK)
		req_db_error(r, rc);
	else
		req_redirect(r, arena_printf(&r->arena, "/agreements?saved=1#agreement-%lld", id));
}

void agreement_accept_post(struct req *r)
{
	long long id = fk_param_id(r, "id", (1LL << 53)), v = fk_param_id(r, "v", 1000000);
	int rc;
	if (id < 0 || v < 0 || !r->me->sess->couple_key) {
		req_error(r, 404, "not_found", "There is no such agreement.", NULL);
		return;
	}
	int out = accept(r, id, v, &rc);
	if (out == AG_NOT_FOUND) {
		req_error(r, 404, "not_found", "There is no such agreement.", NULL);
	} else if (out == AG_NOT_ALLOWED || out == AG_NOT_LATEST) {
		r->status = out == AG_NOT_ALLOWED ? 403 : 409;
		agreements_page(r, "attention", out == AG_NOT_ALLOWED ? "Your partner accepts what you propose."
							       : "That proposal has been replaced by a newer one.");
	} else if (out != AG_OK) {
		req_db_error(r, rc);
	} else {
		req_redirect(r, arena_printf(&r->arena, "/agreements?saved=1#agreement-%lld", id));
	}
}

void agreement_home(struct req *r)
{
	char soon[11];
	date_format(fk_today(r) + 7, soon);
	long long waiting = 0, review = 0;
	sqlite3 *c = db_reader(&r->app->db);
	if (!c ||
	    db_int(c, &waiting, "SELECT count(*) FROM agreement_version v WHERE v.couple_id = ?1"
				" AND v.accepted_by IS NULL AND v.proposed_by <> ?2 AND v.version ="
				" (SELECT max(version) FROM agreement_version WHERE agreement_id = v.agreement_id)",
		   "ii", r->me->couple_id, r->me->user_id) != SQLITE_ROW ||
	    db_int(c, &review, "SELECT count(*) FROM agreement WHERE couple_id = ?1 AND review_on <= ?2", "it",
		   r->me->couple_id, soon) != SQLITE_ROW)
		return;
	if (!waiting && !review)
		return;
	html_unsafe_raw(&r->out, "<section class=\"home-agreements\"><h2>Agreements</h2>\n");
	if (waiting)
		html(&r->out, "<p>Your partner proposed %lld agreement text%s for you to read. "
			      "<a href=\"/agreements\">Read and accept</a></p>\n", waiting, waiting == 1 ? "" : "s");
	if (review)
		html(&r->out, "<p>%lld agreement%s due for a review together. <a href=\"/agreements\">Look at them</a></p>\n",
		     review, review == 1 ? " is" : "s are");
	html_unsafe_raw(&r->out, "</section>\n");
}
