/* docx.h: WordprocessingML: the body, then headers, footers, footnotes,
 * endnotes, comments and the glossary, each part through the walker, then
 * charts and SmartArt text. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_OOXML_DOCX_H
#define QUIRE_PLUGINS_OOXML_DOCX_H

#include "ooxml.h"

/* --- formats ------------------------------------------------------------- */
void ox_docx(struct ox *ox, const char *main_part);

#endif
