/* vcache.c: the search cache's tables, its change log and its sync (see
 * vcache.h); filters and scans are in vscan.c. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "search/vcache_impl.h"
#include "search/vcache.h"
#include "search/ivf.h"
#include "store/changelog.h"
#include "store/store.h"
#include "text/text.h"
#include "base/util.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static struct vcache cache;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- u64 -> u32 map ------------------------------------------------------ */

static size_t mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return (size_t)k;
}

static int vmap_grow(struct vmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 1024;
	uint64_t *k = malloc(ncap * sizeof *k);
	uint32_t *v = malloc(ncap * sizeof *v);
	if (!k || !v) {
		free(k);
		free(v);
		return -1;
	}
	memset(v, 0xff, ncap * sizeof *v);
	for (size_t i = 0; i < m->cap; i++) {
		if (m->vals[i] == UINT32_MAX)
			continue;
		size_t j = mix(m->keys[i]) & (ncap - 1);
		while (v[j] != UINT32_MAX)
			j = (j + 1) & (ncap - 1);
		k[j] = m->keys[i];
		v[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = k;
	m->vals = v;
	m->cap = ncap;
	return 0;
}

long vmap_get(const struct vmap *m, uint64_t key)
{
	if (!m->cap)
		return -1;
	for (size_t j = mix(key) & (m->cap - 1); m->vals[j] != UINT32_MAX; j = (j + 1) & (m->cap - 1))
		if (m->keys[j] == key)
			return m->vals[j];
	return -1;
}

int vmap_put(struct vmap *m, uint64_t key, uint32_t val)
{
	if ((m->n + 1) * 2 > m->cap && vmap_grow(m))
		return -1;
	size_t j = mix(key) & (m->cap - 1);
	while (m->vals[j] != UINT32_MAX && m->keys[j] != key)
		j = (j + 1) & (m->cap - 1);
	if (m->vals[j] == UINT32_MAX)
		m->n++;
	m->keys[j] = key;
	m->vals[j] = val;
	return 0;
}

void vmap_del(struct vmap *m, uint64_t key)
{
	if (!m->cap)
		return;
	size_t mask = m->cap - 1, j = mix(key) & mask;
	while (m->vals[j] != UINT32_MAX && m->keys[j] != key)
		j = (j + 1) & mask;
	if (m->vals[j] == UINT32_MAX)
		return;
	/* Backward shift: an entry later in the run moves into the hole when
	 * its home slot is not between the hole and where it sits. */
	size_t hole = j;
	for (size_t k = (j + 1) & mask; m->vals[k] != UINT32_MAX; k = (k + 1) & mask) {
		size_t home = mix(m->keys[k]) & mask;
		if (((k - home) & mask) >= ((k - hole) & mask)) {
			m->keys[hole] = m->keys[k];
			m->vals[hole] = m->vals[k];
			hole = k;
		}
	}
	m->vals[hole] = UINT32_MAX;
	m->n--;
}

void vmap_free(struct vmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

/* ---- atoms (interned strings) --------------------------------------------- */

static uint32_t atom_lookup(const struct vcache *c, const char *s, size_t *slot)
{
	if (!c->atom_tcap)
		return 0;
	size_t mask = c->atom_tcap - 1, j = text_hash(s, strlen(s), 7) & mask;
	for (; c->atom_tab[j]; j = (j + 1) & mask)
		if (!strcmp(c->atoms[c->atom_tab[j]], s))
			return c->atom_tab[j];
	if (slot)
		*slot = j;
	return 0;
}

uint32_t vc_atom_find(const struct vcache *c, const char *s)
{
	return s ? atom_lookup(c, s, NULL) : 0;
}

static int atom_rehash(struct vcache *c, size_t ncap)
{
	uint32_t *tab = calloc(ncap, sizeof *tab);
	if (!tab)
		return -1;
	for (size_t a = 1; a < c->natoms; a++) {
		size_t j = text_hash(c->atoms[a], strlen(c->atoms[a]), 7) & (ncap - 1);
		while (tab[j])
			j = (j + 1) & (ncap - 1);
		tab[j] = (uint32_t)a;
	}
	free(c->atom_tab);
	c->atom_tab = tab;
	c->atom_tcap = ncap;
	return 0;
}

/* Atom of s, interned when new; 0 for NULL (or out of memory: "none"). */
static uint32_t atom(struct vcache *c, const char *s)
{
	size_t slot = 0;
	if (!s)
		return 0;
	uint32_t a = atom_lookup(c, s, &slot);
	if (a)
		return a;
	if ((c->natoms + 1) * 2 > c->atom_tcap) {
		if (atom_rehash(c, c->atom_tcap ? c->atom_tcap * 2 : 256))
			return 0;
		atom_lookup(c, s, &slot);
	}
	if (c->natoms == c->atoms_cap) {
		size_t na = c->atoms_cap ? c->atoms_cap * 2 : 64;
		char **p = realloc(c->atoms, na * sizeof *p);
		if (!p)
			return 0;
		c->atoms = p;
		c->atoms_cap = na;
	}
	if (c->natoms == 0)
		c->atoms[c->natoms++] = NULL;   /* atom 0: none */
	char *d = strdup(s);
	if (!d)
		return 0;
	c->atoms[c->natoms] = d;
	c->atom_tab[slot] = (uint32_t)c->natoms;
	return (uint32_t)c->natoms++;
}

/* ---- documents ------------------------------------------------------------ */

long vc_doc_find(const struct vcache *c, const char *id, size_t len)
{
	if (!c->doc_tcap || len >= sizeof c->docs[0].id)
		return -1;
	size_t mask = c->doc_tcap - 1, j = text_hash(id, len, 3) & mask;
	for (; c->doc_tab[j]; j = (j + 1) & mask) {
		const struct vdoc *d = &c->docs[c->doc_tab[j] - 1];
		if (!strncmp(d->id, id, len) && d->id[len] == '\0')
			return (long)c->doc_tab[j] - 1;
	}
	return -1;
}

static int doc_rehash(struct vcache *c, size_t ncap)
{
	uint32_t *tab = calloc(ncap, sizeof *tab);
	if (!tab)
		return -1;
	for (size_t i = 0; i < c->ndocs; i++) {
		size_t j = text_hash(c->docs[i].id, strlen(c->docs[i].id), 3) & (ncap - 1);
		while (tab[j])
			j = (j + 1) & (ncap - 1);
		tab[j] = (uint32_t)i + 1;
	}
	free(c->doc_tab);
	c->doc_tab = tab;
	c->doc_tcap = ncap;
	return 0;
}

long vc_doc_add(struct vcache *c, const char *id, size_t len)
{
	long i = vc_doc_find(c, id, len);
	if (i >= 0)
		return i;
	if (len >= sizeof c->docs[0].id || c->ndocs >= UINT32_MAX - 1)
		return -1;
	if ((c->ndocs + 1) * 2 > c->doc_tcap && doc_rehash(c, c->doc_tcap ? c->doc_tcap * 2 : 1024))
		return -1;
	if (c->ndocs == c->docs_cap) {
		size_t na = c->docs_cap ? c->docs_cap * 2 : 256;
		struct vdoc *p = realloc(c->docs, na * sizeof *p);
		if (!p)
			return -1;
		c->docs = p;
		c->docs_cap = na;
	}
	struct vdoc *d = &c->docs[c->ndocs];
	memset(d, 0, sizeof *d);
	memcpy(d->id, id, len);
	size_t j = text_hash(id, len, 3) & (c->doc_tcap - 1);
	while (c->doc_tab[j])
		j = (j + 1) & (c->doc_tcap - 1);
	c->doc_tab[j] = (uint32_t)c->ndocs + 1;
	return (long)c->ndocs++;
}

static int doc_roles(struct vcache *c, struct vdoc *d, json_t *roles)
{
	size_t k = json_array_size(roles), i;
	json_t *r;
	d->roles = d->nroles = 0;
	if (!k)
		return 0;
	if (c->nroles + k > c->roles_cap) {
		size_t na = c->roles_cap ? c->roles_cap * 2 : 256;
		while (na < c->nroles + k)
			na *= 2;
		uint32_t *p = realloc(c->roles, na * sizeof *p);
		if (!p)
			return -1;
		c->roles = p;
		c->roles_cap = na;
	}
	/* A role that is not a string (or lost to memory) is atom 0, which no
	 * caller has: the document then needs one of its other roles. */
	d->roles = (uint32_t)c->nroles;
	json_array_foreach(roles, i, r)
		c->roles[c->nroles + d->nroles++] = json_is_string(r) ? atom(c, json_string_value(r)) : 0;
	c->nroles += d->nroles;
	return 0;
}

enum qstatus vc_doc_read(struct vcache *c, struct stxn *t, size_t i, struct qerr *err)
{
	json_t *rec;
	struct vdoc *d = &c->docs[i];
	c->stats.doc_reads++;
	enum qstatus st = store_get(t, T_DOCS, d->id, &rec, 0, err);
	if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		d->state = VDOC_UNKNOWN;
		return Q_OK;
	}
	if (st != Q_OK)
		return st;
	const char *account = json_string_value(json_object_get(rec, "account"));
	d->account = atom(c, account);
	d->kb = atom(c, json_string_value(json_object_get(rec, "kb")));
	d->org = atom(c, json_string_value(json_object_get(rec, "org")));
	/* Visibility (docs/api.md): a document without an org, or marked
	 * is_global, is account-wide. */
	d->global = !json_string_value(json_object_get(rec, "org")) ||
		    json_is_true(json_object_get(rec, "is_global"));
	d->folder = atom(c, json_string_value(json_object_get(rec, "folder_id")));
	d->enabled = json_is_true(json_object_get(rec, "enabled"));
	d->archived = json_is_true(json_object_get(rec, "archived"));
	/* An atom lost to memory would read as "none": refuse instead. */
	int bad = doc_roles(c, d, json_object_get(rec, "allowed_roles")) || (account && !d->account);
	json_decref(rec);
	if (bad) {
		d->state = VDOC_UNKNOWN;
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	}
	d->state = VDOC_PRESENT;
	return Q_OK;
}

int vc_parse_key(const char *key, size_t len, size_t *idlen, uint32_t *pos)
{
	const char *colon = memrchr(key, ':', len);
	if (!colon || colon == key || (size_t)(colon - key) >= sizeof ((struct vdoc *)0)->id)
		return -1;
	uint64_t p = 0;
	const char *s = colon + 1, *end = key + len;
	if (s == end)
		return -1;
	for (; s < end && *s; s++) {
		if (*s < '0' || *s > '9' || (p = p * 10 + (uint64_t)(*s - '0')) > UINT32_MAX)
			return -1;
	}
	*idlen = (size_t)(colon - key);
	*pos = (uint32_t)p;
	return 0;
}

/* ---- the inverted file's lists (centroids: ivf.c) --------------------------- */

/* ---- lists of slots -------------------------------------------------------- */

static void lists_free(struct ivf_lists *L, unsigned nlist)
{
	if (!L)
		return;
	for (unsigned l = 0; L->s && l < nlist; l++)
		free(L->s[l]);
	for (unsigned l = 0; L->sg && l < nlist; l++)
		free(L->sg[l]);
	free(L->s);
	free(L->sg);
	free(L->n);
	free(L->cap);
	free(L);
}

static void lists_drop(struct vcache *c)
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

/* Slot slot (its sign bits: words words at sign) joins list l at *pos. */
static int list_add(struct ivf_lists *L, uint32_t l, uint32_t slot, const uint64_t *sign,
		    unsigned words, uint32_t *pos)
{
	if (L->n[l] == L->cap[l]) {
		uint32_t na = L->cap[l] ? L->cap[l] * 2 : 16;
		uint32_t *p = realloc(L->s[l], na * sizeof *p);
		if (!p)
			return -1;
		L->s[l] = p;
		uint64_t *g = realloc(L->sg[l], (size_t)na * words * sizeof *g);
		if (!g)
			return -1;
		L->sg[l] = g;
		L->cap[l] = na;
	}
	*pos = L->n[l];
	memcpy(L->sg[l] + (size_t)*pos * words, sign, words * sizeof *sign);
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
	unsigned words = VBITS(c->dims);
	uint32_t p = c->lpos[i], last = --L->n[l], moved = L->s[l][last];
	L->s[l][p] = moved;
	memmove(L->sg[l] + (size_t)p * words, L->sg[l] + (size_t)last * words,
		words * sizeof *L->sg[l]);
	c->lpos[moved] = p;
	c->lst[i] = IVF_NONE;
}

static int list_put(struct vcache *c, size_t i)
{
	if (!c->ivf)
		return 0;
	if (slots_fit(c, i))
		goto fail;
	uint32_t l = ivf_nearest(c->ivf, c->vec + i * c->stride);
	unsigned words = VBITS(c->dims);
	const uint64_t *sign = c->bits + i * VCODE(c->dims);
	if (c->lst[i] == l) {   /* the same list: its copy of the signs follows */
		memcpy(c->lists->sg[l] + (size_t)c->lpos[i] * words, sign, words * sizeof *sign);
		return 0;
	}
	list_remove(c, i);
	if (list_add(c->lists, l, (uint32_t)i, sign, words, &c->lpos[i]))
		goto fail;
	c->lst[i] = l;
	return 0;
fail:
	lists_drop(c);
	return -1;
}

static void list_del(struct vcache *c, size_t i, size_t last)
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

size_t vcache_lists_check(const struct vcache *c)
{
	size_t bad = 0;
	unsigned words = VBITS(c->dims);
	if (!c->lists)
		return 0;
	for (unsigned l = 0; l < c->ivf->nlist; l++)
		for (uint32_t j = 0; j < c->lists->n[l]; j++) {
			uint32_t i = c->lists->s[l][j];
			bad += i >= c->n || c->lst[i] != l || c->lpos[i] != j ||
			       memcmp(c->lists->sg[l] + (size_t)j * words,
				      c->bits + (size_t)i * VCODE(c->dims), words * sizeof *c->bits);
		}
	return bad;
}

/* A vector's content key: a hash of its first bytes and its scale, so the
 * background sample (vcache_sample) is chosen by what the chunks hold,
 * not by the order they arrived in (slots follow arrival, reloads,
 * removals and the inverted file's lists). Kept per slot (skey). */
static uint64_t content_key(const int8_t *v, unsigned dims, float scale)
{
	size_t len = dims < 64 ? dims : 64;
	uint64_t h = 0x9e3779b97f4a7c15u;
	uint32_t sb;
	memcpy(&sb, &scale, sizeof sb);
	for (size_t k = 0; k < len; k += 8) {
		uint64_t w = 0;
		memcpy(&w, v + k, len - k < 8 ? len - k : 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 33;
	}
	h = (h ^ sb) * 0xc4ceb9fe1a85ec53u;
	return h ^ (h >> 29);
}

/* Move slot `from` to `to` (vector, code, scale, content key, reference). */
static void slot_move(struct vcache *c, size_t to, size_t from)
{
	size_t w = VCODE(c->dims);
	memcpy(c->vec + to * c->stride, c->vec + from * c->stride, c->stride);
	memcpy(c->bits + to * w, c->bits + from * w, w * sizeof *c->bits);
	c->scale[to] = c->scale[from];
	c->skey[to] = c->skey[from];
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
	lists_drop(c);
	c->ivf = v;
	if (!(c->lists = calloc(1, sizeof *c->lists)) ||
	    !(c->lists->s = calloc(v->nlist, sizeof *c->lists->s)) ||
	    !(c->lists->sg = calloc(v->nlist, sizeof *c->lists->sg)) ||
	    !(c->lists->n = calloc(v->nlist, sizeof *c->lists->n)) ||
	    !(c->lists->cap = calloc(v->nlist, sizeof *c->lists->cap)))
		goto fail;
	for (size_t i = 0; i < c->n; i++)
		if (list_put(c, i))
			return -1;   /* dropped */
	cluster(c);
	return 0;
fail:
	lists_drop(c);
	return -1;
}


static void keys(const struct vcache *c, char *cent, char *gen, size_t n)
{
	snprintf(cent, n, "ivf:%s", c->model);
	snprintf(gen, n, "ivfgen:%s", c->model);
}


static enum qstatus lists_sync(struct vcache *c, struct stxn *t, struct qerr *err)
{
	char ck[STORE_KEY_MAX], gk[STORE_KEY_MAX], *raw = NULL;
	size_t len;
	uint64_t gen = 0;
	if (!*c->model || !c->vectors_cached) {
		lists_drop(c);
		return Q_OK;
	}
	keys(c, ck, gk, sizeof ck);
	enum qstatus st = store_get_raw(t, T_STATS, gk, &raw, &len, err);
	if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		lists_drop(c);
		return Q_OK;
	}
	if (st != Q_OK)
		return st;
	if (len == sizeof gen)
		memcpy(&gen, raw, sizeof gen);
	free(raw);
	if ((c->ivf && c->ivf->gen == gen) ||
	    (!c->ivf && gen == c->ivf_refused && c->n == c->ivf_refused_n))
		return Q_OK;   /* current, or refused already for this cache */
	if ((st = store_get_raw(t, T_STATS, ck, &raw, &len, err)) == Q_ENOTFOUND) {
		qerr_clear(err);
		lists_drop(c);
		return Q_OK;
	}
	if (st != Q_OK)
		return st;
	struct ivf *v = ivf_parse(raw, len);
	free(raw);
	if (!v || v->dims != c->dims || v->gen != gen) {   /* another model's, or damaged */
		ivf_free(v);
		lists_drop(c);
		c->ivf_refused = gen;   /* not read again until they or the vectors change */
		c->ivf_refused_n = c->n;
		return Q_OK;
	}
	install(c, v);   /* out of memory: no lists, the scans without them */
	return Q_OK;
}


static enum qstatus save(const struct vcache *c, struct stxn *t, const struct ivf *v,
			 struct qerr *err)
{
	char ck[STORE_KEY_MAX], gk[STORE_KEY_MAX];
	size_t len;
	void *buf = ivf_serialize(v, &len);
	if (!buf)
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	keys(c, ck, gk, sizeof ck);
	enum qstatus st = store_put_raw(t, T_STATS, ck, buf, len, err);
	if (st == Q_OK)
		st = store_put_raw(t, T_STATS, gk, &v->gen, sizeof v->gen, err);
	if (st == Q_OK) {
		uint64_t n = c->n;
		snprintf(ck, sizeof ck, "ivfn:%s", c->model);
		st = store_put_raw(t, T_STATS, ck, &n, sizeof n, err);
	}
	free(buf);
	return st;
}

enum qstatus vcache_ivf_trained(const struct vcache *c, struct stxn *t, size_t *n,
				struct qerr *err)
{
	char k[STORE_KEY_MAX], *raw = NULL;
	size_t len;
	uint64_t v = 0;
	*n = 0;
	if (!*c->model)
		return Q_OK;
	snprintf(k, sizeof k, "ivfn:%s", c->model);
	enum qstatus st = store_get_raw(t, T_STATS, k, &raw, &len, err);
	if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		return Q_OK;
	}
	if (st == Q_OK && len == sizeof v)
		memcpy(&v, raw, sizeof v);
	free(raw);
	*n = (size_t)v;
	return st;
}

enum qstatus vcache_ivf_store(struct vcache *c, struct stxn *t, struct ivf *v, struct qerr *err)
{
	enum qstatus st = Q_OK;
	if (!c->vectors_cached || v->dims != c->dims)
		st = qerr_set(err, Q_EINVAL, NULL, "the vector index's centroids do not fit the cache");
	if (st == Q_OK)
		st = save(c, t, v, err);
	if (st == Q_OK)
		install(c, v);   /* out of memory: no lists until the next sync */
	else
		ivf_free(v);
	return st;
}

enum qstatus vcache_ivf_train(struct vcache *c, struct stxn *t, unsigned nlist, struct qerr *err)
{
	if (!c->vectors_cached || !c->n)
		return qerr_set(err, Q_EINVAL, NULL, "no cached vectors to train the vector index on");
	struct ivf *v = ivf_kmeans(c, nlist);
	if (!v)
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	return vcache_ivf_store(c, t, v, err);
}

/* ---- vectors -------------------------------------------------------------- */

long vc_slot(const struct vcache *c, vref r)
{
	return vmap_get(&c->slots, r);
}

static void vectors_free(struct vcache *c)
{
	lists_drop(c);
	free(c->vec);
	free(c->bits);
	c->bits = NULL;
	free(c->scale);
	free(c->ref);
	free(c->skey);
	c->skey = NULL;
	vmap_free(&c->slots);
	c->vec = NULL;
	c->scale = NULL;
	c->ref = NULL;
	c->n = c->cap = 0;
}

int vc_vector_parse(const void *val, size_t vlen, const char *model, unsigned *dims,
			float *scale, const int8_t **v)
{
	size_t ml = strnlen(val, vlen);
	if (ml + 9 > vlen || strcmp(val, model))
		return -1;
	memcpy(dims, (const char *)val + ml + 1, 4);
	memcpy(scale, (const char *)val + ml + 5, 4);
	if (*dims == 0 || ml + 9 + *dims != vlen)
		return -1;
	*v = (const int8_t *)val + ml + 9;
	return 0;
}

static int slots_grow(struct vcache *c)
{
	size_t na = c->cap ? c->cap * 2 : 1024;
	/* vector, its code and the lists' copy of its signs */
	size_t per = c->stride + (VCODE(c->dims) + VBITS(c->dims)) * sizeof *c->bits;
	if (na * per > c->max_bytes)
		na = c->max_bytes / per;
	if (na <= c->n)
		return -1;   /* over the memory cap */
	int8_t *v = aligned_alloc(VEC_ALIGN, na * c->stride);
	float *s = realloc(c->scale, na * sizeof *s);
	if (s)
		c->scale = s;
	vref *r = realloc(c->ref, na * sizeof *r);
	if (r)
		c->ref = r;
	uint64_t *k = realloc(c->skey, na * sizeof *k);
	if (k)
		c->skey = k;
	uint64_t *b = realloc(c->bits, na * VCODE(c->dims) * sizeof *b);
	if (b)
		c->bits = b;
	if (!v || !s || !r || !b || !k) {
		free(v);
		return -1;
	}
	if (c->n)
		memcpy(v, c->vec, c->n * c->stride);
	free(c->vec);
	c->vec = v;
	c->cap = na;
	return 0;
}

void vc_sign_bits(const int8_t *v, unsigned dims, uint64_t *out)
{
	uint64_t *mag = out + VBITS(dims), sq = 0;
	for (unsigned i = 0; i < dims; i++)
		sq += (uint64_t)(v[i] * v[i]);
	/* a word of 64 dimensions at a time, without branches: the signs are
	 * a coin toss each, and a branch per dimension mispredicted half the
	 * time (5.5 us a 512-dimension vector against 1.0, 5 s of a cold
	 * worker's load at a million vectors) */
	for (unsigned w = 0; w < VBITS(dims); w++) {
		const int8_t *p = v + (size_t)w * 64;
		unsigned n = dims - w * 64 < 64 ? dims - w * 64 : 64;
		uint64_t s = 0, m = 0;
		for (unsigned i = 0; i < n; i++) {
			s |= (uint64_t)(p[i] > 0) << i;
			/* v[i]^2 above the mean square */
			m |= (uint64_t)((uint64_t)(p[i] * p[i]) * dims > sq) << i;
		}
		out[w] = s;
		mag[w] = m;
	}
}

/* Store chunk r's vector (replacing its old one); -1 when it does not fit. */
static int slot_put(struct vcache *c, vref r, const int8_t *v, unsigned dims, float scale)
{
	long i = vmap_get(&c->slots, r);
	if (i < 0) {
		if (c->n == c->cap && slots_grow(c))
			return -1;
		if (vmap_put(&c->slots, r, (uint32_t)c->n))
			return -1;
		i = (long)c->n++;
	}
	int8_t *dst = c->vec + (size_t)i * c->stride;
	/* -128 would overflow the kernel's sign trick; quantisation never
	 * writes it, a damaged record might. */
	for (unsigned k = 0; k < dims; k++)
		dst[k] = v[k] == -128 ? -127 : v[k];
	memset(dst + dims, 0, c->stride - dims);
	vc_sign_bits(dst, dims, c->bits + (size_t)i * VCODE(dims));
	c->scale[i] = scale;
	c->skey[i] = content_key(dst, dims, scale);
	c->ref[i] = r;
	list_put(c, (size_t)i);   /* out of memory: the lists are dropped */
	return 0;
}

/* Remove chunk r's vector: the last slot moves into its place. */
static void slot_del(struct vcache *c, vref r)
{
	long i = vmap_get(&c->slots, r);
	if (i < 0)
		return;
	vmap_del(&c->slots, r);
	size_t last = c->n - 1;
	list_del(c, (size_t)i, last);
	if ((size_t)i != last) {
		memcpy(c->vec + (size_t)i * c->stride, c->vec + last * c->stride, c->stride);
		memcpy(c->bits + (size_t)i * VCODE(c->dims), c->bits + last * VCODE(c->dims),
		       VCODE(c->dims) * sizeof *c->bits);
		c->scale[i] = c->scale[last];
		c->skey[i] = c->skey[last];
		c->ref[i] = c->ref[last];
		vmap_put(&c->slots, c->ref[i], (uint32_t)i);   /* existing key: no growth */
	}
	c->n--;
}

/* Apply one stored vector (val NULL: deleted) of chunk key. */
static int vector_apply(struct vcache *c, const char *key, size_t klen, const void *val,
			size_t vlen)
{
	size_t idlen;
	uint32_t pos;
	unsigned dims;
	float scale;
	const int8_t *v;
	if (vc_parse_key(key, klen, &idlen, &pos))
		return 0;   /* not a chunk key: never searched */
	int ok = val && vc_vector_parse(val, vlen, c->model, &dims, &scale, &v) == 0;
	if (ok && !c->dims) {
		c->dims = dims;
		c->stride = (dims + VEC_ALIGN - 1) / VEC_ALIGN * VEC_ALIGN;
	}
	if (!ok || dims != c->dims) {
		long d = vc_doc_find(c, key, idlen);
		if (d >= 0)
			slot_del(c, (vref)d << 32 | pos);
		return 0;
	}
	long d = vc_doc_add(c, key, idlen);
	if (d < 0 || slot_put(c, (vref)d << 32 | pos, v, dims, scale)) {
		/* Out of memory or over the cap: stop holding vectors. */
		vectors_free(c);
		c->vectors_cached = 0;
		return 1;
	}
	return 0;
}

/* ---- vectors derived from the cache --------------------------------------- */

/* Kept for one state of the cache: its epoch, log position, vector count
 * and model; each entry under its key's hash, the key kept to compare. */
static struct {
	uint64_t epoch, seq, model;
	size_t nvec;
	struct vmap at;
	char **keys;
	size_t *klens;
	float **vals;
	unsigned *lens;
	size_t n;
} memo;

static uint64_t fnv(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 14695981039346656037ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}

static void memo_clear(void)
{
	for (size_t i = 0; i < memo.n; i++) {
		free(memo.keys[i]);
		free(memo.vals[i]);
	}
	free(memo.keys);
	free(memo.klens);
	free(memo.vals);
	free(memo.lens);
	vmap_free(&memo.at);
	memset(&memo, 0, sizeof memo);
}

/* 1 when the memo was made for c as it is now; else it is emptied and
 * stamped with c's state. */
static int memo_current(const struct vcache *c)
{
	uint64_t model = fnv(c->model, strlen(c->model));
	if (memo.epoch == c->epoch && memo.seq == c->seq && memo.nvec == c->n && memo.model == model)
		return 1;
	memo_clear();
	memo.epoch = c->epoch;
	memo.seq = c->seq;
	memo.nvec = c->n;
	memo.model = model;
	return 0;
}

int vcache_memo_get(const struct vcache *c, const void *key, size_t klen, float *out, unsigned n)
{
	long i = memo_current(c) ? vmap_get(&memo.at, fnv(key, klen)) : -1;
	int hit = i >= 0 && memo.klens[i] == klen && memo.lens[i] == n &&
		  !memcmp(memo.keys[i], key, klen);
	if (hit)
		memcpy(out, memo.vals[i], n * sizeof *out);
	((struct vcache *)c)->stats.memo_hits += hit;
	((struct vcache *)c)->stats.memo_misses += !hit;
	return hit;
}

void vcache_memo_put(const struct vcache *c, const void *key, size_t klen, const float *v,
		     unsigned n)
{
	uint64_t h = fnv(key, klen);
	if (!memo_current(c) || memo.n == VCACHE_MEMO_MAX)
		memo_clear(), memo_current(c);   /* full: start again */
	if (vmap_get(&memo.at, h) >= 0)
		return;   /* held, or another key of the same hash: not kept */
	if (!memo.keys && (!(memo.keys = calloc(VCACHE_MEMO_MAX, sizeof *memo.keys)) ||
			   !(memo.klens = calloc(VCACHE_MEMO_MAX, sizeof *memo.klens)) ||
			   !(memo.vals = calloc(VCACHE_MEMO_MAX, sizeof *memo.vals)) ||
			   !(memo.lens = calloc(VCACHE_MEMO_MAX, sizeof *memo.lens)))) {
		memo_clear();
		return;
	}
	char *k = malloc(klen ? klen : 1);
	float *val = malloc((n ? n : 1) * sizeof *val);
	if (!k || !val || vmap_put(&memo.at, h, (uint32_t)memo.n)) {
		free(k);
		free(val);
		return;
	}
	memcpy(k, key, klen);
	memcpy(val, v, n * sizeof *v);
	memo.keys[memo.n] = k;
	memo.klens[memo.n] = klen;
	memo.vals[memo.n] = val;
	memo.lens[memo.n++] = n;
}

/* ---- sync ----------------------------------------------------------------- */

static void cache_clear(struct vcache *c)
{
	memo_clear();
	vectors_free(c);
	for (size_t a = 1; a < c->natoms; a++)
		free(c->atoms[a]);
	free(c->atoms);
	free(c->atom_tab);
	free(c->docs);
	free(c->doc_tab);
	free(c->roles);
	struct vcache_stats keep = c->stats;
	memset(c, 0, sizeof *c);
	c->stats = keep;
}

static int on_stored_vector(const void *key, size_t klen, const void *val, size_t vlen,
			    void *arg)
{
	return vector_apply(arg, key, klen, val, vlen);
}

/* Load every vector of model (replacing those held). */
static enum qstatus load_vectors(struct vcache *c, struct stxn *t, const char *model,
				 size_t max_bytes, struct qerr *err)
{
	vectors_free(c);
	c->stats.reloads++;
	snprintf(c->model, sizeof c->model, "%s", model);
	c->dims = c->stride = 0;
	c->max_bytes = max_bytes;
	c->vectors_cached = max_bytes > 0;
	if (!*c->model || !c->vectors_cached)
		return Q_OK;
	struct store_key all;
	store_key_init(&all);
	/* read committed: a read lock per page held to the end ran out of
	 * lock entries past ~300,000 vectors; the change log's sequence
	 * record, read in this transaction, keeps writers of vectors out
	 * until it ends */
	enum qstatus st = store_scan_raw_committed(t, T_VECTORS, &all, on_stored_vector, c, err);
	if (st != Q_OK)
		c->loaded = 0;   /* half loaded: start over next time */
	return st;
}

/* Forget everything, then load model's vectors; documents are read as
 * searches meet them. */
static enum qstatus reload(struct vcache *c, struct stxn *t, const char *model, uint64_t epoch,
			   uint64_t seq, size_t max_bytes, struct qerr *err)
{
	char m[sizeof c->model];
	snprintf(m, sizeof m, "%s", model);
	cache_clear(c);
	c->epoch = epoch;
	c->seq = seq;
	c->loaded = 1;
	enum qstatus st = load_vectors(c, t, m, max_bytes, err);
	return st == Q_OK ? lists_sync(c, t, err) : st;
}

static enum qstatus apply_entry(struct vcache *c, struct stxn *t, const char *e, size_t len,
				struct qerr *err)
{
	char pk[STORE_KEY_MAX];
	if (len < 2 || len - 1 >= sizeof pk)
		return Q_OK;
	memcpy(pk, e + 1, len - 1);
	pk[len - 1] = '\0';
	c->stats.applied++;
	if (e[0] == 'd') {
		long d = vc_doc_find(c, pk, len - 1);
		if (d >= 0 && c->docs[d].state == VDOC_PRESENT)
			return vc_doc_read(c, t, (size_t)d, err);
		return Q_OK;
	}
	if (e[0] != 'v' || !*c->model || !c->vectors_cached)
		return Q_OK;
	char *raw = NULL;
	size_t vlen = 0;
	enum qstatus st = store_get_raw(t, T_VECTORS, pk, &raw, &vlen, err);
	if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		st = Q_OK;
	}
	if (st == Q_OK)
		vector_apply(c, pk, len - 1, raw, vlen);
	free(raw);
	return st;
}

