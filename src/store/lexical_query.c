/* lexical_query.c: BM25 top-k over the postings blocks by block-max WAND,
 * term at a time or MaxScore in windows of chunk numbers,
 * an exhaustive evaluation giving the same scores, and the process's
 * table of chunk numbers (lengths and keys) it scores with. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "store/lexical.h"
#include "store/lexical_query.h"
#include "store/lexical_impl.h"
#include "store/postings.h"
#include "store/store.h"

#include <limits.h>
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

struct pstate {
	json_int_t epoch, next, n, len, gen;   /* an account's statistics as read */
};

/* ---- a query's postings --------------------------------------------------- */

struct block {
	uint32_t last, n;
	size_t off, len;              /* bytes in the query's arena */
	double part;                  /* the most an entry's tf part is (pblock_bound) */
	double ub;                    /* the most an entry scores: w part */
};

struct cursor {                   /* what WAND reads most first: one cache line */
	uint32_t pos, doc;
	int lazy;                     /* doc is only a lower bound: block not decoded */
	int word;
	double ub;                    /* the most any entry scores */
	struct block *blk;
	size_t nblk, bi, sbi;         /* current block; shallow (block-max) position */
	const struct pblock *d;       /* the block decoded: dec, or the cache's copy */
	long dec_bi;                  /* the block d holds (-1: none) */
	int field;                    /* a field's term: no length norm (b 0) */
	double w;                     /* weight idf (k1 + 1) */
	const unsigned char *base;    /* the blocks' bytes: the query's arena or the cache's */
	struct tentry *e;             /* the cache's entry of the term (NULL: none) */
	size_t df;
	size_t rbi;                   /* exact scoring's own walk (MaxScore): block, */
	uint32_t rpos;                /* position in it */
	struct pblock dec;
};

struct lexq {
	struct stxn *t;
	uint64_t tag;
	double n, avgdl, max;
	double k1, b;                 /* BM25's, as set when the query started */
	struct ctable *ct;
	int locked;
	struct cursor *cur;
	size_t ncur;
	unsigned char *arena;
	size_t alen, acap;
	struct lexical_qstats stats;
	uint32_t *top;                /* the chunk numbers of the last top k, best first */
	size_t ntop;
	uint32_t *memo;               /* the filter's answers in this top k: chunk + 1, */
	uint8_t *memo_ok;             /* 0 an empty slot; open addressing */
	size_t memo_cap, memo_n;
	int cacheable;                /* statistics read: the cache checked against them */
	enum qstatus st;
};

/* ---- the process's postings cache ----------------------------------------- */

/* The blocks of the terms queries read, kept as read (compressed) with
 * their headers' bounds, per account while its statistics read the same:
 * every change to an account's postings rewrites its statistics with a
 * new random "gen" (lexical.c), and a rebuild a new epoch. Bounded by
 * lexical_set_cache_mb (search_postings_cache_mb); the least recently
 * used terms go first. Guarded by tables_lock, which a query holds from
 * lexical_query_new to lexical_query_free: entries a query reads are
 * never dropped under it (only at another query's start). */

struct tentry {
	struct tentry *chain;
	uint64_t tag, hash;
	struct block *blk;            /* ub unset: a query scales its own copy */
	size_t nblk, nbytes, ndec;
	unsigned char *bytes;
	struct pblock **dec;          /* blocks decoded so far (NULL: not yet) */
	uint32_t df;
	int field;                    /* the bounds are a field term's (b 0) */
	unsigned long used;
	size_t klen;
	unsigned char key[];          /* lexical_term_key */
};

struct tstate {                   /* an account's statistics the entries are of */
	uint64_t tag;
	struct pstate s;
	int set;
};

#define SLOTS 4096
static struct tentry *slots[SLOTS];
static struct tstate tstates[TABLES];
static size_t cache_bytes, cache_entries;
static size_t cache_limit = (size_t)64 << 20;
static unsigned long cache_hits, cache_misses;

void lexical_cache_counts(unsigned long *hits, unsigned long *misses, size_t *bytes)
{
	pthread_mutex_lock(&tables_lock);
	*hits = cache_hits;
	*misses = cache_misses;
	*bytes = cache_bytes;
	pthread_mutex_unlock(&tables_lock);
}

static size_t tentry_size(const struct tentry *e)
{
	return sizeof *e + e->klen + e->nbytes + e->nblk * (sizeof *e->blk + sizeof *e->dec) +
	       e->ndec * sizeof **e->dec;
}

static void tentry_free(struct tentry *e)
{
	cache_bytes -= tentry_size(e);
	cache_entries--;
	for (size_t i = 0; i < e->nblk; i++)
		free(e->dec[i]);
	free(e->dec);
	free(e->blk);
	free(e->bytes);
	free(e);
}

/* Drops the entries drop() takes. */
static void cache_drop(int (*drop)(const struct tentry *e, const void *arg), const void *arg)
{
	for (size_t i = 0; i < SLOTS; i++)
		for (struct tentry **p = &slots[i]; *p;) {
			struct tentry *e = *p;
			if (drop(e, arg)) {
				*p = e->chain;
				tentry_free(e);
			} else {
				p = &e->chain;
			}
		}
}

static int any(const struct tentry *e, const void *arg)
{
	(void)e;
	(void)arg;
	return 1;
}

/* The k1 and b the cache's block bounds are at, under tables_lock: a
 * query at others drops them first (lexical_set_bm25). */
static double cache_k1 = BM25_K1, cache_b = BM25_B;

static void cache_bm25(double k1, double b)
{
	if (k1 != cache_k1 || b != cache_b) {
		cache_k1 = k1;
		cache_b = b;
		if (cache_entries)
			cache_drop(any, NULL);
	}
}

void lexical_set_cache_mb(size_t mb)
{
	pthread_mutex_lock(&tables_lock);
	cache_limit = mb << 20;
	if (!cache_limit && cache_entries)
		cache_drop(any, NULL);   /* turned off: nothing kept */
	pthread_mutex_unlock(&tables_lock);
}

static int of_tag(const struct tentry *e, const void *arg)
{
	return e->tag == *(const uint64_t *)arg;
}

static int older(const struct tentry *e, const void *arg)
{
	return e->used < *(const unsigned long *)arg;
}

static int by_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;
	return x < y ? -1 : x > y;
}

