/* search_hits.c: hit counts (Dify's segment hit_count): staged by
 * search_run in the process, written after the response in one small
 * transaction (see search.h). */
#include "config.h"
#include "search.h"
#include "log.h"
#include "store.h"
#include "text.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct staged {
	uint64_t search;            /* fingerprint of the search that hit it */
	char chunk[64];
};

static struct staged staged[SEARCH_HITS_MAX];
static size_t nstaged;
static unsigned long dropped;
static pthread_mutex_t hits_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t mix_str(uint64_t h, const char *s)
{
	return text_hash(s ? s : "\1", s ? strlen(s) + 1 : 1, h);
}

static uint64_t mix_json(uint64_t h, json_t *v)
{
	char *s = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
	h = mix_str(h, s);
	free(s);
	return h;
}

static uint64_t fingerprint(const struct search_filter *f, enum search_method method,
			    const char *query, size_t top_k)
{
	uint64_t h = (uint64_t)method * 1000003u + top_k;
	h = mix_str(h, query);
	h = mix_str(h, f->account);
	h = mix_str(h, f->kb);
	h = mix_str(h, f->org);
	h = mix_json(h, f->roles);
	h = mix_json(h, f->doc_ids);
	return mix_json(h, f->folder_ids);
}

void search_hits_stage(const struct search_filter *f, enum search_method method,
		       const char *query, size_t top_k, const struct search_hit *hits, size_t n)
{
	uint64_t fp = fingerprint(f, method, query, top_k);
	pthread_mutex_lock(&hits_lock);
	size_t k = 0;
	for (size_t i = 0; i < nstaged; i++)   /* a rerun replaces its first run */
		if (staged[i].search != fp)
			staged[k++] = staged[i];
	nstaged = k;
	for (size_t i = 0; i < n; i++) {
		if (nstaged == SEARCH_HITS_MAX) {
			dropped += n - i;
			break;
		}
		staged[nstaged].search = fp;
		memcpy(staged[nstaged].chunk, hits[i].chunk, sizeof staged[nstaged].chunk);
		nstaged++;
	}
	pthread_mutex_unlock(&hits_lock);
}

void search_hits_discard(unsigned long *d)
{
	pthread_mutex_lock(&hits_lock);
	nstaged = 0;
	if (d)
		*d = dropped;
	pthread_mutex_unlock(&hits_lock);
}

/* ---- the write ------------------------------------------------------------ */

struct counted {
	char key[64];
	unsigned n;
};

struct flush {
	struct counted *chunks, *docs;
	size_t nchunks, ndocs;
};

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct counted *)a)->key, ((const struct counted *)b)->key);
}

/* Sorted keys with their counts (one lock order for every process). */
static size_t count_keys(struct counted *v, size_t n)
{
	size_t m = 0;
	qsort(v, n, sizeof *v, by_key);
	for (size_t i = 0; i < n; i++) {
		if (m && !strcmp(v[m - 1].key, v[i].key))
			v[m - 1].n += v[i].n;
		else
			v[m++] = v[i];
	}
	return m;
}

static enum qstatus add_hits(struct stxn *t, enum store_table tb, const struct counted *c,
			     struct qerr *err)
{
	json_t *rec;
	enum qstatus st = store_get(t, tb, c->key, &rec, STORE_RMW, err);
	if (st == Q_ENOTFOUND) {   /* deleted meanwhile */
		qerr_clear(err);
		return Q_OK;
	}
	if (st != Q_OK)
		return st;
	json_int_t h = json_integer_value(json_object_get(rec, "hit_count"));
	json_object_set_new(rec, "hit_count", json_integer(h + (json_int_t)c->n));
	st = store_put(t, tb, c->key, rec, err);
	json_decref(rec);
	return st;
}

static enum qstatus flush_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct flush *f = arg;
	enum qstatus st = Q_OK;
	for (size_t i = 0; st == Q_OK && i < f->nchunks; i++)
		st = add_hits(t, T_CHUNKS, &f->chunks[i], err);
	for (size_t i = 0; st == Q_OK && i < f->ndocs; i++)
		st = add_hits(t, T_DOCS, &f->docs[i], err);
	return st;
}

void search_hits_flush(struct store *s)
{
	struct flush f = {0};
	struct qerr err;
	pthread_mutex_lock(&hits_lock);
	size_t n = nstaged;
	if (n) {
		f.chunks = malloc(n * sizeof *f.chunks);
		f.docs = malloc(n * sizeof *f.docs);
	}
	for (size_t i = 0; f.chunks && f.docs && i < n; i++) {
		memcpy(f.chunks[i].key, staged[i].chunk, sizeof f.chunks[i].key);
		f.chunks[i].n = 1;
		/* The document id is the chunk key up to its last colon. */
		const char *colon = strrchr(staged[i].chunk, ':');
		size_t len = colon ? (size_t)(colon - staged[i].chunk) : 0;
		memcpy(f.docs[i].key, staged[i].chunk, len);
		f.docs[i].key[len] = '\0';
		f.docs[i].n = 1;
	}
	nstaged = 0;
	pthread_mutex_unlock(&hits_lock);
	if (n && f.chunks && f.docs) {
		f.nchunks = count_keys(f.chunks, n);
		f.ndocs = count_keys(f.docs, n);
		if (store_run(s, flush_fn, &f, &err) != Q_OK)
			QLOG_WARN("hit counts not recorded: %s", err.msg);
	} else if (n) {
		QLOG_WARN("hit counts not recorded: out of memory");
	}
	free(f.chunks);
	free(f.docs);
}
