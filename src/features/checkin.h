/* checkin.h: the weekly check-in: one per partner per ISO week of the
 * couple's zone, with connection and the six trust dimensions (1..10), the
 * three signs of progress (1..5, optional) and three short texts.
 *
 * The reveal rule: a partner's check-in for a week stays hidden from me
 * until I have checked in for that week myself, or until three days after
 * the week ends (Thursday 00:00 in the couple's zone). Its author can edit
 * it until it is revealed. The rule is written once, in SQL, as
 * CHECKIN_REVEAL_SQL below (the daily check-in, daily.c, reveals a day at
 * a time by the same rule): every reader of the checkin table
 * (checkin_list, checkin_scores) is in checkin.c, and every other file
 * reads check-ins through them. The numbers are sealed under the couple key
 * like the texts, so the readers need v->couple_key to see them. */
#ifndef TROTH_FEATURE_CHECKIN_H
#define TROTH_FEATURE_CHECKIN_H

#include <jansson.h>

#include <stdbool.h>
#include <time.h>

#include <sqlite3.h>

#include "../base/caltime.h"
#include "../auth/auth.h"
#include "../db/db.h"
#include "../http/req.h"

#define CHECKIN_DIMS 6
#define CHECKIN_SIGNS 3
#define CHECKIN_TEXTS 3

/* Field names, in order, as in the API and the columns. */
extern const char *const checkin_dim_names[CHECKIN_DIMS];   /* reliability .. transparency */
extern const char *const checkin_sign_names[CHECKIN_SIGNS]; /* safer_talking, listened_to, warm_moments */
extern const char *const checkin_text_names[CHECKIN_TEXTS]; /* increased, decreased, need */

struct checkin_answers {
	int connection;                    /* 1..10 */
	int dims[CHECKIN_DIMS];            /* 1..10 */
	int signs[CHECKIN_SIGNS];          /* 1..5, 0 when not given */
	const char *texts[CHECKIN_TEXTS];  /* NULL or "" when not given */
};

/* One check-in as a viewer may see it. */
struct checkin_row {
	long long id;
	char week[9];
	bool mine;
	bool revealed;       /* mine: my partner can see it; theirs: I can see it */
	bool visible;        /* mine, or revealed: the answers below are set */
	struct checkin_answers a;
	time_t created_at, updated_at, reveal_at;
};

/* The reveal rule as SQL, written once, for a table T of check-ins by
 * period P (a column: the weekly check-in's week, the daily check-in's
 * day) with couple_id, author_id, reveal_at, created_at and updated_at.
 * Each check-in c of the couple (?1) in periods ?4..?5 is joined with the
 * other partner's check-in o of the same period: for mine (author ?2), my
 * partner's; for my partner's, mine (a couple has two partners, so o is
 * one row at most). It is revealed once its reveal time has passed (?3 is
 * now) or o exists. Yields id, period, reveal_at, created_at, updated_at,
 * mine, revealed: the caller joins the answers only for mine or a
 * revealed one, so a hidden check-in's answers never leave the database. */
#define CHECKIN_REVEAL_SQL(T, P) \
	"SELECT c.id, c." P " AS period, c.reveal_at, c.created_at, c.updated_at," \
	" c.author_id = ?2 AS mine, c.reveal_at <= ?3 OR o.id IS NOT NULL AS revealed" \
	" FROM " T " c LEFT JOIN " T " o ON o.couple_id = c.couple_id AND o." P " = c." P \
	" AND o.author_id <> c.author_id AND (c.author_id = ?2 OR o.author_id = ?2)" \
	" WHERE c.couple_id = ?1 AND c." P " BETWEEN ?4 AND ?5"

/* The instant a week's check-ins open to the other partner whatever
 * happens: Thursday 00:00 after the week, in zone z. */
time_t checkin_reveal_at(const struct tz *z, const struct isoweek *w);

/* Stores a new check-in (inside a write transaction); texts sealed under
 * couple_key. Returns SQLITE_OK, SQLITE_CONSTRAINT when the author has one
 * for that week, or an error. */
int checkin_insert(sqlite3 *w, const unsigned char *couple_key, long long couple_id,
		   long long author_id, const struct isoweek *week, time_t reveal_at,
		   const struct checkin_answers *a, time_t now, long long *id);

/* The check-ins of weeks from..to (inclusive) that viewer v may know of,
 * oldest first, mine before my partner's in a week; the answers of a
 * hidden one are not read at all (the reveal rule, in SQL, once). Texts
 * are opened with v->couple_key into the arena (NULL: no text, no key, or
 * it did not open). Returns SQLITE_OK or an error; *rows is arena memory. */
int checkin_list(struct req *r, const struct viewer *v, const struct isoweek *from,
		 const struct isoweek *to, struct checkin_row **rows, size_t *n);

/* One check-in's numbers, as a viewer may see them. */
struct checkin_score {
	long week; /* the Monday, days since 1970-01-01 */
	bool mine;
	int connection;
	int dims[CHECKIN_DIMS];
	int signs[CHECKIN_SIGNS];   /* 0 when not given */
};

/* Every check-in viewer v may see (their own, and the partner's once
 * revealed to them), oldest week first, mine before the partner's in a
 * week; numbers only, no text. Same rule as checkin_list. *out is arena
 * memory. Returns SQLITE_OK or an error. */
int checkin_scores(struct req *r, const struct viewer *v, struct checkin_score **out, size_t *n);

/* API (docs/api.md, "Rituals") */
route_handler checkin_api_create, checkin_api_list, checkin_api_edit;

/* Pages: GET /checkins (?week=), POST /checkins, GET /checkins/history */
route_handler checkin_page, checkin_post, checkin_history_page;

/* The home page's card: this week's check-in, mine and my partner's
 * (registered in home_sections[]). */
route_handler checkin_home_card;

/* Hands w->fn (see keepsake.h) each check-in text of w->couple_id that w->viewer
 * may see at instant now, by the reveal rule: their own and their
 * partner's revealed ones. Returns SQLITE_OK or the first error. */
int checkin_each_seen(struct sealed_walk *w, long long now);
/* The export: every check-in (v's own, and the partner's once revealed to v; a hidden one is left out) v may see, as a JSON array (texts opened),
 * or NULL after answering a storage error. */
json_t *checkin_export(struct req *r, const struct viewer *v);

/* Seals the numbers of v's couple's check-ins from before they were sealed
 * (plain columns) under v's couple key and empties the plain columns; for
 * the home page, while the keys are open. Returns SQLITE_OK (also when
 * there is no key or nothing to seal) or an error. */
int checkin_seal_plain(struct req *r, const struct viewer *v);

/* What parting and closing an account run on this room's tables. */
/* For reminders, without a person's keys: *n is 1 when user_id has
 * answered the check-in of week w in couple_id, else 0. Returns SQLITE_ROW
 * or an error. */
int checkin_answered_in(sqlite3 *c, long long couple_id, long long user_id, const struct isoweek *w,
			long long *n);

extern const struct room_sql checkin_sql;

/* What a counsellor may see of v's check-ins (features/counsel.c): the
 * scores of v's own check-ins revealed to the partner, as a JSON array of
 * {id, day, week, connection, <dimensions>}; NULL on a storage error. */
json_t *checkin_counsel(struct req *r, const struct viewer *v);

#endif
