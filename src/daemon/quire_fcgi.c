/* quire_fcgi.c: quire.fcgi, the FastCGI worker. Under quired it joins the
 * environment and serves the inherited socket; started by hand with CGI
 * variables it takes the data directory lock, recovers, serves one
 * request and exits (tests, debugging). */
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

/* A plain-CGI answer for when no storage can be opened. */
static int cgi_unavailable(const struct qconf *conf, const char *msg)
{
	printf("Status: 503 Service Unavailable\r\nRetry-After: %d\r\n"
	       "Content-Type: application/json; charset=utf-8\r\n\r\n"
	       "{\"error\":{\"code\":\"SERVICE_UNAVAILABLE\",\"message\":\"%s\"}}",
	       conf->retry_after, msg);
	return 0;
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

	if (FCGX_IsCGI()) {
		int lock = datalock_take(conf.datadir, &err);
		if (lock < 0)
			return cgi_unavailable(&conf, "a Quire supervisor owns the data directory");
		fcntl(lock, F_SETFD, FD_CLOEXEC);
		store_set_cache_mb((unsigned)conf.db_cache_mb);
		if (store_open(&store, home, STORE_OWNER, &err) != Q_OK) {
			QLOG_ERR("%s", err.msg);
			return cgi_unavailable(&conf, "the database cannot be opened");
		}
		struct app app = {&conf, store, quire_routes};
		status = worker_serve_cgi(&app);
		store_close(store);
		return status;
	}

	/* Under quired: die with the supervisor, never outlive it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		return EX_TEMPFAIL;
	const char *lockfd = getenv("QUIRE_LOCK_FD");
	if (lockfd && *lockfd)
		fcntl(atoi(lockfd), F_SETFD, FD_CLOEXEC);   /* not for our own children */
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
