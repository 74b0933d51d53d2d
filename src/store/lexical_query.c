/* lexical_query.c: BM25 top-k over the postings blocks by block-max WAND,
 * an exhaustive evaluation giving the same scores, and the process's
 * table of chunk numbers (lengths and keys) it scores with. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "store/lexical.h"
#include "store/lexical_impl.h"
#include "store/postings.h"
#include "store/store.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define END UINT32_MAX
#define NOKEY UINT32_MAX
#define TABLES 16                 /* accounts whose chunk tables a process keeps */

/* ---- the chunk table: number -> length and key, per account ------------ */

struct ctable {
	uint64_t tag;
	json_int_t epoch;
	uint32_t n;                   /* numbers read: 0 .. n-1 */
	uint32_t *dl, *koff;          /* koff NOKEY: no chunk (removed) */
	char *keys;
	size_t klen, kcap;
	unsigned long used;
};

static struct ctable tables[TABLES];
static unsigned long uses;
static pthread_mutex_t tables_lock = PTHREAD_MUTEX_INITIALIZER;

static void ctable_clear(struct ctable *c)
{
	free(c->dl);
	free(c->koff);
	free(c->keys);
	memset(c, 0, sizeof *c);
}

static int ctable_grow(struct ctable *c, uint32_t n)
{
	uint32_t *dl = realloc(c->dl, (n ? n : 1) * sizeof *dl);
	if (dl)
		c->dl = dl;
	uint32_t *ko = dl ? realloc(c->koff, (n ? n : 1) * sizeof *ko) : NULL;
	if (!ko)
		return -1;
	c->koff = ko;
	for (uint32_t i = c->n; i < n; i++)
		c->koff[i] = NOKEY;
	return 0;
}

struct ctload {
	struct ctable *c;
	size_t plen;
	uint32_t want;
	int oom;
};

static int ctable_entry(const void *key, size_t klen, const void *val, size_t vlen, void *arg)
{
	struct ctload *l = arg;
	const unsigned char *k = key;
	if (klen != l->plen + 4 || vlen < 4)
		return 0;
	uint32_t num = (uint32_t)k[klen - 4] << 24 | (uint32_t)k[klen - 3] << 16 |
		       (uint32_t)k[klen - 2] << 8 | k[klen - 1];
	if (num >= l->want)
		return 1;
	struct ctable *c = l->c;
	size_t kl = vlen - 4;
	if (c->klen + kl + 1 > c->kcap) {
		size_t cap = c->kcap ? c->kcap * 2 : 1 << 16;
		while (cap < c->klen + kl + 1)
			cap *= 2;
		char *p = realloc(c->keys, cap);
		if (!p) {
			l->oom = 1;
			return 1;
		}
		c->keys = p;
		c->kcap = cap;
	}
	memcpy(&c->dl[num], val, 4);
	memcpy(c->keys + c->klen, (const char *)val + 4, kl);
	c->keys[c->klen + kl] = '\0';
	c->koff[num] = (uint32_t)c->klen;
	c->klen += kl + 1;
	return 0;
}

/* The account's table brought up to next (its statistics' next number):
 * the chunks numbered since the last query are read, the rest kept. */
static enum qstatus ctable_sync(struct stxn *t, uint64_t tag, json_int_t epoch, uint32_t next,
				struct ctable **out, struct qerr *err)
{
	struct ctable *c = NULL, *lru = &tables[0];
	for (int i = 0; i < TABLES && !c; i++) {
		if (tables[i].dl && tables[i].tag == tag)
			c = &tables[i];
		else if (tables[i].used < lru->used)
			lru = &tables[i];
	}
	if (c && (c->epoch != epoch || next < c->n))
		ctable_clear(c);   /* rebuilt: numbered anew */
	if (!c || !c->dl) {
		c = c ? c : lru;
		ctable_clear(c);
		c->tag = tag;
		c->epoch = epoch;
	}
	c->used = ++uses;
	*out = c;
	if (c->dl && next <= c->n)
		return Q_OK;
	if (ctable_grow(c, next)) {
		ctable_clear(c);
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	}
	struct store_key prefix, from;
	struct ctload l = {c, 0, next, 0};
	lexical_num_key(&prefix, tag, -1);
	lexical_num_key(&from, tag, c->n);
	l.plen = prefix.len;
	enum qstatus st = store_scan_raw_from(t, T_POSTINGS, &prefix, &from, ctable_entry, &l, err);
	if (st == Q_OK && l.oom)
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	if (st != Q_OK)
		ctable_clear(c);
	else
		c->n = next;
	return st;
}

