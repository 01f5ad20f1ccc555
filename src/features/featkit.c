/* featkit.c: see featkit.h. */
#include "featkit.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../app.h"
#include "../auth/auth.h"
#include "../auth/vault.h"
#include "../base/caltime.h"
#include "../base/utf8.h"
#include "account.h"

const unsigned char *fk_data_key(struct req *r)
{
	if (!r->me->sess->data_key) {
		account_error(r, ACCT_LOCKED, 0);
		return NULL;
	}
	return r->me->sess->data_key;
}

const unsigned char *fk_couple_key(struct req *r)
{
	if (!r->me->sess->couple_key) {
		account_error(r, ACCT_LOCKED, 0);
		return NULL;
	}
	return r->me->sess->couple_key;
}

int fk_seal(const unsigned char *key, const char *ad, const char *text, struct buf *out)
{
	buf_reset(out);
	return vault_seal(key, ad, text, strlen(text), out);
}

const char *fk_open(struct req *r, const unsigned char *key, const char *ad, const void *blob,
		    size_t n)
{
	struct buf b;
	if (!blob || !key)
		return NULL;
	buf_init(&b, n);
	if (vault_open(key, ad, blob, n, &b) < 0) {
		buf_release(&b);
		return NULL;
	}
	char *s = arena_strndup(&r->arena, b.s, b.len);
	sodium_memzero(b.s, b.len);
	buf_release(&b);
	return s;
}

const char *fk_open_col(struct req *r, const unsigned char *key, const char *ad,
			sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	const void *blob = sqlite3_column_blob(st, i);
	return fk_open(r, key, ad, blob, (size_t)sqlite3_column_bytes(st, i));
}

long fk_today(const struct req *r)
{
	time_t now = time(NULL);
	const struct tz *z = r->me && r->me->timezone ? tz_get(r->me->timezone) : NULL;
	if (z)
		return tz_day(z, now);
	return (long)(now / 86400);
}

long long fk_partner_id(struct req *r)
{
	long long id = 0;
	sqlite3 *c = db_reader(&r->app->db);
	if (!c || !r->me->couple_id ||
	    db_int(c, &id, "SELECT user_id FROM member WHERE couple_id = ?1 AND user_id <> ?2", "ii",
		   r->me->couple_id, r->me->user_id) != SQLITE_ROW)
		return 0;
	return id;
}

long long fk_param_id(struct req *r, const char *name, long long max)
{
	const char *s = kv_get(&r->params, name);
	char *end;
	if (!s || !*s || *s < '0' || *s > '9' || strlen(s) > 18)
		return -1;
	long long v = strtoll(s, &end, 10);
	if (*end || v < 1 || v > max)
		return -1;
	return v;
}

const char *fk_form(struct req *r, const char *name)
{
	const char *v = kv_get(&r->form, name);
	return v && *v ? v : NULL;
}

void fk_db_error(struct req *r, sqlite3 *c)
{
	req_db_error(r, c ? sqlite3_extended_errcode(c) : SQLITE_CANTOPEN);
}

bool fk_text_ok(const char *s, size_t max_chars)
{
	size_t n = strlen(s);
	return utf8_valid_text(s, n) && utf8_count(s, n) <= max_chars;
}
