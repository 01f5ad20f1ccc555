/* coach.h: the language coach. Points out, in a text someone is about to
 * share, phrases that shift blame, excuse, accuse, minimise, compare or
 * demand, each with a gentler way to say it ("I feel … when … I need …").
 * Local and deterministic, in two parts that work together:
 *
 *   - rules (content/coach.txt, format described there): patterns over the
 *     words of a sentence ("if you had … ", "you always/never", "just a few"),
 *     matched after light normalisation (case, ’ and ', contractions such
 *     as you're = you are, punctuation); words said with "not" are denied
 *     rather than flagged ("you are not overreacting"), and "frame" rules
 *     ("I am not saying", "that is no excuse") quiet the clause they hold;
 *   - a small classifier (logistic regression for whether a sentence is
 *     harmful, multinomial naive Bayes for its kind, both over word
 *     unigrams and bigrams and the rules that match) trained, once, from a
 *     labelled corpus written for troth (content/coach-corpus/train.txt).
 *     It decides whether the softer rules apply (on the whole sentence, or
 *     on the clause after a "but") and, with naive Bayes agreeing, catches
 *     harmful sentences no rule describes.
 *
 * It never blocks anything: it only returns notes. No I/O. */
#ifndef TROTH_COACH_H
#define TROTH_COACH_H

#include <stddef.h>
#include <stdint.h>

#define COACH_MAX_NOTES 32
#define COACH_RULES_FILE "content/coach.txt"
#define COACH_TRAIN_FILE "content/coach-corpus/train.txt"

/* The kinds of note, in this order; "ok" is the classifier's label for a
 * kind sentence and never a note's kind. */
#define COACH_KINDS 7
extern const char coach_kind_names[COACH_KINDS][16];

struct coach_note {
	size_t start, end;        /* code points: [start, end) of the text */
	char kind[16];            /* blame_shift | excuse | accusation | minimising | comparison | demand */
	const char *suggestion;   /* points into the rules text, not NUL-terminated */
	size_t suggestion_len;
	int by_rule;              /* 1: a rule matched these words; 0: the classifier read the sentence */
};

/* The classifier: word counts per label in hashed buckets (naive Bayes,
 * for the kind of harm) and weights (logistic regression, for whether a
 * sentence is harmful at all). Big (about half
 * a megabyte): keep it static or on the heap, not on a stack. */
#define COACH_NB_BITS 15
struct coach_model {
	uint16_t count[COACH_KINDS][1u << COACH_NB_BITS];
	uint32_t total[COACH_KINDS], docs[COACH_KINDS], vocab;
	float weight[1u << COACH_NB_BITS], bias; /* harm against kindness: logistic regression */
};

/* Trains m from a corpus: lines "label<TAB>sentence", label one of
 * coach_kind_names ("ok" for a kind sentence); "#" lines, blank lines and
 * lines with an unknown label are skipped. Which rules match a sentence is
 * one of its features: pass the rules (rules_len bytes, may be NULL) the
 * model will be used with. Returns the number of sentences learnt. */
int coach_model_train(struct coach_model *m, const char *rules, size_t rules_len, const char *corpus, size_t len);

/* The probability, by the model (trained with these rules), that the
 * sentence `text` (n bytes) is harmful (any label but "ok"), and in *kind
 * (may be NULL) the index of the likeliest harmful label. 0 when the model
 * is empty. */
double coach_model_harm(const struct coach_model *m, const char *rules, size_t rules_len, const char *text, size_t n,
			int *kind);

/* Checks `text` (valid UTF-8, n bytes) against the rules (rules_len bytes
 * of content/coach.txt's format) and the model (NULL: rules alone, every
 * rule applies and nothing else is flagged; else trained with the same
 * rules). Writes up to max notes,
 * ordered by start and never overlapping (where rules overlap, the
 * earliest, then the first rule in the file, wins). Returns the number
 * written. */
int coach_check(const char *rules, size_t rules_len, const struct coach_model *m, const char *text, size_t n,
		struct coach_note *notes, int max);

/* The same with the rules and the corpus compiled into the binary (the
 * model is trained on the first call; thread-safe). */
int coach_check_builtin(const char *text, size_t n, struct coach_note *notes, int max);

#endif
