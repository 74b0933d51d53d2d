/* bench_search.c: search latency in a warm worker at growing collection
 * sizes, through libquire as a worker runs it (one transaction per query,
 * the process's search cache kept between queries).
 *
 * usage: bench_search [SIZES [QUERIES]]   e.g. bench_search 10000,100000 300
 *
 * Builds a store in a temporary directory: documents of 10 chunks, one in
 * ten in another account (the filter skips them inside the scans), each
 * chunk ~4 sentences drawn from BEIR SciFact abstracts
 * ($BENCH_DATA/scifact, by default $top_srcdir/../shared/bench) or, without it, from generated
 * text, indexed for BM25 and embedded with the builtin model. At each size
 * it times the first query after the growth (the cache catching up) and
 * then QUERIES warm queries (SciFact claims, or generated ones) per
 * method (keyword first with the postings cache off, as before it), top_k
 * 10, printing p50 and p95 in milliseconds (wall clock, and
 * the process's CPU time, which other load on the machine disturbs less).
 * Then: the share of the query terms' postings the keyword top 10 decoded
 * (block-max WAND, or term at a time), whether term at a time and WAND
 * return the same keyword top 10 for every query, the keyword queries' CPU
 * p50 again (their postings now read: the evaluation's part of the row),
 * the semantic and the hybrid top 10 with the
 * binary prefilter against the exact scan (recall@10; search_exact_max), the vector scan alone
 * (vcache_top, exact and prefiltered, interleaved query by query), the files' bytes per chunk
 * and the process's peak memory. Hybrid is timed twice: with the word contexts' memo
 * (vcache_memo_get) kept across the method's distinct queries, and emptied before every query.
 * Building prints its rate and CPU time per chunk (BENCH_TXN_DOCS documents per
 * transaction, commits without a sync until the end: store_bulk_nosync). With BENCH_SEARCH_DIR set, the store is
 * kept there and reused by later runs (BENCH_SEARCH_NO_GROW=1: measure
 * what is there; BENCH_SEARCH_METHODS=keyword,hybrid: only those;
 * BENCH_SEARCH_METHODS=scan: the scan alone; BENCH_NO_MEMO=1: the memo emptied before every query
 * (=2: its words forgotten, the background kept, as a worker's); BENCH_KEYWORD_COLD=0: no keyword
 * row with the postings cache off; BENCH_EXACT_MAX=N: search_exact_max;
 * BENCH_PRF=DOCS,TERMS,WEIGHT: pseudo-relevance feedback (0,10,1: off);
 * BENCH_SPELLING=0 or 1: search_spelling; BENCH_TITLE_HYBRID=N:
 * search_title_match_hybrid_depth;
 * BENCH_TAAT=0, 1 or 2: block-max WAND, term at a time or MaxScore (in
 * windows of chunk numbers) for every keyword query; BENCH_BM25=K1,B: BM25's k1 and b; BENCH_SEARCH_KEYWORD_ONLY=1: grow the keyword index and the documents
 * only, no chunk records or vectors, to reach a million chunks sooner;
 * BENCH_IVF_TRAIN=1: train the inverted file's centroids (ivf.c) before
 * measuring, BENCH_IVF_LISTS=N lists (0: the default rule); BENCH_IVF_PROBE=N:
 * search_ivf_probe, 0: the inverted file not used; BENCH_IVF_SHARE=S:
 * search_ivf_probe_share; BENCH_IVF_RESCORE=N:
 * search_ivf_rescore; BENCH_IVF_SIGNS=M: search_ivf_signs;
 * BENCH_IVF_CURVE=P:N:M,...: hybrid's recall at each probe, rescore and
 * signs count; BENCH_WARM=W: the steady rows' other claims, below;
 * BENCH_SEARCH_PAUSE=S: sleep S seconds before each measured row (default
 * 0), so the row is a worker's after an idle while, as a real server's
 * queries come: after ~30 s (vm.dirty_expire_centisecs) the kernel has
 * written the region files' dirty pages back and write-protected them,
 * and the cache pays a write fault for each buffer it then touches;
 * BENCH_SEARCH_PAUSE_EACH=1: the pause before every query of the rows
 * instead (each one the first after a pause; keep QUERIES small, a row
 * takes QUERIES * S seconds); BENCH_DB_REGION_MEMORY=files or system:
 * db_region_memory (system: the regions in System V memory). Last,
 * keyword and hybrid in a worker's steady state: its caches emptied, W
 * other claims served, then the measured ones. Each size also prints
 * a cold worker's first query (the cache emptied: its load, the lists). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "store/docs.h"
#include "store/chunks.h"
#include "store/accounts.h"
#include "embed/embed_builtin.h"
#include "embed/embedder.h"
#include "embed/vectors.h"
#include "store/lexical.h"
#include "store/lexical_query.h"
#include "search/search.h"
#include "search/search_hits.h"
#include "search/search_context.h"
#include "store/store.h"
#include "base/util.h"
#include "search/vcache.h"
#include "search/vscan.h"
#include "bench_stats.h"
#include "../xorshift.h"

#include <ftw.h>
#include <limits.h>
#include <sys/resource.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNKS_PER_DOC 10
/* Documents per building transaction (BENCH_TXN_DOCS): the bench loads in
 * large transactions whose commits do not wait for the disk
 * (store_bulk_nosync), one sync at the end, and checkpoints every
 * CHECKPOINT_CHUNKS (removing the logs) so the log stays bounded at a
 * million chunks. Only the benchmark's loading; the product's own commits
 * are unchanged. */
#define DOCS_PER_TXN 100
#define CHECKPOINT_CHUNKS 100000

