/* test_lexical.c: the keyword index: the postings block codec (random
 * blocks round-trip, damaged bytes refused), and on a random collection
 * with removals and re-indexing, block-max WAND top-k equal to the
 * exhaustive evaluation (the same chunks, the same scores, under weights
 * and a filter) on random queries, the exhaustive scores equal to BM25
 * computed here from the texts, and document frequencies kept right. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "store/lexical.h"
#include "store/postings.h"
#include "store/store.h"
#include "unit.h"

#include <math.h>
#include <string.h>

static unsigned rng = 88172645u;

static unsigned next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* ---- the codec ------------------------------------------------------------ */

static void random_block(struct pblock *b)
{
	uint32_t n = 1 + next() % POSTINGS_BLOCK, doc = next() % 1000;
	memset(b, 0, sizeof *b);
	for (uint32_t i = 0; i < n; i++) {
		/* gaps of every varint length, tf up to the cap */
		uint32_t gap = 1 + (next() % 4 == 0 ? next() % 3000000 : next() % 100);
		doc += gap;
		uint32_t tf = next() % 8 == 0 ? next() % 70000 : 1 + next() % 5;
		pblock_append(b, doc, tf, 1 + next() % 500);
	}
}

static int same_block(const struct pblock *a, const struct pblock *b)
{
	return a->n == b->n && a->maxtf == b->maxtf && a->mindl == b->mindl &&
	       !memcmp(a->doc, b->doc, a->n * sizeof *a->doc) &&
	       !memcmp(a->tf, b->tf, a->n * sizeof *a->tf);
}

static void codec(void)
{
	unsigned char buf[POSTINGS_BLOCK_BYTES];
	struct pblock a, b;
	int bad = 0, bounds = 1;
	for (int i = 0; i < 500; i++) {
		random_block(&a);
		size_t len = pblock_encode(&a, buf);
		if (len > sizeof buf || pblock_decode(buf, len, &b) || !same_block(&a, &b))
			bad++;
		for (uint32_t j = 0; j < a.n; j++)
			bounds &= a.tf[j] <= a.maxtf;
	}
	is_int(bad, 0, "500 random blocks decode to what was encoded");
	ok(bounds, "the header's largest tf bounds every entry");

	random_block(&a);
	size_t len = pblock_encode(&a, buf);
	ok(pblock_decode(buf, len - 1, &b) < 0, "a truncated block is refused");
	unsigned char more[POSTINGS_BLOCK_BYTES + 1];
	memcpy(more, buf, len);
	more[len] = 1;
	ok(pblock_decode(more, len + 1, &b) < 0, "trailing bytes are refused");
	uint32_t n, maxtf, mindl;
	ok(pblock_header(buf, len, &n, &maxtf, &mindl) > 0 && n == a.n && maxtf == a.maxtf &&
	       mindl == a.mindl, "the header alone gives count and bounds");

	/* a count above the block size, and a zero gap (not ascending) */
	unsigned char h[16];
	size_t o = varint_put(h, POSTINGS_BLOCK + 1);
	o += varint_put(h + o, 1);
	o += varint_put(h + o, 1);
	ok(pblock_header(h, o, &n, &maxtf, &mindl) < 0, "more entries than a block holds: refused");
	o = varint_put(h, 2);
	o += varint_put(h + o, 1);
	o += varint_put(h + o, 1);
	o += varint_put(h + o, 7);
	o += varint_put(h + o, 0);
	o += varint_put(h + o, 1);
	o += varint_put(h + o, 1);
	ok(pblock_decode(h, o, &b) < 0, "a repeated chunk number is refused");

	uint32_t v;
	o = varint_put(h, UINT32_MAX);
	ok(o == 5 && varint_get(h, o, &v) == 5 && v == UINT32_MAX, "varint: 2^32-1 in 5 bytes");
	memcpy(h, "\xff\xff\xff\xff\x7f", 5);
	ok(varint_get(h, 5, &v) == 0, "varint: a value over 32 bits is refused");

	memset(&a, 0, sizeof a);
	pblock_append(&a, 5, 2, 10);
	pblock_append(&a, 9, 1, 20);
	ok(pblock_append(&a, 9, 1, 20) < 0 && pblock_append(&a, 3, 1, 20) < 0,
	   "appending a number not above the last is refused");
	ok(pblock_remove(&a, 5) && a.n == 1 && a.doc[0] == 9 && !pblock_remove(&a, 5),
	   "removal takes the entry out once");
}

