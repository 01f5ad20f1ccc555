/* recovery.c: what "recovered" means for us (see recovery.h).
 *
 * A criterion's kind, target and span are plain (progress is computed on
 * them); its words are sealed under the couple key as
 * "recovery_criterion:<id>:text". Progress is measured only from what both
 * partners can see: check-ins once revealed, triggers that were not kept
 * private, promises with an outcome. Kinds:
 *   statement   words both partners tick; met when both have ticked
 *   connection  average connection in the check-ins of the last `weeks`
 *               weeks at least `target` (1..10), with check-ins in at least
 *               three quarters of those weeks
 *   triggers    at most `target` major triggers (intensity 7 or more) in
 *               every four weeks of the last `weeks`, and troth in use that
 *               long
 *   promises    at least `target` percent of the promises due in the last
 *               `weeks` weeks kept (at least one with an outcome) */
#include "recovery.h"

#include <stdbool.h>
#include <stdio.h>
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

#define TEXT_MAX 500
#define MAJOR_INTENSITY 7

static const char *const KINDS[] = {
	"statement", "Something we both say is true (we each tick it)",
	"connection", "Connection in the weekly check-in, on average",
	"triggers", "Few major triggers",
	"promises", "Promises kept",
	NULL,
};

struct kind_rule {
	const char *kind;
	long long tmin, tmax, wmin, wdefault;
};
static const struct kind_rule RULES[] = {
	{ "connection", 1, 10, 1, 8 },
	{ "triggers", 0, 30, 4, 12 },
	{ "promises", 1, 100, 1, 8 },
};

static const struct kind_rule *rule_of(const char *kind)
{
	for (size_t i = 0; i < sizeof(RULES) / sizeof(RULES[0]); i++)
		if (!strcmp(RULES[i].kind, kind))
			return &RULES[i];
	return NULL;
}

static const char *ad_text(struct req *r, long long id)
{
	return arena_printf(&r->arena, "recovery_criterion:%lld:text", id);
}

/* ---- progress ---- */

static int connection_progress(struct req *r, sqlite3 *c, long long target, long long weeks, json_t *o)
{
	struct isoweek f, t;
	char wf[9], wt[9];
	long today = fk_today(r);
	isoweek_of(today - 7 * (weeks - 1), &f);
	isoweek_of(today, &t);
	isoweek_format(&f, wf);
	isoweek_format(&t, wt);
	sqlite3_stmt *st = db_prepare(c, "SELECT avg(connection), count(DISTINCT week) FROM checkin k WHERE couple_id = ?1"
					 " AND week BETWEEN ?2 AND ?3 AND (reveal_at <= ?4 OR (SELECT count(DISTINCT author_id)"
					 " FROM checkin o WHERE o.couple_id = ?1 AND o.week = k.week) >= 2)", "itti",
				      r->me->couple_id, wf, wt, (long long)time(NULL));
	if (!st || sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return -1;
	}
	bool any = sqlite3_column_type(st, 0) != SQLITE_NULL;
	double avg = sqlite3_column_double(st, 0);
	long long n = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	avg = (double)(long long)(avg * 10 + 0.5) / 10;
	bool met = any && n * 4 >= weeks * 3 && avg >= (double)target;
	json_object_set_new(o, "progress", json_pack("{s:o, s:I, s:I}", "average", any ? json_real(avg) : json_null(),
						     "weeks_with_checkins", (json_int_t)n, "weeks", (json_int_t)weeks));
	json_object_set_new(o, "met", json_boolean(met));
	json_object_set_new(o, "summary", json_string(any ? arena_printf(&r->arena, "On average %.1f, from check-ins in %lld of the last %lld week%s.",
									   avg, n, weeks, weeks == 1 ? "" : "s")
							  : "No check-ins in these weeks yet."));
	return 0;
}