/* Over the limit: the least recently used half of the entries goes. */
static void cache_trim(void)
{
	if (cache_bytes <= cache_limit || !cache_entries)
		return;
	unsigned long *used = malloc(cache_entries * sizeof *used), cut = ULONG_MAX;
	size_t n = 0;
	if (used) {
		for (size_t i = 0; i < SLOTS; i++)
			for (struct tentry *e = slots[i]; e; e = e->chain)
				used[n++] = e->used;
		qsort(used, n, sizeof *used, by_ulong);
		cut = used[n / 2] > used[0] ? used[n / 2] : used[0] + 1;
	}
	free(used);
	cache_drop(older, &cut);   /* out of memory: cut ULONG_MAX drops all */
}

/* The account's entries hold for state s; else they go. */
static void cache_check(uint64_t tag, const struct pstate *s)
{
	struct tstate *ts = NULL, *lru = &tstates[0];
	for (int i = 0; i < TABLES && !ts; i++)
		if (tstates[i].set && tstates[i].tag == tag)
			ts = &tstates[i];
		else if (!tstates[i].set)
			lru = &tstates[i];
	if (ts && !memcmp(&ts->s, s, sizeof *s))
		return;
	if (!ts) {
		ts = lru;
		if (ts->set)   /* a sixteenth account: the one in this slot loses its entries */
			cache_drop(of_tag, &ts->tag);
	}
	cache_drop(of_tag, &tag);
	ts->tag = tag;
	ts->s = *s;
	ts->set = 1;
}

static uint64_t key_hash(const struct store_key *k)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < k->len; i++)
		h = (h ^ k->b[i]) * 1099511628211ull;
	return h;
}

static struct tentry *cache_find(uint64_t tag, int field, const struct store_key *k, uint64_t h)
{
	for (struct tentry *e = slots[h % SLOTS]; e; e = e->chain)
		if (e->hash == h && e->tag == tag && e->field == field && e->klen == k->len &&
		    !memcmp(e->key, k->b, k->len))
			return e;
	return NULL;
}

/* A copy of cursor c's blocks (bytes in the query's arena) as an entry;
 * NULL when memory is short (the query goes on without it). */
static struct tentry *cache_put(struct lexq *q, const struct store_key *k, uint64_t h,
				const struct cursor *c, uint32_t df)
{
	size_t bytes = 0;
	for (size_t i = 0; i < c->nblk; i++)
		bytes += c->blk[i].len;
	struct tentry *e = calloc(1, sizeof *e + k->len);
	if (!e)
		return NULL;
	e->blk = malloc((c->nblk ? c->nblk : 1) * sizeof *e->blk);
	e->dec = calloc(c->nblk ? c->nblk : 1, sizeof *e->dec);
	e->bytes = malloc(bytes ? bytes : 1);
	if (!e->blk || !e->dec || !e->bytes) {
		free(e->dec);
		free(e->blk);
		free(e->bytes);
		free(e);
		return NULL;
	}
	size_t off = 0;
	for (size_t i = 0; i < c->nblk; i++) {
		e->blk[i] = c->blk[i];
		e->blk[i].off = off;
		memcpy(e->bytes + off, q->arena + c->blk[i].off, c->blk[i].len);
		off += c->blk[i].len;
	}
	e->tag = q->tag;
	e->field = c->field;
	e->used = uses;
	e->hash = h;
	e->nblk = c->nblk;
	e->nbytes = bytes;
	e->df = df;
	e->klen = k->len;
	memcpy(e->key, k->b, k->len);
	e->chain = slots[h % SLOTS];
	slots[h % SLOTS] = e;
	cache_bytes += tentry_size(e);
	cache_entries++;
	return e;
}

