/* embed.c: OLE2 files inside documents (a slide's chart or sheet, an
 * object in a document, a presentation in either): their text into the
 * current page. Nothing in them can fail the outer document except the
 * host's text cap. Objects stored as storages of the container itself
 * (Word's ObjectPool, Excel's MBD... storages: embedded workbooks,
 * documents, presentations, MS Graph charts) are read by the reader of
 * their main stream, and their own objects in turn, LG_MAX_EMBED_DEPTH
 * deep and LG_MAX_OBJECTS in all. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <gsf/gsf-infile.h>
#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-input-memory.h>

#include "legacy.h"
#include "xls.h"
#include "ppt.h"
#include "out.h"
#include "embed.h"
#include "doc.h"
#include "../common/embed.h"

#define LG_MAX_EMBED_DEPTH 2
#define LG_MAX_OBJECTS 64

/* The format of the object whose main stream is in dir: "xls", "doc",
 * "ppt" or NULL (nothing this reader reads). */
static const char *object_type(GsfInfile *dir)
{
	if (lg_has(dir, "Workbook") || lg_has(dir, "Book"))
		return "xls";
	if (lg_has(dir, "PowerPoint Document"))
		return "ppt";
	return lg_has(dir, "WordDocument") ? "doc" : NULL;
}

/* Read the object in dir by its type (NULL: only the objects it holds),
 * marked as embedded in the output; objects its objects when `deep`. */
static void read_object(struct lg *lg, GsfInfile *dir, const char *type, int deep)
{
	if (type && pc_embed_begin(lg->host, type) != 0)
		return;
	lg->depth++;
	if (type && !strcmp(type, "xls"))
		lg_xls(lg, dir);
	else if (type && !strcmp(type, "ppt"))
		lg_ppt(lg, dir);
	else if (type)
		lg_doc(lg, dir);
	if (!lg->err && deep)
		lg_objects(lg, dir);
	lg->depth--;
	if (type)
		pc_embed_end(lg->host);
}

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
		const char *type = object_type(ole);

		lg->file_size = n;
		if (type)
			read_object(lg, ole, type, 0);
		lg->file_size = keep_size;
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
	const char *type = object_type(st);

	if (lg->objects >= LG_MAX_OBJECTS)
		return;
	lg->objects++;
	read_object(lg, st, type, 1);
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
