/* test_coach.c: the language coach on a table of phrases it must point out
 * (with their kind and where they are, in code points) and a table of
 * innocent sentences it must leave alone (among them words denied, taken
 * back or set aside); the reviewer's examples; denials, frames and turns;
 * the rule file's format and the classifier. How much of the held-out
 * split it flags is a figure, not a test: `make bench` prints it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "insight/coach.h"

struct flagged {
	const char *text, *kind, *span;  /* span: the flagged words as they appear */
};

static const struct flagged FLAGGED[] = {
	{ "You weren't giving me enough attention, so I looked elsewhere.", "blame_shift", "You weren't giving me" },
	{ "Honestly you weren’t giving me anything.", "blame_shift", "you weren’t giving me" },
	{ "You made me do it.", "blame_shift", "You made me do it" },
	{ "It's your fault we ended up here.", "blame_shift", "It's your fault" },
	{ "I was drunk and it went too far.", "excuse", "I was drunk" },
	{ "I was really drunk that night.", "excuse", "I was really drunk" },
	{ "They seduced me.", "excuse", "They seduced me" },
	{ "It just happened, I didn't plan it.", "excuse", "It just happened" },
	{ "We were having problems for a long time.", "excuse", "We were having problems" },
	{ "Our marriage was already broken.", "excuse", "Our marriage was already" },
	{ "I have a high sex drive.", "excuse", "high sex drive" },
	{ "You always check my phone.", "accusation", "You always" },
	{ "and YOU NEVER listen", "accusation", "YOU NEVER" },
	{ "What is wrong with you?", "accusation", "What is wrong with you" },
	{ "Can you just get over it?", "demand", "get over it" },
	{ "It wasn't a big deal.", "minimising", "It wasn't a big deal" },
	{ "You're being paranoid again.", "minimising", "You're being paranoid" },
	{ "I don't want to talk about it anymore.", "minimising", "I don't want to talk about it anymore" },
	{ "Ça va. You  never\nlisten.", "accusation", "You  never" },
	/* everyday words, none of them in the corpus */
	{ "I love you, but you never think about how I feel.", "accusation", "you never" },
	{ "I feel like you always take her side.", "accusation", "you always" },
	{ "Thanks for trying, but you have to let it go now.", "demand", "you have to let" },
	{ "It was only twice, so what?", "minimising", "It was only twice" },
	{ "Relax, it is not that serious.", "minimising", "it is not that serious" },
	{ "Most couples would have moved on by now.", "comparison", "Most couples" },
	{ "Plenty of people cheat and nobody makes this much fuss.", "comparison", "Plenty of people" },
	{ "I was under so much pressure at the office.", "excuse", "under so much pressure" },
	{ "Stop bringing it up every single night.", "demand", "Stop bringing it up" },
	{ "You had been ignoring me for weeks, what was I supposed to do?", "blame_shift", "what was I supposed to do" },
	{ "Don't be so dramatic.", "minimising", "dramatic" },
	{ "I'm not blaming you, but if you had been home more this would not have happened.", "blame_shift",
	  "if you had" },
	{ "Sorry I made you feel that way, but you're overreacting.", "minimising", "overreacting" },
};

static const char *const INNOCENT[] = {
	"I feel scared when you come home late without a message. I need a text when plans change.",
	"Thank you for the walk on Sunday, it felt like us again.",
	"I was drinking tea when you called.",
	"The movie seduced me into staying up too late.",
	"We were having dinner when the song came on.",
	"You are always welcome to ask me anything.",
	"I never want to hurt you like that again.",
	"Your fault line joke made me laugh.",
	"It happened just after midnight.",
	"I let it go to voicemail, and I am sorry.",
	"Youalways and younever are not words.",
	"",
	"I always feel better after we talk.",
	"Thank you for just listening.",
	"I feel hurt because I need honesty.",
	"You always make me laugh when I need it.",
	"If you want to talk tomorrow instead, that is fine.",
	"I chose to lie, and it had nothing to do with you.",
	"Can we go for a walk after dinner?",
	/* the words a rule looks for, denied, taken back or set aside */
	"You're not overreacting, it was a lot.",
	"You aren't being paranoid, I gave you reasons.",
	"I'm not saying you should be over it, I just miss you.",
	"I'm sorry I called you dramatic on Sunday.",
	"I was stressed, but that is no excuse for lying.",
	"I won't say it was just a slip, it was a choice.",
	"You don't have to get over it on my timeline.",
	"It was not just a few messages, and I know that now.",
	"You didn't push me into anything, I chose it.",
	"I never meant to rush you, take all the time you need.",
	"You've never been anything but honest with me.",
	"Compared to last spring, I feel a lot stronger.",
	"I feel lonely when we eat dinner in silence.",
	"Nothing you said made me lie.",
	"I'm sorry I made you feel like you were being dramatic.",
	"Take all the time you need, I'm not going anywhere.",
	"You never deserved to be lied to.",
};

