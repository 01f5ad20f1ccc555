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

#include "apiclient.h"
#include "browser.h"
#include "harness_http.h"


static void signup_login_couple_through_forms(void **state)
{
	(void)state;
	struct browser a = { "", "" }, b = { "", "" };
	struct req r;

	b_page_has(&T, &a, "/", 200, "href=\"/signup\"", NULL);
	b_page_has(&T, &a, "/couple", 303, NULL); /* not logged in: to /login */

	b_do(&T, &a, &r, "POST", "/signup",
	       "username=ana&display_name=Ana&password=correct+horse+battery&invite_code=&role=");
	assert_int_equal(r.status, 200);
	assert_holds(r.out.s, "id=\"recovery-code\"", "required", NULL);
	const char *sc = thttp_header(&r, "Set-Cookie");
	assert_non_null(sc);
	assert_holds(sc, "HttpOnly", "SameSite=Strict", "Path=/", NULL);
	req_release(&r);

	b_page_has(&T, &a, "/", 200, "Hello, Ana", NULL);
	b_page_has(&T, &a, "/couple", 200, "Start our couple", NULL);
	assert_int_equal(app_set_public_url(&T.app.cfg, "https://troth.example.org/"), 0);

	/* without the CSRF token the form is refused */
	b_do(&T, &a, &r, "POST", "/couple/create", "role=hurt&timezone=Europe%2FLondon");
	assert_int_equal(r.status, 403);
	req_release(&r);
	char form[256];
	snprintf(form, sizeof(form), "csrf=%s&role=hurt&timezone=Europe%%2FLondon", a.csrf);
	b_do(&T, &a, &r, "POST", "/couple/create", form);
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
	b_do(&T, &b, &r, "POST", "/signup", form);
	assert_int_equal(r.status, 200);
	req_release(&r);
	b_page_has(&T, &b, "/", 200, "You and <strong>Ana</strong>", NULL);

	b_do(&T, &a, &r, "GET", "/", NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.out.s, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_null(strstr(r.out.s, "<script>alert"));
	req_release(&r);

	/* settings lists the session; the operator page is the operator's only */
	b_page_has(&T, &a, "/settings", 200, "(this one)", NULL);
	b_page_has(&T, &a, "/operator", 200, "You see accounts, never what anyone writes.", NULL);
	b_page_has(&T, &b, "/operator", 404, NULL);

	/* log out (on More for a partner in a couple) needs the token too,
	 * then the cookie is cleared */
	b_do(&T, &b, &r, "POST", "/logout", "csrf=wrong");
	assert_int_equal(r.status, 403);
	req_release(&r);
	b_do(&T, &b, &r, "GET", "/more", NULL);
	assert_non_null(strstr(r.out.s, "action=\"/logout\""));
	req_release(&r);
	snprintf(form, sizeof(form), "csrf=%s", b.csrf);
	char old_cookie[128];
	snprintf(old_cookie, sizeof(old_cookie), "%s", b.cookie);
	b_do(&T, &b, &r, "POST", "/logout", form);
	assert_int_equal(r.status, 303);
	assert_non_null(strstr(thttp_header(&r, "Set-Cookie"), "Max-Age=0"));
	req_release(&r);
	snprintf(b.cookie, sizeof(b.cookie), "%s", old_cookie); /* the old cookie is dead server-side */
	b_page_has(&T, &b, "/settings", 303, NULL);

	/* log in again through the form */
	b.cookie[0] = '\0';
	b_do(&T, &b, &r, "POST", "/login", "username=ben&password=not+it");
	assert_int_equal(r.status, 401);
	assert_non_null(strstr(r.out.s, "do not match"));
	req_release(&r);
	b_do(&T, &b, &r, "POST", "/login", "username=ben&password=another+long+phrase");
	assert_int_equal(r.status, 303);
	req_release(&r);
	b_page_has(&T, &b, "/", 200, "You and <strong>Ana</strong>", NULL);
}

static void password_change_through_settings(void **state)
{
	(void)state;
	struct browser a = { "", "" }, other = { "", "" };
	struct req r;
	char form[256];
	b_do(&T, &a, &r, "POST", "/signup", "username=ana&display_name=Ana&password=correct+horse+battery");
	assert_int_equal(r.status, 200);
	req_release(&r);
	b_do(&T, &other, &r, "POST", "/login", "username=ana&password=correct+horse+battery");
	assert_int_equal(r.status, 303);
	req_release(&r);
	b_page_has(&T, &a, "/settings", 200, "Change my password", NULL);
	snprintf(form, sizeof(form), "csrf=%s&current_password=not+it+at+all&new_password=a+brand+new+phrase", a.csrf);
	b_do(&T, &a, &r, "POST", "/settings/password", form);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(r.out.s, "was not right"));
	req_release(&r);
	b_page_has(&T, &other, "/settings", 200, NULL); /* a wrong try ends nothing */
	snprintf(form, sizeof(form), "csrf=%s&current_password=correct+horse+battery&new_password=a+brand+new+phrase", a.csrf);
	b_do(&T, &a, &r, "POST", "/settings/password", form);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.out.s, "Your password is changed"));
	req_release(&r);
	b_page_has(&T, &other, "/settings", 303, NULL); /* the other session ended */
	b_page_has(&T, &a, "/settings", 200, "(this one)", NULL);
	struct browser b = { "", "" };
	b_do(&T, &b, &r, "POST", "/login", "username=ana&password=a+brand+new+phrase");
	assert_int_equal(r.status, 303);
	req_release(&r);
}

static void signup_form_errors_are_calm_pages(void **state)
{
	(void)state;
	struct browser a = { "", "" };
	struct req r;
	b_do(&T, &a, &r, "POST", "/signup", "username=A!&display_name=x&password=correct+horse+battery");
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.out.s, "lowercase letters"));
	assert_non_null(strstr(r.out.s, "value=\"A!\"")); /* what they typed is kept */
	req_release(&r);
	b_do(&T, &a, &r, "POST", "/signup", "username=ana&display_name=x&password=short");
	assert_int_equal(r.status, 400);
	assert_null(strstr(r.out.s, "value=\"short\"")); /* a password is never echoed */
	req_release(&r);
	b_do(&T, &a, &r, "POST", "/signup", "username=ana&display_name=x&password=%ZZ");
	assert_int_equal(r.status, 400);
	req_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(signup_login_couple_through_forms, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(password_change_through_settings, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(signup_form_errors_are_calm_pages, store_setup, store_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
