/* chat.c: one chat turn: conversation, follow-up, retrieval, answer,
 * citations, confidence, storage. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "chat/chat.h"
#include "chat/chat_terms.h"
#include "chat/chat_store.h"
#include "chat/answerers.h"
#include "chat/answer.h"
#include "store/lexical.h"
#include "base/log.h"
#include "search/search.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- sources ------------------------------------------------------------ */

static void sources_free(struct chat_source *src, size_t *n)
{
	for (size_t i = 0; i < *n; i++) {
		free(src[i].title);
		free(src[i].section);
		free(src[i].text);
		json_decref(src[i].pages);
	}
	*n = 0;
}

struct retrieve_arg {
	struct chat_request *r;
	const char *query;
	enum search_method method;
	struct chat_source src[CHAT_MAX_SOURCES];
	size_t n;
};

static enum qstatus add_source(struct stxn *t, struct retrieve_arg *a,
			       const struct search_hit *h, struct qerr *err)
{
	json_t *chunk = NULL, *doc = NULL;
	enum qstatus st = store_get(t, T_CHUNKS, h->chunk, &chunk, 0, err);
	if (st == Q_OK)
		st = store_get(t, T_DOCS, h->doc, &doc, 0, err);
	if (st == Q_ENOTFOUND) {   /* deleted since it was ranked */
		qerr_clear(err);
		st = Q_OK;
		goto out;
	}
	if (st != Q_OK)
		goto out;
	struct chat_source *s = &a->src[a->n];
	memset(s, 0, sizeof *s);
	snprintf(s->doc_id, sizeof s->doc_id, "%s", h->doc);
	snprintf(s->chunk, sizeof s->chunk, "%s", h->chunk);
	s->title = strdup(json_string_value(json_object_get(doc, "title")) ?: "");
	s->section = strdup(json_string_value(json_object_get(chunk, "section")) ?: "");
	s->text = strdup(json_string_value(json_object_get(chunk, "text")) ?: "");
	s->page = (int)json_integer_value(json_object_get(chunk, "page"));
	if (json_is_array(json_object_get(chunk, "pages")))
		s->pages = json_incref(json_object_get(chunk, "pages"));
	s->lang = (enum text_lang)json_integer_value(json_object_get(chunk, "lang"));
	if ((unsigned)s->lang >= LANG_MAX)
		s->lang = LANG_EN;
	s->score = h->score;
	s->cosine = h->cosine;
	a->n++;
	if (!s->title || !s->section || !s->text) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	double norm;
	if ((st = lexical_length_norm(t, a->r->account, s->text, s->lang, &norm, err)) == Q_OK)
		s->match = chat_match_typical(h->match, norm);
out:
	json_decref(chunk);
	json_decref(doc);
	return st;
}

static enum qstatus retrieve_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct retrieve_arg *a = arg;
	struct chat_request *r = a->r;
	struct search_filter f = {.account = r->account, .org = r->org, .roles = r->roles,
				  .doc_ids = r->doc_ids, .folder_ids = r->folder_ids};
	struct search_hit *hits = NULL;
	size_t n = 0;
	size_t top = (size_t)r->conf->chat_top_k;
	if (top > CHAT_MAX_SOURCES)
		top = CHAT_MAX_SOURCES;
	sources_free(a->src, &a->n);   /* a rerun after a deadlock starts over */
	enum qstatus st = search_run(t, r->conf, &f, a->method, a->query, top, &hits, &n, err);
	for (size_t i = 0; st == Q_OK && i < n; i++)
		st = add_source(t, a, &hits[i], err);
	free(hits);
	return st;
}

/* ---- history and the follow-up rule ------------------------------------ */

struct load_arg {
	struct chat_request *r;
	size_t max;
	json_t *history;
};

static enum qstatus load_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct load_arg *a = arg;
	json_decref(a->history);
	a->history = NULL;
	return chat_conv_load(t, a->r->conversation_id, a->r->account, a->r->org, a->r->user,
			      a->max, &a->history, err);
}

/* The language the question is read in: the one search reads it in
 * (lexical_query_langs: its stop words, else the account's commonest
 * language among those they allow), so its terms are stemmed as the
 * chunks they should meet were. */
struct lang_arg {
	const char *account, *message;
	enum text_lang lang;
};

static enum qstatus lang_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct lang_arg *a = arg;
	unsigned mask;
	return lexical_query_langs(t, a->account, a->message, &mask, &a->lang, err);
}

static enum text_lang question_lang(struct chat_request *r, size_t mlen)
{
	struct lang_arg a = {r->account, r->message, LANG_EN};
	struct qerr err;
	if (store_run(r->store, lang_fn, &a, &err) != Q_OK)
		a.lang = text_detect(r->message, mlen);   /* the question alone */
	return a.lang;
}

/* The retrieval query of the last question in history (its stored query,
 * which already carries what it inherited), or NULL. */
