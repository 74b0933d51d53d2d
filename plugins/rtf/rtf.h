/* rtf.h: the RTF reader's state, shared by its parts: rtf_parse.c (the
 * tokenizer and the group stack), rtf_words.c (what control words do),
 * rtf_out.c (text through code pages into paragraphs, rows, metadata) and
 * rtf_list.c (list labels from the list tables). */
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
#define RTF_MAX_LISTS 1024    /* \list entries of the list table kept */
#define RTF_MAX_LS 4096       /* \lsN numbers that can name a list override */
#define RTF_LIST_LEVELS 9     /* levels of a list (\listsimple: one) */
#define RTF_LEVEL_TEXT 48     /* bytes of a level's text kept (UTF-8) */
#define RTF_LEVEL_UNITS 64    /* characters of \leveltext or \levelnumbers read */

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
	D_LISTTABLE,   /* \listtable: each \list is a list */
	D_LIST,        /* one \list: its levels and \listid */
	D_LISTLEVEL,   /* one \listlevel (of a list or of an override) */
	D_LEVELUNITS,  /* \leveltext or \levelnumbers: characters collected */
	D_OVERRIDES,   /* \listoverridetable */
	D_OVERRIDE,    /* one \listoverride: \listid, \ls, its \lfolevel groups */
	D_LFOLEVEL,    /* one \lfolevel: a start or a format overridden */
};

/* One level of a list: its number format, start and text. The text is
 * UTF-8 in which the bytes 1..9 stand for the number of level 0..8. */
struct rtf_level {
	int start;                   /* \levelstartatN */
	int nfc, nfcn;               /* \levelnfcN, \levelnfcnN (-1: not given) */
	unsigned char legal;         /* \levellegal1: every number in decimal */
	unsigned char norestart;     /* \levelnorestart1: a higher level does not restart it */
	unsigned char follow;        /* \levelfollowN: 0 tab, 1 space, 2 nothing (read, not
				      * used: a label is always followed by a space) */
	unsigned char has_text;      /* a \leveltext was read */
	char text[RTF_LEVEL_TEXT];
	unsigned char ntext;
};

struct rtf_list {
	int id;                      /* \listidN */
	unsigned char simple;        /* \listsimple1: one level */
	unsigned char nlvl;          /* \listlevel groups read */
	struct rtf_level lvl[RTF_LIST_LEVELS];
	int count[RTF_LIST_LEVELS];  /* the running numbers, shared by its overrides */
	unsigned char started[RTF_LIST_LEVELS];
};

struct rtf_override {
	int listid;                  /* \listidN: the list it is an instance of */
	int list;                    /* its index in r->lists, -1: none, -2: not looked up */
	unsigned char nlfo;          /* \lfolevel groups read */
	unsigned char has_start[RTF_LIST_LEVELS], used[RTF_LIST_LEVELS];
	int start[RTF_LIST_LEVELS];  /* \listoverridestartat with its \levelstartatN */
	unsigned char has_fmt[RTF_LIST_LEVELS];
	struct rtf_level fmt[RTF_LIST_LEVELS];   /* \listoverrideformat's \listlevel */
};

/* Which list-table group a state opened (closed by rtf_list_end). */
enum rtf_list_group {
	LG_NONE, LG_LIST, LG_LEVEL, LG_TEXT, LG_NUMBERS, LG_OVERRIDE, LG_LFOLEVEL,
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
	unsigned char own_list;      /* enum rtf_list_group */
	unsigned char buf;           /* which paragraph buffer text goes to */
	unsigned char intbl;
	signed char outline;         /* \outlinelevelN, -1 none */
	unsigned char ilvl;
	int ls;                      /* \lsN: a list paragraph when > 0 */
	int style;                   /* \sN */
	const char *meta_key;
	const char *part;            /* a side group's part (host->part); NULL: the body */
};

struct rtf {
	struct emit *e;
	const struct quire_host *host;
	const unsigned char *p;
	size_t n, pos;
	int failed;                  /* a quire_result other than QUIRE_OK */
	const char *part_out;        /* the part of the text last written; NULL: the body */
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
	/* list tables (rtf_list.c) */
	struct rtf_list *lists;      /* new, freed by rtf_list_free */
	size_t nlists, alists;
	struct rtf_override *ovs;
	size_t novs, aovs;
	unsigned short lsmap[RTF_MAX_LS + 1];   /* \lsN -> override index + 1 */
	struct rtf_level *lvl;       /* the \listlevel being read, or NULL */
	unsigned lfo_at;             /* the \lfolevel being read: its level */
	int lfo_startat, lfo_start, lfo_format;
	int lfo_level;               /* the \lfolevel has a \listlevel of its own */
	uint32_t units[RTF_LEVEL_UNITS];   /* \leveltext or \levelnumbers read so far */
	unsigned char unit_byte[RTF_LEVEL_UNITS];   /* 1: a code page byte, 0: Unicode */
	unsigned nunits;
	uint32_t ltext[RTF_LEVEL_UNITS];   /* the level's \leveltext, until the level ends */
	unsigned char ltext_byte[RTF_LEVEL_UNITS];
	unsigned nltext, has_ltext;
	unsigned char numbers[RTF_LEVEL_UNITS];   /* its \levelnumbers (1-based positions) */
	unsigned nnumbers, has_numbers;
	struct pbuf numlabel;        /* a label computed from the tables */
	size_t para_at;              /* where the paragraph in a cell starts in bufs[0] */
	int broken;                  /* the paragraph went on past a \page or \column */
	struct rtf_state doc_end;    /* the document group's state as it closed */
	int has_doc_end;
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
