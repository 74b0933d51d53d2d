/* test_fair.c: the ingest pool's claiming policy (docs/ingest.md):
 * accounts take turns (fewest in flight, then longest wait) under the
 * per-account cap; within an account small files pass a big one until it
 * has waited its size in seconds; jobs backing off are passed over; the
 * backlog count; lease renewal against expiry; the release at recovery;
 * the per-account index rebuilt when an older environment lacks it; and
 * a batch's claims of one account (queue_claim_account): past the cap,
 * that account's jobs only, none with a file when asked so. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "store/docs.h"
#include "store/accounts.h"
#include "queue/queue.h"
#include "store/store.h"
#include "unit.h"
#include "base/util.h"

#include <string.h>
#include <unistd.h>

static char dir[PATH_MAX];
static struct store *s;

/* ---- fixtures ------------------------------------------------------------ */

struct up_arg {
	const char *account;
	unsigned long long size;
	char doc[37];
	char job[STORE_ID_MAX];
};

static enum qstatus up_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct up_arg *a = arg;
	/* an upload: the size is the stored file's (the blob need not exist) */
	struct doc_input in = {.title = "f", .file_name = "f.pdf", .mime = "application/pdf",
			       .blob = "0000000000000000000000000000000000000000000000000000000000000000",
			       .file_size = a->size};
	char acct[37];
	int created;
	json_t *doc = NULL;
	struct store_key k;
	struct store_ids ids = {0};
	enum qstatus st = account_ensure(t, a->account, acct, &created, err);
	if (st == Q_OK)
		st = doc_create(t, acct, &in, a->doc, &doc, err);
	json_decref(doc);
	if (st != Q_OK)
		return st;
	store_key_init(&k);
	store_key_str(&k, a->doc);
	st = store_scan(t, I_JOBS_BY_DOC, &k, 0, 1, store_collect, &ids, err);
	if (st == Q_OK && ids.n == 1)
		snprintf(a->job, sizeof a->job, "%s", ids.ids[0]);
	store_ids_free(&ids);
	return st;
}

/* A document of account (size bytes) with its pending ingest job. */
static void upload(struct up_arg *a, const char *account, unsigned long long size)
{
	struct qerr err;
	memset(a, 0, sizeof *a);
	a->account = account;
	a->size = size;
	if (store_run(s, up_fn, a, &err) != Q_OK || !a->job[0])
		bail_out("fixture: %s", err.msg);
	usleep(2000);   /* distinct creation times */
}

/* Whether the last claim_lent saw another account's pending jobs. */
static int last_others = -1;

struct fair_arg {
	int cap, lend;
	char job[STORE_ID_MAX];
	int64_t locked_at;
	int others;
};

static enum qstatus fair_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct fair_arg *a = arg;
	return queue_claim_fair(t, "ingest", a->cap, a->lend, 16, a->job, &a->locked_at, &a->others,
				err);
}

/* The job id claimed ("" for none); lend: past the cap when no account
 * under it has due work (ingest_account_lend). */
static const char *claim_lent(int cap, int lend, int64_t *locked_at)
{
	static struct fair_arg a;
	struct qerr err;
	memset(&a, 0, sizeof a);
	a.cap = cap;
	a.lend = lend;
	if (store_run(s, fair_fn, &a, &err) != Q_OK)
		bail_out("claim: %s", err.msg);
	if (locked_at)
		*locked_at = a.locked_at;
	last_others = a.others;
	return a.job;
}

static const char *claim(int cap, int64_t *locked_at)
{
	return claim_lent(cap, 0, locked_at);
}

struct job_edit {
	const char *id;
	const char *field;
	int64_t value;
};

static enum qstatus edit_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct job_edit *e = arg;
	json_t *job;
	enum qstatus st = store_get(t, T_JOBS, e->id, &job, STORE_RMW, err);
	if (st != Q_OK)
		return st;
	if (!strcmp(e->field, "complete")) {
		json_decref(job);
		return queue_complete(t, e->id, err);
	}
	json_object_set_new(job, e->field, json_integer((json_int_t)e->value));
	st = store_put(t, T_JOBS, e->id, job, err);
	json_decref(job);
	return st;
}

static void edit(const char *id, const char *field, int64_t value)
{
	struct job_edit e = {id, field, value};
	struct qerr err;
	if (store_run(s, edit_fn, &e, &err) != Q_OK)
		bail_out("edit: %s", err.msg);
}

static void complete(const char *id)
{
	edit(id, "complete", 0);
}

/* ---- tests ----------------------------------------------------------------- */

