/* rituals_demo.h: the demo couple's rituals (rituals_demo.c), written
 * through each ritual's own insert functions. */
#ifndef TROTH_FEATURE_RITUALS_DEMO_H
#define TROTH_FEATURE_RITUALS_DEMO_H

struct demo_ctx;
/* A few months of rituals for the demo couple (inside the demo's write
 * transaction). Returns 0 or an SQLite error. */
int rituals_demo(struct demo_ctx *ctx);

#endif
