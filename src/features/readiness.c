/* readiness.c: the private readiness check (see readiness.h).
 *
 * Three "can this survive?" questions and five prerequisites for each role
 * (ten for a partner whose role is "both"), each answered yes, not yet or
 * unsure. The answers are sealed under the author's data key; when the
 * author shares them, a copy is sealed under the couple key, and removed
 * again when they stop sharing. Nothing here judges: an unmet prerequisite
 * comes with what it means and where help is. */
#include "readiness.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../db/db.h"
#include "../app.h"
#include "../auth/auth.h"
#include "../auth/vault.h"
#include "../http/jsonin.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"

struct item {
	const char *key, *role, *text, *meaning;
};

static const struct item SURVIVE[] = {
	{ "love", "any", "Do I still love my partner?", NULL },
	{ "sorry", "hurt", "Do I believe my partner is truly sorry?", NULL },
	{ "want_rebuild", "any", "Do I want to rebuild, not only to stop the pain?", NULL },
	{ "partner_rebuild", "any", "Does my partner want to rebuild too?", NULL },
};

static const struct item PREREQS[] = {
	{ "responsibility", "accountable", "I take full responsibility, without excuses or blaming anyone else.",
	  "Trust cannot grow while the blame is shared out. A counsellor can help you find the words to own it fully." },
	{ "remorse", "accountable", "I am sorry for the hurt I caused, not only that I was found out.",
	  "Regret about being caught is common at first. Real remorse often grows once you face the hurt itself." },
	{ "transparency", "accountable", "I am willing to be open, even when it is uncomfortable.",
	  "Openness is how your partner can see change. If it feels impossible, talk about why in a session." },
	{ "change", "accountable", "I am committed to changing for the long term, not just to calm things now.",
	  "Quick calm fades. If you are not sure you can commit, that is worth saying honestly now." },
	{ "timeline", "accountable", "I accept that healing takes time and that the pace is not mine to set.",
	  "Wanting it to be over is human. Pushing for it slows healing down." },
	{ "want", "hurt", "I want this relationship to go on, not only because I fear being alone.",
	  "Fear of being alone is a real feeling, and it deserves care of its own. It is worth untangling with someone you trust." },
	{ "forgiveness", "hurt", "I am willing to work toward forgiveness in time, not necessarily now.",
	  "Forgiveness cannot be rushed. Not being ready yet is not a failure." },
	{ "needs", "hurt", "I will say what I need rather than punish without end.",
	  "Anger is part of healing. If you notice you want your partner to suffer, that is a sign you need more support." },
	{ "vulnerability", "hurt", "I am open to being vulnerable again, when I am ready.",
	  "Walls protect you after a shock. They can come down slowly, at your pace." },
	{ "imperfection", "hurt", "I can allow room for healing without asking for perfection.",
	  "Mistakes will happen along the way. What matters is the pattern over months." },
};

#define NS (sizeof(SURVIVE) / sizeof(*SURVIVE))
#define NP (sizeof(PREREQS) / sizeof(*PREREQS))

static const char *const ANSWERS[] = { "yes", "Yes", "not_yet", "Not yet", "unsure", "I am not sure", NULL };

static bool applies(const struct item *it, const char *role)
{
	return !strcmp(it->role, "any") || !role || !strcmp(role, "both") || !strcmp(role, it->role);
}

static bool answer_ok(const char *a)
{
	return a && (!strcmp(a, "yes") || !strcmp(a, "not_yet") || !strcmp(a, "unsure"));
}

/* Answers are sealed as field "<user>:answers" (own, data key) and
 * "<user>:shared" (the shared copy, couple key) of record
 * "readiness:<couple>". */
static void field_of(char out[32], long long user_id, bool shared)
{
	snprintf(out, 32, "%lld:%s", user_id, shared ? "shared" : "answers");
}

/* Who sees what: a partner reads their own answers, and the other
 * partner's only once shared. */
static const char VISIBLE[] =
	"SELECT user_id, CASE WHEN user_id = ?2 THEN answers ELSE shared END FROM readiness"
	" WHERE couple_id = ?1 AND (user_id = ?2 OR shared IS NOT NULL)";

