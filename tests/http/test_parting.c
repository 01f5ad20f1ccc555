/* test_parting.c: parting ways as a couple and closing an account: from
 * either side, what each keeps ("from our time together") and what never
 * reaches them, the other partner's home and API afterwards, calendar feeds
 * and openness plans that stop, the couple key that goes, a new start with
 * a new invite, closing with and without a copy for the partner, a canary
 * that is gone from the database, its -wal and -shm and a backup, the
 * password checked again and throttled, and nobody else ending our couple. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "apiclient.h"
#include "browser.h"
#include "auth/account.h"
#include "auth/throttle.h"
#include "cli/cli.h"

/* A text no other test writes: prefix and 16 random bytes in hex. */
static const char *unique(const char *prefix, char out[64])
{
	unsigned char rnd[16];
	char hex[33];
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
	snprintf(out, 64, "%s-%s", prefix, hex);
	return out;
}

static long long appreciate(const char *tok, const char *text)
{
	json_t *j;
	assert_int_equal(api(&T, "POST", "/api/v1/appreciations", tok, &j, "{s:s}", "text", text), 201);
	long long id = json_integer_value(json_object_get(json_object_get(j, "appreciation"), "id"));
	json_decref(j);
	return id;
}

static long long journal(const char *tok, const char *text)
{
	json_t *j;
	assert_int_equal(api(&T, "POST", "/api/v1/journal", tok, &j, "{s:s}", "text", text), 201);
	long long id = json_integer_value(json_object_get(json_object_get(j, "entry"), "id"));
	json_decref(j);
	return id;
}

static void feed_url(const char *tok, char out[256])
{
	json_t *j;
	assert_int_equal(api(&T, "POST", "/api/v1/calendar-feed", tok, &j, NULL), 201);
	snprintf(out, 256, "%s", strstr(json_string_value(json_object_get(j, "url")), "/calendar/"));
	json_decref(j);
}

/* The viewer's keepsakes as one JSON text (free it); every one is labelled. */
static char *keepsakes(const char *tok)
{
	json_t *j;
	assert_int_equal(api(&T, "GET", "/api/v1/keepsakes", tok, &j, NULL), 200);
	json_t *k, *list = json_object_get(j, "keepsakes");
	size_t i;
	json_array_foreach(list, i, k)
		assert_string_equal(json_string_value(json_object_get(k, "label")), "from our time together");
	char *s = json_dumps(list, 0);
	json_decref(j);
	return s;
}

static int part(const char *tok, const char *password)
{
	json_t *j;
	int st = api(&T, "POST", "/api/v1/couple/part", tok, &j, "{s:s}", "password", password);
	json_decref(j);
	return st;
}

static bool couple_is_null(const char *tok)
{
	json_t *j;
	assert_int_equal(api(&T, "GET", "/api/v1/me", tok, &j, NULL), 200);
	bool none = json_is_null(json_object_get(j, "couple"));
	json_decref(j);
	return none;
}

/* Rows of couple_id left in any table that has a couple_id column: a new
 * table missing from the store's map shows here. */
static long long rows_of_couple(long long couple_id)
{
	sqlite3 *c;
	sqlite3_stmt *st;
	long long left = 0;
	assert_int_equal(sqlite3_open_v2(T.path, &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(c, "SELECT m.name FROM sqlite_master m, pragma_table_info(m.name) p"
					       " WHERE m.type = 'table' AND p.name = 'couple_id'", -1, &st, NULL),
			 SQLITE_OK);
	int tables = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		char sql[160];
		sqlite3_stmt *q;
		/* a table's name is an identifier, not a value: it cannot be bound */
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\" WHERE couple_id = ?1",
			 (const char *)sqlite3_column_text(st, 0));
		assert_int_equal(sqlite3_prepare_v2(c, sql, -1, &q, NULL), SQLITE_OK);
		sqlite3_bind_int64(q, 1, couple_id);
		if (sqlite3_step(q) == SQLITE_ROW)
			left += sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
		tables++;
	}
	sqlite3_finalize(st);
	sqlite3_close(c);
	assert_true(tables > 20);
	return left;
}

/* Both partners write shared and private texts; one of them parts. Each
 * keeps their own and the shared ones, never the other's private ones. */
