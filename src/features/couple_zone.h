/* couple_zone.h: changing the couple's time zone later, from the couple
 * page or the API (either partner; the store is auth/account.c's). */
#ifndef TROTH_FEATURE_COUPLE_ZONE_H
#define TROTH_FEATURE_COUPLE_ZONE_H

#include "../http/req.h"

/* POST /couple/timezone (form: timezone), PUT /api/v1/couple/timezone
 * ({"timezone"}) */
route_handler couple_zone_post, couple_zone_api_put;

/* The form on the couple page: the zone now, and a chooser to change it. */
void couple_zone_form(struct req *r);

#endif
