/* search_context.h: word vectors learned at query time from the account's
 * own chunks (their co-occurrence beyond chance), for the builtin model's
 * query (search_word_context, docs/search.md). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_SEARCH_SEARCH_CONTEXT_H
#define QUIRE_SEARCH_SEARCH_CONTEXT_H

#include "search/search_impl.h"

enum qstatus search_word_context(const struct search_context *x, const char *query, float *out,
				 int *any, struct qerr *err);

/* Stored word contexts (search_word_context_stored, docs/search.md,
 * "Word contexts computed ahead"): every word of account's index, its
 * context learned from the whole account (builtin model), stored beside
 * its postings; the old ones are removed first. *words gets how many were
 * stored, *with how many of them have a context. Each transaction does a
 * batch of words. Q_ESTATE while the keyword index is being rebuilt, or
 * when a rebuild began meanwhile (the contexts are then not marked
 * current: the next build computes them). */
struct store;
enum qstatus search_context_build(struct store *s, const struct qconf *conf, const char *account,
				  size_t *words, size_t *with, struct qerr *err);
/* quire-embed: compute the stored contexts of every account whose are
 * missing or stale (more than search_word_context_stale of its chunks
 * changed since); 1 when some were, 0 when none was due (or the setting
 * is off, or model is not the builtin one), -1 on an error. */
int search_context_look(struct store *s, const struct qconf *conf, const char *model,
			struct qerr *err);
/* Words answered from stored contexts so far in this process. */
unsigned long search_context_stored_hits(void);

#endif
