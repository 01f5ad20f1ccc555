/* test_roadmap.c: the roadmap content file (the compiled-in one validates;
 * broken ones are refused with a line number; --content files load), each
 * partner's progress, "done together" for the partners a step concerns,
 * private notes, the pages as a browser without JavaScript, the home
 * section, and who may reach it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apiclient.h"
#include "browser.h"
#include "features/roadmap.h"
#include "http/assets.h"


/* ---- the content ---- */

static void compiled_in_roadmap_has_twenty_steps_in_seven_phases(void **state)
{
	(void)state;
	char err[256] = "";
	const struct asset *a = asset_find("content/roadmap.txt");
	assert_non_null(a);
	struct roadmap *rm = roadmap_parse((const char *)a->data, a->len, err, sizeof(err));
	if (!rm)
		fail_msg("content/roadmap.txt: %s", err);
	assert_int_equal(rm->nsteps, 20);
	assert_int_equal(rm->nphases, 7);
	const char *ids[] = { "crisis", "truth", "structure", "proof", "rebuilding", "healing", "beyond" };
	int counts[] = { 1, 2, 4, 5, 5, 3, 0 };
	for (int i = 0; i < 7; i++) {
		assert_string_equal(rm->phases[i].id, ids[i]);
		assert_int_equal(rm->phases[i].count, counts[i]);
	}
	for (int i = 0; i < 20; i++) {
		const struct roadmap_step *s = &rm->steps[i];
		assert_int_equal(s->number, i + 1);
		assert_true(s->nfeatures >= 1);
		assert_true(s->features[0].path[0] == '/');
	}
	assert_int_equal(rm->steps[2].concerns, RM_ACCOUNTABLE); /* no contact */
	assert_int_equal(rm->steps[10].concerns, RM_HURT);       /* processing without punishing */
	roadmap_free(rm);
}

static void broken_files_are_refused_with_the_line(void **state)
{
	(void)state;
	static const char good_step[] =
		"step: 1\ntitle: T\nconcerns: both\npurpose: P\nhurt: H\naccountable: A\ndone: D\n";
	struct { const char *text, *want; } cases[] = {
		{ "", "no phases" },
		{ "phase: a\ntitle: A\nsummary: S\n", "no steps" },
		{ "title: x\n", "line 1: 'title' before the first phase" },
		{ "phase: a\ntitle: A\nsummary: S\nstep: 2\n", "line 4: expected step 1" },
		{ "phase: a\ntitle: A\nsummary: S\nstep: 1\ntitle: T\n", "line 4: step 1 has no 'concerns'" },
		{ "phase: a\ntitle: A\nsummary: S\nstep: 1\ntitle: T\nconcerns: both\npurpose: P\nhurt: H\naccountable: A\n",
		  "line 4: step 1 has no 'done'" },
		{ "phase: a\ntitle: A\nsummary: S\nstep: 1\nconcerns: everyone\n", "line 5: 'concerns' is both, hurt or accountable" },
		{ "phase: a\ntitle: A\nsummary: S\nstep: 1\ncolour: red\n", "line 5: unknown key 'colour'" },
		{ "phase: a\ntitle: A\nsummary: S\nphase: a\n", "line 4: phase 'a' is there twice" },
		{ "phase: A B\n", "line 1: a phase id uses a-z, 0-9 and dashes" },
		{ "phase: a\ntitle: A\n", "no steps" },
		{ "phase: a\nsummary: S\nstep: 1\n", "line 1: phase 'a' has no 'title'" },
		{ "phase: a\ntitle: A\nsummary: S\nstep: 1\nfeature: javascript:alert(1) x\n", "line 5: 'feature' is a path" },
		{ "phase: a\ntitle: A\nsummary: S\nstep: 1\ntitle: T\ntitle: U\n", "line 6: 'title' given twice" },
		{ "phase: a\ntitle: A\nsummary: S\njust words\n", "line 4: expected 'key: value'" },
		{ "phase: a\ntitle: \xff\n", "not clean UTF-8" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char err[256] = "";
		struct roadmap *rm = roadmap_parse(cases[i].text, strlen(cases[i].text), err, sizeof(err));
		if (rm)
			fail_msg("case %zu parsed", i);
		if (!strstr(err, cases[i].want))
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err, cases[i].want);
	}
	/* the smallest good file */
	char text[512], err[256];
	snprintf(text, sizeof(text), "# a comment\n\nphase: only\ntitle: Only\nsummary: S\n%s", good_step);
	struct roadmap *rm = roadmap_parse(text, strlen(text), err, sizeof(err));
	assert_non_null(rm);
	assert_int_equal(rm->nsteps, 1);
	roadmap_free(rm);
}

