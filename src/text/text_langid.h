/* text_langid.h: a document's language: its script, then libexttextcat's
 * n-grams. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_TEXT_TEXT_LANGID_H
#define QUIRE_TEXT_TEXT_LANGID_H

#include "text/text.h"

const struct text_language *text_langid(const char *s, size_t n);
/* For a text too short for n-grams (a query): the stemming languages of
 * the languages written in its main script, the script's first language
 * first, into out; their number. 0 for Latin script or no letters (stop
 * words say more there). */
size_t text_script_stems(const char *s, size_t n, enum text_lang out[LANG_MAX]);
/* The languages text_langid can answer, for docs and tests: *n of them. */
const struct text_language *text_languages(size_t *n);

#endif
