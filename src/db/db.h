/* db.h: the SQLite store.
 *
 * One writer connection through which every write is serialized (it alone
 * commits and checkpoints), and one read-only connection per thread, opened
 * on first use. Why: SQLite 3.40.1 (Debian 12) carries the WAL-reset race
 * (3.7.0 to 3.51.2), where two connections committing and checkpointing at
 * once can corrupt the database; one writer avoids it and ends SQLITE_BUSY
 * between writers.
 *
 * SQL is only ever run through prepared statements with bound parameters;
 * the `types` strings below name each bound value:
 *   'i' int64 (long long)   'I' int64 or NULL (long long; DB_NULL binds NULL)
 *   't' text (const char *, NULL binds NULL)   'd' double
 *   'b' blob (const void *, size_t; NULL binds NULL)
 *   'B' a sealed text (const struct buf *; NULL or empty binds NULL)
 *   'n' NULL (no argument)
 * The types string must name every parameter of the statement (the highest
 * ?N): a mismatch is a programming error and aborts. */
#ifndef TROTH_DB_H
#define TROTH_DB_H

#include <limits.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <sys/types.h>

/* The value of an 'I' parameter that binds NULL. */
#define DB_NULL LLONG_MIN

struct db {
	char *path;
	dev_t dev;               /* the file opened: a different or missing file */
	ino_t ino;               /* at path means the store has gone away */
	_Atomic int write_failure; /* the last write's storage failure, 0 when it worked */
	sqlite3 *writer;
	pthread_mutex_t wlock;
	/* Group commit: the writes of threads that queue for the writer share
	 * one transaction, each in its own savepoint, and the last of them
	 * commits it for all (see db_write_end). Guarded by wlock. */
	pthread_cond_t committed;  /* a batch ended: its writers may answer */
	bool batch_open;           /* the writer's transaction holds a batch */
	int batch_jobs;            /* writes in it that went well */
	struct db_job *jobs;       /* their writers, waiting for the commit */
	_Atomic int queued;        /* threads waiting for wlock in db_write_begin */
	unsigned long gen;       /* tells this db's readers from an older one's */
	pthread_mutex_t rlock;   /* guards readers[] */
	sqlite3 **readers;
	size_t nreaders, capreaders;
};

/* The schema version this binary knows. */
int db_schema_version(void);

/* Opens (creating when `create`) the database at path, sets the pragmas
 * (WAL, synchronous=FULL, foreign_keys, busy timeout) and applies pending
 * migrations. Returns 0, or -1 with a message in err (a database newer than
 * this binary, not a database, cannot open). */
int db_open(struct db *db, const char *path, bool create, char *err, size_t errlen);
/* Closes every reader, then the writer (which checkpoints). */
void db_close(struct db *db);

/* Sets SQLite up for this process before anything opens a database: no
 * memory statistics (a global mutex on every allocation). Call once at
 * start. */
void db_library_init(void);

/* This thread's read-only connection (opened on first use), or NULL when it
 * cannot be opened. Inside a read scope the first call begins one read
 * transaction, so every read of a request sees the same moment and pays
 * for one snapshot, not one per statement. */
sqlite3 *db_reader(struct db *db);
/* A read scope: from begin to end, the thread's reads share one read
 * transaction (opened lazily by db_reader, ended by db_read_scope_end).
 * A write on the thread (db_write_begin) ends it first, so reads after a
 * write see it. The router wraps every request in one. */
void db_read_scope_begin(void);
void db_read_scope_end(void);

/* Which tables this thread's writes changed: db_changed_reset forgets,
 * db_changed_only(tables) says whether every table changed since is one of
 * the NULL-ended list (true when none changed). Counted from SQLite's
 * update hook, which does not see a DELETE without WHERE (the truncate
 * shortcut) nor rows a REPLACE removes; the router resets it before each
 * request. */
void db_changed_reset(void);
bool db_changed_only(const char *const *tables);

/* How many writes this thread has begun (db_write_begin), so what was
 * read before one can be told stale. */
unsigned long db_thread_writes(void);

/* How many write transactions this process has committed, now. */
unsigned long db_commits(void);

/* Marks: whether an answer is still the store's answer, told per couple,
 * so a couple's kept answers outlive other couples' writes.
 *
 * Every write is made for one couple or for anyone. db_write_for(id) says
 * the writes this thread commits from now on change only what couple id's
 * partners see (and what viewers without a couple see, who are judged by
 * every commit); 0, the default, says they may change what anyone sees.
 * auth_check sets it to a partner's couple for their request once the
 * viewer is known (viewer_marks_couple), and the router sets it back to 0
 * after; every other thread (the scheduler, the CLI, a password job)
 * writes for anyone.
 *
 * For a viewer of couple id, an answer worked out from the reads is still
 * the answer while neither a write for anyone nor a write for that couple
 * has been committed; for a viewer without a couple (id 0), while nothing
 * has been committed at all. The store (db->gen) must be the same too. */
