/* demo.c: the demo couple behind `troth demo`; see demo.h.
 *
 * The accounts are made through the real flows (signup_job_run,
 * acct_signup, acct_couple_create, acct_couple_join), so the demo exercises
 * the same code and the same sealed keys a real couple has. Records come
 * after, from demo_populate: one function per record kind. */
#include "demo.h"
#include "counsel.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "auth/account.h"
#include "base/caltime.h"
#include "features/harddate.h"
#include "features/insights.h"
#include "features/journal.h"
#include "features/notes.h"
#include "features/promise.h"
#include "features/record_setting.h"
#include "features/rituals_demo.h"
#include "features/trigger.h"
#include "features/checkin.h"
#include "features/daily.h"
#include "features/agreement.h"
#include "features/recovery.h"
#include "features/roadmap.h"
#include "features/safety.h"
#include "features/transparency.h"
#include "features/vision.h"

const struct demo_account demo_accounts[3] = {
	{ "operator", "Operator", "operator-demo-pass", NULL },
	{ "sam", "Sam", "sam-demo-pass", "hurt" },
	{ "alex", "Alex", "alex-demo-pass", "accountable" },
};

const struct demo_account demo_therapist = { "robin", "Robin Hale", "robin-demo-pass", NULL };

/* ---- records ---------------------------------------------------------
 * One maker per record kind, each called once from demo_populate. A maker
 * writes through db_write_begin/db_write_end with bound statements, seals
 * free text with vault_seal (private text under ctx->hurt_key or
 * ctx->accountable_key, shared text under ctx->couple_key), dates things
 * relative to ctx->now in DEMO_TIMEZONE, and returns 0 or an SQLite error.
 * Add yours below and call it from demo_populate. */

/* records: a year of triggers that lessen, the plans for them,
 * hard dates (one coming up), the full disclosure and one later disclosure,
 * no contact with one breach, Alex's promises and Sam's outcomes, wins,
 * setbacks, the trust timeline, and each partner's private journal. Each
 * record goes through its owner's store function (trigger.h, harddate.h,
 * record_setting.h, notes.h, promise.h, journal.h), the one the pages and
 * the API use. */
struct demo_rec {
	sqlite3 *w;
	struct demo_ctx *ctx;
	long today;
	int rc;
};

static const char *demo_day(struct demo_rec *d, long ago, char out[11])
{
	date_format(d->today - ago, out);
	return out;
}

