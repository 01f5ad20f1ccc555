/* test_push.c: reminders' devices and choices over the API and the pages.
 * Who may do what (anonymous, ana and ben of one couple, dan of another,
 * the operator in none: every cell asserted), and the settings page as a
 * browser without JavaScript uses it: what it says turning on needs, the
 * choices saved, a bad time refused with the form kept, a device removed.
 * The deliveries themselves are tests/push/push.test.js's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiclient.h"
#include "browser.h"
#include "base/buf.h"
#include "base/webpush.h"

/* A device as a browser describes it, its endpoint ending in name. */
static int subscribe(const char *token, const char *name, json_t **out)
{
	uint8_t priv[WEBPUSH_PRIV_SIZE], pub[WEBPUSH_PUB_SIZE], auth[WEBPUSH_AUTH_SIZE] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	assert_int_equal(webpush_keygen(priv, pub), 0);
	struct buf p = BUF_INIT, a = BUF_INIT, e = BUF_INIT;
	webpush_b64(&p, pub, sizeof pub);
	webpush_b64(&a, auth, sizeof auth);
	buf_addf(&e, "https://push.example.org/send/%s", name);
	int st = api(&T, "POST", "/api/v1/push/subscriptions", token, out, "{s:s,s:n,s:{s:s,s:s}}", "endpoint", e.s,
		     "expirationTime", "keys", "p256dh", p.s, "auth", a.s);
	buf_release(&p);
	buf_release(&a);
	buf_release(&e);
	return st;
}

/* A new device turned on for token (201): its id. */
static long long subscribed(const char *token, const char *name)
{
	json_t *j;
	assert_int_equal(subscribe(token, name, &j), 201);
	long long id = (long long)json_integer_value(json_object_get(json_object_get(j, "subscription"), "id"));
	assert_true(id > 0);
	json_decref(j);
	return id;
}

static void who_may_do_what(void **state)
{
	(void)state;
	json_t *j;
	/* listing: a partner's own; no one logged in 401; no couple 409 */
	assert_int_equal(api(&T, "GET", "/api/v1/push/subscriptions", NULL, NULL, NULL), 401);
	assert_int_equal(api(&T, "GET", "/api/v1/push/subscriptions", F.op, NULL, NULL), 409);
	assert_int_equal(subscribe(NULL, "anon", NULL), 401);
	assert_int_equal(subscribe(F.op, "op", NULL), 409);
	long long ana = subscribed(F.a, "ana");
	long long ben = subscribed(F.b, "ben");
	subscribed(F.d, "dan");
	assert_int_equal(api_count(&T, "/api/v1/push/subscriptions", F.a, "subscriptions"), 1);
	assert_int_equal(api_count(&T, "/api/v1/push/subscriptions", F.b, "subscriptions"), 1);
	assert_int_equal(api_count(&T, "/api/v1/push/subscriptions", F.d, "subscriptions"), 1);
	j = api_get(&T, "/api/v1/push/subscriptions", F.a);
	assert_int_equal(strlen(json_string_value(json_object_get(j, "public_key"))), 87);
	assert_holds(json_string_value(json_object_get(json_array_get(json_object_get(j, "subscriptions"), 0), "endpoint")),
		     "/send/ana", NULL);
	json_decref(j);

	/* removing ana's device: only ana */
	char path[64];
	snprintf(path, sizeof path, "/api/v1/push/subscriptions/%lld", ana);
	assert_int_equal(api(&T, "DELETE", path, NULL, NULL, NULL), 401);
	assert_int_equal(api(&T, "DELETE", path, F.op, NULL, NULL), 409);
	assert_int_equal(api(&T, "DELETE", path, F.b, NULL, NULL), 404);
	assert_int_equal(api(&T, "DELETE", path, F.d, NULL, NULL), 404);
	assert_int_equal(api_count(&T, "/api/v1/push/subscriptions", F.a, "subscriptions"), 1);
	assert_int_equal(api(&T, "DELETE", path, F.a, NULL, NULL), 204);
	assert_int_equal(api(&T, "DELETE", path, F.a, NULL, NULL), 404);
	assert_int_equal(api_count(&T, "/api/v1/push/subscriptions", F.a, "subscriptions"), 0);
	assert_int_equal(api_count(&T, "/api/v1/push/subscriptions", F.b, "subscriptions"), 1);
	snprintf(path, sizeof path, "/api/v1/push/subscriptions/%lld", ben);
	assert_int_equal(api(&T, "DELETE", path, F.a, NULL, NULL), 404);
	assert_int_equal(api(&T, "DELETE", "/api/v1/push/subscriptions/nope", F.b, NULL, NULL), 404);

	/* the same endpoint turned on by another person becomes theirs */
	subscribed(F.a, "ben");
	assert_int_equal(api_count(&T, "/api/v1/push/subscriptions", F.b, "subscriptions"), 0);
	assert_int_equal(api_count(&T, "/api/v1/push/subscriptions", F.a, "subscriptions"), 1);

	/* choices: each person's own */
	assert_int_equal(api(&T, "GET", "/api/v1/push/preferences", NULL, NULL, NULL), 401);
	assert_int_equal(api(&T, "GET", "/api/v1/push/preferences", F.op, NULL, NULL), 409);
	assert_int_equal(api(&T, "PUT", "/api/v1/push/preferences", F.a, &j, "{s:i,s:{s:b}}", "per_day", 1, "kinds",
			     "promise", 0), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "per_day")), 1);
	json_decref(j);
	j = api_get(&T, "/api/v1/push/preferences", F.b);
	assert_int_equal(json_integer_value(json_object_get(j, "per_day")), 3);
	assert_true(json_is_true(json_object_get(json_object_get(j, "kinds"), "promise")));
	assert_string_equal(json_string_value(json_object_get(j, "quiet_from")), "21:00");
	assert_string_equal(json_string_value(json_object_get(j, "quiet_to")), "08:00");
	json_decref(j);
}

