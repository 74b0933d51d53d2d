/* accounts.h: accounts and their knowledge bases: found, created, and each
 * account's default knowledge base. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_ACCOUNTS_H
#define QUIRE_ACCOUNTS_H

#include <stddef.h>
#include "base/status.h"

struct stxn;

/* Find the account named name or create it with its default knowledge base. */
enum qstatus account_ensure(struct stxn *t, const char *name, char *id, int *created,
			    struct qerr *err);
/* Look up an account by name; Q_ENOTFOUND when absent. */
enum qstatus account_find(struct stxn *t, const char *name, char *id, struct qerr *err);
/* The default knowledge base id of account. */
enum qstatus account_default_kb(struct stxn *t, const char *account, char *kb,
				struct qerr *err);
/* Create a knowledge base; Q_ECONFLICT when the slug exists in the account. */
enum qstatus kb_create(struct stxn *t, const char *account, const char *slug,
		       const char *name, char *id, struct qerr *err);
/* Id of account's knowledge base slug into id, or Q_ENOTFOUND. */
enum qstatus kb_find(struct stxn *t, const char *account, const char *slug, char *id,
		     struct qerr *err);
/* 1 when slug is 1-64 of [a-z0-9-_], starting with a letter or digit. */
int kb_slug_valid(const char *slug);

#endif
