/* csv.c: CSV and TSV to table rows (RFC 4180 quoting: quoted fields may
 * hold delimiters, doubled quotes and line breaks). The first row is the
 * header. A CSV file's delimiter is sniffed from its first lines: the one
 * of comma, semicolon, tab and pipe found the same number of times on the
 * most lines. Malformed quoting is read leniently, never refused. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "csv.h"

#define CSV_SNIFF_LINES 20

/* How often d occurs outside quotes on each of the first lines; the score
 * counts the lines that agree with the first one. */
static long delimiter_score(const char *s, size_t n, char d)
{
	size_t counts[CSV_SNIFF_LINES], lines = 0, cur = 0, i, agree = 0;
	int quoted = 0;

	for (i = 0; i < n && lines < CSV_SNIFF_LINES; i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted && s[i] == d)
			cur++;
		else if (!quoted && (s[i] == '\n' || s[i] == '\r')) {
			if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')
				i++;
			counts[lines++] = cur;
			cur = 0;
		}
	}
	if (i == n && lines < CSV_SNIFF_LINES && cur > 0)
		counts[lines++] = cur;
	if (lines == 0 || counts[0] == 0)
		return 0;
	for (size_t l = 0; l < lines; l++)
		agree += counts[l] == counts[0];
	return (long)agree * 100 + (long)(counts[0] < 99 ? counts[0] : 99);
}

char text_csv_delimiter(const char *s, size_t n)
{
	static const char cands[] = { ',', '\t', ';', '|' };
	char best = ',';
	long best_score = 0;

	for (size_t c = 0; c < sizeof cands; c++) {
		long sc = delimiter_score(s, n, cands[c]);
		if (sc > best_score) {
			best_score = sc;
			best = cands[c];
		}
	}
	return best;
}

struct record {
	struct pbuf text;         /* the cells, one after another */
	size_t *off, *len, n, cap;
	const char **ptr;
};

static int cell_end(struct record *r, size_t start)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		size_t *off = realloc(r->off, cap * sizeof *off);
		if (off)
			r->off = off;
		size_t *len = realloc(r->len, cap * sizeof *len);
		if (len)
			r->len = len;
		const char **ptr = realloc(r->ptr, cap * sizeof *ptr);
		if (ptr)
			r->ptr = ptr;
		if (!off || !len || !ptr)
			return -1;
		r->cap = cap;
	}
	r->off[r->n] = start;
	r->len[r->n] = r->text.n - start;
	r->n++;
	return 0;
}

/* One record from s at *pos into r; returns -1 when memory runs out. */
static int read_record(const char *s, size_t n, size_t *pos, char d, struct record *r)
{
	size_t i = *pos, start = 0;
	int quoted = 0, err = 0, ended = 0;

	r->n = 0;
	pbuf_reset(&r->text);
	if (i < n && s[i] == '"')
		quoted = 1, i++;
	while (i < n && !err) {
		char c = s[i];
		if (quoted) {
			if (c == '"' && i + 1 < n && s[i + 1] == '"')
				err = pbuf_addc(&r->text, '"'), i += 2;
			else if (c == '"')
				quoted = 0, i++;
			else
				err = pbuf_addc(&r->text, c), i++;
			continue;
		}
		if (c == d || c == '\n' || c == '\r') {
			err = cell_end(r, start);
			start = r->text.n;
			i++;
			if (c != d) {
				if (c == '\r' && i < n && s[i] == '\n')
					i++;
				ended = 1;
				break;
			}
			if (i < n && s[i] == '"')
				quoted = 1, i++;
			continue;
		}
		err = pbuf_addc(&r->text, c), i++;
	}
	if (!err && !ended)
		err = cell_end(r, start);
	*pos = i;
	return err ? -1 : 0;
}

static int record_blank(const struct record *r)
{
	for (size_t c = 0; c < r->n; c++)
		if (r->len[c])
			return 0;
	return 1;
}

enum quire_result text_csv(struct emit *e, const char *s, size_t n, char delim)
{
	struct record r;
	size_t pos = 0;
	int header = 1, err = 0;

	memset(&r, 0, sizeof r);
	pbuf_init(&r.text, (size_t)-1 / 2);
	if (!delim)
		delim = text_csv_delimiter(s, n);
	while (pos < n && !err) {
		err = read_record(s, n, &pos, delim, &r);
		if (err || record_blank(&r))
			continue;
		for (size_t c = 0; c < r.n; c++)
			r.ptr[c] = r.text.p + r.off[c];
		err = emit_row(e, r.ptr, r.len, r.n, header);
		header = 0;
	}
	pbuf_free(&r.text);
	free(r.off);
	free(r.len);
	free(r.ptr);
	return err ? block_result(e) : QUIRE_OK;
}
