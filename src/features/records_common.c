/* records_common.c: what every record file shares (records_int.h): keys,
 * sealing bound to the record's identity, the checks the API and the pages
 * both run, small page pieces, and the records hub page (GET /records). */
#include "records.h"
#include "records_int.h"

#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../auth/vault.h"
#include "../base/caltime.h"
#include "../base/utf8.h"
#include "../db/db.h"
#include "../ui/html.h"
#include "../ui/page.h"

int rec_fail(struct rec_err *e, int status, const char *code, const char *field, const char *msg)
{
	e->status = status;
	e->code = code;
	e->field = field;
	e->msg = msg;
	return -1;
}

void rec_api_error(struct req *r, const struct rec_err *e)
{
	req_error(r, e->status, e->code, e->msg, e->field);
}

const unsigned char *rec_keys(struct req *r)
{
	struct session *s = r->me->sess;
	if (s->data_key && s->couple_key)
		return s->couple_key;
	if (r->is_api)
		req_error(r, 409, "keys_locked",
			  "Your private notes are locked. Enter your recovery code in settings first.", NULL);
	else
		page_message(r, 409, "Your notes are locked",
			     "After a password reset your notes stay locked until you enter your recovery "
			     "code in settings.");
	return NULL;
}

const struct tz *rec_tz(const struct req *r)
{
	const struct tz *z = r->me && r->me->timezone ? tz_get(r->me->timezone) : NULL;
	return z ? z : tz_get("UTC");
}

long rec_today(const struct req *r)
{
	const struct tz *z = rec_tz(r);
	time_t now = time(NULL);
	return z ? tz_day(z, now) : (long)(now / 86400);
}

int rec_day(const struct req *r, const char *s, const char *field, bool not_future, long *day,
	    struct rec_err *e)
{
	if (!s || !*s)
		return rec_fail(e, 400, "missing_field", field, "Please give the date.");
	if (strlen(s) != 10 || date_parse(s, day) < 0)
		return rec_fail(e, 400, "invalid_field", field,
				"That date is not one we can read. Please use a day like 2026-03-01.");
	if (not_future && *day > rec_today(r))
		return rec_fail(e, 400, "invalid_field", field, "That day has not come yet. Please pick today or earlier.");
	return 0;
}

int rec_text(const char *s, const char *field, bool required, size_t max, const char **out,
	     struct rec_err *e)
{
	*out = NULL;
	if (!s || !*s) {
		if (required)
			return rec_fail(e, 400, "missing_field", field, "Please write a few words here.");
		return 0;
	}
	size_t n = strlen(s);
	if (!utf8_valid_text(s, n))
		return rec_fail(e, 400, "invalid_field", field, "This has characters we cannot store.");
	if (utf8_count(s, n) > max)
		return rec_fail(e, 400, "too_long", field, max > REC_TITLE_MAX
				? "That is longer than we can keep (4,000 characters). Please shorten it."
				: "That is longer than we can keep. Please shorten it.");
	*out = s;
	return 0;
}

int rec_store_text(sqlite3 *w, const char *sql, const unsigned char *key, const char *kind,
		   long long id, const char *field, const char *text)
{
	if (!text)
		return db_run(w, sql, "ni", id);
	char ad[96];
	struct buf sealed = BUF_INIT;
	snprintf(ad, sizeof(ad), "%s:%lld:%s", kind, id, field);
	if (vault_seal(key, ad, text, strlen(text), &sealed) < 0)
		return SQLITE_TOOBIG;
	int rc = db_run(w, sql, "bi", sealed.s, sealed.len, id);
	buf_release(&sealed);
	return rc;
}

const char *rec_open(struct req *r, const unsigned char *key, const char *kind, long long id,
		     const char *field, sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NULL;
	char ad[96];
	struct buf plain = BUF_INIT;
	snprintf(ad, sizeof(ad), "%s:%lld:%s", kind, id, field);
	const void *blob = sqlite3_column_blob(st, col);
	size_t n = (size_t)sqlite3_column_bytes(st, col);
	if (!key || vault_open(key, ad, blob, n, &plain) < 0) {
		buf_release(&plain);
		return NULL;
	}
	char *s = arena_strndup(&r->arena, plain.s, plain.len);
	sodium_memzero(plain.s, plain.len);
	buf_release(&plain);
	return s;
}

