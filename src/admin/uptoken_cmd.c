/* uptoken_cmd.c: quire-admin upload-token, minting a form upload token
 * for an account from the command line (the same token as POST
 * /api/v1/upload-tokens; docs/form-upload.md). */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "admin/admin.h"
#include "admin/uptoken_cmd.h"
#include "http/uptoken.h"
#include "store/docs.h"
#include "store/accounts.h"
#include "store/store.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct mint_cmd {
	const struct qconf *conf;
	const char *account_name;
	json_t *req, *claims;
	char *token;
};

static enum qstatus mint_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct mint_cmd *m = arg;
	char account[37];
	enum qstatus st = account_find(t, m->account_name, account, err);
	if (st == Q_ENOTFOUND)
		return qerr_set(err, st, NULL, "no account named %s", m->account_name);
	if (st != Q_OK)
		return st;
	free(m->token);
	json_decref(m->claims);
	return uptoken_mint(t, m->conf, account, "admin", m->req, &m->token, &m->claims, err);
}

/* A comma-separated option as a JSON array member of req. */
static void list_opt(json_t *req, const char *name, const char *v)
{
	if (!v)
		return;
	json_t *a = json_array();
	for (const char *p = v; *p;) {
		size_t n = strcspn(p, ",");
		if (n)
			json_array_append_new(a, json_stringn(p, n));
		p += n + (p[n] == ',');
	}
	json_object_set_new(req, name, a);
}

/* A whole-number option; -1 when it is not one. */
static int int_opt(json_t *req, const char *name, const char *v)
{
	unsigned long long n;
	if (!v)
		return 0;
	if (q_parse_uint(v, 1ULL << 52, &n) < 0)
		return -1;
	json_object_set_new(req, name, json_integer((json_int_t)n));
	return 0;
}

static const char *opt(int argc, char **argv, const char *name)
{
	for (int i = 1; i < argc - 1; i++)
		if (!strcmp(argv[i], name))
			return argv[i + 1];
	return NULL;
}

static int flag(int argc, char **argv, const char *name)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

int admin_upload_token(struct store *s, const struct qconf *conf, int argc, char **argv,
		       FILE *out, FILE *errf)
{
	struct mint_cmd m = {conf, opt(argc, argv, "--account"), json_object(), NULL, NULL};
	static const char *const strs[][2] = {
		{"--kb", "knowledge_base"}, {"--org", "org"}, {"--folder", "folder"},
		{"--redirect", "redirect_url"},
	};
	struct qerr err;
	int rc = 2;
	if (!m.account_name) {
		fprintf(errf, "quire-admin: upload-token needs --account NAME\n");
		goto out;
	}
	for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
		if (opt(argc, argv, strs[i][0]))
			json_object_set_new(m.req, strs[i][1], json_string(opt(argc, argv, strs[i][0])));
	list_opt(m.req, "allowed_roles", opt(argc, argv, "--roles"));
	list_opt(m.req, "types", opt(argc, argv, "--types"));
	list_opt(m.req, "origins", opt(argc, argv, "--origins"));
	if (flag(argc, argv, "--single-use"))
		json_object_set_new(m.req, "single_use", json_true());
	if (int_opt(m.req, "max_files", opt(argc, argv, "--max-files")) < 0 ||
	    int_opt(m.req, "max_bytes", opt(argc, argv, "--max-bytes")) < 0 ||
	    int_opt(m.req, "expires_in", opt(argc, argv, "--expires-in")) < 0) {
		fprintf(errf, "quire-admin: --max-files, --max-bytes and --expires-in take numbers\n");
		goto out;
	}
	rc = 1;
	if (store_run(s, mint_fn, &m, &err) != Q_OK) {
		fprintf(errf, "quire-admin: %s%s%s\n", err.field[0] ? err.field : "",
			err.field[0] ? ": " : "", err.msg);
		goto out;
	}
	char exp[32];
	const char *base = opt(argc, argv, "--base");
	q_iso8601((int64_t)json_integer_value(json_object_get(m.claims, "exp")) * 1000000, exp,
		  sizeof exp);
	fprintf(out, "%s\n", m.token);
	fprintf(errf, "upload token for account %s, knowledge base %s, until %s%s; form action: "
		"%s/forms/upload\n", m.account_name,
		json_string_value(json_object_get(m.claims, "kb")), exp,
		json_is_true(json_object_get(m.claims, "once")) ? ", single use" : "",
		base ? base : "BASE_URL");
	rc = 0;
out:
	free(m.token);
	json_decref(m.claims);
	json_decref(m.req);
	return rc;
}

struct sweep_arg {
	size_t removed;
};

static enum qstatus sweep_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct sweep_arg *a = arg;
	return uptoken_sweep(t, time(NULL), &a->removed, err);
}

int admin_upload_token_sweep(struct store *s, FILE *out, FILE *errf)
{
	struct sweep_arg a = {0};
	struct qerr err;
	if (store_run(s, sweep_fn, &a, &err) != Q_OK) {
		fprintf(errf, "quire-admin: %s\n", err.msg);
		return 1;
	}
	if (a.removed)
		fprintf(out, "sweep: %zu expired upload token records removed\n", a.removed);
	return 0;
}
