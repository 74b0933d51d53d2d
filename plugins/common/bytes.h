/* bytes.h: little-endian readers and a bounds check shared by the plugins
 * that read binary formats (OLE2 streams, BIFF, Word, PowerPoint). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_BYTES_H
#define QUIRE_PLUGINS_BYTES_H

#include <stddef.h>
#include <stdint.h>

static inline unsigned pc_le16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static inline uint32_t pc_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t pc_le64(const unsigned char *p)
{
	return (uint64_t)pc_le32(p) | (uint64_t)pc_le32(p + 4) << 32;
}

/* Does [off, off + len) lie inside a buffer of n bytes? */
static inline int pc_in(size_t n, size_t off, size_t len)
{
	return off <= n && len <= n - off;
}

/* The value of one hexadecimal digit, or -1. */
static inline int pc_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

#endif
