/* test_search.c: search over the process's cache: filters applied inside
 * the scans (a top-1 under a filter is the best allowed chunk, not an
 * empty list), the cache seeing vectors and documents added, re-embedded,
 * changed and deleted in other transactions without a full reload (the
 * reload counter proves it), reloads when far behind or on another
 * environment, the memory cap, hit counts, and the kernel, map and
 * selection helpers against plain references. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "store/docs.h"
#include "store/chunks.h"
#include "embed/embed_builtin.h"
#include "embed/embedder.h"
#include "embed/vectors.h"
#include "admin/reindex.h"
#include "store/lexical.h"
#include "search/search.h"
#include "search/search_hits.h"
#include "search/search_context.h"
#include "store/store.h"
#include "unit.h"
#include "base/util.h"
#include "search/vcache.h"
#include "search/vcache_impl.h"
#include "search/vscan.h"

#include <math.h>
#include <string.h>
#include <time.h>

static char dir[PATH_MAX];
static struct store *s;
static struct qconf conf;
static struct embed_builtin *emb;

enum { A, B, C, D, E, NDOCS };
static char id[NDOCS][37];

/* ---- fixtures, each write its own transaction ------------------------------ */

struct put_doc {
	const char *id, *account, *kb, *org, *folder, *roles;
	int enabled, archived;
};

static enum qstatus put_doc_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct put_doc *p = arg;
	json_t *rec = json_pack("{s:s, s:s, s:s, s:b, s:b, s:i}", "id", p->id, "account", p->account,
				"kb", p->kb, "enabled", p->enabled, "archived", p->archived,
				"hit_count", 0);
	if (p->org)
		json_object_set_new(rec, "org", json_string(p->org));
	if (p->folder)
		json_object_set_new(rec, "folder_id", json_string(p->folder));
	if (p->roles)
		json_object_set_new(rec, "allowed_roles", json_loads(p->roles, 0, NULL));
	enum qstatus st = store_put(t, T_DOCS, p->id, rec, err);
	json_decref(rec);
	return st;
}

static void put_doc(struct put_doc p)
{
	struct qerr err;
	if (store_run(s, put_doc_fn, &p, &err) != Q_OK)
		bail_out("put doc: %s", err.msg);
}

struct put_chunk {
	const char *doc, *text;
	unsigned pos;
	int chunk, vector;
};

static enum qstatus put_chunk_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct put_chunk *p = arg;
	char key[64];
	float v[EMBED_BUILTIN_DIMS];
	enum qstatus st = Q_OK;
	snprintf(key, sizeof key, "%s:%08u", p->doc, p->pos);
	if (p->chunk) {
		json_t *rec = json_pack("{s:s, s:i, s:i, s:b}", "text", p->text, "lang", (int)LANG_EN,
					"hit_count", 0, "enabled", 1);
		st = chunk_put(t, p->doc, p->pos, rec, err);
		json_decref(rec);
	}
	if (st == Q_OK && p->vector) {
		embed_builtin_text(emb, p->text, strlen(p->text), v);
		st = vector_put(t, key, EMBED_BUILTIN_MODEL, v, EMBED_BUILTIN_DIMS, err);
	}
	return st;
}

/* Chunk pos of doc with text: its record and postings, and its vector. */
static void put_chunk(const char *doc, unsigned pos, const char *text)
{
	struct put_chunk p = {doc, text, pos, 1, 1};
	struct qerr err;
	if (store_run(s, put_chunk_fn, &p, &err) != Q_OK)
		bail_out("put chunk: %s", err.msg);
}

/* Only the vector (a re-embedding). */
static void put_vector(const char *doc, unsigned pos, const char *text)
{
	struct put_chunk p = {doc, text, pos, 0, 1};
	struct qerr err;
	if (store_run(s, put_chunk_fn, &p, &err) != Q_OK)
		bail_out("put vector: %s", err.msg);
}

struct del {
	enum store_table tb;
	char key[64];
};

static enum qstatus del_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct del *d = arg;
	if (d->tb == T_CHUNKS)   /* a whole document: chunks, vectors, record */
		return chunks_delete_for_doc(t, d->key, err) ?: store_del(t, T_DOCS, d->key, err);
	return store_del(t, d->tb, d->key, err);
}

static void del(enum store_table tb, const char *key)
{
	struct del d = {tb, ""};
	struct qerr err;
	snprintf(d.key, sizeof d.key, "%s", key);
	if (store_run(s, del_fn, &d, &err) != Q_OK)
		bail_out("delete %s: %s", key, err.msg);
}

/* ---- searching -------------------------------------------------------------- */

struct search {
	const struct search_filter *f;
	enum search_method m;
	const char *query;
	size_t k;
	struct search_hit *hits;
	size_t n;
};

static enum qstatus search_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct search *q = arg;
	free(q->hits);
	q->hits = NULL;
	return search_run(t, &conf, q->f, q->m, q->query, q->k, &q->hits, &q->n, err);
}

/* The documents of the hits as letters ("ABE"), or "error". */
static const char *found(const struct search_filter *f, enum search_method m, const char *query,
			 size_t k)
{
	static char out[64];
	struct search q = {f, m, query, k, NULL, 0};
	struct qerr err;
	if (store_run(s, search_fn, &q, &err) != Q_OK) {
		diag("search: %s", err.msg);
		free(q.hits);
		return "error";
	}
	size_t o = 0;
	for (size_t i = 0; i < q.n && o + 1 < sizeof out; i++)
		for (int d = 0; d < NDOCS; d++)
			if (!strcmp(q.hits[i].doc, id[d]))
				out[o++] = (char)('A' + d);
	out[o] = '\0';
	free(q.hits);
	return out;
}

/* The first hit's chunk key, or "". */
static const char *top(const struct search_filter *f, enum search_method m, const char *query)
{
	static char out[64];
	struct search q = {f, m, query, 1, NULL, 0};
	struct qerr err;
	out[0] = '\0';
	if (store_run(s, search_fn, &q, &err) == Q_OK && q.n)
		snprintf(out, sizeof out, "%s", q.hits[0].chunk);
	free(q.hits);
	return out;
}

/* Sorted letters, so a set compares as a string. */
static const char *set(const char *letters)
{
	static char out[64];
	snprintf(out, sizeof out, "%s", letters);
	for (size_t i = 0; out[i]; i++)
		for (size_t j = i + 1; out[j]; j++)
			if (out[j] < out[i]) {
				char x = out[i];
				out[i] = out[j];
				out[j] = x;
			}
	return out;
}

static unsigned long reloads(void)
{
	struct vcache_stats st;
	vcache_stats(&st);
	return st.reloads;
}

static unsigned long applied(void)
{
	struct vcache_stats st;
	vcache_stats(&st);
	return st.applied;
}

static const char *key_of(int d, unsigned pos)
{
	static char k[64];
	snprintf(k, sizeof k, "%s:%08u", id[d], pos);
	return k;
}

/* ---- the collection ----------------------------------------------------------- */

static void build(void)
{
	for (int d = 0; d < NDOCS; d++)
		q_uuid_new(id[d]);
	put_doc((struct put_doc){id[A], "acct", "kb1", "o1", "f1", NULL, 1, 0});
	put_doc((struct put_doc){id[B], "acct", "kb1", "o1", "f1", "[\"hr\"]", 1, 0});
	put_doc((struct put_doc){id[C], "acct", "kb1", "o2", "f2", NULL, 1, 0});
	put_doc((struct put_doc){id[D], "other", "kbx", "o1", "f1", NULL, 1, 0});
	put_doc((struct put_doc){id[E], "acct", "kb2", "o1", NULL, NULL, 1, 0});
	put_chunk(id[A], 0, "The reactor coolant pump failed during the night shift at the plant.");
	put_chunk(id[B], 0, "Reactor coolant pump maintenance: the coolant pump seals are replaced yearly.");
	put_chunk(id[C], 0, "A garden pump moves rain water into the pond.");
	put_chunk(id[D], 0, "The reactor coolant pump failed during the night shift at the plant.");
	put_chunk(id[E], 0, "Reactor coolant pump failures are reported to the regulator.");
}

