/* rituals.c: the ritual schedule's API and its page at /rituals (the
 * table is schedule.c's), the calendar link's forms on that page, the menu between the ritual pages and the frame of
 * the home page's "Today" (the cards are each ritual's own). */
#include "rituals.h"
#include "calfeed.h" /* whether the calendar link is on, for the schedule */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../app.h"
#include "../auth/auth.h"
#include "../base/utf8.h"
#include "../http/jsonin.h"
#include "../ui/forms.h"
#include "../ui/html.h"
#include "../ui/page.h"
#include "../ui/zones.h"

static const char *const WEEKDAYS[] = { "Monday", "Tuesday", "Wednesday", "Thursday",
					"Friday", "Saturday", "Sunday" };

/* ---- the schedule ---- */


static int weekday_parse(const char *s)
{
	for (int i = 0; s && i < 7; i++)
		if (!strcmp(s, rituals_weekday_name(i + 1)))
			return i + 1;
	return 0;
}

static const char *time_text(struct req *r, int minute)
{
	return arena_printf(&r->arena, "%02d:%02d", minute / 60, minute % 60);
}



struct save {
	struct req *r;
	const struct ritual_schedule *s;
};

static int save_tx(sqlite3 *w, void *arg)
{
	struct save *v = arg;
	return ritual_schedule_store(w, v->r->me->couple_id, v->r->me->user_id, v->s, v->r->now);
}

/* Writes the schedule as the viewer's change. Returns 0, or -1 after
 * answering a storage error. */
static int schedule_save(struct req *r, const struct ritual_schedule *s)
{
	struct save v = { r, s };
	return req_db_ok(r, db_write(&r->app->db, save_tx, &v)) ? 0 : -1;
}


/* The viewer's schedule, or -1 after answering a storage error. */
static int my_schedule(struct req *r, struct ritual_schedule *s)
{
	return req_db_ok(r, ritual_schedule_read(r, r->me, s)) ? 0 : -1;
}

static json_t *schedule_json(struct req *r, const struct ritual_schedule *s)
{
	char at[21];
	if (s->updated_at)
		instant_format(s->updated_at, at);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:s, s:i, s:s, s:s, s:s?}",
			 "checkin_weekday", rituals_weekday_name(s->checkin_weekday),
			 "checkin_time", time_text(r, s->checkin_minute),
			 "appreciation_time", time_text(r, s->appreciation_minute),
			 "vulnerability_weekday", rituals_weekday_name(s->vulnerability_weekday),
			 "vulnerability_time", time_text(r, s->vulnerability_minute),
			 "connection_weekday", rituals_weekday_name(s->connection_weekday),
			 "connection_time", time_text(r, s->connection_minute),
			 "reminder_minutes", s->reminder_minutes,
			 "hard_date_reminder_time", time_text(r, s->hard_date_reminder_minute),
			 "timezone", r->me->timezone,
			 "updated_at", s->updated_at ? at : NULL);
}

static void answer_schedule(struct req *r, const struct ritual_schedule *s)
{
	req_json(r, 200, json_pack("{s:o, s:{s:b}}", "schedule", schedule_json(r, s),
				   "calendar_feed", "active", calfeed_active(r)));
}

void rituals_api_get(struct req *r)
{
	struct ritual_schedule s;
	if (my_schedule(r, &s) < 0)
		return;
	answer_schedule(r, &s);
}

static const char *const SCHEDULE_FIELDS[] = {
	"checkin_weekday", "checkin_time", "appreciation_time", "vulnerability_weekday",
	"vulnerability_time", "connection_weekday", "connection_time", "reminder_minutes",
	"hard_date_reminder_time", NULL,
};

/* A weekday field: absent leaves *wd, a name sets it, null sets 0 when
 * nullable. Returns 0 or -1 after answering. */
static int json_weekday(struct req *r, const char *name, bool nullable, int *wd)
{
	json_t *v = json_object_get(r->json, name);
	if (!v)
		return 0;
	if (json_is_null(v) && nullable) {
		*wd = 0;
		return 0;
	}
	int d = json_is_string(v) ? weekday_parse(json_string_value(v)) : 0;
	if (!d) {
		req_error(r, 400, "invalid_field",
			  arena_printf(&r->arena, "%s must be a day of the week, such as \"sunday\".", name), name);
		return -1;
	}
	*wd = d;
	return 0;
}

static int json_time(struct req *r, const char *name, int *minute)
{
	json_t *v = json_object_get(r->json, name);
	if (!v)
		return 0;
	int m = json_is_string(v) ? hm_parse(json_string_value(v)) : -1;
	if (m < 0) {
		req_error(r, 400, "invalid_field",
			  arena_printf(&r->arena, "%s must be a time written HH:MM, such as \"19:30\".", name), name);
		return -1;
	}
	*minute = m;
	return 0;
}

