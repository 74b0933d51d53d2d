/* xml.h: libxml2's streaming reader over a counted zip entry, and the
 * capped text buffers the walkers fill. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_OOXML_XML_H
#define QUIRE_PLUGINS_OOXML_XML_H

#include "ooxml.h"

/* A reader over entry name: no network, no entity substitution, no DTD
 * loading, never XML_PARSE_HUGE. NULL when the entry is missing or the
 * reader cannot be made (ox->err set for the latter). Free with
 * ox_xml_close. */
xmlTextReaderPtr ox_xml_open(struct ox *ox, const char *name, struct ox_entry *e);
void ox_xml_close(xmlTextReaderPtr r, struct ox_entry *e);
/* Advance (skip = the current element's subtree too). 1 on a node, 0 at
 * the end or on error; a DOCTYPE is refused as QUIRE_CORRUPT. */
int ox_xml_next(struct ox *ox, xmlTextReaderPtr r, int skip);
/* The value of the attribute with this local name on the current element:
 * new, caller frees with xmlFree; NULL when absent. */
char *ox_attr(xmlTextReaderPtr r, const char *local);
/* The r:id attribute of the current element, in the transitional or the
 * Strict (ISO/IEC 29500) relationships namespace: new, free with xmlFree. */
char *ox_attr_rid(xmlTextReaderPtr r);
/* 1 when the current node is an element start with this local name. */
int ox_is(xmlTextReaderPtr r, int type, const char *local);

/* Append to b (zeroed or pbuf_init'ed; pbuf_free frees it); at
 * ox->max_text it stops growing and ox->err becomes QUIRE_TOO_LARGE, when
 * memory runs out QUIRE_ERROR. Returns 0 or -1. */
int ox_buf_add(struct ox *ox, struct pbuf *b, const char *s, size_t n);
/* Trim surrounding whitespace in place; 1 if anything is left. */
int ox_buf_trim(struct pbuf *b);
/* 1 when b is a field prompt LibreOffice leaves in the masters it writes
 * ("<footer>", "<date/time>", "<number>"): one word of lower case letters,
 * '/' or '-' in angle brackets, never text anyone wrote. */
int ox_lo_prompt(const struct pbuf *b);

#endif
