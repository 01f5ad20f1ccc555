/* truth.c: disclosures and the no-contact commitment (SPEC §4, seed 001
 * steps 2 and 3). The couple notes the day the full disclosure was made;
 * anything that comes to light afterwards is a new disclosure and counts
 * as a setback (no trickle truth). The no-contact commitment has a start
 * date and how it was verified; any contact is recorded by either partner
 * and both see it. All shared, sealed under the couple key. The lists are
 * dated notes (notes.c); the couple-wide dates live in record_setting. */
#include "records.h"
#include "records_int.h"

#include <string.h>

#include "../app.h"
#include "../base/caltime.h"
#include "../db/db.h"
#include "../http/jsonin.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"

/* ---- the couple-wide settings ---- */

struct truth {
	const char *full_on;     /* full_disclosure_on or NULL */
	long long full_by;
	const char *nc_since;    /* no contact since, or NULL */
	const char *nc_verified;
	long long nc_by;
};

static int truth_load(struct req *r, const unsigned char *ck, struct truth *t)
{
	memset(t, 0, sizeof(*t));
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, "SELECT full_disclosure_on, disclosure_by, nc_since, nc_verified, nc_by"
					     " FROM record_setting WHERE couple_id = ?1", "i", r->me->couple_id) : NULL;
	if (!st)
		return c ? sqlite3_extended_errcode(c) : SQLITE_CANTOPEN;
	if (sqlite3_step(st) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_NULL)
			t->full_on = arena_strdup(&r->arena, (const char *)sqlite3_column_text(st, 0));
		t->full_by = sqlite3_column_int64(st, 1);
		if (sqlite3_column_type(st, 2) != SQLITE_NULL)
			t->nc_since = arena_strdup(&r->arena, (const char *)sqlite3_column_text(st, 2));
		t->nc_verified = rec_open(r, ck, "no_contact", r->me->couple_id, "verified", st, 3);
		t->nc_by = sqlite3_column_int64(st, 4);
	}
	sqlite3_finalize(st);
	return SQLITE_OK;
}

struct truth_write {
	long long couple_id, user_id;
	long day;
	const char *verified;    /* NULL: the disclosure date is written */
	bool nocontact;
	const unsigned char *ck;
};

static int truth_write_fn(sqlite3 *w, void *arg)
{
	struct truth_write *t = arg;
	char d[11];
	date_format(t->day, d);
	int rc = db_run(w, "INSERT INTO record_setting(couple_id, updated_at) VALUES(?1, ?2)"
			   " ON CONFLICT(couple_id) DO NOTHING", "ii", t->couple_id, (long long)time(NULL));
	if (rc != SQLITE_OK)
		return rc;
	if (!t->nocontact)
		return db_run(w, "UPDATE record_setting SET full_disclosure_on = ?1, disclosure_by = ?2, updated_at = ?3"
				 " WHERE couple_id = ?4", "tiii", d, t->user_id, (long long)time(NULL), t->couple_id);
	rc = db_run(w, "UPDATE record_setting SET nc_since = ?1, nc_by = ?2, updated_at = ?3 WHERE couple_id = ?4",
		    "tiii", d, t->user_id, (long long)time(NULL), t->couple_id);
	if (rc == SQLITE_OK)
		rc = rec_store_text(w, "UPDATE record_setting SET nc_verified = ?1 WHERE couple_id = ?2", t->ck,
				    "no_contact", t->couple_id, "verified", t->verified);
	return rc;
}

/* Marks each disclosure that came after the full-disclosure date. */
static void mark_setbacks(json_t *items, const char *full_on)
{
	size_t i;
	json_t *j;
	json_array_foreach(items, i, j) {
		const char *on = json_string_value(json_object_get(j, "on"));
		json_object_set_new(j, "counts_as_setback", json_boolean(full_on && on && strcmp(on, full_on) > 0));
	}
}

/* ---- API ---- */

static const char *const DISCLOSURE_FIELDS[] = { "full_disclosure_on", NULL };

void api_disclosure_set(struct req *r)
{
	struct truth_write t = { r->me->couple_id, r->me->user_id, 0, NULL, false, NULL };
	struct rec_err e = { 0 };
	const char *on;
	if (jin_only(r, r->json, DISCLOSURE_FIELDS) < 0 || jin_str(r, r->json, "full_disclosure_on", true, 10, &on) < 0)
		return;
	if (rec_day(r, on, "full_disclosure_on", true, &t.day, &e) < 0) {
		rec_api_error(r, &e);
		return;
	}
	int rc = rec_write(r, truth_write_fn, &t);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_json(r, 200, json_pack("{s:s, s:I}", "full_disclosure_on", rec_date(r, t.day), "set_by",
				   (json_int_t)r->me->user_id));
}

