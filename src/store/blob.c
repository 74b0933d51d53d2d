/* blob.c: content-addressed original files. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "store/blob.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static int mkdirs(const char *path, mode_t mode)
{
	if (mkdir(path, mode) == 0 || errno == EEXIST)
		return 0;
	return -1;
}

enum qstatus blob_tmpdir(const char *datadir, char *out, struct qerr *err)
{
	char blobs[PATH_MAX];
	snprintf(blobs, sizeof blobs, "%s/blobs", datadir);
	snprintf(out, PATH_MAX, "%s/blobs/tmp", datadir);
	if (mkdirs(blobs, 0750) < 0 || mkdirs(out, 0750) < 0)
		return qerr_set(err, Q_EINTERNAL, NULL, "cannot create %s: %s", out, strerror(errno));
	return Q_OK;
}

int blob_hash_valid(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
			return 0;
	return n == 64;
}

void blob_path(const char *datadir, const char *sha, char *out)
{
	snprintf(out, PATH_MAX, "%s/blobs/%.2s/%s", datadir, sha, sha);
}

/* q_read_each's piece of hash_fd: into the digest at arg. */
static int hash_piece(const void *p, size_t n, void *arg)
{
	return EVP_DigestUpdate(arg, p, n) ? 0 : -1;
}

static int hash_fd(int fd, char *sha, unsigned long long *size)
{
	unsigned char md[32];
	unsigned int mdlen = sizeof md;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int rc = -1;
	*size = 0;
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		goto out;
	if (q_read_each(fd, hash_piece, ctx, size) != 0 || !EVP_DigestFinal_ex(ctx, md, &mdlen))
		goto out;
	q_hex(md, 32, sha);
	rc = 0;
out:
	EVP_MD_CTX_free(ctx);
	return rc;
}

enum qstatus blob_put_file(const char *datadir, const char *tmp_path, char *sha,
			   unsigned long long *size, int *created, struct qerr *err)
{
	char dir[PATH_MAX], final[PATH_MAX];
	enum qstatus st = Q_OK;
	int fd = open(tmp_path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return qerr_set(err, Q_EINTERNAL, NULL, "cannot read the upload: %s", strerror(errno));
	if (hash_fd(fd, sha, size) < 0 || fsync(fd) < 0) {
		st = qerr_set(err, errno == ENOSPC ? Q_ENOSPACE : Q_EINTERNAL, NULL,
			      "cannot store the upload: %s", strerror(errno));
		goto out;
	}
	snprintf(dir, sizeof dir, "%s/blobs/%.2s", datadir, sha);
	if (mkdirs(dir, 0750) < 0) {
		st = qerr_set(err, Q_EINTERNAL, NULL, "cannot create %s: %s", dir, strerror(errno));
		goto out;
	}
	blob_path(datadir, sha, final);
	*created = 0;
	if (access(final, F_OK) == 0) {
		unlink(tmp_path);   /* same bytes are already stored */
		goto out;
	}
	if (rename(tmp_path, final) < 0) {
		st = qerr_set(err, Q_EINTERNAL, NULL, "cannot store the upload: %s", strerror(errno));
		goto out;
	}
	*created = 1;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
out:
	close(fd);
	if (st != Q_OK)
		unlink(tmp_path);
	return st;
}

int blob_lock(const char *datadir, int exclusive)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	if (blob_tmpdir(datadir, tmp, NULL) != Q_OK)
		return -1;
	snprintf(path, sizeof path, "%s/blobs/.lock", datadir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0)
		return -1;
	while (flock(fd, exclusive ? LOCK_EX : LOCK_SH) < 0) {
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

void blob_unlock(int fd)
{
	if (fd >= 0)
		close(fd);   /* releases the flock */
}

int blob_remove(const char *datadir, const char *sha)
{
	char path[PATH_MAX];
	if (!blob_hash_valid(sha))
		return -1;
	blob_path(datadir, sha, path);
	return unlink(path);
}
