/* upload_tokens.c: POST /api/v1/upload-tokens, minting a signed token a
 * site puts in a plain HTML form's hidden field (docs/form-upload.md):
 * the token says which account, knowledge base, org, folder and roles the
 * files go to, how many files, bytes and which types, where the browser
 * goes afterwards and from which origins it may post, until when, and
 * whether it works once. The answer also gives the form's action. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "api/api.h"
#include "api/util.h"
#include "api/upload_tokens.h"
#include "http/uptoken.h"
#include "store/store.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>

struct mint_arg {
	struct qctx *c;
	json_t *req, *claims;
	char *token;
};

static enum qstatus mint_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct mint_arg *a = arg;
	free(a->token);
	json_decref(a->claims);
	return uptoken_mint(t, a->c->app->conf, a->c->who.account, a->c->who.key_id, a->req,
			    &a->token, &a->claims, err);
}

/* The answer (new): token, the form's action, the status route, and what
 * the token allows. */
static json_t *mint_answer(struct qctx *c, const char *token, json_t *claims)
{
	char base[512], action[600], status[600], exp[32];
	api_base_url(c, base, sizeof base);
	snprintf(action, sizeof action, "%s/forms/upload", base);
	snprintf(status, sizeof status, "%s/forms/status", base);
	q_iso8601((int64_t)json_integer_value(json_object_get(claims, "exp")) * 1000000, exp,
		  sizeof exp);
	json_t *redirect = json_object_get(claims, "redirect");
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:O, s:O, s:O, s:O, s:O, s:O}",
			 "token", token, "action", action, "status_url", status,
			 "expires_at", exp,
			 "expires_at_unix", json_integer_value(json_object_get(claims, "exp")),
			 "knowledge_base", json_string_value(json_object_get(claims, "kb")),
			 "redirect_url", redirect ? redirect : json_null(),
			 "origins", json_object_get(claims, "origins"),
			 "max_files", json_object_get(claims, "files"),
			 "max_bytes", json_object_get(claims, "bytes"),
			 "types", json_object_get(claims, "types"),
			 "single_use", json_object_get(claims, "once"));
}

enum qstatus api_upload_tokens_create(struct qctx *c)
{
	const struct qconf *conf = c->app->conf;
	struct mint_arg a = {.c = c};
	enum qstatus st = qreq_json(c->req, conf->max_json, conf->max_json_depth, &a.req, &c->err);
	if (st == Q_OK)
		st = store_run(c->app->store, mint_fn, &a, &c->err);
	if (st == Q_OK)
		qresp_json_new(c->resp, 201, mint_answer(c, a.token, a.claims));
	free(a.token);
	json_decref(a.claims);
	json_decref(a.req);
	return st;
}
