/* truth.h: disclosures and the no-contact commitment (truth.c). The
 * full-disclosure day and the commitment are couple settings
 * (record_setting.h); the lists of disclosures and contacts are dated notes
 * (notes.h). */
#ifndef TROTH_FEATURE_TRUTH_H
#define TROTH_FEATURE_TRUTH_H

#include "../http/req.h"

/* ---- pages and API ---- */
route_handler disclosure_page;         /* GET /disclosures */
route_handler disclosure_date_post;    /* POST /disclosures/full */
route_handler disclosure_post;         /* POST /disclosures */
route_handler nocontact_page;          /* GET /no-contact */
route_handler nocontact_post;          /* POST /no-contact */
route_handler nocontact_breach_post;   /* POST /no-contact/breaches */
route_handler disclosure_api_set;      /* PUT /api/v1/disclosure */
route_handler disclosure_api_create;   /* POST /api/v1/disclosures */
route_handler disclosure_api_list;     /* GET /api/v1/disclosures */
route_handler nocontact_api_set;       /* PUT /api/v1/no-contact */
route_handler nocontact_api_breach;    /* POST /api/v1/no-contact/breaches */
route_handler nocontact_api_get;       /* GET /api/v1/no-contact */

struct viewer;
/* The couple's full-disclosure day and no-contact commitment, as the
 * disclosures and no-contact APIs give them, as a list of one (none set:
 * empty), for the export; NULL after answering. */
json_t *truth_export(struct req *r, const struct viewer *v);

#endif
