/* yourdata.c: "Your data" (see yourdata.h). The export is "everything this
 * viewer may see": each kind of record comes from its room's export reader,
 * which applies that room's rule (a partner's private records and safety
 * check never reach it; their check-ins and vision only once revealed).
 * The same document is given as JSON or rendered as one HTML file. */
#include "yourdata.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../app.h"
#include "../auth/auth.h"
#include "../base/caltime.h"
#include "../http/jsonin.h"
#include "../http/router.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"
#include "../ui/words.h"
#include "account.h"
#include "agreement.h"
#include "appreciation.h"
#include "checkin.h"
#include "connection.h"
#include "daily.h"
#include "harddate.h"
#include "insights.h"
#include "journal.h"
#include "notes.h"
#include "promise.h"
#include "readiness.h"
#include "recovery.h"
#include "roadmap.h"
#include "safety.h"
#include "transparency.h"
#include "truth.h"
#include "trigger.h"
#include "vision.h"
#include "vulnerability.h"

#define EXPORT_VERSION 2
#define PASSWORD_MAX 256

/* ---- reading: one reader per kind ---- */

static json_t *notes_of(struct req *r, const struct viewer *v, const struct note_kind *k)
{
	int rc;
	json_t *a = note_items(r, v, k, false, &rc);
	if (!a)
		req_db_error(r, rc);
	return a;
}

static json_t *wins_export(struct req *r, const struct viewer *v)
{
	return notes_of(r, v, &NOTE_WIN);
}

static json_t *setbacks_export(struct req *r, const struct viewer *v)
{
	return notes_of(r, v, &NOTE_SETBACK);
}

static json_t *timeline_export(struct req *r, const struct viewer *v)
{
	return notes_of(r, v, &NOTE_TIMELINE);
}

static json_t *disclosures_export(struct req *r, const struct viewer *v)
{
	return notes_of(r, v, &NOTE_DISCLOSURE);
}

static json_t *breaches_export(struct req *r, const struct viewer *v)
{
	return notes_of(r, v, &NOTE_BREACH);
}

/* The kinds of the export: the name in "records", the words the readable
 * copy shows, the reader. */
static const struct kind {
	const char *name, *label;
	json_t *(*read)(struct req *r, const struct viewer *v);
} KINDS[] = {
	{ "journal", "My journal (only mine)", journal_export },
	{ "journal_shared", "A journal page we share", journal_shared_export },
	{ "checkins", "Weekly check-in", checkin_export },
	{ "daily_checkins", "Daily check-in", daily_export },
	{ "appreciations", "Appreciation", appreciation_export },
	{ "sharing", "Sharing", vulnerability_export },
	{ "time_together", "Time together", connection_export },
	{ "triggers", "A hard moment", trigger_export },
	{ "trigger_plans", "A plan for hard moments", trigger_plan_export },
	{ "hard_dates", "A hard date", harddate_export },
	{ "promises", "A promise", promise_export },
	{ "wins", "A small win", wins_export },
	{ "setbacks", "A setback", setbacks_export },
	{ "timeline", "Our trust timeline", timeline_export },
	{ "disclosures", "Something that came to light", disclosures_export },
	{ "breaches", "A contact despite the commitment", breaches_export },
	{ "truth", "The full disclosure and no contact", truth_export },
	{ "safety_check", "My safety check (only mine)", safety_export },
	{ "readiness", "Are we ready? (my answers, only mine)", readiness_export },
	{ "transparency_plans", "A transparency plan", transparency_export },
	{ "transparency_reports", "A transparency report", transparency_reports_export },
	{ "recovery_criteria", "What recovered means for us", recovery_export },
	{ "roadmap", "A step on our road", roadmap_export },
	{ "agreements", "Agreement", agreement_export },
	{ "timeline_factors", "What shapes our timeline", insights_factors_export },
};
#define NKINDS (sizeof(KINDS) / sizeof(KINDS[0]))

/* The vision room answers one object; the export lists each vision as a
 * record (who wrote it) and the shared items after them. */
