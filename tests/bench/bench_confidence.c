/* bench_confidence.c: the figures behind chat's confidence thresholds
 * (docs/chat.md, "Confidence"): the retrieval evidence (search_hit match
 * and cosine) of the top hit of hybrid search on BEIR SciFact, when that
 * hit is relevant, when it is not, and for off-topic questions.
 *
 * usage: bench_confidence BENCH_DIR   (BENCH_DIR/scifact/corpus.jsonl, ...)
 *
 * Loads every abstract (title and text) as one document of one chunk,
 * embedded with the builtin model, in a temporary store, runs the training
 * claims and OFF_TOPIC below through search_run (hybrid, top_k 5, as chat
 * retrieves), and prints percentiles of each group and, for thresholds on
 * match and on cosine, the share of each group at or above them. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "store/docs.h"
#include "store/chunks.h"
#include "store/accounts.h"
#include "chat/chat.h"
#include "chat/chat_terms.h"
#include "store/lexical.h"
#include "embed/embed_builtin.h"
#include "embed/embedder.h"
#include "embed/vectors.h"
#include "search/search.h"
#include "search/search_hits.h"
#include "store/store.h"
#include "base/util.h"
#include "bench_stats.h"

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Questions an office knowledge base gets, about nothing in SciFact. */
static const char *const off_topic[] = {
	"What is the vacation policy for part-time employees?",
	"How do I reset my password for the HR portal?",
	"When is the quarterly sales meeting?",
	"What is the refund policy for damaged goods?",
	"How do I configure the office printer?",
	"Who won the football match last Sunday?",
	"What is the recipe for chocolate cake?",
	"How many days of paid parental leave do we get?",
	"Where can I park my car at the headquarters?",
	"What is the dress code on Fridays?",
	"How do I submit an expense report for travel?",
	"What is the company's policy on remote work?",
	"How do I book a meeting room?",
	"Which holidays are paid in December?",
	"What is the wifi password for guests?",
	"How do I request a new laptop?",
	"What is the deadline for the annual performance review?",
	"Can I transfer unused vacation days to next year?",
	"How do I change my bank account for salary payments?",
	"What are the opening hours of the cafeteria?",
	"Who approves purchase orders above 5000 euros?",
	"How do I install the VPN client on a Mac?",
	"What is the notice period when resigning?",
	"How do I report a broken window in the office?",
	"What is the mileage allowance for business trips?",
	"When are salaries paid each month?",
	"How do I enroll in the dental insurance plan?",
	"What is the procedure for a fire drill?",
	"Where do I find the brand guidelines and logo files?",
	"How much does the gym membership subsidy cover?",
	NULL};

static struct store *store;
static struct qconf conf;
static char account[37], kb[37];
static char (*ids)[37];             /* corpus _id of each loaded document */
static char (*uuids)[37];
static size_t ndocs;

static enum qstatus accounts_fn(struct stxn *t, void *arg, struct qerr *err)
{
	int created;
	enum qstatus st = account_ensure(t, "bench", account, &created, err);
	(void)arg;
	return st == Q_OK ? account_default_kb(t, account, kb, err) : st;
}

struct batch {
	json_t **docs;
	size_t n;
	struct embed_builtin *e;
};

static enum qstatus load_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct batch *b = arg;
	enum qstatus st = Q_OK;
	for (size_t i = 0; st == Q_OK && i < b->n; i++) {
		size_t d = ndocs + i;
		const char *title = json_string_value(json_object_get(b->docs[i], "title")) ?: "";
		const char *text = json_string_value(json_object_get(b->docs[i], "text")) ?: "";
		struct qbuf body;
		float v[EMBED_BUILTIN_DIMS];
		char key[64];
		q_uuid_new(uuids[d]);
		json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:i}", "id", uuids[d],
					"account", account, "kb", kb, "title", title, "enabled", 1,
					"archived", 0, "hit_count", 0);
		st = store_put(t, T_DOCS, uuids[d], doc, err);
		json_decref(doc);
		qbuf_init(&body, 1 << 20);
		qbuf_printf(&body, "%s\n\n%s", title, text);
		json_t *rec = json_pack("{s:s, s:i, s:i, s:b}", "text", body.data, "lang", (int)LANG_EN,
					"hit_count", 0, "enabled", 1);
		embed_builtin_text(b->e, body.data, body.len, v);
		snprintf(key, sizeof key, "%s:%08u", uuids[d], 0u);
		if (st == Q_OK)
			st = chunk_put(t, uuids[d], 0, rec, err);
		if (st == Q_OK)
			st = vector_put(t, key, EMBED_BUILTIN_MODEL, v, EMBED_BUILTIN_DIMS, err);
		json_decref(rec);
		qbuf_free(&body);
	}
	return st;
}

