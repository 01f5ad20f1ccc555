/* transparency.c: the transparency plan (see transparency.h).
 *
 * It must never become a tool of control, so the shape of the data says
 * what it can do: a plan has one creator and shares only what that creator
 * types (transparency_report.author_id is always the plan's creator; there
 * is no field naming anyone else); the partner reads the reports only while
 * the plan is active, and each read is a row in transparency_view that the
 * creator sees. No location, nothing automatic, nothing covert.
 *
 * Storage: transparency_plan (shares as a comma list, days as ISO dates,
 * the taper as JSON, the written commitments sealed under the couple key as
 * "transparency:<id>:note"), transparency_report (place and company sealed
 * as "whereabouts:<id>:where" / ":with", times as UTC seconds). Making a
 * plan asks for the password again (argon2, so deferred to the pool) and
 * ends the creator's earlier active plan ("renewed"). */
#include "transparency.h"

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
#include "account.h"

/* What a plan can share: value, label. All of it is the creator's own. */
static const char *const SHARES[] = {
	"plans", "My plans: where I am going and with whom, before I go",
	"whereabouts", "Where I am, when I am out",
	"message_history", "I keep my message history; I do not delete it",
	"device_access", "The device arrangement we agreed on",
	NULL,
};
#define NSHARES 4

static const char *const CADENCES[] = { "daily", "weekly", "as_needed", NULL };
static const char *const CADENCE_TEXT[] = { "a report every day", "a report every week",
					    "a report when plans change" };

#define TAPER_MAX 4
#define PLACE_MAX 300
#define NOTE_MAX 4000
#define REPORT_MAX_SECONDS (31LL * 86400)

struct plan_in {
	unsigned shares;          /* bit i: SHARES[2 * i] */
	long ends, review;        /* days; review -1 when none */
	int nstages;
	long until[TAPER_MAX];
	int cadence[TAPER_MAX];   /* index into CADENCES */
	const char *note;         /* may be NULL */
};

/* ---- small helpers ---- */

static int share_index(const char *s)
{
	for (int i = 0; SHARES[2 * i]; i++)
		if (!strcmp(SHARES[2 * i], s))
			return i;
	return -1;
}

static int cadence_index(const char *s)
{
	for (int i = 0; CADENCES[i]; i++)
		if (!strcmp(CADENCES[i], s))
			return i;
	return -1;
}

static const char *shares_text(struct req *r, unsigned mask)
{
	const char *out = "";
	for (int i = 0; i < NSHARES; i++)
		if (mask & (1u << i))
			out = arena_printf(&r->arena, "%s%s%s", out, *out ? "," : "", SHARES[2 * i]);
	return out;
}

static unsigned shares_mask(const char *list)
{
	unsigned m = 0;
	char one[32];
	while (list && *list) {
		size_t n = strcspn(list, ",");
		if (n < sizeof(one)) {
			memcpy(one, list, n);
			one[n] = '\0';
			int i = share_index(one);
			if (i >= 0)
				m |= 1u << i;
		}
		list += n + (list[n] == ',');
	}
	return m;
}

static const struct tz *zone(const struct req *r)
{
	return r->me->timezone ? tz_get(r->me->timezone) : NULL;
}

static void today_str(struct req *r, char out[11])
{
	date_format(viewer_today(r), out);
}

/* An instant as "YYYY-MM-DD HH:MM" on the couple's clock. */
static const char *local_time(struct req *r, long long t)
{
	const struct tz *z = zone(r);
	long long lt = t + (z ? tz_offset(z, (time_t)t) : 0);
	long long day = lt >= 0 ? lt / 86400 : -((-lt + 86399) / 86400);
	long long secs = lt - day * 86400;
	return arena_printf(&r->arena, "%s, %02lld:%02lld", words_day(&r->arena, (long)day), secs / 3600,
			    secs / 60 % 60);
}

