/* test_lexical.c: the keyword index: the postings block codec (random
 * blocks round-trip, damaged bytes refused), and on a random collection
 * with removals and re-indexing, block-max WAND top-k equal to the
 * exhaustive evaluation (the same chunks, the same scores, under weights
 * and a filter) on random queries, the exhaustive scores equal to BM25
 * computed here from the texts, and document frequencies kept right; an
 * index of the previous layout (version 3, a record per posting) is
 * reported by its version, ignored by queries, and quire-admin reindex
 * rebuilds it with the same BM25 for every chunk; BM25's k1 and b
 * (lexical_set_bm25): b 0 scores a long and a short chunk alike, a larger
 * k1 rewards a word's frequency more, and WAND's block bounds still hold
 * at k1 and b other than the ones the blocks were made with; MaxScore
 * (in windows of chunk numbers) gives the exhaustive top k at depths 1
 * to 100. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "admin/admin.h"
#include "admin/reindex.h"
#include "store/docs.h"
#include "store/chunks.h"
#include "store/lexical.h"
#include "store/lexical_query.h"
#include "store/lexical_impl.h"
#include "store/postings.h"
#include "store/store.h"
#include "unit.h"
#include "text/text_stem.h"
#include "../xorshift.h"

#include <math.h>
#include <string.h>

static unsigned rng = 88172645u;

static unsigned next(void)
{
	return xorshift32(&rng);
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
		pblock_append(b, doc, tf, 1 + next() % 500, 50 + next() % 100);
	}
}

static int same_block(const struct pblock *a, const struct pblock *b)
{
	return a->n == b->n && a->maxtf == b->maxtf && a->mindl == b->mindl && a->a0 == b->a0 &&
	       a->fmax == b->fmax &&
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
		/* the dl of each entry is not kept: the bound is checked
		 * against every dl the block could hold, at several means */
		for (uint32_t j = 0; j < a.n; j++)
			bounds &= a.tf[j] <= a.maxtf;
		for (double avg = 20; avg < 400; avg *= 1.7) {
			double f = (double)a.maxtf /
				   (a.maxtf + 1.2 * (1 - 0.75 + 0.75 * a.mindl / avg));
			bounds &= pblock_bound(&a, avg, 1.2, 0.75) <= f * (1 + 1e-6) + 1e-12;
		}
	}
	is_int(bad, 0, "500 random blocks decode to what was encoded");
	ok(bounds, "the header's largest tf bounds every entry, the block bound never exceeds it");

	random_block(&a);
	size_t len = pblock_encode(&a, buf);
	ok(pblock_decode(buf, len - 1, &b) < 0, "a truncated block is refused");
	unsigned char more[POSTINGS_BLOCK_BYTES + 1];
	memcpy(more, buf, len);
	more[len] = 1;
	ok(pblock_decode(more, len + 1, &b) < 0, "trailing bytes are refused");
	struct pblock hd;
	ok(pblock_header(buf, len, &hd) > 0 && hd.n == a.n && hd.maxtf == a.maxtf &&
	       hd.mindl == a.mindl && hd.fmax == a.fmax, "the header alone gives count and bounds");

	/* a count above the block size, and a zero gap (not ascending) */
	unsigned char h[32];
	size_t o = varint_put(h, POSTINGS_BLOCK + 1);
	o += varint_put(h + o, 1);
	o += varint_put(h + o, 1);
	ok(pblock_header(h, o, &hd) < 0, "more entries than a block holds: refused");
	o = varint_put(h, 2);
	o += varint_put(h + o, 1);
	o += varint_put(h + o, 1);
	memcpy(h + o, "\0\0\x80\x3f\0\0\0\x3f", 8);   /* a0 1.0, fmax 0.5 */
	o += 8;
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

	/* the bound at other k1, b than the header's fmax was made with
	 * still bounds every entry's part (dl kept here) */
	static const double k1s[] = {0, 0.6, 1.2, 2, 5}, bs[] = {0, 0.3, 0.75, 0.9, 1};
	int under = 0;
	for (int i = 0; i < 200; i++) {
		uint32_t dl[POSTINGS_BLOCK], n = 1 + next() % POSTINGS_BLOCK;
		double a0 = 20 + next() % 200;
		memset(&b, 0, sizeof b);
		for (uint32_t j = 0; j < n; j++) {
			dl[j] = 1 + next() % 400;
			pblock_append(&b, j + 1, 1 + next() % 9, dl[j], a0);
		}
		for (int x = 0; x < 25; x++)
			for (double avg = a0 / 2; avg < a0 * 3; avg *= 1.5) {
				double k1 = k1s[x % 5], bb = bs[x / 5], bound = pblock_bound(&b, avg, k1, bb);
				for (uint32_t j = 0; j < b.n; j++)
					under += b.tf[j] / (b.tf[j] + k1 * (1 - bb + bb * dl[j] / avg)) >
						 bound;
			}
	}
	is_int(under, 0, "the block bound holds at every k1 and b (200 blocks, 25 pairs)");

	memset(&a, 0, sizeof a);
	pblock_append(&a, 5, 2, 10, 50);
	pblock_append(&a, 9, 1, 20, 50);
	ok(pblock_append(&a, 9, 1, 20, 50) < 0 && pblock_append(&a, 3, 1, 20, 50) < 0,
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
	char title[40];   /* a title field for a third of the chunks ("": none) */
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
	c->title[0] = '\0';
	if (next() % 3 == 0)
		snprintf(c->title, sizeof c->title, "%s %s", vocab[zipf()], vocab[zipf()]);
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
		struct lexical_chunk c = {chunks[i].text, chunks[i].title, NULL, LANG_EN};
		st = b->add ? lexical_add(t, account_of(i), key, &c, err)
			    : lexical_remove(t, account_of(i), key, &c, err);
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
	struct lexical_hit top[128];
	size_t ntop;
	struct all all;
	struct lexical_qstats wand, full;
	double max;
	int chunk_bad, chunk_tested;   /* lexical_query_chunk against the exhaustive scores */
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
	/* single chunks scored after the evaluation, in a scattered order */
	for (size_t i = 0; st == Q_OK && r->all.n && i < 6; i++) {
		size_t j = (i * 7919 + r->all.n / 2) % r->all.n;
		double sc;
		st = lexical_query_chunk(q, r->all.v[j].chunk, &sc, err);
		r->chunk_bad += st == Q_OK && sc != r->all.v[j].score;
		r->chunk_tested++;
	}
	double none = -1;
	if (st == Q_OK && (st = lexical_query_chunk(q, "a:99999999", &none, err)) == Q_OK)
		r->chunk_bad += none != 0;
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

/* The word v in the title field (lexical.h: its byte before the stem). */
static void title_word(struct lexical_word *w, int v, double weight)
{
	word(w, v, weight);
	memmove(w->term[0] + 1, w->term[0], w->len[0]);
	w->term[0][0] = LEXICAL_FIELD_TITLE;
	w->len[0]++;
	w->field = LEX_TITLE;
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
			(next() % 3 ? word : title_word)(&r->w[i], zipf(),
							  next() % 4 ? 1 : 0.25 + (next() % 300) / 100.0);
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
	is_int(bad, 0, "block-max WAND top-k equals the exhaustive top-k on 300 random queries (title field words among them)");
	ok(!r->chunk_bad && r->chunk_tested > 1000,
	   "one chunk's score read alone equals its exhaustive score (%d chunks)", r->chunk_tested);
	ok(tested > 250, "the queries matched chunks (%d of 300)", tested);
	diag("top-10 unfiltered: WAND decoded %zu postings, exhaustive %zu", decoded, full);
	ok(decoded < full, "WAND decodes fewer postings than the exhaustive evaluation");
	free(r->all.v);
	free(r);
}

/* MaxScore in windows of chunk numbers (LEXICAL_EVAL_MAXSCORE) returns the
 * exhaustive top k, chunks and scores bit for bit, at depths 10 and 100
 * as well, filtered or not, over removed and re-indexed chunks, with
 * words of two terms and field words; and it prunes: fewer postings
 * decoded than term at a time over every posting. */
static void pruned_equals_exhaustive(void)
{
	struct qrun *r = calloc(1, sizeof *r);
	struct qerr err;
	int bad = 0, tested = 0, seeds[2] = {0, 0};
	size_t pruned = 0, every = 0, summed = 0, probed = 0;
	static const size_t ks[] = {1, 10, 10, 40, 100, 100};
	r->all.v = malloc(CHUNKS * sizeof *r->all.v);
	for (int qi = 0; qi < 400; qi++) {
		r->nw = 1 + next() % 8;
		for (size_t i = 0; i < r->nw; i++) {
			(next() % 3 ? word : title_word)(&r->w[i], zipf(),
							  next() % 4 ? 1 : 0.25 + (next() % 300) / 100.0);
			if (next() % 4 == 0) {
				int v = zipf();
				r->w[i].nalt = 2;
				r->w[i].len[1] = (unsigned char)strlen(vocab[v]);
				memcpy(r->w[i].term[1], vocab[v], r->w[i].len[1]);
			}
		}
		r->k = ks[next() % 6];
		r->filtered = next() % 2;
		seeds[qi % 2]++;
		lexical_set_seed_postings(qi % 2 ? 4096 : 0);   /* 0: the rarest term's best blocks */
		lexical_set_eval(LEXICAL_EVAL_TAAT);
		if (store_run(s, query_fn, r, &err) != Q_OK)
			bail_out("query: %s", err.msg);
		every += r->wand.decoded;
		lexical_set_eval(LEXICAL_EVAL_MAXSCORE);
		if (store_run(s, query_fn, r, &err) != Q_OK)
			bail_out("query: %s", err.msg);
		pruned += r->wand.decoded;
		summed += r->wand.summed;
		probed += r->wand.probed;
		if (!agrees(r)) {
			bad++;
			if (bad < 4)
				diag("query %d (k %zu, %zu words, filtered %d) differs: %zu hits", qi,
				     r->k, r->nw, r->filtered, r->ntop);
		}
		tested += r->ntop > 0;
	}
	lexical_set_eval(LEXICAL_EVAL_RULE);
	lexical_set_seed_postings(4096);
	is_int(bad, 0, "MaxScore equals the exhaustive top k (400 random queries, k 1 to 100, %d with hits; "
	       "seeded by the rarest terms' sums %d times, by the rarest term's blocks %d)", tested,
	       seeds[1], seeds[0]);
	diag("MaxScore: %zu postings summed in its windows, %zu chunks probed", summed, probed);
	ok(probed > 0 && summed > 0 && summed < every, "MaxScore sums only the essential terms' postings (%zu of %zu) "
	   "and probes the others' lists (%zu chunks)", summed, every, probed);
	diag("decoded postings: MaxScore %zu, every posting %zu", pruned, every);
	ok(tested > 300 && pruned < every, "pruning decodes fewer postings than term at a time (%zu of %zu)",
	   pruned, every);
	free(r->all.v);
	free(r);
}

/* ---- the postings cache ---------------------------------------------------- */

static void top_of(struct qrun *r, struct lexical_hit *out, size_t *n)
{
	struct qerr err;
	if (store_run(s, query_fn, r, &err) != Q_OK)
		bail_out("query: %s", err.msg);
	memcpy(out, r->top, r->ntop * sizeof *out);
	*n = r->ntop;
}

static int same_top(const struct lexical_hit *a, size_t na, const struct lexical_hit *b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i].chunk, b[i].chunk) || a[i].score != b[i].score)
			return 0;
	return 1;
}

