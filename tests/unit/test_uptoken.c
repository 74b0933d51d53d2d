/* test_uptoken.c: form upload tokens (http/uptoken.h): minting and its
 * refusals, the signature against every tampering, expiry, origins,
 * types, the redirect allow list's boundaries and the use count. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "http/uptoken.h"
#include "store/docs.h"
#include "store/accounts.h"
#include "unit.h"

#include <string.h>
#include <time.h>

static char dir[PATH_MAX];
static struct store *s;
static struct qconf conf;
static char account[37];

struct mint_arg {
	json_t *req, *claims;
	char *token;
	int created;
};

static enum qstatus ensure_fn(struct stxn *t, void *arg, struct qerr *err)
{
	int *created = arg;
	return account_ensure(t, "acme", account, created, err);
}

static enum qstatus mint_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct mint_arg *a = arg;
	free(a->token);
	json_decref(a->claims);
	return uptoken_mint(t, &conf, account, "k1", a->req, &a->token, &a->claims, err);
}

/* Mint from JSON text: the status; *token new (or NULL), err filled. */
static enum qstatus mint(const char *json, char **token, json_t **claims, struct qerr *err)
{
	struct mint_arg a = {json_loads(json, 0, NULL), NULL, NULL, 0};
	enum qstatus st = store_run(s, mint_fn, &a, err);
	json_decref(a.req);
	*token = a.token;
	if (claims)
		*claims = a.claims;
	else
		json_decref(a.claims);
	return st;
}

static void test_mint_refusals(void)
{
	static const struct {
		const char *json, *field;
		enum qstatus st;
	} bad[] = {
		{"{\"redirect_url\": \"https://evil.test/x\"}", "redirect_url", Q_EINVAL},
		{"{\"redirect_url\": \"https://site.test.evil.test/\"}", "redirect_url", Q_EINVAL},
		{"{\"redirect_url\": \"https://site.test@evil.test/\"}", "redirect_url", Q_EINVAL},
		{"{\"redirect_url\": \"javascript:alert(1)\"}", "redirect_url", Q_EINVAL},
		{"{\"redirect_url\": \"https://site.test/a b\"}", "redirect_url", Q_EINVAL},
		{"{\"expires_in\": 0}", "expires_in", Q_EINVAL},
		{"{\"expires_in\": 90000}", "expires_in", Q_EINVAL},
		{"{\"max_files\": 17}", "max_files", Q_EINVAL},
		{"{\"max_bytes\": 0}", "max_bytes", Q_EINVAL},
		{"{\"types\": [\"pdf\", 3]}", "types", Q_EINVAL},
		{"{\"types\": [\"p d f\"]}", "types", Q_EINVAL},
		{"{\"origins\": [\"https://site.test/page\"]}", "origins", Q_EINVAL},
		{"{\"origins\": [\"ftp://site.test\"]}", "origins", Q_EINVAL},
		{"{\"single_use\": \"yes\"}", "single_use", Q_EINVAL},
		{"{\"org\": \"\"}", "org", Q_EINVAL},
		{"{\"knowledge_base\": \"missing\"}", "knowledge_base", Q_ENOTFOUND},
		{"{\"colour\": 1}", "colour", Q_EINVAL},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct qerr err;
		char *token;
		qerr_clear(&err);
		enum qstatus st = mint(bad[i].json, &token, NULL, &err);
		ok(st == bad[i].st && !strcmp(err.field, bad[i].field) && !token,
		   "mint refuses %s (%s: %s)", bad[i].json, err.field, err.msg);
		free(token);
	}
}

