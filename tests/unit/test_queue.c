/* test_queue.c: the job queue and the embedder's use of it: claims stamp a
 * lease, an expired lease returns the job to pending, the backoff after a
 * retriable failure (2 s, then doubling; Retry-After wins), a stale lease
 * cannot save, a holder that stayed busy gives its job back (release), and
 * reembed keeps one embed job per chunk. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "base/conf.h"
#include "store/docs.h"
#include "store/chunks.h"
#include "store/jobs.h"
#include "store/accounts.h"
#include "embed/embedder.h"
#include "embed/vectors.h"
#include "embed/reembed.h"
#include "queue/queue.h"
#include "store/store.h"
#include "unit.h"
#include "base/util.h"

#include <string.h>
#include <unistd.h>

static char dir[PATH_MAX];
static struct store *s;
static struct qconf conf;

/* ---- fixtures ------------------------------------------------------------ */

struct doc_arg {
	unsigned nchunks;
	char id[37];
	char jobs[8][37];
};

/* A document as ingest leaves it: indexing, nchunks chunks with one
 * pending embed job each. */
static enum qstatus doc_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct doc_arg *a = arg;
	struct doc_input in = {.title = "queue", .content = "x", .content_len = 1};
	char acct[37];
	int created;
	json_t *doc;
	enum qstatus st = account_ensure(t, "acme", acct, &created, err);
	if (st == Q_OK)
		st = doc_create(t, acct, &in, a->id, &doc, err);
	if (st != Q_OK)
		return st;
	doc_set_status(doc, "indexing");
	json_object_set_new(doc, "embed_total", json_integer(a->nchunks));
	json_object_set_new(doc, "embed_done", json_integer(0));
	json_object_set_new(doc, "embed_failed", json_integer(0));
	json_object_set_new(doc, "segment_count", json_integer(a->nchunks));
	st = store_put(t, T_DOCS, a->id, doc, err);
	json_decref(doc);
	if (st == Q_OK)
		st = jobs_delete_for_doc(t, a->id, "ingest", 0, err);
	for (unsigned i = 0; st == Q_OK && i < a->nchunks; i++) {
		json_t *rec = json_pack("{s:s, s:i}", "text", "queue test chunk words", "lang", 0);
		st = chunk_put(t, a->id, i, rec, err);
		json_decref(rec);
		if (st == Q_OK)
			st = job_create_chunk(t, acct, a->id, i, a->jobs[i], err);
	}
	return st;
}

static void new_doc(struct doc_arg *a, unsigned nchunks)
{
	struct qerr err;
	memset(a, 0, sizeof *a);
	a->nchunks = nchunks;
	if (store_run(s, doc_fn, a, &err) != Q_OK)
		bail_out("fixture: %s", err.msg);
}

struct get_arg {
	enum store_table tb;
	const char *id;
	json_t *rec;
};

static enum qstatus get_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct get_arg *a = arg;
	return store_get(t, a->tb, a->id, &a->rec, 0, err);
}

/* The stored record (new) or NULL. */
static json_t *get(enum store_table tb, const char *id)
{
	struct get_arg a = {tb, id, NULL};
	struct qerr err;
	store_run(s, get_fn, &a, &err);
	return a.rec;
}

static const char *field(json_t *rec, const char *k)
{
	return json_string_value(json_object_get(rec, k)) ?: "";
}

static long long num(json_t *rec, const char *k)
{
	return (long long)json_integer_value(json_object_get(rec, k));
}

/* Complete every pending or processing embed job, so tests do not see
 * each other's. */
static enum qstatus drain_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct store_ids ids = {0};
	size_t expired;
	enum qstatus st = queue_expire(t, "embed", -1, &expired, err);
	if (st == Q_OK)
		st = queue_claim(t, "embed", 1000, &ids, NULL, err);
	for (size_t i = 0; st == Q_OK && i < ids.n; i++)
		st = queue_complete(t, ids.ids[i], err);
	store_ids_free(&ids);
	return st;
}

static void drain(void)
{
	struct qerr err;
	if (store_run(s, drain_fn, NULL, &err) != Q_OK)
		bail_out("drain: %s", err.msg);
}

struct claim_arg {
	size_t max;
	int64_t lease_us;       /* < 0: no expiry pass */
	size_t expired;
	struct store_ids ids;
	int64_t locked_at;
};