/* ---- a query's postings --------------------------------------------------- */

struct block {
	uint32_t last, n;
	size_t off, len;              /* bytes in the query's arena */
	double part;                  /* the most an entry's tf part is (pblock_bound) */
	double ub;                    /* the most an entry scores: w part */
};

struct cursor {
	int word;
	int field;                    /* a field's term: no length norm (b 0) */
	double w;                     /* weight idf (k1 + 1) */
	struct block *blk;
	size_t nblk, bi, sbi;         /* current block; shallow (block-max) position */
	long dec_bi;                  /* the block decoded in dec (-1: none) */
	struct pblock dec;
	uint32_t pos, doc;
	int lazy;                     /* doc is only a lower bound: block not decoded */
	double ub;                    /* the most any entry scores */
	size_t df;
};

struct lexq {
	struct stxn *t;
	uint64_t tag;
	double n, avgdl, max;
	struct ctable *ct;
	int locked;
	struct cursor *cur;
	size_t ncur;
	unsigned char *arena;
	size_t alen, acap;
	struct lexical_qstats stats;
	enum qstatus st;
};

static double term_score(const struct lexq *q, const struct cursor *c, uint32_t tf, uint32_t dl)
{
	/* a field term's chunk length is the body's: fields take none (b 0) */
	double norm = c->field ? BM25_K1 : BM25_K1 * (1 - BM25_B + BM25_B * (double)dl / q->avgdl);
	return c->w * (double)tf / ((double)tf + norm);
}

struct tload {
	struct lexq *q;
	size_t plen;
	struct cursor *c;
	uint32_t df;
	struct pblock tail;           /* the pending postings, the newest */
	int oom;
};

static int arena_add(struct lexq *q, const void *p, size_t len, size_t *off)
{
	if (q->alen + len > q->acap) {
		size_t cap = q->acap ? q->acap * 2 : 1 << 14;
		while (cap < q->alen + len)
			cap *= 2;
		unsigned char *a = realloc(q->arena, cap);
		if (!a)
			return -1;
		q->arena = a;
		q->acap = cap;
	}
	memcpy(q->arena + q->alen, p, len);
	*off = q->alen;
	q->alen += len;
	return 0;
}

static int block_add(struct tload *l, uint32_t last, const void *val, size_t vlen)
{
	struct cursor *c = l->c;
	struct pblock h;
	size_t off;
	if (pblock_header(val, vlen, &h) < 0 || !h.n)
		return 0;   /* not a block of this layout */
	if (!(c->nblk & (c->nblk - 1)) || !c->nblk) {   /* powers of two: grow */
		void *p = realloc(c->blk, (c->nblk ? c->nblk * 2 : 8) * sizeof *c->blk);
		if (!p)
			return -1;
		c->blk = p;
	}
	if (arena_add(l->q, val, vlen, &off))
		return -1;
	double part = c->field ? (double)h.maxtf / (h.maxtf + BM25_K1) : pblock_bound(&h, l->q->avgdl);
	double ub = c->w * part * (1 + 1e-9);
	c->blk[c->nblk++] = (struct block){last, h.n, off, vlen, part, ub};
	if (ub > c->ub)
		c->ub = ub;
	return 0;
}

static int term_record(const void *key, size_t klen, const void *val, size_t vlen, void *arg)
{
	struct tload *l = arg;
	const unsigned char *k = key;
	if (klen == l->plen) {   /* the head: df, pending count */
		if (!varint_get(val, vlen, &l->df))
			l->df = 0;
		return 0;
	}
	if (klen == l->plen + 5 && k[l->plen] == 0xff) {   /* a pending posting */
		uint32_t tf, dl;
		size_t o = varint_get(val, vlen, &tf);
		if (o && varint_get((const unsigned char *)val + o, vlen - o, &dl) &&
		    l->tail.n < POSTINGS_BLOCK)
			pblock_append(&l->tail, lexical_u32_at(k + klen - 4), tf, dl, l->q->avgdl);
		return 0;
	}
	if (klen != l->plen + 4)
		return 0;
	uint32_t last = (uint32_t)k[klen - 4] << 24 | (uint32_t)k[klen - 3] << 16 |
			(uint32_t)k[klen - 2] << 8 | k[klen - 1];
	if (block_add(l, last, val, vlen)) {
		l->oom = 1;
		return 1;
	}
	return 0;
}

