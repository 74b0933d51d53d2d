/* markdown.c: Markdown (CommonMark and GFM tables) to blocks: ATX and
 * setext headings, list items nested by indentation, fenced and indented
 * code as paragraphs with their line breaks, pipe tables as rows (the
 * first a header, the delimiter row skipped), block quotes read as text,
 * HTML blocks with their tags dropped. A reader of the text, not a
 * renderer: what it does not know stays as text. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "mdinline.h"
#include "text.h"
#include "markdown.h"

struct md {
	struct emit *e;
	struct block k;
	struct lstack ls;
	struct pbuf tmp;          /* inline text of the current line or cell */
	char fence;               /* '`' or '~' inside a fenced code block */
	size_t fence_len;
	int icode;                /* inside an indented code block */
	int table;                /* inside a pipe table */
	int html;                 /* inside an HTML block */
};

/* Inline text of l to the current block (a space before it). */
static int md_text(struct md *m, const char *l, size_t n)
{
	pbuf_reset(&m->tmp);
	md_inline(&m->tmp, l, n, m->html, 0);
	if (m->tmp.oom)
		return -1;
	if (block_add(m->e, &m->k, " ", 1))
		return -1;
	return block_add(m->e, &m->k, m->tmp.p ? m->tmp.p : "", m->tmp.n);
}

static size_t fence_run(const char *l, size_t n, char *c)
{
	size_t r = 0;

	if (n < 3 || (l[0] != '`' && l[0] != '~'))
		return 0;
	while (r < n && l[r] == l[0])
		r++;
	if (r < 3 || (l[0] == '`' && memchr(l + r, '`', n - r)))
		return 0;
	*c = l[0];
	return r;
}

/* "---", "* * *", "___": a thematic break. */
static int thematic(const char *l, size_t n)
{
	size_t count = 0;
	char c = n ? l[0] : 0;

	if (c != '-' && c != '*' && c != '_')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (l[i] == c)
			count++;
		else if (l[i] != ' ' && l[i] != '\t')
			return 0;
	}
	return count >= 3;
}

/* A setext underline: 1 for "===", 2 for "---", else 0. */
static int setext(const char *l, size_t n)
{
	size_t i = 0;
	char c = n ? l[0] : 0;

	if (c != '=' && c != '-')
		return 0;
	while (i < n && l[i] == c)
		i++;
	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	return i == n ? (c == '=' ? 1 : 2) : 0;
}

/* Cells of a table line: starts and lengths, the outer pipes dropped. */
static size_t split_cells(const char *l, size_t n, const char **cs, size_t *cl, size_t max)
{
	size_t i = 0, nc = 0, start;

	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	while (n > i && (l[n - 1] == ' ' || l[n - 1] == '\t'))
		n--;
	if (i < n && l[i] == '|')
		i++;
	if (n > i && l[n - 1] == '|' && (n < 2 || l[n - 2] != '\\'))
		n--;
	start = i;
	for (; i <= n && nc < max; i++) {
		if (i < n && l[i] == '\\') {
			i++;
			continue;
		}
		if (i == n || l[i] == '|') {
			cs[nc] = l + start;
			cl[nc++] = i - start;
			start = i + 1;
		}
	}
	return nc;
}

#define MD_MAX_CELLS 1024

static int delimiter_row(const char *l, size_t n)
{
	const char *cs[MD_MAX_CELLS];
	size_t cl[MD_MAX_CELLS], nc;

	if (!memchr(l, '-', n))
		return 0;
	nc = split_cells(l, n, cs, cl, MD_MAX_CELLS);
	for (size_t c = 0; c < nc; c++) {
		size_t k = cl[c];
		const char *s = emit_trim(cs[c], &k);
		size_t i = 0;
		if (i < k && s[i] == ':')
			i++;
		if (i >= k || s[i] != '-')
			return 0;
		while (i < k && s[i] == '-')
			i++;
		if (i < k && s[i] == ':')
			i++;
		if (i != k)
			return 0;
	}
	return nc > 0 && (memchr(l, '|', n) || nc > 1);
}

static int md_row(struct md *m, const char *l, size_t n, int header)
{
	const char *cs[MD_MAX_CELLS], *ptr[MD_MAX_CELLS];
	size_t cl[MD_MAX_CELLS], off[MD_MAX_CELLS], len[MD_MAX_CELLS];
	size_t nc = split_cells(l, n, cs, cl, MD_MAX_CELLS);

	pbuf_reset(&m->tmp);
	for (size_t c = 0; c < nc; c++) {
		off[c] = m->tmp.n;
		md_inline(&m->tmp, cs[c], cl[c], 0, 0);
		len[c] = m->tmp.n - off[c];
	}
	if (m->tmp.oom)
		return -1;
	for (size_t c = 0; c < nc; c++)
		ptr[c] = m->tmp.p ? m->tmp.p + off[c] : "";
	return emit_row(m->e, ptr, len, nc, header);
}

/* The level of an ATX heading ("## Title"), else 0. */
static int atx_level(const char *l, size_t n)
{
	size_t level = 0;

	while (level < n && l[level] == '#')
		level++;
	if (level == 0 || level > 6 || (level < n && l[level] != ' ' && l[level] != '\t'))
		return 0;
	return (int)level;
}

/* Code block lines: kept as they are, one per line. */
static int md_code_line(struct md *m, const char *l, size_t n)
{
	if (m->k.b.n > 0 && block_add(m->e, &m->k, "\n", 1))
		return -1;
	return block_add(m->e, &m->k, l, n);
}

