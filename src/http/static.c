/* static.c: the compiled-in stylesheet, script, icons and web app manifest,
 * cached for a year (their URLs carry a hash of their content) and sent
 * gzip-compressed to clients that accept it (compressed at build time).
 * Pages themselves are never compressed: see docs/performance.md. Also the
 * API contract (docs/openapi.yaml, compiled in as JSON). */
#include "static.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "assets.h"

/* Assets whose URL carries their hash never change under that URL. */
#define LONG_CACHE "public, max-age=31536000, immutable"

/* True when an Accept-Encoding value accepts gzip (a "gzip" token without
 * q=0). */
static bool accepts_gzip(const char *v)
{
	while (v && *v) {
		while (*v == ' ' || *v == ',')
			v++;
		size_t n = strcspn(v, ",;");
		bool gz = n == 4 && !strncasecmp(v, "gzip", 4);
		v += n;
		double q = 1;
		if (*v == ';') {
			const char *e = v + strcspn(v, ",");
			const char *qs = strstr(v, "q=");
			if (qs && qs < e)
				q = strtod(qs + 2, NULL);
			v = e;
		}
		if (gz)
			return q > 0;
	}
	return false;
}

/* Serves asset a with Cache-Control cache (a conditional request gets
 * 304); no asset, a 404. */
static void serve_asset(struct req *r, const struct asset *a, const char *cache)
{
	if (!a) {
		req_error(r, 404, "not_found", "There is nothing at this address.", NULL);
		return;
	}
	bool gz = a->gz && accepts_gzip(kv_geti(&r->headers, "Accept-Encoding"));
	const char *etag = gz ? arena_printf(&r->arena, "%.*s-gz\"", (int)strlen(a->etag) - 1, a->etag)
			      : a->etag;
	r->static_asset = true;
	req_header(r, "ETag", etag);
	req_header(r, "Cache-Control", cache);
	if (a->gz)
		req_header(r, "Vary", "Accept-Encoding");
	r->content_type = a->type;
	const char *inm = kv_geti(&r->headers, "If-None-Match");
	buf_reset(&r->out);
	if (inm && (strstr(inm, etag) || !strcmp(inm, "*"))) {
		r->status = 304;
		return;
	}
	r->status = 200;
	if (gz) {
		req_header(r, "Content-Encoding", "gzip");
		buf_add(&r->out, a->gz, a->gz_len);
	} else {
		buf_add(&r->out, a->data, a->len);
	}
}

void static_serve(struct req *r)
{
	const char *name = kv_get(&r->params, "name");
	char full[256];
	const struct asset *a = NULL;
	if (name && strlen(name) < 200 && !strchr(name, '/')) {
		snprintf(full, sizeof(full), "static/%s", name);
		a = asset_find(full);
	}
	serve_asset(r, a, LONG_CACHE);
}

void static_favicon(struct req *r)
{
	serve_asset(r, asset_find("static/icon-192.png"), LONG_CACHE);
}

void static_openapi(struct req *r)
{
	/* the URL is stable, so clients revalidate with the ETag every time */
	serve_asset(r, asset_find("docs/openapi.json"), "no-cache");
}

void static_worker(struct req *r)
{
	serve_asset(r, asset_find("static/sw.js"), "no-cache");
}