static const char rules_big_deal[] = "minimising | not a big deal | Small.\n";

static size_t cp_of(const char *s, size_t bytes)
{
	size_t n = 0;
	for (size_t i = 0; i < bytes; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

static void flags_the_phrases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(FLAGGED) / sizeof(FLAGGED[0]); i++) {
		const struct flagged *f = &FLAGGED[i];
		struct coach_note notes[COACH_MAX_NOTES];
		int n = coach_check_builtin(f->text, strlen(f->text), notes, COACH_MAX_NOTES);
		if (n < 1)
			fail_msg("not flagged: %s", f->text);
		const char *at = strstr(f->text, f->span);
		assert_non_null(at);
		size_t start = cp_of(f->text, (size_t)(at - f->text));
		size_t end = start + cp_of(f->span, strlen(f->span));
		if (notes[0].start != start || notes[0].end != end || strcmp(notes[0].kind, f->kind))
			fail_msg("%s: got %s [%zu,%zu), want %s [%zu,%zu)", f->text, notes[0].kind, notes[0].start,
				 notes[0].end, f->kind, start, end);
		assert_true(notes[0].suggestion_len > 10);
		assert_null(memchr(notes[0].suggestion, '\n', notes[0].suggestion_len));
	}
}

static void suggests_i_feel(void **state)
{
	(void)state;
	struct coach_note notes[4];
	const char *t = "You never listen.";
	assert_int_equal(coach_check_builtin(t, strlen(t), notes, 4), 1);
	char s[256];
	snprintf(s, sizeof(s), "%.*s", (int)notes[0].suggestion_len, notes[0].suggestion);
	assert_non_null(strstr(s, "I feel … when … I need …"));
}

static void leaves_innocent_sentences_alone(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(INNOCENT) / sizeof(INNOCENT[0]); i++) {
		struct coach_note notes[COACH_MAX_NOTES];
		int n = coach_check_builtin(INNOCENT[i], strlen(INNOCENT[i]), notes, COACH_MAX_NOTES);
		if (n != 0)
			fail_msg("flagged %s [%zu,%zu) in: %s", notes[0].kind, notes[0].start, notes[0].end, INNOCENT[i]);
	}
}

static void several_notes_in_order(void **state)
{
	(void)state;
	const char *t = "I was drunk. You always blame me. Just get over it. You never listen.";
	struct coach_note notes[COACH_MAX_NOTES];
	assert_int_equal(coach_check_builtin(t, strlen(t), notes, COACH_MAX_NOTES), 4);
	assert_string_equal(notes[0].kind, "excuse");
	assert_string_equal(notes[1].kind, "accusation");
	assert_string_equal(notes[2].kind, "demand");
	assert_string_equal(notes[3].kind, "accusation");
	for (int i = 1; i < 4; i++)
		assert_true(notes[i].start >= notes[i - 1].end);
	/* max is respected */
	assert_int_equal(coach_check_builtin(t, strlen(t), notes, 2), 2);
	assert_int_equal(coach_check_builtin(t, strlen(t), notes, 0), 0);
}

/* The notes (room for 4) the rule file rules, with no classifier, makes
 * on text; returns how many. */
static int check_rules(const char *rules, const char *text, struct coach_note notes[4])
{
	return coach_check(rules, strlen(rules), NULL, text, strlen(text), notes, 4);
}

