/* test_embed.c: the builtin embedder (src/embed/embed_builtin.c) and the text
 * analysis under it (src/text/text.c, src/text/text_stem.c): 512 unit-norm
 * dimensions, determinism, empty text, case folding, stop words and
 * detection, and the fast paths (table tokenizer, shared stop set, cached
 * stems, one-pass detecting embedder, repeated words counted once) against
 * a straightforward reference: the code of quire-hash-512 as first written,
 * kept here, must give the same bytes. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "tap.h"
#include "embed/embed_builtin.h"
#include "text/text.h"

#include <libstemmer.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define DIMS EMBED_BUILTIN_DIMS

/* ---- reference tokenizer: a code point at a time ------------------------ */

static size_t ref_utf8(const unsigned char *s, size_t n, uint32_t *cp)
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

static int ref_cjk(uint32_t cp)
{
	return (cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
	       (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7af) ||
	       (cp >= 0xf900 && cp <= 0xfaff);
}

static int ref_word_char(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
	utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME) ||
	       (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

static size_t ref_put(uint32_t cp, char *o)
{
	utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)o);
	return n > 0 ? (size_t)n : 0;
}

/* A token's end: NFKC_Casefold of the whole token when anything but ASCII
 * went in, cut to TEXT_TOKEN_MAX - 1 bytes at a boundary, CJK split. */
static void ref_flush(char *tok, size_t *tl, int *dirty, text_token_cb cb, void *arg)
{
	if (!*tl)
		return;
	tok[*tl] = 0;
	utf8proc_uint8_t *f = *dirty ? utf8proc_NFKC_Casefold((utf8proc_uint8_t *)tok) : NULL;
	const char *t = f ? (const char *)f : tok;
	size_t n = f ? strlen(t) : *tl, keep = 0, start = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t l = ref_utf8((const unsigned char *)t + i, n - i, &cp);
		if (i + l >= TEXT_TOKEN_MAX)
			break;
		i += l;
		keep = i;
	}
	for (size_t i = 0; i < keep;) {
		uint32_t cp;
		size_t l = ref_utf8((const unsigned char *)t + i, keep - i, &cp);
		if (ref_cjk(cp)) {
			if (i > start)
				cb(t + start, i - start, arg);
			cb(t + i, l, arg);
			start = i + l;
		}
		i += l;
	}
	if (keep > start)
		cb(t + start, keep - start, arg);
	free(f);
	*tl = 0;
	*dirty = 0;
}

static void ref_tokens(const char *str, size_t n, text_token_cb cb, void *arg)
{
	const unsigned char *s = (const unsigned char *)str;
	char tok[4 * TEXT_TOKEN_MAX + 1];   /* decomposed: cut after composing */
	size_t tl = 0, i = 0;
	int dirty = 0;
	while (i < n) {
		uint32_t cp, d[32];
		size_t len = ref_utf8(s + i, n - i, &cp), k = 1;
		d[0] = cp;
		if (len == 1 && cp >= 0x80) {   /* not UTF-8: a boundary */
			ref_flush(tok, &tl, &dirty, cb, arg);
			i += len;
			continue;
		}
		if (cp >= 0x80) {
			utf8proc_int32_t o[32];
			utf8proc_ssize_t r = utf8proc_decompose_char((utf8proc_int32_t)cp, o, 32,
				UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE, NULL);
			k = r < 0 ? 0 : (size_t)r;
			for (size_t j = 0; j < k; j++)
				d[j] = (uint32_t)o[j];
		}
		for (size_t j = 0; j < k; j++) {
			char b[4];
			size_t bl = ref_put(d[j], b);
			if (ref_cjk(d[j])) {
				ref_flush(tok, &tl, &dirty, cb, arg);
				cb(b, bl, arg);
			} else if (ref_word_char(d[j])) {
				if (tl + bl < 4 * TEXT_TOKEN_MAX) {
					if (bl == 1)
						b[0] = (char)(b[0] >= 'A' && b[0] <= 'Z' ? b[0] + 32 : b[0]);
					memcpy(tok + tl, b, bl);
					tl += bl;
					dirty |= d[j] >= 0x80;
				}
			} else {
				ref_flush(tok, &tl, &dirty, cb, arg);
			}
		}
		i += len;
	}
	ref_flush(tok, &tl, &dirty, cb, arg);
}

