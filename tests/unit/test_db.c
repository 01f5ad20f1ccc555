/* test_db.c: migrations, refusing a newer database, the single writer,
 * readers, integrity check, and storage failures told apart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>

#include "db/db.h"
#include "db/migrate.h"
#include "scratch.h"

static char dir[64], path[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/troth-db-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	scratch_remove(dir, path);
	return 0;
}

/* Opens (creating and migrating) the database at path; fails the test
 * unless that works. */
static void open_store(struct db *db)
{
	char err[256];
	if (db_open(db, path, true, err, sizeof(err)) != 0)
		fail_msg("db_open: %s", err);
}

static void read_pair(sqlite3_stmt *st, void *x)
{
	long long *v = x;
	v[0] = sqlite3_column_int64(st, 0);
	v[1] = sqlite3_column_int64(st, 1);
}

/* db_one reads the row a key finds, leaves the defaults when it finds
 * none, and gives the error of a statement that cannot run. */
static void one_row_by_key_or_the_defaults(void **state)
{
	(void)state;
	struct db db;
	open_store(&db);
	assert_int_equal(db_run(db.writer, "CREATE TABLE kv(k INTEGER PRIMARY KEY, a INTEGER, b INTEGER)", ""),
			 SQLITE_OK);
	assert_int_equal(db_run(db.writer, "INSERT INTO kv VALUES(1, 10, 20)", ""), SQLITE_OK);
	long long v[2] = { -1, -2 };
	assert_int_equal(db_one(db.writer, read_pair, v, "SELECT a, b FROM kv WHERE k = ?1", "i", 1LL), SQLITE_OK);
	assert_int_equal(v[0], 10);
	assert_int_equal(v[1], 20);
	v[0] = -1, v[1] = -2;
	assert_int_equal(db_one(db.writer, read_pair, v, "SELECT a, b FROM kv WHERE k = ?1", "i", 2LL), SQLITE_OK);
	assert_int_equal(v[0], -1);
	assert_int_equal(v[1], -2);
	assert_int_not_equal(db_one(db.writer, read_pair, v, "SELECT a, b FROM nowhere WHERE k = ?1", "i", 1LL),
			     SQLITE_OK);
	assert_int_equal(v[0], -1);
	db_close(&db);
}

static void fresh_database_is_migrated(void **state)
{
	(void)state;
	struct db db;
	char err[256];
	long long v = -1;
	open_store(&db);
	assert_int_equal(db_int(db.writer, &v, "PRAGMA user_version", ""), SQLITE_ROW);
	assert_int_equal(v, db_schema_version());
	sqlite3_stmt *st = db_prepare(db.writer, "PRAGMA journal_mode", "");
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	assert_int_equal(db_int(db.writer, &v, "PRAGMA foreign_keys", ""), SQLITE_ROW);
	assert_int_equal(v, 1);
	assert_int_equal(db_int(db.writer, &v, "PRAGMA synchronous", ""), SQLITE_ROW);
	assert_int_equal(v, 2); /* FULL */
	assert_int_equal(db_integrity_check(db.writer, err, sizeof(err)), 0);
	db_close(&db);
	/* opening again applies nothing and keeps the version */
	open_store(&db);
	assert_int_equal(db_int(db.writer, &v, "PRAGMA user_version", ""), SQLITE_ROW);
	assert_int_equal(v, db_schema_version());
	db_close(&db);
}

/* A database from before numbers, kinds and prompts were sealed keeps
 * every row, with its plain values (sealed later, with the keys), through
 * the migration that makes those columns nullable; and every user it had
 * gets a safety row of the sealed size. */
