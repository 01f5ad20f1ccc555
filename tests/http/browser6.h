/* browser6.h: a browser without JavaScript for the issue-6 page tests: logs
 * in through the form, keeps the session cookie and the latest CSRF token,
 * submits urlencoded forms. */
#ifndef TROTH_TEST_BROWSER6_H
#define TROTH_TEST_BROWSER6_H

#include "harness_http.h"

struct browser {
	char cookie[160];
	char csrf[64];
};

/* Logs user in (password TEST_PASSWORD) through POST /login. */
void b_login(struct thttp *t, struct browser *b, const char *user);
/* Runs a request as b (form: urlencoded body or NULL); leaves the response
 * in *r (release it). Picks up a new cookie and CSRF token. */
void b_do(struct thttp *t, struct browser *b, struct req *r, const char *method, const char *path,
	  const char *form);
/* GET path as b; fails the test unless the status is want. Returns the body
 * (malloc'd; free it). */
char *b_get(struct thttp *t, struct browser *b, const char *path, int want);
/* POST form (the CSRF token is prepended) as b; returns the status and, in
 * *body (if not NULL), the body (malloc'd) and in *location the Location. */
int b_post(struct thttp *t, struct browser *b, const char *path, const char *form, char **body,
	   char location[256]);

#endif