static int md_fenced(struct md *m, const char *l, size_t n)
{
	size_t col, ind = line_indent(l, n, &col);
	char c;
	size_t r = col <= 3 ? fence_run(l + ind, n - ind, &c) : 0;

	if (r >= m->fence_len && c == m->fence && line_blank(l + ind + r, n - ind - r)) {
		m->fence = 0;
		return block_flush(m->e, &m->k);
	}
	return md_code_line(m, l, n);
}

/* A line that starts a block of its own; 1 when it was handled. */
static int md_block_start(struct md *m, const char *l, size_t n, size_t col, int *err)
{
	int level;
	char c;
	size_t r;

	if (col > 3)
		return 0;
	if ((r = fence_run(l, n, &c))) {
		*err = block_flush(m->e, &m->k);
		m->fence = c;
		m->fence_len = r;
		block_start(&m->k, BLOCK_CODE, 0);
		return 1;
	}
	if ((level = atx_level(l, n))) {
		size_t len = n - (size_t)level, k;
		const char *t = l + level;
		while (len > 0 && (t[len - 1] == ' ' || t[len - 1] == '\t'))
			len--;
		for (k = len; k > 0 && t[k - 1] == '#'; k--)
			;
		if (k < len && (k == 0 || t[k - 1] == ' ' || t[k - 1] == '\t'))
			len = k;
		*err = block_flush(m->e, &m->k);
		m->ls.depth = 0;
		block_start(&m->k, BLOCK_HEADING, (unsigned)level);
		if (!*err)
			*err = md_text(m, t, len);
		if (!*err)
			*err = block_flush(m->e, &m->k);
		return 1;
	}
	if (m->k.kind == BLOCK_PARA && m->k.b.n > 0 && (level = setext(l, n))) {
		m->k.kind = BLOCK_HEADING;
		m->k.level = (unsigned)level;
		*err = block_flush(m->e, &m->k);
		return 1;
	}
	if (thematic(l, n)) {
		*err = block_flush(m->e, &m->k);
		return 1;
	}
	return 0;
}

static int md_list_item(struct md *m, const char *l, size_t n, size_t col, size_t mk)
{
	unsigned level;

	if (block_flush(m->e, &m->k))
		return -1;
	level = lstack_push(&m->ls, col, col + mk);
	block_start(&m->k, BLOCK_ITEM, level);
	return md_text(m, l + mk, n - mk);
}

/* A line outside code blocks and tables. */
static int md_line(struct md *m, const char *l, size_t n, const char *next, size_t nextlen)
{
	size_t col, ind = line_indent(l, n, &col), mk;
	int err = 0;

	if (m->icode && col < 4) {
		m->icode = 0;
		if (block_flush(m->e, &m->k))
			return -1;
	}
	if (m->icode || (col >= 4 && m->k.kind == BLOCK_NONE && m->ls.depth == 0)) {
		if (!m->icode)
			block_start(&m->k, BLOCK_CODE, 0);
		m->icode = 1;
		return md_code_line(m, l + (ind < 4 ? ind : 4), n - (ind < 4 ? ind : 4));
	}
	l += ind;
	n -= ind;
	if (md_block_start(m, l, n, col, &err))
		return err;
	if (next && memchr(l, '|', n) && delimiter_row(next, nextlen)) {
		if (block_flush(m->e, &m->k))
			return -1;
		m->table = 2;   /* the delimiter row comes next and is skipped */
		return md_row(m, l, n, 1);
	}
	if (m->k.kind == BLOCK_NONE && n > 1 && l[0] == '<' &&
	    (l[1] == '/' || l[1] == '!' || ((l[1] | 0x20) >= 'a' && (l[1] | 0x20) <= 'z')))
		m->html = 1;
	if (!m->html && (mk = list_marker(l, n, 0)))
		return md_list_item(m, l, n, col, mk);
	if (m->k.kind == BLOCK_NONE) {
		if (m->ls.depth > 0 && col < m->ls.content[0])
			m->ls.depth = 0;
		block_start(&m->k, BLOCK_PARA, 0);
	}
	return md_text(m, l, n);
}

/* Leading "> " markers of block quotes. */
static void strip_quote(const char **l, size_t *n)
{
	for (;;) {
		size_t col, ind = line_indent(*l, *n, &col);
		if (col > 3 || ind >= *n || (*l)[ind] != '>')
			return;
		ind++;
		if (ind < *n && (*l)[ind] == ' ')
			ind++;
		*l += ind;
		*n -= ind;
	}
}

static int md_next(struct md *m, struct lines *it, const char *l, size_t n)
{
	struct lines peek = *it;
	const char *next = NULL;
	size_t nextlen = 0;

	if (m->fence)
		return md_fenced(m, l, n);
	strip_quote(&l, &n);
	if (line_blank(l, n)) {
		m->table = 0;
		m->html = 0;
		if (m->icode)
			return md_code_line(m, "", 0);
		return block_flush(m->e, &m->k);
	}
	if (m->table == 2) {
		m->table = 1;
		return 0;
	}
	if (m->table)
		return md_row(m, l, n, 0);
	if (lines_next(&peek, &next, &nextlen))
		strip_quote(&next, &nextlen);
	else
		next = NULL;
	return md_line(m, l, n, next, nextlen);
}

enum quire_result text_markdown(struct emit *e, const char *s, size_t n)
{
	struct md m = { .e = e };
	struct lines it = { .s = s, .n = n };
	const char *l;
	size_t len;
	int r = 0;

	pbuf_init(&m.k.b, (size_t)-1 / 2);
	pbuf_init(&m.tmp, (size_t)-1 / 2);
	while (r == 0 && lines_next(&it, &l, &len))
		r = md_next(&m, &it, l, len);
	if (r == 0)
		r = block_flush(e, &m.k);
	pbuf_free(&m.k.b);
	pbuf_free(&m.tmp);
	return r ? block_result(e) : QUIRE_OK;
}
