/* dify_documents.h: Dify's knowledge API, GET
 * /v1/datasets/{dataset_id}/documents/{document_id}, every field filled
 * from the document record. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_API_DIFY_DOCUMENTS_H
#define QUIRE_API_DIFY_DOCUMENTS_H

#include "api/api.h"

enum qstatus api_dify_document_get(struct qctx *c);

#endif
