/* promise.h: promises, as the other features read them (promise.c). */
#ifndef TROTH_FEATURE_PROMISE_H
#define TROTH_FEATURE_PROMISE_H

#include <stddef.h>

#include "../http/req.h"

struct viewer;
/* A promise's due day and outcome, no words. */
struct promise_outcome {
	long due;   /* days since 1970 */
	int kept;   /* 1, 0, -1 none yet */
};
/* The promises v may see (all of v's couple's), by due day, into arena
 * memory *out. Returns SQLITE_OK or an error. */
int promise_outcomes(struct req *r, const struct viewer *v, struct promise_outcome **out, size_t *n);

#endif