/* The pending postings as one more block, after the sealed ones. */
static int tail_block(struct tload *l)
{
	unsigned char buf[POSTINGS_BLOCK_BYTES];
	if (!l->tail.n)
		return 0;
	return block_add(l, l->tail.doc[l->tail.n - 1], buf, pblock_encode(&l->tail, buf));
}

/* Reads one term's postings into a new cursor for word; *df its df. */
static enum qstatus term_load(struct lexq *q, int word, int field, double weight,
			      const char *term, size_t len, size_t *df, struct qerr *err)
{
	struct store_key k;
	uint32_t d = 0;
	struct cursor *c = &q->cur[q->ncur];
	memset(c, 0, sizeof *c);
	c->word = word;
	c->field = field;
	c->dec_bi = -1;
	lexical_term_key(&k, q->tag, term, len);
	struct tload *l = calloc(1, sizeof *l);
	if (!l)
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	l->q = q;
	l->plen = k.len;
	l->c = c;
	/* the weight needs the df, read with the blocks: their bounds are
	 * scaled once it is known */
	c->w = 0;
	enum qstatus st = store_scan_raw(q->t, T_POSTINGS, &k, term_record, l, err);
	if (st == Q_OK && (l->oom || tail_block(l)))
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	d = l->df;
	free(l);
	if (st != Q_OK) {
		free(c->blk);
		return st;
	}
	*df = d;
	c->w = weight * lexical_idf(q->n, (double)d) * (BM25_K1 + 1);
	c->ub = 0;
	for (size_t i = 0; i < c->nblk; i++) {
		c->blk[i].ub = c->w * c->blk[i].part * (1 + 1e-9);
		c->ub = c->blk[i].ub > c->ub ? c->blk[i].ub : c->ub;
	}
	if (!d || !c->nblk) {
		free(c->blk);
		*df = 0;
		return Q_OK;   /* no chunk holds it */
	}
	c->df = d;
	for (size_t i = 0; i < c->nblk; i++)
		q->stats.postings += c->blk[i].n;
	q->stats.blocks += c->nblk;
	c->doc = 0;
	q->ncur++;
	return Q_OK;
}

/* ---- cursors ------------------------------------------------------------- */

static const struct pblock *cur_block(struct lexq *q, struct cursor *c)
{
	if (c->dec_bi != (long)c->bi) {
		const struct block *b = &c->blk[c->bi];
		if (pblock_decode(q->arena + b->off, b->len, &c->dec))
			c->dec.n = 0;   /* damaged: read as empty */
		c->dec_bi = (long)c->bi;
		c->pos = 0;
		q->stats.decoded += c->dec.n;
		q->stats.blocks_decoded++;
	}
	return &c->dec;
}

/* Moves c to its first chunk at or after target (END when none). Lazy:
 * when that means entering another block, c only moves to the block,
 * its doc target, a lower bound; the block is decoded when c is needed
 * (a seek that is not lazy, once every cursor is on the document), so blocks passed over are never decoded. */
static void cur_seek(struct lexq *q, struct cursor *c, uint32_t target, int lazy)
{
	c->lazy = 0;
	while (c->bi < c->nblk) {
		if (c->blk[c->bi].last < target) {
			c->bi++;
			continue;
		}
		if (lazy && c->dec_bi != (long)c->bi) {
			c->doc = target;
			c->lazy = 1;
			if (c->sbi < c->bi)
				c->sbi = c->bi;
			return;
		}
		const struct pblock *b = cur_block(q, c);
		while (c->pos < b->n && b->doc[c->pos] < target)
			c->pos++;
		if (c->pos < b->n) {
			c->doc = b->doc[c->pos];
			if (c->sbi < c->bi)
				c->sbi = c->bi;
			return;
		}
		c->bi++;
	}
	c->doc = END;
}

static void cur_next_geq(struct lexq *q, struct cursor *c, uint32_t target)
{
	cur_seek(q, c, target, 0);
}

/* The bound of c's block holding d (shallow: nothing decoded), and where
 * that block ends; 0 and END when no block of c reaches d. */
