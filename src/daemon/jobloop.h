/* jobloop.h: the loop quire-ingest and quire-embed share: a step while
 * there is work, a short pause on contention, sleep on a wake FIFO. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_JOBLOOP_H
#define QUIRE_JOBLOOP_H

#include <signal.h>
#include "base/status.h"

struct qconf;
struct store;

struct jobloop {
	const struct qconf *conf;
	struct store *s;
	volatile sig_atomic_t *stop;   /* set by SIGTERM: the loop ends */
	int wake;                      /* FIFO to sleep on when idle, or -1 */
	int idle_ms;                   /* the longest sleep (leases to expire, backoffs to end) */
	/* Gathering (job_gather_ms, or 0): after a wake from idle, and after a
	 * round that worked a batch with room to spare (*did 2), the loop
	 * waits this long before the next round, so the jobs queued meanwhile
	 * are claimed together. */
	int gather_ms;
	/* One round: *did is set when it did some work: 1, or 2 when its batch
	 * took every due job and had room for more. An error in err ends
	 * the loop, but Q_EBUSY (contention; the leases keep claimed jobs
	 * safe) only pauses it 100 ms. */
	enum qstatus (*step)(void *arg, int *did, struct qerr *err);
	/* Optional, called when a round did nothing, before sleeping: 1 ends
	 * the loop (0), -1 ends it (1), 2 skips the sleep on the FIFO. */
	int (*idle)(void *arg);
	void *arg;
};

/* Run until *stop, an error, or idle says so: 0, 1 (an error), or
 * EX_TEMPFAIL (the environment panicked: quired recovers). */
int jobloop_run(const struct jobloop *l);

#endif
