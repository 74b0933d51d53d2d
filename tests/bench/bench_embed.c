/* bench_embed.c: builtin embedding throughput on one core, on ~500-token
 * chunks cut by the real chunker from real prose, through the backend the
 * embedder runs (language detection included). Prints figures; never a
 * test. Usage: bench_embed [embeddings] [--digest]
 *
 * Text: the SciFact abstracts ($QUIRE_BENCH_CORPUS, else
 * $QUIRE_BENCH_DIR/scifact/corpus.jsonl, else TOP_SRCDIR/../shared/bench/
 * scifact/corpus.jsonl), title and text joined as documents are; without
 * them, sentences drawn from a Zipf-distributed vocabulary of 6,000
 * invented words. --digest prints a hash of every vector of one pass over
 * the chunks, to check that a change keeps the vectors bit-identical. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "base/conf.h"
#include "embed/embed_builtin.h"
#include "embed/embedder.h"
#include "pipeline/split.h"
#include "text/text.h"
#include "base/util.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef TOP_SRCDIR
#define TOP_SRCDIR "."
#endif

#define BATCH 64          /* embed_batch's default: what quire-embed hands the backend */
#define MIN_TOKENS 400    /* keep chunks the packer filled (a document's tail is short) */

struct chunks {
	char **text;
	size_t *len;
	size_t n, cap, tokens, words, bytes;
};

static void chunks_add(struct chunks *c, const char *s, size_t tokens, size_t words)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 1024;
		c->text = realloc(c->text, c->cap * sizeof *c->text);
		c->len = realloc(c->len, c->cap * sizeof *c->len);
		if (!c->text || !c->len)
			exit(1);
	}
	c->len[c->n] = strlen(s);
	c->text[c->n++] = strdup(s);
	c->tokens += tokens;
	c->words += words;
	c->bytes += c->len[c->n - 1];
}

/* Split one "document" of concatenated abstracts with the default rule. */
static void split_into(struct chunks *c, struct qbuf *doc)
{
	struct split_result r;
	struct qerr err;
	if (split_text(doc->data, doc->len, NULL, &r, &err) != Q_OK) {
		fprintf(stderr, "bench_embed: split: %s\n", err.msg);
		exit(1);
	}
	for (size_t i = 0; i < r.n; i++)
		if (r.v[i].tokens >= MIN_TOKENS)
			chunks_add(c, r.v[i].text, r.v[i].tokens, r.v[i].words);
	split_result_free(&r);
	qbuf_reset(doc);
}

static int load_corpus(struct chunks *c, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	struct qbuf doc;
	qbuf_init(&doc, 1 << 24);
	char *line = NULL;
	size_t cap = 0, ndocs = 0;
	while (getline(&line, &cap, f) > 0) {
		json_t *j = json_loads(line, 0, NULL);
		const char *title = json_string_value(json_object_get(j, "title"));
		const char *text = json_string_value(json_object_get(j, "text"));
		if (title && text)
			qbuf_printf(&doc, "%s\n\n%s\n\n", title, text);
		json_decref(j);
		if (++ndocs % 64 == 0)
			split_into(c, &doc);
	}
	if (doc.len)
		split_into(c, &doc);
	free(line);
	qbuf_free(&doc);
	fclose(f);
	return c->n ? 0 : -1;
}

/* Invented words (consonant-vowel syllables), drawn with Zipf's law (s = 1)
 * so the commonest few hundred make most of the text, as in prose. */
static void load_zipf(struct chunks *c)
{
	enum { VOCAB = 6000, DOCS = 300, WORDS = 3000 };
	static char vocab[VOCAB][16];
	static double cdf[VOCAB];
	const char *cons = "bcdfghklmnprstvz", *vow = "aeiou";
	unsigned seed = 12345;
	double sum = 0;
	for (int w = 0; w < VOCAB; w++) {
		int syl = 1 + w % 4, k = 0;
		unsigned x = (unsigned)w * 2654435761u;
		for (int s = 0; s < syl; s++, x /= 80) {
			vocab[w][k++] = cons[x % 16];
			vocab[w][k++] = vow[(x / 16) % 5];
		}
		vocab[w][k] = 0;
		sum += 1.0 / (w + 1);
		cdf[w] = sum;
	}
	struct qbuf doc;
	qbuf_init(&doc, 1 << 24);
	for (int d = 0; d < DOCS; d++) {
		for (int w = 0; w < WORDS; w++) {
			seed = seed * 1103515245u + 12345u;
			double u = (seed >> 8) / 16777216.0 * sum;
			int lo = 0, hi = VOCAB - 1;
			while (lo < hi) {
				int mid = (lo + hi) / 2;
				if (cdf[mid] < u)
					lo = mid + 1;
				else
					hi = mid;
			}
			qbuf_adds(&doc, vocab[lo]);
			/* a sentence every 19 words, a paragraph every 5 sentences */
			qbuf_adds(&doc, w % 95 == 94 ? ".\n\n" : w % 19 == 18 ? ". " : " ");
		}
		qbuf_adds(&doc, "\n\n");
		if (d % 8 == 7)
			split_into(c, &doc);
	}
	split_into(c, &doc);
	qbuf_free(&doc);
}

static double cpu_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

struct timing {
	double cpu, wall;
};

static void start(struct timing *t)
{
	t->cpu = cpu_s();
	t->wall = q_now_us() / 1e6;
}

