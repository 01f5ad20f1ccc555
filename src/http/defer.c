/* defer.c: the bounded worker pool; see defer.h. */
#include "defer.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../app.h"
#include "../base/log.h"

struct job {
	defer_fn fn;
	void *arg;
	void (*done)(void *ctx);
	void *ctx;
};

struct defer_pool {
	pthread_mutex_t lock;
	pthread_cond_t more;
	pthread_t *threads;
	unsigned nthreads;
	struct job *q;
	unsigned cap, head, len;
	bool stopping;
	bool joined;
	bool background; /* the workers run at the lowest priority */
};

unsigned defer_pool_size(unsigned serving_threads)
{
	unsigned n = serving_threads > 1 ? serving_threads - 1 : 1;
	return n < 4 ? n : 4;
}

/* Puts the calling thread below every ordinary thread: nice 10 (weight 110
 * against 1024 for a serving thread at nice 0, about a tenth of a core the
 * pages want) under SCHED_BATCH (it never preempts a thread that wakes, so
 * a page's thread runs first). Not lower: at nice 19 (weight 15) no login
 * of a storm finished within 5 s on a machine kept busy by other work, and
 * SCHED_IDLE (weight 3) let no login finish within 10 s, so a flood of
 * cheap page requests could lock everyone out. Linux lets an unprivileged
 * thread take both; where SCHED_BATCH is refused, nice 10 alone is the
 * next best. */
static void lowest_priority(void)
{
	struct sched_param sp = { .sched_priority = 0 };
	(void)pthread_setschedparam(pthread_self(), SCHED_BATCH, &sp);
	if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10) != 0)
		log_msg("the password-hashing workers run at normal priority");
}

static void *worker(void *arg)
{
	struct defer_pool *p = arg;
	if (p->background)
		lowest_priority();
	for (;;) {
		pthread_mutex_lock(&p->lock);
		while (!p->len && !p->stopping)
			pthread_cond_wait(&p->more, &p->lock);
		if (!p->len && p->stopping) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		struct job j = p->q[p->head];
		p->head = (p->head + 1) % p->cap;
		p->len--;
		pthread_mutex_unlock(&p->lock);
		j.fn(j.arg);
		if (j.done)
			j.done(j.ctx);
	}
}

static struct defer_pool *pool_new(unsigned workers, unsigned queue, bool background)
{
	struct defer_pool *p = xcalloc(1, sizeof(*p));
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->more, NULL);
	p->background = background;
	p->cap = queue ? queue : 1;
	p->q = xcalloc(p->cap, sizeof(*p->q));
	p->nthreads = workers ? workers : 1;
	p->threads = xcalloc(p->nthreads, sizeof(*p->threads));
	for (unsigned i = 0; i < p->nthreads; i++)
		if (pthread_create(&p->threads[i], NULL, worker, p))
			die("cannot start a worker thread");
	return p;
}

struct defer_pool *defer_pool_new(unsigned workers, unsigned queue)
{
	return pool_new(workers, queue, false);
}

struct defer_pool *defer_pool_new_background(unsigned workers, unsigned queue)
{
	return pool_new(workers, queue, true);
}

void defer_pool_stop(struct defer_pool *p)
{
	if (!p || p->joined)
		return;
	threads_tell_stop(&p->lock, &p->more, &p->stopping);
	for (unsigned i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	p->joined = true;
}

void defer_pool_free(struct defer_pool *p)
{
	if (!p)
		return;
	defer_pool_stop(p);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->more);
	free(p->threads);
	free(p->q);
	free(p);
}

int defer_submit(struct defer_pool *p, defer_fn fn, void *arg, void (*done)(void *ctx), void *ctx)
{
	pthread_mutex_lock(&p->lock);
	if (p->len == p->cap || p->stopping) {
		pthread_mutex_unlock(&p->lock);
		return -1;
	}
	p->q[(p->head + p->len) % p->cap] = (struct job){ fn, arg, done, ctx };
	p->len++;
	pthread_cond_signal(&p->more);
	pthread_mutex_unlock(&p->lock);
	return 0;
}

/* ---- the timer: a min-heap of deadlines, one thread ---- */

struct timer_entry {
	struct timespec at;
	void (*done)(void *ctx);
	void *ctx;
};

struct defer_timer {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	struct timer_entry *heap;
	unsigned cap, len;
	bool stopping, joined;
};

