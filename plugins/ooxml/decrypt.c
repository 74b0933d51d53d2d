/* decrypt.c: ECMA-376 Standard Encryption (MS-OFFCRYPTO 2.3.4.5-2.3.4.9)
 * with the default password. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "decrypt.h"

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* 2.3.4.7: the key from password and salt (SHA-1, 50,000 rounds). */
static void derive(const unsigned char *salt, size_t saltlen, const char *password,
		   unsigned char *key, size_t keylen)
{
	unsigned char buf[64 + 4 + SHA_DIGEST_LENGTH], h[SHA_DIGEST_LENGTH], x[64], x3[40];
	size_t pl = strlen(password), n = 0;

	memcpy(buf, salt, saltlen);
	n = saltlen;
	for (size_t i = 0; i < pl && n + 2 <= 64; i++) {
		buf[n++] = (unsigned char)password[i];
		buf[n++] = 0;
	}
	SHA1(buf, n, h);
	for (uint32_t i = 0; i < 50000; i++) {
		unsigned char it[4 + SHA_DIGEST_LENGTH] = { (unsigned char)i, (unsigned char)(i >> 8),
			(unsigned char)(i >> 16), (unsigned char)(i >> 24) };

		memcpy(it + 4, h, sizeof h);
		SHA1(it, sizeof it, h);
	}
	memcpy(buf, h, sizeof h);
	memset(buf + sizeof h, 0, 4);  /* block 0 */
	SHA1(buf, sizeof h + 4, h);
	memset(x, 0x36, sizeof x);
	for (size_t i = 0; i < sizeof h; i++)
		x[i] ^= h[i];
	SHA1(x, sizeof x, x3);
	memset(x, 0x5c, sizeof x);
	for (size_t i = 0; i < sizeof h; i++)
		x[i] ^= h[i];
	SHA1(x, sizeof x, x3 + 20);
	memcpy(key, x3, keylen);
}

static const EVP_CIPHER *ecb(size_t keylen)
{
	return keylen == 16 ? EVP_aes_128_ecb() : keylen == 24 ? EVP_aes_192_ecb() : EVP_aes_256_ecb();
}

static int aes_ecb(const unsigned char *key, size_t keylen, const unsigned char *in, size_t len,
		   unsigned char *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n = 0, ok;

	if (!ctx)
		return -1;
	ok = EVP_DecryptInit_ex(ctx, ecb(keylen), NULL, key, NULL) == 1 &&
	     EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
	     EVP_DecryptUpdate(ctx, out, &n, in, (int)len) == 1;
	EVP_CIPHER_CTX_free(ctx);
	return ok ? 0 : -1;
}

enum quire_result ox_decrypt_default(const unsigned char *info, size_t infolen,
				     const unsigned char *pkg, size_t pkglen, unsigned char **out,
				     size_t *outlen, size_t cap)
{
	unsigned char key[32], verifier[16], vhash[32], check[SHA_DIGEST_LENGTH];
	const unsigned char *hdr, *v;
	size_t hsize, keylen, saltlen, enclen;
	uint64_t size;

	if (infolen < 12 || !(info[0] == 3 || info[0] == 4) || info[2] != 2)
		return QUIRE_ENCRYPTED;  /* not Standard Encryption */
	hsize = le32(info + 8);
	if (hsize < 32 || hsize > infolen - 12 || infolen - 12 - hsize < 4 + 16 + 16 + 4 + 32)
		return QUIRE_CORRUPT;
	hdr = info + 12;
	keylen = le32(hdr + 16) / 8;
	if ((le32(hdr + 8) & 0xFF00) != 0x6600 || (keylen != 16 && keylen != 24 && keylen != 32))
		return QUIRE_ENCRYPTED;  /* RC4 or unknown */
	v = hdr + hsize;
	saltlen = le32(v);
	if (saltlen != 16)
		return QUIRE_CORRUPT;
	derive(v + 4, saltlen, "VelvetSweatshop", key, keylen);
	if (aes_ecb(key, keylen, v + 20, 16, verifier) < 0 ||
	    aes_ecb(key, keylen, v + 40, 32, vhash) < 0)
		return QUIRE_ERROR;
	SHA1(verifier, sizeof verifier, check);
	if (memcmp(check, vhash, sizeof check) != 0)
		return QUIRE_ENCRYPTED;
	if (pkglen < 8)
		return QUIRE_CORRUPT;
	size = (uint64_t)le32(pkg) | (uint64_t)le32(pkg + 4) << 32;
	enclen = (pkglen - 8) / 16 * 16;
	if (size > enclen)
		return QUIRE_CORRUPT;
	if (size > cap)
		return QUIRE_TOO_LARGE;
	*out = malloc(enclen ? enclen : 1);
	if (!*out)
		return QUIRE_ERROR;
	if (aes_ecb(key, keylen, pkg + 8, enclen, *out) < 0) {
		free(*out);
		*out = NULL;
		return QUIRE_ERROR;
	}
	*outlen = (size_t)size;
	return QUIRE_OK;
}