/* Tokens joined by '|' */
static int join_tok(const char *tok, size_t len, void *arg)
{
	char *out = arg;
	size_t o = strlen(out);
	if (o + len + 2 < 8192) {
		memcpy(out + o, tok, len);
		out[o + len] = '|';
		out[o + len + 1] = 0;
	}
	return 0;
}

static void toks(const char *s, size_t n, int ref, char *out)
{
	out[0] = 0;
	(ref ? ref_tokens : text_tokens)(s, n, join_tok, out);
}

/* ---- reference embedder: no cache, no table tricks ---------------------- */

struct ref {
	enum text_lang lang;
	struct sb_stemmer *sb;
	uint64_t hash[4096];
	float weight[4096], count[4096];
	size_t n;
	uint64_t prev;
};

static void ref_term(struct ref *r, uint64_t h, float w)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->hash[i] == h) {
			r->count[i] += 1;
			return;
		}
	if (r->n >= 3072)
		return;
	r->hash[r->n] = h;
	r->weight[r->n] = w;
	r->count[r->n++] = 1;
}

static int ref_token(const char *tok, size_t len, void *arg)
{
	struct ref *r = arg;
	char gram[TEXT_TOKEN_MAX + 2];
	gram[0] = '^';
	memcpy(gram + 1, tok, len);
	gram[len + 1] = '$';
	for (size_t i = 0; i + 3 <= len + 2; i++) {
		uint64_t g = (uint64_t)(unsigned char)gram[i] | (uint64_t)(unsigned char)gram[i + 1] << 8 |
			     (uint64_t)(unsigned char)gram[i + 2] << 16 | 3ull << 56;
		g *= 0x9e3779b97f4a7c15ull;
		ref_term(r, g ^ (g >> 29), 0.25f);
	}
	if (text_is_stop(r->lang, tok, len)) {
		r->prev = 0;
		return 0;
	}
	const char *stem = tok;
	size_t sl = len;
	if (len > 2) {
		const sb_symbol *s = sb_stemmer_stem(r->sb, (const sb_symbol *)tok, (int)len);
		stem = (const char *)s;
		sl = (size_t)sb_stemmer_length(r->sb);
	}
	uint64_t h = text_hash(stem, sl, 1);
	ref_term(r, h, 1.0f);
	if (r->prev)
		ref_term(r, (r->prev * 31) ^ (h + 0x9e3779b97f4a7c15ull), 0.5f * (1.0f + 1.0f) * 0.5f);
	r->prev = h;
	return 0;
}

static void ref_embed(const char *text, size_t n, float *out)
{
	static struct ref r;
	r.lang = text_detect(text, n < 4096 ? n : 4096);
	r.sb = sb_stemmer_new(text_lang_snowball(r.lang), "UTF_8");
	r.n = 0;
	r.prev = 0;
	ref_tokens(text, n, ref_token, &r);
	memset(out, 0, DIMS * sizeof *out);
	for (size_t k = 0; k < r.n; k++) {
		float v = r.weight[k] * (1.0f + logf(r.count[k]));
		uint64_t h = r.hash[k] * 0x9e3779b97f4a7c15ull;
		out[(h >> 20) % DIMS] += (h >> 63) ? -v : v;
	}
	double norm = 0;
	for (size_t i = 0; i < DIMS; i++)
		norm += (double)out[i] * out[i];
	if (norm > 0) {
		float inv = (float)(1.0 / sqrt(norm));
		for (size_t i = 0; i < DIMS; i++)
			out[i] *= inv;
	}
	sb_stemmer_delete(r.sb);
}

