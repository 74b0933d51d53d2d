/* odtlist.h: OpenDocument list labels. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_OOXML_ODTLIST_H
#define QUIRE_PLUGINS_OOXML_ODTLIST_H

#include "ooxml.h"

struct odt_lists *odt_lists_new(struct ox *ox);   /* free with odt_lists_free */
void odt_lists_free(struct odt_lists *ls);
/* Read the text:list-style definitions of part (later ones win by name). */
void odt_lists_load(struct ox *ox, struct odt_lists *ls, const char *part);
/* A text:list opens (style: its style name or NULL to inherit; cont: it
 * continues the previous list's numbering) or closes. */
void odt_list_open(struct odt_lists *ls, const char *style, int cont);
void odt_list_close(struct odt_lists *ls);
/* Count one list item (start: its start-value or 0) and write its label
 * into out (size n); returns the length, 0 for an unnumbered item. */
size_t odt_list_item(struct odt_lists *ls, int start, char *out, size_t n);
/* Count one heading at outline level (1-based) and write its number from
 * text:outline-style into out; 0 when headings are not numbered. */
size_t odt_outline(struct odt_lists *ls, int level, char *out, size_t n);

#endif
