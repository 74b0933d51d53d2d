/* api.h: the route families' handlers, one file per family (src/api/). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_API_H
#define QUIRE_API_H

#include "http/app.h"

/* The route table of every family, terminated by a NULL method (routes.c). */
extern const struct route quire_routes[];

/* ?limit= and ?offset= with a default and a cap (Q_EINVAL names the field). */
enum qstatus api_page_params(struct qctx *c, size_t def_limit, size_t max_limit,
			     size_t *limit, size_t *offset);

/* "scheme://host[/…/quire.fcgi]" of this request, for URLs in answers. */
void api_base_url(struct qctx *c, char *out, size_t n);
/* A record's microsecond field as ISO 8601 / Unix seconds, or null (new). */
json_t *api_iso_time(json_t *rec, const char *field);
json_t *api_unix_time(json_t *rec, const char *field);
/* Room for n more ingest jobs in the caller's account: Q_ERATE (429 with
 * Retry-After) when its queue (ingest_account_queue, docs/ingest.md)
 * would overflow. Called before anything is stored. */
struct stxn;
enum qstatus api_ingest_room(struct qctx *c, struct stxn *t, size_t n, struct qerr *err);
/* A record's string field, "" when absent (borrowed). */
const char *api_str(json_t *rec, const char *field);

enum qstatus api_health(struct qctx *c);
/* GET /metrics (metrics.c): Prometheus text; an admin key or an address
 * in metrics_allow. */
enum qstatus api_metrics(struct qctx *c);
/* GET /openapi.yaml (openapi.c): docs/openapi.yaml, compiled in. */
enum qstatus api_openapi(struct qctx *c);
/* docs/openapi.yaml as one NUL-terminated string (openapi_doc.c, made by
 * src/api/local.mk from the document). */
extern const char api_openapi_yaml[];
enum qstatus api_embeddings_status(struct qctx *c);
enum qstatus api_embeddings_jobs(struct qctx *c);
enum qstatus api_embeddings_retry(struct qctx *c);
enum qstatus api_sources_list(struct qctx *c);
enum qstatus api_sources_get(struct qctx *c);
enum qstatus api_sources_delete(struct qctx *c);
enum qstatus api_sources_delete_many(struct qctx *c);
enum qstatus api_dify_document_get(struct qctx *c);
enum qstatus api_dify_retrieve(struct qctx *c);
enum qstatus api_kb_documents_list(struct qctx *c);
enum qstatus api_documents_list(struct qctx *c);
enum qstatus api_documents_create(struct qctx *c);
enum qstatus api_documents_get(struct qctx *c);
enum qstatus api_documents_update(struct qctx *c);
enum qstatus api_documents_delete(struct qctx *c);
/* A document as a family shows it (views.c; new): ChatIQ's (content may
 * be NULL) and Oshara's (base: this request's api_base_url). */
json_t *api_native_doc(json_t *rec, const char *content, size_t clen);
json_t *api_kb_document(const struct qconf *conf, json_t *rec, const char *base);
/* A signed, expiring link to rec's original file under base, or null for a
 * document without one (new). */
json_t *api_file_url(const struct qconf *conf, json_t *rec, const char *base);
/* Uploads (upload.c). */
enum qstatus api_sources_upload(struct qctx *c);
enum qstatus api_kb_documents_upload(struct qctx *c);
enum qstatus api_documents_upload(struct qctx *c);
enum qstatus api_documents_file(struct qctx *c);
/* Form uploads (form_upload.c) store files through upload.c's path:
 * api_upload_begin parses the body (no scope or Idempotency-Key headers:
 * the token gives the scope); the caller reads the plain fields
 * (api_upload_fields), checks its token and fills web, then
 * api_upload_store sniffs, refuses types the token does not allow
 * (Q_EMEDIA), stores and commits, counting the token's use in the
 * creating transaction (Q_ECONFLICT when a single-use token was used);
 * api_upload_end releases everything (also after a failed begin). */
struct upload;
struct mp_form;
struct upload_form {
	json_t *claims;          /* the verified token (borrowed) */
	const char *kb, *org, *folder, *created_by;   /* borrowed */
	json_t *roles;           /* allowed roles (borrowed) or NULL */
	size_t max_files;        /* <= 16 */
	size_t n;                /* out: documents created */
	char ids[16][37];        /* out: their ids */
};
enum qstatus api_upload_begin(struct qctx *c, struct upload_form *web, struct upload **out);
const struct mp_form *api_upload_fields(const struct upload *u);
enum qstatus api_upload_store(struct upload *u);
void api_upload_end(struct upload *u);
/* POST /api/v1/upload-tokens (upload_tokens.c), POST /forms/upload and
 * GET /forms/status (form_upload.c): docs/form-upload.md. */
enum qstatus api_upload_tokens_create(struct qctx *c);
enum qstatus api_form_upload(struct qctx *c);
enum qstatus api_form_status(struct qctx *c);

/* Chat (docbit_chat.c): DocBit's POST /api/ai/chat and /api/ai/chat/stream. */
enum qstatus api_chat(struct qctx *c);
enum qstatus api_chat_stream(struct qctx *c);

#endif
