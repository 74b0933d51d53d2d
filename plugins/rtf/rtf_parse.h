/* rtf_parse.h: the RTF tokenizer and group stack. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_RTF_RTF_PARSE_H
#define QUIRE_PLUGINS_RTF_RTF_PARSE_H

#include "rtf.h"

void rtf_init(struct rtf *r, struct emit *e, const struct quire_host *host,
	      const unsigned char *p, size_t n);
void rtf_free(struct rtf *r);
/* Read the document; returns QUIRE_OK or the error it ended with. */
int rtf_run(struct rtf *r);

#endif
