/* roadmap.c: the roadmap as data and each partner's progress along it.
 *
 * The content (content/roadmap.txt, format described at its top) is parsed
 * and validated once; a broken file is refused with its line number. Each
 * partner marks their own progress per step (not started, in progress,
 * done) with an optional private note sealed under their own data key. A
 * step is done for the couple when each partner it concerns has marked it
 * done: a step that concerns the hurt partner needs the partner whose role
 * is "hurt" or "both", and likewise for the accountable partner. */
#include "roadmap.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
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
#include "../base/buf.h"
#include "../base/caltime.h"
#include "../base/utf8.h"
#include "../http/assets.h"
#include "../http/input.h"
#include "../http/jsonin.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"

#define ROADMAP_FILE "content/roadmap.txt"
#define VALUE_MAX 600
#define PHASES_MAX 20

/* ---- the content ---- */

static void errf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

void roadmap_free(struct roadmap *rm)
{
	if (!rm)
		return;
	free(rm->phases);
	free(rm->steps);
	free(rm->text);
	free(rm);
}

static bool id_ok(const char *s)
{
	if (!*s || strlen(s) > 32)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return true;
}

static bool path_ok(const char *s, size_t n)
{
	if (n < 1 || n > 100 || s[0] != '/')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '-' || c == '_'))
			return false;
	}
	return true;
}

/* Sets *slot to v unless it is set already. */
static int set_once(const char **slot, char *v, int line, const char *key, char *err, size_t errlen)
{
	if (*slot) {
		errf(err, errlen, "line %d: '%s' given twice", line, key);
		return -1;
	}
	*slot = v;
	return 0;
}

