/* oshara_kb.c: Oshara's per-slug knowledge-base documents: GET
 * /api/knowledge-base/{slug}/documents/ (a bare array; id is the document's
 * position in the knowledge base). Uploads are in upload.c. Errors
 * {"detail": "..."}. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "api/api.h"
#include "api/views.h"
#include "api/util.h"
#include "api/oshara_kb.h"
#include "store/docs.h"
#include "store/accounts.h"
#include "store/store.h"
#include "http/router.h"

#include <stdio.h>
#include <string.h>

struct list_arg {
	struct qctx *c;
	char kb[37];
	json_t *out;
	char base[512];
};

static int list_one(json_t *rec, void *arg)
{
	struct list_arg *a = arg;
	if (!strcmp(api_str(rec, "kb"), a->kb))
		json_array_append_new(a->out, api_kb_document(a->c->app->conf, rec, a->base));
	return 0;
}

static enum qstatus list_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct list_arg *a = arg;
	size_t all;
	enum qstatus st = kb_find(t, a->c->who.account, qctx_param(a->c, "slug"), a->kb, err);
	if (st == Q_ENOTFOUND)
		return qerr_set(err, Q_ENOTFOUND, NULL, "Not found.");
	if (st != Q_OK)
		return st;
	json_array_clear(a->out);
	return doc_list(t, a->c->who.account, 0, (size_t)-1, list_one, a, &all, err);
}

enum qstatus api_kb_documents_list(struct qctx *c)
{
	struct list_arg a = {.c = c};
	api_base_url(c, a.base, sizeof a.base);
	a.out = json_array();
	enum qstatus st = store_run(c->app->store, list_fn, &a, &c->err);
	if (st != Q_OK) {
		json_decref(a.out);
		return st;
	}
	qresp_json_new(c->resp, 200, a.out);
	return Q_OK;
}
