/* metrics.c: GET /metrics, the Prometheus text exposition (format 0.0.4)
 * of the shared counters (base/metrics.h) and the job queues' depths.
 * Readable with an admin-scope key, or without one from an address listed
 * in quire.conf's metrics_allow (a scraper on the same host). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "api/api.h"
#include "api/metrics.h"
#include "base/metrics.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>

/* In the order of enum family (app.h); the stream route's error family
 * (FAM_CHAT_STREAM) is counted as chat, the form routes' (FAM_FORM) as
 * native (worker.c). */
static const char *const fam_names[QM_FAMILIES] = {"native", "dify", "chat", "custom", "slug"};
_Static_assert(QM_FAMILIES == FAM_CHAT_STREAM && FAM_FORM + 1 == FAM_MAX,
	       "base/metrics.h counts the five product families of http/app.h");
static const char *const job_kinds[] = {"ingest", "embed"};
static const char *const job_states[] = {"pending", "processing", "completed", "failed"};
#define NKINDS (sizeof job_kinds / sizeof *job_kinds)
#define NSTATES (sizeof job_states / sizeof *job_states)

/* Whether addr is one of the addresses in list (space or comma separated,
 * compared as written: "127.0.0.1 ::1"). */
static int addr_listed(const char *list, const char *addr)
{
	size_t n = strlen(addr);
	if (!n)
		return 0;
	for (const char *p = list; *p;) {
		p += strspn(p, " ,\t");
		size_t w = strcspn(p, " ,\t");
		if (w == n && !strncmp(p, addr, n))
			return 1;
		p += w;
	}
	return 0;
}

struct depths {
	size_t n[NKINDS][NSTATES];
};

static enum qstatus depths_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct depths *d = arg;
	for (size_t k = 0; k < NKINDS; k++)
		for (size_t s = 0; s < NSTATES; s++) {
			struct store_key key;
			store_key_init(&key);
			store_key_str(&key, job_kinds[k]);
			store_key_str(&key, job_states[s]);
			enum qstatus st = store_count(t, I_JOBS_BY_STATUS, &key, &d->n[k][s], err);
			if (st != Q_OK)
				return st;
		}
	return Q_OK;
}

static void render_requests(struct qbuf *b, const struct qm_shared *m)
{
	qbuf_adds(b, "# HELP quire_http_requests_total Requests answered, by route family and HTTP status.\n"
		     "# TYPE quire_http_requests_total counter\n");
	for (int f = 0; f < QM_FAMILIES; f++)
		for (int s = 0; s <= QM_STATUS_MAX - QM_STATUS_MIN; s++)
			if (m->fam[f].status[s])
				qbuf_printf(b, "quire_http_requests_total{family=\"%s\",status=\"%d\"} %llu\n",
					    fam_names[f], s + QM_STATUS_MIN,
					    (unsigned long long)m->fam[f].status[s]);
	qbuf_adds(b, "# HELP quire_http_request_duration_seconds Time from a request's arrival at the worker to its last byte, by route family.\n"
		     "# TYPE quire_http_request_duration_seconds histogram\n");
	for (int f = 0; f < QM_FAMILIES; f++) {
		const struct qm_family *q = &m->fam[f];
		unsigned long long cum = 0;
		for (int i = 0; i < QM_BUCKETS; i++) {
			cum += q->bucket[i];
			if (i == QM_BUCKETS - 1)
				qbuf_printf(b, "quire_http_request_duration_seconds_bucket{family=\"%s\",le=\"+Inf\"} %llu\n",
					    fam_names[f], cum);
			else
				qbuf_printf(b, "quire_http_request_duration_seconds_bucket{family=\"%s\",le=\"%g\"} %llu\n",
					    fam_names[f], (double)qm_bucket_us[i] / 1e6, cum);
		}
		qbuf_printf(b, "quire_http_request_duration_seconds_sum{family=\"%s\"} %.6f\n",
			    fam_names[f], (double)q->sum_us / 1e6);
		qbuf_printf(b, "quire_http_request_duration_seconds_count{family=\"%s\"} %llu\n",
			    fam_names[f], (unsigned long long)q->count);
	}
}

