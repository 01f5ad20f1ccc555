/* test_base.c: the string buffer, the arena and UTF-8 validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/utf8.h"

static void buf_starts_empty_and_terminated(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_non_null(b.s);
	assert_string_equal(b.s, "");
	assert_int_equal(b.len, 0);
	buf_release(&b);
	assert_non_null(b.s);
}

static void buf_grows_and_formats(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	for (int i = 0; i < 1000; i++)
		buf_addf(&b, "%d,", i);
	assert_int_equal(b.len, strlen(b.s));
	assert_memory_equal(b.s, "0,1,2,", 6);
	assert_non_null(strstr(b.s, "999,"));
	buf_setlen(&b, 2);
	assert_string_equal(b.s, "0,");
	buf_add(&b, "a\0b", 3);
	assert_int_equal(b.len, 5);
	assert_int_equal(b.s[5], '\0');
	size_t len;
	char *s = buf_detach(&b, &len);
	assert_int_equal(len, 5);
	assert_string_equal(b.s, "");
	free(s);
	buf_release(&b);
}

static void arena_allocates_aligned_zeroed_memory(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	for (int i = 1; i < 3000; i += 7) {
		unsigned char *p = arena_alloc(&a, (size_t)i);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		for (int k = 0; k < i; k++)
			assert_int_equal(p[k], 0);
		memset(p, 0xAB, (size_t)i);
	}
	char *big = arena_alloc(&a, 100000);
	big[99999] = 1;
	assert_string_equal(arena_printf(&a, "%s-%d", "x", 42), "x-42");
	assert_string_equal(arena_strndup(&a, "hello", 3), "hel");
	arena_release(&a);
	assert_null(a.head);
}

static void arena_arrays_grow_and_keep_their_contents(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	long *v = NULL;
	size_t n = 0, cap = 0;
	for (long i = 0; i < 1000; i++) {
		long *before = v;
		v = arena_grow(&a, v, n, &cap, sizeof(*v));
		assert_true(cap > n);
		if (n < 16 && n > 0)
			assert_ptr_equal(v, before); /* room left: no copy */
		v[n++] = i * 3;
	}
	for (long i = 0; i < 1000; i++)
		assert_int_equal(v[i], i * 3);
	assert_true(cap >= 1000 && cap < 2048);
	arena_release(&a);
}

static void utf8_accepts_valid_and_rejects_malformed(void **state)
{
	(void)state;
	const char *good[] = { "", "plain", "caf\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x92\x9B",
			       "\xEF\xBF\xBF", "\xF4\x8F\xBF\xBF" };
	const char *bad[] = { "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
			      "\xF8\x88\x80\x80\x80", "\x80", "\xC3", "\xE2\x82", "\xFF" };
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++)
		assert_true(utf8_valid(good[i], strlen(good[i])));
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_false(utf8_valid(bad[i], strlen(bad[i])));
	assert_true(utf8_valid_text("line\nnext\ttab", 13));
	assert_false(utf8_valid_text("nul\0inside", 10));
	assert_false(utf8_valid_text("bell\a", 5));
	assert_int_equal(utf8_count("caf\xC3\xA9 \xF0\x9F\x92\x9B", 10), 6);
}

/* --public-url takes an http(s) origin with an optional path prefix and
 * nothing that could smuggle another host or a query into our links. */
static void public_urls_are_checked(void **state)
{
	(void)state;
	struct app_config cfg;
	struct arena a = { 0 };
	app_config_defaults(&cfg);
	assert_string_equal(app_url(&a, &cfg, "/x"), "http://127.0.0.1:8080/x");
	const char *good[][2] = {
		{ "https://example.org:8443/", "https://example.org:8443" },
		{ "http://example.org", "http://example.org" },
		{ "https://troth.example.org/us/", "https://troth.example.org/us" },
		{ "http://[::1]:8080/", "http://[::1]:8080" },
		{ "http://192.0.2.1/a/b", "http://192.0.2.1/a/b" },
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(app_set_public_url(&cfg, good[i][0]), 0);
		assert_string_equal(cfg.public_url, good[i][1]);
	}
	assert_string_equal(app_url(&a, &cfg, "/x"), "http://192.0.2.1/a/b/x");
	const char *bad[] = { "", "example.org", "ftp://example.org/", "https://", "https:///x",
			      "https://user@example.org/", "https://example.org:0/",
			      "https://example.org:65536/", "https://example.org:/",
			      "https://example.org/?q=1", "https://example.org/#x",
			      "https://example.org/a/../b", "https://example.org/..",
			      "https://example.org//x", "https://exa mple.org/", "https://-x.org/",
			      "https://example.org:8443x/", "https://[nothex]/", "https://a..b/",
			      "https://example.org/%2e%2e", "HTTPS://example.org/" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (app_set_public_url(&cfg, bad[i]) == 0)
			fail_msg("'%s' was taken as a public URL", bad[i]);
	}
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(public_urls_are_checked),
		cmocka_unit_test(buf_starts_empty_and_terminated),
		cmocka_unit_test(buf_grows_and_formats),
		cmocka_unit_test(arena_allocates_aligned_zeroed_memory),
		cmocka_unit_test(arena_arrays_grow_and_keep_their_contents),
		cmocka_unit_test(utf8_accepts_valid_and_rejects_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
