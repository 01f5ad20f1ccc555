/* forms.c: see forms.h. */
#include "forms.h"

#include <string.h>

#include "../auth/auth.h"
#include "html.h"

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
