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

#include "../auth/account.h"
#include "../db/db.h"
#include "../app.h"
#include "../auth/auth.h"
#include "../auth/vault.h"
#include "../base/caltime.h"
#include "../http/input.h"
#include "../http/jsonin.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/words.h"
#include "../ui/page.h"
#include "checkin.h"
#include "promise.h"
#include "trigger.h"

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

/* ---- progress ----
 * Measured from what the viewer may see, through each record's owner
 * (checkin.c, trigger.c, promise.c), read once per list. */

struct measures {
	bool loaded;
	struct checkin_score *ck;
	size_t nck;
	struct trigger_day *tr;
	size_t ntr;
	struct promise_outcome *pr;
	size_t npr;
	long long couple_since;  /* when the couple began, seconds since 1970 */
};

static int load_measures(struct req *r, const struct viewer *v, sqlite3 *c, struct measures *m)
{
	if (m->loaded)
		return 0;
	int rc = checkin_scores(r, v, &m->ck, &m->nck);
	if (rc == SQLITE_OK)
		rc = trigger_days(r, v, &m->tr, &m->ntr);
	if (rc == SQLITE_OK)
		rc = promise_outcomes(r, v, &m->pr, &m->npr);
	if (rc == SQLITE_OK && acct_couple_since(c, v->couple_id, &m->couple_since) != SQLITE_OK)
		rc = SQLITE_ERROR;
	m->loaded = rc == SQLITE_OK;
	return m->loaded ? 0 : -1;
}

/* True when a check-in counts for a criterion: what both partners can see,
 * a week both have checked in for, or one whose reveal time has passed. */
static bool checkin_counts(struct req *r, const struct viewer *v, const struct measures *m, size_t i)
{
	const struct checkin_score *x = &m->ck[i];
	if (!x->mine)
		return true; /* shown to the viewer: revealed, or both checked in */
	for (size_t k = 0; k < m->nck; k++)
		if (m->ck[k].week == x->week && !m->ck[k].mine)
			return true;
	struct isoweek w;
	isoweek_of(x->week, &w);
	return r->now >= checkin_reveal_at(v->tz, &w);
}

