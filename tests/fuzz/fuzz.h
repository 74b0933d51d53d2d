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

extern int fuzz_failures;          /* broken invariants so far */
extern enum qstatus fuzz_status;   /* the last input's status under production limits */

/* Remove the target's scratch directory. */
void fuzz_cleanup(void);

#endif
