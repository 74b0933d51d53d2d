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
#include "store/store.h"
#include "base/log.h"
#include "base/util.h"
#include "embed/embed_builtin.h"
#include "text/text.h"
#include "search/search.h"

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
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
		double norm = 0;
		/* the cache's own references: no chunk key to write and look up */
		if (!vgate_ref(x->g, refs[i]) || !vcache_vector(x->c, x->t, refs[i], x->dims, tmp))
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

/* ---- stored contexts (search_word_context_stored) ------------------------
 * quire-embed computes each word's context over the whole account ahead
 * (search_context_build) and keeps it in the account's range of the
 * keyword index (T_POSTINGS, beside the chunk numbers: a rebuild of the
 * index drops them with it): under tag "\001c" term, the sum of the unit
 * vectors of the word's best chunks less their number times the account's
 * background at the start (bgb: int8 and a scale, the residual being far
 * smaller than the sum, whose common part the background is), their
 * number and the word's attainable score; under tag "\001m" what they were
 * computed for (model, dimensions, chunks per word, the fewest chunks a
 * stored word is in), the account's chunk count and changes ("ch" of its
 * statistics) at the start, and bgb (dims floats). Words in fewer than
 * search_word_context_stored_min chunks are not stored: a query learns
 * them (their few postings and vectors cost little), and they are most of
 * an account's words. A query centres and weighs the stored sum
 * (residual + nh bgb) as it would its own (add_word), so with nothing
 * changed since the answer is the one learned afresh over the account
 * (within the int8 rounding of the residual). */
#define WCTX_VERSION 2
static unsigned long stored_hits;   /* words answered from them (tests, bench) */

unsigned long search_context_stored_hits(void)
{
	return stored_hits;
}

struct wmeta {
	uint32_t version, dims, chunks, min;
	double n, ch;
	char model[64];
	/* then bgb: dims floats */
};
#define WMETA_MAX (sizeof(struct wmeta) + 4096 * sizeof(float))
struct wrec {
	uint32_t nh;        /* chunks summed; 0: the word has no context */
	float qmax, scale;  /* lexical_query_max for weight 1; residual[d] * scale */
	/* then dims int8 */
};

static void wctx_key(struct store_key *k, uint64_t tag, const char *term, size_t len)
{
	char t[TEXT_TOKEN_MAX + 1];
	store_key_init(k);
	store_key_u64(k, tag);
	store_key_str(k, "\001c");
	if (!term)
		return;   /* the prefix of them all */
	if (len > TEXT_TOKEN_MAX)
		len = TEXT_TOKEN_MAX;
	memcpy(t, term, len);
	t[len] = '\0';
	store_key_str(k, t);
}

static void wmeta_key(struct store_key *k, uint64_t tag)
{
	store_key_init(k);
	store_key_u64(k, tag);
	store_key_str(k, "\001m");
}

/* The account's chunk count and changes so far. */
static enum qstatus account_changes(struct stxn *t, const char *account, double *n, double *ch,
				    struct qerr *err)
{
	json_t *rec = NULL;
	enum qstatus st = lexical_stats_get(t, account, &rec, err);
	*n = *ch = 0;
	if (st == Q_OK && rec) {
		*n = (double)json_integer_value(json_object_get(rec, "n"));
		*ch = (double)json_integer_value(json_object_get(rec, "ch"));
	}
	json_decref(rec);
	return st;
}

/* Whether the account's stored contexts (meta m) are computed, for model,
 * dims and chunks per word, and current: changes since within stale. */
static int wmeta_current(const struct wmeta *m, size_t mlen, const char *model, unsigned dims,
			 size_t chunks, size_t min, double ch, double stale)
{
	return mlen == sizeof *m + dims * sizeof(float) && m->version == WCTX_VERSION &&
	       m->dims == dims && m->chunks == chunks && m->min == min &&
	       !strncmp(m->model, model, sizeof m->model) &&
	       ch - m->ch <= stale * (m->n > 1 ? m->n : 1);
}

/* Whether x may read stored contexts now (x->stored and current); the
 * background they were computed against into bgb (dims floats). */
