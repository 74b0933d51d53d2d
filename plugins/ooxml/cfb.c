/* cfb.c: OLE2 compound files in memory (MS-CFB 2.2-2.6). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfb.h"

#define ENDOFCHAIN 0xFFFFFFFEu

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Sector s, of which at least need bytes must be in the file (writers
 * may cut the last sector short). */
static const unsigned char *sector_n(const struct cfb *c, uint32_t s, size_t need)
{
	size_t off = ((size_t)s + 1) * c->ssz;

	return s < 0xFFFFFFFAu && off < c->len && c->len - off >= need ? c->p + off : NULL;
}

static const unsigned char *sector(const struct cfb *c, uint32_t s)
{
	return sector_n(c, s, c->ssz);
}

/* Follow a chain in fat (sector size sz) from start over the sectors in
 * base (or the file when base is NULL), copying at most len bytes. */
static unsigned char *chain(const struct cfb *c, const uint32_t *fat, size_t nfat, uint32_t start,
			    size_t len, unsigned sz, const unsigned char *base, size_t baselen)
{
	unsigned char *out = malloc(len ? len : 1);
	size_t n = 0, steps = 0;
	uint32_t s = start;

	if (!out)
		return NULL;
	while (n < len) {
		const unsigned char *src;
		size_t k = len - n < sz ? len - n : sz;

		if (s >= nfat || ++steps > nfat)
			goto fail;
		if (base)
			src = (size_t)s * sz + sz <= baselen ? base + (size_t)s * sz : NULL;
		else
			src = sector_n(c, s, k);
		if (!src)
			goto fail;
		memcpy(out + n, src, k);
		n += k;
		s = fat[s];
	}
	return out;
fail:
	free(out);
	return NULL;
}

/* The whole chain's length in bytes (for the directory and mini FAT). */
static size_t chain_len(const struct cfb *c, uint32_t start)
{
	size_t n = 0;

	for (uint32_t s = start; s < c->nfat && n / c->ssz <= c->nfat; s = c->fat[s])
		n += c->ssz;
	return n;
}

static int load_fat(struct cfb *c)
{
	const unsigned char *h = c->p;
	uint32_t nfatsec = le32(h + 0x2C), difat = le32(h + 0x44), ndifat = le32(h + 0x48);
	size_t per = c->ssz / 4, k = 0, maxsec = c->len / c->ssz;

	if (nfatsec > maxsec)
		return -1;
	c->nfat = (size_t)nfatsec * per;
	c->fat = malloc(c->nfat * sizeof *c->fat + 1);
	if (!c->fat)
		return -1;
	for (size_t i = 0; i < 109 && k < nfatsec; i++, k++) {
		const unsigned char *s = sector(c, le32(h + 0x4C + 4 * i));

		if (!s)
			return -1;
		for (size_t j = 0; j < per; j++)
			c->fat[k * per + j] = le32(s + 4 * j);
	}
	for (uint32_t d = 0; d < ndifat && k < nfatsec; d++) {
		const unsigned char *ds = sector(c, difat);

		if (!ds)
			return -1;
		for (size_t i = 0; i + 1 < per && k < nfatsec; i++, k++) {
			const unsigned char *s = sector(c, le32(ds + 4 * i));

			if (!s)
				return -1;
			for (size_t j = 0; j < per; j++)
				c->fat[k * per + j] = le32(s + 4 * j);
		}
		difat = le32(ds + 4 * (per - 1));
	}
	return k == nfatsec ? 0 : -1;
}

int cfb_open(struct cfb *c, const unsigned char *p, size_t len)
{
	static const unsigned char magic[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
	unsigned shift;

	memset(c, 0, sizeof *c);
	c->p = p;
	c->len = len;
	if (len < 512 || memcmp(p, magic, 8) != 0)
		return -1;
	shift = p[0x1E] | p[0x1F] << 8;
	if (shift != 9 && shift != 12)
		return -1;
	c->ssz = 1u << shift;
	c->mssz = 64;
	c->cutoff = le32(p + 0x38);
	if (load_fat(c) < 0)
		goto fail;
	c->dirlen = chain_len(c, le32(p + 0x30));
	c->dir = chain(c, c->fat, c->nfat, le32(p + 0x30), c->dirlen, c->ssz, NULL, 0);
	if (!c->dir || c->dirlen < 128)
		goto fail;
	if (le32(p + 0x40)) {
		size_t ml = chain_len(c, le32(p + 0x3C));
		unsigned char *m = chain(c, c->fat, c->nfat, le32(p + 0x3C), ml, c->ssz, NULL, 0);

		if (!m)
			goto fail;
		c->nminifat = ml / 4;
		c->minifat = malloc(c->nminifat * sizeof *c->minifat + 1);
		for (size_t i = 0; c->minifat && i < c->nminifat; i++)
			c->minifat[i] = le32(m + 4 * i);
		free(m);
		if (!c->minifat)
			goto fail;
		/* The mini stream is the root entry's stream. */
		c->minilen = (size_t)le32(c->dir + 0x78);
		if (c->minilen > len)
			goto fail;
		c->mini = chain(c, c->fat, c->nfat, le32(c->dir + 0x74), c->minilen, c->ssz, NULL, 0);
		if (!c->mini)
			goto fail;
	}
	return 0;
fail:
	cfb_close(c);
	return -1;
}

static int name_is(const unsigned char *e, const char *name)
{
	size_t n = (e[0x40] | e[0x41] << 8) / 2, want = strlen(name);

	if (n == 0 || n - 1 != want || n > 32)
		return 0;
	for (size_t i = 0; i < want; i++)
		if (e[2 * i + 1] || (e[2 * i] | 32) != (name[i] | 32))
			return 0;
	return 1;
}

int cfb_stream(struct cfb *c, const char *name, unsigned char **out, size_t *outlen, size_t cap)
{
	for (size_t off = 0; off + 128 <= c->dirlen; off += 128) {
		const unsigned char *e = c->dir + off;
		uint32_t start = le32(e + 0x74);
		size_t size = (size_t)le32(e + 0x78);

		if (e[0x42] != 2 || !name_is(e, name))
			continue;
		if (size > cap)
			return -2;
		if (size > c->len * 2)
			return -1;
		if (size < c->cutoff)
			*out = c->mini ? chain(c, c->minifat, c->nminifat, start, size, c->mssz, c->mini,
					       c->minilen) : NULL;
		else
			*out = chain(c, c->fat, c->nfat, start, size, c->ssz, NULL, 0);
		*outlen = size;
		return *out ? 0 : -1;
	}
	return -1;
}

void cfb_close(struct cfb *c)
{
	free(c->fat);
	free(c->minifat);
	free(c->dir);
	free(c->mini);
	c->fat = c->minifat = NULL;
	c->dir = c->mini = NULL;
}