static const char *previous_query(json_t *history)
{
	for (size_t i = json_array_size(history); i-- > 0;) {
		json_t *m = json_array_get(history, i);
		const char *role = json_string_value(json_object_get(m, "role"));
		if (role && !strcmp(role, "user"))
			return json_string_value(json_object_get(m, "query")) ?:
			       json_string_value(json_object_get(m, "content"));
	}
	return NULL;
}

/* ---- citations and confidence --------------------------------------------- */

/* Length of the markdown heading text at p ("## Title" -> "Title"), with
 * *text pointing at it; 0 when the line is no heading. */
static size_t heading_at(const char *p, const char **text)
{
	size_t h = 0, len = strcspn(p, "\n");
	while (h < len && p[h] == '#')
		h++;
	if (h < 1 || h > 6 || h >= len || p[h] != ' ')
		return 0;
	*text = p + h + 1;
	return len - h - 1;
}

static size_t words_in(const char *p, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (p[i] != ' ' && (i == 0 || p[i - 1] == ' '))
			n++;
	return n;
}

/* The sentence (or line) of text holding most of the query: the excerpt
 * when the answerer gave none (new). When the chunk has no section, the
 * markdown heading above that sentence goes to *section (new, or NULL). */
static char *best_excerpt(const struct chat_terms *q, const struct chat_source *s, char **section)
{
	const char *p = s->text, *best = p, *head = NULL, *best_head = NULL;
	size_t best_len = strcspn(p, "\n"), head_len = 0, best_head_len = 0;
	double best_cov = -1;
	while (*p) {
		const char *ht;
		size_t hl = (p == s->text || p[-1] == '\n') ? heading_at(p, &ht) : 0;
		if (hl) {
			head = ht;
			head_len = hl;
			p += strcspn(p, "\n");
		} else {
			size_t len = 0;
			while (p[len] && p[len] != '\n' && !(strchr(".!?", p[len]) && p[len + 1] == ' '))
				len++;
			if (p[len] && p[len] != '\n')
				len++;   /* keep the full stop */
			/* A short line without final punctuation is a label
			 * (a heading kept in the text), not an excerpt. */
			int label = !strchr(".!?:;", p[len - 1]) && words_in(p, len) < 4;
			double cov = chat_coverage(q, p, len, s->lang) - (label ? 1 : 0);
			if (len > 1 && cov > best_cov) {
				best = p;
				best_len = len;
				best_cov = cov;
				best_head = head;
				best_head_len = head_len;
			}
			p += len;
		}
		while (*p == ' ' || *p == '\n')
			p++;
	}
	*section = !s->section[0] && best_head ? strndup(best_head, best_head_len) : NULL;
	return chat_excerpt(best, best_len);
}

/* The page of the excerpt: where its start is found in a chunk that spans
 * pages (s->pages), else the chunk's page. */
static int excerpt_page(const struct chat_source *s, const char *excerpt)
{
	size_t i, n;
	json_t *m;
	int page = s->page;
	if (!s->pages || !excerpt)
		return page;
	while (*excerpt == '.' || *excerpt == ' ')   /* a leading "..." marks a cut */
		excerpt++;
	n = strcspn(excerpt, ".\n");
	if (n > 40)
		n = 40;
	if (n < 8)
		return page;
	char *probe = strndup(excerpt, n);
	const char *at = probe ? strstr(s->text, probe) : NULL;
	free(probe);
	if (!at)
		return page;
	json_array_foreach(s->pages, i, m)
		if ((size_t)json_integer_value(json_array_get(m, 0)) <= (size_t)(at - s->text))
			page = (int)json_integer_value(json_array_get(m, 1));
	return page;
}

static json_t *citation_json(const struct chat_source *s, const char *excerpt, const char *section)
{
	const char *sec = section ? section : s->section;
	int page = excerpt_page(s, excerpt);
	return json_pack("{s:s, s:s, s:o, s:o, s:s}", "documentId", s->doc_id,
			 "documentTitle", s->title,
			 "page", page > 0 ? json_integer(page) : json_null(),
			 "section", sec[0] ? json_string(sec) : json_null(),
			 "excerpt", excerpt ? excerpt : "");
}

/* The builtin model's cosines are the ones CHAT_MIN_COSINE was measured
 * on; another model's scale differs (docs/chat.md). */
static double calibrated_cosine(const struct qconf *conf, const struct chat_source *s)
{
	return !strcmp(conf->embed_backend, "builtin") ? s->cosine : SEARCH_NO_EVIDENCE;
}

/* Citations and confidence of r->answer over the sources: the confidence
 * of its best cited chunk by retrieval evidence, for both answerers (both
 * cite retrieved chunks). */
