/* supervisor.c: quired's watcher loop: workers, ingest processes,
 * quire-embed, recovery, control socket, checkpoints. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "base/seal.h"
#include "daemon/supervisor.h"
#include "admin/admin.h"
#include "admin/reindex.h"
#include "store/docs.h"
#include "store/lexical.h"
#include "queue/queue.h"
#include "http/app.h"
#include "http/router.h"
#include "http/errors.h"
#include "store/datalock.h"
#include "daemon/heartbeat.h"
#include "daemon/reserve.h"
#include "base/metrics.h"
#include "base/log.h"
#include "base/spawn.h"
#include "store/store.h"
#include "base/util.h"

#include <errno.h>
#include <dirent.h>
#include <sysexits.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef QUIRE_LIBEXECDIR
#define QUIRE_LIBEXECDIR "/usr/local/libexec/quire"
#endif
#ifndef QUIRE_BINDIR
#define QUIRE_BINDIR "/usr/local/bin"
#endif

enum child_kind { C_NONE, C_WORKER, C_ADMIN, C_EMBED, C_INGEST };

struct child {
	pid_t pid;
	enum child_kind kind;
	int slot;        /* worker or ingest process slot */
	int conn;        /* control connection of an admin child, or -1 */
	int64_t started_ms;
};

#define MAX_CHILDREN (HB_SLOTS + 32)

/* The heartbeat slot of a child, or -1 for one without heartbeats. */
static int hb_index(const struct child *c)
{
	if (c->kind == C_WORKER)
		return c->slot;
	if (c->kind == C_INGEST)
		return HB_INGEST_BASE + c->slot;
	return -1;
}

struct sup {
	struct qconf conf;
	const char *conf_path;
	int lock_fd, listen_fd, control_fd, sig_fd;
	struct hb_slot *hb;
	struct child kids[MAX_CHILDREN];
	unsigned long recoveries;
	int fast_failures;   /* recoveries in a row, each within RESTART_WINDOW_MS of the last */
	int64_t started_ms, last_recovery_ms, next_checkpoint_ms, next_reserve_ms;
	int reserve_short;   /* the disk reserve could not be taken (full disk) */
	int stopping;
	int unclean_stop;   /* a child ended badly, no recovery since: no final checkpoint */
	int reindex_due;   /* recovery found the keyword index of an older version */
	int64_t idle_exit_ms;     /* on demand: stop after this long idle; 0 = never */
	int64_t last_active_ms;
	int64_t drain_until_ms;   /* idle: socket unlinked, connections still queued are served */
	uint64_t last_requests;   /* sum of the workers' heartbeat request counts */
	int ingest_was_busy;
	char fcgi_prog[PATH_MAX], admin_prog[PATH_MAX], embed_prog[PATH_MAX];
	char ingest_prog[PATH_MAX];
	char control_path[PATH_MAX];
	pid_t self;   /* quired's pid, after detaching: its children's parent */
};

/* ---- sockets ----------------------------------------------------------- */

static int unix_listen(const char *path, unsigned mode, const char *group, int backlog)
{
	struct sockaddr_un sa;
	if (strlen(path) >= sizeof sa.sun_path) {
		QLOG_ERR("socket path too long: %s", path);
		return -1;
	}
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (q_mkdir_p(dir, 0755) < 0)
			QLOG_WARN("cannot create %s: %s", dir, strerror(errno));
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	/* A socket file left by a killed supervisor: nobody answers on it. */
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0) {
		QLOG_ERR("%s is in use by another process", path);
		close(fd);
		return -1;
	}
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, backlog) < 0) {
		QLOG_ERR("cannot listen on %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (chmod(path, mode) < 0)
		QLOG_WARN("chmod %s: %s", path, strerror(errno));
	if (group && *group) {
		struct group *g = getgrnam(group);
		if (!g || chown(path, (uid_t)-1, g->gr_gid) < 0)
			QLOG_WARN("cannot give %s to group %s", path, group);
	}
	return fd;
}

/* ---- children ---------------------------------------------------------- */

static struct child *child_slot(struct sup *s)
{
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (s->kids[i].kind == C_NONE)
			return &s->kids[i];
	return NULL;
}

static struct child *child_by_pid(struct sup *s, pid_t pid)
{
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (s->kids[i].kind != C_NONE && s->kids[i].pid == pid)
			return &s->kids[i];
	return NULL;
}

static void setenv_int(const char *name, long v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%ld", v);
	setenv(name, buf, 1);
}

/* In a child just forked: die with quired. A quired killed between the
 * fork and prctl never sends the signal, and the child would live on
 * holding the data directory's lock (a restarted quired then finds it in
 * use): so it also ends at once when its parent is already another. */
static void die_with_quired(const struct sup *s)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != s->self)
		_exit(0);
}

/* In the child, after fork: the common environment, then exec. */
static void child_exec(struct sup *s, const char *prog, char **argv)
{
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	die_with_quired(s);
	setenv_int("QUIRE_LOCK_FD", s->lock_fd);
	setenv("QUIRE_DATADIR", s->conf.datadir, 1);
	if (s->conf_path)
		setenv("QUIRE_CONF", s->conf_path, 1);
	execv(prog, argv);
	QLOG_ERR("cannot run %s: %s", prog, strerror(errno));
	_exit(127);
}

