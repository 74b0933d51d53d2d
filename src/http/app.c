/* app.c: serve one request: route, authenticate, authorise, run the
 * handler, render errors in the route family's shape. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "http/app.h"
#include "http/router.h"
#include "http/errors.h"
#include "http/ratelimit.h"
#include "http/fileurl.h"
#include "base/log.h"
#include "store/store.h"
#include "base/util.h"

#include <limits.h>
#include <openssl/crypto.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

struct auth_arg {
	const char *key;
	size_t len;
	struct principal *who;
};

static enum qstatus auth_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct auth_arg *a = arg;
	return auth_lookup(t, a->key, a->len, a->who, err);
}

/* A small per-worker cache of resolved keys, so a busy worker neither reads
 * the key record nor hashes the key on every request. An entry holds the
 * full key it was resolved from; a slot is chosen by a cheap seeded hash
 * of the presented key and a hit needs all AUTH_KEY_LEN bytes to match,
 * compared in constant time, so the SHA-256 of the key (the database's
 * record key) is computed only on a miss. Entries live KEY_CACHE_TTL_MS,
 * which bounds how long a revoked key keeps working; the key bytes of an
 * entry are wiped when it is replaced or found expired. */
#define KEY_CACHE_SLOTS 64
#define KEY_CACHE_TTL_MS APP_KEY_CACHE_TTL_MS
static struct key_cache_entry {
	char key[AUTH_KEY_LEN];
	struct principal who;
	int64_t expires_ms;   /* 0: empty */
} key_cache[KEY_CACHE_SLOTS];
static uint64_t key_cache_seed;

/* The slot for key (AUTH_KEY_LEN bytes). The secret digits are random, so
 * 16 of them spread keys well; the per-process seed keeps a client from
 * aiming its keys at another client's slot. Not a cryptographic hash: a
 * slot only narrows the search, the full compare decides. */
static struct key_cache_entry *key_cache_slot(const char *key)
{
	uint64_t a, b;
	if (!key_cache_seed && (q_random(&key_cache_seed, sizeof key_cache_seed) < 0 ||
				!key_cache_seed))
		key_cache_seed = 0x9e3779b97f4a7c15u;
	memcpy(&a, key + 8, 8);
	memcpy(&b, key + 16, 8);
	uint64_t h = (a ^ key_cache_seed) * 0xff51afd7ed558ccdu;
	h = (h ^ (h >> 29) ^ b) * 0xc4ceb9fe1a85ec53u;
	return &key_cache[(h >> 32) % KEY_CACHE_SLOTS];
}

static void key_cache_wipe(struct key_cache_entry *e)
{
	OPENSSL_cleanse(e, sizeof *e);
}

static enum qstatus lookup_cached(struct qctx *c, const char *key, size_t len)
{
	if (len != AUTH_KEY_LEN)
		return qerr_set(&c->err, Q_EAUTH, NULL, "Invalid API key");
	struct key_cache_entry *e = key_cache_slot(key);
	int64_t now = q_mono_ms();
	if (e->expires_ms && e->expires_ms <= now)
		key_cache_wipe(e);   /* revocations are seen from here on */
	if (e->expires_ms && !CRYPTO_memcmp(e->key, key, AUTH_KEY_LEN)) {
		c->who = e->who;
		return Q_OK;
	}
	struct auth_arg a = {key, len, &c->who};
	enum qstatus st = store_run(c->app->store, auth_fn, &a, &c->err);
	if (st == Q_OK) {
		key_cache_wipe(e);
		memcpy(e->key, key, AUTH_KEY_LEN);
		e->who = c->who;
		e->expires_ms = now + KEY_CACHE_TTL_MS;
	}
	return st;
}

/* A failed authentication (no key, or a malformed, unknown or revoked one)
 * is counted per client address (REMOTE_ADDR) in the counters every
 * worker shares (ratelimit.c); past auth_fail_limit in a minute the
 * answer is 429 with Retry-After instead of 401 (docs/reliability.md A8). Only
 * failures touch the counter, so a valid key costs nothing more and is
 * never refused, even from an address that is being refused: with a
 * 256-bit secret, telling a guess's 429 from a hit's 200 helps nobody.
 * The err already says 401; it is replaced when the limit is passed. */
static enum qstatus auth_failed(struct qctx *c)
{
	static int64_t warned_window;
	const struct qconf *conf = c->app->conf;
	char path[PATH_MAX], key[96], v[16];
	struct rl_result rl;
	if (conf->auth_fail_limit <= 0)
		return Q_EAUTH;
	qconf_datapath(conf, "ratelimit", path);
	snprintf(key, sizeof key, "authfail:%.64s", qreq_param(c->req, "REMOTE_ADDR"));
	rl_hit(path, key, (unsigned)conf->auth_fail_limit, (int64_t)time(NULL), &rl);
	if (rl.allowed)
		return Q_EAUTH;
	if (warned_window != rl.reset) {   /* once a window per worker, not per request */
		warned_window = rl.reset;
		QLOG_WARN("over %d failed authentications in a minute from %.64s: answering 429",
			  conf->auth_fail_limit, qreq_param(c->req, "REMOTE_ADDR"));
	}
	snprintf(v, sizeof v, "%d", rl.retry_after);
	qresp_header(c->resp, "Retry-After", v);
	return qerr_set(&c->err, Q_ERATE, NULL,
			"Too many failed authentication attempts; retry after %d s", rl.retry_after);
}

