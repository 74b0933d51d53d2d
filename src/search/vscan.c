/* vscan.c: a query's filter over the cached documents, the int8
 * dot-product kernel and the exact top-k vector scan (see vcache.h). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "search/vcache_impl.h"
#include "search/vcache.h"
#include "search/vscan.h"
#include "search/search.h"
#include "search/ivf.h"
#include "search/vdot.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define HAVE_AVX2_KERNEL 1
#endif

void vcache_stats(struct vcache_stats *out)
{
	struct vcache *c = vcache_lock();
	*out = c->stats;
	out->vectors = c->n;
	out->docs = c->ndocs;
	out->vectors_cached = c->vectors_cached;
	out->seq = c->seq;
	out->kernel = vdot_kernel_name();
	out->ivf_lists = c->ivf ? c->ivf->nlist : 0;
	vcache_unlock(c);
}

/* ---- query vectors -------------------------------------------------------- */

#define VPLANES 4   /* bits of |q| in the prefilter's estimate */

struct vquery {
	int8_t *v;
	uint64_t *bits;           /* sign bits (the binary prefilter) */
	uint64_t *mask;           /* dims where the query is not 0, then the strong half */
	unsigned dims, stride;
	unsigned wsum;            /* sum_p 2^p popcount(plane p): the planes' total weight */
	float scale;
};


/* The prefilter estimates q . v from v's signs alone: sum |q_i| where
 * the signs agree minus where they differ, so it ranks by the weight of
 * the disagreements, sum |q_i| over them. |q_i| is cut to VPLANES bits,
 * one bit plane each (mask[p * words ..]): the weight is then
 * sum_p 2^p popcount(disagree & plane p). Dimensions where q is 0 weigh
 * nothing (a short query's hashed features leave most of them 0). */
static void query_masks(struct vquery *q)
{
	unsigned words = VBITS(q->dims);
	int most = 1;
	for (unsigned i = 0; i < q->dims; i++)
		most = abs(q->v[i]) > most ? abs(q->v[i]) : most;
	for (unsigned i = 0; i < q->dims; i++) {
		unsigned level = (unsigned)((abs(q->v[i]) * ((1 << VPLANES) - 1) + most / 2) / most);
		for (unsigned p = 0; p < VPLANES; p++)
			if (level >> p & 1)
				q->mask[p * words + i / 64] |= 1ull << (i % 64);
		q->wsum += level;
	}
}

struct vquery *vquery_new(const int8_t *q, unsigned dims, float scale)
{
	struct vquery *vq = calloc(1, sizeof *vq);
	if (!vq)
		return NULL;
	vq->dims = dims;
	vq->stride = (dims + VEC_ALIGN - 1) / VEC_ALIGN * VEC_ALIGN;
	vq->scale = scale;
	if (!(vq->v = aligned_alloc(VEC_ALIGN, vq->stride ? vq->stride : VEC_ALIGN)) ||
	    !(vq->bits = malloc((dims ? VCODE(dims) : 1) * sizeof *vq->bits)) ||
	    !(vq->mask = calloc(VPLANES * (VBITS(dims) ? VBITS(dims) : 1), sizeof *vq->mask))) {
		vquery_free(vq);
		return NULL;
	}
	memset(vq->v, 0, vq->stride);
	for (unsigned i = 0; i < dims; i++)
		vq->v[i] = q[i] == -128 ? -127 : q[i];
	vc_sign_bits(vq->v, dims, vq->bits);
	query_masks(vq);
	return vq;
}

void vquery_free(struct vquery *q)
{
	if (q) {
		free(q->v);
		free(q->bits);
		free(q->mask);
	}
	free(q);
}

/* ---- the filter ----------------------------------------------------------- */

#define ANY UINT32_MAX
#define M_DECIDED 1u
#define M_ALLOWED 2u
#define M_LISTED 4u     /* named in doc_ids */

struct vgate {
	struct vcache *c;
	struct stxn *t;
	const struct search_filter *f;
	/* The filter's strings as atoms. A string no document has shown yet
	 * has none: resolve() tries again when the cache learnt new strings. */
	size_t natoms_seen;
	int none;                 /* a required value is unknown: nothing matches */
	uint32_t account, kb, org;
	uint32_t *folders, *roles;
	size_t nfolders, nroles;
	uint8_t *memo;            /* per document: M_* bits */
	size_t memo_cap;
	/* Posting lists come in key order: a document's chunks follow each
	 * other, so the last document looked up is usually the next one. */
	char last_id[sizeof ((struct vdoc *)0)->id];
	size_t last_len;
	long last_doc;
	enum qstatus st;
	struct qerr err;
};

static int memo_fit(struct vgate *g, size_t d)
{
	if (d < g->memo_cap)
		return 0;
	size_t na = g->c->docs_cap > d ? g->c->docs_cap : d + 1;
	uint8_t *m = realloc(g->memo, na);
	if (!m)
		return -1;
	memset(m + g->memo_cap, 0, na - g->memo_cap);
	g->memo = m;
	g->memo_cap = na;
	return 0;
}

/* Atoms of the strings of arr into out (those never seen are left out). */
static size_t atoms_of(struct vcache *c, json_t *arr, uint32_t *out)
{
	size_t i, n = 0;
	json_t *v;
	json_array_foreach(arr, i, v) {
		uint32_t a = json_is_string(v) ? vc_atom_find(c, json_string_value(v)) : 0;
		if (a)
			out[n++] = a;
	}
	return n;
}

static uint32_t atom_or_none(struct vgate *g, const char *s)
{
	uint32_t a = vc_atom_find(g->c, s);
	if (!a)
		g->none = 1;
	return a;
}

static void resolve(struct vgate *g)
{
	const struct search_filter *f = g->f;
	if (g->natoms_seen == g->c->natoms)
		return;
	g->natoms_seen = g->c->natoms;
	g->none = 0;
	g->account = atom_or_none(g, f->account);
	g->kb = f->kb ? atom_or_none(g, f->kb) : ANY;
	/* An org no document names yet still sees the account-wide ones. */
	g->org = f->org ? vc_atom_find(g->c, f->org) : ANY;
	if (f->folder_ids)
		g->nfolders = atoms_of(g->c, f->folder_ids, g->folders);
	if (f->roles)
		g->nroles = atoms_of(g->c, f->roles, g->roles);
}

/* Mark the documents named in doc_ids; read those not cached yet (only
 * existing documents enter the cache). */
