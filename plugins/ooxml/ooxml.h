/* ooxml.h: what the OOXML plugin's files share: the guarded archive, the
 * streaming XML reader over one entry, relationships, text buffers. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_OOXML_H
#define QUIRE_OOXML_H

#include <stddef.h>
#include <zip.h>
#include <libxml/xmlreader.h>

#include <quire/plugin.h>

#include "../common/pbuf.h"

/* One document being read. err is sticky: the first failure wins and every
 * loop stops once it is set. */
struct ox {
	const struct quire_host *host;
	zip_t *zip;
	unsigned long long inflated;   /* bytes inflated so far, all entries */
	unsigned long long max_inflated;
	unsigned max_ratio;
	size_t max_text;               /* cap of one growable buffer */
	enum quire_result err;
	int wrote;                     /* something reached the sink */
	unsigned page;                 /* last page number given to the sink */
	unsigned depth;                /* 0: the file; 1: a package embedded in it */
	unsigned embedded;             /* embedded packages read so far */
};

/* ooxml.c: read the open package (ox->zip): metadata (depth 0 only), then
 * the document its officeDocument relationship names, or ODT. */
enum quire_result ox_read_package(struct ox *ox);

/* --- zipguard.c: the archive with its caps ---------------------------- */

/* A read-only entry whose inflated bytes are counted against the caps. */
struct ox_entry {
	struct ox *ox;
	zip_file_t *zf;
	unsigned long long n, cap, declared;
};

/* --- xml.c: the streaming reader ---------------------------------------- */

/* --- xml.c: text in the plugins' capped buffer (plugins/common/pbuf.h) -- */

/* --- rels.c: relationships ---------------------------------------------- */
struct ox_rel {
	char *id, *type, *target;   /* type: the last segment of the URI */
};
struct ox_rels {
	struct ox_rel *v;
	size_t n;
};

/* --- sink helpers (ooxml.c) -------------------------------------------- */
int ox_page(struct ox *ox);
void ox_emit(struct ox *ox, int kind, unsigned level, const char *s, size_t n);
void ox_row(struct ox *ox, struct pbuf *cells, size_t n, int header);
enum { OX_PARA, OX_HEADING, OX_LIST };

/* --- numbering.c: list labels ------------------------------------------ */
struct ox_numbering;

/* --- the walker of WordprocessingML and DrawingML text (walk.c) ---------- */
struct ox_walk_opts {
	int pptx;          /* p:sp placeholders: titles become headings */
	int skip_master_prompts;  /* masters: only footers and free shapes */
	const char *const *styles_id;  /* docx heading styles: id -> level */
	const unsigned char *styles_level;
	size_t nstyles;
	struct ox_numbering *num;  /* docx list labels; may be NULL */
	const struct ox_rels *rels;  /* the part's relationships (w:altChunk); may be NULL */
};

/* --- objects.c: DrawingML objects and comments, shared ------------------ */

/* odtlist.c: list labels of OpenDocument text. */
struct odt_lists;

/* ooxml.c: the content type of part from [Content_Types].xml (its
 * Override, else its extension's Default): new, free with xmlFree; NULL
 * when none is given. */
char *ox_content_type(struct ox *ox, const char *part);

#endif
