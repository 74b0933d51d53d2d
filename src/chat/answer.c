/* answer.c: what an answerer produces: the text as it streams, the
 * sources it cites, their excerpts (see chat.h). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "chat/chat.h"
#include "chat/answer.h"

#include <stdlib.h>
#include <string.h>

void chat_answer_init(struct chat_answer *a)
{
	memset(a, 0, sizeof *a);
	qbuf_init(&a->content, 1 << 20);
}

void chat_answer_free(struct chat_answer *a)
{
	qbuf_free(&a->content);
	for (size_t i = 0; i < a->nused; i++) {
		free(a->excerpt[i]);
		free(a->section[i]);
	}
	a->nused = 0;
}

int chat_answer_put(const struct chat_turn *t, struct chat_answer *a, const char *text,
		    size_t len)
{
	if (!len)
		return 0;
	qbuf_add(&a->content, text, len);
	return t->emit ? t->emit(t->emit_arg, text, len) : 0;
}

void chat_answer_cite(struct chat_answer *a, size_t i, char *excerpt, char *section)
{
	for (size_t k = 0; k < a->nused; k++)
		if (a->used[k] == i) {
			free(excerpt);
			free(section);
			return;
		}
	if (a->nused == CHAT_MAX_SOURCES) {
		free(excerpt);
		free(section);
		return;
	}
	a->used[a->nused] = i;
	a->excerpt[a->nused] = excerpt;
	a->section[a->nused] = section;
	a->nused++;
}

char *chat_excerpt(const char *s, size_t len)
{
	struct qbuf e;
	while (len && (*s == ' ' || *s == '\n' || *s == '#')) {
		s++;
		len--;
	}
	qbuf_init(&e, CHAT_EXCERPT_MAX + 8);
	if (len <= CHAT_EXCERPT_MAX) {
		qbuf_add(&e, s, len);
	} else {
		size_t cut = CHAT_EXCERPT_MAX - 3;
		while (cut > CHAT_EXCERPT_MAX / 2 && s[cut] != ' ')
			cut--;
		while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;   /* never inside a UTF-8 sequence */
		qbuf_add(&e, s, cut);
		qbuf_adds(&e, "...");
	}
	return e.data ? e.data : strdup("");
}
