/* sniff.c: magic numbers of the formats Quire reads. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "sniff.h"

#include <fcntl.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define HEAD 65536

static int starts(const unsigned char *h, size_t n, const char *magic, size_t m)
{
	return n >= m && !memcmp(h, magic, m);
}

static int contains(const unsigned char *h, size_t n, const char *needle)
{
	return memmem(h, n, needle, strlen(needle)) != NULL;
}

static int utf16_name(const unsigned char *h, size_t n, const char *name)
{
	/* OLE2 directory entries hold UTF-16LE names, compared without
	 * regard to case ([MS-CFB] 2.6.4: "Workbook" or "WORKBOOK"). */
	size_t len = strlen(name);
	if (len == 0 || n < 2 * len)
		return 0;
	for (size_t at = 0; at + 2 * len <= n; at++) {
		size_t i = 0;
		while (i < len && h[at + 2 * i + 1] == 0 &&
		       tolower(h[at + 2 * i]) == tolower((unsigned char)name[i]))
			i++;
		if (i == len)
			return 1;
	}
	return 0;
}

/* Control bytes of the head that text does not hold (NULs among them). */
static size_t control_bytes(const unsigned char *h, size_t n)
{
	size_t bad = 0;
	for (size_t i = 0; i < n; i++)
		if (h[i] < 0x09 || (h[i] > 0x0d && h[i] < 0x20 && h[i] != 0x1b))
			bad++;
	return bad;
}

/* Text in a single-byte charset or UTF-8: no NULs in the head (UTF-16 is
 * told apart before, in sniff_text). */
static int is_text(const unsigned char *h, size_t n)
{
	if (memchr(h, 0, n))
		return 0;
	return control_bytes(h, n) * 100 <= n;   /* tolerate stray control bytes, refuse binaries */
}

/* UTF-16 without a byte order mark (Windows' "Unicode" text, written
 * without one by some programs): mostly Latin text, so the high byte of
 * nearly every code unit is NUL and the low byte is not. 0xff for
 * little-endian, 0xfe for big-endian (the mark's first byte), 0 when not.
 * The text plugin reads such files (its own test, the same rule); the
 * upload routes must not refuse them first. */
static unsigned char utf16_unmarked(const unsigned char *h, size_t n)
{
	size_t pairs = (n < 4096 ? n : 4096) / 2, even = 0, odd = 0;
	if (pairs < 2)
		return 0;
	for (size_t i = 0; i < pairs; i++) {
		even += h[2 * i] == 0;
		odd += h[2 * i + 1] == 0;
	}
	if (odd * 10 >= pairs * 7 && even * 10 <= pairs)
		return 0xff;
	if (even * 10 >= pairs * 7 && odd * 10 <= pairs)
		return 0xfe;
	return 0;
}

/* Past a UTF-8 mark, white space, comments and processing instructions
 * (an XML declaration): where an HTML document's first tag stands. */
static const unsigned char *skip_space(const unsigned char *p, const unsigned char *end)
{
	if (end - p >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
			p++;
		const unsigned char *close = NULL;
		if (end - p >= 4 && !memcmp(p, "<!--", 4))
			close = memmem(p + 4, (size_t)(end - p - 4), "-->", 3);
		else if (end - p >= 2 && !memcmp(p, "<?", 2))
			close = memchr(p, '>', (size_t)(end - p));
		if (!close)
			return p;
		p = close + (*close == '>' ? 1 : 3);
	}
}

/* UTF-16 text: its first characters narrowed to bytes (non-ASCII as '?'),
 * so the HTML test below can read them; mark is 0xff (little-endian) or
 * 0xfe, and skip 2 when the text starts with it. */
static size_t narrow_utf16(const unsigned char *h, size_t n, unsigned char mark, size_t skip,
			   unsigned char *out, size_t len)
{
	size_t lo = mark == 0xff ? 0 : 1, k = 0;
	for (size_t i = skip; i + 1 < n && k < len; i += 2)
		out[k++] = h[i + lo] && !h[i + 1 - lo] && h[i + lo] < 0x80 ? h[i + lo] : '?';
	return k;
}

