/* extract.c: quire-extract as a child of a worker, and the ingest step
 * that turns a stored upload into chunks (ingest_extract). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "pipeline/extract.h"
#include "store/blob.h"
#include "base/fault.h"
#include "base/log.h"
#include "base/spawn.h"
#include "pipeline/split.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void (*tick_fn)(void *);
static void *tick_arg;

void extract_set_tick(void (*fn)(void *arg), void *arg)
{
	tick_fn = fn;
	tick_arg = arg;
}

static void tick(void)
{
	if (tick_fn)
		tick_fn(tick_arg);
}

void extract_message(int code, const char *detail, char *out, size_t n)
{
	const char *what;
	switch (code) {
	case EXTRACT_UNSUPPORTED: what = "unsupported file type"; break;
	case EXTRACT_ENCRYPTED: what = "the file is encrypted (password protected)"; break;
	case EXTRACT_CORRUPT: what = "the file is corrupt or truncated"; break;
	case EXTRACT_TOO_LARGE: what = "the file is over a size limit"; break;
	case EXTRACT_TIMEOUT: what = "extraction timed out"; break;
	case EXTRACT_EMPTY: what = "no text found in the file"; break;
	case EXTRACT_CRASHED: what = "the parser crashed on this file"; break;
	default: what = "extraction failed"; break;
	}
	/* quire-extract's messages read "quire-extract: PATH: reason": keep
	 * the reason only (never the server's paths). */
	const char *r = detail ? strrchr(detail, ':') : NULL;
	while (r && *r && (*r == ':' || *r == ' '))
		r++;
	if (r && *r && code != EXTRACT_CRASHED)
		snprintf(out, n, "%s: %s", what, r);
	else
		snprintf(out, n, "%s", what);
}

/* Take one of conf->extract_concurrency slots (blocking, with ticks). */
static int slot_take(const struct qconf *conf)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];
	qconf_datapath(conf, "run", dir);
	mkdir(dir, 0750);
	for (;;) {
		for (int i = 0; i < conf->extract_concurrency; i++) {
			snprintf(path, sizeof path, "%s/extract.%d", dir, i);
			int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
			if (fd < 0)
				return -1;   /* run without a slot rather than never */
			if (flock(fd, LOCK_EX | LOCK_NB) == 0)
				return fd;
			close(fd);
		}
		tick();
		struct timespec ts = { 0, 100 * 1000000L };
		nanosleep(&ts, NULL);
	}
}

static void add_arg(char **argv, int *argc, char *buf, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void add_arg(char **argv, int *argc, char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	argv[(*argc)++] = buf;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* child_pump's own reason for a kill, beside quire-extract's exit codes:
 * the output buffer could not grow. */
enum { EXTRACT_NOMEM = 1000 };

/* A running quire-extract: its process group and the read ends of its
 * stdout and stderr; last keeps stderr's last line. */
struct child {
	pid_t pid;
	int out, err;
	char last[1024];
	size_t last_len;
};

/* Fork and exec prog with the stored file open on descriptor 0 and
 * stdout/stderr on pipes; c gets the pid and the read ends. */
static enum qstatus child_start(const char *prog, char **argv, int in, struct child *c,
				struct qerr *err)
{
	int po[2] = { -1, -1 }, pe[2] = { -1, -1 };
	enum qstatus st = Q_OK;
	if (pipe2(po, O_CLOEXEC) < 0 || pipe2(pe, O_CLOEXEC) < 0) {
		st = qerr_set(err, Q_EINTERNAL, NULL, "cannot start quire-extract: %s",
			      strerror(errno));
		goto out;
	}
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		st = qerr_set(err, Q_EINTERNAL, NULL, "cannot start quire-extract: %s",
			      strerror(errno));
		goto out;
	}
	if (pid == 0) {
		setpgid(0, 0);
		/* An ingest process killed by quired (recovery) takes its
		 * extraction with it rather than leave it running to its deadline. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(EXTRACT_INTERNAL);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		dup2(in, 0);   /* the stored file, read-only */
		/* No Berkeley DB, socket or lock descriptor reaches the parser. */
		close_range(3, ~0U, 0);
		fault_point("extract_child_slow");   /* tests: an extraction that lasts */
		execv(prog, argv);
		fprintf(stderr, "quire-extract: %s: cannot run: %s\n", prog, strerror(errno));
		_exit(EXTRACT_INTERNAL);
	}
	setpgid(pid, pid);
	c->pid = pid;
	c->out = po[0];
	c->err = pe[0];
	po[0] = pe[0] = -1;
out:
	for (int i = 0; i < 2; i++) {
		if (po[i] >= 0)
			close(po[i]);
		if (pe[i] >= 0)
			close(pe[i]);
	}
	return st;
}

/* Keep the last line of the child's stderr. */
static void keep_last_line(struct child *c, const char *buf, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		if (buf[k] == '\n') {
			c->last_len = 0;
			continue;
		}
		if (c->last_len == 0)
			c->last[0] = '\0';
		if (c->last_len < sizeof c->last - 1)
			c->last[c->last_len++] = buf[k], c->last[c->last_len] = '\0';
	}
}

