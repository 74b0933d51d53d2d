/* vindex.c: the vector index's centroids trained from the stored vectors,
 * by quire-admin reindex's second step and by quire-embed when the vectors
 * have passed search_exact_max or grown since (see vindex.h). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "admin/vindex.h"
#include "base/log.h"
#include "base/util.h"
#include "embed/embedder.h"
#include "search/ivf.h"
#include "search/vcache.h"
#include "search/vscan.h"
#include "store/store.h"

#include <stdlib.h>
#include <time.h>

struct vindex {
	const char *model;
	size_t max_bytes;
	struct ivf *v;
	size_t vectors;
	size_t trained;   /* vectors at the last training (vindex_look) */
};

static enum qstatus load_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct vindex *x = arg;
	struct vcache *c = vcache_lock();
	enum qstatus st = vcache_sync(c, t, x->model, x->max_bytes, err);
	if (st == Q_OK)
		st = vcache_ivf_trained(c, t, &x->trained, err);
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

static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Train the centroids from the cache load_fn synced (outside any
 * transaction) and store them; *lists gets their number, 0 when the cache
 * holds no vectors (nothing stored). */
static enum qstatus train(struct store *s, const struct qconf *conf, struct vindex *x,
			  unsigned *lists, struct qerr *err)
{
	struct vcache_stats vs;
	struct vcache *c = vcache_lock();
	x->v = ivf_kmeans(c, (unsigned)conf->search_ivf_lists);   /* NULL: no vectors held */
	vcache_unlock(c);
	vcache_stats(&vs);
	x->vectors = vs.vectors;
	*lists = x->v ? x->v->nlist : 0;
	enum qstatus st = x->v ? store_run(s, save_fn, x, err) : Q_OK;
	ivf_free(x->v);
	x->v = NULL;
	return st;
}

int admin_vector_index(struct store *s, const struct qconf *conf, FILE *out, FILE *errf)
{
	struct qerr err;
	struct embed_backend *b = embed_backend_new(conf, &err);
	unsigned lists = 0;
	if (!b) {
		fprintf(errf, "quire-admin: %s\n", err.msg);
		return 1;
	}
	struct vindex x = {b->model, (size_t)conf->search_cache_mb << 20, NULL, 0, 0};
	int64_t t0 = q_now_us();
	enum qstatus st = store_run(s, load_fn, &x, &err);
	if (st == Q_OK)
		st = train(s, conf, &x, &lists, &err);
	if (st == Q_OK && lists)
		fprintf(out, "vector index: %u lists over %zu vectors in %.1f s\n", lists, x.vectors,
			(double)(q_now_us() - t0) / 1e6);
	else if (st == Q_OK)
		fprintf(out, "vector index: no vectors of %s held (none, or over search_cache_mb)\n",
			b->model);
	if (st != Q_OK)
		fprintf(errf, "quire-admin: vector index: %s (run reindex again)\n", err.msg);
	b->free(b);
	return st == Q_OK ? 0 : 1;
}

/* Why the centroids are due for training, or NULL when they are not. */
static const char *due(const struct qconf *conf, const struct vcache_stats *vs, size_t trained)
{
	if (!vs->vectors_cached || vs->vectors <= (size_t)conf->search_exact_max)
		return NULL;
	if (!vs->ivf_lists)
		return "past search_exact_max without centroids";
	if (!trained)
		return "trained at an unrecorded count";
	if ((double)vs->vectors >= (double)trained * conf->search_ivf_retrain_growth)
		return "grown by search_ivf_retrain_growth";
	return NULL;
}

int vindex_look(struct store *s, const struct qconf *conf, const char *model, struct qerr *err)
{
	struct vindex x = {model, (size_t)conf->search_cache_mb << 20, NULL, 0, 0};
	struct vcache_stats vs;
	unsigned lists = 0;
	int64_t t0 = q_now_us();
	double c0 = cpu_s();
	if (store_run(s, load_fn, &x, err) != Q_OK)
		return -1;
	vcache_stats(&vs);
	const char *why = due(conf, &vs, x.trained);
	if (!why)
		return 0;
	QLOG_INFO("vector index: training the centroids of %s over %zu vectors (%s; last trained "
		  "at %zu; the cache's sync took %.2f s, %.2f s CPU)", model, vs.vectors, why,
		  x.trained, (double)(q_now_us() - t0) / 1e6, cpu_s() - c0);
	t0 = q_now_us();
	c0 = cpu_s();
	if (train(s, conf, &x, &lists, err) != Q_OK)
		return -1;
	QLOG_INFO("vector index: trained %u lists over %zu vectors in %.2f s (%.2f s CPU)", lists,
		  x.vectors, (double)(q_now_us() - t0) / 1e6, cpu_s() - c0);
	return lists ? 1 : 0;
}
