/* objects.h: what DOCX, XLSX and PPTX share beyond body text. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_OOXML_OBJECTS_H
#define QUIRE_PLUGINS_OOXML_OBJECTS_H

#include "ooxml.h"

/* The text of a chart part (titles, series names, categories, axis titles). */
void ox_chart_text(struct ox *ox, const char *part);
/* The charts and SmartArt data that rels point at (o: for SmartArt). */
void ox_objects(struct ox *ox, const struct ox_rels *rels, const struct ox_walk_opts *o);
/* A drawing part (spreadsheet drawings): its shapes and text boxes, then
 * the charts and SmartArt it points at. */
void ox_drawing_part(struct ox *ox, const char *part);
/* A comments part of any of the three formats: one paragraph per comment
 * and per reply. */
void ox_comments_part(struct ox *ox, const char *part);

#endif
