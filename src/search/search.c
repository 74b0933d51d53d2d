/* search.c: BM25, exact vector search and their fusion, filtered inside
 * the scans, over the process's search cache (vcache.h). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "search/search.h"
#include "search/search_hits.h"
#include "search/search_impl.h"
#include "search/search_prf.h"
#include "search/search_title.h"
#include "search/search_query.h"
#include "search/search_context.h"
#include "embed/embed_builtin.h"
#include "store/lexical.h"
#include "store/lexical_query.h"
#include "store/store.h"
#include "text/text.h"
#include "search/vcache.h"
#include "search/vscan.h"

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

/* One search: what it holds until search_run returns. */
struct run {
	struct stxn *t;
	const struct qconf *conf;
	const struct search_filter *f;
	const char *account;      /* the index and statistics searched */
	struct vcache *c;
	struct vgate *g;
	struct embed_backend *b;
	/* keyword candidates: the best chunks by BM25 (lexical_query_top) */
	struct lexq *lq;
	struct vmap at;           /* ref -> index in kw_sc */
	struct vscored *kw;       /* ranked in place (vcache_best) */
	float *kw_sc;             /* the scores in the order found: at's indices stay valid
				   * (document-aware, search_doc_spread) */
	float *kw_raw;            /* each one's own BM25 */
	int kw_fields;            /* the query has field words: match reads the body's BM25 */
	size_t nkw, kw_alloc;
	int kw_complete;          /* kw holds every allowed chunk matching a term */
	double kw_max;            /* the query's attainable BM25 */
	int oom;
	/* vector side: q ranks (with feedback in hybrid), q0 is the query's
	 * own vector for the hits' cosine (NULL: the same as q) */
	struct vquery *q, *q0;
	double q0_norm;           /* 1 / |query vector| */
	float *ctx;               /* the query words' learned context (NULL: none) */
	struct vscored *sem, *fused;
};

/* ---- keyword -------------------------------------------------------------- */

static int on_bm25(const char *chunk, double score, double raw, struct run *r)
{
	vref ref;
	if (!vgate_chunk(r->g, chunk, strlen(chunk), &ref))
		return 0;
	if (r->nkw == r->kw_alloc) {
		size_t na = r->kw_alloc ? r->kw_alloc * 2 : 128;
		void *p = realloc(r->kw, na * sizeof *r->kw), *q;
		if (!p)
			return -1;
		r->kw = p;
		if (!(q = realloc(r->kw_sc, na * sizeof *r->kw_sc)))
			return -1;
		r->kw_sc = q;
		if (!(q = realloc(r->kw_raw, na * sizeof *r->kw_raw)))
			return -1;
		r->kw_raw = q;
		r->kw_alloc = na;
	}
	if (vmap_put(&r->at, ref, (uint32_t)r->nkw))
		return -1;
	r->kw_sc[r->nkw] = (float)score;
	r->kw_raw[r->nkw] = (float)raw;
	r->kw[r->nkw++] = (struct vscored){ref, (float)score};
	return 0;
}

/* The filter, asked by the evaluation of the chunks that could enter. */
static int allowed(const char *chunk, size_t len, void *arg)
{
	vref ref;
	return vgate_chunk(arg, chunk, len, &ref);
}

/* Document-aware keyword scores: a candidate's score becomes
 * (1 - spread) own + spread (the sum of its document's DOC_BEST best
 * candidates), so a document whose evidence the split spread over a few
 * chunks rises, its chunks in their own order; spread 0 leaves the scores
 * as they are. Only the best few count: a sum over every chunk would let
 * a long document's many weak matches outrank a short document that
 * answers (quickstart.test: a README against a one-line note). Only the
 * candidates count (the best by BM25, search_doc_candidates at least). */
