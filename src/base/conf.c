/* conf.c: parse quire.conf and environment overrides. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "base/conf.h"
#include "base/util.h"

#include <ctype.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/statvfs.h>

#ifndef QUIRE_SYSCONF_FILE
#define QUIRE_SYSCONF_FILE "/etc/quire/quire.conf"
#endif
#ifndef QUIRE_DATADIR
#define QUIRE_DATADIR "/var/lib/quire"
#endif
#ifndef QUIRE_SOCKET
#define QUIRE_SOCKET "/run/quire/quire.sock"
#endif
#define QS_XSTR(x) QS_STR_(x)
#define QS_STR_(x) #x
#define QUIRE_DEFAULT_WORKERS_STR QS_XSTR(QUIRE_DEFAULT_WORKERS)

const char *qconf_path(void)
{
	const char *p = getenv("QUIRE_CONF");
	return p && *p ? p : QUIRE_SYSCONF_FILE;
}

/* ---- values ---------------------------------------------------------- */

static enum qstatus set_int(const struct qsetting *s, void *dst, const char *v,
			    struct qerr *err)
{
	unsigned long long n;
	if (q_parse_uint(v, (unsigned long long)s->max, &n) < 0 || (long long)n < s->min)
		return qerr_set(err, Q_EINVAL, s->name, "%s must be a number from %lld to %lld",
				s->name, s->min, s->max);
	*(int *)dst = (int)n;
	return Q_OK;
}

/* "64M": a positive number of bytes with an optional K, M or G */
static enum qstatus set_size(const struct qsetting *s, void *dst, const char *v,
			     struct qerr *err)
{
	char num[32];
	size_t n = strlen(v), mult = 1;
	if (n == 0 || n >= sizeof num)
		goto bad;
	memcpy(num, v, n + 1);
	switch (toupper((unsigned char)num[n - 1])) {
	case 'K': mult = 1u << 10; num[n - 1] = '\0'; break;
	case 'M': mult = 1u << 20; num[n - 1] = '\0'; break;
	case 'G': mult = 1u << 30; num[n - 1] = '\0'; break;
	}
	unsigned long long val;
	if (q_parse_uint(num, (1ull << 40) / mult, &val) < 0 || val == 0)
		goto bad;
	*(size_t *)dst = (size_t)(val * mult);
	return Q_OK;
bad:
	return qerr_set(err, Q_EINVAL, s->name, "%s must be a size such as 64M", s->name);
}

static enum qstatus set_octal(const struct qsetting *s, void *dst, const char *v,
			      struct qerr *err)
{
	char *end;
	errno = 0;
	unsigned long m = strtoul(v, &end, 8);
	if (errno || *end || end == v || m > (unsigned long)s->max)
		return qerr_set(err, Q_EINVAL, s->name, "%s must be octal, e.g. 0660", s->name);
	*(unsigned *)dst = (unsigned)m;
	return Q_OK;
}

static enum qstatus set_real(const struct qsetting *s, void *dst, const char *v,
			     struct qerr *err)
{
	char *end;
	double w = strtod(v, &end);
	if (*end || end == v || !(w >= (double)s->min && w <= (double)s->max))   /* NaN too */
		return qerr_set(err, Q_EINVAL, s->name, "%s must be from %lld to %lld", s->name,
				s->min, s->max);
	*(double *)dst = w;
	return Q_OK;
}

/* The index of v among the space-separated words of list, or -1. */
static int word_index(const char *list, const char *v)
{
	size_t n = strlen(v);
	int i = 0;
	for (const char *w = list; *w; i++) {
		size_t len = strcspn(w, " ");
		if (len == n && !memcmp(w, v, n))
			return i;
		w += len;
		w += strspn(w, " ");
	}
	return -1;
}

static enum qstatus bad_choice(const struct qsetting *s, struct qerr *err)
{
	return qerr_set(err, Q_EINVAL, s->name, "%s must be one of: %s", s->name, s->choices);
}

