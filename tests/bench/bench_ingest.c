/* bench_ingest.c: ingestion throughput of SciFact with a stage breakdown,
 * through libquire as an ingest process runs it, one document at a time.
 *
 * usage: bench_ingest [DOCS]   (default: the whole corpus, 5,183 abstracts)
 *
 * Per document: parse (the request's JSON read and the document record
 * made), split (split_text with the default rule), index (one
 * transaction: the document, its chunk records and their keyword
 * postings), embed (the builtin model, each chunk) and commit (a second
 * transaction: the vectors written and committed). Index and commit are
 * each split into the work inside the transaction and the commit itself.
 * Prints each stage's seconds and share, and tokens per second (the
 * splitter's count, as the target counts them) per stage and in
 * all. Through lighttpd, tests/bench/scifact.sh prints the end-to-end
 * load time of the same corpus. Reads $BENCH_DATA/scifact (by default
 * $top_srcdir/../shared/bench); prints why and exits 0 without it. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "store/accounts.h"
#include "store/chunks.h"
#include "store/docs.h"
#include "embed/embed_builtin.h"
#include "embed/embedder.h"
#include "embed/vectors.h"
#include "pipeline/split.h"
#include "store/store.h"
#include "base/util.h"

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

enum { PARSE, SPLIT, INDEX, INDEX_COMMIT, EMBED, VECTORS, VECTORS_COMMIT, STAGES };
static const char *stage_name[STAGES] = {"parse", "split", "index", "index commit", "embed",
					 "vectors", "vectors commit"};
static double spent[STAGES];
static char account[37], kb[37];

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct one {
	char id[37];
	json_t *doc;
	struct split_result r;
	float *vecs;
	double inside;                /* seconds of work inside the transaction */
};

static enum qstatus accounts_fn(struct stxn *t, void *arg, struct qerr *err)
{
	int created;
	(void)arg;
	enum qstatus st = account_ensure(t, "bench", account, &created, err);
	return st == Q_OK ? account_default_kb(t, account, kb, err) : st;
}

static enum qstatus index_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct one *o = arg;
	double t0 = now_s();
	enum qstatus st = store_put(t, T_DOCS, o->id, o->doc, err);
	for (size_t i = 0; st == Q_OK && i < o->r.n; i++) {
		const struct split_chunk *c = &o->r.v[i];
		json_t *rec = json_pack("{s:s, s:i, s:i, s:s, s:b, s:i, s:i}", "text", c->text, "tokens",
					(int)c->tokens, "words", (int)c->words, "section", c->section,
					"enabled", 1, "hit_count", 0, "lang", (int)LANG_EN);
		st = chunk_put(t, o->id, (unsigned)i, rec, err);
		json_decref(rec);
	}
	o->inside = now_s() - t0;
	return st;
}

static enum qstatus vectors_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct one *o = arg;
	double t0 = now_s();
	enum qstatus st = Q_OK;
	for (size_t i = 0; st == Q_OK && i < o->r.n; i++) {
		char key[64];
		snprintf(key, sizeof key, "%s:%08zu", o->id, i);
		st = vector_put(t, key, EMBED_BUILTIN_MODEL, o->vecs + i * EMBED_BUILTIN_DIMS,
				EMBED_BUILTIN_DIMS, err);
	}
	o->inside = now_s() - t0;
	return st;
}