struct roadmap *roadmap_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct roadmap *rm = xcalloc(1, sizeof(*rm));
	int *step_line = NULL, *phase_line = NULL;
	rm->text = xmalloc(len + 1);
	memcpy(rm->text, text, len);
	rm->text[len] = '\0';
	if (!utf8_valid_text(rm->text, len)) {
		errf(err, errlen, "the file is not clean UTF-8 text");
		goto fail;
	}
	step_line = xcalloc(ROADMAP_MAX_STEPS + 1, sizeof(int));
	phase_line = xcalloc(PHASES_MAX + 1, sizeof(int));
	rm->phases = xcalloc(PHASES_MAX, sizeof(*rm->phases));
	rm->steps = xcalloc(ROADMAP_MAX_STEPS, sizeof(*rm->steps));
	struct roadmap_phase *ph = NULL;
	struct roadmap_step *st = NULL;
	int line = 0;
	char *p = rm->text;
	while (*p) {
		char *eol = strchr(p, '\n');
		char *next = eol ? eol + 1 : p + strlen(p);
		if (eol)
			*eol = '\0';
		line++;
		char *s = p;
		p = next;
		size_t n = strlen(s);
		while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
			s[--n] = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '#')
			continue;
		char *colon = strchr(s, ':');
		if (!colon) {
			errf(err, errlen, "line %d: expected 'key: value'", line);
			goto fail;
		}
		*colon = '\0';
		char *key = s, *v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		if (!*v) {
			errf(err, errlen, "line %d: '%s' has no value", line, key);
			goto fail;
		}
		if (utf8_count(v, strlen(v)) > VALUE_MAX) {
			errf(err, errlen, "line %d: '%s' is longer than %d characters", line, key, VALUE_MAX);
			goto fail;
		}
		if (!strcmp(key, "phase")) {
			if (rm->nphases == PHASES_MAX) {
				errf(err, errlen, "line %d: more than %d phases", line, PHASES_MAX);
				goto fail;
			}
			if (!id_ok(v)) {
				errf(err, errlen, "line %d: a phase id uses a-z, 0-9 and dashes", line);
				goto fail;
			}
			for (int i = 0; i < rm->nphases; i++)
				if (!strcmp(rm->phases[i].id, v)) {
					errf(err, errlen, "line %d: phase '%s' is there twice", line, v);
					goto fail;
				}
			ph = &rm->phases[rm->nphases];
			phase_line[rm->nphases] = line;
			ph->id = v;
			ph->first = rm->nsteps;
			rm->nphases++;
			st = NULL;
			continue;
		}
		if (!ph) {
			errf(err, errlen, "line %d: '%s' before the first phase", line, key);
			goto fail;
		}
		if (!strcmp(key, "step")) {
			char *end;
			errno = 0;
			long num = strtol(v, &end, 10);
			if (*end || errno || num != rm->nsteps + 1) {
				errf(err, errlen, "line %d: expected step %d", line, rm->nsteps + 1);
				goto fail;
			}
			if (rm->nsteps == ROADMAP_MAX_STEPS) {
				errf(err, errlen, "line %d: more than %d steps", line, ROADMAP_MAX_STEPS);
				goto fail;
			}
			st = &rm->steps[rm->nsteps];
			step_line[rm->nsteps] = line;
			st->number = (int)num;
			st->phase = rm->nphases - 1;
			st->concerns = -1;
			rm->nsteps++;
			ph->count++;
			continue;
		}
		int rc = 0;
		if (!strcmp(key, "title")) {
			rc = set_once(st ? &st->title : &ph->title, v, line, key, err, errlen);
		} else if (!strcmp(key, "summary")) {
			if (st) {
				errf(err, errlen, "line %d: 'summary' belongs to the phase, before its first step", line);
				goto fail;
			}
			rc = set_once(&ph->summary, v, line, key, err, errlen);
		} else if (!st) {
			errf(err, errlen, "line %d: '%s' outside a step", line, key);
			goto fail;
		} else if (!strcmp(key, "purpose")) {
			rc = set_once(&st->purpose, v, line, key, err, errlen);
		} else if (!strcmp(key, "hurt")) {
			rc = set_once(&st->hurt, v, line, key, err, errlen);
		} else if (!strcmp(key, "accountable")) {
			rc = set_once(&st->accountable, v, line, key, err, errlen);
		} else if (!strcmp(key, "done")) {
			rc = set_once(&st->done, v, line, key, err, errlen);
		} else if (!strcmp(key, "concerns")) {
			if ((int)st->concerns != -1) {
				errf(err, errlen, "line %d: 'concerns' given twice", line);
				goto fail;
			}
			if (!strcmp(v, "both"))
				st->concerns = RM_BOTH;
			else if (!strcmp(v, "hurt"))
				st->concerns = RM_HURT;
			else if (!strcmp(v, "accountable"))
				st->concerns = RM_ACCOUNTABLE;
			else {
				errf(err, errlen, "line %d: 'concerns' is both, hurt or accountable", line);
				goto fail;
			}
		} else if (!strcmp(key, "feature")) {
			size_t plen = strcspn(v, " \t");
			char *label = v + plen;
			while (*label == ' ' || *label == '\t')
				label++;
			if (!path_ok(v, plen) || !*label) {
				errf(err, errlen, "line %d: 'feature' is a path starting with / (a-z, 0-9, / - _) then a label", line);
				goto fail;
			}
			if (st->nfeatures == ROADMAP_MAX_FEATURES) {
				errf(err, errlen, "line %d: more than %d features", line, ROADMAP_MAX_FEATURES);
				goto fail;
			}
			v[plen] = '\0';
			st->features[st->nfeatures].path = v;
			st->features[st->nfeatures].label = label;
			st->nfeatures++;
		} else {
			errf(err, errlen, "line %d: unknown key '%s'", line, key);
			goto fail;
		}
		if (rc < 0)
			goto fail;
	}
	if (rm->nphases == 0 || rm->nsteps == 0) {
		errf(err, errlen, "the file has no %s", rm->nphases ? "steps" : "phases");
		goto fail;
	}
	for (int i = 0; i < rm->nphases; i++) {
		const struct roadmap_phase *q = &rm->phases[i];
		if (!q->title || !q->summary) {
			errf(err, errlen, "line %d: phase '%s' has no '%s'", phase_line[i], q->id,
			     q->title ? "summary" : "title");
			goto fail;
		}
	}
	for (int i = 0; i < rm->nsteps; i++) {
		const struct roadmap_step *q = &rm->steps[i];
		const char *missing = !q->title ? "title" : (int)q->concerns == -1 ? "concerns"
				    : !q->purpose ? "purpose" : !q->hurt ? "hurt"
				    : !q->accountable ? "accountable" : !q->done ? "done" : NULL;
		if (missing) {
			errf(err, errlen, "line %d: step %d has no '%s'", step_line[i], q->number, missing);
			goto fail;
		}
	}
	free(step_line);
	free(phase_line);
	return rm;
