/* router.h: one table of routes; a pattern is a path whose segments may be
 * `:name` parameters. 404 (no path matches) is told apart from 405 (a path
 * matches, the method does not; Allow lists the methods that would). */
#ifndef TROTH_ROUTER_H
#define TROTH_ROUTER_H

#include <stddef.h>

#include "req.h"

typedef route_handler *handler_fn;

enum route_flag {
	R_LOGIN = 1u << 0,    /* a logged-in user */
	R_COUPLE = 1u << 1,   /* ... who is in a couple */
	R_CSRF = 1u << 2,     /* a form that changes state: CSRF token checked */
	R_JSON = 1u << 3,     /* a JSON body is expected */
	R_OPERATOR = 1u << 4, /* the operator only */
	R_TEST = 1u << 5,     /* compiled only into test builds */
	R_KEEP = 1u << 6,     /* a GET whose answer may be kept per session (pagecache.h) */
};

struct route {
	const char *method;
	const char *pattern;
	handler_fn fn;
	unsigned flags;
};

enum route_result { ROUTE_FOUND = 0, ROUTE_NOT_FOUND = 404, ROUTE_BAD_METHOD = 405 };

/* Matches a path segment-by-segment against a pattern; on success adds the
 * :params to `params` (decoded values copied into the arena) and returns 1. */
int route_path_match(const char *pattern, const char *path, struct arena *a,
		     struct kvlist *params);

/* Finds the route for method+path. On ROUTE_FOUND sets *out and fills
 * r->params. On ROUTE_BAD_METHOD writes the allowed methods, comma-separated,
 * into allow. HEAD matches GET routes. */
enum route_result route_find(const struct route *table, size_t n, struct req *r,
			     const struct route **out, struct buf *allow);

/* The product's route table (src/routes.c). */
extern const struct route troth_routes[];
extern const size_t troth_routes_len;

/* The product's step after a write (src/routes.c): run by http_dispatch
 * once a handler of a request that is not a GET or HEAD has answered with
 * a status below 400 for a logged-in viewer. NULL for none. */
extern void (*const troth_after_write)(struct req *r);

/* Runs the request through the route table: lookup, central checks of the
 * flags, then the handler (and troth_after_write). Always leaves a
 * response in r. */
void http_dispatch(struct req *r);

/* The hook the auth layer installs to check R_LOGIN/R_COUPLE/R_CSRF/
 * R_OPERATOR before a handler runs; returns 0 to go on or -1 after
 * answering. NULL means no auth layer (plumbing tests). */
extern int (*http_auth_hook)(struct req *r, const struct route *rt);
/* Called by req_release: the auth layer drops its session reference. */
extern void (*http_release_hook)(struct req *r);

#endif