static int demo_records(struct demo_ctx *ctx)
{
	const struct tz *z = tz_get(DEMO_TIMEZONE);
	struct demo_rec d = { db_write_begin(ctx->db), ctx, z ? tz_day(z, ctx->now) : (long)(ctx->now / 86400),
			      SQLITE_OK };
	const unsigned char *ck = ctx->couple_key;
	long long cid = ctx->couple_id, sam = ctx->hurt_id, alex = ctx->accountable_id, now = (long long)ctx->now;

	/* trigger plans, proposed by Sam and accepted by Alex early on */
	static const char *const plans[][3] = {
		{ "date", "On hard days I need Alex close and the day planned, so I am not waiting for it to hit.",
		  "Alex takes the day off or keeps the evening free, plans something quiet, and asks in the morning how I am." },
		{ "place", "I need to leave, or to say out loud that this is the place, without being hushed.",
		  "Alex leaves with me without questions and answers whatever I ask on the way home." },
		{ "name", "I need to hear that there has been no contact, and to see the phone if I ask.",
		  "Alex says it plainly, hands over the phone, and does not get defensive." },
		{ "behaviour", "When Alex is late or vague I need a clear answer before my mind fills the gap.",
		  "Alex says where and with whom before being asked, and calls if plans change." },
	};
	for (int i = 0; i < 4 && d.rc == SQLITE_OK; i++) {
		struct trigger_plan_new p = { .couple_id = cid, .user_id = sam, .kind = plans[i][0], .needs = plans[i][1],
					      .response = plans[i][2], .couple_key = ck, .now = now - 300 * 86400LL };
		d.rc = trigger_plan_store(d.w, &p);
		struct trigger_plan_answer yes = { .couple_id = cid, .user_id = alex, .couple_key = ck, .id = p.id,
						   .version = p.version, .accept = true, .now = now - 299 * 86400LL };
		if (d.rc == SQLITE_OK)
			d.rc = trigger_plan_answer(d.w, &yes);
	}

	/* triggers over the year: fewer and softer as the months pass (each
	 * linked to the plan for its kind, when there is one) */
	static const struct { int ago, intensity, helped, priv; const char *kind, *what, *handled; } trig[] = {
		{ 320, 10, -1, 0, "behaviour", "Alex's phone lit up face down on the table.", "I left the room. We talked at midnight." },
		{ 305, 9, 0, 0, "place", "We drove past the hotel on the way to my mother's.", "I cried in the car; Alex pulled over." },
		{ 290, 9, 1, 0, "name", "Her name came up at a friend's dinner.", "We left early and Alex showed me the phone." },
		{ 270, 8, 1, 0, "behaviour", "Alex came home forty minutes late without a message.", "Alex explained before I asked." },
		{ 250, 8, -1, 1, "media", "A film with an affair plot, out of nowhere.", NULL },
		{ 230, 7, 1, 0, "date", "The day of the work trip last year.", "We spent the evening at home, phones away." },
		{ 200, 8, -1, 0, "situation", "Alex had to stay late for a deadline.", "Alex called twice from the office." },
		{ 170, 6, 1, 0, "name", "A message from a number I did not know.", "It was the dentist. Alex laughed with me, not at me." },
		{ 140, 5, 1, 0, "place", "Lunch near her office.", "I said so; we moved to another place." },
		{ 110, 6, -1, 1, "media", "A song from that summer on the radio.", NULL },
		{ 100, 4, 1, 0, "behaviour", "Alex was quiet all evening.", "Alex said it was work and told me about it." },
		{ 50, 4, 1, 0, "date", "The first anniversary of finding out was coming.", "We planned the day together, weeks ahead." },
		{ 20, 3, 1, 0, "place", "Driving past the hotel again.", "It stung, and passed. We talked about it later." },
	};
	for (size_t i = 0; i < sizeof(trig) / sizeof(trig[0]) && d.rc == SQLITE_OK; i++) {
		long long at = now - trig[i].ago * 86400LL - 5 * 3600;
		struct trigger_new t = { .couple_id = cid, .author_id = sam, .key = trig[i].priv ? ctx->hurt_key : ck,
					 .at = at, .day = d.today - trig[i].ago, .kind = trig[i].kind,
					 .intensity = trig[i].intensity, .plan_helped = trig[i].helped,
					 .private_ = trig[i].priv, .what = trig[i].what, .handled = trig[i].handled,
					 .created_at = at };
		d.rc = trigger_store(d.w, &t);
	}

	/* hard dates: the discovery day, the anniversary (coming up), holidays */
	static const struct { int ago, yearly; const char *label; } hd[] = {
		{ 330, 1, "The day I found out" },
		{ 353, 1, "Our wedding anniversary" },
		{ 235, 1, "The work trip" },
		{ -45, 0, "Alex's office party" },
	};
	for (size_t i = 0; i < sizeof(hd) / sizeof(hd[0]) && d.rc == SQLITE_OK; i++) {
		struct hard_date_new h = { .couple_id = cid, .author_id = sam, .day = d.today - hd[i].ago,
					   .yearly = hd[i].yearly, .label = hd[i].label, .couple_key = ck, .created_at = now };
		d.rc = hard_date_store(d.w, &h);
	}

	/* the full disclosure, no contact, and the shared notes */
	struct record_setting_new full = { .couple_id = cid, .user_id = alex, .day = d.today - 300, .couple_key = ck, .now = now };
	struct record_setting_new nc = { .couple_id = cid, .user_id = alex, .day = d.today - 325, .nocontact = true,
				.verified = "We blocked her together on the phone, email and every app, and Alex "
					    "sent the last message with me beside him.", .couple_key = ck, .now = now };
	if (d.rc == SQLITE_OK && (d.rc = record_setting_store(d.w, &full)) == SQLITE_OK)
		d.rc = record_setting_store(d.w, &nc);
	static const struct { int ago; const struct note_kind *k; const char *text, *extra; long long trust; int by_sam; } notes[] = {
		{ 320, &NOTE_DISCLOSURE, "Alex told me about the affair: six months, someone from work.", NULL, 0, 0 },
		{ 200, &NOTE_DISCLOSURE, "There were messages last spring after all, after it had supposedly ended.", NULL, 0, 0 },
		{ 240, &NOTE_BREACH, "She emailed Alex's work address. Alex forwarded it to me within the hour and did not reply.", NULL, 0, 0 },
		{ 260, &NOTE_WIN, "A whole evening where we laughed like before.", "Cooking together, no phones.", 0, 1 },
		{ 190, &NOTE_WIN, "Alex told me about a lunch invitation before I could wonder.", "The plans we agreed.", 0, 1 },
		{ 150, &NOTE_WIN, "A week without a major trigger.", "Our Sunday walks.", 0, 0 },
		{ 95, &NOTE_WIN, "A hard conversation about the why, and nobody shouted.", "Our counsellor's rule: one speaks, one listens.", 0, 1 },
		{ 30, &NOTE_WIN, "I reached for Alex's hand without thinking.", NULL, 0, 1 },
		{ 215, &NOTE_SETBACK, "After the messages came out it felt like day one again.", "Going back to weekly counselling.", 0, 1 },
		{ 120, &NOTE_SETBACK, "The holidays were heavy; old memories everywhere.", "Making new plans for the day.", 0, 0 },
		{ 60, &NOTE_SETBACK, "A bad week at work made us both short with each other.", "Saying so out loud.", 0, 1 },
	};
	for (size_t i = 0; i < sizeof(notes) / sizeof(notes[0]) && d.rc == SQLITE_OK; i++) {
		struct note_new n = { .k = notes[i].k, .couple_id = cid, .author_id = notes[i].by_sam ? sam : alex,
				      .day = d.today - notes[i].ago, .text = notes[i].text, .extra = notes[i].extra,
				      .couple_key = ck, .created_at = now };
		d.rc = note_store(d.w, &n);
	}
	static const struct { const char *date, *title, *trust, *note; } tl[] = {
		{ "2011-09-17", "We met at Jo's birthday", "high", "We talked until the bar closed." },
		{ NULL, "Our wedding", "high", NULL }, /* on the anniversary among the hard dates */
		{ "2017-03-02", "Moving for Alex's job", "low", "I felt left out of the decision." },
		{ "2019-08-10", "The trip to the coast", "high", "The last time we really talked before things drifted." },
	};
	char wedding[11];
	struct civil wd;
	civil_from_days(d.today - 353, &wd);
	snprintf(wedding, sizeof(wedding), "2014-%02d-%02d", wd.m, wd.m == 2 && wd.d == 29 ? 28 : wd.d);
	for (size_t i = 0; i < sizeof(tl) / sizeof(tl[0]) && d.rc == SQLITE_OK; i++) {
		struct note_new n = { .k = &NOTE_TIMELINE, .couple_id = cid, .author_id = sam, .trust = tl[i].trust,
				      .text = tl[i].title, .extra = tl[i].note, .couple_key = ck, .created_at = now };
		if (date_parse(tl[i].date ? tl[i].date : wedding, &n.day) < 0)
			d.rc = SQLITE_ERROR;
		else
			d.rc = note_store(d.w, &n);
	}
	static const struct { int ago; const char *trust, *title; int by_sam; } since[] = {
		{ 330, "low", "I found the messages", 1 },
		{ 70, "high", "Our first good holiday since", 0 },
	};
	for (size_t i = 0; i < sizeof(since) / sizeof(since[0]) && d.rc == SQLITE_OK; i++) {
		struct note_new n = { .k = &NOTE_TIMELINE, .couple_id = cid, .author_id = since[i].by_sam ? sam : alex,
				      .day = d.today - since[i].ago, .trust = since[i].trust, .text = since[i].title,
				      .couple_key = ck, .created_at = now };
		d.rc = note_store(d.w, &n);
	}

	/* Alex's promises; Sam records how they went */
	static const struct { int due_ago; const char *text; int kept; const char *note; } pr[] = {
		{ 310, "Show Sam the blocked contacts tonight", 1, NULL },
		{ 280, "Book the first couples counselling session", 1, "Booked for the following Tuesday." },
		{ 250, "Home by six on Fridays for a month", 1, NULL },
		{ 210, "Tell Sam about every work trip a week ahead", 0, "One trip I heard about the day before." },
		{ 160, "Call at lunch every day while travelling", 1, NULL },
		{ 90, "Plan our anniversary together", 1, "It was lovely." },
		{ 2, "Finish the reading our counsellor gave us", -1, NULL },
		{ -10, "Take Friday off for the hard date", -1, NULL },
	};
	for (size_t i = 0; i < sizeof(pr) / sizeof(pr[0]) && d.rc == SQLITE_OK; i++) {
		struct promise_new p = { .couple_id = cid, .author_id = alex, .due = d.today - pr[i].due_ago,
					 .text = pr[i].text, .couple_key = ck,
					 .created_at = now - (pr[i].due_ago + 7) * 86400LL };
		struct promise_verdict v = { .couple_id = cid, .user_id = sam, .kept = pr[i].kept == 1,
					     .note = pr[i].note, .couple_key = ck, .at = now - pr[i].due_ago * 86400LL };
		if ((d.rc = promise_store(d.w, &p)) == SQLITE_OK && pr[i].kept >= 0) {
			v.id = p.id;
			d.rc = promise_outcome_store(d.w, &v);
		}
	}

	/* the journals: each sealed under its author's own key; one of Sam's shared */
	static const struct { int ago, sam; const char *prompt, *text; } jr[] = {
		{ 318, 1, "how", "I keep replaying the night I found out. I want to know everything and nothing." },
		{ 240, 1, "afraid", "I am afraid that if I relax, it will happen again and I will be the last to know." },
		{ 40, 1, "hope", "I hope that one day this is a chapter, not the whole book." },
		{ 300, 0, "missing", "I stopped telling Sam the small things long before. That is where it started." },
		{ 100, 0, NULL, "Sam laughed at my joke today and I had to leave the room for a minute." },
	};
	for (size_t i = 0; i < sizeof(jr) / sizeof(jr[0]) && d.rc == SQLITE_OK; i++) {
		struct journal_new j = { .couple_id = cid, .author_id = jr[i].sam ? sam : alex, .prompt = jr[i].prompt,
					 .text = jr[i].text, .data_key = jr[i].sam ? ctx->hurt_key : ctx->accountable_key,
					 .created_at = now - jr[i].ago * 86400LL };
		if ((d.rc = journal_store(d.w, &j)) != SQLITE_OK || i != 2)
			continue;
		struct journal_share_new s = { .couple_id = cid, .author_id = sam, .id = j.id, .text = jr[i].text,
					       .couple_key = ck, .at = j.created_at,
					       .prompt = jr[i].prompt };
		d.rc = journal_share_store(d.w, &s);
	}
	int end = db_write_end(ctx->db, d.rc == SQLITE_OK);
	return d.rc != SQLITE_OK ? d.rc : end;
}

/* the road and looking forward: the couple mid-way along the road (steps 1
 * to 9 done, 10 to 12 under way), two agreements (one in force, one
 * proposed), Alex's ended and active transparency plans with reports and
 * Sam's looks at them, both visions (revealed) with items and a shared
 * goal, and the criteria for "recovered". Every record is made by its
 * owner's insert function (roadmap.c, agreement.c, transparency.c,
 * vision.c, recovery.c). */
struct demo_fw {
	sqlite3 *w;
	int rc;
};

