/* fault.h: named fault points for tests (docs/reliability.md names the
 * tests that use them). A point does nothing unless the environment variable
 * QUIRE_FAULT (a comma-separated list of names) names it; then it performs
 * the action its name ends with:
 *   NAME_hang  sleep forever (a worker stuck in a request: missed heartbeat)
 *   NAME_kill  raise(SIGKILL)
 *   NAME_exit  _exit(3) (an abnormal exit without a signal)
 *   NAME_pause sleep 2 s (a race window held open)
 *   NAME_slow  sleep 2 s (a slow step that a poll can see, e.g. a stage)
 * QUIRE_FAULT is read once, on the first call. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_FAULT_H
#define QUIRE_FAULT_H

/* 1 when QUIRE_FAULT names any fault point at all (cheap after the first
 * call), else 0. */
int fault_enabled(void);
/* 1 when QUIRE_FAULT names name. */
int fault_armed(const char *name);
/* Act as described above when name is armed; otherwise return at once. */
void fault_point(const char *name);

#endif
