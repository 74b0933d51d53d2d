/* seal.c: AES-256-GCM under a key held only in memory (seal.h). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include "config.h"
#include "base/seal.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define KEY_LEN 32
#define IV_LEN 12
#define TAG_LEN 16

static unsigned char key[KEY_LEN];
static int have_key;

int seal_owner_init(void)
{
	unsigned char k[KEY_LEN];
	char num[16];
	/* not close-on-exec: the children inherit it */
	int fd = memfd_create("quire-seal", 0);
	if (fd < 0 || RAND_bytes(k, KEY_LEN) != 1 || write(fd, k, KEY_LEN) != KEY_LEN) {
		if (fd >= 0)
			close(fd);
		OPENSSL_cleanse(k, sizeof k);
		return -1;
	}
	memcpy(key, k, KEY_LEN);
	have_key = 1;
	OPENSSL_cleanse(k, sizeof k);
	snprintf(num, sizeof num, "%d", fd);
	setenv("QUIRE_SEAL_FD", num, 1);
	return 0;
}

/* quired's key when it started us, else one of this process's own. */
static int load_key(void)
{
	if (have_key)
		return 0;
	const char *v = getenv("QUIRE_SEAL_FD");
	if (v && *v && pread(atoi(v), key, KEY_LEN, 0) == KEY_LEN)
		have_key = 1;
	else if (RAND_bytes(key, KEY_LEN) == 1)
		have_key = 1;
	return have_key ? 0 : -1;
}

static void hex(const unsigned char *b, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = d[b[i] >> 4];
		out[2 * i + 1] = d[b[i] & 15];
	}
	out[2 * n] = '\0';
}

static int unhex(const char *s, unsigned char *out, size_t cap)
{
	size_t n = strlen(s);
	if (n % 2 || n / 2 > cap)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	return (int)(n / 2);
}

int seal(const char *plain, size_t n, char *out, size_t cap)
{
	unsigned char buf[IV_LEN + 1024 + TAG_LEN];
	int len = 0, rc = -1;
	if (n > 1024 || cap < 2 * (n + IV_LEN + TAG_LEN) + 1 || load_key() < 0)
		return -1;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	if (!ctx || RAND_bytes(buf, IV_LEN) != 1 ||
	    EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, buf) != 1 ||
	    EVP_EncryptUpdate(ctx, buf + IV_LEN, &len, (const unsigned char *)plain, (int)n) != 1 ||
	    EVP_EncryptFinal_ex(ctx, buf + IV_LEN + len, &len) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_LEN, buf + IV_LEN + n) != 1)
		goto out;
	hex(buf, IV_LEN + n + TAG_LEN, out);
	rc = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	OPENSSL_cleanse(buf, sizeof buf);
	return rc;
}

int unseal(const char *in, char *out, size_t cap)
{
	unsigned char buf[IV_LEN + 1024 + TAG_LEN];
	int len = 0, rc = -1;
	int n = unhex(in, buf, sizeof buf) - IV_LEN - TAG_LEN;
	if (n < 0 || (size_t)n >= cap || load_key() < 0)
		return -1;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	if (!ctx || EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, key, buf) != 1 ||
	    EVP_DecryptUpdate(ctx, (unsigned char *)out, &len, buf + IV_LEN, n) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_LEN, buf + IV_LEN + n) != 1 ||
	    EVP_DecryptFinal_ex(ctx, (unsigned char *)out + len, &len) != 1) {
		OPENSSL_cleanse(out, cap);
		goto out;
	}
	out[n] = '\0';
	rc = n;
out:
	EVP_CIPHER_CTX_free(ctx);
	OPENSSL_cleanse(buf, sizeof buf);
	return rc;
}