static int demo_forward(struct demo_ctx *ctx)
{
	const struct tz *z = tz_get(DEMO_TIMEZONE);
	long today = z ? tz_day(z, ctx->now) : (long)(ctx->now / 86400);
	struct demo_fw d = { db_write_begin(ctx->db), SQLITE_OK };
	const unsigned char *ck = ctx->couple_key;
	long long cid = ctx->couple_id, sam = ctx->hurt_id, alex = ctx->accountable_id, now = (long long)ctx->now;
	char day1[11], day2[11], day3[11];

	/* the road: 1-9 done by both, 10-12 under way */
	for (int step = 1; step <= 12 && d.rc == SQLITE_OK; step++)
		for (int who = 0; who < 2 && d.rc == SQLITE_OK; who++)
			d.rc = roadmap_store_progress(d.w, who ? ctx->accountable_key : ctx->hurt_key, cid,
						      who ? alex : sam, step, step <= 9 ? "done" : "in_progress",
						      NULL, true, now - (long long)(13 - step) * 20 * 86400);

	/* agreements: one in force after a first text Alex did not take on,
	 * one proposed by Alex and waiting for Sam */
	date_format(today + 40, day1);
	long long ag = 0, ag2 = 0;
	if (d.rc == SQLITE_OK)
		d.rc = agreement_insert(d.w, ck, cid, sam, "friendships",
					"No evenings out with colleagues at all for now.", day1, now - 205 * 86400LL, &ag);
	if (d.rc == SQLITE_OK)
		d.rc = agreement_decline_version(d.w, ck, cid, ag, 1, alex,
						 "Team events are part of my job. Could we find a way that works for both of us?",
						 now - 204 * 86400LL);
	if (d.rc == SQLITE_OK)
		d.rc = agreement_propose_version(d.w, ck, cid, ag, 2,
						 "No evenings out alone with colleagues for now. Team events are fine, and Alex tells Sam who was there.",
						 sam, now - 200 * 86400LL);
	if (d.rc == SQLITE_OK)
		d.rc = agreement_accept_version(d.w, cid, ag, 2, alex, now - 198 * 86400LL);
	if (d.rc == SQLITE_OK)
		d.rc = agreement_insert(d.w, ck, cid, alex, "checkin_frequency",
					"Our check-in on Sunday evenings, and a short one on Wednesdays when either of us asks.",
					NULL, now - 3 * 86400LL, &ag2);

	/* transparency: Alex's first plan ran its course; the second tapers */
	date_format(today - 100, day1);
	date_format(today - 10, day2);
	long long p1 = 0, p2 = 0;
	if (d.rc == SQLITE_OK)
		d.rc = transparency_plan_insert(d.w, ck, cid, alex, "plans,whereabouts,message_history,device_access",
						day1, day2, day2, NULL,
						"My phone's code is Sam's too, and it stays on the kitchen table in the evenings.",
						now - 100 * 86400LL, &p1);
	if (d.rc == SQLITE_OK)
		d.rc = transparency_plan_agree(d.w, cid, p1, sam, day1, now - 100 * 86400LL + 3600);
	date_format(today + 50, day1);
	date_format(today + 20, day3);
	char taper[96];
	snprintf(taper, sizeof(taper), "[{\"until\":\"%s\",\"reports\":\"weekly\"}]", day3);
	if (d.rc == SQLITE_OK)
		d.rc = transparency_plan_insert(d.w, ck, cid, alex, "plans,message_history", day2, day1, day3, taper,
						"I keep my messages; I tell Sam my plans for the week on Sundays.",
						now - 10 * 86400LL, &p2);
	if (d.rc == SQLITE_OK)
		d.rc = transparency_plan_agree(d.w, cid, p2, sam, day2, now - 10 * 86400LL + 3600);
	static const struct { int plan2, ago_days, hours; const char *where, *with; } rep[] = {
		{ 0, 60, 3, "Team dinner at the Thai place on Elm Street", "Priya, Tom and Luis" },
		{ 0, 30, 2, "Dentist, then the hardware store", NULL },
		{ 1, 7, 4, "Conference in Philadelphia, back by the 6 o'clock train", "Two people from my team" },
		{ 1, -2, 2, "Five-a-side football", "The usual group" },
	};
	for (size_t i = 0; i < sizeof(rep) / sizeof(rep[0]) && d.rc == SQLITE_OK; i++) {
		long long from = now - rep[i].ago_days * 86400LL, id;
		d.rc = transparency_report_insert(d.w, ck, cid, rep[i].plan2 ? p2 : p1, alex, rep[i].where, rep[i].with,
						  from, from + rep[i].hours * 3600LL, from - 86400LL, &id);
	}
	static const int looks[][2] = { { 0, 95 }, { 0, 90 }, { 0, 88 }, { 0, 60 }, { 0, 31 }, { 1, 6 }, { 1, 2 } };
	for (size_t i = 0; i < sizeof(looks) / sizeof(looks[0]) && d.rc == SQLITE_OK; i++)
		d.rc = transparency_view_insert(d.w, cid, looks[i][0] ? p2 : p1, sam, now - looks[i][1] * 86400LL - 3600);

	/* the visions, both written and so revealed, and what they compared */
	static const char *const vision[2] = {
		"We still walk on Sunday mornings and tell each other the small things. I do not check anything "
		"any more because I do not need to. We have been back to the coast, and it felt like ours again.",
		"We talk before things build up. Sam trusts what I say because it has been true for years. We "
		"have a garden, friends over on Saturdays, and we are kind to each other on bad days.",
	};
	for (int who = 0; who < 2 && d.rc == SQLITE_OK; who++)
		d.rc = vision_store_text(d.w, ck, cid, who ? alex : sam, vision[who], now - (30 - who * 4) * 86400LL);
	static const struct { const char *text, *mark; int goal; } items[] = {
		{ "Sunday walks, every week we can", "aligned", 1 },
		{ "Telling each other the small things", "aligned", 1 },
		{ "Friends over more often", "different", 0 },
	};
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]) && d.rc == SQLITE_OK; i++) {
		long long id;
		d.rc = vision_item_insert(d.w, ck, cid, i % 2 ? alex : sam, items[i].text, items[i].mark,
					  items[i].goal, now - 20 * 86400LL, &id);
	}

	/* what "recovered" means for Sam and Alex */
	static const struct { const char *kind; long long target, weeks; int by_alex; } crit[] = {
		{ "connection", 8, 8, 1 }, { "triggers", 1, 12, 0 }, { "promises", 90, 26, 0 },
	};
	long long c1 = 0;
	if (d.rc == SQLITE_OK)
		d.rc = recovery_criterion_insert(d.w, ck, cid, sam, "statement",
						 "We can talk about what happened without it turning into a fight.", 0, 0,
						 now - 25 * 86400LL, &c1);
	if (d.rc == SQLITE_OK)
		d.rc = recovery_tick_insert(d.w, cid, c1, alex, now - 5 * 86400LL);
	for (size_t i = 0; i < sizeof(crit) / sizeof(crit[0]) && d.rc == SQLITE_OK; i++) {
		long long id;
		d.rc = recovery_criterion_insert(d.w, ck, cid, crit[i].by_alex ? alex : sam, crit[i].kind, NULL,
						 crit[i].target, crit[i].weeks, now - 25 * 86400LL, &id);
	}

	int end = db_write_end(ctx->db, d.rc == SQLITE_OK);
	return d.rc != SQLITE_OK ? d.rc : end;
}

/* ---- scenarios for the insights ------------------------------------------
 * `troth demo --scenario stalled|unsafe`: 18 months of a hard course in
 * place of the recovering records above, so that the findings of "How are
 * we doing" can be seen. Both scenarios share demo_hard_course: weekly
 * check-ins that stay flat and slide (Sam lower than at the start, Alex
 * flat), triggers every few days that do not lessen, promises mostly not
 * kept, the same setback three times in eight weeks, and no roadmap
 * progress. UNSAFE adds demo_unsafe_extra. Texts are sealed like the
 * recovering ones; check-ins go through checkin_insert. */

#define SC_WEEKS 78 /* 18 months of weeks */
#define SC_PICK(a, i) (a[(size_t)(i) % (sizeof(a) / sizeof(*a))])
#define SC_DAYS 545 /* the discovery, about 18 months ago */

static const char *const SC_SAM_UP[] = {
	"You made dinner without being asked.",
	"You answered one question straight.",
	"",
};
static const char *const SC_SAM_DOWN[] = {
	"The same argument about the messages again.",
	"You said I should be over it by now.",
	"I asked about Thursday and got a shrug.",
	"You were on your phone all evening.",
};
static const char *const SC_SAM_NEED[] = {
	"Straight answers, the first time I ask.",
	"To not be told how long this should take.",
	"To see that you are still trying.",
};
static const char *const SC_ALEX_UP[] = {
	"A quiet Sunday without a fight.",
	"You let me explain before deciding.",
};
static const char *const SC_ALEX_DOWN[] = {
	"Every conversation ends in the same place.",
	"I do not know what to do to help any more.",
	"",
};
static const char *const SC_ALEX_NEED[] = {
	"A week where it does not come up.",
	"To know what would make a difference.",
};

static int sc_checkins(struct demo_rec *d, const struct tz *z)
{
	struct demo_ctx *ctx = d->ctx;
	struct isoweek now;
	isoweek_of(d->today, &now);
	for (int ago = SC_WEEKS - 1; ago >= 0 && d->rc == SQLITE_OK; ago--) {
		struct isoweek wk;
		isoweek_of(isoweek_monday(&now) - 7L * ago, &wk);
		int step = SC_WEEKS - 1 - ago;
		for (int who = 0; who < 2; who++) {
			/* Alex missed a week now and then, and has not checked in this week */
			if (who == 1 && (ago == 0 || ago == 2 || ago == 11 || ago == 30))
				continue;
			struct checkin_answers a;
			memset(&a, 0, sizeof(a));
			/* Sam: 5 in the first months, sliding to 3; Alex: about 6 throughout */
			int base = who ? 6 : 5 - step / 26;
			int wobble = (step * 5 + who) % 3 == 0 ? 1 : (step * 5 + who) % 3 == 1 ? -1 : 0;
			a.connection = base + (step > 70 && !who ? 0 : wobble);
			for (int i = 0; i < CHECKIN_DIMS; i++)
				a.dims[i] = base + ((step + i) % 4 == 0 ? 1 : (step + i) % 4 == 2 ? -1 : 0) - (step > 70 && !who);
			for (int i = 0; i < CHECKIN_SIGNS; i++)
				a.signs[i] = who ? 3 : 2 + (step < 20);
			a.texts[0] = who ? SC_PICK(SC_ALEX_UP, step) : SC_PICK(SC_SAM_UP, step);
			a.texts[1] = who ? SC_PICK(SC_ALEX_DOWN, step) : SC_PICK(SC_SAM_DOWN, step);
			a.texts[2] = who ? SC_PICK(SC_ALEX_NEED, step) : SC_PICK(SC_SAM_NEED, step);
			long day = isoweek_monday(&wk) + 6 < d->today ? isoweek_monday(&wk) + 6 : d->today;
			time_t at = tz_instant(z, day, 20 * 3600 + who * 1800);
			if (at > ctx->now)
				at = ctx->now;
			long long id;
			d->rc = checkin_insert(d->w, ctx->couple_key, ctx->couple_id, who ? ctx->accountable_id : ctx->hurt_id,
					       &wk, checkin_reveal_at(z, &wk), &a, at, &id);
			if (d->rc != SQLITE_OK)
				break;
		}
	}
	return d->rc;
}

