/* chunks.c: a document's chunks (Dify: segments), keyed "<doc id>:<position>". */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "store/docs.h"
#include "store/chunks.h"
#include "store/lexical.h"
#include "store/store.h"
#include "base/util.h"

#include <stdio.h>

static void chunk_key(const char *doc_id, unsigned position, char *out, size_t n)
{
	snprintf(out, n, "%s:%08u", doc_id, position);
}

#define TITLE_MAX 1024   /* bytes of a title indexed */

static void doc_fields(json_t *doc, char *account, size_t n, char title[TITLE_MAX])
{
	snprintf(account, n, "%s", json_string_value(json_object_get(doc, "account")) ?: "");
	snprintf(title, TITLE_MAX, "%s", json_string_value(json_object_get(doc, "title")) ?: "");
}

/* The account and title of a chunk's document ("" when it is gone). */
static enum qstatus chunk_doc(struct stxn *t, const char *doc_id, char *account, size_t n,
			      char title[TITLE_MAX], struct qerr *err)
{
	json_t *doc;
	enum qstatus st = store_get(t, T_DOCS, doc_id, &doc, 0, err);
	account[0] = '\0';
	title[0] = '\0';
	if (st == Q_ENOTFOUND) {   /* a chunk without its document: no account's */
		qerr_clear(err);
		return Q_OK;
	}
	if (st != Q_OK)
		return st;
	doc_fields(doc, account, n, title);
	json_decref(doc);
	return Q_OK;
}

enum qstatus chunk_account(struct stxn *t, const char *doc_id, char *out, size_t n,
			   struct qerr *err)
{
	char title[TITLE_MAX];
	return chunk_doc(t, doc_id, out, n, title, err);
}

/* What of a chunk record is indexed; title: its document's, for a record
 * indexed before titles were kept in it. */
static struct lexical_chunk indexed(json_t *rec, const char *title)
{
	const char *kept = json_string_value(json_object_get(rec, "index_title"));
	struct lexical_chunk c = {json_string_value(json_object_get(rec, "text")) ?: "",
				  kept ? kept : title,
				  json_string_value(json_object_get(rec, "section")),
				  (enum text_lang)json_integer_value(json_object_get(rec, "lang"))};
	return c;
}

enum qstatus chunk_put(struct stxn *t, const char *doc_id, unsigned position, json_t *rec,
		       struct qerr *err)
{
	return chunk_put_to(t, doc_id, position, rec, NULL, err);
}

enum qstatus chunk_put_to(struct stxn *t, const char *doc_id, unsigned position, json_t *rec,
			  struct lexical_batch *b, struct qerr *err)
{
	return chunk_put_doc(t, doc_id, NULL, position, rec, b, err);
}

enum qstatus chunk_put_doc(struct stxn *t, const char *doc_id, json_t *doc, unsigned position,
			   json_t *rec, struct lexical_batch *b, struct qerr *err)
{
	char account[STORE_ID_MAX], title[TITLE_MAX];
	char key[64];
	chunk_key(doc_id, position, key, sizeof key);
	char id[37];
	json_object_set_new(rec, "document_id", json_string(doc_id));
	json_object_set_new(rec, "position", json_integer(position));
	if (!json_object_get(rec, "id") && q_uuid_new(id) == 0)
		json_object_set_new(rec, "id", json_string(id));   /* Dify's segment id */
	if (!json_object_get(rec, "created_us"))
		json_object_set_new(rec, "created_us", json_integer((json_int_t)q_now_us()));
	enum qstatus st = Q_OK;
	if (doc)
		doc_fields(doc, account, sizeof account, title);
	else if ((st = chunk_doc(t, doc_id, account, sizeof account, title, err)) != Q_OK)
		return st;
	json_object_set_new(rec, "index_title", json_string(title));
	if ((st = store_put(t, T_CHUNKS, key, rec, err)) != Q_OK)
		return st;
	struct lexical_chunk c = indexed(rec, title);
	return b ? lexical_add_to(t, account, key, &c, b, err) : lexical_add(t, account, key, &c, err);
}

enum qstatus chunk_reindex(struct stxn *t, const char *chunk_key, json_t *rec, int *added,
			   int *orphan, struct qerr *err)
{
	char account[STORE_ID_MAX], title[TITLE_MAX];
	*added = *orphan = 0;
	enum qstatus st = chunk_doc(t, json_string_value(json_object_get(rec, "document_id")) ?: "",
				    account, sizeof account, title, err);
	if (st != Q_OK)
		return st;
	if (!account[0]) {   /* its document is gone: never searched */
		*orphan = 1;
		return Q_OK;
	}
	struct lexical_chunk c = indexed(rec, title);
	return lexical_add_missing(t, account, chunk_key, &c, added, err);
}

enum qstatus chunks_delete_for_doc(struct stxn *t, const char *doc_id, struct qerr *err)
{
	return chunks_delete_for_doc_rec(t, doc_id, NULL, err);
}

enum qstatus chunks_delete_for_doc_rec(struct stxn *t, const char *doc_id, json_t *doc,
				       struct qerr *err)
{
	struct store_key k;
	struct store_ids ids = {0};
	char account[STORE_ID_MAX], title[TITLE_MAX];
	store_key_init(&k);
	store_key_str(&k, doc_id);
	enum qstatus st = Q_OK;
	if (doc)
		doc_fields(doc, account, sizeof account, title);
	else
		st = chunk_doc(t, doc_id, account, sizeof account, title, err);
	if (st == Q_OK)
		st = store_scan(t, I_CHUNKS_BY_DOC, &k, 0, 0, store_collect, &ids, err);
	if (st == Q_OK && ids.oom)
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; st == Q_OK && i < ids.n; i++) {
		json_t *rec;
		if ((st = store_get(t, T_CHUNKS, ids.ids[i], &rec, STORE_RMW, err)) != Q_OK)
			break;
		/* Its postings: the same analysis as when it was indexed. */
		struct lexical_chunk c = indexed(rec, title);
		st = lexical_remove(t, account, ids.ids[i], &c, err);
		json_decref(rec);
		if (st == Q_OK)
			st = store_del(t, T_CHUNKS, ids.ids[i], err);
		if (st == Q_OK) {
			/* Its vector goes with it (absent while not yet embedded). */
			st = store_del(t, T_VECTORS, ids.ids[i], err);
			if (st == Q_ENOTFOUND) {
				qerr_clear(err);
				st = Q_OK;
			}
		}
	}
	store_ids_free(&ids);
	return st;
}

enum qstatus chunks_list(struct stxn *t, const char *doc_id, size_t offset, size_t limit,
			 int (*cb)(json_t *chunk, void *arg), void *arg, size_t *total,
			 struct qerr *err)
{
	struct store_key k;
	struct store_ids ids = {0};
	store_key_init(&k);
	store_key_str(&k, doc_id);
	enum qstatus st = store_count(t, I_CHUNKS_BY_DOC, &k, total, err);
	if (st == Q_OK)
		st = store_scan(t, I_CHUNKS_BY_DOC, &k, offset, limit, store_collect, &ids, err);
	if (st == Q_OK && ids.oom)
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; st == Q_OK && i < ids.n; i++) {
		json_t *rec;
		if ((st = store_get(t, T_CHUNKS, ids.ids[i], &rec, 0, err)) != Q_OK)
			break;
		int stop = cb(rec, arg);
		json_decref(rec);
		if (stop)
			break;
	}
	store_ids_free(&ids);
	return st;
}
