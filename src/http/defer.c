/* defer.c: the bounded worker pool; see defer.h. */
#include "defer.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
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
