/* ivf.c: the search cache's inverted file: centroids trained by spherical
 * k-means on a sample of the cached vectors, stored in T_STATS, and the
 * lists of cached slots by nearest centroid (see ivf.h). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "search/ivf.h"
#include "search/vcache_impl.h"
#include "search/vscan.h"
#include "embed/embed_builtin.h"
#include "store/store.h"
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

/* ---- lists of slots -------------------------------------------------------- */

static void lists_free(struct ivf_lists *L, unsigned nlist)
{
	if (!L)
		return;
	for (unsigned l = 0; L->s && l < nlist; l++)
		free(L->s[l]);
	free(L->s);
	free(L->n);
	free(L->cap);
	free(L);
}

void ivf_drop(struct vcache *c)
{
	lists_free(c->lists, c->ivf ? c->ivf->nlist : 0);
	ivf_free(c->ivf);
	free(c->lst);
	free(c->lpos);
	c->lists = NULL;
	c->ivf = NULL;
	c->lst = c->lpos = NULL;
	c->lcap = 0;
}

static int slots_fit(struct vcache *c, size_t i)
{
	if (i < c->lcap)
		return 0;
	size_t na = c->cap > i ? c->cap : i + 1;
	uint32_t *a = realloc(c->lst, na * sizeof *a);
	if (a)
		c->lst = a;
	uint32_t *b = realloc(c->lpos, na * sizeof *b);
	if (b)
		c->lpos = b;
	if (!a || !b)
		return -1;
	for (size_t k = c->lcap; k < na; k++)
		c->lst[k] = IVF_NONE;
	c->lcap = na;
	return 0;
}

static int list_add(struct ivf_lists *L, uint32_t l, uint32_t slot, uint32_t *pos)
{
	if (L->n[l] == L->cap[l]) {
		uint32_t na = L->cap[l] ? L->cap[l] * 2 : 16;
		uint32_t *p = realloc(L->s[l], na * sizeof *p);
		if (!p)
			return -1;
		L->s[l] = p;
		L->cap[l] = na;
	}
	*pos = L->n[l];
	L->s[l][L->n[l]++] = slot;
	return 0;
}

/* Slot i leaves its list: the list's last member takes its place. */
static void list_remove(struct vcache *c, size_t i)
{
	uint32_t l = c->lst[i];
	if (l == IVF_NONE)
		return;
	struct ivf_lists *L = c->lists;
	uint32_t p = c->lpos[i], moved = L->s[l][--L->n[l]];
	L->s[l][p] = moved;
	c->lpos[moved] = p;
	c->lst[i] = IVF_NONE;
}

int ivf_slot_put(struct vcache *c, size_t i)
{
	if (!c->ivf)
		return 0;
	if (slots_fit(c, i))
		goto fail;
	uint32_t l = ivf_nearest(c->ivf, c->vec + i * c->stride);
	if (c->lst[i] == l)
		return 0;
	list_remove(c, i);
	if (list_add(c->lists, l, (uint32_t)i, &c->lpos[i]))
		goto fail;
	c->lst[i] = l;
	return 0;
fail:
	ivf_drop(c);
	return -1;
}

void ivf_slot_del(struct vcache *c, size_t i, size_t last)
{
	if (!c->ivf || i >= c->lcap)
		return;
	list_remove(c, i);
	if (last == i || last >= c->lcap || c->lst[last] == IVF_NONE)
		return;
	/* the last slot becomes slot i: its list entry follows */
	c->lst[i] = c->lst[last];
	c->lpos[i] = c->lpos[last];
	c->lists->s[c->lst[i]][c->lpos[i]] = (uint32_t)i;
	c->lst[last] = IVF_NONE;
}

/* Move slot `from` to `to` (vector, code, scale, reference). */
static void slot_move(struct vcache *c, size_t to, size_t from)
{
	size_t w = VCODE(c->dims);
	memcpy(c->vec + to * c->stride, c->vec + from * c->stride, c->stride);
	memcpy(c->bits + to * w, c->bits + from * w, w * sizeof *c->bits);
	c->scale[to] = c->scale[from];
	c->ref[to] = c->ref[from];
}

/* Renumber the slots list by list, so a list's vectors lie together in
 * memory and a probe reads them in order: a permutation in place, cycle by
 * cycle (src[i]: the slot that moves to i), through one spare slot (the
 * one past the last: slots_grow keeps cap above n, or none is done). */
static void cluster(struct vcache *c)
{
	struct ivf_lists *L = c->lists;
	uint32_t *src = malloc(c->n * sizeof *src);
	uint8_t *done = calloc(c->n, 1);
	size_t at = 0, spare = c->n;
	if (!src || !done || c->cap <= c->n)
		goto out;
	for (unsigned l = 0; l < c->ivf->nlist; l++)
		for (uint32_t j = 0; j < L->n[l]; j++)
			src[at++] = L->s[l][j];
	if (at != c->n)
		goto out;
	for (size_t i = 0; i < c->n; i++) {
		if (done[i] || src[i] == i) {
			done[i] = 1;
			continue;
		}
		slot_move(c, spare, i);
		size_t cur = i;
		while (src[cur] != i) {
			slot_move(c, cur, src[cur]);
			done[cur] = 1;
			cur = src[cur];
		}
		slot_move(c, cur, spare);
		done[cur] = 1;
	}
	at = 0;
	for (unsigned l = 0; l < c->ivf->nlist; l++)
		for (uint32_t j = 0; j < L->n[l]; j++, at++) {
			L->s[l][j] = (uint32_t)at;
			c->lst[at] = l;
			c->lpos[at] = j;
			vmap_put(&c->slots, c->ref[at], (uint32_t)at);   /* existing key */
		}
out:
	free(src);
	free(done);
}

