/* journal.h: the private journal (journal.c owns journal_entry and
 * journal_share). An entry is sealed under its author's own data key and
 * seen by its author alone; a shared copy is sealed under the couple key
 * and seen by both partners. Every reader takes the viewer and returns
 * only what that viewer may see. */
#ifndef TROTH_FEATURE_JOURNAL_H
#define TROTH_FEATURE_JOURNAL_H

#include <jansson.h>

#include <sqlite3.h>

#include "../http/req.h"

/* An entry to store with journal_store. */
struct journal_new {
	long long couple_id, author_id;
	const char *prompt;        /* a prompt key (how, missing, ...) or NULL */
	const char *text;          /* sealed under data_key */
	const unsigned char *data_key; /* the author's own */
	long long created_at;
	long long id;              /* out: the new row */
};
/* Stores j (a struct journal_new *) with the writer w: for db_write, or
 * inside another write. Returns SQLITE_OK or an error. */
int journal_store(sqlite3 *w, void *j);

/* A copy of entry id to share with journal_share_store, by its author. */
struct journal_share_new {
	long long couple_id, author_id, id;
	const char *text;          /* the entry's text, opened; sealed under couple_key */
	const unsigned char *couple_key;
	long long at;
	long long share_id;        /* out: the copy */
	int refused;               /* out: 404 not the author's entry, 409 shared already */
	const char *prompt;        /* the entry's prompt key, opened, or NULL; sealed under couple_key */
};
/* Stores s (a struct journal_share_new *) with the writer w. Returns
 * SQLITE_OK, SQLITE_NOTFOUND or SQLITE_CONSTRAINT with s->refused, or an
 * error. */
int journal_share_store(sqlite3 *w, void *s);

/* Seals the prompts of rows from before prompts were sealed: v's own
 * entries under v's data key, the couple's shared copies under the couple
 * key; for the home page, while the keys are open. Returns SQLITE_OK
 * (also when there is nothing to seal) or an error. */
int journal_seal_plain(struct req *r, const struct viewer *v);

route_handler journal_page;            /* GET /journal */
route_handler journal_post;            /* POST /journal */
route_handler journal_share_post;      /* POST /journal/:id/share */
route_handler journal_api_create;      /* POST /api/v1/journal */
route_handler journal_api_list;        /* GET /api/v1/journal */
route_handler journal_api_get;         /* GET /api/v1/journal/:id */
route_handler journal_api_share;       /* POST /api/v1/journal/:id/share */
route_handler journal_api_shared_list; /* GET /api/v1/journal/shared */

/* The export: every private journal entry (v's own) v may see, as a JSON array (texts opened),
 * or NULL after answering a storage error. */
json_t *journal_export(struct req *r, const struct viewer *v);
/* The export: every shared journal copy v may see, as a JSON array (texts opened),
 * or NULL after answering a storage error. */
json_t *journal_shared_export(struct req *r, const struct viewer *v);

/* What parting and closing an account run on this room's tables. */
extern const struct room_sql journal_sql;

/* A copy of v's own journal entry id for their counsellor
 * (features/counsel.c, when v sends it): {id, day, prompt, text}, or JSON
 * null when v wrote no such entry. */
json_t *journal_counsel_item(struct req *r, const struct viewer *v, long long id);

#endif
