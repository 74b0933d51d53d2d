/* app.h: request dispatch. A route table {method, pattern, handler, family,
 * scope} (routes.c), authentication, and error rendering in each route
 * family's own shape (errors.c). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_APP_H
#define QUIRE_APP_H

#include "http/auth.h"
#include "base/conf.h"
#include "http/http.h"
#include "base/status.h"

struct store;

/* The five route families (docs/api.md). */
enum family {
	FAM_NATIVE,   /* /api/v1/...            (ChatIQ) */
	FAM_DIFY,     /* /v1/datasets/...       (Dify) */
	FAM_CHAT,     /* /api/ai/chat...        (DocBit) */
	FAM_CUSTOM,   /* /external/sources/...  (ChatAid) */
	FAM_SLUG,     /* /api/knowledge-base/.. (Oshara) */
	FAM_CHAT_STREAM,  /* /api/ai/chat/stream (DocBit): errors as an SSE
			   * error event with the error's status */
	FAM_FORM,     /* /forms/...  plain HTML forms: errors as HTML pages */
	FAM_MAX
};

struct route;
struct app {
	const struct qconf *conf;   /* borrowed */
	struct store *store;        /* borrowed */
	const struct route *routes; /* the route table (api/routes.c), NULL-method ended */
};

#define ROUTE_PARAMS 4
struct qctx;
typedef enum qstatus (*handler_fn)(struct qctx *c);

struct route {
	const char *method;
	const char *pattern;      /* "/api/v1/documents/:id" */
	handler_fn fn;
	enum family fam;
	unsigned scope;           /* required scope; 0 = no key needed */
};

/* Per-request context handed to handlers; lives on the worker's stack. */
struct qctx {
	struct app *app;
	struct qreq *req;
	struct qresp *resp;
	const struct route *route;
	struct principal who;
	int signed_link;          /* served on a signed file link: no key, no
				   * account (who is empty); the route checks
				   * the document itself */
	int nparams;
	const char *pnames[ROUTE_PARAMS];
	char pvalues[ROUTE_PARAMS][256];
	struct qerr err;
};

/* How long a worker keeps trusting a key it resolved (app.c's key cache):
 * a revoked key is refused by every worker at most this long after the
 * revocation committed. */
#define APP_KEY_CACHE_TTL_MS 2000

/* Authenticate c's request by its key and require scope (SCOPE_*): fills
 * c->who; Q_EAUTH (c->err says why) or Q_EFORBIDDEN. For handlers of
 * routes whose access is decided by more than a scope (/metrics). */
enum qstatus app_authenticate(struct qctx *c, unsigned scope);

/* Serve one request: resp is filled (not yet sent). */
void app_handle(struct app *a, struct qreq *req, struct qresp *resp);

#endif
