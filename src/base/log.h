/* log.h: the logging macro family: stderr (the web server's error log) or
 * syslog. Never pass keys, document text or queries above LOG_DEBUG. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_LOG_H
#define QUIRE_LOG_H

#include <syslog.h>

/* ident is borrowed and must outlive logging. */
void qlog_init(const char *ident, int use_syslog, int max_level);
void qlog_set_level(int max_level);
void qlog(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define QLOG_ERR(...)   qlog(LOG_ERR, __VA_ARGS__)
#define QLOG_WARN(...)  qlog(LOG_WARNING, __VA_ARGS__)
#define QLOG_INFO(...)  qlog(LOG_INFO, __VA_ARGS__)
#define QLOG_DEBUG(...) qlog(LOG_DEBUG, __VA_ARGS__)

#endif