/* A word of s->choices kept as its position (log, log_level). */
static enum qstatus set_enum(const struct qsetting *s, void *dst, const char *v,
			     struct qerr *err)
{
	int i = word_index(s->choices, v);
	if (i < 0)
		return bad_choice(s, err);
	*(int *)dst = i;
	return Q_OK;
}

/* A string that fits its field, one of s->choices when there are any, and
 * accepted by s->check when there is one. */
static enum qstatus set_str(const struct qsetting *s, void *dst, const char *v,
			    struct qerr *err)
{
	if (strlen(v) >= s->size)
		return qerr_set(err, Q_EINVAL, s->name, "%s is too long", s->name);
	if (s->choices && word_index(s->choices, v) < 0)
		return bad_choice(s, err);
	const char *why = s->check ? s->check(v) : NULL;
	if (why)
		return qerr_set(err, Q_EINVAL, s->name, "%s %s", s->name, why);
	memcpy(dst, v, strlen(v) + 1);
	return Q_OK;
}

/* ---- checks of string settings (NULL: fine, else what is wrong) ---------- */

/* base_path: "" or "/seg[/seg...]" without a trailing '/', so that it is
 * removed from the front of request paths as a whole segment. */
static const char *check_base_path(const char *v)
{
	size_t n = strlen(v);
	if (n && (v[0] != '/' || v[n - 1] == '/' || strpbrk(v, "?#%\\ \t") || strstr(v, "//")))
		return "must be empty or a path such as /kb (no trailing '/')";
	return NULL;
}

/* "datadir =" would put the database at /db (found by fuzz_conf) */
static const char *check_nonempty(const char *v)
{
	return *v ? NULL : "must not be empty";
}

static const char *check_url(const char *v)
{
	if (strncmp(v, "http://", 7) && strncmp(v, "https://", 8))
		return "must be an http(s) URL";
	return NULL;
}

static const char *check_user(const char *v)
{
	size_t n = strlen(v);
	if ((n && v[0] == '-') ||
	    strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != n)
		return "must be a user name";
	return NULL;
}

/* absolute paths only: each becomes a --read-dir of quire-extract */
static const char *check_abs_dirs(const char *v)
{
	for (const char *w = v; *w;) {
		w += strspn(w, " ");
		if (*w && *w != '/')
			return "takes absolute directories";
		w += strcspn(w, " ");
	}
	return NULL;
}

/* form_redirect_allow: http(s) URL prefixes, space or comma separated */
static const char *check_url_prefixes(const char *v)
{
	for (const char *w = v; *w;) {
		w += strspn(w, " ,");
		if (*w && strncmp(w, "https://", 8) && strncmp(w, "http://", 7))
			return "takes http:// or https:// URL prefixes";
		w += strcspn(w, " ,");
	}
	return NULL;
}

static const char *check_languages(const char *v)
{
	size_t n = strlen(v);
	if (!n || strspn(v, "abcdefghijklmnopqrstuvwxyz_+") != n)
		return "must be Tesseract languages such as eng+deu";
	return NULL;
}

/* ---- the table ---------------------------------------------------------- */

#define AT(m) offsetof(struct qconf, m), sizeof(((struct qconf *)0)->m)
#define INT(name, m, lo, hi, def) {name, set_int, AT(m), lo, hi, def, NULL, NULL, 0}
#define SIZE(name, m, def) {name, set_size, AT(m), 1, 0, def, NULL, NULL, 0}
#define STR(name, m, def, check) {name, set_str, AT(m), 0, 0, def, NULL, check, 0}
#define CHOICE(name, m, def, words) {name, set_str, AT(m), 0, 0, def, words, NULL, 0}

/* Every setting of quire.conf, in the order of etc/quire.conf. The
 * defaults are written as in the file; QS_CONFIGURED marks those that
 * configure chooses. tests/install/settings.test holds etc/quire.conf
 * and quire.conf(5) to this table. */
