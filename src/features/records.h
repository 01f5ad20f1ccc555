/* records.h: the records hub (records.c): the page that lists the
 * couple's records and the home-page link to it. Each record kind has its
 * own file and header: trigger.h (triggers, plans), harddate.h (hard
 * dates), truth.h (disclosures, no contact), record_setting.h (their
 * couple-wide settings), promise.h, notes.h (wins, setbacks, the trust
 * timeline), journal.h. */
#ifndef TROTH_FEATURE_RECORDS_H
#define TROTH_FEATURE_RECORDS_H

#include "../http/req.h"

/* GET /records: the hub, a card per record kind. */
route_handler records_page;

#endif
