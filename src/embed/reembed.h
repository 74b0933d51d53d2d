/* reembed.h: after a model change, put every chunk lacking a vector of the
 * current model back on the queue through its one embed job, and its
 * document back to indexing until the chunk has such a vector. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_EMBED_REEMBED_H
#define QUIRE_EMBED_REEMBED_H

#include "embed/embedder.h"

/* A model change (reembed.c): every chunk without a vector of model gets
 * its one embed job reset to pending (created when missing; duplicates are
 * removed), and its document's counters are recounted, so a completed
 * document is indexing again until each chunk has a vector of model.
 * *queued counts the chunks queued, *seen the chunks looked at. */
enum qstatus reembed_all(struct stxn *t, const char *model, size_t *queued, size_t *seen,
			 struct qerr *err);
/* The same, calling step(arg, chunks seen) every 64 chunks (quire-admin's
 * progress line); step may be NULL. */
enum qstatus reembed_all_step(struct stxn *t, const char *model, size_t *queued, size_t *seen,
			      void (*step)(void *arg, size_t seen), void *arg, struct qerr *err);

#endif
