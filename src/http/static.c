/* static.c: the compiled-in stylesheet and script, long-cached. */
#include "static.h"

#include <stdio.h>
#include <string.h>

#include "assets.h"

void static_serve(struct req *r)
{
	const char *name = kv_get(&r->params, "name");
	char full[256];
	const struct asset *a = NULL;
	if (name && strlen(name) < 200 && !strchr(name, '/')) {
		snprintf(full, sizeof(full), "static/%s", name);
		a = asset_find(full);
	}
	if (!a) {
		req_error(r, 404, "not_found", "There is nothing at this address.", NULL);
		return;
	}
	r->static_asset = true;
	req_header(r, "ETag", a->etag);
	req_header(r, "Cache-Control", "public, max-age=31536000, immutable");
	r->content_type = a->type;
	const char *inm = kv_geti(&r->headers, "If-None-Match");
	if (inm && (strstr(inm, a->etag) || !strcmp(inm, "*"))) {
		r->status = 304;
		buf_reset(&r->out);
		return;
	}
	r->status = 200;
	buf_reset(&r->out);
	buf_add(&r->out, a->data, a->len);
}
