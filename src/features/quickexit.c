/* quickexit.c: "Leave now" (see quickexit.h). The link on every page points
 * here, so leaving also logs out; with JavaScript the page is blanked first
 * and the history entry replaced (static/troth.js). */
#include "quickexit.h"

#include <string.h>

#include "../app.h"
#include "../auth/auth.h"

const char *quickexit_url(const struct req *r)
{
	return r->app && r->app->cfg.exit_url ? r->app->cfg.exit_url : APP_DEFAULT_EXIT_URL;
}

void quickexit_page(struct req *r)
{
	/* Another site may link here too: then it only redirects, it does not
	 * log anyone out. */
	const char *site = kv_geti(&r->headers, "Sec-Fetch-Site");
	bool ours = !site || !strcmp(site, "same-origin") || !strcmp(site, "none");
	if (ours && r->me && r->me->sess && !r->me->sess->bearer) {
		session_end(r->me->sess);
		auth_set_cookie(r, NULL);
	}
	buf_reset(&r->out);
	r->status = 303;
	req_header(r, "Location", quickexit_url(r));
	/* "storage" also unregisters the service worker, and with it this
	 * phone's reminders */
	req_header(r, "Clear-Site-Data", "\"cache\", \"storage\"");
}