static int demo_hard_course(struct demo_rec *d, const struct tz *z)
{
	struct demo_ctx *ctx = d->ctx;
	const unsigned char *ck = ctx->couple_key;
	long long cid = ctx->couple_id, sam = ctx->hurt_id, alex = ctx->accountable_id, now = (long long)ctx->now;
	char day[11];

	if (sc_checkins(d, z) != SQLITE_OK)
		return d->rc;

	/* the discovery day, set for the insights, and as a hard date */
	if (d->rc == SQLITE_OK)
		d->rc = insights_discovery_write(d->w, cid, demo_day(d, SC_DAYS, day), sam, (time_t)now);
	struct hard_date_new found = { .couple_id = cid, .author_id = sam, .day = d->today - SC_DAYS, .yearly = true,
				       .label = "The day I found out", .couple_key = ck, .created_at = now };
	if (d->rc == SQLITE_OK)
		d->rc = hard_date_store(d->w, &found);

	/* the first disclosure, then the full one a month later, and no contact since */
	struct note_new first = { .k = &NOTE_DISCLOSURE, .couple_id = cid, .author_id = alex, .day = d->today - SC_DAYS,
				  .text = "Alex told me about the affair after I found the messages: a year, someone from the gym.",
				  .couple_key = ck, .created_at = now };
	if (d->rc == SQLITE_OK)
		d->rc = note_store(d->w, &first);
	struct record_setting_new full = { .couple_id = cid, .user_id = alex, .day = d->today - (SC_DAYS - 30), .couple_key = ck,
				  .now = now };
	struct record_setting_new nc = { .couple_id = cid, .user_id = alex, .day = d->today - (SC_DAYS - 20), .nocontact = true,
				.couple_key = ck, .now = now };
	if (d->rc == SQLITE_OK && (d->rc = record_setting_store(d->w, &full)) == SQLITE_OK)
		d->rc = record_setting_store(d->w, &nc);

	/* triggers every four days or so, as strong at the end as at the start */
	static const char *const tk[] = { "behaviour", "place", "name", "media", "situation", "date" };
	static const char *const tw[] = {
		"Alex's phone buzzed late at night.",
		"We drove past the gym.",
		"Someone at work had the same first name.",
		"A series with an affair in it.",
		"Alex was an hour late from work with no message.",
		"The day they first met, by Alex's account.",
	};
	for (int ago = SC_DAYS - 10, i = 0; ago >= 1 && d->rc == SQLITE_OK; ago -= 3 + i % 3, i++) {
		long long at = now - ago * 86400LL - 4 * 3600;
		struct trigger_new t = { .couple_id = cid, .author_id = sam, .key = ck, .at = at, .day = d->today - ago,
					 .kind = tk[i % 6], .intensity = 7 + i % 3, .plan_helped = -1, .what = tw[i % 6],
					 .created_at = at };
		d->rc = trigger_store(d->w, &t);
	}

	/* a promise every two weeks; two of every three not kept */
	static const char *const pt[] = {
		"Tell Sam about plans with friends a day ahead",
		"Be home by seven on weeknights",
		"Answer Sam's questions without sighing",
		"Book the counselling session",
		"Put the phone away at dinner",
	};
	for (int due = SC_DAYS - 20, i = 0; due >= 4 && d->rc == SQLITE_OK; due -= 14, i++) {
		struct promise_new p = { .couple_id = cid, .author_id = alex, .due = d->today - due, .text = pt[i % 5],
					 .couple_key = ck, .created_at = now - (due + 7) * 86400LL };
		struct promise_verdict v = { .couple_id = cid, .user_id = sam, .kept = i % 3 == 0, .couple_key = ck,
					     .at = now - due * 86400LL };
		if ((d->rc = promise_store(d->w, &p)) == SQLITE_OK) {
			v.id = p.id;
			d->rc = promise_outcome_store(d->w, &v);
		}
	}

	/* the same hard evening, again and again */
	static const int setbacks[] = { 48, 27, 9 };
	for (size_t i = 0; i < sizeof(setbacks) / sizeof(setbacks[0]) && d->rc == SQLITE_OK; i++) {
		struct note_new n = { .k = &NOTE_SETBACK, .couple_id = cid, .author_id = i % 2 ? alex : sam,
				      .day = d->today - setbacks[i],
				      .text = "The same argument about the gym, and neither of us slept.", .couple_key = ck,
				      .created_at = now };
		d->rc = note_store(d->w, &n);
	}

	/* the trust timeline: the good years, and the day it broke */
	struct note_new wedding = { .k = &NOTE_TIMELINE, .couple_id = cid, .author_id = sam, .day = days_from_civil(2012, 6, 2),
				    .trust = "high", .text = "Our wedding", .couple_key = ck, .created_at = now };
	struct note_new broke = { .k = &NOTE_TIMELINE, .couple_id = cid, .author_id = sam, .day = d->today - SC_DAYS,
				  .trust = "low", .text = "I found the messages", .couple_key = ck, .created_at = now };
	if (d->rc == SQLITE_OK && (d->rc = note_store(d->w, &wedding)) == SQLITE_OK)
		d->rc = note_store(d->w, &broke);
	return d->rc;
}

/* UNSAFE: what came out after the full disclosure, contact despite no
 * contact, and Sam's own safety check (stored by safety.c, under Sam's
 * key). */
static int demo_unsafe_extra(struct demo_rec *d)
{
	struct demo_ctx *ctx = d->ctx;
	const unsigned char *ck = ctx->couple_key;
	long long cid = ctx->couple_id, sam = ctx->hurt_id, alex = ctx->accountable_id, now = (long long)ctx->now;
	static const struct { int ago; const struct note_kind *k; const char *text; long long by_sam; } notes[] = {
		{ 75, &NOTE_DISCLOSURE, "It had not ended when Alex said it had; they met twice more in the spring.", 0 },
		{ 22, &NOTE_DISCLOSURE, "There was a second account I did not know about.", 1 },
		{ 40, &NOTE_BREACH, "They met for coffee. I found out from a friend, not from Alex.", 1 },
	};
	for (size_t i = 0; i < sizeof(notes) / sizeof(notes[0]) && d->rc == SQLITE_OK; i++) {
		struct note_new n = { .k = notes[i].k, .couple_id = cid, .author_id = notes[i].by_sam ? sam : alex,
				      .day = d->today - notes[i].ago, .text = notes[i].text, .couple_key = ck,
				      .created_at = now };
		d->rc = note_store(d->w, &n);
	}
	if (d->rc != SQLITE_OK)
		return d->rc;

	static const char *const fear[] = { "emotional", "verbal", "afraid", NULL };
	d->rc = safety_store_answers(d->w, ctx->hurt_key, sam, fear, now - 3 * 86400LL);
	return d->rc;
}

/* ---- more stories for the insights ------------------------------------
 * HEALING and RUG_SWEEPING are ten months after the discovery and look
 * alike on the surface (both check in every week, promises are kept, the
 * road moves), but in HEALING the talks about the betrayal go on, less
 * often and less hard, while Sam's scores rise; in RUG_SWEEPING the talks
 * stop three months ago and Sam's scores stay low while Alex's climb.
 * BOTH_BROKE is a year after the discovery of a couple where each broke
 * the other's trust (both roles "both"): both record triggers and make
 * promises, and Alex's scores have slid below where they started. */

struct sc_texts {
	const char *up[3], *down[3], *need[3];
};

/* Weekly check-ins of `weeks` weeks ending this week: each partner's
 * connection on a line from[who] to to[who] with a wobble of a point,
 * the six dimensions beside it, "listened to" at listened[who]. */
