/* crypt.c: the keys of Office binary documents ([MS-OFFCRYPTO] 2.3.5,
 * 2.3.6, 2.3.7): an EncryptionInfo read as RC4 (version 1.1, MD5 keys,
 * rc4.c) or RC4 CryptoAPI (versions 2-4.2, SHA-1 keys of 40 to 128 bits),
 * the password checked against its verifier, a key per block; and XOR
 * obfuscation method 1 (Excel): the key, the verifier and the array. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include <openssl/evp.h>

#include "legacy.h"
#include "rc4.h"
#include "crypt.h"
#include "../common/utf8.h"

#define CAPI_PASSWORD_MAX 255  /* CryptoAPI passwords, in UTF-16 units */
#define ALG_RC4 0x6801
#define ALG_SHA1 0x8004
#define CAPI_VERIFIER 60        /* SaltSize, Salt, EncryptedVerifier, size, hash */

/* password as UTF-16LE (non-BMP code points as surrogate pairs), at most
 * max units; returns the bytes written. */
static size_t utf16(const char *password, unsigned char *out, size_t max)
{
	const unsigned char *p = (const unsigned char *)password;
	size_t n = 0, left = strlen(password);

	while (left && n + 2 <= 2 * max) {
		uint32_t cp;
		size_t k = pc_utf8_get(p, left, &cp);

		if (k == 0)
			cp = 0xfffd, k = 1;
		if (cp > 0xffff) {
			if (n + 4 > 2 * max)
				break;
			cp -= 0x10000;
			out[n++] = (unsigned char)(0xd800 + (cp >> 10));
			out[n++] = (unsigned char)((0xd800 + (cp >> 10)) >> 8);
			cp = 0xdc00 + (cp & 0x3ff);
		}
		out[n++] = (unsigned char)cp;
		out[n++] = (unsigned char)(cp >> 8);
		p += k;
		left -= k;
	}
	return n;
}

static int sha1(const void *a, size_t an, const void *b, size_t bn, unsigned char out[20])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned len = 0;
	int ok = c && EVP_DigestInit_ex(c, EVP_sha1(), NULL) == 1 &&
		 EVP_DigestUpdate(c, a, an) == 1 && EVP_DigestUpdate(c, b, bn) == 1 &&
		 EVP_DigestFinal_ex(c, out, &len) == 1 && len == 20;

	EVP_MD_CTX_free(c);
	return ok ? 0 : -1;
}

int lg_key_block(const struct lg_key *k, uint32_t b, struct lg_rc4 *r)
{
	unsigned char le[4] = { (unsigned char)b, (unsigned char)(b >> 8),
				(unsigned char)(b >> 16), (unsigned char)(b >> 24) };
	unsigned char h[20], key[16] = { 0 };

	if (!k->capi)
		return lg_rc4_block(k->h, b, r);
	if (sha1(k->h, 20, le, 4, h) < 0)
		return -1;
	/* a 40-bit key is used as 128 bits, the rest zero (2.3.5.2) */
	memcpy(key, h, k->keylen);
	lg_rc4_init(r, key, k->keylen == 5 ? 16 : k->keylen);
	return 0;
}

/* The CryptoAPI header and verifier (p: the EncryptionInfo, version
 * first): k->keylen and the salt's place, or -1 when it is not RC4. */
static int capi_header(const unsigned char *p, size_t n, struct lg_key *k, const unsigned char **ver)
{
	uint32_t hsize, alg, hash, bits;

	if (n < 12)
		return -1;
	hsize = pc_le32(p + 8);
	if (hsize < 32 || hsize > n - 12 || n - 12 - hsize < CAPI_VERIFIER)
		return -1;
	alg = pc_le32(p + 12 + 8);
	hash = pc_le32(p + 12 + 12);
	bits = pc_le32(p + 12 + 16);
	if (bits == 0)
		bits = 40;
	if ((alg != ALG_RC4 && alg != 0) || (hash != ALG_SHA1 && hash != 0) ||
	    bits < 40 || bits > 128 || bits % 8)
		return -1;
	*ver = p + 12 + hsize;
	if (pc_le32(*ver) != 16 || pc_le32(*ver + 36) != 20)
		return -1;
	k->keylen = bits / 8;
	return 0;
}