static void input_is_checked(void **state)
{
	(void)state;
	json_t *j;
	api_error(api(&T, "PUT", "/api/v1/push/preferences", F.a, &j, "{s:s}", "quiet_to", "8:00"), j, 400,
		  "invalid_field", "quiet_to");
	api_error(api(&T, "PUT", "/api/v1/push/preferences", F.a, &j, "{s:i}", "wording", 3), j, 400,
		  "invalid_field", "wording");
	api_error(api(&T, "PUT", "/api/v1/push/preferences", F.a, &j, "{s:{s:i}}", "kinds", "share", 1), j, 400,
		  "invalid_field", "kinds");
	api_error(api(&T, "PUT", "/api/v1/push/preferences", F.a, &j, "{s:s}", "colour", "red"), j, 400,
		  "unknown_field", "colour");
	/* a device a browser could not have sent: 400, the field at fault */
	static const char *const bad_devices[][3] = {
		{ "{\"endpoint\":\"https://push.example.org/x\",\"keys\":{\"p256dh\":\"!!\",\"auth\":\"AAAA\"}}",
		  "invalid_field", "p256dh" },
		{ "{\"endpoint\":\"https://push.example.org/x\",\"keys\":{\"p256dh\":\"x\",\"auth\":\"y\",\"z\":1}}",
		  "unknown_field", "z" },
		{ "{\"endpoint\":\"https://push.example.org/x\",\"keys\":[]}", "invalid_field", "keys" },
		{ "{\"endpoint\":\"https://push.example.org/a b\",\"keys\":{\"p256dh\":\"x\",\"auth\":\"y\"}}",
		  "invalid_field", "endpoint" },
	};
	for (size_t i = 0; i < sizeof bad_devices / sizeof bad_devices[0]; i++)
		api_error(api_raw(&T, "POST", "/api/v1/push/subscriptions", F.a, &j, bad_devices[i][0]), j, 400,
			  bad_devices[i][1], bad_devices[i][2]);
	/* ten devices at most */
	for (int i = 0; i < 10; i++) {
		char name[16];
		snprintf(name, sizeof name, "d%d", i);
		subscribed(F.a, name);
	}
	api_error(subscribe(F.a, "d10", &j), j, 409, "too_many_devices", NULL);
	assert_int_equal(subscribe(F.a, "d3", &j), 200); /* one of them again: its keys renewed */
	json_decref(j);
	assert_int_equal(api_count(&T, "/api/v1/push/subscriptions", F.a, "subscriptions"), 10);
}