fail:
	free(step_line);
	free(phase_line);
	roadmap_free(rm);
	return NULL;
}

static pthread_mutex_t rm_lock = PTHREAD_MUTEX_INITIALIZER;
static struct roadmap *current;

int roadmap_init(char *err, size_t errlen)
{
	int rc = 0;
	pthread_mutex_lock(&rm_lock);
	if (!current) {
		const struct asset *a = asset_find(ROADMAP_FILE);
		char e[256];
		if (!a) {
			errf(err, errlen, "%s is not compiled in", ROADMAP_FILE);
			rc = -1;
		} else if (!(current = roadmap_parse((const char *)a->data, a->len, e, sizeof(e)))) {
			errf(err, errlen, "%s: %s", ROADMAP_FILE, e);
			rc = -1;
		}
	}
	pthread_mutex_unlock(&rm_lock);
	return rc;
}

const struct roadmap *roadmap_get(void)
{
	char err[256];
	if (roadmap_init(err, sizeof(err)) < 0)
		die("%s", err); /* the compiled-in file is checked by the tests */
	return current;
}

int roadmap_load_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		errf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct buf b;
	buf_init(&b, 16384);
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		buf_add(&b, chunk, n);
		if (b.len > 1024 * 1024)
			break;
	}
	bool bad = ferror(f) != 0;
	fclose(f);
	if (bad || b.len > 1024 * 1024) {
		errf(err, errlen, "%s: %s", path, bad ? "cannot be read" : "is larger than 1 MiB");
		buf_release(&b);
		return -1;
	}
	char e[256];
	struct roadmap *rm = roadmap_parse(b.s, b.len, e, sizeof(e));
	buf_release(&b);
	if (!rm) {
		errf(err, errlen, "%s: %s", path, e);
		return -1;
	}
	pthread_mutex_lock(&rm_lock);
	roadmap_free(current);
	current = rm;
	pthread_mutex_unlock(&rm_lock);
	return 0;
}

void roadmap_shutdown(void)
{
	pthread_mutex_lock(&rm_lock);
	roadmap_free(current);
	current = NULL;
	pthread_mutex_unlock(&rm_lock);
}

/* ---- progress ---- */

enum { ST_NOT_STARTED = 0, ST_IN_PROGRESS, ST_DONE };
static const char *const STATUS_NAMES[] = { "not_started", "in_progress", "done" };
static const char *const STATUS_WORDS[] = { "Not started", "Under way", "Done" };

static int status_of(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (s && !strcmp(s, STATUS_NAMES[i]))
			return i;
	return -1;
}

/* The couple's progress: per step, mine and the partner's status. */
struct progress {
	unsigned char me[ROADMAP_MAX_STEPS + 1], partner[ROADMAP_MAX_STEPS + 1];
	bool have_partner;
	const char *partner_role;
	int phase;          /* the current phase: first with a step not done together */
	int next;           /* my next step number, 0 when none */
};

static bool concerns_role(const struct roadmap_step *s, const char *role)
{
	if (!role)
		return false;
	if (s->concerns == RM_BOTH || !strcmp(role, "both"))
		return true;
	return !strcmp(role, s->concerns == RM_HURT ? "hurt" : "accountable");
}

