/* vindex.c: quire-admin reindex's second step, the vector index's
 * centroids trained from the stored vectors (see vindex.h). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "admin/vindex.h"
#include "base/util.h"
#include "embed/embedder.h"
#include "search/ivf.h"
#include "search/vcache.h"
#include "search/vscan.h"
#include "store/store.h"

#include <stdlib.h>

struct vindex {
	const char *model;
	size_t max_bytes;
	struct ivf *v;
	size_t vectors;
};

static enum qstatus load_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct vindex *x = arg;
	struct vcache *c = vcache_lock();
	enum qstatus st = vcache_sync(c, t, x->model, x->max_bytes, err);
	vcache_unlock(c);
	return st;
}

static enum qstatus save_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct vindex *x = arg;
	struct vcache *c = vcache_lock();
	struct ivf *v = x->v;
	x->v = NULL;   /* taken, even by a failed try */
	enum qstatus st = v ? vcache_ivf_store(c, t, v, err) : Q_OK;
	vcache_unlock(c);
	return st;
}

int admin_vector_index(struct store *s, const struct qconf *conf, FILE *out, FILE *errf)
{
	struct qerr err;
	struct embed_backend *b = embed_backend_new(conf, &err);
	struct vcache_stats vs;
	if (!b) {
		fprintf(errf, "quire-admin: %s\n", err.msg);
		return 1;
	}
	struct vindex x = {b->model, (size_t)conf->search_cache_mb << 20, NULL, 0};
	int64_t t0 = q_now_us();
	enum qstatus st = store_run(s, load_fn, &x, &err);
	if (st == Q_OK) {
		struct vcache *c = vcache_lock();
		x.v = ivf_kmeans(c, (unsigned)conf->search_ivf_lists);   /* NULL: no vectors held */
		vcache_unlock(c);
		vcache_stats(&vs);
		x.vectors = vs.vectors;
	}
	if (st == Q_OK && x.v) {
		unsigned lists = x.v->nlist;
		st = store_run(s, save_fn, &x, &err);
		if (st == Q_OK)
			fprintf(out, "vector index: %u lists over %zu vectors in %.1f s\n", lists, x.vectors,
				(double)(q_now_us() - t0) / 1e6);
	} else if (st == Q_OK) {
		fprintf(out, "vector index: no vectors of %s held (none, or over search_cache_mb)\n",
			b->model);
	}
	if (st != Q_OK)
		fprintf(errf, "quire-admin: vector index: %s (run reindex again)\n", err.msg);
	ivf_free(x.v);
	b->free(b);
	return st == Q_OK ? 0 : 1;
}
