/* fuzz_form.c: libFuzzer target for the urlencoded form parser and
 * url_decode (src/http/form.c). The input is a request body or query.
 *
 * Beyond "no crash", it checks:
 *  - a parsed form has at most FORM_MAX_FIELDS fields, and every key and
 *    value is valid UTF-8 text (no NUL, no control character);
 *  - re-encoding the parsed fields and parsing again gives the same fields;
 *  - url_decode, in both '+' modes, agrees byte for byte with a naive
 *    reference decoder, and what it returns is valid UTF-8 text. */
#include <string.h>

#include "http/form.h"
#include "base/utf8.h"
#include "fuzz.h"

static int is_unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

static void encode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (is_unreserved(*p)) {
			buf_addch(b, (char)*p);
		} else if (*p == ' ') {
			buf_addch(b, '+');
		} else {
			buf_addch(b, '%');
			buf_addch(b, hex[*p >> 4]);
			buf_addch(b, hex[*p & 15]);
		}
	}
}

static void check_form(struct arena *a, const char *s, size_t n)
{
	struct kvlist form = { 0 };
	if (form_parse(a, s, n, &form) < 0)
		return;
	CHECK(form.n <= FORM_MAX_FIELDS);
	struct buf again = BUF_INIT;
	for (size_t i = 0; i < form.n; i++) {
		const char *k = form.v[i].key, *v = form.v[i].val;
		CHECK(k && v);
		CHECK(utf8_valid_text(k, strlen(k)));
		CHECK(utf8_valid_text(v, strlen(v)));
		CHECK(strlen(k) + strlen(v) <= n);
		if (i)
			buf_addch(&again, '&');
		encode(&again, k);
		buf_addch(&again, '=');
		encode(&again, v);
	}
	struct kvlist form2 = { 0 };
	CHECK(form_parse(a, again.s, again.len, &form2) == 0);
	CHECK(form2.n == form.n);
	for (size_t i = 0; i < form.n; i++) {
		CHECK(!strcmp(form.v[i].key, form2.v[i].key));
		CHECK(!strcmp(form.v[i].val, form2.v[i].val));
	}
	buf_release(&again);
}

/* A second, deliberately naive decoder to compare url_decode against.
 * Returns the decoded length, or -1 on a bad %-escape. */
static long ref_decode(const char *s, size_t n, int plus_space, char *out)
{
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			char hx[3] = { 0, 0, 0 };
			if (n - i < 3)
				return -1;
			hx[0] = s[i + 1];
			hx[1] = s[i + 2];
			if (!strchr("0123456789abcdefABCDEF", hx[0]) || !hx[0] ||
			    !strchr("0123456789abcdefABCDEF", hx[1]) || !hx[1])
				return -1;
			out[j++] = (char)strtol(hx, NULL, 16);
			i += 2;
		} else if (s[i] == '+' && plus_space) {
			out[j++] = ' ';
		} else {
			out[j++] = s[i];
		}
	}
	return (long)j;
}

static void check_url_decode(struct arena *a, const char *s, size_t n)
{
	char *want = arena_alloc(a, n + 1);
	for (int plus = 0; plus <= 1; plus++) {
		char *got = url_decode(a, s, n, plus);
		long len = ref_decode(s, n, plus, want);
		int ok = len >= 0 && utf8_valid_text(want, (size_t)len);
		CHECK(!got == !ok);
		if (!got)
			continue;
		CHECK(strlen(got) == (size_t)len);
		CHECK(!memcmp(got, want, (size_t)len));
		CHECK(utf8_valid_text(got, strlen(got)));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	const char *s = (const char *)data;
	check_form(&a, s, size);
	check_url_decode(&a, s, size);
	arena_release(&a);
	return 0;
}