static double term_score(const struct lexq *q, const struct cursor *c, uint32_t tf, uint32_t dl)
{
	/* a field term's chunk length is the body's: fields take none (b 0) */
	double norm = c->field ? q->k1 : q->k1 * (1 - q->b + q->b * (double)dl / q->avgdl);
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
	const struct lexq *q = l->q;
	double part = c->field ? (double)h.maxtf / (h.maxtf + q->k1) : pblock_bound(&h, q->avgdl, q->k1, q->b);
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
	if (klen == l->plen) {   /* the head: pending postings, df, pending count */
		lexical_head_pending(val, vlen, &l->df, &l->tail, l->q->avgdl);
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

/* One term's blocks from the database into c (bytes in the query's
 * arena), *df its df. */
static enum qstatus term_read(struct lexq *q, struct cursor *c, const struct store_key *k,
			      uint32_t *df, struct qerr *err)
{
	struct tload *l = calloc(1, sizeof *l);
	if (!l)
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	l->q = q;
	l->plen = k->len;
	l->c = c;
	/* the weight needs the df, read with the blocks: their bounds are
	 * scaled once it is known */
	c->w = 0;
	enum qstatus st = store_scan_raw(q->t, T_POSTINGS, k, term_record, l, err);
	if (st == Q_OK && (l->oom || tail_block(l)))
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	*df = l->df;
	free(l);
	return st;
}

/* One term's blocks from the cache into c: 0, or -1 when it has none. */
static int term_cached(struct lexq *q, struct cursor *c, const struct store_key *k, uint64_t h,
		       uint32_t *df)
{
	struct tentry *e = q->cacheable ? cache_find(q->tag, c->field, k, h) : NULL;
	if (!e)
		return -1;
	if (e->nblk && !(c->blk = malloc(e->nblk * sizeof *c->blk)))
		return -1;
	if (e->nblk)
		memcpy(c->blk, e->blk, e->nblk * sizeof *c->blk);
	c->nblk = e->nblk;
	c->base = e->bytes;
	c->e = e;
	e->used = uses;
	*df = e->df;
	cache_hits++;
	return 0;
}

/* Reads one term's postings into a new cursor for word; *df its df. */
static enum qstatus term_load(struct lexq *q, int word, int field, double weight,
			      const char *term, size_t len, size_t *df, struct qerr *err)
{
	struct store_key k;
	uint32_t d = 0;
	enum qstatus st = Q_OK;
	struct cursor *c = &q->cur[q->ncur];
	memset(c, 0, sizeof *c);
	c->word = word;
	c->field = field;
	c->dec_bi = -1;
	lexical_term_key(&k, q->tag, term, len);
	uint64_t h = key_hash(&k);
	if (term_cached(q, c, &k, h, &d)) {
		cache_misses++;
		struct tentry *e = NULL;
		if ((st = term_read(q, c, &k, &d, err)) == Q_OK && q->cacheable &&
		    (e = cache_put(q, &k, h, c, d))) {
			c->e = e;   /* read from the cache's copy from now on */
			c->base = e->bytes;
			for (size_t i = 0; i < c->nblk; i++)
				c->blk[i].off = e->blk[i].off;
		}
	}
	if (st != Q_OK) {
		free(c->blk);
		return st;
	}
	*df = d;
	c->w = weight * lexical_idf(q->n, (double)d) * (q->k1 + 1);
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
		struct pblock **kept = c->e ? &c->e->dec[c->bi] : NULL;
		if (kept && *kept) {
			c->d = *kept;   /* decoded by an earlier query */
		} else {
			struct pblock *into = &c->dec;
			if (kept && (*kept = malloc(sizeof **kept))) {
				into = *kept;
				c->e->ndec++;
				cache_bytes += sizeof **kept;
			}
			if (pblock_decode(c->base + b->off, b->len, into))
				into->n = 0;   /* damaged: read as empty */
			c->d = into;
		}
		c->dec_bi = (long)c->bi;
		c->pos = 0;
		q->stats.decoded += c->d->n;
		q->stats.blocks_decoded++;
	}
	return c->d;
}

/* The first of c's blocks from i whose last chunk is target or later
 * (nblk when none): galloping, then a binary search, so that a long
 * jump over a common term's thousands of blocks is not a walk. */
static size_t blk_from(const struct cursor *c, size_t i, uint32_t target)
{
	size_t step = 1, lo = i, hi;
	if (i >= c->nblk || c->blk[i].last >= target)
		return i;
	while (lo + step < c->nblk && c->blk[lo + step].last < target) {
		lo += step;
		step *= 2;
	}
	hi = lo + step < c->nblk ? lo + step : c->nblk;   /* blk[lo] < target <= blk[hi] */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->blk[mid].last < target)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

/* The first position from pos of decoded block b whose chunk is target
 * or later (b->n when none), by binary search. */
static uint32_t pos_from(const struct pblock *b, uint32_t pos, uint32_t target)
{
	uint32_t lo = pos, hi = b->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (b->doc[mid] < target)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
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
			c->bi = blk_from(c, c->bi, target);
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
		if (c->pos < b->n && b->doc[c->pos] < target)
			c->pos = pos_from(b, c->pos, target);
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
	c->sbi = blk_from(c, c->sbi, d);
	if (c->sbi == c->nblk) {
		*end = END;
		return 0;
	}
	*end = c->blk[c->sbi].last;
	return c->blk[c->sbi].ub;
}

static uint32_t cur_tf(const struct cursor *c)
{
	return c->d->tf[c->pos];
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

/* c sorted again after its first moved cursors advanced (the rest still
 * sorted): each moves right past the cursors now before it. */
static void resort(struct cursor **c, size_t moved, size_t n)
{
	for (size_t i = moved; i-- > 0;) {
		struct cursor *x = c[i];
		size_t j = i;
		for (; j + 1 < n && c[j + 1]->doc < x->doc; j++)
			c[j] = c[j + 1];
		c[j] = x;
	}
}

/* The filter's answers kept for one lexical_query_top (MaxScore's seed
 * and its windows, term at a time's second pass ask of the same chunks);
 * 0, or -1 when memory is short (then not kept). */
static int memo_grow(struct lexq *q)
{
	size_t cap = q->memo_cap ? q->memo_cap * 2 : 256;
	uint32_t *m = calloc(cap, sizeof *m);
	uint8_t *ok = m ? malloc(cap) : NULL;
	if (!ok) {
		free(m);
		return -1;
	}
	for (size_t i = 0; i < q->memo_cap; i++)
		if (q->memo[i]) {
			size_t j = (q->memo[i] * 2654435761u) & (cap - 1);
			while (m[j])
				j = (j + 1) & (cap - 1);
			m[j] = q->memo[i];
			ok[j] = q->memo_ok[i];
		}
	free(q->memo);
	free(q->memo_ok);
	q->memo = m;
	q->memo_ok = ok;
	q->memo_cap = cap;
	return 0;
}

static int accepted(struct lexq *q, uint32_t d, lexical_accept_fn accept, void *arg)
{
	if (!accept)
		return 1;
	size_t j = 0;
	if (q->memo_cap) {
		for (j = ((d + 1) * 2654435761u) & (q->memo_cap - 1); q->memo[j];
		     j = (j + 1) & (q->memo_cap - 1))
			if (q->memo[j] == d + 1)
				return q->memo_ok[j];
	}
	const char *key = q->ct->keys + q->ct->koff[d];
	int ok = accept(key, strlen(key), arg);
	if ((q->memo_n + 1) * 2 > q->memo_cap) {
		if (memo_grow(q))
			return ok;
		for (j = ((d + 1) * 2654435761u) & (q->memo_cap - 1); q->memo[j];
		     j = (j + 1) & (q->memo_cap - 1))
			;
	}
	q->memo[j] = d + 1;
	q->memo_ok[j] = (uint8_t)ok;
	q->memo_n++;
	return ok;
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
	size_t nc = q->ncur, moved = nc;
	sort_by_doc(c, nc);
	for (;;) {
		resort(c, moved, nc);
		moved = 0;
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
			moved = last + 1;
			continue;
		}
		if (c[0]->doc == d) {
			/* each cursor on d for real, else back to choosing */
			int again = 0;
			for (size_t i = 0; i <= last; i++)
				if (c[i]->lazy) {
					cur_seek(q, c[i], d, 0);
					again |= c[i]->doc != d;
				}
			if (!again)
				evaluate(q, c, last, d, h, accept, arg);
			moved = last + 1;
			continue;
		}
		for (size_t i = 0; i < p; i++)
			if (c[i]->doc < d)
				cur_seek(q, c[i], d, 1);
		moved = p;
	}
}

/* One term's top k by its blocks in the order of their bounds, best
 * first (impact order), for a query of one cursor (a word's context in
 * search_context.c: the word alone, over the filter): the best chunks
 * lie in the blocks of the highest bounds, so the heap's threshold is
 * near its last soon and the walk stops at the first block whose bound
 * is below it, where WAND in chunk order decodes every block whose bound
 * beats the threshold of the chunks before it. The same top k as WAND:
 * chunks come out of order, so one scoring the threshold enters when it
 * is older than the heap's worst (in chunk order it would have come
 * first), and blocks bound at the threshold are still read. -1 when
 * memory is short (WAND then). */
static int ub_desc(const void *a, const void *b, void *arg)
{
	const struct block *blk = arg;
	double x = blk[*(const size_t *)a].ub, y = blk[*(const size_t *)b].ub;
	return x > y ? -1 : x < y ? 1 : (*(const size_t *)a > *(const size_t *)b) - (*(const size_t *)a < *(const size_t *)b);
}

static int impact(struct lexq *q, struct heap *h, lexical_accept_fn accept, void *arg)
{
	struct cursor *c = &q->cur[0];
	size_t *order = malloc((c->nblk ? c->nblk : 1) * sizeof *order);
	if (!order)
		return -1;
	for (size_t i = 0; i < c->nblk; i++)
		order[i] = i;
	qsort_r(order, c->nblk, sizeof *order, ub_desc, c->blk);
	c->dec_bi = -1;
	for (size_t o = 0; o < c->nblk; o++) {
		double th = threshold(h);
		if (c->blk[order[o]].ub < th)
			break;
		c->bi = order[o];
		const struct pblock *b = cur_block(q, c);
		for (uint32_t i = 0; i < b->n; i++) {
			uint32_t d = b->doc[i];
			c->pos = i;
			c->doc = d;
			double s = score_at(q, d);
			th = threshold(h);
			if (s < 0 || (h->n == h->k && (s < th || (s == th && d > h->v[0].doc))))
				continue;
			if (accepted(q, d, accept, arg))
				heap_push(h, s, d);
		}
	}
	c->doc = END;
	free(order);
	return 0;
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

/* ---- term at a time ---------------------------------------------------- */

/* Scratch of the dense evaluation, kept by the process (under tables_lock)
 * and grown with the largest account's chunk count: a score per chunk,
 * a word's best term per chunk, marks, and the chunks touched. */
static struct {
	double *acc, *wbest;
	double *sum;                  /* taat_pick: the sums in touched order */
	uint8_t *mark;                /* 1: in touched, 2: in the word's list */
	uint32_t *touched, *wlist;
	uint32_t cap;
} dense;

static int dense_fit(uint32_t n)
{
	if (n <= dense.cap)
		return 0;
	uint32_t cap = n + n / 4 + 1024;
	double *a = realloc(dense.acc, cap * sizeof *a), *w;
	if (a)
		dense.acc = a;
	w = a ? realloc(dense.wbest, cap * sizeof *w) : NULL;
	if (w)
		dense.wbest = w;
	double *sm = w ? realloc(dense.sum, cap * sizeof *sm) : NULL;
	if (sm)
		dense.sum = sm;
	uint8_t *m = sm ? realloc(dense.mark, cap) : NULL;
	if (m)
		dense.mark = m;
	uint32_t *t = m ? realloc(dense.touched, cap * sizeof *t) : NULL, *l;
	if (t)
		dense.touched = t;
	l = t ? realloc(dense.wlist, cap * sizeof *l) : NULL;
	if (!l)
		return -1;
	dense.wlist = l;
	for (uint32_t i = dense.cap; i < cap; i++) {
		dense.acc[i] = dense.wbest[i] = 0;
		dense.mark[i] = 0;
	}
	dense.cap = cap;
	return 0;
}

/* Cursor c's every posting to fn (a chunk number below the table's). */
#define EACH_POSTING(q, c, d, s, body)                                        \
	for ((c)->bi = 0; (c)->bi < (c)->nblk; (c)->bi++) {                     \
		const struct pblock *b_ = cur_block(q, c);                      \
		for (uint32_t i_ = 0; i_ < b_->n; i_++) {                       \
			uint32_t d = b_->doc[i_];                               \
			if (d >= (q)->ct->n)                                    \
				continue;                                       \
			double s = term_score(q, c, b_->tf[i_], (q)->ct->dl[d]); \
			body                                                    \
		}                                                               \
	}

/* Chunk d with sum sc into h when it can enter and the filter takes it
 * (accept NULL: all). Chunks come in no order here: a tie with the worst
 * enters when it is the older chunk (WAND meets them in order). */
static void taat_offer(struct lexq *q, struct heap *h, uint32_t d, double sc,
		       lexical_accept_fn accept, void *arg)
{
	if ((h->n < h->k || sc > h->v[0].score || (sc == h->v[0].score && d < h->v[0].doc)) &&
	    accepted(q, d, accept, arg))
		heap_push(h, sc, d);
}

/* The touched chunks' (nt) k best into h, the sums reset. The k best
 * with no filter first, each sum kept in touched order: when the filter
 * takes all k they are its k best too (the heap's order is total), the
 * filter asked k times instead of at every chunk entering on the way;
 * else again from the kept sums, asking it. */
static void taat_pick(struct lexq *q, struct heap *h, uint32_t nt, lexical_accept_fn accept,
		      void *arg)
{
	for (uint32_t x = 0; x < nt; x++) {
		uint32_t d = dense.touched[x];
		double sc = dense.acc[d];
		dense.acc[d] = 0;
		dense.mark[d] = 0;
		dense.sum[x] = sc;
		if (q->ct->koff[d] == NOKEY)
			dense.touched[x] = NOKEY;   /* removed */
		else
			taat_offer(q, h, d, sc, NULL, NULL);
	}
	for (size_t i = 0; accept && i < h->n; i++)
		if (!accepted(q, h->v[i].doc, accept, arg)) {
			h->n = 0;
			for (uint32_t x = 0; x < nt; x++)
				if (dense.touched[x] != NOKEY)
					taat_offer(q, h, dense.touched[x], dense.sum[x], accept, arg);
			break;
		}
}

/* The top k by scoring every posting of every term into a score per
 * chunk: words in query order, each its best term (the same sums as
 * score_sum, so the same scores and ranking as WAND). Cheaper than WAND
 * when its bounds skip little: many terms, common ones, a deep k.
 * -1: out of memory (nothing done). */
static int taat(struct lexq *q, struct heap *h, lexical_accept_fn accept, void *arg)
{
	uint32_t nt = 0;
	if (dense_fit(q->ct->n))
		return -1;
	for (size_t i = 0, j; i < q->ncur; i = j) {
		for (j = i + 1; j < q->ncur && q->cur[j].word == q->cur[i].word; j++)
			;
		if (j == i + 1) {   /* one term: straight into the sums */
			struct cursor *c = &q->cur[i];
			EACH_POSTING(q, c, d, sc, {
				if (!dense.mark[d]) {
					dense.mark[d] = 1;
					dense.touched[nt++] = d;
				}
				dense.acc[d] += sc;
			})
			continue;
		}
		uint32_t nw = 0;
		for (size_t m = i; m < j; m++) {
			struct cursor *c = &q->cur[m];
			EACH_POSTING(q, c, d, sc, {
				if (!(dense.mark[d] & 2)) {
					dense.mark[d] |= 2;
					dense.wlist[nw++] = d;
				}
				if (sc > dense.wbest[d])
					dense.wbest[d] = sc;
			})
		}
		for (uint32_t x = 0; x < nw; x++) {
			uint32_t d = dense.wlist[x];
			if (!(dense.mark[d] & 1))
				dense.touched[nt++] = d;
			dense.mark[d] = 1;
			dense.acc[d] += dense.wbest[d];
			dense.wbest[d] = 0;
		}
	}
	taat_pick(q, h, nt, accept, arg);
	q->stats.scored += nt;
	return 0;
}

/* ---- MaxScore ---------------------------------------------------------- */

/* MaxScore (Turtle and Flood 1995) with block-max bounds, in chunk
 * order: the cursors by their bound, smallest first; while the bounds
 * of the first ne sum to no more than the heap's threshold, a chunk only
 * they hold cannot enter, so only the others (the essential ones, the
 * rarer terms) propose chunks. A chunk proposed is bounded by its
 * essential terms' scores and the others' bounds, these then replaced,
 * largest first, by the bound of the block holding the chunk and by
 * the term's score there; the chunk is dropped as soon as the bound
 * cannot beat the threshold, so the common terms' lists are only probed
 * for chunks that can still enter, and their blocks no such chunk falls
 * in are never decoded. A chunk that survives is scored by score_sum
 * (the same sum as every evaluation) and offered to the heap as WAND
 * does, in chunk order. */

/* Slack on a bound summed in another order than score_sum's. */
#define BOUND_SLACK (1 + 1e-9)

static int by_ub(const void *a, const void *b)
{
	const struct cursor *x = *(struct cursor *const *)a, *y = *(struct cursor *const *)b;
	return x->ub < y->ub ? -1 : x->ub > y->ub;
}

/* Non-essential cursors c[0..ne) probed for d, largest bound first,
 * from bound (d's own sum and bub[0..ne), their bounds of the blocks
 * holding d: ne_blocks): 1 when d can still beat th (all of them then on
 * d or past it), 0 when not. */
static int probe(struct lexq *q, struct cursor **c, size_t ne, const double *bub, uint32_t d,
		 double bound, double th)
{
	uint32_t dl = q->ct->dl[d];
	for (size_t i = 0; i < ne; i++)
		if (c[i]->doc > d)   /* past d already: not in it */
			bound -= bub[i];
	if (bound * BOUND_SLACK <= th)
		return 0;
	for (size_t i = ne; i-- > 0;) {
		struct cursor *x = c[i];
		if (x->doc > d)
			continue;
		bound -= bub[i];
		if (x->doc < d)
			cur_seek(q, x, d, 0);
		if (x->doc == d)
			bound += term_score(q, x, cur_tf(x), dl);
		if (bound * BOUND_SLACK <= th)
			return 0;
	}
	return 1;
}

/* Block bi of c (which has a cache entry) decoded: the cache's copy,
 * made now when it has none (as cur_block keeps it), else decoded into
 * *tmp when memory is short. */
static const struct pblock *block_kept(struct lexq *q, struct cursor *c, size_t bi,
				       struct pblock *tmp)
{
	struct pblock **kept = &c->e->dec[bi], *into = tmp;
	if (*kept)
		return *kept;
	if ((*kept = malloc(sizeof **kept))) {
		into = *kept;
		c->e->ndec++;
		cache_bytes += sizeof **kept;
	}
	if (pblock_decode(c->base + c->blk[bi].off, c->blk[bi].len, into))
		into->n = 0;   /* damaged: read as empty */
	q->stats.decoded += into->n;
	q->stats.blocks_decoded++;
	return into;
}

/* The tf of chunk d in c (0: none) by c's second walk, which only moves
 * forward (rbi, rpos), leaving the cursor itself where it is; a block
 * the cache has not decoded is decoded into *tmp. */
static uint32_t walk_tf(struct lexq *q, struct cursor *c, uint32_t d, struct pblock *tmp,
			const struct cursor **tmp_of, size_t *tmp_bi)
{
	size_t nb = blk_from(c, c->rbi, d);
	if (nb != c->rbi) {
		c->rbi = nb;
		c->rpos = 0;
	}
	if (c->rbi == c->nblk)
		return 0;
	const struct pblock *b;
	if (c->dec_bi == (long)c->rbi) {
		b = c->d;
	} else if (c->e) {
		b = block_kept(q, c, c->rbi, tmp);
	} else {
		if (*tmp_of != c || *tmp_bi != c->rbi) {
			if (pblock_decode(c->base + c->blk[c->rbi].off, c->blk[c->rbi].len, tmp))
				tmp->n = 0;
			*tmp_of = c;
			*tmp_bi = c->rbi;
		}
		b = tmp;
	}
	uint32_t lo = c->rpos, hi = b->n;   /* the first at or after d */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (b->doc[mid] < d)
			lo = mid + 1;
		else
			hi = mid;
	}
	c->rpos = lo;
	return lo < b->n && b->doc[lo] == d ? b->tf[lo] : 0;
}

/* score_sum for chunk d by the second walks: the same sum, term for
 * term, in the same order. */
static double score_walk(struct lexq *q, uint32_t d, struct pblock *tmp)
{
	if (d >= q->ct->n || q->ct->koff[d] == NOKEY)
		return -1;
	const struct cursor *tmp_of = NULL;
	size_t tmp_bi = 0;
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
		uint32_t tf = walk_tf(q, c, d, tmp, &tmp_of, &tmp_bi);
		if (tf) {
			double s = term_score(q, c, tf, dl);
			best = s > best ? s : best;
		}
	}
	q->stats.scored++;
	return sum + best;
}

