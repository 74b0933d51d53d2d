/* test_conf.c: quire.conf defaults, parsing, errors and overrides. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "base/conf.h"
#include "unit.h"

#include <string.h>
#include <syslog.h>

static char dir[PATH_MAX];

/* Write text to dir/name; the path goes to path (PATH_MAX). */
static void write_file(const char *name, const char *text, char *path)
{
	snprintf(path, PATH_MAX, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0)
		bail_out("cannot write %s", path);
}

static void test_defaults(void)
{
	struct qconf c;
	memset(&c, 0x5a, sizeof c);
	qconf_defaults(&c);
	is_int(c.workers, QUIRE_DEFAULT_WORKERS, "defaults: workers");
	is_int(c.socket_mode, 0660, "defaults: socket_mode");
	is_int(c.max_body, 64u << 20, "defaults: max_body 64M");
	is_int(c.max_json, 16u << 20, "defaults: max_json 16M");
	is_int(c.max_json_depth, 32, "defaults: max_json_depth");
	is_int(c.retry_after, 2, "defaults: retry_after");
	is_int(c.log_syslog, 0, "defaults: log to stderr");
	is_int(c.log_level, LOG_INFO, "defaults: log_level info");
	is_int(c.list_limit_max, 1000, "defaults: list_limit_max");
	is_str(c.embed_backend, "builtin", "defaults: embed_backend");
	is_str(c.control, "", "defaults: control socket derived from datadir");
	is_str(c.socket_group, "", "defaults: socket_group unchanged");
	is_str(c.embed_api_key, "", "defaults: no embed key");
	ok(c.datadir[0] == '/', "defaults: datadir is absolute (%s)", c.datadir);
	ok(c.socket[0] == '/', "defaults: socket is absolute (%s)", c.socket);
}

static void test_parse(void)
{
	struct qconf c;
	struct qerr err;
	char path[PATH_MAX];

	write_file("good.conf",
		   "# Quire test configuration\n"
		   "\n"
		   "   # an indented comment\n"
		   "workers = 8\n"
		   "max_body_size=10M\n"
		   "  max_json_size =  512K  \n"
		   "\tsocket_mode = 0640\n"
		   "log = syslog\n"
		   "log_level = debug\n"
		   "datadir = /srv/quire data\n"
		   "socket_group = www-data\n"
		   "embed_backend = openai\n"
		   "embed_base_url = http://127.0.0.1:9/v1\n"
		   "retry_after = 30\n",
		   path);
	qconf_defaults(&c);
	qerr_clear(&err);
	is_int(qconf_load(&c, path, 1, &err), Q_OK, "parse: a file with comments loads");
	is_int(c.workers, 8, "parse: workers");
	is_int(c.max_body, 10u << 20, "parse: max_body_size without spaces around '='");
	is_int(c.max_json, 512u << 10, "parse: max_json_size with padding");
	is_int(c.socket_mode, 0640, "parse: socket_mode is octal");
	is_int(c.log_syslog, 1, "parse: log = syslog");
	is_int(c.log_level, LOG_DEBUG, "parse: log_level = debug");
	is_str(c.datadir, "/srv/quire data", "parse: inner spaces of a value are kept");
	is_str(c.socket_group, "www-data", "parse: socket_group");
	is_str(c.embed_backend, "openai", "parse: embed_backend");
	is_str(c.embed_base_url, "http://127.0.0.1:9/v1", "parse: value containing ':'");
	is_int(c.retry_after, 30, "parse: retry_after");
	is_int(c.max_json_depth, 32, "parse: keys not in the file keep their value");

	/* Loading applies over the current values, not over defaults. */
	write_file("one.conf", "max_json_depth = 5\n", path);
	is_int(qconf_load(&c, path, 1, &err), Q_OK, "parse: second file");
	is_int(c.max_json_depth, 5, "parse: second file sets its key");
	is_int(c.workers, 8, "parse: second file keeps the first file's values");

	write_file("empty.conf", "", path);
	is_int(qconf_load(&c, path, 1, &err), Q_OK, "parse: an empty file is fine");
}

