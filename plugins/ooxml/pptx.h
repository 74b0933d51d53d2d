/* pptx.h: PresentationML: slides in sldIdLst order, each a page with its
 * title as a heading, its text frames, tables, SmartArt and chart text,
 * then its notes and comments. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_OOXML_PPTX_H
#define QUIRE_PLUGINS_OOXML_PPTX_H

#include "ooxml.h"

void ox_pptx(struct ox *ox, const char *main_part);

#endif
