/* counsel.c: the counsellor. A partner invites a counsellor with a code;
 * the counsellor uses it (making a counsellor's account with it, or from
 * their list of couples); access begins once both partners have said yes
 * and ends at once when either says stop. The counsellor then reads only
 * copies: what each partner shares, kind by kind, read through the owning
 * room's reader for the counsellor and sealed under the link's care key.
 *
 * The care key is random for each invitation. While one partner has said
 * yes it waits wrapped under the couple key (counsel_link.pending_key); with
 * both yeses it is wrapped under each partner's data key and sealed to the
 * counsellor's public key (counsel_key), and the couple-key wrap goes.
 * Ending access deletes every wrap of the care key and every copy, so a
 * later invitation (a new link, a new key) opens nothing from before.
 *
 * Every statement on the counsel_* tables is in this file. */
#include "counsel.h"

#include <limits.h>
#include <string.h>

#include "../app.h"
#include "../auth/account.h"
#include "../auth/password.h"
#include "../auth/throttle.h"
#include "../auth/vault.h"
#include "../base/caltime.h"
#include "../base/utf8.h"
#include "../http/defer.h"
#include "../http/input.h"
#include "../http/jsonin.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"
#include "../ui/words.h"
#include "account.h"
#include "agreement.h"
#include "checkin.h"
#include "daily.h"
#include "notes.h"
#include "promise.h"
#include "safety.h"
#include "trigger.h"

#define COUNSEL_INVITE_DAYS 14

/* ---- the link: one invitation of a counsellor ---- */

enum link_status { LINK_INVITED, LINK_WAITING, LINK_ACTIVE };

struct link {
	long long id, couple_id, therapist_id;
	long long expires_at, active_at;
	bool me_yes, partner_yes;
	enum link_status status;
	const char *therapist_name; /* NULL while invited */
};

static const char *const STATUS_WORD[] = { "invited", "waiting", "active" };

/* The couple's open link (not ended: an unused invitation still valid, or
 * a counsellor who used one), as partner user_id sees it. Returns
 * SQLITE_OK, SQLITE_NOTFOUND or an error. */
static int link_of_couple(sqlite3 *c, struct arena *a, long long couple_id, long long user_id, time_t now,
			  struct link *l)
{
	memset(l, 0, sizeof(*l));
	sqlite3_stmt *st = db_prepare(c,
		"SELECT l.id, l.therapist_id, l.expires_at, l.active_at,"
		"       EXISTS(SELECT 1 FROM counsel_consent k WHERE k.link_id = l.id AND k.user_id = ?2),"
		"       EXISTS(SELECT 1 FROM counsel_consent k WHERE k.link_id = l.id AND k.user_id <> ?2)"
		"  FROM counsel_link l"
		" WHERE l.couple_id = ?1 AND l.ended_at IS NULL"
		"   AND (l.therapist_id IS NOT NULL OR l.expires_at > ?3)"
		" ORDER BY l.id DESC LIMIT 1", "iii", couple_id, user_id, (long long)now);
	if (!st)
		return sqlite3_extended_errcode(c);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		l->id = sqlite3_column_int64(st, 0);
		l->couple_id = couple_id;
		l->therapist_id = sqlite3_column_int64(st, 1);
		l->expires_at = sqlite3_column_int64(st, 2);
		l->active_at = sqlite3_column_int64(st, 3);
		l->me_yes = sqlite3_column_int(st, 4) != 0;
		l->partner_yes = sqlite3_column_int(st, 5) != 0;
		l->status = !l->therapist_id ? LINK_INVITED : l->active_at ? LINK_ACTIVE : LINK_WAITING;
	}
	db_done(st);
	if (rc == SQLITE_DONE)
		return SQLITE_NOTFOUND;
	if (rc != SQLITE_ROW)
		return rc;
	if (l->therapist_id)
		return acct_display_name(c, a, l->therapist_id, &l->therapist_name);
	return SQLITE_OK;
}

/* The care key of link_id as holder_id's wrap opens with kek (a partner's
 * data key). Returns 0, or -1 when there is none or it does not open. */
static int care_key_partner(sqlite3 *c, long long link_id, long long holder_id, const unsigned char *kek,
			    unsigned char key[VAULT_KEY_BYTES])
{
	sqlite3_stmt *st = db_prepare(c, "SELECT wrapped FROM counsel_key WHERE link_id = ?1 AND holder_id = ?2",
				      "ii", link_id, holder_id);
	int ok = -1;
	if (st && sqlite3_step(st) == SQLITE_ROW && kek)
		ok = vault_unwrap_key(kek, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), key);
	db_done(st);
	return ok;
}

/* The care key of link_id for counsellor therapist_id: their secret key
 * opened with their data key, then the sealed box. Returns 0 or -1. */
static int care_key_therapist(sqlite3 *c, long long link_id, long long therapist_id,
			      const unsigned char *data_key, unsigned char key[VAULT_KEY_BYTES])
{
	unsigned char pk[VAULT_BOX_PUBLIC_BYTES], sk[VAULT_BOX_SECRET_BYTES];
	int ok = -1;
	if (!data_key || acct_therapist_keys(c, therapist_id, data_key, pk, sk) != SQLITE_OK)
		return -1;
	sqlite3_stmt *st = db_prepare(c, "SELECT wrapped FROM counsel_key WHERE link_id = ?1 AND holder_id = ?2",
				      "ii", link_id, therapist_id);
	if (st && sqlite3_step(st) == SQLITE_ROW)
		ok = vault_unbox_key(pk, sk, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0), key);
	db_done(st);
	sodium_memzero(sk, sizeof(sk));
	return ok;
}

/* ---- what each partner shares ---- */

const struct counsel_kind counsel_kinds[] = {
	{ "checkin_scores", "My check-in scores", checkin_counsel },
	{ "daily_checkins", "My daily check-ins", daily_counsel },
	{ "triggers", "Hard moments I have shared with my partner", trigger_counsel },
	{ "promises", "Promises I made", promise_counsel },
	{ "wins_setbacks", "Small wins and setbacks", notes_counsel },
	{ "agreements", "Our agreements", agreement_counsel },
};
const size_t counsel_kinds_len = sizeof(counsel_kinds) / sizeof(counsel_kinds[0]);

/* A partner's own safety result: never among the kinds to share, only
 * sent by that partner alone. */
static const struct counsel_kind SAFETY_KIND = { "safety", "The safety check result they chose to send", NULL };

static const struct counsel_kind *kind_named(const char *key)
{
	for (size_t i = 0; key && i < counsel_kinds_len; i++)
		if (!strcmp(counsel_kinds[i].key, key))
			return &counsel_kinds[i];
	return NULL;
}