static void parting_from(const char *ender, const char *other, const char *other_user)
{
	char a_sh[64], b_sh[64], a_pr[64], b_pr[64], feed_a[256], feed_b[256];
	appreciate(F.a, unique("ana-shared", a_sh));
	appreciate(F.b, unique("ben-shared", b_sh));
	journal(F.a, unique("ana-private", a_pr));
	journal(F.b, unique("ben-private", b_pr));
	feed_url(F.a, feed_a);
	feed_url(F.b, feed_b);
	json_t *j;
	char ends[11];
	couple_day(30, ends);
	assert_int_equal(api(&T, "POST", "/api/v1/transparency", F.b, &j, "{s:s, s:[s], s:s}", "password",
			     TEST_PASSWORD, "shares", "whereabouts", "ends_on", ends), 201);
	json_decref(j);
	assert_int_equal(http_status(&T, "GET", feed_a), 200);
	long long couple = api_couple_id(&T, F.a);
	assert_true(rows_of_couple(couple) > 0);
	char ours[160];
	snprintf(ours, sizeof(ours), "SELECT (SELECT count(*) FROM invite WHERE couple_id = %lld)"
		 " + (SELECT count(*) FROM member WHERE couple_id = %lld)", api_couple_id(&T, F.a), api_couple_id(&T, F.a));
	assert_int_equal(store_count(ours), 3); /* two members and the used invite */

	assert_int_equal(part(ender, TEST_PASSWORD), 200);
	/* the couple key is in no member row or invite; held only for the other
	 * partner, wrapped under their own key, until they are back */
	assert_int_equal(store_count(ours), 0);
	assert_int_equal(rows_of_couple(couple), 0);
	assert_int_equal(store_count("SELECT count(*) FROM keepsake_key"), 1);

	/* the couple has ended for both */
	assert_true(couple_is_null(F.a));
	assert_true(couple_is_null(F.b));
	assert_int_equal(api(&T, "GET", "/api/v1/appreciations", F.a, &j, NULL), 409);
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/transparency", F.b, &j, NULL), 409);
	json_decref(j);
	assert_int_equal(http_status(&T, "GET", feed_a), 404);
	assert_int_equal(http_status(&T, "GET", feed_b), 404);

	/* the other partner's API and home say so plainly */
	assert_int_equal(api(&T, "GET", "/api/v1/keepsakes", other, &j, NULL), 200);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "ended"), "how")), "parted");
	json_decref(j);
	struct browser b;
	b_login(&T, &b, other_user);
	b_page_has(&T, &b, "/", 200, "Your time together in troth has ended", "From our time together", NULL);
	b_page_lacks(&T, &b, "/", "has not joined yet");
	assert_int_equal(store_count("SELECT count(*) FROM keepsake_key"), 0);

	/* what each keeps */
	char *ka = keepsakes(F.a), *kb = keepsakes(F.b);
	assert_holds(ka, a_sh, b_sh, a_pr, NULL);
	assert_holds_none(ka, b_pr, NULL);
	char *ka_kinds = strdup(ka);
	assert_holds(kb, b_sh, a_sh, b_pr, NULL);
	assert_holds_none(kb, a_pr, NULL);
	free(ka);
	free(kb);
	b_page_has(&T, &b, "/keepsakes", 200, a_sh, b_sh, NULL);

	/* the couple's key and records are gone: nothing a newcomer could get */
	assert_int_equal(store_count("SELECT count(*) FROM member"), 1); /* dan, in his own couple */
	assert_int_equal(store_count("SELECT count(*) FROM keepsake_key"), 0);
	assert_int_equal(store_count("SELECT count(*) FROM keepsake WHERE key <> 'settled'"), 0);
	/* what kind of record each was is sealed with its text, not plain */
	assert_int_equal(store_count("SELECT count(*) FROM keepsake WHERE kind <> 'kept'"), 0);
	assert_holds(ka_kinds, "\"kind\": \"appreciation\"", NULL);
	assert_int_equal(store_count("SELECT count(*) FROM appreciation"), 0);
	assert_int_equal(store_count("SELECT count(*) FROM transparency_plan"), 0);
	assert_int_equal(store_count("SELECT count(*) FROM calendar_feed"), 0);
	free(ka_kinds);
}

