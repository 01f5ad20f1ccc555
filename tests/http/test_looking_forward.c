/* test_looking_forward.c: future visioning (hidden until both wrote, then
 * revealed together; items marked aligned or different; aligned ones become
 * shared goals), what "recovered" means (statements both tick; criteria
 * measured from check-ins, triggers and promises, counting only what both
 * partners can see), the guidance pages (no login), the pages without
 * JavaScript, and who may reach what. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apiclient.h"
#include "base/caltime.h"
#include "browser.h"


/* Runs one write statement on the store (test data the APIs would make). */
static void sql(const char *q, const char *types, long long a, long long b, long long c, const char *t, long long d)
{
	sqlite3 *w = db_write_begin(&T.app.db);
	int rc = db_run(w, q, types, a, b, c, t, d);
	assert_int_equal(db_write_end(&T.app.db, rc == SQLITE_OK), SQLITE_OK);
	assert_int_equal(rc, SQLITE_OK);
}

static const char *text_of(json_t *v)
{
	return json_string_value(json_object_get(v, "text"));
}

static void visions_stay_hidden_until_both_have_written(void **state)
{
	(void)state;
	json_t *j;
	api_error(api(&T, "POST", "/api/v1/vision/items", F.a, &j, "{s:s, s:s}", "text", "x", "mark", "aligned"), j,
		  409, "not_revealed", NULL);
	assert_int_equal(api(&T, "PUT", "/api/v1/vision", F.a, &j, "{s:s}", "text", "A house by the sea, Sunday walks."), 200);
	assert_string_equal(text_of(json_object_get(j, "mine")), "A house by the sea, Sunday walks.");
	assert_true(json_is_null(json_object_get(j, "partner")));
	assert_false(json_is_true(json_object_get(j, "revealed")));
	json_decref(j);
	/* B sees that A wrote, never what */
	assert_int_equal(api(&T, "GET", "/api/v1/vision", F.b, &j, NULL), 200);
	assert_true(json_is_null(json_object_get(j, "mine")));
	assert_true(json_is_null(json_object_get(j, "partner")));
	assert_true(json_is_true(json_object_get(j, "partner_has_written")));
	char *dump = json_dumps(j, 0);
	assert_null(strstr(dump, "sea"));
	free(dump);
	json_decref(j);
	struct browser b;
	b_login(&T, &b, "ben");
	char *body = b_get(&T, &b, "/vision", 200);
	assert_null(strstr(body, "by the sea"));
	assert_non_null(strstr(body, "Your partner has written theirs"));
	free(body);
	b_page_has(&T, &b, "/", 200, "Your partner has written theirs", NULL);
	assert_int_equal(api(&T, "GET", "/api/v1/vision", F.d, &j, NULL), 200);
	assert_true(json_is_null(json_object_get(j, "partner")));
	assert_false(json_is_true(json_object_get(j, "partner_has_written")));
	json_decref(j);
	/* sealed */
	assert_int_equal(store_count("SELECT count(*) FROM vision WHERE instr(text, CAST('sea' AS BLOB)) > 0"), 0);

	/* B writes: both revealed, to both */
	assert_int_equal(api(&T, "PUT", "/api/v1/vision", F.b, &j, "{s:s}", "text", "A small garden and Sunday walks."), 200);
	assert_string_equal(text_of(json_object_get(j, "partner")), "A house by the sea, Sunday walks.");
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/vision", F.a, &j, NULL), 200);
	assert_string_equal(text_of(json_object_get(j, "partner")), "A small garden and Sunday walks.");
	assert_true(json_is_true(json_object_get(j, "revealed")));
	json_decref(j);

	/* compare: aligned becomes a goal, different cannot */
	assert_int_equal(api(&T, "POST", "/api/v1/vision/items", F.a, &j, "{s:s, s:s}", "text", "Sunday walks", "mark", "aligned"), 201);
	long long walks = json_integer_value(json_object_get(json_object_get(j, "item"), "id"));
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/vision/items", F.b, &j, "{s:s, s:s}", "text", "Where we live", "mark", "different"), 201);
	long long home = json_integer_value(json_object_get(json_object_get(j, "item"), "id"));
	json_decref(j);
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/vision/items/%lld", walks);
	assert_int_equal(api(&T, "PUT", path, F.b, &j, "{s:b}", "goal", 1), 200);
	assert_true(json_is_true(json_object_get(json_object_get(j, "item"), "goal")));
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/vision/items/%lld", home);
	api_error(api(&T, "PUT", path, F.a, &j, "{s:b}", "goal", 1), j, 409, "not_aligned", NULL);
	assert_int_equal(api(&T, "PUT", path, F.d, &j, "{s:s}", "mark", "aligned"), 404);
	json_decref(j);
	api_error(api(&T, "PUT", path, F.a, &j, "{s:s}", "mark", "maybe"), j, 400, NULL, "mark");
	assert_int_equal(api(&T, "PUT", path, F.a, &j, "{s:s, s:b}", "mark", "aligned", "goal", 1), 200);
	assert_true(json_is_true(json_object_get(json_object_get(j, "item"), "goal")));
	json_decref(j);
	/* marking it different again ends its goal */
	assert_int_equal(api(&T, "PUT", path, F.a, &j, "{s:s}", "mark", "different"), 200);
	assert_false(json_is_true(json_object_get(json_object_get(j, "item"), "goal")));
	json_decref(j);
	api_error(api(&T, "PUT", "/api/v1/vision", F.a, &j, "{s:s, s:s}", "text", "x", "mood", "y"), j, 400,
		  "unknown_field", NULL);
	char *big = text_of_length('v', 4001);
	api_error(api(&T, "PUT", "/api/v1/vision", F.a, &j, "{s:s}", "text", big), j, 400, "too_long", NULL);
	free(big);
}

