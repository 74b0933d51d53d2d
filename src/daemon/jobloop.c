/* jobloop.c: the loop quire-ingest and quire-embed share (jobloop.h). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "daemon/jobloop.h"
#include "base/conf.h"
#include "base/log.h"
#include "base/metrics.h"
#include "store/store.h"

#include <poll.h>
#include <sysexits.h>
#include <unistd.h>

static void drain(int wake)
{
	char buf[256];
	while (wake >= 0 && read(wake, buf, sizeof buf) > 0)
		;
}

/* Sleep until a byte comes on the wake FIFO (drained) or ms pass: 1 when
 * woken by a byte. */
static int sleep_on(int wake, int ms)
{
	struct pollfd pfd = {wake, POLLIN, 0};
	if (poll(&pfd, wake >= 0 ? 1 : 0, ms) > 0) {
		drain(wake);
		return 1;
	}
	return 0;
}

/* ms, or less when the log flush (job_flush_ms after the first lazy
 * commit) comes due sooner */
static int until_flush(const struct jobloop *l, int ms)
{
	int64_t age = store_unflushed_ms(l->s);
	if (age >= 0 && l->conf->job_flush_ms - age < ms)
		ms = l->conf->job_flush_ms - age > 0 ? (int)(l->conf->job_flush_ms - age) : 0;
	return ms;
}

/* Gathering (jobloop.h): wait gather_ms, less when the log flush comes due
 * sooner, not woken by the FIFO; the bytes written meanwhile name jobs the
 * next round sees, so they are drained, not slept on again. */
static void gather(const struct jobloop *l)
{
	int ms = until_flush(l, l->gather_ms);
	if (ms > 0 && !*l->stop)
		poll(NULL, 0, ms);
	drain(l->wake);
}

/* Group commit (docs/reliability.md): write the log of the steps' lazy
 * commits out once job_flush_ms have passed since the first of them
 * (force: now, before leaving). 0, or -1 with err set. */
static int flush_due(const struct jobloop *l, int force, struct qerr *err)
{
	int64_t age = store_unflushed_ms(l->s);
	if (age < 0 || (!force && age < l->conf->job_flush_ms))
		return 0;
	uint64_t c0 = store_commit_us();
	enum qstatus st = store_flush(l->s, err);
	qm_add(QM_STAGE_COMMIT_US, store_commit_us() - c0);
	return st == Q_OK ? 0 : -1;
}

static int failed(const struct jobloop *l, const struct qerr *err)
{
	QLOG_ERR("%s", err->msg);
	return store_panicked(l->s) ? EX_TEMPFAIL : 1;
}

int jobloop_run(const struct jobloop *l)
{
	struct qerr err;
	while (!*l->stop) {
		int did = 0;
		if (flush_due(l, 0, &err) < 0)
			return failed(l, &err);
		if (qconf_disk_low(l->conf, NULL)) {
			/* Jobs write chunks, postings and vectors: they wait for
			 * room rather than fill the disk to the last block. */
			sleep(1);
			continue;
		}
		if (l->step(l->arg, &did, &err) != Q_OK) {
			if (err.st == Q_EBUSY && !store_panicked(l->s)) {
				QLOG_DEBUG("%s", err.msg);
				usleep(100000);
				continue;
			}
			return failed(l, &err);
		}
		if (did == 2 && l->gather_ms > 0)
			gather(l);
		if (did || *l->stop)
			continue;
		qm_add(QM_JOB_IDLE_STEPS, 1);
		int idle = l->idle ? l->idle(l->arg) : 0;
		if (idle == 1)
			return flush_due(l, 1, &err) < 0 ? failed(l, &err) : 0;
		if (idle < 0)
			return 1;
		/* Idle: the flush is not forced here but comes when due, the
		 * sleep ending then at the latest. Flushing before every sleep
		 * made a process that keeps up with the creates (idle between
		 * two of them) flush once per few documents, an fsync queued
		 * with the creates' own. */
		if (idle != 2 && sleep_on(l->wake, until_flush(l, l->idle_ms)) && l->gather_ms > 0)
			gather(l);
	}
	return flush_due(l, 1, &err) < 0 ? failed(l, &err) : 0;
}
