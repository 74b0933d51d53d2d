/* xlsb.h: the Excel binary workbook (BIFF12 parts in an OOXML package). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_OOXML_XLSB_H
#define QUIRE_PLUGINS_OOXML_XLSB_H

#include "ooxml.h"

/* The workbook whose main part is main_part. */
void ox_xlsb(struct ox *ox, const char *main_part);

#endif
