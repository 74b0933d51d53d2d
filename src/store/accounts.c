/* accounts.c: accounts and knowledge bases. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "store/docs.h"
#include "store/accounts.h"
#include "store/store.h"
#include "base/util.h"

#include <stdio.h>
#include <string.h>

struct first_ctx {
	char *out;
};

static int take_first(const char *pk, void *arg)
{
	struct first_ctx *f = arg;
	snprintf(f->out, 37, "%s", pk);
	return 1;
}

enum qstatus account_find(struct stxn *t, const char *name, char *id, struct qerr *err)
{
	struct store_key k;
	struct first_ctx f = {id};
	id[0] = '\0';
	store_key_init(&k);
	store_key_str(&k, name);
	enum qstatus st = store_scan(t, I_ACCOUNTS_BY_NAME, &k, 0, 1, take_first, &f, err);
	if (st != Q_OK)
		return st;
	if (!id[0])
		return qerr_set(err, Q_ENOTFOUND, "account", "no account named '%.64s'", name);
	return Q_OK;
}

int kb_slug_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64 || s[0] == '-' || s[0] == '_')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '-' || s[i] == '_'))
			return 0;
	return 1;
}

enum qstatus kb_find(struct stxn *t, const char *account, const char *slug,
			    char *id, struct qerr *err)
{
	struct store_key k;
	struct first_ctx f = {id};
	id[0] = '\0';
	store_key_init(&k);
	store_key_str(&k, account);
	store_key_str(&k, slug);
	enum qstatus st = store_scan(t, I_KBS_BY_SLUG, &k, 0, 1, take_first, &f, err);
	if (st == Q_OK && !id[0])
		return qerr_set(err, Q_ENOTFOUND, "slug", "no knowledge base '%.64s'", slug);
	return st;
}

enum qstatus kb_create(struct stxn *t, const char *account, const char *slug,
		       const char *name, char *id, struct qerr *err)
{
	char existing[37];
	enum qstatus st;

	if (!kb_slug_valid(slug))
		return qerr_set(err, Q_EINVAL, "slug",
				"a slug is 1-64 lowercase letters, digits, '-' or '_'");
	st = kb_find(t, account, slug, existing, err);
	if (st == Q_OK)
		return qerr_set(err, Q_ECONFLICT, "slug", "knowledge base '%s' exists", slug);
	if (st != Q_ENOTFOUND)
		return st;
	qerr_clear(err);
	if (q_uuid_new(id) < 0)
		return qerr_set(err, Q_EINTERNAL, NULL, "no random bytes");
	json_t *rec = json_pack("{s:s, s:s, s:s, s:s, s:I, s:{s:s, s:i, s:i}}", "id", id,
				"account", account, "slug", slug, "name", name, "created_us",
				(json_int_t)q_now_us(), "process_rule", "separator", "\n\n",
				"max_tokens", 500, "chunk_overlap", 50);
	if (!rec)
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	st = store_put(t, T_KBS, id, rec, err);
	json_decref(rec);
	return st;
}

enum qstatus account_ensure(struct stxn *t, const char *name, char *id, int *created,
			    struct qerr *err)
{
	enum qstatus st = account_find(t, name, id, err);
	*created = 0;
	if (st != Q_ENOTFOUND)
		return st;
	qerr_clear(err);
	if (!*name || strlen(name) > 128)
		return qerr_set(err, Q_EINVAL, "account", "an account name is 1-128 bytes");
	char kb[37];
	if (q_uuid_new(id) < 0)
		return qerr_set(err, Q_EINTERNAL, NULL, "no random bytes");
	if ((st = kb_create(t, id, "default", "Default", kb, err)) != Q_OK)
		return st;
	json_t *rec = json_pack("{s:s, s:s, s:I, s:s}", "id", id, "name", name, "created_us",
				(json_int_t)q_now_us(), "default_kb", kb);
	st = store_put(t, T_ACCOUNTS, id, rec, err);
	json_decref(rec);
	*created = st == Q_OK;
	return st;
}

enum qstatus account_default_kb(struct stxn *t, const char *account, char *kb,
				struct qerr *err)
{
	json_t *rec;
	enum qstatus st = store_get(t, T_ACCOUNTS, account, &rec, 0, err);
	if (st != Q_OK)
		return st;
	snprintf(kb, 37, "%s", json_string_value(json_object_get(rec, "default_kb")) ?: "");
	json_decref(rec);
	return Q_OK;
}
