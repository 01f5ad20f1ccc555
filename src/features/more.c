/* more.c: "More" (see more.h). A list of links, nothing read from the
 * store: what is due stays on the home page. */
#include "more.h"

#include "../auth/auth.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"

struct link {
	const char *path, *label, *what;
};

static const struct link RITUALS[] = {
	{ "/checkins", "Check-in", "This week's check-in, side by side once you both answer." },
	{ "/checkins/history", "Past weeks", "Your check-ins, week by week." },
	{ "/appreciations", "Appreciation", "One thing you appreciate, each day." },
	{ "/sharing", "Sharing", "A fear, a hope or a need, only to be heard." },
	{ "/together", "Time together", "Time for the two of you." },
	{ "/rituals", "When and reminders", "Your schedule and the calendar link." },
	{ NULL, NULL, NULL },
};
static const struct link FORWARD[] = {
	{ "/roadmap", "Our road", "The steps, and where each of you is." },
	{ "/agreements", "Agreements", "What you have agreed, and each version." },
	{ "/transparency", "Openness plan", "What is shared, for how long, tapering off." },
	{ "/vision", "Five years from now", "Where you each hope to be." },
	{ "/recovery", "What recovered means for us", "Your own signs that you are there." },
	{ "/insights", "How are we doing", "Signals from your records, with their reasons." },
	{ NULL, NULL, NULL },
};
static const struct link YOU[] = {
	{ "/journal", "My journal", "Only you can read it." },
	{ "/readiness", "Are we ready?", "A private check of where you stand." },
	{ "/coach", "The language coach", "Notes on words that may land hard." },
	{ "/safety", "Help and safety", "People to call, and a private safety check." },
	{ "/guidance/counselling", "Getting help from a counsellor", "When and how to find one." },
	{ "/counsellor", "Our counsellor", "Invite one; you each choose what they see." },
	{ "/guidance/children", "When you have children", "Keeping them out of the adults' records." },
	{ "/guidance/walking-away", "When walking away is right", "Parting can be healthy too." },
	{ "/couple", "Our couple", "Who is in it, and inviting your partner." },
	{ "/settings", "Settings", "Password, sessions and your recovery code." },
	{ "/settings/data", "Your data", "Take a copy of your words with you." },
	{ NULL, NULL, NULL },
};

static void group(struct req *r, const char *heading, const struct link *l)
{
	html(&r->out, "<h2>%s</h2>\n<ul class=\"cards\">\n", heading);
	for (; l->path; l++)
		html(&r->out, "<li class=\"card\"><a href=\"%s\">%s</a><br>%s</li>\n", l->path, l->label,
		     l->what);
	html_unsafe_raw(&r->out, "</ul>\n");
}

void more_page(struct req *r)
{
	page_begin(r, "More");
	html_unsafe_raw(&r->out, "<div class=\"more-list\">\n");
	if (r->me->couple_id) {
		group(r, "Rituals", RITUALS);
		group(r, "Looking forward", FORWARD);
	}
	group(r, "Just for you", YOU);
	if (r->me->is_operator)
		group(r, "This server", (const struct link[]){ { "/operator", "Server", "Accounts and signup codes." },
							  { NULL, NULL, NULL } });
	html_unsafe_raw(&r->out, "</div>\n");
	ui_form_begin(r, "/logout");
	ui_form_end(r, "Log out");
	page_end(r);
}