/* "YYYY-MM-DDTHH:MM" (a form's datetime-local) on the couple's clock. */
static int local_parse(const struct req *r, const char *s, time_t *out)
{
	char d[11];
	long day;
	if (!s || strlen(s) != 16 || s[10] != 'T' || s[13] != ':')
		return -1;
	memcpy(d, s, 10);
	d[10] = '\0';
	for (int i = 11; i < 16; i++)
		if (i != 13 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int hh = (s[11] - '0') * 10 + (s[12] - '0'), mm = (s[14] - '0') * 10 + (s[15] - '0');
	if (date_parse(d, &day) < 0 || hh > 23 || mm > 59)
		return -1;
	const struct tz *z = zone(r);
	*out = z ? tz_instant(z, day, hh * 3600 + mm * 60) : (time_t)day * 86400 + hh * 3600 + mm * 60;
	return 0;
}

/* The report cadence on day `today` for a stored taper (NULL: none). */
static const char *cadence_now(const char *taper, const char *today)
{
	if (!taper)
		return NULL;
	json_t *t = json_loads(taper, 0, NULL);
	const char *out = "as_needed";
	size_t i;
	json_t *st;
	json_array_foreach(t, i, st) {
		const char *until = json_string_value(json_object_get(st, "until"));
		if (until && strcmp(until, today) >= 0) {
			int c = cadence_index(json_string_value(json_object_get(st, "reports")));
			out = c >= 0 ? CADENCES[c] : out;
			break;
		}
	}
	json_decref(t);
	return out;
}

/* Checks a plan's fields. Returns NULL, or a calm message with *field set. */
static const char *plan_problem(struct req *r, const struct plan_in *p, const char **field)
{
	long today = viewer_today(r);
	if (!p->shares) {
		*field = "shares";
		return "Please choose at least one thing to share.";
	}
	if (p->ends <= today || p->ends > today + TRANSPARENCY_MAX_DAYS) {
		*field = "ends_on";
		return "The end date is a day after today and at most 90 days away. To go on longer, renew the plan then.";
	}
	if (p->review >= 0 && (p->review < today || p->review > p->ends)) {
		*field = "review_on";
		return "The review date is between today and the end date.";
	}
	long prev = today - 1;
	for (int i = 0; i < p->nstages; i++) {
		if (p->until[i] <= prev || p->until[i] > p->ends) {
			*field = arena_printf(&r->arena, "taper.%d.until", i);
			return "Each step of the taper ends later than the one before, and no later than the plan.";
		}
		prev = p->until[i];
	}
	return NULL;
}

/* Reads the plan fields of a JSON body (the password is read by the caller).
 * Returns 0, or -1 after answering 400. */
static int plan_from_json(struct req *r, struct plan_in *p)
{
	const char *ends_on, *review_on, *field, *why;
	memset(p, 0, sizeof(*p));
	p->review = -1;
	json_t *shares = json_object_get(r->json, "shares");
	size_t i;
	json_t *v;
	if (!json_is_array(shares) || !json_array_size(shares) || json_array_size(shares) > NSHARES) {
		req_error(r, 400, "invalid_field", "shares is a list of plans, whereabouts, message_history, device_access.", "shares");
		return -1;
	}
	json_array_foreach(shares, i, v) {
		int k = json_is_string(v) ? share_index(json_string_value(v)) : -1;
		if (k < 0 || (p->shares & (1u << k))) {
			req_error(r, 400, "invalid_field", "shares is a list of plans, whereabouts, message_history, device_access, each once.",
				  arena_printf(&r->arena, "shares.%zu", i));
			return -1;
		}
		p->shares |= 1u << k;
	}
	if (jin_str(r, r->json, "ends_on", true, 10, &ends_on) < 0 ||
	    jin_str(r, r->json, "review_on", false, 10, &review_on) < 0 ||
	    jin_str(r, r->json, "commitments", false, NOTE_MAX, &p->note) < 0)
		return -1;
	if (date_parse(ends_on, &p->ends) < 0) {
		req_error(r, 400, "invalid_field", "ends_on is a date like 2026-09-30.", "ends_on");
		return -1;
	}
	if (review_on && date_parse(review_on, &p->review) < 0) {
		req_error(r, 400, "invalid_field", "review_on is a date like 2026-09-30.", "review_on");
		return -1;
	}
	json_t *taper = json_object_get(r->json, "taper");
	if (taper && !json_is_null(taper)) {
		if (!json_is_array(taper) || json_array_size(taper) > TAPER_MAX) {
			req_error(r, 400, "invalid_field", "taper is a list of at most four {\"until\",\"reports\"}.", "taper");
			return -1;
		}
		json_array_foreach(taper, i, v) {
			const char *until = json_string_value(json_object_get(v, "until"));
			const char *rep = json_string_value(json_object_get(v, "reports"));
			/* the step, or the one key of it that is wrong */
			const char *part = !json_is_object(v) || json_object_size(v) != 2 ? ""
					   : !until || date_parse(until, &p->until[i]) < 0 ? ".until"
					   : !rep || (p->cadence[i] = cadence_index(rep)) < 0 ? ".reports" : NULL;
			if (part) {
				req_error(r, 400, "invalid_field", "Each taper step is {\"until\":\"YYYY-MM-DD\",\"reports\":"
						  "\"daily\"|\"weekly\"|\"as_needed\"}.",
					  arena_printf(&r->arena, "taper.%zu%s", i, part));
				return -1;
			}
			p->nstages = (int)i + 1;
		}
	}
	if ((why = plan_problem(r, p, &field))) {
		req_error(r, 400, "invalid_field", why, field);
		return -1;
	}
	return 0;
}

static const char *taper_text(struct req *r, const struct plan_in *p)
{
	if (!p->nstages)
		return NULL;
	json_t *a = json_array();
	for (int i = 0; i < p->nstages; i++) {
		char d[11];
		date_format(p->until[i], d);
		json_array_append_new(a, json_pack("{s:s, s:s}", "until", d, "reports", CADENCES[p->cadence[i]]));
	}
	char *s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	const char *out = arena_strdup(&r->arena, s);
	free(s);
	return out;
}

/* ---- the store ---- */

/* The partner's answer to an offered plan, and the home card for an offer
 * that waits for the viewer (at the end of this file). */
static void plan_answer_json(struct req *r, const struct viewer *v, json_t *plan, sqlite3_stmt *st, int col);
static void offer_sections(struct req *r, json_t *plans);

/* Who sees a plan: both partners of its couple (?1). */
#define PLANS_VISIBLE " FROM transparency_plan p WHERE p.couple_id = ?1"
/* Who sees a report: its author, who is always the plan's creator (?2
 * the viewer), and the partner only while the plan is active (?3 today). */
#define REPORTS_VISIBLE \
	" FROM transparency_report t JOIN transparency_plan p ON p.id = t.plan_id AND p.couple_id = ?1" \
	" WHERE t.couple_id = ?1 AND t.author_id = p.creator_id" \
	" AND (p.creator_id = ?2 OR (p.agreed_at IS NOT NULL AND p.stopped_at IS NULL AND p.ends_on >= ?3))"

int transparency_plan_insert(sqlite3 *w, const unsigned char *couple_key, long long couple_id,
			     long long creator, const char *shares, const char *starts_on,
			     const char *ends_on, const char *review_on, const char *taper,
			     const char *note, long long at, long long *id_out)
{
	*id_out = 0;
	long long id;
	int rc = db_int(w, &id, "INSERT INTO transparency_plan(couple_id, creator_id, shares, starts_on,"
			   " ends_on, review_on, taper, created_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
			   "iittttti", couple_id, creator, shares, starts_on, ends_on, review_on, taper, at);
	return vault_store_new_row(w, rc, id, "UPDATE transparency_plan SET note = ?2 WHERE id = ?1", couple_key,
				   "transparency", "note", note, id_out);
}

int transparency_report_insert(sqlite3 *w, const unsigned char *couple_key, long long couple_id,
			       long long plan_id, long long author, const char *where, const char *with,
			       long long from, long long until, long long at, long long *id_out)
{
	*id_out = 0;
	int rc = db_run(w, "INSERT INTO transparency_report(couple_id, plan_id, author_id, place, from_at, until_at,"
			   " created_at) VALUES(?1, ?2, ?3, X'', ?4, ?5, ?6)", "iiiiii", couple_id, plan_id,
			author, from, until, at);
	if (rc != SQLITE_OK)
		return rc;
	long long id = sqlite3_last_insert_rowid(w);
	struct buf a = BUF_INIT, b = BUF_INIT;
	rc = vault_seal_row(couple_key, "whereabouts", id, "where", where, &a) < 0 ||
	     vault_seal_row(couple_key, "whereabouts", id, "with", with, &b) < 0
	     ? SQLITE_ERROR
	     : db_run(w, "UPDATE transparency_report SET place = ?2, company = ?3 WHERE id = ?1", "iBB", id, &a, &b);
	buf_release(&a);
	buf_release(&b);
	if (rc == SQLITE_OK)
		*id_out = id;
	return rc;
}

int transparency_view_insert(sqlite3 *w, long long couple_id, long long plan_id, long long viewer,
			     long long at)
{
	return db_run(w, "INSERT INTO transparency_view(couple_id, plan_id, viewer_id, viewed_at) VALUES(?1, ?2, ?3, ?4)",
		      "iiii", couple_id, plan_id, viewer, at);
}

int transparency_plan_spans(struct req *r, const struct viewer *v, struct transparency_span **out,
			    size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, "SELECT starts_on, ends_on, stopped_at, coalesce(stopped_by = creator_id, 0)"
					     PLANS_VISIBLE " AND p.agreed_at IS NOT NULL ORDER BY id", "i", v->couple_id) : NULL;
	if (!st)
		return c ? sqlite3_extended_errcode(c) : SQLITE_CANTOPEN;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long from, to;
		if (date_parse((const char *)sqlite3_column_text(st, 0), &from) < 0 ||
		    date_parse((const char *)sqlite3_column_text(st, 1), &to) < 0)
			continue;
		*out = arena_grow(&r->arena, *out, *n, &cap, sizeof(**out));
		(*out)[(*n)++] = (struct transparency_span){
			from, to, sqlite3_column_type(st, 2) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 2),
			sqlite3_column_int(st, 3) != 0 };
	}
	db_done(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

struct tp_job {
	const struct viewer *v;
	const struct plan_in *p;
	const char *today, *where, *with, *shares, *taper;
	long long id, at, from, until;
	int out, changes;
};

static int plan_store_run(sqlite3 *w, void *arg)
{
	struct tp_job *j = arg;
	const struct plan_in *p = j->p;
	char ends[11], review[11];
	date_format(p->ends, ends);
	if (p->review >= 0)
		date_format(p->review, review);
	/* a new offer takes the place of an earlier one still waiting; the
	 * plan that is on stays on until the partner agrees to the new one */
	int rc = db_run(w, "UPDATE transparency_plan SET stopped_at = ?3, stopped_by = ?2"
			   " WHERE couple_id = ?1 AND creator_id = ?2 AND agreed_at IS NULL AND declined_at IS NULL"
			   " AND stopped_at IS NULL", "iii", j->v->couple_id, j->v->user_id, j->at);
	if (rc == SQLITE_OK)
		rc = transparency_plan_insert(w, j->v->couple_key, j->v->couple_id, j->v->user_id, j->shares,
					      j->today, ends, p->review >= 0 ? review : NULL, j->taper, p->note,
					      j->at, &j->id);
	return rc;
}

/* Makes the plan, ending the creator's earlier active plan. */
static int plan_store(struct req *r, const struct plan_in *p, long long *id_out)
{
	char today[11];
	today_str(r, today);
	struct tp_job j = { .v = r->me, .p = p, .today = today, .shares = shares_text(r, p->shares),
			    .taper = taper_text(r, p), .at = (long long)r->now };
	int rc = db_write(&r->app->db, plan_store_run, &j);
	*id_out = j.id;
	return rc;
}

/* The plans v may see (or one, when only > 0), newest first, as JSON; NULL
 * with *rc set after a storage error. */
static json_t *plans_read(struct req *r, const struct viewer *v, long long only, int *rc)
{
	char today[11];
	today_str(r, today);
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, "SELECT id, creator_id, shares, starts_on, ends_on, review_on, taper, note,"
					     " created_at, stopped_at, stopped_by, renewed,"
					     " agreed_at IS NOT NULL AND stopped_at IS NULL AND ends_on >= ?2,"
					     " (SELECT count(*) FROM transparency_view v WHERE v.plan_id = p.id AND v.couple_id = ?1),"
					     " agreed_by, agreed_at, declined_by, declined_at, decline_word"
					     PLANS_VISIBLE " AND (?3 = 0 OR id = ?3)"
					     " ORDER BY id DESC LIMIT 100", "iti", v->couple_id, today, only) : NULL;
	if (!st) {
		*rc = c ? sqlite3_extended_errcode(c) : SQLITE_CANTOPEN;
		return NULL;
	}
	json_t *arr = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0), creator = sqlite3_column_int64(st, 1);
		unsigned mask = shares_mask((const char *)sqlite3_column_text(st, 2));
		bool active = sqlite3_column_int(st, 12);
		bool stopped = sqlite3_column_type(st, 9) != SQLITE_NULL;
		bool agreed = sqlite3_column_type(st, 15) != SQLITE_NULL;
		bool declined = sqlite3_column_type(st, 17) != SQLITE_NULL;
		const char *taper = (const char *)sqlite3_column_text(st, 6);
		const char *offer = declined ? "declined" : stopped ? "withdrawn"
				    : strcmp((const char *)sqlite3_column_text(st, 4), today) < 0 ? "ended" : "proposed";
		json_t *shares = json_array();
		for (int i = 0; i < NSHARES; i++)
			if (mask & (1u << i))
				json_array_append_new(shares, json_string(SHARES[2 * i]));
		json_t *plan = json_pack("{s:I, s:I, s:b, s:o, s:s, s:s, s:s?, s:o, s:s?, s:s, s:s?, s:o,"
						     " s:o, s:o, s:I}",
			"id", (json_int_t)id, "creator_id", (json_int_t)creator, "mine", creator == v->user_id,
			"shares", shares, "starts_on", (const char *)sqlite3_column_text(st, 3),
			"ends_on", (const char *)sqlite3_column_text(st, 4), "review_on", (const char *)sqlite3_column_text(st, 5),
			"taper", taper ? json_loads(taper, 0, NULL) : json_null(),
			"commitments", vault_open_text(&r->arena, v->couple_key, "transparency", id, "note",
						       sqlite3_column_blob(st, 7), (size_t)sqlite3_column_bytes(st, 7)),
			"status", !agreed ? offer : active ? "active" : sqlite3_column_int(st, 11) ? "renewed"
				  : stopped ? "stopped" : "ended",
			"reports_now", active || (!agreed && !strcmp(offer, "proposed")) ? cadence_now(taper, today) : NULL,
			"created_at", json_instant(sqlite3_column_int64(st, 8)),
			"stopped_at", json_instant_if(stopped, sqlite3_column_int64(st, 9)),
			"stopped_by", stopped ? json_integer(sqlite3_column_int64(st, 10)) : json_null(),
			"views", (json_int_t)sqlite3_column_int64(st, 13));
		plan_answer_json(r, v, plan, st, 14);
		json_array_append_new(arr, plan);
	}
	db_done(st);
	return arr;
}

