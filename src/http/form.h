/* form.h: parsers for what arrives as text: urlencoded forms and queries,
 * and the Cookie header. Hostile input: every value is percent-decoded,
 * checked to be UTF-8 text, and bounded. */
#ifndef TROTH_FORM_H
#define TROTH_FORM_H

#include <stddef.h>

#include "req.h"

#define FORM_MAX_FIELDS 256

/* Decodes application/x-www-form-urlencoded data into `out`.
 * Returns 0, or -1 when malformed (bad %-escape, invalid UTF-8, a control
 * character, too many fields). */
int form_parse(struct arena *a, const char *s, size_t n, struct kvlist *out);

/* Percent-decodes s[0..n) ('+' as space when plus_space) into a new
 * arena string. Returns NULL on a bad escape or when the result is not valid
 * UTF-8 text. */
char *url_decode(struct arena *a, const char *s, size_t n, int plus_space);

/* Parses a Cookie header ("a=1; b=2") into `out`. Malformed pairs are
 * skipped, never fatal. Returns the number of cookies added. */
int cookie_parse(struct arena *a, const char *header, struct kvlist *out);

#endif
