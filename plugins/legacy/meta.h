/* meta.h: title, author, subject and keywords from the
 * \005SummaryInformation property set ([MS-OLEPS]) into sink metadata. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_LEGACY_META_H
#define QUIRE_PLUGINS_LEGACY_META_H

#include "legacy.h"

/* Title, author, subject, keywords from \005SummaryInformation. */
void lg_summary(struct lg *lg, GsfInfile *dir);

#endif
