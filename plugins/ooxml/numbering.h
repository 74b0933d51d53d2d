/* numbering.h: WordprocessingML list labels as the author sees them. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_OOXML_NUMBERING_H
#define QUIRE_PLUGINS_OOXML_NUMBERING_H

#include "ooxml.h"

/* Read numbering.xml (part may be NULL: no numberings, styles only). New,
 * free with ox_num_free; NULL only when out of memory (ox->err set). */
struct ox_numbering *ox_num_load(struct ox *ox, const char *part);
/* Paragraph style style carries numPr numId num (-1: none) at ilvl (-1: 0). */
void ox_num_style(struct ox_numbering *nb, const char *style, int num, int ilvl);
/* Count one paragraph of style (may be NULL) with numId num and ilvl (-1
 * when the paragraph does not say: the style's) and write its label,
 * "1.2.", "a)", "IV." or a bullet, into out (size n). Returns its length,
 * 0 when the paragraph is not numbered. Counters advance in document order. */
size_t ox_num_label(struct ox_numbering *nb, const char *style, int num, int ilvl, char *out,
		    size_t n);
/* Paragraph style style is based on base (numPr is inherited). */
void ox_num_based(struct ox_numbering *nb, const char *style, const char *base);
void ox_num_free(struct ox_numbering *nb);
/* v in a WordprocessingML number format ("decimal", "lowerLetter",
 * "upperRoman", "ordinal"...) into out (size n). */
void ox_num_format(int v, const char *fmt, char *out, size_t n);

#endif
