/* input.h: checking a field that came from a form or a JSON body, the same
 * way for the API and the pages. A problem is kept in a struct input_err:
 * the API answers it as a JSON error, a page shows it as a calm notice over
 * the form with the person's input kept. */
#ifndef TROTH_INPUT_H
#define TROTH_INPUT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "req.h"

/* The longest free text a record keeps, and a label or title, in
 * characters. */
#define INPUT_TEXT_MAX 4000
#define INPUT_TITLE_MAX 200

struct input_err {
	int status;          /* 0: no problem */
	const char *code;    /* "invalid_field", "too_long", "missing_field", ... */
	const char *field;
	const char *msg;     /* a sentence for the person */
};

/* Sets e and returns -1. */
int input_fail(struct input_err *e, int status, const char *code, const char *field,
	       const char *msg);
/* Answers e with req_error (JSON under /api/, a calm page elsewhere). */
void input_answer(struct req *r, const struct input_err *e);

/* A text: required (non-empty), at most max characters, clean UTF-8. An
 * empty optional text becomes NULL. Returns 0, or -1 with e set. */
int input_text(const char *s, const char *field, bool required, size_t max, const char **out,
	       struct input_err *e);
/* A day "YYYY-MM-DD" for field, at most max_day (INPUT_ANY_DAY: no limit;
 * viewer_today(r) for "not in the future"). Returns 0 with *day, or -1 with
 * e set. */
#define INPUT_ANY_DAY LONG_MAX
int input_day(const char *s, const char *field, long max_day, long *day, struct input_err *e);
/* The days ?from and ?to of r's query string (each YYYY-MM-DD, either may
 * be absent): to defaults to def_to, from to span days ending with to.
 * Returns 0 with *from <= *to, or -1 with e set (a day we cannot read, or
 * from after to). */
int input_day_range(const struct req *r, long def_to, long span, long *from, long *to,
		    struct input_err *e);

#endif