static int sc_lines(struct demo_rec *d, const struct tz *z, int weeks, const int from[2], const int to[2],
		    const int listened[2], const struct sc_texts *t)
{
	struct demo_ctx *ctx = d->ctx;
	struct isoweek now;
	isoweek_of(d->today, &now);
	for (int ago = weeks - 1; ago >= 0 && d->rc == SQLITE_OK; ago--) {
		struct isoweek wk;
		isoweek_of(isoweek_monday(&now) - 7L * ago, &wk);
		int step = weeks - 1 - ago;
		for (int who = 0; who < 2 && d->rc == SQLITE_OK; who++) {
			struct checkin_answers a;
			memset(&a, 0, sizeof(a));
			int base = from[who] + (to[who] - from[who]) * step / (weeks - 1);
			int wobble = (step * 7 + who) % 3 - 1;
			a.connection = base + wobble < 1 ? 1 : base + wobble > 10 ? 10 : base + wobble;
			for (int i = 0; i < CHECKIN_DIMS; i++) {
				int v = base + ((step + i) % 3 == 0 ? 1 : 0);
				a.dims[i] = v < 1 ? 1 : v > 10 ? 10 : v;
			}
			for (int i = 0; i < CHECKIN_SIGNS; i++)
				a.signs[i] = listened[who];
			a.texts[0] = t[who].up[step % 3];
			a.texts[1] = t[who].down[step % 3];
			a.texts[2] = t[who].need[step % 3];
			long day = isoweek_monday(&wk) + 6 < d->today ? isoweek_monday(&wk) + 6 : d->today;
			time_t at = tz_instant(z, day, 20 * 3600 + who * 1800);
			if (at > ctx->now)
				at = ctx->now;
			long long id;
			d->rc = checkin_insert(d->w, ctx->couple_key, ctx->couple_id, who ? ctx->accountable_id : ctx->hurt_id,
					       &wk, checkin_reveal_at(z, &wk), &a, at, &id);
		}
	}
	return d->rc;
}

static void sc_trigger(struct demo_rec *d, long long author, int ago, int intensity, const char *kind, const char *what)
{
	if (d->rc != SQLITE_OK)
		return;
	long long at = (long long)d->ctx->now - ago * 86400LL - 4 * 3600;
	struct trigger_new t = { .couple_id = d->ctx->couple_id, .author_id = author, .key = d->ctx->couple_key, .at = at,
				 .day = d->today - ago, .kind = kind, .intensity = intensity, .plan_helped = -1,
				 .what = what, .created_at = at };
	d->rc = trigger_store(d->w, &t);
}

static void sc_note(struct demo_rec *d, const struct note_kind *k, long long author, int ago, const char *text)
{
	if (d->rc != SQLITE_OK)
		return;
	struct note_new n = { .k = k, .couple_id = d->ctx->couple_id, .author_id = author, .day = d->today - ago,
			      .text = text, .couple_key = d->ctx->couple_key, .created_at = (long long)d->ctx->now };
	d->rc = note_store(d->w, &n);
}

static void sc_promise(struct demo_rec *d, long long by, long long to, int due_ago, const char *text, bool kept)
{
	if (d->rc != SQLITE_OK)
		return;
	long long now = (long long)d->ctx->now;
	struct promise_new p = { .couple_id = d->ctx->couple_id, .author_id = by, .due = d->today - due_ago, .text = text,
				 .couple_key = d->ctx->couple_key, .created_at = now - (due_ago + 7) * 86400LL };
	if ((d->rc = promise_store(d->w, &p)) != SQLITE_OK)
		return;
	struct promise_verdict v = { .couple_id = d->ctx->couple_id, .user_id = to, .id = p.id, .kept = kept,
				     .couple_key = d->ctx->couple_key, .at = now - due_ago * 86400LL };
	d->rc = promise_outcome_store(d->w, &v);
}

/* The discovery day, the first disclosure on it, the full disclosure and
 * no contact a little later, the road walked to step `steps` (the last
 * moved `moved_ago` days ago), and the couple's answers to the timeline. */
static void sc_start(struct demo_rec *d, int days, long long found_by, int steps, int moved_ago, const char *disclosure)
{
	struct demo_ctx *ctx = d->ctx;
	long long cid = ctx->couple_id, now = (long long)ctx->now;
	char day[11];
	if (d->rc == SQLITE_OK)
		d->rc = insights_discovery_write(d->w, cid, demo_day(d, days, day), found_by, (time_t)now);
	struct hard_date_new found = { .couple_id = cid, .author_id = found_by, .day = d->today - days, .yearly = true,
				       .label = "The day it came out", .couple_key = ctx->couple_key, .created_at = now };
	if (d->rc == SQLITE_OK)
		d->rc = hard_date_store(d->w, &found);
	sc_note(d, &NOTE_DISCLOSURE, ctx->accountable_id, days, disclosure);
	struct record_setting_new full = { .couple_id = cid, .user_id = ctx->accountable_id, .day = d->today - (days - 15),
					   .couple_key = ctx->couple_key, .now = now };
	struct record_setting_new nc = { .couple_id = cid, .user_id = ctx->accountable_id, .day = d->today - (days - 10),
					 .nocontact = true, .couple_key = ctx->couple_key, .now = now };
	if (d->rc == SQLITE_OK && (d->rc = record_setting_store(d->w, &full)) == SQLITE_OK)
		d->rc = record_setting_store(d->w, &nc);
	for (int step = 1; step <= steps && d->rc == SQLITE_OK; step++)
		for (int who = 0; who < 2 && d->rc == SQLITE_OK; who++)
			d->rc = roadmap_store_progress(d->w, who ? ctx->accountable_key : ctx->hurt_key, cid,
						       who ? ctx->accountable_id : ctx->hurt_id, step,
						       step < steps ? "done" : "in_progress", NULL, true,
						       now - (long long)(moved_ago + (steps - step) * 20) * 86400);
}

static void sc_factor(struct demo_rec *d, long long who, const char *factor, const char *answer)
{
	if (d->rc == SQLITE_OK)
		d->rc = insights_factor_write(d->w, d->ctx->couple_key, who == d->ctx->hurt_id ? d->ctx->hurt_key
											       : d->ctx->accountable_key,
					      d->ctx->couple_id, who, factor, answer, d->ctx->now);
}

static const struct sc_texts HEAL_TEXTS[2] = {
	{ { "We talked about the hotel and it did not end in a fight.", "You told me about the lunch before I asked.", "A Sunday walk." },
	  { "A bad night with the old pictures in my head.", "I snapped at you about your phone.", "" },
	  { "To keep talking about it, even when it is hard.", "A hug when I go quiet.", "Your plans for the week." } },
	{ { "Sam asked me a hard question and I answered it straight.", "We laughed at dinner.", "Sam reached for my hand." },
	  { "I got defensive when the trip came up.", "", "Work ran late and I forgot to call." },
	  { "Patience with me when I get it wrong.", "To hear when it is a good day too.", "More time, just us." } },
};
static const struct sc_texts RUG_TEXTS[2] = {
	{ { "A quiet evening.", "", "Dinner was fine." },
	  { "I did not say what I was thinking again.", "It felt like it never happened.", "I keep it to myself." },
	  { "", "To be asked how I really am.", "" } },
	{ { "A good week, no arguments.", "Things feel normal again.", "We are past the worst." },
	  { "", "Sam seemed far away.", "" },
	  { "To keep things light.", "", "To move on." } },
};
static const struct sc_texts BOTH_TEXTS[2] = {
	{ { "Alex let me finish before answering.", "We told each other one true thing.", "The counsellor's homework went well." },
	  { "I felt judged for what I did years ago.", "We compared who hurt whom more.", "" },
	  { "To be seen as more than my mistake.", "Fewer scores kept.", "A plan for hard evenings." } },
	{ { "Sam told me about the messages without my asking.", "", "A calm Saturday." },
	  { "I found out about the old affair in a session, not from Sam.", "I feel like the one who has to forgive first.", "Another sleepless night." },
	  { "To hear it from Sam first, always.", "To have my hurt counted too.", "Time." } },
};

