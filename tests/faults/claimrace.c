/* claimrace.c: the multi-process double-claim checker of the job queue
 * (RELIABILITY D19): processes race to claim and complete the same jobs. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An owner creates JOBS ingest jobs (over four accounts) and JOBS embed
 * jobs; PROCS processes join the environment and, until both queues are
 * empty, claim (ingest fairly one at a time, as quire-ingest does; embed
 * in batches of up to 4, as quire-embed does), hold the claim 0-2 ms and
 * complete, appending every claim and completion to one log (O_APPEND, a
 * line per write). The lock timeout is 20 ms, so lock waits time out and
 * transactions are rerun all the time (store_run, RELIABILITY D13), the
 * path that once reused a dead transaction; one process runs the lock
 * watch. Checked: every process ends 0, no job is claimed twice, every job
 * is completed once, the queue ends with every job completed. Bounded:
 * 120 s, then the processes are killed and the test fails. */
#include "config.h"
#include "queue/queue.h"
#include "store/docs.h"
#include "store/jobs.h"
#include "store/store.h"
#include "unit/unit.h"
#include "base/util.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#define PROCS 6
#define JOBS 300
#define BOUND_S 120

static char dir[PATH_MAX], home[PATH_MAX + 8], logpath[PATH_MAX + 16];

struct make_arg {
	const char *kind;
	int from, n;
};

static enum qstatus make_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct make_arg *a = arg;
	enum qstatus st = Q_OK;
	for (int i = a->from; st == Q_OK && i < a->from + a->n; i++) {
		char acct[16], doc[32], id[STORE_ID_MAX];
		snprintf(acct, sizeof acct, "acct%d", i % 4);
		snprintf(doc, sizeof doc, "doc-%s-%d", a->kind, i);
		st = job_create(t, a->kind, acct, doc, id, err);
	}
	return st;
}

struct claim_arg {
	int embed;
	struct store_ids ids;
	char job[STORE_ID_MAX];
	int64_t lease;
};

static enum qstatus claim_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct claim_arg *c = arg;
	c->job[0] = 0;
	store_ids_free(&c->ids);   /* a rerun starts from nothing */
	if (c->embed)
		return queue_claim(t, "embed", 4, &c->ids, &c->lease, err);
	return queue_claim_fair(t, "ingest", 0, 0, 8, c->job, &c->lease, NULL, err);
}

static enum qstatus complete_fn(struct stxn *t, void *arg, struct qerr *err)
{
	return queue_complete(t, arg, err);
}

static void note(int fd, char what, const char *kind, const char *job)
{
	char line[160];
	int n = snprintf(line, sizeof line, "%c %s %s %d\n", what, kind, job, (int)getpid());
	if (write(fd, line, (size_t)n) != n)
		_exit(3);
}

static void hold_briefly(void)
{
	unsigned r;
	q_random(&r, sizeof r);
	struct timespec ts = {0, (long)(r % 2000) * 1000L};
	nanosleep(&ts, NULL);
}

/* Claim and complete one round of a kind; 1 when something was claimed. */
static int round_of(struct store *s, int fd, int embed)
{
	struct claim_arg c = {.embed = embed};
	const char *kind = embed ? "embed" : "ingest";
	struct qerr err;
	int got = 0;
	if (store_run(s, claim_fn, &c, &err) != Q_OK) {
		if (err.st != Q_EBUSY) {
			fprintf(stderr, "claimrace: claim: %s\n", err.msg);
			_exit(4);
		}
		return 1;   /* busy past db_retry_ms: try again */
	}
	if (!embed && c.job[0]) {
		note(fd, 'C', kind, c.job);
		hold_briefly();
		while (store_run(s, complete_fn, c.job, &err) != Q_OK)
			if (err.st != Q_EBUSY) {
				fprintf(stderr, "claimrace: complete: %s\n", err.msg);
				_exit(5);
			}
		note(fd, 'D', kind, c.job);
		got = 1;
	}
	for (size_t i = 0; embed && i < c.ids.n; i++)
		note(fd, 'C', kind, c.ids.ids[i]);
	if (embed && c.ids.n)
		hold_briefly();
	for (size_t i = 0; embed && i < c.ids.n; i++) {
		while (store_run(s, complete_fn, c.ids.ids[i], &err) != Q_OK)
			if (err.st != Q_EBUSY) {
				fprintf(stderr, "claimrace: complete: %s\n", err.msg);
				_exit(5);
			}
		note(fd, 'D', kind, c.ids.ids[i]);
		got = 1;
	}
	store_ids_free(&c.ids);
	return got;
}

