/* quire_embed.c: quire-embed, the offline batch embedder. Under quired it
 * runs continuously, sleeping on DATADIR/embed.wake (a FIFO that workers
 * write a byte to when they queue work) instead of polling; --once drains
 * the queue and exits (cron, or by hand when no supervisor runs, taking the
 * data directory lock and recovering first); --once also runs the ingest
 * jobs still queued, as no ingest process runs then (under quired the
 * ingest processes do, src/daemon/quire_ingest.c). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "admin/vindex.h"
#include "admin/compact.h"
#include "base/jsontext.h"
#include "base/conf.h"
#include "daemon/jobloop.h"
#include "queue/queue.h"
#include "search/search_context.h"
#include "store/datalock.h"
#include "store/docs.h"
#include "store/jobs.h"
#include "embed/embedder.h"
#include "pipeline/ingest.h"
#include "base/log.h"
#include "base/metrics.h"
#include "store/store.h"
#include "base/util.h"
#include "base/spawn.h"

#include <errno.h>
#include <sysexits.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	stop = 1;
}

struct counts {
	size_t pending, processing, completed, failed;
};

static enum qstatus count_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct counts *c = arg;
	enum qstatus st;
	if ((st = jobs_count(t, "embed", "pending", &c->pending, err)) ||
	    (st = jobs_count(t, "embed", "processing", &c->processing, err)) ||
	    (st = jobs_count(t, "embed", "completed", &c->completed, err)))
		return st;
	return jobs_count(t, "embed", "failed", &c->failed, err);
}

static void progress(struct store *s, int tty)
{
	struct counts c;
	struct qerr err;
	if (!tty || store_run(s, count_fn, &c, &err) != Q_OK)
		return;
	size_t total = c.pending + c.processing + c.completed + c.failed;
	size_t done = c.completed + c.failed;
	int width = 40, fill = total ? (int)(done * (size_t)width / total) : width;
	fprintf(stderr, "\rembedding [%.*s%*s] %zu/%zu%s", fill,
		"########################################", width - fill, "", done, total,
		c.failed ? " (some failed)" : "");
	fflush(stderr);
}

struct embed_loop {
	struct store *s;
	const struct qconf *conf;
	struct embed_backend *b;
	int once, tty;
	int64_t next_look_us;   /* the next look at the vector index */
};

/* Every search_ivf_train_interval (force: now), see whether the vector
 * index's centroids are due for training and train them (admin/vindex.h);
 * embedding waits meanwhile. A failure is logged and tried at the next
 * interval: the searches keep the scans without lists. The same for the
 * stored word contexts (search_word_context_stored, search_context.h):
 * until they are computed queries learn them. */
static void look(struct embed_loop *e, int force)
{
	struct qerr err;
	int64_t now = q_now_us();
	if (e->conf->search_ivf_train_interval <= 0 || (!force && now < e->next_look_us))
		return;
	e->next_look_us = now + (int64_t)e->conf->search_ivf_train_interval * 1000000;
	if (e->conf->search_ivf_probe > 0 && vindex_look(e->s, e->conf, e->b->model, &err) < 0)
		QLOG_WARN("vector index: %s (tried again in %d s)", err.msg,
			  e->conf->search_ivf_train_interval);
	if (search_context_look(e->s, e->conf, e->b->model, &err) < 0)
		QLOG_WARN("word contexts: %s (tried again in %d s)", err.msg,
			  e->conf->search_ivf_train_interval);
}

/* Every db_compact_interval (admin/compact.h), the database files packed
 * and their emptied pages given back; embedding waits meanwhile. */
static void compact_look(struct embed_loop *e)
{
	if (compact_due(e->conf))
		compact_auto(e->s, e->conf, 0);
}

/* One round: with --once the ingest jobs still queued first (no ingest
 * process runs then), then a batch of embed jobs. */
static enum qstatus embed_step(void *arg, int *did, struct qerr *err)
{
	struct embed_loop *e = arg;
	size_t done = 0, ingested = 0;
	enum qstatus st = Q_OK;
	if (e->once)
		st = ingest_take_over(e->s, e->conf, &ingested, err);
	if (st == Q_OK)
		st = embedder_step(e->s, e->conf, e->b, &done, err);
	if (st == Q_OK && !e->once) {
		look(e, 0);   /* --once: at the end only */
		compact_look(e);
	}
	*did = done || ingested;
	/* A batch with room to spare: more chunks are likely on their way
	 * (jobloop.h's gathering). */
	if (done && !ingested && done < (size_t)e->conf->embed_batch)
		*did = 2;
	if (*did)
		progress(e->s, e->tty);
	return st;
}

