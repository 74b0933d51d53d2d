/* pptcrypt.c: encrypted PowerPoint 97-2003 presentations ([MS-PPT]
 * 2.3.7): RC4 CryptoAPI with the key of the CryptSession10Container that
 * the newest UserEditAtom names; every persist object of every edit is
 * decrypted in place, each with a fresh key for its persist id (its
 * record header first); the UserEditAtoms, PersistDirectoryAtoms and the
 * CryptSession10Container itself are in the clear. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "legacy.h"
#include "rc4.h"
#include "pptcrypt.h"
#include "out.h"
#include "crypt.h"

#define RT_USER_EDIT 0x0ff5
#define RT_PERSIST_DIR 0x1772
#define RT_CRYPT_SESSION 0x2f14
#define CU_ENCRYPTED 0xf3d1c4dfu
#define MAX_EDITS 4096

struct obj {
	uint32_t id, off;
};

struct objs {
	struct obj *v;
	size_t n, cap;
	size_t max;              /* a stream of n bytes holds at most n / 8 objects */
	uint32_t session;        /* the newest edit's encryptSessionPersistIdRef */
};

int lg_ppt_encrypted(GsfInfile *dir, const struct lg_bytes *cu)
{
	return lg_has(dir, "EncryptedSummary") ||
	       (cu->n >= 16 && pc_le32(cu->p + 12) == CU_ENCRYPTED);
}

/* A record header at off, its data inside the stream: type and length. */
static int rh(const unsigned char *s, size_t n, size_t off, unsigned *type, size_t *len)
{
	if (!pc_in(n, off, 8))
		return -1;
	*type = pc_le16(s + off + 2);
	*len = pc_le32(s + off + 4);
	return pc_in(n, off + 8, *len) ? 0 : -1;
}

static int add(struct objs *o, uint32_t id, uint32_t off)
{
	if (o->n >= o->max)   /* directories that repeat themselves */
		return -1;
	if (o->n == o->cap) {
		size_t c = o->cap ? 2 * o->cap : 64;
		struct obj *v = realloc(o->v, c * sizeof *v);

		if (!v)
			return -1;
		o->v = v;
		o->cap = c;
	}
	o->v[o->n].id = id;
	o->v[o->n++].off = off;
	return 0;
}

/* The entries of the PersistDirectoryAtom at off. */
static int directory(const unsigned char *s, size_t n, size_t off, struct objs *o)
{
	unsigned type;
	size_t len;

	if (rh(s, n, off, &type, &len) < 0 || type != RT_PERSIST_DIR)
		return -1;
	for (size_t i = 0; i + 4 <= len;) {
		uint32_t h = pc_le32(s + off + 8 + i), id = h & 0xfffff, cnt = h >> 20;

		i += 4;
		for (uint32_t k = 0; k < cnt && i + 4 <= len; k++, i += 4)
			if (add(o, id + k, pc_le32(s + off + 8 + i)) < 0)
				return -1;
	}
	return 0;
}

/* Every persist object of the edit chain from the newest (edit). */
static int chain(const unsigned char *s, size_t n, uint32_t edit, struct objs *o)
{
	for (int hops = 0; hops < MAX_EDITS; hops++) {
		unsigned type;
		size_t len;
		uint32_t last;

		if (rh(s, n, edit, &type, &len) < 0 || type != RT_USER_EDIT || len < 28)
			return -1;
		if (hops == 0)
			o->session = len >= 32 ? pc_le32(s + edit + 8 + 28) : 0;
		if (directory(s, n, pc_le32(s + edit + 8 + 12), o) < 0)
			return -1;
		last = pc_le32(s + edit + 8 + 8);
		if (last == 0 || last >= edit)
			return 0;
		edit = last;
	}
	return 0;
}

static int by_off(const void *a, const void *b)
{
	const struct obj *x = a, *y = b;

	return x->off < y->off ? -1 : x->off > y->off;
}

/* The CryptSession10Container's EncryptionInfo opened with the password. */
static enum quire_result session_key(struct lg *lg, const unsigned char *s, size_t n,
				     const struct objs *o, struct lg_key *k)
{
	enum quire_result r;
	unsigned type;
	size_t len;

	for (size_t i = 0; i < o->n; i++) {
		if (o->v[i].id != o->session)
			continue;
		if (rh(s, n, o->v[i].off, &type, &len) < 0 || type != RT_CRYPT_SESSION)
			break;
		r = lg_key_open(lg_password(lg), s + o->v[i].off + 8, len, k);
		if (r == QUIRE_UNSUPPORTED || r == QUIRE_CORRUPT || (r == QUIRE_OK && !k->capi)) {
			lg->host->log(QUIRE_LOG_INFO, "legacy: presentation encryption other than RC4 CryptoAPI (not read)");
			return QUIRE_ENCRYPTED;
		}
		return r;
	}
	lg->host->log(QUIRE_LOG_INFO, "legacy: no CryptSession10Container in the encrypted presentation");
	return QUIRE_ENCRYPTED;
}

/* Each object in offset order, none overlapping the one before. */
static enum quire_result decrypt_all(unsigned char *s, size_t n, struct objs *o, const struct lg_key *k)
{
	size_t done = 0;

	qsort(o->v, o->n, sizeof *o->v, by_off);
	for (size_t i = 0; i < o->n; i++) {
		struct obj *b = &o->v[i];
		struct lg_rc4 r;
		size_t len;

		if (b->id == o->session || (i && b->off == o->v[i - 1].off))
			continue;
		if (b->off < done || !pc_in(n, b->off, 8))
			return QUIRE_CORRUPT;
		if (lg_key_block(k, b->id, &r) < 0)
			return QUIRE_ERROR;
		lg_rc4_xor(&r, s + b->off, 8);
		len = pc_le32(s + b->off + 4);
		if (!pc_in(n, b->off + 8, len))
			return QUIRE_CORRUPT;
		lg_rc4_xor(&r, s + b->off + 8, len);
		done = b->off + 8 + len;
	}
	return QUIRE_OK;
}

enum quire_result lg_ppt_decrypt(struct lg *lg, unsigned char *s, size_t n,
				 const struct lg_bytes *cu)
{
	struct objs o = { .max = n / 8 + 16 };
	struct lg_key k;
	enum quire_result r;

	if (cu->n < 20 || chain(s, n, pc_le32(cu->p + 16), &o) < 0 || o.session == 0) {
		lg->host->log(QUIRE_LOG_INFO, "legacy: the encrypted presentation's edits cannot be followed");
		r = QUIRE_ENCRYPTED;
		goto out;
	}
	if ((r = session_key(lg, s, n, &o, &k)) != QUIRE_OK)
		goto out;
	r = decrypt_all(s, n, &o, &k);
out:
	free(o.v);
	return r;
}