/* The answers v may see: their own in *mine and the partner's shared ones
 * in *partner (new JSON objects, or NULL when none or locked). Returns 0,
 * or -1 after answering a storage error. */
static int load(struct req *r, const struct viewer *v, json_t **mine, json_t **partner)
{
	*mine = *partner = NULL;
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, VISIBLE, "ii", v->couple_id, v->user_id) : NULL;
	if (!st) {
		req_db_error(r, c ? sqlite3_extended_errcode(c) : SQLITE_CANTOPEN);
		return -1;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		long long uid = sqlite3_column_int64(st, 0);
		bool own = uid == v->user_id;
		char field[32];
		field_of(field, uid, !own);
		const char *text = vault_open_text(&r->arena, own ? v->data_key : v->couple_key, "readiness",
						   v->couple_id, field,
						   sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1));
		json_t **slot = own ? mine : partner;
		if (text && !*slot)
			*slot = json_loads(text, 0, NULL);
	}
	db_done(st);
	return 0;
}

/* Adds "unmet": the prerequisites not answered yes, with what they mean. */
static json_t *with_unmet(json_t *mine)
{
	json_t *unmet = json_array(), *pre = json_object_get(mine, "prerequisites");
	for (size_t i = 0; i < NP; i++) {
		const char *a = json_string_value(json_object_get(pre, PREREQS[i].key));
		if (a && strcmp(a, "yes"))
			json_array_append_new(unmet, json_pack("{s:s, s:s, s:s}", "key", PREREQS[i].key, "text",
							       PREREQS[i].text, "meaning", PREREQS[i].meaning));
	}
	json_object_set_new(mine, "unmet", unmet);
	return mine;
}

void readiness_api_get(struct req *r)
{
	json_t *mine, *partner;
	if (!auth_data_key(r) || load(r, r->me, &mine, &partner) < 0)
		return;
	req_json(r, 200, json_pack("{s:o, s:o}", "mine", mine ? with_unmet(mine) : json_null(), "partner",
				   partner ? partner : json_null()));
}

/* Reads one group of answers from obj into out (set in place); -1 after
 * answering. */
static int read_group(struct req *r, json_t *obj, const char *name, const struct item *items, size_t n,
		      json_t *out)
{
	if (!obj)
		return 0;
	if (!json_is_object(obj)) {
		req_error(r, 400, "invalid_field", arena_printf(&r->arena, "%s is an object of answers.", name), name);
		return -1;
	}
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		size_t i;
		for (i = 0; i < n; i++)
			if (!strcmp(items[i].key, key) && applies(&items[i], r->me->role))
				break;
		if (i == n) {
			req_error(r, 400, "unknown_field", arena_printf(&r->arena, "%s is not a question here.", key), key);
			return -1;
		}
		if (!answer_ok(json_string_value(v))) {
			req_error(r, 400, "invalid_field", "An answer is yes, not_yet or unsure.", key);
			return -1;
		}
		json_object_set(out, key, v);
	}
	return 0;
}

/* The size every sealed set of answers is padded to: above the longest
 * (every key of role both answered "not_yet"), one byte under a bucket. */
#define READINESS_PAD 1023u

int readiness_store(sqlite3 *w, const unsigned char *data_key, const unsigned char *couple_key,
		    long long couple_id, long long user_id, const char *answers, bool shared,
		    long long at)
{
	struct buf own = BUF_INIT, sh = BUF_INIT;
	char f_own[32], f_sh[32];
	field_of(f_own, user_id, false);
	field_of(f_sh, user_id, true);
	int rc = SQLITE_ERROR;
	/* every set of answers is padded with spaces (JSON ignores them) to one
	 * size, so the sealed size does not say how many were answered, or how */
	char padded[READINESS_PAD + 1];
	size_t n = strlen(answers);
	if (n < READINESS_PAD) {
		memcpy(padded, answers, n);
		memset(padded + n, ' ', READINESS_PAD - n);
		padded[READINESS_PAD] = '\0';
		answers = padded;
	}
	if (vault_seal_row(data_key, "readiness", couple_id, f_own, answers, &own) == 0 &&
	    (!shared || vault_seal_row(couple_key, "readiness", couple_id, f_sh, answers, &sh) == 0))
		rc = db_run(w, "INSERT INTO readiness(couple_id, user_id, answers, shared, updated_at)"
			       " VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(couple_id, user_id) DO UPDATE SET"
			       " answers = excluded.answers, shared = excluded.shared, updated_at = excluded.updated_at",
			    "iiBBi", couple_id, user_id, &own, &sh, at);
	buf_release(&own);
	buf_release(&sh);
	sodium_memzero(padded, sizeof(padded));
	return rc;
}

