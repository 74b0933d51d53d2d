/* search.c: BM25, exact vector search and their fusion, with filters. */
#include "config.h"
#include "search.h"
#include "embed_builtin.h"
#include "embedder.h"
#include "lexical.h"
#include "store.h"
#include "text.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int search_method_parse(const char *s)
{
	if (!strcmp(s, "keyword_search") || !strcmp(s, "full_text_search"))
		return SEARCH_KEYWORD;
	if (!strcmp(s, "semantic_search"))
		return SEARCH_SEMANTIC;
	if (!strcmp(s, "hybrid_search"))
		return SEARCH_HYBRID;
	return -1;
}

/* ---- document filter, with one decision per document per query --------- */

struct docgate {
	struct stxn *t;
	const struct search_filter *f;
	struct gate_entry {
		char id[37];
		signed char allowed;    /* 0 empty, 1 yes, -1 no */
	} *slots;
	size_t cap, used;
	enum qstatus st;
	struct qerr *err;
};

static int in_array(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), s))
			return 1;
	return 0;
}

static int decide(struct docgate *g, const char *doc_id)
{
	const struct search_filter *f = g->f;
	json_t *doc;
	if (f->doc_ids && !in_array(f->doc_ids, doc_id))
		return -1;
	enum qstatus st = store_get(g->t, T_DOCS, doc_id, &doc, 0, g->err);
	if (st == Q_ENOTFOUND) {
		qerr_clear(g->err);
		return -1;
	}
	if (st != Q_OK) {
		g->st = st;
		return -1;
	}
	const char *acc = json_string_value(json_object_get(doc, "account")) ?: "";
	const char *kb = json_string_value(json_object_get(doc, "kb")) ?: "";
	const char *org = json_string_value(json_object_get(doc, "org"));
	const char *folder = json_string_value(json_object_get(doc, "folder_id"));
	json_t *roles = json_object_get(doc, "allowed_roles");
	int ok = !strcmp(acc, f->account) && (!f->kb || !strcmp(kb, f->kb)) &&
		 json_is_true(json_object_get(doc, "enabled")) &&
		 !json_is_true(json_object_get(doc, "archived")) &&
		 (!f->org || (org && !strcmp(org, f->org))) &&
		 (!f->folder_ids || (folder && in_array(f->folder_ids, folder)));
	if (ok && f->roles && json_is_array(roles) && json_array_size(roles) > 0) {
		/* Allowed roles set: the caller needs one of them. */
		size_t i;
		json_t *r;
		int any = 0;
		json_array_foreach(roles, i, r)
			if (json_is_string(r) && in_array(f->roles, json_string_value(r)))
				any = 1;
		ok = any;
	}
	json_decref(doc);
	return ok ? 1 : -1;
}

/* doc_id: a document id, or a chunk key starting with one. */
static int gate_allows(struct docgate *g, const char *doc_id)
{
	if (g->used * 2 >= g->cap) {
		size_t ncap = g->cap ? g->cap * 2 : 256;
		struct gate_entry *n = calloc(ncap, sizeof *n);
		if (!n) {
			g->st = Q_ENOMEM;
			return 0;
		}
		for (size_t i = 0; i < g->cap; i++)
			if (g->slots[i].allowed) {
				size_t j = text_hash(g->slots[i].id, 36, 5) & (ncap - 1);
				while (n[j].allowed)
					j = (j + 1) & (ncap - 1);
				n[j] = g->slots[i];
			}
		free(g->slots);
		g->slots = n;
		g->cap = ncap;
	}
	size_t j = text_hash(doc_id, 36, 5) & (g->cap - 1);
	while (g->slots[j].allowed) {
		if (!strncmp(g->slots[j].id, doc_id, 36))
			return g->slots[j].allowed > 0;
		j = (j + 1) & (g->cap - 1);
	}
	memcpy(g->slots[j].id, doc_id, 36);
	g->slots[j].id[36] = '\0';
	g->slots[j].allowed = (signed char)decide(g, g->slots[j].id);
	g->used++;
	return g->slots[j].allowed > 0;
}

/* ---- candidate accumulation -------------------------------------------- */

struct cands {
	struct search_hit *v;
	size_t n, alloc;
	size_t *table;           /* open addressing: index + 1 into v, 0 empty */
	size_t tcap;
	struct docgate *gate;
	int oom;
};

