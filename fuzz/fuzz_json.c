/* fuzz_json.c: libFuzzer target for the JSON body reader req_json_body
 * (src/http/req.c): the input is the body of a POST to an /api/ path sent
 * as application/json.
 *
 * Beyond "no crash, no leak", it checks:
 *  - a body over REQ_BODY_MAX is refused with 413, never parsed;
 *  - an accepted body is a JSON object, kept in r->json, status untouched;
 *    every key and string in it is valid UTF-8 without NUL; dumping and
 *    re-reading it (duplicates refused) gives an equal value;
 *  - a refused body gets 400/413 and an error body
 *    {"error":{"code":"...","message":"..."}} that is itself valid JSON. */
#include <string.h>

#include "http/req.h"
#include "base/utf8.h"
#include "fuzz.h"

static void check_strings(json_t *j, int depth)
{
	CHECK(depth < 4096);
	if (json_is_string(j)) {
		const char *s = json_string_value(j);
		size_t n = json_string_length(j);
		CHECK(strlen(s) == n);
		CHECK(utf8_valid(s, n));
	} else if (json_is_object(j)) {
		const char *k;
		json_t *v;
		json_object_foreach(j, k, v) {
			CHECK(utf8_valid(k, strlen(k)));
			check_strings(v, depth + 1);
		}
	} else if (json_is_array(j)) {
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v)
			check_strings(v, depth + 1);
	}
}

static void check_error_body(struct req *r)
{
	CHECK(r->status == 400 || r->status == 413);
	json_error_t jerr;
	json_t *e = json_loadb(r->out.s, r->out.len, JSON_REJECT_DUPLICATES, &jerr);
	CHECK(e != NULL);
	json_t *err = json_object_get(e, "error");
	CHECK(json_is_object(err));
	CHECK(json_is_string(json_object_get(err, "code")));
	CHECK(json_is_string(json_object_get(err, "message")));
	CHECK(r->content_type && !strncmp(r->content_type, "application/json", 16));
	json_decref(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req r;
	req_init(&r, NULL, "POST", "/api/v1/fuzz");
	kv_add(&r.arena, &r.headers, "Content-Type", "application/json; charset=utf-8");
	r.body = (const char *)data;
	r.body_len = size;

	json_t *j = req_json_body(&r);
	if (size > REQ_BODY_MAX)
		CHECK(!j && r.status == 413);
	if (j) {
		CHECK(json_is_object(j));
		CHECK(r.json == j);
		CHECK(r.status == 200);
		CHECK(req_json_body(&r) == j); /* a second call returns the same */
		check_strings(j, 0);
		char *dump = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
		CHECK(dump != NULL);
		json_error_t jerr;
		json_t *again = json_loads(dump, JSON_REJECT_DUPLICATES, &jerr);
		CHECK(again != NULL);
		CHECK(json_equal(j, again));
		json_decref(again);
		free(dump);
	} else {
		CHECK(r.json == NULL);
		check_error_body(&r);
	}
	req_release(&r);
	return 0;
}
