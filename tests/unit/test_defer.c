/* test_defer.c: the password-hashing pool runs its jobs on threads below
 * every ordinary thread (other pools, such as the writes', do not), and is
 * sized to leave a core to the pages; the timer that holds waiting
 * requests calls each back in the order of their times, never early, and
 * at once when it stops. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <errno.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "http/defer.h"

struct seen {
	pthread_mutex_t lock;
	pthread_cond_t done;
	int policy, nice;
	bool finished;
};

static void record_policy(void *arg)
{
	struct seen *s = arg;
	s->policy = sched_getscheduler(0);
	errno = 0;
	s->nice = getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
}

static void mark_done(void *ctx)
{
	struct seen *s = ctx;
	pthread_mutex_lock(&s->lock);
	s->finished = true;
	pthread_cond_signal(&s->done);
	pthread_mutex_unlock(&s->lock);
}

/* Runs record_policy on one of p's workers, waits for it, frees p. */
static void run_one(struct defer_pool *p, struct seen *s)
{
	assert_int_equal(defer_submit(p, record_policy, s, mark_done, s), 0);
	pthread_mutex_lock(&s->lock);
	while (!s->finished)
		pthread_cond_wait(&s->done, &s->lock);
	pthread_mutex_unlock(&s->lock);
	defer_pool_free(p);
}

static void jobs_run_at_the_lowest_priority(void **state)
{
	(void)state;
	struct seen s = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, -1, 0, false };
	int caller_nice = getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
	run_one(defer_pool_new_background(1, 4), &s);
	assert_int_equal(s.policy, SCHED_BATCH);
	assert_int_equal(s.nice, 10);
	/* the caller's own thread is left as it was */
	assert_int_equal(sched_getscheduler(0), SCHED_OTHER);
	assert_int_equal(getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid)), caller_nice);
}

static void other_pools_keep_the_callers_priority(void **state)
{
	(void)state;
	int caller_nice = getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
	struct seen s = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, -1, 0, false };
	run_one(defer_pool_new(1, 4), &s);
	assert_int_equal(s.policy, SCHED_OTHER);
	assert_int_equal(s.nice, caller_nice);
}

static void pool_leaves_a_core_to_pages(void **state)
{
	(void)state;
	assert_int_equal(defer_pool_size(1), 1);
	assert_int_equal(defer_pool_size(2), 1);
	assert_int_equal(defer_pool_size(4), 3);
	assert_int_equal(defer_pool_size(16), 4);
}

struct fired {
	pthread_mutex_t lock;
	pthread_cond_t more;
	int order[8];
	long long after_ms[8]; /* how long after the start each was called */
	int n;
	struct timespec start;
};

struct fire_ctx {
	struct fired *f;
	int id;
};

static long long ms_since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long long)(now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

static void fire(void *ctx)
{
	struct fire_ctx *c = ctx;
	pthread_mutex_lock(&c->f->lock);
	c->f->after_ms[c->f->n] = ms_since(&c->f->start);
	c->f->order[c->f->n++] = c->id;
	pthread_cond_signal(&c->f->more);
	pthread_mutex_unlock(&c->f->lock);
}

static void wait_fired(struct fired *f, int n)
{
	pthread_mutex_lock(&f->lock);
	while (f->n < n)
		pthread_cond_wait(&f->more, &f->lock);
	pthread_mutex_unlock(&f->lock);
}

static void timer_calls_back_in_order_and_never_early(void **state)
{
	(void)state;
	struct fired f = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, { 0 }, { 0 }, 0, { 0, 0 } };
	struct fire_ctx c[4] = { { &f, 0 }, { &f, 1 }, { &f, 2 }, { &f, 3 } };
	const unsigned ms[4] = { 120, 30, 80, 30 };
	clock_gettime(CLOCK_MONOTONIC, &f.start);
	struct defer_timer *t = defer_timer_new(4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(defer_timer_add(t, ms[i], fire, &c[i]), 0);
	/* full: a fifth is refused, nothing of it is ever called */
	struct fire_ctx extra = { &f, 9 };
	assert_int_equal(defer_timer_add(t, 1, fire, &extra), -1);
	wait_fired(&f, 4);
	defer_timer_free(t);
	assert_int_equal(f.n, 4);
	/* the two of 30 ms in either order, then 80, then 120 */
	assert_true((f.order[0] == 1 && f.order[1] == 3) || (f.order[0] == 3 && f.order[1] == 1));
	assert_int_equal(f.order[2], 2);
	assert_int_equal(f.order[3], 0);
	for (int i = 0; i < 4; i++)
		assert_true(f.after_ms[i] >= (long long)ms[f.order[i]]);
}

/* Waking makes every waiting entry due at once; the timer goes on, and a
 * later entry waits its own time again. */
static void waking_calls_every_waiting_entry_now(void **state)
{
	(void)state;
	struct fired f = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, { 0 }, { 0 }, 0, { 0, 0 } };
	struct fire_ctx c[3] = { { &f, 0 }, { &f, 1 }, { &f, 2 } };
	clock_gettime(CLOCK_MONOTONIC, &f.start);
	struct defer_timer *t = defer_timer_new(8);
	assert_int_equal(defer_timer_add(t, 3600 * 1000, fire, &c[0]), 0);
	assert_int_equal(defer_timer_add(t, 3600 * 1000, fire, &c[1]), 0);
	defer_timer_wake_all(t);
	wait_fired(&f, 2); /* would wait an hour without the wake */
	assert_int_equal(defer_timer_add(t, 40, fire, &c[2]), 0);
	wait_fired(&f, 3);
	assert_true(f.after_ms[2] >= 40);
	defer_timer_wake_all(NULL);
	defer_timer_free(t);
	assert_int_equal(f.n, 3);
}

static void stopping_calls_every_waiting_entry_at_once(void **state)
{
	(void)state;
	struct fired f = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, { 0 }, { 0 }, 0, { 0, 0 } };
	struct fire_ctx c[3] = { { &f, 0 }, { &f, 1 }, { &f, 2 } };
	clock_gettime(CLOCK_MONOTONIC, &f.start);
	struct defer_timer *t = defer_timer_new(8);
	for (int i = 0; i < 3; i++)
		assert_int_equal(defer_timer_add(t, 3600 * 1000, fire, &c[i]), 0);
	defer_timer_stop(t);
	/* all three were called by the time it returned, their hour not passed */
	assert_int_equal(f.n, 3);
	/* stopped: refused, and stopping again does nothing */
	assert_int_equal(defer_timer_add(t, 1, fire, &c[0]), -1);
	defer_timer_stop(t);
	defer_timer_free(t);
	assert_int_equal(f.n, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(jobs_run_at_the_lowest_priority),
		cmocka_unit_test(other_pools_keep_the_callers_priority),
		cmocka_unit_test(pool_leaves_a_core_to_pages),
		cmocka_unit_test(timer_calls_back_in_order_and_never_early),
		cmocka_unit_test(waking_calls_every_waiting_entry_now),
		cmocka_unit_test(stopping_calls_every_waiting_entry_at_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
