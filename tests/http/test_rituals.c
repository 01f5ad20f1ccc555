/* test_rituals.c: the rituals API through the real routes: the check-in's
 * reveal rule (by answering, and three days after the week), editing until
 * revealed, validation with the field named, appreciation, vulnerability
 * sharing with only "heard", connection time, the schedule, the calendar
 * feed's secret URL (rotate, delete, leave), and the authorization matrix
 * of every ritual resource (viewer x resource x action, every cell
 * asserted). */
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
#include "auth/account.h"
#include "base/caltime.h"


#define ZONE "Europe/London"

/* ---- helpers ---- */

/* The week `ago` weeks before this one in the couple's zone, as text. */
static const char *week_ago(int ago, char out[9])
{
	struct isoweek w;
	isoweek_of(couple_today() - 7L * ago, &w);
	isoweek_format(&w, out);
	return out;
}

static const char *day_ago(long ago, char out[11])
{
	date_format(couple_today() - ago, out);
	return out;
}

/* A valid check-in body with connection c and every dimension d. */
static json_t *checkin_body(int c, int d, const char *increased)
{
	return json_pack("{s:i, s:{s:i, s:i, s:i, s:i, s:i, s:i}, s:s}", "connection", c, "dimensions",
			 "reliability", d, "emotional_safety", d, "honesty", d, "consistency", d, "respect", d,
			 "transparency", d, "increased", increased);
}

/* Sends a json_t body (stolen). */
static int send_json(const char *method, const char *path, const char *token, json_t **out, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	int st = api_raw(&T, method, path, token, out, s);
	free(s);
	return st;
}

static int post_checkin(const char *token, const char *week, int c, int d, const char *text, json_t **out)
{
	json_t *b = checkin_body(c, d, text);
	if (week)
		json_object_set_new(b, "week", json_string(week));
	return send_json("POST", "/api/v1/checkins", token, out, b);
}

/* The check-in of `author` ("me"/"partner") for week in token's list, or
 * NULL (borrowed from list). */
static json_t *find_checkin(json_t *list, const char *week, const char *author)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(list, "checkins"), i, c) {
		if (!strcmp(json_string_value(json_object_get(c, "week")), week) &&
		    !strcmp(json_string_value(json_object_get(c, "author")), author))
			return c;
	}
	return NULL;
}

static json_t *list_checkins(const char *token, const char *from, const char *to)
{
	char path[128];
	json_t *j;
	snprintf(path, sizeof(path), "/api/v1/checkins?from=%s&to=%s", from, to);
	assert_int_equal(api(&T, "GET", path, token, &j, NULL), 200);
	return j;
}

/* The call runs first (it sets j), then its answer is checked and freed. */
#define assert_error api_error

/* ---- check-ins ---- */

static void a_check_in_stays_hidden_until_the_partner_answers(void **state)
{
	(void)state;
	json_t *j, *c;
	char wk[9];
	week_ago(0, wk);

	/* A checks in for this week (the default week) */
	assert_int_equal(post_checkin(F.a, NULL, 7, 6, "You came home on time.", &j), 201);
	c = json_object_get(j, "checkin");
	assert_string_equal(json_string_value(json_object_get(c, "week")), wk);
	assert_string_equal(json_string_value(json_object_get(c, "author")), "me");
	assert_true(json_is_false(json_object_get(c, "revealed")));
	assert_true(json_is_true(json_object_get(c, "editable")));
	assert_int_equal(json_integer_value(json_object_get(c, "connection")), 7);
	assert_string_equal(json_string_value(json_object_get(c, "increased")), "You came home on time.");
	json_decref(j);

	/* B sees that A checked in, and nothing of what A said */
	j = list_checkins(F.b, wk, wk);
	assert_int_equal(json_array_size(json_object_get(j, "checkins")), 1);
	c = find_checkin(j, wk, "partner");
	assert_non_null(c);
	assert_true(json_is_false(json_object_get(c, "revealed")));
	assert_int_equal(json_object_size(c), 3); /* week, author, revealed: no answer fields */
	assert_null(json_object_get(c, "connection"));
	assert_null(json_object_get(c, "increased"));
	char *dump = json_dumps(j, 0);
	assert_null(strstr(dump, "home on time"));
	free(dump);
	json_decref(j);

	/* A may still change it */
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/checkins/%s", wk);
	assert_int_equal(send_json("PUT", path, F.a, &j, checkin_body(8, 5, "You called at lunch.")), 200);
	c = json_object_get(j, "checkin");
	assert_int_equal(json_integer_value(json_object_get(c, "connection")), 8);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(c, "dimensions"), "honesty")), 5);
	assert_string_equal(json_string_value(json_object_get(c, "increased")), "You called at lunch.");
	json_decref(j);

	/* a second check-in for the same week is refused */
	assert_error(post_checkin(F.a, wk, 3, 3, "again", &j), j, 409, "already_checked_in", NULL);

	/* B answers: both are revealed, to both */
	assert_int_equal(post_checkin(F.b, NULL, 5, 4, "You told me how you felt.", &j), 201);
	assert_true(json_is_true(json_object_get(json_object_get(j, "checkin"), "revealed")));
	assert_true(json_is_false(json_object_get(json_object_get(j, "checkin"), "editable")));
	json_decref(j);
	j = list_checkins(F.b, wk, wk);
	c = find_checkin(j, wk, "partner");
	assert_true(json_is_true(json_object_get(c, "revealed")));
	assert_int_equal(json_integer_value(json_object_get(c, "connection")), 8); /* A's edited answer */
	assert_string_equal(json_string_value(json_object_get(c, "increased")), "You called at lunch.");
	json_decref(j);
	j = list_checkins(F.a, wk, wk);
	c = find_checkin(j, wk, "partner");
	assert_int_equal(json_integer_value(json_object_get(c, "connection")), 5);
	assert_string_equal(json_string_value(json_object_get(c, "increased")), "You told me how you felt.");
	assert_true(json_is_true(json_object_get(find_checkin(j, wk, "me"), "revealed")));
	assert_true(json_is_false(json_object_get(find_checkin(j, wk, "me"), "editable")));
	json_decref(j);

	/* once revealed, neither can edit */
	assert_error(send_json("PUT", path, F.a, &j, checkin_body(1, 1, "changed my mind")), j, 409, "revealed", NULL);
	assert_error(send_json("PUT", path, F.b, &j, checkin_body(1, 1, "changed my mind")), j, 409, "revealed", NULL);
	j = list_checkins(F.b, wk, wk);
	assert_int_equal(json_integer_value(json_object_get(find_checkin(j, wk, "partner"), "connection")), 8);
	json_decref(j);

	/* the other couple sees none of it */
	j = list_checkins(F.d, wk, wk);
	assert_int_equal(json_array_size(json_object_get(j, "checkins")), 0);
	json_decref(j);
}