/* A query read from the cache ranks as one read from the database, and
 * after the index changes (chunks removed, a chunk added) the cache
 * gives what the database holds then, not what it held. */
static void postings_cache(void)
{
	struct qrun *r = calloc(1, sizeof *r);
	struct lexical_hit a[10], b[10], c[10];
	size_t na, nb, nc;
	unsigned long h0, h1, miss;
	size_t bytes;
	r->all.v = malloc(CHUNKS * sizeof *r->all.v);
	r->nw = 2;
	word(&r->w[0], 3, 1);
	word(&r->w[1], 40, 1);
	r->k = 10;
	lexical_set_cache_mb(16);
	top_of(r, a, &na);
	lexical_cache_counts(&h0, &miss, &bytes);
	top_of(r, b, &nb);
	lexical_cache_counts(&h1, &miss, &bytes);
	ok(h1 > h0 && bytes > 0 && na == 10 && same_top(a, na, b, nb) && agrees(r),
	   "a query served from the cache ranks as read from the database (%lu hits, %zu bytes)",
	   h1 - h0, bytes);
	/* the best three go, and a chunk full of both words comes */
	int gone[3], fresh = -1;
	for (int i = 0; i < 3; i++) {
		gone[i] = atoi(a[i].chunk + 2);
		run_batch(gone[i], gone[i] + 1, 0);
		chunks[gone[i]].alive = 0;
	}
	for (int i = 0; i < CHUNKS && fresh < 0; i++)
		if (!chunks[i].alive && i != gone[0] && i != gone[1] && i != gone[2] &&
		    !strcmp(account_of(i), "acct-a"))
			fresh = i;
	struct chunk *f = &chunks[fresh];
	f->n = 6;
	for (int i = 0; i < f->n; i++)
		f->w[i] = (short)(i % 2 ? 40 : 3);
	snprintf(f->text, sizeof f->text, "%s %s %s %s %s %s", vocab[3], vocab[40], vocab[3],
		 vocab[40], vocab[3], vocab[40]);
	f->title[0] = '\0';
	f->alive = 1;
	run_batch(fresh, fresh + 1, 1);
	top_of(r, b, &nb);
	int stale = 0;
	for (size_t i = 0; i < nb; i++)
		for (int j = 0; j < 3; j++)
			stale += atoi(b[i].chunk + 2) == gone[j];
	ok(!stale && nb == 10 && atoi(b[0].chunk + 2) == fresh && agrees(r),
	   "after removals and an add the cached query finds the new chunk first and none removed");
	lexical_set_cache_mb(0);
	top_of(r, c, &nc);
	ok(same_top(b, nb, c, nc), "the same ranking with the cache off");
	lexical_set_cache_mb(16);
	free(r->all.v);
	free(r);
}

