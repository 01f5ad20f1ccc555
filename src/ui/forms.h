/* forms.h: the pieces of a form, escaped and labelled, for pages that work
 * without JavaScript: every input has a visible label, every form that
 * changes state carries the CSRF token. */
#ifndef TROTH_FORMS_H
#define TROTH_FORMS_H

#include "../http/req.h"

/* <form method="post" action="..."> with the CSRF field. */
void ui_form_begin(struct req *r, const char *action);
void ui_form_end(struct req *r, const char *button);
/* A labelled input. type: "text", "password", ...; value and hint may be
 * NULL; autocomplete is the attribute's value (or NULL). */
void ui_input(struct req *r, const char *label, const char *name, const char *type,
	      const char *value, const char *autocomplete, const char *hint, int required);
/* A group of radio buttons: options is a NULL-ended list of value, label
 * pairs. */
void ui_radios(struct req *r, const char *legend, const char *name, const char *const *options,
	       const char *checked);
/* A notice box: kind is info, celebrate, attention, concern or safety. */
void ui_notice(struct req *r, const char *kind, const char *text);

#endif
