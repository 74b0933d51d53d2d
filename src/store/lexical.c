/* lexical.c: postings, collection statistics and BM25 scoring. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "store/lexical.h"
#include "store/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEXICAL_ACCOUNT_SEED 0x6c6578   /* text_hash seed of the postings' account tag */

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

/* The account's tag in its postings' keys: 8 bytes, not the id's 36, since
 * postings are most of the store. Two accounts whose ids hash alike
 * (2^-64) would share statistics, never results: search filters every
 * chunk by its document's account. */
static uint64_t account_tag(const char *account)
{
	return text_hash(account, strlen(account), LEXICAL_ACCOUNT_SEED);
}

static void posting_key(struct store_key *k, uint64_t tag, const char *term, size_t len,
			const char *chunk)
{
	char t[TEXT_TOKEN_MAX];
	memcpy(t, term, len);
	t[len] = '\0';
	store_key_init(k);
	store_key_u64(k, tag);
	store_key_str(k, t);
	if (chunk)
		store_key_str(k, chunk);
}

/* T_STATS key of an account's statistics. */
static void stats_key(const char *account, char *out, size_t n)
{
	snprintf(out, n, "bm25:%s", account);
}

/* The index's version record, written with the first chunk indexed. */
static enum qstatus version_mark(struct stxn *t, struct qerr *err)
{
	json_t *rec;
	enum qstatus st = store_get(t, T_STATS, "bm25", &rec, 0, err);
	if (st == Q_OK) {
		json_decref(rec);
		return Q_OK;
	}
	if (st != Q_ENOTFOUND)
		return st;
	qerr_clear(err);
	rec = json_pack("{s:i}", "v", LEXICAL_VERSION);
	st = store_put(t, T_STATS, "bm25", rec, err);
	json_decref(rec);
	return st;
}

/* An account's chunk count and length, and its chunks per language
 * ("langs", by enum text_lang: what a query of no clear language is read
 * as, lexical_query_langs). One record per account: writers of different
 * accounts never wait on each other's statistics. */
static enum qstatus stats_add(struct stxn *t, const char *account, long chunks, long terms,
			      enum text_lang lang, struct qerr *err)
{
	json_t *rec;
	char key[STORE_KEY_MAX];
	stats_key(account, key, sizeof key);
	enum qstatus st = store_get(t, T_STATS, key, &rec, STORE_RMW, err);
	if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		if ((st = version_mark(t, err)) != Q_OK)
			return st;
		rec = json_pack("{s:I, s:I}", "n", (json_int_t)0, "len", (json_int_t)0);
	} else if (st != Q_OK) {
		return st;
	}
	json_int_t n = json_integer_value(json_object_get(rec, "n")) + chunks;
	json_int_t len = json_integer_value(json_object_get(rec, "len")) + terms;
	json_object_set_new(rec, "n", json_integer(n > 0 ? n : 0));
	json_object_set_new(rec, "len", json_integer(len > 0 ? len : 0));
	json_t *langs = json_object_get(rec, "langs");
	if (!json_is_array(langs)) {
		langs = json_array();
		json_object_set_new(rec, "langs", langs);
	}
	while (json_array_size(langs) < LANG_MAX)
		json_array_append_new(langs, json_integer(0));
	if (lang < LANG_MAX) {
		json_int_t c = json_integer_value(json_array_get(langs, lang)) + chunks;
		json_array_set_new(langs, lang, json_integer(c > 0 ? c : 0));
	}
	st = store_put(t, T_STATS, key, rec, err);
	json_decref(rec);
	return st;
}

