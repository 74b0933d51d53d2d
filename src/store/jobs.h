/* jobs.h: job records of documents (ingest and embed): created, changed,
 * deleted with their document, counted; claiming them is src/queue/. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_JOBS_H
#define QUIRE_JOBS_H

#include <stddef.h>
#include "base/status.h"

struct stxn;

/* Create a job of kind "ingest" or "embed" for document id. */
enum qstatus job_create(struct stxn *t, const char *kind, const char *account,
			const char *doc_id, char *job_id, struct qerr *err);
/* Set (value) or remove (NULL) one string field of a job record. */
enum qstatus job_set_str(struct stxn *t, const char *job_id, const char *key, const char *value,
			 struct qerr *err);
/* Create the embed job of chunk position of a document. */
enum qstatus job_create_chunk(struct stxn *t, const char *account, const char *doc_id,
			      unsigned chunk, char *job_id, struct qerr *err);
/* Delete every job of a document; with only_pending, only pending jobs of
 * the given kind (kind may be NULL for all kinds). */
enum qstatus jobs_delete_for_doc(struct stxn *t, const char *doc_id, const char *kind,
				 int only_pending, struct qerr *err);
/* Number of jobs of kind in status. */
enum qstatus jobs_count(struct stxn *t, const char *kind, const char *status,
			size_t *n, struct qerr *err);

#endif
