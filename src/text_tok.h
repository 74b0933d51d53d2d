/* text_tok.h: the tokenizer's body as an inline template (text.c's
 * text_tokens, and the builtin embedder, which has tokens written straight
 * into its own buffer and handled without a call per token), and the
 * helpers for tokens held in such a buffer. Private to src/. */
#ifndef QUIRE_TEXT_TOK_H
#define QUIRE_TEXT_TOK_H

#include "text.h"

#include <string.h>

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

/* Length of the UTF-8 sequence at s (1 for invalid bytes) and its code point. */
static inline size_t text_utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
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

static inline int text_is_word_char(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
	if (cp == 0xd7 || cp == 0xf7 || (cp >= 0x2000 && cp <= 0x2bff) || (cp >= 0x3000 && cp <= 0x303f) ||
	    (cp >= 0xff00 && cp <= 0xff0f) || cp == 0xa0 || (cp >= 0x80 && cp < 0xc0))
		return 0;
	return 1;
}

/* The tokens of text_tokens, each built in tok (TEXT_TOK_BUF bytes) and
 * handed to emit, which returns the buffer for the next token (the same
 * or another of TEXT_TOK_BUF bytes), NULL to stop. A CJK character is
 * copied into the buffer too, so every token is in one. */
typedef char *(*text_tok_emit)(char *tok, size_t len, void *arg);

static inline __attribute__((always_inline)) void
text_tokens_into(const char *str, size_t n, char *tok, text_tok_emit emit, void *arg)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t tl = 0, i = 0;
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
			} else if (tl) {
				if (!(tok = emit(tok, tl, arg)))
					return;
				tl = 0;
			}
			continue;
		}
		uint32_t cp;
		size_t len = text_utf8_next(s + i, n - i, &cp);
		if (text_is_cjk(cp)) {
			if (tl && !(tok = emit(tok, tl, arg)))
				return;
			tl = 0;
			memcpy(tok, s + i, len);
			if (!(tok = emit(tok, len, arg)))
				return;
		} else if (text_is_word_char(cp)) {
			if (tl + len < TEXT_TOKEN_MAX) {
				if (len == 2 && cp >= 0xc0 && cp <= 0xde && cp != 0xd7) {
					tok[tl++] = (char)s[i];
					tok[tl++] = (char)(s[i + 1] + 0x20);   /* Latin-1 upper -> lower */
				} else {
					memcpy(tok + tl, s + i, len);
					tl += len;
				}
			}
		} else if (tl) {
			if (!(tok = emit(tok, tl, arg)))
				return;
			tl = 0;
		}
		i += len;
	}
	if (tl)
		emit(tok, tl, arg);
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TEXT_TOK_LE 1
#else
#define TEXT_TOK_LE 0
/* text_stop_langs_h(tok, len, h), tok readable as text_word_hash_buf's p. */
unsigned text_stop_langs_buf(const char *tok, size_t len, uint64_t h);

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

/* text_word_hash(p, n), the same value, for p readable for n rounded up
 * to a multiple of 8 bytes (a token in a TEXT_TOK_BUF buffer). */
static inline uint64_t text_word_hash_buf(const char *p, size_t n)
{
	const unsigned char *c = (const unsigned char *)p;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ (n * 0xff51afd7ed558ccdull);
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, c, 8);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
		h ^= h >> 31;
		c += 8;
		n -= 8;
	}
	h = (h ^ text_tail_buf(c, n)) * 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	return h;
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

/* text_stop_langs_h(tok, len, h), tok readable as text_word_hash_buf's p. */
unsigned text_stop_langs_buf(const char *tok, size_t len, uint64_t h);

#endif
