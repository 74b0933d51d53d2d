/* auth.c: API key generation, parsing and lookup. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "http/auth.h"
#include "store/store.h"
#include "base/util.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

/* Every key cache miss (app.c) and every key check hashes the key, and
 * EVP_Digest with EVP_sha256() looks the algorithm up in OpenSSL 3's
 * provider tables and allocates a context each time. So the algorithm is
 * fetched once per process and each thread keeps one context. */
static pthread_once_t sha_once = PTHREAD_ONCE_INIT;
static pthread_key_t sha_key;
static int sha_key_ok;
static EVP_MD *sha_md;

static void sha_ctx_free(void *ctx)
{
	EVP_MD_CTX_free(ctx);
}

static void sha_init(void)
{
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
	sha_md = EVP_MD_fetch(NULL, "SHA256", NULL);
#endif
	sha_key_ok = pthread_key_create(&sha_key, sha_ctx_free) == 0;
}

/* This thread's context, NULL when none can be had. */
static EVP_MD_CTX *sha_ctx(void)
{
	if (!sha_key_ok)
		return NULL;
	EVP_MD_CTX *ctx = pthread_getspecific(sha_key);
	if (!ctx && (ctx = EVP_MD_CTX_new()) && pthread_setspecific(sha_key, ctx) != 0) {
		EVP_MD_CTX_free(ctx);
		ctx = NULL;
	}
	return ctx;
}

static void sha256(const void *p, size_t n, unsigned char out[32]);
/* Set when a digest could not be made (OpenSSL out of memory): the key
 * must then not be judged unknown or malformed (401) but the request
 * failed for memory (auth_lookup). */
static __thread int sha_failed;

void auth_init(void)
{
	unsigned char out[32];
	sha256("", 0, out);
}

static void sha256(const void *p, size_t n, unsigned char out[32])
{
	unsigned int len = 32;
	pthread_once(&sha_once, sha_init);
	const EVP_MD *md = sha_md ? sha_md : EVP_sha256();
	EVP_MD_CTX *ctx = sha_ctx();
	if (ctx && EVP_DigestInit_ex(ctx, md, NULL) && EVP_DigestUpdate(ctx, p, n) &&
	    EVP_DigestFinal_ex(ctx, out, &len))
		return;
	if (!EVP_Digest(p, n, out, &len, md, NULL)) {
		memset(out, 0, 32);
		sha_failed = 1;
	}
}

void auth_key_id(const char *hash, char *out)
{
	memcpy(out, hash, AUTH_KEY_ID_LEN);
	out[AUTH_KEY_ID_LEN] = '\0';
}

/* Checksum of the 64 secret digits: first 4 bytes of SHA-256("quire:"+s). */
static void checksum(const char *secret, char out[9])
{
	char buf[6 + 64];
	unsigned char d[32];
	memcpy(buf, "quire:", 6);
	memcpy(buf + 6, secret, 64);
	sha256(buf, sizeof buf, d);
	q_hex(d, 4, out);
}

void auth_key_hash(const char *key, char *hash)
{
	unsigned char d[32];
	sha256(key, strlen(key), d);
	q_hex(d, 32, hash);
}

enum qstatus auth_key_new(char *key, char *hash, struct qerr *err)
{
	unsigned char r[32];
	char secret[65], sum[9];
	if (q_random(r, sizeof r) < 0)
		return qerr_set(err, Q_EINTERNAL, NULL, "no random bytes available");
	q_hex(r, sizeof r, secret);
	OPENSSL_cleanse(r, sizeof r);
	checksum(secret, sum);
	memcpy(key, AUTH_KEY_PREFIX, 8);
	memcpy(key + 8, secret, 64);
	memcpy(key + 72, sum, 8);
	key[AUTH_KEY_LEN] = '\0';
	OPENSSL_cleanse(secret, sizeof secret);
	auth_key_hash(key, hash);
	return Q_OK;
}