static void a_check_in_opens_three_days_after_its_week(void **state)
{
	(void)state;
	json_t *j, *c;
	char old[9], last[9], path[64];
	week_ago(3, old);
	week_ago(1, last);

	/* a week that ended more than three days ago: open to B at once */
	assert_int_equal(post_checkin(F.a, old, 4, 4, "An old week.", &j), 201);
	assert_true(json_is_true(json_object_get(json_object_get(j, "checkin"), "revealed")));
	assert_true(json_is_false(json_object_get(json_object_get(j, "checkin"), "editable")));
	json_decref(j);
	j = list_checkins(F.b, old, old);
	c = find_checkin(j, old, "partner");
	assert_true(json_is_true(json_object_get(c, "revealed")));
	assert_string_equal(json_string_value(json_object_get(c, "increased")), "An old week.");
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/checkins/%s", old);
	assert_error(send_json("PUT", path, F.a, &j, checkin_body(9, 9, "x")), j, 409, "revealed", NULL);

	/* last week: open from Thursday 00:00 in the couple's zone */
	struct isoweek lw;
	isoweek_parse(last, &lw);
	bool open = time(NULL) >= tz_instant(tz_get(ZONE), isoweek_monday(&lw) + 10, 0);
	assert_int_equal(post_checkin(F.a, last, 6, 6, "Last week.", &j), 201);
	json_decref(j);
	j = list_checkins(F.b, last, last);
	c = find_checkin(j, last, "partner");
	assert_int_equal(json_is_true(json_object_get(c, "revealed")), open);
	assert_int_equal(json_object_get(c, "increased") != NULL, open);
	json_decref(j);

	/* the reveal time is Thursday 00:00 London after the week */
	char wk[9];
	week_ago(0, wk);
	assert_int_equal(post_checkin(F.b, NULL, 6, 6, "now", &j), 201);
	struct isoweek w;
	isoweek_parse(wk, &w);
	char want[21];
	instant_format(tz_instant(tz_get(ZONE), isoweek_monday(&w) + 10, 0), want);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "checkin"), "reveals_at")), want);
	json_decref(j);

	/* the list runs oldest first and keeps to the range */
	j = list_checkins(F.a, old, wk);
	assert_int_equal(json_array_size(json_object_get(j, "checkins")), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "checkins"), 0), "week")), old);
	json_decref(j);
	j = list_checkins(F.a, last, last);
	assert_int_equal(json_array_size(json_object_get(j, "checkins")), 1);
	json_decref(j);
	/* default range: the last twelve weeks, this one included */
	assert_int_equal(api_count(&T, "/api/v1/checkins", F.a, "checkins"), 3);
}

