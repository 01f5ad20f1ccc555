/* req.h: the request context passed explicitly to every handler.
 *
 * A request owns an arena; everything hung off it (strings, lists, parsed
 * JSON references) lives until the response is sent. Nothing on the request
 * path reads globals: what a handler needs is reachable from `struct req`.
 * The same struct is built by the server (server.c) and by tests
 * (req_init + fields), so handlers run the same way in both. */
#ifndef TROTH_REQ_H
#define TROTH_REQ_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "../base/arena.h"
#include "../base/buf.h"

#define REQ_BODY_MAX (64 * 1024)
#define REQ_PATH_MAX 2048
/* The request headers we read, names and values together (libmicrohttpd
 * itself stops at the connection's 64 KiB of memory). */
#define REQ_HEADERS_MAX (16 * 1024)

struct kv {
	const char *key;
	const char *val;
};

/* An arena-backed list of key/value pairs in arrival order. */
struct kvlist {
	struct kv *v;
	size_t n, cap;
};

void kv_add(struct arena *a, struct kvlist *l, const char *key, const char *val);
/* First value for key, or NULL. kv_get is exact; kv_geti ignores ASCII case. */
const char *kv_get(const struct kvlist *l, const char *key);
const char *kv_geti(const struct kvlist *l, const char *key);

struct app;
struct viewer;

struct req {
	struct app *app;          /* server-wide state; may be NULL in unit tests */
	struct arena arena;

	/* what came in */
	const char *method;
	const char *path;         /* decoded path, no query */
	struct kvlist headers;    /* names as sent; look up with kv_geti */
	struct kvlist query;
	struct kvlist params;     /* :name values from the route pattern */
	const char *route;        /* the matched pattern: what logs show, never the path */
	struct kvlist cookies;
	struct kvlist form;       /* urlencoded body, when parsed */
	const char *body;         /* may contain NULs; body_len is the truth */
	size_t body_len;
	json_t *json;             /* parsed JSON body (owned; freed with req) */
	const char *client_addr;  /* textual, for throttling and logs */
	bool is_api;              /* path under /api/: errors are JSON */
	bool tls;                 /* served over TLS or behind a TLS proxy */
	time_t now;               /* the request's clock, read once in req_init */

	/* who is asking (filled by the auth layer; NULL when nobody is logged in) */
	struct viewer *me;

	/* what goes out */
	int status;
	const char *content_type;
	struct kvlist resp_headers;
	struct buf out;
	bool static_asset;        /* long-cached: no Cache-Control: no-store */

	/* answers worked out once in this request (req_memo_get/put) */
	struct req_memo *memo;

	/* slow work (defer.h): set by a handler, run by the server */
	void (*defer_fn)(void *arg);
	void *defer_arg;
	bool defer_done;          /* the job ran; the handler is called again */
	unsigned wait_ms;         /* come back after this long (req_wait), no job */
	unsigned waited_ms;       /* how long the request has waited so far */
	unsigned long turn;       /* its ticket while it waits its turn (auth/throttle.h) */
	struct timespec started;  /* CLOCK_MONOTONIC at req_init, for the log's duration */
};

/* The function type of every page and API handler: a header declares its
 * handlers as `route_handler x_page, x_post;`. */
typedef void route_handler(struct req *r);

/* Reads the client's address and scheme from a trusted reverse proxy:
 * only when r->client_addr (the TCP peer) is one of --trusted-proxy, the
 * client becomes the right-most X-Forwarded-For entry that is not itself a
 * trusted proxy, and "X-Forwarded-Proto: https" sets r->tls. From anyone
 * else both headers are ignored, and an entry that is not an IP address
 * leaves the peer as the client. Runs first in http_dispatch; running it
 * again changes nothing. */
void req_apply_proxy(struct req *r);

void req_init(struct req *r, struct app *app, const char *method, const char *path);

/* A reader's answer kept for the rest of the request, so a page whose
 * pieces ask the same owner the same question (the home page's cards, the
 * insights and the recovery criteria) reads it once. key names the
 * question (the reader's own static tag), v whom it was answered for; the
 * value lives in r's arena. A write on this thread since the answer was
 * kept makes it stale: req_memo_get then answers false. */
struct req_memo;
/* True with *val and *n set when a value is kept under (key, v) and still
 * fresh (an empty answer is kept too: *val NULL, *n 0). */
bool req_memo_get(struct req *r, const void *key, const struct viewer *v, void **val, size_t *n);
/* Keeps val (n elements, in r's arena) under (key, v). */
void req_memo_put(struct req *r, const void *key, const struct viewer *v, void *val, size_t n);
void req_release(struct req *r);

/* Adds a response header (copied into the arena). */
void req_header(struct req *r, const char *name, const char *value);