static const struct qsetting settings[] = {
	{"datadir", set_str, AT(datadir), 0, 0, QUIRE_DATADIR, NULL, check_nonempty, QS_CONFIGURED},
	{"socket", set_str, AT(socket), 0, 0, QUIRE_SOCKET, NULL, check_nonempty, QS_CONFIGURED},
	{"socket_mode", set_octal, AT(socket_mode), 0, 0777, "0660", NULL, NULL, 0},
	STR("socket_group", socket_group, "", NULL),
	STR("control_socket", control, "", NULL),
	STR("base_path", base_path, "", check_base_path),
	STR("metrics_allow", metrics_allow, "", NULL),
	{"workers", set_int, AT(workers), 1, 256, QUIRE_DEFAULT_WORKERS_STR, NULL, NULL,
	 QS_CONFIGURED},
	SIZE("max_body_size", max_body, "64M"),
	SIZE("max_json_size", max_json, "16M"),
	INT("max_json_depth", max_json_depth, 2, 1000, "32"),
	INT("list_limit_max", list_limit_max, 1, 100000, "1000"),
	INT("auth_fail_limit", auth_fail_limit, 0, 1000000, "30"),
	INT("file_url_ttl", file_url_ttl, 60, 7 * 86400, "3600"),
	STR("file_url_secret", file_url_secret, "", NULL),
	STR("upload_token_secret", upload_token_secret, "", NULL),
	INT("upload_token_max_ttl", upload_token_max_ttl, 60, 30 * 86400, "86400"),
	STR("form_redirect_allow", form_redirect_allow, "", check_url_prefixes),
	INT("heartbeat_timeout", heartbeat_timeout, 1, 86400, "120"),
	INT("checkpoint_interval", checkpoint_interval, 1, 86400, "60"),
	INT("retry_after", retry_after, 1, 3600, "2"),
	INT("restart_backoff_max", restart_backoff_max, 1, 3600, "60"),
	INT("disk_min_free_mb", disk_min_free_mb, 0, 1 << 20, "64"),
	INT("disk_reserve_mb", disk_reserve_mb, 0, 4096, "16"),
	{"log", set_enum, AT(log_syslog), 0, 0, "stderr", "stderr syslog", NULL, 0},
	{"log_level", set_enum, AT(log_level), 0, 0, "info",
	 "emerg alert crit error warning notice info debug", NULL, 0},
	INT("ingest_max_attempts", ingest_max_attempts, 1, 100, "3"),
	INT("ingest_lease", ingest_lease, 1, 86400, "300"),
	INT("ingest_processes", ingest_processes, 1, 64, "2"),
	INT("ingest_account_concurrency", ingest_account_concurrency, 0, 64, "1"),
	INT("ingest_account_lend", ingest_account_lend, 0, 1, "1"),
	INT("ingest_account_queue", ingest_account_queue, 16, 1000000, "1024"),
	INT("ingest_batch", ingest_batch, 1, 256, "8"),
	INT("ingest_batch_ms", ingest_batch_ms, 0, 10000, "50"),
	INT("job_flush_ms", job_flush_ms, 0, 60000, "200"),
	INT("job_gather_ms", job_gather_ms, 0, 1000, "20"),
	{"upload_max", set_size, AT(upload_max), 1, 0, QUIRE_UPLOAD_MAX, NULL, NULL,
	 QS_CONFIGURED},
	INT("upload_max_parts", upload_max_parts, 1, 10000, "20"),
	INT("extract_timeout", extract_timeout, 1, 86400, "120"),
	INT("extract_concurrency", extract_concurrency, 1, 64, "2"),
	INT("extract_memory_mb", extract_memory_mb, 64, 1 << 20, "2048"),
	INT("extract_cpu", extract_cpu, 1, 86400, "120"),
	INT("extract_max_pages", extract_max_pages, 1, 1000000, "5000"),
	SIZE("extract_max_text", extract_max_text, "64M"),
	SIZE("extract_max_pixels", extract_max_pixels, "100000000"),
	INT("ocr_page_timeout", ocr_page_timeout, 1, 86400, "60"),
	INT("ocr_budget", ocr_budget, 0, 86400, "90"),
	STR("ocr_languages", ocr_languages, "eng", check_languages),
	STR("extract_user", extract_user, "nobody", check_user),
	STR("extract_read_dirs", extract_read_dirs, "", check_abs_dirs),
	CHOICE("embed_backend", embed_backend, "builtin", "builtin openai"),
	INT("embed_batch", embed_batch, 1, 2048, "64"),
	INT("embed_max_attempts", embed_max_attempts, 1, 100, "5"),
	INT("embed_lease", embed_lease, 1, 86400, "120"),
	STR("embed_base_url", embed_base_url, "https://api.openai.com/v1", check_url),
	STR("embed_model", embed_model, "text-embedding-3-small", NULL),
	STR("embed_api_key", embed_api_key, "", NULL),
	INT("embed_dimensions", embed_dimensions, 0, 16384, "0"),
	INT("embed_request_batch", embed_request_batch, 1, 2048, "16"),
	INT("embed_concurrency", embed_concurrency, 1, 64, "4"),
	INT("embed_timeout", embed_timeout, 1, 3600, "30"),
	INT("embed_max_input", embed_max_input, 16, 1 << 20, "8000"),
	{"search_hybrid_weight", set_real, AT(search_hybrid_weight), 0, 1, "0.4", NULL, NULL, 0},
	CHOICE("search_hybrid_norm", search_hybrid_norm, "zscore", "zscore minmax"),
	/* keyword search quality (docs/search.md) */
	{"search_title_weight", set_real, AT(search_title_weight), 0, 10, "0", NULL, NULL, 0},
	{"search_section_weight", set_real, AT(search_section_weight), 0, 10, "0.5", NULL, NULL, 0},
	{"search_doc_spread", set_real, AT(search_doc_spread), 0, 1, "0.1", NULL, NULL, 0},
	INT("search_doc_candidates", search_doc_candidates, 1, 1000, "10"),
	{"search_title_match", set_real, AT(search_title_match), 0, 10, "0.2", NULL, NULL, 0},
	INT("search_title_match_depth", search_title_match_depth, 0, 1000, "15"),
	INT("search_title_match_hybrid_depth", search_title_match_hybrid_depth, 0, 1000, "30"),
	{"search_compound_weight", set_real, AT(search_compound_weight), 0, 10, "0", NULL, NULL, 0},
	INT("search_spelling", search_spelling, 0, 1, "1"),
	{"search_repeat_weight", set_real, AT(search_repeat_weight), 0, 1, "0", NULL, NULL, 0},
	{"search_bm25_k1", set_real, AT(search_bm25_k1), 0, 10, "1.2", NULL, NULL, 0},
	{"search_bm25_b", set_real, AT(search_bm25_b), 0, 1, "0.75", NULL, NULL, 0},
	INT("search_feedback_chunks", search_feedback_chunks, 0, 100, "1"),
	{"search_feedback_weight", set_real, AT(search_feedback_weight), 0, 10, "1", NULL, NULL, 0},
	INT("search_prf_docs", search_prf_docs, 0, 100, "3"),
	INT("search_prf_terms", search_prf_terms, 1, 100, "10"),
	{"search_prf_weight", set_real, AT(search_prf_weight), 0, 10, "0.2", NULL, NULL, 0},
	INT("search_prf_keep", search_prf_keep, 0, 1000, "20"),
	{"search_word_context", set_real, AT(search_word_context), 0, 10, "1.5", NULL, NULL, 0},
	INT("search_word_chunks", search_word_chunks, 1, 1000, "30"),
	{"search_word_context_idf", set_real, AT(search_word_context_idf), 0, 8, "3", NULL, NULL, 0},
	INT("search_word_context_stored", search_word_context_stored, 0, 1, "0"),
	{"search_word_context_stale", set_real, AT(search_word_context_stale), 0, 1, "0.05", NULL, NULL, 0},
	INT("search_word_context_stored_min", search_word_context_stored_min, 1, 1000000, "30"),
	INT("search_cache_mb", search_cache_mb, 0, 1 << 20, "1024"),
	INT("search_exact_max", search_exact_max, 0, 1 << 30, "50000"),
	INT("search_ivf_lists", search_ivf_lists, 0, 4096, "0"),
	INT("search_ivf_probe", search_ivf_probe, 0, 4096, "128"),
	{"search_ivf_probe_share", set_real, AT(search_ivf_probe_share), 0, 1, "0.38", NULL, NULL, 0},
	INT("search_ivf_rescore", search_ivf_rescore, 0, 1 << 24, "2000"),
	INT("search_ivf_signs", search_ivf_signs, 0, 1 << 24, "16000"),
	INT("search_ivf_train_interval", search_ivf_train_interval, 0, 1 << 30, "300"),
	{"search_ivf_retrain_growth", set_real, AT(search_ivf_retrain_growth), 1, 1000, "2", NULL,
	 NULL, 0},
	INT("search_postings_cache_mb", search_postings_cache_mb, 0, 1 << 20, "128"),
	INT("db_cache_mb", db_cache_mb, 16, 1 << 16, "256"),
	CHOICE("db_region_memory", db_region_memory, "files", "files system"),
	INT("db_lock_timeout_ms", db_lock_timeout_ms, 10, 600000, "5000"),
	INT("db_retry_ms", db_retry_ms, 0, 600000, "10000"),
	INT("db_compact_step_mb", db_compact_step_mb, 1, 1 << 20, "64"),
	INT("db_compact_interval", db_compact_interval, 0, 366 * 86400, "86400"),
	CHOICE("chat_answerer", chat_answerer, "builtin", "builtin openai"),
	STR("chat_base_url", chat_base_url, "https://api.openai.com/v1", NULL),
	STR("chat_model", chat_model, "gpt-4o-mini", NULL),
	STR("chat_api_key", chat_api_key, "", NULL),
	INT("chat_timeout_s", chat_timeout_s, 1, 3600, "60"),
	INT("chat_rate_limit", chat_rate_limit, 0, 1000000, "60"),
	INT("chat_top_k", chat_top_k, 1, 16, "5"),
	INT("chat_history", chat_history, 0, 100, "6"),
	SIZE("chat_max_message", chat_max_message, "8000"),
	CHOICE("cgi_mode", cgi_mode, "ondemand", "ondemand relay serial"),
	INT("idle_exit", idle_exit, 1, 7 * 86400, "600"),
	INT("lock_wait", lock_wait, 0, 3600, "30"),
	INT("lock_queue", lock_queue, 1, 1024, "64"),
	INT("cron_time", cron_time, 1, 86400, "20"),
};

