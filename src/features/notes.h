/* notes.h: dated shared notes (notes.c owns the record_note table), one
 * engine for five kinds: small wins, setbacks, the trust timeline, and for
 * truth.c, disclosures and no-contact breaches. Either partner adds, both
 * see; the texts are sealed under the couple key. Every reader takes the
 * viewer and returns only what that viewer may see. */
#ifndef TROTH_FEATURE_NOTES_H
#define TROTH_FEATURE_NOTES_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "../auth/auth.h"
#include "../http/input.h"
#include "../http/req.h"

/* One kind of note: its column value, JSON names, checks and page words. */
struct note_kind {
	const char *kind;            /* the column value and the sealing prefix */
	const char *date_field, *text_field, *extra_field; /* JSON names; extra may be NULL */
	size_t text_max;
	bool trust;                  /* timeline: "high" | "low" */
	bool no_future;              /* the day may not be after today */
	const char *list_key, *item_key;
	/* the page */
	const char *path, *heading, *intro, *empty, *list_heading, *form_heading;
	const char *date_label, *text_label, *extra_label, *button;
};
extern const struct note_kind NOTE_WIN, NOTE_SETBACK, NOTE_TIMELINE, NOTE_DISCLOSURE, NOTE_BREACH;

/* ---- store ---- */

/* A note to store with note_store. */
struct note_new {
	const struct note_kind *k;
	long long couple_id, author_id;
	long day;                  /* days since 1970-01-01 */
	const char *trust;         /* timeline: "high" | "low"; else NULL */
	const char *text, *extra;  /* extra may be NULL */
	const unsigned char *couple_key;
	long long created_at;
	long long id;              /* out: the new row */
};
/* Stores n (a struct note_new *) with the writer w: for db_write, or
 * inside another write. Returns SQLITE_OK or an error. */
int note_store(sqlite3 *w, void *n);

/* ---- readers (only what the viewer may see) ---- */

/* A note as numbers: its day, kind ("win", "setback", "disclosure",
 * "breach", "timeline") and trust (+1 high, -1 low, 0 none). */
struct note_day {
	long day;
	const char *kind;
	int trust;
};
/* Every note v may see, by day then id, into arena memory (*out, *n).
 * Returns SQLITE_OK or an error. */
int note_days(struct req *r, const struct viewer *v, struct note_day **out, size_t *n);

/* v's notes of kind k as a JSON array (texts opened), by day (newest first
 * when asked); NULL with *rc after a storage error. */
json_t *note_items(struct req *r, const struct viewer *v, const struct note_kind *k, bool newest_first,
		   int *rc);

/* ---- pieces for truth.c's pages and API ---- */

/* POST for kind k: checks the JSON body, stores, answers 201
 * {"<item_key>": {...}}. */
void note_api_create(struct req *r, const struct note_kind *k);
/* The same without the answer: the stored note as JSON, or NULL after
 * answering an error. */
json_t *note_api_store(struct req *r, const struct note_kind *k);
/* A list of notes (from note_items) as cards. */
void note_cards(struct req *r, const struct note_kind *k, json_t *items);
/* The add form of kind k with the kept input. */
void note_form(struct req *r, const struct note_kind *k);
/* Handles the form post of kind k: 0 when stored, -1 with e set for the
 * page to re-render, -2 after answering (keys locked, storage). */
int note_form_store(struct req *r, const struct note_kind *k, struct input_err *e);

/* ---- pages and API ---- */
route_handler wins_page;               /* GET /wins */
route_handler wins_post;               /* POST /wins */
route_handler setbacks_page;           /* GET /setbacks */
route_handler setbacks_post;           /* POST /setbacks */
route_handler timeline_page;           /* GET /timeline */
route_handler timeline_post;           /* POST /timeline */
route_handler wins_api_create;         /* POST /api/v1/wins */
route_handler wins_api_list;           /* GET /api/v1/wins */
route_handler setbacks_api_create;     /* POST /api/v1/setbacks */
route_handler setbacks_api_list;       /* GET /api/v1/setbacks */
route_handler timeline_api_create;     /* POST /api/v1/timeline */
route_handler timeline_api_list;       /* GET /api/v1/timeline */

/* What parting and closing an account run on this room's tables. */
extern const struct room_sql notes_sql;

/* What a counsellor may see of notes (features/counsel.c): v's own small
 * wins and setbacks, as {id, day, which: "win" | "setback", text,
 * helped}; NULL on a storage error. */
json_t *notes_counsel(struct req *r, const struct viewer *v);

/* A copy of v's own timeline note id for their counsellor
 * (features/counsel.c, when v sends it): {id, day, title, trust}, or JSON
 * null when v wrote no such note. */
json_t *notes_counsel_item(struct req *r, const struct viewer *v, long long id);

/* What a counsellor may see of disclosures (features/counsel.c): the
 * notes of disclosures v wrote, as {id, day, text}; NULL on a storage
 * error. */
json_t *disclosure_counsel(struct req *r, const struct viewer *v);

#endif
