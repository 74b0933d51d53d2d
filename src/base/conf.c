/* conf.c: parse quire.conf and environment overrides. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "base/conf.h"
#include "base/util.h"

#include <ctype.h>
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

const char *qconf_path(void)
{
	const char *p = getenv("QUIRE_CONF");
	return p && *p ? p : QUIRE_SYSCONF_FILE;
}

static enum qstatus set_size(size_t *dst, const char *key, const char *v,
			     struct qerr *err);

void qconf_defaults(struct qconf *c)
{
	memset(c, 0, sizeof *c);
	snprintf(c->datadir, sizeof c->datadir, "%s", QUIRE_DATADIR);
	snprintf(c->socket, sizeof c->socket, "%s", QUIRE_SOCKET);
	c->workers = QUIRE_DEFAULT_WORKERS;
	c->socket_mode = 0660;
	c->max_body = 64u << 20;
	c->max_json = 16u << 20;
	c->max_json_depth = 32;
	c->heartbeat_timeout = 120;
	c->checkpoint_interval = 60;
	c->retry_after = 2;
	c->log_syslog = 0;
	c->log_level = LOG_INFO;
	c->list_limit_max = 1000;
	snprintf(c->embed_backend, sizeof c->embed_backend, "builtin");
	c->embed_batch = 64;
	c->embed_max_attempts = 5;
	c->embed_lease = 120;
	snprintf(c->embed_base_url, sizeof c->embed_base_url, "https://api.openai.com/v1");
	snprintf(c->embed_model, sizeof c->embed_model, "text-embedding-3-small");
	c->embed_request_batch = 16;
	c->embed_concurrency = 4;
	c->embed_timeout = 30;
	c->embed_max_input = 8000;
	c->search_hybrid_weight = 0.15;
	c->search_cache_mb = 1024;
	c->db_cache_mb = 256;
	c->disk_reserve_mb = 16;
	c->disk_min_free_mb = 64;
	c->ingest_max_attempts = 3;
	c->ingest_lease = 300;
	c->ingest_processes = 2;
	c->ingest_account_concurrency = 1;
	c->ingest_account_queue = 256;
	c->extract_timeout = 120;
	c->extract_concurrency = 2;
	c->extract_memory_mb = 2048;
	c->extract_cpu = 120;
	c->extract_max_pages = 5000;
	c->extract_max_text = (size_t)64 << 20;
	c->extract_max_pixels = 100000000;
	/* configure's --with-upload-max, also the nginx snippet's limit;
	 * configure checked its form, so this cannot fail. */
	if (set_size(&c->upload_max, "upload_max", QUIRE_UPLOAD_MAX, &(struct qerr){0}) != Q_OK)
		c->upload_max = (size_t)100 << 20;
	c->upload_max_parts = 20;
	c->ocr_page_timeout = 60;
	c->ocr_budget = 90;
	snprintf(c->extract_user, sizeof c->extract_user, "nobody");
	c->auth_fail_limit = 30;
	snprintf(c->ocr_languages, sizeof c->ocr_languages, "eng");
	/* chat */
	snprintf(c->chat_answerer, sizeof c->chat_answerer, "builtin");
	snprintf(c->chat_base_url, sizeof c->chat_base_url, "https://api.openai.com/v1");
	snprintf(c->chat_model, sizeof c->chat_model, "gpt-4o-mini");
	c->chat_timeout_s = 60;
	c->chat_rate_limit = 60;
	c->file_url_ttl = 3600;
	c->chat_top_k = 5;
	c->chat_history = 6;
	c->chat_max_message = 8000;
}

static enum qstatus set_int(int *dst, const char *key, const char *v, long lo,
			    long hi, struct qerr *err)
{
	unsigned long long n;
	if (q_parse_uint(v, (unsigned long long)hi, &n) < 0 || (long)n < lo)
		return qerr_set(err, Q_EINVAL, key, "%s must be a number from %ld to %ld",
				key, lo, hi);
	*dst = (int)n;
	return Q_OK;
}

static enum qstatus set_size(size_t *dst, const char *key, const char *v,
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
	*dst = (size_t)(val * mult);
	return Q_OK;
bad:
	return qerr_set(err, Q_EINVAL, key, "%s must be a size such as 64M", key);
}

