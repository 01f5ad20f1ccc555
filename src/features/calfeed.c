/* calfeed.c: the calendar feed (iCalendar, RFC 5545). Each user can make a
 * secret URL that a phone's calendar subscribes to; it shows the couple's
 * rituals as recurring events with alarms and neutral titles ("Check-in",
 * "Note", "Talk", "Time together"), so a lock screen gives nothing away.
 *
 * The URL carries 32 random bytes; only their BLAKE2b hash is stored, so the
 * database cannot give the URL back. Making a new one replaces the old (which
 * then answers 404); deleting it stops the feed. The feed also stops when
 * its owner leaves the couple or is disabled. Times are in the couple's zone
 * (TZID, with a VTIMEZONE built from the zone's changes and its yearly
 * rule), or in UTC when the zone cannot be read. Hard dates are all-day
 * events whose alarm rings the day before at the time the couple chose. */
#include "calfeed.h"
#include "harddate.h"
#include "schedule.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../db/db.h"
#include "../app.h"
#include "../auth/account.h"
#include "../auth/auth.h"
#include "../ui/html.h"
#include "../ui/page.h"

#define FEED_TOKEN_BYTES 32
#define FEED_TOKEN_CHARS (CALFEED_TOKEN_SIZE - 1) /* base64url without padding */
#define FEED_HASH_BYTES 32

/* ---- writing iCalendar ---- */

/* Appends one content line, folded at 75 octets, ended by CRLF. */
static void ical(struct buf *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ical(struct buf *out, const char *fmt, ...)
{
	struct buf line = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&line, fmt, ap);
	va_end(ap);
	size_t col = 0;
	for (size_t i = 0; i < line.len; i++) {
		unsigned char ch = (unsigned char)line.s[i];
		/* fold before 75 octets, never inside a UTF-8 sequence */
		if (col >= 74 && (ch & 0xc0) != 0x80) {
			buf_add(out, "\r\n ", 3);
			col = 1;
		}
		buf_addch(out, (char)ch);
		col++;
	}
	buf_add(out, "\r\n", 2);
	buf_release(&line);
}

/* "YYYYMMDDTHHMMSS" of a local wall-clock time (days, seconds of day). */
static void local_stamp(long day, long sec, char out[16])
{
	struct civil c;
	day += sec / 86400;
	sec %= 86400;
	if (sec < 0) {
		sec += 86400;
		day--;
	}
	civil_from_days(day, &c);
	unsigned h = (unsigned)(sec / 3600) % 24, m = (unsigned)(sec / 60 % 60), s = (unsigned)(sec % 60);
	snprintf(out, 16, "%04u%02u%02uT%02u%02u%02u", (unsigned)c.y % 10000, (unsigned)c.m % 100,
		 (unsigned)c.d % 100, h, m, s);
}

static void utc_stamp(time_t t, char out[17])
{
	long day = (long)(t / 86400), sec = (long)(t % 86400);
	char s[16];
	if (sec < 0) {
		sec += 86400;
		day--;
	}
	local_stamp(day, sec, s);
	snprintf(out, 17, "%sZ", s);
}

static void offset_text(long off, char out[8])
{
	char sign = off < 0 ? '-' : '+';
	unsigned a = (unsigned)((off < 0 ? -off : off) % 86400);
	unsigned h = a / 3600 % 24, m = a / 60 % 60, s = a % 60;
	if (s)
		snprintf(out, 8, "%c%02u%02u%02u", sign, h, m, s);
	else
		snprintf(out, 8, "%c%02u%02u", sign, h, m);
}

struct change {
	time_t at;
	long from, to;
};

struct changes {
	struct change *v;
	size_t n, cap;
};

/* The changes of offset that off gives for zone z in [start, end), in
 * order, into *out (free out->v after). */
static void zone_changes(const struct tz *z, long (*off)(const struct tz *, time_t), time_t start,
			 time_t end, struct changes *out)
{
	long prev = off(z, start);
	*out = (struct changes){ NULL, 0, 0 };
	for (time_t t = start; t < end; t += 86400) {
		time_t next = t + 86400;
		long o = off(z, next);
		if (o == prev)
			continue;
		time_t lo = t, hi = next; /* off(lo) == prev, off(hi) == o */
		while (hi - lo > 1) {
			time_t mid = lo + (hi - lo) / 2;
			if (off(z, mid) == prev)
				lo = mid;
			else
				hi = mid;
		}
		if (out->n == out->cap) {
			out->cap = out->cap ? out->cap * 2 : 32;
			out->v = xrealloc(out->v, out->cap * sizeof(*out->v));
		}
		out->v[out->n++] = (struct change){ hi, prev, off(z, hi) };
		prev = off(z, hi);
	}
}

