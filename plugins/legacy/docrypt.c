/* docrypt.c: Word 97-2003 documents encrypted with RC4 ([MS-OFFCRYPTO]
 * 2.3.6.1-2.3.6.2, rc4.c), opened with the host's password: a new RC4 key
 * every 512 bytes; WordDocument past its FibBase and the table stream are
 * decrypted in place. CryptoAPI RC4 and XOR obfuscation stay encrypted. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "doc.h"

#define FIB_BASE 0x44        /* the FibBase, never encrypted */
#define RC4_BLOCK 512

static int decrypt(const unsigned char h1[16], unsigned char *p, size_t n)
{
	struct lg_rc4 r;

	for (size_t off = 0, b = 0; off < n; off += RC4_BLOCK, b++) {
		if (lg_rc4_block(h1, (uint32_t)b, &r) < 0)
			return -1;
		lg_rc4_xor(&r, p + off, n - off < RC4_BLOCK ? n - off : RC4_BLOCK);
	}
	return 0;
}

enum quire_result doc_decrypt(struct doc *d, unsigned char *w, size_t wn, unsigned char *t,
			      size_t tn)
{
	const struct quire_host *h = d->lg->host;
	unsigned char h1[16], base[FIB_BASE];
	enum quire_result r;

	if (pc_le16(w + 0x0a) & 0x8000) {
		h->log(QUIRE_LOG_INFO, "legacy: XOR-obfuscated Word document (not read)");
		return QUIRE_ENCRYPTED;
	}
	if (tn < 52 || pc_le16(t) != 1 || pc_le16(t + 2) != 1) {
		h->log(QUIRE_LOG_INFO, "legacy: Word encryption other than RC4 (not read)");
		return QUIRE_ENCRYPTED;
	}
	if ((r = lg_rc4_open(lg_password(d->lg), t + 4, h1)) != QUIRE_OK)
		return r;
	memcpy(base, w, FIB_BASE);
	if (decrypt(h1, w, wn) < 0 || decrypt(h1, t, tn) < 0)
		return QUIRE_ERROR;
	memcpy(w, base, FIB_BASE);
	w[0x0b] &= (unsigned char)~0x01;   /* fEncrypted (0x0100) cleared */
	return QUIRE_OK;
}