#define DOC_BEST 3
static enum qstatus doc_aware(struct run *r, double spread, struct qerr *err)
{
	struct vmap map = {0};
	float (*best)[DOC_BEST] = NULL;
	size_t nd = 0;
	enum qstatus st = Q_OK;
	if (spread <= 0 || !r->nkw)
		return Q_OK;
	if (!(best = calloc(r->nkw, sizeof *best))) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < r->nkw; i++) {
		vref doc = r->kw[i].ref >> 32;
		long d = vmap_get(&map, doc);
		if (d < 0) {
			if (vmap_put(&map, doc, (uint32_t)nd)) {
				st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
				goto out;
			}
			d = (long)nd++;
		}
		/* keep the document's DOC_BEST best, largest first */
		float v = r->kw_sc[i];
		for (int j = 0; j < DOC_BEST; j++)
			if (v > best[d][j]) {
				float t = best[d][j];
				best[d][j] = v;
				v = t;
			}
	}
	for (size_t i = 0; i < r->nkw; i++) {
		long d = vmap_get(&map, r->kw[i].ref >> 32);
		float total = 0;
		for (int j = 0; j < DOC_BEST; j++)
			total += best[d][j];
		r->kw_sc[i] = (float)((1 - spread) * r->kw_sc[i] + spread * total);
		r->kw[i].score = r->kw_sc[i];
	}
out:
	free(best);
	vmap_free(&map);
	return st;
}

/* The first keep of the question's own hits (best first) stay at the
 * head; the expanded query's hits (more[0 .. nm)) that are not among them
 * follow in their order, up to k in all, their scores scaled so the first
 * of them falls just below the head's last (the scores stay in order and
 * keep the expanded query's ratios). keep 0: the expanded query's hits
 * alone. */
#define TAIL_BELOW 0.9999
static void keep_head(struct lexical_hit *hits, size_t *nh, size_t keep,
		      const struct lexical_hit *more, size_t nm, size_t k)
{
	size_t n = keep < *nh ? keep : *nh;
	double scale = 0;
	for (size_t i = 0; i < nm && n < k; i++) {
		size_t j = 0;
		while (j < keep && j < *nh && strcmp(hits[j].chunk, more[i].chunk))
			j++;
		if (j < keep && j < *nh)   /* in the head already */
			continue;
		if (!scale)
			scale = keep && *nh && more[i].score > 0
				? TAIL_BELOW * hits[n - 1].score / more[i].score : 1;
		hits[n] = more[i];
		hits[n++].score = more[i].score * scale;
	}
	*nh = n;
}

/* Pseudo-relevance feedback (search_prf_*): the query again, with the
 * words of its best hits (search_prf_expand); its hits follow the first
 * search_prf_keep of the question's own (keep_head), and when the caller
 * wants no more hits (want) than those, it is not run. r->lq is then the
 * query's own words again, so a hit's match and the query's maximum stay
 * the question's (one query over the index at a time: each holds the
 * process's postings tables). */
static enum qstatus expand(struct run *r, const struct lexical_word *w, size_t nw, size_t want,
			   size_t k, struct lexical_hit *hits, size_t *nh, struct qerr *err)
{
	const struct qconf *c = r->conf;
	struct search_prf o = {(size_t)c->search_prf_docs, (size_t)c->search_prf_terms,
			       c->search_prf_weight};
	struct lexical_word *x = NULL;
	struct lexical_hit *more = NULL;
	struct lexq *lq = NULL;
	size_t nx = 0, nm = 0;
	enum qstatus st;
	if (!o.docs || !o.terms || o.weight <= 0 || !*nh)
		return Q_OK;
	if (c->search_prf_keep > 0 && want <= (size_t)c->search_prf_keep)
		return Q_OK;   /* every hit asked for is in the head */
	lexical_query_free(r->lq);
	r->lq = NULL;
	st = search_prf_expand(r->t, hits, *nh, &o, w, nw, &x, &nx, err);
	if (st == Q_OK && !(more = malloc((k ? k : 1) * sizeof *more)))
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	if (st == Q_OK)
		st = lexical_query_new(r->t, r->account, x, nx, &lq, err);
	if (st == Q_OK)
		st = lexical_query_top(lq, k, allowed, r->g, more, &nm, err);
	if (st == Q_OK)
		keep_head(hits, nh, (size_t)c->search_prf_keep, more, nm, k);
	lexical_query_free(lq);
	free(more);
	if (st == Q_OK)
		st = lexical_query_new(r->t, r->account, w, nw, &r->lq, err);
	r->kw_fields = 1;   /* the hits' scores are not their body words' BM25 */
	free(x);
	return st;
}