static enum qstatus claim_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct claim_arg *a = arg;
	enum qstatus st = Q_OK;
	a->ids.n = 0;
	if (a->lease_us >= 0)
		st = queue_expire(t, "embed", a->lease_us, &a->expired, err);
	if (st == Q_OK)
		st = queue_claim(t, "embed", a->max, &a->ids, &a->locked_at, err);
	return st;
}

static void claim(struct claim_arg *a)
{
	struct qerr err;
	if (store_run(s, claim_fn, a, &err) != Q_OK)
		bail_out("claim: %s", err.msg);
}

/* ---- leases -------------------------------------------------------------- */

static void test_lease(void)
{
	struct doc_arg d;
	new_doc(&d, 1);
	struct claim_arg c = {.max = 10, .lease_us = -1};
	claim(&c);
	is_int(c.ids.n, 1, "the pending job is claimed");
	json_t *job = get(T_JOBS, d.jobs[0]);
	is_str(field(job, "status"), "processing", "a claimed job is processing");
	is_int(num(job, "locked_at"), c.locked_at, "its locked_at is the claim's stamp");
	is_int(num(job, "attempts"), 1, "the claim counts an attempt");
	json_decref(job);

	struct claim_arg c2 = {.max = 10, .lease_us = 60 * 1000000ll};
	claim(&c2);
	is_int(c2.expired, 0, "a current lease does not expire");
	is_int(c2.ids.n, 0, "and the job cannot be claimed twice");

	usleep(300000);
	struct claim_arg c3 = {.max = 0, .lease_us = 100000};
	claim(&c3);
	is_int(c3.expired, 1, "a lease older than the lease time expires");
	job = get(T_JOBS, d.jobs[0]);
	is_str(field(job, "status"), "pending", "the expired job is pending again");
	ok(json_is_null(json_object_get(job, "locked_at")), "and its lease is gone");
	json_decref(job);

	struct claim_arg c4 = {.max = 10, .lease_us = -1};
	claim(&c4);
	is_int(c4.ids.n, 1, "another process claims it again");
	job = get(T_JOBS, d.jobs[0]);
	ok(num(job, "locked_at") == c4.locked_at && c4.locked_at > c.locked_at,
	   "under a new lease");
	is_int(num(job, "attempts"), 2, "with a second attempt");
	json_decref(job);
	store_ids_free(&c.ids);
	store_ids_free(&c2.ids);
	store_ids_free(&c3.ids);
	store_ids_free(&c4.ids);
	drain();
}

/* ---- release (a holder that stayed busy gives the job back) ------------- */

struct release_arg {
	const char *id;
	int64_t locked_at;
};

static enum qstatus release_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct release_arg *a = arg;
	return queue_release(t, a->id, a->locked_at, 1, err);
}

static void test_release(void)
{
	struct doc_arg d;
	struct qerr err;
	new_doc(&d, 1);
	struct claim_arg c = {.max = 10, .lease_us = -1};
	claim(&c);
	is_int(c.ids.n, 1, "release: the job is claimed");
	struct release_arg wrong = {d.jobs[0], c.locked_at + 1};
	is_int(store_run(s, release_fn, &wrong, &err), Q_ECONFLICT,
	       "another lease cannot give it back");
	struct release_arg mine = {d.jobs[0], c.locked_at};
	int64_t before = q_now_us();
	is_int(store_run(s, release_fn, &mine, &err), Q_OK, "its holder gives it back");
	json_t *job = get(T_JOBS, d.jobs[0]);
	is_str(field(job, "status"), "pending", "pending again at once, not after its lease");
	ok(json_is_null(json_object_get(job, "locked_at")), "with no lease");
	is_int(num(job, "attempts"), 0, "the claim's attempt is not counted");
	ok(num(job, "next_us") >= before + 1000000, "due again after the delay (1 s)");
	json_decref(job);
	struct claim_arg c2 = {.max = 10, .lease_us = -1};
	claim(&c2);
	is_int(c2.ids.n, 0, "not claimed before the delay");
	usleep(1100000);
	struct claim_arg c3 = {.max = 10, .lease_us = -1};
	claim(&c3);
	is_int(c3.ids.n, 1, "claimed again after it");
	store_ids_free(&c.ids);
	store_ids_free(&c2.ids);
	store_ids_free(&c3.ids);
	drain();
}

/* ---- backoff ------------------------------------------------------------- */

struct fail_arg {
	const char *id;
	int retry_after, max, failed;
};

