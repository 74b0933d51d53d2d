/* docbit_chat.h: DocBit's chat routes, shaped exactly as its seed. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_API_DOCBIT_CHAT_H
#define QUIRE_API_DOCBIT_CHAT_H

#include "api/api.h"

/* Chat (docbit_chat.c): DocBit's POST /api/ai/chat and /api/ai/chat/stream. */
enum qstatus api_chat(struct qctx *c);
enum qstatus api_chat_stream(struct qctx *c);

#endif
