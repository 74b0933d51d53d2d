/* rtf.h: the RTF reader's state, shared by its parts: rtf_parse.c (the
 * tokenizer and the group stack), rtf_words.c (what control words do) and
 * rtf_out.c (text through code pages into paragraphs, rows, metadata). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGIN_RTF_H
#define QUIRE_PLUGIN_RTF_H

#include <stddef.h>
#include <stdint.h>

#include "../common/conv.h"
#include "../common/emit.h"
#include "../common/sbuf.h"

#define RTF_MAX_DEPTH 256       /* deeper nesting: QUIRE_CORRUPT */
#define RTF_MAX_WORD 32         /* letters of a control word kept */
#define RTF_MAX_FONTS 32768     /* font numbers with a code page of their own */
#define RTF_MAX_STYLES 4096     /* style numbers that can be headings */
#define RTF_MAX_CELLS 4096      /* cells of a row kept apart */
#define RTF_MAX_UC 64           /* \ucN: fallback characters skipped at most */
#define RTF_LEVELS 4            /* paragraph buffers: body, footnote, ... */
#define RTF_FLUSH_AT ((size_t)1 << 20)
#define RTF_NCONV 8
#define RTF_SYMBOL_CP 42      /* \fcharset2: a symbol font's "code page" */

/* What text in a group is for. */
enum rtf_dest {
	D_TEXT,        /* body text (or a footnote, header, annotation) */
	D_SKIP,        /* ignored: pictures, tables of fonts and colours, ... */
	D_FONTTBL,     /* \fonttbl: font numbers and charsets */
	D_STYLESHEET,  /* \stylesheet: each child group is one style */
	D_STYLE,       /* one style: number, outline level, name */
	D_INFO,        /* \info: only its \title, \author... are read */
	D_META,        /* one \info field, collected for the sink */
	D_LABEL,       /* \listtext, \pntext: the list label as the author sees it */
};

/* Group state: character, paragraph and destination properties, copied
 * into a new group and restored when it ends. */
struct rtf_state {
	int font;
	int uc;
	unsigned char dest, saved_dest;
	unsigned char hidden, deleted;
	unsigned char star;          /* {\* seen: an unknown destination follows */
	unsigned char upr, upr_child;
	unsigned char own_meta, own_buf, own_style, own_label;
	unsigned char buf;           /* which paragraph buffer text goes to */
	unsigned char intbl;
	signed char outline;         /* \outlinelevelN, -1 none */
	unsigned char ilvl;
	int ls;                      /* \lsN: a list paragraph when > 0 */
	int style;                   /* \sN */
	const char *meta_key;
};

struct rtf {
	struct emit *e;
	const struct quire_host *host;
	const unsigned char *p;
	size_t n, pos;
	int failed;                  /* a quire_result other than QUIRE_OK */
	int ended;                   /* the outermost group closed */
	struct rtf_state st[RTF_MAX_DEPTH + 1];
	unsigned depth;
	int skip_n;                  /* fallback characters after \u still to skip */
	int group_start;             /* nothing read since the last '{' (\* counts only here) */
	uint32_t hi;                 /* a high surrogate waiting for its pair */
	/* document */
	int ansicpg, deff, fontdef;
	int fontcp[RTF_MAX_FONTS];   /* code page per font, -1: the document's */
	unsigned char stylelevel[RTF_MAX_STYLES];
	int style_num, style_outline;
	struct pbuf style_name;
	/* text */
	struct pbuf bufs[RTF_LEVELS];
	struct pbuf meta;
	struct pbuf label;           /* the next paragraph's list label */
	unsigned label_buf;          /* the paragraph buffer it belongs to */
	size_t label_at;             /* where its paragraph starts in that buffer */
	struct pbuf line;            /* label and paragraph joined */
	unsigned char bytes[64];     /* code page bytes not converted yet */
	size_t nbytes;
	int bytes_cp;
	struct { int cp, ok; struct conv c; } conv[RTF_NCONV];
	unsigned nconv, evict;
	/* the table row being read */
	struct pbuf cells;
	size_t off[RTF_MAX_CELLS], ncells;
	int trhdr;
	int wrote_row;
};

static inline struct rtf_state *rtf_cur(struct rtf *r)
{
	return &r->st[r->depth];
}

#endif