const struct qsetting *qconf_settings(size_t *n)
{
	*n = sizeof settings / sizeof settings[0];
	return settings;
}

const struct qsetting *qconf_setting(const char *key)
{
	for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
		if (!strcmp(settings[i].name, key))
			return &settings[i];
	return NULL;
}

void qconf_defaults(struct qconf *c)
{
	memset(c, 0, sizeof *c);
	for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
		const struct qsetting *s = &settings[i];
		/* the table's own defaults; a bad one is a programming error that
		 * test_conf.c and settings.test catch, configure's were checked */
		s->set(s, (char *)c + s->offset, s->def, &(struct qerr){0});
	}
}

enum qstatus qconf_set(struct qconf *c, const char *key, const char *v,
		       struct qerr *err)
{
	const struct qsetting *s = qconf_setting(key);
	if (!s)
		return qerr_set(err, Q_EINVAL, key, "unknown setting '%.64s'", key);
	return s->set(s, (char *)c + s->offset, v, err);
}

/* The value of setting s in c as quire.conf would write it, into out. */
void qconf_format(const struct qconf *c, const struct qsetting *s, char *out, size_t cap)
{
	const char *p = (const char *)c + s->offset;
	if (s->set == set_int)
		snprintf(out, cap, "%d", *(const int *)p);
	else if (s->set == set_size)
		snprintf(out, cap, "%zu", *(const size_t *)p);
	else if (s->set == set_octal)
		snprintf(out, cap, "%04o", *(const unsigned *)p);
	else if (s->set == set_real)
		snprintf(out, cap, "%g", *(const double *)p);
	else if (s->set == set_enum) {
		int i = *(const int *)p;
		const char *w = s->choices;
		while (i-- > 0 && *w) {
			w += strcspn(w, " ");
			w += strspn(w, " ");
		}
		snprintf(out, cap, "%.*s", (int)strcspn(w, " "), w);
	} else
		snprintf(out, cap, "%s", p);
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

enum qstatus qconf_load(struct qconf *c, const char *path, int must_exist,
			struct qerr *err)
{
	char line[PATH_MAX + 128];
	int lineno = 0;
	enum qstatus st = Q_OK;
	FILE *f = fopen(path, "re");

	if (!f) {
		if (errno == ENOENT && !must_exist)
			return Q_OK;
		return qerr_set(err, Q_EINVAL, NULL, "cannot open %s: %s", path, strerror(errno));
	}
	while (fgets(line, sizeof line, f)) {
		lineno++;
		char *s = trim(line);
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			st = qerr_set(err, Q_EINVAL, NULL, "%s:%d: expected key = value", path, lineno);
			break;
		}
		*eq = '\0';
		char *key = trim(s), *val = trim(eq + 1);
		st = qconf_set(c, key, val, err);
		if (st != Q_OK) {
			char msg[sizeof err->msg];
			if (err) {
				snprintf(msg, sizeof msg, "%s:%d: %s", path, lineno, err->msg);
				snprintf(err->msg, sizeof err->msg, "%s", msg);
			}
			break;
		}
	}
	fclose(f);
	return st;
}

