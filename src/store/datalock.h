/* datalock.h: the data directory lock (DATADIR/quired.lock, flock). Its
 * holder is the only process that may recover the environment. quired's
 * children inherit the open lock (one open file description), so the lock
 * stays held until every process that may have the environment open is
 * gone, even if quired itself is killed. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_DATALOCK_H
#define QUIRE_DATALOCK_H

#include "base/status.h"

/* Take the lock without waiting. Returns the fd (>= 0, not close-on-exec so
 * children inherit it) or -1 with Q_EBUSY when another process holds it
 * (Q_ERECOVER when that is quired). */
int datalock_take(const char *datadir, struct qerr *err);
/* Take the lock, waiting up to wait_s seconds when another process that
 * is not quired holds it (a CGI serving a request, quire-admin cron); at
 * most places processes wait at once, the others are refused at once.
 * Errors: Q_ERECOVER when quired owns the directory (no use waiting),
 * Q_EBUSY when the wait or the queue ran out, Q_EINTERNAL with words on a
 * missing, read-only or unwritable directory. */
int datalock_wait(const char *datadir, int wait_s, int places, struct qerr *err);
/* 1 when the holder named in the lock file is a live quired. */
int datalock_holder_is_quired(const char *datadir);
/* Pid written in the lock file by the holder (0 when unknown). */
long datalock_holder(const char *datadir);

#endif