static void rows_from_before_sealing_survive_the_migration(void **state)
{
	(void)state;
	size_t before = troth_migrations_len;
	for (size_t i = 0; i < troth_migrations_len; i++)
		if (strstr(troth_migrations[i], "CREATE TRIGGER user_safety_screen"))
			before = i;
	assert_true(before < troth_migrations_len);
	sqlite3 *c;
	assert_int_equal(sqlite3_open(path, &c), SQLITE_OK);
	for (size_t i = 0; i < before; i++)
		assert_int_equal(sqlite3_exec(c, troth_migrations[i], NULL, NULL, NULL), SQLITE_OK);
	char pragma[64];
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%zu", before);
	assert_int_equal(sqlite3_exec(c,
		"INSERT INTO user(id, username, display_name, pw_hash, key_recovery, created_at)"
		"  VALUES(1, 'ana', 'Ana', 'x', x'00', 0), (2, 'ben', 'Ben', 'x', x'00', 0);"
		"INSERT INTO couple(id, timezone, created_at) VALUES(1, 'UTC', 0);"
		"INSERT INTO checkin(couple_id, author_id, week, reveal_at, connection, reliability, emotional_safety,"
		"  honesty, consistency, respect, transparency, created_at, updated_at)"
		"  VALUES(1, 1, '2025-W10', 0, 7, 3, 9, 2, 8, 4, 6, 0, 0);"
		"INSERT INTO daily_checkin(couple_id, author_id, day, reveal_at, close, safe, created_at, updated_at)"
		"  VALUES(1, 2, '2025-03-07', 0, 7, 3, 0, 0);"
		"INSERT INTO trigger_event(couple_id, author_id, at, day, kind, intensity, private, created_at,"
		"  partner_seen_at) VALUES(1, 1, 5, '2025-03-07', 'situation', 9, 1, 0, 6);"
		"INSERT INTO journal_entry(couple_id, author_id, prompt, created_at) VALUES(1, 1, 'afraid', 0);"
		"INSERT INTO connection_time(couple_id, author_id, day, minutes, kind, created_at)"
		"  VALUES(1, 2, '2025-03-07', 93, 'walk', 0);",
		NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(c, pragma, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(c);

	struct db db;
	char err[256];
	long long v = -1;
	open_store(&db);
	assert_int_equal(db_int(db.writer, &v, "PRAGMA user_version", ""), SQLITE_ROW);
	assert_int_equal(v, db_schema_version());
	assert_int_equal(db_int(db.writer, &v, "SELECT connection * 1000 + honesty * 100 + transparency FROM checkin"
				" WHERE week = '2025-W10' AND scores IS NULL", ""), SQLITE_ROW);
	assert_int_equal(v, 7206);
	assert_int_equal(db_int(db.writer, &v, "SELECT close * 10 + safe FROM daily_checkin", ""), SQLITE_ROW);
	assert_int_equal(v, 73);
	assert_int_equal(db_int(db.writer, &v, "SELECT intensity + partner_seen_at FROM trigger_event"
				" WHERE kind = 'situation' AND private = 1", ""), SQLITE_ROW);
	assert_int_equal(v, 15);
	assert_int_equal(db_int(db.writer, &v, "SELECT count(*) FROM journal_entry WHERE prompt = 'afraid'", ""),
			 SQLITE_ROW);
	assert_int_equal(v, 1);
	assert_int_equal(db_int(db.writer, &v, "SELECT minutes FROM connection_time WHERE kind = 'walk'", ""), SQLITE_ROW);
	assert_int_equal(v, 93);
	assert_int_equal(db_int(db.writer, &v, "SELECT count(*) FROM safety_screen WHERE length(sealed) = 552", ""),
			 SQLITE_ROW);
	assert_int_equal(v, 2);
	/* a user made afterwards has a row too */
	assert_int_equal(db_run(db.writer, "INSERT INTO user(username, display_name, pw_hash, key_recovery, created_at)"
				" VALUES('cy', 'Cy', 'x', x'00', 0)", ""), SQLITE_OK);
	assert_int_equal(db_int(db.writer, &v, "SELECT count(*) FROM safety_screen", ""), SQLITE_ROW);
	assert_int_equal(v, 3);
	assert_int_equal(db_integrity_check(db.writer, err, sizeof(err)), 0);
	assert_int_equal(db_int(db.writer, &v, "SELECT count(*) FROM pragma_foreign_key_check", ""), SQLITE_ROW);
	assert_int_equal(v, 0);
	db_close(&db);
}

static void newer_database_is_refused(void **state)
{
	(void)state;
	struct db db;
	char err[256];
	open_store(&db);
	sqlite3_exec(db.writer, "PRAGMA user_version=9999", NULL, NULL, NULL);
	db_close(&db);
	assert_int_equal(db_open(&db, path, true, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "newer"));
}

static void missing_database_is_not_created_when_not_asked(void **state)
{
	(void)state;
	struct db db;
	char err[256], p[160];
	snprintf(p, sizeof(p), "%s/absent.db", dir);
	assert_int_equal(db_open(&db, p, false, err, sizeof(err)), -1);
	assert_int_equal(access(p, F_OK), -1);
}

static void not_a_database_is_refused_and_left_alone(void **state)
{
	(void)state;
	struct db db;
	char err[256];
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (int i = 0; i < 200; i++)
		fputs("this is not a database at all. ", f);
	fclose(f);
	assert_int_equal(db_open(&db, path, true, err, sizeof(err)), -1);
	f = fopen(path, "r");
	char head[16] = "";
	assert_int_equal(fread(head, 1, 15, f), 15);
	fclose(f);
	assert_string_equal(head, "this is not a d");
	assert_true(db_is_storage_failure(SQLITE_NOTADB));
	assert_true(db_is_storage_failure(SQLITE_FULL));
	assert_true(db_is_storage_failure(SQLITE_IOERR_WRITE));
	assert_true(db_is_storage_failure(SQLITE_CORRUPT));
	assert_false(db_is_storage_failure(SQLITE_CONSTRAINT_UNIQUE));
}

static void writes_are_seen_by_readers_and_rollback_leaves_nothing(void **state)
{
	(void)state;
	struct db db;
	long long n = -1;
	open_store(&db);
	sqlite3 *w = db_write_begin(&db);
	assert_int_equal(db_run(w, "INSERT INTO meta(key, value) VALUES(?1, ?2)", "tt", "a", "1"), SQLITE_OK);
	assert_int_equal(db_write_end(&db, true), SQLITE_OK);
	w = db_write_begin(&db);
	assert_int_equal(db_run(w, "INSERT INTO meta(key, value) VALUES(?1, ?2)", "tt", "b", "2"), SQLITE_OK);
	assert_int_equal(db_write_end(&db, false), SQLITE_OK);
	sqlite3 *r = db_reader(&db);
	assert_non_null(r);
	assert_ptr_equal(db_reader(&db), r);
	assert_int_equal(db_int(r, &n, "SELECT count(*) FROM meta", ""), SQLITE_ROW);
	assert_int_equal(n, 1);
	/* the reader cannot write */
	assert_int_not_equal(db_run(r, "INSERT INTO meta(key, value) VALUES('c','3')", ""), SQLITE_OK);
	/* a constraint failure is an ordinary error, not a storage failure */
	w = db_write_begin(&db);
	int rc = db_run(w, "INSERT INTO meta(key, value) VALUES(?1, ?2)", "tt", "a", "again");
	assert_int_equal(rc & 0xff, SQLITE_CONSTRAINT);
	db_write_end(&db, false);
	db_close(&db);
}

/* A thread is told which tables its own writes changed since the reset,
 * and not another thread's. */
static void *other_writer(void *p)
{
	struct db *db = p;
	sqlite3 *w = db_write_begin(db);
	db_run(w, "INSERT INTO meta(key, value) VALUES('other', 'x')", "");
	db_write_end(db, true);
	return NULL;
}

static void each_thread_knows_the_tables_it_changed(void **state)
{
	(void)state;
	static const char *const META[] = { "meta", NULL }, *const OTHER[] = { "appreciation", NULL };
	struct db db;
	open_store(&db);
	db_changed_reset();
	assert_true(db_changed_only(OTHER));
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, other_writer, &db), 0);
	pthread_join(t, NULL);
	assert_true(db_changed_only(OTHER));
	sqlite3 *w = db_write_begin(&db);
	assert_int_equal(db_run(w, "INSERT INTO meta(key, value) VALUES('mine', 'y')", ""), SQLITE_OK);
	assert_int_equal(db_write_end(&db, true), SQLITE_OK);
	assert_true(db_changed_only(META));
	assert_false(db_changed_only(OTHER));
	db_changed_reset();
	assert_true(db_changed_only(OTHER));
	db_close(&db);
}

enum { WRITERS = 16, EACH = 40 };

struct writer_arg {
	struct db *db;
	int who;
	int answered_ok, failed_ok; /* writes acknowledged; refused writes that answered as refused */
};

static int insert_row(sqlite3 *w, void *arg)
{
	return db_run(w, "INSERT INTO meta(key, value) VALUES(?1, 'v')", "t", (const char *)arg);
}

/* Each of WRITERS threads writes EACH rows at once with the others; every
 * fifth write fails after its INSERT ran and must leave nothing. */
static void *writer_thread(void *p)
{
	struct writer_arg *a = p;
	for (int i = 0; i < EACH; i++) {
		char key[32];
		snprintf(key, sizeof(key), "w%d-%d", a->who, i);
		if (i % 5 == 4) {
			sqlite3 *w = db_write_begin(a->db);
			int rc = insert_row(w, key);
			a->failed_ok += db_write_end(a->db, false) == SQLITE_OK && rc == SQLITE_OK;
		} else {
			a->answered_ok += db_write(a->db, insert_row, key) == SQLITE_OK;
		}
	}
	return NULL;
}

/* Writers at once share commits; each acknowledged write is in the store
 * as soon as it is acknowledged, and a refused one in the same batch is not. */
static void concurrent_writes_are_each_committed_or_refused(void **state)
{
	(void)state;
	struct db db;
	open_store(&db);
	pthread_t t[WRITERS];
	struct writer_arg a[WRITERS];
	unsigned long before = db_commits();
	for (int i = 0; i < WRITERS; i++) {
		a[i] = (struct writer_arg){ &db, i, 0, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, writer_thread, &a[i]), 0);
	}
	for (int i = 0; i < WRITERS; i++)
		pthread_join(t[i], NULL);
	int kept = 0;
	for (int i = 0; i < WRITERS; i++) {
		assert_int_equal(a[i].answered_ok, EACH - EACH / 5);
		assert_int_equal(a[i].failed_ok, EACH / 5);
		kept += a[i].answered_ok;
	}
	assert_true(db_commits() - before <= (unsigned long)kept);
	/* a new connection, as after a crash: every acknowledged row, no other */
	struct db again;
	db_close(&db);
	open_store(&again);
	long long n = -1;
	assert_int_equal(db_int(again.writer, &n, "SELECT count(*) FROM meta WHERE key LIKE 'w%'", ""), SQLITE_ROW);
	assert_int_equal(n, kept);
	for (int w = 0; w < WRITERS; w++)
		for (int i = 0; i < EACH; i++) {
			char key[32];
			snprintf(key, sizeof(key), "w%d-%d", w, i);
			assert_int_equal(db_int(again.writer, &n, "SELECT count(*) FROM meta WHERE key = ?1", "t", key), SQLITE_ROW);
			assert_int_equal(n, i % 5 == 4 ? 0 : 1);
		}
	db_close(&again);
}

