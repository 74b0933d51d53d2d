/* html.c: the HTML extraction plugin (libxml2's HTML parser).
 *
 * The charset is settled first (charset.c) and the document converted to
 * UTF-8 by iconv with undecodable bytes replaced, so libxml2 always reads
 * valid UTF-8 and is told to ignore the document's own declarations
 * (HTML_PARSE_IGNORE_ENC). The converted text goes to the push parser in
 * pieces, with no tree built (walk.c). Nothing is ever fetched: no
 * network (HTML_PARSE_NONET) and an entity loader that refuses all. At
 * most 16 times max_text_bytes of the file is read. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdint.h>
#include <string.h>

#include <libxml/HTMLparser.h>

#include "../common/conv.h"
#include "../common/input.h"
#include "html.h"
#include "walk.h"
#include "charset.h"

static const char *const html_mime_types[] = { "text/html", "application/xhtml+xml", NULL };
static const char *const html_extensions[] = { "html", "htm", "xhtml", NULL };

#define PIECE ((size_t)64 << 10)

static int html_sniff(const unsigned char *head, size_t len, const char *mime)
{
	int looks;

	if (!strcmp(mime, "text/html") || !strcmp(mime, "application/xhtml+xml"))
		return 90;
	if (strcmp(mime, "text/plain") && *mime)
		return 0;
	/* text the host called plain (a comment or XML declaration first,
	 * UTF-16), or bytes it could not place (stray NULs) */
	looks = html_looks_like(head, len);
	return looks == 2 ? 70 : looks == 1 && *mime ? 55 : looks == 1 ? 40 : 0;
}

static xmlParserInputPtr no_entities(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url, (void)id, (void)ctxt;
	return NULL;
}

static enum quire_result html_init(const struct quire_host *host, void **state)
{
	(void)host;
	*state = NULL;
	xmlInitParser();
	xmlSetExternalEntityLoader(no_entities);
	return QUIRE_OK;
}

/* Convert and parse the document piece by piece. */
static enum quire_result html_parse(const struct input *in, const char *charset, size_t skip,
				    struct emit *e)
{
	struct html_walk *w;
	struct conv c;
	struct pbuf utf8;
	int err = 0;

	if (conv_open(&c, charset) && conv_open(&c, "WINDOWS-1252"))
		return QUIRE_ERROR;
	w = html_walk_new(e);
	if (!w) {
		conv_close(&c);
		return QUIRE_ERROR;
	}
	pbuf_init(&utf8, PIECE * 8);
	for (size_t pos = skip; !err && pos < in->len; pos += PIECE) {
		size_t n = in->len - pos < PIECE ? in->len - pos : PIECE;
		pbuf_reset(&utf8);
		err = conv_feed(&c, in->p + pos, n, pos + n == in->len, &utf8) ||
		      html_walk_feed(w, utf8.p ? utf8.p : "", utf8.n, 0);
	}
	if (!err)
		err = html_walk_feed(w, "", 0, 1);
	html_walk_free(w);
	pbuf_free(&utf8);
	conv_close(&c);
	if (err)
		return e->stopped ? QUIRE_TOO_LARGE : QUIRE_ERROR;
	return QUIRE_OK;
}

static enum quire_result html_extract(void *state, const struct quire_host *host,
				      const char *path, int fd, const char *mime)
{
	size_t max = host->limits->max_text_bytes;
	size_t cap = max && max < SIZE_MAX / 32 ? 16 * max + 65536 : 0;
	struct input in;
	struct emit e;
	char cs[64];
	size_t skip;
	enum quire_result r;

	if (input_map(fd, cap, &in))
		return QUIRE_ERROR;
	if (in.len == 0) {
		input_unmap(&in);
		return QUIRE_EMPTY;
	}
	html_charset(in.p, in.len, cs, sizeof cs, &skip);
	host->log(QUIRE_LOG_DEBUG, "html: charset %s", cs);
	emit_init(&e, host);
	r = html_parse(&in, cs, skip, &e);
	if (r == QUIRE_OK && in.capped) {
		host->log(QUIRE_LOG_WARNING, "html: only the first %zu bytes were read", in.len);
		r = QUIRE_TOO_LARGE;
	}
	if (r == QUIRE_OK && !e.wrote)
		r = QUIRE_EMPTY;
	input_unmap(&in);
	return r;
}

static const struct quire_plugin html_plugin = {
	.abi = QUIRE_PLUGIN_ABI,
	.size = sizeof(struct quire_plugin),
	.name = "html",
	.version = "1.0",
	.mime_types = html_mime_types,
	.extensions = html_extensions,
	.sniff = html_sniff,
	.init = html_init,
	.extract = html_extract,
	.fini = NULL,
	.flags = 0,
};

const struct quire_plugin *quire_plugin_entry(void)
{
	return &html_plugin;
}
