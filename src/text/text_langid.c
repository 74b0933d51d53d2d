/* text_langid.c: a document's language: its script, then n-grams against libexttextcat's models. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "text/text.h"
#include "text/text_langid.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Scripts told apart by Unicode ranges (utf8proc has no script property). */
enum script {
	SC_LATIN, SC_CYRILLIC, SC_GREEK, SC_ARMENIAN, SC_GEORGIAN, SC_HEBREW, SC_ARABIC,
	SC_DEVANAGARI, SC_BENGALI, SC_TAMIL, SC_THAI, SC_HANGUL, SC_CJ, SC_OTHER, SC_MAX
};

/* The languages named: every Snowball language, the common languages of
 * the scripts above. model: libexttextcat's fingerprint (NULL: the script
 * decides). Within a script, the first is what a text too short for
 * n-grams, or a machine without the models, gets. */
static const struct entry {
	struct text_language l;
	enum script sc;
	const char *model;
} table[] = {
	{{"en", "English", LANG_EN}, SC_LATIN, "en"},
	{{"de", "German", LANG_DE}, SC_LATIN, "de"},
	{{"fr", "French", LANG_FR}, SC_LATIN, "fr"},
	{{"es", "Spanish", LANG_ES}, SC_LATIN, "es"},
	{{"it", "Italian", LANG_IT}, SC_LATIN, "it"},
	{{"pt", "Portuguese", LANG_PT}, SC_LATIN, "pt"},
	{{"nl", "Dutch", LANG_NL}, SC_LATIN, "nl"},
	{{"da", "Danish", LANG_DA}, SC_LATIN, "da"},
	{{"sv", "Swedish", LANG_SV}, SC_LATIN, "sv"},
	{{"nb", "Norwegian", LANG_NO}, SC_LATIN, "nb"},
	{{"nn", "Norwegian", LANG_NO}, SC_LATIN, "nn"},
	{{"fi", "Finnish", LANG_FI}, SC_LATIN, "fi"},
	{{"hu", "Hungarian", LANG_HU}, SC_LATIN, "hu"},
	{{"ro", "Romanian", LANG_RO}, SC_LATIN, "ro"},
	{{"tr", "Turkish", LANG_TR}, SC_LATIN, "tr"},
	{{"ca", "Catalan", LANG_CA}, SC_LATIN, "ca"},
	{{"eu", "Basque", LANG_EU}, SC_LATIN, "eu"},
	{{"ga", "Irish", LANG_GA}, SC_LATIN, "ga"},
	{{"id", "Indonesian", LANG_ID}, SC_LATIN, "id"},
	{{"lt", "Lithuanian", LANG_LT}, SC_LATIN, "lt"},
	{{"sr-Latn", "Serbian", LANG_SR}, SC_LATIN, "sr-Latn"},
	{{"pl", "Polish", LANG_NONE}, SC_LATIN, "pl"},
	{{"cs", "Czech", LANG_NONE}, SC_LATIN, "cs"},
	{{"sk", "Slovak", LANG_NONE}, SC_LATIN, "sk"},
	{{"sl", "Slovenian", LANG_NONE}, SC_LATIN, "sl"},
	{{"hr", "Croatian", LANG_NONE}, SC_LATIN, "hr"},
	{{"et", "Estonian", LANG_NONE}, SC_LATIN, "et"},
	{{"lv", "Latvian", LANG_NONE}, SC_LATIN, "lv"},
	{{"vi", "Vietnamese", LANG_NONE}, SC_LATIN, "vi"},
	{{"ru", "Russian", LANG_RU}, SC_CYRILLIC, "ru"},
	{{"uk", "Ukrainian", LANG_NONE}, SC_CYRILLIC, "uk"},
	{{"bg", "Bulgarian", LANG_NONE}, SC_CYRILLIC, "bg"},
	{{"sr-Cyrl", "Serbian", LANG_SR}, SC_CYRILLIC, "sr-Cyrl"},
	{{"mk", "Macedonian", LANG_NONE}, SC_CYRILLIC, "mk"},
	{{"be", "Belarusian", LANG_NONE}, SC_CYRILLIC, "be"},
	{{"kk", "Kazakh", LANG_NONE}, SC_CYRILLIC, "kk"},
	{{"el", "Greek", LANG_EL}, SC_GREEK, NULL},
	{{"hy", "Armenian", LANG_HY}, SC_ARMENIAN, NULL},
	{{"ka", "Georgian", LANG_NONE}, SC_GEORGIAN, NULL},
	{{"he", "Hebrew", LANG_NONE}, SC_HEBREW, "he"},
	{{"yi", "Yiddish", LANG_YI}, SC_HEBREW, "yi"},
	{{"ar", "Arabic", LANG_AR}, SC_ARABIC, "ar"},
	{{"fa", "Persian", LANG_NONE}, SC_ARABIC, "fa"},
	{{"ur", "Urdu", LANG_NONE}, SC_ARABIC, "ur"},
	{{"hi", "Hindi", LANG_HI}, SC_DEVANAGARI, "hi"},
	{{"ne", "Nepali", LANG_NE}, SC_DEVANAGARI, "ne"},
	{{"mr", "Marathi", LANG_NONE}, SC_DEVANAGARI, "mr"},
	{{"bn", "Bengali", LANG_NONE}, SC_BENGALI, NULL},
	{{"ta", "Tamil", LANG_TA}, SC_TAMIL, NULL},
	{{"th", "Thai", LANG_NONE}, SC_THAI, NULL},
	{{"ko", "Korean", LANG_NONE}, SC_HANGUL, NULL},
	{{"zh-Hans", "Chinese Simplified", LANG_NONE}, SC_CJ, NULL},
	{{"zh-Hant", "Chinese Traditional", LANG_NONE}, SC_CJ, NULL},
	{{"ja", "Japanese", LANG_NONE}, SC_CJ, NULL},
};
#define NLANGS (sizeof table / sizeof *table)
enum { ZH_HANS = NLANGS - 3, ZH_HANT, JA };

