/* listnum.h: the one list-number formatter (decimal, roman, letters,
 * ordinals) behind the labels of DOCX, ODT, PPTX and DOC lists. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_LISTNUM_H
#define QUIRE_PLUGINS_LISTNUM_H

#include <stddef.h>
#include <stdint.h>

enum pc_num_style {
	PC_NUM_DECIMAL, PC_NUM_DECIMAL_ZERO,   /* 1 2 3; 01 02 03 */
	PC_NUM_ROMAN_LOWER, PC_NUM_ROMAN_UPPER,
	PC_NUM_LETTER_LOWER, PC_NUM_LETTER_UPPER,
	PC_NUM_ORDINAL,                        /* 1st 2nd 3rd 4th */
	PC_NUM_NONE,                           /* no number at all */
};

/* v in style into out (n bytes, always terminated). Roman numerals hold
 * 1..3999 and letters start at 1 (a..z, then aa..zz, aaa...); outside
 * that the number is decimal, as Word shows it. */
void pc_list_number(int v, enum pc_num_style style, char *out, size_t n);

/* What a symbol font's character c draws as a list bullet: c is the
 * font's byte (0x20..0xff) or Word's private-use copy of it (0xf020..
 * 0xf0ff). Symbol's dot, Wingdings' squares, diamonds, arrow and tick;
 * any other symbol is drawn here as U+2022. */
uint32_t pc_list_bullet(unsigned c);

#endif