static int triggers_progress(struct req *r, sqlite3 *c, long long target, long long weeks, json_t *o)
{
	long today = fk_today(r);
	long long blocks = (weeks + 3) / 4, worst = 0, since = 0;
	json_t *per = json_array();
	for (long long k = 0; k < blocks; k++) {
		char lo[11], hi[11];
		long long n = 0;
		date_format(today - 28 * (k + 1), lo);
		date_format(today - 28 * k, hi);
		if (db_int(c, &n, "SELECT count(*) FROM trigger_event WHERE couple_id = ?1 AND private = 0 AND intensity >= ?2"
				  " AND day > ?3 AND day <= ?4", "iitt", r->me->couple_id, (long long)MAJOR_INTENSITY, lo,
			   hi) != SQLITE_ROW) {
			json_decref(per);
			return -1;
		}
		json_array_append_new(per, json_integer(n));
		worst = n > worst ? n : worst;
	}
	/* in use since the couple began, or since its first record (imported
	 * or older than the couple row, as in the demo) */
	if (db_int(c, &since, "SELECT min(x) FROM (SELECT created_at AS x FROM couple WHERE id = ?1"
			      " UNION ALL SELECT min(at) FROM trigger_event WHERE couple_id = ?1"
			      " UNION ALL SELECT min(created_at) FROM checkin WHERE couple_id = ?1)", "i",
		   r->me->couple_id) != SQLITE_ROW) {
		json_decref(per);
		return -1;
	}
	bool long_enough = (long long)time(NULL) - since >= weeks * 7 * 86400;
	json_object_set_new(o, "progress", json_pack("{s:I, s:o, s:b}", "most_in_four_weeks", (json_int_t)worst,
						     "per_four_weeks", per, "long_enough", long_enough));
	json_object_set_new(o, "met", json_boolean(long_enough && worst <= target));
	json_object_set_new(o, "summary", json_string(arena_printf(&r->arena,
		"At most %lld major trigger%s in any four weeks of the last %lld weeks%s.", worst, worst == 1 ? "" : "s", weeks,
		long_enough ? "" : " (you have not used troth that long yet)")));
	return 0;
}

static int promises_progress(struct req *r, sqlite3 *c, long long target, long long weeks, json_t *o)
{
	char lo[11], hi[11];
	long today = fk_today(r);
	date_format(today - 7 * weeks, lo);
	date_format(today, hi);
	sqlite3_stmt *st = db_prepare(c, "SELECT count(*), coalesce(sum(kept), 0) FROM promise WHERE couple_id = ?1"
					 " AND kept IS NOT NULL AND due > ?2 AND due <= ?3", "itt", r->me->couple_id, lo, hi);
	if (!st || sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return -1;
	}
	long long total = sqlite3_column_int64(st, 0), kept = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	long long pct = total ? (kept * 100 + total / 2) / total : 0;
	json_object_set_new(o, "progress", json_pack("{s:I, s:I, s:o}", "kept", (json_int_t)kept, "total", (json_int_t)total,
						     "percent", total ? json_integer(pct) : json_null()));
	json_object_set_new(o, "met", json_boolean(total > 0 && pct >= target));
	json_object_set_new(o, "summary", json_string(total ? arena_printf(&r->arena, "%lld of %lld kept (%lld%%) in the last %lld weeks.",
									    kept, total, pct, weeks)
							    : "No promises came due in these weeks yet."));
	return 0;
}

static int statement_progress(struct req *r, sqlite3 *c, long long id, json_t *o)
{
	long long me = 0, partner = 0;
	if (db_int(c, &me, "SELECT count(*) FROM recovery_tick WHERE criterion_id = ?1 AND couple_id = ?2 AND user_id = ?3",
		   "iii", id, r->me->couple_id, r->me->user_id) != SQLITE_ROW ||
	    db_int(c, &partner, "SELECT count(*) FROM recovery_tick WHERE criterion_id = ?1 AND couple_id = ?2 AND user_id <> ?3",
		   "iii", id, r->me->couple_id, r->me->user_id) != SQLITE_ROW)
		return -1;
	json_object_set_new(o, "progress", json_pack("{s:b, s:b}", "ticked_by_me", me > 0, "ticked_by_partner", partner > 0));
	json_object_set_new(o, "met", json_boolean(me && partner));
	json_object_set_new(o, "summary", json_string(me && partner ? "You both say it is true."
						      : me ? "You ticked it; your partner has not yet."
						      : partner ? "Your partner ticked it; you have not yet."
								: "Neither of you has ticked it yet."));
	return 0;
}

/* The couple's criteria (or one, when only > 0) with progress; NULL after
 * answering. */
