/* secret.h: the installation's HMAC keys (signed file links, upload
 * tokens): a configured string, else random bytes kept in a file of the
 * data directory, created once by whichever process needs them first. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_SECRET_H
#define QUIRE_SECRET_H

#include <stddef.h>
#include "base/conf.h"
#include "base/status.h"

#define SECRET_FILE_LEN 32    /* random bytes of a key file */
#define SECRET_MAX 256        /* room the caller gives key */

/* The key: configured (a setting's value) when not empty, else the
 * SECRET_FILE_LEN bytes of DATADIR/file (written 0600 when missing; a
 * racing process reads the winner's). key has SECRET_MAX bytes; *len
 * gets its length. The caller wipes key (OPENSSL_cleanse) after use. */
enum qstatus secret_get(const struct qconf *conf, const char *configured, const char *file,
			unsigned char *key, size_t *len, struct qerr *err);

#endif