/* plans_read, answering a storage error (then NULL). */
static json_t *load_plans(struct req *r, const struct viewer *v, long long only)
{
	int rc;
	json_t *arr = plans_read(r, v, only, &rc);
	if (!arr)
		req_db_error(r, rc);
	return arr;
}

enum { TP_OK = 0, TP_NOT_FOUND, TP_NO_PLAN, TP_DB, TP_OWN, TP_NOT_OPEN };

/* How the API answers an outcome other than TP_OK; any other is TP_DB. */
static const struct req_refusal REFUSALS[] = {
	{ TP_NOT_FOUND, 404, "not_found", "There is no such plan.", NULL },
	{ TP_OWN, 403, "not_allowed", "Your partner agrees to the plan you offer; you cannot agree to your own.", NULL },
	{ TP_NOT_OPEN, 409, "not_open", "This plan is not waiting for an answer any more.", NULL },
	{ TP_NO_PLAN, 409, "no_active_plan",
	  "Reports belong to your own active transparency plan that shares plans or whereabouts, and you have none right now.",
	  NULL },
	{ 0 },
};

/* Runs a job that may end in an outcome other than TP_OK (then rolled
 * back); *rcp gets the SQLite code for TP_DB. */
static int run_outcome(struct req *r, int (*fn)(sqlite3 *, void *), struct tp_job *j, int *rcp)
{
	return db_write_outcome(&r->app->db, fn, j, &j->out, TP_DB, rcp);
}

static int plan_stop_run(sqlite3 *w, void *arg)
{
	struct tp_job *j = arg;
	long long exists = 0;
	int rc = db_int(w, &exists, "SELECT count(*) FROM transparency_plan WHERE id = ?1 AND couple_id = ?2", "ii",
			j->id, j->v->couple_id);
	if (rc != SQLITE_ROW)
		return rc;
	if (!exists) {
		j->out = TP_NOT_FOUND;
		return SQLITE_DONE;
	}
	return db_run(w, "UPDATE transparency_plan SET stopped_at = ?3, stopped_by = ?4"
			 " WHERE id = ?1 AND couple_id = ?2 AND stopped_at IS NULL AND ends_on >= ?5", "iiiit",
		      j->id, j->v->couple_id, j->at, j->v->user_id, j->today);
}

/* Stops plan id (either partner). Stopping a plan that already ended
 * changes nothing. */
static int plan_stop(struct req *r, long long id, int *rcp)
{
	char today[11];
	today_str(r, today);
	struct tp_job j = { .v = r->me, .id = id, .today = today, .at = (long long)r->now };
	return run_outcome(r, plan_stop_run, &j, rcp);
}

static int report_store_run(sqlite3 *w, void *arg)
{
	struct tp_job *j = arg;
	long long plan = 0;
	int rc = db_int(w, &plan, "SELECT id FROM transparency_plan WHERE couple_id = ?1 AND creator_id = ?2"
				  " AND agreed_at IS NOT NULL AND stopped_at IS NULL AND ends_on >= ?3"
				  " AND (instr(shares, 'plans') > 0 OR instr(shares, 'whereabouts') > 0)"
				  " ORDER BY id DESC LIMIT 1", "iit", j->v->couple_id, j->v->user_id, j->today);
	if (rc == SQLITE_DONE) {
		j->out = TP_NO_PLAN;
		return SQLITE_DONE;
	}
	if (rc != SQLITE_ROW)
		return rc;
	return transparency_report_insert(w, j->v->couple_key, j->v->couple_id, plan, j->v->user_id, j->where,
					  j->with, j->from, j->until, j->at, &j->id);
}

/* Stores a report of the viewer's own; only the creator of an active plan
 * that shares plans or whereabouts may. */
static int report_store(struct req *r, const char *where, const char *with, long long from, long long until,
			long long *id_out, int *rcp)
{
	char today[11];
	today_str(r, today);
	struct tp_job j = { .v = r->me, .today = today, .where = where, .with = with, .from = from,
			    .until = until, .at = (long long)r->now };
	int out = run_outcome(r, report_store_run, &j, rcp);
	*id_out = j.id;
	return out;
}

static int log_view_run(sqlite3 *w, void *arg)
{
	struct tp_job *j = arg;
	int rc = db_run(w, "INSERT INTO transparency_view(couple_id, plan_id, viewer_id, viewed_at)"
			   " SELECT ?1, id, ?2, ?3 FROM transparency_plan WHERE couple_id = ?1 AND creator_id <> ?2"
			   " AND agreed_at IS NOT NULL AND stopped_at IS NULL AND ends_on >= ?4", "iiit", j->v->couple_id, j->v->user_id,
			j->at, j->today);
	j->changes = rc == SQLITE_OK ? sqlite3_changes(w) : 0;
	return rc;
}

/* Reports as JSON, as v may see them. partner: the partner's reports
 * (under their active plans; the view is logged, one row per plan read);
 * else v's own reports under any of their plans. NULL after answering. */
