/* queue.c: claiming, leases, completion, failure and retry of jobs. */
#include "config.h"
#include "queue/queue.h"
#include "store/docs.h"
#include "store/store.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
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
		set_status(job, "processing");
		json_object_set_new(job, "locked_at", json_integer((json_int_t)now));
		json_object_set_new(job, "attempts",
				    json_integer(json_integer_value(json_object_get(job, "attempts")) + 1));
		st = store_put(t, T_JOBS, cand.ids[i], job, err);
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
		/* 2 s after the first attempt, doubling per attempt, at most 512 s. */
		int shift = attempts < 1 ? 0 : attempts > 9 ? 8 : (int)attempts - 1;
		int64_t backoff = retry_after_s > 0 ? retry_after_s : 2ll << shift;
		json_object_set_new(job, "next_us", json_integer((json_int_t)(q_now_us() +
									       backoff * 1000000)));
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

void queue_wake(const char *datadir)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/embed.wake", datadir);
	int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;   /* no reader: quire-embed is not waiting */
	if (write(fd, "w", 1) < 0 && errno != EAGAIN)
		(void)0;
	close(fd);
}