static struct text_language list[NLANGS];

const struct text_language *text_languages(size_t *n)
{
	for (size_t i = 0; i < NLANGS; i++)
		list[i] = table[i].l;
	*n = NLANGS;
	return list;
}

static enum script script_of(uint32_t c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xc0 && c <= 0x24f) ||
	    (c >= 0x1e00 && c <= 0x1eff))
		return SC_LATIN;
	if ((c >= 0x370 && c <= 0x3ff) || (c >= 0x1f00 && c <= 0x1fff))
		return SC_GREEK;
	if (c >= 0x400 && c <= 0x52f)
		return SC_CYRILLIC;
	if (c >= 0x530 && c <= 0x58f)
		return SC_ARMENIAN;
	if (c >= 0x590 && c <= 0x5ff)
		return SC_HEBREW;
	if ((c >= 0x600 && c <= 0x6ff) || (c >= 0x750 && c <= 0x77f) ||
	    (c >= 0xfb50 && c <= 0xfdff) || (c >= 0xfe70 && c <= 0xfeff))
		return SC_ARABIC;
	if (c >= 0x900 && c <= 0x97f)
		return SC_DEVANAGARI;
	if (c >= 0x980 && c <= 0x9ff)
		return SC_BENGALI;
	if (c >= 0xb80 && c <= 0xbff)
		return SC_TAMIL;
	if (c >= 0xe00 && c <= 0xe7f)
		return SC_THAI;
	if (c >= 0x10a0 && c <= 0x10ff)
		return SC_GEORGIAN;
	if ((c >= 0x1100 && c <= 0x11ff) || (c >= 0x3130 && c <= 0x318f) || (c >= 0xac00 && c <= 0xd7af))
		return SC_HANGUL;
	if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x31f0 && c <= 0x31ff) || (c >= 0xff66 && c <= 0xff9f) ||
	    (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) ||
	    (c >= 0x20000 && c <= 0x2ffff))
		return SC_CJ;
	return SC_OTHER;
}

