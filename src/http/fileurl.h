/* fileurl.h: signed, expiring links to a document's original file: a link
 * names the document, the time it expires and an HMAC-SHA256 over both
 * under the installation's secret, so whoever holds it may download that
 * file (and nothing else) without an API key until it expires, as Dify's
 * signed file URLs do (docs/api.md). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_FILEURL_H
#define QUIRE_FILEURL_H

#include <stddef.h>
#include "base/conf.h"
#include "base/status.h"

/* The link to doc_id's file under base (api_base_url), valid for
 * conf->file_url_ttl seconds from now, into out (n bytes). */
enum qstatus fileurl_make(const struct qconf *conf, const char *base, const char *doc_id,
			  char *out, size_t n, struct qerr *err);
/* Q_OK when expires (decimal Unix seconds, not past) and signature (hex)
 * sign doc_id under the secret; Q_EFORBIDDEN otherwise, in err. */
enum qstatus fileurl_check(const struct qconf *conf, const char *doc_id, const char *expires,
			   const char *signature, struct qerr *err);

#endif
