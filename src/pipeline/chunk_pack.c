/* chunk_pack.c: blocks of the plain text cut into units (sentences, pieces
 * of a sentence at spaces, whole table rows) and units packed into chunks
 * within max_tokens, with whole-unit overlap and repeated table headers
 * (docs/chunking.md). Everything here is linear in the text's length. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "pipeline/chunk_impl.h"
#include "pipeline/chunk_text.h"
#include "pipeline/chunk_pack.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- units ------------------------------------------------------------------ */

int chunk_unit_add(struct splitter *sp, enum chunk_kind kind, size_t b0, size_t b1, size_t c0)
{
	if (sp->nu >= SPLIT_MAX_UNITS) {
		sp->too_many = 1;
		return -1;
	}
	if (sp->nu == sp->capu) {
		size_t cap = sp->capu ? sp->capu * 2 : 256;
		struct chunk_unit *p = realloc(sp->u, cap * sizeof *p);
		if (!p)
			return -1;
		sp->u = p;
		sp->capu = cap;
	}
	struct chunk_unit *u = &sp->u[sp->nu++];
	size_t words;
	u->b0 = b0;
	u->b1 = b1;
	u->c0 = c0;
	u->c1 = c0 + chunk_cps(sp->plain.p + b0, b1 - b0);
	split_count(sp->plain.p + b0, b1 - b0, &u->tokens, &words);
	u->group = sp->groups;
	u->section = sp->cur_section;
	u->page = sp->page;
	u->kind = (uint8_t)kind;
	u->table = kind == CK_ROW ? sp->table : -1;
	u->header = kind == CK_ROW ? sp->table_header : -1;
	return 0;
}

static const char *const abbreviations[] = {
	"e.g.", "i.e.", "etc.", "vs.", "mr.", "mrs.", "ms.", "dr.", "prof.", "no.", "fig.",
	"st.", "inc.", "ltd.", "jr.", "sr.", "approx.", "cf.", "al.", "z.b.", "bzw.", "ca.",
	"resp.", "vol.", "p.", "pp.", "nr.", "mt.", NULL,
};

/* 1 when the '.' at s[i] ends an abbreviation or a single initial ("J."). */
static int abbreviation(const char *s, size_t from, size_t i)
{
	size_t w = i;
	while (w > from && !isspace((unsigned char)s[w - 1]) && s[w - 1] != '(')
		w--;
	size_t len = i + 1 - w;
	if (len == 2 && isupper((unsigned char)s[w]))
		return 1;
	for (int k = 0; abbreviations[k]; k++)
		if (len == strlen(abbreviations[k]) && !strncasecmp(s + w, abbreviations[k], len))
			return 1;
	return 0;
}

static int is_closer(unsigned cp)
{
	return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == 0xbb || cp == 0x2019 ||
	       cp == 0x201d || cp == 0x300d || cp == 0x300f || cp == 0xff09;
}

/* End (exclusive, bytes) of the sentence that starts at i in s[.., n):
 * after ". ", "! ", "? " (closing quotes and brackets kept with it; not
 * after an abbreviation) or after 。！？ and the like; n when none. */
static size_t sentence_end(const char *s, size_t from, size_t n, size_t i)
{
	size_t len;
	while (i < n) {
		unsigned cp = chunk_utf8(s, n, i, &len);
		size_t j = i + len;
		int ascii = cp == '.' || cp == '!' || cp == '?' || cp == 0x2026 || cp == 0x203c;
		int wide = cp == 0x3002 || cp == 0xff01 || cp == 0xff1f || cp == 0xff0e;
		if (!ascii && !wide) {
			i = j;
			continue;
		}
		unsigned next = 0;
		while (j < n) {   /* "?!", "...", closing quotes */
			next = chunk_utf8(s, n, j, &len);
			if (next != '.' && next != '!' && next != '?' && !is_closer(next) &&
			    next != 0x3002 && next != 0xff01 && next != 0xff1f)
				break;
			j += len;
		}
		if (j == n)
			return n;
		if (wide || (chunk_is_space(next) && !(cp == '.' && j == i + 1 &&
							abbreviation(s, from, i))))
			return j;
		i = j;
	}
	return n;
}

/* A white-space-free run longer than max tokens, cut on code points into
 * pieces within max; the last piece is left for the caller: *rest. */
static int cut_word(struct splitter *sp, enum chunk_kind kind, size_t i, size_t k, size_t *c,
		    size_t *rest)
{
	const char *s = sp->plain.p;
	size_t max = sp->rule.max_tokens, len, from = i;
	struct chunk_counter cc = {0};
	while (i < k) {
		unsigned cp = chunk_utf8(s, k, i, &len);
		chunk_count_cp(&cc, cp);
		if (cc.tokens > max && i > from) {
			if (chunk_unit_add(sp, kind, from, i, *c) < 0)
				return -1;
			*c = sp->u[sp->nu - 1].c1;
			from = i;
			memset(&cc, 0, sizeof cc);
			chunk_count_cp(&cc, cp);
		}
		i += len;
	}
	*rest = from;
	return 0;
}