/* A query of one term read by its blocks in the order of their bounds
 * (LEXICAL_EVAL_IMPACT, the rule's choice for one cursor: a word's
 * context) gives the exhaustive top k, ties to the older chunk as WAND,
 * filtered or not (the filter asked of the unfiltered k best first,
 * the walk again with it when it refuses one), decoding no more blocks
 * than WAND in all unfiltered. */
static void impact_equals_exhaustive(void)
{
	struct qrun *r = calloc(1, sizeof *r);
	struct qerr err;
	int bad = 0, nonempty = 0;
	size_t dec_impact = 0, dec_wand = 0, multi = 0;
	static const size_t ks[] = {1, 3, 10, 30, 64};
	r->all.v = malloc(CHUNKS * sizeof *r->all.v);
	for (int qi = 0; qi < 300; qi++) {
		r->nw = 1;
		(next() % 3 ? word : title_word)(&r->w[0], zipf(), next() % 4 ? 1 : 0.25 + (next() % 300) / 100.0);
		r->k = ks[next() % 5];
		r->filtered = next() % 2;
		lexical_set_eval(LEXICAL_EVAL_WAND);
		if (store_run(s, query_fn, r, &err) != Q_OK)
			bail_out("query: %s", err.msg);
		dec_wand += r->filtered ? 0 : r->wand.blocks_decoded;
		lexical_set_eval(LEXICAL_EVAL_IMPACT);
		if (store_run(s, query_fn, r, &err) != Q_OK)
			bail_out("query: %s", err.msg);
		dec_impact += r->filtered ? 0 : r->wand.blocks_decoded;
		multi += r->wand.blocks > 4;
		nonempty += r->ntop > 0;
		if (!agrees(r)) {
			bad++;
			if (bad < 4)
				diag("query %d (k %zu, filtered %d) differs: %zu hits", qi, r->k, r->filtered, r->ntop);
		}
	}
	lexical_set_eval(LEXICAL_EVAL_RULE);
	is_int(bad, 0, "one term by its blocks' bounds: the exhaustive top k (300 queries, %d with hits, %zu of more than 4 blocks)",
	       nonempty, multi);
	ok(multi > 50 && dec_impact <= dec_wand, "... decoding %zu blocks against WAND's %zu (unfiltered)", dec_impact, dec_wand);
	free(r->all.v);
	free(r);
}

