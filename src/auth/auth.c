/* auth.c: the central checks before every handler; see auth.h. */
#include "auth.h"

#include <string.h>
#include <strings.h>

#include "../app.h"
#include "../base/caltime.h"
#include "../db/db.h"
#include "../http/input.h"
#include "../http/pagecache.h"
#include "account.h"

void auth_install(void)
{
	http_auth_hook = auth_check;
	http_release_hook = auth_release;
	session_end_hook = pagecache_forget_session;
}

const char *auth_cookie_name(const struct req *r)
{
	return r->tls ? "__Host-troth" : "troth";
}

void auth_set_cookie(struct req *r, const char *token)
{
	const char *name = auth_cookie_name(r);
	const char *secure = r->tls ? "; Secure" : "";
	if (token)
		req_header(r, "Set-Cookie",
			   arena_printf(&r->arena, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s",
					name, token, secure));
	else
		req_header(r, "Set-Cookie",
			   arena_printf(&r->arena, "%s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
					name, secure));
}

const char *auth_csrf(const struct req *r)
{
	return r->me && r->me->sess ? r->me->sess->csrf : "";
}

void auth_release(struct req *r)
{
	if (r->me && r->me->sess) {
		session_put(r->me->sess);
		r->me->sess = NULL;
	}
}

/* Loads user and membership for a live session. Returns 0, or -1 when the
 * user is gone or disabled. */
static int load_viewer(struct req *r, struct session *s)
{
	db_read_for(s->couple_seen); /* most likely the couple of last time */
	sqlite3 *c = db_reader(&r->app->db);
	if (!c)
		return -1;
	sqlite3_stmt *st = acct_viewer_row(c, s->user_id);
	if (!st || sqlite3_column_int(st, 3)) {
		db_done(st);
		return -1;
	}
	struct viewer *v = arena_alloc(&r->arena, sizeof(*v));
	v->user_id = s->user_id;
	v->username = arena_strdup(&r->arena, (const char *)sqlite3_column_text(st, 0));
	v->display_name = arena_strdup(&r->arena, (const char *)sqlite3_column_text(st, 1));
	v->is_operator = sqlite3_column_int(st, 2) != 0;
	v->kind = !strcmp((const char *)sqlite3_column_text(st, 9), "therapist") ? VIEWER_THERAPIST
										     : VIEWER_PARTNER;
	v->couple_id = sqlite3_column_int64(st, 4);
	if (v->couple_id) {
		v->role = arena_strdup(&r->arena, (const char *)sqlite3_column_text(st, 5));
		v->timezone = arena_strdup(&r->arena, (const char *)sqlite3_column_text(st, 6));
		v->tz = tz_get(v->timezone);
		v->partner_id = sqlite3_column_int64(st, 7);
		if (v->partner_id)
			v->partner_name = arena_strdup(&r->arena, (const char *)sqlite3_column_text(st, 8));
	}
	if (!v->tz)
		v->tz = tz_get("UTC");
	v->sess = s;
	s->couple_seen = v->couple_id;
	v->data_key = s->data_key;
	v->couple_key = s->couple_key;
	r->me = v;
	db_done(st);
	return 0;
}

static const char *bearer_token(struct req *r)
{
	const char *h = kv_geti(&r->headers, "Authorization");
	if (!h || strncasecmp(h, "Bearer ", 7))
		return NULL;
	h += 7;
	while (*h == ' ')
		h++;
	return h;
}

/* True when the request comes from another site. Browsers say so in
 * Sec-Fetch-Site; without it, an Origin that names another host than ours.
 * "Origin: null" alone decides nothing: our own pages send it, because every
 * page has Referrer-Policy: no-referrer. The CSRF token and SameSite=Strict
 * cookies stand behind this check. */
static bool cross_origin(struct req *r)
{
	const char *site = kv_geti(&r->headers, "Sec-Fetch-Site");
	const char *origin = kv_geti(&r->headers, "Origin");
	const char *host = kv_geti(&r->headers, "Host");
	if (site)
		return !strcmp(site, "cross-site") || !strcmp(site, "same-site");
	if (!origin || !strcmp(origin, "null"))
		return false;
	const char *p = strstr(origin, "://");
	return !host || !p || strcmp(p + 3, host) != 0;
}

static int deny_login(struct req *r)
{
	if (r->is_api) {
		req_error(r, 401, "unauthenticated", "Please log in first.", NULL);
	} else {
		req_redirect(r, "/login");
	}
	return -1;
}

