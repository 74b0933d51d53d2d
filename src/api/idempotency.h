/* idempotency.h: Idempotency-Key on every create route (native JSON and
 * multipart, ChatAid, Oshara): the first request's documents are replayed
 * for the same key and the same request; the same key with a different
 * request is refused (Q_ECONFLICT), never silently replayed. Records live
 * in T_IDEMPOTENCY under SHA-256(account ":" key): {document_ids,
 * fingerprint, created_us}. docs/api.md. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_IDEMPOTENCY_H
#define QUIRE_IDEMPOTENCY_H

#include <jansson.h>
#include "base/status.h"

struct qctx;
struct stxn;

#define IDEM_KEY_MAX 255
#define IDEM_HEX 65

/* The request's Idempotency-Key into *key (borrowed; NULL when absent);
 * Q_EINVAL when it is longer than IDEM_KEY_MAX bytes. */
enum qstatus idem_header(struct qctx *c, const char **key);
/* SHA-256 (hex, IDEM_HEX bytes) of what makes the request this request:
 * the method and route, the scope headers and text, the caller's
 * canonical rendering of its body. */
void idem_fingerprint(struct qctx *c, const char *text, size_t len, char *out);
/* Look key up for account: Q_ENOTFOUND when new; Q_OK with *ids (new: the
 * array of document ids the first request created) when the fingerprint
 * is the same; Q_ECONFLICT when the key was used for another request. */
enum qstatus idem_lookup(struct stxn *t, const char *account, const char *key,
			 const char *fingerprint, json_t **ids, struct qerr *err);
/* Replays the documents of ids into arg; Q_ENOTFOUND when they are gone. */
typedef enum qstatus (*idem_replay_fn)(struct stxn *t, json_t *ids, void *arg, struct qerr *err);
/* A create's first step: with no key, or a key not used yet (or whose
 * documents are gone), Q_OK with *replayed 0 (create anew); the same key
 * and request: fn replays the first result, Q_OK with *replayed 1; the
 * same key with another request: Q_ECONFLICT. */
enum qstatus idem_replay(struct stxn *t, const char *account, const char *key,
			 const char *fingerprint, idem_replay_fn fn, void *arg, int *replayed,
			 struct qerr *err);
/* Record the documents (array of ids, borrowed) the request created. */
enum qstatus idem_store(struct stxn *t, const char *account, const char *key,
			const char *fingerprint, json_t *ids, struct qerr *err);

#endif
