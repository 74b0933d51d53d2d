/* answer_builtin.c: the builtin answerer: extractive, local, no network.
 *
 * The retrieved chunks are cut into sentences (a line break, . ! ?
 * before a capital, outside common abbreviations, or a full-width 。！？
 * as Chinese and Japanese write them; markdown headings are
 * kept as context, list markers dropped, short unpunctuated labels
 * skipped). A chunk is relevant when the query terms its document holds
 * (the retrieved chunks, title, sections) weigh at least half of the new
 * question's terms.
 * Sentences of relevant chunks holding a term of the question are scored
 * BM25-style over the set of sentences (k1 1.2, b 0.75, idf from the
 * sentences), plus a quarter of the weight of query terms found only in
 * their heading, title or section, times the square of their document's
 * coverage of the query,
 * divided by 1 + 0.15 x the chunk's rank. Up to 4 are taken, each after the
 * first scoring at least half the best, skipping near duplicates, put back
 * in document order and joined as "According to <title>, ...". When no
 * sentence holds a term but a heading or label line does, the statements
 * under it are taken (pick_under). A source's words are stemmed in its
 * language and the question's (chat_stems). Nothing relevant: "I could
 * not find anything about <topic> in your documents." The answer is
 * emitted word by word. docs/chat.md has the whole rule. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "chat/chat.h"
#include "chat/chat_terms.h"
#include "chat/answer.h"
#include "text/text_tok.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SENTENCES_MAX 4000     /* over all sources */
#define SENTENCE_MAX 500       /* bytes; a longer run is cut at a word */
#define PICK_MAX 4
#define ANSWER_BYTES 900       /* stop adding sentences past this */
#define CHUNK_RELEVANT 0.5
#define TAIL_RATIO 0.5
#define CONTEXT_BONUS 0.25
#define RANK_DECAY 0.15
#define K1 1.2
#define B 0.75

struct sent {
	size_t src, pos;
	const char *p;            /* into the source's text */
	size_t len;
	const char *head;         /* markdown heading above it, or NULL */
	size_t head_len;
	const char *under;        /* the heading or label line above it, or NULL */
	size_t under_len;
	unsigned char tf[CHAT_TERMS_MAX];
	unsigned words;           /* content words */
	int eligible;
	double score;
};

struct builder {
	const struct chat_turn *t;
	struct sent *v;
	size_t n, alloc;
	int oom;
	const char *head;
	size_t head_len;
	const char *under;
	size_t under_len;
};

/* ---- sentences --------------------------------------------------------- */

static const char *const abbrevs[] = {"mr", "mrs", "ms", "dr", "st", "vs", "etc", "e.g", "i.e",
				      "no", "fig", "inc", "ltd", "jr", "sr", "approx", NULL};

/* 1 when the word ending just before text[i] (a '.') is an abbreviation
 * or an initial. */
static int abbreviation(const char *s, size_t i)
{
	size_t w = i;
	while (w > 0 && s[w - 1] != ' ' && s[w - 1] != '(')
		w--;
	size_t n = i - w;
	if (n == 1 && isalpha((unsigned char)s[w]))
		return 1;
	char low[8];
	if (n == 0 || n >= sizeof low)
		return 0;
	for (size_t k = 0; k < n; k++)
		low[k] = (char)tolower((unsigned char)s[w + k]);
	low[n] = '\0';
	for (size_t k = 0; abbrevs[k]; k++)
		if (!strcmp(low, abbrevs[k]))
			return 1;
	return 0;
}

/* 1 when the bytes ending at s[i] are a full-width sentence end: the
 * ideographic full stop and the full-width ! and ? (U+3002, U+FF01,
 * U+FF1F), which CJK writes without a space after. */
static int wide_end(const char *s, size_t i)
{
	if (i < 2)
		return 0;
	const unsigned char *u = (const unsigned char *)s + i - 2;
	return (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x82) ||
	       (u[0] == 0xef && u[1] == 0xbc && (u[2] == 0x81 || u[2] == 0x9f));
}