static int demo_healing(struct demo_rec *d, const struct tz *z)
{
	struct demo_ctx *ctx = d->ctx;
	long long sam = ctx->hurt_id, alex = ctx->accountable_id;
	static const int from[2] = { 2, 5 }, to[2] = { 7, 7 }, listened[2] = { 4, 4 };
	if (sc_lines(d, z, 40, from, to, listened, HEAL_TEXTS) != SQLITE_OK)
		return d->rc;
	sc_start(d, 300, sam, 9, 6, "Alex told me about the affair: four months, someone from an old job.");
	/* the talks go on: triggers less often and less strong as the months pass */
	static const char *const tk[] = { "behaviour", "place", "name", "date" };
	static const char *const tw[] = { "Alex was late without a message.", "We passed the restaurant.",
					  "Her name in a group chat.", "The day of the trip, a year on." };
	for (int ago = 290, i = 0; ago >= 3 && d->rc == SQLITE_OK; ago -= 3 + (290 - ago) / 18, i++)
		sc_trigger(d, sam, ago, 8 - (290 - ago) / 60, tk[i % 4], tw[i % 4]);
	sc_note(d, &NOTE_SETBACK, sam, 200, "The messages came back to me all week.");
	sc_note(d, &NOTE_SETBACK, alex, 120, "I went quiet instead of answering, and it got worse.");
	sc_note(d, &NOTE_SETBACK, sam, 40, "The holidays were heavy.");
	sc_note(d, &NOTE_WIN, sam, 150, "We talked about the why and nobody shouted.");
	sc_note(d, &NOTE_WIN, alex, 60, "Sam asked about the trip, and it was an ordinary talk.");
	sc_note(d, &NOTE_WIN, sam, 20, "I told Alex about a bad moment the same evening.");
	static const char *const pt[] = { "Tell Sam my plans for the week on Sundays", "Be home by seven on weeknights",
					  "Answer the hard questions the first time", "Plan one evening a week for us two" };
	for (int due = 280, i = 0; due >= 5; due -= 21, i++)
		sc_promise(d, alex, sam, due, pt[i % 4], i != 3);
	sc_factor(d, sam, "severity", "brief");
	sc_factor(d, sam, "repeated", "first");
	sc_factor(d, sam, "before", "good");
	sc_factor(d, sam, "commitment", "committed");
	sc_factor(d, alex, "commitment", "committed");
	return d->rc;
}

static int demo_rug_sweeping(struct demo_rec *d, const struct tz *z)
{
	struct demo_ctx *ctx = d->ctx;
	long long sam = ctx->hurt_id, alex = ctx->accountable_id;
	static const int from[2] = { 4, 5 }, to[2] = { 3, 8 }, listened[2] = { 3, 4 };
	if (sc_lines(d, z, 40, from, to, listened, RUG_TEXTS) != SQLITE_OK)
		return d->rc;
	sc_start(d, 300, sam, 9, 6, "Alex told me about the affair: four months, someone from an old job.");
	/* talked about at first, then not at all for the last three months */
	static const char *const tk[] = { "behaviour", "place", "name", "date" };
	static const char *const tw[] = { "Alex was late without a message.", "We passed the restaurant.",
					  "Her name in a group chat.", "The day of the trip." };
	for (int ago = 290, i = 0; ago >= 100 && d->rc == SQLITE_OK; ago -= 4, i++)
		sc_trigger(d, sam, ago, 7 + i % 2, tk[i % 4], tw[i % 4]);
	sc_note(d, &NOTE_SETBACK, sam, 200, "The messages came back to me all week.");
	sc_note(d, &NOTE_SETBACK, sam, 150, "We fought about the trip again.");
	sc_note(d, &NOTE_SETBACK, alex, 110, "Sam brought it up at dinner and I said we should move on.");
	sc_note(d, &NOTE_WIN, alex, 30, "A whole month without an argument.");
	sc_note(d, &NOTE_WIN, alex, 10, "Dinner with friends, like before.");
	static const char *const pt[] = { "Tell Sam my plans for the week on Sundays", "Be home by seven on weeknights",
					  "Book the dinner for Sam's birthday", "Fix the bike this weekend" };
	for (int due = 280, i = 0; due >= 5; due -= 21, i++)
		sc_promise(d, alex, sam, due, pt[i % 4], i != 3);
	sc_factor(d, alex, "severity", "brief");
	sc_factor(d, alex, "commitment", "committed");
	return d->rc;
}

static int demo_both_broke(struct demo_rec *d, const struct tz *z)
{
	struct demo_ctx *ctx = d->ctx;
	long long sam = ctx->hurt_id, alex = ctx->accountable_id;
	static const int from[2] = { 5, 6 }, to[2] = { 6, 4 }, listened[2] = { 4, 3 };
	if (sc_lines(d, z, 48, from, to, listened, BOTH_TEXTS) != SQLITE_OK)
		return d->rc;
	sc_start(d, 340, alex, 8, 10, "Sam found the messages: Alex had been close to someone at work for a year.");
	/* Sam's own old affair came out ten days later, in a session, before the full disclosure */
	sc_note(d, &NOTE_DISCLOSURE, sam, 330, "Sam told Alex about an affair eight years ago, in front of the counsellor.");
	static const char *const tws[] = { "Alex's phone face down on the table.", "A late message from work." };
	static const char *const twa[] = { "A friend mentioned that summer, eight years ago.", "Sam was vague about an evening out." };
	for (int ago = 310, i = 0; ago >= 2 && d->rc == SQLITE_OK; ago -= 9, i++) {
		if (i % 2)
			sc_trigger(d, sam, ago, 7 - i / 12, "behaviour", tws[i % 2]);
		else
			sc_trigger(d, alex, ago, 8 - i / 12, i % 4 ? "situation" : "name", twa[(i / 2) % 2]);
	}
	sc_note(d, &NOTE_SETBACK, alex, 150, "We argued about whose betrayal was worse.");
	sc_note(d, &NOTE_SETBACK, sam, 70, "An old photo, and a long silence.");
	sc_note(d, &NOTE_WIN, sam, 100, "We each answered a hard question without keeping score.");
	static const char *const ps[] = { "Tell Alex who I am meeting, before I go", "Show Alex the old emails" };
	static const char *const pa[] = { "Keep my work messages open to Sam", "Call if I am late" };
	for (int due = 300, i = 0; due >= 5; due -= 14, i++)
		sc_promise(d, i % 2 ? alex : sam, i % 2 ? sam : alex, due, i % 2 ? pa[(i / 2) % 2] : ps[(i / 2) % 2], i % 5 != 4);
	sc_factor(d, sam, "severity", "long");
	sc_factor(d, alex, "repeated", "repeated");
	sc_factor(d, sam, "before", "strained");
	sc_factor(d, alex, "before", "strained");
	sc_factor(d, sam, "commitment", "committed");
	sc_factor(d, alex, "commitment", "unsure");
	return d->rc;
}

static int demo_scenario_records(struct demo_ctx *ctx, int sc)
{
	const struct tz *z = tz_get(DEMO_TIMEZONE);
	if (!z)
		return SQLITE_ERROR;
	struct demo_rec d = { db_write_begin(ctx->db), ctx, tz_day(z, ctx->now), SQLITE_OK };
	if (sc == DEMO_HEALING)
		demo_healing(&d, z);
	else if (sc == DEMO_RUG_SWEEPING)
		demo_rug_sweeping(&d, z);
	else if (sc == DEMO_BOTH_BROKE)
		demo_both_broke(&d, z);
	else if (demo_hard_course(&d, z) == SQLITE_OK && sc == DEMO_UNSAFE)
		demo_unsafe_extra(&d);
	int end = db_write_end(ctx->db, d.rc == SQLITE_OK);
	return d.rc != SQLITE_OK ? d.rc : end;
}

int demo_scenario_parse(const char *name)
{
	static const char *const NAMES[] = { "recovering", "stalled", "unsafe", "healing", "rug_sweeping", "both_broke" };
	for (int i = 0; name && i < (int)(sizeof(NAMES) / sizeof(NAMES[0])); i++)
		if (!strcmp(name, NAMES[i]))
			return i;
	return -1;
}

int demo_populate(struct demo_ctx *ctx)
{
	int rc;
	/* e.g.  if ((rc = demo_checkins(ctx)))  return rc; */
	if ((rc = rituals_demo(ctx))) /* the rituals: rituals_demo.c */
		return rc;
	if ((rc = demo_records(ctx)))
		return rc;
	if ((rc = demo_forward(ctx)))
		return rc;
	return 0;
}

/* The daily check-ins of the last week, through daily_insert: Sam's and
 * Alex's each evening, and Sam's of today, which waits for Alex's. The
 * numbers follow the scenario: warming while they recover, flat while
 * stalled, and Sam feeling unsafe in the unsafe one. */
