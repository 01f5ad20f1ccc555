/* insights.c: "How are we doing" (see insights.h). Reads the couple's
 * records with bound, couple-scoped SQL, only what the viewer may see (a
 * partner's check-in once revealed, shared triggers and the viewer's own
 * private ones, the viewer's own safety check and never the partner's),
 * hands them to the pure engine (insight/insight.h) and shows the findings
 * with their reasons, then the charts. Everything read is a score, a day
 * or a kind: no sealed text is opened here, except the viewer's own safety
 * answers under their own key. */
#include "insights.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../auth/account.h"
#include "../app.h"
#include "../auth/auth.h"
#include "../base/caltime.h"
#include "../db/db.h"
#include "../http/input.h"
#include "../http/jsonin.h"
#include "../insight/charts.h"
#include "../insight/coach.h"
#include "../insight/insight.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"
#include "../ui/words.h"
#include "checkin.h"
#include "counsel.h"
#include "daily.h"
#include "notes.h"
#include "promise.h"
#include "record_setting.h"
#include "roadmap.h"
#include "safety.h"
#include "transparency.h"
#include "trigger.h"
#include "vulnerability.h"

struct data {
	struct insight_input in;
	struct insight_findings *out;
	struct ins_checkin *ck;
	struct ins_trigger *tr;
	struct ins_promise *pr;
	struct ins_note *no;
	struct ins_vulnerability *vu;
	struct ins_plan *pl;
	struct chart_event *ev;
	size_t nev;
	long discovery_set;   /* the day set on the page, or INS_NONE */
};

static long day_col(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	long d;
	return s && date_parse(s, &d) == 0 ? d : INS_NONE;
}

static long day_of_instant(const struct req *r, long long t)
{
	const struct tz *z = r->me->timezone ? tz_get(r->me->timezone) : NULL;
	return z ? tz_day(z, (time_t)t) : (long)(t / 86400);
}

#define STEP_ROWS(st, rc) while ((rc = sqlite3_step(st)) == SQLITE_ROW)

/* The daily check-ins of the last year: mine, and my partner's once
 * revealed to me (daily.c, by the weekly check-in's rule). */
static int load_daily(struct req *r, struct insight_input *in)
{
	struct daily_row *rows;
	size_t n, k = 0;
	int rc = daily_list(r, r->me, NULL, in->today - 365, in->today, &rows, &n);
	if (rc != SQLITE_OK)
		return rc;
	struct ins_daily *x = arena_alloc(&r->arena, (n ? n : 1) * sizeof(*x));
	for (size_t i = 0; i < n; i++)
		if (rows[i].visible && rows[i].close >= 0)
			x[k++] = (struct ins_daily){ rows[i].day, rows[i].mine ? INS_ME : INS_PARTNER, rows[i].close,
						     rows[i].safe };
	in->daily = x;
	in->n_daily = k;
	return SQLITE_OK;
}

/* What weighs on the typical timeline and the couple can answer. The
 * betrayal's weight and whether it was the first are the couple's (either
 * answers, both see the latest answer); how things were before and
 * commitment are each partner's own, seen by their author alone. */
struct factor_q {
	const char *name;          /* the API field and the stored factor */
	bool shared;
	const char *words[2];      /* the answers: lighter, heavier */
	const char *question, *labels[2];
};
static const struct factor_q FACTORS[] = {
	{ "severity", true, { "brief", "long" }, "How long did it go on, and how deep did it go?",
	  { "Brief, or a one-off", "A long time, or deep" } },
	{ "repeated", true, { "first", "repeated" }, "Was this the first time trust was broken like this?",
	  { "The first time", "It had happened before" } },
	{ "before", false, { "good", "strained" }, "How were things between you before? (only you see this)",
	  { "Mostly good", "Already strained" } },
	{ "commitment", false, { "committed", "unsure" }, "How committed do you feel to this work? (only you see this)",
	  { "Fully in", "Not sure yet" } },
};
#define N_FACTORS (sizeof(FACTORS) / sizeof(FACTORS[0]))

/* Who sees which answer, written once: the couple's factors from either
 * partner, the own ones from the viewer alone; oldest first, so the latest
 * answer to a shared factor is the one that stays. */
#define FACTOR_VISIBLE " FROM insight_factor WHERE couple_id = ?1 AND (user_id = ?2 OR factor IN ('severity', 'repeated'))" \
		       " ORDER BY updated_at, user_id = ?2"

/* An answer is sealed as field "<user>:<factor>" of record
 * "insight_factor:<couple>". */
static void factor_field(char out[48], long long user_id, const char *factor)
{
	snprintf(out, 48, "%lld:%s", user_id, factor);
}

/* The viewer's answers: ans[i] is 0 (not said, or locked), 1 (lighter) or
 * 2 (heavier) for FACTORS[i], opened with the viewer's keys. Returns
 * SQLITE_OK or an error. */
