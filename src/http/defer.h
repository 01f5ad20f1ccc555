/* defer.h: slow work off the serving threads. Password hashing takes about
 * 100 ms and 64 MiB on purpose; it runs in a small bounded pool while the
 * connection is suspended, so a burst of logins never stalls other requests
 * or exhausts memory.
 *
 * A handler calls req_defer(r, fn, arg) and returns. The job runs fn(arg)
 * on a worker (fn must not touch r, the database or the response), then the
 * same route's handler is called again with r->defer_done set and arg
 * holding the job's results. */
#ifndef TROTH_DEFER_H
#define TROTH_DEFER_H

#include <pthread.h>
#include <stdbool.h>

#include "req.h"

typedef void (*defer_fn)(void *arg);

struct defer_pool;

/* How many workers the server starts beside `serving_threads` serving
 * threads: one fewer than the serving threads (one core is always left to
 * pages), at least 1, at most 4. Each worker holds one password hash of
 * 64 MiB at a time, so the pool's peak is at most that many times 64 MiB. */
unsigned defer_pool_size(unsigned serving_threads);

/* A pool of `workers` threads with room for `queue` waiting jobs. */
struct defer_pool *defer_pool_new(unsigned workers, unsigned queue);
/* The same, with the workers at the low CPU priority (nice 10,
 * SCHED_BATCH on Linux), so the jobs (password hashing) mostly use CPU time
 * the serving threads leave over, and still finish when the machine is
 * busy. */
struct defer_pool *defer_pool_new_background(unsigned workers, unsigned queue);
/* Finishes queued jobs, then stops the workers; from then on
 * defer_submit refuses. The pool stays allocated, so a late submit is
 * safe. Calling it again does nothing. */
void defer_pool_stop(struct defer_pool *p);
/* Stops the pool (defer_pool_stop) and frees it. */
void defer_pool_free(struct defer_pool *p);

/* Asks for fn(arg) to run before the handler is called again. Returns 0;
 * when the pool is full the server answers 503 with Retry-After itself. */
int req_defer(struct req *r, defer_fn fn, void *arg);

/* Asks to be called again after `ms` milliseconds, with nothing run in
 * between: for a request that must wait its turn (a login while this
 * address has as many password checks running as it may). The handler
 * returns without answering; it is called again with r->waited_ms grown by
 * ms and r->defer_done false. The connection is held meanwhile, costing no
 * CPU. When the server is stopping (or the timer is full) the server
 * answers 503 with Retry-After itself. */
void req_wait(struct req *r, unsigned ms);

/* The timer that holds waiting requests: one thread, which calls each
 * entry's `done(ctx)` once its time has come. */
struct defer_timer;
/* A timer with room for `cap` waiting entries. */
struct defer_timer *defer_timer_new(unsigned cap);
/* Calls done(ctx) on the timer's thread after ms milliseconds. Returns 0,
 * or -1 when the timer is full or stopped (nothing will be called). */
int defer_timer_add(struct defer_timer *t, unsigned ms, void (*done)(void *ctx), void *ctx);
/* Makes every waiting entry due now (each is called at once): for when
 * what they wait for may have come (a password check has ended). NULL
 * does nothing. */
void defer_timer_wake_all(struct defer_timer *t);
/* Calls every waiting entry's done now, then stops the thread; from then
 * on defer_timer_add refuses. Calling it again does nothing. */
void defer_timer_stop(struct defer_timer *t);
/* Stops the timer (defer_timer_stop) and frees it. */
void defer_timer_free(struct defer_timer *t);

/* For the server: submit a deferred request's job. `done` is called on the
 * worker after fn, with ctx. Returns 0 or -1 when full. */
int defer_submit(struct defer_pool *p, defer_fn fn, void *arg, void (*done)(void *ctx),
		 void *ctx);

/* Resets the response of a request about to be dispatched again. */
void req_reset_for_redispatch(struct req *r);

/* Sets *stop under lock and wakes every thread waiting on wake, so that
 * each sees it and ends. */
void threads_tell_stop(pthread_mutex_t *lock, pthread_cond_t *wake, bool *stop);

#endif