/* Title evidence (search_title_match): what each of the first depth
 * hits gains from its document's title
 * (search_title_scores) into add (nh entries, the rest 0); kw_raw, what
 * match reads, stays their BM25. */
static enum qstatus title_match(struct run *r, const struct lexical_word *w, size_t nw,
				const struct lexical_hit *hits, size_t nh, size_t depth, double *add,
				struct qerr *err)
{
	const struct qconf *c = r->conf;
	size_t n = nh < depth ? nh : depth;
	const char **keys = NULL;
	enum qstatus st = Q_OK;
	for (size_t i = 0; i < nh; i++)
		add[i] = 0;
	if (c->search_title_match <= 0 || n == 0)
		return Q_OK;
	if (!(keys = malloc(n * sizeof *keys)))
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; i < n; i++)
		keys[i] = hits[i].chunk;
	st = search_title_scores(r->t, r->account, w, nw, keys, n, c->search_title_match,
				 c->search_bm25_k1, add, err);
	free(keys);
	return st;
}

/* The k best allowed chunks by BM25 into kw (in the order found; with
 * document-aware scores, search_doc_candidates at least; with feedback, its head the
 * question's own, the rest the expanded query's, when the caller wants
 * more hits than the head: want, its top_k, also in hybrid search). */
static enum qstatus keyword(struct run *r, const char *query, size_t k, size_t want,
			    size_t title_depth, struct qerr *err)
{
	const struct qconf *c = r->conf;
	struct lexical_wopts o = {0, {0, c->search_title_weight, c->search_section_weight},
				  c->search_compound_weight, c->search_repeat_weight,
				  c->search_spelling};
	enum text_lang primary;
	struct lexical_word *w = NULL;
	struct lexical_hit *hits = NULL;
	double *add = NULL;
	size_t nw, nh = 0;
	if (c->search_doc_spread > 0 && k < (size_t)c->search_doc_candidates)
		k = (size_t)c->search_doc_candidates;
	enum qstatus st = lexical_query_langs(r->t, r->account, query, &o.langs, &primary, err);
	if (st == Q_OK)
		st = lexical_query_words(query, &o, &w, &nw, err);
	for (size_t i = 0; st == Q_OK && i < nw; i++)
		r->kw_fields |= w[i].field != LEX_BODY;
	if (st == Q_OK)
		st = lexical_query_new(r->t, r->account, w, nw, &r->lq, err);
	if (st == Q_OK && !(hits = malloc((k ? k : 1) * sizeof *hits)))
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	if (st == Q_OK)
		st = lexical_query_top(r->lq, k, allowed, r->g, hits, &nh, err);
	r->kw_max = lexical_query_max(r->lq);
	if (st == Q_OK)
		st = expand(r, w, nw, want, k, hits, &nh, err);
	if (st == Q_OK && !(add = malloc((nh ? nh : 1) * sizeof *add)))
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	if (st == Q_OK)
		st = title_match(r, w, nw, hits, nh, title_depth, add, err);
	for (size_t i = 0; st == Q_OK && i < nh; i++)
		if (on_bm25(hits[i].chunk, hits[i].score + add[i], hits[i].score, r))
			st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	if (st == Q_OK)
		st = vgate_status(r->g, err);
	r->kw_complete = nh < k;
	if (st == Q_OK)
		st = doc_aware(r, c->search_doc_spread, err);
	free(w);
	free(hits);
	free(add);
	return st;
}