static enum qstatus fail_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct fail_arg *a = arg;
	return queue_fail(t, a->id, "OpenAI API error: server error", 1, a->max, a->retry_after,
			  &a->failed, err);
}

/* Fail the claimed job; the backoff it got, in seconds. */
static double fail_once(const char *id, int retry_after, int max, int *failed)
{
	struct fail_arg f = {id, retry_after, max, 0};
	struct qerr err;
	int64_t before = q_now_us();
	if (store_run(s, fail_fn, &f, &err) != Q_OK)
		bail_out("queue_fail: %s", err.msg);
	*failed = f.failed;
	json_t *job = get(T_JOBS, id);
	double backoff = (double)(num(job, "next_us") - before) / 1e6;
	json_decref(job);
	return backoff;
}

struct undue_arg {
	const char *id;
};

static enum qstatus undue_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct undue_arg *a = arg;
	json_t *job;
	enum qstatus st = store_get(t, T_JOBS, a->id, &job, STORE_RMW, err);
	if (st != Q_OK)
		return st;
	json_object_del(job, "next_us");
	st = store_put(t, T_JOBS, a->id, job, err);
	json_decref(job);
	return st;
}

/* Take the job's backoff away and claim it: one more attempt. */
static void reclaim(const char *id)
{
	struct undue_arg u = {id};
	struct qerr err;
	if (store_run(s, undue_fn, &u, &err) != Q_OK)
		bail_out("undue: %s", err.msg);
	struct claim_arg c = {.max = 100, .lease_us = -1};
	claim(&c);
	if (c.ids.n != 1)
		bail_out("reclaim claimed %zu jobs", c.ids.n);
	store_ids_free(&c.ids);
}

static void test_backoff(void)
{
	struct doc_arg d;
	int failed;
	new_doc(&d, 1);
	reclaim(d.jobs[0]);
	double b = fail_once(d.jobs[0], 0, 5, &failed);
	ok(!failed && b > 1.9 && b < 2.1, "the first retriable failure backs off 2 s (%.2f s)", b);
	json_t *job = get(T_JOBS, d.jobs[0]);
	is_str(field(job, "status"), "pending", "and the job waits as pending");
	is_str(field(job, "error"), "OpenAI API error: server error", "with the error recorded");
	json_decref(job);
	struct claim_arg c = {.max = 100, .lease_us = -1};
	claim(&c);
	is_int(c.ids.n, 0, "a job is not claimed before its backoff ends");
	store_ids_free(&c.ids);
	reclaim(d.jobs[0]);
	b = fail_once(d.jobs[0], 0, 5, &failed);
	ok(!failed && b > 3.9 && b < 4.1, "the second backs off 4 s (%.2f s)", b);
	reclaim(d.jobs[0]);
	b = fail_once(d.jobs[0], 1, 5, &failed);
	ok(!failed && b > 0.9 && b < 1.1, "Retry-After replaces the backoff (%.2f s)", b);
	reclaim(d.jobs[0]);
	b = fail_once(d.jobs[0], 0, 5, &failed);
	ok(!failed && b > 15.9 && b < 16.1, "the fourth backs off 16 s (%.2f s)", b);
	reclaim(d.jobs[0]);
	fail_once(d.jobs[0], 0, 5, &failed);
	ok(failed, "the fifth attempt of five fails for good");
	job = get(T_JOBS, d.jobs[0]);
	is_str(field(job, "status"), "failed", "the job is failed");
	json_decref(job);
}

/* ---- a stale lease cannot save ------------------------------------------ */

/* A backend that, while "embedding", lets the batch's leases expire and
 * another process claim the jobs: what a stalled embedder finds on waking. */
struct stall_backend {
	struct embed_backend base;
	int stall;
	int64_t stolen_at;
	size_t stolen;
};

static void stall_embed(struct embed_backend *b, const char *const *texts, const size_t *lens,
			size_t n, float *out, struct embed_batch_result *res)
{
	struct stall_backend *sb = (struct stall_backend *)b;
	for (size_t i = 0; i < n * b->dims; i++)
		out[i] = (float)((i % b->dims) + 1);
	res->st = Q_OK;
	if (!sb->stall)
		return;
	usleep(20000);
	struct claim_arg c = {.max = 100, .lease_us = 10000};
	claim(&c);
	sb->stolen_at = c.locked_at;
	sb->stolen = c.ids.n;
	store_ids_free(&c.ids);
}

