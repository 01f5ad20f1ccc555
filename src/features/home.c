/* home.c: the start page: a calm welcome for someone not logged in, and
 * for a couple the list of each room's home card (home_sections[]), in
 * the order the page shows them. */
#include "home.h"

#include "account.h"
#include "appreciation.h"
#include "checkin.h"
#include "connection.h"
#include "counsel.h"
#include "daily.h"
#include "rituals.h"
#include "harddate.h"
#include "journal.h"
#include "promise.h"
#include "trigger.h"
#include "vulnerability.h"
#include "records.h"
#include "roadmap.h"
#include "safety.h"
#include "agreement.h"
#include "transparency.h"
#include "vision.h"
#include "recovery.h"
#include "insights.h"

#include "../ui/html.h"
#include "../ui/page.h"

void home_page(struct req *r)
{
	if (r->me) {
		account_home(r);
		return;
	}
	page_begin(r, "Welcome");
	html(&r->out,
	     "<p>troth is a quiet place for two people who are rebuilding trust "
	     "after a betrayal.</p>\n"
	     "<p>Each of you uses your own phone. What you write privately stays "
	     "yours. What you choose to share, you both can see.</p>\n"
	     "<p>It takes time. Small steps count.</p>\n"
	     "<p>If you do not feel safe, <a href=\"/safety\">help and safety</a> "
	     "comes first.</p>\n"
	     "<p><a class=\"button\" href=\"/login\">Log in</a> "
	     "<a class=\"button\" href=\"/signup\">Make an account</a></p>\n");
	page_end(r);
}

/* What waits for this partner, at the top of their home until they have
 * done it: a shared hard moment and what its plan says they do, a promise
 * made to them that is due, a share waiting to be heard, an agreement's
 * text or a transparency plan waiting for their answer. Each room writes
 * its own items; the section shows only when one of them wrote any. */
static const home_section_fn for_you[] = {
	trigger_partner_card,
	promise_for_you,
	vulnerability_home_card,
	agreement_for_you,
	transparency_for_you,
};

static void for_you_render(struct req *r)
{
	size_t mark = r->out.len;
	html_unsafe_raw(&r->out, "<section class=\"notice notice-attention\" id=\"for-you\" "
				 "aria-labelledby=\"for-you-h\"><h2 id=\"for-you-h\">For you now</h2>\n");
	size_t body = r->out.len;
	for (size_t i = 0; i < sizeof(for_you) / sizeof(for_you[0]); i++)
		for_you[i](r);
	if (r->out.len == body)
		buf_setlen(&r->out, mark);
	else
		html_unsafe_raw(&r->out, "</section>\n");
}

/* The home page's sections for a couple. Each feature adds one line. */
const home_section_fn home_sections[] = {
	/* what waits for this partner: for_you[] above */
	for_you_render,
	/* the rituals' "Today": rituals.c around daily.c, checkin.c and
	 * appreciation.c's cards */
	rituals_due_begin,
	daily_home_card,
	checkin_home_card,
	appreciation_home_card,
	rituals_due_end,
	/* records: promises due, hard dates ahead, the link to all records */
	promise_home,
	harddate_home,
	/* between sessions: the counsellor's suggestions (counsel.c) */
	counsel_home_card,
	/* the road and looking forward: each feature file's own card */
	safety_home,
	roadmap_home,
	agreement_home,
	transparency_home,
	vision_home,
	recovery_home,
	/* how are we doing: a short summary */
	insights_home,
	NULL,
};
/* the NULL keeps the array non-empty; it is not counted */
const size_t home_sections_len = sizeof(home_sections) / sizeof(home_sections[0]) - 1;

/* Rows written before their numbers, kinds and prompts were sealed are
 * sealed by the first partner back home with the keys for them: each room
 * seals its own (a failure is tried again at the next visit). */
static int (*const seal_plain[])(struct req *r, const struct viewer *v) = {
	checkin_seal_plain,
	daily_seal_plain,
	trigger_seal_plain,
	journal_seal_plain,
	vulnerability_seal_plain,
	connection_seal_plain,
};

void home_sections_render(struct req *r)
{
	for (size_t i = 0; i < sizeof(seal_plain) / sizeof(seal_plain[0]); i++)
		seal_plain[i](r, r->me);

	/* When this partner's own safety check points to danger or fear, their
	 * home opens with it; the couple's exercises follow, as optional. The
	 * partner's home does not change. */
	bool safety_first = safety_viewer_concern(r);
	if (safety_first) {
		safety_home(r);
		html_unsafe_raw(&r->out, "<p class=\"hint\" id=\"optional-note\">Everything below is here when "
					 "you want it. None of it has to happen today: do only what feels "
					 "safe for you.</p>\n");
	}
	for (size_t i = 0; i < home_sections_len; i++)
		if (!(safety_first && home_sections[i] == safety_home))
			home_sections[i](r);
}
