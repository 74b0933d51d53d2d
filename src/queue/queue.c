/* queue.c: claiming, leases, completion, failure and retry of jobs. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "queue/queue.h"
#include "store/docs.h"
#include "store/store.h"
#include "base/jsonscan.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void status_prefix(struct store_key *k, const char *kind, const char *status)
{
	store_key_init(k);
	store_key_str(k, kind);
	store_key_str(k, status);
}

static void set_status(json_t *job, const char *status)
{
	json_object_set_new(job, "status", json_string(status));
	json_object_set_new(job, "updated_us", json_integer((json_int_t)q_now_us()));
}

/* Backoff before attempt attempts + 1: 2 s after the first, doubling, at
 * most 512 s. */
static int64_t backoff_us(json_int_t attempts)
{
	int shift = attempts < 1 ? 0 : attempts > 9 ? 8 : (int)attempts - 1;
	return (2ll << shift) * 1000000;
}

/* The job (read for update) becomes processing under a new lease. */
static enum qstatus claim_job(struct stxn *t, const char *id, json_t *job, int64_t now,
			      struct qerr *err)
{
	set_status(job, "processing");
	json_object_set_new(job, "locked_at", json_integer((json_int_t)now));
	json_object_del(job, "renewed_us");
	json_object_set_new(job, "attempts",
			    json_integer(json_integer_value(json_object_get(job, "attempts")) + 1));
	return store_put(t, T_JOBS, id, job, err);
}

static void queue_prefix(struct store_key *k, const char *kind, const char *status,
			 const char *account)
{
	status_prefix(k, kind, status);
	if (account)
		store_key_str(k, account);
}

struct fair_pick {
	char id[STORE_ID_MAX];
	size_t inflight;
	int64_t waited_us;
	double mib;             /* the chosen job's file size */
	int found;
};

/* A job's or document's fields the fair claim reads, scanned from the
 * stored text without a parse (jsonscan.h): the claim looks at two or
 * three candidates per job it takes, and parsing them whole was the
 * largest share of the JSON parsing of an ingestion (docs/ingest.md,
 * fifth round). Q_EDB when the record does not scan, as store_get. */
static enum qstatus scan_fields(struct stxn *t, enum store_table tb, const char *pk,
				struct qbuf *b, const char *const names[], struct q_span v[],
				size_t n, struct qerr *err)
{
	enum qstatus st = store_get_buf(t, tb, pk, b, err);
	if (st != Q_OK)
		return st;
	if (q_json_members(b->data, b->len, names, v, n) < 0)
		return qerr_set(err, Q_EDB, NULL, "a stored record is damaged");
	return Q_OK;
}

/* The best due job of one account's queue (lowest cost). */
static enum qstatus best_of_account(struct stxn *t, const struct store_key *q, int window,
				    int64_t now, struct fair_pick *best, struct qerr *err)
{
	static const char *const job_names[] = {"next_us", "created_us", "document_id"};
	static const char *const doc_names[] = {"file_size"};
	struct store_ids cand = {0};
	struct qbuf b;
	double best_cost = 0;
	qbuf_init(&b, SIZE_MAX);
	enum qstatus st = store_scan(t, I_JOBS_BY_QUEUE, q, 0, (size_t)window, store_collect,
				     &cand, err);
	best->found = 0;
	for (size_t i = 0; st == Q_OK && i < cand.n; i++) {
		struct q_span jv[3], dv[1];
		if ((st = scan_fields(t, T_JOBS, cand.ids[i], &b, job_names, jv, 3, err)) != Q_OK)
			break;
		/* next_us: an integer, or null once due (json_is_integer) */
		int64_t created = q_span_int(jv[1]);
		if (q_span_int(jv[0]) > now)
			continue;
		/* The candidates come oldest first, so no later one can cost
		 * less than -waited (a file's size only adds): once the best
		 * is at most that, the rest are not read (a text document's
		 * claim read 16 jobs and 16 documents, 11% of an ingestion). */
		if (best->found && best_cost <= -(double)(now - created) / 1e6)
			break;
		char doc_id[STORE_ID_MAX];
		q_span_str(jv[2], doc_id, sizeof doc_id);
		double mib = 0;
		if (scan_fields(t, T_DOCS, doc_id, &b, doc_names, dv, 1, err) == Q_OK)
			mib = (double)q_span_int(dv[0]) / 1048576.0;
		qerr_clear(err);
		double cost = mib - (double)(now - created) / 1e6;
		if (!best->found || cost < best_cost) {
			best->found = 1;
			best_cost = cost;
			best->mib = mib;
			best->waited_us = now - created;
			snprintf(best->id, sizeof best->id, "%s", cand.ids[i]);
		}
	}
	qbuf_free(&b);
	store_ids_free(&cand);
	return st;
}

