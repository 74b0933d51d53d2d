/* chatiq_embeddings.c: the ChatIQ embedding status and job APIs:
 * GET /api/v1/documents/:id/embeddings/status, GET /api/v1/embeddings/jobs,
 * POST /api/v1/embeddings/jobs/:id/retry. Progress counts are counts of the
 * document's embed jobs (one per chunk). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "api/api.h"
#include "api/util.h"
#include "api/chatiq_embeddings.h"
#include "api/chatiq_documents.h"
#include "store/docs.h"
#include "queue/queue.h"
#include "store/store.h"
#include "base/util.h"
#include "http/router.h"

#include <stdlib.h>
#include <string.h>

static json_t *job_json(json_t *job)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:O, s:o, s:o, s:o}",
			 "id", api_str(job, "id"), "document_id", api_str(job, "document_id"),
			 "status", api_str(job, "status"),
			 "attempts", json_integer_value(json_object_get(job, "attempts")),
			 "error", json_object_get(job, "error") ?: json_null(),
			 "created_at", api_iso_time(job, "created_us"),
			 "updated_at", api_iso_time(job, "updated_us"),
			 "locked_at", api_iso_time(job, "locked_at"));
}

/* ---- status --------------------------------------------------------------- */

struct status_arg {
	struct qctx *c;
	size_t n[4];              /* pending, processing, completed, failed */
	json_t *failed;
	char doc_status[16];      /* the document's indexing_status */
	json_t *doc_error;        /* its error (new), or NULL */
};

static enum qstatus status_fn(struct stxn *t, void *arg, struct qerr *err)
{
	static const char *names[] = {"pending", "processing", "completed", "failed"};
	struct status_arg *a = arg;
	const char *id = qctx_param(a->c, "id");
	json_t *doc;
	struct store_key k;
	struct store_ids ids = {0};
	enum qstatus st = doc_get(t, a->c->who.account, id, 0, &doc, err);
	if (st != Q_OK)
		return st;
	snprintf(a->doc_status, sizeof a->doc_status, "%s", api_str(doc, "indexing_status"));
	json_decref(a->doc_error);
	a->doc_error = json_incref(json_object_get(doc, "error"));
	json_t *updated = api_iso_time(doc, "updated_us");
	json_decref(doc);
	memset(a->n, 0, sizeof a->n);
	json_array_clear(a->failed);
	store_key_init(&k);
	store_key_str(&k, id);
	st = store_scan(t, I_JOBS_BY_DOC, &k, 0, 0, store_collect, &ids, err);
	for (size_t i = 0; st == Q_OK && i < ids.n; i++) {
		json_t *job;
		if ((st = store_get(t, T_JOBS, ids.ids[i], &job, 0, err)) != Q_OK)
			break;
		if (!strcmp(api_str(job, "kind"), "embed"))
			for (int s = 0; s < 4; s++)
				if (!strcmp(api_str(job, "status"), names[s])) {
					a->n[s]++;
					if (s == 3)
						json_array_append_new(a->failed, json_pack(
							"{s:O, s:o}", "error",
							json_object_get(job, "error") ?: json_null(),
							"created_at", api_iso_time(job, "updated_us")));
				}
		json_decref(job);
	}
	store_ids_free(&ids);
	/* Ingestion ended in error before any chunk (encrypted, corrupt,
	 * unsupported): a final state, with its reason, in failed_jobs. */
	if (st == Q_OK && !strcmp(a->doc_status, "error") && json_array_size(a->failed) == 0)
		json_array_append_new(a->failed, json_pack("{s:o, s:O}", "error",
			json_is_string(a->doc_error) ? json_incref(a->doc_error)
						     : json_string("ingestion failed"),
			"created_at", updated));
	json_decref(updated);
	return st;
}

enum qstatus api_embeddings_status(struct qctx *c)
{
	struct status_arg a = {.c = c, .failed = json_array()};
	enum qstatus st = store_run(c->app->store, status_fn, &a, &c->err);
	json_decref(a.doc_error);
	if (st != Q_OK) {
		json_decref(a.failed);
		return st;
	}
	size_t total = a.n[0] + a.n[1] + a.n[2] + a.n[3];
	const char *status;
	/* No view shows a non-final state for a document whose work ended
	 * (docs/api.md): the document's own final state decides first. */
	if (!strcmp(a.doc_status, "error") && a.n[0] == 0 && a.n[1] == 0)
		status = "failed";
	else if (total == 0 && !strcmp(a.doc_status, "completed"))
		status = "completed";
	else if (total == 0)
		status = "not_started";
	else if (a.n[0] == 0 && a.n[1] == 0 && doc_status_reading(a.doc_status))
		/* every job is finished, but they are the old content's: the
		 * document is being read again (a content update) */
		status = strcmp(a.doc_status, "waiting") ? "processing" : "pending";
	else if (a.n[2] == total)
		status = "completed";
	else if (a.n[0] == 0 && a.n[1] == 0)
		status = "failed";
	else if (a.n[1] > 0 || a.n[2] + a.n[3] > 0)
		status = "processing";
	else
		status = "pending";
	json_int_t pct = total ? (json_int_t)(a.n[2] * 100 / total) : !strcmp(status, "completed") ? 100 : 0;
	if (pct == 100 && strcmp(status, "completed"))
		pct = 99;   /* not done until the document's new content is */
	qresp_json_new(c->resp, 200,
		       json_pack("{s:s, s:s, s:{s:I, s:I, s:I, s:I, s:I}, s:I, s:o}",
				 "document_id", qctx_param(c, "id"), "status", status, "progress",
				 "total", (json_int_t)total, "pending", (json_int_t)a.n[0],
				 "processing", (json_int_t)a.n[1], "completed", (json_int_t)a.n[2],
				 "failed", (json_int_t)a.n[3], "percentage", pct,
				 "failed_jobs", a.failed));
	return Q_OK;
}