/* A write for couple 12 from another thread, as a partner's request would
 * make it. */
static void *couple_writer(void *p)
{
	db_write_for(12);
	assert_int_equal(db_write(p, insert_row, "for-12-later"), SQLITE_OK);
	db_write_for(0);
	return NULL;
}

/* The marks tell a couple's writes from another couple's, a write for
 * anyone moves every couple's, and a viewer without a couple is moved by
 * any; inside a read they are the marks of its snapshot, or not told. */
static void marks_tell_whose_writes_were_committed(void **state)
{
	(void)state;
	struct db db;
	open_store(&db);
	struct db_marks a0, b0, n0, a1, b1, n1;
	db_marks_now(11, &a0);
	db_marks_now(12, &b0);
	db_marks_now(0, &n0);
	db_write_for(11);
	assert_int_equal(db_write(&db, insert_row, "for-11"), SQLITE_OK);
	db_write_for(0);
	db_marks_now(11, &a1);
	db_marks_now(12, &b1);
	db_marks_now(0, &n1);
	assert_false(db_marks_same(&a0, &a1));
	assert_true(db_marks_same(&b0, &b1));
	assert_false(db_marks_same(&n0, &n1));
	/* marks for another couple are never the same */
	assert_false(db_marks_same(&a1, &b1));

	/* a write for anyone moves them all */
	assert_int_equal(db_write(&db, insert_row, "for-anyone"), SQLITE_OK);
	db_marks_now(11, &a0);
	db_marks_now(12, &b0);
	assert_false(db_marks_same(&a0, &a1));
	assert_false(db_marks_same(&b0, &b1));

	/* in a read for couple 11: the marks are the snapshot's; couple 12's
	 * are told only while nothing was committed since it began */
	db_read_for(11);
	db_read_scope_begin();
	assert_non_null(db_reader(&db));
	struct db_marks in_a, in_b, now;
	assert_true(db_read_marks(11, &in_a));
	assert_true(db_read_marks(12, &in_b));
	assert_true(db_marks_same(&in_a, &a0));
	assert_true(db_marks_same(&in_b, &b0));
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, couple_writer, &db), 0);
	pthread_join(t, NULL);
	assert_true(db_read_marks(11, &in_a));
	assert_true(db_marks_same(&in_a, &a0));
	db_marks_now(11, &now);
	assert_true(db_marks_same(&in_a, &now));
	assert_false(db_read_marks(12, &in_b));
	/* without a couple: the commits before the snapshot, now moved on */
	struct db_marks in_n;
	assert_true(db_read_marks(0, &in_n));
	db_marks_now(0, &now);
	assert_false(db_marks_same(&in_n, &now));
	db_read_scope_end();
	db_read_for(0);
	db_close(&db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(fresh_database_is_migrated, setup, teardown),
		cmocka_unit_test_setup_teardown(one_row_by_key_or_the_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(rows_from_before_sealing_survive_the_migration, setup, teardown),
		cmocka_unit_test_setup_teardown(newer_database_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(missing_database_is_not_created_when_not_asked, setup, teardown),
		cmocka_unit_test_setup_teardown(not_a_database_is_refused_and_left_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(writes_are_seen_by_readers_and_rollback_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(concurrent_writes_are_each_committed_or_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(each_thread_knows_the_tables_it_changed, setup, teardown),
		cmocka_unit_test_setup_teardown(marks_tell_whose_writes_were_committed, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
