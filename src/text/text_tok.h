/* text_tok.h: the tokenizer's body as an inline template (text.c's
 * text_tokens, and the builtin embedder, which has tokens written straight
 * into its own buffer and handled without a call per token), and the
 * helpers for tokens held in such a buffer. Private to src/. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_TEXT_TOK_H
#define QUIRE_TEXT_TOK_H

#include "text/text.h"

#include <string.h>
#include <utf8proc.h>

/* Bytes a token buffer needs: TEXT_TOKEN_MAX, written up to its last byte,
 * and 8 more so a token of up to TEXT_TOKEN_MAX - 1 bytes can be read
 * eight bytes at a time (text_word_hash_buf, text_word_eq_buf). */
#define TEXT_TOK_BUF (TEXT_TOKEN_MAX + 8)

/* ASCII letters and digits lowercased, other ASCII 0 (a word boundary). */
extern const unsigned char text_ascii_fold[256];   /* 0 for bytes from 0x80 */

static inline int text_is_cjk(uint32_t cp)
{
	return (cp >= 0x3040 && cp <= 0x30ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
	       (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7af) ||
	       (cp >= 0xf900 && cp <= 0xfaff);
}

/* Length of the UTF-8 sequence at s and its code point (utf8proc's
 * decoder); an invalid byte is 1 byte long and its own value. */
static inline size_t text_utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	utf8proc_int32_t v;
	utf8proc_ssize_t k = s[0] < 0x80 ? 0 : utf8proc_iterate(s, (utf8proc_ssize_t)n, &v);
	if (k <= 0) {
		*cp = s[0];
		return 1;
	}
	*cp = (uint32_t)v;
	return (size_t)k;
}

/* Length of the UTF-8 sequence at s (n > 0 bytes) and its code point
 * (utf8proc's decoder); an invalid, overlong, surrogate or cut sequence
 * gives U+FFFD for its first byte. */
static inline size_t text_utf8_get(const unsigned char *s, size_t n, uint32_t *cp)
{
	utf8proc_int32_t v;
	utf8proc_ssize_t k;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	k = utf8proc_iterate(s, (utf8proc_ssize_t)n, &v);
	*cp = k > 0 ? (uint32_t)v : 0xfffd;
	return k > 0 ? (size_t)k : 1;
}

/* Latin-1 letters from U+00C0 but U+00D7, U+00F7 and U+00DF (sharp s
 * folds to "ss"): lowercase them and they are their own NFKC_Casefold. */
static inline int text_is_latin1_letter(uint32_t cp)
{
	return cp >= 0xc0 && cp <= 0xff && cp != 0xd7 && cp != 0xf7 && cp != 0xdf;
}

/* CJK ideographs and Hangul syllables: their own NFKC_Casefold. */
static inline int text_is_cjk_stable(uint32_t cp)
{
	return (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
	       (cp >= 0xac00 && cp <= 0xd7a3);
}

/* Bytes of code point cp (a valid one: decoded or normalised) in UTF-8 at
 * out (room for 4): utf8proc's encoder. */
static inline size_t text_utf8_put(uint32_t cp, char *out)
{
	return (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)out);
}

/* The tokens of text_tokens, each built in tok (TEXT_TOK_BUF bytes) and
 * handed to emit, which returns the buffer for the next token (the same
 * or another of TEXT_TOK_BUF bytes), NULL to stop. A CJK character is
 * copied into the buffer too, so every token is in one.
 *
 * A token is the NFKC_Casefold of a run of letters, marks and numbers
 * (after normalisation: "ﬁ" is "fi", "①" is "1", "Ⅻ" is "xii"), with
 * default-ignorable code points dropped. ASCII and Latin-1 letters take
 * table paths that give what utf8proc would; any other code point sets
 * the token's dirty flag and the whole token is normalised once more when
 * it ends, so combining marks compose whatever came before them. A byte
 * that is not UTF-8 ends a word (extraction hands over UTF-8: this is for
 * damaged text), so every token is valid UTF-8. */
typedef char *(*text_tok_emit)(char *tok, size_t len, void *arg);

#define TEXT_TOK_FLUSH()                                                            \
	do {                                                                        \
		if (tl) {                                                           \
			tok = dirty ? text_tok_emit_norm(tok, tl, emit, arg) : emit(tok, tl, arg); \
			if (!tok)                                                   \
				return;                                             \
			tl = 0;                                                     \
			dirty = 0;                                                  \
		}                                                                   \
	} while (0)

