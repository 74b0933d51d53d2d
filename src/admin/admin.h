/* admin.h: quire-admin's commands, run against an open store (either
 * joined under quired or alone after taking the lock and recovering). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_ADMIN_H
#define QUIRE_ADMIN_H

#include <stdio.h>
#include "base/conf.h"
#include "base/status.h"

struct store;

/* Run argv[0..argc) (e.g. {"key","create","--account","acme"}) and write
 * its output to out, errors to err. joined: under a running quired (status
 * reports the supervisor; verify works on a hot backup). Returns the exit
 * status: 0 done, 1 failed, 2 usage. */
int admin_run(struct store *s, const struct qconf *conf, int joined, int argc, char **argv,
	      FILE *out, FILE *err);
/* verify without a supervisor: the caller holds the data directory lock
 * and has no store open. */
int admin_verify_alone(const struct qconf *conf, FILE *out, FILE *err);
/* config [--defaults]: every setting as quire.conf writes it, the values
 * of conf or the embedded defaults; needs no storage. */
int admin_config(const struct qconf *conf, int argc, char **argv, FILE *out, FILE *errf);
/* Usage text. */
void admin_usage(FILE *f);
/* 1 when the command needs no storage at all (help). */
int admin_is_local(int argc, char **argv);

#endif
