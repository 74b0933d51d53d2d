/* charset.c: the charset of an HTML document: byte order mark, then the
 * <meta charset> / http-equiv declaration (or an XML declaration) checked
 * against the bytes, then detection. Labels are read the way browsers
 * read them (the WHATWG Encoding Standard's aliases: "iso-8859-1" means
 * Windows-1252, a declared UTF-16 in ASCII-compatible bytes means UTF-8). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../common/detect.h"
#include "../common/sbuf.h"
#include "html.h"
#include "charset.h"

/* Declarations are looked for this far into the document. */
#define PRESCAN (64u << 10)

static const struct { const char *label, *charset; } aliases[] = {
	{ "utf-8", "UTF-8" }, { "utf8", "UTF-8" }, { "unicode-1-1-utf-8", "UTF-8" },
	{ "utf-16", "UTF-8" }, { "utf-16le", "UTF-8" }, { "utf-16be", "UTF-8" },
	{ "utf16le", "UTF-8" }, { "utf16", "UTF-8" }, { "unicode", "UTF-8" },
	{ "ucs-2", "UTF-8" }, { "utf-32", "UTF-8" },
	{ "iso-8859-1", "WINDOWS-1252" }, { "iso8859-1", "WINDOWS-1252" },
	{ "iso_8859-1", "WINDOWS-1252" }, { "latin1", "WINDOWS-1252" }, { "l1", "WINDOWS-1252" },
	{ "us-ascii", "WINDOWS-1252" }, { "ascii", "WINDOWS-1252" }, { "cp819", "WINDOWS-1252" },
	{ "iso-8859-9", "WINDOWS-1254" }, { "latin5", "WINDOWS-1254" },
	{ "iso-8859-11", "CP874" }, { "tis-620", "CP874" }, { "windows-874", "CP874" },
	{ "gb2312", "GB18030" }, { "gbk", "GB18030" }, { "x-gbk", "GB18030" },
	{ "chinese", "GB18030" }, { "csgb2312", "GB18030" },
	{ "shift_jis", "CP932" }, { "shift-jis", "CP932" }, { "sjis", "CP932" },
	{ "x-sjis", "CP932" }, { "ms_kanji", "CP932" }, { "windows-31j", "CP932" },
	{ "euc-kr", "CP949" }, { "ks_c_5601-1987", "CP949" }, { "korean", "CP949" },
	{ "big5", "BIG5-HKSCS" }, { "x-x-big5", "BIG5-HKSCS" },
	{ "x-mac-roman", "MACINTOSH" }, { "mac", "MACINTOSH" },
	{ NULL, NULL },
};

/* The charset a label names, in out; "" for a label iconv does not know. */
static void resolve_label(const char *label, char *out, size_t len)
{
	for (int i = 0; aliases[i].label; i++)
		if (!strcasecmp(label, aliases[i].label)) {
			snprintf(out, len, "%s", aliases[i].charset);
			return;
		}
	snprintf(out, len, "%s", detect_known(label) ? label : "");
}

static int ci_prefix(const unsigned char *p, const unsigned char *end, const char *s)
{
	size_t n = strlen(s);

	return (size_t)(end - p) >= n && !strncasecmp((const char *)p, s, n);
}

/* A charset token at p ("iso-8859-6"), copied to out; quotes skipped. */
static void token(const unsigned char *p, const unsigned char *end, char *out, size_t len)
{
	size_t k = 0;

	while (p < end && (*p == ' ' || *p == '\t' || *p == '"' || *p == '\''))
		p++;
	while (p < end && k + 1 < len && (isalnum(*p) || strchr("-_.:", *p)))
		out[k++] = (char)*p++;
	out[k] = '\0';
}

/* "charset" followed by optional blanks and '=' in s: the value after. */
static void charset_in(const unsigned char *p, const unsigned char *end, char *out, size_t len)
{
	out[0] = '\0';
	for (; p + 7 <= end; p++) {
		const unsigned char *q;
		if (!ci_prefix(p, end, "charset"))
			continue;
		q = p + 7;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q < end && *q == '=') {
			token(q + 1, end, out, len);
			return;
		}
	}
}