static void list_docs(struct vgate *g, json_t *ids)
{
	size_t i;
	json_t *v;
	json_array_foreach(ids, i, v) {
		const char *id = json_string_value(v);
		size_t len = id ? strlen(id) : 0;
		if (!len || len >= sizeof g->c->docs[0].id)
			continue;
		long d = vc_doc_find(g->c, id, len);
		if (d < 0) {
			json_t *rec;
			enum qstatus st = store_get(g->t, T_DOCS, id, &rec, 0, &g->err);
			if (st == Q_ENOTFOUND) {
				qerr_clear(&g->err);
				continue;
			}
			if (st != Q_OK) {
				g->st = st;
				return;
			}
			json_decref(rec);
			if ((d = vc_doc_add(g->c, id, len)) < 0) {
				g->st = qerr_set(&g->err, Q_ENOMEM, NULL, "out of memory");
				return;
			}
		}
		if (memo_fit(g, (size_t)d)) {
			g->st = qerr_set(&g->err, Q_ENOMEM, NULL, "out of memory");
			return;
		}
		g->memo[d] |= M_LISTED;
	}
}

struct vgate *vgate_new(struct vcache *c, struct stxn *t, const struct search_filter *f)
{
	struct vgate *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	g->c = c;
	g->t = t;
	g->f = f;
	g->natoms_seen = (size_t)-1;
	g->folders = malloc((json_array_size(f->folder_ids) + 1) * sizeof *g->folders);
	g->roles = malloc((json_array_size(f->roles) + 1) * sizeof *g->roles);
	if (!g->folders || !g->roles || memo_fit(g, c->docs_cap)) {
		vgate_free(g);
		return NULL;
	}
	resolve(g);
	if (f->doc_ids)
		list_docs(g, f->doc_ids);
	return g;
}

/* a string and a separator no id holds */
static size_t sig_add(char *out, size_t at, size_t cap, const char *s)
{
	int n = snprintf(at < cap ? out + at : NULL, at < cap ? cap - at : 0, "%s\x1f", s ? s : "\x1e");
	return at + (n > 0 ? (size_t)n : 0);
}

static size_t sig_json(char *out, size_t at, size_t cap, const json_t *v)
{
	char *s = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	at = sig_add(out, at, cap, s);
	free(s);
	return at;
}

size_t vgate_signature(const struct vgate *g, char *out, size_t cap)
{
	const struct search_filter *f = g->f;
	size_t at = sig_add(out, 0, cap, f->account);
	at = sig_add(out, at, cap, f->kb);
	at = sig_add(out, at, cap, f->org);
	at = sig_json(out, at, cap, f->roles);
	at = sig_json(out, at, cap, f->doc_ids);
	at = sig_json(out, at, cap, f->folder_ids);
	return at < cap ? at : 0;
}

void vgate_free(struct vgate *g)
{
	if (!g)
		return;
	free(g->folders);
	free(g->roles);
	free(g->memo);
	free(g);
}

static int has(const uint32_t *v, size_t n, uint32_t a)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == a)
			return 1;
	return 0;
}

static int decide(struct vgate *g, size_t d)
{
	struct vcache *c = g->c;
	const struct search_filter *f = g->f;
	if (f->doc_ids && !(g->memo[d] & M_LISTED))
		return 0;
	if (c->docs[d].state != VDOC_PRESENT) {
		enum qstatus st = vc_doc_read(c, g->t, d, &g->err);
		if (st != Q_OK && g->st == Q_OK)
			g->st = st;
		if (c->docs[d].state != VDOC_PRESENT)
			return 0;
	}
	resolve(g);   /* after the read: the document's strings are atoms now */
	const struct vdoc *x = &c->docs[d];
	if (g->none || x->account != g->account || (g->kb != ANY && x->kb != g->kb) ||
	    !x->enabled || x->archived || (g->org != ANY && !x->global && x->org != g->org))
		return 0;
	if (f->folder_ids && (!x->folder || !has(g->folders, g->nfolders, x->folder)))
		return 0;
	if (f->roles && x->nroles) {
		/* Allowed roles set: the caller needs one of them. */
		for (uint32_t i = 0; i < x->nroles; i++)
			if (c->roles[x->roles + i] && has(g->roles, g->nroles, c->roles[x->roles + i]))
				return 1;
		return 0;
	}
	return 1;
}

static inline int gate_doc(struct vgate *g, size_t d)
{
	if (d >= g->memo_cap && memo_fit(g, d)) {
		g->st = qerr_set(&g->err, Q_ENOMEM, NULL, "out of memory");
		return 0;
	}
	uint8_t m = g->memo[d];
	if (!(m & M_DECIDED)) {
		m |= M_DECIDED | (decide(g, d) ? M_ALLOWED : 0);
		g->memo[d] = m;
	}
	return (m & M_ALLOWED) != 0;
}

int vgate_chunk(struct vgate *g, const char *key, size_t len, vref *r)
{
	size_t idlen;
	uint32_t pos;
	if (vc_parse_key(key, len, &idlen, &pos))
		return 0;
	long d;
	if (idlen == g->last_len && !memcmp(key, g->last_id, idlen)) {
		d = g->last_doc;
	} else {
		if ((d = vc_doc_find(g->c, key, idlen)) < 0 && (d = vc_doc_add(g->c, key, idlen)) < 0) {
			g->st = qerr_set(&g->err, Q_ENOMEM, NULL, "out of memory");
			return 0;
		}
		memcpy(g->last_id, key, idlen);
		g->last_len = idlen;
		g->last_doc = d;
	}
	if (!gate_doc(g, (size_t)d))
		return 0;
	*r = (vref)d << 32 | pos;
	return 1;
}

int vgate_ref(struct vgate *g, vref r)
{
	return gate_doc(g, (size_t)(r >> 32));
}

enum qstatus vgate_status(const struct vgate *g, struct qerr *err)
{
	if (g->st != Q_OK)
		*err = g->err;
	return g->st;
}

/* ---- top k ---------------------------------------------------------------- */

struct heap {
	const struct vcache *c;
	struct vscored *v;        /* min-heap: v[0] is the worst kept */
	size_t n, k;
};

/* a ranks below b: lower score, or equal score and a later chunk key. */
static int below(const struct vcache *c, const struct vscored *a, const struct vscored *b)
{
	if (a->score != b->score)
		return a->score < b->score;
	int o = strcmp(c->docs[a->ref >> 32].id, c->docs[b->ref >> 32].id);
	return o ? o > 0 : (uint32_t)a->ref > (uint32_t)b->ref;
}

static void sift_down(struct heap *h, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < h->n && below(h->c, &h->v[l], &h->v[m]))
			m = l;
		if (r < h->n && below(h->c, &h->v[r], &h->v[m]))
			m = r;
		if (m == i)
			return;
		struct vscored x = h->v[i];
		h->v[i] = h->v[m];
		h->v[m] = x;
		i = m;
	}
}

static void heap_push(struct heap *h, vref r, float score)
{
	struct vscored e = {r, score};
	if (h->n < h->k) {
		size_t i = h->n++;
		while (i && below(h->c, &e, &h->v[(i - 1) / 2])) {
			h->v[i] = h->v[(i - 1) / 2];
			i = (i - 1) / 2;
		}
		h->v[i] = e;
	} else if (h->k && below(h->c, &h->v[0], &e)) {
		h->v[0] = e;
		sift_down(h, 0);
	}
}