static const char *q_reactor = "reactor coolant pump failed night shift";

static void test_filters(void)
{
	struct search_filter acct = {.account = "acct"}, kb1 = {.account = "acct", .kb = "kb1"};
	for (int m = SEARCH_KEYWORD; m <= SEARCH_HYBRID; m++) {
		is_str(set(found(&acct, m, q_reactor, 10)), "ABCE", "method %d: the account's documents, not another account's", m);
		is_str(set(found(&kb1, m, q_reactor, 10)), "ABC", "method %d: kb1 only", m);
	}
	/* The first search (keyword) loaded the cache without vectors, the
	 * first semantic one the model's vectors: two loads, no more. */
	is_int(reloads(), 2, "the first searches loaded the cache and the vectors once");
	/* Inside the scan: the best chunks are A and D; under org o2 the
	 * top 1 is C, not an empty list cut from the global top 1. */
	struct search_filter o2 = {.account = "acct", .kb = "kb1", .org = "o2"};
	for (int m = SEARCH_KEYWORD; m <= SEARCH_HYBRID; m++)
		is_str(found(&o2, m, q_reactor, 1), "C", "method %d: top 1 under org o2 is C (filtered inside the scan)", m);
	json_t *eng = json_pack("[s]", "eng"), *hr = json_pack("[s, s]", "x", "hr");
	struct search_filter r_eng = {.account = "acct", .org = "o1", .roles = eng};
	struct search_filter r_hr = {.account = "acct", .org = "o1", .roles = hr};
	struct search_filter r_none = {.account = "acct", .org = "o1"};
	is_str(set(found(&r_eng, SEARCH_HYBRID, q_reactor, 10)), "AE", "roles [eng]: B (allowed hr) is hidden");
	is_str(set(found(&r_hr, SEARCH_HYBRID, q_reactor, 10)), "ABE", "roles [x, hr]: B is seen");
	is_str(set(found(&r_none, SEARCH_HYBRID, q_reactor, 10)), "ABE", "no roles given: no role check");
	json_t *ids = json_pack("[s, s]", id[B], id[D]), *none = json_pack("[s]", "no-such-document");
	struct search_filter by_id = {.account = "acct", .doc_ids = ids};
	struct search_filter by_bad = {.account = "acct", .doc_ids = none};
	for (int m = SEARCH_KEYWORD; m <= SEARCH_HYBRID; m++) {
		is_str(found(&by_id, m, q_reactor, 10), "B", "method %d: doc_ids [B, D(other account)] gives B", m);
		is_str(found(&by_bad, m, q_reactor, 10), "", "method %d: an unknown doc id gives nothing", m);
	}
	json_t *f2 = json_pack("[s]", "f2"), *fnone = json_pack("[]");
	struct search_filter by_folder = {.account = "acct", .folder_ids = f2};
	struct search_filter by_nofolder = {.account = "acct", .folder_ids = fnone};
	is_str(found(&by_folder, SEARCH_SEMANTIC, q_reactor, 10), "C", "folder_ids [f2]: C");
	is_str(found(&by_nofolder, SEARCH_SEMANTIC, q_reactor, 10), "", "folder_ids []: nothing");
	struct search_filter stranger = {.account = "nobody"};
	is_str(found(&stranger, SEARCH_HYBRID, q_reactor, 10), "", "an account without documents: nothing");
	json_decref(eng);
	json_decref(hr);
	json_decref(ids);
	json_decref(none);
	json_decref(f2);
	json_decref(fnone);
}

/* vgate_ref (the word contexts' background: the cache's own references)
 * answers as vgate_chunk does for the same chunk under every kind of
 * filter, so the background holds only what the search may see. */
struct gate_ref_run {
	const struct search_filter *f;
	int differ, allowed, refused;
};

static enum qstatus gate_ref_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct gate_ref_run *x = arg;
	struct vcache *c = vcache_lock();
	struct vgate *g1 = NULL, *g2 = NULL;
	vref refs[4096];
	enum qstatus st = vcache_sync(c, t, EMBED_BUILTIN_MODEL, (size_t)conf.search_cache_mb << 20, err);
	if (st == Q_OK && (!(g1 = vgate_new(c, t, x->f)) || !(g2 = vgate_new(c, t, x->f))))
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	size_t n = st == Q_OK ? vcache_sample(c, 4096, refs) : 0;
	for (size_t i = 0; i < n; i++) {
		char key[72];
		vref r = 0;
		vcache_chunk_key(c, refs[i], key, sizeof key);
		int a = vgate_ref(g1, refs[i]), b = vgate_chunk(g2, key, strlen(key), &r) && r == refs[i];
		x->differ += a != b;
		x->allowed += a;
		x->refused += !a;
	}
	vgate_free(g1);
	vgate_free(g2);
	vcache_unlock(c);
	return st;
}

static void test_gate_ref(void)
{
	json_t *eng = json_pack("[s]", "eng"), *ids = json_pack("[s]", id[B]);
	struct search_filter fs[] = {{.account = "acct"}, {.account = "acct", .kb = "kb1"},
				     {.account = "acct", .kb = "kb1", .org = "o2"},
				     {.account = "acct", .org = "o1", .roles = eng},
				     {.account = "acct", .doc_ids = ids}, {.account = "nobody"}};
	int differ = 0, allowed = 0, refused = 0;
	struct qerr err;
	for (size_t i = 0; i < sizeof fs / sizeof *fs; i++) {
		struct gate_ref_run x = {&fs[i], 0, 0, 0};
		if (store_run(s, gate_ref_fn, &x, &err) != Q_OK)
			bail_out("gate: %s", err.msg);
		differ += x.differ;
		allowed += x.allowed;
		refused += x.refused;
	}
	ok(!differ && allowed && refused,
	   "the background's gate by the cache's references answers as by chunk key under 6 filters (%d allowed, %d refused, %d differ)",
	   allowed, refused, differ);
	json_decref(eng);
	json_decref(ids);
}

