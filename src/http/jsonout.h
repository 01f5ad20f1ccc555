/* jsonout.h: a JSON value written as text, byte for byte what jansson's
 * json_dumps(j, JSON_COMPACT) writes, without its cost: integers and whole
 * reals by hand instead of through snprintf, straight into the response
 * buffer. */
#ifndef TROTH_JSONOUT_H
#define TROTH_JSONOUT_H

#include <jansson.h>

#include "../base/buf.h"

/* Appends j to out as compact JSON. Returns 0, or -1 (out cut back to
 * where it was) for what json_dumps refuses: a string that is not UTF-8,
 * a real that is not finite; or nesting deeper than 2048 (our own bound:
 * no answer nests so deep). */
int json_write(struct buf *out, const json_t *j);

#endif
