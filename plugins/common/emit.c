/* emit.c: trimmed, non-empty blocks to the sink. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>

#include "emit.h"

void emit_init(struct emit *e, const struct quire_host *host)
{
	e->host = host;
	e->stopped = 0;
	e->wrote = 0;
}

/* Bytes of white space at s (n available): ASCII blanks, and the
 * no-break, typographic and ideographic spaces, zero-width space and BOM,
 * which alone make no text either. */
static size_t ws_at(const unsigned char *s, size_t n)
{
	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v')
		return 1;
	if (n >= 2 && s[0] == 0xc2 && s[1] == 0xa0)
		return 2;
	if (n >= 3 && s[0] == 0xe2 && s[1] == 0x80 && s[2] >= 0x80 && s[2] <= 0x8b)
		return 3;
	if (n >= 3 && ((s[0] == 0xe3 && s[1] == 0x80 && s[2] == 0x80) ||
		       (s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)))
		return 3;
	return 0;
}

/* The same, ending at s[n - 1]. */
static size_t ws_before(const unsigned char *s, size_t n)
{
	for (size_t k = 1; k <= 3 && k <= n; k++)
		if (ws_at(s + n - k, k) == k)
			return k;
	return 0;
}

const char *emit_trim(const char *s, size_t *n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = *n, k;

	while (len > 0 && (k = ws_at(p, len)))
		p += k, len -= k;
	while (len > 0 && (k = ws_before(p, len)))
		len -= k;
	*n = len;
	return (const char *)p;
}

static int done(struct emit *e, int r)
{
	if (r) {
		e->stopped = 1;
		return -1;
	}
	e->wrote = 1;
	return 0;
}

int emit_para(struct emit *e, const char *s, size_t n)
{
	if (e->stopped)
		return -1;
	s = emit_trim(s, &n);
	if (n == 0)
		return 0;
	return done(e, e->host->sink->paragraph(e->host->sink_ctx, s, n));
}

int emit_heading(struct emit *e, unsigned level, const char *s, size_t n)
{
	if (e->stopped)
		return -1;
	s = emit_trim(s, &n);
	if (n == 0)
		return 0;
	level = level < 1 ? 1 : level > 6 ? 6 : level;
	return done(e, e->host->sink->heading(e->host->sink_ctx, level, s, n));
}

int emit_item(struct emit *e, unsigned level, const char *s, size_t n)
{
	if (e->stopped)
		return -1;
	s = emit_trim(s, &n);
	if (n == 0)
		return 0;
	return done(e, e->host->sink->list_item(e->host->sink_ctx, level < 1 ? 1 : level, s, n));
}

int emit_row(struct emit *e, const char *const *cells, const size_t *lens, size_t ncells,
	     int header)
{
	const char **c;
	size_t *l, any = 0;
	int r;

	if (e->stopped)
		return -1;
	if (ncells == 0)
		return 0;
	c = malloc(ncells * sizeof *c);
	l = malloc(ncells * sizeof *l);
	if (!c || !l) {
		free(c);
		free(l);
		return 0;   /* out of memory: the row is lost, not the document */
	}
	for (size_t i = 0; i < ncells; i++) {
		l[i] = lens[i];
		c[i] = cells[i] ? emit_trim(cells[i], &l[i]) : "";
		if (!cells[i])
			l[i] = 0;
		any += l[i];
	}
	r = any ? done(e, e->host->sink->table_row(e->host->sink_ctx, c, l, ncells, header)) : 0;
	free(c);
	free(l);
	return r;
}

int emit_meta(struct emit *e, const char *key, const char *s, size_t n)
{
	if (e->stopped)
		return -1;
	s = emit_trim(s, &n);
	if (n == 0)
		return 0;
	if (e->host->sink->meta(e->host->sink_ctx, key, s, n)) {
		e->stopped = 1;
		return -1;
	}
	return 0;
}
