/* chat.h: one chat turn (DocBit's /api/ai/chat): resolve a follow-up
 * against the conversation, retrieve the caller's chunks (hybrid search
 * filtered by account, org, roles, documents, folders), answer from them
 * with the configured answerer (builtin: extractive; openai: an
 * OpenAI-compatible chat model, streamed), cite, rate the confidence, and
 * store both messages in the conversation. docs/chat.md has the rules. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_CHAT_H
#define QUIRE_CHAT_H

#include <jansson.h>
#include <stddef.h>
#include "base/conf.h"
#include "base/status.h"
#include "text/text.h"
#include "base/util.h"

struct store;

#define CHAT_MAX_SOURCES 16
#define CHAT_TERMS_MAX 48
#define CHAT_EXCERPT_MAX 300    /* bytes of a citation's excerpt */

enum chat_confidence { CHAT_LOW, CHAT_MEDIUM, CHAT_HIGH };
/* "Low", "Medium", "High". */
const char *chat_confidence_name(enum chat_confidence c);

/* A retrieved chunk, in rank order. Its strings and pages are owned by
 * chat.c, which retrieved them and frees them when the turn ends. */
struct chat_source {
	char doc_id[37];
	char chunk[64];          /* chunk key "<doc id>:<position>" */
	char *title;
	char *section;           /* "" when the chunk has none */
	char *text;
	int page;                /* 0 when the format has no pages */
	json_t *pages;           /* [[byte offset in text, page], ...] when the
				  * chunk spans pages (new), else NULL */
	enum text_lang lang;
	double score;            /* retrieval score (ranks this question's chunks only) */
	double match, cosine;    /* its retrieval evidence (search_hit) */
};

/* Weighted query terms: Snowball stems of the content words (stop words
 * dropped). The new message's terms weigh 1, terms carried over from the
 * conversation's previous question CHAT_CARRIED_WEIGHT. */
#define CHAT_CARRIED_WEIGHT 0.5
struct chat_terms {
	struct chat_term {
		char stem[TEXT_TOKEN_MAX];
		double w;
	} v[CHAT_TERMS_MAX];
	size_t n;
	double total;            /* sum of the weights */
};

/* Receives the answer as it is produced (a word, or a model's delta).
 * Returns 0, or -1 when the client is gone (the answerer stops). */
typedef int (*chat_emit_fn)(void *arg, const char *text, size_t len);

/* What an answerer gets (all borrowed). */
struct chat_turn {
	const struct qconf *conf;
	const char *message;
	const struct chat_terms *terms;
	const struct chat_source *src;
	size_t nsrc;
	json_t *history;         /* earlier messages [{role, content}], oldest first */
	chat_emit_fn emit;       /* NULL: nobody listens (non-streaming) */
	void *emit_arg;
};

/* What an answerer produces. Release with chat_answer_free. */
struct chat_answer {
	struct qbuf content;
	size_t used[CHAT_MAX_SOURCES];      /* indexes into src, in citation order */
	char *excerpt[CHAT_MAX_SOURCES];    /* per used source, owned; NULL: pick one */
	char *section[CHAT_MAX_SOURCES];    /* per used source, owned; NULL: the chunk's */
	size_t nused;
	int gone;                /* the client went away while streaming */
	int upstream;            /* the answer model failed (502 / error event) */
};
void chat_answer_init(struct chat_answer *a);
void chat_answer_free(struct chat_answer *a);
/* Emit text through t (when it streams) and append it to a->content. */
int chat_answer_put(const struct chat_turn *t, struct chat_answer *a, const char *text,
		    size_t len);
/* Text cut to CHAT_EXCERPT_MAX bytes at a word, "..." marking a cut
 * (new, caller frees). */
char *chat_excerpt(const char *s, size_t len);
/* Cite src[i] once; excerpt and section are stolen and may be NULL. */
void chat_answer_cite(struct chat_answer *a, size_t i, char *excerpt, char *section);

/* An answerer, as chat.c sees it: a name (quire.conf's chat_answerer) and
 * one function. answer gives Q_OK with the answer in a, or an error in err;
 * a->upstream marks failures of a model service. chat.c reaches answerers
 * only through chat_answerer_find, so it names none of them; a new one is a
 * new file and a line in answerers.c. */
struct chat_answerer {
	const char *name;
	enum qstatus (*answer)(const struct chat_turn *t, struct chat_answer *a,
			       struct qerr *err);
};
/* The answerer called name, or NULL (answerers.c). */
const struct chat_answerer *chat_answerer_find(const char *name);
extern const struct chat_answerer answerer_builtin;   /* extractive, local (answer_builtin.c) */
extern const struct chat_answerer answerer_openai;    /* OpenAI-compatible (answer_openai.c) */

/* ---- terms (chat_terms.c) ------------------------------------------- */