/* The RRULE value of a yearly rule day ("FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"),
 * the day being the one its local time falls on (a time past 24:00 or
 * before 00:00 moves the change to another day). False when RRULE cannot
 * say it simply: day-of-year rules, or a moved day that leaves the month. */
static bool rule_rrule(const struct tz_rule_date *d, char *out, size_t size)
{
	static const char *const WD[] = { "SU", "MO", "TU", "WE", "TH", "FR", "SA" };
	if (d->kind != 'M')
		return false;
	long shift = d->time >= 0 ? d->time / 86400 : -((-d->time + 86399) / 86400);
	if (!shift) {
		snprintf(out, size, "FREQ=YEARLY;BYMONTH=%d;BYDAY=%d%s", d->m, d->w == 5 ? -1 : d->w, WD[d->d]);
		return true;
	}
	if (d->m == 2 && d->w == 5)
		return false; /* the last week of February moves with leap years */
	int len = days_in_month(2001, d->m);
	long lo = (d->w == 5 ? len - 6 : 1 + 7 * (d->w - 1)) + shift, hi = lo + 6;
	if (lo < 1 || hi > len)
		return false;
	int n = snprintf(out, size, "FREQ=YEARLY;BYMONTH=%d;BYMONTHDAY=", d->m);
	for (long day = lo; day <= hi && n > 0 && (size_t)n < size; day++)
		n += snprintf(out + n, size - (size_t)n, "%s%ld", day > lo ? "," : "", day);
	if (n > 0 && (size_t)n < size)
		n += snprintf(out + n, size - (size_t)n, ";BYDAY=%s", WD[((d->d + shift) % 7 + 7) % 7]);
	return n > 0 && (size_t)n < size;
}

/* One observance: the change c, from its onset (written in the local time
 * before it, as RFC 5545 asks), repeating by rrule when not NULL. */
static void observance(struct buf *out, const struct change *c, const char *rrule)
{
	char from[8], to[8], st[16];
	const char *kind = c->to > c->from ? "DAYLIGHT" : "STANDARD";
	offset_text(c->from, from);
	offset_text(c->to, to);
	local_stamp((long)(c->at / 86400), (long)(c->at % 86400) + c->from, st);
	ical(out, "BEGIN:%s", kind);
	ical(out, "DTSTART:%s", st);
	ical(out, "TZOFFSETFROM:%s", from);
	ical(out, "TZOFFSETTO:%s", to);
	if (rrule)
		ical(out, "RRULE:%s", rrule);
	ical(out, "END:%s", kind);
}

/* A VTIMEZONE for zone z from start on, read alike by every common parser
 * (many read only the first value of a multi-valued RDATE, so there is
 * none; vobject takes a zone without changes from 2000 to 2020 for UTC, so
 * start should be before 2000): one observance for the offset in force at
 * start, one for each
 * change in [start, end) the zone's own rule does not describe, then, once
 * the rule describes every change, a yearly RRULE observance for each of
 * its two changes, without end. A zone without daylight saving gets only
 * its changes, the last holding for ever. */
static void vtimezone(struct buf *out, const struct tz *z, const char *name, time_t start, time_t end)
{
	struct changes act, rul = { NULL, 0, 0 };
	zone_changes(z, tz_offset, start, end, &act);
	const struct change *ch = act.v;
	size_t n = act.n, from_rule = n;
	struct tz_rule rule;
	char rr_start[128], rr_end[128];
	if (tz_rule(z, &rule) && rule.dst && rule_rrule(&rule.start, rr_start, sizeof(rr_start)) &&
	    rule_rrule(&rule.end, rr_end, sizeof(rr_end))) {
		/* the longest run of the zone's last changes the rule gives too */
		zone_changes(z, tz_rule_offset, start, end, &rul);
		size_t m = rul.n, same = 0;
		const struct change *rc = rul.v;
		while (same < n && same < m && ch[n - 1 - same].at == rc[m - 1 - same].at &&
		       ch[n - 1 - same].from == rc[m - 1 - same].from &&
		       ch[n - 1 - same].to == rc[m - 1 - same].to)
			same++;
		if (same >= 2)
			from_rule = n - same;
	}
	char off0[8], st[16];
	long o = tz_offset(z, start);
	offset_text(o, off0);
	local_stamp((long)(start / 86400), (long)(start % 86400) + o, st);
	ical(out, "BEGIN:VTIMEZONE");
	ical(out, "TZID:%s", name);
	ical(out, "BEGIN:STANDARD");
	ical(out, "DTSTART:%s", st);
	ical(out, "TZOFFSETFROM:%s", off0);
	ical(out, "TZOFFSETTO:%s", off0);
	ical(out, "END:STANDARD");
	for (size_t i = 0; i < from_rule; i++)
		observance(out, &ch[i], NULL);
	if (from_rule < n) {
		/* the rule's DST start is the change to its DST offset */
		for (size_t i = from_rule; i < from_rule + 2; i++)
			observance(out, &ch[i], ch[i].to == rule.dst_off ? rr_start : rr_end);
	}
	ical(out, "END:VTIMEZONE");
	free(act.v);
	free(rul.v);
}