struct store_job {
	const struct viewer *v;
	const char *text;
	bool shared;
	long long at;
};

static int store_job_run(sqlite3 *w, void *arg)
{
	const struct store_job *j = arg;
	return readiness_store(w, j->v->data_key, j->v->couple_key, j->v->couple_id, j->v->user_id,
			       j->text, j->shared, j->at);
}

/* Stores the viewer's answers; shared copies them under the couple key. */
static int store(struct req *r, json_t *answers, bool shared)
{
	char *text = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text)
		return SQLITE_NOMEM;
	struct store_job j = { r->me, text, shared, (long long)r->now };
	int rc = db_write(&r->app->db, store_job_run, &j);
	free(text);
	return rc;
}

void readiness_api_put(struct req *r)
{
	static const char *const fields[] = { "survive", "prerequisites", "shared", NULL };
	bool shared = false;
	json_t *mine, *partner;
	if (jin_only(r, r->json, fields) < 0 || jin_bool(r, r->json, "shared", false, &shared) < 0 ||
	    !auth_data_key(r))
		return;
	if (shared && !auth_couple_key(r))
		return;
	if (load(r, r->me, &mine, &partner) < 0)
		return;
	json_decref(partner);
	if (!mine)
		mine = json_pack("{s:{}, s:{}}", "survive", "prerequisites");
	if (read_group(r, json_object_get(r->json, "survive"), "survive", SURVIVE, NS,
		       json_object_get(mine, "survive")) < 0 ||
	    read_group(r, json_object_get(r->json, "prerequisites"), "prerequisites", PREREQS, NP,
		       json_object_get(mine, "prerequisites")) < 0) {
		json_decref(mine);
		return;
	}
	json_object_del(mine, "shared");
	json_object_del(mine, "unmet");
	json_object_set_new(mine, "shared", json_boolean(shared));
	int rc = store(r, mine, shared);
	if (rc != SQLITE_OK) {
		json_decref(mine);
		req_db_error(r, rc);
		return;
	}
	req_json(r, 200, json_pack("{s:o}", "mine", with_unmet(mine)));
}

/* ---- pages ---- */