static int factors_read(struct req *r, const struct viewer *v, int ans[N_FACTORS])
{
	memset(ans, 0, sizeof(int) * N_FACTORS);
	sqlite3 *c = db_reader(&r->app->db);
	if (!c)
		return SQLITE_CANTOPEN;
	sqlite3_stmt *st = db_prepare(c, "SELECT factor, user_id, answer" FACTOR_VISIBLE, "ii", v->couple_id, v->user_id);
	if (!st)
		return sqlite3_errcode(c);
	int rc;
	STEP_ROWS(st, rc) {
		const char *f = (const char *)sqlite3_column_text(st, 0);
		for (size_t i = 0; i < N_FACTORS; i++) {
			if (!f || strcmp(f, FACTORS[i].name))
				continue;
			const unsigned char *key = FACTORS[i].shared ? v->couple_key : v->data_key;
			char field[48];
			factor_field(field, sqlite3_column_int64(st, 1), f);
			const char *a = key ? vault_open_col(&r->arena, key, "insight_factor", v->couple_id, field, st, 2) : NULL;
			ans[i] = !a ? INS_W_UNSAID : !strcmp(a, FACTORS[i].words[0]) ? INS_W_LIGHTER
			       : !strcmp(a, FACTORS[i].words[1]) ? INS_W_HEAVIER : INS_W_UNSAID;
		}
	}
	db_done(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int insights_factor_write(sqlite3 *w, const unsigned char *couple_key, const unsigned char *data_key,
			  long long couple_id, long long user_id, const char *factor, const char *answer, time_t now)
{
	bool shared = false, known = false;
	for (size_t i = 0; i < N_FACTORS; i++)
		if (!strcmp(factor, FACTORS[i].name)) {
			known = true;
			shared = FACTORS[i].shared;
			if (answer && strcmp(answer, FACTORS[i].words[0]) && strcmp(answer, FACTORS[i].words[1]))
				return SQLITE_CONSTRAINT;
		}
	if (!known)
		return SQLITE_CONSTRAINT;
	/* a couple's factor has one answer: a new one replaces either partner's */
	int rc = shared ? db_run(w, "DELETE FROM insight_factor WHERE couple_id = ?1 AND factor = ?2", "it", couple_id, factor)
			: db_run(w, "DELETE FROM insight_factor WHERE couple_id = ?1 AND user_id = ?2 AND factor = ?3", "iit",
				 couple_id, user_id, factor);
	if (rc != SQLITE_OK || !answer)
		return rc;
	struct buf sealed = BUF_INIT;
	char field[48];
	factor_field(field, user_id, factor);
	if (vault_seal_row(shared ? couple_key : data_key, "insight_factor", couple_id, field, answer, &sealed) < 0)
		rc = SQLITE_ERROR;
	else
		rc = db_run(w, "INSERT INTO insight_factor(couple_id, user_id, factor, answer, updated_at)"
			       " VALUES(?1, ?2, ?3, ?4, ?5)", "iitbi", couple_id, user_id, factor, sealed.s, sealed.len,
			    (long long)now);
	buf_release(&sealed);
	return rc;
}

/* Reads everything the engine needs and, when all, computes every finding
 * into d->out (NULL otherwise). Returns SQLITE_OK or an error code. */
static int load_input(struct req *r, struct data *d, bool all)
{
	memset(d, 0, sizeof(*d));
	struct insight_input *in = &d->in;
	long long cid = r->me->couple_id;
	in->today = viewer_today(r);
	in->discovery_day = in->full_disclosure_day = in->first_activity_day = in->roadmap_last_day = INS_NONE;
	d->discovery_set = INS_NONE;
	long long partner = r->me->partner_id;
	const char *role = r->me->role ? r->me->role : "";
	in->hurt = !strcmp(role, "both") ? INS_HURT_BOTH : !strcmp(role, "hurt") ? INS_HURT_ME
		 : !strcmp(role, "accountable") && partner ? INS_HURT_PARTNER : INS_HURT_UNKNOWN;
	if (in->hurt == INS_HURT_UNKNOWN && partner) {
		/* the partner may hold the hurt role while the viewer's is unknown */
		sqlite3 *c0 = db_reader(&r->app->db);
		char prole[16];
		if (c0 && acct_partner(c0, cid, r->me->user_id, NULL, prole) == SQLITE_OK && !strcmp(prole, "hurt"))
			in->hurt = INS_HURT_PARTNER;
	}
	sqlite3 *c = db_reader(&r->app->db);
	if (!c)
		return SQLITE_CANTOPEN;
	int rc;
	size_t cap;
	sqlite3_stmt *st;

	/* check-ins: mine, and my partner's once revealed to me (checkin.c's rule) */
	struct checkin_score *cs;
	size_t ncs;
	if ((rc = checkin_scores(r, r->me, &cs, &ncs)) != SQLITE_OK)
		return rc;
	d->ck = arena_alloc(&r->arena, (ncs ? ncs : 1) * sizeof(*d->ck));
	for (size_t k = 0; k < ncs; k++) {
		struct ins_checkin *x = &d->ck[in->n_checkins++];
		memset(x, 0, sizeof(*x));
		x->week = cs[k].week;
		x->who = cs[k].mine ? INS_ME : INS_PARTNER;
		x->connection = cs[k].connection;
		for (int i = 0; i < INS_NDIM; i++)
			x->dim[i] = cs[k].dims[i];
		x->listened_to = cs[k].signs[1];
	}

	/* triggers: the ones trigger.c lets the viewer see */
	struct trigger_day *td;
	size_t ntd;
	if ((rc = trigger_days(r, r->me, &td, &ntd)) != SQLITE_OK)
		return rc;
	d->tr = arena_alloc(&r->arena, (ntd ? ntd : 1) * sizeof(*d->tr));
	for (size_t i = 0; i < ntd; i++)
		d->tr[i] = (struct ins_trigger){ td[i].day, td[i].intensity, td[i].private_mine };
	in->n_triggers = ntd;

	/* promises: the ones promise.c lets the viewer see */
	struct promise_outcome *po;
	size_t npo;
	if ((rc = promise_outcomes(r, r->me, &po, &npo)) != SQLITE_OK)
		return rc;
	d->pr = arena_alloc(&r->arena, (npo ? npo : 1) * sizeof(*d->pr));
	for (size_t i = 0; i < npo; i++)
		d->pr[i] = (struct ins_promise){ po[i].due, po[i].kept };
	in->n_promises = npo;

	/* notes: the ones notes.c lets the viewer see */
	struct note_day *nd;
	size_t nnd;
	if ((rc = note_days(r, r->me, &nd, &nnd)) != SQLITE_OK)
		return rc;
	cap = 0;
	size_t evcap = 0;
	long first_disclosure = INS_NONE;
	for (size_t j = 0; j < nnd; j++) {
		long day = nd[j].day;
		static const char *const KINDS[] = { "win", "setback", "disclosure", "breach", "timeline" };
		int k = -1;
		for (int i = 0; i < 5; i++)
			if (!strcmp(nd[j].kind, KINDS[i]))
				k = i;
		if (k < 0)
			continue;
		int t = nd[j].trust;
		d->no = arena_grow(&r->arena, d->no, in->n_notes, &cap, sizeof(*d->no));
		d->no[in->n_notes++] = (struct ins_note){ day, k, t };
		if (k == INS_NOTE_DISCLOSURE && first_disclosure == INS_NONE)
			first_disclosure = day;
		if (k == INS_NOTE_TIMELINE && t) {
			d->ev = arena_grow(&r->arena, d->ev, d->nev, &evcap, sizeof(*d->ev));
			d->ev[d->nev++] = (struct chart_event){ day, t };
		}
	}

	/* vulnerability shares: when, and whether heard (vulnerability.c's rule) */
	struct vulnerability_time *vt;
	size_t nvt;
	if ((rc = vulnerability_times(r, r->me, &vt, &nvt)) != SQLITE_OK)
		return rc;
	d->vu = arena_alloc(&r->arena, (nvt ? nvt : 1) * sizeof(*d->vu));
	for (size_t k = 0; k < nvt; k++)
		d->vu[in->n_vulns++] = (struct ins_vulnerability){ day_of_instant(r, vt[k].created_at), vt[k].heard };

	/* transparency plans: transparency.c */
	struct transparency_span *sp;
	size_t nsp;
	if ((rc = transparency_plan_spans(r, r->me, &sp, &nsp)) != SQLITE_OK)
		return rc;
	d->pl = arena_alloc(&r->arena, (nsp ? nsp : 1) * sizeof(*d->pl));
	for (size_t i = 0; i < nsp; i++)
		d->pl[in->n_plans++] = (struct ins_plan){
			sp[i].starts, sp[i].ends, sp[i].stopped_at ? day_of_instant(r, sp[i].stopped_at) : INS_NONE,
			sp[i].stopped_by_creator };

	/* days: the full disclosure (a record setting), the discovery, the couple's start, roadmap progress */
	struct record_settings ts;
	if ((rc = record_settings_read(r, r->me, &ts)) != SQLITE_OK)
		return rc;
	if (ts.full_on && date_parse(ts.full_on, &in->full_disclosure_day) < 0)
		in->full_disclosure_day = INS_NONE;
	st = db_prepare(c, "SELECT NULL, (SELECT discovery_on FROM insight_setting WHERE couple_id = ?1)", "i", cid);
	if (!st)
		return sqlite3_errcode(c);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		d->discovery_set = day_col(st, 1);
		rc = SQLITE_DONE;
	}
	db_done(st);
	if (rc != SQLITE_DONE)
		return rc;
	/* the couple's start: auth/account.c */
	long long since;
	if ((rc = acct_couple_since(c, cid, &since)) == SQLITE_OK)
		in->first_activity_day = day_of_instant(r, since);
	else if (rc != SQLITE_NOTFOUND)
		return rc;
	/* roadmap progress: roadmap.c */
	long long moved;
	if ((rc = roadmap_last_moved(r, r->me, &moved)) != SQLITE_OK)
		return rc;
	if (moved)
		in->roadmap_last_day = day_of_instant(r, moved);
	/* without a day set, the first time anything came out stands for the discovery */
	in->discovery_day = d->discovery_set;
	if (in->discovery_day == INS_NONE)
		in->discovery_day = first_disclosure;
	if (in->discovery_day == INS_NONE)
		in->discovery_day = in->full_disclosure_day;
	if (in->n_checkins && in->first_activity_day != INS_NONE && d->ck[0].week < in->first_activity_day)
		in->first_activity_day = d->ck[0].week;

	/* the timeline's factors: the couple's answers (above), and help from
	 * the roadmap's counselling steps (roadmap.c) or a counsellor with
	 * access (counsel.c) */
	int ans[N_FACTORS];
	if ((rc = factors_read(r, r->me, ans)) != SQLITE_OK)
		return rc;
	in->factors.severity = ans[0];
	in->factors.repeated = ans[1];
	in->factors.before = ans[2];
	in->factors.commitment = ans[3];
	if ((rc = roadmap_help_status(r, r->me, &in->factors.help_step)) != SQLITE_OK)
		return rc;
	if ((rc = counsel_active(r, r->me, &in->factors.counsellor)) != SQLITE_OK)
		return rc;

	in->my_safety_concern = safety_viewer_concern(r);
	in->checkins = d->ck;
	in->triggers = d->tr;
	in->promises = d->pr;
	in->notes = d->no;
	in->vulns = d->vu;
	in->plans = d->pl;
	if ((rc = load_daily(r, in)) != SQLITE_OK)
		return rc;
	if (all) {
		d->out = arena_alloc(&r->arena, sizeof(*d->out));
		insight_compute(in, d->out);
	}
	return SQLITE_OK;
}

static int load(struct req *r, struct data *d)
{
	return load_input(r, d, true);
}

/* ---- one computation for the page and its charts ----
 * The page and its four chart images are five requests that ask the same
 * question of the same store at the same moment. The answer depends only
 * on the store's content, the viewer (who they are, their couple, whether
 * their keys are open) and the request's clock (reveal times, today), so it
 * is kept, for the same viewer in the same second, while no write that
 * viewer would see has been committed since it was read (db.h, marks):
 * each of the five computes nothing the others did. Only numbers, days
 * and kinds are kept (as the rooms' readers opened them with the viewer's
 * keys), the findings' words and the viewer's own "my safety check points
 * to danger"; never a written text. */
struct kept {
	unsigned long gen;     /* which store */
	struct db_marks marks; /* and its state, for the viewer's couple (db.h) */
	long long user, couple;
	time_t now;
	int keys; /* which of the viewer's keys were open: 1 data key, 2 couple key */
	void *mem; /* the arrays of d, malloc'd; NULL: an empty slot */
	size_t size;
	struct data d;
};
enum { KEPT = 8 };
static struct kept kept[KEPT];
static size_t kept_next;
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;

/* Bytes for the arrays of src, each aligned as arena_alloc aligns. */
#define KEPT_ALIGN 16
static size_t kept_room(size_t n, size_t size)
{
	return (n * size + KEPT_ALIGN - 1) / KEPT_ALIGN * KEPT_ALIGN;
}

static size_t data_size(const struct data *d)
{
	const struct insight_input *in = &d->in;
	return kept_room(in->n_checkins, sizeof(*d->ck)) + kept_room(in->n_triggers, sizeof(*d->tr)) +
	       kept_room(in->n_promises, sizeof(*d->pr)) + kept_room(in->n_notes, sizeof(*d->no)) +
	       kept_room(in->n_vulns, sizeof(*d->vu)) + kept_room(in->n_plans, sizeof(*d->pl)) +
	       kept_room(d->nev, sizeof(*d->ev)) + kept_room(in->n_daily, sizeof(*in->daily)) +
	       kept_room(1, sizeof(*d->out));
}

/* Copies one array of src into mem at *at; returns where it went. */
static void *place(unsigned char *mem, size_t *at, const void *src, size_t n, size_t size)
{
	void *to = mem + *at;
	if (n)
		memcpy(to, src, n * size);
	*at += kept_room(n, size);
	return to;
}

/* dst = src with every array copied into mem (data_size(src) bytes). */
static void data_copy(struct data *dst, const struct data *src, unsigned char *mem)
{
	size_t at = 0;
	const struct insight_input *in = &src->in;
	*dst = *src;
	dst->ck = place(mem, &at, src->ck, in->n_checkins, sizeof(*src->ck));
	dst->tr = place(mem, &at, src->tr, in->n_triggers, sizeof(*src->tr));
	dst->pr = place(mem, &at, src->pr, in->n_promises, sizeof(*src->pr));
	dst->no = place(mem, &at, src->no, in->n_notes, sizeof(*src->no));
	dst->vu = place(mem, &at, src->vu, in->n_vulns, sizeof(*src->vu));
	dst->pl = place(mem, &at, src->pl, in->n_plans, sizeof(*src->pl));
	dst->ev = place(mem, &at, src->ev, src->nev, sizeof(*src->ev));
	struct ins_daily *daily = place(mem, &at, in->daily, in->n_daily, sizeof(*in->daily));
	dst->out = place(mem, &at, src->out, 1, sizeof(*src->out));
	dst->in.checkins = dst->ck;
	dst->in.triggers = dst->tr;
	dst->in.promises = dst->pr;
	dst->in.notes = dst->no;
	dst->in.vulns = dst->vu;
	dst->in.plans = dst->pl;
	dst->in.daily = daily;
}

/* Which of the viewer's keys are open: what they can see depends on it. */
static int keys_open(const struct req *r)
{
	return (r->me->data_key ? 1 : 0) | (r->me->couple_key ? 2 : 0);
}

static bool kept_is(const struct kept *k, const struct req *r, const struct db_marks *now)
{
	return k->mem && k->gen == r->app->db.gen && db_marks_same(&k->marks, now) &&
	       k->user == r->me->user_id && k->couple == r->me->couple_id && k->now == r->now &&
	       k->keys == keys_open(r);
}

/* The answer kept for this viewer now, copied into r's arena. */
static bool kept_find(struct req *r, struct data *d)
{
	bool found = false;
	struct db_marks now;
	db_marks_now(viewer_marks_couple(r->me), &now);
	pthread_mutex_lock(&kept_lock);
	for (size_t i = 0; i < KEPT && !found; i++)
		if (kept_is(&kept[i], r, &now)) {
			data_copy(d, &kept[i].d, arena_alloc(&r->arena, kept[i].size));
			found = true;
		}
	pthread_mutex_unlock(&kept_lock);
	return found;
}

/* Keeps d, read when the store was at marks m. */
static void kept_put(struct req *r, const struct data *d, const struct db_marks *m)
{
	size_t size = data_size(d);
	unsigned char *mem = xmalloc(size);
	struct kept k;
	memset(&k, 0, sizeof(k));
	k.gen = r->app->db.gen;
	k.marks = *m;
	k.user = r->me->user_id;
	k.couple = r->me->couple_id;
	k.now = r->now;
	k.keys = keys_open(r);
	k.mem = mem;
	k.size = size;
	data_copy(&k.d, d, mem);
	pthread_mutex_lock(&kept_lock);
	struct kept *slot = &kept[kept_next];
	kept_next = (kept_next + 1) % KEPT;
	void *old = slot->mem;
	*slot = k;
	pthread_mutex_unlock(&kept_lock);
	free(old);
}

void insights_forget(void)
{
	pthread_mutex_lock(&kept_lock);
	for (size_t i = 0; i < KEPT; i++) {
		free(kept[i].mem);
		kept[i].mem = NULL;
	}
	pthread_mutex_unlock(&kept_lock);
}

/* What load() answers, from what is kept when it can. */
static int load_kept(struct req *r, struct data *d)
{
	if (kept_find(r, d))
		return SQLITE_OK;
	struct db_marks before, after;
	bool known = db_read_marks(viewer_marks_couple(r->me), &before);
	int rc = load(r, d);
	/* kept only when the marks did not move while it read (outside a read
	 * scope, each statement reads anew) */
	if (rc == SQLITE_OK && known && db_read_marks(viewer_marks_couple(r->me), &after) && db_marks_same(&before, &after))
		kept_put(r, d, &before);
	return rc;
}

/* Plain words for the metrics in "Why am I seeing this?". The API keeps
 * the metric names (a contract); people read these. */
static const char *const METRIC_LABELS[][2] = {
	{ "checkins_12w", "Check-ins in the last 12 weeks" },
	{ "connection_mean_12w", "Average connection, last 12 weeks" },
	{ "connection_mean_4w", "Average connection, last 4 weeks" },
	{ "connection_mean_4w_8w_ago", "Average connection, 4 weeks two months ago" },
	{ "connection_mean_first_12w", "Average connection, first 12 weeks" },
	{ "connection_mean_first_month", "Average connection, first month" },
	{ "connection_slope_12w", "Change in connection per week, last 12 weeks" },
	{ "days_without_roadmap_progress", "Days since a roadmap step moved" },
	{ "disclosures_after_full", "Disclosures after the full disclosure" },
	{ "factor_before", "Months the way things were before adds" },
	{ "factor_commitment", "Months commitment adds" },
	{ "factor_consistency", "Months steadiness adds" },
	{ "factor_first_or_repeated", "Months a repeated betrayal adds" },
	{ "factor_help", "Months help adds" },
	{ "factor_severity", "Months the betrayal's weight adds" },
	{ "listened_to_low_weeks_me", "Weeks you felt little listened to" },
	{ "listened_to_low_weeks_partner", "Weeks your partner felt little listened to" },
	{ "major_triggers_8w_before", "Strong triggers in the 8 weeks before" },
	{ "major_triggers_last_week", "Strong triggers last week" },
	{ "months_since_discovery", "Months since the discovery" },
	{ "no_contact_breaches", "Contacts after no contact began" },
	{ "plan_days_kept", "Days the plan was kept" },
	{ "plan_days_left", "Days the plan had left" },
	{ "promises_broken", "Promises broken" },
	{ "promises_broken_share", "Share of promises broken" },
	{ "promises_kept", "Promises kept" },
	{ "promises_kept_share", "Share of promises kept" },
	{ "records_about_betrayal", "Records about the betrayal" },
	{ "safety_check", "Your safety check" },
	{ "setbacks", "Setbacks" },
	{ "trigger_intensity_mean_3m", "Average trigger strength, last 3 months" },
	{ "triggers_3m", "Triggers, last 3 months" },
	{ "triggers_prev_3m", "Triggers, the 3 months before" },
	{ "trust_mean_4w", "Average trust, last 4 weeks" },
	{ "trust_mean_first_month", "Average trust, first month" },
	{ "trust_slope_12w", "Change in trust per week, last 12 weeks" },
	{ "vulnerabilities_unheard", "Things shared and not yet heard" },
	{ "weeks_both_checked_in", "Weeks you both checked in" },
	{ "weeks_both_checked_in_12w", "Weeks you both checked in, of the last 12" },
	{ "weeks_consistent", "Weeks of promises kept in a row" },
};

/* The plain label of a metric, or its name with spaces (arena). */
static const char *metric_label(struct req *r, const char *metric)
{
	for (size_t i = 0; i < sizeof(METRIC_LABELS) / sizeof(METRIC_LABELS[0]); i++)
		if (!strcmp(METRIC_LABELS[i][0], metric))
			return METRIC_LABELS[i][1];
	char *s = arena_strdup(&r->arena, metric);
	for (char *p = s; *p; p++)
		if (*p == '_')
			*p = ' ';
	return s;
}

/* one partner's values of one metric as chart points */
static struct chart_series series_of(struct req *r, const struct data *d, int who, int dim, const char *label)
{
	struct chart_point *p = arena_alloc(&r->arena, (d->in.n_checkins + 1) * sizeof(*p));
	size_t n = 0;
	for (size_t i = 0; i < d->in.n_checkins; i++)
		if (d->ck[i].who == who)
			p[n++] = (struct chart_point){ d->ck[i].week, dim == INS_CONN ? d->ck[i].connection : d->ck[i].dim[dim] };
	return (struct chart_series){ label, p, n };
}

static const char *const DIM_LABELS[INS_NDIM] = {
	"Reliability", "Emotional safety", "Honesty", "Consistency", "Respect", "Transparency",
};

static void dims_of(const struct data *d, struct chart_dim out[INS_NDIM])
{
	long week = d->in.today - (weekday_of(d->in.today) - 1);
	for (int i = 0; i < INS_NDIM; i++) {
		out[i].label = DIM_LABELS[i];
		for (int p = 0; p < 2; p++) {
			out[i].now[p] = insight_mean(&d->in, p, i, week, 4, NULL);
			out[i].then[p] = insight_mean(&d->in, p, i, week - 7 * 13, 4, NULL);
		}
	}
}

/* ------------------------------------------------------------ the API */

static json_t *finding_json(const struct ins_finding *f)
{
	json_t *because = json_array();
	for (int k = 0; k < f->n_because; k++)
		json_array_append_new(because, json_pack("{s:s, s:f, s:s, s:s}", "metric", f->because[k].metric, "value",
							 f->because[k].value, "window", f->because[k].window, "says",
							 f->because[k].says));
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:i}", "kind", f->kind, "severity",
			      insight_severity_name(f->severity), "title", f->title, "detail", f->detail, "because",
			      because, "suggestion", f->suggestion, "audience", f->audience == INS_ONLY_ME ? "me" : "both",
			      "needs_days", f->needs_days);
	if (f->link)
		json_object_set_new(o, "link", json_string(f->link));
	return o;
}

