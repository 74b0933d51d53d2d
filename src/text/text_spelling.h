/* text_spelling.h: English spelling variants of a word (British and
 * American: "tumour" / "tumor", "ischaemia" / "ischemia", "randomised" /
 * "randomized", "analyse" / "analyze"; a Greek-Latin singular and its
 * plural the stemmer keeps apart: "metastasis" / "metastases"), for
 * keyword search to look a query word up in each spelling. A variant
 * may be no word at all ("exercize"): the index then holds none of it. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_TEXT_TEXT_SPELLING_H
#define QUIRE_TEXT_TEXT_SPELLING_H

#include "text/text.h"

#define TEXT_SPELLING_MAX 4   /* variants of one word at most */
/* The other spellings of tok (len bytes, as text_tokens gives it: case
 * folded) into out (each NUL-terminated, at most TEXT_TOKEN_MAX - 1
 * bytes), none equal to tok; returns how many (0 to TEXT_SPELLING_MAX). */
int text_spelling_variants(const char *tok, size_t len,
			   char out[TEXT_SPELLING_MAX][TEXT_TOKEN_MAX]);

#endif