static json_t *load_criteria(struct req *r, long long only)
{
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, "SELECT id, kind, text, target, weeks, created_by, created_at FROM recovery_criterion"
					     " WHERE couple_id = ?1 AND (?2 = 0 OR id = ?2) ORDER BY id", "ii", r->me->couple_id, only)
			     : NULL;
	if (!st) {
		fk_db_error(r, c);
		return NULL;
	}
	json_t *arr = json_array();
	int bad = 0;
	while (!bad && sqlite3_step(st) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		const char *kind = (const char *)sqlite3_column_text(st, 1);
		bool measured = strcmp(kind, "statement") != 0;
		long long target = sqlite3_column_int64(st, 3), weeks = sqlite3_column_int64(st, 4);
		json_t *o = json_pack("{s:I, s:s, s:s?, s:o, s:o, s:I, s:I}", "id", (json_int_t)id, "kind", kind,
			"text", fk_open_col(r, r->me->sess->couple_key, ad_text(r, id), st, 2),
			"target", measured ? json_integer(target) : json_null(), "weeks", measured ? json_integer(weeks) : json_null(),
			"created_by", (json_int_t)sqlite3_column_int64(st, 5), "created_at", (json_int_t)sqlite3_column_int64(st, 6));
		bad = !strcmp(kind, "connection") ? connection_progress(r, c, target, weeks, o)
		      : !strcmp(kind, "triggers") ? triggers_progress(r, c, target, weeks, o)
		      : !strcmp(kind, "promises") ? promises_progress(r, c, target, weeks, o)
						  : statement_progress(r, c, id, o);
		json_array_append_new(arr, o);
	}
	sqlite3_finalize(st);
	if (bad) {
		json_decref(arr);
		fk_db_error(r, c);
		return NULL;
	}
	return arr;
}

struct crit_in {
	const char *kind, *text;
	long long target, weeks;
};

/* Checks a criterion; NULL or a message with *field set. Fills weeks'
 * default. */
static const char *crit_problem(struct crit_in *in, bool has_target, bool has_weeks, const char **field)
{
	const struct kind_rule *k = rule_of(in->kind);
	if (!k && strcmp(in->kind, "statement")) {
		*field = "kind";
		return "kind is statement, connection, triggers or promises.";
	}
	if (!k) {
		if (!in->text) {
			*field = "text";
			return "Please write the statement.";
		}
		if (has_target || has_weeks) {
			*field = has_target ? "target" : "weeks";
			return "A statement has no target or weeks; you both tick it.";
		}
		return NULL;
	}
	if (!has_target || in->target < k->tmin || in->target > k->tmax) {
		*field = "target";
		return !strcmp(in->kind, "connection") ? "target is the average connection to reach, 1 to 10."
		       : !strcmp(in->kind, "triggers") ? "target is the most major triggers in four weeks, 0 to 30."
						       : "target is the share of promises kept, 1 to 100 percent.";
	}
	if (!has_weeks)
		in->weeks = k->wdefault;
	if (in->weeks < k->wmin || in->weeks > 104) {
		*field = "weeks";
		return !strcmp(in->kind, "triggers") ? "weeks is 4 to 104." : "weeks is 1 to 104.";
	}
	return NULL;
}

static int crit_store(struct req *r, const struct crit_in *in, long long *id_out)
{
	bool measured = strcmp(in->kind, "statement") != 0;
	struct buf s;
	buf_init(&s, 0);
	sqlite3 *w = db_write_begin(&r->app->db);
	int rc = measured ? db_run(w, "INSERT INTO recovery_criterion(couple_id, kind, target, weeks, created_by, created_at)"
				      " VALUES(?1, ?2, ?3, ?4, ?5, ?6)", "itiiii", r->me->couple_id, in->kind, in->target,
				   in->weeks, r->me->user_id, (long long)time(NULL))
			  : db_run(w, "INSERT INTO recovery_criterion(couple_id, kind, created_by, created_at)"
				      " VALUES(?1, ?2, ?3, ?4)", "itii", r->me->couple_id, in->kind, r->me->user_id,
				   (long long)time(NULL));
	long long id = sqlite3_last_insert_rowid(w);
	if (rc == SQLITE_OK && in->text)
		rc = fk_seal(r->me->sess->couple_key, ad_text(r, id), in->text, &s) < 0 ? SQLITE_ERROR
		     : db_run(w, "UPDATE recovery_criterion SET text = ?2 WHERE id = ?1", "ib", id, s.s, s.len);
	int erc = db_write_end(&r->app->db, rc == SQLITE_OK);
	buf_release(&s);
	*id_out = id;
	return rc != SQLITE_OK ? rc : erc;
}

