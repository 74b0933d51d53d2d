/* worker.c: accept FastCGI requests and hand them to app_handle. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "daemon/worker.h"
#include "base/fault.h"
#include "base/jsontext.h"
#include "base/log.h"
#include "base/metrics.h"
#include "pipeline/ingest.h"
#include "queue/queue.h"
#include "search/search.h"
#include "search/search_hits.h"
#include "store/store.h"
#include "http/router.h"

#include <fcgiapp.h>
#include <sysexits.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct io {
	FCGX_Request *req;
	int failed;
};

/* The product family a request is counted under in /metrics: DocBit's
 * stream route has an error family of its own but is DocBit's; the form
 * routes (HTML errors) are Quire's own, counted as native. */
static int metrics_family(const char *path)
{
	enum family f = route_family(path);
	return (int)(f == FAM_CHAT_STREAM ? FAM_CHAT : f == FAM_FORM ? FAM_NATIVE : f);
}

/* FCGX_GetParam, with the first byte checked before a strncmp: a request
 * looks up about ten variables among some thirty. */
static const char *fcgi_param(void *ctx, const char *name)
{
	struct io *io = ctx;
	size_t n = strlen(name);
	if (!io->req->envp)
		return NULL;
	for (char **e = io->req->envp; *e; e++)
		if (**e == *name && !strncmp(*e, name, n) && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

static ssize_t fcgi_read(void *ctx, void *buf, size_t n)
{
	struct io *io = ctx;
	int got = FCGX_GetStr(buf, (int)n, io->req->in);
	if (got < 0 || FCGX_GetError(io->req->in))
		return -1;
	return got;
}

static int fcgi_write(void *ctx, const void *p, size_t n)
{
	struct io *io = ctx;
	while (n) {
		int chunk = n > (1u << 30) ? 1 << 30 : (int)n;
		if (FCGX_PutStr(p, chunk, io->req->out) != chunk) {
			io->failed = 1;
			return -1;
		}
		p = (const char *)p + chunk;
		n -= (size_t)chunk;
	}
	return 0;
}

static int fcgi_flush(void *ctx)
{
	struct io *io = ctx;
	return FCGX_FFlush(io->req->out) < 0 ? -1 : 0;
}

/* After the response: hit counts, then the uploads' ingestion. A FastCGI
 * worker only wakes quired's ingest processes (they claim the jobs fairly
 * across accounts); a CGI run by hand (slot -1) has no pool and ingests
 * its own uploads now that its output is closed, unless told not to
 * (slot -2: cgi_mode = serial, where quire-admin cron ingests: a web
 * server may kill a CGI once it has answered, and some wait for its
 * stderr to close). */
static void after_response(struct app *app, struct qresp *resp, int slot)
{
	struct qerr err;
	search_hits_flush(app->store, slot < 0);   /* a CGI (slot < 0) writes its own now */
	if (slot == -2)
		return;
	if (resp->ningest && slot >= 0) {
		queue_wake_ingest(app->conf->datadir);
		return;
	}
	for (int i = 0; i < resp->ningest; i++) {
		if (ingest_document(app->store, app->conf, resp->ingest[i], &err) != Q_OK)
			QLOG_WARN("ingest %s: %s", resp->ingest[i], err.msg);
		if (store_panicked(app->store))
			break;
	}
}

static const char *cgi_param(void *ctx, const char *name)
{
	return getenv(name);
}

static ssize_t cgi_read(void *ctx, void *buf, size_t n)
{
	for (;;) {
		ssize_t got = read(STDIN_FILENO, buf, n);
		if (got < 0 && errno == EINTR)
			continue;
		return got;
	}
}

static int cgi_write(void *ctx, const void *p, size_t n)
{
	return q_write_all(STDOUT_FILENO, p, n);
}

/* A web server ends a CGI's response when both its stdout and its stderr
 * are closed (Apache's mod_cgi reads stderr to the end): an ingestion
 * with the web server's stderr, which quire-extract inherits too, held
 * the answer to an OCR'd upload open for 14-18 s (measured behind Apache
 * 2.4 mod_cgi). Its messages go to DATADIR/cgi-ingest.log instead. */
static void stderr_to_log(const struct qconf *conf)
{
	char path[PATH_MAX];
	qconf_datapath(conf, "cgi-ingest.log", path);
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, STDERR_FILENO);
		close(fd);
	}
}