static void test_errors(void)
{
	struct qconf c;
	struct qerr err;
	char path[PATH_MAX];

	write_file("unknown.conf", "# first\nworkers = 2\nworkrs = 3\n", path);
	qconf_defaults(&c);
	qerr_clear(&err);
	is_int(qconf_load(&c, path, 1, &err), Q_EINVAL, "errors: an unknown key fails");
	is_str(err.field, "workrs", "errors: field names the unknown key");
	ok(strstr(err.msg, "workrs") != NULL, "errors: message names the key (%s)", err.msg);
	ok(strstr(err.msg, ":3:") != NULL, "errors: message gives the line number");
	ok(strstr(err.msg, path) != NULL, "errors: message gives the file");

	write_file("noeq.conf", "workers 2\n", path);
	qerr_clear(&err);
	is_int(qconf_load(&c, path, 1, &err), Q_EINVAL, "errors: a line without '=' fails");
	ok(strstr(err.msg, ":1:") != NULL, "errors: ... with its line (%s)", err.msg);

	snprintf(path, sizeof path, "%s/missing.conf", dir);
	qerr_clear(&err);
	is_int(qconf_load(&c, path, 0, &err), Q_OK, "errors: a missing optional file is fine");
	is_int(qconf_load(&c, path, 1, &err), Q_EINVAL, "errors: a missing required file fails");
	ok(strstr(err.msg, "missing.conf") != NULL, "errors: ... naming it (%s)", err.msg);

	struct {
		const char *key, *value;
	} bad[] = {
		{"workers", "0"}, {"workers", "257"}, {"workers", "-1"}, {"workers", "abc"},
		{"workers", ""}, {"workers", "4 "}, {"socket_mode", "0999"}, {"socket_mode", "01000"},
		{"socket_mode", "rw"}, {"socket_mode", ""}, {"max_body_size", "0"},
		{"max_body_size", "10X"}, {"max_body_size", "M"}, {"max_body_size", ""},
		{"max_body_size", "-5"}, {"max_body_size", "1T"}, {"max_body_size", "1025G"},
		{"max_json_depth", "1"}, {"log", "file"}, {"log_level", "loud"},
		{"embed_backend", "magic"}, {"embed_base_url", "ftp://example.com"},
		{"retry_after", "0"}, {"list_limit_max", "100001"},
		{"extract_user", "-n"}, {"extract_user", "a b"}, {"extract_user", "x;rm"},
		{"extract_read_dirs", "relative/dir"}, {"extract_read_dirs", "/usr/share ../etc"},
		{"ocr_budget", "-1"}, {"auth_fail_limit", "-1"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		qconf_defaults(&c);
		qerr_clear(&err);
		enum qstatus st = qconf_set(&c, bad[i].key, bad[i].value, &err);
		is_int(st, Q_EINVAL, "errors: %s = '%s' refused", bad[i].key, bad[i].value);
		is_str(err.field, bad[i].key, "errors: ... field is %s", bad[i].key);
	}
	qconf_defaults(&c);
	is_str(c.extract_user, "nobody", "extract_user defaults to nobody");
	is_int(c.ocr_budget, 90, "ocr_budget defaults to 90 s");
	is_int(c.auth_fail_limit, 30, "auth_fail_limit defaults to 30 a minute");
	is_int(qconf_set(&c, "extract_read_dirs", "/usr/share/fonts /opt/tessdata", &err), Q_OK,
	       "extract_read_dirs takes absolute directories");
	is_str(c.extract_read_dirs, "/usr/share/fonts /opt/tessdata", "... kept as given");
	is_int(qconf_set(&c, "extract_user", "", &err), Q_OK, "extract_user may be empty (keep root)");
	qconf_defaults(&c);
	qconf_set(&c, "workers", "999", &err);
	is_int(c.workers, QUIRE_DEFAULT_WORKERS, "errors: a refused value changes nothing");

	char longpath[PATH_MAX + 10];
	memset(longpath, 'a', sizeof longpath - 1);
	longpath[sizeof longpath - 1] = '\0';
	is_int(qconf_set(&c, "datadir", longpath, &err), Q_EINVAL, "errors: datadir too long");
}

static void test_sizes(void)
{
	struct {
		const char *value;
		size_t want;
	} sizes[] = {
		{"512", 512}, {"1K", 1024}, {"1k", 1024}, {"2m", 2u << 20}, {"3M", 3u << 20},
		{"1G", 1u << 30}, {"1024G", (size_t)1 << 40}, {"0010K", 10240},
	};
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		struct qconf c;
		struct qerr err;
		qconf_defaults(&c);
		is_int(qconf_set(&c, "max_body_size", sizes[i].value, &err), Q_OK, "sizes: '%s'",
		       sizes[i].value);
		is_int(c.max_body, sizes[i].want, "sizes: '%s' is %zu bytes", sizes[i].value,
		       sizes[i].want);
	}
}

