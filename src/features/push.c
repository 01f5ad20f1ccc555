/* push.c: reminders by Web Push (see push.h). Every SQL statement on the
 * push tables is here. Whether something is still to do is asked of the
 * room that owns it (appreciation.c, checkin.c, promise.c,
 * vulnerability.c, agreement.c, harddate.c, counsel.c), which answers from plain
 * columns only: no sealed text is opened, and no payload carries a name,
 * a record's kind or a word anyone wrote: only one of the neutral
 * wordings below. */
#include "push.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../app.h"
#include "../auth/account.h"
#include "../auth/auth.h"
#include "../base/caltime.h"
#include "../base/log.h"
#include "../base/webpush.h"
#include "../http/jsonin.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"
#include "account.h"
#include "agreement.h"
#include "appreciation.h"
#include "counsel.h"
#include "checkin.h"
#include "harddate.h"
#include "promise.h"
#include "schedule.h"
#include "vulnerability.h"

/* ---- what a reminder may be about, and what it may say ---- */

enum kind { K_APPRECIATION, K_CHECKIN, K_PROMISE, K_SHARE, K_AGREEMENT, K_HARDDATE, K_SUGGESTION, K_COUNT };

/* name: the plain column and the API's key; label: what Settings shows
 * the person (never a notification) */
static const struct {
	const char *name, *label;
} KINDS[K_COUNT] = {
	[K_APPRECIATION] = { "appreciation", "Today's appreciation, if it is not written yet" },
	[K_CHECKIN] = { "checkin", "The weekly check-in, at your chosen day and hour, if it is not answered yet" },
	[K_PROMISE] = { "promise", "A promise made to you that is due today" },
	[K_SHARE] = { "share", "Something your partner shared, waiting for you" },
	[K_AGREEMENT] = { "agreement", "An agreement waiting for your answer" },
	[K_HARDDATE] = { "hard_date", "A hard date tomorrow, gently, the evening before" },
	[K_SUGGESTION] = { "suggestion", "A suggestion from your counsellor, until you have read it" },
};

/* The neutral words a notification shows: a person picks one in Settings
 * and sees them there as their lock screen will. */
static const struct {
	const char *title, *body;
} WORDINGS[] = {
	{ "A reminder", "Something is waiting for you." },
	{ "Hello", "A moment for you, when you are ready." },
	{ "Reminder", "Open when you have a minute." },
};
#define N_WORDINGS ((int)(sizeof(WORDINGS) / sizeof(WORDINGS[0])))

/* A person's choices; the defaults until they change them. */
struct prefs {
	int off;          /* a bit per kind switched off */
	int quiet_from;   /* minutes after local midnight */
	int quiet_to;
	int per_day;      /* at most this many reminders a day */
	int wording;
};
static const struct prefs DEFAULT_PREFS = { 0, 21 * 60, 8 * 60, 3, 0 };

#define MAX_DEVICES 10
#define ENDPOINT_MAX 1024
#define LABEL_MAX 64
#define MAX_TRIES 5          /* a message is tried at most this often */
#define DEVICE_GAP 60        /* seconds between two tries on one device */
#define BACKOFF_MAX 3600
#define MESSAGE_TTL (4 * 3600)

static bool quiet_at(const struct prefs *p, int minute)
{
	if (p->quiet_from == p->quiet_to)
		return false;
	if (p->quiet_from < p->quiet_to)
		return minute >= p->quiet_from && minute < p->quiet_to;
	return minute >= p->quiet_from || minute < p->quiet_to;
}

static void prefs_row(sqlite3_stmt *st, void *x)
{
	struct prefs *p = x;
	p->off = sqlite3_column_int(st, 0);
	p->quiet_from = sqlite3_column_int(st, 1);
	p->quiet_to = sqlite3_column_int(st, 2);
	p->per_day = sqlite3_column_int(st, 3);
	p->wording = sqlite3_column_int(st, 4);
	if (p->wording < 0 || p->wording >= N_WORDINGS)
		p->wording = 0;
}

/* A person's choices, or the defaults when they have made none. */
static int prefs_load(sqlite3 *c, long long user_id, struct prefs *p)
{
	*p = DEFAULT_PREFS;
	return db_one(c, prefs_row, p, "SELECT off, quiet_from, quiet_to, per_day, wording FROM push_pref"
				       " WHERE user_id = ?1", "i", user_id);
}

/* ---- the VAPID key pair: made once, kept in the store ---- */

static pthread_mutex_t key_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	struct db *db;
	bool loaded;
	uint8_t priv[WEBPUSH_PRIV_SIZE], pub[WEBPUSH_PUB_SIZE];
} vapid;

struct key_new {
	uint8_t priv[WEBPUSH_PRIV_SIZE], pub[WEBPUSH_PUB_SIZE];
	time_t now;
};

static int key_store(sqlite3 *w, void *arg)
{
	const struct key_new *k = arg;
	/* a key already made stays: every subscription is bound to it */
	return db_run(w, "INSERT OR IGNORE INTO push_key(id, priv, pub, created_at) VALUES(1, ?1, ?2, ?3)", "bbi",
		      k->priv, sizeof(k->priv), k->pub, sizeof(k->pub), (long long)k->now);
}

static int key_read(sqlite3 *c)
{
	sqlite3_stmt *st = db_prepare(c, "SELECT priv, pub FROM push_key WHERE id = 1", "");
	if (!st)
		return sqlite3_extended_errcode(c);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == WEBPUSH_PRIV_SIZE &&
	    sqlite3_column_bytes(st, 1) == WEBPUSH_PUB_SIZE) {
		memcpy(vapid.priv, sqlite3_column_blob(st, 0), WEBPUSH_PRIV_SIZE);
		memcpy(vapid.pub, sqlite3_column_blob(st, 1), WEBPUSH_PUB_SIZE);
		vapid.loaded = true;
	}
	db_done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* The server's key pair, made on first need. False when the store fails. */
