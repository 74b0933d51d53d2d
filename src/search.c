/* search.c: BM25, exact vector search and their fusion, filtered inside
 * the scans, over the process's search cache (vcache.h). */
#include "config.h"
#include "search.h"
#include "embed_builtin.h"
#include "embedder.h"
#include "lexical.h"
#include "store.h"
#include "text.h"
#include "util.h"
#include "vcache.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int search_method_parse(const char *s)
{
	if (!strcmp(s, "keyword_search") || !strcmp(s, "full_text_search"))
		return SEARCH_KEYWORD;
	if (!strcmp(s, "semantic_search"))
		return SEARCH_SEMANTIC;
	if (!strcmp(s, "hybrid_search"))
		return SEARCH_HYBRID;
	return -1;
}

/* ---- the query embedder, kept while the configuration names it ---------- */

static struct embed_backend *qb;
static char qb_conf[1024];

/* The configured backend (borrowed; called with the cache locked). */
static struct embed_backend *query_backend(const struct qconf *conf, struct qerr *err)
{
	char id[sizeof qb_conf];
	snprintf(id, sizeof id, "%s|%s|%s|%d", conf->embed_backend, conf->embed_model,
		 conf->embed_base_url, conf->embed_dimensions);
	if (qb && !strcmp(id, qb_conf))
		return qb;
	if (qb)
		qb->free(qb);
	qb = embed_backend_new(conf, err);
	snprintf(qb_conf, sizeof qb_conf, "%s", qb ? id : "");
	if (!qb && !err->st)
		qerr_set(err, Q_EINTERNAL, NULL, "no embedding backend");
	return qb;
}

static struct embed_builtin *qe[LANG_MAX];

struct idf_ctx {
	struct stxn *t;
	double n;
	enum qstatus st;
	struct qerr *err;
};

static float idf_weight(const char *stem, size_t len, void *arg)
{
	struct idf_ctx *x = arg;
	size_t df = 0;
	if (x->st == Q_OK)
		x->st = lexical_df(x->t, stem, len, &df, x->err);
	double idf = log(1 + (x->n - (double)df + 0.5) / ((double)df + 0.5));
	double p = getenv("IDFP") ? atof(getenv("IDFP")) : 1;
	return (float)pow(idf, p);
}

static enum qstatus builtin_query(struct stxn *t, const char *query, float *out, struct qerr *err)
{
	size_t len = strlen(query);
	enum text_lang lang = text_detect(query, len < 4096 ? len : 4096);
	struct idf_ctx x = {t, 0, Q_OK, err};
	double avgdl;
	if (!qe[lang] && !(qe[lang] = embed_builtin_new(lang)))
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	if ((x.st = lexical_collection(t, &x.n, &avgdl, err)) != Q_OK)
		return x.st;
	embed_builtin_query(qe[lang], query, len, idf_weight, &x,
			    getenv("STOPW") ? (float)atof(getenv("STOPW")) : 0.0f, out);
	return x.st;
}

static struct vcache *prf_c;
static const struct vscored *prf_list;
static size_t prf_n;

static void prf(float *qv, unsigned dims)
{
	int m = getenv("PRF_M") ? atoi(getenv("PRF_M")) : 0;
	double beta = getenv("PRF_B") ? atof(getenv("PRF_B")) : 0.5;
	if (!m || !prf_list || !prf_n)
		return;
	float *acc = calloc(dims, sizeof *acc), *v = calloc(dims, sizeof *v);
	int got = 0;
	for (size_t i = 0; i < prf_n && (int)i < m; i++)
		if (vcache_vector(prf_c, prf_list[i].ref, dims, v)) {
			for (unsigned k = 0; k < dims; k++)
				acc[k] += v[k];
			got++;
		}
	if (got) {
		double n = 0, a = 0;
		for (unsigned k = 0; k < dims; k++) { n += qv[k] * qv[k]; a += acc[k] * acc[k]; }
		n = n > 0 ? 1 / sqrt(n) : 0; a = a > 0 ? 1 / sqrt(a) : 0;
		for (unsigned k = 0; k < dims; k++)
			qv[k] = (float)(qv[k] * n + beta * acc[k] * a);
	}
	free(acc);
	free(v);
}

