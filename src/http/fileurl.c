/* fileurl.c: signed, expiring download links (HMAC-SHA256) for originals. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "http/fileurl.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SECRET_LEN 32

/* The secret: file_url_secret from quire.conf, else DATADIR/file-url.key
 * (SECRET_LEN random bytes, written once, 0600, by whichever process needs
 * it first; a racing process reads the winner's). */
static enum qstatus secret_get(const struct qconf *conf, unsigned char *key, size_t *len,
			       struct qerr *err)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	int fd = -1;
	enum qstatus st = Q_OK;
	if (conf->file_url_secret[0]) {
		*len = strlen(conf->file_url_secret);
		memcpy(key, conf->file_url_secret, *len);
		return Q_OK;
	}
	*len = SECRET_LEN;
	qconf_datapath(conf, "file-url.key", path);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		if (read(fd, key, SECRET_LEN) != SECRET_LEN)
			st = qerr_set(err, Q_EINTERNAL, NULL, "the file link key is damaged");
		goto out;
	}
	if (q_random(key, SECRET_LEN) < 0)
		return qerr_set(err, Q_EINTERNAL, NULL, "no random bytes available");
	snprintf(tmp, sizeof tmp, "%s.%ld", path, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0 ||
	    write(fd, key, SECRET_LEN) != SECRET_LEN || fsync(fd) < 0) {
		st = qerr_set(err, Q_EINTERNAL, NULL, "cannot write the file link key: %s",
			      strerror(errno));
		unlink(tmp);
		goto out;
	}
	close(fd);
	fd = -1;
	/* link(2) fails when another process won: read its key instead. */
	if (link(tmp, path) < 0 && errno == EEXIST) {
		unlink(tmp);
		return secret_get(conf, key, len, err);
	}
	unlink(tmp);
out:
	if (fd >= 0)
		close(fd);
	return st;
}

static enum qstatus sign(const struct qconf *conf, const char *doc_id, long long expires,
			 char *hex, struct qerr *err)
{
	unsigned char key[SECRET_LEN > 256 ? SECRET_LEN : 256], mac[EVP_MAX_MD_SIZE];
	unsigned maclen = 0;
	size_t klen;
	char msg[128];
	enum qstatus st = secret_get(conf, key, &klen, err);
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
