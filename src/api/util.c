/* util.c: helpers shared by the route handlers. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "api/api.h"
#include "api/util.h"
#include "queue/queue.h"

#include <stdio.h>
#include <string.h>

void api_base_url(struct qctx *c, char *out, size_t n)
{
	const char *https = qreq_param(c->req, "HTTPS");
	const char *scheme = qreq_param(c->req, "REQUEST_SCHEME");
	const char *host = qreq_param(c->req, "HTTP_HOST");
	if (!*scheme)
		scheme = (!strcmp(https, "on") || !strcmp(https, "1")) ? "https" : "http";
	if (!*host)
		host = qreq_param(c->req, "SERVER_NAME");
	/* The mount (a sub-path such as /kb, or /cgi-bin/quire.fcgi) comes
	 * from qreq_init: base_path or the front server's SCRIPT_NAME. */
	snprintf(out, n, "%s://%s%s", scheme, *host ? host : "localhost", c->req->mount);
}

json_t *api_iso_time(json_t *rec, const char *field)
{
	json_t *v = json_object_get(rec, field);
	if (!json_is_integer(v))
		return json_null();
	char buf[32];
	q_iso8601(json_integer_value(v), buf, sizeof buf);
	return json_string(buf);
}

json_t *api_unix_time(json_t *rec, const char *field)
{
	json_t *v = json_object_get(rec, field);
	if (!json_is_integer(v))
		return json_null();
	return json_integer(json_integer_value(v) / 1000000);
}

const char *api_str(json_t *rec, const char *field)
{
	const char *s = json_string_value(json_object_get(rec, field));
	return s ? s : "";
}

enum qstatus api_ingest_room(struct qctx *c, struct stxn *t, size_t n, struct qerr *err)
{
	size_t backlog = 0;
	enum qstatus st = queue_account_backlog(t, "ingest", c->who.account, &backlog, err);
	if (st != Q_OK)
		return st;
	/* the n jobs this transaction added are in the count */
	backlog = backlog > n ? backlog - n : 0;
	if (backlog + n > (size_t)c->app->conf->ingest_account_queue)
		return qerr_set(err, Q_ERATE, NULL,
				"too many documents are waiting for ingestion (%zu, at most %d); "
				"retry later", backlog, c->app->conf->ingest_account_queue);
	return Q_OK;
}
