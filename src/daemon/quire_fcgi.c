/* quire_fcgi.c: quire.fcgi, the FastCGI worker. Under quired it joins the
 * environment and serves the inherited socket; started with CGI variables
 * it takes the data directory lock (waiting up to lock_wait in a queue of
 * lock_queue places), recovers, serves one request and exits: by hand
 * (tests, debugging; it then ingests its own upload after answering) or
 * from quire.cgi with cgi_mode = serial (the upload is only queued, for
 * quire-admin cron). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "api/api.h"
#include "base/conf.h"
#include "store/datalock.h"
#include "daemon/heartbeat.h"
#include "base/metrics.h"
#include "base/log.h"
#include "store/store.h"
#include "daemon/worker.h"
#include "http/app.h"
#include "http/errors.h"
#include "base/spawn.h"

#include <fcgiapp.h>
#include <sysexits.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	stop = 1;
}

/* A plain-CGI answer, in the route family's shape, for when no storage
 * can be opened. The log (the web server's error log) gets the details;
 * the client gets what is wrong without the server's paths. */
static int cgi_unavailable(const struct qconf *conf, struct qerr *err, const char *client_msg)
{
	QLOG_ERR("%s", err->msg);
	if (client_msg)
		snprintf(err->msg, sizeof err->msg, "%s", client_msg);
	if (err->st == Q_EINTERNAL)
		err->st = Q_ERECOVER;   /* 503: the operator can fix it */
	family_error_cgi(STDOUT_FILENO, conf->base_path, err, conf->retry_after);
	return 0;
}

/* The client's words for a data directory that cannot be used. */
static const char *lock_client_msg(const struct qerr *err)
{
	if (err->st == Q_ERECOVER)
		return "a Quire supervisor owns the data directory";
	if (err->st == Q_EBUSY)
		return NULL;   /* "busy for N s", no path in it */
	if (strstr(err->msg, "read-only"))
		return "the data directory is on a read-only file system (see the server's error log)";
	if (strstr(err->msg, "cannot be created"))
		return "the data directory is missing and cannot be created (see the server's error log)";
	if (strstr(err->msg, "permissions"))
		return "the data directory is not writable by the web server's user (see the server's error log)";
	return "the data directory cannot be used (see the server's error log)";
}

int main(int argc, char **argv)
{
	struct qconf conf;
	struct qerr err;
	struct store *store = NULL;
	char home[PATH_MAX];
	int status;

	if (argc > 1 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
		printf("quire.fcgi %s\n", PACKAGE_VERSION);
		return 0;
	}
	qlog_init("quire.fcgi", 0, LOG_INFO);
	if (qconf_load_default(&conf, &err) != Q_OK) {
		QLOG_ERR("configuration: %s", err.msg);
		return EX_CONFIG;
	}
	store_set_retry_ms((unsigned)conf.db_retry_ms);
	qlog_init("quire.fcgi", conf.log_syslog, conf.log_level);
	qconf_datapath(&conf, "db", home);
	char mpath[PATH_MAX];
	qconf_datapath(&conf, "metrics", mpath);
	qm_attach(mpath, 0);   /* without it, requests are simply not counted */

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;   /* no SA_RESTART: accept() must return */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	store_set_lock_timeout_ms((unsigned)conf.db_lock_timeout_ms);
	if (FCGX_IsCGI()) {
		int lock = datalock_wait(conf.datadir, conf.lock_wait, conf.lock_queue, &err);
		if (lock < 0)
			return cgi_unavailable(&conf, &err, lock_client_msg(&err));
		fcntl(lock, F_SETFD, FD_CLOEXEC);
		store_set_cache_mb((unsigned)conf.db_cache_mb);
		if (store_open(&store, home, STORE_OWNER, &err) != Q_OK)
			return cgi_unavailable(&conf, &err, "the database cannot be opened (see the server's error log)");
		struct app app = {&conf, store, quire_routes};
		status = worker_serve_cgi(&app, strcmp(conf.cgi_mode, "serial") != 0);
		store_close(store);
		return status;
	}

	/* Under quired: die with the supervisor, never outlive it. */
	spawn_child_init();
	if (getppid() == 1)
		return EX_TEMPFAIL;
	const char *slot_s = getenv("QUIRE_SLOT");
	int slot = slot_s ? atoi(slot_s) : -1;
	char hbpath[PATH_MAX];
	qconf_datapath(&conf, "heartbeat", hbpath);
	struct hb_slot *hb = slot >= 0 ? hb_map(hbpath, 0) : NULL;

	if (store_open(&store, home, STORE_JOIN, &err) != Q_OK) {
		QLOG_ERR("joining the environment: %s", err.msg);
		_exit(EX_TEMPFAIL);
	}
	struct app app = {&conf, store, quire_routes};
	status = worker_serve(&app, &stop, hb, slot);
	if (status == EX_TEMPFAIL)
		_exit(EX_TEMPFAIL);   /* no more Berkeley DB calls after a panic */
	store_close(store);
	hb_unmap(hb);
	return status;
}
