/* truth.h: disclosures and the no-contact commitment (truth.c). The
 * full-disclosure day and the commitment are couple settings
 * (record_setting.h); the lists of disclosures and contacts are dated notes
 * (notes.h). */
#ifndef TROTH_FEATURE_TRUTH_H
#define TROTH_FEATURE_TRUTH_H

#include "../http/req.h"

/* ---- pages and API ---- */
void disclosure_page(struct req *r);         /* GET /disclosures */
void disclosure_date_post(struct req *r);    /* POST /disclosures/full */
void disclosure_post(struct req *r);         /* POST /disclosures */
void nocontact_page(struct req *r);          /* GET /no-contact */
void nocontact_post(struct req *r);          /* POST /no-contact */
void nocontact_breach_post(struct req *r);   /* POST /no-contact/breaches */
void disclosure_api_set(struct req *r);      /* PUT /api/v1/disclosure */
void disclosure_api_create(struct req *r);   /* POST /api/v1/disclosures */
void disclosure_api_list(struct req *r);     /* GET /api/v1/disclosures */
void nocontact_api_set(struct req *r);       /* PUT /api/v1/no-contact */
void nocontact_api_breach(struct req *r);    /* POST /api/v1/no-contact/breaches */
void nocontact_api_get(struct req *r);       /* GET /api/v1/no-contact */

#endif
