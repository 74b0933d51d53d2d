/* chunk_rule.c: Dify process rules: defaults, validation of a client's
 * rule (Dify's shape or the stored flat form), and the flat form shown
 * back in Dify's shape (docs/chunking.md). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "pipeline/chunk_impl.h"
#include "pipeline/chunk_rule.h"

#include <stdio.h>
#include <string.h>

#define DEFAULT_SEPARATOR "\n\n"
#define DEFAULT_MAX_TOKENS 500
#define DEFAULT_OVERLAP 50
#define MIN_MAX_TOKENS 50
#define SEPARATOR_MAX 31   /* bytes */

json_t *split_rule_default(void)
{
	return json_pack("{s:s, s:i, s:i, s:b, s:b}", "separator", DEFAULT_SEPARATOR,
			 "max_tokens", DEFAULT_MAX_TOKENS, "chunk_overlap", DEFAULT_OVERLAP,
			 "remove_extra_spaces", 1, "remove_urls_emails", 0);
}

/* "\\n" and "\\t" written literally (as Dify's UI sends them) mean a
 * newline and a tab. */
static void unescape_sep(const char *in, char *out, size_t outlen)
{
	size_t o = 0;
	for (size_t i = 0; in[i] && o + 1 < outlen; i++) {
		if (in[i] == '\\' && (in[i + 1] == 'n' || in[i + 1] == 't')) {
			out[o++] = in[i + 1] == 'n' ? '\n' : '\t';
			i++;
		} else {
			out[o++] = in[i];
		}
	}
	out[o] = '\0';
}

static int bad(struct qerr *err, const char *msg)
{
	qerr_set(err, Q_EINVAL, "process_rule", "%s", msg);
	return -1;
}

static int is_pre_id(const char *k)
{
	return !strcmp(k, "remove_extra_spaces") || !strcmp(k, "remove_urls_emails");
}

/* One segmentation field (or, flat, a pre-processing boolean) into out. */
static int seg_field(json_t *out, const char *k, json_t *v, int flat, struct qerr *err)
{
	if (!strcmp(k, "separator")) {
		char sep[64];
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) > SEPARATOR_MAX)
			return bad(err, "process_rule segmentation.separator must be a "
				   "string of 1 to 31 bytes");
		unescape_sep(json_string_value(v), sep, sizeof sep);
		json_object_set_new(out, "separator", json_string(sep));
	} else if (!strcmp(k, "max_tokens")) {
		if (!json_is_integer(v) || json_integer_value(v) < MIN_MAX_TOKENS ||
		    json_integer_value(v) > SPLIT_MAX_TOKENS_LIMIT) {
			qerr_set(err, Q_EINVAL, "process_rule", "process_rule segmentation.max_tokens must be an "
				 "integer from %d to %d", MIN_MAX_TOKENS, SPLIT_MAX_TOKENS_LIMIT);
			return -1;
		}
		json_object_set(out, k, v);
	} else if (!strcmp(k, "chunk_overlap")) {
		if (!json_is_integer(v) || json_integer_value(v) < 0)
			return bad(err, "process_rule segmentation.chunk_overlap must be "
				   "a non-negative integer");
		json_object_set(out, k, v);
	} else if (flat && is_pre_id(k)) {
		if (!json_is_boolean(v)) {
			qerr_set(err, Q_EINVAL, "process_rule", "process_rule.%s must be true or false", k);
			return -1;
		}
		json_object_set(out, k, v);
	} else {
		qerr_set(err, Q_EINVAL, "process_rule", "process_rule segmentation has an unknown field '%.64s'", k);
		return -1;
	}
	return 0;
}

static int check_seg(json_t *out, json_t *seg, int flat, struct qerr *err)
{
	const char *k;
	json_t *v;
	if (!json_is_object(seg))
		return bad(err, "process_rule rules.segmentation must be an object");
	json_object_foreach(seg, k, v)
		if (seg_field(out, k, v, flat, err) < 0)
			return -1;
	return 0;
}

/* Dify's list: the rules listed as given, the others off. */
static int check_pre(json_t *out, json_t *pre, struct qerr *err)
{
	size_t i;
	json_t *v;
	if (!json_is_array(pre))
		return bad(err, "process_rule rules.pre_processing_rules must be an array");
	json_object_set_new(out, "remove_extra_spaces", json_false());
	json_object_set_new(out, "remove_urls_emails", json_false());
	json_array_foreach(pre, i, v) {
		json_t *id = json_object_get(v, "id"), *en = json_object_get(v, "enabled");
		if (!json_is_object(v)) {
			qerr_set(err, Q_EINVAL, "process_rule", "process_rule pre_processing_rules[%zu] must be an "
				 "object {\"id\", \"enabled\"}", i);
			return -1;
		}
		if (!json_is_string(id) || !is_pre_id(json_string_value(id))) {
			qerr_set(err, Q_EINVAL, "process_rule", "process_rule pre_processing_rules[%zu].id must be "
				 "\"remove_extra_spaces\" or \"remove_urls_emails\"", i);
			return -1;
		}
		if (en && !json_is_boolean(en)) {
			qerr_set(err, Q_EINVAL, "process_rule", "process_rule pre_processing_rules[%zu].enabled must "
				 "be true or false", i);
			return -1;
		}
		/* Dify treats an entry without "enabled" as enabled */
		json_object_set_new(out, json_string_value(id), json_boolean(!en || json_is_true(en)));
	}
	return 0;
}