/* Which kinds user_id of couple_id shares, as flags in counsel_kinds order. */
static int shared_kinds(sqlite3 *c, long long couple_id, long long user_id, bool on[])
{
	for (size_t i = 0; i < counsel_kinds_len; i++)
		on[i] = false;
	sqlite3_stmt *st = db_prepare(c, "SELECT kind FROM counsel_share WHERE couple_id = ?1 AND user_id = ?2",
				      "ii", couple_id, user_id);
	if (!st)
		return sqlite3_extended_errcode(c);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const struct counsel_kind *k = kind_named((const char *)sqlite3_column_text(st, 0));
		if (k)
			on[k - counsel_kinds] = true;
	}
	db_done(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

struct sync {
	long long link_id, author_id;
	const unsigned char *care;
	json_t *items[16]; /* per kind, NULL when not shared */
};

static int sync_tx(sqlite3 *w, void *arg)
{
	struct sync *s = arg;
	int rc = db_run(w, "DELETE FROM counsel_copy WHERE link_id = ?1 AND author_id = ?2 AND kind <> 'safety'", "ii",
			s->link_id, s->author_id);
	for (size_t k = 0; rc == SQLITE_OK && k < counsel_kinds_len; k++) {
		size_t i;
		json_t *item;
		json_array_foreach(s->items[k], i, item) {
			json_t *id = json_object_get(item, "id"), *day = json_object_get(item, "day");
			if (!json_is_integer(id) || !json_is_string(day))
				continue;
			char *body = json_dumps(item, JSON_COMPACT | JSON_SORT_KEYS);
			long long copy_id = 0, out = 0;
			int irc = db_int(w, &copy_id,
					 "INSERT INTO counsel_copy(link_id, author_id, kind, source_id, day, body)"
					 " VALUES(?1, ?2, ?3, ?4, ?5, x'') RETURNING id", "iitit", s->link_id,
					 s->author_id, counsel_kinds[k].key, (long long)json_integer_value(id),
					 json_string_value(day));
			rc = vault_store_new_row(w, irc, copy_id, "UPDATE counsel_copy SET body = ?2 WHERE id = ?1",
						 s->care, "counsel_copy", "body", body, &out);
			free(body);
			if (rc != SQLITE_OK)
				break;
		}
	}
	return rc;
}

int counsel_sync(struct req *r, const struct viewer *v)
{
	struct link l;
	unsigned char care[VAULT_KEY_BYTES];
	bool on[16];
	if (v->kind != VIEWER_PARTNER || !v->couple_id || !v->data_key || !v->couple_key)
		return SQLITE_OK;
	sqlite3 *c = db_reader(&r->app->db);
	if (!c)
		return SQLITE_CANTOPEN;
	int rc = link_of_couple(c, &r->arena, v->couple_id, v->user_id, r->now, &l);
	if (rc == SQLITE_NOTFOUND || (rc == SQLITE_OK && l.status != LINK_ACTIVE))
		return SQLITE_OK;
	if (rc != SQLITE_OK)
		return rc;
	if (care_key_partner(c, l.id, v->user_id, v->data_key, care) < 0)
		return SQLITE_OK;
	if ((rc = shared_kinds(c, v->couple_id, v->user_id, on)) != SQLITE_OK) {
		sodium_memzero(care, sizeof(care));
		return rc;
	}
	struct sync s = { .link_id = l.id, .author_id = v->user_id, .care = care };
	for (size_t k = 0; k < counsel_kinds_len && rc == SQLITE_OK; k++)
		if (on[k] && counsel_kinds[k].read && !(s.items[k] = counsel_kinds[k].read(r, v)))
			rc = SQLITE_ERROR;
	if (rc == SQLITE_OK)
		rc = db_write(&r->app->db, sync_tx, &s);
	for (size_t k = 0; k < counsel_kinds_len; k++)
		json_decref(s.items[k]);
	sodium_memzero(care, sizeof(care));
	return rc;
}

/* ---- the partners' side: invite, say yes, stop ---- */

/* Outcomes of the partners' writes that did not happen. */
enum {
	OUT_DONE = 0,
	OUT_NONE,      /* 404: no counsellor invited */
	OUT_PRESENT,   /* 409: a counsellor is there already */
	OUT_NOT_YET,   /* 409: the counsellor has not used the invitation yet */
	OUT_LOCKED,    /* 409: the keys do not open */
};

static const struct req_refusal REFUSALS[] = {
	{ OUT_NONE, 404, "not_found", "There is no counsellor invitation.", NULL },
	{ OUT_PRESENT, 409, "counsellor_present",
	  "You have a counsellor already. End their access first to invite someone else.", NULL },
	{ OUT_NOT_YET, 409, "counsellor_not_joined",
	  "Your counsellor has not used the invitation yet. You can both say yes once they have.", NULL },
	{ OUT_LOCKED, 409, "keys_locked", "Your notes are locked. Enter your recovery code in settings first.", NULL },
	{ 0, 0, NULL, NULL, NULL },
};

struct partner_op {
	struct req *r;
	long long couple_id, user_id;
	const unsigned char *data_key, *couple_key;
	char code[INVITE_CODE_SIZE];
	int out;
};

static int invite_tx(sqlite3 *w, void *arg)
{
	struct partner_op *o = arg;
	struct link l;
	int rc = link_of_couple(w, &o->r->arena, o->couple_id, o->user_id, o->r->now, &l);
	if (rc == SQLITE_OK && l.therapist_id) {
		o->out = OUT_PRESENT;
		return SQLITE_OK;
	}
	if (rc != SQLITE_OK && rc != SQLITE_NOTFOUND)
		return rc;
	unsigned char h[32];
	invite_code_new(o->code);
	acct_code_hash(o->code, h);
	rc = db_run(w, "DELETE FROM counsel_link WHERE couple_id = ?1 AND therapist_id IS NULL", "i", o->couple_id);
	if (rc == SQLITE_OK)
		rc = db_run(w, "INSERT INTO counsel_link(couple_id, code_hash, invited_by, created_at, expires_at)"
			       " VALUES(?1, ?2, ?3, ?4, ?5)", "ibiii", o->couple_id, h, sizeof(h), o->user_id,
			    (long long)o->r->now, (long long)o->r->now + COUNSEL_INVITE_DAYS * 86400LL);
	return rc;
}

/* Stores a wrap of the care key for holder_id. */
static int put_key(sqlite3 *w, long long link_id, long long holder_id, const struct buf *b)
{
	return db_run(w, "INSERT OR REPLACE INTO counsel_key(link_id, holder_id, wrapped) VALUES(?1, ?2, ?3)",
		      "iib", link_id, holder_id, b->s, b->len);
}

static int agree_tx(sqlite3 *w, void *arg)
{
	struct partner_op *o = arg;
	struct link l;
	unsigned char care[VAULT_KEY_BYTES];
	struct buf b = BUF_INIT;
	int rc = link_of_couple(w, &o->r->arena, o->couple_id, o->user_id, o->r->now, &l);
	if (rc == SQLITE_NOTFOUND) {
		o->out = OUT_NONE;
		return SQLITE_OK;
	}
	if (rc != SQLITE_OK)
		return rc;
	if (l.status == LINK_INVITED) {
		o->out = OUT_NOT_YET;
		return SQLITE_OK;
	}
	if (l.me_yes)
		return SQLITE_OK;
	/* The care key: made by the first yes and left under the couple key
	 * for the other partner; taken from there by the second. */
	sqlite3_stmt *st = db_prepare(w, "SELECT pending_key FROM counsel_link WHERE id = ?1", "i", l.id);
	if (!st)
		return sqlite3_extended_errcode(w);
	rc = sqlite3_step(st);
	bool pending = rc == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_BLOB;
	int opened = pending ? vault_unwrap_key(o->couple_key, sqlite3_column_blob(st, 0),
						(size_t)sqlite3_column_bytes(st, 0), care)
			     : -1;
	db_done(st);
	if (rc != SQLITE_ROW)
		return rc;
	if (pending && opened < 0) {
		o->out = OUT_LOCKED;
		return SQLITE_OK;
	}
	if (!pending)
		vault_new_key(care);
	vault_wrap_key(o->data_key, care, &b);
	rc = put_key(w, l.id, o->user_id, &b);
	if (rc == SQLITE_OK)
		rc = db_run(w, "INSERT INTO counsel_consent(link_id, user_id, at) VALUES(?1, ?2, ?3)", "iii", l.id,
			    o->user_id, (long long)o->r->now);
	if (rc == SQLITE_OK && !l.partner_yes) {
		buf_reset(&b);
		vault_wrap_key(o->couple_key, care, &b);
		rc = db_run(w, "UPDATE counsel_link SET pending_key = ?2 WHERE id = ?1", "ib", l.id, b.s, b.len);
	} else if (rc == SQLITE_OK) {
		unsigned char pk[VAULT_BOX_PUBLIC_BYTES];
		buf_reset(&b);
		rc = acct_therapist_keys(w, l.therapist_id, NULL, pk, NULL);
		if (rc == SQLITE_OK && vault_box_key(pk, care, &b) < 0)
			rc = SQLITE_ERROR;
		if (rc == SQLITE_OK)
			rc = put_key(w, l.id, l.therapist_id, &b);
		if (rc == SQLITE_OK)
			rc = db_run(w, "UPDATE counsel_link SET pending_key = NULL, active_at = ?2 WHERE id = ?1", "ii",
				    l.id, (long long)o->r->now);
	}
	sodium_memzero(care, sizeof(care));
	buf_release(&b);
	return rc;
}

/* Ends link_id: its keys, copies and yeses go; the link stays as ended. */
static int end_link(sqlite3 *w, long long link_id, time_t now)
{
	int rc = db_run(w, "DELETE FROM counsel_copy WHERE link_id = ?1", "i", link_id);
	if (rc == SQLITE_OK)
		rc = db_run(w, "DELETE FROM counsel_key WHERE link_id = ?1", "i", link_id);
	if (rc == SQLITE_OK)
		rc = db_run(w, "DELETE FROM counsel_consent WHERE link_id = ?1", "i", link_id);
	if (rc == SQLITE_OK)
		rc = db_run(w, "UPDATE counsel_link SET ended_at = ?2, pending_key = NULL, code_hash = NULL"
			       " WHERE id = ?1", "ii", link_id, (long long)now);
	return rc;
}

static int withdraw_tx(sqlite3 *w, void *arg)
{
	struct partner_op *o = arg;
	struct link l;
	int rc = link_of_couple(w, &o->r->arena, o->couple_id, o->user_id, o->r->now, &l);
	if (rc == SQLITE_NOTFOUND) {
		o->out = OUT_NONE;
		return SQLITE_OK;
	}
	return rc != SQLITE_OK ? rc : end_link(w, l.id, o->r->now);
}

/* Runs a partner's write fn; returns the outcome (OUT_*), or -1 after
 * answering a storage error or locked keys. */
static int partner_write(struct req *r, int (*fn)(sqlite3 *, void *), struct partner_op *o)
{
	memset(o, 0, sizeof(*o));
	o->r = r;
	o->couple_id = r->me->couple_id;
	o->user_id = r->me->user_id;
	if (!auth_keys(r))
		return -1;
	o->data_key = r->me->data_key;
	o->couple_key = r->me->couple_key;
	if (req_write(r, fn, o) < 0)
		return -1;
	return o->out;
}

static const char *const SHARING_FIELDS[] = { "kinds", NULL };

/* The partner's state of the counsellor as JSON. */
static json_t *state_json(struct req *r, int *rc)
{
	struct link l;
	bool on[16];
	sqlite3 *c = db_reader(&r->app->db);
	*rc = c ? link_of_couple(c, &r->arena, r->me->couple_id, r->me->user_id, r->now, &l) : SQLITE_CANTOPEN;
	if (*rc == SQLITE_OK || *rc == SQLITE_NOTFOUND)
		*rc = shared_kinds(c, r->me->couple_id, r->me->user_id, on);
	else
		return NULL;
	if (*rc != SQLITE_OK)
		return NULL;
	json_t *kinds = json_array();
	for (size_t i = 0; i < counsel_kinds_len; i++)
		if (on[i])
			json_array_append_new(kinds, json_string(counsel_kinds[i].key));
	if (!l.id)
		return json_pack("{s:n, s:o}", "counsellor", "sharing", kinds);
	char exp[21];
	instant_format((time_t)l.expires_at, exp);
	return json_pack("{s:{s:I, s:s, s:s?, s:s?, s:{s:b, s:b}}, s:o}", "counsellor", "id", (json_int_t)l.id,
			 "status", STATUS_WORD[l.status], "name", l.therapist_name, "invite_expires_at",
			 l.status == LINK_INVITED ? exp : NULL, "agreed", "me", l.me_yes, "partner", l.partner_yes,
			 "sharing", kinds);
}

static void answer_state(struct req *r, int status)
{
	int rc;
	if (counsel_sync(r, r->me) != SQLITE_OK) {
		req_error(r, 503, "busy", "We could not finish that just now. Please try again.", NULL);
		return;
	}
	json_t *j = state_json(r, &rc);
	if (!j)
		req_db_error(r, rc);
	else
		req_json(r, status, j);
}

void counsel_api_get(struct req *r)
{
	answer_state(r, 200);
}

void counsel_api_invite(struct req *r)
{
	struct partner_op o;
	if (req_no_body(r) < 0)
		return;
	int out = partner_write(r, invite_tx, &o);
	if (out < 0 || req_refuse(r, REFUSALS, out))
		return;
	req_json(r, 201, json_pack("{s:s, s:i}", "invite_code", o.code, "valid_days", COUNSEL_INVITE_DAYS));
	sodium_memzero(o.code, sizeof(o.code));
}

void counsel_api_agree(struct req *r)
{
	struct partner_op o;
	if (req_no_body(r) < 0)
		return;
	int out = partner_write(r, agree_tx, &o);
	if (out < 0 || req_refuse(r, REFUSALS, out))
		return;
	answer_state(r, 200);
}

void counsel_api_withdraw(struct req *r)
{
	struct partner_op o;
	if (req_no_body(r) < 0)
		return;
	int out = partner_write(r, withdraw_tx, &o);
	if (out < 0 || req_refuse(r, REFUSALS, out))
		return;
	answer_state(r, 200);
}

struct sharing {
	long long couple_id, user_id;
	bool on[16];
};

static int sharing_tx(sqlite3 *w, void *arg)
{
	struct sharing *s = arg;
	int rc = db_run(w, "DELETE FROM counsel_share WHERE couple_id = ?1 AND user_id = ?2", "ii", s->couple_id,
			s->user_id);
	for (size_t i = 0; rc == SQLITE_OK && i < counsel_kinds_len; i++)
		if (s->on[i])
			rc = db_run(w, "INSERT INTO counsel_share(couple_id, user_id, kind) VALUES(?1, ?2, ?3)", "iit",
				    s->couple_id, s->user_id, counsel_kinds[i].key);
	return rc;
}

void counsel_api_sharing(struct req *r)
{
	struct sharing s = { .couple_id = r->me->couple_id, .user_id = r->me->user_id };
	if (jin_only(r, r->json, SHARING_FIELDS) < 0)
		return;
	json_t *kinds = json_object_get(r->json, "kinds");
	if (!json_is_array(kinds) || json_array_size(kinds) > counsel_kinds_len) {
		req_error(r, 400, "invalid_field", "Please send the kinds you share as a list.", "kinds");
		return;
	}
	size_t i;
	json_t *k;
	json_array_foreach(kinds, i, k) {
		const struct counsel_kind *kind = kind_named(json_string_value(k));
		if (!kind) {
			req_error(r, 400, "invalid_field", "One of those kinds is not one we know.", "kinds");
			return;
		}
		s.on[kind - counsel_kinds] = true;
	}
	if (req_write(r, sharing_tx, &s) < 0)
		return;
	answer_state(r, 200);
}

/* ---- a partner's own safety result, sent only by them ---- */

struct safety_send {
	long long link_id, author_id;
	const unsigned char *care;
	json_t *item; /* NULL: take back */
};

static int safety_tx(sqlite3 *w, void *arg)
{
	struct safety_send *s = arg;
	int rc = db_run(w, "DELETE FROM counsel_copy WHERE link_id = ?1 AND author_id = ?2 AND kind = 'safety'", "ii",
			s->link_id, s->author_id);
	if (rc != SQLITE_OK || !s->item)
		return rc;
	char *body = json_dumps(s->item, JSON_COMPACT | JSON_SORT_KEYS);
	long long id = 0, out = 0;
	int irc = db_int(w, &id, "INSERT INTO counsel_copy(link_id, author_id, kind, source_id, day, body)"
				 " VALUES(?1, ?2, 'safety', 1, ?3, x'') RETURNING id", "iit", s->link_id, s->author_id,
			 json_string_value(json_object_get(s->item, "day")));
	rc = vault_store_new_row(w, irc, id, "UPDATE counsel_copy SET body = ?2 WHERE id = ?1", s->care, "counsel_copy",
				 "body", body, &out);
	free(body);
	return rc;
}

/* Sends (send) or takes back the viewer's own safety result. Returns 0,
 * 1 when there is no open access or nothing to send, or -1 after
 * answering. */
static int safety_send(struct req *r, bool send)
{
	struct link l;
	unsigned char care[VAULT_KEY_BYTES];
	if (!auth_keys(r))
		return -1;
	sqlite3 *c = db_reader(&r->app->db);
	int rc = c ? link_of_couple(c, &r->arena, r->me->couple_id, r->me->user_id, r->now, &l) : SQLITE_CANTOPEN;
	if (rc == SQLITE_NOTFOUND || (rc == SQLITE_OK && l.status != LINK_ACTIVE))
		return 1;
	if (!req_db_ok(r, rc))
		return -1;
	if (care_key_partner(c, l.id, r->me->user_id, r->me->data_key, care) < 0)
		return 1;
	struct safety_send s = { l.id, r->me->user_id, care, NULL };
	json_t *items = NULL;
	if (send) {
		items = safety_counsel(r, r->me);
		if (!items) {
			sodium_memzero(care, sizeof(care));
			req_db_error(r, SQLITE_ERROR);
			return -1;
		}
		s.item = json_array_get(items, 0);
		if (!s.item) {
			json_decref(items);
			sodium_memzero(care, sizeof(care));
			return 1;
		}
	}
	int res = req_write(r, safety_tx, &s);
	json_decref(items);
	sodium_memzero(care, sizeof(care));
	return res;
}

/* Whether the viewer has sent their safety result (for their own eyes). */
static bool safety_sent(struct req *r, long long link_id)
{
	long long n = 0;
	sqlite3 *c = db_reader(&r->app->db);
	return c && db_int(c, &n, "SELECT count(*) FROM counsel_copy WHERE link_id = ?1 AND author_id = ?2"
				  " AND kind = 'safety'", "ii", link_id, r->me->user_id) == SQLITE_ROW && n;
}

void counsel_api_safety_send(struct req *r)
{
	if (req_no_body(r) < 0)
		return;
	int res = safety_send(r, true);
	if (res == 1)
		req_error(r, 409, "nothing_to_send",
			  "There is nothing to send: no counsellor with access, or no safety check answered.", NULL);
	else if (res == 0)
		req_json(r, 200, json_pack("{s:b}", "sent", 1));
}

void counsel_api_safety_delete(struct req *r)
{
	int res = safety_send(r, false);
	if (res >= 0)
		req_json(r, 200, json_pack("{s:b}", "sent", 0));
}

void counsel_safety_post(struct req *r)
{
	const char *what = req_form_field(r, "send");
	int res = safety_send(r, what && !strcmp(what, "yes"));
	if (res >= 0)
		req_redirect(r, "/counsellor?done=sharing");
}

/* ---- the "Our counsellor" page ---- */

static void page_body(struct req *r, const char *notice, const char *code)
{
	struct link l;
	bool on[16];
	sqlite3 *c = db_reader(&r->app->db);
	int rc = c ? link_of_couple(c, &r->arena, r->me->couple_id, r->me->user_id, r->now, &l) : SQLITE_CANTOPEN;
	if (rc == SQLITE_OK || rc == SQLITE_NOTFOUND)
		rc = shared_kinds(c, r->me->couple_id, r->me->user_id, on);
	if (!req_db_ok(r, rc))
		return;
	const char *partner = viewer_partner_word(r, false);
	page_begin(r, "Our counsellor");
	if (notice)
		ui_notice(r, "info", notice);
	html(&r->out, "<p>A counsellor who knows betrayal recovery can help you both. Here you can invite "
		      "one to see what each of you chooses to share, and nothing else.</p>\n"
		      "<p>Never shared: your journal, your readiness, your safety check, a check-in "
		      "before you have both written.</p>\n");
	if (code) {
		html(&r->out, "<h2>The invitation</h2>\n<p>Give this code to your counsellor:</p>\n"
			      "<p class=\"code\" id=\"counsel-code\">%s</p>\n"
			      "<p>It works for %d days. They make a counsellor's account with it at "
			      "<a href=\"/therapist/signup\">/therapist/signup</a>, or enter it on their list "
			      "of couples. We will not show it again.</p>\n",
		     code, COUNSEL_INVITE_DAYS);
	}
	if (!l.id) {
		if (!code) {
			html(&r->out, "<h2>Invite a counsellor</h2>\n<p>You get a code to give them. Nothing is "
				      "shared until they have used it and you have both said yes.</p>\n");
			ui_form_begin(r, "/counsellor/invite");
			ui_form_end(r, "Make an invitation code");
		}
		html(&r->out, "<p><a href=\"/guidance/counselling\">Finding a counsellor</a></p>\n");
		page_end(r);
		return;
	}
	if (l.status == LINK_INVITED) {
		if (!code)
			html(&r->out, "<h2>The invitation</h2>\n<p>An invitation is open until %s. Once your "
				      "counsellor has used it, you both say yes here.</p>\n",
			     words_day(&r->arena, (long)(l.expires_at / 86400)));
		ui_form_begin(r, "/counsellor/invite");
		ui_form_end(r, "Make a new code");
		ui_form_begin(r, "/counsellor/withdraw");
		ui_form_end(r, "Cancel the invitation");
		page_end(r);
		return;
	}
	html(&r->out, "<h2>%s</h2>\n", l.therapist_name);
	if (l.status == LINK_WAITING) {
		html(&r->out, "<p>%s has accepted your invitation. They see nothing until you have both said "
			      "yes.</p>\n", l.therapist_name);
		if (l.me_yes)
			html(&r->out, "<p>You have said yes. Now it is up to %s.</p>\n", partner);
		else {
			html(&r->out, "<p>%s</p>\n", l.partner_yes ? "Your partner has said yes." : "Neither of you has said yes yet.");
			ui_form_begin(r, "/counsellor/agree");
			ui_form_end(r, arena_printf(&r->arena, "Yes, %s may see what we share", l.therapist_name));
		}
	} else {
		html(&r->out, "<p>%s can see what each of you shares, from the list below. You choose yours; "
			      "%s chooses theirs.</p>\n", l.therapist_name, partner);
	}
	html(&r->out, "<h2>What I share</h2>\n");
	ui_form_begin(r, "/counsellor/sharing");
	html_unsafe_raw(&r->out, "<fieldset><legend>Kinds of records</legend>\n");
	for (size_t i = 0; i < counsel_kinds_len; i++) {
		html(&r->out, "<p class=\"field\"><label><input type=\"checkbox\" name=\"kind\" value=\"%s\"",
		     counsel_kinds[i].key);
		if (on[i])
			html_unsafe_raw(&r->out, " checked");
		html(&r->out, "> %s</label></p>\n", counsel_kinds[i].label);
	}
	html_unsafe_raw(&r->out, "</fieldset>\n");
	ui_form_end(r, "Save what I share");
	if (l.status == LINK_ACTIVE) {
		bool sent = safety_sent(r, l.id);
		html(&r->out, "<h2>My safety check</h2>\n<p>Your safety check is yours alone. You can send its "
			      "result to %s yourself; %s is never told either way.</p>\n", l.therapist_name, partner);
		if (sent)
			html(&r->out, "<p>You have sent your result.</p>\n");
		ui_form_begin(r, "/counsellor/safety");
		html(&r->out, "<input type=\"hidden\" name=\"send\" value=\"%s\">", sent ? "no" : "yes");
		ui_form_end(r, sent ? "Take my result back" : "Send my result");
	}
	html(&r->out, "<h2>Ending access</h2>\n<p>Either of you can end it, at any time. Everything shared "
		      "goes at once. %s is told only that access ended.</p>\n", l.therapist_name);
	ui_form_begin(r, "/counsellor/withdraw");
	ui_form_end(r, "End access");
	page_end(r);
}

void counsel_page(struct req *r)
{
	const char *done = kv_get(&r->query, "done");
	const char *notice = !done ? NULL
			     : !strcmp(done, "agreed") ? "Thank you. Your yes is saved."
			     : !strcmp(done, "ended") ? "Done. Nothing is shared any more."
			     : !strcmp(done, "sharing") ? "Saved."
			     : NULL;
	if (counsel_sync(r, r->me) != SQLITE_OK) {
		req_error(r, 503, "busy", "We could not finish that just now. Please try again.", NULL);
		return;
	}
	page_body(r, notice, NULL);
}

static void page_outcome(struct req *r, int out, const char *location)
{
	if (out < 0)
		return;
	if (out == OUT_DONE) {
		req_redirect(r, location);
		return;
	}
	r->status = out == OUT_NONE ? 404 : 409;
	page_body(r, REFUSALS[out - 1].message, NULL);
}

void counsel_invite_post(struct req *r)
{
	struct partner_op o;
	int out = partner_write(r, invite_tx, &o);
	if (out == OUT_DONE)
		page_body(r, NULL, o.code);
	else
		page_outcome(r, out, "/counsellor");
	sodium_memzero(o.code, sizeof(o.code));
}

void counsel_agree_post(struct req *r)
{
	struct partner_op o;
	int out = partner_write(r, agree_tx, &o);
	if (out == OUT_DONE && counsel_sync(r, r->me) != SQLITE_OK)
		out = -1;
	page_outcome(r, out, "/counsellor?done=agreed");
}

void counsel_withdraw_post(struct req *r)
{
	struct partner_op o;
	page_outcome(r, partner_write(r, withdraw_tx, &o), "/counsellor?done=ended");
}

void counsel_sharing_post(struct req *r)
{
	struct sharing s = { .couple_id = r->me->couple_id, .user_id = r->me->user_id };
	for (size_t i = 0; i < r->form.n; i++) {
		if (strcmp(r->form.v[i].key, "kind"))
			continue;
		const struct counsel_kind *k = kind_named(r->form.v[i].val);
		if (k)
			s.on[k - counsel_kinds] = true;
	}
	if (req_write(r, sharing_tx, &s) < 0)
		return;
	if (counsel_sync(r, r->me) != SQLITE_OK) {
		req_error(r, 503, "busy", "We could not finish that just now. Please try again.", NULL);
		return;
	}
	req_redirect(r, "/counsellor?done=sharing");
}

/* ---- the counsellor's side ---- */

/* Uses a couple's invitation code for counsellor user_id (0: only checks
 * that it is usable). Returns 0, 1 when it is not usable, or an error. */
static int redeem(sqlite3 *w, const char *code, long long user_id, void *arg)
{
	unsigned char h[32];
	long long n = 0;
	(void)arg;
	if (acct_code_hash(code, h) < 0)
		return 1;
	long long now = (long long)time(NULL);
	int rc = db_int(w, &n, "SELECT count(*) FROM counsel_link WHERE code_hash = ?1 AND therapist_id IS NULL"
			       " AND ended_at IS NULL AND expires_at > ?2", "bi", h, sizeof(h), now);
	if (rc != SQLITE_ROW)
		return rc;
	if (!n)
		return 1;
	if (!user_id)
		return 0;
	return db_run(w, "UPDATE counsel_link SET therapist_id = ?2, joined_at = ?3, code_hash = NULL"
			 " WHERE code_hash = ?1 AND therapist_id IS NULL", "bii", h, sizeof(h), user_id, now);
}

/* The viewer must be a counsellor: otherwise 404 (a partner's account has
 * nothing here). */
static bool is_therapist(struct req *r)
{
	if (r->me && r->me->kind == VIEWER_THERAPIST)
		return true;
	req_error(r, 404, "not_found", "There is nothing at this address.", NULL);
	return false;
}

struct join {
	const char *code;
	long long user_id;
	int out; /* 0 joined, 1 not usable */
};

static int join_tx(sqlite3 *w, void *arg)
{
	struct join *j = arg;
	int rc = redeem(w, j->code, 0, NULL);
	if (rc == 1) {
		j->out = 1;
		return SQLITE_OK;
	}
	return rc ? rc : redeem(w, j->code, j->user_id, NULL);
}

/* Uses an invitation code for the counsellor of r. Returns 0, 1 when the
 * code does not work (counted against the address), or -1 after answering
 * (429 or a storage error). */
static int join_code(struct req *r, const char *code)
{
	const char *tkey = arena_printf(&r->arena, "invite:%s", r->client_addr);
	int wait = throttle_wait(tkey, &THROTTLE_INVITE, throttle_now());
	if (wait) {
		req_header(r, "Retry-After", arena_printf(&r->arena, "%d", wait));
		req_error(r, 429, "too_many_attempts", "Too many tries. Please wait a little and try again.", NULL);
		return -1;
	}
	struct join j = { code, r->me->user_id, 0 };
	if (req_write(r, join_tx, &j) < 0)
		return -1;
	if (j.out)
		throttle_fail(tkey, throttle_now());
	return j.out;
}

static const char *const JOIN_FIELDS[] = { "invite_code", NULL };

void therapist_api_join(struct req *r)
{
	const char *code;
	if (!is_therapist(r) || jin_only(r, r->json, JOIN_FIELDS) < 0 ||
	    jin_str(r, r->json, "invite_code", true, 64, &code) < 0)
		return;
	int res = join_code(r, code);
	if (res == 1)
		req_error(r, 404, "invalid_invite", "That invitation code does not work. It may be used, expired or mistyped.",
			  "invite_code");
	else if (res == 0)
		therapist_api_couples(r);
}

/* One couple on a counsellor's list. */
struct couple_row {
	long long id, couple_id, since;
	bool active, ended;
};

static void couple_row(sqlite3_stmt *st, void *row, struct arena *a, const void *ctx)
{
	struct couple_row *x = row;
	(void)a;
	(void)ctx;
	x->id = sqlite3_column_int64(st, 0);
	x->couple_id = sqlite3_column_int64(st, 1);
	x->since = sqlite3_column_int64(st, 2);
	x->active = sqlite3_column_type(st, 3) != SQLITE_NULL;
	x->ended = sqlite3_column_type(st, 4) != SQLITE_NULL;
}

/* Who the counsellor sees: the couples whose invitation they used, newest
 * first. The one query of a counsellor's links. With only > 0, that link
 * alone. */
static struct couple_row *therapist_links(struct req *r, long long only, size_t *n, int *rc)
{
	return db_rows(db_reader(&r->app->db), &r->arena, sizeof(struct couple_row), n, rc, couple_row, NULL,
		       "SELECT id, couple_id, coalesce(active_at, joined_at), active_at, ended_at FROM counsel_link"
		       " WHERE therapist_id = ?1 AND (?2 = 0 OR id = ?2) ORDER BY id DESC",
		       "ii", r->me->user_id, only);
}

static json_t *people_json(struct req *r, long long couple_id, struct acct_person p[2], size_t *n)
{
	*n = 0;
	sqlite3 *c = db_reader(&r->app->db);
	if (!c || acct_couple_people(c, &r->arena, couple_id, p, n) != SQLITE_OK)
		return NULL;
	json_t *a = json_array();
	for (size_t i = 0; i < *n; i++)
		json_array_append_new(a, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)p[i].user_id, "name",
						   p[i].name, "role", p[i].role));
	return a;
}

