/* text_compound.h: compound tokens, kept whole beside the parts
 * text_tokens gives: words joined without a space by a hyphen or a slash
 * ("25-hydroxyvitamin", "il-6", "tnf-α", "and/or"), numbers by a comma or
 * a point ("3,4", "1.25"); and pairs of adjacent CJK characters. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_TEXT_TEXT_COMPOUND_H
#define QUIRE_TEXT_TEXT_COMPOUND_H

#include "text/text.h"

/* Calls cb for each compound of s (text_compound.c): two or more words
 * joined without a space by '-' or '/', or numbers by ',' or '.' ("il-6",
 * "25-hydroxyvitamin", "3,4", "1.25"), each part as text_tokens reads it,
 * joined by the characters written: the whole beside text_tokens' parts.
 * A compound with a part that is not one token, or of TEXT_TOKEN_MAX
 * bytes or more, is left out. Stops when cb returns non-zero. */
void text_compounds(const char *s, size_t n, text_token_cb cb, void *arg);
/* Calls cb for each pair of adjacent CJK characters of s (ideographs,
 * kana, Hangul syllables; nothing between them), each as text_tokens reads
 * it, joined: "图书馆" gives "图书" and "书馆", beside text_tokens' one
 * token per character. Stops when cb returns non-zero. */
void text_cjk_bigrams(const char *s, size_t n, text_token_cb cb, void *arg);

#endif
