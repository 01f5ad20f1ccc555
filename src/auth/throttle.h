/* throttle.h: growing delays against guessing (passwords, invite codes).
 *
 * Attempts are counted per key ("acct:NAME", "ip:ADDR", "reauth:ID",
 * "invite:ADDR") over a sliding hour. A slow check (a password) is counted
 * as it starts: throttle_begin reserves it, as if it had failed, and
 * throttle_settle gives it back when it turns out right. So a burst of
 * concurrent guesses cannot all slip past the limit before any of them
 * fails, and each key allows only a few checks in flight at once.
 *
 * After a few failures each further attempt must wait longer (1 s, 2 s,
 * 4 s ... up to the rule's ceiling); past the hourly cap, if the rule has
 * one, every attempt waits until the hour has passed. The account rule has
 * a low ceiling and no hourly cap, so failures from anywhere can only slow
 * an owner, never keep them out: their right password waits at most one
 * step. The hard limits are per client address. Memory is bounded: a fixed
 * table, oldest entries replaced first. */
#ifndef TROTH_THROTTLE_H
#define TROTH_THROTTLE_H

#include <stdbool.h>
#include <time.h>

struct throttle_rule {
	int free_failures;  /* failures before any delay */
	int hourly_cap;     /* failures an hour after which attempts wait out the hour; 0: none */
	int max_delay;      /* ceiling of the step delay, in seconds */
	int max_pending;    /* checks in flight at once (throttle_begin); 0: no limit */
};

/* The throttle's clock: time(NULL), moved on by throttle_advance. */
time_t throttle_now(void);
/* Moves the throttle's clock forward by seconds (tests). */
void throttle_advance(int seconds);

/* Returns 0 when an attempt may go ahead now, else the seconds to wait. */
int throttle_wait(const char *key, const struct throttle_rule *rule, time_t now);
/* Counts a failed attempt that was not reserved with throttle_begin. */
void throttle_fail(const char *key, time_t now);

/* Reserves an attempt before a slow check. Returns 0 when it may go ahead
 * (it is counted as a failure until settled), else (nothing reserved) the
 * seconds to wait: the step delay or the rest of the hour; or THROTTLE_BUSY
 * when as many checks of this key as the rule allows are running now, so
 * the attempt may go ahead as soon as one of them is settled. */
#define THROTTLE_BUSY (-1)
int throttle_begin(const char *key, const struct throttle_rule *rule, time_t now);
/* Waiting one's turn. A check refused with THROTTLE_BUSY may wait and ask
 * again; throttle_begin_turn is throttle_begin for a check holding a
 * ticket (throttle_ticket, one per check, kept while it waits): a place
 * that frees goes to the oldest tickets waiting for the key, so the check
 * that waited longest goes first and a new one waits behind (a ticket not
 * seen for 3 seconds has gone). On THROTTLE_BUSY the ticket stays in the
 * key's line; when the check goes ahead it leaves it, and a check that
 * gives up leaves with throttle_leave. throttle_begin asks with no
 * ticket: behind every ticket waiting. */
unsigned long throttle_ticket(void);
int throttle_begin_turn(const char *key, const struct throttle_rule *rule, time_t now, unsigned long ticket);
void throttle_leave(const char *key, unsigned long ticket, time_t now);

/* Settles an attempt reserved with throttle_begin: ok gives the reserved
 * failure back. A reservation never settled (the request died) stops
 * counting as in flight after 30 seconds. */
void throttle_settle(const char *key, bool ok, time_t now);

/* Forgets the key's failures (after a success). */
void throttle_clear(const char *key);
/* Forgets everything and resets the clock (tests). */
void throttle_reset(void);

extern const struct throttle_rule THROTTLE_ACCOUNT;  /* logins per account: slows, never blocks */
extern const struct throttle_rule THROTTLE_ADDRESS;  /* logins per client address */
extern const struct throttle_rule THROTTLE_REAUTH;   /* the current password re-entered, per account */
extern const struct throttle_rule THROTTLE_INVITE;   /* invite-code guesses per address */

#endif
