/* chunk_text.h: the chunker's character level: UTF-8 decoding and repair,
 * token and word counting (docs/chunking.md), and the process rule's
 * pre-processing (extra spaces, URLs and e-mail addresses). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PIPELINE_CHUNK_TEXT_H
#define QUIRE_PIPELINE_CHUNK_TEXT_H

#include "pipeline/chunk_impl.h"
#include "pipeline/split.h"

void sb_add(struct sb *b, const char *s, size_t n);
void sb_adds(struct sb *b, const char *s);

/* The code point at s[i] (n bytes); *len its length (1 for a bad byte). */
unsigned chunk_utf8(const char *s, size_t n, size_t i, size_t *len);
/* Code points in s (lead bytes; exact for valid UTF-8). */
size_t chunk_cps(const char *s, size_t n);
int chunk_is_space(unsigned cp);

void chunk_count_cp(struct chunk_counter *c, unsigned cp);

/* Valid UTF-8 with LF line ends and no NUL: CR LF and CR become LF, NUL a
 * space, a bad byte U+FFFD. out is reset first. */
void chunk_normalise(const char *s, size_t n, struct sb *out);
/* Apply the rule's pre-processing to s (valid UTF-8) into out (reset). */
void chunk_clean(const struct split_rule *r, const char *s, size_t n, struct sb *out);

/* Tokens and words of s as the splitter counts them (docs/chunking.md). */
void split_count(const char *s, size_t n, size_t *tokens, size_t *words);

#endif
