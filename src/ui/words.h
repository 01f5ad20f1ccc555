/* words.h: the few ways troth writes a day, a week and a count for people,
 * so every page says them alike. Each returns a string in the arena. */
#ifndef TROTH_WORDS_H
#define TROTH_WORDS_H

#include "../base/arena.h"
#include "../base/caltime.h"

/* "Monday 3 March 2026" for a day (days since 1970-01-01). */
const char *words_day(struct arena *a, long day);
/* "Monday 3 March": a day near today, where the year goes without saying. */
const char *words_day_short(struct arena *a, long day);
/* "3 March": a day that comes back every year. */
const char *words_day_month(struct arena *a, long day);
/* words_day of an ISO date "YYYY-MM-DD"; the text itself when it is not
 * one. */
const char *words_iso_day(struct arena *a, const char *iso);
/* "23–29 November" (or "30 November – 6 December") for an ISO week. */
const char *words_week(struct arena *a, const struct isoweek *w);
/* "1 week", "3 weeks": n and the singular or the plural. */
const char *words_count(struct arena *a, long n, const char *one, const char *many);

/* The label of key in pairs, a table of key and label strings ended by
 * NULL; NULL when key is NULL or not in the table. */
const char *words_label(const char *const *pairs, const char *key);

#endif
