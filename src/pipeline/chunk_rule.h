/* chunk_rule.h: Dify process rules: defaults, validation of a client's rule
 * (Dify's shape or the stored flat form), and the flat form shown back in
 * Dify's shape (docs/chunking.md). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef QUIRE_PIPELINE_CHUNK_RULE_H
#define QUIRE_PIPELINE_CHUNK_RULE_H

#include "pipeline/chunk_impl.h"
#include "pipeline/split.h"

/* Load a stored (flat) or client (Dify) rule; defaults when NULL or bad. */
void split_rule_load(json_t *stored, struct split_rule *r);

/* The default process rule (new), stored flat:
 * {"separator": "\n\n", "max_tokens": 500, "chunk_overlap": 50,
 *  "remove_extra_spaces": true, "remove_urls_emails": false}. */
json_t *split_rule_default(void);
/* Validate a client's rule, in Dify's shape ({"mode": "automatic"} or
 * {"mode": "custom", "rules": {"pre_processing_rules": [{id, enabled}],
 * "segmentation": {separator, max_tokens, chunk_overlap}}}) or flat; on
 * error Q_EINVAL with a message in err naming process_rule. On success
 * *normalised (new) is the complete flat rule to store. */
enum qstatus split_rule_check(json_t *rule, json_t **normalised, struct qerr *err);
/* The stored rule (flat, or NULL) in Dify's shape (new), defaults filled in. */
json_t *split_rule_dify(json_t *flat);

#endif
