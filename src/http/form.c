/* form.c: urlencoded form and Cookie header parsing (hostile input). */
#include "form.h"

#include <string.h>

#include "../base/utf8.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *url_decode(struct arena *a, const char *s, size_t n, int plus_space)
{
	char *out = arena_alloc(a, n + 1);
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			int hi, lo;
			if (i + 2 >= n)
				return NULL;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return NULL;
			out[j++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus_space) {
			out[j++] = ' ';
		} else {
			out[j++] = c;
		}
	}
	out[j] = '\0';
	if (!utf8_valid_text(out, j))
		return NULL;
	return out;
}

int form_parse(struct arena *a, const char *s, size_t n, struct kvlist *out)
{
	size_t i = 0, fields = 0;
	while (i < n) {
		size_t end = i;
		while (end < n && s[end] != '&')
			end++;
		if (end > i) {
			const char *eq = memchr(s + i, '=', end - i);
			size_t klen = eq ? (size_t)(eq - (s + i)) : end - i;
			char *k = url_decode(a, s + i, klen, 1);
			char *v = eq ? url_decode(a, eq + 1, (size_t)(s + end - eq - 1), 1)
				     : arena_strdup(a, "");
			if (!k || !v)
				return -1;
			if (++fields > FORM_MAX_FIELDS)
				return -1;
			kv_add(a, out, k, v);
		}
		i = end + 1;
	}
	return 0;
}

static int is_token_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !strchr("()<>@,;:\\\"/[]?={}", c);
}

int cookie_parse(struct arena *a, const char *h, struct kvlist *out)
{
	int count = 0;
	const char *p = h;
	while (p && *p) {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		if (!*p)
			break;
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		if (eq && eq > p) {
			size_t klen = (size_t)(eq - p);
			const char *v = eq + 1;
			size_t vlen = len - klen - 1;
			while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
				vlen--;
			if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
				v++;
				vlen -= 2;
			}
			int ok = 1;
			for (size_t i = 0; i < klen && ok; i++)
				ok = is_token_char((unsigned char)p[i]);
			for (size_t i = 0; i < vlen && ok; i++) {
				unsigned char c = (unsigned char)v[i];
				ok = c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' && c != '\\';
			}
			if (ok && count < 64) {
				kv_add(a, out, arena_strndup(a, p, klen), arena_strndup(a, v, vlen));
				count++;
			}
		}
		p = end ? end + 1 : NULL;
	}
	return count;
}
