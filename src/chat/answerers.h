/* answerers.h: the answerers chat can use, by name (quire.conf's
 * chat_answerer); see struct chat_answerer in chat.h. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_CHAT_ANSWERERS_H
#define QUIRE_CHAT_ANSWERERS_H

#include "chat/chat.h"

/* The answerer called name, or NULL (answerers.c). */
const struct chat_answerer *chat_answerer_find(const char *name);

#endif
