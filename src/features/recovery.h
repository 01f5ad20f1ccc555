/* recovery.h: what "recovered" means for us. The couple writes down the
 * criteria they will know recovery by: either measured from troth's
 * records (connection in the weekly check-ins, major triggers a month,
 * promises kept) or a statement in their own words that each of them ticks
 * when it is true for them. Each criterion shows its progress. */
#ifndef TROTH_RECOVERY_H
#define TROTH_RECOVERY_H

#include "../http/req.h"

void recovery_api_list(struct req *r);   /* GET  /api/v1/recovery-criteria */
void recovery_api_create(struct req *r); /* POST /api/v1/recovery-criteria */
void recovery_api_tick(struct req *r);   /* PUT  /api/v1/recovery-criteria/:id/tick */

void recovery_page(struct req *r);           /* GET  /recovery */
void recovery_post(struct req *r);      /* POST /recovery */
void recovery_tick_post(struct req *r); /* POST /recovery/:id/tick */

/* Home: how many of the couple's criteria are met, when there are any. */
void recovery_home(struct req *r);

#endif
