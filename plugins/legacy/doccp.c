/* doccp.c: the 8-bit text of Word 6/95 documents in the code page of the
 * language the FIB names (its lid), as Word 6 wrote it: Windows-1251 for
 * a Russian document, 1250 for a Czech one, and the double-byte code
 * pages of Japanese, Chinese and Korean, where a lead byte and the byte
 * after it are one character. Word 97 and later store 8-bit pieces in
 * Windows-1252 always ([MS-DOC] 2.4.1) and never come here. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "doc.h"
#include "doccp.h"

/* The Windows ANSI code page of a language id ([MS-LCID]); 1252 for the
 * Western languages and any it does not know. */
static unsigned lid_codepage(unsigned lid)
{
	switch (lid & 0x3ff) {   /* the primary language */
	case 0x02: case 0x19: case 0x22: case 0x23: case 0x2f: case 0x3f: case 0x40: case 0x44:
		return 1251;     /* Bulgarian, Russian, Ukrainian, Belarusian, Macedonian, ... */
	case 0x1a:           /* Croatian and Serbian: Cyrillic or Latin by sublanguage */
		return lid == 0x0c1a || lid == 0x1c1a ? 1251 : 1250;
	case 0x05: case 0x0e: case 0x15: case 0x18: case 0x1b: case 0x1c: case 0x24:
		return 1250;     /* Czech, Hungarian, Polish, Romanian, Slovak, Albanian, Slovenian */
	case 0x08: return 1253;
	case 0x1f: return 1254;
	case 0x0d: return 1255;
	case 0x01: case 0x20: case 0x29: return 1256;   /* Arabic, Urdu, Farsi */
	case 0x25: case 0x26: case 0x27: return 1257;   /* Estonian, Latvian, Lithuanian */
	case 0x2a: return 1258;
	case 0x1e: return 874;
	case 0x11: return 932;
	case 0x12: return 949;
	case 0x04:           /* Chinese: Traditional in Taiwan, Hong Kong, Macau */
		return lid == 0x0404 || lid == 0x0c04 || lid == 0x1404 ? 950 : 936;
	default: return 1252;
	}
}

/* One or two bytes to a UTF-16 unit: the unit, DOC_LEAD when the input is
 * the start of a longer character, 0xfffd when it is none. */
static unsigned decode(iconv_t cd, const unsigned char *in, size_t n)
{
	char *ip = (char *)in, out[8], *op = out;
	size_t il = n, ol = sizeof out;
	size_t r = iconv(cd, &ip, &il, &op, &ol);
	int err = r == (size_t)-1 ? errno : 0;

	if (op == out)
		iconv(cd, NULL, NULL, &op, &ol);   /* a letter held back (1255, 1258) */
	iconv(cd, NULL, NULL, NULL, NULL);
	if (op - out >= 2)
		return (unsigned)(unsigned char)out[0] | (unsigned)(unsigned char)out[1] << 8;
	return err == EINVAL && n == 1 ? DOC_LEAD : 0xfffd;
}

void doc_cp_init(struct doc *d)
{
	char name[16];
	unsigned cp;

	d->cd = (iconv_t)-1;
	d->bytes = NULL;
	if (!d->word6 || d->wn < 8)
		return;
	cp = lid_codepage(pc_le16(d->w + 6));
	if (cp == 1252)
		return;
	snprintf(name, sizeof name, "CP%u", cp);
	d->cd = iconv_open("UTF-16LE", name);
	if (d->cd == (iconv_t)-1)
		return;
	d->bytes = malloc(256 * sizeof *d->bytes);
	if (!d->bytes) {
		doc_cp_free(d);
		return;
	}
	for (unsigned b = 0; b < 256; b++) {
		unsigned char c = (unsigned char)b;

		d->bytes[b] = b < 0x80 ? b : (uint16_t)decode(d->cd, &c, 1);
	}
}

unsigned doc_cp_pair(struct doc *d, unsigned char lead, unsigned char trail)
{
	unsigned char two[2] = { lead, trail };
	unsigned u = decode(d->cd, two, 2);

	return u == DOC_LEAD ? 0xfffd : u;
}

void doc_cp_free(struct doc *d)
{
	if (d->cd != (iconv_t)-1)
		iconv_close(d->cd);
	d->cd = (iconv_t)-1;
	free(d->bytes);
	d->bytes = NULL;
}