/* Chunks per window: its sums (8 bytes a chunk) stay in the L2 cache. */
#define WINDOW 8192

struct window {
	double acc[WINDOW];
	uint64_t mark[WINDOW / 64];
	struct pblock tmp;
};

/* Essential cursor x's postings below end into the window's sums (each
 * term's score as term_score gives it, to rounding, a bound of its
 * word's); x left on its first beyond. */
static void window_add(struct lexq *q, struct cursor *x, uint32_t base, uint32_t end,
		       struct window *w)
{
	const uint32_t *dl = q->ct->dl;
	uint32_t n = q->ct->n;
	/* term_score's norm with one division less: a relative error far
	 * below BOUND_SLACK, and the sums are only bounds */
	double nk0 = q->k1 * (1 - q->b), nk1 = q->k1 * q->b / q->avgdl;
	while (x->bi < x->nblk) {
		const struct pblock *b = cur_block(q, x);
		uint32_t p = x->pos;
		for (; p < b->n && b->doc[p] < end; p++) {
			uint32_t d = b->doc[p];
			if (d >= n)
				continue;
			w->acc[d - base] += x->w * b->tf[p] / (b->tf[p] + (x->field ? q->k1 : nk0 + nk1 * dl[d]));
			w->mark[(d - base) >> 6] |= 1ull << ((d - base) & 63);
		}
		q->stats.summed += p - x->pos;
		x->pos = p;
		if (p < b->n) {
			x->doc = b->doc[p];
			return;
		}
		x->bi++;
	}
	x->doc = END;
}

