/* static.h: serving the compiled-in files under /static/, the icon and the
 * API contract. */
#ifndef TROTH_STATIC_H
#define TROTH_STATIC_H

#include "req.h"

/* GET /static/:name — the asset with ETag, If-None-Match → 304, and a year
 * of caching (pages link to assets with ?v=ETAG, so a change is a new URL). */
void static_serve(struct req *r);

/* GET /favicon.ico — the app icon (a PNG; pages also link the SVG). */
void static_favicon(struct req *r);

/* GET /api/v1/openapi.json — the API contract (docs/openapi.yaml as JSON),
 * no login, with ETag (If-None-Match → 304), gzip when accepted, and
 * Cache-Control: no-cache. */
void static_openapi(struct req *r);

/* GET /sw.js: the service worker (static/sw.js), at the root so that its
 * scope is the whole site; revalidated every time (no-cache), so a new
 * worker reaches phones at once. */
void static_worker(struct req *r);

#endif
