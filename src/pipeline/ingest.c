/* ingest.c: run ingest jobs: extract, clean, split, index, queue embeds. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "base/seal.h"
#include "pipeline/ingest.h"
#include "base/metrics.h"
#include "store/blob.h"
#include "store/docs.h"
#include "store/chunks.h"
#include "store/jobs.h"
#include "store/lexical.h"
#include "base/fault.h"
#include "base/log.h"
#include "queue/queue.h"
#include "pipeline/extract.h"
#include "pipeline/split.h"
#include "store/store.h"
#include "text/text.h"
#include "base/util.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/file.h>
#include <openssl/crypto.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct job_ctx {
	const struct qconf *conf;
	char doc_id[37];
	char job_id[STORE_ID_MAX];
	json_t *doc;            /* copy of the document record at claim time */
	char *content;          /* text documents */
	size_t content_len;
	int64_t locked_at;
	int gave_up;            /* attempts exhausted */
	int crashed;            /* the parser was killed by a signal: retriable */
	int64_t renewed_ms;     /* last lease renewal (monotonic) */
	struct store *store;
	const char *stage;      /* the stage stage_fn commits */
	struct split_result chunks;
	char error[256];
	char password[1025];    /* the upload's, unsealed at claim; "" = none */
	struct qm_clock clock;  /* the stage breakdown (metrics.h) */
	int64_t begun_ms;       /* when the job started (monotonic) */
	struct {                /* stages begun but not committed yet (stage_begin) */
		const char *stage;
		int64_t us;
	} deferred[4];
	int ndeferred;
	int started;            /* start_fn ran in the claim's transaction */
	int dropped;            /* the batch's transaction found it taken over or deleted */
};

/* A stage that begins this soon after the job started is not committed on
 * its own: a poll could hardly see it, and two short transactions per
 * document were a tenth of a text document's ingestion. Its start time is
 * written with the next commit of the job (the next stage's or the index
 * transaction), so the document's stage times stay exact. */
#define STAGE_STAMP_AFTER_MS 50

/* The deferred stages' start times into doc ("<stage>_us"). */
static void stamp_deferred(const struct job_ctx *j, json_t *doc)
{
	for (int i = 0; i < j->ndeferred; i++) {
		char key[32];
		snprintf(key, sizeof key, "%s_us", j->deferred[i].stage);
		json_object_set_new(doc, key, json_integer((json_int_t)j->deferred[i].us));
	}
}

/* 1 when the document's text comes from its file: an upload whose text no
 * PUT content has replaced (docs.h, doc_update). */
static int text_from_file(json_t *doc)
{
	return json_object_get(doc, "blob") &&
	       !json_is_true(json_object_get(doc, "text_replaced"));
}

/* A job's transaction: with job_flush_ms, its commit does not wait for the
 * disk (group commit, docs/reliability.md): the loop's flush or the next
 * synchronous commit writes it out. Functions that report a document
 * completed or failed ask for a synchronous commit (store_txn_sync). */
static enum qstatus job_run(struct store *s, const struct qconf *conf, store_fn fn, void *arg,
			    struct qerr *err)
{
	return conf->job_flush_ms ? store_run_lazy(s, fn, arg, err) : store_run(s, fn, arg, err);
}

/* ---- claim ---------------------------------------------------------------- */

static enum qstatus find_pending(struct stxn *t, const char *doc_id, char *job_id,
				 struct qerr *err)
{
	struct store_key k;
	struct store_ids ids = {0};
	enum qstatus st;
	job_id[0] = '\0';
	store_key_init(&k);
	store_key_str(&k, doc_id);
	st = store_scan(t, I_JOBS_BY_DOC, &k, 0, 0, store_collect, &ids, err);
	for (size_t i = 0; st == Q_OK && i < ids.n && !job_id[0]; i++) {
		json_t *job;
		if ((st = store_get(t, T_JOBS, ids.ids[i], &job, 0, err)) != Q_OK)
			break;
		if (!strcmp(json_string_value(json_object_get(job, "kind")) ?: "", "ingest") &&
		    !strcmp(json_string_value(json_object_get(job, "status")) ?: "", "pending"))
			snprintf(job_id, STORE_ID_MAX, "%s", ids.ids[i]);
		json_decref(job);
	}
	store_ids_free(&ids);
	return st;
}

/* Mark the claimed job (already processing) as ours and the document as
 * parsing; give up when attempts are exhausted. */