/* ---- inputs ------------------------------------------------------------- */

static const char *const samples[] = {
	"",
	"   ... ,,, !!! ",
	"Retrieval-augmented generation cites its sources; the retriever ranks chunks.",
	"Die Straße ist nicht für Autos, und die Kinder spielen auf der STRASSE mit dem Ball.",
	"Les enfants jouent dans la rue avec leurs amis et ils sont heureux pour une fois.",
	"El perro de la casa come con los niños en el jardín para la fiesta del pueblo.",
	"Il gatto è sul tavolo e non vuole scendere per la cena con gli amici della famiglia.",
	"O menino não quer comer com os amigos da escola para o jantar de domingo em casa.",
	"De kinderen spelen in het park en zijn niet bang voor de hond van de buren.",
	"Ünïcödé ÀÉÎÕÜ àéîõü ÆØÅ æøå Þorn ×÷ mixed ÇA VA 東京タワー 한국어 text",
	"running runs ran runner RUNNING Running connected connection connecting",
	"a b c d e f g hh ii jj kk 12 345 6789 x1y2z3 1960s COVID-19 SARS-CoV-2",
	"supercalifragilisticexpialidociousandthensomemoreletterstomakeitlongerthansixtyfourbytes word",
	"broken \xc3 utf8 \xe2\x82 here \xff\xfe and \xc0\x80 overlong \xf8\x80\x80\x80 five",
};

/* Prose of n bytes or more from the samples, each word repeated, so the
 * term counts grow and a text passes the detector's 4,096 bytes. */
static size_t long_text(char *buf, size_t cap, size_t want, unsigned seed)
{
	size_t o = 0;
	while (o < want && o + 200 < cap) {
		seed = seed * 1103515245u + 12345u;
		const char *s = samples[2 + (seed >> 16) % (sizeof samples / sizeof *samples - 2)];
		size_t l = strlen(s);
		memcpy(buf + o, s, l);
		o += l;
		buf[o++] = (seed >> 8) & 1 ? '\n' : ' ';
	}
	buf[o] = 0;
	return o;
}

/* Random bytes drawn from ASCII, Latin-1 letters, CJK, spaces and broken
 * sequences: the tokenizer's paths all mixed. */
static size_t random_text(char *buf, size_t n, unsigned *seed)
{
	static const char *const pieces[] = {"a", "Z", "q", "7", " ", ".", "-", "\n", "É", "ß", "é",
					     "Ö", "×", "\xc2\xa0", "東", "\xe3\x80\x80", "\xc3",
					     "\x80", "\xff", "\xf0\x9f\x98\x80", "Ab", "THE", "the"};
	size_t o = 0;
	while (o + 8 < n) {
		*seed = *seed * 1103515245u + 12345u;
		const char *p = pieces[(*seed >> 16) % (sizeof pieces / sizeof *pieces)];
		size_t l = strlen(p);
		memcpy(buf + o, p, l);
		o += l;
	}
	buf[o] = 0;
	return o;
}

static double norm_of(const float *v)
{
	double s = 0;
	for (int i = 0; i < DIMS; i++)
		s += (double)v[i] * v[i];
	return sqrt(s);
}

