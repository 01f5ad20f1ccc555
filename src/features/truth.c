/* truth.c: disclosures and the no-contact commitment (see truth.h). The couple notes the day the full disclosure was made; anything
 * that comes to light afterwards is a new disclosure and counts as a
 * setback (no trickle truth). The no-contact commitment has a start date
 * and how it was verified; any contact is recorded by either partner and
 * both see it. All shared, sealed under the couple key. The lists are
 * dated notes (notes.c); the couple-wide dates are record settings
 * (record_setting.c). */
#include "truth.h"
#include "notes.h"
#include "record_setting.h"

#include <string.h>

#include "../app.h"
#include "../base/caltime.h"
#include "../db/db.h"
#include "../http/input.h"
#include "../http/jsonin.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"
#include "../ui/words.h"

/* Stores t for the viewer of r: 0, or -1 after answering. */
static int truth_add(struct req *r, struct record_setting_new *t)
{
	t->couple_id = r->me->couple_id;
	t->user_id = r->me->user_id;
	t->couple_key = r->me->couple_key;
	t->now = (long long)r->now;
	return req_write(r, record_setting_store, t);
}

/* The couple's record settings in *t and its notes of kind k, or NULL
 * after answering (keys locked, storage). */
static json_t *truth_read(struct req *r, struct record_settings *t, const struct note_kind *k, bool newest_first)
{
	int rc;
	if (!auth_keys(r))
		return NULL;
	json_t *items = NULL;
	if ((rc = record_settings_read(r, r->me, t)) != SQLITE_OK || !(items = note_items(r, r->me, k, newest_first, &rc)))
		req_db_error(r, rc);
	return items;
}

static const char *iso(struct req *r, long day)
{
	char d[11];
	date_format(day, d);
	return arena_strdup(&r->arena, d);
}