static struct store *store;
static struct qconf conf;
static char account[37], kb[37], other[37], other_kb[37];
static char **sentences;
static size_t nsentences;
static char **queries;
static size_t nqueries;
static unsigned rng = 2463534242u;

static unsigned next(void)
{
	return xorshift32(&rng);
}

static void add(char ***v, size_t *n, char *s)
{
	if (!(*n & (*n + 1)) || *n == 0) {
		char **p = realloc(*v, (*n + 1) * 2 * sizeof *p);
		if (!p)
			exit(1);
		*v = p;
	}
	(*v)[(*n)++] = s;
}

/* Sentences of a text (split at ". ") into the pool. */
static void split_sentences(const char *text)
{
	const char *p = text;
	while (*p) {
		const char *e = strstr(p, ". ");
		size_t len = e ? (size_t)(e - p) + 1 : strlen(p);
		if (len > 20)
			add(&sentences, &nsentences, strndup(p, len));
		p += len;
		while (*p == ' ')
			p++;
	}
}

static int load_scifact(void)
{
	const char *top = getenv("top_srcdir"), *data = getenv("BENCH_DATA");
	char path[PATH_MAX], dir[PATH_MAX];
	if (data && *data)
		snprintf(dir, sizeof dir, "%s", data);
	else
		snprintf(dir, sizeof dir, "%s/../shared/bench", top ? top : ".");
	snprintf(path, sizeof path, "%s/scifact/corpus.jsonl", dir);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) > 0) {
		json_t *d = json_loads(line, 0, NULL);
		if (d)
			split_sentences(json_string_value(json_object_get(d, "text")) ?: "");
		json_decref(d);
	}
	fclose(f);
	snprintf(path, sizeof path, "%s/scifact/queries.jsonl", dir);
	if ((f = fopen(path, "r"))) {
		while (getline(&line, &cap, f) > 0) {
			json_t *q = json_loads(line, 0, NULL);
			if (q && json_is_string(json_object_get(q, "text")))
				add(&queries, &nqueries, strdup(json_string_value(json_object_get(q, "text"))));
			json_decref(q);
		}
		fclose(f);
	}
	free(line);
	return nsentences ? 0 : -1;
}

/* Without SciFact: sentences of pseudo-words with Zipf-like frequencies. */
static void generate(void)
{
	static const char *syl[] = {"ka", "lo", "mi", "ne", "ru", "ta", "vo", "si", "pe", "da",
				    "gu", "fi", "ho", "ze", "bu", "ly", "ro", "te", "an", "or"};
	enum { VOCAB = 20000 };
	char **words = malloc(VOCAB * sizeof *words);
	for (size_t w = 0; w < VOCAB; w++) {
		char buf[32] = "";
		for (size_t k = w, n = 0; n < 2 || k; k /= 20, n++)
			strcat(buf, syl[k % 20]);
		words[w] = strdup(buf);
	}
	for (size_t s = 0; s < 60000; s++) {
		struct qbuf b;
		qbuf_init(&b, 4096);
		for (int k = 0; k < 25; k++) {
			/* rank ~ VOCAB^u: a heavy head and a long tail */
			double u = (double)(next() % 10000) / 10000;
			size_t w = (size_t)(__builtin_pow(VOCAB, u)) - 1;
			qbuf_printf(&b, "%s%s", k ? " " : "", words[w % VOCAB]);
		}
		qbuf_adds(&b, ".");
		add(&sentences, &nsentences, b.data);
		if (s % 100 == 0)
			add(&queries, &nqueries, strndup(b.data, 80));
	}
	for (size_t w = 0; w < VOCAB; w++)
		free(words[w]);
	free(words);
}

/* ---- building the collection ------------------------------------------- */

struct grow {
	size_t docs;
	struct embed_builtin *e;
	int keyword_only;
};

static enum qstatus grow_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct grow *g = arg;
	enum qstatus st = Q_OK;
	for (size_t d = 0; st == Q_OK && d < g->docs; d++) {
		char id[37];
		int mine = next() % 10 != 0;
		q_uuid_new(id);
		json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:i}", "id", id, "account",
					mine ? account : other, "kb", mine ? kb : other_kb, "title", id,
					"enabled", 1, "archived", 0, "hit_count", 0);
		st = store_put(t, T_DOCS, id, doc, err);
		json_decref(doc);
		for (unsigned c = 0; st == Q_OK && c < CHUNKS_PER_DOC; c++) {
			struct qbuf b;
			float v[EMBED_BUILTIN_DIMS];
			char key[64];
			qbuf_init(&b, 1 << 16);
			for (int k = 0; k < 4; k++)
				qbuf_printf(&b, "%s%s", k ? " " : "", sentences[next() % nsentences]);
			json_t *rec = json_pack("{s:s, s:i, s:i, s:b}", "text", b.data, "lang", (int)LANG_EN,
						"hit_count", 0, "enabled", 1);
			snprintf(key, sizeof key, "%s:%08u", id, c);
			if (g->keyword_only) {   /* the keyword index alone: no record, no vector */
				struct lexical_chunk lc = {b.data, NULL, NULL, LANG_EN};
				st = lexical_add(t, mine ? account : other, key, &lc, err);
			} else {
				embed_builtin_text(g->e, b.data, b.len, v);
				st = chunk_put(t, id, c, rec, err);
				if (st == Q_OK)
					st = vector_put(t, key, EMBED_BUILTIN_MODEL, v, EMBED_BUILTIN_DIMS, err);
			}
			json_decref(rec);
			qbuf_free(&b);
		}
	}
	return st;
}

