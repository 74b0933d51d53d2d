/* search_context.c: word vectors learned at query time from the
 * account's own chunks (their co-occurrence beyond chance), for the
 * builtin model's query (search_word_context, docs/search.md). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "search/search_impl.h"
#include "search/search_context.h"
#include "search/vcache.h"
#include "search/vscan.h"
#include "store/lexical.h"
#include "store/lexical_query.h"
#include "text/text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A chunk the search's filter lets through: the context is learned only
 * from what the search may see. */
static int visible(const char *chunk, size_t len, void *arg)
{
	vref ref;
	return vgate_chunk(arg, chunk, len, &ref);
}

/* The mean of the unit vectors of hits[0 .. n) into v (tmp: dims floats
 * of room); 1 when some had a vector. */
static int mean_vector(struct vcache *c, struct stxn *t, struct vgate *g,
		       const struct lexical_hit *hits, size_t n, unsigned dims, float *v, float *tmp)
{
	int any = 0;
	memset(v, 0, dims * sizeof *v);
	for (size_t i = 0; i < n; i++) {
		vref ref;
		double norm = 0;
		if (!vgate_chunk(g, hits[i].chunk, strlen(hits[i].chunk), &ref) ||
		    !vcache_vector(c, t, ref, dims, tmp))
			continue;
		for (unsigned d = 0; d < dims; d++)
			norm += (double)tmp[d] * tmp[d];
		if (norm <= 0)
			continue;
		norm = 1 / sqrt(norm);
		for (unsigned d = 0; d < dims; d++)
			v[d] += (float)(tmp[d] * norm);
		any = 1;
	}
	return any;
}

/* The mean unit vector of up to BACKGROUND visible chunks spread over the
 * cache into bg: what any chunk has in common (the stop words' trigrams,
 * the collection's common words); 1 when some chunk had a vector. */
#define BACKGROUND 1024
static int background(const struct search_context *x, float *bg, float *tmp)
{
	vref *refs = malloc(BACKGROUND * sizeof *refs);
	size_t n = refs ? vcache_sample(x->c, BACKGROUND, refs) : 0, m = 0;
	memset(bg, 0, x->dims * sizeof *bg);
	for (size_t i = 0; i < n; i++) {
		char key[72];
		vref ref;
		double norm = 0;
		vcache_chunk_key(x->c, refs[i], key, sizeof key);
		if (!vgate_chunk(x->g, key, strlen(key), &ref) || !vcache_vector(x->c, x->t, ref, x->dims, tmp))
			continue;
		for (unsigned d = 0; d < x->dims; d++)
			norm += (double)tmp[d] * tmp[d];
		if (norm <= 0)
			continue;
		norm = 1 / sqrt(norm);
		for (unsigned d = 0; d < x->dims; d++)
			bg[d] += (float)(tmp[d] * norm);
		m++;
	}
	for (unsigned d = 0; m && d < x->dims; d++)
		bg[d] /= (float)m;
	free(refs);
	return m > 0;
}

/* Remembered between queries (vcache_memo_get/put, forgotten when the cache
 * changes): the background and each word's share of out, under the
 * filter, the account's lexical index (chunk count and mean length: a
 * chunk indexed or removed changes them), the chunks per word and the
 * dimensions and the idf power; the value's last float says whether it
 * was found. */
struct memo {
	char key[4096];
	size_t len;               /* the common part; 0: nothing remembered */
	float *val;               /* dims + 1 */
};

static void memo_start(const struct search_context *x, struct memo *m, struct qerr *err)
{
	double n = 0, avgdl = 0;
	size_t at = vgate_signature(x->g, m->key, sizeof m->key - 512);
	m->len = 0;
	if (!at || lexical_collection(x->t, x->account, &n, &avgdl, err) != Q_OK) {
		qerr_clear(err);
		return;
	}
	int k = snprintf(m->key + at, 512, "%.17g|%.17g|%zu|%u|%.17g|", n, avgdl, x->chunks, x->dims,
			 x->idf_power);
	m->len = at + (size_t)k;
}

/* The key of what (wlen bytes) after the common part: its length, or 0. */
static size_t memo_key(struct memo *m, const void *what, size_t wlen)
{
	if (!m->len || !m->val || m->len + wlen > sizeof m->key)
		return 0;
	memcpy(m->key + m->len, what, wlen);
	return m->len + wlen;
}