static int put_vision(struct req *r, const struct viewer *v, json_t *records)
{
	json_t *o = vision_export(r, v);
	if (!o)
		return -1;
	json_t *visions = json_array();
	static const char *const WHO[] = { "mine", "me", "partner", "partner" };
	for (size_t i = 0; i < 4; i += 2) {
		json_t *x = json_object_get(o, WHO[i]);
		if (json_is_object(x)) {
			json_t *c = json_deep_copy(x);
			json_object_set_new(c, "author", json_string(WHO[i + 1]));
			json_array_append_new(visions, c);
		}
	}
	json_object_set_new(records, "visions", visions);
	json_object_set(records, "vision_items", json_object_get(o, "items"));
	json_decref(o);
	return 0;
}

/* The whole export for the viewer of r, or NULL after answering. */
static json_t *export_build(struct req *r)
{
	const struct viewer *v = r->me;
	if (v->couple_id ? !auth_keys(r) : !auth_data_key(r))
		return NULL;
	json_t *records = json_object();
	for (size_t i = 0; i < NKINDS; i++) {
		json_t *a = KINDS[i].read(r, v);
		if (!a) {
			json_decref(records);
			return NULL;
		}
		json_object_set_new(records, KINDS[i].name, a);
	}
	if (put_vision(r, v, records) < 0) {
		json_decref(records);
		return NULL;
	}
	char at[21];
	instant_format(r->now, at);
	json_t *person = account_user_json(v);
	json_object_set_new(person, "role", v->role ? json_string(v->role) : json_null());
	return json_pack("{s:s, s:i, s:s, s:o, s:o, s:o}", "format", "troth-export", "version", EXPORT_VERSION,
			 "exported_at", at, "person", person, "couple", account_couple_json(r), "records",
			 records);
}

/* ---- the readable copy ---- */

/* A sortable "YYYY-MM-DD…" for a record: its day, or the first instant it
 * carries; "" when it has none. */
static void record_when(json_t *o, char out[21])
{
	static const char *const KEYS[] = { "day", "on", "date", "due", "week", "at", "written_at",
					    "shared_at", "created_at", "answered_at", "updated_at", NULL };
	out[0] = 0;
	for (size_t i = 0; KEYS[i]; i++) {
		json_t *x = json_object_get(o, KEYS[i]);
		struct isoweek w;
		if (json_is_integer(x)) {
			instant_format((time_t)json_integer_value(x), out);
			return;
		}
		if (!json_is_string(x))
			continue;
		if (isoweek_parse(json_string_value(x), &w) == 0)
			date_format(isoweek_monday(&w), out);
		else
			snprintf(out, 21, "%s", json_string_value(x));
		return;
	}
}

struct entry {
	char when[21];
	const char *label;
	json_t *o;
	const char *words; /* the record said in words by its room, or NULL */
};

static int by_when(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	return strcmp(x->when, y->when);
}

/* Keys the copy leaves out: ids and flags for the pages, not for a reader. */
static bool skipped(const char *k)
{
	static const char *const SKIP[] = { "id", "resources", "message", "prompt", "editable", "overdue",
					    "can_record_outcome", "plan_id", "in_force", "made_to", "days_until", NULL };
	size_t n = strlen(k);
	if (n > 3 && (!strcmp(k + n - 3, "_id") || !strcmp(k + n - 3, "_by")))
		return true;
	for (size_t i = 0; SKIP[i]; i++)
		if (!strcmp(SKIP[i], k))
			return true;
	return false;
}

static void value_html(struct req *r, const char *key, json_t *x);

/* An instant of the document in words on the couple's clock, "Wednesday 2
 * December 2026, 18:30"; NULL when s is not an instant. */
static const char *instant_words(struct req *r, const char *s)
{
	time_t t;
	if (!s || strlen(s) != 20 || instant_parse(s, &t) < 0)
		return NULL;
	long long lt = (long long)t + (r->me->tz ? tz_offset(r->me->tz, t) : 0);
	long long secs = ((lt % 86400) + 86400) % 86400;
	return arena_printf(&r->arena, "%s, %02lld:%02lld", words_day(&r->arena, viewer_day_of(r, (long long)t)),
			    secs / 3600, secs / 60 % 60);
}

static void object_html(struct req *r, json_t *o)
{
	const char *k;
	json_t *x;
	html_unsafe_raw(&r->out, "<dl>");
	json_object_foreach(o, k, x) {
		if (skipped(k) || json_is_null(x))
			continue;
		if (!strcmp(k, "mine") || !strcmp(k, "author")) {
			bool me = json_is_true(x) || (json_is_string(x) && !strcmp(json_string_value(x), "me"));
			html(&r->out, "<dt>by</dt><dd>%s</dd>", me ? "me" : viewer_partner_word(r, false));
			continue;
		}
		html(&r->out, "<dt>");
		for (const char *p = k; *p; p++)
			html(&r->out, "%.*s", 1, *p == '_' ? " " : p);
		html(&r->out, "</dt><dd>");
		value_html(r, k, x);
		html_unsafe_raw(&r->out, "</dd>");
	}
	html_unsafe_raw(&r->out, "</dl>\n");
}