static int spawn_worker(struct sup *s, int slot)
{
	struct child *c = child_slot(s);
	if (!c)
		return -1;
	s->hb[slot].busy_since_ms = 0;
	pid_t pid = fork();
	if (pid < 0) {
		QLOG_ERR("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		/* libfcgi takes the listening socket as fd 0. */
		if (dup2(s->listen_fd, 0) < 0)
			_exit(127);
		setenv_int("QUIRE_SLOT", slot);
		char *argv[] = {(char *)"quire.fcgi", NULL};
		child_exec(s, s->fcgi_prog, argv);
	}
	*c = (struct child){pid, C_WORKER, slot, -1, q_mono_ms()};
	s->hb[slot].pid = pid;
	return 0;
}

/* quire-embed --joined: the batch embedder, supervised like a worker. */
static void spawn_embedder(struct sup *s)
{
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (s->kids[i].kind == C_EMBED)
			return;
	struct child *c = child_slot(s);
	if (!c)
		return;
	pid_t pid = fork();
	if (pid < 0) {
		QLOG_ERR("fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		char *argv[] = {(char *)"quire-embed", (char *)"--joined", NULL};
		int nul = open("/dev/null", O_RDONLY);
		if (nul >= 0)
			dup2(nul, 0);
		child_exec(s, s->embed_prog, argv);
	}
	*c = (struct child){pid, C_EMBED, -1, -1, q_mono_ms()};
}

/* quire-ingest --joined: ingest process number slot of the pool. */
static void spawn_ingest(struct sup *s, int slot)
{
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (s->kids[i].kind == C_INGEST && s->kids[i].slot == slot)
			return;
	struct child *c = child_slot(s);
	if (!c || slot < 0 || HB_INGEST_BASE + slot >= HB_SLOTS)
		return;
	s->hb[HB_INGEST_BASE + slot].busy_since_ms = 0;
	pid_t pid = fork();
	if (pid < 0) {
		QLOG_ERR("fork: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		char *argv[] = {(char *)"quire-ingest", (char *)"--joined", NULL};
		setenv_int("QUIRE_SLOT", HB_INGEST_BASE + slot);
		int nul = open("/dev/null", O_RDONLY);
		if (nul >= 0)
			dup2(nul, 0);
		child_exec(s, s->ingest_prog, argv);
	}
	*c = (struct child){pid, C_INGEST, slot, -1, q_mono_ms()};
	s->hb[HB_INGEST_BASE + slot].pid = pid;
}

static void spawn_workers(struct sup *s)
{
	spawn_embedder(s);
	for (int slot = 0; slot < s->conf.ingest_processes; slot++)
		spawn_ingest(s, slot);
	for (int slot = 0; slot < s->conf.workers && slot < HB_SLOTS; slot++) {
		int running = 0;
		for (int i = 0; i < MAX_CHILDREN; i++)
			if (s->kids[i].kind == C_WORKER && s->kids[i].slot == slot)
				running = 1;
		if (!running)
			spawn_worker(s, slot);
	}
}

static int kid_count(struct sup *s, enum child_kind kind, char *pids, size_t len)
{
	int n = 0;
	size_t used = 0;
	if (len)
		pids[0] = '\0';
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (s->kids[i].kind == kind) {
			n++;
			int w = snprintf(pids + used, len - used, "%s%ld", used ? "," : "",
					 (long)s->kids[i].pid);
			if (w > 0 && (size_t)w < len - used)
				used += (size_t)w;
		}
	return n;
}

/* quire-admin --joined ARGS with its output on conn (-1: the log). */
static int spawn_admin(struct sup *s, char **args, int nargs, int conn)
{
	struct child *c = child_slot(s);
	char pids[1024];
	if (!c)
		return -1;
	char ipids[sizeof pids], epids[64];
	int nworkers = kid_count(s, C_WORKER, pids, sizeof pids);
	int ningest = kid_count(s, C_INGEST, ipids, sizeof ipids);
	kid_count(s, C_EMBED, epids, sizeof epids);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		char *argv[40];
		int n = 0;
		argv[n++] = (char *)"quire-admin";
		argv[n++] = (char *)"--joined";
		for (int i = 0; i < nargs && n < 39; i++)
			argv[n++] = args[i];
		argv[n] = NULL;
		/* The reply frames go to the client; a task of quired's own
		 * (the checkpoint) has no client, and its frames must not reach
		 * quired's log: its stdout is /dev/null (stderr stays the log). */
		int nul = open("/dev/null", O_RDWR);
		if (conn >= 0)
			dup2(conn, 1);
		else if (nul >= 0)
			dup2(nul, 1);
		if (nul >= 0)
			dup2(nul, 0);
		setenv_int("QUIRE_SUP_PID", getppid());
		setenv_int("QUIRE_SUP_WORKERS", nworkers);
		setenv("QUIRE_SUP_WORKER_PIDS", pids, 1);
		setenv_int("QUIRE_SUP_INGEST", ningest);
		setenv("QUIRE_SUP_INGEST_PIDS", ipids, 1);
		setenv("QUIRE_SUP_EMBED_PID", epids, 1);
		setenv_int("QUIRE_SUP_RECOVERIES", (long)s->recoveries);
		setenv_int("QUIRE_SUP_UPTIME", (long)((q_mono_ms() - s->started_ms) / 1000));
		child_exec(s, s->admin_prog, argv);
	}
	*c = (struct child){pid, C_ADMIN, -1, conn, q_mono_ms()};
	return 0;
}

/* ---- recovery ---------------------------------------------------------- */

/* No process holds an ingest lease after recovery (every child was
 * stopped): the jobs they were running go back to their queues at once
 * (after the backoff of their attempts) instead of waiting for the lease. */
static enum qstatus release_fn(struct stxn *t, void *arg, struct qerr *err)
{
	return queue_release_all(t, "ingest", arg, err);
}

/* Take the disk reserve again; on a full disk say so once, and try again
 * every few seconds from the main loop until there is room. */
static void keep_reserve(struct sup *s)
{
	if (reserve_keep(s->conf.datadir, s->conf.disk_reserve_mb) == 0) {
		if (s->reserve_short)
			QLOG_INFO("the disk has room again: the %d MB reserve is held",
				  s->conf.disk_reserve_mb);
		s->reserve_short = 0;
		return;
	}
	if (!s->reserve_short)
		QLOG_WARN("cannot hold the %d MB disk reserve in %s: %s; retrying",
			  s->conf.disk_reserve_mb, s->conf.datadir, strerror(errno));
	s->reserve_short = 1;
	s->next_reserve_ms = q_mono_ms() + 5000;
}

static int recover(struct sup *s)
{
	char home[PATH_MAX];
	struct qerr err;
	struct store *st;
	int64_t t0 = q_mono_ms();
	qconf_datapath(&s->conf, "db", home);
	store_set_cache_mb((unsigned)s->conf.db_cache_mb);
	/* Only quired puts the regions in System V memory: it is the one
	 * owner that sees every process of the environment end and can
	 * remove the segments (stop_regions). */
	store_set_region_memory(!strcmp(s->conf.db_region_memory, "system"));
	store_set_retry_ms((unsigned)s->conf.db_retry_ms);
	store_set_lock_timeout_ms((unsigned)s->conf.db_lock_timeout_ms);
	/* Recovery writes (log records, a checkpoint, the region files): on a
	 * full disk the reserve is what lets it finish. */
	if (reserve_release(s->conf.datadir))
		QLOG_INFO("disk reserve released for recovery");
	if (store_open(&st, home, STORE_OWNER, &err) != Q_OK) {
		QLOG_ERR("recovery failed: %s", err.msg);
		return -1;
	}
	size_t blobs, tmps;
	if (doc_blob_sweep_all(st, s->conf.datadir, &blobs, &tmps, &err) != Q_OK)
		QLOG_WARN("blob sweep: %s", err.msg);
	else if (blobs || tmps)
		QLOG_INFO("blob sweep: %zu unreferenced blobs and %zu stale upload files removed",
			  blobs, tmps);
	size_t released = 0;
	if (store_run(st, release_fn, &released, &err) != Q_OK)
		QLOG_WARN("releasing ingest jobs: %s", err.msg);
	else if (released)
		QLOG_INFO("%zu ingest jobs of stopped ingest processes queued again", released);
	int v;
	char why[128];
	s->reindex_due = admin_index_version(st, &v, &err) == Q_OK &&
			 admin_index_stale(v, why, sizeof why);
	if (s->reindex_due)
		QLOG_WARN("%s: rebuilding it in the background (quire-admin reindex); keyword "
			  "search misses documents until it ends", why);
	store_close(st);
	QLOG_INFO("recovery %lu took %lld ms", s->recoveries, (long long)(q_mono_ms() - t0));
	keep_reserve(s);
	return 0;
}

/* While recovery runs, a child without any database handle answers every
 * FastCGI request with 503 and Retry-After in the route family's shape. */
static void responder_loop(struct sup *s)
{
	FCGX_Request req;
	char ra[16];
	snprintf(ra, sizeof ra, "%d", s->conf.retry_after);
	signal(SIGTERM, SIG_DFL);
	FCGX_Init();
	FCGX_InitRequest(&req, s->listen_fd, 0);
	while (FCGX_Accept_r(&req) >= 0) {
		struct qresp resp;
		struct qerr err;
		const char *uri = FCGX_GetParam("REQUEST_URI", req.envp);
		const char *pi = FCGX_GetParam("PATH_INFO", req.envp);
		const char *path = pi && *pi ? pi : uri ? uri : "/";
		size_t bl = strlen(s->conf.base_path);
		if (bl && !strncmp(path, s->conf.base_path, bl))
			path += bl;   /* mounted under a sub-path (base_path) */
		qresp_init(&resp);
		qerr_set(&err, Q_ERECOVER, NULL, "storage is recovering; retry shortly");
		family_error(route_family(path), &resp, &err,
			     s->conf.retry_after);
		char head[128];
		int n = snprintf(head, sizeof head, "Status: 503 Service Unavailable\r\n");
		FCGX_PutStr(head, n, req.out);
		FCGX_PutStr(resp.headers.data, (int)resp.headers.len, req.out);
		n = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", resp.body.len);
		FCGX_PutStr(head, n, req.out);
		FCGX_PutStr(resp.body.data, (int)resp.body.len, req.out);
		qresp_free(&resp);
		FCGX_Finish_r(&req);
	}
	_exit(0);
}

static pid_t start_responder(struct sup *s)
{
	pid_t pid = fork();
	if (pid == 0) {
		sigset_t none;
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		die_with_quired(s);
		responder_loop(s);
	}
	return pid;
}

static void reply_exit(int conn, int code)
{
	if (conn < 0)
		return;
	unsigned char trailer[2] = {1, (unsigned char)code};
	if (q_write_all(conn, trailer, 2) < 0)
		(void)0;
	close(conn);
}

/* A child that dies this soon after a recovery counts as failing again. */
#define RESTART_WINDOW_MS 10000
#define RESTART_BACKOFF_MS 200

/* SIGTERM or SIGINT waiting (not consumed: the main loop reads it). */
static int stop_pending(void)
{
	sigset_t pending;
	return sigpending(&pending) == 0 &&
	       (sigismember(&pending, SIGTERM) == 1 || sigismember(&pending, SIGINT) == 1);
}

/* How long to wait before the next recovery. failing: a child ended on
 * its own (exit status or a signal other than SIGKILL) within
 * RESTART_WINDOW_MS of its start, as a missing or broken helper program
 * does; while that repeats after each recovery the wait is 0.2 s doubling
 * up to restart_backoff_max, instead of several recoveries a second. A
 * kill -9 from outside or a hung child never grows the wait. */
static int64_t restart_delay(struct sup *s, const char *why, int failing)
{
	int64_t since = q_mono_ms() - s->last_recovery_ms;
	if (!failing || !s->last_recovery_ms || since >= RESTART_WINDOW_MS) {
		s->fast_failures = 0;
		/* A child that dies at once after every recovery must not spin. */
		return s->last_recovery_ms && since < RESTART_BACKOFF_MS ? RESTART_BACKOFF_MS - since
									 : 0;
	}
	s->fast_failures++;
	int64_t cap = (int64_t)s->conf.restart_backoff_max * 1000, d = RESTART_BACKOFF_MS;
	for (int i = 1; i < s->fast_failures && d < cap; i++)
		d *= 2;
	if (d > cap)
		d = cap;
	QLOG_ERR("%s again, %d times in a row within %d s of a recovery: waiting %.1f s before "
		 "recovering (is a program missing or failing? restart_backoff_max = %d s)",
		 why, s->fast_failures, RESTART_WINDOW_MS / 1000, (double)d / 1000.0,
		 s->conf.restart_backoff_max);
	return d;
}

/* Sleep ms in short steps, ending early when a stop is asked for. */
static void backoff_wait(struct sup *s, int64_t ms)
{
	int64_t until = q_mono_ms() + ms;
	while (!s->stopping && q_mono_ms() < until) {
		struct timespec ts = {0, 50 * 1000000L};
		nanosleep(&ts, NULL);
		if (stop_pending())
			s->stopping = 1;
	}
}

/* Kill every child that may have the environment open, recover, restart. */
static void stop_the_world(struct sup *s, const char *why, int failing)
{
	QLOG_WARN("%s: stopping all children for recovery", why);
	/* Until a recovery runs, the environment may hold a dead child's
	 * locks: no final checkpoint (joining it would wait forever). */
	s->unclean_stop = 1;
	int64_t delay = restart_delay(s, why, failing);
	pid_t responder = start_responder(s);
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (s->kids[i].kind != C_NONE)
			kill(s->kids[i].pid, SIGKILL);
	for (int i = 0; i < MAX_CHILDREN; i++) {
		struct child *c = &s->kids[i];
		if (c->kind == C_NONE)
			continue;
		while (waitpid(c->pid, NULL, 0) < 0 && errno == EINTR)
			;
		reply_exit(c->conn, EX_TEMPFAIL);
		if (hb_index(c) >= 0)
			s->hb[hb_index(c)].busy_since_ms = 0;
		c->kind = C_NONE;
	}
	backoff_wait(s, delay);
	s->recoveries++;
	qm_add(QM_RECOVERIES, 1);
	while (!s->stopping && recover(s) < 0) {
		sleep(1);   /* keep answering 503 until the storage can be opened */
		/* Signals are only read in the main loop: look at the pending set
		 * (without consuming it) so SIGTERM still stops a quired whose
		 * recovery keeps failing. */
		if (stop_pending())
			s->stopping = 1;
		if (s->stopping)
			break;
	}
	if (!s->stopping)
		s->unclean_stop = 0;   /* recovered */
	s->last_recovery_ms = q_mono_ms();
	if (responder > 0) {
		kill(responder, SIGKILL);
		while (waitpid(responder, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (!s->stopping)
		spawn_workers(s);
}

static void reap(struct sup *s)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		struct child *c = child_by_pid(s, pid);
		if (!c)
			continue;
		int clean = WIFEXITED(status) &&
			    (c->kind == C_WORKER ? WEXITSTATUS(status) == 0
						 : WEXITSTATUS(status) != EX_TEMPFAIL);
		reply_exit(c->conn, WIFEXITED(status) ? WEXITSTATUS(status) : EX_TEMPFAIL);
		enum child_kind kind = c->kind;
		int slot = c->slot;
		/* A program that cannot start dies soon and idle; one that dies in
		 * the middle of a request or a job (its heartbeat busy) died of
		 * that work (a panic, memory), not of being broken: no back-off. */
		int hb = kind == C_WORKER ? c->slot : kind == C_INGEST ? HB_INGEST_BASE + c->slot : -1;
		int busy = hb >= 0 && hb < HB_SLOTS && s->hb && s->hb[hb].busy_since_ms != 0;
		int failing = !(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) && !busy &&
			      q_mono_ms() - c->started_ms < RESTART_WINDOW_MS;
		c->kind = C_NONE;
		if (kind == C_EMBED && WIFEXITED(status) && WEXITSTATUS(status) == EX_CONFIG) {
			/* Misconfigured backend: it closed cleanly; do not respawn it. */
			QLOG_ERR("quire-embed refused its configuration; embedding is stopped "
				 "until the configuration is fixed and reloaded (SIGHUP)");
			continue;
		}
		if (kind == C_INGEST && WIFEXITED(status) && WEXITSTATUS(status) == EX_CONFIG) {
			QLOG_ERR("quire-ingest refused its configuration; ingestion is stopped "
				 "until the configuration is fixed and reloaded (SIGHUP)");
			continue;
		}
		if (kind == C_EMBED || kind == C_INGEST)
			clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
		if (!clean) {
			char why[96];
			const char *what = kind == C_WORKER	? "worker"
					   : kind == C_EMBED	? "quire-embed"
					   : kind == C_INGEST ? "quire-ingest"
								: "admin task";
			if (WIFSIGNALED(status))
				snprintf(why, sizeof why, "%s %ld killed by signal %d", what, (long)pid,
					 WTERMSIG(status));
			else
				snprintf(why, sizeof why, "%s %ld exited with status %d", what, (long)pid,
					 WEXITSTATUS(status));
			if (s->stopping) {
				s->unclean_stop = 1;
				continue;
			}
			stop_the_world(s, why, failing);
			continue;
		}
		if (kind == C_WORKER && !s->stopping && slot < s->conf.workers)
			spawn_worker(s, slot);
		if (kind == C_EMBED && !s->stopping)
			spawn_embedder(s);
		if (kind == C_INGEST && !s->stopping && slot < s->conf.ingest_processes)
			spawn_ingest(s, slot);
	}
}

static void check_heartbeats(struct sup *s)
{
	int64_t now = q_mono_ms();
	for (int i = 0; i < MAX_CHILDREN; i++) {
		struct child *c = &s->kids[i];
		if (hb_index(c) < 0)
			continue;
		int64_t busy = s->hb[hb_index(c)].busy_since_ms;
		if (busy && now - busy > (int64_t)s->conf.heartbeat_timeout * 1000) {
			char why[96];
			snprintf(why, sizeof why, "%s %ld missed its heartbeat (busy %lld s)",
				 c->kind == C_WORKER ? "worker" : "quire-ingest", (long)c->pid,
				 (long long)((now - busy) / 1000));
			stop_the_world(s, why, 0);
			return;
		}
	}
}

/* ---- control socket ---------------------------------------------------- */

/* Request: NUL-terminated arguments, ending with an empty one. Reply:
 * frames of type 2 (stdout) or 3 (stderr), each a type byte, a 4-byte
 * big-endian length and the bytes, written by the admin child; then quired
 * adds byte 1 and the child's exit status. */
static void control_accept(struct sup *s)
{
	int conn = accept4(s->control_fd, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0)
		return;
	char buf[4096];
	size_t len = 0;
	/* A silent client must not stall supervision for long. */
	struct timeval tv = {0, 300000};
	setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	for (;;) {
		if (len >= 2 && buf[len - 1] == 0 && buf[len - 2] == 0)
			break;
		if (len == 1 && buf[0] == 0)
			break;
		ssize_t n = read(conn, buf + len, sizeof buf - len);
		if (n <= 0 || len + (size_t)n >= sizeof buf) {
			close(conn);
			return;
		}
		len += (size_t)n;
	}
	char *args[32];
	int nargs = 0;
	for (size_t off = 0; off < len && buf[off] && nargs < 32; off += strlen(buf + off) + 1)
		args[nargs++] = buf + off;
	if (nargs == 0 || spawn_admin(s, args, nargs, conn) < 0) {
		static const char msg[] = "\3\0\0\0\040quired: cannot run that command\n";
		if (q_write_all(conn, msg, sizeof msg - 1) == 0)
			reply_exit(conn, 1);
		else
			close(conn);
	}
}

/* ---- configuration, signals, lifecycle --------------------------------- */

static void reload(struct sup *s)
{
	struct qconf fresh;
	struct qerr err;
	qconf_defaults(&fresh);
	if (qconf_load(&fresh, s->conf_path ? s->conf_path : qconf_path(), 0, &err) != Q_OK ||
	    qconf_check(&fresh, &err) != Q_OK) {
		QLOG_ERR("reload: %s (keeping the old configuration)", err.msg);
		return;
	}
	if (strcmp(fresh.socket, s->conf.socket) || strcmp(fresh.datadir, s->conf.datadir)) {
		QLOG_WARN("reload: socket and datadir changes need a restart; kept");
		snprintf(fresh.socket, sizeof fresh.socket, "%s", s->conf.socket);
		snprintf(fresh.datadir, sizeof fresh.datadir, "%s", s->conf.datadir);
	}
	s->conf = fresh;
	qlog_set_level(fresh.log_level);
	/* Workers finish their request and exit 0; spawn_worker replaces them
	 * with the new settings, slots beyond the new count are not refilled. */
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (s->kids[i].kind == C_WORKER || s->kids[i].kind == C_EMBED ||
		    s->kids[i].kind == C_INGEST)
			kill(s->kids[i].pid, SIGTERM);
	spawn_workers(s);
	QLOG_INFO("configuration reloaded: %d workers", s->conf.workers);
}

/* Once every child ended on its own: a checkpoint, so the log ends with
 * it, no transaction open, and the next start's recovery has nothing to
 * redo or undo (RELIABILITY D7). After a child was killed the next start
 * recovers as after any crash. */
static void final_checkpoint(struct sup *s)
{
	char home[PATH_MAX];
	struct store *st;
	struct qerr err;
	if (s->unclean_stop) {
		QLOG_WARN("a child did not stop cleanly, or a recovery is pending: the next "
			  "start recovers");
		return;
	}
	qconf_datapath(&s->conf, "db", home);
	if (store_open(&st, home, STORE_JOIN, &err) != Q_OK) {
		QLOG_WARN("final checkpoint: %s; the next start recovers", err.msg);
		return;
	}
	if (store_checkpoint(st, 0, &err) != Q_OK)
		QLOG_WARN("final checkpoint: %s; the next start recovers", err.msg);
	else
		QLOG_INFO("every child stopped cleanly; checkpoint written, the next start has "
			  "nothing to recover");
	store_close(st);
}

/* After every child has ended (reaped, so nothing has the environment
 * open): an environment in System V memory is removed, or each stopped
 * data directory would keep its segments (the cache and the lock region,
 * about 400 MB at the defaults) until the next start or a reboot. After
 * an unclean stop too: the next start's recovery needs only the log. */
static void stop_regions(struct sup *s)
{
	char home[PATH_MAX];
	qconf_datapath(&s->conf, "db", home);
	if (store_remove_regions(home) == 0)
		return;
	QLOG_WARN("the System V segments of %s were not all removed", home);
}

/* Before the workers stop: the socket's name goes (the front server gets
 * no new connection and answers 503 itself), and the workers serve the
 * connections already queued on it, for up to 5 s; a request queued when
 * the last worker exited was cut off (lighttpd answered 500, RELIABILITY
 * D7). */
static void drain_backlog(struct sup *s)
{
	int64_t deadline = q_mono_ms() + 5000;
	int workers = 0;
	unlink(s->conf.socket);
	for (int i = 0; i < MAX_CHILDREN; i++)
		workers += s->kids[i].kind == C_WORKER;
	while (workers) {   /* none during a recovery's back-off: nobody to serve */
		struct pollfd p = {s->listen_fd, POLLIN, 0};
		if (poll(&p, 1, 0) <= 0 || q_mono_ms() > deadline)
			break;
		struct timespec ts = {0, 20 * 1000000L};
		nanosleep(&ts, NULL);
	}
}

static void shutdown_children(struct sup *s)
{
	int64_t deadline = q_mono_ms() + 10000;
	for (int i = 0; i < MAX_CHILDREN; i++)
		if (s->kids[i].kind != C_NONE)
			kill(s->kids[i].pid, SIGTERM);
	for (;;) {
		int alive = 0;
		reap(s);
		for (int i = 0; i < MAX_CHILDREN; i++)
			alive += s->kids[i].kind != C_NONE;
		if (!alive)
			break;
		if (q_mono_ms() > deadline) {
			QLOG_WARN("children still running after 10 s: killing them");
			s->unclean_stop = 1;
			for (int i = 0; i < MAX_CHILDREN; i++)
				if (s->kids[i].kind != C_NONE) {
					kill(s->kids[i].pid, SIGKILL);
					waitpid(s->kids[i].pid, NULL, 0);
					reply_exit(s->kids[i].conn, EX_TEMPFAIL);
					s->kids[i].kind = C_NONE;
				}
			break;
		}
		struct timespec ts = {0, 20 * 1000000L};
		nanosleep(&ts, NULL);
	}
}

static int daemonize(void)
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0)
		_exit(0);
	setsid();
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0)
		_exit(0);
	int nul = open("/dev/null", O_RDWR);
	if (nul >= 0) {
		dup2(nul, 0);
		dup2(nul, 1);
		dup2(nul, 2);
		if (nul > 2)
			close(nul);
	}
	return 0;
}

