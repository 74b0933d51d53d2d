/* lexical.c: postings, collection statistics and BM25 scoring. */
#include "config.h"
#include "lexical.h"
#include "store.h"

#include <math.h>
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

/* A small set of terms with counts, for one chunk or query. */
struct termset {
	struct tentry {
		char term[TEXT_TOKEN_MAX];
		unsigned char len;
		unsigned tf;
	} *v;
	size_t n, alloc, total;
	enum text_lang lang;
};

static int add_token(const char *tok, size_t len, void *arg)
{
	struct termset *s = arg;
	size_t slen;
	if (text_is_stop(s->lang, tok, len))
		return 0;
	const char *stem = text_stem(stemmer(s->lang), tok, len, &slen);
	s->total++;
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].len == slen && !memcmp(s->v[i].term, stem, slen)) {
			s->v[i].tf++;
			return 0;
		}
	if (s->n == s->alloc) {
		size_t na = s->alloc ? s->alloc * 2 : 64;
		void *p = realloc(s->v, na * sizeof *s->v);
		if (!p)
			return 1;
		s->v = p;
		s->alloc = na;
	}
	memcpy(s->v[s->n].term, stem, slen);
	s->v[s->n].len = (unsigned char)slen;
	s->v[s->n].tf = 1;
	s->n++;
	return 0;
}

static void terms_of(const char *text, size_t n, enum text_lang lang, struct termset *s)
{
	memset(s, 0, sizeof *s);
	s->lang = lang;
	text_tokens(text, n, add_token, s);
}

size_t lexical_terms(const char *text, size_t n, enum text_lang lang,
		     void (*cb)(const char *term, size_t len, void *arg), void *arg)
{
	struct termset s;
	terms_of(text, n, lang, &s);
	for (size_t i = 0; i < s.n; i++)
		cb(s.v[i].term, s.v[i].len, arg);
	free(s.v);
	return s.n;
}

static void posting_key(struct store_key *k, const char *term, size_t len, const char *chunk)
{
	char t[TEXT_TOKEN_MAX];
	memcpy(t, term, len);
	t[len] = '\0';
	store_key_init(k);
	store_key_str(k, t);
	if (chunk)
		store_key_str(k, chunk);
}

static enum qstatus stats_add(struct stxn *t, long chunks, long terms, struct qerr *err)
{
	json_t *rec;
	enum qstatus st = store_get(t, T_STATS, "bm25", &rec, STORE_RMW, err);
	if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		rec = json_pack("{s:I, s:I}", "n", (json_int_t)0, "len", (json_int_t)0);
	} else if (st != Q_OK) {
		return st;
	}
	json_int_t n = json_integer_value(json_object_get(rec, "n")) + chunks;
	json_int_t len = json_integer_value(json_object_get(rec, "len")) + terms;
	json_object_set_new(rec, "n", json_integer(n > 0 ? n : 0));
	json_object_set_new(rec, "len", json_integer(len > 0 ? len : 0));
	st = store_put(t, T_STATS, "bm25", rec, err);
	json_decref(rec);
	return st;
}

static enum qstatus update(struct stxn *t, const char *chunk_key, const char *text,
			   enum text_lang lang, int add, struct qerr *err)
{
	struct termset s;
	enum qstatus st = Q_OK;
	terms_of(text, strlen(text), lang, &s);
	uint32_t dl = (uint32_t)s.total;
	for (size_t i = 0; st == Q_OK && i < s.n; i++) {
		struct store_key k;
		unsigned char val[6];
		uint16_t tf = s.v[i].tf > 65535 ? 65535 : (uint16_t)s.v[i].tf;
		posting_key(&k, s.v[i].term, s.v[i].len, chunk_key);
		if (add) {
			memcpy(val, &tf, 2);
			memcpy(val + 2, &dl, 4);
			st = store_put_rawkey(t, T_POSTINGS, &k, val, sizeof val, err);
		} else {
			st = store_del_rawkey(t, T_POSTINGS, &k, err);
			if (st == Q_ENOTFOUND) {
				qerr_clear(err);
				st = Q_OK;
			}
		}
	}
	if (st == Q_OK)
		st = stats_add(t, add ? 1 : -1, add ? (long)dl : -(long)dl, err);
	free(s.v);
	return st;
}

enum qstatus lexical_add(struct stxn *t, const char *chunk_key, const char *text,
			 enum text_lang lang, struct qerr *err)
{
	return update(t, chunk_key, text, lang, 1, err);
}

