/* reembed.c: after a model change, put every chunk lacking a vector of the
 * current model back on the queue through its one embed job, and its
 * document back to indexing until the chunk has such a vector. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "embed/embedder.h"
#include "embed/vectors.h"
#include "embed/reembed.h"
#include "store/docs.h"
#include "store/jobs.h"
#include "queue/queue.h"
#include "store/store.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Chunk keys are "<document id>:<%08u position>" (chunks.c), so a scan of
 * T_CHUNKS meets each document's chunks together: the document's embed
 * jobs are loaded once, when its first chunk comes. */
struct pass {
	struct stxn *t;
	const char *model;
	char doc[37];
	json_t *rec;            /* the document record, NULL when it is gone */
	json_t *jobs;           /* chunk position ("%u") -> job id */
	int touched;            /* some job of doc was reset, created or removed */
	size_t queued, seen;
	enum qstatus st;
	struct qerr *err;
	void (*step)(void *arg, size_t seen);   /* progress, every 64 chunks; or NULL */
	void *step_arg;
};

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k)) ?: "";
}

/* Index the document's embed jobs by chunk; a second job for a chunk (what
 * reembed used to add) is deleted, so each chunk keeps one. */
static enum qstatus load_jobs(struct pass *p)
{
	struct store_key k;
	struct store_ids ids = {0};
	enum qstatus st;
	store_key_init(&k);
	store_key_str(&k, p->doc);
	st = store_scan(p->t, I_JOBS_BY_DOC, &k, 0, 0, store_collect, &ids, p->err);
	if (st == Q_OK && ids.oom)
		st = qerr_set(p->err, Q_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; st == Q_OK && i < ids.n; i++) {
		json_t *job;
		char pos[16];
		if ((st = store_get(p->t, T_JOBS, ids.ids[i], &job, 0, p->err)) != Q_OK)
			break;
		snprintf(pos, sizeof pos, "%u", (unsigned)json_integer_value(json_object_get(job, "chunk")));
		int embed = !strcmp(str(job, "kind"), "embed");
		json_decref(job);
		if (!embed)
			continue;
		if (json_object_get(p->jobs, pos)) {
			st = store_del(p->t, T_JOBS, ids.ids[i], p->err);
			p->touched = 1;
		} else if (json_object_set_new(p->jobs, pos, json_string(ids.ids[i])) < 0) {
			st = qerr_set(p->err, Q_ENOMEM, NULL, "out of memory");
		}
	}
	store_ids_free(&ids);
	return st;
}

/* Recount the document's embed jobs into embed_done / embed_failed; a
 * completed (or failed) document with chunks queued again goes back to
 * indexing. Documents being re-ingested are left to the ingest, which
 * replaces their chunks and jobs anyway. */
static enum qstatus finish_doc(struct pass *p)
{
	const char *key;
	json_t *v;
	json_int_t done = 0, failed = 0;
	enum qstatus st = Q_OK;
	if (!p->rec || !p->touched)
		goto out;
	const char *status = str(p->rec, "indexing_status");
	if (strcmp(status, "completed") && strcmp(status, "indexing") && strcmp(status, "error"))
		goto out;
	json_object_foreach(p->jobs, key, v) {
		json_t *job;
		if ((st = store_get(p->t, T_JOBS, json_string_value(v), &job, 0, p->err)) != Q_OK)
			goto out;
		done += !strcmp(str(job, "status"), "completed");
		failed += !strcmp(str(job, "status"), "failed");
		json_decref(job);
	}
	st = doc_embed_progress(p->t, p->doc,
				(int)(done - json_integer_value(json_object_get(p->rec, "embed_done"))),
				(int)(failed - json_integer_value(json_object_get(p->rec, "embed_failed"))),
				NULL, p->err);
out:
	json_decref(p->rec);
	p->rec = NULL;
	json_object_clear(p->jobs);
	p->touched = 0;
	p->doc[0] = '\0';
	return st;
}

static enum qstatus start_doc(struct pass *p, const char *doc)
{
	enum qstatus st = finish_doc(p);
	if (st != Q_OK)
		return st;
	snprintf(p->doc, sizeof p->doc, "%s", doc);
	st = store_get(p->t, T_DOCS, p->doc, &p->rec, 0, p->err);
	if (st == Q_ENOTFOUND) {   /* an orphan chunk: nothing to queue it for */
		qerr_clear(p->err);
		p->rec = NULL;
		return Q_OK;
	}
	return st == Q_OK ? load_jobs(p) : st;
}

static int one_chunk(const char *key, void *arg)
{
	struct pass *p = arg;
	char model[200] = "", doc[37], pos[16], job[37];
	int8_t *vec = NULL;
	unsigned dims, n;
	float scale;
	const char *colon = strrchr(key, ':');
	p->seen++;
	if (p->step && p->seen % 64 == 0)
		p->step(p->step_arg, p->seen);
	if (!colon || colon - key != 36 || sscanf(colon + 1, "%u", &n) != 1)
		return 0;   /* not a chunk key of ours */
	snprintf(doc, sizeof doc, "%.36s", key);
	if (strcmp(doc, p->doc) && (p->st = start_doc(p, doc)) != Q_OK)
		return 1;
	if (!p->rec)
		return 0;
	snprintf(pos, sizeof pos, "%u", n);
	json_t *id = json_object_get(p->jobs, pos);
	enum qstatus st = vector_get(p->t, key, model, sizeof model, &vec, &dims, &scale, p->err);
	free(vec);
	if (st == Q_OK && !strcmp(model, p->model))
		return 0;
	if (st != Q_OK && st != Q_ENOTFOUND) {
		p->st = st;
		return 1;
	}
	qerr_clear(p->err);
	if (id) {
		p->st = queue_reset(p->t, json_string_value(id), p->err);
	} else {
		p->st = job_create_chunk(p->t, str(p->rec, "account"), doc, n, job, p->err);
		if (p->st == Q_OK && json_object_set_new(p->jobs, pos, json_string(job)) < 0)
			p->st = qerr_set(p->err, Q_ENOMEM, NULL, "out of memory");
	}
	if (p->st != Q_OK)
		return 1;
	p->touched = 1;
	p->queued++;
	return 0;
}

enum qstatus reembed_all(struct stxn *t, const char *model, size_t *queued, size_t *seen,
			 struct qerr *err)
{
	return reembed_all_step(t, model, queued, seen, NULL, NULL, err);
}

enum qstatus reembed_all_step(struct stxn *t, const char *model, size_t *queued, size_t *seen,
			      void (*step)(void *arg, size_t seen), void *arg, struct qerr *err)
{
	struct pass p = {.t = t, .model = model, .jobs = json_object(), .err = err,
			 .step = step, .step_arg = arg};
	if (!p.jobs)
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	enum qstatus st = store_scan_table(t, T_CHUNKS, one_chunk, &p, err);
	if (st == Q_OK)
		st = p.st;
	if (st == Q_OK)
		st = finish_doc(&p);
	else
		json_decref(p.rec);
	json_decref(p.jobs);
	*queued = p.queued;
	*seen = p.seen;
	return st;
}
