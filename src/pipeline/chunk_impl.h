/* chunk_impl.h: internals shared by the chunker's files (split.c blocks
 * and entry points, chunk_rule.c process rules, chunk_text.c counting and
 * cleaning, chunk_pack.c sentences and packing). Not for other modules. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_CHUNK_IMPL_H
#define QUIRE_CHUNK_IMPL_H

#include <stdint.h>
#include "pipeline/split.h"

#define SPLIT_MAX_UNITS 2000000   /* sentences and rows of one document */
#define SPLIT_SECTION_MAX 200     /* bytes of one heading in a section path */
#define SPLIT_EMBED_MAX 8          /* quire-extract's nesting of embedded documents */

/* A growable string; oom set (and further adds ignored) on a failed grow. */
struct sb {
	char *p;
	size_t n, cap;
	int oom;
};

/* The process rule as the chunker uses it. */
struct split_rule {
	char sep[64];
	size_t sep_len;
	size_t max_tokens, overlap;
	int extra_spaces, urls_emails;
};

/* ---- chunk_text.c --------------------------------------------------------- */

/* Token and word counting one code point at a time (docs/chunking.md). */
struct chunk_counter {
	size_t tokens, words;
	size_t run;          /* letters and digits in the current run */
	int in_word;         /* the current white-space-free run has counted */
};

/* ---- split.c / chunk_pack.c ----------------------------------------------- */

enum chunk_kind { CK_HEADING, CK_PARA, CK_ITEM, CK_ROW };

/* A unit: a sentence (or a piece of a long one) of a heading, paragraph or
 * list item, or a whole table row; a range of the plain text. */
struct chunk_unit {
	size_t b0, b1;        /* bytes in the plain text */
	size_t c0, c1;        /* code points */
	size_t tokens;
	uint32_t group;       /* the heading, paragraph, item or row it is from */
	uint32_t section;     /* index into sections */
	uint32_t page;
	int32_t table;        /* -1 outside tables */
	int32_t header;       /* unit index of its table's header row, -1 none */
	uint8_t kind;         /* enum chunk_kind */
};

struct splitter {
	struct split_rule rule;
	struct sb plain;           /* the rendered blocks */
	size_t plain_cp;
	struct chunk_unit *u;
	size_t nu, capu;
	char **sections;           /* heading paths; sections[0] = "" */
	size_t nsec, capsec;
	char *stack[6];            /* the heading text in force per level */
	/* The body's headings while a part outside its flow (a header, the
	 * footnotes: "part" lines) is read, and the section they were. */
	char *body[6];
	uint32_t body_section;
	int in_part;
	/* The headings and page in force where each embedded document began
	 * (its pages are its own: a workbook's sheets). */
	struct split_frame { char *stack[6]; uint32_t section, page; } embeds[SPLIT_EMBED_MAX];
	unsigned embed_depth;      /* may pass SPLIT_EMBED_MAX: deeper ones are not kept */
	uint32_t cur_section, page, groups;
	int32_t table, table_header, tables;
	int last_kind;             /* kind of the last block, -1 before any */
	int in_fence;              /* plain text: inside a ``` block */
	struct sb tmp, tmp2;
	int too_many;
};

#endif
