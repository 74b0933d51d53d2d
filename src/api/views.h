/* views.h: a document as each family shows it, shared by the family's own
 * routes and the upload routes (upload.c), so neither calls the other. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_API_VIEWS_H
#define QUIRE_API_VIEWS_H

#include "api/api.h"

/* A document as a family shows it (views.c; new): ChatIQ's (content may
 * be NULL) and Oshara's (base: this request's api_base_url). */
json_t *api_native_doc(json_t *rec, const char *content, size_t clen);
json_t *api_kb_document(const struct qconf *conf, json_t *rec, const char *base);
/* A signed, expiring link to rec's original file under base, or null for a
 * document without one (new). */
json_t *api_file_url(const struct qconf *conf, json_t *rec, const char *base);

#endif