/* An upgrade that changed the keyword index's format rebuilds it with no
 * operator action: quire-admin reindex as a task of quired's own, once per
 * recovery that finds it stale (a reindex cut short by a recovery is
 * started again by the next). Writers go on meanwhile. */
static void maybe_reindex(struct sup *s)
{
	if (!s->reindex_due)
		return;
	s->reindex_due = 0;
	char *args[] = {(char *)"reindex"};
	if (spawn_admin(s, args, 1, -1) < 0)
		QLOG_WARN("cannot start quire-admin reindex; run it by hand");
}

static void maybe_checkpoint(struct sup *s)
{
	int64_t now = q_mono_ms();
	if (now < s->next_checkpoint_ms)
		return;
	s->next_checkpoint_ms = now + (int64_t)s->conf.checkpoint_interval * 1000;
	char *args[] = {(char *)"checkpoint"};
	spawn_admin(s, args, 1, -1);
}

/* An on-demand quired (started by quire.cgi) stops when no request has
 * started, no request or ingestion runs and no admin command ran for
 * idle_exit seconds; the next request starts it again. Embed jobs left
 * over keep their leases and are taken up by the next start. */
static void check_idle(struct sup *s)
{
	if (!s->idle_exit_ms)
		return;
	int64_t now = q_mono_ms();
	uint64_t requests = 0;
	int busy = 0, ingest = 0;
	for (int i = 0; i < HB_INGEST_BASE; i++) {
		requests += s->hb[i].requests;
		busy |= s->hb[i].busy_since_ms != 0;
	}
	/* An idle ingest process looks for work every second, busy for a
	 * moment; one running a job stays busy: seen busy twice in a row. */
	for (int i = HB_INGEST_BASE; i < HB_SLOTS; i++)
		ingest |= s->hb[i].busy_since_ms != 0;
	busy |= ingest && s->ingest_was_busy;
	s->ingest_was_busy = ingest;
	for (int i = 0; i < MAX_CHILDREN; i++)
		busy |= s->kids[i].kind == C_ADMIN;
	if (busy || requests != s->last_requests) {
		s->last_requests = requests;
		s->last_active_ms = now;
		if (s->drain_until_ms)
			s->drain_until_ms = now + 1000;
		return;
	}
	if (s->drain_until_ms && now >= s->drain_until_ms) {
		QLOG_INFO("idle for %d s: stopping (started on demand)", s->conf.idle_exit);
		s->stopping = 1;
	} else if (!s->drain_until_ms && now - s->last_active_ms >= s->idle_exit_ms) {
		/* No new connection can reach us once the name is gone (quire.cgi
		 * then starts a new quired, which waits for our lock); one that
		 * connected just before is still served for a second. */
		unlink(s->conf.socket);
		s->drain_until_ms = now + 1000;
	}
}