static bool vapid_ready(struct db *db)
{
	pthread_mutex_lock(&key_lock);
	if (vapid.loaded && vapid.db != db)
		vapid.loaded = false; /* another store (the tests open many) */
	if (!vapid.loaded) {
		vapid.db = db;
		sqlite3 *c = db_reader(db);
		if (c && key_read(c) == SQLITE_OK && !vapid.loaded) {
			struct key_new k = { .now = time(NULL) };
			if (webpush_keygen(k.priv, k.pub) == 0 && db_write(db, key_store, &k) == SQLITE_OK) {
				/* read back through the writer's commit: the row that won */
				sqlite3 *w = db_write_begin(db);
				key_read(w);
				db_write_end(db, true);
			}
			sodium_memzero(k.priv, sizeof(k.priv));
		}
	}
	bool ok = vapid.loaded;
	pthread_mutex_unlock(&key_lock);
	return ok;
}

static const char *public_key_b64(struct req *r)
{
	struct buf b = BUF_INIT;
	webpush_b64(&b, vapid.pub, WEBPUSH_PUB_SIZE);
	const char *s = arena_strdup(&r->arena, b.s);
	buf_release(&b);
	return s;
}

/* ---- what is still to do, asked of each room ---- */

struct person {
	long long user_id, couple_id;
	const struct tz *tz;
	long day;     /* today in the couple's zone */
	int minute;   /* now, in minutes after the couple's midnight */
	struct prefs prefs;
};

/* The period a kind is reminded once in: the week's Monday for the
 * check-in, the day for the rest. */
static long period_of(enum kind k, long day)
{
	if (k != K_CHECKIN)
		return day;
	struct isoweek w;
	isoweek_of(day, &w);
	return isoweek_monday(&w);
}

static int count_day(void *arg, long long id, long day, bool yearly)
{
	(void)id;
	(void)day;
	(void)yearly;
	++*(long long *)arg;
	return 0;
}

/* The minute a reminder set for `minute` goes: then, or, when that falls in
 * the person's quiet hours, in the hour before they begin. */
static int outside_quiet(const struct prefs *p, int minute)
{
	if (!quiet_at(p, minute))
		return minute;
	return p->quiet_from >= 60 ? p->quiet_from - 60 : 0;
}

/* 1 when kind k is still to do for p at this moment, 0 when not, -1 on a
 * storage error. */
static int still_to_do(sqlite3 *c, const struct person *p, enum kind k)
{
	long long n = 0;
	int rc = SQLITE_ROW;
	/* the kinds that wait for a time the couple chose */
	struct ritual_schedule s = { 0 };
	if ((k == K_APPRECIATION || k == K_CHECKIN || k == K_HARDDATE) &&
	    ritual_schedule_load(c, p->couple_id, &s) != SQLITE_OK)
		return -1;
	switch (k) {
	case K_APPRECIATION:
		/* at the ritual's time (the default 21:00 is in the default
		 * quiet hours: then the hour before them) */
		if (p->minute < outside_quiet(&p->prefs, s.appreciation_minute))
			return 0;
		rc = appreciation_written_on(c, p->couple_id, p->user_id, p->day, &n);
		return rc != SQLITE_ROW ? -1 : n == 0;
	case K_CHECKIN: {
		int wd = weekday_of(p->day);
		if (wd < s.checkin_weekday || (wd == s.checkin_weekday && p->minute < s.checkin_minute))
			return 0;
		struct isoweek w;
		isoweek_of(p->day, &w);
		rc = checkin_answered_in(c, p->couple_id, p->user_id, &w, &n);
		return rc != SQLITE_ROW ? -1 : n == 0;
	}
	case K_PROMISE:
		rc = promise_due_unanswered(c, p->couple_id, p->user_id, p->day, &n);
		break;
	case K_SHARE:
		rc = vulnerability_waiting(c, p->couple_id, p->user_id, &n);
		break;
	case K_AGREEMENT:
		rc = agreement_waiting(c, p->couple_id, p->user_id, &n);
		break;
	case K_SUGGESTION:
		rc = counsel_suggestion_waiting(c, p->couple_id, p->user_id, &n);
		break;
	case K_HARDDATE:
		/* the day before, at the time the couple chose for it */
		if (p->minute < outside_quiet(&p->prefs, s.hard_date_reminder_minute))
			return 0;
		return hard_dates_upcoming(c, p->couple_id, p->day + 1, p->day + 1, count_day, &n) != SQLITE_OK ? -1 : n > 0;
	default:
		return 0;
	}
	return rc != SQLITE_ROW ? -1 : n > 0;
}

/* Fills p for user_id at now: their couple, its zone, today and the minute
 * there, their choices. False when they are in no couple (no reminders)
 * or the store fails. */
static bool person_at(sqlite3 *c, long long user_id, time_t now, struct person *p)
{
	char zone[64];
	memset(p, 0, sizeof(*p));
	p->user_id = user_id;
	if (acct_member_zone(c, user_id, &p->couple_id, zone, sizeof(zone)) != SQLITE_OK ||
	    prefs_load(c, user_id, &p->prefs) != SQLITE_OK)
		return false;
	p->tz = tz_get(zone);
	p->day = tz_day(p->tz, now);
	long long local = (long long)now + tz_offset(p->tz, now);
	p->minute = (int)((((local % 86400) + 86400) % 86400) / 60);
	return true;
}

