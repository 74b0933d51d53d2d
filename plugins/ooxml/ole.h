/* ole.h: embedded OLE2 objects that are not packages (Office 97-2003
 * files, MS Graph charts), read by the legacy plugin's readers. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_OOXML_OLE_H
#define QUIRE_PLUGINS_OOXML_OLE_H

#include "ooxml.h"

/* The text of the OLE2 file mem (len bytes) into the current page, marked
 * as embedded with its format; quiet on anything it cannot read. */
void ox_ole_object(struct ox *ox, const unsigned char *mem, size_t len);

#endif
