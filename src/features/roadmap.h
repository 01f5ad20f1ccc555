/* roadmap.h: the road a couple walks (content/roadmap.txt, or a file given
 * with `troth serve --content FILE`), each partner's progress per step, and
 * the roadmap's API, pages and home section. */
#ifndef TROTH_ROADMAP_H
#define TROTH_ROADMAP_H

#include <stdbool.h>
#include <stddef.h>

#include <sqlite3.h>

#include "../http/req.h"

#define ROADMAP_MAX_STEPS 99
#define ROADMAP_MAX_FEATURES 4

enum roadmap_concerns { RM_BOTH = 0, RM_HURT, RM_ACCOUNTABLE };

struct roadmap_link {
	const char *path, *label;
};

struct roadmap_step {
	int number;
	const char *title, *purpose, *hurt, *accountable, *done;
	enum roadmap_concerns concerns;
	struct roadmap_link features[ROADMAP_MAX_FEATURES];
	int nfeatures;
	int phase;                    /* index into phases */
};

struct roadmap_phase {
	const char *id, *title, *summary;
	int first, count;             /* steps[first .. first+count) */
};

struct roadmap {
	struct roadmap_phase *phases;
	int nphases;
	struct roadmap_step *steps;   /* steps[i].number == i + 1 */
	int nsteps;
	char *text;                   /* the file, cut in place */
};

/* Parses and validates a roadmap file text[0..len). Returns a new roadmap
 * (free with roadmap_free), or NULL with "line N: what is wrong" in err. */
struct roadmap *roadmap_parse(const char *text, size_t len, char *err, size_t errlen);
void roadmap_free(struct roadmap *rm);

/* The roadmap in use: the compiled-in file unless roadmap_load_file ran.
 * Never NULL once roadmap_init succeeded. */
const struct roadmap *roadmap_get(void);
/* Parses the compiled-in file (called at first use; call it at start-up to
 * fail early). Returns 0, or -1 with the reason in err. */
int roadmap_init(char *err, size_t errlen);
/* Replaces the roadmap with the file at path (for `troth serve --content`),
 * before the server starts. Returns 0, or -1 with "PATH: line N: ..." in
 * err, leaving the roadmap in use unchanged. */
int roadmap_load_file(const char *path, char *err, size_t errlen);
/* Frees the roadmap in use (clean exit). */
void roadmap_shutdown(void);

/* API: GET /api/v1/roadmap, PUT /api/v1/roadmap/steps/:number */
route_handler roadmap_api_get, roadmap_api_step_put;
/* Pages: GET /roadmap, GET and POST /roadmap/steps/:number */
route_handler roadmap_page, roadmap_step_page, roadmap_step_post;
/* Home: the current phase and the viewer's next step. */
route_handler roadmap_home;

struct viewer;
/* When a step last moved (a status other than not started), for either
 * partner of v's couple: seconds since 1970 in *at, 0 when none has.
 * Returns SQLITE_OK or an error. */
int roadmap_last_moved(struct req *r, const struct viewer *v, long long *at);

/* How far v's couple has come on the steps about finding a counsellor
 * (those that point to /guidance/counselling), either partner: 0 none
 * started, 1 under way, 2 done, into *status. Returns SQLITE_OK or an
 * error. */
int roadmap_help_status(struct req *r, const struct viewer *v, int *status);

/* Stores user_id's status ("not_started", "in_progress", "done") for step
 * inside the write transaction of w, at `at`; with keep_note the note
 * stays as it was, else it becomes note (NULL or "": none), sealed under
 * the author's data_key. For the pages, the API, the demo and tests.
 * Returns SQLITE_OK or an error. */
int roadmap_store_progress(sqlite3 *w, const unsigned char *data_key, long long couple_id,
			   long long user_id, int step, const char *status, const char *note,
			   bool keep_note, long long at);

/* What parting and closing an account run on this room's tables. */
extern const struct room_sql roadmap_sql;

/* What a counsellor may see of the road (features/counsel.c): the steps
 * v has begun or done, as {id, day (last moved), step, title, status},
 * never a note; NULL on a storage error. */
json_t *roadmap_counsel(struct req *r, const struct viewer *v);

#endif