static enum qstatus start_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct job_ctx *j = arg;
	json_t *job, *doc;
	enum qstatus st = store_get(t, T_JOBS, j->job_id, &job, STORE_RMW, err);
	if (st != Q_OK)
		return st;
	json_int_t locked = json_integer_value(json_object_get(job, "locked_at"));
	if (strcmp(json_string_value(json_object_get(job, "status")) ?: "", "processing") ||
	    (j->locked_at && locked != j->locked_at)) {
		json_decref(job);
		return qerr_set(err, Q_ECONFLICT, NULL, "job taken by another process");
	}
	j->locked_at = locked;
	snprintf(j->doc_id, sizeof j->doc_id, "%s",
		 json_string_value(json_object_get(job, "document_id")) ?: "");
	json_int_t attempts = json_integer_value(json_object_get(job, "attempts"));
	/* The upload's password leaves the job as it is claimed: this claim
	 * holds it in memory only (a retry after a crash goes without). */
	const char *sealed = json_string_value(json_object_get(job, "sealed_password"));
	j->password[0] = '\0';
	if (sealed) {
		if (unseal(sealed, j->password, sizeof j->password) < 0)
			j->password[0] = '\0';   /* sealed before a restart: the key is gone */
		json_object_del(job, "sealed_password");
		st = store_put(t, T_JOBS, j->job_id, job, err);
	}
	json_decref(job);
	if (st != Q_OK)
		return st;
	if ((st = store_get(t, T_DOCS, j->doc_id, &doc, STORE_RMW, err)) != Q_OK)
		return st;
	j->gave_up = attempts > j->conf->ingest_max_attempts;
	if (j->gave_up) {
		int failed;
		const char *msg = "parsing failed repeatedly (the parser crashed or timed out)";
		doc_set_status(doc, "error");
		json_object_set_new(doc, "error", json_string(msg));
		store_txn_sync(t);
		st = queue_fail(t, j->job_id, msg, 0, 0, 0, &failed, err);
	} else {
		doc_set_status(doc, "parsing");
		json_object_set_new(doc, "error", json_null());
	}
	if (st == Q_OK)
		st = store_put(t, T_DOCS, j->doc_id, doc, err);
	json_decref(j->doc);
	j->doc = doc;
	free(j->content);
	j->content = NULL;
	if (st == Q_OK && !j->gave_up && !text_from_file(doc)) {
		st = doc_content(t, j->doc_id, &j->content, &j->content_len, err);
		if (st == Q_ENOTFOUND) {
			qerr_clear(err);
			st = Q_OK;
		}
	}
	return st;
}

/* ---- finish --------------------------------------------------------------- */

/* Q_ENOTFOUND: the document was deleted; Q_ECONFLICT: taken over */
static enum qstatus job_still_mine(struct stxn *t, struct job_ctx *j, struct qerr *err)
{
	struct qbuf b;
	qbuf_init(&b, SIZE_MAX);
	enum qstatus st = queue_held(t, j->job_id, j->locked_at, &b, err);
	qbuf_free(&b);
	return st;
}

static enum qstatus fail_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct job_ctx *j = arg;
	json_t *doc;
	int failed;
	enum qstatus st = job_still_mine(t, j, err);
	if (st != Q_OK)
		return st;
	if ((st = store_get(t, T_DOCS, j->doc_id, &doc, STORE_RMW, err)) != Q_OK)
		return st;
	doc_set_status(doc, "error");
	json_object_set_new(doc, "error", json_string(j->error));
	st = store_put(t, T_DOCS, j->doc_id, doc, err);
	json_decref(doc);
	if (st == Q_OK)
		st = queue_fail(t, j->job_id, j->error, 0, 0, 0, &failed, err);
	return st;
}

/* The parser was killed by a signal (the OOM killer, a crash): try again
 * after a backoff while attempts remain; the document waits meanwhile. */
static enum qstatus retry_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct job_ctx *j = arg;
	json_t *doc;
	int failed;
	char msg[sizeof j->error + 64];
	enum qstatus st = job_still_mine(t, j, err);
	if (st != Q_OK)
		return st;
	snprintf(msg, sizeof msg, "%s (after %d attempts)", j->error, j->conf->ingest_max_attempts);
	if ((st = queue_fail(t, j->job_id, j->error, 1, j->conf->ingest_max_attempts, 0, &failed,
			     err)) != Q_OK)
		return st;
	if ((st = store_get(t, T_DOCS, j->doc_id, &doc, STORE_RMW, err)) != Q_OK)
		return st;
	doc_set_status(doc, failed ? "error" : "waiting");
	if (failed)
		store_txn_sync(t);
	json_object_set_new(doc, "error", failed ? json_string(msg) : json_null());
	st = store_put(t, T_DOCS, j->doc_id, doc, err);
	json_decref(doc);
	if (st == Q_OK)
		j->gave_up = failed;
	return st;
}

