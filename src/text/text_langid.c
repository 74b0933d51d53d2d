/* text_langid.c: a document's language: its script, then libexttextcat's n-grams. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "text/text.h"
#include "text/text_langid.h"

#include <fingerprint.h>
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

/* ---- n-grams (libexttextcat) ------------------------------------------ */

#define MAXNGRAMS 400        /* libexttextcat's models keep 400 */
#define MIN_NGRAM_LETTERS 20 /* under this, n-grams are noise */
/* The n-grams are counted over this much of the text at most: their 400
 * commonest are settled well before (libexttextcat's own models come
 * from texts of this order), and counting them was most of a long
 * document's identification (16 KiB: 1.2 ms, 4 KiB: 0.6 ms). */
#define NGRAM_BYTES 4096

static void *models[NLANGS];
static int models_loaded;   /* 1: tried; models[i] NULL when its file was missing */

static void load_models(void)
{
	char path[512];
	/* QUIRE_LANGID_DIR: the models somewhere else (a portable bundle's). */
	const char *dir = getenv("QUIRE_LANGID_DIR");
	if (!dir || !*dir)
		dir = EXTTEXTCAT_DATADIR;
	models_loaded = 1;
	for (size_t i = 0; i < NLANGS; i++) {
		if (!table[i].model)
			continue;
		void *fp = fp_Init(table[i].l.code);
		if (!fp)
			continue;
		fp_SetProperty(fp, TCPROP_UTF8AWARE, TC_TRUE);
		snprintf(path, sizeof path, "%s/%s.lm", dir, table[i].model);
		if (!fp_Read(fp, path, MAXNGRAMS)) {
			fp_Done(fp);
			continue;
		}
		models[i] = fp;
	}
}

/* The language of script k closest to s by n-grams; -1 when no model of
 * k could be read or s is too short. */
static long by_ngrams(const char *s, size_t n, enum script k)
{
	if (!models_loaded)
		load_models();
	void *u = fp_Init("text");
	long best = -1;
	sint4 best_score = 0;
	if (!u)
		return -1;
	fp_SetProperty(u, TCPROP_UTF8AWARE, TC_TRUE);
	fp_SetProperty(u, TCPROP_MINIMUM_DOCUMENT_SIZE, MIN_NGRAM_LETTERS);
	if (fp_Create(u, s, (uint4)n, MAXNGRAMS)) {
		for (size_t i = 0; i < NLANGS; i++) {
			if (table[i].sc != k || !models[i])
				continue;
			sint4 score = fp_Compare(models[i], u, best < 0 ? 0x7fffffff : best_score);
			if (best < 0 || score < best_score) {
				best = (long)i;
				best_score = score;
			}
		}
	}
	fp_Done(u);
	return best;
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
static size_t latin_by_stop_words(const char *s, size_t n)
{
	enum text_lang l = text_detect(s, n);
	for (size_t i = 0; i < NLANGS; i++)
		if (table[i].sc == SC_LATIN && table[i].l.stem == l)
			return i;
	return 0;
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
		if (table[pick].l.stem == LANG_DA || table[pick].l.stem == LANG_NO)
			pick = danish_or_norwegian(s, n, pick);
	}
	return &table[pick].l;
}
