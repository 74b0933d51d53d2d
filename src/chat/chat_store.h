/* chat_store.h: conversations and their messages (T_CONVERSATIONS,
 * T_MESSAGES keyed "<conversation>:<10-digit seq>", I_MESSAGES_BY_CONV). A
 * conversation belongs to one account, org and user; any other caller gets
 * the same "Conversation not found" as for an id that never existed. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_CHAT_CHAT_STORE_H
#define QUIRE_CHAT_CHAT_STORE_H

#include "chat/chat.h"

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