/* The criterion with id from a list response (borrowed). */
static json_t *crit(json_t *list, long long id)
{
	json_t *arr = json_object_get(list, "criteria");
	for (size_t i = 0; i < json_array_size(arr); i++)
		if (json_integer_value(json_object_get(json_array_get(arr, i), "id")) == id)
			return json_array_get(arr, i);
	fail_msg("criterion %lld not listed", id);
	return NULL;
}

static long long create_crit(const char *tok, const char *fmt, ...)
{
	json_t *j;
	va_list ap;
	va_start(ap, fmt);
	json_t *body = json_vpack_ex(NULL, 0, fmt, ap);
	va_end(ap);
	char *s = json_dumps(body, 0);
	json_decref(body);
	assert_int_equal(api_raw(&T, "POST", "/api/v1/recovery-criteria", tok, &j, s), 201);
	free(s);
	long long id = json_integer_value(json_object_get(json_object_get(j, "criterion"), "id"));
	json_decref(j);
	return id;
}

static void recovery_criteria_show_progress(void **state)
{
	(void)state;
	json_t *j;
	long long cid = api_couple_id(&T, F.a), a = api_user_id(&T, F.a), b = api_user_id(&T, F.b);
	long long said = create_crit(F.a, "{s:s, s:s}", "kind", "statement", "text", "We can talk about the past without a fight.");
	long long conn = create_crit(F.b, "{s:s, s:i, s:i}", "kind", "connection", "target", 8, "weeks", 4);
	long long trig = create_crit(F.a, "{s:s, s:i, s:i}", "kind", "triggers", "target", 1, "weeks", 8);
	long long prom = create_crit(F.a, "{s:s, s:i}", "kind", "promises", "target", 75);

	/* a statement is met when both tick it */
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/recovery-criteria/%lld/tick", said);
	assert_int_equal(api(&T, "PUT", path, F.a, &j, "{s:b}", "ticked", 1), 200);
	assert_false(json_is_true(json_object_get(json_object_get(j, "criterion"), "met")));
	json_decref(j);
	assert_int_equal(api(&T, "PUT", path, F.b, &j, "{s:b}", "ticked", 1), 200);
	json_t *c = json_object_get(j, "criterion");
	assert_true(json_is_true(json_object_get(c, "met")));
	assert_string_equal(text_of(c), "We can talk about the past without a fight.");
	json_decref(j);
	assert_int_equal(api(&T, "PUT", path, F.d, &j, "{s:b}", "ticked", 1), 404);
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/recovery-criteria/%lld/tick", conn);
	api_error(api(&T, "PUT", path, F.a, &j, "{s:b}", "ticked", 1), j, 409, "measured", NULL);

	/* check-ins: the three weeks before this one, revealed; this week's (only
	 * B's, not yet revealed) does not count */
	struct isoweek w;
	char wk[9];
	long long past = (long long)time(NULL) - 60, later = (long long)time(NULL) + 7 * 86400;
	for (int k = 1; k < 4; k++) {
		isoweek_of(couple_today() - 7 * k, &w);
		isoweek_format(&w, wk);
		for (int who = 0; who < 2; who++)
			sql("INSERT INTO checkin(couple_id, author_id, week, reveal_at, connection, reliability, emotional_safety,"
			    " honesty, consistency, respect, transparency, created_at, updated_at) VALUES(?1, ?2, ?4, ?3, ?5, 5, 5,"
			    " 5, 5, 5, 5, ?3, ?3)", "iiiti", cid, who ? b : a, past, wk, who ? 8 : 9);
	}
	isoweek_of(couple_today(), &w);
	isoweek_format(&w, wk);
	sql("INSERT INTO checkin(couple_id, author_id, week, reveal_at, connection, reliability, emotional_safety, honesty,"
	    " consistency, respect, transparency, created_at, updated_at) VALUES(?1, ?2, ?4, ?3, ?5, 5, 5, 5, 5, 5, 5, ?3, ?3)",
	    "iiiti", cid, b, later, wk, 1);
	/* triggers: one major shared this month, one major private (not counted), one mild */
	char d[11];
	date_format(couple_today() - 3, d);
	sql("INSERT INTO trigger_event(couple_id, author_id, at, day, kind, intensity, private, created_at)"
	    " VALUES(?1, ?2, ?3, ?4, 'place', ?5, 0, 0)", "iiiti", cid, a, past, d, 8);
	sql("INSERT INTO trigger_event(couple_id, author_id, at, day, kind, intensity, private, created_at)"
	    " VALUES(?1, ?2, ?3, ?4, 'place', ?5, 1, 0)", "iiiti", cid, a, past, d, 9);
	sql("INSERT INTO trigger_event(couple_id, author_id, at, day, kind, intensity, private, created_at)"
	    " VALUES(?1, ?2, ?3, ?4, 'media', ?5, 0, 0)", "iiiti", cid, a, past, d, 3);
	/* promises: 3 of 4 kept, one still open */
	for (int k = 0; k < 5; k++) {
		date_format(couple_today() - 2 - k, d);
		sql(k == 4 ? "INSERT INTO promise(couple_id, author_id, made_to, due, created_at, kept) VALUES(?1, ?2, ?3, ?4, 0, NULL)"
			   : "INSERT INTO promise(couple_id, author_id, made_to, due, created_at, kept) VALUES(?1, ?2, ?3, ?4, 0, ?5)",
		    k == 4 ? "iiit" : "iiiti", cid, b, a, d, k == 0 ? 0 : 1);
	}

	assert_int_equal(api(&T, "GET", "/api/v1/recovery-criteria", F.a, &j, NULL), 200);
	assert_int_equal(json_array_size(json_object_get(j, "criteria")), 4);
	c = crit(j, conn);
	json_t *p = json_object_get(c, "progress");
	assert_true(json_real_value(json_object_get(p, "average")) > 8.49 && json_real_value(json_object_get(p, "average")) < 8.51);
	assert_int_equal(json_integer_value(json_object_get(p, "weeks_with_checkins")), 3);
	assert_true(json_is_true(json_object_get(c, "met")));
	c = crit(j, trig);
	p = json_object_get(c, "progress");
	assert_int_equal(json_integer_value(json_object_get(p, "most_in_four_weeks")), 1);
	assert_false(json_is_true(json_object_get(p, "long_enough"))); /* the couple is new */
	assert_false(json_is_true(json_object_get(c, "met")));
	c = crit(j, prom);
	p = json_object_get(c, "progress");
	assert_int_equal(json_integer_value(json_object_get(p, "kept")), 3);
	assert_int_equal(json_integer_value(json_object_get(p, "total")), 4);
	assert_int_equal(json_integer_value(json_object_get(p, "percent")), 75);
	assert_int_equal(json_integer_value(json_object_get(c, "weeks")), 8);
	assert_true(json_is_true(json_object_get(c, "met")));
	json_decref(j);
	/* once troth has been in use long enough, one major trigger a month is within the target */
	sql("UPDATE couple SET created_at = created_at - ?2 WHERE id = ?1", "ii", cid, 100 * 86400LL, 0, NULL, 0);
	assert_int_equal(api(&T, "GET", "/api/v1/recovery-criteria", F.b, &j, NULL), 200);
	assert_true(json_is_true(json_object_get(crit(j, trig), "met")));
	json_decref(j);
	/* another couple sees none of it */
	assert_int_equal(api_count(&T, "/api/v1/recovery-criteria", F.d, "criteria"), 0);
	/* the home page counts them */
	struct browser ba;
	b_login(&T, &ba, "ana");
	char *body = b_get(&T, &ba, "/", 200);
	assert_non_null(strstr(body, "4 of 4 reached."));
	free(body);
}