/* The term-at-a-time evaluation ranks as block-max WAND: the same chunks,
 * the same scores (bit for bit), filtered or not. */
static void taat_equals_wand(void)
{
	struct qrun *r = calloc(1, sizeof *r);
	struct lexical_hit wand[64];
	size_t nwand;
	struct qerr err;
	int bad = 0, nonempty = 0;
	static const size_t ks[] = {1, 3, 10, 40, 64};
	r->all.v = malloc(CHUNKS * sizeof *r->all.v);
	for (int qi = 0; qi < 300; qi++) {
		r->nw = 1 + next() % 8;
		for (size_t i = 0; i < r->nw; i++) {
			(next() % 3 ? word : title_word)(&r->w[i], zipf(),
							  next() % 4 ? 1 : 0.25 + (next() % 300) / 100.0);
			if (next() % 4 == 0) {   /* a word of two terms: its best counts */
				int v = zipf();
				r->w[i].nalt = 2;
				r->w[i].len[1] = (unsigned char)strlen(vocab[v]);
				memcpy(r->w[i].term[1], vocab[v], r->w[i].len[1]);
			}
		}
		r->k = ks[next() % 5];
		r->filtered = next() % 2;
		lexical_set_eval(LEXICAL_EVAL_WAND);
		if (store_run(s, query_fn, r, &err) != Q_OK)
			bail_out("query: %s", err.msg);
		memcpy(wand, r->top, r->ntop * sizeof *wand);
		nwand = r->ntop;
		lexical_set_eval(LEXICAL_EVAL_TAAT);
		if (store_run(s, query_fn, r, &err) != Q_OK)
			bail_out("query: %s", err.msg);
		int same = nwand == r->ntop;
		for (size_t i = 0; same && i < nwand; i++)
			same = !strcmp(wand[i].chunk, r->top[i].chunk) && wand[i].score == r->top[i].score;
		if (!same || !agrees(r)) {
			bad++;
			for (size_t i = 0; bad < 4 && i < nwand && i < r->ntop; i++)
				diag("  %zu: %s %.17g / %s %.17g", i, wand[i].chunk, wand[i].score, r->top[i].chunk, r->top[i].score);
			if (bad < 4)
				diag("query %d: k %zu, %zu words, filtered %d: wand %zu hits, taat %zu; same %d; first %s %.17g / %s %.17g",
				     qi, r->k, r->nw, r->filtered, nwand, r->ntop, same,
				     nwand ? wand[0].chunk : "-", nwand ? wand[0].score : 0,
				     r->ntop ? r->top[0].chunk : "-", r->ntop ? r->top[0].score : 0);
		}
		nonempty += nwand > 0;
	}
	lexical_set_eval(LEXICAL_EVAL_RULE);
	is_int(bad, 0, "term at a time ranks as WAND and the exhaustive evaluation (300 random queries, %d with hits, words of two terms among them)", nonempty);
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

/* ---- BM25's k1 and b ------------------------------------------------------ */

/* Account acct-k: "zq900k" once in a short chunk (0) and in a long one
 * (1), three times (2) and once (3) in two chunks of one length. */
static const char *const kchunk[] = {
	"zq900k zq901k zq902k",
	"zq900k zq903k zq904k zq905k zq906k zq907k zq908k zq909k zq910k zq911k zq912k zq913k",
	"zq900k zq900k zq900k zq914k zq915k zq916k",
	"zq900k zq917k zq918k zq919k zq920k zq921k",
};
#define KCHUNKS (sizeof kchunk / sizeof *kchunk)

static enum qstatus kadd_fn(struct stxn *t, void *arg, struct qerr *err)
{
	enum qstatus st = Q_OK;
	(void)arg;
	for (size_t i = 0; st == Q_OK && i < KCHUNKS; i++) {
		char key[32];
		snprintf(key, sizeof key, "k:%08zu", i);
		struct lexical_chunk c = {kchunk[i], NULL, NULL, LANG_EN};
		st = lexical_add(t, "acct-k", key, &c, err);
	}
	return st;
}

static enum qstatus kscore_fn(struct stxn *t, void *arg, struct qerr *err)
{
	double *score = arg;
	struct lexical_word w;
	struct lexq *q = NULL;
	memset(&w, 0, sizeof w);
	w.nalt = 1;
	w.len[0] = 6;
	memcpy(w.term[0], "zq900k", 6);
	w.weight = 1;
	enum qstatus st = lexical_query_new(t, "acct-k", &w, 1, &q, err);
	for (size_t i = 0; st == Q_OK && i < KCHUNKS; i++) {
		char key[32];
		snprintf(key, sizeof key, "k:%08zu", i);
		st = lexical_query_chunk(q, key, &score[i], err);
	}
	lexical_query_free(q);
	return st;
}

/* The scores of acct-k's chunks for "zq900k" at k1, b. */
static void kscores(double k1, double b, double score[KCHUNKS])
{
	struct qerr err;
	lexical_set_bm25(k1, b);
	if (store_run(s, kscore_fn, score, &err) != Q_OK)
		bail_out("query: %s", err.msg);
}

static void bm25_params(void)
{
	struct qerr err;
	double d[KCHUNKS], flat[KCHUNKS], lo[KCHUNKS], hi[KCHUNKS], bin[KCHUNKS];
	if (store_run(s, kadd_fn, NULL, &err) != Q_OK)
		bail_out("indexing: %s", err.msg);
	kscores(1.2, 0.75, d);
	kscores(1.2, 0, flat);
	ok(d[0] > d[1] && d[1] > 0, "b 0.75: one match in a short chunk outscores one in a long chunk");
	ok(flat[0] == flat[1] && flat[0] > 0, "b 0: a short and a long chunk with one match each score equal (%g)",
	   flat[0]);
	kscores(0.6, 0.75, lo);
	kscores(1.6, 0.75, hi);
	kscores(0, 0.75, bin);
	diag("three matches over one: %.4f at k1 0.6, %.4f at k1 1.6", lo[2] / lo[3], hi[2] / hi[3]);
	ok(lo[2] > lo[3] && hi[2] / hi[3] > lo[2] / lo[3],
	   "a higher k1 rewards a word's frequency in a chunk more");
	ok(fabs(bin[2] - bin[3]) < 1e-12 * bin[3],
	   "k1 0: a word counts once whatever its frequency");

	/* WAND at k1, b the blocks' bounds were not made with: still the
	 * exhaustive top k (the cache dropped at each change) */
	static const double kb[][2] = {{0.6, 0.4}, {1.6, 0.9}, {0.9, 1}, {2, 0}};
	struct qrun *r = calloc(1, sizeof *r);
	int bad = 0;
	r->all.v = malloc(CHUNKS * sizeof *r->all.v);
	lexical_set_eval(LEXICAL_EVAL_WAND);
	for (int qi = 0; qi < 80; qi++) {
		lexical_set_bm25(kb[qi % 4][0], kb[qi % 4][1]);
		r->nw = 1 + next() % 5;
		for (size_t i = 0; i < r->nw; i++)
			(next() % 3 ? word : title_word)(&r->w[i], zipf(), 1);
		r->k = 1 + next() % 20;
		r->filtered = next() % 2;
		if (store_run(s, query_fn, r, &err) != Q_OK)
			bail_out("query: %s", err.msg);
		bad += !agrees(r);
	}
	lexical_set_eval(LEXICAL_EVAL_RULE);
	is_int(bad, 0, "WAND top-k equals the exhaustive top-k at other k1 and b (80 queries)");
	free(r->all.v);
	free(r);
	lexical_set_bm25(BM25_K1, BM25_B);
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

/* ---- an index of the previous layout and its rebuild ------------------- */

#define OLD_DOCS 20
#define OLD_CHUNKS 8
static char old_doc[OLD_DOCS][37];

static enum qstatus old_docs_fn(struct stxn *t, void *arg, struct qerr *err)
{
	enum qstatus st = Q_OK;
	(void)arg;
	for (int d = 0; st == Q_OK && d < OLD_DOCS; d++) {
		snprintf(old_doc[d], sizeof old_doc[d], "00000000-0000-4000-8000-%012d", d);
		json_t *rec = json_pack("{s:s, s:s, s:s, s:b, s:b}", "id", old_doc[d], "account", "acct-old",
					"kb", "kb", "enabled", 1, "archived", 0);
		st = store_put(t, T_DOCS, old_doc[d], rec, err);
		json_decref(rec);
		for (unsigned c = 0; st == Q_OK && c < OLD_CHUNKS; c++) {
			struct chunk *ch = &chunks[d * OLD_CHUNKS + (int)c];
			json_t *cr = json_pack("{s:s, s:i}", "text", ch->text, "lang", (int)LANG_EN);
			st = chunk_put(t, old_doc[d], c, cr, err);
			json_decref(cr);
		}
	}
	return st;
}

struct old_terms {
	struct stxn *t;
	struct text_stemmer *stem;
	const char *key;
	struct { char term[TEXT_TOKEN_MAX]; size_t len; uint16_t tf; } v[WORDS_MAX];
	int n;
	uint32_t dl;
};

static int old_token(const char *tok, size_t len, void *arg)
{
	struct old_terms *o = arg;
	size_t sl;
	if (text_is_stop(LANG_EN, tok, len))
		return 0;
	const char *st = text_stem(o->stem, tok, len, &sl);
	o->dl++;
	for (int i = 0; i < o->n; i++)
		if (o->v[i].len == sl && !memcmp(o->v[i].term, st, sl)) {
			o->v[i].tf++;
			return 0;
		}
	memcpy(o->v[o->n].term, st, sl);
	o->v[o->n].term[sl] = '\0';
	o->v[o->n].len = sl;
	o->v[o->n++].tf = 1;
	return 0;
}

/* Rewrites the index as version 3 wrote it: a record per (term, chunk)
 * keyed by the chunk key, tf and length as values; statistics without
 * chunk numbers; the version record 3. */
static enum qstatus downgrade_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct text_stemmer *stem = arg;
	json_t *rec;
	enum qstatus st = store_truncate(t, T_POSTINGS, NULL, err);
	for (int d = 0; st == Q_OK && d < OLD_DOCS; d++)
		for (int c = 0; st == Q_OK && c < OLD_CHUNKS; c++) {
			char key[64];
			struct old_terms o = {t, stem, key, {{"", 0, 0}}, 0, 0};
			snprintf(key, sizeof key, "%s:%08d", old_doc[d], c);
			const char *text = chunks[d * OLD_CHUNKS + c].text;
			text_tokens(text, strlen(text), old_token, &o);
			for (int i = 0; st == Q_OK && i < o.n; i++) {
				struct store_key k;
				unsigned char val[6];
				store_key_init(&k);
				store_key_u64(&k, lexical_tag("acct-old"));
				store_key_str(&k, o.v[i].term);
				store_key_str(&k, key);
				memcpy(val, &o.v[i].tf, 2);
				memcpy(val + 2, &o.dl, 4);
				st = store_put_rawkey(t, T_POSTINGS, &k, val, sizeof val, err);
			}
		}
	if (st == Q_OK && (st = store_get(t, T_STATS, "bm25:acct-old", &rec, 0, err)) == Q_OK) {
		json_object_del(rec, "next");
		json_object_del(rec, "epoch");
		st = store_put(t, T_STATS, "bm25:acct-old", rec, err);
		json_decref(rec);
	}
	if (st == Q_OK) {
		rec = json_pack("{s:i}", "v", 3);
		st = store_put(t, T_STATS, "bm25", rec, err);
		json_decref(rec);
	}
	return st;
}

struct snapshot {
	struct lexical_word w[4];
	size_t nw;
	struct all all;
	int version;
};

static enum qstatus snapshot_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct snapshot *sn = arg;
	struct lexq *q = NULL;
	sn->all.n = 0;
	enum qstatus st = lexical_version(t, &sn->version, err);
	if (st == Q_OK)
		st = lexical_query_new(t, "acct-old", sn->w, sn->nw, &q, err);
	if (st == Q_OK)
		st = lexical_query_all(q, collect, &sn->all, err);
	lexical_query_free(q);
	return st;
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct lexical_hit *)a)->chunk, ((const struct lexical_hit *)b)->chunk);
}