static inline __attribute__((always_inline)) void
text_tokens_into(const char *str, size_t n, char *tok, text_tok_emit emit, void *arg)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t tl = 0, i = 0;
	int dirty = 0;
	while (i < n) {
		/* ASCII, most of the bytes of most text, by table: the same
		 * outcome as the code point path below, without decoding. A
		 * word's run in one loop; past TEXT_TOKEN_MAX - 1 bytes the
		 * last byte is written over (tok has room), not kept. */
		if (s[i] < 0x80) {
			unsigned char f = text_ascii_fold[s[i++]];
			if (f) {
				for (;;) {
					tok[tl] = (char)f;
					tl += tl < TEXT_TOKEN_MAX - 1;
					if (i == n || !(f = text_ascii_fold[s[i]]))
						break;
					i++;
				}
			} else {
				TEXT_TOK_FLUSH();
			}
			continue;
		}
		uint32_t cp;
		size_t len = text_utf8_next(s + i, n - i, &cp);
		const unsigned char *c = s + i;
		i += len;
		if (len == 2 && text_is_latin1_letter(cp)) {
			if (tl + 2 < TEXT_TOKEN_MAX) {
				tok[tl++] = (char)c[0];
				tok[tl++] = (char)(cp <= 0xde ? c[1] + 0x20 : c[1]);   /* upper -> lower */
			}
			continue;
		}
		if (len == 1) {   /* not UTF-8: a boundary, so tokens are UTF-8 */
			TEXT_TOK_FLUSH();
			continue;
		}
		if (text_is_cjk_stable(cp)) {
			TEXT_TOK_FLUSH();
			memcpy(tok, c, len);
			if (!(tok = emit(tok, len, arg)))
				return;
			continue;
		}
		uint32_t o[TEXT_NORM_CP];
		size_t k = text_norm_cp(cp, o);
		for (size_t j = 0; j < k; j++) {
			uint32_t d = o[j];
			if (d < 0x80) {
				unsigned char f = text_ascii_fold[d];
				if (!f)
					TEXT_TOK_FLUSH();
				else if (tl + 1 < TEXT_TOKEN_MAX)
					tok[tl++] = (char)f;
			} else if (text_is_cjk(d)) {
				TEXT_TOK_FLUSH();
				if (!(tok = emit(tok, text_utf8_put(d, tok), arg)))
					return;
			} else if (text_is_word_cp(d)) {
				char b[4];
				size_t bl = text_utf8_put(d, b);
				if (tl + bl < TEXT_TOKEN_MAX) {
					memcpy(tok + tl, b, bl);
					tl += bl;
					dirty = 1;
				}
			} else {
				TEXT_TOK_FLUSH();
			}
		}
	}
	TEXT_TOK_FLUSH();
}

#undef TEXT_TOK_FLUSH

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TEXT_TOK_LE 1
#else
#define TEXT_TOK_LE 0
#endif

/* The last n (< 8) bytes at c as text_word_hash gathers them; c readable
 * for 8 bytes. */
static inline uint64_t text_tail_buf(const unsigned char *c, size_t n)
{
	uint64_t w = 0;
	if (TEXT_TOK_LE) {
		if (n) {
			memcpy(&w, c, 8);
			w &= ~0ull >> (64 - 8 * n);
		}
	} else {
		for (size_t i = 0; i < n; i++)
			w |= (uint64_t)c[i] << (8 * i);
	}
	return w;
}

/* text_word_hash in two halves, shared by text_word_hash and
 * text_word_hash_buf: the whole 8-byte words of p (leaving *tail at the
 * last n % 8 bytes), then the mix of those bytes gathered as a number. */
static inline uint64_t text_word_hash_words(const char *p, size_t n, const unsigned char **tail)
{
	const unsigned char *c = (const unsigned char *)p;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ (n * 0xff51afd7ed558ccdull);
	for (; n >= 8; c += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, c, 8);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
		h ^= h >> 31;
	}
	*tail = c;
	return h;
}

static inline uint64_t text_word_hash_end(uint64_t h, uint64_t tail)
{
	h = (h ^ tail) * 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	return h;
}

/* text_word_hash(p, n), the same value, for p readable for n rounded up
 * to a multiple of 8 bytes (a token in a TEXT_TOK_BUF buffer). */
static inline uint64_t text_word_hash_buf(const char *p, size_t n)
{
	const unsigned char *c;
	uint64_t h = text_word_hash_words(p, n, &c);
	return text_word_hash_end(h, text_tail_buf(c, n % 8));
}

/* !memcmp(a, b, n), both readable as text_word_hash_buf's p. */
static inline int text_word_eq_buf(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
	for (; n >= 8; x += 8, y += 8, n -= 8) {
		uint64_t u, v;
		memcpy(&u, x, 8);
		memcpy(&v, y, 8);
		if (u != v)
			return 0;
	}
	return text_tail_buf(x, n) == text_tail_buf(y, n);
}

#endif
