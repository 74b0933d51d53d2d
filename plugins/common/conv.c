/* conv.c: charset conversion to UTF-8 through iconv, replacing what does
 * not decode. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "conv.h"

static int is_utf8_name(const char *cs)
{
	return !strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "UTF8") || !strcasecmp(cs, "ASCII") ||
	       !strcasecmp(cs, "US-ASCII");
}

int conv_open(struct conv *c, const char *charset)
{
	memset(c, 0, sizeof *c);
	c->cd = (iconv_t)-1;
	c->unit = 1;
	if (is_utf8_name(charset))
		return 0;
	c->cd = iconv_open("UTF-8", charset);
	if (c->cd == (iconv_t)-1)
		return -1;
	if (!strncasecmp(charset, "UTF-16", 6) || !strncasecmp(charset, "UCS-2", 5))
		c->unit = 2;
	else if (!strncasecmp(charset, "UTF-32", 6) || !strncasecmp(charset, "UCS-4", 5))
		c->unit = 4;
	return 0;
}

void conv_close(struct conv *c)
{
	if (c->cd != (iconv_t)-1)
		iconv_close(c->cd);
	c->cd = (iconv_t)-1;
}

/* UTF-8 input: copied with invalid bytes replaced; *used stops before a
 * sequence cut off by the end of the piece. */
static int feed_utf8(const unsigned char *in, size_t n, int final, struct pbuf *out,
		     size_t *used)
{
	size_t k = n;

	if (!final) {
		while (k > 0 && n - k < 3 && (in[k - 1] & 0xc0) == 0x80)
			k--;
		if (k > 0 && in[k - 1] >= 0xc2 && utf8_valid(in + k - 1, n - k + 1, 1) &&
		    !utf8_valid(in + k - 1, n - k + 1, 0))
			k--;
		else
			k = n;
	}
	*used = k;
	return sbuf_add_utf8(out, in, k);
}

/* What iconv still holds at the end of the input: Windows-1255 and 1258
 * keep a base letter back in case a combining mark follows it (the last
 * letter of "שלום" came out only with the next piece, or never). Returns
 * -1 when out cannot grow. */
static int flush_iconv(iconv_t cd, struct pbuf *out)
{
	char buf[64], *op = buf;
	size_t ol = sizeof buf;

	if (iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1)
		iconv(cd, NULL, NULL, NULL, NULL);
	return op > buf ? sbuf_add_utf8(out, (unsigned char *)buf, (size_t)(op - buf)) : 0;
}

/* One iconv pass over in[0..n); *used stops early only at an incomplete
 * tail (not final). Returns -1 when out cannot grow. */
static int feed_iconv(struct conv *c, const unsigned char *in, size_t n, int final,
		      struct pbuf *out, size_t *used)
{
	char *ip = (char *)in;
	size_t il = n;

	while (il > 0) {
		char buf[4096], *op = buf;
		size_t ol = sizeof buf;
		size_t r = iconv(c->cd, &ip, &il, &op, &ol);
		int err = r == (size_t)-1 ? errno : 0;

		if (op > buf && sbuf_add_utf8(out, (unsigned char *)buf, (size_t)(op - buf)))
			return -1;
		if (err == E2BIG || err == 0)
			continue;
		if (err == EINVAL && !final)
			break;
		/* EILSEQ, or EINVAL at the very end: replace and step over */
		if (pbuf_add(out, "\xef\xbf\xbd", 3))
			return -1;
		size_t skip = err == EINVAL ? il : c->unit < il ? c->unit : il;
		ip += skip;
		il -= skip;
		iconv(c->cd, NULL, NULL, NULL, NULL);
	}
	*used = n - il;
	return final && il == 0 ? flush_iconv(c->cd, out) : 0;
}

static int feed(struct conv *c, const unsigned char *in, size_t n, int final, struct pbuf *out)
{
	size_t used;
	int r = c->cd == (iconv_t)-1 ? feed_utf8(in, n, final, out, &used)
				     : feed_iconv(c, in, n, final, out, &used);

	if (r)
		return -1;
	if (used < n) {
		if (n - used > sizeof c->carry)   /* cannot be one sequence */
			return pbuf_add(out, "\xef\xbf\xbd", 3);
		memcpy(c->carry, in + used, n - used);
		c->ncarry = n - used;
	}
	return 0;
}

int conv_feed(struct conv *c, const unsigned char *in, size_t n, int final, struct pbuf *out)
{
	unsigned char *tmp;
	int r;

	if (c->ncarry == 0)
		return feed(c, in, n, final, out);
	/* a sequence held back from the last piece goes first */
	tmp = malloc(c->ncarry + n);
	if (!tmp) {
		out->oom = 1;
		return -1;
	}
	memcpy(tmp, c->carry, c->ncarry);
	if (n)
		memcpy(tmp + c->ncarry, in, n);
	n += c->ncarry;
	c->ncarry = 0;
	r = feed(c, tmp, n, final, out);
	free(tmp);
	return r;
}

const char *conv_codepage_name(int cp)
{
	static char name[16];

	switch (cp) {
	case 0: return NULL;
	case 10000: return "MACINTOSH";
	case 10001: return "SHIFT_JIS";
	case 10007: return "MAC-CYRILLIC";
	case 10029: return "MAC-CENTRALEUROPE";
	case 20127: return "ASCII";
	case 20866: return "KOI8-R";
	case 21866: return "KOI8-U";
	case 28591: return "ISO-8859-1";
	case 65001: return "UTF-8";
	case 42: return "CP1252";   /* symbol fonts: no table, read as ANSI */
	default: break;
	}
	if (cp == 437 || cp == 500 || cp == 737 || cp == 775 || cp == 850 || cp == 852 ||
	    cp == 855 || cp == 857 || cp == 860 || cp == 861 || cp == 862 || cp == 863 ||
	    cp == 864 || cp == 865 || cp == 866 || cp == 869 || cp == 874 || cp == 932 ||
	    cp == 936 || cp == 949 || cp == 950 || cp == 1361 || (cp >= 1250 && cp <= 1258)) {
		snprintf(name, sizeof name, "CP%d", cp);
		return name;
	}
	return NULL;
}

int conv_dbcs_lead(int cp, unsigned char c)
{
	switch (cp) {
	case 932: return (c >= 0x81 && c <= 0x9f) || (c >= 0xe0 && c <= 0xfc);
	case 936: case 949: case 950: return c >= 0x81 && c <= 0xfe;
	case 1361: return (c >= 0x84 && c <= 0xd3) || (c >= 0xd8 && c <= 0xf9);
	default: return 0;
	}
}