int main(void)
{
	static char a[8192], b[8192], text[16384];
	static float v1[DIMS], v2[DIMS], vr[DIMS];

	/* case folding and the tokenizer against the reference */
	toks("Straße STRASSE Ünïcödé", 27, 0, a);
	is_str(a, "strasse|strasse|ünïcödé|", "full case folding: Straße = STRASSE; Latin-1 capitals fold");
	/* Unicode normalisation: each pair must give the same tokens */
	static const char *const same_as[][3] = {
		{"e\xcc\x81t\xc3\xa9 \xc3\x89T\xc3\x89", "été|été|", "NFD é (e + U+0301) = NFC é = É"},
		{"\xef\xac\x81nance \xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3", "finance|abc|",
		 "compatibility forms: the fi ligature, fullwidth ABC"},
		{"\xce\xa3\xce\x9f\xce\xa6\xce\x8a\xce\x91\xce\xa3 \xcf\x83\xce\xbf\xcf\x86\xce\xaf\xce\xb1\xcf\x82",
		 "σοφίασ|σοφίασ|", "Greek capitals fold; final sigma folds to sigma"},
		{"\xd0\x9c\xd0\x9e\xd0\xa1\xd0\x9a\xd0\x92\xd0\x90", "москва|", "Cyrillic capitals fold"},
		{"Infor\xc2\xadmation zero\xe2\x80\x8dwidth", "information|zerowidth|",
		 "a soft hyphen or a zero-width joiner does not split a word"},
		{"\xc2\xb5m x\xc2\xb2 \xe2\x85\xab \xe2\x91\xa0", "μm|x2|xii|1|",
		 "micro sign, superscript two, Roman numeral twelve, circled one"},
		{"\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab\xe1\x84\x80\xe1\x85\xae\xe1\x86\xa8 \xed\x95\x9c\xea\xb5\xad",
		 "한|국|한|국|", "Hangul jamo compose into syllables, a token each"},
		{"caf\xe9 na\xefve", "caf|na|ve|", "bytes that are not UTF-8 end a word"},
		{"\xe2\x80\x9cquoted\xe2\x80\x9d \xc2\xa7 12 \xf0\x9f\x98\x80 smile", "quoted|12|smile|",
		 "punctuation, symbols and emoji are boundaries"},
	};
	for (size_t i = 0; i < sizeof same_as / sizeof *same_as; i++) {
		toks(same_as[i][0], strlen(same_as[i][0]), 0, a);
		is_str(a, same_as[i][1], "%s", same_as[i][2]);
	}
	toks("東京 ÀB×c", strlen("東京 ÀB×c"), 0, a);
	is_str(a, "東|京|àb|c|", "ideographs are tokens of their own; × is a boundary");
	int same = 1;
	unsigned seed = 7;
	for (int i = 0; i < 2000 && same; i++) {
		size_t n = random_text(text, 64 + i % 400, &seed);
		toks(text, n, 0, a);
		toks(text, n, 1, b);
		if (strcmp(a, b)) {
			same = 0;
			diag("text %d: %s != %s", i, a, b);
		}
	}
	ok(same, "2,000 random texts: the table tokenizer gives the reference's tokens");

	/* stop words and detection */
	ok(text_is_stop(LANG_EN, "the", 3) && !text_is_stop(LANG_DE, "the", 3), "'the' is English only");
	ok(text_is_stop(LANG_DE, "für", strlen("für")) && text_is_stop(LANG_IT, "è", strlen("è")),
	   "non-ASCII stop words: 'für' German, 'è' Italian");
	ok(text_stop_langs("de", 2) == (1u << LANG_FR | 1u << LANG_ES | 1u << LANG_PT | 1u << LANG_NL),
	   "'de' is French, Spanish, Portuguese and Dutch");
	ok(!text_is_stop(LANG_EN, "thesaurus", 9) && !text_is_stop(LANG_EN, "", 0), "others are not");
	is_int(text_detect(samples[3], strlen(samples[3])), LANG_DE, "German detected");
	is_int(text_detect(samples[4], strlen(samples[4])), LANG_FR, "French detected");
	is_int(text_detect(samples[8], strlen(samples[8])), LANG_NL, "Dutch detected");

	/* the embedder */
	struct embed_builtin *e = embed_builtin_new(EMBED_LANG_DETECT);
	struct embed_builtin *e2 = embed_builtin_new(EMBED_LANG_DETECT);
	struct embed_builtin *en = embed_builtin_new(LANG_EN);
	if (!e || !e2 || !en)
		bail_out("embed_builtin_new");
	is_int(embed_builtin_text(e, "", 0, v1), 0, "empty text embeds");
	int zeros = 1;
	for (int i = 0; i < DIMS; i++)
		zeros &= v1[i] == 0;
	ok(zeros, "an empty text (or one without words) is all zeros");
	embed_builtin_text(e, samples[1], strlen(samples[1]), v1);
	ok(norm_of(v1) == 0, "punctuation only: all zeros too");
	embed_builtin_text(e, samples[2], strlen(samples[2]), v1);
	ok(fabs(norm_of(v1) - 1) < 1e-5, "a vector has unit norm (%.7f)", norm_of(v1));
	int8_t q[DIMS];
	float scale;
	embed_quantize(v1, DIMS, q, &scale);
	double dq = 0;
	for (int i = 0; i < DIMS; i++)
		dq += (double)(q[i] * scale) * (q[i] * scale);
	ok(fabs(sqrt(dq) - 1) < 0.02, "dequantised norm about 1 (%.4f)", sqrt(dq));
	embed_builtin_text(e, samples[3], strlen(samples[3]), v2);
	embed_builtin_text(e, samples[2], strlen(samples[2]), v2);
	ok(!memcmp(v1, v2, sizeof v1), "the same text twice gives the same bytes");
	embed_builtin_text(e2, samples[2], strlen(samples[2]), v2);
	ok(!memcmp(v1, v2, sizeof v1), "and a second embedder gives them too");
	embed_builtin_text(en, samples[2], strlen(samples[2]), v2);
	ok(!memcmp(v1, v2, sizeof v1), "an English embedder agrees on English text");

	/* every path against the reference, to the bit */
	int agree = 1, fixed = 1;
	size_t nsamples = sizeof samples / sizeof *samples;
	for (size_t i = 0; i < nsamples + 40; i++) {
		size_t n;
		if (i < nsamples)
			n = strlen(strcpy(text, samples[i]));
		else if (i < nsamples + 20)
			n = long_text(text, sizeof text, 200 * (i - nsamples) + 100, (unsigned)i);
		else
			n = long_text(text, sizeof text, 3000 + 300 * (i - nsamples - 20), (unsigned)i);
		ref_embed(text, n, vr);
		embed_builtin_text(e, text, n, v1);
		if (memcmp(v1, vr, sizeof v1)) {
			agree = 0;
			diag("text %zu (%zu bytes) differs from the reference", i, n);
		}
		struct embed_builtin *fe = embed_builtin_new(text_detect(text, n < 4096 ? n : 4096));
		embed_builtin_text(fe, text, n, v2);
		fixed &= !memcmp(v2, vr, sizeof v2);
		embed_builtin_free(fe);
	}
	ok(agree, "detecting embedder = reference on %zu texts (7 languages, CJK, broken UTF-8, "
		  "long words, 100 to 9,000 bytes)", nsamples + 40);
	ok(fixed, "an embedder of the detected language = reference on the same texts");
	seed = 99;
	agree = 1;
	for (int i = 0; i < 300 && agree; i++) {
		size_t n = random_text(text, 32 + (size_t)i * 17, &seed);
		ref_embed(text, n, vr);
		embed_builtin_text(e, text, n, v1);
		agree = !memcmp(v1, vr, sizeof v1);
	}
	ok(agree, "and on 300 random texts");

	/* Not compared with a constant: logf may round differently under
	 * another libm; the reference above is what holds the model still. A
	 * change of vectors needs a new model name (EMBED_BUILTIN_MODEL). */
	uint64_t h = 0;
	for (size_t i = 0; i < nsamples; i++) {
		embed_builtin_text(e, samples[i], strlen(samples[i]), v1);
		h = text_hash(v1, sizeof v1, h);
	}
	diag("%s digest of the samples: %016llx", EMBED_BUILTIN_MODEL, (unsigned long long)h);
	embed_builtin_free(e);
	embed_builtin_free(e2);
	embed_builtin_free(en);
	return done_testing();
}
