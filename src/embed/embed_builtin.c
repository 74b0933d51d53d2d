/* embed_builtin.c: hashed sublinear TF features (see embed_builtin.h). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "embed/embed_builtin.h"
#include "text/text_tok.h"
#include "text/text.h"
#include "text/text_stem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TERM_SLOTS 4096   /* per-chunk term table, power of two */
#define TERM_MAX (TERM_SLOTS * 3 / 4)   /* distinct features kept per text */
#define LOG_TABLE 256     /* 1 + ln tf precomputed for tf below this */

struct term {
	uint64_t hash;
	uint32_t count;       /* 0: empty */
	float weight;         /* per-occurrence weight of the feature kind */
};

/* A detecting embedder reads a short text once: its distinct words, each
 * looked up once (stop words, stem), and the sequence of their uses. */
struct word {
	uint64_t hash;        /* text_word_hash(word, len) */
	uint64_t stem_hash;
	uint32_t off;         /* into word_bytes */
	uint32_t feat;        /* its term slots in feats (trigrams, then stem) */
	uint16_t count, nfeat;
	uint16_t slot;        /* in word_index */
	uint8_t len, langs;   /* langs: text_stop_langs */
	uint8_t seen, stop;   /* seen: features counted once */
};

#define WORD_SLOTS 8192   /* > EMBED_DETECT_BYTES, so never full */

struct embed_builtin {
	enum text_lang lang;  /* EMBED_LANG_DETECT: each text's own */
	struct text_stemmer *stems[LANG_MAX];
	struct text_stemmer *stem;   /* of the text being embedded */
	struct term *terms;
	uint32_t used[TERM_MAX];
	size_t nused;
	uint64_t prev;        /* previous stem's hash, 0 at a chunk start */
	float prev_w;         /* and its word weight */
	/* queries only: a weight per word (embed_builtin_query) */
	float (*weight)(const char *stem, size_t len, void *arg);
	void *warg;
	float stop_w;
	/* detecting embedders only: for a text of at most cap bytes */
	size_t cap, nuses, nwords, nbytes;
	uint16_t *uses;       /* the text's tokens: index into words */
	struct word *words;
	char *word_bytes;
	uint16_t *feats;      /* 2 * cap: at most a slot per byte and one per word */
	uint16_t *word_index; /* WORD_SLOTS: 1 + index into words, 0 empty */
	unsigned counts[LANG_MAX];
};

static float log_table[LOG_TABLE];
static int log_ready;

struct embed_builtin *embed_builtin_new(enum text_lang lang)
{
	struct embed_builtin *e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	if (!log_ready) {
		/* The same logf as for larger counts: a vector is the same
		 * whichever way its weights were found. */
		for (int c = 1; c < LOG_TABLE; c++)
			log_table[c] = 1.0f + logf((float)c);
		log_ready = 1;
	}
	e->lang = lang;
	e->terms = calloc(TERM_SLOTS, sizeof *e->terms);
	if (lang != EMBED_LANG_DETECT)
		e->stem = e->stems[lang] = text_stemmer_new(lang);
	if (!e->terms || (lang != EMBED_LANG_DETECT && !e->stem)) {
		embed_builtin_free(e);
		return NULL;
	}
	return e;
}

void embed_builtin_free(struct embed_builtin *e)
{
	if (!e)
		return;
	for (int l = 0; l < LANG_MAX; l++)
		text_stemmer_free(e->stems[l]);
	free(e->terms);
	free(e->uses);
	free(e->word_bytes);
	free(e->words);
	free(e->feats);
	free(e->word_index);
	free(e);
}

/* Count feature h; its slot, or NO_SLOT when the table was full. */
#define NO_SLOT 0xffff
static inline __attribute__((always_inline)) uint16_t add_term(struct embed_builtin *e, uint64_t h,
								float weight)
{
	uint32_t i = (uint32_t)h & (TERM_SLOTS - 1);
	for (;; i = (i + 1) & (TERM_SLOTS - 1)) {   /* never more than 3/4 full */
		struct term *t = &e->terms[i];
		if (!t->count) {
			if (e->nused >= TERM_MAX)
				return NO_SLOT;   /* table full: the chunk has enough features */
			t->hash = h;
			t->weight = weight;
			t->count = 1;
			e->used[e->nused++] = i;
			return (uint16_t)i;
		}
		if (t->hash == h) {
			t->count += t->count < 1u << 24;   /* where a float count stops */
			return (uint16_t)i;
		}
	}
}

/* Character trigrams of "^word$" catch inflections and typos; three bytes
 * packed and mixed, much cheaper than a general hash. */
