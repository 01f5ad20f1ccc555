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
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../auth/account.h"
#include "../auth/password.h"
#include "../auth/throttle.h"
#include "../auth/vault.h"
#include "../base/caltime.h"
#include "../base/log.h"
#include "../base/utf8.h"
#include "../http/defer.h"
#include "../insight/insight.h"
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
#include "journal.h"
#include "notes.h"
#include "promise.h"
#include "roadmap.h"
#include "safety.h"
#include "vulnerability.h"
#include "transparency.h"
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

int counsel_active(struct req *r, const struct viewer *v, bool *active)
{
	*active = false;
	sqlite3 *c = db_reader(&r->app->db);
	if (!c)
		return SQLITE_CANTOPEN;
	struct link l;
	int rc = link_of_couple(c, &r->arena, v->couple_id, v->user_id, r->now, &l);
	if (rc == SQLITE_NOTFOUND)
		return SQLITE_OK;
	*active = rc == SQLITE_OK && l.status == LINK_ACTIVE;
	return rc;
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
	{ "checkin_scores", "My check-in scores", "Weekly check-in scores", checkin_counsel },
	{ "daily_checkins", "My daily check-ins", "Daily check-ins", daily_counsel },
	{ "triggers", "Hard moments I have shared with my partner", "Hard moments shared with the partner",
	  trigger_counsel },
	{ "promises", "Promises I made", "Promises made", promise_counsel },
	{ "wins_setbacks", "Small wins and setbacks", "Small wins and setbacks", notes_counsel },
	{ "agreements", "Our agreements", "The agreements", agreement_counsel },
	{ "roadmap_steps", "Where I am on the road", "Steps on the road", roadmap_counsel },
	{ "transparency", "Transparency plans I offered", "Transparency plans", transparency_counsel },
	{ "disclosures", "What I disclosed", "Disclosures", disclosure_counsel },
};
const size_t counsel_kinds_len = sizeof(counsel_kinds) / sizeof(counsel_kinds[0]);

/* A partner's own safety result: never among the kinds to share, only
 * sent by that partner alone. */
static const struct counsel_kind SAFETY_KIND = { "safety", NULL, "The safety check result they chose to send", NULL };

/* Single items a partner marks "for our counsellor": a copy taken when
 * marked, kept until taken back or the access ends. Each room's reader
 * gives only the partner's own record. */
struct counsel_item_kind {
	const char *name, *key, *label;
	json_t *(*read)(struct req *r, const struct viewer *v, long long id);
};
static const struct counsel_item_kind ITEM_KINDS[] = {
	{ "journal", "item_journal", "A journal entry, for you", journal_counsel_item },
	{ "vulnerability", "item_vulnerability", "A share, for you", vulnerability_counsel_item },
	{ "note", "item_note", "A note from the timeline, for you", notes_counsel_item },
};
#define ITEM_KINDS_LEN (sizeof(ITEM_KINDS) / sizeof(ITEM_KINDS[0]))