static void ana_parts_ways(void **state)
{
	(void)state;
	parting_from(F.a, F.b, "ben");
}

static void ben_parts_ways(void **state)
{
	(void)state;
	parting_from(F.b, F.a, "ana");
}

/* A check-in not yet revealed and a private moment stay their author's. */
static void what_was_hidden_stays_hidden(void **state)
{
	(void)state;
	json_t *j;
	char hidden[64], moment[64], at[32];
	unique("hidden", hidden);
	unique("moment", moment);
	assert_int_equal(api(&T, "POST", "/api/v1/checkins", F.b, &j, "{s:i, s:{s:i, s:i, s:i, s:i, s:i, s:i}, s:s}",
			     "connection", 6, "dimensions", "reliability", 5, "emotional_safety", 5, "honesty", 5,
			     "consistency", 5, "respect", 5, "transparency", 5, "increased", hidden), 201);
	json_decref(j);
	char day[11];
	couple_day(-1, day);
	snprintf(at, sizeof(at), "%sT12:00:00Z", day);
	assert_int_equal(api(&T, "POST", "/api/v1/triggers", F.b, &j, "{s:s, s:s, s:i, s:s, s:s}", "at", at, "kind",
			     "place", "intensity", 5, "what", moment, "visibility", "private"), 201);
	json_decref(j);
	assert_int_equal(part(F.a, TEST_PASSWORD), 200);
	char *ka = keepsakes(F.a), *kb = keepsakes(F.b);
	assert_holds_none(ka, hidden, moment, NULL);
	assert_holds(kb, hidden, moment, NULL);
	free(ka);
	free(kb);
}

static void daily(const char *tok, long delta, const char *word)
{
	json_t *j;
	char d[11];
	couple_day(delta, d);
	assert_int_equal(api(&T, "POST", "/api/v1/daily-checkins", tok, &j, "{s:i, s:i, s:s, s:s}", "close", 5, "safe",
			     6, "word", word, "day", d), 201);
	json_decref(j);
}

/* Daily check-in words are kept by the reveal rule, and readiness answers
 * are kept in words, never as the data the room stores. */
static void daily_words_and_readiness_answers_are_kept(void **state)
{
	(void)state;
	json_t *j;
	char a_old[64], b_today[64];
	daily(F.a, -3, unique("ana-daily", a_old));     /* its day has passed: open to ben */
	daily(F.b, 0, unique("ben-daily", b_today));    /* ana has not checked in today: closed to her */
	assert_int_equal(api(&T, "PUT", "/api/v1/readiness", F.a, &j, "{s:{s:s, s:s}, s:b}", "survive", "love", "yes",
			     "want_rebuild", "not_yet", "shared", 1), 200);
	json_decref(j);
	assert_int_equal(part(F.a, TEST_PASSWORD), 200);
	char *ka = keepsakes(F.a), *kb = keepsakes(F.b);
	assert_holds(ka, a_old, "\"kind\": \"daily\"", NULL);
	assert_holds_none(ka, b_today, NULL);
	assert_holds(kb, a_old, b_today, NULL);
	/* ana keeps her answers, ben the copy she shared: both in words */
	assert_holds(ka, "Do I still love my partner? Yes", "Do I want to rebuild, not only to stop the pain? Not yet",
		     NULL);
	assert_holds(kb, "Do I still love my partner? Yes", NULL);
	assert_holds_none(ka, "survive", "not_yet", NULL);
	assert_holds_none(kb, "survive", "not_yet", NULL);
	free(ka);
	free(kb);
	struct browser b;
	b_login(&T, &b, "ana");
	b_page_has(&T, &b, "/keepsakes", 200, "A daily check-in", a_old, "Do I still love my partner? Yes", NULL);
	b_page_lacks(&T, &b, "/keepsakes", "prerequisites");
}

