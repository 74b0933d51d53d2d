/* test_ivf.c: the search cache's inverted file (search/ivf.c) on generated
 * vectors: with every list probed it ranks as the exact scan does; with a
 * few lists its recall@10 against exact stays at 0.98 or more, with every
 * vector of the lists scored or the nearest by their 2-bit codes (after a
 * first pass by their sign bits or not; the lists' copies of the signs
 * follow every change); hints
 * are scored exactly; filters hold inside the lists; a vector added or deleted in another transaction is
 * seen by the next query; stored centroids reach a cold cache and a
 * directory without them keeps the scans it had. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "embed/embedder.h"
#include "embed/embed_builtin.h"
#include "embed/vectors.h"
#include "search/search.h"
#include "store/store.h"
#include "unit.h"
#include "base/util.h"
#include "search/ivf.h"
#include "search/vcache.h"
#include "search/vcache_impl.h"
#include "search/vscan.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define DIMS 64
#define NDOCS 300
#define PER_DOC 10          /* 3,000 vectors */
#define CENTERS 40
#define LISTS 32
#define MODEL "test-ivf-64"

static char dir[PATH_MAX];
/* search_ivf_rescore of the scans (0: every vector of the lists with
 * int8) and the hints they pass (vcache_top_hinted) */
static size_t rescore = 2000;
/* search_ivf_signs of the scans (0: no pass by the sign bits first) */
static size_t signs;
/* search_ivf_probe_share of the scans (0: the probe count alone) */
static double share;
static const struct vscored *hints;
static size_t nhints;
static struct store *s;
static char docid[NDOCS][37];
static float centers[CENTERS][DIMS];
static uint64_t rng = 0x2545f4914f6cdd1dull;

static double uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}

/* A point near center c (c < 0: anywhere). */
static void point(int c, float *v)
{
	for (int k = 0; k < DIMS; k++)
		v[k] = (c >= 0 ? centers[c][k] : 0) + (float)(uniform() - 0.5) * (c >= 0 ? 0.8f : 2.f);
}

/* ---- fixtures ----------------------------------------------------------------- */

static enum qstatus build_fn(struct stxn *t, void *arg, struct qerr *err)
{
	(void)arg;
	enum qstatus st = Q_OK;
	for (int d = 0; st == Q_OK && d < NDOCS; d++) {
		json_t *rec = json_pack("{s:s, s:s, s:s, s:b, s:b}", "id", docid[d], "account",
					d % 3 ? "acct-a" : "acct-b", "kb", "kb", "enabled", 1, "archived", 0);
		st = store_put(t, T_DOCS, docid[d], rec, err);
		json_decref(rec);
		for (int p = 0; st == Q_OK && p < PER_DOC; p++) {
			char key[64];
			float v[DIMS];
			point((int)(uniform() * CENTERS), v);
			snprintf(key, sizeof key, "%s:%08d", docid[d], p);
			st = vector_put(t, key, MODEL, v, DIMS, err);
		}
	}
	return st;
}

struct vput {
	const char *key;
	const float *v;       /* NULL: delete */
};

static enum qstatus vput_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct vput *p = arg;
	return p->v ? vector_put(t, p->key, MODEL, p->v, DIMS, err) : store_del(t, T_VECTORS, p->key, err);
}

static void vput(const char *key, const float *v)
{
	struct vput p = {key, v};
	struct qerr err;
	if (store_run(s, vput_fn, &p, &err) != Q_OK)
		bail_out("vector %s: %s", key, err.msg);
}

/* ---- one scan ------------------------------------------------------------------- */

enum way { EXACT, LISTS_ONLY, TRAIN };

struct scan {
	enum way way;
	const char *account;
	const float *q;
	size_t probe;
	struct vscored out[10];
	size_t n;
	char top[64];         /* the best chunk's key */
	unsigned lists;
	unsigned long scanned;   /* vectors in the lists the scan read */
};

