/* uptoken.c: minting and checking signed upload tokens for HTML forms. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "http/uptoken.h"
#include "http/secret.h"
#include "store/docs.h"
#include "store/accounts.h"
#include "store/store.h"
#include "base/util.h"

#include <ctype.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TOKEN_PREFIX "qut1."
#define URL_MAX 1024
#define LIST_MAX 32           /* origins, types, roles */

/* ---- encoding and signing ------------------------------------------------ */

/* base64url without padding of in (n bytes) into out (>= 4 * (n + 2) / 3 + 1). */
static void b64url(const unsigned char *in, size_t n, char *out)
{
	int len = EVP_EncodeBlock((unsigned char *)out, in, (int)n);
	while (len > 0 && out[len - 1] == '=')
		len--;
	out[len] = '\0';
	for (char *p = out; *p; p++)
		*p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
}

/* Decode base64url s (n chars) into out (>= 3 * n / 4 + 3 bytes); the length, or -1. */
static long unb64url(const char *s, size_t n, unsigned char *out)
{
	size_t pad = (4 - n % 4) % 4;
	if (pad == 3)
		return -1;
	char *t = malloc(n + pad + 1);
	if (!t)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch == '+' || ch == '/' || ch == '=')
			ch = '!';   /* the plain alphabet is not this one's */
		t[i] = ch == '-' ? '+' : ch == '_' ? '/' : ch;
	}
	memset(t + n, '=', pad);
	t[n + pad] = '\0';
	int len = EVP_DecodeBlock(out, (unsigned char *)t, (int)(n + pad));
	free(t);
	return len < 0 ? -1 : (long)len - (long)pad;
}

/* The signature of payload (the claims part) in base64url into sig (>= 48). */
static enum qstatus sign(const struct qconf *conf, const char *payload, size_t n, char *sig,
			 struct qerr *err)
{
	unsigned char key[SECRET_MAX], mac[EVP_MAX_MD_SIZE];
	unsigned maclen = 0;
	size_t klen;
	enum qstatus st = secret_get(conf, conf->upload_token_secret, "upload-token.key", key,
				     &klen, err);
	if (st != Q_OK)
		return st;
	char *msg = malloc(n + 14);
	if (!msg) {
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	memcpy(msg, "upload-token:", 13);
	memcpy(msg + 13, payload, n);
	if (!HMAC(EVP_sha256(), key, (int)klen, (unsigned char *)msg, n + 13, mac, &maclen))
		st = qerr_set(err, Q_EINTERNAL, NULL, "cannot sign the upload token");
	else
		b64url(mac, maclen, sig);
	free(msg);
out:
	OPENSSL_cleanse(key, sizeof key);
	return st;
}

/* ---- URLs and origins ----------------------------------------------------- */

static int url_chars_ok(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f || *s == '"' || *s == '<' ||
		    *s == '>' || *s == '\\')
			return 0;
	return 1;
}

/* The origin ("scheme://host[:port]", lower case) of an http(s) URL into
 * out (URL_MAX); -1 when url is not one. */
static int url_origin(const char *url, char *out)
{
	size_t skip = !strncasecmp(url, "https://", 8) ? 8 : !strncasecmp(url, "http://", 7) ? 7 : 0;
	if (!skip)
		return -1;
	size_t n = skip + strcspn(url + skip, "/?#");
	if (n == skip || n >= URL_MAX)
		return -1;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)url[i]);
	out[n] = '\0';
	return strchr(out + skip, '@') ? -1 : 0;   /* no user info */
}

/* 1 when url starts with one of the allowed prefixes (space or comma
 * separated) at a boundary: a prefix ending in '/' is a folder, any other
 * must be followed by the URL's end, '/', '?' or '#'. */
static int redirect_allowed(const char *allow, const char *url)
{
	for (const char *w = allow; *w;) {
		w += strspn(w, " ,");
		size_t n = strcspn(w, " ,");
		if (n && !strncmp(url, w, n)) {
			char next = url[n];
			if (w[n - 1] == '/' || !next || next == '/' || next == '?' || next == '#')
				return 1;
		}
		w += n;
	}
	return 0;
}

