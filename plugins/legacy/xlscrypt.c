/* xlscrypt.c: encrypted Excel 97-2003 workbooks ([MS-XLS] 2.2.10,
 * 2.4.117 FilePass): XOR obfuscation, RC4 and RC4 CryptoAPI undone in the
 * workbook stream, record by record, with the host's password or the one
 * Excel uses for workbooks that are only protected against changes. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "legacy.h"
#include "xlscrypt.h"
#include "rc4.h"
#include "crypt.h"
#include "../common/biff.h"

#define XLS_BLOCK 1024   /* a new RC4 key every 1024 bytes of the stream */

/* Records left in the clear ([MS-XLS] 2.2.10): BOF, FILEPASS, UsrExcl,
 * FileLock, InterfaceHdr, RRDInfo, RRDHead; and a BoundSheet8's first 4
 * bytes (its stream position). */
static int clear_record(unsigned type)
{
	static const unsigned clear[] = { 0x0809, 0x002f, 0x0194, 0x0195, 0x00e1, 0x0196, 0x0138 };

	for (size_t i = 0; i < sizeof clear / sizeof clear[0]; i++)
		if (type == clear[i])
			return 1;
	return 0;
}

/* How the records are hidden: an RC4 key, or an XOR array. */
struct cipher {
	int xor;
	struct lg_key key;
	unsigned char array[16];
	struct lg_rc4 r;         /* the keystream: keyed for block, at stream position at */
	size_t block, at;
	int keyed;
};

/* XOR [from, to) of the stream with the keystream at those positions,
 * record headers included in the count. */
static int rc4_span(struct cipher *c, unsigned char *s, size_t from, size_t to)
{
	unsigned char skip[XLS_BLOCK];

	for (size_t pos = from; pos < to;) {
		size_t in = pos % XLS_BLOCK, n = to - pos < XLS_BLOCK - in ? to - pos : XLS_BLOCK - in;

		if (!c->keyed || c->block != pos / XLS_BLOCK || c->at > pos) {
			if (lg_key_block(&c->key, (uint32_t)(pos / XLS_BLOCK), &c->r) < 0)
				return -1;
			c->keyed = 1;
			c->block = pos / XLS_BLOCK;
			c->at = pos - in;
		}
		memset(skip, 0, sizeof skip);
		lg_rc4_xor(&c->r, skip, pos - c->at);   /* the keystream up to pos */
		lg_rc4_xor(&c->r, s + pos, n);
		pos += n;
		c->at = pos;
	}
	return 0;
}

/* The FILEPASS (p, n bytes) opened with password: c keyed. */
static enum quire_result open_pass(const char *password, const unsigned char *p, size_t n,
				   struct cipher *c)
{
	if (n < 2)
		return QUIRE_CORRUPT;
	if (pc_le16(p) == 0) {   /* XOR obfuscation: key, verificationBytes */
		if (n < 6)
			return QUIRE_CORRUPT;
		c->xor = 1;
		return lg_xor_open(password, pc_le16(p + 2), pc_le16(p + 4), c->array);
	}
	if (pc_le16(p) != 1)
		return QUIRE_UNSUPPORTED;
	return lg_key_open(password, p + 2, n - 2, &c->key);
}

/* The host's password, then Excel's default one. */
static enum quire_result open_book(struct lg *lg, const struct biff_rec *fp, struct cipher *c)
{
	enum quire_result r = QUIRE_ENCRYPTED;

	if (lg_password(lg))
		r = open_pass(lg_password(lg), fp->p, fp->len, c);
	if (r == QUIRE_ENCRYPTED || !lg_password(lg)) {
		enum quire_result d = open_pass(LG_DEFAULT_PASSWORD, fp->p, fp->len, c);

		if (d == QUIRE_OK || !lg_password(lg))
			r = d;
	}
	if (r == QUIRE_UNSUPPORTED) {
		lg->host->log(QUIRE_LOG_INFO, "legacy: workbook encryption of an unknown kind (not read)");
		r = QUIRE_ENCRYPTED;
	}
	return r;
}

enum quire_result lg_xls_decrypt(struct lg *lg, unsigned char *s, size_t n, int *decrypted)
{
	struct biff_rec r;
	struct cipher c;
	size_t off = 0, keyed_to = 0;
	enum quire_result res;

	memset(&c, 0, sizeof c);
	*decrypted = 0;
	while (biff_at(s, n, off, &r) == 0 && r.type != BIFF_FILEPASS && r.type != BIFF_EOF)
		off = r.next;
	if (biff_at(s, n, off, &r) != 0 || r.type != BIFF_FILEPASS)
		return QUIRE_OK;
	if ((res = open_book(lg, &r, &c)) != QUIRE_OK)
		return res;
	for (off = r.next; biff_at(s, n, off, &r) == 0; off = r.next) {
		size_t from = r.off + 4 + (r.type == BIFF_BOUNDSHEET ? 4 : 0);

		if (clear_record(r.type) || from >= r.next)
			continue;
		if (from < keyed_to)
			return QUIRE_CORRUPT;
		if (c.xor)   /* the array index: stream position plus the data's size */
			lg_xor_data(c.array, s + from, r.next - from, from + r.len);
		else if (rc4_span(&c, s, from, r.next) < 0)
			return QUIRE_ERROR;
		keyed_to = r.next;
	}
	*decrypted = 1;
	return QUIRE_OK;
}