static void value_html(struct req *r, const char *key, json_t *x)
{
	size_t n = strlen(key);
	const char *when = json_is_string(x) ? instant_words(r, json_string_value(x)) : NULL;
	if (when) {
		html(&r->out, "%s", when);
	} else if (json_is_string(x)) {
		html(&r->out, "<span class=\"text\">%s</span>", json_string_value(x));
	} else if (json_is_integer(x) && n > 3 && !strcmp(key + n - 3, "_at")) {
		char at[21];
		instant_format((time_t)json_integer_value(x), at);
		html(&r->out, "%s", at);
	} else if (json_is_integer(x)) {
		html(&r->out, "%lld", (long long)json_integer_value(x));
	} else if (json_is_boolean(x)) {
		html(&r->out, "%s", json_is_true(x) ? "yes" : "no");
	} else if (json_is_object(x)) {
		object_html(r, x);
	} else if (json_is_array(x)) {
		size_t i;
		json_t *e;
		html_unsafe_raw(&r->out, "<ul>");
		json_array_foreach(x, i, e) {
			html_unsafe_raw(&r->out, "<li>");
			value_html(r, key, e);
			html_unsafe_raw(&r->out, "</li>");
		}
		html_unsafe_raw(&r->out, "</ul>");
	}
}

static const char STYLE[] =
	"body{font:16px/1.5 Georgia,serif;color:#222;max-width:46rem;margin:2rem auto;padding:0 1rem}"
	"h1,h2{font-family:sans-serif;font-weight:600}"
	"section.record{border-top:1px solid #ccc;padding:.5rem 0;break-inside:avoid}"
	".when{font-family:sans-serif;font-size:.9rem;color:#555;margin:0}"
	"dl{margin:.25rem 0;display:grid;grid-template-columns:9rem 1fr;gap:.15rem .75rem}"
	"dt{font-family:sans-serif;font-size:.85rem;color:#555;padding-top:.15rem}dd{margin:0}"
	"dd dl{grid-template-columns:8rem 1fr}.text{white-space:pre-wrap}ul{padding-left:1.2rem;margin:0}"
	".chart{font-family:sans-serif;font-size:.85rem}.chart p{display:flex;align-items:center;gap:.5rem;margin:.1rem 0}"
	".chart .w{width:8rem}.chart .bar{display:inline-block;height:.8rem;background:#5a7d9a;"
	"-webkit-print-color-adjust:exact;print-color-adjust:exact}.chart .partner{background:#c08a5b}"
	"@media print{body{margin:0;max-width:none}a{color:inherit}}";

/* How connected each felt, week by week (the check-ins, oldest first): one
 * bar of 1..10 a check-in, drawn with CSS so it prints. */
static void chart(struct req *r, json_t *checkins)
{
	size_t i;
	json_t *c;
	if (!json_array_size(checkins))
		return;
	html(&r->out, "<h2>How connected we felt, week by week</h2>\n<div class=\"chart\">\n");
	json_array_foreach(checkins, i, c) {
		bool me = !strcmp(json_string_value(json_object_get(c, "author")), "me");
		int v = (int)json_integer_value(json_object_get(c, "connection"));
		html(&r->out, "<p><span class=\"w\">%s, %s</span><span class=\"bar%s\" style=\"width:%dem\"></span>"
			      "<span>%d of 10</span></p>\n",
		     json_string_value(json_object_get(c, "week")), me ? "me" : viewer_partner_word(r, false),
		     me ? "" : " partner", v, v);
	}
	html_unsafe_raw(&r->out, "</div>\n");
}

/* How close and how safe each day felt (the daily check-ins, oldest
 * first): a bar of 0..10 for each, drawn with CSS so it prints. */
