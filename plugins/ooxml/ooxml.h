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

/* Check the archive on fd before libzip reads it (EOCD, entry count against
 * max_zip_entries, encrypted flags, compressed sizes against the file size,
 * overlapping entries), then open it with ZIP_CHECKCONS. fd stays the
 * caller's. Returns QUIRE_OK and sets ox->zip, or the reason it refuses. */
enum quire_result ox_zip_open(struct ox *ox, int fd);
/* The same checks, then libzip, on a package in memory (borrowed: it must
 * outlive the archive). */
enum quire_result ox_zip_open_mem(struct ox *ox, const unsigned char *mem, size_t len);
void ox_zip_close(struct ox *ox);

/* 1 when the file on fd is an OLE2 compound file (the wrapper of an
 * encrypted OOXML document); 0 otherwise. */
int ox_is_cfb(int fd);

/* flat.c: 1 when head begins a Flat OPC document (pkg:package), 2 a flat
 * ODF one (office:document), 0 otherwise. */
int ox_is_flat(const unsigned char *head, size_t len);
/* The package a flat document on fd stands for, built in memory: on
 * QUIRE_OK *pkg holds it (new, caller frees with free()) and ox->zip is
 * open on it; QUIRE_UNSUPPORTED when the file is not a flat document. */
enum quire_result ox_flat_open(struct ox *ox, int fd, unsigned char **pkg);

/* A read-only entry whose inflated bytes are counted against the caps. */
struct ox_entry {
	struct ox *ox;
	zip_file_t *zf;
	unsigned long long n, cap, declared;
};

/* Open the entry called name (a lookup key only, never a path). Returns 0,
 * or -1 when it is missing (ox->err untouched) or unreadable (ox->err set). */
int ox_entry_open(struct ox *ox, const char *name, struct ox_entry *e);
/* Read up to len bytes; 0 at the end, -1 on error or a cap (ox->err set). */
long ox_entry_read(struct ox_entry *e, void *buf, size_t len);
void ox_entry_close(struct ox_entry *e);
int ox_has_entry(struct ox *ox, const char *name);
/* 1 when part names a and b name one part: a leading '/' aside, compared
 * without case and with their %XX escapes decoded (ECMA-376 Part 2). */
int ox_part_eq(const char *a, const char *b);

/* --- xml.c: the streaming reader ---------------------------------------- */

/* A reader over entry name: no network, no entity substitution, no DTD
 * loading, never XML_PARSE_HUGE. NULL when the entry is missing or the
 * reader cannot be made (ox->err set for the latter). Free with
 * ox_xml_close. */
xmlTextReaderPtr ox_xml_open(struct ox *ox, const char *name, struct ox_entry *e);
void ox_xml_close(xmlTextReaderPtr r, struct ox_entry *e);
/* Advance (skip = the current element's subtree too). 1 on a node, 0 at
 * the end or on error; a DOCTYPE is refused as QUIRE_CORRUPT. */
int ox_xml_next(struct ox *ox, xmlTextReaderPtr r, int skip);
/* The value of the attribute with this local name on the current element:
 * new, caller frees with xmlFree; NULL when absent. */
char *ox_attr(xmlTextReaderPtr r, const char *local);
/* The r:id attribute of the current element, in the transitional or the
 * Strict (ISO/IEC 29500) relationships namespace: new, free with xmlFree. */
char *ox_attr_rid(xmlTextReaderPtr r);
/* 1 when the current node is an element start with this local name. */
int ox_is(xmlTextReaderPtr r, int type, const char *local);

/* --- xml.c: text in the plugins' capped buffer (plugins/common/pbuf.h) -- */
/* Append to b (zeroed or pbuf_init'ed; pbuf_free frees it); at
 * ox->max_text it stops growing and ox->err becomes QUIRE_TOO_LARGE, when
 * memory runs out QUIRE_ERROR. Returns 0 or -1. */
int ox_buf_add(struct ox *ox, struct pbuf *b, const char *s, size_t n);
/* Trim surrounding whitespace in place; 1 if anything is left. */
int ox_buf_trim(struct pbuf *b);

/* --- rels.c: relationships ---------------------------------------------- */
struct ox_rel {
	char *id, *type, *target;   /* type: the last segment of the URI */
};
struct ox_rels {
	struct ox_rel *v;
	size_t n;
};
/* Load the relationships of part (e.g. "word/document.xml"); external ones
 * (TargetMode="External") are dropped, targets are resolved to entry names.
 * A missing rels part gives an empty set. */
void ox_rels_load(struct ox *ox, const char *part, struct ox_rels *rels);
void ox_rels_free(struct ox_rels *rels);
const struct ox_rel *ox_rels_id(const struct ox_rels *rels, const char *id);
const struct ox_rel *ox_rels_type(const struct ox_rels *rels, const char *type, size_t from);
/* How many relationships of type (the last part of the type URI) there are:
 * the slides or worksheets a package holds, known before reading any. */
size_t ox_rels_count(const struct ox_rels *rels, const char *type);
/* 1 (and ox->err QUIRE_TOO_LARGE, logged) when the package has more parts
 * of type than limits->max_pages: the cap holds before any is read. */
int ox_over_page_cap(struct ox *ox, const struct ox_rels *rels, const char *type);