/* Best first, in place. */
static size_t heap_sort(struct heap *h)
{
	size_t n = h->n;
	while (h->n > 1) {
		struct vscored worst = h->v[0];
		h->v[0] = h->v[--h->n];
		sift_down(h, 0);
		h->v[h->n] = worst;
	}
	h->n = n;
	return n;
}

struct stream {
	struct vgate *g;
	const struct vquery *q;
	struct heap *h;
	int8_t *buf;
};

/* Vectors not held in memory: score them as they are read. */
static int on_stored(const void *key, size_t klen, const void *val, size_t vlen, void *arg)
{
	struct stream *s = arg;
	unsigned dims;
	float scale;
	const int8_t *v;
	vref r;
	if (vc_vector_parse(val, vlen, s->g->c->model, &dims, &scale, &v) || dims != s->q->dims ||
	    !vgate_chunk(s->g, key, klen, &r))
		return s->g->st != Q_OK;
	for (unsigned i = 0; i < dims; i++)
		s->buf[i] = v[i] == -128 ? -127 : v[i];
	heap_push(s->h, r, (float)vcache_dot(s->buf, s->q->v, s->q->stride) * scale * s->q->scale);
	return 0;
}

/* ---- past exact: a binary prefilter, int8 rescoring ------------------------ */

static size_t exact_max = SIZE_MAX;

void vcache_set_exact_max(size_t n)
{
	exact_max = n;
}

/* The estimate's distance of a vector's 2-bit code a from the query
 * (lower is nearer). A code stands for the values s (1 + 2 m): +-1 below
 * the vector's root mean square, +-3 above. With q's magnitude planes
 * (query_masks), disagreements x = sign(a) ^ sign(q) and magnitudes m:
 * sum_i |q_i| s_i sign(q_i) (1 + 2 m_i) = P + 2A - 2D - 4B, where per
 * plane D = |x & q|, A = |m & q|, B = |x & m & q| and P depends on the
 * query alone: the distance is D + 2B - A (+ the most A can be, so it
 * stays positive). Per dimension D + 2B - A is w (x + 2 x m - m), which
 * plus w is w (2 x + (x xnor m)): so two weighted counts, 2 |x & q| +
 * |~(x ^ m) & q|, less the planes' total weight, give it (8 popcounts a
 * word instead of 12). */
#define CODE_BODY                                                                 \
	unsigned d = 0;                                                           \
	const uint64_t *mg = a + words;                                           \
	for (unsigned w = 0; w < words; w++) {                                    \
		uint64_t x = a[w] ^ q->bits[w], e = ~(x ^ mg[w]);                 \
		for (unsigned p = 0; p < VPLANES; p++) {                          \
			uint64_t qp = q->mask[p * words + w];                     \
			d += (2 * (unsigned)__builtin_popcountll(x & qp) +        \
			      (unsigned)__builtin_popcountll(e & qp)) << p;       \
		}                                                                 \
	}                                                                         \
	return d + most - q->wsum;
static unsigned code_c(const uint64_t *a, const struct vquery *q, unsigned words, unsigned most)
{
	CODE_BODY
}
#ifdef HAVE_AVX2_KERNEL
__attribute__((target("popcnt"))) static unsigned code_popcnt(const uint64_t *a,
							      const struct vquery *q,
							      unsigned words, unsigned most)
{
	CODE_BODY
}

/* The same with AVX-512 (VPOPCNTDQ): eight words of each part at a time,
 * the planes' weighted counts summed in the lanes. */
__attribute__((target("avx512f,avx512vpopcntdq"))) static unsigned
code_avx512(const uint64_t *a, const struct vquery *q, unsigned words, unsigned most)
{
	const uint64_t *mg = a + words;
	__m512i acc = _mm512_setzero_si512();
	unsigned w = 0;
	for (; w + 8 <= words; w += 8) {
		__m512i x = _mm512_xor_si512(_mm512_loadu_si512(a + w), _mm512_loadu_si512(q->bits + w));
		/* ~(x ^ m): ternary logic 0x99 is not (b xor c) */
		__m512i e = _mm512_ternarylogic_epi64(x, x, _mm512_loadu_si512(mg + w), 0x99);
		for (unsigned p = 0; p < VPLANES; p++) {
			__m512i qp = _mm512_loadu_si512(q->mask + p * words + w);
			__m512i d = _mm512_add_epi64(_mm512_slli_epi64(_mm512_popcnt_epi64(_mm512_and_si512(x, qp)), 1),
						     _mm512_popcnt_epi64(_mm512_and_si512(e, qp)));
			acc = _mm512_add_epi64(acc, _mm512_slli_epi64(d, p));
		}
	}
	long long r = _mm512_reduce_add_epi64(acc);
	for (; w < words; w++) {   /* dimensions past a multiple of 512 */
		uint64_t x = a[w] ^ q->bits[w], e = ~(x ^ mg[w]);
		for (unsigned p = 0; p < VPLANES; p++) {
			uint64_t qp = q->mask[p * words + w];
			r += (2 * (long long)__builtin_popcountll(x & qp) +
			      (long long)__builtin_popcountll(e & qp)) << p;
		}
	}
	return (unsigned)(r + most - q->wsum);
}
#endif

/* A code kernel: the distance of a vector's code from the query. */
typedef unsigned (*code_fn)(const uint64_t *, const struct vquery *, unsigned, unsigned);

/* A list's distances: dist[j] of the code of slot s[j], j < n. */
static void codes_of(const uint64_t *bits, const uint32_t *s, uint32_t n, const struct vquery *q,
		     unsigned words, unsigned most, code_fn code, uint32_t *dist)
{
	for (uint32_t j = 0; j < n; j++)
		dist[j] = code(bits + (size_t)s[j] * 2 * words, q, words, most);
}

#ifdef HAVE_AVX2_KERNEL
/* codes_of at 512 dimensions (eight words) with AVX-512: the query's sign
 * bits and planes held in registers over the whole list. */
__attribute__((target("avx512f,avx512vpopcntdq"))) static void
codes_of_512(const uint64_t *bits, const uint32_t *s, uint32_t n, const struct vquery *q,
	     unsigned most, uint32_t *dist)
{
	__m512i qb = _mm512_loadu_si512(q->bits), qp[VPLANES];
	for (unsigned p = 0; p < VPLANES; p++)
		qp[p] = _mm512_loadu_si512(q->mask + p * 8);
	long long base = (long long)most - q->wsum;
	for (uint32_t j = 0; j < n; j++) {
		const uint64_t *a = bits + (size_t)s[j] * 16;
		__m512i x = _mm512_xor_si512(_mm512_loadu_si512(a), qb);
		__m512i e = _mm512_ternarylogic_epi64(x, x, _mm512_loadu_si512(a + 8), 0x99);
		__m512i acc = _mm512_setzero_si512();
		for (unsigned p = VPLANES; p-- > 0;) {   /* Horner: acc = 2 acc + plane p */
			__m512i d = _mm512_add_epi64(
				_mm512_add_epi64(_mm512_popcnt_epi64(_mm512_and_si512(x, qp[p])),
						 _mm512_popcnt_epi64(_mm512_and_si512(x, qp[p]))),
				_mm512_popcnt_epi64(_mm512_and_si512(e, qp[p])));
			acc = _mm512_add_epi64(_mm512_add_epi64(acc, acc), d);
		}
		dist[j] = (uint32_t)(_mm512_reduce_add_epi64(acc) + base);
	}
}
#endif