/* ---- one round of the sender ---- */

struct decision {
	long long user_id;
	enum kind kind;
	long period, day;
};

struct outgoing {
	long long id, sub_id, user_id;
	enum kind kind;
	int tries;
	long day;
	char endpoint[ENDPOINT_MAX + 1];
	uint8_t p256dh[WEBPUSH_PUB_SIZE], auth[WEBPUSH_AUTH_SIZE];
	/* filled before sending */
	int todo;      /* still_to_do now, or 0 when quiet or too old */
	int wording;
	int status;
	long retry_after;
};

struct round {
	struct decision *d;
	size_t nd, capd;
	struct outgoing *o;
	size_t no, capo;
	time_t now;
	struct push_tally *t;
};

static int kind_of(const char *name)
{
	for (int k = 0; k < K_COUNT; k++)
		if (name && !strcmp(KINDS[k].name, name))
			return k;
	return -1;
}

static void decide(sqlite3 *c, struct round *rd)
{
	sqlite3_stmt *users = db_prepare(c, "SELECT DISTINCT user_id FROM push_subscription ORDER BY user_id", "");
	if (!users)
		return;
	while (sqlite3_step(users) == SQLITE_ROW) {
		struct person p;
		if (!person_at(c, sqlite3_column_int64(users, 0), rd->now, &p) || quiet_at(&p.prefs, p.minute))
			continue;
		long long today = 0;
		if (db_int(c, &today, "SELECT count(*) FROM push_sent WHERE user_id = ?1 AND day = ?2", "ii",
			   p.user_id, (long long)p.day) != SQLITE_ROW)
			continue;
		for (int k = 0; k < K_COUNT && today < p.prefs.per_day; k++) {
			if (p.prefs.off & (1 << k))
				continue;
			long period = period_of((enum kind)k, p.day);
			long long already = 0;
			if (db_int(c, &already, "SELECT count(*) FROM push_sent WHERE user_id = ?1 AND kind = ?2"
						" AND period = ?3", "iti", p.user_id, KINDS[k].name, (long long)period) != SQLITE_ROW ||
			    already)
				continue;
			if (still_to_do(c, &p, (enum kind)k) != 1)
				continue;
			if (rd->nd == rd->capd) {
				rd->capd = rd->capd ? rd->capd * 2 : 16;
				rd->d = xrealloc(rd->d, rd->capd * sizeof(*rd->d));
			}
			rd->d[rd->nd++] = (struct decision){ p.user_id, (enum kind)k, period, p.day };
			today++;
		}
	}
	db_done(users);
}

static int record_decisions(sqlite3 *w, void *arg)
{
	struct round *rd = arg;
	/* what was decided more than two weeks ago no longer counts */
	int rc = db_run(w, "DELETE FROM push_sent WHERE at < ?1", "i", (long long)rd->now - 14 * 86400);
	for (size_t i = 0; rc == SQLITE_OK && i < rd->nd; i++) {
		const struct decision *d = &rd->d[i];
		rc = db_run(w, "INSERT OR IGNORE INTO push_sent(user_id, kind, period, day, at) VALUES(?1, ?2, ?3, ?4, ?5)",
			    "itiii", d->user_id, KINDS[d->kind].name, (long long)d->period, (long long)d->day,
			    (long long)rd->now);
		if (rc == SQLITE_OK)
			rc = db_run(w, "INSERT INTO push_outbox(subscription_id, kind, day, tries, next_at, made_at)"
				       " SELECT id, ?2, ?3, 0, ?4, ?4 FROM push_subscription WHERE user_id = ?1",
				    "itii", d->user_id, KINDS[d->kind].name, (long long)d->day, (long long)rd->now);
	}
	return rc;
}

/* The waiting messages whose time has come: the oldest one of each device
 * that has not been tried in the last minute. */
static void gather(sqlite3 *c, struct round *rd)
{
	sqlite3_stmt *st = db_prepare(
		c,
		"SELECT o.id, s.id, s.user_id, o.kind, o.tries, o.day, s.endpoint, s.p256dh, s.auth"
		" FROM push_outbox o JOIN push_subscription s ON s.id = o.subscription_id"
		" WHERE o.next_at <= ?1 AND s.last_at <= ?1 - ?2"
		"  AND o.id = (SELECT min(id) FROM push_outbox WHERE subscription_id = s.id AND next_at <= ?1)"
		" ORDER BY o.id",
		"ii", (long long)rd->now, (long long)DEVICE_GAP);
	if (!st)
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int k = kind_of((const char *)sqlite3_column_text(st, 3));
		const char *ep = (const char *)sqlite3_column_text(st, 6);
		if (k < 0 || !ep || strlen(ep) > ENDPOINT_MAX || sqlite3_column_bytes(st, 7) != WEBPUSH_PUB_SIZE ||
		    sqlite3_column_bytes(st, 8) != WEBPUSH_AUTH_SIZE)
			continue;
		if (rd->no == rd->capo) {
			rd->capo = rd->capo ? rd->capo * 2 : 16;
			rd->o = xrealloc(rd->o, rd->capo * sizeof(*rd->o));
		}
		struct outgoing *o = &rd->o[rd->no++];
		memset(o, 0, sizeof(*o));
		o->id = sqlite3_column_int64(st, 0);
		o->sub_id = sqlite3_column_int64(st, 1);
		o->user_id = sqlite3_column_int64(st, 2);
		o->kind = (enum kind)k;
		o->tries = sqlite3_column_int(st, 4);
		o->day = (long)sqlite3_column_int64(st, 5);
		snprintf(o->endpoint, sizeof(o->endpoint), "%s", ep);
		memcpy(o->p256dh, sqlite3_column_blob(st, 7), WEBPUSH_PUB_SIZE);
		memcpy(o->auth, sqlite3_column_blob(st, 8), WEBPUSH_AUTH_SIZE);
	}
	db_done(st);
	/* each is asked again: a reminder for something done meanwhile, or
	 * from another day, is not sent; in quiet hours it waits */
	for (size_t i = 0; i < rd->no; i++) {
		struct outgoing *o = &rd->o[i];
		struct person p;
		if (!person_at(c, o->user_id, rd->now, &p) || p.day != o->day || (p.prefs.off & (1 << o->kind))) {
			o->todo = 0;
			continue;
		}
		o->wording = p.prefs.wording;
		o->todo = quiet_at(&p.prefs, p.minute) ? 2 : still_to_do(c, &p, o->kind);
	}
}

