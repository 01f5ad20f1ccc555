/* app.h: the server-wide state that a request can reach through r->app:
 * the configuration and the store. Set up by `troth serve`, read-only while
 * serving. */
#ifndef TROTH_APP_H
#define TROTH_APP_H

#include <stdbool.h>

#include "db/db.h"

#define APP_MAX_PROXIES 8

/* Where the quick exit goes unless --exit-url says otherwise: a neutral
 * page anyone might have open. */
#define APP_DEFAULT_EXIT_URL "https://www.bbc.com/weather"

struct app_config {
	const char *db_path;
	const char *listen_host;  /* as a URL writes it: 127.0.0.1, [::1] */
	unsigned short port;
	/* a Unix socket's path (--listen unix:PATH) instead of host and port;
	 * empty for TCP */
	char listen_unix[108];
	unsigned threads;
	/* Threads that run the requests that change something (POST, PUT,
	 * PATCH, DELETE), off the serving threads: up to this many writes
	 * share one commit. */
	unsigned write_threads;
	const char *exit_url;     /* where the quick exit goes */
	bool tls;                 /* served over TLS / behind a TLS proxy */
	unsigned conn_limit;
	unsigned conn_timeout;    /* seconds of silence before a client is dropped */
	/* The address people reach troth at, as "http(s)://host[:port][/prefix]"
	 * with no trailing slash; every absolute URL troth writes starts with it.
	 * Empty: http://listen_host:port. Never taken from a request. */
	char public_url[256];
	/* Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are
	 * believed, as canonical address text (inet_ntop). */
	char trusted_proxy[APP_MAX_PROXIES][46];
	unsigned n_trusted_proxies;
	unsigned max_conns_per_address; /* connections one client address may hold */
	unsigned header_timeout;  /* seconds a connection has to send its headers */
	/* Reminders by Web Push: the contact push services are given (the
	 * VAPID "sub", a mailto: or https: URL; empty: the public URL when it
	 * is https) and the seconds between two rounds of the sender (0: no
	 * sender). */
	char push_contact[256];
	unsigned push_every;
};

struct defer_pool;
struct defer_timer;

struct app {
	struct app_config cfg;
	struct db db;
	struct defer_pool *pool;  /* slow work (password hashing); see http/defer.h */
	struct defer_pool *writes; /* requests that change something; see http/server.c */
	struct defer_timer *timer; /* requests waiting their turn (req_wait); see http/defer.h */
	_Atomic long long health_ok_at; /* last second the store answered /healthz */
};

void app_config_defaults(struct app_config *cfg);

/* Checks a --public-url value: http or https, a host name or address (an
 * IPv6 address in brackets), an optional port (1 to 65535), an optional
 * path prefix of letters, digits and "-._~/", nothing else (no user, no
 * query, no fragment). On success writes it to cfg->public_url without the
 * trailing slash and returns 0; returns -1 when it is not such a URL. */
int app_set_public_url(struct app_config *cfg, const char *url);

/* Adds addr (an IPv4 or IPv6 address) to the trusted proxies. Returns 0,
 * or -1 when it is no address or the list is full. */
int app_add_trusted_proxy(struct app_config *cfg, const char *addr);

/* True when addr (canonical text, as inet_ntop writes it) is a trusted
 * proxy; on a Unix socket (--listen unix:PATH) every peer is. */
bool app_is_trusted_proxy(const struct app_config *cfg, const char *addr);

struct arena;

/* The absolute URL of path (which starts with '/') on the public URL, made
 * in arena. */
const char *app_url(struct arena *arena, const struct app_config *cfg, const char *path);

#endif
