/* test_jsonout.c: json_write writes what jansson's json_dumps(JSON_COMPACT)
 * writes, byte for byte, for every kind of value the API answers with:
 * integers at their limits, reals whole and not (scores, means, rounded
 * figures, tiny and huge ones), strings with every byte that needs an
 * escape and text beyond ASCII, and objects in the order their keys were
 * set; and it refuses what json_dumps refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "http/jsonout.h"

/* Fails unless json_write(j) and json_dumps(j, JSON_COMPACT) agree. */
static void same(json_t *j)
{
	char *want = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	assert_non_null(want);
	struct buf b = BUF_INIT;
	assert_int_equal(json_write(&b, j), 0);
	assert_string_equal(b.s, want);
	assert_int_equal(b.len, strlen(want));
	buf_release(&b);
	free(want);
	json_decref(j);
}

static void integers_and_literals(void **state)
{
	(void)state;
	static const long long v[] = { 0, 1, -1, 9, 10, 99, 100, 12345, -98765, 1LL << 53, LLONG_MAX, LLONG_MIN };
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		same(json_integer(v[i]));
	same(json_null());
	same(json_true());
	same(json_false());
}

static void reals_whole_and_not(void **state)
{
	(void)state;
	static const double v[] = {
		0.0, -0.0, 1.0, 7.0, 10.0, -3.0, 0.5, 0.35, 6.25, 6.333333333333333, 2.0 / 3.0, -0.1, 100.5,
		1e-7, 1.5e-300, 5e-324, 1e15, 1e15 - 1, 999999999999999.0, 1e16, 1e17, 1e21, 1.7976931348623157e308,
		-2.5e22, 123456.789, 4.35, 0.01, 0.3,
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		same(json_real(v[i]));
	/* many more, over every magnitude, from a fixed seed */
	unsigned long long x = 0x9E3779B97F4A7C15ULL;
	for (int i = 0; i < 20000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		double d = ldexp((double)(x >> 11), (int)(x % 120) - 100) * ((x & 1) ? -1 : 1);
		same(json_real(d));
		same(json_real(floor(d)));
		same(json_real((double)(long long)(d * 100 + 0.5) / 100));
	}
}

static void strings_with_every_escape(void **state)
{
	(void)state;
	char all[128];
	for (int i = 0; i < 128; i++)
		all[i] = (char)i; /* NUL and every control character, quotes, backslash, slash */
	same(json_stringn(all, sizeof(all)));
	same(json_string(""));
	same(json_string("plain words"));
	same(json_string("caf\xC3\xA9, \xE2\x80\x9Cquoted\xE2\x80\x9D, \xF0\x9F\x8C\xB1 and \x7F"));
	same(json_string("\"</script>\\n\" \t\r\n\b\f"));
}

static void arrays_and_objects_in_their_order(void **state)
{
	(void)state;
	same(json_array());
	same(json_object());
	json_t *o = json_object();
	static const char *const keys[] = { "zeta", "alpha", "mid", "a\"b", "\xC3\xA9t\xC3\xA9", "" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		json_object_set_new(o, keys[i], json_integer((json_int_t)i));
	json_object_set_new(o, "alpha", json_string("set again"));
	json_object_del(o, "mid");
	json_t *a = json_pack("[i, f, s, n, b, [], {}]", 1, 2.5, "x", 1);
	json_array_append_new(a, json_pack("{s:f, s:[f, f]}", "value", 6.0, "pair", 0.35, 7.25));
	json_object_set_new(o, "list", a);
	same(o);
}

static void refuses_what_jansson_refuses(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_adds(&b, "kept");
	json_t *bad = json_pack("[s]", "ok");
	json_array_append_new(bad, json_string_nocheck("\xC3("));
	assert_int_equal(json_write(&b, bad), -1);
	assert_null(json_dumps(bad, JSON_COMPACT));
	assert_string_equal(b.s, "kept");
	json_decref(bad);
	assert_int_equal(json_write(&b, NULL), -1);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(integers_and_literals),
		cmocka_unit_test(reals_whole_and_not),
		cmocka_unit_test(strings_with_every_escape),
		cmocka_unit_test(arrays_and_objects_in_their_order),
		cmocka_unit_test(refuses_what_jansson_refuses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
