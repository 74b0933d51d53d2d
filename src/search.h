/* search.h: retrieval over a caller's chunks: BM25 (keyword), exact vector
 * search over the configured model's vectors (semantic), and hybrid by
 * reciprocal rank fusion (score = sum of 1 / (60 + rank) over the two
 * rankings, each cut at max(top_k, 100)). Every filter applies inside the
 * search, before ranking: account, knowledge base, org, roles, document ids,
 * folder ids, enabled, not archived. */
#ifndef QUIRE_SEARCH_H
#define QUIRE_SEARCH_H

#include <jansson.h>
#include <stddef.h>
#include "conf.h"
#include "status.h"

struct stxn;

struct search_filter {
	const char *account;        /* required */
	const char *kb;             /* NULL: every knowledge base of the account */
	const char *org;            /* NULL: any org */
	json_t *roles;              /* caller's roles (array); NULL: no role check */
	json_t *doc_ids;            /* array of document ids; NULL: any */
	json_t *folder_ids;         /* array of folder ids; NULL: any */
};

enum search_method { SEARCH_KEYWORD, SEARCH_SEMANTIC, SEARCH_HYBRID };

struct search_hit {
	char chunk[64];             /* chunk key "<doc id>:<position>" */
	char doc[37];
	double score;
};

/* Rank the chunks matching query; *hits (new, free) gets at most top_k,
 * best first. */
enum qstatus search_run(struct stxn *t, const struct qconf *conf, const struct search_filter *f,
			enum search_method method, const char *query, size_t top_k,
			struct search_hit **hits, size_t *n, struct qerr *err);
/* "keyword_search" | "semantic_search" | "hybrid_search" (also
 * "full_text_search" for keyword); -1 when unknown. */
int search_method_parse(const char *s);

#endif