static void child(int n)
{
	struct store *s;
	struct qerr err;
	store_set_lock_timeout_ms(20);
	store_set_retry_ms(10000);
	if (store_open(&s, home, STORE_JOIN, &err) != Q_OK)
		_exit(2);
	if (n == 0 && store_lock_watch_start(home) < 0)
		_exit(2);
	int fd = open(logpath, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		_exit(2);
	int idle = 0;
	while (idle < 3) {
		int a = round_of(s, fd, n % 2), b = round_of(s, fd, !(n % 2));
		idle = a || b ? 0 : idle + 1;
	}
	close(fd);
	printf("# process %d: %lu transactions rerun after a deadlock or lock timeout\n", n,
	       store_rerun_count());
	fflush(stdout);
	store_lock_watch_stop();
	store_close(s);
	_exit(0);
}

/* Count the log: claims and completions per job, and jobs seen. */
struct tally {
	size_t lines, jobs, twice_claimed, twice_done, undone;
};

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void tally_log(struct tally *t)
{
	FILE *f = fopen(logpath, "r");
	char **v = NULL, line[160];
	size_t n = 0, cap = 0;
	memset(t, 0, sizeof *t);
	if (!f)
		bail_out("cannot read %s", logpath);
	while (fgets(line, sizeof line, f)) {
		/* "C kind job pid": keep "kind job C" to sort by job */
		char what, kind[16], job[STORE_ID_MAX];
		if (sscanf(line, "%c %15s %71s", &what, kind, job) != 3)
			bail_out("bad log line: %s", line);
		if (n == cap && !(v = realloc(v, (cap = cap ? 2 * cap : 1024) * sizeof *v)))
			bail_out("out of memory");
		if (asprintf(&v[n++], "%s %s %c", kind, job, what) < 0)
			bail_out("out of memory");
	}
	fclose(f);
	t->lines = n;
	qsort(v, n, sizeof *v, cmp_line);
	for (size_t i = 0; i < n;) {
		size_t j = i, len = strlen(v[i]) - 1, c = 0, d = 0;
		for (; j < n && !strncmp(v[j], v[i], len); j++)
			v[j][len] == 'C' ? c++ : d++;
		t->jobs++;
		t->twice_claimed += c > 1;
		t->twice_done += d > 1;
		t->undone += d == 0;
		i = j;
	}
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

struct counts_arg {
	size_t done[2], open[2];
};

static enum qstatus counts_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct counts_arg *c = arg;
	const char *kinds[2] = {"ingest", "embed"};
	enum qstatus st = Q_OK;
	for (int k = 0; st == Q_OK && k < 2; k++) {
		size_t p = 0, r = 0;
		if ((st = jobs_count(t, kinds[k], "completed", &c->done[k], err)) == Q_OK &&
		    (st = jobs_count(t, kinds[k], "pending", &p, err)) == Q_OK)
			st = jobs_count(t, kinds[k], "processing", &r, err);
		c->open[k] = p + r;
	}
	return st;
}

int main(void)
{
	struct qerr err;
	pid_t pids[PROCS];
	int bad = 0;
	unit_tmpdir(dir, "claimrace");
	struct store *s = unit_store(dir);
	snprintf(home, sizeof home, "%s/db", dir);
	snprintf(logpath, sizeof logpath, "%s/claims.log", dir);
	int fd = open(logpath, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	if (fd < 0)
		bail_out("cannot create %s", logpath);
	close(fd);
	for (int k = 0; k < 2; k++)
		for (int from = 0; from < JOBS; from += 100) {
			struct make_arg a = {k ? "embed" : "ingest", from, 100};
			if (store_run(s, make_fn, &a, &err) != Q_OK)
				bail_out("creating jobs: %s", err.msg);
		}
	fflush(NULL);
	for (int i = 0; i < PROCS; i++) {
		if ((pids[i] = fork()) < 0)
			bail_out("fork");
		if (pids[i] == 0)
			child(i);
	}
	time_t end = time(NULL) + BOUND_S;
	int left = PROCS, timed_out = 0;
	while (left > 0) {
		int status;
		pid_t p = waitpid(-1, &status, WNOHANG);
		if (p > 0) {
			left--;
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
				bad++;
				diag("process %d ended with status %#x", (int)p, status);
			}
			continue;
		}
		if (time(NULL) >= end && !timed_out) {
			timed_out = 1;
			for (int i = 0; i < PROCS; i++)
				kill(pids[i], SIGKILL);
		}
		usleep(20000);
	}
	ok(!timed_out, "%d processes emptied both queues within %d s", PROCS, BOUND_S);
	ok(bad == 0, "every process ended 0 (%d did not)", bad);
	struct tally t;
	tally_log(&t);
	diag("%zu log lines, %zu jobs", t.lines, t.jobs);
	ok(t.twice_claimed == 0, "no job was claimed twice (%zu were)", t.twice_claimed);
	ok(t.twice_done == 0 && t.undone == 0,
	   "every claimed job was completed once (%zu twice, %zu never)", t.twice_done, t.undone);
	ok(t.jobs == 2 * JOBS, "every job was claimed (%zu of %d)", t.jobs, 2 * JOBS);
	struct counts_arg c;
	memset(&c, 0, sizeof c);
	if (store_run(s, counts_fn, &c, &err) != Q_OK)
		bail_out("counting: %s", err.msg);
	ok(c.done[0] == JOBS && c.done[1] == JOBS && c.open[0] == 0 && c.open[1] == 0,
	   "the queue ends all completed: ingest %zu, embed %zu of %d; %zu and %zu open",
	   c.done[0], c.done[1], JOBS, c.open[0], c.open[1]);
	store_close(s);
	unit_rmtree(dir);
	return done_testing();
}
