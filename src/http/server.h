/* server.h: troth's HTTP server on libmicrohttpd. */
#ifndef TROTH_SERVER_H
#define TROTH_SERVER_H

#include "../app.h"
#include "req.h"

/* Serves app until SIGINT or SIGTERM, then stops taking connections, lets
 * in-flight requests finish (up to a few seconds) and returns 0. Returns
 * -1 when it cannot listen. Blocks those signals in the calling thread. */
int server_run(struct app *app);
/* Blocks SIGINT and SIGTERM in the calling thread, and so in every thread
 * it starts from now on: call it before starting any thread that runs
 * beside the server (the push sender, the backups), so the stop signals
 * reach only server_run's wait. A thread that does not block them could
 * take one, and its default action ends the process at once. */
void server_block_stop_signals(void);

/* Writes that may wait for a free write worker (--write-threads) before
 * one more is answered 503 with Retry-After. */
#define SERVER_WRITE_QUEUE 256

/* Adds the headers every response carries (security headers, caching) to a
 * request's response list; shared by the server and the in-process tests. */
void http_finish_headers(struct req *r);

#endif