void therapist_api_couples(struct req *r)
{
	size_t n;
	int rc;
	if (!is_therapist(r))
		return;
	struct couple_row *rows = therapist_links(r, 0, &n, &rc);
	if (!req_db_ok(r, rc))
		return;
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		if (rows[i].ended) {
			json_array_append_new(a, json_pack("{s:I, s:s}", "id", (json_int_t)rows[i].id, "status", "ended"));
			continue;
		}
		struct acct_person p[2];
		size_t np;
		json_t *people = people_json(r, rows[i].couple_id, p, &np);
		if (!people) {
			json_decref(a);
			req_db_error(r, SQLITE_ERROR);
			return;
		}
		char since[21];
		instant_format((time_t)rows[i].since, since);
		json_array_append_new(a, json_pack("{s:I, s:s, s:o, s:s}", "id", (json_int_t)rows[i].id, "status",
						   rows[i].active ? "active" : "waiting", "partners", people, "since",
						   since));
	}
	req_json(r, 200, json_pack("{s:o}", "couples", a));
}

/* One shared copy as the counsellor reads it. */
struct copy {
	long long author_id;
	const char *kind, *day, *body;
};

static void copy_row(sqlite3_stmt *st, void *row, struct arena *a, const void *care)
{
	struct copy *x = row;
	long long id = sqlite3_column_int64(st, 0);
	x->author_id = sqlite3_column_int64(st, 1);
	x->kind = arena_strdup(a, (const char *)sqlite3_column_text(st, 2));
	x->day = arena_strdup(a, (const char *)sqlite3_column_text(st, 3));
	x->body = vault_open_col(a, care, "counsel_copy", id, "body", st, 4);
}

