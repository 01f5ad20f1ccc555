/* db.c: opening the store, migrations, the single writer, per-thread
 * readers, and the bound-parameter helpers; see db.h. */
#include "db.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/log.h"
#include "migrate.h"

static void batch_end(struct db *db);

static unsigned long db_generation;
static pthread_mutex_t gen_lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local sqlite3 *tl_reader;
static _Thread_local unsigned long tl_gen;
static _Thread_local bool tl_scoped;      /* inside db_read_scope_begin/end */
static _Thread_local sqlite3 *tl_in_read; /* the reader with a read transaction open */
static _Thread_local unsigned long tl_writes; /* db_write_begin calls on this thread */
/* The tables this thread's writes changed since db_changed_reset (a few
 * names; `many` once more than fit). */
#define CHANGED_MAX 8
static _Thread_local struct {
	char name[CHANGED_MAX][40];
	int n;
	bool many;
} tl_changed;
static _Atomic unsigned long commits;        /* write transactions committed, any store */
static _Thread_local unsigned long tl_read_commits; /* commits before tl_in_read began */
/* The marks (db.h, db_marks): commits of writes made for anyone (global)
 * and, per bucket of couples, commits of writes made for one of its
 * couples. Two couples sharing a bucket only end each other's kept
 * answers sooner. Each is counted after `commits`, which is counted after
 * the commit itself. */
#define MARK_BUCKETS 4096
static _Atomic unsigned long marks_global;
static _Atomic unsigned long marks_couple[MARK_BUCKETS];
static _Thread_local long long tl_write_for;    /* db_write_for */
static _Thread_local long long tl_read_for;     /* db_read_for */
static _Thread_local long long tl_begin_for;    /* tl_read_for when tl_in_read began */
static _Thread_local unsigned long tl_begin_global, tl_begin_couple; /* the marks then */

static _Atomic unsigned long *couple_mark(long long couple_id)
{
	unsigned long long h = (unsigned long long)couple_id * 11400714819323198485ull;
	return &marks_couple[h >> (64 - 12)];
}

void db_library_init(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* Ends the thread's open read transaction, if any. */
static void read_end(void)
{
	if (tl_in_read) {
		/* db_run keeps the statement: BEGIN and COMMIT are compiled once */
		if (db_run(tl_in_read, "COMMIT", "") != SQLITE_OK) {
			log_msg("store: a read transaction would not end (%s)", sqlite3_errmsg(tl_in_read));
			sqlite3_exec(tl_in_read, "ROLLBACK", NULL, NULL, NULL);
		}
		tl_in_read = NULL;
	}
}

/* The writer's update hook: runs on the thread whose statement changed the
 * row, so each thread sees only its own writes' tables. */
static void note_change(void *arg, int op, const char *dbname, const char *table, sqlite3_int64 rowid)
{
	(void)arg, (void)op, (void)dbname, (void)rowid;
	for (int i = 0; i < tl_changed.n; i++)
		if (!strcmp(tl_changed.name[i], table))
			return;
	size_t len = strlen(table);
	if (tl_changed.n < CHANGED_MAX && len < sizeof(tl_changed.name[0]))
		memcpy(tl_changed.name[tl_changed.n++], table, len + 1);
	else
		tl_changed.many = true;
}

void db_changed_reset(void)
{
	tl_changed.n = 0;
	tl_changed.many = false;
}

bool db_changed_only(const char *const *tables)
{
	if (tl_changed.many)
		return false;
	for (int i = 0; i < tl_changed.n; i++) {
		bool listed = false;
		for (size_t k = 0; tables[k] && !listed; k++)
			listed = !strcmp(tables[k], tl_changed.name[i]);
		if (!listed)
			return false;
	}
	return true;
}

void db_read_scope_begin(void)
{
	read_end();
	tl_scoped = true;
}

void db_read_scope_end(void)
{
	read_end();
	tl_scoped = false;
}

/* Inside a scope, begins the read transaction on c once. */
static sqlite3 *scoped(sqlite3 *c)
{
	if (tl_scoped && c && tl_in_read != c) {
		/* the snapshot is taken after these */
		long long read_for = tl_read_for;
		unsigned long g = marks_global, cm = read_for ? *couple_mark(read_for) : 0;
		unsigned long before = commits;
		if (db_run(c, "BEGIN", "") == SQLITE_OK) {
			tl_in_read = c;
			tl_read_commits = before;
			tl_begin_for = read_for;
			tl_begin_global = g;
			tl_begin_couple = cm;
		}
	}
	return c;
}

int db_schema_version(void)
{
	return (int)troth_migrations_len;
}

bool db_is_storage_failure(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
	case SQLITE_PROTOCOL:
		return true;
	default:
		return false;
	}
}

