/* push.h: reminders by Web Push (push.c). push.c owns the push tables:
 * the server's VAPID key pair, each person's devices (subscriptions),
 * their reminder choices, the reminders decided and those waiting for a
 * device. It decides reminders from what the server may know without a
 * person's keys (whether a record exists, its day), through the rooms'
 * own readers, and sends only neutral words. Its page is
 * /settings/reminders; its API is under /api/v1/push (docs/api.md,
 * "Reminders on a phone"). */
#ifndef TROTH_FEATURE_PUSH_H
#define TROTH_FEATURE_PUSH_H

#include <stdbool.h>
#include <time.h>

#include "../db/db.h"
#include "../http/req.h"

struct app;

/* API */
route_handler push_api_list, push_api_subscribe, push_api_remove, push_api_prefs_get, push_api_prefs_put;
/* Pages: the settings page, its choices, a device's removal, the app's
 * name on the home screen. */
route_handler push_page, push_prefs_post, push_remove_post, push_app_name_post;
/* Test builds: POST /api/v1/_test/push/tick {"now": SECONDS} runs one
 * round of the sender at that instant and answers what it did. */
route_handler push_test_tick;

/* What one round of the sender did. */
struct push_tally {
	int decided;   /* reminders decided (one per person, kind and period) */
	int sent;      /* messages a push service took (2xx) */
	int dropped;   /* waiting messages dropped: done meanwhile, too old, refused */
	int removed;   /* subscriptions removed on 404 or 410 */
	int retried;   /* messages kept for later after 429, 5xx or no answer */
	int attempts;  /* deliveries tried */
};

/* One round at instant now: decides the reminders due, then tries each
 * waiting message whose time has come, at most one per device and never
 * twice within a minute on a device. */
void push_tick(struct app *app, time_t now, struct push_tally *t);

/* Starts the background sender (a round every app->cfg.push_every
 * seconds; none when it is 0) and stops it. */
void push_sender_start(struct app *app);
void push_sender_stop(void);

extern const struct room_sql push_sql;

#endif
