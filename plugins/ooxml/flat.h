/* flat.h: Flat OPC and flat ODF documents, turned into a package in memory. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PLUGINS_OOXML_FLAT_H
#define QUIRE_PLUGINS_OOXML_FLAT_H

#include "ooxml.h"

/* 1 when head begins a Flat OPC document (pkg:package), 2 a flat ODF one
 * (office:document), 0 otherwise. */
int ox_is_flat(const unsigned char *head, size_t len);
/* The package a flat document on fd stands for, built in memory: on
 * QUIRE_OK *pkg holds it (new, caller frees with free()) and ox->zip is
 * open on it; QUIRE_UNSUPPORTED when the file is not a flat document. */
enum quire_result ox_flat_open(struct ox *ox, int fd, unsigned char **pkg);

#endif