enum qstatus queue_claim_fair(struct stxn *t, const char *kind, int account_cap, int lend,
			      int window, char *job_id, int64_t *locked_at, int *others,
			      struct qerr *err)
{
	size_t queued = 0;   /* accounts with pending jobs */
	struct store_key pending, from, key;
	struct fair_pick pick = {.found = 0};
	struct fair_pick spare = {.found = 0};   /* the best of the accounts at their cap */
	int64_t now = q_now_us();
	enum qstatus st = Q_OK;

	job_id[0] = '\0';
	*locked_at = now;
	queue_prefix(&pending, kind, "pending", NULL);
	from = pending;
	/* One seek per account with queued work: the entries of a long
	 * queue are never read beyond its window. */
	for (int accounts = 0; accounts < 100000; accounts++) {
		st = store_seek(t, I_JOBS_BY_QUEUE, &from, &key, err);
		if (st == Q_ENOTFOUND) {
			qerr_clear(err);
			st = Q_OK;
			break;
		}
		if (st != Q_OK || key.len <= pending.len || memcmp(key.b, pending.b, pending.len))
			break;
		char account[STORE_KEY_MAX];
		queued++;
		size_t alen = strnlen((const char *)key.b + pending.len, key.len - pending.len);
		memcpy(account, key.b + pending.len, alen);
		account[alen] = '\0';
		struct store_key q, busy;
		size_t inflight = 0;
		queue_prefix(&q, kind, "pending", account);
		queue_prefix(&busy, kind, "processing", account);
		from = q;
		from.b[from.len - 1] = 1;   /* just past this account's queue */
		if ((st = store_count(t, I_JOBS_BY_QUEUE, &busy, &inflight, err)) != Q_OK)
			break;
		int capped = account_cap > 0 && inflight >= (size_t)account_cap;
		struct fair_pick *to = capped ? &spare : &pick;
		if (capped && (!lend || pick.found))
			continue;   /* an account under its cap has a due job */
		if (to->found && inflight > to->inflight)
			continue;
		struct fair_pick best;
		if ((st = best_of_account(t, &q, window, now, &best, err)) != Q_OK)
			break;
		if (!best.found || (capped && best.mib > 0))
			continue;   /* lent: text documents only */
		if (!to->found || inflight < to->inflight || best.waited_us > to->waited_us) {
			best.inflight = inflight;
			*to = best;
		}
	}
	/* Work-conserving: no account under its cap has a due job, so a free
	 * process is lent to one at its cap, for a text document (its batch
	 * ends within ingest_batch_ms and 1 MiB of text; an extraction could
	 * hold the process for minutes). */
	if (st == Q_OK && !pick.found && spare.found)
		pick = spare;
	if (others)
		*others = queued > (pick.found ? 1u : 0u);
	if (st != Q_OK || !pick.found)
		return st;
	json_t *job;
	if ((st = store_get(t, T_JOBS, pick.id, &job, STORE_RMW, err)) != Q_OK)
		return st;
	if (strcmp(json_string_value(json_object_get(job, "status")) ?: "", "pending")) {
		json_decref(job);
		return Q_OK;   /* taken meanwhile; the caller comes back */
	}
	st = claim_job(t, pick.id, job, now, err);
	json_decref(job);
	if (st == Q_OK)
		snprintf(job_id, STORE_ID_MAX, "%s", pick.id);
	return st;
}

