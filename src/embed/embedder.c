/* embedder.c: claim embed jobs, embed their chunks, store vectors. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "embed/embedder.h"
#include "embed/vectors.h"
#include "embed/embed_openai.h"
#include "base/metrics.h"
#include "store/docs.h"
#include "embed/embed_builtin.h"
#include "base/log.h"
#include "queue/queue.h"
#include "store/store.h"
#include "base/jsonscan.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- builtin backend ---------------------------------------------------- */

struct builtin_backend {
	struct embed_backend base;
	struct embed_builtin *e;   /* detecting: each chunk in its own language */
};

static void builtin_embed(struct embed_backend *b, const char *const *texts, const size_t *lens,
			  size_t n, float *out, struct embed_batch_result *res)
{
	struct builtin_backend *bb = (struct builtin_backend *)b;
	for (size_t i = 0; i < n; i++)
		/* The language decides stop words and stems; a short chunk is
		 * read as English unless its own words say otherwise. */
		if (embed_builtin_text(bb->e, texts[i], lens[i], out + i * EMBED_BUILTIN_DIMS) < 0) {
			res->st = Q_ENOMEM;
			res->retriable = 1;
			snprintf(res->error, sizeof res->error, "out of memory");
			return;
		}
	res->st = Q_OK;
}

static void builtin_free(struct embed_backend *b)
{
	struct builtin_backend *bb = (struct builtin_backend *)b;
	embed_builtin_free(bb->e);
	free(bb);
}

struct embed_backend *embed_backend_new(const struct qconf *conf, struct qerr *err)
{
	if (!strcmp(conf->embed_backend, "openai"))
		return embed_openai_new(conf, (unsigned)conf->embed_dimensions, err);
	struct builtin_backend *bb = calloc(1, sizeof *bb);
	if (bb && !(bb->e = embed_builtin_new(EMBED_LANG_DETECT))) {
		free(bb);
		bb = NULL;
	}
	if (!bb) {
		qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		return NULL;
	}
	bb->base.model = EMBED_BUILTIN_MODEL;
	bb->base.dims = EMBED_BUILTIN_DIMS;
	bb->base.embed = builtin_embed;
	bb->base.free = builtin_free;
	return &bb->base;
}

/* ---- one step ----------------------------------------------------------- */

struct step {
	const struct qconf *conf;
	struct store_ids jobs;
	/* per job, loaded in the read transaction */
	char (*doc)[37];
	char (*chunk)[64];
	char **text;
	size_t *len;
	int *gone;
	size_t expired;
	int64_t locked_at;      /* our lease: the claim's stamp on every job */
	struct qbuf buf;        /* load_fn's job records */
};

static enum qstatus claim_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct step *s = arg;
	s->jobs.n = 0;
	/* one claim or create at a time (store.h, ingest.c's next_fn) */
	enum qstatus st = store_txn_lock(t, STORE_LOCK_JOBS, err);
	if (st == Q_OK)
		st = queue_expire(t, "embed", (int64_t)s->conf->embed_lease * 1000000,
				  &s->expired, err);
	if (st == Q_OK)
		st = queue_claim(t, "embed", (size_t)s->conf->embed_batch, &s->jobs,
				 &s->locked_at, err);
	return st;
}