/* ---- a random collection ------------------------------------------------ */

#define VOCAB 400
#define CHUNKS 2500
#define WORDS_MAX 60

static struct store *s;
static char vocab[VOCAB][16];
struct chunk {
	short w[WORDS_MAX];
	int n, alive;
	char text[WORDS_MAX * 8];
};
static struct chunk *chunks;

static int zipf(void)
{
	/* rank ~ VOCAB^u: a heavy head (long lists) and a long tail */
	double u = (double)(next() % 100000) / 100000;
	int w = (int)pow(VOCAB, u) - 1;
	return w < 0 ? 0 : w % VOCAB;
}

static void make_text(struct chunk *c)
{
	size_t o = 0;
	c->n = 3 + (int)(next() % (WORDS_MAX - 3));
	for (int i = 0; i < c->n; i++) {
		c->w[i] = (short)zipf();
		o += (size_t)snprintf(c->text + o, sizeof c->text - o, "%s%s", i ? " " : "",
				      vocab[c->w[i]]);
	}
}

static const char *account_of(int i)
{
	return i % 10 == 9 ? "acct-b" : "acct-a";
}

struct batch {
	int from, to, add;
};

static enum qstatus batch_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct batch *b = arg;
	enum qstatus st = Q_OK;
	for (int i = b->from; st == Q_OK && i < b->to; i++) {
		char key[32];
		snprintf(key, sizeof key, "%c:%08d", account_of(i)[5], i);
		st = b->add ? lexical_add(t, account_of(i), key, chunks[i].text, LANG_EN, err)
			    : lexical_remove(t, account_of(i), key, chunks[i].text, LANG_EN, err);
	}
	return st;
}

static void run_batch(int from, int to, int add)
{
	struct batch b = {from, to, add};
	struct qerr err;
	if (store_run(s, batch_fn, &b, &err) != Q_OK)
		bail_out("indexing: %s", err.msg);
}

static void build(void)
{
	for (int w = 0; w < VOCAB; w++)
		snprintf(vocab[w], sizeof vocab[w], "zq%03dk", w);
	chunks = calloc(CHUNKS, sizeof *chunks);
	for (int i = 0; i < CHUNKS; i++) {
		make_text(&chunks[i]);
		chunks[i].alive = 1;
	}
	for (int i = 0; i < CHUNKS; i += 100)
		run_batch(i, i + 100, 1);
	/* removals here and there, and chunks indexed again with new text
	 * (a removal, then an add: a new number, appended) */
	for (int i = 0; i < CHUNKS; i++) {
		unsigned r = next() % 10;
		if (r == 0) {
			run_batch(i, i + 1, 0);
			chunks[i].alive = 0;
		} else if (r == 1) {
			run_batch(i, i + 1, 0);
			make_text(&chunks[i]);
			run_batch(i, i + 1, 1);
		}
	}
}

/* ---- queries -------------------------------------------------------------- */

struct all {
	struct lexical_hit *v;
	size_t n;
};

static void collect(const char *key, double score, void *arg)
{
	struct all *a = arg;
	snprintf(a->v[a->n].chunk, sizeof a->v[a->n].chunk, "%s", key);
	a->v[a->n++].score = score;
}