enum { RC_OK = 0, RC_NOT_FOUND, RC_MEASURED, RC_DB };

static int tick_store(struct req *r, long long id, bool ticked, int *rcp)
{
	sqlite3 *w = db_write_begin(&r->app->db);
	sqlite3_stmt *st = db_prepare(w, "SELECT kind = 'statement' FROM recovery_criterion WHERE id = ?1 AND couple_id = ?2",
				      "ii", id, r->me->couple_id);
	int rc = st ? sqlite3_step(st) : sqlite3_errcode(w);
	int out = rc == SQLITE_DONE ? RC_NOT_FOUND : rc != SQLITE_ROW ? RC_DB : sqlite3_column_int(st, 0) ? RC_OK : RC_MEASURED;
	sqlite3_finalize(st);
	if (out == RC_OK) {
		rc = ticked ? db_run(w, "INSERT OR IGNORE INTO recovery_tick(criterion_id, couple_id, user_id, ticked_at)"
				        " VALUES(?1, ?2, ?3, ?4)", "iiii", id, r->me->couple_id, r->me->user_id, (long long)time(NULL))
			    : db_run(w, "DELETE FROM recovery_tick WHERE criterion_id = ?1 AND couple_id = ?2 AND user_id = ?3",
				     "iii", id, r->me->couple_id, r->me->user_id);
		if (rc != SQLITE_OK)
			out = RC_DB;
	}
	int erc = db_write_end(&r->app->db, out == RC_OK);
	*rcp = out == RC_DB ? rc : erc;
	if (out == RC_OK && erc != SQLITE_OK)
		out = RC_DB;
	return out;
}

/* ---- API ---- */

static void answer_one(struct req *r, int status, long long id)
{
	json_t *arr = load_criteria(r, id);
	if (!arr)
		return;
	req_json(r, status, json_pack("{s:O}", "criterion", json_array_get(arr, 0)));
	json_decref(arr);
}

void recovery_api_list(struct req *r)
{
	if (!fk_couple_key(r))
		return;
	json_t *arr = load_criteria(r, 0);
	if (arr)
		req_json(r, 200, json_pack("{s:o}", "criteria", arr));
}

void recovery_api_create(struct req *r)
{
	static const char *const fields[] = { "kind", "text", "target", "weeks", NULL };
	struct crit_in in = { 0 };
	const char *why, *field;
	int ht, hw;
	long long id;
	if (jin_only(r, r->json, fields) < 0 || jin_str(r, r->json, "kind", true, 16, &in.kind) < 0 ||
	    jin_str(r, r->json, "text", false, TEXT_MAX, &in.text) < 0 ||
	    (ht = jin_int(r, r->json, "target", false, 0, 100, &in.target)) < 0 ||
	    (hw = jin_int(r, r->json, "weeks", false, 1, 104, &in.weeks)) < 0)
		return;
	if ((why = crit_problem(&in, ht, hw, &field))) {
		req_error(r, 400, "invalid_field", why, field);
		return;
	}
	if (!fk_couple_key(r))
		return;
	int rc = crit_store(r, &in, &id);
	if (rc != SQLITE_OK)
		req_db_error(r, rc);
	else
		answer_one(r, 201, id);
}

void recovery_api_tick(struct req *r)
{
	static const char *const fields[] = { "ticked", NULL };
	long long id = fk_param_id(r, "id", 1LL << 53);
	bool ticked;
	int rc = 0;
	if (id < 0) {
		req_error(r, 404, "not_found", "There is no such criterion.", NULL);
		return;
	}
	if (jin_only(r, r->json, fields) < 0 || jin_bool(r, r->json, "ticked", true, &ticked) < 0 || !fk_couple_key(r))
		return;
	int out = tick_store(r, id, ticked, &rc);
	if (out == RC_NOT_FOUND)
		req_error(r, 404, "not_found", "There is no such criterion.", NULL);
	else if (out == RC_MEASURED)
		req_error(r, 409, "measured", "This one is measured from your records; there is nothing to tick.", NULL);
	else if (out != RC_OK)
		req_db_error(r, rc);
	else
		answer_one(r, 200, id);
}