static int stored_usable(const struct search_context *x, float *bgb, struct qerr *err)
{
	struct store_key k;
	unsigned char *buf;
	struct wmeta m;
	size_t len = 0;
	double n, ch;
	int ok;
	if (!x->stored || x->dims > 4096 || !(buf = malloc(WMETA_MAX)))
		return 0;
	wmeta_key(&k, lexical_tag(x->account));
	if (store_get_rawkey(x->t, T_POSTINGS, &k, buf, WMETA_MAX, &len, 0, err) != Q_OK ||
	    account_changes(x->t, x->account, &n, &ch, err) != Q_OK) {
		qerr_clear(err);
		free(buf);
		return 0;
	}
	memcpy(&m, buf, len < sizeof m ? len : sizeof m);
	ok = len >= sizeof m && wmeta_current(&m, len, EMBED_BUILTIN_MODEL, x->dims, x->chunks,
					      x->stored_min, ch, x->stale);
	if (ok)
		memcpy(bgb, buf + sizeof m, x->dims * sizeof *bgb);
	free(buf);
	return ok;
}

/* Word w's stored context (its residual from bgb) centred on bg (NULL:
 * none) and weighed as add_word does, into val (dims + 1, the last 1 when
 * it has one); 1 when stored (with a context or without), 0 when not
 * (learn it: a rare word, or new since). */
static int stored_word(const struct search_context *x, const struct lexical_word *w,
		       const float *bgb, const float *bg, float *val)
{
	struct store_key k;
	struct qerr err;
	size_t len = 0, need = sizeof(struct wrec) + x->dims;
	unsigned char buf[sizeof(struct wrec) + 4096];
	struct wrec r;
	if (w->nalt != 1 || w->field != LEX_BODY || need > sizeof buf)
		return 0;
	wctx_key(&k, lexical_tag(x->account), w->term[0], w->len[0]);
	if (store_get_rawkey(x->t, T_POSTINGS, &k, buf, sizeof buf, &len, 0, &err) != Q_OK ||
	    len != need) {
		qerr_clear(&err);
		return 0;
	}
	memcpy(&r, buf, sizeof r);
	memset(val, 0, (x->dims + 1) * sizeof *val);
	if (!r.nh)
		return 1;
	double norm = 0, idf = r.qmax * w->weight;
	for (unsigned d = 0; d < x->dims; d++) {
		int8_t q = (int8_t)buf[sizeof r + d];
		val[d] = (float)q * r.scale + (float)r.nh * (bgb[d] - (bg ? bg[d] : 0));
		norm += (double)val[d] * val[d];
	}
	if (norm <= 0 || idf <= 0) {
		memset(val, 0, x->dims * sizeof *val);
		return 1;
	}
	norm = (x->idf_power == 1 ? idf : pow(idf, x->idf_power)) / sqrt(norm);
	for (unsigned d = 0; d < x->dims; d++)
		val[d] = (float)(val[d] * norm);
	val[x->dims] = 1;
	return 1;
}

/* Remembered between queries (vcache_memo_get/put, forgotten when the cache
 * changes): the background and each word's share of out, under the
 * filter, the account's lexical index (chunk count and mean length: a
 * chunk indexed or removed changes them), the chunks per word and the
 * dimensions, the idf power and whether stored contexts were read; the
 * value's last float says whether it was found. */
struct memo {
	char key[4096];
	size_t len;               /* the common part; 0: nothing remembered */
	float *val;               /* dims + 1 */
};

static void memo_start(const struct search_context *x, struct memo *m, int stored,
		       struct qerr *err)
{
	double n = 0, avgdl = 0;
	size_t at = vgate_signature(x->g, m->key, sizeof m->key - 512);
	m->len = 0;
	if (!at || lexical_collection(x->t, x->account, &n, &avgdl, err) != Q_OK) {
		qerr_clear(err);
		return;
	}
	int k = snprintf(m->key + at, 512, "%.17g|%.17g|%zu|%u|%.17g|%d|", n, avgdl, x->chunks,
			 x->dims, x->idf_power, stored);
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
			     float *out, int *any, struct memo *m, const float *bgb,
			     struct qerr *err)
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
	if (bgb && m->val && stored_word(x, w, bgb, bg, m->val)) {
		for (unsigned d = 0; m->val[x->dims] != 0 && d < x->dims; d++)
			out[d] += m->val[d];
		*any |= m->val[x->dims] != 0;
		if (klen)
			vcache_memo_put(x->c, m->key, klen, m->val, x->dims + 1);
		stored_hits++;
		return Q_OK;
	}
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
	float *v = NULL, *tmp = NULL, *bg = NULL, *bgb = NULL;
	struct memo *m = NULL;
	size_t nw = 0, klen;
	int centred = 0, stored = 0;
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
	stored = x->stored && (bgb = malloc(x->dims * sizeof *bgb)) && stored_usable(x, bgb, err);
	memo_start(x, m, stored, err);
	if ((klen = memo_key(m, "bg", 2)) && vcache_memo_get(x->c, m->key, klen, bg, x->dims + 1)) {
		centred = bg[x->dims] != 0;
	} else {
		centred = bg[x->dims] = (float)background(x, bg, tmp);
		if (klen)
			vcache_memo_put(x->c, m->key, klen, bg, x->dims + 1);
	}
	for (size_t i = 0; st == Q_OK && i < nw; i++)
		st = add_word(x, &w[i], hits, v, tmp, centred ? bg : NULL, out, any, m,
			      stored ? bgb : NULL, err);