static void check_in_bodies_are_checked_field_by_field(void **state)
{
	(void)state;
	json_t *j, *b;
	char next[9], wk[9], path[64];
	struct isoweek w;
	isoweek_of(couple_today() + 7, &w);
	isoweek_format(&w, next);
	week_ago(0, wk);
	struct { const char *key; json_t *val; int st; const char *code, *field; } cases[] = {
		{ "connection", json_integer(0), 400, "invalid_field", "connection" },
		{ "connection", json_integer(11), 400, "invalid_field", "connection" },
		{ "connection", json_string("7"), 400, "invalid_field", "connection" },
		{ "connection", json_real(7.5), 400, "invalid_field", "connection" },
		{ "connection", NULL, 400, "missing_field", "connection" },
		{ "dimensions", NULL, 400, "missing_field", "dimensions" },
		{ "dimensions", json_integer(5), 400, "invalid_field", "dimensions" },
		{ "dimensions", json_pack("{s:i}", "honesty", 5), 400, "missing_field", "dimensions.reliability" },
		{ "dimensions", json_pack("{s:i, s:i, s:i, s:i, s:i, s:i}", "reliability", 5, "emotional_safety", 5,
					  "honesty", 0, "consistency", 5, "respect", 5, "transparency", 5),
		  400, "invalid_field", "dimensions.honesty" },
		{ "dimensions", json_pack("{s:i, s:i, s:i, s:i, s:i, s:s}", "reliability", 5, "emotional_safety", 5,
					  "honesty", 5, "consistency", 5, "respect", 5, "transparency", "high"),
		  400, "invalid_field", "dimensions.transparency" },
		{ "dimensions", json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "reliability", 5, "emotional_safety", 5,
					  "honesty", 5, "consistency", 5, "respect", 5, "transparency", 5, "love", 5),
		  400, "unknown_field", "dimensions.love" },
		{ "signs", json_pack("{s:i}", "listened_to", 6), 400, "invalid_field", "signs.listened_to" },
		{ "signs", json_pack("{s:i}", "safer_talking", 0), 400, "invalid_field", "signs.safer_talking" },
		{ "signs", json_pack("{s:i}", "hope", 3), 400, "unknown_field", "signs.hope" },
		{ "signs", json_string("good"), 400, "invalid_field", "signs" },
		{ "week", json_string("2026-W99"), 400, "invalid_field", "week" },
		{ "week", json_string("last week"), 400, "invalid_field", "week" },
		{ "week", json_string(next), 400, "invalid_field", "week" },  /* the future */
		{ "week", json_integer(48), 400, "invalid_field", "week" },
		{ "increased", json_integer(1), 400, "invalid_field", "increased" },
		{ "need", json_string("bad\x01text"), 400, "invalid_field", "need" },
		{ "mood", json_string("fine"), 400, "unknown_field", "mood" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		b = checkin_body(5, 5, "text");
		if (cases[i].val)
			json_object_set_new(b, cases[i].key, cases[i].val);
		else
			json_object_del(b, cases[i].key);
		int st = send_json("POST", "/api/v1/checkins", F.a, &j, b);
		if (st != cases[i].st || strcmp(err_code(j), cases[i].code) || strcmp(err_field(j), cases[i].field))
			fail_msg("case %zu (%s): %d %s %s", i, cases[i].key, st, err_code(j), err_field(j));
		json_decref(j);
	}
	/* texts: 4,000 characters (not bytes) are fine, 4,001 are too long */
	char *big = malloc(4 * 4001 + 1);
	for (int i = 0; i < 4001; i++)
		memcpy(big + i * 3, "\xe2\x9c\x93", 3); /* ✓, three bytes each */
	big[3 * 4001] = '\0';
	b = checkin_body(5, 5, big);
	assert_error(send_json("POST", "/api/v1/checkins", F.a, &j, b), j, 400, "too_long", "increased");
	big[3 * 4000] = '\0';
	b = checkin_body(5, 5, "fine");
	json_object_set_new(b, "decreased", json_string(big));
	json_object_set_new(b, "signs", json_pack("{s:i, s:n}", "safer_talking", 1, "warm_moments"));
	assert_int_equal(send_json("POST", "/api/v1/checkins", F.a, &j, b), 201);
	assert_int_equal(strlen(json_string_value(json_object_get(json_object_get(j, "checkin"), "decreased"))), 12000);
	json_t *signs = json_object_get(json_object_get(j, "checkin"), "signs");
	assert_int_equal(json_integer_value(json_object_get(signs, "safer_talking")), 1);
	assert_true(json_is_null(json_object_get(signs, "warm_moments")));
	json_decref(j);
	free(big);

	/* editing: the week is in the path, not the body; only one's own */
	snprintf(path, sizeof(path), "/api/v1/checkins/%s", wk);
	b = checkin_body(6, 6, "x");
	json_object_set_new(b, "week", json_string(wk));
	assert_error(send_json("PUT", path, F.a, &j, b), j, 400, "unknown_field", "week");
	assert_error(send_json("PUT", path, F.a, &j, checkin_body(0, 6, "x")), j, 400, "invalid_field", "connection");
	assert_error(send_json("PUT", path, F.b, &j, checkin_body(6, 6, "x")), j, 404, "not_found", NULL);
	assert_error(send_json("PUT", "/api/v1/checkins/2026-W60", F.a, &j, checkin_body(6, 6, "x")), j, 404,
		     "not_found", NULL);
	snprintf(path, sizeof(path), "/api/v1/checkins/%s", next);
	assert_error(send_json("PUT", path, F.a, &j, checkin_body(6, 6, "x")), j, 404, "not_found", NULL);
	assert_error(api_raw(&T, "POST", "/api/v1/checkins", F.a, &j, "[1,2]"), j, 400, "invalid_json", NULL);

	/* the list's range */
	assert_error(api(&T, "GET", "/api/v1/checkins?from=yesterday", F.a, &j, NULL), j, 400, "invalid_field", "from");
	assert_error(api(&T, "GET", "/api/v1/checkins?to=2026-W54", F.a, &j, NULL), j, 400, "invalid_field", "to");
	assert_error(api(&T, "GET", "/api/v1/checkins?from=2026-W10&to=2026-W09", F.a, &j, NULL), j, 400,
		     "invalid_field", "from");
}

/* ---- appreciation ---- */

static void appreciations_are_one_a_day_and_seen_at_once(void **state)
{
	(void)state;
	json_t *j, *a;
	char d0[11], d1[11], d2[11], tomorrow[11], path[96];
	day_ago(0, d0);
	day_ago(1, d1);
	day_ago(2, d2);
	day_ago(-1, tomorrow);
	assert_int_equal(api(&T, "POST", "/api/v1/appreciations", F.a, &j, "{s:s}", "text",
			     "Thank you for the coffee."), 201);
	a = json_object_get(j, "appreciation");
	assert_string_equal(json_string_value(json_object_get(a, "day")), d0);
	assert_true(json_integer_value(json_object_get(a, "id")) > 0);
	json_decref(j);
	/* B sees it straight away */
	assert_int_equal(api(&T, "GET", "/api/v1/appreciations", F.b, &j, NULL), 200);
	a = json_array_get(json_object_get(j, "appreciations"), 0);
	assert_string_equal(json_string_value(json_object_get(a, "text")), "Thank you for the coffee.");
	assert_string_equal(json_string_value(json_object_get(a, "author")), "partner");
	json_decref(j);
	/* one per day per partner; B's own is separate; a past day is fine */
	assert_error(api(&T, "POST", "/api/v1/appreciations", F.a, &j, "{s:s}", "text", "Again"), j, 409,
		     "already_appreciated", "day");
	assert_int_equal(api(&T, "POST", "/api/v1/appreciations", F.b, &j, "{s:s}", "text", "Your smile."), 201);
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/appreciations", F.a, &j, "{s:s, s:s}", "text", "Yesterday's.",
			     "day", d1), 201);
	json_decref(j);
	assert_error(api(&T, "POST", "/api/v1/appreciations", F.a, &j, "{s:s, s:s}", "text", "x", "day", tomorrow),
		     j, 400, "invalid_field", "day");
	assert_error(api(&T, "POST", "/api/v1/appreciations", F.a, &j, "{s:s, s:s}", "text", "x", "day", "2026-02-30"),
		     j, 400, "invalid_field", "day");
	assert_error(api(&T, "POST", "/api/v1/appreciations", F.a, &j, "{s:s}", "text", ""), j, 400,
		     "missing_field", "text");
	assert_error(api(&T, "POST", "/api/v1/appreciations", F.a, &j, "{s:s, s:s}", "text", "x", "to", "you"),
		     j, 400, "unknown_field", "to");
	assert_error(api(&T, "POST", "/api/v1/appreciations", F.a, &j, "{s:i}", "text", 5), j, 400,
		     "invalid_field", "text");
	/* the range */
	snprintf(path, sizeof(path), "/api/v1/appreciations?from=%s&to=%s", d1, d1);
	assert_int_equal(api(&T, "GET", path, F.b, &j, NULL), 200);
	assert_int_equal(json_array_size(json_object_get(j, "appreciations")), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "appreciations"), 0),
							      "text")), "Yesterday's.");
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/appreciations?from=%s&to=%s", d0, d2);
	assert_error(api(&T, "GET", path, F.b, &j, NULL), j, 400, "invalid_field", "from");
	assert_error(api(&T, "GET", "/api/v1/appreciations?to=soon", F.b, &j, NULL), j, 400, "invalid_field", "to");
	/* the other couple sees none */
	assert_int_equal(api_count(&T, "/api/v1/appreciations", F.d, "appreciations"), 0);
}

