/* vscan.h: a query's filter over the cached documents, the int8 dot-product
 * kernel and the exact top-k vector scan (see vcache.h). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_SEARCH_VSCAN_H
#define QUIRE_SEARCH_VSCAN_H

#include "search/vcache.h"
#include "search/vcache_impl.h"
#include "search/vdot.h"

/* Tests: the fastest kernel of the prefilter's distance against the plain
 * one on rounds random codes of dims dimensions: how many differ. */
unsigned vscan_code_check(unsigned dims, unsigned rounds);
/* Tests: the sign pass's fastest kernel against the plain one and the
 * definition on rounds random rows of dims dimensions: how many differ. */
unsigned vscan_signs_check(unsigned dims, unsigned rounds);
/* Tests: the sign pass's cut gathered the fast way (AVX-512, 16 at a
 * time) against a plain loop on random distances and cuts: how many of
 * rounds differ (0 where the CPU has no such way). */
unsigned vscan_between_check(unsigned rounds);

struct vgate *vgate_new(struct vcache *c, struct stxn *t, const struct search_filter *f);
void vgate_free(struct vgate *g);
/* 1 and *r when the chunk key (len bytes) belongs to a document the filter
 * allows; 0 otherwise. A document not yet cached is read in the gate's
 * transaction. */
int vgate_chunk(struct vgate *g, const char *key, size_t len, vref *r);
/* 1 when the document of r, a vector the cache holds, is allowed. */
int vgate_ref(struct vgate *g, vref r);
/* Q_OK, or the first error met while reading documents. */
enum qstatus vgate_status(const struct vgate *g, struct qerr *err);
/* The gate's filter as bytes (account, knowledge base, org, roles,
 * document and folder ids) into out (cap bytes); how many, 0 when they do
 * not fit (then nothing may be remembered under it). Equal filters give
 * equal bytes. */
size_t vgate_signature(const struct vgate *g, char *out, size_t cap);

struct vquery *vquery_new(const int8_t *q, unsigned dims, float scale);
void vquery_free(struct vquery *q);
/* The k best allowed chunks by q . v (cosine for L2-normalised vectors),
 * best first, ties by chunk key, into out (k entries); *n gets how many.
 * Vectors of another dimension never match. */
enum qstatus vcache_top(struct vcache *c, struct vgate *g, const struct vquery *q, size_t k,
			struct vscored *out, size_t *n, struct qerr *err);
/* vcache_top with hints (hybrid search: the keyword candidates, allowed
 * chunks): past search_exact_max, when the cache has the inverted file's
 * lists (ivf.h), it scans the search_ivf_probe lists nearest q and scores
 * the hints outside them, instead of the binary prefilter over every code;
 * otherwise as vcache_top. hint may be NULL (no hints, lists still used). */
enum qstatus vcache_top_hinted(struct vcache *c, struct vgate *g, const struct vquery *q,
			       size_t k, const struct vscored *hint, size_t nhint,
			       struct vscored *out, size_t *n, struct qerr *err);
/* Up to n cached vectors vcache_top scans exactly; above, it ranks the
 * candidates a pass over sign bits picks (search_exact_max; SIZE_MAX,
 * the default: always exact). */
void vcache_set_exact_max(size_t n);
/* Past search_exact_max, with the inverted file's centroids (ivf.h): the
 * n lists nearest the query are scanned (search_ivf_probe; default 128; 0:
 * the inverted file is not used). */
void vcache_set_ivf_probe(size_t n);
/* At least this share of the lists is scanned when it is more lists than
 * search_ivf_probe (search_ivf_probe_share; default 0.38; 0: the count
 * alone); nothing when search_ivf_probe is 0. */
void vcache_set_ivf_share(double share);
/* How many of the probed lists' allowed vectors are scored with int8,
 * nearest by their 2-bit codes first (search_ivf_rescore; default 2000;
 * 0: every allowed vector of the lists, no codes). */
void vcache_set_ivf_rescore(size_t n);
/* A first pass over the probed lists by their sign bits alone: the
 * nearest n allowed vectors by the signs go on to their 2-bit codes
 * (search_ivf_signs; default 16000; 0: every vector of the lists by its
 * code). */
void vcache_set_ivf_signs(size_t n);
/* The score of chunk r against q: 1 and *score when it has a vector of
 * the model (read in t when vectors are not held), 0 otherwise. */
int vcache_score(const struct vcache *c, struct stxn *t, vref r, const struct vquery *q,
		 float *score);

/* Chunk r's vector as floats (dims values, read in t when vectors are not
 * held): 1, or 0 when it has none of that dimension. */
int vcache_vector(const struct vcache *c, struct stxn *t, vref r, unsigned dims, float *out);

/* Put the k best of v[0 .. n) (by score, ties by chunk key) first, in
 * order; returns min(k, n). */
size_t vcache_best(const struct vcache *c, struct vscored *v, size_t n, size_t k);


void vcache_stats(struct vcache_stats *out);

#endif
