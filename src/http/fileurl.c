/* fileurl.c: signed, expiring download links (HMAC-SHA256) for originals. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "http/fileurl.h"
#include "http/secret.h"
#include "base/util.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static enum qstatus sign(const struct qconf *conf, const char *doc_id, long long expires,
			 char *hex, struct qerr *err)
{
	unsigned char key[SECRET_MAX], mac[EVP_MAX_MD_SIZE];
	unsigned maclen = 0;
	size_t klen;
	char msg[128];
	enum qstatus st = secret_get(conf, conf->file_url_secret, "file-url.key", key, &klen, err);
	if (st != Q_OK)
		return st;
	int n = snprintf(msg, sizeof msg, "file:%s:%lld", doc_id, expires);
	if (!HMAC(EVP_sha256(), key, (int)klen, (unsigned char *)msg, (size_t)n, mac, &maclen))
		st = qerr_set(err, Q_EINTERNAL, NULL, "cannot sign the file link");
	else
		q_hex(mac, maclen, hex);
	OPENSSL_cleanse(key, sizeof key);
	return st;
}

enum qstatus fileurl_make(const struct qconf *conf, const char *base, const char *doc_id,
			  char *out, size_t n, struct qerr *err)
{
	char hex[2 * EVP_MAX_MD_SIZE + 1];
	long long expires = (long long)time(NULL) + conf->file_url_ttl;
	enum qstatus st = sign(conf, doc_id, expires, hex, err);
	if (st == Q_OK)
		snprintf(out, n, "%s/api/v1/documents/%s/file?expires=%lld&signature=%s", base,
			 doc_id, expires, hex);
	return st;
}

enum qstatus fileurl_check(const struct qconf *conf, const char *doc_id, const char *expires,
			   const char *signature, struct qerr *err)
{
	char hex[2 * EVP_MAX_MD_SIZE + 1], *end;
	errno = 0;
	long long e = strtoll(expires, &end, 10);
	if (!*expires || *end || errno || e < (long long)time(NULL))
		return qerr_set(err, Q_EFORBIDDEN, NULL, "this file link is invalid or has expired");
	enum qstatus st = sign(conf, doc_id, e, hex, err);
	if (st != Q_OK)
		return st;
	if (strlen(signature) != strlen(hex) || CRYPTO_memcmp(signature, hex, strlen(hex)))
		return qerr_set(err, Q_EFORBIDDEN, NULL, "this file link is invalid or has expired");
	return Q_OK;
}