static enum qstatus scan_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct scan *x = arg;
	struct search_filter f = {.account = x->account};
	struct vcache *c = vcache_lock();
	struct vgate *g = NULL;
	struct vquery *q = NULL;
	int8_t q8[DIMS];
	float scale;
	enum qstatus st = vcache_sync(c, t, MODEL, (size_t)64 << 20, err);
	if (st == Q_OK && x->way == TRAIN)
		st = vcache_ivf_train(c, t, LISTS, err);
	if (st != Q_OK || x->way == TRAIN)
		goto out;
	embed_quantize(x->q, DIMS, q8, &scale);
	if (!(g = vgate_new(c, t, &f)) || !(q = vquery_new(q8, DIMS, scale))) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	vcache_set_ivf_probe(x->probe);
	vcache_set_ivf_share(share);
	vcache_set_ivf_rescore(rescore);
	vcache_set_ivf_signs(signs);
	vcache_set_exact_max(x->way == EXACT ? SIZE_MAX : 0);
	unsigned long scanned0 = c->stats.ivf_scanned;
	st = x->way == EXACT ? vcache_top(c, g, q, 10, x->out, &x->n, err)
			     : vcache_top_hinted(c, g, q, 10, hints, nhints, x->out, &x->n, err);
	x->scanned = c->stats.ivf_scanned - scanned0;
	x->top[0] = '\0';
	if (st == Q_OK && x->n)
		vcache_chunk_key(c, x->out[0].ref, x->top, sizeof x->top);
out:
	x->lists = c->ivf ? c->ivf->nlist : 0;
	vcache_set_exact_max(SIZE_MAX);
	vquery_free(q);
	vgate_free(g);
	vcache_unlock(c);
	return st;
}

static struct scan run(enum way way, const char *account, const float *q, size_t probe)
{
	struct scan x = {way, account, q, probe, {{0, 0}}, 0, "", 0, 0};
	struct qerr err;
	if (store_run(s, scan_fn, &x, &err) != Q_OK)
		bail_out("scan: %s", err.msg);
	return x;
}

static size_t shared(const struct scan *a, const struct scan *b)
{
	size_t n = 0;
	for (size_t i = 0; i < a->n; i++)
		for (size_t j = 0; j < b->n; j++)
			n += a->out[i].ref == b->out[j].ref;
	return n;
}

/* ---- tests ------------------------------------------------------------------------ */

/* Every list probed, every vector rescored (rescore 0: int8 over the
 * lists; n: by the codes' order, all of them): the exact scan's ranking. */
static void test_all_lists(size_t n, size_t m)
{
	int same = 1;
	rescore = n;
	signs = m;
	for (int i = 0; i < 20; i++) {
		float q[DIMS];
		point(i % 2 ? -1 : (int)(uniform() * CENTERS), q);
		struct scan e = run(EXACT, "acct-a", q, LISTS), a = run(LISTS_ONLY, "acct-a", q, LISTS);
		same &= e.n == 10 && a.n == e.n;
		for (size_t k = 0; same && k < e.n; k++)
			same &= e.out[k].ref == a.out[k].ref && e.out[k].score == a.out[k].score;
	}
	ok(same, "every list probed, search_ivf_rescore %zu, search_ivf_signs %zu: the same top 10 "
	   "(chunks, scores, order) as the exact scan, 20 queries", n, m);
	rescore = 2000;
	signs = 0;
}

/* 8 of 32 lists (a quarter of the vectors, ~500 of acct-a's), the n
 * nearest by their codes rescored (of the signs' nearest m when m). */
static void test_recall(size_t n, size_t m)
{
	signs = m;
	size_t found = 0, want = 0;
	rescore = n;
	for (int i = 0; i < 100; i++) {
		float q[DIMS];
		point((int)(uniform() * CENTERS), q);
		struct scan e = run(EXACT, "acct-a", q, 8), a = run(LISTS_ONLY, "acct-a", q, 8);
		found += shared(&e, &a);
		want += e.n;
	}
	double r = want ? (double)found / (double)want : 0;
	ok(r >= 0.98, "8 of %d lists, search_ivf_rescore %zu, search_ivf_signs %zu: recall@10 "
	   "against exact %.4f >= 0.98", LISTS, n, m, r);
	rescore = 2000;
	signs = 0;
}

/* search_ivf_probe_share: one list asked for, but a share of all of them
 * probes every list (the exact scan's ranking); a share of a quarter with
 * one list asked for reads the vectors of 8 of 32 lists and ranks as they
 * do, more than one list alone reads. */