enum qstatus vcache_sync(struct vcache *c, struct stxn *t, const char *model, size_t max_bytes,
			 struct qerr *err)
{
	json_t *s;
	uint64_t epoch = 0, seq = 0;
	enum qstatus st = store_get(t, T_STATS, CHANGELOG_SEQ_KEY, &s, 0, err);
	if (st == Q_OK) {
		epoch = (uint64_t)json_integer_value(json_object_get(s, "epoch"));
		seq = (uint64_t)json_integer_value(json_object_get(s, "seq"));
		json_decref(s);
	} else if (st == Q_ENOTFOUND) {
		qerr_clear(err);
	} else {
		return st;
	}
	char m[sizeof c->model];
	snprintf(m, sizeof m, "%s", model ? model : c->model);
	/* Far behind, the log costs more than a reload (or is trimmed). */
	size_t far = c->n / 4 + 4096;
	if (!c->loaded || epoch != c->epoch || seq < c->seq || seq - c->seq > far ||
	    seq - c->seq >= CHANGELOG_KEEP)
		return reload(c, t, m, epoch, seq, max_bytes, err);
	for (uint64_t q = c->seq + 1; q <= seq; q++) {
		char key[32], *e;
		size_t len;
		changelog_key(q, key, sizeof key);
		st = store_get_raw(t, T_STATS, key, &e, &len, err);
		if (st == Q_ENOTFOUND) {
			qerr_clear(err);
			return reload(c, t, m, epoch, seq, max_bytes, err);
		}
		if (st != Q_OK)
			return st;   /* entries are idempotent: the next sync redoes them */
		st = apply_entry(c, t, e, len, err);
		free(e);
		if (st != Q_OK)
			return st;
		c->seq = q;
	}
	/* Another model (or memory cap): its vectors, the documents stay. */
	if ((strcmp(m, c->model) || max_bytes != c->max_bytes) &&
	    (st = load_vectors(c, t, m, max_bytes, err)) != Q_OK)
		return st;
	return lists_sync(c, t, err);
}

