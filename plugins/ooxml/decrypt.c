/* decrypt.c: encrypted OOXML packages (MS-OFFCRYPTO): ECMA-376 Standard
 * Encryption (2.3.4.5-2.3.4.9: AES, SHA-1) and Agile Encryption
 * (2.3.4.10-2.3.4.15: AES-CBC, SHA-1 or SHA-2, the key encryptor of a
 * password), opened with the given password or, without one, Excel's
 * default "VelvetSweatshop". */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <openssl/evp.h>

#include "decrypt.h"
#include "../common/bytes.h"
#include "../common/utf8.h"

#define PWD16_MAX 1024   /* UTF-16LE bytes of a password: 512 units (Office: 255) */
#define SEGMENT 4096     /* agile: the package is encrypted in segments */

/* The password as UTF-16LE (what both schemes hash); invalid UTF-8 bytes
 * count as U+FFFD. Returns the byte length, or -1 when too long. */
static long to_utf16(const char *s, unsigned char *out, size_t cap)
{
	size_t n = 0, left = strlen(s);
	const unsigned char *p = (const unsigned char *)s;

	while (left) {
		uint32_t cp;
		size_t k = pc_utf8_get(p, left, &cp);

		if (k == 0) {   /* an invalid byte: U+FFFD */
			cp = 0xfffd;
			k = 1;
		}
		p += k;
		left -= k;
		if (cp > 0xffff) {
			uint32_t v = cp - 0x10000;

			if (n + 4 > cap)
				return -1;
			out[n++] = (unsigned char)(0xd800 + (v >> 10));
			out[n++] = (unsigned char)((0xd800 + (v >> 10)) >> 8);
			cp = 0xdc00 + (v & 0x3ff);
		}
		if (n + 2 > cap)
			return -1;
		out[n++] = (unsigned char)cp;
		out[n++] = (unsigned char)(cp >> 8);
	}
	return (long)n;
}

/* out = H(a || b); the digest's size, or 0 on failure. */
static unsigned hash2(const EVP_MD *md, const void *a, size_t alen, const void *b, size_t blen,
		      unsigned char *out)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned n = 0;
	int ok;

	if (!ctx)
		return 0;
	ok = EVP_DigestInit_ex(ctx, md, NULL) == 1 && EVP_DigestUpdate(ctx, a, alen) == 1 &&
	     (!blen || EVP_DigestUpdate(ctx, b, blen) == 1) && EVP_DigestFinal_ex(ctx, out, &n) == 1;
	EVP_MD_CTX_free(ctx);
	return ok ? n : 0;
}

/* H0 = H(salt || password), Hn = H(le32(n) || Hn-1), spin times (2.3.4.7,
 * 2.3.4.11). Returns the digest size, 0 on failure. */
static unsigned spin(const EVP_MD *md, const unsigned char *salt, size_t saltlen,
		     const unsigned char *pwd, size_t pwdlen, unsigned long spins, unsigned char *h)
{
	unsigned n = hash2(md, salt, saltlen, pwd, pwdlen, h);

	for (unsigned long i = 0; n && i < spins; i++) {
		unsigned char it[4] = { (unsigned char)i, (unsigned char)(i >> 8), (unsigned char)(i >> 16),
					(unsigned char)(i >> 24) };

		n = hash2(md, it, 4, h, n, h);
	}
	return n;
}

static const EVP_CIPHER *aes(size_t keylen, int cbc)
{
	if (keylen == 16)
		return cbc ? EVP_aes_128_cbc() : EVP_aes_128_ecb();
	if (keylen == 24)
		return cbc ? EVP_aes_192_cbc() : EVP_aes_192_ecb();
	return cbc ? EVP_aes_256_cbc() : EVP_aes_256_ecb();
}

