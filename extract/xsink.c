/* xsink.c: JSON Lines / plain text writer behind struct quire_sink. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "xsink.h"

#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

void xsink_init(struct xsink *s, FILE *out, int text_mode, size_t max_bytes)
{
	memset(s, 0, sizeof *s);
	s->out = out;
	s->text_mode = text_mode;
	s->max_bytes = max_bytes;
	s->at_start = 1;
}

/* Length of the valid UTF-8 sequence at p (at most n bytes), 0 if invalid
 * (utf8proc's decoder, the one Quire uses everywhere). */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t k;
	if (p[0] < 0x80)
		return 1;
	k = utf8proc_iterate(p, (utf8proc_ssize_t)n, &cp);
	return k > 0 ? (size_t)k : 0;
}

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL
/* Nonzero when one of the 8 bytes of x may need more than copying: a
 * control (< 0x20), DEL or a non-ASCII byte (>= 0x7f), and in JSON '"' or
 * '\\'. May answer nonzero for plain bytes, never zero for others. */
static inline uint64_t plain8(uint64_t x, int json)
{
	uint64_t m = ((x - 0x20 * ONES) | x | (x + ONES)) & HIGHS;
	if (json && !m) {
		uint64_t q = x ^ (0x22 * ONES), b = x ^ (0x5c * ONES);
		m = (((q - ONES) & ~q) | ((b - ONES) & ~b)) & HIGHS;
	}
	return m;
}

/* Write text repaired; in JSON mode escaped. Newlines are kept in JSON and
 * folded to spaces in text mode (a block is one line there). Runs of bytes
 * that need nothing are written at once. */
static void put_text(FILE *out, const char *text, size_t n, int json)
{
	const unsigned char *p = (const unsigned char *)text, *end = p + n, *run = p;
	while (p < end) {
		/* Eight plain bytes at a time (a false alarm only means the
		 * byte-wise test below decides). */
		if (end - p >= 8) {
			uint64_t x;
			memcpy(&x, p, 8);
			if (!plain8(x, json)) {
				p += 8;
				continue;
			}
		}
		unsigned c = *p;
		if (c >= 0x20 && c < 0x7f && !(json && (c == '"' || c == '\\'))) {
			p++;
			continue;
		}
		size_t l = c >= 0x80 ? utf8_len(p, (size_t)(end - p)) : 1;
		if (c >= 0x80 && l > 0) {
			p += l;
			continue;
		}
		if (p > run)
			fwrite(run, 1, (size_t)(p - run), out);
		if (c >= 0x80)
			fputs("\xef\xbf\xbd", out);   /* invalid byte: U+FFFD */
		else if (c == '"' || c == '\\')
			fputc('\\', out), fputc((int)c, out);
		else if (c == '\t')
			fputs(json ? "\\t" : "\t", out);
		else if (c == '\n' || c == '\r' || c == '\f')
			fputs(json ? "\\n" : " ", out);
		/* other controls (NUL, C0, DEL) are dropped */
		p++;
		run = p;
	}
	if (p > run)
		fwrite(run, 1, (size_t)(p - run), out);
}

void xsink_json_str(FILE *out, const char *s, size_t n)
{
	fputc('"', out);
	put_text(out, s, n, 1);
	fputc('"', out);
}

/* Account for n bytes of text; 0 when they may be written. */
static int charge(struct xsink *s, size_t n)
{
	if (s->truncated)
		return -1;
	if (s->bytes + n > s->max_bytes) {
		s->truncated = 1;
		return -1;
	}
	s->bytes += n;
	s->blocks++;
	return 0;
}

static void text_block_start(struct xsink *s, int row)
{
	if (!s->at_start && !(row && s->in_table))
		fputc('\n', s->out);   /* blank line between blocks */
	s->at_start = 0;
	s->in_table = row;
}

static int k_page(void *ctx, unsigned number)
{
	struct xsink *s = ctx;
	if (s->truncated || s->stop)
		return -1;
	if (s->text_mode) {
		if (s->pages > 0) {
			fputc('\f', s->out);
			s->at_start = 1;
			s->in_table = 0;
		}
	} else {
		fprintf(s->out, "{\"t\":\"page\",\"n\":%u}\n", number);
	}
	s->pages++;
	return 0;
}

static int k_block(struct xsink *s, const char *type, int level, const char *text, size_t len)
{
	if (charge(s, len))
		return -1;
	if (s->text_mode) {
		text_block_start(s, 0);
		put_text(s->out, text, len, 0);
		fputc('\n', s->out);
		return 0;
	}
	fprintf(s->out, "{\"t\":\"%s\"", type);
	if (level > 0)
		fprintf(s->out, ",\"level\":%d", level);
	fputs(",\"text\":", s->out);
	xsink_json_str(s->out, text, len);
	fputs("}\n", s->out);
	return 0;
}

