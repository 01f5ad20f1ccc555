/* session.c: the in-memory session table; see session.h. */
#include "session.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct session *head;
static long long next_id = 1;
static struct session_limits limits = { 30 * 60, 12 * 60 * 60 };

void session_init(const struct session_limits *lim)
{
	if (lim)
		limits = *lim;
}

/* A key the session no longer offers but a request in flight may still be
 * using (it took the pointer when it resolved its viewer). It is wiped when
 * the last holder puts the session back. */
struct session_retired {
	unsigned char *key;
	struct session_retired *next;
};

/* Frees the retired keys. Called with the lock held and refs == 0. */
static void free_retired(struct session *s)
{
	while (s->retired) {
		struct session_retired *r = s->retired;
		s->retired = r->next;
		sodium_free(r->key);
		free(r);
	}
}

/* Takes a key out of use: wiped now when no request holds the session,
 * otherwise kept aside until the last one puts it back. */
static void retire_key(struct session *s, unsigned char *key)
{
	struct session_retired *r;
	if (!key)
		return;
	if (s->refs <= 0) {
		sodium_free(key);
		return;
	}
	r = malloc(sizeof(*r));
	if (!r)
		die("out of memory");
	r->key = key;
	r->next = s->retired;
	s->retired = r;
}

static void wipe_keys(struct session *s)
{
	retire_key(s, s->data_key);
	retire_key(s, s->couple_key);
	s->data_key = s->couple_key = NULL;
	if (s->refs <= 0)
		free_retired(s);
}

static unsigned char *key_copy(const unsigned char *k)
{
	unsigned char *p;
	if (!k)
		return NULL;
	p = sodium_malloc(SESSION_KEY_BYTES);
	if (!p)
		die("cannot allocate locked memory for a key");
	memcpy(p, k, SESSION_KEY_BYTES);
	return p;
}

/* Unlinks dead sessions nobody holds. Called with the lock held. */
static void reap_locked(void)
{
	struct session **pp = &head;
	while (*pp) {
		struct session *s = *pp;
		if (s->dead && s->refs == 0) {
			*pp = s->next;
			wipe_keys(s);
			sodium_memzero(s, sizeof(*s));
			free(s);
		} else {
			pp = &s->next;
		}
	}
}

void (*session_end_hook)(long long id);

static void kill_locked(struct session *s)
{
	if (session_end_hook && !s->dead)
		session_end_hook(s->id);
	s->dead = true;
	wipe_keys(s);
}

void session_shutdown(void)
{
	pthread_mutex_lock(&lock);
	for (struct session *s = head; s; s = s->next) {
		s->refs = 0;
		kill_locked(s);
	}
	reap_locked();
	pthread_mutex_unlock(&lock);
}

static void token_hash(const char *token, unsigned char out[32])
{
	crypto_generichash(out, 32, (const unsigned char *)token, strlen(token), NULL, 0);
}

static void random_text(char *out, size_t chars)
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, chars + 1, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

struct session *session_create(long long user_id, const unsigned char *data_key,
			       const unsigned char *couple_key, bool bearer, const char *label,
			       char token_out[SESSION_TOKEN_CHARS + 1])
{
	struct session *s = xcalloc(1, sizeof(*s));
	random_text(token_out, SESSION_TOKEN_CHARS);
	token_hash(token_out, s->token_hash);
	random_text(s->csrf, SESSION_CSRF_CHARS);
	s->user_id = user_id;
	s->bearer = bearer;
	snprintf(s->label, sizeof(s->label), "%s", label ? label : "");
	s->created = s->last_seen = time(NULL);
	s->data_key = key_copy(data_key);
	s->couple_key = key_copy(couple_key);
	s->refs = 1;
	pthread_mutex_lock(&lock);
	s->id = next_id++;
	s->next = head;
	head = s;
	pthread_mutex_unlock(&lock);
	return s;
}

static bool expired(const struct session *s, time_t now)
{
	return now - s->last_seen > limits.idle_seconds ||
	       now - s->created > limits.absolute_seconds;
}

struct session *session_find(const char *token)
{
	unsigned char h[32];
	struct session *found = NULL;
	time_t now = time(NULL);
	if (!token || strlen(token) != SESSION_TOKEN_CHARS)
		return NULL;
	token_hash(token, h);
	pthread_mutex_lock(&lock);
	for (struct session *s = head; s; s = s->next) {
		if (s->dead || sodium_memcmp(s->token_hash, h, 32) != 0)
			continue;
		if (expired(s, now)) {
			kill_locked(s);
			break;
		}
		s->last_seen = now;
		s->refs++;
		found = s;
		break;
	}
	reap_locked();
	pthread_mutex_unlock(&lock);
	return found;
}

void session_put(struct session *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&lock);
	if (--s->refs <= 0)
		free_retired(s);
	reap_locked();
	pthread_mutex_unlock(&lock);
}

void session_end(struct session *s)
{
	pthread_mutex_lock(&lock);
	kill_locked(s);
	pthread_mutex_unlock(&lock);
}

int session_end_id(long long user_id, long long id)
{
	int rc = -1;
	pthread_mutex_lock(&lock);
	for (struct session *s = head; s; s = s->next)
		if (!s->dead && s->id == id && s->user_id == user_id) {
			kill_locked(s);
			rc = 0;
		}
	reap_locked();
	pthread_mutex_unlock(&lock);
	return rc;
}

int session_end_user(long long user_id, long long keep_id)
{
	int n = 0;
	pthread_mutex_lock(&lock);
	for (struct session *s = head; s; s = s->next)
		if (!s->dead && s->user_id == user_id && s->id != keep_id) {
			kill_locked(s);
			n++;
		}
	reap_locked();
	pthread_mutex_unlock(&lock);
	return n;
}

void session_set_couple_key(long long user_id, const unsigned char *couple_key)
{
	pthread_mutex_lock(&lock);
	for (struct session *s = head; s; s = s->next) {
		if (s->dead || s->user_id != user_id)
			continue;
		retire_key(s, s->couple_key);
		s->couple_key = key_copy(couple_key);
	}
	pthread_mutex_unlock(&lock);
}

size_t session_list(long long user_id, struct session *out, size_t max)
{
	size_t n = 0;
	time_t now = time(NULL);
	pthread_mutex_lock(&lock);
	for (struct session *s = head; s && n < max; s = s->next) {
		if (s->dead || s->user_id != user_id || expired(s, now))
			continue;
		out[n] = *s;
		out[n].data_key = out[n].couple_key = NULL;
		out[n].next = NULL;
		out[n].retired = NULL;
		memset(out[n].token_hash, 0, sizeof(out[n].token_hash));
		memset(out[n].csrf, 0, sizeof(out[n].csrf));
		n++;
	}
	pthread_mutex_unlock(&lock);
	return n;
}

bool session_csrf_ok(const struct session *s, const char *submitted)
{
	if (!submitted || strlen(submitted) != SESSION_CSRF_CHARS)
		return false;
	return sodium_memcmp(s->csrf, submitted, SESSION_CSRF_CHARS) == 0;
}
