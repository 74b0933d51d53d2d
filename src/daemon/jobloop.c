/* jobloop.c: the loop quire-ingest and quire-embed share (jobloop.h). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "daemon/jobloop.h"
#include "base/conf.h"
#include "base/log.h"
#include "store/store.h"

#include <poll.h>
#include <sysexits.h>
#include <unistd.h>

/* Sleep until a byte comes on the wake FIFO (drained) or ms pass. */
static void sleep_on(int wake, int ms)
{
	struct pollfd pfd = {wake, POLLIN, 0};
	if (poll(&pfd, wake >= 0 ? 1 : 0, ms) > 0) {
		char buf[256];
		while (read(wake, buf, sizeof buf) > 0)
			;
	}
}

int jobloop_run(const struct jobloop *l)
{
	struct qerr err;
	while (!*l->stop) {
		int did = 0;
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
			QLOG_ERR("%s", err.msg);
			return store_panicked(l->s) ? EX_TEMPFAIL : 1;
		}
		if (did || *l->stop)
			continue;
		int idle = l->idle ? l->idle(l->arg) : 0;
		if (idle == 1)
			return 0;
		if (idle < 0)
			return 1;
		if (idle != 2)
			sleep_on(l->wake, l->idle_ms);
	}
	return 0;
}
