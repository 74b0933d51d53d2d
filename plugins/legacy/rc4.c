/* rc4.c: Office binary RC4 encryption ([MS-OFFCRYPTO] 2.3.6), shared by
 * the Word and Excel readers: the key from MD5 of the password (UTF-16,
 * at most 15 characters) and the salt, a new RC4 key per block, and the
 * check of the password against the header's verifier. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <openssl/evp.h>

#include "legacy.h"
#include "rc4.h"
#include "../common/utf8.h"

#define PASSWORD_MAX 15      /* Word's and Excel's limit, in UTF-16 units */

const char *lg_password(const struct lg *lg)
{
	return QUIRE_HOST_HAS(lg->host, password) ? lg->host->password : NULL;
}

void lg_rc4_init(struct lg_rc4 *r, const unsigned char *key, size_t n)
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

void lg_rc4_xor(struct lg_rc4 *r, unsigned char *p, size_t n)
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

int lg_rc4_base(const char *password, const unsigned char salt[16], unsigned char h1[16])
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

int lg_rc4_block(const unsigned char h1[16], uint32_t b, struct lg_rc4 *r)
{
	unsigned char in[9], key[16];

	memcpy(in, h1, 5);
	in[5] = (unsigned char)b;
	in[6] = (unsigned char)(b >> 8);
	in[7] = (unsigned char)(b >> 16);
	in[8] = (unsigned char)(b >> 24);
	if (md5(in, sizeof in, key) < 0)
		return -1;
	lg_rc4_init(r, key, sizeof key);
	return 0;
}

enum quire_result lg_rc4_open(const char *password, const unsigned char *hdr, unsigned char h1[16])
{
	unsigned char v[32], h[16];
	struct lg_rc4 r;

	if (!password)
		return QUIRE_ENCRYPTED;
	memcpy(v, hdr + 16, 32);   /* EncryptedVerifier, EncryptedVerifierHash */
	if (lg_rc4_base(password, hdr, h1) < 0 || lg_rc4_block(h1, 0, &r) < 0)
		return QUIRE_ERROR;
	lg_rc4_xor(&r, v, 32);
	if (md5(v, 16, h) < 0)
		return QUIRE_ERROR;
	return memcmp(h, v + 16, 16) ? QUIRE_ENCRYPTED : QUIRE_OK;
}