static int connection_progress(struct req *r, const struct viewer *v, const struct measures *m,
			       long long target, long long weeks, json_t *o)
{
	struct isoweek f, t;
	long today = viewer_today(r);
	isoweek_of(today - 7 * (weeks - 1), &f);
	isoweek_of(today, &t);
	long from = isoweek_monday(&f), to = isoweek_monday(&t), last = -1;
	long long n = 0, rows = 0, sum = 0;
	for (size_t i = 0; i < m->nck; i++) {
		const struct checkin_score *x = &m->ck[i];
		if (x->week < from || x->week > to || !checkin_counts(r, v, m, i))
			continue;
		rows++;
		sum += x->connection;
		if (x->week != last)
			n++;
		last = x->week;
	}
	bool any = rows > 0;
	double avg = any ? (double)sum / (double)rows : 0;
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

static int triggers_progress(struct req *r, const struct measures *m, long long target, long long weeks,
			     json_t *o)
{
	long today = viewer_today(r);
	long long blocks = (weeks + 3) / 4, worst = 0;
	json_t *per = json_array();
	for (long long k = 0; k < blocks; k++) {
		long lo = today - 28 * (long)(k + 1), hi = today - 28 * (long)k;
		long long n = 0;
		for (size_t i = 0; i < m->ntr; i++)
			n += !m->tr[i].private_mine && m->tr[i].intensity >= MAJOR_INTENSITY && m->tr[i].day > lo &&
			     m->tr[i].day <= hi;
		json_array_append_new(per, json_integer(n));
		worst = n > worst ? n : worst;
	}
	/* in use since the couple began, or since its first record (imported
	 * or older than the couple row, as in the demo) */
	long since = viewer_day_of(r, m->couple_since);
	if (m->ntr && m->tr[0].day < since)
		since = m->tr[0].day;
	if (m->nck && m->ck[0].week < since)
		since = m->ck[0].week;
	bool long_enough = today - since >= weeks * 7;
	json_object_set_new(o, "progress", json_pack("{s:I, s:o, s:b}", "most_in_four_weeks", (json_int_t)worst,
						     "per_four_weeks", per, "long_enough", long_enough));
	json_object_set_new(o, "met", json_boolean(long_enough && worst <= target));
	json_object_set_new(o, "summary", json_string(arena_printf(&r->arena,
		worst ? "At most %s in any four weeks of the last %lld weeks%s." : "%sNo major trigger in any four weeks of the last %lld weeks%s.",
		worst ? words_count(&r->arena, worst, "major trigger", "major triggers") : "", weeks,
		long_enough ? "" : " (you have not used troth that long yet)")));
	return 0;
}

static int promises_progress(struct req *r, const struct measures *m, long long target, long long weeks,
			     json_t *o)
{
	long today = viewer_today(r), lo = today - 7 * (long)weeks;
	long long total = 0, kept = 0;
	for (size_t i = 0; i < m->npr; i++)
		if (m->pr[i].kept >= 0 && m->pr[i].due > lo && m->pr[i].due <= today) {
			total++;
			kept += m->pr[i].kept;
		}
	long long pct = total ? (kept * 100 + total / 2) / total : 0;
	json_object_set_new(o, "progress", json_pack("{s:I, s:I, s:o}", "kept", (json_int_t)kept, "total", (json_int_t)total,
						     "percent", total ? json_integer(pct) : json_null()));
	json_object_set_new(o, "met", json_boolean(total > 0 && pct >= target));
	json_object_set_new(o, "summary", json_string(total ? arena_printf(&r->arena, "%lld of %lld kept (%lld%%) in the last %lld weeks.",
									    kept, total, pct, weeks)
							    : "No promises came due in these weeks yet."));
	return 0;
}

static int statement_progress(const struct viewer *v, sqlite3 *c, long long id, json_t *o)
{
	long long me = 0, partner = 0;
	if (db_int(c, &me, "SELECT count(*) FROM recovery_tick WHERE criterion_id = ?1 AND couple_id = ?2 AND user_id = ?3",
		   "iii", id, v->couple_id, v->user_id) != SQLITE_ROW ||
	    db_int(c, &partner, "SELECT count(*) FROM recovery_tick WHERE criterion_id = ?1 AND couple_id = ?2 AND user_id <> ?3",
		   "iii", id, v->couple_id, v->user_id) != SQLITE_ROW)
		return -1;
	json_object_set_new(o, "progress", json_pack("{s:b, s:b}", "ticked_by_me", me > 0, "ticked_by_partner", partner > 0));
	json_object_set_new(o, "met", json_boolean(me && partner));
	json_object_set_new(o, "summary", json_string(me && partner ? "You both say it is true."
						      : me ? "You ticked it; your partner has not yet."
						      : partner ? "Your partner ticked it; you have not yet."
								: "Neither of you has ticked it yet."));
	return 0;
}

/* Who sees a criterion: both partners of its couple (?1). */
#define CRIT_VISIBLE " FROM recovery_criterion WHERE couple_id = ?1"

/* The criteria v may see (or one, when only > 0) with progress, their
 * texts opened when texts; NULL after answering. */
static json_t *criteria(struct req *r, const struct viewer *v, long long only, bool texts)
{
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, "SELECT id, kind, text, target, weeks, created_by, created_at" CRIT_VISIBLE
					     " AND (?2 = 0 OR id = ?2) ORDER BY id", "ii", v->couple_id, only)
			     : NULL;
	if (!st) {
		req_db_error(r, c ? sqlite3_extended_errcode(c) : SQLITE_CANTOPEN);
		return NULL;
	}
	json_t *arr = json_array();
	struct measures m = { 0 };
	int bad = 0;
	while (!bad && sqlite3_step(st) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		const char *kind = (const char *)sqlite3_column_text(st, 1);
		bool measured = strcmp(kind, "statement") != 0;
		long long target = sqlite3_column_int64(st, 3), weeks = sqlite3_column_int64(st, 4);
		json_t *o = json_pack("{s:I, s:s, s:s?, s:o, s:o, s:I, s:o}", "id", (json_int_t)id, "kind", kind,
			"text", texts ? vault_open_text(&r->arena, v->couple_key, "recovery_criterion", id, "text",
							sqlite3_column_blob(st, 2), (size_t)sqlite3_column_bytes(st, 2))
				      : NULL,
			"target", measured ? json_integer(target) : json_null(), "weeks", measured ? json_integer(weeks) : json_null(),
			"created_by", (json_int_t)sqlite3_column_int64(st, 5), "created_at", json_instant(sqlite3_column_int64(st, 6)));
		if (measured)
			bad = load_measures(r, v, c, &m);
		if (!bad)
			bad = !strcmp(kind, "connection") ? connection_progress(r, v, &m, target, weeks, o)
			      : !strcmp(kind, "triggers") ? triggers_progress(r, &m, target, weeks, o)
			      : !strcmp(kind, "promises") ? promises_progress(r, &m, target, weeks, o)
							  : statement_progress(v, c, id, o);
		json_array_append_new(arr, o);
	}
	db_done(st);
	if (bad) {
		json_decref(arr);
		req_db_error(r, sqlite3_extended_errcode(c));
		return NULL;
	}
	return arr;
}

