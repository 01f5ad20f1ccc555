/* page.c: the chrome around every page: neutral title, stylesheet, the
 * progressive script and the quick exit. */
#include "page.h"

#include "../http/assets.h"
#include "html.h"

#include <string.h>

/* Each page's title: different for every page, so a person can tell tabs
 * and history entries apart, and neutral, so a glance at a tab or a
 * history list says nothing about what the couple is going through. Keyed
 * by the route pattern; a page not listed is just "troth". */
static const char *const TITLES[][2] = {
	{ "/login", "Log in" }, { "/signup", "Sign up" }, { "/couple", "Us" },
	{ "/settings", "Settings" }, { "/operator", "Server" }, { "/safety", "Help" },
	{ "/safety/check", "A quiet check" }, { "/checkins", "Check-in" },
	{ "/checkins/history", "Past weeks" }, { "/appreciations", "Appreciation" },
	{ "/sharing", "Sharing" }, { "/together", "Time together" }, { "/rituals", "Schedule" },
	{ "/records", "Records" }, { "/triggers", "Moments" }, { "/triggers/plans", "Plans" },
	{ "/hard-dates", "Dates" }, { "/disclosures", "Talks" }, { "/no-contact", "Commitment" },
	{ "/promises", "Promises" }, { "/wins", "Good moments" }, { "/setbacks", "Hard days" },
	{ "/timeline", "Timeline" }, { "/journal", "Journal" }, { "/roadmap", "Road" },
	{ "/readiness", "Ready" }, { "/agreements", "Agreements" }, { "/transparency", "Openness" },
	{ "/vision", "Five years" }, { "/recovery", "Goals" }, { "/insights", "How we are" },
	{ "/coach", "Words" }, { "/guidance/counselling", "Support" },
	{ "/guidance/children", "Children" }, { "/guidance/walking-away", "Choices" },
};

/* The <title> of this request's page (arena). */
static const char *page_title(struct req *r)
{
	const char *route = r->route ? r->route : "";
	if (!strcmp(route, "/roadmap/steps/:number")) {
		const char *n = kv_get(&r->params, "number");
		return arena_printf(&r->arena, "Step %s · troth", n ? n : "");
	}
	if (!strcmp(route, "/") && r->me)
		return "Home · troth";
	for (size_t i = 0; i < sizeof(TITLES) / sizeof(TITLES[0]); i++)
		if (!strcmp(TITLES[i][0], route))
			return arena_printf(&r->arena, "%s · troth", TITLES[i][1]);
	return "troth";
}

static const char *asset_version(const char *name)
{
	const struct asset *a = asset_find(name);
	return a ? a->etag : "";
}

void page_begin(struct req *r, const char *heading)
{
	struct buf *o = &r->out;
	const char *css = asset_version("static/troth.css");
	const char *js = asset_version("static/troth.js");
	const char *ico = asset_version("static/icon.svg");
	r->content_type = "text/html; charset=utf-8";
	/* etags are quoted; strip the quotes for the query string */
	html(o, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		"<meta name=\"referrer\" content=\"no-referrer\">"
		"<meta name=\"theme-color\" content=\"#2f6f73\">"
		"<title>%s</title>"
		"<link rel=\"icon\" href=\"/static/icon.svg?v=%.*s\" type=\"image/svg+xml\">"
		"<link rel=\"apple-touch-icon\" href=\"/static/icon-192.png\">"
		"<link rel=\"manifest\" href=\"/static/manifest.webmanifest\">"
		"<link rel=\"stylesheet\" href=\"/static/troth.css?v=%.*s\">"
		"<script src=\"/static/troth.js?v=%.*s\" defer></script>"
		"</head>\n<body>"
		"<header class=\"top\"><a class=\"brand\" href=\"/\">troth</a>"
		"<a class=\"quick-exit\" id=\"quick-exit\" href=\"/leave\" rel=\"noreferrer\">Leave now</a>"
		"</header>\n<main id=\"main\">",
	     page_title(r), (int)(ico[0] ? strlen(ico) - 2 : 0), ico[0] ? ico + 1 : "",
	     (int)(css[0] ? strlen(css) - 2 : 0), css[0] ? css + 1 : "",
	     (int)(js[0] ? strlen(js) - 2 : 0), js[0] ? js + 1 : "");
	if (heading)
		html(o, "<h1>%s</h1>\n", heading);
}

void page_end(struct req *r)
{
	html(&r->out, "</main>\n<footer class=\"bottom\"><p>"
		      "<a href=\"/safety\">Help and safety</a> · "
		      "Press Shift three times to leave quickly.</p></footer>\n"
		      "</body></html>\n");
}

void page_message(struct req *r, int status, const char *heading, const char *text)
{
	buf_reset(&r->out);
	r->status = status;
	page_begin(r, heading);
	html(&r->out, "<p>%s</p>\n<p><a href=\"/\">Go to the start page</a></p>\n", text);
	page_end(r);
}