static void load_corpus(const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, alloc = 8192;
	json_t *part[50];
	struct batch b = {part, 0, embed_builtin_new(LANG_EN)};
	struct qerr err;
	if (!f) {
		perror(path);
		exit(1);
	}
	ids = malloc(alloc * sizeof *ids);
	uuids = malloc(alloc * sizeof *uuids);
	for (int more = 1; more;) {
		more = getline(&line, &cap, f) > 0;
		json_t *d = more ? json_loads(line, 0, NULL) : NULL;
		if (d) {
			if (ndocs + b.n == alloc) {
				alloc *= 2;
				ids = realloc(ids, alloc * sizeof *ids);
				uuids = realloc(uuids, alloc * sizeof *uuids);
			}
			snprintf(ids[ndocs + b.n], sizeof ids[0], "%s",
				 json_string_value(json_object_get(d, "_id")) ?: "");
			part[b.n++] = d;
		}
		if (b.n == 50 || (!more && b.n)) {
			if (store_run(store, load_fn, &b, &err) != Q_OK) {
				fprintf(stderr, "load: %s\n", err.msg);
				exit(1);
			}
			ndocs += b.n;
			while (b.n)
				json_decref(part[--b.n]);
		}
	}
	free(line);
	fclose(f);
	embed_builtin_free(b.e);
}

/* ---- queries --------------------------------------------------------------- */

struct query {
	const char *text;
	struct search_hit *hits;
	size_t n;
};

static enum qstatus query_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct query *q = arg;
	struct search_filter f = {.account = account, .kb = kb};
	json_t *chunk = NULL;
	double norm;
	free(q->hits);
	q->hits = NULL;
	enum qstatus st = search_run(t, &conf, &f, SEARCH_HYBRID, q->text, 5, &q->hits, &q->n, err);
	/* the top hit's match as chat rates it: at the mean chunk length */
	if (st == Q_OK && q->n && (st = store_get(t, T_CHUNKS, q->hits[0].chunk, &chunk, 0, err)) == Q_OK &&
	    (st = lexical_length_norm(t, account, json_string_value(json_object_get(chunk, "text")) ?: "",
				      (enum text_lang)json_integer_value(json_object_get(chunk, "lang")),
				      &norm, err)) == Q_OK)
		q->hits[0].match = chat_match_typical(q->hits[0].match, norm);
	json_decref(chunk);
	return st;
}

static const char *corpus_id(const char *uuid)
{
	for (size_t i = 0; i < ndocs; i++)
		if (!strcmp(uuids[i], uuid))
			return ids[i];
	return "";
}

/* A group of top hits' evidence. */
struct group {
	const char *name;
	double *match, *cosine;
	size_t n;
};

static void put(struct group *g, const struct search_hit *h)
{
	g->match = realloc(g->match, (g->n + 1) * sizeof *g->match);
	g->cosine = realloc(g->cosine, (g->n + 1) * sizeof *g->cosine);
	g->match[g->n] = h->match;
	g->cosine[g->n] = h->cosine;
	g->n++;
}

static void percentiles(const char *what, const struct group *g, double *v)
{
	static const int pct[] = {10, 25, 50, 75, 90};
	bench_sort(v, g->n);
	printf("  %-22s %-7s", g->name, what);
	for (size_t i = 0; i < 5; i++)
		printf("  p%d %.3f", pct[i], bench_pct(v, g->n, 10 * (unsigned)pct[i]));
	printf("  (n %zu)\n", g->n);
}

static double share_at(const double *v, size_t n, double x)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += v[i] >= x;
	return n ? 100.0 * (double)k / (double)n : 0;
}

static void shares(const char *what, struct group *g, size_t ng, int cosine)
{
	printf("share at or above a threshold on %s:\n  %-9s", what, "threshold");
	for (size_t k = 0; k < ng; k++)
		printf("  %22s", g[k].name);
	printf("\n");
	for (double x = cosine ? 0.1 : 0.1; x < 0.96; x += 0.05) {
		printf("  %-9.2f", x);
		for (size_t k = 0; k < ng; k++)
			printf("  %21.1f%%", share_at(cosine ? g[k].cosine : g[k].match, g[k].n, x));
		printf("\n");
	}
}

/* The share of each group with match >= m and cosine >= c, for pairs of
 * thresholds: a rule on both. */