/* The keyword score of ref among the candidates: 0 when it is not one,
 * which for fusion is as good as its BM25 (below the list's last). */
static float kw_score(const struct run *r, vref ref)
{
	long i = vmap_get(&r->at, ref);
	return i < 0 ? 0 : r->kw_sc[i];
}

/* Its exact BM25 of the body words (fields left out), read from the
 * postings when it is not a candidate or the query has field words. */
static double kw_exact(const struct run *r, vref ref)
{
	char key[72];
	double s = 0;
	struct qerr e;
	long i = vmap_get(&r->at, ref);
	if (i >= 0 && !r->kw_fields)
		return r->kw_raw[i];
	if ((i < 0 && r->kw_complete) || !r->lq)
		return 0;
	vcache_chunk_key(r->c, ref, key, sizeof key);
	if (lexical_query_body(r->lq, key, &s, &e) != Q_OK)
		return 0;
	return s;
}

/* ---- vectors -------------------------------------------------------------- */

static double inv_norm(const float *v, unsigned dims)
{
	double n = 0;
	for (unsigned i = 0; i < dims; i++)
		n += (double)v[i] * v[i];
	return n > 0 ? 1 / sqrt(n) : 0;
}

/* The mean of the unit vectors of the nf chunks of fb into out (zeros
 * when none has a vector); 1 when some had. */
static int feedback_vector(struct run *r, const struct vscored *fb, size_t nf, float *out,
			   float *tmp)
{
	unsigned dims = r->b->dims;
	int any = 0;
	memset(out, 0, dims * sizeof *out);
	for (size_t i = 0; i < nf; i++) {
		if (!vcache_vector(r->c, r->t, fb[i].ref, dims, tmp))
			continue;
		double in = inv_norm(tmp, dims);
		for (unsigned d = 0; d < dims; d++)
			out[d] += (float)(tmp[d] * in);
		any = 1;
	}
	return any;
}

/* The builtin model's query words' context vectors (search_word_context)
 * into r->ctx, left NULL when off, for another model or none found. Before
 * the keyword query: a query over the index holds its chunk table. Each
 * word's weighs its idf to the power search_word_context_idf in hybrid
 * search, where BM25 answers for the common words; semantic search alone
 * keeps the power 1 (it ranked lower with more, docs/search.md). */
static enum qstatus word_context(struct run *r, enum search_method m, const char *query,
				 struct qerr *err)
{
	struct search_context x = {r->t, r->account, r->c, r->g, r->b->dims,
				   (size_t)r->conf->search_word_chunks,
				   m == SEARCH_HYBRID ? r->conf->search_word_context_idf : 1,
				   r->conf->search_word_context_stored && !r->f->org && !r->f->roles &&
					   !r->f->doc_ids && !r->f->folder_ids,
				   r->conf->search_word_context_stale,
				   (size_t)r->conf->search_word_context_stored_min};
	int any = 0;
	enum qstatus st;
	if (r->conf->search_word_context <= 0 || strcmp(r->b->model, EMBED_BUILTIN_MODEL) ||
	    r->b->dims != EMBED_BUILTIN_DIMS)
		return Q_OK;
	if (!(r->ctx = calloc(x.dims, sizeof *r->ctx)))
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	st = search_word_context(&x, query, r->ctx, &any, err);
	if (st != Q_OK || !any) {
		free(r->ctx);
		r->ctx = NULL;
	}
	return st;
}

/* q = a q + w v / |v| (v may be q). */
static void add_unit(float *q, const float *v, unsigned dims, double a, double w)
{
	double nv = inv_norm(v, dims);
	for (unsigned d = 0; d < dims; d++)
		q[d] = (float)(a * q[d] + w * v[d] * nv);
}

/* The k best chunks by vector; with feedback (hybrid: the best keyword
 * chunks, nf of them), the query vector also leans towards their mean. */