static void readiness_form(struct req *r, json_t *mine, json_t *partner, const char *notice_kind,
			   const char *notice)
{
	page_begin(r, "Are we ready?");
	if (notice)
		ui_notice(r, notice_kind, notice);
	html_unsafe_raw(&r->out,
		"<p>These questions are for you. There are no wrong answers, and your answers stay private "
		"unless you choose to share them with your partner. You can change them whenever you like: "
		"readiness grows.</p>\n<h2>Can this survive?</h2>\n");
	ui_form_begin(r, "/readiness");
	json_t *sv = json_object_get(mine, "survive"), *pr = json_object_get(mine, "prerequisites");
	for (size_t i = 0; i < NS; i++)
		if (applies(&SURVIVE[i], r->me->role))
			ui_radios(r, SURVIVE[i].text, arena_printf(&r->arena, "s_%s", SURVIVE[i].key), ANSWERS,
				  json_string_value(json_object_get(sv, SURVIVE[i].key)));
	html_unsafe_raw(&r->out, "<h2>What recovery needs from me</h2>\n");
	for (size_t i = 0; i < NP; i++) {
		if (!applies(&PREREQS[i], r->me->role))
			continue;
		const char *a = json_string_value(json_object_get(pr, PREREQS[i].key));
		ui_radios(r, PREREQS[i].text, arena_printf(&r->arena, "p_%s", PREREQS[i].key), ANSWERS, a);
		if (a && strcmp(a, "yes"))
			html(&r->out, "<p class=\"hint\">%s</p>\n", PREREQS[i].meaning);
	}
	html(&r->out, "<p class=\"field check\"><label><input type=\"checkbox\" name=\"shared\" value=\"1\"%s> "
		      "Share my answers with my partner</label></p>\n",
	     json_is_true(json_object_get(mine, "shared")) ? " checked" : "");
	ui_form_end(r, "Save my answers");
	html_unsafe_raw(&r->out,
		"<p>When a prerequisite is not there yet, rebuilding may hurt more than it heals for now. "
		"That is information, not a verdict: a <a href=\"/guidance/counselling\">counsellor</a> can "
		"help you both look at it. And if staying is not right, "
		"<a href=\"/guidance/walking-away\">walking away can be the healthy choice</a>.</p>\n");
	if (partner) {
		html_unsafe_raw(&r->out, "<h2>What your partner shared</h2>\n<ul>\n");
		json_t *psv = json_object_get(partner, "survive"), *ppr = json_object_get(partner, "prerequisites");
		for (size_t i = 0; i < NS; i++) {
			const char *a = json_string_value(json_object_get(psv, SURVIVE[i].key));
			if (a)
				html(&r->out, "<li>%s <strong>%s</strong></li>\n", SURVIVE[i].text,
				     !strcmp(a, "yes") ? "Yes" : !strcmp(a, "not_yet") ? "Not yet" : "Not sure");
		}
		for (size_t i = 0; i < NP; i++) {
			const char *a = json_string_value(json_object_get(ppr, PREREQS[i].key));
			if (a)
				html(&r->out, "<li>%s <strong>%s</strong></li>\n", PREREQS[i].text,
				     !strcmp(a, "yes") ? "Yes" : !strcmp(a, "not_yet") ? "Not yet" : "Not sure");
		}
		html_unsafe_raw(&r->out, "</ul>\n");
	}
	page_end(r);
}

void readiness_page(struct req *r)
{
	json_t *mine, *partner;
	if (!r->me->data_key) {
		readiness_form(r, NULL, NULL, "attention", auth_locked_text);
		return;
	}
	if (load(r, r->me, &mine, &partner) < 0)
		return;
	readiness_form(r, mine, partner, "celebrate", kv_get(&r->query, "saved") ? "Saved." : NULL);
	json_decref(mine);
	json_decref(partner);
}

void readiness_post(struct req *r)
{
	json_t *mine = json_pack("{s:{}, s:{}}", "survive", "prerequisites");
	json_t *sv = json_object_get(mine, "survive"), *pr = json_object_get(mine, "prerequisites");
	bool shared = req_form_field(r, "shared") != NULL;
	const char *bad = NULL;
	for (size_t i = 0; i < NS + NP; i++) {
		const struct item *it = i < NS ? &SURVIVE[i] : &PREREQS[i - NS];
		if (!applies(it, r->me->role))
			continue;
		const char *a = req_form_field(r, arena_printf(&r->arena, "%s_%s", i < NS ? "s" : "p", it->key));
		if (!a)
			continue;
		if (!answer_ok(a))
			bad = it->key;
		else
			json_object_set_new(i < NS ? sv : pr, it->key, json_string(a));
	}
	json_object_set_new(mine, "shared", json_boolean(shared));
	if (bad || !r->me->data_key || (shared && !r->me->couple_key)) {
		r->status = bad ? 400 : 409;
		readiness_form(r, mine, NULL, "attention",
			       bad ? "One answer was not one of the choices. Please choose again."
				   : auth_locked_text);
		json_decref(mine);
		return;
	}
	int rc = store(r, mine, shared);
	json_decref(mine);
	if (rc != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	req_redirect(r, "/readiness?saved=1");
}

/* What parting and closing an account run on this room's tables (db/db.h). */
const struct room_sql readiness_sql = {
	.shared = "SELECT 'readiness', couple_id, user_id || ':shared', shared, user_id, updated_at "
		"FROM readiness WHERE couple_id = ?1 AND user_id <> ?2; ",
	.own = "SELECT 'readiness', couple_id, user_id || ':answers', answers, user_id, "
		"updated_at FROM readiness WHERE couple_id = ?1 AND user_id = ?2; ",
	.clear = "DELETE FROM readiness WHERE couple_id = ?1; ",
};
