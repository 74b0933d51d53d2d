/* out.c: the legacy plugin's sink helpers (page limit, long blocks cut on
 * UTF-8 boundaries, the host's stop request) and stream reading. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include <gsf/gsf-input.h>

#include "legacy.h"
#include "out.h"

int lg_fail(struct lg *lg, enum quire_result r)
{
	if (lg->err == QUIRE_OK)
		lg->err = r;
	return 1;
}

int lg_page(struct lg *lg)
{
	const struct quire_host *h = lg->host;

	if (lg->err)
		return 1;
	if (h->limits->max_pages && lg->page >= h->limits->max_pages) {
		h->log(QUIRE_LOG_WARNING, "legacy: more than %u pages", h->limits->max_pages);
		return lg_fail(lg, QUIRE_TOO_LARGE);
	}
	if (h->sink->page(h->sink_ctx, ++lg->page))
		return lg_fail(lg, QUIRE_TOO_LARGE);
	return 0;
}

int lg_over_cap(struct lg *lg, size_t n, const char *what)
{
	unsigned cap = lg->host->limits->max_pages;

	if (lg->depth || !cap || n <= cap)
		return 0;
	lg->host->log(QUIRE_LOG_WARNING, "legacy: %zu %s, over the limit of %u", n, what, cap);
	return lg_fail(lg, QUIRE_TOO_LARGE);
}

/* Length of the first piece of s (at most LG_BLOCK_MAX, whole characters). */
static size_t piece(const char *s, size_t n)
{
	size_t k = n;

	if (k <= LG_BLOCK_MAX)
		return k;
	k = LG_BLOCK_MAX;
	while (k > 1 && ((unsigned char)s[k] & 0xc0) == 0x80)
		k--;
	return k;
}

enum kind { K_HEADING, K_PARA, K_ITEM };

static int block(struct lg *lg, enum kind kind, unsigned level, const char *s, size_t n)
{
	const struct quire_host *h = lg->host;

	if (lg->err)
		return 1;
	while (n > 0) {
		size_t k = piece(s, n);
		int r;

		if (kind == K_HEADING)
			r = h->sink->heading(h->sink_ctx, level, s, k);
		else if (kind == K_ITEM)
			r = h->sink->list_item(h->sink_ctx, level, s, k);
		else
			r = h->sink->paragraph(h->sink_ctx, s, k);
		if (r)
			return lg_fail(lg, QUIRE_TOO_LARGE);
		lg->wrote = 1;
		s += k;
		n -= k;
	}
	return 0;
}

int lg_heading(struct lg *lg, unsigned level, const char *s, size_t n)
{
	return block(lg, K_HEADING, level < 1 ? 1 : level > 6 ? 6 : level, s, n);
}

int lg_para(struct lg *lg, const char *s, size_t n)
{
	return block(lg, K_PARA, 0, s, n);
}

int lg_item(struct lg *lg, unsigned level, const char *s, size_t n)
{
	return block(lg, K_ITEM, level < 1 ? 1 : level, s, n);
}

int lg_row(struct lg *lg, const char *const *cells, const size_t *lens, size_t n, int header)
{
	const struct quire_host *h = lg->host;

	if (lg->err)
		return 1;
	if (n == 0)
		return 0;
	if (h->sink->table_row(h->sink_ctx, cells, lens, n, header))
		return lg_fail(lg, QUIRE_TOO_LARGE);
	lg->wrote = 1;
	return 0;
}

void lg_meta(struct lg *lg, const char *key, const char *s, size_t n)
{
	const struct quire_host *h = lg->host;

	if (!lg->err && n > 0 && h->sink->meta)
		h->sink->meta(h->sink_ctx, key, s, n);
}

int lg_has(GsfInfile *dir, const char *name)
{
	GsfInput *in = pc_ole_child(dir, name);

	if (!in)
		return 0;
	g_object_unref(in);
	return 1;
}

int lg_stream(struct lg *lg, GsfInfile *dir, const char *name, struct lg_bytes *out)
{
	GsfInput *in = pc_ole_child(dir ? dir : lg->ole, name);
	gsf_off_t size;
	int r = -1;

	out->p = NULL;
	out->n = 0;
	if (!in)
		return 1;
	size = gsf_input_size(in);
	/* A stream is never larger than the file that holds it. */
	if (size < 0 || (unsigned long long)size > lg->file_size) {
		lg->host->log(QUIRE_LOG_INFO, "legacy: stream %s claims %lld bytes", name,
			      (long long)size);
		lg_fail(lg, QUIRE_CORRUPT);
		goto out;
	}
	out->n = (size_t)size;
	out->p = malloc(out->n ? out->n : 1);
	if (!out->p) {
		lg_fail(lg, QUIRE_ERROR);
		goto out;
	}
	if (out->n && !gsf_input_read(in, out->n, out->p)) {
		lg->host->log(QUIRE_LOG_INFO, "legacy: stream %s cannot be read", name);
		lg_fail(lg, QUIRE_CORRUPT);
		goto out;
	}
	r = 0;
out:
	if (r)
		lg_bytes_free(out);
	g_object_unref(in);
	return r;
}

void lg_bytes_free(struct lg_bytes *b)
{
	free(b->p);
	b->p = NULL;
	b->n = 0;
}
