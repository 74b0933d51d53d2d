/* answerers.c: the answerers chat can use, by name (quire.conf's
 * chat_answerer); see struct chat_answerer in chat.h. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "chat/chat.h"
#include "chat/answerers.h"

#include <string.h>

static const struct chat_answerer *const answerers[] = {
	&answerer_builtin,
	&answerer_openai,
};

const struct chat_answerer *chat_answerer_find(const char *name)
{
	for (size_t i = 0; i < sizeof answerers / sizeof *answerers; i++)
		if (name && !strcmp(answerers[i]->name, name))
			return answerers[i];
	return NULL;
}
