/* conftest.h: quired -t, the configuration check run before a start. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_CONFTEST_H
#define QUIRE_CONFTEST_H

/* Read the configuration as quired would (conf_path, or NULL for
 * $QUIRE_CONF or the installed file, which may then be absent) and check
 * what a start needs without starting anything: every setting valid, the
 * data directory and the socket's directory writable or creatable, the
 * socket paths short enough, the socket group known, Quire's programs
 * present. Reports each finding on stderr, nginx -t style. Returns the
 * process exit status: 0 when a start can go ahead, 1 otherwise, 78 when
 * the configuration itself is wrong. */
int conftest_run(const char *conf_path);

#endif