static enum qstatus renew_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct job_ctx *j = arg;
	return queue_renew(t, j->job_id, j->locked_at, err);
}

/* While the job runs: renew its lease every quarter lease, so no other
 * process takes over a job that is being worked on (the lease only runs
 * out when its holder died or hangs). */
static void lease_renew(struct job_ctx *j)
{
	struct qerr err;
	int64_t now = q_mono_ms();
	if (now - j->renewed_ms < (int64_t)j->conf->ingest_lease * 250)
		return;
	j->renewed_ms = now;
	enum qstatus st = job_run(j->store, j->conf, renew_fn, j, &err);
	if (st != Q_OK && st != Q_ENOTFOUND && st != Q_ECONFLICT)
		QLOG_WARN("ingest of %s: renewing the lease: %s", j->doc_id, err.msg);
}

static void (*outer_tick)(void *);
static void *outer_tick_arg;

void ingest_set_tick(void (*fn)(void *arg), void *arg)
{
	outer_tick = fn;
	outer_tick_arg = arg;
}

static void job_tick(void *arg)
{
	struct job_ctx *j = arg;
	struct qerr err;
	lease_renew(j);
	/* a long extraction keeps the group commit's bound (job_flush_ms) */
	if (j->store && store_unflushed_ms(j->store) >= j->conf->job_flush_ms &&
	    store_flush(j->store, &err) != Q_OK)
		QLOG_WARN("ingest of %s: writing the log: %s", j->doc_id, err.msg);
	if (outer_tick)
		outer_tick(outer_tick_arg);
}

/* A stage begins: the document shows it, stamped "<stage>_us" now, in a
 * short transaction of its own, so that every view sees the stage while
 * it runs. A job taken over or a document deleted meanwhile is left
 * alone (the final transaction drops the work). */
static enum qstatus stage_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct job_ctx *j = arg;
	json_t *doc;
	enum qstatus st = job_still_mine(t, j, err);
	if (st != Q_OK)
		return st;
	if ((st = store_get(t, T_DOCS, j->doc_id, &doc, STORE_RMW, err)) != Q_OK)
		return st;
	stamp_deferred(j, doc);
	doc_set_status(doc, j->stage);
	st = store_put(t, T_DOCS, j->doc_id, doc, err);
	json_decref(doc);
	return st;
}

/* split_stage_fn: commit the stage, then the stage's test fault point
 * (ingest_cleaning_slow, ingest_splitting_slow, ..._kill). */
static void stage_begin(void *arg, const char *stage)
{
	struct job_ctx *j = arg;
	struct qerr err;
	char point[64];
	j->stage = stage;
	job_tick(j);
	if (q_mono_ms() - j->begun_ms < STAGE_STAMP_AFTER_MS && j->ndeferred < 4) {
		j->deferred[j->ndeferred].stage = stage;
		j->deferred[j->ndeferred++].us = q_now_us();
	} else {
		enum qstatus st = job_run(j->store, j->conf, stage_fn, j, &err);
		if (st == Q_OK)
			j->ndeferred = 0;
		if (st != Q_OK && st != Q_ENOTFOUND && st != Q_ECONFLICT)
			QLOG_WARN("ingest of %s: stage %s: %s", j->doc_id, stage, err.msg);
	}
	snprintf(point, sizeof point, "ingest_%s_slow", stage);
	fault_point(point);
	snprintf(point, sizeof point, "ingest_%s_kill", stage);
	fault_point(point);
}

/* Code points of s (n bytes of UTF-8). */
static size_t utf8_chars(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; s && i < n; i++)
		c += ((unsigned char)s[i] & 0xc0) != 0x80;
	return c;
}

/* The job's chunks, postings (into b when not NULL, lexical.h) and its
 * document's counts; doc: the document read for update. index_finish
 * then writes its embed jobs and the document. */