static int is_kana(uint32_t c)
{
	return (c >= 0x3040 && c <= 0x30ff) || (c >= 0x31f0 && c <= 0x31ff) || (c >= 0xff66 && c <= 0xff9f);
}

/* Characters written one way in simplified Chinese and another in
 * traditional, common enough to be in any page of either. */
static const char simplified[] = "这个们说来时国会为对过还没么见长门问间关开东车马书经发现实进样点学习语员产动业电气华区让认应与从体务报";
static const char traditional[] = "這個們說來時國會為對過還沒麼見長門問間關開東車馬書經發現實進樣點學習語員產動業電氣華區讓認應與從體務報";

static int in_set(const char *set, uint32_t c)
{
	utf8proc_int32_t d;
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)set;
	utf8proc_ssize_t l;
	while (*p && (l = utf8proc_iterate(p, -1, &d)) > 0) {
		if ((uint32_t)d == c)
			return 1;
		p += l;
	}
	return 0;
}

struct scan {
	size_t letters[SC_MAX];
	size_t kana, hans, hant;
};

/* Letters per script; a CJK character, Hangul syllable or kana counts
 * three, about what a word of an alphabet does. */
static void scan_text(const char *s, size_t n, struct scan *sc)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	memset(sc, 0, sizeof *sc);
	while (n > 0) {
		utf8proc_int32_t c;
		utf8proc_ssize_t l = utf8proc_iterate(p, (utf8proc_ssize_t)n, &c);
		if (l <= 0) {   /* not UTF-8: skip the byte */
			p++;
			n--;
			continue;
		}
		p += l;
		n -= (size_t)l;
		utf8proc_category_t cat = utf8proc_category(c);
		if (cat < UTF8PROC_CATEGORY_LU || cat > UTF8PROC_CATEGORY_LO)
			continue;
		enum script k = script_of((uint32_t)c);
		sc->letters[k] += (k == SC_CJ || k == SC_HANGUL) ? 3 : 1;
		if (k == SC_CJ) {
			sc->kana += is_kana((uint32_t)c);
			sc->hans += in_set(simplified, (uint32_t)c);
			sc->hant += in_set(traditional, (uint32_t)c);
		}
	}
}

/* ---- n-grams (libexttextcat's models) ---------------------------------- */

/* Cavnar and Trenkle's n-gram ranks, as libexttextcat computes them, with
 * its models (*.lm: one n-gram a line, commonest first), in our own
 * tables: libexttextcat builds a 64 KiB hash table, a memory pool and a
 * heap for every text and merges each model's sorted list with the
 * text's; that was 15% of an ingestion's CPU. Here the models are one
 * hash table of n-grams, each with its rank in every model, and a text's
 * counts go into a table kept per thread (cleared by a generation). The
 * text's n-grams of equal count are ranked in the order they first occur
 * (libexttextcat's order among them is its heap's). */
#define MAXNGRAMS 400        /* libexttextcat's models keep 400 */
#define NGRAM_CHARS 5        /* characters in an n-gram at most */
#define NGRAM_MAX 20         /* bytes of a model's n-gram at most */
#define OUT_OF_PLACE 400     /* a text n-gram the model lacks costs this */
#define MIN_NGRAM_LETTERS 20 /* under this, n-grams are noise */
/* The n-grams are counted over this much of the text at most: their 400
 * commonest are settled well before (libexttextcat's own models come
 * from texts of this order), and counting them was most of a long
 * document's identification (16 KiB: 1.2 ms, 4 KiB: 0.6 ms). */
#define NGRAM_BYTES 4096

/* The models' n-grams (7,543 distinct in the models the table names):
 * open addressing, each with a row of its ranks in every model
 * (mranks[row * NLANGS + model], -1: not in that model). */
#define MODEL_SLOTS (1u << 15)
struct mgram {
	char s[NGRAM_MAX];
	unsigned char len;   /* 0: free */
	uint16_t row;
};
static struct mgram *mgrams;
static int16_t *mranks;
static size_t mrows, mrows_alloc;