static enum qstatus update(struct stxn *t, const char *account, const char *chunk_key,
			   const char *text, enum text_lang lang, int add, struct qerr *err)
{
	struct termset s;
	enum qstatus st = Q_OK;
	size_t removed = 0;
	uint64_t tag = account_tag(account);
	terms_of(text, strlen(text), lang, &s);
	uint32_t dl = (uint32_t)s.total;
	for (size_t i = 0; st == Q_OK && i < s.n; i++) {
		struct store_key k;
		unsigned char val[6];
		uint16_t tf = s.v[i].tf > 65535 ? 65535 : (uint16_t)s.v[i].tf;
		posting_key(&k, tag, s.v[i].term, s.v[i].len, chunk_key);
		if (add) {
			memcpy(val, &tf, 2);
			memcpy(val + 2, &dl, 4);
			st = store_put_rawkey(t, T_POSTINGS, &k, val, sizeof val, err);
		} else {
			st = store_del_rawkey(t, T_POSTINGS, &k, err);
			if (st == Q_ENOTFOUND) {
				qerr_clear(err);
				st = Q_OK;
			} else if (st == Q_OK) {
				removed++;
			}
		}
	}
	/* A chunk whose postings were not there (indexed by an older
	 * analysis and cleared by lexical_clear, not reindexed yet) was not
	 * counted either. */
	if (st == Q_OK && (add || removed || !s.n))
		st = stats_add(t, account, add ? 1 : -1, add ? (long)dl : -(long)dl, lang, err);
	free(s.v);
	return st;
}

enum qstatus lexical_add(struct stxn *t, const char *account, const char *chunk_key,
			 const char *text, enum text_lang lang, struct qerr *err)
{
	return update(t, account, chunk_key, text, lang, 1, err);
}