static const struct counsel_item_kind *item_kind(const char *name_or_key)
{
	for (size_t i = 0; name_or_key && i < ITEM_KINDS_LEN; i++)
		if (!strcmp(ITEM_KINDS[i].name, name_or_key) || !strcmp(ITEM_KINDS[i].key, name_or_key))
			return &ITEM_KINDS[i];
	return NULL;
}

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
	int rc = db_run(w, "DELETE FROM counsel_copy WHERE link_id = ?1 AND author_id = ?2 AND kind <> 'safety'"
			" AND kind NOT LIKE 'item_%'", "ii",
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

/* What each partner's copies were last written from: a digest keyed with
 * the care key (it says nothing without it), per access and author, so a
 * visit that changes nothing writes nothing. Kept in memory only: after a
 * restart the first visit writes the copies again. */
#define SYNC_SEEN 256
static struct {
	long long link_id, author_id;
	unsigned char digest[crypto_generichash_BYTES];
} sync_seen[SYNC_SEEN];
static size_t sync_seen_next;
static pthread_mutex_t sync_seen_lock = PTHREAD_MUTEX_INITIALIZER;

static void sync_digest(const struct sync *s, unsigned char out[crypto_generichash_BYTES])
{
	crypto_generichash_state h;
	crypto_generichash_init(&h, s->care, VAULT_KEY_BYTES, crypto_generichash_BYTES);
	for (size_t k = 0; k < counsel_kinds_len; k++) {
		char *body = s->items[k] ? json_dumps(s->items[k], JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		unsigned char mark[2] = { (unsigned char)k, body ? 1 : 0 };
		crypto_generichash_update(&h, mark, sizeof(mark));
		if (body) {
			crypto_generichash_update(&h, (const unsigned char *)body, strlen(body) + 1);
			free(body);
		}
	}
	crypto_generichash_final(&h, out, crypto_generichash_BYTES);
}

/* True when the copies of (link, author) were last written from digest d;
 * with remember, records d as the last written instead. */
static bool sync_seen_as(long long link_id, long long author_id, const unsigned char *d, bool remember)
{
	bool same = false;
	pthread_mutex_lock(&sync_seen_lock);
	size_t i = 0;
	while (i < SYNC_SEEN && !(sync_seen[i].link_id == link_id && sync_seen[i].author_id == author_id))
		i++;
	if (remember) {
		if (i == SYNC_SEEN)
			i = sync_seen_next++ % SYNC_SEEN;
		sync_seen[i].link_id = link_id;
		sync_seen[i].author_id = author_id;
		memcpy(sync_seen[i].digest, d, crypto_generichash_BYTES);
	} else {
		same = i < SYNC_SEEN && sodium_memcmp(sync_seen[i].digest, d, crypto_generichash_BYTES) == 0;
	}
	pthread_mutex_unlock(&sync_seen_lock);
	return same;
}

/* When each partner's copies were last found up to date: the store's
 * marks for their couple (db.h) and the minute of the request clock. While
 * both are the same nothing the readers see can have changed (their
 * records, their partner's, the sharing choices, the access, what time
 * reveals), so the partner's next visit reads nothing again. Kept in
 * memory only, like sync_seen. */
#define SYNC_FRESH 256
static struct {
	unsigned long gen;
	long long user_id;
	struct db_marks marks;
	time_t minute;
} sync_fresh[SYNC_FRESH];
static size_t sync_fresh_next;

/* True when v's copies were up to date at marks m in this minute; with
 * remember, records that they are. */
static bool sync_fresh_at(struct req *r, const struct viewer *v, const struct db_marks *m, bool remember)
{
	bool fresh = false;
	unsigned long gen = r->app->db.gen;
	time_t minute = r->now / 60;
	pthread_mutex_lock(&sync_seen_lock);
	size_t i = 0;
	while (i < SYNC_FRESH && !(sync_fresh[i].user_id == v->user_id && sync_fresh[i].gen == gen))
		i++;
	if (remember) {
		if (i == SYNC_FRESH)
			i = sync_fresh_next++ % SYNC_FRESH;
		sync_fresh[i].gen = gen;
		sync_fresh[i].user_id = v->user_id;
		sync_fresh[i].marks = *m;
		sync_fresh[i].minute = minute;
	} else {
		fresh = i < SYNC_FRESH && sync_fresh[i].minute == minute && db_marks_same(&sync_fresh[i].marks, m);
	}
	pthread_mutex_unlock(&sync_seen_lock);
	return fresh;
}

static int sync_read(struct req *r, const struct viewer *v);

int counsel_sync(struct req *r, const struct viewer *v)
{
	if (v->kind != VIEWER_PARTNER || !v->couple_id || !v->data_key || !v->couple_key)
		return SQLITE_OK;
	struct db_marks m;
	if (!db_read_marks(v->couple_id, &m))
		return sync_read(r, v);
	if (sync_fresh_at(r, v, &m, false))
		return SQLITE_OK;
	int rc = sync_read(r, v);
	if (rc == SQLITE_OK)
		sync_fresh_at(r, v, &m, true);
	return rc;
}

/* counsel_sync's work: reads what v shares and writes the copies again
 * when they changed. */
static int sync_read(struct req *r, const struct viewer *v)
{
	struct link l;
	unsigned char care[VAULT_KEY_BYTES];
	bool on[16];
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
	unsigned char digest[crypto_generichash_BYTES];
	if (rc == SQLITE_OK) {
		sync_digest(&s, digest);
		if (!sync_seen_as(l.id, v->user_id, digest, false) &&
		    (rc = db_write(&r->app->db, sync_tx, &s)) == SQLITE_OK)
			sync_seen_as(l.id, v->user_id, digest, true);
	}
	for (size_t k = 0; k < counsel_kinds_len; k++)
		json_decref(s.items[k]);
	sodium_memzero(care, sizeof(care));
	return rc;
}

/* Tables no kind a partner shares with a counsellor is read from (the
 * readers of counsel_kinds and the sharing choices): a write that changed
 * only these leaves the copies as they are, and the digest check, which
 * reads and opens every shared record, is not run. A table missing here
 * only costs that check. */
static const char *const NOT_SHARED_TABLES[] = {
	"appreciation", "calendar_feed", "coach_setting", "connection_time", "connection_time_v",
	"counsel_copy", "counsel_dismissal", "counsel_session", "counsel_suggestion", "hard_date",
	"insight_factor", "insight_setting", "journal_entry", "journal_share", "keepsake", "keepsake_key",
	"parting_notice", "push_key", "push_outbox", "push_pref", "push_sent", "push_subscription",
	"readiness", "recovery_criterion", "recovery_tick", "ritual_schedule", "safety_screen",
	"transparency_report", "transparency_view", "vision", "vision_item", "vulnerability", NULL,
};

void counsel_after_write(struct req *r)
{
	const struct viewer *v = r->me;
	if (!v || v->kind != VIEWER_PARTNER || db_changed_only(NOT_SHARED_TABLES))
		return;
	if (counsel_sync(r, v) != SQLITE_OK)
		log_msg("counsel: the counsellor's copies could not be written after a write (%s)", r->route);
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
		rc = db_run(w, "DELETE FROM counsel_dismissal WHERE suggestion_id IN"
			       " (SELECT id FROM counsel_suggestion WHERE link_id = ?1)", "i", link_id);
	if (rc == SQLITE_OK)
		rc = db_run(w, "DELETE FROM counsel_suggestion WHERE link_id = ?1", "i", link_id);
	if (rc == SQLITE_OK)
		rc = db_run(w, "DELETE FROM counsel_session WHERE link_id = ?1", "i", link_id);
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
	return json_pack("{s:{s:I, s:s, s:s*, s:s*, s:{s:b, s:b}}, s:o}", "counsellor", "id", (json_int_t)l.id,
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

/* A partner's bodiless API change: 0 once done, or -1 after answering
 * (a body, a refusal or an error). */
static int partner_api_op(struct req *r, int (*fn)(sqlite3 *, void *), struct partner_op *o)
{
	if (req_no_body(r) < 0)
		return -1;
	int out = partner_write(r, fn, o);
	return out < 0 || req_refuse(r, REFUSALS, out) ? -1 : 0;
}

void counsel_api_invite(struct req *r)
{
	struct partner_op o;
	if (partner_api_op(r, invite_tx, &o) < 0)
		return;
	req_json(r, 201, json_pack("{s:s, s:i}", "invite_code", o.code, "valid_days", COUNSEL_INVITE_DAYS));
	sodium_memzero(o.code, sizeof(o.code));
}

void counsel_api_agree(struct req *r)
{
	struct partner_op o;
	if (partner_api_op(r, agree_tx, &o) < 0)
		return;
	answer_state(r, 200);
}

void counsel_api_withdraw(struct req *r)
{
	struct partner_op o;
	if (partner_api_op(r, withdraw_tx, &o) < 0)
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
			req_error(r, 400, "invalid_field", "One of those kinds is not one we know.",
				  arena_printf(&r->arena, "kinds.%zu", i));
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

/* The viewer's active counsel link and its care key, for sending a copy:
 * 0, 1 when there is no open access, or -1 after answering. */
static int open_link_care(struct req *r, struct link *l, unsigned char care[VAULT_KEY_BYTES])
{
	if (!auth_keys(r))
		return -1;
	sqlite3 *c = db_reader(&r->app->db);
	int rc = c ? link_of_couple(c, &r->arena, r->me->couple_id, r->me->user_id, r->now, l) : SQLITE_CANTOPEN;
	if (rc == SQLITE_NOTFOUND || (rc == SQLITE_OK && l->status != LINK_ACTIVE))
		return 1;
	if (!req_db_ok(r, rc))
		return -1;
	if (care_key_partner(c, l->id, r->me->user_id, r->me->data_key, care) < 0)
		return 1;
	return 0;
}

/* Sends (send) or takes back the viewer's own safety result. Returns 0,
 * 1 when there is no open access or nothing to send, or -1 after
 * answering. */
static int safety_send(struct req *r, bool send)
{
	struct link l;
	unsigned char care[VAULT_KEY_BYTES];
	int open = open_link_care(r, &l, care);
	if (open)
		return open;
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

/* ---- single items for the counsellor ---- */

struct item_copy {
	long long link_id, author_id, source_id;
	const char *key;
	const unsigned char *care;
	json_t *item; /* NULL: take back */
	int found;
};

static int item_tx(sqlite3 *w, void *arg)
{
	struct item_copy *c = arg;
	long long before = sqlite3_total_changes(w);
	int rc = db_run(w, "DELETE FROM counsel_copy WHERE link_id = ?1 AND author_id = ?2 AND kind = ?3 AND source_id = ?4",
			"iiti", c->link_id, c->author_id, c->key, c->source_id);
	c->found = sqlite3_total_changes(w) > before;
	if (rc != SQLITE_OK || !c->item)
		return rc;
	char *body = json_dumps(c->item, JSON_COMPACT | JSON_SORT_KEYS);
	long long id = 0, out = 0;
	int irc = db_int(w, &id, "INSERT INTO counsel_copy(link_id, author_id, kind, source_id, day, body)"
				 " VALUES(?1, ?2, ?3, ?4, ?5, x'') RETURNING id", "iitit", c->link_id, c->author_id, c->key,
			 c->source_id, json_string_value(json_object_get(c->item, "day")));
	rc = vault_store_new_row(w, irc, id, "UPDATE counsel_copy SET body = ?2 WHERE id = ?1", c->care, "counsel_copy",
				 "body", body, &out);
	free(body);
	return rc;
}

/* Sends (send) or takes back a copy of the viewer's own item. Returns 0,
 * 1 when there is no open access, 2 when there is no such item of theirs
 * (or, taking back, no such copy), or -1 after answering. */
static int item_send(struct req *r, const struct counsel_item_kind *k, long long source_id, bool send)
{
	struct link l;
	unsigned char care[VAULT_KEY_BYTES];
	int open = open_link_care(r, &l, care);
	if (open)
		return open;
	struct item_copy copy = { l.id, r->me->user_id, source_id, k->key, care, NULL, 0 };
	if (send) {
		copy.item = k->read(r, r->me, source_id);
		if (!json_is_object(copy.item)) {
			json_decref(copy.item);
			sodium_memzero(care, sizeof(care));
			return 2;
		}
	}
	int res = req_write(r, item_tx, &copy);
	json_decref(copy.item);
	sodium_memzero(care, sizeof(care));
	return res < 0 ? -1 : !send && !copy.found ? 2 : 0;
}

static void item_answer(struct req *r, int res, int status, bool sent)
{
	if (res == 1)
		req_error(r, 409, "no_counsellor", "There is no counsellor with access to send it to.", NULL);
	else if (res == 2)
		req_error(r, 404, "not_found", "There is nothing at this address.", NULL);
	else if (res == 0)
		req_json(r, status, json_pack("{s:b}", "sent", sent));
}

void counsel_api_item_send(struct req *r)
{
	static const char *const FIELDS[] = { "kind", "id", NULL };
	const char *kind;
	long long id;
	if (jin_only(r, r->json, FIELDS) < 0 || jin_str(r, r->json, "kind", true, 16, &kind) < 0 ||
	    jin_int(r, r->json, "id", true, 1, LLONG_MAX, &id) < 0)
		return;
	const struct counsel_item_kind *k = item_kind(kind);
	if (!k || strcmp(k->name, kind)) {
		req_error(r, 400, "invalid_field", "kind is journal, vulnerability or note.", "kind");
		return;
	}
	item_answer(r, item_send(r, k, id, true), 201, true);
}

void counsel_api_item_delete(struct req *r)
{
	const struct counsel_item_kind *k = item_kind(kv_get(&r->params, "kind"));
	long long id = req_param_id(r, "id", LLONG_MAX);
	if (!k || strcmp(k->name, kv_get(&r->params, "kind")) || id <= 0) {
		req_error(r, 404, "not_found", "There is nothing at this address.", NULL);
		return;
	}
	item_answer(r, item_send(r, k, id, false), 200, false);
}

/* Where an item's form returns: one of the pages the items live on, else
 * "Our counsellor". */
static const char *item_back(struct req *r)
{
	static const char *const PAGES[] = { "/journal", "/sharing", "/timeline", NULL };
	const char *back = req_form_field(r, "back");
	for (size_t i = 0; back && PAGES[i]; i++)
		if (!strcmp(back, PAGES[i]))
			return PAGES[i];
	return "/counsellor?done=sharing";
}

void counsel_item_post(struct req *r)
{
	const struct counsel_item_kind *k = item_kind(req_form_field(r, "kind"));
	const char *ids = req_form_field(r, "id"), *send = req_form_field(r, "send");
	long long id = ids ? strtoll(ids, NULL, 10) : 0;
	int res = k && id > 0 ? item_send(r, k, id, send && !strcmp(send, "yes")) : 2;
	if (res == 0)
		req_redirect(r, item_back(r));
	else if (res > 0)
		req_error(r, res == 1 ? 409 : 404, "not_found", res == 1 ? "There is no counsellor with access to send it to."
								    : "There is nothing at this address.", NULL);
}

/* The ids of the viewer's items of key k that have a copy now. */
static bool item_sent(struct req *r, long long link_id, const char *key, long long source_id)
{
	long long n = 0;
	sqlite3 *c = db_reader(&r->app->db);
	return c && db_int(c, &n, "SELECT count(*) FROM counsel_copy WHERE link_id = ?1 AND author_id = ?2"
				  " AND kind = ?3 AND source_id = ?4", "iiti", link_id, r->me->user_id, key,
			   source_id) == SQLITE_ROW && n;
}

void counsel_item_button(struct req *r, const char *kind, long long id, const char *back)
{
	struct link l;
	const struct counsel_item_kind *k = item_kind(kind);
	sqlite3 *c = db_reader(&r->app->db);
	if (!k || !c || !r->me || r->me->kind != VIEWER_PARTNER || !r->me->couple_id ||
	    link_of_couple(c, &r->arena, r->me->couple_id, r->me->user_id, r->now, &l) != SQLITE_OK ||
	    l.status != LINK_ACTIVE)
		return;
	bool sent = item_sent(r, l.id, k->key, id);
	ui_form_begin(r, "/counsellor/items");
	html(&r->out, "<input type=\"hidden\" name=\"kind\" value=\"%s\">"
		      "<input type=\"hidden\" name=\"id\" value=\"%lld\">"
		      "<input type=\"hidden\" name=\"send\" value=\"%s\">"
		      "<input type=\"hidden\" name=\"back\" value=\"%s\">"
		      "<button type=\"submit\" class=\"secondary\">%s</button></form>\n",
	     k->name, id, sent ? "no" : "yes", back,
	     sent ? "Take back the counsellor's copy" : "Send a copy to our counsellor");
}

/* The page's list of my journal entries, each with "send a copy" or
 * "take it back". */
static void items_html(struct req *r, long long link_id, const char *who)
{
	json_t *entries = journal_export(r, r->me);
	if (!entries)
		return;
	html(&r->out, "<h2>Single items for %s</h2>\n<p>A copy of one journal entry, as it is now. Only you "
		      "see this list.</p>\n", who);
	if (!json_array_size(entries))
		html(&r->out, "<p>No journal entries yet.</p>\n");
	else
		html_unsafe_raw(&r->out, "<ul class=\"cards\">\n");
	size_t i;
	json_t *e;
	json_array_foreach(entries, i, e) {
		if (i == 10)
			break;
		long long id = json_integer_value(json_object_get(e, "id"));
		const char *text = json_string_value(json_object_get(e, "text"));
		bool sent = item_sent(r, link_id, "item_journal", id);
		html(&r->out, "<li class=\"card\"><p class=\"said\">%.*s%s</p>", 140, text ? text : "",
		     text && strlen(text) > 140 ? "…" : "");
		ui_form_begin(r, "/counsellor/items");
		html(&r->out, "<input type=\"hidden\" name=\"kind\" value=\"journal\">"
			      "<input type=\"hidden\" name=\"id\" value=\"%lld\">"
			      "<input type=\"hidden\" name=\"send\" value=\"%s\">", id, sent ? "no" : "yes");
		ui_form_end(r, sent ? "Take the copy back" : "Send a copy");
		html_unsafe_raw(&r->out, "</li>\n");
	}
	if (json_array_size(entries))
		html_unsafe_raw(&r->out, "</ul>\n");
	json_decref(entries);
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
		      "<p>Never shared on its own: your journal, your readiness, your safety check, a "
		      "check-in before you have both written. A journal entry or your safety result goes "
		      "only if you send it yourself.</p>\n");
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
	if (l.status == LINK_ACTIVE)
		items_html(r, l.id, l.therapist_name);
	if (l.status == LINK_ACTIVE) {
		char today[11];
		date_format(viewer_today(r), today);
		html(&r->out, "<h2>Session days</h2>\n<p>The report %s reads before a session starts at the last "
			      "session day.</p>\n", l.therapist_name);
		ui_form_begin(r, "/counsellor/sessions");
		ui_input(r, "A session day", "day", "date", today, "off", NULL, 1);
		ui_form_end(r, "Save the day");
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
			     : !strcmp(done, "sharing") || !strcmp(done, "session") ? "Saved."
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

/* The couple link id in the address, for the counsellor of r; 0 after
 * answering 404 (not a counsellor, or an id that cannot be one). */
static long long therapist_link_param(struct req *r)
{
	long long id = req_param_id(r, "id", LLONG_MAX);
	if (!is_therapist(r))
		return 0;
	if (id <= 0)
		req_error(r, 404, "not_found", "There is nothing at this address.", NULL);
	return id > 0 ? id : 0;
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
	long long id = therapist_link_param(r);
	if (!id)
		return;
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
			if (!list && (!strcmp(copies[j].kind, "safety") || item_kind(copies[j].kind))) {
				list = json_array();
				json_object_set_new(shared, copies[j].kind, list);
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
	long long users = 0;
	if (!f)
		f = acct_count_users(c, &username, 1, &users, &taken);
	if (f) {
		req_db_error(r, f);
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

/* Writes one shared item on one line: its day, then its fields as the room
 * gave them ("plan used: yes · intensity: 6 · what: ..."). */
static void item_html(struct req *r, const char *day, json_t *item)
{
	const char *key;
	json_t *val;
	bool first = true;
	html(&r->out, "<li class=\"card\"><p><span class=\"meta\">%s</span> ", words_iso_day(&r->arena, day));
	json_object_foreach(item, key, val) {
		if (!strcmp(key, "id") || !strcmp(key, "day") || json_is_null(val))
			continue;
		char word[32];
		size_t k = 0;
		for (; key[k] && k < sizeof(word) - 1; k++)
			word[k] = key[k] == '_' ? ' ' : key[k];
		word[k] = '\0';
		if (!first)
			html_unsafe_raw(&r->out, " · ");
		first = false;
		if (json_is_string(val))
			html(&r->out, "%s: %s", word, json_string_value(val));
		else if (json_is_integer(val))
			html(&r->out, "%s: %lld", word, (long long)json_integer_value(val));
		else if (json_is_boolean(val))
			html(&r->out, "%s: %s", word, json_is_true(val) ? "yes" : "no");
	}
	html_unsafe_raw(&r->out, "</p></li>\n");
}

/* The most items of one kind the couple page lists (the API has them all). */
#define PAGE_ITEMS 12

void therapist_couple_page(struct req *r)
{
	struct couple_row link;
	struct acct_person p[2];
	size_t np, nc;
	struct copy *copies;
	long long id = therapist_link_param(r);
	if (!id)
		return;
	if (therapist_read(r, id, &link, p, &np, &copies, &nc) < 0)
		return;
	page_begin(r, np == 2 ? arena_printf(&r->arena, "%s and %s", p[0].name, p[1].name) : "A couple");
	const char *done = kv_get(&r->query, "done");
	if (done && (!strcmp(done, "session") || !strcmp(done, "suggested")))
		ui_notice(r, "info", !strcmp(done, "session") ? "Saved." : "Sent. Both of them see it on their home page.");
	html(&r->out, "<p>What each of them has chosen to share with you. Nothing else is here.</p>\n"
		      "<p><a class=\"button\" href=\"/therapist/couples/%lld/report\">Before the session: the report</a></p>\n",
	     id);
	for (size_t i = 0; i < np; i++) {
		html(&r->out, "<h2>%s</h2>\n", p[i].name);
		bool any = false;
		for (size_t k = 0; k <= counsel_kinds_len + ITEM_KINDS_LEN; k++) {
			struct counsel_kind one;
			const struct counsel_kind *kind = k < counsel_kinds_len ? &counsel_kinds[k] : &SAFETY_KIND;
			if (k > counsel_kinds_len) {
				one = (struct counsel_kind){ ITEM_KINDS[k - counsel_kinds_len - 1].key, NULL,
							     ITEM_KINDS[k - counsel_kinds_len - 1].label, NULL };
				kind = &one;
			}
			bool head = false;
			size_t shown = 0;
			for (size_t j = 0; j < nc; j++) {
				if (copies[j].author_id != p[i].user_id || strcmp(copies[j].kind, kind->key) ||
				    !copies[j].body)
					continue;
				json_t *item = json_loads(copies[j].body, 0, NULL);
				if (!item)
					continue;
				if (!head)
					html(&r->out, "<h3>%s</h3>\n<ul class=\"cards\">\n", kind->heading);
				head = any = true;
				if (shown++ < PAGE_ITEMS)
					item_html(r, copies[j].day, item);
				json_decref(item);
			}
			if (head)
				html_unsafe_raw(&r->out, "</ul>\n");
			if (shown > PAGE_ITEMS)
				html(&r->out, "<p class=\"meta\">And %s before these.</p>\n",
				     words_count(&r->arena, (long)(shown - PAGE_ITEMS), "earlier one", "earlier ones"));
		}
		if (!any)
			html(&r->out, "<p>Nothing shared yet.</p>\n");
	}
	char today[11];
	date_format(viewer_today(r), today);
	html(&r->out, "<h2>A session day</h2>\n");
	ui_form_begin(r, arena_printf(&r->arena, "/therapist/couples/%lld/sessions", id));
	ui_input(r, "The day", "day", "date", today, "off", NULL, 1);
	ui_form_end(r, "Save the day");
	html(&r->out, "<h2>Between sessions</h2>\n<p>A suggestion shows on both their home pages until each "
		      "of them is done with it.</p>\n");
	ui_form_begin(r, arena_printf(&r->arena, "/therapist/couples/%lld/suggestions", id));
	static const char *const KIND_OPTIONS[] = { "step", "A step on the road", "checkin_topic", "A topic for the check-in",
						    "vulnerability", "A vulnerability share", "time_together", "Time together",
						    NULL };
	ui_radios(r, "What you suggest", "kind", KIND_OPTIONS, "step");
	ui_input(r, "The step's number (for a step)", "step", "number", NULL, "off", "1 to 20", 0);
	ui_textarea(r, "A short note (optional)", "note", NULL, "A few words, up to 500 characters.", 0);
	ui_form_end(r, "Send the suggestion");
	page_end_link(r, "/therapist", "Your couples");
}

/* ---- parting and closing an account ---- */

#define LINKS_OF(col) "(SELECT id FROM counsel_link WHERE " col " = ?1)"
#define SUGGESTIONS_OF(col) "(SELECT id FROM counsel_suggestion WHERE link_id IN " LINKS_OF(col) ")"
const struct room_sql counsel_sql = {
	.shared = NULL,
	.own = NULL,
	.clear = "DELETE FROM counsel_copy WHERE link_id IN " LINKS_OF("couple_id") ";"
		 "DELETE FROM counsel_dismissal WHERE suggestion_id IN " SUGGESTIONS_OF("couple_id") ";"
		 "DELETE FROM counsel_suggestion WHERE link_id IN " LINKS_OF("couple_id") ";"
		 "DELETE FROM counsel_session WHERE link_id IN " LINKS_OF("couple_id") ";"
		 "DELETE FROM counsel_key WHERE link_id IN " LINKS_OF("couple_id") ";"
		 "DELETE FROM counsel_consent WHERE link_id IN " LINKS_OF("couple_id") ";"
		 "DELETE FROM counsel_link WHERE couple_id = ?1;"
		 "DELETE FROM counsel_share WHERE couple_id = ?1;",
	.forget = "DELETE FROM counsel_copy WHERE link_id IN " LINKS_OF("therapist_id") ";"
		  "DELETE FROM counsel_dismissal WHERE suggestion_id IN " SUGGESTIONS_OF("therapist_id") ";"
		  "DELETE FROM counsel_suggestion WHERE link_id IN " LINKS_OF("therapist_id") ";"
		  "DELETE FROM counsel_session WHERE link_id IN " LINKS_OF("therapist_id") ";"
		  "DELETE FROM counsel_key WHERE link_id IN " LINKS_OF("therapist_id") ";"
		  "DELETE FROM counsel_consent WHERE link_id IN " LINKS_OF("therapist_id") ";"
		  "DELETE FROM counsel_link WHERE therapist_id = ?1;",
};

/* ---- session days ---- */

#define SESSION_AHEAD_DAYS 366

struct session_day {
	long long link_id, by;
	char day[11];
};

static int session_tx(sqlite3 *w, void *arg)
{
	const struct session_day *s = arg;
	return db_run(w, "INSERT OR IGNORE INTO counsel_session(link_id, day, recorded_by) VALUES(?1, ?2, ?3)", "iti",
		      s->link_id, s->day, s->by);
}

/* Reads {"day"} and records it for link_id. Returns 0, or -1 after
 * answering. */
static int record_session(struct req *r, long long link_id)
{
	static const char *const FIELDS[] = { "day", NULL };
	struct session_day s = { .link_id = link_id, .by = r->me->user_id };
	long day = 0;
	if (jin_only(r, r->json, FIELDS) < 0 || jin_day(r, r->json, "day", true, viewer_today(r) + SESSION_AHEAD_DAYS, &day) < 0)
		return -1;
	date_format(day, s.day);
	return req_write(r, session_tx, &s);
}

/* The open link of the viewer's couple, active, or 404 answered. */
static bool active_link(struct req *r, struct link *l)
{
	sqlite3 *c = db_reader(&r->app->db);
	int rc = c ? link_of_couple(c, &r->arena, r->me->couple_id, r->me->user_id, r->now, l) : SQLITE_CANTOPEN;
	if (rc == SQLITE_OK && l->status == LINK_ACTIVE)
		return true;
	if (rc == SQLITE_OK || rc == SQLITE_NOTFOUND)
		req_error(r, 404, "not_found", "There is no counsellor with access.", NULL);
	else
		req_db_error(r, rc);
	return false;
}

void counsel_api_session(struct req *r)
{
	struct link l;
	if (active_link(r, &l) && record_session(r, l.id) == 0)
		req_json(r, 201, json_pack("{s:O}", "day", json_object_get(r->json, "day")));
}

/* The session days of link_id, newest first, at most max, into days. */
static size_t session_days(sqlite3 *c, long long link_id, char days[][11], size_t max)
{
	size_t n = 0;
	sqlite3_stmt *st = db_prepare(c, "SELECT day FROM counsel_session WHERE link_id = ?1 ORDER BY day DESC", "i",
				      link_id);
	while (st && n < max && sqlite3_step(st) == SQLITE_ROW)
		snprintf(days[n++], 11, "%s", (const char *)sqlite3_column_text(st, 0));
	db_done(st);
	return n;
}

/* ---- the session report ---- */

#define REPORT_WEEKS 8
#define REPORT_DEFAULT_DAYS 28
#define GAP_POINTS 3
#define OFF_TRACK_SPAN 4
#define OFF_TRACK_Z 1.96

static const char *const TRUST_DIMS[] = { "reliability", "emotional_safety", "honesty", "consistency", "respect",
					  "transparency" };

static double round1(double x)
{
	return (double)(long long)(x * 10.0 + (x < 0 ? -0.5 : 0.5)) / 10.0;
}

/* The mean of a week's six trust dimensions. */
static double trust_of(json_t *w)
{
	double sum = 0;
	for (size_t i = 0; i < 6; i++)
		sum += (double)json_integer_value(json_object_get(w, TRUST_DIMS[i]));
	return sum / 6.0;
}

/* The "not on track" signal of one series x[0..n) (oldest first): the
 * change over the last OFF_TRACK_SPAN check-ins against OFF_TRACK_Z times
 * the spread (sample standard deviation) of this partner's own
 * week-to-week changes, at least 1 point. JSON null with fewer than
 * OFF_TRACK_SPAN + 1 check-ins. */
static json_t *off_track(const double *x, size_t n)
{
	if (n < OFF_TRACK_SPAN + 1)
		return json_null();
	double mean = 0, ss = 0;
	for (size_t i = 1; i < n; i++)
		mean += x[i] - x[i - 1];
	mean /= (double)(n - 1);
	for (size_t i = 1; i < n; i++)
		ss += (x[i] - x[i - 1] - mean) * (x[i] - x[i - 1] - mean);
	double sd = n > 2 ? sqrt(ss / (double)(n - 2)) : 0;
	if (sd < 1.0)
		sd = 1.0;
	double change = x[n - 1] - x[n - 1 - OFF_TRACK_SPAN], threshold = OFF_TRACK_Z * sd;
	return json_pack("{s:f, s:f, s:f, s:b}", "change", round1(change), "spread", round1(sd), "threshold",
			 round1(threshold), "not_on_track", change < -threshold);
}

struct report_in {
	const char *since, *until, *prev_from; /* "YYYY-MM-DD" */
};

static bool in_period(const char *day, const char *from, const char *to)
{
	return day && strcmp(day, from) >= 0 && strcmp(day, to) <= 0;
}

/* One partner's part of the report, from the copies they shared. */
static json_t *partner_report(struct req *r, const struct acct_person *p, const struct copy *copies, size_t nc,
			      const struct report_in *in, const bool shared[], json_t **weeks_out)
{
	json_t *weeks = json_array(), *triggers = json_object(), *promises = json_object(), *notes = json_array();
	json_t *agreements = json_array(), *road = json_array(), *safety = json_null(), *daily = json_array();
	json_t *items = json_array(), *plans = json_array(), *disclosures = json_array();
	int tn = 0, tpn = 0, used = 0, helped = 0, due = 0, kept = 0, broken = 0, open = 0, wins = 0, setbacks = 0;
	double ti = 0, tpi = 0;
	const char *prev_to = in->since;
	/* copies come newest day first per kind */
	for (size_t j = nc; j-- > 0;) {
		const struct copy *x = &copies[j];
		if (x->author_id != p->user_id || !x->body)
			continue;
		json_t *item = json_loads(x->body, 0, NULL);
		if (!item)
			continue;
		if (!strcmp(x->kind, "checkin_scores")) {
			json_array_append_new(weeks, json_pack("{s:O, s:O, s:f}", "week", json_object_get(item, "week"),
							       "connection", json_object_get(item, "connection"), "trust",
							       round1(trust_of(item))));
			json_t *dims = json_object();
			for (size_t d = 0; d < 6; d++)
				json_object_set(dims, TRUST_DIMS[d], json_object_get(item, TRUST_DIMS[d]));
			json_object_set(dims, "connection", json_object_get(item, "connection"));
			json_object_set_new(json_array_get(weeks, json_array_size(weeks) - 1), "dimensions", dims);
		} else if (!strcmp(x->kind, "daily_checkins") && in_period(x->day, in->since, in->until)) {
			json_array_append_new(daily, json_pack("{s:s, s:O, s:O}", "day", x->day, "close",
							       json_object_get(item, "close"), "safe", json_object_get(item, "safe")));
		} else if (!strcmp(x->kind, "triggers")) {
			double intensity = (double)json_integer_value(json_object_get(item, "intensity"));
			if (in_period(x->day, in->since, in->until)) {
				tn++;
				ti += intensity;
				used += json_is_true(json_object_get(item, "plan_used"));
				helped += json_is_true(json_object_get(item, "plan_helped"));
			} else if (strcmp(x->day, in->prev_from) >= 0 && strcmp(x->day, prev_to) < 0) {
				tpn++;
				tpi += intensity;
			}
		} else if (!strcmp(x->kind, "promises") && in_period(x->day, in->since, in->until)) {
			const char *o = json_string_value(json_object_get(item, "outcome"));
			due++;
			kept += o && !strcmp(o, "kept");
			broken += o && !strcmp(o, "broken");
			open += o && !strcmp(o, "open");
		} else if (!strcmp(x->kind, "wins_setbacks") && in_period(x->day, in->since, in->until)) {
			const char *which = json_string_value(json_object_get(item, "which"));
			bool win = which && !strcmp(which, "win");
			wins += win;
			setbacks += !win;
			json_array_append_new(notes, json_pack("{s:s, s:s, s:O}", "day", x->day, "which", win ? "win" : "setback",
							       "text", json_object_get(item, "text")));
		} else if (!strcmp(x->kind, "agreements") && strcmp(x->day, in->since) >= 0) {
			json_array_append_new(agreements, json_pack("{s:s, s:O, s:O}", "day", x->day, "title",
								    json_object_get(item, "title"), "status",
								    json_object_get(item, "status")));
		} else if (!strcmp(x->kind, "transparency") && strcmp(x->day, in->since) >= 0) {
			json_array_append_new(plans, json_pack("{s:s, s:O, s:O, s:O}", "day", x->day, "status",
							       json_object_get(item, "status"), "starts_on",
							       json_object_get(item, "starts_on"), "ends_on",
							       json_object_get(item, "ends_on")));
		} else if (!strcmp(x->kind, "disclosures") && in_period(x->day, in->since, in->until)) {
			json_array_append_new(disclosures, json_pack("{s:s}", "day", x->day));
		} else if (!strcmp(x->kind, "roadmap_steps")) {
			json_array_append_new(road, json_pack("{s:O, s:O, s:O}", "step", json_object_get(item, "step"), "title",
							      json_object_get(item, "title"), "status",
							      json_object_get(item, "status")));
		} else if (item_kind(x->kind)) {
			json_t *text = json_object_get(item, "text");
			if (!json_is_string(text))
				text = json_object_get(item, "title");
			json_array_append_new(items, json_pack("{s:s, s:s, s:O}", "day", x->day, "what", item_kind(x->kind)->name,
							       "text", text ? text : json_null()));
		} else if (!strcmp(x->kind, "safety")) {
			json_decref(safety);
			safety = json_pack("{s:s, s:O, s:s}", "day", x->day, "result", json_object_get(item, "result"), "source",
					   arena_printf(&r->arena, "sent to you by %s", p->name));
		}
		json_decref(item);
	}
	/* the series for the signal: every shared week; the chart: the last weeks */
	size_t nw = json_array_size(weeks);
	double *conn = arena_alloc(&r->arena, (nw + 1) * sizeof(double));
	double *trust = arena_alloc(&r->arena, (nw + 1) * sizeof(double));
	for (size_t i = 0; i < nw; i++) {
		json_t *w = json_array_get(weeks, i);
		conn[i] = (double)json_integer_value(json_object_get(w, "connection"));
		trust[i] = json_real_value(json_object_get(w, "trust"));
	}
	json_t *recent = json_array();
	for (size_t i = nw > REPORT_WEEKS ? nw - REPORT_WEEKS : 0; i < nw; i++)
		json_array_append(recent, json_array_get(weeks, i));
	*weeks_out = json_incref(recent);
	json_decref(weeks);
	const char *name = p->name;
	const char *unshared = arena_printf(&r->arena, "Not shared by %s", name);
	json_object_set_new(triggers, "count", json_integer(tn));
	json_object_set_new(triggers, "mean_intensity", tn ? json_real(round1(ti / tn)) : json_null());
	json_object_set_new(triggers, "previous_count", json_integer(tpn));
	json_object_set_new(triggers, "previous_mean_intensity", tpn ? json_real(round1(tpi / tpn)) : json_null());
	json_object_set_new(triggers, "plans_used", json_integer(used));
	json_object_set_new(triggers, "plans_helped", json_integer(helped));
	json_object_set_new(triggers, "source", json_string(shared[2] ? arena_printf(&r->arena,
		"From the hard moments %s shared with their partner and with you", name) : unshared));
	json_object_set_new(promises, "due", json_integer(due));
	json_object_set_new(promises, "kept", json_integer(kept));
	json_object_set_new(promises, "broken", json_integer(broken));
	json_object_set_new(promises, "open", json_integer(open));
	json_object_set_new(promises, "source", json_string(shared[3] ? arena_printf(&r->arena,
		"From the promises %s made, due in this period", name) : unshared));
	json_t *out = json_pack("{s:I, s:s, s:s, s:{s:s, s:o, s:o, s:o}, s:{s:s, s:o}, s:o, s:o, s:{s:s, s:i, s:i, s:o}, "
			 "s:{s:s, s:o}, s:{s:s, s:o}, s:o, s:{s:s, s:o}, s:{s:s, s:o}, s:{s:s, s:I}}",
			 "id", (json_int_t)p->user_id, "name", name, "role", p->role,
			 "checkins", "source", shared[0] ? arena_printf(&r->arena, "From %s's weekly check-ins, %zu shared", name, nw)
							  : unshared,
			 "weeks", recent, "connection_signal", off_track(conn, nw), "trust_signal", off_track(trust, nw),
			 "daily", "source", shared[1] ? arena_printf(&r->arena, "From %s's daily check-ins in this period", name)
						      : unshared, "days", daily,
			 "triggers", triggers, "promises", promises,
			 "wins_setbacks", "source", shared[4] ? arena_printf(&r->arena, "From the wins and setbacks %s noted in this period", name)
							       : unshared,
			 "wins", wins, "setbacks", setbacks, "items", notes,
			 "agreements", "source", shared[5] ? arena_printf(&r->arena, "From the agreements as %s shared them, "
								 "changed in this period", name) : unshared,
			 "changed", agreements,
			 "roadmap", "source", shared[6] ? arena_printf(&r->arena, "From the steps %s has begun or done", name)
							: unshared, "steps", road,
			 "safety", safety, "for_you", "source",
			 arena_printf(&r->arena, "Single items %s sent you, as they were then", name), "items", items,
			 "transparency", "source", shared[7] ? arena_printf(&r->arena, "From the transparency plans %s "
								   "offered, changed in this period", name) : unshared,
			 "changed", plans,
			 "disclosures", "source", shared[8] ? arena_printf(&r->arena, "From the disclosures %s noted "
								  "in this period", name) : unshared,
			 "count", (json_int_t)json_array_size(disclosures));
	json_decref(disclosures);
	return out;
}

/* Where the two differ by GAP_POINTS or more, week by week, over the
 * report's weeks (the last REPORT_WEEKS each shared) that both shared. */
static json_t *gaps_of(json_t *wa, json_t *wb)
{
	json_t *gaps = json_array();
	size_t i, j;
	json_t *a, *b;
	json_array_foreach(wa, i, a) {
		json_array_foreach(wb, j, b) {
			if (!json_equal(json_object_get(a, "week"), json_object_get(b, "week")))
				continue;
			const char *keys[] = { "connection", "reliability", "emotional_safety", "honesty", "consistency",
					       "respect", "transparency" };
			for (size_t k = 0; k < 7; k++) {
				long long x = json_integer_value(json_object_get(json_object_get(a, "dimensions"), keys[k]));
				long long y = json_integer_value(json_object_get(json_object_get(b, "dimensions"), keys[k]));
				if (llabs(x - y) >= GAP_POINTS)
					json_array_append_new(gaps, json_pack("{s:O, s:s, s:I, s:I}", "week",
									      json_object_get(a, "week"), "dimension",
									      keys[k], "a", (json_int_t)x, "b", (json_int_t)y));
			}
		}
	}
	return gaps;
}

/* The report of link id for its counsellor as JSON, or NULL after
 * answering. */
/* Today in the couple's own time zone (the counsellor may live in another):
 * the report's days are the couple's days. */
static long couple_today(struct req *r, sqlite3 *c, const struct acct_person *p, size_t np)
{
	long long couple_id;
	char zone[64];
	const struct tz *z = NULL;
	if (np > 0 && acct_member_zone(c, p[0].user_id, &couple_id, zone, sizeof(zone)) == SQLITE_OK)
		z = tz_get(zone);
	return z ? tz_day(z, (time_t)r->now) : viewer_today(r);
}

/* ---- the report: the findings the partners' shares allow ---- */

/* The counselling and red-flag findings of the insights (insight/insight.c)
 * that the report may hold, each with the kinds of record it reads. A
 * finding is in the report only when both partners share every kind it
 * reads; one that also reads what never reaches a counsellor (never_shared)
 * is never in it. Either way the report says which could not be read. */
struct report_finding {
	const char *kind, *title;
	const char *needs[4];       /* counsel_kinds keys, from both partners */
	const char *never_shared;   /* what else it reads, or NULL */
};
static const struct report_finding REPORT_FINDINGS[] = {
	{ "transparency_stopped_early", "A transparency plan was stopped early", { "transparency" }, NULL },
	{ "promises_broken", "Several promises were not kept", { "promises" }, NULL },
	{ "worse_than_start", "Scores are lower now than in the first month", { "checkin_scores" }, "the hard dates" },
	{ "no_improvement", "A year of check-ins with little change", { "checkin_scores" }, "the hard dates" },
	{ "rug_sweeping", "Low scores, and nothing recorded about the betrayal",
	  { "checkin_scores", "triggers", "wins_setbacks", "disclosures" }, "contact reports" },
	{ "counselling_suggested", "Signs that outside help could be timely",
	  { "checkin_scores", "triggers", "wins_setbacks", "roadmap_steps" },
	  "the \"listened to\" answers and the vulnerability shares" },
	{ "new_disclosure", "Something new came out after the full disclosure", { "disclosures" }, "the hard dates" },
	{ "no_contact_breach", "Contact despite the no-contact commitment", { NULL }, "contact reports" },
};
#define REPORT_FINDINGS_LEN (sizeof(REPORT_FINDINGS) / sizeof(REPORT_FINDINGS[0]))

static int by_week(const void *a, const void *b)
{
	long x = ((const struct ins_checkin *)a)->week, y = ((const struct ins_checkin *)b)->week;
	return (x > y) - (x < y);
}

static int by_day(const void *a, const void *b)
{
	long x = ((const struct ins_trigger *)a)->day, y = ((const struct ins_trigger *)b)->day;
	return (x > y) - (x < y);
}

static long day_field(json_t *item, const char *key)
{
	long d;
	const char *s = json_string_value(json_object_get(item, key));
	return s && date_parse(s, &d) == 0 ? d : INS_NONE;
}

/* The insights' input from the copies alone, partner 0 as "me": scores,
 * days and kinds, never a text. Arrays in r's arena. */
static void findings_input(struct req *r, const struct acct_person *p, size_t np, const struct copy *copies,
			   size_t nc, long today, struct insight_input *in)
{
	memset(in, 0, sizeof(*in));
	in->today = today;
	in->discovery_day = in->full_disclosure_day = in->first_activity_day = in->roadmap_last_day = INS_NONE;
	const char *role = np ? p[0].role : NULL;
	in->hurt = !role ? INS_HURT_UNKNOWN : !strcmp(role, "hurt") ? INS_HURT_ME
		 : !strcmp(role, "accountable") ? INS_HURT_PARTNER : !strcmp(role, "both") ? INS_HURT_BOTH : INS_HURT_UNKNOWN;
	in->factors.counsellor = true;
	size_t cap = nc ? nc : 1;
	struct ins_checkin *ck = arena_alloc(&r->arena, cap * sizeof(*ck));
	struct ins_trigger *tr = arena_alloc(&r->arena, cap * sizeof(*tr));
	struct ins_promise *pr = arena_alloc(&r->arena, cap * sizeof(*pr));
	struct ins_note *no = arena_alloc(&r->arena, cap * sizeof(*no));
	struct ins_plan *pl = arena_alloc(&r->arena, cap * sizeof(*pl));
	for (size_t j = 0; j < nc; j++) {
		const struct copy *x = &copies[j];
		int who = np > 1 && x->author_id == p[1].user_id ? INS_PARTNER : INS_ME;
		json_t *item = x->body ? json_loads(x->body, 0, NULL) : NULL;
		if (!item)
			continue;
		long day = day_field(item, "day");
		if (day != INS_NONE && (in->first_activity_day == INS_NONE || day < in->first_activity_day))
			in->first_activity_day = day;
		struct isoweek w;
		if (!strcmp(x->kind, "checkin_scores") &&
		    isoweek_parse(json_string_value(json_object_get(item, "week")), &w) == 0) {
			struct ins_checkin *c = &ck[in->n_checkins++];
			c->week = isoweek_monday(&w);
			c->who = who;
			c->connection = (int)json_integer_value(json_object_get(item, "connection"));
			for (int d = 0; d < INS_NDIM; d++)
				c->dim[d] = (int)json_integer_value(json_object_get(item, insight_dim_names[d]));
		} else if (!strcmp(x->kind, "triggers") && day != INS_NONE) {
			tr[in->n_triggers++] = (struct ins_trigger){ day,
				(int)json_integer_value(json_object_get(item, "intensity")), false };
		} else if (!strcmp(x->kind, "promises") && day != INS_NONE) {
			const char *o = json_string_value(json_object_get(item, "outcome"));
			pr[in->n_promises++] = (struct ins_promise){ day, o && !strcmp(o, "kept") ? 1
								     : o && !strcmp(o, "broken") ? 0 : -1 };
		} else if ((!strcmp(x->kind, "wins_setbacks") || !strcmp(x->kind, "disclosures")) && day != INS_NONE) {
			const char *which = json_string_value(json_object_get(item, "which"));
			int k = !strcmp(x->kind, "disclosures") ? INS_NOTE_DISCLOSURE
				: which && !strcmp(which, "setback") ? INS_NOTE_SETBACK : INS_NOTE_WIN;
			no[in->n_notes++] = (struct ins_note){ day, k, 0 };
		} else if (!strcmp(x->kind, "roadmap_steps") && day != INS_NONE) {
			if (in->roadmap_last_day == INS_NONE || day > in->roadmap_last_day)
				in->roadmap_last_day = day;
		} else if (!strcmp(x->kind, "transparency")) {
			/* the plans that started: agreed, whatever came of them since */
			const char *st = json_string_value(json_object_get(item, "status"));
			long from = day_field(item, "starts_on"), to = day_field(item, "ends_on");
			if (st && strcmp(st, "proposed") && strcmp(st, "declined") && strcmp(st, "withdrawn") &&
			    from != INS_NONE && to != INS_NONE)
				pl[in->n_plans++] = (struct ins_plan){ from, to, day_field(item, "stopped_on"),
					json_is_true(json_object_get(item, "stopped_by_creator")) };
		}
		json_decref(item);
	}
	qsort(ck, in->n_checkins, sizeof(*ck), by_week);
	qsort(tr, in->n_triggers, sizeof(*tr), by_day);
	in->checkins = ck;
	in->triggers = tr;
	in->promises = pr;
	in->notes = no;
	in->plans = pl;
}

/* The findings the shares allow, {"source", "items": [{"kind", "title",
 * "source", "figures": [{"metric", "value", "window"}]}], "not_read":
 * {"line", "items": [{"kind", "title", "because"}]}}. */
static json_t *findings_json(struct req *r, const struct acct_person *p, size_t np, const bool shared[][16],
			     const struct copy *copies, size_t nc, long today)
{
	struct insight_input in;
	findings_input(r, p, np, copies, nc, today, &in);
	struct insight_findings *out = arena_alloc(&r->arena, sizeof(*out));
	insight_compute(&in, out);
	json_t *items = json_array(), *unread = json_array();
	struct buf line = BUF_INIT;
	for (size_t k = 0; k < REPORT_FINDINGS_LEN; k++) {
		const struct report_finding *rf = &REPORT_FINDINGS[k];
		struct buf from = BUF_INIT, missing = BUF_INIT;
		for (size_t n = 0; n < 4 && rf->needs[n]; n++) {
			const struct counsel_kind *kind = kind_named(rf->needs[n]);
			bool both = np == 2 && shared[0][kind - counsel_kinds] && shared[1][kind - counsel_kinds];
			struct buf *b = both ? &from : &missing;
			buf_adds(b, b->len ? ", " : "");
			buf_adds(b, kind->heading);
		}
		if (rf->never_shared || missing.len) {
			json_t *why = json_string(arena_printf(&r->arena, "%s%s%s%s",
				missing.len ? "it needs, from both partners: " : "", missing.len ? missing.s : "",
				missing.len && rf->never_shared ? "; and " : "",
				rf->never_shared ? arena_printf(&r->arena, "it reads %s, which are never shared with a counsellor",
								rf->never_shared) : ""));
			json_array_append_new(unread, json_pack("{s:s, s:s, s:o}", "kind", rf->kind, "title", rf->title,
								"because", why));
			buf_adds(&line, line.len ? "; " : "");
			buf_adds(&line, rf->title);
		} else {
			for (int i = 0; i < out->n; i++) {
				const struct ins_finding *f = &out->f[i];
				if (strcmp(f->kind, rf->kind))
					continue;
				json_t *figures = json_array();
				for (int b = 0; b < f->n_because; b++)
					json_array_append_new(figures, json_pack("{s:s, s:f, s:s}", "metric", f->because[b].metric,
										 "value", round1(f->because[b].value),
										 "window", f->because[b].window));
				json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:o}", "kind", rf->kind, "title",
								       rf->title, "source",
								       arena_printf(&r->arena, "From the copies both partners share of: %s",
										    from.s),
								       "figures", figures));
				break;
			}
		}
		buf_release(&from);
		buf_release(&missing);
	}
	json_t *j = json_pack("{s:s, s:o, s:{s:s?, s:o}}", "source",
			      "The insights' counselling and red-flag rules, run on the shared copies alone", "items", items,
			      "not_read", "line",
			      line.len ? arena_printf(&r->arena, "Could not be read, because something they read is not shared: %s.",
						      line.s) : NULL,
			      "items", unread);
	buf_release(&line);
	return j;
}

static json_t *report_json(struct req *r, long long id)
{
	struct couple_row link;
	struct acct_person p[2];
	size_t np, nc;
	struct copy *copies;
	char days[6][11];
	if (therapist_read(r, id, &link, p, &np, &copies, &nc) < 0)
		return NULL;
	sqlite3 *c = db_reader(&r->app->db);
	size_t ns = session_days(c, id, days, 6);
	long today = couple_today(r, c, p, np), since = today - REPORT_DEFAULT_DAYS, d;
	for (size_t i = 0; i < ns; i++)
		if (date_parse(days[i], &d) == 0 && d <= today) {
			since = d;
			break;
		}
	char s_since[11], s_until[11], s_prev[11];
	date_format(since, s_since);
	date_format(today, s_until);
	date_format(since - (today - since), s_prev);
	struct report_in in = { s_since, s_until, s_prev };
	json_t *partners = json_array(), *weeks[2] = { NULL, NULL };
	bool shared[2][16] = { { false } };
	for (size_t i = 0; i < np; i++) {
		bool *on = shared[i];
		int rc = shared_kinds(c, link.couple_id, p[i].user_id, on);
		if (rc != SQLITE_OK) {
			json_decref(partners);
			json_decref(weeks[0]);
			req_db_error(r, rc);
			return NULL;
		}
		json_array_append_new(partners, partner_report(r, &p[i], copies, nc, &in, on, &weeks[i]));
	}
	json_t *sessions = json_array();
	for (size_t i = 0; i < ns; i++)
		json_array_append_new(sessions, json_string(days[i]));
	json_t *gaps = np == 2 ? gaps_of(weeks[0], weeks[1]) : json_array();
	json_decref(weeks[0]);
	json_decref(weeks[1]);
	json_t *findings = findings_json(r, p, np, shared, copies, nc, today);
	return json_pack("{s:{s:I, s:s, s:s, s:s, s:o, s:o, s:{s:s, s:o}, s:o}}", "report", "couple", (json_int_t)link.id,
			 "since", s_since, "until", s_until, "previous_from", s_prev, "sessions", sessions, "partners",
			 partners, "gaps", "source", "the weekly check-ins both shared, the same week", "weeks", gaps,
			 "findings", findings);
}

void therapist_api_report(struct req *r)
{
	long long id = therapist_link_param(r);
	json_t *j = id ? report_json(r, id) : NULL;
	if (j)
		req_json(r, 200, j);
}

/* A small chart of one partner's weeks: connection (solid) and trust
 * (dashed) on 1..10, one point a week. Numbers only reach the markup. */
static void chart(struct req *r, json_t *weeks)
{
	size_t n = json_array_size(weeks);
	if (n < 2)
		return;
	html_unsafe_raw(&r->out, "<svg class=\"report-chart\" viewBox=\"0 0 170 64\" width=\"170\" height=\"64\" "
				 "role=\"img\" aria-label=\"Connection and trust, week by week\">"
				 "<line x1=\"5\" y1=\"59\" x2=\"165\" y2=\"59\" stroke=\"#999\" stroke-width=\"1\"/>");
	const char *keys[] = { "connection", "trust" };
	const char *style[] = { "", " stroke-dasharray=\"4 3\"" };
	for (size_t k = 0; k < 2; k++) {
		html_unsafe_raw(&r->out, "<polyline fill=\"none\" stroke=\"#1a56a6\" stroke-width=\"2\"");
		html_unsafe_raw(&r->out, style[k]);
		html_unsafe_raw(&r->out, " points=\"");
		for (size_t i = 0; i < n; i++) {
			double v = json_number_value(json_object_get(json_array_get(weeks, i), keys[k]));
			html(&r->out, "%d,%d ", (int)(10 + i * 150 / (n - 1)), (int)(59 - (v - 1) * 6));
		}
		html_unsafe_raw(&r->out, "\"/>");
	}
	html_unsafe_raw(&r->out, "</svg>\n");
}

static const char *dim_word(const char *key)
{
	static const char *const W[][2] = { { "connection", "connection" }, { "reliability", "reliability" },
		{ "emotional_safety", "emotional safety" }, { "honesty", "honesty" }, { "consistency", "consistency" },
		{ "respect", "respect" }, { "transparency", "openness" } };
	for (size_t i = 0; i < sizeof(W) / sizeof(W[0]); i++)
		if (!strcmp(W[i][0], key))
			return W[i][1];
	return key;
}

/* x with one decimal, as text for the page. */
static const char *num1(struct req *r, double x)
{
	return arena_printf(&r->arena, "%.1f", x);
}

static void signal_line(struct req *r, const char *what, json_t *sig)
{
	if (!json_is_object(sig)) {
		html(&r->out, "<li>%s: not enough shared weeks yet to tell (five are needed).</li>\n", what);
		return;
	}
	html(&r->out, "<li>%s: %s. Change over the last four check-ins %s; the line is %s (1.96 times "
		      "their usual week-to-week spread of %s).</li>\n",
	     what, json_is_true(json_object_get(sig, "not_on_track")) ? "not on track" : "within their usual range",
	     num1(r, json_number_value(json_object_get(sig, "change"))),
	     num1(r, -json_number_value(json_object_get(sig, "threshold"))),
	     num1(r, json_number_value(json_object_get(sig, "spread"))));
}

static void partner_html(struct req *r, json_t *p)
{
	const char *name = json_string_value(json_object_get(p, "name"));
	json_t *ck = json_object_get(p, "checkins"), *weeks = json_object_get(ck, "weeks");
	html(&r->out, "<section class=\"report-partner\"><h2>%s</h2>\n", name);
	html(&r->out, "<h3>Check-ins</h3>\n<p class=\"source\">%s.</p>\n", json_string_value(json_object_get(ck, "source")));
	chart(r, weeks);
	if (json_array_size(weeks)) {
		html_unsafe_raw(&r->out, "<table class=\"report-table\"><tr><th>Week</th><th>Connection</th><th>Trust</th></tr>\n");
		size_t i;
		json_t *w;
		json_array_foreach(weeks, i, w)
			html(&r->out, "<tr><td>%s</td><td>%lld</td><td>%s</td></tr>\n",
			     json_string_value(json_object_get(w, "week")),
			     (long long)json_integer_value(json_object_get(w, "connection")),
			     num1(r, json_number_value(json_object_get(w, "trust"))));
		html_unsafe_raw(&r->out, "</table>\n");
	}
	html(&r->out, "<ul class=\"report-lines\">\n");
	signal_line(r, "Connection", json_object_get(ck, "connection_signal"));
	signal_line(r, "Trust", json_object_get(ck, "trust_signal"));
	html_unsafe_raw(&r->out, "</ul>\n");
	json_t *t = json_object_get(p, "triggers");
	html(&r->out, "<h3>Hard moments</h3>\n<p class=\"source\">%s.</p>\n",
	     json_string_value(json_object_get(t, "source")));
	long long tn = json_integer_value(json_object_get(t, "count")), tp = json_integer_value(json_object_get(t, "previous_count"));
	html(&r->out, "<p>This period: %s", tn ? words_count(&r->arena, (long)tn, "moment", "moments") : "none");
	if (tn)
		html(&r->out, ", mean intensity %s", num1(r, json_number_value(json_object_get(t, "mean_intensity"))));
	html(&r->out, ". The period before: %s", tp ? words_count(&r->arena, (long)tp, "moment", "moments") : "none");
	if (tp)
		html(&r->out, ", mean intensity %s", num1(r, json_number_value(json_object_get(t, "previous_mean_intensity"))));
	html(&r->out, ".</p>\n");
	if (tn)
		html(&r->out, "<p>A plan was used for %lld and helped with %lld.</p>\n",
		     (long long)json_integer_value(json_object_get(t, "plans_used")),
		     (long long)json_integer_value(json_object_get(t, "plans_helped")));
	json_t *dl = json_object_get(p, "daily"), *days = json_object_get(dl, "days");
	html(&r->out, "<h3>Daily check-ins</h3>\n<p class=\"source\">%s.</p>\n", json_string_value(json_object_get(dl, "source")));
	if (json_array_size(days)) {
		double close = 0, safe = 0;
		size_t k;
		json_t *dd;
		json_array_foreach(days, k, dd) {
			close += json_number_value(json_object_get(dd, "close"));
			safe += json_number_value(json_object_get(dd, "safe"));
		}
		html(&r->out, "<p>%s: mean closeness %s, mean safety %s (0 to 10).</p>\n",
		     words_count(&r->arena, (long)json_array_size(days), "day", "days"),
		     num1(r, close / (double)json_array_size(days)), num1(r, safe / (double)json_array_size(days)));
	}
	json_t *pr = json_object_get(p, "promises");
	html(&r->out, "<h3>Promises</h3>\n<p class=\"source\">%s.</p>\n<p>%lld due: %lld kept, %lld not kept, "
		      "%lld still open.</p>\n", json_string_value(json_object_get(pr, "source")),
	     (long long)json_integer_value(json_object_get(pr, "due")), (long long)json_integer_value(json_object_get(pr, "kept")),
	     (long long)json_integer_value(json_object_get(pr, "broken")), (long long)json_integer_value(json_object_get(pr, "open")));
	json_t *ws = json_object_get(p, "wins_setbacks");
	html(&r->out, "<h3>Wins and setbacks</h3>\n<p class=\"source\">%s.</p>\n<p>%lld wins, %lld setbacks.</p>\n",
	     json_string_value(json_object_get(ws, "source")), (long long)json_integer_value(json_object_get(ws, "wins")),
	     (long long)json_integer_value(json_object_get(ws, "setbacks")));
	size_t i;
	json_t *x;
	if (json_array_size(json_object_get(ws, "items"))) {
		html_unsafe_raw(&r->out, "<ul class=\"report-lines\">\n");
		json_array_foreach(json_object_get(ws, "items"), i, x)
			html(&r->out, "<li>%s, %s: %s</li>\n", words_iso_day(&r->arena, json_string_value(json_object_get(x, "day"))),
			     !strcmp(json_string_value(json_object_get(x, "which")), "win") ? "win" : "setback",
			     json_is_string(json_object_get(x, "text")) ? json_string_value(json_object_get(x, "text")) : "");
		html_unsafe_raw(&r->out, "</ul>\n");
	}
	json_t *ag = json_object_get(p, "agreements");
	html(&r->out, "<h3>Agreement changes</h3>\n<p class=\"source\">%s.</p>\n",
	     json_string_value(json_object_get(ag, "source")));
	if (json_array_size(json_object_get(ag, "changed"))) {
		html_unsafe_raw(&r->out, "<ul class=\"report-lines\">\n");
		json_array_foreach(json_object_get(ag, "changed"), i, x)
			html(&r->out, "<li>%s: %s (%s)</li>\n", words_iso_day(&r->arena, json_string_value(json_object_get(x, "day"))),
			     json_is_string(json_object_get(x, "title")) ? json_string_value(json_object_get(x, "title")) : "",
			     json_string_value(json_object_get(x, "status")));
		html_unsafe_raw(&r->out, "</ul>\n");
	} else {
		html(&r->out, "<p>None in this period.</p>\n");
	}
	json_t *tpl = json_object_get(p, "transparency");
	html(&r->out, "<h3>Transparency plan changes</h3>\n<p class=\"source\">%s.</p>\n",
	     json_string_value(json_object_get(tpl, "source")));
	if (json_array_size(json_object_get(tpl, "changed"))) {
		html_unsafe_raw(&r->out, "<ul class=\"report-lines\">\n");
		json_array_foreach(json_object_get(tpl, "changed"), i, x)
			html(&r->out, "<li>%s: a plan %s to %s (%s)</li>\n",
			     words_iso_day(&r->arena, json_string_value(json_object_get(x, "day"))),
			     json_string_value(json_object_get(x, "starts_on")), json_string_value(json_object_get(x, "ends_on")),
			     json_string_value(json_object_get(x, "status")));
		html_unsafe_raw(&r->out, "</ul>\n");
	} else {
		html(&r->out, "<p>None in this period.</p>\n");
	}
	json_t *dc = json_object_get(p, "disclosures");
	html(&r->out, "<h3>New disclosures</h3>\n<p class=\"source\">%s.</p>\n<p>%s in this period.</p>\n",
	     json_string_value(json_object_get(dc, "source")),
	     json_integer_value(json_object_get(dc, "count"))
		     ? words_count(&r->arena, (long)json_integer_value(json_object_get(dc, "count")), "disclosure", "disclosures")
		     : "None");
	json_t *rd = json_object_get(p, "roadmap");
	html(&r->out, "<h3>The road</h3>\n<p class=\"source\">%s.</p>\n", json_string_value(json_object_get(rd, "source")));
	bool any = false;
	json_array_foreach(json_object_get(rd, "steps"), i, x) {
		if (strcmp(json_string_value(json_object_get(x, "status")), "in_progress"))
			continue;
		if (!any)
			html_unsafe_raw(&r->out, "<ul class=\"report-lines\">\n");
		any = true;
		html(&r->out, "<li>On step %lld: %s</li>\n", (long long)json_integer_value(json_object_get(x, "step")),
		     json_is_string(json_object_get(x, "title")) ? json_string_value(json_object_get(x, "title")) : "");
	}
	if (any)
		html_unsafe_raw(&r->out, "</ul>\n");
	json_t *fy = json_object_get(p, "for_you");
	if (json_array_size(json_object_get(fy, "items"))) {
		html(&r->out, "<h3>For you</h3>\n<p class=\"source\">%s.</p>\n<ul class=\"report-lines\">\n",
		     json_string_value(json_object_get(fy, "source")));
		json_array_foreach(json_object_get(fy, "items"), i, x) {
			const char *text = json_string_value(json_object_get(x, "text"));
			html(&r->out, "<li>%s (%s): %.*s%s</li>\n", words_iso_day(&r->arena, json_string_value(json_object_get(x, "day"))),
			     json_string_value(json_object_get(x, "what")), 300, text ? text : "",
			     text && strlen(text) > 300 ? "…" : "");
		}
		html_unsafe_raw(&r->out, "</ul>\n");
	}
	json_t *sf = json_object_get(p, "safety");
	if (json_is_object(sf))
		html(&r->out, "<h3>Safety check</h3>\n<p class=\"source\">%s.</p>\n<p>%s, on %s.</p>\n",
		     json_string_value(json_object_get(sf, "source")),
		     !strcmp(json_string_value(json_object_get(sf, "result")), "concern")
			     ? "The answers point to a concern for their safety" : "No concern in the answers",
		     words_iso_day(&r->arena, json_string_value(json_object_get(sf, "day"))));
	html_unsafe_raw(&r->out, "</section>\n");
}

/* A metric's stable name as words: "plan_days_kept", "plan days kept". */
static const char *metric_words(struct req *r, const char *m)
{
	char *w = arena_strdup(&r->arena, m ? m : "");
	for (char *c = w; *c; c++)
		if (*c == '_')
			*c = ' ';
	return w;
}

/* The findings the shares allow (findings_json), and the line of those
 * that could not be read. */
static void findings_html(struct req *r, json_t *fj)
{
	json_t *items = json_object_get(fj, "items"), *f, *g;
	size_t i, k;
	html(&r->out, "<h2>Findings the shares allow</h2>\n<p class=\"source\">%s.</p>\n",
	     json_string_value(json_object_get(fj, "source")));
	if (!json_array_size(items))
		html(&r->out, "<p>None of these findings speaks in what is shared.</p>\n");
	else
		html_unsafe_raw(&r->out, "<ul class=\"report-lines\">\n");
	json_array_foreach(items, i, f) {
		html(&r->out, "<li><strong>%s</strong>. ", json_string_value(json_object_get(f, "title")));
		json_array_foreach(json_object_get(f, "figures"), k, g)
			html(&r->out, "%s%s %s (%s)", k ? "; " : "", metric_words(r, json_string_value(json_object_get(g, "metric"))),
			     num1(r, json_number_value(json_object_get(g, "value"))),
			     json_string_value(json_object_get(g, "window")));
		html(&r->out, ". <span class=\"source\">%s.</span></li>\n", json_string_value(json_object_get(f, "source")));
	}
	if (json_array_size(items))
		html_unsafe_raw(&r->out, "</ul>\n");
	const char *line = json_string_value(json_object_get(json_object_get(fj, "not_read"), "line"));
	if (line)
		html(&r->out, "<p class=\"source\">%s</p>\n", line);
}

void therapist_report_page(struct req *r)
{
	long long id = therapist_link_param(r);
	if (!id)
		return;
	json_t *j = report_json(r, id);
	if (!j)
		return;
	json_t *rep = json_object_get(j, "report"), *partners = json_object_get(rep, "partners");
	json_t *a = json_array_get(partners, 0), *b = json_array_get(partners, 1);
	page_begin(r, "Before the session");
	html(&r->out, "<div class=\"report\">\n<p class=\"report-head\">%s%s%s · %s to %s</p>\n",
	     a ? json_string_value(json_object_get(a, "name")) : "", b ? " and " : "",
	     b ? json_string_value(json_object_get(b, "name")) : "",
	     words_iso_day(&r->arena, json_string_value(json_object_get(rep, "since"))),
	     words_iso_day(&r->arena, json_string_value(json_object_get(rep, "until"))));
	html(&r->out, "<p class=\"source\">Only what each of them chose to share with you. Numbers, not verdicts: "
		      "each line says where it comes from. The period starts at the last session day (or four weeks "
		      "back when none is recorded).</p>\n");
	json_t *gaps = json_object_get(json_object_get(rep, "gaps"), "weeks");
	html(&r->out, "<h2>Where the two differ</h2>\n<p class=\"source\">From %s, by %d points or more.</p>\n",
	     json_string_value(json_object_get(json_object_get(rep, "gaps"), "source")), GAP_POINTS);
	if (!json_array_size(gaps)) {
		html(&r->out, "<p>No week with a gap of %d points or more.</p>\n", GAP_POINTS);
	} else {
		html(&r->out, "<p>Each pair is %s, then %s.</p>\n<ul class=\"report-lines\">\n",
		     a ? json_string_value(json_object_get(a, "name")) : "", b ? json_string_value(json_object_get(b, "name")) : "");
		size_t i;
		json_t *g;
		const char *week = NULL;
		json_array_foreach(gaps, i, g) {
			const char *w = json_string_value(json_object_get(g, "week"));
			if (!week || strcmp(week, w)) {
				if (week)
					html_unsafe_raw(&r->out, "</li>\n");
				html(&r->out, "<li>%s: ", w);
			} else
				html_unsafe_raw(&r->out, "; ");
			week = w;
			html(&r->out, "%s %lld and %lld", dim_word(json_string_value(json_object_get(g, "dimension"))),
			     (long long)json_integer_value(json_object_get(g, "a")),
			     (long long)json_integer_value(json_object_get(g, "b")));
		}
		html_unsafe_raw(&r->out, "</li>\n</ul>\n");
	}
	findings_html(r, json_object_get(rep, "findings"));
	html_unsafe_raw(&r->out, "<div class=\"report-partners\">\n");
	size_t i;
	json_t *p;
	json_array_foreach(partners, i, p)
		partner_html(r, p);
	html_unsafe_raw(&r->out, "</div>\n");
	json_t *sessions = json_object_get(rep, "sessions");
	html(&r->out, "<h2>Sessions</h2>\n<p class=\"source\">Session days recorded by the couple or by you.</p>\n");
	if (!json_array_size(sessions)) {
		html(&r->out, "<p>None recorded yet.</p>\n");
	} else {
		html_unsafe_raw(&r->out, "<p>");
		json_t *s;
		json_array_foreach(sessions, i, s)
			html(&r->out, "%s%s", i ? ", " : "", words_iso_day(&r->arena, json_string_value(s)));
		html_unsafe_raw(&r->out, "</p>\n");
	}
	html_unsafe_raw(&r->out, "</div>\n");
	json_decref(j);
	html(&r->out, "<p class=\"report-back\"><a href=\"/therapist/couples/%lld\">Back to the couple</a></p>\n", id);
	page_end(r);
}

/* ---- between sessions: the counsellor's suggestions ---- */

static const char *const SUGGESTION_KINDS[] = { "step", "A step on the road", "checkin_topic", "A topic for the check-in",
						 "vulnerability", "A vulnerability share", "time_together", "Time together",
						 NULL };
#define SUGGESTION_NOTE_MAX 500

struct suggestion {
	long long link_id, id;
	const char *kind, *note;
	long long step;
	const unsigned char *care;
};

static int suggestion_tx(sqlite3 *w, void *arg)
{
	struct suggestion *s = arg;
	long long id = 0;
	int rc = db_int(w, &id, "INSERT INTO counsel_suggestion(link_id, kind, step, created_at)"
				" VALUES(?1, ?2, nullif(?3, 0), ?4) RETURNING id", "itii", s->link_id, s->kind, s->step,
			(long long)time(NULL));
	return vault_store_new_row(w, rc, id, "UPDATE counsel_suggestion SET note = ?2 WHERE id = ?1", s->care,
				   "counsel_suggestion", "note", s->note, &s->id);
}

static bool suggestion_kind_ok(const char *k)
{
	for (size_t i = 0; k && SUGGESTION_KINDS[i]; i += 2)
		if (!strcmp(SUGGESTION_KINDS[i], k))
			return true;
	return false;
}

/* Stores a suggestion of the counsellor for link id. Returns 0, or -1
 * after answering (404 when not theirs or not active). */
static int suggest(struct req *r, long long id, const char *kind, long long step, const char *note)
{
	size_t n;
	int rc;
	unsigned char care[VAULT_KEY_BYTES];
	struct couple_row *rows = therapist_links(r, id, &n, &rc);
	if (!req_db_ok(r, rc))
		return -1;
	if (!n || !rows[0].active || rows[0].ended ||
	    care_key_therapist(db_reader(&r->app->db), id, r->me->user_id, r->me->data_key, care) < 0) {
		req_error(r, 404, "not_found", "There is nothing at this address.", NULL);
		return -1;
	}
	struct suggestion s = { .link_id = id, .kind = kind, .note = note, .step = step, .care = care };
	rc = req_write(r, suggestion_tx, &s);
	sodium_memzero(care, sizeof(care));
	return rc;
}

void therapist_api_suggest(struct req *r)
{
	static const char *const FIELDS[] = { "kind", "step", "note", NULL };
	long long id = therapist_link_param(r), step = 0;
	const char *kind, *note;
	if (!id)
		return;
	if (jin_only(r, r->json, FIELDS) < 0 || jin_str(r, r->json, "kind", true, 16, &kind) < 0 ||
	    jin_int(r, r->json, "step", false, 1, 99, &step) < 0 ||
	    jin_str(r, r->json, "note", false, SUGGESTION_NOTE_MAX, &note) < 0)
		return;
	if (!suggestion_kind_ok(kind)) {
		req_error(r, 400, "invalid_field", "kind is step, checkin_topic, vulnerability or time_together.", "kind");
		return;
	}
	if (!strcmp(kind, "step") != (step > 0)) {
		req_error(r, 400, "invalid_field", "A step suggestion names its step, and only a step suggestion does.",
			  "step");
		return;
	}
	if (suggest(r, id, kind, step, note) == 0)
		req_json(r, 201, json_pack("{s:{s:s, s:o, s:s*}}", "suggestion", "kind", kind, "step",
					   step ? json_integer(step) : json_null(), "note", note));
}

void therapist_suggest_post(struct req *r)
{
	long long id = req_param_id(r, "id", LLONG_MAX), step = 0;
	const char *kind = req_form_field(r, "kind"), *note = req_form_field(r, "note"), *st = req_form_field(r, "step");
	struct input_err e;
	if (!is_therapist(r))
		return;
	if (st)
		step = strtoll(st, NULL, 10);
	if (!suggestion_kind_ok(kind) || (!strcmp(kind, "step") && (step < 1 || step > 99)) ||
	    input_text(note, "note", false, SUGGESTION_NOTE_MAX, &note, &e) < 0) {
		req_error(r, 400, "invalid_field", "Please choose what you suggest (a step needs its number) and keep "
						  "the note short.", NULL);
		return;
	}
	if (strcmp(kind, "step"))
		step = 0;
	if (suggest(r, id, kind, step, note) == 0)
		req_redirect(r, arena_printf(&r->arena, "/therapist/couples/%lld?done=suggested", id));
}

/* The suggestions of the viewer's counsellor that the viewer has not
 * dismissed, newest first, notes opened with the care key, as JSON; NULL
 * with *rc on an error. No open access: an empty list. */
static json_t *suggestions_for(struct req *r, int *rc)
{
	struct link l;
	unsigned char care[VAULT_KEY_BYTES];
	json_t *a = json_array();
	sqlite3 *c = db_reader(&r->app->db);
	*rc = c ? link_of_couple(c, &r->arena, r->me->couple_id, r->me->user_id, r->now, &l) : SQLITE_CANTOPEN;
	if (*rc == SQLITE_NOTFOUND || (*rc == SQLITE_OK && l.status != LINK_ACTIVE)) {
		*rc = SQLITE_OK;
		return a;
	}
	if (*rc != SQLITE_OK || care_key_partner(c, l.id, r->me->user_id, r->me->data_key, care) < 0) {
		if (*rc != SQLITE_OK) {
			json_decref(a);
			return NULL;
		}
		return a;
	}
	sqlite3_stmt *st = db_prepare(c, "SELECT s.id, s.kind, s.step, s.note, s.created_at FROM counsel_suggestion s"
					 " WHERE s.link_id = ?1 AND NOT EXISTS(SELECT 1 FROM counsel_dismissal d"
					 "   WHERE d.suggestion_id = s.id AND d.user_id = ?2) ORDER BY s.id DESC",
				      "ii", l.id, r->me->user_id);
	while (st && sqlite3_step(st) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		const char *note = vault_open_col(&r->arena, care, "counsel_suggestion", id, "note", st, 3);
		json_array_append_new(a, json_pack("{s:I, s:s, s:o, s:s*, s:s, s:o}", "id", (json_int_t)id, "kind",
						   (const char *)sqlite3_column_text(st, 1), "step",
						   sqlite3_column_type(st, 2) == SQLITE_NULL ? json_null()
						   : json_integer(sqlite3_column_int64(st, 2)),
						   "note", note, "from", l.therapist_name, "created_at",
						   json_instant(sqlite3_column_int64(st, 4))));
	}
	*rc = st ? SQLITE_OK : sqlite3_extended_errcode(c);
	db_done(st);
	sodium_memzero(care, sizeof(care));
	return a;
}

void counsel_api_suggestions(struct req *r)
{
	int rc;
	json_t *a = suggestions_for(r, &rc);
	if (req_db_ok(r, rc))
		req_json(r, 200, json_pack("{s:o}", "suggestions", a));
}

struct dismissal {
	long long id, user_id, couple_id;
	int found;
};

static int dismiss_tx(sqlite3 *w, void *arg)
{
	struct dismissal *d = arg;
	long long n = 0;
	int rc = db_int(w, &n, "SELECT count(*) FROM counsel_suggestion s JOIN counsel_link l ON l.id = s.link_id"
			       " WHERE s.id = ?1 AND l.couple_id = ?2 AND l.ended_at IS NULL", "ii", d->id, d->couple_id);
	if (rc != SQLITE_ROW)
		return rc;
	d->found = n != 0;
	return n ? db_run(w, "INSERT OR IGNORE INTO counsel_dismissal(suggestion_id, user_id) VALUES(?1, ?2)", "ii", d->id,
			  d->user_id)
		 : SQLITE_OK;
}

/* Dismisses suggestion :id for the viewer. Returns 0, or -1 after
 * answering (404 for another couple's or none). */
static int dismiss(struct req *r)
{
	struct dismissal d = { req_param_id(r, "id", LLONG_MAX), r->me->user_id, r->me->couple_id, 0 };
	if (d.id <= 0 || req_write(r, dismiss_tx, &d) < 0 || !d.found) {
		if (d.id <= 0 || !d.found)
			req_error(r, 404, "not_found", "There is nothing at this address.", NULL);
		return -1;
	}
	return 0;
}

void counsel_api_dismiss(struct req *r)
{
	if (req_no_body(r) == 0 && dismiss(r) == 0)
		req_json(r, 200, json_pack("{s:b}", "dismissed", 1));
}

void counsel_dismiss_post(struct req *r)
{
	if (dismiss(r) == 0)
		req_redirect(r, "/");
}

void counsel_home_card(struct req *r)
{
	int rc;
	json_t *a = suggestions_for(r, &rc);
	if (!a || !json_array_size(a)) {
		json_decref(a);
		return;
	}
	html(&r->out, "<section class=\"from-counsellor\" id=\"from-counsellor\" aria-labelledby=\"from-counsellor-h\">"
		      "<p class=\"hint\" id=\"from-counsellor-h\">From your counsellor</p>\n<ul class=\"cards\">\n");
	size_t i;
	json_t *s;
	json_array_foreach(a, i, s) {
		const char *kind = json_string_value(json_object_get(s, "kind"));
		const char *note = json_string_value(json_object_get(s, "note"));
		/* in a line or two: who, what, their note */
		html(&r->out, "<li class=\"card\"><p><strong>%s suggests:</strong> %s", json_string_value(json_object_get(s, "from")),
		     words_label(SUGGESTION_KINDS, kind));
		if (!strcmp(kind, "step"))
			html(&r->out, ": <a href=\"/roadmap/steps/%lld\">step %lld</a>",
			     (long long)json_integer_value(json_object_get(s, "step")),
			     (long long)json_integer_value(json_object_get(s, "step")));
		if (note)
			html(&r->out, ". <span class=\"said\">%s</span>", note);
		html_unsafe_raw(&r->out, "</p>");
		ui_form_begin(r, arena_printf(&r->arena, "/counsellor/suggestions/%lld/dismiss",
					      (long long)json_integer_value(json_object_get(s, "id"))));
		ui_form_end(r, "Done with this");
		html_unsafe_raw(&r->out, "</li>\n");
	}
	html_unsafe_raw(&r->out, "</ul></section>\n");
	json_decref(a);
}

/* The link id in the address when it is one of the counsellor's active
 * links that has not ended; 0 after answering 404 or an error. */
static long long therapist_active_param(struct req *r)
{
	long long id = therapist_link_param(r);
	size_t n;
	int rc;
	if (!id)
		return 0;
	struct couple_row *rows = therapist_links(r, id, &n, &rc);
	if (!req_db_ok(r, rc))
		return 0;
	if (!rows || !n || !rows[0].active || rows[0].ended) {
		req_error(r, 404, "not_found", "There is nothing at this address.", NULL);
		return 0;
	}
	return id;
}

void therapist_api_session(struct req *r)
{
	long long id = therapist_active_param(r);
	if (!id)
		return;
	if (record_session(r, id) == 0)
		req_json(r, 201, json_pack("{s:O}", "day", json_object_get(r->json, "day")));
}

/* A session day from a form (field "day"): stored for link_id, then on to
 * location; the form again as a calm error otherwise. */
static void session_form_post(struct req *r, long long link_id, const char *location)
{
	struct input_err e;
	long day;
	struct session_day s = { .link_id = link_id, .by = r->me->user_id };
	if (input_day(req_form_field(r, "day"), "day", viewer_today(r) + SESSION_AHEAD_DAYS, &day, &e) < 0) {
		req_error(r, 400, "invalid_field", "Please give the session's day, like 2026-09-30.", "day");
		return;
	}
	date_format(day, s.day);
	if (req_write(r, session_tx, &s) == 0)
		req_redirect(r, location);
}

void counsel_session_post(struct req *r)
{
	struct link l;
	if (active_link(r, &l))
		session_form_post(r, l.id, "/counsellor?done=session");
}

void therapist_session_post(struct req *r)
{
	long long id = therapist_active_param(r);
	if (!id)
		return;
	session_form_post(r, id, arena_printf(&r->arena, "/therapist/couples/%lld?done=session", id));
}

/* ---- the demo ---- */

static int no_couple_code(sqlite3 *w, const char *code, long long user_id, void *arg)
{
	(void)w;
	(void)code;
	(void)user_id;
	(void)arg;
	return 1;
}

/* The copies each partner of d shares, written as on their own request:
 * a request for each partner, with their keys, on a second handle to db's
 * file (the readers take an app's store). Returns SQLITE_OK or an error. */
static int demo_copies(struct db *db, const struct counsel_demo_couple *d, time_t now)
{
	char err[256];
	struct app *app = calloc(1, sizeof(*app));
	if (!app)
		return SQLITE_NOMEM;
	app_config_defaults(&app->cfg);
	if (db_open(&app->db, db->path, false, err, sizeof(err)) < 0) {
		log_msg("counsel: the demo store cannot be opened again: %s", err);
		free(app);
		return SQLITE_CANTOPEN;
	}
	int rc = SQLITE_OK;
	for (int i = 0; i < 2 && rc == SQLITE_OK; i++) {
		struct viewer v = { .kind = VIEWER_PARTNER, .user_id = d->user_id[i], .couple_id = d->couple_id,
				    .role = d->role[i], .timezone = d->timezone, .tz = d->tz,
				    .partner_id = d->user_id[1 - i], .data_key = d->data_key[i],
				    .couple_key = d->couple_key };
		struct req r;
		req_init(&r, app, "POST", "/");
		r.now = now;
		r.me = &v;
		db_read_scope_begin();
		rc = counsel_sync(&r, &v);
		db_read_scope_end();
		r.me = NULL;
		req_release(&r);
	}
	db_close(&app->db);
	free(app);
	return rc;
}

int counsel_demo(struct db *db, const struct counsel_demo_couple *d, long long therapist_id, time_t now)
{
	unsigned char care[VAULT_KEY_BYTES], pk[VAULT_BOX_PUBLIC_BYTES];
	struct buf b = BUF_INIT;
	long long id = 0, sid = 0;
	char day[11];
	sqlite3 *w = db_write_begin(db);
	vault_new_key(care);
	int rc = db_int(w, &id, "INSERT INTO counsel_link(couple_id, invited_by, created_at, expires_at, therapist_id,"
				" joined_at, active_at) VALUES(?1, ?2, ?3, ?3, ?4, ?3, ?3) RETURNING id", "iiii",
			d->couple_id, d->user_id[0], (long long)now - 60 * 86400LL, therapist_id);
	rc = rc == SQLITE_ROW ? SQLITE_OK : rc;
	for (int i = 0; i < 2 && rc == SQLITE_OK; i++) {
		buf_reset(&b);
		vault_wrap_key(d->data_key[i], care, &b);
		rc = put_key(w, id, d->user_id[i], &b);
		if (rc == SQLITE_OK)
			rc = db_run(w, "INSERT INTO counsel_consent(link_id, user_id, at) VALUES(?1, ?2, ?3)", "iii", id,
				    d->user_id[i], (long long)now - 60 * 86400LL);
		for (size_t k = 0; k < counsel_kinds_len && rc == SQLITE_OK; k++)
			rc = db_run(w, "INSERT INTO counsel_share(couple_id, user_id, kind) VALUES(?1, ?2, ?3)", "iit",
				    d->couple_id, d->user_id[i], counsel_kinds[k].key);
	}
	if (rc == SQLITE_OK)
		rc = acct_therapist_keys(w, therapist_id, NULL, pk, NULL);
	if (rc == SQLITE_OK) {
		buf_reset(&b);
		rc = vault_box_key(pk, care, &b) == 0 ? put_key(w, id, therapist_id, &b) : SQLITE_ERROR;
	}
	for (int ago = 42; ago >= 14 && rc == SQLITE_OK; ago -= 14) {
		date_format(tz_day(d->tz, now) - ago, day);
		rc = db_run(w, "INSERT INTO counsel_session(link_id, day, recorded_by) VALUES(?1, ?2, ?3)", "iti", id, day,
			    therapist_id);
	}
	if (rc == SQLITE_OK) {
		struct suggestion s = { .link_id = id, .kind = "time_together", .care = care,
					.note = "Twenty minutes of a walk together, phones at home." };
		rc = suggestion_tx(w, &s);
		sid = s.id;
	}
	(void)sid;
	sodium_memzero(care, sizeof(care));
	buf_release(&b);
	int end = db_write_end(db, rc == SQLITE_OK);
	if (rc == SQLITE_OK && end == SQLITE_OK)
		rc = demo_copies(db, d, now);
	return rc != SQLITE_OK ? rc : end;
}

int counsel_demo_account(struct db *db, const char *username, const char *display_name, const char *code,
			 const struct signup_job *job, long long *user_id)
{
	int rc = SQLITE_OK;
	enum acct_err e = acct_signup_therapist(db, username, display_name, code, job, no_couple_code, NULL, user_id, &rc);
	return e == ACCT_OK ? SQLITE_OK : rc != SQLITE_OK ? rc : SQLITE_CONSTRAINT;
}

/* ---- reminders: whether a suggestion waits, never its note ---- */

int counsel_suggestion_waiting(sqlite3 *c, long long couple_id, long long user_id, long long *n)
{
	return db_int(c, n, "SELECT count(*) FROM counsel_suggestion s JOIN counsel_link l ON l.id = s.link_id"
			    " WHERE l.couple_id = ?1 AND l.ended_at IS NULL AND NOT EXISTS(SELECT 1 FROM counsel_dismissal d"
			    "   WHERE d.suggestion_id = s.id AND d.user_id = ?2)",
		      "ii", couple_id, user_id);
}
