/* coach.c: the language coach (see coach.h). A text is read sentence by
 * sentence; each sentence becomes a list of normalised words (tokens) that
 * both the rules and the classifier see. The rules are compiled from their
 * text on each coach_check call (about a tenth of a millisecond) and, for
 * the built-in rules, once, with the model, on the first call. */
#include "coach.h"

#include <math.h>
#include <pthread.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../base/utf8.h"
#include "../http/assets.h"

const char coach_kind_names[COACH_KINDS][16] = { "ok",	      "blame_shift", "excuse", "accusation",
						 "minimising", "comparison", "demand" };

/* The classifier's harm for a sentence (0 to 1) decides:
 *   WEAK_MIN   the softer ("?") rules apply at or above it;
 *   WEAK_KIND  the same when an "ok" rule (a sign of kindness) matched;
 *   SOLO_MIN   the whole sentence gets a note even when no rule matched,
 *              when naive Bayes (harm pooled against kindness) also puts
 *              its harm at SOLO_NB_MIN or more.
 * The logistic regression: LR_EPOCHS passes of stochastic gradient
 * descent, rate LR_RATE (slowly decreasing), L2 penalty LR_L2. NB_ALPHA:
 * the naive Bayes smoothing for the kind of harm. All chosen by
 * four-fold cross-validation inside the training split (bench/bench_coach.c
 * --cv), never on the held-out split. */
#ifndef WEAK_MIN
#define WEAK_MIN 0.15
#endif
#ifndef WEAK_KIND
#define WEAK_KIND 0.7
#endif
#ifndef SOLO_MIN
#define SOLO_MIN 0.7
#endif
#ifndef SOLO_NB_MIN
#define SOLO_NB_MIN 0.9
#endif
#ifndef LR_EPOCHS
#define LR_EPOCHS 50
#endif
#ifndef LR_RATE
#define LR_RATE 0.2
#endif
#ifndef LR_L2
#define LR_L2 0.001
#endif
#ifndef NB_ALPHA
#define NB_ALPHA 0.5
#endif

/* ----------------------------------------------------------- tokens */

