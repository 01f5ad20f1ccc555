/* test_static.c: what a phone fetches besides the pages: the stylesheet and
 * script compressed for clients that ask (and byte for byte the same once
 * unpacked), the icons, the favicon and the web app manifest; and the quick
 * exit, which logs out before it sends the browser on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <zlib.h>

#include "apiclient.h"
#include "auth/throttle.h"
#include "browser.h"
#include "http/assets.h"


static void get(struct req *r, const char *path, const char *accept_encoding)
{
	const char *h[] = { "Accept-Encoding", accept_encoding, NULL };
	thttp_do(&T, r, "GET", path, accept_encoding ? h : NULL, NULL, 0);
}

/* Unpacks a gzip stream into a malloc'd buffer of *n bytes. */
static unsigned char *gunzip(const char *in, size_t len, size_t *n)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	size_t cap = 1 << 20;
	unsigned char *out = malloc(cap);
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	*n = cap - z.avail_out;
	inflateEnd(&z);
	return out;
}

static void stylesheet_and_script_come_compressed(void **state)
{
	(void)state;
	const char *names[] = { "troth.css", "troth.js", "manifest.webmanifest", "icon.svg" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[64], asset[64];
		snprintf(path, sizeof(path), "/static/%s", names[i]);
		snprintf(asset, sizeof(asset), "static/%s", names[i]);
		const struct asset *a = asset_find(asset);
		assert_non_null(a);
		struct req plain, gz;
		get(&plain, path, NULL);
		assert_int_equal(plain.status, 200);
		assert_null(thttp_header(&plain, "Content-Encoding"));
		assert_int_equal(plain.out.len, a->len);
		assert_memory_equal(plain.out.s, a->data, a->len);
		get(&gz, path, "br, gzip;q=0.8");
		assert_int_equal(gz.status, 200);
		assert_string_equal(thttp_header(&gz, "Content-Encoding"), "gzip");
		assert_string_equal(thttp_header(&gz, "Vary"), "Accept-Encoding");
		assert_true(gz.out.len < plain.out.len);
		assert_string_not_equal(thttp_header(&gz, "ETag"), thttp_header(&plain, "ETag"));
		assert_non_null(strstr(thttp_header(&gz, "Cache-Control"), "immutable"));
		size_t n;
		unsigned char *back = gunzip(gz.out.s, gz.out.len, &n);
		assert_int_equal(n, a->len);
		assert_memory_equal(back, a->data, n);
		free(back);
		/* the compressed copy's own ETag answers 304 */
		const char *h[] = { "Accept-Encoding", "gzip", "If-None-Match", thttp_header(&gz, "ETag"), NULL };
		struct req again;
		thttp_do(&T, &again, "GET", path, h, NULL, 0);
		assert_int_equal(again.status, 304);
		req_release(&again);
		req_release(&plain);
		req_release(&gz);
	}
	/* gzip;q=0 means no */
	struct req r;
	get(&r, "/static/troth.css", "gzip;q=0, identity");
	assert_null(thttp_header(&r, "Content-Encoding"));
	req_release(&r);
}

/* A PNG's width and height, from its IHDR chunk (the first, after the
 * eight-byte signature). */
static void png_size(const struct req *r, unsigned *w, unsigned *h)
{
	const unsigned char *p = (const unsigned char *)r->out.s;
	assert_true(r->out.len > 24);
	assert_memory_equal(p, "\x89PNG\r\n\x1a\n", 8);
	assert_memory_equal(p + 12, "IHDR", 4);
	*w = (unsigned)p[16] << 24 | (unsigned)p[17] << 16 | (unsigned)p[18] << 8 | p[19];
	*h = (unsigned)p[20] << 24 | (unsigned)p[21] << 16 | (unsigned)p[22] << 8 | p[23];
}

/* The manifest at path is named name, and every icon it lists is served
 * with the type it states, a PNG as large as its "sizes"; among them the
 * PNGs an Android install wants: 192 and 512, and a maskable one. */
