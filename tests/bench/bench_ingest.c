/* bench_ingest.c: ingestion throughput of SciFact with a stage breakdown,
 * through the real ingest and embed code in one process.
 *
 * usage: bench_ingest [DOCS [JOB_FLUSH_MS [INGEST_BATCH]]]
 *   DOCS: how many abstracts (default: the whole corpus, 5,183)
 *   JOB_FLUSH_MS: the setting job_flush_ms (default 200, group commit;
 *   0: every commit synchronous, as before issue 17's group commit)
 *   INGEST_BATCH: the setting ingest_batch (default 8; 1: one job per
 *   index transaction, as before batches)
 *
 * The documents are created first as the API creates them (doc_create:
 * the document, its text and its pending ingest job; 100 per transaction,
 * not counted). Then one ingest loop (jobloop_run over ingest_next, as
 * quire-ingest runs it: claim, start, cleaning and splitting stamps,
 * split, the index transaction with chunks, postings and embed jobs) runs
 * until the queue is empty, then one embed loop (embedder_step with the
 * builtin model: claim, read, embed, the vectors' transaction). Prints the
 * ingested tokens (the splitter's count, as the issue counts them) per
 * second of both loops and the stage breakdown the processes add to the
 * shared counters (base/metrics.h: parse, split, index, embed, vectors,
 * commit; commit is every commit and log flush). Through lighttpd, make
 * bench-ingest-scifact prints the end-to-end figure from the same
 * counters. Reads $BENCH_DATA/scifact (by default
 * $top_srcdir/../shared/bench); prints why and exits 0 without it. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "base/conf.h"
#include "base/metrics.h"
#include "base/util.h"
#include "daemon/jobloop.h"
#include "embed/embedder.h"
#include "pipeline/ingest.h"
#include "store/accounts.h"
#include "store/docs.h"
#include "store/store.h"

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

static char account[37], kb[37];
static volatile sig_atomic_t never;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static enum qstatus accounts_fn(struct stxn *t, void *arg, struct qerr *err)
{
	int created;
	(void)arg;
	enum qstatus st = account_ensure(t, "bench", account, &created, err);
	return st == Q_OK ? account_default_kb(t, account, kb, err) : st;
}

struct batch {
	char **lines;
	size_t n;
};

/* Create a batch of corpus lines as text documents (title + text, as
 * tests/bench/scifact.py posts them). */
static enum qstatus create_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct batch *b = arg;
	enum qstatus st = Q_OK;
	for (size_t i = 0; st == Q_OK && i < b->n; i++) {
		json_t *in = json_loads(b->lines[i], 0, NULL);
		const char *title = json_string_value(json_object_get(in, "title")) ?: "";
		const char *text = json_string_value(json_object_get(in, "text")) ?: "";
		char *content = NULL, id[37];
		if (asprintf(&content, "%s\n\n%s", title, text) < 0)
			content = NULL;
		struct doc_input d = {.title = *title ? title : "untitled", .content = content,
				      .content_len = content ? strlen(content) : 0};
		st = content ? doc_create(t, account, &d, id, NULL, err)
			     : qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		free(content);
		json_decref(in);
	}
	return st;
}

struct loop {
	struct store *s;
	const struct qconf *conf;
	struct embed_backend *b;
};

static enum qstatus ingest_step(void *arg, int *did, struct qerr *err)
{
	struct loop *l = arg;
	return ingest_next(l->s, l->conf, 0, did, err);
}

static enum qstatus embed_step(void *arg, int *did, struct qerr *err)
{
	struct loop *l = arg;
	size_t done;
	enum qstatus st = embedder_step(l->s, l->conf, l->b, &done, err);
	*did = done > 0;
	return st;
}

static int idle_done(void *arg)
{
	(void)arg;
	return 1;   /* the queue is empty: the loop ends (after its flush) */
}

/* CPU seconds (user + system) of this process so far: on a shared machine
 * the wall-clock figures grow with the load, these do not. */