enum qstatus qconf_load_default(struct qconf *c, struct qerr *err)
{
	qconf_defaults(c);
	const char *path = qconf_path();
	const char *env = getenv("QUIRE_CONF");
	enum qstatus st = qconf_load(c, path, env && *env, err);
	if (st != Q_OK)
		return st;
	const char *v;
	if ((v = getenv("QUIRE_DATADIR")) && *v && (st = qconf_set(c, "datadir", v, err)))
		return st;
	if ((v = getenv("QUIRE_SOCKET")) && *v && (st = qconf_set(c, "socket", v, err)))
		return st;
	return Q_OK;
}

enum qstatus qconf_check(const struct qconf *c, struct qerr *err)
{
	/* quire-extract's deadline plus the grace of extract.c */
	long need = (long)c->extract_timeout + 5;
	if (c->ingest_lease <= need)
		return qerr_set(err, Q_EINVAL, "ingest_lease",
				"ingest_lease = %d must be longer than extract_timeout = %d plus 5 s "
				"of grace (more than %ld s): a shorter lease can run out while a file "
				"is still being extracted and let a second process start on it",
				c->ingest_lease, c->extract_timeout, need);
	return Q_OK;
}

void qconf_datapath(const struct qconf *c, const char *name, char *out)
{
	snprintf(out, PATH_MAX, "%s/%s", c->datadir, name);
}

int qconf_disk_low(const struct qconf *c, long long *free_mb)
{
	struct statvfs vfs;
	if (c->disk_min_free_mb <= 0 || statvfs(c->datadir, &vfs) < 0)
		return 0;
	long long mb = (long long)((unsigned long long)vfs.f_bavail * vfs.f_frsize >> 20);
	if (free_mb)
		*free_mb = mb;
	return mb < c->disk_min_free_mb;
}
