/* plain.c: plain text to blocks. Paragraphs end at blank lines and their
 * lines are joined with a space; a line that starts with a list marker
 * ("- ", "* ", "• ", "1. ") starts a list item (nested by indentation),
 * and lines indented under it continue the item. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "text.h"
#include "plain.h"

struct plain {
	struct emit *e;
	struct block k;
	struct lstack ls;
	size_t item_col;   /* the text column of the current item */
};

static int plain_line(struct plain *p, const char *l, size_t n)
{
	size_t col, ind = line_indent(l, n, &col);
	size_t m = list_marker(l + ind, n - ind, 1);

	if (m) {
		unsigned level;

		if (block_flush(p->e, &p->k))
			return -1;
		level = lstack_push(&p->ls, col, col + m);
		p->item_col = col + m;
		block_start(&p->k, BLOCK_ITEM, level);
		return block_add(p->e, &p->k, l + ind + m, n - ind - m);
	}
	if (p->k.kind == BLOCK_ITEM && col < p->item_col) {
		/* back at the margin: the list is over */
		if (block_flush(p->e, &p->k))
			return -1;
	}
	if (p->k.kind == BLOCK_NONE) {
		p->ls.depth = 0;
		block_start(&p->k, BLOCK_PARA, 0);
	}
	if (block_add(p->e, &p->k, " ", 1))
		return -1;
	return block_add(p->e, &p->k, l + ind, n - ind);
}

enum quire_result text_plain(struct emit *e, const char *s, size_t n)
{
	struct plain p = { .e = e };
	struct lines it = { .s = s, .n = n };
	const char *l;
	size_t len;
	int r = 0;

	pbuf_init(&p.k.b, (size_t)-1 / 2);
	while (r == 0 && lines_next(&it, &l, &len)) {
		if (line_blank(l, len))
			r = block_flush(e, &p.k);
		else
			r = plain_line(&p, l, len);
	}
	if (r == 0)
		r = block_flush(e, &p.k);
	pbuf_free(&p.k.b);
	return r ? block_result(e) : QUIRE_OK;
}
