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
	enum text_lang lang;     /* the question's: its terms are stemmed in it */
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
extern const struct chat_answerer answerer_builtin;   /* extractive, local (answer_builtin.c) */
extern const struct chat_answerer answerer_openai;    /* OpenAI-compatible (answer_openai.c) */

/* ---- terms (chat_terms.c) ------------------------------------------- */

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

#endif