/* The criteria with their texts, for the list, one record and the page. */
static json_t *load_criteria(struct req *r, const struct viewer *v, long long only)
{
	return criteria(r, v, only, true);
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

int recovery_criterion_insert(sqlite3 *w, const unsigned char *couple_key, long long couple_id,
			      long long author, const char *kind, const char *text, long long target,
			      long long weeks, long long at, long long *id_out)
{
	*id_out = 0;
	bool measured = strcmp(kind, "statement") != 0;
	long long id;
	int rc = db_int(w, &id, "INSERT INTO recovery_criterion(couple_id, kind, target, weeks, created_by,"
			   " created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6) RETURNING id", "itIIii", couple_id, kind,
			   measured ? target : DB_NULL, measured ? weeks : DB_NULL, author, at);
	return vault_store_new_row(w, rc, id, "UPDATE recovery_criterion SET text = ?2 WHERE id = ?1", couple_key,
				   "recovery_criterion", "text", text, id_out);
}

int recovery_tick_insert(sqlite3 *w, long long couple_id, long long criterion_id, long long user_id,
			 long long at)
{
	return db_run(w, "INSERT OR IGNORE INTO recovery_tick(criterion_id, couple_id, user_id, ticked_at)"
			 " VALUES(?1, ?2, ?3, ?4)", "iiii", criterion_id, couple_id, user_id, at);
}

enum { RC_OK = 0, RC_NOT_FOUND, RC_MEASURED, RC_DB };

/* What a write from a request needs, and what came of it. */
struct rc_job {
	const struct viewer *v;
	const struct crit_in *in;
	long long id, at;
	bool ticked;
	int out;
};

static int crit_store_run(sqlite3 *w, void *arg)
{
	struct rc_job *j = arg;
	return recovery_criterion_insert(w, j->v->couple_key, j->v->couple_id, j->v->user_id, j->in->kind,
					 j->in->text, j->in->target, j->in->weeks, j->at, &j->id);
}

static int crit_store(struct req *r, const struct crit_in *in, long long *id_out)
{
	struct rc_job j = { .v = r->me, .in = in, .at = (long long)r->now };
	int rc = db_write(&r->app->db, crit_store_run, &j);
	*id_out = j.id;
	return rc;
}

static int tick_run(sqlite3 *w, void *arg)
{
	struct rc_job *j = arg;
	long long statement = 0;
	int rc = db_int(w, &statement, "SELECT kind = 'statement' FROM recovery_criterion WHERE id = ?1 AND couple_id = ?2",
			"ii", j->id, j->v->couple_id);
	if (rc == SQLITE_DONE || (rc == SQLITE_ROW && !statement)) {
		j->out = rc == SQLITE_DONE ? RC_NOT_FOUND : RC_MEASURED;
		return SQLITE_DONE;
	}
	if (rc != SQLITE_ROW)
		return rc;
	return j->ticked ? recovery_tick_insert(w, j->v->couple_id, j->id, j->v->user_id, j->at)
			 : db_run(w, "DELETE FROM recovery_tick WHERE criterion_id = ?1 AND couple_id = ?2 AND user_id = ?3",
				  "iii", j->id, j->v->couple_id, j->v->user_id);
}

static int tick_store(struct req *r, long long id, bool ticked, int *rcp)
{
	struct rc_job j = { .v = r->me, .id = id, .ticked = ticked, .at = (long long)r->now, .out = RC_OK };
	int rc = db_write(&r->app->db, tick_run, &j);
	*rcp = rc;
	if (j.out != RC_OK)
		return j.out;
	return rc == SQLITE_OK ? RC_OK : RC_DB;
}

/* ---- API ---- */

static void answer_one(struct req *r, int status, long long id)
{
	auth_json_one(r, status, "criterion", load_criteria, id);
}

void recovery_api_list(struct req *r)
{
	auth_json_list(r, "criteria", load_criteria);
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
	if (!auth_couple_key(r))
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
	long long id = req_param_id(r, "id", 1LL << 53);
	bool ticked;
	int rc = 0;
	if (id < 0) {
		req_error(r, 404, "not_found", "There is no such criterion.", NULL);
		return;
	}
	if (jin_only(r, r->json, fields) < 0 || jin_bool(r, r->json, "ticked", true, &ticked) < 0 || !auth_couple_key(r))
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
	bool locked = !r->me->couple_key;
	json_t *arr = locked ? json_array() : load_criteria(r, r->me, 0);
	if (!arr)
		return;
	ui_page_begin_notices(r, "What recovered means for us", kind, notice, locked);
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
	ui_radios(r, "What kind?", "kind", KINDS, req_form_field(r, "kind") ? req_form_field(r, "kind") : "statement");
	html(&r->out, "<p class=\"field\"><label for=\"f-text\">In your words</label>"
		      "<span class=\"hint\" id=\"h-text\">Needed for a statement, such as \"We can talk about the past "
		      "without a fight.\"</span><textarea id=\"f-text\" name=\"text\" rows=\"3\" aria-describedby=\"h-text\">%s"
		      "</textarea></p>\n", req_form_field(r, "text") ? req_form_field(r, "text") : "");
	ui_input(r, "Target (for a measured kind)", "target", "number", req_form_field(r, "target"), "off",
		 "Connection: 1 to 10. Triggers: the most major ones in four weeks. Promises: percent kept.", 0);
	ui_input(r, "Over how many weeks (optional)", "weeks", "number", req_form_field(r, "weeks"), "off",
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
	const char *s = req_form_field(r, name);
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
	struct input_err e;
	in.kind = req_form_field(r, "kind") ? req_form_field(r, "kind") : "";
	in.text = req_form_field(r, "text");
	bool measured = rule_of(in.kind) != NULL;
	int ht = measured ? form_int(r, "target", &in.target) : 0;
	int hw = measured ? form_int(r, "weeks", &in.weeks) : 0;
	if (ht < 0 || hw < 0)
		why = "Please give the target and the weeks as whole numbers.";
	else if (input_text(in.text, "text", false, TEXT_MAX, &in.text, &e) < 0)
		why = "Your words can be up to 500 characters.";
	else if (crit_problem(&in, ht, hw, &field))
		why = !strcmp(field, "text") ? "Please write the statement you both want to be able to say."
		      : !strcmp(field, "kind") ? "Please choose what kind of criterion it is."
		      : !strcmp(field, "target") ? "Please give a target: connection 1 to 10, triggers 0 to 30, promises 1 to 100."
						 : "Please give the weeks as a number from 1 (4 for triggers) to 104.";
	else if (!r->me->couple_key)
		why = auth_locked_text;
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
	long long id = req_param_id(r, "id", 1LL << 53);
	const char *t = req_form_field(r, "ticked");
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
	if (!c || !r->me->couple_key ||
	    db_int(c, &n, "SELECT count(*) FROM recovery_criterion WHERE couple_id = ?1", "i", r->me->couple_id) != SQLITE_ROW ||
	    !n)
		return;
	json_t *arr = criteria(r, r->me, 0, false); /* the card counts them: no text opened */
	if (!arr)
		return;
	size_t i, met = 0;
	json_t *x;
	json_array_foreach(arr, i, x)
		met += json_is_true(json_object_get(x, "met"));
	html(&r->out, "<p class=\"hint home-recovery\"><a href=\"/recovery\">What recovered means for us</a>: "
		      "%zu of %zu reached.</p>\n", met, json_array_size(arr));
	json_decref(arr);
}

/* ---- the export ---- */

json_t *recovery_export(struct req *r, const struct viewer *v)
{
	return load_criteria(r, v, 0);
}

/* What parting and closing an account run on this room's tables (db/db.h). */
const struct room_sql recovery_sql = {
	.shared = "SELECT 'recovery_criterion', id, 'text', text, created_by, created_at FROM "
		"recovery_criterion WHERE couple_id = ?1; ",
	.clear = "DELETE FROM recovery_tick WHERE couple_id = ?1; "
		"DELETE FROM recovery_criterion WHERE couple_id = ?1; ",
};
