/* browser.h: a browser without JavaScript for the page tests, over the
 * in-process harness: logs in through the form, keeps the session cookie
 * and the latest CSRF token a page carried, submits urlencoded forms. */
#ifndef TROTH_TEST_BROWSER_H
#define TROTH_TEST_BROWSER_H

#include "harness_http.h"

struct browser {
	char cookie[160];
	char csrf[64];
};

/* Logs user in (password TEST_PASSWORD) through POST /login, then opens /
 * to pick up a CSRF token. Fails the test unless both work. */
void b_login(struct thttp *t, struct browser *b, const char *user);
/* Runs a request as b (form: urlencoded body or NULL); leaves the response
 * in *r (release it) and returns its status. Picks up a new cookie and CSRF
 * token. */
int b_do(struct thttp *t, struct browser *b, struct req *r, const char *method, const char *path,
	 const char *form);
/* POSTs fields (urlencoded, may be "") with b's CSRF token in front; leaves
 * the response in *r (release it) and returns its status. */
int b_submit(struct thttp *t, struct browser *b, struct req *r, const char *path, const char *fields);
/* GET path as b; fails the test unless the status is want. Returns the body
 * (malloc'd; free it). */
char *b_get(struct thttp *t, struct browser *b, const char *path, int want);
/* POST form (the CSRF token is prepended) as b; returns the status and, in
 * *body (if not NULL), the body (malloc'd) and in *location the Location. */
int b_post(struct thttp *t, struct browser *b, const char *path, const char *form, char **body,
	   char location[256]);
/* GET path as b; fails the test unless the status is want and the body
 * holds each of the strings that follow (end the list with NULL). */
void b_page_has(struct thttp *t, struct browser *b, const char *path, int want, ...);
/* GET path as b; fails the test unless the status is 200 and the body does
 * not hold s. */
void b_page_lacks(struct thttp *t, struct browser *b, const char *path, const char *s);

/* POST form (the CSRF token is prepended) as b; fails the test unless the
 * status is want and the body holds each of the strings that follow (end
 * the list with NULL). */
void b_post_has(struct thttp *t, struct browser *b, const char *path, const char *form, int want, ...);
/* GET path as b; fails the test unless the status is 200, the body holds
 * has and does not hold lacks. */
void b_page_has_lacks(struct thttp *t, struct browser *b, const char *path, const char *has,
		      const char *lacks);
/* The path a form on body posts to: the first action="prefix..." found,
 * copied into out (size bytes). Fails the test unless there is one. */
void b_form_action(const char *body, const char *prefix, char *out, size_t size);

/* Signs user up through the API (no invite, no role: the first account of
 * a fresh store) and logs b in as user. */
void b_signup_login(struct thttp *t, struct browser *b, const char *user);

#endif
