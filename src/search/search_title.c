/* search_title.c: the query's words in a keyword candidate's document
 * title, read again at query time and added to its score, so a document
 * titled by the question's words leads (docs/search.md). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "search/search_title.h"
#include "store/lexical.h"
#include "store/store.h"
#include "text/text.h"
#include "text/text_stem.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* A title being read: how often each of the query's body words is in it. */
struct reading {
	const struct lexical_word *const *w;   /* the query's body words */
	size_t nw;
	struct text_stemmer *st;
	enum text_lang lang;
	unsigned char first[256];              /* a first byte some query term has */
	unsigned *tf;                          /* [nw] */
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
	/* a Snowball stem keeps its word's first letter: only words that
	 * begin as some query term does are stemmed */
	if (!r->first[(unsigned char)tok[0]] || text_is_stop(r->lang, tok, len))
		return 0;
	const char *stem = text_stem(r->st, tok, len, &slen);
	long i = word_of(r, stem, slen);
	if (i >= 0)
		r->tf[i]++;
	return 0;
}

/* The title's score: each query word in it as BM25 without length
 * normalisation (a title is short), at the word's idf. */
static double title_score(struct reading *r, const char *title, const double *idf, double k1)
{
	double s = 0;
	memset(r->tf, 0, r->nw * sizeof *r->tf);
	text_tokens(title, strlen(title), on_token, r);
	for (size_t i = 0; i < r->nw; i++)
		if (r->tf[i])
			s += idf[i] * r->tf[i] * (k1 + 1) / (r->tf[i] + k1);
	return s;
}

/* The language a document's doc_language names (English when none). */
static enum text_lang lang_named(const char *name)
{
	for (int l = 0; name && l < LANG_MAX; l++)
		if (!strcmp(text_lang_name((enum text_lang)l), name))
			return (enum text_lang)l;
	return LANG_EN;
}

/* Documents met by one query and their title scores. */
struct memo {
	char doc[72];
	double score;
};

/* The title score of a chunk's document (its key up to the last ':'),
 * read once per document and query. */
static enum qstatus doc_score(struct stxn *t, struct reading *r, const char *chunk,
			      const double *idf, double k1, struct memo *m, size_t *nm,
			      double *out, struct qerr *err)
{
	const char *colon = strrchr(chunk, ':');
	size_t len = colon ? (size_t)(colon - chunk) : strlen(chunk);
	json_t *doc = NULL;
	enum qstatus st;
	if (len >= sizeof m->doc)
		len = sizeof m->doc - 1;
	for (size_t i = 0; i < *nm; i++)
		if (!strncmp(m[i].doc, chunk, len) && !m[i].doc[len]) {
			*out = m[i].score;
			return Q_OK;
		}
	struct memo *e = &m[(*nm)++];
	memcpy(e->doc, chunk, len);
	e->doc[len] = '\0';
	e->score = 0;
	st = store_get(t, T_DOCS, e->doc, &doc, 0, err);
	if (st == Q_ENOTFOUND) {   /* deleted since it was found */
		qerr_clear(err);
		st = Q_OK;
	}
	const char *title = doc ? json_string_value(json_object_get(doc, "title")) : NULL;
	r->lang = lang_named(doc ? json_string_value(json_object_get(doc, "doc_language")) : NULL);
	r->st = text_stemmer_get(r->lang);
	if (st == Q_OK && title && r->st)
		e->score = title_score(r, title, idf, k1);
	json_decref(doc);
	*out = e->score;
	return st;
}

/* Each body word's idf (its first term's, the one read in the query's
 * first language; a word's spellings, one_term, the sum of their dfs, as
 * the keyword query weighs them). */
static enum qstatus idfs(struct stxn *t, const char *account, const struct lexical_word *const *w,
			 size_t nw, double *idf, struct qerr *err)
{
	double n, avgdl;
	enum qstatus st = lexical_collection(t, account, &n, &avgdl, err);
	for (size_t i = 0; st == Q_OK && i < nw; i++) {
		size_t df = 0, sum = 0;
		for (int j = 0; st == Q_OK && j < (w[i]->one_term ? w[i]->nalt : 1); j++) {
			st = lexical_df(t, account, w[i]->term[j], w[i]->len[j], &df, err);
			sum += df;
		}
		idf[i] = sum ? lexical_idf(n, (double)sum > n ? n : (double)sum) : 0;
	}
	return st;
}

enum qstatus search_title_scores(struct stxn *t, const char *account,
				 const struct lexical_word *w, size_t nw,
				 const char *const *chunks, size_t n, double weight, double k1,
				 double *out, struct qerr *err)
{
	struct reading r = {0};
	const struct lexical_word **bw = NULL;
	struct memo *memo = NULL;
	double *idf = NULL;
	size_t nb = 0, nm = 0;
	enum qstatus st = Q_OK;
	for (size_t i = 0; i < n; i++)
		out[i] = 0;
	if (weight <= 0 || !n || !nw)
		return Q_OK;
	bw = malloc(nw * sizeof *bw);
	idf = malloc(nw * sizeof *idf);
	r.tf = malloc(nw * sizeof *r.tf);
	memo = malloc(n * sizeof *memo);
	if (!bw || !idf || !r.tf || !memo) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	/* the question's own body words */
	for (size_t i = 0; i < nw; i++)
		if (w[i].field == LEX_BODY && w[i].weight > 0 && w[i].nalt > 0) {
			bw[nb++] = &w[i];
			for (int j = 0; j < w[i].nalt; j++)
				if (w[i].len[j])
					r.first[(unsigned char)w[i].term[j][0]] = 1;
		}
	r.w = bw;
	r.nw = nb;
	if (!nb || (st = idfs(t, account, bw, nb, idf, err)) != Q_OK)
		goto out;
	for (size_t i = 0; i < n && st == Q_OK; i++) {
		double s = 0;
		st = doc_score(t, &r, chunks[i], idf, k1, memo, &nm, &s, err);
		out[i] = weight * s;
	}
out:
	free(bw);
	free(idf);
	free(r.tf);
	free(memo);
	return st;
}