/* The definition, dimension by dimension: sum_i w_i (x + 2 x m - m) +
 * most, w_i the query's level (its planes' bits). */
static unsigned code_ref(const uint64_t *a, const struct vquery *q, unsigned words, unsigned most)
{
	long long d = most;
	for (unsigned i = 0; i < words * 64; i++) {
		unsigned w = 0, x = (unsigned)((a[i / 64] ^ q->bits[i / 64]) >> (i % 64) & 1),
			 m = (unsigned)(a[words + i / 64] >> (i % 64) & 1);
		for (unsigned p = 0; p < VPLANES; p++)
			w |= (unsigned)(q->mask[p * words + i / 64] >> (i % 64) & 1) << p;
		d += (long long)w * ((long long)x + 2 * x * m - m);
	}
	return (unsigned)d;
}

/* Tests' random case: a query of dims values drawn from *x (xorshift),
 * then n random code words in a. */
static struct vquery *random_case(uint64_t *x, int8_t *v, unsigned dims, uint64_t *a, unsigned n)
{
	for (unsigned i = 0; i < dims; i++) {
		*x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
		v[i] = (int8_t)(*x % 255 - 127);
	}
	struct vquery *q = vquery_new(v, dims, 1);
	for (unsigned i = 0; i < n; i++) {
		*x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
		a[i] = *x;
	}
	return q;
}

/* Tests: the fastest code kernel this CPU has (and the lists' kernel at
 * 512 dimensions) against the plain one on random codes and queries of
 * dims dimensions; how many differ. */
unsigned vscan_code_check(unsigned dims, unsigned rounds)
{
	unsigned words = VBITS(dims), most = words * 64 * ((1 << VPLANES) - 1), bad = 0;
	unsigned (*code)(const uint64_t *, const struct vquery *, unsigned, unsigned) = code_c;
#ifdef HAVE_AVX2_KERNEL
	if (__builtin_cpu_supports("avx512vpopcntdq"))
		code = code_avx512;
	else if (__builtin_cpu_supports("popcnt"))
		code = code_popcnt;
#endif
	uint64_t *a = malloc(2 * words * sizeof *a), x = 88172645463325252ull;
	int8_t *v = malloc(dims ? dims : 1);
	for (unsigned r = 0; a && v && r < rounds; r++) {
		struct vquery *q = random_case(&x, v, dims, a, 2 * words);
		bad += !q || code(a, q, words, most) != code_c(a, q, words, most) ||
		       code_c(a, q, words, most) != code_ref(a, q, words, most);
#ifdef HAVE_AVX2_KERNEL
		uint32_t slot = 0, d = 0;   /* the list kernel at 512 dimensions */
		if (q && words == 8 && __builtin_cpu_supports("avx512vpopcntdq")) {
			codes_of_512(a, &slot, 1, q, most, &d);
			bad += d != code_c(a, q, words, most);
		}
#endif
		vquery_free(q);
	}
	free(a);
	free(v);
	return bad;
}

/* The code kernel this CPU runs best (QUIRE_NO_SIMD: the plain one). */
static code_fn code_kernel(void)
{
#ifdef HAVE_AVX2_KERNEL
	if (__builtin_cpu_supports("avx512vpopcntdq") && !getenv("QUIRE_NO_SIMD"))
		return code_avx512;
	if (__builtin_cpu_supports("popcnt"))
		return code_popcnt;
#endif
	return code_c;
}

/* Candidates for a top k: the allowed slots nearest the query by their
 * 2-bit codes, ranked then by the int8 dot product. The count
 * (VSCAN_RESCORE per result, at least VSCAN_RESCORE_MIN and one vector in
 * VSCAN_RESCORE_SHARE) holds recall@10
 * against the exact scan at 0.98 or more (make bench-search prints it for
 * semantic and for hybrid, whose vector side asks for 100: with 10 per
 * result hybrid's recall@10 was 0.9993 at 100,000 chunks, 1.0000 with 40). */
#ifndef VSCAN_RESCORE
#define VSCAN_RESCORE 10
#endif
#ifndef VSCAN_RESCORE_MIN
#define VSCAN_RESCORE_MIN 2000
#endif
/* (2,000: recall@10 0.9973 at 100,000 vectors with the n / 40 below, 2,500,
 * against 0.9997 with 8,000 at 1.3x the CPU time) and at least one vector
 * in this many: with 8,000 alone recall@10 fell
 * from 0.993 at 100,000 vectors to 0.982 at 400,000 */
#ifndef VSCAN_RESCORE_SHARE
#define VSCAN_RESCORE_SHARE 40
#endif
#define FILTERED UINT32_MAX
static enum qstatus prefiltered(struct vcache *c, struct vgate *g, const struct vquery *q,
				struct heap *h, struct qerr *err)
{
	unsigned words = VBITS(c->dims), most = words * 64 * ((1 << VPLANES) - 1), shift = 0;
	code_fn code = code_kernel();
	while ((4u * most) >> shift >= 1u << 15)   /* the histogram's buckets: 32768 at most */
		shift++;
	unsigned buckets = ((4 * most) >> shift) + 1;
	size_t want = h->k * VSCAN_RESCORE > VSCAN_RESCORE_MIN ? h->k * VSCAN_RESCORE
							       : VSCAN_RESCORE_MIN;
	if (want < c->n / VSCAN_RESCORE_SHARE)   /* the true top k spread wider as n grows */
		want = c->n / VSCAN_RESCORE_SHARE;
	uint32_t *dist = malloc((c->n ? c->n : 1) * sizeof *dist);
	size_t *hist = calloc(buckets, sizeof *hist);
	if (!dist || !hist) {
		free(dist);
		free(hist);
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	}
	for (size_t i = 0; i < c->n; i++) {
		dist[i] = gate_doc(g, c->ref[i] >> 32)
			  ? code(c->bits + i * VCODE(c->dims), q, words, most) : FILTERED;
		if (dist[i] != FILTERED)
			hist[dist[i] >> shift]++;
	}
	/* the bucket up to which about want candidates lie */
	unsigned cut = 0;
	for (size_t sum = 0; cut < buckets && (sum += hist[cut]) < want; cut++)
		;
	vdot_fn dot = vdot_kernel();
	for (size_t i = 0; i < c->n; i++)
		if (dist[i] != FILTERED && dist[i] >> shift <= cut) {
			int32_t d = dot(c->vec + i * c->stride, q->v, c->stride);
			heap_push(h, c->ref[i], (float)d * c->scale[i] * q->scale);
		}
	free(dist);
	free(hist);
	return Q_OK;
}