/* True when each partner the step concerns has done it (both partners
 * present; at least one of them concerned). */
static bool couple_done(const struct roadmap_step *s, const struct progress *p, const char *my_role)
{
	if (!p->have_partner)
		return false;
	bool mine = concerns_role(s, my_role), theirs = concerns_role(s, p->partner_role);
	if (!mine && !theirs)
		return false;
	return (!mine || p->me[s->number] == ST_DONE) && (!theirs || p->partner[s->number] == ST_DONE);
}

/* Who sees what of roadmap_progress: both partners see each other's
 * status; a note only its author (it is sealed under their data key). */
#define PROGRESS_VISIBLE " FROM roadmap_progress WHERE couple_id = ?1"

/* A note is sealed as field "<user>:<step>:note" of record "roadmap:<couple>". */
static void note_field(char out[48], long long user_id, int step)
{
	snprintf(out, 48, "%lld:%d:note", user_id, step);
}

/* Reads the progress of the viewer's couple, and the viewer's own notes
 * (opened) when notes is not NULL. Returns 0, or -1 after answering. */
static int load_progress(struct req *r, const struct viewer *v, const struct roadmap *rm,
			 struct progress *p, const char **notes)
{
	memset(p, 0, sizeof(*p));
	sqlite3 *c = db_reader(&r->app->db);
	char prole[16];
	int prc = c ? acct_partner(c, v->couple_id, v->user_id, NULL, prole) : SQLITE_CANTOPEN;
	if (prc != SQLITE_OK && prc != SQLITE_NOTFOUND) {
		req_db_error(r, prc);
		return -1;
	}
	if (prc == SQLITE_OK) {
		p->have_partner = true;
		p->partner_role = arena_strdup(&r->arena, prole);
	}
	sqlite3_stmt *st = db_prepare(c, "SELECT user_id, step, status, CASE WHEN user_id = ?2 THEN note_sealed END"
			   PROGRESS_VISIBLE, "ii", v->couple_id, v->user_id);
	if (!st) {
		req_db_error(r, sqlite3_extended_errcode(c));
		return -1;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		long long uid = sqlite3_column_int64(st, 0);
		int step = sqlite3_column_int(st, 1);
		int s = status_of((const char *)sqlite3_column_text(st, 2));
		if (step < 1 || step > ROADMAP_MAX_STEPS || s < 0)
			continue;
		if (uid == v->user_id)
			p->me[step] = (unsigned char)s;
		else
			p->partner[step] = (unsigned char)s;
		if (notes && uid == v->user_id) {
			char field[48];
			note_field(field, uid, step);
			notes[step] = vault_open_text(&r->arena, v->data_key, "roadmap", v->couple_id, field,
						      sqlite3_column_blob(st, 3),
						      (size_t)sqlite3_column_bytes(st, 3));
		}
	}
	db_done(st);
	p->phase = rm->nphases - 1;
	for (int i = 0; i < rm->nsteps; i++)
		if (!couple_done(&rm->steps[i], p, v->role)) {
			p->phase = rm->steps[i].phase;
			break;
		}
	for (int i = 0; i < rm->nsteps && !p->next; i++)
		if (concerns_role(&rm->steps[i], v->role) && p->me[i + 1] != ST_DONE)
			p->next = i + 1;
	return 0;
}

int roadmap_last_moved(struct req *r, const struct viewer *v, long long *at)
{
	*at = 0;
	sqlite3 *c = db_reader(&r->app->db);
	if (!c)
		return SQLITE_CANTOPEN;
	int rc = db_int(c, at, "SELECT coalesce(max(updated_at), 0)" PROGRESS_VISIBLE
			       " AND status <> 'not_started'", "i", v->couple_id);
	return rc == SQLITE_ROW ? SQLITE_OK : rc;
}