/* Every query's chunks and scores, by key, into out (n queries). */
static void snapshot(struct store *st, struct snapshot *sn, size_t n, struct lexical_hit **out,
		     size_t *counts, int *version)
{
	struct qerr err;
	for (size_t i = 0; i < n; i++) {
		sn[i].all.v = out[i];
		if (store_run(st, snapshot_fn, &sn[i], &err) != Q_OK)
			bail_out("query: %s", err.msg);
		qsort(out[i], sn[i].all.n, sizeof *out[i], by_key);
		counts[i] = sn[i].all.n;
		*version = sn[i].version;
	}
}

static void old_layout(void)
{
	char dir2[PATH_MAX];
	struct qerr err;
	enum { NQ = 20 };
	struct snapshot sn[NQ];
	struct lexical_hit *before[NQ], *after[NQ];
	size_t nb[NQ], na[NQ], total = 0;
	int version, same = 1;
	unit_tmpdir(dir2, "lexical-old");
	struct store *o = unit_store(dir2);
	if (store_run(o, old_docs_fn, NULL, &err) != Q_OK)
		bail_out("old docs: %s", err.msg);
	memset(sn, 0, sizeof sn);
	for (int i = 0; i < NQ; i++) {
		sn[i].nw = 1 + next() % 3;
		for (size_t j = 0; j < sn[i].nw; j++)
			word(&sn[i].w[j], zipf(), 1);
		before[i] = malloc(OLD_DOCS * OLD_CHUNKS * sizeof **before);
		after[i] = malloc(OLD_DOCS * OLD_CHUNKS * sizeof **after);
	}
	snapshot(o, sn, NQ, before, nb, &version);
	is_int(version, LEXICAL_VERSION, "a new index is of version %d", LEXICAL_VERSION);

	struct text_stemmer *stem = text_stemmer_new(LANG_EN);
	if (store_run(o, downgrade_fn, stem, &err) != Q_OK)
		bail_out("downgrade: %s", err.msg);
	text_stemmer_free(stem);
	snapshot(o, sn, NQ, after, na, &version);
	for (int i = 0; i < NQ; i++)
		total += na[i];
	is_int(version, 3, "the index of the previous layout is reported as version 3");
	is_int(total, 0, "queries read nothing of the old layout (and do not fail on it)");

	FILE *out = tmpfile();
	is_int(admin_reindex(o, out, out), 0, "quire-admin reindex rebuilds it");
	if (out)
		fclose(out);
	snapshot(o, sn, NQ, after, na, &version);
	is_int(version, LEXICAL_VERSION, "after reindex the index is of version %d", LEXICAL_VERSION);
	total = 0;
	for (int i = 0; i < NQ; i++) {
		same &= na[i] == nb[i];
		for (size_t j = 0; same && j < na[i]; j++)
			same &= !strcmp(before[i][j].chunk, after[i][j].chunk) &&
				fabs(before[i][j].score - after[i][j].score) <= 1e-12 * before[i][j].score;
		total += na[i];
		free(before[i]);
		free(after[i]);
	}
	ok(same && total > 0, "every query scores the same chunks the same after the rebuild (%zu)",
	   total);
	store_close(o);
	unit_rmtree(dir2);
}

int main(void)
{
	char dir[PATH_MAX];
	codec();
	unit_tmpdir(dir, "lexical");
	s = unit_store(dir);
	build();
	lexical_set_eval(LEXICAL_EVAL_WAND);   /* WAND itself, whatever the rule picks */
	wand_equals_exhaustive();
	lexical_set_eval(LEXICAL_EVAL_RULE);
	taat_equals_wand();
	impact_equals_exhaustive();
	pruned_equals_exhaustive();
	bm25_reference();
	bm25_params();
	document_frequencies();
	other_account();
	postings_cache();
	old_layout();
	store_close(s);
	unit_rmtree(dir);
	free(chunks);
	return done_testing();
}