/* The Dify shape ({"mode", "rules"}) into the flat out. */
static int check_dify(json_t *out, json_t *rule, struct qerr *err)
{
	json_t *mode = json_object_get(rule, "mode"), *rules = json_object_get(rule, "rules");
	if (mode && (!json_is_string(mode) || (strcmp(json_string_value(mode), "automatic") &&
					       strcmp(json_string_value(mode), "custom"))))
		return bad(err, "process_rule.mode must be \"automatic\" or \"custom\"");
	if (mode && !strcmp(json_string_value(mode), "automatic"))
		return 0;
	if (!rules || json_is_null(rules))
		return 0;
	if (!json_is_object(rules))
		return bad(err, "process_rule.rules must be an object");
	json_t *seg = json_object_get(rules, "segmentation");
	json_t *pre = json_object_get(rules, "pre_processing_rules");
	if (seg && check_seg(out, seg, 0, err) < 0)
		return -1;
	if (pre && check_pre(out, pre, err) < 0)
		return -1;
	return 0;
}

enum qstatus split_rule_check(json_t *rule, json_t **normalised, struct qerr *err)
{
	json_t *out = split_rule_default();
	int rc;
	*normalised = NULL;
	if (!out)
		return qerr_set(err, Q_ENOMEM, "process_rule", "out of memory");
	if (!json_is_object(rule))
		rc = bad(err, "process_rule must be an object");
	else if (json_object_get(rule, "mode") || json_object_get(rule, "rules"))
		rc = check_dify(out, rule, err);
	else
		rc = check_seg(out, rule, 1, err);   /* flat: the stored form */
	if (rc == 0 && json_integer_value(json_object_get(out, "chunk_overlap")) >=
			       json_integer_value(json_object_get(out, "max_tokens")))
		rc = bad(err, "process_rule segmentation.chunk_overlap must be less than "
			 "max_tokens");
	if (rc < 0) {
		json_decref(out);
		return Q_EINVAL;
	}
	*normalised = out;
	return Q_OK;
}

json_t *split_rule_dify(json_t *flat)
{
	json_t *d = NULL;
	if (!flat || split_rule_check(flat, &d, NULL) != Q_OK)
		d = split_rule_default();
	if (!d)
		return NULL;
	json_t *o = json_pack("{s:s, s:{s:[{s:s, s:O}, {s:s, s:O}], s:{s:O, s:O, s:O}}}",
			      "mode", "custom", "rules", "pre_processing_rules",
			      "id", "remove_extra_spaces", "enabled",
			      json_object_get(d, "remove_extra_spaces"),
			      "id", "remove_urls_emails", "enabled",
			      json_object_get(d, "remove_urls_emails"),
			      "segmentation", "separator", json_object_get(d, "separator"),
			      "max_tokens", json_object_get(d, "max_tokens"),
			      "chunk_overlap", json_object_get(d, "chunk_overlap"));
	json_decref(d);
	return o;
}

void split_rule_load(json_t *stored, struct split_rule *r)
{
	json_t *norm = NULL;
	if (!stored || split_rule_check(stored, &norm, NULL) != Q_OK)
		norm = split_rule_default();
	memset(r, 0, sizeof *r);
	if (!norm) {   /* out of memory: the defaults by hand */
		snprintf(r->sep, sizeof r->sep, "%s", DEFAULT_SEPARATOR);
		r->sep_len = strlen(r->sep);
		r->max_tokens = DEFAULT_MAX_TOKENS;
		r->overlap = DEFAULT_OVERLAP;
		r->extra_spaces = 1;
		return;
	}
	snprintf(r->sep, sizeof r->sep, "%s", json_string_value(json_object_get(norm, "separator")));
	r->sep_len = strlen(r->sep);
	r->max_tokens = (size_t)json_integer_value(json_object_get(norm, "max_tokens"));
	r->overlap = (size_t)json_integer_value(json_object_get(norm, "chunk_overlap"));
	r->extra_spaces = json_is_true(json_object_get(norm, "remove_extra_spaces"));
	r->urls_emails = json_is_true(json_object_get(norm, "remove_urls_emails"));
	json_decref(norm);
}
