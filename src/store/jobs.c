/* jobs.c: ingest and embed job records. Status values: pending,
 * processing, completed, failed (ChatIQ's job statuses). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "store/docs.h"
#include "store/jobs.h"
#include "store/store.h"
#include "base/jsonscan.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum qstatus job_create_chunk(struct stxn *t, const char *account, const char *doc_id,
			      unsigned chunk, char *job_id, struct qerr *err)
{
	if (q_uuid_new(job_id) < 0)
		return qerr_set(err, Q_EINTERNAL, NULL, "no random bytes");
	json_int_t now = (json_int_t)q_now_us();
	json_t *rec = json_pack("{s:s, s:s, s:s, s:s, s:i, s:s, s:i, s:n, s:I, s:I, s:n}", "id",
				job_id, "kind", "embed", "account", account, "document_id", doc_id,
				"chunk", (int)chunk, "status", "pending", "attempts", 0, "error",
				"created_us", now, "updated_us", now, "locked_at");
	if (!rec)
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	enum qstatus st = store_put(t, T_JOBS, job_id, rec, err);
	json_decref(rec);
	return st;
}

enum qstatus job_create(struct stxn *t, const char *kind, const char *account,
			const char *doc_id, char *job_id, struct qerr *err)
{
	if (q_uuid_new(job_id) < 0)
		return qerr_set(err, Q_EINTERNAL, NULL, "no random bytes");
	json_int_t now = (json_int_t)q_now_us();
	json_t *rec = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:n, s:I, s:I, s:n}", "id",
				job_id, "kind", kind, "account", account, "document_id", doc_id,
				"status", "pending", "attempts", 0, "error", "created_us", now,
				"updated_us", now, "locked_at");
	if (!rec)
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	enum qstatus st = store_put(t, T_JOBS, job_id, rec, err);
	json_decref(rec);
	return st;
}

enum qstatus job_set_str(struct stxn *t, const char *job_id, const char *key, const char *value,
			 struct qerr *err)
{
	json_t *rec;
	enum qstatus st = store_get(t, T_JOBS, job_id, &rec, STORE_RMW, err);
	if (st != Q_OK)
		return st;
	if (value)
		json_object_set_new(rec, key, json_string(value));
	else
		json_object_del(rec, key);
	st = store_put(t, T_JOBS, job_id, rec, err);
	json_decref(rec);
	return st;
}

enum qstatus jobs_delete_for_doc(struct stxn *t, const char *doc_id, const char *kind,
				 int only_pending, struct qerr *err)
{
	struct store_ids l = {0};
	struct store_key k;
	enum qstatus st;

	store_key_init(&k);
	store_key_str(&k, doc_id);
	st = store_scan(t, I_JOBS_BY_DOC, &k, 0, 0, store_collect, &l, err);
	if (st == Q_OK && l.oom)
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	/* the two fields scanned, not parsed (jsonscan.h): a reingest's
	 * index transaction reads its own ingest job here, which it keeps
	 * (docs/ingest.md, eighth round); store_del reads what it needs */
	static const char *const names[] = {"kind", "status"};
	struct qbuf b;
	qbuf_init(&b, SIZE_MAX);
	for (size_t i = 0; st == Q_OK && i < l.n; i++) {
		struct q_span v[2];
		char jk[16], js[16];   /* longer values are cut, matching neither */
		if ((st = store_get_buf_rmw(t, T_JOBS, l.ids[i], &b, err)) != Q_OK)
			break;
		if (q_json_members(b.data, b.len, names, v, 2) < 0) {
			st = qerr_set(err, Q_EDB, NULL, "a stored record is damaged");
			break;
		}
		q_span_str(v[0], jk, sizeof jk);
		q_span_str(v[1], js, sizeof js);
		int match = (!kind || !strcmp(kind, jk)) && (!only_pending || !strcmp(js, "pending"));
		if (match)
			st = store_del(t, T_JOBS, l.ids[i], err);
	}
	qbuf_free(&b);
	store_ids_free(&l);
	return st;
}

enum qstatus jobs_count(struct stxn *t, const char *kind, const char *status,
			size_t *n, struct qerr *err)
{
	struct store_key k;
	store_key_init(&k);
	store_key_str(&k, kind);
	store_key_str(&k, status);
	return store_count(t, I_JOBS_BY_STATUS, &k, n, err);
}