/* The query's vector, or NULL with err set. New. */
static struct vquery *embed_query(struct stxn *t, struct embed_backend *b, const char *query, struct qerr *err)
{
	float *qv = calloc(b->dims, sizeof *qv);
	int8_t *q = calloc(b->dims, 1);
	struct embed_batch_result res = {Q_OK, 0, 0, ""};
	struct vquery *vq = NULL;
	size_t len = strlen(query);
	float scale;
	if (!qv || !q) {
		qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if (!strcmp(b->model, EMBED_BUILTIN_MODEL) && !getenv("NOIDF")) {
		if (builtin_query(t, query, qv, err) != Q_OK)
			goto out;
	} else
	b->embed(b, &query, &len, 1, qv, &res);
	if (res.st != Q_OK) {
		qerr_set(err, Q_EBUSY, NULL, "embedding the query failed: %s", res.error);
		goto out;
	}
	prf(qv, b->dims);
	embed_quantize(qv, b->dims, q, &scale);
	if (!(vq = vquery_new(q, b->dims, scale)))
		qerr_set(err, Q_ENOMEM, NULL, "out of memory");
out:
	free(qv);
	free(q);
	return vq;
}

/* ---- keyword: BM25 sums per chunk ---------------------------------------- */

struct kw {
	struct vgate *g;
	struct vmap at;           /* ref -> index in v */
	struct vscored *v;
	size_t n, alloc;
	int oom;
};

static void on_bm25(const char *chunk, double score, void *arg)
{
	struct kw *k = arg;
	vref r;
	if (k->oom || !vgate_chunk(k->g, chunk, strlen(chunk), &r))
		return;
	long i = vmap_get(&k->at, r);
	if (i < 0) {
		if (k->n == k->alloc) {
			size_t na = k->alloc ? k->alloc * 2 : 1024;
			void *p = realloc(k->v, na * sizeof *k->v);
			if (!p) {
				k->oom = 1;
				return;
			}
			k->v = p;
			k->alloc = na;
		}
		if (vmap_put(&k->at, r, (uint32_t)k->n)) {
			k->oom = 1;
			return;
		}
		i = (long)k->n;
		k->v[k->n++] = (struct vscored){r, 0};
	}
	k->v[i].score += (float)score;
}

static enum qstatus keyword(struct stxn *t, struct vgate *g, const char *query, struct kw *k,
			    struct qerr *err)
{
	memset(k, 0, sizeof *k);
	k->g = g;
	enum qstatus st = lexical_score(t, query, text_detect(query, strlen(query)), on_bm25, k, err);
	if (st == Q_OK)
		st = vgate_status(g, err);
	if (st == Q_OK && k->oom)
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	return st;
}

static void kw_free(struct kw *k)
{
	vmap_free(&k->at);
	free(k->v);
}

/* The keyword score of r in k (0 when no term matched). */
static float kw_score(const struct kw *k, vref r)
{
	long i = vmap_get(&k->at, r);
	return i < 0 ? 0 : k->v[i].score;
}

/* ---- hybrid --------------------------------------------------------------- */

struct fuse {
	struct vcache *c;
	struct stxn *t;
	const struct qconf *conf;
	struct kw *kw;             /* every keyword candidate, the best depth first */
	size_t nk;
	struct vscored *sem;       /* the best depth by vector */
	size_t ns;
	const struct vquery *q;
};

/* Weighted sum of min-max normalised scores over the union of both top
 * lists: a chunk of one list gets its score on the other side too (BM25
 * from the accumulator, the vector score from the cache), normalised with
 * that side's range over its list. */
static enum qstatus fuse(struct fuse *f, struct vscored **out, size_t *n, struct qerr *err)
{
	double w = f->conf->search_hybrid_weight;
	if (getenv("DYN") && f->nk >= 10 && f->kw->v[0].score > 0) {
		double gap = (f->kw->v[0].score - f->kw->v[9].score) / f->kw->v[0].score;
		double g0 = atof(getenv("DYN"));
		w = gap < g0 ? w * 2 : w * 0.5;
	}
	double kmax = f->nk ? f->kw->v[0].score : 0, kmin = f->nk ? f->kw->v[f->nk - 1].score : 0;
	double smax = f->ns ? f->sem[0].score : 0, smin = f->ns ? f->sem[f->ns - 1].score : 0;
	struct vscored *v = malloc((f->nk + f->ns + 1) * sizeof *v);
	struct vmap seen = {0};
	size_t m = 0;
	if (!v)
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	for (size_t list = 0; list < 2; list++) {
		const struct vscored *l = list ? f->sem : f->kw->v;
		size_t ln = list ? f->ns : f->nk;
		for (size_t i = 0; i < ln; i++) {
			vref r = l[i].ref;
			if (vmap_get(&seen, r) >= 0)
				continue;
			if (vmap_put(&seen, r, 1)) {
				free(v);
				vmap_free(&seen);
				return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
			}
			float ks = list ? kw_score(f->kw, r) : l[i].score, ss = 0;
			if (list)
				ss = l[i].score;
			else if (!vcache_score(f->c, f->t, r, f->q, &ss))
				ss = (float)smin;
			double a = kmax > kmin ? (ks - kmin) / (kmax - kmin) : kmax > 0 ? ks / kmax : 0;
			double b = smax > smin ? (ss - smin) / (smax - smin) : 0;
			const char *fm = getenv("FUSION");
			if (fm && !strcmp(fm, "max")) {
				a = kmax > 0 ? ks / kmax : 0;
				b = smax > 0 ? ss / smax : 0;
			} else if (fm && !strcmp(fm, "z")) {
				double mk = 0, sk = 0, ms = 0, ss2 = 0;
				for (size_t z = 0; z < f->nk; z++) { mk += f->kw->v[z].score; sk += f->kw->v[z].score * f->kw->v[z].score; }
				for (size_t z = 0; z < f->ns; z++) { ms += f->sem[z].score; ss2 += f->sem[z].score * f->sem[z].score; }
				mk /= f->nk ? f->nk : 1; ms /= f->ns ? f->ns : 1;
				sk = sqrt(fmax(sk / (f->nk ? f->nk : 1) - mk * mk, 1e-12)); ss2 = sqrt(fmax(ss2 / (f->ns ? f->ns : 1) - ms * ms, 1e-12));
				a = (ks - mk) / sk + 10; b = (ss - ms) / ss2 + 10;
			} else if (fm && !strcmp(fm, "mul")) {
				a = kmax > 0 ? ks / kmax : 0;
				b = smax > smin ? (ss - smin) / (smax - smin) : 0;
				if (b < 0) b = 0;
				a = a * (1 + w * b) / (1 - w); b = 0;
			} else if (fm && !strcmp(fm, "rrf")) {
				double K = getenv("RRFK") ? atof(getenv("RRFK")) : 60;
				long rk = -1, rs = -1;
				for (size_t z = 0; z < f->nk; z++) if (f->kw->v[z].ref == r) { rk = (long)z; break; }
				for (size_t z = 0; z < f->ns; z++) if (f->sem[z].ref == r) { rs = (long)z; break; }
				a = rk >= 0 ? 1.0 / (K + rk + 1) : 0;
				b = rs >= 0 ? 1.0 / (K + rs + 1) : 0;
			}
			if (!fm || strcmp(fm, "z")) {
			if (a < 0)
				a = 0;
			if (b < 0)
				b = 0;
			}
			v[m++] = (struct vscored){r, (float)((1 - w) * a + w * b)};
		}
	}
	vmap_free(&seen);
	*out = v;
	*n = m;
	return Q_OK;
}

/* ---- the entry point ------------------------------------------------------ */

struct run {
	struct stxn *t;
	const struct qconf *conf;
	struct vcache *c;
	struct vgate *g;
	struct kw kw;
	struct vscored *sem, *fused;
	struct vquery *q;
};

static enum qstatus semantic(struct run *r, const char *query, size_t k, size_t *n,
			     struct qerr *err)
{
	struct embed_backend *b = query_backend(r->conf, err);
	if (!b)
		return err->st ? err->st : Q_EINTERNAL;
	if (!(r->q = embed_query(r->t, b, query, err)))
		return err->st;
	if (!(r->sem = malloc((k ? k : 1) * sizeof *r->sem)))
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	return vcache_top(r->c, r->g, r->q, k, r->sem, n, err);
}

/* The hits of v[0 .. n) as search_hits (new). */
static enum qstatus to_hits(struct vcache *c, const struct vscored *v, size_t n,
			    struct search_hit **hits, struct qerr *err)
{
	struct search_hit *h = calloc(n ? n : 1, sizeof *h);
	if (!h)
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		vcache_chunk_key(c, v[i].ref, h[i].chunk, sizeof h[i].chunk);
		snprintf(h[i].doc, sizeof h[i].doc, "%s", vcache_doc_id(c, v[i].ref));
		h[i].score = v[i].score;
	}
	*hits = h;
	return Q_OK;
}

