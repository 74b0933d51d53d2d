/* quire_ingest.c: quire-ingest, one of quired's ingest processes.
 * Under quired (--joined) it claims ingest jobs fairly across accounts
 * (ingest_next, docs/ingest.md), runs quire-extract, cleans, splits,
 * indexes and queues embed jobs, renewing its lease while it works; idle,
 * it sleeps on DATADIR/ingest.wake (a FIFO the workers write a byte to
 * after an upload). It runs at a lower CPU priority (nice 10) than the
 * FastCGI workers, so ingestion yields to requests on a busy machine.
 * Without quired, `quire-embed --once` drains ingest and embed jobs. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "base/jsontext.h"
#include "base/conf.h"
#include "base/log.h"
#include "base/metrics.h"
#include "daemon/heartbeat.h"
#include "daemon/jobloop.h"
#include "pipeline/ingest.h"
#include "queue/queue.h"
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
#include <sys/resource.h>
#include <unistd.h>

#define INGEST_NICE 10
#define EXPIRE_EVERY_MS 1000

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	stop = 1;
}

struct beat {
	struct hb_slot *hb;
	int slot;
};

/* While a job runs (about once a second during an extraction, and at
 * every stage) the heartbeat says this process is working, not hung. */
static void beat(void *arg)
{
	struct beat *b = arg;
	hb_busy(b->hb, b->slot);
}

struct ingest_loop {
	struct store *s;
	const struct qconf *conf;
	struct beat *b;
	int64_t next_expire;   /* leases are expired once a second */
};

static enum qstatus ingest_step(void *arg, int *did, struct qerr *err)
{
	struct ingest_loop *il = arg;
	int expire = q_mono_ms() >= il->next_expire;
	if (expire)
		il->next_expire = q_mono_ms() + EXPIRE_EVERY_MS;
	hb_busy(il->b->hb, il->b->slot);
	enum qstatus st = ingest_next(il->s, il->conf, expire, did, err);
	hb_idle(il->b->hb, il->b->slot);
	return st;
}

/* Claim and run jobs; idle, sleep until an upload wakes us, a backoff
 * ends or a lease may expire (1 s). */
static int run(struct store *s, const struct qconf *conf, struct beat *b)
{
	struct ingest_loop il = {s, conf, b, 0};
	struct jobloop l = {.conf = conf, .s = s, .stop = &stop, .idle_ms = 1000,
			    .gather_ms = conf->job_gather_ms,
			    .wake = queue_wake_open(conf->datadir, "ingest.wake"),
			    .step = ingest_step, .arg = &il};
	int rc = jobloop_run(&l);
	if (l.wake >= 0)
		close(l.wake);
	return rc;
}

int main(int argc, char **argv)
{
	struct qconf conf;
	struct qerr err;
	struct store *s;
	char home[PATH_MAX];
	int joined = 0;
	q_json_alloc_strict();   /* see base/jsontext.h */

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--joined"))
			joined = 1;
		else if (!strcmp(argv[i], "--version")) {
			printf("quire-ingest %s\n", PACKAGE_VERSION);
			return 0;
		} else {
			joined = 0;
			break;
		}
	}
	if (!joined) {
		fprintf(stderr, "usage: quire-ingest --joined\n"
				"  run by quired only; without quired, quire-embed --once ingests and\n"
				"  embeds everything queued\n");
		return 2;
	}
	qlog_init("quire-ingest", 0, LOG_INFO);
	if (qconf_load_default(&conf, &err) != Q_OK) {
		QLOG_ERR("configuration: %s", err.msg);
		return EX_CONFIG;
	}
	store_set_retry_ms((unsigned)conf.db_retry_ms);
	qlog_init("quire-ingest", conf.log_syslog, conf.log_level);
	if (qconf_check(&conf, &err) != Q_OK) {
		QLOG_ERR("configuration: %s", err.msg);
		return EX_CONFIG;
	}
	qconf_datapath(&conf, "db", home);
	store_set_lock_timeout_ms((unsigned)conf.db_lock_timeout_ms);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	spawn_child_init();
	if (setpriority(PRIO_PROCESS, 0, INGEST_NICE) < 0)
		QLOG_DEBUG("setpriority: %s", strerror(errno));
	if (store_open(&s, home, STORE_JOIN, &err) != Q_OK) {
		QLOG_ERR("joining the environment: %s", err.msg);
		_exit(EX_TEMPFAIL);
	}
	if (store_lock_watch_start(home) < 0)
		QLOG_WARN("cannot start the lock watch: a writer behind a long "
			  "reader may wait as long as the reader");
	char hbpath[PATH_MAX];
	const char *slot_s = getenv("QUIRE_SLOT");
	struct beat b = {NULL, slot_s ? atoi(slot_s) : -1};
	qconf_datapath(&conf, "heartbeat", hbpath);
	if (b.slot >= 0)
		b.hb = hb_map(hbpath, 0);
	ingest_set_tick(beat, &b);
	char mpath[PATH_MAX];
	qconf_datapath(&conf, "metrics", mpath);
	qm_attach(mpath, 0);   /* without it, ingestions are simply not counted */
	int rc = run(s, &conf, &b);
	store_lock_watch_stop();
	if (b.hb)
		hb_unmap(b.hb);
	if (rc == EX_TEMPFAIL || store_panicked(s))
		_exit(EX_TEMPFAIL);
	store_close(s);
	return rc;
}
