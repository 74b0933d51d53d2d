/* test_auth.c: API key format and checksum, Authorization headers, scopes,
 * and key lookup against a real store. */
/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"
#include "http/auth.h"
#include "unit.h"
#include "base/util.h"

#include <ctype.h>
#include <string.h>

static void test_key_format(void)
{
	char key[AUTH_KEY_LEN + 1], key2[AUTH_KEY_LEN + 1];
	char hash[AUTH_HASH_HEX], hash2[AUTH_HASH_HEX];
	struct qerr err;

	is_int(auth_key_new(key, hash, &err), Q_OK, "key: new");
	is_int(strlen(key), 80, "key: 80 characters");
	ok(!strncmp(key, "sk_live_", 8), "key: sk_live_ prefix");
	int hex = 1;
	for (int i = 8; i < 80; i++)
		if (!isdigit((unsigned char)key[i]) && !(key[i] >= 'a' && key[i] <= 'f'))
			hex = 0;
	ok(hex, "key: 64 + 8 lowercase hex digits");
	ok(auth_key_wellformed(key), "key: a new key is well-formed");
	is_int(strlen(hash), 64, "key: hash is 64 hex digits");
	auth_key_hash(key, hash2);
	is_str(hash, hash2, "key: returned hash is auth_key_hash of the key");
	ok(strstr(hash, key + 8) == NULL, "key: the hash is not the secret");
	auth_key_new(key2, hash2, &err);
	ok(strcmp(key, key2) && strcmp(hash, hash2), "key: two keys differ");

	/* Any single-digit typo is caught by the checksum (or the format). */
	int caught = 0;
	for (int i = 8; i < AUTH_KEY_LEN; i++) {
		char t[AUTH_KEY_LEN + 1];
		memcpy(t, key, sizeof t);
		t[i] = t[i] == '0' ? '1' : '0';
		caught += !auth_key_wellformed(t);
	}
	is_int(caught, AUTH_KEY_LEN - 8, "key: every one-digit typo is rejected");
	char t[AUTH_KEY_LEN + 2];
	memcpy(t, key, AUTH_KEY_LEN + 1);
	int at = 20;
	while (t[at] == t[at + 1])
		at++;   /* 64 random digits: two different neighbours come soon */
	char a = t[at];
	t[at] = t[at + 1];
	t[at + 1] = a;
	ok(!auth_key_wellformed(t), "key: swapped neighbours (at %d) are rejected", at);

	memcpy(t, key, AUTH_KEY_LEN + 1);
	for (int i = 8; i < AUTH_KEY_LEN; i++)
		t[i] = (char)toupper((unsigned char)t[i]);
	ok(!auth_key_wellformed(t) || strcmp(t, key) == 0, "key: uppercase hex is rejected");
	memcpy(t, key, AUTH_KEY_LEN + 1);
	memcpy(t, "sk_test_", 8);
	ok(!auth_key_wellformed(t), "key: other prefix is rejected");
	memcpy(t, key, AUTH_KEY_LEN + 1);
	t[AUTH_KEY_LEN - 1] = '\0';
	ok(!auth_key_wellformed(t), "key: one digit short is rejected");
	memcpy(t, key, AUTH_KEY_LEN + 1);
	t[AUTH_KEY_LEN] = '0';
	t[AUTH_KEY_LEN + 1] = '\0';
	ok(!auth_key_wellformed(t), "key: one digit long is rejected");
	ok(!auth_key_wellformed(""), "key: empty is rejected");
	ok(!auth_key_wellformed("sk_live_"), "key: prefix alone is rejected");
	/* Right length and alphabet, checksum of zeros: wrong. */
	char zeros[AUTH_KEY_LEN + 1];
	memcpy(zeros, "sk_live_", 8);
	memset(zeros + 8, '0', 72);
	zeros[AUTH_KEY_LEN] = '\0';
	ok(!auth_key_wellformed(zeros), "key: a made-up checksum is rejected");
}