static const char *const BYDAY[] = { "MO", "TU", "WE", "TH", "FR", "SA", "SU" };

struct ritual_event {
	const char *uid, *summary;
	int weekday;    /* 0: daily */
	int minute;
	int duration;   /* minutes */
};

static void vevent(struct buf *out, const struct ritual_event *e, const struct tz *z, const char *zone,
		   long anchor, long long couple_id, long long user_id, const char *dtstamp,
		   const char *modified, int reminder)
{
	long day = anchor;
	char st[17];
	while (e->weekday && weekday_of(day) != e->weekday)
		day++;
	ical(out, "BEGIN:VEVENT");
	ical(out, "UID:%s-%lld-%lld@troth", e->uid, couple_id, user_id);
	ical(out, "DTSTAMP:%s", dtstamp);
	ical(out, "LAST-MODIFIED:%s", modified);
	if (z) {
		local_stamp(day, (long)e->minute * 60, st);
		ical(out, "DTSTART;TZID=%s:%s", zone, st);
	} else {
		utc_stamp((time_t)day * 86400 + (time_t)e->minute * 60, st);
		ical(out, "DTSTART:%s", st);
	}
	ical(out, "DURATION:PT%dM", e->duration);
	if (e->weekday)
		ical(out, "RRULE:FREQ=WEEKLY;BYDAY=%s", BYDAY[e->weekday - 1]);
	else
		ical(out, "RRULE:FREQ=DAILY");
	ical(out, "SUMMARY:%s", e->summary);
	ical(out, "CLASS:PRIVATE");
	ical(out, "TRANSP:TRANSPARENT");
	ical(out, "BEGIN:VALARM");
	ical(out, "ACTION:DISPLAY");
	ical(out, "DESCRIPTION:%s", e->summary);
	if (reminder)
		ical(out, "TRIGGER:-PT%dM", reminder);
	else
		ical(out, "TRIGGER:PT0S");
	ical(out, "END:VALARM");
	ical(out, "END:VEVENT");
}

