/* rtf.c: the RTF extraction plugin, on Quire's own parser (rtf_parse.c,
 * rtf_words.c, rtf_out.c): no library reads RTF into structure, and a
 * parser of our own can be made safe against hostile files: an explicit
 * group stack with a depth cap, bounds-checked \bin, clamped parameters,
 * no recursion and no buffering of skipped destinations.
 *
 * Results: QUIRE_CORRUPT for groups nested deeper than RTF_MAX_DEPTH or a
 * \bin longer than the file (the text before is kept); groups left open
 * at the end are closed (a truncated file keeps its text); QUIRE_EMPTY
 * when no text was found. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "../common/input.h"
#include "rtf.h"
#include "rtf_parse.h"

static const char *const rtf_mime_types[] = { "application/rtf", "text/rtf", NULL };
static const char *const rtf_extensions[] = { "rtf", NULL };

/* "{\rtf" after an optional UTF-8 mark and white space. */
static int rtf_magic(const unsigned char *p, size_t n)
{
	size_t i = 0;

	if (n >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	return n - i >= 5 && !memcmp(p + i, "{\\rtf", 5);
}

static int rtf_sniff(const unsigned char *head, size_t len, const char *mime)
{
	if (rtf_magic(head, len))
		return 100;
	if (!strcmp(mime, "application/rtf") || !strcmp(mime, "text/rtf"))
		return 50;
	return 0;
}

static enum quire_result rtf_extract(void *state, const struct quire_host *host,
				     const char *path, int fd, const char *mime)
{
	struct input in;
	struct emit e;
	struct rtf *r;
	int res;

	if (input_map(fd, 0, &in))
		return QUIRE_ERROR;
	if (in.len == 0) {
		input_unmap(&in);
		return QUIRE_EMPTY;
	}
	if (!rtf_magic(in.p, in.len)) {
		input_unmap(&in);
		return QUIRE_UNSUPPORTED;
	}
	r = malloc(sizeof *r);
	if (!r) {
		input_unmap(&in);
		return QUIRE_ERROR;
	}
	emit_init(&e, host);
	rtf_init(r, &e, host, in.p, in.len);
	res = rtf_run(r);
	rtf_free(r);
	free(r);
	input_unmap(&in);
	if (res != QUIRE_OK)
		return (enum quire_result)res;
	return e.wrote ? QUIRE_OK : QUIRE_EMPTY;
}

static const struct quire_plugin rtf_plugin = {
	.abi = QUIRE_PLUGIN_ABI,
	.size = sizeof(struct quire_plugin),
	.name = "rtf",
	.version = "1.0",
	.mime_types = rtf_mime_types,
	.extensions = rtf_extensions,
	.sniff = rtf_sniff,
	.init = NULL,
	.extract = rtf_extract,
	.fini = NULL,
	.flags = 0,
};

const struct quire_plugin *quire_plugin_entry(void)
{
	return &rtf_plugin;
}