static size_t skip_space(const char *s, size_t n, size_t i, size_t *c)
{
	size_t len;
	while (i < n && chunk_is_space(chunk_utf8(s, n, i, &len))) {
		i += len;
		(*c)++;
	}
	return i;
}

/* A sentence s[i, e) longer than max tokens: greedy pieces at white space. */
static int add_pieces(struct splitter *sp, enum chunk_kind kind, size_t i, size_t e, size_t c)
{
	const char *s;
	size_t max = sp->rule.max_tokens, start = i, start_c = c, last = i, tok = 0, len;
	while (i < e) {
		s = sp->plain.p;
		size_t k = i, wt, ww, kc = c;
		while (k < e && !chunk_is_space(chunk_utf8(s, e, k, &len)))
			k += len;
		split_count(s + i, k - i, &wt, &ww);
		if (wt > max) {
			if (last > start && chunk_unit_add(sp, kind, start, last, start_c) < 0)
				return -1;
			size_t rest;
			if (cut_word(sp, kind, i, k, &c, &rest) < 0)
				return -1;
			start = rest;
			start_c = c;
			split_count(s + rest, k - rest, &tok, &ww);
		} else if (tok + wt > max) {
			if (chunk_unit_add(sp, kind, start, last, start_c) < 0)
				return -1;
			start = i;
			start_c = c;
			tok = wt;
		} else {
			tok += wt;
		}
		last = k;
		c = kc + chunk_cps(s + i, k - i);
		i = skip_space(s, e, k, &c);
	}
	return last > start ? chunk_unit_add(sp, kind, start, last, start_c) : 0;
}

int chunk_units(struct splitter *sp, enum chunk_kind kind, size_t b0, size_t b1, size_t c0)
{
	if (kind == CK_ROW)
		return chunk_unit_add(sp, kind, b0, b1, c0);
	size_t i = b0, c = c0;
	while (i < b1) {
		const char *s = sp->plain.p;
		size_t e = sentence_end(s, b0, b1, i), end = e, len, tok, words;
		/* the sentence without its trailing white space */
		while (end > i) {
			size_t k = end - 1;
			while (k > i && ((unsigned char)s[k] & 0xc0) == 0x80)
				k--;
			if (!chunk_is_space(chunk_utf8(s, end, k, &len)))
				break;
			end = k;
		}
		split_count(s + i, end - i, &tok, &words);
		int rc = tok <= sp->rule.max_tokens ? chunk_unit_add(sp, kind, i, end, c)
						    : add_pieces(sp, kind, i, end, c);
		if (rc < 0)
			return -1;
		c += chunk_cps(s + i, end - i);
		i = skip_space(s, b1, end, &c);
	}
	return 0;
}

/* ---- packing ---------------------------------------------------------------- */

/* The chunk being built: units [first, first + n), after a repeated table
 * header (unit index) when header >= 0. */
struct pack {
	size_t first, n, tokens;
	long header;
	int content;          /* holds a unit that is not a heading */
	size_t cap;           /* of out->v */
};

/* The section of a chunk: the path in force at its first text (leading
 * headings included), else at its last heading. */
static uint32_t pack_section(const struct splitter *sp, const struct pack *p)
{
	for (size_t k = p->first; k < p->first + p->n; k++)
		if (sp->u[k].kind != CK_HEADING)
			return sp->u[k].section;
	return sp->u[p->first + p->n - 1].section;
}

/* The page starts inside a chunk whose units run over pages: a mark at
 * each unit whose page differs from the one before (text0: the byte of
 * the chunk's text where its first unit starts). -1 when memory is out. */
static int page_marks(const struct splitter *sp, const struct pack *p, size_t text0,
		      struct split_chunk *c)
{
	const struct chunk_unit *a = &sp->u[p->first];
	size_t n = 1;
	for (size_t k = p->first + 1; k < p->first + p->n; k++)
		n += sp->u[k].page != sp->u[k - 1].page;
	if (!(c->pages = malloc(n * sizeof *c->pages)))
		return -1;
	c->pages[0].off = 0;
	c->pages[0].page = a->page;
	c->npages = 1;
	for (size_t k = p->first + 1; k < p->first + p->n; k++)
		if (sp->u[k].page != sp->u[k - 1].page) {
			c->pages[c->npages].off = text0 + (sp->u[k].b0 - a->b0);
			c->pages[c->npages++].page = sp->u[k].page;
		}
	return 0;
}

