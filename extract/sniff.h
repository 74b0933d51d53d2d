/* sniff.h: the type of an upload from its bytes (never its name or the
 * client's Content-Type), for the upload routes' early "unsupported file
 * type" answer. quire-extract sniffs again, thoroughly, in its sandbox. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_SNIFF_H
#define QUIRE_SNIFF_H

#include <stddef.h>

struct sniffed {
	const char *mime;    /* "application/pdf", ...; NULL when unsupported */
	const char *type;    /* "pdf", "docx", ... (file_type / ChatAid type) */
};

/* Sniff the file at path. Returns 0 (result in *out, mime NULL when the
 * type is not one Quire reads) or -1 when the file cannot be read. */
int sniff_file(const char *path, struct sniffed *out);
/* The same over the first len bytes of a file of total size. */
void sniff_bytes(const unsigned char *head, size_t len, size_t total, struct sniffed *out);

#endif