struct vec_arg {
	const char *key;
	enum qstatus st;
};

static enum qstatus vec_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct vec_arg *a = arg;
	char model[64];
	int8_t *v = NULL;
	unsigned dims;
	float scale;
	a->st = vector_get(t, a->key, model, sizeof model, &v, &dims, &scale, err);
	free(v);
	return Q_OK;
}

static enum qstatus has_vector(const char *doc, unsigned pos)
{
	char key[64];
	struct qerr err;
	snprintf(key, sizeof key, "%s:%08u", doc, pos);
	struct vec_arg a = {key, Q_OK};
	store_run(s, vec_fn, &a, &err);
	return a.st;
}

static void test_stale_lease(void)
{
	struct stall_backend sb = {{"test-model", 8, stall_embed, NULL}, 1, 0, 0};
	struct doc_arg d;
	struct qerr err;
	size_t done;
	drain();
	new_doc(&d, 2);
	enum qstatus st = embedder_step(s, &conf, &sb.base, &done, &err);
	is_int(st, Q_OK, "the step ends");
	is_int(sb.stolen, 2, "both jobs were claimed again while the first embedder worked");
	for (int i = 0; i < 2; i++) {
		json_t *job = get(T_JOBS, d.jobs[i]);
		ok(!strcmp(field(job, "status"), "processing") && num(job, "locked_at") == sb.stolen_at,
		   "job %d stays with the new lease holder", i);
		json_decref(job);
		is_int(has_vector(d.id, (unsigned)i), Q_ENOTFOUND,
		       "the stale embedder wrote no vector for chunk %d", i);
	}
	json_t *doc = get(T_DOCS, d.id);
	is_int(num(doc, "embed_done"), 0, "nor counted progress");
	json_decref(doc);

	/* The control: the same step with its lease intact saves. */
	usleep(20000);
	struct claim_arg c = {.max = 0, .lease_us = 10000};
	claim(&c);
	store_ids_free(&c.ids);
	sb.stall = 0;
	st = embedder_step(s, &conf, &sb.base, &done, &err);
	is_int(done, 2, "with a current lease the step handles both jobs");
	for (int i = 0; i < 2; i++) {
		json_t *job = get(T_JOBS, d.jobs[i]);
		is_str(field(job, "status"), "completed", "job %d completed", i);
		json_decref(job);
		is_int(has_vector(d.id, (unsigned)i), Q_OK, "chunk %d has its vector", i);
	}
	doc = get(T_DOCS, d.id);
	is_str(field(doc, "indexing_status"), "completed", "the document completes");
	json_decref(doc);
}

/* ---- a batch's progress: one document write per batch ------------------ */

static void fail_embed(struct embed_backend *b, const char *const *texts, const size_t *lens,
		       size_t n, float *out, struct embed_batch_result *res)
{
	res->st = Q_EINTERNAL;
	res->retriable = 0;
	snprintf(res->error, sizeof res->error, "test backend refused");
}

/* The embedder counts a batch's chunks per document and writes each
 * document once (embedder.c's progress): the counts and states must be
 * those of a write per chunk, whatever the batch holds of each document. */