/* ---- past exact with an inverted file: the nearest lists ------------------- */

static size_t ivf_probe = 128, ivf_rescore = 2000, ivf_signs = 16000;
static double ivf_share = 0.38;

void vcache_set_ivf_probe(size_t n)
{
	ivf_probe = n;
}

void vcache_set_ivf_share(double share)
{
	ivf_share = share;
}

/* Lists a query probes among nlist: ivf_probe, or the share of them when
 * that is more (the lists grow as the square root of the vectors, so a
 * fixed count is a falling share of the collection); at most nlist. */
static size_t probes(size_t nlist)
{
	double s = ivf_share * (double)nlist;
	size_t n = ivf_probe, by_share = s > 0 ? (size_t)s + (s > (double)(size_t)s) : 0;
	if (n && by_share > n)
		n = by_share;
	return n < nlist ? n : nlist;
}

void vcache_set_ivf_rescore(size_t n)
{
	ivf_rescore = n;
}

void vcache_set_ivf_signs(size_t n)
{
	ivf_signs = n;
}

/* The sign bits' distance of a list's members from the query: the weight
 * of the dimensions where the signs disagree, sum_p 2^p |x & plane p|
 * (the first half of the code's distance, without the magnitudes):
 * dist[j] of the words words at sg + j * words, j < n. */
static void signs_c(const uint64_t *sg, uint32_t n, const struct vquery *q, unsigned words,
		    uint32_t *dist)
{
	for (uint32_t j = 0; j < n; j++, sg += words) {
		unsigned d = 0;
		for (unsigned w = 0; w < words; w++) {
			uint64_t x = sg[w] ^ q->bits[w];
			for (unsigned p = 0; p < VPLANES; p++)
				d += (unsigned)__builtin_popcountll(x & q->mask[p * words + w]) << p;
		}
		dist[j] = d;
	}
}

#ifdef HAVE_AVX2_KERNEL
/* One row's weighted popcounts, eight 64-bit lanes still to be summed. */
__attribute__((target("avx512f,avx512vpopcntdq"))) static inline __m512i
signs_row(const uint64_t *row, __m512i qb, const __m512i *qp)
{
	__m512i x = _mm512_xor_si512(_mm512_loadu_si512(row), qb);
	__m512i acc = _mm512_popcnt_epi64(_mm512_and_si512(x, qp[VPLANES - 1]));
	for (unsigned p = VPLANES - 1; p-- > 0;)   /* Horner */
		acc = _mm512_add_epi64(_mm512_add_epi64(acc, acc),
				       _mm512_popcnt_epi64(_mm512_and_si512(x, qp[p])));
	return acc;
}

/* The lanes of two rows' sums pairwise: per 128-bit lane k,
 * (a[2k] + a[2k+1], b[2k] + b[2k+1]). */
__attribute__((target("avx512f"))) static inline __m512i pair_sum(__m512i a, __m512i b)
{
	return _mm512_add_epi64(_mm512_unpacklo_epi64(a, b), _mm512_unpackhi_epi64(a, b));
}

/* signs_c at 512 dimensions with AVX-512: the query's signs and planes in
 * registers, one 64-byte row a member; eight rows' lanes summed together
 * (a transposition by shuffles, not a horizontal sum per row). */
__attribute__((target("avx512f,avx512vpopcntdq"))) static void
signs_512(const uint64_t *sg, uint32_t n, const struct vquery *q, uint32_t *dist)
{
	__m512i qb = _mm512_loadu_si512(q->bits), qp[VPLANES];
	for (unsigned p = 0; p < VPLANES; p++)
		qp[p] = _mm512_loadu_si512(q->mask + p * 8);
	uint32_t j = 0;
	for (; j + 8 <= n; j += 8, sg += 64) {
		__m512i t0 = pair_sum(signs_row(sg, qb, qp), signs_row(sg + 8, qb, qp));
		__m512i t1 = pair_sum(signs_row(sg + 16, qb, qp), signs_row(sg + 24, qb, qp));
		__m512i t2 = pair_sum(signs_row(sg + 32, qb, qp), signs_row(sg + 40, qb, qp));
		__m512i t3 = pair_sum(signs_row(sg + 48, qb, qp), signs_row(sg + 56, qb, qp));
		/* u0's 128-bit lanes: t0's lanes 0+1 and 2+3, then t1's: rows
		 * 0-1, 0-1, 2-3, 2-3, each pair of rows in two halves */
		__m512i u0 = _mm512_add_epi64(_mm512_shuffle_i64x2(t0, t1, 0x88),
					      _mm512_shuffle_i64x2(t0, t1, 0xdd));
		__m512i u1 = _mm512_add_epi64(_mm512_shuffle_i64x2(t2, t3, 0x88),
					      _mm512_shuffle_i64x2(t2, t3, 0xdd));
		/* v's lanes: rows 0-1, 2-3, 4-5, 6-7 whole: rows 0-7 in order */
		__m512i v = _mm512_add_epi64(_mm512_shuffle_i64x2(u0, u1, 0x88),
					     _mm512_shuffle_i64x2(u0, u1, 0xdd));
		_mm256_storeu_si256((__m256i *)(dist + j), _mm512_cvtepi64_epi32(v));
	}
	for (; j < n; j++, sg += 8)
		dist[j] = (uint32_t)_mm512_reduce_add_epi64(signs_row(sg, qb, qp));
}
#endif

/* The signs' distance of n rows, the fastest kernel this CPU has. */
static void signs_of(const uint64_t *sg, uint32_t n, const struct vquery *q, unsigned words,
		     uint32_t *dist)
{
#ifdef HAVE_AVX2_KERNEL
	if (words == 8 && code_kernel() == code_avx512) {
		signs_512(sg, n, q, dist);
		return;
	}
#endif
	signs_c(sg, n, q, words, dist);
}

#define SIGNS_ROWS 19   /* two groups of eight rows and three alone */

