/* cfb.h: a reader of OLE2 compound files (MS-CFB) held in memory, enough to
 * take streams out of the wrapper of an encrypted OOXML package and out of
 * embedded OLE objects. Every chain walk is bounded by the sector count. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_CFB_H
#define QUIRE_CFB_H

#include <stddef.h>
#include <stdint.h>

struct cfb {
	const unsigned char *p;   /* borrowed, valid while the cfb is used */
	size_t len;
	unsigned ssz, mssz;       /* sector and mini sector sizes */
	uint32_t *fat, *minifat;  /* owned */
	size_t nfat, nminifat;
	unsigned char *dir;       /* the directory stream, owned */
	size_t dirlen;
	unsigned char *mini;      /* the mini stream, owned */
	size_t minilen;
	uint32_t cutoff;
};

/* 0 when p holds a readable compound file; -1 otherwise. */
int cfb_open(struct cfb *c, const unsigned char *p, size_t len);
/* The stream called name (ASCII, compared case-insensitively, anywhere in
 * the tree) into *out (new, caller frees with free()). Streams larger than
 * cap are refused. 0 on success, -1 missing or unreadable, -2 over cap. */
int cfb_stream(struct cfb *c, const char *name, unsigned char **out, size_t *outlen, size_t cap);
void cfb_close(struct cfb *c);

#endif
