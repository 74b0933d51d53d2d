/* xls.h: Excel 97-2003 (BIFF8) and 5/95 (BIFF5) workbooks. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_LEGACY_XLS_H
#define QUIRE_PLUGINS_LEGACY_XLS_H

#include "legacy.h"

enum quire_result lg_xls(struct lg *lg, GsfInfile *dir);

#endif
