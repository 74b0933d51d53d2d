/* legacy.c: the legacy Office plugin: Word 97-2003 (and 6/95), PowerPoint
 * 97-2003 and Excel 97-2003 (and 5/95) files, OLE2 compound files opened
 * with libgsf from a read-only mapping; each format is read by our own
 * parser of its main stream (doc.c, ppt.c, xls.c); and WordPerfect 4.2
 * documents, which have no container (wp42.c). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-utils.h>

#include "legacy.h"
#include "xls.h"
#include "wp42.h"
#include "ppt.h"
#include "out.h"
#include "meta.h"
#include "embed.h"
#include "doc.h"

#define OLE_MAGIC "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

static const char *const lg_mime_types[] = { "application/msword", "application/vnd.ms-powerpoint",
					     "application/vnd.ms-excel", "application/x-ole-storage",
					     NULL };
static const char *const lg_extensions[] = { "doc", "dot", "ppt", "pps", "pot", "xls", "xlt", NULL };

/* What the directory of an OLE2 file, as far as the head holds it, says. */
enum head_dir { DIR_UNKNOWN, DIR_OURS, DIR_OTHER, DIR_ENCRYPTED };

/* Is directory entry e called `name`? ASCII case is ignored, as [MS-CFB]
 * compares names ("WORKBOOK" is a workbook). */
static int entry_is(const unsigned char *e, const char *name)
{
	size_t n = strlen(name), len = pc_le16(e + 0x40);

	if (len != 2 * (n + 1))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (g_ascii_tolower(e[2 * i]) != g_ascii_tolower(name[i]) || e[2 * i + 1] != 0)
			return 0;
	return 1;
}

static enum head_dir dir_sector(const unsigned char *s, size_t size)
{
	enum head_dir d = DIR_OTHER;

	for (size_t off = 0; off + 128 <= size; off += 128) {
		const unsigned char *e = s + off;

		if (entry_is(e, "EncryptedPackage"))
			return DIR_ENCRYPTED;
		if (entry_is(e, "WordDocument") || entry_is(e, "PowerPoint Document") ||
		    entry_is(e, "Workbook") || entry_is(e, "Book"))
			d = DIR_OURS;
	}
	return d;
}

/* Follow the directory's sector chain through the FAT sectors that the
 * header lists, as long as both lie inside the head. */
static enum head_dir head_directory(const unsigned char *h, size_t len)
{
	unsigned shift = len >= 0x200 ? pc_le16(h + 0x1e) : 0;
	size_t size = (size_t)1 << (shift == 12 ? 12 : 9);
	uint32_t sect = len >= 0x200 ? pc_le32(h + 0x30) : 0xfffffffe;
	enum head_dir found = DIR_OTHER;

	if (shift != 9 && shift != 12)
		return DIR_UNKNOWN;
	for (int hops = 0; sect < 0xfffffffa; hops++) {
		size_t off = ((size_t)sect + 1) * size, per = size / 4, fat;
		uint32_t fs;
		enum head_dir d;

		if (hops > 256 || !pc_in(len, off, size))
			return found == DIR_OURS ? DIR_OURS : DIR_UNKNOWN;
		d = dir_sector(h + off, size);
		if (d == DIR_ENCRYPTED)
			return d;
		if (d == DIR_OURS)
			found = d;
		if (sect / per >= 109)
			return found == DIR_OURS ? DIR_OURS : DIR_UNKNOWN;
		fs = pc_le32(h + 0x4c + 4 * (sect / per));
		fat = ((size_t)fs + 1) * size;
		if (fs >= 0xfffffffa || !pc_in(len, fat, size))
			return found == DIR_OURS ? DIR_OURS : DIR_UNKNOWN;
		sect = pc_le32(h + fat + 4 * (sect % per));
	}
	return found;
}

static int lg_sniff(const unsigned char *head, size_t len, const char *mime)
{
	if (len >= 8 && memcmp(head, OLE_MAGIC, 8) != 0 && lg_xls_bare_sniff(head, len))
		return 60;   /* xls.c: Excel 2.x-4.0, no container */
	if (len < 8 || memcmp(head, OLE_MAGIC, 8) != 0)
		return lg_wp42_sniff(head, len, mime) ? 20 : 0;   /* wp42.c */
	if (mime && (!strcmp(mime, "application/msword") ||
		     !strcmp(mime, "application/vnd.ms-powerpoint") ||
		     !strcmp(mime, "application/vnd.ms-excel")))
		return 90;
	if (mime && !strcmp(mime, "application/encrypted"))
		return 0;
	switch (head_directory(head, len)) {
	case DIR_OURS: return 90;
	case DIR_UNKNOWN: return 40;   /* extract() looks at the whole directory */
	default: return 0;
	}
}

