/* rtf_list.h: RTF list tables and the labels computed from them. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_RTF_LIST_H
#define QUIRE_PLUGINS_RTF_LIST_H

#include "rtf.h"

void rtf_list_free(struct rtf *r);
/* A control word of the list tables; 1 when it was one (dest permitting). */
int rtf_list_word(struct rtf *r, const char *word, int has_param, int param);
/* A character of \leveltext / \levelnumbers (byte: a code page byte). */
void rtf_list_unit(struct rtf *r, uint32_t c, int byte);
/* A list-table group closes. */
void rtf_list_end(struct rtf *r, const struct rtf_state *closing);
/* The label of a paragraph in list ls at level ilvl, counted on, into
 * out (reset first); 0 when the tables do not give one (none, or broken:
 * then the paragraph's \listtext stays). */
int rtf_list_label(struct rtf *r, int ls, unsigned ilvl, struct pbuf *out);

#endif