void api_disclosures_create(struct req *r)
{
	struct truth t;
	json_t *j = note_api_store(r, &NOTE_DISCLOSURE);
	if (!j)
		return;
	int rc = truth_load(r, r->me->sess->couple_key, &t);
	if (rc != SQLITE_OK) {
		json_decref(j);
		req_db_error(r, rc);
		return;
	}
	const char *on = json_string_value(json_object_get(j, "on"));
	json_object_set_new(j, "counts_as_setback", json_boolean(t.full_on && strcmp(on, t.full_on) > 0));
	req_json(r, 201, json_pack("{s:o}", "disclosure", j));
}

void api_disclosures_list(struct req *r)
{
	struct truth t;
	int rc;
	const unsigned char *ck = rec_keys(r);
	if (!ck)
		return;
	json_t *items = NULL;
	if ((rc = truth_load(r, ck, &t)) != SQLITE_OK || !(items = note_items(r, &NOTE_DISCLOSURE, ck, false, &rc))) {
		req_db_error(r, rc);
		return;
	}
	mark_setbacks(items, t.full_on);
	req_json(r, 200, json_pack("{s:o, s:o}", "full_disclosure_on", rec_jstr(t.full_on), "disclosures", items));
}

static json_t *nocontact_json(struct req *r, const struct truth *t)
{
	long since;
	if (!t->nc_since || date_parse(t->nc_since, &since) < 0)
		return json_null();
	return json_pack("{s:s, s:o, s:I, s:I}", "since", t->nc_since, "verified", rec_jstr(t->nc_verified),
			 "set_by", (json_int_t)t->nc_by, "days", (json_int_t)(rec_today(r) - since));
}

static const char *const NC_FIELDS[] = { "since", "verified", NULL };

void api_nocontact_set(struct req *r)
{
	struct truth_write t = { r->me->couple_id, r->me->user_id, 0, NULL, true, NULL };
	struct rec_err e = { 0 };
	struct truth now;
	const char *since;
	if (jin_only(r, r->json, NC_FIELDS) < 0 || jin_str(r, r->json, "since", true, 10, &since) < 0 ||
	    jin_str(r, r->json, "verified", true, REC_TEXT_MAX, &t.verified) < 0)
		return;
	if (rec_day(r, since, "since", true, &t.day, &e) < 0) {
		rec_api_error(r, &e);
		return;
	}
	if (!(t.ck = rec_keys(r)))
		return;
	int rc = rec_write(r, truth_write_fn, &t);
	if (rc == SQLITE_OK)
		rc = truth_load(r, t.ck, &now);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_json(r, 200, json_pack("{s:o}", "no_contact", nocontact_json(r, &now)));
}

void api_nocontact_breach(struct req *r)
{
	note_api_create(r, &NOTE_BREACH);
}

void api_nocontact_get(struct req *r)
{
	struct truth t;
	int rc;
	const unsigned char *ck = rec_keys(r);
	if (!ck)
		return;
	json_t *items = NULL;
	if ((rc = truth_load(r, ck, &t)) != SQLITE_OK || !(items = note_items(r, &NOTE_BREACH, ck, false, &rc))) {
		req_db_error(r, rc);
		return;
	}
	req_json(r, 200, json_pack("{s:o, s:o}", "no_contact", nocontact_json(r, &t), "breaches", items));
}

/* ---- pages ---- */

static void disclosure_render(struct req *r, const struct rec_err *e)
{
	struct truth t;
	int rc;
	const unsigned char *ck = rec_keys(r);
	if (!ck)
		return;
	json_t *items = NULL;
	if ((rc = truth_load(r, ck, &t)) != SQLITE_OK || !(items = note_items(r, &NOTE_DISCLOSURE, ck, true, &rc))) {
		req_db_error(r, rc);
		return;
	}
	mark_setbacks(items, t.full_on);
	page_begin(r, "Disclosures");
	rec_page_notice(r, e);
	html(&r->out, "<p>Full disclosure means the whole truth, told at once, so the pain does not come back "
		      "piece by piece. Note the day it was complete. Anything that comes to light later is added "
		      "here too, and counts as a setback.</p>\n");
	if (t.full_on)
		html(&r->out, "<p>The full disclosure was made on <strong>%s</strong>.</p>\n", rec_human_day(r, t.full_on));
	else
		html(&r->out, "<p>No full-disclosure date yet.</p>\n");
	ui_form_begin(r, "/disclosures/full");
	ui_input(r, "The day the full disclosure was complete", "full_disclosure_on", "date",
		 rec_field(r, "full_disclosure_on") ? rec_field(r, "full_disclosure_on") : t.full_on, "off", NULL, 1);
	ui_form_end(r, t.full_on ? "Change the date" : "Save the date");
	html(&r->out, "<h2>%s</h2>\n", NOTE_DISCLOSURE.form_heading);
	note_form(r, &NOTE_DISCLOSURE);
	html(&r->out, "<h2>%s</h2>\n", NOTE_DISCLOSURE.list_heading);
	note_cards(r, &NOTE_DISCLOSURE, items);
	size_t late = 0, i;
	json_t *j;
	json_array_foreach(items, i, j)
		late += json_is_true(json_object_get(j, "counts_as_setback"));
	if (late)
		html(&r->out, "<p>%zu of these came after the full disclosure and %s among the "
			      "<a href=\"/setbacks\">setbacks</a>.</p>\n", late, late == 1 ? "is counted" : "are counted");
	json_decref(items);
	html(&r->out, "<p><a href=\"/records\">All records</a></p>\n");
	page_end(r);
}