static int sentence_end(const char *s, size_t len, size_t i)
{
	if (wide_end(s, i))
		return 1;
	if (s[i] != '.' && s[i] != '!' && s[i] != '?')
		return 0;
	if (i + 1 == len)
		return 1;
	if (s[i + 1] != ' ')
		return 0;
	size_t j = i + 1;
	while (j < len && s[j] == ' ')
		j++;
	unsigned char c = (unsigned char)(j < len ? s[j] : 'A');
	if (!(isupper(c) || isdigit(c) || c == '"' || c == '(' || c >= 0x80))
		return 0;
	return s[i] != '.' || !abbreviation(s, i);
}

struct tf_ctx {
	const struct chat_terms *terms;
	struct sent *s;
};

static void count_stem(const char *stem, size_t len, int again, void *arg)
{
	struct tf_ctx *c = arg;
	int i = chat_terms_find(c->terms, stem, len);
	if (!again)
		c->s->words++;   /* a word read in two languages is one word */
	if (i >= 0 && c->s->tf[i] < 255)
		c->s->tf[i]++;
}

static int has_terminal(const char *p, size_t len)
{
	return len && (strchr(".!?:;", p[len - 1]) || wide_end(p, len - 1));
}

/* Han and kana: the CJK characters of text_is_cjk but Hangul, the
 * scripts written without spaces. */
static int is_han_kana(uint32_t cp)
{
	return text_is_cjk(cp) && !(cp >= 0xac00 && cp <= 0xd7af);
}

/* Words of a line, to tell a statement from a label: runs between spaces,
 * except that Chinese and Japanese write none, so there every two Han or
 * kana characters count as a word (their words are one to three
 * characters long): a line of eight such characters without a full stop
 * ("図書館の開館時間", a slide's or a table's line) is as much a statement
 * as four English words. Hangul is written with spaces and counts as
 * Latin does. */
static size_t count_words(const char *p, size_t len)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t n = 0, han = 0;
	int in_word = 0;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t k = text_utf8_next(u + i, len - i, &cp);
		i += k;
		if (is_han_kana(cp)) {
			han++;
			in_word = 0;
			continue;
		}
		n += (han + 1) / 2;
		han = 0;
		if (cp == ' ')
			in_word = 0;
		else if (!in_word) {
			in_word = 1;
			n++;
		}
	}
	return n + (han + 1) / 2;
}

static void add_sentence(struct builder *b, size_t src, const char *p, size_t len)
{
	while (len && isspace((unsigned char)*p)) {
		p++;
		len--;
	}
	while (len && isspace((unsigned char)p[len - 1]))
		len--;
	if (!len || b->oom || b->n == SENTENCES_MAX)
		return;
	if (b->n == b->alloc) {
		size_t na = b->alloc ? b->alloc * 2 : 64;
		void *v = realloc(b->v, na * sizeof *b->v);
		if (!v) {
			b->oom = 1;
			return;
		}
		b->v = v;
		b->alloc = na;
	}
	struct sent *s = &b->v[b->n];
	memset(s, 0, sizeof *s);
	s->src = src;
	s->pos = b->n;
	s->p = p;
	s->len = len;
	s->head = b->head;
	s->head_len = b->head_len;
	s->under = b->under;
	s->under_len = b->under_len;
	struct tf_ctx c = {b->t->terms, s};
	chat_stems(p, len, b->t->src[src].lang, b->t->terms->lang, count_stem, &c);
	/* A short line without punctuation is a label, not a statement. */
	s->eligible = s->words > 0 && (has_terminal(p, len) || count_words(p, len) >= 4);
	b->n++;
}

/* Strip a list marker ("- ", "* ", "• ", "12. ", "3) "). */
static size_t list_marker(const char *p, size_t len)
{
	if (len > 2 && (p[0] == '-' || p[0] == '*') && p[1] == ' ')
		return 2;
	if (len > 4 && !memcmp(p, "\xe2\x80\xa2 ", 4))
		return 4;
	size_t i = 0;
	while (i < len && i < 3 && isdigit((unsigned char)p[i]))
		i++;
	if (i && i + 1 < len && (p[i] == '.' || p[i] == ')') && p[i + 1] == ' ')
		return i + 2;
	return 0;
}

