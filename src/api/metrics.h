/* metrics.h: GET /metrics, the Prometheus text exposition (format 0.0.4) of
 * the shared counters (base/metrics.h) and the job queues' depths. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_API_METRICS_H
#define QUIRE_API_METRICS_H

#include "api/api.h"

/* GET /metrics (metrics.c): Prometheus text; an admin key or an address
 * in metrics_allow. */
enum qstatus api_metrics(struct qctx *c);

#endif
