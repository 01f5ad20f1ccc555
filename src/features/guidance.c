/* guidance.c: the guidance pages (see guidance.h). Constant text only; no
 * data, no login, nothing recorded about who reads them. */
#include "guidance.h"

#include "../ui/html.h"
#include "../ui/page.h"

static void more(struct req *r)
{
	html_unsafe_raw(&r->out,
		"<nav class=\"menu\" aria-label=\"More guidance\"><ul>\n"
		"<li><a href=\"/guidance/counselling\">When to seek counselling</a></li>\n"
		"<li><a href=\"/guidance/children\">When you have children</a></li>\n"
		"<li><a href=\"/guidance/walking-away\">When walking away is right</a></li>\n"
		"<li><a href=\"/safety\">Help and safety</a></li>\n"
		"</ul></nav>\n");
}

/* One guidance page: its title, its constant text, then the links to the others. */
static void guidance_page(struct req *r, const char *title, const char *body)
{
	page_begin(r, title);
	html_unsafe_raw(&r->out, body);
	more(r);
	page_end(r);
}

void page_guidance_counselling(struct req *r)
{
	guidance_page(r, "Getting help from a counsellor",
		"<p>A betrayal is a wound, and some wounds need more hands than two. Seeing a counsellor does not "
		"mean you are failing. It means this matters enough to do it well.</p>\n"
		"<h2>Signs it is time</h2>\n<ul>\n"
		"<li>You have the same fight again and again.</li>\n"
		"<li>One of you feels unheard, or unseen.</li>\n"
		"<li>Trust is not growing back, however hard you try on your own.</li>\n"
		"<li>The pain keeps coming up in ways that hurt you both.</li>\n"
		"<li>You want to move on together and cannot see how.</li>\n"
		"</ul>\n"
		"<h2>On your own</h2>\n"
		"<p>Each of you carries something different, and each can use a room of their own.</p>\n"
		"<p>If you were betrayed, a counsellor can help you work through the shock, cope with triggers and "
		"thoughts that will not stop, tell a true gut feeling from constant alarm, rebuild how you see "
		"yourself, and think through whether staying is right for you.</p>\n"
		"<p>If you broke the trust, a counsellor can help you understand why it happened, so it does not "
		"happen again, without turning that into an excuse. They can help you feel your partner's pain "
		"rather than defend against it, find better ways to cope, face what lies underneath (an addiction, "
		"a fear of closeness), and carry guilt without being flattened by it.</p>\n"
		"<h2>Together</h2>\n"
		"<p>Couples counselling gives you a safe place for the hardest conversations, a third person who "
		"keeps both of you accountable, ways of talking that help rather than wound, a guide through the "
		"stages of recovery, and an honest word when one of you drifts off course.</p>\n"
		"<p>Some people start alone and add sessions together later; some start together. Both are "
		"good ways in.</p>\n"
		"<h2>Finding the right person</h2>\n"
		"<p>Not every therapist has learnt how to help after a betrayal. Look for someone who says they "
		"specialise in infidelity or betrayal recovery, and ask them plainly in a first call:</p>\n<ul>\n"
		"<li>Do you often work with couples after an affair or another betrayal?</li>\n"
		"<li>Do you see partners on their own as well as together, or would you refer one of us on?</li>\n"
		"<li>What do you do when one partner does not feel safe?</li>\n"
		"</ul>\n"
		"<p>Therapist directories let you filter by speciality; Psychology Today's therapist finder is "
		"one that lists people who work with infidelity. Your doctor, a local family service or a "
		"relationship coach can also point you to someone.</p>\n"
		"<p>If either of you is being hurt or is afraid, couples counselling is not the first step: "
		"<a href=\"/safety\">start with your own safety</a>.</p>\n");
}

void page_guidance_children(struct req *r)
{
	guidance_page(r, "When you have children",
		"<p>With children at home, all of this has more layers. They feel the weather in the house even "
		"when nobody says a word.</p>\n"
		"<h2>Keeping them safe from it</h2>\n<ul>\n"
		"<li>Keep them out of the grown-up part. They are not messengers, judges or confidants.</li>\n"
		"<li>Keep their days steady: the same meals, school runs and bedtimes as far as you can.</li>\n"
		"<li>Do not speak badly of their other parent to them, even on the worst day.</li>\n"
		"<li>Let them see you disagree and then put it right, calmly. That teaches them more than "
		"pretending all is well.</li>\n"
		"<li>If a child's behaviour changes (sleep, school, mood), a family therapist can help.</li>\n"
		"</ul>\n"
		"<h2>What weighs on you</h2>\n"
		"<p>Money can get tighter: counselling costs, and perhaps two homes for a while. You will go on "
		"being parents together whatever you decide. The children can be a strong reason to try, and they "
		"can also deepen the hurt, because it can feel like the whole family was let down.</p>\n"
		"<p>Children make the stakes higher. On their own they do not make staying the right choice, and "
		"they do not make leaving the wrong one.</p>\n"
		"<h2>In troth</h2>\n"
		"<p>troth keeps no records about your children, and it is best to leave them out of what you write "
		"here too. What happens between the two of you is yours to carry.</p>\n");
}

void page_guidance_walking_away(struct req *r)
{
	guidance_page(r, "When walking away is right",
		"<p>Not every relationship can be mended, and not every one should be. Parting after a betrayal "
		"is not a failure. Sometimes it is the healthiest choice there is.</p>\n"
		"<h2>Signs the work is not working</h2>\n<ul>\n"
		"<li>The lying goes on, in small ways or large.</li>\n"
		"<li>There is a new betrayal, or more than one, during the time you are rebuilding.</li>\n"
		"<li>There is physical, emotional or verbal abuse. Then your safety comes before everything: "
		"<a href=\"/safety\">help and safety</a>.</li>\n"
		"<li>The partner who broke the trust will not take responsibility, or keeps making it smaller.</li>\n"
		"<li>They refuse counselling, or refuse to be open.</li>\n"
		"<li>Six months in, you feel worse than you did at the start.</li>\n"
		"<li>You are staying because you are afraid, not because you love them.</li>\n"
		"<li>Your body or your mind is wearing down.</li>\n"
		"</ul>\n"
		"<h2>Signs it may be time to go</h2>\n<ul>\n"
		"<li>A year or two of honest work has changed nothing.</li>\n"
		"<li>Your gut keeps telling you that something is still wrong.</li>\n"
		"<li>You find it is being alone you fear, more than losing this relationship.</li>\n"
		"<li>There is no real remorse and no real change.</li>\n"
		"<li>Resentment has settled in and will not lift, however hard you have tried.</li>\n"
		"<li>The relationship is harming your children.</li>\n"
		"</ul>\n"
		"<h2>If you decide to part</h2>\n"
		"<p>Take your time, and take support: a counsellor of your own can help you decide and help you "
		"through it. Nothing you learnt here is wasted; what you now know about yourself and about what "
		"you need goes with you.</p>\n"
		"<p>If you are afraid of how your partner will react, plan it with someone who knows about safety "
		"first: <a href=\"/safety\">who can help</a>.</p>\n");
}