/* Install centroids v in c (taking them) and put every slot in its list. */
static int install(struct vcache *c, struct ivf *v)
{
	ivf_drop(c);
	c->ivf = v;
	group(v);
	if (!(c->lists = calloc(1, sizeof *c->lists)) ||
	    !(c->lists->s = calloc(v->nlist, sizeof *c->lists->s)) ||
	    !(c->lists->n = calloc(v->nlist, sizeof *c->lists->n)) ||
	    !(c->lists->cap = calloc(v->nlist, sizeof *c->lists->cap)))
		goto fail;
	for (size_t i = 0; i < c->n; i++)
		if (ivf_slot_put(c, i))
			return -1;   /* dropped */
	cluster(c);
	return 0;
fail:
	ivf_drop(c);
	return -1;
}

/* ---- stored centroids ------------------------------------------------------- */

static void keys(const struct vcache *c, char *cent, char *gen, size_t n)
{
	snprintf(cent, n, "ivf:%s", c->model);
	snprintf(gen, n, "ivfgen:%s", c->model);
}

static struct ivf *parse(const char *raw, size_t len)
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
	return v;
}

enum qstatus ivf_sync(struct vcache *c, struct stxn *t, struct qerr *err)
{
	char ck[STORE_KEY_MAX], gk[STORE_KEY_MAX], *raw = NULL;
	size_t len;
	uint64_t gen = 0;
	if (!*c->model || !c->vectors_cached) {
		ivf_drop(c);
		return Q_OK;
	}
	keys(c, ck, gk, sizeof ck);
	enum qstatus st = store_get_raw(t, T_STATS, gk, &raw, &len, err);
	if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		ivf_drop(c);
		return Q_OK;
	}
	if (st != Q_OK)
		return st;
	if (len == sizeof gen)
		memcpy(&gen, raw, sizeof gen);
	free(raw);
	if (c->ivf && c->ivf->gen == gen)
		return Q_OK;
	if ((st = store_get_raw(t, T_STATS, ck, &raw, &len, err)) == Q_ENOTFOUND) {
		qerr_clear(err);
		ivf_drop(c);
		return Q_OK;
	}
	if (st != Q_OK)
		return st;
	struct ivf *v = parse(raw, len);
	free(raw);
	if (!v || v->dims != c->dims || v->gen != gen) {   /* another model's, or damaged */
		ivf_free(v);
		ivf_drop(c);
		return Q_OK;
	}
	install(c, v);   /* out of memory: no lists, the scans without them */
	return Q_OK;
}

static enum qstatus save(const struct vcache *c, struct stxn *t, const struct ivf *v,
			 struct qerr *err)
{
	char ck[STORE_KEY_MAX], gk[STORE_KEY_MAX];
	struct ivf_head h = {IVF_MAGIC, v->nlist, v->dims, 0, v->gen};
	size_t len = sizeof h + (size_t)v->nlist * (sizeof(float) + v->dims);
	char *buf = malloc(len);
	if (!buf)
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	memcpy(buf, &h, sizeof h);
	memcpy(buf + sizeof h, v->scale, v->nlist * sizeof(float));
	for (unsigned l = 0; l < v->nlist; l++)
		memcpy(buf + sizeof h + v->nlist * sizeof(float) + (size_t)l * v->dims,
		       v->cent + (size_t)l * v->stride, v->dims);
	keys(c, ck, gk, sizeof ck);
	enum qstatus st = store_put_raw(t, T_STATS, ck, buf, len, err);
	if (st == Q_OK)
		st = store_put_raw(t, T_STATS, gk, &v->gen, sizeof v->gen, err);
	free(buf);
	return st;
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

enum qstatus ivf_train(struct vcache *c, struct stxn *t, unsigned nlist, struct qerr *err)
{
	enum qstatus st = Q_OK;
	uint64_t seed = 0x9e3779b97f4a7c15ull ^ (uint64_t)c->n;
	if (!c->vectors_cached || !c->n || !c->dims)
		return qerr_set(err, Q_EINVAL, NULL, "no cached vectors to train the vector index on");
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
	if (!v || !sample || !assign || !tmp) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	for (size_t s = 0; s < ns; s++)   /* spread evenly over the slots */
		sample[s] = (size_t)((double)s * (double)c->n / (double)ns);
	for (unsigned l = 0; l < nlist; l++) {   /* seeds: distinct sample vectors */
		memset(tmp, 0, c->dims * sizeof *tmp);
		add_unit(c, sample[(size_t)l * ns / nlist], tmp);
		set_centroid(v, l, tmp);
	}
	if (kmeans(c, v, sample, ns, assign, &seed)) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	v->gen = rnd(&seed) ^ (uint64_t)q_now_us();
	if ((st = save(c, t, v, err)) != Q_OK)
		goto out;
	install(c, v);
	v = NULL;
out:
	ivf_free(v);
	free(sample);
	free(assign);
	free(tmp);
	return st;
}
