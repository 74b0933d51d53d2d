/* text.c: the text extraction plugin: plain text, Markdown, CSV and TSV.
 *
 * The file is mapped, its charset found (a byte order mark, else valid
 * UTF-8, else UTF-16 by its NULs, else EBCDIC or uchardet's guess, else
 * Windows-1252) and converted to UTF-8 with undecodable bytes replaced;
 * then the format's reader writes blocks. At most about twice
 * max_text_bytes of the file is read: more could not fit in the text cap,
 * so a longer file ends in QUIRE_TOO_LARGE with what was read kept. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdint.h>
#include <string.h>

#include "../common/conv.h"
#include "../common/detect.h"
#include "../common/input.h"
#include "text.h"
#include "plain.h"
#include "markdown.h"
#include "csv.h"

static const char *const text_mime_types[] = { "text/plain", "text/markdown", "text/x-markdown",
					       "text/csv", "text/tab-separated-values", NULL };
static const char *const text_extensions[] = { "txt", "text", "md", "markdown", "csv", "tsv",
					       "tab", NULL };

static int text_sniff(const unsigned char *head, size_t len, const char *mime)
{
	if (!strcmp(mime, "text/markdown") || !strcmp(mime, "text/x-markdown") ||
	    !strcmp(mime, "text/csv") || !strcmp(mime, "text/tab-separated-values"))
		return 80;
	if (!strcmp(mime, "text/plain"))
		return 50;
	/* text the host could not tell apart from binary: UTF-16 without a
	 * byte order mark */
	if (!*mime && detect_utf16(head, len))
		return 20;
	return 0;
}

/* The charset of the file: *skip is the length of its byte order mark. */
static void text_charset(const struct input *in, char *cs, size_t cslen, size_t *skip)
{
	const char *bom = NULL;

	*skip = detect_bom(in->p, in->len, &bom);
	if (*skip) {
		strncpy(cs, bom, cslen - 1);
		cs[cslen - 1] = '\0';
		return;
	}
	bom = detect_utf16(in->p, in->len);
	if (bom) {
		strncpy(cs, bom, cslen - 1);
		cs[cslen - 1] = '\0';
		return;
	}
	detect_charset(in->p, in->len, "WINDOWS-1252", cs, cslen);
}

static enum quire_result text_decode(const struct quire_host *host, const struct input *in,
				     struct pbuf *out)
{
	char cs[64];
	size_t skip;
	struct conv c;
	int r;

	text_charset(in, cs, sizeof cs, &skip);
	if (conv_open(&c, cs)) {
		host->log(QUIRE_LOG_INFO, "text: no converter for %s, reading Windows-1252", cs);
		if (conv_open(&c, "WINDOWS-1252"))
			return QUIRE_ERROR;
	}
	host->log(QUIRE_LOG_DEBUG, "text: charset %s", cs);
	r = conv_feed(&c, in->p + skip, in->len - skip, 1, out);
	conv_close(&c);
	return r ? QUIRE_ERROR : QUIRE_OK;
}

static enum quire_result text_extract(void *state, const struct quire_host *host,
				      const char *path, int fd, const char *mime)
{
	size_t max = host->limits->max_text_bytes;
	size_t cap = max && max < SIZE_MAX / 4 ? 2 * max + 65536 : 0;
	struct input in;
	struct pbuf text;
	struct emit e;
	enum quire_result r;

	if (input_map(fd, cap, &in))
		return QUIRE_ERROR;
	if (in.len == 0) {
		input_unmap(&in);
		return QUIRE_EMPTY;
	}
	pbuf_init(&text, SIZE_MAX / 2);
	r = text_decode(host, &in, &text);
	if (r == QUIRE_OK) {
		emit_init(&e, host);
		if (!strcmp(mime, "text/markdown") || !strcmp(mime, "text/x-markdown"))
			r = text_markdown(&e, text.p, text.n);
		else if (!strcmp(mime, "text/csv"))
			r = text_csv(&e, text.p, text.n, 0);
		else if (!strcmp(mime, "text/tab-separated-values"))
			r = text_csv(&e, text.p, text.n, '\t');
		else
			r = text_plain(&e, text.p, text.n);
		if (r == QUIRE_OK && in.capped) {
			host->log(QUIRE_LOG_WARNING, "text: only the first %zu bytes were read", in.len);
			r = QUIRE_TOO_LARGE;
		}
		if (r == QUIRE_OK && !e.wrote)
			r = QUIRE_EMPTY;
	}
	pbuf_free(&text);
	input_unmap(&in);
	return r;
}

/* ---- shared by the readers ---- */

