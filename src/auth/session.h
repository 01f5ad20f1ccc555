/* session.h: server-side sessions, held only in this process's memory.
 *
 * A session is found by the hash of its 256-bit token (the token itself is
 * never stored). It holds the user's keys in guarded, locked memory
 * (sodium_malloc), wiped when the session ends: at logout, expiry, password
 * change, revocation, or when the server stops. A restart therefore ends
 * every session: nothing that can open a private text outlives the process.
 *
 * An account holds at most SESSION_MAX_PER_USER sessions; a session
 * nobody uses again is ended soon after its limits pass, so the table
 * never grows past the sessions in use.
 *
 * Thread safety: the table has one lock. session_find returns a counted
 * reference; release it with session_put. */
#ifndef TROTH_SESSION_H
#define TROTH_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define SESSION_TOKEN_CHARS 43   /* 32 bytes, base64url without padding */
#define SESSION_CSRF_CHARS 43
#define SESSION_KEY_BYTES 32

struct session {
	long long id;             /* public handle for the sessions page */
	long long user_id;
	unsigned char token_hash[32];
	char csrf[SESSION_CSRF_CHARS + 1];
	bool bearer;              /* an API token rather than a browser cookie */
	char label[64];           /* "Firefox on Android" style, for the sessions page */
	time_t created, last_seen;
	unsigned char *data_key;  /* sodium_malloc'd; NULL when not unlocked */
	unsigned char *couple_key;/* sodium_malloc'd; NULL when not in a couple */
	_Atomic long long couple_seen; /* the couple its viewer was last found in (a hint, db_read_for) */
	/* private to session.c */
	int refs;
	struct session_retired *retired; /* keys replaced or ended while held */
	bool dead;
	struct session *next;      /* in its token bucket */
	struct session *user_next; /* in its user bucket */
};

/* Sessions one account may hold at once; a login past it ends the
 * account's oldest session. */
#define SESSION_MAX_PER_USER 32

struct session_limits {
	int idle_seconds;         /* default 30 minutes */
	int absolute_seconds;     /* default 12 hours */
};

void session_init(const struct session_limits *lim);
/* Called with a session's id as it ends (logout, expiry, ended from
 * another device, server stop), before its keys are wiped. */
extern void (*session_end_hook)(long long id);
/* Ends every session and wipes every key (server stop, tests). */
void session_shutdown(void);

/* Creates a session for user_id holding copies of the keys (either may be
 * NULL). Writes the new token (NUL-terminated) into token_out. Returns the
 * session with one reference held. */
struct session *session_create(long long user_id, const unsigned char *data_key,
			       const unsigned char *couple_key, bool bearer, const char *label,
			       char token_out[SESSION_TOKEN_CHARS + 1]);
/* Finds a live session by token and touches it; NULL when unknown, ended
 * or expired (an expired one is ended on sight). */
struct session *session_find(const char *token);
void session_put(struct session *s);

/* Ends one session by id, only if it belongs to user_id. Returns 0 or -1. */
int session_end_id(long long user_id, long long id);
/* Ends every session of user_id except keep_id (0 ends all). Returns how
 * many ended. */
int session_end_user(long long user_id, long long keep_id);
void session_end(struct session *s);

/* Installs a copy of the couple key in every live session of user_id
 * (after joining or creating a couple); NULL removes it (after leaving). */
void session_set_couple_key(long long user_id, const unsigned char *couple_key);

/* Copies up to max live sessions of user_id into out (plain copies without
 * keys), newest first; returns the count. */
size_t session_list(long long user_id, struct session *out, size_t max);

/* Constant-time comparison of a submitted CSRF token. */
bool session_csrf_ok(const struct session *s, const char *submitted);

#endif
