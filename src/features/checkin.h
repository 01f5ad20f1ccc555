/* checkin.h: the weekly check-in (SPEC §3; seed 001 Exercise 5 and "What Is
 * Trust", seed 000 "signs of progress"): one per partner per ISO week of the
 * couple's zone, with connection and the six trust dimensions (1..10), the
 * three signs of progress (1..5, optional) and three short texts.
 *
 * The reveal rule: a partner's check-in for a week stays hidden from me
 * until I have checked in for that week myself, or until three days after
 * the week ends (Thursday 00:00 in the couple's zone). Its author can edit
 * it until it is revealed. The rule is applied in SQL (checkin_list). */
#ifndef TROTH_FEATURE_CHECKIN_H
#define TROTH_FEATURE_CHECKIN_H

#include <stdbool.h>
#include <time.h>

#include <sqlite3.h>

#include "../base/caltime.h"
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
	char week[9];
	bool mine;
	bool revealed;       /* mine: my partner can see it; theirs: I can see it */
	bool visible;        /* mine, or revealed: the answers below are set */
	struct checkin_answers a;
	time_t created_at, updated_at, reveal_at;
};

/* The instant a week's check-ins open to the other partner whatever
 * happens: Thursday 00:00 after the week, in zone z. */
time_t checkin_reveal_at(const struct tz *z, const struct isoweek *w);

/* Stores a new check-in (inside a write transaction); texts sealed under
 * couple_key. Returns SQLITE_OK, SQLITE_CONSTRAINT when the author has one
 * for that week, or an error. */
int checkin_insert(sqlite3 *w, const unsigned char *couple_key, long long couple_id,
		   long long author_id, const struct isoweek *week, time_t reveal_at,
		   const struct checkin_answers *a, time_t now, long long *id);

/* The check-ins of weeks from..to (inclusive) that viewer `me` of the
 * couple may know of, oldest first, mine before my partner's in a week;
 * the answers of a hidden one are not read at all. Texts are opened with
 * couple_key into the arena (NULL key: texts left NULL). Returns
 * SQLITE_OK or an error; *rows is arena memory. */
int checkin_list(struct req *r, sqlite3 *c, const unsigned char *couple_key, long long couple_id,
		 long long me, const struct isoweek *from, const struct isoweek *to, time_t now,
		 struct checkin_row **rows, size_t *n);

struct viewer;
/* One check-in's scores, no words: for insights and recovery criteria. */
struct checkin_score {
	long week;                    /* its Monday, days since 1970 */
	bool mine;
	int connection;
	int dims[CHECKIN_DIMS];
	int signs[CHECKIN_SIGNS];     /* 0 when not given */
};
/* Every check-in v may see (their own, and the partner's once revealed to
 * them by the reveal rule), oldest week first, into arena memory *out.
 * Returns SQLITE_OK or an error. */
int checkin_scores(struct req *r, const struct viewer *v, struct checkin_score **out, size_t *n);

/* API (docs/api.md, "Rituals") */
void api_checkins_create(struct req *r);
void api_checkins_list(struct req *r);
void api_checkins_edit(struct req *r);

/* Pages */
void page_checkins(struct req *r);
void page_checkins_post(struct req *r);
void page_checkins_history(struct req *r);

/* For the home page: whether I have checked in this week, whether my
 * partner has, and whether both answers are open. Returns SQLITE_OK or an
 * error. */
int checkin_week_state(struct req *r, const struct isoweek *w, bool *mine, bool *partner);

#endif