static int bind_all(sqlite3_stmt *st, const char *types, va_list ap)
{
	int rc = SQLITE_OK;
	for (int i = 1; types && *types && rc == SQLITE_OK; types++, i++) {
		switch (*types) {
		case 'i':
			rc = sqlite3_bind_int64(st, i, va_arg(ap, long long));
			break;
		case 'd':
			rc = sqlite3_bind_double(st, i, va_arg(ap, double));
			break;
		case 't': {
			const char *s = va_arg(ap, const char *);
			rc = s ? sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT)
			       : sqlite3_bind_null(st, i);
			break;
		}
		case 'b': {
			const void *p = va_arg(ap, const void *);
			size_t n = va_arg(ap, size_t);
			rc = p ? sqlite3_bind_blob64(st, i, p, n, SQLITE_TRANSIENT)
			       : sqlite3_bind_null(st, i);
			break;
		}
		case 'I': {
			long long v = va_arg(ap, long long);
			rc = v != DB_NULL ? sqlite3_bind_int64(st, i, v) : sqlite3_bind_null(st, i);
			break;
		}
		case 'B': {
			const struct buf *b = va_arg(ap, const struct buf *);
			rc = b && b->len ? sqlite3_bind_blob64(st, i, b->s, b->len, SQLITE_TRANSIENT)
					 : sqlite3_bind_null(st, i);
			break;
		}
		case 'n':
			rc = sqlite3_bind_null(st, i);
			break;
		default:
			die("db: bad bind type '%c'", *types);
		}
	}
	return rc;
}

/* ---- the statement cache ----
 * Compiling a statement cost more than running it on most pages, so each
 * thread keeps the statements it prepared on its own reader and on the
 * writer (while it holds the write lock): db_done resets one for the next
 * db_prepare of the same SQL instead of finalizing it. Entries are this
 * thread's alone, so no lock; db_close finalizes every statement of its
 * connections and moves cache_epoch on, which empties every thread's cache
 * at its next use. A statement still in use is never handed out twice: the
 * same SQL prepared again meanwhile gets a fresh one. */
#define STMT_CACHE 128

struct cached {
	sqlite3 *c;
	const char *sql;     /* the caller's pointer: a quick first test */
	sqlite3_stmt *st;
	bool busy;
};

static _Thread_local struct cached tl_cache[STMT_CACHE];
static _Thread_local size_t tl_ncache;
static _Thread_local unsigned long tl_cache_epoch;
static _Thread_local sqlite3 *tl_writer; /* the writer, while this thread holds it */
static _Atomic unsigned long cache_epoch = 1;

static void cache_fresh(void)
{
	unsigned long e = cache_epoch;
	if (tl_cache_epoch != e) {
		tl_ncache = 0;
		tl_cache_epoch = e;
	}
}

static bool cacheable(sqlite3 *c)
{
	return c && (c == tl_reader || c == tl_writer);
}

/* A cached, idle statement of sql on c (marked busy), or NULL. */
static sqlite3_stmt *cache_take(sqlite3 *c, const char *sql)
{
	cache_fresh();
	for (size_t i = 0; i < tl_ncache; i++) {
		struct cached *e = &tl_cache[i];
		if (e->c == c && e->sql == sql && !e->busy && !strcmp(sqlite3_sql(e->st), sql)) {
			e->busy = true;
			return e->st;
		}
	}
	return NULL;
}

static sqlite3_stmt *prepare_v(sqlite3 *c, const char *sql, const char *types, va_list ap)
{
	bool keep = cacheable(c);
	sqlite3_stmt *st = keep ? cache_take(c, sql) : NULL;
	if (!st) {
		if (sqlite3_prepare_v3(c, sql, -1, keep ? SQLITE_PREPARE_PERSISTENT : 0, &st, NULL) != SQLITE_OK)
			return NULL;
		if (keep && tl_ncache < STMT_CACHE)
			tl_cache[tl_ncache++] = (struct cached){ c, sql, st, true };
	}
	size_t want = (size_t)sqlite3_bind_parameter_count(st), got = types ? strlen(types) : 0;
	if (want != got)
		die("db: the statement has %zu parameters, the types \"%s\" name %zu: %s", want,
		    types ? types : "", got, sql);
	if (bind_all(st, types, ap) != SQLITE_OK) {
		db_done(st);
		return NULL;
	}
	return st;
}

