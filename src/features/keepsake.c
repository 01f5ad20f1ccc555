/* keepsake.c: what a person keeps when a couple ends (see keepsake.h), and
 * the one map of the couple's store that parting and closing an account
 * need: where every sealed text lies, and which tables hold a couple's rows.
 *
 * The map is the exception to "a room's SQL stays in its room": a couple
 * that ends touches every room at once, and one list here, next to the
 * schema, is easier to keep true than a function in each room. Only the
 * rules that are more than "shared texts are both partners', private texts
 * their author's" stay in their rooms, which hand their texts over through
 * checkin_each_seen, daily_each_seen, vision_each_seen and
 * transparency_each_seen. */
#include "keepsake.h"
#include "checkin.h"
#include "daily.h"
#include "transparency.h"
#include "vision.h"

#include <string.h>

#include <sodium.h>

#include "../app.h"
#include "../auth/vault.h"
#include "../db/db.h"


/* What a person keeps outside any couple, children before parents. */
static const char FORGET[] = "DELETE FROM keepsake WHERE user_id = ?1; DELETE FROM keepsake_key WHERE user_id = ?1; "
	"DELETE FROM parting_notice WHERE user_id = ?1;";

/* Calls fn(arg, statement) for each statement of list (statements each
 * ending with ";"; NULL for none), copied into a string of its own. */
static int each_statement(const char *list, int (*fn)(void *arg, const char *sql), void *arg)
{
	char sql[1024];
	int rc = SQLITE_OK;
	for (const char *p = list; rc == SQLITE_OK && p && *p;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		const char *end = strchr(p, ';');
		if (!end || (size_t)(end - p) >= sizeof(sql))
			return SQLITE_MISUSE;
		snprintf(sql, sizeof(sql), "%.*s", (int)(end - p), p);
		rc = fn(arg, sql);
		p = end + 1;
	}
	return rc;
}


/* A row of a room's texts: (kind, id, field, blob, author, at). */
static int sealed_row(struct sealed_walk *w, sqlite3_stmt *st)
{
	struct sealed_text t = {
		(const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1),
		(const char *)sqlite3_column_text(st, 2), sqlite3_column_blob(st, 3),
		(size_t)sqlite3_column_bytes(st, 3), sqlite3_column_int64(st, 4), sqlite3_column_int64(st, 5), w->own,
	};
	return t.kind && t.field && t.n ? w->fn(w->arg, &t) : SQLITE_OK;
}

/* Walks the texts one statement of a room gives (its ?1 the couple, ?2,
 * when it names it, the holder). */
static int walk_texts(void *arg, const char *sql)
{
	struct sealed_walk *w = arg;
	bool by_holder = strstr(sql, "?2") != NULL;
	return sealed_walk_rows(w, by_holder ? db_prepare(w->c, sql, "ii", w->couple_id, w->viewer)
					      : db_prepare(w->c, sql, "i", w->couple_id), sealed_row);
}

int keepsake_each_seen(sqlite3 *c, long long couple_id, long long holder, long long now,
		       const char *today, sealed_fn fn, void *arg)
{
	struct sealed_walk w = { c, couple_id, holder, fn, arg, false };
	int rc = SQLITE_OK;
	for (size_t i = 0; rc == SQLITE_OK && i < troth_rooms_len; i++) {
		w.own = false;
		rc = each_statement(troth_rooms[i]->shared, walk_texts, &w);
		w.own = true;
		if (rc == SQLITE_OK)
			rc = each_statement(troth_rooms[i]->own, walk_texts, &w);
	}
	w.own = false;
	if (rc == SQLITE_OK)
		rc = checkin_each_seen(&w, now);
	if (rc == SQLITE_OK)
		rc = daily_each_seen(&w, now);
	if (rc == SQLITE_OK)
		rc = vision_each_seen(&w);
	if (rc == SQLITE_OK)
		rc = transparency_each_seen(&w, today);
	return rc;
}

struct keep_arg {
	sqlite3 *w;
	long long holder, key_id, skip_author;
};