/* The first declared charset in the head of the document, or "". */
static void declared(const unsigned char *p, size_t n, char *out, size_t len)
{
	const unsigned char *end = p + (n < PRESCAN ? n : PRESCAN), *q;

	out[0] = '\0';
	if (ci_prefix(p, end, "<?xml")) {
		q = memchr(p, '>', (size_t)(end - p));
		if (q) {
			for (const unsigned char *a = p; a + 8 < q; a++)
				if (ci_prefix(a, q, "encoding")) {
					const unsigned char *v = a + 8;
					while (v < q && (*v == ' ' || *v == '='))
						v++;
					token(v, q, out, len);
					break;
				}
		}
	}
	for (q = p; !out[0] && q + 5 < end; q++) {
		const unsigned char *close;
		if (*q != '<' || !ci_prefix(q, end, "<meta"))
			continue;
		close = memchr(q, '>', (size_t)(end - q));
		if (!close)
			break;
		/* charset="..." or http-equiv content="text/html; charset=..." */
		charset_in(q + 5, close, out, len);
		q = close;
	}
}

static int has_non_ascii(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] >= 0x80)
			return 1;
	return 0;
}

void html_charset(const unsigned char *p, size_t n, char *out, size_t len, size_t *bom)
{
	const char *cs = NULL;
	char label[64], decl[64];

	*bom = detect_bom(p, n, &cs);
	if (*bom || (cs = detect_utf16(p, n))) {
		snprintf(out, len, "%s", cs);
		return;
	}
	declared(p, n, label, sizeof label);
	resolve_label(label, decl, sizeof decl);
	if (decl[0]) {
		int utf8 = utf8_valid(p, n, 0) || utf8_mostly(p, n);
		/* a declaration the bytes contradict is not believed: no UTF-8
		 * declared as UTF-8, or UTF-8 declared as something else */
		if (!strcmp(decl, "UTF-8") ? utf8 : !(utf8 && has_non_ascii(p, n))) {
			snprintf(out, len, "%s", decl);
			return;
		}
	}
	detect_charset(p, n, "WINDOWS-1252", out, len);
	if (!strcasecmp(out, "ISO-8859-1"))
		snprintf(out, len, "WINDOWS-1252");
}

/* p without a mark, blanks, comments, processing instructions and
 * doctype-free XML declarations in front. */
static const unsigned char *skip_prolog(const unsigned char *p, const unsigned char *end)
{
	for (;;) {
		while (p < end && isspace(*p))
			p++;
		if (ci_prefix(p, end, "<!--")) {
			const unsigned char *c = p + 4;
			while (c + 3 <= end && memcmp(c, "-->", 3))
				c++;
			if (c + 3 > end)
				return end;
			p = c + 3;
		} else if (ci_prefix(p, end, "<?")) {
			const unsigned char *c = memchr(p, '>', (size_t)(end - p));
			if (!c)
				return end;
			p = c + 1;
		} else {
			return p;
		}
	}
}

static int looks_ascii(const unsigned char *p, const unsigned char *end)
{
	static const char *const strong[] = { "<!doctype html", "<html", "<head", "<body", NULL };
	static const char *const weak[] = { "<div", "<p>", "<p ", "<table", "<meta", "<title",
					    "<h1", "<h2", "<ul", "<span", "<br", "<a href", NULL };

	if (p >= end || *p != '<')
		return 0;
	for (int i = 0; strong[i]; i++)
		if (ci_prefix(p, end, strong[i]))
			return 2;
	for (int i = 0; weak[i]; i++)
		if (ci_prefix(p, end, weak[i]))
			return 1;
	return 0;
}

int html_looks_like(const unsigned char *p, size_t n)
{
	unsigned char narrow[1024];
	const char *cs = NULL;
	size_t bom = detect_bom(p, n, &cs), k = 0;

	if (bom && !strncmp(cs, "UTF-16", 6)) {
		/* the ASCII of UTF-16: every other byte */
		size_t lo = !strcmp(cs, "UTF-16LE") ? 0 : 1;
		for (size_t i = bom; i + 1 < n && k < sizeof narrow; i += 2)
			narrow[k++] = p[i + lo] && !p[i + 1 - lo] ? p[i + lo] : '?';
		p = narrow;
		n = k;
	} else if (bom) {
		p += bom;
		n -= bom;
	}
	if (n > PRESCAN)
		n = PRESCAN;
	return looks_ascii(skip_prolog(p, p + n), p + n);
}
