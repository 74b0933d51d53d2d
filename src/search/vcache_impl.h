/* vcache_impl.h: the search cache's tables, shared by vcache.c (tables,
 * change log, sync) and vscan.c (filters, the dot-product kernel, scans).
 * Not for other modules: they use vcache.h. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_VCACHE_IMPL_H
#define QUIRE_VCACHE_IMPL_H

#include "search/vcache.h"

struct ivf;
struct ivf_lists;

#define VEC_ALIGN 64     /* vectors and queries: aligned, padded to a multiple */
#define VBITS(dims) (((dims) + 63) / 64)
/* Words of a vector's 2-bit code: its sign bits, then its magnitude bits. */
#define VCODE(dims) (2 * VBITS(dims))
#define VDOC_UNKNOWN 0   /* not read yet, or deleted: read again when needed */
#define VDOC_PRESENT 1

/* One document's filter fields; strings are atoms (0 = none). */
struct vdoc {
	char id[37];
	uint8_t state;
	uint8_t enabled, archived;
	uint8_t global;                  /* seen by every org of the account */
	uint32_t account, kb, org, folder;
	uint32_t roles, nroles;          /* c->roles[roles .. roles + nroles) */
};

struct vcache {
	int loaded;
	uint64_t epoch, seq;
	size_t max_bytes;
	char model[192];                 /* "" = no vectors held */
	/* documents and the strings of their fields */
	struct vdoc *docs;
	size_t ndocs, docs_cap;
	uint32_t *doc_tab;               /* index + 1 by hash of the id, 0 empty */
	size_t doc_tcap;
	char **atoms;                    /* atoms[0] unused */
	size_t natoms, atoms_cap;
	uint32_t *atom_tab;
	size_t atom_tcap;
	uint32_t *roles;
	size_t nroles, roles_cap;
	/* vectors: slot i is ref[i], scale[i], vec[i * stride .. + dims) */
	int vectors_cached;
	unsigned dims, stride;
	int8_t *vec;
	uint64_t *bits;                  /* 2-bit codes, words per slot: VCODE(dims) */
	float *scale;
	vref *ref;
	uint64_t *skey;                  /* per slot: a hash of its vector (vcache_sample) */
	size_t n, cap;
	struct vmap slots;               /* ref -> slot */
	/* the inverted file (ivf.c): centroids, NULL without; per slot its
	 * list and place in it (lcap slots allocated) */
	struct ivf *ivf;
	struct ivf_lists *lists;
	uint32_t *lst, *lpos;
	size_t lcap;
	uint64_t ivf_refused;            /* centroids' generation that did not fit */
	size_t ivf_refused_n;            /* ... when the cache held this many vectors */
	struct vcache_stats stats;
};

#endif
