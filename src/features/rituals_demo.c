/* rituals_demo.c: four months of rituals for the demo couple (Sam, hurt;
 * Alex, accountable), written through the same store functions the API
 * uses: weekly check-ins whose scores climb slowly with one hard week,
 * appreciations on most days, weekly sharing (Alex's latest not heard yet),
 * time together, and the default schedule. This week only Sam has checked
 * in, so Alex's home shows Sam waiting; Sam has no appreciation today. */
#include "rituals_demo.h"
#include "rituals.h"
#include "appreciation.h"
#include "checkin.h"
#include "connection.h"
#include "vulnerability.h"
#include "demo.h"

#include <string.h>

#define WEEKS 17

/* A small fixed-seed generator: the demo is the same every time. */
static unsigned next_rand(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) & 0x7fff;
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static const char *const SAM_UP[] = {
	"You showed me your phone before I asked.",
	"You came home when you said you would.",
	"You told me about the work dinner ahead of time.",
	"You stayed in the room when I was upset.",
	"You answered my questions without getting defensive.",
	"You remembered what I said I needed last week.",
};
static const char *const SAM_DOWN[] = {
	"",
	"Thursday evening felt vague to me.",
	"You went quiet when I brought it up.",
	"",
	"A late message I did not understand.",
};
static const char *const SAM_NEED[] = {
	"Patience when I ask the same question again.",
	"A walk together at the weekend.",
	"To hear about your day, plainly.",
	"Some time to myself on Saturday morning.",
};
static const char *const ALEX_UP[] = {
	"You told me how you felt instead of going silent.",
	"You laughed at my joke at dinner.",
	"You let me hold your hand on the walk.",
	"You asked about my day.",
};
static const char *const ALEX_DOWN[] = {
	"",
	"I felt shut out on Tuesday, and I understand why.",
	"",
};
static const char *const ALEX_NEED[] = {
	"To know what helps when a hard day comes.",
	"An evening for just the two of us.",
	"To keep going with the counsellor together.",
};
static const char *const SAM_THANKS[] = {
	"Thank you for making coffee before I was up.",
	"You listened to my whole story about work.",
	"I liked how calm you were at the kids' bedtime.",
	"You noticed I was tired and cooked dinner.",
	"Thank you for the honest answer last night.",
	"You called my mother back. That meant a lot.",
	"You put your phone face up on the table without a word.",
};
static const char *const ALEX_THANKS[] = {
	"Thank you for giving me another chance today.",
	"You smiled at me in the kitchen this morning.",
	"I appreciate that you told me what you needed.",
	"Thank you for coming on the walk.",
	"You made the evening feel easy.",
	"I liked planning the weekend with you.",
};
static const struct { int alex; const char *kind, *text; } SHARES[] = {
	{ 0, "fear", "I am afraid that one day I will stop checking and be wrong." },
	{ 1, "fear", "I am afraid my sorry will never be enough." },
	{ 0, "insecurity", "I worry I am not enough to make this worth it for you." },
	{ 1, "need", "I need to be able to say I am struggling without it turning into a fight." },
	{ 0, "hope", "I hope we can laugh together at a dinner with friends again." },
	{ 1, "hope", "I hope one day you can rest when I am late." },
	{ 0, "need", "I need to know you will not give up when I am difficult." },
	{ 1, "insecurity", "I feel clumsy at being close without asking first." },
	{ 0, "hope", "I hope we can go back to the lake this summer." },
	{ 1, "fear", "I am afraid of the anniversary next month." },
};
static const struct { const char *kind; int minutes; const char *note; } TOGETHER[] = {
	{ "walk", 40, "Along the river, talked about the garden." },
	{ "date", 120, "Dinner at the Italian place." },
	{ "talk", 30, "" },
	{ "walk", 25, "" },
	{ "other", 90, "Cooked together." },
	{ "date", 150, "Cinema, then ice cream." },
};

#define PICK(a, i) (a[(size_t)(i) % (sizeof(a) / sizeof(*a))])

static int demo_checkins(sqlite3 *w, struct demo_ctx *ctx, const struct tz *z, long today, unsigned *seed)
{
	struct isoweek now;
	isoweek_of(today, &now);
	for (int ago = WEEKS - 1; ago >= 0; ago--) {
		struct isoweek wk;
		isoweek_of(isoweek_monday(&now) - 7L * ago, &wk);
		int step = WEEKS - 1 - ago;                /* 0 .. 16 */
		bool setback = ago == 6;                   /* one hard week */
		for (int who = 0; who < 2; who++) {
			if (ago == 0 && who == 1)
				continue; /* this week Alex has not checked in yet */
			struct checkin_answers a;
			memset(&a, 0, sizeof(a));
			int base = who ? 5 + step / 5 : 3 + step / 4; /* Sam starts lower, climbs longer */
			if (setback)
				base -= 2;
			a.connection = clamp(base + (int)(next_rand(seed) % 3) - 1, 1, 10);
			for (int i = 0; i < CHECKIN_DIMS; i++)
				a.dims[i] = clamp(base + (int)(next_rand(seed) % 3) - 1 + (i == 5 && !who ? -1 : 0), 1, 10);
			if (step % 2 == 0 || who == 0)
				for (int i = 0; i < CHECKIN_SIGNS; i++)
					a.signs[i] = clamp(1 + step / 4 + (int)(next_rand(seed) % 2) - (setback ? 1 : 0), 1, 5);
			a.texts[0] = who ? PICK(ALEX_UP, step) : PICK(SAM_UP, step);
			a.texts[1] = setback ? (who ? "It was a hard week for both of us." : "Finding out about the old account.")
				     : who ? PICK(ALEX_DOWN, step) : PICK(SAM_DOWN, step);
			a.texts[2] = who ? PICK(ALEX_NEED, step) : PICK(SAM_NEED, step);
			long long id;
			/* written on the check-in evening (Sunday), or today this week */
			long day = isoweek_monday(&wk) + 6 < today ? isoweek_monday(&wk) + 6 : today;
			time_t at = tz_instant(z, day, 19 * 3600 + who * 1800);
			if (at > ctx->now)
				at = ctx->now;
			int rc = checkin_insert(w, ctx->couple_key, ctx->couple_id,
						who ? ctx->accountable_id : ctx->hurt_id, &wk, checkin_reveal_at(z, &wk),
						&a, at, &id);
			if (rc != SQLITE_OK)
				return rc;
		}
	}
	return SQLITE_OK;
}