/* ---- the process's cache -------------------------------------------------- */

struct vcache *vcache_lock(void)
{
	pthread_mutex_lock(&cache_lock);
	return &cache;
}

void vcache_unlock(struct vcache *c)
{
	(void)c;
	pthread_mutex_unlock(&cache_lock);
}

void vcache_chunk_key(const struct vcache *c, vref r, char *out, size_t n)
{
	snprintf(out, n, "%s:%08u", c->docs[r >> 32].id, (unsigned)(r & 0xffffffffu));
}

struct keyed {
	uint64_t key;
	vref ref;
};

static int keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->ref < y->ref ? -1 : x->ref > y->ref;
}

/* Sift down in a max-heap of n by key. */
static void heap_down(struct keyed *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < n && keyed_cmp(&h[l], &h[m]) > 0)
			m = l;
		if (r < n && keyed_cmp(&h[r], &h[m]) > 0)
			m = r;
		if (m == i)
			return;
		struct keyed t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

size_t vcache_sample(const struct vcache *c, size_t max, vref *out)
{
	if (!c->vectors_cached || !max)
		return 0;
	/* the max slots of the smallest content keys, in key order: the same
	 * sample (and the same order of summing it) whatever order the
	 * chunks came in */
	size_t n = c->n < max ? c->n : max;
	struct keyed *h = malloc((n ? n : 1) * sizeof *h);
	if (!h) {   /* out of memory: spread evenly over the slots, as before */
		for (size_t k = 0; k < n; k++)
			out[k] = c->ref[(size_t)((double)k * (double)c->n / (double)n)];
		return n;
	}
	for (size_t i = 0; i < c->n; i++) {
		struct keyed e = {c->skey[i], c->ref[i]};
		if (i < n) {
			h[i] = e;
			if (i + 1 == n)
				for (size_t j = n / 2; j-- > 0;)
					heap_down(h, n, j);
		} else if (keyed_cmp(&e, &h[0]) < 0) {
			h[0] = e;
			heap_down(h, n, 0);
		}
	}
	qsort(h, n, sizeof *h, keyed_cmp);
	for (size_t k = 0; k < n; k++)
		out[k] = h[k].ref;
	free(h);
	return n;
}

