/* trigger.h: triggers, as the other features read them (trigger.c). */
#ifndef TROTH_FEATURE_TRIGGER_H
#define TROTH_FEATURE_TRIGGER_H

#include <stdbool.h>
#include <stddef.h>

#include "../http/req.h"

struct viewer;
/* A trigger's day and strength, no words. */
struct trigger_day {
	long day;           /* days since 1970 */
	int intensity;      /* 1..10 */
	bool private_mine;  /* the viewer's own private one */
};
/* The triggers v may see (shared ones, and v's own private ones), by day,
 * into arena memory *out. Returns SQLITE_OK or an error. */
int trigger_days(struct req *r, const struct viewer *v, struct trigger_day **out, size_t *n);

#endif
