/* embed.c: OLE2 files inside documents (a slide's chart or sheet, an
 * object in a document): their text into the current page. Nothing in
 * them can fail the outer document except the host's text cap. Objects
 * stored as storages of the container itself (Word's ObjectPool, Excel's
 * MBD... storages: embedded workbooks, documents, MS Graph charts) are
 * read by the reader of their main stream, and their own objects in
 * turn, LG_MAX_EMBED_DEPTH deep and LG_MAX_OBJECTS in all. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <gsf/gsf-infile.h>
#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-input-memory.h>

#include "legacy.h"

#define LG_MAX_EMBED_DEPTH 2
#define LG_MAX_OBJECTS 64

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

static void object_storage(struct lg *lg, GsfInfile *st)
{
	enum quire_result keep = lg->err;

	if (lg->objects >= LG_MAX_OBJECTS)
		return;
	lg->objects++;
	lg->depth++;
	if (lg_has(st, "Workbook") || lg_has(st, "Book"))
		lg_xls(lg, st);
	else if (lg_has(st, "WordDocument"))
		lg_doc(lg, st);
	if (!lg->err)
		lg_objects(lg, st);
	lg->depth--;
	if (lg->err != QUIRE_TOO_LARGE && lg->err != QUIRE_ERROR)
		lg->err = keep;
}

/* Each child of dir that is a storage, to object_storage. */
static void storages(struct lg *lg, GsfInfile *dir, int pool)
{
	int n = gsf_infile_num_children(dir);

	for (int i = 0; i < n && !lg->err && lg->objects < LG_MAX_OBJECTS; i++) {
		const char *name = gsf_infile_name_by_index(dir, i);
		GsfInput *c;

		if (!name || (!pool && g_ascii_strncasecmp(name, "MBD", 3) != 0 &&
			      g_ascii_strcasecmp(name, "ObjectPool") != 0))
			continue;
		c = gsf_infile_child_by_index(dir, i);
		if (!c)
			continue;
		if (GSF_IS_INFILE(c) && gsf_infile_num_children(GSF_INFILE(c)) >= 0) {
			if (!pool && !g_ascii_strcasecmp(name, "ObjectPool"))
				storages(lg, GSF_INFILE(c), 1);   /* _1234...: one object each */
			else
				object_storage(lg, GSF_INFILE(c));
		}
		g_object_unref(c);
	}
}

void lg_objects(struct lg *lg, GsfInfile *dir)
{
	if (lg->err || lg->depth >= LG_MAX_EMBED_DEPTH)
		return;
	storages(lg, dir, 0);
}
