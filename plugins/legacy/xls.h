/* xls.h: Excel 97-2003 (BIFF8) and 5/95 (BIFF5) workbooks. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_LEGACY_XLS_H
#define QUIRE_PLUGINS_LEGACY_XLS_H

#include "legacy.h"

enum quire_result lg_xls(struct lg *lg, GsfInfile *dir);
/* Excel 2.x-4.0 worksheets (and BIFF5/8 streams) with no OLE2 container:
 * does the file start with a BOF record; read it. */
int lg_xls_bare_sniff(const unsigned char *s, size_t n);
enum quire_result lg_xls_bare(struct lg *lg, const unsigned char *s, size_t n);

#endif