static int emit(struct splitter *sp, struct pack *p, struct split_result *out)
{
	if (p->n == 0)
		return 0;
	if (out->n == SPLIT_MAX_CHUNKS) {
		sp->too_many = 1;
		return -1;
	}
	if (out->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct split_chunk *v = realloc(out->v, cap * sizeof *v);
		if (!v)
			return -1;
		out->v = v;
		p->cap = cap;
	}
	const struct chunk_unit *a = &sp->u[p->first], *b = &sp->u[p->first + p->n - 1];
	struct sb t = {0};
	if (p->header >= 0) {
		const struct chunk_unit *h = &sp->u[p->header];
		sb_add(&t, sp->plain.p + h->b0, h->b1 - h->b0);
		sb_add(&t, "\n", 1);
	}
	size_t text0 = t.n;   /* where unit a starts in the chunk's text */
	sb_add(&t, sp->plain.p + a->b0, b->b1 - a->b0);
	struct split_chunk *c = &out->v[out->n];
	memset(c, 0, sizeof *c);
	if (a->page != b->page && page_marks(sp, p, text0, c) < 0) {
		free(t.p);
		return -1;
	}
	c->section = strdup(sp->sections[pack_section(sp, p)]);
	if (t.oom || !c->section) {
		free(t.p);
		free(c->section);
		free(c->pages);
		c->pages = NULL;
		return -1;
	}
	c->text = t.p;
	c->page = a->page;
	c->start = a->c0;
	c->end = b->c1;
	split_count(t.p, t.n, &c->tokens, &c->words);
	out->n++;
	return 0;
}

/* Tokens of the group that starts at unit i, counted up to max + 1. */
static size_t group_tokens(const struct splitter *sp, size_t i)
{
	size_t tok = 0, max = sp->rule.max_tokens;
	for (size_t k = i; k < sp->nu && sp->u[k].group == sp->u[i].group && tok <= max; k++)
		tok += sp->u[k].tokens;
	return tok;
}

/* After a cut for size, before unit i whose group needs need tokens: keep
 * the previous chunk's trailing whole units (never a heading, never all of
 * it) within the overlap and what need leaves of max; repeat i's table
 * header when it continues a table. */
static void carry(const struct splitter *sp, struct pack *p, size_t i, size_t need)
{
	const struct chunk_unit *u = &sp->u[i];
	size_t max = sp->rule.max_tokens, budget = sp->rule.overlap, keep = 0, tok = 0;
	long header = -1;
	if (u->kind == CK_ROW && u->header >= 0 && sp->u[u->header].tokens <= max / 2)
		header = u->header;
	size_t used = need + (header >= 0 ? sp->u[header].tokens : 0);
	budget = used >= max ? 0 : budget < max - used ? budget : max - used;
	while (keep + 1 < p->n) {
		const struct chunk_unit *v = &sp->u[p->first + p->n - 1 - keep];
		if (v->kind == CK_HEADING || tok + v->tokens > budget ||
		    (header >= 0 && (v->table != u->table || (long)(v - sp->u) <= header)))
			break;
		tok += v->tokens;
		keep++;
	}
	p->first = p->first + p->n - keep;
	p->n = keep;
	p->tokens = tok + (header >= 0 ? sp->u[header].tokens : 0);
	p->header = header;
	p->content = keep > 0;
}

/* 1 when the chunk must end before unit i; *need gets what i's group
 * needs in the next chunk. */
static int must_cut(const struct splitter *sp, const struct pack *p, size_t i, size_t *need)
{
	const struct chunk_unit *u = &sp->u[i];
	size_t max = sp->rule.max_tokens;
	int start = i == 0 || sp->u[i - 1].group != u->group;
	size_t group = start ? group_tokens(sp, i) : 0;
	*need = u->tokens;
	if (p->n == 0)
		return 0;
	if (start && group <= max && p->content) {
		*need = group;
		return p->tokens + group > max;   /* keep a paragraph whole */
	}
	if (start && group > max && p->content && p->tokens >= max / 2)
		return 1;   /* a long paragraph starts afresh in a chunk half full */
	return p->tokens + u->tokens > max;
}

int chunk_pack(struct splitter *sp, struct split_result *out)
{
	struct pack p = {.header = -1};
	for (size_t i = 0; i < sp->nu; i++) {
		const struct chunk_unit *u = &sp->u[i];
		size_t need;
		/* A heading starts a chunk, and so does text whose section came
		 * back or changed without one (a page header after the body, the
		 * embedding's text after an embedded document's). */
		int moved = i > 0 && u->section != sp->u[i - 1].section;
		if ((u->kind == CK_HEADING || moved) && p.content) {
			if (emit(sp, &p, out) < 0)
				return -1;
			p.first = i;
			p.n = p.tokens = 0;
			p.header = -1;
			p.content = 0;
		} else if (must_cut(sp, &p, i, &need)) {
			if (emit(sp, &p, out) < 0)
				return -1;
			carry(sp, &p, i, need);
		}
		if (p.n == 0)
			p.first = i;
		p.n++;
		p.tokens += u->tokens;
		if (u->kind != CK_HEADING)
			p.content = 1;
	}
	return emit(sp, &p, out);
}
