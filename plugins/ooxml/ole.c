/* ole.c: text of embedded OLE objects that are charts or workbooks
 * (MSGraph.Chart, Excel 97 BIFF): the cell labels of their Workbook
 * stream, which hold the category and series names. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "ooxml.h"
#include "zipguard.h"
#include "xml.h"
#include "ole.h"
#include "../common/biff.h"
#include "../common/bytes.h"
#include "../common/ole.h"

#define OX_MAX_OLE (16u << 20)

/* The string of a LABEL record from off (cchlen-byte count) as a
 * paragraph, read by the plugins' one BIFF reader. */
static void label(struct ox *ox, const struct biff_text *t, const struct biff_rec *r, size_t off,
		  int cchlen)
{
	struct pbuf b;

	pbuf_init(&b, ox->max_text);
	biff_string_at(t, r->p, r->len, off, cchlen, &b);
	if (b.full)
		ox->err = b.oom ? QUIRE_ERROR : QUIRE_TOO_LARGE;
	else if (ox_buf_trim(&b))
		ox_emit(ox, OX_PARA, 0, b.p, b.n);
	pbuf_free(&b);
}

/* LABEL records: 0x0004 (MSGraph, BIFF2-like: row, col, 3 attribute
 * bytes, 16-bit count, Windows-1252 characters) and 0x0204 (BIFF8: row,
 * col, xf, an XLUnicodeString). */
static void biff_labels(struct ox *ox, const unsigned char *s, size_t len)
{
	const struct biff_text t8 = { .biff8 = 1, .cd = (iconv_t)-1 };
	const struct biff_text t2 = { .biff8 = 0, .cd = (iconv_t)-1 };
	struct biff_rec r;

	for (size_t off = 0; !ox->err && biff_at(s, len, off, &r) == 0; off = r.next) {
		if (r.type == BIFF2_LABEL && r.len >= 9)
			label(ox, &t2, &r, 7, 2);
		else if (r.type == BIFF_LABEL && r.len >= 9)
			label(ox, &t8, &r, 6, 2);
	}
}

void ox_ole_text(struct ox *ox, const char *part)
{
	struct ox_entry e;
	struct pbuf b = { 0 };
	unsigned char chunk[16384], *wb = NULL;
	size_t wblen = 0;
	long got;

	if (ox_entry_open(ox, part, &e) < 0)
		return;
	while ((got = ox_entry_read(&e, chunk, sizeof chunk)) > 0)
		if (b.n + (size_t)got > OX_MAX_OLE || ox_buf_add(ox, &b, (char *)chunk, (size_t)got) < 0)
			break;
	ox_entry_close(&e);
	if (got == 0 && b.n &&
	    (pc_ole_stream((unsigned char *)b.p, b.n, "Workbook", OX_MAX_OLE, &wb, &wblen) == 0 ||
	     pc_ole_stream((unsigned char *)b.p, b.n, "Book", OX_MAX_OLE, &wb, &wblen) == 0))
		biff_labels(ox, wb, wblen);
	free(wb);
	pbuf_free(&b);
}
