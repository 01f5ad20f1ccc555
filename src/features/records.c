/* records.c: the records hub (see records.h): GET /records lists every
 * record kind with a line on what it is for, and the home page links to
 * it. It reads no records itself. */
#include "records.h"

#include "../auth/auth.h"
#include "../ui/html.h"
#include "../ui/page.h"

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