static void test_share(void)
{
	int same = 1;
	size_t found_q = 0, want = 0;
	int like_8 = 1, more_than_1 = 1;
	rescore = 0;
	for (int i = 0; i < 40; i++) {
		float q[DIMS];
		point((int)(uniform() * CENTERS), q);
		struct scan e = run(EXACT, "acct-a", q, LISTS);
		share = 1;
		struct scan a = run(LISTS_ONLY, "acct-a", q, 1);
		share = 0.25;
		struct scan b = run(LISTS_ONLY, "acct-a", q, 1);
		share = 0;
		struct scan c = run(LISTS_ONLY, "acct-a", q, 8), d = run(LISTS_ONLY, "acct-a", q, 1);
		same &= e.n == 10 && a.n == e.n;
		for (size_t k = 0; same && k < e.n; k++)
			same &= e.out[k].ref == a.out[k].ref && e.out[k].score == a.out[k].score;
		like_8 &= b.n == c.n && b.scanned == c.scanned;
		more_than_1 &= b.scanned > d.scanned;
		for (size_t k = 0; like_8 && k < b.n; k++)
			like_8 &= b.out[k].ref == c.out[k].ref;
		found_q += shared(&e, &b);
		want += e.n;
	}
	ok(same, "search_ivf_probe 1 with search_ivf_probe_share 1: every list probed, the exact "
	   "scan's top 10, 40 queries");
	ok(like_8 && more_than_1,
	   "share 0.25 of %d lists with one asked for: the vectors and top 10 of 8 lists, more "
	   "vectors than one list (recall %zu of %zu)", LISTS, found_q, want);
	rescore = 2000;
}

/* Hints are scored exactly whatever their codes, and once: with one list
 * probed and one vector rescored, the exact top 10 passed as hints comes
 * back whole, in order, no chunk twice. */
static void test_hints(void)
{
	int same = 1;
	rescore = 1;
	for (int i = 0; i < 20; i++) {
		float q[DIMS];
		point((int)(uniform() * CENTERS), q);
		struct scan e = run(EXACT, "acct-a", q, 1);
		hints = e.out;
		nhints = e.n;
		struct scan a = run(LISTS_ONLY, "acct-a", q, 1);
		hints = NULL;
		nhints = 0;
		same &= e.n == 10 && a.n == 10;
		for (size_t k = 0; same && k < e.n; k++)
			same &= e.out[k].ref == a.out[k].ref && e.out[k].score == a.out[k].score;
	}
	rescore = 2000;
	ok(same, "hints are scored exactly and once: the exact top 10 as hints, one list and one "
	   "vector rescored, gives it back");
}

/* A third of the vectors allowed; n: search_ivf_rescore, m:
 * search_ivf_signs (the walks pass over those the filter refuses). */
static void test_filter(size_t n, size_t m)
{
	int only_b = 1, same_top = 1;
	rescore = n;
	signs = m;
	for (int i = 0; i < 20; i++) {
		float q[DIMS];
		point((int)(uniform() * CENTERS), q);
		/* one list probed: the scan goes on to further lists while
		 * it met fewer than ten of acct-b's chunks (a third of all) */
		struct scan e = run(EXACT, "acct-b", q, 1), a = run(LISTS_ONLY, "acct-b", q, 1);
		same_top &= a.n == 10 && e.n == 10;
		for (size_t k = 0; k < a.n; k++) {
			char key[64];
			struct vcache *c = vcache_lock();
			vcache_chunk_key(c, a.out[k].ref, key, sizeof key);
			vcache_unlock(c);
			int d = -1;
			for (int j = 0; j < NDOCS; j++)
				if (!strncmp(key, docid[j], 36))
					d = j;
			only_b &= d >= 0 && d % 3 == 0;
		}
	}
	rescore = 2000;
	signs = 0;
	ok(only_b, "search_ivf_rescore %zu, search_ivf_signs %zu: a filter holds inside the lists: "
	   "every hit is the filtered account's", n, m);
	ok(same_top, "search_ivf_rescore %zu, search_ivf_signs %zu: a narrow filter with one list "
	   "probed still fills the top 10", n, m);
}

/* Members of the lists out of step with the cache (vcache_lists_check). */
static size_t lists_bad(void)
{
	struct vcache *c = vcache_lock();
	size_t bad = vcache_lists_check(c);
	vcache_unlock(c);
	return bad;
}

/* Changes with the sign pass on (search_ivf_signs 50 of the two lists'
 * ~190 vectors): the lists' copies of the signs follow. */