static void test_header(void)
{
	struct {
		const char *header, *want;
	} cases[] = {
		{"Bearer abc", "abc"},
		{"bearer abc", "abc"},
		{"BEARER abc", "abc"},
		{"Bearer   abc  ", "abc"},
		{"  Bearer abc", "abc"},
		{"ApiKey abc", "abc"},
		{"apikey abc", "abc"},
		{"APIKEY\tabc", "APIKEY\tabc"},   /* the scheme needs a space */
		{"abc", "abc"},
		{"  abc\t", "abc"},
		{"Basic abc", "Basic abc"},       /* not a scheme we know: a bare key */
		{"Bearerabc", "Bearerabc"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		size_t len = 999;
		const char *k = auth_header_key(cases[i].header, &len);
		char got[64] = "(null)";
		if (k)
			snprintf(got, sizeof got, "%.*s", (int)len, k);
		is_str(got, cases[i].want, "header: '%s'", cases[i].header);
	}
	static const char *empty[] = {"", "   ", "Bearer ", "Bearer    ", "ApiKey \t "};
	for (size_t i = 0; i < sizeof empty / sizeof *empty; i++) {
		size_t len = 999;
		ok(auth_header_key(empty[i], &len) == NULL && len == 0, "header: '%s' has no key",
		   empty[i]);
	}
}

static void test_scopes(void)
{
	struct {
		const char *s;
		unsigned want;
	} good[] = {
		{"read", SCOPE_READ},
		{"write", SCOPE_WRITE},
		{"read,write", SCOPE_READ | SCOPE_WRITE},
		{"admin,chat", SCOPE_ADMIN | SCOPE_CHAT},
		{"all", SCOPE_ALL},
		{"read,all", SCOPE_ALL},
		{"read,read", SCOPE_READ},
		{"read,write,chat,admin", SCOPE_ALL},
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		unsigned bits = 0;
		is_int(auth_scopes_parse(good[i].s, &bits), 0, "scopes: parse '%s'", good[i].s);
		is_int(bits, good[i].want, "scopes: '%s' bits", good[i].s);
	}
	static const char *bad[] = {"", "reed", "Read", "read,,write", ",read", "read write",
				    "readwrite", "rea", "reads"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		unsigned bits = 0;
		is_int(auth_scopes_parse(bad[i], &bits), -1, "scopes: '%s' refused", bad[i]);
	}

	char out[64];
	auth_scopes_format(SCOPE_ALL, out, sizeof out);
	is_str(out, "read,write,chat,admin", "scopes: format all");
	auth_scopes_format(SCOPE_READ | SCOPE_CHAT, out, sizeof out);
	is_str(out, "read,chat", "scopes: format read,chat");
	auth_scopes_format(0, out, sizeof out);
	is_str(out, "", "scopes: format none");
	auth_scopes_format(SCOPE_READ | SCOPE_WRITE, out, 8);
	is_str(out, "read", "scopes: format stops at a name that does not fit");
	int round = 1;
	for (unsigned s = 1; s <= SCOPE_ALL; s++) {
		unsigned back = 0;
		auth_scopes_format(s, out, sizeof out);
		if (auth_scopes_parse(out, &back) < 0 || back != s)
			round = 0;
	}
	ok(round, "scopes: format then parse round-trips all 15 sets");
}

/* Store a key record the way quire-admin's key create does. */
struct put_key {
	const char *key, *account;
	unsigned scopes;
	int revoked;
};

static enum qstatus put_key_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct put_key *p = arg;
	char hash[AUTH_HASH_HEX], key_id[13];
	auth_key_hash(p->key, hash);
	auth_key_id(hash, key_id);
	json_t *rec = json_pack("{s:s, s:s, s:s, s:s, s:i, s:I, s:b}", "hash", hash, "key_id",
				key_id, "account", p->account, "name", "test", "scopes",
				(int)p->scopes, "created_us", (json_int_t)q_now_us(), "revoked",
				p->revoked);
	enum qstatus st = store_put(t, T_KEYS, hash, rec, err);
	json_decref(rec);
	return st;
}