/* {"week","value"} for each point. Built without json_pack's format
 * parsing and UTF-8 checks: the keys are constants and the week is ASCII. */
static json_t *points_json(const struct chart_series *s)
{
	json_t *a = json_array();
	for (size_t i = 0; i < s->n; i++) {
		struct isoweek w;
		char t[9];
		isoweek_of(s->p[i].day, &w);
		isoweek_format(&w, t);
		json_t *o = json_object();
		json_object_set_new_nocheck(o, "week", json_stringn_nocheck(t, strlen(t)));
		json_object_set_new_nocheck(o, "value", json_real(s->p[i].value));
		json_array_append_new(a, o);
	}
	return a;
}

/* The viewer's answers to the timeline's factors, each a word or null. */
static json_t *factors_json(const struct ins_factors *x)
{
	const int a[N_FACTORS] = { x->severity, x->repeated, x->before, x->commitment };
	json_t *o = json_object();
	for (size_t i = 0; i < N_FACTORS; i++)
		json_object_set_new(o, FACTORS[i].name, a[i] == INS_W_LIGHTER ? json_string(FACTORS[i].words[0])
						       : a[i] == INS_W_HEAVIER ? json_string(FACTORS[i].words[1]) : json_null());
	return o;
}

/* Loads the couple's data for a page or API answer; false after answering
 * with the database error. */