/* The non-essential cursors c[0..ne)'s bounds of their blocks holding d
 * into bub and summed (nothing decoded), and in *until the first of
 * those blocks' ends: they bound them at every chunk from d to *until,
 * so the window's chunks in order recompute them only past *until. */
static double ne_blocks(struct cursor **c, size_t ne, uint32_t d, double *bub, uint32_t *until)
{
	double sum = 0;
	uint32_t end;
	*until = END;
	for (size_t i = 0; i < ne; i++) {
		sum += bub[i] = cur_block_ub(c[i], d, &end);
		if (end < *until)
			*until = end;
	}
	return sum;
}

/* The seed: a floor of the threshold before the windows. The chunks
 * holding several of the query's rarest terms are the likeliest to end
 * in the top k, so the rarest terms' postings (up to SEED_POSTINGS in
 * all) are summed per chunk (their bounds' order: a chunk's partial
 * score), and the seed_pick(k) best of those sums are scored exactly;
 * when the rarest term alone has more, up to SEED_CHUNKS of its chunks
 * in its best blocks by bound are scored instead. */
#define SEED_CHUNKS 512
#define SEED_POSTINGS 4096
#define SEED_SLOTS (2 * SEED_POSTINGS)   /* the partial sums' table: a power of 2 */

static size_t seed_postings = SEED_POSTINGS;

