/* ole.c: text of embedded OLE objects that are charts or workbooks
 * (MSGraph.Chart, Excel 97 BIFF): the cell labels of their Workbook
 * stream, which hold the category and series names. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "ooxml.h"
#include "../common/bytes.h"
#include "../common/ole.h"

#define OX_MAX_OLE (16u << 20)

/* Windows-1252 (wide = 0) or UTF-16LE (wide = 1, surrogate pairs joined)
 * characters to UTF-8 through the plugins' common buffer. */
static void label(struct ox *ox, const unsigned char *p, size_t cch, int wide, size_t avail)
{
	struct pbuf b;
	int r = 0;

	pbuf_init(&b, ox->max_text);
	if (cch * (wide ? 2 : 1) > avail)
		cch = avail / (wide ? 2 : 1);
	for (size_t i = 0; i < cch && !r; i++)
		r = wide ? pbuf_u16(&b, pc_le16(p + 2 * i)) : pbuf_1252(&b, p[i]);
	if (r == PBUF_CAP || r == PBUF_NOMEM)
		ox->err = r == PBUF_CAP ? QUIRE_TOO_LARGE : QUIRE_ERROR;
	else if (ox_buf_trim(&b))
		ox_emit(ox, OX_PARA, 0, b.p, b.n);
	pbuf_free(&b);
}

/* LABEL records: 0x0004 (MSGraph, BIFF2-like: row, col, 3 attribute
 * bytes, 16-bit count, 8-bit characters) and 0x0204 (BIFF8: row, col, xf,
 * count, flags, characters). */
static void biff_labels(struct ox *ox, const unsigned char *s, size_t len)
{
	for (size_t off = 0; off + 4 <= len && !ox->err;) {
		unsigned type = pc_le16(s + off), rlen = pc_le16(s + off + 2);
		const unsigned char *r = s + off + 4;

		if (rlen > len - off - 4)
			break;
		if (type == 0x0004 && rlen >= 9)
			label(ox, r + 9, pc_le16(r + 7), 0, rlen - 9);
		else if (type == 0x0204 && rlen >= 9)
			label(ox, r + 9, pc_le16(r + 6), r[8] & 1, rlen - 9);
		off += 4 + rlen;
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