void calfeed_write(struct buf *out, const struct ritual_schedule *s, const char *zone_name,
		   long long couple_id, long long user_id, time_t created, time_t now,
		   const long *hard_days, size_t n_hard)
{
	const struct tz *z = zone_name ? tz_get(zone_name) : NULL;
	time_t since = s->updated_at > created ? s->updated_at : created;
	/* events start four weeks before the schedule was set, so recent past
	 * occurrences show too; the zone is described from 2000 (or a year
	 * before the events, if earlier), its listed changes read until twelve
	 * years after the events start */
	long anchor = (z ? tz_day(z, since) : (long)(since / 86400)) - 28;
	char dtstamp[17], modified[17];
	utc_stamp(now, dtstamp);
	utc_stamp(since, modified);
	ical(out, "BEGIN:VCALENDAR");
	ical(out, "VERSION:2.0");
	ical(out, "PRODID:-//troth//rituals//EN");
	ical(out, "CALSCALE:GREGORIAN");
	ical(out, "METHOD:PUBLISH");
	ical(out, "X-WR-CALNAME:Reminders");
	if (z)
		ical(out, "X-WR-TIMEZONE:%s", zone_name);
	ical(out, "REFRESH-INTERVAL;VALUE=DURATION:PT6H");
	ical(out, "X-PUBLISHED-TTL:PT6H");
	if (z) {
		long from = days_from_civil(2000, 1, 1);
		if (anchor - 366 < from)
			from = anchor - 366;
		vtimezone(out, z, zone_name, (time_t)from * 86400, (time_t)(anchor + 12 * 366) * 86400);
	}
	const struct ritual_event events[] = {
		{ "checkin", "Check-in", s->checkin_weekday, s->checkin_minute, 15 },
		{ "note", "Note", 0, s->appreciation_minute, 5 },
		{ "talk", "Talk", s->vulnerability_weekday, s->vulnerability_minute, 20 },
		{ "together", "Time together", s->connection_weekday, s->connection_minute, 60 },
	};
	for (size_t i = 0; i < sizeof(events) / sizeof(*events); i++) {
		if (i == 3 && !s->connection_weekday)
			continue; /* no fixed time together */
		vevent(out, &events[i], z, zone_name, anchor, couple_id, user_id, dtstamp, modified,
		       s->reminder_minutes);
	}
	/* hard dates: a neutral all-day "Reminder", its alarm the day before at
	 * the chosen local time: the all-day start is local midnight, so the
	 * trigger is that many minutes before it */
	char hard_trigger[24];
	int before = 1440 - (s->hard_date_reminder_minute >= 0 && s->hard_date_reminder_minute < 1440
				     ? s->hard_date_reminder_minute : 18 * 60);
	if (before == 1440)
		snprintf(hard_trigger, sizeof(hard_trigger), "-P1D");
	else if (before % 60 == 0)
		snprintf(hard_trigger, sizeof(hard_trigger), "-PT%dH", before / 60);
	else if (before < 60)
		snprintf(hard_trigger, sizeof(hard_trigger), "-PT%dM", before);
	else
		snprintf(hard_trigger, sizeof(hard_trigger), "-PT%dH%dM", before / 60, before % 60);
	for (size_t i = 0; i < n_hard; i++) {
		struct civil c;
		civil_from_days(hard_days[i], &c);
		ical(out, "BEGIN:VEVENT");
		ical(out, "UID:day-%ld-%lld-%lld@troth", hard_days[i], couple_id, user_id);
		ical(out, "DTSTAMP:%s", dtstamp);
		ical(out, "DTSTART;VALUE=DATE:%04u%02u%02u", (unsigned)c.y % 10000u, (unsigned)c.m % 100u,
		     (unsigned)c.d % 100u);
		ical(out, "SUMMARY:Reminder");
		ical(out, "CLASS:PRIVATE");
		ical(out, "TRANSP:TRANSPARENT");
		ical(out, "BEGIN:VALARM");
		ical(out, "ACTION:DISPLAY");
		ical(out, "DESCRIPTION:Reminder");
		ical(out, "TRIGGER:%s", hard_trigger);
		ical(out, "END:VALARM");
		ical(out, "END:VEVENT");
	}
	ical(out, "END:VCALENDAR");
}

/* ---- the secret URL ---- */

static void token_hash(const char *token, unsigned char h[FEED_HASH_BYTES])
{
	crypto_generichash(h, FEED_HASH_BYTES, (const unsigned char *)token, strlen(token), NULL, 0);
}