static void test_changes(void)
{
	float q[DIMS];
	char key[64], moved[64];
	signs = 50;
	point(-1, q);
	snprintf(key, sizeof key, "%s:%08d", docid[3], 77);   /* acct-b */
	vput(key, q);
	struct scan a = run(LISTS_ONLY, "acct-b", q, 2);
	is_str(a.top, key, "a vector added in another transaction is the next query's best");
	vput(key, NULL);
	a = run(LISTS_ONLY, "acct-b", q, 2);
	ok(a.n == 10 && strcmp(a.top, key), "deleted: the next query no longer finds it");
	/* a vector moved (re-embedded) into another list is found there */
	float far[DIMS];
	for (int k = 0; k < DIMS; k++)
		far[k] = -q[k];
	vput(key, far);
	a = run(LISTS_ONLY, "acct-b", far, 2);
	is_str(a.top, key, "a new vector far from the others is found through its list");
	/* re-embedded in place (the same list, other signs), then a slot
	 * deleted so the last one moves into its place */
	float near[DIMS];
	for (int k = 0; k < DIMS; k++)
		near[k] = far[k] + (k % 2 ? 0.3f : -0.3f);
	vput(key, near);
	a = run(LISTS_ONLY, "acct-b", near, 2);
	is_str(a.top, key, "a vector re-embedded within its list is found by its new signs");
	snprintf(moved, sizeof moved, "%s:%08d", docid[0], 0);
	vput(moved, NULL);
	is_int(lists_bad(), 0, "after adds, moves, a change in place and deletes: every list "
	       "member's slot, place and copy of its sign bits follow the cache");
	vput(key, NULL);
	signs = 0;
}

static void test_stored(void)
{
	float q[DIMS];
	point(5, q);
	vcache_reset();
	struct scan a = run(LISTS_ONLY, "acct-a", q, LISTS);
	is_int(a.lists, LISTS, "a cold cache reads the stored centroids (its lists, no training)");
	struct scan e = run(EXACT, "acct-a", q, LISTS);
	ok(a.n == 10 && shared(&a, &e) == 10, "and ranks with them as the exact scan does");
}

static enum qstatus forget_fn(struct stxn *t, void *arg, struct qerr *err)
{
	(void)arg;
	enum qstatus st = store_del(t, T_STATS, "ivfgen:" MODEL, err);
	return st == Q_OK ? store_del(t, T_STATS, "ivf:" MODEL, err) : st;
}

static void test_without(void)
{
	struct qerr err;
	float q[DIMS];
	if (store_run(s, forget_fn, NULL, &err) != Q_OK)
		bail_out("forget: %s", err.msg);
	point(7, q);
	struct scan a = run(LISTS_ONLY, "acct-a", q, 4), e = run(EXACT, "acct-a", q, 4);
	is_int(a.lists, 0, "centroids gone (a directory from before them): the cache drops its lists");
	ok(a.n == 10 && shared(&a, &e) >= 9, "and scans with the prefilter as before (%zu of 10 shared)",
	   shared(&a, &e));
}

int main(void)
{
	unit_tmpdir(dir, "ivf");
	s = unit_store(dir);
	for (int d = 0; d < NDOCS; d++)
		q_uuid_new(docid[d]);
	for (int c = 0; c < CENTERS; c++)
		for (int k = 0; k < DIMS; k++)
			centers[c][k] = (float)(uniform() * 2 - 1);
	struct qerr err;
	if (store_run(s, build_fn, NULL, &err) != Q_OK)
		bail_out("build: %s", err.msg);
	struct scan t = run(TRAIN, "acct-a", NULL, 0);
	is_int(t.lists, LISTS, "trained: %d lists over %d vectors", LISTS, NDOCS * PER_DOC);
	is_int(lists_bad(), 0, "the lists' copies of the sign bits are the codes' signs");
	is_int(vscan_signs_check(512, 200) + vscan_signs_check(64, 200) + vscan_signs_check(100, 200),
	       0, "the sign pass's kernel equals the plain one and the definition (512, 64, 100 "
	       "dimensions, 200 rows each)");
	is_int(vscan_between_check(400), 0, "the sign pass's cut gathered 16 at a time equals a plain "
	       "loop (400 random cuts of 203 distances)");
	test_all_lists(0, 0);
	test_all_lists(NDOCS * PER_DOC, 0);
	test_all_lists(NDOCS * PER_DOC, NDOCS * PER_DOC);
	test_recall(0, 0);
	test_recall(100, 0);
	test_recall(100, 300);
	test_share();
	test_hints();
	test_filter(0, 0);
	test_filter(12, 0);
	test_filter(12, 30);
	test_changes();
	test_stored();
	test_without();
	vcache_reset();
	store_close(s);
	unit_rmtree(dir);
	return done_testing();
}
