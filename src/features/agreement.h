/* agreement.h: the couple's written agreements, versioned. A partner
 * proposes a text; only the other partner can accept it; a version is in
 * force from its acceptance until a newer version is accepted. Every
 * version is kept with who proposed and accepted it, and when. */
#ifndef TROTH_AGREEMENT_H
#define TROTH_AGREEMENT_H

#include "../http/req.h"

void api_agreements_list(struct req *r);
void api_agreement_create(struct req *r);
void api_agreement_version_create(struct req *r);
void api_agreement_version_accept(struct req *r);
void page_agreements(struct req *r);
void page_agreement_create_post(struct req *r);
void page_agreement_version_post(struct req *r);
void page_agreement_accept_post(struct req *r);
/* Home: proposals waiting for the viewer and agreements due for review. */
void agreement_home(struct req *r);

#endif
