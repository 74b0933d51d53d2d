/* chat_terms.c: query terms for chat: weighted stems, coverage of the
 * query by a text, the follow-up rule and the confidence thresholds. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "chat/chat.h"
#include "chat/chat_terms.h"
#include "store/lexical.h"
#include "text/text_stem.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Words of questions that say nothing about the topic, besides the
 * language's stop words ("tell me about ...", "please explain ..."). */
static const char *const ask_words[] = {
	"me", "my", "mine", "us", "please", "tell", "know", "explain", "describe",
	"summarize", "summarise", "show", "list", "give", "many", "much", "whats", "s", "t",
	NULL};

/* Words that point back to something said before. */
static const char *const back_words[] = {
	"it", "its", "this", "that", "these", "those", "they", "them", "their", "theirs",
	"there", "he", "she", "him", "her", "his", "hers", "such", "same", "former", "latter",
	NULL};

static int in_list(const char *const *list, const char *tok, size_t len)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == len && !memcmp(list[i], tok, len))
			return 1;
	return 0;
}

static int is_content(enum text_lang lang, const char *tok, size_t len)
{
	return !text_is_stop(lang, tok, len) && !in_list(ask_words, tok, len);
}

/* The stem of tok in lang (borrowed, valid until the next stem), tok itself
 * when lang has no stemmer; *slen its length. */
static const char *stem_of(enum text_lang lang, const char *tok, size_t len, size_t *slen)
{
	struct text_stemmer *st = text_stemmer_get(lang);
	if (st)
		return text_stem(st, tok, len, slen);
	*slen = len;
	return tok;
}

const char *chat_confidence_name(enum chat_confidence c)
{
	return c == CHAT_HIGH ? "High" : c == CHAT_MEDIUM ? "Medium" : "Low";
}

double chat_match_typical(double match, double norm)
{
	if (match < 0 || norm <= 0)
		return match;
	double k1, b;
	lexical_bm25(&k1, &b);
	match *= (1 + k1 * norm) / (1 + k1);
	return match > 1 ? 1 : match;
}

enum chat_confidence chat_confidence_for(double match, double cosine)
{
	if (cosine >= -1 && cosine < CHAT_MIN_COSINE)
		return CHAT_LOW;   /* the words match, the meaning does not */
	if (match >= CHAT_HIGH_MATCH)
		return CHAT_HIGH;
	return match >= CHAT_MEDIUM_MATCH ? CHAT_MEDIUM : CHAT_LOW;
}

/* ---- stems ------------------------------------------------------------ */

struct stem_ctx {
	enum text_lang lang, also;
	void (*cb)(const char *stem, size_t len, int again, void *arg);
	void *arg;
	size_t words;
};

static int on_token(const char *tok, size_t len, void *arg)
{
	struct stem_ctx *c = arg;
	if (!is_content(c->lang, tok, len))
		return 0;
	size_t slen, alen;
	const char *stem = stem_of(c->lang, tok, len, &slen);
	c->words++;
	if (c->also == c->lang) {
		c->cb(stem, slen, 0, c->arg);
		return 0;
	}
	char first[TEXT_TOKEN_MAX];   /* the stem is borrowed until the next */
	size_t flen = slen < sizeof first ? slen : sizeof first - 1;
	memcpy(first, stem, flen);
	c->cb(stem, slen, 0, c->arg);
	/* A source taken to be in another language than the question (a
	 * short or tabular text misidentified, a quote in another language)
	 * still matches the question's words as the question stems them. */
	const char *other = stem_of(c->also, tok, len, &alen);
	if (alen != flen || memcmp(other, first, alen))
		c->cb(other, alen, 1, c->arg);
	return 0;
}

void chat_stems(const char *text, size_t n, enum text_lang lang, enum text_lang also,
		void (*cb)(const char *stem, size_t len, int again, void *arg), void *arg)
{
	struct stem_ctx c = {lang, (unsigned)also < LANG_MAX ? also : lang, cb, arg, 0};
	text_tokens(text, n, on_token, &c);
}

int chat_terms_find(const struct chat_terms *t, const char *stem, size_t len)
{
	for (size_t i = 0; i < t->n; i++)
		if (strlen(t->v[i].stem) == len && !memcmp(t->v[i].stem, stem, len))
			return (int)i;
	return -1;
}

struct add_ctx {
	struct chat_terms *t;
	double w;
	size_t words;
};

static void add_stem(const char *stem, size_t len, int again, void *arg)
{
	(void)again;   /* never: a question's terms are stemmed in one language */
	struct add_ctx *a = arg;
	struct chat_terms *t = a->t;
	int i = chat_terms_find(t, stem, len);
	a->words++;
	if (i >= 0) {
		if (a->w > t->v[i].w) {
			t->total += a->w - t->v[i].w;
			t->v[i].w = a->w;
		}
		return;
	}
	if (t->n == CHAT_TERMS_MAX || len >= TEXT_TOKEN_MAX)
		return;
	memcpy(t->v[t->n].stem, stem, len);
	t->v[t->n].stem[len] = '\0';
	t->v[t->n].w = a->w;
	t->total += a->w;
	t->n++;
}

size_t chat_terms_add(struct chat_terms *t, const char *text, size_t n, enum text_lang lang,
		      double w)
{
	struct add_ctx a = {t, w, 0};
	t->lang = lang;
	chat_stems(text, n, lang, lang, add_stem, &a);
	return a.words;
}

