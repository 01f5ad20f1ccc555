/* words.c: see words.h. */
#include "words.h"

#include <string.h>

static const char *const MONTHS[] = { "January", "February", "March", "April", "May", "June",
				      "July", "August", "September", "October", "November", "December" };
static const char *const WEEKDAYS[] = { "Monday", "Tuesday", "Wednesday", "Thursday",
					"Friday", "Saturday", "Sunday" };

const char *words_day(struct arena *a, long day)
{
	struct civil c;
	civil_from_days(day, &c);
	return arena_printf(a, "%s %d %s %d", WEEKDAYS[weekday_of(day) - 1], c.d, MONTHS[c.m - 1], c.y);
}

const char *words_day_month(struct arena *a, long day)
{
	struct civil c;
	civil_from_days(day, &c);
	return arena_printf(a, "%d %s", c.d, MONTHS[c.m - 1]);
}

const char *words_day_short(struct arena *a, long day)
{
	struct civil c;
	civil_from_days(day, &c);
	return arena_printf(a, "%s %d %s", WEEKDAYS[weekday_of(day) - 1], c.d, MONTHS[c.m - 1]);
}

const char *words_iso_day(struct arena *a, const char *iso)
{
	long day;
	if (!iso || date_parse(iso, &day) < 0)
		return iso ? iso : "";
	return words_day(a, day);
}

const char *words_week(struct arena *a, const struct isoweek *w)
{
	struct civil x, y;
	long mon = isoweek_monday(w);
	civil_from_days(mon, &x);
	civil_from_days(mon + 6, &y);
	if (x.m == y.m)
		return arena_printf(a, "%d–%d %s", x.d, y.d, MONTHS[x.m - 1]);
	return arena_printf(a, "%d %s – %d %s", x.d, MONTHS[x.m - 1], y.d, MONTHS[y.m - 1]);
}

const char *words_count(struct arena *a, long n, const char *one, const char *many)
{
	return arena_printf(a, "%ld %s", n, n == 1 ? one : many);
}

const char *words_label(const char *const *pairs, const char *key)
{
	for (size_t i = 0; key && pairs[i]; i += 2)
		if (!strcmp(pairs[i], key))
			return pairs[i + 1];
	return NULL;
}
