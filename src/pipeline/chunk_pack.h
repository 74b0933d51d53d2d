/* chunk_pack.h: blocks of the plain text cut into units (sentences, pieces
 * of a sentence at spaces, whole table rows) and units packed into chunks
 * within max_tokens, with whole-unit overlap and repeated table headers
 * (docs/chunking.md). Everything here is linear in the text's length. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PIPELINE_CHUNK_PACK_H
#define QUIRE_PIPELINE_CHUNK_PACK_H

#include "pipeline/chunk_impl.h"

/* Cut plain[b0, b1) (starting at code point c0), a block of kind just
 * appended, into units. -1 on allocation failure or too many units. */
int chunk_units(struct splitter *sp, enum chunk_kind kind, size_t b0, size_t b1, size_t c0);
/* Add one unit for plain[b0, b1); -1 on failure. */
int chunk_unit_add(struct splitter *sp, enum chunk_kind kind, size_t b0, size_t b1, size_t c0);
/* Pack the units into out's chunks; -1 on failure (sp->too_many set when
 * the chunk cap was passed). */
int chunk_pack(struct splitter *sp, struct split_result *out);

#endif
