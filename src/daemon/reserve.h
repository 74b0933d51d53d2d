/* reserve.h: the disk reserve (DATADIR/reserve), space quired holds so
 * that recovery and checkpoints can run when the disk is full. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_RESERVE_H
#define QUIRE_RESERVE_H

/* Free the reserve of datadir (before a recovery). 1 when a reserve was
 * there and is gone, 0 when there was none. */
int reserve_release(const char *datadir);

/* Hold mb megabytes in datadir/reserve, every block allocated; nothing
 * when it is already held or mb is 0. 0, or -1 with errno (ENOSPC: not
 * enough room yet; nothing is left behind). */
int reserve_keep(const char *datadir, int mb);

#endif