void rituals_api_put(struct req *r)
{
	struct ritual_schedule s;
	long long rem;
	if (my_schedule(r, &s) < 0)
		return;
	if (jin_only(r, r->json, SCHEDULE_FIELDS) < 0 ||
	    json_weekday(r, "checkin_weekday", false, &s.checkin_weekday) < 0 ||
	    json_time(r, "checkin_time", &s.checkin_minute) < 0 ||
	    json_time(r, "appreciation_time", &s.appreciation_minute) < 0 ||
	    json_weekday(r, "vulnerability_weekday", false, &s.vulnerability_weekday) < 0 ||
	    json_time(r, "vulnerability_time", &s.vulnerability_minute) < 0 ||
	    json_weekday(r, "connection_weekday", true, &s.connection_weekday) < 0 ||
	    json_time(r, "connection_time", &s.connection_minute) < 0 ||
	    json_time(r, "hard_date_reminder_time", &s.hard_date_reminder_minute) < 0)
		return;
	int got = jin_int(r, r->json, "reminder_minutes", false, 0, 1440, &rem);
	if (got < 0)
		return;
	if (got)
		s.reminder_minutes = (int)rem;
	if (schedule_save(r, &s) < 0)
		return;
	s.updated_at = r->now;
	answer_schedule(r, &s);
}

/* ---- the schedule page ---- */

static void weekday_select(struct req *r, const char *label, const char *name, int wd, bool none)
{
	html(&r->out, "<p class=\"field\"><label for=\"f-%s\">%s</label><select id=\"f-%s\" name=\"%s\">",
	     name, label, name, name);
	if (none)
		html(&r->out, "<option value=\"\"%s>No fixed day</option>", wd ? "" : " selected");
	for (int i = 1; i <= 7; i++)
		html(&r->out, "<option value=\"%s\"%s>%s</option>", rituals_weekday_name(i),
		     i == wd ? " selected" : "", WEEKDAYS[i - 1]);
	html(&r->out, "</select></p>\n");
}

/* Shows the schedule form and the calendar link section; feed_url is the
 * link just made (shown once), or NULL. */
static void rituals_form(struct req *r, const struct ritual_schedule *s, const char *notice,
			 const char *notice_kind, const char *feed_url)
{
	page_begin(r, "When and reminders");
	ui_menu(r, "Rituals", rituals_menu, "/rituals");
	if (notice)
		ui_notice(r, notice_kind, notice);
	html(&r->out, "<p>Pick times that fit your week. You share this schedule: either of you can "
		      "change it. Times are in %s time.</p>\n", zone_words(&r->arena, r->me->timezone));
	ui_form_begin(r, "/rituals");
	weekday_select(r, "Weekly check-in: day", "checkin_weekday", s->checkin_weekday, false);
	ui_input(r, "Weekly check-in: time", "checkin_time", "time", time_text(r, s->checkin_minute),
		 "off", NULL, 1);
	ui_input(r, "Daily appreciation: time", "appreciation_time", "time",
		 time_text(r, s->appreciation_minute), "off", NULL, 1);
	weekday_select(r, "Sharing something vulnerable: day", "vulnerability_weekday",
		       s->vulnerability_weekday, false);
	ui_input(r, "Sharing: time", "vulnerability_time", "time", time_text(r, s->vulnerability_minute),
		 "off", NULL, 1);
	weekday_select(r, "Time together: day", "connection_weekday", s->connection_weekday, true);
	ui_input(r, "Time together: time", "connection_time", "time", time_text(r, s->connection_minute),
		 "off", NULL, 1);
	ui_input(r, "Reminder, minutes before", "reminder_minutes", "number",
		 arena_printf(&r->arena, "%d", s->reminder_minutes), "off",
		 "0 for a reminder right at the time.", 1);
	ui_input(r, "Hard dates: reminder the day before, at", "hard_date_reminder_time", "time",
		 time_text(r, s->hard_date_reminder_minute), "off",
		 "Your calendar gives a gentle reminder the day before a hard date, at this time.", 1);
	ui_form_end(r, "Save the schedule");

	html(&r->out, "<h2 id=\"calendar\">In your phone's calendar</h2>\n"
		      "<p>Your phone's calendar can show these rituals, with reminders. The events "
		      "have plain titles (\"Check-in\", \"Note\", \"Talk\", \"Time together\"), so a "
		      "glance at your lock screen gives nothing away.</p>\n"
		      "<p>The link is private to you: anyone who has it sees the schedule, nothing "
		      "more. You can replace it or turn it off at any time.</p>\n");
	if (feed_url) {
		html(&r->out, "<div class=\"notice notice-celebrate\" role=\"status\"><p>Your new "
			      "calendar link is below. Copy it now: we keep only a fingerprint of it, so "
			      "we cannot show it again.</p>"
			      "<p class=\"code-link\" id=\"calendar-url\">%s</p>"
			      "<p>On an iPhone: Settings, Calendar, Accounts, Add account, Other, Add "
			      "subscribed calendar. On Android: open Google Calendar on the web, Other "
			      "calendars, From URL.</p></div>\n", feed_url);
	}
	if (calfeed_active(r)) {
		if (!feed_url)
			html(&r->out, "<p>Your calendar link is on.</p>\n");
		ui_form_begin(r, "/rituals/calendar");
		html(&r->out, "<p class=\"hint\">A new link stops the old one at once.</p>\n");
		ui_form_end(r, "Make a new link");
		ui_form_begin(r, "/rituals/calendar/delete");
		ui_form_end(r, "Turn the calendar link off");
	} else {
		ui_form_begin(r, "/rituals/calendar");
		ui_form_end(r, "Make my calendar link");
	}
	page_end(r);
}