static bool load_or_answer(struct req *r, struct data *d)
{
	int rc = load_kept(r, d);
	if (rc != SQLITE_OK)
		req_db_error(r, rc);
	return rc == SQLITE_OK;
}

void api_insights_get(struct req *r)
{
	struct data d;
	if (!load_or_answer(r, &d))
		return;
	char asof[11], disc[11];
	date_format(d.in.today, asof);
	json_t *findings = json_array();
	for (int i = 0; i < d.out->n; i++)
		json_array_append_new(findings, finding_json(&d.out->f[i]));
	struct chart_series me = series_of(r, &d, INS_ME, INS_CONN, "me");
	struct chart_series pa = series_of(r, &d, INS_PARTNER, INS_CONN, "partner");
	json_t *series = json_object();
	json_object_set_new(series, "connection", json_pack("{s:o, s:o}", "me", points_json(&me), "partner", points_json(&pa)));
	json_t *dims = json_object();
	for (int i = 0; i < INS_NDIM; i++) {
		struct chart_series a = series_of(r, &d, INS_ME, i, "me"), b = series_of(r, &d, INS_PARTNER, i, "partner");
		json_object_set_new(dims, insight_dim_names[i], json_pack("{s:o, s:o}", "me", points_json(&a), "partner", points_json(&b)));
	}
	json_object_set_new(series, "dimensions", dims);
	json_t *months = json_array();
	for (int i = 0; i < d.out->n_months; i++) {
		const struct ins_month *m = &d.out->months[i];
		char t[8];
		snprintf(t, sizeof(t), "%04d-%02d", m->year, m->month);
		json_array_append_new(months, json_pack("{s:s, s:i, s:f}", "month", t, "count", m->count,
							"mean_intensity", (double)(long long)(m->mean_intensity * 100 + 0.5) / 100));
	}
	json_object_set_new(series, "triggers", months);
	json_t *daily = json_array();
	for (size_t i = 0; i < d.in.n_daily; i++) {
		const struct ins_daily *x = &d.in.daily[i];
		char t[11];
		date_format(x->day, t);
		json_array_append_new(daily, json_pack("{s:s, s:s, s:i, s:i}", "day", t, "who",
						       x->who == INS_ME ? "me" : "partner", "close", x->close, "safe", x->safe));
	}
	json_object_set_new(series, "daily", daily);
	if (d.in.discovery_day != INS_NONE)
		date_format(d.in.discovery_day, disc);
	json_t *body = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "as_of", asof, "months_since_discovery",
				 d.out->months_since_discovery < 0 ? json_null() : json_integer(d.out->months_since_discovery),
				 "discovery_on", d.in.discovery_day == INS_NONE ? json_null() : json_string(disc),
				 "findings", findings, "series", series, "factors", factors_json(&d.in.factors),
				 "expected_months", d.out->expected_high
					 ? json_pack("{s:i, s:i}", "low", d.out->expected_low, "high", d.out->expected_high)
					 : json_null());
	req_json(r, 200, body);
}