struct db_marks {
	long long couple_id;
	unsigned long commits, global, couple;
};
void db_write_for(long long couple_id);
/* A hint for the next read transaction this thread begins: its reads are
 * for a viewer of couple_id, so the marks are taken with the snapshot (a
 * wrong hint costs only a kept answer). */
void db_read_for(long long couple_id);
/* Into *m, the marks as of this thread's reads for a viewer of couple_id
 * (before its snapshot began; now, outside one). False when they cannot be
 * told (something was committed since the snapshot began that the marks
 * would not show): keep nothing then. */
bool db_read_marks(long long couple_id, struct db_marks *m);
/* Into *m, the marks now. */
void db_marks_now(long long couple_id, struct db_marks *m);
/* Whether an answer read at marks a is still the answer at marks b. */
bool db_marks_same(const struct db_marks *a, const struct db_marks *b);

/* Takes the write lock and begins the write: inside the batch's IMMEDIATE
 * transaction (begun when there is none), in a savepoint of its own.
 * Returns the writer connection. Every write goes through
 * db_write_begin/db_write_end. */
sqlite3 *db_write_begin(struct db *db);
/* Ends the write: kept when ok (rolled back to its savepoint otherwise).
 * When no other thread is waiting to write (or the batch holds
 * DB_BATCH_MAX writes) it commits the batch, else it leaves the
 * transaction to the next writer and waits until the commit that holds
 * its write is done: a write is answered only once it is durable
 * (synchronous=FULL), and many writers share one fsync. Returns SQLITE_OK,
 * or the error of the failed commit (then rolled back, for every write of
 * the batch). Before committing it checks that the file at the path is
 * still the one opened: a write to a database deleted or replaced under
 * the server would be acknowledged and lost, so it is rolled back with
 * SQLITE_CANTOPEN. */
int db_write_end(struct db *db, bool ok);
/* The most writes one commit holds. */
#define DB_BATCH_MAX 64

/* Prepares sql and binds the values; returns the statement or NULL (the
 * error is in sqlite3_errcode(c)). Finalize it with sqlite3_finalize. */
sqlite3_stmt *db_prepare(sqlite3 *c, const char *sql, const char *types, ...);
/* Releases a statement from db_prepare (NULL is a no-op). */
void db_done(sqlite3_stmt *st);
/* Runs fn(w, arg) inside db_write_begin/db_write_end: committed when fn
 * returns SQLITE_OK, rolled back otherwise. Returns fn's error or the
 * commit's. */
int db_write(struct db *db, int (*fn)(sqlite3 *w, void *arg), void *arg);
/* Runs a statement that returns no rows. Returns SQLITE_OK/SQLITE_DONE-free:
 * SQLITE_OK on success, else the error code. */
int db_run(sqlite3 *c, const char *sql, const char *types, ...);
/* Runs a query for one integer (first column of the first row). Returns
 * SQLITE_ROW with *out set, SQLITE_DONE when there is no row, else an error. */
int db_int(sqlite3 *c, long long *out, const char *sql, const char *types, ...);
/* Reads the current row of st into x (what the caller gave db_one). */
typedef void db_one_fn(sqlite3_stmt *st, void *x);
/* Runs a query for one row (a record looked up by its key) and, when there
 * is one, has row(st, x) read it; when there is none, x is left as it was
 * (the caller's defaults). Returns SQLITE_OK either way, else the error. */
int db_one(sqlite3 *c, db_one_fn *row, void *x, const char *sql, const char *types, ...);

/* Whether the store can take writes: SQLITE_OK, or the storage failure
 * (the file at the path is gone, empty or another file than the one
 * opened; or the last write failed for lack of space or an I/O error). */
int db_health(struct db *db);

/* True for the errors that mean the storage itself failed (full disk, I/O
 * error, corruption, not a database): answered with 503. */
bool db_is_storage_failure(int rc);

/* True when a file that is not empty is at path (a database, or at least
 * something that is not nothing). */
bool db_file_present(const char *path);

/* Writes a consistent copy of the database open on c to a new file at
 * dest (VACUUM INTO: a snapshot, compact, without the pages of deleted
 * rows), while other connections go on writing. Fails when dest exists.
 * Returns 0, or -1 with the reason in err. */
