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

/* A list of cards: the paragraph empty when items (a JSON array) is empty,
 * else <ul class="cards"> with card(r, item) for each. */
void page_cards(struct req *r, json_t *items, const char *empty, void (*card)(struct req *r, json_t *item));
/* Ends a page with a paragraph linking to href (both escaped), then
 * page_end. */
void page_end_link(struct req *r, const char *href, const char *text);

#endif
