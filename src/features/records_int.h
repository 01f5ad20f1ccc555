/* records_int.h: what the record files (trigger.c, harddate.c, truth.c,
 * promise.c, notes.c, journal.c) share, and nothing outside them uses:
 * keys, sealing with the record's identity, checks shared by the API and
 * the pages, and small page pieces. */
#ifndef TROTH_FEATURE_RECORDS_INT_H
#define TROTH_FEATURE_RECORDS_INT_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <time.h>

#include "../auth/auth.h"
#include "../http/req.h"

#define REC_TEXT_MAX 4000   /* every free text */
#define REC_TITLE_MAX 200   /* a label or a title */

/* An input problem, answered as a JSON error by the API and as a calm
 * notice over the kept form by the pages. */
struct rec_err {
	int status;          /* 0: no problem */
	const char *code;    /* "invalid_field", "too_long", "missing_field", ... */
	const char *field;
	const char *msg;     /* a sentence for the person */
};

/* Sets e and returns -1. */
int rec_fail(struct rec_err *e, int status, const char *code, const char *field, const char *msg);
/* Answers e as JSON (API) or leaves it for the page (status set). */
void rec_api_error(struct req *r, const struct rec_err *e);

/* Both keys of the viewer, or NULL after answering 409 keys_locked (a JSON
 * error under /api/, a calm page otherwise). Returns the couple key; the
 * data key is then r->me->sess->data_key. */
const unsigned char *rec_keys(struct req *r);

/* Today in the couple's zone, as days since 1970-01-01. */
long rec_today(const struct req *r);
/* The couple's zone (UTC when unknown). */
const struct tz *rec_tz(const struct req *r);

/* Checks a date "YYYY-MM-DD" for field; when not_future, it may not be
 * after today. Returns 0 with *day, or -1 with e set. */
int rec_day(const struct req *r, const char *s, const char *field, bool not_future, long *day,
	    struct rec_err *e);
/* Checks a text from a form: required (non-empty), at most max characters,
 * clean UTF-8. Empty optional text becomes NULL. Returns 0 or -1 with e. */
int rec_text(const char *s, const char *field, bool required, size_t max, const char **out,
	     struct rec_err *e);

/* Seals text under key with associated data "<kind>:<id>:<field>" and
 * stores it with `sql` ("UPDATE t SET col = ?1 WHERE id = ?2"); text NULL
 * stores NULL. Returns SQLITE_OK or an error. */
int rec_store_text(sqlite3 *w, const char *sql, const unsigned char *key, const char *kind,
		   long long id, const char *field, const char *text);
/* Opens column col of the current row (sealed as above) into the arena.
 * NULL when the column is NULL or the blob does not open. */
const char *rec_open(struct req *r, const unsigned char *key, const char *kind, long long id,
		     const char *field, sqlite3_stmt *st, int col);

/* A date as "YYYY-MM-DD" in the arena. */
const char *rec_date(struct req *r, long day);
/* A text or JSON null. */
json_t *rec_jstr(const char *s);
/* A day column (ISO text) for humans: "Monday 3 March 2026". */
const char *rec_human_day(struct req *r, const char *iso);

/* The form value of name ("" never: empty is NULL). */
const char *rec_field(struct req *r, const char *name);
/* A labelled textarea holding the kept value. */
void rec_textarea(struct req *r, const char *label, const char *name, const char *value,
		  const char *hint, bool required);
/* The page's error notice, when e is set (and r->status from it). */
void rec_page_notice(struct req *r, const struct rec_err *e);
/* A 404 page or JSON error. */
void rec_not_found(struct req *r);

/* An id from the route's :id, or -1. */
long long rec_param_id(struct req *r);

/* Runs the write `fn(w, arg)` inside db_write_begin/end; returns the SQLite
 * code (SQLITE_OK when committed). */
int rec_write(struct req *r, int (*fn)(sqlite3 *w, void *arg), void *arg);

/* Home-page pieces (records_home in records_common.c calls them). */

#endif
