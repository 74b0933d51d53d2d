/* chatiq_documents.h: the native documents API, shaped exactly as the
 * ChatIQ seed: GET/POST /api/v1/documents, GET/PUT/DELETE
 * /api/v1/documents/:id. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_API_CHATIQ_DOCUMENTS_H
#define QUIRE_API_CHATIQ_DOCUMENTS_H

#include "api/api.h"

/* ?limit= and ?offset= with a default and a cap (Q_EINVAL names the field). */
enum qstatus api_page_params(struct qctx *c, size_t def_limit, size_t max_limit,
			     size_t *limit, size_t *offset);

enum qstatus api_documents_list(struct qctx *c);
enum qstatus api_documents_create(struct qctx *c);
enum qstatus api_documents_get(struct qctx *c);
enum qstatus api_documents_update(struct qctx *c);
enum qstatus api_documents_delete(struct qctx *c);

#endif