static void rules_format(void **state)
{
	(void)state;
	const char rules[] =
		"# a comment | excuse | x\n"
		"\n"
		"nonsense | no kind | skipped\n"
		"excuse | only two fields\n"
		"excuse |  | empty phrase skipped\n"
		"excuse | the dog * it |   Own it.  \r\n"
		"accusation | the dog | Shorter, later.";
	struct coach_note notes[4];
	const char *t = "THE DOG ate it, the dog did.";
	assert_int_equal(check_rules(rules, t, notes), 2);
	assert_string_equal(notes[0].kind, "excuse");
	assert_int_equal(notes[0].start, 0);
	assert_int_equal(notes[0].end, 14);
	assert_int_equal(notes[0].suggestion_len, 7);
	assert_memory_equal(notes[0].suggestion, "Own it.", 7);
	assert_string_equal(notes[1].kind, "accusation");
	assert_int_equal(notes[1].start, 16);
	assert_int_equal(check_rules(rules, "the doghouse", notes), 0);
	assert_int_equal(coach_check(NULL, 0, NULL, t, strlen(t), notes, 4), 0);
}

/* Denials, frames and turns, by the rules alone: "not" just before a
 * rule's words denies them unless it gives an order; a frame quiets its
 * clause, back to the last turn and on to the next comma; a frame just
 * after a turn takes back what came before it. */
static void denials_frames_and_turns(void **state)
{
	(void)state;
	const char rules[] = "frame | i am not saying | -\n"
			     "frame | that is no excuse | -\n"
			     "frame | i will not say | -\n"
			     "minimising | ? so dramatic | Soft.\n"
			     "minimising | overreact* | Small.\n"
			     "excuse | i was lonely | Own it.\n";
	struct coach_note notes[4];
	assert_int_equal(check_rules(rules, "You are overreacting.", notes), 1);
	assert_int_equal(check_rules(rules, "You're not overreacting.", notes), 0);
	assert_int_equal(check_rules(rules, "You are never overreacting.", notes), 0);
	assert_int_equal(check_rules(rules, "You aren't being so dramatic.", notes), 0);
	/* an order denies nothing */
	assert_int_equal(check_rules(rules, "Don't be so dramatic.", notes), 1);
	assert_int_equal(check_rules(rules, "Please, do not be so dramatic.", notes), 1);
	/* a frame holds its clause up to the next comma, not beyond */
	assert_int_equal(check_rules(rules, "I'm not saying you're overreacting.", notes), 0);
	assert_int_equal(check_rules(rules, "I'm not saying that, you're overreacting.", notes), 1);
	assert_int_equal(check_rules(rules, "I won't say you're overreacting.", notes), 0);
	/* and back to the last turn */
	assert_int_equal(check_rules(rules, "I was lonely and that is no excuse.", notes), 0);
	assert_int_equal(check_rules(rules, "I was lonely, but that's no excuse.", notes), 0);
	const char *t = "You are overreacting but I was lonely and that is no excuse.";
	assert_int_equal(check_rules(rules, t, notes), 1);
	assert_string_equal(notes[0].kind, "minimising");
	assert_int_equal(notes[0].start, strstr(t, "overreacting") - t);
	/* what follows a turn is not framed by what came before it */
	t = "I'm not saying much but you are overreacting.";
	assert_int_equal(check_rules(rules, t, notes), 1);
	assert_int_equal(notes[0].start, strstr(t, "overreacting") - t);
}

/* Sentences a reviewer wrote, none of them in the corpus. */
static void flags_the_reviewers_examples(void **state)
{
	(void)state;
	static const char *const T[][2] = {
		{ "If you had paid attention to me this would not have happened", "blame_shift" },
		{ "You're overreacting, it was just a few messages", "minimising" },
		{ "Other people cheat and their partners get over it faster", "comparison" },
	};
	for (size_t i = 0; i < sizeof(T) / sizeof(T[0]); i++) {
		struct coach_note notes[COACH_MAX_NOTES];
		int n = coach_check_builtin(T[i][0], strlen(T[i][0]), notes, COACH_MAX_NOTES);
		if (n < 1)
			fail_msg("not flagged: %s", T[i][0]);
		if (strcmp(notes[0].kind, T[i][1]))
			fail_msg("%s: kind %s, want %s", T[i][0], notes[0].kind, T[i][1]);
		assert_true(notes[0].by_rule);
	}
}

/* Case, curly or straight apostrophes and written-out contractions read
 * the same; the note covers the words as written. */