/* After parting, a new couple with a new invite starts empty. */
static void they_can_start_again(void **state)
{
	(void)state;
	json_t *j;
	char old[64];
	appreciate(F.b, unique("before", old));
	/* the older way to say it means the same */
	assert_int_equal(api(&T, "POST", "/api/v1/couple/leave", F.a, &j, "{s:s}", "password", TEST_PASSWORD), 200);
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/couple", F.a, &j, "{s:s, s:s}", "role", "hurt", "timezone",
			     "Europe/London"), 201);
	char code[64];
	snprintf(code, sizeof(code), "%s", json_string_value(json_object_get(j, "invite_code")));
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/couple/join", F.b, &j, "{s:s, s:s}", "invite_code", code, "role",
			     "accountable"), 200);
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/appreciations", F.a, &j, NULL), 200);
	char *s = json_dumps(j, 0);
	assert_holds_none(s, old, NULL);
	free(s);
	json_decref(j);
}

static void closing(bool leave_copy)
{
	char a_sh[64], b_sh[64];
	appreciate(F.a, unique("ana-shared", a_sh));
	appreciate(F.b, unique("ben-shared", b_sh));
	journal(F.a, "mine alone");
	json_t *j;
	assert_int_equal(api(&T, "DELETE", "/api/v1/me", F.a, &j, "{s:s, s:b}", "password", TEST_PASSWORD,
			     "leave_copy_for_partner", leave_copy), 204);
	json_decref(j);
	/* ana is gone: her session, her login */
	assert_int_equal(api(&T, "GET", "/api/v1/me", F.a, &j, NULL), 401);
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/sessions", NULL, &j, "{s:s, s:s}", "username", "ana", "password",
			     TEST_PASSWORD), 401);
	json_decref(j);
	/* ben is told only that the account was closed */
	assert_true(couple_is_null(F.b));
	struct browser b;
	b_login(&T, &b, "ben");
	b_page_has(&T, &b, "/", 200, "closed their troth account", NULL);
	b_page_lacks(&T, &b, "/", "has not joined yet");
	char *kb = keepsakes(F.b);
	assert_holds(kb, b_sh, NULL);
	if (leave_copy)
		assert_holds(kb, a_sh, NULL);
	else
		assert_holds_none(kb, a_sh, NULL);
	assert_holds_none(kb, "mine alone", NULL);
	free(kb);
	assert_int_equal(store_count("SELECT count(*) FROM user WHERE username = 'ana'"), 0);
	assert_int_equal(store_count("SELECT count(*) FROM journal_entry"), 0);
}

static void closing_without_a_copy(void **state)
{
	(void)state;
	closing(false);
}

static void closing_with_a_copy(void **state)
{
	(void)state;
	closing(true);
}

/* ---- the canary ---- */

/* The last 24 bytes of a sealed text (tag and ciphertext: unique to it). */
static size_t sealed_tail(const char *sql, long long id, unsigned char out[24])
{
	sqlite3 *c;
	sqlite3_stmt *st;
	size_t n = 0;
	assert_int_equal(sqlite3_open_v2(T.path, &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(c, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) >= 24) {
		n = 24;
		memcpy(out, (const unsigned char *)sqlite3_column_blob(st, 0) + sqlite3_column_bytes(st, 0) - 24, 24);
	}
	sqlite3_finalize(st);
	sqlite3_close(c);
	return n;
}

static void a_closed_account_leaves_no_trace(void **state)
{
	(void)state;
	json_t *j;
	char name[64], text[64], code[64], path[200];
	unique("canary", name);
	name[24] = '\0'; /* a username has at most 32 characters */
	unique("canary-text", text);
	/* a plain field (the username and the name shown) and sealed texts */
	assert_int_equal(api(&T, "POST", "/api/v1/signup-codes", F.op, &j, NULL), 201);
	snprintf(code, sizeof(code), "%s", json_string_value(json_object_get(j, "invite_code")));
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/accounts", NULL, &j, "{s:s, s:s, s:s, s:s}", "username", name,
			     "password", TEST_PASSWORD, "display_name", name, "invite_code", code), 201);
	json_decref(j);
	const char *tok = api_login(&T, name, 9);
	assert_int_equal(api(&T, "POST", "/api/v1/couple", tok, &j, "{s:s, s:s}", "role", "both", "timezone",
			     "Europe/London"), 201);
	json_decref(j);
	unsigned char s1[24], s2[24];
	long long ap = appreciate(tok, text), jo = journal(tok, text);
	assert_int_equal(sealed_tail("SELECT text FROM appreciation WHERE id = ?1", ap, s1), 24);
	assert_int_equal(sealed_tail("SELECT text FROM journal_entry WHERE id = ?1", jo, s2), 24);
	snprintf(path, sizeof(path), "%s-wal", T.path);
	assert_true(file_has_bytes(T.path, name, strlen(name)) || file_has_bytes(path, name, strlen(name)));
	assert_true(file_has_bytes(T.path, s1, sizeof(s1)) || file_has_bytes(path, s1, sizeof(s1)));

	assert_int_equal(api(&T, "DELETE", "/api/v1/me", tok, &j, "{s:s, s:b}", "password", TEST_PASSWORD,
			     "leave_copy_for_partner", 1), 204);
	json_decref(j);

	char backup[200];
	snprintf(backup, sizeof(backup), "%s/after.db", T.dir);
	char *argv[] = { "backup", backup, "--db", T.path, NULL };
	assert_int_equal(cli_backup(4, argv), 0);
	const char *files[] = { "", "-wal", "-shm", NULL };
	for (int i = 0; files[i]; i++) {
		snprintf(path, sizeof(path), "%s%s", T.path, files[i]);
		assert_false(file_has_bytes(path, name, strlen(name)));
		assert_false(file_has_bytes(path, text, strlen(text)));
		assert_false(file_has_bytes(path, s1, sizeof(s1)));
		assert_false(file_has_bytes(path, s2, sizeof(s2)));
	}
	assert_true(file_has_bytes(backup, "SQLite format 3", 15));
	assert_false(file_has_bytes(backup, name, strlen(name)));
	assert_false(file_has_bytes(backup, s1, sizeof(s1)));
	assert_false(file_has_bytes(backup, s2, sizeof(s2)));
}

