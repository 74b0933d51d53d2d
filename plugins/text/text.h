/* text.h: the parts of the text plugin (plain text, Markdown, CSV/TSV),
 * each reading UTF-8 text already decoded by text.c. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGIN_TEXT_H
#define QUIRE_PLUGIN_TEXT_H

#include <stddef.h>

#include "../common/emit.h"
#include "../common/sbuf.h"

/* A block longer than this is written out in pieces, so one endless line
 * never holds more than this much memory. */
#define TEXT_FLUSH_AT ((size_t)1 << 20)
/* Nesting levels of lists that are told apart. */
#define TEXT_MAX_LEVELS 16

/* Lines of s, ended by \n, \r\n or \r (not included in the line). */
struct lines {
	const char *s;
	size_t n, pos;
};
int lines_next(struct lines *it, const char **line, size_t *len);
/* Bytes of leading blanks of a line; *col is the column after them (tabs
 * to multiples of 4). */
size_t line_indent(const char *l, size_t n, size_t *col);
int line_blank(const char *l, size_t n);

/* A list marker at l ("- ", "* ", "+ ", "1. ", "2) ", and with `bullets`
 * also "• " and friends): its length with the blanks after it, else 0. */
size_t list_marker(const char *l, size_t n, int bullets);

/* Nesting of list items by indentation. */
struct lstack {
	size_t content[TEXT_MAX_LEVELS];
	unsigned depth;
};
/* The level (1-based) of an item whose marker is at column `indent` and
 * whose text starts at column `content`. */
unsigned lstack_push(struct lstack *s, size_t indent, size_t content);

/* The block being built: a paragraph or a list item. */
enum block_kind { BLOCK_NONE, BLOCK_PARA, BLOCK_ITEM, BLOCK_HEADING, BLOCK_CODE };
struct block {
	struct pbuf b;
	enum block_kind kind;
	unsigned level;
};
/* Write the block out (if it has text) and empty it; 0 or -1 (stopped). */
int block_flush(struct emit *e, struct block *k);
void block_start(struct block *k, enum block_kind kind, unsigned level);
/* Add text (white space collapsed); a long block is flushed in pieces.
 * Returns 0, or -1 (stopped or out of memory: see e->stopped). */
int block_add(struct emit *e, struct block *k, const char *s, size_t n);
enum quire_result block_result(const struct emit *e);

#endif
