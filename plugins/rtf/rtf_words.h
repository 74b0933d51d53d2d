/* rtf_words.h: what RTF control words do. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_RTF_RTF_WORDS_H
#define QUIRE_PLUGINS_RTF_RTF_WORDS_H

#include "rtf.h"

/* A control word (param valid when has_param) */
void rtf_word(struct rtf *r, const char *word, int has_param, int param);
/* \binN: skip N bytes of binary data (bounds-checked) */
void rtf_bin(struct rtf *r, int has_param, int param);

#endif