/* ---- the password, checked again ---- */

static void a_wrong_password_changes_nothing_and_is_throttled(void **state)
{
	(void)state;
	json_t *j;
	assert_int_equal(api(&T, "POST", "/api/v1/couple/part", F.a, &j, "{s:s}", "password", "not my password"), 403);
	assert_string_equal(err_code(j), "reauth_failed");
	json_decref(j);
	assert_int_equal(api(&T, "DELETE", "/api/v1/me", F.a, &j, "{s:s}", "password", "not my password"), 403);
	assert_string_equal(err_code(j), "reauth_failed");
	json_decref(j);
	assert_int_equal(api_raw(&T, "POST", "/api/v1/couple/part", F.a, &j, "{}"), 400);
	json_decref(j);
	assert_int_equal(api(&T, "DELETE", "/api/v1/me", F.a, &j, "{s:s, s:s}", "password", TEST_PASSWORD,
			     "leave_copy_for_partner", "yes"), 400);
	json_decref(j);
	assert_false(couple_is_null(F.a));
	int st = 403;
	for (int i = 0; i < 20 && st == 403; i++)
		st = part(F.a, "still not my password");
	assert_int_equal(st, 429);
	assert_false(couple_is_null(F.a));
	assert_false(couple_is_null(F.b));
}

/* ---- who may ---- */

static void nobody_else_can_end_our_couple(void **state)
{
	(void)state;
	json_t *j;
	char mine[64];
	appreciate(F.a, unique("ours", mine));
	/* anonymous, and the operator without a couple */
	assert_int_equal(api(&T, "POST", "/api/v1/couple/part", NULL, &j, "{s:s}", "password", TEST_PASSWORD), 401);
	json_decref(j);
	assert_int_equal(api(&T, "DELETE", "/api/v1/me", NULL, &j, "{s:s}", "password", TEST_PASSWORD), 401);
	json_decref(j);
	assert_int_equal(api(&T, "POST", "/api/v1/couple/part", F.op, &j, "{s:s}", "password", TEST_PASSWORD), 409);
	json_decref(j);
	/* dan parts from his own couple and closes his own account: ours stays */
	assert_int_equal(part(F.d, TEST_PASSWORD), 200);
	char *kd = keepsakes(F.d);
	assert_holds_none(kd, mine, NULL);
	free(kd);
	assert_int_equal(api(&T, "DELETE", "/api/v1/me", F.d, &j, "{s:s}", "password", TEST_PASSWORD), 204);
	json_decref(j);
	assert_false(couple_is_null(F.a));
	assert_false(couple_is_null(F.b));
	assert_int_equal(api(&T, "GET", "/api/v1/appreciations", F.b, &j, NULL), 200);
	char *s = json_dumps(j, 0);
	assert_holds(s, mine, NULL);
	free(s);
	json_decref(j);
}