static enum qstatus count_fn(struct stxn *t, void *arg, struct qerr *err)
{
	double n, n2 = 0, avgdl;
	enum qstatus st = lexical_collection(t, account, &n, &avgdl, err);
	if (st == Q_OK)
		st = lexical_collection(t, other, &n2, &avgdl, err);
	*(size_t *)arg = (size_t)(n + n2);   /* both accounts' chunks */
	return st;
}

static enum qstatus accounts_fn(struct stxn *t, void *arg, struct qerr *err)
{
	int created;
	enum qstatus st;
	if ((st = account_ensure(t, "bench", account, &created, err)) != Q_OK ||
	    (st = account_default_kb(t, account, kb, err)) != Q_OK ||
	    (st = account_ensure(t, "other", other, &created, err)) != Q_OK)
		return st;
	return account_default_kb(t, other, other_kb, err);
}

/* ---- timing -------------------------------------------------------------- */

struct query {
	const char *text;
	enum search_method method;
	size_t n;
	struct search_hit *hits;      /* kept when not NULL on entry: set */
};

static enum qstatus query_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct query *q = arg;
	struct search_filter f = {.account = account, .kb = kb};
	struct search_hit *hits = NULL;
	enum qstatus st = search_run(t, &conf, &f, q->method, q->text, 10, &hits, &q->n, err);
	if (q->hits && st == Q_OK)
		memcpy(q->hits, hits, q->n * sizeof *hits);
	free(hits);
	return st;
}

static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double last_cpu;   /* CPU ms of the last run_one */
static struct embed_builtin *bench_embedder;

static double run_into(const char *text, enum search_method m, struct search_hit *keep,
		       size_t *n)
{
	struct query q = {text, m, 0, keep};
	struct qerr err;
	double c0 = cpu_ms();
	int64_t t0 = q_now_us();
	if (store_run(store, query_fn, &q, &err) != Q_OK) {
		fprintf(stderr, "search: %s\n", err.msg);
		exit(1);
	}
	search_hits_discard(NULL);   /* no worker here to write hit counts */
	double ms = (double)(q_now_us() - t0) / 1000.0;
	last_cpu = cpu_ms() - c0;
	if (n)
		*n = q.n;
	return ms;
}

static double run_one(const char *text, enum search_method m)
{
	return run_into(text, m, NULL, NULL);
}

/* ---- what the keyword top 10 reads ------------------------------------- */

struct reads {
	const char *text;
	struct lexical_qstats st;
};

static enum qstatus reads_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct reads *r = arg;
	unsigned langs;
	enum text_lang primary;
	struct lexical_word *w = NULL;
	struct lexical_hit hits[10];
	struct lexq *q = NULL;
	size_t nw, nh;
	enum qstatus st = lexical_query_langs(t, account, r->text, &langs, &primary, err);
	if (st == Q_OK)
		st = lexical_words(r->text, langs, &w, &nw, err);
	if (st == Q_OK)
		st = lexical_query_new(t, account, w, nw, &q, err);
	if (st == Q_OK)
		st = lexical_query_top(q, 10, NULL, NULL, hits, &nh, err);
	if (st == Q_OK)
		lexical_query_stats(q, &r->st);
	lexical_query_free(q);
	free(w);
	return st;
}

static void postings_read(size_t nq)
{
	double postings = 0, decoded = 0, blocks = 0, bdec = 0, scored = 0, summed = 0, probed = 0;
	struct qerr err;
	for (size_t i = 0; i < nq; i++) {
		struct reads r = {queries[(i + 1) % nqueries], {0, 0, 0, 0, 0, 0, 0}};
		if (store_run(store, reads_fn, &r, &err) != Q_OK)
			return;
		postings += (double)r.st.postings;
		decoded += (double)r.st.decoded;
		blocks += (double)r.st.blocks;
		bdec += (double)r.st.blocks_decoded;
		scored += (double)r.st.scored;
		summed += (double)r.st.summed;
		probed += (double)r.st.probed;
	}
	const char *taat = getenv("BENCH_TAAT");
	printf("  keyword top 10 (%s): %.0f postings per query, %.1f%% decoded "
	       "(%.1f%% of blocks), %.0f chunks scored\n",
	       taat && *taat == '0' ? "block-max WAND" : taat && *taat == '1' ? "term at a time"
	       : taat && *taat == '2' ? "MaxScore"
	       : "by the rule: from 4 terms term at a time, MaxScore from 150,000 chunks (90,000 for k under 50)", postings / (double)nq,
	       postings > 0 ? 100 * decoded / postings : 0, blocks > 0 ? 100 * bdec / blocks : 0,
	       scored / (double)nq);
	if (summed > 0)
		printf("  keyword top 10, MaxScore: %.0f postings summed in its windows, %.0f chunks probed, per query\n",
		       summed / (double)nq, probed / (double)nq);
}

/* ---- term at a time against WAND on the benchmark's queries -------------- */

static void taat_agrees(size_t nq)
{
	struct search_hit a[10], b[10], c[10];
	size_t na, nb, nc, same = 0, same_pruned = 0;
	for (size_t i = 0; i < nq; i++) {
		const char *text = queries[(i + 1) % nqueries];
		lexical_set_eval(LEXICAL_EVAL_WAND);
		run_into(text, SEARCH_KEYWORD, a, &na);
		lexical_set_eval(LEXICAL_EVAL_TAAT);
		run_into(text, SEARCH_KEYWORD, b, &nb);
		lexical_set_eval(LEXICAL_EVAL_MAXSCORE);   /* MaxScore */
		run_into(text, SEARCH_KEYWORD, c, &nc);
		int eq = na == nb, eqp = nc == nb;
		for (size_t j = 0; eq && j < na; j++)
			eq = !strcmp(a[j].chunk, b[j].chunk) && a[j].score == b[j].score;
		for (size_t j = 0; eqp && j < nc; j++)
			eqp = !strcmp(c[j].chunk, b[j].chunk) && c[j].score == b[j].score;
		same += eq;
		same_pruned += eqp;
	}
	const char *taat = getenv("BENCH_TAAT");
	lexical_set_eval(taat && *taat ? (enum lexical_eval)atoi(taat) : LEXICAL_EVAL_RULE);
	printf("  keyword: term at a time and block-max WAND return the same top 10 (chunks and "
	       "scores) for %zu of %zu queries; MaxScore and term at a time for "
	       "%zu of %zu\n", same, nq, same_pruned, nq);
}