/* Add the content words of text (n bytes) in lang with weight w; a term
 * already present keeps the larger weight. Returns the number of content
 * words seen. */
size_t chat_terms_add(struct chat_terms *t, const char *text, size_t n, enum text_lang lang,
		      double w);
/* Calls cb for each content-word stem of text (repeats included). */
void chat_stems(const char *text, size_t n, enum text_lang lang,
		void (*cb)(const char *stem, size_t len, void *arg), void *arg);
/* The content words of message as written, space-separated, into out
 * ("I could not find anything about <topic> ..."); the trimmed message
 * itself when it has none. */
void chat_topic(const char *message, char *out, size_t outlen);
/* text without its question phrasing (ask words: "tell", "me", "many",
 * ...), appended to out: what chat searches with, so that a word the
 * question needs only to be a question neither ranks chunks nor weighs in
 * their match (search.h). All of text when nothing else is left. */
void chat_search_text(const char *text, struct qbuf *out);
/* Index of stem in t, or -1. */
int chat_terms_find(const struct chat_terms *t, const char *stem, size_t len);
/* Weighted share (0..1) of t's terms that occur in text. */
double chat_coverage(const struct chat_terms *t, const char *text, size_t n, enum text_lang lang);
/* The follow-up rule: when prev (the previous question's retrieval query)
 * is given and message has at most CHAT_SHORT_TERMS content words or a
 * word that points back (it, they, this, ...), the query is message plus
 * up to CHAT_CARRY_MAX content words of prev not already in it, carried
 * into *carried (new, caller frees; "" when none). */
#define CHAT_SHORT_TERMS 3
#define CHAT_CARRY_MAX 12
int chat_followup(const char *message, const char *prev, char **carried);

/* The confidence one cited chunk gives, from its retrieval evidence
 * (search.h): match, the share of the question's attainable BM25 it
 * scores, taken to a chunk of the account's mean length
 * (chat_match_typical), and cosine, its vector's similarity with the
 * question's (below -1: none, or a model the threshold was not measured
 * for). A cosine under CHAT_MIN_COSINE is Low whatever the words;
 * otherwise High from CHAT_HIGH_MATCH, Medium from CHAT_MEDIUM_MATCH. An
 * answer takes its best cited chunk's; none cited is Low. docs/chat.md
 * has the measurement. */
#define CHAT_HIGH_MATCH 0.4
#define CHAT_MEDIUM_MATCH 0.15
#define CHAT_MIN_COSINE 0.2
enum chat_confidence chat_confidence_for(double match, double cosine);
/* match (search_hit) as the chunk would score at the account's mean
 * length: BM25 gives an occurrence in a chunk of length norm norm
 * (lexical_length_norm) (k1 + 1) / (1 + k1 norm) of its idf, so a long
 * section answering the question word for word would otherwise fall below
 * a threshold a short one passes. Capped at 1; no evidence (< 0) stays. */
double chat_match_typical(double match, double norm);

/* ---- one turn (chat.c) ------------------------------------------------ */

struct chat_request {
	/* in (borrowed) */
	const struct qconf *conf;
	struct store *store;
	const char *account, *org, *user;
	json_t *roles;                /* array of strings */
	json_t *doc_ids, *folder_ids; /* arrays or NULL */
	const char *message;
	const char *conversation_id;  /* NULL: a new conversation */
	chat_emit_fn emit;            /* NULL: not streaming */
	void *emit_arg;
	/* Called once, after retrieval and before the first token (a stream
	 * sends its headers there); non-zero stops the turn (client gone). */
	int (*begin)(void *arg);
	/* out */
	char conversation[37];
	struct chat_answer answer;
	json_t *citations;            /* new: [{documentId, ...}] */
	enum chat_confidence confidence;
	int begun;                    /* begin was called */
};

/* Run one turn. Q_ENOTFOUND ("Conversation not found") when the id is not
 * the caller's (another org's or user's, or none); other errors in err.
 * On Q_OK the conversation holds the question and the answer. Release
 * with chat_request_free. */
enum qstatus chat_run(struct chat_request *r, struct qerr *err);
void chat_request_free(struct chat_request *r);

/* ---- conversations (chat_store.c) ------------------------------------ */

struct stxn;
/* The conversation id if it is account's, org's and user's; Q_ENOTFOUND
 * otherwise (one answer for missing and foreign ids). *history (new) gets
 * its last max messages [{role, content, query?}], oldest first. */
enum qstatus chat_conv_load(struct stxn *t, const char *id, const char *account,
			    const char *org, const char *user, size_t max, json_t **history,
			    struct qerr *err);
/* Append messages (array of message objects, borrowed) to conversation id,
 * creating it for account, org and user when it does not exist. */
enum qstatus chat_conv_append(struct stxn *t, const char *id, const char *account,
			      const char *org, const char *user, json_t *messages,
			      struct qerr *err);

#endif
