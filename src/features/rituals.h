/* rituals.h: the ritual schedule (rituals.c): when the couple's
 * rituals happen and the reminders before them, the menu between the ritual
 * pages and the frame of the home page's "Today". The schedule's table
 * is schedule.c's. Each ritual has its own file and header:
 * checkin.h (the weekly check-in), appreciation.h, vulnerability.h
 * (sharing, at /sharing), connection.h (time together, at /together),
 * calfeed.h (the calendar feed). */
#ifndef TROTH_FEATURE_RITUALS_H
#define TROTH_FEATURE_RITUALS_H

#include <stdbool.h>
#include <time.h>

#include <sqlite3.h>

#include "../base/caltime.h"
#include "../auth/auth.h"
#include "../http/req.h"
#include "schedule.h"

/* The menu between the ritual pages, for ui_menu (path, label pairs). */
extern const char *const rituals_menu[];

/* API (docs/api.md, "The schedule") */
route_handler rituals_api_get, rituals_api_put;
/* Pages: GET and POST /rituals */
route_handler rituals_page, rituals_post;
/* POST /rituals/calendar: a new calendar link, shown once on the schedule
 * page; POST /rituals/calendar/delete: the link turned off. */
route_handler rituals_calendar_post, rituals_calendar_delete_post;

/* The home page's "Today" block, registered in home_sections[] around the
 * ritual cards (checkin_home_card, appreciation_home_card,
 * vulnerability_home_card): its heading and list, then its end and the menu. */
route_handler rituals_due_begin, rituals_due_end;

#endif