/* The keyword queries again, every term's postings now in the process's
 * cache and Berkeley DB's (the keyword row above read most of them for
 * the first time in this process): the evaluation's part of that row. */
static void keyword_again(size_t nq)
{
	double *cpu = malloc(nq * sizeof *cpu);
	struct search_hit keep[10];
	size_t got;
	if (!cpu)
		return;
	for (size_t i = 0; i < nq; i++) {
		run_into(queries[(i + 1) % nqueries], SEARCH_KEYWORD, keep, &got);
		cpu[i] = last_cpu;
	}
	bench_sort(cpu, nq);
	printf("  keyword, the same queries again (their postings read): cpu p50 %.2f ms  p95 %.2f ms\n",
	       bench_pct(cpu, nq, 500), bench_pct(cpu, nq, 950));
	free(cpu);
}

/* ---- the binary prefilter against the exact scan -------------------------- */

/* The top 10 of method m with the prefilter against the exact scan's:
 * recall@10 and the prefilter's CPU p50. */
static void recall_of(enum search_method m, size_t chunks, size_t nq)
{
	struct search_hit exact[10], pre[10];
	size_t ne, np, found = 0, want = 0;
	double *ms = malloc(nq * sizeof *ms);
	int keep = conf.search_exact_max;
	for (size_t i = 0; i < nq; i++) {
		const char *text = queries[(i + 1) % nqueries];
		conf.search_exact_max = INT_MAX;
		run_into(text, m, exact, &ne);
		conf.search_exact_max = 0;
		run_into(text, m, pre, &np);
		ms[i] = last_cpu;
		for (size_t a = 0; a < ne; a++)
			for (size_t b = 0; b < np; b++)
				if (!strcmp(exact[a].chunk, pre[b].chunk)) {
					found++;
					break;
				}
		want += ne;
	}
	conf.search_exact_max = keep;
	bench_sort(ms, nq);
	struct vcache_stats vs;
	vcache_stats(&vs);
	printf("  %s with the %s (search_exact_max %d; exact at this size: %s): "
	       "recall@10 %.4f against exact, cpu p50 %.2f ms\n", m == SEARCH_HYBRID ? "hybrid" : "semantic",
	       m == SEARCH_HYBRID && vs.ivf_lists && conf.search_ivf_probe
	       ? "inverted file and the keyword candidates" : "binary prefilter",
	       keep, chunks > (size_t)keep ? "no" : "yes", want ? (double)found / (double)want : 0,
	       bench_pct(ms, nq, 500));
	free(ms);
}

/* ---- the vector scan alone: exact and the prefilter -------------------- */

struct scan {
	struct embed_builtin *e;
	size_t nq, k;
	double *ms[3];
};

static double scan_one(struct vcache *c, struct vgate *g, const struct vquery *q, size_t k,
		       int mode, struct vscored *out)
{
	size_t n;
	struct qerr err;
	vcache_set_exact_max(mode ? 0 : SIZE_MAX);
	double c0 = cpu_ms();
	if (mode == 2)   /* the inverted file's lists (no keyword hints) */
		vcache_top_hinted(c, g, q, k, NULL, 0, out, &n, &err);
	else
		vcache_top(c, g, q, k, out, &n, &err);
	return cpu_ms() - c0;
}

static enum qstatus scan_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct scan *s = arg;
	struct search_filter f = {.account = account, .kb = kb};
	struct vcache *c = vcache_lock();
	struct vgate *g = NULL;
	struct vscored *out = malloc(s->k * sizeof *out);
	vcache_set_ivf_probe((size_t)conf.search_ivf_probe);
	vcache_set_ivf_share(conf.search_ivf_probe_share);
	vcache_set_ivf_rescore((size_t)conf.search_ivf_rescore);
	vcache_set_ivf_signs((size_t)conf.search_ivf_signs);
	enum qstatus st = vcache_sync(c, t, EMBED_BUILTIN_MODEL, (size_t)conf.search_cache_mb << 20, err);
	if (st == Q_OK && (!(g = vgate_new(c, t, &f)) || !out))
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; st == Q_OK && i < s->nq; i++) {
		const char *text = queries[(i + 1) % nqueries];
		float v[EMBED_BUILTIN_DIMS], scale;
		int8_t q8[EMBED_BUILTIN_DIMS];
		embed_builtin_text(s->e, text, strlen(text), v);
		embed_quantize(v, EMBED_BUILTIN_DIMS, q8, &scale);
		struct vquery *q = vquery_new(q8, EMBED_BUILTIN_DIMS, scale);
		for (int m = 0; q && m < 3; m++)   /* interleaved: the load moves them alike */
			s->ms[m][i] = scan_one(c, g, q, s->k, m, out);
		vquery_free(q);
	}
	vcache_set_exact_max((size_t)conf.search_exact_max);
	vgate_free(g);
	free(out);
	vcache_unlock(c);
	return st;
}

