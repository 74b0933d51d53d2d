/* api.h: route handlers, one file per resource (api_*.c). */
#ifndef QUIRE_API_H
#define QUIRE_API_H

#include "app.h"

/* ?limit= and ?offset= with a default and a cap (Q_EINVAL names the field). */
enum qstatus api_page_params(struct qctx *c, size_t def_limit, size_t max_limit,
			     size_t *limit, size_t *offset);

enum qstatus api_health(struct qctx *c);
enum qstatus api_documents_list(struct qctx *c);
enum qstatus api_documents_create(struct qctx *c);
enum qstatus api_documents_get(struct qctx *c);
enum qstatus api_documents_update(struct qctx *c);
enum qstatus api_documents_delete(struct qctx *c);

#endif
