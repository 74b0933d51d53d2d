/* api_dify.c: Dify's knowledge API: GET /v1/datasets/{dataset_id}/documents/
 * {document_id}?metadata=all|only|without, every field filled from the
 * document record. Errors {"code", "message", "status"}. */
#include "config.h"
#include "api.h"
#include "docs.h"
#include "split.h"
#include "store.h"

#include <string.h>

static const char *display_status(json_t *rec)
{
	const char *s = api_str(rec, "indexing_status");
	if (json_is_true(json_object_get(rec, "archived")))
		return "archived";
	if (!json_is_true(json_object_get(rec, "enabled")))
		return "disabled";
	if (!strcmp(s, "completed"))
		return "available";
	if (!strcmp(s, "waiting"))
		return "queuing";
	if (!strcmp(s, "error") || !strcmp(s, "paused"))
		return s;
	return "indexing";
}

/* The Dify document process rule from the stored flat rule. */
static json_t *process_rule(json_t *rec)
{
	return split_rule_dify(json_object_get(rec, "process_rule"));
}

static json_t *latency(json_t *rec)
{
	json_t *done = json_object_get(rec, "completed_us");
	json_t *start = json_object_get(rec, "parsing_us");
	if (!json_is_integer(done) || !json_is_integer(start))
		return json_null();
	return json_real((double)(json_integer_value(done) - json_integer_value(start)) / 1e6);
}

static json_t *dify_document(json_t *rec, const char *metadata)
{
	json_t *meta = json_object_get(rec, "metadata");
	meta = json_is_array(meta) ? json_incref(meta) : json_array();
	if (!strcmp(metadata, "only"))
		return json_pack("{s:s, s:n, s:o}", "id", api_str(rec, "id"), "doc_type",
				 "doc_metadata", meta);
	json_int_t segs = json_integer_value(json_object_get(rec, "segment_count"));
	json_int_t chars = json_integer_value(json_object_get(rec, "char_count"));
	const char *source = *api_str(rec, "blob") ? api_str(rec, "blob") : api_str(rec, "id");
	json_t *o = json_pack(
		"{s:s, s:I, s:s, s:{s:s}, s:s, s:{s:s, s:s}, s:o, s:s, s:s, s:s, s:o, s:I,"
		" s:s, s:O, s:b, s:n, s:n, s:b, s:s, s:I, s:I, s:s, s:O}",
		"id", api_str(rec, "id"),
		"position", json_integer_value(json_object_get(rec, "position")),
		"data_source_type", "upload_file",
		"data_source_info", "upload_file_id", source,
		"dataset_process_rule_id", api_str(rec, "kb"),
		"dataset_process_rule", "id", api_str(rec, "kb"), "mode", "custom",
		"document_process_rule", process_rule(rec),
		"name", *api_str(rec, "file_name") ? api_str(rec, "file_name") : api_str(rec, "title"),
		"created_from", *api_str(rec, "created_from") ? api_str(rec, "created_from") : "api",
		"created_by", api_str(rec, "created_by"),
		"created_at", api_unix_time(rec, "created_us"),
		"tokens", json_integer_value(json_object_get(rec, "tokens")),
		"indexing_status", api_str(rec, "indexing_status"),
		"error", json_object_get(rec, "error") ?: json_null(),
		"enabled", json_is_true(json_object_get(rec, "enabled")),
		"disabled_at", "disabled_by",
		"archived", json_is_true(json_object_get(rec, "archived")),
		"display_status", display_status(rec),
		"word_count", json_integer_value(json_object_get(rec, "word_count")),
		"hit_count", json_integer_value(json_object_get(rec, "hit_count")),
		"doc_form", "text_model",
		"doc_language", json_object_get(rec, "doc_language") ?: json_null());
	if (!o) {
		json_decref(meta);
		return NULL;
	}
	json_object_set_new(o, "completed_at", api_unix_time(rec, "completed_us"));
	json_object_set_new(o, "updated_at", api_unix_time(rec, "updated_us"));
	json_object_set_new(o, "indexing_latency", latency(rec));
	json_object_set_new(o, "segment_count", json_integer(segs));
	json_object_set_new(o, "average_segment_length", json_integer(segs ? chars / segs : 0));
	json_object_set_new(o, "summary_index_status", json_null());
	json_object_set_new(o, "need_summary", json_false());
	if (!strcmp(metadata, "without")) {
		json_decref(meta);
	} else {
		json_object_set_new(o, "doc_type", json_null());
		json_object_set_new(o, "doc_metadata", meta);
	}
	return o;
}

struct get_arg {
	struct qctx *c;
	json_t *doc;
};

static enum qstatus get_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct get_arg *a = arg;
	enum qstatus st = doc_get(t, a->c->who.account, qctx_param(a->c, "document_id"), 0,
				  &a->doc, err);
	if (st != Q_OK)
		return st;
	if (strcmp(api_str(a->doc, "kb"), qctx_param(a->c, "dataset_id"))) {
		json_decref(a->doc);
		a->doc = NULL;
		return qerr_set(err, Q_ENOTFOUND, NULL, "Document not found");
	}
	return Q_OK;
}

enum qstatus api_dify_document_get(struct qctx *c)
{
	char metadata[16] = "all";
	int r = qreq_query(c->req, "metadata", metadata, sizeof metadata);
	if (r < 0 || (r > 0 && strcmp(metadata, "all") && strcmp(metadata, "only") &&
		      strcmp(metadata, "without")))
		return qerr_set(&c->err, Q_EINVAL, "metadata", "metadata must be all, only or without");
	struct get_arg a = {c, NULL};
	enum qstatus st = store_run(c->app->store, get_fn, &a, &c->err);
	if (st != Q_OK)
		return st;
	qresp_json_new(c->resp, 200, dify_document(a.doc, metadata));
	json_decref(a.doc);
	return Q_OK;
}