struct lookup {
	const char *key;
	size_t len;
	struct principal who;
};

static enum qstatus lookup_fn(struct stxn *t, void *arg, struct qerr *err)
{
	struct lookup *l = arg;
	return auth_lookup(t, l->key, l->len, &l->who, err);
}

static enum qstatus lookup(struct store *s, const char *key, size_t len, struct principal *who,
			   struct qerr *err)
{
	struct lookup l = {.key = key, .len = len};
	qerr_clear(err);
	enum qstatus st = store_run(s, lookup_fn, &l, err);
	*who = l.who;
	return st;
}

static void test_lookup(void)
{
	char dir[PATH_MAX], good[AUTH_KEY_LEN + 1], revoked[AUTH_KEY_LEN + 1];
	char unknown[AUTH_KEY_LEN + 1], hash[AUTH_HASH_HEX];
	struct qerr err, e1, e2, e3;
	struct principal who;

	unit_tmpdir(dir, "auth");
	struct store *s = unit_store(dir);
	auth_key_new(good, hash, &err);
	auth_key_new(revoked, hash, &err);
	auth_key_new(unknown, hash, &err);
	struct put_key p1 = {good, "acct-1", SCOPE_READ | SCOPE_WRITE, 0};
	struct put_key p2 = {revoked, "acct-1", SCOPE_ALL, 1};
	if (store_run(s, put_key_fn, &p1, &err) || store_run(s, put_key_fn, &p2, &err))
		bail_out("storing keys: %s", err.msg);

	is_int(lookup(s, good, strlen(good), &who, &err), Q_OK, "lookup: a stored key");
	is_str(who.account, "acct-1", "lookup: account");
	is_int(who.scopes, SCOPE_READ | SCOPE_WRITE, "lookup: scopes");
	char good_hash[AUTH_HASH_HEX];
	auth_key_hash(good, good_hash);
	ok(!strncmp(who.key_id, good_hash, 12) && strlen(who.key_id) == 12,
	   "lookup: key id is the first 12 digits of the key's hash");
	ok(!strstr(good, who.key_id), "lookup: ... which are not a part of the key");

	/* The key inside a longer header value: len, not NUL, ends it. */
	char hdr[AUTH_KEY_LEN + 8];
	snprintf(hdr, sizeof hdr, "%s  junk", good);
	is_int(lookup(s, hdr, AUTH_KEY_LEN, &who, &err), Q_OK, "lookup: len bounds the key");

	is_int(lookup(s, unknown, strlen(unknown), &who, &e1), Q_EAUTH, "lookup: unknown key");
	is_int(lookup(s, revoked, strlen(revoked), &who, &e2), Q_EAUTH, "lookup: revoked key");
	char typo[AUTH_KEY_LEN + 1];
	memcpy(typo, good, sizeof typo);
	typo[30] = typo[30] == 'a' ? 'b' : 'a';
	is_int(lookup(s, typo, strlen(typo), &who, &e3), Q_EAUTH, "lookup: key with a typo");
	ok(!strcmp(e1.msg, e2.msg) && !strcmp(e2.msg, e3.msg) && !strcmp(e1.field, e2.field),
	   "lookup: one answer for unknown, revoked and malformed (%s)", e1.msg);
	is_int(lookup(s, good, strlen(good) - 1, &who, &err), Q_EAUTH, "lookup: short len");
	is_int(lookup(s, "", 0, &who, &err), Q_EAUTH, "lookup: empty key");

	size_t problems = 99;
	store_check_indexes(s, &problems, &err);
	is_int(problems, 0, "lookup: key records are indexed");
	store_close(s);
	unit_rmtree(dir);
}

int main(void)
{
	test_key_format();
	test_header();
	test_scopes();
	test_lookup();
	return done_testing();
}