void lexical_set_seed_postings(size_t n)
{
	seed_postings = n < SEED_POSTINGS ? n : SEED_POSTINGS;   /* the table's size */
}

static size_t seed_pick(size_t k)
{
	size_t m = k + 32;
	return m < SEED_CHUNKS ? m : SEED_CHUNKS;
}

struct seedblk {
	double ub;
	size_t i;
};

static int by_seed_ub(const void *a, const void *b)
{
	const struct seedblk *x = a, *y = b;
	return x->ub > y->ub ? -1 : x->ub < y->ub;
}

static int by_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Every cursor's second walk back to its start. */
static void walks_reset(struct lexq *q)
{
	for (size_t i = 0; i < q->ncur; i++) {
		q->cur[i].rbi = 0;
		q->cur[i].rpos = 0;
	}
}

/* The postings in c's blocks. */
static size_t cur_postings(const struct cursor *c)
{
	size_t n = 0;
	for (size_t i = 0; i < c->nblk; i++)
		n += c->blk[i].n;
	return n;
}

/* Block bi of x decoded: the cache's copy, else into *tmp (NULL when
 * damaged). */
static const struct pblock *seed_block(struct lexq *q, struct cursor *x, size_t bi,
				       struct pblock *tmp)
{
	if (x->e)
		return block_kept(q, x, bi, tmp);
	if (pblock_decode(x->base + x->blk[bi].off, x->blk[bi].len, tmp))
		return NULL;
	return tmp;
}

/* Up to SEED_CHUNKS chunks of r's best blocks by bound into docs. */
static uint32_t seed_blocks(struct lexq *q, struct cursor *r, uint32_t *docs, struct window *w)
{
	struct seedblk *sb = malloc((r->nblk ? r->nblk : 1) * sizeof *sb);
	uint32_t nd = 0;
	if (!sb)
		return 0;
	for (size_t i = 0; i < r->nblk; i++)
		sb[i] = (struct seedblk){r->blk[i].ub, i};
	qsort(sb, r->nblk, sizeof *sb, by_seed_ub);
	for (size_t j = 0; j < r->nblk && nd + r->blk[sb[j].i].n <= SEED_CHUNKS; j++) {
		const struct pblock *b = seed_block(q, r, sb[j].i, &w->tmp);
		for (uint32_t x = 0; b && x < b->n && nd < SEED_CHUNKS; x++)
			docs[nd++] = b->doc[x];
	}
	free(sb);
	return nd;
}

/* The partial sums of the rarest terms c[from..nc) (their postings
 * SEED_POSTINGS at most) per chunk; the m best chunks by them into docs. */
static uint32_t seed_sums(struct lexq *q, struct cursor **c, size_t from, size_t nc, size_t m,
			  uint32_t *docs, struct window *w)
{
	uint32_t *key = calloc(SEED_SLOTS, sizeof *key);   /* chunk + 1; 0 empty */
	double *sum = malloc(SEED_SLOTS * sizeof *sum);
	struct heap best = {malloc(m * sizeof *best.v), 0, m};
	uint32_t nd = 0;
	if (!key || !sum || !best.v)
		goto out;
	for (size_t i = from; i < nc; i++) {
		struct cursor *x = c[i];
		for (size_t bi = 0; bi < x->nblk; bi++) {
			const struct pblock *b = seed_block(q, x, bi, &w->tmp);
			for (uint32_t p = 0; b && p < b->n; p++) {
				uint32_t d = b->doc[p], h = (d * 2654435761u) & (SEED_SLOTS - 1);
				if (d >= q->ct->n)
					continue;
				while (key[h] && key[h] != d + 1)
					h = (h + 1) & (SEED_SLOTS - 1);
				if (!key[h]) {
					key[h] = d + 1;
					sum[h] = 0;
				}
				sum[h] += term_score(q, x, b->tf[p], q->ct->dl[d]);
			}
		}
	}
	for (uint32_t h = 0; h < SEED_SLOTS; h++)
		if (key[h] && (best.n < m || sum[h] > threshold(&best)))
			heap_push(&best, sum[h], key[h] - 1);
	for (size_t i = 0; i < best.n; i++)
		docs[nd++] = best.v[i].doc;
out:
	free(key);
	free(sum);
	free(best.v);
	return nd;
}