static int k_heading(void *ctx, unsigned level, const char *text, size_t len)
{
	return k_block(ctx, "h", level < 1 ? 1 : level > 6 ? 6 : (int)level, text, len);
}

static int k_paragraph(void *ctx, const char *text, size_t len)
{
	return k_block(ctx, "p", 0, text, len);
}

static int k_list_item(void *ctx, unsigned level, const char *text, size_t len)
{
	return k_block(ctx, "li", level < 1 ? 1 : (int)level, text, len);
}

static int k_table_row(void *ctx, const char *const *cells, const size_t *lens, size_t ncells,
		       int header)
{
	struct xsink *s = ctx;
	size_t total = 0;
	for (size_t i = 0; i < ncells; i++)
		total += lens[i] + 1;
	if (charge(s, total))
		return -1;
	if (s->text_mode) {
		text_block_start(s, 1);
		for (size_t i = 0; i < ncells; i++) {
			if (i)
				fputc('\t', s->out);
			put_text(s->out, cells[i] ? cells[i] : "", cells[i] ? lens[i] : 0, 0);
		}
		fputc('\n', s->out);
		return 0;
	}
	fputs("{\"t\":\"row\",\"cells\":[", s->out);
	for (size_t i = 0; i < ncells; i++) {
		if (i)
			fputc(',', s->out);
		xsink_json_str(s->out, cells[i] ? cells[i] : "", cells[i] ? lens[i] : 0);
	}
	fprintf(s->out, "],\"header\":%s}\n", header ? "true" : "false");
	return 0;
}

static int k_ocr(void *ctx, double confidence)
{
	struct xsink *s = ctx;
	if (s->truncated)
		return -1;
	if (!s->text_mode)
		fprintf(s->out, "{\"t\":\"ocr\",\"confidence\":%.1f}\n",
			confidence < 0 ? 0 : confidence > 100 ? 100 : confidence);
	return 0;
}

static int k_meta(void *ctx, const char *key, const char *value, size_t len)
{
	struct xsink *s = ctx;
	if (s->truncated || !key)
		return s->truncated ? -1 : 0;
	if (len > 4096)
		len = 4096;
	if (!s->text_mode) {
		fputs("{\"t\":\"meta\",\"key\":", s->out);
		xsink_json_str(s->out, key, strlen(key));
		fputs(",\"value\":", s->out);
		xsink_json_str(s->out, value ? value : "", value ? len : 0);
		fputs("}\n", s->out);
	}
	return 0;
}

const struct quire_sink xsink_ops = {
	.page = k_page,
	.heading = k_heading,
	.paragraph = k_paragraph,
	.list_item = k_list_item,
	.table_row = k_table_row,
	.ocr_confidence = k_ocr,
	.meta = k_meta,
};

int xsink_embed_begin(void *ctx, const char *type)
{
	struct xsink *s = ctx;
	if (s->truncated || s->stop || s->embed_depth >= XSINK_MAX_EMBED_DEPTH)
		return -1;
	s->embed_depth++;
	if (!s->text_mode) {
		fprintf(s->out, "{\"t\":\"embed\",\"depth\":%u", s->embed_depth);
		if (type) {
			fputs(",\"type\":", s->out);
			xsink_json_str(s->out, type, strlen(type));
		}
		fputs("}\n", s->out);
	}
	return 0;
}

int xsink_embed_end(void *ctx)
{
	struct xsink *s = ctx;
	if (!s->embed_depth)
		return -1;
	if (!s->text_mode)
		fprintf(s->out, "{\"t\":\"embed_end\",\"depth\":%u}\n", s->embed_depth);
	s->embed_depth--;
	return 0;
}

int xsink_part(void *ctx, const char *name)
{
	static const char *const names[] = { "body", "header", "footer", "margins", "footnotes",
		"endnotes", "comments", "notes", "glossary", NULL };
	struct xsink *s = ctx;
	if (s->truncated)
		return -1;
	for (const char *const *n = names; name && *n; n++)
		if (!strcmp(*n, name)) {
			if (!s->text_mode)
				fprintf(s->out, "{\"t\":\"part\",\"name\":\"%s\"}\n", *n);
			return 0;
		}
	return 0;
}

void xsink_doc(struct xsink *s, const char *mime, const char *plugin, unsigned long long size)
{
	if (s->text_mode)
		return;
	fputs("{\"t\":\"doc\",\"mime\":", s->out);
	xsink_json_str(s->out, mime, strlen(mime));
	fputs(",\"plugin\":", s->out);
	xsink_json_str(s->out, plugin, strlen(plugin));
	fprintf(s->out, ",\"size\":%llu}\n", size);
}

void xsink_end(struct xsink *s, const char *result)
{
	if (!s->text_mode)
		fprintf(s->out, "{\"t\":\"end\",\"result\":\"%s\",\"truncated\":%s,\"bytes\":%zu}\n",
			result, s->truncated ? "true" : "false", s->bytes);
	fflush(s->out);
}
