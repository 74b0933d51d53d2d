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
#include "base/status.h"
#include "store/store.h"
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

/* Lists of a cache's slots: members of list l are s[l][0 .. n[l]). */
struct ivf_lists {
	uint32_t **s;
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

/* Keep c's centroids current with those stored for its model (read in t:
 * a small record per call, the centroids only when they changed), every
 * cached vector in its list. Q_OK without centroids (c->ivf NULL). */
enum qstatus ivf_sync(struct vcache *c, struct stxn *t, struct qerr *err);

/* Slot i's vector is new or changed: put it in its list. -1 when out of
 * memory (the lists are then dropped: exact or prefiltered scans). */
int ivf_slot_put(struct vcache *c, size_t i);
/* Slot i leaves its list; then the last slot (last, when not i) moves to
 * i. Call before the cache moves it. */
void ivf_slot_del(struct vcache *c, size_t i, size_t last);
/* Drop the lists and centroids of c. */
void ivf_drop(struct vcache *c);

/* Train nlist centroids (0: about the square root of the cached vectors,
 * at least 16, at most 1024) from a sample of c's cached vectors with
 * spherical k-means, store them for c's model in t, and put c's vectors in
 * their lists. Q_EINVAL when c holds no vectors. */
enum qstatus ivf_train(struct vcache *c, struct stxn *t, unsigned nlist, struct qerr *err);

#endif
