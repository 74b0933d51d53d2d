/* chataid_sources.h: ChatAid's custom sources: list with filters, get,
 * delete by id, by ids, by filters or all of the organisation. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_API_CHATAID_SOURCES_H
#define QUIRE_API_CHATAID_SOURCES_H

#include "api/api.h"

enum qstatus api_sources_list(struct qctx *c);
enum qstatus api_sources_get(struct qctx *c);
enum qstatus api_sources_delete(struct qctx *c);
enum qstatus api_sources_delete_many(struct qctx *c);

#endif