/* What the counsellor of r may see of link id: the couple's members and
 * every copy shared with them, opened with the care key. 0, or -1 after
 * answering 404 (not theirs, not active, ended) or an error. */
static int therapist_read(struct req *r, long long id, struct couple_row *link, struct acct_person p[2],
			  size_t *np, struct copy **copies, size_t *nc)
{
	size_t n;
	int rc;
	unsigned char care[VAULT_KEY_BYTES];
	struct couple_row *rows = therapist_links(r, id, &n, &rc);
	if (!req_db_ok(r, rc))
		return -1;
	sqlite3 *c = db_reader(&r->app->db);
	if (!n || !rows[0].active || rows[0].ended ||
	    care_key_therapist(c, id, r->me->user_id, r->me->data_key, care) < 0) {
		req_error(r, 404, "not_found", "There is nothing at this address.", NULL);
		return -1;
	}
	*link = rows[0];
	rc = acct_couple_people(c, &r->arena, link->couple_id, p, np);
	if (rc == SQLITE_OK)
		*copies = db_rows(c, &r->arena, sizeof(struct copy), nc, &rc, copy_row, care,
				  "SELECT id, author_id, kind, day, body FROM counsel_copy WHERE link_id = ?1"
				  " ORDER BY author_id, kind, day DESC, source_id DESC", "i", id);
	sodium_memzero(care, sizeof(care));
	return req_db_ok(r, rc) ? 0 : -1;
}

