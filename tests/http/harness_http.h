/* harness_http.h: in-process HTTP for tests. Builds a struct req the way
 * the server does (headers, query, cookies, body), runs http_dispatch and
 * adds the headers every response carries, against a real store in a
 * temporary directory. */
#ifndef TROTH_TEST_HARNESS_HTTP_H
#define TROTH_TEST_HARNESS_HTTP_H

#include "app.h"
#include "http/req.h"

struct thttp {
	struct app app;
	char dir[64];
	char path[128];
	const char *client_addr;  /* the address requests come from; NULL: 127.0.0.1 */
};

/* Opens a fresh store in a new temporary directory. Aborts on failure. */
void thttp_open(struct thttp *t);
/* The same, starting from a copy of the store at template_path (a file
 * another thttp made and snapshot with thttp_snapshot). */
void thttp_open_from(struct thttp *t, const char *template_path);
/* Writes a consistent copy of t's store to path (SQLite's backup). Returns
 * 0, or -1. */
int thttp_snapshot(struct thttp *t, const char *path);
/* Closes the store and removes the directory. */
void thttp_close(struct thttp *t);

/* Runs one request. `path` may carry a ?query. `headers` is a NULL-ended
 * list of "Name", "value" pairs, or NULL. The response is left in *r; call
 * req_release(r) afterwards. */
void thttp_do(struct thttp *t, struct req *r, const char *method, const char *path,
	      const char *const *headers, const char *body, size_t body_len);

/* thttp_do in two halves, for requests in flight together: thttp_begin
 * dispatches the request once (after it, r->defer_fn is set when the
 * handler deferred a slow job that has not run yet, r->wait_ms when it
 * waits its turn); thttp_end runs that job or ends the wait, dispatches
 * again (as often as the handler asks) and finishes the headers. */
void thttp_begin(struct thttp *t, struct req *r, const char *method, const char *path,
		 const char *const *headers, const char *body, size_t body_len);
void thttp_end(struct thttp *t, struct req *r);

/* The response header's value, or NULL. */
const char *thttp_header(struct req *r, const char *name);

#endif