static enum quire_result lg_init(const struct quire_host *host, void **state)
{
	pc_ole_init(host, "legacy");
	*state = NULL;
	return QUIRE_OK;
}

static void lg_fini(void *state)
{
	(void)state;
}

static enum quire_result dispatch(struct lg *lg, const char *mime)
{
	GsfInfile *ole = lg->ole;
	int xls = lg_has(ole, "Workbook") || lg_has(ole, "Book");
	int ppt = lg_has(ole, "PowerPoint Document"), doc = lg_has(ole, "WordDocument");
	enum quire_result r;

	if (lg_has(ole, "EncryptedPackage") || lg_has(ole, "\006DataSpaces")) {
		lg->host->log(QUIRE_LOG_INFO, "legacy: an encrypted or rights-managed package");
		return QUIRE_ENCRYPTED;
	}
	if (!xls && !ppt && !doc) {
		/* the head named one (the type says so) but it is gone: truncated */
		int named = mime && (!strcmp(mime, "application/msword") ||
				     !strcmp(mime, "application/vnd.ms-powerpoint") ||
				     !strcmp(mime, "application/vnd.ms-excel"));

		lg->host->log(QUIRE_LOG_INFO, "legacy: no readable Word, PowerPoint or Excel stream");
		return named ? QUIRE_CORRUPT : QUIRE_UNSUPPORTED;
	}
	lg_summary(lg, NULL);
	/* The sniffed type breaks ties (a workbook holding a stray stream). */
	if (mime && !strcmp(mime, "application/vnd.ms-excel") && xls)
		r = lg_xls(lg, ole);
	else if (mime && !strcmp(mime, "application/vnd.ms-powerpoint") && ppt)
		r = lg_ppt(lg, ole);
	else if (doc)
		r = lg_doc(lg, ole);
	else if (ppt)
		r = lg_ppt(lg, ole);
	else
		r = lg_xls(lg, ole);
	if (r == QUIRE_OK && !lg->err)
		lg_objects(lg, ole);
	return r;
}

static enum quire_result lg_extract(void *state, const struct quire_host *host,
				    const char *path, int fd, const char *mime)
{
	struct lg lg = { .host = host };
	struct stat st;
	void *map = MAP_FAILED;
	GsfInput *mem = NULL;
	GError *gerr = NULL;
	enum quire_result r;

	(void)state;
	(void)path;
	if (fstat(fd, &st) != 0)
		return QUIRE_ERROR;
	if (st.st_size < 8)
		return QUIRE_UNSUPPORTED;
	lg.file_size = (size_t)st.st_size;
	map = mmap(NULL, lg.file_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return QUIRE_ERROR;
	if (memcmp(map, OLE_MAGIC, 8) != 0) {
		if (lg_xls_bare_sniff(map, lg.file_size))
			r = lg_xls_bare(&lg, map, lg.file_size);
		else if (lg_wp42_sniff(map, lg.file_size, mime))
			r = lg_wp42(&lg, map, lg.file_size);
		else
			r = QUIRE_UNSUPPORTED;
		if (r == QUIRE_OK && lg.err)
			r = lg.err;
		if (r == QUIRE_OK && !lg.wrote)
			r = QUIRE_EMPTY;
		goto out;
	}
	mem = gsf_input_memory_new(map, (gsf_off_t)lg.file_size, FALSE);
	lg.ole = mem ? gsf_infile_msole_new(mem, &gerr) : NULL;
	if (!lg.ole) {
		host->log(QUIRE_LOG_INFO, "legacy: not a readable OLE2 file: %s",
			  gerr ? gerr->message : "?");
		r = mem ? QUIRE_CORRUPT : QUIRE_ERROR;
		goto out;
	}
	r = dispatch(&lg, mime);
	if (r == QUIRE_OK && lg.err)
		r = lg.err;
	if (r == QUIRE_OK && !lg.wrote)
		r = QUIRE_EMPTY;
out:
	if (gerr)
		g_error_free(gerr);
	if (lg.ole)
		g_object_unref(lg.ole);
	if (mem)
		g_object_unref(mem);
	munmap(map, lg.file_size);
	return r;
}

static const struct quire_plugin lg_plugin = {
	.abi = QUIRE_PLUGIN_ABI,
	.size = sizeof(struct quire_plugin),
	.name = "legacy",
	.version = "1.0",
	.mime_types = lg_mime_types,
	.extensions = lg_extensions,
	.sniff = lg_sniff,
	.init = lg_init,
	.extract = lg_extract,
	.fini = lg_fini,
	.flags = 0,
};

const struct quire_plugin *quire_plugin_entry(void)
{
	return &lg_plugin;
}