void therapist_api_couple(struct req *r)
{
	struct couple_row link;
	struct acct_person p[2];
	size_t np, nc;
	struct copy *copies;
	long long id = req_param_id(r, "id", LLONG_MAX);
	if (!is_therapist(r))
		return;
	if (id <= 0) {
		req_error(r, 404, "not_found", "There is nothing at this address.", NULL);
		return;
	}
	if (therapist_read(r, id, &link, p, &np, &copies, &nc) < 0)
		return;
	json_t *partners = json_array();
	for (size_t i = 0; i < np; i++) {
		json_t *shared = json_object();
		for (size_t k = 0; k < counsel_kinds_len; k++)
			json_object_set_new(shared, counsel_kinds[k].key, json_array());
		for (size_t j = 0; j < nc; j++) {
			if (copies[j].author_id != p[i].user_id || !copies[j].body)
				continue;
			json_t *item = json_loads(copies[j].body, 0, NULL);
			json_t *list = json_object_get(shared, copies[j].kind);
			if (!list && !strcmp(copies[j].kind, "safety")) {
				list = json_array();
				json_object_set_new(shared, "safety", list);
			}
			if (item && list)
				json_array_append_new(list, item);
			else
				json_decref(item);
		}
		json_array_append_new(partners, json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)p[i].user_id,
							  "name", p[i].name, "role", p[i].role, "shared", shared));
	}
	char since[21];
	instant_format((time_t)link.since, since);
	req_json(r, 200, json_pack("{s:{s:I, s:s, s:o}}", "couple", "id", (json_int_t)link.id, "since", since,
				   "partners", partners));
}