static struct search_hit *cand_get(struct cands *c, const char *chunk)
{
	if ((c->n + 1) * 2 > c->tcap) {
		size_t ncap = c->tcap ? c->tcap * 2 : 1024;
		size_t *nt = calloc(ncap, sizeof *nt);
		if (!nt) {
			c->oom = 1;
			return NULL;
		}
		for (size_t i = 0; i < c->n; i++) {
			size_t j = text_hash(c->v[i].chunk, strlen(c->v[i].chunk), 9) & (ncap - 1);
			while (nt[j])
				j = (j + 1) & (ncap - 1);
			nt[j] = i + 1;
		}
		free(c->table);
		c->table = nt;
		c->tcap = ncap;
	}
	size_t j = text_hash(chunk, strlen(chunk), 9) & (c->tcap - 1);
	while (c->table[j]) {
		struct search_hit *h = &c->v[c->table[j] - 1];
		if (!strcmp(h->chunk, chunk))
			return h;
		j = (j + 1) & (c->tcap - 1);
	}
	if (c->n == c->alloc) {
		size_t na = c->alloc ? c->alloc * 2 : 256;
		void *p = realloc(c->v, na * sizeof *c->v);
		if (!p) {
			c->oom = 1;
			return NULL;
		}
		c->v = p;
		c->alloc = na;
	}
	struct search_hit *h = &c->v[c->n];
	snprintf(h->chunk, sizeof h->chunk, "%s", chunk);
	snprintf(h->doc, sizeof h->doc, "%.36s", chunk);
	h->score = 0;
	c->table[j] = ++c->n;
	return h;
}

static void on_bm25(const char *chunk, double score, void *arg)
{
	struct cands *c = arg;
	if (strlen(chunk) < 37 || !gate_allows(c->gate, chunk))
		return;
	struct search_hit *h = cand_get(c, chunk);
	if (h)
		h->score += score;
}

/* The candidate for chunk, or NULL (no insertion). */
static struct search_hit *cand_find(struct cands *c, const char *chunk)
{
	if (!c->tcap)
		return NULL;
	size_t j = text_hash(chunk, strlen(chunk), 9) & (c->tcap - 1);
	while (c->table[j]) {
		struct search_hit *h = &c->v[c->table[j] - 1];
		if (!strcmp(h->chunk, chunk))
			return h;
		j = (j + 1) & (c->tcap - 1);
	}
	return NULL;
}

static void cands_reindex(struct cands *c)
{
	if (!c->tcap)
		return;
	memset(c->table, 0, c->tcap * sizeof *c->table);
	for (size_t i = 0; i < c->n; i++) {
		size_t j = text_hash(c->v[i].chunk, strlen(c->v[i].chunk), 9) & (c->tcap - 1);
		while (c->table[j])
			j = (j + 1) & (c->tcap - 1);
		c->table[j] = i + 1;
	}
}

static int by_score(const void *a, const void *b)
{
	const struct search_hit *x = a, *y = b;
	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return strcmp(x->chunk, y->chunk);   /* deterministic ties */
}

static void cands_free(struct cands *c)
{
	free(c->v);
	free(c->table);
}

/* ---- semantic ----------------------------------------------------------- */

struct vec_scan {
	struct cands *c;
	const char *model;
	const int8_t *q;
	float qscale;
	unsigned dims;
};

static int on_vector(const void *key, size_t klen, const void *val, size_t vlen, void *arg)
{
	struct vec_scan *s = arg;
	char chunk[64];
	size_t ml = strnlen(val, vlen);
	if (klen < 37 || klen >= sizeof chunk || ml + 1 + 8 > vlen || strcmp(val, s->model))
		return 0;   /* never mix models */
	unsigned dims;
	float scale;
	memcpy(&dims, (const char *)val + ml + 1, 4);
	memcpy(&scale, (const char *)val + ml + 5, 4);
	if (dims != s->dims || ml + 9 + dims != vlen)
		return 0;
	memcpy(chunk, key, klen);
	chunk[klen] = '\0';
	if (!gate_allows(s->c->gate, chunk))
		return 0;
	const int8_t *v = (const int8_t *)val + ml + 9;
	int32_t dot = 0;
	for (unsigned i = 0; i < dims; i++)
		dot += (int16_t)v[i] * (int16_t)s->q[i];
	struct search_hit *h = cand_get(s->c, chunk);
	if (h)
		h->score = (double)dot * scale * s->qscale;
	return 0;
}

