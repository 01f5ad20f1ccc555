/* throttle.c: the bounded attempt table; see throttle.h. */
#include "throttle.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define SLOTS 4096
#define WINDOW 3600
#define PENDING_TTL 30

const struct throttle_rule THROTTLE_ACCOUNT = { 5, 0, 30, 2 };
const struct throttle_rule THROTTLE_ADDRESS = { 20, 500, 60, 4 };
const struct throttle_rule THROTTLE_REAUTH = { 5, 100, 60, 1 };
const struct throttle_rule THROTTLE_INVITE = { 5, 60, 60, 0 };

struct slot {
	char key[96];
	time_t first, last;
	int fails;
	int pending;        /* reserved checks not yet settled */
	time_t pending_at;  /* when the last one was reserved */
};

static struct slot table[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long clock_offset;

/* Turns: the checks waiting for a place (throttle_begin_turn), by slot.
 * One not seen again for TURN_TTL seconds has gone (its request ended
 * without saying so) and counts no more. */
#define TURNS 256
#define TURN_TTL 3
static struct turn {
	unsigned long ticket; /* 0: a free entry */
	const struct slot *slot;
	time_t seen;
} turns[TURNS];
static unsigned long last_ticket;

time_t throttle_now(void)
{
	pthread_mutex_lock(&lock);
	long off = clock_offset;
	pthread_mutex_unlock(&lock);
	return time(NULL) + off;
}

void throttle_advance(int seconds)
{
	pthread_mutex_lock(&lock);
	clock_offset += seconds;
	pthread_mutex_unlock(&lock);
}

static unsigned hash(const char *s)
{
	unsigned h = 2166136261u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* The slot for key, or NULL (probes 8 places). Lock held. */
static struct slot *find(const char *key, int create, time_t now)
{
	unsigned h = hash(key);
	struct slot *oldest = NULL;
	for (unsigned i = 0; i < 8; i++) {
		struct slot *s = &table[(h + i) % SLOTS];
		if (s->key[0] && now - s->last > WINDOW)
			s->key[0] = '\0'; /* stale */
		if (s->key[0] && !strcmp(s->key, key))
			return s;
		if (!oldest || !s->key[0] || (oldest->key[0] && s->last < oldest->last))
			oldest = s;
	}
	if (!create)
		return NULL;
	memset(oldest, 0, sizeof(*oldest));
	snprintf(oldest->key, sizeof(oldest->key), "%s", key);
	oldest->first = oldest->last = now;
	return oldest;
}

/* Starts a new hour and forgets dead reservations. Lock held. */
static void refresh(struct slot *s, time_t now)
{
	if (now - s->first > WINDOW) {
		s->fails = 0;
		s->first = now;
	}
	if (s->pending && now - s->pending_at > PENDING_TTL)
		s->pending = 0;
}

/* The seconds s must wait under rule, or 0. Lock held. */
static int wait_for(const struct slot *s, const struct throttle_rule *rule, time_t now)
{
	int wait = 0;
	if (rule->hourly_cap && s->fails >= rule->hourly_cap) {
		wait = (int)(s->first + WINDOW - now);
	} else if (s->fails > rule->free_failures) {
		int over = s->fails - rule->free_failures - 1;
		int delay = over >= 16 ? rule->max_delay : 1 << over;
		if (delay > rule->max_delay)
			delay = rule->max_delay;
		wait = (int)(s->last + delay - now);
	}
	return wait > 0 ? wait : 0;
}

int throttle_wait(const char *key, const struct throttle_rule *rule, time_t now)
{
	int wait = 0;
	pthread_mutex_lock(&lock);
	struct slot *s = find(key, 0, now);
	if (s) {
		refresh(s, now);
		wait = wait_for(s, rule, now);
	}
	pthread_mutex_unlock(&lock);
	return wait;
}

void throttle_fail(const char *key, time_t now)
{
	pthread_mutex_lock(&lock);
	struct slot *s = find(key, 1, now);
	refresh(s, now);
	s->fails++;
	s->last = now;
	pthread_mutex_unlock(&lock);
}

unsigned long throttle_ticket(void)
{
	pthread_mutex_lock(&lock);
	unsigned long t = ++last_ticket;
	pthread_mutex_unlock(&lock);
	return t;
}

/* How many turns wait for slot s with a ticket older than ticket (0: any
 * ticket), forgetting the ones gone; *mine gets the entry of ticket
 * itself, or NULL. Lock held. */
static int older_turns(const struct slot *s, unsigned long ticket, time_t now, struct turn **mine)
{
	int older = 0;
	*mine = NULL;
	for (unsigned i = 0; i < TURNS; i++) {
		struct turn *t = &turns[i];
		if (!t->ticket || t->slot != s)
			continue;
		if (now - t->seen >= TURN_TTL)
			t->ticket = 0;
		else if (t->ticket == ticket)
			*mine = t;
		else if (!ticket || t->ticket < ticket)
			older++;
	}
	return older;
}

/* Puts ticket in the line of slot s, or says it is still there. Lock held. */
static void take_turn(const struct slot *s, unsigned long ticket, struct turn *mine, time_t now)
{
	for (unsigned i = 0; !mine && i < TURNS; i++)
		if (!turns[i].ticket)
			mine = &turns[i];
	if (mine) /* a full line: the check waits without a place in it */
		*mine = (struct turn){ ticket, s, now };
}

int throttle_begin(const char *key, const struct throttle_rule *rule, time_t now)
{
	return throttle_begin_turn(key, rule, now, 0);
}

int throttle_begin_turn(const char *key, const struct throttle_rule *rule, time_t now, unsigned long ticket)
{
	pthread_mutex_lock(&lock);
	struct slot *s = find(key, 1, now);
	refresh(s, now);
	int wait = wait_for(s, rule, now);
	if (rule->max_pending) {
		struct turn *mine;
		int older = older_turns(s, ticket, now, &mine);
		/* a free place goes to the oldest turns first */
		if (!wait && s->pending + older >= rule->max_pending)
			wait = THROTTLE_BUSY;
		if (wait == THROTTLE_BUSY && ticket)
			take_turn(s, ticket, mine, now);
		else if (mine)
			mine->ticket = 0;
	}
	if (!wait) {
		s->fails++;
		s->last = now;
		s->pending++;
		s->pending_at = now;
	}
	pthread_mutex_unlock(&lock);
	return wait;
}

void throttle_leave(const char *key, unsigned long ticket, time_t now)
{
	pthread_mutex_lock(&lock);
	struct slot *s = find(key, 0, now);
	for (unsigned i = 0; s && ticket && i < TURNS; i++)
		if (turns[i].ticket == ticket && turns[i].slot == s)
			turns[i].ticket = 0;
	pthread_mutex_unlock(&lock);
}

void throttle_settle(const char *key, bool ok, time_t now)
{
	pthread_mutex_lock(&lock);
	struct slot *s = find(key, 0, now);
	if (s) {
		if (s->pending > 0)
			s->pending--;
		if (ok && s->fails > 0)
			s->fails--;
	}
	pthread_mutex_unlock(&lock);
}

void throttle_clear(const char *key)
{
	pthread_mutex_lock(&lock);
	struct slot *s = find(key, 0, time(NULL) + clock_offset);
	if (s)
		s->key[0] = '\0';
	pthread_mutex_unlock(&lock);
}

void throttle_reset(void)
{
	pthread_mutex_lock(&lock);
	memset(table, 0, sizeof(table));
	memset(turns, 0, sizeof(turns));
	clock_offset = 0;
	pthread_mutex_unlock(&lock);
}
