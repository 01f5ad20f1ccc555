/* featkit.h: small helpers the issue-6 features (roadmap, readiness, safety,
 * agreements, transparency, vision, recovery criteria) share: sealing and
 * opening free text, the couple's today, the partner's id, numeric path
 * parameters and form fields. No SQL of its own beyond the partner lookup. */
#ifndef TROTH_FEATKIT_H
#define TROTH_FEATKIT_H

#include <stdbool.h>
#include <stddef.h>

#include <sqlite3.h>

#include "../base/buf.h"
#include "../http/req.h"

/* The viewer's data key, or NULL after answering 409 keys_locked. */
const unsigned char *fk_data_key(struct req *r);
/* The couple key, or NULL after answering 409 keys_locked. */
const unsigned char *fk_couple_key(struct req *r);

/* Seals text (NUL-terminated) under key with ad into out (cleared first).
 * Returns 0, or -1 (nothing answered). */
int fk_seal(const unsigned char *key, const char *ad, const char *text, struct buf *out);
/* Opens a sealed blob into an arena string; NULL when blob is NULL or does
 * not open (a record that is not the viewer's to read). */
const char *fk_open(struct req *r, const unsigned char *key, const char *ad, const void *blob,
		    size_t n);
/* Column i of a row as an opened string (NULL for SQL NULL). */
const char *fk_open_col(struct req *r, const unsigned char *key, const char *ad,
			sqlite3_stmt *st, int i);

/* Today in the couple's time zone (days since 1970-01-01); UTC when the
 * zone is unknown. */
long fk_today(const struct req *r);

/* The user id of the viewer's partner, or 0 when none has joined. */
long long fk_partner_id(struct req *r);

/* The path parameter `name` as an integer in [1, max]; -1 when it is not. */
long long fk_param_id(struct req *r, const char *name, long long max);

/* A form field, NULL when absent or empty. */
const char *fk_form(struct req *r, const char *name);

/* Answers the error of a failed SQLite call on connection c (503/500). */
void fk_db_error(struct req *r, sqlite3 *c);

/* True when s is at most max code points of clean text (what jin_str
 * accepts). */
bool fk_text_ok(const char *s, size_t max_chars);

#endif