/* CPU p50 of the scan alone (vcache_top, top k) per way. */
static void scan_alone(struct embed_builtin *e, size_t nq)
{
	struct vcache_stats vs;
	vcache_stats(&vs);
	const char *ways[] = {"exact", "2-bit prefilter and int8 rescoring",
			      !vs.ivf_lists || !conf.search_ivf_probe ? "(no inverted file: the prefilter)"
			      : conf.search_ivf_rescore ? "inverted file (nearest lists' codes, int8 rescoring)"
			      : "inverted file (nearest lists, int8)"};
	for (size_t k = 10; k <= 100; k += 90) {
		struct scan s = {e, nq, k, {malloc(nq * sizeof(double)), malloc(nq * sizeof(double)),
					    malloc(nq * sizeof(double))}};
		struct qerr err;
		struct vcache_stats v0, v1;
		vcache_stats(&v0);
		if (store_run(store, scan_fn, &s, &err) != Q_OK)
			fprintf(stderr, "scan: %s\n", err.msg);
		else
			for (int m = 0; m < 3; m++) {
				bench_sort(s.ms[m], nq);
				printf("  vector scan alone, top %zu, %s: cpu p50 %.3f ms, p95 %.3f ms\n", k,
				       ways[m], bench_pct(s.ms[m], nq, 500), bench_pct(s.ms[m], nq, 950));
			}
		vcache_stats(&v1);
		if (v1.ivf_scanned > v0.ivf_scanned)
			printf("  inverted file: %.0f vectors in the lists scanned per query\n",
			       (double)(v1.ivf_scanned - v0.ivf_scanned) / (double)nq);
		for (int m = 0; m < 3; m++)
			free(s.ms[m]);
	}
}

/* ---- the inverted file ------------------------------------------------------ */

struct train {
	unsigned nlist;
	struct vcache_stats st;
};

static enum qstatus train_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct train *tr = arg;
	struct vcache *c = vcache_lock();
	enum qstatus st = vcache_sync(c, t, EMBED_BUILTIN_MODEL, (size_t)conf.search_cache_mb << 20, err);
	if (st == Q_OK)
		st = vcache_ivf_train(c, t, tr->nlist, err);
	vcache_unlock(c);
	return st;
}

/* Train the centroids (BENCH_IVF_TRAIN=1): CPU time, lists. */
static void ivf_build(size_t chunks)
{
	const char *tr = getenv("BENCH_IVF_TRAIN"), *nl = getenv("BENCH_IVF_LISTS");
	struct train a = {nl && *nl ? (unsigned)atoi(nl) : (unsigned)conf.search_ivf_lists, {0}};
	struct qerr err;
	if (!tr || *tr != '1')
		return;
	double c0 = cpu_ms();
	int64_t t0 = q_now_us();
	if (store_run(store, train_fn, &a, &err) != Q_OK) {
		fprintf(stderr, "ivf: %s\n", err.msg);
		return;
	}
	vcache_stats(&a.st);
	printf("  inverted file trained at %zu chunks: %u lists, %.1f s CPU, %.1f s wall "
	       "(sample k-means, storing, every vector put in its list)\n", chunks, a.st.ivf_lists,
	       (cpu_ms() - c0) / 1e3, (double)(q_now_us() - t0) / 1e6);
}

/* A cold worker's first hybrid query: the cache emptied, then loaded. */
static void cold_query(void)
{
	struct vcache_stats v;
	vcache_reset();
	double c0 = cpu_ms();
	double ms = run_one(queries[0], SEARCH_HYBRID);
	vcache_stats(&v);
	printf("  cold worker's first hybrid query: %.0f ms wall, %.0f ms CPU (loads %zu vectors, "
	       "inverted file: %u lists, search_ivf_probe %d, search_exact_max %d)\n", ms,
	       cpu_ms() - c0, v.vectors, v.ivf_lists, conf.search_ivf_probe, conf.search_exact_max);
}

/* BENCH_IVF_CURVE=P:N:M,P:N,...: hybrid's recall@10 and CPU p50 at each
 * search_ivf_probe P, search_ivf_rescore N and search_ivf_signs M (left
 * out: BENCH_IVF_SIGNS's), in one process; the curve's P alone
 * (search_ivf_probe_share 0). */
static void recall(size_t chunks, size_t nq)
{
	const char *curve = getenv("BENCH_IVF_CURVE");
	int probe = conf.search_ivf_probe, rescore = conf.search_ivf_rescore,
	    signs = conf.search_ivf_signs;
	double share = conf.search_ivf_probe_share;
	recall_of(SEARCH_SEMANTIC, chunks, nq);
	recall_of(SEARCH_HYBRID, chunks, nq);
	if (curve && *curve)
		conf.search_ivf_probe_share = 0;
	for (const char *p = curve ? curve : ""; *p;) {
		char *e;
		conf.search_ivf_probe = (int)strtol(p, &e, 10);
		conf.search_ivf_rescore = *e == ':' ? (int)strtol(e + 1, &e, 10) : rescore;
		conf.search_ivf_signs = *e == ':' ? (int)strtol(e + 1, &e, 10) : signs;
		printf("  search_ivf_probe %d, search_ivf_rescore %d, search_ivf_signs %d:",
		       conf.search_ivf_probe, conf.search_ivf_rescore, conf.search_ivf_signs);
		recall_of(SEARCH_HYBRID, chunks, nq);
		p = *e == ',' ? e + 1 : e + strlen(e);
	}
	conf.search_ivf_probe = probe;
	conf.search_ivf_rescore = rescore;
	conf.search_ivf_signs = signs;
	conf.search_ivf_probe_share = share;
}

static void file_sizes(const char *dir, size_t chunks)
{
	static const char *files[] = {"postings.db", "vectors.db", "chunks.db"};
	char path[PATH_MAX + 32];
	struct rusage ru;
	printf("  bytes per chunk:");
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		struct stat st;
		snprintf(path, sizeof path, "%s/db/%s", dir, files[i]);
		if (stat(path, &st) == 0)
			printf(" %s %.0f", files[i], (double)st.st_size / (double)chunks);
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("; peak memory %.0f MiB\n", (double)ru.ru_maxrss / 1024);
}

