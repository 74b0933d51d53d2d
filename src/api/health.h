/* health.h: GET /health, unauthenticated liveness for monitors and tests;
 * it touches the database so a wedged worker does not look alive. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_API_HEALTH_H
#define QUIRE_API_HEALTH_H

#include "api/api.h"

enum qstatus api_health(struct qctx *c);

#endif