static void a_content_file_replaces_the_roadmap_and_a_broken_one_does_not(void **state)
{
	(void)state;
	char path[] = "/tmp/troth-roadmap-XXXXXX", err[512];
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *text = "phase: one\ntitle: One\nsummary: S\n"
			   "step: 1\ntitle: First thing\nconcerns: both\npurpose: P\nhurt: H\naccountable: A\ndone: D\n"
			   "step: 2\ntitle: Second thing\nconcerns: hurt\npurpose: P\nhurt: H\naccountable: A\ndone: D\n";
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(roadmap_load_file(path, err, sizeof(err)), 0);
	json_t *j;
	assert_int_equal(api(&T, "GET", "/api/v1/roadmap", F.a, &j, NULL), 200);
	json_t *phases = json_object_get(j, "phases");
	assert_int_equal(json_array_size(phases), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(
		json_array_get(phases, 0), "steps"), 1), "title")), "Second thing");
	json_decref(j);
	assert_int_equal(api(&T, "PUT", "/api/v1/roadmap/steps/3", F.a, NULL, "{s:s}", "status", "done"), 404);

	/* a broken file: a clear error, the roadmap in use stays */
	FILE *f = fopen(path, "w");
	fputs("phase: one\ntitle: One\nsummary: S\nstep: 1\ntitle: T\n", f);
	fclose(f);
	assert_int_equal(roadmap_load_file(path, err, sizeof(err)), -1);
	assert_holds(err, path, "line 4: step 1 has no 'concerns'", NULL);
	assert_int_equal(roadmap_load_file("/nonexistent/roadmap.txt", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/roadmap.txt"));
	assert_int_equal(api_count(&T, "/api/v1/roadmap", F.a, "phases"), 1);
	unlink(path);
	roadmap_shutdown(); /* back to the compiled-in file */
	assert_int_equal(api_count(&T, "/api/v1/roadmap", F.a, "phases"), 7);
}

/* ---- progress ---- */

static json_t *step_of(json_t *roadmap, int number)
{
	json_t *phases = json_object_get(roadmap, "phases");
	for (size_t i = 0; i < json_array_size(phases); i++) {
		json_t *steps = json_object_get(json_array_get(phases, i), "steps");
		for (size_t k = 0; k < json_array_size(steps); k++) {
			json_t *s = json_array_get(steps, k);
			if (json_integer_value(json_object_get(s, "number")) == number)
				return s;
		}
	}
	fail_msg("no step %d", number);
	return NULL;
}

static const char *field_of(json_t *roadmap, int number, const char *field)
{
	return json_string_value(json_object_get(step_of(roadmap, number), field));
}

static bool done_together(const char *tok, int number)
{
	json_t *j;
	assert_int_equal(api(&T, "GET", "/api/v1/roadmap", tok, &j, NULL), 200);
	bool d = json_is_true(json_object_get(step_of(j, number), "couple_done"));
	json_decref(j);
	return d;
}

static void each_partner_marks_their_part_and_a_step_is_done_together(void **state)
{
	(void)state;
	json_t *j;
	assert_int_equal(api(&T, "GET", "/api/v1/roadmap", F.a, &j, NULL), 200);
	assert_string_equal(json_string_value(json_object_get(j, "current_phase")), "crisis");
	assert_int_equal(json_integer_value(json_object_get(j, "next_step")), 1);
	assert_string_equal(field_of(j, 1, "me"), "not_started");
	assert_string_equal(field_of(j, 1, "partner"), "not_started");
	assert_string_equal(field_of(j, 1, "title"), "Make room for the shock");
	assert_false(json_is_true(json_object_get(step_of(j, 1), "couple_done")));
	json_decref(j);

	/* step 1 concerns both: one partner is not enough */
	assert_int_equal(api(&T, "PUT", "/api/v1/roadmap/steps/1", F.a, &j, "{s:s}", "status", "done"), 200);
	json_decref(j);
	assert_false(done_together(F.a, 1));
	assert_int_equal(api(&T, "GET", "/api/v1/roadmap", F.b, &j, NULL), 200);
	assert_string_equal(field_of(j, 1, "me"), "not_started");
	assert_string_equal(field_of(j, 1, "partner"), "done");
	json_decref(j);
	assert_int_equal(api(&T, "PUT", "/api/v1/roadmap/steps/1", F.b, NULL, "{s:s}", "status", "in_progress"), 200);
	assert_false(done_together(F.b, 1));
	assert_int_equal(api(&T, "PUT", "/api/v1/roadmap/steps/1", F.b, NULL, "{s:s}", "status", "done"), 200);
	assert_true(done_together(F.a, 1));
	assert_true(done_together(F.b, 1));
	assert_int_equal(api(&T, "GET", "/api/v1/roadmap", F.a, &j, NULL), 200);
	assert_string_equal(json_string_value(json_object_get(j, "current_phase")), "truth");
	assert_int_equal(json_integer_value(json_object_get(j, "next_step")), 2);
	json_decref(j);

	/* step 3 (no contact) concerns the accountable partner only */
	assert_int_equal(api(&T, "PUT", "/api/v1/roadmap/steps/3", F.a, NULL, "{s:s}", "status", "done"), 200);
	assert_false(done_together(F.a, 3));
	assert_int_equal(api(&T, "PUT", "/api/v1/roadmap/steps/3", F.a, NULL, "{s:s}", "status", "not_started"), 200);
	assert_int_equal(api(&T, "PUT", "/api/v1/roadmap/steps/3", F.b, NULL, "{s:s}", "status", "done"), 200);
	assert_true(done_together(F.a, 3));
	/* step 11 concerns the hurt partner only */
	assert_int_equal(api(&T, "PUT", "/api/v1/roadmap/steps/11", F.a, NULL, "{s:s}", "status", "done"), 200);
	assert_true(done_together(F.b, 11));
	/* the accountable partner's next step skips what is not theirs */
	assert_int_equal(api(&T, "GET", "/api/v1/roadmap", F.b, &j, NULL), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "next_step")), 2);
	json_decref(j);

	/* going back is allowed: the step is no longer done together */
	assert_int_equal(api(&T, "PUT", "/api/v1/roadmap/steps/1", F.a, NULL, "{s:s}", "status", "in_progress"), 200);
	assert_false(done_together(F.b, 1));

	/* the other couple's road is their own */
	assert_int_equal(api(&T, "GET", "/api/v1/roadmap", F.d, &j, NULL), 200);
	assert_string_equal(field_of(j, 3, "me"), "not_started");
	assert_true(json_is_null(json_object_get(step_of(j, 3), "partner")));
	assert_false(json_is_true(json_object_get(step_of(j, 3), "couple_done")));
	json_decref(j);
}

