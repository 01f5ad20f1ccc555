/* utf8.h: strict UTF-8 validation and code-point counting. */
#ifndef TROTH_UTF8_H
#define TROTH_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, no
 * code point above U+10FFFF). A NUL byte is well-formed but see below. */
bool utf8_valid(const char *s, size_t n);
/* True when valid UTF-8 with no NUL and no control characters other than
 * tab, newline and carriage return: what a text field may hold. */
bool utf8_valid_text(const char *s, size_t n);
/* Number of code points in valid UTF-8. */
size_t utf8_count(const char *s, size_t n);

/* True when s is clean text (utf8_valid_text) of at most max_chars code
 * points. */
bool utf8_text_ok(const char *s, size_t max_chars);
/* s when it is clean text to show back in a form, else NULL. */
const char *utf8_keepable(const char *s);

#endif
