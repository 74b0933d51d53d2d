/* quire-extract: the text and structure of one file, written as JSON Lines
 * or plain text (docs/extract-format.md), by the plugin that recognises
 * the file's bytes.
 *
 * The parent takes the input (a path it opens, or with --fd a descriptor
 * the caller opened), closes every other inherited descriptor, loads the
 * plugins, sniffs the type and, when running as root, becomes the
 * unprivileged --user for good; a child (its own process group)
 * initialises the chosen plugin, enters the sandbox (sandbox.c,
 * landlock.c: no path but read-only system data, no other process, no
 * network) and extracts. The parent waits with a wall-clock deadline:
 * on expiry it kills the child's group (exit 14); a child that dies by a
 * signal is reported as a crash (exit 17), so a caller never sees anything
 * worse than an exit code. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "loader.h"
#include "sandbox.h"
#include "landlock.h"
#include "xsink.h"
#include "sniff.h"

enum {
	EX_OK = 0, EX_UNSUPPORTED = 10, EX_ENCRYPTED = 11, EX_CORRUPT = 12, EX_TOO_LARGE = 13,
	EX_TIMEOUT = 14, EX_EMPTY = 15, EX_INTERNAL = 16, EX_CRASHED = 17, EX_USAGE = 64,
};

static const char *progname = "quire-extract";
static const char *file_name = "";
static int verbose;

static void host_log(enum quire_log_level level, const char *fmt, ...)
{
	if (level > QUIRE_LOG_WARNING && !verbose)
		return;
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: %s: ", progname, file_name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void warn_plugin(const char *path, const char *why)
{
	fprintf(stderr, "%s: refusing plugin %s: %s\n", progname, path, why);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [options] FILE\n"
		"Write the text and structure of FILE as JSON Lines (docs/extract-format.md).\n\n"
		"  -t, --text            plain text instead of JSON Lines\n"
		"  -n, --name NAME       the file's original name (its extension refines\n"
		"                        plain text into markdown, CSV or TSV)\n"
		"  -l, --limit KEY=VALUE a limit: max_pages, max_text_bytes, max_pixels,\n"
		"                        max_zip_entries, max_inflated_bytes, max_ratio,\n"
		"                        ocr_page_timeout, ocr_budget, ocr_languages,\n"
		"                        render_dpi, memory_mb, cpu_seconds, max_file_bytes,\n"
		"                        timeout\n"
		"      --fd N            read the input from open descriptor N (FILE is then\n"
		"                        only a name for messages, or absent)\n"
		"      --password-file PATH\n"
		"                        the document's password: the first line of PATH\n"
		"      --password-fd N   the document's password: the first line read from\n"
		"                        descriptor N (never give it on the command line)\n"
		"  -u, --user USER       when run as root, extract as USER (default nobody)\n"
		"      --read-dir DIR    a directory the parser may read after init (repeat;\n"
		"                        default: fonts, poppler, Tesseract and iconv data,\n"
		"                        $TESSDATA_PREFIX)\n"
		"      --plugin-dir DIR  plugins from DIR (default $QUIRE_PLUGIN_DIR or %s)\n"
		"      --list            list the plugins and what they read, then exit\n"
		"      --no-seccomp      no sandbox: no system call filter, Landlock, user\n"
		"                        drop or namespace (debugging only)\n"
		"      --no-landlock     confine as on a kernel without Landlock: the filter\n"
		"                        then allows no open at all (for tests)\n"
		"  -v, --verbose         plugin messages of every level on stderr\n"
		"  -h, --help            this text\n\n"
		"Exit: 0 text, 10 unsupported, 11 encrypted, 12 corrupt, 13 too large,\n"
		"14 timeout, 15 empty, 16 internal error, 17 plugin crashed.\n",
		progname, QUIRE_PLUGINDIR);
}

#define READ_DIRS_MAX 16

struct opts {
	int text, list, seccomp, no_landlock, in_fd;
	const char *name, *dir, *user;
	const char *read_dirs[READ_DIRS_MAX + 1];
	int n_read_dirs;
	struct quire_limits lim;
	unsigned memory_mb, cpu_seconds, timeout;
	unsigned long long max_file;
	char langs[64];
	const char *password;   /* NULL: none given */
};