static void test_turns(void)
{
	struct up_arg a[4], b;
	for (int i = 0; i < 4; i++)
		upload(&a[i], "acme", 1000);
	upload(&b, "globex", 1000);
	is_str(claim(1, NULL), a[0].job, "both idle: the account waiting longest (acme) goes first");
	is_str(claim(1, NULL), b.job, "acme at its cap of 1: globex's job next, though newer");
	is_str(claim(1, NULL), "", "both at their cap: nothing is claimed");
	complete(a[0].job);
	is_str(claim(1, NULL), a[1].job, "acme's next once its first is done");
	complete(a[1].job);
	complete(b.job);
	/* no cap: the account with fewer in flight still goes first */
	struct up_arg c;
	upload(&c, "globex", 1000);
	is_str(claim(0, NULL), a[2].job, "no cap, both idle: acme (waiting longest)");
	is_str(claim(0, NULL), c.job, "no cap: globex (none in flight) before acme's third");
	is_str(claim(0, NULL), a[3].job, "then acme again: a second one in flight without a cap");
	complete(a[2].job);
	complete(a[3].job);
	complete(c.job);
}

static void test_sizes(void)
{
	struct up_arg big, small, later;
	upload(&big, "initech", 100ull << 20);
	upload(&small, "initech", 1024);
	is_str(claim(1, NULL), small.job, "a small file passes a 100 MiB one queued before it");
	complete(small.job);
	edit(big.job, "created_us", q_now_us() - 200 * 1000000ll);
	upload(&later, "initech", 1024);
	is_str(claim(1, NULL), big.job, "a big file that waited longer than its size in seconds comes first");
	complete(big.job);
	edit(later.job, "next_us", q_now_us() + 60 * 1000000ll);
	is_str(claim(1, NULL), "", "a job backing off is not due");
	edit(later.job, "next_us", 0);
	is_str(claim(1, NULL), later.job, "and is claimed once due");
	complete(later.job);
}

struct backlog_arg {
	const char *account;
	size_t n;
};

static enum qstatus backlog_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct backlog_arg *a = arg;
	char acct[37];
	int created;
	enum qstatus st = account_ensure(t, a->account, acct, &created, err);
	return st != Q_OK ? st : queue_account_backlog(t, "ingest", acct, &a->n, err);
}

static size_t backlog(const char *account)
{
	struct backlog_arg a = {account, 0};
	struct qerr err;
	if (store_run(s, backlog_fn, &a, &err) != Q_OK)
		bail_out("backlog: %s", err.msg);
	return a.n;
}

struct lease_arg {
	const char *job;
	int64_t locked_at, lease_us;
	size_t n;
	enum qstatus st;
};

static enum qstatus renew_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct lease_arg *a = arg;
	a->st = queue_renew(t, a->job, a->locked_at, err);
	return Q_OK;
}

static enum qstatus expire_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct lease_arg *a = arg;
	return queue_expire(t, "ingest", a->lease_us, &a->n, err);
}

static enum qstatus release_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct lease_arg *a = arg;
	return queue_release_all(t, "ingest", &a->n, err);
}

static void run(store_fn fn, struct lease_arg *a)
{
	struct qerr err;
	if (store_run(s, fn, a, &err) != Q_OK)
		bail_out("run: %s", err.msg);
}

static enum qstatus status_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct lease_arg *a = arg;
	json_t *job;
	enum qstatus st = store_get(t, T_JOBS, a->job, &job, 0, err);
	if (st != Q_OK)
		return st;
	a->n = !strcmp(json_string_value(json_object_get(job, "status")) ?: "", "pending");
	a->lease_us = json_integer_value(json_object_get(job, "next_us"));
	json_decref(job);
	return Q_OK;
}

static void test_leases(void)
{
	struct up_arg x, y;
	int64_t locked;
	upload(&x, "umbrella", 10);
	upload(&y, "umbrella", 10);
	is_int(backlog("umbrella"), 2, "two jobs queued: a backlog of 2");
	is_str(claim(0, &locked), x.job, "claimed");
	is_int(backlog("umbrella"), 2, "a running job still counts in the backlog");
	usleep(300000);
	struct lease_arg a = {.job = x.job, .locked_at = locked};
	run(renew_fn, &a);
	is_int(a.st, Q_OK, "its holder renews the lease");
	a.lease_us = 200000;
	run(expire_fn, &a);
	is_int(a.n, 0, "0.3 s after the claim, a 0.2 s lease renewed just now has not run out");
	a.locked_at = locked + 1;
	run(renew_fn, &a);
	is_int(a.st, Q_ECONFLICT, "a stale holder cannot renew");
	usleep(300000);
	a.lease_us = 200000;
	run(expire_fn, &a);
	is_int(a.n, 1, "without renewal the lease runs out");
	is_str(claim(0, &locked), x.job, "claimed again");
	is_str(claim(0, NULL), y.job, "and the other");
	run(release_fn, &a);
	is_int(a.n, 2, "the release at recovery queues both running jobs again");
	struct lease_arg q = {.job = x.job};
	run(status_fn, &q);
	ok(q.n == 1 && q.lease_us > q_now_us(), "pending, after a backoff");
	edit(x.job, "next_us", 0);
	edit(y.job, "next_us", 0);
}

/* An environment from before the per-account index: the owner builds it
 * from the jobs when it creates the file. */
