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

/* ---- crypt.c: RC4 and RC4 CryptoAPI keys, XOR obfuscation ---- */

/* Excel's password when a workbook is only protected against changes. */
#define LG_DEFAULT_PASSWORD "VelvetSweatshop"

struct lg_key {
	int capi;               /* RC4 CryptoAPI (SHA-1) rather than RC4 (MD5) */
	unsigned char h[20];    /* RC4: H1 (16 bytes); CryptoAPI: H0 */
	unsigned keylen;        /* CryptoAPI: the key's bytes, 5 to 16 */
};

/* p: an EncryptionInfo of n bytes (its version first). QUIRE_OK and k
 * when password (NULL: none) opens it; QUIRE_ENCRYPTED when it does not;
 * QUIRE_UNSUPPORTED for another scheme; QUIRE_CORRUPT when short. */
enum quire_result lg_key_open(const char *password, const unsigned char *p, size_t n,
			      struct lg_key *k);
/* r keyed for block b (RC4: 512 bytes of Word, 1024 of Excel; PowerPoint:
 * a persist object); 0 or -1. */
int lg_key_block(const struct lg_key *k, uint32_t b, struct lg_rc4 *r);
/* XOR obfuscation method 1: QUIRE_OK and the 16-byte array when password
 * gives key and verifier, else QUIRE_ENCRYPTED. */
enum quire_result lg_xor_open(const char *password, uint16_t key, uint16_t verifier,
			      unsigned char array[16]);
/* Undo the obfuscation of n bytes, the first at array index `index`. */
void lg_xor_data(const unsigned char array[16], unsigned char *p, size_t n, size_t index);

/* xlscrypt.c: an encrypted workbook stream (FILEPASS: XOR, RC4 or RC4
 * CryptoAPI) decrypted in place with the host's password, or Excel's
 * default one; *decrypted set. QUIRE_OK also when it is not encrypted. */
enum quire_result lg_xls_decrypt(struct lg *lg, unsigned char *s, size_t n, int *decrypted);
/* pptcrypt.c: is the presentation encrypted (EncryptedSummary, or the
 * Current User token)? */
int lg_ppt_encrypted(GsfInfile *dir, const struct lg_bytes *cu);
/* The persist objects of an encrypted PowerPoint Document stream s
 * decrypted in place (RC4 CryptoAPI, the CryptSession10Container's key)
 * with the host's password; cu is the Current User stream. */
enum quire_result lg_ppt_decrypt(struct lg *lg, unsigned char *s, size_t n,
				 const struct lg_bytes *cu);

/* ---- metro.c: the DrawingML copy of a shape (metroBlob) ---- */

typedef void (*lg_text_fn)(void *ctx, const char *s, size_t n);
/* props: an OfficeArt property table's data (n bytes, nprops properties);
 * when its metroBlob holds a package, each paragraph of its SmartArt data
 * and chart parts to fn. Quiet on anything unreadable. */
void lg_metro(struct lg *lg, const unsigned char *props, size_t n, unsigned nprops,
	      lg_text_fn fn, void *ctx);

/* ---- readers ---- */

/* wp42.c: does this head look like a WordPerfect 4.2 document? Never
 * when the host named another type than Word's (text/plain...). */
int lg_wp42_sniff(const unsigned char *s, size_t n, const char *mime);
/* A WordPerfect 4.2 document (s, n bytes) to the sink. */
enum quire_result lg_wp42(struct lg *lg, const unsigned char *s, size_t n);

/* Title, author, subject, keywords from \005SummaryInformation. */
void lg_summary(struct lg *lg, GsfInfile *dir);
enum quire_result lg_xls(struct lg *lg, GsfInfile *dir);
/* Excel 2.x-4.0 worksheets (and BIFF5/8 streams) with no OLE2 container:
 * does the file start with a BOF record; read it. */
int lg_xls_bare_sniff(const unsigned char *s, size_t n);
enum quire_result lg_xls_bare(struct lg *lg, const unsigned char *s, size_t n);
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
