/* search_prox.c: term proximity for keyword search: neighbouring query
 * words found close together in a candidate's text, scored like BM25 and
 * added to its score (docs/search.md). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "search/search_prox.h"
#include "store/lexical.h"
#include "store/store.h"
#include "text/text.h"
#include "text/text_stem.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static struct text_stemmer *stemmers[LANG_MAX];

static struct text_stemmer *stemmer(enum text_lang lang)
{
	if (lang >= LANG_MAX)
		lang = LANG_EN;
	if (!stemmers[lang])
		stemmers[lang] = text_stemmer_new(lang);
	return stemmers[lang];
}

/* The body words of one chunk read in order: for each query word, the
 * positions (among the chunk's words that are not stop words) where it
 * stands. */
#define PROX_POS_MAX 64   /* positions kept per word and chunk */
struct reading {
	const struct lexical_word *const *w;   /* the query's body words */
	size_t nw;
	enum text_lang lang;
	struct text_stemmer *st;
	unsigned char first[256];              /* a first byte some query term has */
	unsigned pos;                          /* words read, stop words left out */
	unsigned (*at)[PROX_POS_MAX];          /* [nw] positions */
	unsigned *n;                           /* [nw] positions kept */
};

/* The query word whose term is stem, or -1. */
static long word_of(const struct reading *r, const char *stem, size_t len)
{
	for (size_t i = 0; i < r->nw; i++)
		for (int j = 0; j < r->w[i]->nalt; j++)
			if (r->w[i]->len[j] == len && !memcmp(r->w[i]->term[j], stem, len))
				return (long)i;
	return -1;
}

static int on_token(const char *tok, size_t len, void *arg)
{
	struct reading *r = arg;
	size_t slen;
	if (text_is_stop(r->lang, tok, len))
		return 0;
	unsigned p = r->pos++;
	/* a Snowball stem keeps its word's first letter: only words that
	 * begin as some query term does are stemmed */
	if (!r->first[(unsigned char)tok[0]])
		return 0;
	const char *stem = text_stem(r->st, tok, len, &slen);
	long i = word_of(r, stem, slen);
	if (i >= 0 && r->n[i] < PROX_POS_MAX)
		r->at[i][r->n[i]++] = p;
	return 0;
}

/* Pairs of positions of a and b: in order (b after a by at most 2
 * words) and within window words either way; each counts once. */
static unsigned pairs(const unsigned *a, unsigned na, const unsigned *b, unsigned nb,
		      unsigned window)
{
	unsigned tf = 0;
	for (unsigned i = 0; i < na; i++)
		for (unsigned j = 0; j < nb; j++) {
			unsigned d = a[i] < b[j] ? b[j] - a[i] : a[i] - b[j];
			if (d && d < window)
				tf++;
			if (b[j] > a[i] && b[j] - a[i] <= 2)
				tf++;
		}
	return tf;
}

/* The query words of text, at their positions in r. */
static void read_text(struct reading *r, const char *text)
{
	r->pos = 0;
	memset(r->n, 0, r->nw * sizeof *r->n);
	text_tokens(text, strlen(text), on_token, r);
}

/* The proximity score of one chunk's text: per pair of neighbouring
 * query words, BM25 of the pair's count at the mean idf of the two. */
static double chunk_score(struct reading *r, const char *text, const double *idf,
			  const struct search_prox *o, double avgdl)
{
	double s = 0;
	read_text(r, text);
	double norm = o->k1 * (1 - o->b + o->b * (avgdl > 0 ? r->pos / avgdl : 1));
	for (size_t i = 0; i + 1 < r->nw; i++) {
		unsigned tf = pairs(r->at[i], r->n[i], r->at[i + 1], r->n[i + 1], o->window);
		if (tf)
			s += (idf[i] + idf[i + 1]) / 2 * tf * (o->k1 + 1) / (tf + norm);
	}
	return s;
}