enum qstatus lexical_remove(struct stxn *t, const char *account, const char *chunk_key,
			    const char *text, enum text_lang lang, struct qerr *err)
{
	return update(t, account, chunk_key, text, lang, 0, err);
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

/* A query word read in each language of the query's mask: its distinct
 * stems (a stop word of a language has none in it). */
struct qword {
	char stem[LANG_MAX][TEXT_TOKEN_MAX];
	unsigned char len[LANG_MAX];
	int nv;
};

struct qwords {
	struct qword *v;
	size_t n, alloc;
	unsigned mask;
	int oom;
};

static int add_qword(const char *tok, size_t len, void *arg)
{
	struct qwords *q = arg;
	struct qword w;
	w.nv = 0;
	for (int l = 0; l < LANG_MAX; l++) {
		if (!(q->mask >> l & 1) || text_is_stop((enum text_lang)l, tok, len))
			continue;
		size_t sl;
		const char *stem = text_stem(stemmer((enum text_lang)l), tok, len, &sl);
		int dup = 0;
		for (int j = 0; j < w.nv && !dup; j++)
			dup = w.len[j] == sl && !memcmp(w.stem[j], stem, sl);
		if (!dup) {
			memcpy(w.stem[w.nv], stem, sl);
			w.len[w.nv++] = (unsigned char)sl;
		}
	}
	if (!w.nv)
		return 0;
	/* the same word twice, or two words with one stem: once */
	for (size_t i = 0; i < q->n; i++)
		if (q->v[i].len[0] == w.len[0] && !memcmp(q->v[i].stem[0], w.stem[0], w.len[0]))
			return 0;
	if (q->n == q->alloc) {
		size_t na = q->alloc ? q->alloc * 2 : 16;
		void *p = realloc(q->v, na * sizeof *q->v);
		if (!p) {
			q->oom = 1;
			return 1;
		}
		q->v = p;
		q->alloc = na;
	}
	q->v[q->n++] = w;
	return 0;
}

/* Scores of one word's variants: a chunk matched by two of them (indexed
 * in one language, it rarely is) keeps the better, so a word read in
 * several languages never counts twice. */
struct best {
	struct bentry {
		uint32_t off;    /* chunk key in keys */
		double score;
	} *v;
	size_t n, alloc;
	char *keys;
	size_t klen, kalloc;
	int oom;
};

static void best_add(const char *chunk_key, double score, void *arg)
{
	struct best *b = arg;
	size_t l = strlen(chunk_key) + 1;
	if (b->n == b->alloc || b->klen + l > b->kalloc) {
		size_t na = b->alloc ? b->alloc * 2 : 256, ka = b->kalloc ? b->kalloc * 2 : 16384;
		void *p = b->n == b->alloc ? realloc(b->v, na * sizeof *b->v) : b->v;
		if (!p) {
			b->oom = 1;
			return;
		}
		b->v = p;
		if (b->n == b->alloc)
			b->alloc = na;
		while (ka < b->klen + l)
			ka *= 2;
		if (b->klen + l > b->kalloc) {
			if (!(p = realloc(b->keys, ka))) {
				b->oom = 1;
				return;
			}
			b->keys = p;
			b->kalloc = ka;
		}
	}
	memcpy(b->keys + b->klen, chunk_key, l);
	b->v[b->n++] = (struct bentry){(uint32_t)b->klen, score};
	b->klen += l;
}

static int by_key_then_score(const void *x, const void *y, void *keys)
{
	const struct bentry *a = x, *b = y;
	int c = strcmp((const char *)keys + a->off, (const char *)keys + b->off);
	return c ? c : (a->score < b->score) - (a->score > b->score);
}

struct query_ctx {
	struct stxn *t;
	uint64_t tag;             /* account_tag of the account searched */
	double n, avgdl;
	double max;               /* sum of idf (k1 + 1) over the query's terms */
	void (*cb)(const char *chunk_key, double score, void *arg);
	void *arg;
	enum qstatus st;
	struct qerr *err;
};

/* Scores the chunks holding term; returns its idf (k1 + 1), the most a
 * chunk can score for it, and sets *found when some chunk holds it. */
static double query_term(const char *term, size_t len, struct query_ctx *q,
			 void (*cb)(const char *chunk_key, double score, void *arg), void *arg,
			 int *found)
{
	struct store_key k;
	size_t df;
	*found = 0;
	if (q->st != Q_OK)
		return 0;
	posting_key(&k, q->tag, term, len, NULL);
	if ((q->st = store_count_raw(q->t, T_POSTINGS, &k, &df, q->err)) != Q_OK)
		return 0;
	double idf = log(1.0 + (q->n - (double)df + 0.5) / ((double)df + 0.5));
	if (df == 0)
		return idf * (BM25_K1 + 1);
	*found = 1;
	struct score_ctx s = {idf, q->avgdl, k.len, cb, arg};
	q->st = store_scan_raw(q->t, T_POSTINGS, &k, score_posting, &s, q->err);
	return idf * (BM25_K1 + 1);
}

/* A word no chunk has still counts in the maximum: a chunk cannot match
 * it, and the question asked for it. Read in several languages, the word
 * counts as its best stem that some chunk holds (else its first). */
static void query_word(const struct qword *w, struct query_ctx *q)
{
	int found;
	if (w->nv == 1) {
		q->max += query_term(w->stem[0], w->len[0], q, q->cb, q->arg, &found);
		return;
	}
	struct best b;
	double most = 0, first = 0;
	int any = 0;
	memset(&b, 0, sizeof b);
	for (int j = 0; j < w->nv; j++) {
		double m = query_term(w->stem[j], w->len[j], q, best_add, &b, &found);
		if (!j)
			first = m;
		if (found && (!any || m > most))
			most = m;
		any |= found;
	}
	q->max += any ? most : first;
	if (b.oom && q->st == Q_OK)
		q->st = qerr_set(q->err, Q_ENOMEM, NULL, "out of memory");
	if (q->st == Q_OK && b.n) {
		qsort_r(b.v, b.n, sizeof *b.v, by_key_then_score, b.keys);
		for (size_t i = 0; i < b.n; i++)
			if (!i || strcmp(b.keys + b.v[i].off, b.keys + b.v[i - 1].off))
				q->cb(b.keys + b.v[i].off, b.v[i].score, q->arg);
	}
	free(b.v);
	free(b.keys);
}

/* Chunks per language from the statistics (zeros when not recorded). */
static void stats_langs(json_t *rec, double counts[LANG_MAX])
{
	json_t *langs = json_object_get(rec, "langs");
	for (int l = 0; l < LANG_MAX; l++)
		counts[l] = (double)json_integer_value(json_array_get(langs, (size_t)l));
}

unsigned lexical_pick_langs(const char *query, size_t n, const double chunks[LANG_MAX],
			    enum text_lang *primary)
{
	unsigned c[LANG_MAX], best = 0, tied = 0;
	text_stop_counts(query, n, c);
	for (int l = 0; l < LANG_MAX; l++)
		best = c[l] > best ? c[l] : best;
	for (int l = 0; l < LANG_MAX; l++)
		if (c[l] == best)
			tied |= 1u << l;
	if (best && (tied & (tied - 1)) == 0) {   /* one language's stop words */
		*primary = (enum text_lang)__builtin_ctz(tied);
		return tied;
	}
	unsigned mask = 0;
	int top = -1;
	for (int l = 0; l < LANG_MAX; l++)
		if ((tied >> l & 1) && chunks[l] > 0) {
			mask |= 1u << l;
			if (top < 0 || chunks[l] > chunks[top])
				top = l;
		}
	/* A query in another script than Latin (Cyrillic, Greek, Han, ...)
	 * is read in the languages of that script the collection holds, the
	 * script's first language primary (Russian before the languages
	 * without a stemmer), so a Russian question is stemmed as Russian
	 * chunks were even where Chinese ones outnumber them. */
	enum text_lang sl[LANG_MAX];
	size_t ns = text_script_stems(query, n, sl);
	unsigned smask = 0;
	for (size_t i = 0; i < ns; i++)
		if (chunks[sl[i]] > 0) {
			if (!smask)
				*primary = sl[i];
			smask |= 1u << sl[i];
		}
	if (smask)
		return smask;
	if (!mask) {   /* the collection holds none of them: as detection says */
		*primary = text_detect(query, n);
		return 1u << *primary;
	}
	*primary = (enum text_lang)top;
	return mask;
}

/* An account's statistics record; *rec NULL when it has none. */
static enum qstatus stats_get(struct stxn *t, const char *account, json_t **rec, struct qerr *err)
{
	char key[STORE_KEY_MAX];
	stats_key(account, key, sizeof key);
	enum qstatus st = store_get(t, T_STATS, key, rec, 0, err);
	if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		*rec = NULL;
		return Q_OK;
	}
	return st;
}