static enum qstatus load_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct step *s = arg;
	for (size_t i = 0; i < s->jobs.n; i++) {
		static const char *const names[] = {"document_id", "chunk"};
		static const char *const text_name[] = {"text"};
		struct q_span v[2];
		free(s->text[i]);
		s->text[i] = NULL;
		s->gone[i] = 1;
		/* the job's two fields scanned, not parsed (jsonscan.h) */
		enum qstatus st = store_get_buf(t, T_JOBS, s->jobs.ids[i], &s->buf, err);
		if (st == Q_ENOTFOUND)
			continue;
		if (st != Q_OK)
			return st;
		if (q_json_members(s->buf.data, s->buf.len, names, v, 2) < 0)
			return qerr_set(err, Q_EDB, NULL, "a stored record is damaged");
		q_span_str(v[0], s->doc[i], 37);
		snprintf(s->chunk[i], 64, "%s:%08u", s->doc[i], (unsigned)q_span_int(v[1]));
		/* the chunk's text scanned and unescaped, not parsed: the
		 * record is mostly that text (docs/ingest.md, eighth round) */
		st = store_get_buf(t, T_CHUNKS, s->chunk[i], &s->buf, err);
		if (st == Q_ENOTFOUND)
			continue;
		if (st != Q_OK)
			return st;
		if (q_json_members(s->buf.data, s->buf.len, text_name, v, 1) < 0)
			return qerr_set(err, Q_EDB, NULL, "a stored record is damaged");
		s->text[i] = q_span_strdup(v[0], &s->len[i]);
		if (!s->text[i])
			return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		s->gone[i] = 0;
	}
	return Q_OK;
}

struct store_arg {
	struct step *s;
	struct embed_backend *b;
	const float *vecs;
	const struct embed_batch_result *res;
};

/* A batch's progress per document: one rewrite of the document record
 * per batch, not per chunk (the record is 1-2 KB, and its rewrites were
 * 12% of quire-embed's CPU through lighttpd, docs/ingest.md). */
struct progress {
	size_t n;
	struct {
		const char *doc;   /* step.doc's */
		int done, failed;
	} *v;
};

/* Count one job of doc_id in p (v sized for every job of the batch). */
static void progress_add(struct progress *p, const char *doc_id, int done, int failed)
{
	size_t i = p->n;
	while (i > 0 && strcmp(p->v[i - 1].doc, doc_id))
		i--;
	if (i == 0) {
		i = ++p->n;
		p->v[i - 1].doc = doc_id;
		p->v[i - 1].done = p->v[i - 1].failed = 0;
	}
	p->v[i - 1].done += done;
	p->v[i - 1].failed += failed;
}

/* The documents' records, in the order their first jobs came; a document
 * deleted meanwhile is passed over. */
static enum qstatus progress_write(struct stxn *t, const struct progress *p, const char *error,
				   struct qerr *err)
{
	for (size_t i = 0; i < p->n; i++) {
		enum qstatus st = doc_embed_progress(t, p->v[i].doc, p->v[i].done, p->v[i].failed,
						     error, err);
		if (st == Q_ENOTFOUND) {
			qerr_clear(err);
			st = Q_OK;
		}
		if (st != Q_OK)
			return st;
	}
	return Q_OK;
}

static enum qstatus save_jobs(struct stxn *t, struct store_arg *a, struct progress *p,
			      struct qerr *err)
{
	struct step *s = a->s;
	for (size_t i = 0; i < s->jobs.n; i++) {
		/* Ours only while our lease is current: once it expired the job
		 * went back to pending and may have been claimed again (a new
		 * locked_at), or reset by reembed; the new holder writes. A job
		 * gone went with its document, deleted meanwhile. */
		enum qstatus st = queue_held(t, s->jobs.ids[i], s->locked_at, &s->buf, err);
		if (st == Q_ENOTFOUND || st == Q_ECONFLICT) {
			qerr_clear(err);
			continue;
		}
		if (st != Q_OK)
			return st;
		if (s->gone[i]) {
			if ((st = queue_complete(t, s->jobs.ids[i], err)) != Q_OK)
				return st;
			continue;
		}
		if (a->res->st != Q_OK) {
			int failed = 0;
			st = queue_fail(t, s->jobs.ids[i], a->res->error, a->res->retriable,
					s->conf->embed_max_attempts, a->res->retry_after, &failed, err);
			if (st != Q_OK)
				return st;
			if (failed)
				progress_add(p, s->doc[i], 0, 1);
			continue;
		}
		if ((st = vector_put(t, s->chunk[i], a->b->model, a->vecs + i * a->b->dims,
				     a->b->dims, err)) != Q_OK ||
		    (st = queue_complete(t, s->jobs.ids[i], err)) != Q_OK)
			return st;
		progress_add(p, s->doc[i], 1, 0);
	}
	return Q_OK;
}