static void stop(struct timing *t)
{
	t->cpu = cpu_s() - t->cpu;
	t->wall = q_now_us() / 1e6 - t->wall;
}

static int count_tok(const char *tok, size_t len, void *arg)
{
	(void)tok;
	*(size_t *)arg += len;
	return 0;
}

static uint64_t digest(const struct chunks *c, struct embed_backend *b)
{
	float *v = malloc(BATCH * EMBED_BUILTIN_DIMS * sizeof *v);
	struct embed_batch_result res;
	uint64_t h = 0;
	for (size_t i = 0; i < c->n; i += BATCH) {
		size_t k = c->n - i < BATCH ? c->n - i : BATCH;
		b->embed(b, (const char *const *)c->text + i, c->len + i, k, v, &res);
		h = text_hash(v, k * EMBED_BUILTIN_DIMS * sizeof *v, h);
	}
	free(v);
	return h;
}

static void report(const char *what, size_t n, const struct timing *t)
{
	printf("  %-34s %8.0f chunks/s CPU  %8.0f chunks/s wall  (%.2f us CPU per chunk)\n",
	       what, n / t->cpu, n / t->wall, t->cpu * 1e6 / n);
}

int main(int argc, char **argv)
{
	size_t total = 20000;
	int want_digest = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--digest"))
			want_digest = 1;
		else
			total = strtoul(argv[i], NULL, 10);
	}
	char path[4096];
	const char *env = getenv("QUIRE_BENCH_CORPUS"), *dir = getenv("QUIRE_BENCH_DIR");
	if (env)
		snprintf(path, sizeof path, "%s", env);
	else
		snprintf(path, sizeof path, "%s/scifact/corpus.jsonl",
			 dir ? dir : TOP_SRCDIR "/../shared/bench");
	struct chunks c = {0};
	const char *source = path;
	if (load_corpus(&c, path) < 0) {
		load_zipf(&c);
		source = "Zipf vocabulary of 6,000 invented words (no SciFact corpus found)";
	}
	printf("builtin embedding (%s, %d dims), one core\n", EMBED_BUILTIN_MODEL, EMBED_BUILTIN_DIMS);
	printf("  text: %s\n", source);
	printf("  %zu chunks of %.0f tokens, %.0f words, %.0f bytes on average; %zu embeddings per stage\n",
	       c.n, (double)c.tokens / c.n, (double)c.words / c.n, (double)c.bytes / c.n, total);

	struct qconf conf;
	qconf_defaults(&conf);
	struct qerr err;
	struct embed_backend *b = embed_backend_new(&conf, &err);
	if (!b)
		return 1;
	if (want_digest) {
		printf("  digest of %zu vectors: %016llx\n", c.n, (unsigned long long)digest(&c, b));
		b->free(b);
		return 0;
	}
	float *v = malloc(BATCH * EMBED_BUILTIN_DIMS * sizeof *v);
	int8_t q[EMBED_BUILTIN_DIMS];
	float scale;
	double sink = 0;
	struct embed_batch_result res;
	struct timing t;

	/* warm-up pass: the stemmer cache and the per-language embedders */
	for (size_t i = 0; i < c.n; i += BATCH)
		b->embed(b, (const char *const *)c.text + i, c.len + i,
			 c.n - i < BATCH ? c.n - i : BATCH, v, &res);

	/* The embedder's path: the backend on batches, then quantisation as
	 * vector_put does it. */
	start(&t);
	for (size_t done = 0, i = 0; done < total; i = (i + BATCH) % c.n) {
		size_t k = c.n - i < BATCH ? c.n - i : BATCH;
		if (k > total - done)
			k = total - done;
		b->embed(b, (const char *const *)c.text + i, c.len + i, k, v, &res);
		for (size_t j = 0; j < k; j++) {
			embed_quantize(v + j * EMBED_BUILTIN_DIMS, EMBED_BUILTIN_DIMS, q, &scale);
			sink += scale;
		}
		done += k;
	}
	stop(&t);
	report("backend + quantise (the real path)", total, &t);

	/* stages, each alone */
	size_t bytes = 0;
	start(&t);
	for (size_t i = 0; i < total; i++)
		bytes += text_detect(c.text[i % c.n], c.len[i % c.n] < 4096 ? c.len[i % c.n] : 4096);
	stop(&t);
	report("  language detection alone", total, &t);
	start(&t);
	for (size_t i = 0; i < total; i++)
		text_tokens(c.text[i % c.n], c.len[i % c.n], count_tok, &bytes);
	stop(&t);
	report("  tokenising alone", total, &t);
	struct embed_builtin *e = embed_builtin_new(LANG_EN);
	for (size_t i = 0; i < c.n; i++)
		embed_builtin_text(e, c.text[i], c.len[i], v);
	start(&t);
	for (size_t i = 0; i < total; i++) {
		embed_builtin_text(e, c.text[i % c.n], c.len[i % c.n], v);
		sink += v[0];
	}
	stop(&t);
	report("  embed_builtin_text (English)", total, &t);
	if (sink == 12345.678 && bytes == 1)
		printf("!\n");
	embed_builtin_free(e);
	b->free(b);
	free(v);
	for (size_t i = 0; i < c.n; i++)
		free(c.text[i]);
	free(c.text);
	free(c.len);
	return 0;
}
