/* throttle.h: growing delays against guessing (passwords, invite codes).
 *
 * Failures are counted per key ("acct:NAME", "ip:ADDR", "invite:ADDR") over
 * a sliding hour. After a few failures each further attempt must wait longer
 * (1 s, 2 s, 4 s ... at most 60 s); past the hourly cap every attempt waits
 * until the hour has passed. There is no permanent lockout: a partner cannot
 * use failed logins to shut the other out for good. Memory is bounded: a
 * fixed table, oldest entries replaced first. */
#ifndef TROTH_THROTTLE_H
#define TROTH_THROTTLE_H

#include <time.h>

struct throttle_rule {
	int free_failures;  /* failures before any delay */
	int hourly_cap;     /* failures per hour after which attempts wait out the hour */
};

/* Returns 0 when an attempt may go ahead now, else the seconds to wait. */
int throttle_wait(const char *key, const struct throttle_rule *rule, time_t now);
void throttle_fail(const char *key, time_t now);
/* Forgets the key's failures (after a success). */
void throttle_clear(const char *key);
/* Forgets everything (tests). */
void throttle_reset(void);

extern const struct throttle_rule THROTTLE_ACCOUNT;  /* 100 an hour per account */
extern const struct throttle_rule THROTTLE_ADDRESS;  /* per client address */
extern const struct throttle_rule THROTTLE_INVITE;   /* invite-code guesses per address */

#endif
