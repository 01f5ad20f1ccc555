/* zones.c: the time zone chooser (see zones.h). */
#include "zones.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "forms.h"
#include "html.h"

#ifndef ZONES_TAB
#define ZONES_TAB "/usr/share/zoneinfo/zone1970.tab"
#endif
#define ZONES_MAX 1024

static char **zones;
static size_t nzones;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads the third column of each line that is not a comment. */
static void load(void)
{
	FILE *f = fopen(ZONES_TAB, "r");
	char line[512];
	if (!f)
		return;
	zones = calloc(ZONES_MAX, sizeof(*zones));
	while (zones && nzones < ZONES_MAX && fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		char *save = NULL, *cc = strtok_r(line, "\t\n", &save);
		char *coord = cc ? strtok_r(NULL, "\t\n", &save) : NULL;
		char *tz = coord ? strtok_r(NULL, "\t\n", &save) : NULL;
		if (tz && strchr(tz, '/') && strlen(tz) < 64)
			zones[nzones++] = strdup(tz);
	}
	fclose(f);
	qsort(zones, nzones, sizeof(*zones), by_name);
}

size_t zones_count(void)
{
	pthread_once(&once, load);
	return nzones;
}

void zones_free(void)
{
	for (size_t i = 0; i < nzones; i++)
		free(zones[i]);
	free(zones);
	zones = NULL;
	nzones = 0;
}

/* "America/Argentina/Buenos_Aires" → "Argentina / Buenos Aires", in arena a. */
static const char *city(struct arena *a, const char *tz)
{
	const char *rest = strchr(tz, '/') + 1;
	char *s = arena_strdup(a, rest);
	struct buf b = BUF_INIT;
	for (char *p = s; *p; p++) {
		if (*p == '_')
			buf_add(&b, " ", 1);
		else if (*p == '/')
			buf_add(&b, " / ", 3);
		else
			buf_add(&b, p, 1);
	}
	const char *out = arena_strndup(a, b.s ? b.s : "", b.len);
	buf_release(&b);
	return out;
}

const char *zone_words(struct arena *a, const char *zone)
{
	if (!zone)
		return "";
	const char *last = strrchr(zone, '/');
	if (!last)
		return zone;
	char *s = arena_strdup(a, last + 1);
	for (char *p = s; *p; p++)
		if (*p == '_')
			*p = ' ';
	return s;
}

void ui_zone_select(struct req *r, const char *label, const char *name, const char *selected,
		    const char *hint, bool guess)
{
	if (!zones_count()) {
		ui_input(r, label, name, "text", selected, "off", hint, 1);
		return;
	}
	html(&r->out, "<p class=\"field\"><label for=\"f-%s\">%s</label>", name, label);
	if (hint)
		html(&r->out, "<span class=\"hint\" id=\"h-%s\">%s</span>", name, hint);
	html(&r->out, "<select id=\"f-%s\" name=\"%s\"", name, name);
	if (hint)
		html(&r->out, " aria-describedby=\"h-%s\"", name);
	if (guess)
		html_unsafe_raw(&r->out, " data-zone-guess");
	html_unsafe_raw(&r->out, " required>\n");
	bool listed = selected && bsearch(&selected, zones, nzones, sizeof(*zones), by_name);
	if (!selected)
		html_unsafe_raw(&r->out, "<option value=\"\" selected>Choose your time zone</option>\n");
	else if (!listed)
		html(&r->out, "<option value=\"%s\" selected>%s</option>\n", selected, selected);
	size_t region_len = 0;
	const char *region = NULL;
	for (size_t i = 0; i < nzones; i++) {
		const char *tz = zones[i];
		size_t len = (size_t)(strchr(tz, '/') - tz);
		if (!region || len != region_len || strncmp(tz, region, len)) {
			if (region)
				html_unsafe_raw(&r->out, "</optgroup>\n");
			region = tz;
			region_len = len;
			html(&r->out, "<optgroup label=\"%s\">\n", arena_strndup(&r->arena, tz, len));
		}
		html(&r->out, "<option value=\"%s\"%s>%s</option>\n", tz,
		     selected && !strcmp(selected, tz) ? " selected" : "", city(&r->arena, tz));
	}
	html_unsafe_raw(&r->out, "</optgroup>\n</select></p>\n");
}