/* Without extraction plugins every upload ends in error: say so at start,
 * where the operator looks (quired.log on a CGI-only host). */
static void check_plugins(void)
{
	const char *dir = getenv("QUIRE_PLUGIN_DIR");
	if (!dir || !*dir)
		dir = QUIRE_PLUGINDIR;
	DIR *d = opendir(dir);
	int n = 0;
	for (struct dirent *e; d && (e = readdir(d));) {
		size_t l = strlen(e->d_name);
		n += l > 3 && !strcmp(e->d_name + l - 3, ".so");
	}
	if (d)
		closedir(d);
	if (!n)
		QLOG_ERR("no extraction plugins in %s%s: uploaded files will end in error "
			 "(set QUIRE_PLUGIN_DIR to the plugins' directory)", dir, d ? "" : " (missing)");
}

static int setup(struct sup *s, const struct sup_options *opt)
{
	struct qerr err;
	char path[PATH_MAX];

	s->lock_fd = datalock_take(s->conf.datadir, &err);
	/* On demand, the quired that is stopping for idleness may still hold
	 * the lock for a moment. */
	for (int i = 0; s->lock_fd < 0 && opt->on_demand && err.st != Q_EINTERNAL &&
			i < s->conf.lock_wait * 10; i++) {
		struct timespec ts = {0, 100 * 1000000L};
		nanosleep(&ts, NULL);
		s->lock_fd = datalock_take(s->conf.datadir, &err);
	}
	if (s->lock_fd < 0) {
		QLOG_ERR("%s", err.msg);
		return -1;
	}
	/* the key that seals upload passwords for the ingest processes, in
	 * memory only (base/seal.h): a restart forgets every sealed one */
	if (seal_owner_init() < 0) {
		QLOG_ERR("cannot make the in-memory sealing key: %s", strerror(errno));
		return -1;
	}
	if (opt->pid_file) {
		FILE *f = fopen(opt->pid_file, "we");
		if (f) {
			fprintf(f, "%ld\n", (long)getpid());
			fclose(f);
		}
	}
	/* Started on a full disk: the reserve makes room for the shared files
	 * and the recovery below, which takes it again. */
	reserve_release(s->conf.datadir);
	qconf_datapath(&s->conf, "heartbeat", path);
	if (!(s->hb = hb_map(path, 1))) {
		QLOG_ERR("cannot map %s: %s", path, strerror(errno));
		return -1;
	}
	memset((void *)s->hb, 0, HB_SLOTS * sizeof *s->hb);
	qconf_datapath(&s->conf, "metrics", path);
	if (qm_attach(path, 1) < 0)
		QLOG_WARN("cannot map %s: %s; /metrics will show nothing", path, strerror(errno));
	/* A failed first recovery (an I/O error) is tried again a few times
	 * before quired gives up. */
	for (int attempt = 1; recover(s) < 0; attempt++) {
		if (attempt >= 5)
			return -1;
		sleep((unsigned)attempt);
	}
	s->listen_fd = unix_listen(s->conf.socket, s->conf.socket_mode, s->conf.socket_group, 1024);
	if (s->listen_fd < 0)
		return -1;
	if (s->conf.control[0])
		snprintf(s->control_path, sizeof s->control_path, "%s", s->conf.control);
	else
		qconf_datapath(&s->conf, "control.sock", s->control_path);
	s->control_fd = unix_listen(s->control_path, 0600, NULL, 16);
	if (s->control_fd < 0)
		return -1;
	check_plugins();
	spawn_find("quire.fcgi", QUIRE_LIBEXECDIR, s->fcgi_prog);
	spawn_find("quire-admin", QUIRE_BINDIR, s->admin_prog);
	spawn_find("quire-embed", QUIRE_BINDIR, s->embed_prog);
	spawn_find("quire-ingest", QUIRE_LIBEXECDIR, s->ingest_prog);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	s->sig_fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	signal(SIGPIPE, SIG_IGN);
	return s->sig_fd < 0 ? -1 : 0;
}

