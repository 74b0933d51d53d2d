/* spawn.h: finding and starting Quire's own programs. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_SPAWN_H
#define QUIRE_SPAWN_H

#include <limits.h>

/* Path of program name (e.g. "quire.fcgi"): $QUIRE_<NAME>_PROGRAM when set,
 * else the file beside the running executable (a build tree), else the
 * installed location. out has PATH_MAX bytes. */
void spawn_find(const char *name, const char *installed_dir, char *out);

/* In a program quired started: die with quired (SIGKILL when it goes), and
 * keep the data-directory lock descriptor it hands down (QUIRE_LOCK_FD)
 * from this program's own children. */
void spawn_child_init(void);

#endif