static enum qstatus save_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct store_arg *a = arg;
	struct progress p = {0, calloc(a->s->jobs.n ? a->s->jobs.n : 1, sizeof *p.v)};
	if (!p.v)
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	enum qstatus st = save_jobs(t, a, &p, err);
	if (st == Q_OK)
		st = progress_write(t, &p, a->res->st != Q_OK ? a->res->error : NULL, err);
	free(p.v);
	return st;
}

static void step_free(struct step *s)
{
	for (size_t i = 0; s->text && i < s->jobs.n; i++)
		free(s->text[i]);
	free(s->doc);
	free(s->chunk);
	free(s->text);
	free(s->len);
	free(s->gone);
	qbuf_free(&s->buf);
	store_ids_free(&s->jobs);
}

enum qstatus embedder_step(struct store *st_, const struct qconf *conf,
			   struct embed_backend *b, size_t *done, struct qerr *err)
{
	struct step s = {.conf = conf};
	struct embed_batch_result res = {Q_OK, 0, 0, ""};
	float *vecs = NULL;
	enum qstatus st;

	qbuf_init(&s.buf, SIZE_MAX);
	*done = 0;
	/* The claim commits without waiting for the disk when job_flush_ms
	 * allows (a lost claim is a job still pending); the batch's vectors
	 * and the documents it completes commit synchronously, and that one
	 * flush covers every earlier commit too (group commit,
	 * docs/reliability.md). */
	int lazy = conf->job_flush_ms > 0;
	struct qm_clock clock;
	qm_clock_start(&clock, store_commit_us());
	if ((st = (lazy ? store_run_lazy : store_run)(st_, claim_fn, &s, err)) != Q_OK ||
	    s.jobs.n == 0)
		goto out;
	size_t n = s.jobs.n;
	s.doc = calloc(n, sizeof *s.doc);
	s.chunk = calloc(n, sizeof *s.chunk);
	s.text = calloc(n, sizeof *s.text);
	s.len = calloc(n, sizeof *s.len);
	s.gone = calloc(n, sizeof *s.gone);
	vecs = calloc(n * b->dims, sizeof *vecs);
	if (!s.doc || !s.chunk || !s.text || !s.len || !s.gone || !vecs) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if ((st = (lazy ? store_run_lazy : store_run)(st_, load_fn, &s, err)) != Q_OK)
		goto out;
	/* Embed the live chunks, outside any transaction. */
	const char **texts = calloc(n, sizeof *texts);
	size_t *lens = calloc(n, sizeof *lens), *map = calloc(n, sizeof *map), live = 0;
	float *packed = calloc(n * b->dims, sizeof *packed);
	if (!texts || !lens || !map || !packed) {
		free(texts), free(lens), free(map), free(packed);
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (!s.gone[i]) {
			texts[live] = s.text[i];
			lens[live] = s.len[i];
			map[live++] = i;
		}
	if (live)
		b->embed(b, texts, lens, live, packed, &res);
	for (size_t k = 0; res.st == Q_OK && k < live; k++)
		memcpy(vecs + map[k] * b->dims, packed + k * b->dims, b->dims * sizeof *vecs);
	free(texts), free(lens), free(map), free(packed);
	qm_stage(&clock, QM_STAGE_EMBED_US, store_commit_us());
	struct store_arg a = {&s, b, vecs, &res};
	st = store_run(st_, save_fn, &a, err);
	qm_stage(&clock, QM_STAGE_VECTORS_US, store_commit_us());
	if (st != Q_OK)
		goto out;
	if (res.st != Q_OK)
		QLOG_WARN("embedding %zu chunks failed: %s", n, res.error);
	qm_add(res.st == Q_OK ? QM_EMBED_DONE : QM_EMBED_FAILED, n);
	qm_add(QM_EMBED_BATCHES, 1);
	*done = n;
out:
	free(vecs);
	step_free(&s);
	return st;
}
