/* home.c: the start page. For now, a calm welcome that says what troth is
 * and where help is; accounts and couples come with their own issue. */
#include "home.h"

#include "account.h"
#include "rituals.h"
#include "harddate.h"
#include "promise.h"
#include "records.h"
#include "roadmap.h" /* issue 6 */
#include "safety.h"  /* issue 6 */
#include "agreement.h" /* issue 6 */
#include "transparency.h" /* issue 6 */
#include "vision.h" /* issue 6 */
#include "recovery.h" /* issue 6 */
#include "insights.h" /* insights (issue 7) */

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

/* The home page's sections for a couple. Each feature adds one line. */
const home_section_fn home_sections[] = {
	/* rituals (issue 4) */
	rituals_home,
	/* records: promises due, hard dates ahead, the link to all records */
	promise_home,
	harddate_home,
	records_home,
	/* roadmap and agreements (issue 6) */
	safety_home,
	roadmap_home,
	agreement_home,
	transparency_home,
	vision_home,
	recovery_home,
	/* insights (issue 7) */
	insights_home,
	NULL,
};
/* the NULL keeps the array non-empty; it is not counted */
const size_t home_sections_len = sizeof(home_sections) / sizeof(home_sections[0]) - 1;
