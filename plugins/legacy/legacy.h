/* legacy.h: shared parts of the legacy Office plugin (DOC, PPT, XLS in
 * OLE2 compound files read through libgsf): the sink helpers and the
 * readers of each format (bytes, text buffers and number formats are the
 * plugins' common ones, plugins/common/). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_LEGACY_H
#define QUIRE_LEGACY_H

#include <stddef.h>
#include <stdint.h>

#include <gsf/gsf-infile.h>

#include "quire/plugin.h"

#include "../common/bytes.h"
#include "../common/numfmt.h"
#include "../common/ole.h"
#include "../common/pbuf.h"

/* The longest block handed to the sink at once; longer runs of text are
 * cut (on a UTF-8 boundary) into several paragraphs. */
#define LG_BLOCK_MAX (1u << 20)
/* Cells of one sheet row, columns in a table row, slides' text atoms. */
#define LG_MAX_COLS 256

/* A whole stream read into memory (owned, free with lg_bytes_free). */
struct lg_bytes {
	unsigned char *p;
	size_t n;
};

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

/* ---- rc4.c: Office binary RC4 encryption ([MS-OFFCRYPTO] 2.3.6) ---- */

struct lg_rc4 {
	unsigned char s[256];
	unsigned i, j;
};

/* The host's password, or NULL. */
const char *lg_password(const struct lg *lg);
void lg_rc4_init(struct lg_rc4 *r, const unsigned char *key, size_t n);
void lg_rc4_xor(struct lg_rc4 *r, unsigned char *p, size_t n);
/* The base key H1 of password and salt; 0 or -1. */
int lg_rc4_base(const char *password, const unsigned char salt[16], unsigned char h1[16]);
/* r keyed for block b; 0 or -1. */
int lg_rc4_block(const unsigned char h1[16], uint32_t b, struct lg_rc4 *r);
/* hdr: salt, encrypted verifier and its hash (48 bytes). QUIRE_OK and h1
 * when password (NULL: none) opens it; QUIRE_ENCRYPTED when it does not. */
enum quire_result lg_rc4_open(const char *password, const unsigned char *hdr, unsigned char h1[16]);

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

#endif