int auth_check(struct req *r, const struct route *rt)
{
	bool changes = strcmp(r->method, "GET") && strcmp(r->method, "HEAD");
	const char *token = bearer_token(r);
	bool via_bearer = token != NULL;
	struct session *s = NULL;

	/* a request dispatched again (after its slow job or its wait) resolves
	 * its viewer anew: the reference the last dispatch took goes back */
	auth_release(r);
	r->me = NULL;

	if (changes && cross_origin(r)) {
		req_error(r, 403, "cross_origin", "Requests from other sites are not accepted.", NULL);
		return -1;
	}
	if (!token)
		token = kv_get(&r->cookies, auth_cookie_name(r));
	if (token && r->app) {
		s = session_find(token);
		if (s && s->bearer != via_bearer) {
			session_put(s);
			s = NULL;
		}
		if (s && load_viewer(r, s) < 0) {
			session_end(s);
			session_put(s);
			s = NULL;
		}
	}
	/* a partner's writes are for their couple; anyone else's for anyone
	 * (db.h, marks) */
	db_write_for(viewer_marks_couple(r->me));
	if (!(rt->flags & (R_LOGIN | R_COUPLE | R_OPERATOR | R_CSRF)))
		return 0;
	if (!r->me)
		return deny_login(r);
	if ((rt->flags & R_OPERATOR) && !r->me->is_operator) {
		req_error(r, 404, "not_found", "There is nothing at this address.", NULL);
		return -1;
	}
	if ((rt->flags & R_COUPLE) && !r->me->couple_id) {
		if (r->is_api)
			req_error(r, 409, "no_couple", "This needs a couple. Create one or join your partner first.", NULL);
		else
			req_redirect(r, "/couple");
		return -1;
	}
	/* A browser session changing state must prove the page came from us:
	 * the form's csrf field, or the X-CSRF-Token header for scripts. */
	if (changes && !r->me->sess->bearer) {
		const char *sent = kv_geti(&r->headers, "X-CSRF-Token");
		if (!sent && !r->is_api) {
			if (req_form_body(r) < 0)
				return -1;
			sent = kv_get(&r->form, "csrf");
		}
		if (!session_csrf_ok(r->me->sess, sent)) {
			req_error(r, 403, "csrf_failed",
				  "This form has expired. Please go back, reload the page and try again.", NULL);
			return -1;
		}
	}
	return 0;
}

long viewer_today(const struct req *r)
{
	return viewer_day_of(r, (long long)r->now);
}

void viewer_week(const struct req *r, struct isoweek *w)
{
	isoweek_of(viewer_today(r), w);
}

long viewer_day_of(const struct req *r, long long t)
{
	const struct tz *z = r->me && r->me->tz ? r->me->tz : tz_get("UTC");
	return z ? tz_day(z, (time_t)t) : (long)(t / 86400);
}

long long viewer_marks_couple(const struct viewer *v)
{
	return v && v->kind == VIEWER_PARTNER ? v->couple_id : 0;
}

const char *viewer_partner_word(const struct req *r, bool cap)
{
	if (r->me && r->me->partner_name)
		return r->me->partner_name;
	return cap ? "Your partner" : "your partner";
}

const char auth_locked_text[] =
	"Your notes are locked after a password reset. Enter your recovery code in settings "
	"to open them again.";

void auth_keys_locked(struct req *r)
{
	req_error(r, 409, "keys_locked", auth_locked_text, NULL);
}

const unsigned char *auth_couple_key(struct req *r)
{
	const unsigned char *k = r->me ? r->me->couple_key : NULL;
	if (!k)
		auth_keys_locked(r);
	return k;
}

const unsigned char *auth_data_key(struct req *r)
{
	const unsigned char *k = r->me ? r->me->data_key : NULL;
	if (!k)
		auth_keys_locked(r);
	return k;
}

const unsigned char *auth_keys(struct req *r)
{
	if (!r->me || !r->me->data_key || !r->me->couple_key) {
		auth_keys_locked(r);
		return NULL;
	}
	return r->me->couple_key;
}

bool auth_author(struct req *r, long long *couple_id, long long *author_id, long long *at)
{
	if (!auth_keys(r))
		return false;
	*couple_id = r->me->couple_id;
	*author_id = r->me->user_id;
	*at = (long long)r->now;
	return true;
}

void auth_day_list(struct req *r, long span, const char *key,
		   json_t *(*items)(struct req *r, const struct viewer *v, long from, long to))
{
	long from, to;
	struct input_err e;
	if (input_day_range(r, viewer_today(r), span, &from, &to, &e) < 0) {
		input_answer(r, &e);
		return;
	}
	if (!auth_couple_key(r))
		return;
	json_t *a = items(r, r->me, from, to);
	if (a)
		req_json(r, 200, json_pack("{s:o}", key, a));
}

void auth_json_list(struct req *r, const char *key, auth_reader *read)
{
	if (!auth_couple_key(r))
		return;
	json_t *arr = read(r, r->me, 0);
	if (arr)
		req_json(r, 200, json_pack("{s:o}", key, arr));
}

void auth_json_one(struct req *r, int status, const char *key, auth_reader *read, long long id)
{
	json_t *arr = read(r, r->me, id);
	if (!arr)
		return;
	req_json(r, status, json_pack("{s:O}", key, json_array_get(arr, 0)));
	json_decref(arr);
}

int viewer_seal_plain(struct req *r, const struct viewer *v, const char *waiting,
		      int (*run)(sqlite3 *w, void *arg))
{
	sqlite3 *c = db_reader(&r->app->db);
	long long any = 0;
	if (!v->couple_key || !v->couple_id)
		return SQLITE_OK;
	int rc = c ? db_int(c, &any, waiting, "i", v->couple_id) : SQLITE_CANTOPEN;
	if (rc != SQLITE_ROW)
		return rc;
	struct seal_plain_job j = { v, &r->arena };
	return any ? db_write(&r->app->db, run, &j) : SQLITE_OK;
}
