/* ingest.h: the ingest job: waiting -> parsing -> cleaning -> splitting ->
 * indexing, then embedding by quire-embed until completed (or error).
 * Under quired the ingest processes (quire-ingest) claim jobs fairly across
 * accounts (ingest_next, docs/ingest.md) and renew their lease while they
 * work; a CGI run by hand ingests its own upload after answering
 * (ingest_document), and quire-embed --once drains what is left
 * (ingest_take_over). A parser killed by a signal is retried with backoff;
 * attempts are bounded: a document that keeps killing its parser (or its
 * ingest process) ends in error. Deleting a document during ingestion is
 * safe: the final transaction finds the job gone and drops the work. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_INGEST_H
#define QUIRE_INGEST_H

#include <stddef.h>
#include "base/conf.h"
#include "base/status.h"

struct store;

/* Run doc_id's pending ingest job, if any (Q_OK when there is none). */
enum qstatus ingest_document(struct store *s, const struct qconf *conf, const char *doc_id,
			     struct qerr *err);
/* Jobs of one account looked at per claim (the window of
 * queue_claim_fair). */
#define INGEST_WINDOW 16
/* Claim the next ingest job fairly across accounts and run it (expire:
 * first return expired leases to pending). *ran is 1 when a job ran, 2
 * when its batch took every due job with room for more (jobloop.h's
 * gathering), 0 when none was due. */
enum qstatus ingest_next(struct store *s, const struct qconf *conf, int expire, int *ran,
			 struct qerr *err);
/* Called about once a second while a job's extraction runs, after the
 * lease renewal (the ingest process refreshes its heartbeat); NULL to stop. */
void ingest_set_tick(void (*fn)(void *arg), void *arg);
/* Return expired ingest leases to pending and run up to a few due ingest
 * jobs; *n counts those run. */
enum qstatus ingest_take_over(struct store *s, const struct qconf *conf, size_t *n,
			      struct qerr *err);
/* Serialise writers of the postings pages across processes (indexing, bulk
 * deletes): an exclusive flock on DATADIR/index.lock. Returns the fd to pass
 * to ingest_index_unlock, or -1 (run unserialised) when it cannot be had. */
int ingest_index_lock(const struct qconf *conf);
void ingest_index_unlock(int fd);

#endif
