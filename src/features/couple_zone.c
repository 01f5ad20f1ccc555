/* couple_zone.c: changing the couple's time zone (see couple_zone.h). */
#include "couple_zone.h"

#include <jansson.h>

#include "../app.h"
#include "../auth/account.h"
#include "../auth/auth.h"
#include "../http/jsonin.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"
#include "../ui/zones.h"

void couple_zone_form(struct req *r)
{
	ui_form_begin(r, "/couple/timezone");
	ui_zone_select(r, "Our time zone", "timezone", r->me->timezone,
		       "Days and weeks are counted in this zone. Change it if you move.", false);
	ui_form_end(r, "Change the time zone");
}

/* Checks tz and stores it for the viewer's couple. Returns NULL, or what
 * to tell the person (msg) when tz is not a zone; *rc is the store's. */
static const char *change(struct req *r, const char *tz, int *rc)
{
	const char *msg = acct_check_timezone(tz);
	*rc = SQLITE_OK;
	if (msg)
		return msg;
	*rc = acct_couple_set_timezone(&r->app->db, r->me->couple_id, tz);
	return NULL;
}

void couple_zone_post(struct req *r)
{
	int rc;
	const char *msg = change(r, req_form_field(r, "timezone"), &rc);
	if (msg) {
		r->status = 400;
		page_begin(r, "Our couple");
		ui_notice(r, "attention", msg);
		couple_zone_form(r);
		page_end(r);
		return;
	}
	req_redirect_after(r, rc, "/couple");
}

void couple_zone_api_put(struct req *r)
{
	static const char *const fields[] = { "timezone", NULL };
	const char *tz;
	int rc;
	if (jin_only(r, r->json, fields) < 0 || jin_str(r, r->json, "timezone", true, 64, &tz) < 0)
		return;
	const char *msg = change(r, tz, &rc);
	if (msg)
		req_error(r, 400, "invalid_field", msg, "timezone");
	else if (req_db_ok(r, rc))
		req_json(r, 200, json_pack("{s:s}", "timezone", tz));
}
