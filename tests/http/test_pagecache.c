/* test_pagecache.c: the answers kept per session (http/pagecache.h). A
 * kept page or API read follows every new record at once, the partner's
 * too, while another couple's records leave it kept; a write for anyone
 * (a sign-up, the scheduler) ends every kept answer, and a viewer without
 * a couple keeps nothing past any write. The two partners never get each
 * other's, and logging out or ending a session drops what was kept for
 * it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiclient.h"
#include "browser.h"
#include "base/caltime.h"
#include "db/db.h"
#include "http/pagecache.h"

static void checkin(const char *tok, long weeks_ago, int conn)
{
	char wk[9];
	struct isoweek w;
	isoweek_of(couple_today() - 7 * weeks_ago, &w);
	isoweek_format(&w, wk);
	json_t *j;
	int st = api(&T, "POST", "/api/v1/checkins", tok, &j,
		     "{s:s, s:i, s:{s:i, s:i, s:i, s:i, s:i, s:i}}", "week", wk, "connection", conn,
		     "dimensions", "reliability", conn, "emotional_safety", conn, "honesty", conn,
		     "consistency", conn, "respect", conn, "transparency", conn);
	if (st != 201)
		fail_msg("check-in for %s: %d", wk, st);
	json_decref(j);
}

/* The first check-in of the viewer's list, as the API answers it. */
static json_t *first_checkin(const char *tok)
{
	json_t *j;
	assert_int_equal(api(&T, "GET", "/api/v1/checkins", tok, &j, NULL), 200);
	json_t *c = json_incref(json_array_get(json_object_get(j, "checkins"), 0));
	json_decref(j);
	return c;
}

static void a_kept_answer_follows_each_new_record(void **state)
{
	(void)state;
	assert_int_equal(api_count(&T, "/api/v1/checkins", F.a, "checkins"), 0);
	assert_true(pagecache_count() >= 1);
	assert_int_equal(api_count(&T, "/api/v1/checkins", F.a, "checkins"), 0);
	checkin(F.a, 1, 6);
	assert_int_equal(api_count(&T, "/api/v1/checkins", F.a, "checkins"), 1);
	checkin(F.a, 2, 7);
	assert_int_equal(api_count(&T, "/api/v1/checkins", F.a, "checkins"), 2);

	/* the pages too: the history shows the new week's score at once */
	struct browser ba = { 0 };
	b_login(&T, &ba, "ana");
	b_page_lacks(&T, &ba, "/checkins/history", "<td>9<span");
	b_page_lacks(&T, &ba, "/checkins/history", "<td>9<span");
	checkin(F.a, 3, 9);
	b_page_has(&T, &ba, "/checkins/history", 200, "<td>9<span", NULL);
}

/* How many check-ins tok's list holds, and whether the answer came from a
 * kept copy. */
static size_t count_checkins(const char *tok, bool *kept)
{
	unsigned long served = pagecache_served();
	size_t n = api_count(&T, "/api/v1/checkins", tok, "checkins");
	*kept = pagecache_served() != served;
	return n;
}

/* Reads tok's list twice: it holds n check-ins, and the second answer is
 * the kept copy of the first. */
static void read_twice_kept(const char *tok, size_t n)
{
	bool kept;
	assert_int_equal(count_checkins(tok, &kept), n);
	assert_int_equal(count_checkins(tok, &kept), n);
	assert_true(kept);
}

static void a_partners_record_ends_the_others_kept_answer(void **state)
{
	(void)state;
	bool kept;
	read_twice_kept(F.b, 0);
	checkin(F.a, 1, 6);
	/* ben sees that ana's week exists at once */
	assert_int_equal(count_checkins(F.b, &kept), 1);
	assert_false(kept);
	read_twice_kept(F.b, 1);
}