int insights_discovery_write(sqlite3 *w, long long couple_id, const char *day, long long by, time_t now)
{
	return db_run(w, "INSERT INTO insight_setting(couple_id, discovery_on, updated_by, updated_at)"
			 " VALUES(?1, ?2, ?3, ?4) ON CONFLICT(couple_id) DO UPDATE SET"
			 " discovery_on = excluded.discovery_on, updated_by = excluded.updated_by,"
			 " updated_at = excluded.updated_at",
		      "itii", couple_id, day, by, (long long)now);
}

/* Stores the discovery day (NULL clears it). Returns SQLITE_OK or an error. */
static int discovery_store(struct req *r, const char *day)
{
	sqlite3 *w = db_write_begin(&r->app->db);
	int rc = insights_discovery_write(w, r->me->couple_id, day, r->me->user_id, r->now);
	int erc = db_write_end(&r->app->db, rc == SQLITE_OK);
	return rc != SQLITE_OK ? rc : erc;
}

/* A discovery day must be a real date, not in the future. */
static bool discovery_ok(struct req *r, const char *s)
{
	long day;
	return date_parse(s, &day) == 0 && day <= viewer_today(r);
}

void api_insights_discovery_put(struct req *r)
{
	static const char *const fields[] = { "discovery_on", NULL };
	json_t *v = json_object_get(r->json, "discovery_on");
	if (jin_only(r, r->json, fields) < 0)
		return;
	const char *day = NULL;
	if (!v) {
		req_error(r, 400, "invalid_field", "Give the day as YYYY-MM-DD, or null to clear it.", "discovery_on");
		return;
	}
	if (!json_is_null(v)) {
		if (jin_str(r, r->json, "discovery_on", true, 10, &day) < 0)
			return;
		if (!discovery_ok(r, day)) {
			req_error(r, 400, "invalid_field", "Give a real day, not in the future, as YYYY-MM-DD.", "discovery_on");
			return;
		}
	}
	int rc = discovery_store(r, day);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_json(r, 200, json_pack("{s:o}", "discovery_on", day ? json_string(day) : json_null()));
}

static void insights_render(struct req *r, const struct data *d, const char *notice, const char *kind,
			    const char *discovery_input);

/* The answers to store: one per factor, NULL to clear it, or not given. */
struct factors_put {
	struct req *r;
	const char *answer[N_FACTORS];
	bool given[N_FACTORS];
};

static int factors_store(sqlite3 *w, void *arg)
{
	struct factors_put *p = arg;
	int rc = SQLITE_OK;
	for (size_t i = 0; i < N_FACTORS && rc == SQLITE_OK; i++)
		if (p->given[i])
			rc = insights_factor_write(w, p->r->me->couple_key, p->r->me->data_key, p->r->me->couple_id,
						   p->r->me->user_id, FACTORS[i].name, p->answer[i], p->r->now);
	return rc;
}

/* Whether word is one of factor i's two answers. */
static bool factor_word_ok(size_t i, const char *word)
{
	return !strcmp(word, FACTORS[i].words[0]) || !strcmp(word, FACTORS[i].words[1]);
}

/* The viewer's answers as the API gives them, or the storage error. */
static void factors_answer(struct req *r)
{
	int ans[N_FACTORS];
	int rc = factors_read(r, r->me, ans);
	if (!req_db_ok(r, rc))
		return;
	struct ins_factors x = { .severity = ans[0], .repeated = ans[1], .before = ans[2], .commitment = ans[3] };
	req_json(r, 200, json_pack("{s:o}", "factors", factors_json(&x)));
}

json_t *insights_factors_export(struct req *r, const struct viewer *v)
{
	int ans[N_FACTORS];
	if (!req_db_ok(r, factors_read(r, v, ans)))
		return NULL;
	json_t *a = json_array();
	for (size_t i = 0; i < N_FACTORS; i++)
		if (ans[i] == INS_W_LIGHTER || ans[i] == INS_W_HEAVIER) {
			int k = ans[i] == INS_W_HEAVIER;
			json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:s}", "factor", FACTORS[i].name,
							   "whose", FACTORS[i].shared ? "ours" : "mine", "question",
							   FACTORS[i].question, "answer", FACTORS[i].words[k],
							   "answer_words", FACTORS[i].labels[k]));
		}
	return a;
}

void api_insights_factors_get(struct req *r)
{
	factors_answer(r);
}

