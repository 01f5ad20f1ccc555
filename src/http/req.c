/* req.c: the request context: key/value lists, responses, error bodies and
 * the body readers every handler shares. */
#include "req.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../app.h"
#include "../base/caltime.h"
#include "../db/db.h"
#include "../ui/page.h"
#include "form.h"
#include "jsonin.h"
#include "jsonout.h"
#include "router.h"

void kv_add(struct arena *a, struct kvlist *l, const char *key, const char *val)
{
	l->v = arena_grow(a, l->v, l->n, &l->cap, sizeof(*l->v));
	l->v[l->n].key = key;
	l->v[l->n].val = val;
	l->n++;
}

const char *kv_get(const struct kvlist *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].key, key))
			return l->v[i].val;
	return NULL;
}

const char *kv_geti(const struct kvlist *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcasecmp(l->v[i].key, key))
			return l->v[i].val;
	return NULL;
}

/* The canonical text of the address in s[0..n) (spaces around it allowed)
 * into out, or false when it is no IPv4 or IPv6 address. */
static bool canonical_addr(const char *s, size_t n, char out[INET6_ADDRSTRLEN])
{
	char tmp[INET6_ADDRSTRLEN];
	unsigned char bin[16];
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (!n || n >= sizeof(tmp))
		return false;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (inet_pton(AF_INET, tmp, bin) == 1)
		return inet_ntop(AF_INET, bin, out, INET6_ADDRSTRLEN) != NULL;
	if (inet_pton(AF_INET6, tmp, bin) == 1)
		return inet_ntop(AF_INET6, bin, out, INET6_ADDRSTRLEN) != NULL;
	return false;
}

void req_apply_proxy(struct req *r)
{
	if (!r->app || !r->app->cfg.n_trusted_proxies || !r->client_addr ||
	    !app_is_trusted_proxy(&r->app->cfg, r->client_addr))
		return;
	const char *proto = kv_geti(&r->headers, "X-Forwarded-Proto");
	if (proto && !strcasecmp(proto, "https"))
		r->tls = true;
	/* every X-Forwarded-For line, in order, as one list */
	struct buf list = BUF_INIT;
	for (size_t i = 0; i < r->headers.n; i++) {
		if (strcasecmp(r->headers.v[i].key, "X-Forwarded-For"))
			continue;
		if (list.len)
			buf_adds(&list, ",");
		buf_adds(&list, r->headers.v[i].val);
	}
	char addr[INET6_ADDRSTRLEN];
	const char *client = NULL;
	size_t end = list.len;
	while (end > 0) {
		size_t start = end;
		while (start > 0 && list.s[start - 1] != ',')
			start--;
		if (!canonical_addr(list.s + start, end - start, addr)) {
			client = NULL; /* unreadable: keep the peer as the client */
			break;
		}
		client = addr;
		if (!app_is_trusted_proxy(&r->app->cfg, addr))
			break;
		end = start ? start - 1 : 0;
	}
	if (client)
		r->client_addr = arena_strdup(&r->arena, client);
	buf_release(&list);
}

void req_init(struct req *r, struct app *app, const char *method, const char *path)
{
	memset(r, 0, sizeof(*r));
	r->app = app;
	r->method = method;
	r->path = path;
	r->is_api = !strncmp(path, "/api/", 5) || !strcmp(path, "/api");
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
	r->client_addr = "";
	r->now = time(NULL);
	clock_gettime(CLOCK_MONOTONIC, &r->started);
	buf_init(&r->out, 0);
}

void req_release(struct req *r)
{
	if (http_release_hook)
		http_release_hook(r);
	if (r->json)
		json_decref(r->json);
	r->json = NULL;
	buf_release(&r->out);
	arena_release(&r->arena);
}

struct req_memo {
	const void *key;
	const struct viewer *v;
	void *val;
	size_t n;
	unsigned long writes; /* db_thread_writes() when it was kept */
	struct req_memo *next;
};

