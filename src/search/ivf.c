/* ivf.c: the search cache's inverted file: centroids trained by spherical
 * k-means on a sample of the cached vectors, stored in T_STATS, and the
 * lists of cached slots by nearest centroid (see ivf.h). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "search/ivf.h"
#include "search/vcache_impl.h"
#include "search/vdot.h"
#include "embed/embed_builtin.h"
#include "base/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IVF_MAGIC 0x31465649u      /* "IVF1" */
#define IVF_ITERS 8                /* k-means rounds */
#define IVF_SAMPLE_PER_LIST 48     /* training vectors per centroid */

struct ivf_head {
	uint32_t magic, nlist, dims, pad;
	uint64_t gen;
};

void ivf_free(struct ivf *v)
{
	if (v) {
		free(v->cent);
		free(v->scale);
		free(v->gcent);
		free(v->gscale);
		free(v->gstart);
		free(v->gm);
	}
	free(v);
}

static struct ivf *ivf_new(unsigned nlist, unsigned dims)
{
	struct ivf *v = calloc(1, sizeof *v);
	if (!v)
		return NULL;
	v->nlist = nlist;
	v->dims = dims;
	v->stride = (dims + VEC_ALIGN - 1) / VEC_ALIGN * VEC_ALIGN;
	v->cent = aligned_alloc(VEC_ALIGN, (size_t)nlist * v->stride);
	v->scale = malloc(nlist * sizeof *v->scale);
	if (!v->cent || !v->scale) {
		ivf_free(v);
		return NULL;
	}
	memset(v->cent, 0, (size_t)nlist * v->stride);
	return v;
}

static uint32_t nearest_flat(const struct ivf *v, const int8_t *x)
{
	uint32_t best = 0;
	float bs = -INFINITY;
	for (uint32_t l = 0; l < v->nlist; l++) {
		float s = (float)vcache_dot(v->cent + (size_t)l * v->stride, x, v->stride) * v->scale[l];
		if (s > bs) {
			bs = s;
			best = l;
		}
	}
	return best;
}

uint32_t ivf_nearest(const struct ivf *v, const int8_t *x)
{
	if (!v->ngroups)
		return nearest_flat(v, x);
	uint32_t top[IVF_GROUPS_SEEN], best = 0;
	float ts[IVF_GROUPS_SEEN], bs = -INFINITY;
	unsigned nt = 0;
	for (uint32_t g = 0; g < v->ngroups; g++) {   /* the nearest groups, by insertion */
		float s = (float)vcache_dot(v->gcent + (size_t)g * v->stride, x, v->stride) * v->gscale[g];
		unsigned at = nt < IVF_GROUPS_SEEN ? nt++ : IVF_GROUPS_SEEN;
		for (; at > 0 && ts[at - 1] < s; at--)
			if (at < IVF_GROUPS_SEEN) {
				ts[at] = ts[at - 1];
				top[at] = top[at - 1];
			}
		if (at < IVF_GROUPS_SEEN) {
			ts[at] = s;
			top[at] = g;
		}
	}
	for (unsigned t = 0; t < nt; t++)
		for (uint32_t j = v->gstart[top[t]]; j < v->gstart[top[t] + 1]; j++) {
			uint32_t l = v->gm[j];
			float s = (float)vcache_dot(v->cent + (size_t)l * v->stride, x, v->stride) * v->scale[l];
			if (s > bs || (s == bs && l < best)) {
				bs = s;
				best = l;
			}
		}
	return best;
}

struct ranked {
	float s;
	uint32_t l;
};

static int by_score(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	return x->s > y->s ? -1 : x->s < y->s ? 1 : (x->l > y->l) - (x->l < y->l);
}

void ivf_rank(const struct ivf *v, const int8_t *q, uint32_t *order)
{
	struct ranked *r = malloc(v->nlist * sizeof *r);
	if (!r) {   /* no memory: every list, in number order */
		for (uint32_t l = 0; l < v->nlist; l++)
			order[l] = l;
		return;
	}
	for (uint32_t l = 0; l < v->nlist; l++) {
		r[l].s = (float)vcache_dot(v->cent + (size_t)l * v->stride, q, v->stride) * v->scale[l];
		r[l].l = l;
	}
	qsort(r, v->nlist, sizeof *r, by_score);
	for (uint32_t l = 0; l < v->nlist; l++)
		order[l] = r[l].l;
	free(r);
}

/* ---- groups of centroids ------------------------------------------------------ */

/* Group the centroids (about sqrt(nlist) groups, each centroid in its
 * nearest group's centre, centres the normalised means; a few rounds).
 * Out of memory: no groups (every centroid compared). */