static enum qstatus set_path(char *dst, const char *key, const char *v,
			     struct qerr *err)
{
	if (strlen(v) >= PATH_MAX)
		return qerr_set(err, Q_EINVAL, key, "%s is too long", key);
	snprintf(dst, PATH_MAX, "%s", v);
	return Q_OK;
}

/* chat: a string setting that must fit its field */
static enum qstatus set_chat_str(char *dst, size_t cap, const char *key, const char *v,
				 struct qerr *err)
{
	if (strlen(v) >= cap)
		return qerr_set(err, Q_EINVAL, key, "%s is too long", key);
	snprintf(dst, cap, "%s", v);
	return Q_OK;
}

/* base_path: "" or "/seg[/seg...]" without a trailing '/', so that it is
 * removed from the front of request paths as a whole segment. */
static enum qstatus set_base_path(struct qconf *c, const char *key, const char *v,
				  struct qerr *err)
{
	size_t n = strlen(v);
	if (n >= sizeof c->base_path)
		return qerr_set(err, Q_EINVAL, key, "base_path is too long");
	if (n && (v[0] != '/' || v[n - 1] == '/' || strpbrk(v, "?#%\\ \t") ||
		  strstr(v, "//")))
		return qerr_set(err, Q_EINVAL, key,
				"base_path must be empty or a path such as /kb (no trailing '/')");
	memcpy(c->base_path, v, n + 1);
	return Q_OK;
}

