/* yourdata.h: "Your data" (yourdata.c): a person's own copy of everything
 * they may see, after typing their password again, as one JSON document
 * (docs/export.schema.json) or one self-contained HTML file. Every record
 * is read through its room's export reader (<room>_export), which goes
 * through that room's visibility rule; this file holds no SQL. */
#ifndef TROTH_FEATURE_YOURDATA_H
#define TROTH_FEATURE_YOURDATA_H

#include "../http/req.h"

/* The page: GET /settings/data; the download: POST /settings/data/export
 * (password, format "html" or "json"; deferred). */
route_handler yourdata_page, yourdata_export_post;
/* API (docs/api.md, "Your data"): POST /api/v1/export and
 * POST /api/v1/export.html, {"password"} (deferred). */
route_handler yourdata_api_export, yourdata_api_export_html;

#endif