static enum qstatus semantic(struct stxn *t, const struct qconf *conf, const char *query,
			     struct cands *c, struct qerr *err)
{
	struct embed_backend *b = embed_backend_new(conf, err);
	if (!b)
		return err->st ? err->st : Q_EINTERNAL;
	float *qv = calloc(b->dims, sizeof *qv);
	int8_t *q = calloc(b->dims, 1);
	struct embed_batch_result res = {Q_OK, 0, 0, ""};
	enum qstatus st = Q_OK;
	size_t len = strlen(query);
	if (!qv || !q) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	b->embed(b, &query, &len, 1, qv, &res);
	if (res.st != Q_OK) {
		st = qerr_set(err, Q_EBUSY, NULL, "embedding the query failed: %s", res.error);
		goto out;
	}
	struct vec_scan s = {c, b->model, q, 0, b->dims};
	embed_quantize(qv, b->dims, q, &s.qscale);
	struct store_key all;
	store_key_init(&all);
	st = store_scan_raw(t, T_VECTORS, &all, on_vector, &s, err);
out:
	free(qv);
	free(q);
	b->free(b);
	return st;
}

/* ---- the entry point ---------------------------------------------------- */

static enum qstatus ranked(struct stxn *t, const struct qconf *conf, struct docgate *gate,
			   enum search_method m, const char *query, struct cands *c,
			   struct qerr *err)
{
	enum qstatus st;
	memset(c, 0, sizeof *c);
	c->gate = gate;
	if (m == SEARCH_KEYWORD)
		st = lexical_score(t, query, text_detect(query, strlen(query)), on_bm25, c, err);
	else
		st = semantic(t, conf, query, c, err);
	if (st == Q_OK && gate->st != Q_OK)
		st = qerr_set(err, gate->st, NULL, "filtering failed");
	if (st == Q_OK && c->oom)
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	if (st == Q_OK) {
		qsort(c->v, c->n, sizeof *c->v, by_score);
		cands_reindex(c);   /* positions moved: the lookup table follows */
	}
	return st;
}

enum qstatus search_run(struct stxn *t, const struct qconf *conf, const struct search_filter *f,
			enum search_method method, const char *query, size_t top_k,
			struct search_hit **hits, size_t *n, struct qerr *err)
{
	struct docgate gate = {t, f, NULL, 0, 0, Q_OK, err};
	struct cands a = {0}, b = {0};
	enum qstatus st;

	*hits = NULL;
	*n = 0;
	if (method != SEARCH_HYBRID) {
		if ((st = ranked(t, conf, &gate, method, query, &a, err)) != Q_OK)
			goto out;
	} else {
		size_t depth = top_k > 100 ? top_k : 100;
		if ((st = ranked(t, conf, &gate, SEARCH_KEYWORD, query, &a, err)) != Q_OK ||
		    (st = ranked(t, conf, &gate, SEARCH_SEMANTIC, query, &b, err)) != Q_OK)
			goto out;
		/* Weighted sum of max-normalised scores over the union of both
		 * top lists: every chunk has a semantic score (the scan is
		 * exhaustive), BM25 is 0 where no term matched. */
		double w = conf->search_hybrid_weight, max_a = a.n ? a.v[0].score : 0,
		       max_b = b.n && b.v[0].score > 0 ? b.v[0].score : 0;
		struct cands fused = {0};
		fused.gate = &gate;
		for (int list = 0; list < 2; list++) {
			struct cands *c = list ? &b : &a;
			for (size_t r = 0; r < c->n && r < depth; r++) {
				struct search_hit *h = cand_get(&fused, c->v[r].chunk);
				if (h && h->score == 0) {
					struct search_hit *ka = cand_find(&a, c->v[r].chunk);
					struct search_hit *kb = cand_find(&b, c->v[r].chunk);
					double sa = ka && max_a > 0 ? ka->score / max_a : 0;
					double sb = kb && max_b > 0 && kb->score > 0 ? kb->score / max_b : 0;
					h->score = (1 - w) * sa + w * sb + 1e-12;
				}
			}
		}
		cands_free(&a);
		a = fused;
		if (a.oom) {
			st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
			goto out;
		}
		qsort(a.v, a.n, sizeof *a.v, by_score);
	}
	*n = a.n < top_k ? a.n : top_k;
	*hits = a.v;
	a.v = NULL;
out:
	cands_free(&a);
	cands_free(&b);
	free(gate.slots);
	return st;
}
