/* consent.c: what every proposal that needs the other partner's yes
 * shows (see consent.h). */
#include "consent.h"

#include <stdbool.h>
#include <string.h>

#include "../auth/auth.h"
#include "../http/input.h"
#include "../http/jsonin.h"
#include "forms.h"
#include "html.h"
#include "words.h"

static long long num(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* Whether a version's who or when (an id, an instant) is there. */
static bool is_set(json_t *o, const char *key)
{
	json_t *x = json_object_get(o, key);
	return json_is_integer(x) || json_is_string(x);
}

long long consent_mark_status(json_t *versions)
{
	long long in_force = 0, latest = 0;
	size_t i;
	json_t *ver;
	json_array_foreach(versions, i, ver) {
		if (is_set(ver, "accepted_by") || is_set(ver, "accepted_at"))
			in_force = num(ver, "version");
		latest = num(ver, "version");
	}
	json_array_foreach(versions, i, ver) {
		long long v = num(ver, "version");
		const char *status = is_set(ver, "accepted_at") ? (v == in_force ? "in_force" : "superseded")
				   : is_set(ver, "declined_at") ? "declined"
				   : v == latest && v > in_force ? "proposed" : "replaced";
		json_object_set_new(ver, "status", json_string(status));
	}
	return in_force;
}

json_t *consent_proposal(json_t *versions)
{
	size_t i;
	json_t *ver;
	json_array_foreach(versions, i, ver)
		if (!strcmp(json_string_value(json_object_get(ver, "status")), "proposed"))
			return ver;
	return NULL;
}

/* "you" or the partner's name, for a user id. */
static const char *who(struct req *r, long long id)
{
	return id == r->me->user_id ? "you" : viewer_partner_word(r, false);
}

static const char *when(struct req *r, json_t *ver, const char *key)
{
	return words_day(&r->arena, viewer_day_of(r, json_instant_value(json_object_get(ver, key))));
}

void consent_version_line(struct req *r, json_t *ver)
{
	html(&r->out, "<p class=\"hint\">Version %lld, proposed by %s on %s", num(ver, "version"),
	     who(r, num(ver, "proposed_by")), when(r, ver, "proposed_at"));
	if (is_set(ver, "accepted_at"))
		html(&r->out, "; accepted %s%s on %s", is_set(ver, "accepted_by") ? "by " : "",
		     is_set(ver, "accepted_by") ? who(r, num(ver, "accepted_by")) : "", when(r, ver, "accepted_at"));
	else if (is_set(ver, "declined_at"))
		html(&r->out, "; %s said not yet on %s", who(r, num(ver, "declined_by")), when(r, ver, "declined_at"));
	else if (!strcmp(json_string_value(json_object_get(ver, "status")), "replaced"))
		html_unsafe_raw(&r->out, "; a newer proposal took its place");
	html_unsafe_raw(&r->out, ".</p>\n");
	const char *word = json_string_value(json_object_get(ver, "word"));
	if (word)
		html(&r->out, "<p class=\"prewrap\">In %s words: %s</p>\n",
		     num(ver, "declined_by") == r->me->user_id ? "your" : "their", word);
}

void consent_declined_note(struct req *r, json_t *ver)
{
	if (!ver || strcmp(json_string_value(json_object_get(ver, "status")), "declined"))
		return;
	const char *word = json_string_value(json_object_get(ver, "word"));
	if (json_is_true(json_object_get(ver, "proposed_by_me"))) {
		consent_not_taken_note(r, "has not taken on your last proposal for now. That is all right: you can "
					  "talk it over and propose again when you are both ready.", word);
	} else {
		html_unsafe_raw(&r->out, "<p class=\"hint\">You said not yet to the last proposal. Either of you can "
					 "propose another.</p>\n");
	}
}

void consent_history(struct req *r, json_t *versions, void (*body)(struct req *, json_t *, void *),
		     void *arg)
{
	size_t n = 0;
	for (size_t i = json_array_size(versions); i-- > 0;) {
		json_t *ver = json_array_get(versions, i);
		const char *status = json_string_value(json_object_get(ver, "status"));
		if (!strcmp(status, "in_force") || !strcmp(status, "proposed"))
			continue;
		if (!n++)
			html_unsafe_raw(&r->out, "<details class=\"history\"><summary>Earlier versions</summary>\n<ol reversed>\n");
		html_unsafe_raw(&r->out, "<li>");
		consent_version_line(r, ver);
		if (body)
			body(r, ver, arg);
		html_unsafe_raw(&r->out, "</li>\n");
	}
	if (n)
		html_unsafe_raw(&r->out, "</ol></details>\n");
}

void consent_answer_forms(struct req *r, json_t *ver, const char *base, const char *tag,
			  const char *accept_label)
{
	if (json_is_true(json_object_get(ver, "proposed_by_me"))) {
		html_unsafe_raw(&r->out, "<p>Waiting for your partner.</p>\n");
		return;
	}
	html(&r->out, "<p><strong>Waiting for you.</strong> It is in force once you accept it.</p>\n");
	ui_form_begin(r, arena_printf(&r->arena, "%s/accept", base));
	ui_form_end(r, accept_label);
	html(&r->out, "<details><summary>Not yet</summary>\n");
	ui_form_begin(r, arena_printf(&r->arena, "%s/decline", base));
	html(&r->out, "<p class=\"field\"><label for=\"f-word-%s\">A word for %s (optional)</label>"
		      "<textarea id=\"f-word-%s\" name=\"word\" maxlength=\"%d\" rows=\"2\"></textarea></p>\n",
	     tag, viewer_partner_word(r, false), tag, CONSENT_WORD_MAX);
	ui_form_end(r, "Not yet");
	html_unsafe_raw(&r->out, "</details>\n");
}

int consent_form_word(struct req *r, const char **word)
{
	struct input_err e;
	return input_text(req_form_field(r, "word"), "word", false, CONSENT_WORD_MAX, word, &e);
}

int consent_json_word(struct req *r, const char **word)
{
	static const char *const FIELDS[] = { "word", NULL };
	*word = NULL;
	if (!r->body_len)
		return 0;
	json_t *b = req_json_body(r);
	if (!b || jin_only(r, b, FIELDS) < 0 || jin_str(r, b, "word", false, CONSENT_WORD_MAX, word) < 0)
		return -1;
	if (*word && !**word)
		*word = NULL;
	return 0;
}

void consent_not_taken_note(struct req *r, const char *rest, const char *word)
{
	html(&r->out, "<div class=\"notice notice-info\"><p>%s %s</p>", viewer_partner_word(r, true), rest);
	if (word)
		html(&r->out, "<p class=\"prewrap\">In their words: %s</p>", word);
	html_unsafe_raw(&r->out, "</div>\n");
}
