/* quickexit.h: "Leave now", the quick exit on every page. */
#ifndef TROTH_FEATURE_QUICKEXIT_H
#define TROTH_FEATURE_QUICKEXIT_H

#include "../http/req.h"

/* GET /leave — ends the session of whoever is logged in on this browser
 * (the cookie is cleared too), then sends the browser on to the neutral
 * exit site, so reopening troth on that phone shows the login page. Works
 * without JavaScript: it is the link's own target. */
route_handler quickexit_page;

/* Where the quick exit goes: the configured exit site, or a weather page. */
const char *quickexit_url(const struct req *r);

#endif
