/* upload.h: file uploads (multipart/form-data) for three route families
 * over one path. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_API_UPLOAD_H
#define QUIRE_API_UPLOAD_H

#include "api/api.h"

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

#endif