static json_t *load_reports(struct req *r, const struct viewer *v, bool partner, bool *logged)
{
	char today[11];
	today_str(r, today);
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, "SELECT t.id, t.plan_id, t.place, t.company, t.from_at, t.until_at, t.created_at"
					     REPORTS_VISIBLE " AND (p.creator_id = ?2) = ?4"
					     " ORDER BY t.from_at DESC, t.id DESC LIMIT 200",
					  "iiti", v->couple_id, v->user_id, today, (long long)!partner) : NULL;
	if (!st) {
		req_db_error(r, c ? sqlite3_extended_errcode(c) : SQLITE_CANTOPEN);
		return NULL;
	}
	json_t *arr = json_array();
	const unsigned char *ck = v->couple_key;
	while (sqlite3_step(st) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		json_array_append_new(arr, json_pack("{s:I, s:I, s:s?, s:s?, s:o, s:o, s:o}", "id", (json_int_t)id,
			"plan_id", (json_int_t)sqlite3_column_int64(st, 1),
			"where", vault_open_text(&r->arena, ck, "whereabouts", id, "where", sqlite3_column_blob(st, 2),
						 (size_t)sqlite3_column_bytes(st, 2)),
			"with", vault_open_text(&r->arena, ck, "whereabouts", id, "with", sqlite3_column_blob(st, 3),
						(size_t)sqlite3_column_bytes(st, 3)),
			"from", json_instant(sqlite3_column_int64(st, 4)), "until", json_instant(sqlite3_column_int64(st, 5)),
			"created_at", json_instant(sqlite3_column_int64(st, 6))));
	}
	db_done(st);
	if (!partner)
		return arr;
	/* the partner looked: one view per active plan of theirs, reports or not */
	struct tp_job j = { .v = v, .today = today, .at = (long long)r->now };
	int rc = db_write(&r->app->db, log_view_run, &j);
	if (rc != SQLITE_OK) {
		json_decref(arr);
		req_db_error(r, rc);
		return NULL;
	}
	*logged = j.changes > 0;
	return arr;
}

/* ---- re-authentication (deferred) ---- */

/* The password typed again (account_check_password). First call: defers
 * the check (returns 1, or -1 after answering 429/5xx). Second call: 0
 * when the password was right, -2 when not (the caller answers). */
static int reauth(struct req *r, const char *password)
{
	int a = account_check_password(r, password);
	if (a < 0)
		return -1;
	if (!r->defer_done)
		return 1;
	return a ? 0 : -2;
}

/* ---- API ---- */

static void answer_plan(struct req *r, int status, long long id)
{
	auth_json_one(r, status, "plan", load_plans, id);
}

void transparency_api_list(struct req *r)
{
	auth_json_list(r, "plans", load_plans);
}

void transparency_api_create(struct req *r)
{
	static const char *const fields[] = { "password", "shares", "ends_on", "review_on", "taper", "commitments", NULL };
	const char *password;
	struct plan_in p;
	long long id;
	if (jin_only(r, r->json, fields) < 0 || jin_str(r, r->json, "password", true, 256, &password) < 0 ||
	    plan_from_json(r, &p) < 0 || !auth_couple_key(r))
		return;
	int a = reauth(r, password);
	if (a == -2)
		req_error(r, 403, "reauth_failed", "Your password was not right. A plan starts only with your password.", "password");
	if (a)
		return;
	int rc = plan_store(r, &p, &id);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	answer_plan(r, 201, id);
}

void transparency_api_stop(struct req *r)
{
	long long id = req_param_id(r, "id", 1LL << 53);
	int rc = 0, out = id < 0 ? TP_NOT_FOUND : TP_OK;
	if (!auth_couple_key(r))
		return;
	if (out == TP_OK)
		out = plan_stop(r, id, &rc);
	if (out != TP_OK)
		req_refuse_or_db(r, REFUSALS, out, rc);
	else
		answer_plan(r, 200, id);
}

void transparency_api_views(struct req *r)
{
	long long id = req_param_id(r, "id", 1LL << 53), exists = 0;
	sqlite3 *c = db_reader(&r->app->db);
	if (!c) {
		req_db_error(r, c ? sqlite3_extended_errcode(c) : SQLITE_CANTOPEN);
		return;
	}
	if (id < 0 || db_int(c, &exists, "SELECT count(*) FROM transparency_plan WHERE id = ?1 AND couple_id = ?2", "ii",
			     id, r->me->couple_id) != SQLITE_ROW || !exists) {
		req_refuse(r, REFUSALS, TP_NOT_FOUND);
		return;
	}
	sqlite3_stmt *st = db_prepare(c, "SELECT viewer_id, viewed_at FROM transparency_view WHERE plan_id = ?1"
					 " AND couple_id = ?2 ORDER BY viewed_at DESC, id DESC", "ii", id, r->me->couple_id);
	if (!st) {
		req_db_error(r, c ? sqlite3_extended_errcode(c) : SQLITE_CANTOPEN);
		return;
	}
	json_t *arr = json_array();
	while (sqlite3_step(st) == SQLITE_ROW)
		json_array_append_new(arr, json_pack("{s:I, s:o}", "viewer_id", (json_int_t)sqlite3_column_int64(st, 0),
						     "at", json_instant(sqlite3_column_int64(st, 1))));
	db_done(st);
	req_json(r, 200, json_pack("{s:I, s:I, s:o}", "plan_id", (json_int_t)id, "count",
				   (json_int_t)json_array_size(arr), "views", arr));
}

/* Checks a report's times; NULL or a message with *field set. */
static const char *report_problem(time_t now, time_t from, time_t until, const char **field)
{
	if (until < from || until - from > REPORT_MAX_SECONDS) {
		*field = "until";
		return "until is after from, and at most 31 days later.";
	}
	if (from < now - 366 * 86400LL || from > now + 366 * 86400LL) {
		*field = "from";
		return "from is within a year of today.";
	}
	return NULL;
}

void transparency_api_whereabouts_create(struct req *r)
{
	static const char *const fields[] = { "where", "with", "from", "until", NULL };
	const char *where, *with, *from_s, *until_s, *why, *field;
	time_t from, until;
	long long id;
	int rc;
	if (jin_only(r, r->json, fields) < 0 || jin_str(r, r->json, "where", true, PLACE_MAX, &where) < 0 ||
	    jin_str(r, r->json, "with", false, PLACE_MAX, &with) < 0 ||
	    jin_str(r, r->json, "from", true, 40, &from_s) < 0 || jin_str(r, r->json, "until", true, 40, &until_s) < 0)
		return;
	if (instant_parse(from_s, &from) < 0) {
		req_error(r, 400, "invalid_field", "from is a time like 2026-09-30T18:00:00Z.", "from");
		return;
	}
	if (instant_parse(until_s, &until) < 0) {
		req_error(r, 400, "invalid_field", "until is a time like 2026-09-30T22:00:00Z.", "until");
		return;
	}
	if ((why = report_problem(r->now, from, until, &field))) {
		req_error(r, 400, "invalid_field", why, field);
		return;
	}
	if (!auth_couple_key(r))
		return;
	int out = report_store(r, where, with, (long long)from, (long long)until, &id, &rc);
	if (out != TP_OK) {
		req_refuse_or_db(r, REFUSALS, out, rc);
		return;
	}
	req_json(r, 201, json_pack("{s:{s:I, s:s, s:s?, s:o, s:o}}", "report", "id", (json_int_t)id, "where", where,
				   "with", with, "from", json_instant(from), "until", json_instant(until)));
}

void transparency_api_whereabouts_list(struct req *r)
{
	bool logged = false;
	if (!auth_couple_key(r))
		return;
	json_t *mine = load_reports(r, r->me, false, NULL);
	if (!mine)
		return;
	json_t *theirs = load_reports(r, r->me, true, &logged);
	if (!theirs) {
		json_decref(mine);
		return;
	}
	req_json(r, 200, json_pack("{s:o, s:o, s:b}", "partner", theirs, "mine", mine, "logged", logged));
}

/* ---- pages ---- */

struct form_keep {
	const char *kind, *notice; /* a notice to show first */
};

static const char *share_label(const char *key)
{
	int i = share_index(key);
	return i >= 0 ? SHARES[2 * i + 1] : key;
}

