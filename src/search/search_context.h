/* search_context.h: word vectors learned at query time from the account's
 * own chunks (their co-occurrence beyond chance), for the builtin model's
 * query (search_word_context, docs/search.md). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_SEARCH_SEARCH_CONTEXT_H
#define QUIRE_SEARCH_SEARCH_CONTEXT_H

#include "search/search_impl.h"

enum qstatus search_word_context(const struct search_context *x, const char *query, float *out,
				 int *any, struct qerr *err);

#endif
