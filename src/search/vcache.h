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
/* At most max references of cached vectors, chosen and ordered by a hash
 * of their contents (every one when it holds max or fewer), into out; how
 * many: the same sample whatever order the chunks arrived in. 0 when the
 * vectors are read per query (not cached). */
size_t vcache_sample(const struct vcache *c, size_t max, vref *out);

/* A query's filter, decided once per document and applied inside the
 * scans. New; free with vgate_free. NULL when out of memory. */
struct vgate;

struct vscored {
	vref ref;
	float score;
};
/* A query vector (int8 values and their scale), padded for the kernel.
 * New; free with vquery_free. NULL when out of memory. */
struct vquery;

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
/* Forget all but those whose key ends with suffix (benchmarks: keep the
 * background, search_context.c's "bg", forget the words). */
void vcache_memo_keep(const void *suffix, size_t slen);

/* Tests: list members out of step with the cache (a slot past the last,
 * another list or place recorded for it, or the list's copy of its sign
 * bits not its code's); 0 when the lists follow it. */
size_t vcache_lists_check(const struct vcache *c);

/* Train the inverted file's centroids (search/ivf.h; nlist lists, 0: about
 * the square root of the vectors held) from the vectors c holds, store them
 * for c's model in t (T_STATS "ivf:<model>", "ivfgen:<model>"), and put c's
 * vectors in their lists. Every cache meets them at its next sync. Q_EINVAL
 * when c holds no vectors. Seconds of CPU at a million vectors: quire-admin
 * and benchmarks, never a worker's query. */
enum qstatus vcache_ivf_train(struct vcache *c, struct stxn *t, unsigned nlist, struct qerr *err);
/* The second half of it: store centroids v (ivf_kmeans's, taken: freed on
 * error) for c's model in t and put c's vectors in their lists, so that
 * the training itself (ivf_kmeans, under vcache_lock) runs outside any
 * transaction. Q_EINVAL when v does not fit c's vectors. */
struct ivf;
enum qstatus vcache_ivf_store(struct vcache *c, struct stxn *t, struct ivf *v, struct qerr *err);
/* The vectors c held when its model's centroids were last stored
 * (T_STATS "ivfn:<model>"), into *n; 0 when never (or by a version that
 * did not record it). */
enum qstatus vcache_ivf_trained(const struct vcache *c, struct stxn *t, size_t *n,
				struct qerr *err);

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
	unsigned ivf_lists;          /* the inverted file's lists, 0: none */
	unsigned long ivf_scanned;   /* vectors in the lists queries scanned */
};
/* Forget everything (the next sync reloads). */
void vcache_reset(void);

/* Atom of s, or 0 when s was never interned (lookup only). */
uint32_t vc_atom_find(const struct vcache *c, const char *s);
/* Index of document id, or -1. */
long vc_doc_find(const struct vcache *c, const char *id, size_t len);
/* Index of document id, added (unknown state) when absent; -1 when out of
 * memory. */
long vc_doc_add(struct vcache *c, const char *id, size_t len);
/* Read document i's fields from the database (its state becomes present,
 * or stays unknown when the document does not exist). */
enum qstatus vc_doc_read(struct vcache *c, struct stxn *t, size_t i, struct qerr *err);
/* Split a chunk key "<doc id>:<position>" (len bytes): 0 on success. */
int vc_parse_key(const char *key, size_t len, size_t *idlen, uint32_t *pos);
/* A stored vector of model: its dims, scale and values; -1 for another
 * model or a damaged record. */
int vc_vector_parse(const void *val, size_t vlen, const char *model, unsigned *dims,
		    float *scale, const int8_t **v);
/* The 2-bit code of v (the binary prefilter's) into out (VCODE(dims)
 * words): sign bits (bit i set when v[i] > 0), then magnitude bits (bit
 * i set when |v[i]| is above v's root mean square). */
void vc_sign_bits(const int8_t *v, unsigned dims, uint64_t *out);

/* Slot of a reference, or -1. */
long vc_slot(const struct vcache *c, vref r);

#endif