static void print_reports(struct req *r, json_t *reps, const char *empty)
{
	if (!json_array_size(reps)) {
		html(&r->out, "<p class=\"hint\">%s</p>\n", empty);
		return;
	}
	html_unsafe_raw(&r->out, "<ul class=\"reports\">\n");
	size_t i;
	json_t *x;
	json_array_foreach(reps, i, x) {
		const char *where = json_string_value(json_object_get(x, "where"));
		const char *with = json_string_value(json_object_get(x, "with"));
		/* "Friday 4 December 2026, 18:00 – 20:00" within a day */
		const char *from = local_time(r, json_instant_value(json_object_get(x, "from")));
		const char *until = local_time(r, json_instant_value(json_object_get(x, "until")));
		size_t day_len = strlen(from) - 5; /* the day and ", " before "HH:MM" */
		if (!strncmp(from, until, day_len))
			until += day_len;
		html(&r->out, "<li>%s – %s: %s", from, until, where ? where : "");
		if (with)
			html(&r->out, ", with %s", with);
		html_unsafe_raw(&r->out, "</li>\n");
	}
	html_unsafe_raw(&r->out, "</ul>\n");
}

/* A day field of a plan's JSON ("YYYY-MM-DD") in words. */
static const char *plan_day(struct req *r, json_t *p, const char *key)
{
	return words_iso_day(&r->arena, json_string_value(json_object_get(p, key)));
}

static void print_plan_terms(struct req *r, json_t *p)
{
	size_t i;
	json_t *s;
	html_unsafe_raw(&r->out, "<ul>\n");
	json_array_foreach(json_object_get(p, "shares"), i, s)
		html(&r->out, "<li>%s</li>\n", share_label(json_string_value(s)));
	html_unsafe_raw(&r->out, "</ul>\n");
	const char *note = json_string_value(json_object_get(p, "commitments"));
	if (note)
		html(&r->out, "<p>%s</p><blockquote>%s</blockquote>\n",
		     json_is_true(json_object_get(p, "mine")) ? "In your own words:" : "In their own words:", note);
	if (!strcmp(json_string_value(json_object_get(p, "status")), "proposed"))
		html(&r->out, "<p class=\"hint\">It starts on the day it is agreed, and ends on %s",
		     plan_day(r, p, "ends_on"));
	else
		html(&r->out, "<p class=\"hint\">Started on %s, ends on %s", plan_day(r, p, "starts_on"),
		     plan_day(r, p, "ends_on"));
	if (json_string_value(json_object_get(p, "review_on")))
		html(&r->out, ", review together on %s", plan_day(r, p, "review_on"));
	html_unsafe_raw(&r->out, ".</p>\n");
	const char *now = json_string_value(json_object_get(p, "reports_now"));
	int c = now ? cadence_index(now) : -1;
	if (c >= 0) {
		/* the steps still to come, in a sentence: "For now: a report
		 * every day until …. Then a report every week until …. After
		 * that, until the plan ends: a report when plans change." */
		char today[11];
		today_str(r, today);
		int k = 0;
		json_array_foreach(json_object_get(p, "taper"), i, s) {
			const char *until = json_string_value(json_object_get(s, "until"));
			int sc = cadence_index(json_string_value(json_object_get(s, "reports")));
			if (!until || strcmp(until, today) < 0 || sc < 0)
				continue;
			html(&r->out, k++ ? " Then %s until %s." : "<p class=\"hint\">For now: %s until %s.",
			     CADENCE_TEXT[sc], plan_day(r, s, "until"));
		}
		if (k)
			html(&r->out, " After that, until the plan ends: %s.</p>\n", CADENCE_TEXT[2]);
		else
			html(&r->out, "<p class=\"hint\">For now: %s.</p>\n", CADENCE_TEXT[c]);
	}
}

static void print_view_log(struct req *r, long long plan)
{
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, "SELECT viewed_at FROM transparency_view WHERE plan_id = ?1 AND couple_id = ?2"
					     " ORDER BY viewed_at DESC, id DESC LIMIT 50", "ii", plan, r->me->couple_id) : NULL;
	if (!st)
		return;
	int n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (!n++)
			html_unsafe_raw(&r->out, "<details class=\"view-log\"><summary>When your partner read your updates</summary><ul>\n");
		html(&r->out, "<li>%s</li>\n", local_time(r, sqlite3_column_int64(st, 0)));
	}
	db_done(st);
	if (n)
		html_unsafe_raw(&r->out, "</ul></details>\n");
}

static void stop_form(struct req *r, long long id, const char *button)
{
	ui_form_begin(r, arena_printf(&r->arena, "/transparency/%lld/stop", id));
	ui_form_end(r, button);
}

static void share_checkboxes(struct req *r)
{
	html_unsafe_raw(&r->out, "<fieldset class=\"choices\"><legend>What I will share</legend>\n");
	for (int i = 0; SHARES[2 * i]; i++) {
		bool on = false;
		for (size_t k = 0; k < r->form.n; k++)
			if (!strcmp(r->form.v[k].key, "shares") && !strcmp(r->form.v[k].val, SHARES[2 * i]))
				on = true;
		html(&r->out, "<label><input type=\"checkbox\" name=\"shares\" value=\"%s\"%s> %s</label>\n", SHARES[2 * i],
		     on ? " checked" : "", SHARES[2 * i + 1]);
	}
	html_unsafe_raw(&r->out, "</fieldset>\n");
}

