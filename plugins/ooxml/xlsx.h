/* xlsx.h: SpreadsheetML: every sheet (and chart sheet) in workbook order as
 * a page headed by its name, rows as table rows (the first as header) with
 * numbers shown through their number format, then print headers/footers,
 * drawings (shapes, text boxes, charts, SmartArt), comments and threaded
 * comments with their replies. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_OOXML_XLSX_H
#define QUIRE_PLUGINS_OOXML_XLSX_H

#include "ooxml.h"

void ox_xlsx(struct ox *ox, const char *main_part);

#endif
