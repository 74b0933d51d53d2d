/* api.h: what the route families share: the route table and the OpenAPI
 * text (each family's handlers are declared in the header of its file). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_API_H
#define QUIRE_API_H

#include "http/app.h"

/* The route table of every family, terminated by a NULL method (routes.c). */
extern const struct route quire_routes[];

/* docs/openapi.yaml as one NUL-terminated string (openapi_doc.c, made by
 * src/api/local.mk from the document). */
extern const char api_openapi_yaml[];

#endif
