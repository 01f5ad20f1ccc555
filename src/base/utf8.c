/* utf8.c: strict UTF-8 decoding (RFC 3629). */
#include "utf8.h"

#include <string.h>

/* Decodes one code point at s (n bytes left); returns its length or 0. */
static size_t decode(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c < 0xC2)
		return 0;
	if (c < 0xE0) {
		if (n < 2 || (s[1] & 0xC0) != 0x80)
			return 0;
		*cp = ((c & 0x1F) << 6) | (s[1] & 0x3F);
		return 2;
	}
	if (c < 0xF0) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		*cp = ((c & 0x0F) << 12) | ((unsigned)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
		if (*cp < 0x800 || (*cp >= 0xD800 && *cp <= 0xDFFF))
			return 0;
		return 3;
	}
	if (c < 0xF5) {
		if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
			return 0;
		*cp = ((c & 0x07) << 18) | ((unsigned)(s[1] & 0x3F) << 12) |
		      ((unsigned)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
		if (*cp < 0x10000 || *cp > 0x10FFFF)
			return 0;
		return 4;
	}
	return 0;
}

/* Whether s is well-formed UTF-8; with text, also free of control
 * characters other than tab and line ends. */
static bool valid(const char *s, size_t n, bool text)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	unsigned cp;
	while (i < n) {
		size_t k = decode(p + i, n - i, &cp);
		if (!k)
			return false;
		if (text && ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F))
			return false;
		i += k;
	}
	return true;
}

bool utf8_valid(const char *s, size_t n)
{
	return valid(s, n, false);
}

bool utf8_valid_text(const char *s, size_t n)
{
	return valid(s, n, true);
}

size_t utf8_count(const char *s, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

bool utf8_text_ok(const char *s, size_t max_chars)
{
	size_t n = strlen(s);
	return utf8_valid_text(s, n) && utf8_count(s, n) <= max_chars;
}

const char *utf8_keepable(const char *s)
{
	return s && utf8_valid_text(s, strlen(s)) ? s : NULL;
}
