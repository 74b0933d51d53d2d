/* quire_cgi.c: quire.cgi, the CGI entry for hosts without FastCGI: relays
 * the request to quired's workers over their Unix socket, starting one
 * quired on demand when none runs, or (cgi_mode = serial) serves it in
 * this process through quire.fcgi. docs/shared-hosting.md. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "fcgi_client.h"
#include "base/conf.h"
#include "base/log.h"
#include "base/spawn.h"
#include "base/util.h"
#include "http/app.h"
#include "http/errors.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef QUIRE_LIBEXECDIR
#define QUIRE_LIBEXECDIR "/usr/local/libexec/quire"
#endif
#ifndef QUIRE_SBINDIR
#define QUIRE_SBINDIR "/usr/local/sbin"
#endif

extern char **environ;

/* Answer the request with err in its family's shape; the details go to
 * the log (the web server's error log), the client gets client_msg. */
static int fail(const struct qconf *conf, enum qstatus st, const char *client_msg,
		const char *log_fmt, const char *log_arg)
{
	struct qerr err;
	if (log_fmt)
		QLOG_ERR(log_fmt, log_arg);
	qerr_set(&err, st, NULL, "%s", client_msg);
	family_error_cgi(STDOUT_FILENO, conf ? conf->base_path : "", &err,
			 conf ? conf->retry_after : 2);
	return 0;
}

