/* router.h: match "/a/:param/b" patterns against request paths. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_HTTP_ROUTER_H
#define QUIRE_HTTP_ROUTER_H

#include "http/app.h"

/* Match method and path against routes: the route, or NULL with *st set to
 * Q_ENOTFOUND or Q_EMETHOD (path known, method not). Fills c's params. */
const struct route *route_match(const struct route *routes, const char *method,
				const char *path, struct qctx *c, enum qstatus *st);
/* The family a path belongs to (for errors of unmatched routes). */
enum family route_family(const char *path);
/* Value of a :name path parameter ("" when absent). */
const char *qctx_param(const struct qctx *c, const char *name);

#endif