/* ---- the counsellor's sign-up ---- */

static const char *const SIGNUP_FIELDS[] = { "username", "password", "display_name", "invite_code", NULL };

/* The cheap checks before any hashing: the code is usable (an operator's
 * signup code or a couple's invitation), guesses throttled, then the
 * username. Returns 0, or -1 after answering. */
static int signup_check(struct req *r, const char *username, const char *code)
{
	const char *tkey = arena_printf(&r->arena, "invite:%s", r->client_addr);
	int wait = throttle_wait(tkey, &THROTTLE_INVITE, throttle_now());
	long long taken = 0;
	if (wait) {
		req_header(r, "Retry-After", arena_printf(&r->arena, "%d", wait));
		req_error(r, 429, "too_many_attempts", "Too many tries. Please wait a little and try again.", NULL);
		return -1;
	}
	sqlite3 *c = db_reader(&r->app->db);
	if (!c) {
		req_db_error(r, SQLITE_CANTOPEN);
		return -1;
	}
	int f = acct_invite_usable(c, code);
	if (f == 1)
		f = redeem(c, code, 0, NULL);
	if (f == 1) {
		throttle_fail(tkey, throttle_now());
		account_error(r, ACCT_INVALID_INVITE, SQLITE_OK);
		return -1;
	}
	if (f || db_int(c, &taken, "SELECT count(*) FROM user WHERE username = ?1", "t", username) != SQLITE_ROW) {
		req_db_error(r, f ? f : sqlite3_extended_errcode(c));
		return -1;
	}
	if (taken) {
		account_error(r, ACCT_USERNAME_TAKEN, SQLITE_OK);
		return -1;
	}
	return 0;
}

