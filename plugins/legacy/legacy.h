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
	unsigned long long inflated;  /* bytes of shapes' DrawingML parts read (metro.c) */
};

/* ---- rc4.c: Office binary RC4 encryption ([MS-OFFCRYPTO] 2.3.6) ---- */

struct lg_rc4 {
	unsigned char s[256];
	unsigned i, j;
};

/* ---- crypt.c: RC4 and RC4 CryptoAPI keys, XOR obfuscation ---- */

/* Excel's password when a workbook is only protected against changes. */
#define LG_DEFAULT_PASSWORD "VelvetSweatshop"

struct lg_key {
	int capi;               /* RC4 CryptoAPI (SHA-1) rather than RC4 (MD5) */
	unsigned char h[20];    /* RC4: H1 (16 bytes); CryptoAPI: H0 */
	unsigned keylen;        /* CryptoAPI: the key's bytes, 5 to 16 */
};

/* ---- metro.c: the DrawingML copy of a shape (metroBlob) ---- */

typedef void (*lg_text_fn)(void *ctx, const char *s, size_t n);

/* ---- readers ---- */

#endif