static double cur_block_ub(struct cursor *c, uint32_t d, uint32_t *end)
{
	if (c->sbi < c->bi)
		c->sbi = c->bi;
	while (c->sbi < c->nblk && c->blk[c->sbi].last < d)
		c->sbi++;
	if (c->sbi == c->nblk) {
		*end = END;
		return 0;
	}
	*end = c->blk[c->sbi].last;
	return c->blk[c->sbi].ub;
}

static uint32_t cur_tf(const struct cursor *c)
{
	return c->dec.tf[c->pos];
}

/* BM25 of chunk d from the cursors standing on it: per word its best
 * term, words summed in query order (the same sum for every evaluation).
 * -1 when d has no chunk (removed). */
static double score_sum(struct lexq *q, uint32_t d, int body_only)
{
	if (d >= q->ct->n || q->ct->koff[d] == NOKEY)
		return -1;
	uint32_t dl = q->ct->dl[d];
	double sum = 0, best = 0;
	int word = -1;
	for (size_t i = 0; i < q->ncur; i++) {
		struct cursor *c = &q->cur[i];
		if (c->word != word) {
			sum += best;
			best = 0;
			word = c->word;
		}
		if (c->doc == d && !(body_only && c->field)) {
			double s = term_score(q, c, cur_tf(c), dl);
			best = s > best ? s : best;
		}
	}
	q->stats.scored++;
	return sum + best;
}

static double score_at(struct lexq *q, uint32_t d)
{
	return score_sum(q, d, 0);
}

/* ---- top k ----------------------------------------------------------------- */

struct heap {
	struct { double score; uint32_t doc; } *v;
	size_t n, k;
};

/* a worse than b: lower score, or equal and a later chunk */
static int worse(const struct heap *h, size_t a, size_t b)
{
	return h->v[a].score < h->v[b].score ||
	       (h->v[a].score == h->v[b].score && h->v[a].doc > h->v[b].doc);
}

static void heap_swap(struct heap *h, size_t a, size_t b)
{
	__typeof__(*h->v) t = h->v[a];
	h->v[a] = h->v[b];
	h->v[b] = t;
}

static void heap_down(struct heap *h, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < h->n && worse(h, l, m))
			m = l;
		if (r < h->n && worse(h, r, m))
			m = r;
		if (m == i)
			return;
		heap_swap(h, i, m);
		i = m;
	}
}

