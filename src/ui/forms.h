/* forms.h: the pieces of a form, escaped and labelled, for pages that work
 * without JavaScript: every input has a visible label, every form that
 * changes state carries the CSRF token. */
#ifndef TROTH_FORMS_H
#define TROTH_FORMS_H

#include <stdbool.h>

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
/* The longest free text a form takes, in characters. */
#define UI_TEXT_MAX 4000

enum { UI_REQUIRED = 1, UI_COACH = 2 };
/* A labelled textarea holding value (NULL: empty), with an optional hint;
 * flags: UI_REQUIRED, UI_COACH (the language coach may comment while the
 * person writes, with JavaScript). */
void ui_textarea(struct req *r, const char *label, const char *name, const char *value,
		 const char *hint, int flags);
/* A 1..max rating scale of labelled radio buttons in one fieldset; value 0
 * checks none. An optional scale starts with a "Skip" choice, so it can be
 * left out without JavaScript. low and high label the two ends (both NULL:
 * no labels, when the text before the scales says what the ends mean). */
void ui_scale(struct req *r, const char *name, const char *legend, const char *hint, int max,
	      int value, bool optional, const char *low, const char *high);
/* The same scale from min (0 or 1) to max; a value below min checks none. */
void ui_scale_from(struct req *r, const char *name, const char *legend, const char *hint, int min,
		   int max, int value, bool optional, const char *low, const char *high);
/* A menu of links (a NULL-ended list of path, label pairs); the one whose
 * path is current is marked aria-current. */
void ui_menu(struct req *r, const char *aria_label, const char *const *items, const char *current);

struct input_err;
/* The calm notice for an input problem over the kept form (sets r->status
 * from it); nothing when e is NULL or holds no problem. */
void ui_input_notice(struct req *r, const struct input_err *e);

/* A notice box: kind is info, celebrate, attention, concern or safety. */
void ui_notice(struct req *r, const char *kind, const char *text);

/* Begins a page of forms (page_begin): the heading, what was wrong with the
 * form sent (ui_input_notice; e NULL for nothing) and the paragraph intro
 * (escaped). */
void ui_form_page_begin(struct req *r, const char *heading, const struct input_err *e, const char *intro);
/* Begins a page (page_begin) with its heading and notices: text as a
 * notice of kind (none when text is NULL), then, when locked, the notice
 * that the notes are locked. */
void ui_page_begin_notices(struct req *r, const char *heading, const char *kind, const char *text, bool locked);

/* The end of a form post, by res: -1 shows the page again with render and
 * what is wrong in e; 0 goes on to location (303); anything else has been
 * answered already. */
void ui_form_done(struct req *r, int res, const struct input_err *e,
		  void (*render)(struct req *r, const struct input_err *e), const char *location);

#endif
