/* csv.h: CSV and TSV to table rows (RFC 4180 quoting: quoted fields may
 * hold delimiters, doubled quotes and line breaks). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_TEXT_CSV_H
#define QUIRE_PLUGINS_TEXT_CSV_H

#include "text.h"

/* As text_plain (plain.h); delim 0: sniffed from the first lines (comma, semicolon, tab, pipe). */
enum quire_result text_csv(struct emit *e, const char *s, size_t n, char delim);
char text_csv_delimiter(const char *s, size_t n);

#endif