/* The server's last operator cannot close their account while others use
 * it: nobody would be left to run it. Once there is another, they can. */
static void the_last_operator_stays_until_there_is_another(void **state)
{
	(void)state;
	json_t *j;
	api_error(api(&T, "DELETE", "/api/v1/me", F.op, &j, "{s:s}", "password", TEST_PASSWORD), j, 409,
		  "last_operator", NULL);
	assert_int_equal(store_count("SELECT count(*) FROM user WHERE username = 'opr'"), 1);
	struct browser b;
	struct req r;
	b_login(&T, &b, "opr");
	assert_int_equal(b_submit(&T, &b, &r, "/settings/delete", "password=correct+horse+battery"), 409);
	assert_non_null(strstr(r.out.s, "make another account an operator"));
	req_release(&r);
	/* a disabled operator does not count */
	assert_int_equal(acct_make_operator(&T.app.db, "dan"), SQLITE_OK);
	assert_int_equal(acct_make_operator(&T.app.db, "nobody-here"), 1);
	sqlite3 *w = db_write_begin(&T.app.db);
	assert_int_equal(db_run(w, "UPDATE user SET disabled = 1 WHERE username = 'dan'", ""), SQLITE_OK);
	assert_int_equal(db_write_end(&T.app.db, true), SQLITE_OK);
	api_error(api(&T, "DELETE", "/api/v1/me", F.op, &j, "{s:s}", "password", TEST_PASSWORD), j, 409,
		  "last_operator", NULL);
	assert_int_equal(acct_make_operator(&T.app.db, "ana"), SQLITE_OK);
	assert_int_equal(api(&T, "DELETE", "/api/v1/me", F.op, &j, "{s:s}", "password", TEST_PASSWORD), 204);
	json_decref(j);
	assert_int_equal(store_count("SELECT count(*) FROM user WHERE username = 'opr'"), 0);
}

/* ---- the pages, without JavaScript ---- */

static void the_pages_explain_and_confirm(void **state)
{
	(void)state;
	struct browser b;
	struct req r;
	b_login(&T, &b, "ana");
	b_page_has(&T, &b, "/couple", 200, "href=\"/couple/part\"", NULL);
	b_page_has(&T, &b, "/couple/part", 200, "What happens", "from our time together", "Your password", NULL);
	b_page_has(&T, &b, "/settings/delete", 200, "Close my account", "leave_copy", NULL);
	assert_int_equal(b_submit(&T, &b, &r, "/couple/part", "password=wrong+one+here"), 403);
	assert_non_null(strstr(r.out.s, "Nothing has changed"));
	req_release(&r);
	assert_int_equal(b_submit(&T, &b, &r, "/couple/part", "password=correct+horse+battery"), 303);
	req_release(&r);
	b_page_has(&T, &b, "/", 200, "Your time together in troth has ended", NULL);
	b_page_has(&T, &b, "/keepsakes", 200, "From our time together", NULL);
	assert_int_equal(b_submit(&T, &b, &r, "/settings/delete", "password=correct+horse+battery"), 200);
	assert_non_null(strstr(r.out.s, "Your account is closed"));
	req_release(&r);
	assert_int_equal(store_count("SELECT count(*) FROM user WHERE username = 'ana'"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(ana_parts_ways, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(ben_parts_ways, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(what_was_hidden_stays_hidden, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(daily_words_and_readiness_answers_are_kept, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(they_can_start_again, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(closing_without_a_copy, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(closing_with_a_copy, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(a_closed_account_leaves_no_trace, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(the_last_operator_stays_until_there_is_another, couple_setup,
						couple_teardown),
		cmocka_unit_test_setup_teardown(a_wrong_password_changes_nothing_and_is_throttled, couple_setup,
						couple_teardown),
		cmocka_unit_test_setup_teardown(nobody_else_can_end_our_couple, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(the_pages_explain_and_confirm, couple_setup, couple_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