static void test_progress(void)
{
	struct stall_backend sb = {{"test-model", 8, stall_embed, NULL}, 0, 0, 0};
	struct embed_backend fb = {"test-model", 8, fail_embed, NULL};
	struct doc_arg d[3];
	static const unsigned n[3] = {3, 5, 2};
	struct qerr err;
	size_t done;
	struct qconf c = conf;
	drain();
	for (int i = 0; i < 3; i++)
		new_doc(&d[i], n[i]);
	c.embed_batch = 4;   /* 10 chunks: batches of 4, 4 and 2, documents across them */
	size_t steps = 0, total = 0;
	for (; steps < 5; steps++) {
		if (embedder_step(s, &c, &sb.base, &done, &err) != Q_OK || !done)
			break;
		total += done;
		json_t *doc = get(T_DOCS, d[1].id);
		if (steps == 0)   /* 3 of the first, 1 of the second */
			ok(num(doc, "embed_done") == 1 && !strcmp(field(doc, "indexing_status"), "indexing"),
			   "progress: after the first batch the second document has 1 of 5, indexing "
			   "(%lld, %s)", num(doc, "embed_done"), field(doc, "indexing_status"));
		json_decref(doc);
	}
	is_int(total, 10, "progress: every chunk embedded");
	is_int(steps, 3, "progress: in three batches");
	for (int i = 0; i < 3; i++) {
		json_t *doc = get(T_DOCS, d[i].id);
		ok(num(doc, "embed_done") == n[i] && num(doc, "embed_failed") == 0 &&
		   !strcmp(field(doc, "indexing_status"), "completed"),
		   "progress: document %d completed with %lld of %u done", i, num(doc, "embed_done"), n[i]);
		json_decref(doc);
	}

	/* A batch that fails for good: each document in error, every chunk
	 * counted failed once. */
	drain();
	new_doc(&d[0], 2);
	new_doc(&d[1], 3);
	c.embed_batch = 64;
	c.embed_max_attempts = 1;
	embedder_step(s, &c, &fb, &done, &err);
	is_int(done, 5, "progress: the failing batch took all 5 jobs");
	for (int i = 0; i < 2; i++) {
		json_t *doc = get(T_DOCS, d[i].id);
		ok(num(doc, "embed_failed") == 2 + i &&
		   num(doc, "embed_done") == 0 && !strcmp(field(doc, "indexing_status"), "error") &&
		   !strcmp(field(doc, "error"), "test backend refused"),
		   "progress: document %d in error, its chunks counted failed once (%lld)", i,
		   num(doc, "embed_failed"));
		json_decref(doc);
	}
	drain();
}

/* ---- reembed ------------------------------------------------------------- */

struct re_arg {
	const char *model;
	size_t queued, seen;
	const char *doc;
	size_t jobs;
};

static enum qstatus re_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct re_arg *a = arg;
	return reembed_all(t, a->model, &a->queued, &a->seen, err);
}

static int count_cb(const char *pk, void *arg)
{
	(void)pk;
	(*(size_t *)arg)++;
	return 0;
}

static enum qstatus count_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct re_arg *a = arg;
	struct store_key k;
	store_key_init(&k);
	store_key_str(&k, a->doc);
	a->jobs = 0;
	return store_scan(t, I_JOBS_BY_DOC, &k, 0, 0, count_cb, &a->jobs, err);
}

struct dup_arg {
	const char *doc;
	char job[37];
};

static enum qstatus dup_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct dup_arg *a = arg;
	return job_create_chunk(t, "acme", a->doc, 0, a->job, err);
}

static void test_reembed(void)
{
	struct re_arg r = {.model = "other-model"};
	struct qerr err;
	struct doc_arg d;
	size_t done;
	struct stall_backend sb = {{"test-model", 8, stall_embed, NULL}, 0, 0, 0};
	drain();
	new_doc(&d, 3);
	embedder_step(s, &conf, &sb.base, &done, &err);
	json_t *doc = get(T_DOCS, d.id);
	is_str(field(doc, "indexing_status"), "completed", "reembed fixture: completed");
	json_decref(doc);
	/* What the old reembed left behind: a second job for chunk 0. */
	struct dup_arg dup = {d.id, ""};
	store_run(s, dup_fn, &dup, &err);
	r.doc = d.id;
	store_run(s, count_fn, &r, &err);
	is_int(r.jobs, 4, "the fixture holds a duplicate job");
	if (store_run(s, re_fn, &r, &err) != Q_OK)
		diag("reembed_all: %s", err.msg);
	store_run(s, count_fn, &r, &err);
	is_int(r.jobs, 3, "after reembed the document has one job per chunk");
	for (int i = 0; i < 3; i++) {
		json_t *job = get(T_JOBS, d.jobs[i]);
		/* a fresh budget: attempts keeps counting, attempts_base marks it */
		ok(job && !strcmp(field(job, "status"), "pending") &&
		   num(job, "attempts_base") == num(job, "attempts"),
		   "chunk %d's own job is pending again, with a fresh attempt budget", i);
		json_decref(job);
	}
	doc = get(T_DOCS, d.id);
	is_str(field(doc, "indexing_status"), "indexing", "the document is indexing again");
	is_int(num(doc, "embed_done"), 0, "with no chunk counted done");
	json_decref(doc);
	/* Again: nothing is added. */
	store_run(s, re_fn, &r, &err);
	store_run(s, count_fn, &r, &err);
	is_int(r.jobs, 3, "a second reembed adds no job");
}

/* ---- held (the holder's check, scanned not parsed) ----------------------- */