static uint32_t fnv(uint32_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

#define FNV0 2166136261u

#define TOK_MAX 24	/* bytes of a word kept (longer words are cut) */
#define SENT_TOKS 96	/* tokens of a sentence looked at together */

struct tok {
	char w[TOK_MAX];
	unsigned char len;
	uint32_t h;    /* fnv of w */
	size_t b0, b1; /* bytes of the text this word came from */
	bool pause;    /* a comma, colon or dash comes before it */
};

static bool ascii_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The kind of character at t+i: 1 a word character, 2 an apostrophe, 3 a
 * sentence end (. ! ? ; …), 0 anything else. *len: its byte length. */
static int char_class(const char *t, size_t n, size_t i, size_t *len)
{
	unsigned char c = (unsigned char)t[i];
	*len = 1;
	if (ascii_alnum(c))
		return 1;
	if (c == '\'')
		return 2;
	if (c == '.' || c == '!' || c == '?' || c == ';')
		return 3;
	if (c < 0x80)
		return 0;
	size_t k = 1;
	while (i + k < n && k < 4 && ((unsigned char)t[i + k] & 0xC0) == 0x80)
		k++;
	*len = k;
	if (c == 0xE2 && k == 3 && (unsigned char)t[i + 1] == 0x80) {
		unsigned char d = (unsigned char)t[i + 2];
		if (d == 0x98 || d == 0x99) /* ‘ ’ */
			return 2;
		if (d == 0xA6) /* … */
			return 3;
		return 0; /* dashes, quotes, spaces */
	}
	if (c == 0xC2 || c == 0xE3 || (c == 0xEF && k == 3 && (unsigned char)t[i + 1] == 0xBC))
		return 0; /* Latin-1 and CJK punctuation, fullwidth forms */
	return 1;
}

static void tok_set(struct tok *k, const char *w, size_t len, size_t b0, size_t b1)
{
	if (len > TOK_MAX - 1)
		len = TOK_MAX - 1;
	memcpy(k->w, w, len);
	k->w[len] = 0;
	k->len = (unsigned char)len;
	k->h = fnv(FNV0, w, len);
	k->b0 = b0;
	k->b1 = b1;
	k->pause = false;
}

static bool ends_with(const char *w, size_t n, const char *suf)
{
	size_t s = strlen(suf);
	return n >= s && !memcmp(w + n - s, suf, s);
}

static bool is_one_of(const char *w, size_t n, const char *const *list)
{
	for (; *list; list++)
		if ((*list)[0] == w[0] && strlen(*list) == n && !memcmp(w, *list, n))
			return true;
	return false;
}

/* Words written without their apostrophe, and what they stand for. */
static const char *const BARE[][3] = {
	{ "youre", "you", "are" },   { "dont", "do", "not" },	  { "didnt", "did", "not" },
	{ "doesnt", "does", "not" }, { "wasnt", "was", "not" },	  { "werent", "were", "not" },
	{ "isnt", "is", "not" },     { "cant", "can", "not" },	  { "cannot", "can", "not" },
	{ "wont", "will", "not" },   { "im", "i", "am" },	  { "ive", "i", "have" },
	{ "thats", "that", "is" },   { "hadnt", "had", "not" },	  { "havent", "have", "not" },
	{ "shouldnt", "should", "not" }, { "wouldnt", "would", "not" }, { "couldnt", "could", "not" },
	{ "u", "you", NULL },	     { "ur", "your", NULL },	  { "whats", "what", "is" },
};

/* Appends the word w (lowercase, apostrophes straight, n bytes) to toks,
 * written out in full: "you're" is "you" "are", "wasn't" "was" "not",
 * "partner's" "partner". Returns the number of tokens added (0 to 2). */
static int expand(const char *w, size_t n, size_t b0, size_t b1, struct tok *toks, int room)
{
	static const char *const IS_S[] = { "it",	 "that",     "he",	"she",	     "what",	 "there",
					    "who",	 "here",     "where",	"how",	     "everyone", "everybody",
					    "nobody",	 "someone",  "something", "this",    "nothing",	 "everything",
					    NULL };
	const char *first = w, *second = NULL;
	size_t fn = n;
	char stem[TOK_MAX];
	if (room < 2)
		return 0;
	for (size_t i = 0; i < sizeof(BARE) / sizeof(BARE[0]); i++)
		if (BARE[i][0][0] == w[0] && strlen(BARE[i][0]) == n && !memcmp(w, BARE[i][0], n)) {
			tok_set(&toks[0], BARE[i][1], strlen(BARE[i][1]), b0, b1);
			if (!BARE[i][2])
				return 1;
			tok_set(&toks[1], BARE[i][2], strlen(BARE[i][2]), b0, b1);
			return 2;
		}
	if (ends_with(w, n, "n't") && n > 3) {
		fn = n - 3;
		if (fn == 2 && !memcmp(w, "wo", 2)) /* won't */
			first = "will", fn = 4;
		else if (fn == 2 && !memcmp(w, "ca", 2)) /* can't */
			first = "can", fn = 3;
		else if (fn == 2 && !memcmp(w, "sh", 2)) /* shan't */
			first = "shall", fn = 5;
		else if (fn == 2 && !memcmp(w, "ai", 2))
			first = "is", fn = 2;
		second = "not";
	} else if (ends_with(w, n, "'re") && n > 3) {
		fn = n - 3, second = "are";
	} else if (ends_with(w, n, "'ve") && n > 3) {
		fn = n - 3, second = "have";
	} else if (ends_with(w, n, "'ll") && n > 3) {
		fn = n - 3, second = "will";
	} else if (ends_with(w, n, "'m") && n > 2) {
		fn = n - 2, second = "am";
	} else if (ends_with(w, n, "'d") && n > 2) {
		fn = n - 2, second = "would";
	} else if (ends_with(w, n, "'s") && n > 2) {
		fn = n - 2;
		if (fn == 3 && !memcmp(w, "let", 3))
			second = "us";
		else if (is_one_of(w, fn, IS_S))
			second = "is";
	}
	if (fn > TOK_MAX - 1)
		fn = TOK_MAX - 1;
	memcpy(stem, first, fn);
	tok_set(&toks[0], stem, fn, b0, b1);
	if (!second)
		return 1;
	tok_set(&toks[1], second, strlen(second), b0, b1);
	return 2;
}

/* Reads the next sentence of t from *pos into toks (at most max). With
 * whole_line, sentence ends do not stop it (a training line is one
 * example). Returns the number of tokens, and moves *pos past what it
 * read; 0 with *pos == n at the end. */
static int next_sentence(const char *t, size_t n, size_t *pos, struct tok *toks, int max, bool whole_line)
{
	int k = 0;
	size_t i = *pos;
	bool pause = false;
	while (i < n && k < max) {
		size_t len;
		int cls = char_class(t, n, i, &len);
		if (cls == 3 && !whole_line) {
			i += len;
			if (k)
				break;
			continue;
		}
		if (cls != 1) {
			unsigned char c = (unsigned char)t[i];
			if (c == ',' || c == ':' || c == '(' || c == ')' || (c == '-' && i && t[i - 1] == ' ') ||
			    (len == 3 && c == 0xE2 && (unsigned char)t[i + 1] == 0x80 &&
			     ((unsigned char)t[i + 2] == 0x93 || (unsigned char)t[i + 2] == 0x94)))
				pause = true; /* , : ( ) – — and a spaced - */
			i += len;
			continue;
		}
		/* a word: letters and apostrophes between letters */
		char w[64];
		size_t wn = 0, b0 = i, b1 = i;
		while (i < n) {
			cls = char_class(t, n, i, &len);
			if (cls == 1) {
				for (size_t j = 0; j < len && wn < sizeof(w); j++) {
					unsigned char c = (unsigned char)t[i + j];
					w[wn++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
				}
				i += len;
				b1 = i;
			} else if (cls == 2) {
				size_t l2;
				if (i + len < n && char_class(t, n, i + len, &l2) == 1) {
					if (wn < sizeof(w))
						w[wn++] = '\'';
					i += len;
				} else {
					i += len;
					break;
				}
			} else {
				break;
			}
		}
		int added = expand(w, wn, b0, b1, toks + k, max - k);
		if (added)
			toks[k].pause = pause;
		pause = false;
		k += added;
		if (max - k < 2)
			break;
	}
	*pos = i;
	return k;
}

/* ------------------------------------------------------------ rules */

enum { IT_WORD, IT_ANY, IT_GAP };
#define GAP_MAX 3 /* "..." in a phrase: up to this many words */

struct alt {
	char w[TOK_MAX];
	unsigned char len;
	bool prefix, suffix; /* "word*", "*ing" */
	uint32_t h;	     /* fnv of w */
};

struct item {
	unsigned char type;
	bool optional;
	unsigned alt0, nalt;
};

struct rule {
	int kind;
	bool weak, fallback, frame; /* frame: an "ok" rule that quiets its clause */
	unsigned item0, nitem;
	const char *phrase; /* as written, for the classifier's feature name */
	size_t phrase_len;
	const char *suggestion;
	size_t suggestion_len;
};

/* Rules by their first word, so that at each word of a text only the
 * rules that can start there are tried. */
#define INDEX_BITS 10
struct entry {
	uint32_t h;
	unsigned rule, next;
};

struct ruleset {
	struct rule *rules;
	struct item *items;
	struct alt *alts;
	unsigned nrules, nitems, nalts, cap_rules, cap_items, cap_alts;
	bool failed;
	unsigned head[1u << INDEX_BITS]; /* into entries, UINT_MAX: none */
	struct entry *entries;
	unsigned nentries, cap_entries;
	unsigned *always; /* rules whose first word is "*", "word*" or "*ing" */
	unsigned nalways, cap_always;
};

static void *grow(void *p, unsigned *cap, unsigned need, size_t size, bool *failed)
{
	if (need <= *cap)
		return p;
	unsigned c = *cap ? *cap * 2 : 64;
	while (c < need)
		c *= 2;
	void *q = realloc(p, c * size);
	if (!q) {
		*failed = true;
		return p;
	}
	*cap = c;
	return q;
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

/* One alternative of a phrase word, normalised like the text (lowercase,
 * straight apostrophes). A word with an apostrophe is written out in full
 * ("you're": "you" "are"), then only when it is the word's only
 * alternative: returns the number of tokens in out (1 or 2), 0 if none. */
static int norm_word(const char *s, size_t n, struct tok out[2])
{
	char w[64];
	size_t wn = 0;
	for (size_t i = 0; i < n && wn < sizeof(w); i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] == 0x98 || (unsigned char)s[i + 2] == 0x99)) {
			w[wn++] = '\'';
			i += 2;
		} else {
			w[wn++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
	}
	if (!wn)
		return 0;
	return expand(w, wn, 0, 0, out, 2);
}

static void add_word_item(struct ruleset *rs, const char *s, size_t n, bool optional)
{
	struct tok t[2];
	const char *slash = memchr(s, '/', n);
	if (!slash) {
		bool prefix = n > 1 && s[n - 1] == '*', suffix = n > 1 && s[0] == '*' && !prefix;
		int k = suffix ? norm_word(s + 1, n - 1, t) > 0 : norm_word(s, prefix ? n - 1 : n, t);
		for (int i = 0; i < k; i++) {
			rs->items = grow(rs->items, &rs->cap_items, rs->nitems + 1, sizeof(*rs->items), &rs->failed);
			rs->alts = grow(rs->alts, &rs->cap_alts, rs->nalts + 1, sizeof(*rs->alts), &rs->failed);
			if (rs->failed)
				return;
			struct alt *a = &rs->alts[rs->nalts];
			memcpy(a->w, t[i].w, sizeof(a->w));
			a->len = t[i].len;
			a->prefix = prefix && i == k - 1;
			a->suffix = suffix;
			a->h = fnv(FNV0, a->w, a->len);
			rs->items[rs->nitems++] = (struct item){ IT_WORD, optional, rs->nalts++, 1 };
		}
		return;
	}
	rs->items = grow(rs->items, &rs->cap_items, rs->nitems + 1, sizeof(*rs->items), &rs->failed);
	if (rs->failed)
		return;
	struct item it = { IT_WORD, optional, rs->nalts, 0 };
	const char *p = s, *e = s + n;
	while (p < e) {
		const char *q = memchr(p, '/', (size_t)(e - p));
		if (!q)
			q = e;
		size_t an = (size_t)(q - p);
		bool prefix = an > 1 && p[an - 1] == '*', suffix = an > 1 && p[0] == '*' && !prefix;
		if (an && norm_word(suffix ? p + 1 : p, prefix || suffix ? an - 1 : an, t) >= 1) {
			rs->alts = grow(rs->alts, &rs->cap_alts, rs->nalts + 1, sizeof(*rs->alts), &rs->failed);
			if (rs->failed)
				return;
			struct alt *a = &rs->alts[rs->nalts++];
			/* the first token only: alternatives are single words */
			memcpy(a->w, t[0].w, sizeof(a->w));
			a->len = t[0].len;
			a->prefix = prefix;
			a->suffix = suffix;
			a->h = fnv(FNV0, a->w, a->len);
			it.nalt++;
		}
		p = q + 1;
	}
	if (it.nalt)
		rs->items[rs->nitems++] = it;
}

/* Parses the rule line [s, e) into rs. */
static void parse_rule(struct ruleset *rs, const char *s, const char *e)
{
	size_t n;
	const char *line = trim(s, e, &n);
	if (!n || line[0] == '#')
		return;
	const char *bar1 = memchr(line, '|', n);
	const char *bar2 = bar1 ? memchr(bar1 + 1, '|', (size_t)(line + n - bar1 - 1)) : NULL;
	if (!bar2)
		return;
	size_t kn, pn;
	const char *kind = trim(line, bar1, &kn);
	struct rule r = { .kind = -1 };
	for (int k = 0; k < COACH_KINDS; k++)
		if (kn == strlen(coach_kind_names[k]) && !memcmp(kind, coach_kind_names[k], kn))
			r.kind = k;
	if (kn == 5 && !memcmp(kind, "frame", 5))
		r.kind = 0, r.frame = true;
	const char *phrase = trim(bar1 + 1, bar2, &pn);
	r.suggestion = trim(bar2 + 1, line + n, &r.suggestion_len);
	if (r.kind < 0 || !pn || !r.suggestion_len || memchr(r.suggestion, '|', r.suggestion_len))
		return;
	if (pn == 10 && !memcmp(phrase, "(sentence)", 10)) {
		if (r.frame)
			return;
		r.fallback = true;
	} else {
		if (phrase[0] == '?' && pn > 1 && (phrase[1] == ' ' || phrase[1] == '\t')) {
			r.weak = true;
			phrase = trim(phrase + 1, phrase + pn, &pn);
		}
		unsigned before = rs->nitems;
		const char *p = phrase, *pe = phrase + pn;
		while (p < pe) {
			while (p < pe && (*p == ' ' || *p == '\t'))
				p++;
			const char *q = p;
			while (q < pe && *q != ' ' && *q != '\t')
				q++;
			size_t wn = (size_t)(q - p);
			if (!wn)
				break;
			if (wn == 3 && !memcmp(p, "...", 3) && rs->nitems > before) {
				rs->items = grow(rs->items, &rs->cap_items, rs->nitems + 1, sizeof(*rs->items), &rs->failed);
				if (rs->failed)
					return;
				rs->items[rs->nitems++] = (struct item){ IT_GAP, false, 0, 0 };
			} else if (wn == 1 && *p == '*') {
				rs->items = grow(rs->items, &rs->cap_items, rs->nitems + 1, sizeof(*rs->items), &rs->failed);
				if (rs->failed)
					return;
				rs->items[rs->nitems++] = (struct item){ IT_ANY, false, 0, 0 };
			} else if (wn > 2 && p[0] == '[' && p[wn - 1] == ']') {
				add_word_item(rs, p + 1, wn - 2, true);
			} else {
				add_word_item(rs, p, wn, false);
			}
			p = q;
		}
		/* a phrase neither starts with an optional word nor ends with a gap */
		while (rs->nitems > before && rs->items[rs->nitems - 1].type == IT_GAP)
			rs->nitems--;
		if (rs->nitems == before || rs->items[before].optional || rs->failed)
			return;
		r.phrase = phrase;
		r.phrase_len = pn;
		r.item0 = before;
		r.nitem = rs->nitems - before;
	}
	rs->rules = grow(rs->rules, &rs->cap_rules, rs->nrules + 1, sizeof(*rs->rules), &rs->failed);
	if (!rs->failed)
		rs->rules[rs->nrules++] = r;
}

static void ruleset_free(struct ruleset *rs)
{
	free(rs->rules);
	free(rs->items);
	free(rs->alts);
	free(rs->entries);
	free(rs->always);
	memset(rs, 0, sizeof(*rs));
}

static bool ruleset_compile(struct ruleset *rs, const char *rules, size_t len)
{
	memset(rs, 0, sizeof(*rs));
	const char *s = rules, *stop = rules + len;
	while (s < stop && !rs->failed) {
		const char *nl = memchr(s, '\n', (size_t)(stop - s));
		parse_rule(rs, s, nl ? nl : stop);
		s = nl ? nl + 1 : stop;
	}
	memset(rs->head, 0xff, sizeof(rs->head));
	for (unsigned r = 0; r < rs->nrules && !rs->failed; r++) {
		if (rs->rules[r].fallback)
			continue;
		const struct item *it = &rs->items[rs->rules[r].item0];
		bool exact = it->type == IT_WORD;
		for (unsigned a = it->alt0; exact && a < it->alt0 + it->nalt; a++)
			exact = !rs->alts[a].prefix && !rs->alts[a].suffix;
		if (!exact) {
			rs->always = grow(rs->always, &rs->cap_always, rs->nalways + 1, sizeof(*rs->always), &rs->failed);
			if (!rs->failed)
				rs->always[rs->nalways++] = r;
			continue;
		}
		for (unsigned a = it->alt0; a < it->alt0 + it->nalt && !rs->failed; a++) {
			rs->entries = grow(rs->entries, &rs->cap_entries, rs->nentries + 1, sizeof(*rs->entries), &rs->failed);
			if (rs->failed)
				break;
			uint32_t h = fnv(FNV0, rs->alts[a].w, rs->alts[a].len);
			unsigned b = h & ((1u << INDEX_BITS) - 1);
			rs->entries[rs->nentries] = (struct entry){ h, r, rs->head[b] };
			rs->head[b] = rs->nentries++;
		}
	}
	if (rs->failed)
		ruleset_free(rs);
	return !rs->failed;
}

static bool word_matches(const struct ruleset *rs, const struct item *it, const struct tok *t)
{
	for (unsigned a = it->alt0; a < it->alt0 + it->nalt; a++) {
		const struct alt *al = &rs->alts[a];
		if (al->prefix   ? t->len >= al->len && !memcmp(t->w, al->w, al->len)
		    : al->suffix ? t->len > al->len && !memcmp(t->w + t->len - al->len, al->w, al->len)
				 : t->h == al->h && t->len == al->len && !memcmp(t->w, al->w, al->len))
			return true;
	}
	return false;
}

/* Matches items [j, end) at toks[i..k). Returns the index after the last
 * word used, or -1. */
static int match(const struct ruleset *rs, unsigned j, unsigned end, const struct tok *toks, int i, int k, int last)
{
	if (j == end)
		return last;
	const struct item *it = &rs->items[j];
	if (it->type == IT_GAP) {
		for (int g = 0; g <= GAP_MAX && i + g <= k; g++) {
			int r = match(rs, j + 1, end, toks, i + g, k, last);
			if (r >= 0)
				return r;
		}
		return -1;
	}
	if (i < k && (it->type == IT_ANY || word_matches(rs, it, &toks[i]))) {
		int r = match(rs, j + 1, end, toks, i + 1, k, i + 1);
		if (r >= 0)
			return r;
	}
	return it->optional ? match(rs, j + 1, end, toks, i, k, last) : -1;
}

struct hit {
	unsigned rule;
	int start, end; /* words [start, end) of the sentence */
};
#define HIT_MAX 256

/* Every rule that matches the sentence toks[0..k) and where (the first
 * match at each start), ordered by start, then by the rule's place in the
 * file. Returns the number written to h (at most HIT_MAX). */
static int find_hits(const struct ruleset *rs, const struct tok *toks, int k, struct hit *h)
{
	int n = 0;
	for (int i = 0; rs && i < k && n < HIT_MAX; i++) {
		unsigned cand[256];
		int nc = 0;
		for (unsigned e = rs->head[toks[i].h & ((1u << INDEX_BITS) - 1)]; e != UINT_MAX && nc < 256;
		     e = rs->entries[e].next)
			if (rs->entries[e].h == toks[i].h)
				cand[nc++] = rs->entries[e].rule;
		/* in file order, once each: the chains hold the latest rule first */
		for (int x = 0; x < nc / 2; x++) {
			unsigned t = cand[x];
			cand[x] = cand[nc - 1 - x];
			cand[nc - 1 - x] = t;
		}
		for (unsigned a = 0; a < rs->nalways && nc < 256; a++) {
			int y = nc++;
			for (; y > 0 && cand[y - 1] > rs->always[a]; y--)
				cand[y] = cand[y - 1];
			cand[y] = rs->always[a];
		}
		for (int x = 0; x < nc && n < HIT_MAX; x++) {
			if (x && cand[x] == cand[x - 1])
				continue;
			const struct rule *ru = &rs->rules[cand[x]];
			int e = match(rs, ru->item0, ru->item0 + ru->nitem, toks, i, k, -1);
			if (e > i)
				h[n++] = (struct hit){ cand[x], i, e };
		}
	}
	return n;
}

/* ------------------------------------------------------- classifier */


#define FEAT_MAX (2 * SENT_TOKS + 32)

/* The features of a sentence: each word, each pair of neighbours, and
 * each rule that matches somewhere in it (its hits). Writes up to max
 * bucket numbers. */
static int features(const struct ruleset *rs, const struct hit *hits, int nh, const struct tok *toks, int k,
		    uint32_t *f, int max)
{
	int n = 0;
	uint32_t mask = (1u << COACH_NB_BITS) - 1;
	for (int x = 0; x < nh && n < 32; x++) {
		const struct rule *ru = &rs->rules[hits[x].rule];
		f[n++] = fnv(fnv(FNV0, "\x01", 1), ru->phrase, ru->phrase_len) & mask;
	}
	for (int i = 0; i < k && n + 2 <= max; i++) {
		f[n++] = fnv(FNV0, toks[i].w, toks[i].len) & mask;
		if (!i)
			continue;
		uint32_t h = fnv(FNV0, toks[i - 1].w, toks[i - 1].len);
		h = fnv(fnv(h, " ", 1), toks[i].w, toks[i].len);
		f[n++] = h & mask;
	}
	return n;
}

/* Moves the distinct values of f[0..n) to its front, in place. Returns
 * how many there are. */
static int distinct(uint32_t *f, int n)
{
	int k = 0;
	for (int i = 0; i < n; i++) {
		int j = 0;
		while (j < k && f[j] != f[i])
			j++;
		if (j == k)
			f[k++] = f[i];
	}
	return k;
}

static double lr_score(const struct coach_model *m, const uint32_t *f, int n)
{
	double z = m->bias;
	for (int i = 0; i < n; i++)
		z += m->weight[f[i]];
	return z;
}

/* The label of a corpus line [s, e) ("label<TAB>sentence"), or -1; *tab
 * is set to its tab. */
static int line_label(const char *s, const char *e, const char **tab)
{
	*tab = memchr(s, '\t', (size_t)(e - s));
	if (!*tab || s[0] == '#')
		return -1;
	for (int c = 0; c < COACH_KINDS; c++)
		if ((size_t)(*tab - s) == strlen(coach_kind_names[c]) && !memcmp(s, coach_kind_names[c], (size_t)(*tab - s)))
			return c;
	return -1;
}

static int train(struct coach_model *m, const struct ruleset *rs, const char *corpus, size_t len)
{
	memset(m, 0, sizeof(*m));
	/* each example once, as [label, n, feature...] in ex */
	uint32_t *ex = NULL;
	size_t n_ex = 0, cap = 0;
	int learnt = 0;
	const char *s = corpus, *stop = corpus + len;
	while (corpus && s < stop) {
		const char *nl = memchr(s, '\n', (size_t)(stop - s));
		const char *e = nl ? nl : stop, *tab;
		int label = line_label(s, e, &tab);
		s = nl ? nl + 1 : stop;
		if (label < 0)
			continue;
		struct tok toks[SENT_TOKS];
		struct hit hits[HIT_MAX];
		uint32_t f[FEAT_MAX];
		size_t pos = 0;
		int k = next_sentence(tab + 1, (size_t)(e - tab - 1), &pos, toks, SENT_TOKS, true);
		int nh = find_hits(rs, toks, k, hits);
		int nf = distinct(f, features(rs, hits, nh, toks, k, f, FEAT_MAX));
		if (n_ex + 2 + (size_t)nf > cap) {
			size_t c = cap ? cap * 2 : 16384;
			while (c < n_ex + 2 + (size_t)nf)
				c *= 2;
			uint32_t *q = realloc(ex, c * sizeof(*ex));
			if (!q)
				break;
			ex = q, cap = c;
		}
		ex[n_ex++] = (uint32_t)label;
		ex[n_ex++] = (uint32_t)nf;
		for (int i = 0; i < nf; i++) {
			ex[n_ex++] = f[i];
			if (m->count[label][f[i]] < UINT16_MAX)
				m->count[label][f[i]]++;
			m->total[label]++;
		}
		m->docs[label]++;
		learnt++;
	}
	for (int ep = 0; ep < LR_EPOCHS; ep++) {
		double rate = LR_RATE / (1 + ep * 0.1);
		for (size_t i = 0; i < n_ex; i += 2 + ex[i + 1]) {
			const uint32_t *f = ex + i + 2;
			int nf = (int)ex[i + 1];
			double g = (ex[i] ? 1.0 : 0.0) - 1 / (1 + exp(-lr_score(m, f, nf)));
			for (int j = 0; j < nf; j++)
				m->weight[f[j]] += (float)(rate * (g - LR_L2 * m->weight[f[j]]));
			m->bias += (float)(rate * g);
		}
	}
	free(ex);
	for (uint32_t b = 0; b < (1u << COACH_NB_BITS); b++)
		for (int c = 0; c < COACH_KINDS; c++)
			if (m->count[c][b]) {
				m->vocab++;
				break;
			}
	return learnt;
}

/* The log-likelihood of the features f under the counts of one label (or,
 * with c < 0, of every harmful label pooled). */
static double loglik(const struct coach_model *m, int c, const uint32_t *f, int nf)
{
	double total = 0;
	for (int k = c < 0 ? 1 : c; k < (c < 0 ? COACH_KINDS : c + 1); k++)
		total += m->total[k];
	double s = 0, denom = log(total + NB_ALPHA * m->vocab);
	for (int i = 0; i < nf; i++) {
		double n = 0;
		for (int k = c < 0 ? 1 : c; k < (c < 0 ? COACH_KINDS : c + 1); k++)
			n += m->count[k][f[i]];
		s += log(n + NB_ALPHA) - denom;
	}
	return s;
}

/* The likeliest kind of harm of a sentence (naive Bayes over its
 * features, the harmful labels only). */
static int kind_of(const struct coach_model *m, const struct ruleset *rs, const struct hit *hits, int nh,
		   const struct tok *toks, int k)
{
	uint32_t f[FEAT_MAX];
	int nf = features(rs, hits, nh, toks, k, f, FEAT_MAX), kind = 1;
	double top = -INFINITY;
	for (int c = 1; c < COACH_KINDS; c++) {
		if (!m->docs[c])
			continue;
		double s = log((double)m->docs[c]) + loglik(m, c, f, nf);
		if (s > top)
			top = s, kind = c;
	}
	return kind;
}

/* Whether a sentence is harmful by naive Bayes (every harmful label
 * pooled against "ok"): a second opinion, from another model, before a
 * whole sentence gets a note. */
static double nb_harm_of(const struct coach_model *m, const struct ruleset *rs, const struct hit *hits, int nh,
			 const struct tok *toks, int k)
{
	uint32_t docs = 0;
	for (int c = 1; c < COACH_KINDS; c++)
		docs += m->docs[c];
	if (!m->docs[0] || !docs || !k)
		return 0;
	uint32_t f[FEAT_MAX];
	int nf = features(rs, hits, nh, toks, k, f, FEAT_MAX);
	double z = log((double)docs) + loglik(m, -1, f, nf) - log((double)m->docs[0]) - loglik(m, 0, f, nf);
	return 1 / (1 + exp(-z));
}

/* Whether a sentence is harmful: the logistic regression's probability. */
static double harm_of(const struct coach_model *m, const struct ruleset *rs, const struct hit *hits, int nh,
		      const struct tok *toks, int k)
{
	if (!m->docs[0] || !k)
		return 0;
	uint32_t f[FEAT_MAX];
	int nf = distinct(f, features(rs, hits, nh, toks, k, f, FEAT_MAX));
	return 1 / (1 + exp(-lr_score(m, f, nf)));
}

int coach_model_train(struct coach_model *m, const char *rules, size_t rules_len, const char *corpus, size_t len)
{
	struct ruleset rs;
	bool have = rules && ruleset_compile(&rs, rules, rules_len);
	int n = train(m, have ? &rs : NULL, corpus, len);
	if (have)
		ruleset_free(&rs);
	return n;
}

double coach_model_harm(const struct coach_model *m, const char *rules, size_t rules_len, const char *text, size_t n,
			int *kind)
{
	struct tok toks[SENT_TOKS];
	struct ruleset rs;
	size_t pos = 0;
	int k = text ? next_sentence(text, n, &pos, toks, SENT_TOKS, true) : 0;
	bool have = rules && ruleset_compile(&rs, rules, rules_len);
	struct hit hits[HIT_MAX] = { { 0, 0, 0 } };
	int nh = have ? find_hits(&rs, toks, k, hits) : 0;
	double h = harm_of(m, have ? &rs : NULL, hits, nh, toks, k);
	if (kind)
		*kind = kind_of(m, have ? &rs : NULL, hits, nh, toks, k);
	if (have)
		ruleset_free(&rs);
	return h;
}

static void note_set(struct coach_note *note, const char *text, size_t b0, size_t b1, int kind, const struct rule *r,
		     int by_rule)
{
	note->start = utf8_count(text, b0);
	note->end = utf8_count(text, b1);
	memcpy(note->kind, coach_kind_names[kind], sizeof(note->kind));
	note->suggestion = r->suggestion;
	note->suggestion_len = r->suggestion_len;
	note->by_rule = by_rule;
}

/* Whether toks[i] turns a sentence around: "but", "however", "though",
 * "although" start a new clause ("anything but" does not). */
static bool is_turn(const struct tok *toks, int i)
{
	static const char *const TURN[] = { "but", "however", "though", "although", NULL };
	static const char *const EXCEPT[] = { "anything", "nothing", "all", "everything", "everyone", "nobody", NULL };
	if (!is_one_of(toks[i].w, toks[i].len, TURN))
		return false;
	return !i || toks[i].pause || !is_one_of(toks[i - 1].w, toks[i - 1].len, EXCEPT);
}

/* Marks in quiet[0..k) the words of the sentence that a frame rule holds
 * ("I am not saying …", "I am sorry I called you …", "that is no
 * excuse"): back to the turn before the frame (or the start), and on to
 * the next comma or turn (or the end): what a frame takes back came
 * before it, what it sets aside follows it in the same clause. Returns
 * whether any word is held. */
static bool framed(const struct ruleset *rs, const struct hit *hits, int nh, const struct tok *toks, int k,
		   bool *quiet)
{
	bool any = false;
	memset(quiet, 0, (size_t)k * sizeof(*quiet));
	for (int x = 0; x < nh; x++) {
		if (!rs->rules[hits[x].rule].frame)
			continue;
		int a = hits[x].start, b = hits[x].end;
		/* "…, but that is no excuse": a frame just after a turn takes back what came before it */
		if (a > 0 && is_turn(toks, a - 1))
			a--;
		while (a > 0 && !is_turn(toks, a - 1))
			a--;
		while (b < k && !is_turn(toks, b) && !toks[b].pause)
			b++;
		for (int i = a; i < b; i++)
			quiet[i] = true;
		any = true;
	}
	return any;
}

/* Whether the words a rule matched from toks[i] on are denied by the
 * sentence: "not" or "never" just before them, past a few small words
 * ("you are not overreacting", "you are not being so dramatic", "it was
 * not just a few texts"). An order ("do not be so dramatic") denies
 * nothing: "do not" at the start of a clause is not a denial. */
static bool negated(const struct tok *toks, int i)
{
	static const char *const SMALL[] = { "being", "been", "so",  "too",	"really", "that", "even",
					     "at",    "all",  "a",   "acting", "just",	 "ever", NULL };
	static const char *const NOT[] = { "not", "never", NULL };
	int j = i - 1;
	while (j >= 0 && !toks[j + 1].pause && is_one_of(toks[j].w, toks[j].len, SMALL))
		j--;
	if (j < 0 || toks[j + 1].pause || !is_one_of(toks[j].w, toks[j].len, NOT))
		return false;
	bool order = j >= 1 && toks[j - 1].len == 2 && !memcmp(toks[j - 1].w, "do", 2) &&
		     (j == 1 || toks[j - 1].pause || is_turn(toks, j - 2));
	return !order;
}

/* The harm of the clause toks[a..b) by the model, and the least harm the
 * softer rules ask for there (more when the clause holds a sign of
 * kindness). */
static void clause_harm(const struct ruleset *rs, const struct coach_model *m, const struct hit *hits, int nh,
			const struct tok *toks, int a, int b, double *harm, double *weak_min)
{
	struct hit sub[HIT_MAX];
	int ns = 0;
	*weak_min = WEAK_MIN;
	for (int x = 0; x < nh; x++)
		if (hits[x].start >= a && hits[x].start < b) {
			sub[ns++] = hits[x];
			if (!rs->rules[hits[x].rule].kind)
				*weak_min = WEAK_KIND;
		}
	*harm = harm_of(m, rs, sub, ns, toks + a, b - a);
}

static int check(const struct ruleset *rs, const struct coach_model *m, const char *text, size_t n,
		 struct coach_note *notes, int max)
{
	int count = 0;
	size_t pos = 0, done = 0; /* done: the byte where the last note ended */
	struct tok toks[SENT_TOKS];
	while (pos < n && count < max) {
		int k = next_sentence(text, n, &pos, toks, SENT_TOKS, false);
		if (!k)
			continue;
		struct hit hits[HIT_MAX];
		int nh = find_hits(rs, toks, k, hits);
		bool quiet[SENT_TOKS];
		bool held = framed(rs, hits, nh, toks, k, quiet);
		/* the softer rules are weighed on the whole sentence, except after
		 * a turn: a kind start ("I love you, but …") says nothing of
		 * what follows it, weighed on its own up to the next turn */
		double harm = 1, weak_min = WEAK_MIN, c_harm = 1, c_min = WEAK_MIN;
		if (m)
			clause_harm(rs, m, hits, nh, toks, 0, k, &harm, &weak_min);
		int c_at = -1;
		int before = count, next = 0;
		bool denied = false; /* a rule's words were said with "not": no note for the whole sentence either */
		for (int x = 0; x < nh && count < max; x++) {
			const struct hit *h = &hits[x];
			const struct rule *ru = &rs->rules[h->rule];
			if (ru->kind && negated(toks, h->start)) {
				denied = true;
				continue;
			}
			if (h->start < next || toks[h->start].b0 < done || !ru->kind || quiet[h->start])
				continue;
			if (ru->weak && m) {
				int a = h->start, b = h->start;
				while (a > 0 && !is_turn(toks, a - 1))
					a--;
				while (b < k && !is_turn(toks, b))
					b++;
				if (!a)
					c_harm = harm, c_min = weak_min; /* before a turn: the whole sentence */
				else if (a != c_at)
					clause_harm(rs, m, hits, nh, toks, a, b, &c_harm, &c_min);
				c_at = a;
				if (c_harm < c_min)
					continue;
			}
			note_set(&notes[count++], text, toks[h->start].b0, toks[h->end - 1].b1, ru->kind, ru, 1);
			done = toks[h->end - 1].b1;
			next = h->end;
		}
		if (count > before || !m || harm < SOLO_MIN || toks[0].b0 < done || held || denied)
			continue;
		if (nb_harm_of(m, rs, hits, nh, toks, k) < SOLO_NB_MIN)
			continue;
		int kind = kind_of(m, rs, hits, nh, toks, k);
		for (unsigned r = 0; r < rs->nrules; r++)
			if (rs->rules[r].fallback && rs->rules[r].kind == kind) {
				note_set(&notes[count++], text, toks[0].b0, toks[k - 1].b1, kind, &rs->rules[r], 0);
				done = toks[k - 1].b1;
				break;
			}
	}
	return count;
}

int coach_check(const char *rules, size_t rules_len, const struct coach_model *m, const char *text, size_t n,
		struct coach_note *notes, int max)
{
	struct ruleset rs;
	if (!rules || !text || max <= 0 || !ruleset_compile(&rs, rules, rules_len))
		return 0;
	int count = check(&rs, m, text, n, notes, max);
	ruleset_free(&rs);
	return count;
}

static struct coach_model builtin_model;
static struct ruleset builtin_rules;
static bool builtin_ok;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static void builtin_init(void)
{
	const struct asset *r = asset_find(COACH_RULES_FILE), *c = asset_find(COACH_TRAIN_FILE);
	if (!r || !ruleset_compile(&builtin_rules, (const char *)r->data, r->len))
		return;
	train(&builtin_model, &builtin_rules, c ? (const char *)c->data : NULL, c ? c->len : 0);
	builtin_ok = true;
}

int coach_check_builtin(const char *text, size_t n, struct coach_note *notes, int max)
{
	pthread_once(&builtin_once, builtin_init);
	if (!builtin_ok || !text || max <= 0)
		return 0;
	return check(&builtin_rules, &builtin_model, text, n, notes, max);
}