out:
	if (m)
		free(m->val);
	free(m);
	free(w);
	free(hits);
	free(v);
	free(tmp);
	free(bg);
	free(bgb);
	return st;
}

/* ---- computing them ahead (quire-embed) ---------------------------------- */

#define BUILD_BATCH 1000   /* words a transaction */
struct wbuild {
	const struct qconf *conf;
	const char *account;
	uint64_t tag;
	size_t max_bytes;
	struct store_key from;     /* the next key to list words from */
	int end;                   /* no more words */
	char (*terms)[TEXT_TOKEN_MAX + 1];
	size_t nt;
	size_t words, with, rare;  /* stored so far; with a context; left to queries */
	size_t min;                /* search_word_context_stored_min */
	double n, ch;              /* the account's at the start */
	json_int_t epoch;          /* its statistics' epoch at the start */
	float *bgb;                /* its background at the start (dims) */
	int seek;                  /* listing met a block: seek past its term */
};

/* Terms of the account's index from b->from: heads (tag, term) only;
 * a term's sealed blocks (tag, term, u32) end the scan, and the next one
 * seeks past them. */
static int list_cb(const void *key, size_t klen, const void *val, size_t vlen, void *arg)
{
	struct wbuild *b = arg;
	const char *k = key;
	(void)val;
	(void)vlen;
	if (klen < 10 || k[8] == '\001')
		return 0;   /* the chunk numbers' and the contexts' own records */
	size_t tl = strnlen(k + 8, klen - 8);
	/* the next listing starts past this term's blocks */
	memcpy(b->from.b, k, 8 + tl + 1 <= klen ? 8 + tl + 1 : klen);
	b->from.len = 8 + tl + 1 <= klen ? 8 + tl + 1 : klen;
	memset(b->from.b + b->from.len, 0xff, 5);
	b->from.len += 5;
	if (tl + 9 != klen) {   /* a block: seek past them */
		b->seek = 1;
		return 1;
	}
	if (tl <= TEXT_TOKEN_MAX) {
		memcpy(b->terms[b->nt], k + 8, tl);
		b->terms[b->nt][tl] = '\0';
		b->nt++;
	}
	return b->nt >= BUILD_BATCH;
}

static enum qstatus list_terms(struct stxn *t, struct wbuild *b, struct qerr *err)
{
	struct store_key prefix;
	enum qstatus st = Q_OK;
	store_key_init(&prefix);
	store_key_u64(&prefix, b->tag);
	b->nt = 0;
	while (st == Q_OK && b->nt < BUILD_BATCH) {
		struct store_key from = b->from;
		b->seek = 0;
		st = store_scan_raw_from(t, T_POSTINGS, &prefix, &from, list_cb, b, err);
		if (st == Q_OK && !b->seek && b->nt < BUILD_BATCH) {
			b->end = 1;
			break;
		}
	}
	return st;
}