int roadmap_help_status(struct req *r, const struct viewer *v, int *status)
{
	*status = 0;
	const struct roadmap *rm = roadmap_get();
	sqlite3 *c = db_reader(&r->app->db);
	if (!c)
		return SQLITE_CANTOPEN;
	for (int i = 0; rm && i < rm->nsteps; i++) {
		bool help = false;
		for (int k = 0; k < rm->steps[i].nfeatures; k++)
			help |= !strcmp(rm->steps[i].features[k].path, "/guidance/counselling");
		if (!help)
			continue;
		long long best = 0;
		int rc = db_int(c, &best, "SELECT coalesce(max(CASE status WHEN 'done' THEN 2 WHEN 'in_progress' THEN 1"
					  " ELSE 0 END), 0)" PROGRESS_VISIBLE " AND step = ?2",
				"ii", v->couple_id, (long long)rm->steps[i].number);
		if (rc != SQLITE_ROW)
			return rc;
		if (best > *status)
			*status = (int)best;
	}
	return SQLITE_OK;
}

int roadmap_store_progress(sqlite3 *w, const unsigned char *data_key, long long couple_id,
			   long long user_id, int step, const char *status, const char *note,
			   bool keep_note, long long at)
{
	struct buf sealed = BUF_INIT;
	char field[48];
	note_field(field, user_id, step);
	if (!keep_note && vault_seal_row(data_key, "roadmap", couple_id, field, note, &sealed) < 0)
		return SQLITE_ERROR;
	int rc;
	if (keep_note)
		rc = db_run(w, "INSERT INTO roadmap_progress(couple_id, user_id, step, status, updated_at)"
			       " VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(couple_id, user_id, step)"
			       " DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at",
			    "iiiti", couple_id, user_id, (long long)step, status, at);
	else
		rc = db_run(w, "INSERT INTO roadmap_progress(couple_id, user_id, step, status, note_sealed, updated_at)"
			       " VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(couple_id, user_id, step)"
			       " DO UPDATE SET status = excluded.status, note_sealed = excluded.note_sealed,"
			       " updated_at = excluded.updated_at",
			    "iiitBi", couple_id, user_id, (long long)step, status, &sealed, at);
	buf_release(&sealed);
	return rc;
}

struct progress_job {
	const struct viewer *v;
	int step, status;
	const char *note;
	bool keep_note;
	long long at;
};

static int progress_job_run(sqlite3 *w, void *arg)
{
	const struct progress_job *j = arg;
	return roadmap_store_progress(w, j->v->data_key, j->v->couple_id, j->v->user_id, j->step,
				      STATUS_NAMES[j->status], j->note, j->keep_note, j->at);
}

/* Stores the viewer's status (and note unless keep_note) for a step.
 * Returns SQLITE_OK or an error code. */
static int store_progress(struct req *r, int step, int status, const char *note, bool keep_note)
{
	struct progress_job j = { r->me, step, status, note, keep_note, (long long)r->now };
	return db_write(&r->app->db, progress_job_run, &j);
}

/* ---- API ---- */