static void another_couples_record_leaves_a_kept_answer(void **state)
{
	(void)state;
	bool kept;
	checkin(F.a, 1, 6);
	read_twice_kept(F.a, 1);
	/* dan is in another couple: his records change nothing ana sees */
	checkin(F.d, 1, 4);
	checkin(F.d, 2, 5);
	assert_int_equal(count_checkins(F.d, &kept), 2);
	assert_int_equal(count_checkins(F.a, &kept), 1);
	assert_true(kept);
	/* and ana's own next record is there at once */
	checkin(F.a, 2, 7);
	assert_int_equal(count_checkins(F.a, &kept), 2);
	assert_false(kept);
}

static int insert_nothing_much(sqlite3 *w, void *arg)
{
	(void)arg;
	return db_run(w, "CREATE TABLE IF NOT EXISTS scratch(x)", "") == SQLITE_OK
		       ? db_run(w, "INSERT INTO scratch(x) VALUES(1)", "")
		       : SQLITE_ERROR;
}

static void a_write_for_anyone_ends_every_kept_answer(void **state)
{
	(void)state;
	bool kept;
	read_twice_kept(F.a, 0);
	/* the operator (in no couple) makes a sign-up code: a write no couple's
	 * viewer can rule out */
	json_t *j;
	assert_int_equal(api(&T, "POST", "/api/v1/signup-codes", F.op, &j, NULL), 201);
	json_decref(j);
	assert_int_equal(count_checkins(F.a, &kept), 0);
	assert_false(kept);
	read_twice_kept(F.a, 0);
	/* a write from outside any request (the scheduler's kind) is for anyone */
	assert_int_equal(db_write(&T.app.db, insert_nothing_much, NULL), SQLITE_OK);
	assert_int_equal(count_checkins(F.a, &kept), 0);
	assert_false(kept);
}

static void a_viewer_without_a_couple_keeps_nothing_past_any_write(void **state)
{
	(void)state;
	struct browser bo = { 0 };
	b_login(&T, &bo, "opr");
	b_page_has(&T, &bo, "/", 200, "Start or join a couple", NULL);
	unsigned long served = pagecache_served();
	b_page_has(&T, &bo, "/", 200, "Start or join a couple", NULL);
	assert_int_equal(pagecache_served(), served + 1);
	/* a couple the operator is not in writes: the operator's home is made again */
	checkin(F.d, 1, 4);
	b_page_has(&T, &bo, "/", 200, "Start or join a couple", NULL);
	assert_int_equal(pagecache_served(), served + 1);
}

/* Readers and writers at once, as the server's threads run them: ben's
 * list read again and again (so answers are kept while ana writes), dan's
 * couple writing journal entries without a pause, and after each of ana's
 * check-ins is acknowledged, ben's next read must hold it. */
struct race {
	atomic_bool stop;
	atomic_long reads, noise, errors;
};

static void *race_reader(void *p)
{
	struct race *x = p;
	while (!atomic_load(&x->stop)) {
		json_t *j = NULL;
		const char *tok = atomic_load(&x->reads) % 2 ? F.a : F.b;
		if (api(&T, "GET", "/api/v1/checkins", tok, &j, NULL) != 200)
			atomic_fetch_add(&x->errors, 1);
		json_decref(j);
		atomic_fetch_add(&x->reads, 1);
	}
	return NULL;
}

static void *race_noise(void *p)
{
	struct race *x = p;
	while (!atomic_load(&x->stop)) {
		json_t *j = NULL;
		if (api(&T, "POST", "/api/v1/journal", F.d, &j, "{s:s}", "text", "Dan writes meanwhile.") != 201)
			atomic_fetch_add(&x->errors, 1);
		json_decref(j);
		atomic_fetch_add(&x->noise, 1);
	}
	return NULL;
}