static void bad_criteria_are_named(void **state)
{
	(void)state;
	json_t *j;
	static const struct { const char *body, *field; } cases[] = {
		{ "{\"kind\":\"statement\"}", "text" },
		{ "{\"kind\":\"statement\",\"text\":\"x\",\"target\":3}", "target" },
		{ "{\"kind\":\"connection\",\"target\":11}", "target" },
		{ "{\"kind\":\"connection\"}", "target" },
		{ "{\"kind\":\"triggers\",\"target\":1,\"weeks\":2}", "weeks" },
		{ "{\"kind\":\"promises\",\"target\":0}", "target" },
		{ "{\"kind\":\"happiness\",\"target\":5}", "kind" },
		{ "{\"kind\":\"connection\",\"target\":\"8\"}", "target" },
		{ "{\"kind\":\"connection\",\"target\":8,\"weeks\":105}", "weeks" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int st = api_raw(&T, "POST", "/api/v1/recovery-criteria", F.a, &j, cases[i].body);
		if (st != 400 || !err_field(j) || strcmp(err_field(j), cases[i].field))
			fail_msg("%s: %d %s", cases[i].body, st, err_field(j) ? err_field(j) : "(none)");
		json_decref(j);
	}
	api_error(api_raw(&T, "POST", "/api/v1/recovery-criteria", F.a, &j,
		  "{\"kind\":\"statement\",\"text\":\"x\",\"by\":1}"), j, 400, "unknown_field", NULL);
}

static void who_may_reach_visions_and_criteria(void **state)
{
	(void)state;
	long long said = create_crit(F.a, "{s:s, s:s}", "kind", "statement", "text", "We laugh again.");
	char tick[96];
	snprintf(tick, sizeof(tick), "/api/v1/recovery-criteria/%lld/tick", said);
	const char *viewers[] = { NULL, F.a, F.b, F.d, F.op };
	const char *names[] = { "anonymous", "A", "B", "D", "operator" };
	struct {
		const char *method, *path, *body;
		int want[5];
	} cells[] = {
		{ "GET", "/api/v1/vision", NULL, { 401, 200, 200, 200, 409 } },
		{ "PUT", "/api/v1/vision", "{\"text\":\"Five years on\"}", { 401, 200, 200, 200, 409 } },
		{ "POST", "/api/v1/vision/items", "{\"text\":\"Walks\",\"mark\":\"aligned\"}", { 401, 201, 201, 409, 409 } },
		{ "PUT", "/api/v1/vision/items/1", "{\"goal\":true}", { 401, 200, 200, 404, 409 } },
		{ "GET", "/api/v1/recovery-criteria", NULL, { 401, 200, 200, 200, 409 } },
		{ "POST", "/api/v1/recovery-criteria", "{\"kind\":\"statement\",\"text\":\"x\"}", { 401, 201, 201, 201, 409 } },
		{ "PUT", tick, "{\"ticked\":true}", { 401, 200, 200, 404, 409 } },
	};
	for (size_t c = 0; c < sizeof(cells) / sizeof(cells[0]); c++)
		for (int v = 0; v < 5; v++) {
			int st = cells[c].body ? api_raw(&T, cells[c].method, cells[c].path, viewers[v], NULL, cells[c].body)
					       : api(&T, cells[c].method, cells[c].path, viewers[v], NULL, NULL);
			if (st != cells[c].want[v])
				fail_msg("%s %s as %s: %d, want %d", cells[c].method, cells[c].path, names[v], st, cells[c].want[v]);
		}
	/* D's own criterion is D's couple's alone */
	assert_int_equal(api_count(&T, "/api/v1/recovery-criteria", F.a, "criteria"), 3);
}

static void guidance_is_open_to_everyone(void **state)
{
	(void)state;
	struct browser anon, a;
	memset(&anon, 0, sizeof(anon));
	b_login(&T, &a, "ana");
	static const struct { const char *path, *says; } pages[] = {
		{ "/guidance/counselling", "specialise in infidelity or betrayal recovery" },
		{ "/guidance/counselling", "Some people start alone" },
		{ "/guidance/children", "Keep them out of the grown-up part" },
		{ "/guidance/walking-away", "Parting after a betrayal is not a failure" },
		{ "/guidance/walking-away", "href=\"/safety\"" },
	};
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		char *body = b_get(&T, &anon, pages[i].path, 200);
		if (!strstr(body, pages[i].says))
			fail_msg("%s does not say %s", pages[i].path, pages[i].says);
		free(body);
		free(b_get(&T, &a, pages[i].path, 200));
	}
}