static int demo_daily(struct demo_ctx *ctx, int sc)
{
	static const char *const WORDS[2][7] = {
		{ "Tired but okay.", NULL, "The walk helped.", NULL, "A hard evening.", NULL, "Quieter today." },
		{ NULL, "We laughed once.", NULL, "I listened more.", NULL, "Long day at work.", NULL },
	};
	const struct tz *z = tz_get(DEMO_TIMEZONE);
	if (!z)
		return SQLITE_ERROR;
	sqlite3 *w = db_write_begin(ctx->db);
	long today = tz_day(z, ctx->now);
	int rc = SQLITE_OK;
	for (int ago = 6; ago >= 0 && rc == SQLITE_OK; ago--) {
		for (int who = 0; who < 2 && rc == SQLITE_OK; who++) {
			if (who == 1 && ago == 0)
				continue; /* Alex has not checked in today yet */
			int step = 6 - ago;
			bool better = sc == DEMO_RECOVERING || sc == DEMO_HEALING;
			int close = better ? 5 + step / 2 : sc == DEMO_STALLED ? 4 - (step % 2)
				  : sc == DEMO_RUG_SWEEPING ? (who ? 6 : 3) : sc == DEMO_BOTH_BROKE ? 5 - who : 3;
			int safe = sc == DEMO_UNSAFE && !who ? 2 + (step % 2) : better ? 6 + step / 3 : 5;
			time_t at = tz_instant(z, today - ago, 21 * 3600 + who * 1800);
			if (at > ctx->now)
				at = ctx->now;
			long long id;
			rc = daily_insert(w, ctx->couple_key, ctx->couple_id, who ? ctx->accountable_id : ctx->hurt_id,
					  today - ago, daily_reveal_at(z, today - ago), close + who, safe + who,
					  WORDS[who][step], at, &id);
		}
	}
	int end = db_write_end(ctx->db, rc == SQLITE_OK);
	return rc != SQLITE_OK ? rc : end;
}

/* ---- accounts and the couple ------------------------------------------ */

/* Signs up account a: with no code on an empty database (which makes the
 * operator), else with a fresh signup code from created_by. Fills job (the
 * caller wipes it) and *uid. Returns 0, or -1 with msg set. */
static int demo_signup(struct db *db, const struct demo_account *a, long long created_by,
		       struct signup_job *job, long long *uid, char *msg, size_t msglen)
{
	char code[INVITE_CODE_SIZE] = "";
	unsigned char couple_key[VAULT_KEY_BYTES];
	bool joined = false;
	int rc = SQLITE_OK;
	memset(job, 0, sizeof(*job));
	job->password = a->password;
	signup_job_run(job);
	if (job->failed) {
		snprintf(msg, msglen, "the password for %s could not be hashed (out of memory?)",
			 a->username);
		return -1;
	}
	if (created_by && (rc = acct_signup_code(db, created_by, code)) != SQLITE_OK) {
		snprintf(msg, msglen, "a signup code for %s could not be stored: %s", a->username,
			 sqlite3_errstr(rc));
		return -1;
	}
	enum acct_err e = acct_signup(db, a->username, a->display_name, created_by ? code : NULL,
				      NULL, job, uid, &joined, couple_key, &rc);
	sodium_memzero(couple_key, sizeof(couple_key));
	if (e != ACCT_OK) {
		snprintf(msg, msglen, "the account %s could not be made (error %d: %s)", a->username,
			 (int)e, sqlite3_errstr(rc));
		return -1;
	}
	return 0;
}

/* The demo counsellor, Robin: an account made with a code from the
 * operator, and access to Sam and Alex (features/counsel.c). Returns 0,
 * or -1 with msg set. */
static int demo_counsellor(struct demo_ctx *ctx, long long op_id, struct signup_job *job, char *msg, size_t msglen)
{
	char code[INVITE_CODE_SIZE] = "";
	long long uid = 0;
	int rc;
	job->password = demo_therapist.password;
	signup_job_run(job);
	if (job->failed || (rc = acct_signup_code(ctx->db, op_id, code)) != SQLITE_OK ||
	    (rc = counsel_demo_account(ctx->db, demo_therapist.username, demo_therapist.display_name, code, job, &uid)) !=
		    SQLITE_OK) {
		snprintf(msg, msglen, "the counsellor's account could not be made");
		return -1;
	}
	struct counsel_demo_couple d = { ctx->couple_id, { ctx->hurt_id, ctx->accountable_id }, { "hurt", "accountable" },
					 { ctx->hurt_key, ctx->accountable_key }, ctx->couple_key, DEMO_TIMEZONE,
					 tz_get(DEMO_TIMEZONE) };
	if (!d.tz || (rc = counsel_demo(ctx->db, &d, uid, ctx->now)) != SQLITE_OK) {
		snprintf(msg, msglen, "the counsellor's access could not be stored: %s", sqlite3_errstr(d.tz ? rc : SQLITE_ERROR));
		return -1;
	}
	return 0;
}

/* 0 when there are no accounts, 3 when the three demo accounts are there,
 * another count otherwise; -1 on a storage error. */
static int demo_state(struct db *db, long long *users)
{
	long long demo = 0;
	const char *names[] = { demo_accounts[0].username, demo_accounts[1].username,
				demo_accounts[2].username };
	if (acct_count_users(db->writer, names, 3, users, &demo) != SQLITE_OK)
		return -1;
	return (int)demo;
}

enum demo_result demo_create(struct db *db, char *msg, size_t msglen)
{
	return demo_create_scenario(db, DEMO_RECOVERING, msg, msglen);
}

enum demo_result demo_create_scenario(struct db *db, int sc, char *msg, size_t msglen)
{
	const struct demo_account *op = &demo_accounts[0], *hurt = &demo_accounts[1],
				  *acc = &demo_accounts[2];
	struct demo_ctx ctx;
	struct signup_job job_op, job_hurt, job_acc, job_t;
	char invite[INVITE_CODE_SIZE];
	long long users = 0, op_id = 0, couple_id = 0;
	enum demo_result res = DEMO_FAILED;
	int rc = SQLITE_OK;

	msg[0] = '\0';
	if (sc < DEMO_RECOVERING || sc > DEMO_BOTH_BROKE) {
		snprintf(msg, msglen, "there is no demo scenario %d", sc);
		return DEMO_FAILED;
	}
	int state = demo_state(db, &users);
	if (state < 0) {
		snprintf(msg, msglen, "the database cannot be read: %s", sqlite3_errmsg(db->writer));
		return DEMO_FAILED;
	}
	if (state == 3)
		return DEMO_EXISTS;
	if (users)
		return DEMO_NOT_EMPTY;

	memset(&ctx, 0, sizeof(ctx));
	memset(&job_op, 0, sizeof(job_op));
	memset(&job_hurt, 0, sizeof(job_hurt));
	memset(&job_acc, 0, sizeof(job_acc));
	memset(&job_t, 0, sizeof(job_t));
	ctx.db = db;
	ctx.now = time(NULL);

	/* The first account on an empty database becomes the operator. */
	if (demo_signup(db, op, 0, &job_op, &op_id, msg, msglen) < 0)
		goto out;
	/* Sam signs up with a code from the operator and starts the couple. */
	if (demo_signup(db, hurt, op_id, &job_hurt, &ctx.hurt_id, msg, msglen) < 0)
		goto out;
	/* in BOTH_BROKE each broke the other's trust */
	const char *role_sam = sc == DEMO_BOTH_BROKE ? "both" : hurt->role, *role_alex = sc == DEMO_BOTH_BROKE ? "both" : acc->role;
	enum acct_err e = acct_couple_create(db, ctx.hurt_id, role_sam, DEMO_TIMEZONE,
					     job_hurt.data_key, ctx.couple_key, invite,
					     &ctx.couple_id, &rc);
	if (e != ACCT_OK) {
		snprintf(msg, msglen, "the couple could not be made (error %d: %s)", (int)e,
			 sqlite3_errstr(rc));
		goto out;
	}
	/* Alex signs up with another code, then joins with Sam's partner invite. */
	if (demo_signup(db, acc, op_id, &job_acc, &ctx.accountable_id, msg, msglen) < 0)
		goto out;
	unsigned char couple_key[VAULT_KEY_BYTES];
	e = acct_couple_join(db, ctx.accountable_id, invite, role_alex, job_acc.data_key,
			     couple_key, &couple_id, &rc);
	bool same = e == ACCT_OK && couple_id == ctx.couple_id &&
		    sodium_memcmp(couple_key, ctx.couple_key, VAULT_KEY_BYTES) == 0;
	sodium_memzero(couple_key, sizeof(couple_key));
	if (!same) {
		snprintf(msg, msglen, "%s could not join the couple (error %d: %s)", acc->username,
			 (int)e, sqlite3_errstr(rc));
		goto out;
	}
	memcpy(ctx.hurt_key, job_hurt.data_key, VAULT_KEY_BYTES);
	memcpy(ctx.accountable_key, job_acc.data_key, VAULT_KEY_BYTES);
	if ((rc = sc == DEMO_RECOVERING ? demo_populate(&ctx) : demo_scenario_records(&ctx, sc)) != 0 ||
	    (rc = demo_daily(&ctx, sc)) != 0) {
		snprintf(msg, msglen, "the demo records could not be written: %s", sqlite3_errstr(rc));
		goto out;
	}
	/* Robin, a counsellor, with an operator's code; both partners said yes. */
	if (demo_counsellor(&ctx, op_id, &job_t, msg, msglen) < 0)
		goto out;
	res = DEMO_CREATED;
out:
	sodium_memzero(invite, sizeof(invite));
	sodium_memzero(&ctx, sizeof(ctx));
	signup_job_wipe(&job_op);
	signup_job_wipe(&job_hurt);
	signup_job_wipe(&job_acc);
	signup_job_wipe(&job_t);
	return res;
}