/* AES decryption without padding; iv NULL: ECB. len a multiple of 16. */
static int aes_dec(const unsigned char *key, size_t keylen, const unsigned char *iv,
		   const unsigned char *in, size_t len, unsigned char *out)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n = 0, ok;

	if (!ctx || len % 16 || len > 0x7fffffff) {
		EVP_CIPHER_CTX_free(ctx);
		return -1;
	}
	ok = EVP_DecryptInit_ex(ctx, aes(keylen, iv != NULL), NULL, key, iv) == 1 &&
	     EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
	     EVP_DecryptUpdate(ctx, out, &n, in, (int)len) == 1;
	EVP_CIPHER_CTX_free(ctx);
	return ok ? 0 : -1;
}

/* The package's declared size and its encrypted bytes (after 8 bytes). */
static enum quire_result pkg_size(const unsigned char *pkg, size_t pkglen, size_t cap,
				  uint64_t *size, size_t *enclen)
{
	if (pkglen < 8)
		return QUIRE_CORRUPT;
	*size = (uint64_t)pc_le32(pkg) | (uint64_t)pc_le32(pkg + 4) << 32;
	*enclen = (pkglen - 8) / 16 * 16;
	if (*size > *enclen)
		return QUIRE_CORRUPT;
	return *size > cap ? QUIRE_TOO_LARGE : QUIRE_OK;
}

/* ---- Standard Encryption ---- */

/* 2.3.4.7: the key from password and salt (SHA-1, 50,000 rounds). */
static int std_key(const unsigned char *salt, const unsigned char *pwd, size_t pwdlen,
		   unsigned char *key, size_t keylen)
{
	unsigned char h[EVP_MAX_MD_SIZE], x[64], x3[40];
	const unsigned char block0[4] = { 0 };

	if (spin(EVP_sha1(), salt, 16, pwd, pwdlen, 50000, h) != 20 ||
	    hash2(EVP_sha1(), h, 20, block0, 4, h) != 20)
		return -1;
	memset(x, 0x36, sizeof x);
	for (size_t i = 0; i < 20; i++)
		x[i] ^= h[i];
	hash2(EVP_sha1(), x, sizeof x, NULL, 0, x3);
	memset(x, 0x5c, sizeof x);
	for (size_t i = 0; i < 20; i++)
		x[i] ^= h[i];
	hash2(EVP_sha1(), x, sizeof x, NULL, 0, x3 + 20);
	memcpy(key, x3, keylen);
	return 0;
}

static enum quire_result standard(const unsigned char *info, size_t infolen,
				  const unsigned char *pwd, size_t pwdlen, const unsigned char *pkg,
				  size_t pkglen, unsigned char **out, size_t *outlen, size_t cap)
{
	unsigned char key[32], verifier[16], vhash[32], check[EVP_MAX_MD_SIZE];
	const unsigned char *hdr, *v;
	size_t hsize, keylen, enclen;
	uint64_t size;
	enum quire_result r;

	hsize = pc_le32(info + 8);
	if (hsize < 32 || hsize > infolen - 12 || infolen - 12 - hsize < 4 + 16 + 16 + 4 + 32)
		return QUIRE_CORRUPT;
	hdr = info + 12;
	keylen = pc_le32(hdr + 16) / 8;
	if ((pc_le32(hdr + 8) & 0xFF00) != 0x6600 || (keylen != 16 && keylen != 24 && keylen != 32))
		return QUIRE_ENCRYPTED;  /* RC4 or unknown */
	v = hdr + hsize;
	if (pc_le32(v) != 16)
		return QUIRE_CORRUPT;
	if (std_key(v + 4, pwd, pwdlen, key, keylen) < 0 ||
	    aes_dec(key, keylen, NULL, v + 20, 16, verifier) < 0 ||
	    aes_dec(key, keylen, NULL, v + 40, 32, vhash) < 0 ||
	    hash2(EVP_sha1(), verifier, sizeof verifier, NULL, 0, check) != 20)
		return QUIRE_ERROR;
	if (memcmp(check, vhash, 20) != 0)
		return QUIRE_ENCRYPTED;   /* not this password */
	if ((r = pkg_size(pkg, pkglen, cap, &size, &enclen)) != QUIRE_OK)
		return r;
	*out = malloc(enclen ? enclen : 1);
	if (!*out)
		return QUIRE_ERROR;
	if (aes_dec(key, keylen, NULL, pkg + 8, enclen, *out) < 0) {
		free(*out);
		*out = NULL;
		return QUIRE_ERROR;
	}
	*outlen = (size_t)size;
	return QUIRE_OK;
}

