/* meta.c: title, author, subject and keywords from the
 * \005SummaryInformation property set ([MS-OLEPS]) into sink metadata. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <iconv.h>
#include <stdio.h>
#include <string.h>

#include "legacy.h"

#define VT_I2 2
#define VT_LPSTR 0x1e
#define VT_LPWSTR 0x1f

/* An 8-bit property value through the set's code page (1252 if unknown). */
static void narrow(struct lg_buf *b, const unsigned char *s, size_t n, unsigned cp)
{
	char name[16];
	iconv_t cd = (iconv_t)-1;

	if (cp == 65001) {
		lg_buf_add(b, (const char *)s, n);
		return;
	}
	if (cp && cp != 1252) {
		snprintf(name, sizeof name, "CP%u", cp);
		cd = iconv_open("UTF-8", name);
	}
	if (cd != (iconv_t)-1) {
		char out[1024], *in = (char *)s, *o = out;
		size_t il = n, ol = sizeof out;

		iconv(cd, &in, &il, &o, &ol);
		iconv_close(cd);
		lg_buf_add(b, out, (size_t)(o - out));
		return;
	}
	for (size_t i = 0; i < n; i++)
		lg_buf_1252(b, s[i]);
}

/* The string value at off (relative to the section), or nothing. */
static void value(const unsigned char *sec, size_t n, size_t off, unsigned cp, struct lg_buf *b)
{
	uint32_t type, count;

	lg_buf_reset(b);
	if (!lg_in(n, off, 8))
		return;
	type = lg_u32(sec + off);
	count = lg_u32(sec + off + 4);
	if (type == VT_LPSTR && lg_in(n, off + 8, count)) {
		const unsigned char *s = sec + off + 8;

		while (count > 0 && s[count - 1] == 0)
			count--;
		narrow(b, s, count, cp);
	} else if (type == VT_LPWSTR && count <= n && lg_in(n, off + 8, 2 * (size_t)count)) {
		for (uint32_t i = 0; i < count; i++) {
			unsigned u = lg_u16(sec + off + 8 + 2 * i);

			if (u == 0)
				break;
			lg_buf_u16(b, u);
		}
	}
	lg_buf_squeeze(b);
}

void lg_summary(struct lg *lg, GsfInfile *dir)
{
	static const struct { unsigned pid; const char *key; } keys[] = {
		{ 2, "title" }, { 3, "subject" }, { 4, "author" }, { 5, "keywords" },
	};
	struct lg_bytes s;
	struct lg_buf b;
	const unsigned char *sec;
	size_t n, np;
	unsigned cp = 0;
	enum quire_result keep = lg->err;

	if (lg_stream(lg, dir, "\005SummaryInformation", &s) != 0) {
		lg->err = keep;   /* metadata is a bonus: never fail for it */
		return;
	}
	if (s.n < 48 || lg_u16(s.p) != 0xfffe || lg_u32(s.p + 44) >= s.n)
		goto out;
	sec = s.p + lg_u32(s.p + 44);
	n = s.n - lg_u32(s.p + 44);
	if (n < 8)
		goto out;
	np = lg_u32(sec + 4);
	if (np > (n - 8) / 8)
		np = (n - 8) / 8;
	for (size_t i = 0; i < np; i++) {   /* the code page first */
		size_t off = lg_u32(sec + 12 + 8 * i);

		if (lg_u32(sec + 8 + 8 * i) == 1 && lg_in(n, off, 6) && lg_u32(sec + off) == VT_I2)
			cp = lg_u16(sec + off + 4);
	}
	lg_buf_init(&b, 4096);
	for (size_t i = 0; i < np; i++) {
		uint32_t pid = lg_u32(sec + 8 + 8 * i);

		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
			if (keys[k].pid != pid)
				continue;
			value(sec, n, lg_u32(sec + 12 + 8 * i), cp, &b);
			lg_meta(lg, keys[k].key, b.p, b.n);
		}
	}
	lg_buf_free(&b);
out:
	lg_bytes_free(&s);
}
