/* pagecache.c: rendered answers kept per session; see pagecache.h. */
#include "pagecache.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "../app.h"
#include "../auth/auth.h"
#include "../auth/session.h"
#include "../db/db.h"

struct kept_page {
	bool used;
	unsigned long gen;     /* which store */
	struct db_marks marks; /* and its state, for the viewer's couple (db.h) */
	long long session, user;
	time_t minute;
	int keys;      /* which of the viewer's keys were open: 1 data key, 2 couple key */
	char *key;     /* method, path, query, the app cookie and the scheme, see key_of */
	size_t key_len;
	char *body;
	size_t body_len;
	const char *content_type; /* a handler's static string */
	char *headers; /* name NUL value NUL, n_headers times */
	size_t headers_len, n_headers;
};

static struct kept_page slots[PAGECACHE_SLOTS];
static unsigned next_slot;
static unsigned long served; /* guarded by lock */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void wipe(struct kept_page *k)
{
	if (!k->used)
		return;
	sodium_memzero(k->body, k->body_len);
	sodium_memzero(k->headers, k->headers_len);
	sodium_memzero(k->key, k->key_len);
	free(k->body);
	free(k->headers);
	free(k->key);
	memset(k, 0, sizeof(*k));
}

static int keys_open(const struct req *r)
{
	return (r->me->data_key ? 1 : 0) | (r->me->couple_key ? 2 : 0);
}

static void add_part(struct buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	buf_add(b, &n, sizeof(n));
	if (n)
		buf_add(b, s, n);
}

/* Everything of the request besides the session that the answer depends
 * on, each part length-prefixed so no two requests share a key. */
static void key_of(const struct req *r, struct buf *b)
{
	add_part(b, r->method);
	add_part(b, r->path);
	for (size_t i = 0; i < r->query.n; i++) {
		add_part(b, r->query.v[i].key);
		add_part(b, r->query.v[i].val);
	}
	add_part(b, "");
	add_part(b, kv_get(&r->cookies, "troth_app"));
	add_part(b, r->tls ? "https" : "http");
}

static bool keepable(const struct req *r)
{
	return r->app && r->me && r->me->sess && !strcmp(r->method, "GET");
}

/* Drops what can no longer be served: another store, a write since that
 * its viewer would see, or an earlier minute. Called with the lock held. */
static void sweep_locked(unsigned long gen, time_t minute)
{
	for (unsigned i = 0; i < PAGECACHE_SLOTS; i++) {
		struct kept_page *k = &slots[i];
		if (!k->used)
			continue;
		struct db_marks now;
		db_marks_now(k->marks.couple_id, &now);
		if (k->gen != gen || k->minute != minute || !db_marks_same(&k->marks, &now))
			wipe(k);
	}
}

bool pagecache_serve(struct req *r)
{
	if (!keepable(r))
		return false;
	struct buf key = BUF_INIT;
	key_of(r, &key);
	unsigned long gen = r->app->db.gen;
	long long couple = viewer_marks_couple(r->me);
	time_t minute = r->now / 60;
	bool found = false;
	pthread_mutex_lock(&lock);
	sweep_locked(gen, minute);
	for (unsigned i = 0; i < PAGECACHE_SLOTS && !found; i++) {
		struct kept_page *k = &slots[i];
		if (!k->used || k->session != r->me->sess->id || k->user != r->me->user_id ||
		    k->marks.couple_id != couple || k->keys != keys_open(r) || k->key_len != key.len ||
		    memcmp(k->key, key.s, key.len))
			continue;
		buf_reset(&r->out);
		buf_add(&r->out, k->body, k->body_len);
		r->status = 200;
		r->content_type = k->content_type;
		const char *h = k->headers;
		for (size_t j = 0; j < k->n_headers; j++) {
			const char *v = h + strlen(h) + 1;
			req_header(r, h, v);
			h = v + strlen(v) + 1;
		}
		found = true;
		served++;
	}
	pthread_mutex_unlock(&lock);
	buf_release(&key);
	return found;
}

