/* search_hits.h: hit counts (Dify's segment hit_count): staged by
 * search_run in the process, written after the response in one small
 * transaction (see search.h). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_SEARCH_SEARCH_HITS_H
#define QUIRE_SEARCH_SEARCH_HITS_H

#include "search/search.h"

/* Hit counts (search_hits.c). search_run stages its hits in the process;
 * a search repeated with the same query, method, filter and top_k (a
 * transaction rerun after a deadlock) replaces its earlier staging, so it
 * counts once. search_hits_flush adds the staged hits to the chunks'
 * hit_count and to their documents' hit_count (the sum over their chunks)
 * in one transaction: with force, always; otherwise only once
 * SEARCH_HITS_BATCH hits wait or the oldest waited SEARCH_HITS_DELAY_MS,
 * so one write serves many responses. The worker calls it after each
 * response (forced in CGI mode and when it stops). At most SEARCH_HITS_MAX
 * hits wait; more are dropped. */
#define SEARCH_HITS_MAX 4096
#define SEARCH_HITS_BATCH 1024
#define SEARCH_HITS_DELAY_MS 1000
void search_hits_stage(const struct search_filter *f, enum search_method method,
		       const char *query, size_t top_k, const struct search_hit *hits, size_t n);
void search_hits_flush(struct store *s, int force);
/* Drop the staged hits; *dropped (may be NULL) counts hits dropped so far. */
void search_hits_discard(unsigned long *dropped);

#endif
