/* detect.c: charset detection for text without a declared charset. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <iconv.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <uchardet.h>

#include "detect.h"
#include "sbuf.h"

/* uchardet reads at most this much: its guess settles long before. */
#define DETECT_SAMPLE (256u << 10)

size_t detect_bom(const unsigned char *p, size_t n, const char **charset)
{
	if (n >= 4 && !memcmp(p, "\xff\xfe\0\0", 4)) {
		*charset = "UTF-32LE";
		return 4;
	}
	if (n >= 4 && !memcmp(p, "\0\0\xfe\xff", 4)) {
		*charset = "UTF-32BE";
		return 4;
	}
	if (n >= 3 && !memcmp(p, "\xef\xbb\xbf", 3)) {
		*charset = "UTF-8";
		return 3;
	}
	if (n >= 2 && !memcmp(p, "\xff\xfe", 2)) {
		*charset = "UTF-16LE";
		return 2;
	}
	if (n >= 2 && !memcmp(p, "\xfe\xff", 2)) {
		*charset = "UTF-16BE";
		return 2;
	}
	return 0;
}

const char *detect_utf16(const unsigned char *p, size_t n)
{
	size_t even = 0, odd = 0, pairs = (n < 4096 ? n : 4096) / 2;

	if (pairs < 2)
		return NULL;
	for (size_t i = 0; i < pairs; i++) {
		even += p[2 * i] == 0;
		odd += p[2 * i + 1] == 0;
	}
	/* mostly Latin text: the high byte of nearly every unit is NUL */
	if (odd * 10 >= pairs * 7 && even * 10 <= pairs)
		return "UTF-16LE";
	if (even * 10 >= pairs * 7 && odd * 10 <= pairs)
		return "UTF-16BE";
	return NULL;
}

static int ebcdic_letter(unsigned char c)
{
	return (c >= 0x81 && c <= 0x89) || (c >= 0x91 && c <= 0x99) || (c >= 0xa2 && c <= 0xa9) ||
	       (c >= 0xc1 && c <= 0xc9) || (c >= 0xd1 && c <= 0xd9) || (c >= 0xe2 && c <= 0xe9);
}

/* EBCDIC text: spaces are 0x40 and letters fill 0x81-0xe9, while ASCII
 * spaces and lower-case letters are rare. */
static int looks_ebcdic(const unsigned char *p, size_t n)
{
	size_t sp = 0, letters = 0, ascii_sp = 0, ascii_lower = 0;

	if (n > DETECT_SAMPLE)
		n = DETECT_SAMPLE;
	if (n < 16)
		return 0;
	for (size_t i = 0; i < n; i++) {
		sp += p[i] == 0x40;
		letters += ebcdic_letter(p[i]);
		ascii_sp += p[i] == 0x20;
		ascii_lower += p[i] >= 0x61 && p[i] <= 0x7a;
	}
	return sp * 20 >= n && letters * 10 >= n * 4 && ascii_sp * 50 < n && ascii_lower * 10 < n;
}

static int multibyte(const char *cs)
{
	static const char *const mb[] = { "UTF", "SHIFT", "EUC", "GB", "BIG5", "ISO-2022", "HZ",
					  "X-ISO-10646", NULL };

	for (const char *const *m = mb; *m; m++)
		if (!strncasecmp(cs, *m, strlen(*m)))
			return 1;
	return 0;
}

int detect_known(const char *cs)
{
	iconv_t cd = iconv_open("UTF-8", cs);

	if (cd == (iconv_t)-1)
		return 0;
	iconv_close(cd);
	return 1;
}

void detect_uchardet(const unsigned char *p, size_t n, char *out, size_t len)
{
	uchardet_t u = uchardet_new();

	out[0] = '\0';
	if (!u)
		return;
	if (uchardet_handle_data(u, (const char *)p, n < DETECT_SAMPLE ? n : DETECT_SAMPLE) == 0) {
		uchardet_data_end(u);
		snprintf(out, len, "%s", uchardet_get_charset(u));
	}
	uchardet_delete(u);
}

void detect_charset(const unsigned char *p, size_t n, const char *fallback, char *out,
		    size_t len)
{
	char guess[64];

	if (utf8_valid(p, n, 0) || utf8_mostly(p, n)) {
		snprintf(out, len, "UTF-8");
		return;
	}
	detect_uchardet(p, n, guess, sizeof guess);
	if (!multibyte(guess) && looks_ebcdic(p, n)) {
		snprintf(out, len, "IBM500");
		return;
	}
	if (guess[0] && strcasecmp(guess, "ASCII") && detect_known(guess))
		snprintf(out, len, "%s", guess);
	else
		snprintf(out, len, "%s", fallback);
}
