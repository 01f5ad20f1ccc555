/* page.c: the chrome around every page: neutral title, stylesheet, the
 * progressive script and the quick exit. */
#include "page.h"

#include "../http/assets.h"
#include "html.h"

#include "../auth/auth.h"

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
	{ "/more", "More" }, { "/daily", "A minute" }, { "/couple/part", "A decision" },
	{ "/settings/delete", "Account" }, { "/keepsakes", "Kept" }, { "/settings/data", "Your data" },
	{ "/counsellor", "Sessions" }, { "/therapist", "Couples" }, { "/therapist/signup", "New account" },
	{ "/therapist/couples/:id", "A couple" }, { "/therapist/couples/:id/report", "Report" },
	{ "/settings/reminders", "Reminders" },
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

/* The way around, for a partner in a couple: five tabs at the bottom of
 * the screen, in reach of a thumb; "More" lists every other page. Each
 * route belongs to the tab that leads to it. */
static const char *const TABS[][2] = {
	{ "/", "Home" }, { "/checkins", "Check-in" }, { "/records", "Records" },
	{ "/roadmap", "Road" }, { "/more", "More" },
};
static const char *const TAB_OF[][2] = {
	{ "/checkins", "/checkins" }, { "/appreciations", "/checkins" }, { "/sharing", "/checkins" },
	{ "/together", "/checkins" }, { "/rituals", "/checkins" }, { "/daily", "/checkins" },
	{ "/records", "/records" }, { "/triggers", "/records" }, { "/hard-dates", "/records" },
	{ "/disclosures", "/records" }, { "/no-contact", "/records" }, { "/promises", "/records" },
	{ "/wins", "/records" }, { "/setbacks", "/records" }, { "/timeline", "/records" },
	{ "/journal", "/records" }, { "/roadmap", "/roadmap" }, { "/readiness", "/roadmap" },
};

static bool has_tabbar(const struct req *r)
{
	return r->me && r->me->couple_id;
}

/* The tab this request's page belongs to. */
static const char *current_tab(const struct req *r)
{
	const char *route = r->route ? r->route : "";
	if (!strcmp(route, "/"))
		return "/";
	for (size_t i = 0; i < sizeof(TAB_OF) / sizeof(TAB_OF[0]); i++) {
		size_t n = strlen(TAB_OF[i][0]);
		if (!strncmp(route, TAB_OF[i][0], n) && (route[n] == '\0' || route[n] == '/'))
			return TAB_OF[i][1];
	}
	return "/more";
}

static void tabbar(struct req *r)
{
	const char *cur = current_tab(r);
	html_unsafe_raw(&r->out, "<nav class=\"tabbar\" aria-label=\"Main\"><ul>");
	for (size_t i = 0; i < sizeof(TABS) / sizeof(TABS[0]); i++) {
		html(&r->out, "<li><a href=\"%s\"", TABS[i][0]);
		if (!strcmp(cur, TABS[i][0]))
			html_unsafe_raw(&r->out, " aria-current=\"page\"");
		html(&r->out, ">%s</a></li>", TABS[i][1]);
	}
	html_unsafe_raw(&r->out, "</ul></nav>\n");
}

void page_begin(struct req *r, const char *heading)
{
	struct buf *o = &r->out;
	const char *css = asset_version("static/troth.css");
	const char *js = asset_version("static/troth.js");
	/* a device whose person chose the plain home-screen name (Settings,
	 * Reminders) installs the plain manifest: "Notes", a plain icon, which
	 * is also the one its browser tab shows */
	const char *app = kv_get(&r->cookies, "troth_app");
	bool plain = app && !strcmp(app, "plain");
	const char *ico_name = plain ? "static/icon-plain.svg" : "static/icon.svg";
	const char *ico = asset_version(ico_name);
	r->content_type = "text/html; charset=utf-8";
	/* etags are quoted; strip the quotes for the query string */
	html(o, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		"<meta name=\"referrer\" content=\"no-referrer\">"
		"<meta name=\"theme-color\" content=\"#2f6f73\">"
		"<title>%s</title>"
		"<link rel=\"icon\" href=\"/%s?v=%.*s\" type=\"image/svg+xml\">"
		"<link rel=\"apple-touch-icon\" href=\"%s\">"
		"<link rel=\"manifest\" href=\"%s\">"
		"<link rel=\"stylesheet\" href=\"/static/troth.css?v=%.*s\">"
		"<script src=\"/static/troth.js?v=%.*s\" defer></script>"
		"</head>\n<body",
	     page_title(r), ico_name, (int)(ico[0] ? strlen(ico) - 2 : 0), ico[0] ? ico + 1 : "",
	     plain ? "/static/icon-plain-192.png" : "/static/icon-192.png",
	     plain ? "/static/manifest-plain.webmanifest" : "/static/manifest.webmanifest",
	     (int)(css[0] ? strlen(css) - 2 : 0), css[0] ? css + 1 : "",
	     (int)(js[0] ? strlen(js) - 2 : 0), js[0] ? js + 1 : "");
	html_attr(o, "class", has_tabbar(r) ? "has-tabbar" : NULL);
	html_unsafe_raw(o, "><header class=\"top\"><a class=\"brand\" href=\"/\">troth</a>"
			   "<a class=\"quick-exit\" id=\"quick-exit\" href=\"/leave\" rel=\"noreferrer\">Leave now</a>"
			   "</header>\n<main id=\"main\">");
	if (heading)
		html(o, "<h1>%s</h1>\n", heading);
}

void page_end(struct req *r)
{
	html_unsafe_raw(&r->out, "</main>\n");
	if (has_tabbar(r))
		tabbar(r);
	html(&r->out, "<footer class=\"bottom\"><p>"
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

void page_cards(struct req *r, json_t *items, const char *empty, void (*card)(struct req *r, json_t *item))
{
	size_t i;
	json_t *j;
	if (!json_array_size(items)) {
		html(&r->out, "<p>%s</p>\n", empty);
		return;
	}
	html(&r->out, "<ul class=\"cards\">\n");
	json_array_foreach(items, i, j)
		card(r, j);
	html(&r->out, "</ul>\n");
}

void page_end_link(struct req *r, const char *href, const char *text)
{
	html(&r->out, "<p><a href=\"%s\">%s</a></p>\n", href, text);
	page_end(r);
}