static void finish_answer(struct chat_request *r, const struct chat_terms *q,
			  const struct chat_source *src)
{
	struct chat_answer *a = &r->answer;
	r->citations = json_array();
	r->confidence = CHAT_LOW;
	for (size_t k = 0; k < a->nused; k++) {
		const struct chat_source *s = &src[a->used[k]];
		if (!a->excerpt[k]) {
			free(a->section[k]);
			a->excerpt[k] = best_excerpt(q, s, &a->section[k]);
		}
		json_array_append_new(r->citations, citation_json(s, a->excerpt[k], a->section[k]));
		enum chat_confidence c = chat_confidence_for(s->match, calibrated_cosine(r->conf, s));
		if (c > r->confidence)
			r->confidence = c;
	}
}

/* ---- storing the turn ---------------------------------------------------- */

struct save_arg {
	struct chat_request *r;
	const char *query;
};

static enum qstatus save_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct save_arg *a = arg;
	struct chat_request *r = a->r;
	json_t *msgs = json_pack("[{s:s, s:s, s:s}, {s:s, s:o, s:O, s:s, s:s}]",
				 "role", "user", "content", r->message, "query", a->query,
				 "role", "assistant", "content",
				 json_stringn(r->answer.content.data ? r->answer.content.data : "",
					      r->answer.content.len),
				 "citations", r->citations,
				 "confidence", chat_confidence_name(r->confidence),
				 "answerer", r->conf->chat_answerer);
	if (!msgs)
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	enum qstatus st = chat_conv_append(t, r->conversation, r->account, r->org, r->user, msgs, err);
	json_decref(msgs);
	return st;
}

/* ---- the turn ------------------------------------------------------------ */

static enum qstatus retrieve(struct chat_request *r, struct retrieve_arg *ra, struct qerr *err)
{
	enum qstatus st = store_run(r->store, retrieve_fn, ra, err);
	if (st == Q_EBUSY && ra->method == SEARCH_HYBRID && strstr(err->msg, "embedding")) {
		/* The embedding service is down: answer from the keyword index. */
		QLOG_WARN("chat: hybrid search failed (%s); keyword search only", err->msg);
		qerr_clear(err);
		ra->method = SEARCH_KEYWORD;
		st = store_run(r->store, retrieve_fn, ra, err);
	}
	return st;
}

enum qstatus chat_run(struct chat_request *r, struct qerr *err)
{
	struct load_arg la = {r, (size_t)(r->conf->chat_history > 2 ? r->conf->chat_history : 2), NULL};
	struct retrieve_arg *ra = calloc(1, sizeof *ra);
	struct chat_terms *terms = calloc(1, sizeof *terms);
	char *carried = NULL;
	struct qbuf query, search;
	enum qstatus st = Q_OK;

	size_t mlen = strlen(r->message);
	chat_answer_init(&r->answer);
	qbuf_init(&query, mlen + 4096);   /* the message and what it carries over */
	qbuf_init(&search, mlen + 4096);  /* that, as searched */
	if (!ra || !terms) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	if (r->conversation_id) {
		if ((st = store_run(r->store, load_fn, &la, err)) != Q_OK)
			goto out;
		snprintf(r->conversation, sizeof r->conversation, "%s", r->conversation_id);
	} else if (q_uuid_new(r->conversation) < 0) {
		st = qerr_set(err, Q_EINTERNAL, NULL, "no random bytes");
		goto out;
	}
	/* The question, and what it inherits from the previous one. */
	enum text_lang lang = question_lang(r, mlen);
	qbuf_adds(&query, r->message);
	chat_terms_add(terms, r->message, mlen, lang, 1);
	if (chat_followup(r->message, previous_query(la.history), &carried)) {
		qbuf_printf(&query, "\n%s", carried);
		chat_terms_add(terms, carried, strlen(carried), lang, CHAT_CARRIED_WEIGHT);
	}
	if (query.data)
		chat_search_text(query.data, &search);
	if (!query.data || !search.data) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	ra->r = r;
	ra->query = search.data;
	ra->method = SEARCH_HYBRID;
	if ((st = retrieve(r, ra, err)) != Q_OK)
		goto out;
	r->begun = 1;
	if (r->begin && r->begin(r->emit_arg) != 0) {
		r->answer.gone = 1;
		goto out;
	}
	struct chat_turn t = {r->conf, r->message, terms, ra->src, ra->n, la.history,
			      r->emit, r->emit_arg};
	/* With nothing retrieved the builtin answerer says so; no model is asked. */
	const struct chat_answerer *an = ra->n ? chat_answerer_find(r->conf->chat_answerer) : NULL;
	if (!an)
		an = chat_answerer_find("builtin");
	st = an->answer(&t, &r->answer, err);
	if (st != Q_OK || r->answer.gone)
		goto out;
	finish_answer(r, terms, ra->src);
	struct save_arg sa = {r, query.data};
	st = store_run(r->store, save_fn, &sa, err);
out:
	if (ra)
		sources_free(ra->src, &ra->n);
	free(ra);
	free(terms);
	free(carried);
	qbuf_free(&query);
	qbuf_free(&search);
	json_decref(la.history);
	return st;
}

void chat_request_free(struct chat_request *r)
{
	chat_answer_free(&r->answer);
	json_decref(r->citations);
	r->citations = NULL;
}