/* ---- Agile Encryption ---- */

struct agile {
	const EVP_MD *md;
	unsigned long spins;
	size_t keylen, blocksize, hashsize;
	unsigned char salt[64], vin[64], vhash[96], ekey[64];
	size_t saltlen, vinlen, vhashlen, ekeylen;
};

/* Base64 attribute name of node into out (at most cap bytes). */
static int b64_attr(xmlNode *node, const char *name, unsigned char *out, size_t cap, size_t *len)
{
	xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
	unsigned char tmp[256];
	size_t n = v ? strlen((const char *)v) : 0, pad = 0;
	int got;

	if (!v || n == 0 || n % 4 || n / 4 * 3 > sizeof tmp) {
		xmlFree(v);
		return -1;
	}
	pad = (v[n - 1] == '=') + (v[n - 2] == '=');
	got = EVP_DecodeBlock(tmp, v, (int)n);
	xmlFree(v);
	if (got < 0 || (size_t)got - pad > cap)
		return -1;
	*len = (size_t)got - pad;
	memcpy(out, tmp, *len);
	return 0;
}

static unsigned long num_attr(xmlNode *node, const char *name)
{
	xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
	unsigned long n = v ? strtoul((const char *)v, NULL, 10) : 0;

	xmlFree(v);
	return n;
}

/* SHA1, SHA256, SHA384, SHA512 by the name the XML gives. */
static const EVP_MD *md_attr(xmlNode *node)
{
	xmlChar *v = xmlGetProp(node, (const xmlChar *)"hashAlgorithm");
	const EVP_MD *md = NULL;

	if (v && !strcmp((const char *)v, "SHA1"))
		md = EVP_sha1();
	else if (v && !strcmp((const char *)v, "SHA256"))
		md = EVP_sha256();
	else if (v && !strcmp((const char *)v, "SHA384"))
		md = EVP_sha384();
	else if (v && !strcmp((const char *)v, "SHA512"))
		md = EVP_sha512();
	xmlFree(v);
	return md;
}

static xmlNode *find(xmlNode *n, const char *name)
{
	for (; n; n = n->next) {
		xmlNode *k;

		if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name))
			return n;
		if ((k = find(n->children, name)))
			return k;
	}
	return NULL;
}

static int aes_cbc_attr(xmlNode *n)
{
	xmlChar *a = xmlGetProp(n, (const xmlChar *)"cipherAlgorithm");
	xmlChar *c = xmlGetProp(n, (const xmlChar *)"cipherChaining");
	int ok = a && c && !strcmp((const char *)a, "AES") && !strcmp((const char *)c, "ChainingModeCBC");

	xmlFree(a);
	xmlFree(c);
	return ok;
}

