/* resources.c: reads content/resources.txt (see the comment at its top for
 * the format) once, and renders the Help and safety page. Everything from the
 * file reaches the page through html(), escaped. */
#include "resources.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/log.h"
#include "../base/utf8.h"
#include "../http/assets.h"
#include "../ui/html.h"
#include "../ui/page.h"

#define RESOURCES_FILE "content/resources.txt"
#define NFIELDS 6

static pthread_once_t parse_once = PTHREAD_ONCE_INIT;
static char *text_copy;            /* the file, cut in place into fields */
static struct resource *entries;
static size_t nentries;

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Trims s in place (it is inside text_copy) and returns the trimmed start. */
static char *trim(char *s)
{
	while (is_space(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && is_space(s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* A phone number as written: digits, spaces, - . ( ) and a leading +.
 * Returns the tel: form ("+" and digits) in a new string, or NULL. */
static char *tel_of(const char *phone)
{
	size_t n = strlen(phone), k = 0, digits = 0;
	char *tel = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++) {
		char c = phone[i];
		if (c >= '0' && c <= '9') {
			tel[k++] = c;
			digits++;
		} else if (c == '+' && k == 0 && digits == 0) {
			tel[k++] = c;
		} else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
			free(tel);
			return NULL;
		}
	}
	tel[k] = '\0';
	if (digits == 0 || digits > 20) {
		free(tel);
		return NULL;
	}
	return tel;
}

/* An http(s) URL with a host after the scheme (not a bare "https://"). */
static bool is_web_url(const char *u)
{
	size_t skip = !strncmp(u, "https://", 8) ? 8 : !strncmp(u, "http://", 7) ? 7 : 0;
	return skip && u[skip] && u[skip] != '/';
}

/* Parses one line (already NUL-terminated, not a comment, not blank) into e.
 * Returns false when the line does not fit the format. */
static bool parse_line(char *line, struct resource *e)
{
	char *f[NFIELDS];
	size_t nf = 0;
	char *p = line;
	for (;;) {
		char *bar = strchr(p, '|');
		if (nf == NFIELDS)
			return false; /* too many fields */
		if (bar)
			*bar = '\0';
		f[nf++] = trim(p);
		if (!bar)
			break;
		p = bar + 1;
	}
	if (nf != NFIELDS)
		return false;
	for (size_t i = 0; i < NFIELDS; i++)
		if (!utf8_valid_text(f[i], strlen(f[i])))
			return false;
	if (!f[0][0] || !f[1][0] || (!f[2][0] && !f[4][0]))
		return false;
	if (f[4][0] && !is_web_url(f[4]))
		return false;
	char *tel = NULL;
	if (f[2][0] && !(tel = tel_of(f[2])))
		return false;
	e->country = f[0];
	e->name = f[1];
	e->phone = f[2];
	e->tel = tel ? tel : "";
	e->text = f[3];
	e->url = f[4];
	e->note = f[5];
	return true;
}

static void parse(void)
{
	const struct asset *a = asset_find(RESOURCES_FILE);
	if (!a) {
		log_msg("resources: %s is not compiled in", RESOURCES_FILE);
		return;
	}
	text_copy = xmalloc(a->len + 1);
	memcpy(text_copy, a->data, a->len);
	text_copy[a->len] = '\0';

	size_t lines = 1;
	for (size_t i = 0; i < a->len; i++)
		lines += text_copy[i] == '\n';
	entries = xcalloc(lines, sizeof(*entries));

	char *p = text_copy, *end = text_copy + a->len;
	for (size_t lineno = 1; p < end; lineno++) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *next = nl ? nl + 1 : end;
		if (nl)
			*nl = '\0';
		/* a NUL inside the line would cut it short: refuse such a line */
		bool has_nul = strlen(p) != (size_t)((nl ? nl : end) - p);
		char *line = trim(p);
		if (!has_nul && (line[0] == '\0' || line[0] == '#')) {
			p = next;
			continue;
		}
		if (has_nul || !parse_line(line, &entries[nentries]))
			log_msg("resources: %s line %zu skipped: not in the format",
				RESOURCES_FILE, lineno);
		else
			nentries++;
		p = next;
	}
}

int resources_count(void)
{
	pthread_once(&parse_once, parse);
	return (int)nentries;
}

const struct resource *resources_get(size_t i)
{
	pthread_once(&parse_once, parse);
	return i < nentries ? &entries[i] : NULL;
}

void resources_free(void)
{
	pthread_once(&parse_once, parse);
	for (size_t i = 0; i < nentries; i++)
		if (entries[i].tel[0])
			free((char *)entries[i].tel);
	free(entries);
	free(text_copy);
	entries = NULL;
	text_copy = NULL;
	nentries = 0;
}

static void render_entry(struct buf *o, const struct resource *e)
{
	html(o, "<li class=\"card\"><h4>%s</h4>\n", e->name);
	if (e->phone[0])
		html(o, "<p class=\"call\"><a class=\"button\" href=\"tel:%s\">Call %s</a></p>\n",
		     e->tel, e->phone);
	if (e->text[0])
		html(o, "<p>%s</p>\n", e->text);
	if (e->note[0])
		html(o, "<p>%s</p>\n", e->note);
	if (e->url[0]) {
		/* shown without the scheme and a trailing slash: easier to read */
		const char *shown = e->url + (e->url[4] == 's' ? 8 : 7);
		size_t n = strlen(shown);
		if (n > 1 && shown[n - 1] == '/')
			n--;
		html(o, "<p><a href=\"%s\" rel=\"noreferrer\">%.*s</a></p>\n",
		     e->url, (int)n, shown);
	}
	html(o, "</li>\n");
}

void resources_page(struct req *r)
{
	struct buf *o = &r->out;
	size_t n = (size_t)resources_count();

	page_begin(r, "Help and safety");
	html(o, "<div class=\"notice safety\">\n"
		"<h2>If you are in danger right now</h2>\n"
		"<p>Call your local emergency number. Your safety comes before "
		"anything else here.</p>\n"
		"</div>\n");

	html(o, "<h2>People you can talk to</h2>\n");
	if (n == 0) {
		html(o, "<p>No phone numbers are listed here yet. Your local "
			"emergency number is a good place to start.</p>\n");
	} else {
		html(o, "<p>You do not need to be sure of anything before you "
			"call. You can just call.</p>\n");
	}
	const char *country = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct resource *e = resources_get(i);
		if (!country || strcmp(country, e->country)) {
			if (country)
				html(o, "</ul></section>\n");
			country = e->country;
			html(o, "<section class=\"resources\"><h3>%s</h3>\n"
				"<ul class=\"cards\">\n", country);
		}
		render_entry(o, e);
	}
	if (country)
		html(o, "</ul></section>\n");

	html(o, "<h2>Keeping this private</h2>\n"
		"<p>A phone or computer that someone else uses or checks may not "
		"be private. If you can, use a device that only you use.</p>\n"
		"<p>The <strong>Leave now</strong> button at the top of every page "
		"takes you to another site straight away. Pressing "
		"<kbd>Shift</kbd> three times does the same.</p>\n"
		"<p>Your browser may still remember the pages you saw here. A "
		"private window does not keep them.</p>\n"
		"<p>You deserve to be safe. Reaching out takes courage.</p>\n");
	page_end(r);
}