static void test_incremental(void)
{
	struct search_filter kb1 = {.account = "acct", .kb = "kb1"};
	unsigned long r0 = reloads(), a0 = applied();
	char want[64];

	put_chunk(id[A], 1, "Zebra and giraffe herds cross the savanna at dawn.");
	snprintf(want, sizeof want, "%s", key_of(A, 1));
	is_str(top(&kb1, SEARCH_SEMANTIC, "zebra giraffe savanna"), want, "a vector added in another transaction is found");
	ok(applied() > a0, "... from the change log");
	put_vector(id[A], 1, "Lattice quantum chromodynamics computes hadron masses.");
	is_str(top(&kb1, SEARCH_SEMANTIC, "quantum chromodynamics lattice hadron"), want, "a re-embedded vector is scored as re-embedded");
	/* the chunk's text (its postings) still says zebra: the query words'
	 * contexts, learned from the chunks holding them, would lean to its
	 * new vector; the vector alone is asked here */
	double context = conf.search_word_context;
	conf.search_word_context = 0;
	ok(strcmp(top(&kb1, SEARCH_SEMANTIC, "zebra giraffe savanna herds"), want) != 0,
	   "... and no longer as before");
	conf.search_word_context = context;
	del(T_VECTORS, key_of(A, 1));
	ok(strcmp(top(&kb1, SEARCH_SEMANTIC, "quantum chromodynamics lattice hadron"), want) != 0,
	   "a deleted vector is gone");
	is_int(reloads(), r0, "added, re-embedded and deleted without a reload");

	put_doc((struct put_doc){id[B], "acct", "kb1", "o1", "f1", "[\"hr\"]", 0, 0});
	is_str(set(found(&kb1, SEARCH_HYBRID, q_reactor, 10)), "AC", "a document disabled in another transaction is hidden");
	put_doc((struct put_doc){id[B], "acct", "kb1", "o1", "f1", "[\"hr\"]", 1, 1});
	is_str(set(found(&kb1, SEARCH_KEYWORD, q_reactor, 10)), "AC", "... archived too");
	put_doc((struct put_doc){id[B], "acct", "kb1", "o1", "f1", "[\"eng\"]", 1, 0});
	json_t *eng = json_pack("[s]", "eng");
	struct search_filter r_eng = {.account = "acct", .kb = "kb1", .org = "o1", .roles = eng};
	is_str(set(found(&r_eng, SEARCH_SEMANTIC, q_reactor, 10)), "AB", "new allowed roles are seen");
	put_doc((struct put_doc){id[B], "acct", "kb1", "o3", "f1", "[\"eng\"]", 1, 0});
	is_str(set(found(&r_eng, SEARCH_SEMANTIC, q_reactor, 10)), "A", "a new org is seen");
	json_decref(eng);
	del(T_CHUNKS, id[C]);
	for (int m = SEARCH_KEYWORD; m <= SEARCH_HYBRID; m++)
		is_str(set(found(&kb1, m, q_reactor, 10)), "AB", "method %d: a deleted document is gone", m);
	is_int(reloads(), r0, "document changes without a reload either");

	/* Far behind the log, the cache reloads instead. */
	for (unsigned i = 0; i < 5; i++) {
		struct qerr err;
		struct put_chunk p = {id[A], "filler text about pumps", 0, 0, 1};
		for (unsigned k = 0; k < 1100; k++) {
			p.pos = 100 + i * 1100 + k;
			if (store_run(s, put_chunk_fn, &p, &err) != Q_OK)
				bail_out("filler: %s", err.msg);
		}
	}
	found(&kb1, SEARCH_SEMANTIC, q_reactor, 1);
	is_int(reloads(), r0 + 1, "5,500 changes behind: one full reload");
}

static void test_cap(void)
{
	struct search_filter acct = {.account = "acct"};
	struct vcache_stats st;
	char cached[64], direct[64];
	/* the word contexts' background is a sample of the cache: without a
	 * cache they are uncentred (docs/search.md), so they are off here,
	 * where the reading of the vectors is compared */
	double context = conf.search_word_context;
	conf.search_word_context = 0;
	snprintf(cached, sizeof cached, "%s", found(&acct, SEARCH_HYBRID, q_reactor, 10));
	conf.search_cache_mb = 0;
	snprintf(direct, sizeof direct, "%s", found(&acct, SEARCH_HYBRID, q_reactor, 10));
	vcache_stats(&st);
	is_int(st.vectors_cached, 0, "search_cache_mb 0: vectors are not held");
	is_str(direct, cached, "... and hybrid results are the same, read from the database");
	conf.search_cache_mb = 1024;
	conf.search_word_context = context;
}

/* Past search_exact_max, the binary prefilter picks the candidates; in a
 * collection smaller than its candidate count it keeps every allowed
 * vector, so the ranking must be the exact one, filters included. */
static void test_prefilter(void)
{
	struct search_filter acct = {.account = "acct"}, o2 = {.account = "acct", .org = "o2"};
	char exact[3][64];
	snprintf(exact[0], sizeof exact[0], "%s", found(&acct, SEARCH_SEMANTIC, q_reactor, 10));
	snprintf(exact[1], sizeof exact[1], "%s", found(&acct, SEARCH_HYBRID, q_reactor, 10));
	snprintf(exact[2], sizeof exact[2], "%s", found(&o2, SEARCH_SEMANTIC, q_reactor, 1));
	conf.search_exact_max = 0;
	is_str(found(&acct, SEARCH_SEMANTIC, q_reactor, 10), exact[0],
	       "search_exact_max 0: the prefilter's semantic ranking is the exact one");
	is_str(found(&acct, SEARCH_HYBRID, q_reactor, 10), exact[1], "... hybrid too");
	is_str(found(&o2, SEARCH_SEMANTIC, q_reactor, 1), exact[2],
	       "... and the filter applies in the prefilter's pass");
	conf.search_exact_max = 1000000;
}

/* Hits as "chunk score cosine;" in order, for exact comparison. */
static const char *ranked(const struct search_filter *f, enum search_method m, const char *query)
{
	static char out[4096];
	struct search q = {f, m, query, 10, NULL, 0};
	struct qerr err;
	size_t o = 0;
	out[0] = '\0';
	if (store_run(s, search_fn, &q, &err) != Q_OK)
		snprintf(out, sizeof out, "error: %s", err.msg);
	for (size_t i = 0; i < q.n && o < sizeof out - 200; i++)
		o += (size_t)snprintf(out + o, sizeof out - o, "%s %.9g %.9g;", q.hits[i].chunk,
				      q.hits[i].score, q.hits[i].cosine);
	free(q.hits);
	return out;
}

static unsigned long memo_hits(void)
{
	struct vcache_stats st;
	vcache_stats(&st);
	return st.memo_hits;
}

/* The word contexts and background remembered between queries
 * (vcache_memo_get): the same hits and scores as computed afresh, never
 * served under another filter, forgotten when the cache changes. */
static void test_memo(void)
{
	struct search_filter acct = {.account = "acct"}, kb1 = {.account = "acct", .kb = "kb1"};
	const char *q = "coolant pump seals failed";
	char cold[2][4096], warm[2][4096];
	for (int m = SEARCH_SEMANTIC; m <= SEARCH_HYBRID; m++) {
		vcache_memo_clear();
		snprintf(cold[0], sizeof cold[0], "%s", ranked(&acct, m, q));
		unsigned long h0 = memo_hits();
		snprintf(warm[0], sizeof warm[0], "%s", ranked(&acct, m, q));
		ok(memo_hits() > h0 && !strcmp(cold[0], warm[0]) && strncmp(cold[0], "error", 5) && *cold[0],
		   "method %d: a query answered from the remembered word contexts has the same hits and scores", m);
		/* kb1 after acct was remembered: its own entries, as a cold run */
		snprintf(warm[1], sizeof warm[1], "%s", ranked(&kb1, m, q));
		vcache_memo_clear();
		snprintf(cold[1], sizeof cold[1], "%s", ranked(&kb1, m, q));
		is_str(warm[1], cold[1], "method %d: another filter is not served the first one's contexts", m);
	}
	/* a re-embedded vector changes the cache: the memo is forgotten and
	 * the answer is the one computed afresh */
	ranked(&acct, SEARCH_HYBRID, q);
	put_vector(id[B], 0, "A garden pump moves rain water into the pond.");
	unsigned long h0 = memo_hits();
	snprintf(warm[0], sizeof warm[0], "%s", ranked(&acct, SEARCH_HYBRID, q));
	unsigned long h1 = memo_hits();
	vcache_memo_clear();
	snprintf(cold[0], sizeof cold[0], "%s", ranked(&acct, SEARCH_HYBRID, q));
	ok(h1 == h0 && !strcmp(warm[0], cold[0]),
	   "after a change in another transaction nothing remembered is used; the same hits as afresh");
	put_vector(id[B], 0, "Reactor coolant pump maintenance: the coolant pump seals are replaced yearly.");
	/* vcache_memo_keep (bench_search's BENCH_NO_MEMO=2): the background
	 * ("bg") still served, the words learned again; the same answer */
	vcache_memo_clear();
	snprintf(cold[0], sizeof cold[0], "%s", ranked(&acct, SEARCH_HYBRID, q));
	h0 = memo_hits();
	ranked(&acct, SEARCH_HYBRID, q);
	unsigned long full = memo_hits() - h0;
	vcache_memo_keep("bg", 2);
	h0 = memo_hits();
	snprintf(warm[0], sizeof warm[0], "%s", ranked(&acct, SEARCH_HYBRID, q));
	unsigned long kept = memo_hits() - h0;
	ok(kept > 0 && kept < full && !strcmp(warm[0], cold[0]) && *cold[0],
	   "memo_keep: the background kept (%lu of %lu lookups served), the words forgotten, "
	   "the same hits", kept, full);
}