static enum quire_result capi_open(const char *password, const unsigned char *p, size_t n,
				   struct lg_key *k)
{
	unsigned char pwd[2 * CAPI_PASSWORD_MAX], v[36], h[20];
	const unsigned char *ver;
	struct lg_rc4 r;

	if (capi_header(p, n, k, &ver) < 0)
		return QUIRE_UNSUPPORTED;
	if (!password)
		return QUIRE_ENCRYPTED;
	k->capi = 1;
	if (sha1(ver + 4, 16, pwd, utf16(password, pwd, CAPI_PASSWORD_MAX), k->h) < 0 ||
	    lg_key_block(k, 0, &r) < 0)
		return QUIRE_ERROR;
	memcpy(v, ver + 20, 16);       /* EncryptedVerifier */
	memcpy(v + 16, ver + 40, 20);  /* EncryptedVerifierHash */
	lg_rc4_xor(&r, v, sizeof v);
	if (sha1(v, 16, "", 0, h) < 0)
		return QUIRE_ERROR;
	return memcmp(h, v + 16, 20) ? QUIRE_ENCRYPTED : QUIRE_OK;
}

enum quire_result lg_key_open(const char *password, const unsigned char *p, size_t n,
			      struct lg_key *k)
{
	unsigned major, minor;

	memset(k, 0, sizeof *k);
	if (n < 4)
		return QUIRE_CORRUPT;
	major = pc_le16(p);
	minor = pc_le16(p + 2);
	if (major == 1 && minor == 1) {
		if (n < 52)
			return QUIRE_CORRUPT;
		return lg_rc4_open(password, p + 4, k->h);
	}
	if (major >= 2 && major <= 4 && minor == 2)
		return capi_open(password, p, n, k);
	return QUIRE_UNSUPPORTED;
}

/* ---- XOR obfuscation, method 1 (2.3.7.1-2.3.7.3) ---- */

static const uint16_t initial_code[15] = {
	0xE1F0, 0x1D0F, 0xCC9C, 0x84C0, 0x110C, 0x0E10, 0xF1CE, 0x313E,
	0x1872, 0xE139, 0xD40F, 0x84F9, 0x280C, 0xA96A, 0x4EC3,
};

static const uint16_t xor_matrix[105] = {
	0xAEFC, 0x4DD9, 0x9BB2, 0x2745, 0x4E8A, 0x9D14, 0x2A09, 0x7B61, 0xF6C2, 0xFDA5,
	0xEB6B, 0xC6F7, 0x9DCF, 0x2BBF, 0x4563, 0x8AC6, 0x05AD, 0x0B5A, 0x16B4, 0x2D68,
	0x5AD0, 0x0375, 0x06EA, 0x0DD4, 0x1BA8, 0x3750, 0x6EA0, 0xDD40, 0xD849, 0xA0B3,
	0x5147, 0xA28E, 0x553D, 0xAA7A, 0x44D5, 0x6F45, 0xDE8A, 0xAD35, 0x4A4B, 0x9496,
	0x390D, 0x721A, 0xEB23, 0xC667, 0x9CEF, 0x29FF, 0x53FE, 0xA7FC, 0x5FD9, 0x47D3,
	0x8FA6, 0x0F6D, 0x1EDA, 0x3DB4, 0x7B68, 0xF6D0, 0xB861, 0x60E3, 0xC1C6, 0x93AD,
	0x377B, 0x6EF6, 0xDDEC, 0x45A0, 0x8B40, 0x06A1, 0x0D42, 0x1A84, 0x3508, 0x6A10,
	0xAA51, 0x4483, 0x8906, 0x022D, 0x045A, 0x08B4, 0x1168, 0x76B4, 0xED68, 0xCAF1,
	0x85C3, 0x1BA7, 0x374E, 0x6E9C, 0x3730, 0x6E60, 0xDCC0, 0xA9A1, 0x4363, 0x86C6,
	0x1DAD, 0x3331, 0x6662, 0xCCC4, 0x89A9, 0x0373, 0x06E6, 0x0DCC, 0x1021, 0x2042,
	0x4084, 0x8108, 0x1231, 0x2462, 0x48C4,
};

