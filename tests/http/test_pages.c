/* test_pages.c: the account pages as a browser without JavaScript uses
 * them: forms, the session cookie and its flags, CSRF, redirects, the
 * partner's name escaped on the other's home page. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth/throttle.h"
#include "harness_http.h"

static struct thttp T;

static int setup(void **state)
{
	(void)state;
	thttp_open(&T);
	throttle_reset();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	thttp_close(&T);
	return 0;
}

struct browser {
	char cookie[128];
	char csrf[64];
};

/* Submits a form (urlencoded) as browser b; keeps its cookie. Leaves the
 * response in *r (release it). */
static void submit(struct browser *b, struct req *r, const char *method, const char *path,
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
	thttp_do(&T, r, method, path, h, form, 0);
	for (size_t i = 0; i < r->resp_headers.n; i++) {
		if (strcasecmp(r->resp_headers.v[i].key, "Set-Cookie"))
			continue;
		const char *v = r->resp_headers.v[i].val;
		size_t len = strcspn(v, ";");
		snprintf(b->cookie, sizeof(b->cookie), "%.*s", (int)len, v);
	}
	const char *c = strstr(r->out.s, "name=\"csrf\" value=\"");
	if (c)
		snprintf(b->csrf, sizeof(b->csrf), "%.43s", c + 19);
}

static void page(struct browser *b, const char *path, int want, const char *must_contain)
{
	struct req r;
	submit(b, &r, "GET", path, NULL);
	if (r.status != want)
		fail_msg("GET %s: %d, want %d", path, r.status, want);
	if (must_contain && !strstr(r.out.s, must_contain))
		fail_msg("GET %s lacks \"%s\"", path, must_contain);
	req_release(&r);
}

static void signup_login_couple_through_forms(void **state)
{
	(void)state;
	struct browser a = { "", "" }, b = { "", "" };
	struct req r;

	page(&a, "/", 200, "href=\"/signup\"");
	page(&a, "/couple", 303, NULL); /* not logged in: to /login */

	submit(&a, &r, "POST", "/signup",
	       "username=ana&display_name=Ana&password=correct+horse+battery&invite_code=&role=");
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.out.s, "id=\"recovery-code\""));
	assert_non_null(strstr(r.out.s, "required"));
	const char *sc = thttp_header(&r, "Set-Cookie");
	assert_non_null(sc);
	assert_non_null(strstr(sc, "HttpOnly"));
	assert_non_null(strstr(sc, "SameSite=Strict"));
	assert_non_null(strstr(sc, "Path=/"));
	req_release(&r);

	page(&a, "/", 200, "Hello, Ana");
	page(&a, "/couple", 200, "Start our couple");
	assert_int_equal(app_set_public_url(&T.app.cfg, "https://troth.example.org/"), 0);

	/* without the CSRF token the form is refused */
	submit(&a, &r, "POST", "/couple/create", "role=hurt&timezone=Europe%2FLondon");
	assert_int_equal(r.status, 403);
	req_release(&r);
	char form[256];
	snprintf(form, sizeof(form), "csrf=%s&role=hurt&timezone=Europe%%2FLondon", a.csrf);
	submit(&a, &r, "POST", "/couple/create", form);
	assert_int_equal(r.status, 200);
	const char *ic = strstr(r.out.s, "id=\"invite-code\">");
	assert_non_null(ic);
	char code[32];
	snprintf(code, sizeof(code), "%.19s", ic + 17);
	/* the link starts with the configured public URL */
	char link[128];
	snprintf(link, sizeof(link), "https://troth.example.org/signup?invite=%s<", code);
	assert_non_null(strstr(r.out.s, link));
	req_release(&r);

	/* B signs up with the code and a display name full of markup */
	snprintf(form, sizeof(form),
		 "username=ben&display_name=%%3Cscript%%3Ealert(1)%%3C%%2Fscript%%3E&"
		 "password=another+long+phrase&invite_code=%s&role=accountable", code);
	submit(&b, &r, "POST", "/signup", form);
	assert_int_equal(r.status, 200);
	req_release(&r);
	page(&b, "/", 200, "You and <strong>Ana</strong>");

	submit(&a, &r, "GET", "/", NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.out.s, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_null(strstr(r.out.s, "<script>alert"));
	req_release(&r);

	/* settings lists the session; the operator page is the operator's only */
	page(&a, "/settings", 200, "(this one)");
	page(&a, "/operator", 200, "You see accounts, never what anyone writes.");
	page(&b, "/operator", 404, NULL);

	/* log out needs the token too, then the cookie is cleared */
	submit(&b, &r, "POST", "/logout", "csrf=wrong");
	assert_int_equal(r.status, 403);
	req_release(&r);
	submit(&b, &r, "GET", "/", NULL);
	req_release(&r);
	snprintf(form, sizeof(form), "csrf=%s", b.csrf);
	char old_cookie[128];
	snprintf(old_cookie, sizeof(old_cookie), "%s", b.cookie);
	submit(&b, &r, "POST", "/logout", form);
	assert_int_equal(r.status, 303);
	assert_non_null(strstr(thttp_header(&r, "Set-Cookie"), "Max-Age=0"));
	req_release(&r);
	snprintf(b.cookie, sizeof(b.cookie), "%s", old_cookie); /* the old cookie is dead server-side */
	page(&b, "/settings", 303, NULL);

	/* log in again through the form */
	b.cookie[0] = '\0';
	submit(&b, &r, "POST", "/login", "username=ben&password=not+it");
	assert_int_equal(r.status, 401);
	assert_non_null(strstr(r.out.s, "do not match"));
	req_release(&r);
	submit(&b, &r, "POST", "/login", "username=ben&password=another+long+phrase");
	assert_int_equal(r.status, 303);
	req_release(&r);
	page(&b, "/", 200, "You and <strong>Ana</strong>");
}