static void plans_page(struct req *r, const char *kind, const char *notice)
{
	bool locked = !r->me->couple_key;
	json_t *plans = locked ? json_array() : load_plans(r, r->me, 0);
	if (!plans)
		return;
	bool partner_active = false, mine_active = false;
	size_t i;
	json_t *p;
	json_array_foreach(plans, i, p) {
		bool active = !strcmp(json_string_value(json_object_get(p, "status")), "active");
		bool mine = json_is_true(json_object_get(p, "mine"));
		partner_active |= active && !mine;
		mine_active |= active && mine;
	}
	bool logged = false;
	json_t *theirs = partner_active ? load_reports(r, r->me, true, &logged) : json_array();
	json_t *mine = mine_active ? load_reports(r, r->me, false, NULL) : json_array();
	if (!theirs || !mine) {
		json_decref(plans);
		json_decref(theirs);
		json_decref(mine);
		return;
	}
	page_begin(r, "Transparency plan");
	if (notice)
		ui_notice(r, kind, notice);
	if (locked)
		ui_notice(r, "attention", auth_locked_text);
	html_unsafe_raw(&r->out,
		"<p>A transparency plan is one partner's own offer: for a while, I tell you my plans and where I "
		"am, and I keep what we agreed about messages and devices. Only what I type is shared. troth never "
		"locates anyone and never reads a phone.</p>\n"
		"<p>A plan ends by a set day, at most 90 days away, and can step down as trust grows. Either of you "
		"can stop it at any time. Each time the partner reads the reports, the one sharing can see it.</p>\n"
		"<p>A plan starts only when the partner agrees to its terms.</p>\n");
	offer_sections(r, plans);

	json_array_foreach(plans, i, p) {
		if (strcmp(json_string_value(json_object_get(p, "status")), "active"))
			continue;
		long long id = json_integer_value(json_object_get(p, "id"));
		if (json_is_true(json_object_get(p, "mine"))) {
			long long views = json_integer_value(json_object_get(p, "views"));
			html(&r->out, "<section class=\"notice notice-info transparency-on\" id=\"plan-%lld\">"
				      "<h2>Your plan is on</h2>\n<p>You are sharing, until %s:</p>\n", id,
			     plan_day(r, p, "ends_on"));
			print_plan_terms(r, p);
			if (views)
				html(&r->out, "<p>Your partner has read your updates %s, as you both agreed.</p>\n",
				     words_count(&r->arena, views, "time", "times"));
			else
				html_unsafe_raw(&r->out, "<p>Your partner has not read your updates yet.</p>\n");
			print_view_log(r, id);
			stop_form(r, id, "Stop my plan now");
			html_unsafe_raw(&r->out, "</section>\n");
		} else {
			html(&r->out, "<section class=\"transparency-partner\" id=\"plan-%lld\"><h2>Your partner's plan</h2>\n"
				      "<p>Your partner offered to share, until %s:</p>\n", id,
			     plan_day(r, p, "ends_on"));
			print_plan_terms(r, p);
			html_unsafe_raw(&r->out, "<h3>What your partner told you</h3>\n");
			print_reports(r, theirs, "Nothing reported yet.");
			html_unsafe_raw(&r->out, "<p class=\"hint\">As you both agreed, your partner can see when you read "
						 "this page. Reading is part of the plan, not a mark against anyone.</p>\n");
			stop_form(r, id, "Stop this plan");
			html_unsafe_raw(&r->out, "</section>\n");
		}
	}

	if (mine_active) {
		html_unsafe_raw(&r->out, "<h2>Tell your partner your plans</h2>\n");
		ui_form_begin(r, "/transparency/reports");
		ui_input(r, "Where", "where", "text", req_form_field(r, "where"), "off", NULL, 1);
		ui_input(r, "With whom (optional)", "with", "text", req_form_field(r, "with"), "off", NULL, 0);
		ui_input(r, "From", "from", "datetime-local", req_form_field(r, "from"), "off", NULL, 1);
		ui_input(r, "Until", "until", "datetime-local", req_form_field(r, "until"), "off", NULL, 1);
		ui_form_end(r, "Share this");
		html_unsafe_raw(&r->out, "<h3>What you have told your partner</h3>\n");
		print_reports(r, mine, "Nothing yet.");
	}

	bool past = false;
	json_array_foreach(plans, i, p) {
		const char *status = json_string_value(json_object_get(p, "status"));
		if (!strcmp(status, "active") || !strcmp(status, "proposed"))
			continue;
		if (!past)
			html_unsafe_raw(&r->out, "<h2>Earlier plans</h2><ul>\n");
		past = true;
		html(&r->out, "<li>%s, %s to %s: %s.", json_is_true(json_object_get(p, "mine")) ? "Yours" : "Your partner's",
		     plan_day(r, p, "starts_on"), plan_day(r, p, "ends_on"),
		     !strcmp(status, "renewed") ? "renewed" : !strcmp(status, "stopped") ? "stopped early"
		     : !strcmp(status, "declined") ? "not taken on" : !strcmp(status, "withdrawn") ? "withdrawn" : "ended");
		/* the log of who read stays with the plan */
		if (json_is_true(json_object_get(p, "mine")) && json_integer_value(json_object_get(p, "views")))
			print_view_log(r, json_integer_value(json_object_get(p, "id")));
		html_unsafe_raw(&r->out, "</li>\n");
	}
	if (past)
		html_unsafe_raw(&r->out, "</ul>\n");

	const char *latest = words_day(&r->arena, viewer_today(r) + TRANSPARENCY_MAX_DAYS);
	html(&r->out, "<h2>%s</h2>\n", mine_active ? "Renew my plan" : "Offer a plan of my own");
	if (mine_active)
		html_unsafe_raw(&r->out, "<p class=\"hint\">A renewed plan replaces the one you have now.</p>\n");
	ui_form_begin(r, "/transparency");
	share_checkboxes(r);
	html(&r->out, "<p class=\"field\"><label for=\"f-commitments\">In your own words (optional)</label>"
		      "<span class=\"hint\" id=\"h-commitments\">For example, how your phone stays open to your partner.</span>"
		      "<textarea id=\"f-commitments\" name=\"commitments\" rows=\"3\" aria-describedby=\"h-commitments\">%s"
		      "</textarea></p>\n", req_form_field(r, "commitments") ? req_form_field(r, "commitments") : "");
	ui_input(r, "Ends on", "ends_on", "date", req_form_field(r, "ends_on"), "off",
		 arena_printf(&r->arena, "At most 90 days away, by %s at the latest.", latest), 1);
	ui_input(r, "Review together on (optional)", "review_on", "date", req_form_field(r, "review_on"), "off", NULL, 0);
	ui_input(r, "A report every day until (optional)", "daily_until", "date", req_form_field(r, "daily_until"), "off", NULL, 0);
	ui_input(r, "Then a report every week until (optional)", "weekly_until", "date", req_form_field(r, "weekly_until"), "off",
		 "After the taper, you report when plans change, until the plan ends.", 0);
	ui_input(r, "Your password", "password", "password", NULL, "current-password",
		 "A plan starts only when you confirm it yourself.", 1);
	ui_form_end(r, mine_active ? "Renew my plan" : "Start my plan");
	page_end(r);
	json_decref(plans);
	json_decref(theirs);
	json_decref(mine);
}

void transparency_page(struct req *r)
{
	const char *saved = kv_get(&r->query, "saved");
	plans_page(r, "celebrate", saved ? "Saved." : NULL);
}

static void page_problem(struct req *r, int status, const char *why)
{
	r->status = status;
	plans_page(r, "attention", why);
}

/* A date form field into *d; absent leaves *d. -1 when malformed. */
static int form_date(struct req *r, const char *name, long *d)
{
	const char *s = req_form_field(r, name);
	return !s ? 0 : date_parse(s, d);
}

void transparency_post(struct req *r)
{
	struct plan_in p;
	const char *field, *why = NULL, *password = kv_get(&r->form, "password");
	memset(&p, 0, sizeof(p));
	p.review = -1;
	p.ends = -1;
	for (size_t k = 0; k < r->form.n; k++)
		if (!strcmp(r->form.v[k].key, "shares") && share_index(r->form.v[k].val) >= 0)
			p.shares |= 1u << share_index(r->form.v[k].val);
	long daily = -1, weekly = -1;
	if (form_date(r, "ends_on", &p.ends) < 0 || form_date(r, "review_on", &p.review) < 0 ||
	    form_date(r, "daily_until", &daily) < 0 || form_date(r, "weekly_until", &weekly) < 0)
		why = "Please give dates like 2026-09-30.";
	if (daily >= 0) {
		p.until[p.nstages] = daily;
		p.cadence[p.nstages++] = 0;
	}
	if (weekly >= 0) {
		p.until[p.nstages] = weekly;
		p.cadence[p.nstages++] = 1;
	}
	struct input_err e;
	if (input_text(req_form_field(r, "commitments"), "commitments", false, NOTE_MAX, &p.note, &e) < 0 && !why)
		why = "Your own words can be up to 4,000 characters.";
	if (!why)
		why = plan_problem(r, &p, &field);
	if (!why && (!password || !*password || strlen(password) > 256))
		why = "Please confirm with your password.";
	if (!why && !r->me->couple_key)
		why = auth_locked_text;
	if (why) {
		page_problem(r, 400, why);
		return;
	}
	int a = reauth(r, password);
	if (a == -2)
		page_problem(r, 403, "That password was not right. The plan has not started.");
	if (a)
		return;
	long long id;
	int rc = plan_store(r, &p, &id);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_redirect(r, arena_printf(&r->arena, "/transparency?saved=1#plan-%lld", id));
}

void transparency_stop_post(struct req *r)
{
	long long id = req_param_id(r, "id", 1LL << 53);
	int rc = 0, out = id < 0 ? TP_NOT_FOUND : plan_stop(r, id, &rc);
	if (out == TP_NOT_FOUND)
		req_error(r, 404, "not_found", "There is no such plan.", NULL);
	else if (out != TP_OK)
		req_db_error(r, rc);
	else
		req_redirect(r, "/transparency?saved=1");
}

void transparency_report_post(struct req *r)
{
	const char *where = req_form_field(r, "where"), *with = req_form_field(r, "with"), *why = NULL, *field;
	time_t from = 0, until = 0;
	struct input_err e;
	if (input_text(where, "where", true, PLACE_MAX, &where, &e) < 0 ||
	    input_text(with, "with", false, PLACE_MAX, &with, &e) < 0)
		why = "Please say where (up to 300 characters).";
	else if (local_parse(r, req_form_field(r, "from"), &from) < 0 || local_parse(r, req_form_field(r, "until"), &until) < 0)
		why = "Please give when it starts and ends.";
	else if (report_problem(r->now, from, until, &field))
		why = "The end comes after the start, at most 31 days later.";
	else if (!r->me->couple_key)
		why = auth_locked_text;
	if (why) {
		page_problem(r, 400, why);
		return;
	}
	long long id;
	int rc, out = report_store(r, where, with, (long long)from, (long long)until, &id, &rc);
	if (out == TP_NO_PLAN)
		page_problem(r, 409, "You have no plan on right now that shares plans or whereabouts.");
	else if (out != TP_OK)
		req_db_error(r, rc);
	else
		req_redirect(r, "/transparency?saved=1");
}