unsigned vscan_signs_check(unsigned dims, unsigned rounds)
{
	unsigned words = VBITS(dims), bad = 0;
	uint64_t *a = malloc(SIGNS_ROWS * words * sizeof *a), x = 2463534242ull;
	int8_t *v = malloc(dims ? dims : 1);
	for (unsigned r = 0; a && v && r < rounds; r++) {
		struct vquery *q = random_case(&x, v, dims, a, SIGNS_ROWS * words);
		uint32_t fast[SIGNS_ROWS], plain[SIGNS_ROWS];
		if (!q) {
			bad++;
			continue;
		}
		signs_of(a, SIGNS_ROWS, q, words, fast);
		signs_c(a, SIGNS_ROWS, q, words, plain);
		for (unsigned j = 0; j < SIGNS_ROWS; j++) {
			/* by definition: the query's level where the signs differ */
			unsigned ref = 0;
			for (unsigned i = 0; i < words * 64; i++) {
				unsigned lvl = 0;
				for (unsigned p = 0; p < VPLANES; p++)
					lvl |= (unsigned)(q->mask[p * words + i / 64] >> (i % 64) & 1) << p;
				ref += lvl * (unsigned)((a[j * words + i / 64] ^ q->bits[i / 64]) >> (i % 64) & 1);
			}
			bad += fast[j] != plain[j] || plain[j] != ref;
		}
		vquery_free(q);
	}
	free(a);
	free(v);
	return bad;
}

/* A probe's working memory, kept between queries (the cache's lock is
 * held around every scan): the scanned slots, their distances, the
 * histogram of the distances and the slots' order by it; the sign pass
 * (ivf_signs) fills one, the codes' pass over its best the other. */
struct pwork {
	uint32_t *slot, *dist, *order, *hist;
	size_t cap, hcap;
};
static struct pwork pw, pc;

static int pw_fit(struct pwork *w, size_t n, size_t buckets)
{
	if (n > w->cap) {
		size_t na = n + n / 4;
		uint32_t *a = realloc(w->slot, na * sizeof *a);
		if (a)
			w->slot = a;
		uint32_t *b = realloc(w->dist, na * sizeof *b);
		if (b)
			w->dist = b;
		uint32_t *o = realloc(w->order, na * sizeof *o);
		if (o)
			w->order = o;
		if (!a || !b || !o)
			return -1;
		w->cap = na;
	}
	if (buckets + 1 > w->hcap) {
		uint32_t *h = realloc(w->hist, (buckets + 1) * sizeof *h);
		if (!h)
			return -1;
		w->hist = h;
		w->hcap = buckets + 1;
	}
	return 0;
}

/* w's first n entries ordered by distance (a counting sort over the
 * histogram hist[d + 1] counted, buckets distances): nearest first, scan
 * order within a distance. */
static void pw_sort(struct pwork *w, size_t n, unsigned buckets)
{
	for (unsigned b = 0; b < buckets; b++)   /* hist[b]: where bucket b starts */
		w->hist[b + 1] += w->hist[b];
	for (size_t j = 0; j < n; j++)
		w->order[w->hist[w->dist[j]]++] = (uint32_t)j;
}

struct probe {
	struct vcache *c;
	struct vgate *g;
	const struct vquery *q;
	struct heap *h;
	uint32_t *order;          /* lists nearest first */
	struct vmap hinted;       /* slots the hints scored */
	size_t lists, met;        /* lists scanned, allowed vectors met */
};

/* Score slot i exactly (int8) into the heap. */
static inline void rescore(struct probe *p, vdot_fn dot, size_t i)
{
	const struct vcache *c = p->c;
	int32_t d = dot(c->vec + i * c->stride, p->q->v, c->stride);
	heap_push(p->h, c->ref[i], (float)d * c->scale[i] * p->q->scale);
}

/* Every allowed vector of the next list, by the int8 dot product. */
static void probe_exact(struct probe *p, vdot_fn dot)
{
	const struct ivf_lists *L = p->c->lists;
	uint32_t l = p->order[p->lists++];
	for (uint32_t j = 0; j < L->n[l]; j++) {
		size_t i = L->s[l][j];
		if (!gate_doc(p->g, p->c->ref[i] >> 32))
			continue;
		p->met++;
		if (vmap_get(&p->hinted, i) < 0)
			rescore(p, dot, i);
	}
	p->c->stats.ivf_scanned += L->n[l];
}

/* The histogram's shift for distances up to top: 32768 buckets at most. */
static unsigned shift_for(unsigned top)
{
	unsigned shift = 0;
	while (top >> shift >= 1u << 15)
		shift++;
	return shift;
}

/* Nearest code first (w sorted), the allowed ones of w's n rescored with
 * int8 until want were (the distance's last bucket taken whole): how many. */
static size_t rescore_nearest(struct probe *p, vdot_fn dot, const struct pwork *w, size_t n,
			      size_t want)
{
	size_t done = 0;
	uint32_t last = 0;
	for (size_t j = 0; j < n; j++) {
		uint32_t e = w->order[j], i = w->slot[e];
		if (done >= want && w->dist[e] != last)
			break;   /* past the bucket of the last one needed */
		last = w->dist[e];
		if (!gate_doc(p->g, p->c->ref[i] >> 32))
			continue;
		p->met++;
		done++;
		if (vmap_get(&p->hinted, i) < 0)
			rescore(p, dot, i);
	}
	return done;
}

/* The slots s[j] of the n whose distance d[j] lies in [lo, cut], in order,
 * into out: how many. The AVX-512 way (fast512) takes 16 at a time and
 * may write up to 16 entries past the last it returns. */
#ifdef HAVE_AVX2_KERNEL
__attribute__((target("avx512f"))) static size_t
between_512(const uint32_t *d, const uint32_t *s, uint32_t n, uint32_t lo, uint32_t cut,
	    uint32_t *out)
{
	__m512i vlo = _mm512_set1_epi32((int)lo), vspan = _mm512_set1_epi32((int)(cut - lo));
	size_t m = 0;
	uint32_t j = 0;
	for (; j + 16 <= n; j += 16) {
		__m512i dv = _mm512_sub_epi32(_mm512_loadu_si512(d + j), vlo);
		__mmask16 k = _mm512_cmp_epu32_mask(dv, vspan, _MM_CMPINT_LE);
		if (!k)
			continue;
		__m512i sv = _mm512_maskz_loadu_epi32(k, s + j);
		_mm512_storeu_si512(out + m, _mm512_maskz_compress_epi32(k, sv));
		m += (size_t)__builtin_popcount(k);
	}
	for (; j < n; j++)
		if (d[j] - lo <= cut - lo)
			out[m++] = s[j];
	return m;
}
#endif

static size_t between(const uint32_t *d, const uint32_t *s, uint32_t n, uint32_t lo, uint32_t cut,
		      uint32_t *out, int fast512)
{
	size_t m = 0;
#ifdef HAVE_AVX2_KERNEL
	if (fast512)
		return between_512(d, s, n, lo, cut, out);
#else
	(void)fast512;
#endif
	for (uint32_t j = 0; j < n; j++)
		if (d[j] >= lo && d[j] <= cut)
			out[m++] = s[j];
	return m;
}