void api_insights_factors_put(struct req *r)
{
	static const char *const fields[] = { "severity", "repeated", "before", "commitment", NULL };
	if (jin_only(r, r->json, fields) < 0)
		return;
	struct factors_put p = { .r = r };
	size_t n = 0;
	for (size_t i = 0; i < N_FACTORS; i++) {
		json_t *v = json_object_get(r->json, FACTORS[i].name);
		if (!v)
			continue;
		if (!json_is_null(v) && (!json_is_string(v) || !factor_word_ok(i, json_string_value(v)))) {
			char msg[128];
			snprintf(msg, sizeof(msg), "Give \"%s\", \"%s\" or null.", FACTORS[i].words[0], FACTORS[i].words[1]);
			req_error(r, 400, "invalid_field", msg, FACTORS[i].name);
			return;
		}
		p.given[i] = true;
		p.answer[i] = json_is_null(v) ? NULL : json_string_value(v);
		n++;
	}
	if (!n) {
		req_error(r, 400, "invalid_field", "Give at least one answer: severity, repeated, before or commitment.", NULL);
		return;
	}
	if (!auth_keys(r))
		return;
	if (req_write(r, factors_store, &p) < 0)
		return;
	factors_answer(r);
}

/* POST /insights/factors: the form's four answers ("unsaid" clears one). */
void page_insights_factors_post(struct req *r)
{
	struct factors_put p = { .r = r };
	for (size_t i = 0; i < N_FACTORS; i++) {
		const char *v = req_form_field(r, FACTORS[i].name);
		if (!v)
			continue;
		bool unsaid = !v[0] || !strcmp(v, "unsaid");
		if (!unsaid && !factor_word_ok(i, v)) {
			struct data d;
			if (!load_or_answer(r, &d))
				return;
			r->status = 400;
			insights_render(r, &d, "One of those answers did not look right. Please choose again.", "attention",
					NULL);
			return;
		}
		p.given[i] = true;
		p.answer[i] = unsaid ? NULL : v;
	}
	if (!r->me->couple_key || !r->me->data_key) {
		struct data d;
		if (!load_or_answer(r, &d))
			return;
		r->status = 409;
		insights_render(r, &d, auth_locked_text, "attention", NULL);
		return;
	}
	if (req_write(r, factors_store, &p) < 0)
		return;
	req_redirect(r, "/insights?saved=factors#factors");
}

/* ------------------------------------------------------------ the charts */

enum chart { CH_CONNECTION, CH_DIMENSIONS, CH_TRIGGERS, CH_TIMELINE, CH_DAILY, CH_N };
static const char *const CHART_FILES[CH_N] = { "connection.svg", "dimensions.svg", "triggers.svg", "timeline.svg",
					       "daily.svg" };

/* The daily chart's days: the last four weeks, today included. */
#define DAILY_CHART_DAYS 28

/* One partner's daily answers (field: closeness or safety) of the daily
 * chart's days, oldest first, as a chart series. */
static struct chart_series daily_series_of(struct req *r, const struct insight_input *in, int who, int field,
					   const char *label)
{
	struct chart_point *p = arena_alloc(&r->arena, (in->n_daily + 1) * sizeof(*p));
	size_t n = 0;
	for (size_t i = 0; i < in->n_daily; i++) {
		const struct ins_daily *x = &in->daily[i];
		if (x->who == who && x->day > in->today - DAILY_CHART_DAYS && x->day <= in->today)
			p[n++] = (struct chart_point){ x->day, field == INS_DAILY_CLOSE ? x->close : x->safe };
	}
	return (struct chart_series){ label, p, n };
}

static void chart_render(struct req *r, const struct data *d, enum chart which, bool table)
{
	struct chart_series s[2] = { series_of(r, d, INS_ME, INS_CONN, "You"),
				     series_of(r, d, INS_PARTNER, INS_CONN, "Your partner") };
	static const char *const who[2] = { "You", "Your partner" };
	struct chart_dim dims[INS_NDIM];
	switch (which) {
	case CH_CONNECTION:
		(table ? chart_connection_table : chart_connection_svg)(&r->out, s, 2);
		break;
	case CH_DIMENSIONS:
		dims_of(d, dims);
		(table ? chart_dimensions_table : chart_dimensions_svg)(&r->out, who, dims, INS_NDIM);
		break;
	case CH_TRIGGERS:
		(table ? chart_triggers_table : chart_triggers_svg)(&r->out, d->out->months, (size_t)d->out->n_months);
		break;
	case CH_TIMELINE:
		if (table)
			chart_timeline_table(&r->out, d->ev, d->nev, d->in.discovery_day);
		else
			chart_timeline_svg(&r->out, d->ev, d->nev, d->in.discovery_day, s, 2);
		break;
	case CH_DAILY: {
		const struct chart_series close[2] = {
			daily_series_of(r, &d->in, INS_ME, INS_DAILY_CLOSE, who[0]),
			daily_series_of(r, &d->in, INS_PARTNER, INS_DAILY_CLOSE, who[1]),
		}, safe[2] = {
			daily_series_of(r, &d->in, INS_ME, INS_DAILY_SAFE, who[0]),
			daily_series_of(r, &d->in, INS_PARTNER, INS_DAILY_SAFE, who[1]),
		};
		(table ? chart_daily_table : chart_daily_svg)(&r->out, close, safe, d->in.today - DAILY_CHART_DAYS + 1,
							      d->in.today);
		break;
	}
	case CH_N:
		break;
	}
}

void page_chart(struct req *r)
{
	const char *name = kv_get(&r->params, "name");
	int which = -1;
	for (int i = 0; i < CH_N; i++)
		if (name && !strcmp(name, CHART_FILES[i]))
			which = i;
	if (which < 0) {
		req_error(r, 404, "not_found", "There is no such chart.", NULL);
		return;
	}
	struct data d;
	int rc = load_kept(r, &d);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	r->status = 200;
	r->content_type = "image/svg+xml; charset=utf-8";
	chart_render(r, &d, (enum chart)which, false);
}

/* ------------------------------------------------------------ the page */

static const char *const CHART_HEADINGS[CH_N] = {
	"Connection over time", "Trust dimensions: three months ago and now", "Triggers per month", "Our trust timeline",
	"Day by day",
};
static const char *const CHART_ALTS[CH_N] = {
	"Line chart of each partner's weekly connection score. The numbers are in the table below it.",
	"Bar chart of the six trust dimensions, three months ago and now, for each partner. The numbers are in the table below it.",
	"Bar chart of triggers per month and their average intensity. The numbers are in the table below it.",
	"Timeline of high- and low-trust moments, the discovery day, and connection since then. The moments are in the table below it.",
	"Line charts of how close and how safe each day of the last four weeks felt, for each partner. The numbers are in the table below it.",
};

static void finding_html(struct req *r, const struct ins_finding *f, int i)
{
	html(&r->out, "<section class=\"finding notice notice-%s\"><h3>%s</h3><p>%s</p><p>%s</p>\n",
	     insight_severity_name(f->severity), f->title, f->detail, f->suggestion);
	if (f->audience == INS_ONLY_ME)
		html_unsafe_raw(&r->out, "<p class=\"hint\">Only you can see this.</p>\n");
	if (f->severity >= INS_CONCERN || f->link) {
		html_unsafe_raw(&r->out, "<p>");
		if (f->severity == INS_SAFETY || (f->link && !strcmp(f->link, "/safety")))
			html_unsafe_raw(&r->out, "<a href=\"/safety\">Help and safety</a>");
		else
			html_unsafe_raw(&r->out, "<a href=\"/guidance/counselling\">Finding a counsellor</a> · "
						 "<a href=\"/safety\">Help and safety</a>");
		html_unsafe_raw(&r->out, "</p>\n");
	}
	html(&r->out, "<details><summary>Why am I seeing this?</summary><ul class=\"because\" id=\"because-%d\">\n", i);
	for (int k = 0; k < f->n_because; k++) {
		const struct ins_because *b = &f->because[k];
		if (b->says[0]) {
			html(&r->out, "<li>%s</li>\n", b->says);
		} else {
			char v[32];
			snprintf(v, sizeof(v), "%g", b->value);
			html(&r->out, "<li>%s: %s (%s).</li>\n", metric_label(r, b->metric), v, b->window);
		}
	}
	if (f->needs_days >= 7)
		html(&r->out, "<li>This kind of finding waits for %s of records before it says anything.</li>\n",
		     words_count(&r->arena, f->needs_days / 7, "week", "weeks"));
	html_unsafe_raw(&r->out, "</ul></details></section>\n");
}