enum qstatus queue_claim_account(struct stxn *t, const char *kind, const char *account,
				 int window, int no_files, char *job_id, int64_t *locked_at,
				 struct qerr *err)
{
	struct store_key q;
	struct fair_pick best = {.found = 0};
	int64_t now = q_now_us();
	job_id[0] = '\0';
	*locked_at = now;
	queue_prefix(&q, kind, "pending", account);
	enum qstatus st = best_of_account(t, &q, window, now, &best, err);
	if (st != Q_OK || !best.found || (no_files && best.mib > 0))
		return st;
	json_t *job;
	if ((st = store_get(t, T_JOBS, best.id, &job, STORE_RMW, err)) != Q_OK)
		return st;
	if (strcmp(json_string_value(json_object_get(job, "status")) ?: "", "pending")) {
		json_decref(job);
		return Q_OK;   /* taken meanwhile */
	}
	st = claim_job(t, best.id, job, now, err);
	json_decref(job);
	if (st == Q_OK)
		snprintf(job_id, STORE_ID_MAX, "%s", best.id);
	return st;
}

enum qstatus queue_account_backlog(struct stxn *t, const char *kind, const char *account,
				   size_t *n, struct qerr *err)
{
	struct store_key k;
	size_t a = 0, b = 0;
	enum qstatus st;
	queue_prefix(&k, kind, "pending", account);
	if ((st = store_count(t, I_JOBS_BY_QUEUE, &k, &a, err)) != Q_OK)
		return st;
	queue_prefix(&k, kind, "processing", account);
	st = store_count(t, I_JOBS_BY_QUEUE, &k, &b, err);
	*n = a + b;
	return st;
}

/* The job job_id, read for update, while the lease locked_at still holds
 * it; Q_ECONFLICT when another worker took it over. */
static enum qstatus leased_job(struct stxn *t, const char *job_id, int64_t locked_at,
			       json_t **out, struct qerr *err)
{
	json_t *job;
	enum qstatus st = store_get(t, T_JOBS, job_id, &job, STORE_RMW, err);
	if (st != Q_OK)
		return st;
	if (strcmp(json_string_value(json_object_get(job, "status")) ?: "", "processing") ||
	    json_integer_value(json_object_get(job, "locked_at")) != locked_at) {
		json_decref(job);
		return qerr_set(err, Q_ECONFLICT, NULL, "job taken over");
	}
	*out = job;
	return Q_OK;
}

enum qstatus queue_held(struct stxn *t, const char *job_id, int64_t locked_at,
			struct qbuf *b, struct qerr *err)
{
	static const char *const names[] = {"status", "locked_at"};
	struct q_span v[2];
	char status[16];
	enum qstatus st = store_get_buf_rmw(t, T_JOBS, job_id, b, err);
	if (st != Q_OK)
		return st;
	if (q_json_members(b->data, b->len, names, v, 2) < 0)
		return qerr_set(err, Q_EDB, NULL, "a stored record is damaged");
	q_span_str(v[0], status, sizeof status);   /* longer: cut, still not "processing" */
	if (strcmp(status, "processing") || q_span_int(v[1]) != locked_at)
		return qerr_set(err, Q_ECONFLICT, NULL, "job taken over");
	return Q_OK;
}

enum qstatus queue_release(struct stxn *t, const char *job_id, int64_t locked_at, int delay_s,
			   struct qerr *err)
{
	json_t *job;
	enum qstatus st = leased_job(t, job_id, locked_at, &job, err);
	if (st != Q_OK)
		return st;
	json_int_t attempts = json_integer_value(json_object_get(job, "attempts"));
	set_status(job, "pending");
	json_object_set_new(job, "locked_at", json_null());
	json_object_del(job, "renewed_us");
	json_object_set_new(job, "attempts", json_integer(attempts > 0 ? attempts - 1 : 0));
	json_object_set_new(job, "next_us",
			    json_integer((json_int_t)(q_now_us() + (int64_t)delay_s * 1000000)));
	st = store_put(t, T_JOBS, job_id, job, err);
	json_decref(job);
	return st;
}

