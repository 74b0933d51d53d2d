/* health.c: GET /health, unauthenticated liveness for monitors and
 * tests; it touches the database so a wedged worker does not look alive. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "api/api.h"
#include "api/health.h"
#include "store/store.h"

static enum qstatus ping_fn(struct stxn *t, void *arg, struct qerr *err)
{
	json_t *rec;
	enum qstatus st = store_get(t, T_ACCOUNTS, "-", &rec, 0, err);
	if (st == Q_OK)
		json_decref(rec);
	return st == Q_ENOTFOUND ? Q_OK : st;
}

enum qstatus api_health(struct qctx *c)
{
	enum qstatus st = store_run(c->app->store, ping_fn, NULL, &c->err);
	if (st == Q_OK)
		qresp_json_new(c->resp, 200, json_pack("{s:s}", "status", "ok"));
	return st;
}