static inline void add_trigrams(struct embed_builtin *e, const char *tok, size_t len, float w)
{
	if (!len)
		return;
	uint32_t g3 = '^' | (uint32_t)(unsigned char)tok[0] << 8;
	for (size_t i = 1; i <= len; i++) {
		g3 |= (uint32_t)(i < len ? (unsigned char)tok[i] : '$') << 16;
		uint64_t g = (g3 | 3ull << 56) * 0x9e3779b97f4a7c15ull;
		add_term(e, g ^ (g >> 29), 0.25f * w);
		g3 >>= 8;
	}
}

/* A stem's pair with the previous one (h: the stem's hash, w: this word's
 * weight), and the stem itself too. */
static inline void add_stem_pair(struct embed_builtin *e, uint64_t h, float w)
{
	if (e->prev)
		add_term(e, (e->prev * 31) ^ (h + 0x9e3779b97f4a7c15ull), 0.5f * (w + e->prev_w) * 0.5f);
	e->prev = h;
	e->prev_w = w;
}

static inline void add_stem(struct embed_builtin *e, uint64_t h, float w)
{
	add_term(e, h, w);
	add_stem_pair(e, h, w);
}

/* A chunk's word (h: text_word_hash(tok, len)): every feature
 * at its kind's weight. */
static void chunk_word(struct embed_builtin *e, const char *tok, size_t len, uint64_t h)
{
	struct text_word w;
	add_trigrams(e, tok, len, 1.0f);
	text_stem_word_h(e->stem, tok, len, h, &w);
	if (w.stop) {
		e->prev = 0;
		return;
	}
	add_stem(e, w.stem_hash, 1.0f);
}

