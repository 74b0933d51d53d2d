/* scope.h: DocBit's scope headers. A chat names its caller's org,
 * user and roles (X-External-Org-Id, X-External-User-Id, X-External-Roles:
 * a JSON array of strings). A document gets its org, folder and allowed
 * roles the same way when it is created (X-External-Org-Id,
 * X-External-Folder-Id, X-External-Allowed-Roles); retrieval for chat only
 * sees documents of the caller's org whose allowed roles (when set) share
 * a role with the caller. See docs/chat.md. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_CHAT_SCOPE_H
#define QUIRE_CHAT_SCOPE_H

#include <jansson.h>
#include "http/http.h"
#include "base/status.h"

#define SCOPE_ID_MAX 256        /* bytes of an org, user or folder id */
#define SCOPE_ROLES_MAX 64      /* roles in one header */
#define SCOPE_ROLE_MAX 128      /* bytes of one role */

struct doc_input;

/* The three required chat headers. org and user are borrowed from the
 * request; *roles is new. Q_EINVAL "Missing required header" when one is
 * absent or empty; a malformed value names the header. */
enum qstatus chat_scope_headers(const struct qreq *r, const char **org, const char **user,
				json_t **roles, struct qerr *err);
/* A JSON array of strings from a header value (new), or NULL with err set
 * naming header. */
json_t *chat_roles_parse(const char *value, const char *header, struct qerr *err);
/* The optional scope headers of a document create into in (org and folder
 * borrowed from the request, *roles new or NULL). */
enum qstatus chat_doc_scope(const struct qreq *r, struct doc_input *in, json_t **roles,
			    struct qerr *err);

#endif