/* ---- jobs list ------------------------------------------------------------ */

struct jobs_arg {
	struct qctx *c;
	char doc[64], status[16];
	size_t limit, offset, total;
	json_t *jobs;
};

static enum qstatus jobs_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct jobs_arg *a = arg;
	struct store_key k;
	struct store_ids ids = {0};
	enum qstatus st;
	a->total = 0;
	json_array_clear(a->jobs);
	store_key_init(&k);
	store_key_str(&k, a->c->who.account);
	store_key_str(&k, "embed");
	st = store_scan(t, I_JOBS_BY_ACCOUNT, &k, 0, 0, store_collect, &ids, err);
	if (st == Q_OK && ids.oom)
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	/* Newest first, like the documents list. */
	for (size_t i = ids.n; st == Q_OK && i > 0; i--) {
		json_t *job;
		if ((st = store_get(t, T_JOBS, ids.ids[i - 1], &job, 0, err)) != Q_OK)
			break;
		if ((!a->doc[0] || !strcmp(a->doc, api_str(job, "document_id"))) &&
		    (!a->status[0] || !strcmp(a->status, api_str(job, "status")))) {
			if (a->total >= a->offset && a->total < a->offset + a->limit)
				json_array_append_new(a->jobs, job_json(job));
			a->total++;
		}
		json_decref(job);
	}
	store_ids_free(&ids);
	return st;
}

enum qstatus api_embeddings_jobs(struct qctx *c)
{
	struct jobs_arg a = {.c = c};
	enum qstatus st = api_page_params(c, 50, 100, &a.limit, &a.offset);
	if (st != Q_OK)
		return st;
	if (qreq_query(c->req, "document_id", a.doc, sizeof a.doc) < 0)
		return qerr_set(&c->err, Q_EINVAL, "document_id", "document_id is not valid");
	int r = qreq_query(c->req, "status", a.status, sizeof a.status);
	if (r < 0 || (r > 0 && strcmp(a.status, "pending") && strcmp(a.status, "processing") &&
		      strcmp(a.status, "completed") && strcmp(a.status, "failed")))
		return qerr_set(&c->err, Q_EINVAL, "status",
				"status must be pending, processing, completed or failed");
	a.jobs = json_array();
	if ((st = store_run(c->app->store, jobs_fn, &a, &c->err)) != Q_OK) {
		json_decref(a.jobs);
		return st;
	}
	qresp_json_new(c->resp, 200, json_pack("{s:o, s:{s:I, s:I, s:I}}", "jobs", a.jobs,
					       "pagination", "limit", (json_int_t)a.limit,
					       "offset", (json_int_t)a.offset,
					       "total", (json_int_t)a.total));
	return Q_OK;
}

/* ---- retry ---------------------------------------------------------------- */

struct retry_arg {
	struct qctx *c;
	json_t *job;
};

static enum qstatus retry_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct retry_arg *a = arg;
	const char *id = qctx_param(a->c, "id");
	json_t *job;
	enum qstatus st = store_get(t, T_JOBS, id, &job, STORE_RMW, err);
	if (st == Q_ENOTFOUND || (st == Q_OK && (strcmp(api_str(job, "account"), a->c->who.account) ||
						  strcmp(api_str(job, "kind"), "embed")))) {
		if (st == Q_OK)
			json_decref(job);
		return qerr_set(err, Q_ENOTFOUND, NULL, "Job not found");
	}
	if (st != Q_OK)
		return st;
	char doc[37];
	snprintf(doc, sizeof doc, "%s", api_str(job, "document_id"));
	json_decref(job);
	json_decref(a->job);
	a->job = NULL;
	if ((st = queue_retry(t, id, &a->job, err)) != Q_OK)
		return st;
	st = doc_embed_progress(t, doc, 0, -1, NULL, err);
	return st == Q_ENOTFOUND ? Q_OK : st;
}

enum qstatus api_embeddings_retry(struct qctx *c)
{
	struct retry_arg a = {c, NULL};
	enum qstatus st = store_run(c->app->store, retry_fn, &a, &c->err);
	if (st != Q_OK)
		return st;
	queue_wake(c->app->conf->datadir);
	qresp_json_new(c->resp, 200, json_pack("{s:b, s:{s:s, s:s}}", "success", 1, "job",
					       "id", api_str(a.job, "id"), "status", "pending"));
	json_decref(a.job);
	return Q_OK;
}