static void a_note_is_private_to_its_author(void **state)
{
	(void)state;
	json_t *j;
	assert_int_equal(api(&T, "PUT", "/api/v1/roadmap/steps/2", F.a, NULL, "{s:s, s:s}", "status", "in_progress",
			     "note", "I still have questions about March"), 200);
	assert_int_equal(api(&T, "GET", "/api/v1/roadmap", F.a, &j, NULL), 200);
	assert_string_equal(field_of(j, 2, "note"), "I still have questions about March");
	json_decref(j);
	assert_int_equal(api(&T, "GET", "/api/v1/roadmap", F.b, &j, NULL), 200);
	assert_true(json_is_null(json_object_get(step_of(j, 2), "note")));
	assert_string_equal(field_of(j, 2, "partner"), "in_progress");
	char *dump = json_dumps(j, 0);
	assert_null(strstr(dump, "March"));
	free(dump);
	json_decref(j);
	/* a status alone keeps the note; an empty note clears it */
	assert_int_equal(api(&T, "PUT", "/api/v1/roadmap/steps/2", F.a, NULL, "{s:s}", "status", "done"), 200);
	assert_int_equal(api(&T, "GET", "/api/v1/roadmap", F.a, &j, NULL), 200);
	assert_string_equal(field_of(j, 2, "note"), "I still have questions about March");
	json_decref(j);
	assert_int_equal(api(&T, "PUT", "/api/v1/roadmap/steps/2", F.a, NULL, "{s:s, s:s}", "status", "done", "note", ""), 200);
	assert_int_equal(api(&T, "GET", "/api/v1/roadmap", F.a, &j, NULL), 200);
	assert_true(json_is_null(json_object_get(step_of(j, 2), "note")));
	json_decref(j);

	/* stored sealed: the words are not in the database file */
	assert_int_equal(api(&T, "PUT", "/api/v1/roadmap/steps/4", F.a, NULL, "{s:s, s:s}", "status", "done",
			     "note", "zebra-words-in-the-note"), 200);
	assert_int_equal(store_count("SELECT count(*) FROM roadmap_progress WHERE note_sealed IS NOT NULL"
					 " AND instr(note_sealed, CAST('zebra' AS BLOB)) = 0"), 1);
}