enum qstatus lexical_query_langs(struct stxn *t, const char *account, const char *query,
				 unsigned *mask, enum text_lang *primary, struct qerr *err)
{
	json_t *rec;
	double chunks[LANG_MAX] = {0};
	enum qstatus st = stats_get(t, account, &rec, err);
	if (st != Q_OK)
		return st;
	if (rec) {
		stats_langs(rec, chunks);
		json_decref(rec);
	}
	size_t n = strlen(query);
	*mask = lexical_pick_langs(query, n < 4096 ? n : 4096, chunks, primary);
	return Q_OK;
}

enum qstatus lexical_score(struct stxn *t, const char *account, const char *query, unsigned langs,
			   void (*cb)(const char *chunk_key, double score, void *arg), void *arg,
			   double *max, struct qerr *err)
{
	json_t *rec;
	if (max)
		*max = 0;
	enum qstatus st = stats_get(t, account, &rec, err);
	if (st != Q_OK || !rec)
		return st;   /* !rec: nothing of the account's indexed yet */
	double n = (double)json_integer_value(json_object_get(rec, "n"));
	double len = (double)json_integer_value(json_object_get(rec, "len"));
	json_decref(rec);
	struct query_ctx q = {t, account_tag(account), n, n > 0 ? len / n : 1, 0, cb, arg, Q_OK, err};
	struct qwords w = {NULL, 0, 0, langs & ((1u << LANG_MAX) - 1) ? langs : 1u << LANG_EN, 0};
	text_tokens(query, strlen(query), add_qword, &w);
	if (w.oom)
		q.st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; q.st == Q_OK && i < w.n; i++)
		query_word(&w.v[i], &q);
	free(w.v);
	if (max)
		*max = q.max;
	return q.st;
}

