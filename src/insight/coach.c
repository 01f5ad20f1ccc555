/* coach.c: the language coach (see coach.h). Each rule line is parsed in
 * place on every call (the file is a few kilobytes), so nothing is held
 * between calls and nothing needs freeing. */
#include "coach.h"

#include <stdbool.h>
#include <string.h>

#include "../base/utf8.h"
#include "../http/assets.h"

static const char KINDS[][16] = { "blame_shift", "excuse", "accusation", "minimising" };

static char lower(unsigned char c)
{
	return (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

/* A letter, digit or any non-ASCII byte (a word may hold accented letters);
 * apostrophes join words ("don't"). */
static bool wordch(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80 ||
	       c == '\'';
}

static bool curly_apos(const char *t, size_t i, size_t n)
{
	return i + 3 <= n && (unsigned char)t[i] == 0xE2 && (unsigned char)t[i + 1] == 0x80 &&
	       (unsigned char)t[i + 2] == 0x99;
}

/* A word character of the text at i (curly apostrophe included); its byte length or 0. */
static size_t text_wordch(const char *t, size_t i, size_t n)
{
	if (i >= n)
		return 0;
	if (curly_apos(t, i, n))
		return 3;
	return wordch((unsigned char)t[i]) ? 1 : 0;
}

/* Matches pattern p[0..pn) at t+i. Returns the end (bytes) or 0. Spaces in
 * the pattern match one or more spaces; "*" one word. */
static size_t match_at(const char *p, size_t pn, const char *t, size_t n, size_t i)
{
	size_t j = 0;
	while (j < pn) {
		if (p[j] == ' ') {
			if (i >= n || (t[i] != ' ' && t[i] != '\n' && t[i] != '\t'))
				return 0;
			while (i < n && (t[i] == ' ' || t[i] == '\n' || t[i] == '\t'))
				i++;
			while (j < pn && p[j] == ' ')
				j++;
		} else if (p[j] == '*') {
			size_t k, w = 0;
			while ((k = text_wordch(t, i, n)))
				i += k, w++;
			if (!w)
				return 0;
			j++;
		} else if (p[j] == '\'') {
			if (i < n && t[i] == '\'')
				i++;
			else if (curly_apos(t, i, n))
				i += 3;
			else
				return 0;
			j++;
		} else {
			if (i >= n || lower((unsigned char)t[i]) != lower((unsigned char)p[j]))
				return 0;
			i++, j++;
		}
	}
	/* whole words: the match ends where a word ends */
	return text_wordch(t, i, n) ? 0 : i;
}

static bool starts_word(const char *t, size_t i)
{
	if (i == 0)
		return true;
	if (i >= 3 && curly_apos(t, i - 3, i))
		return false;
	return !wordch((unsigned char)t[i - 1]);
}

static const char *trim(const char *s, const char *e, size_t *len)
{
	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	*len = (size_t)(e - s);
	return s;
}

struct rule {
	int kind;
	const char *phrase, *suggestion;
	size_t phrase_len, suggestion_len;
};

/* Parses the rule line [s, e). Returns true when it is a rule. */
static bool parse_rule(const char *s, const char *e, struct rule *r)
{
	size_t n;
	const char *line = trim(s, e, &n);
	if (!n || line[0] == '#')
		return false;
	const char *bar1 = memchr(line, '|', n);
	const char *bar2 = bar1 ? memchr(bar1 + 1, '|', (size_t)(line + n - bar1 - 1)) : NULL;
	if (!bar2)
		return false;
	size_t kn;
	const char *kind = trim(line, bar1, &kn);
	r->kind = -1;
	for (int k = 0; k < (int)(sizeof(KINDS) / sizeof(KINDS[0])); k++)
		if (kn == strlen(KINDS[k]) && !memcmp(kind, KINDS[k], kn))
			r->kind = k;
	r->phrase = trim(bar1 + 1, bar2, &r->phrase_len);
	r->suggestion = trim(bar2 + 1, line + n, &r->suggestion_len);
	return r->kind >= 0 && r->phrase_len > 0 && r->suggestion_len > 0 &&
	       !memchr(r->suggestion, '|', r->suggestion_len);
}

int coach_check(const char *rules, size_t rules_len, const char *text, size_t n,
		struct coach_note *notes, int max)
{
	int count = 0;
	if (!rules || !text || max <= 0)
		return 0;
	/* by start position; at each, the rules in file order */
	size_t i = 0;
	while (i < n && count < max) {
		if (!starts_word(text, i) || !text_wordch(text, i, n)) {
			i++;
			continue;
		}
		size_t end = 0;
		struct rule hit = { 0 };
		const char *s = rules, *stop = rules + rules_len;
		while (s < stop && !end) {
			const char *nl = memchr(s, '\n', (size_t)(stop - s));
			const char *e = nl ? nl : stop;
			struct rule r;
			if (parse_rule(s, e, &r) && (end = match_at(r.phrase, r.phrase_len, text, n, i)))
				hit = r;
			s = nl ? nl + 1 : stop;
		}
		if (!end) {
			/* on to the next word */
			size_t k;
			while ((k = text_wordch(text, i, n)))
				i += k;
			continue;
		}
		struct coach_note *note = &notes[count++];
		note->start = utf8_count(text, i);
		note->end = utf8_count(text, end);
		memcpy(note->kind, KINDS[hit.kind], sizeof(note->kind));
		note->suggestion = hit.suggestion;
		note->suggestion_len = hit.suggestion_len;
		i = end;
	}
	return count;
}

int coach_check_builtin(const char *text, size_t n, struct coach_note *notes, int max)
{
	const struct asset *a = asset_find(COACH_RULES_FILE);
	if (!a)
		return 0;
	return coach_check((const char *)a->data, a->len, text, n, notes, max);
}