/* ---- vulnerability sharing ---- */

static void a_share_can_only_be_heard(void **state)
{
	(void)state;
	json_t *j, *v;
	char path[96];
	assert_int_equal(api(&T, "POST", "/api/v1/vulnerabilities", F.a, &j, "{s:s, s:s}", "text",
			     "I am afraid of the holidays.", "kind", "fear"), 201);
	v = json_object_get(j, "vulnerability");
	long long id = json_integer_value(json_object_get(v, "id"));
	assert_true(id > 0);
	assert_true(json_is_false(json_object_get(v, "heard")));
	assert_true(json_is_null(json_object_get(v, "heard_at")));
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/vulnerabilities/%lld/heard", id);

	/* there is no reply: no field for one, no route for one */
	assert_error(api(&T, "POST", "/api/v1/vulnerabilities", F.b, &j, "{s:s, s:s}", "text", "x", "reply",
			 "It will be fine"), j, 400, "unknown_field", "reply");
	assert_error(api(&T, "POST", path, F.b, &j, "{s:s}", "text", "It will be fine"), j, 400, "unknown_field", "text");
	assert_error(api(&T, "PUT", path, F.b, &j, NULL), j, 405, "method_not_allowed", NULL);
	assert_error(api(&T, "POST", "/api/v1/vulnerabilities/1/replies", F.b, &j, NULL), j, 404, "not_found", NULL);

	/* B reads it; the author cannot mark it heard; the other couple cannot see it */
	assert_int_equal(api(&T, "GET", "/api/v1/vulnerabilities", F.b, &j, NULL), 200);
	v = json_array_get(json_object_get(j, "vulnerabilities"), 0);
	assert_string_equal(json_string_value(json_object_get(v, "text")), "I am afraid of the holidays.");
	assert_string_equal(json_string_value(json_object_get(v, "kind")), "fear");
	assert_string_equal(json_string_value(json_object_get(v, "author")), "partner");
	json_decref(j);
	assert_error(api(&T, "POST", path, F.a, &j, NULL), j, 403, "not_allowed", NULL);
	assert_error(api(&T, "POST", path, F.d, &j, NULL), j, 404, "not_found", NULL);
	assert_error(api(&T, "POST", "/api/v1/vulnerabilities/99999/heard", F.b, &j, NULL), j, 404, "not_found", NULL);
	assert_error(api(&T, "POST", "/api/v1/vulnerabilities/abc/heard", F.b, &j, NULL), j, 404, "not_found", NULL);
	assert_error(api(&T, "POST", "/api/v1/vulnerabilities/01/heard", F.b, &j, NULL), j, 404, "not_found", NULL);

	/* B marks it heard; A sees when */
	assert_int_equal(api(&T, "POST", path, F.b, &j, NULL), 200);
	v = json_object_get(j, "vulnerability");
	assert_true(json_is_true(json_object_get(v, "heard")));
	char heard_at[32];
	snprintf(heard_at, sizeof(heard_at), "%s", json_string_value(json_object_get(v, "heard_at")));
	time_t t;
	assert_int_equal(instant_parse(heard_at, &t), 0);
	assert_true(labs((long)(time(NULL) - t)) < 60);
	json_decref(j);
	assert_int_equal(api(&T, "POST", path, F.b, &j, NULL), 200); /* again: the first time stays */
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "vulnerability"), "heard_at")), heard_at);
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/vulnerabilities", F.a, &j, NULL), 200);
	v = json_array_get(json_object_get(j, "vulnerabilities"), 0);
	assert_string_equal(json_string_value(json_object_get(v, "author")), "me");
	assert_true(json_is_true(json_object_get(v, "heard")));
	assert_string_equal(json_string_value(json_object_get(v, "heard_at")), heard_at);
	json_decref(j);

	/* validation */
	assert_error(api(&T, "POST", "/api/v1/vulnerabilities", F.a, &j, "{s:s, s:s}", "text", "x", "kind", "anger"),
		     j, 400, "invalid_field", "kind");
	assert_error(api(&T, "POST", "/api/v1/vulnerabilities", F.a, &j, "{s:s}", "kind", "hope"), j, 400,
		     "missing_field", "text");
	assert_int_equal(api(&T, "POST", "/api/v1/vulnerabilities", F.a, &j, "{s:s}", "text", "Just this."), 201);
	assert_true(json_is_null(json_object_get(json_object_get(j, "vulnerability"), "kind")));
	json_decref(j);
	assert_int_equal(api_count(&T, "/api/v1/vulnerabilities", F.d, "vulnerabilities"), 0);
}

/* ---- connection time ---- */