static int keep_one(void *arg, const struct sealed_text *t)
{
	struct keep_arg *k = arg;
	if (k->skip_author && t->author == k->skip_author)
		return SQLITE_OK;
	return db_run(k->w, "INSERT INTO keepsake(user_id, kind, mine, at, key, key_id, ad_kind, ad_id, ad_field, text)"
			    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", "itiitItitb", k->holder, t->kind,
		      (long long)(t->author == k->holder), t->at, t->own ? "own" : "couple",
		      t->own ? DB_NULL : k->key_id, t->kind, t->id, t->field, t->blob, t->n);
}

int keepsake_keep(sqlite3 *w, long long couple_id, long long holder, const void *couple_key_blob,
		  size_t blob_n, long long skip_author, long long now, const char *today)
{
	int rc = db_run(w, "INSERT INTO keepsake_key(user_id, couple_key) VALUES(?1, ?2)", "ib", holder,
			couple_key_blob, blob_n);
	if (rc != SQLITE_OK)
		return rc;
	struct keep_arg k = { w, holder, sqlite3_last_insert_rowid(w), skip_author };
	return keepsake_each_seen(w, couple_id, holder, now, today, keep_one, &k);
}

/* Re-seals keepsake id (its text opened as plain) under data_key. */
static int reseal(sqlite3 *w, long long id, const unsigned char *data_key, const char *plain)
{
	struct buf s = BUF_INIT;
	int rc = vault_seal_row(data_key, "keepsake", id, "text", plain, &s) < 0 || !s.len
		 ? db_run(w, "DELETE FROM keepsake WHERE id = ?1", "i", id)
		 : db_run(w, "UPDATE keepsake SET kind = 'kept', key = 'settled', key_id = NULL, ad_kind = NULL,"
			     " ad_id = NULL, ad_field = NULL, text = ?2 WHERE id = ?1", "iB", id, &s);
	buf_release(&s);
	return rc;
}

int keepsake_settle(sqlite3 *w, long long user_id, const unsigned char *data_key)
{
	sqlite3_stmt *st = db_prepare(w, "SELECT k.id, k.key, k.ad_kind, k.ad_id, k.ad_field, k.text, c.couple_key"
					 " FROM keepsake k LEFT JOIN keepsake_key c ON c.id = k.key_id"
					 " WHERE k.user_id = ?1 AND k.key <> 'settled'", "i", user_id);
	if (!st)
		return sqlite3_extended_errcode(w);
	int rc = SQLITE_OK, s;
	struct buf plain = BUF_INIT;
	unsigned char ck[VAULT_KEY_BYTES];
	while (rc == SQLITE_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		bool own = !strcmp((const char *)sqlite3_column_text(st, 1), "own");
		const char *kind = (const char *)sqlite3_column_text(st, 2);
		const char *field = (const char *)sqlite3_column_text(st, 4);
		const unsigned char *key = data_key;
		if (!own) {
			if (vault_unwrap_key(data_key, sqlite3_column_blob(st, 6),
					     (size_t)sqlite3_column_bytes(st, 6), ck) < 0)
				continue; /* not this person's key: it waits, unopened */
			key = ck;
		}
		buf_reset(&plain);
		if (kind)
			buf_addf(&plain, "%s\n", kind); /* the kind is sealed with the text */
		if (kind && field &&
		    vault_open_row(key, kind, sqlite3_column_int64(st, 3), field, sqlite3_column_blob(st, 5),
				   (size_t)sqlite3_column_bytes(st, 5), &plain) == 0)
			rc = reseal(w, id, data_key, plain.s);
		else
			rc = db_run(w, "DELETE FROM keepsake WHERE id = ?1", "i", id);
	}
	if (rc == SQLITE_OK && s != SQLITE_DONE)
		rc = s;
	db_done(st);
	sodium_memzero(ck, sizeof(ck));
	if (plain.s)
		sodium_memzero(plain.s, plain.len);
	buf_release(&plain);
	/* the old couple keys go once nothing waits for them */
	if (rc == SQLITE_OK)
		rc = db_run(w, "DELETE FROM keepsake_key WHERE user_id = ?1 AND id NOT IN"
			       " (SELECT key_id FROM keepsake WHERE user_id = ?1 AND key_id IS NOT NULL)",
			    "i", user_id);
	return rc;
}

struct run_on {
	sqlite3 *w;
	long long id;
};

static int run_one(void *arg, const char *sql)
{
	const struct run_on *o = arg;
	return db_run(o->w, sql, "i", o->id);
}

