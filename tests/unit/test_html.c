/* test_html.c: the HTML writer escapes every %s, in text and attribute
 * context, against a corpus of XSS payloads (tests/data/xss.txt). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/html.h"

#ifndef TEST_DATA_DIR
#define TEST_DATA_DIR "tests/data"
#endif

/* No byte of the output may open a tag or end an attribute value. */
static void assert_inert(const char *out, const char *payload_part)
{
	(void)payload_part;
	assert_null(strchr(out, '<'));
	assert_null(strchr(out, '>'));
	assert_null(strchr(out, '"'));
	assert_null(strchr(out, '\''));
}

static void payloads_are_escaped(void **state)
{
	(void)state;
	FILE *f = fopen(TEST_DATA_DIR "/xss.txt", "r");
	char line[1024];
	int count = 0;
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		struct buf b = BUF_INIT;
		html(&b, "%s", line);
		assert_inert(b.s, line);
		buf_reset(&b);
		html(&b, "%.*s", (int)strlen(line), line);
		assert_inert(b.s, line);
		/* in an attribute the value cannot break out of its quotes */
		buf_reset(&b);
		html(&b, "<input value=\"%s\">", line);
		assert_int_equal(strchr(b.s + 14, '"') - b.s, (long)b.len - 2);
		buf_release(&b);
		count++;
	}
	fclose(f);
	assert_true(count >= 15);
}

static void escaping_is_exact(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	html(&b, "<p class=\"x\">%s</p>", "Tom & \"Jo\" <3 'us'");
	assert_string_equal(b.s, "<p class=\"x\">Tom &amp; &quot;Jo&quot; &lt;3 &#39;us&#39;</p>");
	buf_reset(&b);
	const char *nothing = getenv("TROTH_TEST_UNSET_VARIABLE");
	html(&b, "%d %u %ld %lld %zu %x %% %s|", -3, 4u, 5L, 6LL, (size_t)7, 255u, nothing);
	assert_string_equal(b.s, "-3 4 5 6 7 ff % |");
	buf_reset(&b);
	html(&b, "%.*s|", 3, "abcdef");
	assert_string_equal(b.s, "abc|");
	buf_reset(&b);
	html_unsafe_raw(&b, "<svg></svg>");
	assert_string_equal(b.s, "<svg></svg>");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(payloads_are_escaped),
		cmocka_unit_test(escaping_is_exact),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