static enum qstatus index_job(struct stxn *t, struct job_ctx *j, json_t *doc,
			      struct lexical_batch *b, struct qerr *err)
{
	enum qstatus st;
	stamp_deferred(j, doc);
	doc_set_status(doc, "indexing");   /* the stage starts with this transaction */
	/* doc as stored: index_check read it in this transaction, and
	 * nothing above changes its account or title */
	if ((st = chunks_delete_for_doc_rec(t, j->doc_id, doc, err)) != Q_OK ||
	    (st = jobs_delete_for_doc(t, j->doc_id, "embed", 0, err)) != Q_OK)
		goto out;
	size_t chars = 0;
	for (size_t i = 0; i < j->chunks.n; i++) {
		const struct split_chunk *c = &j->chunks.v[i];
		json_t *rec = json_pack("{s:s, s:i, s:i, s:i, s:s, s:I, s:I, s:b, s:i, s:i}",
					"text", c->text, "tokens", (int)c->tokens, "words", (int)c->words,
					"page", (int)c->page, "section", c->section,
					"start", (json_int_t)c->start, "end", (json_int_t)c->end,
					"enabled", 1, "hit_count", 0, "lang", (int)j->chunks.lang);
		if (rec && c->npages > 1) {   /* where each page starts (chat's citations) */
			json_t *marks = json_array();
			for (size_t k = 0; k < c->npages; k++)
				json_array_append_new(marks, json_pack("[I, i]", (json_int_t)c->pages[k].off,
								       (int)c->pages[k].page));
			json_object_set_new(rec, "pages", marks);
		}
		if (!rec) {
			st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
			goto out;
		}
		st = chunk_put_doc(t, j->doc_id, doc, (unsigned)i, rec, b, err);
		json_decref(rec);
		if (st != Q_OK)
			goto out;
		chars += strlen(c->text);
	}
	/* An upload's content is its extracted, cleaned plain text (the text
	 * the chunks' offsets refer to). */
	if (text_from_file(doc) && j->chunks.plain &&
	    (st = store_put_raw(t, T_CONTENT, j->doc_id, j->chunks.plain, j->chunks.plain_len,
				err)) != Q_OK)
		goto out;
	size_t tokens = j->chunks.tokens, words = j->chunks.words;
	json_object_set_new(doc, "segment_count", json_integer((json_int_t)j->chunks.n));
	json_object_set_new(doc, "tokens", json_integer((json_int_t)tokens));
	json_object_set_new(doc, "word_count", json_integer((json_int_t)words));
	json_object_set_new(doc, "char_count", json_integer((json_int_t)chars));
	json_object_set_new(doc, "plain_chars",
			    json_integer((json_int_t)utf8_chars(j->chunks.plain, j->chunks.plain_len)));
	json_object_set_new(doc, "doc_language",
			    json_string(j->chunks.language ? j->chunks.language->name : "English"));
	json_object_set_new(doc, "embed_total", json_integer((json_int_t)j->chunks.n));
	json_object_set_new(doc, "embed_done", json_integer(0));
	json_object_set_new(doc, "embed_failed", json_integer(0));
	if (j->chunks.n == 0) {
		store_txn_sync(t);   /* reported completed: on disk first */
		doc_set_status(doc, "completed");
		json_object_set_new(doc, "completed_us", json_integer((json_int_t)q_now_us()));
	}
out:
	return st;
}

/* The end of a job's index transaction (after index_job, and after the
 * postings of a batch): its embed jobs, its document and its ingest job
 * completed. These write the job and document indexes every create and
 * claim writes too (DB_RECNUM: their roots are locked for writing until
 * the commit), so they come last: the postings, the longest part of the
 * transaction, are written before it holds them. */
static enum qstatus index_finish(struct stxn *t, struct job_ctx *j, json_t *doc,
				 struct qerr *err)
{
	const char *account = json_string_value(json_object_get(j->doc, "account")) ?: "";
	char job[37];
	/* the document before the jobs, in the order a create writes them:
	 * the other order deadlocked with creates */
	enum qstatus st = store_put(t, T_DOCS, j->doc_id, doc, err);
	for (size_t i = 0; st == Q_OK && i < j->chunks.n; i++)
		st = job_create_chunk(t, account, j->doc_id, (unsigned)i, job, err);
	return st == Q_OK ? queue_complete(t, j->job_id, err) : st;
}

/* The job is still ours and its document there: the document, read for
 * update (Q_ECONFLICT or Q_ENOTFOUND otherwise, nothing written). */
static enum qstatus index_check(struct stxn *t, struct job_ctx *j, json_t **doc,
				struct qerr *err)
{
	enum qstatus st = job_still_mine(t, j, err);
	return st == Q_OK ? store_get(t, T_DOCS, j->doc_id, doc, STORE_RMW, err) : st;
}

static enum qstatus index_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct job_ctx *j = arg;
	json_t *doc;
	enum qstatus st = index_check(t, j, &doc, err);
	if (st != Q_OK)
		return st;
	st = index_job(t, j, doc, NULL, err);
	if (st == Q_OK)
		st = index_finish(t, j, doc, err);
	json_decref(doc);
	return st;
}

/* Jobs of one account indexed together (ingest_next's batch). */
struct batch {
	struct job_ctx **v;
	size_t n;
};

/* One transaction for the batch: each job as index_fn indexes it, a job
 * taken over or deleted meanwhile left out (dropped), the postings of all
 * written term by term at the end. */