static const unsigned char pad[15] = {
	0xBB, 0xFF, 0xFF, 0xBA, 0xFF, 0xFF, 0xB9, 0x80, 0x00, 0xBE, 0x0F, 0x00, 0xBF, 0x0F, 0x00,
};

/* The password as the single bytes method 1 works on (a UTF-16 unit's
 * low byte, or its high byte when the low one is zero), at most 15. */
static size_t xor_bytes(const char *password, unsigned char out[15])
{
	unsigned char u[30];
	size_t n = utf16(password, u, 15) / 2;

	for (size_t i = 0; i < n; i++)
		out[i] = u[2 * i] ? u[2 * i] : u[2 * i + 1];
	return n;
}

static uint16_t xor_key(const unsigned char *pw, size_t n)
{
	uint16_t key = initial_code[n - 1];
	unsigned el = 0x68;

	for (size_t i = n; i-- > 0;) {
		unsigned c = pw[i];

		for (int b = 0; b < 7; b++, c <<= 1, el--)
			if (c & 0x40)
				key ^= xor_matrix[el];
	}
	return key;
}

static uint16_t xor_verifier(const unsigned char *pw, size_t n)
{
	uint16_t v = 0;

	for (size_t i = n + 1; i-- > 0;) {
		unsigned c = i == 0 ? (unsigned)n : pw[i - 1];

		v = (uint16_t)((((v & 0x4000) ? 1 : 0) | ((v << 1) & 0x7fff)) ^ c);
	}
	return v ^ 0xCE4B;
}

static unsigned char xor_ror(unsigned char a, unsigned char b)
{
	unsigned char x = a ^ b;

	return (unsigned char)((x >> 1) | (x << 7));
}

static void xor_array(const unsigned char *pw, size_t n, uint16_t key, unsigned char out[16])
{
	unsigned char hi = (unsigned char)(key >> 8), lo = (unsigned char)key;
	size_t i = n;

	memset(out, 0, 16);
	if (i % 2) {
		out[i] = xor_ror(pad[0], hi);
		i--;
		out[i] = xor_ror(pw[n - 1], lo);
	}
	while (i > 0) {
		i--;
		out[i] = xor_ror(pw[i], hi);
		i--;
		out[i] = xor_ror(pw[i], lo);
	}
	for (int at = 15, pi = 15 - (int)n; pi > 0; at -= 2, pi -= 2) {
		out[at] = xor_ror(pad[pi], hi);
		out[at - 1] = xor_ror(pad[pi - 1], lo);
	}
}

enum quire_result lg_xor_open(const char *password, uint16_t key, uint16_t verifier,
			      unsigned char array[16])
{
	unsigned char pw[15];
	size_t n;

	if (!password)
		return QUIRE_ENCRYPTED;
	n = xor_bytes(password, pw);
	if (n == 0 || xor_key(pw, n) != key || xor_verifier(pw, n) != verifier)
		return QUIRE_ENCRYPTED;
	xor_array(pw, n, key, array);
	return QUIRE_OK;
}

void lg_xor_data(const unsigned char array[16], unsigned char *p, size_t n, size_t index)
{
	/* XOR, then rotate right by 5 (DecryptData_Method1); the same as the
	 * readers that rotate the data left by 3 and XOR an array rotated
	 * left by 2 instead of right by 1 */
	for (size_t i = 0; i < n; i++) {
		unsigned char v = p[i] ^ array[(index + i) & 15];

		p[i] = (unsigned char)((v >> 5) | (v << 3));
	}
}
