/* dify_documents.c: Dify's knowledge API: GET /v1/datasets/{dataset_id}/documents/
 * {document_id}?metadata=all|only|without, every field filled from the
 * document record. Errors {"code", "message", "status"}. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "api/api.h"
#include "api/util.h"
#include "api/dify_documents.h"
#include "http/auth.h"
#include "store/docs.h"
#include "pipeline/split.h"
#include "pipeline/chunk_rule.h"
#include "store/store.h"
#include "http/router.h"

#include <stdio.h>
#include <stdlib.h>
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

/* Quire keeps a rule inside its knowledge base or document, not as a row of
 * its own: a rule's id is a UUID made from the SHA-256 of the knowledge
 * base id and the complete rule, so it is stable while the rule is and
 * changes with it, and a document under its knowledge base's rule shares
 * the knowledge base rule's id. id >= 37 bytes. */
static void rule_id(const char *kb, json_t *flat, char *id)
{
	json_t *full = split_rule_dify(flat);
	char *text = full ? json_dumps(full, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	char *in = NULL, hash[72];
	if (text && asprintf(&in, "%s\n%s", kb, text) < 0)
		in = NULL;
	auth_key_hash(in ? in : kb, hash);
	hash[12] = '5';   /* version nibble of a name-based UUID */
	hash[16] = "89ab"[hash[16] % 4];
	snprintf(id, 37, "%.8s-%.4s-%.4s-%.4s-%.12s", hash, hash + 8, hash + 12, hash + 16,
		 hash + 20);
	free(in);
	free(text);
	json_decref(full);
}

/* Dify's dataset_process_rule: the knowledge base's rule with its id. */
static json_t *kb_process_rule(json_t *kb, const char *kb_id)
{
	char id[37];
	json_t *flat = json_object_get(kb, "process_rule");
	json_t *o = split_rule_dify(json_is_object(flat) ? flat : NULL);
	rule_id(kb_id, json_is_object(flat) ? flat : NULL, id);
	if (o)
		json_object_set_new(o, "id", json_string(id));
	return o;
}

static json_t *latency(json_t *rec)
{
	json_t *done = json_object_get(rec, "completed_us");
	json_t *start = json_object_get(rec, "parsing_us");
	if (!json_is_integer(done) || !json_is_integer(start))
		return json_null();
	return json_real((double)(json_integer_value(done) - json_integer_value(start)) / 1e6);
}

/* The times of the ingest stages as Dify's indexing status names them:
 * each stage ends when the next one starts (docs/api.md). */
static void stage_times(json_t *o, json_t *rec)
{
	static const char *const dify[] = {"processing_started_at", "parsing_completed_at",
					   "cleaning_completed_at", "splitting_completed_at"};
	static const char *const ours[] = {"parsing_us", "cleaning_us", "splitting_us",
					   "indexing_us"};
	for (int i = 0; i < 4; i++)
		json_object_set_new(o, dify[i], api_unix_time(rec, ours[i]));
}

static json_t *dify_document(json_t *rec, json_t *kb, const char *metadata)
{
	json_t *meta = json_object_get(rec, "metadata");
	meta = json_is_array(meta) ? json_incref(meta) : json_array();
	if (!strcmp(metadata, "only"))
		return json_pack("{s:s, s:n, s:o}", "id", api_str(rec, "id"), "doc_type",
				 "doc_metadata", meta);
	json_int_t segs = json_integer_value(json_object_get(rec, "segment_count"));
	json_int_t chars = json_integer_value(json_object_get(rec, "plain_chars"));
	/* The upload file's own UUID (docs.c); records from before it had
	 * one show the document id, never a content hash. */
	const char *source = *api_str(rec, "upload_file_id") ? api_str(rec, "upload_file_id")
							      : api_str(rec, "id");
	char rid[37];
	json_t *flat = json_object_get(rec, "process_rule");
	rule_id(api_str(rec, "kb"), json_is_object(flat) ? flat : NULL, rid);
	json_t *o = json_pack(
		"{s:s, s:I, s:s, s:{s:s}, s:s, s:{s:s, s:s}, s:o, s:s, s:s, s:s, s:o, s:I,"
		" s:s, s:O, s:b, s:n, s:n, s:b, s:s, s:I, s:I, s:s, s:O}",
		"id", api_str(rec, "id"),
		"position", json_integer_value(json_object_get(rec, "position")),
		"data_source_type", "upload_file",
		"data_source_info", "upload_file_id", source,
		"dataset_process_rule_id", rid,
		"dataset_process_rule", "id", "", "mode", "custom",
		"document_process_rule", process_rule(rec),
		"name", api_str(rec, "title"),   /* one title in every face */
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
	json_object_set_new(o, "dataset_process_rule", kb_process_rule(kb, api_str(rec, "kb")));
	stage_times(o, rec);
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
	json_t *doc, *kb;
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
	json_decref(a->kb);
	a->kb = NULL;
	st = store_get(t, T_KBS, api_str(a->doc, "kb"), &a->kb, 0, err);
	if (st == Q_ENOTFOUND) {   /* the rule then shows its defaults */
		qerr_clear(err);
		st = Q_OK;
	}
	return st;
}

enum qstatus api_dify_document_get(struct qctx *c)
{
	char metadata[16] = "all";
	int r = qreq_query(c->req, "metadata", metadata, sizeof metadata);
	if (r < 0 || (r > 0 && strcmp(metadata, "all") && strcmp(metadata, "only") &&
		      strcmp(metadata, "without")))
		return qerr_set(&c->err, Q_EINVAL, "metadata", "metadata must be all, only or without");
	struct get_arg a = {c, NULL, NULL};
	enum qstatus st = store_run(c->app->store, get_fn, &a, &c->err);
	if (st != Q_OK) {
		json_decref(a.doc);
		json_decref(a.kb);
		return st;
	}
	qresp_json_new(c->resp, 200, dify_document(a.doc, a.kb, metadata));
	json_decref(a.doc);
	json_decref(a.kb);
	return Q_OK;
}