#define PASSWORD_MAX 1024   /* bytes of UTF-8; Office allows 255 characters */
static char password_buf[PASSWORD_MAX + 2];

static int parse_ull(const char *v, unsigned long long *out)
{
	char *end;
	errno = 0;
	unsigned long long n = strtoull(v, &end, 10);
	if (errno || end == v || *end || v[0] == '-')
		return -1;
	*out = n;
	return 0;
}

static int set_limit(struct opts *o, const char *kv)
{
	const char *eq = strchr(kv, '=');
	if (!eq)
		return -1;
	size_t kl = (size_t)(eq - kv);
	const char *v = eq + 1;
	unsigned long long n = 0;
#define KEY(s) (kl == strlen(s) && !strncmp(kv, s, kl))
	if (KEY("ocr_languages")) {
		if (!*v || strlen(v) >= sizeof o->langs)
			return -1;
		snprintf(o->langs, sizeof o->langs, "%s", v);
		return 0;
	}
	if (parse_ull(v, &n))
		return -1;
	unsigned u = n > 0xffffffffu ? 0xffffffffu : (unsigned)n;
	if (KEY("max_pages")) o->lim.max_pages = u;
	else if (KEY("max_text_bytes")) o->lim.max_text_bytes = (size_t)n;
	else if (KEY("max_pixels")) o->lim.max_pixels = n;
	else if (KEY("max_zip_entries")) o->lim.max_zip_entries = u;
	else if (KEY("max_inflated_bytes")) o->lim.max_inflated_bytes = n;
	else if (KEY("max_ratio")) o->lim.max_ratio = u;
	else if (KEY("ocr_page_timeout")) o->lim.ocr_page_timeout_s = u;
	else if (KEY("ocr_budget")) o->lim.ocr_budget_s = u;
	else if (KEY("render_dpi")) o->lim.render_dpi = u;
	else if (KEY("memory_mb")) o->memory_mb = u;
	else if (KEY("cpu_seconds")) o->cpu_seconds = u;
	else if (KEY("max_file_bytes")) o->max_file = n;
	else if (KEY("timeout")) o->timeout = u;
	else return -1;
#undef KEY
	return 0;
}

/* What a parser may still read after init: fonts and their configuration
 * (fontconfig, poppler rendering), poppler's encodings and CMaps,
 * Tesseract's language data, iconv's converters. Nothing there is private. */
static const char *const default_read_dirs[] = {
	"/usr/share/fonts", "/usr/share/fontconfig", "/etc/fonts", "/var/cache/fontconfig",
	"/usr/share/poppler", "/usr/share/tesseract-ocr", "/usr/lib/x86_64-linux-gnu/gconv",
	"/usr/lib/gconv", "/usr/lib64/gconv", NULL,
};

static void defaults(struct opts *o)
{
	memset(o, 0, sizeof *o);
	o->seccomp = 1;
	o->in_fd = -1;
	o->user = "nobody";
	o->lim.max_pages = 5000;
	o->lim.max_text_bytes = (size_t)64 << 20;
	o->lim.max_pixels = 100000000ULL;
	o->lim.max_zip_entries = 10000;
	o->lim.max_inflated_bytes = 1ULL << 30;
	o->lim.max_ratio = 100;
	o->lim.ocr_page_timeout_s = 60;
	o->lim.ocr_budget_s = 90;
	o->lim.render_dpi = 300;
	snprintf(o->langs, sizeof o->langs, "eng");
	o->memory_mb = 2048;
	o->cpu_seconds = 120;
	o->timeout = 120;
	o->max_file = 1ULL << 30;
}

/* The password: the first line read from fd (its newline, and a CR
 * before it, dropped), read before any plugin is loaded. 0, or -1 with
 * errno (EMSGSIZE when it is too long). */