/* Connect to the workers' socket; -1 when nothing listens there. */
static int connect_socket(const char *path)
{
	struct sockaddr_un a;
	if (strlen(path) >= sizeof a.sun_path)
		return -1;
	memset(&a, 0, sizeof a);
	a.sun_family = AF_UNIX;
	memcpy(a.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* quired outlives this request: it must not carry the request's CGI
 * variables (its Authorization header among them) in its environment.
 * Keep what a daemon needs: Quire's own variables, the upstream keys,
 * paths, locale and time zone. */
static void keep_daemon_env(void)
{
	static const char *keep[] = {"QUIRE_", "OPENAI_API_KEY=", "PATH=", "HOME=", "LANG=", "LC_",
				     "TZ=", "TMPDIR=", "LD_LIBRARY_PATH=", "OMP_THREAD_LIMIT=",
				     "TESSDATA_PREFIX=", NULL};
	size_t n = 0;
	for (char **e = environ; *e; e++)
		n++;
	char **saved = calloc(n + 1, sizeof *saved);
	if (!saved)
		return;
	n = 0;
	for (char **e = environ; *e; e++)
		for (const char **k = keep; *k; k++)
			if (!strncmp(*e, *k, strlen(*k))) {
				saved[n++] = *e;
				break;
			}
	clearenv();
	for (size_t i = 0; i < n; i++)
		putenv(saved[i]);   /* the strings stay valid: clearenv frees none */
}

/* Start quired --on-demand, detached: its own session, stdin from
 * /dev/null, stdout and stderr appended to DATADIR/quired.log, none of the
 * web server's pipes held open (the CGI's answer would wait for them). */
static void spawn_quired(const struct qconf *conf)
{
	char prog[PATH_MAX], log[PATH_MAX];
	spawn_find("quired", QUIRE_SBINDIR, prog);
	qconf_datapath(conf, "quired.log", log);
	pid_t pid = fork();
	if (pid < 0)
		return;
	if (pid > 0) {
		waitpid(pid, NULL, 0);
		return;
	}
	setsid();
	if (fork() != 0)
		_exit(0);
	int nul = open("/dev/null", O_RDONLY);
	int lf = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (nul < 0 || lf < 0)
		_exit(1);
	dup2(nul, 0);
	dup2(lf, 1);
	dup2(lf, 2);
	for (int fd = 3; fd < 1024; fd++)
		close(fd);
	signal(SIGPIPE, SIG_DFL);
	keep_daemon_env();
	execl(prog, "quired", "--on-demand", (char *)NULL);
	dprintf(2, "quire.cgi: cannot run %s: %s\n", prog, strerror(errno));
	_exit(127);
}

/* Wait for the socket to accept, up to ms. */
static int wait_socket(const char *path, long ms)
{
	int fd;
	for (long t = 0; (fd = connect_socket(path)) < 0 && t < ms; t += 50)
		sleep_ms(50);
	return fd;
}

/* No quired listens: start exactly one. Concurrent cold requests meet at
 * an flock on DATADIR/cgi-start.lock; the first starts quired, the others
 * find its socket once they get the lock. -1 with *why set on failure. */
static int start_on_demand(const struct qconf *conf, const char **why)
{
	char path[PATH_MAX];
	int fd = -1, lk;
	long wait_ms = (conf->lock_wait > 10 ? conf->lock_wait : 10) * 1000L;
	if (q_mkdir_p(conf->datadir, 0750) < 0) {
		*why = errno == EROFS ? "the data directory is on a read-only file system"
			: errno == EACCES ? "the data directory cannot be created (wrong permissions)"
			: "the data directory cannot be created";
		QLOG_ERR("data directory %s: %s (uid %ld)", conf->datadir, strerror(errno), (long)geteuid());
		return -1;
	}
	qconf_datapath(conf, "cgi-start.lock", path);
	if ((lk = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0) {
		*why = errno == EROFS ? "the data directory is on a read-only file system"
			: errno == EACCES ? "the data directory is not writable by the web server's user"
			: "the data directory cannot be used";
		QLOG_ERR("data directory %s: cannot open cgi-start.lock: %s (uid %ld)", conf->datadir,
			 strerror(errno), (long)geteuid());
		return -1;
	}
	long t;
	for (t = 0; flock(lk, LOCK_EX | LOCK_NB) < 0 && t < wait_ms; t += 20)
		sleep_ms(20);
	if (t >= wait_ms) {
		*why = "Quire is starting; try again shortly";
		goto out;
	}
	if ((fd = connect_socket(conf->socket)) >= 0)
		goto out;   /* another request started it meanwhile */
	/* Started even when a quired still holds the data directory: one
	 * stopping for idleness has already removed its socket; the new one
	 * waits for the lock (lock_wait) and gives up if the old one stays. */
	QLOG_INFO("no quired on %s: starting one (log in %s/quired.log)", conf->socket,
		  conf->datadir);
	spawn_quired(conf);
	if ((fd = wait_socket(conf->socket, wait_ms)) < 0) {
		*why = "Quire could not be started (see quired.log in the data directory)";
		QLOG_ERR("quired did not open %s within %ld s; see %s/quired.log", conf->socket,
			 wait_ms / 1000, conf->datadir);
	}
out:
	close(lk);
	return fd;
}

/* cgi_mode = serial: serve in this process (quire.fcgi as a CGI, which
 * waits for the data directory lock in a bounded queue). */
static int serve_serial(const struct qconf *conf)
{
	char prog[PATH_MAX];
	spawn_find("quire.fcgi", QUIRE_LIBEXECDIR, prog);
	execl(prog, "quire.fcgi", (char *)NULL);
	return fail(conf, Q_ERECOVER, "Quire is not installed completely (quire.fcgi is missing)",
		    "cannot run %s (cgi_mode = serial)", prog);
}

/* With no QUIRE_CONF, a quire.conf beside the program is the configuration
 * (a shared host's cgi-bin; .htaccess keeps it from being served). */
static void conf_beside(void)
{
	char self[PATH_MAX - 16];
	const char *env = getenv("QUIRE_CONF");
	if (env && *env)
		return;
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return;
	self[n] = '\0';
	char *slash = strrchr(self, '/');
	if (!slash)
		return;
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%.*s/quire.conf", (int)(slash - self), self);
	if (access(path, R_OK) == 0)
		setenv("QUIRE_CONF", path, 1);
}

static int relay(const struct qconf *conf, int sock)
{
	const char *cl = getenv("CONTENT_LENGTH"), *te = getenv("HTTP_TRANSFER_ENCODING");
	/* Without a length, a chunked body (Apache passes it as it comes)
	 * runs to the end of stdin; otherwise there is none. */
	long long len = cl && *cl ? atoll(cl) : te && *te ? LLONG_MAX : 0;
	struct fcgi_relay r = {
		.sock = sock, .in_fd = STDIN_FILENO, .out_fd = STDOUT_FILENO,
		.err_fd = STDERR_FILENO, .envp = environ,
		.content_length = len,
		.idle_timeout_s = conf->heartbeat_timeout + 30,
	};
	int rc = fcgi_relay_run(&r);
	close(sock);
	if (rc < 0 && r.out_bytes == 0)
		return fail(conf, Q_ERECOVER, "Quire is restarting; retry shortly",
			    "%s", "the worker closed the connection before answering");
	return 0;
}

int main(int argc, char **argv)
{
	struct qconf conf;
	struct qerr err;
	const char *why = "no Quire server runs (cgi_mode = relay)";

	if (argc > 1 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
		printf("quire.cgi %s\n", PACKAGE_VERSION);
		return 0;
	}
	signal(SIGPIPE, SIG_IGN);
	qlog_init("quire.cgi", 0, LOG_INFO);
	conf_beside();
	if (qconf_load_default(&conf, &err) != Q_OK)
		return fail(NULL, Q_ERECOVER, "Quire's configuration has an error (see the server's error log)",
			    "configuration: %s", err.msg);
	qlog_init("quire.cgi", 0, conf.log_level);
	if (!strcmp(conf.cgi_mode, "serial"))
		return serve_serial(&conf);
	int sock = connect_socket(conf.socket);
	if (sock < 0 && !strcmp(conf.cgi_mode, "ondemand"))
		sock = start_on_demand(&conf, &why);
	if (sock < 0)
		return fail(&conf, Q_ERECOVER, why, NULL, NULL);
	return relay(&conf, sock);
}
