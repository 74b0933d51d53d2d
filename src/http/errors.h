/* errors.h: one function renders an error in each route family's shape
 * (errors.c lists the shapes). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_HTTP_ERRORS_H
#define QUIRE_HTTP_ERRORS_H

#include "http/app.h"

/* Render err into resp in fam's error shape. */
void family_error(enum family fam, struct qresp *resp, const struct qerr *err, int retry_after);
/* Answer a plain CGI request (its variables in the environment) with err
 * in its route family's shape, written to fd: for the CGI programs when
 * they cannot serve at all (no storage, no quired). 0 or -1. */
int family_error_cgi(int fd, const char *base_path, const struct qerr *err, int retry_after);

#endif
