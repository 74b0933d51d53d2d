/* meta.c: title, author, subject and keywords from the
 * \005SummaryInformation property set ([MS-OLEPS]) into sink metadata. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <iconv.h>
#include <stdio.h>
#include <string.h>

#include "legacy.h"
#include "out.h"
#include "meta.h"

#define VT_I2 2
#define VT_LPSTR 0x1e
#define VT_LPWSTR 0x1f

/* An 8-bit property value through the set's code page (1252 if unknown). */
static void narrow(struct pbuf *b, const unsigned char *s, size_t n, unsigned cp)
{
	char name[16];
	iconv_t cd = (iconv_t)-1;

	if (cp == 65001) {
		pbuf_add(b, (const char *)s, n);
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
		iconv(cd, NULL, NULL, &o, &ol);   /* a letter held back (1255, 1258) */
		iconv_close(cd);
		pbuf_add(b, out, (size_t)(o - out));
		return;
	}
	for (size_t i = 0; i < n; i++)
		pbuf_1252(b, s[i]);
}

/* The string value at off (relative to the section), or nothing. */
static void value(const unsigned char *sec, size_t n, size_t off, unsigned cp, struct pbuf *b)
{
	uint32_t type, count;

	pbuf_reset(b);
	if (!pc_in(n, off, 8))
		return;
	type = pc_le32(sec + off);
	count = pc_le32(sec + off + 4);
	if (type == VT_LPSTR && pc_in(n, off + 8, count)) {
		const unsigned char *s = sec + off + 8;

		while (count > 0 && s[count - 1] == 0)
			count--;
		narrow(b, s, count, cp);
	} else if (type == VT_LPWSTR && count <= n && pc_in(n, off + 8, 2 * (size_t)count)) {
		for (uint32_t i = 0; i < count; i++) {
			unsigned u = pc_le16(sec + off + 8 + 2 * i);

			if (u == 0)
				break;
			pbuf_u16(b, u);
		}
	}
	pbuf_squeeze(b);
}

void lg_summary(struct lg *lg, GsfInfile *dir)
{
	static const struct { unsigned pid; const char *key; } keys[] = {
		{ 2, "title" }, { 3, "subject" }, { 4, "author" }, { 5, "keywords" },
	};
	struct lg_bytes s;
	struct pbuf b;
	const unsigned char *sec;
	size_t n, np;
	unsigned cp = 0;
	enum quire_result keep = lg->err;

	if (lg_stream(lg, dir, "\005SummaryInformation", &s) != 0) {
		lg->err = keep;   /* metadata is a bonus: never fail for it */
		return;
	}
	if (s.n < 48 || pc_le16(s.p) != 0xfffe || pc_le32(s.p + 44) >= s.n)
		goto out;
	sec = s.p + pc_le32(s.p + 44);
	n = s.n - pc_le32(s.p + 44);
	if (n < 8)
		goto out;
	np = pc_le32(sec + 4);
	if (np > (n - 8) / 8)
		np = (n - 8) / 8;
	for (size_t i = 0; i < np; i++) {   /* the code page first */
		size_t off = pc_le32(sec + 12 + 8 * i);

		if (pc_le32(sec + 8 + 8 * i) == 1 && pc_in(n, off, 6) && pc_le32(sec + off) == VT_I2)
			cp = pc_le16(sec + off + 4);
	}
	pbuf_init(&b, 4096);
	for (size_t i = 0; i < np; i++) {
		uint32_t pid = pc_le32(sec + 8 + 8 * i);

		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
			if (keys[k].pid != pid)
				continue;
			value(sec, n, pc_le32(sec + 12 + 8 * i), cp, &b);
			lg_meta(lg, keys[k].key, b.p, b.n);
		}
	}
	pbuf_free(&b);
out:
	lg_bytes_free(&s);
}