/* --once ends when nothing is pending or processing, and otherwise waits
 * a second (jobs backing off or leased elsewhere); under quired it sleeps
 * on the FIFO. */
static int embed_idle(void *arg)
{
	struct embed_loop *e = arg;
	struct counts c;
	struct qerr err;
	if (!e->once)
		return 0;
	if (store_run(e->s, count_fn, &c, &err) != Q_OK)
		return -1;
	if (c.pending == 0 && c.processing == 0)
		return 1;
	sleep(1);
	return 2;
}

static int run(struct store *s, const struct qconf *conf, int once)
{
	struct qerr err;
	struct embed_backend *b;
	int tty = once && isatty(STDERR_FILENO);
	while (!(b = embed_backend_new(conf, &err))) {
		if (err.st != Q_EBUSY || once) {
			QLOG_ERR("%s", err.msg);
			return err.st == Q_EBUSY ? 1 : EX_CONFIG;
		}
		QLOG_WARN("%s; trying again in 5 s", err.msg);
		for (int i = 0; i < 50 && !stop; i++)
			usleep(100000);
		if (stop)
			return 0;
	}
	struct embed_loop e = {s, conf, b, once, tty, 0};
	/* Idle under quired: sleep until a worker queues work, or a lease may
	 * expire (2 s). */
	struct jobloop l = {.conf = conf, .s = s, .stop = &stop, .idle_ms = 2000,
			    .gather_ms = once ? 0 : conf->job_gather_ms,
			    .wake = once ? -1 : queue_wake_open(conf->datadir, "embed.wake"),
			    .step = embed_step, .idle = embed_idle, .arg = &e};
	int rc = jobloop_run(&l);
	if (tty)
		fputc('\n', stderr);
	if (rc == 0 && once && !stop)
		look(&e, 1);   /* over what this run embedded */
	if (l.wake >= 0)
		close(l.wake);
	b->free(b);
	return rc;
}

int main(int argc, char **argv)
{
	struct qconf conf;
	struct qerr err;
	struct store *s;
	char home[PATH_MAX];
	int once = 0, joined = 0;
	q_json_alloc_strict();   /* see base/jsontext.h */

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--once"))
			once = 1;
		else if (!strcmp(argv[i], "--joined"))
			joined = 1;
		else if (!strcmp(argv[i], "--version")) {
			printf("quire-embed %s\n", PACKAGE_VERSION);
			return 0;
		} else {
			fprintf(stderr, "usage: quire-embed [--once]\n"
					"  --once  embed everything queued, then exit\n");
			return 2;
		}
	}
	qlog_init("quire-embed", 0, LOG_INFO);
	if (qconf_load_default(&conf, &err) != Q_OK) {
		QLOG_ERR("configuration: %s", err.msg);
		return EX_CONFIG;
	}
	store_set_retry_ms((unsigned)conf.db_retry_ms);
	qlog_init("quire-embed", conf.log_syslog, conf.log_level);
	qconf_datapath(&conf, "db", home);
	store_set_lock_timeout_ms((unsigned)conf.db_lock_timeout_ms);
	char mpath[PATH_MAX];
	qconf_datapath(&conf, "metrics", mpath);
	qm_attach(mpath, 0);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (joined) {
		spawn_child_init();
		if (store_open(&s, home, STORE_JOIN, &err) != Q_OK) {
			QLOG_ERR("joining the environment: %s", err.msg);
			_exit(EX_TEMPFAIL);
		}
		if (store_lock_watch_start(home) < 0)
			QLOG_WARN("cannot start the lock watch: a writer behind a long "
				  "reader may wait as long as the reader");
	} else {
		int lock = datalock_wait(conf.datadir, conf.lock_wait, conf.lock_queue, &err);
		if (lock < 0) {
			fprintf(stderr, "quire-embed: %s\n(under quired the embedder already runs)\n",
				err.msg);
			return 1;
		}
		fcntl(lock, F_SETFD, FD_CLOEXEC);
		store_set_cache_mb((unsigned)conf.db_cache_mb);
		if (store_open(&s, home, STORE_OWNER, &err) != Q_OK) {
			QLOG_ERR("%s", err.msg);
			return 1;
		}
		once = 1;
	}
	int rc = run(s, &conf, once);
	store_lock_watch_stop();
	if (rc == EX_TEMPFAIL || store_panicked(s))
		_exit(EX_TEMPFAIL);
	store_close(s);
	return rc;
}
