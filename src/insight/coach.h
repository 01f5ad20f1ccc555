/* coach.h: the language coach. Points out, in a text someone is about to
 * share, phrases that shift blame, excuse, accuse or minimise, each with a
 * gentler way to say it ("I feel … when … I need …"). Local and
 * deterministic: the rules are data (content/coach.txt, format described
 * there), matched on whole words without regard to ASCII case. It never
 * blocks anything: it only returns notes. No I/O, no allocation. */
#ifndef TROTH_COACH_H
#define TROTH_COACH_H

#include <stddef.h>

#define COACH_MAX_NOTES 32
#define COACH_RULES_FILE "content/coach.txt"

struct coach_note {
	size_t start, end;        /* code points: [start, end) of the text */
	char kind[16];            /* blame_shift | excuse | accusation | minimising */
	const char *suggestion;   /* points into the rules text, not NUL-terminated */
	size_t suggestion_len;
};

/* Checks `text` (valid UTF-8, n bytes) against the rules (rules_len bytes
 * of content/coach.txt's format). Writes up to max notes, ordered by start
 * and never overlapping (where rules overlap, the earliest, then the first
 * rule in the file, wins). Returns the number written. */
int coach_check(const char *rules, size_t rules_len, const char *text, size_t n,
		struct coach_note *notes, int max);

/* The same with the rules compiled into the binary. */
int coach_check_builtin(const char *text, size_t n, struct coach_note *notes, int max);

#endif