struct cover_ctx {
	const struct chat_terms *t;
	unsigned char seen[CHAT_TERMS_MAX];
};

static void cover_stem(const char *stem, size_t len, int again, void *arg)
{
	(void)again;
	struct cover_ctx *c = arg;
	int i = chat_terms_find(c->t, stem, len);
	if (i >= 0)
		c->seen[i] = 1;
}

double chat_coverage(const struct chat_terms *t, const char *text, size_t n, enum text_lang lang)
{
	struct cover_ctx c;
	memset(&c, 0, sizeof c);
	c.t = t;
	if (t->total <= 0)
		return 0;
	chat_stems(text, n, lang, t->lang, cover_stem, &c);
	double got = 0;
	for (size_t i = 0; i < t->n; i++)
		if (c.seen[i])
			got += t->v[i].w;
	return got / t->total;
}

/* ---- the follow-up rule ------------------------------------------------ */

struct scan_ctx {
	enum text_lang lang;
	size_t content;
	int points_back;
};

static int scan_token(const char *tok, size_t len, void *arg)
{
	struct scan_ctx *s = arg;
	if (in_list(back_words, tok, len))
		s->points_back = 1;
	if (is_content(s->lang, tok, len))
		s->content++;
	return 0;
}

struct carry_ctx {
	struct chat_terms mine;   /* the message's stems */
	enum text_lang lang;
	struct qbuf out;
	size_t words;
	char seen[CHAT_CARRY_MAX][TEXT_TOKEN_MAX];
};

static int carry_token(const char *tok, size_t len, void *arg)
{
	struct carry_ctx *c = arg;
	if (c->words == CHAT_CARRY_MAX || len >= TEXT_TOKEN_MAX || !is_content(c->lang, tok, len))
		return 0;
	size_t slen;
	const char *stem = stem_of(c->lang, tok, len, &slen);
	if (chat_terms_find(&c->mine, stem, slen) >= 0)
		return 0;
	for (size_t i = 0; i < c->words; i++)
		if (strlen(c->seen[i]) == len && !memcmp(c->seen[i], tok, len))
			return 0;
	memcpy(c->seen[c->words], tok, len);
	c->seen[c->words][len] = '\0';
	c->words++;
	if (c->out.len)
		qbuf_adds(&c->out, " ");
	qbuf_add(&c->out, tok, len);
	return 0;
}

int chat_followup(const char *message, const char *prev, char **carried)
{
	*carried = NULL;
	if (!prev || !*prev)
		return 0;
	size_t n = strlen(message);
	struct scan_ctx s = {text_detect(message, n), 0, 0};
	text_tokens(message, n, scan_token, &s);
	if (s.content > CHAT_SHORT_TERMS && !s.points_back)
		return 0;
	struct carry_ctx *c = calloc(1, sizeof *c);
	if (!c)
		return 0;
	c->lang = text_detect(prev, strlen(prev));
	chat_terms_add(&c->mine, message, n, c->lang, 1);
	qbuf_init(&c->out, 4096);
	text_tokens(prev, strlen(prev), carry_token, c);
	*carried = c->out.len ? strdup(c->out.data) : NULL;
	qbuf_free(&c->out);
	free(c);
	return *carried != NULL;
}

/* ---- the topic of a question -------------------------------------------- */

static int word_byte(unsigned char c)
{
	return isalnum(c) || c >= 0x80 || c == '-' || c == '\'';
}

void chat_search_text(const char *text, struct qbuf *out)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t start = out->len;
	int words = 0;
	while (*p) {
		const unsigned char *w = p;
		while (*p && !word_byte(*p))
			p++;
		qbuf_add(out, (const char *)w, (size_t)(p - w));
		w = p;
		while (*p && word_byte(*p))
			p++;
		size_t len = (size_t)(p - w);
		char low[TEXT_TOKEN_MAX];
		for (size_t i = 0; i < len && len < sizeof low; i++)
			low[i] = (char)tolower(w[i]);
		if (len && len < sizeof low && in_list(ask_words, low, len))
			continue;
		qbuf_add(out, (const char *)w, len);
		words += len > 0;
	}
	if (!words) {   /* nothing but question phrasing: keep it all */
		out->len = start;
		qbuf_adds(out, text);
	}
}

void chat_topic(const char *message, char *out, size_t outlen)
{
	enum text_lang lang = text_detect(message, strlen(message));
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)message;
	out[0] = '\0';
	while (*p) {
		while (*p && !word_byte(*p))
			p++;
		const unsigned char *w = p;
		while (*p && word_byte(*p))
			p++;
		size_t len = (size_t)(p - w);
		char low[TEXT_TOKEN_MAX];
		if (!len || len >= sizeof low)
			continue;
		for (size_t i = 0; i < len; i++)
			low[i] = (char)tolower(w[i]);
		if (!is_content(lang, low, len) || o + len + 2 >= outlen)
			continue;
		if (o)
			out[o++] = ' ';
		memcpy(out + o, w, len);
		o += len;
		out[o] = '\0';
	}
	if (o)
		return;
	/* Nothing but small words: quote the message itself, trimmed. */
	while (*message && isspace((unsigned char)*message))
		message++;
	size_t n = strcspn(message, "?!.\r\n");
	if (n >= outlen)
		n = outlen - 1;
	while (n > 0 && ((unsigned char)message[n] & 0xc0) == 0x80)
		n--;   /* never cut inside a UTF-8 sequence */
	memcpy(out, message, n);
	out[n] = '\0';
}