int auth_key_wellformed(const char *key)
{
	if (strlen(key) != AUTH_KEY_LEN || memcmp(key, AUTH_KEY_PREFIX, 8))
		return 0;
	for (int i = 8; i < AUTH_KEY_LEN; i++)
		if (!((key[i] >= '0' && key[i] <= '9') || (key[i] >= 'a' && key[i] <= 'f')))
			return 0;
	char sum[9];
	checksum(key + 8, sum);
	return CRYPTO_memcmp(sum, key + 72, 8) == 0;
}

const char *auth_header_key(const char *h, size_t *len)
{
	while (*h == ' ' || *h == '\t')
		h++;
	if (!strncasecmp(h, "Bearer ", 7))
		h += 7;
	else if (!strncasecmp(h, "ApiKey ", 7))
		h += 7;
	while (*h == ' ' || *h == '\t')
		h++;
	size_t n = strlen(h);
	while (n && (h[n - 1] == ' ' || h[n - 1] == '\t'))
		n--;
	*len = n;
	return n ? h : NULL;
}

enum qstatus auth_lookup(struct stxn *t, const char *key, size_t len,
			 struct principal *who, struct qerr *err)
{
	char k[AUTH_KEY_LEN + 1], hash[AUTH_HASH_HEX];
	json_t *rec = NULL;
	enum qstatus st;

	if (len != AUTH_KEY_LEN)
		goto deny;
	memcpy(k, key, len);
	k[len] = '\0';
	sha_failed = 0;
	int wellformed = auth_key_wellformed(k);
	if (wellformed)
		auth_key_hash(k, hash);
	OPENSSL_cleanse(k, sizeof k);
	if (sha_failed)
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	if (!wellformed)
		goto deny;
	st = store_get(t, T_KEYS, hash, &rec, 0, err);
	if (st == Q_ENOTFOUND)
		goto deny;
	if (st != Q_OK)
		return st;
	/* The record was found by its hash; compare it again in constant time
	 * so no code path depends on how much of a guess matched. */
	const char *stored = json_string_value(json_object_get(rec, "hash"));
	if (!stored || strlen(stored) != 64 || CRYPTO_memcmp(stored, hash, 64) ||
	    json_is_true(json_object_get(rec, "revoked")))
		goto deny;
	snprintf(who->account, sizeof who->account, "%s",
		 json_string_value(json_object_get(rec, "account")) ?: "");
	snprintf(who->key_id, sizeof who->key_id, "%s",
		 json_string_value(json_object_get(rec, "key_id")) ?: "");
	who->scopes = (unsigned)json_integer_value(json_object_get(rec, "scopes"));
	json_decref(rec);
	return Q_OK;
deny:
	json_decref(rec);
	return qerr_set(err, Q_EAUTH, NULL, "Invalid API key");
}

static const char *scope_names[] = {"read", "write", "chat", "admin"};

int auth_scopes_parse(const char *s, unsigned *out)
{
	unsigned bits = 0;
	while (*s) {
		size_t n = strcspn(s, ",");
		int found = 0;
		if (n == 3 && !strncmp(s, "all", 3)) {
			bits |= SCOPE_ALL;
			found = 1;
		}
		for (int i = 0; i < 4 && !found; i++)
			if (strlen(scope_names[i]) == n && !strncmp(s, scope_names[i], n)) {
				bits |= 1u << i;
				found = 1;
			}
		if (!found)
			return -1;
		s += n;
		if (*s == ',')
			s++;
	}
	*out = bits;
	return bits ? 0 : -1;
}

void auth_scopes_format(unsigned scopes, char *out, size_t outlen)
{
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < 4; i++)
		if (scopes & (1u << i)) {
			int n = snprintf(out + used, outlen - used, "%s%s", used ? "," : "",
					 scope_names[i]);
			if (n < 0 || (size_t)n >= outlen - used) {
				out[used] = '\0';   /* never leave half a name */
				return;
			}
			used += (size_t)n;
		}
}
