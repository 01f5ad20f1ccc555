/* test_coach.c: the language coach on a table of phrases it must point out
 * (with their kind and where they are, in code points) and a table of
 * innocent sentences it must leave alone; and the rule file's format. */
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
	{ "Can you just get over it?", "minimising", "get over it" },
	{ "It wasn't a big deal.", "minimising", "It wasn't a big deal" },
	{ "You're being paranoid again.", "minimising", "You're being paranoid" },
	{ "I don't want to talk about it anymore.", "minimising", "I don't want to talk about it anymore" },
	{ "Ça va. You  never\nlisten.", "accusation", "You  never" },
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
};

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
	assert_string_equal(notes[2].kind, "minimising");
	assert_string_equal(notes[3].kind, "accusation");
	for (int i = 1; i < 4; i++)
		assert_true(notes[i].start >= notes[i - 1].end);
	/* max is respected */
	assert_int_equal(coach_check_builtin(t, strlen(t), notes, 2), 2);
	assert_int_equal(coach_check_builtin(t, strlen(t), notes, 0), 0);
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
	assert_int_equal(coach_check(rules, strlen(rules), t, strlen(t), notes, 4), 2);
	assert_string_equal(notes[0].kind, "excuse");
	assert_int_equal(notes[0].start, 0);
	assert_int_equal(notes[0].end, 14);
	assert_int_equal(notes[0].suggestion_len, 7);
	assert_memory_equal(notes[0].suggestion, "Own it.", 7);
	assert_string_equal(notes[1].kind, "accusation");
	assert_int_equal(notes[1].start, 16);
	assert_int_equal(coach_check(rules, strlen(rules), "the doghouse", 12, notes, 4), 0);
	assert_int_equal(coach_check(NULL, 0, t, strlen(t), notes, 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(flags_the_phrases),
		cmocka_unit_test(suggests_i_feel),
		cmocka_unit_test(leaves_innocent_sentences_alone),
		cmocka_unit_test(several_notes_in_order),
		cmocka_unit_test(rules_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