/* Finalizes every statement of c, then closes it. */
static void close_conn(sqlite3 *c)
{
	sqlite3_stmt *st;
	while ((st = sqlite3_next_stmt(c, NULL)))
		sqlite3_finalize(st);
	sqlite3_close(c);
}

sqlite3_stmt *db_prepare(sqlite3 *c, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	sqlite3_stmt *st = prepare_v(c, sql, types, ap);
	va_end(ap);
	return st;
}

void db_done(sqlite3_stmt *st)
{
	if (!st)
		return;
	cache_fresh();
	for (size_t i = 0; i < tl_ncache; i++) {
		if (tl_cache[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			tl_cache[i].busy = false;
			return;
		}
	}
	sqlite3_finalize(st);
}

int db_write(struct db *db, int (*fn)(sqlite3 *w, void *arg), void *arg)
{
	sqlite3 *w = db_write_begin(db);
	int rc = fn(w, arg);
	int end = db_write_end(db, rc == SQLITE_OK);
	return rc != SQLITE_OK ? rc : end;
}

/* Prepares, binds and runs sql. With first, it stops at the first row and
 * stores that row's first column there: the result is then the step's code,
 * SQLITE_ROW when there was a row. Without, it runs to the end: SQLITE_OK
 * when it finished. Either way, a failed prepare gives its error. */
static int run_v(sqlite3 *c, long long *first, const char *sql, const char *types, va_list ap)
{
	sqlite3_stmt *st = prepare_v(c, sql, types, ap);
	if (!st)
		return sqlite3_errcode(c) ? sqlite3_extended_errcode(c) : SQLITE_ERROR;
	int rc = sqlite3_step(st);
	if (first && rc == SQLITE_ROW)
		*first = sqlite3_column_int64(st, 0);
	while (!first && rc == SQLITE_ROW)
		rc = sqlite3_step(st);
	db_done(st);
	return first || rc != SQLITE_DONE ? rc : SQLITE_OK;
}

int db_run(sqlite3 *c, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	int rc = run_v(c, NULL, sql, types, ap);
	va_end(ap);
	return rc;
}

int db_int(sqlite3 *c, long long *out, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	int rc = run_v(c, out, sql, types, ap);
	va_end(ap);
	return rc;
}

int db_one(sqlite3 *c, db_one_fn *row, void *x, const char *sql, const char *types, ...)
{
	va_list ap;
	va_start(ap, types);
	sqlite3_stmt *st = prepare_v(c, sql, types, ap);
	va_end(ap);
	if (!st)
		return sqlite3_errcode(c) ? sqlite3_extended_errcode(c) : SQLITE_ERROR;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		row(st, x);
	db_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Runs SQL text with no parameters (pragmas, migrations). */
static int exec(sqlite3 *c, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;
	int rc = sqlite3_exec(c, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK && err)
		snprintf(err, errlen, "%s", msg ? msg : sqlite3_errstr(rc));
	sqlite3_free(msg);
	return rc;
}

static int migrate(struct db *db, char *err, size_t errlen)
{
	long long v = 0;
	int rc = db_int(db->writer, &v, "PRAGMA user_version", "");
	if (rc != SQLITE_ROW) {
		snprintf(err, errlen, "cannot read the schema version: %s",
			 sqlite3_errmsg(db->writer));
		return -1;
	}
	if (v > (long long)troth_migrations_len) {
		snprintf(err, errlen,
			 "the database is at schema version %lld, newer than this troth "
			 "(%zu); use a newer troth", v, troth_migrations_len);
		return -1;
	}
	for (size_t i = (size_t)v; i < troth_migrations_len; i++) {
		char pragma[64];
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%zu;", i + 1);
		if (exec(db->writer, "BEGIN IMMEDIATE", err, errlen) != SQLITE_OK)
			return -1;
		if (exec(db->writer, troth_migrations[i], err, errlen) != SQLITE_OK ||
		    exec(db->writer, pragma, err, errlen) != SQLITE_OK ||
		    exec(db->writer, "COMMIT", err, errlen) != SQLITE_OK) {
			exec(db->writer, "ROLLBACK", NULL, 0);
			return -1;
		}
	}
	return 0;
}

int db_open(struct db *db, const char *path, bool create, char *err, size_t errlen)
{
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
	memset(db, 0, sizeof(*db));
	pthread_mutex_init(&db->wlock, NULL);
	pthread_cond_init(&db->committed, NULL);
	pthread_mutex_init(&db->rlock, NULL);
	pthread_mutex_lock(&gen_lock);
	db->gen = ++db_generation;
	pthread_mutex_unlock(&gen_lock);
	db->path = xstrdup(path);
	if (sqlite3_open_v2(path, &db->writer, flags, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", path,
			 db->writer ? sqlite3_errmsg(db->writer) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(db->writer, 1);
	sqlite3_update_hook(db->writer, note_change, NULL);
	sqlite3_busy_timeout(db->writer, 5000);
	/* journal_mode answers with a row; it fails on a file that is not a
	 * database, which is the first place we learn that. */
	if (exec(db->writer, "PRAGMA journal_mode=WAL", err, errlen) != SQLITE_OK ||
	    exec(db->writer, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;",
		 err, errlen) != SQLITE_OK)
		goto fail;
	if (migrate(db, err, errlen) < 0)
		goto fail;
	struct stat sb;
	if (stat(path, &sb) < 0) {
		snprintf(err, errlen, "cannot find %s after opening it", path);
		goto fail;
	}
	db->dev = sb.st_dev;
	db->ino = sb.st_ino;
	return 0;
fail:
	db_close(db);
	return -1;
}

void db_close(struct db *db)
{
	cache_epoch++;
	pthread_mutex_lock(&db->rlock);
	for (size_t i = 0; i < db->nreaders; i++)
		close_conn(db->readers[i]);
	free(db->readers);
	db->readers = NULL;
	db->nreaders = db->capreaders = 0;
	pthread_mutex_unlock(&db->rlock);
	if (tl_gen == db->gen) {
		tl_reader = NULL;
		tl_gen = 0;
		tl_in_read = NULL;
	}
	if (db->writer) {
		pthread_mutex_lock(&db->wlock);
		batch_end(db);
		pthread_mutex_unlock(&db->wlock);
		/* A clean stop leaves one complete file: everything in the WAL is
		 * written back and the WAL emptied, so "stop, then copy troth.db"
		 * copies all of it. */
		int ck = sqlite3_wal_checkpoint_v2(db->writer, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
		if (ck != SQLITE_OK)
			log_msg("store: the final checkpoint failed (%s): keep %s-wal beside %s, "
				"it holds the latest writes", sqlite3_errmsg(db->writer), db->path, db->path);
		close_conn(db->writer);
	}
	db->writer = NULL;
	free(db->path);
	db->path = NULL;
	pthread_mutex_destroy(&db->wlock);
	pthread_cond_destroy(&db->committed);
	pthread_mutex_destroy(&db->rlock);
}

sqlite3 *db_reader(struct db *db)
{
	sqlite3 *c = NULL;
	if (tl_reader && tl_gen == db->gen)
		return scoped(tl_reader);
	if (sqlite3_open_v2(db->path, &c, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		sqlite3_close(c);
		return NULL;
	}
	sqlite3_extended_result_codes(c, 1);
	sqlite3_busy_timeout(c, 5000);
	sqlite3_exec(c, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	pthread_mutex_lock(&db->rlock);
	if (db->nreaders == db->capreaders) {
		db->capreaders = db->capreaders ? db->capreaders * 2 : 8;
		db->readers = xrealloc(db->readers, db->capreaders * sizeof(*db->readers));
	}
	db->readers[db->nreaders++] = c;
	pthread_mutex_unlock(&db->rlock);
	tl_reader = c;
	tl_gen = db->gen;
	return scoped(c);
}

unsigned long db_commits(void)
{
	return commits;
}

unsigned long db_thread_writes(void)
{
	return tl_writes;
}

void db_write_for(long long couple_id)
{
	tl_write_for = couple_id > 0 ? couple_id : 0;
}

void db_read_for(long long couple_id)
{
	tl_read_for = couple_id > 0 ? couple_id : 0;
}

void db_marks_now(long long couple_id, struct db_marks *m)
{
	m->couple_id = couple_id > 0 ? couple_id : 0;
	m->couple = m->couple_id ? *couple_mark(m->couple_id) : 0;
	m->global = marks_global;
	m->commits = commits;
}

bool db_read_marks(long long couple_id, struct db_marks *m)
{
	if (!tl_in_read) {
		/* the reads to come start after now */
		db_marks_now(couple_id, m);
		return true;
	}
	m->couple_id = couple_id > 0 ? couple_id : 0;
	m->commits = tl_read_commits;
	m->global = tl_begin_global;
	if (!m->couple_id || m->couple_id == tl_begin_for) {
		m->couple = m->couple_id ? tl_begin_couple : 0;
		return true;
	}
	/* Not read when the snapshot began: the couple's mark now is the one
	 * it had then only if nothing was committed since (a commit counts
	 * `commits` before the couple's mark, so read the mark first). */
	m->couple = *couple_mark(m->couple_id);
	return commits == tl_read_commits;
}

bool db_marks_same(const struct db_marks *a, const struct db_marks *b)
{
	if (a->couple_id != b->couple_id)
		return false;
	if (!a->couple_id)
		return a->commits == b->commits;
	return a->global == b->global && a->couple == b->couple;
}

/* A write waiting for the commit of its batch. */
struct db_job {
	int rc;
	bool done;
	long long write_for; /* db_write_for when it was made */
	struct db_job *next;
};

static _Thread_local bool tl_unbatched; /* the write runs without a transaction: BEGIN failed */

sqlite3 *db_write_begin(struct db *db)
{
	tl_writes++;
	read_end(); /* reads after this write must see it */
	db->queued++;
	pthread_mutex_lock(&db->wlock);
	db->queued--;
	tl_writer = db->writer;
	tl_unbatched = false;
	if (!db->batch_open) {
		if (sqlite3_exec(db->writer, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
			/* The caller's first statement will fail with the same
			 * error and db_write_end will release the lock. */
			tl_unbatched = true;
			return db->writer;
		}
		db->batch_open = true;
		db->batch_jobs = 0;
		db->jobs = NULL;
	}
	if (db_run(db->writer, "SAVEPOINT job", "") != SQLITE_OK)
		tl_unbatched = true;
	return db->writer;
}

/* True when the file at the path is the one opened, and not empty. */
static bool same_file(const struct db *db)
{
	struct stat sb;
	return stat(db->path, &sb) == 0 && sb.st_dev == db->dev && sb.st_ino == db->ino && sb.st_size > 0;
}

int db_health(struct db *db)
{
	if (!same_file(db))
		return SQLITE_CANTOPEN;
	return db->write_failure;
}

/* Ends the open batch (wlock held): commits its writes (rolls back when
 * it has none, or when the file is not the one opened), tells each of its
 * writers how it went and wakes them. */
static void batch_end(struct db *db)
{
	int rc = SQLITE_OK;
	if (!db->batch_open)
		return;
	if (sqlite3_get_autocommit(db->writer)) {
		/* SQLite rolled the transaction back itself (a full disk, an I/O
		 * error): none of the batch's writes is there */
		rc = sqlite3_extended_errcode(db->writer);
		if (rc == SQLITE_OK)
			rc = SQLITE_ABORT;
	} else if (!db->batch_jobs) {
		sqlite3_exec(db->writer, "ROLLBACK", NULL, NULL, NULL);
	} else if (!same_file(db)) {
		log_msg("store: %s is gone or is another file than the one opened; refusing writes", db->path);
		sqlite3_exec(db->writer, "ROLLBACK", NULL, NULL, NULL);
		rc = SQLITE_CANTOPEN;
	} else {
		rc = sqlite3_exec(db->writer, "COMMIT", NULL, NULL, NULL);
		/* after the commit: a count never runs ahead of the data */
		commits++;
		for (struct db_job *j = db->jobs; j; j = j->next)
			if (j->write_for)
				(*couple_mark(j->write_for))++;
			else
				marks_global++;
		if (rc != SQLITE_OK) {
			rc = sqlite3_extended_errcode(db->writer);
			sqlite3_exec(db->writer, "ROLLBACK", NULL, NULL, NULL);
		}
	}
	if (db->batch_jobs)
		db->write_failure = db_is_storage_failure(rc) ? rc : 0;
	for (struct db_job *j = db->jobs; j; j = j->next) {
		j->rc = rc;
		j->done = true;
	}
	db->jobs = NULL;
	db->batch_jobs = 0;
	db->batch_open = false;
	pthread_cond_broadcast(&db->committed);
}

/* The end of a write that began without a transaction (BEGIN failed): its
 * error, as the write had no transaction to commit. */
static int unbatched_end(struct db *db, bool ok)
{
	int rc = ok ? sqlite3_extended_errcode(db->writer) : SQLITE_OK;
	if (ok && rc == SQLITE_OK)
		rc = SQLITE_ERROR;
	/* without a transaction a statement that worked is committed on its
	 * own: count it, for anyone */
	commits++;
	marks_global++;
	if (!ok && db_is_storage_failure(sqlite3_extended_errcode(db->writer)))
		db->write_failure = sqlite3_extended_errcode(db->writer);
	if (db->batch_open && sqlite3_get_autocommit(db->writer))
		batch_end(db);
	tl_writer = NULL;
	pthread_mutex_unlock(&db->wlock);
	return rc;
}

int db_write_end(struct db *db, bool ok)
{
	if (tl_unbatched)
		return unbatched_end(db, ok);
	if (!ok && db_is_storage_failure(sqlite3_extended_errcode(db->writer)))
		db->write_failure = sqlite3_extended_errcode(db->writer);
	struct db_job me = { SQLITE_OK, false, tl_write_for, NULL };
	if (sqlite3_get_autocommit(db->writer)) {
		/* the transaction is gone, and the batch's writes with it */
		int err = sqlite3_extended_errcode(db->writer);
		batch_end(db);
		tl_writer = NULL;
		pthread_mutex_unlock(&db->wlock);
		return ok ? (err != SQLITE_OK ? err : SQLITE_ABORT) : SQLITE_OK;
	}
	if (ok && db_run(db->writer, "RELEASE job", "") != SQLITE_OK) {
		me.rc = sqlite3_extended_errcode(db->writer);
		ok = false;
	}
	if (!ok && !sqlite3_get_autocommit(db->writer)) {
		db_run(db->writer, "ROLLBACK TO job", "");
		db_run(db->writer, "RELEASE job", "");
	}
	if (ok) {
		me.next = db->jobs;
		db->jobs = &me;
		db->batch_jobs++;
	}
	tl_writer = NULL;
	if (!db->queued || db->batch_jobs >= DB_BATCH_MAX || sqlite3_get_autocommit(db->writer))
		batch_end(db); /* nobody to share the commit with: commit now */
	while (ok && !me.done)
		pthread_cond_wait(&db->committed, &db->wlock);
	pthread_mutex_unlock(&db->wlock);
	return me.rc;
}

bool db_file_present(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && sb.st_size > 0;
}

int db_backup_to(sqlite3 *c, const char *dest, char *err, size_t errlen)
{
	sqlite3_stmt *st = db_prepare(c, "VACUUM INTO ?1", "t", dest);
	int rc = st ? sqlite3_step(st) : sqlite3_errcode(c);
	if (rc != SQLITE_DONE)
		snprintf(err, errlen, "%s", sqlite3_errmsg(c));
	db_done(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int db_sync_path(const char *path, bool dir)
{
	char d[4096];
	if (dir) {
		const char *slash = strrchr(path, '/');
		snprintf(d, sizeof(d), "%.*s", slash ? (slash == path ? 1 : (int)(slash - path)) : 1,
			 slash ? path : ".");
		path = d;
	}
	int fd = open(path, (dir ? O_DIRECTORY : 0) | O_RDONLY);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

int db_backup_file(const char *db_path, const char *dest, char *err, size_t errlen)
{
	if (access(dest, F_OK) == 0) {
		snprintf(err, errlen, "it exists already; choose a new name");
		return -1;
	}
	if (access(db_path, F_OK) != 0) {
		snprintf(err, errlen, "there is no database at %s", db_path);
		return -1;
	}
	/* read-only: a second connection that wrote or checkpointed beside a
	 * running server is what the single-writer store avoids */
	sqlite3 *c = NULL;
	int ok = sqlite3_open_v2(db_path, &c, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK
		 ? 0 : -1;
	if (ok == 0) {
		sqlite3_busy_timeout(c, 5000);
		ok = db_backup_to(c, dest, err, errlen);
	} else {
		snprintf(err, errlen, "cannot open %s: %s", db_path, c ? sqlite3_errmsg(c) : "out of memory");
	}
	sqlite3_close(c);
	if (ok == 0 && (db_sync_path(dest, false) < 0 || db_sync_path(dest, true) < 0)) {
		snprintf(err, errlen, "cannot flush it to disk: %s", strerror(errno));
		ok = -1;
	}
	if (ok == 0 && db_file_check(dest, err, errlen) < 0)
		ok = -1;
	if (ok < 0)
		unlink(dest);
	return ok;
}

int db_file_check(const char *path, char *err, size_t errlen)
{
	sqlite3 *c = NULL;
	long long v = -1, tables = 0;
	int ok = -1;
	if (sqlite3_open_v2(path, &c, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open it: %s", c ? sqlite3_errmsg(c) : "out of memory");
		goto out;
	}
	if (db_integrity_check(c, err, errlen) < 0)
		goto out;
	if (db_int(c, &v, "PRAGMA user_version", "") != SQLITE_ROW ||
	    db_int(c, &tables, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
			       " AND name IN ('user', 'couple', 'member')", "") != SQLITE_ROW) {
		snprintf(err, errlen, "it cannot be read: %s", sqlite3_errmsg(c));
		goto out;
	}
	if (v < 1 || tables != 3) {
		snprintf(err, errlen, "it is not a troth database");
		goto out;
	}
	if (v > (long long)troth_migrations_len) {
		snprintf(err, errlen, "it is at schema version %lld, newer than this troth (%zu); use a newer troth",
			 v, troth_migrations_len);
		goto out;
	}
	ok = 0;
out:
	sqlite3_close(c);
	return ok;
}

int db_integrity_check(sqlite3 *c, char *err, size_t errlen)
{
	sqlite3_stmt *st = db_prepare(c, "PRAGMA integrity_check", "");
	int ok = -1;
	if (!st) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(c));
		return -1;
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);
		if (s && !strcmp(s, "ok"))
			ok = 0;
		else
			snprintf(err, errlen, "%s", s ? s : "unknown problem");
	} else {
		snprintf(err, errlen, "%s", sqlite3_errmsg(c));
	}
	db_done(st);
	return ok;
}

int db_checkpoint(struct db *db)
{
	read_end();
	pthread_mutex_lock(&db->wlock);
	batch_end(db); /* writes waiting for a commit are not held back by it */
	int rc = sqlite3_wal_checkpoint_v2(db->writer, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	pthread_mutex_unlock(&db->wlock);
	if (rc != SQLITE_OK)
		log_msg("store: a checkpoint after a deletion did not complete (%s)", sqlite3_errstr(rc));
	return rc;
}

void *db_rows(sqlite3 *c, struct arena *a, size_t elem, size_t *n, int *rc, db_row_fn *row,
	      const void *ctx, const char *sql, const char *types, ...)
{
	unsigned char *rows = NULL;
	size_t cap = 0;
	*n = 0;
	if (!c) {
		*rc = SQLITE_CANTOPEN;
		return NULL;
	}
	va_list ap;
	va_start(ap, types);
	sqlite3_stmt *st = prepare_v(c, sql, types, ap);
	va_end(ap);
	if (!st) {
		*rc = sqlite3_extended_errcode(c);
		return NULL;
	}
	while ((*rc = sqlite3_step(st)) == SQLITE_ROW) {
		rows = arena_grow(a, rows, *n, &cap, elem);
		row(st, rows + (*n)++ * elem, a, ctx);
	}
	db_done(st);
	if (*rc == SQLITE_DONE)
		*rc = SQLITE_OK;
	return rows;
}

int db_write_outcome(struct db *db, int (*fn)(sqlite3 *w, void *arg), void *arg, int *outcome,
		     int failed, int *rcp)
{
	*outcome = 0;
	*rcp = db_write(db, fn, arg);
	if (*outcome)
		return *outcome;
	return *rcp == SQLITE_OK ? 0 : failed;
}

int sealed_walk_rows(struct sealed_walk *w, sqlite3_stmt *st, int (*row)(struct sealed_walk *w, sqlite3_stmt *st))
{
	if (!st)
		return sqlite3_extended_errcode(w->c);
	int rc = SQLITE_OK, s;
	while (rc == SQLITE_OK && (s = sqlite3_step(st)) == SQLITE_ROW)
		rc = row(w, st);
	if (rc == SQLITE_OK && s != SQLITE_DONE)
		rc = s;
	db_done(st);
	return rc;
}
