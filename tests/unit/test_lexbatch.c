/* test_lexbatch.c: postings written in batches (lexical_add_to, then
 * lexical_batch_write: several chunks of two accounts per transaction,
 * terms shared and repeated past a sealed block) are byte for byte the
 * postings table lexical_add writes one chunk at a time, and a batch
 * emptied by its write writes nothing more. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "store/lexical.h"
#include "store/postings.h"
#include "store/store.h"
#include "unit.h"
#include "../xorshift.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNKS 700          /* common words: several sealed blocks of POSTINGS_BLOCK */
#define PER_TXN 9

static unsigned rng = 2463534242u;

static unsigned next(void)
{
	return xorshift32(&rng);
}

static char texts[CHUNKS][400];

static void make_texts(void)
{
	static const char *const common[] = {"protein", "cells", "gene", "expression", "tumour"};
	for (int i = 0; i < CHUNKS; i++) {
		size_t o = 0;
		int words = 5 + (int)(next() % 30);
		for (int w = 0; w < words && o < sizeof texts[i] - 16; w++) {
			unsigned r = next() % 100;
			if (r < 40)
				o += (size_t)snprintf(texts[i] + o, sizeof texts[i] - o, "%s ",
						      common[next() % 5]);
			else
				o += (size_t)snprintf(texts[i] + o, sizeof texts[i] - o, "zq%03uk ",
						      next() % 300);
		}
	}
}

static const char *account_of(int i)
{
	return i % 7 == 3 ? "acct-b" : "acct-a";
}

struct run {
	int from, to;
	struct lexical_batch *b;   /* NULL: lexical_add */
};

static enum qstatus add_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct run *r = arg;
	enum qstatus st = Q_OK;
	for (int i = r->from; st == Q_OK && i < r->to; i++) {
		char key[32];
		snprintf(key, sizeof key, "d%05d:0", i);
		struct lexical_chunk c = {texts[i], i % 5 ? NULL : "gene title", NULL, LANG_EN};
		st = r->b ? lexical_add_to(t, account_of(i), key, &c, r->b, err)
			  : lexical_add(t, account_of(i), key, &c, err);
	}
	if (st == Q_OK && r->b)
		st = lexical_batch_write(t, r->b, err);
	return st;
}

/* The whole postings table as one string of hex records. */
struct dump {
	char *p;
	size_t n, cap;
	size_t records;
};

static void put(struct dump *d, const void *v, size_t n)
{
	if (d->n + 2 * n + 2 > d->cap) {
		d->cap = (d->n + 2 * n + 2) * 2;
		d->p = realloc(d->p, d->cap);
		if (!d->p)
			bail_out("out of memory");
	}
	for (size_t i = 0; i < n; i++)
		d->n += (size_t)sprintf(d->p + d->n, "%02x", ((const unsigned char *)v)[i]);
	d->p[d->n++] = ' ';
	d->p[d->n] = '\0';
}

static int dump_cb(const void *key, size_t klen, const void *val, size_t vlen, void *arg)
{
	struct dump *d = arg;
	put(d, key, klen);
	put(d, val, vlen);
	d->records++;
	return 0;
}

static enum qstatus dump_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct store_key all;
	store_key_init(&all);
	return store_scan_raw(t, T_POSTINGS, &all, dump_cb, arg, err);
}

static void load(struct store *s, int batched, struct dump *d)
{
	struct qerr err;
	struct lexical_batch *b = batched ? lexical_batch_new() : NULL;
	for (int i = 0; i < CHUNKS; i += PER_TXN) {
		struct run r = {i, i + PER_TXN < CHUNKS ? i + PER_TXN : CHUNKS, b};
		if (store_run(s, add_fn, &r, &err) != Q_OK)
			bail_out("indexing: %s", err.msg);
	}
	if (store_run(s, dump_fn, d, &err) != Q_OK)
		bail_out("reading the postings: %s", err.msg);
	lexical_batch_free(b);
}

int main(void)
{
	char dir1[PATH_MAX], dir2[PATH_MAX];
	struct dump one = {0}, many = {0};
	make_texts();
	unit_tmpdir(dir1, "lexbatch1");
	unit_tmpdir(dir2, "lexbatch2");
	struct store *s1 = unit_store(dir1), *s2 = unit_store(dir2);
	load(s1, 0, &one);
	load(s2, 1, &many);
	ok(one.records > CHUNKS, "one chunk at a time: %zu postings records", one.records);
	ok(one.records == many.records, "batches of %d: as many records (%zu, %zu)", PER_TXN,
	   many.records, one.records);
	ok(one.p && many.p && !strcmp(one.p, many.p),
	   "batches of %d: the same keys and bytes (sealed blocks, heads, pending, chunk "
	   "numbers, both accounts)", PER_TXN);
	store_close(s1);
	store_close(s2);
	unit_rmtree(dir1);
	unit_rmtree(dir2);
	free(one.p);
	free(many.p);
	return done_testing();
}