unsigned vscan_between_check(unsigned rounds)
{
	enum { N = 203 };   /* twelve groups of 16 and eleven alone */
	uint32_t d[N], s[N], fast[N + 16], plain[N];
	uint64_t x = 88172645463325252ull;
	unsigned bad = 0;
	int fast512 = 0;
#ifdef HAVE_AVX2_KERNEL
	fast512 = code_kernel() == code_avx512;
#endif
	for (unsigned r = 0; r < rounds; r++) {
		for (unsigned j = 0; j < N; j++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			d[j] = (uint32_t)(x % 64);
			s[j] = (uint32_t)(x >> 32);
		}
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		uint32_t lo = (uint32_t)(x % 64), cut = lo + (uint32_t)(x >> 40) % (r % 4 ? 4 : 64);
		size_t n = between(d, s, N, lo, cut, fast, fast512), m = 0;
		for (unsigned j = 0; j < N; j++)
			if (d[j] >= lo && d[j] <= cut)
				plain[m++] = s[j];
		bad += n != m || memcmp(fast, plain, m * sizeof *plain) != 0;
	}
	return bad;
}

#define PREFETCH_AHEAD 8   /* codes asked for ahead of the one scored */

/* The probed lists' sign bits alone (the lists' copies, 64 bytes a vector
 * at 512 dimensions, read in order) into pw; then, with no sort of the
 * whole, the 2-bit codes of the ivf_signs or more nearest by the signs
 * (whole buckets of the signs' distance) into pc, sorted, and
 * rescore_nearest over them; while fewer than ivf_rescore of them were
 * allowed (a narrow filter), the next ones up to twice as many. The filter
 * is asked only in rescore_nearest. */
static enum qstatus probe_signs(struct probe *p, vdot_fn dot, size_t np, size_t tot,
				struct qerr *err)
{
	struct vcache *c = p->c;
	const struct ivf_lists *L = c->lists;
	unsigned words = VBITS(c->dims), most = words * 64 * ((1 << VPLANES) - 1);
	unsigned sshift = shift_for(most), sbuckets = (most >> sshift) + 1;
	unsigned cshift = shift_for(4 * most), cbuckets = ((4 * most) >> cshift) + 1;
	code_fn code = code_kernel();
	int fast512 = 0;
#ifdef HAVE_AVX2_KERNEL
	fast512 = code == code_avx512;
#endif
	/* between() may write 16 entries past its last */
	if (pw_fit(&pw, tot ? tot : 1, sbuckets) || pw_fit(&pc, tot + 16, cbuckets))
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	memset(pw.hist, 0, (sbuckets + 1) * sizeof *pw.hist);
	size_t at = 0;
	for (; p->lists < np; p->lists++) {
		uint32_t l = p->order[p->lists];
		signs_of(L->sg[l], L->n[l], p->q, words, pw.dist + at);
		for (uint32_t j = 0; j < L->n[l]; j++, at++) {
			pw.dist[at] >>= sshift;
			pw.hist[pw.dist[at] + 1]++;
		}
		c->stats.ivf_scanned += L->n[l];
	}
	size_t done = 0, below = 0, want = ivf_signs;
	unsigned lo = 0, cut = 0;
	while (done < ivf_rescore && lo < sbuckets) {
		for (; cut < sbuckets && (below += pw.hist[cut + 1]) < want; cut++)
			;
		size_t m = 0;
		memset(pc.hist, 0, (cbuckets + 1) * sizeof *pc.hist);
		at = 0;   /* the slots from the lists themselves, in the scan's order */
		for (size_t x = 0; x < np; x++) {
			uint32_t l = p->order[x];
			m += between(pw.dist + at, L->s[l], L->n[l], lo, cut, pc.slot + m, fast512);
			at += L->n[l];
		}
		for (size_t k = 0; k < m; k++) {   /* the codes lie apart: ask for them ahead */
			if (k + PREFETCH_AHEAD < m)
				__builtin_prefetch(c->bits + (size_t)pc.slot[k + PREFETCH_AHEAD] * VCODE(c->dims));
			pc.dist[k] = code(c->bits + (size_t)pc.slot[k] * VCODE(c->dims), p->q, words,
					  most) >> cshift;
			pc.hist[pc.dist[k] + 1]++;
		}
		pw_sort(&pc, m, cbuckets);
		done += rescore_nearest(p, dot, &pc, m, ivf_rescore - done);
		lo = ++cut;
		want = 2 * below;
	}
	return Q_OK;
}

/* The ivf_probe nearest lists by the vectors' 2-bit codes (vscan's
 * prefilter distance, every vector, no filter), or first by their sign
 * bits when they hold ivf_signs vectors or more (probe_signs); then
 * rescore_nearest: the filter asks only about the vectors rescored and
 * those passed over, not every vector of the lists. */
static enum qstatus probe_codes(struct probe *p, vdot_fn dot, struct qerr *err)
{
	struct vcache *c = p->c;
	const struct ivf_lists *L = c->lists;
	unsigned words = VBITS(c->dims), most = words * 64 * ((1 << VPLANES) - 1);
	unsigned shift = shift_for(4 * most), buckets = ((4 * most) >> shift) + 1;
	code_fn code = code_kernel();
#ifdef HAVE_AVX2_KERNEL
	int fast512 = words == 8 && code == code_avx512;
#endif
	size_t tot = 0, np = probes(c->ivf->nlist);
	for (size_t j = 0; j < np; j++)
		tot += L->n[p->order[j]];
	if (ivf_signs && ivf_signs <= tot) {
		return probe_signs(p, dot, np, tot, err);
	}
	if (pw_fit(&pw, tot ? tot : 1, buckets))
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	memset(pw.hist, 0, (buckets + 1) * sizeof *pw.hist);
	size_t at = 0;
	for (; p->lists < np; p->lists++) {
		uint32_t l = p->order[p->lists];
#ifdef HAVE_AVX2_KERNEL
		if (fast512)
			codes_of_512(c->bits, L->s[l], L->n[l], p->q, most, pw.dist + at);
		else
#endif
			codes_of(c->bits, L->s[l], L->n[l], p->q, words, most, code, pw.dist + at);
		memcpy(pw.slot + at, L->s[l], L->n[l] * sizeof *pw.slot);
		for (uint32_t j = 0; j < L->n[l]; j++, at++) {
			pw.dist[at] >>= shift;
			pw.hist[pw.dist[at] + 1]++;
		}
		c->stats.ivf_scanned += L->n[l];
	}
	pw_sort(&pw, tot, buckets);
	rescore_nearest(p, dot, &pw, tot, ivf_rescore);
	return Q_OK;
}

/* The hints (keyword candidates, allowed chunks) scored exactly first;
 * then the ivf_probe lists nearest q: every allowed vector by the int8
 * dot product (ivf_rescore 0), or the ivf_rescore nearest by their codes
 * (probe_codes); further lists, every vector, while fewer than k allowed
 * vectors were met (a narrow filter). */
