/* embed_builtin.h: the builtin embedding model "quire-hash-512-v2": local,
 * deterministic, no network. A chunk becomes a 512-dimension vector of
 * signed hashed features:
 *   - Snowball stems of the words that are not stop words (weight 1),
 *   - pairs of consecutive stems (weight 0.5),
 *   - character trigrams of each word with boundary marks (weight 0.25),
 * each weighted sublinearly by its count in the chunk (1 + ln tf), summed
 * into dimension hash % 512 with a hash-derived sign, then L2-normalised.
 * There is no corpus IDF, so a vector never changes as the collection
 * grows; BM25 covers the collection statistics in hybrid search. Vectors are
 * stored quantised to int8 with one float scale. See docs/embedding.md. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_EMBED_BUILTIN_H
#define QUIRE_EMBED_BUILTIN_H

#include <stddef.h>
#include <stdint.h>
#include "text/text.h"

#define EMBED_BUILTIN_MODEL "quire-hash-512-v2"
#define EMBED_BUILTIN_DIMS 512

struct embed_builtin;

/* An embedder's language: a text's own, as text_detect() finds it in the
 * first EMBED_DETECT_BYTES (the embed jobs' way). */
#define EMBED_LANG_DETECT LANG_MAX
#define EMBED_DETECT_BYTES 4096

/* New embedder for texts in lang (or EMBED_LANG_DETECT); release with
 * embed_builtin_free. Not shared between threads. */
struct embed_builtin *embed_builtin_new(enum text_lang lang);
void embed_builtin_free(struct embed_builtin *e);
/* Embed text (n bytes) into out[EMBED_BUILTIN_DIMS], L2-normalised (all
 * zeros for a text without words). 0, or -1 when a detecting embedder
 * cannot get memory for the text's language (out is then undefined); an
 * embedder of a fixed language never fails. A detecting embedder gives
 * the vector of an embedder of the detected language, from one pass of the
 * tokenizer when the text is at most EMBED_DETECT_BYTES. */
int embed_builtin_text(struct embed_builtin *e, const char *text, size_t n, float *out);

/* Embed a query like embed_builtin_text, each word's features (its stem,
 * its trigrams, half of each pair it is in) scaled by weight(stem) (e.g.
 * the stem's inverse document frequency); stop words get stop_weight. The
 * result lives in the same space as the chunks' vectors: only the query
 * side is weighted. */
void embed_builtin_query(struct embed_builtin *e, const char *text, size_t n,
			 float (*weight)(const char *stem, size_t len, void *arg), void *arg,
			 float stop_weight, float *out);

/* int8 quantisation: q[i] = round(v[i] / scale), scale = max|v| / 127. */
void embed_quantize(const float *v, size_t dims, int8_t *q, float *scale);
/* Dot product of two int8 vectors (the caller multiplies the scales). */
int32_t embed_dot_i8(const int8_t *a, const int8_t *b, size_t dims);

#endif
