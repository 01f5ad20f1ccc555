/* parting.h: parting ways as a couple, and closing an account.
 *
 * Either partner can end the couple (their password typed again). Both
 * keep what they could read in it as keepsakes, "from our time together"
 * (keepsake.h); then every record of the couple, its calendar feeds, its
 * transparency plans, its invites and every wrap of its key are deleted.
 * Closing an account ends the couple the same way, keeps for the partner
 * what the person wrote in the shared space only when they chose to leave
 * a copy, and erases everything else of theirs. */
#ifndef TROTH_PARTING_H
#define TROTH_PARTING_H

#include "../http/req.h"
#include "../http/router.h"

/* API: POST /api/v1/couple/part (and /api/v1/couple/leave), DELETE
 * /api/v1/me, GET /api/v1/keepsakes */
route_handler parting_api_part, parting_api_close, parting_api_keepsakes;

/* Pages: GET/POST /couple/part, GET/POST /settings/delete, GET /keepsakes */
route_handler parting_page, parting_post, parting_close_page, parting_close_post, parting_keepsakes_page;

/* On the home page of someone in no couple: that their couple ended, when
 * it did (nothing otherwise). */
void parting_home_notice(struct req *r);

#endif
