/* fuzz_router.c: libFuzzer target for the router's path matcher
 * (route_path_match) and lookup (route_find) in src/http/router.c.
 * The first byte picks the method; the rest, cut at its first NUL, is the
 * (already decoded) request path. It is matched against a small table with
 * :params and against the product's own table, troth_routes.
 *
 * Beyond "no crash", it checks against a brute-force walk of the table:
 *  - matching with params implies matching without (only decoding a param
 *    can fail), and a failed match leaves the param list as it was;
 *  - a successful match adds one param per :name segment, named after it,
 *    each a non-empty, valid UTF-8 text value;
 *  - route_find answers FOUND with the first route whose path and method
 *    (HEAD as GET) match, 405 with a non-empty Allow when only the path
 *    matches, 404 when no path does. */
#include <string.h>

#include "http/router.h"
#include "base/utf8.h"
#include "fuzz.h"

static void never_called(struct req *r)
{
	(void)r;
	abort();
}

static const struct route small_table[] = {
	{ "GET", "/", never_called, 0 },
	{ "GET", "/a", never_called, 0 },
	{ "GET", "/a/:id", never_called, 0 },
	{ "PUT", "/a/:id", never_called, R_JSON },
	{ "GET", "/a/:id/b/:sub", never_called, 0 },
	{ "DELETE", "/a/:id/b/:sub", never_called, 0 },
	{ "POST", "/api/v1/checkins", never_called, R_JSON },
	{ "PUT", "/api/v1/checkins/:week", never_called, R_JSON },
	{ "GET", "/static/:name", never_called, 0 },
	{ "PATCH", "/x/:a/:b/:c", never_called, 0 },
	{ "GET", "/x/:a/:b/:c", never_called, 0 },
	{ "GET", "/:any", never_called, 0 },
	{ "OPTIONS", "/a/", never_called, 0 },
};

static const char *const methods[] = {
	"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW",
};

/* Number of :param segments in a pattern. */
static size_t param_count(const char *pattern)
{
	size_t n = 0;
	for (const char *p = pattern; *p; p++)
		if (p[0] == '/' && p[1] == ':')
			n++;
	return n;
}

/* Checks the params a successful match added from index `from` on. */
static void check_params(const char *pattern, const struct kvlist *params, size_t from)
{
	CHECK(params->n - from == param_count(pattern));
	const char *p = pattern;
	for (size_t i = from; i < params->n; i++) {
		p = strstr(p, "/:");
		CHECK(p != NULL);
		p += 2;
		size_t len = strcspn(p, "/");
		const char *k = params->v[i].key, *v = params->v[i].val;
		CHECK(strlen(k) == len && !memcmp(k, p, len));
		CHECK(*v != '\0');
		CHECK(utf8_valid_text(v, strlen(v)));
	}
}

static void check_table(const struct route *table, size_t n, const char *method,
			const char *path)
{
	struct arena a = ARENA_INIT;
	struct kvlist params = { 0 };
	const char *want = !strcmp(method, "HEAD") ? "GET" : method;
	size_t first_found = n;
	int any_path = 0;

	kv_add(&a, &params, "sentinel", "x");
	for (size_t i = 0; i < n; i++) {
		int bare = route_path_match(table[i].pattern, path, &a, NULL);
		size_t before = params.n;
		int full = route_path_match(table[i].pattern, path, &a, &params);
		CHECK(bare == 0 || bare == 1);
		CHECK(full == 0 || full == 1);
		CHECK(!full || bare);
		if (full) {
			check_params(table[i].pattern, &params, before);
			params.n = before;
		} else {
			CHECK(params.n == before);
		}
		if (bare) {
			any_path = 1;
			if (first_found == n && !strcmp(table[i].method, want))
				first_found = i;
		}
	}
	CHECK(params.n == 1 && !strcmp(params.v[0].key, "sentinel"));

	struct req r;
	struct buf allow = BUF_INIT;
	const struct route *out = NULL;
	req_init(&r, NULL, method, path);
	enum route_result res = route_find(table, n, &r, &out, &allow);
	if (first_found < n && !route_path_match(table[first_found].pattern, path, &a, &params)) {
		/* the route's parameters do not decode to clean text: no match */
		CHECK(res == ROUTE_NOT_FOUND);
		CHECK(out == NULL);
		CHECK(r.params.n == 0);
	} else if (first_found < n) {
		params.n = 1;
		CHECK(res == ROUTE_FOUND);
		CHECK(out == &table[first_found]);
		CHECK(r.route == out->pattern);
		/* every parameter of the route is there, decoded */
		CHECK(r.params.n == param_count(out->pattern));
		check_params(out->pattern, &r.params, 0);
	} else if (any_path) {
		CHECK(res == ROUTE_BAD_METHOD);
		CHECK(out == NULL);
		CHECK(allow.len > 0);
		CHECK(strstr(allow.s, want) == NULL);
	} else {
		CHECK(res == ROUTE_NOT_FOUND);
		CHECK(out == NULL);
	}
	buf_release(&allow);
	req_release(&r);
	arena_release(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	const char *method = methods[data[0] % (sizeof(methods) / sizeof(methods[0]))];
	char *path = malloc(size);
	if (!path)
		abort();
	memcpy(path, data + 1, size - 1);
	path[size - 1] = '\0';

	check_table(small_table, sizeof(small_table) / sizeof(small_table[0]), method, path);
	check_table(troth_routes, troth_routes_len, method, path);

	free(path);
	return 0;
}
