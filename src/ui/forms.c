/* forms.c: see forms.h. */
#include "forms.h"

#include <string.h>

#include "../auth/auth.h"
#include "../http/input.h"
#include "html.h"
#include "page.h"

void ui_form_begin(struct req *r, const char *action)
{
	html(&r->out, "<form method=\"post\" action=\"%s\">"
		      "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n", action, auth_csrf(r));
}

void ui_form_end(struct req *r, const char *button)
{
	html(&r->out, "<button type=\"submit\">%s</button></form>\n", button);
}

void ui_input(struct req *r, const char *label, const char *name, const char *type,
	      const char *value, const char *autocomplete, const char *hint, int required)
{
	html(&r->out, "<p class=\"field\"><label for=\"f-%s\">%s</label>", name, label);
	if (hint)
		html(&r->out, "<span class=\"hint\" id=\"h-%s\">%s</span>", name, hint);
	html(&r->out, "<input id=\"f-%s\" name=\"%s\" type=\"%s\"", name, name, type);
	if (value)
		html(&r->out, " value=\"%s\"", value);
	if (autocomplete)
		html(&r->out, " autocomplete=\"%s\"", autocomplete);
	if (hint)
		html(&r->out, " aria-describedby=\"h-%s\"", name);
	if (required)
		html_unsafe_raw(&r->out, " required");
	html_unsafe_raw(&r->out, "></p>\n");
}

void ui_radios(struct req *r, const char *legend, const char *name, const char *const *options,
	       const char *checked)
{
	html(&r->out, "<fieldset class=\"choices\"><legend>%s</legend>\n", legend);
	for (size_t i = 0; options[i]; i += 2)
		html(&r->out, "<label><input type=\"radio\" name=\"%s\" value=\"%s\"%s> %s</label>\n",
		     name, options[i], checked && !strcmp(checked, options[i]) ? " checked" : "",
		     options[i + 1]);
	html_unsafe_raw(&r->out, "</fieldset>\n");
}

void ui_notice(struct req *r, const char *kind, const char *text)
{
	html(&r->out, "<p class=\"notice notice-%s\" role=\"status\">%s</p>\n", kind, text);
}

void ui_textarea(struct req *r, const char *label, const char *name, const char *value,
		 const char *hint, int flags)
{
	html(&r->out, "<p class=\"field\"><label for=\"f-%s\">%s</label>", name, label);
	if (hint)
		html(&r->out, "<span class=\"hint\" id=\"h-%s\">%s</span>", name, hint);
	html(&r->out, "<textarea id=\"f-%s\" name=\"%s\" maxlength=\"%d\" rows=\"3\"", name, name,
	     UI_TEXT_MAX);
	if (flags & UI_COACH)
		html_unsafe_raw(&r->out, " data-coach");
	if (hint)
		html(&r->out, " aria-describedby=\"h-%s\"", name);
	if (flags & UI_REQUIRED)
		html_unsafe_raw(&r->out, " required");
	html(&r->out, ">%s</textarea></p>\n", value ? value : "");
}

void ui_scale(struct req *r, const char *name, const char *legend, const char *hint, int max,
	      int value, bool optional, const char *low, const char *high)
{
	ui_scale_from(r, name, legend, hint, 1, max, value, optional, low, high);
}

void ui_scale_from(struct req *r, const char *name, const char *legend, const char *hint, int min,
		   int max, int value, bool optional, const char *low, const char *high)
{
	html(&r->out, "<fieldset class=\"scale\" id=\"s-%s\"><legend>%s", name, legend);
	if (hint)
		html(&r->out, " <span class=\"hint\">%s</span>", hint);
	html_unsafe_raw(&r->out, "</legend>\n<div class=\"scale-row\">");
	if (optional) {
		html(&r->out, "<label class=\"skip\"><input type=\"radio\" name=\"%s\" value=\"\"", name);
		if (value < min)
			html_unsafe_raw(&r->out, " checked");
		html_unsafe_raw(&r->out, "> Skip</label>");
	}
	for (int i = min; i <= max; i++) {
		html(&r->out, "<label><input type=\"radio\" name=\"%s\" value=\"%d\"", name, i);
		if (i == value)
			html_unsafe_raw(&r->out, " checked");
		if (!optional && i == min)
			html_unsafe_raw(&r->out, " required");
		html(&r->out, "> %d</label>", i);
	}
	html_unsafe_raw(&r->out, "</div>\n");
	if (low && high)
		html(&r->out, "<p class=\"scale-ends\" aria-hidden=\"true\"><span>%d: %s</span><span>%d: %s</span></p>",
		     min, low, max, high);
	html_unsafe_raw(&r->out, "</fieldset>\n");
}

void ui_menu(struct req *r, const char *aria_label, const char *const *items, const char *current)
{
	html(&r->out, "<nav class=\"menu\" aria-label=\"%s\"><ul>", aria_label);
	for (size_t i = 0; items[i]; i += 2) {
		html(&r->out, "<li><a href=\"%s\"", items[i]);
		if (current && !strcmp(items[i], current))
			html_unsafe_raw(&r->out, " aria-current=\"page\"");
		html(&r->out, ">%s</a></li>", items[i + 1]);
	}
	html_unsafe_raw(&r->out, "</ul></nav>\n");
}

void ui_input_notice(struct req *r, const struct input_err *e)
{
	if (!e || !e->status)
		return;
	r->status = e->status;
	html(&r->out, "<p class=\"notice notice-attention\" role=\"alert\">%s</p>\n", e->msg);
}

void ui_form_page_begin(struct req *r, const char *heading, const struct input_err *e, const char *intro)
{
	page_begin(r, heading);
	ui_input_notice(r, e);
	html(&r->out, "<p>%s</p>\n", intro);
}

void ui_page_begin_notices(struct req *r, const char *heading, const char *kind, const char *text, bool locked)
{
	page_begin(r, heading);
	if (text)
		ui_notice(r, kind, text);
	if (locked)
		ui_notice(r, "attention", auth_locked_text);
}

void ui_form_done(struct req *r, int res, const struct input_err *e,
		  void (*render)(struct req *r, const struct input_err *e), const char *location)
{
	if (res == -1)
		render(r, e);
	else if (res == 0)
		req_redirect(r, location);
}