/* A JSON response: takes the reference to `body`. */
void req_json(struct req *r, int status, json_t *body);
/* An instant as the API writes every one: an RFC 3339 string in UTC,
 * "2026-12-02T05:55:33Z" (seconds since 1970 in). */
json_t *json_instant(long long t);
/* The same, or JSON null when set is false. */
json_t *json_instant_if(bool set, long long t);
/* The seconds of an instant json_instant wrote; 0 when x is none. */
long long json_instant_value(const json_t *x);

/* An error: JSON {"error":{"code","message","field"?}} under /api/,
 * a calm HTML page elsewhere. `field` may be NULL. */
void req_error(struct req *r, int status, const char *code, const char *message,
	       const char *field);
/* The error for a failed SQLite call: 503 for a storage failure
 * (full disk, I/O error, corruption), 500 otherwise. */
void req_db_error(struct req *r, int sqlite_rc);
/* 303 See Other to a local path. */
void req_redirect(struct req *r, const char *location);

/* Parses the body as a JSON object (UTF-8 checked, duplicate keys refused).
 * Returns the object or NULL after answering 400/415 itself. */
json_t *req_json_body(struct req *r);
/* Parses an urlencoded body into r->form. Returns 0, or -1 after answering
 * 400/415 itself. */
int req_form_body(struct req *r);

/* The form field name, or NULL when absent or empty. */
const char *req_form_field(const struct req *r, const char *name);
/* The route parameter name (":id") as an integer in [1, max], or -1 when
 * it is absent or not such a number written plainly (no sign, no leading 0). */
long long req_param_id(const struct req *r, const char *name, long long max);
/* For endpoints that take no body: none, or an empty JSON object. Returns
 * 0, or -1 after answering (400 unknown_field for any field). */
int req_no_body(struct req *r);

/* True when rc is SQLITE_OK; otherwise answers it with req_db_error and
 * returns false. */
bool req_db_ok(struct req *r, int rc);
/* Runs fn(w, arg) as one write (db_write). Returns 0, or -1 after
 * answering the storage error. */
int req_write(struct req *r, int (*fn)(sqlite3 *w, void *arg), void *arg);
/* The rows of st, a query prepared on c (st NULL when it could not be, c
 * NULL when there is no connection), as a JSON array of row(r, v, st, arg)
 * each; or NULL with *rc the error. *rc is SQLITE_OK otherwise. Releases
 * st. */
json_t *req_rows(struct req *r, const struct viewer *v, sqlite3 *c, sqlite3_stmt *st,
		 json_t *(*row)(struct req *r, const struct viewer *v, sqlite3_stmt *st, const void *arg),
		 const void *arg, int *rc);
/* The rows of st (prepared on c, as for req_rows), whose first column is a
 * day "YYYY-MM-DD", as an arena array of items of size bytes in *out, *n
 * of them: fill(r, item, day, st) sets each, or returns false to pass the
 * row over; a row without a valid day is passed over. Returns SQLITE_OK or
 * the error. Releases st. */
int req_day_rows(struct req *r, sqlite3 *c, sqlite3_stmt *st, size_t size,
		 bool (*fill)(struct req *r, void *item, long day, sqlite3_stmt *st), void **out, size_t *n);
/* Answers 200 with {key: items}, or the storage error rc when items is
 * NULL. Takes the reference to items. */
void req_json_items(struct req *r, const char *key, json_t *items, int rc);
/* The end of a form post that wrote: the error for sqlite_rc when it is not
 * SQLITE_OK, else 303 See Other to location. */
void req_redirect_after(struct req *r, int sqlite_rc, const char *location);

/* A JSON array of to_json(item) for each of the n items of size bytes at
 * items. */
json_t *req_json_items_of(const void *items, size_t n, size_t size, json_t *(*to_json)(const void *item));
/* The outcome of a save that a day allows once, by its SQLite code rc: 1
 * when that day's row was there already (status 409 is set, for the caller
 * to say so), -1 after answering any other storage error, 0 when it was
 * stored. */
int req_saved_once(struct req *r, int rc);

/* How the API answers one outcome of a write that did not happen: the
 * status, code, message and field (NULL for none) of req_error. */
struct req_refusal {
	int out, status;
	const char *code, *message, *field;
};
/* Answers the refusal listed for out in refusals (a list ended by one of
 * status 0) and returns true; returns false, answering nothing, when out
 * is not listed. */
bool req_refuse(struct req *r, const struct req_refusal *refusals, int out);
/* Answers the refusal listed for out, or else the storage error rc
 * (SQLITE_ERROR when rc is SQLITE_OK). */
void req_refuse_or_db(struct req *r, const struct req_refusal *refusals, int out, int rc);
/* The end of a form post whose write came out as out (0 when it
 * happened): 303 See Other to location, or else as req_refuse_or_db. */
void req_refuse_or_redirect(struct req *r, const struct req_refusal *refusals, int out, int rc,
			    const char *location);

#endif