/* A lower bound of the k-th best score of an allowed chunk (-1: none
 * known): the k-th best exact score among the seed's chunks (above, c
 * sorted by bound, the rarest terms last), when those k chunks are all
 * allowed. */
static double seed(struct lexq *q, struct cursor **c, size_t nc, size_t k,
		   lexical_accept_fn accept, void *arg, struct window *w)
{
	uint32_t *docs = malloc(SEED_CHUNKS * sizeof *docs), nd = 0;
	struct heap sh = {malloc((k ? k : 1) * sizeof *sh.v), 0, k};
	double th = -1;
	size_t from = nc, posts = 0;
	if (!docs || !sh.v || !k || k > SEED_CHUNKS || !nc)
		goto out;
	while (from > 0 && posts + cur_postings(c[from - 1]) <= seed_postings)
		posts += cur_postings(c[--from]);
	nd = from < nc ? seed_sums(q, c, from, nc, seed_pick(k), docs, w)
		       : seed_blocks(q, c[nc - 1], docs, w);
	if (nd < k)
		goto out;
	qsort(docs, nd, sizeof *docs, by_u32);
	walks_reset(q);
	for (uint32_t x = 0; x < nd; x++) {
		double s = score_walk(q, docs[x], &w->tmp);
		if (s >= 0 && (sh.n < k || s > threshold(&sh)))
			heap_push(&sh, s, docs[x]);
	}
	walks_reset(q);
	if (sh.n < k)
		goto out;
	for (size_t i = 0; i < sh.n; i++)
		if (!accepted(q, sh.v[i].doc, accept, arg))
			goto out;
	th = sh.v[0].score * (1 - 1e-9);   /* below the k-th exact score, whatever the order */
out:
	free(docs);
	free(sh.v);
	return th;
}

/* MaxScore in windows of chunk numbers: the essential terms scored term
 * at a time into the window's sums (in cache), then the window's chunks
 * in order, each whose sum and the other terms' bounds can beat the
 * threshold probed (probe) and, when it still can, scored exactly.
 * trial: when the filter takes the seed's k, the filter is not asked of
 * the chunks entering the heap, only of the k best at the end (the
 * heap's order is total: when it takes them all they are its k best);
 * 1 when it refuses one (h emptied: again with trial 0), -1 out of
 * memory, else 0. */
static int maxscore(struct lexq *q, struct cursor **c, struct heap *h, lexical_accept_fn accept,
		    void *arg, int trial)
{
	size_t nc = q->ncur, ne = 0;
	double nebound = 0, th = -1;   /* the bounds of c[0..ne) summed */
	struct window *w = calloc(1, sizeof *w);
	double *bub = malloc((nc ? nc : 1) * sizeof *bub);   /* ne_blocks' */
	if (!w || !bub) {
		free(w);
		free(bub);
		return -1;
	}
	qsort(c, nc, sizeof *c, by_ub);
	walks_reset(q);
	/* a threshold from the rarest term's best chunks: chunks below it
	 * are pruned from the first window on (the heap still takes the
	 * window's chunks in order, as without it) */
	double floor = seed(q, c, nc, h->k, accept, arg, w);
	if (trial && floor < 0) {   /* the filter refused one of them: ask it throughout */
		free(w);
		free(bub);
		return 1;
	}
	lexical_accept_fn fa = trial ? NULL : accept;
	th = floor;
	/* the first windows small, so that the threshold is known early */
	for (uint32_t base = 0, span = WINDOW / 8; base < q->ct->n;
	     base += span, span = span < WINDOW ? span * 2 : WINDOW) {
		uint32_t end = q->ct->n - base > span ? base + span : q->ct->n;
		while (ne < nc && (nebound + c[ne]->ub) * BOUND_SLACK <= th)
			nebound += c[ne++]->ub;
		if (ne == nc)
			break;   /* no chunk can enter any more */
		for (size_t i = ne; i < nc; i++)
			if (c[i]->doc < end)
				window_add(q, c[i], base, end, w);
		uint32_t until = 0;   /* nb holds for the window's chunks up to until */
		double nb = nebound;
		int known = 0;
		for (uint32_t m = 0; m < WINDOW / 64; m++)
			while (w->mark[m]) {
				uint32_t j = m * 64 + (uint32_t)__builtin_ctzll(w->mark[m]);
				w->mark[m] &= w->mark[m] - 1;
				uint32_t d = base + j;
				double own = w->acc[j], a = own + nebound;
				w->acc[j] = 0;
				if (a * BOUND_SLACK <= th)
					continue;
				if (!known || d > until) {
					nb = ne_blocks(c, ne, d, bub, &until);
					known = 1;
				}
				if ((own + nb) * BOUND_SLACK <= th)
					continue;
				q->stats.probed++;
				if (!probe(q, c, ne, bub, d, own + nb, th))
					continue;
				double s = score_walk(q, d, &w->tmp);
				if (s >= 0 && (h->n < h->k || s > threshold(h)) &&
				    accepted(q, d, fa, arg)) {
					heap_push(h, s, d);
					th = threshold(h) > floor ? threshold(h) : floor;
				}
			}
	}
	free(w);
	free(bub);
	for (size_t i = 0; trial && i < h->n; i++)
		if (!accepted(q, h->v[i].doc, accept, arg)) {
			h->n = 0;
			return 1;
		}
	return 0;
}

/* How lexical_query_top evaluates (lexical_set_eval). */
static enum lexical_eval eval_mode = LEXICAL_EVAL_RULE;

void lexical_set_eval(enum lexical_eval mode)
{
	eval_mode = mode;
}

/* From this many chunks in the account, MaxScore rather than term at a
 * time: below, the per-chunk sums stay in the cache and scoring every
 * posting is as fast (docs/search.md, "Figures"); for a top k under
 * MAXSCORE_DEEP from MAXSCORE_CHUNKS_SHALLOW (its threshold is higher:
 * MaxScore skips more). */
#define MAXSCORE_CHUNKS 150000
#define MAXSCORE_CHUNKS_SHALLOW 90000
#define MAXSCORE_DEEP 50

