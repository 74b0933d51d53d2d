/* text.h: the text analysis shared by indexing and the builtin embedder:
 * a UTF-8 tokenizer with case folding, stop words of a few European
 * languages (a query's language), a document's language by script and
 * n-grams (libexttextcat, text_langid.c), and Snowball stemming
 * (libstemmer) with a cache, since stemming is the cost that dominates
 * embedding speed. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_TEXT_H
#define QUIRE_TEXT_H

#include <stddef.h>
#include <stdint.h>

#define TEXT_TOKEN_MAX 64

/* The languages text is stemmed and indexed in: every Snowball stemmer,
 * and LANG_NONE (no stemmer: words as written). Stored in chunk records
 * and the index statistics by number: append only. The first seven have
 * stop words (text_stop_langs), the others none. */
enum text_lang {
	LANG_EN, LANG_DE, LANG_FR, LANG_ES, LANG_IT, LANG_PT, LANG_NL,
	LANG_AR, LANG_HY, LANG_EU, LANG_CA, LANG_DA, LANG_FI, LANG_EL, LANG_HI,
	LANG_HU, LANG_ID, LANG_GA, LANG_LT, LANG_NE, LANG_NO, LANG_RO, LANG_RU,
	LANG_SR, LANG_SV, LANG_TA, LANG_TR, LANG_YI, LANG_NONE,
	LANG_MAX
};
#define LANG_STOP_MAX (LANG_NL + 1)   /* languages with stop words */

/* Calls cb for each token of s (n bytes): the NFKC_Casefold of a run of
 * letters, marks and numbers (text_tok.h), at most TEXT_TOKEN_MAX - 1
 * bytes (longer words are cut), each CJK ideograph, kana or Hangul
 * syllable its own token. Stops when cb returns non-zero. */
typedef int (*text_token_cb)(const char *tok, size_t len, void *arg);
void text_tokens(const char *s, size_t n, text_token_cb cb, void *arg);

/* The most likely language of s from stop-word counts over its first
 * TEXT_DETECT_TOKENS tokens (LANG_EN when none). */
#define TEXT_DETECT_TOKENS 2000
enum text_lang text_detect(const char *s, size_t n);
/* The stop words of each language among those tokens (text_detect's
 * evidence). */
void text_stop_counts(const char *s, size_t n, unsigned counts[LANG_MAX]);
/* The language text_detect picks for these per-language stop-word counts
 * (for a caller that counted with text_stop_langs itself). */
enum text_lang text_detect_pick(const unsigned counts[LANG_MAX]);
/* "English", "German", ... and the Snowball stemmer's name ("none" for
 * LANG_NONE, which libstemmer does not know: no stemming). */
const char *text_lang_name(enum text_lang lang);
const char *text_lang_snowball(enum text_lang lang);

/* A document's language (text_langid.c). */
struct text_language {
	const char *code;     /* BCP 47: "en", "zh-Hans", "sr-Cyrl" */
	const char *name;     /* as Dify names it (doc_language): "English",
			       * "Chinese Simplified" (docs/api.md) */
	enum text_lang stem;  /* what its chunks are stemmed and indexed in */
};
/* The language of s (n bytes, the first TEXT_LANGID_BYTES read): the
 * script most of its letters are in (Unicode ranges), then, among the
 * languages of that script, libexttextcat's n-gram classifier; scripts of
 * one language (Greek, Thai, Hangul, ...) and Chinese / Japanese by script
 * alone. English when s has no letters. Borrowed, static. The first call
 * loads the n-gram models (not thread-safe). */
#define TEXT_LANGID_BYTES 16384
/* 1 when tok is a stop word of lang. */
int text_is_stop(enum text_lang lang, const char *tok, size_t len);
/* The languages tok is a stop word of: bit l set for enum text_lang l.
 * The _h form takes h = text_word_hash(tok, len), so a caller hashes a
 * token once for this and text_stem_word_h. */
unsigned text_stop_langs(const char *tok, size_t len);
unsigned text_stop_langs_h(const char *tok, size_t len, uint64_t h);

/* A stemmer for one language with a cache of recent words; not shared
 * between threads. New; release with text_stemmer_free. */
struct text_stemmer;

/* What the builtin embedder needs of a word, from one cache lookup. */
#define TEXT_STEM_SEED 1   /* seed of stem_hash: the embedder's stem feature */
struct text_word {
	const char *stem;    /* borrowed, valid until the next call */
	size_t slen;
	uint64_t stem_hash;  /* text_hash(stem, slen, TEXT_STEM_SEED) */
	int stop;            /* text_is_stop(the stemmer's language, tok, len) */
};

/* 64-bit hash of bytes with a seed (fast, well mixed). */
uint64_t text_hash(const void *p, size_t n, uint64_t seed);
/* A faster 64-bit hash for words (lookups only: no vector depends on it). */
uint64_t text_word_hash(const void *p, size_t n);

/* Unicode normalisation (utf8proc), out of line: only bytes from 0x80
 * that are not a Latin-1 letter or a common CJK character come here.
 * text_norm_cp: the code points of cp's NFKC_Casefold, decomposed (NFKD
 * with full case folding), none for a default-ignorable code point such
 * as a soft hyphen or a zero-width joiner (so it does not split a word);
 * at most TEXT_NORM_CP. */
#define TEXT_NORM_CP 32
size_t text_norm_cp(uint32_t cp, uint32_t out[TEXT_NORM_CP]);
/* 1 when a code point from 0x80 belongs in a word: a letter, a mark or a
 * number (Unicode general category L, M, N). */
int text_is_word_cp(uint32_t cp);
/* Emits a token that holds text_norm_cp output: composed (NFC, so the
 * token is its NFKC_Casefold), cut to TEXT_TOKEN_MAX - 1 bytes at a
 * character boundary, CJK characters made tokens of their own; as emit. */
char *text_tok_emit_norm(char *tok, size_t len, char *(*emit)(char *, size_t, void *), void *arg);

/* text_stop_langs_h(tok, len, h), tok readable as text_word_hash_buf's p. */
unsigned text_stop_langs_buf(const char *tok, size_t len, uint64_t h);

#endif
