/* zipguard.h: opening an OOXML archive without trusting it. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_OOXML_ZIPGUARD_H
#define QUIRE_PLUGINS_OOXML_ZIPGUARD_H

#include "ooxml.h"

/* Check the archive on fd before libzip reads it (EOCD, entry count against
 * max_zip_entries, encrypted flags, compressed sizes against the file size,
 * overlapping entries), then open it with ZIP_CHECKCONS. fd stays the
 * caller's. Returns QUIRE_OK and sets ox->zip, or the reason it refuses. */
enum quire_result ox_zip_open(struct ox *ox, int fd);
/* The same checks, then libzip, on a package in memory (borrowed: it must
 * outlive the archive). */
enum quire_result ox_zip_open_mem(struct ox *ox, const unsigned char *mem, size_t len);
void ox_zip_close(struct ox *ox);

/* 1 when the file on fd is an OLE2 compound file (the wrapper of an
 * encrypted OOXML document); 0 otherwise. */
int ox_is_cfb(int fd);

/* Open the entry called name (a lookup key only, never a path). Returns 0,
 * or -1 when it is missing (ox->err untouched) or unreadable (ox->err set). */
int ox_entry_open(struct ox *ox, const char *name, struct ox_entry *e);
/* Read up to len bytes; 0 at the end, -1 on error or a cap (ox->err set). */
long ox_entry_read(struct ox_entry *e, void *buf, size_t len);
void ox_entry_close(struct ox_entry *e);
int ox_has_entry(struct ox *ox, const char *name);
/* 1 when part names a and b name one part: a leading '/' aside, compared
 * without case and with their %XX escapes decoded (ECMA-376 Part 2). */
int ox_part_eq(const char *a, const char *b);

#endif
