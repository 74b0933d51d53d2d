/* supervisor.h: quired's watcher (RELIABILITY.md (c), recipe 2). It owns
 * the data directory lock, recovers the environment before any child
 * attaches, pre-forks the FastCGI workers on one socket and supervises
 * them: a clean exit is replaced alone; any abnormal exit (signal, non-zero
 * status, missed heartbeat) stops every child, recovers and restarts them,
 * while a database-free responder answers 503 + Retry-After. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_SUPERVISOR_H
#define QUIRE_SUPERVISOR_H

#include "base/conf.h"

struct sup_options {
	const char *conf_path;   /* NULL: qconf_path() */
	const char *pid_file;    /* NULL: none */
	int detach;              /* -d: fork into the background, log to syslog */
};

/* Run until SIGTERM/SIGINT. Returns the process exit status. */
int supervisor_main(const struct sup_options *opt);

#endif
