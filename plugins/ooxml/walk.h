/* walk.h: one walker for the text of WordprocessingML (w:p, w:t, w:tbl) and
 * DrawingML (a:p, a:t, a:tbl). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_OOXML_WALK_H
#define QUIRE_PLUGINS_OOXML_WALK_H

#include "ooxml.h"

void ox_walk_part(struct ox *ox, const char *part, const struct ox_walk_opts *o);

#endif
