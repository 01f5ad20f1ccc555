/* jsonout.c: compact JSON text as jansson 2.14 writes it (see jsonout.h). */
#include "jsonout.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../base/utf8.h"

/* no answer nests deeper; a deeper value is refused, not written */
#define DEPTH_MAX 2048

/* The digits of v, in decimal, after a '-' when it is negative. */
static void write_int(struct buf *out, long long v)
{
	char t[24];
	size_t i = sizeof(t);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do {
		t[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		t[--i] = '-';
	buf_add(out, t + i, sizeof(t) - i);
}

/* A real as jansson writes it: "%.17g", a ".0" when that looks like an
 * integer, and the exponent without '+' or leading zeros. A whole number
 * below 10^15 is the integer and ".0", which is what that gives. */
static int write_real(struct buf *out, double v)
{
	if (!isfinite(v))
		return -1;
	if (v == floor(v) && fabs(v) < 1e15 && !(v == 0 && signbit(v))) {
		write_int(out, (long long)v);
		buf_add(out, ".0", 2);
		return 0;
	}
	char t[40];
	int n = snprintf(t, sizeof(t) - 3, "%.17g", v);
	if (n < 0 || (size_t)n >= sizeof(t) - 3)
		return -1;
	size_t len = (size_t)n;
	if (!strchr(t, '.') && !strchr(t, 'e')) {
		memcpy(t + len, ".0", 3);
		len += 2;
	}
	char *start = strchr(t, 'e');
	if (start) {
		start++;
		char *end = start + 1;
		if (*start == '-')
			start++;
		while (*end == '0')
			end++;
		if (end != start) {
			memmove(start, end, len - (size_t)(end - t) + 1);
			len -= (size_t)(end - start);
		}
	}
	buf_add(out, t, len);
	return 0;
}

static int write_string(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!utf8_valid(s, n))
		return -1;
	buf_addch(out, '"');
	size_t run = 0; /* bytes since the last escape, written at once */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\') {
			run++;
			continue;
		}
		buf_add(out, s + i - run, run);
		run = 0;
		char e[6] = { '\\', 0 };
		size_t k = 2;
		switch (c) {
		case '"': e[1] = '"'; break;
		case '\\': e[1] = '\\'; break;
		case '\b': e[1] = 'b'; break;
		case '\f': e[1] = 'f'; break;
		case '\n': e[1] = 'n'; break;
		case '\r': e[1] = 'r'; break;
		case '\t': e[1] = 't'; break;
		default:
			memcpy(e + 1, "u00", 3);
			e[4] = hex[c >> 4];
			e[5] = hex[c & 15];
			k = 6;
		}
		buf_add(out, e, k);
	}
	buf_add(out, s + n - run, run);
	buf_addch(out, '"');
	return 0;
}

static int write_value(struct buf *out, const json_t *j, int depth)
{
	if (depth > DEPTH_MAX)
		return -1;
	switch (json_typeof(j)) {
	case JSON_NULL:
		buf_add(out, "null", 4);
		return 0;
	case JSON_TRUE:
		buf_add(out, "true", 4);
		return 0;
	case JSON_FALSE:
		buf_add(out, "false", 5);
		return 0;
	case JSON_INTEGER:
		write_int(out, (long long)json_integer_value(j));
		return 0;
	case JSON_REAL:
		return write_real(out, json_real_value(j));
	case JSON_STRING:
		return write_string(out, json_string_value(j), json_string_length(j));
	case JSON_ARRAY: {
		buf_addch(out, '[');
		for (size_t i = 0, n = json_array_size(j); i < n; i++) {
			if (i)
				buf_addch(out, ',');
			if (write_value(out, json_array_get(j, i), depth + 1) < 0)
				return -1;
		}
		buf_addch(out, ']');
		return 0;
	}
	case JSON_OBJECT: {
		buf_addch(out, '{');
		bool first = true;
		/* jansson keeps an object's keys in the order they were set */
		for (void *it = json_object_iter((json_t *)j); it; it = json_object_iter_next((json_t *)j, it)) {
			if (!first)
				buf_addch(out, ',');
			first = false;
			const char *key = json_object_iter_key(it);
			if (write_string(out, key, json_object_iter_key_len(it)) < 0)
				return -1;
			buf_addch(out, ':');
			if (write_value(out, json_object_iter_value(it), depth + 1) < 0)
				return -1;
		}
		buf_addch(out, '}');
		return 0;
	}
	}
	return -1;
}

int json_write(struct buf *out, const json_t *j)
{
	size_t mark = out->len;
	if (!j || write_value(out, j, 0) < 0) {
		buf_setlen(out, mark);
		return -1;
	}
	return 0;
}