static void connection_time_is_recorded_and_checked(void **state)
{
	(void)state;
	json_t *j, *c;
	char d1[11], tomorrow[11];
	day_ago(1, d1);
	day_ago(-1, tomorrow);
	assert_int_equal(api(&T, "POST", "/api/v1/connections", F.a, &j, "{s:s, s:i, s:s, s:s}", "day", d1,
			     "minutes", 45, "kind", "walk", "note", "Round the park."), 201);
	c = json_object_get(j, "connection");
	assert_int_equal(json_integer_value(json_object_get(c, "minutes")), 45);
	assert_string_equal(json_string_value(json_object_get(c, "kind")), "walk");
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/connections", F.b, &j, "{s:s, s:i, s:s}", "day", d1,
			     "minutes", 120, "kind", "date"), 201);
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/connections", F.b, &j, NULL), 200);
	assert_int_equal(json_array_size(json_object_get(j, "connections")), 2);
	char *dump = json_dumps(j, 0);
	assert_non_null(strstr(dump, "Round the park."));
	free(dump);
	json_decref(j);
	struct { const char *fmt; const char *k1; const char *v1; int minutes; const char *kind; const char *code, *field; } bad[] = {
		{ "{s:s, s:i, s:s}", "day", d1, 0, "talk", "invalid_field", "minutes" },
		{ "{s:s, s:i, s:s}", "day", d1, 1441, "talk", "invalid_field", "minutes" },
		{ "{s:s, s:i, s:s}", "day", d1, 30, "dinner", "invalid_field", "kind" },
		{ "{s:s, s:i, s:s}", "day", tomorrow, 30, "talk", "invalid_field", "day" },
		{ "{s:s, s:i, s:s}", "day", "2026-13-01", 30, "talk", "invalid_field", "day" },
		{ "{s:s, s:i, s:s}", "when", d1, 30, "talk", "unknown_field", "when" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		int st = api(&T, "POST", "/api/v1/connections", F.a, &j, bad[i].fmt, bad[i].k1, bad[i].v1,
			     "minutes", bad[i].minutes, "kind", bad[i].kind);
		if (st != 400 || strcmp(err_code(j), bad[i].code) || strcmp(err_field(j), bad[i].field))
			fail_msg("bad connection %zu: %d %s %s", i, st, err_code(j), err_field(j));
		json_decref(j);
	}
	assert_error(api(&T, "POST", "/api/v1/connections", F.a, &j, "{s:i, s:s}", "minutes", 30, "kind", "talk"),
		     j, 400, "missing_field", "day");
	assert_error(api(&T, "POST", "/api/v1/connections", F.a, &j, "{s:s, s:s, s:s}", "day", d1, "minutes", "30",
			 "kind", "talk"), j, 400, "invalid_field", "minutes");
	assert_int_equal(api_count(&T, "/api/v1/connections", F.d, "connections"), 0);
}

/* ---- the schedule ---- */

static void the_schedule_is_shared_and_checked(void **state)
{
	(void)state;
	json_t *j, *s;
	assert_int_equal(api(&T, "GET", "/api/v1/rituals", F.a, &j, NULL), 200);
	s = json_object_get(j, "schedule");
	assert_string_equal(json_string_value(json_object_get(s, "checkin_weekday")), "sunday");
	assert_string_equal(json_string_value(json_object_get(s, "checkin_time")), "19:00");
	assert_string_equal(json_string_value(json_object_get(s, "hard_date_reminder_time")), "18:00");
	assert_string_equal(json_string_value(json_object_get(s, "timezone")), ZONE);
	assert_true(json_is_null(json_object_get(s, "updated_at")));
	assert_true(json_is_false(json_object_get(json_object_get(j, "calendar_feed"), "active")));
	json_decref(j);
	assert_int_equal(api(&T, "PUT", "/api/v1/rituals", F.a, &j, "{s:s, s:s, s:n, s:i, s:s}", "checkin_weekday",
			     "friday", "checkin_time", "07:45", "connection_weekday", "reminder_minutes", 30,
			     "hard_date_reminder_time", "20:30"), 200);
	s = json_object_get(j, "schedule");
	assert_string_equal(json_string_value(json_object_get(s, "checkin_weekday")), "friday");
	assert_string_equal(json_string_value(json_object_get(s, "hard_date_reminder_time")), "20:30");
	assert_true(json_is_null(json_object_get(s, "connection_weekday")));
	json_decref(j);
	/* B sees the same schedule; what was left out kept its value */
	assert_int_equal(api(&T, "GET", "/api/v1/rituals", F.b, &j, NULL), 200);
	s = json_object_get(j, "schedule");
	assert_string_equal(json_string_value(json_object_get(s, "checkin_time")), "07:45");
	assert_string_equal(json_string_value(json_object_get(s, "appreciation_time")), "21:00");
	assert_int_equal(json_integer_value(json_object_get(s, "reminder_minutes")), 30);
	assert_string_equal(json_string_value(json_object_get(s, "hard_date_reminder_time")), "20:30");
	assert_true(json_is_null(json_object_get(s, "connection_weekday")));
	assert_true(json_is_string(json_object_get(s, "updated_at")));
	json_decref(j);
	/* the other couple keeps its own */
	assert_int_equal(api(&T, "GET", "/api/v1/rituals", F.d, &j, NULL), 200);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "schedule"), "checkin_weekday")), "sunday");
	json_decref(j);
	struct { const char *fmt, *key; const char *sval; int ival; const char *code; } bad[] = {
		{ "{s:s}", "checkin_weekday", "someday", 0, "invalid_field" },
		{ "{s:s}", "checkin_weekday", "Sunday", 0, "invalid_field" },
		{ "{s:s}", "checkin_time", "25:00", 0, "invalid_field" },
		{ "{s:s}", "appreciation_time", "9pm", 0, "invalid_field" },
		{ "{s:s}", "vulnerability_time", "12:60", 0, "invalid_field" },
		{ "{s:i}", "reminder_minutes", NULL, 1441, "invalid_field" },
		{ "{s:i}", "reminder_minutes", NULL, -1, "invalid_field" },
		{ "{s:i}", "checkin_weekday", NULL, 7, "invalid_field" },
		{ "{s:s}", "hard_date_reminder_time", "24:00", 0, "invalid_field" },
		{ "{s:s}", "hard_date_reminder_time", "6:00", 0, "invalid_field" },
		{ "{s:i}", "hard_date_reminder_time", NULL, 1080, "invalid_field" },
		{ "{s:s}", "timezone", "UTC", 0, "unknown_field" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		int st = bad[i].sval ? api(&T, "PUT", "/api/v1/rituals", F.a, &j, bad[i].fmt, bad[i].key, bad[i].sval)
				     : api(&T, "PUT", "/api/v1/rituals", F.a, &j, bad[i].fmt, bad[i].key, bad[i].ival);
		if (st != 400 || strcmp(err_code(j), bad[i].code) || strcmp(err_field(j), bad[i].key))
			fail_msg("bad schedule %zu: %d %s %s", i, st, err_code(j), err_field(j));
		json_decref(j);
	}
	assert_error(api(&T, "PUT", "/api/v1/rituals", F.a, &j, "{s:n}", "checkin_weekday"), j, 400,
		     "invalid_field", "checkin_weekday");
}