/* ---- pages ---- */

static const char *kind_heading(struct req *r, json_t *c)
{
	const char *kind = json_string_value(json_object_get(c, "kind"));
	long long t = json_integer_value(json_object_get(c, "target")), w = json_integer_value(json_object_get(c, "weeks"));
	if (!strcmp(kind, "connection"))
		return arena_printf(&r->arena, "Connection at %lld or more on average, over %lld weeks", t, w);
	if (!strcmp(kind, "triggers"))
		return arena_printf(&r->arena, "At most %lld major trigger%s in four weeks, over %lld weeks", t, t == 1 ? "" : "s", w);
	if (!strcmp(kind, "promises"))
		return arena_printf(&r->arena, "At least %lld%% of promises kept, over %lld weeks", t, w);
	return NULL;
}

static void show_page(struct req *r, const char *kind, const char *notice)
{
	bool locked = !r->me->sess->couple_key;
	json_t *arr = locked ? json_array() : load_criteria(r, 0);
	if (!arr)
		return;
	page_begin(r, "What recovered means for us");
	if (notice)
		ui_notice(r, kind, notice);
	if (locked)
		ui_notice(r, "attention", "Your notes are locked. Enter your recovery code in settings first.");
	html_unsafe_raw(&r->out,
		"<p>Recovery looks different for every couple. For some it means getting back what you had; for "
		"others, building something new. Deciding together how you will know helps you walk toward the "
		"same place.</p>\n"
		"<p>Some questions to talk through: what does a healed relationship look like for us? What still "
		"has to happen? How will we know trust is back? What will we do if we get stuck? Are we both "
		"content with how it is going?</p>\n");
	if (!json_array_size(arr))
		html_unsafe_raw(&r->out, "<p class=\"hint\">No criteria yet. Write the first one together below: a "
					 "sentence you both want to be able to say, or something troth can measure from "
					 "your check-ins, triggers and promises.</p>\n");
	else
		html_unsafe_raw(&r->out, "<ul class=\"criteria\">\n");
	size_t i;
	json_t *c;
	json_array_foreach(arr, i, c) {
		long long id = json_integer_value(json_object_get(c, "id"));
		const char *text = json_string_value(json_object_get(c, "text"));
		const char *head = kind_heading(r, c);
		bool met = json_is_true(json_object_get(c, "met"));
		html(&r->out, "<li id=\"criterion-%lld\" class=\"criterion%s\"><p><strong>%s</strong></p>\n", id,
		     met ? " met" : "", head ? head : text ? text : "");
		if (head && text)
			html(&r->out, "<p>%s</p>\n", text);
		html(&r->out, "<p class=\"hint\">%s %s</p>\n", json_string_value(json_object_get(c, "summary")),
		     met ? "Reached." : "Not there yet.");
		if (!strcmp(json_string_value(json_object_get(c, "kind")), "statement")) {
			bool mine = json_is_true(json_object_get(json_object_get(c, "progress"), "ticked_by_me"));
			ui_form_begin(r, arena_printf(&r->arena, "/recovery/%lld/tick", id));
			html(&r->out, "<input type=\"hidden\" name=\"ticked\" value=\"%s\">", mine ? "0" : "1");
			ui_form_end(r, mine ? "Take back my tick" : "This is true for me");
		}
		html_unsafe_raw(&r->out, "</li>\n");
	}
	if (json_array_size(arr))
		html_unsafe_raw(&r->out, "</ul>\n");
	json_decref(arr);

	html_unsafe_raw(&r->out, "<h2>Add a criterion</h2>\n");
	ui_form_begin(r, "/recovery");
	ui_radios(r, "What kind?", "kind", KINDS, fk_form(r, "kind") ? fk_form(r, "kind") : "statement");
	html(&r->out, "<p class=\"field\"><label for=\"f-text\">In your words</label>"
		      "<span class=\"hint\" id=\"h-text\">Needed for a statement, such as \"We can talk about the past "
		      "without a fight.\"</span><textarea id=\"f-text\" name=\"text\" rows=\"3\" aria-describedby=\"h-text\">%s"
		      "</textarea></p>\n", fk_form(r, "text") ? fk_form(r, "text") : "");
	ui_input(r, "Target (for a measured kind)", "target", "number", fk_form(r, "target"), "off",
		 "Connection: 1 to 10. Triggers: the most major ones in four weeks. Promises: percent kept.", 0);
	ui_input(r, "Over how many weeks (optional)", "weeks", "number", fk_form(r, "weeks"), "off",
		 "8 unless you choose; 12 for triggers.", 0);
	ui_form_end(r, "Add");
	page_end(r);
}

