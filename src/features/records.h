/* records.h: the couple's records (issue 5): triggers and the plans agreed
 * for them, hard dates, disclosures, the no-contact commitment, promises
 * and their outcomes, small wins and setbacks, the trust timeline and the
 * private journal. API handlers, pages, the home-page section, and the one
 * query the calendar feed needs (hard_dates_upcoming).
 *
 * Where each capability lives: trigger.c (triggers, plans), harddate.c
 * (hard dates), truth.c (disclosures, no contact), promise.c, notes.c
 * (wins, setbacks, timeline: dated shared notes), journal.c, and
 * records_common.c (sealing, input checks, the records hub page). */
#ifndef TROTH_FEATURE_RECORDS_H
#define TROTH_FEATURE_RECORDS_H

#include <sqlite3.h>
#include <stdbool.h>

#include "../http/req.h"

/* The home-page section (home.c): overdue and due-today promises, upcoming
 * hard dates with the plan to prepare. Writes nothing when nothing is due. */
void records_home(struct req *r);

/* ---- pages ---- */
void records_page(struct req *r);            /* GET /records: the hub */
void journal_page(struct req *r);            /* GET /journal */
void journal_post(struct req *r);            /* POST /journal */
void journal_share_post(struct req *r);      /* POST /journal/:id/share */

/* ---- API (docs/api.md, "Records") ---- */
void api_journal_create(struct req *r);
void api_journal_list(struct req *r);
void api_journal_get(struct req *r);
void api_journal_share(struct req *r);
void api_journal_shared_list(struct req *r);

#endif