void roadmap_api_get(struct req *r)
{
	const struct roadmap *rm = roadmap_get();
	struct progress p;
	const char *notes[ROADMAP_MAX_STEPS + 1] = { NULL };
	if (load_progress(r, r->me, rm, &p, notes) < 0)
		return;
	json_t *phases = json_array();
	for (int i = 0; i < rm->nphases; i++) {
		const struct roadmap_phase *ph = &rm->phases[i];
		json_t *steps = json_array();
		for (int k = ph->first; k < ph->first + ph->count; k++) {
			const struct roadmap_step *s = &rm->steps[k];
			const char *note = notes[s->number];
			json_t *feat = json_array();
			for (int f = 0; f < s->nfeatures; f++)
				json_array_append_new(feat, json_pack("{s:s, s:s}", "path", s->features[f].path,
								       "label", s->features[f].label));
			json_array_append_new(steps, json_pack(
				"{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:b, s:s?}",
				"number", s->number, "title", s->title,
				"concerns", s->concerns == RM_BOTH ? "both" : s->concerns == RM_HURT ? "hurt" : "accountable",
				"purpose", s->purpose, "hurt", s->hurt, "accountable", s->accountable,
				"done_when", s->done, "features", feat,
				"me", STATUS_NAMES[p.me[s->number]],
				"partner", p.have_partner ? json_string(STATUS_NAMES[p.partner[s->number]]) : json_null(),
				"couple_done", couple_done(s, &p, r->me->role), "note", note));
		}
		json_array_append_new(phases, json_pack("{s:s, s:s, s:s, s:o}", "id", ph->id, "title", ph->title,
							"summary", ph->summary, "steps", steps));
	}
	req_json(r, 200, json_pack("{s:o, s:s, s:o}", "phases", phases,
				   "current_phase", rm->phases[p.phase].id,
				   "next_step", p.next ? json_integer(p.next) : json_null()));
}

void roadmap_api_step_put(struct req *r)
{
	static const char *const fields[] = { "status", "note", NULL };
	const struct roadmap *rm = roadmap_get();
	long long step = req_param_id(r, "number", rm->nsteps);
	const char *status, *note;
	if (step < 0) {
		req_error(r, 404, "not_found", "There is no such step.", NULL);
		return;
	}
	if (jin_only(r, r->json, fields) < 0 || jin_str(r, r->json, "status", true, 16, &status) < 0 ||
	    jin_str(r, r->json, "note", false, 4000, &note) < 0)
		return;
	int s = status_of(status);
	if (s < 0) {
		req_error(r, 400, "invalid_field", "status is not_started, in_progress or done.", "status");
		return;
	}
	if (note && *note && !auth_data_key(r))
		return;
	int rc = store_progress(r, (int)step, s, note, note == NULL);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_json(r, 200, json_pack("{s:i, s:s}", "number", (int)step, "me", STATUS_NAMES[s]));
}

/* ---- pages ---- */

static const char *concerns_words(enum roadmap_concerns c)
{
	return c == RM_BOTH ? "Both of you" : c == RM_HURT ? "Mostly the partner who was hurt"
							   : "Mostly the partner who broke trust";
}

void roadmap_page(struct req *r)
{
	const struct roadmap *rm = roadmap_get();
	struct progress p;
	if (load_progress(r, r->me, rm, &p, NULL) < 0)
		return;
	page_begin(r, "Our road");
	html(&r->out, "<p>The road has %d steps in %d parts. Each of you marks your own part; a step "
		      "is done together when each of you it concerns has marked it done. Going back to a "
		      "step is normal.</p>\n", rm->nsteps, rm->nphases);
	for (int i = 0; i < rm->nphases; i++) {
		const struct roadmap_phase *ph = &rm->phases[i];
		html(&r->out, "<section class=\"phase%s\" id=\"phase-%s\"><h2>%s%s</h2>\n<p>%s</p>\n",
		     i == p.phase ? " phase-current" : "", ph->id, ph->title,
		     i == p.phase ? " (where you are now)" : "", ph->summary);
		if (ph->count)
			html_unsafe_raw(&r->out, "<ol class=\"steps\">\n");
		for (int k = ph->first; k < ph->first + ph->count; k++) {
			const struct roadmap_step *s = &rm->steps[k];
			html(&r->out, "<li value=\"%d\"><a href=\"/roadmap/steps/%d\">%s</a> "
				      "<span class=\"step-status\">You: %s.", s->number, s->number, s->title,
			     STATUS_WORDS[p.me[s->number]]);
			if (p.have_partner)
				html(&r->out, " Your partner: %s.", STATUS_WORDS[p.partner[s->number]]);
			if (couple_done(s, &p, r->me->role))
				html_unsafe_raw(&r->out, " <strong>Done together.</strong>");
			html_unsafe_raw(&r->out, "</span></li>\n");
		}
		if (ph->count)
			html_unsafe_raw(&r->out, "</ol>\n");
		html_unsafe_raw(&r->out, "</section>\n");
	}
	page_end(r);
}

