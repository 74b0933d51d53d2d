/* chat_store.c: conversations and their messages (T_CONVERSATIONS,
 * T_MESSAGES keyed "<conversation>:<10-digit seq>", I_MESSAGES_BY_CONV).
 * A conversation belongs to one account, org and user; any other caller
 * gets the same "Conversation not found" as for an id that never existed. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "chat/chat.h"
#include "chat/chat_store.h"
#include "store/store.h"
#include "base/util.h"

#include <stdio.h>
#include <string.h>

static enum qstatus not_found(struct qerr *err)
{
	return qerr_set(err, Q_ENOTFOUND, "conversationId", "Conversation not found");
}

static int owned_by(json_t *conv, const char *account, const char *org, const char *user)
{
	const char *a = json_string_value(json_object_get(conv, "account"));
	const char *o = json_string_value(json_object_get(conv, "org"));
	const char *u = json_string_value(json_object_get(conv, "user"));
	return a && o && u && !strcmp(a, account) && !strcmp(o, org) && !strcmp(u, user);
}

static void message_key(const char *conv, json_int_t seq, char *key, size_t n)
{
	snprintf(key, n, "%s:%010lld", conv, (long long)seq);
}

enum qstatus chat_conv_load(struct stxn *t, const char *id, const char *account,
			    const char *org, const char *user, size_t max, json_t **history,
			    struct qerr *err)
{
	json_t *conv = NULL;
	struct store_ids ids = {0};
	struct store_key k;
	size_t count = 0;
	enum qstatus st;

	*history = NULL;
	if (!q_uuid_valid(id))
		return not_found(err);
	st = store_get(t, T_CONVERSATIONS, id, &conv, 0, err);
	if (st == Q_ENOTFOUND || (st == Q_OK && !owned_by(conv, account, org, user))) {
		st = not_found(err);
		goto out;
	}
	if (st != Q_OK)
		goto out;
	store_key_init(&k);
	store_key_str(&k, id);
	if ((st = store_count(t, I_MESSAGES_BY_CONV, &k, &count, err)) != Q_OK)
		goto out;
	size_t skip = count > max ? count - max : 0;
	if (max && (st = store_scan(t, I_MESSAGES_BY_CONV, &k, skip, max, store_collect, &ids,
				    err)) != Q_OK)
		goto out;
	if (ids.oom) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	*history = json_array();
	for (size_t i = 0; i < ids.n && st == Q_OK; i++) {
		json_t *m;
		if ((st = store_get(t, T_MESSAGES, ids.ids[i], &m, 0, err)) != Q_OK)
			break;
		json_t *h = json_pack("{s:O, s:O}", "role", json_object_get(m, "role"),
				      "content", json_object_get(m, "content"));
		if (h && json_object_get(m, "query"))
			json_object_set(h, "query", json_object_get(m, "query"));
		if (h)
			json_array_append_new(*history, h);
		json_decref(m);
	}
	if (st != Q_OK) {
		json_decref(*history);
		*history = NULL;
	}
out:
	store_ids_free(&ids);
	json_decref(conv);
	return st;
}

enum qstatus chat_conv_append(struct stxn *t, const char *id, const char *account,
			      const char *org, const char *user, json_t *messages,
			      struct qerr *err)
{
	json_t *conv = NULL;
	json_int_t now = (json_int_t)q_now_us();
	enum qstatus st = store_get(t, T_CONVERSATIONS, id, &conv, STORE_RMW, err);

	if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		conv = json_pack("{s:s, s:s, s:s, s:s, s:I, s:i}", "id", id, "account", account,
				 "org", org, "user", user, "created_us", now, "messages", 0);
		if (!conv)
			return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		st = Q_OK;
	} else if (st == Q_OK && !owned_by(conv, account, org, user)) {
		st = not_found(err);
	}
	if (st != Q_OK)
		goto out;
	json_int_t seq = json_integer_value(json_object_get(conv, "messages"));
	size_t i;
	json_t *m;
	json_array_foreach(messages, i, m) {
		char key[80];
		message_key(id, seq, key, sizeof key);
		json_object_set_new(m, "conversation_id", json_string(id));
		json_object_set_new(m, "seq", json_integer(seq));
		json_object_set_new(m, "created_us", json_integer(now));
		if ((st = store_put(t, T_MESSAGES, key, m, err)) != Q_OK)
			goto out;
		seq++;
	}
	json_object_set_new(conv, "messages", json_integer(seq));
	json_object_set_new(conv, "updated_us", json_integer(now));
	st = store_put(t, T_CONVERSATIONS, id, conv, err);
out:
	json_decref(conv);
	return st;
}