/* Push services are on the public internet: a delivery never connects to
 * a loopback or private address (test builds reach the local push service
 * on 127.0.0.1). */
#ifdef TROTH_TEST_ROUTES
#define LOCAL_PUSH_OK true
#else
#define LOCAL_PUSH_OK false
#endif

static void deliver(struct app *app, struct round *rd)
{
	/* the contact push services are given: the operator's, else the
	 * public address when it is https */
	const char *contact = app->cfg.push_contact[0] ? app->cfg.push_contact
			      : !strncmp(app->cfg.public_url, "https://", 8) ? app->cfg.public_url
									: "mailto:operator@localhost";
	for (size_t i = 0; i < rd->no; i++) {
		struct outgoing *o = &rd->o[i];
		if (o->todo != 1)
			continue;
		char payload[256];
		int n = snprintf(payload, sizeof(payload), "{\"title\":\"%s\",\"body\":\"%s\",\"url\":\"/\"}",
				 WORDINGS[o->wording].title, WORDINGS[o->wording].body);
		struct webpush_msg m = {
			.endpoint = o->endpoint, .ua_pub = o->p256dh, .auth = o->auth,
			.vapid_priv = vapid.priv, .vapid_pub = vapid.pub,
			.subject = contact,
			.plain = payload, .plain_len = (size_t)n, .ttl = MESSAGE_TTL, .urgency = "normal",
			.now = rd->now, .timeout_ms = 10000, .local_ok = LOCAL_PUSH_OK,
		};
		o->status = webpush_send(&m, &o->retry_after);
		rd->t->attempts++;
	}
}

static int record_outcomes(sqlite3 *w, void *arg)
{
	struct round *rd = arg;
	int rc = SQLITE_OK;
	for (size_t i = 0; rc == SQLITE_OK && i < rd->no; i++) {
		struct outgoing *o = &rd->o[i];
		long long now = rd->now;
		if (o->todo == 2)
			continue; /* quiet hours: it waits */
		if (o->todo != 1) {
			rc = db_run(w, "DELETE FROM push_outbox WHERE id = ?1", "i", o->id);
			rd->t->dropped++;
			continue;
		}
		rc = db_run(w, "UPDATE push_subscription SET last_at = ?2 WHERE id = ?1", "ii", o->sub_id, now);
		if (rc != SQLITE_OK)
			break;
		if (o->status >= 200 && o->status < 300) {
			rc = db_run(w, "DELETE FROM push_outbox WHERE id = ?1", "i", o->id);
			rd->t->sent++;
		} else if (o->status == 404 || o->status == 410) {
			/* the device is gone: so is its subscription */
			rc = db_run(w, "DELETE FROM push_outbox WHERE subscription_id = ?1", "i", o->sub_id);
			if (rc == SQLITE_OK)
				rc = db_run(w, "DELETE FROM push_subscription WHERE id = ?1", "i", o->sub_id);
			rd->t->removed++;
		} else if ((o->status == 429 || o->status >= 500 || o->status == 0) && o->tries + 1 < MAX_TRIES) {
			long wait = (long)DEVICE_GAP << (o->tries + 1);
			if (o->retry_after > wait)
				wait = o->retry_after;
			if (wait > BACKOFF_MAX)
				wait = BACKOFF_MAX;
			rc = db_run(w, "UPDATE push_outbox SET tries = tries + 1, next_at = ?2 WHERE id = ?1", "ii", o->id,
				    now + wait);
			rd->t->retried++;
		} else {
			/* refused for good (another 4xx), or tried enough */
			rc = db_run(w, "DELETE FROM push_outbox WHERE id = ?1", "i", o->id);
			rd->t->dropped++;
		}
	}
	return rc;
}

static pthread_mutex_t round_lock = PTHREAD_MUTEX_INITIALIZER;

void push_tick(struct app *app, time_t now, struct push_tally *t)
{
	memset(t, 0, sizeof(*t));
	if (!vapid_ready(&app->db))
		return;
	/* one round at a time: the background sender and a test's round */
	pthread_mutex_lock(&round_lock);
	struct round rd = { .now = now, .t = t };
	db_read_scope_begin();
	sqlite3 *c = db_reader(&app->db);
	if (c)
		decide(c, &rd);
	db_read_scope_end();
	if (rd.nd && db_write(&app->db, record_decisions, &rd) == SQLITE_OK)
		t->decided = (int)rd.nd;
	db_read_scope_begin();
	c = db_reader(&app->db);
	if (c)
		gather(c, &rd);
	db_read_scope_end();
	deliver(app, &rd);
	if (rd.no && db_write(&app->db, record_outcomes, &rd) != SQLITE_OK)
		log_msg("push: the outcome of a round could not be stored");
	free(rd.d);
	free(rd.o);
	pthread_mutex_unlock(&round_lock);
}

/* ---- the background sender ---- */

