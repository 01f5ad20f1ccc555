/* test_session.c: sessions end when they should: idle and absolute limits,
 * logout, ending one's other sessions, an account's oldest past the cap,
 * and expired ones nobody looks up again; only the owner ends one; and
 * each of many thousands is found by its own token. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/session.h"
#include "auth/vault.h"

static void limits_end_sessions(void **state)
{
	(void)state;
	char tok[SESSION_TOKEN_CHARS + 1];
	unsigned char key[32] = { 1 };
	/* within the limits: found, and the key is a copy */
	struct session_limits normal = { 30 * 60, 12 * 3600 };
	session_init(&normal);
	struct session *s = session_create(7, key, NULL, false, "phone", tok);
	session_put(s);
	s = session_find(tok);
	assert_non_null(s);
	assert_memory_equal(s->data_key, key, 32);
	session_put(s);
	/* an idle limit already passed: the session is gone */
	struct session_limits idle = { -1, 12 * 3600 };
	session_init(&idle);
	assert_null(session_find(tok));
	session_init(&normal);
	assert_null(session_find(tok)); /* ended, not merely hidden */
	/* the absolute limit too */
	s = session_create(7, key, NULL, false, "phone", tok);
	session_put(s);
	struct session_limits absolute = { 30 * 60, -1 };
	session_init(&absolute);
	assert_null(session_find(tok));
	session_init(&normal);
	session_shutdown();
}

/* A request that resolved its keys keeps them readable until it puts the
 * session back, even when another request of the same person replaces the
 * couple key or ends the session meanwhile (under ASan a freed key read
 * here is a report). */
static void held_keys_outlive_a_replacement(void **state)
{
	(void)state;
	char tok[SESSION_TOKEN_CHARS + 1];
	unsigned char data[32], old_ck[32], new_ck[32];
	memset(data, 3, sizeof(data));
	memset(old_ck, 4, sizeof(old_ck));
	memset(new_ck, 5, sizeof(new_ck));
	struct session *s = session_create(9, data, old_ck, false, "phone", tok);
	session_put(s);
	struct session *held = session_find(tok); /* request one */
	assert_non_null(held);
	const unsigned char *in_use = held->couple_key;
	session_set_couple_key(9, new_ck); /* request two: a new couple key */
	assert_memory_equal(in_use, old_ck, 32);
	struct session *again = session_find(tok);
	assert_non_null(again);
	assert_memory_equal(again->couple_key, new_ck, 32);
	session_put(again);
	const unsigned char *data_in_use = held->data_key;
	session_end(held); /* request two logs out */
	assert_memory_equal(data_in_use, data, 32);
	assert_memory_equal(in_use, old_ck, 32);
	assert_null(session_find(tok));
	session_put(held); /* request one ends: now everything is wiped */
	session_shutdown();
}

static void only_the_owner_ends_a_session(void **state)
{
	(void)state;
	char a1[SESSION_TOKEN_CHARS + 1], a2[SESSION_TOKEN_CHARS + 1], b1[SESSION_TOKEN_CHARS + 1];
	struct session *s1 = session_create(1, NULL, NULL, false, "a", a1);
	struct session *s2 = session_create(1, NULL, NULL, true, "a api", a2);
	struct session *t1 = session_create(2, NULL, NULL, false, "b", b1);
	long long id1 = s1->id, id2 = s2->id;
	session_put(s1);
	session_put(s2);
	session_put(t1);
	assert_int_equal(session_end_id(2, id1), -1); /* not B's to end */
	assert_non_null(s1 = session_find(a1));
	session_put(s1);
	assert_int_equal(session_end_user(1, id2), 1); /* all of A's but the API one */
	assert_null(session_find(a1));
	assert_non_null(s2 = session_find(a2));
	session_put(s2);
	assert_non_null(t1 = session_find(b1));
	session_put(t1);
	assert_null(session_find("short"));
	session_shutdown();
	assert_null(session_find(b1));
}

/* The 33rd login of one account ends its oldest session, and only that:
 * the others (and another account's) are still there, newest first. */