static enum qstatus ranked(struct run *r, enum search_method m, const char *query, size_t top_k,
			   const struct vscored **best, size_t *n, struct qerr *err)
{
	enum qstatus st;
	size_t depth = top_k > 100 ? top_k : 100, ns = 0;
	if (m == SEARCH_SEMANTIC) {
		st = semantic(r, query, top_k, n, err);
		*best = r->sem;
		return st;
	}
	if ((st = keyword(r->t, r->g, query, &r->kw, err)) != Q_OK)
		return st;
	size_t nk = vcache_best(r->c, r->kw.v, r->kw.n, m == SEARCH_KEYWORD ? top_k : depth);
	if (m == SEARCH_KEYWORD) {
		*best = r->kw.v;
		*n = nk;
		return Q_OK;
	}
	prf_c = r->c; prf_list = r->kw.v; prf_n = nk;
	st = semantic(r, query, depth, &ns, err);
	prf_list = NULL;
	if (st != Q_OK)
		return st;
	struct fuse f = {r->c, r->t, r->conf, &r->kw, nk, r->sem, ns, r->q};
	size_t m2 = 0;
	if ((st = fuse(&f, &r->fused, &m2, err)) != Q_OK)
		return st;
	*n = vcache_best(r->c, r->fused, m2, top_k);
	*best = r->fused;
	return Q_OK;
}

