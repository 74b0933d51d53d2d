/* text.c: tokenizer, word hashes, stop words, a query's language guess
 * (a document's: text_langid.c; stemming: text_stem.c). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "text/text.h"
#include "text/text_tok.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

uint64_t text_hash(const void *p, size_t n, uint64_t seed)
{
	/* FNV-1a over 8-byte words, finished with a murmur-style mix. */
	const unsigned char *c = p;
	uint64_t h = 0xcbf29ce484222325ull ^ (seed * 0x9e3779b97f4a7c15ull);
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, c, 8);
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 29;
		c += 8;
		n -= 8;
	}
	while (n--)
		h = (h ^ *c++) * 0x100000001b3ull;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h;
}

uint64_t text_word_hash(const void *p, size_t n)
{
	/* Eight bytes a multiply, the tail gathered by shifts: shorter
	 * dependency chains than text_hash's multiply per byte. */
	const unsigned char *c;
	uint64_t h = text_word_hash_words(p, n, &c), w = 0;
	for (size_t i = 0; i < n % 8; i++)
		w |= (uint64_t)c[i] << (8 * i);
	return text_word_hash_end(h, w);
}

/* ASCII letters and digits lowercased, other ASCII 0 (a word boundary). */
const unsigned char text_ascii_fold[256] = {   /* 0 from 0x80: no ASCII word byte */
	['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
	['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
#define L(c) [c] = c, [c - 32] = c
	L('a'), L('b'), L('c'), L('d'), L('e'), L('f'), L('g'), L('h'), L('i'),
	L('j'), L('k'), L('l'), L('m'), L('n'), L('o'), L('p'), L('q'), L('r'),
	L('s'), L('t'), L('u'), L('v'), L('w'), L('x'), L('y'), L('z'),
#undef L
};

/* ---- Unicode (utf8proc) -------------------------------------------------- */

#define NORM_OPTS (UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE)

size_t text_norm_cp(uint32_t cp, uint32_t out[TEXT_NORM_CP])
{
	utf8proc_int32_t d[TEXT_NORM_CP];
	utf8proc_ssize_t k = utf8proc_decompose_char((utf8proc_int32_t)cp, d, TEXT_NORM_CP,
						     NORM_OPTS | UTF8PROC_DECOMPOSE, NULL);
	if (k < 0 || k > TEXT_NORM_CP) {   /* never for a valid code point */
		out[0] = cp;
		return 1;
	}
	for (utf8proc_ssize_t j = 0; j < k; j++)
		out[j] = (uint32_t)d[j];
	return (size_t)k;
}

int text_is_word_cp(uint32_t cp)
{
	switch (utf8proc_category((utf8proc_int32_t)cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
		return 1;
	default:
		return 0;
	}
}

/* NFC of a token already decomposed and folded: its NFKC_Casefold, in out
 * (TEXT_TOK_BUF bytes), at most TEXT_TOKEN_MAX - 1 bytes, cut at a
 * character boundary. A token holding bytes that are not UTF-8 is kept. */
static size_t norm_token(const char *tok, size_t len, char *out)
{
	utf8proc_int32_t cps[TEXT_TOKEN_MAX * 2];
	utf8proc_ssize_t k = utf8proc_decompose((const utf8proc_uint8_t *)tok, (utf8proc_ssize_t)len,
						cps, TEXT_TOKEN_MAX * 2, NORM_OPTS | UTF8PROC_COMPOSE);
	if (k < 0 || k > TEXT_TOKEN_MAX * 2 || (k = utf8proc_normalize_utf32(cps, k, UTF8PROC_COMPOSE)) < 0) {
		memcpy(out, tok, len);
		return len;
	}
	size_t n = 0;
	for (utf8proc_ssize_t j = 0; j < k; j++) {
		char b[4];
		size_t bl = text_utf8_put((uint32_t)cps[j], b);
		if (n + bl >= TEXT_TOKEN_MAX)
			break;
		memcpy(out + n, b, bl);
		n += bl;
	}
	return n;
}

char *text_tok_emit_norm(char *tok, size_t len, char *(*emit)(char *, size_t, void *), void *arg)
{
	char nb[TEXT_TOK_BUF];
	size_t n = norm_token(tok, len, nb), start = 0, i = 0;
	while (i < n) {
		uint32_t cp;
		size_t l = text_utf8_next((const unsigned char *)nb + i, n - i, &cp);
		if (text_is_cjk(cp)) {   /* composed Hangul jamo: a syllable each */
			if (i > start) {
				memcpy(tok, nb + start, i - start);
				if (!(tok = emit(tok, i - start, arg)))
					return NULL;
			}
			memcpy(tok, nb + i, l);
			if (!(tok = emit(tok, l, arg)))
				return NULL;
			start = i + l;
		}
		i += l;
	}
	if (n > start) {
		memcpy(tok, nb + start, n - start);
		tok = emit(tok, n - start, arg);
	}
	return tok;
}

struct tokens_cb {
	text_token_cb cb;
	void *arg;
};

static char *tokens_emit(char *tok, size_t len, void *arg)
{
	const struct tokens_cb *t = arg;
	return t->cb(tok, len, t->arg) ? NULL : tok;
}

void text_tokens(const char *str, size_t n, text_token_cb cb, void *arg)
{
	char tok[TEXT_TOK_BUF];
	struct tokens_cb t = {cb, arg};
	text_tokens_into(str, n, tok, tokens_emit, &t);
}

/* Short stop-word lists: enough to detect the language and to keep the
 * commonest function words out of the features. */
static const char *const stop_en[] = {"a", "about", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has", "have", "he", "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "may", "more", "most", "no", "not", "of", "on", "or", "other", "our", "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "was", "we", "were", "what", "when", "where", "which", "while", "who", "will", "with", "would", "you", "your", NULL};
static const char *const stop_de[] = {"aber", "als", "am", "auch", "auf", "aus", "bei", "das", "dass", "dem", "den", "der", "des", "die", "ein", "eine", "einem", "einen", "einer", "es", "für", "hat", "ich", "im", "in", "ist", "mit", "nicht", "noch", "oder", "sich", "sie", "sind", "und", "von", "war", "wie", "wir", "wird", "zu", "zum", "zur", NULL};
static const char *const stop_fr[] = {"au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "est", "et", "il", "ils", "la", "le", "les", "leur", "mais", "ne", "nous", "par", "pas", "pour", "qui", "que", "sa", "se", "son", "sont", "sur", "un", "une", "vous", NULL};
static const char *const stop_es[] = {"al", "como", "con", "de", "del", "el", "en", "es", "esta", "este", "la", "las", "lo", "los", "más", "no", "para", "pero", "por", "que", "se", "su", "sus", "un", "una", "y", NULL};
static const char *const stop_it[] = {"al", "che", "con", "da", "del", "della", "di", "e", "è", "gli", "il", "in", "la", "le", "non", "per", "più", "si", "sono", "su", "un", "una", "uno", NULL};
static const char *const stop_pt[] = {"ao", "com", "como", "da", "das", "de", "do", "dos", "em", "é", "mais", "mas", "na", "não", "no", "os", "para", "pelo", "por", "que", "se", "um", "uma", NULL};
static const char *const stop_nl[] = {"aan", "als", "bij", "dat", "de", "den", "der", "die", "een", "en", "het", "hij", "in", "is", "met", "niet", "of", "om", "op", "te", "van", "voor", "wat", "zijn", NULL};

static const struct {
	const char *name, *snowball;
	const char *const *stop;
} langs[LANG_MAX] = {
	[LANG_EN] = {"English", "english", stop_en}, [LANG_DE] = {"German", "german", stop_de},
	[LANG_FR] = {"French", "french", stop_fr},   [LANG_ES] = {"Spanish", "spanish", stop_es},
	[LANG_IT] = {"Italian", "italian", stop_it}, [LANG_PT] = {"Portuguese", "portuguese", stop_pt},
	[LANG_NL] = {"Dutch", "dutch", stop_nl},
	[LANG_AR] = {"Arabic", "arabic", NULL},      [LANG_HY] = {"Armenian", "armenian", NULL},
	[LANG_EU] = {"Basque", "basque", NULL},      [LANG_CA] = {"Catalan", "catalan", NULL},
	[LANG_DA] = {"Danish", "danish", NULL},      [LANG_FI] = {"Finnish", "finnish", NULL},
	[LANG_EL] = {"Greek", "greek", NULL},        [LANG_HI] = {"Hindi", "hindi", NULL},
	[LANG_HU] = {"Hungarian", "hungarian", NULL}, [LANG_ID] = {"Indonesian", "indonesian", NULL},
	[LANG_GA] = {"Irish", "irish", NULL},        [LANG_LT] = {"Lithuanian", "lithuanian", NULL},
	[LANG_NE] = {"Nepali", "nepali", NULL},      [LANG_NO] = {"Norwegian", "norwegian", NULL},
	[LANG_RO] = {"Romanian", "romanian", NULL},  [LANG_RU] = {"Russian", "russian", NULL},
	[LANG_SR] = {"Serbian", "serbian", NULL},    [LANG_SV] = {"Swedish", "swedish", NULL},
	[LANG_TA] = {"Tamil", "tamil", NULL},        [LANG_TR] = {"Turkish", "turkish", NULL},
	[LANG_YI] = {"Yiddish", "yiddish", NULL},    [LANG_NONE] = {"", "none", NULL},
};

const char *text_lang_name(enum text_lang lang)
{
	return langs[lang < LANG_MAX ? lang : LANG_EN].name;
}

const char *text_lang_snowball(enum text_lang lang)
{
	return langs[lang < LANG_MAX ? lang : LANG_EN].snowball;
}

/* Stop words of every language in one open-addressed set, built once per
 * process: a word's entry holds a bit per language that lists it, so
 * detection hashes each word once, not once per language. */
#define STOP_SLOTS 512       /* power of two, over twice the distinct words */
#define STOP_LEN_MAX 12      /* the longest stop word in bytes ("más" is 4) */

struct stop_entry {
	uint64_t hash;           /* 0: empty */
	uint8_t len, langs;      /* langs: bit l for enum text_lang l */
	char word[16];           /* zero past len: read 8 bytes at a time */
};

static struct stop_entry stop_set[STOP_SLOTS];
static int stop_ready;

static uint64_t stop_hash(const char *w, size_t len)
{
	return text_word_hash(w, len) | 1;
}

static struct stop_entry *stop_find(const char *w, size_t len, uint64_t h)
{
	unsigned i = (unsigned)h & (STOP_SLOTS - 1);
	for (; stop_set[i].hash; i = (i + 1) & (STOP_SLOTS - 1))
		if (stop_set[i].hash == h && stop_set[i].len == len && !memcmp(stop_set[i].word, w, len))
			break;
	return &stop_set[i];
}

static void stop_build(void)
{
	for (int l = 0; l < LANG_STOP_MAX; l++)
		for (const char *const *w = langs[l].stop; *w; w++) {
			size_t len = strlen(*w);
			uint64_t h = stop_hash(*w, len);
			struct stop_entry *e = stop_find(*w, len, h);
			e->hash = h;
			e->len = (uint8_t)len;
			memcpy(e->word, *w, len);
			e->langs |= (uint8_t)(1u << l);
		}
	stop_ready = 1;
}

unsigned text_stop_langs_h(const char *tok, size_t len, uint64_t h)
{
	if (len > STOP_LEN_MAX)
		return 0;
	if (!stop_ready)
		stop_build();
	return stop_find(tok, len, h | 1)->langs;
}

unsigned text_stop_langs_buf(const char *tok, size_t len, uint64_t h)
{
	if (len > STOP_LEN_MAX)
		return 0;
	if (!stop_ready)
		stop_build();
	h |= 1;
	for (unsigned i = (unsigned)h & (STOP_SLOTS - 1); stop_set[i].hash; i = (i + 1) & (STOP_SLOTS - 1))
		if (stop_set[i].hash == h && stop_set[i].len == len &&
		    text_word_eq_buf(stop_set[i].word, tok, len))
			return stop_set[i].langs;
	return 0;
}

unsigned text_stop_langs(const char *tok, size_t len)
{
	return len > STOP_LEN_MAX ? 0 : text_stop_langs_h(tok, len, stop_hash(tok, len));
}

int text_is_stop(enum text_lang lang, const char *tok, size_t len)
{
	return (int)(text_stop_langs(tok, len) >> (lang < LANG_MAX ? lang : LANG_EN)) & 1;
}

struct detect_ctx {
	unsigned counts[LANG_MAX];
	unsigned seen;
};

static int detect_tok(const char *tok, size_t len, void *arg)
{
	struct detect_ctx *d = arg;
	unsigned m = text_stop_langs(tok, len);
	for (int l = 0; m; l++, m >>= 1)
		d->counts[l] += m & 1;
	return ++d->seen >= TEXT_DETECT_TOKENS;
}

void text_stop_counts(const char *s, size_t n, unsigned counts[LANG_MAX])
{
	struct detect_ctx d;
	memset(&d, 0, sizeof d);
	text_tokens(s, n, detect_tok, &d);
	memcpy(counts, d.counts, sizeof d.counts);
}

enum text_lang text_detect(const char *s, size_t n)
{
	unsigned counts[LANG_MAX];
	text_stop_counts(s, n, counts);
	return text_detect_pick(counts);
}

enum text_lang text_detect_pick(const unsigned counts[LANG_MAX])
{
	enum text_lang best = LANG_EN;
	for (int l = 1; l < LANG_STOP_MAX; l++)
		if (counts[l] > counts[best])
			best = (enum text_lang)l;
	return best;
}