static double cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static double loadavg(void)
{
	double l[1] = {0};
	return getloadavg(l, 1) == 1 ? l[0] : 0;
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

/* Create want documents from f, 100 per transaction. */
static int create_all(struct store *s, FILE *f, size_t want, size_t *docs)
{
	char *lines[100];
	struct batch b = {lines, 0};
	struct qerr err;
	size_t cap = 0;
	char *line = NULL;
	int rc = 0;
	while (!rc && *docs < want && getline(&line, &cap, f) > 0) {
		lines[b.n++] = line;
		line = NULL;
		cap = 0;
		(*docs)++;
		if (b.n == 100 || *docs == want) {
			if (store_run(s, create_fn, &b, &err) != Q_OK) {
				fprintf(stderr, "create: %s\n", err.msg);
				rc = -1;
			}
			for (size_t i = 0; i < b.n; i++)
				free(lines[i]);
			b.n = 0;
		}
	}
	if (!rc && b.n && store_run(s, create_fn, &b, &err) != Q_OK) {
		fprintf(stderr, "create: %s\n", err.msg);
		rc = -1;
	}
	for (size_t i = 0; i < b.n; i++)
		free(lines[i]);
	free(line);
	return rc;
}

static void report(size_t docs, double ingest_s, double embed_s, double cpu, int flush_ms,
		   int batch)
{
	static const char *name[] = {"parse", "split", "index", "embed", "vectors", "commit"};
	const struct qm_shared *m = qm_get();
	double total = ingest_s + embed_s, tokens = m ? (double)m->counter[QM_INGEST_TOKENS] : 0;
	double sum = 0;
	printf("ingested %zu SciFact documents (%.0f chunks), %.0f tokens: ingest loop %.2f s, "
	       "embed loop %.2f s, %.0f tokens/s (one process, job_flush_ms = %d, ingest_batch = %d)\n",
	       docs,
	       m ? (double)m->counter[QM_INGEST_CHUNKS] : 0, tokens, ingest_s, embed_s,
	       total > 0 ? tokens / total : 0, flush_ms, batch);
	printf("  CPU %.2f s (user + system): %.0f tokens per CPU second; load average at the end "
	       "%.1f\n", cpu, cpu > 0 ? tokens / cpu : 0, loadavg());
	for (int i = 0; m && i < 6; i++) {
		double v = (double)m->counter[QM_STAGE_PARSE_US + i] / 1e6;
		printf("  %-8s %7.2f s  %5.1f%%  %9.0f tokens/s\n", name[i], v,
		       total > 0 ? 100 * v / total : 0, v > 0 ? tokens / v : 0);
		sum += v;
	}
	printf("  %-8s %7.2f s  %5.1f%%\n", "(other)", total - sum,
	       total > 0 ? 100 * (total - sum) / total : 0);
}

int main(int argc, char **argv)
{
	const char *top = getenv("top_srcdir"), *data = getenv("BENCH_DATA");
	const char *tmp = getenv("TMPDIR");
	char path[PATH_MAX], home[PATH_MAX + 4], mpath[PATH_MAX + 8];
	size_t want = argc > 1 ? strtoul(argv[1], NULL, 10) : SIZE_MAX, docs = 0;
	int flush_ms = argc > 2 ? atoi(argv[2]) : 200, rc = 1;
	int batch = argc > 3 ? atoi(argv[3]) : 0;
	struct store *s = NULL;
	struct embed_backend *b = NULL;
	struct qconf conf;
	struct qerr err;
	if (data && *data)
		snprintf(path, sizeof path, "%s/scifact/corpus.jsonl", data);
	else
		snprintf(path, sizeof path, "%s/../shared/bench/scifact/corpus.jsonl", top ? top : ".");
	FILE *f = fopen(path, "r");
	if (!f) {
		printf("no %s: nothing to measure\n", path);
		return 0;
	}
	qconf_defaults(&conf);
	conf.job_flush_ms = flush_ms;
	if (batch > 0)
		conf.ingest_batch = batch;
	snprintf(conf.datadir, sizeof conf.datadir, "%s/quire-bench-ingest-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(conf.datadir))
		return 1;
	snprintf(home, sizeof home, "%s/db", conf.datadir);
	snprintf(mpath, sizeof mpath, "%s/metrics", conf.datadir);
	store_set_cache_mb(256);
	if (qm_attach(mpath, 1) < 0 || store_open(&s, home, STORE_OWNER, &err) != Q_OK ||
	    store_run(s, accounts_fn, NULL, &err) != Q_OK || !(b = embed_backend_new(&conf, &err))) {
		fprintf(stderr, "%s\n", err.msg);
		goto out;
	}
	if (create_all(s, f, want, &docs) < 0)
		goto out;
	struct loop l = {s, &conf, b};
	struct jobloop jl = {.conf = &conf, .s = s, .stop = &never, .wake = -1, .idle_ms = 0,
			     .step = ingest_step, .idle = idle_done, .arg = &l};
	double t0 = now_s(), c0 = cpu_s();
	if (jobloop_run(&jl) != 0)
		goto out;
	double t1 = now_s();
	jl.step = embed_step;
	if (jobloop_run(&jl) != 0)
		goto out;
	report(docs, t1 - t0, now_s() - t1, cpu_s() - c0, flush_ms, conf.ingest_batch);
	rc = 0;
out:
	fclose(f);
	if (b)
		b->free(b);
	store_close(s);
	qm_detach();
	if (getenv("BENCH_KEEP"))   /* look at the store afterwards (db_stat, db_printlog) */
		printf("kept %s\n", conf.datadir);
	else
		nftw(conf.datadir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return rc;
}