static enum qstatus held_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct release_arg *a = arg;
	struct qbuf b;
	qbuf_init(&b, SIZE_MAX);
	enum qstatus st = queue_held(t, a->id, a->locked_at, &b, err);
	qbuf_free(&b);
	return st;
}

struct kindjob_arg {
	const char *doc, *kind, *status;
	char id[37];
};

/* A job of another kind and status for a document (a reingest's). */
static enum qstatus kindjob_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct kindjob_arg *a = arg;
	json_t *job = NULL;
	json_t *doc;
	enum qstatus st = store_get(t, T_DOCS, a->doc, &doc, 0, err);
	if (st != Q_OK)
		return st;
	st = job_create_chunk(t, json_string_value(json_object_get(doc, "account")), a->doc, 7,
			      a->id, err);
	json_decref(doc);
	if (st == Q_OK)
		st = store_get(t, T_JOBS, a->id, &job, STORE_RMW, err);
	if (st == Q_OK) {
		json_object_set_new(job, "kind", json_string(a->kind));
		json_object_set_new(job, "status", json_string(a->status));
		st = store_put(t, T_JOBS, a->id, job, err);
		json_decref(job);
	}
	return st;
}

static enum qstatus delete_kind_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct kindjob_arg *a = arg;
	return jobs_delete_for_doc(t, a->doc, a->kind, !strcmp(a->status, "pending"), err);
}

static int job_there(const char *id)
{
	json_t *job = get(T_JOBS, id);
	json_decref(job);
	return job != NULL;
}

static void test_held(void)
{
	struct doc_arg d;
	struct qerr err;
	new_doc(&d, 2);
	struct release_arg pending = {d.jobs[0], 0};
	is_int(store_run(s, held_fn, &pending, &err), Q_ECONFLICT,
	       "held: a pending job (no lease, locked_at null) is nobody's");
	struct claim_arg c = {.max = 1, .lease_us = -1};
	claim(&c);
	is_int(c.ids.n, 1, "held: one job claimed");
	struct release_arg mine = {c.ids.ids[0], c.locked_at};
	is_int(store_run(s, held_fn, &mine, &err), Q_OK, "held: its holder holds it");
	struct release_arg other = {c.ids.ids[0], c.locked_at + 1};
	is_int(store_run(s, held_fn, &other, &err), Q_ECONFLICT, "held: another lease does not");
	struct release_arg gone = {"no-such-job", c.locked_at};
	is_int(store_run(s, held_fn, &gone, &err), Q_ENOTFOUND, "held: a job gone is not found");
	is_int(store_run(s, release_fn, &mine, &err), Q_OK, "held: given back");
	is_int(store_run(s, held_fn, &mine, &err), Q_ECONFLICT, "held: no longer after release");
	store_ids_free(&c.ids);

	/* jobs_delete_for_doc reads kind and status by a scan: only the kind
	 * (and, asked, the pending ones) go */
	struct kindjob_arg ing = {d.id, "ingest", "processing", ""};
	struct kindjob_arg ingp = {d.id, "ingest", "pending", ""};
	if (store_run(s, kindjob_fn, &ing, &err) != Q_OK ||
	    store_run(s, kindjob_fn, &ingp, &err) != Q_OK)
		bail_out("fixture: %s", err.msg);
	struct kindjob_arg del_pending = {d.id, "ingest", "pending", ""};
	is_int(store_run(s, delete_kind_fn, &del_pending, &err), Q_OK, "delete: pending ingest jobs");
	ok(job_there(ing.id) && !job_there(ingp.id) && job_there(d.jobs[0]) && job_there(d.jobs[1]),
	   "delete: only the pending ingest job went");
	struct kindjob_arg del_embed = {d.id, "embed", "any", ""};
	is_int(store_run(s, delete_kind_fn, &del_embed, &err), Q_OK, "delete: embed jobs");
	ok(job_there(ing.id) && !job_there(d.jobs[0]) && !job_there(d.jobs[1]),
	   "delete: the embed jobs went, the ingest job stayed");
	drain();
}

int main(void)
{
	unit_tmpdir(dir, "queue");
	s = unit_store(dir);
	qconf_defaults(&conf);
	test_lease();
	test_release();
	test_held();
	test_backoff();
	test_stale_lease();
	test_progress();
	test_reembed();
	store_close(s);
	unit_rmtree(dir);
	return done_testing();
}
