/* arena.h: a region allocator. Each request owns one; handlers allocate from
 * it and never free one by one; arena_release frees everything at once.
 * Allocation failure aborts. */
#ifndef TROTH_ARENA_H
#define TROTH_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_block;
struct arena {
	struct arena_block *head;
	size_t total; /* bytes handed out, for tests and limits */
};

#define ARENA_INIT { 0, 0 }

/* Returns n bytes aligned for any type, zeroed. */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_release(struct arena *a);

#endif
