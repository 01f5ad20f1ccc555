/* counsel.h: the counsellor (counsel.c): a couple invites a counsellor, who
 * sees only what each partner shares with them, once both partners have
 * said yes and until either says stop. counsel.c owns the counsel_* tables
 * (invitations, consent, the care keys, the shared copies). The counsellor's
 * account and key pair are auth/account.c's. */
#ifndef TROTH_FEATURE_COUNSEL_H
#define TROTH_FEATURE_COUNSEL_H

#include <jansson.h>

#include "../auth/auth.h"
#include "../db/db.h"
#include "../http/req.h"

/* What a partner may share with the counsellor, one kind of record each:
 * the key stored in counsel_share and named in the API, and its label. */
struct counsel_kind {
	const char *key, *label; /* label: as the partner chooses it */
	const char *heading;     /* as the counsellor reads it */
	/* The room's reader for the counsellor: the records of this kind that
	 * viewer v wrote and that may reach a counsellor, as a JSON array of
	 * objects each with "id" (the record's id), "day" ("YYYY-MM-DD") and
	 * the fields the counsellor sees; NULL on a storage error. The room
	 * decides, once, in its own file, what of its kind that is. */
	json_t *(*read)(struct req *r, const struct viewer *v);
};
extern const struct counsel_kind counsel_kinds[];
extern const size_t counsel_kinds_len;

/* Rewrites the copies viewer v (a partner) shares with their couple's
 * counsellor, when access is open: each kind v shares is read again
 * through its room's reader and sealed under the care key; a kind v does
 * not share has no copy. Nothing happens without an open access or keys.
 * Returns SQLITE_OK or an error. Called on the partner's own requests. */
int counsel_sync(struct req *r, const struct viewer *v);

/* troth_after_write (http/router.h): after a partner's write that worked,
 * counsel_sync for them, so the counsellor reads what the write changed
 * on their next request. */
void counsel_after_write(struct req *r);

/* On a record the viewer of r wrote, where it lives (its room's page): a
 * small form, "Send a copy to our counsellor" or "Take back the
 * counsellor's copy", posting to /counsellor/items and coming back to back
 * ("/journal", "/sharing" or "/timeline"), when the couple has a
 * counsellor with access open; nothing otherwise. kind: "journal",
 * "vulnerability" or "note" (a timeline note). */
void counsel_item_button(struct req *r, const char *kind, long long id, const char *back);

/* Partners: the "Our counsellor" page and its forms; the API
 * (docs/api.md, "The counsellor"). */
route_handler counsel_page, counsel_invite_post, counsel_agree_post, counsel_withdraw_post,
	counsel_sharing_post, counsel_safety_post, counsel_session_post, counsel_dismiss_post, counsel_item_post;
route_handler counsel_api_get, counsel_api_invite, counsel_api_agree, counsel_api_withdraw,
	counsel_api_sharing, counsel_api_safety_send, counsel_api_safety_delete, counsel_api_session,
	counsel_api_suggestions, counsel_api_dismiss, counsel_api_item_send, counsel_api_item_delete;
/* Home: the counsellor's suggestions this partner has not dismissed,
 * "From your counsellor" (registered in home_sections[]). */
route_handler counsel_home_card;
/* Counsellors: sign-up, their couples, one couple's shared records, the
 * session report, session days and suggestions. */
route_handler therapist_signup_page, therapist_signup_post, therapist_page, therapist_join_post,
	therapist_couple_page, therapist_report_page, therapist_session_post, therapist_suggest_post;
route_handler therapist_api_signup, therapist_api_join, therapist_api_couples, therapist_api_couple,
	therapist_api_report, therapist_api_session, therapist_api_suggest;

/* The demo: a counsellor with access to the demo couple. */
struct tz;
struct signup_job;
struct counsel_demo_couple {
	long long couple_id;
	long long user_id[2];               /* the inviter first */
	const char *role[2];                /* their roles */
	const unsigned char *data_key[2];   /* each partner's data key */
	const unsigned char *couple_key;
	const char *timezone;               /* the couple's zone, its name */
	const struct tz *tz;                /* and that zone */
};
/* Makes counsellor user_id's account with an operator's signup code
 * (acct_signup_therapist). Returns SQLITE_OK or an error. */
int counsel_demo_account(struct db *db, const char *username, const char *display_name, const char *code,
			 const struct signup_job *job, long long *user_id);
/* Gives counsellor therapist_id access to couple d (both partners said
 * yes two months before now), both partners sharing every kind, with
 * three session days two weeks apart and one suggestion, and writes the
 * copies of what each partner shares (counsel_sync for each, through a
 * second handle on db's file), so the counsellor reads them before either
 * partner visits. Returns SQLITE_OK or an error. */
int counsel_demo(struct db *db, const struct counsel_demo_couple *d, long long therapist_id, time_t now);

/* Whether v's couple has a counsellor with access open (both partners
 * said yes, neither said stop), into *active. Returns SQLITE_OK or an
 * error. */
int counsel_active(struct req *r, const struct viewer *v, bool *active);

/* What parting and closing an account run on this room's tables. */
extern const struct room_sql counsel_sql;

/* For reminders (no keys): into *n, how many of the counsellor's
 * suggestions to couple_id user_id has not dismissed. Returns SQLITE_ROW or
 * an error. */
int counsel_suggestion_waiting(sqlite3 *c, long long couple_id, long long user_id, long long *n);

#endif