/* The prefilter's 2-bit code: sign bits, then magnitude bits set where a
 * value's square is above the vector's mean square. */
static void test_code(void)
{
	int8_t v[130];
	uint64_t w[VCODE(130)];
	for (int i = 0; i < 130; i++)
		v[i] = 1;
	v[0] = 120;
	v[1] = -120;
	v[64] = -1;
	vc_sign_bits(v, 130, w);
	ok(VCODE(130) == 6 && w[0] == ~2ull && w[1] == ~1ull && w[2] == 3,
	   "code: a sign bit per dimension, set for positive values");
	ok(w[3] == 3 && w[4] == 0 && w[5] == 0,
	   "code: magnitude bits only where the value is above the root mean square");
	ok(vscan_code_check(512, 200) == 0 && vscan_code_check(700, 200) == 0,
	   "code: the CPU's fastest distance kernel equals the plain one (512 and 700 dimensions)");
}

struct get_hits {
	enum store_table tb;
	const char *key;
	long long n;
};

static enum qstatus get_hits_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct get_hits *g = arg;
	json_t *rec;
	enum qstatus st = store_get(t, g->tb, g->key, &rec, 0, err);
	if (st == Q_OK) {
		g->n = json_integer_value(json_object_get(rec, "hit_count"));
		json_decref(rec);
	}
	return st;
}

/* hit_count of a chunk or document record; -1 when unreadable. */
static long long hit_count(enum store_table tb, const char *key)
{
	struct get_hits g = {tb, key, -1};
	struct qerr err;
	if (store_run(s, get_hits_fn, &g, &err) != Q_OK)
		return -1;
	return g.n;
}

static void test_hits(void)
{
	struct search_filter kb2 = {.account = "acct", .kb = "kb2"};
	char ekey[64];
	snprintf(ekey, sizeof ekey, "%s", key_of(E, 0));
	search_hits_discard(NULL);
	found(&kb2, SEARCH_KEYWORD, q_reactor, 5);
	found(&kb2, SEARCH_KEYWORD, q_reactor, 5);   /* a rerun: counts once */
	found(&kb2, SEARCH_HYBRID, "regulator failures", 5);
	is_int(hit_count(T_CHUNKS, ekey), 0, "hits are not written during the search");
	search_hits_flush(s, 0);
	is_int(hit_count(T_CHUNKS, ekey), 0, "... nor by an unforced flush right after (batched)");
	search_hits_flush(s, 1);
	is_int(hit_count(T_CHUNKS, ekey), 2, "after the flush: one hit per distinct search (a rerun once)");
	is_int(hit_count(T_DOCS, id[E]), 2, "the document's hit_count adds its chunks' hits");
	search_hits_flush(s, 1);
	is_int(hit_count(T_CHUNKS, ekey), 2, "a second flush writes nothing more");
	found(&kb2, SEARCH_SEMANTIC, "regulator", 1);
	struct timespec pause = {1, 50 * 1000 * 1000};
	nanosleep(&pause, NULL);
	search_hits_flush(s, 0);
	is_int(hit_count(T_CHUNKS, ekey), 3, "an unforced flush writes hits that waited SEARCH_HITS_DELAY_MS");
}

/* ---- helpers against references ----------------------------------------------- */

/* Disagreements of vcache_dot with a plain loop over 200 random pairs. */
static int kernel_errors(void)
{
	int8_t *a = aligned_alloc(64, 1536), *b = aligned_alloc(64, 1536);
	int bad = 0;
	unsigned r = 7;
	for (int round = 0; round < 200; round++) {
		size_t n = round % 2 ? 1536 : 512;
		int32_t want = 0;
		for (size_t i = 0; i < n; i++) {
			r = r * 1103515245u + 12345u;
			a[i] = (int8_t)((int)(r >> 16) % 256 - 128);   /* -128 as well */
			r = r * 1103515245u + 12345u;
			b[i] = (int8_t)((int)(r >> 16) % 255 - 127);
			want += a[i] * b[i];
		}
		bad += vcache_dot(a, b, n) != want;
	}
	free(a);
	free(b);
	return bad;
}

static void test_kernel(void)
{
	struct vcache_stats st;
	vcache_stats(&st);
	is_int(kernel_errors(), 0, "the %s kernel agrees with a plain loop on 200 random vectors", st.kernel);
	/* The kernel is chosen once per process: the portable one runs in a
	 * child with QUIRE_NO_SIMD set. */
	char self[PATH_MAX], cmd[PATH_MAX + 64];
	ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
	self[len > 0 ? len : 0] = '\0';
	snprintf(cmd, sizeof cmd, "QUIRE_NO_SIMD=1 '%s' --kernel-only", self);
	int rc = len > 0 ? system(cmd) : -1;
	is_int(rc, 0, "the portable C kernel agrees as well");
	/* and the AVX2 kernel where the CPU has AVX-512 VNNI (chosen first) */
	snprintf(cmd, sizeof cmd, "QUIRE_NO_AVX512=1 '%s' --kernel-only", self);
	rc = len > 0 ? system(cmd) : -1;
	is_int(rc, 0, "the kernel without AVX-512 agrees as well");
}

static void test_best(void)
{
	enum { N = 10000, K = 100 };
	static struct vscored v[N];
	static float want[N];
	unsigned r = 3;
	int bad = 0;
	struct vcache *c = vcache_lock();
	for (size_t i = 0; i < N; i++) {
		r = r * 1103515245u + 12345u;
		v[i] = (struct vscored){(vref)i, (float)i + (float)(r % 1000) / 2000.0f};
		want[i] = v[i].score;
	}
	/* distinct scores: want's K largest, best first */
	size_t n = vcache_best(c, v, N, K);
	vcache_unlock(c);
	for (size_t i = 0; i < K; i++)
		bad += v[i].score != want[N - 1 - i];
	is_int((long long)n, K, "vcache_best keeps k of n");
	is_int(bad, 0, "... the k best, best first");
}

