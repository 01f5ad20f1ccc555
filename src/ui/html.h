/* html.h: the HTML writer. Escaping is the default: every %s argument of
 * html() is escaped for text and attribute context alike (& < > " ').
 * Trusted markup goes out only through html_unsafe_raw, whose name says
 * what it is. Supported conversions: %s %.*s %d %i %u %ld %lu %lld %llu %zu
 * %x %%; anything else is a programming error and aborts. */
#ifndef TROTH_HTML_H
#define TROTH_HTML_H

#include <stdarg.h>
#include <stddef.h>

#include "../base/buf.h"

void html(struct buf *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void html_v(struct buf *out, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Escapes s[0..n) into out. */
void html_esc(struct buf *out, const char *s, size_t n);
/* Appends markup as is: only for constant strings or markup this program
 * generated itself (an SVG chart), never for data. */
void html_unsafe_raw(struct buf *out, const char *markup);

/* Writes ` name="value"` with value escaped; nothing when value is NULL.
 * name must be a constant attribute name. For an attribute that may or may
 * not be there, so markup never travels as a %s argument. */
void html_attr(struct buf *out, const char *name, const char *value);

#endif