static void add_line(struct builder *b, size_t src, const char *p, size_t len)
{
	while (len && isspace((unsigned char)*p)) {
		p++;
		len--;
	}
	size_t h = 0;
	while (h < len && h < 7 && p[h] == '#')
		h++;
	if (h >= 1 && h <= 6 && h < len && p[h] == ' ') {
		b->head = p + h + 1;
		b->head_len = len - h - 1;
		while (b->head_len && isspace((unsigned char)b->head[b->head_len - 1]))
			b->head_len--;
		b->under = b->head;
		b->under_len = b->head_len;
		return;
	}
	size_t m = list_marker(p, len);
	p += m;
	len -= m;
	while (len && isspace((unsigned char)p[len - 1]))
		len--;
	/* A label line ("RULES AND INSTRUCTIONS", a slide's title) heads
	 * what follows it, as a markdown heading does, for the fallback
	 * below; it stays out of the citation's section. */
	if (!m && len && !has_terminal(p, len) && count_words(p, len) < 4) {
		add_sentence(b, src, p, len);
		b->under = p;
		b->under_len = len;
		return;
	}
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		int cut = i - start + 1 >= SENTENCE_MAX && p[i] == ' ';
		if (cut || sentence_end(p, len, i)) {
			add_sentence(b, src, p + start, i + 1 - start);
			start = i + 1;
		}
	}
	add_sentence(b, src, p + start, len - start);
}

static void split_source(struct builder *b, size_t src)
{
	const char *p = b->t->src[src].text;
	b->head = NULL;
	b->head_len = 0;
	b->under = NULL;
	b->under_len = 0;
	while (*p) {
		size_t len = strcspn(p, "\n");
		add_line(b, src, p, len);
		p += len;
		if (*p)
			p++;
	}
}

/* ---- scoring ----------------------------------------------------------- */

/* Weighted share of the query found in the title, section and text of
 * every retrieved chunk of src's document. */
static double doc_coverage(const struct chat_turn *t, size_t src)
{
	const struct chat_source *s = &t->src[src];
	struct qbuf all;
	qbuf_init(&all, (size_t)1 << 24);
	for (size_t i = 0; i < t->nsrc && i < CHAT_MAX_SOURCES; i++)
		if (!strcmp(t->src[i].doc_id, s->doc_id))
			qbuf_printf(&all, "%s\n%s\n%s\n", t->src[i].title, t->src[i].section,
				    t->src[i].text);
	double cov = chat_coverage(t->terms, all.data ? all.data : "", all.len, s->lang);
	qbuf_free(&all);
	return cov;
}

/* The relevance test: the query terms found in the chunk's document (its
 * retrieved chunks, title and sections) must weigh at least CHUNK_RELEVANT
 * of the new question's terms (carried terms count when found, so a
 * follow-up is not held to terms it does not have). Returns the weight of
 * the chunk's sentences, the square of its document's coverage of the
 * query (a follow-up's earlier topic is often in another chunk of the
 * same document; a document that answers the whole question beats one
 * that shares a word with it), or 0 when the chunk is not relevant. */
static double chunk_weight(const struct chat_turn *t, size_t src)
{
	const struct chat_terms *q = t->terms;
	double new_total = 0;
	for (size_t i = 0; i < q->n; i++)
		if (q->v[i].w >= 1)
			new_total += q->v[i].w;
	if (new_total <= 0)
		new_total = q->total;
	double doc = doc_coverage(t, src);
	if (new_total <= 0 || doc * q->total < CHUNK_RELEVANT * new_total - 1e-9)
		return 0;
	return doc * doc;
}