void transparency_home(struct req *r)
{
	char today[11], soon[11];
	today_str(r, today);
	date_format(viewer_today(r) + 7, soon);
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, "SELECT p.id, p.creator_id = ?2, p.ends_on, p.review_on IS NOT NULL AND p.review_on <= ?4,"
					     " (SELECT count(*) FROM transparency_view v WHERE v.plan_id = p.id AND v.couple_id = ?1)"
					     " FROM transparency_plan p WHERE p.couple_id = ?1 AND p.agreed_at IS NOT NULL"
					     " AND p.stopped_at IS NULL AND p.ends_on >= ?3"
					     " ORDER BY p.creator_id <> ?2, p.id DESC", "iitt", r->me->couple_id, r->me->user_id,
					  today, soon) : NULL;
	if (!st)
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *ends = words_iso_day(&r->arena, (const char *)sqlite3_column_text(st, 2));
		bool review = sqlite3_column_int(st, 3);
		if (sqlite3_column_int(st, 1)) {
			long long views = sqlite3_column_int64(st, 4);
			html(&r->out, "<section class=\"notice notice-info transparency-on\" aria-label=\"Transparency\">"
				      "<p><strong>Your transparency plan is on.</strong> You share what you report until %s. As you agreed, your partner has read "
				      "your updates %s.", ends, words_count(&r->arena, views, "time", "times"));
		} else {
			html(&r->out, "<section class=\"home-transparency\">"
				      "<p class=\"hint\">Your partner shares their plans with you until %s.", ends);
		}
		html_unsafe_raw(&r->out, " <a href=\"/transparency\">See the plan</a></p>");
		if (review)
			html_unsafe_raw(&r->out, "<p>It is due for a review together.</p>");
		html_unsafe_raw(&r->out, "</section>\n");
	}
	db_done(st);
}

/* ---- the partner's yes: agreeing to an offered plan, or not yet ---- */

static void plan_answer_json(struct req *r, const struct viewer *v, json_t *plan, sqlite3_stmt *st, int col)
{
	long long id = json_integer_value(json_object_get(plan, "id"));
	/* who (an id) and when (an instant), for the yes and the not yet */
	for (int k = 0; k < 4; k++) {
		bool set = sqlite3_column_type(st, col + k) != SQLITE_NULL;
		long long x = sqlite3_column_int64(st, col + k);
		json_object_set_new(plan, (const char *const[]){ "agreed_by", "agreed_at", "declined_by", "declined_at" }[k],
				    k % 2 ? json_instant_if(set, x) : set ? json_integer(x) : json_null());
	}
	const char *word = vault_open_text(&r->arena, v->couple_key, "transparency", id, "word",
					   sqlite3_column_blob(st, col + 4), (size_t)sqlite3_column_bytes(st, col + 4));
	json_object_set_new(plan, "word", word ? json_string(word) : json_null());
}

int transparency_plan_agree(sqlite3 *w, long long couple_id, long long id, long long by, const char *on,
			    long long at)
{
	return db_run(w, "UPDATE transparency_plan SET agreed_by = ?3, agreed_at = ?4, starts_on = max(starts_on, ?5)"
			 " WHERE id = ?2 AND couple_id = ?1", "iiiit", couple_id, id, by, at, on);
}

int transparency_plan_decline(sqlite3 *w, const unsigned char *couple_key, long long couple_id, long long id,
			      long long by, const char *word, long long at)
{
	struct buf s = BUF_INIT;
	int rc = vault_seal_row(couple_key, "transparency", id, "word", word, &s) < 0
		 ? SQLITE_TOOBIG
		 : db_run(w, "UPDATE transparency_plan SET declined_by = ?3, declined_at = ?4, decline_word = ?5"
			     " WHERE id = ?2 AND couple_id = ?1", "iiiiB", couple_id, id, by, at, &s);
	buf_release(&s);
	return rc;
}

struct tp_answer {
	const struct viewer *v;
	long long id, at;
	const char *today, *word;
	bool agree;
	int out;
};

static int answer_run(sqlite3 *w, void *arg)
{
	struct tp_answer *a = arg;
	sqlite3_stmt *st = db_prepare(w, "SELECT creator_id, agreed_at IS NULL AND declined_at IS NULL"
					 " AND stopped_at IS NULL AND ends_on >= ?3 FROM transparency_plan"
					 " WHERE id = ?1 AND couple_id = ?2", "iit", a->id, a->v->couple_id, a->today);
	if (!st)
		return sqlite3_extended_errcode(w);
	int rc = sqlite3_step(st);
	long long creator = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	bool open = rc == SQLITE_ROW && sqlite3_column_int(st, 1);
	db_done(st);
	a->out = rc == SQLITE_DONE ? TP_NOT_FOUND : rc != SQLITE_ROW ? TP_DB
		 : creator == a->v->user_id ? TP_OWN : !open ? TP_NOT_OPEN : TP_OK;
	if (a->out)
		return a->out == TP_DB ? rc : SQLITE_DONE;
	if (!a->agree)
		return transparency_plan_decline(w, a->v->couple_key, a->v->couple_id, a->id, a->v->user_id, a->word,
						 a->at);
	/* the new plan takes the place of the creator's plan that is on */
	rc = db_run(w, "UPDATE transparency_plan SET stopped_at = ?4, stopped_by = creator_id, renewed = 1"
		       " WHERE couple_id = ?1 AND creator_id = ?2 AND id <> ?3 AND agreed_at IS NOT NULL"
		       " AND stopped_at IS NULL AND ends_on >= ?5", "iiiit", a->v->couple_id, creator, a->id, a->at,
		    a->today);
	return rc == SQLITE_OK ? transparency_plan_agree(w, a->v->couple_id, a->id, a->v->user_id, a->today, a->at)
			       : rc;
}

/* The partner answers offered plan id; returns the outcome (TP_DB with
 * *rcp). */
static int answer(struct req *r, long long id, bool agree, const char *word, int *rcp)
{
	char today[11];
	today_str(r, today);
	struct tp_answer a = { .v = r->me, .id = id, .at = (long long)r->now, .today = today, .word = word,
			       .agree = agree };
	int rc = db_write(&r->app->db, answer_run, &a);
	*rcp = rc;
	if (a.out)
		return a.out;
	return rc == SQLITE_OK ? TP_OK : TP_DB;
}

static void api_answer(struct req *r, bool agree)
{
	long long id = req_param_id(r, "id", 1LL << 53);
	const char *word = NULL;
	int rc = 0;
	if (id < 0) {
		req_refuse(r, REFUSALS, TP_NOT_FOUND);
		return;
	}
	if ((agree ? req_no_body(r) : consent_json_word(r, &word)) < 0 || !auth_couple_key(r))
		return;
	int out = answer(r, id, agree, word, &rc);
	if (out != TP_OK)
		req_refuse_or_db(r, REFUSALS, out, rc);
	else
		answer_plan(r, 200, id);
}

void transparency_api_agree(struct req *r)
{
	api_answer(r, true);
}

void transparency_api_decline(struct req *r)
{
	api_answer(r, false);
}

static void page_answer(struct req *r, bool agree)
{
	long long id = req_param_id(r, "id", 1LL << 53);
	const char *word = NULL;
	int rc = 0;
	if (id < 0) {
		req_error(r, 404, "not_found", "There is no such plan.", NULL);
		return;
	}
	if (!agree && consent_form_word(r, &word) < 0) {
		page_problem(r, 400, "Your word can be up to 1,000 characters.");
		return;
	}
	if (!r->me->couple_key) {
		page_problem(r, 409, auth_locked_text);
		return;
	}
	int out = answer(r, id, agree, word, &rc);
	if (out == TP_OWN)
		page_problem(r, 403, "Your partner agrees to the plan you offer.");
	else if (out == TP_NOT_OPEN)
		page_problem(r, 409, "This plan is not waiting for an answer any more.");
	else
		req_refuse_or_redirect(r, REFUSALS, out, rc, arena_printf(&r->arena, "/transparency?saved=1#plan-%lld", id));
}