static void daily_chart(struct req *r, json_t *days)
{
	size_t i;
	json_t *c;
	if (!json_array_size(days))
		return;
	html(&r->out, "<h2>How close and how safe each day felt</h2>\n<div class=\"chart\">\n");
	json_array_foreach(days, i, c) {
		bool me = !strcmp(json_string_value(json_object_get(c, "author")), "me");
		int close = (int)json_integer_value(json_object_get(c, "close"));
		int safe = (int)json_integer_value(json_object_get(c, "safe"));
		html(&r->out, "<p><span class=\"w\">%s, %s</span><span class=\"bar%s\" style=\"width:%dem\"></span>"
			      "<span>close %d, safe %d of 10</span></p>\n",
		     json_string_value(json_object_get(c, "day")), me ? "me" : viewer_partner_word(r, false),
		     me ? "" : " partner", close, close, safe);
	}
	html_unsafe_raw(&r->out, "</div>\n");
}

static void readable_copy(struct req *r, json_t *doc)
{
	json_t *records = json_object_get(doc, "records");
	struct entry *list = NULL;
	size_t n = 0, cap = 0;
	const char *k;
	json_t *a;
	json_object_foreach(records, k, a) {
		const char *label = !strcmp(k, "visions") ? "Five years from now"
				    : !strcmp(k, "vision_items") ? "Five years from now: an item" : k;
		for (size_t i = 0; i < NKINDS; i++)
			if (!strcmp(KINDS[i].name, k))
				label = KINDS[i].label;
		if (!strcmp(k, "agreements"))
			continue;
		size_t i;
		json_t *o;
		json_array_foreach(a, i, o) {
			list = arena_grow(&r->arena, list, n, &cap, sizeof(*list));
			list[n] = (struct entry){ .label = label, .o = o };
			if (!strcmp(k, "readiness")) {
				/* answers are keys and values: the room says them in words */
				char *s = json_dumps(o, JSON_COMPACT);
				list[n].words = s ? readiness_words(&r->arena, s) : NULL;
				free(s);
			}
			record_when(o, list[n].when);
			n++;
		}
	}
	if (n)
		qsort(list, n, sizeof(*list), by_when);
	buf_reset(&r->out);
	html(&r->out, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		      "<title>My copy from troth</title><style>");
	html_unsafe_raw(&r->out, STYLE);
	html(&r->out, "</style></head><body>\n<h1>My copy from troth</h1>\n");
	const char *made = instant_words(r, json_string_value(json_object_get(doc, "exported_at")));
	html(&r->out, "<p>For %s, made %s. This copy is not locked: keep it somewhere only you can open.</p>\n",
	     r->me->display_name, made ? made : "today");
	chart(r, json_object_get(records, "checkins"));
	daily_chart(r, json_object_get(records, "daily_checkins"));
	html(&r->out, "<h2>Everything, in date order</h2>\n");
	if (!n)
		html(&r->out, "<p>Nothing written yet.</p>\n");
	for (size_t i = 0; i < n; i++) {
		if (list[i].when[0])
			html(&r->out, "<section class=\"record\"><p class=\"when\">%s · %s</p>\n", list[i].when,
			     list[i].label);
		else
			html(&r->out, "<section class=\"record\"><p class=\"when\">%s</p>\n", list[i].label);
		if (list[i].words)
			html(&r->out, "<p class=\"text\">%s</p>\n", list[i].words);
		else
			object_html(r, list[i].o);
		html_unsafe_raw(&r->out, "</section>\n");
	}
	html(&r->out, "<h2>Our agreements, with every version</h2>\n");
	json_t *ags = json_object_get(records, "agreements");
	if (!json_array_size(ags))
		html(&r->out, "<p>No agreements yet.</p>\n");
	size_t i;
	json_t *ag;
	json_array_foreach(ags, i, ag) {
		const char *title = json_string_value(json_object_get(ag, "title"));
		html(&r->out, "<section class=\"record\"><h3>%s</h3>\n", title ? title : "An agreement");
		object_html(r, ag);
		html_unsafe_raw(&r->out, "</section>\n");
	}
	html(&r->out, "</body></html>\n");
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
}

/* ---- answering ---- */

static void attachment(struct req *r, const char *ext)
{
	char day[11];
	date_format(viewer_today(r), day);
	req_header(r, "Content-Disposition",
		   arena_printf(&r->arena, "attachment; filename=\"troth-%s.%s\"", day, ext));
}

/* Sends the export (HTML when html) after a right password. Returns 1
 * after sending it, 0 when the password was wrong (nothing answered), -1
 * after answering otherwise; on the first call it defers. */
