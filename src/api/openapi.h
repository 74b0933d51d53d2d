/* openapi.h: GET /openapi.yaml, the OpenAPI 3.1 description of the five
 * route families (docs/openapi.yaml, compiled in by make as openapi_doc.c),
 * unauthenticated like /health. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_API_OPENAPI_H
#define QUIRE_API_OPENAPI_H

#include "api/api.h"

/* GET /openapi.yaml (openapi.c): docs/openapi.yaml, compiled in. */
enum qstatus api_openapi(struct qctx *c);

#endif
