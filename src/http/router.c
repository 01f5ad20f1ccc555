/* router.c: route lookup over the one table, and dispatch with the central
 * checks of each route's flags. */
#include "router.h"

#include "../db/db.h"

#include <string.h>

#include "form.h"
#include "pagecache.h"

int (*http_auth_hook)(struct req *r, const struct route *rt);
void (*http_release_hook)(struct req *r);

int route_path_match(const char *pattern, const char *path, struct arena *a,
		     struct kvlist *params)
{
	const char *p = pattern, *s = path;
	size_t mark = params ? params->n : 0;
	while (*p && *s) {
		if (*p != '/' || *s != '/')
			goto fail;
		p++;
		s++;
		const char *pe = strchr(p, '/');
		const char *se = strchr(s, '/');
		size_t plen = pe ? (size_t)(pe - p) : strlen(p);
		size_t slen = se ? (size_t)(se - s) : strlen(s);
		if (plen && p[0] == ':') {
			if (!slen)
				goto fail;
			if (params) {
				char *v = url_decode(a, s, slen, 0);
				if (!v)
					goto fail;
				kv_add(a, params, arena_strndup(a, p + 1, plen - 1), v);
			}
		} else if (plen != slen || memcmp(p, s, plen)) {
			goto fail;
		}
		p += plen;
		s += slen;
	}
	if (!*p && !*s)
		return 1;
fail:
	if (params)
		params->n = mark;
	return 0;
}

enum route_result route_find(const struct route *table, size_t n, struct req *r,
			     const struct route **out, struct buf *allow)
{
	int path_seen = 0;
	const char *method = !strcmp(r->method, "HEAD") ? "GET" : r->method;
	for (size_t i = 0; i < n; i++) {
		const struct route *rt = &table[i];
		if (!route_path_match(rt->pattern, r->path, &r->arena, NULL))
			continue;
		if (!strcmp(rt->method, method)) {
			/* a :param that does not decode to clean text is no match */
			if (!route_path_match(rt->pattern, r->path, &r->arena, &r->params))
				return ROUTE_NOT_FOUND;
			*out = rt;
			r->route = rt->pattern;
			return ROUTE_FOUND;
		}
		if (allow && !strstr(allow->s, rt->method)) {
			if (allow->len)
				buf_adds(allow, ", ");
			buf_adds(allow, rt->method);
			if (!strcmp(rt->method, "GET"))
				buf_adds(allow, ", HEAD");
		}
		path_seen = 1;
	}
	return path_seen ? ROUTE_BAD_METHOD : ROUTE_NOT_FOUND;
}

void http_dispatch(struct req *r)
{
	const struct route *rt = NULL;
	struct buf allow = BUF_INIT;
	enum route_result res;
	req_apply_proxy(r);
	res = route_find(troth_routes, troth_routes_len, r, &rt, &allow);

	if (res == ROUTE_NOT_FOUND) {
		req_error(r, 404, "not_found", "There is nothing at this address.", NULL);
	} else if (res == ROUTE_BAD_METHOD) {
		req_header(r, "Allow", allow.s);
		req_error(r, 405, "method_not_allowed",
			  "This address does not take that kind of request.", NULL);
	} else {
		/* one read transaction for the whole request (db.h) */
		db_read_scope_begin();
		db_changed_reset();
		if (!http_auth_hook || http_auth_hook(r, rt) == 0) {
			if ((rt->flags & R_JSON) && !req_json_body(r))
				; /* answered */
			else if (!(rt->flags & R_KEEP))
				rt->fn(r);
			else if (!pagecache_serve(r))
				pagecache_run(r, rt->fn);
			/* a handler that left slow work, or waits its turn, runs again */
			bool finished = !r->wait_ms && (!r->defer_fn || r->defer_done);
			if (finished && troth_after_write && r->me && r->status < 400 && strcmp(rt->method, "GET"))
				troth_after_write(r);
		}
		db_write_for(0); /* the next request's writes are for anyone until its viewer is known */
		db_read_scope_end();
	}
	buf_release(&allow);
}
