/* router.c: match "/a/:param/b" patterns against request paths. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "http/app.h"
#include "http/router.h"

#include <stdio.h>
#include <string.h>

/* Next segment of *p (without slashes); returns its length, advances *p. */
static size_t next_seg(const char **p, const char **seg)
{
	while (**p == '/')
		(*p)++;
	*seg = *p;
	while (**p && **p != '/')   /* short segments: cheaper than strcspn */
		(*p)++;
	return (size_t)(*p - *seg);
}

static int path_matches(const char *pattern, const char *path, struct qctx *c)
{
	const char *pp = pattern, *rp = path;
	c->nparams = 0;
	for (;;) {
		const char *ps, *rs;
		size_t pn = next_seg(&pp, &ps), rn = next_seg(&rp, &rs);
		if (pn == 0 || rn == 0)
			return pn == 0 && rn == 0;
		if (*ps == ':') {
			if (c->nparams == ROUTE_PARAMS || rn >= sizeof c->pvalues[0])
				return 0;
			c->pnames[c->nparams] = ps + 1;
			memcpy(c->pvalues[c->nparams], rs, rn);
			c->pvalues[c->nparams][rn] = '\0';
			c->nparams++;
		} else if (pn != rn || memcmp(ps, rs, pn)) {
			return 0;
		}
	}
}

const struct route *route_match(const struct route *routes, const char *method,
				const char *path, struct qctx *c, enum qstatus *st)
{
	int path_known = 0;
	for (const struct route *r = routes; r->method; r++) {
		if (!path_matches(r->pattern, path, c))
			continue;
		path_known = 1;
		if (!strcmp(r->method, method)) {
			*st = Q_OK;
			return r;
		}
	}
	*st = path_known ? Q_EMETHOD : Q_ENOTFOUND;
	c->nparams = 0;
	return NULL;
}

const char *qctx_param(const struct qctx *c, const char *name)
{
	size_t n = strlen(name);
	for (int i = 0; i < c->nparams; i++)
		if (!strncmp(c->pnames[i], name, n) &&
		    (c->pnames[i][n] == '\0' || c->pnames[i][n] == '/'))
			return c->pvalues[i];
	return "";
}

enum family route_family(const char *path)
{
	if (!strncmp(path, "/v1/datasets", 12))
		return FAM_DIFY;
	if (!strcmp(path, "/api/ai/chat/stream") || !strcmp(path, "/api/ai/chat/stream/"))
		return FAM_CHAT_STREAM;
	if (!strncmp(path, "/api/ai/", 8))
		return FAM_CHAT;
	if (!strncmp(path, "/external/", 10))
		return FAM_CUSTOM;
	if (!strncmp(path, "/api/knowledge-base/", 20))
		return FAM_SLUG;
	if (!strncmp(path, "/forms/", 7))
		return FAM_FORM;
	return FAM_NATIVE;
}