/* One chart's figure: the image (it may scroll sideways) and its numbers
 * behind one tap; heading says whether the figure carries its own <h3>. */
static void chart_figure(struct req *r, const struct data *d, enum chart which, bool heading)
{
	/* the timeline may be wider than the screen: it scrolls, and opens
	 * at its end, where the discovery and the present are */
	html_unsafe_raw(&r->out, "<figure class=\"chart\">");
	if (heading)
		html(&r->out, "<h3>%s</h3>", CHART_HEADINGS[which]);
	html(&r->out, "<div class=\"chart-scroll\" tabindex=\"0\" role=\"group\" aria-label=\"%s\"><img src=\"/charts/%s\" alt=\"%s\"></div>"
		      "<details><summary>The numbers</summary>\n", CHART_HEADINGS[which], CHART_FILES[which], CHART_ALTS[which]);
	chart_render(r, d, which, true);
	html_unsafe_raw(&r->out, "</details></figure>\n");
}

/* The daily series: each partner's average closeness and safety over the
 * last two weeks, in a line, then the last four weeks' chart with its
 * days in a table. */
static void daily_render(struct req *r, const struct data *d)
{
	enum { DAYS = 14 };
	const struct insight_input *in = &d->in;
	html_unsafe_raw(&r->out, "<h3 id=\"daily-h\">Day by day</h3>\n");
	if (!in->n_daily) {
		html_unsafe_raw(&r->out, "<p>The daily check-in's two numbers, how close and how safe each day "
					 "felt, gather here. <a href=\"/daily\">Check in for today</a></p>\n");
		return;
	}
	static const char *const WHO[2] = { "You", "Your partner" };
	for (int who = INS_ME; who <= INS_PARTNER; who++) {
		int n;
		double close = insight_daily_mean(in, who, INS_DAILY_CLOSE, in->today, DAYS, &n);
		double safe = insight_daily_mean(in, who, INS_DAILY_SAFE, in->today, DAYS, NULL);
		const char *name = who == INS_ME ? WHO[0] : r->me->partner_name ? r->me->partner_name : WHO[1];
		char c[16], sf[16];
		snprintf(c, sizeof(c), "%.1f", close);
		snprintf(sf, sizeof(sf), "%.1f", safe);
		if (n)
			html(&r->out, "<p class=\"daily-line\">%s, over the last two weeks: close %s and safe %s "
				      "out of 10 on average (%s).</p>\n", name, c, sf,
			     words_count(&r->arena, n, "day", "days"));
		else
			html(&r->out, "<p class=\"daily-line\">%s: no daily check-ins to show in the last two weeks.</p>\n",
			     name);
	}
	chart_figure(r, d, CH_DAILY, false);
}

/* The questions behind the timeline, with the viewer's answers chosen. */
static void factors_form(struct req *r, const struct ins_factors *x)
{
	html_unsafe_raw(&r->out, "<h2 id=\"factors\">What shapes your timeline</h2>\n<p class=\"hint\">How long "
				 "healing takes depends on a few things. Answer what you can; the timeline above weighs "
				 "your answers with what your records show. The first two are shared: either of you can "
				 "answer, and you both see the answer. The last two are yours alone.</p>\n");
	const int a[N_FACTORS] = { x->severity, x->repeated, x->before, x->commitment };
	ui_form_begin(r, "/insights/factors");
	for (size_t i = 0; i < N_FACTORS; i++) {
		const char *opts[] = { FACTORS[i].words[0], FACTORS[i].labels[0], FACTORS[i].words[1], FACTORS[i].labels[1],
				       "unsaid", "Rather not say", NULL };
		ui_radios(r, FACTORS[i].question, FACTORS[i].name, opts,
			  a[i] == INS_W_LIGHTER ? FACTORS[i].words[0] : a[i] == INS_W_HEAVIER ? FACTORS[i].words[1] : "unsaid");
	}
	ui_form_end(r, "Save my answers");
}

static void insights_render(struct req *r, const struct data *d, const char *notice, const char *kind,
			    const char *discovery_input)
{
	page_begin(r, "How are we doing");
	if (notice)
		ui_notice(r, kind, notice);
	html_unsafe_raw(&r->out, "<p class=\"hint\">What your own records show, with the reasons beside each. "
				 "These are about the records, never a verdict about either of you.</p>\n");
	if (!d->out->n)
		html_unsafe_raw(&r->out, "<p>Nothing to show yet. As you check in each week and keep your records, "
					 "this page will show how things are changing: trends, small wins, and the "
					 "signs that help would be good.</p>\n");
	if (d->out->n)
		html_unsafe_raw(&r->out, "<h2>What your records show</h2>\n");
	for (int i = 0; i < d->out->n; i++)
		finding_html(r, &d->out->f[i], i);

	html_unsafe_raw(&r->out, "<h2>Charts</h2>\n");
	for (int i = 0; i < CH_N; i++)
		if (i != CH_DAILY) /* under its own heading, with the averages */
			chart_figure(r, d, (enum chart)i, true);

	daily_render(r, d);

	html_unsafe_raw(&r->out, "<h2>The discovery day</h2>\n<p class=\"hint\">The timeline counts from this day. "
				 "Without it, the first disclosure you recorded stands in for it.</p>\n");
	ui_form_begin(r, "/insights/discovery");
	char disc[11] = "";
	if (d->discovery_set != INS_NONE)
		date_format(d->discovery_set, disc);
	ui_input(r, "The day it came out", "discovery_on", "date", discovery_input ? discovery_input : disc, "off",
		 "Leave empty to clear it.", 0);
	ui_form_end(r, "Save the day");
	factors_form(r, &d->in.factors);
	html_unsafe_raw(&r->out, "<p><a href=\"/coach\">The language coach</a>: a private check of your words before you share them.</p>\n");
	page_end(r);
}

void page_insights(struct req *r)
{
	struct data d;
	if (!load_or_answer(r, &d))
		return;
	const char *saved = kv_get(&r->query, "saved");
	insights_render(r, &d, !saved ? NULL : !strcmp(saved, "factors") ? "Your answers are saved." : "The discovery day is saved.",
			"info", NULL);
}

void page_insights_discovery_post(struct req *r)
{
	const char *day = req_form_field(r, "discovery_on");
	if (day && !discovery_ok(r, day)) {
		struct data d;
		if (!load_or_answer(r, &d))
			return;
		r->status = 400;
		insights_render(r, &d, "That day did not look right. Please give a real day, not in the future.", "attention",
				day);
		return;
	}
	req_redirect_after(r, discovery_store(r, day), "/insights?saved=1");
}