static void group(struct ivf *v)
{
	unsigned G = (unsigned)sqrt((double)v->nlist);
	if (v->nlist < 64)
		return;
	float *sum = calloc((size_t)G * v->dims, sizeof *sum);
	uint32_t *of = malloc(v->nlist * sizeof *of);
	v->gcent = aligned_alloc(VEC_ALIGN, (size_t)G * v->stride);
	v->gscale = malloc(G * sizeof *v->gscale);
	v->gstart = calloc(G + 1, sizeof *v->gstart);
	v->gm = malloc(v->nlist * sizeof *v->gm);
	if (!sum || !of || !v->gcent || !v->gscale || !v->gstart || !v->gm)
		goto out;
	memset(v->gcent, 0, (size_t)G * v->stride);
	for (unsigned g = 0; g < G; g++) {   /* seeds: centroids spread over the numbers */
		memcpy(v->gcent + (size_t)g * v->stride, v->cent + (size_t)(g * v->nlist / G) * v->stride,
		       v->stride);
		v->gscale[g] = v->scale[g * v->nlist / G];
	}
	v->ngroups = G;
	for (int round = 0; round < 6; round++) {
		struct ivf tmp = {G, v->dims, v->stride, 0, v->gcent, v->gscale, 0, NULL, NULL, NULL, NULL};
		memset(sum, 0, (size_t)G * v->dims * sizeof *sum);
		for (unsigned l = 0; l < v->nlist; l++) {
			of[l] = nearest_flat(&tmp, v->cent + (size_t)l * v->stride);
			for (unsigned k = 0; k < v->dims; k++)
				sum[(size_t)of[l] * v->dims + k] += v->cent[(size_t)l * v->stride + k] * v->scale[l];
		}
		for (unsigned g = 0; g < G; g++) {
			double n2 = 0;
			float *m = sum + (size_t)g * v->dims;
			for (unsigned k = 0; k < v->dims; k++)
				n2 += (double)m[k] * m[k];
			if (n2 <= 0)
				continue;   /* empty: keep its centre */
			for (unsigned k = 0; k < v->dims; k++)
				m[k] /= (float)sqrt(n2);
			embed_quantize(m, v->dims, v->gcent + (size_t)g * v->stride, &v->gscale[g]);
			for (unsigned k = 0; k < v->dims; k++)
				if (v->gcent[(size_t)g * v->stride + k] == -128)
					v->gcent[(size_t)g * v->stride + k] = -127;
		}
	}
	for (unsigned l = 0; l < v->nlist; l++)
		v->gstart[of[l] + 1]++;
	for (unsigned g = 0; g < G; g++)
		v->gstart[g + 1] += v->gstart[g];
	uint32_t *fill = calloc(G, sizeof *fill);
	if (!fill)
		goto out;
	for (unsigned l = 0; l < v->nlist; l++)
		v->gm[v->gstart[of[l]] + fill[of[l]]++] = l;
	free(fill);
	free(sum);
	free(of);
	return;
out:
	v->ngroups = 0;
	free(sum);
	free(of);
}

/* ---- stored centroids ------------------------------------------------------- */

struct ivf *ivf_parse(const char *raw, size_t len)
{
	struct ivf_head h;
	if (len < sizeof h)
		return NULL;
	memcpy(&h, raw, sizeof h);
	if (h.magic != IVF_MAGIC || !h.nlist || h.nlist > IVF_LISTS_MAX || !h.dims || h.dims > 65536 ||
	    len != sizeof h + (size_t)h.nlist * (sizeof(float) + h.dims))
		return NULL;
	struct ivf *v = ivf_new(h.nlist, h.dims);
	if (!v)
		return NULL;
	v->gen = h.gen;
	memcpy(v->scale, raw + sizeof h, h.nlist * sizeof(float));
	const int8_t *x = (const int8_t *)(raw + sizeof h + h.nlist * sizeof(float));
	for (unsigned l = 0; l < h.nlist; l++)
		for (unsigned k = 0; k < h.dims; k++)
			v->cent[(size_t)l * v->stride + k] = x[(size_t)l * h.dims + k] == -128 ? -127 : x[(size_t)l * h.dims + k];
	group(v);
	return v;
}

void *ivf_serialize(const struct ivf *v, size_t *len)
{
	struct ivf_head h = {IVF_MAGIC, v->nlist, v->dims, 0, v->gen};
	*len = sizeof h + (size_t)v->nlist * (sizeof(float) + v->dims);
	char *buf = malloc(*len);
	if (!buf)
		return NULL;
	memcpy(buf, &h, sizeof h);
	memcpy(buf + sizeof h, v->scale, v->nlist * sizeof(float));
	for (unsigned l = 0; l < v->nlist; l++)
		memcpy(buf + sizeof h + v->nlist * sizeof(float) + (size_t)l * v->dims,
		       v->cent + (size_t)l * v->stride, v->dims);
	return buf;
}

