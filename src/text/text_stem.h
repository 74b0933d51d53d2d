/* text_stem.h: Snowball stemming (libstemmer) behind a per-stemmer cache. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_TEXT_TEXT_STEM_H
#define QUIRE_TEXT_TEXT_STEM_H

#include "text/text.h"

struct text_stemmer *text_stemmer_new(enum text_lang lang);
void text_stemmer_free(struct text_stemmer *st);
/* The process's stemmer for lang (English past LANG_MAX), made at its first
 * use and kept, its cache shared by every caller; NULL when out of memory.
 * Not for threads: a process stems on one. */
struct text_stemmer *text_stemmer_get(enum text_lang lang);
/* Stem of tok (borrowed, valid until the next call); *out_len its length. */
const char *text_stem(struct text_stemmer *st, const char *tok, size_t len, size_t *out_len);

void text_stem_word(struct text_stemmer *st, const char *tok, size_t len, struct text_word *w);
/* The same with h = text_word_hash(tok, len); len < TEXT_TOKEN_MAX. */
void text_stem_word_h(struct text_stemmer *st, const char *tok, size_t len, uint64_t h,
		      struct text_word *w);

#endif