static void test_vmap(void)
{
	struct vmap m = {0};
	enum { N = 4096 };
	static int32_t ref[N];
	unsigned r = 99;
	int bad = 0;
	for (size_t i = 0; i < N; i++)
		ref[i] = -1;
	for (int op = 0; op < 50000; op++) {
		r = r * 1103515245u + 12345u;
		size_t k = (r >> 8) % N;
		if ((r >> 4) % 3) {
			vmap_put(&m, (uint64_t)k << 32 | 7, (uint32_t)op);
			ref[k] = op;
		} else {
			vmap_del(&m, (uint64_t)k << 32 | 7);
			ref[k] = -1;
		}
	}
	for (size_t k = 0; k < N; k++)
		bad += vmap_get(&m, (uint64_t)k << 32 | 7) != ref[k];
	is_int(bad, 0, "vmap agrees with an array after 50,000 puts and deletes");
	vmap_free(&m);
}

static void test_other_environment(void)
{
	char dir2[PATH_MAX];
	struct store *first = s;
	unsigned long r0 = reloads();
	unit_tmpdir(dir2, "search2");
	s = unit_store(dir2);
	put_doc((struct put_doc){id[A], "acct", "kb1", "o1", "f1", NULL, 1, 0});
	put_chunk(id[A], 0, "Coolant pump.");
	struct search_filter acct = {.account = "acct"};
	is_str(found(&acct, SEARCH_HYBRID, q_reactor, 10), "A", "another environment: only its documents");
	is_int(reloads(), r0 + 1, "... after a reload (the change log's epoch differs)");
	store_close(s);
	unit_rmtree(dir2);
	s = first;
}

/* The languages a query is read in (lexical_pick_langs). */
static void test_query_langs(void)
{
	double en_de[LANG_MAX] = {[LANG_EN] = 90, [LANG_DE] = 10}, none[LANG_MAX] = {0};
	enum text_lang p;
	const char *q = "die Häuser der Stadt";
	ok(lexical_pick_langs(q, strlen(q), en_de, &p) == 1u << LANG_DE && p == LANG_DE,
	   "German stop words: read in German alone");
	q = "the houses of the town";
	ok(lexical_pick_langs(q, strlen(q), en_de, &p) == 1u << LANG_EN && p == LANG_EN,
	   "English stop words: read in English alone");
	q = "Häuser";
	ok(lexical_pick_langs(q, strlen(q), en_de, &p) == (1u << LANG_EN | 1u << LANG_DE) && p == LANG_EN,
	   "no stop word: each language the collection holds, the commonest primary");
	q = "Häuser in Berlin";
	double de_it[LANG_MAX] = {[LANG_DE] = 5, [LANG_IT] = 2, [LANG_FR] = 9};
	ok(lexical_pick_langs(q, strlen(q), de_it, &p) == (1u << LANG_DE | 1u << LANG_IT) && p == LANG_DE,
	   "a tie (\"in\": English, German, Italian, Dutch): the tied languages held, not French");
	ok(lexical_pick_langs(q, strlen(q), none, &p) == 1u << LANG_EN && p == LANG_EN,
	   "an empty collection: as detection says");
	double ru_zh[LANG_MAX] = {[LANG_RU] = 3, [LANG_NONE] = 4, [LANG_EN] = 9};
	q = "Когда открыта библиотека?";
	ok(lexical_pick_langs(q, strlen(q), ru_zh, &p) == (1u << LANG_RU | 1u << LANG_NONE) && p == LANG_RU,
	   "a Cyrillic query: the Cyrillic languages held, Russian primary though Chinese (no stemmer) outnumbers it");
	q = "图书馆几点开门";
	ok(lexical_pick_langs(q, strlen(q), ru_zh, &p) == 1u << LANG_NONE && p == LANG_NONE,
	   "a Chinese query: words as written");
	q = "Fenstern";
	ok(lexical_pick_langs(q, strlen(q), ru_zh, &p) == (1u << LANG_EN | 1u << LANG_RU | 1u << LANG_NONE) &&
	   p == LANG_EN, "a Latin query without stop words: as before, every language held, the commonest primary");
}

/* Fusion by standard scores (search_hybrid_norm zscore), on an account
 * of its own: weight 0 gives the keyword order, weight 1 the vector order
 * (feedback and word contexts off: the vector side is semantic search's,
 * the same on every run), and the
 * scores stay in [0, 1], the best at 1, best first. */
static char fid[4][37];

static const char *forder(enum search_method m, const char *query)
{
	static char out[8];
	struct search_filter f = {.account = "fusion"};
	struct search q = {&f, m, query, 10, NULL, 0};
	struct qerr err;
	size_t o = 0;
	if (store_run(s, search_fn, &q, &err) != Q_OK)
		bail_out("search: %s", err.msg);
	for (size_t i = 0; i < q.n && o + 1 < sizeof out; i++)
		for (int d = 0; d < 4; d++)
			if (!strcmp(q.hits[i].doc, fid[d]))
				out[o++] = (char)('P' + d);
	out[o] = '\0';
	free(q.hits);
	return out;
}

/* Each of the four documents' score by method m (-1: not a hit). */
static void fscores(enum search_method m, const char *query, double out[4])
{
	struct search_filter f = {.account = "fusion"};
	struct search q = {&f, m, query, 10, NULL, 0};
	struct qerr err;
	if (store_run(s, search_fn, &q, &err) != Q_OK)
		bail_out("search: %s", err.msg);
	for (int d = 0; d < 4; d++) {
		out[d] = -1;
		for (size_t i = 0; i < q.n; i++)
			if (!strcmp(q.hits[i].doc, fid[d]))
				out[d] = q.hits[i].score;
	}
	free(q.hits);
}

/* Standard scores of v[0 .. 4). */
static void standard(const double v[4], double z[4])
{
	double mean = 0, sq = 0;
	for (int d = 0; d < 4; d++)
		mean += v[d] / 4;
	for (int d = 0; d < 4; d++)
		sq += (v[d] - mean) * (v[d] - mean) / 4;
	for (int d = 0; d < 4; d++)
		z[d] = sq > 0 ? (v[d] - mean) / sqrt(sq) : 0;
}