static void heap_push(struct heap *h, double score, uint32_t doc)
{
	if (h->n == h->k) {
		h->v[0].score = score;
		h->v[0].doc = doc;
		heap_down(h, 0);
		return;
	}
	size_t i = h->n++;
	h->v[i].score = score;
	h->v[i].doc = doc;
	while (i && worse(h, i, (i - 1) / 2)) {
		heap_swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

/* The score a chunk must beat to enter (-1: the heap is not full). */
static double threshold(const struct heap *h)
{
	return h->n < h->k ? -1 : h->v[0].score;
}

static void sort_by_doc(struct cursor **c, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct cursor *x = c[i];
		size_t j = i;
		for (; j && c[j - 1]->doc > x->doc; j--)
			c[j] = c[j - 1];
		c[j] = x;
	}
}

static int accepted(struct lexq *q, uint32_t d, lexical_accept_fn accept, void *arg)
{
	if (!accept)
		return 1;
	const char *key = q->ct->keys + q->ct->koff[d];
	return accept(key, strlen(key), arg);
}

/* Chunk d, on which every cursor up to last stands: scored and offered
 * to the heap; then those cursors move on. */
static void evaluate(struct lexq *q, struct cursor **c, size_t last, uint32_t d, struct heap *h,
		     lexical_accept_fn accept, void *arg)
{
	double s = score_at(q, d);
	if (s >= 0 && (h->n < h->k || s > threshold(h)) && accepted(q, d, accept, arg))
		heap_push(h, s, d);
	for (size_t i = 0; i <= last; i++)
		cur_seek(q, c[i], d + 1, 1);
}

/* Block-max WAND (Ding and Suel 2011): the pivot is the first chunk whose
 * lists' bounds could beat the heap; the bounds of the blocks holding it
 * then skip whole blocks no chunk of which can. */
static void wand(struct lexq *q, struct cursor **c, struct heap *h, lexical_accept_fn accept,
		 void *arg)
{
	size_t nc = q->ncur;
	for (;;) {
		sort_by_doc(c, nc);
		double th = threshold(h), acc = 0;
		size_t p = 0;
		for (; p < nc && c[p]->doc != END; p++)
			if ((acc += c[p]->ub) > th)
				break;
		if (p == nc || c[p]->doc == END)
			return;
		uint32_t d = c[p]->doc, end = END, e;
		size_t last = p;
		while (last + 1 < nc && c[last + 1]->doc == d)
			last++;
		double bsum = 0;
		for (size_t i = 0; i <= last; i++) {
			bsum += cur_block_ub(c[i], d, &e);
			end = e < end ? e : end;
		}
		if (bsum <= th) {   /* no chunk up to the first block end can enter */
			uint32_t nd = end == END ? END : end + 1;
			if (last + 1 < nc && c[last + 1]->doc < nd)
				nd = c[last + 1]->doc;
			for (size_t i = 0; i <= last; i++)
				if (c[i]->doc < nd)
					cur_seek(q, c[i], nd, 1);
			continue;
		}
		if (c[0]->doc == d) {
			/* each cursor on d for real, else back to choosing */
			int moved = 0;
			for (size_t i = 0; i <= last; i++)
				if (c[i]->lazy) {
					cur_seek(q, c[i], d, 0);
					moved |= c[i]->doc != d;
				}
			if (!moved)
				evaluate(q, c, last, d, h, accept, arg);
			continue;
		}
		for (size_t i = 0; i < p; i++)
			if (c[i]->doc < d)
				cur_seek(q, c[i], d, 1);
	}
}

static void cursors_start(struct lexq *q)
{
	for (size_t i = 0; i < q->ncur; i++) {
		struct cursor *c = &q->cur[i];
		c->bi = c->sbi = 0;
		c->dec_bi = -1;
		cur_next_geq(q, c, 0);
	}
}

enum qstatus lexical_query_top(struct lexq *q, size_t k, lexical_accept_fn accept, void *arg,
			       struct lexical_hit *out, size_t *n, struct qerr *err)
{
	struct heap h = {NULL, 0, k};
	struct cursor **c = NULL;
	enum qstatus st = Q_OK;
	*n = 0;
	if (!k || !q->ncur)
		return Q_OK;
	if (!(h.v = malloc(k * sizeof *h.v)) || !(c = malloc(q->ncur * sizeof *c))) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < q->ncur; i++)
		c[i] = &q->cur[i];
	cursors_start(q);
	wand(q, c, &h, accept, arg);
	/* popping the worst each time fills out from its end: best first,
	 * equal scores the older chunk first */
	*n = h.n;
	while (h.n) {
		size_t i = --h.n;
		heap_swap(&h, 0, i);
		heap_down(&h, 0);
		struct lexical_hit *o = &out[i];
		snprintf(o->chunk, sizeof o->chunk, "%s", q->ct->keys + q->ct->koff[h.v[i].doc]);
		o->score = h.v[i].score;
	}
out:
	free(h.v);
	free(c);
	return st;
}

enum qstatus lexical_query_all(struct lexq *q,
			       void (*cb)(const char *chunk_key, double score, void *arg), void *arg,
			       struct qerr *err)
{
	(void)err;
	cursors_start(q);
	for (;;) {
		uint32_t d = END;
		for (size_t i = 0; i < q->ncur; i++)
			d = q->cur[i].doc < d ? q->cur[i].doc : d;
		if (d == END)
			return Q_OK;
		double s = score_at(q, d);
		if (s >= 0)
			cb(q->ct->keys + q->ct->koff[d], s, arg);
		for (size_t i = 0; i < q->ncur; i++)
			if (q->cur[i].doc == d)
				cur_next_geq(q, &q->cur[i], d + 1);
	}
}

/* One chunk's score: its body words' alone with body_only. */
static enum qstatus chunk_score(struct lexq *q, const char *chunk_key, int body_only,
				double *score, struct qerr *err)
{
	uint32_t d;
	*score = 0;
	enum qstatus st = lexical_chunk_num(q->t, q->tag, chunk_key, &d, err);
	if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		return Q_OK;
	}
	if (st != Q_OK || d >= q->ct->n || q->ct->koff[d] == NOKEY)
		return st;
	/* each cursor placed on d from its start: the same sum as score_at */
	for (size_t i = 0; i < q->ncur; i++) {
		struct cursor *c = &q->cur[i];
		c->bi = c->sbi = 0;
		c->pos = 0;   /* the block held may be d's, its position past it */
		cur_next_geq(q, c, d);
	}
	double s = score_sum(q, d, body_only);
	*score = s > 0 ? s : 0;
	return Q_OK;
}

