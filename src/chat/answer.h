/* answer.h: what an answerer produces: the text as it streams, the sources
 * it cites, their excerpts (see chat.h). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_CHAT_ANSWER_H
#define QUIRE_CHAT_ANSWER_H

#include "chat/chat.h"

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

#endif
