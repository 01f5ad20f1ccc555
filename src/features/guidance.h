/* guidance.h: three quiet reading pages, open without logging in: when and
 * why to seek counselling (individual and couples, and finding someone who
 * knows betrayal recovery), children, and when walking away is the healthy
 * choice. troth's own words, from the facts in the seeds. */
#ifndef TROTH_GUIDANCE_H
#define TROTH_GUIDANCE_H

#include "../http/req.h"

route_handler page_guidance_counselling;  /* GET /guidance/counselling */
route_handler page_guidance_children;     /* GET /guidance/children */
route_handler page_guidance_walking_away; /* GET /guidance/walking-away */

#endif
