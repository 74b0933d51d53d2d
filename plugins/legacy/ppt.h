/* ppt.h: PowerPoint 97-2003 presentations ([MS-PPT]). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_LEGACY_PPT_H
#define QUIRE_PLUGINS_LEGACY_PPT_H

#include "legacy.h"

enum quire_result lg_ppt(struct lg *lg, GsfInfile *dir);

#endif
