/* search_title.h: the query's words in a keyword candidate's document
 * title, read again at query time (docs/search.md). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_SEARCH_SEARCH_TITLE_H
#define QUIRE_SEARCH_SEARCH_TITLE_H

#include <stddef.h>
#include "base/status.h"

struct stxn;
struct lexical_word;

/* What each of the chunks (keys, n of them) gains from its document's
 * title into out: the query's body words found in the title (stemmed in
 * the document's language, stop words left out), each as BM25 without
 * length normalisation (k1; a title is short) at the word's idf in the
 * account's index, times weight. Each document is read once; 0 for a
 * document that is gone, and for all when weight is 0. */
enum qstatus search_title_scores(struct stxn *t, const char *account,
				 const struct lexical_word *w, size_t nw,
				 const char *const *chunks, size_t n, double weight, double k1,
				 double *out, struct qerr *err);

#endif
