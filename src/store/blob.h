/* blob.h: the content-addressed store of original uploads:
 * DATADIR/blobs/ab/abcdef… (SHA-256 of the bytes), written to a temporary
 * name, fsynced, renamed. Documents reference blobs by hash; a blob is
 * removed when no document references it (after the deleting commit). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_BLOB_H
#define QUIRE_BLOB_H

#include <stddef.h>
#include "base/status.h"

#define BLOB_HASH_HEX 65

/* Directory for temporary upload files on the blobs' filesystem (created);
 * out has PATH_MAX bytes. */
enum qstatus blob_tmpdir(const char *datadir, char *out, struct qerr *err);
/* Move tmp_path (consumed: renamed into place or unlinked) into the store;
 * sha receives its hex SHA-256, *size its length, *created 1 when the
 * bytes were not stored before. */
enum qstatus blob_put_file(const char *datadir, const char *tmp_path, char *sha,
			   unsigned long long *size, int *created, struct qerr *err);
/* Path of blob sha; out has PATH_MAX bytes. */
void blob_path(const char *datadir, const char *sha, char *out);
/* Remove blob sha; 0, or -1 when it was not there. */
int blob_remove(const char *datadir, const char *sha);
/* The blob store's lock, DATADIR/blobs/.lock (flock): an upload holds it
 * shared from storing (or reusing) its files until the documents that
 * reference them are committed; a blob that no document references is
 * removed only under it exclusive, after checking again in a transaction
 * (doc_blob_sweep). So a removal never takes the file from under an
 * upload that found it already stored. Returns the descriptor, or -1 when
 * the lock file cannot be opened (callers go on without it). */
int blob_lock(const char *datadir, int exclusive);
void blob_unlock(int fd);
/* 1 when s is 64 lowercase hex digits. */
int blob_hash_valid(const char *s);

#endif
