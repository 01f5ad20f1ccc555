/* bench_commit.c: the raw single-row commit rate of a disk, the figure
 * troth's writes are measured against. One connection to a new SQLite
 * database at PATH with troth's settings (WAL, synchronous=FULL), inserting
 * one row of about a journal entry's size per transaction for SECONDS
 * seconds. Prints one line for bench/run:
 *   commits=N seconds=S per_second=R */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: bench_commit PATH SECONDS\n");
		return 2;
	}
	double seconds = atof(argv[2]);
	sqlite3 *db;
	if (sqlite3_open(argv[1], &db) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			     " CREATE TABLE IF NOT EXISTS entry(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, text BLOB)",
			 NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_commit: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "INSERT INTO entry(at, text) VALUES(?1, ?2)", -1, &st, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench_commit: %s\n", sqlite3_errmsg(db));
		return 1;
	}
	unsigned char blob[120];
	memset(blob, 0x5a, sizeof(blob));
	long n = 0;
	double start = now_s(), end = start + seconds, t = start;
	while (t < end) {
		sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		sqlite3_bind_int64(st, 1, n);
		sqlite3_bind_blob(st, 2, blob, sizeof(blob), SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE || sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
			fprintf(stderr, "bench_commit: %s\n", sqlite3_errmsg(db));
			return 1;
		}
		sqlite3_reset(st);
		n++;
		t = now_s();
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	printf("commits=%ld seconds=%.2f per_second=%.0f\n", n, t - start, (double)n / (t - start));
	return 0;
}