static enum qstatus semantic(struct run *r, const char *query, const struct vscored *feedback,
			     size_t nf, size_t k, size_t *n, struct qerr *err)
{
	unsigned dims = r->b->dims;
	float *qv = calloc(dims ? dims : 1, sizeof *qv), *fv = calloc(dims ? dims : 1, sizeof *fv);
	float *tmp = calloc(dims ? dims : 1, sizeof *tmp);
	int8_t *q8 = calloc(dims ? dims : 1, 1);
	float scale;
	int ctx = 0, fb = 0;
	enum qstatus st = Q_OK;
	*n = 0;
	if (!qv || !fv || !tmp || !q8 || !(r->sem = malloc((k ? k : 1) * sizeof *r->sem))) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if ((st = search_embed(r->t, r->account, r->b, query, qv, err)) != Q_OK)
		goto out;
	r->q0_norm = inv_norm(qv, dims);
	ctx = r->ctx != NULL;
	fb = feedback && feedback_vector(r, feedback, nf, fv, tmp);
	if (ctx || fb) {   /* the hits' cosine stays the query's own */
		embed_quantize(qv, dims, q8, &scale);
		if (!(r->q0 = vquery_new(q8, dims, scale))) {
			st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
			goto out;
		}
	}
	/* q / |q| + the feedback + the words' contexts, each a unit vector at
	 * its weight */
	if (ctx || fb)
		add_unit(qv, qv, dims, 0, 1);
	if (fb)
		add_unit(qv, fv, dims, 1, r->conf->search_feedback_weight);
	if (ctx)
		add_unit(qv, r->ctx, dims, 1, r->conf->search_word_context);
	embed_quantize(qv, dims, q8, &scale);
	if (!(r->q = vquery_new(q8, dims, scale)))
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	else
		st = r->kw ? vcache_top_hinted(r->c, r->g, r->q, k, r->kw, r->nkw, r->sem, n, err)
			   : vcache_top(r->c, r->g, r->q, k, r->sem, n, err);
out:
	free(qv);
	free(fv);
	free(tmp);
	free(q8);
	return st;
}

/* ---- hybrid --------------------------------------------------------------- */

struct side {
	const struct vscored *v;   /* best first */
	size_t n;
	double max, min;
	double mean, sd;           /* z: standard scores (search_hybrid_norm zscore) */
	int z;
};

/* A top list; complete: it holds every candidate of its side; z: scores
 * normalised by the list's mean and standard deviation, else by its range. */
static struct side side(const struct vscored *v, size_t n, int complete, int z)
{
	struct side s = {v, n, n ? v[0].score : 0, n ? v[n - 1].score : 0, 0, 0, z};
	double sq = 0;
	/* A chunk missing from a complete keyword list matched no term: its
	 * BM25 is 0, the true floor (else the last match would tie with it). */
	if (complete && s.min > 0)
		s.min = 0;
	for (size_t i = 0; i < n; i++)
		s.mean += v[i].score;
	s.mean = n ? s.mean / (double)n : 0;
	for (size_t i = 0; i < n; i++)
		sq += (v[i].score - s.mean) * (v[i].score - s.mean);
	s.sd = n > 1 ? sqrt(sq / (double)n) : 0;
	return s;
}

/* x normalised by a side's list: to [0, 1] by its range, or (z) its
 * standard score, at least the list's floor's. */
static double unit(const struct side *s, double x)
{
	if (s->z) {
		if (x < s->min)
			x = s->min;
		return s->sd > 0 ? (x - s->mean) / s->sd : 0;
	}
	double u = s->max > s->min ? (x - s->min) / (s->max - s->min) : s->max > 0 ? x / s->max : 0;
	return u < 0 ? 0 : u > 1 ? 1 : u;
}