/* The title's score: each query word in it, BM25 without length
 * normalisation (a title is short), at the word's idf. */
static double title_score(struct reading *r, const char *title, const double *idf,
			  const struct search_prox *o)
{
	double s = 0;
	read_text(r, title);
	for (size_t i = 0; i < r->nw; i++)
		if (r->n[i])
			s += idf[i] * r->n[i] * (o->k1 + 1) / (r->n[i] + o->k1);
	return s;
}

/* Each body word's idf (its first term's, the one read in the query's
 * first language) and the account's mean chunk length. */
static enum qstatus stats(struct stxn *t, const char *account,
			  const struct lexical_word *const *w, size_t nw, double *idf,
			  double *avgdl, struct qerr *err)
{
	double n;
	enum qstatus st = lexical_collection(t, account, &n, avgdl, err);
	for (size_t i = 0; st == Q_OK && i < nw; i++) {
		size_t df = 0;
		st = lexical_df(t, account, w[i]->term[0], w[i]->len[0], &df, err);
		idf[i] = df ? lexical_idf(n, (double)df) : 0;
	}
	return st;
}

/* The text and language of a chunk; NULL text when it is gone. */
static enum qstatus chunk_text(struct stxn *t, const char *chunk, json_t **rec,
			       struct qerr *err)
{
	enum qstatus st = store_get(t, T_CHUNKS, chunk, rec, 0, err);
	if (st == Q_ENOTFOUND) {   /* deleted since it was found */
		*rec = NULL;
		return Q_OK;
	}
	return st;
}

enum qstatus search_prox_scores(struct stxn *t, const char *account,
				const struct lexical_word *w, size_t nw,
				const char *const *chunks, size_t n, const struct search_prox *o,
				double *out, struct qerr *err)
{
	struct reading r = {0};
	const struct lexical_word **bw = NULL;
	double *idf = NULL, avgdl = 0;
	size_t nb = 0;
	enum qstatus st = Q_OK;
	for (size_t i = 0; i < n; i++)
		out[i] = 0;
	if ((o->weight <= 0 && o->title_weight <= 0) || !n)
		return Q_OK;
	bw = malloc(nw * sizeof *bw);
	idf = malloc(nw * sizeof *idf);
	r.at = malloc(nw * sizeof *r.at);
	r.n = malloc(nw * sizeof *r.n);
	if (!bw || !idf || !r.at || !r.n) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	/* the question's own body words, in its order */
	for (size_t i = 0; i < nw; i++)
		if (w[i].field == LEX_BODY && w[i].weight > 0 && w[i].nalt > 0) {
			bw[nb++] = &w[i];
			for (int j = 0; j < w[i].nalt; j++)
				if (w[i].len[j])
					r.first[(unsigned char)w[i].term[j][0]] = 1;
		}
	if (!nb)
		goto out;
	r.w = bw;
	r.nw = nb;
	if ((st = stats(t, account, bw, nb, idf, &avgdl, err)) != Q_OK)
		goto out;
	for (size_t i = 0; i < n && st == Q_OK; i++) {
		json_t *rec = NULL;
		if ((st = chunk_text(t, chunks[i], &rec, err)) != Q_OK || !rec)
			continue;
		const char *text = json_string_value(json_object_get(rec, "text"));
		r.lang = (enum text_lang)json_integer_value(json_object_get(rec, "lang"));
		r.st = stemmer(r.lang);
		const char *title = json_string_value(json_object_get(rec, "index_title"));
		if (text && r.st && nb >= 2 && o->weight > 0)
			out[i] = o->weight * chunk_score(&r, text, idf, o, avgdl);
		if (title && r.st && o->title_weight > 0)
			out[i] += o->title_weight * title_score(&r, title, idf, o);
		json_decref(rec);
	}
out:
	free(bw);
	free(idf);
	free(r.at);
	free(r.n);
	return st;
}