/* ---- training ----------------------------------------------------------------- */

static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Centroid l from the float sum of its members (unit length, int8). */
static void set_centroid(struct ivf *v, unsigned l, float *sum)
{
	double n2 = 0;
	for (unsigned k = 0; k < v->dims; k++)
		n2 += (double)sum[k] * sum[k];
	float inv = n2 > 0 ? (float)(1 / sqrt(n2)) : 0;
	for (unsigned k = 0; k < v->dims; k++)
		sum[k] *= inv;
	embed_quantize(sum, v->dims, v->cent + (size_t)l * v->stride, &v->scale[l]);
	int8_t *x = v->cent + (size_t)l * v->stride;
	for (unsigned k = 0; k < v->dims; k++)
		x[k] = x[k] == -128 ? -127 : x[k];
}

/* The sample's slot as a unit float vector, added to acc. */
static void add_unit(const struct vcache *c, size_t slot, float *acc)
{
	const int8_t *x = c->vec + slot * c->stride;
	double n2 = 0;
	for (unsigned k = 0; k < c->dims; k++)
		n2 += (double)x[k] * x[k];
	float inv = n2 > 0 ? (float)(1 / sqrt(n2)) : 0;
	for (unsigned k = 0; k < c->dims; k++)
		acc[k] += (float)x[k] * inv;
}

/* k-means rounds over the sample slots; assign gets each one's list. */
static int kmeans(const struct vcache *c, struct ivf *v, const size_t *sample, size_t ns,
		  uint32_t *assign, uint64_t *seed)
{
	float *sums = calloc((size_t)v->nlist * v->dims, sizeof *sums);
	uint32_t *count = malloc(v->nlist * sizeof *count);
	if (!sums || !count) {
		free(sums);
		free(count);
		return -1;
	}
	for (unsigned it = 0; it < IVF_ITERS; it++) {
		memset(sums, 0, (size_t)v->nlist * v->dims * sizeof *sums);
		memset(count, 0, v->nlist * sizeof *count);
		for (size_t s = 0; s < ns; s++) {
			assign[s] = nearest_flat(v, c->vec + sample[s] * c->stride);
			add_unit(c, sample[s], sums + (size_t)assign[s] * v->dims);
			count[assign[s]]++;
		}
		for (unsigned l = 0; l < v->nlist; l++) {
			float *sum = sums + (size_t)l * v->dims;
			if (!count[l])   /* empty: restart it at a random sample vector */
				add_unit(c, sample[rnd(seed) % ns], sum);
			set_centroid(v, l, sum);
		}
	}
	free(sums);
	free(count);
	return 0;
}

static unsigned auto_lists(size_t n)
{
	unsigned l = (unsigned)sqrt((double)n);
	return l < 16 ? 16 : l > 1024 ? 1024 : l;
}

struct ivf *ivf_kmeans(const struct vcache *c, unsigned nlist)
{
	uint64_t seed = 0x9e3779b97f4a7c15ull ^ (uint64_t)c->n;
	if (!c->vectors_cached || !c->n || !c->dims)
		return NULL;
	if (!nlist)
		nlist = auto_lists(c->n);
	if (nlist > IVF_LISTS_MAX)
		nlist = IVF_LISTS_MAX;
	if (nlist > c->n)
		nlist = (unsigned)c->n;
	size_t ns = (size_t)nlist * IVF_SAMPLE_PER_LIST < c->n ? (size_t)nlist * IVF_SAMPLE_PER_LIST : c->n;
	struct ivf *v = ivf_new(nlist, c->dims);
	size_t *sample = malloc(ns * sizeof *sample);
	uint32_t *assign = malloc(ns * sizeof *assign);
	float *tmp = calloc(c->dims, sizeof *tmp);
	if (!v || !sample || !assign || !tmp)
		goto fail;
	for (size_t s = 0; s < ns; s++)   /* spread evenly over the slots */
		sample[s] = (size_t)((double)s * (double)c->n / (double)ns);
	for (unsigned l = 0; l < nlist; l++) {   /* seeds: distinct sample vectors */
		memset(tmp, 0, c->dims * sizeof *tmp);
		add_unit(c, sample[(size_t)l * ns / nlist], tmp);
		set_centroid(v, l, tmp);
	}
	if (kmeans(c, v, sample, ns, assign, &seed))
		goto fail;
	v->gen = rnd(&seed) ^ (uint64_t)q_now_us();
	group(v);
	goto out;
fail:
	ivf_free(v);
	v = NULL;
out:
	free(sample);
	free(assign);
	free(tmp);
	return v;
}