/* One corpus line through every stage; its tokens into *tokens. */
static int ingest(struct store *s, struct embed_builtin *e, const char *line, size_t *tokens)
{
	struct one o = {0};
	struct qerr err;
	double t = now_s(), u;
	json_t *in = json_loads(line, 0, NULL);
	const char *title = json_string_value(json_object_get(in, "title")) ?: "";
	const char *text = json_string_value(json_object_get(in, "text")) ?: "";
	q_uuid_new(o.id);
	o.doc = json_pack("{s:s, s:s, s:s, s:s, s:b, s:b, s:i}", "id", o.id, "account", account, "kb",
			  kb, "title", title, "enabled", 1, "archived", 0, "hit_count", 0);
	spent[PARSE] += (u = now_s()) - t;
	int rc = -1;
	if (!in || !o.doc || split_text(text, strlen(text), NULL, &o.r, &err) != Q_OK)
		goto out;
	*tokens += o.r.tokens;
	spent[SPLIT] += (t = now_s()) - u;
	if (store_run(s, index_fn, &o, &err) != Q_OK) {
		fprintf(stderr, "index: %s\n", err.msg);
		goto out;
	}
	spent[INDEX] += o.inside;
	spent[INDEX_COMMIT] += (u = now_s()) - t - o.inside;
	if (!(o.vecs = malloc((o.r.n ? o.r.n : 1) * EMBED_BUILTIN_DIMS * sizeof *o.vecs)))
		goto out;
	for (size_t i = 0; i < o.r.n; i++)
		embed_builtin_text(e, o.r.v[i].text, strlen(o.r.v[i].text),
				   o.vecs + i * EMBED_BUILTIN_DIMS);
	spent[EMBED] += (t = now_s()) - u;
	if (store_run(s, vectors_fn, &o, &err) != Q_OK) {
		fprintf(stderr, "vectors: %s\n", err.msg);
		goto out;
	}
	spent[VECTORS] += o.inside;
	spent[VECTORS_COMMIT] += now_s() - t - o.inside;
	rc = 0;
out:
	free(o.vecs);
	split_result_free(&o.r);
	json_decref(o.doc);
	json_decref(in);
	return rc;
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

int main(int argc, char **argv)
{
	const char *top = getenv("top_srcdir"), *data = getenv("BENCH_DATA");
	const char *tmp = getenv("TMPDIR");
	char path[PATH_MAX], dir[PATH_MAX], home[PATH_MAX + 4];
	size_t want = argc > 1 ? strtoul(argv[1], NULL, 10) : SIZE_MAX, docs = 0, tokens = 0;
	struct store *s;
	struct qerr err;
	if (data && *data)
		snprintf(path, sizeof path, "%s/scifact/corpus.jsonl", data);
	else
		snprintf(path, sizeof path, "%s/../shared/bench/scifact/corpus.jsonl", top ? top : ".");
	FILE *f = fopen(path, "r");
	if (!f) {
		printf("no %s: nothing to measure\n", path);
		return 0;
	}
	snprintf(dir, sizeof dir, "%s/quire-bench-ingest-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return 1;
	snprintf(home, sizeof home, "%s/db", dir);
	store_set_cache_mb(256);
	if (store_open(&s, home, STORE_OWNER, &err) != Q_OK || store_run(s, accounts_fn, NULL, &err) != Q_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	struct embed_builtin *e = embed_builtin_new(LANG_EN);
	char *line = NULL;
	size_t cap = 0;
	double t0 = now_s();
	while (docs < want && getline(&line, &cap, f) > 0) {
		if (ingest(s, e, line, &tokens))
			return 1;
		docs++;
	}
	double total = now_s() - t0, sum = 0;
	printf("ingested %zu SciFact documents, %zu tokens, in %.2f s: %.0f tokens/s "
	       "(one process, one document at a time)\n", docs, tokens, total,
	       total > 0 ? (double)tokens / total : 0);
	for (int i = 0; i < STAGES; i++) {
		printf("  %-15s %7.2f s  %5.1f%%  %9.0f tokens/s\n", stage_name[i], spent[i],
		       total > 0 ? 100 * spent[i] / total : 0, spent[i] > 0 ? (double)tokens / spent[i] : 0);
		sum += spent[i];
	}
	printf("  %-15s %7.2f s  %5.1f%%\n", "(other)", total - sum, total > 0 ? 100 * (total - sum) / total : 0);
	free(line);
	fclose(f);
	embed_builtin_free(e);
	store_close(s);
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