static int read_password(int fd, struct opts *o)
{
	size_t n = 0;
	ssize_t got;
	while (n < sizeof password_buf - 1 &&
	       (got = read(fd, password_buf + n, sizeof password_buf - 1 - n)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		n += (size_t)got;
		if (memchr(password_buf, '\n', n))
			break;
	}
	char *nl = memchr(password_buf, '\n', n);
	if (nl)
		n = (size_t)(nl - password_buf);
	if (n && password_buf[n - 1] == '\r')
		n--;
	if (n > PASSWORD_MAX || memchr(password_buf, '\0', n)) {
		explicit_bzero(password_buf, sizeof password_buf);
		errno = EMSGSIZE;
		return -1;
	}
	password_buf[n] = '\0';
	o->password = password_buf;
	return 0;
}

static int password_option(struct opts *o, int is_fd, const char *arg)
{
	unsigned long long n = 0;
	int fd = is_fd ? (parse_ull(arg, &n) || n > 65535 ? -1 : (int)n)
		       : open(arg, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && is_fd)
		errno = EBADF;
	int r = fd < 0 ? -1 : read_password(fd, o);
	int saved = errno;
	if (fd >= 0)
		close(fd);
	if (r < 0)
		fprintf(stderr, "%s: password %s %s: %s\n", progname, is_fd ? "descriptor" : "file",
			arg, saved == EMSGSIZE ? "longer than 1024 bytes or holds a NUL" :
			strerror(saved));
	return r;
}

/* text/plain refined by the name's extension. */
static const char *refine(const char *mime, const char *name)
{
	if (!mime || strcmp(mime, "text/plain"))
		return mime;
	const char *dot = strrchr(name, '.');
	if (!dot || strchr(dot, '/'))
		return mime;
	if (!strcasecmp(dot, ".md") || !strcasecmp(dot, ".markdown"))
		return "text/markdown";
	if (!strcasecmp(dot, ".csv"))
		return "text/csv";
	if (!strcasecmp(dot, ".tsv") || !strcasecmp(dot, ".tab"))
		return "text/tab-separated-values";
	return mime;
}

static int result_exit(enum quire_result r, const char **name)
{
	switch (r) {
	case QUIRE_OK: *name = "ok"; return EX_OK;
	case QUIRE_UNSUPPORTED: *name = "unsupported"; return EX_UNSUPPORTED;
	case QUIRE_ENCRYPTED: *name = "encrypted"; return EX_ENCRYPTED;
	case QUIRE_CORRUPT: *name = "corrupt"; return EX_CORRUPT;
	case QUIRE_TOO_LARGE: *name = "too_large"; return EX_TOO_LARGE;
	case QUIRE_TIMEOUT: *name = "timeout"; return EX_TIMEOUT;
	case QUIRE_EMPTY: *name = "empty"; return EX_EMPTY;
	default: *name = "error"; return EX_INTERNAL;
	}
}

/* The OCR plugin lent to the extracting plugin through host->ocr. */
static const struct loaded_plugin *ocr_plugin;
static void *ocr_state;
static int ocr_started;   /* 0 not yet, 1 ok, -1 failed */
static struct xsink sink;
static long long ocr_spent_ms;

static long long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void ocr_start(const struct quire_host *host)
{
	const struct quire_plugin *op = ocr_plugin->p;
	ocr_started = !op->init || op->init(host, &ocr_state) == QUIRE_OK ? 1 : -1;
	if (ocr_started < 0)
		host_log(QUIRE_LOG_WARNING, "OCR plugin %s failed to start", op->name);
}

/* The OCR plugin starts on first use (Tesseract loads its language data
 * from a directory Landlock leaves readable): a PDF with a text layer
 * never pays for it. The document's OCR budget is also kept here: once
 * spent, the sink asks the plugin to stop at its next page, so the pages
 * after it are neither rendered nor read. */
static enum quire_result host_ocr(const struct quire_host *host, const struct quire_image *img)
{
	if (!ocr_plugin)
		return QUIRE_UNSUPPORTED;
	if (!ocr_started)
		ocr_start(host);
	if (ocr_started < 0)
		return QUIRE_UNSUPPORTED;
	long long t0 = mono_ms();
	enum quire_result r = ocr_plugin->p->ocr_image(ocr_state, host, img);
	ocr_spent_ms += mono_ms() - t0;
	if (host->limits->ocr_budget_s && ocr_spent_ms >= host->limits->ocr_budget_s * 1000LL)
		sink.stop = 1;
	return r;
}

/* The child: init, sandbox, extract; returns the exit code. */
static int child(const struct opts *o, const struct loaded_plugin *lp, const char *path, int fd,
		 const char *mime, unsigned long long size)
{
	static struct quire_host host;
	const struct quire_plugin *p = lp->p;
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	xsink_init(&sink, stdout, o->text, o->lim.max_text_bytes);
	host = (struct quire_host){
		.abi = QUIRE_PLUGIN_ABI, .size = sizeof host, .log = host_log, .limits = &o->lim,
		.sink = &xsink_ops, .sink_ctx = &sink, .ocr = NULL, .password = o->password,
		.embed_begin = xsink_embed_begin, .embed_end = xsink_embed_end,
		.part = xsink_part,
	};
	void *state = NULL;
	enum quire_result r = p->init ? p->init(&host, &state) : QUIRE_OK;
	const char *rname;
	if (r != QUIRE_OK) {
		host_log(QUIRE_LOG_ERROR, "plugin %s failed to start", p->name);
		xsink_end(&sink, "error");
		return result_exit(r == QUIRE_UNSUPPORTED ? QUIRE_ERROR : r, &rname);
	}
	if (PLUGIN_HAS(p, flags) && (p->flags & QUIRE_PLUGIN_NEEDS_OCR) && ocr_plugin) {
		host.ocr = host_ocr;
		/* without Landlock the sandbox allows no open at all: Tesseract
		 * reads its data now */
		if (o->seccomp && (o->no_landlock || !sandbox_landlock_abi()))
			ocr_start(&host);
	}
	struct sandbox_limits sl = {
		.address_space = (unsigned long long)o->memory_mb << 20,
		.cpu_seconds = o->cpu_seconds,
		.file_size = 0,
		.read_dirs = o->read_dirs,
		.no_landlock = o->no_landlock,
	};
	/* stdout or stderr redirected to a regular file by the caller may grow
	 * by what the text cap (and messages) could produce; no other file may
	 * grow at all (and seccomp allows no new ones). A write past the limit
	 * fails with EFBIG instead of killing the child. */
	struct stat st;
	for (int out = 1; out <= 2; out++)
		if (fstat(out, &st) == 0 && S_ISREG(st.st_mode)) {
			unsigned long long allow = (unsigned long long)st.st_size + (1u << 20) +
						   (out == 1 ? o->lim.max_text_bytes * 8ULL : 0);
			if (allow > sl.file_size)
				sl.file_size = allow;
		}
	signal(SIGXFSZ, SIG_IGN);
	char why[256];
	if (sandbox_enter(&sl, o->seccomp, why, sizeof why)) {
		host_log(QUIRE_LOG_ERROR, "sandbox: %s", why);
		return EX_INTERNAL;
	}
	xsink_doc(&sink, mime, p->name, size);
	r = p->extract(state, &host, path, fd, mime);
	if (sink.stop) {
		host_log(QUIRE_LOG_ERROR, "timeout: the OCR budget of %u s per document is spent",
			 o->lim.ocr_budget_s);
		r = QUIRE_TIMEOUT;
	}
	if (r == QUIRE_OK && sink.truncated)
		r = QUIRE_TOO_LARGE;
	if (r == QUIRE_OK && sink.blocks == 0)
		r = QUIRE_EMPTY;
	if (r == QUIRE_ENCRYPTED)
		host_log(QUIRE_LOG_ERROR, "encrypted: %s",
			 o->password ? "wrong password" : "password required");
	int code = result_exit(r, &rname);
	xsink_end(&sink, rname);
	if (ferror(stdout))
		return EX_INTERNAL;
	/* No fini: the process ends here; the kernel frees everything. */
	return code;
}

static volatile sig_atomic_t expired;
static void on_alarm(int sig)
{
	(void)sig;
	expired = 1;
}

static int supervise(pid_t pid, const struct opts *o, const char *plugin)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarm(o->timeout);
	int status;
	for (;;) {
		pid_t w = waitpid(pid, &status, 0);
		if (w == pid)
			break;
		if (w < 0 && errno == EINTR && expired) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			fprintf(stderr, "%s: %s: timeout: extraction took over %u s\n", progname,
				file_name, o->timeout);
			return EX_TIMEOUT;
		}
		if (w < 0 && errno != EINTR)
			return EX_INTERNAL;
	}
	alarm(0);
	kill(-pid, SIGKILL);   /* stray threads' processes, if any */
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	int sig = WTERMSIG(status);
	if (sig == SIGXCPU) {
		fprintf(stderr, "%s: %s: timeout: CPU limit of %u s\n", progname, file_name,
			o->cpu_seconds);
		return EX_TIMEOUT;
	}
	fprintf(stderr, "%s: %s: plugin %s crashed (%s)\n", progname, file_name, plugin,
		strsignal(sig));
	return EX_CRASHED;
}