bool req_memo_get(struct req *r, const void *key, const struct viewer *v, void **val, size_t *n)
{
	unsigned long w = db_thread_writes();
	for (struct req_memo *m = r->memo; m; m = m->next)
		if (m->key == key && m->v == v && m->writes == w) {
			*val = m->val;
			*n = m->n;
			return true;
		}
	return false;
}

void req_memo_put(struct req *r, const void *key, const struct viewer *v, void *val, size_t n)
{
	struct req_memo *m = arena_alloc(&r->arena, sizeof(*m));
	*m = (struct req_memo){ key, v, val, n, db_thread_writes(), r->memo };
	r->memo = m;
}

void req_header(struct req *r, const char *name, const char *value)
{
	kv_add(&r->arena, &r->resp_headers, arena_strdup(&r->arena, name),
	       arena_strdup(&r->arena, value));
}

void req_json(struct req *r, int status, json_t *body)
{
	buf_reset(&r->out);
	if (json_write(&r->out, body) < 0)
		die("json_write failed");
	json_decref(body);
	r->status = status;
	r->content_type = "application/json; charset=utf-8";
}

void req_error(struct req *r, int status, const char *code, const char *message,
	       const char *field)
{
	if (r->is_api) {
		json_t *err = json_pack("{s:s, s:s}", "code", code, "message", message);
		if (field)
			json_object_set_new(err, "field", json_string(field));
		req_json(r, status, json_pack("{s:o}", "error", err));
		return;
	}
	buf_reset(&r->out);
	const char *heading = status >= 500 ? "Something went wrong on our side"
			      : status == 404 ? "We could not find that page"
			      : "That did not work";
	page_message(r, status, heading, message);
}

void req_db_error(struct req *r, int rc)
{
	if (db_is_storage_failure(rc))
		req_error(r, 503, "storage_unavailable",
			  "The server cannot reach its storage right now. Nothing was saved. "
			  "Please try again later.", NULL);
	else
		req_error(r, 500, "internal_error",
			  "Something went wrong on our side. Nothing was saved.", NULL);
}

void req_redirect(struct req *r, const char *location)
{
	buf_reset(&r->out);
	r->status = 303;
	req_header(r, "Location", location);
}

