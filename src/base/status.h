/* status.h: the one status enum of libquire, its HTTP mapping, and the
 * caller-owned error detail struct (reporting an error never allocates). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_STATUS_H
#define QUIRE_STATUS_H

#include <stddef.h>

enum qstatus {
	Q_OK = 0,
	Q_EINVAL,       /* 400 VALIDATION_ERROR: bad request body or parameter */
	Q_EAUTH,        /* 401 UNAUTHORIZED: key missing, unknown or revoked */
	Q_EFORBIDDEN,   /* 403 FORBIDDEN: key lacks the scope */
	Q_ENOTFOUND,    /* 404 NOT_FOUND: no such record for this account */
	Q_EMETHOD,      /* 405 METHOD_NOT_ALLOWED */
	Q_ECONFLICT,    /* 409 CONFLICT */
	Q_ETOOBIG,      /* 413 PAYLOAD_TOO_LARGE */
	Q_EMEDIA,       /* 415 UNSUPPORTED_MEDIA_TYPE */
	Q_ESTATE,       /* 400 INVALID_STATUS: operation not allowed in this state */
	Q_ERATE,        /* 429 RATE_LIMITED */
	Q_EDB,          /* 500 DATABASE_ERROR */
	Q_EINTERNAL,    /* 500 INTERNAL_ERROR */
	Q_EBUSY,        /* 503 BUSY: deadlock retries exhausted, lock timeout */
	Q_ERECOVER,     /* 503 SERVICE_UNAVAILABLE: storage must be recovered */
	Q_ENOMEM,       /* 503 OUT_OF_MEMORY */
	Q_ENOSPACE,     /* 507 INSUFFICIENT_STORAGE */
	Q_STATUS_MAX
};

/* Error details, owned by the caller (usually on its stack). */
struct qerr {
	enum qstatus st;
	char field[64];   /* offending field or parameter, "" when none */
	char msg[256];    /* human-readable, never contains secrets */
};

/* HTTP status for st (200 for Q_OK). */
int q_http_status(enum qstatus st);
/* Native (ChatIQ) error code string for st, e.g. "VALIDATION_ERROR". */
const char *q_status_code(enum qstatus st);
/* Reason phrase for an HTTP status, e.g. "Not Found". */
const char *q_http_reason(int http);

/* Fill err (may be NULL) and return st. field may be NULL. */
enum qstatus qerr_set(struct qerr *err, enum qstatus st, const char *field,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void qerr_clear(struct qerr *err);

#endif
