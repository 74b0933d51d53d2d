/* dify_retrieve.c: Dify's POST /v1/datasets/{dataset_id}/retrieve: query,
 * retrieval_model {search_method, top_k, score_threshold_enabled,
 * score_threshold} (also accepted at the top level), answering records of
 * {segment (with its document), score}. The chat scope headers narrow it
 * when given: X-External-Org-Id to that org's documents, X-External-Roles
 * (a JSON array; none with an org means no role) to documents whose
 * allowed roles, when set, share one. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "api/api.h"
#include "api/util.h"
#include "api/dify_retrieve.h"
#include "api/scope.h"
#include "search/search.h"
#include "store/store.h"
#include "http/router.h"

#include <stdlib.h>
#include <string.h>

struct retrieve_arg {
	struct qctx *c;
	const char *query;
	int method;
	size_t top_k;
	double threshold;
	int use_threshold;
	json_t *records;
	const char *org;            /* scope headers: NULL / NULL when absent */
	json_t *roles;
};

static json_t *segment_json(json_t *chunk, json_t *doc)
{
	json_t *seg = json_pack("{s:O, s:I, s:O, s:O, s:I, s:I, s:[], s:O, s:I, s:b, s:n, s:n,"
				" s:s, s:o, s:o}",
				"id", json_object_get(chunk, "id") ?: json_null(),
				"position", json_integer_value(json_object_get(chunk, "position")) + 1,
				"document_id", json_object_get(chunk, "document_id"),
				"content", json_object_get(chunk, "text"),
				"word_count", json_integer_value(json_object_get(chunk, "words")),
				"tokens", json_integer_value(json_object_get(chunk, "tokens")),
				"keywords",
				"index_node_id", json_object_get(chunk, "id") ?: json_null(),
				"hit_count", json_integer_value(json_object_get(chunk, "hit_count")),
				"enabled", 1, "disabled_at", "disabled_by", "status", "completed",
				"created_at", api_unix_time(chunk, "created_us"),
				"document", json_pack("{s:O, s:s, s:s}", "id", json_object_get(doc, "id"),
						      "data_source_type", "upload_file", "name",
						      api_str(doc, "title")));
	if (seg) {
		json_object_set_new(seg, "page", json_integer(json_integer_value(json_object_get(chunk, "page"))));
		json_object_set_new(seg, "section", json_string(api_str(chunk, "section")));
	}
	return seg;
}

static enum qstatus retrieve_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct retrieve_arg *a = arg;
	struct search_filter f = {.account = a->c->who.account, .kb = qctx_param(a->c, "dataset_id"),
				  .org = a->org, .roles = a->roles};
	struct search_hit *hits = NULL;
	size_t n = 0;
	json_t *kb;
	enum qstatus st = store_get(t, T_KBS, f.kb, &kb, 0, err);
	if (st == Q_OK && strcmp(api_str(kb, "account"), f.account))
		st = Q_ENOTFOUND;
	if (st == Q_OK)
		json_decref(kb);
	if (st == Q_ENOTFOUND)
		return qerr_set(err, Q_ENOTFOUND, NULL, "Dataset not found");
	if (st != Q_OK)
		return st;
	json_array_clear(a->records);
	st = search_run(t, a->c->app->conf, &f, (enum search_method)a->method, a->query, a->top_k,
			&hits, &n, err);
	for (size_t i = 0; st == Q_OK && i < n; i++) {
		json_t *chunk, *doc;
		if (a->use_threshold && hits[i].score < a->threshold)
			break;
		if ((st = store_get(t, T_CHUNKS, hits[i].chunk, &chunk, 0, err)) != Q_OK)
			break;
		if ((st = store_get(t, T_DOCS, hits[i].doc, &doc, 0, err)) != Q_OK) {
			json_decref(chunk);
			break;
		}
		json_array_append_new(a->records, json_pack("{s:o, s:f, s:n}", "segment",
							    segment_json(chunk, doc), "score",
							    hits[i].score, "tsne_position"));
		json_decref(chunk);
		json_decref(doc);
	}
	free(hits);
	return st;
}

enum qstatus api_dify_retrieve(struct qctx *c)
{
	const struct qconf *conf = c->app->conf;
	struct retrieve_arg a = {.c = c, .method = SEARCH_HYBRID, .top_k = 10};
	json_t *body, *model, *v;
	enum qstatus st = qreq_json(c->req, conf->max_json, conf->max_json_depth, &body, &c->err);
	if (st != Q_OK)
		return st;
	a.query = json_string_value(json_object_get(body, "query"));
	if (!a.query || !*a.query) {
		st = qerr_set(&c->err, Q_EINVAL, "query", "query is required");
		goto out;
	}
	model = json_object_get(body, "retrieval_model");
	if (!json_is_object(model))
		model = body;
	if ((v = json_object_get(model, "search_method"))) {
		a.method = json_is_string(v) ? search_method_parse(json_string_value(v)) : -1;
		if (a.method < 0) {
			st = qerr_set(&c->err, Q_EINVAL, "search_method", "search_method must be "
				      "keyword_search, semantic_search or hybrid_search");
			goto out;
		}
	}
	if ((v = json_object_get(model, "top_k"))) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 1000) {
			st = qerr_set(&c->err, Q_EINVAL, "top_k", "top_k must be from 1 to 1000");
			goto out;
		}
		a.top_k = (size_t)json_integer_value(v);
	}
	if ((v = json_object_get(model, "score_threshold")) && json_is_number(v)) {
		a.threshold = json_number_value(v);
		json_t *en = json_object_get(model, "score_threshold_enabled");
		a.use_threshold = en ? json_is_true(en) : 1;
	}
	/* scope headers (api/scope.h) */
	const char *org = qreq_param(c->req, "HTTP_X_EXTERNAL_ORG_ID");
	const char *rv = qreq_param(c->req, "HTTP_X_EXTERNAL_ROLES");
	if (*rv && !(a.roles = chat_roles_parse(rv, "X-External-Roles", &c->err))) {
		st = c->err.st;
		goto out;
	}
	if (*org) {
		a.org = org;
		if (!a.roles)
			a.roles = json_array();
	}
	a.records = json_array();
	if ((st = store_run(c->app->store, retrieve_fn, &a, &c->err)) != Q_OK) {
		json_decref(a.records);
		goto out;
	}
	qresp_json_new(c->resp, 200, json_pack("{s:{s:s}, s:o}", "query", "content", a.query,
					       "records", a.records));
out:
	json_decref(a.roles);
	json_decref(body);
	return st;
}
