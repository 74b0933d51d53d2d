/* docrypt.c: Word 97-2003 documents encrypted with RC4 ([MS-OFFCRYPTO]
 * 2.3.6.1-2.3.6.2, "Office Binary Document RC4 Encryption"), opened with
 * the host's password: the key from MD5 of the password and the salt, a
 * new RC4 key every 512 bytes; WordDocument past its FibBase and the
 * table stream are decrypted in place. CryptoAPI RC4 and XOR obfuscation
 * stay encrypted. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <openssl/evp.h>

#include "doc.h"
#include "../common/utf8.h"

#define FIB_BASE 0x44        /* the FibBase, never encrypted */
#define RC4_BLOCK 512
#define PASSWORD_MAX 15      /* Word 97's limit, in UTF-16 units */

struct rc4 {
	unsigned char s[256];
	unsigned i, j;
};

static void rc4_init(struct rc4 *r, const unsigned char *key, size_t n)
{
	unsigned j = 0;

	for (unsigned i = 0; i < 256; i++)
		r->s[i] = (unsigned char)i;
	for (unsigned i = 0; i < 256; i++) {
		unsigned char t = r->s[i];

		j = (j + t + key[i % n]) & 0xff;
		r->s[i] = r->s[j];
		r->s[j] = t;
	}
	r->i = r->j = 0;
}

static void rc4_xor(struct rc4 *r, unsigned char *p, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		unsigned char t;

		r->i = (r->i + 1) & 0xff;
		r->j = (r->j + r->s[r->i]) & 0xff;
		t = r->s[r->i];
		r->s[r->i] = r->s[r->j];
		r->s[r->j] = t;
		p[k] ^= r->s[(r->s[r->i] + r->s[r->j]) & 0xff];
	}
}

static int md5(const void *p, size_t n, unsigned char out[16])
{
	unsigned len = 0;

	return EVP_Digest(p, n, out, &len, EVP_md5(), NULL) == 1 && len == 16 ? 0 : -1;
}

/* 2.3.6.2: H1 = MD5(16 x (MD5(password)[0..5) || salt)), first 5 bytes. */
static int base_key(const char *password, const unsigned char salt[16], unsigned char h1[16])
{
	unsigned char pwd[2 * PASSWORD_MAX], h0[16], buf[16 * 21];
	size_t n = 0, left = strlen(password);
	const unsigned char *p = (const unsigned char *)password;

	while (left && n < sizeof pwd) {
		uint32_t cp;
		size_t k = pc_utf8_get(p, left, &cp);

		if (k == 0 || cp > 0xffff)
			cp = 0xfffd, k = k ? k : 1;
		pwd[n++] = (unsigned char)cp;
		pwd[n++] = (unsigned char)(cp >> 8);
		p += k;
		left -= k;
	}
	if (md5(pwd, n, h0) < 0)
		return -1;
	for (int i = 0; i < 16; i++) {
		memcpy(buf + 21 * i, h0, 5);
		memcpy(buf + 21 * i + 5, salt, 16);
	}
	return md5(buf, sizeof buf, h1);
}

/* The RC4 key of block b: MD5(H1[0..5) || le32(b)). */
static int block_key(const unsigned char h1[16], uint32_t b, struct rc4 *r)
{
	unsigned char in[9], key[16];

	memcpy(in, h1, 5);
	in[5] = (unsigned char)b;
	in[6] = (unsigned char)(b >> 8);
	in[7] = (unsigned char)(b >> 16);
	in[8] = (unsigned char)(b >> 24);
	if (md5(in, sizeof in, key) < 0)
		return -1;
	rc4_init(r, key, sizeof key);
	return 0;
}

static int decrypt(const unsigned char h1[16], unsigned char *p, size_t n)
{
	struct rc4 r;

	for (size_t off = 0, b = 0; off < n; off += RC4_BLOCK, b++) {
		if (block_key(h1, (uint32_t)b, &r) < 0)
			return -1;
		rc4_xor(&r, p + off, n - off < RC4_BLOCK ? n - off : RC4_BLOCK);
	}
	return 0;
}

/* 0 when the password opens the RC4 header hdr (version 1.1, 52 bytes). */
static enum quire_result check(const unsigned char *hdr, const unsigned char h1[16])
{
	unsigned char v[32], h[16];
	struct rc4 r;

	memcpy(v, hdr + 20, 32);   /* EncryptedVerifier, EncryptedVerifierHash */
	if (block_key(h1, 0, &r) < 0)
		return QUIRE_ERROR;
	rc4_xor(&r, v, 32);
	if (md5(v, 16, h) < 0)
		return QUIRE_ERROR;
	return memcmp(h, v + 16, 16) ? QUIRE_ENCRYPTED : QUIRE_OK;
}

enum quire_result doc_decrypt(struct doc *d, unsigned char *w, size_t wn, unsigned char *t,
			      size_t tn)
{
	const struct quire_host *h = d->lg->host;
	const char *pw = QUIRE_HOST_HAS(h, password) ? h->password : NULL;
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
	if (!pw)
		return QUIRE_ENCRYPTED;
	if (base_key(pw, t + 4, h1) < 0)
		return QUIRE_ERROR;
	if ((r = check(t, h1)) != QUIRE_OK)
		return r;
	memcpy(base, w, FIB_BASE);
	if (decrypt(h1, w, wn) < 0 || decrypt(h1, t, tn) < 0)
		return QUIRE_ERROR;
	memcpy(w, base, FIB_BASE);
	w[0x0b] &= (unsigned char)~0x01;   /* fEncrypted (0x0100) cleared */
	return QUIRE_OK;
}
