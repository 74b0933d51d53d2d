/* ivf.h: the inverted-file vector index of the search cache: k-means
 * centroids of the model's vectors, stored in T_STATS and trained from a
 * sample of the cached vectors; each cached vector sits in the list of its
 * nearest centroid, so a query scans only the lists nearest to it
 * (vscan.c). See docs/search.md, "Past search_exact_max: an inverted file". */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_SEARCH_IVF_H
#define QUIRE_SEARCH_IVF_H

#include <stddef.h>
#include <stdint.h>
#include "search/vcache_impl.h"

#define IVF_NONE UINT32_MAX        /* a slot in no list (no centroids) */
#define IVF_LISTS_MAX 4096

/* Centroids: nlist unit vectors, int8 (stride bytes each, aligned) with
 * their scales. */
struct ivf {
	unsigned nlist, dims, stride;
	uint64_t gen;                  /* changes at every training */
	int8_t *cent;
	float *scale;
	/* groups of nearby centroids, so that putting a vector in its list
	 * compares it with a few groups' centroids rather than all: group g's
	 * centre is gcent[g], its members gm[gstart[g] .. gstart[g + 1]) */
	unsigned ngroups;
	int8_t *gcent;
	float *gscale;
	uint32_t *gstart, *gm;
};

/* Lists of a cache's slots: members of list l are s[l][0 .. n[l]); sg[l]
 * holds their codes' sign bits apart, VBITS(dims) words a member in the
 * same order (the first pass of a probe reads them alone). */
struct ivf_lists {
	uint32_t **s;
	uint64_t **sg;
	uint32_t *n, *cap;
};

void ivf_free(struct ivf *v);

/* The nearest centroid of an int8 vector (stride bytes, aligned): among
 * the members of its IVF_GROUPS_SEEN nearest groups when v has groups. */
#define IVF_GROUPS_SEEN 3
uint32_t ivf_nearest(const struct ivf *v, const int8_t *x);

/* The lists of v ordered by nearness to the query (int8, stride bytes):
 * order gets v->nlist list numbers, nearest first. */
void ivf_rank(const struct ivf *v, const int8_t *q, uint32_t *order);

/* Centroids of the stored form (ivf_serialize's); NULL when damaged or
 * out of memory. New; free with ivf_free. */
struct ivf *ivf_parse(const char *raw, size_t len);
/* The stored form of v: new (free), *len bytes; NULL when out of memory. */
void *ivf_serialize(const struct ivf *v, size_t *len);

/* Train nlist centroids (0: about the square root of the cached vectors,
 * at least 16, at most 1024) from a sample of c's cached vectors with
 * spherical k-means, grouped. New (free with ivf_free); NULL when c holds
 * no vectors or out of memory. */
struct ivf *ivf_kmeans(const struct vcache *c, unsigned nlist);

#endif
