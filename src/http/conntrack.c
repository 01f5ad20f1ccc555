/* conntrack.c: the connection table and its deadline thread; see
 * conntrack.h. One mutex guards the table. A socket is shut down only
 * under that mutex and only while its entry is in the table; libmicrohttpd
 * removes the entry (MHD_CONNECTION_NOTIFY_CLOSED) before it closes the
 * socket, so the descriptor shut down is never one reused by another
 * connection. */
#include "conntrack.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

struct entry {
	struct conntrack *t;
	bool used;
	bool waiting;   /* no complete request headers yet */
	bool closing;   /* shut down by us; libmicrohttpd has yet to notice */
	int fd;
	double since;   /* when it began waiting for headers */
	char addr[INET6_ADDRSTRLEN];
};

struct conntrack {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	bool stop;
	unsigned per_address;
	double header_seconds;
	size_t n;
	struct entry *v;
};

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Closes e's connection (lock held). */
static void close_entry(struct entry *e)
{
	if (!e->closing) {
		shutdown(e->fd, SHUT_RDWR);
		e->closing = true;
	}
}

static void *deadline_thread(void *arg)
{
	struct conntrack *t = arg;
	pthread_mutex_lock(&t->lock);
	while (!t->stop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 250 * 1000 * 1000;
		if (ts.tv_nsec >= 1000 * 1000 * 1000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000 * 1000 * 1000;
		}
		pthread_cond_timedwait(&t->wake, &t->lock, &ts);
		double now = now_seconds();
		for (size_t i = 0; i < t->n; i++) {
			struct entry *e = &t->v[i];
			if (e->used && e->waiting && now - e->since > t->header_seconds)
				close_entry(e);
		}
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

struct conntrack *conntrack_new(unsigned max_conns, unsigned per_address,
				unsigned header_seconds)
{
	struct conntrack *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	/* room for the connections libmicrohttpd admits, and for those it has
	 * not yet cleaned up after we shut them down */
	t->n = (size_t)max_conns * 2 + 16;
	t->v = calloc(t->n, sizeof(*t->v));
	t->per_address = per_address;
	t->header_seconds = header_seconds;
	pthread_mutex_init(&t->lock, NULL);
	pthread_cond_init(&t->wake, NULL);
	if (!t->v || pthread_create(&t->thread, NULL, deadline_thread, t) != 0) {
		pthread_cond_destroy(&t->wake);
		pthread_mutex_destroy(&t->lock);
		free(t->v);
		free(t);
		return NULL;
	}
	return t;
}

void conntrack_free(struct conntrack *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->lock);
	t->stop = true;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->thread, NULL);
	pthread_cond_destroy(&t->wake);
	pthread_mutex_destroy(&t->lock);
	free(t->v);
	free(t);
}

static void peer_text(struct MHD_Connection *c, char out[INET6_ADDRSTRLEN])
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	out[0] = '\0';
	if (!ci || !ci->client_addr)
		return;
	const struct sockaddr *sa = ci->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
			  INET6_ADDRSTRLEN);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
			  INET6_ADDRSTRLEN);
}

/* A new connection e from e->addr (lock held): when its address is over
 * its share, closes the address's connection that has waited longest for
 * headers, or e itself when none is waiting. */
static void make_room(struct conntrack *t, struct entry *e)
{
	unsigned count = 0;
	struct entry *oldest = NULL;
	for (size_t i = 0; i < t->n; i++) {
		struct entry *o = &t->v[i];
		if (!o->used || o->closing || strcmp(o->addr, e->addr))
			continue;
		count++;
		if (o != e && o->waiting && (!oldest || o->since < oldest->since))
			oldest = o;
	}
	if (count <= t->per_address)
		return;
	close_entry(oldest ? oldest : e);
}

void conntrack_notify(void *cls, struct MHD_Connection *c, void **socket_context,
		      enum MHD_ConnectionNotificationCode code)
{
	struct conntrack *t = cls;
	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		struct entry *e = *socket_context;
		if (!e)
			return;
		pthread_mutex_lock(&t->lock);
		memset(e, 0, sizeof(*e));
		pthread_mutex_unlock(&t->lock);
		*socket_context = NULL;
		return;
	}
	if (code != MHD_CONNECTION_NOTIFY_STARTED)
		return;
	const union MHD_ConnectionInfo *fi =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	char addr[INET6_ADDRSTRLEN];
	peer_text(c, addr);
	*socket_context = NULL;
	if (!fi)
		return;
	pthread_mutex_lock(&t->lock);
	struct entry *e = NULL;
	for (size_t i = 0; i < t->n && !e; i++)
		if (!t->v[i].used)
			e = &t->v[i];
	if (!e) {
		/* more connections than libmicrohttpd admits: cannot happen,
		 * and refusing is the safe answer if it does */
		shutdown(fi->connect_fd, SHUT_RDWR);
		pthread_mutex_unlock(&t->lock);
		return;
	}
	e->t = t;
	e->used = true;
	e->waiting = true;
	e->closing = false;
	e->fd = fi->connect_fd;
	e->since = now_seconds();
	memcpy(e->addr, addr, sizeof(e->addr));
	make_room(t, e);
	*socket_context = e;
	pthread_mutex_unlock(&t->lock);
}

static struct entry *entry_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* Marks c's connection as waiting for a request (since now) or not. */
static void set_waiting(struct MHD_Connection *c, bool waiting)
{
	struct entry *e = entry_of(c);
	if (!e)
		return;
	pthread_mutex_lock(&e->t->lock);
	e->waiting = waiting;
	if (waiting)
		e->since = now_seconds();
	pthread_mutex_unlock(&e->t->lock);
}

void conntrack_headers_done(struct MHD_Connection *c)
{
	set_waiting(c, false);
}

void conntrack_request_done(struct MHD_Connection *c)
{
	set_waiting(c, true);
}
