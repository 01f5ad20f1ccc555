/* test_couple_zone.c: the couple's time zone, chosen from a list when the
 * couple starts and changed later by either partner, from the couple page
 * or the API; no one else can change it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "apiclient.h"
#include "browser.h"
#include "ui/zones.h"

/* The zone GET /api/v1/me gives token's couple. */
static char *zone_of(const char *token)
{
	json_t *j;
	assert_int_equal(api(&T, "GET", "/api/v1/me", token, &j, NULL), 200);
	char *z = strdup(json_string_value(json_object_get(json_object_get(j, "couple"), "timezone")));
	json_decref(j);
	return z;
}

static void starting_a_couple_offers_the_zones_by_region(void **state)
{
	(void)state;
	struct browser a = { 0 };
	b_login(&T, &a, "opr"); /* the operator, in no couple */
	assert_true(zones_count() > 300);
	b_page_has(&T, &a, "/couple", 200, "<select id=\"f-timezone\" name=\"timezone\"", "data-zone-guess",
		   "<option value=\"\" selected>Choose your time zone</option>", "<optgroup label=\"Europe\">",
		   "<option value=\"Europe/London\">London</option>",
		   "<option value=\"America/New_York\">New York</option>",
		   "<option value=\"America/Argentina/Buenos_Aires\">Argentina / Buenos Aires</option>", NULL);
	char *body = b_get(&T, &a, "/couple", 200);
	/* each region's group once, in order */
	const char *africa = strstr(body, "<optgroup label=\"Africa\">");
	const char *pacific = strstr(body, "<optgroup label=\"Pacific\">");
	assert_non_null(africa);
	assert_non_null(pacific);
	assert_true(africa < pacific);
	assert_null(strstr(africa + 1, "<optgroup label=\"Africa\">"));
	free(body);
}

static void either_partner_changes_the_zone_from_the_page(void **state)
{
	(void)state;
	struct browser b = { 0 };
	char location[256];
	b_login(&T, &b, "ben");
	b_page_has(&T, &b, "/couple", 200, "action=\"/couple/timezone\"",
		   "<option value=\"Europe/London\" selected>London</option>", NULL);
	assert_int_equal(b_post(&T, &b, "/couple/timezone", "timezone=Asia%2FKolkata", NULL, location), 303);
	assert_string_equal(location, "/couple");
	b_page_has(&T, &b, "/couple", 200, "<option value=\"Asia/Kolkata\" selected>Kolkata</option>", NULL);
	char *z = zone_of(F.a);
	assert_string_equal(z, "Asia/Kolkata"); /* the partner's days are counted there too */
	free(z);
	char *body = NULL;
	assert_int_equal(b_post(&T, &b, "/couple/timezone", "timezone=Mars%2FOlympus", &body, location), 400);
	assert_non_null(strstr(body, "We do not know that time zone"));
	free(body);
	z = zone_of(F.b);
	assert_string_equal(z, "Asia/Kolkata");
	free(z);
}

static void the_api_changes_it_for_the_couple_only(void **state)
{
	(void)state;
	json_t *j;
	assert_int_equal(api(&T, "PUT", "/api/v1/couple/timezone", F.a, &j, "{s:s}", "timezone", "Australia/Sydney"),
			 200);
	assert_string_equal(json_string_value(json_object_get(j, "timezone")), "Australia/Sydney");
	json_decref(j);
	char *za = zone_of(F.b), *zd = zone_of(F.d);
	assert_string_equal(za, "Australia/Sydney");
	assert_string_equal(zd, "Europe/London"); /* the other couple keeps theirs */
	free(za);
	free(zd);
	api_error(api(&T, "PUT", "/api/v1/couple/timezone", F.a, &j, "{s:s}", "timezone", "Nowhere/Land"), j, 400,
		  "invalid_field", "timezone");
	api_error(api(&T, "PUT", "/api/v1/couple/timezone", F.a, &j, "{s:s, s:i}", "timezone", "Europe/Paris", "x",
		      1), j, 400, "unknown_field", "x");
	assert_int_equal(api(&T, "PUT", "/api/v1/couple/timezone", NULL, &j, "{s:s}", "timezone", "Europe/Paris"),
			 401);
	json_decref(j);
	/* the operator is in no couple */
	assert_int_equal(api(&T, "PUT", "/api/v1/couple/timezone", F.op, &j, "{s:s}", "timezone", "Europe/Paris"),
			 409);
	json_decref(j);
	za = zone_of(F.a);
	assert_string_equal(za, "Australia/Sydney"); /* nothing refused changed it */
	free(za);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(starting_a_couple_offers_the_zones_by_region, couple_setup,
						couple_teardown),
		cmocka_unit_test_setup_teardown(either_partner_changes_the_zone_from_the_page, couple_setup,
						couple_teardown),
		cmocka_unit_test_setup_teardown(the_api_changes_it_for_the_couple_only, couple_setup,
						couple_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
