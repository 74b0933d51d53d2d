/* status.c: status codes to HTTP statuses and native error codes. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "base/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	int http;
	const char *code;
} table[Q_STATUS_MAX] = {
	[Q_OK] = {200, "OK"},
	[Q_EINVAL] = {400, "VALIDATION_ERROR"},
	[Q_EAUTH] = {401, "UNAUTHORIZED"},
	[Q_EFORBIDDEN] = {403, "FORBIDDEN"},
	[Q_ENOTFOUND] = {404, "NOT_FOUND"},
	[Q_EMETHOD] = {405, "METHOD_NOT_ALLOWED"},
	[Q_ECONFLICT] = {409, "CONFLICT"},
	[Q_ETOOBIG] = {413, "PAYLOAD_TOO_LARGE"},
	[Q_EMEDIA] = {415, "UNSUPPORTED_MEDIA_TYPE"},
	[Q_ESTATE] = {400, "INVALID_STATUS"},
	[Q_ERATE] = {429, "RATE_LIMITED"},
	[Q_EDB] = {500, "DATABASE_ERROR"},
	[Q_EINTERNAL] = {500, "INTERNAL_ERROR"},
	[Q_EBUSY] = {503, "BUSY"},
	[Q_ERECOVER] = {503, "SERVICE_UNAVAILABLE"},
	[Q_ENOMEM] = {503, "OUT_OF_MEMORY"},
	[Q_ENOSPACE] = {507, "INSUFFICIENT_STORAGE"},
};

int q_http_status(enum qstatus st)
{
	if ((unsigned)st >= Q_STATUS_MAX)
		return 500;
	return table[st].http;
}

const char *q_status_code(enum qstatus st)
{
	if ((unsigned)st >= Q_STATUS_MAX)
		return "INTERNAL_ERROR";
	return table[st].code;
}

const char *q_http_reason(int http)
{
	switch (http) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Entity";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	case 507: return "Insufficient Storage";
	default: return "Unknown";
	}
}

enum qstatus qerr_set(struct qerr *err, enum qstatus st, const char *field,
		      const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return st;
	err->st = st;
	snprintf(err->field, sizeof err->field, "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return st;
}

void qerr_clear(struct qerr *err)
{
	if (!err)
		return;
	err->st = Q_OK;
	err->field[0] = '\0';
	err->msg[0] = '\0';
}
