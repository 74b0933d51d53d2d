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

/* One step: return expired leases to pending, claim up to conf->embed_batch
 * jobs, embed, store, complete. *done counts the jobs handled (0 = queue
 * empty or nothing due). */
enum qstatus embedder_step(struct store *s, const struct qconf *conf,
			   struct embed_backend *b, size_t *done, struct qerr *err);

#endif
