/* metro.c: the DrawingML copy that Office 2007 and later keep of a shape
 * in a 97-2003 file ([MS-ODRAW] 2.3.4.x metroBlob, property 0x03A9 of an
 * OfficeArt property table): a ZIP package read through libgsf whose
 * SmartArt data and chart parts hold text the binary shape only shows as
 * a picture. Each paragraph's <a:t> runs go to the caller; entries are
 * size- and ratio-capped, all of them together within the file's
 * inflation budget, and nothing in the package fails the document. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include <gsf/gsf-infile.h>
#include <gsf/gsf-infile-zip.h>
#include <gsf/gsf-input-memory.h>

#include "legacy.h"
#include "metro.h"

#define METRO_BLOB 0x03a9
#define METRO_ENTRY_MAX (8u << 20)   /* one XML part, inflated */
#define METRO_PARTS_MAX 64

/* The complex data of property `pid` in a property table of nprops
 * entries (6 bytes each, complex data after them in order). */
static int complex_prop(const unsigned char *p, size_t n, unsigned nprops, unsigned pid,
			const unsigned char **out, size_t *len)
{
	size_t cx = (size_t)nprops * 6;

	if (cx > n)
		return -1;
	for (unsigned i = 0; i < nprops; i++) {
		unsigned opid = pc_le16(p + 6 * i);
		uint32_t op = pc_le32(p + 6 * i + 2);

		if (!(opid & 0x8000))
			continue;
		if (op > n - cx)
			return -1;
		if ((opid & 0x3fff) == pid) {
			*out = p + cx;
			*len = op;
			return 0;
		}
		cx += op;
	}
	return -1;
}

/* An entity at s (after '&'): its code point and length, or 0. */
static size_t entity(const char *s, size_t n, uint32_t *cp)
{
	static const struct { const char *name; uint32_t cp; } named[] = {
		{ "amp;", '&' }, { "lt;", '<' }, { "gt;", '>' }, { "quot;", '"' }, { "apos;", '\'' },
	};
	size_t i = 0;
	uint32_t v = 0;

	for (size_t k = 0; k < sizeof named / sizeof named[0]; k++) {
		size_t l = strlen(named[k].name);

		if (n >= l && !memcmp(s, named[k].name, l))
			return *cp = named[k].cp, l;
	}
	if (n < 3 || s[0] != '#')
		return 0;
	if (s[1] == 'x' || s[1] == 'X') {
		for (i = 2; i < n && i < 10 && strchr("0123456789abcdefABCDEF", s[i]) && s[i]; i++)
			v = v * 16 + (uint32_t)(s[i] <= '9' ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10);
	} else {
		for (i = 1; i < n && i < 9 && s[i] >= '0' && s[i] <= '9'; i++)
			v = v * 10 + (uint32_t)(s[i] - '0');
	}
	if (i >= n || s[i] != ';' || v == 0 || v > 0x10ffff)
		return 0;
	*cp = v;
	return i + 1;
}

/* The text of one element's content (s, n) added to b, entities decoded. */
static void add_text(struct pbuf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = s[i] == '&' ? entity(s + i + 1, n - i - 1, &cp) : 0;

		if (k) {
			pbuf_cp(b, cp);
			i += k + 1;
		} else {
			pbuf_add(b, s + i, 1);
			i++;
		}
	}
}

/* Paragraphs (<a:p>) of an XML part: their <a:t> runs joined. */
static void part_text(const char *x, size_t n, struct pbuf *b, lg_text_fn fn, void *ctx)
{
	const char *end = x + n;

	pbuf_reset(b);
	for (const char *q = memchr(x, '<', n); q; q = memchr(q, '<', (size_t)(end - q))) {
		q++;
		if (end - q >= 4 && !memcmp(q, "a:t", 3) && (q[3] == '>' || q[3] == ' ')) {
			const char *t = memchr(q, '>', (size_t)(end - q)), *c;

			if (!t || t[-1] == '/')   /* <a:t/>: empty */
				continue;
			c = ++t;

			while (c && (c = memchr(c, '<', (size_t)(end - c))) && (end - c < 6 || memcmp(c, "</a:t>", 6)))
				c++;
			if (!c)
				break;
			add_text(b, t, (size_t)(c - t));
			q = c;
		} else if (end - q >= 5 && !memcmp(q, "/a:p", 4) && (q[4] == '>' || q[4] == ' ')) {
			pbuf_squeeze(b);
			if (b->n)
				fn(ctx, b->p, b->n);
			pbuf_reset(b);
		}
	}
	pbuf_squeeze(b);
	if (b->n)
		fn(ctx, b->p, b->n);
}

/* The parts of dir (drs/diagrams or drs/charts) whose names start with
 * prefix, each capped (size, and ratio to the package's packed bytes), to
 * part_text. */
static void parts(struct lg *lg, GsfInfile *dir, const char *prefix, size_t packed,
		  lg_text_fn fn, void *ctx)
{
	const struct quire_limits *lim = lg->host->limits;
	struct pbuf b;
	int nkids = dir ? gsf_infile_num_children(dir) : 0;

	pbuf_init(&b, LG_BLOCK_MAX);
	for (int i = 0; i < nkids && i < METRO_PARTS_MAX && !lg->err; i++) {
		const char *name = gsf_infile_name_by_index(dir, i);
		GsfInput *in;
		gsf_off_t size;
		char *x;

		if (!name || strncmp(name, prefix, strlen(prefix)))
			continue;
		if (!(in = gsf_infile_child_by_index(dir, i)))
			continue;
		size = gsf_input_size(in);
		if (size > 0 && size <= METRO_ENTRY_MAX &&
		    (!lim->max_inflated_bytes ||
		     lg->inflated + (unsigned long long)size <= lim->max_inflated_bytes) &&
		    (!lim->max_ratio || size <= (1 << 20) ||
		     (unsigned long long)size / (packed + 1) <= lim->max_ratio) &&
		    (x = malloc((size_t)size)) != NULL) {
			lg->inflated += (unsigned long long)size;   /* the file's inflation budget */
			if (gsf_input_read(in, (size_t)size, (guint8 *)x))
				part_text(x, (size_t)size, &b, fn, ctx);
			free(x);
		}
		g_object_unref(in);
	}
	pbuf_free(&b);
}

/* drs/<name> of the package, when it is a folder, to parts. */
static void folder(struct lg *lg, GsfInfile *zip, const char *name, const char *prefix,
		   size_t packed, lg_text_fn fn, void *ctx)
{
	GsfInput *d = gsf_infile_child_by_vname(zip, "drs", name, NULL);

	if (d && GSF_IS_INFILE(d))
		parts(lg, GSF_INFILE(d), prefix, packed, fn, ctx);
	if (d)
		g_object_unref(d);
}

void lg_metro(struct lg *lg, const unsigned char *props, size_t n, unsigned nprops,
	      lg_text_fn fn, void *ctx)
{
	const unsigned char *blob;
	size_t len;
	GsfInput *mem;
	GsfInfile *zip;

	if (complex_prop(props, n, nprops, METRO_BLOB, &blob, &len) < 0 || len < 4 ||
	    memcmp(blob, "PK\003\004", 4))
		return;
	mem = gsf_input_memory_new(blob, (gsf_off_t)len, FALSE);
	if (!mem)
		return;
	zip = gsf_infile_zip_new(mem, NULL);
	g_object_unref(mem);
	if (!zip)
		return;
	folder(lg, zip, "diagrams", "data", len, fn, ctx);
	folder(lg, zip, "charts", "chart", len, fn, ctx);
	g_object_unref(zip);
}
