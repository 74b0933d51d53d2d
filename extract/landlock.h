/* landlock.h: the extractor's filesystem view: nothing but read-only system
 * data, by a Landlock ruleset (landlock.c says what it handles). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_EXTRACT_LANDLOCK_H
#define QUIRE_EXTRACT_LANDLOCK_H

#include "sandbox.h"

/* The kernel's Landlock ABI version, 0 when it has none. */
int sandbox_landlock_abi(void);
/* Restrict this process to reading under read_dirs (NULL-terminated,
 * missing ones skipped): 0 done, 1 no Landlock here, -1 failed (why). */
int sandbox_landlock(const char *const *read_dirs, char *why, unsigned whylen);

#endif
