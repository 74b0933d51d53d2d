/* wp42.c: WordPerfect 4.2 documents (DOS; no signature, often named .doc):
 * ASCII text between function codes. 0x80-0xBF are one-byte codes, 0xC0-
 * 0xFE open a code that the same byte closes (its data in between, 0xE1
 * an IBM PC character); a hard return (0x0A) ends a paragraph, a soft one
 * (0x0D) is a space. Known by the shape of its bytes alone, so the sniff
 * is strict: only bytes the host could not name (or named by a .doc
 * name alone), every byte of the head
 * must fit, text must be there, some code must hold binary data (a
 * Latin-1 text's accents pair up as codes too, around text alone), and
 * valid UTF-8 (a text file) never is one. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <iconv.h>
#include <string.h>

#include "legacy.h"
#include "wp42.h"
#include "out.h"
#include "../common/utf8.h"

#define WP42_SNIFF_MAX 4096   /* bytes of the head looked at */
#define WP42_FUNC_MAX 2048    /* the longest function code looked for */
#define WP42_EXT_CHAR 0xe1
#define WP42_HARD_HYPHEN 0xa9

/* The end (offset of the closing byte) of the function code at i, or 0
 * when it is not closed within WP42_FUNC_MAX bytes (or the head ends
 * first: `open` set). */
static size_t func_end(const unsigned char *s, size_t n, size_t i, int *open)
{
	size_t lim = n - i > WP42_FUNC_MAX ? i + WP42_FUNC_MAX : n;
	const unsigned char *c = memchr(s + i + 1, s[i], lim - i - 1);

	*open = !c && lim == n;
	return c ? (size_t)(c - s) : 0;
}

static int valid_utf8(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = pc_utf8_get(s + i, n - i, &cp);

		if (k == 0)
			return n - i < 4;   /* a character cut by the head's end */
		i += k;
	}
	return 1;
}

/* Does the code's data (s[from, to)) hold a control byte other than
 * tab, line feed and carriage return? */
static int binary_data(const unsigned char *s, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (s[i] < 0x20 && s[i] != 0x09 && s[i] != 0x0a && s[i] != 0x0d)
			return 1;
	return 0;
}

/* A type that leaves the bytes to us: none, or only the file's name. */
static int unnamed(const char *mime)
{
	return !mime || !*mime || !strcmp(mime, "application/octet-stream") ||
	       !strcmp(mime, "application/msword") || !strcmp(mime, "application/vnd.wordperfect");
}

int lg_wp42_sniff(const unsigned char *s, size_t n, const char *mime)
{
	size_t text = 0, funcs = 0;
	int binary = 0;

	if (n > WP42_SNIFF_MAX)
		n = WP42_SNIFF_MAX;
	if (!unnamed(mime) || n < 16 || !memcmp(s, "\xffWPC", 4) || valid_utf8(s, n))
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned c = s[i];
		int open;

		if (c >= 0x20 && c < 0x7f)
			text++;
		else if (c >= 0x80 && c < 0xc0)
			funcs++;
		else if (c >= 0xc0 && c < 0xff) {
			size_t e = func_end(s, n, i, &open);

			if (open)
				break;
			if (!e)
				return 0;
			funcs++;
			binary |= binary_data(s, i + 1, e);
			i = e;
		} else if (c != 0x09 && c != 0x0a && c != 0x0b && c != 0x0c && c != 0x0d) {
			return 0;
		}
	}
	return text >= 16 && funcs >= 1 && binary;
}

/* An IBM PC character (code page 437) added to b as UTF-8. */
static void ibm_char(iconv_t cd, unsigned char c, struct pbuf *b)
{
	char in[1] = { (char)c }, out[8], *ip = in, *op = out;
	size_t il = 1, ol = sizeof out;

	if (cd != (iconv_t)-1 && iconv(cd, &ip, &il, &op, &ol) != (size_t)-1)
		pbuf_add(b, out, sizeof out - ol);
}

/* The paragraph so far to the sink. */
static int flush(struct lg *lg, struct pbuf *b)
{
	int r = 0;

	pbuf_squeeze(b);
	if (b->n)
		r = lg_para(lg, b->p, b->n);
	pbuf_reset(b);
	return r;
}

enum quire_result lg_wp42(struct lg *lg, const unsigned char *s, size_t n)
{
	struct pbuf b;
	iconv_t cp437 = iconv_open("UTF-8", "CP437");
	int page = 0;

	pbuf_init(&b, LG_BLOCK_MAX);
	for (size_t i = 0; i < n && !lg->err; i++) {
		unsigned c = s[i];
		int open;

		if (!page && (page = 1) && lg_page(lg))
			break;
		if (b.n > LG_BLOCK_MAX - 64)   /* a paragraph without end: cut */
			flush(lg, &b);
		if (c >= 0x20 && c < 0x7f) {
			pbuf_addc(&b, (char)c);
		} else if (c == 0x0d || c == 0x09 || c == 0x0b) {
			pbuf_addc(&b, ' ');
		} else if (c == 0x0a || c == 0x0c) {
			flush(lg, &b);
		} else if (c == WP42_HARD_HYPHEN) {
			pbuf_addc(&b, '-');
		} else if (c >= 0xc0 && c < 0xff) {
			size_t e = func_end(s, n, i, &open);

			if (!e)
				break;   /* unclosed: the rest is not text */
			if (c == WP42_EXT_CHAR && e == i + 2)
				ibm_char(cp437, s[i + 1], &b);
			i = e;
		}
	}
	if (!lg->err)
		flush(lg, &b);
	pbuf_free(&b);
	if (cp437 != (iconv_t)-1)
		iconv_close(cp437);
	return lg->err;
}