/* One word's record: the uncentred sum over its best visible chunks. */
static enum qstatus build_word(struct stxn *t, struct wbuild *b, struct vcache *c,
			       struct vgate *g, const char *term, struct lexical_hit *hits,
			       float *v, float *tmp, unsigned char *buf, struct qerr *err)
{
	struct lexical_word w;
	struct lexq *lq = NULL;
	struct wrec r = {0, 0, 0};
	struct store_key k;
	struct lexical_qstats qs;
	size_t nh = 0, chunks = (size_t)b->conf->search_word_chunks;
	unsigned dims = EMBED_BUILTIN_DIMS;
	memset(&w, 0, sizeof w);
	w.len[0] = (unsigned char)strlen(term);
	memcpy(w.term[0], term, w.len[0]);
	w.nalt = 1;
	w.weight = 1;
	w.field = LEX_BODY;
	memset(v, 0, dims * sizeof *v);
	enum qstatus st = lexical_query_new(t, b->account, &w, 1, &lq, err);
	/* its postings (df, any chunk's): a rare word is left to queries */
	lexical_query_stats(lq, &qs);
	if (st == Q_OK && qs.postings < b->min) {
		lexical_query_free(lq);
		b->rare++;
		return Q_OK;
	}
	if (st == Q_OK)
		st = lexical_query_top(lq, chunks, visible, g, hits, &nh, err);
	if (st == Q_OK && nh && mean_vector(c, t, g, hits, nh, dims, v, tmp)) {
		float mx = 0;
		r.nh = (uint32_t)nh;
		for (unsigned d = 0; d < dims; d++) {
			v[d] -= (float)nh * b->bgb[d];   /* the residual from the background */
			mx = fabsf(v[d]) > mx ? fabsf(v[d]) : mx;
		}
		r.qmax = (float)lexical_query_max(lq);
		r.scale = mx > 0 ? mx / 127 : 1;
	}
	lexical_query_free(lq);
	if (st != Q_OK)
		return st;
	for (unsigned d = 0; d < dims; d++)
		buf[sizeof r + d] = (unsigned char)(int8_t)(r.nh ? lrintf(v[d] / r.scale) : 0);
	memcpy(buf, &r, sizeof r);
	wctx_key(&k, b->tag, term, strlen(term));
	st = store_put_rawkey(t, T_POSTINGS, &k, buf, sizeof r + dims, err);
	b->words++;
	b->with += r.nh != 0;
	return st;
}

static enum qstatus build_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct wbuild *b = arg;
	struct search_filter f = {.account = b->account};
	struct vcache *c = vcache_lock();
	struct vgate *g = NULL;
	size_t chunks = (size_t)b->conf->search_word_chunks;
	struct lexical_hit *hits = malloc(chunks * sizeof *hits);
	float *v = malloc(EMBED_BUILTIN_DIMS * sizeof *v), *tmp = malloc(EMBED_BUILTIN_DIMS * sizeof *tmp);
	unsigned char *buf = malloc(sizeof(struct wrec) + EMBED_BUILTIN_DIMS);
	struct wbuild save = *b;
	enum qstatus st = vcache_sync(c, t, EMBED_BUILTIN_MODEL, b->max_bytes, err);
	if (st == Q_OK && (!hits || !v || !tmp || !buf || !(g = vgate_new(c, t, &f))))
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	if (st == Q_OK)
		st = vgate_status(g, err);
	if (st == Q_OK)
		st = list_terms(t, b, err);
	for (size_t i = 0; st == Q_OK && i < b->nt; i++)
		st = build_word(t, b, c, g, b->terms[i], hits, v, tmp, buf, err);
	vgate_free(g);
	vcache_unlock(c);
	free(hits);
	free(v);
	free(tmp);
	free(buf);
	if (st != Q_OK) {   /* tried again from the same word */
		char (*terms)[TEXT_TOKEN_MAX + 1] = b->terms;
		*b = save;
		b->terms = terms;
	}
	return st;
}

/* Up to BUILD_BATCH stored contexts (and the meta record) removed; *left
 * 1 when there may be more. */
struct wclear {
	struct store_key *k;
	size_t n;
};

static int clear_cb(const void *key, size_t klen, const void *val, size_t vlen, void *arg)
{
	struct wclear *w = arg;
	(void)val;
	(void)vlen;
	if (klen > STORE_KEY_MAX)
		return 0;
	memcpy(w->k[w->n].b, key, klen);
	w->k[w->n].len = klen;
	return ++w->n >= BUILD_BATCH;
}

static enum qstatus clear_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct wbuild *b = arg;
	struct store_key prefix, mk;
	struct wclear w = {malloc(BUILD_BATCH * sizeof *w.k), 0};
	if (!w.k)
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	wmeta_key(&mk, b->tag);
	enum qstatus st = store_del_rawkey(t, T_POSTINGS, &mk, err);
	if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		st = Q_OK;
	}
	wctx_key(&prefix, b->tag, NULL, 0);
	if (st == Q_OK)
		st = store_scan_raw(t, T_POSTINGS, &prefix, clear_cb, &w, err);
	for (size_t i = 0; st == Q_OK && i < w.n; i++)
		st = store_del_rawkey(t, T_POSTINGS, &w.k[i], err);
	b->end = st == Q_OK && w.n < BUILD_BATCH;
	free(w.k);
	return st;
}

