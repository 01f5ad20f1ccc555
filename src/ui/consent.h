/* consent.h: the pieces every proposal that needs the other partner's yes
 * shares (an agreement's versions, a trigger plan's versions): the status
 * of each version from its answers, the line that says who proposed and
 * who answered, the earlier versions, and the accept and decline forms.
 *
 * A version is a JSON object with "version", "proposed_by",
 * "proposed_by_me", "proposed_at", "accepted_by", "accepted_at",
 * "declined_by", "declined_at" (ids and seconds since 1970, or null) and
 * "word" (the decline's optional word, or null). */
#ifndef TROTH_CONSENT_H
#define TROTH_CONSENT_H

#include <jansson.h>

#include "../http/req.h"

/* The longest word that may come with a decline, in characters. */
#define CONSENT_WORD_MAX 1000

/* Sets "status" on each version of versions (oldest first): the newest
 * accepted one is "in_force", older accepted ones "superseded", declined
 * ones "declined", the newest one when unanswered and newer than the one
 * in force "proposed", any other unanswered one "replaced". Returns the
 * version in force (0: none). */
long long consent_mark_status(json_t *versions);

/* The version whose status is "proposed", or NULL. */
json_t *consent_proposal(json_t *versions);

/* One sentence about ver for the viewer of r: who proposed it and when,
 * who accepted or declined it and when, and the decline's word. */
void consent_version_line(struct req *r, json_t *ver);

/* The calm note about a declined newest version: for its proposer, that
 * the partner has not taken it on for now, with their word; for the one
 * who declined, that they said not yet. Nothing for other statuses. */
void consent_declined_note(struct req *r, json_t *ver);

/* Every version but the one in force and the open proposal, newest
 * first, in a closed <details>: each with its line, and body(r, ver, arg)
 * for its text. Nothing when there are none. */
void consent_history(struct req *r, json_t *versions, void (*body)(struct req *, json_t *, void *),
		     void *arg);

/* For the partner who did not propose ver: a form to accept it (POST
 * base/accept) and one to decline it with an optional word (POST
 * base/decline, field "word"); tag keeps the field's id unique on the
 * page. For the proposer: that it waits for the partner. */
void consent_answer_forms(struct req *r, json_t *ver, const char *base, const char *tag,
			  const char *accept_label);

/* The optional word of a decline, from a form post or a JSON body (field
 * "word"): 0 with *word (NULL when absent or empty), or -1 when it is not
 * text of at most CONSENT_WORD_MAX characters (a JSON body is answered
 * 400 then; a form's caller answers). */
int consent_form_word(struct req *r, const char **word);
int consent_json_word(struct req *r, const char **word);

/* The calm note to a proposer that the partner has not taken on what they
 * offered: the partner's name, then rest (the words after it), and the
 * partner's word when they gave one. */
void consent_not_taken_note(struct req *r, const char *rest, const char *word);

#endif
