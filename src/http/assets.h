/* assets.h: files compiled into the binary by tools/embed.c: the stylesheet,
 * script, icons and web app manifest under static/ (served at /static/NAME) and the data files under
 * content/ (read by features). Names are paths relative to the repository,
 * e.g. "static/troth.css", "content/resources.txt". */
#ifndef TROTH_ASSETS_H
#define TROTH_ASSETS_H

#include <stddef.h>

struct asset {
	const char *name;
	const unsigned char *data; /* NUL-terminated after len, for text */
	size_t len;
	const char *etag;          /* quoted, from a hash of the content */
	const char *type;          /* Content-Type with charset */
	const unsigned char *gz;   /* a gzip copy made at build time, or NULL */
	size_t gz_len;
};

extern const struct asset troth_assets[];
extern const size_t troth_assets_len;

/* The asset with that name, or NULL. */
const struct asset *asset_find(const char *name);

#endif
