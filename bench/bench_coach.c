/* bench_coach.c: the language coach measured. Reads the rules
 * (content/coach.txt) and the corpus splits (content/coach-corpus/) from
 * the repository, trains the classifier on the training split, and prints
 *
 *   heldout harmful=N/M kind=N/M    sentences of the held-out split flagged
 *   speed chars=4000 per_call_ms=X median_ms=M best_ms=Y notes=K
 *
 * With --cv it prints instead the figures of a four-fold cross-validation
 * inside the training split (for choosing thresholds and rules without
 * looking at the held-out split); with --list also each sentence it gets
 * wrong there. Run from the repository's top directory. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/assets.h"
#include "insight/coach.h"

/* coach.c's built-in path is not used here: no assets are compiled in. */
const struct asset *asset_find(const char *name)
{
	(void)name;
	return NULL;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "bench_coach: cannot read %s\n", path);
		exit(1);
	}
	size_t cap = 1 << 16, n = 0;
	char *s = malloc(cap + 1);
	size_t k;
	while (s && (k = fread(s + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n == cap)
			s = realloc(s, (cap *= 2) + 1);
	}
	fclose(f);
	if (!s)
		exit(1);
	s[n] = 0;
	*len = n;
	return s;
}

struct tally {
	int harm, harm_flagged, kind, kind_flagged;
};

/* Checks each labelled line of corpus (those whose number modulo folds is
 * fold, or all when folds is 0). */
static void evaluate(const char *rules, size_t rules_len, const struct coach_model *m, char *corpus, int folds, int fold,
		     bool list, struct tally *t)
{
	int line_no = 0;
	for (char *s = corpus; s && *s;) {
		char *nl = strchr(s, '\n');
		if (nl)
			*nl = 0;
		char *tab = strchr(s, '\t');
		if (tab && s[0] != '#') {
			if (!folds || line_no % folds == fold) {
				struct coach_note notes[COACH_MAX_NOTES];
				const char *text = tab + 1;
				int n = coach_check(rules, rules_len, m, text, strlen(text), notes, COACH_MAX_NOTES);
				bool harm = strncmp(s, "ok\t", 3) != 0;
				if (harm) {
					t->harm++;
					t->harm_flagged += n > 0;
				} else {
					t->kind++;
					t->kind_flagged += n > 0;
				}
				if (list && harm != (n > 0))
					printf("%s %-11.*s %s%s%s%s\n", harm ? "MISSED " : "FLAGGED", (int)(tab - s), s, text,
					       n ? " => " : "", n ? notes[0].kind : "", n && !notes[0].by_rule ? " (classifier)" : "");
			}
			line_no++;
		}
		if (nl)
			*nl = '\n';
		s = nl ? nl + 1 : NULL;
	}
}

/* The lines of corpus not in fold (of folds), for training. */
static char *without_fold(const char *corpus, int folds, int fold, size_t *len)
{
	size_t n = strlen(corpus);
	char *out = malloc(n + 1);
	size_t o = 0;
	int line_no = 0;
	for (const char *s = corpus; *s;) {
		const char *nl = strchr(s, '\n');
		size_t l = nl ? (size_t)(nl - s) + 1 : strlen(s);
		bool labelled = memchr(s, '\t', l) && s[0] != '#';
		if (!labelled || line_no % folds != fold) {
			memcpy(out + o, s, l);
			o += l;
		}
		line_no += labelled;
		s += l;
	}
	out[o] = 0;
	*len = o;
	return out;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	bool cv = false, list = false;
	const char *eval_path = "content/coach-corpus/test.txt";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--eval") && i + 1 < argc)
			eval_path = argv[++i];
		else if (!strcmp(argv[i], "--cv"))
			cv = true;
		else if (!strcmp(argv[i], "--list"))
			list = true;
	}
	size_t rules_len, train_len, test_len;
	char *rules = slurp("content/coach.txt", &rules_len);
	char *train = slurp("content/coach-corpus/train.txt", &train_len);
	struct coach_model *m = malloc(sizeof(*m));
	if (!m)
		return 1;
	if (cv) {
		struct tally t = { 0 };
		for (int f = 0; f < 4; f++) {
			size_t l;
			char *part = without_fold(train, 4, f, &l);
			coach_model_train(m, rules, rules_len, part, l);
			evaluate(rules, rules_len, m, train, 4, f, list, &t);
			free(part);
		}
		printf("cv harmful=%d/%d kind=%d/%d\n", t.harm_flagged, t.harm, t.kind_flagged, t.kind);
		free(m);
		free(rules);
		free(train);
		return 0;
	}
	char *test = slurp(eval_path, &test_len);
	coach_model_train(m, rules, rules_len, train, train_len);
	struct tally t = { 0 };
	evaluate(rules, rules_len, m, test, 0, 0, list, &t);
	printf("heldout harmful=%d/%d kind=%d/%d\n", t.harm_flagged, t.harm, t.kind_flagged, t.kind);

	/* speed: a 4,000-character text of held-out sentences, kind and not */
	char text[4001];
	size_t n = 0;
	for (const char *s = test; n < 4000;) {
		const char *tab = strchr(s, '\t');
		if (!tab) {
			s = test;
			continue;
		}
		const char *nl = strchr(tab, '\n');
		size_t l = nl ? (size_t)(nl - tab - 1) : strlen(tab + 1);
		for (size_t i = 0; i < l && n < 4000; i++)
			text[n++] = tab[1 + i];
		if (n < 4000)
			text[n++] = ' ';
		s = nl ? nl + 1 : test;
	}
	/* cut at a character boundary */
	while (n && ((unsigned char)text[n - 1] & 0xC0) == 0x80)
		n--;
	if (n && (unsigned char)text[n - 1] >= 0xC0)
		n--;
	text[n] = 0;
	enum { RUNS = 2000 };
	static double took[RUNS];
	int notes_n = 0;
	double t0 = now_ms();
	for (int i = 0; i < RUNS; i++) {
		struct coach_note notes[COACH_MAX_NOTES];
		double a = now_ms();
		notes_n = coach_check(rules, rules_len, m, text, n, notes, COACH_MAX_NOTES);
		took[i] = now_ms() - a;
	}
	double per = (now_ms() - t0) / RUNS;
	qsort(took, RUNS, sizeof(took[0]), by_value);
	printf("speed chars=%zu per_call_ms=%.4f median_ms=%.4f best_ms=%.4f notes=%d\n", n, per, took[RUNS / 2], took[0],
	       notes_n);
	free(m);
	free(rules);
	free(train);
	free(test);
	return 0;
}
