/* metrics.h: counters every Quire process adds to, kept in one small
 * shared file (DATADIR/metrics) so that /metrics, served by any worker,
 * shows the whole service: requests by route family and status, their
 * latency, ingestion, embedding and recoveries. Updates are lock-free
 * atomic adds on the mapping; a process killed mid-update loses at most
 * its own increment. quired starts each run from zero (Prometheus
 * counters may reset; rate() handles it). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_METRICS_H
#define QUIRE_METRICS_H

#include <stdint.h>

#define QM_FAMILIES 5        /* the route families of app.h, in its order */
#define QM_STATUS_MIN 100
#define QM_STATUS_MAX 599
#define QM_BUCKETS 12        /* latency buckets, the last one +Inf */

/* Upper bounds of the latency buckets, in microseconds (the last is +Inf). */
extern const int64_t qm_bucket_us[QM_BUCKETS];

enum qm_counter {
	QM_INGEST_COMPLETED,   /* documents whose ingestion completed */
	QM_INGEST_FAILED,      /* documents whose ingestion failed */
	QM_INGEST_CHUNKS,      /* chunks written by ingestion */
	QM_INGEST_BYTES,       /* bytes of text extracted and split */
	QM_EMBED_DONE,         /* chunks embedded */
	QM_EMBED_FAILED,       /* chunks whose embedding failed */
	QM_EMBED_BATCHES,      /* embedding batches */
	QM_RECOVERIES,         /* stop-the-world recoveries by quired */
	QM_INGEST_TOKENS,      /* tokens of the chunks written by ingestion */
	/* microseconds of the job processes by stage (qm_stage) */
	QM_STAGE_PARSE_US,     /* claim, document read, extraction */
	QM_STAGE_SPLIT_US,     /* cleaning and splitting of a text document */
	QM_STAGE_INDEX_US,     /* the index transaction's work: chunks, postings, embed jobs */
	QM_STAGE_EMBED_US,     /* the embedder's claim, chunk reads and model */
	QM_STAGE_VECTORS_US,   /* the embedder's save transaction's work */
	QM_STAGE_COMMIT_US,    /* commits and log flushes of both */
	QM_INGEST_BATCHES,     /* index transactions of the ingest processes (a batch each) */
	QM_JOB_IDLE_STEPS,     /* claims of the ingest processes and the embedder that found no job */
	QM_STORE_RERUNS,       /* transactions rerun after a deadlock or a lock timeout */
	QM_COUNTER_MAX
};

struct qm_family {
	uint64_t status[QM_STATUS_MAX - QM_STATUS_MIN + 1];
	uint64_t bucket[QM_BUCKETS];   /* not cumulative; the renderer sums */
	uint64_t sum_us;
	uint64_t count;
};

struct qm_shared {
	uint64_t magic;                /* QM_MAGIC once initialised */
	int64_t started_us;            /* when quired (or the first process) created it */
	uint64_t counter[QM_COUNTER_MAX];
	struct qm_family fam[QM_FAMILIES];
};

/* Map path (created and sized when missing; emptied when reset, which
 * quired does at start). Later calls in the same process replace the
 * mapping. 0 on success, -1 when it cannot (then updates are no-ops). */
int qm_attach(const char *path, int reset);
/* The mapping, or NULL when none: borrowed, valid until qm_detach. */
const struct qm_shared *qm_get(void);
void qm_detach(void);

/* One answered request: family index, HTTP status, wall time. */
void qm_request(int fam, int status, int64_t us);
/* Add n to a counter. */
void qm_add(enum qm_counter c, uint64_t n);

/* A job's stage clock: qm_stage adds the time since the last mark to a
 * stage counter, less the commits' share (commit_us: the process's time
 * in commits so far, store_commit_us), which goes to QM_STAGE_COMMIT_US. */
struct qm_clock {
	int64_t us;
	uint64_t commit_us;
};
void qm_clock_start(struct qm_clock *c, uint64_t commit_us);
void qm_stage(struct qm_clock *c, enum qm_counter stage, uint64_t commit_us);

#endif