int supervisor_main(const struct sup_options *opt)
{
	static struct sup s;
	struct qerr err;

	memset(&s, 0, sizeof s);
	s.lock_fd = s.listen_fd = s.control_fd = s.sig_fd = -1;
	/* Children get QUIRE_CONF only when a file was named (-c or the
	 * environment): they must then read that very file, while with none
	 * named the installed one is optional and the defaults run Quire. */
	const char *env = getenv("QUIRE_CONF");
	s.conf_path = opt->conf_path ? opt->conf_path : env && *env ? env : NULL;
	if (opt->conf_path)
		setenv("QUIRE_CONF", opt->conf_path, 1);
	if (qconf_load_default(&s.conf, &err) != Q_OK || qconf_check(&s.conf, &err) != Q_OK) {
		QLOG_ERR("configuration: %s", err.msg);
		return EX_CONFIG;
	}
	if (opt->detach) {
		qlog_init("quired", 1, s.conf.log_level);
		if (daemonize() < 0)
			return 1;
	} else {
		qlog_init("quired", s.conf.log_syslog, s.conf.log_level);
	}
	s.self = getpid();
	if (setup(&s, opt) < 0)
		return 1;
	s.started_ms = s.last_active_ms = q_mono_ms();
	s.idle_exit_ms = opt->on_demand ? (int64_t)s.conf.idle_exit * 1000 : 0;
	s.next_checkpoint_ms = s.started_ms + (int64_t)s.conf.checkpoint_interval * 1000;
	spawn_workers(&s);
	QLOG_INFO("quired %s: %d workers on %s, %d ingest processes, data in %s", PACKAGE_VERSION,
		  s.conf.workers, s.conf.socket, s.conf.ingest_processes, s.conf.datadir);

	while (!s.stopping) {
		struct pollfd pfd[2] = {{s.sig_fd, POLLIN, 0}, {s.control_fd, POLLIN, 0}};
		int n = poll(pfd, 2, 500);
		if (n < 0 && errno != EINTR)
			break;
		if (pfd[0].revents & POLLIN) {
			struct signalfd_siginfo si;
			while (read(s.sig_fd, &si, sizeof si) == sizeof si) {
				if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT)
					s.stopping = 1;
				else if (si.ssi_signo == SIGHUP)
					reload(&s);
			}
			reap(&s);
		}
		if (pfd[1].revents & POLLIN)
			control_accept(&s);
		if (!s.stopping) {
			reap(&s);
			check_heartbeats(&s);
			maybe_checkpoint(&s);
			maybe_reindex(&s);
			check_idle(&s);
			if (s.reserve_short && q_mono_ms() >= s.next_reserve_ms)
				keep_reserve(&s);
		}
	}
	QLOG_INFO("stopping");
	drain_backlog(&s);
	shutdown_children(&s);
	final_checkpoint(&s);
	stop_regions(&s);
	close(s.listen_fd);
	close(s.control_fd);
	unlink(s.conf.socket);
	unlink(s.control_path);
	if (opt->pid_file)
		unlink(opt->pid_file);
	hb_unmap(s.hb);
	QLOG_INFO("stopped after %lu recoveries", s.recoveries);
	return 0;
}
