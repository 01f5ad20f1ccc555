/* harness.h: routes compiled only into test builds (TROTH_TEST_ROUTES), for
 * the crash-safety harness: numbered records written through the one writer. */
#ifndef TROTH_HARNESS_H
#define TROTH_HARNESS_H

#include "../http/req.h"

/* POST /api/v1/_test/records {"n": N} → 201 {"n": N} once it is committed. */
route_handler harness_write;
/* GET /api/v1/_test/records → {"ns":[...]} every committed number. */
route_handler harness_list;

#endif