/* One word's key: its forms, weight and field. */
static size_t word_key(struct memo *m, const struct lexical_word *w)
{
	char b[LANG_MAX * (TEXT_TOKEN_MAX + 2) + 64];
	size_t at = (size_t)snprintf(b, sizeof b, "w%d|%.17g|%d|", w->nalt, w->weight, (int)w->field);
	for (int i = 0; i < LANG_MAX && at + TEXT_TOKEN_MAX + 2 < sizeof b; i++) {
		memcpy(b + at, w->term[i], w->len[i]);
		at += w->len[i];
		b[at++] = '\x1f';
	}
	return memo_key(m, b, at);
}

/* One word's context vector, as a unit vector times its IDF to the power
 * idf_power (search_word_context_idf), added to out;
 * 1 when the word has one. */
static enum qstatus add_word(const struct search_context *x, const struct lexical_word *w,
			     struct lexical_hit *hits, float *v, float *tmp, const float *bg,
			     float *out, int *any, struct memo *m, struct qerr *err)
{
	struct lexq *lq = NULL;
	size_t nh = 0, klen = word_key(m, w);
	if (klen && vcache_memo_get(x->c, m->key, klen, m->val, x->dims + 1)) {
		for (unsigned d = 0; m->val[x->dims] != 0 && d < x->dims; d++)
			out[d] += m->val[d];
		*any |= m->val[x->dims] != 0;
		return Q_OK;
	}
	if (klen)
		memset(m->val, 0, (x->dims + 1) * sizeof *m->val);
	enum qstatus st = lexical_query_new(x->t, x->account, w, 1, &lq, err);
	if (st == Q_OK)
		st = lexical_query_top(lq, x->chunks, visible, x->g, hits, &nh, err);
	if (st != Q_OK || !nh || !mean_vector(x->c, x->t, x->g, hits, nh, x->dims, v, tmp))
		goto out;
	/* what the word's chunks share beyond any chunk: the mean less the
	 * background's, both of unit vectors */
	for (unsigned d = 0; bg && d < x->dims; d++)
		v[d] -= (float)nh * bg[d];
	/* the query's maximum for one word of weight 1 is idf (k1 + 1) */
	double norm = 0, idf = lexical_query_max(lq);
	for (unsigned d = 0; d < x->dims; d++)
		norm += (double)v[d] * v[d];
	if (norm <= 0 || idf <= 0)
		goto out;
	norm = (x->idf_power == 1 ? idf : pow(idf, x->idf_power)) / sqrt(norm);
	for (unsigned d = 0; d < x->dims; d++) {
		out[d] += (float)(v[d] * norm);
		if (klen)
			m->val[d] = (float)(v[d] * norm);
	}
	*any = 1;
	if (klen)
		m->val[x->dims] = 1;
out:
	if (klen && st == Q_OK)
		vcache_memo_put(x->c, m->key, klen, m->val, x->dims + 1);
	lexical_query_free(lq);
	return st;
}

enum qstatus search_word_context(const struct search_context *x, const char *query, float *out,
				 int *any, struct qerr *err)
{
	struct lexical_word *w = NULL;
	struct lexical_hit *hits = NULL;
	float *v = NULL, *tmp = NULL, *bg = NULL;
	struct memo *m = NULL;
	size_t nw = 0, klen;
	int centred = 0;
	unsigned langs;
	enum text_lang primary;
	enum qstatus st;
	*any = 0;
	memset(out, 0, x->dims * sizeof *out);
	st = lexical_query_langs(x->t, x->account, query, &langs, &primary, err);
	if (st == Q_OK)
		st = lexical_words(query, langs, &w, &nw, err);
	if (st != Q_OK || !nw)
		goto out;
	hits = malloc((x->chunks ? x->chunks : 1) * sizeof *hits);
	v = malloc(x->dims * sizeof *v);
	tmp = malloc(x->dims * sizeof *tmp);
	bg = malloc((x->dims + 1) * sizeof *bg);
	m = calloc(1, sizeof *m);
	if (!hits || !v || !tmp || !bg || !m || !(m->val = malloc((x->dims + 1) * sizeof *m->val))) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	memo_start(x, m, err);
	if ((klen = memo_key(m, "bg", 2)) && vcache_memo_get(x->c, m->key, klen, bg, x->dims + 1)) {
		centred = bg[x->dims] != 0;
	} else {
		centred = bg[x->dims] = (float)background(x, bg, tmp);
		if (klen)
			vcache_memo_put(x->c, m->key, klen, bg, x->dims + 1);
	}
	for (size_t i = 0; st == Q_OK && i < nw; i++)
		st = add_word(x, &w[i], hits, v, tmp, centred ? bg : NULL, out, any, m, err);
out:
	if (m)
		free(m->val);
	free(m);
	free(w);
	free(hits);
	free(v);
	free(tmp);
	free(bg);
	return st;
}
