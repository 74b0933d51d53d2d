/* chat_terms.h: query terms for chat: weighted stems, coverage of the query
 * by a text, the follow-up rule and the confidence thresholds. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_CHAT_CHAT_TERMS_H
#define QUIRE_CHAT_CHAT_TERMS_H

#include "chat/chat.h"

/* "Low", "Medium", "High". */
const char *chat_confidence_name(enum chat_confidence c);

/* Add the content words of text (n bytes) in lang with weight w; a term
 * already present keeps the larger weight; lang becomes t->lang. Returns
 * the number of content words seen. */
size_t chat_terms_add(struct chat_terms *t, const char *text, size_t n, enum text_lang lang,
		      double w);
/* Calls cb for each content-word stem of text in lang (repeats included),
 * again = 0. When also is another language whose stem of the word differs
 * (the question's, for a source identified as another language), cb is
 * called a second time with that stem and again = 1, so a word is found
 * whichever of the two languages the text was taken to be in. */
void chat_stems(const char *text, size_t n, enum text_lang lang, enum text_lang also,
		void (*cb)(const char *stem, size_t len, int again, void *arg), void *arg);
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
/* Weighted share (0..1) of t's terms that occur in text (in lang, or
 * in the question's language t->lang). */
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

#endif
