/* quired.c: the Quire supervisor (see supervisor.h). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "base/log.h"
#include "daemon/supervisor.h"
#include "daemon/conftest.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: quired [-d] [-c CONFIG] [-p PIDFILE]\n"
		   "       quired -t [-c CONFIG]\n"
		   "  -c, --config FILE   configuration (default $QUIRE_CONF or the installed one)\n"
		   "  -d, --detach        run in the background and log to syslog\n"
		   "  -p, --pid-file FILE write the supervisor's pid\n"
		   "      --on-demand     exit after idle_exit seconds without requests or\n"
		   "                      ingestion (how quire.cgi starts quired)\n"
		   "  -t, --test          check the configuration and its paths, then exit\n"
		   "  -V, --version       print the version\n"
		   "Signals: TERM/INT stop gracefully, HUP reloads the configuration.\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"detach", no_argument, NULL, 'd'},
		{"pid-file", required_argument, NULL, 'p'},
		{"on-demand", no_argument, NULL, 'O'},
		{"test", no_argument, NULL, 't'},
		{"version", no_argument, NULL, 'V'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct sup_options opt = {0};
	int c, test = 0;

	qlog_init("quired", 0, LOG_INFO);
	while ((c = getopt_long(argc, argv, "c:dp:tVh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': opt.conf_path = optarg; break;
		case 'd': opt.detach = 1; break;
		case 'p': opt.pid_file = optarg; break;
		case 'O': opt.on_demand = 1; break;
		case 't': test = 1; break;
		case 'V': printf("quired %s\n", PACKAGE_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (test)
		return conftest_run(opt.conf_path);
	return supervisor_main(&opt);
}
