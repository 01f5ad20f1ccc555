/* session.c: the in-memory session table; see session.h. */
#include "session.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"

/* The table: every live session is in two chained hash tables, by the
 * hash of its token (s->next) and by its user (s->user_next), so a lookup
 * costs the same with twenty sessions or twenty thousand. An ended session
 * leaves both at once; its struct and keys are freed when the last request
 * holding it puts it back. Keys (guarded pages: freeing one unmaps memory)
 * are freed after the lock is let go, so no request waits on the kernel's
 * memory map behind another's logout. */
#define TOKEN_BUCKETS 16384
#define USER_BUCKETS 4096

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct session *by_token[TOKEN_BUCKETS];
static struct session *by_user[USER_BUCKETS];
static unsigned sweep_at; /* the token bucket the next call looks over for expired sessions */
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

/* What a call frees once it has let go of the lock. */
struct trash {
	struct session_retired *keys;
	struct session *sessions; /* chained through next */
};

/* Puts a key on a list of keys to wipe later. */
static void push_key(struct session_retired **list, unsigned char *key)
{
	struct session_retired *r = malloc(sizeof(*r));
	if (!r)
		die("out of memory");
	r->key = key;
	r->next = *list;
	*list = r;
}

/* Frees what was put aside, after the lock. */
static void trash_empty(struct trash *t)
{
	while (t->keys) {
		struct session_retired *r = t->keys;
		t->keys = r->next;
		sodium_free(r->key);
		free(r);
	}
	while (t->sessions) {
		struct session *s = t->sessions;
		t->sessions = s->next;
		sodium_memzero(s, sizeof(*s));
		free(s);
	}
}

static unsigned token_bucket(const unsigned char hash[32])
{
	unsigned b;
	memcpy(&b, hash, sizeof(b)); /* the token's hash is uniform already */
	return b % TOKEN_BUCKETS;
}

static unsigned user_bucket(long long user_id)
{
	return (unsigned)((unsigned long long)user_id * 0x9E3779B97F4A7C15ull >> 52) % USER_BUCKETS;
}

/* Takes a key out of use: to be wiped now when no request holds the
 * session, otherwise kept aside until the last one puts it back. Lock held. */
static void retire_key(struct session *s, unsigned char *key, struct trash *t)
{
	if (key)
		push_key(s->refs <= 0 ? &t->keys : &s->retired, key);
}

/* Moves the retired keys and the struct of a dead session nobody holds to
 * the trash. Lock held. */