static void test_fusion(void)
{
	static const char *text[4] = {
		"Garden water.",
		"Seals, seals and seals on the pump.",
		"The pump in the station, with valves, pipes, meters, gauges, motors, cables, "
		"switches and many other parts of the machine room.",
		"Water, garden, pump and seals are listed once each among many words of a long "
		"sentence about farms, fields, tractors, barns and harvest machinery."};
	const char *q = "pump seals garden water";
	char kw[8], sem[8];
	struct search_filter f = {.account = "fusion"};
	struct search r = {&f, SEARCH_HYBRID, q, 10, NULL, 0};
	struct qerr err;
	int bad = 0;
	for (int d = 0; d < 4; d++) {
		q_uuid_new(fid[d]);
		put_doc((struct put_doc){fid[d], "fusion", "kbf", NULL, NULL, NULL, 1, 0});
		put_chunk(fid[d], 0, text[d]);
	}
	conf.search_feedback_chunks = 0;
	conf.search_word_context = 0;   /* the vector side as the chunks' own vectors order it */
	snprintf(kw, sizeof kw, "%s", forder(SEARCH_KEYWORD, q));
	snprintf(sem, sizeof sem, "%s", forder(SEARCH_SEMANTIC, q));
	ok(strlen(kw) == 4 && strlen(sem) == 4 && strcmp(kw, sem), "every chunk matches a word; "
	   "the keyword and vector orders differ (%s, %s)", kw, sem);
	snprintf(conf.search_hybrid_norm, sizeof conf.search_hybrid_norm, "zscore");
	conf.search_hybrid_weight = 0;
	is_str(forder(SEARCH_HYBRID, q), kw, "zscore, weight 0: the keyword order");
	conf.search_hybrid_weight = 1;
	is_str(forder(SEARCH_HYBRID, q), sem, "zscore, weight 1: the vector order");
	conf.search_hybrid_weight = 0.5;
	if (store_run(s, search_fn, &r, &err) != Q_OK)
		bail_out("search: %s", err.msg);
	for (size_t i = 0; i < r.n; i++)
		bad += r.hits[i].score < 0 || r.hits[i].score > 1 ||
		       (i && r.hits[i].score > r.hits[i - 1].score);
	ok(r.n == 4 && !bad && r.hits[0].score == 1, "zscore, weight 0.5: %zu scores in [0, 1], "
	   "best first, the best 1 (%g)", r.n, r.n ? r.hits[0].score : -1);
	free(r.hits);
	/* each hybrid score from the two sides' own scores, by hand: the mean
	 * of the standard scores, rescaled by their range */
	double k[4], v[4], h[4], zk[4], zv[4], want[4], lo = 1e9, hi = -1e9, worst = 0;
	fscores(SEARCH_KEYWORD, q, k);
	fscores(SEARCH_SEMANTIC, q, v);
	fscores(SEARCH_HYBRID, q, h);
	standard(k, zk);
	standard(v, zv);
	for (int d = 0; d < 4; d++) {
		want[d] = 0.5 * zk[d] + 0.5 * zv[d];
		lo = want[d] < lo ? want[d] : lo;
		hi = want[d] > hi ? want[d] : hi;
	}
	for (int d = 0; d < 4; d++) {
		double e = fabs((want[d] - lo) / (hi - lo) - h[d]);
		worst = e > worst ? e : worst;
	}
	ok(worst < 1e-4, "each hybrid score is the rescaled mean of its standard scores (off by %g; "
	   "%g %g %g %g)", worst, h[0], h[1], h[2], h[3]);
	strcpy(conf.search_hybrid_norm, "minmax");
	fscores(SEARCH_HYBRID, q, h);
	worst = 0;
	for (int d = 0; d < 4; d++) {
		double e = fabs((want[d] - lo) / (hi - lo) - h[d]);
		worst = e > worst ? e : worst;
	}
	ok(worst > 1e-3, "which minmax's scores are not (off by %g)", worst);
	qconf_defaults(&conf);
	snprintf(conf.datadir, sizeof conf.datadir, "%s", dir);
}

/* search_word_context_idf: in hybrid search a query word's learned
 * context weighs its idf to that power (semantic search alone: 1).
 * "zygote" (one chunk) is rare, "cell" (six chunks) common;
 * T1 shares words only with the zygote's chunk, T2 only with the cell
 * chunks. With the power 0 both contexts weigh alike and T2, closer to the
 * cell chunks' clean shared context, leads; at 8 the rare word's context
 * decides and T1 leads. Each power is memoised apart (vcache_memo_get's
 * key holds it). */
static char cid[12][37];

static int ctx_rank(enum search_method m, const char *query, int d)
{
	struct search_filter f = {.account = "ctxidf"};
	struct search q = {&f, m, query, 12, NULL, 0};
	struct qerr err;
	int at = -1;
	if (store_run(s, search_fn, &q, &err) != Q_OK)
		bail_out("search: %s", err.msg);
	for (size_t i = 0; i < q.n && at < 0; i++)
		if (!strcmp(q.hits[i].doc, cid[d]))
			at = (int)i;
	free(q.hits);
	return at < 0 ? 99 : at;
}

static void test_context_idf(void)
{
	static const char *text[12] = {
		"Zygote embryo, with oocyte fertilisation morula uterus implantation placenta "
		"trophoblast gastrulation neurulation somite ectoderm mesoderm endoderm.",
		"Cell membrane lipid.", "Cell membrane lipid bilayer.", "The cell membrane lipid.",
		"Cell membrane lipid layer.", "A cell membrane lipid.", "Cell membrane lipid raft.",
		"Garden water pump.", "Tractor barn harvest.", "River bridge stone.",
		"Embryo.",                         /* T1: 10 */
		"Membrane lipid."};                /* T2: 11 */
	static const char *filler[6] = {"garden", "tractor", "river", "stone", "window", "copper"};
	for (int d = 0; d < 12; d++) {
		q_uuid_new(cid[d]);
		put_doc((struct put_doc){cid[d], "ctxidf", "kbc", NULL, NULL, NULL, 1, 0});
		put_chunk(cid[d], 0, text[d]);
	}
	/* more chunks without the query's words: the background is theirs */
	for (unsigned i = 0; i < 36; i++) {
		char t[128];
		snprintf(t, sizeof t, "The %s and the %s near the %s.", filler[i % 6],
			 filler[(i / 6) % 6], filler[(i + 3) % 6]);
		put_chunk(cid[7], 1 + i, t);
	}
	conf.search_word_context = 10;
	conf.search_hybrid_weight = 1;   /* hybrid's vector side alone */
	conf.search_feedback_chunks = 0;
	conf.search_word_context_idf = 0;
	int t1 = ctx_rank(SEARCH_HYBRID, "zygote cell", 10), t2 = ctx_rank(SEARCH_HYBRID, "zygote cell", 11);
	ok(t2 < t1, "idf power 0: the common word's context leads (T1 %d, T2 %d)", t1, t2);
	int s1 = ctx_rank(SEARCH_SEMANTIC, "zygote cell", 10), s2 = ctx_rank(SEARCH_SEMANTIC, "zygote cell", 11);
	conf.search_word_context_idf = 8;
	t1 = ctx_rank(SEARCH_HYBRID, "zygote cell", 10);
	t2 = ctx_rank(SEARCH_HYBRID, "zygote cell", 11);
	ok(t1 < t2, "idf power 8: the rare word's context leads (T1 %d, T2 %d)", t1, t2);
	ok(ctx_rank(SEARCH_SEMANTIC, "zygote cell", 10) == s1 &&
	   ctx_rank(SEARCH_SEMANTIC, "zygote cell", 11) == s2,
	   "semantic search alone keeps the power 1 (T1 %d, T2 %d either way)", s1, s2);
	qconf_defaults(&conf);
	snprintf(conf.datadir, sizeof conf.datadir, "%s", dir);
}

/* Stored word contexts (search_word_context_stored): computed ahead over
 * the whole account, read only by queries over the whole account (or a
 * knowledge base of it), never by a narrower filter; stale past
 * search_word_context_stale, and computed again without a deleted
 * document's text. "infarction" occurs only in M's chunks (role "hr"),
 * which also hold "heart muscle" and "coronary arteries"; H holds those
 * and not "infarction": the word's context brings H up, for a caller who
 * may see M. */
static char wid[3][37];   /* M, H, filler */

/* The last order()'s top 10 with their scores, and fresh()'s. */
struct ranking {
	size_t n;
	char key[10][64];
	double score[10];
};
static struct ranking last_rank, fresh_rank;

/* The chunk keys of the top 10, in order; "error" on failure. */
static const char *order(const struct search_filter *f, enum search_method m, const char *query)
{
	static char out[2048];
	struct search q = {f, m, query, 10, NULL, 0};
	struct qerr err;
	size_t o = 0;
	out[0] = '\0';
	last_rank.n = 0;
	if (store_run(s, search_fn, &q, &err) != Q_OK)
		snprintf(out, sizeof out, "error: %s", err.msg);
	for (size_t i = 0; i < q.n && o < sizeof out - 80; i++)
		o += (size_t)snprintf(out + o, sizeof out - o, "%s;", q.hits[i].chunk);
	for (size_t i = 0; i < q.n && i < 10; i++, last_rank.n++) {
		snprintf(last_rank.key[i], sizeof last_rank.key[i], "%s", q.hits[i].chunk);
		last_rank.score[i] = q.hits[i].score;
	}
	free(q.hits);
	return out;
}

