/* search_prf.c: pseudo-relevance feedback for keyword search (RM3): the
 * query gains the words that weigh most in its best hits (docs/search.md). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "search/search_prf.h"
#include "store/lexical.h"
#include "store/store.h"
#include "text/text.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* A term of a hit with its share of the feedback model. */
struct fterm {
	char term[TEXT_TOKEN_MAX + 1];
	unsigned char len;
	double p;
};

struct fmodel {
	struct fterm *v;
	size_t n, alloc;
	double doc;               /* the hit's weight, P(d | q) */
	int oom;
};

/* A term worth adding: not a number alone (years, counts and doses are
 * rarely what two texts on one subject share), at least two bytes. */
static int useful(const char *term, size_t len)
{
	size_t digits = 0;
	for (size_t i = 0; i < len; i++)
		digits += term[i] >= '0' && term[i] <= '9';
	return len >= 2 && digits < len;
}

/* One term of the hit being read: P(t | d) P(d | q), summed later. */
static void on_term(const char *term, size_t len, unsigned tf, size_t total, void *arg)
{
	struct fmodel *m = arg;
	if (m->oom || !total || !useful(term, len) || len > TEXT_TOKEN_MAX)
		return;
	if (m->n == m->alloc) {
		size_t na = m->alloc ? m->alloc * 2 : 256;
		void *p = realloc(m->v, na * sizeof *m->v);
		if (!p) {
			m->oom = 1;
			return;
		}
		m->v = p;
		m->alloc = na;
	}
	struct fterm *f = &m->v[m->n++];
	memcpy(f->term, term, len);
	f->len = (unsigned char)len;
	f->p = m->doc * tf / (double)total;
}

static int by_term(const void *a, const void *b)
{
	const struct fterm *x = a, *y = b;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->term, y->term, x->len);
}

static int by_weight(const void *a, const void *b)
{
	const struct fterm *x = a, *y = b;
	if (x->p != y->p)
		return x->p > y->p ? -1 : 1;
	return by_term(a, b);
}

/* The hits' terms into m, each hit weighted by its share of their scores. */
static enum qstatus read_hits(struct stxn *t, const struct lexical_hit *hits, size_t nh,
			      struct fmodel *m, struct qerr *err)
{
	double sum = 0;
	enum qstatus st = Q_OK;
	for (size_t i = 0; i < nh; i++)
		sum += hits[i].score > 0 ? hits[i].score : 0;
	for (size_t i = 0; i < nh && sum > 0 && st == Q_OK; i++) {
		json_t *rec = NULL;
		st = store_get(t, T_CHUNKS, hits[i].chunk, &rec, 0, err);
		if (st == Q_ENOTFOUND) {   /* deleted since it was found */
			st = Q_OK;
			continue;
		}
		m->doc = (hits[i].score > 0 ? hits[i].score : 0) / sum;
		if (st == Q_OK)
			st = lexical_text_terms(json_string_value(json_object_get(rec, "text")),
						(enum text_lang)json_integer_value(json_object_get(rec, "lang")),
						on_term, m, err);
		json_decref(rec);
	}
	if (st == Q_OK && m->oom)
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	return st;
}

/* The same term's shares summed, then the best first. */
static void merge(struct fmodel *m)
{
	size_t k = 0;
	if (!m->n)
		return;
	qsort(m->v, m->n, sizeof *m->v, by_term);
	for (size_t i = 1; i < m->n; i++) {
		if (!by_term(&m->v[i], &m->v[k]))
			m->v[k].p += m->v[i].p;
		else
			m->v[++k] = m->v[i];
	}
	m->n = k + 1;
	qsort(m->v, m->n, sizeof *m->v, by_weight);
}

/* The query's body word holding term, or -1. */
static long find_word(const struct lexical_word *w, size_t nw, const struct fterm *f)
{
	for (size_t i = 0; i < nw; i++) {
		if (w[i].field != LEX_BODY)
			continue;
		for (int j = 0; j < w[i].nalt; j++)
			if (w[i].len[j] == f->len && !memcmp(w[i].term[j], f->term, f->len))
				return (long)i;
	}
	return -1;
}

enum qstatus search_prf_expand(struct stxn *t, const struct lexical_hit *hits, size_t nh,
			       const struct search_prf *o, const struct lexical_word *w, size_t nw,
			       struct lexical_word **out, size_t *nout, struct qerr *err)
{
	struct fmodel m = {0};
	struct lexical_word *x = NULL;
	double nq = 0, total = 0;
	size_t keep, n = nw;
	enum qstatus st;
	*out = NULL;
	*nout = 0;
	if (nh > o->docs)
		nh = o->docs;
	if ((st = read_hits(t, hits, nh, &m, err)) != Q_OK)
		goto out;
	merge(&m);
	keep = m.n < o->terms ? m.n : o->terms;
	for (size_t i = 0; i < nw; i++)
		nq += w[i].field == LEX_BODY ? w[i].weight : 0;
	for (size_t i = 0; i < keep; i++)
		total += m.v[i].p;
	if (!(x = malloc((nw + keep + 1) * sizeof *x))) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if (nw)
		memcpy(x, w, nw * sizeof *x);
	/* RM3: the query's words at their weights (summing to nq) and the
	 * feedback model's best terms, its shares renormalised over them, at
	 * o->weight times nq in all; a term of the query adds to its word */
	for (size_t i = 0; i < keep && total > 0 && nq > 0; i++) {
		double add = o->weight * nq * m.v[i].p / total;
		long at = find_word(x, nw, &m.v[i]);
		if (at >= 0) {
			x[at].weight += add;
			continue;
		}
		memset(&x[n], 0, sizeof x[n]);
		memcpy(x[n].term[0], m.v[i].term, m.v[i].len);
		x[n].len[0] = m.v[i].len;
		x[n].nalt = 1;
		x[n].weight = add;
		x[n].field = LEX_BODY;
		n++;
	}
	*out = x;
	*nout = n;
	x = NULL;
out:
	free(x);
	free(m.v);
	return st;
}
