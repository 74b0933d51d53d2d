/* search_hits.c: hit counts (Dify's segment hit_count): staged by
 * search_run in the process, written after the response in one small
 * transaction (see search.h). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "search/search.h"
#include "search/search_hits.h"
#include "base/log.h"
#include "store/store.h"
#include "text/text.h"
#include "base/util.h"

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
static int64_t first_ms;             /* when the oldest staged hit came */
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
		if (!nstaged)
			first_ms = q_mono_ms();
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

/* Hits go out in slices, each its own short transaction: a search that
 * needs a page being written waits for one slice, not for the batch. */
#define SLICE 64

struct flush {
	const struct counted *chunks;   /* sorted: a document's chunks follow each other */
	size_t n;
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

/* The document id of a chunk key (up to its last colon) into doc. */
static void doc_of(const char *chunk, struct counted *doc)
{
	const char *colon = strrchr(chunk, ':');
	size_t len = colon ? (size_t)(colon - chunk) : 0;
	memcpy(doc->key, chunk, len);
	doc->key[len] = '\0';
}

static enum qstatus flush_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct flush *f = arg;
	enum qstatus st = Q_OK;
	struct counted doc = {"", 0};
	for (size_t i = 0; st == Q_OK && i < f->n; i++)
		st = add_hits(t, T_CHUNKS, &f->chunks[i], err);
	for (size_t i = 0; st == Q_OK && i < f->n;) {
		doc_of(f->chunks[i].key, &doc);
		size_t len = strlen(doc.key);
		if (!len) {   /* not a chunk key: no document */
			i++;
			continue;
		}
		for (doc.n = 0; i < f->n && !strncmp(f->chunks[i].key, doc.key, len) &&
				f->chunks[i].key[len] == ':'; i++)
			doc.n += f->chunks[i].n;
		st = add_hits(t, T_DOCS, &doc, err);
	}
	return st;
}

void search_hits_flush(struct store *s, int force)
{
	struct counted *v = NULL;
	struct qerr err;
	pthread_mutex_lock(&hits_lock);
	size_t n = nstaged;
	if (!force && n < SEARCH_HITS_BATCH && q_mono_ms() - first_ms < SEARCH_HITS_DELAY_MS)
		n = 0;   /* not yet: one write for many responses */
	if (n && !(v = malloc(n * sizeof *v)))
		QLOG_WARN("hit counts not recorded: out of memory");
	for (size_t i = 0; v && i < n; i++) {
		memcpy(v[i].key, staged[i].chunk, sizeof v[i].key);
		v[i].n = 1;
	}
	if (n)
		nstaged = 0;
	pthread_mutex_unlock(&hits_lock);
	n = v ? count_keys(v, n) : 0;
	for (size_t i = 0; i < n; i += SLICE) {
		struct flush f = {v + i, n - i < SLICE ? n - i : SLICE};
		if (store_run(s, flush_fn, &f, &err) != Q_OK) {
			QLOG_WARN("hit counts not recorded: %s", err.msg);
			break;
		}
	}
	free(v);
}