/* Q_ESTATE while the keyword index is not whole (a rebuild clearing it,
 * or one not ended): contexts learnt from part of it would be stored as
 * current. *epoch gets the account's statistics' epoch (a rebuild draws
 * a new one). */
static enum qstatus index_whole(struct stxn *t, const char *account, json_int_t *epoch,
				struct qerr *err)
{
	int v;
	json_t *rec = NULL;
	enum qstatus st = lexical_version(t, &v, err);
	if (st == Q_OK && v != LEXICAL_VERSION)
		return qerr_set(err, Q_ESTATE, NULL,
				"the keyword index is being rebuilt: word contexts wait for it");
	if (st == Q_OK)
		st = lexical_stats_get(t, account, &rec, err);
	*epoch = st == Q_OK && rec ? json_integer_value(json_object_get(rec, "epoch")) : 0;
	json_decref(rec);
	return st;
}

/* The account's chunk count, changes and background (as a query over the
 * whole account centres on) at the start. */
static enum qstatus start_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct wbuild *b = arg;
	struct search_filter f = {.account = b->account};
	struct vcache *c = vcache_lock();
	struct vgate *g = NULL;
	float *tmp = malloc(EMBED_BUILTIN_DIMS * sizeof *tmp);
	enum qstatus st = index_whole(t, b->account, &b->epoch, err);
	if (st == Q_OK)
		st = account_changes(t, b->account, &b->n, &b->ch, err);
	if (st == Q_OK)
		st = vcache_sync(c, t, EMBED_BUILTIN_MODEL, b->max_bytes, err);
	if (st == Q_OK && (!tmp || !(g = vgate_new(c, t, &f))))
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	if (st == Q_OK)
		st = vgate_status(g, err);
	if (st == Q_OK) {
		struct search_context x = {t, b->account, c, g, EMBED_BUILTIN_DIMS, 0, 1, 0, 0, 0};
		background(&x, b->bgb, tmp);   /* zeros when none: the residual is the sum */
	}
	vgate_free(g);
	vcache_unlock(c);
	free(tmp);
	return st;
}

static enum qstatus meta_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct wbuild *b = arg;
	struct store_key k;
	struct wmeta m;
	unsigned char buf[sizeof m + EMBED_BUILTIN_DIMS * sizeof(float)];
	json_int_t epoch;
	/* a rebuild begun while they were computed: not marked current (the
	 * next build clears them) */
	enum qstatus st = index_whole(t, b->account, &epoch, err);
	if (st != Q_OK)
		return st;
	if (epoch != b->epoch)
		return qerr_set(err, Q_ESTATE, NULL,
				"the keyword index was rebuilt meanwhile: word contexts computed again later");
	memset(&m, 0, sizeof m);
	m.version = WCTX_VERSION;
	m.dims = EMBED_BUILTIN_DIMS;
	m.chunks = (uint32_t)b->conf->search_word_chunks;
	m.min = (uint32_t)b->min;
	m.n = b->n;
	m.ch = b->ch;
	snprintf(m.model, sizeof m.model, "%s", EMBED_BUILTIN_MODEL);
	memcpy(buf, &m, sizeof m);
	memcpy(buf + sizeof m, b->bgb, EMBED_BUILTIN_DIMS * sizeof(float));
	wmeta_key(&k, b->tag);
	return store_put_rawkey(t, T_POSTINGS, &k, buf, sizeof buf, err);
}