/* The password key encryptor (ke) and the key data (kd) of the XML. */
static enum quire_result agile_parse(const unsigned char *xml, size_t len, struct agile *ke,
				     struct agile *kd)
{
	xmlDoc *doc = xmlReadMemory((const char *)xml, (int)len, NULL, NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlNode *d, *k;
	enum quire_result r = QUIRE_CORRUPT;

	memset(ke, 0, sizeof *ke);
	memset(kd, 0, sizeof *kd);
	if (!doc)
		return QUIRE_CORRUPT;
	d = find(xmlDocGetRootElement(doc), "keyData");
	k = find(xmlDocGetRootElement(doc), "encryptedKey");
	if (!d || !k)
		goto out;
	r = QUIRE_ENCRYPTED;   /* readable, but a scheme not handled */
	if (!aes_cbc_attr(d) || !aes_cbc_attr(k) || !(kd->md = md_attr(d)) || !(ke->md = md_attr(k)))
		goto out;
	kd->keylen = num_attr(d, "keyBits") / 8;
	ke->keylen = num_attr(k, "keyBits") / 8;
	kd->blocksize = num_attr(d, "blockSize");
	ke->blocksize = num_attr(k, "blockSize");
	ke->hashsize = num_attr(k, "hashSize");
	ke->spins = num_attr(k, "spinCount");
	r = QUIRE_CORRUPT;
	if ((kd->keylen != 16 && kd->keylen != 24 && kd->keylen != 32) ||
	    (ke->keylen != 16 && ke->keylen != 24 && ke->keylen != 32) || kd->blocksize != 16 ||
	    ke->blocksize != 16 || ke->hashsize > 64 || ke->spins > 10000000)
		goto out;
	if (b64_attr(d, "saltValue", kd->salt, sizeof kd->salt, &kd->saltlen) ||
	    b64_attr(k, "saltValue", ke->salt, sizeof ke->salt, &ke->saltlen) ||
	    b64_attr(k, "encryptedVerifierHashInput", ke->vin, sizeof ke->vin, &ke->vinlen) ||
	    b64_attr(k, "encryptedVerifierHashValue", ke->vhash, sizeof ke->vhash, &ke->vhashlen) ||
	    b64_attr(k, "encryptedKeyValue", ke->ekey, sizeof ke->ekey, &ke->ekeylen) ||
	    ke->saltlen < 16 || kd->saltlen < 16 || ke->vinlen % 16 || ke->vhashlen % 16 ||
	    ke->ekeylen % 16 || ke->ekeylen < kd->keylen || ke->vhashlen < ke->hashsize)
		goto out;
	r = QUIRE_OK;
out:
	xmlFreeDoc(doc);
	return r;
}

/* 2.3.4.11: H(Hn || block key), cut or padded with 0x36 to len. */
static int agile_key(const struct agile *ke, const unsigned char *hn, unsigned hlen,
		     const unsigned char block[8], unsigned char *key, size_t len)
{
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned n = hash2(ke->md, hn, hlen, block, 8, h);

	if (!n)
		return -1;
	memset(key, 0x36, len);
	memcpy(key, h, n < len ? n : len);
	return 0;
}

/* The intermediate (package) key, when the password is the right one. */
static enum quire_result agile_secret(const struct agile *ke, const unsigned char *pwd,
				      size_t pwdlen, unsigned char *secret, size_t seclen)
{
	static const unsigned char b_in[8] = { 0xfe, 0xa7, 0xd2, 0x76, 0x3b, 0x4b, 0x9e, 0x79 };
	static const unsigned char b_hash[8] = { 0xd7, 0xaa, 0x0f, 0x6d, 0x30, 0x61, 0x34, 0x4e };
	static const unsigned char b_key[8] = { 0x14, 0x6e, 0x0b, 0xe7, 0xab, 0xac, 0xd0, 0xd6 };
	unsigned char hn[EVP_MAX_MD_SIZE], k[32], vin[64], vhash[96], check[EVP_MAX_MD_SIZE], sk[64];
	unsigned hlen = spin(ke->md, ke->salt, ke->saltlen, pwd, pwdlen, ke->spins, hn);

	if (!hlen || agile_key(ke, hn, hlen, b_in, k, ke->keylen) ||
	    aes_dec(k, ke->keylen, ke->salt, ke->vin, ke->vinlen, vin) ||
	    agile_key(ke, hn, hlen, b_hash, k, ke->keylen) ||
	    aes_dec(k, ke->keylen, ke->salt, ke->vhash, ke->vhashlen, vhash) ||
	    !hash2(ke->md, vin, ke->saltlen < ke->vinlen ? ke->saltlen : ke->vinlen, NULL, 0, check))
		return QUIRE_ERROR;
	if (memcmp(check, vhash, ke->hashsize ? ke->hashsize : hlen) != 0)
		return QUIRE_ENCRYPTED;   /* not this password */
	if (agile_key(ke, hn, hlen, b_key, k, ke->keylen) ||
	    aes_dec(k, ke->keylen, ke->salt, ke->ekey, ke->ekeylen, sk))
		return QUIRE_ERROR;
	memcpy(secret, sk, seclen);
	return QUIRE_OK;
}

/* 2.3.4.15: segment i of 4096 bytes, its IV H(key data salt || le32(i)). */
static enum quire_result agile_data(const struct agile *kd, const unsigned char *secret,
				    const unsigned char *enc, size_t enclen, unsigned char *out)
{
	for (size_t off = 0, i = 0; off < enclen; off += SEGMENT, i++) {
		unsigned char it[4] = { (unsigned char)i, (unsigned char)(i >> 8),
					(unsigned char)(i >> 16), (unsigned char)(i >> 24) };
		unsigned char h[EVP_MAX_MD_SIZE], iv[16];
		size_t n = enclen - off < SEGMENT ? enclen - off : SEGMENT;
		unsigned hl = hash2(kd->md, kd->salt, kd->saltlen, it, 4, h);

		if (!hl)
			return QUIRE_ERROR;
		memset(iv, 0x36, sizeof iv);
		memcpy(iv, h, hl < sizeof iv ? hl : sizeof iv);
		if (aes_dec(secret, kd->keylen, iv, enc + off, n, out + off) < 0)
			return QUIRE_ERROR;
	}
	return QUIRE_OK;
}

static enum quire_result agile(const unsigned char *info, size_t infolen, const unsigned char *pwd,
			       size_t pwdlen, const unsigned char *pkg, size_t pkglen,
			       unsigned char **out, size_t *outlen, size_t cap)
{
	struct agile ke, kd;
	unsigned char secret[32];
	size_t enclen;
	uint64_t size;
	size_t xmllen = infolen - 8;
	enum quire_result r;

	while (xmllen && info[8 + xmllen - 1] == 0)   /* a writer's padding */
		xmllen--;
	r = agile_parse(info + 8, xmllen, &ke, &kd);

	if (r == QUIRE_OK)
		r = agile_secret(&ke, pwd, pwdlen, secret, kd.keylen);
	if (r == QUIRE_OK)
		r = pkg_size(pkg, pkglen, cap, &size, &enclen);
	if (r != QUIRE_OK)
		return r;
	*out = malloc(enclen ? enclen : 1);
	if (!*out)
		return QUIRE_ERROR;
	r = agile_data(&kd, secret, pkg + 8, enclen, *out);
	if (r != QUIRE_OK) {
		free(*out);
		*out = NULL;
		return r;
	}
	*outlen = (size_t)size;
	return QUIRE_OK;
}

enum quire_result ox_decrypt(const unsigned char *info, size_t infolen, const unsigned char *pkg,
			     size_t pkglen, const char *password, unsigned char **out,
			     size_t *outlen, size_t cap)
{
	unsigned char pwd[PWD16_MAX];
	long pwdlen = to_utf16(password ? password : "VelvetSweatshop", pwd, sizeof pwd);
	enum quire_result r = QUIRE_ENCRYPTED;

	*out = NULL;
	if (pwdlen < 0)
		return QUIRE_ENCRYPTED;   /* longer than any Office password */
	if (infolen >= 12 && (info[0] == 3 || info[0] == 4) && info[2] == 2)
		r = standard(info, infolen, pwd, (size_t)pwdlen, pkg, pkglen, out, outlen, cap);
	else if (infolen >= 8 && info[0] == 4 && info[2] == 4)
		r = agile(info, infolen, pwd, (size_t)pwdlen, pkg, pkglen, out, outlen, cap);
	OPENSSL_cleanse(pwd, sizeof pwd);
	return r;
}