static enum qstatus batch_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct batch *bt = arg;
	struct lexical_batch *b = lexical_batch_new();
	json_t **docs = calloc(bt->n, sizeof *docs);
	enum qstatus st = b && docs ? Q_OK : qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; st == Q_OK && i < bt->n; i++) {
		struct job_ctx *j = bt->v[i];
		j->dropped = 0;
		st = index_check(t, j, &docs[i], err);
		if (st == Q_ECONFLICT || st == Q_ENOTFOUND) {
			qerr_clear(err);
			j->dropped = 1;
			st = Q_OK;
			continue;
		}
		if (st == Q_OK)
			st = index_job(t, j, docs[i], b, err);
	}
	if (st == Q_OK)
		st = lexical_batch_write(t, b, err);
	for (size_t i = 0; st == Q_OK && i < bt->n; i++)
		if (!bt->v[i]->dropped)
			st = index_finish(t, bt->v[i], docs[i], err);
	for (size_t i = 0; docs && i < bt->n; i++)
		json_decref(docs[i]);
	free(docs);
	lexical_batch_free(b);
	return st;
}

int ingest_index_lock(const struct qconf *conf)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/index.lock", conf->datadir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0 && flock(fd, LOCK_EX) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

void ingest_index_unlock(int fd)
{
	if (fd >= 0)
		close(fd);   /* releases the flock */
}

static enum qstatus release_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct job_ctx *j = arg;
	return queue_release(t, j->job_id, j->locked_at, 1, err);
}

/* A stage that stayed busy past db_retry_ms (a long reader holds what it
 * needs, RELIABILITY D13) gives the job back at once rather than leave it
 * processing until its lease ends, the account's other jobs behind it. */
static void release_busy(struct store *s, struct job_ctx *j)
{
	struct qerr err;
	if (job_run(s, j->conf, release_fn, j, &err) == Q_OK)
		QLOG_INFO("ingest of %s: the database stayed busy; queued again", j->doc_id);
}

/* Start (unless the claim did), parse and split a claimed job: 1 when
 * its chunks are ready to index, 0 when it ended otherwise (failed,
 * given up, to be retried, or busy and queued again). */
static int prepare(struct store *s, struct job_ctx *j)
{
	struct qerr err;
	if (!j->clock.us)   /* ingest_next starts it before the claim */
		qm_clock_start(&j->clock, store_commit_us());
	enum qstatus st = j->started ? Q_OK : job_run(s, j->conf, start_fn, j, &err);
	if (st == Q_EBUSY)
		release_busy(s, j);
	if (st != Q_OK || j->gave_up)
		return 0;
	/* Tests: a worker dying mid-ingest (document parsing, job leased). */
	fault_point("ingest_parse_kill");
	j->store = s;
	j->error[0] = '\0';
	struct qerr perr = { 0 };
	j->renewed_ms = j->begun_ms = q_mono_ms();
	j->ndeferred = 0;
	fault_point("ingest_parsing_slow");
	fault_point("ingest_parsing_kill");
	fault_point("ingest_parsing_hang");   /* tests: a hung ingest process */
	if (text_from_file(j->doc)) {
		int code = -1;
		extract_set_tick(job_tick, j);
		st = ingest_extract(j->conf, j->doc, j->password[0] ? j->password : NULL, &j->chunks,
				    stage_begin, j, &code, &perr);
		OPENSSL_cleanse(j->password, sizeof j->password);
		extract_set_tick(NULL, NULL);
		j->crashed = code == EXTRACT_CRASHED;
		qm_stage(&j->clock, QM_STAGE_PARSE_US, store_commit_us());   /* split included */
	} else {
		/* a text document's parsing is reading its stored text */
		qm_stage(&j->clock, QM_STAGE_PARSE_US, store_commit_us());
		stage_begin(j, "cleaning");
		st = split_text_staged(j->content ? j->content : "", j->content_len,
				       json_object_get(j->doc, "process_rule"), &j->chunks,
				       stage_begin, j, &perr);
		qm_stage(&j->clock, QM_STAGE_SPLIT_US, store_commit_us());
	}
	if (st == Q_OK)
		return 1;
	snprintf(j->error, sizeof j->error, "%s", perr.msg[0] ? perr.msg : q_status_code(st));
	/* fail_fn reports the document failed: on disk first */
	st = j->crashed ? job_run(s, j->conf, retry_fn, j, &err) : store_run(s, fail_fn, j, &err);
	if (st == Q_OK && j->crashed && !j->gave_up)
		QLOG_WARN("ingest of %s: %s; trying again after a backoff", j->doc_id, j->error);
	else if (st == Q_OK)
		qm_add(QM_INGEST_FAILED, 1);
	if (st != Q_OK && st != Q_ENOTFOUND && st != Q_ECONFLICT)
		QLOG_WARN("ingest of %s: %s", j->doc_id, err.msg);
	if (st == Q_EBUSY)
		release_busy(s, j);
	return 0;
}