/* Whether the last order() ranks as fresh() did but for near ties: the
 * same chunks, each chunk's score within tol of the one fresh() gave it,
 * and a chunk in another place only where fresh()'s scores of the two
 * places are within tol, tol a share of the largest score (in size) of
 * fresh()'s: the int8 rounding of the stored contexts may swap chunks
 * that score alike, never move one past a clear gap. */
static int ranks_alike(double tol)
{
	const struct ranking *a = &last_rank, *b = &fresh_rank;
	double scale = 1e-9;
	if (a->n != b->n || !a->n)
		return 0;
	for (size_t i = 0; i < b->n; i++)
		scale = fabs(b->score[i]) > scale ? fabs(b->score[i]) : scale;
	for (size_t i = 0; i < a->n; i++) {
		size_t j = 0;
		while (j < b->n && strcmp(b->key[j], a->key[i]))
			j++;
		if (j == b->n)
			return 0;
		if (fabs(a->score[i] - b->score[j]) > tol * scale ||
		    fabs(b->score[i] - b->score[j]) > tol * scale) {
			diag("rank %zu: %s %.6g, afresh at %zu %.6g (there %.6g)", i, a->key[i],
			     a->score[i], j, b->score[j], b->score[i]);
			return 0;
		}
	}
	return 1;
}

/* H's rank among the top 10 (99: not in them). */
static int h_rank(const struct search_filter *f, const char *query)
{
	struct search q = {f, SEARCH_SEMANTIC, query, 10, NULL, 0};
	struct qerr err;
	int at = 99;
	if (store_run(s, search_fn, &q, &err) != Q_OK)
		bail_out("search: %s", err.msg);
	for (size_t i = 0; i < q.n && at == 99; i++)
		if (!strcmp(q.hits[i].doc, wid[1]))
			at = (int)i;
	free(q.hits);
	return at;
}

static int h_rank_fresh(const struct search_filter *f, const char *query)
{
	conf.search_word_context_stored = 0;
	vcache_memo_clear();
	int at = h_rank(f, query);
	conf.search_word_context_stored = 1;
	vcache_memo_clear();
	return at;
}

/* The same query with the stored contexts off (learned afresh), memo empty. */
static const char *fresh(const struct search_filter *f, enum search_method m, const char *query)
{
	static char out[2048];
	conf.search_word_context_stored = 0;
	vcache_memo_clear();
	snprintf(out, sizeof out, "%s", order(f, m, query));
	fresh_rank = last_rank;
	conf.search_word_context_stored = 1;
	vcache_memo_clear();
	return out;
}

static enum qstatus clear_begin_fn(struct stxn *t, void *arg, struct qerr *err)
{
	(void)arg;
	return lexical_clear_begin(t, err);
}

