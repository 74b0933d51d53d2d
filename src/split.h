/* split.h: from a document's text to its chunks, the step between
 * extraction and indexing: runs quire-extract on uploads, then the
 * structure-aware splitter with the document's process rule. */
#ifndef QUIRE_SPLIT_H
#define QUIRE_SPLIT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "conf.h"
#include "status.h"
#include "text.h"

struct split_chunk {
	char *text;          /* UTF-8, owned */
	char *section;       /* heading path "A > B", owned, "" when none */
	unsigned page;       /* first page, 1-based; 0 when the format has none */
	size_t tokens, words;
	size_t start, end;   /* character offsets into the document's plain text */
};

struct split_result {
	struct split_chunk *v;
	size_t n;
	enum text_lang lang;
};

/* Split a plain text document with rule (the stored process rule, may be
 * NULL for defaults). On failure error gets a message for the document. */
enum qstatus split_text(const char *text, size_t n, json_t *rule, struct split_result *out,
			char *error, size_t errlen);
/* Extract the document's stored original (doc's blob, mime) with
 * quire-extract and split the result. stage_us[1] is stamped when
 * splitting starts. */
enum qstatus ingest_extract(const struct qconf *conf, json_t *doc, struct split_result *out,
			   int64_t *stage_us, char *error, size_t errlen);
void split_result_free(struct split_result *r);

#endif
