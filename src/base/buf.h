/* buf.h: the one growable string buffer (after git's strbuf).
 *
 * Invariants: after buf_init (or BUF_INIT) `b->s` is never NULL and is
 * always NUL-terminated; `b->len` is the length without the NUL. A buffer
 * may hold NUL bytes in the middle (a binary body); `len` is the truth.
 * Out of memory aborts: it is a broken invariant, not an expected failure. */
#ifndef TROTH_BUF_H
#define TROTH_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *s;
	size_t len;
	size_t cap; /* 0 while s points at the shared empty string */
};

extern char buf_empty_[];
#define BUF_INIT { buf_empty_, 0, 0 }

void buf_init(struct buf *b, size_t hint);
/* Frees the storage and leaves an empty, valid buffer. */
void buf_release(struct buf *b);
/* Hands the string to the caller (free() it) and leaves an empty buffer. */
char *buf_detach(struct buf *b, size_t *len);
void buf_grow(struct buf *b, size_t extra);
void buf_reset(struct buf *b);
void buf_add(struct buf *b, const void *data, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addch(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Cuts the buffer to n bytes (n <= len). */
void buf_setlen(struct buf *b, size_t n);

/* Aborting allocators for the few long-lived objects. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