int keepsake_clear_couple(sqlite3 *w, long long couple_id)
{
	struct run_on o = { w, couple_id };
	int rc = SQLITE_OK;
	for (size_t i = 0; rc == SQLITE_OK && i < troth_rooms_len; i++)
		rc = each_statement(troth_rooms[i]->clear, run_one, &o);
	return rc;
}

int keepsake_forget_user(sqlite3 *w, long long user_id)
{
	struct run_on o = { w, user_id };
	int rc = each_statement(FORGET, run_one, &o);
	for (size_t i = 0; rc == SQLITE_OK && i < troth_rooms_len; i++)
		rc = each_statement(troth_rooms[i]->forget, run_one, &o);
	return rc;
}

int keepsake_notice_store(sqlite3 *w, long long user_id, const char *how, long long at)
{
	return db_run(w, "INSERT INTO parting_notice(user_id, how, ended_at) VALUES(?1, ?2, ?3)"
			 " ON CONFLICT(user_id) DO UPDATE SET how = excluded.how, ended_at = excluded.ended_at",
		      "iti", user_id, how, at);
}

const char *keepsake_notice(struct req *r, long long *at)
{
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, "SELECT how, ended_at FROM parting_notice WHERE user_id = ?1", "i",
					  r->me->user_id) : NULL;
	const char *how = NULL;
	if (st && sqlite3_step(st) == SQLITE_ROW) {
		how = arena_strdup(&r->arena, (const char *)sqlite3_column_text(st, 0));
		*at = sqlite3_column_int64(st, 1);
	}
	db_done(st);
	return how;
}

static int settle_viewer(sqlite3 *w, void *arg)
{
	const struct viewer *v = arg;
	return keepsake_settle(w, v->user_id, v->data_key);
}

int keepsake_settle_viewer(struct req *r)
{
	const struct viewer *v = r->me;
	sqlite3 *c = db_reader(&r->app->db);
	long long pending = 0;
	int rc = c ? db_int(c, &pending, "SELECT count(*) FROM keepsake WHERE user_id = ?1 AND key <> 'settled'",
			    "i", v->user_id) : SQLITE_CANTOPEN;
	if (rc != SQLITE_ROW)
		return rc;
	return pending && v->data_key ? db_write(&r->app->db, settle_viewer, (void *)v) : SQLITE_OK;
}

long keepsake_list(struct req *r, struct keepsake **out, long *waiting)
{
	const struct viewer *v = r->me;
	*out = NULL;
	*waiting = 0;
	int rc = keepsake_settle_viewer(r);
	sqlite3 *c = rc == SQLITE_OK ? db_reader(&r->app->db) : NULL;
	if (!c) {
		req_db_error(r, rc == SQLITE_OK ? SQLITE_CANTOPEN : rc);
		return -1;
	}
	long long total = 0;
	rc = db_int(c, &total, "SELECT count(*) FROM keepsake WHERE user_id = ?1", "i", v->user_id);
	sqlite3_stmt *st = rc == SQLITE_ROW ? db_prepare(c, "SELECT id, NULL, mine, at, key, text FROM keepsake"
							    " WHERE user_id = ?1 ORDER BY at, id", "i", v->user_id)
					    : NULL;
	if (!st) {
		req_db_error(r, rc == SQLITE_ROW ? sqlite3_extended_errcode(c) : rc);
		return -1;
	}
	struct keepsake *k = arena_alloc(&r->arena, sizeof(*k) * (size_t)(total ? total : 1));
	long n = 0;
	while (n < total && sqlite3_step(st) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		bool settled = !strcmp((const char *)sqlite3_column_text(st, 4), "settled");
		if (!settled) {
			(*waiting)++;
			continue;
		}
		/* "<kind>\n<text>" */
		char *kind = (char *)vault_open_text(&r->arena, v->data_key, "keepsake", id, "text",
						     sqlite3_column_blob(st, 5), (size_t)sqlite3_column_bytes(st, 5));
		char *text = kind ? strchr(kind, '\n') : NULL;
		if (text)
			*text++ = '\0';
		k[n++] = (struct keepsake){ id, text ? kind : "kept", sqlite3_column_int(st, 2) != 0,
					    sqlite3_column_int64(st, 3), text };
	}
	db_done(st);
	*out = k;
	return n;
}