void rituals_page(struct req *r)
{
	struct ritual_schedule s;
	if (my_schedule(r, &s) < 0)
		return;
	const char *saved = kv_get(&r->query, "saved"), *feed = kv_get(&r->query, "feed");
	rituals_form(r, &s, saved ? "Saved. The new times show in your calendar at its next refresh." :
			    feed && !strcmp(feed, "off") ? "Your calendar link is off. It no longer shows anything." : NULL,
		     "info", NULL);
}

static void page_with_feed(struct req *r, const char *url);

void rituals_calendar_post(struct req *r)
{
	char token[CALFEED_TOKEN_SIZE];
	if (!req_db_ok(r, calfeed_make(r, token)))
		return;
	page_with_feed(r, calfeed_url(r, token));
	sodium_memzero(token, sizeof(token));
}

void rituals_calendar_delete_post(struct req *r)
{
	if (!req_db_ok(r, calfeed_stop(r)))
		return;
	req_redirect(r, "/rituals?feed=off");
}

/* The schedule page showing a calendar link just made (shown only once). */
static void page_with_feed(struct req *r, const char *url)
{
	struct ritual_schedule s;
	if (my_schedule(r, &s) < 0)
		return;
	rituals_form(r, &s, NULL, NULL, url);
}

void rituals_post(struct req *r)
{
	struct ritual_schedule s;
	if (my_schedule(r, &s) < 0)
		return;
	struct ritual_schedule in = s;
	const char *cw = kv_get(&r->form, "checkin_weekday"), *vw = kv_get(&r->form, "vulnerability_weekday"),
		   *tw = kv_get(&r->form, "connection_weekday"), *rm = kv_get(&r->form, "reminder_minutes");
	in.checkin_weekday = weekday_parse(cw);
	in.vulnerability_weekday = weekday_parse(vw);
	in.connection_weekday = tw && *tw ? weekday_parse(tw) : 0;
	in.checkin_minute = hm_parse(kv_get(&r->form, "checkin_time"));
	in.appreciation_minute = hm_parse(kv_get(&r->form, "appreciation_time"));
	in.vulnerability_minute = hm_parse(kv_get(&r->form, "vulnerability_time"));
	in.connection_minute = hm_parse(kv_get(&r->form, "connection_time"));
	/* an older form without the field keeps the time set before */
	const char *hd = kv_get(&r->form, "hard_date_reminder_time");
	in.hard_date_reminder_minute = hd ? hm_parse(hd) : s.hard_date_reminder_minute;
	char *end = NULL;
	long rem = rm && *rm ? strtol(rm, &end, 10) : -1;
	bool bad_rem = !rm || !*rm || *end || rem < 0 || rem > 1440;
	if (!in.checkin_weekday || !in.vulnerability_weekday || (tw && *tw && !in.connection_weekday) ||
	    in.checkin_minute < 0 || in.appreciation_minute < 0 || in.vulnerability_minute < 0 ||
	    in.connection_minute < 0 || in.hard_date_reminder_minute < 0 || bad_rem) {
		r->status = 400;
		rituals_form(r, &s, bad_rem ? "The reminder can be from 0 to 1440 minutes before."
					    : "Please pick a day for each weekly ritual and write times as HH:MM, such as 19:30.",
			     "attention", NULL);
		return;
	}
	in.reminder_minutes = (int)rem;
	if (schedule_save(r, &in) < 0)
		return;
	req_redirect(r, "/rituals?saved=1");
}

/* ---- home: what is due ---- */

const char *const rituals_menu[] = {
	"/checkins", "Check-in",
	"/daily", "Today",
	"/appreciations", "Appreciation",
	"/sharing", "Sharing",
	"/together", "Time together",
	"/checkins/history", "Past weeks",
	"/rituals", "When and reminders",
	NULL,
};

void rituals_due_begin(struct req *r)
{
	html_unsafe_raw(&r->out, "<section class=\"due\" aria-labelledby=\"due-h\"><h2 id=\"due-h\">Today</h2>\n"
				 "<ul class=\"cards\">\n");
}

void rituals_due_end(struct req *r)
{
	html_unsafe_raw(&r->out, "</ul></section>\n");
}