static enum qstatus ivf_scan(struct vcache *c, struct vgate *g, const struct vquery *q,
			     const struct vscored *hint, size_t nhint, struct heap *h,
			     struct qerr *err)
{
	const struct ivf *v = c->ivf;
	struct probe p = {c, g, q, h, malloc(v->nlist * sizeof *p.order), {0}, 0, 0};
	enum qstatus st = Q_OK;
	vdot_fn dot = vdot_kernel();
	if (!p.order) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	ivf_rank(v, q->v, p.order);
	for (size_t j = 0; j < nhint; j++) {
		long i = vc_slot(c, hint[j].ref);
		if (i < 0 || vmap_get(&p.hinted, (uint64_t)i) >= 0)
			continue;
		if (vmap_put(&p.hinted, (uint64_t)i, 1)) {
			st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
			goto out;
		}
		rescore(&p, dot, (size_t)i);
	}
	if (ivf_rescore && (st = probe_codes(&p, dot, err)) != Q_OK)
		goto out;
	while (p.lists < v->nlist && (p.lists < probes(v->nlist) || p.met < h->k))
		probe_exact(&p, dot);
out:
	vmap_free(&p.hinted);
	free(p.order);
	return st;
}

static enum qstatus top(struct vcache *c, struct vgate *g, const struct vquery *q, size_t k,
			const struct vscored *hint, size_t nhint, struct vscored *out, size_t *n,
			struct qerr *err);

enum qstatus vcache_top(struct vcache *c, struct vgate *g, const struct vquery *q, size_t k,
			struct vscored *out, size_t *n, struct qerr *err)
{
	return top(c, g, q, k, NULL, 0, out, n, err);
}

enum qstatus vcache_top_hinted(struct vcache *c, struct vgate *g, const struct vquery *q,
			       size_t k, const struct vscored *hint, size_t nhint,
			       struct vscored *out, size_t *n, struct qerr *err)
{
	static const struct vscored none;
	return top(c, g, q, k, hint ? hint : &none, hint ? nhint : 0, out, n, err);
}

static enum qstatus top(struct vcache *c, struct vgate *g, const struct vquery *q, size_t k,
			const struct vscored *hint, size_t nhint, struct vscored *out, size_t *n,
			struct qerr *err)
{
	struct heap h = {c, out, 0, k};
	enum qstatus st = Q_OK;
	*n = 0;
	if (!*c->model)
		return Q_OK;
	if (!c->vectors_cached) {
		struct stream s = {g, q, &h, aligned_alloc(VEC_ALIGN, q->stride ? q->stride : VEC_ALIGN)};
		struct store_key all;
		if (!s.buf)
			return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		memset(s.buf, 0, q->stride);
		store_key_init(&all);
		st = store_scan_raw(g->t, T_VECTORS, &all, on_stored, &s, err);
		free(s.buf);
	} else if (q->dims == c->dims && c->n > exact_max && c->ivf && ivf_probe && hint) {
		st = ivf_scan(c, g, q, hint, nhint, &h, err);
	} else if (q->dims == c->dims && c->n > exact_max && c->dims <= 4096) {
		st = prefiltered(c, g, q, &h, err);
	} else if (q->dims == c->dims) {
		vdot_fn dot = vdot_kernel();
		for (size_t i = 0; i < c->n; i++) {
			if (!gate_doc(g, c->ref[i] >> 32))
				continue;
			int32_t d = dot(c->vec + i * c->stride, q->v, c->stride);
			heap_push(&h, c->ref[i], (float)d * c->scale[i] * q->scale);
		}
	}
	if (st == Q_OK)
		st = vgate_status(g, err);
	if (st == Q_OK)
		*n = heap_sort(&h);
	return st;
}

/* Chunk r's vector as the kernel wants it: a pointer into the cache, or
 * read from the database into buf (stride bytes, aligned). NULL when it
 * has none of q's dimension. */
static const int8_t *vector_of(const struct vcache *c, struct stxn *t, vref r, unsigned dims,
			       unsigned stride, int8_t *buf, float *scale)
{
	if (c->vectors_cached) {
		long i = vc_slot(c, r);
		if (i < 0 || c->dims != dims)
			return NULL;
		*scale = c->scale[i];
		return c->vec + (size_t)i * c->stride;
	}
	char key[64], *raw;
	size_t len;
	unsigned d;
	const int8_t *v;
	struct qerr err;
	const int8_t *out = NULL;
	vcache_chunk_key(c, r, key, sizeof key);
	if (!buf || store_get_raw(t, T_VECTORS, key, &raw, &len, &err) != Q_OK)
		return NULL;
	if (!vc_vector_parse(raw, len, c->model, &d, scale, &v) && d == dims) {
		memset(buf, 0, stride);
		for (unsigned i = 0; i < dims; i++)
			buf[i] = v[i] == -128 ? -127 : v[i];
		out = buf;
	}
	free(raw);
	return out;
}

int vcache_score(const struct vcache *c, struct stxn *t, vref r, const struct vquery *q,
		 float *score)
{
	int8_t *buf = c->vectors_cached ? NULL : aligned_alloc(VEC_ALIGN, q->stride ? q->stride : VEC_ALIGN);
	float scale;
	const int8_t *v = vector_of(c, t, r, q->dims, q->stride, buf, &scale);
	if (v)
		*score = (float)vcache_dot(v, q->v, q->stride) * scale * q->scale;
	free(buf);
	return v != NULL;
}

int vcache_vector(const struct vcache *c, struct stxn *t, vref r, unsigned dims, float *out)
{
	unsigned stride = (dims + VEC_ALIGN - 1) / VEC_ALIGN * VEC_ALIGN;
	int8_t *buf = c->vectors_cached ? NULL : aligned_alloc(VEC_ALIGN, stride ? stride : VEC_ALIGN);
	float scale;
	const int8_t *v = vector_of(c, t, r, dims, stride, buf, &scale);
	for (unsigned k = 0; v && k < dims; k++)
		out[k] = v[k] * scale;
	free(buf);
	return v != NULL;
}

static int better(const void *a, const void *b, void *c)
{
	return below(c, b, a) ? -1 : below(c, a, b) ? 1 : 0;
}

size_t vcache_best(const struct vcache *c, struct vscored *v, size_t n, size_t k)
{
	if (k > n)
		k = n;
	/* Quickselect (middle pivot) until the k best lead, then sort them. */
	size_t lo = 0, hi = n;
	while (k && hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2, store = lo;
		struct vscored p = v[mid], x;
		v[mid] = v[hi - 1];
		v[hi - 1] = p;
		for (size_t i = lo; i < hi - 1; i++)
			if (below(c, &p, &v[i])) {
				x = v[i];
				v[i] = v[store];
				v[store++] = x;
			}
		v[hi - 1] = v[store];
		v[store] = p;
		if (store == k || store + 1 == k)
			break;
		if (store > k)
			hi = store;
		else
			lo = store + 1;
	}
	qsort_r(v, k, sizeof *v, better, (void *)c);
	return k;
}