static void score(struct builder *b, const double *relevant)
{
	const struct chat_terms *q = b->t->terms;
	double df[CHAT_TERMS_MAX] = {0}, idf[CHAT_TERMS_MAX], avg = 0, n = 0;
	for (size_t i = 0; i < b->n; i++) {
		struct sent *s = &b->v[i];
		if (!s->eligible || !relevant[s->src])
			continue;
		n++;
		avg += s->words;
		for (size_t k = 0; k < q->n; k++)
			df[k] += s->tf[k] > 0;
	}
	if (n == 0)
		return;
	avg /= n;
	int has_new = 0;
	for (size_t k = 0; k < q->n; k++) {
		idf[k] = log(1 + (n - df[k] + 0.5) / (df[k] + 0.5));
		has_new |= q->v[k].w >= 1;
	}
	for (size_t i = 0; i < b->n; i++) {
		struct sent *s = &b->v[i];
		if (!s->eligible || !relevant[s->src])
			continue;
		const struct chat_source *src = &b->t->src[s->src];
		struct qbuf ctx;
		qbuf_init(&ctx, 1 << 16);
		qbuf_printf(&ctx, "%s\n%s\n%.*s", src->title, src->section, (int)s->head_len,
			    s->head ? s->head : "");
		struct sent c;
		memset(&c, 0, sizeof c);
		struct tf_ctx tc = {q, &c};
		chat_stems(ctx.data ? ctx.data : "", ctx.len, src->lang, q->lang, count_stem, &tc);
		qbuf_free(&ctx);
		double sc = 0;
		int matched = 0;
		for (size_t k = 0; k < q->n; k++) {
			double tf = s->tf[k];
			if (tf > 0) {
				/* Carried terms steer, the question's own terms select. */
				matched |= q->v[k].w >= 1 || !has_new;
				sc += q->v[k].w * idf[k] * tf * (K1 + 1) /
				      (tf + K1 * (1 - B + B * s->words / avg));
			} else if (c.tf[k]) {
				sc += CONTEXT_BONUS * q->v[k].w * idf[k];
			}
		}
		/* A sentence of a chunk that holds more of the question (a
		 * follow-up's earlier topic) counts for more. */
		s->score = matched ? sc * relevant[s->src] / (1 + RANK_DECAY * (double)s->src) : 0;
	}
}

/* ---- choosing and composing -------------------------------------------- */

/* Lowercased words (letters and digits only) of a sentence, hashed. */
static size_t word_hashes(const struct sent *s, uint64_t *out, size_t max)
{
	size_t n = 0, i = 0;
	while (i < s->len && n < max) {
		while (i < s->len && !isalnum((unsigned char)s->p[i]) && (unsigned char)s->p[i] < 0x80)
			i++;
		char w[TEXT_TOKEN_MAX];
		size_t l = 0;
		while (i < s->len && (isalnum((unsigned char)s->p[i]) || (unsigned char)s->p[i] >= 0x80)) {
			if (l < sizeof w)
				w[l++] = (char)tolower((unsigned char)s->p[i]);
			i++;
		}
		if (l)
			out[n++] = text_hash(w, l, 3);
	}
	return n;
}

/* Near duplicates: 80% of the words in common (Jaccard). */
static int near_duplicate(const struct sent *a, const struct sent *b)
{
	uint64_t ha[128], hb[128];
	size_t na = word_hashes(a, ha, 128), nb = word_hashes(b, hb, 128), common = 0;
	if (!na || !nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++)
			if (ha[i] == hb[j]) {
				common++;
				break;
			}
	return (double)common / (double)(na + nb - common) >= 0.8;
}

