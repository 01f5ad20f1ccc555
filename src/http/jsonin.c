/* jsonin.c: see jsonin.h. */
#include "jsonin.h"

#include <string.h>

#include "../base/caltime.h"
#include "../base/utf8.h"

/* The key a getter reads: the last part of its dotted name. */
static const char *key_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot ? dot + 1 : name;
}

int jin_only(struct req *r, json_t *o, const char *const *allowed)
{
	return jin_only_in(r, o, NULL, allowed);
}

int jin_only_in(struct req *r, json_t *o, const char *path, const char *const *allowed)
{
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		size_t i;
		(void)v;
		for (i = 0; allowed[i]; i++)
			if (!strcmp(allowed[i], key))
				break;
		if (!allowed[i]) {
			const char *k = utf8_valid_text(key, strlen(key)) && strlen(key) < 64 ? key : "?";
			const char *field = path ? arena_printf(&r->arena, "%s.%s", path, k) : k;
			req_error(r, 400, "unknown_field",
				  arena_printf(&r->arena, "We do not know the field \"%s\".", field), field);
			return -1;
		}
	}
	return 0;
}

static int missing(struct req *r, const char *name)
{
	req_error(r, 400, "missing_field", arena_printf(&r->arena, "Please include %s.", name), name);
	return -1;
}

static int invalid(struct req *r, const char *name, const char *what)
{
	req_error(r, 400, "invalid_field", arena_printf(&r->arena, "%s %s.", name, what), name);
	return -1;
}

int jin_str(struct req *r, json_t *o, const char *name, bool required, size_t max_chars,
	    const char **out)
{
	json_t *v = json_object_get(o, key_of(name));
	*out = NULL;
	if (!v || json_is_null(v))
		return required ? missing(r, name) : 0;
	if (!json_is_string(v))
		return invalid(r, name, "must be text");
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (required && n == 0)
		return missing(r, name);
	if (strlen(s) != n || !utf8_valid_text(s, n))
		return invalid(r, name, "has characters we cannot store");
	if (utf8_count(s, n) > max_chars) {
		req_error(r, 400, "too_long",
			  arena_printf(&r->arena, "%s can be at most %zu characters.", name, max_chars), name);
		return -1;
	}
	*out = s;
	return 1;
}

int jin_int(struct req *r, json_t *o, const char *name, bool required, long long min,
	    long long max, long long *out)
{
	json_t *v = json_object_get(o, key_of(name));
	if (!v || json_is_null(v))
		return required ? missing(r, name) : 0;
	if (!json_is_integer(v))
		return invalid(r, name, "must be a whole number");
	long long n = (long long)json_integer_value(v);
	if (n < min || n > max)
		return invalid(r, name, arena_printf(&r->arena, "must be from %lld to %lld", min, max));
	*out = n;
	return 1;
}

int jin_bool(struct req *r, json_t *o, const char *name, bool required, bool *out)
{
	json_t *v = json_object_get(o, key_of(name));
	if (!v || json_is_null(v))
		return required ? missing(r, name) : 0;
	if (!json_is_boolean(v))
		return invalid(r, name, "must be true or false");
	*out = json_is_true(v);
	return 1;
}

int jin_day(struct req *r, json_t *o, const char *name, bool required, long latest, long *out)
{
	const char *s;
	long day;
	int got = jin_str(r, o, name, required, 64, &s);
	if (got <= 0)
		return got;
	if (date_parse(s, &day) < 0)
		return invalid(r, name, "must be a day written YYYY-MM-DD");
	if (day > latest) {
		req_error(r, 400, "invalid_field", "That day has not come yet.", name);
		return -1;
	}
	*out = day;
	return 1;
}