enum qstatus app_authenticate(struct qctx *c, unsigned scope)
{
	const char *h = qreq_param(c->req, "HTTP_AUTHORIZATION");
	char probe[8];
	/* Keys belong in a header, never in URLs that land in access logs. */
	if (qreq_query(c->req, "api_key", probe, sizeof probe) != 0 ||
	    qreq_query(c->req, "apiKey", probe, sizeof probe) != 0)
		return qerr_set(&c->err, Q_EINVAL, "api_key",
				"API keys are accepted only in the Authorization header");
	if (!*h)
		h = qreq_param(c->req, "HTTP_X_API_KEY");
	size_t len;
	const char *key = auth_header_key(h, &len);
	if (!key) {
		qerr_set(&c->err, Q_EAUTH, NULL, "Invalid API key");
		return auth_failed(c);
	}
	enum qstatus st = lookup_cached(c, key, len);
	if (st == Q_EAUTH)
		return auth_failed(c);
	if (st != Q_OK)
		return st;
	unsigned need = scope & SCOPE_ALL;
	if ((c->who.scopes & need) != need)
		return qerr_set(&c->err, Q_EFORBIDDEN, NULL, "this API key lacks the '%s' scope",
				scope & SCOPE_WRITE ? "write" :
				scope & SCOPE_CHAT ? "chat" :
				scope & SCOPE_ADMIN ? "admin" : "read");
	return Q_OK;
}

/* A route that takes signed file links: a request carrying a signature
 * is served on it alone (or refused), never on a key. */
static enum qstatus signed_link(struct qctx *c)
{
	char sig[160], exp[32];
	int rs = qreq_query(c->req, "signature", sig, sizeof sig);
	if (rs == 0)
		return Q_OK;   /* an ordinary request: the key decides */
	if (rs < 0 || qreq_query(c->req, "expires", exp, sizeof exp) <= 0)
		return qerr_set(&c->err, Q_EFORBIDDEN, NULL, "this file link is invalid or has expired");
	enum qstatus st = fileurl_check(c->app->conf, qctx_param(c, "id"), exp, sig, &c->err);
	if (st == Q_OK)
		c->signed_link = 1;
	return st;
}

/* A write on a nearly full disk is refused before it starts (507): the
 * storage must never meet ENOSPC inside a transaction or a log file.
 * DELETE goes through, as it frees space. */
static enum qstatus disk_guard(struct qctx *c)
{
	long long mb = 0;
	if (!(c->route->scope & SCOPE_WRITE) || !strcmp(c->req->method, "DELETE") ||
	    !qconf_disk_low(c->app->conf, &mb))
		return Q_OK;
	return qerr_set(&c->err, Q_ENOSPACE, NULL,
			"the disk is nearly full (%lld MB free, %d MB kept free): writes are refused "
			"until space is freed", mb, c->app->conf->disk_min_free_mb);
}

void app_handle(struct app *a, struct qreq *req, struct qresp *resp)
{
	struct qctx c;
	enum qstatus st;
	enum family fam;

	memset(&c, 0, sizeof c);
	c.app = a;
	c.req = req;
	c.resp = resp;
	qerr_clear(&c.err);

	if ((st = qreq_init(req, a->conf->base_path, &c.err)) != Q_OK) {
		fam = FAM_NATIVE;
		goto fail;
	}
	fam = route_family(req->path);
	c.route = route_match(a->routes, req->method, req->path, &c, &st);
	if (!c.route) {
		if (st == Q_EMETHOD)
			qerr_set(&c.err, st, NULL, "method %.16s is not allowed here", req->method);
		else
			qerr_set(&c.err, st, NULL, "no such route");
		goto fail;
	}
	fam = c.route->fam;
	if ((c.route->scope & SCOPE_SIGNED) && (st = signed_link(&c)) != Q_OK)
		goto fail;
	if (c.route->scope && !c.signed_link && (st = app_authenticate(&c, c.route->scope)) != Q_OK)
		goto fail;
	if ((st = disk_guard(&c)) != Q_OK)
		goto fail;
	st = c.route->fn(&c);
	if (st == Q_OK)
		return;
fail:
	if (c.err.st != st)
		qerr_set(&c.err, st, NULL, "%s", q_status_code(st));
	if (q_http_status(st) >= 500)
		QLOG_WARN("%s %s: %s", req->method ? req->method : "?", req->path, c.err.msg);
	if (resp->streaming)
		return;   /* the handler already reported it in-band */
	family_error(fam, resp, &c.err, a->conf->retry_after);
}