void insights_home(struct req *r)
{
	struct data d;
	bool help = false;
	if (!r->me || !r->me->couple_id)
		return;
	if (kept_find(r, &d)) {
		for (int i = 0; i < d.out->n; i++)
			help = help || d.out->f[i].severity >= INS_CONCERN;
	} else if (load_input(r, &d, false) == SQLITE_OK) {
		help = insight_needs_help(&d.in); /* the card shows only this */
	} else {
		return;
	}
	if (help)
		html_unsafe_raw(&r->out, "<p class=\"hint\"><a href=\"/insights\">How are we doing</a>: your records show "
					 "something worth looking at, with ideas for help.</p>\n");
	else
		html_unsafe_raw(&r->out, "<p class=\"hint\"><a href=\"/insights\">How are we doing</a>: trends and "
					 "small wins.</p>\n");
}

/* ------------------------------------------------------------ the coach */

/* Whether the viewer has the coach on (the default). -1 on a storage error. */
static int coach_enabled(struct req *r)
{
	sqlite3 *c = db_reader(&r->app->db);
	long long on = 1;
	int rc = c ? db_int(c, &on, "SELECT enabled FROM coach_setting WHERE user_id = ?1", "i", r->me->user_id)
		   : SQLITE_CANTOPEN;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return -1;
	return rc == SQLITE_ROW ? (int)on : 1;
}

static int coach_store(struct req *r, bool on)
{
	sqlite3 *w = db_write_begin(&r->app->db);
	int rc = db_run(w, "INSERT INTO coach_setting(user_id, enabled, updated_at) VALUES(?1, ?2, ?3)"
			   " ON CONFLICT(user_id) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at",
			"iii", r->me->user_id, (long long)on, (long long)time(NULL));
	int erc = db_write_end(&r->app->db, rc == SQLITE_OK);
	return rc != SQLITE_OK ? rc : erc;
}

void api_coach_post(struct req *r)
{
	static const char *const fields[] = { "text", NULL };
	const char *text;
	if (jin_only(r, r->json, fields) < 0 || jin_str(r, r->json, "text", true, 4000, &text) < 0)
		return;
	int on = coach_enabled(r);
	if (on < 0) {
		req_db_error(r, SQLITE_ERROR);
		return;
	}
	json_t *notes = json_array();
	struct coach_note n[COACH_MAX_NOTES];
	int k = on ? coach_check_builtin(text, strlen(text), n, COACH_MAX_NOTES) : 0;
	for (int i = 0; i < k; i++)
		json_array_append_new(notes, json_pack("{s:I, s:I, s:s, s:s%, s:s}", "start", (json_int_t)n[i].start, "end",
						       (json_int_t)n[i].end, "kind", n[i].kind, "suggestion",
						       n[i].suggestion, n[i].suggestion_len, "match",
						       n[i].by_rule ? "words" : "sentence"));
	req_json(r, 200, json_pack("{s:b, s:o}", "enabled", on, "notes", notes));
}

void api_coach_settings_get(struct req *r)
{
	int on = coach_enabled(r);
	if (on < 0) {
		req_db_error(r, SQLITE_ERROR);
		return;
	}
	req_json(r, 200, json_pack("{s:b}", "enabled", on));
}

void api_coach_settings_put(struct req *r)
{
	static const char *const fields[] = { "enabled", NULL };
	bool on;
	if (jin_only(r, r->json, fields) < 0 || jin_bool(r, r->json, "enabled", true, &on) < 0)
		return;
	int rc = coach_store(r, on);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_json(r, 200, json_pack("{s:b}", "enabled", on));
}

/* The byte offset of code point cp in s (its length when past the end). */
static size_t byte_of(const char *s, size_t cp)
{
	size_t b = 0, k = 0;
	for (; s[b]; b++)
		if (((unsigned char)s[b] & 0xC0) != 0x80 && k++ == cp)
			return b;
	return b;
}

/* The coach page: a text to check, the notes on it, and the switch. */
static void coach_render(struct req *r, int on, const char *text, const char *notice, const char *kind)
{
	page_begin(r, "The language coach");
	if (notice)
		ui_notice(r, kind, notice);
	html_unsafe_raw(&r->out, "<p>Before you share something hard, the coach can point out words that tend to "
				 "hurt or to dodge: blame, excuses, \"you always\" and \"you never\", making pain "
				 "smaller, comparing with others, asking to move on. It suggests the \"I feel … "
				 "when … I need …\" form instead. It runs here, on this server, keeps nothing you "
				 "paste, and never stops you from sending.</p>\n");
	if (on) {
		ui_form_begin(r, "/coach");
		html(&r->out, "<p class=\"field\"><label for=\"f-text\">What you want to say</label>"
			      "<textarea id=\"f-text\" name=\"text\" rows=\"6\" maxlength=\"4000\">%s</textarea></p>\n",
		     text ? text : "");
		ui_form_end(r, "Check my words");
	}
	if (on && text) {
		struct coach_note n[COACH_MAX_NOTES];
		int k = coach_check_builtin(text, strlen(text), n, COACH_MAX_NOTES);
		if (!k)
			html_unsafe_raw(&r->out, "<section class=\"notice notice-celebrate\"><p>Nothing stood out. "
						 "Your words are yours to send.</p></section>\n");
		else
			html_unsafe_raw(&r->out, "<section class=\"coach-notes\"><h2>A few things to consider</h2><ul>\n");
		for (int i = 0; i < k; i++) {
			size_t b0 = byte_of(text, n[i].start), b1 = byte_of(text, n[i].end);
			html(&r->out, "<li><q>%.*s</q>: %.*s</li>\n", (int)(b1 - b0), text + b0, (int)n[i].suggestion_len,
			     n[i].suggestion);
		}
		if (k)
			html_unsafe_raw(&r->out, "</ul></section>\n");
	}
	html_unsafe_raw(&r->out, "<h2>Switch the coach</h2>\n");
	ui_form_begin(r, "/coach/settings");
	static const char *const opts[] = { "1", "On", "0", "Off", NULL };
	ui_radios(r, "The language coach is", "enabled", opts, on ? "1" : "0");
	ui_form_end(r, "Save");
	page_end(r);
}

void page_coach(struct req *r)
{
	int on = coach_enabled(r);
	if (on < 0) {
		req_db_error(r, SQLITE_ERROR);
		return;
	}
	coach_render(r, on, NULL, kv_get(&r->query, "saved") ? "Saved." : NULL, "info");
}

void page_coach_post(struct req *r)
{
	int on = coach_enabled(r);
	if (on < 0) {
		req_db_error(r, SQLITE_ERROR);
		return;
	}
	const char *text = req_form_field(r, "text");
	if (!text) {
		coach_render(r, on, NULL, "Write or paste the words you want to check.", "attention");
		return;
	}
	struct input_err e;
	if (input_text(text, "text", true, INPUT_TEXT_MAX, &text, &e) < 0) {
		r->status = 400;
		coach_render(r, on, NULL, "That text is too long or holds characters it cannot check; the coach reads "
					  "up to 4,000 characters.", "attention");
		return;
	}
	coach_render(r, on, text, NULL, "info");
}

void page_coach_settings_post(struct req *r)
{
	const char *v = req_form_field(r, "enabled");
	if (!v || (strcmp(v, "0") && strcmp(v, "1"))) {
		int on = coach_enabled(r);
		r->status = 400;
		coach_render(r, on > 0, NULL, "Please choose on or off.", "attention");
		return;
	}
	int rc = coach_store(r, v[0] == '1');
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_redirect(r, "/coach?saved=1");
}

/* What parting and closing an account run on this room's tables (db/db.h). */
const struct room_sql insights_sql = {
	.clear = "DELETE FROM insight_factor WHERE couple_id = ?1; DELETE FROM insight_setting WHERE couple_id = ?1; ",
	.forget = "DELETE FROM insight_factor WHERE user_id = ?1; DELETE FROM coach_setting WHERE user_id = ?1; ",
};