/* Sums of standard scores rescaled to [0, 1] by their range, in the same
 * order: a hybrid hit's score stays in the range a client's
 * score_threshold and chat's ratios of scores expect. */
static void rescale(struct vscored *v, size_t n)
{
	float lo = n ? v[0].score : 0, hi = lo;
	for (size_t i = 1; i < n; i++) {
		lo = v[i].score < lo ? v[i].score : lo;
		hi = v[i].score > hi ? v[i].score : hi;
	}
	for (size_t i = 0; i < n; i++)
		v[i].score = hi > lo ? (v[i].score - lo) / (hi - lo) : 1;
}

/* Weighted sum of min-max normalised scores (or of standard scores,
 * search_hybrid_norm zscore, then rescaled) over the union of both top
 * lists: a chunk of one list gets its score on the other side as well
 * (BM25 from the candidates, its vector score from the cache). */
static enum qstatus fuse(struct run *r, struct side kw, struct side sem, size_t *n,
			 struct qerr *err)
{
	double w = r->conf->search_hybrid_weight;
	struct vmap seen = {0};
	size_t m = 0;
	enum qstatus st = Q_OK;
	if (!(r->fused = malloc((kw.n + sem.n + 1) * sizeof *r->fused)))
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	for (int list = 0; list < 2; list++) {
		const struct side *s = list ? &sem : &kw;
		for (size_t i = 0; i < s->n; i++) {
			vref ref = s->v[i].ref;
			float ks = s->v[i].score, ss = s->v[i].score;
			if (vmap_get(&seen, ref) >= 0)
				continue;
			if (vmap_put(&seen, ref, 1)) {
				st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
				goto out;
			}
			if (list)
				ks = kw_score(r, ref);
			else if (!vcache_score(r->c, r->t, ref, r->q, &ss))
				ss = (float)sem.min;   /* not embedded yet */
			double score = (1 - w) * unit(&kw, ks) + w * unit(&sem, ss);
			r->fused[m++] = (struct vscored){ref, (float)score};
		}
	}
	if (kw.z)
		rescale(r->fused, m);
	*n = m;
out:
	vmap_free(&seen);
	return st;
}

/* ---- the entry point ------------------------------------------------------ */

static enum qstatus ranked(struct run *r, enum search_method m, const char *query, size_t top_k,
			   const struct vscored **best, size_t *n, struct qerr *err)
{
	enum qstatus st;
	size_t depth = top_k > 100 ? top_k : 100, nk, ns = 0, nf = 0;
	if (m != SEARCH_KEYWORD && (st = word_context(r, m, query, err)) != Q_OK)
		return st;
	if (m == SEARCH_SEMANTIC) {
		st = semantic(r, query, NULL, 0, top_k, n, err);
		*best = r->sem;
		return st;
	}
	/* the titles read again: in hybrid search for the candidates fusion can
	 * raise into the first hits too (search_title_match_hybrid_depth) */
	size_t td = (size_t)r->conf->search_title_match_depth;
	if (m == SEARCH_HYBRID && (size_t)r->conf->search_title_match_hybrid_depth > td)
		td = (size_t)r->conf->search_title_match_hybrid_depth;
	if ((st = keyword(r, query, m == SEARCH_KEYWORD ? top_k : depth, top_k, td, err)) != Q_OK)
		return st;
	nk = vcache_best(r->c, r->kw, r->nkw, m == SEARCH_KEYWORD ? top_k : depth);
	*best = r->kw;
	*n = nk;
	if (m == SEARCH_KEYWORD)
		return Q_OK;
	int z = !strcmp(r->conf->search_hybrid_norm, "zscore");
	size_t fb = (size_t)r->conf->search_feedback_chunks;
	if (fb > nk)
		fb = nk;
	if ((st = semantic(r, query, fb ? r->kw : NULL, fb, depth, &ns, err)) != Q_OK ||
	    (st = fuse(r, side(r->kw, nk, r->kw_complete, z), side(r->sem, ns, 0, z), &nf, err)) != Q_OK)
		return st;
	*n = vcache_best(r->c, r->fused, nf, top_k);
	*best = r->fused;
	return Q_OK;
}

