/* home.h: the start page. */
#ifndef TROTH_HOME_H
#define TROTH_HOME_H

#include <stddef.h>

#include "../http/req.h"

/* GET / — the welcome page. */
route_handler home_page;

/* The blocks of a couple's home page, in order: each feature that has
 * something due or upcoming adds its function here (home.c). Each writes
 * nothing when it has nothing to say. */
typedef void (*home_section_fn)(struct req *r);
extern const home_section_fn home_sections[];
extern const size_t home_sections_len;

/* Writes a couple's home sections for the viewer, in home_sections[]
 * order, except that the viewer's own safety card comes first when their
 * safety check points to danger (home.c). */
route_handler home_sections_render;

#endif
