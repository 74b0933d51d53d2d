/* chatiq_embeddings.h: the ChatIQ embedding status and job APIs. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_API_CHATIQ_EMBEDDINGS_H
#define QUIRE_API_CHATIQ_EMBEDDINGS_H

#include "api/api.h"

enum qstatus api_embeddings_status(struct qctx *c);
enum qstatus api_embeddings_jobs(struct qctx *c);
enum qstatus api_embeddings_retry(struct qctx *c);

#endif