/* Best first; equal scores in chunk-number order, as collected (stable). */
static void rank(struct lexical_hit *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct lexical_hit x = v[i];
		size_t j = i;
		for (; j && v[j - 1].score < x.score; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

/* A filter: about two chunks in three. */
static int some(const char *key, size_t len, void *arg)
{
	(void)arg;
	return (key[len - 1] + key[len - 2]) % 3 != 0;
}

struct qrun {
	struct lexical_word w[8];
	size_t nw, k;
	int filtered;
	struct lexical_hit top[64];
	size_t ntop;
	struct all all;
	struct lexical_qstats wand, full;
	double max;
};

static enum qstatus query_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct qrun *r = arg;
	struct lexq *q = NULL;
	enum qstatus st = lexical_query_new(t, "acct-a", r->w, r->nw, &q, err);
	if (st == Q_OK)
		st = lexical_query_top(q, r->k, r->filtered ? some : NULL, NULL, r->top, &r->ntop, err);
	if (st == Q_OK) {
		lexical_query_stats(q, &r->wand);
		r->max = lexical_query_max(q);
	}
	lexical_query_free(q);
	q = NULL;
	r->all.n = 0;
	if (st == Q_OK)
		st = lexical_query_new(t, "acct-a", r->w, r->nw, &q, err);
	if (st == Q_OK)
		st = lexical_query_all(q, collect, &r->all, err);
	if (st == Q_OK)
		lexical_query_stats(q, &r->full);
	lexical_query_free(q);
	return st;
}

static void word(struct lexical_word *w, int v, double weight)
{
	memset(w, 0, sizeof *w);
	w->nalt = 1;
	w->len[0] = (unsigned char)strlen(vocab[v]);
	memcpy(w->term[0], vocab[v], w->len[0]);
	w->weight = weight;
}

/* The filtered exhaustive top k equals WAND's. */
static int agrees(struct qrun *r)
{
	size_t m = 0;
	rank(r->all.v, r->all.n);
	for (size_t i = 0; i < r->all.n && m < r->k; i++) {
		const char *key = r->all.v[i].chunk;
		if (r->filtered && !some(key, strlen(key), NULL))
			continue;
		if (m >= r->ntop || strcmp(key, r->top[m].chunk) || r->all.v[i].score != r->top[m].score)
			return 0;
		m++;
	}
	return m == r->ntop;
}

static void wand_equals_exhaustive(void)
{
	struct qrun *r = calloc(1, sizeof *r);
	struct qerr err;
	int bad = 0, tested = 0;
	size_t decoded = 0, full = 0;
	static const size_t ks[] = {1, 3, 10, 10, 40};
	r->all.v = malloc(CHUNKS * sizeof *r->all.v);
	for (int qi = 0; qi < 300; qi++) {
		r->nw = 1 + next() % 6;
		for (size_t i = 0; i < r->nw; i++)
			word(&r->w[i], zipf(), next() % 4 ? 1 : 0.25 + (next() % 300) / 100.0);
		r->k = ks[next() % 5];
		r->filtered = next() % 2;
		if (store_run(s, query_fn, r, &err) != Q_OK)
			bail_out("query: %s", err.msg);
		if (!agrees(r)) {
			bad++;
			diag("query %d (k %zu, %zu words) differs", qi, r->k, r->nw);
		}
		tested += r->all.n > 0;
		if (r->k == 10 && !r->filtered) {
			decoded += r->wand.decoded;
			full += r->full.decoded;
		}
	}
	is_int(bad, 0, "block-max WAND top-k equals the exhaustive top-k on 300 random queries");
	ok(tested > 250, "the queries matched chunks (%d of 300)", tested);
	diag("top-10 unfiltered: WAND decoded %zu postings, exhaustive %zu", decoded, full);
	ok(decoded < full, "WAND decodes fewer postings than the exhaustive evaluation");
	free(r->all.v);
	free(r);
}

/* Exhaustive scores against BM25 computed from the texts kept here. */
static void bm25_reference(void)
{
	struct qrun *r = calloc(1, sizeof *r);
	struct qerr err;
	double n = 0, len = 0;
	int bad = 0;
	for (int i = 0; i < CHUNKS; i++)
		if (chunks[i].alive && account_of(i)[5] == 'a') {
			n++;
			len += chunks[i].n;
		}
	double avgdl = len / n;
	r->all.v = malloc(CHUNKS * sizeof *r->all.v);
	for (int qi = 0; qi < 40; qi++) {
		r->nw = 1 + next() % 4;
		int v[8];
		for (size_t i = 0; i < r->nw; i++) {
			v[i] = zipf();
			for (size_t j = 0; j < i; j++)
				if (v[j] == v[i])
					v[i] = (v[i] + 1) % VOCAB;
			word(&r->w[i], v[i], 1);
		}
		r->k = 1;
		if (store_run(s, query_fn, r, &err) != Q_OK)
			bail_out("query: %s", err.msg);
		size_t matched = 0;
		double df[8] = {0};
		for (size_t qw = 0; qw < r->nw; qw++)
			for (int c = 0; c < CHUNKS; c++) {
				int has = 0;
				for (int j = 0; j < chunks[c].n && !has; j++)
					has = chunks[c].w[j] == v[qw];
				df[qw] += has && chunks[c].alive && account_of(c)[5] == 'a';
			}
		for (int i = 0; i < CHUNKS; i++) {
			if (!chunks[i].alive || account_of(i)[5] != 'a')
				continue;
			double score = 0;
			for (size_t qw = 0; qw < r->nw; qw++) {
				double tf = 0;
				for (int j = 0; j < chunks[i].n; j++)
					tf += chunks[i].w[j] == v[qw];
				double idf = log(1 + (n - df[qw] + 0.5) / (df[qw] + 0.5));
				if (tf)
					score += idf * tf * (BM25_K1 + 1) /
						 (tf + BM25_K1 * (1 - BM25_B + BM25_B * chunks[i].n / avgdl));
			}
			if (score <= 0)
				continue;
			char key[32];
			snprintf(key, sizeof key, "a:%08d", i);
			size_t f = 0;
			while (f < r->all.n && strcmp(r->all.v[f].chunk, key))
				f++;
			if (f == r->all.n || fabs(r->all.v[f].score - score) > 1e-9 * score)
				bad++;
			matched++;
		}
		if (matched != r->all.n)
			bad++;
	}
	is_int(bad, 0, "exhaustive scores are BM25 of the texts (40 queries, removals left out)");
	free(r->all.v);
	free(r);
}

struct dfq {
	int v;
	size_t df;
};

static enum qstatus df_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct dfq *d = arg;
	return lexical_df(t, "acct-a", vocab[d->v], strlen(vocab[d->v]), &d->df, err);
}