enum qstatus lexical_remove(struct stxn *t, const char *chunk_key, const char *text,
			    enum text_lang lang, struct qerr *err)
{
	return update(t, chunk_key, text, lang, 0, err);
}

struct score_ctx {
	double idf, avgdl;
	size_t plen;
	void (*cb)(const char *chunk_key, double score, void *arg);
	void *arg;
};

static int score_posting(const void *key, size_t klen, const void *val, size_t vlen, void *arg)
{
	struct score_ctx *s = arg;
	char chunk[STORE_KEY_MAX];
	uint16_t tf;
	uint32_t dl;
	if (vlen < 6 || klen <= s->plen)
		return 0;
	memcpy(&tf, val, 2);
	memcpy(&dl, (const char *)val + 2, 4);
	size_t cl = klen - s->plen;
	memcpy(chunk, (const char *)key + s->plen, cl);
	chunk[cl] = '\0';
	if (cl && chunk[cl - 1] == '\0')
		cl--;
	const double k1 = BM25_K1, b = BM25_B;
	double norm = k1 * (1 - b + b * (double)dl / (s->avgdl > 0 ? s->avgdl : 1));
	s->cb(chunk, s->idf * (tf * (k1 + 1)) / (tf + norm), s->arg);
	return 0;
}

struct query_ctx {
	struct stxn *t;
	double n, avgdl;
	double max;               /* sum of idf (k1 + 1) over the query's terms */
	void (*cb)(const char *chunk_key, double score, void *arg);
	void *arg;
	enum qstatus st;
	struct qerr *err;
};

static void query_term(const char *term, size_t len, void *arg)
{
	struct query_ctx *q = arg;
	struct store_key k;
	size_t df;
	if (q->st != Q_OK)
		return;
	posting_key(&k, term, len, NULL);
	if ((q->st = store_count_raw(q->t, T_POSTINGS, &k, &df, q->err)) != Q_OK)
		return;
	/* A term no chunk has still counts in the maximum: a chunk cannot
	 * match it, and the question asked for it. */
	double idf = log(1.0 + (q->n - (double)df + 0.5) / ((double)df + 0.5));
	q->max += idf * (BM25_K1 + 1);
	if (df == 0)
		return;
	struct score_ctx s = {idf, q->avgdl, k.len, q->cb, q->arg};
	q->st = store_scan_raw(q->t, T_POSTINGS, &k, score_posting, &s, q->err);
}

enum qstatus lexical_score(struct stxn *t, const char *query, enum text_lang lang,
			   void (*cb)(const char *chunk_key, double score, void *arg), void *arg,
			   double *max, struct qerr *err)
{
	json_t *rec;
	if (max)
		*max = 0;
	enum qstatus st = store_get(t, T_STATS, "bm25", &rec, 0, err);
	if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		return Q_OK;   /* nothing indexed yet */
	}
	if (st != Q_OK)
		return st;
	double n = (double)json_integer_value(json_object_get(rec, "n"));
	double len = (double)json_integer_value(json_object_get(rec, "len"));
	json_decref(rec);
	struct query_ctx q = {t, n, n > 0 ? len / n : 1, 0, cb, arg, Q_OK, err};
	lexical_terms(query, strlen(query), lang, query_term, &q);
	if (max)
		*max = q.max;
	return q.st;
}

enum qstatus lexical_collection(struct stxn *t, double *n, double *avgdl, struct qerr *err)
{
	json_t *rec;
	enum qstatus st = store_get(t, T_STATS, "bm25", &rec, 0, err);
	*n = 0;
	*avgdl = 1;
	if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		return Q_OK;   /* nothing indexed yet */
	}
	if (st != Q_OK)
		return st;
	*n = (double)json_integer_value(json_object_get(rec, "n"));
	double len = (double)json_integer_value(json_object_get(rec, "len"));
	json_decref(rec);
	*avgdl = *n > 0 ? len / *n : 1;
	return Q_OK;
}

enum qstatus lexical_df(struct stxn *t, const char *term, size_t len, size_t *df,
			struct qerr *err)
{
	struct store_key k;
	if (len >= TEXT_TOKEN_MAX) {
		*df = 0;
		return Q_OK;
	}
	posting_key(&k, term, len, NULL);
	return store_count_raw(t, T_POSTINGS, &k, df, err);
}
