/* legacy.h: shared parts of the legacy Office plugin (DOC, PPT, XLS in
 * OLE2 compound files read through libgsf): bounds-checked little-endian
 * readers, a UTF-8 text builder fed with UTF-16 units or 8-bit code pages,
 * the sink helpers and the readers of each format. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_LEGACY_H
#define QUIRE_LEGACY_H

#include <stddef.h>
#include <stdint.h>

#include <gsf/gsf-infile.h>

#include "quire/plugin.h"

/* The longest block handed to the sink at once; longer runs of text are
 * cut (on a UTF-8 boundary) into several paragraphs. */
#define LG_BLOCK_MAX (1u << 20)
/* Cells of one sheet row, columns in a table row, slides' text atoms. */
#define LG_MAX_COLS 256

/* ---- bytes ---- */

static inline unsigned lg_u16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static inline uint32_t lg_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Does [off, off + len) lie inside a buffer of n bytes? */
static inline int lg_in(size_t n, size_t off, size_t len)
{
	return off <= n && len <= n - off;
}

/* A whole stream read into memory (owned, free with lg_bytes_free). */
struct lg_bytes {
	unsigned char *p;
	size_t n;
};

/* ---- text ---- */

/* A growable UTF-8 buffer with a cap; `hi` holds a pending high surrogate. */
struct lg_buf {
	char *p;
	size_t n, cap, max;
	unsigned hi;
	int full;   /* something was dropped at the cap */
};

void lg_buf_init(struct lg_buf *b, size_t max);
void lg_buf_free(struct lg_buf *b);
void lg_buf_reset(struct lg_buf *b);
int lg_buf_add(struct lg_buf *b, const char *s, size_t n);
/* One Unicode code point (invalid ones become U+FFFD). */
int lg_buf_cp(struct lg_buf *b, uint32_t cp);
/* One UTF-16 code unit: surrogate pairs are joined, lone halves replaced. */
int lg_buf_u16(struct lg_buf *b, unsigned u);
/* One byte of Windows-1252. */
int lg_buf_1252(struct lg_buf *b, unsigned char c);
/* Text with runs of white space collapsed and the ends trimmed, in place. */
void lg_buf_squeeze(struct lg_buf *b);

/* Windows-1252 to Unicode. */
uint32_t lg_cp1252(unsigned char c);

/* ---- output ---- */

struct lg {
	const struct quire_host *host;
	GsfInfile *ole;
	size_t file_size;
	enum quire_result err;  /* first failure; QUIRE_OK while going on */
	unsigned page;
	int wrote;
	int depth;              /* nesting of embedded objects */
	unsigned objects;       /* embedded object storages read */
};

/* Each returns non-zero (and sets lg->err) when the reader must stop. */
int lg_page(struct lg *lg);
/* A document (not an embedded one) of n pages of kind what ("sheets")
 * over limits->max_pages: QUIRE_TOO_LARGE before the first is read. */
int lg_over_cap(struct lg *lg, size_t n, const char *what);
int lg_heading(struct lg *lg, unsigned level, const char *s, size_t n);
int lg_para(struct lg *lg, const char *s, size_t n);
int lg_item(struct lg *lg, unsigned level, const char *s, size_t n);
int lg_row(struct lg *lg, const char *const *cells, const size_t *lens, size_t n, int header);
void lg_meta(struct lg *lg, const char *key, const char *s, size_t n);
/* Set the error if none is set yet; returns 1. */
int lg_fail(struct lg *lg, enum quire_result r);

/* Read the stream `name` (ASCII case ignored) of storage `dir` (the
 * file's root when NULL):
 * 0 and *out filled, 1 when there is no such stream, -1 (lg->err set,
 * QUIRE_CORRUPT) when it cannot be read. The size is capped by the file's. */
int lg_stream(struct lg *lg, GsfInfile *dir, const char *name, struct lg_bytes *out);
void lg_bytes_free(struct lg_bytes *b);
/* Is there a child called `name` in `dir` (ASCII case ignored)? */
int lg_has(GsfInfile *dir, const char *name);
/* The child called `name` (ASCII case ignored, as [MS-CFB] compares
 * names), or NULL; new, the caller unrefs it. */
GsfInput *lg_child(GsfInfile *dir, const char *name);

/* ---- readers ---- */

/* Title, author, subject, keywords from \005SummaryInformation. */
void lg_summary(struct lg *lg, GsfInfile *dir);
enum quire_result lg_xls(struct lg *lg, GsfInfile *dir);
enum quire_result lg_ppt(struct lg *lg, GsfInfile *dir);
enum quire_result lg_doc(struct lg *lg, GsfInfile *dir);
/* Text of a whole OLE2 file in memory (an embedded object): a workbook or
 * chart's strings as paragraphs. Returns quietly on anything unreadable. */
void lg_embedded(struct lg *lg, const unsigned char *p, size_t n);
/* The embedded objects stored as storages of dir (Word's ObjectPool,
 * Excel's MBD... storages): each one's text after the document's, depth
 * and count capped; their failures do not fail the document. */
void lg_objects(struct lg *lg, GsfInfile *dir);

/* ---- number formats (xlsfmt.c) ---- */

/* Format `v` with the Excel number format `fmt` (NULL: General) into out,
 * as Excel shows it (en-US). date1904 picks the 1904 date system. */
void lg_numfmt(double v, const char *fmt, int date1904, struct lg_buf *out);
/* The built-in format of index id (NULL when unknown or General). */
const char *lg_builtin_fmt(unsigned id);

#endif
