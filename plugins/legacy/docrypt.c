/* docrypt.c: Word 97-2003 documents encrypted with RC4 or RC4 CryptoAPI
 * ([MS-DOC] 2.2.6.2-2.2.6.3, crypt.c), opened with the host's password: the
 * EncryptionInfo at the start of the table stream, a new RC4 key every 512
 * bytes; WordDocument past its FibBase and the table stream are decrypted
 * in place. XOR obfuscation stays encrypted. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "doc.h"
#include "docrypt.h"
#include "crypt.h"
#include "rc4.h"

#define FIB_BASE 0x44        /* the FibBase, never encrypted */
#define RC4_BLOCK 512

static int decrypt(const struct lg_key *k, unsigned char *p, size_t n)
{
	struct lg_rc4 r;

	for (size_t off = 0, b = 0; off < n; off += RC4_BLOCK, b++) {
		if (lg_key_block(k, (uint32_t)b, &r) < 0)
			return -1;
		lg_rc4_xor(&r, p + off, n - off < RC4_BLOCK ? n - off : RC4_BLOCK);
	}
	return 0;
}

enum quire_result doc_decrypt(struct doc *d, unsigned char *w, size_t wn, unsigned char *t,
			      size_t tn)
{
	const struct quire_host *h = d->lg->host;
	unsigned char base[FIB_BASE];
	struct lg_key k;
	enum quire_result r;

	if (pc_le16(w + 0x0a) & 0x8000) {
		h->log(QUIRE_LOG_INFO, "legacy: XOR-obfuscated Word document (not read)");
		return QUIRE_ENCRYPTED;
	}
	r = lg_key_open(lg_password(d->lg), t, tn, &k);
	if (r == QUIRE_UNSUPPORTED || r == QUIRE_CORRUPT) {
		h->log(QUIRE_LOG_INFO, "legacy: Word encryption other than RC4 and RC4 CryptoAPI (not read)");
		return QUIRE_ENCRYPTED;
	}
	if (r != QUIRE_OK)
		return r;
	memcpy(base, w, FIB_BASE);
	if (decrypt(&k, w, wn) < 0 || decrypt(&k, t, tn) < 0)
		return QUIRE_ERROR;
	memcpy(w, base, FIB_BASE);
	w[0x0b] &= (unsigned char)~0x01;   /* fEncrypted (0x0100) cleared */
	return QUIRE_OK;
}
