/* split.h: from a document's text to its chunks, the step between
 * extraction and indexing (docs/chunking.md). Blocks (headings, paragraphs,
 * list items, table rows, page breaks) come from quire-extract's JSON Lines
 * or from a plain text document; they are cleaned by the process rule's
 * pre-processing, rendered into the document's plain text, cut into
 * sentences, and packed into chunks of at most max_tokens with
 * whole-sentence overlap (split.c, chunk_rule.c, chunk_text.c,
 * chunk_pack.c). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_SPLIT_H
#define QUIRE_SPLIT_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "base/conf.h"
#include "base/status.h"
#include "text/text.h"

#define SPLIT_MAX_CHUNKS 100000     /* per document; more is Q_ETOOBIG */
#define SPLIT_MAX_TOKENS_LIMIT 8192   /* the largest max_tokens a rule may ask */

struct split_chunk {
	char *text;          /* UTF-8, owned */
	char *section;       /* heading path "A > B", owned, "" when none */
	unsigned page;       /* first page, 1-based; 0 when the format has none */
	/* Where each page of a chunk that spans pages starts: pages[i].off
	 * is a byte offset into text (pages[0] is {0, page}); owned, NULL
	 * (npages 0) for a chunk on one page. A citation takes its page
	 * from the excerpt's place (docs/chunking.md). */
	struct split_page { size_t off; unsigned page; } *pages;
	size_t npages;
	size_t tokens, words;
	/* Code point offsets into the document's plain text: text is exactly
	 * plain[start, end), after the table's header row and a newline when
	 * the chunk continues a table (docs/chunking.md). */
	size_t start, end;
};

struct split_result {
	struct split_chunk *v;
	size_t n;
	const struct text_language *language;   /* text_langid of the plain text (static) */
	enum text_lang lang;    /* language->stem: what the chunks are indexed in */
	char *plain;         /* the cleaned plain text the offsets refer to, owned */
	size_t plain_len;    /* bytes */
	size_t tokens, words;   /* of the plain text (overlap not counted twice) */
};

/* Called as a stage of splitting starts, with stage "splitting" once the
 * blocks are read, cleaned by the pre-processing rules and rendered into
 * the plain text (the "cleaning" stage) and the packing into chunks
 * begins. arg is the caller's. */
typedef void (*split_stage_fn)(void *arg, const char *stage);

/* Split a plain text document with rule (the stored process rule, may be
 * NULL for defaults): cut at the rule's separator, "# " lines headings,
 * "- " lines list items. On failure err gets a message for the document
 * and out is empty; on success out is the caller's to split_result_free. */
enum qstatus split_text(const char *text, size_t n, json_t *rule, struct split_result *out,
			struct qerr *err);
/* Split quire-extract's JSON Lines output (n bytes) with rule (stored or
 * client form, NULL for defaults). A line that is not JSON, a block without
 * "t" or with fields of the wrong type is Q_EINVAL naming the line; no text
 * at all is Q_EINVAL "no text found in the document". */
enum qstatus split_blocks(const char *jsonl, size_t n, json_t *rule, struct split_result *out,
			  struct qerr *err);
/* split_text and split_blocks reporting the splitting stage to fn (may be
 * NULL) with arg. */
enum qstatus split_text_staged(const char *text, size_t n, json_t *rule,
			       struct split_result *out, split_stage_fn fn, void *arg,
			       struct qerr *err);
enum qstatus split_blocks_staged(const char *jsonl, size_t n, json_t *rule,
				 struct split_result *out, split_stage_fn fn, void *arg,
				 struct qerr *err);
/* Free what a successful split_text/split_blocks put in r; r is empty after. */
void split_result_free(struct split_result *r);

#endif
