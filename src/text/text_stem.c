/* text_stem.c: Snowball stemming (libstemmer) behind a per-stemmer cache. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "text/text.h"
#include "text/text_stem.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

/* A 4-way set-associative cache of 32,768 words (2 MiB): a direct-mapped
 * one lost a word whenever another of the same slot came between its uses,
 * and a miss (Snowball) costs some fifty hits. */
#define CACHE_WAYS 4
#define CACHE_SETS 8192     /* power of two */
#define CACHE_TEXT 53       /* a word and its stem longer together are stemmed every time */

/* One cache line: a hit reads its set's tags and this. */
struct cache_slot {
	uint64_t stem_hash;      /* text_hash(stem, slen, TEXT_STEM_SEED) */
	uint8_t wlen, slen, stop;
	char text[CACHE_TEXT];   /* the word, then its stem */
};

struct text_stemmer {
	enum text_lang lang;
	struct sb_stemmer *sb;
	uint32_t (*tags)[CACHE_WAYS];   /* per set, most recently promoted first; 0: empty */
	struct cache_slot *slots;       /* CACHE_WAYS per set */
	char out[TEXT_TOKEN_MAX];       /* the stem of an uncached word */
};

struct text_stemmer *text_stemmer_new(enum text_lang lang)
{
	struct text_stemmer *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->lang = lang < LANG_MAX ? lang : LANG_EN;
	st->sb = sb_stemmer_new(text_lang_snowball(st->lang), "UTF_8");
	st->tags = calloc(CACHE_SETS, sizeof *st->tags);
	st->slots = aligned_alloc(64, CACHE_SETS * CACHE_WAYS * sizeof *st->slots);
	if (!st->tags || !st->slots) {
		text_stemmer_free(st);
		return NULL;
	}
	return st;
}

static struct text_stemmer *kept[LANG_MAX];

struct text_stemmer *text_stemmer_get(enum text_lang lang)
{
	if ((unsigned)lang >= LANG_MAX)
		lang = LANG_EN;
	if (!kept[lang])
		kept[lang] = text_stemmer_new(lang);
	return kept[lang];
}

void text_stemmer_free(struct text_stemmer *st)
{
	if (!st)
		return;
	if (st->sb)
		sb_stemmer_delete(st->sb);
	free(st->tags);
	free(st->slots);
	free(st);
}

/* Snowball's stem of tok (len < TEXT_TOKEN_MAX) into out; its length.
 * Words of one or two bytes are their own stems. */
static size_t stem_into(struct text_stemmer *st, const char *tok, size_t len, char *out)
{
	const char *stem = tok;
	size_t sl = len;
	if (st->sb && len > 2) {
		const sb_symbol *r = sb_stemmer_stem(st->sb, (const sb_symbol *)tok, (int)len);
		if (r) {
			stem = (const char *)r;
			sl = (size_t)sb_stemmer_length(st->sb);
			if (sl >= TEXT_TOKEN_MAX)
				sl = TEXT_TOKEN_MAX - 1;
		}
	}
	memcpy(out, stem, sl);
	return sl;
}

static void word_uncached(struct text_stemmer *st, const char *tok, size_t len,
			  struct text_word *w)
{
	w->slen = stem_into(st, tok, len, st->out);
	w->stem = st->out;
	w->stem_hash = text_hash(st->out, w->slen, TEXT_STEM_SEED);
	w->stop = text_is_stop(st->lang, tok, len);
}

void text_stem_word(struct text_stemmer *st, const char *tok, size_t len, struct text_word *w)
{
	if (len >= TEXT_TOKEN_MAX)
		len = TEXT_TOKEN_MAX - 1;
	text_stem_word_h(st, tok, len, text_word_hash(tok, len), w);
}

void text_stem_word_h(struct text_stemmer *st, const char *tok, size_t len, uint64_t h,
		      struct text_word *w)
{
	uint32_t tag = (uint32_t)(h >> 32) | 1, *tags = st->tags[h & (CACHE_SETS - 1)];
	struct cache_slot *set = &st->slots[(h & (CACHE_SETS - 1)) * CACHE_WAYS], *s;
	size_t k = 0;
	while (k < CACHE_WAYS &&
	       (tags[k] != tag || set[k].wlen != len || memcmp(set[k].text, tok, len)))
		k++;
	if (k == CACHE_WAYS) {
		/* A miss: the word enters first, the last one leaves. */
		char stem[TEXT_TOKEN_MAX];
		size_t sl = stem_into(st, tok, len, stem);
		if (len + sl > CACHE_TEXT) {
			word_uncached(st, tok, len, w);
			return;
		}
		memmove(set + 1, set, (CACHE_WAYS - 1) * sizeof *set);
		memmove(tags + 1, tags, (CACHE_WAYS - 1) * sizeof *tags);
		s = set;
		tags[0] = tag;
		s->wlen = (uint8_t)len;
		s->slen = (uint8_t)sl;
		memcpy(s->text, tok, len);
		memcpy(s->text + len, stem, sl);
		s->stem_hash = text_hash(stem, sl, TEXT_STEM_SEED);
		s->stop = (uint8_t)text_is_stop(st->lang, tok, len);
	} else if (k > 0) {
		/* A hit moves the word one place up: the frequent ones stay. */
		struct cache_slot t = set[k];
		set[k] = set[k - 1];
		set[k - 1] = t;
		tags[k] = tags[k - 1];
		tags[k - 1] = tag;
		s = &set[k - 1];
	} else {
		s = set;
	}
	w->stem = s->text + s->wlen;
	w->slen = s->slen;
	w->stem_hash = s->stem_hash;
	w->stop = s->stop;
}

const char *text_stem(struct text_stemmer *st, const char *tok, size_t len, size_t *out_len)
{
	struct text_word w;
	text_stem_word(st, tok, len, &w);
	*out_len = w.slen;
	return w.stem;
}
