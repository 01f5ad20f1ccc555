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
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../app.h"
#include "../auth/auth.h"
#include "../http/jsonin.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"
#include "featkit.h"

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

static const char *ad_own(struct req *r)
{
	return arena_printf(&r->arena, "readiness:%lld:%lld:answers", r->me->couple_id, r->me->user_id);
}

static const char *ad_shared(struct req *r, long long uid)
{
	return arena_printf(&r->arena, "readiness:%lld:%lld:shared", r->me->couple_id, uid);
}

/* Loads the viewer's own answers (a new JSON object, or NULL). */
static json_t *load_mine(struct req *r, int *err)
{
	*err = 0;
	if (!r->me->sess->data_key)
		return NULL;
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, "SELECT answers FROM readiness WHERE couple_id = ?1 AND user_id = ?2",
					  "ii", r->me->couple_id, r->me->user_id) : NULL;
	if (!st) {
		*err = -1;
		fk_db_error(r, c);
		return NULL;
	}
	const char *s = NULL;
	if (sqlite3_step(st) == SQLITE_ROW)
		s = fk_open_col(r, r->me->sess->data_key, ad_own(r), st, 0);
	sqlite3_finalize(st);
	return s ? json_loads(s, 0, NULL) : NULL;
}

/* The partner's shared answers (a new JSON object, or NULL). */
static json_t *load_partner(struct req *r)
{
	long long pid = fk_partner_id(r);
	if (!pid || !r->me->sess->couple_key)
		return NULL;
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, "SELECT shared FROM readiness WHERE couple_id = ?1 AND user_id = ?2"
					     " AND shared IS NOT NULL", "ii", r->me->couple_id, pid) : NULL;
	const char *s = NULL;
	if (st && sqlite3_step(st) == SQLITE_ROW)
		s = fk_open_col(r, r->me->sess->couple_key, ad_shared(r, pid), st, 0);
	sqlite3_finalize(st);
	return s ? json_loads(s, 0, NULL) : NULL;
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
	int err;
	if (!fk_data_key(r))
		return;
	json_t *mine = load_mine(r, &err);
	if (err)
		return;
	json_t *partner = load_partner(r);
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

/* Stores the answers; shared copies them under the couple key. */
static int store(struct req *r, json_t *answers, bool shared)
{
	char *text = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
	struct buf own, sh;
	buf_init(&own, 0);
	buf_init(&sh, 0);
	int rc = SQLITE_ERROR;
	if (fk_seal(r->me->sess->data_key, ad_own(r), text, &own) < 0 ||
	    (shared && fk_seal(r->me->sess->couple_key, ad_shared(r, r->me->user_id), text, &sh) < 0))
		goto out;
	sqlite3 *w = db_write_begin(&r->app->db);
	rc = db_run(w, "INSERT INTO readiness(couple_id, user_id, answers, shared, updated_at)"
		       " VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(couple_id, user_id) DO UPDATE SET"
		       " answers = excluded.answers, shared = excluded.shared, updated_at = excluded.updated_at",
		    "iibbi", r->me->couple_id, r->me->user_id, own.s, own.len, shared ? sh.s : NULL,
		    shared ? sh.len : 0, (long long)time(NULL));
	int erc = db_write_end(&r->app->db, rc == SQLITE_OK);
	if (rc == SQLITE_OK)
		rc = erc;
out:
	free(text);
	buf_release(&own);
	buf_release(&sh);
	return rc;
}

void readiness_api_put(struct req *r)
{
	static const char *const fields[] = { "survive", "prerequisites", "shared", NULL };
	bool shared = false;
	int err;
	if (jin_only(r, r->json, fields) < 0 || jin_bool(r, r->json, "shared", false, &shared) < 0 ||
	    !fk_data_key(r))
		return;
	if (shared && !fk_couple_key(r))
		return;
	json_t *mine = load_mine(r, &err);
	if (err)
		return;
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
	int err;
	if (!r->me->sess->data_key) {
		readiness_form(r, NULL, NULL, "attention", "Your private notes are locked. Enter your recovery code in settings first.");
		return;
	}
	json_t *mine = load_mine(r, &err);
	if (err)
		return;
	json_t *partner = load_partner(r);
	readiness_form(r, mine, partner, "celebrate", kv_get(&r->query, "saved") ? "Saved." : NULL);
	json_decref(mine);
	json_decref(partner);
}

void readiness_post(struct req *r)
{
	json_t *mine = json_pack("{s:{}, s:{}}", "survive", "prerequisites");
	json_t *sv = json_object_get(mine, "survive"), *pr = json_object_get(mine, "prerequisites");
	bool shared = fk_form(r, "shared") != NULL;
	const char *bad = NULL;
	for (size_t i = 0; i < NS + NP; i++) {
		const struct item *it = i < NS ? &SURVIVE[i] : &PREREQS[i - NS];
		if (!applies(it, r->me->role))
			continue;
		const char *a = fk_form(r, arena_printf(&r->arena, "%s_%s", i < NS ? "s" : "p", it->key));
		if (!a)
			continue;
		if (!answer_ok(a))
			bad = it->key;
		else
			json_object_set_new(i < NS ? sv : pr, it->key, json_string(a));
	}
	json_object_set_new(mine, "shared", json_boolean(shared));
	if (bad || !r->me->sess->data_key || (shared && !r->me->sess->couple_key)) {
		r->status = bad ? 400 : 409;
		readiness_form(r, mine, NULL, "attention",
			       bad ? "One answer was not one of the choices. Please choose again."
				   : "Your private notes are locked. Enter your recovery code in settings first.");
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