static void manifest_icons_are_served(const char *path, const char *name)
{
	struct req r;
	get(&r, path, NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.content_type, "application/manifest+json"));
	json_error_t e;
	json_t *m = json_loadb(r.out.s, r.out.len, 0, &e);
	assert_non_null(m);
	assert_string_equal(json_string_value(json_object_get(m, "name")), name);
	assert_non_null(json_string_value(json_object_get(m, "theme_color")));
	json_t *icons = json_object_get(m, "icons"), *icon;
	size_t i;
	bool png192 = false, png512 = false, maskable = false;
	json_array_foreach(icons, i, icon) {
		const char *src = json_string_value(json_object_get(icon, "src"));
		const char *type = json_string_value(json_object_get(icon, "type"));
		const char *sizes = json_string_value(json_object_get(icon, "sizes"));
		const char *purpose = json_string_value(json_object_get(icon, "purpose"));
		assert_non_null(src);
		assert_non_null(type);
		assert_non_null(sizes);
		struct req ir;
		get(&ir, src, NULL);
		assert_int_equal(ir.status, 200);
		assert_true(!strncmp(ir.content_type, type, strlen(type)));
		if (!strcmp(type, "image/png")) {
			unsigned w, h;
			png_size(&ir, &w, &h);
			char stated[32];
			snprintf(stated, sizeof(stated), "%ux%u", w, h);
			assert_string_equal(sizes, stated);
			png192 |= w == 192 && h == 192 && !purpose;
			png512 |= w == 512 && h == 512 && !purpose;
			maskable |= purpose && !strcmp(purpose, "maskable") && w >= 512;
		} else {
			assert_string_equal(type, "image/svg+xml");
			assert_string_equal(sizes, "any");
		}
		req_release(&ir);
	}
	assert_true(png192);
	assert_true(png512);
	assert_true(maskable);
	json_decref(m);
	req_release(&r);
}

static void icons_favicon_and_manifest(void **state)
{
	(void)state;
	struct req r;
	get(&r, "/favicon.ico", NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "image/png");
	assert_memory_equal(r.out.s, "\x89PNG", 4);
	req_release(&r);
	manifest_icons_are_served("/static/manifest.webmanifest", "troth");
	manifest_icons_are_served("/static/manifest-plain.webmanifest", "Notes");
	/* every page links the icon and the manifest */
	get(&r, "/login", NULL);
	assert_holds(r.out.s, "rel=\"manifest\" href=\"/static/manifest.webmanifest\"", "rel=\"icon\"",
		     "href=\"/static/icon.svg?v=", "rel=\"apple-touch-icon\" href=\"/static/icon-192.png\"", NULL);
	req_release(&r);
	/* on a device that chose the plain name, nothing in the head shows
	 * troth's icon: the tab, the home screen and the install are plain */
	const char *h[] = { "Cookie", "troth_app=plain", NULL };
	thttp_do(&T, &r, "GET", "/login", h, NULL, 0);
	assert_holds(r.out.s, "rel=\"manifest\" href=\"/static/manifest-plain.webmanifest\"",
		     "rel=\"icon\" href=\"/static/icon-plain.svg?v=",
		     "rel=\"apple-touch-icon\" href=\"/static/icon-plain-192.png\"", NULL);
	assert_null(strstr(r.out.s, "/static/icon.svg"));
	assert_null(strstr(r.out.s, "/static/icon-192.png"));
	req_release(&r);
}

static void leave_now_logs_out_then_goes_on(void **state)
{
	(void)state;
	struct browser b = { "", "" };
	b_signup_login(&T, &b, "ana");
	/* the link on every page goes through /leave */
	b_page_has(&T, &b, "/settings", 200, "id=\"quick-exit\" href=\"/leave\"", NULL);
	char old[sizeof(b.cookie)];
	memcpy(old, b.cookie, sizeof(old));
	struct req r;
	b_do(&T, &b, &r, "GET", "/leave", NULL);
	assert_int_equal(r.status, 303);
	assert_string_equal(thttp_header(&r, "Location"), T.app.cfg.exit_url);
	const char *cookie = thttp_header(&r, "Set-Cookie");
	assert_non_null(cookie);
	assert_non_null(strstr(cookie, "Max-Age=0"));
	req_release(&r);
	/* the session itself has ended: its old cookie opens nothing now */
	const char *h[] = { "Cookie", old, NULL };
	http_redirects(&T, "/settings", h, "/login");
}

