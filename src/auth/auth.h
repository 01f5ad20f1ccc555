/* auth.h: who is asking. The auth hook runs before every handler: it finds
 * the session (cookie for pages, Bearer token for the API), loads the viewer
 * (user, couple, role) and enforces the route's flags centrally: R_LOGIN,
 * R_COUPLE, R_OPERATOR, R_CSRF, and a cross-origin Origin refused on every
 * request that changes state. */
#ifndef TROTH_AUTH_H
#define TROTH_AUTH_H

#include <stdbool.h>

#include "../http/req.h"
#include "../http/router.h"
#include "session.h"

struct viewer {
	long long user_id;
	const char *username;
	const char *display_name;
	bool is_operator;
	long long couple_id;       /* 0 when not in a couple */
	const char *role;          /* "hurt" | "accountable" | "both"; NULL without a couple */
	const char *timezone;      /* the couple's IANA zone; NULL without a couple */
	struct session *sess;      /* reference held until the request ends */
};

/* Installs auth_check and auth_release as the router's hooks. */
void auth_install(void);
/* The hook installed as http_auth_hook. */
int auth_check(struct req *r, const struct route *rt);
/* Releases the viewer's session reference (called when a request ends). */
void auth_release(struct req *r);

/* The session cookie's name: "__Host-troth" over TLS, "troth" on plain
 * http://localhost for development. */
const char *auth_cookie_name(const struct req *r);
/* Sets the session cookie (HttpOnly, SameSite=Strict, Path=/, Secure over
 * TLS); token NULL clears it. */
void auth_set_cookie(struct req *r, const char *token);

/* The CSRF token to put in a form of this request's page ("" without a
 * session). */
const char *auth_csrf(const struct req *r);

#endif