void transparency_agree_post(struct req *r)
{
	page_answer(r, true);
}

void transparency_decline_post(struct req *r)
{
	page_answer(r, false);
}

/* The offers on the plan page: the partner's, with the forms to agree or
 * say not yet; the viewer's own, waiting, with a way to withdraw it; and a
 * calm note when the viewer's newest offer was not taken on. */
static void offer_sections(struct req *r, json_t *plans)
{
	size_t i;
	json_t *p;
	bool newest_mine = true;
	json_array_foreach(plans, i, p) {
		const char *status = json_string_value(json_object_get(p, "status"));
		long long id = json_integer_value(json_object_get(p, "id"));
		bool mine = json_is_true(json_object_get(p, "mine"));
		if (mine && newest_mine && !strcmp(status, "declined")) {
			consent_not_taken_note(r, "has not taken on the plan you offered, for now. That is all right: you "
						  "can talk it over, and offer another when you are both ready.",
					       json_string_value(json_object_get(p, "word")));
		}
		if (mine)
			newest_mine = false;
		if (strcmp(status, "proposed"))
			continue;
		if (mine) {
			html(&r->out, "<section class=\"notice notice-info\" id=\"plan-%lld\"><h2>Your offer</h2>\n"
				      "<p>Waiting for your partner. It starts once they agree to these terms:</p>\n", id);
			print_plan_terms(r, p);
			stop_form(r, id, "Withdraw my offer");
		} else {
			html(&r->out, "<section class=\"notice notice-attention\" id=\"plan-%lld\"><h2>Your partner offers a plan</h2>\n"
				      "<p><strong>Waiting for you.</strong> It starts only when you agree to its terms, and "
				      "either of you can stop it at any time after.</p>\n", id);
			print_plan_terms(r, p);
			ui_form_begin(r, arena_printf(&r->arena, "/transparency/%lld/agree", id));
			ui_form_end(r, "I agree to these terms");
			html_unsafe_raw(&r->out, "<details><summary>Not yet</summary>\n");
			ui_form_begin(r, arena_printf(&r->arena, "/transparency/%lld/decline", id));
			html(&r->out, "<p class=\"field\"><label for=\"f-word-plan-%lld\">A word for your partner (optional)</label>"
				      "<textarea id=\"f-word-plan-%lld\" name=\"word\" maxlength=\"%d\" rows=\"2\"></textarea></p>\n",
			     id, id, CONSENT_WORD_MAX);
			ui_form_end(r, "Not yet");
			html_unsafe_raw(&r->out, "</details>\n");
		}
		html_unsafe_raw(&r->out, "</section>\n");
	}
}

void transparency_for_you(struct req *r)
{
	int rc;
	json_t *plans = plans_read(r, r->me, 0, &rc);
	if (!plans) {
		html_unsafe_raw(&r->out, "<div class=\"for-you-item\" id=\"for-you-transparency\">");
		ui_notice(r, "attention", "The transparency plans could not be read just now. Please try again in a moment.");
		html_unsafe_raw(&r->out, "</div>\n");
		return;
	}
	size_t i;
	json_t *p;
	json_array_foreach(plans, i, p) {
		const char *status = json_string_value(json_object_get(p, "status"));
		if (json_is_true(json_object_get(p, "mine")) || !status || strcmp(status, "proposed"))
			continue;
		const char *until = words_iso_day(&r->arena, json_string_value(json_object_get(p, "ends_on")));
		html(&r->out, "<div class=\"for-you-item\" id=\"for-you-transparency\"><p>%s offers a transparency "
			      "plan, until %s. It starts only if you agree to its terms. "
			      "<a href=\"/transparency#plan-%lld\">Read the offer and answer</a></p></div>\n",
		     viewer_partner_word(r, true), until, (long long)json_integer_value(json_object_get(p, "id")));
		break; /* the newest offer: an earlier one waits behind it on the plan page */
	}
	json_decref(plans);
}

/* A report of REPORTS_VISIBLE: (id, place, company, author, created_at). */
static int report_texts(struct sealed_walk *w, sqlite3_stmt *st)
{
	static const char *const fields[] = { "where", "with" };
	int rc = SQLITE_OK;
	for (int i = 0; rc == SQLITE_OK && i < 2; i++) {
		struct sealed_text t = { "whereabouts", sqlite3_column_int64(st, 0), fields[i],
					 sqlite3_column_blob(st, 1 + i), (size_t)sqlite3_column_bytes(st, 1 + i),
					 sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4), false };
		if (t.n)
			rc = w->fn(w->arg, &t);
	}
	return rc;
}

int transparency_each_seen(struct sealed_walk *w, const char *today)
{
	return sealed_walk_rows(w, db_prepare(w->c, "SELECT t.id, t.place, t.company, t.author_id, t.created_at"
						   REPORTS_VISIBLE, "iit", w->couple_id, w->viewer, today),
				report_texts);
}

/* ---- the export ---- */

json_t *transparency_export(struct req *r, const struct viewer *v)
{
	return load_plans(r, v, 0);
}

/* Marks each report of a (from load_reports) as the viewer's or the
 * partner's. */
static void author_of(json_t *a, const char *who)
{
	size_t i;
	json_t *o;
	json_array_foreach(a, i, o)
		json_object_set_new(o, "author", json_string(who));
}

json_t *transparency_reports_export(struct req *r, const struct viewer *v)
{
	bool logged = false;
	json_t *mine = load_reports(r, v, false, NULL);
	json_t *theirs = mine ? load_reports(r, v, true, &logged) : NULL;
	if (!theirs) {
		json_decref(mine);
		return NULL;
	}
	author_of(mine, "me");
	author_of(theirs, "partner");
	json_array_extend(mine, theirs);
	json_decref(theirs);
	return mine;
}

/* What parting and closing an account run on this room's tables (db/db.h). */
const struct room_sql transparency_sql = {
	.shared = "SELECT 'transparency', id, 'note', note, creator_id, created_at FROM "
		"transparency_plan WHERE couple_id = ?1; ",
	.clear = "DELETE FROM transparency_view WHERE couple_id = ?1; "
		"DELETE FROM transparency_report WHERE couple_id = ?1; "
		"DELETE FROM transparency_plan WHERE couple_id = ?1; ",
};

/* ---- what a counsellor may see ---- */

/* The transparency plans v offered: when, what they share, from and to,
 * and their status; never the commitments' words nor a whereabouts
 * report. */
json_t *transparency_counsel(struct req *r, const struct viewer *v)
{
	json_t *all = load_plans(r, v, 0);
	if (!all)
		return NULL;
	json_t *a = json_array();
	size_t i;
	json_t *p;
	json_array_foreach(all, i, p) {
		if (!json_is_true(json_object_get(p, "mine")))
			continue;
		char day[11];
		date_format(viewer_day_of(r, json_integer_value(json_object_get(p, "created_at"))), day);
		json_t *x = json_pack("{s:O, s:s, s:O, s:O, s:O, s:O}", "id", json_object_get(p, "id"), "day", day,
				      "shares", json_object_get(p, "shares"), "starts_on", json_object_get(p, "starts_on"),
				      "ends_on", json_object_get(p, "ends_on"), "status", json_object_get(p, "status"));
		/* when it was stopped, and whether by the one who offered it */
		long long stopped = json_instant_value(json_object_get(p, "stopped_at"));
		char sday[11];
		if (stopped)
			date_format(viewer_day_of(r, stopped), sday);
		json_object_set_new(x, "stopped_on", stopped ? json_string(sday) : json_null());
		json_object_set_new(x, "stopped_by_creator",
				    json_boolean(stopped && json_integer_value(json_object_get(p, "stopped_by")) == v->user_id));
		json_array_append_new(a, x);
	}
	json_decref(all);
	return a;
}