/* Index n prepared jobs: one transaction for them all (batch_fn), or
 * index_fn's for one. A batch that fails otherwise than busy is indexed
 * job by job, so one bad document fails alone. */
static void index_jobs(struct store *s, struct job_ctx **v, size_t n)
{
	struct qerr err;
	struct qm_clock clock;
	struct batch bt = {v, n};
	enum qstatus st;
	if (!n)
		return;
	qm_clock_start(&clock, store_commit_us());
	/* Indexing writes many postings pages: one indexer at a time
	 * across processes avoids deadlock storms between them. */
	int lock = ingest_index_lock(v[0]->conf);
	v[0]->dropped = 0;
	st = n > 1 ? job_run(s, v[0]->conf, batch_fn, &bt, &err)
		   : job_run(s, v[0]->conf, index_fn, v[0], &err);
	ingest_index_unlock(lock);
	qm_stage(&clock, QM_STAGE_INDEX_US, store_commit_us());
	qm_add(QM_INGEST_BATCHES, 1);
	if (n > 1 && st != Q_OK && st != Q_EBUSY) {
		QLOG_WARN("ingest: a batch of %zu: %s; indexing them one by one", n, err.msg);
		for (size_t i = 0; i < n; i++)
			index_jobs(s, v + i, 1);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		struct job_ctx *j = v[i];
		if (st == Q_OK && !j->dropped) {
			qm_add(QM_INGEST_TOKENS, j->chunks.tokens);
			qm_add(QM_INGEST_COMPLETED, 1);
			qm_add(QM_INGEST_CHUNKS, j->chunks.n);
			qm_add(QM_INGEST_BYTES, j->chunks.plain_len);
		}
		if (st == Q_EBUSY)
			release_busy(s, j);
	}
	if (st == Q_OK)
		queue_wake(v[0]->conf->datadir);
	else if (st != Q_ENOTFOUND && st != Q_ECONFLICT)
		QLOG_WARN("ingest of %s: %s", v[0]->doc_id, err.msg);
}

static void run_claimed(struct store *s, struct job_ctx *j)
{
	if (prepare(s, j))
		index_jobs(s, &j, 1);
}

static void job_ctx_free(struct job_ctx *j)
{
	json_decref(j->doc);
	free(j->content);
	split_result_free(&j->chunks);
	memset(j, 0, sizeof *j);
}

struct claim_one {
	const char *doc_id;
	char job_id[STORE_ID_MAX];
};

static enum qstatus claim_doc_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct claim_one *c = arg;
	enum qstatus st = find_pending(t, c->doc_id, c->job_id, err);
	if (st != Q_OK || !c->job_id[0])
		return st;
	json_t *job;
	if ((st = store_get(t, T_JOBS, c->job_id, &job, STORE_RMW, err)) != Q_OK)
		return st;
	json_object_set_new(job, "status", json_string("processing"));
	json_object_set_new(job, "locked_at", json_integer((json_int_t)q_now_us()));
	json_object_set_new(job, "updated_us", json_integer((json_int_t)q_now_us()));
	json_object_set_new(job, "attempts",
			    json_integer(json_integer_value(json_object_get(job, "attempts")) + 1));
	st = store_put(t, T_JOBS, c->job_id, job, err);
	json_decref(job);
	return st;
}

enum qstatus ingest_document(struct store *s, const struct qconf *conf, const char *doc_id,
			     struct qerr *err)
{
	struct claim_one c = {doc_id, ""};
	enum qstatus st = job_run(s, conf, claim_doc_fn, &c, err);
	if (st != Q_OK || !c.job_id[0])
		return st;
	struct job_ctx j = {.conf = conf};
	snprintf(j.job_id, sizeof j.job_id, "%s", c.job_id);
	run_claimed(s, &j);
	job_ctx_free(&j);
	return store_flush(s, err);   /* no loop flushes after a CGI */
}

struct take_over {
	const struct qconf *conf;
	struct store_ids ids;
	size_t expired;
	int64_t locked_at;
};

static enum qstatus take_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct take_over *o = arg;
	enum qstatus st = queue_expire(t, "ingest", (int64_t)o->conf->ingest_lease * 1000000,
				       &o->expired, err);
	o->ids.n = 0;
	if (st == Q_OK)
		st = queue_claim(t, "ingest", 4, &o->ids, &o->locked_at, err);
	return st;
}