static void test_stored_contexts(void)
{
	static const char *m_text[3] = {
		"Myocardial infarction damages the heart muscle after the coronary arteries close.",
		"An infarction of the heart muscle follows blocked coronary arteries.",
		"Infarction: coronary arteries blocked, the heart muscle starved."};
	static const char *filler[6] = {"garden", "tractor", "river", "stone", "window", "copper"};
	const char *q = "infarction";
	json_t *eng = json_pack("[s]", "eng"), *ids = json_array();
	struct search_filter acct = {.account = "wstore"}, kb = {.account = "wstore", .kb = "kbw"};
	struct search_filter narrow[4] = {
		{.account = "wstore", .roles = eng}, {.account = "wstore", .org = "ow"},
		{.account = "wstore", .doc_ids = ids}, {.account = "wstore", .folder_ids = ids}};
	const char *narrow_name[4] = {"roles", "org", "document ids", "folder ids"};
	struct qerr err;
	size_t words, with;
	char before[2048];
	for (int d = 0; d < 3; d++)
		q_uuid_new(wid[d]);
	json_array_append_new(ids, json_string(wid[1]));
	json_array_append_new(ids, json_string(wid[2]));
	put_doc((struct put_doc){wid[0], "wstore", "kbw", NULL, NULL, "[\"hr\"]", 1, 0});
	put_doc((struct put_doc){wid[1], "wstore", "kbw", "ow", NULL, NULL, 1, 0});
	put_doc((struct put_doc){wid[2], "wstore", "kbw", "ow", NULL, NULL, 1, 0});
	for (unsigned i = 0; i < 3; i++)
		put_chunk(wid[0], i, m_text[i]);
	put_chunk(wid[1], 0, "The heart muscle weakens when the coronary arteries narrow.");
	for (unsigned i = 0; i < 36; i++) {
		char t[128];
		snprintf(t, sizeof t, "The %s and the %s near the %s.", filler[i % 6],
			 filler[(i / 6) % 6], filler[(i + 3) % 6]);
		put_chunk(wid[2], i, t);
	}
	conf.search_word_context = 10;
	conf.search_feedback_chunks = 0;
	conf.search_word_context_stored = 1;
	conf.search_word_context_stored_min = 1;   /* every word (the rare ones below) */

	/* none stored yet: learned at query time */
	unsigned long h0 = search_context_stored_hits();
	snprintf(before, sizeof before, "%s", fresh(&acct, SEARCH_SEMANTIC, q));
	is_str(order(&acct, SEARCH_SEMANTIC, q), before, "nothing stored: the contexts learned afresh");
	ok(search_context_stored_hits() == h0, "nothing stored: none read");

	ok(search_context_look(s, &conf, EMBED_BUILTIN_MODEL, &err) == 1, "quire-embed's look computes them");
	ok(search_context_look(s, &conf, EMBED_BUILTIN_MODEL, &err) == 0, "and not again while current");
	ok(search_context_build(s, &conf, "wstore", &words, &with, &err) == Q_OK && words > 20 &&
	   with > 0 && with <= words, "built again: %zu words, %zu with a context", words, with);

	/* the whole account and a knowledge base of it read them, with the
	 * same ranking as learned afresh */
	for (int m = SEARCH_SEMANTIC; m <= SEARCH_HYBRID; m++) {
		const char *queries[2] = {q, "heart muscle blocked"};
		for (int i = 0; i < 2; i++) {
			snprintf(before, sizeof before, "%s", fresh(&acct, m, queries[i]));
			h0 = search_context_stored_hits();
			order(&acct, m, queries[i]);
			ok(ranks_alike(0.01), "method %d, '%s': stored contexts rank as learned afresh",
			   m, queries[i]);
			ok(search_context_stored_hits() > h0, "method %d, '%s': read from the store", m,
			   queries[i]);
		}
	}
	vcache_memo_clear();
	h0 = search_context_stored_hits();
	order(&kb, SEARCH_HYBRID, q);
	ok(search_context_stored_hits() > h0, "a knowledge base's query reads them too");
	int whole = h_rank(&acct, q);
	ok(whole < 10, "the whole account: H is found by the word's context (rank %d)", whole);

	/* narrower filters learn from what they may see: M is hidden from
	 * role eng, and the context it would give never reaches them */
	for (int i = 0; i < 4; i++) {
		snprintf(before, sizeof before, "%s", fresh(&narrow[i], SEARCH_SEMANTIC, q));
		h0 = search_context_stored_hits();
		is_str(order(&narrow[i], SEARCH_SEMANTIC, q), before, "%s filter: learned afresh",
		       narrow_name[i]);
		ok(search_context_stored_hits() == h0, "%s filter: nothing stored read", narrow_name[i]);
	}
	vcache_memo_clear();
	int hidden = h_rank(&narrow[0], q);
	ok(hidden > whole, "role eng (M hidden): H not brought up by M's text (rank %d against %d)",
	   hidden, whole);

	/* M deleted: 3 of 40 chunks changed, past the share 0.05; with the
	 * share 1 the stored contexts would still be read and still carry
	 * M's text */
	del(T_CHUNKS, wid[0]);
	conf.search_word_context_stale = 1;
	vcache_memo_clear();
	h0 = search_context_stored_hits();
	int stale = h_rank(&acct, q);
	ok(search_context_stored_hits() > h0 && stale < 10,
	   "share 1: the stale contexts are read and still carry the deleted text (rank %d)", stale);
	conf.search_word_context_stale = 0.05;
	vcache_memo_clear();
	h0 = search_context_stored_hits();
	snprintf(before, sizeof before, "%s", fresh(&acct, SEARCH_SEMANTIC, q));
	is_str(order(&acct, SEARCH_SEMANTIC, q), before, "past the share: learned afresh");
	ok(search_context_stored_hits() == h0, "past the share: none read");
	ok(search_context_look(s, &conf, EMBED_BUILTIN_MODEL, &err) == 1, "due again: computed again");
	vcache_memo_clear();
	h0 = search_context_stored_hits();
	int after = h_rank(&acct, q);
	ok(after > whole && after == h_rank_fresh(&acct, q),
	   "refreshed: the deleted document's text no longer brings H up (rank %d, as afresh)", after);
	snprintf(before, sizeof before, "%s", fresh(&acct, SEARCH_HYBRID, "heart muscle blocked"));
	h0 = search_context_stored_hits();
	order(&acct, SEARCH_HYBRID, "heart muscle blocked");
	ok(ranks_alike(0.01), "refreshed: ranks as learned afresh");
	ok(search_context_stored_hits() > h0, "refreshed: read from the store");

	/* search_word_context_stored_min 2: "narrow" (in H's chunk alone) is
	 * left to queries, "garden" (in 18 filler chunks) stored; the setting
	 * changed makes them due again */
	size_t all_words = words;
	ok(search_context_build(s, &conf, "wstore", &all_words, &with, &err) == Q_OK,
	   "min 1: built (%zu words)", all_words);
	conf.search_word_context_stored_min = 2;
	ok(search_context_look(s, &conf, EMBED_BUILTIN_MODEL, &err) == 1,
	   "min changed: computed again");
	ok(search_context_build(s, &conf, "wstore", &words, &with, &err) == Q_OK && words > 0 &&
	   words < all_words, "min 2: %zu words stored of %zu", words, all_words);
	for (int m = SEARCH_SEMANTIC; m <= SEARCH_HYBRID; m++) {
		snprintf(before, sizeof before, "%s", fresh(&acct, m, "garden narrow"));
		h0 = search_context_stored_hits();
		order(&acct, m, "garden narrow");
		ok(ranks_alike(0.01), "method %d, min 2: a stored and a rare word rank as learned afresh",
		   m);
		ok(search_context_stored_hits() == h0 + 1,
		   "method %d, min 2: the common word read, the rare one learned (%lu)", m,
		   search_context_stored_hits() - h0);
	}

	/* a rebuild of the keyword index: while it clears and refills the
	 * index, no context is computed from part of it; after, they are */
	conf.search_word_context_stored_min = 1;   /* due again */
	if (store_run(s, clear_begin_fn, NULL, &err) != Q_OK)
		bail_out("clear: %s", err.msg);
	ok(search_context_look(s, &conf, EMBED_BUILTIN_MODEL, &err) == 0,
	   "index being cleared: quire-embed's look computes none");
	is_int(search_context_build(s, &conf, "wstore", &words, &with, &err), Q_ESTATE,
	       "index being cleared: quire-admin word-contexts refused (%s)", err.msg);
	vcache_memo_clear();
	h0 = search_context_stored_hits();
	order(&acct, SEARCH_HYBRID, "heart muscle blocked");
	ok(search_context_stored_hits() == h0, "index being cleared: none stored read");
	FILE *out = tmpfile();
	is_int(admin_reindex(s, out, out), 0, "the rebuild ends");
	if (out)
		fclose(out);
	ok(search_context_look(s, &conf, EMBED_BUILTIN_MODEL, &err) == 1,
	   "index whole again: computed");
	snprintf(before, sizeof before, "%s", fresh(&acct, SEARCH_HYBRID, "heart muscle blocked"));
	h0 = search_context_stored_hits();
	order(&acct, SEARCH_HYBRID, "heart muscle blocked");
	ok(search_context_stored_hits() > h0, "after the rebuild: read from the store");
	ok(ranks_alike(0.01), "after the rebuild: ranking as learned afresh");
	json_decref(eng);
	json_decref(ids);
	qconf_defaults(&conf);
	snprintf(conf.datadir, sizeof conf.datadir, "%s", dir);
}

/* The word contexts' background sample is chosen by the chunks' contents:
 * the cache built as the chunks arrived and the cache reloaded in key
 * order (another order of the same chunks) give the same vectors in the
 * same order, so a load's arrival order does not move the ranking. */
#define SAMPLE_N 64
struct sample_run {
	float v[SAMPLE_N][EMBED_BUILTIN_DIMS];
	size_t n, distinct;
};

static enum qstatus sample_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct sample_run *x = arg;
	struct vcache *c = vcache_lock();
	vref refs[SAMPLE_N];
	enum qstatus st = vcache_sync(c, t, EMBED_BUILTIN_MODEL, (size_t)conf.search_cache_mb << 20, err);
	x->n = st == Q_OK ? vcache_sample(c, SAMPLE_N, refs) : 0;
	x->distinct = 0;
	for (size_t i = 0; i < x->n; i++) {
		if (!vcache_vector(c, t, refs[i], EMBED_BUILTIN_DIMS, x->v[i]))
			memset(x->v[i], 0, sizeof x->v[i]);
		size_t j = 0;
		while (j < i && refs[j] != refs[i])
			j++;
		x->distinct += j == i;
	}
	vcache_unlock(c);
	return st;
}

static void test_sample_order(void)
{
	static struct sample_run a, b;
	struct qerr err;
	if (store_run(s, sample_fn, &a, &err) != Q_OK)
		bail_out("sample: %s", err.msg);
	vcache_reset();
	if (store_run(s, sample_fn, &b, &err) != Q_OK)
		bail_out("sample: %s", err.msg);
	ok(a.n == SAMPLE_N && a.distinct == SAMPLE_N && b.n == SAMPLE_N,
	   "the background sample holds %d distinct chunks of the cache (%zu, %zu)", SAMPLE_N,
	   a.distinct, b.n);
	ok(!memcmp(a.v, b.v, sizeof a.v),
	   "... the same vectors in the same order after a reload in key order");
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--kernel-only"))
		return kernel_errors() != 0;
	qconf_defaults(&conf);
	unit_tmpdir(dir, "search");
	snprintf(conf.datadir, sizeof conf.datadir, "%s", dir);
	s = unit_store(dir);
	emb = embed_builtin_new(LANG_EN);
	build();
	test_filters();
	test_gate_ref();
	test_incremental();
	test_cap();
	test_prefilter();
	test_memo();
	test_code();
	test_hits();
	test_kernel();
	test_best();
	test_vmap();
	test_other_environment();
	test_query_langs();
	test_fusion();
	test_context_idf();
	test_sample_order();
	test_stored_contexts();
	embed_builtin_free(emb);
	store_close(s);
	unit_rmtree(dir);
	return done_testing();
}