const char *vcache_doc_id(const struct vcache *c, vref r)
{
	return c->docs[r >> 32].id;
}

void vcache_memo_clear(void)
{
	pthread_mutex_lock(&cache_lock);
	memo_clear();
	pthread_mutex_unlock(&cache_lock);
}

void vcache_memo_keep(const void *suffix, size_t slen)
{
	pthread_mutex_lock(&cache_lock);
	size_t n = 0;
	vmap_free(&memo.at);
	for (size_t i = 0; i < memo.n; i++) {
		if (memo.klens[i] >= slen &&
		    !memcmp(memo.keys[i] + memo.klens[i] - slen, suffix, slen) &&
		    !vmap_put(&memo.at, fnv(memo.keys[i], memo.klens[i]), (uint32_t)n)) {
			memo.keys[n] = memo.keys[i];
			memo.klens[n] = memo.klens[i];
			memo.vals[n] = memo.vals[i];
			memo.lens[n++] = memo.lens[i];
			continue;
		}
		free(memo.keys[i]);
		free(memo.vals[i]);
	}
	memo.n = n;
	pthread_mutex_unlock(&cache_lock);
}

void vcache_reset(void)
{
	pthread_mutex_lock(&cache_lock);
	cache_clear(&cache);
	pthread_mutex_unlock(&cache_lock);
}
