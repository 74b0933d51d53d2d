/* cron.h: quire-admin cron, the one command a CGI-only site runs from cron:
 * ingest the queued uploads, embed the queued chunks, checkpoint, sweep,
 * within cron_time seconds. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_ADMIN_CRON_H
#define QUIRE_ADMIN_CRON_H

#include "admin/admin.h"

/* cron (cron.c): with no quired (joined 0), ingest the queued uploads and
 * embed for at most conf->cron_time seconds, then checkpoint and sweep;
 * under quired, nothing (it does the same work continuously). */
int admin_cron(struct store *s, const struct qconf *conf, int joined, FILE *out, FILE *errf);

#endif