static json_t *jtext(const char *s)
{
	return s ? json_string(s) : json_null();
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

void disclosure_api_set(struct req *r)
{
	struct record_setting_new t = { 0 };
	struct input_err e = { 0 };
	const char *on;
	if (jin_only(r, r->json, DISCLOSURE_FIELDS) < 0 || jin_str(r, r->json, "full_disclosure_on", true, 10, &on) < 0)
		return;
	if (input_day(on, "full_disclosure_on", viewer_today(r), &t.day, &e) < 0) {
		input_answer(r, &e);
		return;
	}
	if (truth_add(r, &t) == 0)
		req_json(r, 200, json_pack("{s:s, s:I}", "full_disclosure_on", iso(r, t.day), "set_by",
					   (json_int_t)r->me->user_id));
}

void disclosure_api_create(struct req *r)
{
	struct record_settings t;
	json_t *j = note_api_store(r, &NOTE_DISCLOSURE);
	if (!j)
		return;
	int rc = record_settings_read(r, r->me, &t);
	if (rc != SQLITE_OK) {
		json_decref(j);
		req_db_error(r, rc);
		return;
	}
	const char *on = json_string_value(json_object_get(j, "on"));
	json_object_set_new(j, "counts_as_setback", json_boolean(t.full_on && strcmp(on, t.full_on) > 0));
	req_json(r, 201, json_pack("{s:o}", "disclosure", j));
}

void disclosure_api_list(struct req *r)
{
	struct record_settings t;
	json_t *items = truth_read(r, &t, &NOTE_DISCLOSURE, false);
	if (!items)
		return;
	mark_setbacks(items, t.full_on);
	req_json(r, 200, json_pack("{s:o, s:o}", "full_disclosure_on", jtext(t.full_on), "disclosures", items));
}

static json_t *nocontact_json(struct req *r, const struct record_settings *t)
{
	long since;
	if (!t->nc_since || date_parse(t->nc_since, &since) < 0)
		return json_null();
	return json_pack("{s:s, s:o, s:I, s:I}", "since", t->nc_since, "verified", jtext(t->nc_verified),
			 "set_by", (json_int_t)t->nc_by, "days", (json_int_t)(viewer_today(r) - since));
}

static const char *const NC_FIELDS[] = { "since", "verified", NULL };

void nocontact_api_set(struct req *r)
{
	struct record_setting_new t = { .nocontact = true };
	struct input_err e = { 0 };
	struct record_settings now;
	const char *since;
	if (jin_only(r, r->json, NC_FIELDS) < 0 || jin_str(r, r->json, "since", true, 10, &since) < 0 ||
	    jin_str(r, r->json, "verified", true, INPUT_TEXT_MAX, &t.verified) < 0)
		return;
	if (input_day(since, "since", viewer_today(r), &t.day, &e) < 0) {
		input_answer(r, &e);
		return;
	}
	if (!auth_keys(r))
		return;
	if (truth_add(r, &t) < 0)
		return;
	int rc = record_settings_read(r, r->me, &now);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_json(r, 200, json_pack("{s:o}", "no_contact", nocontact_json(r, &now)));
}

void nocontact_api_breach(struct req *r)
{
	note_api_create(r, &NOTE_BREACH);
}

void nocontact_api_get(struct req *r)
{
	struct record_settings t;
	json_t *items = truth_read(r, &t, &NOTE_BREACH, false);
	if (!items)
		return;
	req_json(r, 200, json_pack("{s:o, s:o}", "no_contact", nocontact_json(r, &t), "breaches", items));
}

/* ---- pages ---- */

static void disclosure_render(struct req *r, const struct input_err *e)
{
	struct record_settings t;
	json_t *items = truth_read(r, &t, &NOTE_DISCLOSURE, true);
	if (!items)
		return;
	mark_setbacks(items, t.full_on);
	ui_form_page_begin(r, "Disclosures", e,
			   "Full disclosure means the whole truth, told at once, so the pain does not come back "
			   "piece by piece. Note the day it was complete. Anything that comes to light later is added "
			   "here too, and counts as a setback.");
	if (t.full_on)
		html(&r->out, "<p>The full disclosure was made on <strong>%s</strong>.</p>\n", words_iso_day(&r->arena, t.full_on));
	else
		html(&r->out, "<p>No full-disclosure date yet.</p>\n");
	ui_form_begin(r, "/disclosures/full");
	ui_input(r, "The day the full disclosure was complete", "full_disclosure_on", "date",
		 req_form_field(r, "full_disclosure_on") ? req_form_field(r, "full_disclosure_on") : t.full_on, "off", NULL, 1);
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
	page_end_link(r, "/records", "All records");
}

void disclosure_page(struct req *r)
{
	disclosure_render(r, NULL);
}

void disclosure_date_post(struct req *r)
{
	struct record_setting_new t = { 0 };
	struct input_err e = { 0 };
	if (input_day(req_form_field(r, "full_disclosure_on"), "full_disclosure_on", viewer_today(r), &t.day, &e) < 0) {
		disclosure_render(r, &e);
		return;
	}
	if (truth_add(r, &t) == 0)
		req_redirect(r, "/disclosures");
}

/* Stores the note of kind k from the form and goes back to the page at
 * to; render shows the page again with what is wrong with the form. */
static void truth_note_post(struct req *r, const struct note_kind *k,
			    void (*render)(struct req *r, const struct input_err *e), const char *to)
{
	struct input_err e = { 0 };
	ui_form_done(r, note_form_store(r, k, &e), &e, render, to);
}

void disclosure_post(struct req *r)
{
	truth_note_post(r, &NOTE_DISCLOSURE, disclosure_render, "/disclosures");
}

static void nocontact_render(struct req *r, const struct input_err *e)
{
	struct record_settings t;
	json_t *items = truth_read(r, &t, &NOTE_BREACH, true);
	if (!items)
		return;
	ui_form_page_begin(r, "No contact", e,
			   "After an affair, contact with the other person ends completely, in a way the hurt "
			   "partner can verify. Note when it began and how it was checked. If there is any contact "
			   "since, either of you records it here, and both of you see it.");
	if (t.nc_since) {
		long since = 0;
		date_parse(t.nc_since, &since);
		html(&r->out, "<p>No contact since <strong>%s</strong> (%s).</p>\n", words_iso_day(&r->arena, t.nc_since),
		     words_count(&r->arena, viewer_today(r) - since, "day", "days"));
		if (t.nc_verified)
			html(&r->out, "<p class=\"prewrap\">How it was verified: %s</p>\n", t.nc_verified);
	} else {
		html(&r->out, "<p>No commitment noted yet.</p>\n");
	}
	html(&r->out, "<h2>%s</h2>\n", t.nc_since ? "Change the commitment" : "The commitment");
	ui_form_begin(r, "/no-contact");
	ui_input(r, "Since", "since", "date", req_form_field(r, "since") ? req_form_field(r, "since") : t.nc_since, "off",
		 NULL, 1);
	ui_textarea(r, "How it was verified", "verified", req_form_field(r, "verified") ? req_form_field(r, "verified")
		     : t.nc_verified, "For example: blocked on every app, together, on that evening.", UI_REQUIRED);
	ui_form_end(r, "Save");
	html(&r->out, "<h2>%s</h2>\n", NOTE_BREACH.form_heading);
	note_form(r, &NOTE_BREACH);
	html(&r->out, "<h2>%s</h2>\n", NOTE_BREACH.list_heading);
	note_cards(r, &NOTE_BREACH, items);
	json_decref(items);
	page_end_link(r, "/records", "All records");
}

void nocontact_page(struct req *r)
{
	nocontact_render(r, NULL);
}

void nocontact_post(struct req *r)
{
	struct record_setting_new t = { .nocontact = true };
	struct input_err e = { 0 };
	if (input_day(req_form_field(r, "since"), "since", viewer_today(r), &t.day, &e) < 0 ||
	    input_text(req_form_field(r, "verified"), "verified", true, INPUT_TEXT_MAX, &t.verified, &e) < 0) {
		nocontact_render(r, &e);
		return;
	}
	if (!auth_keys(r))
		return;
	if (truth_add(r, &t) == 0)
		req_redirect(r, "/no-contact");
}

void nocontact_breach_post(struct req *r)
{
	truth_note_post(r, &NOTE_BREACH, nocontact_render, "/no-contact");
}

/* ---- the export ---- */

json_t *truth_export(struct req *r, const struct viewer *v)
{
	struct record_settings t;
	int rc = record_settings_read(r, v, &t);
	if (!req_db_ok(r, rc))
		return NULL;
	json_t *a = json_array();
	if (t.full_on || t.nc_since)
		json_array_append_new(a, json_pack("{s:o, s:o}", "full_disclosure_on", jtext(t.full_on), "no_contact",
						   nocontact_json(r, &t)));
	return a;
}