enum qstatus qconf_set(struct qconf *c, const char *key, const char *v,
		       struct qerr *err)
{
	if (!strcmp(key, "datadir"))
		return set_path(c->datadir, key, v, err);
	if (!strcmp(key, "socket"))
		return set_path(c->socket, key, v, err);
	if (!strcmp(key, "control_socket"))
		return set_path(c->control, key, v, err);
	if (!strcmp(key, "workers"))
		return set_int(&c->workers, key, v, 1, 256, err);
	if (!strcmp(key, "base_path"))
		return set_base_path(c, key, v, err);
	if (!strcmp(key, "metrics_allow"))
		return set_chat_str(c->metrics_allow, sizeof c->metrics_allow, key, v, err);
	if (!strcmp(key, "socket_mode")) {
		char *end;
		errno = 0;
		unsigned long m = strtoul(v, &end, 8);
		if (errno || *end || end == v || m > 0777)
			return qerr_set(err, Q_EINVAL, key, "socket_mode must be octal, e.g. 0660");
		c->socket_mode = (unsigned)m;
		return Q_OK;
	}
	if (!strcmp(key, "socket_group")) {
		if (strlen(v) >= sizeof c->socket_group)
			return qerr_set(err, Q_EINVAL, key, "socket_group is too long");
		snprintf(c->socket_group, sizeof c->socket_group, "%s", v);
		return Q_OK;
	}
	if (!strcmp(key, "max_body_size"))
		return set_size(&c->max_body, key, v, err);
	if (!strcmp(key, "max_json_size"))
		return set_size(&c->max_json, key, v, err);
	if (!strcmp(key, "max_json_depth"))
		return set_int(&c->max_json_depth, key, v, 2, 1000, err);
	if (!strcmp(key, "heartbeat_timeout"))
		return set_int(&c->heartbeat_timeout, key, v, 1, 86400, err);
	if (!strcmp(key, "checkpoint_interval"))
		return set_int(&c->checkpoint_interval, key, v, 1, 86400, err);
	if (!strcmp(key, "retry_after"))
		return set_int(&c->retry_after, key, v, 1, 3600, err);
	if (!strcmp(key, "list_limit_max"))
		return set_int(&c->list_limit_max, key, v, 1, 100000, err);
	if (!strcmp(key, "embed_backend")) {
		if (strcmp(v, "builtin") && strcmp(v, "openai"))
			return qerr_set(err, Q_EINVAL, key, "embed_backend must be builtin or openai");
		snprintf(c->embed_backend, sizeof c->embed_backend, "%s", v);
		return Q_OK;
	}
	if (!strcmp(key, "embed_model")) {
		if (strlen(v) >= sizeof c->embed_model)
			return qerr_set(err, Q_EINVAL, key, "embed_model is too long");
		snprintf(c->embed_model, sizeof c->embed_model, "%s", v);
		return Q_OK;
	}
	if (!strcmp(key, "embed_base_url")) {
		if (strlen(v) >= sizeof c->embed_base_url ||
		    (strncmp(v, "http://", 7) && strncmp(v, "https://", 8)))
			return qerr_set(err, Q_EINVAL, key, "embed_base_url must be an http(s) URL");
		snprintf(c->embed_base_url, sizeof c->embed_base_url, "%s", v);
		return Q_OK;
	}
	if (!strcmp(key, "embed_api_key")) {
		if (strlen(v) >= sizeof c->embed_api_key)
			return qerr_set(err, Q_EINVAL, key, "embed_api_key is too long");
		snprintf(c->embed_api_key, sizeof c->embed_api_key, "%s", v);
		return Q_OK;
	}
	if (!strcmp(key, "embed_dimensions"))
		return set_int(&c->embed_dimensions, key, v, 0, 16384, err);
	if (!strcmp(key, "embed_request_batch"))
		return set_int(&c->embed_request_batch, key, v, 1, 2048, err);
	if (!strcmp(key, "embed_concurrency"))
		return set_int(&c->embed_concurrency, key, v, 1, 64, err);
	if (!strcmp(key, "embed_timeout"))
		return set_int(&c->embed_timeout, key, v, 1, 3600, err);
	if (!strcmp(key, "embed_max_input"))
		return set_int(&c->embed_max_input, key, v, 16, 1 << 20, err);
	if (!strcmp(key, "search_hybrid_weight")) {
		char *end;
		double w = strtod(v, &end);
		if (*end || end == v || w < 0 || w > 1)
			return qerr_set(err, Q_EINVAL, key, "search_hybrid_weight must be from 0 to 1");
		c->search_hybrid_weight = w;
		return Q_OK;
	}
	if (!strcmp(key, "db_cache_mb"))
		return set_int(&c->db_cache_mb, key, v, 16, 1 << 16, err);
	if (!strcmp(key, "disk_min_free_mb"))
		return set_int(&c->disk_min_free_mb, key, v, 0, 1 << 20, err);
	if (!strcmp(key, "disk_reserve_mb"))
		return set_int(&c->disk_reserve_mb, key, v, 0, 4096, err);
	if (!strcmp(key, "search_cache_mb"))
		return set_int(&c->search_cache_mb, key, v, 0, 1 << 20, err);
	if (!strcmp(key, "embed_batch"))
		return set_int(&c->embed_batch, key, v, 1, 2048, err);
	if (!strcmp(key, "embed_max_attempts"))
		return set_int(&c->embed_max_attempts, key, v, 1, 100, err);
	if (!strcmp(key, "embed_lease"))
		return set_int(&c->embed_lease, key, v, 1, 86400, err);
	if (!strcmp(key, "ingest_max_attempts"))
		return set_int(&c->ingest_max_attempts, key, v, 1, 100, err);
	if (!strcmp(key, "ingest_lease"))
		return set_int(&c->ingest_lease, key, v, 1, 86400, err);
	if (!strcmp(key, "ingest_processes"))
		return set_int(&c->ingest_processes, key, v, 1, 64, err);
	if (!strcmp(key, "ingest_account_concurrency"))
		return set_int(&c->ingest_account_concurrency, key, v, 0, 64, err);
	if (!strcmp(key, "ingest_account_queue"))
		return set_int(&c->ingest_account_queue, key, v, 16, 1000000, err);
	if (!strcmp(key, "extract_timeout"))
		return set_int(&c->extract_timeout, key, v, 1, 86400, err);
	if (!strcmp(key, "extract_concurrency"))
		return set_int(&c->extract_concurrency, key, v, 1, 64, err);
	if (!strcmp(key, "extract_memory_mb"))
		return set_int(&c->extract_memory_mb, key, v, 64, 1 << 20, err);
	if (!strcmp(key, "extract_cpu"))
		return set_int(&c->extract_cpu, key, v, 1, 86400, err);
	if (!strcmp(key, "extract_max_pages"))
		return set_int(&c->extract_max_pages, key, v, 1, 1000000, err);
	if (!strcmp(key, "extract_max_text"))
		return set_size(&c->extract_max_text, key, v, err);
	if (!strcmp(key, "extract_max_pixels"))
		return set_size(&c->extract_max_pixels, key, v, err);
	if (!strcmp(key, "upload_max"))
		return set_size(&c->upload_max, key, v, err);
	if (!strcmp(key, "upload_max_parts"))
		return set_int(&c->upload_max_parts, key, v, 1, 10000, err);
	if (!strcmp(key, "ocr_page_timeout"))
		return set_int(&c->ocr_page_timeout, key, v, 1, 86400, err);
	if (!strcmp(key, "ocr_budget"))
		return set_int(&c->ocr_budget, key, v, 0, 86400, err);
	if (!strcmp(key, "extract_user")) {
		size_t n = strlen(v);
		if (n >= sizeof c->extract_user || (n && v[0] == '-') ||
		    strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != n)
			return qerr_set(err, Q_EINVAL, key, "%s must be a user name", key);
		snprintf(c->extract_user, sizeof c->extract_user, "%s", v);
		return Q_OK;
	}
	if (!strcmp(key, "extract_read_dirs")) {
		/* absolute paths only: each becomes a --read-dir of quire-extract */
		for (const char *w = v; *w;) {
			w += strspn(w, " ");
			if (*w && *w != '/')
				return qerr_set(err, Q_EINVAL, key, "%s takes absolute directories", key);
			w += strcspn(w, " ");
		}
		return set_chat_str(c->extract_read_dirs, sizeof c->extract_read_dirs, key, v, err);
	}
	if (!strcmp(key, "auth_fail_limit"))
		return set_int(&c->auth_fail_limit, key, v, 0, 1000000, err);
	if (!strcmp(key, "ocr_languages")) {
		size_t n = strlen(v);
		if (!n || n >= sizeof c->ocr_languages ||
		    strspn(v, "abcdefghijklmnopqrstuvwxyz_+") != n)
			return qerr_set(err, Q_EINVAL, key,
					"%s must be Tesseract languages such as eng+deu", key);
		snprintf(c->ocr_languages, sizeof c->ocr_languages, "%s", v);
		return Q_OK;
	}
	/* chat (docs/chat.md) */
	if (!strcmp(key, "chat_answerer")) {
		if (strcmp(v, "builtin") && strcmp(v, "openai"))
			return qerr_set(err, Q_EINVAL, key, "chat_answerer must be builtin or openai");
		snprintf(c->chat_answerer, sizeof c->chat_answerer, "%s", v);
		return Q_OK;
	}
	if (!strcmp(key, "chat_base_url"))
		return set_chat_str(c->chat_base_url, sizeof c->chat_base_url, key, v, err);
	if (!strcmp(key, "chat_model"))
		return set_chat_str(c->chat_model, sizeof c->chat_model, key, v, err);
	if (!strcmp(key, "chat_api_key"))
		return set_chat_str(c->chat_api_key, sizeof c->chat_api_key, key, v, err);
	if (!strcmp(key, "chat_timeout_s"))
		return set_int(&c->chat_timeout_s, key, v, 1, 3600, err);
	if (!strcmp(key, "file_url_ttl"))
		return set_int(&c->file_url_ttl, key, v, 60, 7 * 86400, err);
	if (!strcmp(key, "file_url_secret")) {
		if (strlen(v) >= sizeof c->file_url_secret)
			return qerr_set(err, Q_EINVAL, key, "file_url_secret is too long");
		snprintf(c->file_url_secret, sizeof c->file_url_secret, "%s", v);
		return Q_OK;
	}
	if (!strcmp(key, "chat_rate_limit"))
		return set_int(&c->chat_rate_limit, key, v, 0, 1000000, err);
	if (!strcmp(key, "chat_top_k"))
		return set_int(&c->chat_top_k, key, v, 1, 16, err);
	if (!strcmp(key, "chat_history"))
		return set_int(&c->chat_history, key, v, 0, 100, err);
	if (!strcmp(key, "chat_max_message"))
		return set_size(&c->chat_max_message, key, v, err);
	if (!strcmp(key, "log")) {
		if (!strcmp(v, "syslog"))
			c->log_syslog = 1;
		else if (!strcmp(v, "stderr"))
			c->log_syslog = 0;
		else
			return qerr_set(err, Q_EINVAL, key, "log must be stderr or syslog");
		return Q_OK;
	}
	if (!strcmp(key, "log_level")) {
		static const char *names[] = {"emerg", "alert", "crit", "error",
					      "warning", "notice", "info", "debug"};
		for (int i = 0; i < 8; i++)
			if (!strcmp(v, names[i])) {
				c->log_level = i;
				return Q_OK;
			}
		return qerr_set(err, Q_EINVAL, key, "log_level must be error, warning, info or debug");
	}
	return qerr_set(err, Q_EINVAL, key, "unknown setting '%.64s'", key);
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