static void another_site_cannot_log_anyone_out(void **state)
{
	(void)state;
	struct browser b = { "", "" };
	b_signup_login(&T, &b, "ana");
	const char *h[] = { "Cookie", b.cookie, "Sec-Fetch-Site", "cross-site", NULL };
	struct req r;
	thttp_do(&T, &r, "GET", "/leave", h, NULL, 0);
	assert_int_equal(r.status, 303);
	assert_null(thttp_header(&r, "Set-Cookie"));
	req_release(&r);
	free(b_get(&T, &b, "/settings", 200));
}

/* The <title> of a page (malloc'd). */
static char *title_of(const char *html)
{
	const char *a = strstr(html, "<title>"), *b = a ? strstr(a, "</title>") : NULL;
	assert_non_null(b);
	return strndup(a + 7, (size_t)(b - a - 7));
}

/* Every page of a new couple: a title of its own that says nothing about
 * what the couple is going through, and no escaped markup shown as text. */
static void page_titles_are_distinct_and_neutral(void **state)
{
	(void)state;
	struct couple_fixture f;
	api_couples(&T, "Europe/London", &f);
	struct browser b = { "", "" };
	b_login(&T, &b, "ana");
	const char *paths[] = { "/", "/checkins", "/checkins/history", "/appreciations", "/sharing",
				"/together", "/rituals", "/records", "/triggers", "/triggers/plans",
				"/hard-dates", "/disclosures", "/no-contact", "/promises", "/wins",
				"/setbacks", "/timeline", "/journal", "/roadmap", "/roadmap/steps/3",
				"/readiness", "/agreements", "/transparency", "/vision", "/recovery",
				"/insights", "/coach", "/settings", "/couple", "/safety", "/safety/check",
				"/guidance/counselling", "/guidance/children", "/guidance/walking-away" };
	enum { N = sizeof(paths) / sizeof(paths[0]) };
	char *titles[N];
	static const char *const telling[] = { "affair", "betray", "cheat", "infidel", "trigger",
					       "disclos", "contact", "abuse", "danger", "safety" };
	for (size_t i = 0; i < N; i++) {
		char *page = b_get(&T, &b, paths[i], 200);
		titles[i] = title_of(page);
		/* no markup shown as text: an escaped tag or attribute */
		static const char *const escaped[] = { "&lt;a ", "&lt;/", "&lt;span", "&lt;strong", "=&quot;" };
		for (size_t k = 0; k < sizeof(escaped) / sizeof(escaped[0]); k++)
			if (strstr(page, escaped[k]))
				fail_msg("%s shows markup as text: %s", paths[i], strstr(page, escaped[k]));
		free(page);
		for (size_t k = 0; k < sizeof(telling) / sizeof(telling[0]); k++)
			if (strcasestr(titles[i], telling[k]))
				fail_msg("%s has the title \"%s\"", paths[i], titles[i]);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(titles[i], titles[j]))
				fail_msg("%s and %s share the title \"%s\"", paths[i], paths[j], titles[i]);
	}
	for (size_t i = 0; i < N; i++)
		free(titles[i]);
	/* the operator's home has its own link to the server page */
	struct browser op = { "", "" };
	b_login(&T, &op, "opr");
	char *home = b_get(&T, &op, "/", 200);
	assert_non_null(strstr(home, "<a href=\"/operator\">Server</a>"));
	assert_null(strstr(home, "&lt;a "));
	free(home);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(stylesheet_and_script_come_compressed, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(icons_favicon_and_manifest, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(leave_now_logs_out_then_goes_on, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(another_site_cannot_log_anyone_out, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(page_titles_are_distinct_and_neutral, store_setup, store_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