static void document_frequencies(void)
{
	int bad = 0;
	struct qerr err;
	for (int v = 0; v < VOCAB; v += 7) {
		struct dfq d = {v, 0};
		size_t want = 0;
		for (int c = 0; c < CHUNKS; c++) {
			int has = 0;
			for (int j = 0; j < chunks[c].n && !has; j++)
				has = chunks[c].w[j] == v;
			want += has && chunks[c].alive && account_of(c)[5] == 'a';
		}
		if (store_run(s, df_fn, &d, &err) != Q_OK)
			bail_out("df: %s", err.msg);
		bad += d.df != want;
	}
	is_int(bad, 0, "document frequencies count the chunks holding a term, after removals");
}

/* Every chunk of account B out: nothing of it left to find, A untouched. */
static void other_account(void)
{
	struct qrun *r = calloc(1, sizeof *r);
	struct qerr err;
	int leaks = 0;
	r->all.v = malloc(CHUNKS * sizeof *r->all.v);
	word(&r->w[0], 0, 1);
	r->nw = 1;
	r->k = 10;
	if (store_run(s, query_fn, r, &err) != Q_OK)
		bail_out("query: %s", err.msg);
	for (size_t i = 0; i < r->all.n; i++)
		leaks += r->all.v[i].chunk[0] != 'a';
	ok(r->all.n > 100 && !leaks, "an account's query finds only its chunks (%zu)", r->all.n);
	free(r->all.v);
	free(r);
}

int main(void)
{
	char dir[PATH_MAX];
	plan(17);
	codec();
	unit_tmpdir(dir, "lexical");
	s = unit_store(dir);
	build();
	wand_equals_exhaustive();
	bm25_reference();
	document_frequencies();
	other_account();
	store_close(s);
	unit_rmtree(dir);
	free(chunks);
	return done_testing();
}
