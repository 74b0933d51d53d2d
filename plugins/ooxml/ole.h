/* ole.h: text of embedded OLE objects that are charts or workbooks
 * (MSGraph.Chart, Excel 97 BIFF). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_OOXML_OLE_H
#define QUIRE_PLUGINS_OOXML_OLE_H

#include "ooxml.h"

/* ole.c: the labels of an embedded chart or workbook (OLE2 part). */
void ox_ole_text(struct ox *ox, const char *part);

#endif
