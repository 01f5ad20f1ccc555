/* test_session.c: sessions end when they should: idle and absolute limits,
 * logout, ending one's other sessions; and only the owner ends one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
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

int main(void)
{
	vault_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(limits_end_sessions),
		cmocka_unit_test(held_keys_outlive_a_replacement),
		cmocka_unit_test(only_the_owner_ends_a_session),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