enum qstatus queue_renew(struct stxn *t, const char *job_id, int64_t locked_at,
			 struct qerr *err)
{
	json_t *job;
	enum qstatus st = leased_job(t, job_id, locked_at, &job, err);
	if (st != Q_OK)
		return st;
	json_object_set_new(job, "renewed_us", json_integer((json_int_t)q_now_us()));
	st = store_put(t, T_JOBS, job_id, job, err);
	json_decref(job);
	return st;
}

enum qstatus queue_release_all(struct stxn *t, const char *kind, size_t *n, struct qerr *err)
{
	struct store_key k;
	struct store_ids cand = {0};
	enum qstatus st;

	*n = 0;
	status_prefix(&k, kind, "processing");
	st = store_scan(t, I_JOBS_BY_STATUS, &k, 0, 0, store_collect, &cand, err);
	for (size_t i = 0; st == Q_OK && i < cand.n; i++) {
		json_t *job;
		if ((st = store_get(t, T_JOBS, cand.ids[i], &job, STORE_RMW, err)) != Q_OK)
			break;
		json_int_t attempts = json_integer_value(json_object_get(job, "attempts"));
		set_status(job, "pending");
		json_object_set_new(job, "locked_at", json_null());
		json_object_del(job, "renewed_us");
		json_object_set_new(job, "next_us",
				    json_integer((json_int_t)(q_now_us() + backoff_us(attempts))));
		st = store_put(t, T_JOBS, cand.ids[i], job, err);
		json_decref(job);
		(*n)++;
	}
	store_ids_free(&cand);
	return st;
}

enum qstatus queue_claim(struct stxn *t, const char *kind, size_t max,
			 struct store_ids *out, int64_t *locked_at, struct qerr *err)
{
	struct store_key k;
	struct store_ids cand = {0};
	enum qstatus st;
	int64_t now = q_now_us();
	size_t claimed = 0;

	if (locked_at)
		*locked_at = now;
	status_prefix(&k, kind, "pending");
	/* Look a little further than max: some candidates may not be due yet. */
	st = store_scan(t, I_JOBS_BY_STATUS, &k, 0, max * 4, store_collect, &cand, err);
	for (size_t i = 0; st == Q_OK && i < cand.n && claimed < max; i++) {
		json_t *job;
		if ((st = store_get(t, T_JOBS, cand.ids[i], &job, STORE_RMW, err)) != Q_OK)
			break;
		json_t *next = json_object_get(job, "next_us");
		if (strcmp(json_string_value(json_object_get(job, "status")) ?: "", "pending") ||
		    (json_is_integer(next) && json_integer_value(next) > now)) {
			json_decref(job);
			continue;
		}
		st = claim_job(t, cand.ids[i], job, now, err);
		json_decref(job);
		if (st == Q_OK) {
			store_collect(cand.ids[i], out);
			claimed++;
		}
	}
	store_ids_free(&cand);
	return st;
}

enum qstatus queue_expire(struct stxn *t, const char *kind, int64_t lease_us, size_t *n,
			  struct qerr *err)
{
	struct store_key k;
	struct store_ids cand = {0};
	int64_t now = q_now_us();
	enum qstatus st;

	*n = 0;
	status_prefix(&k, kind, "processing");
	st = store_scan(t, I_JOBS_BY_STATUS, &k, 0, 1000, store_collect, &cand, err);
	for (size_t i = 0; st == Q_OK && i < cand.n; i++) {
		json_t *job;
		if ((st = store_get(t, T_JOBS, cand.ids[i], &job, STORE_RMW, err)) != Q_OK)
			break;
		json_int_t locked = json_integer_value(json_object_get(job, "locked_at"));
		json_int_t renewed = json_integer_value(json_object_get(job, "renewed_us"));
		if (renewed > locked)
			locked = renewed;
		if (now - locked > lease_us) {
			set_status(job, "pending");
			json_object_set_new(job, "locked_at", json_null());
			st = store_put(t, T_JOBS, cand.ids[i], job, err);
			(*n)++;
		}
		json_decref(job);
	}
	store_ids_free(&cand);
	return st;
}