/* ---- the calendar feed ---- */

/* GET of a feed URL (absolute or not) without a login: the status, and the
 * body in body (if not NULL; free it). */
static int get_feed(const char *url, char **body, const char **ctype_out)
{
	struct req r;
	const char *p = strstr(url, "/calendar/");
	assert_non_null(p);
	thttp_do(&T, &r, "GET", p, NULL, NULL, 0);
	int st = r.status;
	if (body)
		*body = strdup(r.out.s);
	if (ctype_out) {
		static char ct[64];
		snprintf(ct, sizeof(ct), "%s", r.content_type ? r.content_type : "");
		*ctype_out = ct;
	}
	req_release(&r);
	return st;
}

static const char *feed_url(const char *token, char out[256])
{
	json_t *j;
	assert_int_equal(api(&T, "POST", "/api/v1/calendar-feed", token, &j, NULL), 201);
	snprintf(out, 256, "%s", json_string_value(json_object_get(j, "url")));
	json_decref(j);
	return out;
}

/* The feed's URL is built from the configured public URL: a request that
 * names another host cannot make troth hand out a link to that host. (Part
 * of the feed test below: each test here makes a couple, which is slow.) */
static void the_feed_url_is_on_the_public_url(void)
{
	struct req r;
	char auth[128];
	assert_int_equal(app_set_public_url(&T.app.cfg, "https://troth.example.org:8443/us/"), 0);
	snprintf(auth, sizeof(auth), "Bearer %s", F.a);
	const char *h[] = { "Authorization", auth, "Host", "evil.example",
			    "X-Forwarded-Host", "evil.example", NULL };
	thttp_do(&T, &r, "POST", "/api/v1/calendar-feed", h, NULL, 0);
	assert_int_equal(r.status, 201);
	json_t *j = json_loads(r.out.s, 0, NULL);
	req_release(&r);
	const char *u = json_string_value(json_object_get(j, "url"));
	assert_non_null(u);
	assert_memory_equal(u, "https://troth.example.org:8443/us/calendar/", 43);
	assert_null(strstr(u, "evil"));
	assert_int_equal(get_feed(u, NULL, NULL), 200);
	json_decref(j);
}

static void hard_dates_come_as_neutral_reminders(void **state)
{
	(void)state;
	json_t *j;
	char u[256], *body, want[64];
	const struct tz *z = tz_get("Europe/London");
	long today = tz_day(z, time(NULL));
	char day[11], past[11];
	date_format(today + 10, day);
	date_format(today - 40, past);
	assert_int_equal(api(&T, "POST", "/api/v1/hard-dates", F.a, &j, "{s:s, s:s, s:b}", "date", day,
			     "label", "the day it all came out", "yearly", 0), 201);
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/hard-dates", F.b, &j, "{s:s, s:s, s:b}", "date", past,
			     "label", "our wedding day", "yearly", 1), 201);
	json_decref(j);
	feed_url(F.b, u);
	assert_int_equal(get_feed(u, &body, NULL), 200);
	/* the one-off day, and the yearly one's next return, as all-day events */
	snprintf(want, sizeof(want), "DTSTART;VALUE=DATE:%.4s%.2s%.2s\r\n", day, day + 5, day + 8);
	assert_non_null(strstr(body, want));
	struct civil c;
	civil_from_days(today - 40, &c);
	snprintf(want, sizeof(want), "DTSTART;VALUE=DATE:%04d%02d%02d\r\n", c.y + 1, c.m, c.d);
	if (c.m == 2 && c.d == 29)
		snprintf(want, sizeof(want), "DTSTART;VALUE=DATE:"); /* leap day: moved, still there */
	assert_holds(body, want, "SUMMARY:Reminder\r\n", NULL);
	/* the day before at 18:00 (six hours before the all-day start) */
	assert_non_null(strstr(body, "TRIGGER:-PT6H\r\n"));
	/* the label never reaches a lock screen */
	assert_holds_none(body, "came out", "wedding", NULL);
	free(body);
	/* a chosen time: 08:15 the day before */
	assert_int_equal(api(&T, "PUT", "/api/v1/rituals", F.a, &j, "{s:s}", "hard_date_reminder_time", "08:15"), 200);
	json_decref(j);
	assert_int_equal(get_feed(u, &body, NULL), 200);
	assert_non_null(strstr(body, "TRIGGER:-PT15H45M\r\n"));
	assert_null(strstr(body, "TRIGGER:-PT6H\r\n"));
	free(body);
	/* midnight: a whole day before */
	assert_int_equal(api(&T, "PUT", "/api/v1/rituals", F.b, &j, "{s:s}", "hard_date_reminder_time", "00:00"), 200);
	json_decref(j);
	assert_int_equal(get_feed(u, &body, NULL), 200);
	assert_non_null(strstr(body, "TRIGGER:-P1D\r\n"));
	free(body);
	/* another couple's feed has none of it */
	feed_url(F.d, u);
	assert_int_equal(get_feed(u, &body, NULL), 200);
	assert_null(strstr(body, "VALUE=DATE"));
	free(body);
}

