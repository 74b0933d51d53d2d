/* oshara_kb.h: Oshara's per-slug knowledge-base documents. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_API_OSHARA_KB_H
#define QUIRE_API_OSHARA_KB_H

#include "api/api.h"

enum qstatus api_kb_documents_list(struct qctx *c);

#endif
