/* quire_admin.c: quire-admin. With a running quired it sends the command
 * over the control socket (quired runs it as a supervised child joined to
 * the environment); with none, it takes the data directory lock, recovers
 * and works alone. */
#include "config.h"
#include "admin.h"
#include "conf.h"
#include "datalock.h"
#include "log.h"
#include "store.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* 0..255: the remote exit status; -1: no supervisor listening. */
static int via_control(const struct qconf *conf, int argc, char **argv)
{
	char path[PATH_MAX];
	struct sockaddr_un sa;
	if (conf->control[0])
		snprintf(path, sizeof path, "%s", conf->control);
	else
		qconf_datapath(conf, "control.sock", path);
	if (strlen(path) >= sizeof sa.sun_path)
		return -1;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		close(fd);
		return -1;
	}
	struct qbuf req;
	qbuf_init(&req, 4000);
	char cwd[PATH_MAX];
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		char abs[PATH_MAX];
		/* backup DIR runs in quired's directory: send an absolute path. */
		if (i == 1 && !strcmp(argv[0], "backup") && a[0] != '/' && getcwd(cwd, sizeof cwd)) {
			snprintf(abs, sizeof abs, "%s/%s", cwd, a);
			a = abs;
		}
		if (qbuf_add(&req, a, strlen(a) + 1) < 0) {
			fprintf(stderr, "quire-admin: arguments too long\n");
			return 2;
		}
	}
	qbuf_add(&req, "", 1);
	if (q_write_all(fd, req.data, req.len) < 0) {
		qbuf_free(&req);
		close(fd);
		return -1;
	}
	qbuf_free(&req);
	/* Relay output; the reply ends with byte 1 and the exit status. */
	unsigned char buf[4096];
	int pending = -1, status = 1, done = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++) {
			if (done == 1) {
				status = buf[i];
				done = 2;
				continue;
			}
			if (buf[i] == 1 && done == 0) {
				done = 1;
				continue;
			}
			if (!done)
				putchar(buf[i]);
		}
		(void)pending;
	}
	close(fd);
	fflush(stdout);
	if (done != 2) {
		fprintf(stderr, "quire-admin: the supervisor ended the command early\n");
		return 1;
	}
	return status;
}

int main(int argc, char **argv)
{
	struct qconf conf;
	struct qerr err;
	struct store *s = NULL;
	char home[PATH_MAX];
	int joined = 0, rc;

	qlog_init("quire-admin", 0, LOG_WARNING);
	argv++, argc--;
	if (argc > 0 && !strcmp(argv[0], "--joined")) {
		joined = 1;
		argv++, argc--;
	}
	if (argc > 0 && (!strcmp(argv[0], "--version") || !strcmp(argv[0], "-V"))) {
		printf("quire-admin %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (admin_is_local(argc, argv)) {
		admin_usage(argc ? stdout : stderr);
		return argc ? 0 : 2;
	}
	if (qconf_load_default(&conf, &err) != Q_OK) {
		fprintf(stderr, "quire-admin: %s\n", err.msg);
		return 78;
	}
	qconf_datapath(&conf, "db", home);
	if (joined) {
		/* Started by quired: join, never create or recover. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		const char *lockfd = getenv("QUIRE_LOCK_FD");
		if (lockfd && *lockfd)
			fcntl(atoi(lockfd), F_SETFD, FD_CLOEXEC);
		if (store_open(&s, home, STORE_JOIN, &err) != Q_OK) {
			fprintf(stderr, "quire-admin: %s\n", err.msg);
			return 75;
		}
		rc = admin_run(s, &conf, 1, argc, argv, stdout, stderr);
		fflush(stdout);
		if (store_panicked(s))
			_exit(75);
		store_close(s);
		return rc;
	}
	rc = via_control(&conf, argc, argv);
	if (rc >= 0)
		return rc;
	int lock = datalock_take(conf.datadir, &err);
	if (lock < 0) {
		fprintf(stderr, "quire-admin: %s\n", err.msg);
		return 1;
	}
	fcntl(lock, F_SETFD, FD_CLOEXEC);
	if (!strcmp(argv[0], "verify"))
		return admin_verify_alone(&conf, stdout, stderr);
	if (store_open(&s, home, STORE_OWNER, &err) != Q_OK) {
		fprintf(stderr, "quire-admin: %s\n", err.msg);
		return 1;
	}
	rc = admin_run(s, &conf, 0, argc, argv, stdout, stderr);
	store_close(s);
	return rc;
}