enum qstatus lexical_query_chunk(struct lexq *q, const char *chunk_key, double *score,
				 struct qerr *err)
{
	return chunk_score(q, chunk_key, 0, score, err);
}

enum qstatus lexical_query_body(struct lexq *q, const char *chunk_key, double *score,
				struct qerr *err)
{
	return chunk_score(q, chunk_key, 1, score, err);
}

double lexical_query_max(const struct lexq *q)
{
	return q ? q->max : 0;
}

void lexical_query_stats(const struct lexq *q, struct lexical_qstats *out)
{
	*out = q->stats;
}

void lexical_query_free(struct lexq *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->ncur; i++)
		free(q->cur[i].blk);
	free(q->cur);
	free(q->arena);
	if (q->locked)
		pthread_mutex_unlock(&tables_lock);
	free(q);
}

/* ---- a query ------------------------------------------------------------- */

/* One word: a cursor per term some chunk holds; its share of the query's
 * maximum is its best such term's, else its first term's. */
static enum qstatus word_load(struct lexq *q, int word, const struct lexical_word *w,
			      struct qerr *err)
{
	double most = -1, first = 0;
	for (int j = 0; j < w->nalt && j < LANG_MAX; j++) {
		size_t df;
		enum qstatus st = term_load(q, word, w->field != LEX_BODY, w->weight, w->term[j],
					    w->len[j], &df, err);
		if (st != Q_OK)
			return st;
		double m = w->weight * lexical_idf(q->n, (double)df) * (BM25_K1 + 1);
		if (!j)
			first = m;
		if (df && m > most)
			most = m;
	}
	if (w->field == LEX_BODY)   /* the maximum is the body's */
		q->max += most >= 0 ? most : first;
	return Q_OK;
}

enum qstatus lexical_query_new(struct stxn *t, const char *account, const struct lexical_word *w,
			       size_t n, struct lexq **out, struct qerr *err)
{
	json_t *rec = NULL;
	size_t terms = 0;
	enum qstatus st;
	struct lexq *q = calloc(1, sizeof *q);
	*out = NULL;
	for (size_t i = 0; i < n; i++)
		terms += (size_t)w[i].nalt;
	if (!q || !(q->cur = calloc(terms ? terms : 1, sizeof *q->cur))) {
		free(q);
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	}
	q->t = t;
	q->tag = lexical_tag(account);
	q->avgdl = 1;
	if ((st = lexical_stats_get(t, account, &rec, err)) != Q_OK || !rec)
		goto out;   /* !rec: nothing of the account indexed yet */
	q->n = (double)json_integer_value(json_object_get(rec, "n"));
	double len = (double)json_integer_value(json_object_get(rec, "len"));
	q->avgdl = q->n > 0 && len > 0 ? len / q->n : 1;
	pthread_mutex_lock(&tables_lock);
	q->locked = 1;
	json_int_t next = json_integer_value(json_object_get(rec, "next"));
	st = ctable_sync(t, q->tag, json_integer_value(json_object_get(rec, "epoch")),
			 (uint32_t)(next > 0 ? next : 0), &q->ct, err);
	for (size_t i = 0; st == Q_OK && i < n; i++)
		st = word_load(q, (int)i, &w[i], err);
out:
	json_decref(rec);
	if (st == Q_OK && !q->ct) {   /* empty: a table with nothing */
		static struct ctable none;
		q->ct = &none;
	}
	if (st != Q_OK) {
		lexical_query_free(q);
		return st;
	}
	*out = q;
	return Q_OK;
}

/* The exhaustive evaluation of a query as typed (lexical.h). */
enum qstatus lexical_score(struct stxn *t, const char *account, const char *query, unsigned langs,
			   void (*cb)(const char *chunk_key, double score, void *arg), void *arg,
			   double *max, struct qerr *err)
{
	struct lexical_word *w;
	struct lexq *q = NULL;
	size_t n;
	if (max)
		*max = 0;
	enum qstatus st = lexical_words(query, langs, &w, &n, err);
	if (st == Q_OK)
		st = lexical_query_new(t, account, w, n, &q, err);
	if (st == Q_OK)
		st = lexical_query_all(q, cb, arg, err);
	if (st == Q_OK && max)
		*max = lexical_query_max(q);
	lexical_query_free(q);
	free(w);
	return st;
}
