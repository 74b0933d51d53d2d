/* vcache.h: the per-process search cache: the filter fields of documents
 * (account, knowledge base, org, folder, allowed roles, enabled, archived)
 * and the configured model's vectors, int8, contiguous and padded for the
 * SIMD kernel. A worker keeps it between requests and brings it up to date
 * at the start of every search from a change log in Berkeley DB, so a warm
 * query reads one sequence number instead of every vector.
 *
 * The change log it follows is store/changelog.h. Applying an entry
 * re-reads the current record, so entries are idempotent and a sync
 * interrupted by a deadlock is simply redone. See docs/search.md. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_VCACHE_H
#define QUIRE_VCACHE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "base/status.h"
#include "store/store.h"

struct search_filter;

/* The process's cache. Every use happens between vcache_lock and
 * vcache_unlock, in one transaction, after vcache_sync. */
struct vcache;
struct vcache *vcache_lock(void);
void vcache_unlock(struct vcache *c);

/* Bring c up to date in t. model: the vectors to hold (NULL: keep the
 * model held now, if any). Vectors are held only while they fit in
 * max_bytes; above that (or with 0) vcache_top reads them from the
 * database instead. */
enum qstatus vcache_sync(struct vcache *c, struct stxn *t, const char *model, size_t max_bytes,
			 struct qerr *err);

/* A chunk reference: document index << 32 | position. */
typedef uint64_t vref;
/* The chunk key ("<doc id>:<8-digit position>", out >= 64 bytes) and
 * document id (borrowed, valid until the next sync) of a reference. */
void vcache_chunk_key(const struct vcache *c, vref r, char *out, size_t n);
const char *vcache_doc_id(const struct vcache *c, vref r);
/* At most max references of cached vectors, spread evenly over the cache
 * (every one when it holds max or fewer), into out; how many. 0 when the
 * vectors are read per query (not cached). */
size_t vcache_sample(const struct vcache *c, size_t max, vref *out);

/* A query's filter, decided once per document and applied inside the
 * scans. New; free with vgate_free. NULL when out of memory. */
struct vgate;
struct vgate *vgate_new(struct vcache *c, struct stxn *t, const struct search_filter *f);
void vgate_free(struct vgate *g);
/* 1 and *r when the chunk key (len bytes) belongs to a document the filter
 * allows; 0 otherwise. A document not yet cached is read in the gate's
 * transaction. */
int vgate_chunk(struct vgate *g, const char *key, size_t len, vref *r);
/* Q_OK, or the first error met while reading documents. */
enum qstatus vgate_status(const struct vgate *g, struct qerr *err);

struct vscored {
	vref ref;
	float score;
};
/* A query vector (int8 values and their scale), padded for the kernel.
 * New; free with vquery_free. NULL when out of memory. */
struct vquery;
struct vquery *vquery_new(const int8_t *q, unsigned dims, float scale);
void vquery_free(struct vquery *q);
/* The k best allowed chunks by q . v (cosine for L2-normalised vectors),
 * best first, ties by chunk key, into out (k entries); *n gets how many.
 * Vectors of another dimension never match. */
enum qstatus vcache_top(struct vcache *c, struct vgate *g, const struct vquery *q, size_t k,
			struct vscored *out, size_t *n, struct qerr *err);
/* Up to n cached vectors vcache_top scans exactly; above, it ranks the
 * candidates a pass over sign bits picks (search_exact_max; SIZE_MAX,
 * the default: always exact). */
void vcache_set_exact_max(size_t n);
/* The score of chunk r against q: 1 and *score when it has a vector of
 * the model (read in t when vectors are not held), 0 otherwise. */
int vcache_score(const struct vcache *c, struct stxn *t, vref r, const struct vquery *q,
		 float *score);

/* Chunk r's vector as floats (dims values, read in t when vectors are not
 * held): 1, or 0 when it has none of that dimension. */
int vcache_vector(const struct vcache *c, struct stxn *t, vref r, unsigned dims, float *out);

/* Put the k best of v[0 .. n) (by score, ties by chunk key) first, in
 * order; returns min(k, n). */
size_t vcache_best(const struct vcache *c, struct vscored *v, size_t n, size_t k);

/* A u64 -> u32 hash map (open addressing, linear probing, deletion by
 * backward shift), used by the cache and by search. Zero-initialise;
 * release with vmap_free. vmap_put returns -1 when out of memory. */
struct vmap {
	uint64_t *keys;
	uint32_t *vals;                  /* UINT32_MAX = empty */
	size_t cap, n;                   /* cap: power of two */
};
long vmap_get(const struct vmap *m, uint64_t key);
int vmap_put(struct vmap *m, uint64_t key, uint32_t val);
void vmap_del(struct vmap *m, uint64_t key);
void vmap_free(struct vmap *m);

/* Dot product of two int8 vectors of n values (n a multiple of 64, both
 * 32-byte aligned): AVX2 when the CPU has it, else a loop GCC vectorises. */
int32_t vcache_dot(const int8_t *a, const int8_t *b, size_t n);

/* Float vectors derived from what the cache holds (search_context.c's
 * background and word contexts), remembered while it holds the same: a
 * sync that applies a change, a reload or another model forgets them all.
 * A key holds whatever else the value depends on (the filter's
 * vgate_signature, the lexical index's state). vcache_memo_get: 1 and the
 * n floats into out when held. At most VCACHE_MEMO_MAX are kept. */
#define VCACHE_MEMO_MAX 4096
int vcache_memo_get(const struct vcache *c, const void *key, size_t klen, float *out,
		    unsigned n);
void vcache_memo_put(const struct vcache *c, const void *key, size_t klen, const float *v,
		     unsigned n);
/* Forget them (benchmarks: a query whose words were never seen). */
void vcache_memo_clear(void);
/* The gate's filter as bytes (account, knowledge base, org, roles,
 * document and folder ids) into out (cap bytes); how many, 0 when they do
 * not fit (then nothing may be remembered under it). Equal filters give
 * equal bytes. */
size_t vgate_signature(const struct vgate *g, char *out, size_t cap);

/* Counters for tests and benchmarks. */
struct vcache_stats {
	unsigned long reloads;       /* full reloads */
	unsigned long applied;       /* log entries applied incrementally */
	unsigned long doc_reads;     /* documents read from the database */
	unsigned long memo_hits, memo_misses;   /* vcache_memo_get */
	size_t vectors, docs;        /* held now */
	int vectors_cached;          /* 0: over the memory cap, read per query */
	uint64_t seq;                /* log position of the cache */
	const char *kernel;          /* "avx2" or "c" */
};
void vcache_stats(struct vcache_stats *out);
/* Forget everything (the next sync reloads). */
void vcache_reset(void);

#endif
