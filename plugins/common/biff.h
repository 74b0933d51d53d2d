/* biff.h: the plugins' one BIFF reader: records of an Excel workbook
 * stream (BIFF2 to BIFF8) and their iteration, the reader of a record
 * continued by CONTINUE records, and its strings; the legacy plugin's
 * workbooks and the OOXML plugin's embedded charts and sheets. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_BIFF_H
#define QUIRE_PLUGINS_BIFF_H

#include <iconv.h>
#include <stddef.h>
#include <stdint.h>

#include "bytes.h"
#include "pbuf.h"

#define BIFF_FORMULA 0x0006
#define BIFF_EOF 0x000a
#define BIFF_HEADER 0x0014
#define BIFF_FOOTER 0x0015
#define BIFF_DATEMODE 0x0022
#define BIFF_FILEPASS 0x002f
#define BIFF_CONTINUE 0x003c
#define BIFF_CODEPAGE 0x0042
#define BIFF_BOUNDSHEET 0x0085
#define BIFF_MULRK 0x00bd
#define BIFF_RSTRING 0x00d6
#define BIFF_XF 0x00e0
#define BIFF_SST 0x00fc
#define BIFF_LABELSST 0x00fd
#define BIFF_TXO 0x01b6
#define BIFF_NUMBER 0x0203
#define BIFF_LABEL 0x0204
#define BIFF_BOOLERR 0x0205
#define BIFF_STRING 0x0207
#define BIFF_RK 0x027e
#define BIFF_BOF 0x0809
#define BIFF_FORMAT 0x041e
#define BIFF_SERIESTEXT 0x100d
/* BIFF2-4 forms of the cells and the FORMAT record */
#define BIFF2_NUMBER 0x0003
#define BIFF2_LABEL 0x0004
#define BIFF2_INTEGER 0x0002
#define BIFF4_FORMAT 0x001e

/* One record: type, data and its offset in the stream. */
struct biff_rec {
	unsigned type, len;
	const unsigned char *p;
	size_t off, next;
};

/* The record at off: 0, or -1 when its header or data runs past the end. */
int biff_at(const unsigned char *s, size_t n, size_t off, struct biff_rec *r);

/* A record and the CONTINUE records after it, read as one sequence of
 * bytes that knows where each record ends (for strings split across them). */
struct biff_seg {
	size_t off, n;
};
struct crd {
	const unsigned char *s;
	struct biff_seg *seg;
	size_t nseg, i, pos;
	int bad;            /* read past the end */
};

/* Collect the record at off (skip it when `skip_first`) and its CONTINUE
 * records: 0, or -1 when out of memory. Free with crd_free. */
int crd_init(struct crd *c, const unsigned char *s, size_t n, size_t off, int skip_first);
void crd_free(struct crd *c);
unsigned crd_u8(struct crd *c);
unsigned crd_u16(struct crd *c);
uint32_t crd_u32(struct crd *c);
void crd_skip(struct crd *c, size_t n);

/* The text settings of a workbook: BIFF8 (UTF-16 strings with a flags
 * byte) or BIFF5 (8-bit strings in the CODEPAGE's encoding). */
struct biff_text {
	int biff8;
	iconv_t cd;         /* BIFF5 code page other than 1252, else (iconv_t)-1 */
};

void biff_text_codepage(struct biff_text *t, unsigned codepage);
void biff_text_close(struct biff_text *t);
/* 8-bit text in the workbook's code page. */
void biff_put8(const struct biff_text *t, struct pbuf *b, const unsigned char *s, size_t n);
/* cch characters of an XLUnicodeString body (flags already read): when
 * they cross into a CONTINUE record, that record starts with a new flags
 * byte. */
void biff_chars(struct crd *c, size_t cch, int high, struct pbuf *b);
/* A string: cch of `cchlen` bytes (1 or 2), then in BIFF8 a flags byte
 * (with rich-text runs and phonetic data skipped), then the characters. */
void biff_string(const struct biff_text *t, struct crd *c, int cchlen, struct pbuf *b);
/* The same from a plain buffer (one record's data from `off`). */
void biff_string_at(const struct biff_text *t, const unsigned char *p, size_t n, size_t off,
		    int cchlen, struct pbuf *b);

#endif
