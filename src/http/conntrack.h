/* conntrack.h: keeps slow clients from starving the others. It knows
 * every open connection (its client address, and whether it is still
 * sending a request's headers) and
 *   - closes a connection that has not sent its complete headers within
 *     the header deadline, however slowly it trickles bytes (the idle
 *     timeout alone restarts at every byte);
 *   - when a client address already holds its share of connections, makes
 *     room for a new one by closing that address's connection that has
 *     waited longest for headers, so that a browser on the same address
 *     as a slow-header flood still gets in; only when all of them are busy
 *     answering is the new connection refused.
 * It closes a connection with shutdown(2); libmicrohttpd then sees the end
 * of the stream and cleans up as for any client that went away. */
#ifndef TROTH_CONNTRACK_H
#define TROTH_CONNTRACK_H

#include <microhttpd.h>

struct conntrack;

/* Starts tracking up to max_conns connections, per_address of them per
 * client address, with header_seconds to send each request's headers;
 * starts the thread that enforces the deadline. Returns NULL when out of
 * memory or threads. */
struct conntrack *conntrack_new(unsigned max_conns, unsigned per_address,
				unsigned header_seconds);

/* Stops the thread and frees the table; call after MHD_stop_daemon. */
void conntrack_free(struct conntrack *t);

/* The MHD_OPTION_NOTIFY_CONNECTION callback; cls is the conntrack. */
void conntrack_notify(void *cls, struct MHD_Connection *c, void **socket_context,
		      enum MHD_ConnectionNotificationCode code);

/* The connection's request headers are all in (call from the access
 * handler's first call). */
void conntrack_headers_done(struct MHD_Connection *c);

/* The connection's request is answered; it now waits for the next
 * request's headers, under the same deadline. */
void conntrack_request_done(struct MHD_Connection *c);

#endif