static int on_token(const char *tok, size_t len, void *arg)
{
	chunk_word(arg, tok, len, text_word_hash(tok, len));
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

static void embed_start(struct embed_builtin *e, float *out)
{
	memset(out, 0, EMBED_BUILTIN_DIMS * sizeof *out);
	e->nused = 0;
	e->prev = 0;
}

/* The features into out, in the order they first occurred (float sums
 * depend on order), then L2-normalised; the term table left empty. */
static void embed_finish(struct embed_builtin *e, float *out)
{
	for (size_t k = 0; k < e->nused; k++) {
		struct term *t = &e->terms[e->used[k]];
		float v = t->weight * (t->count < LOG_TABLE ? log_table[t->count]
							     : 1.0f + logf((float)t->count));
		uint64_t h = t->hash * 0x9e3779b97f4a7c15ull;
		out[(h >> 20) % EMBED_BUILTIN_DIMS] += (h >> 63) ? -v : v;
		t->count = 0;
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

static void embed(struct embed_builtin *e, const char *text, size_t n, text_token_cb cb,
		  float *out)
{
	embed_start(e, out);
	text_tokens(text, n, cb, e);
	embed_finish(e, out);
}

/* ---- detecting embedders: one tokenisation for detection and features -- */

/* A token of the text, built by the tokenizer in word_bytes past the
 * words so far: a use of a word, new (its bytes stay where they are) or
 * seen; stop-word counts per language for detection over the first
 * TEXT_DETECT_TOKENS. Returns where the next token is built. */
static inline __attribute__((always_inline)) char *collect(char *tok, size_t len, void *arg)
{
	struct embed_builtin *e = arg;
	uint64_t h = text_word_hash_buf(tok, len);
	uint32_t k = (uint32_t)h & (WORD_SLOTS - 1);
	struct word *w;
	for (;; k = (k + 1) & (WORD_SLOTS - 1)) {
		if (!e->word_index[k]) {
			/* room was made before: a text of n bytes has at most n
			 * tokens of at most n bytes together */
			w = &e->words[e->nwords];
			e->word_index[k] = (uint16_t)++e->nwords;
			w->hash = h;
			w->off = (uint32_t)e->nbytes;
			w->len = (uint8_t)len;
			w->slot = (uint16_t)k;
			w->count = 0;
			w->seen = 0;
			w->langs = (uint8_t)text_stop_langs_buf(tok, len, h);
			e->nbytes += len;
			break;
		}
		w = &e->words[e->word_index[k] - 1];
		if (w->hash == h && w->len == len && text_word_eq_buf(e->word_bytes + w->off, tok, len))
			break;
	}
	w->count++;
	if (++e->nuses <= TEXT_DETECT_TOKENS)
		for (unsigned l = 0, m = w->langs; m; l++, m >>= 1)
			e->counts[l] += m & 1;
	e->uses[e->nuses - 1] = (uint16_t)(w - e->words);
	return e->word_bytes + e->nbytes;
}

/* Make room for a text of n bytes (at most EMBED_DETECT_BYTES). */
static int reserve(struct embed_builtin *e, size_t n)
{
	if (n <= e->cap)
		return 0;
	if (!e->word_index && !(e->word_index = calloc(WORD_SLOTS, sizeof *e->word_index)))
		return -1;
	uint16_t *u = realloc(e->uses, n * sizeof *u);
	if (u)
		e->uses = u;
	struct word *w = realloc(e->words, n * sizeof *w);
	if (w)
		e->words = w;
	char *b = realloc(e->word_bytes, n + TEXT_TOK_BUF);   /* the last token built past n */
	if (b)
		e->word_bytes = b;
	uint16_t *f = realloc(e->feats, 2 * n * sizeof *f);
	if (f)
		e->feats = f;
	if (!u || !w || !b || !f)
		return -1;
	e->cap = n;
	return 0;
}

static int use_lang(struct embed_builtin *e, enum text_lang lang)
{
	if (!e->stems[lang] && !(e->stems[lang] = text_stemmer_new(lang)))
		return -1;
	e->stem = e->stems[lang];
	return 0;
}

/* The first use of a word: its features as chunk_word counts them,
 * recording their slots. */
static void first_use(struct embed_builtin *e, struct word *w, uint16_t *f)
{
	const char *tok = e->word_bytes + w->off;
	uint16_t *f0 = f;
	uint32_t g3 = '^' | (uint32_t)(unsigned char)tok[0] << 8;
	for (size_t i = 1; i <= w->len; i++) {   /* add_trigrams */
		g3 |= (uint32_t)(i < w->len ? (unsigned char)tok[i] : '$') << 16;
		uint64_t g = (g3 | 3ull << 56) * 0x9e3779b97f4a7c15ull;
		*f++ = add_term(e, g ^ (g >> 29), 0.25f);
		g3 >>= 8;
	}
	struct text_word tw;
	text_stem_word_h(e->stem, tok, w->len, w->hash, &tw);
	w->stop = (uint8_t)tw.stop;
	w->stem_hash = tw.stem_hash;
	if (!tw.stop)
		*f++ = add_term(e, tw.stem_hash, 1.0f);
	w->nfeat = (uint16_t)(f - f0);
	w->seen = 1;
}

/* The collected words' features, in the order chunk_word would count them
 * token by token, so the vector is the same to the bit: at a repeated
 * word its trigrams and stem are already in the table (or were dropped
 * when it was full, which it stays), so only their counts would grow, and
 * that is done at the end; pairs depend on the neighbour and are counted
 * in place. Each term still first enters at its first occurrence. */
static void embed_words(struct embed_builtin *e)
{
	size_t nfeat = 0;
	for (size_t i = 0; i < e->nuses; i++) {
		struct word *w = &e->words[e->uses[i]];
		if (!w->seen) {
			w->feat = (uint32_t)nfeat;
			first_use(e, w, e->feats + nfeat);
			nfeat += w->nfeat;
		}
		if (w->stop)
			e->prev = 0;
		else
			add_stem_pair(e, w->stem_hash, 1.0f);
	}
	for (size_t j = 0; j < e->nwords; j++) {
		const struct word *w = &e->words[j];
		for (uint16_t f = 0; w->count > 1 && f < w->nfeat; f++)
			if (e->feats[w->feat + f] != NO_SLOT)
				e->terms[e->feats[w->feat + f]].count += w->count - 1u;
		e->word_index[w->slot] = 0;
	}
}

/* text_detect(text, min(n, EMBED_DETECT_BYTES)) and the features of text,
 * from one pass of the tokenizer over a text of at most
 * EMBED_DETECT_BYTES (so the detector saw every token the features see). */
static int embed_detect_short(struct embed_builtin *e, const char *text, size_t n, float *out)
{
	if (reserve(e, n ? n : 1) < 0)
		return -1;
	e->nuses = e->nwords = e->nbytes = 0;
	memset(e->counts, 0, sizeof e->counts);
	text_tokens_into(text, n, e->word_bytes, collect, e);
	if (use_lang(e, text_detect_pick(e->counts)) < 0) {
		for (size_t j = 0; j < e->nwords; j++)
			e->word_index[e->words[j].slot] = 0;
		return -1;
	}
	embed_start(e, out);
	embed_words(e);
	embed_finish(e, out);
	return 0;
}

int embed_builtin_text(struct embed_builtin *e, const char *text, size_t n, float *out)
{
	if (e->lang != EMBED_LANG_DETECT) {
		embed(e, text, n, on_token, out);
		return 0;
	}
	if (n <= EMBED_DETECT_BYTES)
		return embed_detect_short(e, text, n, out);
	if (use_lang(e, text_detect(text, EMBED_DETECT_BYTES)) < 0)
		return -1;
	embed(e, text, n, on_token, out);
	return 0;
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