static void vision_and_criteria_through_the_pages(void **state)
{
	(void)state;
	struct browser a, b;
	char *body, loc[256];
	b_login(&T, &a, "ana");
	b_login(&T, &b, "ben");
	b_page_has(&T, &a, "/vision", 200, "Neither sees the other's until both have written", NULL);
	b_post_has(&T, &a, "/vision", "text=", 400, "Please write your picture", NULL);
	assert_int_equal(b_post(&T, &a, "/vision", "text=Cooking+together+on+Fridays", NULL, loc), 303);
	b_page_lacks(&T, &b, "/vision", "Cooking together");
	assert_int_equal(b_post(&T, &b, "/vision", "text=A+dog+and+Friday+dinners", NULL, loc), 303);
	b_page_has(&T, &a, "/vision", 200, "Cooking together on Fridays", "A dog and Friday dinners", NULL);
	assert_int_equal(b_post(&T, &a, "/vision/items", "item=Friday+dinners&mark=aligned", NULL, loc), 303);
	body = b_get(&T, &b, "/vision", 200);
	assert_non_null(strstr(body, "Aligned:</strong> Friday dinners"));
	char action[96];
	b_form_action(body, "/vision/items/", action, sizeof(action));
	free(body);
	assert_int_equal(b_post(&T, &b, action, "goal=1", NULL, loc), 303);
	b_page_has(&T, &a, "/vision", 200, "Shared goal:</strong> Friday dinners", NULL);

	b_page_has(&T, &a, "/recovery", 200, "No criteria yet", NULL);
	b_post_has(&T, &a, "/recovery", "kind=connection&target=12&weeks=8&text=Close+again", 400,
		   "Please give a target", ">Close again</textarea>", NULL);
	assert_int_equal(b_post(&T, &a, "/recovery", "kind=statement&text=We+trust+each+other+with+our+phones", NULL, loc), 303);
	body = b_get(&T, &b, "/recovery", 200);
	assert_holds(body, "We trust each other with our phones", "Neither of you has ticked it yet.", NULL);
	b_form_action(body, "/recovery/", action, sizeof(action));
	free(body);
	assert_int_equal(b_post(&T, &b, action, "ticked=1", NULL, loc), 303);
	assert_int_equal(b_post(&T, &a, action, "ticked=1", NULL, loc), 303);
	b_page_has(&T, &a, "/recovery", 200, "You both say it is true. Reached.", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(visions_stay_hidden_until_both_have_written, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(recovery_criteria_show_progress, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(bad_criteria_are_named, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(who_may_reach_visions_and_criteria, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(guidance_is_open_to_everyone, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(vision_and_criteria_through_the_pages, couple_setup, couple_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