/* The fields' own checks: NULL when fine, else the message and *field. */
static const char *signup_problem(const char *u, const char *p, const char *d, const char **field)
{
	const char *msg;
	if ((msg = acct_check_username(u ? u : ""))) {
		*field = "username";
		return msg;
	}
	if ((msg = password_check_policy(p ? p : "", p ? strlen(p) : 0))) {
		*field = "password";
		return msg;
	}
	if ((msg = acct_check_display_name(d ? d : ""))) {
		*field = "display_name";
		return msg;
	}
	return NULL;
}

/* The second half of a sign-up, once the job ran: the account, in one
 * write with the code's use. Returns the new user's id, or 0 after
 * answering. */
static long long signup_finish(struct req *r, const char *u, const char *d, const char *code,
			       struct signup_job *job)
{
	long long uid = 0;
	int rc = SQLITE_OK;
	if (job->failed) {
		req_error(r, 503, "busy", "We could not finish that just now. Please try again.", NULL);
		return 0;
	}
	enum acct_err e = acct_signup_therapist(&r->app->db, u, d, code, job, redeem, NULL, &uid, &rc);
	if (e == ACCT_INVALID_INVITE)
		throttle_fail(arena_printf(&r->arena, "invite:%s", r->client_addr), throttle_now());
	if (e != ACCT_OK) {
		account_error(r, e, rc);
		return 0;
	}
	return uid;
}

void therapist_api_signup(struct req *r)
{
	const char *u, *p, *d, *code, *field = NULL, *msg;
	json_t *b = r->json;
	if (jin_only(r, b, SIGNUP_FIELDS) < 0 || jin_str(r, b, "username", true, 32, &u) < 0 ||
	    jin_str(r, b, "password", true, 128, &p) < 0 || jin_str(r, b, "display_name", true, 64, &d) < 0 ||
	    jin_str(r, b, "invite_code", true, 64, &code) < 0)
		return;
	if ((msg = signup_problem(u, p, d, &field))) {
		req_error(r, 400, !strcmp(field, "password") ? "weak_password" : "invalid_field", msg, field);
		return;
	}
	if (!r->defer_done) {
		if (signup_check(r, u, code) < 0)
			return;
		struct signup_job *job = arena_alloc(&r->arena, sizeof(*job));
		job->password = p;
		req_defer(r, signup_job_run, job);
		return;
	}
	struct signup_job *job = r->defer_arg;
	long long uid = signup_finish(r, u, d, code, job);
	if (uid)
		req_json(r, 201, json_pack("{s:{s:I, s:s, s:s, s:s}, s:s}", "user", "id", (json_int_t)uid, "username",
					   u, "display_name", d, "kind", "therapist", "recovery_code", job->recovery));
	signup_job_wipe(job);
}

static void signup_form(struct req *r, const char *msg, const char *code)
{
	page_begin(r, "A counsellor's account");
	if (msg)
		ui_notice(r, "attention", msg);
	html(&r->out, "<p>For counsellors a couple has invited, or whom the person who runs this server "
		      "has given a code. You see only what each partner chooses to share with you.</p>\n");
	html_unsafe_raw(&r->out, "<form method=\"post\" action=\"/therapist/signup\">\n");
	ui_input(r, "Code", "invite_code", "text", code, "off", NULL, 1);
	ui_input(r, "Your name, as the couple will see it", "display_name", "text", NULL, "name", NULL, 1);
	ui_input(r, "Username", "username", "text", NULL, "username", NULL, 1);
	ui_input(r, "Password", "password", "password", NULL, "new-password", "At least 10 characters.", 1);
	html_unsafe_raw(&r->out, "<button type=\"submit\">Make my account</button></form>\n");
	page_end(r);
}

void therapist_signup_page(struct req *r)
{
	signup_form(r, NULL, utf8_keepable(kv_get(&r->query, "code")));
}

/* The form again after a refusal answered as r->status. */
static void signup_again(struct req *r, const char *code)
{
	int status = r->status;
	buf_reset(&r->out);
	signup_form(r, status == 409 ? "That username is taken. Please choose another."
		       : status == 429 ? "Too many tries. Please wait a little and try again."
		       : status == 404 ? "That code does not work. It may be used, expired or mistyped."
		       : "We could not finish that just now. Please try again.", code);
	r->status = status;
}

