/* test_defer.c: the password-hashing pool runs its jobs on threads below
 * every ordinary thread (other pools, such as the writes', do not), and is
 * sized to leave a core to the pages. */
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

static void jobs_run_at_the_lowest_priority(void **state)
{
	(void)state;
	struct seen s = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, -1, 0, false };
	int caller_nice = getpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid));
	struct defer_pool *p = defer_pool_new_background(1, 4);
	assert_int_equal(defer_submit(p, record_policy, &s, mark_done, &s), 0);
	pthread_mutex_lock(&s.lock);
	while (!s.finished)
		pthread_cond_wait(&s.done, &s.lock);
	pthread_mutex_unlock(&s.lock);
	defer_pool_free(p);
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
	struct defer_pool *p = defer_pool_new(1, 4);
	assert_int_equal(defer_submit(p, record_policy, &s, mark_done, &s), 0);
	pthread_mutex_lock(&s.lock);
	while (!s.finished)
		pthread_cond_wait(&s.done, &s.lock);
	pthread_mutex_unlock(&s.lock);
	defer_pool_free(p);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(jobs_run_at_the_lowest_priority),
		cmocka_unit_test(other_pools_keep_the_callers_priority),
		cmocka_unit_test(pool_leaves_a_core_to_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