enum qstatus search_context_build(struct store *s, const struct qconf *conf, const char *account,
				  size_t *words, size_t *with, struct qerr *err)
{
	struct wbuild b;
	enum qstatus st;
	memset(&b, 0, sizeof b);
	b.conf = conf;
	b.account = account;
	b.tag = lexical_tag(account);
	b.max_bytes = (size_t)conf->search_cache_mb << 20;
	b.min = (size_t)conf->search_word_context_stored_min;
	*words = *with = 0;
	b.terms = malloc(BUILD_BATCH * sizeof *b.terms);
	b.bgb = calloc(EMBED_BUILTIN_DIMS, sizeof *b.bgb);
	if (!b.terms || !b.bgb) {
		free(b.terms);
		free(b.bgb);
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	}
	/* the old ones go first: meanwhile queries learn their words */
	do
		st = store_run(s, clear_fn, &b, err);
	while (st == Q_OK && !b.end);
	/* the changes counted from here: any during the computing count */
	if (st == Q_OK)
		st = store_run(s, start_fn, &b, err);
	b.end = 0;
	store_key_init(&b.from);
	store_key_u64(&b.from, b.tag);
	store_key_str(&b.from, "\002");   /* past the chunk numbers' "\001" records */
	b.from.len--;
	while (st == Q_OK && !b.end)
		st = store_run(s, build_fn, &b, err);
	if (st == Q_OK)
		st = store_run(s, meta_fn, &b, err);
	free(b.terms);
	free(b.bgb);
	*words = b.words;
	*with = b.with;
	return st;
}

/* ---- when (quire-embed) ---------------------------------------------------- */

struct wlook {
	const struct qconf *conf;
	json_t *due;   /* account ids */
};

static int stats_key_cb(const char *pk, void *arg)
{
	json_t *keys = arg;
	if (!strncmp(pk, "bm25:", 5) && pk[5])
		json_array_append_new(keys, json_string(pk + 5));
	return 0;
}

static enum qstatus look_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct wlook *l = arg;
	json_t *accounts = json_array();
	size_t i;
	json_t *a;
	int v;
	json_array_clear(l->due);
	if (!accounts)
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	enum qstatus vs = lexical_version(t, &v, err);
	if (vs != Q_OK || v != LEXICAL_VERSION) {   /* a rebuild first */
		json_decref(accounts);
		return vs;
	}
	unsigned char *buf = malloc(WMETA_MAX);
	enum qstatus st = buf ? store_scan_table(t, T_STATS, stats_key_cb, accounts, err)
			      : qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	json_array_foreach(accounts, i, a) {
		struct store_key k;
		struct wmeta m;
		size_t len = 0;
		double n, ch;
		if (st != Q_OK)
			break;
		const char *acc = json_string_value(a);
		wmeta_key(&k, lexical_tag(acc));
		st = store_get_rawkey(t, T_POSTINGS, &k, buf, WMETA_MAX, &len, 0, err);
		if (st == Q_ENOTFOUND || st == Q_ENOMEM || len < sizeof m) {
			qerr_clear(err);
			st = Q_OK;
			len = 0;
		}
		memset(&m, 0, sizeof m);
		memcpy(&m, buf, len < sizeof m ? len : sizeof m);
		if (st == Q_OK)
			st = account_changes(t, acc, &n, &ch, err);
		if (st == Q_OK && n > 0 &&
		    !wmeta_current(&m, len, EMBED_BUILTIN_MODEL, EMBED_BUILTIN_DIMS,
				   (size_t)l->conf->search_word_chunks,
				   (size_t)l->conf->search_word_context_stored_min, ch,
				   l->conf->search_word_context_stale))
			json_array_append(l->due, a);
	}
	json_decref(accounts);
	free(buf);
	return st;
}

int search_context_look(struct store *s, const struct qconf *conf, const char *model,
			struct qerr *err)
{
	struct wlook l = {conf, json_array()};
	size_t i, built = 0;
	json_t *a;
	if (!conf->search_word_context_stored || conf->search_word_context <= 0 ||
	    strcmp(model, EMBED_BUILTIN_MODEL)) {
		json_decref(l.due);
		return 0;
	}
	if (!l.due || store_run(s, look_fn, &l, err) != Q_OK) {
		json_decref(l.due);
		return -1;
	}
	json_array_foreach(l.due, i, a) {
		size_t words, with;
		int64_t t0 = q_now_us();
		enum qstatus st = search_context_build(s, conf, json_string_value(a), &words, &with, err);
		if (st == Q_ESTATE) {   /* a rebuild began: the next look */
			QLOG_INFO("word contexts of account %s: %s", json_string_value(a), err->msg);
			qerr_clear(err);
			break;
		}
		if (st != Q_OK) {
			json_decref(l.due);
			return -1;
		}
		QLOG_INFO("word contexts: %zu words of account %s stored (%zu with a context) in %.2f s",
			  words, json_string_value(a), with, (double)(q_now_us() - t0) / 1e6);
		built++;
	}
	json_decref(l.due);
	return built > 0;
}