/* Read both pipes until EOF, the output cap or the deadline (the child's
 * own deadline plus a grace period). 0, or why the child's group was
 * killed: EXTRACT_TIMEOUT, EXTRACT_TOO_LARGE (out's cap, set by the
 * caller), EXTRACT_NOMEM (out could not grow). */
static int child_pump(struct child *c, const struct qconf *conf, struct qbuf *out)
{
	int64_t deadline = now_ms() + (int64_t)conf->extract_timeout * 1000 + 5000, last = now_ms();
	int killed = 0, full = 0;
	char buf[65536];
	while (c->out >= 0 || c->err >= 0) {
		struct pollfd pf[2] = { { c->out, POLLIN, 0 }, { c->err, POLLIN, 0 } };
		int64_t left = deadline - now_ms();
		if (left <= 0 || full) {
			kill(-c->pid, SIGKILL);
			killed = left <= 0 ? EXTRACT_TIMEOUT
			       : full == QBUF_FULL ? EXTRACT_TOO_LARGE : EXTRACT_NOMEM;
			break;
		}
		int r = poll(pf, 2, left > 1000 ? 1000 : (int)left);
		if (now_ms() - last >= 1000) {
			tick();
			last = now_ms();
		}
		if (r < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			int *fd = i ? &c->err : &c->out;
			if (*fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			ssize_t n = read(*fd, buf, sizeof buf);
			if (n <= 0) {
				close(*fd);
				*fd = -1;
			} else if (i == 0 && !full) {
				full = qbuf_add(out, buf, (size_t)n);
			} else if (i == 1) {
				keep_last_line(c, buf, (size_t)n);
			}
		}
	}
	return killed;
}

enum qstatus extract_run(const struct qconf *conf, const char *path, const char *name,
			 struct qbuf *out, int *code, struct qerr *err)
{
	char prog[PATH_MAX], a[12][128], dirs[sizeof conf->extract_read_dirs];
	char *argv[64];
	int argc = 0, na = 0;
	spawn_find("quire-extract", QUIRE_LIBEXECDIR, prog);
	argv[argc++] = prog;
#define LIM(...) add_arg(argv, &argc, a[na], sizeof a[na], __VA_ARGS__), na++
	argv[argc++] = "--limit";
	LIM("timeout=%d", conf->extract_timeout);
	argv[argc++] = "--limit";
	LIM("memory_mb=%d", conf->extract_memory_mb);
	argv[argc++] = "--limit";
	LIM("cpu_seconds=%d", conf->extract_cpu);
	argv[argc++] = "--limit";
	LIM("max_pages=%d", conf->extract_max_pages);
	argv[argc++] = "--limit";
	LIM("max_text_bytes=%zu", conf->extract_max_text);
	argv[argc++] = "--limit";
	LIM("max_pixels=%zu", conf->extract_max_pixels);
	argv[argc++] = "--limit";
	LIM("ocr_page_timeout=%d", conf->ocr_page_timeout);
	argv[argc++] = "--limit";
	LIM("ocr_languages=%s", conf->ocr_languages);
	argv[argc++] = "--limit";
	LIM("ocr_budget=%d", conf->ocr_budget);
#undef LIM
	if (name && *name) {
		argv[argc++] = "--name";
		argv[argc++] = (char *)name;
	}
	/* The input is handed over open on descriptor 0: the extractor
	 * never opens a path of the data directory itself. */
	argv[argc++] = "--fd";
	argv[argc++] = "0";
	argv[argc++] = "--user";
	argv[argc++] = (char *)conf->extract_user;
	snprintf(dirs, sizeof dirs, "%s", conf->extract_read_dirs);
	for (char *save = NULL, *d = strtok_r(dirs, " ", &save); d && argc < 60;
	     d = strtok_r(NULL, " ", &save)) {
		argv[argc++] = "--read-dir";
		argv[argc++] = d;
	}
	argv[argc] = NULL;

	*code = EXTRACT_INTERNAL;
	qerr_clear(err);
	enum qstatus st = Q_OK;
	struct child c = { .pid = -1, .out = -1, .err = -1 };
	int slot = slot_take(conf);
	int in = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (in < 0) {
		st = qerr_set(err, Q_EINTERNAL, NULL, "cannot read the stored file: %s",
			      strerror(errno));
		goto out;
	}
	if ((st = child_start(prog, argv, in, &c, err)) != Q_OK)
		goto out;
	int killed = child_pump(&c, conf, out);
	int status = 0;
	while (waitpid(c.pid, &status, 0) < 0 && errno == EINTR)
		;
	if (killed)
		*code = killed;
	else if (WIFEXITED(status))
		*code = WEXITSTATUS(status);
	else
		*code = EXTRACT_CRASHED;
	if (*code == EXTRACT_NOMEM) {
		/* our own buffer, not the file: an internal failure */
		*code = EXTRACT_INTERNAL;
		snprintf(c.last, sizeof c.last, "out of memory reading the extracted text");
	}
	if (*code != EXTRACT_OK) {
		char msg[sizeof err->msg];
		extract_message(*code, c.last, msg, sizeof msg);
		qerr_set(err, Q_OK, NULL, "%s", msg);
	}
	if (*code == EXTRACT_INTERNAL || *code == EXTRACT_CRASHED)
		QLOG_WARN("quire-extract on %s: exit %d: %s", name && *name ? name : path, *code,
			  c.last);
out:
	if (c.out >= 0)
		close(c.out);
	if (c.err >= 0)
		close(c.err);
	if (in >= 0)
		close(in);
	if (slot >= 0)
		close(slot);
	return st;
}

enum qstatus ingest_extract(const struct qconf *conf, json_t *doc, struct split_result *out,
			   split_stage_fn fn, void *arg, int *code_out, struct qerr *err)
{
	char path[PATH_MAX];
	const char *sha = json_string_value(json_object_get(doc, "blob"));
	const char *name = json_string_value(json_object_get(doc, "file_name"));
	struct qbuf jsonl;
	int code;
	memset(out, 0, sizeof *out);
	if (!sha || !blob_hash_valid(sha))
		return qerr_set(err, Q_EINTERNAL, NULL, "the document has no stored file");
	blob_path(conf->datadir, sha, path);
	if (access(path, R_OK) != 0)
		return qerr_set(err, Q_EINTERNAL, NULL, "the stored file is missing");
	/* JSON escaping and the block lines add to the text cap */
	qbuf_init(&jsonl, conf->extract_max_text * 2 + (2u << 20));
	enum qstatus st = extract_run(conf, path, name, &jsonl, &code, err);
	if (code_out)
		*code_out = st == Q_OK ? code : -1;
	if (st == Q_OK && code != EXTRACT_OK)
		st = err->st = code == EXTRACT_UNSUPPORTED ? Q_EMEDIA : Q_EINVAL;
	if (st == Q_OK) {
		if (fn)
			fn(arg, "cleaning");
		st = split_blocks_staged(jsonl.data ? jsonl.data : "", jsonl.len,
					 json_object_get(doc, "process_rule"), out, fn, arg, err);
	}
	qbuf_free(&jsonl);
	return st;
}
