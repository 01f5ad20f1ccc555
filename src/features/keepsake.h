/* keepsake.h: what a person keeps when a couple ends, and the map of the
 * couple's store that parting needs.
 *
 * A keepsake is one text a person could read in the couple, kept for them
 * alone, "from our time together". It is copied as it was sealed (same
 * bytes, same "kind:id:field" identity), so no key is needed to make it;
 * keepsake_settle re-seals it under its holder's own data key once their
 * keys are open, after which the old couple key is gone. */
#ifndef TROTH_KEEPSAKE_H
#define TROTH_KEEPSAKE_H

#include <stdbool.h>
#include <stddef.h>

#include <sqlite3.h>

#include "../auth/auth.h"
#include "../db/db.h"


/* Calls fn for every sealed text of couple_id that holder may see, opened
 * or not: shared texts of both partners (check-ins, visions and
 * whereabouts through their rooms' own visibility rules) and the holder's
 * own private texts, never the other partner's. now and today (the
 * couple's day, "YYYY-MM-DD"): the instant of the rules that depend on
 * time. Returns SQLITE_OK or the first error. */
int keepsake_each_seen(sqlite3 *c, long long couple_id, long long holder, long long now,
		       const char *today, sealed_fn fn, void *arg);

/* Keeps the texts of couple_id that holder may see as their keepsakes:
 * couple_key_blob is the couple key as wrapped for the holder (their member
 * row), kept beside them until keepsake_settle. Texts written by skip_author
 * (0: none) are left out. Returns SQLITE_OK or an error. */
int keepsake_keep(sqlite3 *w, long long couple_id, long long holder, const void *couple_key_blob,
		  size_t blob_n, long long skip_author, long long now, const char *today);

/* Re-seals every waiting keepsake of user_id under data_key and destroys
 * the couple keys kept for them. Returns SQLITE_OK or an error. */
int keepsake_settle(sqlite3 *w, long long user_id, const unsigned char *data_key);

/* Deletes every row of couple_id in the rooms' tables (the couple's records,
 * its schedule, settings, calendar feeds and transparency plans), children
 * first. The couple, member and invite rows are account.c's. */
int keepsake_clear_couple(sqlite3 *w, long long couple_id);

/* Deletes everything of user_id outside any couple: keepsakes, kept keys,
 * the parting notice, the safety check, the coach setting. */
int keepsake_forget_user(sqlite3 *w, long long user_id);

/* Records what the home page tells user_id about the couple that ended:
 * how is "parted" or "closed" (the partner closed their account). */
int keepsake_notice_store(sqlite3 *w, long long user_id, const char *how, long long at);

/* The viewer's parting notice: "parted", "closed" or NULL, with its time. */
const char *keepsake_notice(struct req *r, long long *at);

/* Settles the viewer's waiting keepsakes when their keys are open (nothing
 * otherwise). Returns SQLITE_OK or a storage error. */
int keepsake_settle_viewer(struct req *r);

/* One keepsake, opened, in the request's arena. */
struct keepsake {
	long long id;
	const char *kind; /* the record kind, e.g. "appreciation" */
	bool mine;
	long long at;
	const char *text; /* NULL when it does not open */
};

/* The viewer's keepsakes in time order, settled first when their keys are
 * open. *waiting says how many wait for the viewer's keys (after an operator
 * reset). Returns the count, or -1 after answering a storage error. */
long keepsake_list(struct req *r, struct keepsake **out, long *waiting);

#endif