int calfeed_make(struct req *r, char token[CALFEED_TOKEN_SIZE])
{
	unsigned char raw[FEED_TOKEN_BYTES], h[FEED_HASH_BYTES];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(token, FEED_TOKEN_CHARS + 1, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	token_hash(token, h);
	sqlite3 *w = db_write_begin(&r->app->db);
	int rc = db_run(w, "INSERT INTO calendar_feed(user_id, couple_id, token_hash, created_at)"
			   " VALUES(?1, ?2, ?3, ?4) ON CONFLICT(user_id) DO UPDATE SET couple_id = ?2,"
			   " token_hash = ?3, created_at = ?4",
			"iibi", r->me->user_id, r->me->couple_id, h, sizeof(h), (long long)r->now);
	int end = db_write_end(&r->app->db, rc == SQLITE_OK);
	return rc == SQLITE_OK ? end : rc;
}

int calfeed_stop(struct req *r)
{
	sqlite3 *w = db_write_begin(&r->app->db);
	int rc = db_run(w, "DELETE FROM calendar_feed WHERE user_id = ?1", "i", r->me->user_id);
	int end = db_write_end(&r->app->db, rc == SQLITE_OK);
	return rc == SQLITE_OK ? end : rc;
}

const char *calfeed_url(struct req *r, const char *token)
{
	/* from the configured public URL: never from the Host header, which
	 * the client writes */
	return app_url(&r->arena, &r->app->cfg, arena_printf(&r->arena, "/calendar/%s.ics", token));
}

bool calfeed_active(struct req *r)
{
	long long n = 0;
	sqlite3 *c = db_reader(&r->app->db);
	return c && db_int(c, &n, "SELECT count(*) FROM calendar_feed WHERE user_id = ?1 AND couple_id = ?2",
			   "ii", r->me->user_id, r->me->couple_id) == SQLITE_ROW && n > 0;
}

void calfeed_api_create(struct req *r)
{
	char token[FEED_TOKEN_CHARS + 1];
	if (req_no_body(r) < 0)
		return;
	if (!req_db_ok(r, calfeed_make(r, token)))
		return;
	req_json(r, 201, json_pack("{s:s}", "url", calfeed_url(r, token)));
	sodium_memzero(token, sizeof(token));
}

void calfeed_api_delete(struct req *r)
{
	if (!req_db_ok(r, calfeed_stop(r)))
		return;
	r->status = 204;
}

struct hard_list {
	struct req *r;
	long *days;
	size_t n, cap;
};

static int collect_hard(void *arg, long long id, long day, bool yearly)
{
	struct hard_list *l = arg;
	(void)id;
	(void)yearly;
	l->days = arena_grow(&l->r->arena, l->days, l->n, &l->cap, sizeof(*l->days));
	l->days[l->n++] = day;
	return 0;
}

static void not_found(struct req *r)
{
	req_error(r, 404, "not_found", "There is nothing at this address.", NULL);
}

void calfeed_page(struct req *r)
{
	char token[FEED_TOKEN_CHARS + 1];
	unsigned char h[FEED_HASH_BYTES];
	const char *p = kv_get(&r->params, "token");
	size_t n = p ? strlen(p) : 0;
	if (n == FEED_TOKEN_CHARS + 4 && !strcmp(p + FEED_TOKEN_CHARS, ".ics"))
		n = FEED_TOKEN_CHARS;
	if (n != FEED_TOKEN_CHARS) {
		not_found(r);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", p[i]) || !p[i]) {
			not_found(r);
			return;
		}
	memcpy(token, p, n);
	token[n] = '\0';
	token_hash(token, h);
	sodium_memzero(token, sizeof(token));
	sqlite3 *c = db_reader(&r->app->db);
	if (!c) {
		req_db_error(r, SQLITE_CANTOPEN);
		return;
	}
	sqlite3_stmt *st = db_prepare(c, "SELECT user_id, couple_id, created_at FROM calendar_feed WHERE token_hash = ?1",
				      "b", h, sizeof(h));
	if (!st) {
		req_db_error(r, sqlite3_extended_errcode(c));
		return;
	}
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		db_done(st);
		if (rc == SQLITE_DONE)
			not_found(r);
		else
			req_db_error(r, rc);
		return;
	}
	long long user_id = sqlite3_column_int64(st, 0), couple_id = sqlite3_column_int64(st, 1);
	time_t created = (time_t)sqlite3_column_int64(st, 2);
	db_done(st);
	/* the owner must still be in that couple, and not disabled */
	const char *zone;
	if ((rc = acct_active_member(c, user_id, couple_id, &r->arena, &zone)) != SQLITE_OK) {
		if (rc == SQLITE_NOTFOUND)
			not_found(r);
		else
			req_db_error(r, rc);
		return;
	}
	struct ritual_schedule s;
	if ((rc = ritual_schedule_load(c, couple_id, &s)) != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	struct hard_list hl = { r, NULL, 0, 0 };
	const struct tz *z = tz_get(zone);
	long today = z ? tz_day(z, r->now) : (long)(r->now / 86400);
	if ((rc = hard_dates_upcoming(c, couple_id, today, today + 365, collect_hard, &hl)) != SQLITE_OK) {
		req_db_error(r, rc);
		return;
	}
	r->status = 200;
	r->content_type = "text/calendar; charset=utf-8";
	calfeed_write(&r->out, &s, zone, couple_id, user_id, created, r->now, hl.days, hl.n);
}

/* What parting and closing an account run on this room's tables (db/db.h). */
const struct room_sql calfeed_sql = {
	.clear = "DELETE FROM calendar_feed WHERE couple_id = ?1; ",
	.forget = "DELETE FROM calendar_feed WHERE user_id = ?1; ",
};
