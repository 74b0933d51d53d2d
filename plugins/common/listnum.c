/* listnum.c: list numbers as the author sees them: decimal, roman,
 * letters, ordinals, and symbol fonts' bullets (one copy for the DOCX,
 * ODT, PPTX, DOC and RTF readers). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>

#include "listnum.h"

#define LETTERS_MAX 32   /* repeats of a letter shown (v up to 832) */

static void roman(int v, int upper, char *out, size_t n)
{
	static const int val[] = { 1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1 };
	static const char *const sym[] = { "m", "cm", "d", "cd", "c", "xc", "l", "xl", "x", "ix",
					   "v", "iv", "i" };
	size_t k = 0;

	for (int i = 0; i < 13 && v > 0; i++)
		for (; v >= val[i]; v -= val[i])
			for (const char *s = sym[i]; *s && k + 1 < n; s++)
				out[k++] = upper ? (char)(*s - 'a' + 'A') : *s;
	out[k] = '\0';
}

static void letters(int v, int upper, char *out, size_t n)
{
	size_t k = 0, times = (size_t)(v - 1) / 26 + 1;

	for (size_t i = 0; i < times && i < LETTERS_MAX && k + 1 < n; i++)
		out[k++] = (char)((upper ? 'A' : 'a') + (v - 1) % 26);
	out[k] = '\0';
}

void pc_list_number(int v, enum pc_num_style style, char *out, size_t n)
{
	int t = v % 100, u = v % 10;

	if (n == 0)
		return;
	if ((style == PC_NUM_ROMAN_LOWER || style == PC_NUM_ROMAN_UPPER) && (v < 1 || v > 3999))
		style = PC_NUM_DECIMAL;
	if ((style == PC_NUM_LETTER_LOWER || style == PC_NUM_LETTER_UPPER) && v < 1)
		style = PC_NUM_DECIMAL;
	switch (style) {
	case PC_NUM_NONE: out[0] = '\0'; break;
	case PC_NUM_DECIMAL_ZERO: snprintf(out, n, "%02d", v); break;
	case PC_NUM_ROMAN_LOWER:
	case PC_NUM_ROMAN_UPPER: roman(v, style == PC_NUM_ROMAN_UPPER, out, n); break;
	case PC_NUM_LETTER_LOWER:
	case PC_NUM_LETTER_UPPER: letters(v, style == PC_NUM_LETTER_UPPER, out, n); break;
	case PC_NUM_ORDINAL:
		snprintf(out, n, "%d%s", v, t >= 11 && t <= 13 ? "th" : u == 1 ? "st" : u == 2 ? "nd" :
			 u == 3 ? "rd" : "th");
		break;
	default: snprintf(out, n, "%d", v); break;
	}
}

uint32_t pc_list_bullet(unsigned c)
{
	switch (c & 0xff) {
	case 0xb7: return 0x2022;   /* Symbol's dot */
	case 0xa7: return 0x25aa;   /* Wingdings' small square */
	case 0xd8: return 0x27a2;   /* arrowhead */
	case 0xfc: return 0x2713;   /* tick */
	case 0x76: return 0x2756;   /* diamond of four */
	case 0x6f: return 0x25a1;   /* empty square */
	case 0xa8: return 0x25c6;   /* diamond */
	case 0x6e: return 0x25a0;   /* black square */
	default: return 0x2022;
	}
}
