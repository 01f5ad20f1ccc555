/* jsonin.h: reading a JSON request body field by field. Each getter answers
 * the 400 itself (with the field named) and returns -1 when the value is
 * missing, of the wrong type, out of range, too long or not clean text, so
 * a handler reads:
 *
 *     if (jin_only(r, body, fields) < 0 || jin_str(r, body, "text", true, 4000, &text) < 0)
 *         return;
 *
 * An error names the field by its dotted path from the top of the body:
 * a getter's name may be such a path ("answers.afraid": the key "afraid"
 * of o, which is the body's "answers"), and the items of a list go by
 * their index from 0 ("taper.1.until"). */
#ifndef TROTH_JSONIN_H
#define TROTH_JSONIN_H

#include <stdbool.h>

#include "req.h"

/* 400 unknown_field for any key not in allowed (a NULL-ended list). */
int jin_only(struct req *r, json_t *o, const char *const *allowed);
/* The same for o at path in the body (NULL: the body): the field of the
 * error is "path.key". */
int jin_only_in(struct req *r, json_t *o, const char *path, const char *const *allowed);
/* A string of at most max_chars code points (valid UTF-8 text, no control
 * characters but tab and newlines). Returns 1 when present, 0 when absent
 * and optional (*out NULL), -1 after answering. Over max: 400 too_long.
 * An empty string counts as missing when the field is required. */
int jin_str(struct req *r, json_t *o, const char *name, bool required, size_t max_chars,
	    const char **out);
/* An integer in [min, max]. Same returns. */
int jin_int(struct req *r, json_t *o, const char *name, bool required, long long min,
	    long long max, long long *out);
/* true or false. Same returns. */
int jin_bool(struct req *r, json_t *o, const char *name, bool required, bool *out);
/* A day written YYYY-MM-DD, no later than the day latest. Same returns;
 * *out is left as it was when the day is absent. */
int jin_day(struct req *r, json_t *o, const char *name, bool required, long latest, long *out);

#endif
