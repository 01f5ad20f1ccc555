/* test_http.c: requests through the real router and handlers, in process:
 * the health check, security headers on every response, 404/405, JSON
 * errors under /api/, bad bodies, static assets with ETag. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "apiclient.h"
#include "harness_http.h"


static void assert_security_headers(struct req *r, int no_store)
{
	assert_string_equal(thttp_header(r, "Content-Security-Policy"),
			    "default-src 'self'; object-src 'none'; base-uri 'none'; "
			    "frame-ancestors 'none'; form-action 'self'");
	assert_string_equal(thttp_header(r, "X-Content-Type-Options"), "nosniff");
	assert_string_equal(thttp_header(r, "Referrer-Policy"), "no-referrer");
	assert_non_null(strstr(r->content_type, "charset=utf-8"));
	if (no_store)
		assert_string_equal(thttp_header(r, "Cache-Control"), "no-store");
}

static void healthz_answers_ok(void **state)
{
	(void)state;
	struct req r;
	thttp_do(&T, &r, "GET", "/healthz", NULL, NULL, 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.out.s, "{\"status\":\"ok\",\"db\":\"ok\"}");
	assert_string_equal(r.content_type, "application/json; charset=utf-8");
	assert_security_headers(&r, 1);
	req_release(&r);
}

static void pages_have_chrome_and_quick_exit(void **state)
{
	(void)state;
	const char *paths[] = { "/", "/safety", "/no/such/page" };
	const char *titles[] = { "<title>troth</title>", "<title>Help · troth</title>", "<title>troth</title>" };
	for (size_t i = 0; i < 3; i++) {
		struct req r;
		thttp_do(&T, &r, "GET", paths[i], NULL, NULL, 0);
		assert_int_equal(r.status, i == 2 ? 404 : 200);
		assert_security_headers(&r, 1);
		assert_non_null(strstr(r.out.s, titles[i]));
		/* the quick exit goes through /leave, which sends the browser on */
		assert_holds(r.out.s, "id=\"quick-exit\" href=\"/leave\"", "/static/troth.js?v=", NULL);
		assert_null(strstr(r.out.s, "<script>"));  /* no inline script */
		assert_null(strstr(r.out.s, "style="));    /* no inline style */
		req_release(&r);
	}
	struct req r;
	thttp_do(&T, &r, "GET", "/leave", NULL, NULL, 0);
	assert_int_equal(r.status, 303);
	assert_string_equal(thttp_header(&r, "Location"), "https://example.org/away");
	req_release(&r);
}

static void safety_page_lists_the_hotline(void **state)
{
	(void)state;
	struct req r;
	thttp_do(&T, &r, "GET", "/safety", NULL, NULL, 0);
	assert_int_equal(r.status, 200);
	assert_holds(r.out.s, "1-800-799-7233", "tel:", NULL);
	req_release(&r);
}

static void unknown_path_is_404_and_wrong_method_is_405(void **state)
{
	(void)state;
	struct req r;
	thttp_do(&T, &r, "GET", "/api/v1/nothing", NULL, NULL, 0);
	assert_int_equal(r.status, 404);
	assert_string_equal(r.out.s, "{\"error\":{\"code\":\"not_found\",\"message\":"
				     "\"There is nothing at this address.\"}}");
	assert_security_headers(&r, 1);
	req_release(&r);

	thttp_do(&T, &r, "POST", "/healthz", NULL, NULL, 0);
	assert_int_equal(r.status, 405);
	assert_string_equal(thttp_header(&r, "Allow"), "GET, HEAD");
	req_release(&r);

	thttp_do(&T, &r, "DELETE", "/", NULL, NULL, 0);
	assert_int_equal(r.status, 405);
	assert_non_null(strstr(r.out.s, "<h1>"));  /* a calm HTML page outside /api/ */
	req_release(&r);
}

static void static_assets_are_cached_and_revalidated(void **state)
{
	(void)state;
	struct req r;
	thttp_do(&T, &r, "GET", "/static/troth.css", NULL, NULL, 0);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "text/css; charset=utf-8");
	const char *etag = thttp_header(&r, "ETag");
	assert_non_null(etag);
	assert_true(etag[0] == '"');
	assert_non_null(strstr(thttp_header(&r, "Cache-Control"), "max-age=31536000"));
	assert_true(r.out.len > 100);
	char tag[64];
	snprintf(tag, sizeof(tag), "%s", etag);
	assert_security_headers(&r, 0);
	req_release(&r);

	const char *h[] = { "If-None-Match", tag, NULL };
	thttp_do(&T, &r, "GET", "/static/troth.css", h, NULL, 0);
	assert_int_equal(r.status, 304);
	assert_int_equal(r.out.len, 0);
	req_release(&r);

	assert_int_equal(http_status(&T, "GET", "/static/..%2Fmeson.build"), 404);
	assert_int_equal(http_status(&T, "GET", "/static/nope.css"), 404);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(healthz_answers_ok, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(pages_have_chrome_and_quick_exit, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(safety_page_lists_the_hotline, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(unknown_path_is_404_and_wrong_method_is_405, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(static_assets_are_cached_and_revalidated, store_setup, store_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