enum qstatus lexical_collection(struct stxn *t, const char *account, double *n, double *avgdl,
				struct qerr *err)
{
	json_t *rec;
	enum qstatus st = stats_get(t, account, &rec, err);
	*n = 0;
	*avgdl = 1;
	if (st != Q_OK || !rec)
		return st;
	*n = (double)json_integer_value(json_object_get(rec, "n"));
	double len = (double)json_integer_value(json_object_get(rec, "len"));
	json_decref(rec);
	*avgdl = *n > 0 ? len / *n : 1;
	return Q_OK;
}

enum qstatus lexical_length_norm(struct stxn *t, const char *account, const char *text,
				 enum text_lang lang, double *norm, struct qerr *err)
{
	double n, avgdl;
	struct termset s;
	enum qstatus st = lexical_collection(t, account, &n, &avgdl, err);
	*norm = 1;
	if (st != Q_OK || n <= 0 || avgdl <= 0)
		return st;
	terms_of(text, strlen(text), lang, &s);
	*norm = 1 - BM25_B + BM25_B * (double)s.total / avgdl;
	free(s.v);
	return Q_OK;
}

enum qstatus lexical_df(struct stxn *t, const char *account, const char *term, size_t len,
			size_t *df, struct qerr *err)
{
	struct store_key k;
	if (len >= TEXT_TOKEN_MAX) {
		*df = 0;
		return Q_OK;
	}
	posting_key(&k, account_tag(account), term, len, NULL);
	return store_count_raw(t, T_POSTINGS, &k, df, err);
}

enum qstatus lexical_version(struct stxn *t, int *version, struct qerr *err)
{
	json_t *rec;
	enum qstatus st = store_get(t, T_STATS, "bm25", &rec, 0, err);
	*version = LEXICAL_VERSION;
	if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		return Q_OK;   /* nothing indexed yet */
	}
	if (st != Q_OK)
		return st;
	*version = (int)json_integer_value(json_object_get(rec, "v"));   /* 0 when absent */
	json_decref(rec);
	return Q_OK;
}

static int collect_stats_key(const char *pk, void *arg)
{
	return strncmp(pk, "bm25:", 5) ? 0 : store_collect(pk, arg);
}

enum qstatus lexical_clear(struct stxn *t, size_t *postings, struct qerr *err)
{
	struct store_ids keys = {0};
	enum qstatus st = store_truncate(t, T_POSTINGS, postings, err);
	if (st == Q_OK)
		st = store_scan_table(t, T_STATS, collect_stats_key, &keys, err);
	if (st == Q_OK && keys.oom)
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; st == Q_OK && i < keys.n; i++)
		st = store_del(t, T_STATS, keys.ids[i], err);
	store_ids_free(&keys);
	if (st != Q_OK)
		return st;
	json_t *rec = json_pack("{s:i}", "v", LEXICAL_VERSION);
	st = store_put(t, T_STATS, "bm25", rec, err);
	json_decref(rec);
	return st;
}

enum qstatus lexical_add_missing(struct stxn *t, const char *account, const char *chunk_key,
				 const char *text, enum text_lang lang, int *added, struct qerr *err)
{
	struct termset s;
	terms_of(text, strlen(text), lang, &s);
	*added = 0;
	enum qstatus st = Q_OK;
	if (s.n) {
		struct store_key k;
		size_t there = 0;
		posting_key(&k, account_tag(account), s.v[0].term, s.v[0].len, chunk_key);
		st = store_count_raw(t, T_POSTINGS, &k, &there, err);
		if (st == Q_OK && there) {
			free(s.v);
			return Q_OK;   /* indexed since lexical_clear */
		}
	}
	free(s.v);
	if (st == Q_OK && (st = update(t, account, chunk_key, text, lang, 1, err)) == Q_OK)
		*added = 1;
	return st;
}
