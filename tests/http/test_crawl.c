/* test_crawl.c: no dead ends. For each demo scenario, Sam and Alex each
 * follow every link of every page they can reach from the home page, as a
 * browser without JavaScript: every link answers 2xx or 3xx, no page shows
 * escaped markup as text, its headings go down one level at a time, and
 * every page has a title of its own. "Leave
 * now" (/leave) is left alone: it would end the session. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiclient.h"
#include "auth/throttle.h"
#include "browser.h"
#include "features/demo.h"

#define MAX_PAGES 600

struct crawl {
	char *path[MAX_PAGES];
	char *title[MAX_PAGES];
	size_t n, next;
};

static bool seen(const struct crawl *c, const char *p)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->path[i], p))
			return true;
	return false;
}

/* Queues every local link of a page ("/...", without its #fragment). */
static void links_of(struct crawl *c, const char *html)
{
	for (const char *p = html; (p = strstr(p, "href=\"/")); ) {
		p += 6;
		size_t n = strcspn(p, "\"#");
		char link[512];
		if (n >= sizeof(link))
			continue;
		memcpy(link, p, n);
		link[n] = '\0';
		/* &amp; in an attribute is & in the URL */
		for (char *a; (a = strstr(link, "&amp;"));)
			memmove(a + 1, a + 5, strlen(a + 5) + 1);
		if (!strcmp(link, "/leave") || !strncmp(link, "/static/", 8) || seen(c, link))
			continue;
		assert_true(c->n < MAX_PAGES);
		c->path[c->n] = strdup(link);
		c->title[c->n] = NULL;
		c->n++;
	}
}

static char *title_of(const char *html)
{
	const char *a = strstr(html, "<title>"), *b = a ? strstr(a, "</title>") : NULL;
	return a && b ? strndup(a + 7, (size_t)(b - a - 7)) : NULL;
}

/* The title a page of this path must share with no other page: the check-in
 * pages of other weeks and the roadmap steps carry the same title by design
 * (one kind of page), so the query string does not count. */
static void crawl_as(struct thttp *t, const struct demo_account *who, const char *scenario)
{
	struct browser b;
	struct req r;
	char form[256];
	memset(&b, 0, sizeof(b));
	snprintf(form, sizeof(form), "username=%s&password=%s", who->username, who->password);
	b_do(t, &b, &r, "POST", "/login", form);
	assert_int_equal(r.status, 303);
	req_release(&r);
	struct crawl c = { { strdup("/") }, { NULL }, 1, 0 };
	while (c.next < c.n) {
		size_t i = c.next++;
		b_do(t, &b, &r, "GET", c.path[i], NULL);
		if (r.status < 200 || r.status >= 400)
			fail_msg("%s, %s: %s answered %d", scenario, who->username, c.path[i], r.status);
		bool html = r.status == 200 && r.content_type && !strncmp(r.content_type, "text/html", 9);
		if (html) {
			static const char *const escaped[] = { "&lt;a ", "&lt;/", "&lt;span", "&lt;strong", "=&quot;" };
			for (size_t k = 0; k < sizeof(escaped) / sizeof(escaped[0]); k++)
				if (strstr(r.out.s, escaped[k]))
					fail_msg("%s, %s: %s shows markup as text near \"%.60s\"", scenario, who->username,
						 c.path[i], strstr(r.out.s, escaped[k]));
			c.title[i] = title_of(r.out.s);
			/* headings go down one level at a time */
			int prev = 0;
			for (const char *h = r.out.s; (h = strstr(h, "<h")); h += 2) {
				if (h[2] < '1' || h[2] > '6' || (h[3] != '>' && h[3] != ' '))
					continue;
				int level = h[2] - '0';
				if (level > prev + 1)
					fail_msg("%s, %s: %s jumps from h%d to h%d near \"%.40s\"", scenario, who->username,
						 c.path[i], prev, level, h);
				prev = level;
			}
			links_of(&c, r.out.s);
		}
		req_release(&r);
	}
	/* pages of different routes have different titles */
	for (size_t i = 0; i < c.n; i++)
		for (size_t j = 0; j < i && c.title[i]; j++) {
			if (!c.title[j] || strcmp(c.title[i], c.title[j]))
				continue;
			size_t li = strcspn(c.path[i], "?"), lj = strcspn(c.path[j], "?");
			bool same_route = li == lj && !strncmp(c.path[i], c.path[j], li);
			bool steps = !strncmp(c.path[i], "/roadmap/steps/", 15) && !strncmp(c.path[j], "/roadmap/steps/", 15);
			if (!same_route && !steps)
				fail_msg("%s, %s: %s and %s share the title \"%s\"", scenario, who->username, c.path[i],
					 c.path[j], c.title[i]);
		}
	print_message("%s, %s: %zu pages, every link answered\n", scenario, who->username, c.n);
	assert_true(c.n >= 40);
	for (size_t i = 0; i < c.n; i++) {
		free(c.path[i]);
		free(c.title[i]);
	}
}

static void every_link_answers(int scenario, const char *name)
{
	struct thttp t;
	char msg[256];
	thttp_open(&t);
	throttle_reset();
	assert_int_equal(demo_create_scenario(&t.app.db, scenario, msg, sizeof(msg)), DEMO_CREATED);
	crawl_as(&t, &demo_accounts[1], name);
	crawl_as(&t, &demo_accounts[2], name);
	thttp_close(&t);
}

static void recovering(void **state)
{
	(void)state;
	every_link_answers(DEMO_RECOVERING, "recovering");
}

static void stalled(void **state)
{
	(void)state;
	every_link_answers(DEMO_STALLED, "stalled");
}

static void unsafe(void **state)
{
	(void)state;
	every_link_answers(DEMO_UNSAFE, "unsafe");
}

/* A couple that has just started: nothing recorded yet. */
static void a_new_couple(void **state)
{
	(void)state;
	struct browser b;
	couple_open("Europe/London");
	const char *users[] = { "ana", "ben" };
	for (int u = 0; u < 2; u++) {
		b_login(&T, &b, users[u]);
		struct crawl c = { { strdup("/") }, { NULL }, 1, 0 };
		while (c.next < c.n) {
			size_t i = c.next++;
			struct req r;
			b_do(&T, &b, &r, "GET", c.path[i], NULL);
			if (r.status < 200 || r.status >= 400)
				fail_msg("a new couple, %s: %s answered %d", users[u], c.path[i], r.status);
			if (r.status == 200 && r.content_type && !strncmp(r.content_type, "text/html", 9))
				links_of(&c, r.out.s);
			req_release(&r);
		}
		assert_true(c.n >= 40);
		for (size_t i = 0; i < c.n; i++)
			free(c.path[i]);
	}
	couple_teardown(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(recovering),
		cmocka_unit_test(stalled),
		cmocka_unit_test(unsafe),
		cmocka_unit_test(a_new_couple),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