static struct {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool running, stop;
	struct app *app;
} sender = { .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER };

static void *sender_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&sender.lock);
	while (!sender.stop) {
		pthread_mutex_unlock(&sender.lock);
		struct push_tally t;
		push_tick(sender.app, time(NULL), &t);
		if (t.attempts)
			log_msg("push: %d sent, %d kept for later, %d devices gone", t.sent, t.retried, t.removed);
		pthread_mutex_lock(&sender.lock);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += sender.app->cfg.push_every;
		while (!sender.stop && pthread_cond_timedwait(&sender.wake, &sender.lock, &until) == 0)
			;
	}
	pthread_mutex_unlock(&sender.lock);
	return NULL;
}

void push_sender_start(struct app *app)
{
	webpush_library_init();
	if (!app->cfg.push_every)
		return;
	sender.app = app;
	sender.stop = false;
	if (pthread_create(&sender.thread, NULL, sender_main, NULL) == 0)
		sender.running = true;
}

void push_sender_stop(void)
{
	if (!sender.running)
		return;
	pthread_mutex_lock(&sender.lock);
	sender.stop = true;
	pthread_cond_broadcast(&sender.wake);
	pthread_mutex_unlock(&sender.lock);
	pthread_join(sender.thread, NULL);
	sender.running = false;
}

/* ---- subscriptions ---- */

struct sub_new {
	long long user_id;
	const char *endpoint, *label;
	uint8_t p256dh[WEBPUSH_PUB_SIZE], auth[WEBPUSH_AUTH_SIZE];
	time_t now;
	long long id;
	int refused;   /* 409 when the person has the most devices already */
	bool existed;
};

static int sub_store(sqlite3 *w, void *arg)
{
	struct sub_new *s = arg;
	long long mine = 0, count = 0;
	int rc = db_int(w, &mine, "SELECT count(*) FROM push_subscription WHERE endpoint = ?1 AND user_id = ?2", "ti",
			s->endpoint, s->user_id);
	if (rc != SQLITE_ROW)
		return rc;
	s->existed = mine > 0;
	if (!s->existed) {
		rc = db_int(w, &count, "SELECT count(*) FROM push_subscription WHERE user_id = ?1", "i", s->user_id);
		if (rc != SQLITE_ROW)
			return rc;
		if (count >= MAX_DEVICES) {
			s->refused = 409;
			return SQLITE_NOTFOUND;
		}
		/* one device is one person's: a browser that someone else had
		 * turned on before now reminds only the one who asked */
		rc = db_run(w, "DELETE FROM push_outbox WHERE subscription_id IN"
			       " (SELECT id FROM push_subscription WHERE endpoint = ?1)", "t", s->endpoint);
		if (rc == SQLITE_OK)
			rc = db_run(w, "DELETE FROM push_subscription WHERE endpoint = ?1", "t", s->endpoint);
		if (rc != SQLITE_OK)
			return rc;
	}
	rc = db_int(w, &s->id,
		    "INSERT INTO push_subscription(user_id, endpoint, p256dh, auth, label, created_at)"
		    " VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(endpoint) DO UPDATE SET p256dh = ?3, auth = ?4"
		    " RETURNING id",
		    "itbbti", s->user_id, s->endpoint, s->p256dh, sizeof(s->p256dh), s->auth, sizeof(s->auth), s->label,
		    (long long)s->now);
	return rc == SQLITE_ROW ? SQLITE_OK : rc;
}

/* An endpoint troth will post to: https only (http to 127.0.0.1 in test
 * builds, for the local push service), no user part, not too long. */