const char *rec_date(struct req *r, long day)
{
	char d[11];
	date_format(day, d);
	return arena_strdup(&r->arena, d);
}

json_t *rec_jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

const char *rec_human_day(struct req *r, const char *iso)
{
	static const char *const wd[] = { "", "Monday", "Tuesday", "Wednesday", "Thursday",
					  "Friday", "Saturday", "Sunday" };
	static const char *const mon[] = { "", "January", "February", "March", "April", "May", "June",
					   "July", "August", "September", "October", "November",
					   "December" };
	long day;
	struct civil c;
	if (!iso || date_parse(iso, &day) < 0)
		return iso ? iso : "";
	civil_from_days(day, &c);
	return arena_printf(&r->arena, "%s %d %s %d", wd[weekday_of(day)], c.d, mon[c.m], c.y);
}

const char *rec_field(struct req *r, const char *name)
{
	const char *v = kv_get(&r->form, name);
	return v && *v ? v : NULL;
}

void rec_textarea(struct req *r, const char *label, const char *name, const char *value,
		  const char *hint, bool required)
{
	html(&r->out, "<p class=\"field\"><label for=\"f-%s\">%s</label>", name, label);
	if (hint)
		html(&r->out, "<span class=\"hint\" id=\"h-%s\">%s</span>", name, hint);
	html(&r->out, "<textarea id=\"f-%s\" name=\"%s\" maxlength=\"%d\"", name, name, REC_TEXT_MAX);
	if (hint)
		html(&r->out, " aria-describedby=\"h-%s\"", name);
	if (required)
		html_unsafe_raw(&r->out, " required");
	html(&r->out, ">%s</textarea></p>\n", value ? value : "");
}

void rec_page_notice(struct req *r, const struct rec_err *e)
{
	if (!e || !e->status)
		return;
	r->status = e->status;
	html(&r->out, "<p class=\"notice notice-attention attention\" role=\"alert\">%s</p>\n", e->msg);
}

void rec_not_found(struct req *r)
{
	req_error(r, 404, "not_found", "There is nothing at this address.", NULL);
}

long long rec_param_id(struct req *r)
{
	const char *s = kv_get(&r->params, "id");
	char *end;
	if (!s || !*s || *s == '-' || *s == '+' || strlen(s) > 18)
		return -1;
	long long v = strtoll(s, &end, 10);
	return *end ? -1 : v;
}

int rec_write(struct req *r, int (*fn)(sqlite3 *w, void *arg), void *arg)
{
	sqlite3 *w = db_write_begin(&r->app->db);
	int rc = fn(w, arg);
	int end = db_write_end(&r->app->db, rc == SQLITE_OK);
	return rc != SQLITE_OK ? rc : end;
}

/* ---- the hub ---- */

void records_page(struct req *r)
{
	static const char *const items[][3] = {
		{ "/triggers", "Triggers", "Hard moments, and the plan you agreed for them." },
		{ "/hard-dates", "Hard dates", "Days that may hurt, so you can prepare together." },
		{ "/disclosures", "Disclosures", "The full truth, and anything that came later." },
		{ "/no-contact", "No contact", "The commitment to end contact, and any contact since." },
		{ "/promises", "Promises", "What was promised, and whether it was kept." },
		{ "/wins", "Small wins", "Moments that show healing is happening." },
		{ "/setbacks", "Setbacks", "Hard days are part of the road. What helped?" },
		{ "/timeline", "Trust timeline", "Your whole story, the high-trust and low-trust times." },
		{ "/journal", "My journal", "Only you can read it." },
	};
	page_begin(r, "Our records");
	html(&r->out, "<p>Trust comes back in small facts, kept over time. These records are where "
		      "you keep them.</p>\n<ul class=\"cards\">\n");
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
		html(&r->out, "<li class=\"card\"><a href=\"%s\">%s</a><br>%s</li>\n", items[i][0],
		     items[i][1], items[i][2]);
	html(&r->out, "</ul>\n<p><a href=\"/\">Back to the start page</a></p>\n");
	page_end(r);
}

/* ---- the home page ---- */

void records_home(struct req *r)
{
	struct session *s = r->me->sess;
	if (!s->data_key || !s->couple_key)
		return; /* the home page says the notes are locked */
	html(&r->out, "<p><a href=\"/records\">Our records</a>: triggers, promises, wins, the journal and more.</p>\n");
}
