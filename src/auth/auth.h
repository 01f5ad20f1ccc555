/* auth.h: who is asking. The auth hook runs before every handler: it finds
 * the session (cookie for pages, Bearer token for the API), loads the viewer
 * (user, couple, role) and enforces the route's flags centrally: R_LOGIN,
 * R_COUPLE, R_OPERATOR, R_CSRF, and a cross-origin Origin refused on every
 * request that changes state. */
#ifndef TROTH_AUTH_H
#define TROTH_AUTH_H

#include <stdbool.h>

#include <sqlite3.h>

#include "../http/req.h"
#include "../http/router.h"
#include "session.h"

/* Who is asking. Every reader of couple records takes a viewer and returns
 * only what that viewer may see; the rule is written once, by the record's
 * owner. A partner, or a counsellor (an account of the kind "therapist",
 * never in a couple) who reads only what a couple shares with them through
 * features/counsel.c. */
enum viewer_kind { VIEWER_PARTNER = 0, VIEWER_THERAPIST = 1 };

struct tz;
struct isoweek;

struct viewer {
	enum viewer_kind kind;
	long long user_id;
	const char *username;
	const char *display_name;
	bool is_operator;
	long long couple_id;       /* 0 when not in a couple */
	const char *role;          /* "hurt" | "accountable" | "both"; NULL without a couple */
	const char *timezone;      /* the couple's IANA zone; NULL without a couple */
	const struct tz *tz;       /* that zone, read once (UTC when unknown or none) */
	long long partner_id;      /* the other partner, 0 while none has joined */
	const char *partner_name;  /* their display name, NULL while none has joined */
	struct session *sess;      /* reference held until the request ends */
	/* The keys this viewer opens records with (the session's), NULL when
	 * locked (after an operator's password reset) or not in a couple. */
	const unsigned char *data_key, *couple_key;
};

/* Today for the viewer of r, in the couple's zone, as days since
 * 1970-01-01 (r->now; UTC without a couple). */
long viewer_today(const struct req *r);
/* This ISO week for the viewer of r, in the couple's zone. */
void viewer_week(const struct req *r, struct isoweek *w);
/* The day of instant t in the viewer's zone. */
long viewer_day_of(const struct req *r, long long t);
/* The partner's display name, or "your partner" while none has joined
 * (capitalised when cap). For sentences. */
const char *viewer_partner_word(const struct req *r, bool cap);
/* The couple whose writes can change what viewer v sees, besides writes
 * for anyone (db.h, marks): a partner's own couple; 0 for anyone else (a
 * counsellor, someone in no couple), whom every write can change. NULL: 0. */
long long viewer_marks_couple(const struct viewer *v);

/* The couple key, or NULL after answering 409 keys_locked (a JSON error
 * under /api/, a calm page elsewhere). */
const unsigned char *auth_couple_key(struct req *r);
/* The viewer's own data key, or NULL after answering 409 keys_locked. */
const unsigned char *auth_data_key(struct req *r);
/* Both keys: returns the couple key (the data key is r->me->data_key), or
 * NULL after answering 409 keys_locked when either is locked. */
const unsigned char *auth_keys(struct req *r);
/* Answers 409 keys_locked: the one wording of "your notes are locked". */
void auth_keys_locked(struct req *r);
/* The sentence auth_keys_locked says, for pages that show it as a notice
 * and go on (numbers without words). */
extern const char auth_locked_text[];

/* A room's job that seals its rows kept plain from before the room sealed
 * them: run inside one write with the viewer and the request's arena. */
struct seal_plain_job {
	const struct viewer *v;
	struct arena *a;
};
/* Runs the room's job run in one write when v holds the couple key and
 * the room's query waiting (one SELECT EXISTS over the couple bound as ?1)
 * finds rows still plain; SQLITE_OK when none are. The room keeps its own
 * SQL and what it seals. */
int viewer_seal_plain(struct req *r, const struct viewer *v, const char *waiting,
		      int (*run)(sqlite3 *w, void *arg));

/* Installs auth_check and auth_release as the router's hooks. */
void auth_install(void);
/* The hook installed as http_auth_hook. */
int auth_check(struct req *r, const struct route *rt);
/* Releases the viewer's session reference (called when a request ends). */
void auth_release(struct req *r);

/* The session cookie's name: "__Host-troth" over TLS, "troth" on plain
 * http://localhost for development. */
const char *auth_cookie_name(const struct req *r);
/* Sets the session cookie (HttpOnly, SameSite=Strict, Path=/, Secure over
 * TLS); token NULL clears it. */
void auth_set_cookie(struct req *r, const char *token);

/* The CSRF token to put in a form of this request's page ("" without a
 * session). */
const char *auth_csrf(const struct req *r);

/* For a record the viewer of r writes now: sets *couple_id, *author_id
 * and *at (the request's clock) once both keys are open (auth_keys).
 * Returns false after answering when they are locked. */
bool auth_author(struct req *r, long long *couple_id, long long *author_id, long long *at);

/* Answers a list API of days: 200 with {key: items(r, r->me, from, to)}
 * for the request's from/to range (span days up to today by default), 400
 * for a range that is wrong, 409 when the keys are locked. items returns a
 * JSON array, or NULL after answering a storage error. */
void auth_day_list(struct req *r, long span, const char *key,
		   json_t *(*items)(struct req *r, const struct viewer *v, long from, long to));

/* A room's reader: the records v may see (or the one with id only, when
 * only > 0) as a JSON array; NULL after answering. */
typedef json_t *auth_reader(struct req *r, const struct viewer *v, long long only);
/* A list API's answer: 200 with {key: every record read(r, r->me, 0)},
 * after the couple key check (409). */
void auth_json_list(struct req *r, const char *key, auth_reader *read);
/* Answers status with {key: the record id, as read(r, r->me, id)}. */
void auth_json_one(struct req *r, int status, const char *key, auth_reader *read, long long id);

#endif