static bool before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static void heap_swap(struct timer_entry *h, unsigned i, unsigned j)
{
	struct timer_entry x = h[i];
	h[i] = h[j];
	h[j] = x;
}

/* Takes the earliest entry off the heap. Lock held, len > 0. */
static struct timer_entry heap_pop(struct defer_timer *t)
{
	struct timer_entry top = t->heap[0];
	t->heap[0] = t->heap[--t->len];
	for (unsigned i = 0;;) {
		unsigned l = 2 * i + 1, r = l + 1, m = i;
		if (l < t->len && before(&t->heap[l].at, &t->heap[m].at))
			m = l;
		if (r < t->len && before(&t->heap[r].at, &t->heap[m].at))
			m = r;
		if (m == i)
			break;
		heap_swap(t->heap, i, m);
		i = m;
	}
	return top;
}

static void *timer_thread(void *arg)
{
	struct defer_timer *t = arg;
	pthread_mutex_lock(&t->lock);
	for (;;) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (t->len && (t->stopping || !before(&now, &t->heap[0].at))) {
			struct timer_entry e = heap_pop(t);
			pthread_mutex_unlock(&t->lock);
			e.done(e.ctx);
			pthread_mutex_lock(&t->lock);
		} else if (t->stopping) {
			break;
		} else if (t->len) {
			pthread_cond_timedwait(&t->wake, &t->lock, &t->heap[0].at);
		} else {
			pthread_cond_wait(&t->wake, &t->lock);
		}
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

struct defer_timer *defer_timer_new(unsigned cap)
{
	struct defer_timer *t = xcalloc(1, sizeof(*t));
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&t->wake, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&t->lock, NULL);
	t->cap = cap ? cap : 1;
	t->heap = xcalloc(t->cap, sizeof(*t->heap));
	if (pthread_create(&t->thread, NULL, timer_thread, t))
		die("cannot start the timer thread");
	return t;
}

int defer_timer_add(struct defer_timer *t, unsigned ms, void (*done)(void *ctx), void *ctx)
{
	struct timespec at;
	clock_gettime(CLOCK_MONOTONIC, &at);
	at.tv_sec += ms / 1000;
	at.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (at.tv_nsec >= 1000000000L) {
		at.tv_sec++;
		at.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&t->lock);
	if (t->len == t->cap || t->stopping) {
		pthread_mutex_unlock(&t->lock);
		return -1;
	}
	unsigned i = t->len++;
	t->heap[i] = (struct timer_entry){ at, done, ctx };
	while (i && before(&t->heap[i].at, &t->heap[(i - 1) / 2].at)) {
		heap_swap(t->heap, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
	if (i == 0)
		pthread_cond_signal(&t->wake); /* a new earliest deadline */
	pthread_mutex_unlock(&t->lock);
	return 0;
}

void defer_timer_wake_all(struct defer_timer *t)
{
	if (!t)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	pthread_mutex_lock(&t->lock);
	/* every entry due now: all equal, so still a heap */
	for (unsigned i = 0; i < t->len; i++)
		t->heap[i].at = now;
	if (t->len)
		pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
}

void defer_timer_stop(struct defer_timer *t)
{
	if (!t || t->joined)
		return;
	threads_tell_stop(&t->lock, &t->wake, &t->stopping);
	pthread_join(t->thread, NULL);
	t->joined = true;
}

void defer_timer_free(struct defer_timer *t)
{
	if (!t)
		return;
	defer_timer_stop(t);
	pthread_mutex_destroy(&t->lock);
	pthread_cond_destroy(&t->wake);
	free(t->heap);
	free(t);
}

void req_wait(struct req *r, unsigned ms)
{
	r->wait_ms = ms ? ms : 1;
}

int req_defer(struct req *r, defer_fn fn, void *arg)
{
	r->defer_fn = fn;
	r->defer_arg = arg;
	return 0;
}

void req_reset_for_redispatch(struct req *r)
{
	buf_reset(&r->out);
	r->params.n = 0;
	r->resp_headers.n = 0;
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
	r->defer_fn = NULL;
	r->wait_ms = 0;
	/* the memo's freshness is counted per thread (db_thread_writes), and
	 * the next dispatch may run on another thread */
	r->memo = NULL;
}

void threads_tell_stop(pthread_mutex_t *lock, pthread_cond_t *wake, bool *stop)
{
	pthread_mutex_lock(lock);
	*stop = true;
	pthread_cond_broadcast(wake);
	pthread_mutex_unlock(lock);
}