static void an_accounts_oldest_session_ends_past_the_cap(void **state)
{
	(void)state;
	char tok[SESSION_MAX_PER_USER + 1][SESSION_TOKEN_CHARS + 1], other[SESSION_TOKEN_CHARS + 1];
	unsigned char key[32] = { 7 };
	session_put(session_create(4, key, NULL, false, "another", other));
	long long first_id = 0;
	for (int i = 0; i <= SESSION_MAX_PER_USER; i++) {
		struct session *s = session_create(3, key, key, false, "phone", tok[i]);
		if (i == 0)
			first_id = s->id;
		session_put(s);
	}
	assert_null(session_find(tok[0]));
	for (int i = 1; i <= SESSION_MAX_PER_USER; i++) {
		struct session *s = session_find(tok[i]);
		assert_non_null(s);
		assert_memory_equal(s->couple_key, key, 32);
		session_put(s);
	}
	struct session list[64];
	size_t n = session_list(3, list, 64);
	assert_int_equal(n, SESSION_MAX_PER_USER);
	for (size_t i = 0; i < n; i++) {
		assert_true(list[i].id != first_id);
		if (i)
			assert_true(list[i].id < list[i - 1].id);
	}
	struct session *o = session_find(other);
	assert_non_null(o);
	session_put(o);
	session_shutdown();
}

static int ended;
static void count_ended(long long id)
{
	(void)id;
	ended++;
}

/* A session whose limits have passed is ended by the table's own sweep,
 * without anyone asking for it again: its end is heard, and it is not
 * found when the limits allow it again. */
static void expired_sessions_nobody_asks_for_are_ended(void **state)
{
	(void)state;
	char tok[SESSION_TOKEN_CHARS + 1], unknown[SESSION_TOKEN_CHARS + 1];
	unsigned char key[32] = { 9 };
	struct session_limits normal = { 30 * 60, 12 * 3600 }, idle = { -1, 12 * 3600 };
	session_init(&normal);
	session_put(session_create(11, key, NULL, false, "phone", tok));
	memset(unknown, 'x', SESSION_TOKEN_CHARS);
	unknown[SESSION_TOKEN_CHARS] = '\0';
	ended = 0;
	session_end_hook = count_ended;
	session_init(&idle);
	/* other people's requests (an unknown token here) */
	for (int i = 0; i < 20000 && !ended; i++)
		assert_null(session_find(unknown));
	session_init(&normal);
	session_end_hook = NULL;
	assert_int_equal(ended, 1);
	assert_null(session_find(tok));
	session_shutdown();
}

/* Five thousand sessions of a thousand accounts: each token finds its own
 * session, and ending one account's leaves every other one. */
static void many_sessions_each_found_by_its_own_token(void **state)
{
	(void)state;
	enum { N = 5000 };
	char (*tok)[SESSION_TOKEN_CHARS + 1] = calloc(N, sizeof(*tok));
	long long *ids = calloc(N, sizeof(*ids));
	for (int i = 0; i < N; i++) {
		struct session *s = session_create(1000 + i % 1000, NULL, NULL, true, "api", tok[i]);
		ids[i] = s->id;
		session_put(s);
	}
	assert_int_equal(session_end_user(1000 + 17, 0), N / 1000);
	for (int i = 0; i < N; i++) {
		struct session *s = session_find(tok[i]);
		if (i % 1000 == 17) {
			assert_null(s);
			continue;
		}
		assert_non_null(s);
		assert_int_equal(s->id, ids[i]);
		assert_int_equal(s->user_id, 1000 + i % 1000);
		session_put(s);
	}
	session_shutdown();
	for (int i = 0; i < N; i += 97)
		assert_null(session_find(tok[i]));
	free(tok);
	free(ids);
}

int main(void)
{
	vault_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(limits_end_sessions),
		cmocka_unit_test(held_keys_outlive_a_replacement),
		cmocka_unit_test(only_the_owner_ends_a_session),
		cmocka_unit_test(an_accounts_oldest_session_ends_past_the_cap),
		cmocka_unit_test(expired_sessions_nobody_asks_for_are_ended),
		cmocka_unit_test(many_sessions_each_found_by_its_own_token),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