/* --- sink helpers (ooxml.c) -------------------------------------------- */
int ox_page(struct ox *ox);
void ox_emit(struct ox *ox, int kind, unsigned level, const char *s, size_t n);
void ox_row(struct ox *ox, struct pbuf *cells, size_t n, int header);
enum { OX_PARA, OX_HEADING, OX_LIST };

/* --- numbering.c: list labels ------------------------------------------ */
struct ox_numbering;
/* Read numbering.xml (part may be NULL: no numberings, styles only). New,
 * free with ox_num_free; NULL only when out of memory (ox->err set). */
struct ox_numbering *ox_num_load(struct ox *ox, const char *part);
/* Paragraph style style carries numPr numId num (-1: none) at ilvl (-1: 0). */
void ox_num_style(struct ox_numbering *nb, const char *style, int num, int ilvl);
/* Count one paragraph of style (may be NULL) with numId num and ilvl (-1
 * when the paragraph does not say: the style's) and write its label,
 * "1.2.", "a)", "IV." or a bullet, into out (size n). Returns its length,
 * 0 when the paragraph is not numbered. Counters advance in document order. */
size_t ox_num_label(struct ox_numbering *nb, const char *style, int num, int ilvl, char *out,
		    size_t n);
/* Paragraph style style is based on base (numPr is inherited). */
void ox_num_based(struct ox_numbering *nb, const char *style, const char *base);
void ox_num_free(struct ox_numbering *nb);
/* v in a WordprocessingML number format ("decimal", "lowerLetter",
 * "upperRoman", "ordinal"...) into out (size n). */
void ox_num_format(int v, const char *fmt, char *out, size_t n);

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
void ox_walk_part(struct ox *ox, const char *part, const struct ox_walk_opts *o);

/* --- objects.c: DrawingML objects and comments, shared ------------------ */
/* The text of a chart part (titles, series names, categories, axis titles). */
void ox_chart_text(struct ox *ox, const char *part);
/* The charts and SmartArt data that rels point at (o: for SmartArt). */
void ox_objects(struct ox *ox, const struct ox_rels *rels, const struct ox_walk_opts *o);
/* A drawing part (spreadsheet drawings): its shapes and text boxes, then
 * the charts and SmartArt it points at. */
void ox_drawing_part(struct ox *ox, const char *part);
/* A comments part of any of the three formats: one paragraph per comment
 * and per reply. */
void ox_comments_part(struct ox *ox, const char *part);

/* --- formats ------------------------------------------------------------- */
void ox_docx(struct ox *ox, const char *main_part);
void ox_pptx(struct ox *ox, const char *main_part);
void ox_xlsx(struct ox *ox, const char *main_part);
/* xlsb.c: the Excel binary workbook (BIFF12 parts in the same package). */
void ox_xlsb(struct ox *ox, const char *main_part);
/* odt.c: OpenDocument text; ox_is_odt says whether the package is one. */
int ox_is_odt(struct ox *ox);
void ox_odt(struct ox *ox);
/* odtlist.c: list labels of OpenDocument text. */
struct odt_lists;
struct odt_lists *odt_lists_new(struct ox *ox);   /* free with odt_lists_free */
void odt_lists_free(struct odt_lists *ls);
/* Read the text:list-style definitions of part (later ones win by name). */
void odt_lists_load(struct ox *ox, struct odt_lists *ls, const char *part);
/* A text:list opens (style: its style name or NULL to inherit; cont: it
 * continues the previous list's numbering) or closes. */
void odt_list_open(struct odt_lists *ls, const char *style, int cont);
void odt_list_close(struct odt_lists *ls);
/* Count one list item (start: its start-value or 0) and write its label
 * into out (size n); returns the length, 0 for an unnumbered item. */
size_t odt_list_item(struct odt_lists *ls, int start, char *out, size_t n);
/* Count one heading at outline level (1-based) and write its number from
 * text:outline-style into out; 0 when headings are not numbered. */
size_t odt_outline(struct odt_lists *ls, int level, char *out, size_t n);

/* embed.c: packages embedded in a part (DOCX, XLSX, PPTX or ODT inside an
 * Office file: relationship type "package", or "oleObject" with an OLE2
 * Package stream), read one level deep; other OLE objects give the labels
 * of their workbook (ox_ole_text). */
void ox_embedded(struct ox *ox, const struct ox_rels *rels);

/* The package in part, read as embedded (one level deep, counted with
 * the others). */
void ox_embed_part(struct ox *ox, const char *part);
/* The bytes of entry part, counted against the caps: new, free with
 * free(); NULL when missing, past 64 MiB (ox->err untouched: the host
 * document goes on) or unreadable. *len is its length. */
unsigned char *ox_slurp(struct ox *ox, const char *part, size_t *len);

/* altchunk.c: w:altChunk, content Word imports into the body when it opens
 * the file (HTML, plain text, a WordprocessingML package): its text where
 * the chunk stands. rid: the element's r:id in rels (the part's). */
void ox_alt_chunk(struct ox *ox, const struct ox_rels *rels, const char *rid);

/* ooxml.c: the content type of part from [Content_Types].xml (its
 * Override, else its extension's Default): new, free with xmlFree; NULL
 * when none is given. */
char *ox_content_type(struct ox *ox, const char *part);

/* ole.c: the labels of an embedded chart or workbook (OLE2 part). */
void ox_ole_text(struct ox *ox, const char *part);

#endif