/* A hit's evidence: its BM25 share of the query's maximum (from the
 * candidates, no read) and its cosine with the query's own vector (from
 * the cache, like fuse; only for the top_k returned). */
static void evidence(const struct run *r, enum search_method m, vref ref, struct search_hit *h)
{
	float dot;
	const struct vquery *q = r->q0 ? r->q0 : r->q;
	h->match = m == SEARCH_SEMANTIC ? SEARCH_NO_EVIDENCE
		   : r->kw_max > 0 ? kw_exact(r, ref) / r->kw_max : 0;
	h->cosine = SEARCH_NO_EVIDENCE;
	if (q && vcache_score(r->c, r->t, ref, q, &dot)) {
		double cos = dot * r->q0_norm;
		h->cosine = cos > 1 ? 1 : cos < -1 ? -1 : cos;
	}
}

/* The hits of v[0 .. n) as search_hits (new). */
static enum qstatus to_hits(const struct run *r, enum search_method m, const struct vscored *v,
			    size_t n, struct search_hit **hits, struct qerr *err)
{
	struct search_hit *h = calloc(n ? n : 1, sizeof *h);
	if (!h)
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		vcache_chunk_key(r->c, v[i].ref, h[i].chunk, sizeof h[i].chunk);
		snprintf(h[i].doc, sizeof h[i].doc, "%s", vcache_doc_id(r->c, v[i].ref));
		h[i].score = v[i].score;
		evidence(r, m, v[i].ref, &h[i]);
	}
	*hits = h;
	return Q_OK;
}

enum qstatus search_run(struct stxn *t, const struct qconf *conf, const struct search_filter *f,
			enum search_method method, const char *query, size_t top_k,
			struct search_hit **hits, size_t *n, struct qerr *err)
{
	struct run r = {.t = t, .conf = conf, .f = f, .account = f->account ? f->account : "", .c = vcache_lock()};
	const struct vscored *best = NULL;
	size_t nb = 0;
	enum qstatus st = Q_OK;

	*hits = NULL;
	*n = 0;
	if (method != SEARCH_KEYWORD && !(r.b = search_backend(conf, err))) {
		st = err->st ? err->st : Q_EINTERNAL;
		goto out;
	}
	vcache_set_exact_max((size_t)conf->search_exact_max);
	vcache_set_ivf_probe((size_t)conf->search_ivf_probe);
	vcache_set_ivf_share(conf->search_ivf_probe_share);
	vcache_set_ivf_rescore((size_t)conf->search_ivf_rescore);
	vcache_set_ivf_signs((size_t)conf->search_ivf_signs);
	lexical_set_cache_mb((size_t)conf->search_postings_cache_mb);
	lexical_set_bm25(conf->search_bm25_k1, conf->search_bm25_b);
	st = vcache_sync(r.c, t, r.b ? r.b->model : NULL, (size_t)conf->search_cache_mb << 20, err);
	if (st != Q_OK)
		goto out;
	if (!(r.g = vgate_new(r.c, t, f))) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if ((st = vgate_status(r.g, err)) != Q_OK ||
	    (st = ranked(&r, method, query, top_k, &best, &nb, err)) != Q_OK ||
	    (st = to_hits(&r, method, best, nb, hits, err)) != Q_OK)
		goto out;
	*n = nb;
	search_hits_stage(f, method, query, top_k, *hits, *n);
out:
	lexical_query_free(r.lq);
	vgate_free(r.g);
	vmap_free(&r.at);
	free(r.kw);
	free(r.kw_sc);
	free(r.kw_raw);
	free(r.sem);
	free(r.fused);
	free(r.ctx);
	vquery_free(r.q);
	vquery_free(r.q0);
	vcache_unlock(r.c);
	return st;
}