static void a_kept_answer_is_never_older_than_an_acknowledged_write(void **state)
{
	(void)state;
	struct race x = { 0 };
	pthread_t rd[2], no;
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&rd[i], NULL, race_reader, &x), 0);
	assert_int_equal(pthread_create(&no, NULL, race_noise, &x), 0);
	size_t stale = 0;
	/* the weeks the list shows by default: this one and the 11 before */
	enum { WEEKS = 11 };
	for (int w = 1; w <= WEEKS; w++) {
		checkin(F.a, w, 5);
		for (int k = 0; k < 2; k++) {
			json_t *j = NULL;
			assert_int_equal(api(&T, "GET", "/api/v1/checkins", k ? F.a : F.b, &j, NULL), 200);
			stale += json_array_size(json_object_get(j, "checkins")) != (size_t)w;
			json_decref(j);
		}
	}
	atomic_store(&x.stop, true);
	for (int i = 0; i < 2; i++)
		pthread_join(rd[i], NULL);
	pthread_join(no, NULL);
	assert_int_equal(stale, 0);
	assert_int_equal(atomic_load(&x.errors), 0);
	/* the race was run: reads and other writes happened all along */
	assert_true(atomic_load(&x.reads) > WEEKS);
	assert_true(atomic_load(&x.noise) > 0);
}

static void partners_never_get_each_others(void **state)
{
	(void)state;
	checkin(F.a, 1, 6);
	for (int i = 0; i < 2; i++) {
		json_t *mine = first_checkin(F.a), *theirs = first_checkin(F.b);
		assert_string_equal(json_string_value(json_object_get(mine, "author")), "me");
		assert_int_equal(json_integer_value(json_object_get(mine, "connection")), 6);
		/* ben has not done that week: he sees that it exists, not what it says */
		assert_string_equal(json_string_value(json_object_get(theirs, "author")), "partner");
		assert_null(json_object_get(theirs, "connection"));
		json_decref(mine);
		json_decref(theirs);
	}
}

static void logging_out_drops_what_was_kept(void **state)
{
	(void)state;
	pagecache_forget();
	assert_int_equal(api_count(&T, "/api/v1/checkins", F.a, "checkins"), 0);
	assert_int_equal(api_count(&T, "/api/v1/checkins", F.b, "checkins"), 0);
	assert_int_equal(pagecache_count(), 2);
	assert_int_equal(api(&T, "DELETE", "/api/v1/sessions/current", F.a, NULL, NULL), 204);
	/* ana's answer is gone, ben's stays */
	assert_int_equal(pagecache_count(), 1);
	assert_int_equal(api(&T, "GET", "/api/v1/checkins", F.a, NULL, NULL), 401);

	/* ending one's other sessions drops what they kept too */
	char tok[128];
	api_login_as(&T, "ben", TEST_PASSWORD, tok, sizeof(tok));
	assert_int_equal(api_count(&T, "/api/v1/checkins", F.b, "checkins"), 0);
	assert_int_equal(api_count(&T, "/api/v1/checkins", tok, "checkins"), 0);
	assert_int_equal(pagecache_count(), 2);
	assert_int_equal(api(&T, "POST", "/api/v1/sessions/end-others", tok, NULL, NULL), 200);
	assert_int_equal(pagecache_count(), 1);
	assert_int_equal(api(&T, "GET", "/api/v1/checkins", F.b, NULL, NULL), 401);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_kept_answer_follows_each_new_record, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(a_partners_record_ends_the_others_kept_answer, couple_setup,
						couple_teardown),
		cmocka_unit_test_setup_teardown(another_couples_record_leaves_a_kept_answer, couple_setup,
						couple_teardown),
		cmocka_unit_test_setup_teardown(a_write_for_anyone_ends_every_kept_answer, couple_setup,
						couple_teardown),
		cmocka_unit_test_setup_teardown(a_viewer_without_a_couple_keeps_nothing_past_any_write,
						couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(a_kept_answer_is_never_older_than_an_acknowledged_write, couple_setup,
						couple_teardown),
		cmocka_unit_test_setup_teardown(partners_never_get_each_others, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(logging_out_drops_what_was_kept, couple_setup, couple_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
