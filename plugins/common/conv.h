/* conv.h: conversion of text in a named charset to UTF-8 (iconv), in one
 * go or fed in pieces, with every undecodable byte replaced by U+FFFD:
 * bad input never stops a conversion. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGIN_CONV_H
#define QUIRE_PLUGIN_CONV_H

#include <iconv.h>
#include <stddef.h>

#include "sbuf.h"

struct conv {
	iconv_t cd;          /* (iconv_t)-1 for UTF-8 input (checked, not converted) */
	unsigned unit;       /* bytes skipped on an invalid sequence (2 for UTF-16) */
	unsigned char carry[16];
	size_t ncarry;       /* an incomplete sequence held back between pieces */
};

/* Open a converter from `charset` (an iconv name; "UTF-8" is checked
 * without iconv). Returns 0, or -1 when iconv does not know the charset. */
int conv_open(struct conv *c, const char *charset);
void conv_close(struct conv *c);
/* Convert n bytes, appending UTF-8 to out. Bytes of a sequence cut off at
 * the end of the piece are kept for the next call; with `final` they are
 * replaced instead. Returns -1 only when out is full (its cap) or memory
 * runs out. */
int conv_feed(struct conv *c, const unsigned char *in, size_t n, int final, struct pbuf *out);

/* The iconv name of a Windows code page number (RTF's \ansicpg and
 * \fcharset), or NULL for one iconv has no table for. */
const char *conv_codepage_name(int cp);
/* Whether a byte is a lead byte of a two-byte character in code page cp
 * (932, 936, 949, 950, 1361); 0 for single-byte code pages. */
int conv_dbcs_lead(int cp, unsigned char c);

#endif