/* ---- a generated store of many couples -------------------------------- */

/* Both partners' records of one generated couple over `years` years up to
 * now, in one write, each through its room's store function. The numbers
 * wander with the couple's index so the couples differ. */
static int gen_records(struct db *db, const unsigned char *ck, long long cid, const long long who[2], int years,
		       int index, time_t now)
{
	static const char *const WORDS[] = { "A calm week.", "We talked on Sunday.", "Hard, but we stayed.",
					     "More time together.", NULL };
	const struct tz *z = tz_get(DEMO_TIMEZONE);
	if (!z)
		return SQLITE_ERROR;
	sqlite3 *w = db_write_begin(db);
	long today = tz_day(z, now), first = today - 365L * years;
	int rc = SQLITE_OK;
	struct isoweek wk;
	isoweek_of(first, &wk);
	for (long mon = isoweek_monday(&wk); mon <= today && rc == SQLITE_OK; mon += 7) {
		isoweek_of(mon, &wk);
		int step = (int)((mon - first) / 7);
		for (int p = 0; p < 2 && rc == SQLITE_OK; p++) {
			if ((step + index + p) % 9 == 0)
				continue; /* a missed week now and then */
			struct checkin_answers a;
			memset(&a, 0, sizeof(a));
			int base = 4 + (step * (p + 1) / 40 + index) % 5;
			a.connection = base + (step + p) % 3 - 1;
			for (int i = 0; i < CHECKIN_DIMS; i++)
				a.dims[i] = base + (step + i + p) % 3 - 1;
			for (int i = 0; i < CHECKIN_SIGNS; i++)
				a.signs[i] = 1 + (step + i) % 5;
			for (int i = 0; i < CHECKIN_TEXTS; i++)
				a.texts[i] = WORDS[(step + i + p + index) % 5];
			time_t at = tz_instant(z, mon + 6 < today ? mon + 6 : today, 20 * 3600 + p * 1800);
			long long id;
			rc = checkin_insert(w, ck, cid, who[p], &wk, checkin_reveal_at(z, &wk), &a, at < now ? at : now, &id);
		}
	}
	for (long day = first; day <= today && rc == SQLITE_OK; day++) {
		for (int p = 0; p < 2 && rc == SQLITE_OK; p++) {
			int k = (int)(day - first);
			if ((k + p + index) % 5 == 0)
				continue;
			time_t at = tz_instant(z, day, 21 * 3600 + p * 1800);
			long long id;
			rc = daily_insert(w, ck, cid, who[p], day, daily_reveal_at(z, day), 3 + (k + index) % 7,
					  4 + (k * 3 + p) % 6, (k + p) % 4 ? NULL : WORDS[k % 4], at < now ? at : now, &id);
		}
	}
	static const char *const KINDS[] = { "date", "place", "name", "behaviour", "media", "situation" };
	for (long day = first + index % 11; day <= today && rc == SQLITE_OK; day += 13) {
		long long at = (long long)tz_instant(z, day, 18 * 3600);
		int k = (int)(day - first);
		struct trigger_new t = { .couple_id = cid, .author_id = who[0], .key = ck, .at = at, .day = day,
					 .kind = KINDS[k % 6], .intensity = 2 + (k + index) % 9, .plan_helped = -1,
					 .what = "Something brought it back.", .handled = "We talked it through.",
					 .created_at = at };
		rc = trigger_store(w, &t);
	}
	for (long due = first + 7; due <= today + 14 && rc == SQLITE_OK; due += 16) {
		struct promise_new p = { .couple_id = cid, .author_id = who[1], .due = due, .text = "Home by six on Friday.",
					 .couple_key = ck, .created_at = (long long)tz_instant(z, due - 7, 12 * 3600) };
		if ((rc = promise_store(w, &p)) != SQLITE_OK || due > today)
			continue;
		struct promise_verdict v = { .couple_id = cid, .user_id = who[0], .id = p.id,
					     .kept = (due + index) % 5 != 0, .couple_key = ck,
					     .at = (long long)tz_instant(z, due, 22 * 3600) };
		rc = promise_outcome_store(w, &v);
	}
	for (long day = first + 20; day <= today && rc == SQLITE_OK; day += 45) {
		bool win = (day / 45 + index) % 3 != 0;
		struct note_new n = { .k = win ? &NOTE_WIN : &NOTE_SETBACK, .couple_id = cid, .author_id = who[win ? 0 : 1],
				      .day = day, .text = win ? "A good evening together." : "An old argument came back.",
				      .couple_key = ck, .created_at = (long long)tz_instant(z, day, 22 * 3600) };
		rc = note_store(w, &n);
	}
	int end = db_write_end(db, rc == SQLITE_OK);
	return rc != SQLITE_OK ? rc : end;
}

enum demo_result demo_generate(struct db *db, int couples, int years, char *msg, size_t msglen)
{
	struct signup_job job;
	struct arena a = ARENA_INIT;
	long long op_id = 0, found = 0;
	const char *hash;
	const void *key;
	size_t keylen;
	enum demo_result res = DEMO_FAILED;
	msg[0] = '\0';
	if (acct_load_login(db->writer, &a, demo_accounts[0].username, &op_id, &hash, &key, &keylen) != 0) {
		snprintf(msg, msglen, "the demo operator is not in this store");
		arena_release(&a);
		return DEMO_FAILED;
	}
	if (acct_load_login(db->writer, &a, "gen1a", &found, &hash, &key, &keylen) == 0) {
		arena_release(&a);
		return DEMO_NOT_EMPTY;
	}
	arena_release(&a);
	memset(&job, 0, sizeof(job));
	job.password = DEMO_GENERATED_PASSWORD;
	signup_job_run(&job);
	if (job.failed) {
		snprintf(msg, msglen, "the password could not be hashed (out of memory?)");
		return DEMO_FAILED;
	}
	/* Generated stores only: their commits are not synced one by one (a
	 * crash while generating leaves a store to throw away and make again);
	 * FULL comes back and one checkpoint syncs all of it at the end. This
	 * cuts 10,000 couples' tens of thousands of fsyncs to one. */
	if (db_run(db->writer, "PRAGMA synchronous=OFF", "") != SQLITE_OK) {
		snprintf(msg, msglen, "the store could not be prepared for generating");
		signup_job_wipe(&job);
		return DEMO_FAILED;
	}
	time_t now = time(NULL);
	for (int i = 1; i <= couples; i++) {
		char names[2][32], code[INVITE_CODE_SIZE], invite[INVITE_CODE_SIZE];
		unsigned char ck[VAULT_KEY_BYTES], joined_key[VAULT_KEY_BYTES];
		long long who[2], cid = 0, cid2 = 0;
		bool joined;
		int rc = SQLITE_OK;
		enum acct_err e = ACCT_OK;
		for (int p = 0; p < 2 && e == ACCT_OK && rc == SQLITE_OK; p++) {
			snprintf(names[p], sizeof(names[p]), "gen%d%c", i, p ? 'b' : 'a');
			if ((rc = acct_signup_code(db, op_id, code)) == SQLITE_OK)
				e = acct_signup(db, names[p], p ? "Bo" : "Ari", code, NULL, &job, &who[p], &joined, ck, &rc);
			if (!p && e == ACCT_OK && rc == SQLITE_OK)
				e = acct_couple_create(db, who[0], "hurt", DEMO_TIMEZONE, job.data_key, ck, invite, &cid, &rc);
		}
		if (e == ACCT_OK && rc == SQLITE_OK)
			e = acct_couple_join(db, who[1], invite, "accountable", job.data_key, joined_key, &cid2, &rc);
		if (e == ACCT_OK && rc == SQLITE_OK)
			rc = gen_records(db, ck, cid, who, years, i, now);
		sodium_memzero(ck, sizeof(ck));
		sodium_memzero(joined_key, sizeof(joined_key));
		sodium_memzero(invite, sizeof(invite));
		if (e != ACCT_OK || rc != SQLITE_OK) {
			snprintf(msg, msglen, "couple %d could not be made (error %d: %s)", i, (int)e, sqlite3_errstr(rc));
			goto out;
		}
	}
	res = DEMO_CREATED;
out:
	if (db_run(db->writer, "PRAGMA synchronous=FULL", "") != SQLITE_OK || db_checkpoint(db) != SQLITE_OK) {
		snprintf(msg, msglen, "the generated couples could not be written to disk");
		res = DEMO_FAILED;
	}
	signup_job_wipe(&job);
	return res;
}
