/* app.h: the server-wide state that a request can reach through r->app:
 * the configuration and the store. Set up by `troth serve`, read-only while
 * serving. */
#ifndef TROTH_APP_H
#define TROTH_APP_H

#include <stdbool.h>

#include "db/db.h"

struct app_config {
	const char *db_path;
	const char *listen_host;
	unsigned short port;
	unsigned threads;
	const char *exit_url;     /* where the quick exit goes */
	bool tls;                 /* served over TLS / behind a TLS proxy */
	unsigned conn_limit;
	unsigned conn_timeout;    /* seconds of silence before a client is dropped */
};

struct defer_pool;

struct app {
	struct app_config cfg;
	struct db db;
	struct defer_pool *pool;  /* slow work (password hashing); see http/defer.h */
	_Atomic long long health_ok_at; /* last second the store answered /healthz */
};

void app_config_defaults(struct app_config *cfg);

#endif
