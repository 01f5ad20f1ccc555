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
	const char *key, *label;
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

/* Partners: the "Our counsellor" page and its forms; the API
 * (docs/api.md, "The counsellor"). */
route_handler counsel_page, counsel_invite_post, counsel_agree_post, counsel_withdraw_post,
	counsel_sharing_post, counsel_safety_post;
route_handler counsel_api_get, counsel_api_safety_send, counsel_api_safety_delete, counsel_api_invite, counsel_api_agree, counsel_api_withdraw,
	counsel_api_sharing;
/* Counsellors: sign-up, their couples, one couple's shared records. */
route_handler therapist_signup_page, therapist_signup_post, therapist_page, therapist_join_post,
	therapist_couple_page;
route_handler therapist_api_signup, therapist_api_join, therapist_api_couples, therapist_api_couple;

/* What parting and closing an account run on this room's tables. */
extern const struct room_sql counsel_sql;

#endif