static int by_score(const void *x, const void *y)
{
	const struct sent *a = *(const struct sent *const *)x, *b = *(const struct sent *const *)y;
	if (a->score != b->score)
		return a->score < b->score ? 1 : -1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static int by_position(const void *x, const void *y)
{
	const struct sent *a = *(const struct sent *const *)x, *b = *(const struct sent *const *)y;
	if (a->src != b->src)
		return a->src < b->src ? -1 : 1;
	return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static size_t pick(struct builder *b, struct sent **picked)
{
	struct sent **order = malloc((b->n ? b->n : 1) * sizeof *order);
	size_t n = 0, np = 0, bytes = 0;
	if (!order)
		return 0;
	for (size_t i = 0; i < b->n; i++)
		if (b->v[i].score > 0)
			order[n++] = &b->v[i];
	qsort(order, n, sizeof *order, by_score);
	for (size_t i = 0; i < n && np < PICK_MAX; i++) {
		if (np && (order[i]->score < TAIL_RATIO * order[0]->score || bytes > ANSWER_BYTES))
			break;
		int dup = 0;
		for (size_t j = 0; j < np && !dup; j++)
			dup = near_duplicate(order[i], picked[j]);
		if (dup)
			continue;
		picked[np++] = order[i];
		bytes += order[i]->len;
	}
	free(order);
	qsort(picked, np, sizeof *picked, by_position);
	return np;
}

/* When no sentence holds a word of the question, a heading may: "What
 * are the rules?" over a section headed "RULES AND INSTRUCTIONS" whose
 * sentences never repeat the words. The heading (markdown, or a label
 * line) of a relevant chunk that covers the most of the question, at
 * least CHUNK_RELEVANT of it and a word of the new message, gives its
 * first statements, up to PICK_MAX and ANSWER_BYTES. Returns how many,
 * with the heading in *under. */
static size_t pick_under(struct builder *b, const double *relevant, struct sent **picked,
			 const char **under, size_t *under_len)
{
	const struct chat_terms *q = b->t->terms;
	double best = CHUNK_RELEVANT - 1e-9;
	const struct sent *from = NULL;
	const char *last = NULL;
	for (size_t i = 0; i < b->n; i++) {
		const struct sent *s = &b->v[i];
		if (!s->under || !relevant[s->src] || !s->eligible || s->under == last)
			continue;   /* the first statement under each heading */
		last = s->under;
		struct sent h;
		memset(&h, 0, sizeof h);
		struct tf_ctx c = {q, &h};
		chat_stems(s->under, s->under_len, b->t->src[s->src].lang, q->lang, count_stem, &c);
		double got = 0;
		int has_new = 0, found_new = 0;
		for (size_t k = 0; k < q->n; k++) {
			has_new |= q->v[k].w >= 1;
			if (h.tf[k]) {
				got += q->v[k].w;
				found_new |= q->v[k].w >= 1;
			}
		}
		double cov = q->total > 0 ? got / q->total : 0;
		if ((found_new || !has_new) && cov > best) {
			best = cov;
			from = s;
		}
	}
	if (!from)
		return 0;
	size_t np = 0, bytes = 0;
	for (size_t i = (size_t)(from - b->v); i < b->n && np < PICK_MAX && bytes <= ANSWER_BYTES;
	     i++) {
		const struct sent *s = &b->v[i];
		if (s->src != from->src || s->under != from->under)
			break;
		if (s->eligible) {
			picked[np++] = &b->v[i];
			bytes += s->len;
		}
	}
	*under = from->under;
	*under_len = from->under_len;
	return np;
}

/* The first word of s in lower case when that is safe: a stop word, or a
 * word the source also writes in lower case ("Full-time" -> "full-time"). */
static int lowercase_first(const struct chat_source *src, const struct sent *s)
{
	size_t n = 0;
	while (n < s->len && (isalpha((unsigned char)s->p[n]) || s->p[n] == '-'))
		n++;
	if (n == 0 || n >= TEXT_TOKEN_MAX || !isupper((unsigned char)s->p[0]))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (isupper((unsigned char)s->p[i]))
			return 0;   /* "PTO", "McDonald" */
	if (n == 1 && s->p[0] == 'I')
		return 0;
	char low[TEXT_TOKEN_MAX];
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)s->p[i]);
	low[n] = '\0';
	if (text_is_stop(src->lang, low, n))
		return 1;
	for (const char *p = src->text; (p = strstr(p, low)); p += n) {
		int before = p == src->text || !isalnum((unsigned char)p[-1]);
		if (before && !isalnum((unsigned char)p[n]))
			return 1;
	}
	return 0;
}

/* 1 when the text ends with a Han or kana character (three UTF-8 bytes
 * in is_han_kana's ranges): such a sentence is closed
 * with the ideographic full stop, not a Latin one. */
static int ends_han(const char *p, size_t len)
{
	uint32_t cp;
	if (len < 3 || text_utf8_next((const unsigned char *)p + len - 3, 3, &cp) != 3)
		return 0;
	return is_han_kana(cp);
}