static void normalises_before_matching(void **state)
{
	(void)state;
	static const char *const T[] = { "You're overreacting.", "YOU’RE OVERREACTING.", "you are overreacting.",
					 "youre overreacting." };
	for (size_t i = 0; i < sizeof(T) / sizeof(T[0]); i++) {
		struct coach_note notes[4];
		assert_int_equal(coach_check_builtin(T[i], strlen(T[i]), notes, 4), 1);
		assert_string_equal(notes[0].kind, "minimising");
		/* "overreacting": the last word, whatever came before it */
		assert_int_equal(notes[0].end, cp_of(T[i], strlen(T[i]) - 1));
		assert_int_equal(notes[0].start, notes[0].end - 12);
	}
	/* a rule never runs across a sentence end */
	const char *t = "It was not a big. Deal with it later, please.";
	struct coach_note notes[4];
	assert_int_equal(check_rules(rules_big_deal, t, notes), 0);
}

/* The rule syntax: alternatives, optional words, gaps, prefixes, suffixes,
 * soft rules and the whole-sentence suggestion. */
static void rule_syntax(void **state)
{
	(void)state;
	const char rules[] = "ok | thank* | -\n"
			     "demand | stop *ing | Wait.\n"
			     "blame_shift | if you had/would ... have | Own it.\n"
			     "accusation | you are [so/really] mean | Kind.\n"
			     "minimising | ? just a | Soft.\n"
			     "excuse | (sentence) | Whole.\n";
	struct coach_note notes[4];
	assert_int_equal(check_rules(rules, "If you'd listened I would have stayed.", notes), 1);
	assert_string_equal(notes[0].kind, "blame_shift");
	assert_int_equal(notes[0].start, 0);
	assert_int_equal(check_rules(rules, "Stop asking. You're really mean. You are mean.", notes), 3);
	assert_string_equal(notes[0].kind, "demand");
	assert_int_equal(notes[0].end, 11);
	assert_int_equal(notes[1].start, 13);
	assert_int_equal(notes[1].end, 31);
	assert_int_equal(notes[2].start, 33);
	/* "ok" rules and the whole-sentence line never make notes by rule */
	assert_int_equal(check_rules(rules, "Thanks, that was just a joke.", notes), 1);
	assert_string_equal(notes[0].kind, "minimising");
}

/* The classifier learns from its corpus: a soft rule applies only where
 * the words lean towards harm. */
static void classifier_gates_soft_rules(void **state)
{
	(void)state;
	const char rules[] = "accusation | ? you always | Say how it felt.\n"
			     "accusation | (sentence) | Say how it felt.\n";
	const char corpus[] = "accusation\tyou always ignore me\n"
			      "accusation\tyou always shout at me\n"
			      "accusation\tyou always blame me and shout\n"
			      "accusation\tyou never listen and ignore me\n"
			      "ok\tthank you, you always make me smile\n"
			      "ok\tyou always make me laugh, thank you\n"
			      "ok\ti love the way you smile\n"
			      "ok\tthank you for the tea\n"
			      "# a comment\n"
			      "nonsense\tskipped\n";
	static struct coach_model m;
	assert_int_equal(coach_model_train(&m, rules, strlen(rules), corpus, strlen(corpus)), 8);
	int kind = 0;
	const char *bad = "you always ignore me and shout", *good = "you always make me smile, thank you";
	double hb = coach_model_harm(&m, rules, strlen(rules), bad, strlen(bad), &kind);
	double hg = coach_model_harm(&m, rules, strlen(rules), good, strlen(good), NULL);
	assert_true(hb > 0.5);
	assert_true(hg < 0.5);
	assert_string_equal(coach_kind_names[kind], "accusation");
	struct coach_note notes[4];
	assert_int_equal(coach_check(rules, strlen(rules), &m, bad, strlen(bad), notes, 4), 1);
	assert_int_equal(coach_check(rules, strlen(rules), &m, good, strlen(good), notes, 4), 0);
	/* without a model, every rule applies */
	assert_int_equal(coach_check(rules, strlen(rules), NULL, good, strlen(good), notes, 4), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flags_the_phrases),
		cmocka_unit_test(suggests_i_feel),
		cmocka_unit_test(leaves_innocent_sentences_alone),
		cmocka_unit_test(several_notes_in_order),
		cmocka_unit_test(rules_format),
		cmocka_unit_test(denials_frames_and_turns),
		cmocka_unit_test(flags_the_reviewers_examples),
		cmocka_unit_test(normalises_before_matching),
		cmocka_unit_test(rule_syntax),
		cmocka_unit_test(classifier_gates_soft_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