static enum lexical_eval eval_for(const struct lexq *q, size_t k)
{
	if (eval_mode != LEXICAL_EVAL_RULE)
		return eval_mode == LEXICAL_EVAL_IMPACT && q->ncur != 1 ? LEXICAL_EVAL_WAND : eval_mode;
	if (q->ncur == 1)
		return LEXICAL_EVAL_IMPACT;   /* one term: its blocks by their bounds */
	size_t postings = 0;
	for (size_t i = 0; i < q->ncur; i++)
		for (size_t b = 0; b < q->cur[i].nblk; b++)
			postings += q->cur[i].blk[b].n;
	/* WAND pays per pivot; with several terms and a deep k it decodes
	 * most blocks anyway (make bench-search prints the share) */
	if (!(q->ncur >= 4 || k >= 50 || postings < 4096))
		return LEXICAL_EVAL_WAND;
	uint32_t from = k < MAXSCORE_DEEP ? MAXSCORE_CHUNKS_SHALLOW : MAXSCORE_CHUNKS;
	return q->ct->n >= from && postings >= 4096 ? LEXICAL_EVAL_MAXSCORE : LEXICAL_EVAL_TAAT;
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
	if (q->memo_cap)   /* the filter's answers are this call's */
		memset(q->memo, 0, q->memo_cap * sizeof *q->memo);
	q->memo_n = 0;
	/* each way that cannot answer passes to the next; done: answered */
	enum lexical_eval mode = eval_for(q, k);
	int done = 0;
	if (mode == LEXICAL_EVAL_IMPACT) {
		/* first without the filter, then asked of the k best alone:
		 * when it lets them all through they are its top k (the
		 * filter's first reads of documents are its cost) */
		int r = impact(q, &h, NULL, NULL);
		for (size_t i = 0; !r && accept && i < h.n; i++)
			if (!accepted(q, h.v[i].doc, accept, arg)) {
				h.n = 0;
				r = impact(q, &h, accept, arg);
				break;
			}
		if (r) {
			h.n = 0;
			mode = LEXICAL_EVAL_WAND;
		} else {
			done = 1;
		}
	}
	if (!done && mode == LEXICAL_EVAL_MAXSCORE) {
		cursors_start(q);
		int r = maxscore(q, c, &h, accept, arg, accept != NULL);
		if (r == 1) {   /* the filter refused one of the unfiltered k best */
			cursors_start(q);
			r = maxscore(q, c, &h, accept, arg, 0);
		}
		if (r) {
			h.n = 0;
			mode = LEXICAL_EVAL_TAAT;
		}
	}
	if (!done && mode == LEXICAL_EVAL_TAAT && taat(q, &h, accept, arg))
		mode = LEXICAL_EVAL_WAND;
	if (!done && mode == LEXICAL_EVAL_WAND) {
		cursors_start(q);
		wand(q, c, &h, accept, arg);
	}
	/* popping the worst each time fills out from its end: best first,
	 * equal scores the older chunk first; their numbers kept for
	 * chunk_score (no key lookup in the database for a hit) */
	*n = h.n;
	free(q->top);
	q->ntop = 0;
	if ((q->top = malloc((h.n ? h.n : 1) * sizeof *q->top)))
		q->ntop = h.n;
	while (h.n) {
		size_t i = --h.n;
		heap_swap(&h, 0, i);
		heap_down(&h, 0);
		struct lexical_hit *o = &out[i];
		snprintf(o->chunk, sizeof o->chunk, "%s", q->ct->keys + q->ct->koff[h.v[i].doc]);
		o->score = h.v[i].score;
		if (q->top)
			q->top[i] = h.v[i].doc;
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

/* 1 with *d the number of chunk_key when it is one of the last top k
 * (its key in the chunk table, current while the query is), else 0. */
static int top_num(const struct lexq *q, const char *chunk_key, uint32_t *d)
{
	for (size_t i = 0; i < q->ntop; i++)
		if (!strcmp(q->ct->keys + q->ct->koff[q->top[i]], chunk_key)) {
			*d = q->top[i];
			return 1;
		}
	return 0;
}

/* One chunk's score: its body words' alone with body_only. */
static enum qstatus chunk_score(struct lexq *q, const char *chunk_key, int body_only,
				double *score, struct qerr *err)
{
	uint32_t d;
	*score = 0;
	enum qstatus st = top_num(q, chunk_key, &d) ? Q_OK
			  : lexical_chunk_num(q->t, q->tag, chunk_key, &d, err);
	if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		return Q_OK;
	}
	if (st != Q_OK || d >= q->ct->n || q->ct->koff[d] == NOKEY)
		return st;
	/* each cursor placed on d, its block found by binary search (a
	 * common term has thousands): the same sum as score_at */
	for (size_t i = 0; i < q->ncur; i++) {
		struct cursor *c = &q->cur[i];
		size_t lo = 0, hi = c->nblk;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (c->blk[mid].last < d)
				lo = mid + 1;
			else
				hi = mid;
		}
		c->bi = c->sbi = lo;
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
	free(q->top);
	free(q->memo);
	free(q->memo_ok);
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
		double m = w->weight * lexical_idf(q->n, (double)df) * (q->k1 + 1);
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
	q->k1 = BM25_K1;
	q->b = BM25_B;
	if ((st = lexical_stats_get(t, account, &rec, err)) != Q_OK || !rec)
		goto out;   /* !rec: nothing of the account indexed yet */
	q->n = (double)json_integer_value(json_object_get(rec, "n"));
	double len = (double)json_integer_value(json_object_get(rec, "len"));
	q->avgdl = q->n > 0 && len > 0 ? len / q->n : 1;
	pthread_mutex_lock(&tables_lock);
	q->locked = 1;
	lexical_bm25(&q->k1, &q->b);
	cache_bm25(q->k1, q->b);   /* from here on the cache's bounds are at these */
	json_int_t next = json_integer_value(json_object_get(rec, "next"));
	st = ctable_sync(t, q->tag, json_integer_value(json_object_get(rec, "epoch")),
			 (uint32_t)(next > 0 ? next : 0), &q->ct, err);
	if (st == Q_OK && cache_limit) {
		struct pstate ps = {json_integer_value(json_object_get(rec, "epoch")), next,
				    json_integer_value(json_object_get(rec, "n")),
				    json_integer_value(json_object_get(rec, "len")),
				    json_integer_value(json_object_get(rec, "gen"))};
		cache_trim();
		cache_check(q->tag, &ps);
		q->cacheable = 1;
	}
	for (size_t i = 0; st == Q_OK && i < n; i++)
		st = word_load(q, (int)i, &w[i], err);
	for (size_t i = 0; st == Q_OK && i < q->ncur; i++)
		if (!q->cur[i].base)   /* read now: the arena has stopped moving */
			q->cur[i].base = q->arena;
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