void recovery_page(struct req *r)
{
	show_page(r, "celebrate", kv_get(&r->query, "saved") ? "Saved." : NULL);
}

/* A whole-number form field: 1 when present (into *v), 0 absent, -1 bad. */
static int form_int(struct req *r, const char *name, long long *v)
{
	const char *s = fk_form(r, name);
	char *end;
	if (!s)
		return 0;
	if (strlen(s) > 6 || *s < '0' || *s > '9')
		return -1;
	*v = strtoll(s, &end, 10);
	return *end ? -1 : 1;
}

void recovery_post(struct req *r)
{
	struct crit_in in = { 0 };
	const char *why = NULL, *field;
	in.kind = fk_form(r, "kind") ? fk_form(r, "kind") : "";
	in.text = fk_form(r, "text");
	bool measured = rule_of(in.kind) != NULL;
	int ht = measured ? form_int(r, "target", &in.target) : 0;
	int hw = measured ? form_int(r, "weeks", &in.weeks) : 0;
	if (ht < 0 || hw < 0)
		why = "Please give the target and the weeks as whole numbers.";
	else if (in.text && !fk_text_ok(in.text, TEXT_MAX))
		why = "Your words can be up to 500 characters.";
	else if (crit_problem(&in, ht, hw, &field))
		why = !strcmp(field, "text") ? "Please write the statement you both want to be able to say."
		      : !strcmp(field, "kind") ? "Please choose what kind of criterion it is."
		      : !strcmp(field, "target") ? "Please give a target: connection 1 to 10, triggers 0 to 30, promises 1 to 100."
						 : "Please give the weeks as a number from 1 (4 for triggers) to 104.";
	else if (!r->me->sess->couple_key)
		why = "Your notes are locked. Enter your recovery code in settings first.";
	if (why) {
		r->status = 400;
		show_page(r, "attention", why);
		return;
	}
	long long id;
	int rc = crit_store(r, &in, &id);
	if (rc != SQLITE_OK)
		req_db_error(r, rc);
	else
		req_redirect(r, arena_printf(&r->arena, "/recovery?saved=1#criterion-%lld", id));
}

void recovery_tick_post(struct req *r)
{
	long long id = fk_param_id(r, "id", 1LL << 53);
	const char *t = fk_form(r, "ticked");
	int rc = 0, out = id < 0 ? RC_NOT_FOUND : tick_store(r, id, t && !strcmp(t, "1"), &rc);
	if (out == RC_NOT_FOUND)
		req_error(r, 404, "not_found", "There is no such criterion.", NULL);
	else if (out == RC_MEASURED) {
		r->status = 409;
		show_page(r, "attention", "That one is measured from your records.");
	} else if (out != RC_OK)
		req_db_error(r, rc);
	else
		req_redirect(r, arena_printf(&r->arena, "/recovery?saved=1#criterion-%lld", id));
}

void recovery_home(struct req *r)
{
	long long n = 0;
	sqlite3 *c = db_reader(&r->app->db);
	if (!c || !r->me->sess->couple_key ||
	    db_int(c, &n, "SELECT count(*) FROM recovery_criterion WHERE couple_id = ?1", "i", r->me->couple_id) != SQLITE_ROW ||
	    !n)
		return;
	json_t *arr = load_criteria(r, 0);
	if (!arr)
		return;
	size_t i, met = 0;
	json_t *x;
	json_array_foreach(arr, i, x)
		met += json_is_true(json_object_get(x, "met"));
	html(&r->out, "<section class=\"home-recovery\"><h2>What recovered means for us</h2><p>%zu of %zu reached. "
		      "<a href=\"/recovery\">See each one</a></p></section>\n", met, json_array_size(arr));
	json_decref(arr);
}