static int send_export(struct req *r, const char *password, bool as_html)
{
	int done = account_check_password(r, password);
	if (!r->defer_done || done <= 0)
		return done;
	json_t *doc = export_build(r);
	if (!doc)
		return -1;
	if (as_html) {
		readable_copy(r, doc);
		json_decref(doc);
	} else {
		req_json(r, 200, doc);
	}
	attachment(r, as_html ? "html" : "json");
	return 1;
}

static void api_export(struct req *r, bool as_html)
{
	static const char *const fields[] = { "password", NULL };
	const char *password;
	if (jin_only(r, r->json, fields) < 0 || jin_str(r, r->json, "password", true, PASSWORD_MAX, &password) < 0)
		return;
	if (send_export(r, password, as_html) == 0 && r->defer_done)
		req_error(r, 403, "reauth_failed", "Your password was not right.", "password");
}

void yourdata_api_export(struct req *r)
{
	api_export(r, false);
}

void yourdata_api_export_html(struct req *r)
{
	api_export(r, true);
}

/* ---- the page ---- */

/* Whether the route table has a page at path: closing an account and
 * parting live in their own rooms, and the page links to them once they
 * are there. */
static bool served(const char *path)
{
	for (size_t i = 0; i < troth_routes_len; i++)
		if (!strcmp(troth_routes[i].method, "GET") && !strcmp(troth_routes[i].pattern, path))
			return true;
	return false;
}

static void show_page(struct req *r, const char *notice)
{
	static const char *const FORMATS[] = { "html", "A readable copy (a web page you can open and print)",
					       "json", "A data file (JSON, for another program)", NULL };
	page_begin(r, "Your data");
	if (notice)
		ui_notice(r, "attention", notice);
	html(&r->out, "<p>Your words are yours. You can take a copy of them with you at any time.</p>\n"
		      "<h2>What the copy holds</h2>\n<ul>\n"
		      "<li>Everything you wrote, including your private journal, your notes on the road, "
		      "your readiness answers and your own safety check.</li>\n"
		      "<li>Everything you and %s share: check-ins, appreciations, agreements with every "
		      "version, plans, promises, dates, notes, transparency plans and what recovered means "
		      "for you.</li>\n"
		      "<li>%s's check-ins, daily check-ins and vision, once they are open to you, and their "
		      "transparency reports while their plan is on. As on the page, they can see that "
		      "you looked.</li>\n</ul>\n"
		      "<h2>What it does not hold</h2>\n<ul>\n"
		      "<li>%s's private journal, private moments, notes on the road, readiness answers and "
		      "safety check. Those stay theirs.</li>\n"
		      "<li>A check-in of theirs that is not open to you yet.</li>\n</ul>\n"
		      "<p>The copy is not locked. Keep it somewhere only you can open.</p>\n",
	     viewer_partner_word(r, false), viewer_partner_word(r, true), viewer_partner_word(r, true));
	html(&r->out, "<h2>Take a copy</h2>\n");
	ui_form_begin(r, "/settings/data/export");
	ui_radios(r, "Which copy", "format", FORMATS, "html");
	ui_input(r, "Your password", "password", "password", NULL, "current-password",
		 "We ask again, so only you can take it.", 1);
	ui_form_end(r, "Download my copy");
	bool del = served("/settings/delete"), part = r->me->couple_id && served("/couple/part");
	if (del || part)
		html(&r->out, "<h2>Closing or parting</h2>\n");
	if (del)
		html(&r->out, "<p><a href=\"/settings/delete\">Delete my account</a>: your words go with you.</p>\n");
	if (part)
		html(&r->out, "<p><a href=\"/couple/part\">Part ways as a couple</a>: each of you keeps a copy of "
			      "what you shared.</p>\n");
	page_end(r);
}

void yourdata_page(struct req *r)
{
	show_page(r, NULL);
}

void yourdata_export_post(struct req *r)
{
	const char *password = req_form_field(r, "password"), *format = req_form_field(r, "format");
	if (!password || strlen(password) > PASSWORD_MAX) {
		r->status = 400;
		show_page(r, "Please type your password.");
		return;
	}
	int done = send_export(r, password, !format || strcmp(format, "json") != 0);
	if (r->defer_done && done == 0) {
		r->status = 403;
		show_page(r, "That password was not right. Please try again.");
	}
}