static void the_page_without_javascript(void **state)
{
	(void)state;
	struct browser b = { 0 };
	json_t *j;
	b_login(&T, &b, "ana");
	b_page_has(&T, &b, "/settings", 200, "href=\"/settings/reminders\"", NULL);
	b_page_has(&T, &b, "/settings/reminders", 200, "class=\"push-needs-js\"", "data-push-key=\"",
		   "Today&#39;s appreciation", "A reminder", "Something is waiting for you.", "None yet.", NULL);
	/* a bad time: 400, a calm word, nothing saved */
	b_post_has(&T, &b, "/settings/reminders",
		   "kind_share=on&quiet_from=9pm&quiet_to=08:00&per_day=2&wording=1", 400,
		   "Please give the quiet hours as times", NULL);
	j = api_get(&T, "/api/v1/push/preferences", F.a);
	assert_int_equal(json_integer_value(json_object_get(j, "per_day")), 3);
	json_decref(j);
	/* saved: only the kinds ticked stay on */
	b_post_has(&T, &b, "/settings/reminders",
		   "kind_share=on&kind_checkin=on&quiet_from=22:15&quiet_to=07:30&per_day=2&wording=1", 200,
		   "Your choices are saved.", NULL);
	j = api_get(&T, "/api/v1/push/preferences", F.a);
	json_t *k = json_object_get(j, "kinds");
	assert_true(json_is_true(json_object_get(k, "share")));
	assert_true(json_is_true(json_object_get(k, "checkin")));
	assert_true(json_is_false(json_object_get(k, "appreciation")));
	assert_true(json_is_false(json_object_get(k, "promise")));
	assert_true(json_is_false(json_object_get(k, "agreement")));
	assert_string_equal(json_string_value(json_object_get(j, "quiet_from")), "22:15");
	assert_string_equal(json_string_value(json_object_get(j, "quiet_to")), "07:30");
	assert_int_equal(json_integer_value(json_object_get(j, "per_day")), 2);
	assert_int_equal(json_integer_value(json_object_get(j, "wording")), 1);
	json_decref(j);

	/* a device listed, removed with its button; ben's cannot be */
	long long ana = subscribed(F.a, "ana-phone");
	long long ben = subscribed(F.b, "ben-phone");
	b_page_has_lacks(&T, &b, "/settings/reminders", "/send/ana-phone", "/send/ben-phone");
	char form[64];
	snprintf(form, sizeof form, "id=%lld", ben);
	b_post_has(&T, &b, "/settings/reminders/remove", form, 404, "That device gets no reminders already.", NULL);
	assert_int_equal(api_count(&T, "/api/v1/push/subscriptions", F.b, "subscriptions"), 1);
	snprintf(form, sizeof form, "id=%lld", ana);
	char location[256];
	assert_int_equal(b_post(&T, &b, "/settings/reminders/remove", form, NULL, location), 303);
	assert_string_equal(location, "/settings/reminders");
	assert_int_equal(api_count(&T, "/api/v1/push/subscriptions", F.a, "subscriptions"), 0);

	/* the operator, in no couple, has no reminders page */
	struct browser o = { 0 };
	b_login(&T, &o, "opr");
	b_page_lacks(&T, &o, "/settings", "/settings/reminders");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(who_may_do_what, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(input_is_checked, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(the_page_without_javascript, couple_setup, couple_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
