/* quire_admin.c: quire-admin. With a running quired it sends the command
 * over the control socket (quired runs it as a supervised child joined to
 * the environment); with none, it takes the data directory lock, recovers
 * and works alone. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "admin/admin.h"
#include "admin/backup.h"
#include "admin/progress.h"
#include "base/conf.h"
#include "store/datalock.h"
#include "base/log.h"
#include "store/store.h"
#include "base/util.h"
#include "base/spawn.h"

#include <errno.h>
#include <sysexits.h>
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

static int read_full(int fd, void *p, size_t n)
{
	char *c = p;
	while (n) {
		ssize_t got = read(fd, c, n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		c += got;
		n -= (size_t)got;
	}
	return 0;
}

static void write_frame(int fd, int type, const char *data, size_t len)
{
	unsigned char hdr[5] = {(unsigned char)type, (unsigned char)(len >> 24),
				(unsigned char)(len >> 16), (unsigned char)(len >> 8),
				(unsigned char)len};
	if (q_write_all(fd, hdr, 5) < 0 || q_write_all(fd, data, len) < 0)
		return;
}

/* Under quired: a progress line goes to the client at once, as stderr. */
static void progress_frame(const char *s, size_t n)
{
	write_frame(1, 3, s, n);
}

/* A connection to a running quired's control socket, or -1. */
static int control_connect(const struct qconf *conf)
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
	return fd;
}

/* 0..255: the remote exit status; -1: no supervisor listening. */
static int via_control(const struct qconf *conf, int argc, char **argv)
{
	int fd = control_connect(conf);
	if (fd < 0)
		return -1;
	struct qbuf req;
	qbuf_init(&req, 4000);
	if (admin_progress_on)
		qbuf_add(&req, "--progress", sizeof "--progress");
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
	/* Reply frames: type 2 (stdout) or 3 (stderr) with a 4-byte length and
	 * the bytes, then type 1 with the exit status (quired's side:
	 * control_accept in src/daemon/supervisor.c). */
	int status = -1;
	for (;;) {
		unsigned char hdr[5];
		if (read_full(fd, hdr, 1) < 0)
			break;
		if (hdr[0] == 1) {
			if (read_full(fd, hdr + 1, 1) == 0)
				status = hdr[1];
			break;
		}
		if (read_full(fd, hdr + 1, 4) < 0)
			break;
		size_t len = (size_t)hdr[1] << 24 | (size_t)hdr[2] << 16 | (size_t)hdr[3] << 8 | hdr[4];
		FILE *to = hdr[0] == 3 ? stderr : stdout;
		char buf[4096];
		while (len) {
			size_t n = len < sizeof buf ? len : sizeof buf;
			if (read_full(fd, buf, n) < 0)
				goto out;
			fwrite(buf, 1, n, to);
			len -= n;
		}
	}
out:
	close(fd);
	fflush(stdout);
	if (status < 0) {
		fprintf(stderr, "quire-admin: the supervisor ended the command early\n");
		return 1;
	}
	return status;
}

/* restore never runs under quired: the data directory must be stopped. */
static int restore_alone(const struct qconf *conf, const char *dir)
{
	struct qerr err;
	if (!dir) {
		fprintf(stderr, "quire-admin: restore DIR\n");
		return 2;
	}
	int fd = control_connect(conf), live = fd >= 0;
	if (live)
		close(fd);
	int lock = live ? -1 : datalock_take(conf->datadir, &err);
	if (live || lock < 0) {
		fprintf(stderr, "quire-admin: refusing to restore into %s: quired is running on it "
				"(stop quired first, then run restore again)%s%s\n",
			conf->datadir, live ? "" : ": ", live ? "" : err.msg);
		return 1;
	}
	fcntl(lock, F_SETFD, FD_CLOEXEC);
	return admin_restore(conf, dir, stdout, stderr);
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
	/* Progress lines only on a terminal, unless asked for or refused
	 * (a client with a terminal asks its quired-run command for them). */
	int progress = isatty(STDERR_FILENO);
	for (; argc > 0; argv++, argc--) {
		if (!strcmp(argv[0], "--joined"))
			joined = 1, progress = 0;
		else if (!strcmp(argv[0], "--progress"))
			progress = 1;
		else if (!strcmp(argv[0], "--no-progress"))
			progress = 0;
		else
			break;
	}
	admin_progress_on = progress;
	if (joined)
		admin_progress_sink = progress_frame;
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
		return EX_CONFIG;
	}
	store_set_retry_ms((unsigned)conf.db_retry_ms);
	if (!strcmp(argv[0], "config"))
		return admin_config(&conf, argc, argv, stdout, stderr);
	qconf_datapath(&conf, "db", home);
	store_set_lock_timeout_ms((unsigned)conf.db_lock_timeout_ms);
	if (joined) {
		/* Started by quired: join, never create or recover. */
		spawn_child_init();
		if (store_open(&s, home, STORE_JOIN, &err) != Q_OK) {
			fprintf(stderr, "quire-admin: %s\n", err.msg);
			return EX_TEMPFAIL;
		}
		/* Output goes back framed on fd 1, the control connection. */
		char *obuf = NULL, *ebuf = NULL;
		size_t olen = 0, elen = 0;
		FILE *out = open_memstream(&obuf, &olen), *errf = open_memstream(&ebuf, &elen);
		if (!out || !errf)
			return 1;
		rc = admin_run(s, &conf, 1, argc, argv, out, errf);
		fclose(out);
		fclose(errf);
		write_frame(1, 2, obuf, olen);
		write_frame(1, 3, ebuf, elen);
		free(obuf);
		free(ebuf);
		if (store_panicked(s))
			_exit(EX_TEMPFAIL);
		store_close(s);
		return rc;
	}
	if (!strcmp(argv[0], "restore"))
		return restore_alone(&conf, argc > 1 ? argv[1] : NULL);
	rc = via_control(&conf, argc, argv);
	if (rc >= 0)
		return rc;
	int lock = datalock_wait(conf.datadir, conf.lock_wait, conf.lock_queue, &err);
	if (lock < 0) {
		fprintf(stderr, "quire-admin: %s\n", err.msg);
		return 1;
	}
	fcntl(lock, F_SETFD, FD_CLOEXEC);
	/* Every owner open sizes the cache from the configuration (verify's
	 * too: its regions are allocated in full, see store.c). */
	store_set_cache_mb((unsigned)conf.db_cache_mb);
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