enum qstatus queue_complete(struct stxn *t, const char *job_id, struct qerr *err)
{
	json_t *job;
	enum qstatus st = store_get(t, T_JOBS, job_id, &job, STORE_RMW, err);
	if (st != Q_OK)
		return st;
	set_status(job, "completed");
	json_object_set_new(job, "locked_at", json_null());
	json_object_set_new(job, "error", json_null());
	st = store_put(t, T_JOBS, job_id, job, err);
	json_decref(job);
	return st;
}

enum qstatus queue_fail(struct stxn *t, const char *job_id, const char *error, int retriable,
			int max_attempts, int retry_after_s, int *failed, struct qerr *err)
{
	json_t *job;
	enum qstatus st = store_get(t, T_JOBS, job_id, &job, STORE_RMW, err);
	if (st != Q_OK)
		return st;
	/* attempts counts every attempt; the budget counts those since the
	 * last retry or reset (attempts_base). */
	json_int_t attempts = json_integer_value(json_object_get(job, "attempts")) -
			      json_integer_value(json_object_get(job, "attempts_base"));
	*failed = !retriable || attempts >= max_attempts;
	set_status(job, *failed ? "failed" : "pending");
	json_object_set_new(job, "error", json_string(error));
	json_object_set_new(job, "locked_at", json_null());
	if (!*failed) {
		int64_t backoff = retry_after_s > 0 ? (int64_t)retry_after_s * 1000000
						    : backoff_us(attempts);
		json_object_set_new(job, "next_us", json_integer((json_int_t)(q_now_us() + backoff)));
	}
	st = store_put(t, T_JOBS, job_id, job, err);
	json_decref(job);
	return st;
}

enum qstatus queue_retry(struct stxn *t, const char *job_id, json_t **out, struct qerr *err)
{
	json_t *job;
	enum qstatus st = store_get(t, T_JOBS, job_id, &job, STORE_RMW, err);
	if (st != Q_OK)
		return st;
	if (strcmp(json_string_value(json_object_get(job, "status")) ?: "", "failed")) {
		json_decref(job);
		return qerr_set(err, Q_ESTATE, NULL, "Only jobs with status failed can be retried");
	}
	set_status(job, "pending");
	json_object_set_new(job, "attempts_base",
			    json_integer(json_integer_value(json_object_get(job, "attempts"))));
	json_object_del(job, "next_us");
	st = store_put(t, T_JOBS, job_id, job, err);
	if (st == Q_OK)
		*out = job;
	else
		json_decref(job);
	return st;
}

enum qstatus queue_reset(struct stxn *t, const char *job_id, struct qerr *err)
{
	json_t *job;
	enum qstatus st = store_get(t, T_JOBS, job_id, &job, STORE_RMW, err);
	if (st != Q_OK)
		return st;
	set_status(job, "pending");
	json_object_set_new(job, "attempts_base",
			    json_integer(json_integer_value(json_object_get(job, "attempts"))));
	json_object_set_new(job, "error", json_null());
	json_object_set_new(job, "locked_at", json_null());
	json_object_del(job, "next_us");
	st = store_put(t, T_JOBS, job_id, job, err);
	json_decref(job);
	return st;
}

static void wake(const char *datadir, const char *name)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", datadir, name);
	int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;   /* no reader: quire-embed is not waiting */
	if (write(fd, "w", 1) < 0 && errno != EAGAIN)
		(void)0;
	close(fd);
}

void queue_wake(const char *datadir)
{
	wake(datadir, "embed.wake");
}

void queue_wake_ingest(const char *datadir)
{
	wake(datadir, "ingest.wake");
}

int queue_wake_open(const char *datadir, const char *name)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", datadir, name);
	if (mkfifo(path, 0600) < 0 && errno != EEXIST)
		return -1;
	/* O_RDWR keeps a writer open, so poll() does not report hang-ups. */
	return open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
}
