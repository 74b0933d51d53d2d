/* probe.c: a test plugin for quire-extract's host side (tests/extract/core.test).
 * It claims files starting with "QUIRE-PROBE " and does what the rest of the
 * first line says: try forbidden system calls, crash, hang, spin, allocate,
 * write a lot of text, write invalid UTF-8, or return a given result. Built
 * with -DPROBE_ABI=99 it is the wrong-ABI plugin the loader must refuse. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <quire/plugin.h>

#ifndef PROBE_ABI
#define PROBE_ABI QUIRE_PLUGIN_ABI
#endif
#define MAGIC "QUIRE-PROBE "

static const char *const probe_mimes[] = { "application/x-quire-probe", NULL };
static const char *const probe_exts[] = { "probe", NULL };

static int probe_sniff(const unsigned char *head, size_t len, const char *mime)
{
	(void)mime;
	return len >= strlen(MAGIC) && !memcmp(head, MAGIC, strlen(MAGIC)) ? 100 : 0;
}

static int say(const struct quire_host *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int say(const struct quire_host *h, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return h->sink->paragraph(h->sink_ctx, buf, (size_t)n);
}

static const char *outcome(int rc)
{
	return rc < 0 ? strerror(errno) : "allowed";
}

static void try_forbidden(const struct quire_host *h, const char *dir)
{
	char path[4096];
	int rc = socket(AF_INET, SOCK_STREAM, 0);
	say(h, "socket: %s", outcome(rc));
	snprintf(path, sizeof path, "%s/created-by-plugin", dir);
	rc = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	say(h, "create: %s", outcome(rc));
	rc = open("/etc/hostname", O_RDWR);
	say(h, "open-rw: %s", outcome(rc));
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	say(h, "fork: %s", outcome(pid));
	/* a missing program: ENOENT when exec is allowed, EPERM when not */
	char *argv[] = { "/nonexistent/program", NULL };
	rc = execve(argv[0], argv, NULL);
	say(h, "exec: %s", outcome(rc));
	rc = open("/etc/passwd", O_RDONLY);
	say(h, "read: %s", rc >= 0 ? "allowed" : strerror(errno));
}

static enum quire_result probe_extract(void *state, const struct quire_host *h, const char *path,
				       int fd, const char *mime)
{
	(void)state, (void)path, (void)mime;
	char line[1024];
	ssize_t n = pread(fd, line, sizeof line - 1, 0);
	if (n <= 0)
		return QUIRE_CORRUPT;
	line[n] = '\0';
	line[strcspn(line, "\n")] = '\0';
	char *cmd = line + strlen(MAGIC), *arg = strchr(cmd, ' ');
	if (arg)
		*arg++ = '\0';
	if (!strcmp(cmd, "sandbox")) {
		try_forbidden(h, arg ? arg : "/tmp");
	} else if (!strcmp(cmd, "crash")) {
		say(h, "about to crash");
		*(volatile int *)0 = 1;
	} else if (!strcmp(cmd, "sleep")) {
		for (;;) {
			struct timespec ts = { 1, 0 };
			nanosleep(&ts, NULL);
		}
	} else if (!strcmp(cmd, "spin")) {
		for (volatile unsigned long i = 0;; i++)
			;
	} else if (!strcmp(cmd, "alloc")) {
		size_t big = (size_t)8 << 30;
		char *p = malloc(big);
		say(h, "alloc 8 GiB: %s", p ? "allowed" : "refused");
		return p ? QUIRE_OK : QUIRE_ERROR;
	} else if (!strcmp(cmd, "text")) {
		char para[1000];
		memset(para, 'x', sizeof para);
		for (long i = 0; i < atol(arg ? arg : "1"); i++)
			if (h->sink->paragraph(h->sink_ctx, para, sizeof para))
				return QUIRE_TOO_LARGE;
	} else if (!strcmp(cmd, "bytes")) {
		static const char bad[] = "ok \xff\xfe bad \xc3( nul \0 ctl \x01 quote \" end";
		h->sink->heading(h->sink_ctx, 2, "Title \"x\"", 9);
		h->sink->paragraph(h->sink_ctx, bad, sizeof bad - 1);
		const char *cells[] = { "a\tb", "c\nd" };
		size_t lens[] = { 3, 3 };
		h->sink->table_row(h->sink_ctx, cells, lens, 2, 1);
		h->sink->list_item(h->sink_ctx, 2, "item", 4);
	} else if (!strcmp(cmd, "result")) {
		return (enum quire_result)atoi(arg ? arg : "7");
	} else if (!strcmp(cmd, "nothing")) {
		return QUIRE_OK;
	}
	return QUIRE_OK;
}

static const struct quire_plugin probe = {
	.abi = PROBE_ABI,
	.size = sizeof(struct quire_plugin),
	.name = "probe",
	.version = "1",
	.mime_types = probe_mimes,
	.extensions = probe_exts,
	.sniff = probe_sniff,
	.extract = probe_extract,
};

const struct quire_plugin *quire_plugin_entry(void)
{
	return &probe;
}
