/* numfmt.h: the one Excel number-format engine, used by the XLS (legacy)
 * and XLSX (ooxml) readers alike so the same cell reads the same. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_NUMFMT_H
#define QUIRE_PLUGINS_NUMFMT_H

#include "pbuf.h"

/* Format `v` with the Excel number format `fmt` (NULL: General) into out,
 * as Excel shows it (en-US): built-in format 14 is m/d/yy, serial 60 is
 * Excel's 29 February 1900. date1904 picks the 1904 date system (serial
 * 0 is 1 January 1904). */
void pc_numfmt(double v, const char *fmt, int date1904, struct pbuf *out);
/* The built-in format of index id (NULL when unknown or General). */
const char *pc_builtin_fmt(unsigned id);
/* Does fmt (its first section) show a date or a time? */
int pc_numfmt_is_date(const char *fmt);

#endif
