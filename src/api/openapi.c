/* openapi.c: GET /openapi.yaml, the OpenAPI 3.1 description of the five
 * route families (docs/openapi.yaml, compiled in by make as
 * openapi_doc.c), unauthenticated like /health. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "api/api.h"
#include "api/openapi.h"

#include <string.h>

enum qstatus api_openapi(struct qctx *c)
{
	struct qresp *r = c->resp;
	r->status = 200;
	qresp_header(r, "Content-Type", "application/yaml; charset=utf-8");
	qbuf_reset(&r->body);
	if (qbuf_add(&r->body, api_openapi_yaml, strlen(api_openapi_yaml)) < 0)
		return qerr_set(&c->err, Q_ENOMEM, NULL, "out of memory");
	return Q_OK;
}
