/* search.h: retrieval over a caller's chunks: BM25 (keyword), exact vector
 * search over the configured model's vectors (semantic; with the builtin
 * model the query's words are weighted by their IDF), and hybrid: a
 * weighted sum of normalised scores (standard scores by default,
 * search_hybrid_norm; weight search_hybrid_weight on the vector side),
 * rescaled to [0, 1], over the union of the two top lists,
 * each cut at max(top_k, 100), where the vector query also leans towards
 * the best keyword chunk (one step of Rocchio feedback); docs/search.md
 * says why. Every filter applies inside the scans, before ranking:
 * account, knowledge base, org, roles, document ids, folder ids, enabled,
 * not archived. Vectors and document filter fields come from the
 * process's cache (vcache.h), brought up to date in the caller's
 * transaction. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_SEARCH_H
#define QUIRE_SEARCH_H

#include <jansson.h>
#include <stddef.h>
#include "base/conf.h"
#include "base/status.h"

struct store;
struct stxn;

struct search_filter {
	const char *account;        /* required */
	const char *kb;             /* NULL: every knowledge base of the account */
	const char *org;            /* NULL: any org; else its documents and the
				     * account-wide ones (docs/api.md, Visibility) */
	json_t *roles;              /* caller's roles (array); NULL: no role check */
	json_t *doc_ids;            /* array of document ids; NULL: any */
	json_t *folder_ids;         /* array of folder ids; NULL: any */
};

enum search_method { SEARCH_KEYWORD, SEARCH_SEMANTIC, SEARCH_HYBRID };

/* score ranks the hits of one query only (raw BM25, or normalised over
 * its candidates); match and cosine mean the same for every query,
 * so thresholds can be put on them (docs/search.md, "Evidence"). */
#define SEARCH_NO_EVIDENCE (-2.0)
struct search_hit {
	char chunk[64];             /* chunk key "<doc id>:<position>" */
	char doc[37];
	double score;
	double match;               /* BM25 / the query's attainable BM25 (lexical.h), 0..1;
				       SEARCH_NO_EVIDENCE: no keyword side (semantic) */
	double cosine;              /* of the chunk's vector with the query's own (before
				       feedback), -1..1; SEARCH_NO_EVIDENCE: no vector */
};

/* Rank the chunks matching query; *hits (new, free) gets at most top_k,
 * best first. The hits returned are staged for hit counting (below). Do
 * not call it in a transaction that wrote documents or vectors before:
 * the cache would see uncommitted data. */
enum qstatus search_run(struct stxn *t, const struct qconf *conf, const struct search_filter *f,
			enum search_method method, const char *query, size_t top_k,
			struct search_hit **hits, size_t *n, struct qerr *err);
/* "keyword_search" | "semantic_search" | "hybrid_search" (also
 * "full_text_search" for keyword); -1 when unknown. */
int search_method_parse(const char *s);

#endif
