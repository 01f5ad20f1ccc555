/* home.h: the start page. */
#ifndef TROTH_HOME_H
#define TROTH_HOME_H

#include "../http/req.h"

/* GET / — the welcome page. */
void home_page(struct req *r);

#endif
