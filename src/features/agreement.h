/* agreement.h: the couple's written agreements, versioned. A partner
 * proposes a text; only the other partner can accept it; a version is in
 * force from its acceptance until a newer version is accepted. Every
 * version is kept with who proposed and accepted it, and when. */
#ifndef TROTH_AGREEMENT_H
#define TROTH_AGREEMENT_H

#include "../http/req.h"

void agreement_api_list(struct req *r);
void agreement_api_create(struct req *r);
void agreement_api_version_create(struct req *r);
void agreement_api_version_accept(struct req *r);
void agreement_page(struct req *r);
void agreement_post(struct req *r);
void agreement_version_post(struct req *r);
void agreement_accept_post(struct req *r);
/* Home: proposals waiting for the viewer and agreements due for review. */
void agreement_home(struct req *r);

#endif
