/* supervisor.h: quired's watcher (docs/architecture.md, Processes). It owns
 * the data directory lock, recovers the environment before any child
 * attaches, pre-forks the FastCGI workers on one socket, starts the ingest
 * processes (quire-ingest, ingest_processes of them) and quire-embed, and
 * supervises them all: a clean exit is replaced alone; any abnormal exit
 * (signal, non-zero status, missed heartbeat) stops every child, recovers and restarts them,
 * while a database-free responder answers 503 + Retry-After. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_SUPERVISOR_H
#define QUIRE_SUPERVISOR_H

#include "base/conf.h"

struct sup_options {
	const char *conf_path;   /* NULL: qconf_path() */
	const char *pid_file;    /* NULL: none */
	int detach;              /* -d: fork into the background, log to syslog */
	int on_demand;           /* started by quire.cgi: exit after idle_exit idle seconds */
};

/* Run until SIGTERM/SIGINT. Returns the process exit status: 78 at once
 * for a configuration qconf_check refuses (an ingest lease that cannot
 * outlive quire-extract's deadline). */
int supervisor_main(const struct sup_options *opt);

#endif