/* A worker in its steady state: its postings cache and word memo emptied,
 * then W other claims served (queries after the measured ones: none of
 * them is measured), then the measured claims timed. Their common words
 * are then as a worker that has served queries holds them, and their rare
 * words still new to it: between the first row (every word new to the
 * process) and the same queries asked again (every word read).
 * BENCH_WARM=W (default 500; 0: no such rows). */
static void steady(size_t nq)
{
	static const char *names[] = {"keyword", "semantic", "hybrid"};
	const char *only = getenv("BENCH_SEARCH_METHODS"), *wv = getenv("BENCH_WARM");
	size_t warm = wv && *wv ? (size_t)strtoul(wv, NULL, 10) : 500;
	if (nqueries <= nq + 1 || !warm)
		return;
	if (warm > nqueries - nq - 1)
		warm = nqueries - nq - 1;
	double *ms = malloc(nq * sizeof *ms), *cpu = malloc(nq * sizeof *cpu);
	for (int m = SEARCH_KEYWORD; ms && cpu && m <= SEARCH_HYBRID; m += 2) {
		if (only && *only && !strstr(only, names[m]))
			continue;
		lexical_set_cache_mb(0);   /* emptied; the next query sets it again */
		vcache_memo_clear();
		for (size_t i = 0; i < warm; i++)
			run_one(queries[nq + 1 + i], (enum search_method)m);
		for (size_t i = 0; i < nq; i++) {
			ms[i] = run_one(queries[(i + 1) % nqueries], (enum search_method)m);
			cpu[i] = last_cpu;
		}
		bench_sort(ms, nq);
		bench_sort(cpu, nq);
		printf("  %s, a worker that served %zu other claims first: p50 %6.2f ms  p95 %6.2f ms  "
		       "cpu p50 %6.2f ms  p95 %6.2f ms (%zu queries)\n", names[m], warm,
		       bench_pct(ms, nq, 500), bench_pct(ms, nq, 950), bench_pct(cpu, nq, 500),
		       bench_pct(cpu, nq, 950), nq);
	}
	free(ms);
	free(cpu);
}