int worker_serve_cgi(struct app *app, int ingest_inline)
{
	struct qreq r;
	struct qresp resp;
	memset(&r, 0, sizeof r);
	r.param = cgi_param;
	r.read = cgi_read;
	qresp_init(&resp);
	resp.write = cgi_write;
	int64_t t0 = q_now_us();
	app_handle(app, &r, &resp);
	if (!resp.streaming)
		qresp_send(&resp);
	qm_request(metrics_family(r.path), resp.status, q_now_us() - t0);
	close(STDOUT_FILENO);   /* the client has its answer; ingestion follows */
	if (resp.ningest && ingest_inline)
		stderr_to_log(app->conf);
	after_response(app, &resp, ingest_inline ? -1 : -2);
	qresp_free(&resp);
	return 0;
}

int worker_serve(struct app *app, volatile sig_atomic_t *stop, struct hb_slot *hb, int slot)
{
	FCGX_Request req;
	int status = 0;

	if (FCGX_Init() != 0) {
		QLOG_ERR("FCGX_Init failed");
		return 1;
	}
	FCGX_InitRequest(&req, 0, FCGI_FAIL_ACCEPT_ON_INTR);
	auth_init();   /* OpenSSL starts here, not inside a request */
	q_json_alloc_strict();
	/* One response whose buffers serve request after request. */
	struct qresp resp;
	qresp_init(&resp);
	/* SIGTERM interrupts the wait for a request (no SA_RESTART), but is
	 * held while one is served: a read of an upload's body interrupted by
	 * it ended the request half-read (lighttpd answered 500); the request
	 * is finished and answered, then the loop ends (RELIABILITY D7). */
	sigset_t term;
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigaddset(&term, SIGINT);
	while (!*stop) {
		if (FCGX_Accept_r(&req) < 0)
			break;
		sigprocmask(SIG_BLOCK, &term, NULL);
		hb_busy(hb, slot);
		/* Test fault points need a double opt-in: QUIRE_FAULT in the
		 * worker's environment names the point (read once) and the request
		 * carries X-Quire-Fault: NAME. */
		if (fault_enabled()) {
			const char *f = FCGX_GetParam("HTTP_X_QUIRE_FAULT", req.envp);
			if (f && *f)
				fault_point(f);
		}
		struct io io = {&req, 0};
		struct qreq r;
		memset(&r, 0, sizeof r);
		r.param = fcgi_param;
		r.read = fcgi_read;
		r.ctx = &io;
		qresp_reuse(&resp);
		resp.write = fcgi_write;
		resp.flush = fcgi_flush;
		resp.wctx = &io;
		int64_t t0 = q_now_us();
		app_handle(app, &r, &resp);
		if (!resp.streaming)
			qresp_send(&resp);
		FCGX_Finish_r(&req);
		qm_request(metrics_family(r.path), resp.status, q_now_us() - t0);
		if (!store_panicked(app->store))
			after_response(app, &resp, slot);
		hb_idle(hb, slot);
		sigprocmask(SIG_UNBLOCK, &term, NULL);   /* a held SIGTERM sets *stop now */
		if (store_panicked(app->store)) {
			/* Answered 503 already; the supervisor recovers and restarts. */
			QLOG_ERR("storage panic: exiting for recovery");
			status = EX_TEMPFAIL;
			break;
		}
	}
	if (!store_panicked(app->store))
		search_hits_flush(app->store, 1);   /* the hit counts still waiting */
	qresp_free(&resp);
	FCGX_Free(&req, 1);
	return status;
}
