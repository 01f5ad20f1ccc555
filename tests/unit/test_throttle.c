/* test_throttle.c: checks waiting their turn (auth/throttle.h). A place
 * that frees goes to the check that has waited longest, a new one waits
 * behind, two places go to the two oldest, and a turn that went away or
 * left stops holding the line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "auth/throttle.h"

/* Many failures free, one or two checks at once. */
static const struct throttle_rule ONE = { 1000, 0, 1, 1 };
static const struct throttle_rule TWO = { 1000, 0, 1, 2 };

static int reset(void **state)
{
	(void)state;
	throttle_reset();
	return 0;
}

static void the_longest_waiting_goes_first(void **state)
{
	(void)state;
	time_t now = throttle_now();
	assert_int_equal(throttle_begin("k", &ONE, now), 0);
	unsigned long b = throttle_ticket(), c = throttle_ticket();
	assert_int_equal(throttle_begin_turn("k", &ONE, now, b), THROTTLE_BUSY);
	assert_int_equal(throttle_begin_turn("k", &ONE, now, c), THROTTLE_BUSY);
	throttle_settle("k", true, now);
	/* c asks first, but b has waited longer */
	assert_int_equal(throttle_begin_turn("k", &ONE, now, c), THROTTLE_BUSY);
	assert_int_equal(throttle_begin_turn("k", &ONE, now, b), 0);
	/* a new check waits behind c */
	unsigned long d = throttle_ticket();
	assert_int_equal(throttle_begin_turn("k", &ONE, now, d), THROTTLE_BUSY);
	throttle_settle("k", true, now);
	assert_int_equal(throttle_begin_turn("k", &ONE, now, d), THROTTLE_BUSY);
	assert_int_equal(throttle_begin_turn("k", &ONE, now, c), 0);
	throttle_settle("k", true, now);
	assert_int_equal(throttle_begin_turn("k", &ONE, now, d), 0);
	/* and one without a ticket waits behind every ticket */
	throttle_settle("k", true, now);
	unsigned long e = throttle_ticket();
	assert_int_equal(throttle_begin("k", &ONE, now), 0);
	assert_int_equal(throttle_begin_turn("k", &ONE, now, e), THROTTLE_BUSY);
	throttle_settle("k", true, now);
	assert_int_equal(throttle_begin("k", &ONE, now), THROTTLE_BUSY);
	assert_int_equal(throttle_begin_turn("k", &ONE, now, e), 0);
}

static void two_places_go_to_the_two_oldest(void **state)
{
	(void)state;
	time_t now = throttle_now();
	assert_int_equal(throttle_begin("k", &TWO, now), 0);
	assert_int_equal(throttle_begin("k", &TWO, now), 0);
	unsigned long t1 = throttle_ticket(), t2 = throttle_ticket(), t3 = throttle_ticket();
	assert_int_equal(throttle_begin_turn("k", &TWO, now, t1), THROTTLE_BUSY);
	assert_int_equal(throttle_begin_turn("k", &TWO, now, t2), THROTTLE_BUSY);
	assert_int_equal(throttle_begin_turn("k", &TWO, now, t3), THROTTLE_BUSY);
	throttle_settle("k", true, now);
	throttle_settle("k", true, now);
	assert_int_equal(throttle_begin_turn("k", &TWO, now, t3), THROTTLE_BUSY);
	assert_int_equal(throttle_begin_turn("k", &TWO, now, t2), 0);
	assert_int_equal(throttle_begin_turn("k", &TWO, now, t3), THROTTLE_BUSY);
	assert_int_equal(throttle_begin_turn("k", &TWO, now, t1), 0);
	assert_int_equal(throttle_begin_turn("k", &TWO, now, t3), THROTTLE_BUSY);
	/* another key has a line of its own */
	assert_int_equal(throttle_begin_turn("other", &TWO, now, t3), 0);
}

static void a_turn_that_left_or_went_away_holds_nothing(void **state)
{
	(void)state;
	time_t now = throttle_now();
	assert_int_equal(throttle_begin("k", &ONE, now), 0);
	unsigned long left = throttle_ticket(), next = throttle_ticket();
	assert_int_equal(throttle_begin_turn("k", &ONE, now, left), THROTTLE_BUSY);
	throttle_leave("k", left, now);
	throttle_settle("k", true, now);
	/* left gave up: the place is next's at once */
	assert_int_equal(throttle_begin_turn("k", &ONE, now, next), 0);
	throttle_settle("k", true, now);

	assert_int_equal(throttle_begin("k", &ONE, now), 0);
	unsigned long gone = throttle_ticket(), last = throttle_ticket();
	assert_int_equal(throttle_begin_turn("k", &ONE, now, gone), THROTTLE_BUSY);
	throttle_settle("k", true, now);
	assert_int_equal(throttle_begin_turn("k", &ONE, now, last), THROTTLE_BUSY);
	/* gone has not asked again for 3 seconds: it counts no more */
	throttle_advance(3);
	now = throttle_now();
	assert_int_equal(throttle_begin_turn("k", &ONE, now, last), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(the_longest_waiting_goes_first, reset),
		cmocka_unit_test_setup(two_places_go_to_the_two_oldest, reset),
		cmocka_unit_test_setup(a_turn_that_left_or_went_away_holds_nothing, reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
