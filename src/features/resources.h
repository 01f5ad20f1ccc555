/* resources.h: the safety resources (hotlines, emergency numbers) from the
 * data file content/resources.txt, compiled in and edited per country, and
 * the Help and safety page that shows them without a login. */
#ifndef TROTH_RESOURCES_H
#define TROTH_RESOURCES_H

#include <stddef.h>

#include "../http/req.h"

/* One service, in file order. Strings are never NULL (empty when absent) and
 * are valid UTF-8 without "|". `tel` is the phone number reduced to a leading
 * "+" and digits, ready for a tel: link (empty when there is no phone). */
struct resource {
	const char *country;
	const char *name;
	const char *phone;
	const char *tel;
	const char *text;
	const char *url;   /* http:// or https://, or empty */
	const char *note;
};

/* Number of well-formed entries. Parses the file on first use (thread-safe);
 * malformed lines are skipped and logged by line number. */
int resources_count(void);
/* Entry i (0 <= i < resources_count()), or NULL when out of range. The entry
 * lives until resources_free. */
const struct resource *resources_get(size_t i);
/* Releases the parsed entries at clean exit; afterwards the count is 0. */
void resources_free(void);

/* GET /safety — reachable without login. */
route_handler resources_page;

#endif
