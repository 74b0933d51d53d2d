/* rels.h: OPC relationships: which part is where, never following a target
 * outside the package. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_OOXML_RELS_H
#define QUIRE_PLUGINS_OOXML_RELS_H

#include "ooxml.h"

/* Load the relationships of part (e.g. "word/document.xml"); external ones
 * (TargetMode="External") are dropped, targets are resolved to entry names.
 * A missing rels part gives an empty set. */
void ox_rels_load(struct ox *ox, const char *part, struct ox_rels *rels);
void ox_rels_free(struct ox_rels *rels);
const struct ox_rel *ox_rels_id(const struct ox_rels *rels, const char *id);
const struct ox_rel *ox_rels_type(const struct ox_rels *rels, const char *type, size_t from);
/* How many relationships of type (the last part of the type URI) there are:
 * the slides or worksheets a package holds, known before reading any. */
size_t ox_rels_count(const struct ox_rels *rels, const char *type);
/* 1 (and ox->err QUIRE_TOO_LARGE, logged) when the package has more parts
 * of type than limits->max_pages: the cap holds before any is read. */
int ox_over_page_cap(struct ox *ox, const struct ox_rels *rels, const char *type);

#endif