static void bad_input_is_refused_by_field(void **state)
{
	(void)state;
	json_t *j;
	api_error(api(&T, "PUT", "/api/v1/roadmap/steps/1", F.a, &j, "{s:s}", "status", "finished"), j, 400,
		  "invalid_field", "status");
	api_error(api(&T, "PUT", "/api/v1/roadmap/steps/1", F.a, &j, "{s:s, s:b}", "status", "done", "shared", 1), j,
		  400, "unknown_field", NULL);
	api_error(api(&T, "PUT", "/api/v1/roadmap/steps/1", F.a, &j, "{s:i}", "status", 2), j, 400, NULL, "status");
	api_error(api(&T, "PUT", "/api/v1/roadmap/steps/1", F.a, &j, "{}"), j, 400, NULL, "status");
	char *big = text_of_length('a', 4001);
	api_error(api(&T, "PUT", "/api/v1/roadmap/steps/1", F.a, &j, "{s:s, s:s}", "status", "done", "note", big), j,
		  400, "too_long", NULL);
	big[4000] = '\0';
	assert_int_equal(api(&T, "PUT", "/api/v1/roadmap/steps/1", F.a, NULL, "{s:s, s:s}", "status", "done", "note", big), 200);
	free(big);
	const char *bad[] = { "/api/v1/roadmap/steps/0", "/api/v1/roadmap/steps/21", "/api/v1/roadmap/steps/x",
			      "/api/v1/roadmap/steps/-1", "/api/v1/roadmap/steps/1e1", "/api/v1/roadmap/steps/99999999999999999999" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (api(&T, "PUT", bad[i], F.a, NULL, "{s:s}", "status", "done") != 404)
			fail_msg("PUT %s is not 404", bad[i]);
}

static void who_may_reach_the_roadmap(void **state)
{
	(void)state;
	const char *viewers[] = { NULL, F.a, F.b, F.d, F.op };
	const char *names[] = { "anonymous", "partner A", "partner B", "other couple", "operator" };
	struct { const char *method, *path; int want[5]; } cells[] = {
		{ "GET", "/api/v1/roadmap",         { 401, 200, 200, 200, 409 } },
		{ "PUT", "/api/v1/roadmap/steps/5", { 401, 200, 200, 200, 409 } },
	};
	for (size_t c = 0; c < sizeof(cells) / sizeof(*cells); c++)
		for (int v = 0; v < 5; v++) {
			int st = !strcmp(cells[c].method, "PUT")
				 ? api(&T, "PUT", cells[c].path, viewers[v], NULL, "{s:s}", "status", "in_progress")
				 : api(&T, cells[c].method, cells[c].path, viewers[v], NULL, NULL);
			if (st != cells[c].want[v])
				fail_msg("%s %s as %s: got %d, want %d", cells[c].method, cells[c].path, names[v], st,
					 cells[c].want[v]);
		}
}

/* ---- pages ---- */

static void the_pages_work_without_javascript(void **state)
{
	(void)state;
	struct browser a, b;
	char loc[256];
	b_login(&T, &a, "ana");
	b_login(&T, &b, "ben");
	b_page_has(&T, &a, "/", 200, "Your next step: <a href=\"/roadmap/steps/1\">Make room for the shock</a>", NULL);
	b_page_has(&T, &a, "/roadmap", 200, "The first shock (where you are now)", "href=\"/roadmap/steps/20\"", NULL);
	b_page_has(&T, &a, "/roadmap/steps/1", 200, "<legend>Where are you with this step?</legend>",
		   "<label for=\"f-note\">", NULL);

	/* no choice: the form again, calm, with the note kept */
	b_post_has(&T, &a, "/roadmap/steps/1", "note=%3Cb%3Ekept%3C%2Fb%3E", 400,
		   "Please choose where you are with this step.", "&lt;b&gt;kept&lt;/b&gt;</textarea>", NULL);
	/* without the CSRF token: refused */
	struct req r;
	b_do(&T, &a, &r, "POST", "/roadmap/steps/1", "status=done");
	assert_int_equal(r.status, 403);
	req_release(&r);

	assert_int_equal(b_post(&T, &a, "/roadmap/steps/1", "status=done&note=mine+only", NULL, loc), 303);
	assert_string_equal(loc, "/roadmap/steps/1?saved=1");
	b_page_has(&T, &a, loc, 200, "Saved.", "value=\"done\" checked", ">mine only</textarea>", NULL);
	b_page_lacks(&T, &b, "/roadmap/steps/1", "mine only");
	assert_int_equal(b_post(&T, &b, "/roadmap/steps/1", "status=done&note=", NULL, loc), 303);
	b_page_has(&T, &b, "/roadmap", 200, "Done together.", "The whole truth (where you are now)", NULL);
	b_page_has(&T, &a, "/", 200, "Your next step: <a href=\"/roadmap/steps/2\">", NULL);
	free(b_get(&T, &a, "/roadmap/steps/21", 404));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(compiled_in_roadmap_has_twenty_steps_in_seven_phases),
		cmocka_unit_test(broken_files_are_refused_with_the_line),
		cmocka_unit_test_setup_teardown(a_content_file_replaces_the_roadmap_and_a_broken_one_does_not, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(each_partner_marks_their_part_and_a_step_is_done_together, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(a_note_is_private_to_its_author, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(bad_input_is_refused_by_field, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(who_may_reach_the_roadmap, couple_setup, couple_teardown),
		cmocka_unit_test_setup_teardown(the_pages_work_without_javascript, couple_setup, couple_teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	roadmap_shutdown();
	return rc;
}