int db_backup_to(sqlite3 *c, const char *dest, char *err, size_t errlen);

/* Writes a checked backup of the database at db_path to the new file dest,
 * beside a running server: opens it read-only, writes the snapshot
 * (db_backup_to), flushes the file and its directory to disk and checks it
 * (db_file_check). Fails when dest exists, and removes a dest it could not
 * finish. Returns 0, or -1 with the reason in err. */
int db_backup_file(const char *db_path, const char *dest, char *err, size_t errlen);

/* fsync of the file at path (dir false) or of the directory that holds it
 * (dir true). Returns 0 or -1 (errno set). */
int db_sync_path(const char *path, bool dir);

/* Checks that the file at path is a sound troth database this binary can
 * open: SQLite's integrity check passes, its schema version is known (not
 * newer than db_schema_version()) and it holds troth's tables. Opens it
 * read-only and changes nothing. Returns 0, or -1 with the reason in err. */
int db_file_check(const char *path, char *err, size_t errlen);

/* PRAGMA integrity_check; returns 0 when "ok", else -1 with the first
 * problem in err. */
int db_integrity_check(sqlite3 *c, char *err, size_t errlen);

/* Moves everything in the WAL into the database and truncates the WAL to
 * nothing (after a deletion, so deleted text lingers in no file). Returns
 * SQLITE_OK, or the error (logged) when a reader held it back. */
int db_checkpoint(struct db *db);
struct arena;
/* Reads the current row of st into x, a zeroed element of a db_rows array;
 * a is the array's arena, ctx what the caller gave db_rows. */
typedef void db_row_fn(sqlite3_stmt *st, void *x, struct arena *a, const void *ctx);
/* Runs sql on c with the values bound (as db_prepare) and reads every row
 * into a new array in arena a, of elements of size elem, each filled by
 * row(st, element, a, ctx). Returns the array (NULL when there are no
 * rows) and its length in *n; *rc is SQLITE_OK, SQLITE_CANTOPEN when c is
 * NULL (no reader), or the error. */
void *db_rows(sqlite3 *c, struct arena *a, size_t elem, size_t *n, int *rc, db_row_fn *row,
	      const void *ctx, const char *sql, const char *types, ...);
/* db_write for a job that can end in an outcome of its own: fn sets
 * *outcome (0 is none) and returns an error so the write is rolled back.
 * Returns that outcome, else 0 when the write committed or failed when it did
 * not; *rcp gets db_write's SQLite code. */
int db_write_outcome(struct db *db, int (*fn)(sqlite3 *w, void *arg), void *arg, int *outcome,
		     int failed, int *rcp);

/* What a room tells the operations on a whole couple or person (parting,
 * closing an account: features/keepsake.c) about its own tables, so its
 * SQL stays in its own file. Each field is a list of statements, each
 * ending with ";", or NULL. shared and own: SELECTs of its sealed texts,
 * each row (kind, id, field, blob, author, at) as vault_seal_row bound
 * them, with ?1 the couple and, where a statement names it, ?2 the holder;
 * own texts are sealed under the author's data key, shared ones under the
 * couple key. clear: DELETEs of a couple's rows (?1), children first.
 * forget: DELETEs of a person's rows (?1). */
struct room_sql {
	const char *shared, *own, *clear, *forget;
};
/* Every room's, in routes.c beside the route table. */
extern const struct room_sql *const troth_rooms[];
extern const size_t troth_rooms_len;

/* One sealed text of a couple's record, as a reader found it: its identity
 * (as vault_seal_row bound it), its bytes, its author, when it was written,
 * and whether it is sealed under the author's data key (own) rather than
 * the couple key. */
struct sealed_text {
	const char *kind;
	long long id;
	const char *field;
	const void *blob;
	size_t n;
	long long author;
	long long at;
	bool own;
};

/* Called for each text; returns SQLITE_OK to go on, or an error to stop. */
typedef int (*sealed_fn)(void *arg, const struct sealed_text *t);

/* A walk over a couple's sealed texts: the connection, whose texts (the
 * couple) and for whom (the viewer), and where each text goes. */
struct sealed_walk {
	sqlite3 *c;
	long long couple_id, viewer;
	sealed_fn fn;
	void *arg;
	bool own; /* for the map's rows: sealed under the author's data key */
};
/* Steps st (NULL: answers c's error) to its end, calling row for each row
 * (row hands texts to w->fn), then releases st. Returns SQLITE_OK or the
 * first error. */
int sealed_walk_rows(struct sealed_walk *w, sqlite3_stmt *st, int (*row)(struct sealed_walk *w, sqlite3_stmt *st));

#endif