static void the_calendar_feed_is_a_secret_url(void **state)
{
	(void)state;
	json_t *j;
	char u1[256], u2[256], ub[256];
	char *body;
	const char *ct;
	the_feed_url_is_on_the_public_url();
	feed_url(F.a, u1);
	assert_holds(u1, "/calendar/", ".ics", NULL);
	assert_int_equal(get_feed(u1, &body, &ct), 200);
	assert_string_equal(ct, "text/calendar; charset=utf-8");
	assert_holds(body, "BEGIN:VCALENDAR\r\n", "SUMMARY:Check-in\r\n", "SUMMARY:Note\r\n", "SUMMARY:Talk\r\n",
		     "SUMMARY:Time together\r\n", "DTSTART;TZID=Europe/London:", "BEGIN:VALARM\r\n", NULL);
	/* nothing personal or telling in it */
	assert_holds_none(body, "ana", "ben", "trust", NULL);
	free(body);
	/* the token is not stored, only its hash: it is nowhere in the files */
	const char *tok = strstr(u1, "/calendar/") + 10;
	for (int f = 0; f < 2; f++) {
		char p[200];
		snprintf(p, sizeof(p), "%s%s", T.path, f ? "-wal" : "");
		FILE *fp = fopen(p, "rb");
		assert_non_null(fp);
		char *data = malloc(1 << 24);
		size_t len = fread(data, 1, 1 << 24, fp);
		fclose(fp);
		assert_true(len > 0);
		assert_null(memmem(data, len, tok, 43));
		free(data);
	}
	long long n = -1;
	assert_int_equal(db_int(T.app.db.writer, &n, "SELECT count(*) FROM calendar_feed WHERE length(token_hash) = 32",
				""), SQLITE_ROW);
	assert_int_equal(n, 1);

	/* the schedule shows in the feed */
	assert_int_equal(api(&T, "PUT", "/api/v1/rituals", F.b, &j, "{s:s, s:s, s:n}", "checkin_weekday", "monday",
			     "checkin_time", "08:15", "connection_weekday"), 200);
	json_decref(j);
	assert_int_equal(get_feed(u1, &body, NULL), 200);
	assert_holds(body, "RRULE:FREQ=WEEKLY;BYDAY=MO\r\n", "T081500\r\n", NULL);
	assert_null(strstr(body, "SUMMARY:Time together"));
	free(body);

	/* rotating kills the old URL; B's own feed is separate */
	feed_url(F.b, ub);
	feed_url(F.a, u2);
	assert_string_not_equal(u1, u2);
	assert_int_equal(get_feed(u1, NULL, NULL), 404);
	assert_int_equal(get_feed(u2, NULL, NULL), 200);
	assert_int_equal(get_feed(ub, NULL, NULL), 200);
	assert_int_equal(api(&T, "GET", "/api/v1/rituals", F.a, &j, NULL), 200);
	assert_true(json_is_true(json_object_get(json_object_get(j, "calendar_feed"), "active")));
	json_decref(j);

	/* deleting stops it */
	assert_int_equal(api(&T, "DELETE", "/api/v1/calendar-feed", F.a, &j, NULL), 204);
	json_decref(j);
	assert_int_equal(get_feed(u2, NULL, NULL), 404);
	assert_int_equal(get_feed(ub, NULL, NULL), 200);
	assert_int_equal(api(&T, "DELETE", "/api/v1/calendar-feed", F.a, &j, NULL), 204); /* again: still gone */
	json_decref(j);

	/* made-up and malformed tokens */
	assert_int_equal(get_feed("/calendar/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics", NULL, NULL), 404);
	assert_int_equal(get_feed("/calendar/short.ics", NULL, NULL), 404);
	assert_int_equal(get_feed("/calendar/", NULL, NULL), 404);
	char traversal[128];
	snprintf(traversal, sizeof(traversal), "/calendar/%.43s.ics.ics", strstr(ub, "/calendar/") + 10);
	assert_int_equal(get_feed(traversal, NULL, NULL), 404);

	/* leaving the couple stops B's feed too */
	assert_int_equal(api(&T, "POST", "/api/v1/couple/leave", F.b, &j, NULL), 200);
	json_decref(j);
	assert_int_equal(get_feed(ub, NULL, NULL), 404);
}

/* ---- who sees what ---- */

static long long share_of(const char *token)
{
	json_t *j;
	assert_int_equal(api(&T, "POST", "/api/v1/vulnerabilities", token, &j, "{s:s}", "text", "Mine to share."), 201);
	long long id = json_integer_value(json_object_get(json_object_get(j, "vulnerability"), "id"));
	json_decref(j);
	return id;
}