void therapist_signup_post(struct req *r)
{
	if (!r->form.n && req_form_body(r) < 0)
		return;
	const char *u = req_form_field(r, "username"), *p = req_form_field(r, "password");
	const char *d = req_form_field(r, "display_name"), *code = req_form_field(r, "invite_code");
	const char *field, *msg = signup_problem(u, p, d, &field);
	const char *kept = utf8_keepable(code);
	if (!msg && !code)
		msg = "Please enter the code you were given.";
	if (msg) {
		r->status = 400;
		signup_form(r, msg, kept);
		return;
	}
	if (!r->defer_done) {
		if (signup_check(r, u, code) < 0) {
			signup_again(r, kept);
			return;
		}
		struct signup_job *job = arena_alloc(&r->arena, sizeof(*job));
		job->password = p;
		req_defer(r, signup_job_run, job);
		return;
	}
	struct signup_job *job = r->defer_arg;
	long long uid = signup_finish(r, u, d, code, job);
	if (!uid) {
		signup_again(r, kept);
		signup_job_wipe(job);
		return;
	}
	char token[SESSION_TOKEN_CHARS + 1];
	struct session *s = session_create(uid, job->data_key, NULL, false, account_session_label(r), token);
	session_put(s);
	auth_set_cookie(r, token);
	sodium_memzero(token, sizeof(token));
	page_begin(r, "Your recovery code");
	html(&r->out, "<p>This code is the only way back into your account's keys if you ever forget your "
		      "password.</p>\n<p class=\"code\" id=\"recovery-code\">%s</p>\n"
		      "<p>Write it down and keep it somewhere safe. We will not show it again.</p>\n"
		      "<p><a class=\"button\" href=\"/therapist\">Continue</a></p>\n", job->recovery);
	page_end(r);
	signup_job_wipe(job);
}

/* ---- the counsellor's pages ---- */

void therapist_page(struct req *r)
{
	size_t n;
	int rc;
	if (!is_therapist(r))
		return;
	struct couple_row *rows = therapist_links(r, 0, &n, &rc);
	if (!req_db_ok(r, rc))
		return;
	const char *done = kv_get(&r->query, "done");
	page_begin(r, "Your couples");
	if (done && !strcmp(done, "joined"))
		ui_notice(r, "info", "Thank you. The couple can now say yes.");
	else if (done && !strcmp(done, "bad"))
		ui_notice(r, "attention", "That code does not work. It may be used, expired or mistyped.");
	if (!n)
		html(&r->out, "<p>No couple yet. When a couple invites you, enter their code below.</p>\n");
	else
		html_unsafe_raw(&r->out, "<ul class=\"cards\">\n");
	for (size_t i = 0; i < n; i++) {
		if (rows[i].ended) {
			html(&r->out, "<li class=\"card\"><p>Access ended.</p></li>\n");
			continue;
		}
		struct acct_person p[2];
		size_t np = 0;
		sqlite3 *c = db_reader(&r->app->db);
		if (!c || acct_couple_people(c, &r->arena, rows[i].couple_id, p, &np) != SQLITE_OK)
			np = 0;
		const char *names = np == 2 ? arena_printf(&r->arena, "%s and %s", p[0].name, p[1].name)
				    : np == 1 ? p[0].name : "A couple";
		if (rows[i].active)
			html(&r->out, "<li class=\"card\"><p><a href=\"/therapist/couples/%lld\">%s</a></p>"
				      "<p class=\"meta\">Both have said yes.</p></li>\n", rows[i].id, names);
		else
			html(&r->out, "<li class=\"card\"><p>%s</p><p class=\"meta\">Waiting for both to say "
				      "yes.</p></li>\n", names);
	}
	if (n)
		html_unsafe_raw(&r->out, "</ul>\n");
	html(&r->out, "<h2>A new couple</h2>\n");
	ui_form_begin(r, "/therapist/join");
	ui_input(r, "Their invitation code", "invite_code", "text", NULL, "off", NULL, 1);
	ui_form_end(r, "Accept the invitation");
	page_end(r);
}

void therapist_join_post(struct req *r)
{
	if (!is_therapist(r))
		return;
	const char *code = req_form_field(r, "invite_code");
	int res = code ? join_code(r, code) : 1;
	if (res >= 0)
		req_redirect(r, res ? "/therapist?done=bad" : "/therapist?done=joined");
}

/* Writes one shared item: its day and its fields, as the room gave them. */
static void item_html(struct req *r, const char *day, json_t *item)
{
	const char *key;
	json_t *val;
	html(&r->out, "<li class=\"card\"><p class=\"meta\">%s</p>", words_iso_day(&r->arena, day));
	json_object_foreach(item, key, val) {
		if (!strcmp(key, "id") || !strcmp(key, "day"))
			continue;
		if (json_is_string(val))
			html(&r->out, "<p><strong>%s</strong>: %s</p>", key, json_string_value(val));
		else if (json_is_integer(val))
			html(&r->out, "<p><strong>%s</strong>: %lld</p>", key, (long long)json_integer_value(val));
	}
	html_unsafe_raw(&r->out, "</li>\n");
}

void therapist_couple_page(struct req *r)
{
	struct couple_row link;
	struct acct_person p[2];
	size_t np, nc;
	struct copy *copies;
	long long id = req_param_id(r, "id", LLONG_MAX);
	if (!is_therapist(r))
		return;
	if (id <= 0) {
		req_error(r, 404, "not_found", "There is nothing at this address.", NULL);
		return;
	}
	if (therapist_read(r, id, &link, p, &np, &copies, &nc) < 0)
		return;
	page_begin(r, np == 2 ? arena_printf(&r->arena, "%s and %s", p[0].name, p[1].name) : "A couple");
	html(&r->out, "<p>What each of them has chosen to share with you. Nothing else is here.</p>\n");
	for (size_t i = 0; i < np; i++) {
		html(&r->out, "<h2>%s</h2>\n", p[i].name);
		bool any = false;
		for (size_t k = 0; k <= counsel_kinds_len; k++) {
			const struct counsel_kind *kind = k < counsel_kinds_len ? &counsel_kinds[k] : &SAFETY_KIND;
			bool head = false;
			for (size_t j = 0; j < nc; j++) {
				if (copies[j].author_id != p[i].user_id || strcmp(copies[j].kind, kind->key) ||
				    !copies[j].body)
					continue;
				json_t *item = json_loads(copies[j].body, 0, NULL);
				if (!item)
					continue;
				if (!head)
					html(&r->out, "<h3>%s</h3>\n<ul class=\"cards\">\n", kind->label);
				head = any = true;
				item_html(r, copies[j].day, item);
				json_decref(item);
			}
			if (head)
				html_unsafe_raw(&r->out, "</ul>\n");
		}
		if (!any)
			html(&r->out, "<p>Nothing shared yet.</p>\n");
	}
	page_end_link(r, "/therapist", "Your couples");
}

/* ---- parting and closing an account ---- */

const struct room_sql counsel_sql = {
	.shared = NULL,
	.own = NULL,
	.clear = "DELETE FROM counsel_copy WHERE link_id IN (SELECT id FROM counsel_link WHERE couple_id = ?1);"
		 "DELETE FROM counsel_key WHERE link_id IN (SELECT id FROM counsel_link WHERE couple_id = ?1);"
		 "DELETE FROM counsel_consent WHERE link_id IN (SELECT id FROM counsel_link WHERE couple_id = ?1);"
		 "DELETE FROM counsel_link WHERE couple_id = ?1;"
		 "DELETE FROM counsel_share WHERE couple_id = ?1;",
	.forget = "DELETE FROM counsel_copy WHERE link_id IN (SELECT id FROM counsel_link WHERE therapist_id = ?1);"
		  "DELETE FROM counsel_key WHERE link_id IN (SELECT id FROM counsel_link WHERE therapist_id = ?1);"
		  "DELETE FROM counsel_consent WHERE link_id IN (SELECT id FROM counsel_link WHERE therapist_id = ?1);"
		  "DELETE FROM counsel_link WHERE therapist_id = ?1;",
};
