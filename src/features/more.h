/* more.h: "More", the page behind the last tab: every page of troth, in a
 * few plain groups, so any page is at most two taps away. */
#ifndef TROTH_FEATURE_MORE_H
#define TROTH_FEATURE_MORE_H

#include "../http/req.h"

/* GET /more */
route_handler more_page;

#endif
