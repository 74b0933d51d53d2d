/* embedder.h: the embed side of the job queue, shared by quire-embed and
 * tests: claim a batch of embed jobs, embed their chunks with the
 * configured backend, store one vector per chunk and complete the jobs in
 * one transaction; failures are recorded on the jobs. Vectors are stored
 * as "model\0", u32 dims, float scale, int8[dims] under the chunk's key. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_EMBEDDER_H
#define QUIRE_EMBEDDER_H

#include <stddef.h>
#include <stdint.h>
#include "base/conf.h"
#include "base/status.h"

struct store;
struct stxn;

/* The result of embedding one batch of texts. */
struct embed_batch_result {
	enum qstatus st;         /* Q_OK, or the failure of the whole batch */
	int retriable;           /* for a failure: try again later */
	int retry_after;         /* seconds the remote asked for, 0 = default */
	char error[256];         /* "OpenAI API error: Rate limit exceeded" */
};

/* A backend: embed n texts into out (n * dims floats). */
struct embed_backend {
	const char *model;
	unsigned dims;
	void (*embed)(struct embed_backend *b, const char *const *texts, const size_t *lens,
		      size_t n, float *out, struct embed_batch_result *res);
	void (*free)(struct embed_backend *b);
};

/* The backend named in conf (builtin unless configured). New. NULL with
 * Q_EBUSY when a remote model cannot be reached yet (try again later), or
 * Q_EINVAL for a configuration that cannot work. */
struct embed_backend *embed_backend_new(const struct qconf *conf, struct qerr *err);
/* The openai backend (embed_openai.c); dims 0 = ask the model once. */
struct embed_backend *embed_openai_new(const struct qconf *conf, unsigned dims,
				       struct qerr *err);

/* One step: return expired leases to pending, claim up to conf->embed_batch
 * jobs, embed, store, complete. *done counts the jobs handled (0 = queue
 * empty or nothing due). */
enum qstatus embedder_step(struct store *s, const struct qconf *conf,
			   struct embed_backend *b, size_t *done, struct qerr *err);

/* A model change (reembed.c): every chunk without a vector of model gets
 * its one embed job reset to pending (created when missing; duplicates are
 * removed), and its document's counters are recounted, so a completed
 * document is indexing again until each chunk has a vector of model.
 * *queued counts the chunks queued, *seen the chunks looked at. */
enum qstatus reembed_all(struct stxn *t, const char *model, size_t *queued, size_t *seen,
			 struct qerr *err);
/* The same, calling step(arg, chunks seen) every 64 chunks (quire-admin's
 * progress line); step may be NULL. */
enum qstatus reembed_all_step(struct stxn *t, const char *model, size_t *queued, size_t *seen,
			      void (*step)(void *arg, size_t seen), void *arg, struct qerr *err);

/* Store / read one chunk's vector. */
enum qstatus vector_put(struct stxn *t, const char *chunk_key, const char *model,
			const float *v, unsigned dims, struct qerr *err);
/* *out (new, free) holds dims int8 values; *scale and the model name. */
enum qstatus vector_get(struct stxn *t, const char *chunk_key, char *model, size_t model_len,
			int8_t **out, unsigned *dims, float *scale, struct qerr *err);

#endif
