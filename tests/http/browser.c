/* browser.c: see browser.h. */
#include "browser.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "apiclient.h"

int b_do(struct thttp *t, struct browser *b, struct req *r, const char *method, const char *path,
	 const char *form)
{
	const char *h[8];
	int n = 0;
	if (b->cookie[0]) {
		h[n++] = "Cookie";
		h[n++] = b->cookie;
	}
	if (form) {
		h[n++] = "Content-Type";
		h[n++] = "application/x-www-form-urlencoded";
	}
	h[n] = NULL;
	thttp_do(t, r, method, path, h, form, 0);
	for (size_t i = 0; i < r->resp_headers.n; i++) {
		if (strcasecmp(r->resp_headers.v[i].key, "Set-Cookie"))
			continue;
		const char *v = r->resp_headers.v[i].val;
		size_t len = strcspn(v, ";");
		snprintf(b->cookie, sizeof(b->cookie), "%.*s", (int)len, v);
	}
	const char *c = r->out.s ? strstr(r->out.s, "name=\"csrf\" value=\"") : NULL;
	if (c)
		snprintf(b->csrf, sizeof(b->csrf), "%.43s", c + 19);
	return r->status;
}

void b_login(struct thttp *t, struct browser *b, const char *user)
{
	struct req r;
	char form[256];
	memset(b, 0, sizeof(*b));
	snprintf(form, sizeof(form), "username=%s&password=correct+horse+battery", user);
	b_do(t, b, &r, "POST", "/login", form);
	if (r.status != 303)
		fail_msg("login %s: %d", user, r.status);
	req_release(&r);
	free(b_get(t, b, "/", 200));
	/* the form token, from More's log-out form when home has no form */
	if (!b->csrf[0])
		free(b_get(t, b, "/more", 200));
}

char *b_get(struct thttp *t, struct browser *b, const char *path, int want)
{
	struct req r;
	b_do(t, b, &r, "GET", path, NULL);
	if (r.status != want)
		fail_msg("GET %s: %d, want %d", path, r.status, want);
	char *s = strdup(r.out.s ? r.out.s : "");
	req_release(&r);
	return s;
}

int b_submit(struct thttp *t, struct browser *b, struct req *r, const char *path, const char *fields)
{
	size_t n = strlen(fields) + 80;
	char *f = malloc(n);
	if (!f)
		fail_msg("out of memory");
	snprintf(f, n, "csrf=%s%s%s", b->csrf, fields[0] ? "&" : "", fields);
	int st = b_do(t, b, r, "POST", path, f);
	free(f);
	return st;
}

int b_post(struct thttp *t, struct browser *b, const char *path, const char *form, char **body,
	   char location[256])
{
	struct req r;
	int st = b_submit(t, b, &r, path, form);
	if (body)
		*body = strdup(r.out.s ? r.out.s : "");
	if (location) {
		const char *l = thttp_header(&r, "Location");
		snprintf(location, 256, "%s", l ? l : "");
	}
	req_release(&r);
	return st;
}

/* Fails the test unless r's status is want and its body holds each string
 * of ap (to a NULL); releases r. */
static void holds_all(struct req *r, const char *method, const char *path, int want, va_list ap)
{
	if (r->status != want)
		fail_msg("%s %s: %d, want %d", method, path, r->status, want);
	for (const char *s; (s = va_arg(ap, const char *));)
		if (!r->out.s || !strstr(r->out.s, s))
			fail_msg("%s %s lacks \"%s\"", method, path, s);
	req_release(r);
}

void b_page_has(struct thttp *t, struct browser *b, const char *path, int want, ...)
{
	struct req r;
	va_list ap;
	b_do(t, b, &r, "GET", path, NULL);
	va_start(ap, want);
	holds_all(&r, "GET", path, want, ap);
	va_end(ap);
}

void b_page_lacks(struct thttp *t, struct browser *b, const char *path, const char *s)
{
	struct req r;
	int st = b_do(t, b, &r, "GET", path, NULL);
	if (st != 200)
		fail_msg("GET %s: %d, want 200", path, st);
	if (r.out.s && strstr(r.out.s, s))
		fail_msg("GET %s shows \"%s\"", path, s);
	req_release(&r);
}

void b_post_has(struct thttp *t, struct browser *b, const char *path, const char *form, int want, ...)
{
	struct req r;
	va_list ap;
	b_submit(t, b, &r, path, form);
	va_start(ap, want);
	holds_all(&r, "POST", path, want, ap);
	va_end(ap);
}

void b_page_has_lacks(struct thttp *t, struct browser *b, const char *path, const char *has,
		      const char *lacks)
{
	struct req r;
	int st = b_do(t, b, &r, "GET", path, NULL);
	if (st != 200)
		fail_msg("GET %s: %d, want 200", path, st);
	if (!r.out.s || !strstr(r.out.s, has))
		fail_msg("GET %s lacks \"%s\"", path, has);
	if (strstr(r.out.s, lacks))
		fail_msg("GET %s shows \"%s\"", path, lacks);
	req_release(&r);
}

void b_form_action(const char *body, const char *prefix, char *out, size_t size)
{
	char key[128];
	snprintf(key, sizeof(key), "action=\"%s", prefix);
	const char *f = strstr(body, key);
	if (!f)
		fail_msg("no form posts to %s...", prefix);
	snprintf(out, size, "%.*s", (int)strcspn(f + 8, "\""), f + 8);
}

void b_signup_login(struct thttp *t, struct browser *b, const char *user)
{
	api_signup(t, user, NULL, NULL);
	b_login(t, b, user);
}

void b_login_couple(struct thttp *t, struct browser *a, struct browser *b)
{
	b_login(t, a, "ana");
	b_login(t, b, "ben");
}
