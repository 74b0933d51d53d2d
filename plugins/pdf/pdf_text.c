/* pdf_text.c: paragraph splitting of a PDF page's text. */
#include <stdlib.h>
#include <string.h>

#include "pdf_text.h"

int pdf_has_text(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (text[i] != ' ' && text[i] != '\t' && text[i] != '\n' && text[i] != '\r' &&
		    text[i] != '\f' && text[i] != '\v')
			return 1;
	return 0;
}

/* Is the line [p, end) blank (spaces, tabs, CR only)? */
static int blank_line(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r')
			return 0;
	return 1;
}

static enum quire_result flush(const struct quire_host *host, char *buf, size_t *n, int *wrote)
{
	size_t len = *n;

	while (len && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		len--;
	*n = 0;
	if (!pdf_has_text(buf, len))
		return QUIRE_OK;
	*wrote = 1;
	return host->sink->paragraph(host->sink_ctx, buf, len) ? QUIRE_TOO_LARGE : QUIRE_OK;
}

enum quire_result pdf_emit_paragraphs(const struct quire_host *host, const char *text, size_t len,
				      int *wrote)
{
	/* The paragraph is never longer than the page text. */
	char *buf = malloc(len + 1);
	const char *p = text, *end = text + len;
	size_t n = 0;
	enum quire_result r = QUIRE_OK;

	if (!buf)
		return QUIRE_ERROR;
	while (p < end && r == QUIRE_OK) {
		const char *nl = p;

		while (nl < end && *nl != '\n' && *nl != '\f')
			nl++;
		if (blank_line(p, nl) || (nl < end && *nl == '\f')) {
			if (!blank_line(p, nl)) {
				if (n)
					buf[n++] = ' ';
				memcpy(buf + n, p, (size_t)(nl - p));
				n += (size_t)(nl - p);
			}
			r = flush(host, buf, &n, wrote);
		} else {
			const char *q = p;

			while (q < nl && (*q == ' ' || *q == '\t'))
				q++;  /* leading indentation of a continuation line */
			if (n)
				buf[n++] = ' ';
			else
				q = p;
			memcpy(buf + n, q, (size_t)(nl - q));
			n += (size_t)(nl - q);
			while (n && buf[n - 1] == '\r')
				n--;
		}
		p = nl < end ? nl + 1 : end;
	}
	if (r == QUIRE_OK)
		r = flush(host, buf, &n, wrote);
	free(buf);
	return r;
}

char *pdf_mark_paragraphs(const char *text, size_t len, const char *gaps, const double *tops,
			  const double *bottoms, size_t nlines)
{
	char *out = malloc(2 * len + 1);
	size_t n = 0, line = 0;

	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (gaps && gaps[i])
			out[n++] = ' ';
		out[n++] = text[i];
		if (text[i] != '\n')
			continue;
		if (line + 1 < nlines && bottoms[line] > tops[line] && bottoms[line + 1] > tops[line + 1]) {
			double h = bottoms[line] - tops[line];
			double gap = tops[line + 1] - bottoms[line];

			if (gap > 0.7 * h || tops[line + 1] < tops[line] - 0.5 * h)
				out[n++] = '\n';
		}
		line++;
	}
	out[n] = '\0';
	return out;
}
