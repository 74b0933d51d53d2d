/* fuzz_json.c: libFuzzer target for the JSON the API and the pipeline
 * parse: a request body as the routes read it (jansson with
 * JSON_REJECT_DUPLICATES under the production depth cap), the process
 * rule validator (split_rule_check) with the splitter run on the rule it
 * accepts, and the same bytes as quire-extract's JSON Lines output
 * (split_blocks). Invariants: an accepted rule normalises to an object the
 * validator accepts again, unchanged; a successful split has chunks of
 * valid, NUL-terminated text whose tokens are counted; an error has a
 * message. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "fuzz.h"
#include "http/http.h"
#include "pipeline/split.h"
#include "pipeline/chunk_rule.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


void fuzz_cleanup(void)
{
}

/* The default max_json_depth of quire.conf. */
#define DEPTH_CAP 64


static void check_split(enum qstatus st, struct split_result *r, const char *error)
{
	if (st != Q_OK) {
		CHECK(error[0] != '\0');
		CHECK(r->n == 0);
		return;
	}
	CHECK(r->n > 0 && r->v);
	for (size_t i = 0; i < r->n; i++) {
		const struct split_chunk *c = &r->v[i];
		if (!CHECK(c->text && c->section))
			continue;
		CHECK(c->npages == 0 || c->pages);
		for (size_t k = 0; k < c->npages; k++)
			CHECK(c->pages[k].off <= strlen(c->text));
	}
	split_result_free(r);
}

static const char sample[] = "# Pumps\n\nThe centrifugal pump runs at 2900 rpm.\n\n"
			     "- check the seal\n- check the bearing\n\nValves are inspected "
			     "every ninety days; the log is kept for five years.\n";

static void rule(json_t *j)
{
	struct qerr e = { 0 };
	json_t *norm = NULL, *again = NULL;
	if (split_rule_check(j, &norm, &e) != Q_OK) {
		CHECK(e.msg[0] != '\0');
		return;
	}
	if (!CHECK(json_is_object(norm)))
		goto out;
	CHECK(split_rule_check(norm, &again, &e) == Q_OK);
	CHECK(again && json_equal(norm, again));
	struct split_result r;
	memset(&r, 0, sizeof r);
	check_split(split_text(sample, sizeof sample - 1, norm, &r, &e), &r, e.msg);
out:
	json_decref(norm);
	json_decref(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	json_error_t jerr;
	struct qerr e = { 0 };
	struct split_result r;

	fuzz_status = Q_EINVAL;
	if (json_depth_ok(s, size, DEPTH_CAP)) {
		json_t *j = json_loadb(s, size, JSON_REJECT_DUPLICATES, &jerr);
		if (j) {
			fuzz_status = json_is_object(j) ? Q_OK : Q_EINVAL;
			if (json_is_object(j)) {
				rule(j);
				json_t *pr = json_object_get(j, "process_rule");
				if (pr)
					rule(pr);
			}
			/* What the parser accepted serialises and reads back equal. */
			char *dump = json_dumps(j, JSON_ENCODE_ANY);
			json_t *back = dump ? json_loads(dump, JSON_DECODE_ANY, NULL) : NULL;
			CHECK(dump && back && json_equal(j, back));
			json_decref(back);
			free(dump);
			json_decref(j);
		} else {
			CHECK(jerr.text[0] != '\0');
		}
	}
	/* The same bytes as extraction output (JSON Lines), default rule. */
	memset(&r, 0, sizeof r);
	check_split(split_blocks(s, size, NULL, &r, &e), &r, e.msg);
	return 0;
}