static void counter(struct qbuf *b, const char *name, const char *help, const char *labels,
		    uint64_t v, int head)
{
	if (head)
		qbuf_printf(b, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
	qbuf_printf(b, "%s%s %llu\n", name, labels, (unsigned long long)v);
}

static void render_counters(struct qbuf *b, const struct qm_shared *m)
{
	const uint64_t *c = m->counter;
	counter(b, "quire_ingest_documents_total", "Documents whose ingestion ended, by result.",
		"{result=\"completed\"}", c[QM_INGEST_COMPLETED], 1);
	counter(b, "quire_ingest_documents_total", "", "{result=\"failed\"}",
		c[QM_INGEST_FAILED], 0);
	counter(b, "quire_ingest_chunks_total", "Chunks written by ingestion.", "",
		c[QM_INGEST_CHUNKS], 1);
	counter(b, "quire_ingest_bytes_total", "Bytes of text extracted and split.", "",
		c[QM_INGEST_BYTES], 1);
	counter(b, "quire_embed_chunks_total", "Chunks through the embedder, by result.",
		"{result=\"done\"}", c[QM_EMBED_DONE], 1);
	counter(b, "quire_embed_chunks_total", "", "{result=\"failed\"}", c[QM_EMBED_FAILED], 0);
	counter(b, "quire_embed_batches_total", "Embedding batches.", "", c[QM_EMBED_BATCHES], 1);
	counter(b, "quire_ingest_tokens_total", "Tokens of the chunks written by ingestion.", "",
		c[QM_INGEST_TOKENS], 1);
	static const char *const stage[] = {"parse", "split", "index", "embed", "vectors", "commit"};
	for (int i = 0; i < 6; i++) {
		char labels[32];
		snprintf(labels, sizeof labels, "{stage=\"%s\"}", stage[i]);
		qbuf_printf(b, "%s%s%s %.6f\n",
			    i ? "" : "# HELP quire_ingest_stage_seconds_total Seconds the ingest "
				     "processes and the embedder spent in each stage.\n"
				     "# TYPE quire_ingest_stage_seconds_total counter\n",
			    "quire_ingest_stage_seconds_total", labels,
			    (double)c[QM_STAGE_PARSE_US + i] / 1e6);
	}
	counter(b, "quire_ingest_batches_total",
		"Index transactions of the ingest processes (documents indexed together).", "",
		c[QM_INGEST_BATCHES], 1);
	counter(b, "quire_job_idle_steps_total",
		"Claims by the ingest processes and the embedder that found no job.", "",
		c[QM_JOB_IDLE_STEPS], 1);
	counter(b, "quire_store_reruns_total",
		"Transactions run again after a deadlock or a lock wait timed out.", "",
		c[QM_STORE_RERUNS], 1);
	counter(b, "quire_recoveries_total",
		"Stop-the-world recoveries by quired after a child died abnormally.", "",
		c[QM_RECOVERIES], 1);
	qbuf_printf(b, "# HELP quire_start_time_seconds When these counters started (quired's start).\n"
		       "# TYPE quire_start_time_seconds gauge\nquire_start_time_seconds %.3f\n",
		    (double)m->started_us / 1e6);
}

static void render_depths(struct qbuf *b, const struct depths *d)
{
	qbuf_adds(b, "# HELP quire_queue_jobs Jobs in the queues, by kind and status.\n"
		     "# TYPE quire_queue_jobs gauge\n");
	for (size_t k = 0; k < NKINDS; k++)
		for (size_t s = 0; s < NSTATES; s++)
			qbuf_printf(b, "quire_queue_jobs{kind=\"%s\",status=\"%s\"} %zu\n", job_kinds[k],
				    job_states[s], d->n[k][s]);
}

enum qstatus api_metrics(struct qctx *c)
{
	enum qstatus st;
	const char *addr = qreq_param(c->req, "REMOTE_ADDR");
	if (!addr_listed(c->app->conf->metrics_allow, addr) &&
	    (st = app_authenticate(c, SCOPE_ADMIN)) != Q_OK)
		return st;
	struct depths d;
	memset(&d, 0, sizeof d);
	if ((st = store_run(c->app->store, depths_fn, &d, &c->err)) != Q_OK)
		return st;
	const struct qm_shared *m = qm_get();
	struct qresp *r = c->resp;
	r->status = 200;
	qresp_header(r, "Content-Type", "text/plain; version=0.0.4; charset=utf-8");
	qresp_header(r, "Cache-Control", "no-store");
	qbuf_reset(&r->body);
	if (m) {
		render_requests(&r->body, m);
		render_counters(&r->body, m);
	}
	render_depths(&r->body, &d);
	return Q_OK;
}
