/* page.h: the page chrome. Every page has a neutral title, one stylesheet,
 * the progressive script, and the quick exit (a visible link that works
 * without JavaScript; with it, the page is blanked and replaced so Back does
 * not return, also on Shift pressed three times). */
#ifndef TROTH_PAGE_H
#define TROTH_PAGE_H

#include "../http/req.h"

/* Starts an HTML page in r->out (status 200 unless already set). `heading`
 * is the visible h1 (escaped); the <title> stays neutral. */
void page_begin(struct req *r, const char *heading);
void page_end(struct req *r);

/* A whole calm page with one heading and one paragraph (both escaped). */
void page_message(struct req *r, int status, const char *heading, const char *text);

#endif