static void test_index_fill(void)
{
	char path[PATH_MAX + 32];
	is_int(backlog("umbrella"), 2, "the backlog before the index is removed");
	store_close(s);
	snprintf(path, sizeof path, "%s/db/ix_jobs_queue.db", dir);
	ok(unlink(path) == 0, "ix_jobs_queue.db removed");
	s = unit_store(dir);
	is_int(backlog("umbrella"), 2, "rebuilt at open: the same backlog");
	ok(claim(0, NULL)[0] != '\0', "and a claim finds the queued jobs");
	size_t problems = 99;
	struct qerr err;
	ok(store_check_indexes(s, &problems, &err) == Q_OK && problems == 0,
	   "every index agrees with its table");
}

/* ---- a batch's claims (queue_claim_account) -------------------------------- */

struct acct_arg {
	const char *account;
	int no_files;
	char job[STORE_ID_MAX];
	int64_t locked_at;
};

static enum qstatus acct_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct acct_arg *a = arg;
	char id[37];
	int created;
	enum qstatus st = account_ensure(t, a->account, id, &created, err);
	return st == Q_OK ? queue_claim_account(t, "ingest", id, 16, a->no_files, a->job,
						&a->locked_at, err)
			  : st;
}

static const char *claim_of(const char *account, int no_files)
{
	static struct acct_arg a;
	struct qerr err;
	memset(&a, 0, sizeof a);
	a.account = account;
	a.no_files = no_files;
	if (store_run(s, acct_fn, &a, &err) != Q_OK)
		bail_out("claim_account: %s", err.msg);
	return a.job;
}

static void test_batch_claims(void)
{
	struct up_arg big, t1, t2, other;
	char first[STORE_ID_MAX], second[STORE_ID_MAX];
	upload(&big, "batchco", 2u << 20);   /* the oldest, but a 2 MiB file */
	upload(&t1, "batchco", 0);
	upload(&t2, "batchco", 0);
	upload(&other, "batchother", 0);
	snprintf(first, sizeof first, "%s", claim_of("batchco", 1));
	snprintf(second, sizeof second, "%s", claim_of("batchco", 1));
	ok(!strcmp(first, t1.job) && !strcmp(second, t2.job),
	   "a batch claims its account's jobs without a file in turn, past the cap of 1");
	is_str(claim_of("batchco", 1), "", "no_files: the file is not claimed (the batch ends)");
	is_str(claim_of("batchco", 0), big.job, "without no_files it is");
	is_str(claim_of("batchco", 0), "", "then nothing: another account's job is never taken");
	is_str(claim_of("batchother", 1), other.job, "which its own account's claim finds");
}

/* ingest_account_lend: a lone account at its cap still gets a free process
 * for its text documents, and gives way as soon as another account has a
 * due job. */
static void test_lend(void)
{
	struct up_arg t1, t2, t3, t4, f, other;
	char first[STORE_ID_MAX], second[STORE_ID_MAX];
	for (const char *id; *(id = claim(0, NULL));)
		complete(id);   /* the earlier tests' jobs left pending */
	upload(&t1, "lone", 0);
	upload(&t2, "lone", 0);
	upload(&t3, "lone", 0);
	snprintf(first, sizeof first, "%s", claim_lent(1, 1, NULL));
	is_int(last_others, 0, "no other account has pending jobs (others 0: the pool may gather)");
	snprintf(second, sizeof second, "%s", claim_lent(1, 1, NULL));
	ok(!strcmp(first, t1.job) && !strcmp(second, t2.job),
	   "a lone account's jobs are worked two at once past its cap of 1");
	is_str(claim(1, NULL), "", "without lend the cap holds");
	upload(&other, "newcomer", 0);
	is_str(claim_lent(1, 1, NULL), other.job,
	       "another account's due job goes first, though the lone account's is older");
	is_int(last_others, 1, "the lone account's pending job is another account's (others 1)");
	is_str(claim_lent(1, 1, NULL), t3.job, "then the lone account's again (nobody else waits)");
	is_str(claim_lent(2, 1, NULL), "", "nothing left: nothing is claimed");
	complete(t1.job);
	complete(t2.job);
	complete(t3.job);
	upload(&t4, "lone", 0);
	upload(&f, "lone", 1024);   /* a file: its extraction could hold the process */
	is_str(claim_lent(1, 1, NULL), t4.job, "under its cap the account's oldest, a text");
	is_str(claim_lent(1, 1, NULL), "", "at the cap no job is lent when its best is a file");
	complete(t4.job);
	is_str(claim_lent(1, 1, NULL), f.job, "under the cap again: the file");
	complete(f.job);
	complete(other.job);
}

int main(void)
{
	unit_tmpdir(dir, "fair");
	s = unit_store(dir);
	test_turns();
	test_sizes();
	test_leases();
	test_index_fill();
	test_batch_claims();
	test_lend();
	store_close(s);
	unit_rmtree(dir);
	return done_testing();
}