void pagecache_run(struct req *r, route_handler *fn)
{
	if (!keepable(r)) {
		fn(r);
		return;
	}
	long long couple = viewer_marks_couple(r->me);
	struct db_marks before, after;
	bool known = db_read_marks(couple, &before);
	unsigned long writes = db_thread_writes();
	size_t first_header = r->resp_headers.n;
	fn(r);
	/* kept only when the handler wrote nothing and read one state of the
	 * store whose marks are known */
	if (r->status != 200 || r->defer_fn || r->wait_ms || r->out.len > PAGECACHE_MAX_BODY ||
	    writes != db_thread_writes() || !known || !db_read_marks(couple, &after) ||
	    !db_marks_same(&before, &after))
		return;
	struct buf headers = BUF_INIT;
	for (size_t i = first_header; i < r->resp_headers.n; i++) {
		const struct kv *h = &r->resp_headers.v[i];
		if (!strcasecmp(h->key, "Set-Cookie")) {
			buf_release(&headers);
			return;
		}
		buf_add(&headers, h->key, strlen(h->key) + 1);
		buf_add(&headers, h->val, strlen(h->val) + 1);
	}
	struct kept_page k = {
		.used = true,
		.gen = r->app->db.gen,
		.marks = before,
		.session = r->me->sess->id,
		.user = r->me->user_id,
		.minute = r->now / 60,
		.keys = keys_open(r),
		.content_type = r->content_type,
		.n_headers = r->resp_headers.n - first_header,
	};
	struct buf key = BUF_INIT;
	key_of(r, &key);
	k.key_len = key.len;
	k.key = xmalloc(key.len);
	memcpy(k.key, key.s, key.len);
	buf_release(&key);
	k.body_len = r->out.len;
	k.body = xmalloc(k.body_len ? k.body_len : 1);
	memcpy(k.body, r->out.s, k.body_len);
	k.headers_len = headers.len;
	k.headers = xmalloc(headers.len ? headers.len : 1);
	memcpy(k.headers, headers.s, headers.len);
	sodium_memzero(headers.s, headers.len);
	buf_release(&headers);

	pthread_mutex_lock(&lock);
	sweep_locked(k.gen, k.minute);
	/* a write since the read that its viewer would see: the answer is
	 * already stale */
	struct db_marks now;
	db_marks_now(couple, &now);
	if (!db_marks_same(&before, &now)) {
		pthread_mutex_unlock(&lock);
		wipe(&k);
		return;
	}
	struct kept_page *slot = NULL;
	for (unsigned i = 0; i < PAGECACHE_SLOTS && !slot; i++)
		if (slots[i].used && slots[i].session == k.session && slots[i].key_len == k.key_len &&
		    !memcmp(slots[i].key, k.key, k.key_len))
			slot = &slots[i];
	for (unsigned i = 0; i < PAGECACHE_SLOTS && !slot; i++)
		if (!slots[i].used)
			slot = &slots[i];
	if (!slot) {
		slot = &slots[next_slot];
		next_slot = (next_slot + 1) % PAGECACHE_SLOTS;
	}
	wipe(slot);
	*slot = k;
	pthread_mutex_unlock(&lock);
}

void pagecache_forget_session(long long id)
{
	pthread_mutex_lock(&lock);
	for (unsigned i = 0; i < PAGECACHE_SLOTS; i++)
		if (slots[i].used && slots[i].session == id)
			wipe(&slots[i]);
	pthread_mutex_unlock(&lock);
}

void pagecache_forget(void)
{
	pthread_mutex_lock(&lock);
	for (unsigned i = 0; i < PAGECACHE_SLOTS; i++)
		wipe(&slots[i]);
	pthread_mutex_unlock(&lock);
}

unsigned pagecache_count(void)
{
	unsigned n = 0;
	pthread_mutex_lock(&lock);
	for (unsigned i = 0; i < PAGECACHE_SLOTS; i++)
		n += slots[i].used;
	pthread_mutex_unlock(&lock);
	return n;
}

unsigned long pagecache_served(void)
{
	pthread_mutex_lock(&lock);
	unsigned long n = served;
	pthread_mutex_unlock(&lock);
	return n;
}
