/* input.c: see input.h. */
#include "input.h"

#include <string.h>

#include "../base/caltime.h"
#include "../base/utf8.h"

int input_fail(struct input_err *e, int status, const char *code, const char *field,
	       const char *msg)
{
	e->status = status;
	e->code = code;
	e->field = field;
	e->msg = msg;
	return -1;
}

void input_answer(struct req *r, const struct input_err *e)
{
	req_error(r, e->status, e->code, e->msg, e->field);
}

int input_text(const char *s, const char *field, bool required, size_t max, const char **out,
	       struct input_err *e)
{
	*out = NULL;
	if (!s || !*s) {
		if (required)
			return input_fail(e, 400, "missing_field", field, "Please write a few words here.");
		return 0;
	}
	size_t n = strlen(s);
	if (!utf8_valid_text(s, n))
		return input_fail(e, 400, "invalid_field", field, "This has characters we cannot store.");
	if (utf8_count(s, n) > max)
		return input_fail(e, 400, "too_long", field, max > INPUT_TITLE_MAX
				  ? "That is longer than we can keep (4,000 characters). Please shorten it."
				  : "That is longer than we can keep. Please shorten it.");
	*out = s;
	return 0;
}

int input_day(const char *s, const char *field, long max_day, long *day, struct input_err *e)
{
	if (!s || !*s)
		return input_fail(e, 400, "missing_field", field, "Please give the date.");
	if (strlen(s) != 10 || date_parse(s, day) < 0)
		return input_fail(e, 400, "invalid_field", field,
				  "That date is not one we can read. Please use a day like 2026-03-01.");
	if (*day > max_day)
		return input_fail(e, 400, "invalid_field", field,
				  "That day has not come yet. Please pick today or earlier.");
	return 0;
}

int input_day_range(const struct req *r, long def_to, long span, long *from, long *to,
		    struct input_err *e)
{
	const char *qt = kv_get(&r->query, "to"), *qf = kv_get(&r->query, "from");
	*to = def_to;
	if (qt && input_day(qt, "to", INPUT_ANY_DAY, to, e) < 0)
		return -1;
	*from = *to - (span - 1);
	if (qf && input_day(qf, "from", INPUT_ANY_DAY, from, e) < 0)
		return -1;
	if (*from > *to)
		return input_fail(e, 400, "invalid_field", "from", "from must not be after to.");
	return 0;
}