enum qstatus ingest_take_over(struct store *s, const struct qconf *conf, size_t *n,
			      struct qerr *err)
{
	struct take_over o = {.conf = conf};
	enum qstatus st = job_run(s, conf, take_fn, &o, err);
	*n = 0;
	for (size_t i = 0; st == Q_OK && i < o.ids.n; i++) {
		struct job_ctx j = {.conf = conf, .locked_at = o.locked_at};
		snprintf(j.job_id, sizeof j.job_id, "%s", o.ids.ids[i]);
		run_claimed(s, &j);
		job_ctx_free(&j);
		(*n)++;
	}
	store_ids_free(&o.ids);
	return st == Q_OK ? store_flush(s, err) : st;
}

struct next_claim {
	const struct qconf *conf;
	char job_id[STORE_ID_MAX];
	int64_t locked_at;
	int expire;
	int others;             /* another account had pending jobs (queue_claim_fair) */
	const char *account;    /* a batch's account: its next job, whatever its jobs in flight */
	struct job_ctx *j;      /* start the claimed job in the same transaction, or NULL */
};

static enum qstatus next_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct next_claim *c = arg;
	size_t expired = 0;
	/* Claims and creates one at a time (store.h): each read the queue's
	 * indexes, then wrote them, and two of them deadlocked there */
	enum qstatus st = store_txn_lock(t, STORE_LOCK_JOBS, err);
	if (st == Q_OK && c->expire)
		st = queue_expire(t, "ingest", (int64_t)c->conf->ingest_lease * 1000000, &expired,
				  err);
	if (st == Q_OK && c->account)
		st = queue_claim_account(t, "ingest", c->account, INGEST_WINDOW, 1, c->job_id,
					 &c->locked_at, err);
	else if (st == Q_OK)
		st = queue_claim_fair(t, "ingest", c->conf->ingest_account_concurrency,
				      c->conf->ingest_account_lend, INGEST_WINDOW, c->job_id, &c->locked_at,
				      &c->others, err);
	if (st == Q_OK && c->job_id[0] && c->j) {
		snprintf(c->j->job_id, sizeof c->j->job_id, "%s", c->job_id);
		c->j->locked_at = c->locked_at;
		st = start_fn(t, c->j, err);
	}
	return st;
}

/* Claim the next job (account NULL: fairly across accounts; else that
 * account's next) into j, started in the claim's transaction when that
 * can be. *got is 1 when a job was claimed; *others (or NULL) 1 when the
 * fair claim saw another account's pending jobs. */
static enum qstatus claim_next(struct store *s, const struct qconf *conf, int expire,
			       const char *account, struct job_ctx *j, int *got, int *others,
			       struct qerr *err)
{
	/* The claim and the job's start (document parsing, its text read) in
	 * one transaction: one commit fewer per document. A start that fails
	 * otherwise than busy takes the claim back with it, so the claim is
	 * then made alone, as run_claimed's own start reports the failure. */
	struct next_claim c = {.conf = conf, .expire = expire, .account = account, .j = j};
	j->conf = conf;
	qm_clock_start(&j->clock, store_commit_us());   /* the claim counts in parse */
	enum qstatus st = job_run(s, conf, next_fn, &c, err);
	if (st != Q_OK && st != Q_EBUSY && st != Q_ERECOVER) {
		qerr_clear(err);
		c.j = NULL;
		c.job_id[0] = '\0';
		st = job_run(s, conf, next_fn, &c, err);
	}
	*got = st == Q_OK && c.job_id[0];
	if (others)
		*others = c.others;
	if (!*got)
		return st;
	j->started = c.j != NULL;
	j->locked_at = c.locked_at;
	snprintf(j->job_id, sizeof j->job_id, "%s", c.job_id);
	return Q_OK;
}

/* Text in a batch at most (with ingest_batch and ingest_batch_ms). */
#define INGEST_BATCH_BYTES (1 << 20)

/* More jobs of a batch's account, claimed and started in one transaction:
 * up to max text documents into v[0..n), each under its own lease as a
 * claim of one job makes it, while the batch's text (bytes before them)
 * stays under INGEST_BATCH_BYTES. */
struct more_claim {
	const struct qconf *conf;
	const char *account;
	struct job_ctx *v;
	size_t max, n, bytes;
};