int lines_next(struct lines *it, const char **line, size_t *len)
{
	size_t i = it->pos;

	if (i >= it->n)
		return 0;
	*line = it->s + i;
	while (i < it->n && it->s[i] != '\n' && it->s[i] != '\r')
		i++;
	*len = i - it->pos;
	if (i < it->n && it->s[i] == '\r' && i + 1 < it->n && it->s[i + 1] == '\n')
		i++;
	it->pos = i < it->n ? i + 1 : i;
	return 1;
}

size_t line_indent(const char *l, size_t n, size_t *col)
{
	size_t i = 0, c = 0;

	for (; i < n && (l[i] == ' ' || l[i] == '\t'); i++)
		c = l[i] == '\t' ? (c / 4 + 1) * 4 : c + 1;
	*col = c;
	return i;
}

int line_blank(const char *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (l[i] != ' ' && l[i] != '\t' && l[i] != '\f' && l[i] != '\v')
			return 0;
	return 1;
}

size_t list_marker(const char *l, size_t n, int bullets)
{
	static const char *const marks[] = { "\xe2\x80\xa2", "\xe2\x97\xa6", "\xe2\x96\xaa",
					     "\xc2\xb7", "\xe2\x80\xa3", "\xe2\x81\x83", NULL };
	size_t m = 0;

	if (n >= 1 && (l[0] == '-' || l[0] == '*' || l[0] == '+'))
		m = 1;
	else if (n >= 2 && l[0] >= '0' && l[0] <= '9') {
		while (m < n && m < 9 && l[m] >= '0' && l[m] <= '9')
			m++;
		if (m < n && (l[m] == '.' || l[m] == ')'))
			m++;
		else
			m = 0;
	} else if (bullets) {
		for (const char *const *b = marks; *b && !m; b++)
			if (n >= strlen(*b) && !memcmp(l, *b, strlen(*b)))
				m = strlen(*b);
	}
	if (m == 0 || m >= n || (l[m] != ' ' && l[m] != '\t'))
		return 0;
	while (m < n && (l[m] == ' ' || l[m] == '\t'))
		m++;
	return m < n ? m : 0;
}

unsigned lstack_push(struct lstack *s, size_t indent, size_t content)
{
	while (s->depth > 0 && indent < s->content[s->depth - 1])
		s->depth--;
	if (s->depth < TEXT_MAX_LEVELS)
		s->content[s->depth++] = content;
	return s->depth;
}

int block_flush(struct emit *e, struct block *k)
{
	int r = 0;

	if (k->b.n > 0) {
		switch (k->kind) {
		case BLOCK_ITEM: r = emit_item(e, k->level, k->b.p, k->b.n); break;
		case BLOCK_HEADING: r = emit_heading(e, k->level, k->b.p, k->b.n); break;
		default: r = emit_para(e, k->b.p, k->b.n); break;
		}
	}
	pbuf_reset(&k->b);
	k->kind = BLOCK_NONE;
	return r;
}

void block_start(struct block *k, enum block_kind kind, unsigned level)
{
	pbuf_reset(&k->b);
	k->kind = kind;
	k->level = level;
}

/* Add at most 64 KiB, ending on a UTF-8 boundary; returns bytes taken. */
static size_t block_piece(struct block *k, const char *s, size_t n, int *r)
{
	size_t take = n;

	if (take > 65536) {
		take = 65536;
		while (take > 1 && ((unsigned char)s[take] & 0xc0) == 0x80)
			take--;
	}
	*r = k->kind == BLOCK_CODE ? pbuf_add(&k->b, s, take) : sbuf_add_ws(&k->b, s, take);
	return take;
}

int block_add(struct emit *e, struct block *k, const char *s, size_t n)
{
	while (n > 0) {
		int r;
		size_t took = block_piece(k, s, n, &r);

		if (r)
			return -1;
		s += took;
		n -= took;
		if (k->b.n >= TEXT_FLUSH_AT) {
			enum block_kind kind = k->kind;
			unsigned level = k->level;

			if (block_flush(e, k))
				return -1;
			block_start(k, kind, level);
		}
	}
	return 0;
}

enum quire_result block_result(const struct emit *e)
{
	return e->stopped ? QUIRE_TOO_LARGE : QUIRE_ERROR;
}

static const struct quire_plugin text_plugin = {
	.abi = QUIRE_PLUGIN_ABI,
	.size = sizeof(struct quire_plugin),
	.name = "text",
	.version = "1.0",
	.mime_types = text_mime_types,
	.extensions = text_extensions,
	.sniff = text_sniff,
	.init = NULL,
	.extract = text_extract,
	.fini = NULL,
	.flags = 0,
};

const struct quire_plugin *quire_plugin_entry(void)
{
	return &text_plugin;
}
