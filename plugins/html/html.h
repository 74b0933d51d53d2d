/* html.h: the parts of the HTML plugin. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGIN_HTML_H
#define QUIRE_PLUGIN_HTML_H

#include <stddef.h>

#include "../common/emit.h"

/* The SAX walker: libxml2's HTML push parser calls it; it writes blocks. */
struct html_walk;

#endif
