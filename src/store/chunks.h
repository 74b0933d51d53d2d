/* chunks.h: the chunks of documents: stored with their postings, listed,
 * deleted with their document, indexed again. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_CHUNKS_H
#define QUIRE_CHUNKS_H

#include <jansson.h>
#include <stddef.h>
#include "base/status.h"

struct stxn;
struct lexical_batch;

/* Chunk records: {document_id, position, text, tokens, words,
 * page, section, start, end, lang, enabled, hit_count, index_title}. */
/* Store rec (borrowed; must be new: not yet stored) as chunk position of
 * doc_id and index its text, section and its document's title (kept as
 * "index_title", so its postings can be removed as they were written) for
 * BM25 in lang ("lang", enum text_lang). */
enum qstatus chunk_put(struct stxn *t, const char *doc_id, unsigned position, json_t *rec,
		       struct qerr *err);
/* chunk_put with the postings held in b (lexical.h), written by
 * lexical_batch_write before the transaction ends. */
enum qstatus chunk_put_to(struct stxn *t, const char *doc_id, unsigned position, json_t *rec,
			  struct lexical_batch *b, struct qerr *err);
/* chunk_put_to with the document's account and title taken from doc, its
 * record as stored (read in this transaction), not read again (NULL: read). */
enum qstatus chunk_put_doc(struct stxn *t, const char *doc_id, json_t *doc, unsigned position,
			   json_t *rec, struct lexical_batch *b, struct qerr *err);
enum qstatus chunks_delete_for_doc(struct stxn *t, const char *doc_id, struct qerr *err);
/* chunks_delete_for_doc with the document's account and title from doc
 * (as chunk_put_doc; NULL: read). */
enum qstatus chunks_delete_for_doc_rec(struct stxn *t, const char *doc_id, json_t *doc,
				       struct qerr *err);
/* The account of a chunk's document ("" when the document is gone): the
 * keyword index a chunk belongs to. */
enum qstatus chunk_account(struct stxn *t, const char *doc_id, char *out, size_t n,
			   struct qerr *err);
/* Index a stored chunk record again (quire-admin reindex): its account's
 * index, unless its postings are there (lexical_add_missing); *added 1
 * when indexed, *orphan 1 when its document is gone (not indexed). */
enum qstatus chunk_reindex(struct stxn *t, const char *chunk_key, json_t *rec, int *added,
			   int *orphan, struct qerr *err);
/* Chunks of doc_id in position order; cb gets each record (borrowed). */
enum qstatus chunks_list(struct stxn *t, const char *doc_id, size_t offset, size_t limit,
			 int (*cb)(json_t *chunk, void *arg), void *arg, size_t *total,
			 struct qerr *err);

#endif