void disclosure_page(struct req *r)
{
	disclosure_render(r, NULL);
}

void disclosure_date_post(struct req *r)
{
	struct truth_write t = { r->me->couple_id, r->me->user_id, 0, NULL, false, NULL };
	struct rec_err e = { 0 };
	if (rec_day(r, rec_field(r, "full_disclosure_on"), "full_disclosure_on", true, &t.day, &e) < 0) {
		disclosure_render(r, &e);
		return;
	}
	int rc = rec_write(r, truth_write_fn, &t);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_redirect(r, "/disclosures");
}

void disclosure_post(struct req *r)
{
	struct rec_err e = { 0 };
	int res = note_form_store(r, &NOTE_DISCLOSURE, &e);
	if (res == -1)
		disclosure_render(r, &e);
	else if (res == 0)
		req_redirect(r, "/disclosures");
}

static void nocontact_render(struct req *r, const struct rec_err *e)
{
	struct truth t;
	int rc;
	const unsigned char *ck = rec_keys(r);
	if (!ck)
		return;
	json_t *items = NULL;
	if ((rc = truth_load(r, ck, &t)) != SQLITE_OK || !(items = note_items(r, &NOTE_BREACH, ck, true, &rc))) {
		req_db_error(r, rc);
		return;
	}
	page_begin(r, "No contact");
	rec_page_notice(r, e);
	html(&r->out, "<p>After an affair, contact with the other person ends completely, in a way the hurt "
		      "partner can verify. Note when it began and how it was checked. If there is any contact "
		      "since, either of you records it here, and both of you see it.</p>\n");
	if (t.nc_since) {
		long since = 0;
		date_parse(t.nc_since, &since);
		html(&r->out, "<p>No contact since <strong>%s</strong> (%ld days).</p>\n", rec_human_day(r, t.nc_since),
		     rec_today(r) - since);
		if (t.nc_verified)
			html(&r->out, "<p class=\"prewrap\">How it was verified: %s</p>\n", t.nc_verified);
	} else {
		html(&r->out, "<p>No commitment noted yet.</p>\n");
	}
	html(&r->out, "<h2>%s</h2>\n", t.nc_since ? "Change the commitment" : "The commitment");
	ui_form_begin(r, "/no-contact");
	ui_input(r, "Since", "since", "date", rec_field(r, "since") ? rec_field(r, "since") : t.nc_since, "off",
		 NULL, 1);
	rec_textarea(r, "How it was verified", "verified", rec_field(r, "verified") ? rec_field(r, "verified")
		     : t.nc_verified, "For example: blocked on every app, together, on that evening.", true);
	ui_form_end(r, "Save");
	html(&r->out, "<h2>%s</h2>\n", NOTE_BREACH.form_heading);
	note_form(r, &NOTE_BREACH);
	html(&r->out, "<h2>%s</h2>\n", NOTE_BREACH.list_heading);
	note_cards(r, &NOTE_BREACH, items);
	json_decref(items);
	html(&r->out, "<p><a href=\"/records\">All records</a></p>\n");
	page_end(r);
}

void nocontact_page(struct req *r)
{
	nocontact_render(r, NULL);
}

void nocontact_post(struct req *r)
{
	struct truth_write t = { r->me->couple_id, r->me->user_id, 0, NULL, true, NULL };
	struct rec_err e = { 0 };
	if (rec_day(r, rec_field(r, "since"), "since", true, &t.day, &e) < 0 ||
	    rec_text(rec_field(r, "verified"), "verified", true, REC_TEXT_MAX, &t.verified, &e) < 0) {
		nocontact_render(r, &e);
		return;
	}
	if (!(t.ck = rec_keys(r)))
		return;
	int rc = rec_write(r, truth_write_fn, &t);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_redirect(r, "/no-contact");
}

void nocontact_breach_post(struct req *r)
{
	struct rec_err e = { 0 };
	int res = note_form_store(r, &NOTE_BREACH, &e);
	if (res == -1)
		nocontact_render(r, &e);
	else if (res == 0)
		req_redirect(r, "/no-contact");
}
