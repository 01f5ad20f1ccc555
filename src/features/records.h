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

/* ---- the calendar feed and the home page ---- */

/* Called once per hard-date occurrence: the record id, the calendar day it
 * falls on (days since 1970-01-01) and whether it repeats yearly. Return 0
 * to go on, anything else to stop early. */
typedef int (*hard_date_fn)(void *arg, long long id, long day, bool yearly);

/* Lists the couple's hard dates that fall on a day in [from_day, to_day]
 * (inclusive), in day order: one-off dates on their day, yearly ones on
 * every anniversary from the first date on (29 February falls on 28
 * February in other years), across year ends. Reads only plain columns, so
 * it needs no key (the feed shows neutral titles). Returns SQLITE_OK, or
 * the SQLite error; a non-zero return of fn stops early with SQLITE_OK. */
int hard_dates_upcoming(sqlite3 *c, long long couple_id, long from_day, long to_day,
			hard_date_fn fn, void *arg);

/* The home-page section (home.c): overdue and due-today promises, upcoming
 * hard dates with the plan to prepare. Writes nothing when nothing is due. */
void records_home(struct req *r);

/* ---- pages ---- */
void records_page(struct req *r);            /* GET /records: the hub */
void hard_dates_page(struct req *r);         /* GET /hard-dates */
void hard_dates_post(struct req *r);         /* POST /hard-dates */
void hard_dates_notice_post(struct req *r);  /* POST /hard-dates/notice */
void disclosure_page(struct req *r);         /* GET /disclosures */
void disclosure_date_post(struct req *r);    /* POST /disclosures/full */
void disclosure_post(struct req *r);         /* POST /disclosures */
void nocontact_page(struct req *r);          /* GET /no-contact */
void nocontact_post(struct req *r);          /* POST /no-contact */
void nocontact_breach_post(struct req *r);   /* POST /no-contact/breaches */
void wins_page(struct req *r);               /* GET /wins */
void wins_post(struct req *r);               /* POST /wins */
void setbacks_page(struct req *r);           /* GET /setbacks */
void setbacks_post(struct req *r);           /* POST /setbacks */
void timeline_page(struct req *r);           /* GET /timeline */
void timeline_post(struct req *r);           /* POST /timeline */
void journal_page(struct req *r);            /* GET /journal */
void journal_post(struct req *r);            /* POST /journal */
void journal_share_post(struct req *r);      /* POST /journal/:id/share */

/* ---- API (docs/api.md, "Records") ---- */
void api_hard_dates_create(struct req *r);
void api_hard_dates_list(struct req *r);
void api_hard_dates_notice(struct req *r);
void api_disclosure_set(struct req *r);
void api_disclosures_create(struct req *r);
void api_disclosures_list(struct req *r);
void api_nocontact_set(struct req *r);
void api_nocontact_breach(struct req *r);
void api_nocontact_get(struct req *r);
void api_wins_create(struct req *r);
void api_wins_list(struct req *r);
void api_setbacks_create(struct req *r);
void api_setbacks_list(struct req *r);
void api_timeline_create(struct req *r);
void api_timeline_list(struct req *r);
void api_journal_create(struct req *r);
void api_journal_list(struct req *r);
void api_journal_get(struct req *r);
void api_journal_share(struct req *r);
void api_journal_shared_list(struct req *r);

#endif
