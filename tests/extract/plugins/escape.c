/* escape.c: a test plugin that plays an exploited parser (tests/extract/escape.test).
 * It claims files starting with "QUIRE-ESCAPE " whose first line names its
 * targets as KEY=VALUE words (blob=PATH db=PATH pid=N port=N dir=DIR, and
 * readable=PATH, a file it should be able to read), tries
 * every way out of the sandbox it knows, and writes one paragraph per try:
 * "NAME: denied (reason)" or "NAME: ESCAPED". Built only for make check. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>
#include <quire/plugin.h>

#define MAGIC "QUIRE-ESCAPE "

static const char *const escape_mimes[] = { "application/x-quire-escape", NULL };
static const char *const escape_exts[] = { "escape", NULL };

static int escape_sniff(const unsigned char *head, size_t len, const char *mime)
{
	(void)mime;
	return len >= strlen(MAGIC) && !memcmp(head, MAGIC, strlen(MAGIC)) ? 100 : 0;
}

static void say(const struct quire_host *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(const struct quire_host *h, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	h->sink->paragraph(h->sink_ctx, buf, (size_t)n);
}

/* rc < 0 (errno set) is a refusal; anything else got through. */
static void report(const struct quire_host *h, const char *name, long rc)
{
	if (rc < 0)
		say(h, "%s: denied (%s)", name, strerror(errno));
	else
		say(h, "%s: ESCAPED", name);
}

/* Open path and read a byte of it. */
static long try_read(const char *path)
{
	char c;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	long n = read(fd, &c, 1);
	close(fd);
	return n;
}

static const char *arg(const char *line, const char *key, char *out, size_t n)
{
	size_t kl = strlen(key);
	for (const char *p = line; (p = strstr(p, key)); p++)
		if ((p == line || p[-1] == ' ') && p[kl] == '=') {
			size_t l = strcspn(p + kl + 1, " ");
			snprintf(out, n, "%.*s", (int)(l < n ? l : n - 1), p + kl + 1);
			return out;
		}
	snprintf(out, n, "%s", "");
	return out;
}

static void try_files(const struct quire_host *h, const char *line, int fd)
{
	char v[1024], path[1100];
	report(h, "read /etc/passwd", try_read("/etc/passwd"));
	report(h, "read /etc/shadow", try_read("/etc/shadow"));
	report(h, "read another blob", try_read(arg(line, "blob", v, sizeof v)));
	report(h, "read the databases", try_read(arg(line, "db", v, sizeof v)));
	snprintf(path, sizeof path, "/proc/%s/environ", arg(line, "pid", v, sizeof v));
	report(h, "read another process's environment", try_read(path));
	snprintf(path, sizeof path, "%s/escaped", arg(line, "dir", v, sizeof v));
	report(h, "create a file outside the output", open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
	snprintf(path, sizeof path, "%s/victim", v);
	report(h, "append to a file outside the output", open(path, O_WRONLY | O_APPEND));
	report(h, "unlink a file outside the output", unlink(path));
	if (*arg(line, "readable", v, sizeof v))   /* a positive control */
		say(h, "read a listed directory: %s", try_read(v) > 0 ? "allowed" : strerror(errno));
	report(h, "write to the input", write(fd, "x", 1));
	report(h, "truncate the input", ftruncate(fd, 0));
}

static void try_processes(const struct quire_host *h, const char *line)
{
	char v[64];
	pid_t pid = (pid_t)atoi(arg(line, "pid", v, sizeof v));
	struct rlimit lim = { 16, 16 };
	report(h, "prlimit64 another pid", prlimit(pid, RLIMIT_NOFILE, &lim, NULL));
	report(h, "kill another pid", kill(pid, 0));
	report(h, "ptrace another pid", ptrace(PTRACE_ATTACH, pid, NULL, NULL));
	char buf[8];
	struct iovec local = { buf, sizeof buf }, remote = { (void *)0x400000, sizeof buf };
	report(h, "read another process's memory", process_vm_readv(pid, &local, 1, &remote, 1, 0));
	pid_t child = fork();
	if (child == 0)
		_exit(0);
	report(h, "fork", child);
	/* a missing program: ENOENT when exec is allowed (a real one would
	 * replace this process), EPERM when the filter stops it */
	char *argv[] = { "/nonexistent/program", NULL };
	long rc = execve(argv[0], argv, NULL);
	report(h, "exec", rc < 0 && errno == EPERM ? -1 : 0);
	report(h, "setuid root", setuid(0));
	/* a positive control: its own limits stay readable */
	struct rlimit mine;
	say(h, "prlimit64 itself: %s", prlimit(0, RLIMIT_NOFILE, NULL, &mine) == 0 ? "allowed" : strerror(errno));
}

static void try_network(const struct quire_host *h, const char *line)
{
	char v[64];
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(arg(line, "port", v, sizeof v))) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	long rc = s < 0 ? -1 : connect(s, (struct sockaddr *)&a, sizeof a);
	report(h, "connect to 127.0.0.1", rc);
	int u = socket(AF_UNIX, SOCK_STREAM, 0);
	report(h, "open a Unix socket", u);
}

/* Descriptors other than the input, stdout and stderr it was left. */
static void try_fds(const struct quire_host *h, int input)
{
	char list[256] = "";
	size_t used = 0;
	for (int fd = 0; fd < 1024; fd++)
		if (fd != input && fd > 2 && fcntl(fd, F_GETFD) >= 0 && used < sizeof list - 8)
			used += (size_t)snprintf(list + used, sizeof list - used, " %d", fd);
	say(h, "inherited descriptors:%s", used ? list : " none");
}

static enum quire_result escape_extract(void *state, const struct quire_host *h, const char *path,
					int fd, const char *mime)
{
	(void)state, (void)path, (void)mime;
	char line[2048];
	ssize_t n = pread(fd, line, sizeof line - 1, 0);
	if (n <= 0)
		return QUIRE_CORRUPT;
	line[n] = '\0';
	line[strcspn(line, "\n")] = '\0';
	say(h, "input read through its descriptor: %s", n > 0 ? "yes" : "no");
	try_files(h, line, fd);
	try_processes(h, line);
	try_network(h, line);
	try_fds(h, fd);
	/* who it runs as (readlink is no open: Landlock leaves it) */
	char ns[64] = "?";
	ssize_t l = readlink("/proc/self/ns/user", ns, sizeof ns - 1);
	ns[l > 0 ? l : 0] = '\0';
	say(h, "identity: uid=%d gid=%d userns=%s", (int)getuid(), (int)getgid(), ns);
	return QUIRE_OK;
}

static const struct quire_plugin escape = {
	.abi = QUIRE_PLUGIN_ABI,
	.size = sizeof(struct quire_plugin),
	.name = "escape",
	.version = "1",
	.mime_types = escape_mimes,
	.extensions = escape_exts,
	.sniff = escape_sniff,
	.extract = escape_extract,
};

const struct quire_plugin *quire_plugin_entry(void)
{
	return &escape;
}
