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
 * children inherit it) or -1 with Q_EBUSY when another process holds it. */
int datalock_take(const char *datadir, struct qerr *err);
/* Pid written in the lock file by the holder (0 when unknown). */
long datalock_holder(const char *datadir);

#endif