/* An OpenDocument package: its stored "mimetype" member comes first
 * (ODF 1.2 Part 3, 3.3), so the head names its type. */
static void sniff_odf(const unsigned char *m, size_t n, struct sniffed *out)
{
	static const char *const odf[][2] = {
		{ "application/vnd.oasis.opendocument.text-template", "ott" },
		{ "application/vnd.oasis.opendocument.text-master", "odm" },
		{ "application/vnd.oasis.opendocument.text", "odt" },
		{ "application/vnd.oasis.opendocument.spreadsheet-template", "ots" },
		{ "application/vnd.oasis.opendocument.spreadsheet", "ods" },
		{ "application/vnd.oasis.opendocument.presentation-template", "otp" },
		{ "application/vnd.oasis.opendocument.presentation", "odp" },
		{ "application/vnd.oasis.opendocument.graphics", "odg" },
	};

	for (size_t i = 0; i < sizeof odf / sizeof odf[0]; i++)
		if (starts(m, n, odf[i][0], strlen(odf[i][0]))) {
			out->mime = odf[i][0];
			out->type = odf[i][1];
			return;
		}
}

/* The single-file XML forms of the packages: Flat OPC (pkg:package of the
 * 2006 xmlPackage namespace; typed by the application its parts name) and
 * flat ODF (office:document with its office:mimetype). 1 when typed. */
static int sniff_flat(const unsigned char *p, size_t n, struct sniffed *out)
{
	static const char pkg[] = "http://schemas.microsoft.com/office/2006/xmlPackage";
	static const char odf[] = "office:mimetype=\"";
	const unsigned char *m;

	if (memmem(p, n, pkg, sizeof pkg - 1)) {
		if (memmem(p, n, "presentationml", 14))
			out->mime = "application/vnd.openxmlformats-officedocument.presentationml.presentation",
			out->type = "pptx";
		else if (memmem(p, n, "spreadsheetml", 13))
			out->mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			out->type = "xlsx";
		else
			out->mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
			out->type = "docx";
		return 1;
	}
	m = memmem(p, n, odf, sizeof odf - 1);
	if (m && memmem(p, (size_t)(m - p), "office:document", 15)) {
		m += sizeof odf - 1;
		sniff_odf(m, n - (size_t)(m - p), out);
		return out->mime != NULL;
	}
	return 0;
}

static int html_start(const unsigned char *p, size_t rest)
{
	return (rest >= 9 && !strncasecmp((const char *)p, "<!doctype", 9)) ||
	       (rest >= 5 && !strncasecmp((const char *)p, "<html", 5)) ||
	       (rest >= 5 && !strncasecmp((const char *)p, "<head", 5)) ||
	       (rest >= 5 && !strncasecmp((const char *)p, "<body", 5));
}

/* Text of no magic number: plain text, HTML or a flat package, in UTF-8,
 * a single-byte charset or UTF-16 (marked or not). A page that opens as
 * HTML is HTML despite a few stray control bytes or NULs (an editor's
 * junk in a META tag: up to 1 byte in 20), which plain text is not. */
static void sniff_text(const unsigned char *h, size_t n, struct sniffed *out)
{
	unsigned char narrow[4096], mark = 0;
	size_t skip = 0;
	if (starts(h, n, "\xff\xfe", 2) || starts(h, n, "\xfe\xff", 2))
		mark = h[0], skip = 2;
	else
		mark = utf16_unmarked(h, n);
	const unsigned char *p, *e;
	if (mark) {
		size_t k = narrow_utf16(h, n, mark, skip, narrow, sizeof narrow);
		p = skip_space(narrow, narrow + k);
		e = narrow + k;
	} else {
		p = skip_space(h, h + n);
		e = h + n;
		if (!is_text(h, n) && !(html_start(p, (size_t)(e - p)) && control_bytes(h, n) * 20 <= n))
			return;
	}
	size_t rest = (size_t)(e - p);
	if (rest && *p == '<' && sniff_flat(p, rest, out))
		;   /* a package written as one XML document */
	else if (html_start(p, rest))
		out->mime = "text/html", out->type = "html";
	else
		out->mime = "text/plain", out->type = "txt";
}