static bool content_type_is(struct req *r, const char *want)
{
	const char *ct = kv_geti(&r->headers, "Content-Type");
	size_t n = strlen(want);
	if (!ct)
		return false;
	return !strncasecmp(ct, want, n) && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

json_t *req_json_body(struct req *r)
{
	json_error_t jerr;
	if (r->json)
		return r->json;
	if (!content_type_is(r, "application/json")) {
		req_error(r, 415, "unsupported_media_type",
			  "Please send the body as application/json.", NULL);
		return NULL;
	}
	if (r->body_len > REQ_BODY_MAX) {
		req_error(r, 413, "body_too_large", "The request body is too large.", NULL);
		return NULL;
	}
	/* jansson checks UTF-8 itself; it rejects NUL inside strings unless
	 * JSON_ALLOW_NUL, and duplicate keys with JSON_REJECT_DUPLICATES. */
	json_t *j = json_loadb(r->body ? r->body : "", r->body_len,
			       JSON_REJECT_DUPLICATES, &jerr);
	if (!j) {
		req_error(r, 400, "invalid_json",
			  "The body is not valid JSON (or repeats a key).", NULL);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		req_error(r, 400, "invalid_json", "The body must be a JSON object.", NULL);
		return NULL;
	}
	r->json = j;
	return j;
}

int req_form_body(struct req *r)
{
	if (!content_type_is(r, "application/x-www-form-urlencoded")) {
		req_error(r, 415, "unsupported_media_type", "Please send the form again.", NULL);
		return -1;
	}
	if (form_parse(&r->arena, r->body ? r->body : "", r->body_len, &r->form) < 0) {
		req_error(r, 400, "bad_form", "The form could not be read. Please try again.", NULL);
		return -1;
	}
	return 0;
}

const char *req_form_field(const struct req *r, const char *name)
{
	const char *v = kv_get(&r->form, name);
	return v && *v ? v : NULL;
}

long long req_param_id(const struct req *r, const char *name, long long max)
{
	const char *s = kv_get(&r->params, name);
	char *end;
	if (!s || *s < '1' || *s > '9' || strlen(s) > 18) /* one spelling: no leading 0 */
		return -1;
	long long v = strtoll(s, &end, 10);
	return *end || v < 1 || v > max ? -1 : v;
}

int req_no_body(struct req *r)
{
	static const char *const NONE[] = { NULL };
	if (!r->body_len)
		return 0;
	json_t *b = req_json_body(r);
	return b && jin_only(r, b, NONE) == 0 ? 0 : -1;
}

bool req_db_ok(struct req *r, int rc)
{
	if (rc == SQLITE_OK)
		return true;
	req_db_error(r, rc);
	return false;
}

int req_write(struct req *r, int (*fn)(sqlite3 *w, void *arg), void *arg)
{
	return req_db_ok(r, db_write(&r->app->db, fn, arg)) ? 0 : -1;
}

json_t *req_rows(struct req *r, const struct viewer *v, sqlite3 *c, sqlite3_stmt *st,
		 json_t *(*row)(struct req *r, const struct viewer *v, sqlite3_stmt *st, const void *arg),
		 const void *arg, int *rc)
{
	if (!st) {
		*rc = c ? sqlite3_extended_errcode(c) : SQLITE_CANTOPEN;
		return NULL;
	}
	json_t *a = json_array();
	while ((*rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(a, row(r, v, st, arg));
	db_done(st);
	if (*rc != SQLITE_DONE) {
		json_decref(a);
		return NULL;
	}
	*rc = SQLITE_OK;
	return a;
}

int req_day_rows(struct req *r, sqlite3 *c, sqlite3_stmt *st, size_t size,
		 bool (*fill)(struct req *r, void *item, long day, sqlite3_stmt *st), void **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!st)
		return c ? sqlite3_errcode(c) : SQLITE_CANTOPEN;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long day;
		const char *s = (const char *)sqlite3_column_text(st, 0);
		if (!s || date_parse(s, &day) < 0)
			continue;
		*out = arena_grow(&r->arena, *out, *n, &cap, size);
		if (fill(r, (char *)*out + *n * size, day, st))
			++*n;
	}
	db_done(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

void req_json_items(struct req *r, const char *key, json_t *items, int rc)
{
	if (!items)
		req_db_error(r, rc);
	else
		req_json(r, 200, json_pack("{s:o}", key, items));
}

void req_redirect_after(struct req *r, int sqlite_rc, const char *location)
{
	if (sqlite_rc != SQLITE_OK)
		req_db_error(r, sqlite_rc);
	else
		req_redirect(r, location);
}

json_t *req_json_items_of(const void *items, size_t n, size_t size, json_t *(*to_json)(const void *item))
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, to_json((const char *)items + i * size));
	return a;
}

int req_saved_once(struct req *r, int rc)
{
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		r->status = 409;
		return 1;
	}
	return req_db_ok(r, rc) ? 0 : -1;
}

bool req_refuse(struct req *r, const struct req_refusal *refusals, int out)
{
	for (const struct req_refusal *f = refusals; f->status; f++)
		if (f->out == out) {
			req_error(r, f->status, f->code, f->message, f->field);
			return true;
		}
	return false;
}

void req_refuse_or_db(struct req *r, const struct req_refusal *refusals, int out, int rc)
{
	if (!req_refuse(r, refusals, out))
		req_db_error(r, rc ? rc : SQLITE_ERROR);
}

void req_refuse_or_redirect(struct req *r, const struct req_refusal *refusals, int out, int rc,
			    const char *location)
{
	if (out)
		req_refuse_or_db(r, refusals, out, rc);
	else
		req_redirect(r, location);
}
