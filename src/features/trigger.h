/* trigger.h: triggers and the plans a couple agrees for them (trigger.c
 * owns the trigger_event and trigger_plan tables). A trigger is shared
 * (sealed under the couple key) or private (sealed under its author's data
 * key, seen by nobody else); plans are always shared. Every reader takes
 * the viewer and returns only what that viewer may see. */
#ifndef TROTH_FEATURE_TRIGGER_H
#define TROTH_FEATURE_TRIGGER_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "../auth/auth.h"
#include "../http/req.h"

/* ---- store ---- */

/* A trigger to store with trigger_store. The plan for its kind, when the
 * couple has one, is linked (plan_id out). */
struct trigger_new {
	long long couple_id, author_id;
	const unsigned char *key;  /* the couple key, or the author's data key when private_ */
	long long at;              /* when it happened (seconds since 1970) */
	long day;                  /* that instant's day in the couple's zone */
	const char *kind;          /* date place situation name media behaviour other */
	long long intensity;       /* 1..10 */
	int plan_helped;           /* 1 yes, 0 no, -1 not said */
	bool private_;
	const char *what, *handled; /* handled may be NULL */
	long long created_at;
	long long id, plan_id;     /* out: the new row, its plan (0: none) */
};
/* Stores t (a struct trigger_new *) with the writer w: for db_write, or
 * inside another write. Returns SQLITE_OK or an error. */
int trigger_store(sqlite3 *w, void *t);

/* A plan to store with trigger_plan_store: created for its kind, or, by
 * id, changed. */
struct trigger_plan_new {
	long long couple_id, user_id;
	long long id;              /* in: the plan to change (0: by kind); out: its id */
	const char *kind, *needs, *response;
	const unsigned char *couple_key;
	bool upsert;               /* by kind: replace the kind's plan when there is one */
	long long now;
	bool exists;               /* out: the kind has a plan already (create without upsert) */
	bool missing;              /* out: no plan with that id */
	long long version;         /* out: the proposed version */
};
/* Stores p (a struct trigger_plan_new *) with the writer w: p's texts
 * become a proposed version (p->version out) of the kind's plan, made
 * when the kind has none; they are in force once the other partner
 * accepts them (trigger_plan_answer). Returns SQLITE_OK,
 * SQLITE_CONSTRAINT with p->exists, SQLITE_NOTFOUND with p->missing, or
 * an error. */
int trigger_plan_store(sqlite3 *w, void *p);

enum { TRIGGER_PLAN_ANSWER_OK = 0, TRIGGER_PLAN_MISSING, TRIGGER_PLAN_OWN, TRIGGER_PLAN_ANSWERED };
/* A partner's answer to a proposed version of a plan. */
struct trigger_plan_answer {
	long long couple_id, user_id;  /* the couple, the partner answering */
	const unsigned char *couple_key;
	long long id, version;         /* the plan and its version */
	bool accept;                   /* accept; else decline */
	const char *word;              /* the decline's word (NULL: none) */
	long long now;
	int out;                       /* out: TRIGGER_PLAN_MISSING (no such version in the couple),
					* _OWN (the answering partner proposed it), _ANSWERED
					* (answered already, or a newer one waits) */
};
/* Answers a (a struct trigger_plan_answer *) with the writer w: accepted
 * texts become the plan in force. Returns SQLITE_OK, SQLITE_DONE with
 * a->out set (nothing changed), or an error. */
int trigger_plan_answer(sqlite3 *w, void *a);

/* ---- readers (only what the viewer may see) ---- */

/* A trigger as a number: its day, strength, and whether it is the viewer's
 * own private one. */
struct trigger_day {
	long day;
	int intensity;
	bool private_mine;
};
/* The shared triggers of v's couple and v's own private ones, by day then
 * id, into arena memory (*out, *n). Returns SQLITE_OK or an error. */
int trigger_days(struct req *r, const struct viewer *v, struct trigger_day **out, size_t *n);

/* Seals the kind, intensity and plan of v's couple's triggers from before
 * they were sealed, those v holds the key to (shared: the couple key; v's
 * own private ones: v's data key), and empties the plain columns; for the
 * home page, while the keys are open. Returns SQLITE_OK (also when there
 * is nothing to seal) or an error. */
int trigger_seal_plain(struct req *r, const struct viewer *v);

/* The couple's plan in force for kind as JSON (texts opened), or JSON
 * null (no plan, or none accepted yet). */
json_t *trigger_plan_for(struct req *r, const struct viewer *v, const char *kind);

/* ---- pages and API ---- */
/* The home card that opens the page for the partner a shared trigger's
 * plan speaks to: the partner logged a hard moment in the last two weeks,
 * and the plan agreed for its kind says what this partner does; shown
 * until they mark it seen. Nothing for the one who logged it. */
route_handler trigger_partner_card;
/* POST /triggers/:id/seen: the partner has seen it (their own or a
 * private trigger changes nothing); back to the home page. */
route_handler trigger_seen_post;
route_handler trigger_page;            /* GET /triggers */
route_handler trigger_post;            /* POST /triggers */
route_handler trigger_plans_page;      /* GET /triggers/plans */
route_handler trigger_plans_post;      /* POST /triggers/plans */
route_handler trigger_api_create;      /* POST /api/v1/triggers */
route_handler trigger_api_list;        /* GET /api/v1/triggers */
route_handler trigger_plans_api_create; /* POST /api/v1/trigger-plans */
route_handler trigger_plans_api_list;  /* GET /api/v1/trigger-plans */
route_handler trigger_plans_api_update; /* PUT /api/v1/trigger-plans/:id */
/* POST /api/v1/trigger-plans/:id/versions/:v/accept and .../decline
 * (optional {"word"}), POST /triggers/plans/:id/versions/:v/accept and
 * .../decline (optional field word): only the partner who did not
 * propose the newest version answers it. */
route_handler trigger_plans_api_accept, trigger_plans_api_decline;
route_handler trigger_plans_accept_post, trigger_plans_decline_post;

/* The export: every trigger (shared ones and v's own private ones) v may see, as a JSON array (texts opened),
 * or NULL after answering a storage error. */
json_t *trigger_export(struct req *r, const struct viewer *v);
/* The export: every trigger plan v may see, as a JSON array (texts opened),
 * or NULL after answering a storage error. */
json_t *trigger_plan_export(struct req *r, const struct viewer *v);

/* What parting and closing an account run on this room's tables. */
extern const struct room_sql trigger_sql;

/* What a counsellor may see of v's hard moments (features/counsel.c): v's
 * own shared ones (never a private one), as {id, day, kind, intensity,
 * what, plan_used, plan_helped}; NULL on a storage error. */
json_t *trigger_counsel(struct req *r, const struct viewer *v);

#endif
