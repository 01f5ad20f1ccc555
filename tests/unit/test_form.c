/* test_form.c: urlencoded forms, percent-decoding and cookies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "http/form.h"

static void form_decodes_fields(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct kvlist l = { 0 };
	const char *s = "name=Sam+Lee&note=caf%C3%A9+%26+tea&empty=&flag&x=1%3D2";
	assert_int_equal(form_parse(&a, s, strlen(s), &l), 0);
	assert_int_equal(l.n, 5);
	assert_string_equal(kv_get(&l, "name"), "Sam Lee");
	assert_string_equal(kv_get(&l, "note"), "caf\xC3\xA9 & tea");
	assert_string_equal(kv_get(&l, "empty"), "");
	assert_string_equal(kv_get(&l, "flag"), "");
	assert_string_equal(kv_get(&l, "x"), "1=2");
	assert_null(kv_get(&l, "missing"));
	arena_release(&a);
}

static void form_rejects_hostile_input(void **state)
{
	(void)state;
	const char *bad[] = { "a=%", "a=%4", "a=%zz", "a=%00", "a=%C3", "a=%FF%FE", "%C0%AF=1",
			      "a=%07" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct arena a = ARENA_INIT;
		struct kvlist l = { 0 };
		assert_int_equal(form_parse(&a, bad[i], strlen(bad[i]), &l), -1);
		arena_release(&a);
	}
	/* too many fields */
	struct buf b = BUF_INIT;
	for (int i = 0; i < FORM_MAX_FIELDS + 1; i++)
		buf_addf(&b, "f%d=1&", i);
	struct arena a = ARENA_INIT;
	struct kvlist l = { 0 };
	assert_int_equal(form_parse(&a, b.s, b.len, &l), -1);
	arena_release(&a);
	buf_release(&b);
}

static void cookies_parse_and_skip_junk(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct kvlist l = { 0 };
	int n = cookie_parse(&a, "troth=abc123; theme=\"dark\";; bad cookie=x; =novalue; last=1", &l);
	assert_int_equal(n, 3);
	assert_string_equal(kv_get(&l, "troth"), "abc123");
	assert_string_equal(kv_get(&l, "theme"), "dark");
	assert_string_equal(kv_get(&l, "last"), "1");
	assert_null(kv_get(&l, "bad cookie"));
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(form_decodes_fields),
		cmocka_unit_test(form_rejects_hostile_input),
		cmocka_unit_test(cookies_parse_and_skip_junk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
