/* ingest.h: the ingest job: waiting -> parsing -> cleaning -> splitting ->
 * indexing, then embedding by quire-embed until completed (or error).
 * A worker runs a document's job right after finishing the response to the
 * upload; quire-embed takes over jobs whose lease expired (the worker
 * died). Attempts are bounded: a document that keeps killing its parser
 * ends in error. Deleting a document during ingestion is safe: the final
 * transaction finds the job gone and drops the work. */
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