/* One more row of ranks (all -1); 0 when out of memory. */
static int new_row(void)
{
	if (mrows == mrows_alloc) {
		size_t na = mrows_alloc ? mrows_alloc * 2 : 4096;
		int16_t *p = realloc(mranks, na * NLANGS * sizeof *p);
		if (!p)
			return 0;
		memset(p + mrows_alloc * NLANGS, 0xff, (na - mrows_alloc) * NLANGS * sizeof *p);
		mranks = p;
		mrows_alloc = na;
	}
	mrows++;
	return 1;
}
static int has_model[NLANGS];
static pthread_once_t models_once = PTHREAD_ONCE_INIT;

/* FNV-1a: the hash of s + t is gram_hash_more(gram_hash(s), t) */
static uint32_t gram_hash_more(uint32_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static uint32_t gram_hash(const char *s, size_t n)
{
	return gram_hash_more(2166136261u, s, n);
}

/* The slot of n-gram s in the models' table: its own, or the free one
 * where it would go; UINT32_MAX when the table is full. */
static uint32_t mgram_slot(const char *s, size_t n)
{
	uint32_t i = gram_hash(s, n) & (MODEL_SLOTS - 1);
	for (uint32_t probes = 0; probes < MODEL_SLOTS; probes++, i = (i + 1) & (MODEL_SLOTS - 1))
		if (!mgrams[i].len || (mgrams[i].len == n && !memcmp(mgrams[i].s, s, n)))
			return i;
	return UINT32_MAX;
}

/* One model file into the table as model m (the file's first MAXNGRAMS
 * n-grams of at most NGRAM_MAX bytes, ranked in order, as libexttextcat
 * reads it). */
static void load_model(size_t m, const char *path)
{
	char line[1024];
	int rank = 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	while (rank < MAXNGRAMS && fgets(line, sizeof line, f)) {
		char *p = line;
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		size_t n = strcspn(p, " \t\r\n");
		if (!n || n > NGRAM_MAX)
			continue;
		uint32_t slot = mgram_slot(p, n);
		if (slot == UINT32_MAX)
			break;
		if (!mgrams[slot].len) {
			/* the table at most half full */
			if (mrows >= MODEL_SLOTS / 2 || !new_row())
				break;
			memcpy(mgrams[slot].s, p, n);
			mgrams[slot].len = (unsigned char)n;
			mgrams[slot].row = (uint16_t)(mrows - 1);
		}
		int16_t *r = &mranks[(size_t)mgrams[slot].row * NLANGS + m];
		if (*r < 0)
			*r = (int16_t)rank;
		rank++;
	}
	fclose(f);
	has_model[m] = rank > 0;
}

static void load_models(void)
{
	char path[512];
	/* QUIRE_LANGID_DIR: the models somewhere else (a portable bundle's). */
	const char *dir = getenv("QUIRE_LANGID_DIR");
	if (!dir || !*dir)
		dir = EXTTEXTCAT_DATADIR;
	if (!(mgrams = calloc(MODEL_SLOTS, sizeof *mgrams)))
		return;
	for (size_t i = 0; i < NLANGS; i++) {
		if (!table[i].model)
			continue;
		snprintf(path, sizeof path, "%s/%s.lm", dir, table[i].model);
		load_model(i, path);
	}
}

/* A text's n-gram counts, kept per thread: open addressing over the
 * n-grams' bytes in buf; a slot belongs to this text when its gen is
 * the text's. */
#define TEXT_SLOTS (1u << 15)
#define PREP_MAX (NGRAM_BYTES + 3)
struct tgram {
	uint32_t gen, count;
	uint16_t off;        /* the n-gram in the prepared text */
	unsigned char len;
};
struct tcount {
	struct tgram slot[TEXT_SLOTS];
	uint16_t order[TEXT_SLOTS];   /* slots in the order their n-grams first occur */
	uint32_t hist[PREP_MAX + 1];  /* by_ngrams' counting sort, zero between texts */
	uint32_t gen, n;
	char prep[PREP_MAX + 8];      /* + 8: same8 reads 8 bytes from any n-gram */
};
static _Thread_local struct tcount *tc;

/* a[0, n) == b[0, n) for 1 <= n <= 8, both readable 8 bytes on (prep's
 * slack): one load each, the bytes past n masked out */
static inline int same8(const char *a, const char *b, size_t n)
{
	uint64_t x, y;
	memcpy(&x, a, 8);
	memcpy(&y, b, 8);
	x ^= y;
	if (n >= 8)
		return !x;
#if defined __BYTE_ORDER__ && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return !(x >> (64 - 8 * n));
#else
	return !(x << (64 - 8 * n));
#endif
}

/* a[0, n) == b[0, n) for n-grams of prep (1 to NGRAM_MAX bytes): a call to
 * memcmp cost more than the comparison */
static inline int same_bytes(const char *a, const char *b, size_t n)
{
	for (; n > 8; a += 8, b += 8, n -= 8)
		if (!same8(a, b, 8))
			return 0;
	return same8(a, b, n);
}

/* n-gram prep[off, off + len) counted; h is its gram_hash */
static void count_gram(struct tcount *c, size_t off, size_t len, uint32_t h)
{
	const char *s = c->prep + off;
	uint32_t i = h & (TEXT_SLOTS - 1);
	for (;; i = (i + 1) & (TEXT_SLOTS - 1)) {
		struct tgram *g = &c->slot[i];
		if (g->gen != c->gen) {
			if (c->n >= TEXT_SLOTS / 2)
				return;   /* full enough: the text's rarest n-grams are left out */
			g->gen = c->gen;
			g->count = 1;
			g->off = (uint16_t)off;
			g->len = (unsigned char)len;
			c->order[c->n++] = (uint16_t)i;
			return;
		}
		if (g->len == len && same_bytes(c->prep + g->off, s, len)) {
			g->count++;
			return;
		}
	}
}

/* Bytes of the UTF-8 character starting with byte b, as libexttextcat
 * steps over them (a stray continuation byte is one). */
static size_t char_len(unsigned char b)
{
	return b < 0xc0 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
}

/* The text as libexttextcat prepares it: runs of spaces and digits become
 * one '_', and '_' begins and ends it. Its length. */
static size_t prepare(const char *s, size_t n, char *out)
{
	size_t w = 0;
	int gap = 1;
	for (size_t i = 0; i < n && s[i] && w < PREP_MAX - 2; i++) {
		unsigned char ch = (unsigned char)s[i];
		int invalid = ch == ' ' || (ch >= '\t' && ch <= '\r') || (ch >= '0' && ch <= '9');
		if (invalid) {
			gap = 1;
			continue;
		}
		if (gap)
			out[w++] = '_';
		gap = 0;
		out[w++] = (char)ch;
	}
	if (w < PREP_MAX - 1)
		out[w++] = '_';
	return w;
}

/* Count the n-grams of 1 to NGRAM_CHARS characters starting at every
 * character of the prepared text, an n-gram ending at a '_' after its
 * first character. */
static void count_text(struct tcount *c, size_t len)
{
	for (size_t p = 0; p < len; p += char_len((unsigned char)c->prep[p])) {
		size_t q = p;
		uint32_t h = gram_hash(NULL, 0);   /* extended a character at a time */
		for (int k = 0; k < NGRAM_CHARS && q < len; k++) {
			size_t cl = char_len((unsigned char)c->prep[q]);
			if (q + cl > len || q + cl - p > NGRAM_MAX)
				break;
			h = gram_hash_more(h, c->prep + q, cl);
			q += cl;
			count_gram(c, p, q - p, h);
			if (k && c->prep[q - 1] == '_')
				break;
		}
	}
}

/* The language of script k closest to s by n-grams; -1 when no model of
 * k could be read or s gives no n-gram. */
static long by_ngrams(const char *s, size_t n, enum script k)
{
	size_t models[NLANGS], nm = 0;
	long best = -1;
	/* scores of the languages models[0] .. models[nm - 1] (and those
	 * between), computed for every one of them without the indirection */
	int32_t score[NLANGS] = {0};
	pthread_once(&models_once, load_models);
	if (!mgrams)
		return -1;
	for (size_t i = 0; i < NLANGS; i++)
		if (table[i].sc == k && has_model[i])
			models[nm++] = i;
	if (!nm || (!tc && !(tc = calloc(1, sizeof *tc))))
		return -1;
	size_t lo = models[0], hi = models[nm - 1] + 1;   /* models[] ascends */
	struct tcount *c = tc;
	c->gen++;
	c->n = 0;
	count_text(c, prepare(s, n, c->prep));
	if (!c->n)
		return -1;
	/* Ranks by count, highest first, equal counts in the order they
	 * first occur: a counting sort (hist[count]: the first rank of it). */
	uint32_t maxc = 0, r = 0;
	for (uint32_t i = 0; i < c->n; i++) {
		uint32_t cnt = c->slot[c->order[i]].count;
		c->hist[cnt]++;
		maxc = cnt > maxc ? cnt : maxc;
	}
	for (uint32_t cnt = maxc; cnt > 0; cnt--) {
		uint32_t h = c->hist[cnt];
		c->hist[cnt] = r;
		r += h;
	}
	for (uint32_t i = 0; i < c->n; i++) {
		const struct tgram *g = &c->slot[c->order[i]];
		uint32_t rank = c->hist[g->count]++;
		if (rank >= MAXNGRAMS)
			continue;
		uint32_t slot = mgram_slot(c->prep + g->off, g->len);
		const int16_t *row = slot != UINT32_MAX && mgrams[slot].len
					     ? mranks + (size_t)mgrams[slot].row * NLANGS
					     : NULL;
		if (!row)   /* in no model: the same OUT_OF_PLACE for every one,
			     * no change to their order, left out */
			continue;
		for (size_t m = lo; m < hi; m++) {
			int32_t d = (int32_t)row[m] - (int32_t)rank;
			score[m] += row[m] < 0 ? OUT_OF_PLACE : d < 0 ? -d : d;
		}
	}
	memset(c->hist, 0, (maxc + 1) * sizeof *c->hist);
	for (size_t j = 0; j < nm; j++)
		if (best < 0 || score[models[j]] < score[models[best]])
			best = (long)j;
	return (long)models[best];
}

/* Danish and Norwegian share most n-grams, and libexttextcat's Bokmål
 * model loses to its Danish one on plain Bokmål; words that only one of
 * them writes (Norwegian "å" before an infinitive, "av", "etter", "ikkje";
 * Danish "af", "efter", "hvad", "noget") decide when they disagree. */
static const char *const words_no[] = {"å", "av", "etter", "hva", "noe", "mye", "igjen", "enn", "nå",
				       "kanskje", "uke", "ikkje", "eg", "kva", NULL};
static const char *const words_da[] = {"af", "efter", "hvad", "noget", "meget", "igen", "end", "nu",
				       "måske", "uge", "nogle", "mig", NULL};

struct nordic {
	unsigned no, da;
};

static int in_words(const char *const *w, const char *tok, size_t len)
{
	for (; *w; w++)
		if (strlen(*w) == len && !memcmp(*w, tok, len))
			return 1;
	return 0;
}

static int nordic_tok(const char *tok, size_t len, void *arg)
{
	struct nordic *c = arg;
	c->no += (unsigned)in_words(words_no, tok, len);
	c->da += (unsigned)in_words(words_da, tok, len);
	return 0;
}

static size_t index_of(const char *code)
{
	for (size_t i = 0; i < NLANGS; i++)
		if (!strcmp(table[i].l.code, code))
			return i;
	return 0;
}

static size_t danish_or_norwegian(const char *s, size_t n, size_t pick)
{
	struct nordic c = {0, 0};
	text_tokens(s, n, nordic_tok, &c);
	if (c.no > c.da && table[pick].l.stem == LANG_DA)
		return index_of("nb");
	if (c.da > c.no && table[pick].l.stem == LANG_NO)
		return index_of("da");
	return pick;
}

/* The first language the table lists for script k. */
static size_t first_of(enum script k)
{
	for (size_t i = 0; i < NLANGS; i++)
		if (table[i].sc == k)
			return i;
	return 0;
}

/* Without n-grams, Latin text by its stop words (English when none). */
/* The table's first Latin-script entry stemmed as l (English when none). */
static size_t latin_index(enum text_lang l)
{
	for (size_t i = 0; i < NLANGS; i++)
		if (table[i].sc == SC_LATIN && table[i].l.stem == l)
			return i;
	return 0;
}

static size_t latin_by_stop_words(const char *s, size_t n)
{
	return latin_index(text_detect(s, n));
}

/* n-grams mislead on text with little prose (a bank statement's rows,
 * a form, a slide of labels: "Clearing Cheque", "Assisted Deposit" read
 * as German): when the language they pick has stop words of its own
 * (text_is_stop) and the text holds none of them, but at least
 * STOP_OVERRULE of another language's, the stop words decide. Prose in
 * the picked language always holds some of its stop words; languages
 * without a stop list are left to the n-grams. */
#define STOP_OVERRULE 2
static size_t check_by_stop_words(const char *s, size_t n, size_t pick)
{
	enum text_lang l = table[pick].l.stem;
	if ((unsigned)l >= LANG_STOP_MAX)
		return pick;
	unsigned counts[LANG_MAX];
	text_stop_counts(s, n, counts);
	enum text_lang best = text_detect_pick(counts);
	if (counts[l] > 0 || best == l || counts[best] < STOP_OVERRULE)
		return pick;
	return latin_index(best);   /* every stop-listed language is in the table */
}

/* The script most letters are in (Latin when none). */
static enum script dominant(const struct scan *sc)
{
	enum script k = SC_LATIN;
	for (int i = 0; i < SC_OTHER; i++)
		if (sc->letters[i] > sc->letters[k])
			k = (enum script)i;
	return k;
}

size_t text_script_stems(const char *s, size_t n, enum text_lang out[LANG_MAX])
{
	struct scan sc;
	size_t m = 0;
	scan_text(s, n < TEXT_LANGID_BYTES ? n : TEXT_LANGID_BYTES, &sc);
	enum script k = dominant(&sc);
	if (k == SC_LATIN)
		return 0;
	for (size_t i = 0; i < NLANGS; i++) {
		if (table[i].sc != k)
			continue;
		size_t j = 0;
		while (j < m && out[j] != table[i].l.stem)
			j++;
		if (j == m)
			out[m++] = table[i].l.stem;
	}
	return m;
}

/* n, or at most max bytes of s ending before a character's start. */
static size_t whole_chars(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

const struct text_language *text_langid(const char *s, size_t n)
{
	struct scan sc;
	n = whole_chars(s, n, TEXT_LANGID_BYTES);
	scan_text(s, n, &sc);
	enum script k = dominant(&sc);
	size_t pick;
	if (k == SC_CJ) {
		/* Japanese writes kana beside its kanji; Chinese none. */
		size_t han = sc.letters[SC_CJ] / 3 - sc.kana;
		pick = sc.kana * 10 >= han && sc.kana ? JA : sc.hant > sc.hans ? ZH_HANT : ZH_HANS;
	} else {
		long b = sc.letters[k] >= MIN_NGRAM_LETTERS ? by_ngrams(s, whole_chars(s, n, NGRAM_BYTES), k)
							    : -1;
		pick = b >= 0 ? (size_t)b : k == SC_LATIN ? latin_by_stop_words(s, n) : first_of(k);
		if (b >= 0 && k == SC_LATIN)
			pick = check_by_stop_words(s, n, pick);
		if (table[pick].l.stem == LANG_DA || table[pick].l.stem == LANG_NO)
			pick = danish_or_norwegian(s, n, pick);
	}
	return &table[pick].l;
}