enum qstatus search_run(struct stxn *t, const struct qconf *conf, const struct search_filter *f,
			enum search_method method, const char *query, size_t top_k,
			struct search_hit **hits, size_t *n, struct qerr *err)
{
	struct run r = {t, conf, vcache_lock(), NULL, {0}, NULL, NULL, NULL};
	const struct vscored *best = NULL;
	size_t nb = 0;
	const char *model = NULL;
	enum qstatus st = Q_OK;

	*hits = NULL;
	*n = 0;
	if (method != SEARCH_KEYWORD) {
		struct embed_backend *b = query_backend(conf, err);
		if (!b) {
			st = err->st ? err->st : Q_EINTERNAL;
			goto out;
		}
		model = b->model;
	}
	if ((st = vcache_sync(r.c, t, model, (size_t)conf->search_cache_mb << 20, err)) != Q_OK)
		goto out;
	if (!(r.g = vgate_new(r.c, t, f))) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if ((st = vgate_status(r.g, err)) != Q_OK ||
	    (st = ranked(&r, method, query, top_k, &best, &nb, err)) != Q_OK ||
	    (st = to_hits(r.c, best, nb, hits, err)) != Q_OK)
		goto out;
	*n = nb;
	search_hits_stage(f, method, query, top_k, *hits, *n);
out:
	vgate_free(r.g);
	kw_free(&r.kw);
	free(r.sem);
	free(r.fused);
	vquery_free(r.q);
	vcache_unlock(r.c);
	return st;
}