static void put_sentence(struct qbuf *out, const struct sent *s, int lower)
{
	if (out->len && out->data[out->len - 1] != ' ')
		qbuf_adds(out, " ");
	if (lower) {
		char c = (char)tolower((unsigned char)s->p[0]);
		qbuf_add(out, &c, 1);
		qbuf_add(out, s->p + 1, s->len - 1);
	} else {
		qbuf_add(out, s->p, s->len);
	}
	if (!has_terminal(s->p, s->len) || s->p[s->len - 1] == ':' || s->p[s->len - 1] == ';') {
		if (s->p[s->len - 1] == ':' || s->p[s->len - 1] == ';')
			out->data[--out->len] = '\0';
		qbuf_adds(out, ends_han(s->p, s->len) ? "\xe3\x80\x82" : ".");
	}
}

/* under: the heading the sentences were taken from (pick_under), named
 * after the title, or NULL. */
static void compose(const struct chat_turn *t, struct sent **picked, size_t np,
		    const char *under, size_t under_len, struct qbuf *out)
{
	const char *doc = NULL;
	for (size_t i = 0; i < np; i++) {
		const struct chat_source *src = &t->src[picked[i]->src];
		if (!doc || strcmp(doc, src->doc_id)) {
			int lower = !under && lowercase_first(src, picked[i]);
			qbuf_printf(out, "%sAccording to %s", out->len ? " " : "",
				    src->title[0] ? src->title : "your documents");
			if (under)
				qbuf_printf(out, ", under \"%.*s\"", (int)under_len, under);
			qbuf_adds(out, lower ? ", " : ": ");
			put_sentence(out, picked[i], lower);
			doc = src->doc_id;
		} else {
			put_sentence(out, picked[i], 0);
		}
	}
}

static void cite(struct chat_answer *a, const struct chat_turn *t, struct sent **picked, size_t np)
{
	for (size_t i = 0; i < np; i++) {
		size_t src = picked[i]->src;
		int seen = 0;
		for (size_t k = 0; k < a->nused; k++)
			seen |= a->used[k] == src;
		if (seen)
			continue;
		struct qbuf ex;
		qbuf_init(&ex, 4 * SENTENCE_MAX);
		for (size_t j = i; j < np; j++)
			if (picked[j]->src == src)
				put_sentence(&ex, picked[j], 0);
		char *excerpt = chat_excerpt(ex.data ? ex.data : "", ex.len);
		qbuf_free(&ex);
		char *section = NULL;
		if (!t->src[src].section[0] && picked[i]->head)
			section = strndup(picked[i]->head, picked[i]->head_len);
		chat_answer_cite(a, src, excerpt, section);
	}
}

/* Emit text word by word: "According", " to", " the", ... */
static void emit_words(const struct chat_turn *t, struct chat_answer *a, const char *text)
{
	const char *p = text;
	while (*p && !a->gone) {
		const char *w = p;
		while (*p == ' ')
			p++;
		while (*p && *p != ' ')
			p++;
		if (chat_answer_put(t, a, w, (size_t)(p - w)) < 0)
			a->gone = 1;
	}
}

static enum qstatus answer_builtin(const struct chat_turn *t, struct chat_answer *a,
				   struct qerr *err)
{
	struct builder b = {.t = t};
	double relevant[CHAT_MAX_SOURCES] = {0};
	struct sent *picked[PICK_MAX];
	struct qbuf out;
	enum qstatus st = Q_OK;
	size_t np = 0;

	qbuf_init(&out, 1 << 16);
	for (size_t i = 0; i < t->nsrc && i < CHAT_MAX_SOURCES; i++) {
		relevant[i] = chunk_weight(t, i);
		if (relevant[i] > 0)
			split_source(&b, i);
	}
	if (b.oom) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	score(&b, relevant);
	np = pick(&b, picked);
	const char *under = NULL;
	size_t under_len = 0;
	if (np == 0)
		np = pick_under(&b, relevant, picked, &under, &under_len);
	if (np == 0) {
		char topic[200];
		chat_topic(t->message, topic, sizeof topic);
		qbuf_printf(&out, "I could not find anything about %s in your documents.", topic);
	} else {
		compose(t, picked, np, under, under_len, &out);
		cite(a, t, picked, np);
	}
	emit_words(t, a, out.data ? out.data : "");
out:
	qbuf_free(&out);
	free(b.v);
	return st;
}

const struct chat_answerer answerer_builtin = {"builtin", answer_builtin};
