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
/* Makes room for one more element in an arena array of n elements of size
 * elem with capacity *cap: returns arr itself while there is room, else a
 * copy with twice the capacity (at least 16). Use as
 *     list = arena_grow(a, list, n, &cap, sizeof(*list)); list[n++] = x; */
void *arena_grow(struct arena *a, void *arr, size_t n, size_t *cap, size_t elem);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void arena_release(struct arena *a);

#endif