static enum qstatus more_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct more_claim *m = arg;
	size_t bytes = m->bytes;
	m->n = 0;   /* a rerun starts again */
	enum qstatus st = store_txn_lock(t, STORE_LOCK_JOBS, err);   /* as next_fn */
	if (st != Q_OK)
		return st;
	while (m->n < m->max && bytes < INGEST_BATCH_BYTES) {
		struct job_ctx *j = &m->v[m->n];
		int64_t locked_at;
		st = queue_claim_account(t, "ingest", m->account, INGEST_WINDOW, 1, j->job_id,
					 &locked_at, err);
		if (st != Q_OK || !j->job_id[0])
			break;
		j->conf = m->conf;
		j->locked_at = locked_at;
		if ((st = start_fn(t, j, err)) != Q_OK)
			break;
		j->started = 1;
		bytes += j->content_len;
		m->n++;
	}
	return st;
}

/* Claim the rest of a batch (claim_more's transaction) into v[0..*got).
 * A transaction that fails claims nothing: the batch ends there and the
 * jobs stay pending, for a claim of one job to report. */
static void claim_more(struct store *s, const struct qconf *conf, const char *account,
		       struct job_ctx *v, size_t max, size_t bytes, size_t *got)
{
	struct more_claim m = {conf, account, v, max, 0, bytes};
	struct qerr err;
	qm_clock_start(&v[0].clock, store_commit_us());   /* the claim counts in parse */
	enum qstatus st = job_run(s, conf, more_fn, &m, &err);
	*got = st == Q_OK ? m.n : 0;
	for (size_t i = *got; i < max; i++)
		job_ctx_free(&v[i]);   /* what a failed or cut attempt left */
	if (st != Q_OK && st != Q_EBUSY)
		QLOG_WARN("ingest: claiming a batch's jobs: %s", err.msg);
}

/* A batch (ingest_batch, docs/ingest.md): after the first job, more text
 * documents of the same account are claimed, all those due in one
 * transaction (claim_more), and prepared while the bounds allow (an
 * upload's extraction would hold the batch's earlier jobs without renewing
 * their leases), and indexed together. Each is claimed under its own lease
 * as ever, so a batch cut short by a crash is taken over job by job. A
 * document already in the batch (a second job of it) ends the claiming
 * and is indexed after the batch: its old chunks' postings must be
 * written before they are removed. */
enum qstatus ingest_next(struct store *s, const struct qconf *conf, int expire, int *ran,
			 struct qerr *err)
{
	size_t max = conf->ingest_batch > 1 ? (size_t)conf->ingest_batch : 1, n = 0, ready = 0;
	size_t nextra = 0;
	struct job_ctx *jobs = calloc(max, sizeof *jobs);
	struct job_ctx **v = calloc(max, sizeof *v), **extra = calloc(max, sizeof *extra);
	char account[STORE_ID_MAX] = "";
	size_t bytes = 0;
	int got = 0, spare = 0, others = 1;
	enum qstatus st = Q_OK;
	*ran = 0;
	if (!jobs || !v || !extra) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	int64_t t0 = q_mono_ms();
	while (n < max && !nextra) {
		size_t k = 0;
		if (n && (!account[0] || bytes >= INGEST_BATCH_BYTES ||
			  q_mono_ms() - t0 >= conf->ingest_batch_ms))
			break;
		if (!n) {
			st = claim_next(s, conf, expire, NULL, &jobs[0], &got, &others, err);
			k = st == Q_OK && got;
		} else {   /* the rest of the batch: one transaction */
			claim_more(s, conf, account, &jobs[n], max - n, bytes, &k);
			spare = !k;   /* every due job of the account is in the batch */
		}
		if (!k)
			break;
		*ran = 1;
		for (size_t e = n + k; n < e; n++) {
			struct job_ctx *j = &jobs[n];
			if (!prepare(s, j))
				continue;
			if (!account[0])
				snprintf(account, sizeof account, "%s",
					 json_string_value(json_object_get(j->doc, "account")) ?: "");
			size_t i = 0;
			while (i < ready && strcmp(v[i]->doc_id, j->doc_id))
				i++;
			if (i < ready)
				extra[nextra++] = j;   /* indexed after the batch */
			else
				v[ready++] = j;
			bytes += j->chunks.plain_len;
		}
	}
	/* Gathering (job_gather_ms) only while no other account waits: a
	 * process serving several accounts goes on to the next at once. */
	if (spare && !others && *ran)
		*ran = 2;
	index_jobs(s, v, ready);
	/* A second job of a document in the batch: after it (its old chunks'
	 * postings are written before they are removed), one at a time. */
	for (size_t i = 0; i < nextra; i++)
		index_jobs(s, &extra[i], 1);
out:
	for (size_t i = 0; jobs && i < n; i++)
		job_ctx_free(&jobs[i]);
	free(jobs);
	free(v);
	free(extra);
	return st;
}