static int demo_appreciations(sqlite3 *w, struct demo_ctx *ctx, const struct tz *z, long today, unsigned *seed)
{
	for (long ago = WEEKS * 7L; ago >= 0; ago--) {
		for (int who = 0; who < 2; who++) {
			if (ago == 0 && who == 0)
				continue; /* Sam's is still due today */
			if (next_rand(seed) % 10 < (ago > 60 ? 4u : 2u))
				continue; /* missed days, fewer lately */
			long long id;
			time_t at = tz_instant(z, today - ago, 21 * 3600 + who * 600);
			if (at > ctx->now)
				at = ctx->now;
			int rc = appreciation_insert(w, ctx->couple_key, ctx->couple_id,
						     who ? ctx->accountable_id : ctx->hurt_id, today - ago,
						     who ? PICK(ALEX_THANKS, ago * 3 + 1) : PICK(SAM_THANKS, ago * 5 + 2),
						     at, &id);
			if (rc != SQLITE_OK)
				return rc;
		}
	}
	return SQLITE_OK;
}

static int demo_shares(sqlite3 *w, struct demo_ctx *ctx, const struct tz *z, long today)
{
	size_t n = sizeof(SHARES) / sizeof(*SHARES);
	for (size_t i = 0; i < n; i++) {
		long day = today - 7L * (long)(n - 1 - i) - 2;
		long long id, author = SHARES[i].alex ? ctx->accountable_id : ctx->hurt_id;
		long long other = SHARES[i].alex ? ctx->hurt_id : ctx->accountable_id;
		time_t at = tz_instant(z, day, 20 * 3600);
		int rc = vulnerability_insert(w, ctx->couple_key, ctx->couple_id, author, SHARES[i].kind,
					      SHARES[i].text, at, &id);
		if (rc == SQLITE_OK && i + 1 < n) /* the latest is not heard yet */
			rc = vulnerability_mark_heard(w, ctx->couple_id, id, other, at + 3600 * (2 + (long)i % 20));
		if (rc != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}

static int demo_together(sqlite3 *w, struct demo_ctx *ctx, const struct tz *z, long today, unsigned *seed)
{
	for (long ago = WEEKS * 7L - 1; ago > 0; ago -= 3 + (long)(next_rand(seed) % 4)) {
		long long id;
		size_t k = (size_t)next_rand(seed);
		int rc = connection_insert(w, ctx->couple_key, ctx->couple_id,
					   k % 2 ? ctx->accountable_id : ctx->hurt_id, today - ago,
					   PICK(TOGETHER, k).minutes, PICK(TOGETHER, k).kind, PICK(TOGETHER, k).note,
					   tz_instant(z, today - ago, 22 * 3600), &id);
		if (rc != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}

struct demo_run {
	struct demo_ctx *ctx;
	const struct tz *z;
	long today;
};

static int demo_all(sqlite3 *w, void *arg)
{
	struct demo_run *d = arg;
	struct demo_ctx *ctx = d->ctx;
	unsigned seed = 20261123u;
	struct ritual_schedule s;
	int rc = ritual_schedule_load(w, ctx->couple_id, &s);
	if (rc == SQLITE_OK)
		rc = ritual_schedule_store(w, ctx->couple_id, ctx->hurt_id, &s,
					   tz_instant(d->z, d->today - WEEKS * 7L, 12 * 3600));
	if (rc == SQLITE_OK)
		rc = demo_checkins(w, ctx, d->z, d->today, &seed);
	if (rc == SQLITE_OK)
		rc = demo_appreciations(w, ctx, d->z, d->today, &seed);
	if (rc == SQLITE_OK)
		rc = demo_shares(w, ctx, d->z, d->today);
	if (rc == SQLITE_OK)
		rc = demo_together(w, ctx, d->z, d->today, &seed);
	return rc;
}

int rituals_demo(struct demo_ctx *ctx)
{
	const struct tz *z = tz_get(DEMO_TIMEZONE);
	if (!z)
		z = tz_get("UTC");
	if (!z)
		return SQLITE_ERROR;
	struct demo_run d = { ctx, z, tz_day(z, ctx->now) };
	return db_write(ctx->db, demo_all, &d);
}