void sniff_bytes(const unsigned char *h, size_t n, size_t total, struct sniffed *out)
{
	out->mime = NULL;
	out->type = NULL;
	if (starts(h, n, "%PDF-", 5) || (n > 1024 && memmem(h, 1024, "%PDF-", 5))) {
		out->mime = "application/pdf", out->type = "pdf";
	} else if (starts(h, n, "PK\x03\x04", 4)) {
		if (n > 38 + 35 && !memcmp(h + 30, "mimetypeapplication/vnd.oasis.opendocument.", 43))
			sniff_odf(h + 38, n - 38, out);
		else if (contains(h, n, "word/"))
			out->mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
			out->type = "docx";
		else if (contains(h, n, "ppt/"))
			out->mime = "application/vnd.openxmlformats-officedocument.presentationml.presentation",
			out->type = "pptx";
		else if (contains(h, n, "xl/"))
			out->mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			out->type = "xlsx";
		else if (contains(h, n, "[Content_Types].xml"))
			/* entries past the head: let quire-extract decide */
			out->mime = "application/vnd.openxmlformats-officedocument", out->type = "ooxml";
	} else if (starts(h, n, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8)) {
		if (utf16_name(h, n, "EncryptedPackage"))
			/* password-protected OOXML (MS-OFFCRYPTO) */
			out->mime = "application/encrypted", out->type = "ooxml";
		else if (utf16_name(h, n, "WordDocument"))
			out->mime = "application/msword", out->type = "doc";
		else if (utf16_name(h, n, "PowerPoint Document"))
			out->mime = "application/vnd.ms-powerpoint", out->type = "ppt";
		else if (utf16_name(h, n, "Workbook") || utf16_name(h, n, "Book"))
			out->mime = "application/vnd.ms-excel", out->type = "xls";
		else
			/* the directory may lie beyond the head; quire-extract decides */
			out->mime = "application/x-ole-storage", out->type = "ole";
	} else if (n >= 8 && (starts(h, n, "\x09\x00\x04\x00", 4) || starts(h, n, "\x09\x02\x06\x00", 4) ||
			      starts(h, n, "\x09\x04\x06\x00", 4)) &&
		   (h[6] == 0x10 || h[6] == 0x20 || h[6] == 0x40) && h[7] == 0) {
		/* an Excel 2.x-4.0 worksheet: a BIFF2-4 BOF, no container */
		out->mime = "application/vnd.ms-excel", out->type = "xls";
	} else if (starts(h, n, "\x89PNG\r\n\x1a\n", 8)) {
		out->mime = "image/png", out->type = "png";
	} else if (starts(h, n, "\xff\xd8\xff", 3)) {
		out->mime = "image/jpeg", out->type = "jpg";
	} else if (starts(h, n, "GIF87a", 6) || starts(h, n, "GIF89a", 6)) {
		out->mime = "image/gif", out->type = "gif";
	} else if (starts(h, n, "II*\0", 4) || starts(h, n, "MM\0*", 4)) {
		out->mime = "image/tiff", out->type = "tiff";
	} else if (starts(h, n, "BM", 2) && n > 14) {
		out->mime = "image/bmp", out->type = "bmp";
	} else if (starts(h, n, "RIFF", 4) && n > 12 && !memcmp(h + 8, "WEBP", 4)) {
		out->mime = "image/webp", out->type = "webp";
	} else if (starts(h, n, "{\\rtf", 5)) {
		out->mime = "application/rtf", out->type = "rtf";
	} else if (total > 0) {
		sniff_text(h, n, out);
	}
}

int sniff_file(const char *path, struct sniffed *out)
{
	unsigned char head[HEAD];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, head, sizeof head);
	off_t total = lseek(fd, 0, SEEK_END);
	close(fd);
	if (n < 0)
		return -1;
	sniff_bytes(head, (size_t)n, total > 0 ? (size_t)total : 0, out);
	return 0;
}
