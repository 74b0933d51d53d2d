/* fuzz.h: what a fuzz target shares with the program that replays its
 * corpus under make check. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_FUZZ_H
#define QUIRE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include "base/status.h"

/* libFuzzer's entry point: 0 always; a broken invariant aborts in a fuzzer
 * build and is counted in fuzz_failures in a replay build (FUZZ_REPLAY). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* libFuzzer calls it once before the first input (fuzz_plugin.c). */
int LLVMFuzzerInitialize(int *argc, char ***argv);

extern int fuzz_failures;          /* broken invariants so far */
extern enum qstatus fuzz_status;   /* the last input's status under production limits */

/* Remove the target's scratch directory (each target defines it). */
void fuzz_cleanup(void);

/* Check an invariant: 1 when c holds; else 0, after a line on stderr
 * naming the target's file and line, counted in fuzz_failures (and an
 * abort in a fuzzer build). */
#define CHECK(c) ((c) ? 1 : fuzz_fail(__FILE__, #c, __LINE__))
int fuzz_fail(const char *file, const char *what, int line);

/* Make the scratch file (dir = 0) or directory (dir = 1)
 * $TMPDIR/quire-fuzz-WHAT-XXXXXX, its name into path, and have
 * fuzz_cleanup run at exit; aborts when it cannot. */
void fuzz_scratch(char *path, size_t size, const char *what, int dir);

#endif