static void authorization_matrix(void **state)
{
	(void)state;
	char wk[9], d1[11], checkin_path[64], heard_a[96], heard_d[96], feed_a[256], feed_d[256];
	week_ago(0, wk);
	day_ago(1, d1);
	snprintf(checkin_path, sizeof(checkin_path), "/api/v1/checkins/%s", wk);
	snprintf(heard_a, sizeof(heard_a), "/api/v1/vulnerabilities/%lld/heard", share_of(F.a));
	snprintf(heard_d, sizeof(heard_d), "/api/v1/vulnerabilities/%lld/heard", share_of(F.d));
	feed_url(F.a, feed_a);
	feed_url(F.d, feed_d);
	char checkin[512], conn[128];
	json_t *tmp = checkin_body(6, 6, "secret words");
	char *s = json_dumps(tmp, JSON_COMPACT);
	json_decref(tmp);
	snprintf(checkin, sizeof(checkin), "%s", s);
	free(s);
	snprintf(conn, sizeof(conn), "{\"day\":\"%s\",\"minutes\":30,\"kind\":\"talk\"}", d1);

	const char *viewers[] = { NULL, F.a, F.b, F.d, F.op };
	const char *names[] = { "anonymous", "partner A", "partner B", "other couple", "operator" };
	struct cell { const char *method, *path, *body; int want[5]; } cells[] = {
		/*                                                             anon  A    B    D    op */
		{ "POST", "/api/v1/checkins", checkin,                        { 401, 201, 201, 201, 409 } },
		{ "GET", "/api/v1/checkins", NULL,                            { 401, 200, 200, 200, 409 } },
		{ "PUT", checkin_path, checkin,                               { 401, 409, 409, 200, 409 } },
		{ "POST", "/api/v1/appreciations", "{\"text\":\"Thanks.\"}",  { 401, 201, 201, 201, 409 } },
		{ "GET", "/api/v1/appreciations", NULL,                       { 401, 200, 200, 200, 409 } },
		{ "POST", "/api/v1/vulnerabilities", "{\"text\":\"A hope.\"}", { 401, 201, 201, 201, 409 } },
		{ "GET", "/api/v1/vulnerabilities", NULL,                     { 401, 200, 200, 200, 409 } },
		{ "POST", heard_a, NULL,                                      { 401, 403, 200, 404, 409 } },
		{ "POST", heard_d, NULL,                                      { 401, 404, 404, 403, 409 } },
		{ "POST", "/api/v1/connections", conn,                        { 401, 201, 201, 201, 409 } },
		{ "GET", "/api/v1/connections", NULL,                         { 401, 200, 200, 200, 409 } },
		{ "GET", "/api/v1/rituals", NULL,                             { 401, 200, 200, 200, 409 } },
		{ "PUT", "/api/v1/rituals", "{\"checkin_time\":\"20:00\"}",   { 401, 200, 200, 200, 409 } },
		{ "GET", strstr(feed_a, "/calendar/"), NULL,                  { 200, 200, 200, 200, 200 } },
		{ "GET", strstr(feed_d, "/calendar/"), NULL,                  { 200, 200, 200, 200, 200 } },
		{ "POST", "/api/v1/calendar-feed", NULL,                      { 401, 201, 201, 201, 409 } },
		{ "DELETE", "/api/v1/calendar-feed", NULL,                    { 401, 204, 204, 204, 409 } },
	};
	for (size_t c = 0; c < sizeof(cells) / sizeof(*cells); c++) {
		for (int v = 4; v >= 0; v--) {
			json_t *j;
			int st = api_raw(&T, cells[c].method, cells[c].path, viewers[v], &j, cells[c].body);
			json_decref(j);
			if (st != cells[c].want[v])
				fail_msg("%s %s as %s: got %d, want %d", cells[c].method, cells[c].path, names[v],
					 st, cells[c].want[v]);
		}
	}
	/* what D can list holds nothing of A's and B's, and the reverse */
	static const char *lists[] = { "/api/v1/checkins", "/api/v1/appreciations", "/api/v1/vulnerabilities",
				       "/api/v1/connections" };
	for (size_t i = 0; i < sizeof(lists) / sizeof(*lists); i++) {
		json_t *j;
		assert_int_equal(api(&T, "GET", lists[i], F.d, &j, NULL), 200);
		size_t k;
		json_t *x;
		json_array_foreach(json_object_get(j, lists[i] + 8), k, x) {
			const char *author = json_string_value(json_object_get(x, "author"));
			if (strcmp(author, "me"))
				fail_msg("%s as D shows a record by \"%s\"", lists[i], author);
		}
		json_decref(j);
		assert_int_equal(api(&T, "GET", lists[i], F.a, &j, NULL), 200);
		assert_true(json_array_size(json_object_get(j, lists[i] + 8)) >= 2); /* A's and B's */
		json_decref(j);
	}
}

/* After an operator's password reset the keys are locked until the
 * recovery code is entered: no text can be sealed or opened. */
static void locked_keys_are_told_not_guessed(void **state)
{
	(void)state;
	json_t *j;
	char path[96];
	assert_int_equal(api(&T, "POST", "/api/v1/vulnerabilities", F.b, &j, "{s:s}", "text", "Heard?"), 201);
	snprintf(path, sizeof(path), "/api/v1/vulnerabilities/%lld/heard",
		 (long long)json_integer_value(json_object_get(json_object_get(j, "vulnerability"), "id")));
	json_decref(j);
	assert_int_equal(acct_operator_reset(&T.app.db, "ana", "a brand new passphrase"), 0);
	assert_int_equal(api(&T, "POST", "/api/v1/sessions", NULL, &j, "{s:s, s:s}", "username", "ana",
			     "password", "a brand new passphrase"), 201);
	char tok[128];
	snprintf(tok, sizeof(tok), "%s", json_string_value(json_object_get(j, "token")));
	json_decref(j);
	assert_error(post_checkin(tok, NULL, 5, 5, "x", &j), j, 409, "keys_locked", NULL);
	assert_error(api(&T, "GET", "/api/v1/checkins", tok, &j, NULL), j, 409, "keys_locked", NULL);
	assert_error(api(&T, "POST", "/api/v1/appreciations", tok, &j, "{s:s}", "text", "x"), j, 409, "keys_locked", NULL);
	assert_error(api(&T, "GET", "/api/v1/vulnerabilities", tok, &j, NULL), j, 409, "keys_locked", NULL);
	/* hearing needs no key: the text just cannot be shown */
	assert_int_equal(api(&T, "POST", path, tok, &j, NULL), 200);
	assert_true(json_is_null(json_object_get(json_object_get(j, "vulnerability"), "text")));
	json_decref(j);
	/* nothing was written */
	assert_int_equal(api_count(&T, "/api/v1/checkins", F.b, "checkins"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_check_in_stays_hidden_until_the_partner_answers, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(a_check_in_opens_three_days_after_its_week, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(check_in_bodies_are_checked_field_by_field, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(appreciations_are_one_a_day_and_seen_at_once, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(a_share_can_only_be_heard, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(connection_time_is_recorded_and_checked, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(the_schedule_is_shared_and_checked, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(the_calendar_feed_is_a_secret_url, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(hard_dates_come_as_neutral_reminders, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(authorization_matrix, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(locked_keys_are_told_not_guessed, couple_setup, couple_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