static bool endpoint_ok(const char *e)
{
	char origin[ENDPOINT_MAX + 1];
	if (strlen(e) > ENDPOINT_MAX || webpush_origin(e, origin, sizeof origin) != 0)
		return false;
	for (const char *p = e; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			return false;
#ifdef TROTH_TEST_ROUTES
	if (!strncmp(e, "http://127.0.0.1:", 17))
		return true;
#endif
	return !strncmp(e, "https://", 8);
}

static json_t *sub_json(sqlite3_stmt *st)
{
	return json_pack("{s:I,s:s,s:s,s:o}", "id", (json_int_t)sqlite3_column_int64(st, 0), "label",
			 (const char *)sqlite3_column_text(st, 1), "endpoint", (const char *)sqlite3_column_text(st, 2),
			 "created_at", json_instant(sqlite3_column_int64(st, 3)));
}

/* The viewer's devices as a JSON array, or NULL on a storage error. */
static json_t *subs_of(struct req *r)
{
	sqlite3 *c = db_reader(&r->app->db);
	sqlite3_stmt *st = c ? db_prepare(c, "SELECT id, label, endpoint, created_at FROM push_subscription"
					  " WHERE user_id = ?1 ORDER BY id", "i", r->me->user_id)
			     : NULL;
	if (!st)
		return NULL;
	json_t *a = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(a, sub_json(st));
	db_done(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		return NULL;
	}
	return a;
}

static void unavailable(struct req *r)
{
	req_error(r, 503, "storage_unavailable", "Reminders cannot be set up right now. Please try again later.", NULL);
}

void push_api_list(struct req *r)
{
	if (!vapid_ready(&r->app->db)) {
		unavailable(r);
		return;
	}
	json_t *a = subs_of(r);
	if (!a) {
		req_db_error(r, SQLITE_ERROR);
		return;
	}
	req_json(r, 200, json_pack("{s:s,s:o}", "public_key", public_key_b64(r), "subscriptions", a));
}

static const char *const SUB_FIELDS[] = { "endpoint", "keys", "expirationTime", "label", NULL };
static const char *const KEY_FIELDS[] = { "p256dh", "auth", NULL };

void push_api_subscribe(struct req *r)
{
	const char *endpoint, *label = NULL, *p256dh, *auth;
	json_t *keys = json_object_get(r->json, "keys");
	json_t *exp = json_object_get(r->json, "expirationTime");
	if (jin_only(r, r->json, SUB_FIELDS) < 0 || jin_str(r, r->json, "endpoint", true, ENDPOINT_MAX, &endpoint) < 0)
		return;
	if (!endpoint_ok(endpoint)) {
		req_error(r, 400, "invalid_field", "That is not the address of a push service.", "endpoint");
		return;
	}
	if (!json_is_object(keys)) {
		req_error(r, 400, "invalid_field", "The subscription's keys are missing.", "keys");
		return;
	}
	if (exp && !json_is_null(exp) && !json_is_integer(exp)) {
		req_error(r, 400, "invalid_field", "That is not a time.", "expirationTime");
		return;
	}
	if (jin_only(r, keys, KEY_FIELDS) < 0 || jin_str(r, keys, "p256dh", true, 100, &p256dh) < 0 ||
	    jin_str(r, keys, "auth", true, 40, &auth) < 0 || jin_str(r, r->json, "label", false, LABEL_MAX, &label) < 0)
		return;
	struct sub_new s = { .user_id = r->me->user_id, .endpoint = endpoint, .now = r->now };
	if (webpush_unb64(s.p256dh, sizeof s.p256dh, p256dh) != WEBPUSH_PUB_SIZE ||
	    !webpush_pub_valid(s.p256dh, sizeof s.p256dh)) {
		req_error(r, 400, "invalid_field", "That key is not one a browser makes.", "p256dh");
		return;
	}
	if (webpush_unb64(s.auth, sizeof s.auth, auth) != WEBPUSH_AUTH_SIZE) {
		req_error(r, 400, "invalid_field", "That secret is not one a browser makes.", "auth");
		return;
	}
	s.label = label && *label ? label : account_session_label(r);
	if (!vapid_ready(&r->app->db)) {
		unavailable(r);
		return;
	}
	int rc = db_write(&r->app->db, sub_store, &s);
	if (s.refused) {
		req_error(r, 409, "too_many_devices", "Reminders reach ten devices at most. Remove one first.", NULL);
		return;
	}
	if (!req_db_ok(r, rc))
		return;
	req_json(r, s.existed ? 200 : 201,
		 json_pack("{s:{s:I,s:s,s:s,s:o}}", "subscription", "id", (json_int_t)s.id, "label", s.label, "endpoint",
			   endpoint, "created_at", json_instant(r->now)));
}

struct sub_gone {
	long long user_id, id;
	long long changed;
};

static int sub_delete(sqlite3 *w, void *arg)
{
	struct sub_gone *g = arg;
	int rc = db_run(w, "DELETE FROM push_outbox WHERE subscription_id ="
			   " (SELECT id FROM push_subscription WHERE id = ?1 AND user_id = ?2)", "ii", g->id, g->user_id);
	if (rc == SQLITE_OK)
		rc = db_run(w, "DELETE FROM push_subscription WHERE id = ?1 AND user_id = ?2", "ii", g->id, g->user_id);
	g->changed = sqlite3_changes(w);
	return rc;
}

/* Removes one of the viewer's devices: 1 when it was theirs, 0 when there
 * is none of theirs with that id, -1 after answering a storage error. */
static int remove_device(struct req *r, long long id)
{
	struct sub_gone g = { r->me->user_id, id, 0 };
	if (!req_db_ok(r, db_write(&r->app->db, sub_delete, &g)))
		return -1;
	return g.changed > 0;
}

void push_api_remove(struct req *r)
{
	long long id = req_param_id(r, "id", (long long)1 << 53);
	int res = id > 0 ? remove_device(r, id) : 0;
	if (res == 0)
		req_error(r, 404, "not_found", "There is nothing at this address.", NULL);
	else if (res > 0)
		r->status = 204;
}

/* ---- choices ---- */

static json_t *prefs_json(const struct prefs *p)
{
	json_t *kinds = json_object();
	for (int k = 0; k < K_COUNT; k++)
		json_object_set_new(kinds, KINDS[k].name, json_boolean(!(p->off & (1 << k))));
	json_t *wordings = json_array();
	for (int i = 0; i < N_WORDINGS; i++)
		json_array_append_new(wordings, json_pack("{s:i,s:s,s:s}", "id", i, "title", WORDINGS[i].title, "body",
							  WORDINGS[i].body));
	char from[6], to[6];
	hm_format(p->quiet_from, from);
	hm_format(p->quiet_to, to);
	return json_pack("{s:o,s:s,s:s,s:i,s:i,s:o}", "kinds", kinds, "quiet_from", from, "quiet_to", to, "per_day",
			 p->per_day, "wording", p->wording, "wordings", wordings);
}

struct prefs_save {
	long long user_id;
	struct prefs p;
};

static int prefs_store(sqlite3 *w, void *arg)
{
	const struct prefs_save *s = arg;
	return db_run(w, "INSERT INTO push_pref(user_id, off, quiet_from, quiet_to, per_day, wording)"
			 " VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(user_id) DO UPDATE SET off = ?2,"
			 " quiet_from = ?3, quiet_to = ?4, per_day = ?5, wording = ?6",
		      "iiiiii", s->user_id, (long long)s->p.off, (long long)s->p.quiet_from, (long long)s->p.quiet_to,
		      (long long)s->p.per_day, (long long)s->p.wording);
}

static bool my_prefs(struct req *r, struct prefs *p)
{
	sqlite3 *c = db_reader(&r->app->db);
	return req_db_ok(r, c ? prefs_load(c, r->me->user_id, p) : SQLITE_CANTOPEN);
}

void push_api_prefs_get(struct req *r)
{
	struct prefs p;
	if (my_prefs(r, &p))
		req_json(r, 200, prefs_json(&p));
}

static const char *const PREF_FIELDS[] = { "kinds", "quiet_from", "quiet_to", "per_day", "wording", NULL };

void push_api_prefs_put(struct req *r)
{
	struct prefs_save s = { .user_id = r->me->user_id };
	if (!my_prefs(r, &s.p) || jin_only(r, r->json, PREF_FIELDS) < 0)
		return;
	json_t *kinds = json_object_get(r->json, "kinds");
	if (kinds) {
		if (!json_is_object(kinds)) {
			req_error(r, 400, "invalid_field", "Say for each kind whether it is on.", "kinds");
			return;
		}
		const char *key;
		json_t *v;
		json_object_foreach(kinds, key, v) {
			int k = kind_of(key);
			if (k < 0) {
				req_error(r, 400, "unknown_field", "That is not a kind of reminder.", "kinds");
				return;
			}
			if (!json_is_boolean(v)) {
				req_error(r, 400, "invalid_field", "Say true or false.", "kinds");
				return;
			}
			s.p.off = json_is_true(v) ? s.p.off & ~(1 << k) : s.p.off | (1 << k);
		}
	}
	const char *from = NULL, *to = NULL;
	long long per_day = s.p.per_day, wording = s.p.wording;
	if (jin_str(r, r->json, "quiet_from", false, 5, &from) < 0 || jin_str(r, r->json, "quiet_to", false, 5, &to) < 0 ||
	    jin_int(r, r->json, "per_day", false, 1, 5, &per_day) < 0 ||
	    jin_int(r, r->json, "wording", false, 0, N_WORDINGS - 1, &wording) < 0)
		return;
	if (from && (s.p.quiet_from = hm_parse(from)) < 0) {
		req_error(r, 400, "invalid_field", "Give a time as HH:MM.", "quiet_from");
		return;
	}
	if (to && (s.p.quiet_to = hm_parse(to)) < 0) {
		req_error(r, 400, "invalid_field", "Give a time as HH:MM.", "quiet_to");
		return;
	}
	s.p.per_day = (int)per_day;
	s.p.wording = (int)wording;
	if (req_db_ok(r, db_write(&r->app->db, prefs_store, &s)))
		req_json(r, 200, prefs_json(&s.p));
}

/* ---- the page ---- */

/* The app name a device shows on its home screen: a cookie of its own,
 * read by the page chrome (ui/page.c) to link the neutral manifest. */
#define APP_NAME_COOKIE "troth_app"

static void render(struct req *r, const char *notice_kind, const char *notice)
{
	struct prefs p;
	if (!my_prefs(r, &p))
		return;
	json_t *devices = subs_of(r);
	bool key = vapid_ready(&r->app->db);
	page_begin(r, "Reminders");
	if (notice)
		ui_notice(r, notice_kind, notice);
	html(&r->out, "<p>Reminders come to a phone only when something is still to do. "
		      "They never say what it is, or who it is about.</p>\n");

	html(&r->out, "<h2>This phone</h2>\n");
	if (key)
		html(&r->out,
		     "<div class=\"push\" data-push-key=\"%s\" hidden>"
		     "<p>Your phone asks whether troth may send notifications once you tap the button.</p>"
		     "<p><button type=\"button\" class=\"button\" data-push-on>Turn reminders on for this phone</button></p>"
		     "<p class=\"push-status\" role=\"status\"></p></div>\n",
		     public_key_b64(r));
	html(&r->out, "<p class=\"push-needs-js\">Turning reminders on needs this browser to run troth's "
		      "script, and a browser that takes notifications.</p>\n");

	html(&r->out, "<h2>Devices that get reminders</h2>\n");
	size_t n = devices ? json_array_size(devices) : 0;
	if (!n)
		html(&r->out, "<p>None yet.</p>\n");
	else
		html(&r->out, "<ul class=\"sessions push-devices\">\n");
	for (size_t i = 0; i < n; i++) {
		json_t *d = json_array_get(devices, i);
		html(&r->out, "<li data-endpoint=\"%s\">%s ", json_string_value(json_object_get(d, "endpoint")),
		     json_string_value(json_object_get(d, "label")));
		ui_form_begin(r, "/settings/reminders/remove");
		html(&r->out, "<input type=\"hidden\" name=\"id\" value=\"%lld\">",
		     (long long)json_integer_value(json_object_get(d, "id")));
		ui_form_end(r, "Remove");
		html(&r->out, "</li>\n");
	}
	if (n)
		html(&r->out, "</ul>\n");
	json_decref(devices);

	html(&r->out, "<h2>What to remind you of</h2>\n");
	ui_form_begin(r, "/settings/reminders");
	html(&r->out, "<fieldset><legend>Remind me of</legend>\n");
	for (int k = 0; k < K_COUNT; k++)
		html(&r->out, "<label class=\"check\"><input type=\"checkbox\" name=\"kind_%s\" value=\"on\"%s> %s</label>\n",
		     KINDS[k].name, (p.off & (1 << k)) ? "" : " checked", KINDS[k].label);
	html(&r->out, "</fieldset>\n");
	char from[6], to[6], per[2] = { (char)('0' + (unsigned)p.per_day % 10u), '\0' };
	hm_format(p.quiet_from, from);
	hm_format(p.quiet_to, to);
	ui_input(r, "Quiet from", "quiet_from", "time", from, "off", "No reminders from this time...", 1);
	ui_input(r, "Quiet until", "quiet_to", "time", to, "off", "...until this time, in your couple's time zone.", 1);
	static const char *const PER_DAY[] = { "1", "One", "2", "Two", "3", "Three", "4", "Four", "5", "Five", NULL };
	ui_radios(r, "At most this many a day", "per_day", PER_DAY, per);
	html(&r->out, "<fieldset><legend>What your lock screen shows</legend>\n");
	for (int i = 0; i < N_WORDINGS; i++)
		html(&r->out,
		     "<label class=\"check\"><input type=\"radio\" name=\"wording\" value=\"%d\"%s> "
		     "<span><strong>%s</strong><br>%s</span></label>\n",
		     i, i == p.wording ? " checked" : "", WORDINGS[i].title, WORDINGS[i].body);
	html(&r->out, "</fieldset>\n");
	ui_form_end(r, "Save my choices");

	html(&r->out, "<h2>The name on your home screen</h2>\n"
		      "<p>If you add troth to this phone's home screen, it can carry a plain name and icon "
		      "that do not say what it is. Choose before you add it.</p>\n");
	const char *cur = kv_get(&r->cookies, APP_NAME_COOKIE);
	static const char *const NAMES[] = { "troth", "troth", "plain", "Notes, with a plain icon", NULL };
	ui_form_begin(r, "/settings/reminders/app-name");
	ui_radios(r, "Name on the home screen", "app_name", NAMES, cur && !strcmp(cur, "plain") ? "plain" : "troth");
	ui_form_end(r, "Use this name");
	page_end_link(r, "/settings", "Back to settings");
}

void push_page(struct req *r)
{
	render(r, NULL, NULL);
}

void push_prefs_post(struct req *r)
{
	struct prefs_save s = { .user_id = r->me->user_id };
	if (!my_prefs(r, &s.p))
		return;
	s.p.off = 0;
	for (int k = 0; k < K_COUNT; k++) {
		char name[32];
		snprintf(name, sizeof name, "kind_%s", KINDS[k].name);
		if (!req_form_field(r, name))
			s.p.off |= 1 << k;
	}
	int from = hm_parse(req_form_field(r, "quiet_from")), to = hm_parse(req_form_field(r, "quiet_to"));
	const char *per = req_form_field(r, "per_day"), *w = req_form_field(r, "wording");
	if (from < 0 || to < 0) {
		r->status = 400;
		render(r, "attention", "Please give the quiet hours as times, such as 21:00.");
		return;
	}
	if (!per || strlen(per) != 1 || per[0] < '1' || per[0] > '5' || !w || strlen(w) != 1 || w[0] < '0' ||
	    w[0] >= '0' + N_WORDINGS) {
		r->status = 400;
		render(r, "attention", "Please choose one of the options.");
		return;
	}
	s.p.quiet_from = from;
	s.p.quiet_to = to;
	s.p.per_day = per[0] - '0';
	s.p.wording = w[0] - '0';
	if (req_db_ok(r, db_write(&r->app->db, prefs_store, &s)))
		render(r, "celebrate", "Your choices are saved.");
}

void push_remove_post(struct req *r)
{
	const char *id = req_form_field(r, "id");
	char *end = NULL;
	long long n = id ? strtoll(id, &end, 10) : 0;
	int res = id && *id && end && !*end && n > 0 ? remove_device(r, n) : 0;
	if (res < 0)
		return;
	if (res == 0) {
		r->status = 404;
		render(r, "attention", "That device gets no reminders already.");
		return;
	}
	req_redirect(r, "/settings/reminders");
}

void push_app_name_post(struct req *r)
{
	const char *v = req_form_field(r, "app_name");
	if (!v || (strcmp(v, "troth") && strcmp(v, "plain"))) {
		r->status = 400;
		render(r, "attention", "Please choose one of the names.");
		return;
	}
	const char *secure = r->tls ? "; Secure" : "";
	if (!strcmp(v, "plain"))
		req_header(r, "Set-Cookie",
			   arena_printf(&r->arena, APP_NAME_COOKIE "=plain; Path=/; HttpOnly; SameSite=Strict;"
						   " Max-Age=31536000%s", secure));
	else
		req_header(r, "Set-Cookie",
			   arena_printf(&r->arena, APP_NAME_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
					secure));
	req_redirect(r, "/settings/reminders");
}

/* ---- test builds: one round at a chosen instant ---- */

#ifdef TROTH_TEST_ROUTES
static const char *const TICK_FIELDS[] = { "now", NULL };

void push_test_tick(struct req *r)
{
	long long now = 0;
	if (jin_only(r, r->json, TICK_FIELDS) < 0 || jin_int(r, r->json, "now", true, 0, 4102444800LL, &now) < 0)
		return;
	struct push_tally t;
	push_tick(r->app, (time_t)now, &t);
	req_json(r, 200, json_pack("{s:i,s:i,s:i,s:i,s:i,s:i}", "decided", t.decided, "sent", t.sent, "dropped",
				   t.dropped, "removed", t.removed, "retried", t.retried, "attempts", t.attempts));
}
#endif

/* A person's devices, choices and reminders go with their account. Their
 * reminders carry no couple's record, so a couple that ends has nothing
 * here to clear: a person in no couple is sent nothing. */
const struct room_sql push_sql = {
	.forget = "DELETE FROM push_outbox WHERE subscription_id IN"
		  " (SELECT id FROM push_subscription WHERE user_id = ?1); "
		  "DELETE FROM push_subscription WHERE user_id = ?1; "
		  "DELETE FROM push_sent WHERE user_id = ?1; "
		  "DELETE FROM push_pref WHERE user_id = ?1; ",
};