static const char *const STATUS_OPTIONS[] = {
	"not_started", "Not started", "in_progress", "Under way", "done", "Done, for my part", NULL,
};

static void step_page(struct req *r, const struct roadmap_step *s, const char *status, const char *note,
		      const char *notice_kind, const char *notice)
{
	const struct roadmap *rm = roadmap_get();
	page_begin(r, s->title);
	if (notice)
		ui_notice(r, notice_kind, notice);
	html(&r->out, "<p class=\"hint\">Step %d of %d, in \"%s\". %s.</p>\n", s->number, rm->nsteps,
	     rm->phases[s->phase].title, concerns_words(s->concerns));
	html(&r->out, "<h2>Why it matters</h2>\n<p>%s</p>\n", s->purpose);
	html(&r->out, "<h2>For the partner who was hurt</h2>\n<p>%s</p>\n", s->hurt);
	html(&r->out, "<h2>For the partner who broke trust</h2>\n<p>%s</p>\n", s->accountable);
	html(&r->out, "<h2>You will know it is done when</h2>\n<p>%s</p>\n", s->done);
	if (s->nfeatures) {
		html_unsafe_raw(&r->out, "<h2>Where troth helps</h2>\n<ul>\n");
		for (int f = 0; f < s->nfeatures; f++)
			html(&r->out, "<li><a href=\"%s\">%s</a></li>\n", s->features[f].path, s->features[f].label);
		html_unsafe_raw(&r->out, "</ul>\n");
	}
	html_unsafe_raw(&r->out, "<h2>Your part</h2>\n");
	ui_form_begin(r, arena_printf(&r->arena, "/roadmap/steps/%d", s->number));
	ui_radios(r, "Where are you with this step?", "status", STATUS_OPTIONS, status);
	html(&r->out, "<p class=\"field\"><label for=\"f-note\">A note for yourself (optional)</label>"
		      "<span class=\"hint\" id=\"h-note\">Only you can read it. Up to 4,000 characters.</span>"
		      "<textarea id=\"f-note\" name=\"note\" rows=\"4\" aria-describedby=\"h-note\">%s</textarea></p>\n",
	     note ? note : "");
	ui_form_end(r, "Save");
	html_unsafe_raw(&r->out, "<p><a href=\"/roadmap\">Back to the whole road</a></p>\n");
	page_end(r);
}

void roadmap_step_page(struct req *r)
{
	const struct roadmap *rm = roadmap_get();
	long long n = req_param_id(r, "number", rm->nsteps);
	struct progress p;
	const char *notes[ROADMAP_MAX_STEPS + 1] = { NULL };
	if (n < 0) {
		req_error(r, 404, "not_found", "There is no such step.", NULL);
		return;
	}
	if (load_progress(r, r->me, rm, &p, notes) < 0)
		return;
	const char *saved = kv_get(&r->query, "saved");
	step_page(r, &rm->steps[n - 1], STATUS_NAMES[p.me[n]], notes[n], "celebrate",
		  saved ? "Saved." : NULL);
}

void roadmap_step_post(struct req *r)
{
	const struct roadmap *rm = roadmap_get();
	long long n = req_param_id(r, "number", rm->nsteps);
	if (n < 0) {
		req_error(r, 404, "not_found", "There is no such step.", NULL);
		return;
	}
	const struct roadmap_step *s = &rm->steps[n - 1];
	const char *status = req_form_field(r, "status"), *note = kv_get(&r->form, "note");
	int st = status_of(status);
	if (st < 0) {
		r->status = 400;
		step_page(r, s, NULL, note, "attention", "Please choose where you are with this step.");
		return;
	}
	struct input_err e;
	const char *kept;
	if (input_text(note, "note", false, INPUT_TEXT_MAX, &kept, &e) < 0) {
		r->status = 400;
		step_page(r, s, status, note, "attention", "The note can be up to 4,000 characters.");
		return;
	}
	if (kept && !r->me->data_key) {
		r->status = 409;
		step_page(r, s, status, note, "attention",
			  auth_locked_text);
		return;
	}
	int rc = store_progress(r, (int)n, st, kept, false);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_redirect(r, arena_printf(&r->arena, "/roadmap/steps/%lld?saved=1", n));
}

