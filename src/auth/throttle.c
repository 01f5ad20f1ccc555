/* throttle.c: the bounded failure table; see throttle.h. */
#include "throttle.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define SLOTS 4096
#define WINDOW 3600

const struct throttle_rule THROTTLE_ACCOUNT = { 5, 100 };
const struct throttle_rule THROTTLE_ADDRESS = { 20, 500 };
const struct throttle_rule THROTTLE_INVITE = { 5, 60 };

struct slot {
	char key[96];
	time_t first, last;
	int fails;
};

static struct slot table[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

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

int throttle_wait(const char *key, const struct throttle_rule *rule, time_t now)
{
	int wait = 0;
	pthread_mutex_lock(&lock);
	struct slot *s = find(key, 0, now);
	if (s) {
		if (now - s->first > WINDOW) {
			s->fails = 0;
			s->first = now;
		}
		if (s->fails >= rule->hourly_cap) {
			wait = (int)(s->first + WINDOW - now);
		} else if (s->fails > rule->free_failures) {
			int over = s->fails - rule->free_failures - 1;
			int delay = over >= 6 ? 60 : 1 << over;
			wait = (int)(s->last + delay - now);
		}
	}
	pthread_mutex_unlock(&lock);
	return wait > 0 ? wait : 0;
}

void throttle_fail(const char *key, time_t now)
{
	pthread_mutex_lock(&lock);
	struct slot *s = find(key, 1, now);
	if (now - s->first > WINDOW) {
		s->fails = 0;
		s->first = now;
	}
	s->fails++;
	s->last = now;
	pthread_mutex_unlock(&lock);
}

void throttle_clear(const char *key)
{
	pthread_mutex_lock(&lock);
	struct slot *s = find(key, 0, time(NULL));
	if (s)
		s->key[0] = '\0';
	pthread_mutex_unlock(&lock);
}

void throttle_reset(void)
{
	pthread_mutex_lock(&lock);
	memset(table, 0, sizeof(table));
	pthread_mutex_unlock(&lock);
}
