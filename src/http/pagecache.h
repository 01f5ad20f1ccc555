/* pagecache.h: rendered answers kept per session, for the GET routes
 * marked R_KEEP (router.h).
 *
 * A kept answer is the page or API read exactly as the handler wrote it
 * (status 200, body, content type and the headers it added), for one
 * session, one path and query, one minute of the request clock, one state
 * of the store as its viewer sees it (db_marks: for a partner, no write
 * for their couple nor for anyone since; for anyone else, no commit
 * since) and the same keys open. It is served again only while all of
 * those are the same, so a new record of the couple (or one written for
 * anyone: a counsellor's, the scheduler's), the next minute, a key
 * unlocked or a logout each end it; another couple's records do not. An answer is never kept when the
 * handler wrote to the store (a page whose opening is recorded, a copy
 * rewritten), set a cookie, or deferred work. The cache is bounded
 * (PAGECACHE_SLOTS answers of at most PAGECACHE_MAX_BODY bytes); every
 * answer it lets go is wiped first, since it holds opened texts. */
#ifndef TROTH_PAGECACHE_H
#define TROTH_PAGECACHE_H

#include <stdbool.h>

#include "req.h"

enum { PAGECACHE_SLOTS = 64, PAGECACHE_MAX_BODY = 256 * 1024 };

/* Answers r from a kept copy when there is one for it; true when it did. */
bool pagecache_serve(struct req *r);
/* Runs fn(r) and keeps its answer when it may be kept. */
void pagecache_run(struct req *r, route_handler *fn);
/* Wipes and drops every answer kept for session id (the session ended). */
void pagecache_forget_session(long long id);
/* Wipes and drops every kept answer. */
void pagecache_forget(void);
/* How many answers are kept now (for tests). */
unsigned pagecache_count(void);
/* How many requests were answered from a kept copy since the start (for
 * tests). */
unsigned long pagecache_served(void);

#endif
