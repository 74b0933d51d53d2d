/* text.c: tokenizer, stop words, language guess, cached stemming. */
#include "config.h"
#include "text.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

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

static int is_cjk(uint32_t cp)
{
	return (cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
	       (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7af) ||
	       (cp >= 0xf900 && cp <= 0xfaff);
}

/* Length of the UTF-8 sequence at s (1 for invalid bytes) and its code point. */
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned c = s[0];
	size_t len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	if (c >= 0x80 && c < 0xc0)
		len = 1;
	if (len > n)
		len = 1;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			len = 1;
	if (len == 1) {
		*cp = c;
		return 1;
	}
	uint32_t v = c & (0x7f >> len);
	for (size_t i = 1; i < len; i++)
		v = v << 6 | (s[i] & 0x3f);
	*cp = v;
	return len;
}

static int is_word_char(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
	if (cp == 0xd7 || cp == 0xf7 || (cp >= 0x2000 && cp <= 0x2bff) || (cp >= 0x3000 && cp <= 0x303f) ||
	    (cp >= 0xff00 && cp <= 0xff0f) || cp == 0xa0 || (cp >= 0x80 && cp < 0xc0))
		return 0;
	return 1;
}

void text_tokens(const char *str, size_t n, text_token_cb cb, void *arg)
{
	const unsigned char *s = (const unsigned char *)str;
	char tok[TEXT_TOKEN_MAX];
	size_t tl = 0, i = 0;
	while (i < n) {
		uint32_t cp;
		size_t len = utf8_next(s + i, n - i, &cp);
		if (is_cjk(cp)) {
			if (tl && cb(tok, tl, arg))
				return;
			tl = 0;
			if (cb((const char *)s + i, len, arg))
				return;
		} else if (is_word_char(cp)) {
			if (tl + len < TEXT_TOKEN_MAX) {
				if (len == 1) {
					unsigned char c = s[i];
					tok[tl++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
				} else if (len == 2 && cp >= 0xc0 && cp <= 0xde && cp != 0xd7) {
					tok[tl++] = (char)s[i];
					tok[tl++] = (char)(s[i + 1] + 0x20);   /* Latin-1 upper -> lower */
				} else {
					memcpy(tok + tl, s + i, len);
					tl += len;
				}
			}
		} else if (tl) {
			if (cb(tok, tl, arg))
				return;
			tl = 0;
		}
		i += len;
	}
	if (tl)
		cb(tok, tl, arg);
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
};

const char *text_lang_name(enum text_lang lang)
{
	return langs[lang < LANG_MAX ? lang : LANG_EN].name;
}

const char *text_lang_snowball(enum text_lang lang)
{
	return langs[lang < LANG_MAX ? lang : LANG_EN].snowball;
}

/* Stop words as open-addressed hash sets, built once per process. */
#define STOP_SLOTS 256
static uint64_t stop_sets[LANG_MAX][STOP_SLOTS];
static int stop_ready;

static void stop_build(void)
{
	for (int l = 0; l < LANG_MAX; l++)
		for (const char *const *w = langs[l].stop; *w; w++) {
			uint64_t h = text_hash(*w, strlen(*w), 11) | 1;
			unsigned i = (unsigned)h & (STOP_SLOTS - 1);
			while (stop_sets[l][i])
				i = (i + 1) & (STOP_SLOTS - 1);
			stop_sets[l][i] = h;
		}
	stop_ready = 1;
}

int text_is_stop(enum text_lang lang, const char *tok, size_t len)
{
	if (len > 12)
		return 0;
	if (!stop_ready)
		stop_build();
	const uint64_t *set = stop_sets[lang < LANG_MAX ? lang : LANG_EN];
	uint64_t h = text_hash(tok, len, 11) | 1;
	for (unsigned i = (unsigned)h & (STOP_SLOTS - 1); set[i]; i = (i + 1) & (STOP_SLOTS - 1))
		if (set[i] == h)
			return 1;
	return 0;
}

struct detect_ctx {
	unsigned counts[LANG_MAX];
	unsigned seen;
};

static int detect_tok(const char *tok, size_t len, void *arg)
{
	struct detect_ctx *d = arg;
	for (int l = 0; l < LANG_MAX; l++)
		d->counts[l] += (unsigned)text_is_stop((enum text_lang)l, tok, len);
	return ++d->seen >= 2000;
}

enum text_lang text_detect(const char *s, size_t n)
{
	struct detect_ctx d;
	memset(&d, 0, sizeof d);
	text_tokens(s, n, detect_tok, &d);
	enum text_lang best = LANG_EN;
	for (int l = 1; l < LANG_MAX; l++)
		if (d.counts[l] > d.counts[best])
			best = (enum text_lang)l;
	return best;
}

/* ---- cached stemming ---------------------------------------------------- */

#define CACHE_SLOTS 16384   /* power of two */

struct cache_slot {
	uint64_t hash;
	unsigned char wlen, slen;
	char word[TEXT_TOKEN_MAX];
	char stem[TEXT_TOKEN_MAX];
};

struct text_stemmer {
	struct sb_stemmer *sb;
	struct cache_slot *slots;
	char out[TEXT_TOKEN_MAX];
};

struct text_stemmer *text_stemmer_new(enum text_lang lang)
{
	struct text_stemmer *st = calloc(1, sizeof *st);
	if (!st)
		return NULL;
	st->sb = sb_stemmer_new(text_lang_snowball(lang), "UTF_8");
	st->slots = calloc(CACHE_SLOTS, sizeof *st->slots);
	if (!st->slots) {
		text_stemmer_free(st);
		return NULL;
	}
	return st;
}

void text_stemmer_free(struct text_stemmer *st)
{
	if (!st)
		return;
	if (st->sb)
		sb_stemmer_delete(st->sb);
	free(st->slots);
	free(st);
}

const char *text_stem(struct text_stemmer *st, const char *tok, size_t len, size_t *out_len)
{
	if (len >= TEXT_TOKEN_MAX)
		len = TEXT_TOKEN_MAX - 1;
	uint64_t h = text_hash(tok, len, 7);
	struct cache_slot *s = &st->slots[h & (CACHE_SLOTS - 1)];
	if (s->hash == h && s->wlen == len && !memcmp(s->word, tok, len)) {
		*out_len = s->slen;
		return s->stem;
	}
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
	s->hash = h;
	s->wlen = (unsigned char)len;
	memcpy(s->word, tok, len);
	s->slen = (unsigned char)sl;
	memcpy(s->stem, stem, sl);
	*out_len = sl;
	return s->stem;
}