static void release_locked(struct session *s, struct trash *t)
{
	while (s->retired) {
		struct session_retired *r = s->retired;
		s->retired = r->next;
		r->next = t->keys;
		t->keys = r;
	}
	s->next = t->sessions;
	t->sessions = s;
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

static void unlink_from(struct session **pp, struct session *s, bool user_chain)
{
	for (; *pp; pp = user_chain ? &(*pp)->user_next : &(*pp)->next)
		if (*pp == s) {
			*pp = user_chain ? s->user_next : s->next;
			return;
		}
}

void (*session_end_hook)(long long id);

/* Ends s: out of both tables, keys retired; freed now when nobody holds
 * it, else at the last session_put. Lock held. */
static void kill_locked(struct session *s, struct trash *t)
{
	if (s->dead)
		return;
	if (session_end_hook)
		session_end_hook(s->id);
	s->dead = true;
	unlink_from(&by_token[token_bucket(s->token_hash)], s, false);
	unlink_from(&by_user[user_bucket(s->user_id)], s, true);
	retire_key(s, s->data_key, t);
	retire_key(s, s->couple_key, t);
	s->data_key = s->couple_key = NULL;
	if (s->refs <= 0)
		release_locked(s, t);
}

static bool expired(const struct session *s, time_t now)
{
	return now - s->last_seen > limits.idle_seconds ||
	       now - s->created > limits.absolute_seconds;
}

/* Ends the expired sessions of one token bucket, the next in turn: each
 * lookup and login looks over one, so a session nobody uses again is ended
 * within a few thousand requests of its expiry. Lock held. */
static void sweep_locked(time_t now, struct trash *t)
{
	struct session *s = by_token[sweep_at];
	sweep_at = (sweep_at + 1) % TOKEN_BUCKETS;
	while (s) {
		struct session *next = s->next;
		if (expired(s, now))
			kill_locked(s, t);
		s = next;
	}
}

void session_shutdown(void)
{
	struct trash t = { 0 };
	pthread_mutex_lock(&lock);
	for (unsigned b = 0; b < TOKEN_BUCKETS; b++)
		while (by_token[b]) {
			by_token[b]->refs = 0;
			kill_locked(by_token[b], &t);
		}
	pthread_mutex_unlock(&lock);
	trash_empty(&t);
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
	struct trash t = { 0 };
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
	/* the user's oldest live session ends when this one would pass the cap */
	struct session *oldest = NULL;
	int live = 0;
	for (struct session *o = by_user[user_bucket(user_id)]; o; o = o->user_next)
		if (o->user_id == user_id) {
			live++;
			if (!oldest || o->id < oldest->id)
				oldest = o;
		}
	if (live >= SESSION_MAX_PER_USER)
		kill_locked(oldest, &t);
	unsigned b = token_bucket(s->token_hash), u = user_bucket(user_id);
	s->next = by_token[b];
	by_token[b] = s;
	s->user_next = by_user[u];
	by_user[u] = s;
	sweep_locked(s->created, &t);
	pthread_mutex_unlock(&lock);
	trash_empty(&t);
	return s;
}

struct session *session_find(const char *token)
{
	unsigned char h[32];
	struct session *found = NULL;
	struct trash t = { 0 };
	time_t now = time(NULL);
	if (!token || strlen(token) != SESSION_TOKEN_CHARS)
		return NULL;
	token_hash(token, h);
	pthread_mutex_lock(&lock);
	for (struct session *s = by_token[token_bucket(h)]; s; s = s->next) {
		if (sodium_memcmp(s->token_hash, h, 32) != 0)
			continue;
		if (expired(s, now)) {
			kill_locked(s, &t);
			break;
		}
		s->last_seen = now;
		s->refs++;
		found = s;
		break;
	}
	sweep_locked(now, &t);
	pthread_mutex_unlock(&lock);
	trash_empty(&t);
	return found;
}

void session_put(struct session *s)
{
	struct trash t = { 0 };
	if (!s)
		return;
	pthread_mutex_lock(&lock);
	if (--s->refs <= 0 && s->dead)
		release_locked(s, &t);
	pthread_mutex_unlock(&lock);
	trash_empty(&t);
}

void session_end(struct session *s)
{
	struct trash t = { 0 };
	pthread_mutex_lock(&lock);
	kill_locked(s, &t);
	pthread_mutex_unlock(&lock);
	trash_empty(&t);
}

int session_end_id(long long user_id, long long id)
{
	int rc = -1;
	struct trash t = { 0 };
	pthread_mutex_lock(&lock);
	for (struct session *s = by_user[user_bucket(user_id)]; s; s = s->user_next)
		if (s->id == id && s->user_id == user_id) {
			kill_locked(s, &t);
			rc = 0;
			break;
		}
	pthread_mutex_unlock(&lock);
	trash_empty(&t);
	return rc;
}

int session_end_user(long long user_id, long long keep_id)
{
	int n = 0;
	struct trash t = { 0 };
	pthread_mutex_lock(&lock);
	struct session *s = by_user[user_bucket(user_id)];
	while (s) {
		struct session *next = s->user_next;
		if (s->user_id == user_id && s->id != keep_id) {
			kill_locked(s, &t);
			n++;
		}
		s = next;
	}
	pthread_mutex_unlock(&lock);
	trash_empty(&t);
	return n;
}

void session_set_couple_key(long long user_id, const unsigned char *couple_key)
{
	struct trash t = { 0 };
	pthread_mutex_lock(&lock);
	for (struct session *s = by_user[user_bucket(user_id)]; s; s = s->user_next) {
		if (s->user_id != user_id)
			continue;
		retire_key(s, s->couple_key, &t);
		s->couple_key = key_copy(couple_key);
	}
	pthread_mutex_unlock(&lock);
	trash_empty(&t);
}

size_t session_list(long long user_id, struct session *out, size_t max)
{
	size_t n = 0;
	time_t now = time(NULL);
	pthread_mutex_lock(&lock);
	for (struct session *s = by_user[user_bucket(user_id)]; s && n < max; s = s->user_next) {
		if (s->user_id != user_id || expired(s, now))
			continue;
		out[n] = *s;
		out[n].data_key = out[n].couple_key = NULL;
		out[n].next = out[n].user_next = NULL;
		out[n].retired = NULL;
		memset(out[n].token_hash, 0, sizeof(out[n].token_hash));
		memset(out[n].csrf, 0, sizeof(out[n].csrf));
		n++;
	}
	pthread_mutex_unlock(&lock);
	/* newest first, as the list was before the tables (each login put
	 * its session at the head) */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && out[j].id > out[j - 1].id; j--) {
			struct session x = out[j];
			out[j] = out[j - 1];
			out[j - 1] = x;
		}
	return n;
}

bool session_csrf_ok(const struct session *s, const char *submitted)
{
	if (!submitted || strlen(submitted) != SESSION_CSRF_CHARS)
		return false;
	return sodium_memcmp(s->csrf, submitted, SESSION_CSRF_CHARS) == 0;
}
