/* extract.h: running quire-extract from a worker (or quire-embed taking an
 * ingest job over): at most extract_concurrency children over all
 * processes (flock slots in the data directory), each in its own process
 * group under a wall-clock deadline after which the group is killed, its
 * output read through a pipe with a cap. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_EXTRACT_H
#define QUIRE_EXTRACT_H

#include <stddef.h>
#include "base/conf.h"
#include "base/status.h"
#include "base/util.h"
#include "pipeline/split.h"

/* quire-extract's exit codes (docs/extract-format.md). */
enum {
	EXTRACT_OK = 0, EXTRACT_UNSUPPORTED = 10, EXTRACT_ENCRYPTED = 11, EXTRACT_CORRUPT = 12,
	EXTRACT_TOO_LARGE = 13, EXTRACT_TIMEOUT = 14, EXTRACT_EMPTY = 15, EXTRACT_INTERNAL = 16,
	EXTRACT_CRASHED = 17,
};

/* Extract path (original name name, may be NULL; the document's password,
 * may be NULL, on descriptor 3 of the child) into out as JSON Lines.
 * *code gets the exit code; on anything but 0 err->msg gets a message for
 * the document ("the file is encrypted", ...). Q_OK when the child ran
 * (whatever its code), an error status when it could not be started. */
enum qstatus extract_run(const struct qconf *conf, const char *path, const char *name,
			 const char *password, struct qbuf *out, int *code, struct qerr *err);
/* A message for a document from an exit code and the child's last line of
 * stderr (may be ""). */
void extract_message(int code, const char *detail, char *out, size_t n);
/* Called about once a second while a child runs (the worker refreshes its
 * heartbeat); NULL to stop. */
void extract_set_tick(void (*fn)(void *arg), void *arg);

/* Extract the document's stored original (doc's blob, mime) with
 * quire-extract and split the result (extract.c). fn (may be NULL) hears
 * "cleaning" when the extraction is over and "splitting" as above.
 * *code (may be NULL) gets quire-extract's exit code (EXTRACT_* of
 * extract.h; EXTRACT_CRASHED when a signal killed it), -1 when it did not
 * run. password (may be NULL) goes to quire-extract on a pipe, never on its
 * command line. */
enum qstatus ingest_extract(const struct qconf *conf, json_t *doc, const char *password,
			   struct split_result *out,
			   split_stage_fn fn, void *arg, int *code, struct qerr *err);

#endif