void roadmap_home(struct req *r)
{
	const struct roadmap *rm = roadmap_get();
	struct progress p;
	if (load_progress(r, r->me, rm, &p, NULL) < 0)
		return;
	const struct roadmap_phase *ph = &rm->phases[p.phase];
	/* in a line: the phase's summary is on the road's page, one tap away */
	html(&r->out, "<section class=\"home-roadmap\"><p><strong>Where you are:</strong> %s. ", ph->title);
	if (p.next)
		html(&r->out, "Your next step: <a href=\"/roadmap/steps/%d\">%s</a>. ", p.next,
		     rm->steps[p.next - 1].title);
	html_unsafe_raw(&r->out, "</p></section>\n"); /* the whole road: the Road tab */
}

/* ---- the export ---- */

json_t *roadmap_export(struct req *r, const struct viewer *v)
{
	const struct roadmap *rm = roadmap_get();
	struct progress p;
	const char *notes[ROADMAP_MAX_STEPS + 1] = { NULL };
	if (load_progress(r, v, rm, &p, notes) < 0)
		return NULL;
	json_t *a = json_array();
	for (int i = 0; i < rm->nsteps; i++) {
		const struct roadmap_step *s = &rm->steps[i];
		int n = s->number;
		if (p.me[n] == ST_NOT_STARTED && p.partner[n] == ST_NOT_STARTED && !notes[n])
			continue;
		json_array_append_new(a, json_pack("{s:i, s:s, s:s, s:s, s:o, s:b, s:s?}", "number", n, "title",
						   s->title, "phase", rm->phases[s->phase].title, "me",
						   STATUS_NAMES[p.me[n]], "partner",
						   p.have_partner ? json_string(STATUS_NAMES[p.partner[n]]) : json_null(),
						   "couple_done", couple_done(s, &p, v->role), "note", notes[n]));
	}
	return a;
}

/* What parting and closing an account run on this room's tables (db/db.h). */
const struct room_sql roadmap_sql = {
	.own = "SELECT 'roadmap', couple_id, user_id || ':' || step || ':note', note_sealed, "
		"user_id, updated_at FROM roadmap_progress WHERE couple_id = ?1 AND user_id = ?2; ",
	.clear = "DELETE FROM roadmap_progress WHERE couple_id = ?1; ",
};

/* ---- what a counsellor may see ---- */

static json_t *counsel_step(struct req *r, const struct viewer *v, sqlite3_stmt *st, const void *arg)
{
	const struct roadmap *rm = arg;
	char day[11];
	(void)v;
	int step = sqlite3_column_int(st, 0);
	date_format(viewer_day_of(r, sqlite3_column_int64(st, 2)), day);
	const char *title = rm && step >= 1 && step <= rm->nsteps ? rm->steps[step - 1].title : NULL;
	return json_pack("{s:i, s:s, s:i, s:s?, s:s}", "id", step, "day", day, "step", step, "title", title, "status",
			 (const char *)sqlite3_column_text(st, 1));
}

/* The steps v has begun or done, with when each last moved: the status
 * only, never v's notes. */
json_t *roadmap_counsel(struct req *r, const struct viewer *v)
{
	int rc;
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, "SELECT step, status, updated_at" PROGRESS_VISIBLE
					     " AND user_id = ?2 AND status <> 'not_started' ORDER BY step",
					  "ii", v->couple_id, v->user_id) : NULL;
	return req_rows(r, v, c, st, counsel_step, roadmap_get(), &rc);
}