/* ---- minting ---------------------------------------------------------------- */

struct mint {
	struct stxn *t;
	const struct qconf *conf;
	const char *account;
	json_t *req, *claims;
	struct qerr *err;
};

static int printable_id(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (!n || n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

/* An optional string member; *out borrowed or NULL. */
static enum qstatus opt_str(struct mint *m, const char *name, size_t max, const char **out)
{
	json_t *v = json_object_get(m->req, name);
	*out = NULL;
	if (!v || json_is_null(v))
		return Q_OK;
	if (!json_is_string(v) || !printable_id(json_string_value(v), max))
		return qerr_set(m->err, Q_EINVAL, name, "%s must be a string of 1-%zu printable bytes",
				name, max);
	*out = json_string_value(v);
	return Q_OK;
}

/* An optional integer member in lo..hi, def when absent. */
static enum qstatus opt_int(struct mint *m, const char *name, long long lo, long long hi,
			    long long def, long long *out)
{
	json_t *v = json_object_get(m->req, name);
	*out = def;
	if (!v || json_is_null(v))
		return Q_OK;
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return qerr_set(m->err, Q_EINVAL, name, "%s must be an integer from %lld to %lld",
				name, lo, hi);
	*out = json_integer_value(v);
	return Q_OK;
}

/* An optional array of strings; each checked by ok (may rewrite it into
 * buf); the result (new, possibly empty) into *out. */
static enum qstatus opt_list(struct mint *m, const char *name,
			     int (*ok)(const char *s, char *buf), json_t **out)
{
	json_t *v = json_object_get(m->req, name), *e;
	size_t i;
	char buf[URL_MAX];
	*out = json_array();
	if (!v || json_is_null(v))
		return Q_OK;
	if (!json_is_array(v) || json_array_size(v) > LIST_MAX)
		goto bad;
	json_array_foreach(v, i, e) {
		if (!json_is_string(e) || json_string_length(e) >= URL_MAX ||
		    !ok(json_string_value(e), buf))
			goto bad;
		json_array_append_new(*out, json_string(buf));
	}
	return Q_OK;
bad:
	json_decref(*out);
	*out = NULL;
	return qerr_set(m->err, Q_EINVAL, name, "%s must be an array of at most %d valid strings",
			name, LIST_MAX);
}

static int role_ok(const char *s, char *buf)
{
	snprintf(buf, URL_MAX, "%s", s);
	return printable_id(s, 128);
}

/* A type: a file type ("pdf", "docx") or a MIME type, kept in lower case. */
static int type_ok(const char *s, char *buf)
{
	size_t n = strlen(s);
	if (!n || n > 100 || strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "0123456789.+-/") != n)
		return 0;
	for (size_t i = 0; i <= n; i++)
		buf[i] = (char)tolower((unsigned char)s[i]);
	return 1;
}

/* An origin: an http(s) URL without path, query or fragment. */
static int origin_ok(const char *s, char *buf)
{
	if (!url_chars_ok(s) || url_origin(s, buf) < 0)
		return 0;
	return strlen(buf) == strlen(s) || (strlen(s) == strlen(buf) + 1 && s[strlen(buf)] == '/');
}

static const char *const mint_fields[] = {
	"redirect_url", "expires_in", "knowledge_base", "org", "folder", "allowed_roles",
	"max_files", "max_bytes", "types", "origins", "single_use", NULL,
};

static enum qstatus mint_known(struct mint *m)
{
	const char *k;
	json_t *v;
	if (!json_is_object(m->req))
		return qerr_set(m->err, Q_EINVAL, NULL, "the body must be a JSON object");
	json_object_foreach(m->req, k, v) {
		size_t i = 0;
		while (mint_fields[i] && strcmp(mint_fields[i], k))
			i++;
		if (!mint_fields[i])
			return qerr_set(m->err, Q_EINVAL, k, "unknown field %s", k);
	}
	return Q_OK;
}

/* redirect_url: allowed by form_redirect_allow; its origin joins origins. */
static enum qstatus mint_redirect(struct mint *m, json_t *origins)
{
	const char *url;
	char origin[URL_MAX];
	enum qstatus st = opt_str(m, "redirect_url", URL_MAX - 1, &url);
	if (st != Q_OK || !url)
		return st;
	if (!url_chars_ok(url) || url_origin(url, origin) < 0)
		return qerr_set(m->err, Q_EINVAL, "redirect_url",
				"redirect_url must be an absolute http or https URL");
	if (!redirect_allowed(m->conf->form_redirect_allow, url))
		return qerr_set(m->err, Q_EINVAL, "redirect_url",
				"redirect_url is not allowed: it must start with one of the "
				"prefixes in the form_redirect_allow setting");
	json_object_set_new(m->claims, "redirect", json_string(url));
	if (json_array_size(json_object_get(m->req, "origins")) == 0)
		json_array_append_new(origins, json_string(origin));
	return Q_OK;
}

static enum qstatus mint_kb(struct mint *m)
{
	const char *kb;
	char id[37];
	json_t *rec = NULL;
	enum qstatus st = opt_str(m, "knowledge_base", 64, &kb);
	if (st != Q_OK)
		return st;
	if (!kb)
		st = account_default_kb(m->t, m->account, id, m->err);
	else if (q_uuid_valid(kb)) {
		snprintf(id, sizeof id, "%s", kb);
		st = store_get(m->t, T_KBS, kb, &rec, 0, m->err);
		if (st == Q_OK && strcmp(json_string_value(json_object_get(rec, "account")) ?: "",
					 m->account))
			st = Q_ENOTFOUND;
		json_decref(rec);
	} else
		st = kb_find(m->t, m->account, kb, id, m->err);
	if (st == Q_ENOTFOUND)
		return qerr_set(m->err, Q_ENOTFOUND, "knowledge_base", "no such knowledge base");
	if (st == Q_OK)
		json_object_set_new(m->claims, "kb", json_string(id));
	return st;
}

static enum qstatus mint_limits(struct mint *m)
{
	long long files, bytes, ttl;
	json_t *once = json_object_get(m->req, "single_use");
	enum qstatus st;
	if ((st = opt_int(m, "max_files", 1, UPTOKEN_FILES_MAX, UPTOKEN_FILES_MAX, &files)) ||
	    (st = opt_int(m, "max_bytes", 1, (long long)m->conf->upload_max,
			  (long long)m->conf->upload_max, &bytes)) ||
	    (st = opt_int(m, "expires_in", 1, m->conf->upload_token_max_ttl,
			  m->conf->upload_token_max_ttl < 3600 ? m->conf->upload_token_max_ttl : 3600,
			  &ttl)))
		return st;
	if (once && !json_is_boolean(once))
		return qerr_set(m->err, Q_EINVAL, "single_use", "single_use must be true or false");
	json_object_set_new(m->claims, "files", json_integer(files));
	json_object_set_new(m->claims, "bytes", json_integer(bytes));
	json_object_set_new(m->claims, "exp", json_integer((json_int_t)time(NULL) + ttl));
	json_object_set_new(m->claims, "once", json_boolean(once && json_is_true(once)));
	return Q_OK;
}

static enum qstatus mint_scope(struct mint *m)
{
	const char *org, *folder;
	json_t *roles = NULL, *types = NULL, *origins = NULL;
	enum qstatus st;
	if ((st = opt_str(m, "org", 256, &org)) || (st = opt_str(m, "folder", 256, &folder)) ||
	    (st = opt_list(m, "allowed_roles", role_ok, &roles)) ||
	    (st = opt_list(m, "types", type_ok, &types)) ||
	    (st = opt_list(m, "origins", origin_ok, &origins)) || (st = mint_redirect(m, origins)))
		goto out;
	if (org)
		json_object_set_new(m->claims, "org", json_string(org));
	if (folder)
		json_object_set_new(m->claims, "folder", json_string(folder));
	json_object_set(m->claims, "roles", roles);
	json_object_set(m->claims, "types", types);
	json_object_set(m->claims, "origins", origins);
out:
	json_decref(roles);
	json_decref(types);
	json_decref(origins);
	return st;
}

static enum qstatus mint_encode(struct mint *m, char **token)
{
	char *text = json_dumps(m->claims, JSON_COMPACT | JSON_SORT_KEYS);
	char sig[128];
	enum qstatus st = Q_OK;
	size_t n = text ? strlen(text) : 0;
	char *payload = text ? malloc(4 * (n + 2) / 3 + 1) : NULL;
	*token = NULL;
	if (!payload) {
		st = qerr_set(m->err, Q_ENOMEM, NULL, "out of memory");
		goto out;
	}
	b64url((unsigned char *)text, n, payload);
	if ((st = sign(m->conf, payload, strlen(payload), sig, m->err)) != Q_OK)
		goto out;
	size_t len = strlen(TOKEN_PREFIX) + strlen(payload) + 1 + strlen(sig) + 1;
	if (len > UPTOKEN_MAX) {
		st = qerr_set(m->err, Q_EINVAL, NULL, "the token would be over %d bytes: fewer "
			      "origins, types or roles", UPTOKEN_MAX);
		goto out;
	}
	if ((*token = malloc(len)))
		snprintf(*token, len, "%s%s.%s", TOKEN_PREFIX, payload, sig);
	else
		st = qerr_set(m->err, Q_ENOMEM, NULL, "out of memory");
out:
	free(payload);
	free(text);
	return st;
}

enum qstatus uptoken_mint(struct stxn *t, const struct qconf *conf, const char *account,
			  const char *key_id, json_t *req, char **token, json_t **claims,
			  struct qerr *err)
{
	struct mint m = {t, conf, account, req, json_object(), err};
	unsigned char rnd[16];
	char id[33];
	enum qstatus st;
	*token = NULL;
	*claims = NULL;
	if ((st = mint_known(&m)) || (st = mint_limits(&m)) || (st = mint_scope(&m)) ||
	    (st = mint_kb(&m)))
		goto out;
	if (q_random(rnd, sizeof rnd) < 0) {
		st = qerr_set(err, Q_EINTERNAL, NULL, "no random bytes available");
		goto out;
	}
	q_hex(rnd, sizeof rnd, id);
	json_object_set_new(m.claims, "v", json_integer(1));
	json_object_set_new(m.claims, "id", json_string(id));
	json_object_set_new(m.claims, "acct", json_string(account));
	json_object_set_new(m.claims, "by", json_string(key_id));
	if ((st = mint_encode(&m, token)) == Q_OK) {
		*claims = m.claims;
		m.claims = NULL;
	}
out:
	json_decref(m.claims);
	return st;
}

/* ---- checking ---------------------------------------------------------------- */

enum qstatus uptoken_verify(const struct qconf *conf, const char *token, json_t **claims,
			    struct qerr *err)
{
	size_t plen = strlen(TOKEN_PREFIX), n = strlen(token);
	char sig[128];
	unsigned char *raw = NULL;
	enum qstatus st;
	*claims = NULL;
	const char *dot = n <= UPTOKEN_MAX && !strncmp(token, TOKEN_PREFIX, plen)
		? strchr(token + plen, '.') : NULL;
	if (!dot || dot == token + plen)
		goto bad;
	if ((st = sign(conf, token + plen, (size_t)(dot - token - plen), sig, err)) != Q_OK)
		return st;
	if (strlen(dot + 1) != strlen(sig) || CRYPTO_memcmp(dot + 1, sig, strlen(sig)))
		goto bad;
	size_t en = (size_t)(dot - token - plen);
	if (!(raw = malloc(en + 4)))
		return qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	long len = unb64url(token + plen, en, raw);
	*claims = len > 0 ? json_loadb((char *)raw, (size_t)len, JSON_REJECT_DUPLICATES, NULL) : NULL;
	free(raw);
	if (json_is_object(*claims) && json_integer_value(json_object_get(*claims, "v")) == 1 &&
	    json_is_string(json_object_get(*claims, "id")) &&
	    json_is_string(json_object_get(*claims, "acct")) &&
	    json_is_string(json_object_get(*claims, "kb")))
		return Q_OK;
	json_decref(*claims);
	*claims = NULL;
bad:
	return qerr_set(err, Q_EFORBIDDEN, "token", "the upload token is not valid");
}

int uptoken_expired(json_t *claims, time_t now)
{
	return json_integer_value(json_object_get(claims, "exp")) < (json_int_t)now;
}

void uptoken_creator(json_t *claims, char *out, size_t n)
{
	snprintf(out, n, "upload-token:%s", json_string_value(json_object_get(claims, "id")) ?: "");
}

int uptoken_origin_ok(json_t *claims, const char *origin)
{
	json_t *list = json_object_get(claims, "origins"), *e;
	size_t i;
	char o[URL_MAX];
	if (json_array_size(list) == 0)
		return 1;
	if (!origin || strlen(origin) >= URL_MAX || url_origin(origin, o) < 0)
		return 0;
	json_array_foreach(list, i, e)
		if (!strcmp(json_string_value(e) ?: "", o))
			return 1;
	return 0;
}

int uptoken_type_ok(json_t *claims, const char *type, const char *mime)
{
	json_t *list = json_object_get(claims, "types"), *e;
	size_t i;
	if (json_array_size(list) == 0)
		return 1;
	json_array_foreach(list, i, e) {
		const char *s = json_string_value(e) ?: "";
		if ((type && !strcasecmp(s, type)) || (mime && !strcasecmp(s, mime)))
			return 1;
	}
	return 0;
}

enum qstatus uptoken_use(struct stxn *t, json_t *claims, struct qerr *err)
{
	const char *id = json_string_value(json_object_get(claims, "id"));
	json_t *rec = NULL;
	enum qstatus st = store_get(t, T_UPLOAD_TOKENS, id, &rec, STORE_RMW, err);
	if (st == Q_ENOTFOUND) {
		qerr_clear(err);
		rec = json_pack("{s:i, s:O}", "uses", 0, "expires_at",
				json_object_get(claims, "exp"));
	} else if (st != Q_OK)
		return st;
	json_int_t uses = json_integer_value(json_object_get(rec, "uses"));
	if (uses > 0 && json_is_true(json_object_get(claims, "once")))
		st = qerr_set(err, Q_ECONFLICT, "token", "This upload form was already used; reload the page to get a new one.");
	else {
		json_object_set_new(rec, "uses", json_integer(uses + 1));
		st = store_put(t, T_UPLOAD_TOKENS, id, rec, err);
	}
	json_decref(rec);
	return st;
}

enum qstatus uptoken_sweep(struct stxn *t, time_t now, size_t *removed, struct qerr *err)
{
	struct store_ids ids = {0};
	enum qstatus st = store_scan_table(t, T_UPLOAD_TOKENS, store_collect, &ids, err);
	*removed = 0;
	if (st == Q_OK && ids.oom)
		st = qerr_set(err, Q_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; st == Q_OK && i < ids.n; i++) {
		json_t *rec = NULL;
		if ((st = store_get(t, T_UPLOAD_TOKENS, ids.ids[i], &rec, STORE_RMW, err)) != Q_OK)
			break;
		json_int_t exp = json_integer_value(json_object_get(rec, "expires_at"));
		json_decref(rec);
		if (exp + UPTOKEN_STATUS_GRACE >= (json_int_t)now)
			continue;
		if ((st = store_del(t, T_UPLOAD_TOKENS, ids.ids[i], err)) == Q_OK)
			(*removed)++;
	}
	store_ids_free(&ids);
	return st;
}
