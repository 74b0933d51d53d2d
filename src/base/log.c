/* log.c: stderr or syslog logging with a level filter. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char *log_ident = "quire";
static int log_syslog;
static int log_max = LOG_INFO;

void qlog_init(const char *ident, int use_syslog, int max_level)
{
	log_ident = ident;
	log_syslog = use_syslog;
	log_max = max_level;
	if (use_syslog)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void qlog_set_level(int max_level)
{
	log_max = max_level;
}

void qlog(int level, const char *fmt, ...)
{
	static const char *names[] = {"emerg", "alert", "crit", "error",
				      "warning", "notice", "info", "debug"};
	char line[1024];
	va_list ap;
	int n;

	if (level > log_max)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (log_syslog) {
		syslog(level, "%s", line);
		return;
	}
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* One write per line so lines from several processes do not mix. */
	char out[1200];
	n = snprintf(out, sizeof out, "%s %s[%ld]: %s: %s\n", stamp, log_ident,
		     (long)getpid(), names[level & 7], line);
	if (n > (int)sizeof out - 1)
		n = (int)sizeof out - 1;
	if (write(STDERR_FILENO, out, (size_t)n) < 0)
		return;
}
