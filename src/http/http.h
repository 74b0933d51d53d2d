/* http.h: one request and its response, independent of FastCGI so the
 * handlers can be driven by tests. Per-request memory is owned by the
 * response and released by qresp_free (or qresp_reuse) when the request
 * ends. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_HTTP_H
#define QUIRE_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <sys/types.h>
#include "base/status.h"
#include "base/util.h"

struct qreq {
	/* Set by the front end (src/daemon/worker.c, src/http/errors.c, a test). */
	const char *(*param)(void *ctx, const char *name);  /* CGI variable or NULL */
	ssize_t (*read)(void *ctx, void *buf, size_t n);    /* body; 0 at EOF, <0 error */
	void *ctx;

	/* Derived by qreq_init from the CGI variables. */
	const char *method;          /* "GET"... */
	char path[2048];             /* route path, percent-decoded, starts with '/' */
	char mount[256];             /* the sub-path Quire is mounted under ("/kb"),
				      * "" at the root; for the URLs it answers */
	const char *query;           /* raw query string, "" when none */
	const char *content_type;    /* "" when none */
	long long content_length;    /* -1 when absent */
};

struct qresp {
	int status;
	struct qbuf headers;         /* "Name: value\r\n" lines */
	struct qbuf body;
	/* Streaming (SSE): set by the front end; NULL means buffered only. */
	int (*write)(void *ctx, const void *p, size_t n);
	int (*flush)(void *ctx);
	void *wctx;
	int streaming;               /* headers already written */
	/* Documents whose ingestion the worker runs after the response. */
	char ingest[16][37];
	int ningest;
};

/* Ask the worker to ingest document id once the response is sent. */
void qresp_after_ingest(struct qresp *resp, const char *id);

/* Fill method, path, mount, query, content type and length from the CGI
 * variables. The route path is PATH_INFO when set (…/quire.fcgi/api/…, or
 * a front server that splits SCRIPT_NAME /kb from PATH_INFO), otherwise the
 * path of REQUEST_URI (mounted at / with a rewrite or a prefix mapping).
 * base_path (quire.conf's, "" or NULL for none, "/kb") is removed from the
 * front of a path that starts with it, for front servers that pass the
 * whole URI (Apache's ProxyPass). The mount is base_path when it was
 * removed, else SCRIPT_NAME when PATH_INFO completes it to REQUEST_URI.
 * Q_EINVAL for a path that does not decode. */
enum qstatus qreq_init(struct qreq *r, const char *base_path, struct qerr *err);
/* CGI variable, "" when absent. */
const char *qreq_param(const struct qreq *r, const char *name);
/* Decoded value of query parameter name into out; 1 found, 0 absent,
 * -1 too long or badly encoded. */
int qreq_query(const struct qreq *r, const char *name, char *out, size_t outlen);
/* Read the whole body into b, refusing more than cap bytes (Q_ETOOBIG,
 * decided from CONTENT_LENGTH before reading when it is given) and a body
 * shorter than CONTENT_LENGTH (Q_EINVAL, "incomplete body"). */
enum qstatus qreq_body(struct qreq *r, struct qbuf *b, size_t cap, struct qerr *err);
/* 1 when JSON text s (n bytes) nests at most max brackets deep, counting
 * outside strings: a deep body is refused before jansson recurses. */
int json_depth_ok(const char *s, size_t n, int max);
/* Parse a JSON object body: content type must be application/json
 * (Q_EMEDIA), size <= cap (Q_ETOOBIG), nesting <= max_depth, valid UTF-8,
 * no duplicate keys (Q_EINVAL). *out is new. */
enum qstatus qreq_json(struct qreq *r, size_t cap, int max_depth, json_t **out,
		       struct qerr *err);

/* Percent-decode src (n bytes) into out (outlen); '+' is a space when
 * plus_space. Fails on bad escapes, NUL or overflow. */
int q_url_decode(const char *src, size_t n, char *out, size_t outlen, int plus_space);

void qresp_init(struct qresp *resp);
/* Make resp ready for the next request, as qresp_init does, but keep its
 * buffers (unless one grew large) so a worker does not allocate them anew
 * for every request. Front end fields (write, flush, wctx) are cleared. */
void qresp_reuse(struct qresp *resp);
void qresp_free(struct qresp *resp);
void qresp_header(struct qresp *resp, const char *name, const char *value);
/* Set status and a JSON body; steals body. */
void qresp_json_new(struct qresp *resp, int status, json_t *body);
/* Set status and the JSON content type and empty the body; the caller
 * writes the JSON text into the returned buffer (borrowed from resp). */
struct qbuf *qresp_json(struct qresp *resp, int status);
/* Write status line, headers and buffered body through resp->write. The
 * front end delivers them when it ends the request (one write for FastCGI);
 * streaming responses use resp->flush themselves. */
int qresp_send(struct qresp *resp);

#endif