static void joint(const struct group *g, size_t ng)
{
	static const double ms[] = {0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5};
	static const double cs[] = {0.15, 0.2, 0.25, 0.3};
	printf("share with match >= m and cosine >= c:\n  %-5s %-5s", "m", "c");
	for (size_t k = 0; k < ng; k++)
		printf("  %22s", g[k].name);
	printf("\n");
	for (size_t i = 0; i < sizeof ms / sizeof *ms; i++)
		for (size_t j = 0; j < sizeof cs / sizeof *cs; j++) {
			printf("  %-5.2f %-5.2f", ms[i], cs[j]);
			for (size_t k = 0; k < ng; k++) {
				size_t n = 0;
				for (size_t x = 0; x < g[k].n; x++)
					n += g[k].match[x] >= ms[i] && g[k].cosine[x] >= cs[j];
				printf("  %21.1f%%", g[k].n ? 100.0 * (double)n / (double)g[k].n : 0);
			}
			printf("\n");
		}
}

/* Is corpus document doc relevant to query qid (qrels lines "qid\tdoc\tscore")? */
static int relevant(char **qrels, size_t nq, const char *qid, const char *doc)
{
	char want[128];
	snprintf(want, sizeof want, "%s\t%s\t", qid, doc);
	for (size_t i = 0; i < nq; i++)
		if (!strncmp(qrels[i], want, strlen(want)))
			return 1;
	return 0;
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

int main(int argc, char **argv)
{
	char path[PATH_MAX], dir[PATH_MAX], home[PATH_MAX + 4];
	struct qerr err;
	const char *tmp = getenv("TMPDIR");
	char **qrels = NULL, *line = NULL;
	size_t nqrels = 0, cap = 0;
	struct group g[3] = {{"top hit relevant", 0, 0, 0}, {"top hit not relevant", 0, 0, 0},
			     {"off-topic question", 0, 0, 0}};

	if (argc < 2) {
		fprintf(stderr, "usage: bench_confidence BENCH_DIR\n");
		return 2;
	}
	snprintf(dir, sizeof dir, "%s/quire-bench-conf-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return 1;
	snprintf(home, sizeof home, "%s/db", dir);
	qconf_defaults(&conf);
	snprintf(conf.datadir, sizeof conf.datadir, "%s", dir);
	store_set_cache_mb((unsigned)conf.db_cache_mb);
	if (store_open(&store, home, STORE_OWNER, &err) != Q_OK ||
	    store_run(store, accounts_fn, NULL, &err) != Q_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	snprintf(path, sizeof path, "%s/scifact/corpus.jsonl", argv[1]);
	int64_t t0 = q_now_us();
	load_corpus(path);
	printf("loaded %zu abstracts in %.1f s\n", ndocs, (double)(q_now_us() - t0) / 1e6);

	snprintf(path, sizeof path, "%s/scifact/qrels/train.tsv", argv[1]);
	FILE *f = fopen(path, "r");
	while (f && getline(&line, &cap, f) > 0) {
		qrels = realloc(qrels, (nqrels + 1) * sizeof *qrels);
		qrels[nqrels++] = strdup(line);
	}
	if (f)
		fclose(f);
	snprintf(path, sizeof path, "%s/scifact/queries.jsonl", argv[1]);
	if (!(f = fopen(path, "r"))) {
		perror(path);
		return 1;
	}
	struct query q = {0};
	while (getline(&line, &cap, f) > 0) {
		json_t *j = json_loads(line, 0, NULL);
		const char *qid = json_string_value(json_object_get(j, "_id")) ?: "";
		char want[64];
		snprintf(want, sizeof want, "%s\t", qid);
		int judged = 0;
		for (size_t i = 0; i < nqrels && !judged; i++)
			judged = !strncmp(qrels[i], want, strlen(want));
		q.text = json_string_value(json_object_get(j, "text"));
		if (judged && q.text && store_run(store, query_fn, &q, &err) == Q_OK && q.n)
			put(&g[relevant(qrels, nqrels, qid, corpus_id(q.hits[0].doc)) ? 0 : 1], &q.hits[0]);
		search_hits_discard(NULL);
		json_decref(j);
	}
	fclose(f);
	for (size_t i = 0; off_topic[i]; i++) {
		q.text = off_topic[i];
		if (store_run(store, query_fn, &q, &err) == Q_OK && q.n)
			put(&g[2], &q.hits[0]);
		search_hits_discard(NULL);
	}
	free(q.hits);
	printf("evidence of the top hit (hybrid, builtin model):\n");
	shares("match", g, 3, 0);
	shares("cosine", g, 3, 1);
	joint(g, 3);
	for (size_t k = 0; k < 3; k++) {
		percentiles("match", &g[k], g[k].match);
		percentiles("cosine", &g[k], g[k].cosine);
	}
	store_close(store);
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
