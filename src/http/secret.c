/* secret.c: HMAC keys from a setting or a key file in the data directory. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "http/secret.h"
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

enum qstatus secret_get(const struct qconf *conf, const char *configured, const char *file,
			unsigned char *key, size_t *len, struct qerr *err)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	int fd = -1;
	enum qstatus st = Q_OK;
	if (configured[0]) {
		*len = strlen(configured);
		if (*len > SECRET_MAX)
			*len = SECRET_MAX;
		memcpy(key, configured, *len);
		return Q_OK;
	}
	*len = SECRET_FILE_LEN;
	qconf_datapath(conf, file, path);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
		if (read(fd, key, SECRET_FILE_LEN) != SECRET_FILE_LEN)
			st = qerr_set(err, Q_EINTERNAL, NULL, "the key file %s is damaged", file);
		goto out;
	}
	if (q_random(key, SECRET_FILE_LEN) < 0)
		return qerr_set(err, Q_EINTERNAL, NULL, "no random bytes available");
	snprintf(tmp, sizeof tmp, "%s.%ld", path, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0 ||
	    write(fd, key, SECRET_FILE_LEN) != SECRET_FILE_LEN || fsync(fd) < 0) {
		st = qerr_set(err, Q_EINTERNAL, NULL, "cannot write the key file %s: %s", file,
			      strerror(errno));
		unlink(tmp);
		goto out;
	}
	close(fd);
	fd = -1;
	/* link(2) fails when another process won: read its key instead. */
	if (link(tmp, path) < 0 && errno == EEXIST) {
		unlink(tmp);
		return secret_get(conf, configured, file, key, len, err);
	}
	unlink(tmp);
out:
	if (fd >= 0)
		close(fd);
	return st;
}
