/* fuzz_cookie.c: libFuzzer target for the Cookie header parser cookie_parse
 * (src/http/form.c). The input, cut at its first NUL as a header would be,
 * is the header's value.
 *
 * Beyond "no crash", it checks: the count returned is the number of pairs
 * added and at most 64; every name is a non-empty RFC 6265 token; every
 * value is printable ASCII without '"', ',', ';', '\\' or space; each name
 * and value appears in the header as sent. */
#include <string.h>

#include "http/form.h"
#include "fuzz.h"

static int is_token(const char *s)
{
	if (!*s)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || strchr("()<>@,;:\\\"/[]?={}", *p))
			return 0;
	return 1;
}

static int is_cookie_value(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || *p == '"' || *p == ',' || *p == ';' || *p == '\\')
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *h = malloc(size + 1);
	if (!h)
		abort();
	memcpy(h, data, size);
	h[size] = '\0';

	struct arena a = ARENA_INIT;
	struct kvlist jar = { 0 };
	/* a header already in the jar: the parser must only append */
	kv_add(&a, &jar, "pre", "existing");
	int n = cookie_parse(&a, h, &jar);
	CHECK(n >= 0 && n <= 64);
	CHECK(jar.n == (size_t)n + 1);
	CHECK(!strcmp(jar.v[0].key, "pre") && !strcmp(jar.v[0].val, "existing"));
	for (size_t i = 1; i < jar.n; i++) {
		const char *k = jar.v[i].key, *v = jar.v[i].val;
		CHECK(k && v);
		CHECK(is_token(k));
		CHECK(is_cookie_value(v));
		CHECK(strstr(h, k) != NULL);
		CHECK(strstr(h, v) != NULL);
	}
	/* NULL and empty headers hold no cookies */
	CHECK(cookie_parse(&a, "", &jar) == 0);
	CHECK(cookie_parse(&a, NULL, &jar) == 0);

	arena_release(&a);
	free(h);
	return 0;
}
