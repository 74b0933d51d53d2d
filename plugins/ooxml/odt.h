/* odt.h: OpenDocument text (content.xml, then the master pages' headers and
 * footers in styles.xml, then embedded objects one level deep). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_OOXML_ODT_H
#define QUIRE_PLUGINS_OOXML_ODT_H

#include "ooxml.h"

/* odt.c: OpenDocument text; ox_is_odt says whether the package is one. */
int ox_is_odt(struct ox *ox);
void ox_odt(struct ox *ox);

#endif
