/* util.h: helpers shared by the route handlers. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_API_UTIL_H
#define QUIRE_API_UTIL_H

#include "api/api.h"

/* "scheme://host[/…/quire.fcgi]" of this request, for URLs in answers. */
void api_base_url(struct qctx *c, char *out, size_t n);
/* A record's microsecond field as ISO 8601 / Unix seconds, or null (new). */
json_t *api_iso_time(json_t *rec, const char *field);
json_t *api_unix_time(json_t *rec, const char *field);

/* Room for the n ingest jobs t has just added to the caller's account:
 * Q_ERATE (429 with Retry-After) when they overflow its queue
 * (ingest_account_queue, docs/ingest.md); the caller then returns the
 * error, so t is aborted and nothing is stored. Counted after the jobs
 * are added, so the transaction holds the queue's pages for writing
 * before it reads them (reading first, two creates deadlocked). */
struct stxn;
enum qstatus api_ingest_room(struct qctx *c, struct stxn *t, size_t n, struct qerr *err);
/* A record's string field, "" when absent (borrowed). */
const char *api_str(json_t *rec, const char *field);

#endif
