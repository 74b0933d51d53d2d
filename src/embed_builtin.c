/* embed_builtin.c: hashed sublinear TF features (see embed_builtin.h). */
#include "config.h"
#include "embed_builtin.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TERM_SLOTS 4096   /* per-chunk term table, power of two */

struct term {
	uint64_t hash;
	uint32_t gen;
	float weight;         /* per-occurrence weight of the feature kind */
	float count;
};

struct embed_builtin {
	enum text_lang lang;
	struct text_stemmer *stem;
	struct term *terms;
	uint32_t gen;
	uint32_t used[TERM_SLOTS];
	size_t nused;
	uint64_t prev;        /* previous stem's hash, 0 at a chunk start */
	float prev_w;         /* and its word weight */
	/* queries only: a weight per word (embed_builtin_query) */
	float (*weight)(const char *stem, size_t len, void *arg);
	void *warg;
	float stop_w;
};

struct embed_builtin *embed_builtin_new(enum text_lang lang)
{
	struct embed_builtin *e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	e->lang = lang;
	e->stem = text_stemmer_new(lang);
	e->terms = calloc(TERM_SLOTS, sizeof *e->terms);
	if (!e->stem || !e->terms) {
		embed_builtin_free(e);
		return NULL;
	}
	return e;
}

void embed_builtin_free(struct embed_builtin *e)
{
	if (!e)
		return;
	text_stemmer_free(e->stem);
	free(e->terms);
	free(e);
}

static void add_term(struct embed_builtin *e, uint64_t h, float weight)
{
	uint32_t i = (uint32_t)h & (TERM_SLOTS - 1);
	for (uint32_t probe = 0; probe < TERM_SLOTS; probe++, i = (i + 1) & (TERM_SLOTS - 1)) {
		struct term *t = &e->terms[i];
		if (t->gen != e->gen) {
			if (e->nused >= TERM_SLOTS * 3 / 4)
				return;   /* table full: the chunk has enough features */
			t->gen = e->gen;
			t->hash = h;
			t->weight = weight;
			t->count = 1;
			e->used[e->nused++] = i;
			return;
		}
		if (t->hash == h) {
			t->count += 1;
			return;
		}
	}
}

/* Character trigrams of "^word$" catch inflections and typos. */
static inline void add_trigrams(struct embed_builtin *e, const char *tok, size_t len, float w)
{
	char gram[TEXT_TOKEN_MAX + 2];
	gram[0] = '^';
	memcpy(gram + 1, tok, len);
	gram[len + 1] = '$';
	for (size_t i = 0; i + 3 <= len + 2; i++) {
		/* Three bytes packed and mixed: much cheaper than a general hash. */
		uint64_t g = (uint64_t)(unsigned char)gram[i] | (uint64_t)(unsigned char)gram[i + 1] << 8 |
			     (uint64_t)(unsigned char)gram[i + 2] << 16 | 3ull << 56;
		g *= 0x9e3779b97f4a7c15ull;
		add_term(e, g ^ (g >> 29), 0.25f * w);
	}
}

/* A stem (h: its hash) and its pair with the previous one (w: this word's
 * weight). */
static inline void add_stem(struct embed_builtin *e, uint64_t h, float w)
{
	add_term(e, h, w);
	if (e->prev)
		add_term(e, (e->prev * 31) ^ (h + 0x9e3779b97f4a7c15ull), 0.5f * (w + e->prev_w) * 0.5f);
	e->prev = h;
	e->prev_w = w;
}

/* A chunk's word: every feature at its kind's weight. */
static int on_token(const char *tok, size_t len, void *arg)
{
	struct embed_builtin *e = arg;
	struct text_word w;
	add_trigrams(e, tok, len, 1.0f);
	text_stem_word(e->stem, tok, len, &w);
	if (w.stop) {
		e->prev = 0;
		return 0;
	}
	add_stem(e, w.stem_hash, 1.0f);
	return 0;
}

/* A query's word: its features scaled by the word's weight. */
static int on_query_token(const char *tok, size_t len, void *arg)
{
	struct embed_builtin *e = arg;
	size_t slen;
	if (text_is_stop(e->lang, tok, len)) {
		if (e->stop_w > 0)
			add_trigrams(e, tok, len, e->stop_w);
		e->prev = 0;
		return 0;
	}
	const char *stem = text_stem(e->stem, tok, len, &slen);
	float w = e->weight(stem, slen, e->warg);
	if (w > 0)   /* stem (the stemmer's buffer) stays valid: no stemming here */
		add_trigrams(e, tok, len, w);
	add_stem(e, text_hash(stem, slen, TEXT_STEM_SEED), w);
	return 0;
}

static void embed(struct embed_builtin *e, const char *text, size_t n, text_token_cb cb,
		  float *out)
{
	memset(out, 0, EMBED_BUILTIN_DIMS * sizeof *out);
	if (++e->gen == 0) {
		memset(e->terms, 0, TERM_SLOTS * sizeof *e->terms);
		e->gen = 1;
	}
	e->nused = 0;
	e->prev = 0;
	text_tokens(text, n, cb, e);
	for (size_t k = 0; k < e->nused; k++) {
		const struct term *t = &e->terms[e->used[k]];
		float v = t->weight * (1.0f + logf(t->count));
		uint64_t h = t->hash * 0x9e3779b97f4a7c15ull;
		out[(h >> 20) % EMBED_BUILTIN_DIMS] += (h >> 63) ? -v : v;
	}
	double norm = 0;
	for (size_t i = 0; i < EMBED_BUILTIN_DIMS; i++)
		norm += (double)out[i] * out[i];
	if (norm > 0) {
		float inv = (float)(1.0 / sqrt(norm));
		for (size_t i = 0; i < EMBED_BUILTIN_DIMS; i++)
			out[i] *= inv;
	}
}

void embed_builtin_query(struct embed_builtin *e, const char *text, size_t n,
			 float (*weight)(const char *stem, size_t len, void *arg), void *arg,
			 float stop_weight, float *out)
{
	e->weight = weight;
	e->warg = arg;
	e->stop_w = stop_weight;
	embed(e, text, n, on_query_token, out);
	e->weight = NULL;
	e->warg = NULL;
}

void embed_builtin_text(struct embed_builtin *e, const char *text, size_t n, float *out)
{
	embed(e, text, n, on_token, out);
}

void embed_quantize(const float *v, size_t dims, int8_t *q, float *scale)
{
	float max = 0;
	for (size_t i = 0; i < dims; i++)
		if (fabsf(v[i]) > max)
			max = fabsf(v[i]);
	*scale = max > 0 ? max / 127.0f : 1.0f;
	float inv = max > 0 ? 127.0f / max : 0;
	for (size_t i = 0; i < dims; i++)
		q[i] = (int8_t)lrintf(v[i] * inv);
}

int32_t embed_dot_i8(const int8_t *a, const int8_t *b, size_t dims)
{
	/* Plain loop over int16 products: GCC vectorises this at -O2 -ftree-vectorize
	 * and always at -O3 (integer sums need no -ffast-math). */
	int32_t sum = 0;
	for (size_t i = 0; i < dims; i++)
		sum += (int16_t)a[i] * (int16_t)b[i];
	return sum;
}