static void list_plugins(const struct loader *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct quire_plugin *p = l->v[i].p;
		printf("%s\t%s\t%s\t", p->name, p->version ? p->version : "", l->v[i].path);
		for (const char *const *m = p->mime_types; m && *m; m++)
			printf("%s%s", m == p->mime_types ? "" : ",", *m);
		putchar('\n');
	}
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "text", no_argument, NULL, 't' },
		{ "name", required_argument, NULL, 'n' },
		{ "limit", required_argument, NULL, 'l' },
		{ "plugin-dir", required_argument, NULL, 'D' },
		{ "list", no_argument, NULL, 'L' },
		{ "no-seccomp", no_argument, NULL, 'S' },
		{ "no-landlock", no_argument, NULL, 'N' },
		{ "fd", required_argument, NULL, 'F' },
		{ "user", required_argument, NULL, 'u' },
		{ "read-dir", required_argument, NULL, 'R' },
		{ "password-file", required_argument, NULL, 'P' },
		{ "password-fd", required_argument, NULL, 'W' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o;
	defaults(&o);
	int c;
	while ((c = getopt_long(argc, argv, "tn:l:u:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 't': o.text = 1; break;
		case 'n': o.name = optarg; break;
		case 'l':
			if (set_limit(&o, optarg)) {
				fprintf(stderr, "%s: bad limit '%s'\n", progname, optarg);
				return EX_USAGE;
			}
			break;
		case 'D': o.dir = optarg; break;
		case 'L': o.list = 1; break;
		case 'S': o.seccomp = 0; break;
		case 'N': o.no_landlock = 1; break;
		case 'F': {
			unsigned long long n;
			if (parse_ull(optarg, &n) || n > 65535) {
				fprintf(stderr, "%s: bad descriptor '%s'\n", progname, optarg);
				return EX_USAGE;
			}
			o.in_fd = (int)n;
			break;
		}
		case 'u': o.user = optarg; break;
		case 'P':
		case 'W':
			if (password_option(&o, c == 'W', optarg))
				return EX_USAGE;
			break;
		case 'R':
			if (o.n_read_dirs == READ_DIRS_MAX) {
				fprintf(stderr, "%s: at most %d --read-dir\n", progname, READ_DIRS_MAX);
				return EX_USAGE;
			}
			o.read_dirs[o.n_read_dirs++] = optarg;
			break;
		case 'v': verbose = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EX_USAGE;
		}
	}
	o.lim.ocr_languages = o.langs;
	if (!o.n_read_dirs) {
		for (int i = 0; default_read_dirs[i] && i < READ_DIRS_MAX - 1; i++)
			o.read_dirs[o.n_read_dirs++] = default_read_dirs[i];
		/* Tesseract's data where the environment says it is */
		const char *td = getenv("TESSDATA_PREFIX");
		if (td && td[0] == '/')
			o.read_dirs[o.n_read_dirs++] = td;
	}
	/* Whatever descriptors the caller leaked stay out of the parser; only
	 * the input it handed over (--fd) is kept. */
	if (o.in_fd > 3)
		close_range(3, (unsigned)o.in_fd - 1, 0);
	close_range(o.in_fd >= 3 ? (unsigned)o.in_fd + 1 : 3, ~0U, 0);
	static struct loader l;
	const char *dir = o.dir ? o.dir : loader_dir();
	if (o.list) {
		if (loader_load(&l, dir, warn_plugin) < 0) {
			fprintf(stderr, "%s: cannot read plugin directory %s: %s\n", progname, dir,
				strerror(errno));
			return EX_INTERNAL;
		}
		list_plugins(&l);
		return l.refused ? 1 : 0;
	}
	if (optind != argc - 1 && !(o.in_fd >= 0 && optind == argc)) {
		usage(stderr);
		return EX_USAGE;
	}
	const char *path = optind < argc ? argv[optind] : o.name ? o.name : "(input)";
	file_name = path;
	int fd = o.in_fd >= 0 ? o.in_fd : open(path, O_RDONLY | O_CLOEXEC);
	if (o.in_fd >= 0)
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "%s: %s: %s\n", progname, path,
			fd < 0 ? strerror(errno) : "not a regular file");
		return EX_INTERNAL;
	}
	if ((unsigned long long)st.st_size > o.max_file) {
		fprintf(stderr, "%s: %s: too large: %lld bytes, the limit is %llu\n", progname,
			path, (long long)st.st_size, o.max_file);
		return EX_TOO_LARGE;
	}
	unsigned char head[65536];
	ssize_t n = pread(fd, head, sizeof head, 0);
	if (n < 0) {
		fprintf(stderr, "%s: %s: %s\n", progname, path, strerror(errno));
		return EX_INTERNAL;
	}
	struct sniffed sn;
	sniff_bytes(head, (size_t)n, (size_t)st.st_size, &sn);
	const char *mime = refine(sn.mime, o.name ? o.name : path);
	/* The usual plugin for the sniffed type first (one dlopen instead of
	 * all of them); every plugin when it does not claim the file. */
	int score = 0;
	const struct loaded_plugin *lp = NULL;
	const char *guess = loader_guess(mime);
	char gpath[4096];
	snprintf(gpath, sizeof gpath, "%s/%s", dir, guess ? guess : "");
	const char *ext = loader_ext(o.name ? o.name : path);
	if (guess && access(gpath, R_OK) == 0 && loader_load_file(&l, dir, guess, warn_plugin) == 0)
		lp = loader_pick(&l, head, (size_t)n, mime, ext, &score);
	/* Another plugin may list the name's extension (a .srt plugin beside
	 * the text plugin that also reads it): load them all and ask again. */
	const struct loaded_plugin *usual = lp;
	if (!lp || (ext && !loader_lists_ext(lp->p, ext))) {
		lp = NULL;
		if (loader_load(&l, dir, warn_plugin) < 0) {
			fprintf(stderr, "%s: cannot read plugin directory %s: %s\n", progname, dir,
				strerror(errno));
			return EX_INTERNAL;
		}
		lp = loader_pick(&l, head, (size_t)n, mime, ext, &score);
		/* No plugin lists the extension: the usual one keeps the file. */
		if (usual && !(lp && loader_lists_ext(lp->p, ext)))
			lp = usual;
	}
	if (!lp) {
		fprintf(stderr, "%s: %s: unsupported type (%s)\n", progname, path,
			n == 0 ? "empty file" : mime ? mime : "unknown bytes");
		return n == 0 ? EX_EMPTY : EX_UNSUPPORTED;
	}
	if (PLUGIN_HAS(lp->p, flags) && (lp->p->flags & QUIRE_PLUGIN_NEEDS_OCR)) {
		snprintf(gpath, sizeof gpath, "%s/ocr.so", dir);
		if (access(gpath, R_OK) == 0)
			loader_load_file(&l, dir, "ocr.so", warn_plugin);
		ocr_plugin = loader_ocr(&l);   /* NULL when ocr.so is not installed */
	}
	if (!mime)
		mime = lp->p->mime_types && lp->p->mime_types[0] ? lp->p->mime_types[0] : "";
	/* The plugins are loaded (as root they may sit in a private
	 * directory); from here on the process is the unprivileged user. */
	char why[256];
	if (o.seccomp && sandbox_drop_user(o.user, why, sizeof why)) {
		fprintf(stderr, "%s: %s\n", progname, why);
		return EX_INTERNAL;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "%s: fork: %s\n", progname, strerror(errno));
		return EX_INTERNAL;
	}
	if (pid == 0) {
		setpgid(0, 0);
		/* first: new credentials would clear the parent-death signal */
		if (o.seccomp)
			sandbox_userns();
		prctl(PR_SET_PDEATHSIG, SIGKILL);   /* never outlive the supervisor */
		if (getppid() == 1)
			_exit(EX_INTERNAL);
		int code = child(&o, lp, path, fd, mime, (unsigned long long)st.st_size);
		fflush(stdout);
		_exit(code);
	}
	setpgid(pid, pid);
	close(fd);
	return supervise(pid, &o, lp->p->name);
}
