/* rtf_out.h: RTF text on its way out. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_RTF_RTF_OUT_H
#define QUIRE_PLUGINS_RTF_RTF_OUT_H

#include "rtf.h"

void rtf_byte(struct rtf *r, unsigned char c);       /* a text byte in the code page */
void rtf_char(struct rtf *r, uint32_t cp);           /* a Unicode character */
void rtf_unicode(struct rtf *r, int param);          /* \uN, with surrogates */
void rtf_flush_bytes(struct rtf *r);
void rtf_resolve_hi(struct rtf *r);
void rtf_par(struct rtf *r);                         /* \par */
void rtf_break(struct rtf *r);                       /* \line */
void rtf_cell(struct rtf *r);
void rtf_nestcell(struct rtf *r);
void rtf_row(struct rtf *r);
void rtf_end_group(struct rtf *r, const struct rtf_state *closing);
void rtf_finish(struct rtf *r);
void rtf_style_record(struct rtf *r);
int rtf_font_cp(struct rtf *r, int font);
/* The code page of an \fcharset value, -1 for "the document's". */
int rtf_charset_cp(int charset);
/* Bytes b (n) in code page cp as UTF-8 onto out. */
void rtf_convert(struct rtf *r, int cp, const unsigned char *b, size_t n, struct pbuf *out);

#endif
