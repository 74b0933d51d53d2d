/* embed.c: OLE2 files inside documents (a slide's chart or sheet, an
 * object in a document): their text into the current page. Nothing in
 * them can fail the outer document except the host's text cap. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-input-memory.h>

#include "legacy.h"

#define LG_MAX_EMBED_DEPTH 2

void lg_embedded(struct lg *lg, const unsigned char *p, size_t n)
{
	enum quire_result keep = lg->err;
	size_t keep_size = lg->file_size;
	GsfInput *mem;
	GsfInfile *ole;

	if (lg->err || lg->depth >= LG_MAX_EMBED_DEPTH || n < 512 ||
	    memcmp(p, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) != 0)
		return;
	mem = gsf_input_memory_new(p, (gsf_off_t)n, FALSE);
	ole = mem ? gsf_infile_msole_new(mem, NULL) : NULL;
	if (ole) {
		lg->depth++;
		lg->file_size = n;
		if (lg_has(ole, "Workbook") || lg_has(ole, "Book"))
			lg_xls(lg, ole);
		else if (lg_has(ole, "WordDocument"))
			lg_doc(lg, ole);
		lg->file_size = keep_size;
		lg->depth--;
		g_object_unref(ole);
	}
	if (mem)
		g_object_unref(mem);
	if (lg->err != QUIRE_TOO_LARGE && lg->err != QUIRE_ERROR)
		lg->err = keep;
}
