/* scope.c: org, user, folder and role headers for chat and documents. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "api/scope.h"
#include "store/docs.h"

#include <string.h>

static int valid_id(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > SCOPE_ID_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

json_t *chat_roles_parse(const char *value, const char *header, struct qerr *err)
{
	json_error_t jerr;
	json_t *roles = json_loads(value, JSON_REJECT_DUPLICATES, &jerr);
	size_t i;
	json_t *r;
	if (!json_is_array(roles) || json_array_size(roles) > SCOPE_ROLES_MAX)
		goto bad;
	json_array_foreach(roles, i, r)
		if (!json_is_string(r) || json_string_length(r) == 0 ||
		    json_string_length(r) > SCOPE_ROLE_MAX)
			goto bad;
	return roles;
bad:
	json_decref(roles);
	qerr_set(err, Q_EINVAL, header, "%s must be a JSON array of at most %d strings",
		 header, SCOPE_ROLES_MAX);
	return NULL;
}

enum qstatus chat_scope_headers(const struct qreq *r, const char **org, const char **user,
				json_t **roles, struct qerr *err)
{
	const char *rv = qreq_param(r, "HTTP_X_EXTERNAL_ROLES");
	*org = qreq_param(r, "HTTP_X_EXTERNAL_ORG_ID");
	*user = qreq_param(r, "HTTP_X_EXTERNAL_USER_ID");
	*roles = NULL;
	if (!**org || !**user || !*rv)
		return qerr_set(err, Q_EINVAL, !**org ? "X-External-Org-Id" : !**user ?
				"X-External-User-Id" : "X-External-Roles", "Missing required header");
	if (!valid_id(*org))
		return qerr_set(err, Q_EINVAL, "X-External-Org-Id",
				"X-External-Org-Id must be 1-%d printable bytes", SCOPE_ID_MAX);
	if (!valid_id(*user))
		return qerr_set(err, Q_EINVAL, "X-External-User-Id",
				"X-External-User-Id must be 1-%d printable bytes", SCOPE_ID_MAX);
	*roles = chat_roles_parse(rv, "X-External-Roles", err);
	return *roles ? Q_OK : err->st;
}

enum qstatus chat_doc_scope(const struct qreq *r, struct doc_input *in, json_t **roles,
			    struct qerr *err)
{
	const char *org = qreq_param(r, "HTTP_X_EXTERNAL_ORG_ID");
	const char *folder = qreq_param(r, "HTTP_X_EXTERNAL_FOLDER_ID");
	const char *rv = qreq_param(r, "HTTP_X_EXTERNAL_ALLOWED_ROLES");
	*roles = NULL;
	if (*org && !valid_id(org))
		return qerr_set(err, Q_EINVAL, "X-External-Org-Id",
				"X-External-Org-Id must be 1-%d printable bytes", SCOPE_ID_MAX);
	if (*folder && !valid_id(folder))
		return qerr_set(err, Q_EINVAL, "X-External-Folder-Id",
				"X-External-Folder-Id must be 1-%d printable bytes", SCOPE_ID_MAX);
	if (*rv && !(*roles = chat_roles_parse(rv, "X-External-Allowed-Roles", err)))
		return err->st;
	in->org = *org ? org : NULL;
	in->folder_id = *folder ? folder : NULL;
	in->allowed_roles = *roles;
	return Q_OK;
}