static void password_change_through_settings(void **state)
{
	(void)state;
	struct browser a = { "", "" }, other = { "", "" };
	struct req r;
	char form[256];
	submit(&a, &r, "POST", "/signup", "username=ana&display_name=Ana&password=correct+horse+battery");
	assert_int_equal(r.status, 200);
	req_release(&r);
	submit(&other, &r, "POST", "/login", "username=ana&password=correct+horse+battery");
	assert_int_equal(r.status, 303);
	req_release(&r);
	page(&a, "/settings", 200, "Change my password");
	snprintf(form, sizeof(form), "csrf=%s&current_password=not+it+at+all&new_password=a+brand+new+phrase", a.csrf);
	submit(&a, &r, "POST", "/settings/password", form);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(r.out.s, "was not right"));
	req_release(&r);
	page(&other, "/settings", 200, NULL); /* a wrong try ends nothing */
	snprintf(form, sizeof(form), "csrf=%s&current_password=correct+horse+battery&new_password=a+brand+new+phrase", a.csrf);
	submit(&a, &r, "POST", "/settings/password", form);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.out.s, "Your password is changed"));
	req_release(&r);
	page(&other, "/settings", 303, NULL); /* the other session ended */
	page(&a, "/settings", 200, "(this one)");
	struct browser b = { "", "" };
	submit(&b, &r, "POST", "/login", "username=ana&password=a+brand+new+phrase");
	assert_int_equal(r.status, 303);
	req_release(&r);
}

static void signup_form_errors_are_calm_pages(void **state)
{
	(void)state;
	struct browser a = { "", "" };
	struct req r;
	submit(&a, &r, "POST", "/signup", "username=A!&display_name=x&password=correct+horse+battery");
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.out.s, "lowercase letters"));
	assert_non_null(strstr(r.out.s, "value=\"A!\"")); /* what they typed is kept */
	req_release(&r);
	submit(&a, &r, "POST", "/signup", "username=ana&display_name=x&password=short");
	assert_int_equal(r.status, 400);
	assert_null(strstr(r.out.s, "value=\"short\"")); /* a password is never echoed */
	req_release(&r);
	submit(&a, &r, "POST", "/signup", "username=ana&display_name=x&password=%ZZ");
	assert_int_equal(r.status, 400);
	req_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(signup_login_couple_through_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(password_change_through_settings, setup, teardown),
		cmocka_unit_test_setup_teardown(signup_form_errors_are_calm_pages, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
