/* metro.h: the DrawingML copy that Office 2007 and later keep of a shape in
 * a 97-2003 file ([MS-ODRAW] 2.3.4.x metroBlob, property 0x03A9 of an
 * OfficeArt property table). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_LEGACY_METRO_H
#define QUIRE_PLUGINS_LEGACY_METRO_H

#include "legacy.h"

/* props: an OfficeArt property table's data (n bytes, nprops properties);
 * when its metroBlob holds a package, each paragraph of its SmartArt data
 * and chart parts to fn. Quiet on anything unreadable. */
void lg_metro(struct lg *lg, const unsigned char *props, size_t n, unsigned nprops,
	      lg_text_fn fn, void *ctx);

#endif
