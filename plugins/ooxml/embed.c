/* embed.c: Office packages embedded in a document (an Excel workbook in a
 * Word file, a document in a slide, either as a package part or wrapped in
 * an OLE object) and old OLE charts and workbooks: each is read through
 * the same readers, one level deep, sharing the file's inflation budget,
 * at most OX_MAX_EMBEDDED of them. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "ooxml.h"
#include "zipguard.h"
#include "xml.h"
#include "ole.h"
#include "embed.h"
#include "../common/embed.h"
#include "../common/ole.h"

#define OX_MAX_DEPTH 1        /* embedded packages inside embedded ones are not read */
#define OX_MAX_EMBEDDED 16
#define OX_MAX_PACKAGE (64u << 20)

unsigned char *ox_slurp(struct ox *ox, const char *part, size_t *len)
{
	struct ox_entry e;
	struct pbuf b = { 0 };
	char chunk[16384];
	long got = -1;

	if (ox_entry_open(ox, part, &e) < 0)
		return NULL;
	while ((got = ox_entry_read(&e, chunk, sizeof chunk)) > 0)
		if (b.n + (size_t)got > OX_MAX_PACKAGE ||
		    ox_buf_add(ox, &b, chunk, (size_t)got) < 0) {
			got = -1;
			break;
		}
	ox_entry_close(&e);
	if (got < 0 || !b.n) {
		pbuf_free(&b);
		return NULL;
	}
	*len = b.n;
	return (unsigned char *)b.p;
}

/* Read the package in mem (borrowed) as a child of ox. */
static void one_mem(struct ox *ox, const unsigned char *mem, size_t len)
{
	struct ox child;
	enum quire_result r;

	if (len < 4 || memcmp(mem, "PK\3\4", 4) != 0)
		return;
	child = *ox;
	child.zip = NULL;
	child.err = QUIRE_OK;
	child.wrote = 0;
	child.depth = ox->depth + 1;
	r = ox_zip_open_mem(&child, mem, len);
	if (r == QUIRE_OK && pc_embed_begin(ox->host, "ooxml") == 0) {
		ox->host->log(QUIRE_LOG_DEBUG, "ooxml: reading an embedded package");
		r = ox_read_package(&child);
		pc_embed_end(ox->host);
	}
	ox_zip_close(&child);   /* NULL when it did not open */
	/* The budget and the page numbers are the file's; a broken or
	 * unsupported embedded package costs only its own text, but a text
	 * or inflation cap reached inside it stops the whole file. */
	ox->inflated = child.inflated;
	ox->page = child.page;
	ox->wrote |= child.wrote;
	if (child.err == QUIRE_TOO_LARGE || child.err == QUIRE_ERROR)
		ox->err = child.err;
	else if (r != QUIRE_OK || child.err)
		ox->host->log(QUIRE_LOG_INFO, "ooxml: an embedded package was not read (%d)",
			      r != QUIRE_OK ? (int)r : (int)child.err);
}

static void one(struct ox *ox, const char *part)
{
	size_t len = 0;
	unsigned char *mem = ox_slurp(ox, part, &len);

	if (mem)
		one_mem(ox, mem, len);
	free(mem);
}

/* An OLE object: a package wrapped in OLE2 (its "Package" stream) is read
 * as one; anything else by the reader of its format (workbooks, documents,
 * presentations, MS Graph charts: ole.c). */
static void ole_object(struct ox *ox, const char *part)
{
	size_t len = 0, plen = 0;
	unsigned char *mem = ox_slurp(ox, part, &len), *pkg = NULL;
	int done = 0;

	if (mem && len >= 4 && memcmp(mem, "PK\3\4", 4) == 0) {
		one_mem(ox, mem, len);
		done = 1;
	} else if (mem && pc_ole_stream(mem, len, "Package", OX_MAX_PACKAGE, &pkg, &plen) == 0 &&
		   plen >= 4 && memcmp(pkg, "PK\3\4", 4) == 0) {
		one_mem(ox, pkg, plen);
		done = 1;
	}
	free(pkg);
	if (mem && !done && !ox->err)
		ox_ole_object(ox, mem, len);
	free(mem);
}

void ox_embed_part(struct ox *ox, const char *part)
{
	if (ox->depth >= OX_MAX_DEPTH || ox->embedded >= OX_MAX_EMBEDDED)
		return;
	ox->embedded++;
	one(ox, part);
}

void ox_embedded(struct ox *ox, const struct ox_rels *rels)
{
	for (size_t i = 0; i < rels->n && !ox->err; i++) {
		int pkg = strcmp(rels->v[i].type, "package") == 0;

		if (!pkg && strcmp(rels->v[i].type, "oleObject") != 0)
			continue;
		if (ox->depth >= OX_MAX_DEPTH || ox->embedded >= OX_MAX_EMBEDDED)
			return;
		ox->embedded++;
		if (pkg)
			one(ox, rels->v[i].target);
		else
			ole_object(ox, rels->v[i].target);
	}
}
