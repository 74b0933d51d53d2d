/* idempotency.c: Idempotency-Key on every create route: replay or refuse. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "api/idempotency.h"
#include "api/api.h"
#include "http/auth.h"
#include "store/store.h"
#include "base/util.h"

#include <stdio.h>
#include <string.h>

enum qstatus idem_header(struct qctx *c, const char **key)
{
	const char *v = qreq_param(c->req, "HTTP_IDEMPOTENCY_KEY");
	*key = NULL;
	if (!*v)
		return Q_OK;
	if (strlen(v) > IDEM_KEY_MAX)
		return qerr_set(&c->err, Q_EINVAL, "Idempotency-Key", "Idempotency-Key is too long");
	*key = v;
	return Q_OK;
}

void idem_fingerprint(struct qctx *c, const char *text, size_t len, char *out)
{
	static const char *const vars[] = {"REQUEST_METHOD", "HTTP_X_EXTERNAL_ORG_ID",
					   "HTTP_X_EXTERNAL_FOLDER_ID",
					   "HTTP_X_EXTERNAL_ALLOWED_ROLES", "QUERY_STRING"};
	struct qbuf b;
	qbuf_init(&b, (size_t)1 << 31);
	qbuf_adds(&b, c->req->path);
	for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
		qbuf_add(&b, "\n", 1);
		qbuf_adds(&b, qreq_param(c->req, vars[i]));
	}
	qbuf_add(&b, "\n", 1);
	qbuf_add(&b, text, len);
	/* auth_key_hash is SHA-256 of a string: NUL-free here (JSON, hex, names) */
	auth_key_hash(b.data ? b.data : "", out);
	qbuf_free(&b);
}

static void record_key(const char *account, const char *key, char *out)
{
	char buf[IDEM_KEY_MAX + 64];
	snprintf(buf, sizeof buf, "%s:%s", account, key);
	auth_key_hash(buf, out);
}

enum qstatus idem_lookup(struct stxn *t, const char *account, const char *key,
			 const char *fingerprint, json_t **ids, struct qerr *err)
{
	char k[AUTH_HASH_HEX];
	json_t *rec;
	*ids = NULL;
	record_key(account, key, k);
	enum qstatus st = store_get(t, T_IDEMPOTENCY, k, &rec, STORE_RMW, err);
	if (st != Q_OK)
		return st;
	const char *fp = json_string_value(json_object_get(rec, "fingerprint"));
	/* Records from before fingerprints: the key alone decides, as it did. */
	if (fp && strcmp(fp, fingerprint)) {
		json_decref(rec);
		return qerr_set(err, Q_ECONFLICT, "Idempotency-Key",
				"Idempotency-Key was already used for a different request");
	}
	json_t *v = json_object_get(rec, "document_ids");
	if (json_is_array(v))
		*ids = json_incref(v);
	else if (json_is_string(json_object_get(rec, "document_id")))
		*ids = json_pack("[O]", json_object_get(rec, "document_id"));
	else
		*ids = json_array();
	json_decref(rec);
	return Q_OK;
}

enum qstatus idem_store(struct stxn *t, const char *account, const char *key,
			const char *fingerprint, json_t *ids, struct qerr *err)
{
	char k[AUTH_HASH_HEX];
	record_key(account, key, k);
	json_t *rec = json_pack("{s:O, s:s, s:I}", "document_ids", ids, "fingerprint", fingerprint,
				"created_us", (json_int_t)q_now_us());
	if (!rec)
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	enum qstatus st = store_put(t, T_IDEMPOTENCY, k, rec, err);
	json_decref(rec);
	return st;
}

enum qstatus idem_replay(struct stxn *t, const char *account, const char *key,
			 const char *fingerprint, idem_replay_fn fn, void *arg, int *replayed,
			 struct qerr *err)
{
	json_t *ids;
	enum qstatus st;

	*replayed = 0;
	if (!key)
		return Q_OK;
	st = idem_lookup(t, account, key, fingerprint, &ids, err);
	if (st == Q_OK) {
		st = fn(t, ids, arg, err);
		json_decref(ids);
		if (st == Q_OK) {
			*replayed = 1;
			return Q_OK;
		}
	}
	if (st != Q_ENOTFOUND)
		return st;
	qerr_clear(err);
	return Q_OK;
}