static void measure(size_t chunks, size_t nq)
{
	static const char *names[] = {"keyword", "semantic", "hybrid", "keyword (postings cache off)",
				      "hybrid (word memo off)"};
	double *ms = malloc(nq * sizeof *ms), *cpu = malloc(nq * sizeof *cpu);
	double first = run_one(queries[0], SEARCH_HYBRID);
	printf("%zu chunks: first query after growth %.1f ms\n", chunks, first);
	const char *only = getenv("BENCH_SEARCH_METHODS");   /* e.g. "keyword" */
	int cache_mb = conf.search_postings_cache_mb;
	/* 1: every row as without the memo; 2: the words forgotten before
	 * each query but the background kept (a worker's: it samples one per
	 * cache state, where the emptied memo samples one every query) */
	const char *nm = getenv("BENCH_NO_MEMO");
	int no_memo = nm && (*nm == '1' || *nm == '2'), keep_bg = nm && *nm == '2';
	const char *cold = getenv("BENCH_KEYWORD_COLD");   /* 0: no row with the postings cache off */
	const char *pv = getenv("BENCH_SEARCH_PAUSE");   /* seconds before each query */
	unsigned pause = pv && *pv ? (unsigned)strtoul(pv, NULL, 10) : 0;
	const char *pe = getenv("BENCH_SEARCH_PAUSE_EACH");   /* 1: before every query */
	int each = pe && *pe == '1';
	/* keyword first with the postings cache off (every query reading the
	 * database, as before the cache), then every method with it, then
	 * hybrid with the word contexts' memo emptied before every query (each
	 * query's words never seen); each method starts with the memo empty,
	 * so only words shared by its own distinct queries are remembered */
	for (int r = -1; r <= SEARCH_HYBRID + 1; r++) {
		int m = r < 0 ? SEARCH_KEYWORD : r > SEARCH_HYBRID ? SEARCH_HYBRID : r;
		const char *name = names[r < 0 ? 3 : r > SEARCH_HYBRID ? 4 : m];
		struct vcache_stats v0, v1;
		if (only && *only && !strstr(only, names[m]))
			continue;
		if (r < 0 && cold && *cold == '0')
			continue;
		conf.search_postings_cache_mb = r < 0 ? 0 : cache_mb;
		vcache_memo_clear();
		vcache_stats(&v0);
		unsigned long sh0 = search_context_stored_hits();
		if (pause && !each)
			sleep(pause);
		for (size_t i = 0; i < nq; i++) {
			if ((r > SEARCH_HYBRID || no_memo) && keep_bg && i > 0)
				vcache_memo_keep("bg", 2);
			else if (r > SEARCH_HYBRID || no_memo)
				vcache_memo_clear();
			if (pause && each)
				sleep(pause);
			ms[i] = run_one(queries[(i + 1) % nqueries], (enum search_method)m);
			cpu[i] = last_cpu;
		}
		vcache_stats(&v1);
		bench_sort(ms, nq);
		bench_sort(cpu, nq);
		printf("  %-8s p50 %6.2f ms  p95 %6.2f ms  cpu p50 %6.2f ms  p95 %6.2f ms  "
		       "(%zu warm queries, %u s pause before %s, top_k 10; word memo %lu hits, %lu misses; "
		       "%lu words stored)\n", name, bench_pct(ms, nq, 500),
		       bench_pct(ms, nq, 950), bench_pct(cpu, nq, 500), bench_pct(cpu, nq, 950), nq, pause,
		       each ? "each" : "the row", v1.memo_hits - v0.memo_hits, v1.memo_misses - v0.memo_misses,
		       search_context_stored_hits() - sh0);
		fflush(stdout);
	}
	free(ms);
	free(cpu);
	if (!only || !*only || strstr(only, "keyword")) {
		postings_read(nq);
		taat_agrees(nq);
		keyword_again(nq);
	}
	if (!only || !*only || strstr(only, "semantic") || strstr(only, "hybrid"))
		recall(chunks, nq);
	if (!only || !*only || strstr(only, "scan"))
		scan_alone(bench_embedder, nq);
	steady(nq);
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

/* BENCH_CONTEXT_STORED=1: search_word_context_stored on, and the stored
 * word contexts computed (search_context_look, as quire-embed does) for
 * every account whose are missing or stale, timed; BENCH_CONTEXT_MIN:
 * search_word_context_stored_min other than the default. */
static void context_build(void)
{
	const char *cs = getenv("BENCH_CONTEXT_STORED"), *cm = getenv("BENCH_CONTEXT_MIN");
	struct qerr err;
	if (!cs || *cs != '1')
		return;
	conf.search_word_context_stored = 1;
	if (cm && *cm)
		conf.search_word_context_stored_min = atoi(cm);
	int64_t t0 = q_now_us();
	double c0 = cpu_ms();
	int r = search_context_look(store, &conf, EMBED_BUILTIN_MODEL, &err);
	if (r < 0)
		fprintf(stderr, "word contexts: %s\n", err.msg);
	printf("stored word contexts: %s in %.1f s (%.1f s CPU)\n",
	       r > 0 ? "computed" : r == 0 ? "current, none computed" : "failed",
	       (double)(q_now_us() - t0) / 1e6, (cpu_ms() - c0) / 1e3);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const char *sizes = argc > 1 ? argv[1] : "10000,100000";
	size_t nq = argc > 2 ? strtoul(argv[2], NULL, 10) : 300;
	char dir[PATH_MAX], home[PATH_MAX + 4];
	struct qerr err;
	const char *tmp = getenv("TMPDIR");

	if (load_scifact()) {
		printf("(no ../shared/bench/scifact: generated text)\n");
		generate();
	}
	const char *keep = getenv("BENCH_SEARCH_DIR");
	if (keep && *keep) {
		snprintf(dir, sizeof dir, "%s", keep);
		mkdir(dir, 0700);
	} else {
		snprintf(dir, sizeof dir, "%s/quire-bench-search-XXXXXX", tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(dir))
			return 1;
	}
	snprintf(home, sizeof home, "%s/db", dir);
	qconf_defaults(&conf);
	snprintf(conf.datadir, sizeof conf.datadir, "%s", dir);
	/* db_cache_mb as a worker's quired gives it: the default, or
	 * BENCH_DB_CACHE_MB to measure another setting. */
	/* BENCH_TAAT=0: block-max WAND always, 1: term at a time always, 2:
	 * MaxScore always (lexical_set_eval); unset: the evaluation's own rule */
	const char *taat = getenv("BENCH_TAAT");
	if (taat && *taat)
		lexical_set_eval((enum lexical_eval)atoi(taat));
	/* BENCH_BM25=K1,B: BM25 at other k1, b than the defaults (search_bm25_k1,
	 * search_bm25_b; WAND's block bounds are looser away from 1.2, 0.75) */
	const char *bm = getenv("BENCH_BM25");
	if (bm && *bm && sscanf(bm, "%lf,%lf", &conf.search_bm25_k1, &conf.search_bm25_b) == 2)
		printf("search_bm25_k1 = %g, search_bm25_b = %g\n", conf.search_bm25_k1,
		       conf.search_bm25_b);
	/* BENCH_EXACT_MAX=N: search_exact_max (exact scan up to N vectors) */
	const char *xm = getenv("BENCH_EXACT_MAX");
	if (xm && *xm)
		conf.search_exact_max = atoi(xm);
	printf("search_exact_max = %d\n", conf.search_exact_max);
	/* BENCH_PRF=DOCS,TERMS,WEIGHT: pseudo-relevance feedback's settings
	 * (search_prf_docs, search_prf_terms, search_prf_weight; on by default
	 * behind a head of search_prf_keep hits: 0,10,1 turns it off) */
	const char *prf = getenv("BENCH_PRF");
	if (prf && *prf && sscanf(prf, "%d,%d,%lf", &conf.search_prf_docs, &conf.search_prf_terms,
				  &conf.search_prf_weight) == 3)
		printf("search_prf_docs = %d, search_prf_terms = %d, search_prf_weight = %g\n",
		       conf.search_prf_docs, conf.search_prf_terms, conf.search_prf_weight);
	/* BENCH_TITLE_MATCH=WEIGHT,DEPTH: search_title_match and
	 * search_title_match_depth (the title read again; 0 turns it off) */
	const char *tm = getenv("BENCH_TITLE_MATCH");
	if (tm && *tm && sscanf(tm, "%lf,%d", &conf.search_title_match,
				&conf.search_title_match_depth) == 2)
		printf("search_title_match = %g, search_title_match_depth = %d\n",
		       conf.search_title_match, conf.search_title_match_depth);
	/* BENCH_TITLE_HYBRID=DEPTH: search_title_match_hybrid_depth */
	const char *th = getenv("BENCH_TITLE_HYBRID");
	if (th && *th)
		conf.search_title_match_hybrid_depth = atoi(th);
	printf("search_title_match_hybrid_depth = %d\n", conf.search_title_match_hybrid_depth);
	/* BENCH_CONTEXT_IDF=P: search_word_context_idf (a word's context
	 * weighs its idf to the power P) */
	const char *ci = getenv("BENCH_CONTEXT_IDF");
	if (ci && *ci)
		conf.search_word_context_idf = atof(ci);
	printf("search_word_context_idf = %g\n", conf.search_word_context_idf);
	/* BENCH_SPELLING=0 or 1: search_spelling (English words' other
	 * spellings looked up too) */
	const char *sp = getenv("BENCH_SPELLING");
	if (sp && *sp)
		conf.search_spelling = atoi(sp);
	printf("search_spelling = %d\n", conf.search_spelling);
	const char *ip = getenv("BENCH_IVF_PROBE");
	if (ip && *ip)
		conf.search_ivf_probe = atoi(ip);
	const char *ish = getenv("BENCH_IVF_SHARE");
	if (ish && *ish)
		conf.search_ivf_probe_share = atof(ish);
	const char *ir = getenv("BENCH_IVF_RESCORE");
	if (ir && *ir)
		conf.search_ivf_rescore = atoi(ir);
	const char *is = getenv("BENCH_IVF_SIGNS");
	if (is && *is)
		conf.search_ivf_signs = atoi(is);
	printf("search_ivf_probe = %d (or search_ivf_probe_share %g of the lists), "
	       "search_ivf_rescore = %d, search_ivf_signs = %d\n", conf.search_ivf_probe,
	       conf.search_ivf_probe_share, conf.search_ivf_rescore, conf.search_ivf_signs);
	const char *cmb = getenv("BENCH_DB_CACHE_MB");
	if (cmb && *cmb)
		conf.db_cache_mb = atoi(cmb);
	store_set_cache_mb((unsigned)conf.db_cache_mb);
	printf("db_cache_mb = %d\n", conf.db_cache_mb);
	/* BENCH_DB_REGION_MEMORY=system: db_region_memory (the regions in
	 * System V segments, removed again at the end) */
	const char *rm = getenv("BENCH_DB_REGION_MEMORY");
	if (rm && *rm)
		snprintf(conf.db_region_memory, sizeof conf.db_region_memory, "%s", rm);
	store_set_region_memory(!strcmp(conf.db_region_memory, "system"));
	if (store_open(&store, home, STORE_OWNER, &err) != Q_OK ||
	    store_run(store, accounts_fn, NULL, &err) != Q_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	const char *kwo = getenv("BENCH_SEARCH_KEYWORD_ONLY");
	const char *tdocs = getenv("BENCH_TXN_DOCS");
	struct grow g = {tdocs && atoi(tdocs) > 0 ? (size_t)atoi(tdocs) : DOCS_PER_TXN,
			 embed_builtin_new(LANG_EN), kwo && *kwo == '1'};
	size_t step = g.docs * CHUNKS_PER_DOC;
	bench_embedder = g.e;
	size_t have = 0;
	if (keep && *keep && store_run(store, count_fn, &have, &err) != Q_OK)
		return 1;
	for (const char *p = sizes; *p;) {
		size_t want = strtoul(p, (char **)&p, 10);
		int64_t t0 = q_now_us();
		const char *no_grow = getenv("BENCH_SEARCH_NO_GROW");
		if (no_grow && *no_grow == '1' && have > 0)
			want = have;
		size_t from = have;
		double c0 = cpu_ms();
		if (have < want && store_bulk_nosync(store, 1, &err) != Q_OK) {
			fprintf(stderr, "bulk: %s\n", err.msg);
			return 1;
		}
		for (; have < want; have += step) {
			if (store_run(store, grow_fn, &g, &err) != Q_OK) {
				fprintf(stderr, "grow: %s\n", err.msg);
				return 1;
			}
			if ((have + step) / CHECKPOINT_CHUNKS != have / CHECKPOINT_CHUNKS) {
				store_checkpoint(store, 1, &err);   /* the logs stay bounded */
				printf("(building: %zu chunks after %.0f s)\n", have + step,
				       (double)(q_now_us() - t0) / 1e6);
				fflush(stdout);
			}
		}
		if (store_bulk_nosync(store, 0, &err) != Q_OK ||   /* the one sync */
		    store_checkpoint(store, 1, &err) != Q_OK) {   /* a reused store opens quickly */
			fprintf(stderr, "sync: %s\n", err.msg);
			return 1;
		}
		double secs = (double)(q_now_us() - t0) / 1e6;
		printf("(built %zu chunks in %.1f s: %zu new at %.0f chunks/s, %.2f ms CPU each; "
		       "%zu documents per transaction)\n", have, secs, have - from,
		       secs > 0 ? (double)(have - from) / secs : 0,
		       have > from ? (cpu_ms() - c0) / (double)(have - from) : 0, g.docs);
		ivf_build(have);
		context_build();
		cold_query();
		measure(have, nq ? nq : 1);
		file_sizes(dir, have);
		while (*p == ',')
			p++;
	}
	struct vcache_stats vs;
	vcache_stats(&vs);
	printf("cache: %zu vectors, %zu documents, %lu reloads, %lu log entries applied, "
	       "kernel %s; inverted file %u lists (%lu vectors scanned in them)\n", vs.vectors, vs.docs,
	       vs.reloads, vs.applied, vs.kernel, vs.ivf_lists, vs.ivf_scanned);
	unsigned long ph, pm;
	size_t pb;
	lexical_cache_counts(&ph, &pm, &pb);
	printf("postings cache: %lu terms found, %lu read from the database, %.1f MiB held\n", ph, pm,
	       (double)pb / 1048576);
	embed_builtin_free(g.e);
	store_close(store);
	store_remove_regions(home);
	if (!keep || !*keep)
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
