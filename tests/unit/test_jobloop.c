/* test_jobloop.c: the loop the ingest processes and the embedder share
 * (daemon/jobloop.c): gathering (job_gather_ms). After a round whose batch
 * had room to spare (*did 2), and after a wake from idle, the next round
 * waits the gathering time; after a full batch it does not; the wake bytes
 * written while it gathers are drained, so the loop does not wake again
 * for jobs its next round already saw; with gathering off a wake is
 * answered at once. Lower bounds on the waits are asserted exactly; the
 * rounds that must not wait are asserted to come well within the
 * gathering time. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "base/conf.h"
#include "base/util.h"
#include "daemon/jobloop.h"
#include "store/store.h"
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define GATHER 300   /* ms: long beside a round that returns at once */
#define ROUNDS 8

static char dir[PATH_MAX], fifo[PATH_MAX + 16];
static struct store *s;
static struct qconf conf;
static volatile sig_atomic_t stop;

/* A scripted loop: round i answers did[i] and notes when it ran; the
 * rounds past the script stop the loop. */
struct script {
	int did[ROUNDS], n;
	int64_t at[ROUNDS];
	int ran;
};

static enum qstatus step(void *arg, int *did, struct qerr *err)
{
	struct script *sc = arg;
	(void)err;
	if (sc->ran < ROUNDS)
		sc->at[sc->ran] = q_mono_ms();
	*did = sc->ran < sc->n ? sc->did[sc->ran] : 0;
	if (++sc->ran >= sc->n)
		stop = 1;
	return Q_OK;
}

static void ms_sleep(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* Writes a wake byte at each of its times (ms after the start). */
struct waker {
	int at[4], n;
	int64_t t0;
	int64_t wrote[4];
};

static void *wake_thread(void *arg)
{
	struct waker *w = arg;
	for (int i = 0; i < w->n; i++) {
		int64_t left = w->t0 + w->at[i] - q_mono_ms();
		if (left > 0)
			ms_sleep((int)left);
		int fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
		w->wrote[i] = q_mono_ms();
		if (fd >= 0) {
			if (write(fd, "w", 1) != 1)
				diag("a wake byte was not written");
			close(fd);
		}
	}
	return NULL;
}

static int run_loop(struct script *sc, int gather_ms, int idle_ms, int wake)
{
	struct jobloop l = {.conf = &conf, .s = s, .stop = &stop, .wake = wake,
			    .idle_ms = idle_ms, .gather_ms = gather_ms, .step = step, .arg = sc};
	stop = 0;
	return jobloop_run(&l);
}

static int open_fifo(void)
{
	if (mkfifo(fifo, 0600) < 0 && errno != EEXIST)
		bail_out("mkfifo %s", fifo);
	int fd = open(fifo, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		bail_out("open %s", fifo);
	return fd;
}

/* After a batch with room to spare the next round waits; after a full
 * batch it does not. */
static void test_spare(void)
{
	struct script sc = {.did = {2, 1, 1, 0}, .n = 3};
	is_int(run_loop(&sc, GATHER, 5000, -1), 0, "the loop ends when told to");
	is_int(sc.ran, 3, "three rounds ran");
	ok(sc.at[1] - sc.at[0] >= GATHER,
	   "a batch with room to spare: the next round waits the gathering time (%lld ms)",
	   (long long)(sc.at[1] - sc.at[0]));
	ok(sc.at[2] - sc.at[1] < GATHER / 2,
	   "a full batch: the next round comes at once (%lld ms)", (long long)(sc.at[2] - sc.at[1]));

	struct script off = {.did = {2, 1, 0}, .n = 2};
	run_loop(&off, 0, 5000, -1);
	ok(off.at[1] - off.at[0] < GATHER / 2,
	   "job_gather_ms 0: no wait after a batch with room to spare (%lld ms)",
	   (long long)(off.at[1] - off.at[0]));
}

/* Idle, woken by a byte: the next round waits the gathering time after
 * the byte; a byte written meanwhile is drained, so once that round finds
 * nothing the loop sleeps its whole idle time. */
static void test_wake(void)
{
	int fd = open_fifo();
	struct script sc = {.did = {0, 0, 0}, .n = 3};
	struct waker w = {.at = {100, 100 + GATHER / 3}, .n = 2, .t0 = q_mono_ms()};
	pthread_t th;
	pthread_create(&th, NULL, wake_thread, &w);
	int idle_ms = 3 * GATHER;
	run_loop(&sc, GATHER, idle_ms, fd);
	pthread_join(th, NULL);
	is_int(sc.ran, 3, "three rounds ran");
	ok(sc.at[1] - w.wrote[0] >= GATHER,
	   "woken from idle: the round waits the gathering time after the wake (%lld ms)",
	   (long long)(sc.at[1] - w.wrote[0]));
	ok(w.wrote[1] < sc.at[1], "the second byte came while the loop gathered");
	ok(sc.at[2] - sc.at[1] >= idle_ms - 10,
	   "the byte written while it gathered was drained: the loop slept its idle time "
	   "(%lld ms of %d)", (long long)(sc.at[2] - sc.at[1]), idle_ms);

	/* gathering off: the wake is answered at once */
	struct script off = {.did = {0, 0}, .n = 2};
	struct waker w2 = {.at = {100}, .n = 1, .t0 = q_mono_ms()};
	pthread_create(&th, NULL, wake_thread, &w2);
	run_loop(&off, 0, idle_ms, fd);
	pthread_join(th, NULL);
	ok(off.at[1] - w2.wrote[0] < GATHER / 2,
	   "job_gather_ms 0: a wake is answered at once (%lld ms)",
	   (long long)(off.at[1] - w2.wrote[0]));
	close(fd);
}

int main(void)
{
	plan(10);
	unit_tmpdir(dir, "jobloop");
	snprintf(fifo, sizeof fifo, "%s/test.wake", dir);
	qconf_defaults(&conf);
	snprintf(conf.datadir, sizeof conf.datadir, "%s", dir);
	conf.disk_min_free_mb = 0;
	s = unit_store(dir);
	test_spare();
	test_wake();
	store_close(s);
	unit_rmtree(dir);
	return done_testing();
}
