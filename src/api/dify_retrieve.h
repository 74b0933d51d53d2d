/* dify_retrieve.h: Dify's POST /v1/datasets/{dataset_id}/retrieve. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_API_DIFY_RETRIEVE_H
#define QUIRE_API_DIFY_RETRIEVE_H

#include "api/api.h"

enum qstatus api_dify_retrieve(struct qctx *c);

#endif