static void test_roundtrip(void)
{
	struct qerr err;
	char *token;
	json_t *claims, *back;
	enum qstatus st = mint("{\"redirect_url\": \"https://site.test/done?x=1\", \"expires_in\": 60,"
			       " \"org\": \"o1\", \"types\": [\"PDF\", \"text/plain\"], "
			       "\"single_use\": true}", &token, &claims, &err);
	is_int(st, Q_OK, "mint: ok (%s)", err.msg);
	if (st != Q_OK)
		return;
	ok(!strncmp(token, "qut1.", 5), "the token starts qut1.");
	is_int(uptoken_verify(&conf, token, &back, &err), Q_OK, "it verifies");
	ok(json_equal(back, claims), "to the claims minted");
	is_str(json_string_value(json_object_get(back, "acct")), account, "the account");
	ok(json_is_string(json_object_get(back, "kb")), "the default knowledge base");
	is_str(json_string_value(json_array_get(json_object_get(back, "origins"), 0)),
	       "https://site.test", "the redirect's origin is allowed");
	ok(uptoken_origin_ok(back, "https://site.test"), "origin: the page's origin");
	ok(uptoken_origin_ok(back, "https://SITE.test/form.html"), "origin: a Referer, any case");
	ok(!uptoken_origin_ok(back, "https://site.test.evil.test"), "origin: not a longer host");
	ok(!uptoken_origin_ok(back, "http://site.test"), "origin: not another scheme");
	ok(!uptoken_origin_ok(back, "https://site.test:8443"), "origin: not another port");
	ok(!uptoken_origin_ok(back, NULL), "origin: none is refused when origins are set");
	ok(uptoken_type_ok(back, "pdf", "application/pdf"), "type: pdf (listed upper case)");
	ok(uptoken_type_ok(back, "md", "text/plain"), "type: by MIME type");
	ok(!uptoken_type_ok(back, "docx", "application/vnd.openxmlformats"), "type: docx refused");
	ok(!uptoken_expired(back, time(NULL)), "not expired now");
	ok(uptoken_expired(back, time(NULL) + 61), "expired after 60 s");
	json_decref(back);

	/* Every single-byte change of the token is refused. */
	size_t n = strlen(token), refused = 0;
	for (size_t i = 0; i < n; i++) {
		char saved = token[i];
		token[i] = saved == 'A' ? 'B' : 'A';
		if (uptoken_verify(&conf, token, &back, &err) == Q_EFORBIDDEN && !back)
			refused++;
		json_decref(back);
		token[i] = saved;
	}
	is_int(refused, n, "every one of the %zu one-character changes is refused", n);
	token[n - 1] = '\0';
	is_int(uptoken_verify(&conf, token, &back, &err), Q_EFORBIDDEN, "a cut token is refused");
	is_int(uptoken_verify(&conf, "qut1..", &back, &err), Q_EFORBIDDEN, "an empty one too");
	is_int(uptoken_verify(&conf, "", &back, &err), Q_EFORBIDDEN, "and nothing");
	free(token);

	/* Another key: the same token is forged. */
	st = mint("{\"expires_in\": 60}", &token, NULL, &err);
	snprintf(conf.upload_token_secret, sizeof conf.upload_token_secret, "another key");
	is_int(uptoken_verify(&conf, token, &back, &err), Q_EFORBIDDEN,
	       "a token signed under another key is refused");
	conf.upload_token_secret[0] = '\0';
	is_int(uptoken_verify(&conf, token, &back, &err), Q_OK, "and holds under its own");
	ok(uptoken_origin_ok(back, NULL), "a token without origins takes any post");
	json_decref(back);
	free(token);
	json_decref(claims);
}

static enum qstatus use_fn(struct stxn *t, void *arg, struct qerr *err)
{
	return uptoken_use(t, arg, err);
}

struct sweep_arg {
	time_t now;
	size_t removed;
};

static enum qstatus sweep_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct sweep_arg *a = arg;
	return uptoken_sweep(t, a->now, &a->removed, err);
}

static void test_uses(void)
{
	struct qerr err;
	char *token;
	json_t *once, *many;
	mint("{\"expires_in\": 60, \"single_use\": true}", &token, &once, &err);
	free(token);
	mint("{\"expires_in\": 60}", &token, &many, &err);
	free(token);
	is_int(store_run(s, use_fn, once, &err), Q_OK, "single use: the first use counts");
	is_int(store_run(s, use_fn, once, &err), Q_ECONFLICT, "the second is refused");
	is_str(err.field, "token", "naming the token");
	int fine = 1;
	for (int i = 0; i < 3; i++)
		fine &= store_run(s, use_fn, many, &err) == Q_OK;
	ok(fine, "a token that is not single use may be used again");
	struct sweep_arg sw = {time(NULL), 0};
	is_int(store_run(s, sweep_fn, &sw, &err), Q_OK, "sweep now");
	is_int(sw.removed, 0, "removes nothing of tokens still valid");
	sw.now = time(NULL) + 60 + UPTOKEN_STATUS_GRACE + 5;
	is_int(store_run(s, sweep_fn, &sw, &err), Q_OK, "sweep a day after they expired");
	is_int(sw.removed, 2, "removes both use records");
	is_int(store_run(s, use_fn, many, &err), Q_OK, "a use after the sweep counts anew");
	json_decref(once);
	json_decref(many);
}

int main(void)
{
	unit_tmpdir(dir, "uptoken");
	s = unit_store(dir);
	qconf_defaults(&conf);
	snprintf(conf.datadir, sizeof conf.datadir, "%s", dir);
	snprintf(conf.form_redirect_allow, sizeof conf.form_redirect_allow,
		 "https://site.test/done, https://other.test/back/");
	conf.upload_token_max_ttl = 3600;
	int created;
	struct qerr err;
	if (store_run(s, ensure_fn, &created, &err) != Q_OK)
		bail_out("account: %s", err.msg);
	test_mint_refusals();
	test_roundtrip();
	test_uses();
	store_close(s);
	unit_rmtree(dir);
	return done_testing();
}