static void test_default_and_env(void)
{
	struct qconf c;
	struct qerr err;
	char path[PATH_MAX], out[PATH_MAX];

	write_file("env.conf", "workers = 3\ndatadir = /from/file\n", path);
	setenv("QUIRE_CONF", path, 1);
	unsetenv("QUIRE_DATADIR");
	unsetenv("QUIRE_SOCKET");
	is_str(qconf_path(), path, "env: QUIRE_CONF names the file");
	is_int(qconf_load_default(&c, &err), Q_OK, "env: load_default");
	is_int(c.workers, 3, "env: the file's value");
	is_str(c.datadir, "/from/file", "env: the file's datadir");

	setenv("QUIRE_DATADIR", "/from/env", 1);
	setenv("QUIRE_SOCKET", "/run/test.sock", 1);
	is_int(qconf_load_default(&c, &err), Q_OK, "env: load_default with overrides");
	is_str(c.datadir, "/from/env", "env: QUIRE_DATADIR beats the file");
	is_str(c.socket, "/run/test.sock", "env: QUIRE_SOCKET");
	qconf_datapath(&c, "control.sock", out);
	is_str(out, "/from/env/control.sock", "env: datapath joins datadir and name");

	snprintf(path, sizeof path, "%s/absent.conf", dir);
	setenv("QUIRE_CONF", path, 1);
	is_int(qconf_load_default(&c, &err), Q_EINVAL,
	       "env: a QUIRE_CONF that does not exist is an error");
	unsetenv("QUIRE_CONF");
	unsetenv("QUIRE_DATADIR");
	unsetenv("QUIRE_SOCKET");
}

/* The table: every default reads as a value of its own setting, a value
 * written back by qconf_format reads the same, and names are unique. */
static void test_table(void)
{
	size_t n, bad = 0, dup = 0, again = 0;
	const struct qsetting *tab = qconf_settings(&n);
	struct qconf c, d;
	struct qerr err;
	qconf_defaults(&c);
	for (size_t i = 0; i < n; i++) {
		char v[PATH_MAX];
		if (qconf_set(&d, tab[i].name, tab[i].def, &err) != Q_OK) {
			diag("%s: default '%s': %s", tab[i].name, tab[i].def, err.msg);
			bad++;
		}
		if (qconf_setting(tab[i].name) != &tab[i])
			dup++;
		qconf_format(&c, &tab[i], v, sizeof v);
		memcpy(&d, &c, sizeof d);
		if (qconf_set(&d, tab[i].name, v, &err) != Q_OK || memcmp(&c, &d, sizeof c)) {
			diag("%s: '%s' does not read back", tab[i].name, v);
			again++;
		}
	}
	ok(n >= 60, "table: %zu settings", n);
	is_int((int)bad, 0, "table: every default is a valid value of its setting");
	is_int((int)dup, 0, "table: every name once");
	is_int((int)again, 0, "table: every default value formats and reads back unchanged");
	is_int(qconf_set(&c, "no_such_setting", "1", &err), Q_EINVAL, "table: unknown names refused");
	is_str(err.field, "no_such_setting", "table: the error names the key");
}

/* A real setting refuses nan (NaN passes a range check made of < and >). */
static void test_real_nan(void)
{
	struct qconf c;
	struct qerr err;
	char path[PATH_MAX];
	const char *bad[] = {"search_hybrid_weight = nan\n", "search_hybrid_weight = 1.5\n"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		write_file("bad-real.conf", bad[i], path);
		qconf_defaults(&c);
		qerr_clear(&err);
		is_int(qconf_load(&c, path, 1, &err), Q_EINVAL, "real: refused: %.*s",
		       (int)strlen(bad[i]) - 1, bad[i]);
	}
}

int main(void)
{
	unit_tmpdir(dir, "conf");
	test_defaults();
	test_parse();
	test_errors();
	test_sizes();
	test_default_and_env();
	test_table();
	test_real_nan();
	unit_rmtree(dir);
	return done_testing();
}
